//! Helpers shared by the ECS types: tags in ECS's shape and ECS's tag calls.

use std::collections::BTreeMap;

use aws_sdk_ecs::types::Tag;

use crate::aws::kit::tags::{tag_api, tag_map};

/// Tags as ECS returns them, as a map.
pub fn tags_from_ecs(tags: &[Tag]) -> BTreeMap<String, String> {
    tag_map(tags, |tag| (tag.key(), tag.value()))
}

tag_api! {
    /// ECS's tag calls, on an ARN.
    pub(crate) struct EcsTags for ecs {
        list: "ListTagsForResource" list_tags_for_resource(resource_arn)
            => |output| tags_from_ecs(output.tags()),
        tag: "TagResource" tag_resource(resource_arn).set_tags(|tags| Some(ecs_tags(tags))),
        untag: "UntagResource" untag_resource(resource_arn)
            .set_tag_keys(|keys| Some(keys.to_vec())),
    }
}

/// Tags as ECS takes them.
pub fn ecs_tags(tags: &BTreeMap<String, String>) -> Vec<Tag> {
    tags.iter()
        .map(|(key, value)| Tag::builder().key(key).value(value).build())
        .collect()
}


