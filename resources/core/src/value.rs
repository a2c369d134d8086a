//! `Value`: the dynamic value of the spec language and of resource attributes, with `Unknown` for
//! what is only known after apply.

use std::collections::BTreeMap;
use std::fmt;

/// A value of the spec language. Maps keep their keys sorted so that rendering and hashing are
/// deterministic. `Unknown` is "known after apply" and is never stored in state.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Value>),
    Map(BTreeMap<String, Value>),
    Unknown,
}

impl Value {
    pub fn string(value: impl Into<String>) -> Value {
        Value::String(value.into())
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// True when this value or anything inside it is unknown.
    pub fn contains_unknown(&self) -> bool {
        match self {
            Value::Unknown => true,
            Value::List(items) => items.iter().any(Value::contains_unknown),
            Value::Map(entries) => entries.values().any(Value::contains_unknown),
            _ => false,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(text) => Some(text),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(flag) => Some(*flag),
            Value::String(text) if text == "true" => Some(true),
            Value::String(text) if text == "false" => Some(false),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(number) => Some(*number),
            Value::String(text) => text.parse().ok(),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        self.as_f64()
            .filter(|number| number.fract() == 0.0)
            .map(|number| number as i64)
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// `get("id")` on a map; `Null` for anything else.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_map().and_then(|entries| entries.get(key))
    }

    /// Short name of the value's type, as used in diagnostics ("string", "list", ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Map(_) => "map",
            Value::Unknown => "unknown",
        }
    }

    /// The string form used by templates and by `tostring`: numbers without a trailing `.0`.
    /// `None` for collections, null and unknown.
    pub fn to_template_string(&self) -> Option<String> {
        match self {
            Value::String(text) => Some(text.clone()),
            Value::Number(number) => Some(format_number(*number)),
            Value::Bool(flag) => Some(flag.to_string()),
            _ => None,
        }
    }

    /// Converts to JSON. Unknown becomes null; callers must not store unknown values.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null | Value::Unknown => serde_json::Value::Null,
            Value::Bool(flag) => serde_json::Value::Bool(*flag),
            Value::Number(number) => number_to_json(*number),
            Value::String(text) => serde_json::Value::String(text.clone()),
            Value::List(items) => {
                serde_json::Value::Array(items.iter().map(Value::to_json).collect())
            }
            Value::Map(entries) => serde_json::Value::Object(
                entries
                    .iter()
                    .map(|(key, value)| (key.clone(), value.to_json()))
                    .collect(),
            ),
        }
    }

    pub fn from_json(json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(flag) => Value::Bool(*flag),
            serde_json::Value::Number(number) => Value::Number(number.as_f64().unwrap_or(0.0)),
            serde_json::Value::String(text) => Value::String(text.clone()),
            serde_json::Value::Array(items) => {
                Value::List(items.iter().map(Value::from_json).collect())
            }
            serde_json::Value::Object(entries) => Value::Map(
                entries
                    .iter()
                    .map(|(key, value)| (key.clone(), Value::from_json(value)))
                    .collect(),
            ),
        }
    }
}

/// Formats a number the way Terraform prints it: integers without a fractional part.
pub fn format_number(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        format!("{}", number as i64)
    } else {
        format!("{number}")
    }
}

fn number_to_json(number: f64) -> serde_json::Value {
    if number.fract() == 0.0 && number.abs() < 9.0e15 {
        serde_json::Value::from(number as i64)
    } else {
        serde_json::Number::from_f64(number)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null)
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Self {
        Value::String(text.to_string())
    }
}

impl From<String> for Value {
    fn from(text: String) -> Self {
        Value::String(text)
    }
}

impl From<bool> for Value {
    fn from(flag: bool) -> Self {
        Value::Bool(flag)
    }
}

impl From<i64> for Value {
    fn from(number: i64) -> Self {
        Value::Number(number as f64)
    }
}

impl From<i32> for Value {
    fn from(number: i32) -> Self {
        Value::Number(number as f64)
    }
}

impl From<f64> for Value {
    fn from(number: f64) -> Self {
        Value::Number(number)
    }
}

impl From<Option<String>> for Value {
    fn from(text: Option<String>) -> Self {
        text.map(Value::String).unwrap_or(Value::Null)
    }
}

impl From<Vec<Value>> for Value {
    fn from(items: Vec<Value>) -> Self {
        Value::List(items)
    }
}

impl From<BTreeMap<String, Value>> for Value {
    fn from(entries: BTreeMap<String, Value>) -> Self {
        Value::Map(entries)
    }
}

impl fmt::Display for Value {
    /// HCL-like rendering used in plans: strings quoted, collections inline.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => write!(formatter, "null"),
            Value::Bool(flag) => write!(formatter, "{flag}"),
            Value::Number(number) => write!(formatter, "{}", format_number(*number)),
            Value::String(text) => write!(formatter, "{}", serde_json::Value::String(text.clone())),
            Value::List(items) => {
                write!(formatter, "[")?;
                for (position, item) in items.iter().enumerate() {
                    if position > 0 {
                        write!(formatter, ", ")?;
                    }
                    write!(formatter, "{item}")?;
                }
                write!(formatter, "]")
            }
            Value::Map(entries) => {
                write!(formatter, "{{")?;
                for (position, (key, value)) in entries.iter().enumerate() {
                    if position > 0 {
                        write!(formatter, ", ")?;
                    }
                    write!(formatter, "{key} = {value}")?;
                }
                write!(formatter, "}}")
            }
            Value::Unknown => write!(formatter, "(known after apply)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_render_without_fraction() {
        assert_eq!(Value::Number(3.0).to_string(), "3");
        assert_eq!(Value::Number(2.5).to_string(), "2.5");
    }

    #[test]
    fn json_round_trip_keeps_structure() {
        let json = serde_json::json!({"a": [1, "x", true, null], "b": {"c": 2.5}});
        assert_eq!(Value::from_json(&json).to_json(), json);
    }

    #[test]
    fn unknown_is_found_inside_collections() {
        let value = Value::List(vec![
            Value::Null,
            Value::Map([("k".to_string(), Value::Unknown)].into()),
        ]);
        assert!(value.contains_unknown());
        assert!(!Value::List(vec![Value::Null]).contains_unknown());
    }
}
