//! Helpers shared by the ECS types: tags in ECS's shape, tag updates on an ARN, nested-block
//! access and the "keep what the spec said when AWS answers nothing" rule.

use crate::aws::AwsContext;
use std::collections::BTreeMap;

use aws_sdk_ecs::types::Tag;

use crate::aws::kit::sdk_error;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext};

/// Tags as ECS takes them.
pub fn ecs_tags(tags: &BTreeMap<String, String>) -> Vec<Tag> {
    tags.iter()
        .map(|(key, value)| Tag::builder().key(key).value(value).build())
        .collect()
}

/// Tags as ECS returns them, as a map.
pub fn tags_from_ecs(tags: &[Tag]) -> BTreeMap<String, String> {
    tags.iter()
        .filter_map(|tag| {
            Some((
                tag.key()?.to_string(),
                tag.value().unwrap_or("").to_string(),
            ))
        })
        .collect()
}

/// Puts `tags` (as AWS holds them) into `tags` / `tags_all`.
pub fn put_tags(
    context: &ProviderContext,
    attributes: &mut Attributes,
    tags: BTreeMap<String, String>,
) {
    let (tags, tags_all) = crate::aws::kit::tags::split_tags(context, tags);
    attributes.insert("tags".into(), tags);
    attributes.insert("tags_all".into(), tags_all);
}

/// True when the tags carry this context's `provision:stack` and `provision:address`.
pub fn carries_recovery_tags(context: &ProviderContext, tags: &BTreeMap<String, String>) -> bool {
    tags.get(crate::aws::kit::tags::STACK_TAG) == Some(&context.stack)
        && tags.get(crate::aws::kit::tags::ADDRESS_TAG) == Some(&context.address)
}

/// TagResource / UntagResource on `arn` for the difference between prior and desired tags.
pub async fn update_tags(
    context: &ProviderContext,
    arn: &str,
    prior: &Attributes,
    desired: &Attributes,
) -> Result<(), ProviderError> {
    let (set, removed) =
        crate::aws::kit::tags::tag_changes(&context.tags_for(prior), &context.tags_for(desired));
    let client = &context.aws().ecs;
    if !removed.is_empty() {
        client
            .untag_resource()
            .resource_arn(arn)
            .set_tag_keys(Some(removed))
            .send()
            .await
            .map_err(|error| sdk_error("UntagResource", error))?;
    }
    if !set.is_empty() {
        client
            .tag_resource()
            .resource_arn(arn)
            .set_tags(Some(ecs_tags(&set)))
            .send()
            .await
            .map_err(|error| sdk_error("TagResource", error))?;
    }
    Ok(())
}


