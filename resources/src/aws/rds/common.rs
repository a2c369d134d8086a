//! Helpers shared by the RDS types: tags (RDS `Tag` lists, AddTagsToResource /
//! RemoveTagsFromResource on the ARN), the tags attribute split, and the "not found" codes.

use crate::aws::AwsContext;
use std::collections::BTreeMap;

use aws_sdk_rds::types::Tag;

use crate::aws::kit::sdk_error;
use crate::aws::kit::tags::{split_tags, tag_changes, ADDRESS_TAG, STACK_TAG};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext};

/// The tags to send to RDS for `desired`.
pub fn rds_tags(context: &ProviderContext, desired: &Attributes) -> Vec<Tag> {
    to_rds(&context.tags_for(desired))
}

pub fn to_rds(tags: &BTreeMap<String, String>) -> Vec<Tag> {
    tags.iter()
        .map(|(key, value)| Tag::builder().key(key).value(value).build())
        .collect()
}

pub fn from_rds(tags: &[Tag]) -> BTreeMap<String, String> {
    tags.iter()
        .filter_map(|tag| {
            Some((
                tag.key()?.to_string(),
                tag.value().unwrap_or_default().to_string(),
            ))
        })
        .collect()
}

/// Puts `tags` and `tags_all` from what RDS holds.
pub fn put_tags(context: &ProviderContext, attributes: &mut Attributes, tags: &[Tag]) {
    let (user, all) = split_tags(context, from_rds(tags));
    attributes.insert("tags".into(), user);
    attributes.insert("tags_all".into(), all);
}

pub fn carries_recovery_tags(context: &ProviderContext, tags: &[Tag]) -> bool {
    let tags = from_rds(tags);
    tags.get(STACK_TAG) == Some(&context.stack) && tags.get(ADDRESS_TAG) == Some(&context.address)
}

/// Brings the tags on `arn` from `prior` to `desired`.
pub async fn update_tags(
    context: &ProviderContext,
    arn: &str,
    prior: &Attributes,
    desired: &Attributes,
) -> Result<(), ProviderError> {
    let (set, removed) = tag_changes(&context.tags_for(prior), &context.tags_for(desired));
    let client = &context.aws().rds;
    if !removed.is_empty() {
        client
            .remove_tags_from_resource()
            .resource_name(arn)
            .set_tag_keys(Some(removed))
            .send()
            .await
            .map_err(|error| sdk_error("RemoveTagsFromResource", error))?;
    }
    if !set.is_empty() {
        client
            .add_tags_to_resource()
            .resource_name(arn)
            .set_tags(Some(to_rds(&set)))
            .send()
            .await
            .map_err(|error| sdk_error("AddTagsToResource", error))?;
    }
    Ok(())
}

/// ListTagsForResource on an RDS ARN.
pub async fn list_tags(context: &ProviderContext, arn: &str) -> Result<Vec<Tag>, ProviderError> {
    let output = context
        .aws()
        .rds
        .list_tags_for_resource()
        .resource_name(arn)
        .send()
        .await
        .map_err(|error| sdk_error("ListTagsForResource", error))?;
    Ok(output.tag_list().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip() {
        let tags: BTreeMap<String, String> = [
            ("a".to_string(), "1".to_string()),
            ("b".to_string(), "".to_string()),
        ]
        .into();
        assert_eq!(from_rds(&to_rds(&tags)), tags);
    }

}
