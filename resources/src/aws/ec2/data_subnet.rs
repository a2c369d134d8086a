//! `data "aws_subnet"`: EC2 DescribeSubnets by `id`, `availability_zone`,
//! `availability_zone_id`, `cidr_block`, `default_for_az`, `ipv6_cidr_block`, `state`,
//! `vpc_id`, `tags` and `filter {}`; exactly one must match.

use async_trait::async_trait;

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

pub struct DataSubnet {
    schema: Schema,
}

impl DataSubnet {
    pub fn new() -> DataSubnet {
        DataSubnet {
            schema: Schema::new(vec![
                Attribute::computed("arn", AttrType::String),
                Attribute::computed("assign_ipv6_address_on_creation", AttrType::Bool),
                Attribute::optional_computed("availability_zone", AttrType::String),
                Attribute::optional_computed("availability_zone_id", AttrType::String),
                Attribute::computed("available_ip_address_count", AttrType::Number),
                Attribute::optional_computed("cidr_block", AttrType::String),
                Attribute::computed("customer_owned_ipv4_pool", AttrType::String),
                Attribute::optional_computed("default_for_az", AttrType::Bool),
                Attribute::computed("enable_dns64", AttrType::Bool),
                Attribute::computed("enable_lni_at_device_index", AttrType::Number),
                Attribute::computed(
                    "enable_resource_name_dns_a_record_on_launch",
                    AttrType::Bool,
                ),
                Attribute::computed(
                    "enable_resource_name_dns_aaaa_record_on_launch",
                    AttrType::Bool,
                ),
                Attribute::optional_computed("id", AttrType::String),
                Attribute::optional_computed("ipv6_cidr_block", AttrType::String),
                Attribute::computed("ipv6_cidr_block_association_id", AttrType::String),
                Attribute::computed("ipv6_native", AttrType::Bool),
                Attribute::computed("map_customer_owned_ip_on_launch", AttrType::Bool),
                Attribute::computed("map_public_ip_on_launch", AttrType::Bool),
                Attribute::computed("outpost_arn", AttrType::String),
                Attribute::computed("owner_id", AttrType::String),
                Attribute::computed("private_dns_hostname_type_on_launch", AttrType::String),
                Attribute::optional_computed("state", AttrType::String),
                Attribute::optional_computed("tags", AttrType::Map(Box::new(AttrType::String))),
                Attribute::optional_computed("vpc_id", AttrType::String),
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

impl Default for DataSubnet {
    fn default() -> Self {
        DataSubnet::new()
    }
}

#[async_trait]
impl DataSource for DataSubnet {
    fn type_name(&self) -> &'static str {
        "aws_subnet"
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
            ("availability_zone", "availabilityZone"),
            ("availability_zone_id", "availabilityZoneId"),
            ("cidr_block", "cidrBlock"),
            ("default_for_az", "defaultForAz"),
            (
                "ipv6_cidr_block",
                "ipv6-cidr-block-association.ipv6-cidr-block",
            ),
            ("state", "state"),
            ("vpc_id", "vpc-id"),
        ] {
            filters.extend(ec2_filter_if(arguments, attribute, name));
        }
        let answer = clients
            .ec2
            .describe_subnets()
            .set_subnet_ids(attrs::non_empty(arguments, "id").map(|id| vec![id]))
            .set_filters((!filters.is_empty()).then_some(filters))
            .send()
            .await
            .map_err(|error| sdk_error("DescribeSubnets", error))?;
        let subnet = exactly_one(answer.subnets().to_vec(), "subnet")?;
        let ipv6 = subnet.ipv6_cidr_block_association_set().first();
        let string = |value: Option<&str>| Value::string(value.unwrap_or_default());
        let flag = |value: Option<bool>| Value::Bool(value.unwrap_or(false));
        let dns = subnet.private_dns_name_options_on_launch();
        let mut result = arguments.clone();
        for (name, value) in [
            ("id", string(subnet.subnet_id())),
            ("arn", string(subnet.subnet_arn())),
            (
                "assign_ipv6_address_on_creation",
                flag(subnet.assign_ipv6_address_on_creation()),
            ),
            ("availability_zone", string(subnet.availability_zone())),
            (
                "availability_zone_id",
                string(subnet.availability_zone_id()),
            ),
            (
                "available_ip_address_count",
                Value::Number(f64::from(subnet.available_ip_address_count().unwrap_or(0))),
            ),
            ("cidr_block", string(subnet.cidr_block())),
            (
                "customer_owned_ipv4_pool",
                string(subnet.customer_owned_ipv4_pool()),
            ),
            ("default_for_az", flag(subnet.default_for_az())),
            ("enable_dns64", flag(subnet.enable_dns64())),
            (
                "enable_lni_at_device_index",
                Value::Number(f64::from(subnet.enable_lni_at_device_index().unwrap_or(0))),
            ),
            (
                "enable_resource_name_dns_a_record_on_launch",
                flag(dns.and_then(|dns| dns.enable_resource_name_dns_a_record())),
            ),
            (
                "enable_resource_name_dns_aaaa_record_on_launch",
                flag(dns.and_then(|dns| dns.enable_resource_name_dns_aaaa_record())),
            ),
            (
                "ipv6_cidr_block",
                string(ipv6.and_then(|association| association.ipv6_cidr_block())),
            ),
            (
                "ipv6_cidr_block_association_id",
                string(ipv6.and_then(|association| association.association_id())),
            ),
            ("ipv6_native", flag(subnet.ipv6_native())),
            (
                "map_customer_owned_ip_on_launch",
                flag(subnet.map_customer_owned_ip_on_launch()),
            ),
            (
                "map_public_ip_on_launch",
                flag(subnet.map_public_ip_on_launch()),
            ),
            ("outpost_arn", string(subnet.outpost_arn())),
            ("owner_id", string(subnet.owner_id())),
            (
                "private_dns_hostname_type_on_launch",
                string(
                    dns.and_then(|dns| dns.hostname_type())
                        .map(|kind| kind.as_str()),
                ),
            ),
            ("state", string(subnet.state().map(|state| state.as_str()))),
            ("tags", ec2_tags_value(subnet.tags())),
            ("vpc_id", string(subnet.vpc_id())),
        ] {
            result.insert(name.to_string(), value);
        }
        Ok(result)
    }
}
