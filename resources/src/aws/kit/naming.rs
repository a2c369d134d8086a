//! Names: the name to create under (`name`, `name_prefix` or a generated one), derived from the
//! idempotency token so an interrupted create retries under the same name.

use crate::provider::{Attributes, ProviderContext};
use crate::value::Value;

/// The name to create under: `name`, else `name_prefix` plus a suffix derived from the
/// idempotency token (so an interrupted create finds the same name again), else a name from
/// `terraform-` plus that suffix.
pub fn resolve_name(context: &ProviderContext, attributes: &Attributes, max_len: usize) -> String {
    if let Some(name) = attributes.get("name").and_then(Value::as_str) {
        if !name.is_empty() {
            return name.to_string();
        }
    }
    let prefix = attributes
        .get("name_prefix")
        .and_then(Value::as_str)
        .unwrap_or("terraform-");
    let suffix: String = context
        .idempotency_token
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    let room = max_len.saturating_sub(prefix.len()).min(26);
    format!("{prefix}{}", &suffix[..suffix.len().min(room)])
}

/// A name for a resource whose spec gives none (`tf-lb-...`): the prefix, then as much of the
/// idempotency token (letters and digits only) as fits in ELBv2's 32 characters, so a retried
/// create uses the same name.
pub fn generated_name(prefix: &str, token: &str) -> String {
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
