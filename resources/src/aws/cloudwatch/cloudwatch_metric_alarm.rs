//! `aws_cloudwatch_metric_alarm`: an alarm on one CloudWatch metric.
//!
//! AWS calls: PutMetricAlarm (create and every update: it replaces the whole definition; tags
//! only on create), DescribeAlarms (`AlarmNames`), ListTagsForResource / TagResource /
//! UntagResource (tag changes), DeleteAlarms.
//!
//! Replacement: a change of `alarm_name`. Everything else is updated in place.
//!
//! Recovery: the name is deterministic; `recover` adopts an alarm of that name only when it
//! carries this stack's `provision:*` tags. Metric math alarms (`metric_query`) are not part of
//! this type yet.
//!
//! Drift: `list_managed` is GetResources of the Resource Groups Tagging API (`cloudwatch:alarm`).

use crate::aws::kit::recovery;
use crate::aws::kit::tags::TagApi;
use crate::aws::kit::attributes;
use crate::aws::AwsContext;
use std::collections::BTreeMap;

use async_trait::async_trait;
use aws_sdk_cloudwatch::types::{
    ComparisonOperator, Dimension, MetricAlarm, StandardUnit, Statistic, Tag,
};

use crate::aws::kit::attributes::{optional_bool, optional_string, required_string, string_list, string_list_value};
use crate::aws::kit::found;
use crate::aws::kit::sdk_error;
use crate::aws::kit::tags::{split_tags, sync_tags, tag_api};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct CloudwatchMetricAlarm {
    schema: Schema,
}

impl CloudwatchMetricAlarm {
    pub fn new() -> Self {
        CloudwatchMetricAlarm {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The alarm name."),
                Attribute::required("alarm_name", AttrType::String).force_new(),
                Attribute::required("comparison_operator", AttrType::String)
                    .describe("`GreaterThanThreshold`, `LessThanThreshold`, ..."),
                Attribute::required("evaluation_periods", AttrType::Number),
                Attribute::optional("metric_name", AttrType::String),
                Attribute::optional("namespace", AttrType::String),
                Attribute::optional("period", AttrType::Number),
                Attribute::optional("statistic", AttrType::String),
                Attribute::optional("extended_statistic", AttrType::String),
                Attribute::optional("threshold", AttrType::Number),
                Attribute::optional("datapoints_to_alarm", AttrType::Number),
                Attribute::optional("dimensions", AttrType::map_of_strings()),
                Attribute::optional("alarm_description", AttrType::String),
                Attribute::optional("actions_enabled", AttrType::Bool).default(true),
                Attribute::optional("alarm_actions", AttrType::set_of_strings()),
                Attribute::optional("ok_actions", AttrType::set_of_strings()),
                Attribute::optional("insufficient_data_actions", AttrType::set_of_strings()),
                Attribute::optional("treat_missing_data", AttrType::String).default("missing"),
                Attribute::optional("unit", AttrType::String),
                Attribute::computed("arn", AttrType::String),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ]),
        }
    }
}

impl Default for CloudwatchMetricAlarm {
    fn default() -> Self {
        CloudwatchMetricAlarm::new()
    }
}

tag_api! {
    /// CloudWatch's tag calls, on an alarm ARN.
    struct AlarmTags for cloudwatch {
        list: "ListTagsForResource" list_tags_for_resource(resource_arn)
            => |output| {
                let tags = output.tags().iter();
                tags.filter_map(|tag| Some((tag.key()?.to_string(), tag.value()?.to_string())))
                    .collect()
            },
        tag: "TagResource" tag_resource(resource_arn).set_tags(|tags| Some(cloudwatch_tags(tags))),
        untag: "UntagResource" untag_resource(resource_arn)
            .set_tag_keys(|keys| Some(keys.to_vec())),
    }
}

#[async_trait]
impl Resource for CloudwatchMetricAlarm {
    fn type_name(&self) -> &'static str {
        "aws_cloudwatch_metric_alarm"
    }

    fn import_id(&self) -> String {
        "alarm name".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    /// One read after create: PutMetricAlarm answers nothing: the alarm's attributes come from a read.
    fn create_answer_is_complete(&self) -> bool {
        false
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
            "cloudwatch:alarm",
            ArnId::After("alarm:"),
        )
        .await
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let name = required_string(desired, "alarm_name")?;
        put_alarm(context, desired, true).await?;
        self.read(context, &name, desired)
            .await?
            .ok_or_else(|| ProviderError::Refused(format!("alarm {name} disappeared after create")))
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let Some(alarm) = describe(context, id).await? else {
            return Ok(None);
        };
        let arn = alarm.alarm_arn().unwrap_or_default().to_string();
        let Some(tags) = found(AlarmTags.list(context, &arn).await)? else {
            return Ok(None);
        };
        let mut attributes = alarm_attributes(&alarm);
        let (user, all) = split_tags(context, tags);
        attributes.insert("tags".into(), user);
        attributes.insert("tags_all".into(), all);
        Ok(Some(attributes))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        put_alarm(context, desired, false).await?;
        let arn = required_string(prior, "arn")?;
        sync_tags(&AlarmTags, context, &arn, prior, desired).await?;
        self.read(context, id, desired)
            .await?
            .ok_or_else(|| ProviderError::Refused(format!("alarm {id} disappeared during update")))
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let result = context
            .aws()
            .cloudwatch
            .delete_alarms()
            .alarm_names(id)
            .send()
            .await
            .map(|_| ())
            .map_err(|error| sdk_error("DeleteAlarms", error));
        found(result).map(|_| ())
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let name = required_string(desired, "alarm_name")?;
        let found = describe(context, &name).await?;
        let arn_of = |alarm: &MetricAlarm| alarm.alarm_arn().unwrap_or_default().to_string();
        if recovery::owned_listing(&AlarmTags, context, found, arn_of)
            .await?
            .is_none()
        {
            return Ok(None);
        }
        self.read(context, &name, desired).await
    }
}

fn cloudwatch_tags(tags: &BTreeMap<String, String>) -> Vec<Tag> {
    tags.iter()
        .map(|(key, value)| Tag::builder().key(key).value(value).build())
        .collect()
}

fn dimensions(attributes: &Attributes) -> Vec<Dimension> {
    attributes
        .get("dimensions")
        .and_then(Value::as_map)
        .map(|entries| {
            entries
                .iter()
                .filter_map(|(name, value)| {
                    Some(
                        Dimension::builder()
                            .name(name)
                            .value(value.to_template_string()?)
                            .build(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// PutMetricAlarm with the whole definition (tags only when creating: PutMetricAlarm ignores
/// them for an existing alarm).
async fn put_alarm(
    context: &ProviderContext,
    desired: &Attributes,
    with_tags: bool,
) -> Result<(), ProviderError> {
    let number = |name: &str| desired.get(name).and_then(Value::as_f64);
    let integer = |name: &str| attributes::optional_i32(desired, name).ok().flatten();
    let evaluation_periods = integer("evaluation_periods")
        .ok_or_else(|| ProviderError::invalid("evaluation_periods", "must be a whole number"))?;
    context
        .aws()
        .cloudwatch
        .put_metric_alarm()
        .alarm_name(required_string(desired, "alarm_name")?)
        .comparison_operator(ComparisonOperator::from(
            required_string(desired, "comparison_operator")?.as_str(),
        ))
        .evaluation_periods(evaluation_periods)
        .set_metric_name(optional_string(desired, "metric_name"))
        .set_namespace(optional_string(desired, "namespace"))
        .set_period(integer("period"))
        .set_statistic(optional_string(desired, "statistic").map(|s| Statistic::from(s.as_str())))
        .set_extended_statistic(optional_string(desired, "extended_statistic"))
        .set_threshold(number("threshold"))
        .set_datapoints_to_alarm(integer("datapoints_to_alarm"))
        .set_dimensions(Some(dimensions(desired)))
        .set_alarm_description(optional_string(desired, "alarm_description"))
        .actions_enabled(optional_bool(desired, "actions_enabled").unwrap_or(true))
        .set_alarm_actions(Some(string_list(desired, "alarm_actions")))
        .set_ok_actions(Some(string_list(desired, "ok_actions")))
        .set_insufficient_data_actions(Some(string_list(desired, "insufficient_data_actions")))
        .treat_missing_data(
            optional_string(desired, "treat_missing_data").unwrap_or_else(|| "missing".to_string()),
        )
        .set_unit(optional_string(desired, "unit").map(|unit| StandardUnit::from(unit.as_str())))
        .set_tags(with_tags.then(|| cloudwatch_tags(&context.tags_for(desired))))
        .send()
        .await
        .map(|_| ())
        .map_err(|error| sdk_error("PutMetricAlarm", error))
}

async fn describe(
    context: &ProviderContext,
    name: &str,
) -> Result<Option<MetricAlarm>, ProviderError> {
    let result = context
        .aws()
        .cloudwatch
        .describe_alarms()
        .alarm_names(name)
        .send()
        .await
        .map_err(|error| sdk_error("DescribeAlarms", error));
    Ok(found(result)?.and_then(|output| {
        output
            .metric_alarms()
            .iter()
            .find(|alarm| alarm.alarm_name() == Some(name))
            .cloned()
    }))
}

fn alarm_attributes(alarm: &MetricAlarm) -> Attributes {
    let text = |value: Option<&str>| -> Value { value.map(str::to_string).into() };
    let number = |value: Option<i32>| value.map(Value::from).unwrap_or_default();
    let mut attributes = Attributes::new();
    let name = alarm.alarm_name().unwrap_or_default();
    attributes.insert("id".into(), Value::string(name));
    attributes.insert("alarm_name".into(), Value::string(name));
    attributes.insert(
        "comparison_operator".into(),
        text(alarm.comparison_operator().map(|op| op.as_str())),
    );
    attributes.insert(
        "evaluation_periods".into(),
        number(alarm.evaluation_periods()),
    );
    attributes.insert("metric_name".into(), text(alarm.metric_name()));
    attributes.insert("namespace".into(), text(alarm.namespace()));
    attributes.insert("period".into(), number(alarm.period()));
    attributes.insert(
        "statistic".into(),
        text(alarm.statistic().map(|s| s.as_str())),
    );
    attributes.insert(
        "extended_statistic".into(),
        text(alarm.extended_statistic()),
    );
    attributes.insert(
        "threshold".into(),
        alarm.threshold().map(Value::from).unwrap_or_default(),
    );
    attributes.insert(
        "datapoints_to_alarm".into(),
        number(alarm.datapoints_to_alarm()),
    );
    attributes.insert(
        "dimensions".into(),
        Value::Map(
            alarm
                .dimensions()
                .iter()
                .filter_map(|dimension| {
                    Some((
                        dimension.name()?.to_string(),
                        Value::string(dimension.value()?),
                    ))
                })
                .collect(),
        ),
    );
    attributes.insert(
        "alarm_description".into(),
        text(alarm.alarm_description().filter(|text| !text.is_empty())),
    );
    attributes.insert(
        "actions_enabled".into(),
        Value::Bool(alarm.actions_enabled().unwrap_or(true)),
    );
    attributes.insert(
        "alarm_actions".into(),
        string_list_value(alarm.alarm_actions()),
    );
    attributes.insert("ok_actions".into(), string_list_value(alarm.ok_actions()));
    attributes.insert(
        "insufficient_data_actions".into(),
        string_list_value(alarm.insufficient_data_actions()),
    );
    attributes.insert(
        "treat_missing_data".into(),
        Value::string(alarm.treat_missing_data().unwrap_or("missing")),
    );
    attributes.insert("unit".into(), text(alarm.unit().map(|unit| unit.as_str())));
    attributes.insert("arn".into(), text(alarm.alarm_arn()));
    attributes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dimensions_become_name_value_pairs() {
        let attributes = Attributes::from([(
            "dimensions".to_string(),
            Value::Map(BTreeMap::from([(
                "DBClusterIdentifier".to_string(),
                Value::string("stream-sales-production-cluster"),
            )])),
        )]);
        let found = dimensions(&attributes);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name(), Some("DBClusterIdentifier"));
        assert_eq!(found[0].value(), Some("stream-sales-production-cluster"));
    }

    #[test]
    fn reads_back_the_definition() {
        let alarm = MetricAlarm::builder()
            .alarm_name("db-cpu")
            .comparison_operator(ComparisonOperator::GreaterThanThreshold)
            .evaluation_periods(2)
            .metric_name("CPUUtilization")
            .namespace("AWS/RDS")
            .period(300)
            .statistic(Statistic::Average)
            .threshold(80.0)
            .alarm_actions("arn:aws:sns:us-east-1:1:alarms")
            .build();
        let read = alarm_attributes(&alarm);
        assert_eq!(
            read["comparison_operator"],
            Value::string("GreaterThanThreshold")
        );
        assert_eq!(read["evaluation_periods"], Value::Number(2.0));
        assert_eq!(read["threshold"], Value::Number(80.0));
        assert_eq!(read["treat_missing_data"], Value::string("missing"));
        assert_eq!(read["alarm_description"], Value::Null);
    }
}
