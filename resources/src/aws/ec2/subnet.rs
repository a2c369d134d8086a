//! `aws_subnet`: a subnet of a VPC.
//!
//! AWS calls: CreateSubnet (tagged through TagSpecifications), DescribeSubnets,
//! ModifySubnetAttribute (`MapPublicIpOnLaunch`), CreateTags / DeleteTags, DeleteSubnet
//! (retried on `DependencyViolation` for up to 10 minutes: the network interfaces of a NAT
//! gateway or Lambda function being deleted take a while to go).
//!
//! Replacement: a change of `vpc_id`, `cidr_block` or `availability_zone`.
//! `map_public_ip_on_launch` and tags change in place.
//!
//! Readiness: `wait_until_ready` polls until the subnet is `available`, then turns on
//! `map_public_ip_on_launch` when asked, so `create` returns as soon as the id is known. The
//! poll's answer is the subnet's attributes (no read after it).
//!
//! Recovery: DescribeSubnets filtered by the `provision:*` tags.
//!
//! Drift: `read_many` is one DescribeSubnets per 200 ids (a `subnet-id` filter, paginated);
//! `list_managed` is DescribeSubnets filtered by the `provision:stack` tag.

use crate::aws::kit::attributes;
use crate::aws::kit::tags::sync_tags;
use crate::aws::kit::ResultExt;
use crate::aws::AwsContext;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_ec2::types::{AttributeBooleanValue, ResourceType};

use crate::aws::ec2::common;
use crate::aws::kit::sdk_error;
use crate::aws::kit::wait::{self, Poll};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

/// How long a new subnet may take to become `available`.
const AVAILABLE_LIMIT: Duration = Duration::from_secs(5 * 60);
/// How long DeleteSubnet is retried while network interfaces in it are going away.
const DELETE_LIMIT: Duration = Duration::from_secs(10 * 60);

pub struct Subnet {
    schema: Schema,
}

impl Subnet {
    pub fn new() -> Self {
        Subnet {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The subnet id (subnet-...)."),
                Attribute::required("vpc_id", AttrType::String).force_new(),
                Attribute::required("cidr_block", AttrType::String)
                    .force_new()
                    .describe("The IPv4 CIDR block of the subnet, inside the VPC's."),
                Attribute::optional_computed("availability_zone", AttrType::String)
                    .force_new()
                    .describe("AWS picks one when left out."),
                Attribute::optional("map_public_ip_on_launch", AttrType::Bool)
                    .default(false)
                    .describe("Whether instances launched here get a public IPv4 address."),
                Attribute::computed("arn", AttrType::String),
                Attribute::computed("owner_id", AttrType::String),
                Attribute::computed("availability_zone_id", AttrType::String),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ]),
        }
    }
}

impl Default for Subnet {
    fn default() -> Self {
        Subnet::new()
    }
}

#[async_trait]
impl Resource for Subnet {
    fn type_name(&self) -> &'static str {
        "aws_subnet"
    }

    fn import_id(&self) -> String {
        "subnet id (subnet-…)".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let output = context
            .aws()
            .ec2
            .create_subnet()
            .vpc_id(attributes::required_string(desired, "vpc_id")?)
            .cidr_block(attributes::required_string(desired, "cidr_block")?)
            .set_availability_zone(attributes::optional_string(desired, "availability_zone"))
            .tag_specifications(common::tag_specification(
                context,
                ResourceType::Subnet,
                desired,
            ))
            .send()
            .await
            .map_err(|error| sdk_error("CreateSubnet", error))?;
        let subnet = output
            .subnet()
            .filter(|subnet| subnet.subnet_id().is_some())
            .ok_or_else(|| ProviderError::Aws {
                operation: "CreateSubnet".to_string(),
                code: "EmptyResponse".to_string(),
                message: "the answer carried no subnet id".to_string(),
            })?;
        let mut attributes = subnet_attributes(context, subnet);
        // The intended value: `wait_until_ready` applies it once the subnet is available.
        attributes.insert(
            "map_public_ip_on_launch".into(),
            Value::Bool(map_public_ip(desired)),
        );
        Ok(attributes)
    }

    async fn wait_until_ready(
        &self,
        context: &ProviderContext,
        created: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let id = attributes::required_string(created, "id")?;
        let client = &context.aws().ec2;
        let subnet = wait::until(
            &format!("subnet {id} to become available"),
            AVAILABLE_LIMIT,
            || async {
                let output = client
                    .describe_subnets()
                    .subnet_ids(&id)
                    .send()
                    .await
                    .map_err(|error| sdk_error("DescribeSubnets", error));
                // Eventual consistency: a new id can be unknown for a moment.
                let Some(output) = output.not_found_as_none()? else {
                    return Ok(Poll::Pending);
                };
                Ok(match output.subnets().first() {
                    Some(subnet)
                        if subnet.state().map(|state| state.as_str()) == Some("available") =>
                    {
                        Poll::Ready(subnet_attributes(context, subnet))
                    }
                    _ => Poll::Pending,
                })
            },
        )
        .await?;
        // The poll's answer is the subnet; the one flag set after it is recorded as set.
        let mut subnet = subnet;
        if map_public_ip(&subnet) != map_public_ip(created) {
            modify_map_public_ip(context, &id, map_public_ip(created)).await?;
            subnet.insert(
                "map_public_ip_on_launch".into(),
                Value::Bool(map_public_ip(created)),
            );
        }
        Ok(subnet)
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let output = match context
            .aws()
            .ec2
            .describe_subnets()
            .subnet_ids(id)
            .send()
            .await
        {
            Ok(output) => output,
            Err(error) => {
                let error = sdk_error("DescribeSubnets", error);
                return crate::aws::kit::none_if_gone(error);
            }
        };
        Ok(output
            .subnets()
            .first()
            .map(|subnet| subnet_attributes(context, subnet)))
    }

    async fn read_many(
        &self,
        context: &ProviderContext,
        items: &[(String, Attributes)],
    ) -> Result<Vec<Option<Attributes>>, ProviderError> {
        common::read_many_described(context, items, |subnet, _| {
            subnet_attributes(context, subnet)
        })
        .await
    }

    async fn list_managed(
        &self,
        context: &ProviderContext,
        stack: &str,
    ) -> Result<Vec<(String, String)>, ProviderError> {
        common::list_managed::<aws_sdk_ec2::types::Subnet>(context, stack, |_| true).await
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        if map_public_ip(prior) != map_public_ip(desired) {
            modify_map_public_ip(context, id, map_public_ip(desired)).await?;
        }
        sync_tags(&common::Ec2Tags, context, id, prior, desired).await?;
        self.read(context, id, desired)
            .await?
            .ok_or_else(|| ProviderError::Refused(format!("subnet {id} disappeared during update")))
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let client = &context.aws().ec2;
        crate::aws::kit::wait::send_delete_retrying_on(
            "DeleteSubnet",
            &format!("subnet {id} to be deleted"),
            DELETE_LIMIT,
            &["DependencyViolation"],
            || client.delete_subnet().subnet_id(id).send(),
        )
        .await
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        common::recover_then_read::<aws_sdk_ec2::types::Subnet>(self, context, desired).await
    }
}

/// Every schema attribute from a DescribeSubnets / CreateSubnet answer.
fn subnet_attributes(context: &ProviderContext, subnet: &aws_sdk_ec2::types::Subnet) -> Attributes {
    let text = |value: Option<&str>| value.map(Value::string).unwrap_or_default();
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), text(subnet.subnet_id()));
    attributes.insert("vpc_id".into(), text(subnet.vpc_id()));
    attributes.insert("cidr_block".into(), text(subnet.cidr_block()));
    attributes.insert("availability_zone".into(), text(subnet.availability_zone()));
    attributes.insert(
        "availability_zone_id".into(),
        text(subnet.availability_zone_id()),
    );
    attributes.insert(
        "map_public_ip_on_launch".into(),
        Value::Bool(subnet.map_public_ip_on_launch().unwrap_or(false)),
    );
    attributes.insert("arn".into(), text(subnet.subnet_arn()));
    attributes.insert("owner_id".into(), text(subnet.owner_id()));
    common::put_tags(context, &mut attributes, subnet.tags());
    attributes
}

fn map_public_ip(attributes: &Attributes) -> bool {
    attributes::optional_bool(attributes, "map_public_ip_on_launch").unwrap_or(false)
}

async fn modify_map_public_ip(
    context: &ProviderContext,
    id: &str,
    enabled: bool,
) -> Result<(), ProviderError> {
    context
        .aws()
        .ec2
        .modify_subnet_attribute()
        .subnet_id(id)
        .map_public_ip_on_launch(AttributeBooleanValue::builder().value(enabled).build())
        .send()
        .await
        .map(|_| ())
        .map_err(|error| sdk_error("ModifySubnetAttribute", error))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_public_ip_defaults_to_false() {
        assert!(!map_public_ip(&Attributes::new()));
        let set: Attributes = [("map_public_ip_on_launch".to_string(), Value::Bool(true))].into();
        assert!(map_public_ip(&set));
    }

    #[test]
    fn schema_marks_placement_force_new() {
        let subnet = Subnet::new();
        for name in ["vpc_id", "cidr_block", "availability_zone"] {
            assert!(
                subnet.schema().attribute(name).is_some_and(|a| a.force_new),
                "{name} should force replacement"
            );
        }
        assert!(subnet
            .schema()
            .attribute("map_public_ip_on_launch")
            .is_some_and(|a| !a.force_new));
    }
}
