//! Tags: the `provision:*` tags every taggable resource carries, splitting the tags AWS returns
//! back into the spec's `tags` and the computed `tags_all`, the per-service tag interface
//! (`TagApi`: list, tag, untag) with one generic sync and read-back, and the ownership checks
//! recovery and unmanaged listing make.

use std::collections::BTreeMap;

use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext};
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
pub fn user_tags(attributes: &Attributes) -> BTreeMap<String, String> {
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

/// The tag calls of one service, on one resource (an ARN or an id): what the generic sync and
/// read-back need. A service implements it once, on a small struct of its own.
#[async_trait::async_trait]
pub trait TagApi: Send + Sync {
    /// The tags AWS holds for `resource`.
    async fn list(
        &self,
        context: &ProviderContext,
        resource: &str,
    ) -> Result<BTreeMap<String, String>, ProviderError>;
    /// Sets `tags` (new or changed) on `resource`.
    async fn tag(
        &self,
        context: &ProviderContext,
        resource: &str,
        tags: &BTreeMap<String, String>,
    ) -> Result<(), ProviderError>;
    /// Removes the tags with `keys` from `resource`.
    async fn untag(
        &self,
        context: &ProviderContext,
        resource: &str,
        keys: &[String],
    ) -> Result<(), ProviderError>;
}

/// Brings the tags of `resource` from what `prior` had to what `desired` asks for (default
/// tags and `provision:*` included), calling untag / tag only when something differs.
pub async fn sync_tags(
    api: &dyn TagApi,
    context: &ProviderContext,
    resource: &str,
    prior: &Attributes,
    desired: &Attributes,
) -> Result<(), ProviderError> {
    sync_tag_maps(
        api,
        context,
        resource,
        &context.tags_for(prior),
        &context.tags_for(desired),
    )
    .await
}

/// True when `prior` and `desired` ask for different tags on AWS (`sync_tags` would call).
pub fn tags_differ(context: &ProviderContext, prior: &Attributes, desired: &Attributes) -> bool {
    context.tags_for(prior) != context.tags_for(desired)
}

/// `sync_tags` from the tags `resource` has (`current`, as AWS holds them) to `wanted`: untag
/// what `wanted` lacks, then tag what is new or changed.
pub async fn sync_tag_maps(
    api: &dyn TagApi,
    context: &ProviderContext,
    resource: &str,
    current: &BTreeMap<String, String>,
    wanted: &BTreeMap<String, String>,
) -> Result<(), ProviderError> {
    let (set, removed) = tag_changes(current, wanted);
    if !removed.is_empty() {
        api.untag(context, resource, &removed).await?;
    }
    if !set.is_empty() {
        api.tag(context, resource, &set).await?;
    }
    Ok(())
}

/// Sets `tags` and `tags_all` in `attributes` from the tags a create or update just sent for
/// `desired` (`context.tags_for(desired)`): AWS holds exactly those, so no call reads them back.
pub fn put_sent_tags(context: &ProviderContext, attributes: &mut Attributes, desired: &Attributes) {
    put_tags(context, attributes, context.tags_for(desired));
}

/// Sets `tags` and `tags_all` in `attributes` from the tags AWS holds.
pub fn put_tags(
    context: &ProviderContext,
    attributes: &mut Attributes,
    cloud_tags: impl IntoIterator<Item = (String, String)>,
) {
    let (tags, tags_all) = split_tags(context, cloud_tags);
    attributes.insert("tags".to_string(), tags);
    attributes.insert("tags_all".to_string(), tags_all);
}

/// Lists the tags of `resource`, puts `tags` / `tags_all` into `attributes`, and returns the
/// full set (with `provision:*`) for ownership checks.
pub async fn read_tags(
    api: &dyn TagApi,
    context: &ProviderContext,
    resource: &str,
    attributes: &mut Attributes,
) -> Result<BTreeMap<String, String>, ProviderError> {
    let tags = api.list(context, resource).await?;
    put_tags(context, attributes, tags.clone());
    Ok(tags)
}

/// True when `tags` carry this context's `provision:stack` and `provision:address` tags: the
/// check recovery makes on what it found (some emulators ignore tag filters).
pub fn carries_recovery_tags(context: &ProviderContext, tags: &BTreeMap<String, String>) -> bool {
    tags.get(STACK_TAG) == Some(&context.stack) && tags.get(ADDRESS_TAG) == Some(&context.address)
}

/// The `provision:address` tag of a resource whose `provision:stack` tag is exactly `stack`
/// (empty when the address tag is missing); `None` when the stack does not own it.
pub fn owned_by_stack(stack: &str, tags: &BTreeMap<String, String>) -> Option<String> {
    (tags.get(STACK_TAG).map(String::as_str) == Some(stack))
        .then(|| tags.get(ADDRESS_TAG).cloned().unwrap_or_default())
}

/// A key → value map from any SDK tag list, given how to read one tag's key and value.
pub fn tag_map<T>(
    tags: &[T],
    key_and_value: impl Fn(&T) -> (Option<&str>, Option<&str>),
) -> BTreeMap<String, String> {
    tags.iter()
        .filter_map(|tag| {
            let (key, value) = key_and_value(tag);
            Some((key?.to_string(), value.unwrap_or_default().to_string()))
        })
        .collect()
}

/// Implements `TagApi` on a new unit struct for a service whose list, tag and untag calls each
/// take the resource through one builder setter, from one annotation per call:
///
/// ```ignore
/// tag_api! {
///     /// ECS tags on an ARN.
///     pub(crate) struct EcsTags for ecs {
///         list: "ListTagsForResource" list_tags_for_resource(resource_arn)
///             => |output| tag_map(output.tags(), |tag| (tag.key(), tag.value())),
///         tag: "TagResource" tag_resource(resource_arn).set_tags(|tags| Some(ecs_tags(tags))),
///         untag: "UntagResource" untag_resource(resource_arn)
///             .set_tag_keys(|keys| Some(keys.to_vec())),
///     }
/// }
/// ```
///
/// `for ecs` names the client (`context.aws().ecs`); the quoted names are the operations an
/// error names; `tags` is a `&BTreeMap<String, String>`, `keys` a `&[String]`, and the
/// closure-like bodies may use `?`.
macro_rules! tag_api {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident for $client:ident {
            list: $list_op:literal $list:ident($list_id:ident) => |$output:ident| $tags:expr,
            tag: $tag_op:literal $tag:ident($tag_id:ident)
                .$set_tags:ident(|$set:ident| $tag_arg:expr),
            untag: $untag_op:literal $untag:ident($untag_id:ident)
                .$set_keys:ident(|$keys:ident| $untag_arg:expr) $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis struct $name;

        #[async_trait::async_trait]
        impl $crate::aws::kit::tags::TagApi for $name {
            async fn list(
                &self,
                context: &$crate::provider::ProviderContext,
                resource: &str,
            ) -> Result<std::collections::BTreeMap<String, String>, $crate::error::ProviderError>
            {
                use $crate::aws::AwsContext as _;
                let $output = context
                    .aws()
                    .$client
                    .$list()
                    .$list_id(resource)
                    .send()
                    .await
                    .map_err(|error| $crate::aws::kit::sdk_error($list_op, error))?;
                Ok($tags)
            }

            async fn tag(
                &self,
                context: &$crate::provider::ProviderContext,
                resource: &str,
                $set: &std::collections::BTreeMap<String, String>,
            ) -> Result<(), $crate::error::ProviderError> {
                use $crate::aws::AwsContext as _;
                context
                    .aws()
                    .$client
                    .$tag()
                    .$tag_id(resource)
                    .$set_tags($tag_arg)
                    .send()
                    .await
                    .map_err(|error| $crate::aws::kit::sdk_error($tag_op, error))?;
                Ok(())
            }

            async fn untag(
                &self,
                context: &$crate::provider::ProviderContext,
                resource: &str,
                $keys: &[String],
            ) -> Result<(), $crate::error::ProviderError> {
                use $crate::aws::AwsContext as _;
                context
                    .aws()
                    .$client
                    .$untag()
                    .$untag_id(resource)
                    .$set_keys($untag_arg)
                    .send()
                    .await
                    .map_err(|error| $crate::aws::kit::sdk_error($untag_op, error))?;
                Ok(())
            }
        }
    };
}
pub(crate) use tag_api;
