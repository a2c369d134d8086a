//! `aws_iam_role_policy_attachment`: a managed policy attached to a role. Id `role/policy_arn`.
//!
//! AWS calls: AttachRolePolicy (retried for up to 2 minutes while the role or a just-created
//! policy is not visible yet, `NoSuchEntity`), ListAttachedRolePolicies (read: the attachment
//! exists when the role lists the ARN), DetachRolePolicy (`NoSuchEntity` is success).
//!
//! Replacement: every attribute (`role`, `policy_arn`); there is nothing to update in place.
//! Recovery: attaching is idempotent; `recover` looks the ARN up in the role's attachments.

use crate::aws::AwsContext;
use async_trait::async_trait;

use super::common;
use crate::aws::kit::attributes::{required_string};
use crate::aws::kit::sdk_error;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct IamRolePolicyAttachment {
    schema: Schema,
}

impl IamRolePolicyAttachment {
    pub fn new() -> Self {
        IamRolePolicyAttachment {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("`role/policy_arn`."),
                Attribute::required("role", AttrType::String).force_new(),
                Attribute::required("policy_arn", AttrType::String).force_new(),
            ]),
        }
    }
}

impl Default for IamRolePolicyAttachment {
    fn default() -> Self {
        IamRolePolicyAttachment::new()
    }
}

fn split_id(id: &str) -> Result<(&str, &str), ProviderError> {
    id.find("/arn:")
        .filter(|index| *index > 0)
        .map(|index| (&id[..index], &id[index + 1..]))
        .ok_or_else(|| ProviderError::invalid("id", format!("{id:?} is not `role/policy_arn`")))
}

/// Whether `role` has `policy_arn` attached (`None` when the role is gone).
async fn attached(
    context: &ProviderContext,
    role: &str,
    policy_arn: &str,
) -> Result<Option<bool>, ProviderError> {
    let mut pages = context
        .aws()
        .iam
        .list_attached_role_policies()
        .role_name(role)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => {
                if page
                    .attached_policies()
                    .iter()
                    .any(|policy| policy.policy_arn() == Some(policy_arn))
                {
                    return Ok(Some(true));
                }
            }
            Err(error) => {
                let error = sdk_error("ListAttachedRolePolicies", error);
                return crate::aws::kit::none_if_gone(error);
            }
        }
    }
    Ok(Some(false))
}

fn attributes(role: &str, policy_arn: &str) -> Attributes {
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::String(format!("{role}/{policy_arn}")));
    attributes.insert("role".into(), Value::string(role));
    attributes.insert("policy_arn".into(), Value::string(policy_arn));
    attributes
}

#[async_trait]
impl Resource for IamRolePolicyAttachment {
    fn type_name(&self) -> &'static str {
        "aws_iam_role_policy_attachment"
    }

    fn import_id(&self) -> String {
        "role name/policy ARN".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let role = required_string(desired, "role")?;
        let policy_arn = required_string(desired, "policy_arn")?;
        let client = &context.aws().iam;
        common::retry(
            "the role and policy to become visible",
            common::is_propagation_error,
            || async {
                client
                    .attach_role_policy()
                    .role_name(&role)
                    .policy_arn(&policy_arn)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|error| sdk_error("AttachRolePolicy", error))
            },
        )
        .await?;
        Ok(attributes(&role, &policy_arn))
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let (role, policy_arn) = split_id(id)?;
        Ok(match attached(context, role, policy_arn).await? {
            Some(true) => Some(attributes(role, policy_arn)),
            _ => None,
        })
    }

    async fn update(
        &self,
        _context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
        _desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        // Every attribute forces replacement: nothing can change in place.
        let (role, policy_arn) = split_id(id)?;
        Ok(attributes(role, policy_arn))
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let (role, policy_arn) = split_id(id)?;
        match context
            .aws()
            .iam
            .detach_role_policy()
            .role_name(role)
            .policy_arn(policy_arn)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(error) => {
                let error = sdk_error("DetachRolePolicy", error);
                crate::aws::kit::ok_if_gone(error)
            }
        }
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let role = required_string(desired, "role")?;
        let policy_arn = required_string(desired, "policy_arn")?;
        Ok(match attached(context, &role, &policy_arn).await? {
            Some(true) => Some(attributes(&role, &policy_arn)),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_split_into_role_and_policy_arn() {
        let arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";
        let id = format!("edgemind-dev-exec/{arn}");
        assert_eq!(split_id(&id).ok(), Some(("edgemind-dev-exec", arn)));
        assert!(split_id("no-arn-here").is_err());
    }
}
