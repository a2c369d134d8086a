//! `aws_appautoscaling_policy`: an Application Auto Scaling target tracking policy.
//!
//! AWS calls: PutScalingPolicy (create and update: the call is an upsert by name),
//! DescribeScalingPolicies (read, recovery), DeleteScalingPolicy.
//!
//! Replacement: a change of `name`, `service_namespace`, `resource_id` or `scalable_dimension`.
//! The policy type and its target tracking configuration change in place. `id` is the name,
//! as in Terraform. Recovery: the policy is identified by name and target, so `recover`
//! reads it.
//!
//! Only `TargetTrackingScaling` with a `predefined_metric_specification` is supported
//! (`ECSServiceAverageCPUUtilization`, `ECSServiceAverageMemoryUtilization`, ...): a
//! `StepScaling` policy (Terraform's default `policy_type`) is refused at apply with a message
//! saying so; `step_scaling_policy_configuration` and customized metrics are not in the schema.

use crate::aws::AwsContext;
use async_trait::async_trait;
use aws_sdk_applicationautoscaling::types::{
    MetricType, PolicyType, PredefinedMetricSpecification, ScalingPolicy,
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
                    .default("StepScaling")
                    .describe("Only `TargetTrackingScaling` is supported."),
            ])
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

fn tracking_configuration(
    desired: &Attributes,
) -> Result<TargetTrackingScalingPolicyConfiguration, ProviderError> {
    let policy_type =
        optional_string(desired, "policy_type").unwrap_or_else(|| "StepScaling".into());
    if policy_type != TARGET_TRACKING {
        return Err(ProviderError::invalid(
            "policy_type",
            format!("`{policy_type}` is not supported: only `{TARGET_TRACKING}` policies are"),
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
    attributes
}

async fn put(context: &ProviderContext, desired: &Attributes) -> Result<(), ProviderError> {
    let configuration = tracking_configuration(desired)?;
    let (namespace, resource_id, dimension) = keys(desired)?;
    context
        .aws()
        .autoscaling
        .put_scaling_policy()
        .policy_name(required_string(desired, "name")?)
        .service_namespace(namespace)
        .resource_id(resource_id)
        .scalable_dimension(dimension)
        .policy_type(PolicyType::TargetTrackingScaling)
        .target_tracking_scaling_policy_configuration(configuration)
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
    fn step_scaling_is_refused_with_a_reason() {
        let error = tracking_configuration(&cpu_policy("StepScaling")).expect_err("refused");
        assert!(error.to_string().contains("only `TargetTrackingScaling`"));
    }
}
