//! `aws_appautoscaling_policy`: an Application Auto Scaling policy: target tracking
//! (`target_tracking_scaling_policy_configuration`) or step scaling
//! (`step_scaling_policy_configuration`, Terraform's default `policy_type`).
//!
//! AWS calls: PutScalingPolicy (create and update: the call is an upsert by name),
//! DescribeScalingPolicies (read, recovery), DeleteScalingPolicy.
//!
//! Replacement: a change of `name`, `service_namespace`, `resource_id` or `scalable_dimension`.
//! The policy type and its target tracking configuration change in place. `id` is the name,
//! as in Terraform. Recovery: the policy is identified by name and target, so `recover`
//! reads it.
//!
//! Target tracking takes a `predefined_metric_specification` (`ECSServiceAverageCPUUtilization`,
//! `ECSServiceAverageMemoryUtilization`, ...); customized metrics are not in the schema yet.
//! Step scaling takes `adjustment_type`, `cooldown`, `metric_aggregation_type`,
//! `min_adjustment_magnitude` and `step_adjustment` blocks whose interval bounds are strings,
//! as in Terraform; the CloudWatch alarm that triggers it is an `aws_cloudwatch_metric_alarm`
//! with the policy's `arn` in its `alarm_actions`.

use crate::aws::AwsContext;
use async_trait::async_trait;
use aws_sdk_applicationautoscaling::types::{
    AdjustmentType, MetricAggregationType, MetricType, PolicyType, PredefinedMetricSpecification,
    ScalingPolicy, StepAdjustment, StepScalingPolicyConfiguration,
    TargetTrackingScalingPolicyConfiguration,
};

use super::appautoscaling_target::keys;
use crate::aws::kit::attributes::{optional_bool, optional_string, required_string, string_list_value};
use crate::aws::kit::attributes::{block, block_value, optional_i32};
use crate::aws::kit::sdk_error;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

const TARGET_TRACKING: &str = "TargetTrackingScaling";
const STEP_SCALING: &str = "StepScaling";
const STEP_BLOCK: &str = "step_scaling_policy_configuration";

pub struct AppautoscalingPolicy {
    schema: Schema,
}

impl AppautoscalingPolicy {
    pub fn new() -> Self {
        let metric = Schema::new(vec![
            Attribute::required("predefined_metric_type", AttrType::String),
            Attribute::optional("resource_label", AttrType::String),
        ]);
        let tracking = Schema::new(vec![
            Attribute::required("target_value", AttrType::Number),
            Attribute::optional("disable_scale_in", AttrType::Bool).default(false),
            Attribute::optional_computed("scale_in_cooldown", AttrType::Number),
            Attribute::optional_computed("scale_out_cooldown", AttrType::Number),
        ])
        .with_block(NestedBlock {
            name: "predefined_metric_specification",
            nesting: BlockNesting::Single,
            schema: metric,
            force_new: false,
            computed: false,
        });
        let step = Schema::new(vec![
            Attribute::optional("adjustment_type", AttrType::String)
                .describe("`ChangeInCapacity`, `ExactCapacity` or `PercentChangeInCapacity`."),
            Attribute::optional("cooldown", AttrType::Number),
            Attribute::optional("metric_aggregation_type", AttrType::String),
            Attribute::optional("min_adjustment_magnitude", AttrType::Number),
        ])
        .with_block(NestedBlock {
            name: "step_adjustment",
            nesting: BlockNesting::Set,
            schema: Schema::new(vec![
                Attribute::optional("metric_interval_lower_bound", AttrType::String),
                Attribute::optional("metric_interval_upper_bound", AttrType::String),
                Attribute::required("scaling_adjustment", AttrType::Number),
            ]),
            force_new: false,
            computed: false,
        });
        AppautoscalingPolicy {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The policy name."),
                Attribute::computed("arn", AttrType::String),
                Attribute::computed("alarm_arns", AttrType::list_of_strings()),
                Attribute::required("name", AttrType::String).force_new(),
                Attribute::required("service_namespace", AttrType::String).force_new(),
                Attribute::required("resource_id", AttrType::String).force_new(),
                Attribute::required("scalable_dimension", AttrType::String).force_new(),
                Attribute::optional("policy_type", AttrType::String)
                    .default(STEP_SCALING)
                    .describe("`StepScaling` (the default) or `TargetTrackingScaling`."),
            ])
            .with_block(NestedBlock {
                name: STEP_BLOCK,
                nesting: BlockNesting::Single,
                schema: step,
                force_new: false,
                computed: false,
            })
            .with_block(NestedBlock {
                name: "target_tracking_scaling_policy_configuration",
                nesting: BlockNesting::Single,
                schema: tracking,
                force_new: false,
                computed: false,
            }),
        }
    }
}

impl Default for AppautoscalingPolicy {
    fn default() -> Self {
        AppautoscalingPolicy::new()
    }
}

fn policy_type(desired: &Attributes) -> String {
    optional_string(desired, "policy_type").unwrap_or_else(|| STEP_SCALING.into())
}

/// A bound written as text (`"0"`, `"-10.5"`), or `None` when left out.
fn bound(block: &Attributes, name: &str) -> Result<Option<f64>, ProviderError> {
    match block.get(name).and_then(Value::to_template_string) {
        None => Ok(None),
        Some(text) if text.is_empty() => Ok(None),
        Some(text) => text
            .parse::<f64>()
            .map(Some)
            .map_err(|_| ProviderError::invalid(name, format!("{text:?} is not a number"))),
    }
}

/// The step scaling configuration of a `StepScaling` policy.
fn step_configuration(
    desired: &Attributes,
) -> Result<StepScalingPolicyConfiguration, ProviderError> {
    let config = block(desired, STEP_BLOCK)
        .ok_or_else(|| ProviderError::invalid(STEP_BLOCK, "is required for StepScaling"))?;
    let mut steps = Vec::new();
    for step in crate::aws::kit::attributes::blocks(config, "step_adjustment") {
        let adjustment = step
            .get("scaling_adjustment")
            .and_then(Value::as_i64)
            .ok_or_else(|| {
                ProviderError::invalid("scaling_adjustment", "must be a whole number")
            })?;
        steps.push(
            StepAdjustment::builder()
                .set_metric_interval_lower_bound(bound(step, "metric_interval_lower_bound")?)
                .set_metric_interval_upper_bound(bound(step, "metric_interval_upper_bound")?)
                .scaling_adjustment(i32::try_from(adjustment).unwrap_or(i32::MAX))
                .build()
                .map_err(|error| ProviderError::invalid("step_adjustment", error.to_string()))?,
        );
    }
    Ok(StepScalingPolicyConfiguration::builder()
        .set_adjustment_type(
            optional_string(config, "adjustment_type")
                .map(|kind| AdjustmentType::from(kind.as_str())),
        )
        .set_cooldown(optional_i32(config, "cooldown")?)
        .set_metric_aggregation_type(
            optional_string(config, "metric_aggregation_type")
                .map(|kind| MetricAggregationType::from(kind.as_str())),
        )
        .set_min_adjustment_magnitude(optional_i32(config, "min_adjustment_magnitude")?)
        .set_step_adjustments((!steps.is_empty()).then_some(steps))
        .build())
}

/// The step scaling block as read from AWS.
fn step_block(config: &StepScalingPolicyConfiguration) -> Attributes {
    let text_bound = |value: Option<f64>| -> Value {
        value
            .map(|number| Value::String(crate::value::format_number(number)))
            .unwrap_or_default()
    };
    let mut map = Attributes::new();
    map.insert(
        "adjustment_type".into(),
        config
            .adjustment_type()
            .map(|kind| Value::string(kind.as_str()))
            .unwrap_or_default(),
    );
    map.insert(
        "cooldown".into(),
        config.cooldown().map(Value::from).unwrap_or_default(),
    );
    map.insert(
        "metric_aggregation_type".into(),
        config
            .metric_aggregation_type()
            .map(|kind| Value::string(kind.as_str()))
            .unwrap_or_default(),
    );
    map.insert(
        "min_adjustment_magnitude".into(),
        config
            .min_adjustment_magnitude()
            .map(Value::from)
            .unwrap_or_default(),
    );
    map.insert(
        "step_adjustment".into(),
        block_value(
            config
                .step_adjustments()
                .iter()
                .map(|step| {
                    let mut entry = Attributes::new();
                    entry.insert(
                        "metric_interval_lower_bound".into(),
                        text_bound(step.metric_interval_lower_bound()),
                    );
                    entry.insert(
                        "metric_interval_upper_bound".into(),
                        text_bound(step.metric_interval_upper_bound()),
                    );
                    entry.insert(
                        "scaling_adjustment".into(),
                        Value::from(step.scaling_adjustment()),
                    );
                    entry
                }),
        ),
    );
    map
}

fn tracking_configuration(
    desired: &Attributes,
) -> Result<TargetTrackingScalingPolicyConfiguration, ProviderError> {
    let policy_type = policy_type(desired);
    if policy_type != TARGET_TRACKING {
        return Err(ProviderError::invalid(
            "policy_type",
            format!("`{policy_type}` has no target tracking configuration"),
        ));
    }
    const BLOCK: &str = "target_tracking_scaling_policy_configuration";
    let config = block(desired, BLOCK)
        .ok_or_else(|| ProviderError::invalid(BLOCK, "is required for TargetTrackingScaling"))?;
    let metric = block(config, "predefined_metric_specification").ok_or_else(|| {
        ProviderError::invalid(
            "predefined_metric_specification",
            "is required (customized metrics are not supported)",
        )
    })?;
    let target_value = config
        .get("target_value")
        .and_then(Value::as_f64)
        .ok_or_else(|| ProviderError::invalid("target_value", "must be a number"))?;
    TargetTrackingScalingPolicyConfiguration::builder()
        .target_value(target_value)
        .predefined_metric_specification(
            PredefinedMetricSpecification::builder()
                .set_predefined_metric_type(
                    optional_string(metric, "predefined_metric_type")
                        .map(|kind| MetricType::from(kind.as_str())),
                )
                .set_resource_label(optional_string(metric, "resource_label"))
                .build()
                .map_err(|error| {
                    ProviderError::invalid("predefined_metric_specification", error.to_string())
                })?,
        )
        .set_disable_scale_in(optional_bool(config, "disable_scale_in"))
        .set_scale_in_cooldown(optional_i32(config, "scale_in_cooldown")?)
        .set_scale_out_cooldown(optional_i32(config, "scale_out_cooldown")?)
        .build()
        .map_err(|error| ProviderError::invalid(BLOCK, error.to_string()))
}

async fn describe(
    context: &ProviderContext,
    attributes: &Attributes,
) -> Result<Option<ScalingPolicy>, ProviderError> {
    let name = required_string(attributes, "name")?;
    let (namespace, resource_id, dimension) = keys(attributes)?;
    let output = context
        .aws()
        .autoscaling
        .describe_scaling_policies()
        .service_namespace(namespace)
        .resource_id(&resource_id)
        .scalable_dimension(dimension)
        .policy_names(&name)
        .send()
        .await
        .map_err(|error| sdk_error("DescribeScalingPolicies", error))?;
    Ok(output
        .scaling_policies()
        .iter()
        .find(|policy| policy.policy_name() == name && policy.resource_id() == resource_id)
        .cloned())
}

fn policy_attributes(policy: &ScalingPolicy, prior: &Attributes) -> Attributes {
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::string(policy.policy_name()));
    attributes.insert("name".into(), Value::string(policy.policy_name()));
    attributes.insert("arn".into(), Value::string(policy.policy_arn()));
    attributes.insert(
        "alarm_arns".into(),
        string_list_value(policy.alarms().iter().map(|alarm| alarm.alarm_arn())),
    );
    attributes.insert(
        "service_namespace".into(),
        Value::string(policy.service_namespace().as_str()),
    );
    attributes.insert("resource_id".into(), Value::string(policy.resource_id()));
    attributes.insert(
        "scalable_dimension".into(),
        Value::string(policy.scalable_dimension().as_str()),
    );
    attributes.insert(
        "policy_type".into(),
        Value::string(policy.policy_type().as_str()),
    );
    let prior_config = block(prior, "target_tracking_scaling_policy_configuration");
    let tracking = policy
        .target_tracking_scaling_policy_configuration()
        .map(|config| {
            let mut map = Attributes::new();
            map.insert("target_value".into(), Value::Number(config.target_value()));
            map.insert(
                "disable_scale_in".into(),
                config.disable_scale_in().unwrap_or(false).into(),
            );
            for (name, found) in [
                ("scale_in_cooldown", config.scale_in_cooldown()),
                ("scale_out_cooldown", config.scale_out_cooldown()),
            ] {
                map.insert(
                    name.into(),
                    found.map(Value::from).unwrap_or_else(|| {
                        prior_config
                            .and_then(|prior| prior.get(name).cloned())
                            .unwrap_or_default()
                    }),
                );
            }
            let metric = config.predefined_metric_specification().map(|metric| {
                let mut entry = Attributes::new();
                entry.insert(
                    "predefined_metric_type".into(),
                    Value::string(metric.predefined_metric_type().as_str()),
                );
                entry.insert(
                    "resource_label".into(),
                    metric
                        .resource_label()
                        .map(Value::string)
                        .unwrap_or_default(),
                );
                entry
            });
            map.insert(
                "predefined_metric_specification".into(),
                block_value(metric),
            );
            map
        });
    attributes.insert(
        "target_tracking_scaling_policy_configuration".into(),
        block_value(tracking),
    );
    attributes.insert(
        STEP_BLOCK.into(),
        block_value(
            policy
                .step_scaling_policy_configuration()
                .map(step_block),
        ),
    );
    attributes
}

async fn put(context: &ProviderContext, desired: &Attributes) -> Result<(), ProviderError> {
    let request = context.aws().autoscaling.put_scaling_policy();
    let request = match policy_type(desired).as_str() {
        TARGET_TRACKING => request
            .policy_type(PolicyType::TargetTrackingScaling)
            .target_tracking_scaling_policy_configuration(tracking_configuration(desired)?),
        STEP_SCALING => request
            .policy_type(PolicyType::StepScaling)
            .step_scaling_policy_configuration(step_configuration(desired)?),
        other => {
            return Err(ProviderError::invalid(
                "policy_type",
                format!("`{other}` is not `{STEP_SCALING}` or `{TARGET_TRACKING}`"),
            ))
        }
    };
    let (namespace, resource_id, dimension) = keys(desired)?;
    request
        .policy_name(required_string(desired, "name")?)
        .service_namespace(namespace)
        .resource_id(resource_id)
        .scalable_dimension(dimension)
        .send()
        .await
        .map(|_| ())
        .map_err(|error| sdk_error("PutScalingPolicy", error))
}

#[async_trait]
impl Resource for AppautoscalingPolicy {
    fn type_name(&self) -> &'static str {
        "aws_appautoscaling_policy"
    }

    fn import_id(&self) -> String {
        "service namespace/resource id/scalable dimension/policy name (ecs/service/cluster/web/ecs:service:DesiredCount/cpu)".to_string()
    }

    async fn import(
        &self,
        context: &ProviderContext,
        import_id: &str,
    ) -> Result<Option<Attributes>, ProviderError> {
        const FORMAT: &str = "service-namespace/resource-id/scalable-dimension/policy-name";
        let (target, name) = import_id
            .rsplit_once('/')
            .filter(|(_, name)| !name.is_empty())
            .ok_or_else(|| crate::aws::kit::import_id::bad(import_id, FORMAT))?;
        let mut prior = super::appautoscaling_target::target_keys(target, FORMAT)?;
        prior.insert("name".into(), Value::string(name));
        self.read(context, name, &prior).await
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        put(context, desired).await?;
        let found = describe(context, desired).await?.ok_or_else(|| {
            ProviderError::Refused("the scaling policy is missing after PutScalingPolicy".into())
        })?;
        Ok(policy_attributes(&found, desired))
    }

    async fn read(
        &self,
        context: &ProviderContext,
        _id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        Ok(describe(context, prior)
            .await?
            .map(|policy| policy_attributes(&policy, prior)))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        put(context, desired).await?;
        self.read(context, id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("scaling policy {id} disappeared during update"))
        })
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        _id: &str,
        prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let (namespace, resource_id, dimension) = keys(prior)?;
        match context
            .aws()
            .autoscaling
            .delete_scaling_policy()
            .policy_name(required_string(prior, "name")?)
            .service_namespace(namespace)
            .resource_id(resource_id)
            .scalable_dimension(dimension)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(error) => {
                let error = sdk_error("DeleteScalingPolicy", error);
                if super::is_validation_not_found(&error) {
                    return Ok(());
                }
                crate::aws::kit::ok_if_gone(error)
            }
        }
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        Ok(describe(context, desired)
            .await?
            .map(|policy| policy_attributes(&policy, desired)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cpu_policy(policy_type: &str) -> Attributes {
        let mut metric = Attributes::new();
        metric.insert(
            "predefined_metric_type".into(),
            Value::string("ECSServiceAverageCPUUtilization"),
        );
        let mut config = Attributes::new();
        config.insert("target_value".into(), Value::Number(70.0));
        config.insert("scale_in_cooldown".into(), Value::Number(300.0));
        config.insert(
            "predefined_metric_specification".into(),
            block_value(vec![metric]),
        );
        let mut desired = Attributes::new();
        desired.insert("policy_type".into(), Value::string(policy_type));
        desired.insert(
            "target_tracking_scaling_policy_configuration".into(),
            block_value(vec![config]),
        );
        desired
    }

    #[test]
    fn target_tracking_blocks_build_the_request() {
        let built = tracking_configuration(&cpu_policy(TARGET_TRACKING)).expect("builds");
        assert_eq!(built.target_value(), 70.0);
        assert_eq!(built.scale_in_cooldown(), Some(300));
        assert_eq!(
            built
                .predefined_metric_specification()
                .map(|metric| metric.predefined_metric_type().clone()),
            Some(MetricType::EcsServiceAverageCpuUtilization)
        );
    }

    #[test]
    fn step_scaling_needs_its_block_and_builds_the_request() {
        let error = step_configuration(&cpu_policy("StepScaling")).expect_err("refused");
        assert!(error.to_string().contains(STEP_BLOCK), "{error}");

        let step = |lower: &str, upper: Option<&str>, adjustment: f64| {
            let mut entry = Attributes::new();
            entry.insert("metric_interval_lower_bound".into(), Value::string(lower));
            entry.insert(
                "metric_interval_upper_bound".into(),
                upper.map(Value::string).unwrap_or_default(),
            );
            entry.insert("scaling_adjustment".into(), Value::Number(adjustment));
            Value::Map(entry)
        };
        let mut config = Attributes::new();
        config.insert("adjustment_type".into(), Value::string("ChangeInCapacity"));
        config.insert("cooldown".into(), Value::Number(60.0));
        config.insert("metric_aggregation_type".into(), Value::string("Maximum"));
        config.insert(
            "step_adjustment".into(),
            Value::List(vec![step("0", Some("10"), 1.0), step("10", None, 3.0)]),
        );
        let mut desired = cpu_policy("StepScaling");
        desired.insert(STEP_BLOCK.into(), Value::List(vec![Value::Map(config)]));
        let built = step_configuration(&desired).expect("configuration");
        assert_eq!(built.cooldown(), Some(60));
        assert_eq!(built.step_adjustments().len(), 2);
        assert_eq!(
            built.step_adjustments()[1].metric_interval_upper_bound(),
            None
        );
        let read = step_block(&built);
        assert_eq!(
            read.get("step_adjustment")
                .and_then(Value::as_list)
                .map(<[Value]>::len),
            Some(2)
        );
    }
}
