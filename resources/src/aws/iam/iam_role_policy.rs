//! `aws_iam_role_policy`: an inline policy of an IAM role. Id `role:name`, as in Terraform.
//!
//! AWS calls: PutRolePolicy (create and update: it replaces the document; retried for up to
//! 2 minutes while the role is not visible yet, `NoSuchEntity`, IAM eventual consistency),
//! GetRolePolicy (the document comes back URL-encoded: decoded and compared by meaning),
//! DeleteRolePolicy (`NoSuchEntity` is success).
//!
//! Replacement: a change of `role`, `name` or `name_prefix`. The policy changes in place.
//!
//! Recovery: PutRolePolicy is idempotent and the name deterministic (`name`, or `name_prefix`
//! plus a suffix from the idempotency token): `recover` reads the policy by role and name.
//! Inline policies carry no tags.

use crate::aws::kit::policy;
use crate::aws::kit::naming;
use crate::aws::kit::attributes;
use crate::aws::AwsContext;
use async_trait::async_trait;

use super::common;
use crate::aws::kit::sdk_error;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct IamRolePolicy {
    schema: Schema,
}

impl IamRolePolicy {
    pub fn new() -> Self {
        IamRolePolicy {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("`role:name`."),
                Attribute::required("role", AttrType::String)
                    .force_new()
                    .describe("The role name."),
                Attribute::optional_computed("name", AttrType::String).force_new(),
                Attribute::optional("name_prefix", AttrType::String).force_new(),
                Attribute::required("policy", AttrType::Json)
                    .describe("The policy document, compared by meaning."),
            ]),
        }
    }
}

impl Default for IamRolePolicy {
    fn default() -> Self {
        IamRolePolicy::new()
    }
}

/// `role:name` → (role, name).
pub fn split_id(id: &str) -> Result<(&str, &str), ProviderError> {
    id.split_once(':')
        .filter(|(role, name)| !role.is_empty() && !name.is_empty())
        .ok_or_else(|| ProviderError::invalid("id", format!("{id:?} is not `role:name`")))
}

async fn put(
    context: &ProviderContext,
    role: &str,
    name: &str,
    policy: &str,
) -> Result<(), ProviderError> {
    let client = &context.aws().iam;
    common::retry(
        "the role to become visible",
        common::is_propagation_error,
        || async {
            client
                .put_role_policy()
                .role_name(role)
                .policy_name(name)
                .policy_document(policy)
                .send()
                .await
                .map(|_| ())
                .map_err(|error| sdk_error("PutRolePolicy", error))
        },
    )
    .await
}

async fn get(
    context: &ProviderContext,
    role: &str,
    name: &str,
    prior: &Attributes,
) -> Result<Option<Attributes>, ProviderError> {
    let output = match context
        .aws()
        .iam
        .get_role_policy()
        .role_name(role)
        .policy_name(name)
        .send()
        .await
    {
        Ok(output) => output,
        Err(error) => {
            let error = sdk_error("GetRolePolicy", error);
            return crate::aws::kit::none_if_gone(error);
        }
    };
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::String(format!("{role}:{name}")));
    attributes.insert("role".into(), Value::string(role));
    attributes.insert("name".into(), Value::string(name));
    attributes.insert(
        "name_prefix".into(),
        prior.get("name_prefix").cloned().unwrap_or_default(),
    );
    attributes.insert(
        "policy".into(),
        policy::policy_value(output.policy_document(), prior, "policy"),
    );
    Ok(Some(attributes))
}

#[async_trait]
impl Resource for IamRolePolicy {
    fn type_name(&self) -> &'static str {
        "aws_iam_role_policy"
    }

    fn import_id(&self) -> String {
        "role name:policy name".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let role = attributes::required_string(desired, "role")?;
        let name = naming::resolve_name(context, desired, 128);
        let policy = policy::policy_document(desired, "policy")?;
        put(context, &role, &name, &policy).await?;
        let mut attributes = desired.clone();
        attributes.insert("id".into(), Value::String(format!("{role}:{name}")));
        attributes.insert("name".into(), Value::String(name));
        Ok(attributes)
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let (role, name) = split_id(id)?;
        get(context, role, name, prior).await
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let (role, name) = split_id(id)?;
        let policy = policy::policy_document(desired, "policy")?;
        put(context, role, name, &policy).await?;
        get(context, role, name, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("inline policy {id} disappeared during update"))
        })
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let (role, name) = split_id(id)?;
        match context
            .aws()
            .iam
            .delete_role_policy()
            .role_name(role)
            .policy_name(name)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(error) => {
                let error = sdk_error("DeleteRolePolicy", error);
                crate::aws::kit::ok_if_gone(error)
            }
        }
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let role = attributes::required_string(desired, "role")?;
        let name = naming::resolve_name(context, desired, 128);
        get(context, &role, &name, desired).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_role_colon_name() {
        assert_eq!(
            split_id("edgemind-dev-task:secrets").ok(),
            Some(("edgemind-dev-task", "secrets"))
        );
        assert!(split_id("no-colon").is_err());
        assert!(split_id(":name").is_err());
    }
}
