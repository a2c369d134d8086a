//! Collection functions beyond the basics: `alltrue`, `anytrue`, `chunklist`, `matchkeys`,
//! `transpose` and the set functions (`setintersection`, `setproduct`, `setsubtract`,
//! `setunion`). Sets are lists kept in Terraform's set order (see `set_of`).

use std::collections::BTreeMap;

use provision_core::Value;

use super::{describe, set_of, values_equal, Arguments, FunctionError, FunctionResult};

/// `alltrue` / `anytrue`: elements are bools (or "true"/"false"); a known decisive element
/// wins over unknown ones.
fn truth(arguments: &Arguments, decisive: bool) -> FunctionResult {
    let items = match arguments.get(0) {
        Value::Unknown => return Ok(Value::Unknown),
        _ => arguments.list(0, "list")?,
    };
    let mut unknown = false;
    for item in items {
        let flag = match item {
            Value::Unknown => {
                unknown = true;
                continue;
            }
            Value::Null => false,
            other => other.as_bool().ok_or_else(|| {
                FunctionError::argument(
                    0,
                    format!("a bool is required, found a {}", describe(other)),
                )
            })?,
        };
        if flag == decisive {
            return Ok(Value::Bool(decisive));
        }
    }
    Ok(if unknown {
        Value::Unknown
    } else {
        Value::Bool(!decisive)
    })
}

pub(super) fn alltrue(arguments: &Arguments) -> FunctionResult {
    truth(arguments, false)
}

pub(super) fn anytrue(arguments: &Arguments) -> FunctionResult {
    truth(arguments, true)
}

pub(super) fn chunklist(arguments: &Arguments) -> FunctionResult {
    let items = arguments.list(0, "list")?;
    let size = arguments.integer(1, "size")?;
    if size < 0 {
        return Err(FunctionError::argument(
            1,
            "the size argument must be positive",
        ));
    }
    if size == 0 || items.is_empty() {
        return Ok(Value::List(if items.is_empty() {
            vec![]
        } else {
            vec![Value::List(items.to_vec())]
        }));
    }
    Ok(Value::List(
        items
            .chunks(size as usize)
            .map(|chunk| Value::List(chunk.to_vec()))
            .collect(),
    ))
}

pub(super) fn matchkeys(arguments: &Arguments) -> FunctionResult {
    let values = arguments.list(0, "values")?;
    let keys = arguments.list(1, "keys")?;
    let searchset = arguments.list(2, "searchset")?;
    if values.len() != keys.len() {
        return Err(FunctionError::call(
            "length of keys and values should be equal",
        ));
    }
    Ok(Value::List(
        values
            .iter()
            .zip(keys)
            .filter(|(_, key)| searchset.iter().any(|wanted| values_equal(wanted, key)))
            .map(|(value, _)| value.clone())
            .collect(),
    ))
}

fn sets(arguments: &Arguments) -> Result<Vec<&[Value]>, FunctionError> {
    (0..arguments.len())
        .map(|position| arguments.list(position, "set"))
        .collect()
}

pub(super) fn setunion(arguments: &Arguments) -> FunctionResult {
    let all: Vec<Value> = sets(arguments)?.into_iter().flatten().cloned().collect();
    Ok(Value::List(set_of(&all)))
}

pub(super) fn setintersection(arguments: &Arguments) -> FunctionResult {
    let all = sets(arguments)?;
    let (first, rest) = all
        .split_first()
        .ok_or_else(|| FunctionError::call("at least one set is required"))?;
    let kept: Vec<Value> = first
        .iter()
        .filter(|item| {
            rest.iter()
                .all(|other| other.iter().any(|candidate| values_equal(candidate, item)))
        })
        .cloned()
        .collect();
    Ok(Value::List(set_of(&kept)))
}

pub(super) fn setsubtract(arguments: &Arguments) -> FunctionResult {
    let left = arguments.list(0, "a")?;
    let right = arguments.list(1, "b")?;
    let kept: Vec<Value> = left
        .iter()
        .filter(|item| !right.iter().any(|candidate| values_equal(candidate, item)))
        .cloned()
        .collect();
    Ok(Value::List(set_of(&kept)))
}

pub(super) fn setproduct(arguments: &Arguments) -> FunctionResult {
    if arguments.len() < 2 {
        return Err(FunctionError::call("at least two arguments are required"));
    }
    let mut product: Vec<Vec<Value>> = vec![Vec::new()];
    for set in sets(arguments)? {
        let mut next = Vec::with_capacity(product.len() * set.len());
        for prefix in &product {
            for item in set {
                let mut row = prefix.clone();
                row.push(item.clone());
                next.push(row);
            }
        }
        product = next;
    }
    Ok(Value::List(product.into_iter().map(Value::List).collect()))
}

/// `transpose(map(list(string)))`: each value becomes a key listing the keys that held it.
pub(super) fn transpose(arguments: &Arguments) -> FunctionResult {
    let entries = arguments.map(0, "values")?;
    let mut transposed: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for (key, items) in entries {
        let items = items.as_list().ok_or_else(|| {
            FunctionError::argument(
                0,
                format!(
                    "the value of \"{key}\" must be a list of strings, got a {}",
                    describe(items)
                ),
            )
        })?;
        for item in items {
            let name = item.to_template_string().ok_or_else(|| {
                FunctionError::argument(
                    0,
                    format!(
                        "the list \"{key}\" holds a {}: only strings can be transposed",
                        describe(item)
                    ),
                )
            })?;
            transposed
                .entry(name)
                .or_default()
                .push(Value::String(key.clone()));
        }
    }
    Ok(Value::Map(
        transposed
            .into_iter()
            .map(|(key, keys)| (key, Value::List(keys)))
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::tests_support::{list, map, n, ok, run, s, strings};
    use super::*;

    #[test]
    fn alltrue_and_anytrue() {
        assert_eq!(ok("alltrue", vec![list(vec![])]), Value::Bool(true));
        assert_eq!(
            ok("alltrue", vec![list(vec![s("true"), Value::Bool(true)])]),
            Value::Bool(true)
        );
        assert_eq!(
            ok(
                "alltrue",
                vec![list(vec![Value::Bool(true), Value::Bool(false)])]
            ),
            Value::Bool(false)
        );
        assert_eq!(
            ok("alltrue", vec![list(vec![Value::Bool(true), Value::Null])]),
            Value::Bool(false)
        );
        assert_eq!(ok("anytrue", vec![list(vec![])]), Value::Bool(false));
        assert_eq!(
            ok("anytrue", vec![list(vec![Value::Bool(false), s("true")])]),
            Value::Bool(true)
        );
        assert_eq!(
            ok("anytrue", vec![list(vec![Value::Bool(false), Value::Null])]),
            Value::Bool(false)
        );
        assert_eq!(
            ok(
                "anytrue",
                vec![list(vec![Value::Unknown, Value::Bool(true)])]
            ),
            Value::Bool(true)
        );
        assert_eq!(
            ok(
                "anytrue",
                vec![list(vec![Value::Unknown, Value::Bool(false)])]
            ),
            Value::Unknown
        );
        assert_eq!(
            ok(
                "alltrue",
                vec![list(vec![Value::Unknown, Value::Bool(false)])]
            ),
            Value::Bool(false)
        );
        assert!(run("alltrue", vec![strings(&["yes"])])
            .unwrap_err()
            .message
            .contains("a bool is required"));
    }

    #[test]
    fn chunklist_and_matchkeys() {
        assert_eq!(
            ok(
                "chunklist",
                vec![strings(&["a", "b", "c", "d", "e"]), n(2.0)]
            ),
            list(vec![
                strings(&["a", "b"]),
                strings(&["c", "d"]),
                strings(&["e"])
            ])
        );
        assert_eq!(
            ok("chunklist", vec![strings(&["a", "b"]), n(0.0)]),
            list(vec![strings(&["a", "b"])])
        );
        assert!(run("chunklist", vec![strings(&["a"]), n(-1.0)])
            .unwrap_err()
            .message
            .contains("must be positive"));
        assert_eq!(
            ok(
                "matchkeys",
                vec![
                    strings(&["i-123", "i-abc", "i-def"]),
                    strings(&["us-west", "us-east", "us-east"]),
                    strings(&["us-east"])
                ]
            ),
            strings(&["i-abc", "i-def"])
        );
        assert!(run(
            "matchkeys",
            vec![strings(&["a"]), strings(&["x", "y"]), strings(&["x"])]
        )
        .unwrap_err()
        .message
        .contains("length of keys and values should be equal"));
    }

    #[test]
    fn set_functions() {
        assert_eq!(
            ok(
                "setintersection",
                vec![
                    strings(&["a", "b"]),
                    strings(&["b", "c"]),
                    strings(&["b", "d"])
                ]
            ),
            strings(&["b"])
        );
        assert_eq!(
            ok(
                "setsubtract",
                vec![strings(&["a", "b", "c"]), strings(&["a", "c"])]
            ),
            strings(&["b"])
        );
        assert_eq!(
            ok(
                "setunion",
                vec![strings(&["a", "b"]), strings(&["b", "c"]), strings(&["d"])]
            ),
            strings(&["a", "b", "c", "d"])
        );
        assert_eq!(
            ok(
                "setproduct",
                vec![
                    strings(&["development", "staging", "production"]),
                    strings(&["app1", "app2"])
                ]
            ),
            list(vec![
                strings(&["development", "app1"]),
                strings(&["development", "app2"]),
                strings(&["staging", "app1"]),
                strings(&["staging", "app2"]),
                strings(&["production", "app1"]),
                strings(&["production", "app2"]),
            ])
        );
        assert_eq!(
            ok("setproduct", vec![strings(&["a"]), list(vec![])]),
            list(vec![])
        );
        assert!(run("setproduct", vec![strings(&["a"])])
            .unwrap_err()
            .message
            .contains("at least two arguments"));
    }

    #[test]
    fn transpose_swaps_keys_and_values() {
        assert_eq!(
            ok(
                "transpose",
                vec![map(&[
                    ("a", strings(&["1", "2"])),
                    ("b", strings(&["2", "3"]))
                ])]
            ),
            map(&[
                ("1", strings(&["a"])),
                ("2", strings(&["a", "b"])),
                ("3", strings(&["b"]))
            ])
        );
        assert_eq!(
            ok(
                "transpose",
                vec![map(&[("a", strings(&["1"])), ("b", list(vec![]))])]
            ),
            map(&[("1", strings(&["a"]))])
        );
    }
}
