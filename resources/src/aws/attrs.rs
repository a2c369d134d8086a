//! Reading and writing attribute maps and nested blocks (lists of maps) for the types with
//! deep nested configuration (S3 bucket settings, CloudFront distributions).

use crate::error::ProviderError;
use crate::provider::Attributes;
use crate::value::Value;

/// A string attribute; `None` when absent, null or unknown.
pub fn string(map: &Attributes, name: &str) -> Option<String> {
    map.get(name).and_then(Value::to_template_string)
}

/// A string attribute that is absent, null and empty alike (`None`).
pub fn non_empty(map: &Attributes, name: &str) -> Option<String> {
    string(map, name).filter(|text| !text.is_empty())
}

/// A required string attribute, or an `InvalidAttribute` error naming it.
pub fn required(map: &Attributes, name: &str) -> Result<String, ProviderError> {
    string(map, name).ok_or_else(|| ProviderError::invalid(name, "is required"))
}

pub fn boolean(map: &Attributes, name: &str) -> Option<bool> {
    map.get(name).and_then(Value::as_bool)
}

/// A whole number attribute (`None` when absent, null or not whole).
pub fn integer(map: &Attributes, name: &str) -> Option<i64> {
    map.get(name)
        .and_then(Value::as_f64)
        .filter(|number| number.fract() == 0.0)
        .map(|number| number as i64)
}

/// A whole number that fits an `i32`, or an `InvalidAttribute` error.
pub fn int32(map: &Attributes, name: &str) -> Result<Option<i32>, ProviderError> {
    match integer(map, name) {
        None => Ok(None),
        Some(number) => i32::try_from(number)
            .map(Some)
            .map_err(|_| ProviderError::invalid(name, "is out of range")),
    }
}

/// A list or set of strings (empty when absent).
pub fn strings(map: &Attributes, name: &str) -> Vec<String> {
    map.get(name)
        .and_then(Value::as_list)
        .map(|items| items.iter().filter_map(Value::to_template_string).collect())
        .unwrap_or_default()
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

/// A list of strings as a `Value`.
pub fn strings_value<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Value {
    Value::List(
        items
            .into_iter()
            .map(|item| Value::string(item.as_ref()))
            .collect(),
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_scalars_read_back() {
        let inner = map([("days", Value::Number(7.0)), ("name", Value::string("x"))]);
        let outer = map([("rule", block_value([inner.clone()]))]);
        assert_eq!(block(&outer, "rule"), Some(&inner));
        assert_eq!(integer(&inner, "days"), Some(7));
        assert_eq!(int32(&inner, "days").ok().flatten(), Some(7));
        assert_eq!(non_empty(&map([("a", Value::string(""))]), "a"), None);
        assert!(blocks(&outer, "missing").is_empty());
        assert_eq!(integer(&map([("n", Value::Number(1.5))]), "n"), None);
    }
}
