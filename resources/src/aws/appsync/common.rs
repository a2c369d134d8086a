//! AppSync's private helpers: optional strings of its answers, its builders' errors, and the
//! `-`-joined ids Terraform gives data sources and resolvers.

use crate::error::ProviderError;
use crate::value::Value;

/// An optional string of an answer (null when absent).
pub fn text(value: Option<&str>) -> Value {
    value.map_or(Value::Null, Value::string)
}

/// A builder error (a required member missing) as an error naming the block.
pub fn built<T>(
    block_name: &str,
    result: Result<T, aws_sdk_appsync::error::BuildError>,
) -> Result<T, ProviderError> {
    result.map_err(|error| ProviderError::invalid(block_name, error.to_string()))
}

/// The `parts` parts of a `-`-joined id (`api_id-name`, `api_id-type-field`). Terraform splits
/// at each `-` (AWS API ids hold none, and GraphQL type and field names cannot); an API id
/// that does hold one (moto's are UUIDs) is taken whole when `api_id` (the prior's) starts
/// the id.
pub fn split_id<'a>(
    id: &'a str,
    api_id: Option<&str>,
    parts: usize,
    shape: &str,
) -> Result<Vec<&'a str>, ProviderError> {
    let split: Vec<&str> = match api_id.and_then(|api_id| {
        id.strip_prefix(api_id)
            .and_then(|rest| rest.strip_prefix('-'))
            .map(|rest| (&id[..api_id.len()], rest))
    }) {
        Some((api_id, rest)) => std::iter::once(api_id)
            .chain(rest.splitn(parts - 1, '-'))
            .collect(),
        None => id.splitn(parts, '-').collect(),
    };
    if split.len() == parts && split.iter().all(|part| !part.is_empty()) {
        Ok(split)
    } else {
        Err(ProviderError::invalid(
            "id",
            format!("{id:?}: expected {shape}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_split_as_terraform_splits_them() {
        let shape = "api_id-type-field";
        assert_eq!(
            split_id("abc123-Query-getSample", None, 3, shape).unwrap(),
            ["abc123", "Query", "getSample"]
        );
        assert_eq!(
            split_id("abc123-my-source", None, 2, "api_id-name").unwrap(),
            ["abc123", "my-source"]
        );
        assert_eq!(
            split_id("5e5f-c7c6-Query-get", Some("5e5f-c7c6"), 3, shape).unwrap(),
            ["5e5f-c7c6", "Query", "get"]
        );
        assert_eq!(
            split_id("abc123-Query-get", Some("other"), 3, shape).unwrap(),
            ["abc123", "Query", "get"]
        );
        assert!(split_id("abc123", None, 2, "api_id-name").is_err());
        assert!(split_id("abc123--x", None, 3, shape).is_err());
    }
}
