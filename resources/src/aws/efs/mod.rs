//! EFS (file systems, mount targets, access points) resource types: one file per type, registered
//! here, plus the tag helpers they share.

pub mod efs_access_point;
pub mod efs_file_system;
pub mod efs_mount_target;

use crate::aws::AwsContext;
use std::collections::BTreeMap;
use std::sync::Arc;

use crate::aws::kit::sdk_error;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext};
use crate::registry::Registry;

pub fn register(registry: &mut Registry) {
    registry.register(Arc::new(efs_file_system::EfsFileSystem::new()));
    registry.register(Arc::new(efs_mount_target::EfsMountTarget::new()));
    registry.register(Arc::new(efs_access_point::EfsAccessPoint::new()));
}

/// EFS tags from a key → value map.
pub(crate) fn efs_tags(
    tags: &BTreeMap<String, String>,
) -> Result<Vec<aws_sdk_efs::types::Tag>, ProviderError> {
    tags.iter()
        .map(|(key, value)| {
            aws_sdk_efs::types::Tag::builder()
                .key(key)
                .value(value)
                .build()
                .map_err(|error| ProviderError::invalid("tags", error.to_string()))
        })
        .collect()
}

/// Key → value map of the tags EFS returned.
pub(crate) fn tags_from_efs(tags: &[aws_sdk_efs::types::Tag]) -> BTreeMap<String, String> {
    tags.iter()
        .map(|tag| (tag.key().to_string(), tag.value().to_string()))
        .collect()
}

/// Brings the tags of the EFS resource `resource_id` (file system or access point id) from
/// `prior` to `desired` with TagResource / UntagResource (only when something differs).
pub(crate) async fn update_tags(
    context: &ProviderContext,
    resource_id: &str,
    prior: &Attributes,
    desired: &Attributes,
) -> Result<(), ProviderError> {
    let (set, removed) =
        crate::aws::kit::tags::tag_changes(&context.tags_for(prior), &context.tags_for(desired));
    let client = &context.aws().efs;
    if !removed.is_empty() {
        client
            .untag_resource()
            .resource_id(resource_id)
            .set_tag_keys(Some(removed))
            .send()
            .await
            .map_err(|error| sdk_error("UntagResource", error))?;
    }
    if !set.is_empty() {
        client
            .tag_resource()
            .resource_id(resource_id)
            .set_tags(Some(efs_tags(&set)?))
            .send()
            .await
            .map_err(|error| sdk_error("TagResource", error))?;
    }
    Ok(())
}
