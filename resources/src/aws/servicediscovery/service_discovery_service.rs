//! `aws_service_discovery_service`: a Cloud Map service (`influxdb` in `edgemind.local`), whose
//! instances (ECS tasks) get DNS records in the namespace.
//!
//! AWS calls: CreateService (NamespaceId, CreatorRequestId = the pending operation's
//! idempotency token, DnsConfig with the routing policy and DNS records,
//! HealthCheckCustomConfig, tags in the same call), GetService, ListServices (for recovery),
//! UpdateService (description and DNS records in place; its operation is polled until
//! `SUCCESS`), ListTagsForResource / TagResource / UntagResource, DeleteService.
//!
//! Replacement: a change of `name`, `namespace_id`, `dns_config.namespace_id`,
//! `dns_config.routing_policy` or `health_check_custom_config`. Description, DNS records (TTL,
//! type) and tags change in place.
//!
//! Readiness: a service is usable at once.
//!
//! Deletion: DeleteService, retried while AWS answers `ResourceInUse` (instances are still
//! registered: the ECS service deregisters them as its tasks stop). A service already gone is
//! success.
//!
//! Recovery: ListServices filtered by namespace, then GetService for the ones of that name: the
//! one whose CreatorRequestId is the idempotency token is adopted.
//!
//! moto 5.2.1 (the test cloud): UpdateService answers an operation that is `SUCCESS` at once;
//! DeleteService never answers `ResourceInUse`.
//!
//! Drift: `list_managed` is GetResources of the Resource Groups Tagging API (`servicediscovery:service`).

use crate::aws::kit::attributes;
use crate::aws::kit::tags::sync_tags;
use crate::aws::kit::ResultExt;
use crate::aws::AwsContext;
use std::collections::BTreeMap;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_servicediscovery::types::{
    DnsConfig, DnsConfigChange, DnsRecord, HealthCheckCustomConfig, RecordType, RoutingPolicy,
    Service, ServiceChange, ServiceFilter, ServiceFilterName,
};

use crate::aws::kit::sdk_error;
use crate::aws::servicediscovery::{cloud_map_tags, list_tags, wait_for_operation, CloudMapTags};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

/// How long a delete keeps retrying while instances are still registered.
const IN_USE_LIMIT: Duration = Duration::from_secs(10 * 60);
/// AWS's routing policy when none is given.
const DEFAULT_ROUTING_POLICY: &str = "MULTIVALUE";

pub struct ServiceDiscoveryService {
    schema: Schema,
}

impl ServiceDiscoveryService {
    pub fn new() -> Self {
        ServiceDiscoveryService {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The service id (srv-...)."),
                Attribute::computed("arn", AttrType::String),
                Attribute::required("name", AttrType::String)
                    .force_new()
                    .describe("The service name: the first label of its DNS names (`influxdb`)."),
                Attribute::optional_computed("namespace_id", AttrType::String)
                    .force_new()
                    .describe("The namespace; `dns_config.namespace_id` when absent."),
                Attribute::optional("description", AttrType::String),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ])
            .with_block(NestedBlock {
                name: "dns_config",
                nesting: BlockNesting::Single,
                schema: Schema::new(vec![
                    Attribute::required("namespace_id", AttrType::String).force_new(),
                    Attribute::optional_computed("routing_policy", AttrType::String)
                        .force_new()
                        .describe("`MULTIVALUE` (AWS's default) or `WEIGHTED`."),
                ])
                .with_block(NestedBlock {
                    name: "dns_records",
                    nesting: BlockNesting::List,
                    schema: Schema::new(vec![
                        Attribute::required("ttl", AttrType::Number),
                        Attribute::required("type", AttrType::String)
                            .describe("`A`, `AAAA`, `SRV` or `CNAME`."),
                    ]),
                    force_new: false,
                    computed: false,
                }),
                force_new: false,
                computed: false,
            })
            .with_block(NestedBlock {
                name: "health_check_custom_config",
                nesting: BlockNesting::Single,
                schema: Schema::new(vec![Attribute::optional_computed(
                    "failure_threshold",
                    AttrType::Number,
                )
                .describe("Deprecated by AWS: always 1.")]),
                force_new: true,
                computed: false,
            }),
        }
    }
}

impl Default for ServiceDiscoveryService {
    fn default() -> Self {
        ServiceDiscoveryService::new()
    }
}

#[async_trait]
impl Resource for ServiceDiscoveryService {
    fn type_name(&self) -> &'static str {
        "aws_service_discovery_service"
    }

    fn import_id(&self) -> String {
        "service id (srv-…)".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    /// One read after create: create's answer lacks the ARN and the default routing policy.
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
            "servicediscovery:service",
            ArnId::AfterSlash,
        )
        .await
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let namespace_id = namespace_id(desired)?;
        let output = context
            .aws()
            .servicediscovery
            .create_service()
            .name(attributes::required_string(desired, "name")?)
            .namespace_id(&namespace_id)
            .creator_request_id(&context.idempotency_token)
            .set_description(attributes::optional_string(desired, "description"))
            .set_dns_config(dns_config(desired)?)
            .set_health_check_custom_config(health_check_custom_config(desired))
            .set_tags(Some(cloud_map_tags(&context.tags_for(desired))?))
            .send()
            .await
            .map_err(|error| sdk_error("CreateService", error))?;
        let service = output.service().ok_or_else(|| {
            ProviderError::Refused("CreateService answered no service".to_string())
        })?;
        let mut attributes = desired.clone();
        attributes.insert("id".into(), Value::string(service.id().unwrap_or_default()));
        attributes.insert("namespace_id".into(), Value::string(&namespace_id));
        Ok(attributes)
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let Some(service) = get_service(context, id).await? else {
            return Ok(None);
        };
        let Some(tags) = list_tags(context, service.arn().unwrap_or_default())
            .await
            .not_found_as_none()?
        else {
            return Ok(None);
        };
        Ok(Some(service_attributes(context, &service, tags)))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let records_changed = dns_records(desired)? != dns_records(prior)?;
        let description = attributes::optional_string(desired, "description");
        let description_changed = description != attributes::optional_string(prior, "description");
        if records_changed || description_changed {
            // UpdateService replaces the DNS records and drops what the change leaves out, so
            // the records always go along.
            let records = dns_records(desired)?;
            let change = ServiceChange::builder()
                .set_description(Some(description.unwrap_or_default()))
                .set_dns_config(if records.is_empty() {
                    None
                } else {
                    Some(
                        DnsConfigChange::builder()
                            .set_dns_records(Some(records))
                            .build()
                            .map_err(|error| {
                                ProviderError::invalid("dns_config", error.to_string())
                            })?,
                    )
                })
                .build();
            let output = context
                .aws()
                .servicediscovery
                .update_service()
                .id(id)
                .service(change)
                .send()
                .await
                .map_err(|error| sdk_error("UpdateService", error))?;
            if let Some(operation_id) = output.operation_id() {
                wait_for_operation(context, operation_id, "UpdateService").await?;
            }
        }
        let arn = match attributes::optional_string(prior, "arn") {
            Some(arn) => arn,
            None => get_service(context, id)
                .await?
                .and_then(|service| service.arn().map(str::to_string))
                .unwrap_or_default(),
        };
        sync_tags(&CloudMapTags, context, &arn, prior, desired).await?;
        self.read(context, id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("Cloud Map service {id} disappeared during update"))
        })
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        crate::aws::kit::wait::send_delete_retrying_on(
            "DeleteService",
            &format!("Cloud Map service {id} to have no instances"),
            IN_USE_LIMIT,
            &["ResourceInUse"],
            || {
                context
                    .aws()
                    .servicediscovery
                    .delete_service()
                    .id(id)
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
        let name = attributes::required_string(desired, "name")?;
        let namespace_id = namespace_id(desired)?;
        let mut pages = context
            .aws()
            .servicediscovery
            .list_services()
            .filters(
                ServiceFilter::builder()
                    .name(ServiceFilterName::NamespaceId)
                    .values(&namespace_id)
                    .build()
                    .map_err(|error| ProviderError::invalid("namespace_id", error.to_string()))?,
            )
            .into_paginator()
            .send();
        let mut candidates = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|error| sdk_error("ListServices", error))?;
            candidates.extend(
                page.services()
                    .iter()
                    .filter(|summary| summary.name() == Some(name.as_str()))
                    .filter_map(|summary| summary.id().map(str::to_string)),
            );
        }
        for candidate in candidates {
            let Some(service) = get_service(context, &candidate).await? else {
                continue;
            };
            if service.creator_request_id() == Some(context.idempotency_token.as_str())
                && service.namespace_id() == Some(namespace_id.as_str())
            {
                let tags = list_tags(context, service.arn().unwrap_or_default()).await?;
                return Ok(Some(service_attributes(context, &service, tags)));
            }
        }
        Ok(None)
    }
}

/// GetService (`None` when gone).
async fn get_service(
    context: &ProviderContext,
    id: &str,
) -> Result<Option<Service>, ProviderError> {
    match context
        .aws()
        .servicediscovery
        .get_service()
        .id(id)
        .send()
        .await
    {
        Ok(output) => Ok(output.service().cloned()),
        Err(error) => {
            let error = sdk_error("GetService", error);
            crate::aws::kit::none_if_gone(error)
        }
    }
}

/// `namespace_id`, else `dns_config.namespace_id`.
fn namespace_id(attributes: &Attributes) -> Result<String, ProviderError> {
    attributes::optional_string(attributes, "namespace_id")
        .or_else(|| {
            single_block(attributes, "dns_config")
                .and_then(|block| block.get("namespace_id"))
                .and_then(Value::to_template_string)
        })
        .ok_or_else(|| ProviderError::invalid("namespace_id", "set it or dns_config.namespace_id"))
}

fn single_block<'a>(attributes: &'a Attributes, name: &str) -> Option<&'a BTreeMap<String, Value>> {
    attributes
        .get(name)
        .and_then(Value::as_list)
        .and_then(|blocks| blocks.first())
        .and_then(Value::as_map)
}

/// The `dns_config.dns_records` blocks as AWS DNS records.
fn dns_records(attributes: &Attributes) -> Result<Vec<DnsRecord>, ProviderError> {
    let Some(records) = single_block(attributes, "dns_config")
        .and_then(|block| block.get("dns_records"))
        .and_then(Value::as_list)
    else {
        return Ok(Vec::new());
    };
    records
        .iter()
        .filter_map(Value::as_map)
        .map(|record| {
            let ttl = record
                .get("ttl")
                .and_then(Value::as_f64)
                .filter(|ttl| ttl.fract() == 0.0 && *ttl >= 0.0)
                .ok_or_else(|| {
                    ProviderError::invalid("ttl", "must be a whole number of seconds")
                })?;
            let kind = record
                .get("type")
                .and_then(Value::to_template_string)
                .ok_or_else(|| ProviderError::invalid("type", "is required"))?;
            DnsRecord::builder()
                .r#type(RecordType::from(kind.as_str()))
                .ttl(ttl as i64)
                .build()
                .map_err(|error| ProviderError::invalid("dns_records", error.to_string()))
        })
        .collect()
}

fn dns_config(attributes: &Attributes) -> Result<Option<DnsConfig>, ProviderError> {
    let Some(block) = single_block(attributes, "dns_config") else {
        return Ok(None);
    };
    DnsConfig::builder()
        .set_routing_policy(
            block
                .get("routing_policy")
                .and_then(Value::to_template_string)
                .map(|policy| RoutingPolicy::from(policy.as_str())),
        )
        .set_dns_records(Some(dns_records(attributes)?))
        .build()
        .map(Some)
        .map_err(|error| ProviderError::invalid("dns_config", error.to_string()))
}

// AWS deprecated a configurable failure threshold (always 1) but still accepts and answers it;
// Terraform keeps the attribute.
#[allow(deprecated)]
fn health_check_custom_config(attributes: &Attributes) -> Option<HealthCheckCustomConfig> {
    let block = single_block(attributes, "health_check_custom_config")?;
    Some(
        HealthCheckCustomConfig::builder()
            .set_failure_threshold(
                block
                    .get("failure_threshold")
                    .and_then(Value::as_i64)
                    .map(|threshold| threshold as i32),
            )
            .build(),
    )
}

// The deprecated fields: see `health_check_custom_config`; older services answer the namespace
// only inside DnsConfig.
#[allow(deprecated)]
fn service_attributes(
    context: &ProviderContext,
    service: &Service,
    tags: BTreeMap<String, String>,
) -> Attributes {
    let namespace_id = service
        .namespace_id()
        .or_else(|| service.dns_config().and_then(|dns| dns.namespace_id()))
        .unwrap_or_default();
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::string(service.id().unwrap_or_default()));
    attributes.insert(
        "arn".into(),
        service.arn().map(Value::string).unwrap_or_default(),
    );
    attributes.insert(
        "name".into(),
        service.name().map(Value::string).unwrap_or_default(),
    );
    attributes.insert("namespace_id".into(), Value::string(namespace_id));
    attributes.insert(
        "description".into(),
        service
            .description()
            .filter(|text| !text.is_empty())
            .map(Value::string)
            .unwrap_or_default(),
    );
    attributes.insert(
        "dns_config".into(),
        Value::List(
            service
                .dns_config()
                .map(|dns| {
                    let mut block = BTreeMap::new();
                    block.insert("namespace_id".to_string(), Value::string(namespace_id));
                    block.insert(
                        "routing_policy".to_string(),
                        Value::string(
                            dns.routing_policy()
                                .map(|policy| policy.as_str())
                                .unwrap_or(DEFAULT_ROUTING_POLICY),
                        ),
                    );
                    block.insert(
                        "dns_records".to_string(),
                        Value::List(
                            dns.dns_records()
                                .iter()
                                .map(|record| {
                                    let mut entry = BTreeMap::new();
                                    entry.insert(
                                        "ttl".to_string(),
                                        Value::Number(record.ttl() as f64),
                                    );
                                    entry.insert(
                                        "type".to_string(),
                                        Value::string(record.r#type().as_str()),
                                    );
                                    Value::Map(entry)
                                })
                                .collect(),
                        ),
                    );
                    Value::Map(block)
                })
                .into_iter()
                .collect(),
        ),
    );
    attributes.insert(
        "health_check_custom_config".into(),
        Value::List(
            service
                .health_check_custom_config()
                .map(|config| {
                    let mut block = BTreeMap::new();
                    block.insert(
                        "failure_threshold".to_string(),
                        config
                            .failure_threshold()
                            .map(|threshold| Value::Number(threshold.into()))
                            .unwrap_or_default(),
                    );
                    Value::Map(block)
                })
                .into_iter()
                .collect(),
        ),
    );
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

    fn spec() -> Attributes {
        let mut attributes = Attributes::new();
        attributes.insert("name".into(), Value::string("influxdb"));
        attributes.insert(
            "dns_config".into(),
            Value::List(vec![map(vec![
                ("namespace_id", Value::string("ns-1")),
                ("routing_policy", Value::string("MULTIVALUE")),
                (
                    "dns_records",
                    Value::List(vec![map(vec![
                        ("ttl", Value::Number(10.0)),
                        ("type", Value::string("A")),
                    ])]),
                ),
            ])]),
        );
        attributes.insert(
            "health_check_custom_config".into(),
            Value::List(vec![map(vec![("failure_threshold", Value::Number(1.0))])]),
        );
        attributes
    }

    #[test]
    fn the_namespace_comes_from_dns_config_when_not_set() {
        assert_eq!(namespace_id(&spec()).unwrap(), "ns-1");
        let mut explicit = spec();
        explicit.insert("namespace_id".into(), Value::string("ns-2"));
        assert_eq!(namespace_id(&explicit).unwrap(), "ns-2");
        assert!(namespace_id(&Attributes::new()).is_err());
    }

    #[test]
    #[allow(deprecated)]
    fn dns_config_and_health_check_become_requests() {
        let config = dns_config(&spec()).unwrap().unwrap();
        assert_eq!(config.routing_policy(), Some(&RoutingPolicy::Multivalue));
        assert_eq!(config.dns_records().len(), 1);
        assert_eq!(config.dns_records()[0].ttl(), 10);
        assert_eq!(config.dns_records()[0].r#type(), &RecordType::A);
        assert_eq!(
            health_check_custom_config(&spec()).and_then(|config| config.failure_threshold()),
            Some(1)
        );
        assert!(health_check_custom_config(&Attributes::new()).is_none());
    }
}
