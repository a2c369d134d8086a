//! EFS (file systems, mount targets, access points) resource types: one file per type, registered
//! here, plus the tag helpers they share.

pub mod efs_access_point;
pub mod efs_file_system;
pub mod efs_mount_target;

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::aws::kit::tags::{tag_api, tag_map};
use crate::error::ProviderError;
use crate::registry::Registry;

pub fn register(registry: &mut Registry) {
    registry.register(Arc::new(efs_file_system::EfsFileSystem::new()));
    registry.register(Arc::new(efs_mount_target::EfsMountTarget::new()));
    registry.register(Arc::new(efs_access_point::EfsAccessPoint::new()));
}

/// Key → value map of the tags EFS returned.
pub(crate) fn tags_from_efs(tags: &[aws_sdk_efs::types::Tag]) -> BTreeMap<String, String> {
    tag_map(tags, |tag| (Some(tag.key()), Some(tag.value())))
}

tag_api! {
    /// EFS's tag calls, on a file system or access point id.
    pub(crate) struct EfsTags for efs {
        list: "ListTagsForResource" list_tags_for_resource(resource_id)
            => |output| tags_from_efs(output.tags()),
        tag: "TagResource" tag_resource(resource_id).set_tags(|tags| Some(efs_tags(tags)?)),
        untag: "UntagResource" untag_resource(resource_id)
            .set_tag_keys(|keys| Some(keys.to_vec())),
    }
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
