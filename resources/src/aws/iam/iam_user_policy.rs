//! `aws_iam_user_policy`: an inline policy of an IAM user. Id `user:name`, as in Terraform.
//!
//! AWS calls: PutUserPolicy (create and update: it replaces the document; retried for up to
//! 2 minutes while the user is not visible yet, `NoSuchEntity`, IAM eventual consistency),
//! GetUserPolicy (the document comes back URL-encoded: decoded and compared by meaning),
//! DeleteUserPolicy (`NoSuchEntity` is success).
//!
//! Replacement: a change of `user`, `name` or `name_prefix`. The policy changes in place.
//!
//! Recovery: PutUserPolicy is idempotent and the name deterministic (`name`, or `name_prefix`
//! plus a suffix from the idempotency token): `recover` reads the policy by user and name.
//! Inline policies carry no tags.

use crate::aws::AwsContext;
use async_trait::async_trait;

use super::common;
use crate::aws::kit::sdk_error;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct IamUserPolicy {
    schema: Schema,
}

impl IamUserPolicy {
    pub fn new() -> Self {
        IamUserPolicy {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("`user:name`."),
                Attribute::required("user", AttrType::String)
                    .force_new()
                    .describe("The user name."),
                Attribute::optional_computed("name", AttrType::String).force_new(),
                Attribute::optional("name_prefix", AttrType::String).force_new(),
                Attribute::required("policy", AttrType::Json)
                    .describe("The policy document, compared by meaning."),
            ]),
        }
    }
}

impl Default for IamUserPolicy {
    fn default() -> Self {
        IamUserPolicy::new()
    }
}

/// `user:name` → (user, name).
pub fn split_id(id: &str) -> Result<(&str, &str), ProviderError> {
    id.split_once(':')
        .filter(|(user, name)| !user.is_empty() && !name.is_empty())
        .ok_or_else(|| ProviderError::invalid("id", format!("{id:?} is not `user:name`")))
}

async fn put(
    context: &ProviderContext,
    user: &str,
    name: &str,
    policy: &str,
) -> Result<(), ProviderError> {
    let client = &context.aws().iam;
    common::retry(
        "the user to become visible",
        common::is_propagation_error,
        || async {
            client
                .put_user_policy()
                .user_name(user)
                .policy_name(name)
                .policy_document(policy)
                .send()
                .await
                .map(|_| ())
                .map_err(|error| sdk_error("PutUserPolicy", error))
        },
    )
    .await
}

async fn get(
    context: &ProviderContext,
    user: &str,
    name: &str,
    prior: &Attributes,
) -> Result<Option<Attributes>, ProviderError> {
    let output = match context
        .aws()
        .iam
        .get_user_policy()
        .user_name(user)
        .policy_name(name)
        .send()
        .await
    {
        Ok(output) => output,
        Err(error) => {
            let error = sdk_error("GetUserPolicy", error);
            return if error.is_not_found() {
                Ok(None)
            } else {
                Err(error)
            };
        }
    };
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::String(format!("{user}:{name}")));
    attributes.insert("user".into(), Value::string(user));
    attributes.insert("name".into(), Value::string(name));
    attributes.insert(
        "name_prefix".into(),
        prior.get("name_prefix").cloned().unwrap_or_default(),
    );
    attributes.insert(
        "policy".into(),
        crate::aws::kit::policy::policy_value(output.policy_document(), prior, "policy"),
    );
    Ok(Some(attributes))
}

#[async_trait]
impl Resource for IamUserPolicy {
    fn type_name(&self) -> &'static str {
        "aws_iam_user_policy"
    }

    fn import_id(&self) -> String {
        "user name:policy name".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let user = crate::aws::kit::attributes::required_string(desired, "user")?;
        let name = crate::aws::kit::naming::resolve_name(context, desired, 128);
        let policy = crate::aws::kit::policy::policy_document(desired, "policy")?;
        put(context, &user, &name, &policy).await?;
        let mut attributes = desired.clone();
        attributes.insert("id".into(), Value::String(format!("{user}:{name}")));
        attributes.insert("name".into(), Value::String(name));
        Ok(attributes)
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let (user, name) = split_id(id)?;
        get(context, user, name, prior).await
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let (user, name) = split_id(id)?;
        let policy = crate::aws::kit::policy::policy_document(desired, "policy")?;
        put(context, user, name, &policy).await?;
        get(context, user, name, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("inline policy {id} disappeared during update"))
        })
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let (user, name) = split_id(id)?;
        match context
            .aws()
            .iam
            .delete_user_policy()
            .user_name(user)
            .policy_name(name)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(error) => {
                let error = sdk_error("DeleteUserPolicy", error);
                if error.is_not_found() {
                    Ok(())
                } else {
                    Err(error)
                }
            }
        }
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let user = crate::aws::kit::attributes::required_string(desired, "user")?;
        let name = crate::aws::kit::naming::resolve_name(context, desired, 128);
        get(context, &user, &name, desired).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_user_colon_name() {
        assert_eq!(
            split_id("deploy-bot:artifacts").ok(),
            Some(("deploy-bot", "artifacts"))
        );
        assert!(split_id("no-colon").is_err());
        assert!(split_id(":name").is_err());
    }
}
