//! Attribute diffs: compares desired with prior attributes using the provider's schema (sets
//! without order, JSON documents by meaning, null and empty collections alike) and lists what
//! changed and what forces replacement.

use provision_core::{AttrType, Attributes, BlockNesting, Schema, Value};

use super::AttributeChange;

/// True when `desired` and `prior` mean the same for an attribute of type `attr_type`.
pub fn values_equal(attr_type: &AttrType, desired: &Value, prior: &Value) -> bool {
    match (desired, prior) {
        (Value::Unknown, _) | (_, Value::Unknown) => false,
        (Value::Null, Value::Null) => true,
        (Value::Null, other) | (other, Value::Null) => is_empty_collection(other),
        _ => match attr_type {
            AttrType::Set(inner) => sets_equal(desired, prior, |left, right| {
                values_equal(inner, left, right)
            }),
            AttrType::List(inner) => match (desired, prior) {
                (Value::List(left), Value::List(right)) => {
                    left.len() == right.len()
                        && left
                            .iter()
                            .zip(right)
                            .all(|(left, right)| values_equal(inner, left, right))
                }
                _ => desired == prior,
            },
            AttrType::Map(inner) => match (desired, prior) {
                (Value::Map(left), Value::Map(right)) => {
                    left.len() == right.len()
                        && left.iter().all(|(key, value)| {
                            right
                                .get(key)
                                .is_some_and(|other| values_equal(inner, value, other))
                        })
                }
                _ => desired == prior,
            },
            AttrType::Json => json_equal(desired, prior),
            AttrType::Number => match (desired.as_f64(), prior.as_f64()) {
                (Some(left), Some(right)) => left == right,
                _ => desired == prior,
            },
            AttrType::Bool => match (desired.as_bool(), prior.as_bool()) {
                (Some(left), Some(right)) => left == right,
                _ => desired == prior,
            },
            AttrType::String => match (desired.to_template_string(), prior.to_template_string()) {
                (Some(left), Some(right)) => left == right,
                _ => desired == prior,
            },
            AttrType::Any => desired == prior,
        },
    }
}

fn is_empty_collection(value: &Value) -> bool {
    match value {
        Value::List(items) => items.is_empty(),
        Value::Map(entries) => entries.is_empty(),
        _ => false,
    }
}

/// Two lists compared as sets (every element of each has an equal in the other, same size).
fn sets_equal(left: &Value, right: &Value, equal: impl Fn(&Value, &Value) -> bool) -> bool {
    match (left, right) {
        (Value::List(left), Value::List(right)) => {
            if left.len() != right.len() {
                return false;
            }
            let mut used = vec![false; right.len()];
            left.iter().all(|item| {
                match right
                    .iter()
                    .enumerate()
                    .position(|(index, candidate)| !used[index] && equal(item, candidate))
                {
                    Some(index) => {
                        used[index] = true;
                        true
                    }
                    None => false,
                }
            })
        }
        _ => left == right,
    }
}

/// JSON documents compared by meaning: key order and whitespace do not matter.
pub fn json_equal(left: &Value, right: &Value) -> bool {
    match (left.as_str(), right.as_str()) {
        (Some(left_text), Some(right_text)) => {
            match (
                serde_json::from_str::<serde_json::Value>(left_text),
                serde_json::from_str::<serde_json::Value>(right_text),
            ) {
                (Ok(left_json), Ok(right_json)) => left_json == right_json,
                _ => left_text == right_text,
            }
        }
        _ => left == right,
    }
}

/// True when two nested-block values (lists of maps) mean the same.
pub fn blocks_equal(
    schema: &Schema,
    nesting: BlockNesting,
    desired: &Value,
    prior: &Value,
) -> bool {
    let element_equal = |left: &Value, right: &Value| match (left, right) {
        (Value::Map(left), Value::Map(right)) => attributes_equal(schema, left, right),
        _ => left == right,
    };
    match (desired, prior) {
        (Value::Unknown, _) | (_, Value::Unknown) => false,
        (Value::Null, other) | (other, Value::Null) => {
            other.is_null() || is_empty_collection(other)
        }
        (Value::List(left), Value::List(right)) => match nesting {
            BlockNesting::Set => sets_equal(desired, prior, element_equal),
            BlockNesting::List | BlockNesting::Single => {
                left.len() == right.len()
                    && left
                        .iter()
                        .zip(right)
                        .all(|(left, right)| element_equal(left, right))
            }
        },
        _ => desired == prior,
    }
}

/// True when every settable attribute and nested block of `schema` is equal in both.
fn attributes_equal(schema: &Schema, desired: &Attributes, prior: &Attributes) -> bool {
    schema.attributes.iter().all(|attribute| {
        let left = desired.get(attribute.name).unwrap_or(&Value::Null);
        let right = prior.get(attribute.name).unwrap_or(&Value::Null);
        // An optional+computed attribute the spec leaves out takes what AWS has.
        (attribute.computed && left.is_null()) || values_equal(&attribute.attr_type, left, right)
    }) && schema.blocks.iter().all(|block| {
        let left = desired.get(block.name).unwrap_or(&Value::Null);
        let right = prior.get(block.name).unwrap_or(&Value::Null);
        blocks_equal(&block.schema, block.nesting, left, right)
    })
}

/// The attribute-level differences between `prior` (None for a create) and `after`, for
/// every attribute and nested block of the schema, plus `tags_all`. `ignored` attributes are
/// not compared.
pub fn attribute_changes(
    schema: &Schema,
    prior: Option<&Attributes>,
    after: &Attributes,
    sensitive: &std::collections::BTreeSet<String>,
) -> Vec<AttributeChange> {
    let mut changes = Vec::new();
    for attribute in &schema.attributes {
        let new = after.get(attribute.name).cloned().unwrap_or(Value::Null);
        let old = prior.map(|prior| prior.get(attribute.name).cloned().unwrap_or(Value::Null));
        let changed = match &old {
            None => !new.is_null(),
            Some(old) => {
                !values_equal(&attribute.attr_type, &new, old)
                    && (!new.is_null() || !attribute.computed)
            }
        };
        if changed {
            changes.push(AttributeChange {
                name: attribute.name.to_string(),
                before: old.filter(|value| !value.is_null()),
                after: Some(new),
                sensitive: attribute.sensitive || sensitive.contains(attribute.name),
                forces_replacement: prior.is_some() && attribute.force_new,
            });
        }
    }
    for block in &schema.blocks {
        let new = after
            .get(block.name)
            .cloned()
            .unwrap_or(Value::List(Vec::new()));
        let old = prior.map(|prior| {
            prior
                .get(block.name)
                .cloned()
                .unwrap_or(Value::List(Vec::new()))
        });
        let changed = match &old {
            None => !is_empty_collection(&new) && !new.is_null(),
            Some(old) => !blocks_equal(&block.schema, block.nesting, &new, old),
        };
        if changed {
            changes.push(AttributeChange {
                name: block.name.to_string(),
                before: old,
                after: Some(new),
                sensitive: sensitive.contains(block.name),
                forces_replacement: prior.is_some() && block.force_new,
            });
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use provision_core::{Attribute, NestedBlock};

    fn strings(items: &[&str]) -> Value {
        Value::List(items.iter().map(|item| Value::string(*item)).collect())
    }

    #[test]
    fn sets_ignore_order_lists_do_not() {
        let set = AttrType::set_of_strings();
        let list = AttrType::list_of_strings();
        assert!(values_equal(
            &set,
            &strings(&["a", "b"]),
            &strings(&["b", "a"])
        ));
        assert!(!values_equal(
            &list,
            &strings(&["a", "b"]),
            &strings(&["b", "a"])
        ));
        assert!(!values_equal(
            &set,
            &strings(&["a", "a"]),
            &strings(&["a", "b"])
        ));
    }

    #[test]
    fn json_is_compared_by_meaning() {
        let left = Value::string(r#"{"Version":"2012-10-17","Statement":[]}"#);
        let right = Value::string("{\n  \"Statement\": [],\n  \"Version\": \"2012-10-17\"\n}");
        assert!(values_equal(&AttrType::Json, &left, &right));
        assert!(!values_equal(&AttrType::Json, &left, &Value::string("{}")));
    }

    #[test]
    fn null_equals_empty_collections_and_unknown_never_equal() {
        assert!(values_equal(
            &AttrType::map_of_strings(),
            &Value::Null,
            &Value::Map(Default::default())
        ));
        assert!(!values_equal(
            &AttrType::String,
            &Value::Unknown,
            &Value::string("x")
        ));
        assert!(values_equal(
            &AttrType::Number,
            &Value::Number(80.0),
            &Value::string("80")
        ));
    }

    #[test]
    fn changes_mark_force_new_attributes() {
        let schema = Schema::new(vec![
            Attribute::required("cidr_block", AttrType::String).force_new(),
            Attribute::optional("tags", AttrType::map_of_strings()),
            Attribute::computed("id", AttrType::String),
        ])
        .with_block(NestedBlock {
            name: "ingress",
            nesting: BlockNesting::Set,
            schema: Schema::new(vec![Attribute::required("from_port", AttrType::Number)]),
            force_new: false,
            computed: false,
        });
        let prior: Attributes = [
            ("cidr_block".to_string(), Value::string("10.0.0.0/16")),
            ("id".to_string(), Value::string("vpc-1")),
            (
                "ingress".to_string(),
                Value::List(vec![Value::Map(
                    [("from_port".to_string(), Value::Number(80.0))].into(),
                )]),
            ),
        ]
        .into();
        let mut after = prior.clone();
        after.insert("cidr_block".to_string(), Value::string("10.1.0.0/16"));
        after.insert("id".to_string(), Value::Unknown);
        let changes = attribute_changes(&schema, Some(&prior), &after, &Default::default());
        let names: Vec<_> = changes
            .iter()
            .map(|change| (change.name.as_str(), change.forces_replacement))
            .collect();
        assert_eq!(names, vec![("cidr_block", true), ("id", false)]);
    }
}
