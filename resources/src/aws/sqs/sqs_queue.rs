//! `aws_sqs_queue`: an SQS queue, standard or FIFO.
//!
//! AWS calls: CreateQueue (every attribute and the tags in the one call; idempotent for the same
//! name and attributes), GetQueueAttributes (`All`) and ListQueueTags (read), SetQueueAttributes
//! (every changed attribute in one call), TagQueue / UntagQueue, DeleteQueue, GetQueueUrl
//! (recovery, and turning the Tagging API's ARNs into queue URLs for drift). Listing for drift:
//! GetResources of the Resource Groups Tagging API (`sqs`: an SQS ARN has no resource kind).
//!
//! The id is the queue URL. Attributes the spec leaves at Terraform's defaults (visibility 30 s,
//! retention 345600 s, maximum size 262144 bytes, delay 0, wait 0) are sent explicitly, so the
//! queue holds Terraform's values whatever the service's own defaults are (moto 5.2.1 and AWS
//! since 2025 default the maximum size to 1 MiB).
//!
//! Replacement: a change of `name`, `name_prefix` or `fifo_queue`. A FIFO queue's name must end
//! in `.fifo`; a generated name (`name_prefix` or none) gets the suffix.
//!
//! Policies: `policy`, `redrive_policy` and `redrive_allow_policy` are JSON compared by meaning;
//! read keeps the spec's text when AWS's means the same (`maxReceiveCount` as a number or a
//! string alike). They are optional + computed, as in Terraform: one the spec leaves out keeps
//! what the queue has (the policy may be an `aws_sqs_queue_policy`'s).
//!
//! Recovery: the name is deterministic (`name`, or `name_prefix` / `terraform-` plus the
//! idempotency token); `recover` looks it up with GetQueueUrl and adopts it only when its tags
//! carry this stack's `provision:*` tags.
//!
//! moto 5.2.1 serves every call made here.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_sqs::types::QueueAttributeName;

use crate::aws::kit::attributes::{optional_bool, optional_i64, optional_string};
use crate::aws::kit::naming::resolve_name;
use crate::aws::kit::policy::{policies_equivalent, policy_value};
use crate::aws::kit::tagging::{list_tagged, ArnId};
use crate::aws::kit::tags::{put_tags, sync_tags, tag_api, tags_differ, TagApi};
use crate::aws::kit::wait;
use crate::aws::kit::{sdk_error, ResultExt};
use crate::aws::AwsContext;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

/// SQS's answers for a queue that does not exist (query and JSON protocols).
pub(super) const GONE: &[&str] = &[
    "AWS.SimpleQueueService.NonExistentQueue",
    "QueueDoesNotExist",
];

/// Numeric settings: spec attribute, SQS attribute, Terraform's default (`None`: computed).
const NUMBERS: [(&str, &str, Option<i64>); 6] = [
    ("visibility_timeout_seconds", "VisibilityTimeout", Some(30)),
    (
        "message_retention_seconds",
        "MessageRetentionPeriod",
        Some(345_600),
    ),
    ("max_message_size", "MaximumMessageSize", Some(262_144)),
    ("delay_seconds", "DelaySeconds", Some(0)),
    (
        "receive_wait_time_seconds",
        "ReceiveMessageWaitTimeSeconds",
        Some(0),
    ),
    (
        "kms_data_key_reuse_period_seconds",
        "KmsDataKeyReusePeriodSeconds",
        None,
    ),
];

/// JSON documents: spec attribute, SQS attribute.
const DOCUMENTS: [(&str, &str); 3] = [
    ("policy", "Policy"),
    ("redrive_policy", "RedrivePolicy"),
    ("redrive_allow_policy", "RedriveAllowPolicy"),
];

pub struct SqsQueue {
    schema: Schema,
}

impl SqsQueue {
    pub fn new() -> Self {
        let mut attributes = vec![
            Attribute::computed("id", AttrType::String).describe("The queue URL."),
            Attribute::optional_computed("name", AttrType::String).force_new(),
            Attribute::optional_computed("name_prefix", AttrType::String).force_new(),
            Attribute::optional("fifo_queue", AttrType::Bool)
                .default(false)
                .force_new(),
            Attribute::optional("content_based_deduplication", AttrType::Bool).default(false),
            Attribute::optional_computed("deduplication_scope", AttrType::String),
            Attribute::optional_computed("fifo_throughput_limit", AttrType::String),
        ];
        for (name, _, default) in NUMBERS {
            attributes.push(match default {
                Some(default) => Attribute::optional(name, AttrType::Number).default(default),
                None => Attribute::optional_computed(name, AttrType::Number),
            });
        }
        for (name, _) in DOCUMENTS {
            attributes.push(Attribute::optional_computed(name, AttrType::Json));
        }
        attributes.extend([
            Attribute::optional_computed("sqs_managed_sse_enabled", AttrType::Bool),
            Attribute::optional("kms_master_key_id", AttrType::String),
            Attribute::computed("arn", AttrType::String),
            Attribute::computed("url", AttrType::String),
            Attribute::optional("tags", AttrType::map_of_strings()),
            Attribute::computed("tags_all", AttrType::map_of_strings()),
        ]);
        SqsQueue {
            schema: Schema::new(attributes),
        }
    }
}

impl Default for SqsQueue {
    fn default() -> Self {
        SqsQueue::new()
    }
}

tag_api! {
    /// SQS's tag calls, on a queue URL.
    pub(super) struct SqsTags for sqs {
        list: "ListQueueTags" list_queue_tags(queue_url)
            => |output| output
                .tags()
                .map(|tags| tags.iter().map(|(key, value)| (key.clone(), value.clone())).collect())
                .unwrap_or_default(),
        tag: "TagQueue" tag_queue(queue_url)
            .set_tags(|tags| Some(tags.clone().into_iter().collect())),
        untag: "UntagQueue" untag_queue(queue_url).set_tag_keys(|keys| Some(keys.to_vec())),
    }
}

#[async_trait]
impl Resource for SqsQueue {
    fn type_name(&self) -> &'static str {
        "aws_sqs_queue"
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
        let name = queue_name(context, desired)?;
        let output = context
            .aws()
            .sqs
            .create_queue()
            .queue_name(&name)
            .set_attributes(Some(queue_settings(desired, None)))
            .set_tags(Some(context.tags_for(desired).into_iter().collect()))
            .send()
            .await
            .map_err(|error| sdk_error("CreateQueue", error))?;
        let url = output
            .queue_url()
            .ok_or_else(|| crate::aws::kit::empty_answer("CreateQueue", "queue URL"))?
            .to_string();
        self.read(context, &url, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("SQS queue {url} disappeared after create"))
        })
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
        let Some(tags) = SqsTags.list(context, id).await.absent_as_none(GONE)? else {
            return Ok(None);
        };
        let mut attributes = queue_state(id, &cloud, prior);
        put_tags(context, &mut attributes, tags);
        Ok(Some(attributes))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let changed = queue_settings(desired, Some(prior));
        if !changed.is_empty() {
            context
                .aws()
                .sqs
                .set_queue_attributes()
                .queue_url(id)
                .set_attributes(Some(changed))
                .send()
                .await
                .map_err(|error| sdk_error("SetQueueAttributes", error))?;
        }
        if tags_differ(context, prior, desired) {
            sync_tags(&SqsTags, context, id, prior, desired).await?;
        }
        self.read(context, id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("SQS queue {id} disappeared during update"))
        })
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        context
            .aws()
            .sqs
            .delete_queue()
            .queue_url(id)
            .send()
            .await
            .map_err(|error| sdk_error("DeleteQueue", error))
            .absent_is_ok(GONE)?;
        wait::until_gone(
            &format!("SQS queue {id} to be deleted"),
            Duration::from_secs(120),
            || async { Ok(queue_attributes(context, id).await?.is_some()) },
        )
        .await
    }

    async fn list_managed(
        &self,
        context: &ProviderContext,
        stack: &str,
    ) -> Result<Vec<(String, String)>, ProviderError> {
        let tagged = list_tagged(context, stack, self.type_name(), "sqs", ArnId::Arn).await?;
        let mut listed = Vec::with_capacity(tagged.len());
        for (arn, address) in tagged {
            let mut parts = arn.split(':');
            let (Some(account), Some(name)) = (parts.nth(4), parts.next()) else {
                continue;
            };
            if let Some(url) = queue_url(context, name, Some(account)).await? {
                listed.push((url, address));
            }
        }
        Ok(listed)
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let name = queue_name(context, desired)?;
        let found = queue_url(context, &name, None).await?;
        let owned =
            crate::aws::kit::recovery::owned_listing(&SqsTags, context, found, |url| url.clone())
                .await
                .absent_as_none(GONE)?
                .flatten();
        match owned {
            Some((url, _)) => self.read(context, &url, desired).await,
            None => Ok(None),
        }
    }
}

/// The name to create under: `name`, else a generated one (`name_prefix` or `terraform-`, and
/// `.fifo` for a FIFO queue). A FIFO queue's given name must end in `.fifo`.
fn queue_name(context: &ProviderContext, desired: &Attributes) -> Result<String, ProviderError> {
    let fifo = optional_bool(desired, "fifo_queue").unwrap_or(false);
    if let Some(name) = optional_string(desired, "name").filter(|name| !name.is_empty()) {
        if fifo && !name.ends_with(".fifo") {
            return Err(ProviderError::invalid(
                "name",
                "of a FIFO queue must end with `.fifo`",
            ));
        }
        if !fifo && name.ends_with(".fifo") {
            return Err(ProviderError::invalid(
                "name",
                "ends with `.fifo`, which only a FIFO queue's may (set fifo_queue = true)",
            ));
        }
        return Ok(name);
    }
    if !fifo {
        return Ok(resolve_name(context, desired, 80));
    }
    let mut without_name = desired.clone();
    without_name.remove("name");
    Ok(format!("{}.fifo", resolve_name(context, &without_name, 75)))
}

/// The SQS attributes to send: all of them for a create (`prior` None), else those that differ
/// from `prior`. An unwritten document is left alone (optional + computed, as in Terraform).
fn queue_settings(
    desired: &Attributes,
    prior: Option<&Attributes>,
) -> HashMap<QueueAttributeName, String> {
    let mut settings = HashMap::new();
    let mut put = |name: &str, value: String| {
        settings.insert(QueueAttributeName::from(name), value);
    };
    let fifo = optional_bool(desired, "fifo_queue").unwrap_or(false);
    let number = |attributes: &Attributes, name: &str| optional_i64(attributes, name);
    for (name, sqs_name, _) in NUMBERS {
        let wanted = number(desired, name);
        let Some(wanted) = wanted else { continue };
        if prior.is_none_or(|prior| number(prior, name) != Some(wanted)) {
            put(sqs_name, wanted.to_string());
        }
    }
    for (name, sqs_name) in DOCUMENTS {
        let wanted = optional_string(desired, name).filter(|text| !text.is_empty());
        match (prior, wanted) {
            (None, Some(text)) => put(sqs_name, text),
            (None, None) => {}
            (Some(prior), Some(text)) => {
                let before = optional_string(prior, name).unwrap_or_default();
                if !documents_equivalent(&before, &text) {
                    put(sqs_name, text);
                }
            }
            // Optional + computed: an unwritten document keeps what the queue has (the policy
            // may be an `aws_sqs_queue_policy`'s).
            (Some(_), None) => {}
        }
    }
    if fifo {
        if prior.is_none() {
            put("FifoQueue", "true".to_string());
        }
        let dedup = optional_bool(desired, "content_based_deduplication").unwrap_or(false);
        if prior.is_none_or(|prior| {
            optional_bool(prior, "content_based_deduplication").unwrap_or(false) != dedup
        }) {
            put("ContentBasedDeduplication", dedup.to_string());
        }
        for (name, sqs_name) in [
            ("deduplication_scope", "DeduplicationScope"),
            ("fifo_throughput_limit", "FifoThroughputLimit"),
        ] {
            if let Some(wanted) = optional_string(desired, name).filter(|text| !text.is_empty()) {
                if prior.is_none_or(|prior| optional_string(prior, name).as_ref() != Some(&wanted))
                {
                    put(sqs_name, wanted);
                }
            }
        }
    }
    let kms = optional_string(desired, "kms_master_key_id").filter(|text| !text.is_empty());
    let kms_before = prior
        .and_then(|prior| optional_string(prior, "kms_master_key_id"))
        .filter(|text| !text.is_empty());
    if prior.is_none_or(|_| kms_before != kms) && (kms.is_some() || kms_before.is_some()) {
        put("KmsMasterKeyId", kms.clone().unwrap_or_default());
    }
    if let Some(sse) = optional_bool(desired, "sqs_managed_sse_enabled") {
        if kms.is_none()
            && prior
                .is_none_or(|prior| optional_bool(prior, "sqs_managed_sse_enabled") != Some(sse))
        {
            put("SqsManagedSseEnabled", sse.to_string());
        }
    }
    settings
}

/// Two SQS JSON documents mean the same: policies by what they grant, redrive policies with
/// `maxReceiveCount` as a number or a string alike.
fn documents_equivalent(left: &str, right: &str) -> bool {
    if policies_equivalent(left, right) {
        return true;
    }
    let canonical = |text: &str| -> Option<serde_json::Value> {
        let mut json: serde_json::Value = serde_json::from_str(text).ok()?;
        if let Some(count) = json.get_mut("maxReceiveCount") {
            if let Some(number) = count.as_str().and_then(|text| text.parse::<i64>().ok()) {
                *count = serde_json::Value::from(number);
            }
        }
        Some(json)
    };
    matches!((canonical(left), canonical(right)), (Some(left), Some(right)) if left == right)
}

/// The queue URL of `name` (in `account`, when given), or None when there is no such queue.
async fn queue_url(
    context: &ProviderContext,
    name: &str,
    account: Option<&str>,
) -> Result<Option<String>, ProviderError> {
    let output = context
        .aws()
        .sqs
        .get_queue_url()
        .queue_name(name)
        .set_queue_owner_aws_account_id(account.map(str::to_string))
        .send()
        .await
        .map_err(|error| sdk_error("GetQueueUrl", error))
        .absent_as_none(GONE)?;
    Ok(output.and_then(|output| output.queue_url().map(str::to_string)))
}

/// Every attribute of the queue at `url`, or None when it is gone.
pub(super) async fn queue_attributes(
    context: &ProviderContext,
    url: &str,
) -> Result<Option<BTreeMap<String, String>>, ProviderError> {
    let output = context
        .aws()
        .sqs
        .get_queue_attributes()
        .queue_url(url)
        .attribute_names(QueueAttributeName::All)
        .send()
        .await
        .map_err(|error| sdk_error("GetQueueAttributes", error))
        .absent_as_none(GONE)?;
    Ok(output.map(|output| {
        output
            .attributes()
            .map(|attributes| {
                attributes
                    .iter()
                    .map(|(name, value)| (name.as_str().to_string(), value.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }))
}

/// The attribute set of the queue at `url` from what GetQueueAttributes answered.
fn queue_state(url: &str, cloud: &BTreeMap<String, String>, prior: &Attributes) -> Attributes {
    let arn = cloud.get("QueueArn").cloned().unwrap_or_default();
    let name = url.rsplit('/').next().unwrap_or_default().to_string();
    let flag = |key: &str| cloud.get(key).is_some_and(|value| value == "true");
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::string(url));
    attributes.insert("url".into(), Value::string(url));
    attributes.insert("arn".into(), Value::String(arn));
    attributes.insert("name".into(), Value::String(name));
    attributes.insert(
        "name_prefix".into(),
        prior.get("name_prefix").cloned().unwrap_or_default(),
    );
    let fifo = flag("FifoQueue");
    attributes.insert("fifo_queue".into(), Value::Bool(fifo));
    attributes.insert(
        "content_based_deduplication".into(),
        Value::Bool(flag("ContentBasedDeduplication")),
    );
    for (name, key) in [
        ("deduplication_scope", "DeduplicationScope"),
        ("fifo_throughput_limit", "FifoThroughputLimit"),
    ] {
        attributes.insert(name.into(), cloud.get(key).cloned().into());
    }
    for (name, key, default) in NUMBERS {
        let number = cloud
            .get(key)
            .and_then(|text| text.parse::<f64>().ok())
            .map(Value::Number);
        // A setting AWS does not report (the data key period without KMS) keeps the spec's.
        let value = number.unwrap_or_else(|| match default {
            Some(default) => Value::from(default),
            None => prior.get(name).cloned().unwrap_or_default(),
        });
        attributes.insert(name.into(), value);
    }
    for (name, key) in DOCUMENTS {
        let value = match cloud.get(key).filter(|text| !text.is_empty()) {
            None => Value::Null,
            Some(text) if name == "policy" => policy_value(text, prior, name),
            Some(text) => match prior.get(name).and_then(Value::as_str) {
                Some(before) if documents_equivalent(before, text) => Value::string(before),
                _ => Value::string(text),
            },
        };
        attributes.insert(name.into(), value);
    }
    attributes.insert(
        "sqs_managed_sse_enabled".into(),
        Value::Bool(flag("SqsManagedSseEnabled")),
    );
    attributes.insert(
        "kms_master_key_id".into(),
        cloud
            .get("KmsMasterKeyId")
            .filter(|text| !text.is_empty())
            .cloned()
            .into(),
    );
    attributes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::kit::attributes::map;

    #[test]
    fn create_sends_terraform_defaults_and_fifo_settings() {
        let desired = map([
            ("fifo_queue", Value::Bool(true)),
            ("content_based_deduplication", Value::Bool(true)),
            ("visibility_timeout_seconds", Value::Number(30.0)),
            ("max_message_size", Value::Number(262_144.0)),
            ("redrive_policy", Value::string(r#"{"maxReceiveCount":3}"#)),
            ("policy", Value::Null),
        ]);
        let sent = queue_settings(&desired, None);
        assert_eq!(sent[&QueueAttributeName::FifoQueue], "true");
        assert_eq!(sent[&QueueAttributeName::ContentBasedDeduplication], "true");
        assert_eq!(sent[&QueueAttributeName::MaximumMessageSize], "262144");
        assert_eq!(sent[&QueueAttributeName::VisibilityTimeout], "30");
        assert!(sent.contains_key(&QueueAttributeName::RedrivePolicy));
        assert!(!sent.contains_key(&QueueAttributeName::Policy));
    }

    #[test]
    fn update_sends_only_what_changed() {
        let prior = map([
            ("visibility_timeout_seconds", Value::Number(30.0)),
            ("delay_seconds", Value::Number(0.0)),
            (
                "redrive_policy",
                Value::string(r#"{"deadLetterTargetArn":"a","maxReceiveCount":"3"}"#),
            ),
        ]);
        let mut desired = prior.clone();
        desired.insert("visibility_timeout_seconds".into(), Value::Number(60.0));
        let sent = queue_settings(&desired, Some(&prior));
        assert_eq!(sent.len(), 1, "{sent:?}");
        assert_eq!(sent[&QueueAttributeName::VisibilityTimeout], "60");
        desired.insert("redrive_policy".into(), Value::Null);
        assert_eq!(queue_settings(&desired, Some(&prior)).len(), 1);
    }

    #[test]
    fn redrive_counts_as_string_or_number_mean_the_same() {
        assert!(documents_equivalent(
            r#"{"deadLetterTargetArn":"a","maxReceiveCount":3}"#,
            r#"{"maxReceiveCount":"3","deadLetterTargetArn":"a"}"#
        ));
        assert!(!documents_equivalent(
            r#"{"maxReceiveCount":3}"#,
            r#"{"maxReceiveCount":4}"#
        ));
    }

    #[test]
    fn fifo_names_end_with_fifo() {
        let context = crate::aws::kit::test_support::context();
        let fifo = map([("fifo_queue", Value::Bool(true))]);
        assert!(queue_name(&context, &fifo).unwrap().ends_with(".fifo"));
        let mut named = fifo.clone();
        named.insert("name".into(), Value::string("orders"));
        assert!(queue_name(&context, &named).is_err());
        named.insert("name".into(), Value::string("orders.fifo"));
        assert_eq!(queue_name(&context, &named).unwrap(), "orders.fifo");
    }

    #[test]
    fn read_names_the_queue_from_its_url_and_keeps_equivalent_documents() {
        let cloud = BTreeMap::from([
            (
                "QueueArn".to_string(),
                "arn:aws:sqs:us-east-1:1:jobs".to_string(),
            ),
            ("VisibilityTimeout".to_string(), "45".to_string()),
            (
                "RedrivePolicy".to_string(),
                r#"{"deadLetterTargetArn": "d", "maxReceiveCount": 3}"#.to_string(),
            ),
        ]);
        let prior = map([(
            "redrive_policy",
            Value::string(r#"{"maxReceiveCount":"3","deadLetterTargetArn":"d"}"#),
        )]);
        let state = queue_state("http://q/1/jobs", &cloud, &prior);
        assert_eq!(state["name"], Value::string("jobs"));
        assert_eq!(state["visibility_timeout_seconds"], Value::Number(45.0));
        assert_eq!(state["redrive_policy"], prior["redrive_policy"]);
        assert_eq!(state["policy"], Value::Null);
        assert_eq!(state["fifo_queue"], Value::Bool(false));
    }
}
