//! `aws_iam_user`: an IAM user.
//!
//! AWS calls: CreateUser (path, permissions boundary and tags in one call), GetUser (read,
//! recovery), UpdateUser (a new `name` or `path`: renamed in place, as Terraform does),
//! PutUserPermissionsBoundary / DeleteUserPermissionsBoundary, TagUser / UntagUser,
//! DeleteUser. With `force_destroy = true`, delete first removes what AWS would refuse to
//! delete the user with: managed policies (ListAttachedUserPolicies, DetachUserPolicy), inline
//! policies (ListUserPolicies, DeleteUserPolicy), access keys (ListAccessKeys,
//! DeleteAccessKey), the login profile (DeleteLoginProfile) and group memberships
//! (ListGroupsForUser, RemoveUserFromGroup). Without it, `DeleteConflict` is reported.
//!
//! Replacement: none; every argument changes in place.
//!
//! Recovery: the name is given by the spec, so `recover` reads the user by name and adopts it
//! when it carries this stack's `provision:stack` / `provision:address` tags.

use crate::aws::AwsContext;
use async_trait::async_trait;
use aws_sdk_iam::types::User;

use super::common;
use super::principal;
use crate::aws::kit::sdk_error;
use crate::aws::kit::recovery;
use crate::aws::kit::ResultExt;
use crate::aws::kit::tags::{split_tags, sync_tags};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct IamUser {
    schema: Schema,
}

impl IamUser {
    pub fn new() -> Self {
        IamUser {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The user name."),
                Attribute::required("name", AttrType::String),
                Attribute::optional("path", AttrType::String).default("/"),
                Attribute::optional("permissions_boundary", AttrType::String)
                    .describe("ARN of the policy that bounds the user's permissions."),
                Attribute::optional("force_destroy", AttrType::Bool)
                    .default(false)
                    .describe("Delete the user's keys, policies and login profile with it."),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
                Attribute::computed("arn", AttrType::String),
                Attribute::computed("unique_id", AttrType::String),
            ]),
        }
    }
}

impl Default for IamUser {
    fn default() -> Self {
        IamUser::new()
    }
}

fn text(attributes: &Attributes, name: &str) -> Option<String> {
    attributes
        .get(name)
        .and_then(Value::as_str)
        .filter(|text| !text.is_empty())
        .map(str::to_string)
}

/// GetUser (`None` when the user does not exist).
pub async fn get_user(
    context: &ProviderContext,
    name: &str,
) -> Result<Option<User>, ProviderError> {
    match context.aws().iam.get_user().user_name(name).send().await {
        Ok(output) => Ok(output.user().cloned()),
        Err(error) => crate::aws::kit::found(Err(sdk_error("GetUser", error))),
    }
}

fn user_attributes(context: &ProviderContext, user: &User, prior: &Attributes) -> Attributes {
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::string(user.user_name()));
    attributes.insert("name".into(), Value::string(user.user_name()));
    attributes.insert("path".into(), Value::string(user.path()));
    attributes.insert(
        "permissions_boundary".into(),
        Value::from(
            user.permissions_boundary()
                .and_then(|boundary| boundary.permissions_boundary_arn())
                .map(str::to_string),
        ),
    );
    attributes.insert(
        "force_destroy".into(),
        Value::Bool(
            prior
                .get("force_destroy")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        ),
    );
    attributes.insert("arn".into(), Value::string(user.arn()));
    attributes.insert("unique_id".into(), Value::string(user.user_id()));
    let (tags, tags_all) = split_tags(context, common::tags_from_iam(user.tags()));
    attributes.insert("tags".into(), tags);
    attributes.insert("tags_all".into(), tags_all);
    attributes
}

fn ignore_not_found(result: Result<(), ProviderError>) -> Result<(), ProviderError> {
    result.gone_is_ok()
}

/// Removes what keeps AWS from deleting the user (for `force_destroy`).
async fn empty_user(context: &ProviderContext, name: &str) -> Result<(), ProviderError> {
    let client = &context.aws().iam;
    principal::detach_all(&principal::User, context, name).await?;
    let keys = client
        .list_access_keys()
        .user_name(name)
        .send()
        .await
        .map_err(|error| sdk_error("ListAccessKeys", error))?;
    for key in keys.access_key_metadata() {
        if let Some(key_id) = key.access_key_id() {
            ignore_not_found(
                client
                    .delete_access_key()
                    .user_name(name)
                    .access_key_id(key_id)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|error| sdk_error("DeleteAccessKey", error)),
            )?;
        }
    }
    let groups = client
        .list_groups_for_user()
        .user_name(name)
        .send()
        .await
        .map_err(|error| sdk_error("ListGroupsForUser", error))?;
    for group in groups.groups() {
        ignore_not_found(
            client
                .remove_user_from_group()
                .user_name(name)
                .group_name(group.group_name())
                .send()
                .await
                .map(|_| ())
                .map_err(|error| sdk_error("RemoveUserFromGroup", error)),
        )?;
    }
    ignore_not_found(
        client
            .delete_login_profile()
            .user_name(name)
            .send()
            .await
            .map(|_| ())
            .map_err(|error| sdk_error("DeleteLoginProfile", error)),
    )
}

#[async_trait]
impl Resource for IamUser {
    fn type_name(&self) -> &'static str {
        "aws_iam_user"
    }

    fn import_id(&self) -> String {
        "user name".to_string()
    }

    async fn list_managed(
        &self,
        context: &ProviderContext,
        stack: &str,
    ) -> Result<Vec<(String, String)>, ProviderError> {
        use crate::aws::tagging::{list_tagged, ArnId};
        list_tagged(
            context,
            stack,
            self.type_name(),
            "iam:user",
            ArnId::LastSegment,
        )
        .await
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let name = crate::aws::kit::attributes::required_string(desired, "name")?;
        let tags = common::iam_tags(&context.tags_for(desired))?;
        let output = context
            .aws()
            .iam
            .create_user()
            .user_name(&name)
            .path(text(desired, "path").unwrap_or_else(|| "/".to_string()))
            .set_permissions_boundary(text(desired, "permissions_boundary"))
            .set_tags(Some(tags))
            .send()
            .await
            .map_err(|error| sdk_error("CreateUser", error))?;
        let user = output.user().ok_or_else(|| {
            ProviderError::Refused(format!("CreateUser for {name} returned no user"))
        })?;
        Ok(user_attributes(context, user, desired))
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        Ok(get_user(context, id)
            .await?
            .map(|user| user_attributes(context, &user, prior)))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let client = &context.aws().iam;
        let name = crate::aws::kit::attributes::required_string(desired, "name")?;
        let path = text(desired, "path").unwrap_or_else(|| "/".to_string());
        let prior_path = text(prior, "path").unwrap_or_else(|| "/".to_string());
        if name != id || path != prior_path {
            client
                .update_user()
                .user_name(id)
                .set_new_user_name((name != id).then(|| name.clone()))
                .set_new_path((path != prior_path).then(|| path.clone()))
                .send()
                .await
                .map_err(|error| sdk_error("UpdateUser", error))?;
        }
        let boundary = text(desired, "permissions_boundary");
        if boundary != text(prior, "permissions_boundary") {
            match &boundary {
                Some(arn) => client
                    .put_user_permissions_boundary()
                    .user_name(&name)
                    .permissions_boundary(arn)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|error| sdk_error("PutUserPermissionsBoundary", error))?,
                None => client
                    .delete_user_permissions_boundary()
                    .user_name(&name)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|error| sdk_error("DeleteUserPermissionsBoundary", error))?,
            }
        }
        sync_tags(&common::UserTags, context, &name, prior, desired).await?;
        let user = get_user(context, &name).await?.ok_or_else(|| {
            ProviderError::Refused(format!("user {name} disappeared during update"))
        })?;
        Ok(user_attributes(context, &user, desired))
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<(), ProviderError> {
        if get_user(context, id).await?.is_none() {
            return Ok(());
        }
        if prior
            .get("force_destroy")
            .and_then(Value::as_bool)
            .unwrap_or(false)
        {
            empty_user(context, id).await?;
        }
        ignore_not_found(
            context
                .aws()
                .iam
                .delete_user()
                .user_name(id)
                .send()
                .await
                .map(|_| ())
                .map_err(|error| sdk_error("DeleteUser", error)),
        )
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let name = crate::aws::kit::attributes::required_string(desired, "name")?;
        let found = get_user(context, &name).await?;
        let Some(user) = recovery::owned(context, found, |user| common::tags_from_iam(user.tags()))
        else {
            return Ok(None);
        };
        Ok(Some(user_attributes(context, &user, desired)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_forces_a_new_user() {
        let resource = IamUser::new();
        assert!(resource
            .schema()
            .attributes
            .iter()
            .all(|attribute| !attribute.force_new));
        assert_eq!(resource.type_name(), "aws_iam_user");
    }
}
