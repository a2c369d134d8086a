//! Reading and writing attribute maps, with one meaning for every type: a reader answers `None`
//! for an absent, null or unknown attribute and keeps an empty string; numbers must be whole
//! where a whole number is wanted (an error names the attribute); nested blocks are lists of
//! maps under the block name.

use crate::error::ProviderError;
use crate::provider::Attributes;
use crate::value::Value;

/// A string attribute; `None` when absent, null or unknown (`""` stays `Some("")`).
pub fn optional_string(map: &Attributes, name: &str) -> Option<String> {
    map.get(name).and_then(Value::to_template_string)
}

/// A string attribute that is absent, null and empty alike (`None`).
pub fn non_empty(map: &Attributes, name: &str) -> Option<String> {
    optional_string(map, name).filter(|text| !text.is_empty())
}

/// A required string attribute, or an `InvalidAttribute` error naming it.
pub fn required_string(map: &Attributes, name: &str) -> Result<String, ProviderError> {
    optional_string(map, name).ok_or_else(|| ProviderError::invalid(name, "is required"))
}

pub fn optional_bool(map: &Attributes, name: &str) -> Option<bool> {
    map.get(name).and_then(Value::as_bool)
}

/// A whole number attribute (`None` when absent, null or not whole).
pub fn optional_i64(map: &Attributes, name: &str) -> Option<i64> {
    map.get(name).and_then(Value::as_i64)
}

/// A whole number that fits an `i32` (`None` when absent or null), or an `InvalidAttribute`
/// error when it is not a whole number or out of range.
pub fn optional_i32(map: &Attributes, name: &str) -> Result<Option<i32>, ProviderError> {
    match map.get(name) {
        None | Some(Value::Null) | Some(Value::Unknown) => Ok(None),
        Some(value) => value
            .as_i64()
            .and_then(|number| i32::try_from(number).ok())
            .map(Some)
            .ok_or_else(|| ProviderError::invalid(name, "must be a whole number")),
    }
}

/// A list or set of strings (empty when absent).
pub fn string_list(map: &Attributes, name: &str) -> Vec<String> {
    map.get(name)
        .and_then(Value::as_list)
        .map(|items| items.iter().filter_map(Value::to_template_string).collect())
        .unwrap_or_default()
}

/// A list of strings as a `Value`.
pub fn string_list_value<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Value {
    Value::List(
        items
            .into_iter()
            .map(|item| Value::string(item.as_ref()))
            .collect(),
    )
}

/// The elements of a nested block (empty when absent).
pub fn blocks<'a>(map: &'a Attributes, name: &str) -> Vec<&'a Attributes> {
    map.get(name)
        .and_then(Value::as_list)
        .map(|items| items.iter().filter_map(Value::as_map).collect())
        .unwrap_or_default()
}

/// The one element of a single nested block, when written.
pub fn block<'a>(map: &'a Attributes, name: &str) -> Option<&'a Attributes> {
    blocks(map, name).into_iter().next()
}

/// A nested block value from its elements.
pub fn block_value(elements: impl IntoIterator<Item = Attributes>) -> Value {
    Value::List(elements.into_iter().map(Value::Map).collect())
}

/// A map built from `(name, value)` pairs.
pub fn map<const N: usize>(entries: [(&str, Value); N]) -> Attributes {
    entries
        .into_iter()
        .map(|(name, value)| (name.to_string(), value))
        .collect()
}

/// An optional number as a `Value` (null when absent).
pub fn number<N: Into<f64>>(value: Option<N>) -> Value {
    value.map_or(Value::Null, |number| Value::Number(number.into()))
}

/// RFC 3339 text of an SDK time (`""` when absent).
pub fn rfc3339(time: Option<&aws_smithy_types::DateTime>) -> Value {
    time.and_then(|time| time.fmt(aws_smithy_types::date_time::Format::DateTime).ok())
        .map(Value::string)
        .unwrap_or(Value::string(""))
}

/// AWS's answer, or the prior value when AWS answered nothing (settings an emulator ignores).
pub fn or_prior(found: Option<Value>, prior: &Attributes, name: &str) -> Value {
    found.unwrap_or_else(|| prior.get(name).cloned().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_scalars_read_back() {
        let inner = map([("days", Value::Number(7.0)), ("name", Value::string("x"))]);
        let outer = map([("rule", block_value([inner.clone()]))]);
        assert_eq!(block(&outer, "rule"), Some(&inner));
        assert_eq!(optional_i64(&inner, "days"), Some(7));
        assert_eq!(optional_i32(&inner, "days").ok().flatten(), Some(7));
        assert_eq!(non_empty(&map([("a", Value::string(""))]), "a"), None);
        assert_eq!(
            optional_string(&map([("a", Value::string(""))]), "a"),
            Some(String::new())
        );
        assert!(blocks(&outer, "missing").is_empty());
        assert_eq!(optional_i64(&map([("n", Value::Number(1.5))]), "n"), None);
    }

    #[test]
    fn optional_i32_checks_whole_numbers() {
        let attributes = map([("n", Value::Number(3.0)), ("f", Value::Number(3.5))]);
        assert_eq!(optional_i32(&attributes, "n").ok(), Some(Some(3)));
        assert!(optional_i32(&attributes, "f").is_err());
        assert!(optional_i32(&map([("big", Value::Number(1e12))]), "big").is_err());
        assert_eq!(optional_i32(&attributes, "missing").ok(), Some(None));
    }
}
