//! Cloud Map (service discovery) resource types: one file per type, registered here, plus the
//! helpers they share (tags, polling an asynchronous operation).

pub mod service_discovery_private_dns_namespace;
pub mod service_discovery_service;

use crate::aws::AwsContext;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use aws_sdk_servicediscovery::types::{OperationStatus, OperationTargetType};

use crate::aws::kit::sdk_error;
use crate::aws::kit::tags::{tag_api, tag_map, TagApi};
use crate::aws::kit::wait::{self, Poll};
use crate::error::ProviderError;
use crate::provider::ProviderContext;
use crate::registry::Registry;

pub fn register(registry: &mut Registry) {
    registry.register(Arc::new(
        service_discovery_private_dns_namespace::ServiceDiscoveryPrivateDnsNamespace::new(),
    ));
    registry.register(Arc::new(
        service_discovery_service::ServiceDiscoveryService::new(),
    ));
}

tag_api! {
    /// Cloud Map's tag calls, on an ARN.
    pub(crate) struct CloudMapTags for servicediscovery {
        list: "ListTagsForResource" list_tags_for_resource(resource_arn)
            => |output| tag_map(output.tags(), |tag| (Some(tag.key()), Some(tag.value()))),
        tag: "TagResource" tag_resource(resource_arn).set_tags(|tags| Some(cloud_map_tags(tags)?)),
        untag: "UntagResource" untag_resource(resource_arn)
            .set_tag_keys(|keys| Some(keys.to_vec())),
    }
}

/// ListTagsForResource on `arn`, as a key → value map.
pub(crate) async fn list_tags(
    context: &ProviderContext,
    arn: &str,
) -> Result<BTreeMap<String, String>, ProviderError> {
    CloudMapTags.list(context, arn).await
}

/// Cloud Map tags from a key → value map.
pub(crate) fn cloud_map_tags(
    tags: &BTreeMap<String, String>,
) -> Result<Vec<aws_sdk_servicediscovery::types::Tag>, ProviderError> {
    tags.iter()
        .map(|(key, value)| {
            aws_sdk_servicediscovery::types::Tag::builder()
                .key(key)
                .value(value)
                .build()
                .map_err(|error| ProviderError::invalid("tags", error.to_string()))
        })
        .collect()
}

/// How long an asynchronous Cloud Map operation (namespace create / delete, service update)
/// may take; creating a private DNS namespace (a Route 53 hosted zone) takes about a minute.
pub(crate) const OPERATION_LIMIT: Duration = Duration::from_secs(10 * 60);

/// Polls GetOperation until `operation_id` succeeds and returns its targets (`NAMESPACE` →
/// namespace id, ...); a failed operation is an error carrying AWS's code and message.
pub(crate) async fn wait_for_operation(
    context: &ProviderContext,
    operation_id: &str,
    what: &str,
) -> Result<BTreeMap<String, String>, ProviderError> {
    wait::until(
        &format!("Cloud Map operation {operation_id} ({what}) to succeed"),
        OPERATION_LIMIT,
        || async {
            let output = context
                .aws()
                .servicediscovery
                .get_operation()
                .operation_id(operation_id)
                .send()
                .await
                .map_err(|error| sdk_error("GetOperation", error))?;
            let Some(operation) = output.operation() else {
                return Ok(Poll::Pending);
            };
            match operation.status() {
                Some(OperationStatus::Success) => Ok(Poll::Ready(
                    operation
                        .targets()
                        .map(|targets| {
                            targets
                                .iter()
                                .map(|(kind, id)| (kind.as_str().to_string(), id.clone()))
                                .collect()
                        })
                        .unwrap_or_default(),
                )),
                Some(OperationStatus::Fail) => Err(ProviderError::Aws {
                    operation: what.to_string(),
                    code: operation.error_code().unwrap_or("Fail").to_string(),
                    message: operation.error_message().unwrap_or_default().to_string(),
                }),
                _ => Ok(Poll::Pending),
            }
        },
    )
    .await
}

/// The namespace id among an operation's targets.
pub(crate) fn namespace_target(targets: &BTreeMap<String, String>) -> Option<String> {
    targets
        .get(OperationTargetType::Namespace.as_str())
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_namespace_id_comes_from_the_namespace_target() {
        let mut targets = BTreeMap::new();
        targets.insert("NAMESPACE".to_string(), "ns-123".to_string());
        assert_eq!(namespace_target(&targets), Some("ns-123".to_string()));
        assert_eq!(namespace_target(&BTreeMap::new()), None);
    }
}
