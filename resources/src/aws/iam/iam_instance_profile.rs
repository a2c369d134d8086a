//! `aws_iam_instance_profile`: an IAM instance profile holding (at most) one role, for EC2.
//!
//! AWS calls: CreateInstanceProfile (path and tags in one call), AddRoleToInstanceProfile
//! (retried for up to 2 minutes while a just-created role is not visible yet, `NoSuchEntity`),
//! GetInstanceProfile (read, recovery), RemoveRoleFromInstanceProfile (a new or no `role`, and
//! before delete), TagInstanceProfile / UntagInstanceProfile, DeleteInstanceProfile.
//!
//! Replacement: a change of `name`, `name_prefix` or `path`. `role` and tags change in place.
//!
//! Recovery: the name is deterministic (`name`, or `name_prefix` plus a suffix from the
//! idempotency token), so `recover` reads the profile by name and adopts it when it carries
//! this stack's `provision:stack` / `provision:address` tags.

use crate::aws::AwsContext;
use async_trait::async_trait;
use aws_sdk_iam::types::InstanceProfile;

use super::common;
use crate::aws::kit::sdk_error;
use crate::aws::kit::recovery;
use crate::aws::kit::tags::{split_tags, sync_tags};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct IamInstanceProfile {
    schema: Schema,
}

impl IamInstanceProfile {
    pub fn new() -> Self {
        IamInstanceProfile {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The profile name."),
                Attribute::optional_computed("name", AttrType::String).force_new(),
                Attribute::optional("name_prefix", AttrType::String).force_new(),
                Attribute::optional("path", AttrType::String)
                    .default("/")
                    .force_new(),
                Attribute::optional("role", AttrType::String).describe("The role name."),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
                Attribute::computed("arn", AttrType::String),
                Attribute::computed("unique_id", AttrType::String),
                Attribute::computed("create_date", AttrType::String),
            ]),
        }
    }
}

impl Default for IamInstanceProfile {
    fn default() -> Self {
        IamInstanceProfile::new()
    }
}

fn text(attributes: &Attributes, name: &str) -> Option<String> {
    attributes
        .get(name)
        .and_then(Value::as_str)
        .filter(|text| !text.is_empty())
        .map(str::to_string)
}

/// GetInstanceProfile (`None` when it does not exist).
async fn get_profile(
    context: &ProviderContext,
    name: &str,
) -> Result<Option<InstanceProfile>, ProviderError> {
    match context
        .aws()
        .iam
        .get_instance_profile()
        .instance_profile_name(name)
        .send()
        .await
    {
        Ok(output) => Ok(output.instance_profile().cloned()),
        Err(error) => crate::aws::kit::found(Err(sdk_error("GetInstanceProfile", error))),
    }
}

fn profile_attributes(
    context: &ProviderContext,
    profile: &InstanceProfile,
    prior: &Attributes,
) -> Attributes {
    let mut attributes = Attributes::new();
    let name = profile.instance_profile_name();
    attributes.insert("id".into(), Value::string(name));
    attributes.insert("name".into(), Value::string(name));
    attributes.insert(
        "name_prefix".into(),
        prior.get("name_prefix").cloned().unwrap_or_default(),
    );
    attributes.insert("path".into(), Value::string(profile.path()));
    attributes.insert(
        "role".into(),
        Value::from(
            profile
                .roles()
                .first()
                .map(|role| role.role_name().to_string()),
        ),
    );
    attributes.insert("arn".into(), Value::string(profile.arn()));
    attributes.insert(
        "unique_id".into(),
        Value::string(profile.instance_profile_id()),
    );
    attributes.insert(
        "create_date".into(),
        Value::String(
            profile
                .create_date()
                .fmt(aws_smithy_types::date_time::Format::DateTime)
                .unwrap_or_default(),
        ),
    );
    let (tags, tags_all) = split_tags(context, common::tags_from_iam(profile.tags()));
    attributes.insert("tags".into(), tags);
    attributes.insert("tags_all".into(), tags_all);
    attributes
}

async fn add_role(context: &ProviderContext, name: &str, role: &str) -> Result<(), ProviderError> {
    let client = &context.aws().iam;
    common::retry(
        "the role to become visible",
        common::is_propagation_error,
        || async {
            client
                .add_role_to_instance_profile()
                .instance_profile_name(name)
                .role_name(role)
                .send()
                .await
                .map(|_| ())
                .map_err(|error| sdk_error("AddRoleToInstanceProfile", error))
        },
    )
    .await
}

async fn remove_role(
    context: &ProviderContext,
    name: &str,
    role: &str,
) -> Result<(), ProviderError> {
    match context
        .aws()
        .iam
        .remove_role_from_instance_profile()
        .instance_profile_name(name)
        .role_name(role)
        .send()
        .await
    {
        Ok(_) => Ok(()),
        Err(error) => crate::aws::kit::found(Err::<(), _>(sdk_error(
            "RemoveRoleFromInstanceProfile",
            error,
        )))
        .map(|_| ()),
    }
}

#[async_trait]
impl Resource for IamInstanceProfile {
    fn type_name(&self) -> &'static str {
        "aws_iam_instance_profile"
    }

    fn import_id(&self) -> String {
        "instance profile name".to_string()
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
            "iam:instance-profile",
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
        let name = crate::aws::kit::naming::resolve_name(context, desired, 128);
        let tags = common::iam_tags(&context.tags_for(desired))?;
        let output = context
            .aws()
            .iam
            .create_instance_profile()
            .instance_profile_name(&name)
            .path(text(desired, "path").unwrap_or_else(|| "/".to_string()))
            .set_tags(Some(tags))
            .send()
            .await
            .map_err(|error| sdk_error("CreateInstanceProfile", error))?;
        let profile = output.instance_profile().cloned().ok_or_else(|| {
            ProviderError::Refused(format!("CreateInstanceProfile for {name} returned nothing"))
        })?;
        let mut attributes = profile_attributes(context, &profile, desired);
        if let Some(role) = text(desired, "role") {
            add_role(context, &name, &role).await?;
            attributes.insert("role".into(), Value::String(role));
        }
        Ok(attributes)
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        Ok(get_profile(context, id)
            .await?
            .map(|profile| profile_attributes(context, &profile, prior)))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let role = text(desired, "role");
        let prior_role = text(prior, "role");
        if role != prior_role {
            if let Some(old) = &prior_role {
                remove_role(context, id, old).await?;
            }
            if let Some(new) = &role {
                add_role(context, id, new).await?;
            }
        }
        sync_tags(&common::InstanceProfileTags, context, id, prior, desired).await?;
        let profile = get_profile(context, id).await?.ok_or_else(|| {
            ProviderError::Refused(format!("instance profile {id} disappeared during update"))
        })?;
        Ok(profile_attributes(context, &profile, desired))
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let Some(profile) = get_profile(context, id).await? else {
            return Ok(());
        };
        for role in profile.roles() {
            remove_role(context, id, role.role_name()).await?;
        }
        match context
            .aws()
            .iam
            .delete_instance_profile()
            .instance_profile_name(id)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(error) => {
                crate::aws::kit::found(Err::<(), _>(sdk_error("DeleteInstanceProfile", error)))
                    .map(|_| ())
            }
        }
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let name = crate::aws::kit::naming::resolve_name(context, desired, 128);
        let found = get_profile(context, &name).await?;
        let Some(profile) = recovery::owned(context, found, |profile| common::tags_from_iam(profile.tags()))
        else {
            return Ok(None);
        };
        let mut attributes = profile_attributes(context, &profile, desired);
        if let Some(role) = text(desired, "role") {
            if profile.roles().is_empty() {
                add_role(context, &name, &role).await?;
                attributes.insert("role".into(), Value::String(role));
            }
        }
        Ok(Some(attributes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_changes_in_place_and_name_replaces() {
        let resource = IamInstanceProfile::new();
        let schema = resource.schema();
        assert!(schema.attribute("role").is_some_and(|a| !a.force_new));
        for name in ["name", "name_prefix", "path"] {
            assert!(
                schema.attribute(name).is_some_and(|a| a.force_new),
                "{name}"
            );
        }
    }
}
