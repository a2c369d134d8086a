//! `aws_internet_gateway`: an internet gateway, attached to at most one VPC.
//!
//! AWS calls: CreateInternetGateway (tagged through TagSpecifications),
//! DescribeInternetGateways, AttachInternetGateway, DetachInternetGateway, CreateTags /
//! DeleteTags, DeleteInternetGateway. Detach and delete are retried on `DependencyViolation` for
//! up to 10 minutes (AWS refuses to detach while elastic IPs are still mapped in the VPC, for
//! example those of a NAT gateway being deleted).
//!
//! Replacement: nothing. A change of `vpc_id` detaches from the old VPC and attaches to the new
//! one in place; tags change in place.
//!
//! Readiness: `create` returns as soon as the gateway exists; `wait_until_ready` attaches it to
//! `vpc_id` (retried briefly while a new VPC or gateway id is not yet visible everywhere). The
//! create answer and the attachment are the gateway's attributes: two calls, no read, unless
//! AttachInternetGateway answers `Resource.AlreadyAssociated` (a resumed create), which reads to
//! see where it is attached.
//!
//! Recovery: DescribeInternetGateways filtered by the `provision:*` tags. The ARN is built from
//! region, owner and id (the describe answer carries none).
//!
//! Drift: `list_managed` is DescribeInternetGateways filtered by the `provision:stack` tag; reads
//! stay one DescribeInternetGateways per gateway.

use crate::aws::kit::attributes;
use crate::aws::kit::tags::sync_tags;
use crate::aws::AwsContext;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_ec2::types::ResourceType;

use crate::aws::ec2::common;
use crate::aws::kit::sdk_error;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

/// How long attaching is retried while a just-created VPC or gateway is not yet visible.
const ATTACH_LIMIT: Duration = Duration::from_secs(2 * 60);
/// How long detaching and deleting are retried on `DependencyViolation`.
const DETACH_LIMIT: Duration = Duration::from_secs(10 * 60);

pub struct InternetGateway {
    schema: Schema,
}

impl InternetGateway {
    pub fn new() -> Self {
        InternetGateway {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The gateway id (igw-...)."),
                Attribute::optional("vpc_id", AttrType::String)
                    .describe("The VPC to attach to; changing it re-attaches in place."),
                Attribute::computed("arn", AttrType::String),
                Attribute::computed("owner_id", AttrType::String),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ]),
        }
    }
}

impl Default for InternetGateway {
    fn default() -> Self {
        InternetGateway::new()
    }
}

#[async_trait]
impl Resource for InternetGateway {
    fn type_name(&self) -> &'static str {
        "aws_internet_gateway"
    }

    fn import_id(&self) -> String {
        "internet gateway id (igw-…)".to_string()
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
            .create_internet_gateway()
            .tag_specifications(common::tag_specification(
                context,
                ResourceType::InternetGateway,
                desired,
            ))
            .send()
            .await
            .map_err(|error| sdk_error("CreateInternetGateway", error))?;
        let gateway = output
            .internet_gateway()
            .filter(|gateway| gateway.internet_gateway_id().is_some())
            .ok_or_else(|| ProviderError::Aws {
                operation: "CreateInternetGateway".to_string(),
                code: "EmptyResponse".to_string(),
                message: "the answer carried no internet gateway id".to_string(),
            })?;
        let mut attributes = gateway_attributes(context, gateway);
        // The intended attachment: `wait_until_ready` makes it.
        attributes.insert(
            "vpc_id".into(),
            attributes::optional_string(desired, "vpc_id")
                .map(Value::String)
                .unwrap_or_default(),
        );
        Ok(attributes)
    }

    async fn wait_until_ready(
        &self,
        context: &ProviderContext,
        created: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let id = attributes::required_string(created, "id")?;
        let Some(vpc_id) = attributes::optional_string(created, "vpc_id") else {
            return Ok(created.clone());
        };
        match attach(context, &id, &vpc_id).await {
            // The create answer and the attachment just made are the gateway's attributes.
            Ok(()) => Ok(created.clone()),
            // A create resumed after an interruption may find it attached already: read to see
            // where.
            Err(error) if error.code() == Some("Resource.AlreadyAssociated") => {
                let current = self.read(context, &id, created).await?.ok_or_else(|| {
                    ProviderError::Refused(format!(
                        "internet gateway {id} disappeared while waiting"
                    ))
                })?;
                if attributes::optional_string(&current, "vpc_id").as_deref() == Some(&vpc_id) {
                    Ok(current)
                } else {
                    Err(error)
                }
            }
            Err(error) => Err(error),
        }
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
            .describe_internet_gateways()
            .internet_gateway_ids(id)
            .send()
            .await
        {
            Ok(output) => output,
            Err(error) => {
                let error = sdk_error("DescribeInternetGateways", error);
                return crate::aws::kit::none_if_gone(error);
            }
        };
        Ok(output
            .internet_gateways()
            .first()
            .map(|gateway| gateway_attributes(context, gateway)))
    }

    async fn list_managed(
        &self,
        context: &ProviderContext,
        stack: &str,
    ) -> Result<Vec<(String, String)>, ProviderError> {
        common::list_managed::<aws_sdk_ec2::types::InternetGateway>(context, stack, |_| true).await
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let prior_vpc = attributes::optional_string(prior, "vpc_id");
        let desired_vpc = attributes::optional_string(desired, "vpc_id");
        if prior_vpc != desired_vpc {
            if let Some(vpc_id) = &prior_vpc {
                detach(context, id, vpc_id).await?;
            }
            if let Some(vpc_id) = &desired_vpc {
                attach(context, id, vpc_id).await?;
            }
        }
        sync_tags(&common::Ec2Tags, context, id, prior, desired).await?;
        self.read(context, id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("internet gateway {id} disappeared during update"))
        })
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let client = &context.aws().ec2;
        let output = match client
            .describe_internet_gateways()
            .internet_gateway_ids(id)
            .send()
            .await
        {
            Ok(output) => output,
            Err(error) => {
                let error = sdk_error("DescribeInternetGateways", error);
                return crate::aws::kit::ok_if_gone(error);
            }
        };
        let attached_vpcs: Vec<String> = output
            .internet_gateways()
            .iter()
            .flat_map(|gateway| gateway.attachments())
            .filter_map(|attachment| attachment.vpc_id())
            .map(str::to_string)
            .collect();
        for vpc_id in &attached_vpcs {
            detach(context, id, vpc_id).await?;
        }
        crate::aws::kit::wait::send_delete_retrying_on(
            "DeleteInternetGateway",
            &format!("internet gateway {id} to be deleted"),
            DETACH_LIMIT,
            &["DependencyViolation"],
            || {
                client
                    .delete_internet_gateway()
                    .internet_gateway_id(id)
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
        common::recover_then_read::<aws_sdk_ec2::types::InternetGateway>(self, context, desired)
            .await
    }
}

/// Every schema attribute from a DescribeInternetGateways / CreateInternetGateway answer.
fn gateway_attributes(
    context: &ProviderContext,
    gateway: &aws_sdk_ec2::types::InternetGateway,
) -> Attributes {
    let id = gateway.internet_gateway_id().unwrap_or_default();
    let owner_id = gateway.owner_id().unwrap_or_default();
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::string(id));
    attributes.insert(
        "vpc_id".into(),
        attached_vpc(gateway).map(Value::string).unwrap_or_default(),
    );
    attributes.insert(
        "owner_id".into(),
        gateway.owner_id().map(Value::string).unwrap_or_default(),
    );
    attributes.insert(
        "arn".into(),
        Value::String(common::ec2_arn(
            &context.aws().region,
            owner_id,
            "internet-gateway",
            id,
        )),
    );
    common::put_tags(context, &mut attributes, gateway.tags());
    attributes
}

/// The VPC the gateway is attached to (or attaching to); detached attachments do not count.
fn attached_vpc(gateway: &aws_sdk_ec2::types::InternetGateway) -> Option<&str> {
    gateway
        .attachments()
        .iter()
        .find(|attachment| {
            !matches!(
                attachment.state().map(|state| state.as_str()),
                Some("detached" | "detaching")
            )
        })
        .and_then(|attachment| attachment.vpc_id())
}

async fn attach(context: &ProviderContext, id: &str, vpc_id: &str) -> Result<(), ProviderError> {
    let client = &context.aws().ec2;
    crate::aws::kit::wait::retry_on(
        &format!("internet gateway {id} to attach to {vpc_id}"),
        ATTACH_LIMIT,
        &["InvalidInternetGatewayID.NotFound", "InvalidVpcID.NotFound"],
        || async {
            client
                .attach_internet_gateway()
                .internet_gateway_id(id)
                .vpc_id(vpc_id)
                .send()
                .await
                .map(|_| ())
                .map_err(|error| sdk_error("AttachInternetGateway", error))
        },
    )
    .await
}

/// Detaches from `vpc_id`; a gateway that is not attached there (any more) is fine.
async fn detach(context: &ProviderContext, id: &str, vpc_id: &str) -> Result<(), ProviderError> {
    let client = &context.aws().ec2;
    let result = crate::aws::kit::wait::retry_on(
        &format!("internet gateway {id} to detach from {vpc_id}"),
        DETACH_LIMIT,
        &["DependencyViolation"],
        || async {
            client
                .detach_internet_gateway()
                .internet_gateway_id(id)
                .vpc_id(vpc_id)
                .send()
                .await
                .map(|_| ())
                .map_err(|error| sdk_error("DetachInternetGateway", error))
        },
    )
    .await;
    match result {
        Err(error) if is_already_detached(&error) => Ok(()),
        other => other,
    }
}

/// Detach answers that mean there is nothing left to detach.
fn is_already_detached(error: &ProviderError) -> bool {
    crate::aws::kit::is_gone(error, &["Gateway.NotAttached"])
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::{AttachmentStatus, InternetGatewayAttachment};

    fn gateway(states: &[(&str, AttachmentStatus)]) -> aws_sdk_ec2::types::InternetGateway {
        aws_sdk_ec2::types::InternetGateway::builder()
            .set_attachments(Some(
                states
                    .iter()
                    .map(|(vpc_id, state)| {
                        InternetGatewayAttachment::builder()
                            .vpc_id(*vpc_id)
                            .state(state.clone())
                            .build()
                    })
                    .collect(),
            ))
            .build()
    }

    #[test]
    fn attached_vpc_ignores_detached_attachments() {
        assert_eq!(attached_vpc(&gateway(&[])), None);
        assert_eq!(
            attached_vpc(&gateway(&[("vpc-1", AttachmentStatus::Detached)])),
            None
        );
        assert_eq!(
            attached_vpc(&gateway(&[
                ("vpc-1", AttachmentStatus::Detaching),
                ("vpc-2", AttachmentStatus::Attached),
            ])),
            Some("vpc-2")
        );
    }

    #[test]
    fn not_attached_counts_as_detached() {
        let error = ProviderError::Aws {
            operation: "DetachInternetGateway".into(),
            code: "Gateway.NotAttached".into(),
            message: String::new(),
        };
        assert!(is_already_detached(&error));
        let error = ProviderError::Aws {
            operation: "DetachInternetGateway".into(),
            code: "DependencyViolation".into(),
            message: String::new(),
        };
        assert!(!is_already_detached(&error));
    }
}
