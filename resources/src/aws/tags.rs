//! Tag helpers: the `provision:*` tags every taggable resource carries, and splitting the tags
//! AWS returns back into the spec's `tags` and the computed `tags_all`.

use std::collections::BTreeMap;

use crate::provider::ProviderContext;
use crate::value::Value;

pub use crate::provider::{ADDRESS_TAG, STACK_TAG};

/// From the tags AWS holds, the `tags` attribute (what the spec set: everything except
/// `provision:*` and default tags whose value is the default) and `tags_all` (everything
/// except `provision:*`).
pub fn split_tags(
    context: &ProviderContext,
    cloud_tags: impl IntoIterator<Item = (String, String)>,
) -> (Value, Value) {
    let mut tags = BTreeMap::new();
    let mut tags_all = BTreeMap::new();
    for (key, value) in cloud_tags {
        if key.starts_with("provision:") {
            continue;
        }
        tags_all.insert(key.clone(), Value::String(value.clone()));
        if context.default_tags.get(&key) != Some(&value) {
            tags.insert(key, Value::String(value));
        }
    }
    (Value::Map(tags), Value::Map(tags_all))
}

/// The `tags` map of a desired attribute set, as strings.
pub fn user_tags(attributes: &crate::provider::Attributes) -> BTreeMap<String, String> {
    match attributes.get("tags") {
        Some(Value::Map(entries)) => entries
            .iter()
            .filter_map(|(key, value)| value.to_template_string().map(|text| (key.clone(), text)))
            .collect(),
        _ => BTreeMap::new(),
    }
}

/// What to change on AWS to go from `prior` to `desired` tags (both full sets, as sent to
/// AWS): tags to set (new or changed) and keys to remove.
pub fn tag_changes(
    prior: &BTreeMap<String, String>,
    desired: &BTreeMap<String, String>,
) -> (BTreeMap<String, String>, Vec<String>) {
    let set = desired
        .iter()
        .filter(|(key, value)| prior.get(*key) != Some(value))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    let removed = prior
        .keys()
        .filter(|key| !desired.contains_key(*key))
        .cloned()
        .collect();
    (set, removed)
}
