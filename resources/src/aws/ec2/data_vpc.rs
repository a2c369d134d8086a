//! `data "aws_vpc"`: EC2 DescribeVpcs (by `id`, `cidr_block`, `default`, `dhcp_options_id`,
//! `state`, `tags` and `filter {}`; exactly one must match), then DescribeVpcAttribute for the
//! DNS settings and DescribeRouteTables for the main route table.

use async_trait::async_trait;
use aws_sdk_ec2::types::VpcAttributeName;

use crate::aws::attrs;
use crate::aws::data_common::{
    ec2_filter_if, ec2_filters, ec2_tag_filters, ec2_tags_value, exactly_one,
};
use crate::aws::sdk_error;
use crate::aws::AwsDataContext;
use crate::data_source::{DataContext, DataSource};
use crate::error::ProviderError;
use crate::provider::Attributes;
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

pub struct DataVpc {
    schema: Schema,
}

impl DataVpc {
    pub fn new() -> DataVpc {
        DataVpc {
            schema: Schema::new(vec![
                Attribute::computed("arn", AttrType::String),
                Attribute::optional_computed("cidr_block", AttrType::String),
                Attribute::computed("cidr_block_associations", AttrType::Any),
                Attribute::optional_computed("default", AttrType::Bool),
                Attribute::optional_computed("dhcp_options_id", AttrType::String),
                Attribute::computed("enable_dns_hostnames", AttrType::Bool),
                Attribute::computed("enable_dns_support", AttrType::Bool),
                Attribute::computed("enable_network_address_usage_metrics", AttrType::Bool),
                Attribute::optional_computed("id", AttrType::String),
                Attribute::computed("instance_tenancy", AttrType::String),
                Attribute::computed("ipv6_association_id", AttrType::String),
                Attribute::computed("ipv6_cidr_block", AttrType::String),
                Attribute::computed("main_route_table_id", AttrType::String),
                Attribute::computed("owner_id", AttrType::String),
                Attribute::optional_computed("state", AttrType::String),
                Attribute::optional_computed("tags", AttrType::Map(Box::new(AttrType::String))),
            ])
            .with_block(NestedBlock {
                name: "filter",
                nesting: BlockNesting::Set,
                schema: Schema::new(vec![
                    Attribute::required("name", AttrType::String),
                    Attribute::required("values", AttrType::Set(Box::new(AttrType::String))),
                ]),
                force_new: false,
                computed: false,
            })
            .with_block(NestedBlock {
                name: "timeouts",
                nesting: BlockNesting::Single,
                schema: Schema::new(vec![Attribute::optional("read", AttrType::String)]),
                force_new: false,
                computed: false,
            }),
        }
    }
}

impl Default for DataVpc {
    fn default() -> Self {
        DataVpc::new()
    }
}

#[async_trait]
impl DataSource for DataVpc {
    fn type_name(&self) -> &'static str {
        "aws_vpc"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn read(
        &self,
        context: &DataContext,
        arguments: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let clients = context.aws()?;
        let mut filters = ec2_filters(arguments);
        filters.extend(ec2_tag_filters(arguments, "tags"));
        for (attribute, name) in [
            ("cidr_block", "cidr"),
            ("dhcp_options_id", "dhcp-options-id"),
            ("state", "state"),
            ("default", "is-default"),
        ] {
            filters.extend(ec2_filter_if(arguments, attribute, name));
        }
        let answer = clients
            .ec2
            .describe_vpcs()
            .set_vpc_ids(attrs::non_empty(arguments, "id").map(|id| vec![id]))
            .set_filters((!filters.is_empty()).then_some(filters))
            .send()
            .await
            .map_err(|error| sdk_error("DescribeVpcs", error))?;
        let vpc = exactly_one(answer.vpcs().to_vec(), "VPC")?;
        let id = vpc.vpc_id().unwrap_or_default().to_string();
        let mut dns = Vec::new();
        for attribute in [
            VpcAttributeName::EnableDnsHostnames,
            VpcAttributeName::EnableDnsSupport,
        ] {
            let answer = clients
                .ec2
                .describe_vpc_attribute()
                .vpc_id(&id)
                .attribute(attribute.clone())
                .send()
                .await
                .map_err(|error| sdk_error("DescribeVpcAttribute", error))?;
            let value = match attribute {
                VpcAttributeName::EnableDnsHostnames => answer.enable_dns_hostnames(),
                _ => answer.enable_dns_support(),
            }
            .and_then(|flag| flag.value())
            .unwrap_or(false);
            dns.push(value);
        }
        let main_route_table = clients
            .ec2
            .describe_route_tables()
            .filters(
                aws_sdk_ec2::types::Filter::builder()
                    .name("vpc-id")
                    .values(&id)
                    .build(),
            )
            .filters(
                aws_sdk_ec2::types::Filter::builder()
                    .name("association.main")
                    .values("true")
                    .build(),
            )
            .send()
            .await
            .map_err(|error| sdk_error("DescribeRouteTables", error))?
            .route_tables()
            .first()
            .and_then(|table| table.route_table_id())
            .unwrap_or_default()
            .to_string();
        let owner = vpc.owner_id().unwrap_or_default().to_string();
        let associations: Vec<Value> = vpc
            .cidr_block_association_set()
            .iter()
            .map(|association| {
                Value::Map(attrs::map([
                    (
                        "association_id",
                        Value::string(association.association_id().unwrap_or_default()),
                    ),
                    (
                        "cidr_block",
                        Value::string(association.cidr_block().unwrap_or_default()),
                    ),
                    (
                        "state",
                        Value::string(
                            association
                                .cidr_block_state()
                                .and_then(|state| state.state())
                                .map(|state| state.as_str())
                                .unwrap_or_default(),
                        ),
                    ),
                ]))
            })
            .collect();
        let ipv6 = vpc.ipv6_cidr_block_association_set().first();
        let mut result = arguments.clone();
        result.insert(
            "arn".into(),
            Value::string(super::common::ec2_arn(&clients.region, &owner, "vpc", &id)),
        );
        result.insert("id".into(), Value::string(&id));
        result.insert(
            "cidr_block".into(),
            Value::string(vpc.cidr_block().unwrap_or_default()),
        );
        result.insert("cidr_block_associations".into(), Value::List(associations));
        result.insert(
            "default".into(),
            Value::Bool(vpc.is_default().unwrap_or(false)),
        );
        result.insert(
            "dhcp_options_id".into(),
            Value::string(vpc.dhcp_options_id().unwrap_or_default()),
        );
        result.insert("enable_dns_hostnames".into(), Value::Bool(dns[0]));
        result.insert("enable_dns_support".into(), Value::Bool(dns[1]));
        result.insert(
            "enable_network_address_usage_metrics".into(),
            Value::Bool(false),
        );
        result.insert(
            "instance_tenancy".into(),
            Value::string(
                vpc.instance_tenancy()
                    .map(|tenancy| tenancy.as_str())
                    .unwrap_or("default"),
            ),
        );
        result.insert(
            "ipv6_association_id".into(),
            Value::string(ipv6.and_then(|a| a.association_id()).unwrap_or_default()),
        );
        result.insert(
            "ipv6_cidr_block".into(),
            Value::string(ipv6.and_then(|a| a.ipv6_cidr_block()).unwrap_or_default()),
        );
        result.insert(
            "main_route_table_id".into(),
            Value::string(main_route_table),
        );
        result.insert("owner_id".into(), Value::string(owner));
        result.insert(
            "state".into(),
            Value::string(vpc.state().map(|state| state.as_str()).unwrap_or_default()),
        );
        result.insert("tags".into(), ec2_tags_value(vpc.tags()));
        Ok(result)
    }
}
