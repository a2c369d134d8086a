//! `aws_sns_topic`: an SNS topic.
//!
//! AWS calls: CreateTopic (attributes and tags in the same call; idempotent by name), then
//! GetTopicAttributes for what create does not answer (owner, the default policy; the tags are
//! the ones just sent): one mutating call and one read per create. Read: GetTopicAttributes and
//! ListTagsForResource. Update: SetTopicAttributes (`DisplayName`, `Policy`, `KmsMasterKeyId`:
//! SNS sets one attribute per call), TagResource / UntagResource when tags differ. DeleteTopic.
//!
//! Replacement: a change of `name` or `fifo_topic`. The id is the topic ARN.
//!
//! Recovery: the name is deterministic; `recover` finds the topic of that name with ListTopics
//! and adopts it only when it carries this stack's `provision:*` tags.
//!
//! moto 5.2.1: answers a default access policy; `policy` is optional + computed so that no diff
//! shows when the spec sets none.
//!
//! Drift: `list_managed` is GetResources of the Resource Groups Tagging API (`sns`).

use crate::aws::kit::tags::carries_recovery_tags;
use crate::aws::kit::tags::TagApi;
use crate::aws::AwsContext;
use std::collections::{BTreeMap, HashMap};

use async_trait::async_trait;

use crate::aws::kit::attributes::{optional_bool, optional_string, required_string};
use crate::aws::kit::found;
use crate::aws::kit::sdk_error;
use crate::aws::kit::tags::{split_tags, sync_tags, tag_api, tag_map};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct SnsTopic {
    schema: Schema,
}

impl SnsTopic {
    pub fn new() -> Self {
        SnsTopic {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The topic ARN."),
                Attribute::required("name", AttrType::String).force_new(),
                Attribute::optional("display_name", AttrType::String).default(""),
                Attribute::optional_computed("policy", AttrType::Json),
                Attribute::optional("kms_master_key_id", AttrType::String).default(""),
                Attribute::optional("fifo_topic", AttrType::Bool)
                    .default(false)
                    .force_new(),
                Attribute::computed("arn", AttrType::String),
                Attribute::computed("owner", AttrType::String),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ]),
        }
    }
}

impl Default for SnsTopic {
    fn default() -> Self {
        SnsTopic::new()
    }
}

/// Spec attribute → SNS topic attribute, for those SetTopicAttributes changes.
const SETTABLE: [(&str, &str); 3] = [
    ("display_name", "DisplayName"),
    ("policy", "Policy"),
    ("kms_master_key_id", "KmsMasterKeyId"),
];

tag_api! {
    /// SNS's tag calls, on a topic ARN.
    struct SnsTags for sns {
        list: "ListTagsForResource" list_tags_for_resource(resource_arn)
            => |output| tag_map(output.tags(), |tag| (Some(tag.key()), Some(tag.value()))),
        tag: "TagResource" tag_resource(resource_arn).set_tags(|tags| Some(sns_tags(tags)?)),
        untag: "UntagResource" untag_resource(resource_arn)
            .set_tag_keys(|keys| Some(keys.to_vec())),
    }
}

/// SNS tags from a key → value map.
fn sns_tags(
    tags: &BTreeMap<String, String>,
) -> Result<Vec<aws_sdk_sns::types::Tag>, ProviderError> {
    tags.iter()
        .map(|(key, value)| {
            aws_sdk_sns::types::Tag::builder()
                .key(key)
                .value(value)
                .build()
                .map_err(|error| ProviderError::invalid("tags", error.to_string()))
        })
        .collect()
}

#[async_trait]
impl Resource for SnsTopic {
    fn type_name(&self) -> &'static str {
        "aws_sns_topic"
    }

    fn import_id(&self) -> String {
        "topic ARN (arn:aws:sns:…)".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn list_managed(
        &self,
        context: &ProviderContext,
        stack: &str,
    ) -> Result<Vec<(String, String)>, ProviderError> {
        use crate::aws::tagging::{list_tagged, ArnId};
        list_tagged(context, stack, self.type_name(), "sns", ArnId::Arn).await
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let output = context
            .aws()
            .sns
            .create_topic()
            .name(required_string(desired, "name")?)
            .set_attributes(Some(create_attributes(desired)))
            .set_tags(Some(
                context
                    .tags_for(desired)
                    .into_iter()
                    .map(|(key, value)| {
                        aws_sdk_sns::types::Tag::builder()
                            .key(key)
                            .value(value)
                            .build()
                            .map_err(|error| ProviderError::invalid("tags", error.to_string()))
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ))
            .send()
            .await
            .map_err(|error| sdk_error("CreateTopic", error))?;
        let arn = output
            .topic_arn()
            .ok_or_else(|| crate::aws::kit::empty_answer("CreateTopic", "topic ARN"))?
            .to_string();
        read_topic(context, &arn, desired, Tags::Sent).await?.ok_or_else(|| {
            ProviderError::Refused(format!("SNS topic {arn} disappeared after create"))
        })
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        read_topic(context, id, prior, Tags::Listed).await
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let client = &context.aws().sns;
        for (name, sns_name) in SETTABLE {
            let wanted = optional_string(desired, name);
            if name == "policy" && wanted.is_none() {
                continue;
            }
            if optional_string(prior, name) != wanted {
                client
                    .set_topic_attributes()
                    .topic_arn(id)
                    .attribute_name(sns_name)
                    .attribute_value(wanted.unwrap_or_default())
                    .send()
                    .await
                    .map_err(|error| sdk_error("SetTopicAttributes", error))?;
            }
        }
        sync_tags(&SnsTags, context, id, prior, desired).await?;
        read_topic(context, id, desired, Tags::Sent).await?.ok_or_else(|| {
            ProviderError::Refused(format!("SNS topic {id} disappeared during update"))
        })
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let result = context
            .aws()
            .sns
            .delete_topic()
            .topic_arn(id)
            .send()
            .await
            .map(|_| ())
            .map_err(|error| sdk_error("DeleteTopic", error));
        found(result).map(|_| ())
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let name = required_string(desired, "name")?;
        let mut pages = context.aws().sns.list_topics().into_paginator().send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|error| sdk_error("ListTopics", error))?;
            for topic in page.topics() {
                let Some(arn) = topic.topic_arn() else {
                    continue;
                };
                if arn.rsplit(':').next() != Some(name.as_str()) {
                    continue;
                }
                let tags = SnsTags.list(context, arn).await?;
                if carries_recovery_tags(context, &tags) {
                    return self.read(context, arn, desired).await;
                }
            }
        }
        Ok(None)
    }
}

/// The attributes CreateTopic takes.
fn create_attributes(desired: &Attributes) -> HashMap<String, String> {
    let mut attributes = HashMap::new();
    for (name, sns_name) in SETTABLE {
        if let Some(value) = optional_string(desired, name).filter(|value| !value.is_empty()) {
            attributes.insert(sns_name.to_string(), value);
        }
    }
    if optional_bool(desired, "fifo_topic").unwrap_or(false) {
        attributes.insert("FifoTopic".to_string(), "true".to_string());
    }
    attributes
}

fn topic_attributes(arn: &str, cloud: &BTreeMap<String, String>, prior: &Attributes) -> Attributes {
    let get = |key: &str| cloud.get(key).cloned().unwrap_or_default();
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::string(arn));
    attributes.insert("arn".into(), Value::string(arn));
    attributes.insert(
        "name".into(),
        Value::string(arn.rsplit(':').next().unwrap_or_default()),
    );
    attributes.insert("display_name".into(), Value::String(get("DisplayName")));
    attributes.insert(
        "policy".into(),
        cloud
            .get("Policy")
            .cloned()
            .map(Value::String)
            .unwrap_or_else(|| prior.get("policy").cloned().unwrap_or_default()),
    );
    attributes.insert(
        "kms_master_key_id".into(),
        Value::String(get("KmsMasterKeyId")),
    );
    attributes.insert(
        "fifo_topic".into(),
        Value::Bool(cloud.get("FifoTopic").is_some_and(|value| value == "true")),
    );
    attributes.insert("owner".into(), Value::String(get("Owner")));
    attributes
}

/// Where a read takes the topic's tags from.
enum Tags {
    /// ListTagsForResource.
    Listed,
    /// What the create or update just sent for `prior` (the desired attributes).
    Sent,
}

/// GetTopicAttributes, and the tags as `tags` says.
async fn read_topic(
    context: &ProviderContext,
    id: &str,
    prior: &Attributes,
    tags: Tags,
) -> Result<Option<Attributes>, ProviderError> {
    let result = context
        .aws()
        .sns
        .get_topic_attributes()
        .topic_arn(id)
        .send()
        .await
        .map_err(|error| sdk_error("GetTopicAttributes", error));
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
    let tags = match tags {
        Tags::Listed => {
            let Some(tags) = found(SnsTags.list(context, id).await)? else {
                return Ok(None);
            };
            tags
        }
        Tags::Sent => context.tags_for(prior),
    };
    let mut attributes = topic_attributes(id, &cloud, prior);
    let (user, all) = split_tags(context, tags);
    attributes.insert("tags".into(), user);
    attributes.insert("tags_all".into(), all);
    Ok(Some(attributes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_sends_only_what_is_set() {
        let desired = Attributes::from([
            ("display_name".to_string(), Value::string("Alarms")),
            ("kms_master_key_id".to_string(), Value::string("")),
            ("fifo_topic".to_string(), Value::Bool(false)),
        ]);
        let sent = create_attributes(&desired);
        assert_eq!(sent.len(), 1);
        assert_eq!(sent["DisplayName"], "Alarms");
    }

    #[test]
    fn reads_name_from_the_arn() {
        let cloud = BTreeMap::from([("DisplayName".to_string(), "x".to_string())]);
        let read = topic_attributes("arn:aws:sns:us-east-1:1:alarms", &cloud, &Attributes::new());
        assert_eq!(read["name"], Value::string("alarms"));
        assert_eq!(read["fifo_topic"], Value::Bool(false));
        assert_eq!(read["kms_master_key_id"], Value::string(""));
    }
}
