//! Shared IAM helpers: policy documents (URL-decoding what IAM returns, comparing documents the
//! way IAM means them), names from `name` / `name_prefix`, tags, and the short retries IAM's
//! eventual consistency needs.

use std::collections::BTreeMap;
use std::future::Future;
use std::time::Duration;

use aws_sdk_iam::types::Tag;

use crate::aws::kit::tags::{tag_api, tag_map};
use crate::aws::kit::wait::{self, Poll};
use crate::error::ProviderError;

/// How long to retry an answer that IAM's eventual consistency explains (Terraform waits up
/// to 2 minutes for IAM propagation).
pub const PROPAGATION: Duration = Duration::from_secs(120);

tag_api! {
    /// IAM's tag calls on a role, by name.
    pub(crate) struct RoleTags for iam {
        list: "ListRoleTags" list_role_tags(role_name)
            => |output| tag_map(output.tags(), |tag| (Some(tag.key()), Some(tag.value()))),
        tag: "TagRole" tag_role(role_name).set_tags(|tags| Some(iam_tags(tags)?)),
        untag: "UntagRole" untag_role(role_name).set_tag_keys(|keys| Some(keys.to_vec())),
    }
}

tag_api! {
    /// IAM's tag calls on a managed policy, by ARN.
    pub(crate) struct PolicyTags for iam {
        list: "ListPolicyTags" list_policy_tags(policy_arn)
            => |output| tag_map(output.tags(), |tag| (Some(tag.key()), Some(tag.value()))),
        tag: "TagPolicy" tag_policy(policy_arn).set_tags(|tags| Some(iam_tags(tags)?)),
        untag: "UntagPolicy" untag_policy(policy_arn).set_tag_keys(|keys| Some(keys.to_vec())),
    }
}

tag_api! {
    /// IAM's tag calls on a user, by name.
    pub(crate) struct UserTags for iam {
        list: "ListUserTags" list_user_tags(user_name)
            => |output| tag_map(output.tags(), |tag| (Some(tag.key()), Some(tag.value()))),
        tag: "TagUser" tag_user(user_name).set_tags(|tags| Some(iam_tags(tags)?)),
        untag: "UntagUser" untag_user(user_name).set_tag_keys(|keys| Some(keys.to_vec())),
    }
}

tag_api! {
    /// IAM's tag calls on an instance profile, by name.
    pub(crate) struct InstanceProfileTags for iam {
        list: "ListInstanceProfileTags" list_instance_profile_tags(instance_profile_name)
            => |output| tag_map(output.tags(), |tag| (Some(tag.key()), Some(tag.value()))),
        tag: "TagInstanceProfile" tag_instance_profile(instance_profile_name)
            .set_tags(|tags| Some(iam_tags(tags)?)),
        untag: "UntagInstanceProfile" untag_instance_profile(instance_profile_name)
            .set_tag_keys(|keys| Some(keys.to_vec())),
    }
}

pub fn iam_tags(tags: &BTreeMap<String, String>) -> Result<Vec<Tag>, ProviderError> {
    tags.iter()
        .map(|(key, value)| {
            Tag::builder()
                .key(key)
                .value(value)
                .build()
                .map_err(|error| ProviderError::invalid("tags", error.to_string()))
        })
        .collect()
}

pub fn tags_from_iam(tags: &[Tag]) -> BTreeMap<String, String> {
    tags.iter()
        .map(|tag| (tag.key().to_string(), tag.value().to_string()))
        .collect()
}

/// True for IAM answers that eventual consistency explains right after a create: the role or
/// policy is not visible yet, or a new principal is not yet known.
pub fn is_propagation_error(error: &ProviderError) -> bool {
    match error {
        ProviderError::Aws { code, message, .. } => {
            code == "NoSuchEntity"
                || (code == "MalformedPolicyDocument" && message.contains("Invalid principal"))
        }
        _ => false,
    }
}

/// Calls `attempt` until it succeeds, fails with an error `retryable` does not accept, or
/// `PROPAGATION` passes.
pub async fn retry<T, F, Fut>(
    what: &str,
    retryable: fn(&ProviderError) -> bool,
    mut attempt: F,
) -> Result<T, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, ProviderError>>,
{
    let last_error = std::sync::Mutex::new(None);
    let last = &last_error;
    let outcome = wait::until(what, PROPAGATION, || {
        let call = attempt();
        async move {
            match call.await {
                Ok(value) => Ok(Poll::Ready(value)),
                Err(error) if retryable(&error) => {
                    if let Ok(mut slot) = last.lock() {
                        *slot = Some(error);
                    }
                    Ok(Poll::Pending)
                }
                Err(error) => Err(error),
            }
        }
    })
    .await;
    match outcome {
        // Out of time: the last AWS answer says more than "timed out".
        Err(timeout @ ProviderError::Timeout { .. }) => {
            Err(last_error.into_inner().ok().flatten().unwrap_or(timeout))
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn propagation_errors_are_recognised() {
        let error = |code: &str, message: &str| ProviderError::Aws {
            operation: "CreateRole".into(),
            code: code.into(),
            message: message.into(),
        };
        assert!(is_propagation_error(&error(
            "MalformedPolicyDocument",
            "Invalid principal in policy: \"AWS\":\"arn:aws:iam::1:role/new\""
        )));
        assert!(is_propagation_error(&error("NoSuchEntity", "role x")));
        assert!(!is_propagation_error(&error(
            "MalformedPolicyDocument",
            "Syntax errors in policy"
        )));
    }
}
