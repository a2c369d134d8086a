//! `aws_sqs_queue_policy`: the access policy of an SQS queue (compared as JSON, by meaning).
//!
//! AWS calls: SetQueueAttributes `Policy` (create, update; an empty value on delete),
//! GetQueueAttributes `Policy` (read: a queue without a policy, or no queue, means gone).
//!
//! The id is the queue URL. Replacement: a different `queue_url`; the policy changes in place.
//! Not taggable (the queue carries the tags).
//!
//! Recovery: setting the policy is idempotent; `recover` adopts a policy already on the queue
//! only when it means what the spec asks for, else the create sets it again.
//!
//! moto 5.2.1 serves every call made here (it does not evaluate the policy).

use async_trait::async_trait;
use aws_sdk_sqs::types::QueueAttributeName;

use crate::aws::kit::attributes::required_string;
use crate::aws::kit::policy::{policies_equivalent, policy_document, policy_value};
use crate::aws::kit::{sdk_error, ResultExt};
use crate::aws::sqs::sqs_queue::{queue_attributes, GONE};
use crate::aws::AwsContext;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct SqsQueuePolicy {
    schema: Schema,
}

impl SqsQueuePolicy {
    pub fn new() -> Self {
        SqsQueuePolicy {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The queue URL."),
                Attribute::required("queue_url", AttrType::String).force_new(),
                Attribute::required("policy", AttrType::Json),
            ]),
        }
    }
}

impl Default for SqsQueuePolicy {
    fn default() -> Self {
        SqsQueuePolicy::new()
    }
}

/// Sets the `Policy` attribute of the queue at `url` (`""` removes it).
async fn set_policy(
    context: &ProviderContext,
    url: &str,
    policy: String,
) -> Result<(), ProviderError> {
    context
        .aws()
        .sqs
        .set_queue_attributes()
        .queue_url(url)
        .attributes(QueueAttributeName::Policy, policy)
        .send()
        .await
        .map_err(|error| sdk_error("SetQueueAttributes", error))?;
    Ok(())
}

/// The attribute set for the queue at `url` whose policy is `cloud_policy`.
fn policy_state(url: &str, cloud_policy: &str, prior: &Attributes) -> Attributes {
    Attributes::from([
        ("id".to_string(), Value::string(url)),
        ("queue_url".to_string(), Value::string(url)),
        (
            "policy".to_string(),
            policy_value(cloud_policy, prior, "policy"),
        ),
    ])
}

#[async_trait]
impl Resource for SqsQueuePolicy {
    fn type_name(&self) -> &'static str {
        "aws_sqs_queue_policy"
    }

    fn import_id(&self) -> String {
        "queue URL (https://sqs.…/123456789012/name)".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let url = required_string(desired, "queue_url")?;
        let policy = policy_document(desired, "policy")?;
        set_policy(context, &url, policy.clone()).await?;
        Ok(policy_state(&url, &policy, desired))
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let Some(cloud) = queue_attributes(context, id).await? else {
            return Ok(None);
        };
        Ok(cloud
            .get("Policy")
            .filter(|policy| !policy.is_empty())
            .map(|policy| policy_state(id, policy, prior)))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let policy = policy_document(desired, "policy")?;
        set_policy(context, id, policy.clone()).await?;
        Ok(policy_state(id, &policy, desired))
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        set_policy(context, id, String::new())
            .await
            .absent_is_ok(GONE)
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let url = required_string(desired, "queue_url")?;
        let wanted = policy_document(desired, "policy")?;
        let found = self.read(context, &url, desired).await?;
        Ok(found.filter(|attributes| {
            attributes
                .get("policy")
                .and_then(Value::as_str)
                .is_some_and(|policy| policies_equivalent(policy, &wanted))
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_equivalent_cloud_policy_keeps_the_spec_text() {
        let spec = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*"}}"#;
        let prior = Attributes::from([("policy".to_string(), Value::string(spec))]);
        let cloud = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["sqs:SendMessage"], "Resource": "*"}]}"#;
        let state = policy_state("http://q/1/jobs", cloud, &prior);
        assert_eq!(state["policy"], Value::string(spec));
        assert_eq!(state["id"], Value::string("http://q/1/jobs"));
    }
}
