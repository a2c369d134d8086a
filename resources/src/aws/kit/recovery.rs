//! Recovery: how a type finds what an interrupted create made, so that a retried apply adopts
//! it instead of making a second one. Three defaults a type opts into from its `recover`:
//!
//! - by name: the spec names the thing (`name`, `bucket`, `cluster_identifier`): look it up by
//!   that name, and keep it only when it carries this stack's and address's `provision:*`
//!   tags (`owned` when the answer carries its tags, `owned_listing` when they take a
//!   `TagApi` list call);
//! - by client token: the create call carried `context.idempotency_token` (CloudFront's
//!   caller reference, EFS's creation token): keep the candidate made with it (`by_token`);
//! - by tags: list what the `provision:*` tag filters find, and keep the first whose tags
//!   really are this context's (`first_owned`; some emulators ignore or glob tag filters).

use std::collections::BTreeMap;

use crate::aws::kit::tags::{carries_recovery_tags, TagApi};
use crate::error::ProviderError;
use crate::provider::ProviderContext;

/// By name, tags in the answer: `found` when its tags (`tags_of`) carry this context's
/// `provision:*` tags, else `None`.
pub fn owned<T>(
    context: &ProviderContext,
    found: Option<T>,
    tags_of: impl FnOnce(&T) -> BTreeMap<String, String>,
) -> Option<T> {
    found.filter(|thing| carries_recovery_tags(context, &tags_of(thing)))
}

/// By name, tags listed: lists the tags of what `found` is (its ARN or id from `tagged`) with
/// `api`, and answers it with its tags when they carry this context's `provision:*` tags.
pub async fn owned_listing<T>(
    api: &dyn TagApi,
    context: &ProviderContext,
    found: Option<T>,
    tagged: impl FnOnce(&T) -> String,
) -> Result<Option<(T, BTreeMap<String, String>)>, ProviderError> {
    let Some(thing) = found else {
        return Ok(None);
    };
    let tags = api.list(context, &tagged(&thing)).await?;
    Ok(carries_recovery_tags(context, &tags).then_some((thing, tags)))
}

/// By client token: the first candidate whose token (`token_of`) is this context's
/// idempotency token.
pub fn by_token<'a, T>(
    context: &ProviderContext,
    candidates: impl IntoIterator<Item = &'a T>,
    token_of: impl Fn(&T) -> Option<&str>,
) -> Option<&'a T> {
    candidates
        .into_iter()
        .find(|candidate| token_of(candidate) == Some(context.idempotency_token.as_str()))
}

/// By tags: the first candidate whose tags (`tags_of`) carry this context's `provision:*`
/// tags.
pub fn first_owned<'a, T>(
    context: &ProviderContext,
    candidates: impl IntoIterator<Item = &'a T>,
    tags_of: impl Fn(&T) -> BTreeMap<String, String>,
) -> Option<&'a T> {
    candidates
        .into_iter()
        .find(|candidate| carries_recovery_tags(context, &tags_of(candidate)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::kit::tags::{ADDRESS_TAG, STACK_TAG};

    fn context() -> ProviderContext {
        let mut context = crate::aws::kit::test_support::context();
        context.stack = "shop".into();
        context.address = "aws_vpc.main".into();
        context.idempotency_token = "token-1".into();
        context
    }

    fn tags(stack: &str, address: &str) -> BTreeMap<String, String> {
        BTreeMap::from([
            (STACK_TAG.to_string(), stack.to_string()),
            (ADDRESS_TAG.to_string(), address.to_string()),
        ])
    }

    #[test]
    fn only_what_carries_this_stack_and_address_is_recovered() {
        let context = context();
        let ours = tags("shop", "aws_vpc.main");
        let theirs = tags("shop", "aws_vpc.other");
        assert_eq!(owned(&context, Some(1), |_| ours.clone()), Some(1));
        assert_eq!(owned(&context, Some(1), |_| theirs.clone()), None);
        assert_eq!(owned(&context, None::<u8>, |_| ours.clone()), None);
        let candidates = [(1, theirs.clone()), (2, ours.clone()), (3, ours.clone())];
        let first = first_owned(&context, &candidates, |(_, tags)| tags.clone());
        assert_eq!(first.map(|(id, _)| *id), Some(2));
    }

    #[test]
    fn the_client_token_finds_the_interrupted_create() {
        let context = context();
        let candidates = [("a", Some("token-0")), ("b", None), ("c", Some("token-1"))];
        let found = by_token(&context, &candidates, |(_, token)| *token);
        assert_eq!(found.map(|(id, _)| *id), Some("c"));
    }
}
