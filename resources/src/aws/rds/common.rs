//! Helpers shared by the RDS types: tags (RDS `Tag` lists, AddTagsToResource /
//! RemoveTagsFromResource on the ARN), the tags attribute split, and the "not found" codes.

use crate::aws::AwsContext;
use std::collections::BTreeMap;

use aws_sdk_rds::types::Tag;

use crate::aws::kit::sdk_error;
use crate::aws::kit::tags::{self, tag_api, tag_map};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext};

/// The tags to send to RDS for `desired`.
pub fn rds_tags(context: &ProviderContext, desired: &Attributes) -> Vec<Tag> {
    to_rds(&context.tags_for(desired))
}

pub fn from_rds(tags: &[Tag]) -> BTreeMap<String, String> {
    tag_map(tags, |tag| (tag.key(), tag.value()))
}

/// Puts `tags` and `tags_all` from what RDS holds.
pub fn put_tags(context: &ProviderContext, attributes: &mut Attributes, tags: &[Tag]) {
    tags::put_tags(context, attributes, from_rds(tags));
}

pub fn carries_recovery_tags(context: &ProviderContext, tags: &[Tag]) -> bool {
    tags::carries_recovery_tags(context, &from_rds(tags))
}

tag_api! {
    /// RDS's tag calls, on an ARN.
    pub(crate) struct RdsTags for rds {
        list: "ListTagsForResource" list_tags_for_resource(resource_name)
            => |output| from_rds(output.tag_list()),
        tag: "AddTagsToResource" add_tags_to_resource(resource_name)
            .set_tags(|tags| Some(to_rds(tags))),
        untag: "RemoveTagsFromResource" remove_tags_from_resource(resource_name)
            .set_tag_keys(|keys| Some(keys.to_vec())),
    }
}

pub fn to_rds(tags: &BTreeMap<String, String>) -> Vec<Tag> {
    tags.iter()
        .map(|(key, value)| Tag::builder().key(key).value(value).build())
        .collect()
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
