//! `aws_nat_gateway`: a NAT gateway in a subnet, public (with an Elastic IP) or private.
//!
//! AWS calls: CreateNatGateway (tagged through TagSpecifications, with ClientToken = the
//! pending operation's idempotency token), DescribeNatGateways, CreateTags / DeleteTags,
//! DeleteNatGateway.
//!
//! Replacement: a change of `allocation_id`, `subnet_id` or `connectivity_type`. Tags change in
//! place.
//!
//! Readiness: `create` returns as soon as the id is known (state `pending`);
//! `wait_until_ready` polls until `available` (limit 10 minutes) and fails with AWS's failure
//! code and message when the gateway goes `failed`. `delete` waits until `deleted` (limit 10
//! minutes), so the subnet and Elastic IP can go right after.
//!
//! Recovery: DescribeNatGateways filtered by the `provision:*` tags (pending or available
//! gateways), checked client-side as well.
//!
//! Drift: `list_managed` is DescribeNatGateways filtered by the `provision:stack` tag (checked
//! client-side; deleted gateways left out); reads stay one DescribeNatGateways per gateway.
//!
//! Emulator gaps (moto 5.2.1): the gateway is `available` at once; ClientToken is ignored (a
//! retried create fails with `Resource.AlreadyAssociated` instead of returning the first
//! gateway), so recovery by tags is what the tests can show; `tag:` filters are ignored (hence
//! the client-side check); DeleteNatGateway of an unknown id answers 500 (hence the describe
//! before deleting).

use crate::aws::kit::attributes;
use crate::aws::kit::tags::sync_tags;
use crate::aws::kit::ResultExt;
use crate::aws::AwsContext;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_ec2::types::{ConnectivityType, Filter, ResourceType};

use crate::aws::ec2::common;
use crate::aws::kit::sdk_error;
use crate::aws::kit::wait::{self, Poll};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

/// How long a new NAT gateway may take to become `available` (about 2 minutes is usual).
const AVAILABLE_LIMIT: Duration = Duration::from_secs(10 * 60);
/// How long a deleted NAT gateway may take to reach `deleted`.
const DELETED_LIMIT: Duration = Duration::from_secs(10 * 60);

pub struct NatGateway {
    schema: Schema,
}

impl NatGateway {
    pub fn new() -> Self {
        NatGateway {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The gateway id (nat-...)."),
                Attribute::optional("allocation_id", AttrType::String)
                    .force_new()
                    .describe("The Elastic IP allocation id of a public gateway."),
                Attribute::required("subnet_id", AttrType::String).force_new(),
                Attribute::optional("connectivity_type", AttrType::String)
                    .default("public")
                    .force_new()
                    .describe("`public` or `private`."),
                Attribute::computed("private_ip", AttrType::String),
                Attribute::computed("public_ip", AttrType::String),
                Attribute::computed("network_interface_id", AttrType::String),
                Attribute::computed("association_id", AttrType::String),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ]),
        }
    }
}

impl Default for NatGateway {
    fn default() -> Self {
        NatGateway::new()
    }
}

#[async_trait]
impl Resource for NatGateway {
    fn type_name(&self) -> &'static str {
        "aws_nat_gateway"
    }

    fn import_id(&self) -> String {
        "NAT gateway id (nat-…)".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let connectivity_type = attributes::optional_string(desired, "connectivity_type")
            .unwrap_or_else(|| "public".into());
        let output = context
            .aws()
            .ec2
            .create_nat_gateway()
            .subnet_id(attributes::required_string(desired, "subnet_id")?)
            .set_allocation_id(attributes::optional_string(desired, "allocation_id"))
            .connectivity_type(ConnectivityType::from(connectivity_type.as_str()))
            .client_token(&context.idempotency_token)
            .tag_specifications(common::tag_specification(
                context,
                ResourceType::Natgateway,
                desired,
            ))
            .send()
            .await
            .map_err(|error| sdk_error("CreateNatGateway", error))?;
        let gateway = output
            .nat_gateway()
            .filter(|gateway| gateway.nat_gateway_id().is_some())
            .ok_or_else(|| ProviderError::Aws {
                operation: "CreateNatGateway".to_string(),
                code: "EmptyResponse".to_string(),
                message: "the answer carried no NAT gateway id".to_string(),
            })?;
        let mut attributes = gateway_attributes(context, gateway);
        if matches!(
            attributes.get("connectivity_type"),
            None | Some(Value::Null)
        ) {
            attributes.insert("connectivity_type".into(), Value::String(connectivity_type));
        }
        if matches!(attributes.get("allocation_id"), None | Some(Value::Null)) {
            attributes.insert(
                "allocation_id".into(),
                attributes::optional_string(desired, "allocation_id")
                    .map(Value::String)
                    .unwrap_or_default(),
            );
        }
        Ok(attributes)
    }

    async fn wait_until_ready(
        &self,
        context: &ProviderContext,
        created: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let id = attributes::required_string(created, "id")?;
        let client = &context.aws().ec2;
        wait::until(
            &format!("NAT gateway {id} to become available"),
            AVAILABLE_LIMIT,
            || async {
                let output = client
                    .describe_nat_gateways()
                    .nat_gateway_ids(&id)
                    .send()
                    .await
                    .map_err(|error| sdk_error("DescribeNatGateways", error));
                // Eventual consistency: a new id can be unknown for a moment.
                let Some(output) = output.not_found_as_none()? else {
                    return Ok(Poll::Pending);
                };
                let Some(gateway) = output.nat_gateways().first() else {
                    return Ok(Poll::Pending);
                };
                match gateway.state().map(|state| state.as_str()) {
                    Some("available") => Ok(Poll::Ready(gateway_attributes(context, gateway))),
                    Some(state @ ("failed" | "deleting" | "deleted")) => {
                        Err(creation_failure(&id, state, gateway))
                    }
                    _ => Ok(Poll::Pending),
                }
            },
        )
        .await
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        Ok(describe(context, id)
            .await?
            .filter(|gateway| !is_deleted(gateway))
            .map(|gateway| gateway_attributes(context, &gateway)))
    }

    async fn list_managed(
        &self,
        context: &ProviderContext,
        stack: &str,
    ) -> Result<Vec<(String, String)>, ProviderError> {
        common::list_managed(
            context,
            stack,
            |gateway: &aws_sdk_ec2::types::NatGateway| {
                !is_deleted(gateway)
                    && gateway.state().map(|state| state.as_str()) != Some("deleting")
            },
        )
        .await
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
            ProviderError::Refused(format!("NAT gateway {id} disappeared during update"))
        })
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let client = &context.aws().ec2;
        let Some(gateway) = describe(context, id).await? else {
            return Ok(());
        };
        if is_deleted(&gateway) {
            return Ok(());
        }
        if gateway.state().map(|state| state.as_str()) != Some("deleting") {
            client
                .delete_nat_gateway()
                .nat_gateway_id(id)
                .send()
                .await
                .map_err(|error| sdk_error("DeleteNatGateway", error))
                .gone_is_ok()?;
        }
        wait::until(
            &format!("NAT gateway {id} to be deleted"),
            DELETED_LIMIT,
            || async {
                Ok(match describe(context, id).await? {
                    None => Poll::Ready(()),
                    Some(gateway) if is_deleted(&gateway) => Poll::Ready(()),
                    Some(_) => Poll::Pending,
                })
            },
        )
        .await
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        _desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let mut filters = common::recovery_filters(context);
        filters.push(
            Filter::builder()
                .name("state")
                .values("pending")
                .values("available")
                .build(),
        );
        let found = common::recovered(context, filters, |gateway| !is_deleted(gateway)).await?;
        Ok(found.map(|gateway| gateway_attributes(context, &gateway)))
    }
}

/// DescribeNatGateways for one id; `None` when AWS does not know it.
async fn describe(
    context: &ProviderContext,
    id: &str,
) -> Result<Option<aws_sdk_ec2::types::NatGateway>, ProviderError> {
    let found = common::described(context, id).await?;
    Ok(found.and_then(|gateways| gateways.into_iter().next()))
}

/// A gateway in state `deleted` is gone (AWS keeps showing it for about an hour).
fn is_deleted(gateway: &aws_sdk_ec2::types::NatGateway) -> bool {
    gateway.state().map(|state| state.as_str()) == Some("deleted")
}

/// The error for a gateway that will never become available, with AWS's own reason.
fn creation_failure(
    id: &str,
    state: &str,
    gateway: &aws_sdk_ec2::types::NatGateway,
) -> ProviderError {
    ProviderError::Aws {
        operation: "CreateNatGateway".to_string(),
        code: gateway
            .failure_code()
            .unwrap_or("NatGatewayFailed")
            .to_string(),
        message: format!(
            "NAT gateway {id} went `{state}` instead of `available`: {}",
            gateway
                .failure_message()
                .unwrap_or("AWS gave no failure message")
        ),
    }
}

/// Every schema attribute from a DescribeNatGateways / CreateNatGateway answer. The address
/// attributes come from the primary address (the first when none is marked primary).
fn gateway_attributes(
    context: &ProviderContext,
    gateway: &aws_sdk_ec2::types::NatGateway,
) -> Attributes {
    let text = |value: Option<&str>| value.map(Value::string).unwrap_or_default();
    let addresses = gateway.nat_gateway_addresses();
    let primary = addresses
        .iter()
        .find(|address| address.is_primary() == Some(true))
        .or_else(|| addresses.first());
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), text(gateway.nat_gateway_id()));
    attributes.insert("subnet_id".into(), text(gateway.subnet_id()));
    attributes.insert(
        "connectivity_type".into(),
        text(gateway.connectivity_type().map(|kind| kind.as_str())),
    );
    attributes.insert(
        "allocation_id".into(),
        text(primary.and_then(|address| address.allocation_id())),
    );
    attributes.insert(
        "private_ip".into(),
        text(primary.and_then(|address| address.private_ip())),
    );
    attributes.insert(
        "public_ip".into(),
        text(primary.and_then(|address| address.public_ip())),
    );
    attributes.insert(
        "network_interface_id".into(),
        text(primary.and_then(|address| address.network_interface_id())),
    );
    attributes.insert(
        "association_id".into(),
        text(primary.and_then(|address| address.association_id())),
    );
    common::put_tags(context, &mut attributes, gateway.tags());
    attributes
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::{NatGatewayAddress, NatGatewayState};

    #[test]
    fn failure_carries_aws_reason() {
        let gateway = aws_sdk_ec2::types::NatGateway::builder()
            .state(NatGatewayState::Failed)
            .failure_code("InsufficientFreeAddressesInSubnet")
            .failure_message("Subnet has insufficient free addresses")
            .build();
        let error = creation_failure("nat-1", "failed", &gateway);
        assert_eq!(error.code(), Some("InsufficientFreeAddressesInSubnet"));
        assert!(error.to_string().contains("insufficient free addresses"));
        assert!(error.to_string().contains("nat-1"));
    }

    #[test]
    fn deleted_state_means_gone() {
        let deleted = aws_sdk_ec2::types::NatGateway::builder()
            .state(NatGatewayState::Deleted)
            .build();
        let deleting = aws_sdk_ec2::types::NatGateway::builder()
            .state(NatGatewayState::Deleting)
            .build();
        assert!(is_deleted(&deleted));
        assert!(!is_deleted(&deleting));
    }

    #[test]
    fn primary_address_fills_ip_attributes() {
        let gateway = aws_sdk_ec2::types::NatGateway::builder()
            .nat_gateway_id("nat-1")
            .nat_gateway_addresses(
                NatGatewayAddress::builder()
                    .private_ip("10.0.0.9")
                    .is_primary(false)
                    .build(),
            )
            .nat_gateway_addresses(
                NatGatewayAddress::builder()
                    .allocation_id("eipalloc-1")
                    .public_ip("3.4.5.6")
                    .private_ip("10.0.0.5")
                    .network_interface_id("eni-1")
                    .is_primary(true)
                    .build(),
            )
            .build();
        let attributes = gateway_attributes_without_tags(&gateway);
        assert_eq!(attributes.get("public_ip"), Some(&Value::string("3.4.5.6")));
        assert_eq!(
            attributes.get("private_ip"),
            Some(&Value::string("10.0.0.5"))
        );
        assert_eq!(
            attributes.get("allocation_id"),
            Some(&Value::string("eipalloc-1"))
        );
        assert_eq!(attributes.get("association_id"), Some(&Value::Null));
    }

    /// `gateway_attributes` needs a context only for tags; these tests check the rest.
    fn gateway_attributes_without_tags(gateway: &aws_sdk_ec2::types::NatGateway) -> Attributes {
        let sdk_config = aws_types::SdkConfig::builder()
            .behavior_version(aws_sdk_ec2::config::BehaviorVersion::latest())
            .region(aws_types::region::Region::new("us-east-1"))
            .build();
        let context = ProviderContext {
            clients: std::sync::Arc::new(crate::aws::AwsClients::from_config(&sdk_config)),
            stack: "test/stack".into(),
            address: "aws_nat_gateway.test".into(),
            default_tags: Default::default(),
            idempotency_token: "token".into(),
            progress: Default::default(),
        };
        gateway_attributes(&context, gateway)
    }
}
