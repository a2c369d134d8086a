//! `aws_lb`: an Elastic Load Balancing v2 load balancer (application or network).
//!
//! AWS calls: CreateLoadBalancer (tags in the same call), DescribeLoadBalancers (by ARN; by name
//! for recovery), DescribeLoadBalancerAttributes / ModifyLoadBalancerAttributes (`idle_timeout`,
//! `enable_deletion_protection`), SetSubnets, SetSecurityGroups, DescribeTags / AddTags /
//! RemoveTags, DeleteLoadBalancer.
//!
//! Replacement: a change of `name`, `internal`, `load_balancer_type` or `ip_address_type`.
//! Subnets, security groups, idle timeout, deletion protection and tags change in place.
//!
//! Readiness: `create` returns as soon as the ARN is known (state `provisioning`);
//! `wait_until_ready` polls DescribeLoadBalancers until `active` (limit 10 minutes; `failed` is
//! an error), then sets the attributes and reads.
//!
//! Deletion: DeleteLoadBalancer (AWS refuses it while `enable_deletion_protection` is true, as
//! in Terraform), then polls until DescribeLoadBalancers no longer finds it. Its listeners go
//! with it. A load balancer already gone is success.
//!
//! Recovery: the name is deterministic (the spec's `name`, else `tf-lb-` + the idempotency
//! token), so `recover` describes the load balancer by name and adopts it only when it carries
//! this stack's `provision:*` tags.
//!
//! moto 5.2.1 (the test cloud): a load balancer is `provisioning` until the next describe, then
//! `active`; `idle_timeout.timeout_seconds` has no default there (`read` then reports 60, AWS's
//! default); deletion protection does not block DeleteLoadBalancer.
//!
//! Drift: `list_managed` is GetResources of the Resource Groups Tagging API (`elasticloadbalancing:loadbalancer`).

use crate::aws::kit::tags::{carries_recovery_tags, sync_tags};
use crate::aws::kit::ResultExt;
use crate::aws::kit::naming::generated_name;
use crate::aws::kit::attributes;
use crate::aws::AwsContext;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_elasticloadbalancingv2::types::{
    IpAddressType, LoadBalancer, LoadBalancerAttribute, LoadBalancerSchemeEnum,
    LoadBalancerStateEnum, LoadBalancerTypeEnum,
};

use crate::aws::elbv2::{
    arn_suffix, describe_tags, elb_tags, ElbTags,
};
use crate::aws::kit::wait::{self, Poll};
use crate::aws::{found, sdk_error};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

const ACTIVE_LIMIT: Duration = Duration::from_secs(10 * 60);
const DELETED_LIMIT: Duration = Duration::from_secs(10 * 60);
/// AWS's idle timeout when none is set.
const DEFAULT_IDLE_TIMEOUT: f64 = 60.0;

pub struct Lb {
    schema: Schema,
}

impl Lb {
    pub fn new() -> Self {
        Lb {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The load balancer ARN."),
                Attribute::computed("arn", AttrType::String),
                Attribute::computed("arn_suffix", AttrType::String)
                    .describe("`app/<name>/<id>`, for CloudWatch metrics."),
                Attribute::computed("dns_name", AttrType::String),
                Attribute::computed("zone_id", AttrType::String)
                    .describe("The canonical hosted zone id (for Route 53 alias records)."),
                Attribute::computed("vpc_id", AttrType::String),
                Attribute::optional_computed("name", AttrType::String)
                    .force_new()
                    .describe("Up to 32 letters, digits and hyphens; `tf-lb-...` when absent."),
                Attribute::optional("internal", AttrType::Bool)
                    .default(false)
                    .force_new(),
                Attribute::optional("load_balancer_type", AttrType::String)
                    .default("application")
                    .force_new()
                    .describe("`application`, `network` or `gateway`."),
                Attribute::optional_computed("ip_address_type", AttrType::String)
                    .force_new()
                    .describe("`ipv4` (AWS's default) or `dualstack`."),
                Attribute::optional_computed("subnets", AttrType::set_of_strings()),
                Attribute::optional_computed("security_groups", AttrType::set_of_strings()),
                Attribute::optional("idle_timeout", AttrType::Number)
                    .default(DEFAULT_IDLE_TIMEOUT)
                    .describe("Seconds a connection may be idle (application load balancers)."),
                Attribute::optional("enable_deletion_protection", AttrType::Bool).default(false),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ]),
        }
    }
}

impl Default for Lb {
    fn default() -> Self {
        Lb::new()
    }
}

fn wanted_name(context: &ProviderContext, attributes: &Attributes) -> String {
    attributes::optional_string(attributes, "name")
        .unwrap_or_else(|| generated_name("tf-lb-", &context.idempotency_token))
}

fn is_application(attributes: &Attributes) -> bool {
    attributes::optional_string(attributes, "load_balancer_type")
        .is_none_or(|kind| kind == "application")
}

#[async_trait]
impl Resource for Lb {
    fn type_name(&self) -> &'static str {
        "aws_lb"
    }

    fn import_id(&self) -> String {
        "load balancer ARN".to_string()
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
            "elasticloadbalancing:loadbalancer",
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
        let internal = attributes::optional_bool(desired, "internal").unwrap_or(false);
        let security_groups = attributes::string_list(desired, "security_groups");
        let output = context
            .aws()
            .elbv2
            .create_load_balancer()
            .name(&name)
            .set_subnets(Some(attributes::string_list(desired, "subnets")))
            .set_security_groups((!security_groups.is_empty()).then_some(security_groups))
            .scheme(if internal {
                LoadBalancerSchemeEnum::Internal
            } else {
                LoadBalancerSchemeEnum::InternetFacing
            })
            .r#type(LoadBalancerTypeEnum::from(
                attributes::optional_string(desired, "load_balancer_type")
                    .unwrap_or_else(|| "application".to_string())
                    .as_str(),
            ))
            .set_ip_address_type(
                attributes::optional_string(desired, "ip_address_type")
                    .map(|kind| IpAddressType::from(kind.as_str())),
            )
            .set_tags(Some(elb_tags(&context.tags_for(desired))))
            .send()
            .await
            .map_err(|error| sdk_error("CreateLoadBalancer", error))?;
        let balancer = output.load_balancers().first().ok_or_else(|| {
            ProviderError::Refused("CreateLoadBalancer answered no load balancer".to_string())
        })?;
        let arn = balancer.load_balancer_arn().unwrap_or_default().to_string();
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
        wait::until(
            &format!("load balancer {arn} to become active"),
            ACTIVE_LIMIT,
            || async {
                match describe(context, &arn).await? {
                    None => Err(ProviderError::Refused(format!(
                        "load balancer {arn} disappeared while waiting for it"
                    ))),
                    Some(found) => {
                        let state = found.state();
                        match state.and_then(|state| state.code()) {
                            Some(LoadBalancerStateEnum::Active)
                            | Some(LoadBalancerStateEnum::ActiveImpaired) => Ok(Poll::Ready(())),
                            Some(LoadBalancerStateEnum::Failed) => {
                                Err(ProviderError::Refused(format!(
                                    "load balancer {arn} failed: {}",
                                    state.and_then(|state| state.reason()).unwrap_or_default()
                                )))
                            }
                            _ => Ok(Poll::Pending),
                        }
                    }
                }
            },
        )
        .await?;
        modify_attributes(context, &arn, None, created).await?;
        self.read(context, &arn, created).await?.ok_or_else(|| {
            ProviderError::Refused(format!("load balancer {arn} disappeared while waiting"))
        })
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let Some(balancer) = describe(context, id).await? else {
            return Ok(None);
        };
        let answer = context
            .aws()
            .elbv2
            .describe_load_balancer_attributes()
            .load_balancer_arn(id)
            .send()
            .await
            .map_err(|error| sdk_error("DescribeLoadBalancerAttributes", error));
        let Some(output) = found(answer)? else {
            return Ok(None);
        };
        let settings = output.attributes().to_vec();
        let Some(tags) = describe_tags(context, id).await? else {
            return Ok(None);
        };
        Ok(Some(balancer_attributes(
            context, &balancer, &settings, tags, prior,
        )))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let client = &context.aws().elbv2;
        let mut wanted_subnets = attributes::string_list(desired, "subnets");
        let mut had_subnets = attributes::string_list(prior, "subnets");
        wanted_subnets.sort();
        had_subnets.sort();
        if !wanted_subnets.is_empty() && wanted_subnets != had_subnets {
            client
                .set_subnets()
                .load_balancer_arn(id)
                .set_subnets(Some(wanted_subnets))
                .send()
                .await
                .map_err(|error| sdk_error("SetSubnets", error))?;
        }
        let mut wanted_groups = attributes::string_list(desired, "security_groups");
        let mut had_groups = attributes::string_list(prior, "security_groups");
        wanted_groups.sort();
        had_groups.sort();
        if !wanted_groups.is_empty() && wanted_groups != had_groups {
            client
                .set_security_groups()
                .load_balancer_arn(id)
                .set_security_groups(Some(wanted_groups))
                .send()
                .await
                .map_err(|error| sdk_error("SetSecurityGroups", error))?;
        }
        modify_attributes(context, id, Some(prior), desired).await?;
        sync_tags(&ElbTags, context, id, prior, desired).await?;
        self.read(context, id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("load balancer {id} disappeared during update"))
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
            .elbv2
            .delete_load_balancer()
            .load_balancer_arn(id)
            .send()
            .await
.map_err(|error| sdk_error("DeleteLoadBalancer", error))
.gone_is_ok()?;
        wait::until(
            &format!("load balancer {id} to be deleted"),
            DELETED_LIMIT,
            || async {
                Ok(match describe(context, id).await? {
                    None => Poll::Ready(()),
                    Some(_) => Poll::Pending,
                })
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
            .describe_load_balancers()
            .names(&name)
            .send()
            .await
        {
            Ok(output) => output.load_balancers().first().cloned(),
            Err(error) => {
                let error = sdk_error("DescribeLoadBalancers", error);
                return crate::aws::kit::none_if_gone(error);
            }
        };
        let Some(balancer) = found else {
            return Ok(None);
        };
        let arn = balancer.load_balancer_arn().unwrap_or_default().to_string();
        let Some(tags) = describe_tags(context, &arn).await? else {
            return Ok(None);
        };
        if !carries_recovery_tags(context, &tags) {
            return Ok(None);
        }
        // The attributes are (re)applied by `wait_until_ready`.
        let mut attributes = balancer_attributes(context, &balancer, &[], tags, desired);
        for setting in ["idle_timeout", "enable_deletion_protection"] {
            attributes.insert(
                setting.into(),
                desired.get(setting).cloned().unwrap_or_default(),
            );
        }
        Ok(Some(attributes))
    }
}

/// DescribeLoadBalancers by ARN (`None` when gone).
async fn describe(
    context: &ProviderContext,
    arn: &str,
) -> Result<Option<LoadBalancer>, ProviderError> {
    match context
        .aws()
        .elbv2
        .describe_load_balancers()
        .load_balancer_arns(arn)
        .send()
        .await
    {
        Ok(output) => Ok(output.load_balancers().first().cloned()),
        Err(error) => {
            let error = sdk_error("DescribeLoadBalancers", error);
            crate::aws::kit::none_if_gone(error)
        }
    }
}

/// The load balancer attributes `desired` asks for that differ from `prior` (all of them when
/// there is no prior), as ModifyLoadBalancerAttributes entries.
fn attribute_changes(
    prior: Option<&Attributes>,
    desired: &Attributes,
) -> Vec<LoadBalancerAttribute> {
    let mut changes = Vec::new();
    let protection = attributes::optional_bool(desired, "enable_deletion_protection").unwrap_or(false);
    if prior.is_none_or(|prior| {
        attributes::optional_bool(prior, "enable_deletion_protection").unwrap_or(false) != protection
    }) {
        changes.push(
            LoadBalancerAttribute::builder()
                .key("deletion_protection.enabled")
                .value(protection.to_string())
                .build(),
        );
    }
    if is_application(desired) {
        let timeout = desired
            .get("idle_timeout")
            .and_then(Value::as_f64)
            .unwrap_or(DEFAULT_IDLE_TIMEOUT);
        if prior
            .is_none_or(|prior| prior.get("idle_timeout").and_then(Value::as_f64) != Some(timeout))
        {
            changes.push(
                LoadBalancerAttribute::builder()
                    .key("idle_timeout.timeout_seconds")
                    .value(crate::value::format_number(timeout))
                    .build(),
            );
        }
    }
    changes
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
        .modify_load_balancer_attributes()
        .load_balancer_arn(arn)
        .set_attributes(Some(changes))
        .send()
        .await
        .map(|_| ())
        .map_err(|error| sdk_error("ModifyLoadBalancerAttributes", error))
}

fn balancer_attributes(
    context: &ProviderContext,
    balancer: &LoadBalancer,
    settings: &[LoadBalancerAttribute],
    tags: std::collections::BTreeMap<String, String>,
    prior: &Attributes,
) -> Attributes {
    let arn = balancer.load_balancer_arn().unwrap_or_default();
    let setting = |key: &str| {
        settings
            .iter()
            .find(|entry| entry.key() == Some(key))
            .and_then(|entry| entry.value())
    };
    let kind = balancer
        .r#type()
        .map(|kind| kind.as_str().to_string())
        .unwrap_or_else(|| "application".to_string());
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::string(arn));
    attributes.insert("arn".into(), Value::string(arn));
    attributes.insert("arn_suffix".into(), Value::string(arn_suffix(arn)));
    attributes.insert(
        "dns_name".into(),
        balancer.dns_name().map(Value::string).unwrap_or_default(),
    );
    attributes.insert(
        "zone_id".into(),
        balancer
            .canonical_hosted_zone_id()
            .map(Value::string)
            .unwrap_or_default(),
    );
    attributes.insert(
        "vpc_id".into(),
        balancer.vpc_id().map(Value::string).unwrap_or_default(),
    );
    attributes.insert(
        "name".into(),
        balancer
            .load_balancer_name()
            .map(Value::string)
            .unwrap_or_default(),
    );
    attributes.insert(
        "internal".into(),
        Value::Bool(balancer.scheme() == Some(&LoadBalancerSchemeEnum::Internal)),
    );
    attributes.insert("load_balancer_type".into(), Value::string(&kind));
    attributes.insert(
        "ip_address_type".into(),
        Value::string(
            balancer
                .ip_address_type()
                .map(|kind| kind.as_str())
                .unwrap_or("ipv4"),
        ),
    );
    attributes.insert(
        "subnets".into(),
        attributes::string_list_value(
            balancer
                .availability_zones()
                .iter()
                .filter_map(|zone| zone.subnet_id()),
        ),
    );
    attributes.insert(
        "security_groups".into(),
        attributes::string_list_value(balancer.security_groups()),
    );
    attributes.insert(
        "idle_timeout".into(),
        if kind == "application" {
            Value::Number(
                setting("idle_timeout.timeout_seconds")
                    .and_then(|value| value.parse().ok())
                    .unwrap_or(DEFAULT_IDLE_TIMEOUT),
            )
        } else {
            prior.get("idle_timeout").cloned().unwrap_or_default()
        },
    );
    attributes.insert(
        "enable_deletion_protection".into(),
        Value::Bool(setting("deletion_protection.enabled") == Some("true")),
    );
    let (tags, tags_all) = crate::aws::kit::tags::split_tags(context, tags);
    attributes.insert("tags".into(), tags);
    attributes.insert("tags_all".into(), tags_all);
    attributes
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
    fn a_new_application_load_balancer_sets_both_attributes() {
        let desired = attributes(&[
            ("idle_timeout", Value::Number(120.0)),
            ("enable_deletion_protection", Value::Bool(false)),
        ]);
        let changes = attribute_changes(None, &desired);
        let pairs: Vec<(&str, &str)> = changes
            .iter()
            .map(|entry| (entry.key().unwrap_or(""), entry.value().unwrap_or("")))
            .collect();
        assert_eq!(
            pairs,
            [
                ("deletion_protection.enabled", "false"),
                ("idle_timeout.timeout_seconds", "120")
            ]
        );
    }

    #[test]
    fn an_update_sends_only_what_changed_and_network_balancers_have_no_idle_timeout() {
        let prior = attributes(&[
            ("idle_timeout", Value::Number(60.0)),
            ("enable_deletion_protection", Value::Bool(false)),
        ]);
        let desired = attributes(&[
            ("idle_timeout", Value::Number(60.0)),
            ("enable_deletion_protection", Value::Bool(true)),
        ]);
        let changes = attribute_changes(Some(&prior), &desired);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].key(), Some("deletion_protection.enabled"));
        let network = attributes(&[
            ("load_balancer_type", Value::string("network")),
            ("idle_timeout", Value::Number(120.0)),
        ]);
        assert!(attribute_changes(None, &network)
            .iter()
            .all(|entry| entry.key() != Some("idle_timeout.timeout_seconds")));
    }
}
