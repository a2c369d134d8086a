//! Helpers shared by the ECS types: tags in ECS's shape, tag updates on an ARN, nested-block
//! access and the "keep what the spec said when AWS answers nothing" rule.

use crate::aws::AwsContext;
use std::collections::BTreeMap;

use aws_sdk_ecs::types::Tag;

use crate::aws::sdk_error;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext};
use crate::value::Value;

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
    let (tags, tags_all) = crate::aws::tags::split_tags(context, tags);
    attributes.insert("tags".into(), tags);
    attributes.insert("tags_all".into(), tags_all);
}

/// True when the tags carry this context's `provision:stack` and `provision:address`.
pub fn carries_recovery_tags(context: &ProviderContext, tags: &BTreeMap<String, String>) -> bool {
    tags.get(crate::aws::tags::STACK_TAG) == Some(&context.stack)
        && tags.get(crate::aws::tags::ADDRESS_TAG) == Some(&context.address)
}

/// TagResource / UntagResource on `arn` for the difference between prior and desired tags.
pub async fn update_tags(
    context: &ProviderContext,
    arn: &str,
    prior: &Attributes,
    desired: &Attributes,
) -> Result<(), ProviderError> {
    let (set, removed) =
        crate::aws::tags::tag_changes(&context.tags_for(prior), &context.tags_for(desired));
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

/// The maps of a nested block (empty when absent).
pub fn blocks<'a>(attributes: &'a Attributes, name: &str) -> Vec<&'a Attributes> {
    attributes
        .get(name)
        .and_then(Value::as_list)
        .map(|items| items.iter().filter_map(Value::as_map).collect())
        .unwrap_or_default()
}

/// The first map of a single nested block.
pub fn block<'a>(attributes: &'a Attributes, name: &str) -> Option<&'a Attributes> {
    blocks(attributes, name).into_iter().next()
}

/// A whole number that fits an `i32`, or an error naming the attribute.
pub fn optional_i32(attributes: &Attributes, name: &str) -> Result<Option<i32>, ProviderError> {
    match attributes.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value
            .as_i64()
            .and_then(|number| i32::try_from(number).ok())
            .map(Some)
            .ok_or_else(|| ProviderError::invalid(name, "must be a whole number")),
    }
}

/// A list of maps as a nested-block value.
pub fn block_value(items: Vec<Attributes>) -> Value {
    Value::List(items.into_iter().map(Value::Map).collect())
}

/// AWS's answer, or the prior value when AWS answered nothing (settings an emulator ignores).
pub fn or_prior(found: Option<Value>, prior: &Attributes, name: &str) -> Value {
    found.unwrap_or_else(|| prior.get(name).cloned().unwrap_or_default())
}

/// The ARN's last path part (`arn:aws:ecs:r:1:cluster/main` → `main`).
pub fn arn_name(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_name_is_the_last_path_part() {
        assert_eq!(arn_name("arn:aws:ecs:us-east-1:1:cluster/main"), "main");
        assert_eq!(arn_name("main"), "main");
    }

    #[test]
    fn optional_i32_checks_whole_numbers() {
        let mut attributes = Attributes::new();
        attributes.insert("n".into(), Value::Number(3.0));
        attributes.insert("f".into(), Value::Number(3.5));
        assert_eq!(optional_i32(&attributes, "n").ok(), Some(Some(3)));
        assert!(optional_i32(&attributes, "f").is_err());
        assert_eq!(optional_i32(&attributes, "missing").ok(), Some(None));
    }
}
