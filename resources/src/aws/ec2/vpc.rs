//! `aws_vpc`: a VPC.
//!
//! AWS calls: CreateVpc (tagged through TagSpecifications), DescribeVpcs, DescribeVpcAttribute
//! (`enableDnsSupport`, `enableDnsHostnames`: one attribute per call), ModifyVpcAttribute (one
//! attribute per call), DescribeSecurityGroups / DescribeRouteTables / DescribeNetworkAcls (the
//! default security group, main route table and default network ACL AWS makes with the VPC),
//! CreateTags / DeleteTags, DeleteVpc (retried on `DependencyViolation` while dependents drain).
//!
//! Replacement: a change of `cidr_block` or `instance_tenancy`. The DNS flags and tags change in
//! place.
//!
//! Readiness: `wait_until_ready` polls until the VPC is `available`, then applies the DNS flags
//! that differ from AWS's defaults while it looks up the default resources (at once), so
//! `create` returns as soon as the id is known. The poll's answer and the flags just set are the
//! VPC's attributes: a create makes CreateVpc, one DescribeVpcs per poll and the three default
//! lookups (plus a ModifyVpcAttribute per flag that differs). A read makes its five calls after
//! DescribeVpcs at once.
//!
//! Recovery: DescribeVpcs filtered by the `provision:*` tags. The ARN is built from region, owner
//! and id (DescribeVpcs returns none).
//!
//! Drift: `read_many` describes up to 200 VPCs per call (a `vpc-id` filter), and their default
//! security groups, main route tables and default network ACLs with one call each per 200 VPCs;
//! the two DNS flags stay two DescribeVpcAttribute calls per VPC (the API takes one VPC and one
//! attribute). `list_managed` is DescribeVpcs filtered by the `provision:stack` tag.

use crate::aws::kit::attributes;
use crate::aws::kit::tags::sync_tags;
use crate::aws::kit::ResultExt;
use crate::aws::AwsContext;
use std::collections::HashMap;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_ec2::types::{AttributeBooleanValue, Filter, ResourceType, Tenancy, VpcAttributeName};

use crate::aws::ec2::common;
use crate::aws::kit::sdk_error;
use crate::aws::kit::wait::{self, Poll};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

/// How long a new VPC may take to become `available`.
const AVAILABLE_LIMIT: Duration = Duration::from_secs(5 * 60);
/// How long DeleteVpc is retried while dependents (ENIs, gateways) are still going away.
const DELETE_LIMIT: Duration = Duration::from_secs(5 * 60);

/// AWS's default for `enableDnsSupport`.
const DEFAULT_DNS_SUPPORT: bool = true;
/// AWS's default for `enableDnsHostnames` (in a non-default VPC).
const DEFAULT_DNS_HOSTNAMES: bool = false;

pub struct Vpc {
    schema: Schema,
}

impl Vpc {
    pub fn new() -> Self {
        Vpc {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The VPC id (vpc-...)."),
                Attribute::required("cidr_block", AttrType::String)
                    .force_new()
                    .describe("The IPv4 CIDR block of the VPC."),
                Attribute::optional_computed("instance_tenancy", AttrType::String)
                    .force_new()
                    .describe("`default` or `dedicated`."),
                Attribute::optional("enable_dns_support", AttrType::Bool)
                    .default(DEFAULT_DNS_SUPPORT)
                    .describe("Whether the Amazon-provided DNS server resolves in the VPC."),
                Attribute::optional("enable_dns_hostnames", AttrType::Bool)
                    .default(DEFAULT_DNS_HOSTNAMES)
                    .describe("Whether instances with public IPs get public DNS hostnames."),
                Attribute::computed("arn", AttrType::String),
                Attribute::computed("owner_id", AttrType::String),
                Attribute::computed("default_security_group_id", AttrType::String),
                Attribute::computed("main_route_table_id", AttrType::String),
                Attribute::computed("default_network_acl_id", AttrType::String),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ]),
        }
    }
}

impl Default for Vpc {
    fn default() -> Self {
        Vpc::new()
    }
}

#[async_trait]
impl Resource for Vpc {
    fn type_name(&self) -> &'static str {
        "aws_vpc"
    }

    fn import_id(&self) -> String {
        "VPC id (vpc-…)".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let cidr_block = attributes::required_string(desired, "cidr_block")?;
        let output = context
            .aws()
            .ec2
            .create_vpc()
            .cidr_block(&cidr_block)
            .set_instance_tenancy(
                attributes::optional_string(desired, "instance_tenancy")
                    .map(|tenancy| Tenancy::from(tenancy.as_str())),
            )
            .tag_specifications(common::tag_specification(
                context,
                ResourceType::Vpc,
                desired,
            ))
            .send()
            .await
            .map_err(|error| sdk_error("CreateVpc", error))?;
        let vpc = output
            .vpc()
            .filter(|vpc| vpc.vpc_id().is_some())
            .ok_or_else(|| ProviderError::Aws {
                operation: "CreateVpc".to_string(),
                code: "EmptyResponse".to_string(),
                message: "the answer carried no VPC id".to_string(),
            })?;
        let id = vpc.vpc_id().unwrap_or_default().to_string();
        let mut attributes = vpc_attributes(context, vpc);
        // Intended values: `wait_until_ready` applies them once the VPC is available.
        attributes.insert("enable_dns_support".into(), dns_support(desired).into());
        attributes.insert("enable_dns_hostnames".into(), dns_hostnames(desired).into());
        attributes.insert("id".into(), Value::String(id));
        Ok(attributes)
    }

    async fn wait_until_ready(
        &self,
        context: &ProviderContext,
        created: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let id = attributes::required_string(created, "id")?;
        let client = &context.aws().ec2;
        let vpc = wait::until(
            &format!("VPC {id} to become available"),
            AVAILABLE_LIMIT,
            || async {
                let output = client
                    .describe_vpcs()
                    .vpc_ids(&id)
                    .send()
                    .await
                    .map_err(|error| sdk_error("DescribeVpcs", error));
                // Eventual consistency: a new id can be unknown for a moment.
                let Some(output) = output.not_found_as_none()? else {
                    return Ok(Poll::Pending);
                };
                Ok(match output.vpcs().first() {
                    Some(vpc) if vpc.state().map(|state| state.as_str()) == Some("available") => {
                        Poll::Ready(vpc.clone())
                    }
                    _ => Poll::Pending,
                })
            },
        )
        .await?;
        // The flags that differ from AWS's defaults, both at once (one attribute per call).
        let support = async {
            if dns_support(created) == DEFAULT_DNS_SUPPORT {
                return Ok(());
            }
            let support = dns_support(created);
            modify_attribute(context, &id, VpcAttributeName::EnableDnsSupport, support).await
        };
        let hostnames = async {
            if dns_hostnames(created) == DEFAULT_DNS_HOSTNAMES {
                return Ok(());
            }
            let hostnames = dns_hostnames(created);
            modify_attribute(context, &id, VpcAttributeName::EnableDnsHostnames, hostnames).await
        };
        let ((), (), defaults) = tokio::try_join!(support, hostnames, default_ids(context, &id))?;
        // The DNS flags are what was just set (or AWS's defaults, left alone): not read again.
        let mut attributes = vpc_attributes(context, &vpc);
        attributes.insert("enable_dns_support".into(), dns_support(created).into());
        attributes.insert("enable_dns_hostnames".into(), dns_hostnames(created).into());
        defaults.put(&mut attributes);
        Ok(attributes)
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let client = &context.aws().ec2;
        let output = match client.describe_vpcs().vpc_ids(id).send().await {
            Ok(output) => output,
            Err(error) => {
                let error = sdk_error("DescribeVpcs", error);
                return crate::aws::kit::none_if_gone(error);
            }
        };
        let Some(vpc) = output.vpcs().first() else {
            return Ok(None);
        };
        let mut attributes = vpc_attributes(context, vpc);
        // The five calls that complete a read are independent: made at once.
        let (support, hostnames, defaults) = tokio::try_join!(
            read_attribute(context, id, VpcAttributeName::EnableDnsSupport),
            read_attribute(context, id, VpcAttributeName::EnableDnsHostnames),
            default_ids(context, id),
        )?;
        attributes.insert("enable_dns_support".into(), support);
        attributes.insert("enable_dns_hostnames".into(), hostnames);
        defaults.put(&mut attributes);
        Ok(Some(attributes))
    }

    async fn read_many(
        &self,
        context: &ProviderContext,
        items: &[(String, Attributes)],
    ) -> Result<Vec<Option<Attributes>>, ProviderError> {
        let mut found: HashMap<String, Attributes> = HashMap::new();
        for chunk in common::batch_ids(items).chunks(common::FILTER_VALUES_PER_CALL) {
            read_vpc_batch(context, chunk, &mut found).await?;
        }
        Ok(items.iter().map(|(id, _)| found.get(id).cloned()).collect())
    }

    async fn list_managed(
        &self,
        context: &ProviderContext,
        stack: &str,
    ) -> Result<Vec<(String, String)>, ProviderError> {
        common::list_managed::<aws_sdk_ec2::types::Vpc>(context, stack, |_| true).await
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        if dns_support(prior) != dns_support(desired) {
            modify_attribute(
                context,
                id,
                VpcAttributeName::EnableDnsSupport,
                dns_support(desired),
            )
            .await?;
        }
        if dns_hostnames(prior) != dns_hostnames(desired) {
            modify_attribute(
                context,
                id,
                VpcAttributeName::EnableDnsHostnames,
                dns_hostnames(desired),
            )
            .await?;
        }
        sync_tags(&common::Ec2Tags, context, id, prior, desired).await?;
        self.read(context, id, desired)
            .await?
            .ok_or_else(|| ProviderError::Refused(format!("VPC {id} disappeared during update")))
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let client = &context.aws().ec2;
        crate::aws::kit::wait::send_delete_retrying_on(
            "DeleteVpc",
            &format!("VPC {id} to be deleted"),
            DELETE_LIMIT,
            &["DependencyViolation"],
            || client.delete_vpc().vpc_id(id).send(),
        )
        .await
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        common::recover_then_read::<aws_sdk_ec2::types::Vpc>(self, context, desired).await
    }
}

/// The attributes DescribeVpcs / CreateVpc answer directly; the rest are null until read.
fn vpc_attributes(context: &ProviderContext, vpc: &aws_sdk_ec2::types::Vpc) -> Attributes {
    let id = vpc.vpc_id().unwrap_or_default();
    let owner_id = vpc.owner_id().unwrap_or_default();
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::string(id));
    attributes.insert(
        "cidr_block".into(),
        vpc.cidr_block().map(Value::string).unwrap_or_default(),
    );
    attributes.insert(
        "instance_tenancy".into(),
        vpc.instance_tenancy()
            .map(|tenancy| Value::string(tenancy.as_str()))
            .unwrap_or_default(),
    );
    attributes.insert(
        "owner_id".into(),
        vpc.owner_id().map(Value::string).unwrap_or_default(),
    );
    attributes.insert(
        "arn".into(),
        Value::String(common::ec2_arn(&context.aws().region, owner_id, "vpc", id)),
    );
    for computed in [
        "enable_dns_support",
        "enable_dns_hostnames",
        "default_security_group_id",
        "main_route_table_id",
        "default_network_acl_id",
    ] {
        attributes.insert(computed.into(), Value::Null);
    }
    common::put_tags(context, &mut attributes, vpc.tags());
    attributes
}

/// Reads up to 200 VPCs (`ids`) into `found`, with their DNS flags and default resources.
async fn read_vpc_batch(
    context: &ProviderContext,
    ids: &[String],
    found: &mut HashMap<String, Attributes>,
) -> Result<(), ProviderError> {
    let client = &context.aws().ec2;
    let vpcs = common::described_by_id::<aws_sdk_ec2::types::Vpc>(context, ids).await?;
    let mut batch: HashMap<String, Attributes> = vpcs
        .into_iter()
        .map(|(id, vpc)| (id, vpc_attributes(context, &vpc)))
        .collect();
    if batch.is_empty() {
        return Ok(());
    }
    let present: Vec<String> = batch.keys().cloned().collect();
    for (id, attributes) in batch.iter_mut() {
        attributes.insert(
            "enable_dns_support".into(),
            read_attribute(context, id, VpcAttributeName::EnableDnsSupport).await?,
        );
        attributes.insert(
            "enable_dns_hostnames".into(),
            read_attribute(context, id, VpcAttributeName::EnableDnsHostnames).await?,
        );
        for name in [
            "default_security_group_id",
            "main_route_table_id",
            "default_network_acl_id",
        ] {
            attributes.insert(name.into(), Value::Null);
        }
    }
    let mut set = |vpc_id: Option<&str>, name: &str, value: Option<&str>| {
        if let (Some(attributes), Some(value)) = (vpc_id.and_then(|id| batch.get_mut(id)), value) {
            attributes.insert(name.into(), Value::string(value));
        }
    };
    let mut groups = client
        .describe_security_groups()
        .filters(common::filter_any("vpc-id", &present))
        .filters(filter("group-name", "default"))
        .into_paginator()
        .send();
    while let Some(page) = groups.next().await {
        let page = page.map_err(|error| sdk_error("DescribeSecurityGroups", error))?;
        for group in page.security_groups() {
            set(
                group.vpc_id(),
                "default_security_group_id",
                group.group_id(),
            );
        }
    }
    let mut tables = client
        .describe_route_tables()
        .filters(common::filter_any("vpc-id", &present))
        .filters(filter("association.main", "true"))
        .into_paginator()
        .send();
    while let Some(page) = tables.next().await {
        let page = page.map_err(|error| sdk_error("DescribeRouteTables", error))?;
        for table in page.route_tables() {
            set(
                table.vpc_id(),
                "main_route_table_id",
                table.route_table_id(),
            );
        }
    }
    let mut acls = client
        .describe_network_acls()
        .filters(common::filter_any("vpc-id", &present))
        .filters(filter("default", "true"))
        .into_paginator()
        .send();
    while let Some(page) = acls.next().await {
        let page = page.map_err(|error| sdk_error("DescribeNetworkAcls", error))?;
        for acl in page.network_acls() {
            set(acl.vpc_id(), "default_network_acl_id", acl.network_acl_id());
        }
    }
    found.extend(batch);
    Ok(())
}

/// The ids of what AWS makes with a VPC: its default security group, main route table and
/// default network ACL.
struct DefaultIds {
    security_group: Value,
    route_table: Value,
    network_acl: Value,
}

impl DefaultIds {
    fn put(self, attributes: &mut Attributes) {
        attributes.insert("default_security_group_id".into(), self.security_group);
        attributes.insert("main_route_table_id".into(), self.route_table);
        attributes.insert("default_network_acl_id".into(), self.network_acl);
    }
}

/// DescribeSecurityGroups, DescribeRouteTables and DescribeNetworkAcls for one VPC's defaults,
/// the three at once.
async fn default_ids(context: &ProviderContext, id: &str) -> Result<DefaultIds, ProviderError> {
    let client = &context.aws().ec2;
    let security_groups = async {
        client
            .describe_security_groups()
            .filters(filter("vpc-id", id))
            .filters(filter("group-name", "default"))
            .send()
            .await
            .map_err(|error| sdk_error("DescribeSecurityGroups", error))
    };
    let route_tables = async {
        client
            .describe_route_tables()
            .filters(filter("vpc-id", id))
            .filters(filter("association.main", "true"))
            .send()
            .await
            .map_err(|error| sdk_error("DescribeRouteTables", error))
    };
    let network_acls = async {
        client
            .describe_network_acls()
            .filters(filter("vpc-id", id))
            .filters(filter("default", "true"))
            .send()
            .await
            .map_err(|error| sdk_error("DescribeNetworkAcls", error))
    };
    let (security_groups, route_tables, network_acls) =
        tokio::try_join!(security_groups, route_tables, network_acls)?;
    let text = |value: Option<&str>| value.map(Value::string).unwrap_or_default();
    Ok(DefaultIds {
        security_group: text(
            security_groups
                .security_groups()
                .first()
                .and_then(|group| group.group_id()),
        ),
        route_table: text(
            route_tables
                .route_tables()
                .first()
                .and_then(|table| table.route_table_id()),
        ),
        network_acl: text(
            network_acls
                .network_acls()
                .first()
                .and_then(|acl| acl.network_acl_id()),
        ),
    })
}

fn filter(name: &str, value: &str) -> Filter {
    Filter::builder().name(name).values(value).build()
}

fn dns_support(attributes: &Attributes) -> bool {
    attributes::optional_bool(attributes, "enable_dns_support").unwrap_or(DEFAULT_DNS_SUPPORT)
}

fn dns_hostnames(attributes: &Attributes) -> bool {
    attributes::optional_bool(attributes, "enable_dns_hostnames").unwrap_or(DEFAULT_DNS_HOSTNAMES)
}

/// ModifyVpcAttribute for one DNS flag (the API takes one attribute per call).
async fn modify_attribute(
    context: &ProviderContext,
    id: &str,
    attribute: VpcAttributeName,
    enabled: bool,
) -> Result<(), ProviderError> {
    let value = AttributeBooleanValue::builder().value(enabled).build();
    let request = context.aws().ec2.modify_vpc_attribute().vpc_id(id);
    let request = match attribute {
        VpcAttributeName::EnableDnsSupport => request.enable_dns_support(value),
        _ => request.enable_dns_hostnames(value),
    };
    request
        .send()
        .await
        .map(|_| ())
        .map_err(|error| sdk_error("ModifyVpcAttribute", error))
}

/// DescribeVpcAttribute for one DNS flag, as a bool value (null when AWS says nothing).
async fn read_attribute(
    context: &ProviderContext,
    id: &str,
    attribute: VpcAttributeName,
) -> Result<Value, ProviderError> {
    let output = context
        .aws()
        .ec2
        .describe_vpc_attribute()
        .vpc_id(id)
        .attribute(attribute.clone())
        .send()
        .await
        .map_err(|error| sdk_error("DescribeVpcAttribute", error))?;
    let flag = match attribute {
        VpcAttributeName::EnableDnsSupport => output.enable_dns_support(),
        _ => output.enable_dns_hostnames(),
    };
    Ok(flag
        .and_then(|flag| flag.value())
        .map(Value::Bool)
        .unwrap_or(Value::Null))
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
    fn dns_flags_fall_back_to_aws_defaults() {
        let empty = Attributes::new();
        assert!(dns_support(&empty));
        assert!(!dns_hostnames(&empty));
        let set = attributes(&[
            ("enable_dns_support", Value::Bool(false)),
            ("enable_dns_hostnames", Value::string("true")),
        ]);
        assert!(!dns_support(&set));
        assert!(dns_hostnames(&set));
    }

    #[test]
    fn schema_marks_cidr_and_tenancy_force_new() {
        let vpc = Vpc::new();
        let schema = vpc.schema();
        assert!(schema
            .attribute("cidr_block")
            .is_some_and(|a| a.force_new && a.required));
        assert!(schema
            .attribute("instance_tenancy")
            .is_some_and(|a| a.force_new && a.computed));
        assert!(schema
            .attribute("enable_dns_hostnames")
            .is_some_and(|a| !a.force_new && a.default == Some(Value::Bool(false))));
        assert!(schema.attribute("tags_all").is_some_and(|a| a.computed));
    }
}
