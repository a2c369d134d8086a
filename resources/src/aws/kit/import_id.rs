//! Composite import IDs, as Terraform writes them (`api-id/route-id`, `cluster/service`,
//! `namespace/resource-id/dimension`): split and checked here, so a type's `import` only says
//! which parts it takes and which prior attributes they become.

use provision_core::{Attributes, ProviderError, Value};

/// Splits `import_id` at `separator` into exactly `count` non-empty parts; the last part keeps
/// any further separators. `format` names the parts for the error (`api-id/route-id`).
pub fn split<'a>(
    import_id: &'a str,
    separator: char,
    count: usize,
    format: &str,
) -> Result<Vec<&'a str>, ProviderError> {
    let parts: Vec<&str> = import_id.splitn(count, separator).collect();
    if parts.len() != count || parts.iter().any(|part| part.is_empty()) {
        return Err(bad(import_id, format));
    }
    Ok(parts)
}

/// The error for an import ID that is not in `format`.
pub fn bad(import_id: &str, format: &str) -> ProviderError {
    ProviderError::invalid(
        "import ID",
        format!("{import_id:?} is not in the format {format}"),
    )
}

/// Prior attributes of string values, for a read that takes them beside the id.
pub fn prior(pairs: &[(&str, &str)]) -> Attributes {
    pairs
        .iter()
        .map(|(name, value)| (name.to_string(), Value::string(*value)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every type says its import ID in its own file: none falls back to the trait's generic
    /// `<type> id`, so `provision types --json` documents each one.
    #[test]
    fn every_registered_type_describes_its_import_id() {
        let registry = crate::registry();
        for name in registry.type_names() {
            let resource = registry.get(name).unwrap();
            let generic = format!("{} id", name.trim_start_matches("aws_").replace('_', " "));
            let described = resource.import_id();
            assert!(
                !described.is_empty() && described != generic,
                "{name}: write `fn import_id` in its file (Terraform's import ID format), not the default {generic:?}"
            );
        }
    }

    #[test]
    fn splits_into_the_parts_the_format_names() {
        assert_eq!(
            split("a1b2/r-3", '/', 2, "api-id/route-id").unwrap(),
            ["a1b2", "r-3"]
        );
        assert_eq!(
            split("role/arn:aws:iam::aws:policy/ReadOnly", '/', 2, "role/arn").unwrap(),
            ["role", "arn:aws:iam::aws:policy/ReadOnly"]
        );
        for wrong in ["a1b2", "/r-3", "a1b2/"] {
            let error = split(wrong, '/', 2, "api-id/route-id").unwrap_err();
            assert!(
                error.to_string().contains("api-id/route-id"),
                "{wrong}: {error}"
            );
        }
    }
}
