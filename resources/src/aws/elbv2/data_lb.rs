//! `data "aws_lb"` (also `aws_alb`): ELBv2 DescribeLoadBalancers by `arn` or `name` (or the
//! one load balancer whose tags match `tags`, through DescribeTags), DescribeLoadBalancerAttributes
//! and DescribeTags.

use std::collections::BTreeMap;

use async_trait::async_trait;

use crate::aws::attrs;
use crate::aws::data_common::exactly_one;
use crate::aws::sdk_error;
use crate::aws::AwsDataContext;
use crate::data_source::{DataContext, DataSource};
use crate::error::ProviderError;
use crate::provider::Attributes;
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

pub struct DataLb {
    schema: Schema,
    type_name: &'static str,
}

impl DataLb {
    pub fn new() -> DataLb {
        DataLb::named("aws_lb")
    }

    /// The same data source under Terraform's other name (`aws_alb`).
    pub fn named(type_name: &'static str) -> DataLb {
        DataLb {
            schema: Schema::new(vec![
                Attribute::computed("access_logs", AttrType::Any),
                Attribute::optional_computed("arn", AttrType::String),
                Attribute::computed("arn_suffix", AttrType::String),
                Attribute::computed("client_keep_alive", AttrType::Number),
                Attribute::computed("connection_logs", AttrType::Any),
                Attribute::computed("customer_owned_ipv4_pool", AttrType::String),
                Attribute::computed("desync_mitigation_mode", AttrType::String),
                Attribute::computed("dns_name", AttrType::String),
                Attribute::computed("dns_record_client_routing_policy", AttrType::String),
                Attribute::computed("drop_invalid_header_fields", AttrType::Bool),
                Attribute::computed("enable_cross_zone_load_balancing", AttrType::Bool),
                Attribute::computed("enable_deletion_protection", AttrType::Bool),
                Attribute::computed("enable_http2", AttrType::Bool),
                Attribute::computed(
                    "enable_tls_version_and_cipher_suite_headers",
                    AttrType::Bool,
                ),
                Attribute::computed("enable_waf_fail_open", AttrType::Bool),
                Attribute::computed("enable_xff_client_port", AttrType::Bool),
                Attribute::computed("enable_zonal_shift", AttrType::Bool),
                Attribute::computed(
                    "enforce_security_group_inbound_rules_on_private_link_traffic",
                    AttrType::String,
                ),
                Attribute::optional_computed("id", AttrType::String),
                Attribute::computed("idle_timeout", AttrType::Number),
                Attribute::computed("internal", AttrType::Bool),
                Attribute::computed("ip_address_type", AttrType::String),
                Attribute::computed("ipam_pools", AttrType::Any),
                Attribute::computed("load_balancer_type", AttrType::String),
                Attribute::optional_computed("name", AttrType::String),
                Attribute::computed("preserve_host_header", AttrType::Bool),
                Attribute::computed("security_groups", AttrType::Set(Box::new(AttrType::String))),
                Attribute::computed("subnet_mapping", AttrType::Any),
                Attribute::computed("subnets", AttrType::Set(Box::new(AttrType::String))),
                Attribute::optional_computed("tags", AttrType::Map(Box::new(AttrType::String))),
                Attribute::computed("vpc_id", AttrType::String),
                Attribute::computed("xff_header_processing_mode", AttrType::String),
                Attribute::computed("zone_id", AttrType::String),
            ])
            .with_block(NestedBlock {
                name: "timeouts",
                nesting: BlockNesting::Single,
                schema: Schema::new(vec![Attribute::optional("read", AttrType::String)]),
                force_new: false,
                computed: false,
            }),
            type_name,
        }
    }
}

impl Default for DataLb {
    fn default() -> Self {
        DataLb::new()
    }
}

fn tags_of(
    descriptions: &[aws_sdk_elasticloadbalancingv2::types::TagDescription],
    arn: &str,
) -> BTreeMap<String, String> {
    descriptions
        .iter()
        .filter(|description| description.resource_arn() == Some(arn))
        .flat_map(|description| description.tags())
        .filter_map(|tag| {
            Some((
                tag.key()?.to_string(),
                tag.value().unwrap_or_default().to_string(),
            ))
        })
        .collect()
}

#[async_trait]
impl DataSource for DataLb {
    fn type_name(&self) -> &'static str {
        self.type_name
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn read(
        &self,
        context: &DataContext,
        arguments: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let client = &context.aws()?.elbv2;
        let arn = attrs::non_empty(arguments, "arn");
        let name = attrs::non_empty(arguments, "name");
        let wanted_tags: BTreeMap<String, String> = match arguments.get("tags") {
            Some(Value::Map(tags)) => tags
                .iter()
                .filter_map(|(key, value)| Some((key.clone(), value.to_template_string()?)))
                .collect(),
            _ => BTreeMap::new(),
        };
        let answer = client
            .describe_load_balancers()
            .set_load_balancer_arns(arn.map(|arn| vec![arn]))
            .set_names(name.map(|name| vec![name]))
            .send()
            .await
            .map_err(|error| sdk_error("DescribeLoadBalancers", error))?;
        let mut candidates = answer.load_balancers().to_vec();
        let arns: Vec<String> = candidates
            .iter()
            .filter_map(|balancer| balancer.load_balancer_arn().map(str::to_string))
            .collect();
        let mut tag_descriptions = Vec::new();
        for chunk in arns.chunks(20) {
            let tags = client
                .describe_tags()
                .set_resource_arns(Some(chunk.to_vec()))
                .send()
                .await
                .map_err(|error| sdk_error("DescribeTags", error))?;
            tag_descriptions.extend(tags.tag_descriptions().iter().cloned());
        }
        if !wanted_tags.is_empty() {
            candidates.retain(|balancer| {
                let tags = tags_of(
                    &tag_descriptions,
                    balancer.load_balancer_arn().unwrap_or_default(),
                );
                wanted_tags
                    .iter()
                    .all(|(key, value)| tags.get(key) == Some(value))
            });
        }
        let balancer = exactly_one(candidates, "load balancer")?;
        let arn = balancer.load_balancer_arn().unwrap_or_default().to_string();
        let attributes = client
            .describe_load_balancer_attributes()
            .load_balancer_arn(&arn)
            .send()
            .await
            .map_err(|error| sdk_error("DescribeLoadBalancerAttributes", error))?;
        let attribute = |key: &str| -> Option<String> {
            attributes
                .attributes()
                .iter()
                .find(|attribute| attribute.key() == Some(key))
                .and_then(|attribute| attribute.value().map(str::to_string))
        };
        let flag = |key: &str| Value::Bool(attribute(key).as_deref() == Some("true"));
        let string = |value: Option<&str>| Value::string(value.unwrap_or_default());
        let suffix = arn
            .split_once(":loadbalancer/")
            .map(|(_, rest)| rest.to_string())
            .unwrap_or_default();
        let zones = balancer.availability_zones();
        let mappings: Vec<Value> = zones
            .iter()
            .map(|zone| {
                let address = zone.load_balancer_addresses().first();
                Value::Map(attrs::map([
                    (
                        "allocation_id",
                        string(address.and_then(|address| address.allocation_id())),
                    ),
                    (
                        "ipv6_address",
                        string(address.and_then(|address| address.ipv6_address())),
                    ),
                    ("outpost_id", string(zone.outpost_id())),
                    (
                        "private_ipv4_address",
                        string(address.and_then(|address| address.private_ipv4_address())),
                    ),
                    ("subnet_id", string(zone.subnet_id())),
                ]))
            })
            .collect();
        let logs = |prefix: &str| {
            attrs::block_value([attrs::map([
                (
                    "bucket",
                    Value::string(attribute(&format!("{prefix}.s3.bucket")).unwrap_or_default()),
                ),
                ("enabled", flag(&format!("{prefix}.s3.enabled"))),
                (
                    "prefix",
                    Value::string(attribute(&format!("{prefix}.s3.prefix")).unwrap_or_default()),
                ),
            ])])
        };
        let number = |key: &str| {
            Value::Number(
                attribute(key)
                    .and_then(|text| text.parse::<f64>().ok())
                    .unwrap_or(0.0),
            )
        };
        let mut result = arguments.clone();
        for (key, value) in [
            ("id", Value::string(&arn)),
            ("arn", Value::string(&arn)),
            ("arn_suffix", Value::string(suffix)),
            ("access_logs", logs("access_logs")),
            ("connection_logs", logs("connection_logs")),
            ("client_keep_alive", number("client_keep_alive.seconds")),
            (
                "customer_owned_ipv4_pool",
                string(balancer.customer_owned_ipv4_pool()),
            ),
            (
                "desync_mitigation_mode",
                Value::string(attribute("routing.http.desync_mitigation_mode").unwrap_or_default()),
            ),
            ("dns_name", string(balancer.dns_name())),
            (
                "dns_record_client_routing_policy",
                Value::string(attribute("dns_record.client_routing_policy").unwrap_or_default()),
            ),
            (
                "drop_invalid_header_fields",
                flag("routing.http.drop_invalid_header_fields.enabled"),
            ),
            (
                "enable_cross_zone_load_balancing",
                flag("load_balancing.cross_zone.enabled"),
            ),
            (
                "enable_deletion_protection",
                flag("deletion_protection.enabled"),
            ),
            ("enable_http2", flag("routing.http2.enabled")),
            (
                "enable_tls_version_and_cipher_suite_headers",
                flag("routing.http.x_amzn_tls_version_and_cipher_suite.enabled"),
            ),
            ("enable_waf_fail_open", flag("waf.fail_open.enabled")),
            (
                "enable_xff_client_port",
                flag("routing.http.xff_client_port.enabled"),
            ),
            ("enable_zonal_shift", flag("zonal_shift.config.enabled")),
            (
                "enforce_security_group_inbound_rules_on_private_link_traffic",
                string(balancer.enforce_security_group_inbound_rules_on_private_link_traffic()),
            ),
            ("idle_timeout", number("idle_timeout.timeout_seconds")),
            (
                "internal",
                Value::Bool(balancer.scheme().map(|scheme| scheme.as_str()) == Some("internal")),
            ),
            (
                "ip_address_type",
                string(balancer.ip_address_type().map(|kind| kind.as_str())),
            ),
            ("ipam_pools", Value::List(Vec::new())),
            (
                "load_balancer_type",
                string(balancer.r#type().map(|kind| kind.as_str())),
            ),
            ("name", string(balancer.load_balancer_name())),
            (
                "preserve_host_header",
                flag("routing.http.preserve_host_header.enabled"),
            ),
            (
                "security_groups",
                attrs::string_list_value(balancer.security_groups()),
            ),
            ("subnet_mapping", Value::List(mappings)),
            (
                "subnets",
                attrs::string_list_value(zones.iter().filter_map(|zone| zone.subnet_id())),
            ),
            (
                "tags",
                crate::aws::data_common::string_map_value(&tags_of(&tag_descriptions, &arn)),
            ),
            ("vpc_id", string(balancer.vpc_id())),
            (
                "xff_header_processing_mode",
                Value::string(
                    attribute("routing.http.xff_header_processing.mode").unwrap_or_default(),
                ),
            ),
            ("zone_id", string(balancer.canonical_hosted_zone_id())),
        ] {
            result.insert(key.to_string(), value);
        }
        Ok(result)
    }
}
