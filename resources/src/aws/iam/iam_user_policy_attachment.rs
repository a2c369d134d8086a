//! `aws_iam_user_policy_attachment`: a managed policy attached to a user. Id `user/policy_arn`.
//!
//! AWS calls: AttachUserPolicy (retried for up to 2 minutes while the user or a just-created
//! policy is not visible yet, `NoSuchEntity`), ListAttachedUserPolicies (read: the attachment
//! exists when the user lists the ARN), DetachUserPolicy (`NoSuchEntity` is success).
//!
//! Replacement: every attribute (`user`, `policy_arn`); there is nothing to update in place.
//! Recovery: attaching is idempotent; `recover` looks the ARN up in the user's attachments.

use crate::aws::AwsContext;
use async_trait::async_trait;

use super::common;
use crate::aws::kit::attributes::required_string;
use crate::aws::kit::sdk_error;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct IamUserPolicyAttachment {
    schema: Schema,
}

impl IamUserPolicyAttachment {
    pub fn new() -> Self {
        IamUserPolicyAttachment {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("`user/policy_arn`."),
                Attribute::required("user", AttrType::String).force_new(),
                Attribute::required("policy_arn", AttrType::String).force_new(),
            ]),
        }
    }
}

impl Default for IamUserPolicyAttachment {
    fn default() -> Self {
        IamUserPolicyAttachment::new()
    }
}

fn split_id(id: &str) -> Result<(&str, &str), ProviderError> {
    id.find("/arn:")
        .filter(|index| *index > 0)
        .map(|index| (&id[..index], &id[index + 1..]))
        .ok_or_else(|| ProviderError::invalid("id", format!("{id:?} is not `user/policy_arn`")))
}

/// Whether `user` has `policy_arn` attached (`None` when the user is gone).
async fn attached(
    context: &ProviderContext,
    user: &str,
    policy_arn: &str,
) -> Result<Option<bool>, ProviderError> {
    let mut pages = context
        .aws()
        .iam
        .list_attached_user_policies()
        .user_name(user)
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
                let error = sdk_error("ListAttachedUserPolicies", error);
                return if error.is_not_found() {
                    Ok(None)
                } else {
                    Err(error)
                };
            }
        }
    }
    Ok(Some(false))
}

fn attributes(user: &str, policy_arn: &str) -> Attributes {
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::String(format!("{user}/{policy_arn}")));
    attributes.insert("user".into(), Value::string(user));
    attributes.insert("policy_arn".into(), Value::string(policy_arn));
    attributes
}

#[async_trait]
impl Resource for IamUserPolicyAttachment {
    fn type_name(&self) -> &'static str {
        "aws_iam_user_policy_attachment"
    }

    fn import_id(&self) -> String {
        "user name/policy ARN".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let user = required_string(desired, "user")?;
        let policy_arn = required_string(desired, "policy_arn")?;
        let client = &context.aws().iam;
        common::retry(
            "the user and policy to become visible",
            common::is_propagation_error,
            || async {
                client
                    .attach_user_policy()
                    .user_name(&user)
                    .policy_arn(&policy_arn)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|error| sdk_error("AttachUserPolicy", error))
            },
        )
        .await?;
        Ok(attributes(&user, &policy_arn))
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let (user, policy_arn) = split_id(id)?;
        Ok(match attached(context, user, policy_arn).await? {
            Some(true) => Some(attributes(user, policy_arn)),
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
        let (user, policy_arn) = split_id(id)?;
        Ok(attributes(user, policy_arn))
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let (user, policy_arn) = split_id(id)?;
        match context
            .aws()
            .iam
            .detach_user_policy()
            .user_name(user)
            .policy_arn(policy_arn)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(error) => {
                let error = sdk_error("DetachUserPolicy", error);
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
        let user = required_string(desired, "user")?;
        let policy_arn = required_string(desired, "policy_arn")?;
        Ok(match attached(context, &user, &policy_arn).await? {
            Some(true) => Some(attributes(&user, &policy_arn)),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_split_into_user_and_policy_arn() {
        let arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";
        let id = format!("edgemind-dev-exec/{arn}");
        assert_eq!(split_id(&id).ok(), Some(("edgemind-dev-exec", arn)));
        assert!(split_id("no-arn-here").is_err());
    }
}
