//! `aws_lb_target_group`: an ELBv2 target group (instance, ip or lambda targets) with its
//! health check and stickiness settings.
//!
//! AWS calls: CreateTargetGroup (health check settings and tags in the same call),
//! DescribeTargetGroups (by ARN; by name for recovery), ModifyTargetGroup (health check in
//! place), DescribeTargetGroupAttributes / ModifyTargetGroupAttributes
//! (`deregistration_delay`, the `stickiness` block), DescribeTags / AddTags / RemoveTags,
//! DeleteTargetGroup.
//!
//! Replacement: a change of `name`, `port`, `protocol`, `protocol_version`, `vpc_id` or
//! `target_type`. The health check, stickiness, deregistration delay and tags change in place.
//!
//! Readiness: usable at once; `wait_until_ready` sets the attributes CreateTargetGroup takes
//! none of (deregistration delay, stickiness) and reads.
//!
//! Deletion: DeleteTargetGroup, retried while AWS answers `ResourceInUse` (a listener or rule
//! being deleted still forwards to it). A target group already gone is success.
//!
//! Recovery: the name is deterministic (the spec's `name`, else `tf-` + the idempotency token),
//! so `recover` describes the target group by name and adopts it only when it carries this
//! stack's `provision:*` tags.
//!
//! moto 5.2.1 (the test cloud): answers the health check port as the target group's port when
//! none was set (AWS answers `traffic-port`); both read back as given when the spec sets them.
//!
//! Drift: `list_managed` is GetResources of the Resource Groups Tagging API (`elasticloadbalancing:targetgroup`).

use crate::aws::kit::attributes;
use crate::aws::kit::naming::generated_name;
use crate::aws::kit::tags::{carries_recovery_tags, sync_tags};
use crate::aws::AwsContext;
use std::collections::BTreeMap;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_elasticloadbalancingv2::types::{
    Matcher, ProtocolEnum, TargetGroup, TargetGroupAttribute, TargetTypeEnum,
};

use crate::aws::elbv2::{arn_suffix, describe_tags, elb_tags, ElbTags};
use crate::aws::{found, sdk_error};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::{format_number, Value};

/// How long a delete keeps retrying while a listener still uses the target group.
const IN_USE_LIMIT: Duration = Duration::from_secs(5 * 60);
/// AWS's deregistration delay when none is set.
const DEFAULT_DEREGISTRATION_DELAY: f64 = 300.0;
/// AWS's load balancer cookie duration when none is set (one day).
const DEFAULT_COOKIE_DURATION: f64 = 86400.0;

pub struct LbTargetGroup {
    schema: Schema,
}

impl LbTargetGroup {
    pub fn new() -> Self {
        LbTargetGroup {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The target group ARN."),
                Attribute::computed("arn", AttrType::String),
                Attribute::computed("arn_suffix", AttrType::String)
                    .describe("`targetgroup/<name>/<id>`, for CloudWatch metrics."),
                Attribute::optional_computed("name", AttrType::String)
                    .force_new()
                    .describe("Up to 32 letters, digits and hyphens; `tf-...` when absent."),
                Attribute::optional("port", AttrType::Number).force_new(),
                Attribute::optional("protocol", AttrType::String)
                    .force_new()
                    .describe("`HTTP`, `HTTPS`, `TCP`, ..."),
                Attribute::optional_computed("protocol_version", AttrType::String).force_new(),
                Attribute::optional("vpc_id", AttrType::String).force_new(),
                Attribute::optional("target_type", AttrType::String)
                    .default("instance")
                    .force_new()
                    .describe("`instance`, `ip`, `lambda` or `alb`."),
                Attribute::optional("deregistration_delay", AttrType::Number)
                    .default(DEFAULT_DEREGISTRATION_DELAY)
                    .describe("Seconds to drain a deregistering target."),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ])
            .with_block(NestedBlock {
                name: "health_check",
                nesting: BlockNesting::Single,
                schema: Schema::new(vec![
                    Attribute::optional_computed("enabled", AttrType::Bool),
                    Attribute::optional_computed("path", AttrType::String),
                    Attribute::optional_computed("port", AttrType::String)
                        .describe("A port number or `traffic-port`."),
                    Attribute::optional_computed("protocol", AttrType::String),
                    Attribute::optional_computed("matcher", AttrType::String)
                        .describe("HTTP codes of a healthy answer (`200`, `200-299`)."),
                    Attribute::optional_computed("interval", AttrType::Number),
                    Attribute::optional_computed("timeout", AttrType::Number),
                    Attribute::optional_computed("healthy_threshold", AttrType::Number),
                    Attribute::optional_computed("unhealthy_threshold", AttrType::Number),
                ]),
                force_new: false,
                computed: true,
            })
            .with_block(NestedBlock {
                name: "stickiness",
                nesting: BlockNesting::Single,
                schema: Schema::new(vec![
                    Attribute::optional("enabled", AttrType::Bool).default(true),
                    Attribute::required("type", AttrType::String)
                        .describe("`lb_cookie`, `app_cookie` or `source_ip`."),
                    Attribute::optional_computed("cookie_duration", AttrType::Number)
                        .describe("Seconds a load balancer cookie keeps a client on its target."),
                    Attribute::optional("cookie_name", AttrType::String)
                        .describe("The application cookie (`app_cookie` only)."),
                ]),
                force_new: false,
                computed: true,
            }),
        }
    }
}

impl Default for LbTargetGroup {
    fn default() -> Self {
        LbTargetGroup::new()
    }
}

fn wanted_name(context: &ProviderContext, attributes: &Attributes) -> String {
    attributes::optional_string(attributes, "name")
        .unwrap_or_else(|| generated_name("tf-", &context.idempotency_token))
}

fn single_block<'a>(attributes: &'a Attributes, name: &str) -> Option<&'a BTreeMap<String, Value>> {
    attributes
        .get(name)
        .and_then(Value::as_list)
        .and_then(|blocks| blocks.first())
        .and_then(Value::as_map)
}

/// The health check settings of the spec (`None` for what it leaves to AWS).
#[derive(Debug, Default, PartialEq)]
struct HealthCheck {
    enabled: Option<bool>,
    path: Option<String>,
    port: Option<String>,
    protocol: Option<String>,
    matcher: Option<String>,
    interval: Option<i32>,
    timeout: Option<i32>,
    healthy_threshold: Option<i32>,
    unhealthy_threshold: Option<i32>,
}

impl HealthCheck {
    fn from_attributes(attributes: &Attributes) -> HealthCheck {
        let Some(block) = single_block(attributes, "health_check") else {
            return HealthCheck::default();
        };
        let text = |name: &str| block.get(name).and_then(Value::to_template_string);
        let number = |name: &str| {
            block
                .get(name)
                .and_then(Value::as_f64)
                .map(|value| value as i32)
        };
        HealthCheck {
            enabled: block.get("enabled").and_then(Value::as_bool),
            path: text("path"),
            port: text("port"),
            protocol: text("protocol"),
            matcher: text("matcher"),
            interval: number("interval"),
            timeout: number("timeout"),
            healthy_threshold: number("healthy_threshold"),
            unhealthy_threshold: number("unhealthy_threshold"),
        }
    }
}

/// The target group attributes `desired` asks for that differ from `prior` (every one the spec
/// sets when there is no prior).
fn attribute_changes(
    prior: Option<&Attributes>,
    desired: &Attributes,
) -> Vec<TargetGroupAttribute> {
    let mut wanted: Vec<(&str, String)> = Vec::new();
    let delay = desired
        .get("deregistration_delay")
        .and_then(Value::as_f64)
        .unwrap_or(DEFAULT_DEREGISTRATION_DELAY);
    wanted.push(("deregistration_delay.timeout_seconds", format_number(delay)));
    if let Some(block) = single_block(desired, "stickiness") {
        let enabled = block
            .get("enabled")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        wanted.push(("stickiness.enabled", enabled.to_string()));
        if let Some(kind) = block.get("type").and_then(Value::to_template_string) {
            if kind == "lb_cookie" {
                if let Some(duration) = block.get("cookie_duration").and_then(Value::as_f64) {
                    wanted.push((
                        "stickiness.lb_cookie.duration_seconds",
                        format_number(duration),
                    ));
                }
            }
            if kind == "app_cookie" {
                if let Some(name) = block.get("cookie_name").and_then(Value::to_template_string) {
                    wanted.push(("stickiness.app_cookie.cookie_name", name));
                }
                if let Some(duration) = block.get("cookie_duration").and_then(Value::as_f64) {
                    wanted.push((
                        "stickiness.app_cookie.duration_seconds",
                        format_number(duration),
                    ));
                }
            }
            wanted.push(("stickiness.type", kind));
        }
    }
    let had: BTreeMap<String, String> = match prior {
        Some(prior) => attribute_changes(None, prior)
            .iter()
            .filter_map(|entry| Some((entry.key()?.to_string(), entry.value()?.to_string())))
            .collect(),
        None => BTreeMap::new(),
    };
    wanted
        .into_iter()
        .filter(|(key, value)| had.get(*key) != Some(value))
        .map(|(key, value)| {
            TargetGroupAttribute::builder()
                .key(key)
                .value(value)
                .build()
        })
        .collect()
}

#[async_trait]
impl Resource for LbTargetGroup {
    fn type_name(&self) -> &'static str {
        "aws_lb_target_group"
    }

    fn import_id(&self) -> String {
        "target group ARN".to_string()
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
            "elasticloadbalancing:targetgroup",
            ArnId::Arn,
        )
        .await
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let name = wanted_name(context, desired);
        let check = HealthCheck::from_attributes(desired);
        let output = context
            .aws()
            .elbv2
            .create_target_group()
            .name(&name)
            .set_protocol(
                attributes::optional_string(desired, "protocol")
                    .map(|protocol| ProtocolEnum::from(protocol.as_str())),
            )
            .set_protocol_version(attributes::optional_string(desired, "protocol_version"))
            .set_port(attributes::optional_i64(desired, "port").map(|port| port as i32))
            .set_vpc_id(attributes::optional_string(desired, "vpc_id"))
            .set_target_type(
                attributes::optional_string(desired, "target_type")
                    .map(|kind| TargetTypeEnum::from(kind.as_str())),
            )
            .set_health_check_enabled(check.enabled)
            .set_health_check_path(check.path)
            .set_health_check_port(check.port)
            .set_health_check_protocol(
                check
                    .protocol
                    .map(|protocol| ProtocolEnum::from(protocol.as_str())),
            )
            .set_health_check_interval_seconds(check.interval)
            .set_health_check_timeout_seconds(check.timeout)
            .set_healthy_threshold_count(check.healthy_threshold)
            .set_unhealthy_threshold_count(check.unhealthy_threshold)
            .set_matcher(
                check
                    .matcher
                    .map(|codes| Matcher::builder().http_code(codes).build()),
            )
            .set_tags(Some(elb_tags(&context.tags_for(desired))))
            .send()
            .await
            .map_err(|error| sdk_error("CreateTargetGroup", error))?;
        let group = output.target_groups().first().ok_or_else(|| {
            ProviderError::Refused("CreateTargetGroup answered no target group".to_string())
        })?;
        let arn = group.target_group_arn().unwrap_or_default().to_string();
        let mut attributes = desired.clone();
        attributes.insert("id".into(), Value::string(&arn));
        attributes.insert("arn".into(), Value::string(&arn));
        attributes.insert("name".into(), Value::string(&name));
        Ok(attributes)
    }

    async fn wait_until_ready(
        &self,
        context: &ProviderContext,
        created: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let arn = attributes::required_string(created, "id")?;
        modify_attributes(context, &arn, None, created).await?;
        self.read(context, &arn, created).await?.ok_or_else(|| {
            ProviderError::Refused(format!("target group {arn} disappeared while waiting"))
        })
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let Some(group) = describe(context, id).await? else {
            return Ok(None);
        };
        let answer = context
            .aws()
            .elbv2
            .describe_target_group_attributes()
            .target_group_arn(id)
            .send()
            .await
            .map_err(|error| sdk_error("DescribeTargetGroupAttributes", error));
        let Some(output) = found(answer)? else {
            return Ok(None);
        };
        let settings = output.attributes().to_vec();
        let Some(tags) = describe_tags(context, id).await? else {
            return Ok(None);
        };
        Ok(Some(group_attributes(context, &group, &settings, tags)))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let wanted = HealthCheck::from_attributes(desired);
        let had = HealthCheck::from_attributes(prior);
        // Only what the spec sets and differs; the rest stays as AWS has it.
        let differs =
            |wanted: &Option<String>, had: &Option<String>| wanted.is_some() && wanted != had;
        let differs_number =
            |wanted: &Option<i32>, had: &Option<i32>| wanted.is_some() && wanted != had;
        if (wanted.enabled.is_some() && wanted.enabled != had.enabled)
            || differs(&wanted.path, &had.path)
            || differs(&wanted.port, &had.port)
            || differs(&wanted.protocol, &had.protocol)
            || differs(&wanted.matcher, &had.matcher)
            || differs_number(&wanted.interval, &had.interval)
            || differs_number(&wanted.timeout, &had.timeout)
            || differs_number(&wanted.healthy_threshold, &had.healthy_threshold)
            || differs_number(&wanted.unhealthy_threshold, &had.unhealthy_threshold)
        {
            context
                .aws()
                .elbv2
                .modify_target_group()
                .target_group_arn(id)
                .set_health_check_enabled(wanted.enabled)
                .set_health_check_path(wanted.path)
                .set_health_check_port(wanted.port)
                .set_health_check_protocol(
                    wanted
                        .protocol
                        .map(|protocol| ProtocolEnum::from(protocol.as_str())),
                )
                .set_health_check_interval_seconds(wanted.interval)
                .set_health_check_timeout_seconds(wanted.timeout)
                .set_healthy_threshold_count(wanted.healthy_threshold)
                .set_unhealthy_threshold_count(wanted.unhealthy_threshold)
                .set_matcher(
                    wanted
                        .matcher
                        .map(|codes| Matcher::builder().http_code(codes).build()),
                )
                .send()
                .await
                .map_err(|error| sdk_error("ModifyTargetGroup", error))?;
        }
        modify_attributes(context, id, Some(prior), desired).await?;
        sync_tags(&ElbTags, context, id, prior, desired).await?;
        self.read(context, id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("target group {id} disappeared during update"))
        })
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        crate::aws::kit::wait::send_delete_retrying_on(
            "DeleteTargetGroup",
            &format!("target group {id} to be unused"),
            IN_USE_LIMIT,
            &["ResourceInUse"],
            || {
                context
                    .aws()
                    .elbv2
                    .delete_target_group()
                    .target_group_arn(id)
                    .send()
            },
        )
        .await
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let name = wanted_name(context, desired);
        let found = match context
            .aws()
            .elbv2
            .describe_target_groups()
            .names(&name)
            .send()
            .await
        {
            Ok(output) => output.target_groups().first().cloned(),
            Err(error) => {
                let error = sdk_error("DescribeTargetGroups", error);
                return crate::aws::kit::none_if_gone(error);
            }
        };
        let Some(group) = found else {
            return Ok(None);
        };
        let arn = group.target_group_arn().unwrap_or_default().to_string();
        let Some(tags) = describe_tags(context, &arn).await? else {
            return Ok(None);
        };
        if !carries_recovery_tags(context, &tags) {
            return Ok(None);
        }
        // The attributes are (re)applied by `wait_until_ready`.
        let mut attributes = group_attributes(context, &group, &[], tags);
        for setting in ["deregistration_delay", "stickiness"] {
            attributes.insert(
                setting.into(),
                desired.get(setting).cloned().unwrap_or_default(),
            );
        }
        Ok(Some(attributes))
    }
}

/// DescribeTargetGroups by ARN (`None` when gone).
async fn describe(
    context: &ProviderContext,
    arn: &str,
) -> Result<Option<TargetGroup>, ProviderError> {
    match context
        .aws()
        .elbv2
        .describe_target_groups()
        .target_group_arns(arn)
        .send()
        .await
    {
        Ok(output) => Ok(output.target_groups().first().cloned()),
        Err(error) => {
            let error = sdk_error("DescribeTargetGroups", error);
            crate::aws::kit::none_if_gone(error)
        }
    }
}

async fn modify_attributes(
    context: &ProviderContext,
    arn: &str,
    prior: Option<&Attributes>,
    desired: &Attributes,
) -> Result<(), ProviderError> {
    let changes = attribute_changes(prior, desired);
    if changes.is_empty() {
        return Ok(());
    }
    context
        .aws()
        .elbv2
        .modify_target_group_attributes()
        .target_group_arn(arn)
        .set_attributes(Some(changes))
        .send()
        .await
        .map(|_| ())
        .map_err(|error| sdk_error("ModifyTargetGroupAttributes", error))
}

fn group_attributes(
    context: &ProviderContext,
    group: &TargetGroup,
    settings: &[TargetGroupAttribute],
    tags: BTreeMap<String, String>,
) -> Attributes {
    let arn = group.target_group_arn().unwrap_or_default();
    let setting = |key: &str| {
        settings
            .iter()
            .find(|entry| entry.key() == Some(key))
            .and_then(|entry| entry.value())
    };
    let number = |value: Option<i32>| {
        value
            .map(|value| Value::Number(value.into()))
            .unwrap_or_default()
    };
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::string(arn));
    attributes.insert("arn".into(), Value::string(arn));
    attributes.insert("arn_suffix".into(), Value::string(arn_suffix(arn)));
    attributes.insert(
        "name".into(),
        group
            .target_group_name()
            .map(Value::string)
            .unwrap_or_default(),
    );
    attributes.insert("port".into(), number(group.port()));
    attributes.insert(
        "protocol".into(),
        group
            .protocol()
            .map(|protocol| Value::string(protocol.as_str()))
            .unwrap_or_default(),
    );
    attributes.insert(
        "protocol_version".into(),
        group
            .protocol_version()
            .map(Value::string)
            .unwrap_or_default(),
    );
    attributes.insert(
        "vpc_id".into(),
        group.vpc_id().map(Value::string).unwrap_or_default(),
    );
    attributes.insert(
        "target_type".into(),
        Value::string(
            group
                .target_type()
                .map(|kind| kind.as_str())
                .unwrap_or("instance"),
        ),
    );
    attributes.insert(
        "deregistration_delay".into(),
        Value::Number(
            setting("deregistration_delay.timeout_seconds")
                .and_then(|value| value.parse().ok())
                .unwrap_or(DEFAULT_DEREGISTRATION_DELAY),
        ),
    );
    let mut check = BTreeMap::new();
    check.insert(
        "enabled".to_string(),
        Value::Bool(group.health_check_enabled().unwrap_or(true)),
    );
    check.insert(
        "path".to_string(),
        group
            .health_check_path()
            .map(Value::string)
            .unwrap_or_default(),
    );
    check.insert(
        "port".to_string(),
        group
            .health_check_port()
            .map(Value::string)
            .unwrap_or_default(),
    );
    check.insert(
        "protocol".to_string(),
        group
            .health_check_protocol()
            .map(|protocol| Value::string(protocol.as_str()))
            .unwrap_or_default(),
    );
    check.insert(
        "matcher".to_string(),
        group
            .matcher()
            .and_then(|matcher| matcher.http_code())
            .map(Value::string)
            .unwrap_or_default(),
    );
    check.insert(
        "interval".to_string(),
        number(group.health_check_interval_seconds()),
    );
    check.insert(
        "timeout".to_string(),
        number(group.health_check_timeout_seconds()),
    );
    check.insert(
        "healthy_threshold".to_string(),
        number(group.healthy_threshold_count()),
    );
    check.insert(
        "unhealthy_threshold".to_string(),
        number(group.unhealthy_threshold_count()),
    );
    attributes.insert("health_check".into(), Value::List(vec![Value::Map(check)]));
    let stickiness = match setting("stickiness.type") {
        Some(kind) => {
            let mut block = BTreeMap::new();
            block.insert(
                "enabled".to_string(),
                Value::Bool(setting("stickiness.enabled") == Some("true")),
            );
            block.insert("type".to_string(), Value::string(kind));
            let duration_key = if kind == "app_cookie" {
                "stickiness.app_cookie.duration_seconds"
            } else {
                "stickiness.lb_cookie.duration_seconds"
            };
            block.insert(
                "cookie_duration".to_string(),
                Value::Number(
                    setting(duration_key)
                        .and_then(|value| value.parse().ok())
                        .unwrap_or(DEFAULT_COOKIE_DURATION),
                ),
            );
            block.insert(
                "cookie_name".to_string(),
                setting("stickiness.app_cookie.cookie_name")
                    .filter(|name| !name.is_empty() && kind == "app_cookie")
                    .map(Value::string)
                    .unwrap_or_default(),
            );
            vec![Value::Map(block)]
        }
        None => Vec::new(),
    };
    attributes.insert("stickiness".into(), Value::List(stickiness));
    let (tags, tags_all) = crate::aws::kit::tags::split_tags(context, tags);
    attributes.insert("tags".into(), tags);
    attributes.insert("tags_all".into(), tags_all);
    attributes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: Vec<(&str, Value)>) -> Value {
        Value::Map(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    fn spec(duration: f64) -> Attributes {
        let mut attributes = Attributes::new();
        attributes.insert("deregistration_delay".into(), Value::Number(30.0));
        attributes.insert(
            "stickiness".into(),
            Value::List(vec![map(vec![
                ("enabled", Value::Bool(true)),
                ("type", Value::string("lb_cookie")),
                ("cookie_duration", Value::Number(duration)),
                ("cookie_name", Value::Null),
            ])]),
        );
        attributes
    }

    fn pairs(changes: &[TargetGroupAttribute]) -> Vec<(String, String)> {
        changes
            .iter()
            .map(|entry| {
                (
                    entry.key().unwrap_or("").to_string(),
                    entry.value().unwrap_or("").to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn a_new_target_group_sets_delay_and_lb_cookie_stickiness() {
        assert_eq!(
            pairs(&attribute_changes(None, &spec(86400.0))),
            [
                (
                    "deregistration_delay.timeout_seconds".to_string(),
                    "30".to_string()
                ),
                ("stickiness.enabled".to_string(), "true".to_string()),
                (
                    "stickiness.lb_cookie.duration_seconds".to_string(),
                    "86400".to_string()
                ),
                ("stickiness.type".to_string(), "lb_cookie".to_string()),
            ]
        );
    }

    #[test]
    fn an_update_sends_only_the_changed_cookie_duration() {
        assert_eq!(
            pairs(&attribute_changes(Some(&spec(86400.0)), &spec(3600.0))),
            [(
                "stickiness.lb_cookie.duration_seconds".to_string(),
                "3600".to_string()
            )]
        );
        assert!(attribute_changes(Some(&spec(3600.0)), &spec(3600.0)).is_empty());
    }

    #[test]
    fn health_check_block_is_read_from_the_spec() {
        let mut attributes = Attributes::new();
        attributes.insert(
            "health_check".into(),
            Value::List(vec![map(vec![
                ("path", Value::string("/health")),
                ("matcher", Value::string("200")),
                ("interval", Value::Number(30.0)),
                ("enabled", Value::Null),
            ])]),
        );
        let check = HealthCheck::from_attributes(&attributes);
        assert_eq!(check.path.as_deref(), Some("/health"));
        assert_eq!(check.interval, Some(30));
        assert_eq!(check.enabled, None);
        assert_eq!(
            HealthCheck::from_attributes(&Attributes::new()),
            HealthCheck::default()
        );
    }
}
