//! `aws_cloudwatch_log_group`: a CloudWatch Logs log group.
//!
//! AWS calls: CreateLogGroup (tags, `kmsKeyId` and `logGroupClass` in the same call),
//! PutRetentionPolicy / DeleteRetentionPolicy (`retention_in_days`), AssociateKmsKey /
//! DisassociateKmsKey (`kms_key_id`), DescribeLogGroups (`logGroupNamePrefix` = the name, then an
//! exact match on the name), ListTagsForResource / TagResource / UntagResource (on the ARN without
//! the trailing `:*`), DeleteLogGroup.
//!
//! Replacement: a change of `name` or `log_group_class`. Retention, KMS key and tags change in
//! place. Terraform's `name_prefix` is not supported: `name` is required, which keeps the name
//! deterministic (recovery depends on it).
//!
//! Retention: absent or 0 means "never expire" (no retention policy). AWS answers nothing for a
//! group without a policy; `read` then reports null, or 0 when the prior attributes said 0, so
//! neither spelling shows a perpetual diff.
//!
//! Readiness: a log group is usable at once; `wait_until_ready` applies the retention policy
//! (CreateLogGroup takes none) and reads.
//!
//! Deletion: DeleteLogGroup; a group already gone (`ResourceNotFoundException`) is success. With
//! `skip_destroy = true` delete only forgets the group (it stays in AWS, as in Terraform).
//!
//! Recovery: the name is deterministic, so `recover` reads the group by name, and adopts it only
//! when it carries this stack's `provision:stack` and `provision:address` tags (someone else's
//! group of the same name makes the create fail with `ResourceAlreadyExistsException` instead).
//!
//! Drift: `read_many` is the default (one DescribeLogGroups and one ListTagsForResource per
//! group). DescribeLogGroups cannot filter by tag, so `list_managed` asks the Tagging API.
//!
//! moto 5.2.1 (the test cloud): has no AssociateKmsKey / DisassociateKmsKey (a change of
//! `kms_key_id` in place is not covered by the tests), ignores `logGroupClass` (DescribeLogGroups
//! answers none; `read` then keeps the prior value, else `STANDARD`, AWS's default), and keeps a
//! deleted group's tags (a group made again under the same name gets them back).
//!
//! Drift: `list_managed` is GetResources of the Resource Groups Tagging API (`logs:log-group`).

use crate::aws::kit::recovery;
use crate::aws::kit::tags::TagApi;
use crate::aws::kit::ResultExt;
use crate::aws::kit::attributes;
use crate::aws::AwsContext;
use std::collections::BTreeMap;

use async_trait::async_trait;
use aws_sdk_cloudwatchlogs::types::{LogGroup, LogGroupClass};

use crate::aws::kit::sdk_error;
use crate::aws::kit::tags::{sync_tags, tag_api, tags_differ};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

/// AWS's log group class when none is given.
const DEFAULT_CLASS: &str = "STANDARD";

pub struct CloudwatchLogGroup {
    schema: Schema,
}

impl CloudwatchLogGroup {
    pub fn new() -> Self {
        CloudwatchLogGroup {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The log group name."),
                Attribute::required("name", AttrType::String)
                    .force_new()
                    .describe("The log group name (`/ecs/edgemind-dev-backend`)."),
                Attribute::optional("retention_in_days", AttrType::Number).describe(
                    "Days to keep log events (1, 3, 5, 7, 14, 30, ...); 0 or absent: never expire.",
                ),
                Attribute::optional("kms_key_id", AttrType::String)
                    .describe("ARN of the KMS key that encrypts the log data."),
                Attribute::optional_computed("log_group_class", AttrType::String)
                    .force_new()
                    .describe("`STANDARD` or `INFREQUENT_ACCESS`."),
                Attribute::optional("skip_destroy", AttrType::Bool)
                    .default(false)
                    .describe("When true, destroy only forgets the log group."),
                Attribute::computed("arn", AttrType::String)
                    .describe("The log group ARN, without the trailing `:*`."),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ]),
        }
    }
}

impl Default for CloudwatchLogGroup {
    fn default() -> Self {
        CloudwatchLogGroup::new()
    }
}

tag_api! {
    /// CloudWatch Logs' tag calls, on a log group ARN.
    struct LogGroupTags for logs {
        list: "ListTagsForResource" list_tags_for_resource(resource_arn)
            => |output| output.tags().cloned().unwrap_or_default().into_iter().collect(),
        tag: "TagResource" tag_resource(resource_arn)
            .set_tags(|tags| Some(tags.clone().into_iter().collect())),
        untag: "UntagResource" untag_resource(resource_arn)
            .set_tag_keys(|keys| Some(keys.to_vec())),
    }
}

#[async_trait]
impl Resource for CloudwatchLogGroup {
    fn type_name(&self) -> &'static str {
        "aws_cloudwatch_log_group"
    }

    fn import_id(&self) -> String {
        "log group name".to_string()
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
        list_tagged(
            context,
            stack,
            self.type_name(),
            "logs:log-group",
            ArnId::After("log-group:"),
        )
        .await
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let name = attributes::required_string(desired, "name")?;
        let retention = retention(desired)?;
        context
            .aws()
            .logs
            .create_log_group()
            .log_group_name(&name)
            .set_kms_key_id(attributes::optional_string(desired, "kms_key_id"))
            .set_log_group_class(
                attributes::optional_string(desired, "log_group_class")
                    .map(|class| LogGroupClass::from(class.as_str())),
            )
            .set_tags(Some(context.tags_for(desired).into_iter().collect()))
            .send()
            .await
            .map_err(|error| sdk_error("CreateLogGroup", error))?;
        // Intended values: `wait_until_ready` applies the retention policy and reads.
        let mut attributes = Attributes::new();
        attributes.insert("id".into(), Value::string(&name));
        attributes.insert("name".into(), Value::string(&name));
        attributes.insert(
            "retention_in_days".into(),
            retention.map_or(Value::Null, |days| Value::Number(days.into())),
        );
        attributes.insert(
            "kms_key_id".into(),
            attributes::optional_string(desired, "kms_key_id")
                .map(Value::String)
                .unwrap_or_default(),
        );
        attributes.insert(
            "log_group_class".into(),
            Value::String(
                attributes::optional_string(desired, "log_group_class")
                    .unwrap_or_else(|| DEFAULT_CLASS.to_string()),
            ),
        );
        attributes.insert("arn".into(), Value::Null);
        attributes.insert("skip_destroy".into(), skip_destroy(desired).into());
        let (tags, tags_all) = crate::aws::kit::tags::split_tags(context, context.tags_for(desired));
        attributes.insert("tags".into(), tags);
        attributes.insert("tags_all".into(), tags_all);
        Ok(attributes)
    }

    async fn wait_until_ready(
        &self,
        context: &ProviderContext,
        created: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let name = attributes::required_string(created, "id")?;
        if let Some(days) = retention(created)?.filter(|days| *days > 0) {
            put_retention(context, &name, days).await?;
        }
        self.read(context, &name, created).await?.ok_or_else(|| {
            ProviderError::Refused(format!("log group {name} disappeared while waiting"))
        })
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let Some(group) = describe(context, id).await? else {
            return Ok(None);
        };
        let arn = group_arn(&group);
        
// Deleted between the two calls.
let Some(tags) = LogGroupTags.list(context, &arn).await.not_found_as_none()? else {
 return Ok(None);
 };
        Ok(Some(group_attributes(context, &group, &arn, tags, prior)))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let client = &context.aws().logs;
        let wanted = retention(desired)?.filter(|days| *days > 0);
        if retention(prior)?.filter(|days| *days > 0) != wanted {
            match wanted {
                Some(days) => put_retention(context, id, days).await?,
                None => client
                    .delete_retention_policy()
                    .log_group_name(id)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|error| sdk_error("DeleteRetentionPolicy", error))?,
            }
        }
        let wanted_key = attributes::optional_string(desired, "kms_key_id");
        if attributes::optional_string(prior, "kms_key_id") != wanted_key {
            match wanted_key {
                Some(key) => client
                    .associate_kms_key()
                    .log_group_name(id)
                    .kms_key_id(key)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|error| sdk_error("AssociateKmsKey", error))?,
                None => client
                    .disassociate_kms_key()
                    .log_group_name(id)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|error| sdk_error("DisassociateKmsKey", error))?,
            }
        }
        if tags_differ(context, prior, desired) {
            let group = describe(context, id).await?.ok_or_else(|| {
                ProviderError::Refused(format!("log group {id} disappeared during update"))
            })?;
            sync_tags(&LogGroupTags, context, &group_arn(&group), prior, desired).await?;
        }
        self.read(context, id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("log group {id} disappeared during update"))
        })
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<(), ProviderError> {
        if skip_destroy(prior) {
            return Ok(());
        }
        match context
            .aws()
            .logs
            .delete_log_group()
            .log_group_name(id)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(error) => {
                let error = sdk_error("DeleteLogGroup", error);
                crate::aws::kit::ok_if_gone(error)
            }
        }
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let name = attributes::required_string(desired, "name")?;
        let found = describe(context, &name).await?;
        let Some((group, tags)) =
            recovery::owned_listing(&LogGroupTags, context, found, group_arn).await?
        else {
            return Ok(None);
        };
        let arn = group_arn(&group);
        Ok(Some(group_attributes(context, &group, &arn, tags, desired)))
    }
}

/// `retention_in_days` as whole days (`None` when absent or null).
fn retention(attributes: &Attributes) -> Result<Option<i32>, ProviderError> {
    match attributes.get("retention_in_days") {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value
            .as_f64()
            .filter(|days| days.fract() == 0.0 && *days >= 0.0 && *days <= f64::from(i32::MAX))
            .map(|days| Some(days as i32))
            .ok_or_else(|| {
                ProviderError::invalid("retention_in_days", "must be a whole number of days")
            }),
    }
}

fn skip_destroy(attributes: &Attributes) -> bool {
    attributes::optional_bool(attributes, "skip_destroy").unwrap_or(false)
}

async fn put_retention(
    context: &ProviderContext,
    name: &str,
    days: i32,
) -> Result<(), ProviderError> {
    context
        .aws()
        .logs
        .put_retention_policy()
        .log_group_name(name)
        .retention_in_days(days)
        .send()
        .await
        .map(|_| ())
        .map_err(|error| sdk_error("PutRetentionPolicy", error))
}

/// DescribeLogGroups with the name as prefix, then the exact match (`None` when absent).
async fn describe(
    context: &ProviderContext,
    name: &str,
) -> Result<Option<LogGroup>, ProviderError> {
    let mut pages = context
        .aws()
        .logs
        .describe_log_groups()
        .log_group_name_prefix(name)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(error) => {
                let error = sdk_error("DescribeLogGroups", error);
                return crate::aws::kit::none_if_gone(error);
            }
        };
        if let Some(group) = page
            .log_groups()
            .iter()
            .find(|group| group.log_group_name() == Some(name))
        {
            return Ok(Some(group.clone()));
        }
    }
    Ok(None)
}

/// The ARN without the trailing `:*` (`logGroupArn`, else `arn` trimmed).
fn group_arn(group: &LogGroup) -> String {
    group
        .log_group_arn()
        .map(str::to_string)
        .or_else(|| group.arn().map(|arn| trim_arn(arn).to_string()))
        .unwrap_or_default()
}

fn trim_arn(arn: &str) -> &str {
    arn.strip_suffix(":*").unwrap_or(arn)
}

/// The attributes of `group` as AWS describes it; `prior` supplies what AWS does not answer
/// (`skip_destroy`, a retention spelled 0, a class the answer lacks).
fn group_attributes(
    context: &ProviderContext,
    group: &LogGroup,
    arn: &str,
    tags: BTreeMap<String, String>,
    prior: &Attributes,
) -> Attributes {
    let name = group.log_group_name().unwrap_or_default();
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::string(name));
    attributes.insert("name".into(), Value::string(name));
    attributes.insert(
        "retention_in_days".into(),
        retention_value(group.retention_in_days(), prior.get("retention_in_days")),
    );
    attributes.insert(
        "kms_key_id".into(),
        group.kms_key_id().map(Value::string).unwrap_or_default(),
    );
    let class = group
        .log_group_class()
        .map(|class| class.as_str().to_string())
        .or_else(|| attributes::optional_string(prior, "log_group_class"))
        .unwrap_or_else(|| DEFAULT_CLASS.to_string());
    attributes.insert("log_group_class".into(), Value::String(class));
    attributes.insert("skip_destroy".into(), skip_destroy(prior).into());
    attributes.insert("arn".into(), Value::string(arn));
    let (user, all) = crate::aws::kit::tags::split_tags(context, tags);
    attributes.insert("tags".into(), user);
    attributes.insert("tags_all".into(), all);
    attributes
}

/// The retention AWS answered as a value: the days, or (no policy) null, or 0 when the prior
/// value spelled "never expire" as 0.
fn retention_value(cloud: Option<i32>, prior: Option<&Value>) -> Value {
    match cloud.filter(|days| *days > 0) {
        Some(days) => Value::Number(days.into()),
        None if prior.and_then(Value::as_f64) == Some(0.0) => Value::Number(0.0),
        None => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attributes(pairs: &[(&str, Value)]) -> Attributes {
        pairs
            .iter()
            .map(|(key, value)| (key.to_string(), value.clone()))
            .collect()
    }

    #[test]
    fn retention_accepts_whole_days_and_rejects_the_rest() {
        assert_eq!(retention(&Attributes::new()).unwrap(), None);
        assert_eq!(
            retention(&attributes(&[("retention_in_days", Value::Null)])).unwrap(),
            None
        );
        assert_eq!(
            retention(&attributes(&[("retention_in_days", Value::Number(7.0))])).unwrap(),
            Some(7)
        );
        assert_eq!(
            retention(&attributes(&[("retention_in_days", Value::string("30"))])).unwrap(),
            Some(30)
        );
        assert!(retention(&attributes(&[("retention_in_days", Value::Number(1.5))])).is_err());
        assert!(retention(&attributes(&[("retention_in_days", Value::Number(-1.0))])).is_err());
    }

    #[test]
    fn no_retention_policy_reads_as_null_or_as_the_prior_zero() {
        assert_eq!(retention_value(Some(14), None), Value::Number(14.0));
        assert_eq!(retention_value(None, None), Value::Null);
        assert_eq!(retention_value(None, Some(&Value::Null)), Value::Null);
        assert_eq!(
            retention_value(None, Some(&Value::Number(0.0))),
            Value::Number(0.0)
        );
        assert_eq!(
            retention_value(Some(7), Some(&Value::Number(0.0))),
            Value::Number(7.0)
        );
    }

    #[test]
    fn arn_loses_the_trailing_wildcard() {
        assert_eq!(
            trim_arn("arn:aws:logs:us-east-1:123456789012:log-group:/ecs/x:*"),
            "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/x"
        );
        assert_eq!(
            trim_arn("arn:aws:logs:r:1:log-group:g"),
            "arn:aws:logs:r:1:log-group:g"
        );
        let group = LogGroup::builder()
            .log_group_name("g")
            .arn("arn:aws:logs:r:1:log-group:g:*")
            .build();
        assert_eq!(group_arn(&group), "arn:aws:logs:r:1:log-group:g");
    }

    #[test]
    fn skip_destroy_defaults_to_false() {
        assert!(!skip_destroy(&Attributes::new()));
        assert!(skip_destroy(&attributes(&[(
            "skip_destroy",
            Value::Bool(true)
        )])));
    }

    #[test]
    fn schema_marks_name_and_class_force_new_and_the_rest_in_place() {
        let group = CloudwatchLogGroup::new();
        let schema = group.schema();
        assert!(schema
            .attribute("name")
            .is_some_and(|a| a.force_new && a.required));
        assert!(schema
            .attribute("log_group_class")
            .is_some_and(|a| a.force_new && a.computed));
        for in_place in ["retention_in_days", "kms_key_id", "tags", "skip_destroy"] {
            assert!(
                schema.attribute(in_place).is_some_and(|a| !a.force_new),
                "{in_place}"
            );
        }
        assert!(schema.attribute("arn").is_some_and(|a| a.computed));
        assert!(schema.attribute("tags_all").is_some_and(|a| a.computed));
    }
}
