//! Type constraints of input variables (`string`, `list(string)`, `object({ name = string,
//! size = optional(number, 1) })`, `map(...)`, `set(...)`, `tuple([...])`, `any`): read from
//! their expression and used to convert values like Terraform does.

// Errors are `Diagnostic`s by value, like `evaluate`'s; they are the rare path.
#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;
use std::fmt;

use provision_core::Value;

use super::functions::{set_of, to_number};
use super::{evaluate, EmptyScope};
use crate::diagnostics::Diagnostic;
use crate::spec::ast::{Expr, ExprKind};

/// A variable's declared type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeConstraint {
    Any,
    String,
    Number,
    Bool,
    List(Box<TypeConstraint>),
    Set(Box<TypeConstraint>),
    Map(Box<TypeConstraint>),
    Object(Vec<ObjectAttribute>),
    Tuple(Vec<TypeConstraint>),
}

/// One attribute of an `object({...})` type.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectAttribute {
    pub name: String,
    pub constraint: TypeConstraint,
    /// Declared with `optional(...)`.
    pub optional: bool,
    /// `optional(type, default)`'s default, already converted.
    pub default: Option<Value>,
}

impl fmt::Display for TypeConstraint {
    /// HCL syntax: `list(string)`, `object({name=string})`.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeConstraint::Any => write!(formatter, "any"),
            TypeConstraint::String => write!(formatter, "string"),
            TypeConstraint::Number => write!(formatter, "number"),
            TypeConstraint::Bool => write!(formatter, "bool"),
            TypeConstraint::List(element) => write!(formatter, "list({element})"),
            TypeConstraint::Set(element) => write!(formatter, "set({element})"),
            TypeConstraint::Map(element) => write!(formatter, "map({element})"),
            TypeConstraint::Object(attributes) => {
                write!(formatter, "object({{")?;
                for (position, attribute) in attributes.iter().enumerate() {
                    if position > 0 {
                        write!(formatter, ", ")?;
                    }
                    if attribute.optional {
                        write!(
                            formatter,
                            "{}=optional({})",
                            attribute.name, attribute.constraint
                        )?;
                    } else {
                        write!(formatter, "{}={}", attribute.name, attribute.constraint)?;
                    }
                }
                write!(formatter, "}})")
            }
            TypeConstraint::Tuple(elements) => {
                write!(formatter, "tuple([")?;
                for (position, element) in elements.iter().enumerate() {
                    if position > 0 {
                        write!(formatter, ", ")?;
                    }
                    write!(formatter, "{element}")?;
                }
                write!(formatter, "])")
            }
        }
    }
}

fn type_error(expr: &Expr, summary: impl Into<String>) -> Diagnostic {
    Diagnostic::error(summary, Some(expr.span.clone())).with_hint(
        "types are string, number, bool, any, list(T), set(T), map(T), tuple([T, ...]) and object({ name = T, other = optional(T, default) })",
    )
}

impl TypeConstraint {
    /// Reads a type constraint expression.
    pub fn parse(expr: &Expr) -> Result<TypeConstraint, Diagnostic> {
        match &expr.kind {
            ExprKind::Variable(name) => match name.as_str() {
                "any" => Ok(TypeConstraint::Any),
                "string" => Ok(TypeConstraint::String),
                "number" => Ok(TypeConstraint::Number),
                "bool" => Ok(TypeConstraint::Bool),
                "list" => Ok(TypeConstraint::List(Box::new(TypeConstraint::Any))),
                "map" => Ok(TypeConstraint::Map(Box::new(TypeConstraint::Any))),
                "set" => Ok(TypeConstraint::Set(Box::new(TypeConstraint::Any))),
                other => Err(type_error(expr, format!("unknown type {other}"))),
            },
            ExprKind::String(name) if name == "string" => Ok(TypeConstraint::String),
            ExprKind::FunctionCall {
                name, arguments, ..
            } => {
                let single = || match arguments.as_slice() {
                    [only] => Ok(only),
                    _ => Err(type_error(
                        expr,
                        format!("{name}(...) takes exactly one type argument"),
                    )),
                };
                match name.as_str() {
                    "list" => Ok(TypeConstraint::List(Box::new(Self::parse(single()?)?))),
                    "set" => Ok(TypeConstraint::Set(Box::new(Self::parse(single()?)?))),
                    "map" => Ok(TypeConstraint::Map(Box::new(Self::parse(single()?)?))),
                    "tuple" => match &single()?.kind {
                        ExprKind::Array(items) => Ok(TypeConstraint::Tuple(
                            items.iter().map(Self::parse).collect::<Result<_, _>>()?,
                        )),
                        _ => Err(type_error(expr, "tuple(...) takes a list of types: tuple([string, number])")),
                    },
                    "object" => match &single()?.kind {
                        ExprKind::Object(entries) => {
                            let mut attributes = Vec::with_capacity(entries.len());
                            for (key, value) in entries {
                                attributes.push(Self::parse_attribute(key, value)?);
                            }
                            Ok(TypeConstraint::Object(attributes))
                        }
                        _ => Err(type_error(expr, "object(...) takes an object of attribute types: object({ name = string })")),
                    },
                    "optional" => Err(type_error(expr, "optional(...) is only allowed on an attribute of object({...})")),
                    other => Err(type_error(expr, format!("unknown type constructor {other}(...)"))),
                }
            }
            _ => Err(type_error(expr, "this is not a type constraint")),
        }
    }

    fn parse_attribute(key: &Expr, value: &Expr) -> Result<ObjectAttribute, Diagnostic> {
        let name = match &key.kind {
            ExprKind::String(name) | ExprKind::Variable(name) => name.clone(),
            _ => {
                return Err(type_error(
                    key,
                    "an object attribute name must be an identifier",
                ))
            }
        };
        if let ExprKind::FunctionCall {
            name: constructor,
            arguments,
            ..
        } = &value.kind
        {
            if constructor == "optional" {
                let (constraint_expr, default_expr) = match arguments.as_slice() {
                    [constraint] => (constraint, None),
                    [constraint, default] => (constraint, Some(default)),
                    _ => return Err(type_error(
                        value,
                        "optional(...) takes a type and an optional default: optional(number, 1)",
                    )),
                };
                let constraint = Self::parse(constraint_expr)?;
                let default = match default_expr {
                    None => None,
                    Some(default_expr) => {
                        let raw = evaluate(default_expr, &EmptyScope)?.value;
                        let converted = constraint.convert(&raw).map_err(|failure| {
                            Diagnostic::error(
                                format!("bad default for optional attribute {name}: {failure}"),
                                Some(default_expr.span.clone()),
                            )
                        })?;
                        Some(converted)
                    }
                };
                return Ok(ObjectAttribute {
                    name,
                    constraint,
                    optional: true,
                    default,
                });
            }
        }
        Ok(ObjectAttribute {
            name,
            constraint: Self::parse(value)?,
            optional: false,
            default: None,
        })
    }

    /// Whether raw text from the command line or environment is taken literally (primitive
    /// types) rather than parsed as an HCL expression.
    pub fn takes_literal_text(&self) -> bool {
        matches!(
            self,
            TypeConstraint::String | TypeConstraint::Number | TypeConstraint::Bool
        )
    }

    /// Converts `value` to this type, like Terraform's automatic conversions. Nulls convert to
    /// null; unknowns stay unknown. The error reads `expected string, got list`, prefixed with
    /// the path to the offending element.
    pub fn convert(&self, value: &Value) -> Result<Value, String> {
        if matches!(value, Value::Null | Value::Unknown) {
            return Ok(value.clone());
        }
        let mismatch = || format!("expected {self}, got {}", value.type_name());
        match self {
            TypeConstraint::Any => Ok(value.clone()),
            TypeConstraint::String => value
                .to_template_string()
                .map(Value::String)
                .ok_or_else(mismatch),
            TypeConstraint::Number => match value {
                Value::String(text) => to_number(value)
                    .map(Value::Number)
                    .ok_or_else(|| format!("expected number, got string \"{text}\"")),
                other => to_number(other).map(Value::Number).ok_or_else(mismatch),
            },
            TypeConstraint::Bool => match value {
                Value::Bool(_) => Ok(value.clone()),
                Value::String(text) => value
                    .as_bool()
                    .map(Value::Bool)
                    .ok_or_else(|| format!("expected bool, got string \"{text}\"")),
                _ => Err(mismatch()),
            },
            TypeConstraint::List(element) | TypeConstraint::Set(element) => {
                let Value::List(items) = value else {
                    return Err(mismatch());
                };
                let converted = items
                    .iter()
                    .enumerate()
                    .map(|(position, item)| {
                        element
                            .convert(item)
                            .map_err(|failure| format!("element {position}: {failure}"))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Value::List(if matches!(self, TypeConstraint::Set(_)) {
                    set_of(&converted)
                } else {
                    converted
                }))
            }
            TypeConstraint::Map(element) => {
                let Value::Map(entries) = value else {
                    return Err(mismatch());
                };
                entries
                    .iter()
                    .map(|(key, item)| {
                        element
                            .convert(item)
                            .map(|converted| (key.clone(), converted))
                            .map_err(|failure| format!("key \"{key}\": {failure}"))
                    })
                    .collect::<Result<BTreeMap<_, _>, _>>()
                    .map(Value::Map)
            }
            TypeConstraint::Object(attributes) => {
                let Value::Map(entries) = value else {
                    return Err(mismatch());
                };
                let mut converted = BTreeMap::new();
                for attribute in attributes {
                    let item = match entries.get(&attribute.name) {
                        Some(Value::Null) | None if attribute.optional => {
                            attribute.default.clone().unwrap_or(Value::Null)
                        }
                        Some(item) => attribute.constraint.convert(item).map_err(|failure| {
                            format!("attribute \"{}\": {failure}", attribute.name)
                        })?,
                        None => {
                            return Err(format!("attribute \"{}\" is required", attribute.name))
                        }
                    };
                    converted.insert(attribute.name.clone(), item);
                }
                Ok(Value::Map(converted))
            }
            TypeConstraint::Tuple(elements) => {
                let Value::List(items) = value else {
                    return Err(mismatch());
                };
                if items.len() != elements.len() {
                    return Err(format!(
                        "expected {self} ({} elements), got a list of {}",
                        elements.len(),
                        items.len()
                    ));
                }
                items
                    .iter()
                    .zip(elements)
                    .enumerate()
                    .map(|(position, (item, element))| {
                        element
                            .convert(item)
                            .map_err(|failure| format!("element {position}: {failure}"))
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map(Value::List)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::SourceMap;
    use crate::spec::parse::parse_expression;

    fn constraint(text: &str) -> TypeConstraint {
        let mut sources = SourceMap::default();
        let file = sources.add("<type>".into(), text.to_string());
        let expr = parse_expression(&sources, file).expect("parses");
        TypeConstraint::parse(&expr).expect("is a type")
    }

    fn strings(items: &[&str]) -> Value {
        Value::List(items.iter().map(|item| Value::from(*item)).collect())
    }

    #[test]
    fn primitives_convert_like_terraform() {
        assert_eq!(
            constraint("string").convert(&Value::Number(3.0)),
            Ok(Value::from("3"))
        );
        assert_eq!(
            constraint("number").convert(&Value::from("3")),
            Ok(Value::Number(3.0))
        );
        assert_eq!(
            constraint("bool").convert(&Value::from("true")),
            Ok(Value::Bool(true))
        );
        assert_eq!(
            constraint("string").convert(&strings(&["a"])),
            Err("expected string, got list".to_string())
        );
        assert!(constraint("number").convert(&Value::from("abc")).is_err());
        assert_eq!(
            constraint("any").convert(&strings(&["a"])),
            Ok(strings(&["a"]))
        );
    }

    #[test]
    fn collections_convert_their_elements() {
        let list = constraint("list(number)");
        assert_eq!(list.to_string(), "list(number)");
        assert_eq!(
            list.convert(&strings(&["1", "2"])),
            Ok(Value::List(vec![Value::Number(1.0), Value::Number(2.0)]))
        );
        assert_eq!(
            list.convert(&strings(&["1", "x"])),
            Err("element 1: expected number, got string \"x\"".to_string())
        );
        assert_eq!(
            constraint("set(string)").convert(&strings(&["b", "a", "b"])),
            Ok(strings(&["a", "b"]))
        );
        let map = constraint("map(string)");
        let value = Value::Map([("a".to_string(), Value::Number(1.0))].into());
        assert_eq!(
            map.convert(&value),
            Ok(Value::Map([("a".to_string(), Value::from("1"))].into()))
        );
        let tuple = constraint("tuple([string, number])");
        assert!(tuple.convert(&strings(&["a"])).is_err());
        assert_eq!(
            tuple.convert(&strings(&["a", "2"])),
            Ok(Value::List(vec![Value::from("a"), Value::Number(2.0)]))
        );
    }

    #[test]
    fn objects_fill_optional_defaults_and_require_the_rest() {
        let object = constraint(
            "object({ name = string, size = optional(number, 1), tags = optional(map(string)) })",
        );
        let given = Value::Map(
            [
                ("name".to_string(), Value::from("x")),
                ("extra".to_string(), Value::Bool(true)),
            ]
            .into(),
        );
        let converted = object.convert(&given).expect("converts");
        assert_eq!(converted.get("size"), Some(&Value::Number(1.0)));
        assert_eq!(converted.get("tags"), Some(&Value::Null));
        assert_eq!(converted.get("extra"), None);
        let missing = object.convert(&Value::Map(BTreeMap::new()));
        assert_eq!(missing, Err("attribute \"name\" is required".to_string()));
    }

    #[test]
    fn bad_type_expressions_are_errors() {
        let mut sources = SourceMap::default();
        let file = sources.add("<type>".into(), "strng".to_string());
        let expr = parse_expression(&sources, file).expect("parses");
        let failure = TypeConstraint::parse(&expr).expect_err("unknown type");
        assert_eq!(failure.summary, "unknown type strng");
    }
}
