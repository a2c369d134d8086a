//! `aws_eip`: an Elastic IP address (VPC domain).
//!
//! AWS calls: AllocateAddress (tagged through TagSpecifications), DescribeAddresses,
//! CreateTags / DeleteTags, ReleaseAddress (retried on `InvalidIPAddress.InUse` and
//! `AuthFailure` for up to 10 minutes: a NAT gateway being deleted keeps its address for a
//! while).
//!
//! Deprecated `vpc = true` (Terraform's older spelling of `domain = "vpc"`) is accepted with a
//! warning; `vpc = false` (EC2-Classic) is refused.
//!
//! Replacement: a change of `domain` or `vpc`. Tags change in place. Associating the address with an
//! instance or network interface is not handled here (a NAT gateway associates it itself), so
//! release does not disassociate first.
//!
//! The id is the allocation id (`eipalloc-...`), also exposed as `allocation_id`. `public_dns`
//! is derived from the public IP the way AWS names it (`ec2-1-2-3-4.compute-1.amazonaws.com`).
//!
//! Recovery: DescribeAddresses filtered by the `provision:*` tags.
//!
//! Drift: `list_managed` is DescribeAddresses filtered by the `provision:stack` tag (the API
//! does not paginate); reads stay one DescribeAddresses per address.

use crate::aws::kit::attributes;
use crate::aws::kit::tags::sync_tags;
use crate::aws::AwsContext;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_ec2::types::{DomainType, ResourceType};

use crate::aws::ec2::common;
use crate::aws::kit::sdk_error;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

/// How long ReleaseAddress is retried while a NAT gateway still holds the address.
const RELEASE_LIMIT: Duration = Duration::from_secs(10 * 60);

pub struct Eip {
    schema: Schema,
}

impl Eip {
    pub fn new() -> Self {
        Eip {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String)
                    .describe("The allocation id (eipalloc-...)."),
                Attribute::optional("domain", AttrType::String)
                    .default("vpc")
                    .force_new()
                    .describe("`vpc` (the only domain of current accounts)."),
                Attribute::optional_computed("vpc", AttrType::Bool)
                    .force_new()
                    .describe(
                        "Deprecated in Terraform for `domain = \"vpc\"`; `true` is the same.",
                    ),
                Attribute::computed("allocation_id", AttrType::String),
                Attribute::computed("public_ip", AttrType::String),
                Attribute::computed("public_dns", AttrType::String),
                Attribute::computed("private_ip", AttrType::String),
                Attribute::computed("association_id", AttrType::String),
                Attribute::computed("network_interface", AttrType::String),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ]),
        }
    }
}

impl Default for Eip {
    fn default() -> Self {
        Eip::new()
    }
}

#[async_trait]
impl Resource for Eip {
    fn type_name(&self) -> &'static str {
        "aws_eip"
    }

    fn import_id(&self) -> String {
        "allocation id (eipalloc-…)".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn check_config(&self, attributes: &Attributes) -> Vec<ProviderError> {
        if attributes::optional_bool(attributes, "vpc") == Some(false) {
            return vec![ProviderError::invalid(
                "vpc",
                "EC2-Classic addresses no longer exist; remove `vpc` (the domain is `vpc`)",
            )];
        }
        Vec::new()
    }

    /// One read after create: create's answer lacks the network interface.
    fn create_answer_is_complete(&self) -> bool {
        false
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let domain = attributes::optional_string(desired, "domain").unwrap_or_else(|| "vpc".into());
        let output = context
            .aws()
            .ec2
            .allocate_address()
            .domain(DomainType::from(domain.as_str()))
            .tag_specifications(common::tag_specification(
                context,
                ResourceType::ElasticIp,
                desired,
            ))
            .send()
            .await
            .map_err(|error| sdk_error("AllocateAddress", error))?;
        let allocation_id = output.allocation_id().ok_or_else(|| ProviderError::Aws {
            operation: "AllocateAddress".to_string(),
            code: "EmptyResponse".to_string(),
            message: "the answer carried no allocation id".to_string(),
        })?;
        let public_ip = output.public_ip();
        let mut attributes = Attributes::new();
        attributes.insert("id".into(), Value::string(allocation_id));
        attributes.insert("allocation_id".into(), Value::string(allocation_id));
        attributes.insert(
            "domain".into(),
            Value::string(
                output
                    .domain()
                    .map(|domain| domain.as_str())
                    .unwrap_or(&domain),
            ),
        );
        attributes.insert(
            "public_ip".into(),
            public_ip.map(Value::string).unwrap_or_default(),
        );
        attributes.insert(
            "public_dns".into(),
            public_ip
                .map(|ip| Value::String(public_dns(&context.aws().region, ip)))
                .unwrap_or_default(),
        );
        let domain_returned = attributes
            .get("domain")
            .and_then(Value::as_str)
            .map(str::to_string);
        attributes.insert(
            "vpc".into(),
            Value::Bool(domain_returned.as_deref() == Some("vpc")),
        );
        for unassociated in ["private_ip", "association_id", "network_interface"] {
            attributes.insert(unassociated.into(), Value::Null);
        }
        let (tags, tags_all) =
            crate::aws::kit::tags::split_tags(context, context.tags_for(desired));
        attributes.insert("tags".into(), tags);
        attributes.insert("tags_all".into(), tags_all);
        Ok(attributes)
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
            .describe_addresses()
            .allocation_ids(id)
            .send()
            .await
        {
            Ok(output) => output,
            Err(error) => {
                let error = sdk_error("DescribeAddresses", error);
                return crate::aws::kit::none_if_gone(error);
            }
        };
        Ok(output
            .addresses()
            .first()
            .map(|address| address_attributes(context, address)))
    }

    async fn list_managed(
        &self,
        context: &ProviderContext,
        stack: &str,
    ) -> Result<Vec<(String, String)>, ProviderError> {
        let output = context
            .aws()
            .ec2
            .describe_addresses()
            .filters(common::stack_filter(stack))
            .send()
            .await
            .map_err(|error| sdk_error("DescribeAddresses", error))?;
        Ok(common::managed_by_stack(
            stack,
            output
                .addresses()
                .iter()
                .map(|address| (address.allocation_id(), address.tags())),
        ))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        sync_tags(&common::Ec2Tags, context, id, prior, desired).await?;
        self.read(context, id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("elastic IP {id} disappeared during update"))
        })
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let client = &context.aws().ec2;
        crate::aws::kit::wait::send_delete_retrying_on(
            "ReleaseAddress",
            &format!("elastic IP {id} to be released"),
            RELEASE_LIMIT,
            &["InvalidIPAddress.InUse", "AuthFailure"],
            || client.release_address().allocation_id(id).send(),
        )
        .await
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        _desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let output = context
            .aws()
            .ec2
            .describe_addresses()
            .set_filters(Some(common::recovery_filters(context)))
            .send()
            .await
            .map_err(|error| sdk_error("DescribeAddresses", error))?;
        Ok(output
            .addresses()
            .iter()
            .find(|address| common::carries_recovery_tags(context, address.tags()))
            .map(|address| address_attributes(context, address)))
    }
}

/// Every schema attribute from a DescribeAddresses answer.
fn address_attributes(
    context: &ProviderContext,
    address: &aws_sdk_ec2::types::Address,
) -> Attributes {
    let text = |value: Option<&str>| value.map(Value::string).unwrap_or_default();
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), text(address.allocation_id()));
    attributes.insert("allocation_id".into(), text(address.allocation_id()));
    attributes.insert(
        "domain".into(),
        text(address.domain().map(|domain| domain.as_str())),
    );
    attributes.insert(
        "vpc".into(),
        Value::Bool(
            address
                .domain()
                .is_some_and(|domain| domain.as_str() == "vpc"),
        ),
    );
    attributes.insert("public_ip".into(), text(address.public_ip()));
    attributes.insert(
        "public_dns".into(),
        address
            .public_ip()
            .map(|ip| Value::String(public_dns(&context.aws().region, ip)))
            .unwrap_or_default(),
    );
    attributes.insert("private_ip".into(), text(address.private_ip_address()));
    attributes.insert("association_id".into(), text(address.association_id()));
    attributes.insert(
        "network_interface".into(),
        text(address.network_interface_id()),
    );
    common::put_tags(context, &mut attributes, address.tags());
    attributes
}

/// The public DNS name AWS gives an address: `ec2-1-2-3-4.compute-1.amazonaws.com` in
/// us-east-1, `ec2-1-2-3-4.<region>.compute.amazonaws.com` elsewhere (`.amazonaws.com.cn` in
/// China).
fn public_dns(region: &str, public_ip: &str) -> String {
    let host = format!("ec2-{}", public_ip.replace('.', "-"));
    if region == "us-east-1" {
        format!("{host}.compute-1.amazonaws.com")
    } else if region.starts_with("cn-") {
        format!("{host}.{region}.compute.amazonaws.com.cn")
    } else {
        format!("{host}.{region}.compute.amazonaws.com")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_dns_follows_aws_naming() {
        assert_eq!(
            public_dns("us-east-1", "3.4.5.6"),
            "ec2-3-4-5-6.compute-1.amazonaws.com"
        );
        assert_eq!(
            public_dns("eu-west-1", "3.4.5.6"),
            "ec2-3-4-5-6.eu-west-1.compute.amazonaws.com"
        );
        assert_eq!(
            public_dns("cn-north-1", "3.4.5.6"),
            "ec2-3-4-5-6.cn-north-1.compute.amazonaws.com.cn"
        );
    }

    #[test]
    fn domain_defaults_to_vpc_and_forces_replacement() {
        let eip = Eip::new();
        let domain = eip.schema().attribute("domain");
        assert!(domain.is_some_and(|a| a.force_new && a.default == Some(Value::string("vpc"))));
    }
}
