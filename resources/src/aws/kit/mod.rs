//! The provider kit: what every AWS resource type is written with, in one place and one
//! meaning. It imports no service (`crate::aws::<service>`); services import it and their own
//! private helpers, never another service (the `services_import_only_the_kit` test enforces
//! both).
//!
//! - `attributes`: readers and writers of attribute maps and nested blocks.
//! - `errors`: SDK error → `ProviderError` in one line (`sdk_error`), and the "not found"
//!   readings as methods on `Result` (`not_found_as_none`, `gone_is_ok`, ...).
//! - `wait`: `until`, `until_state`, `until_gone`, `retry_on(codes)`, polling 1 s → 10 s.
//! - `tags`: `provision:*` tags, `tags` / `tags_all`, the per-service `TagApi` with one generic
//!   `sync_tags` / `read_tags`, and the ownership checks recovery makes.
//! - `tagging`: drift's listing of untracked resources by the `provision:stack` tag through the
//!   Resource Groups Tagging API (GetResources), for any taggable type.
//! - `recovery`: finding what an interrupted create made, by name, client token or tags.
//! - `import_id`: composite import IDs (`api-id/route-id`) split and checked.
//! - `arn`, `naming`, `policy`: ARN parts, names from `name` / `name_prefix` / the idempotency
//!   token, and policy documents compared by meaning.

pub mod arn;
pub mod attributes;
pub mod errors;
pub mod import_id;
pub mod naming;
pub mod policy;
pub mod recovery;
pub mod tagging;
pub mod tags;
#[cfg(test)]
pub(crate) mod test_support;
pub mod wait;

pub use errors::{empty_answer, found, is_gone, none_if_gone, ok_if_gone, sdk_error, ResultExt};

#[cfg(test)]
mod layout_tests;
