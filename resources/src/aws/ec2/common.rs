//! Helpers shared by the EC2 resource types.

use crate::aws::AwsContext;
use std::collections::BTreeMap;

use aws_sdk_ec2::types::{Filter, ResourceType, Tag, TagSpecification};

use crate::aws::kit::sdk_error;
use crate::aws::kit::tags::{tag_map, TagApi, ADDRESS_TAG, STACK_TAG};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext};

/// EC2 tags from a key → value map.
pub fn ec2_tags(tags: &BTreeMap<String, String>) -> Vec<Tag> {
    tags.iter()
        .map(|(key, value)| Tag::builder().key(key).value(value).build())
        .collect()
}

/// A `TagSpecification` for the create call: default tags, the resource's `tags`, and the
/// `provision:*` tags, so the resource is tagged from its first moment.
pub fn tag_specification(
    context: &ProviderContext,
    resource_type: ResourceType,
    desired: &Attributes,
) -> TagSpecification {
    TagSpecification::builder()
        .resource_type(resource_type)
        .set_tags(Some(ec2_tags(&context.tags_for(desired))))
        .build()
}

/// Key → value map of the tags EC2 returned.
pub fn tags_from_ec2(tags: &[Tag]) -> BTreeMap<String, String> {
    tag_map(tags, |tag| (tag.key(), tag.value()))
}

/// EC2's tag calls (DescribeTags, CreateTags, DeleteTags), on a resource id.
pub struct Ec2Tags;

#[async_trait::async_trait]
impl TagApi for Ec2Tags {
    async fn list(
        &self,
        context: &ProviderContext,
        resource: &str,
    ) -> Result<BTreeMap<String, String>, ProviderError> {
        let output = context
            .aws()
            .ec2
            .describe_tags()
            .filters(Filter::builder().name("resource-id").values(resource).build())
            .send()
            .await
            .map_err(|error| sdk_error("DescribeTags", error))?;
        Ok(tag_map(output.tags(), |tag| (tag.key(), tag.value())))
    }

    async fn tag(
        &self,
        context: &ProviderContext,
        resource: &str,
        tags: &BTreeMap<String, String>,
    ) -> Result<(), ProviderError> {
        context
            .aws()
            .ec2
            .create_tags()
            .resources(resource)
            .set_tags(Some(ec2_tags(tags)))
            .send()
            .await
            .map_err(|error| sdk_error("CreateTags", error))?;
        Ok(())
    }

    async fn untag(
        &self,
        context: &ProviderContext,
        resource: &str,
        keys: &[String],
    ) -> Result<(), ProviderError> {
        let tags = keys.iter().map(|key| Tag::builder().key(key).build());
        context
            .aws()
            .ec2
            .delete_tags()
            .resources(resource)
            .set_tags(Some(tags.collect()))
            .send()
            .await
            .map_err(|error| sdk_error("DeleteTags", error))?;
        Ok(())
    }
}

/// Sets `tags` and `tags_all` in `attributes` from the tags EC2 returned.
pub fn put_tags(context: &ProviderContext, attributes: &mut Attributes, tags: &[Tag]) {
    let (user, all) = crate::aws::kit::tags::split_tags(context, tags_from_ec2(tags));
    attributes.insert("tags".to_string(), user);
    attributes.insert("tags_all".to_string(), all);
}

/// Filters that find what an interrupted create of this stack and address may have made.
/// Callers must check the exact tags on what comes back (`carries_recovery_tags`): brackets in
/// addresses (`aws_subnet.private[0]`) are sent as the `?` wildcard, because some emulators
/// (moto) read filter values as glob patterns where `[0]` is a character class.
pub fn recovery_filters(context: &ProviderContext) -> Vec<Filter> {
    vec![
        Filter::builder()
            .name(format!("tag:{STACK_TAG}"))
            .values(filter_pattern(&context.stack))
            .build(),
        Filter::builder()
            .name(format!("tag:{ADDRESS_TAG}"))
            .values(filter_pattern(&context.address))
            .build(),
    ]
}

/// A filter value matching `text`, with glob-special brackets turned into `?` wildcards.
pub fn filter_pattern(text: &str) -> String {
    text.chars()
        .map(|character| {
            if matches!(character, '[' | ']') {
                '?'
            } else {
                character
            }
        })
        .collect()
}

/// How many values one filter of an EC2 Describe call carries (AWS accepts up to 200): batched
/// reads send ids as filter values, in chunks of this size, because a missing id in an id list
/// fails the whole call while a filter value that matches nothing is simply left out.
pub const FILTER_VALUES_PER_CALL: usize = 200;

/// A filter `name` matching any of `values`.
pub fn filter_any(name: &str, values: &[String]) -> Filter {
    Filter::builder()
        .name(name)
        .set_values(Some(values.to_vec()))
        .build()
}

/// The ids of `items` to describe in batches: distinct, non-empty, in order.
pub fn batch_ids(items: &[(String, Attributes)]) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    items
        .iter()
        .map(|(id, _)| id.clone())
        .filter(|id| !id.is_empty() && seen.insert(id.clone()))
        .collect()
}

/// The filter finding what carries `provision:stack` = `stack` (brackets sent as wildcards, see
/// `filter_pattern`; check the exact tag with `managed_by_stack`).
pub fn stack_filter(stack: &str) -> Filter {
    Filter::builder()
        .name(format!("tag:{STACK_TAG}"))
        .values(filter_pattern(stack))
        .build()
}

/// `(id, provision:address tag)` of each `(id, tags)` whose `provision:stack` tag is exactly
/// `stack` (some emulators ignore or glob-match tag filters, so the tag is checked here).
pub fn managed_by_stack<'a>(
    stack: &str,
    found: impl IntoIterator<Item = (Option<&'a str>, &'a [Tag])>,
) -> Vec<(String, String)> {
    found
        .into_iter()
        .filter_map(|(id, tags)| {
            let tags = tags_from_ec2(tags);
            (tags.get(STACK_TAG).map(String::as_str) == Some(stack)).then(|| {
                (
                    id.unwrap_or_default().to_string(),
                    tags.get(ADDRESS_TAG).cloned().unwrap_or_default(),
                )
            })
        })
        .filter(|(id, _)| !id.is_empty())
        .collect()
}

/// True when `tags` (as EC2 returned them) carry this context's `provision:stack` and
/// `provision:address` tags. Recovery checks this client-side as well as with
/// `recovery_filters`, because some emulators ignore `tag:` filters (moto's
/// DescribeNatGateways does).
pub fn carries_recovery_tags(context: &ProviderContext, tags: &[Tag]) -> bool {
    crate::aws::kit::tags::carries_recovery_tags(context, &tags_from_ec2(tags))
}

/// The ARN of an EC2 resource (`arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0abc`), for the
/// types whose describe answer carries none.
pub fn ec2_arn(region: &str, owner_id: &str, kind: &str, id: &str) -> String {
    let partition = crate::aws::kit::arn::partition(region);
    format!("arn:{partition}:ec2:{region}:{owner_id}:{kind}/{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(key: &str, value: &str) -> Tag {
        Tag::builder().key(key).value(value).build()
    }

    #[test]
    fn only_exact_stack_tags_are_managed() {
        let ours = [
            tag(STACK_TAG, "specs/a/dev"),
            tag(ADDRESS_TAG, "aws_vpc.main"),
        ];
        let glob_match = [tag(STACK_TAG, "specs/a/devx")];
        let untagged: [Tag; 0] = [];
        let found = managed_by_stack(
            "specs/a/dev",
            [
                (Some("vpc-1"), &ours[..]),
                (Some("vpc-2"), &glob_match[..]),
                (Some("vpc-3"), &untagged[..]),
            ],
        );
        assert_eq!(found, [("vpc-1".to_string(), "aws_vpc.main".to_string())]);
    }

    #[test]
    fn batch_ids_are_distinct_and_non_empty() {
        let items = vec![
            ("a".to_string(), Attributes::new()),
            (String::new(), Attributes::new()),
            ("a".to_string(), Attributes::new()),
            ("b".to_string(), Attributes::new()),
        ];
        assert_eq!(batch_ids(&items), ["a", "b"]);
    }

    #[test]
    fn brackets_become_single_character_wildcards() {
        assert_eq!(
            filter_pattern("aws_subnet.private[0]"),
            "aws_subnet.private?0?"
        );
        assert_eq!(filter_pattern("specs/edgemind/dev"), "specs/edgemind/dev");
    }
}
