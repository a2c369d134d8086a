//! `aws_sns_topic_subscription`: a subscription of an endpoint (an email address, a Lambda
//! function, a queue, ...) to an SNS topic.
//!
//! AWS calls: Subscribe (`ReturnSubscriptionArn = true`, so even an email subscription that
//! waits for confirmation has its ARN at once), GetSubscriptionAttributes,
//! SetSubscriptionAttributes (`RawMessageDelivery`, `FilterPolicy`), Unsubscribe.
//!
//! Replacement: a change of `topic_arn`, `protocol` or `endpoint`.
//!
//! Email: the subscription stays "pending confirmation" until the recipient clicks the link;
//! that is normal, and `pending_confirmation` shows it. AWS removes unconfirmed subscriptions
//! itself after three days and refuses to unsubscribe them (`InvalidParameter`): delete treats
//! that answer for a pending subscription as done.
//!
//! Recovery: Subscribe is idempotent for the same topic, protocol and endpoint (it answers the
//! existing subscription), so `recover` finds it with ListSubscriptionsByTopic.

use crate::aws::AwsContext;
use std::collections::BTreeMap;

use async_trait::async_trait;

use crate::aws::kit::attributes::{optional_bool, optional_string, required_string};
use crate::aws::kit::found;
use crate::aws::kit::sdk_error;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct SnsTopicSubscription {
    schema: Schema,
}

impl SnsTopicSubscription {
    pub fn new() -> Self {
        SnsTopicSubscription {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The subscription ARN."),
                Attribute::required("topic_arn", AttrType::String).force_new(),
                Attribute::required("protocol", AttrType::String)
                    .force_new()
                    .describe("`email`, `email-json`, `lambda`, `sqs`, `https`, ..."),
                Attribute::required("endpoint", AttrType::String).force_new(),
                Attribute::optional("raw_message_delivery", AttrType::Bool).default(false),
                Attribute::optional("filter_policy", AttrType::Json),
                Attribute::optional("endpoint_auto_confirms", AttrType::Bool).default(false),
                Attribute::computed("arn", AttrType::String),
                Attribute::computed("owner_id", AttrType::String),
                Attribute::computed("pending_confirmation", AttrType::Bool),
                Attribute::computed("confirmation_was_authenticated", AttrType::Bool),
            ]),
        }
    }
}

impl Default for SnsTopicSubscription {
    fn default() -> Self {
        SnsTopicSubscription::new()
    }
}

#[async_trait]
impl Resource for SnsTopicSubscription {
    fn type_name(&self) -> &'static str {
        "aws_sns_topic_subscription"
    }

    fn import_id(&self) -> String {
        "subscription ARN (arn:aws:sns:…:topic:uuid)".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let mut attributes = std::collections::HashMap::new();
        if optional_bool(desired, "raw_message_delivery").unwrap_or(false) {
            attributes.insert("RawMessageDelivery".to_string(), "true".to_string());
        }
        if let Some(policy) = optional_string(desired, "filter_policy") {
            attributes.insert("FilterPolicy".to_string(), policy);
        }
        let output = context
            .aws()
            .sns
            .subscribe()
            .topic_arn(required_string(desired, "topic_arn")?)
            .protocol(required_string(desired, "protocol")?)
            .endpoint(required_string(desired, "endpoint")?)
            .set_attributes((!attributes.is_empty()).then_some(attributes))
            .return_subscription_arn(true)
            .send()
            .await
            .map_err(|error| sdk_error("Subscribe", error))?;
        let arn = output
            .subscription_arn()
            .ok_or_else(|| crate::aws::kit::empty_answer("Subscribe", "subscription ARN"))?
            .to_string();
        self.read(context, &arn, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("SNS subscription {arn} disappeared after create"))
        })
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let result = context
            .aws()
            .sns
            .get_subscription_attributes()
            .subscription_arn(id)
            .send()
            .await
            .map_err(|error| sdk_error("GetSubscriptionAttributes", error));
        let Some(output) = found(result)? else {
            return Ok(None);
        };
        let cloud: BTreeMap<String, String> = output
            .attributes()
            .map(|attributes| {
                attributes
                    .iter()
                    .map(|(key, value)| (key.clone(), value.clone()))
                    .collect()
            })
            .unwrap_or_default();
        Ok(Some(subscription_attributes(id, &cloud, prior)))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let raw = optional_bool(desired, "raw_message_delivery").unwrap_or(false);
        if optional_bool(prior, "raw_message_delivery").unwrap_or(false) != raw {
            set_attribute(context, id, "RawMessageDelivery", &raw.to_string()).await?;
        }
        let policy = optional_string(desired, "filter_policy");
        if optional_string(prior, "filter_policy") != policy {
            set_attribute(context, id, "FilterPolicy", &policy.unwrap_or_default()).await?;
        }
        self.read(context, id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("SNS subscription {id} disappeared during update"))
        })
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let result = context
            .aws()
            .sns
            .unsubscribe()
            .subscription_arn(id)
            .send()
            .await
            .map(|_| ())
            .map_err(|error| sdk_error("Unsubscribe", error));
        match result {
            Err(error)
                if error.code() == Some("InvalidParameter")
                    && optional_bool(prior, "pending_confirmation").unwrap_or(false) =>
            {
                Ok(())
            }
            other => found(other).map(|_| ()),
        }
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let topic = required_string(desired, "topic_arn")?;
        let protocol = required_string(desired, "protocol")?;
        let endpoint = required_string(desired, "endpoint")?;
        let mut pages = context
            .aws()
            .sns
            .list_subscriptions_by_topic()
            .topic_arn(&topic)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let Some(page) =
                found(page.map_err(|error| sdk_error("ListSubscriptionsByTopic", error)))?
            else {
                return Ok(None);
            };
            for subscription in page.subscriptions() {
                let matches = subscription.protocol() == Some(protocol.as_str())
                    && subscription.endpoint() == Some(endpoint.as_str());
                match subscription.subscription_arn() {
                    Some(arn) if matches && arn.starts_with("arn:") => {
                        return self.read(context, arn, desired).await
                    }
                    _ => {}
                }
            }
        }
        Ok(None)
    }
}

async fn set_attribute(
    context: &ProviderContext,
    arn: &str,
    name: &str,
    value: &str,
) -> Result<(), ProviderError> {
    context
        .aws()
        .sns
        .set_subscription_attributes()
        .subscription_arn(arn)
        .attribute_name(name)
        .attribute_value(value)
        .send()
        .await
        .map(|_| ())
        .map_err(|error| sdk_error("SetSubscriptionAttributes", error))
}

fn subscription_attributes(
    arn: &str,
    cloud: &BTreeMap<String, String>,
    prior: &Attributes,
) -> Attributes {
    let flag = |key: &str| Value::Bool(cloud.get(key).is_some_and(|value| value == "true"));
    let text = |key: &str| -> Value { cloud.get(key).cloned().into() };
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::string(arn));
    attributes.insert("arn".into(), Value::string(arn));
    attributes.insert("topic_arn".into(), text("TopicArn"));
    attributes.insert("protocol".into(), text("Protocol"));
    attributes.insert("endpoint".into(), text("Endpoint"));
    attributes.insert("raw_message_delivery".into(), flag("RawMessageDelivery"));
    attributes.insert(
        "filter_policy".into(),
        cloud
            .get("FilterPolicy")
            .filter(|policy| !policy.is_empty())
            .cloned()
            .into(),
    );
    attributes.insert(
        "endpoint_auto_confirms".into(),
        prior
            .get("endpoint_auto_confirms")
            .cloned()
            .unwrap_or(Value::Bool(false)),
    );
    attributes.insert("owner_id".into(), text("Owner"));
    attributes.insert("pending_confirmation".into(), flag("PendingConfirmation"));
    attributes.insert(
        "confirmation_was_authenticated".into(),
        flag("ConfirmationWasAuthenticated"),
    );
    attributes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_email_subscription_reads_as_pending() {
        let cloud = BTreeMap::from([
            (
                "TopicArn".to_string(),
                "arn:aws:sns:us-east-1:1:alarms".to_string(),
            ),
            ("Protocol".to_string(), "email".to_string()),
            ("Endpoint".to_string(), "ops@example.com".to_string()),
            ("PendingConfirmation".to_string(), "true".to_string()),
        ]);
        let read = subscription_attributes(
            "arn:aws:sns:us-east-1:1:alarms:1",
            &cloud,
            &Attributes::new(),
        );
        assert_eq!(read["pending_confirmation"], Value::Bool(true));
        assert_eq!(read["raw_message_delivery"], Value::Bool(false));
        assert_eq!(read["endpoint"], Value::string("ops@example.com"));
        assert_eq!(read["filter_policy"], Value::Null);
    }
}
