//! Elastic Load Balancing v2 (load balancers, target groups, listeners) resource types: one
//! file per type, registered here, plus the helpers they share (tags, ARN suffixes, names).

pub mod alb;
pub mod alb_listener;
pub mod alb_target_group;
pub mod lb;
pub mod lb_listener;
pub mod lb_target_group;

use std::collections::BTreeMap;
use std::sync::Arc;

use aws_sdk_elasticloadbalancingv2::types::Tag;

use crate::aws::sdk_error;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext};
use crate::registry::Registry;

pub fn register(registry: &mut Registry) {
    registry.register(Arc::new(lb::Lb::new()));
    registry.register(Arc::new(lb_target_group::LbTargetGroup::new()));
    registry.register(Arc::new(lb_listener::LbListener::new()));
    registry.register(Arc::new(alb::new()));
    registry.register(Arc::new(alb_target_group::new()));
    registry.register(Arc::new(alb_listener::new()));
}

/// ELBv2 tags from a key → value map.
pub(crate) fn elb_tags(tags: &BTreeMap<String, String>) -> Vec<Tag> {
    tags.iter()
        .map(|(key, value)| Tag::builder().key(key).value(value).build())
        .collect()
}

/// DescribeTags for one ARN, as a key → value map (`None` when the resource is gone).
pub(crate) async fn describe_tags(
    context: &ProviderContext,
    arn: &str,
) -> Result<Option<BTreeMap<String, String>>, ProviderError> {
    match context
        .clients
        .elbv2
        .describe_tags()
        .resource_arns(arn)
        .send()
        .await
    {
        Ok(output) => Ok(Some(
            output
                .tag_descriptions()
                .iter()
                .filter(|description| description.resource_arn() == Some(arn))
                .flat_map(|description| description.tags())
                .filter_map(|tag| {
                    Some((
                        tag.key()?.to_string(),
                        tag.value().unwrap_or_default().to_string(),
                    ))
                })
                .collect(),
        )),
        Err(error) => {
            let error = sdk_error("DescribeTags", error);
            if error.is_not_found() {
                Ok(None)
            } else {
                Err(error)
            }
        }
    }
}

/// Brings the tags of `arn` from `prior` to `desired` with AddTags / RemoveTags.
pub(crate) async fn update_tags(
    context: &ProviderContext,
    arn: &str,
    prior: &Attributes,
    desired: &Attributes,
) -> Result<(), ProviderError> {
    let (set, removed) =
        crate::aws::tags::tag_changes(&context.tags_for(prior), &context.tags_for(desired));
    let client = &context.clients.elbv2;
    if !removed.is_empty() {
        client
            .remove_tags()
            .resource_arns(arn)
            .set_tag_keys(Some(removed))
            .send()
            .await
            .map_err(|error| sdk_error("RemoveTags", error))?;
    }
    if !set.is_empty() {
        client
            .add_tags()
            .resource_arns(arn)
            .set_tags(Some(elb_tags(&set)))
            .send()
            .await
            .map_err(|error| sdk_error("AddTags", error))?;
    }
    Ok(())
}

/// True when `tags` carry this context's `provision:stack` and `provision:address` tags.
pub(crate) fn carries_recovery_tags(
    context: &ProviderContext,
    tags: &BTreeMap<String, String>,
) -> bool {
    tags.get(crate::aws::tags::STACK_TAG) == Some(&context.stack)
        && tags.get(crate::aws::tags::ADDRESS_TAG) == Some(&context.address)
}

/// The part of an ELBv2 ARN after `:loadbalancer/` or `:targetgroup/`'s resource type colon
/// (`app/edgemind-dev/50dc6c495c0c9188`, `targetgroup/edgemind-dev/73e2d6bc24d8a067`), which
/// CloudWatch metrics use as dimensions.
pub(crate) fn arn_suffix(arn: &str) -> String {
    if let Some((_, rest)) = arn.split_once(":loadbalancer/") {
        return rest.to_string();
    }
    match arn.split_once(":targetgroup/") {
        Some((_, rest)) => format!("targetgroup/{rest}"),
        None => String::new(),
    }
}

/// A name for a resource whose spec gives none (`tf-lb-...`): the prefix, then as much of the
/// idempotency token (letters and digits only) as fits in ELBv2's 32 characters, so a retried
/// create uses the same name.
pub(crate) fn generated_name(prefix: &str, token: &str) -> String {
    let room = 32usize.saturating_sub(prefix.len());
    let tail: String = token
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|character| character.to_ascii_lowercase())
        .take(room)
        .collect();
    format!("{prefix}{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_suffixes_are_what_cloudwatch_uses() {
        assert_eq!(
            arn_suffix("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/edgemind-dev/50dc6c495c0c9188"),
            "app/edgemind-dev/50dc6c495c0c9188"
        );
        assert_eq!(
            arn_suffix("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/edgemind-dev/73e2d6bc24d8a067"),
            "targetgroup/edgemind-dev/73e2d6bc24d8a067"
        );
        assert_eq!(arn_suffix("arn:aws:iam::1:role/x"), "");
    }

    #[test]
    fn generated_names_fit_and_are_stable() {
        let name = generated_name("tf-lb-", "0f3a-9B2c_77e1-aaaa-bbbb-cccc-dddd-eeee");
        assert!(name.len() <= 32, "{name}");
        assert!(name.starts_with("tf-lb-0f3a9b2c77e1"));
        assert_eq!(
            name,
            generated_name("tf-lb-", "0f3a-9B2c_77e1-aaaa-bbbb-cccc-dddd-eeee")
        );
    }
}
