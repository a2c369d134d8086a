//! `aws_ecs_service`: an ECS service (Fargate or capacity provider strategy, awsvpc).
//!
//! AWS calls: CreateService (client token = the idempotency token; network configuration,
//! load balancers, service registries, deployment settings, tags), DescribeServices
//! (`include = TAGS`), UpdateService (desired count, task definition, capacity provider
//! strategy, network configuration, health check grace period, deployment settings,
//! execute command, propagate tags, platform version: only what changed is sent),
//! TagResource / UntagResource, DeleteService.
//!
//! Replacement: a change of `name`, `cluster`, `launch_type`, `load_balancer`,
//! `service_registries` or `enable_ecs_managed_tags`. `id` is the service ARN, as in Terraform.
//!
//! Readiness: with `wait_for_steady_state = true` (default false), create and update wait
//! until the service has one deployment and runs its desired count; otherwise they return
//! once ECS accepted the service.
//!
//! Deletion: UpdateService to desired count 0, DeleteService, then wait until DescribeServices
//! says INACTIVE (or no longer knows it). Recovery: the name is deterministic within the
//! cluster; `recover` adopts an ACTIVE service of that name carrying this stack's tags.
//!
//! moto 5.2.1: CreateService with awsvpc but no security groups answers 500; DeleteService
//! needs desired count 0; CreateService ignores `healthCheckGracePeriodSeconds`,
//! `deploymentConfiguration`, `enableExecuteCommand` and `capacityProviderStrategy`
//! (DescribeServices answers none, `read` then keeps the prior value: those are only checked
//! through the state on the emulator).
//!
//! Drift: `list_managed` is GetResources of the Resource Groups Tagging API (`ecs:service`);
//! DescribeServices (10 per call, per cluster) drops the INACTIVE services a delete leaves.

use crate::aws::kit::recovery;
use crate::aws::kit::tags::{put_tags, sync_tags};
use crate::aws::AwsContext;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_ecs::types::{
    AssignPublicIp, AwsVpcConfiguration, DeploymentCircuitBreaker, DeploymentConfiguration,
    LaunchType, LoadBalancer, NetworkConfiguration, PropagateTags, Service, ServiceField,
    ServiceRegistry,
};

use crate::aws::kit::attributes::{block, block_value, blocks, optional_i32, or_prior};
use super::common;
use super::ecs_cluster_capacity_providers::{strategy, strategy_blocks, strategy_schema};
use crate::aws::kit::attributes::{optional_bool, optional_string, required_string, string_list, string_list_value};
use crate::aws::kit::sdk_error;
use crate::aws::kit::wait::{until, Poll};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

const STEADY_LIMIT: Duration = Duration::from_secs(20 * 60);
const DELETE_LIMIT: Duration = Duration::from_secs(20 * 60);

pub struct EcsService {
    schema: Schema,
}

impl EcsService {
    pub fn new() -> Self {
        let block_of = |name, nesting, schema, force_new| NestedBlock {
            name,
            nesting,
            schema,
            force_new,
            computed: false,
        };
        EcsService {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The service ARN."),
                Attribute::required("name", AttrType::String).force_new(),
                Attribute::optional_computed("cluster", AttrType::String)
                    .force_new()
                    .describe("Cluster ARN (or name)."),
                Attribute::optional("task_definition", AttrType::String)
                    .describe("Task definition ARN (`family:revision` also accepted)."),
                Attribute::optional("desired_count", AttrType::Number).default(0),
                Attribute::optional_computed("launch_type", AttrType::String).force_new(),
                Attribute::optional_computed("platform_version", AttrType::String),
                Attribute::optional_computed("propagate_tags", AttrType::String)
                    .describe("`NONE`, `SERVICE` or `TASK_DEFINITION`."),
                Attribute::optional("enable_ecs_managed_tags", AttrType::Bool)
                    .default(false)
                    .force_new(),
                Attribute::optional("enable_execute_command", AttrType::Bool).default(false),
                Attribute::optional("health_check_grace_period_seconds", AttrType::Number),
                Attribute::optional_computed(
                    "deployment_minimum_healthy_percent",
                    AttrType::Number,
                ),
                Attribute::optional_computed("deployment_maximum_percent", AttrType::Number),
                Attribute::optional("wait_for_steady_state", AttrType::Bool).default(false),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ])
            .with_block(block_of(
                "capacity_provider_strategy",
                BlockNesting::Set,
                strategy_schema(),
                false,
            ))
            .with_block(block_of(
                "network_configuration",
                BlockNesting::Single,
                Schema::new(vec![
                    Attribute::required("subnets", AttrType::set_of_strings()),
                    Attribute::optional("security_groups", AttrType::set_of_strings()),
                    Attribute::optional("assign_public_ip", AttrType::Bool).default(false),
                ]),
                false,
            ))
            .with_block(block_of(
                "load_balancer",
                BlockNesting::Set,
                Schema::new(vec![
                    Attribute::optional("target_group_arn", AttrType::String),
                    Attribute::optional("elb_name", AttrType::String),
                    Attribute::required("container_name", AttrType::String),
                    Attribute::required("container_port", AttrType::Number),
                ]),
                true,
            ))
            .with_block(block_of(
                "service_registries",
                BlockNesting::Single,
                Schema::new(vec![
                    Attribute::required("registry_arn", AttrType::String),
                    Attribute::optional("port", AttrType::Number),
                    Attribute::optional("container_name", AttrType::String),
                    Attribute::optional("container_port", AttrType::Number),
                ]),
                true,
            ))
            .with_block(block_of(
                "deployment_circuit_breaker",
                BlockNesting::Single,
                Schema::new(vec![
                    Attribute::required("enable", AttrType::Bool),
                    Attribute::required("rollback", AttrType::Bool),
                ]),
                false,
            )),
        }
    }
}

impl Default for EcsService {
    fn default() -> Self {
        EcsService::new()
    }
}

fn network_configuration(
    desired: &Attributes,
) -> Result<Option<NetworkConfiguration>, ProviderError> {
    let Some(network) = block(desired, "network_configuration") else {
        return Ok(None);
    };
    let security_groups = string_list(network, "security_groups");
    let vpc = AwsVpcConfiguration::builder()
        .set_subnets(Some(string_list(network, "subnets")))
        .set_security_groups((!security_groups.is_empty()).then_some(security_groups))
        .assign_public_ip(
            if optional_bool(network, "assign_public_ip").unwrap_or(false) {
                AssignPublicIp::Enabled
            } else {
                AssignPublicIp::Disabled
            },
        )
        .build()
        .map_err(|error| ProviderError::invalid("network_configuration", error.to_string()))?;
    Ok(Some(
        NetworkConfiguration::builder()
            .awsvpc_configuration(vpc)
            .build(),
    ))
}

fn load_balancers(desired: &Attributes) -> Result<Vec<LoadBalancer>, ProviderError> {
    blocks(desired, "load_balancer")
        .into_iter()
        .map(|balancer| {
            Ok(LoadBalancer::builder()
                .set_target_group_arn(optional_string(balancer, "target_group_arn"))
                .set_load_balancer_name(optional_string(balancer, "elb_name"))
                .set_container_name(optional_string(balancer, "container_name"))
                .set_container_port(optional_i32(balancer, "container_port")?)
                .build())
        })
        .collect()
}

fn service_registries(desired: &Attributes) -> Result<Vec<ServiceRegistry>, ProviderError> {
    blocks(desired, "service_registries")
        .into_iter()
        .map(|registry| {
            Ok(ServiceRegistry::builder()
                .set_registry_arn(optional_string(registry, "registry_arn"))
                .set_port(optional_i32(registry, "port")?)
                .set_container_name(optional_string(registry, "container_name"))
                .set_container_port(optional_i32(registry, "container_port")?)
                .build())
        })
        .collect()
}

fn deployment_configuration(
    desired: &Attributes,
) -> Result<Option<DeploymentConfiguration>, ProviderError> {
    let minimum = optional_i32(desired, "deployment_minimum_healthy_percent")?;
    let maximum = optional_i32(desired, "deployment_maximum_percent")?;
    let breaker = block(desired, "deployment_circuit_breaker").map(|breaker| {
        DeploymentCircuitBreaker::builder()
            .enable(optional_bool(breaker, "enable").unwrap_or(false))
            .rollback(optional_bool(breaker, "rollback").unwrap_or(false))
            .build()
    });
    if minimum.is_none() && maximum.is_none() && breaker.is_none() {
        return Ok(None);
    }
    Ok(Some(
        DeploymentConfiguration::builder()
            .set_minimum_healthy_percent(minimum)
            .set_maximum_percent(maximum)
            .set_deployment_circuit_breaker(breaker)
            .build(),
    ))
}

/// The cluster a service lives in: the prior `cluster`, else the one in the service ARN
/// (`arn:aws:ecs:r:1:service/<cluster>/<name>`).
fn cluster_of(id: &str, prior: &Attributes) -> Option<String> {
    optional_string(prior, "cluster").or_else(|| {
        let path = id.split_once(":service/")?.1;
        let (cluster, _) = path.split_once('/')?;
        Some(cluster.to_string())
    })
}

fn service_attributes(
    context: &ProviderContext,
    service: &Service,
    prior: &Attributes,
) -> Attributes {
    let mut attributes = Attributes::new();
    let arn = service.service_arn().unwrap_or_default();
    attributes.insert("id".into(), Value::string(arn));
    attributes.insert(
        "name".into(),
        service
            .service_name()
            .map(Value::string)
            .unwrap_or_default(),
    );
    attributes.insert(
        "cluster".into(),
        service.cluster_arn().map(Value::string).unwrap_or_default(),
    );
    attributes.insert(
        "task_definition".into(),
        service
            .task_definition()
            .map(Value::string)
            .unwrap_or_default(),
    );
    attributes.insert("desired_count".into(), Value::from(service.desired_count()));
    attributes.insert(
        "launch_type".into(),
        service
            .launch_type()
            .map(|launch| Value::string(launch.as_str()))
            .unwrap_or_default(),
    );
    attributes.insert(
        "platform_version".into(),
        or_prior(
            service.platform_version().map(Value::string),
            prior,
            "platform_version",
        ),
    );
    attributes.insert(
        "propagate_tags".into(),
        Value::string(
            service
                .propagate_tags()
                .map(|propagate| propagate.as_str())
                .unwrap_or("NONE"),
        ),
    );
    attributes.insert(
        "enable_ecs_managed_tags".into(),
        service.enable_ecs_managed_tags().into(),
    );
    attributes.insert(
        "enable_execute_command".into(),
        service.enable_execute_command().into(),
    );
    attributes.insert(
        "health_check_grace_period_seconds".into(),
        or_prior(
            service.health_check_grace_period_seconds().map(Value::from),
            prior,
            "health_check_grace_period_seconds",
        ),
    );
    let deployment = service.deployment_configuration();
    attributes.insert(
        "deployment_minimum_healthy_percent".into(),
        or_prior(
            deployment
                .and_then(|d| d.minimum_healthy_percent())
                .map(Value::from),
            prior,
            "deployment_minimum_healthy_percent",
        ),
    );
    attributes.insert(
        "deployment_maximum_percent".into(),
        or_prior(
            deployment
                .and_then(|d| d.maximum_percent())
                .map(Value::from),
            prior,
            "deployment_maximum_percent",
        ),
    );
    attributes.insert(
        "deployment_circuit_breaker".into(),
        or_prior(
            deployment
                .and_then(|d| d.deployment_circuit_breaker())
                .map(|breaker| {
                    let mut map = Attributes::new();
                    map.insert("enable".into(), breaker.enable().into());
                    map.insert("rollback".into(), breaker.rollback().into());
                    block_value(vec![map])
                }),
            prior,
            "deployment_circuit_breaker",
        ),
    );
    attributes.insert(
        "capacity_provider_strategy".into(),
        if service.capacity_provider_strategy().is_empty() {
            or_prior(None, prior, "capacity_provider_strategy")
        } else {
            strategy_blocks(service.capacity_provider_strategy())
        },
    );
    let network = service
        .network_configuration()
        .and_then(|network| network.awsvpc_configuration())
        .map(|vpc| {
            let mut map = Attributes::new();
            map.insert("subnets".into(), string_list_value(vpc.subnets()));
            map.insert(
                "security_groups".into(),
                string_list_value(vpc.security_groups()),
            );
            map.insert(
                "assign_public_ip".into(),
                (vpc.assign_public_ip() == Some(&AssignPublicIp::Enabled)).into(),
            );
            map
        });
    attributes.insert(
        "network_configuration".into(),
        block_value(network),
    );
    attributes.insert(
        "load_balancer".into(),
        block_value(
            service
                .load_balancers()
                .iter()
                .map(|balancer| {
                    let mut map = Attributes::new();
                    map.insert(
                        "target_group_arn".into(),
                        balancer
                            .target_group_arn()
                            .map(Value::string)
                            .unwrap_or_default(),
                    );
                    map.insert(
                        "elb_name".into(),
                        balancer
                            .load_balancer_name()
                            .map(Value::string)
                            .unwrap_or_default(),
                    );
                    map.insert(
                        "container_name".into(),
                        balancer
                            .container_name()
                            .map(Value::string)
                            .unwrap_or_default(),
                    );
                    map.insert(
                        "container_port".into(),
                        balancer
                            .container_port()
                            .map(Value::from)
                            .unwrap_or_default(),
                    );
                    map
                }),
        ),
    );
    attributes.insert(
        "service_registries".into(),
        block_value(
            service
                .service_registries()
                .iter()
                .map(|registry| {
                    let mut map = Attributes::new();
                    map.insert(
                        "registry_arn".into(),
                        registry
                            .registry_arn()
                            .map(Value::string)
                            .unwrap_or_default(),
                    );
                    map.insert(
                        "port".into(),
                        registry.port().map(Value::from).unwrap_or_default(),
                    );
                    map.insert(
                        "container_name".into(),
                        registry
                            .container_name()
                            .map(Value::string)
                            .unwrap_or_default(),
                    );
                    map.insert(
                        "container_port".into(),
                        registry
                            .container_port()
                            .map(Value::from)
                            .unwrap_or_default(),
                    );
                    map
                }),
        ),
    );
    attributes.insert(
        "wait_for_steady_state".into(),
        optional_bool(prior, "wait_for_steady_state")
            .unwrap_or(false)
            .into(),
    );
    put_tags(
        context,
        &mut attributes,
        common::tags_from_ecs(service.tags()),
    );
    attributes
}

/// DescribeServices for one service; `None` when missing or INACTIVE.
async fn describe(
    context: &ProviderContext,
    cluster: &str,
    service: &str,
) -> Result<Option<Service>, ProviderError> {
    let output = match context
        .aws()
        .ecs
        .describe_services()
        .cluster(cluster)
        .services(service)
        .include(ServiceField::Tags)
        .send()
        .await
    {
        Ok(output) => output,
        Err(error) => {
            let error = sdk_error("DescribeServices", error);
            return crate::aws::kit::none_if_gone(error);
        }
    };
    Ok(output
        .services()
        .iter()
        .find(|found| found.status() != Some("INACTIVE") && found.status() != Some("DRAINING"))
        .cloned())
}

fn steady(service: &Service) -> bool {
    service.deployments().len() == 1 && service.running_count() == service.desired_count()
}

impl EcsService {
    /// Waits for a steady state when asked to, then reads.
    async fn settle(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let cluster = cluster_of(id, prior).unwrap_or_default();
        if optional_bool(prior, "wait_for_steady_state").unwrap_or(false) {
            until(
                &format!("service {id} to reach a steady state"),
                STEADY_LIMIT,
                || async {
                    match describe(context, &cluster, id).await? {
                        Some(service) if steady(&service) => Ok(Poll::Ready(())),
                        Some(_) => Ok(Poll::Pending),
                        None => Err(ProviderError::Refused(format!(
                            "service {id} disappeared while waiting for a steady state"
                        ))),
                    }
                },
            )
            .await?;
        }
        self.read(context, id, prior)
            .await?
            .ok_or_else(|| ProviderError::Refused(format!("service {id} disappeared")))
    }
}

#[async_trait]
impl Resource for EcsService {
    fn type_name(&self) -> &'static str {
        "aws_ecs_service"
    }

    fn import_id(&self) -> String {
        "cluster name/service name".to_string()
    }

    async fn import(
        &self,
        context: &ProviderContext,
        import_id: &str,
    ) -> Result<Option<Attributes>, ProviderError> {
        let parts = crate::aws::kit::import_id::split(import_id, '/', 2, "cluster-name/service-name")?;
        let prior = crate::aws::kit::import_id::prior(&[("cluster", parts[0])]);
        self.read(context, parts[1], &prior).await
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
        let tagged = list_tagged(context, stack, self.type_name(), "ecs:service", ArnId::Arn).await?;
        // A deleted service stays INACTIVE (and tagged) for a while: only live ones count,
        // described 10 per call within each cluster (`service/CLUSTER/NAME` ARNs; an old-format
        // ARN without its cluster is kept).
        let mut by_cluster: std::collections::BTreeMap<String, Vec<(String, String)>> =
            std::collections::BTreeMap::new();
        let mut found = Vec::new();
        for (arn, address) in tagged {
            let parts: Vec<&str> = arn.rsplit(':').next().unwrap_or("").split('/').collect();
            match parts.as_slice() {
                ["service", cluster, _name] => by_cluster
                    .entry(cluster.to_string())
                    .or_default()
                    .push((arn, address)),
                _ => found.push((arn, address)),
            }
        }
        for (cluster, services) in by_cluster {
            for chunk in services.chunks(10) {
                let answer = context
                    .aws()
                    .ecs
                    .describe_services()
                    .cluster(&cluster)
                    .set_services(Some(chunk.iter().map(|(arn, _)| arn.clone()).collect()))
                    .send()
                    .await
                    .map_err(|error| sdk_error("DescribeServices", error))?;
                let live: Vec<&str> = answer
                    .services()
                    .iter()
                    .filter(|service| service.status() != Some("INACTIVE"))
                    .filter_map(|service| service.service_arn())
                    .collect();
                found.extend(
                    chunk
                        .iter()
                        .filter(|(arn, _)| live.contains(&arn.as_str()))
                        .cloned(),
                );
            }
        }
        Ok(found)
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let name = required_string(desired, "name")?;
        let strategy = strategy(desired, "capacity_provider_strategy")?;
        let output = context
            .aws()
            .ecs
            .create_service()
            .service_name(&name)
            .set_cluster(optional_string(desired, "cluster"))
            .set_task_definition(optional_string(desired, "task_definition"))
            .set_desired_count(optional_i32(desired, "desired_count")?)
            .set_launch_type(
                optional_string(desired, "launch_type")
                    .map(|launch| LaunchType::from(launch.as_str())),
            )
            .set_capacity_provider_strategy((!strategy.is_empty()).then_some(strategy))
            .set_platform_version(optional_string(desired, "platform_version"))
            .set_network_configuration(network_configuration(desired)?)
            .set_load_balancers(Some(load_balancers(desired)?))
            .set_service_registries(Some(service_registries(desired)?))
            .set_health_check_grace_period_seconds(optional_i32(
                desired,
                "health_check_grace_period_seconds",
            )?)
            .set_deployment_configuration(deployment_configuration(desired)?)
            .set_enable_execute_command(optional_bool(desired, "enable_execute_command"))
            .set_enable_ecs_managed_tags(optional_bool(desired, "enable_ecs_managed_tags"))
            .set_propagate_tags(
                optional_string(desired, "propagate_tags")
                    .map(|propagate| PropagateTags::from(propagate.as_str())),
            )
            .set_tags(Some(common::ecs_tags(&context.tags_for(desired))))
            .client_token(&context.idempotency_token)
            .send()
            .await
            .map_err(|error| sdk_error("CreateService", error))?;
        let service = output.service().ok_or_else(|| {
            ProviderError::Refused("CreateService answered no service".to_string())
        })?;
        Ok(service_attributes(context, service, desired))
    }

    async fn wait_until_ready(
        &self,
        context: &ProviderContext,
        created: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let id = required_string(created, "id")?;
        self.settle(context, &id, created).await
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let cluster = cluster_of(id, prior).unwrap_or_default();
        Ok(describe(context, &cluster, id)
            .await?
            .map(|service| service_attributes(context, &service, prior)))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let cluster = cluster_of(id, prior).unwrap_or_default();
        let changed = |name: &str| {
            desired.get(name).filter(|value| !value.is_null()) != prior.get(name)
                && desired.get(name).is_some_and(|value| !value.is_null())
        };
        let mut request = context
            .aws()
            .ecs
            .update_service()
            .cluster(&cluster)
            .service(id);
        let mut any = false;
        if changed("desired_count") {
            request = request.set_desired_count(optional_i32(desired, "desired_count")?);
            any = true;
        }
        if changed("task_definition") {
            request = request.set_task_definition(optional_string(desired, "task_definition"));
            any = true;
        }
        if changed("capacity_provider_strategy") {
            request = request.set_capacity_provider_strategy(Some(strategy(
                desired,
                "capacity_provider_strategy",
            )?));
            any = true;
        }
        if changed("network_configuration") {
            request = request.set_network_configuration(network_configuration(desired)?);
            any = true;
        }
        if changed("health_check_grace_period_seconds") {
            request = request.set_health_check_grace_period_seconds(optional_i32(
                desired,
                "health_check_grace_period_seconds",
            )?);
            any = true;
        }
        if changed("deployment_minimum_healthy_percent")
            || changed("deployment_maximum_percent")
            || changed("deployment_circuit_breaker")
        {
            request = request.set_deployment_configuration(deployment_configuration(desired)?);
            any = true;
        }
        if changed("enable_execute_command") {
            request = request
                .set_enable_execute_command(optional_bool(desired, "enable_execute_command"));
            any = true;
        }
        if changed("propagate_tags") {
            request = request.set_propagate_tags(
                optional_string(desired, "propagate_tags")
                    .map(|propagate| PropagateTags::from(propagate.as_str())),
            );
            any = true;
        }
        if changed("platform_version") {
            request = request.set_platform_version(optional_string(desired, "platform_version"));
            any = true;
        }
        if any {
            request
                .send()
                .await
                .map_err(|error| sdk_error("UpdateService", error))?;
        }
        sync_tags(&common::EcsTags, context, id, prior, desired).await?;
        self.settle(context, id, desired).await
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let cluster = cluster_of(id, prior).unwrap_or_default();
        let Some(service) = describe(context, &cluster, id).await? else {
            return Ok(());
        };
        let client = &context.aws().ecs;
        if service.desired_count() > 0 {
            client
                .update_service()
                .cluster(&cluster)
                .service(id)
                .desired_count(0)
                .send()
                .await
                .map_err(|error| sdk_error("UpdateService", error))?;
        }
        if let Err(error) = client
            .delete_service()
            .cluster(&cluster)
            .service(id)
            .send()
            .await
        {
            let error = sdk_error("DeleteService", error);
            crate::aws::kit::ok_if_gone(error)?;
        }
        until(
            &format!("service {id} to be inactive"),
            DELETE_LIMIT,
            || async {
                Ok(match describe(context, &cluster, id).await? {
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
        let name = required_string(desired, "name")?;
        let cluster = optional_string(desired, "cluster").unwrap_or_else(|| "default".into());
        let found = describe(context, &cluster, &name).await?;
        let Some(service) =
            recovery::owned(context, found, |service| common::tags_from_ecs(service.tags()))
        else {
            return Ok(None);
        };
        Ok(Some(service_attributes(context, &service, desired)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cluster_comes_from_prior_or_the_arn() {
        assert_eq!(
            cluster_of(
                "arn:aws:ecs:us-east-1:1:service/edgemind-dev/backend",
                &Attributes::new()
            )
            .as_deref(),
            Some("edgemind-dev")
        );
        let mut prior = Attributes::new();
        prior.insert("cluster".into(), Value::string("arn:c"));
        assert_eq!(cluster_of("x", &prior).as_deref(), Some("arn:c"));
    }

    #[test]
    fn network_configuration_block_builds_awsvpc() {
        let mut network = Attributes::new();
        network.insert(
            "subnets".into(),
            string_list_value(["subnet-1", "subnet-2"]),
        );
        network.insert("security_groups".into(), string_list_value(["sg-1"]));
        let mut desired = Attributes::new();
        desired.insert("network_configuration".into(), block_value(vec![network]));
        let built = network_configuration(&desired)
            .expect("builds")
            .expect("present");
        let vpc = built.awsvpc_configuration().expect("awsvpc");
        assert_eq!(vpc.subnets().len(), 2);
        assert_eq!(vpc.security_groups(), ["sg-1"]);
        assert_eq!(vpc.assign_public_ip(), Some(&AssignPublicIp::Disabled));
    }

    #[test]
    fn desired_count_and_task_definition_update_in_place() {
        let service = EcsService::new();
        let schema = service.schema();
        for in_place in [
            "desired_count",
            "task_definition",
            "health_check_grace_period_seconds",
        ] {
            assert!(
                schema.attribute(in_place).is_some_and(|a| !a.force_new),
                "{in_place}"
            );
        }
        for replaced in ["name", "cluster", "launch_type"] {
            assert!(
                schema.attribute(replaced).is_some_and(|a| a.force_new),
                "{replaced}"
            );
        }
        assert!(schema
            .attribute("wait_for_steady_state")
            .is_some_and(|a| a.default == Some(Value::Bool(false))));
    }

    #[test]
    fn steady_means_one_deployment_at_the_desired_count() {
        use aws_sdk_ecs::types::Deployment;
        let service = Service::builder()
            .desired_count(2)
            .running_count(2)
            .deployments(Deployment::builder().build())
            .build();
        assert!(steady(&service));
        let rolling = Service::builder()
            .desired_count(2)
            .running_count(1)
            .deployments(Deployment::builder().build())
            .build();
        assert!(!steady(&rolling));
    }
}
