//! `plan --generate-config-out=FILE`: HCL for the `import {}` blocks whose `to` the spec lacks,
//! written from the cloud object each one reads, as Terraform's `-generate-config-out` does:
//! only arguments the schema has (computed-only attributes left out), sensitive ones left out
//! with a comment, laid out by `provision fmt`'s formatter.

use provision_resources::{Attributes, Schema, Value};

/// The `resource "TYPE" "NAME" { ... }` block for `attributes` (what the import read).
pub fn resource_block(
    type_name: &str,
    name: &str,
    schema: &Schema,
    attributes: &Attributes,
) -> String {
    let mut text = format!("resource \"{type_name}\" \"{name}\" {{\n");
    body(&mut text, schema, attributes, 1);
    text.push_str("}\n");
    crate::format::format_source(&text)
}

fn body(text: &mut String, schema: &Schema, attributes: &Attributes, depth: usize) {
    let indent = "  ".repeat(depth);
    for attribute in &schema.attributes {
        if !attribute.settable() {
            continue;
        }
        let Some(value) = attributes.get(attribute.name) else {
            continue;
        };
        if is_empty(value) {
            continue;
        }
        if attribute.sensitive {
            text.push_str(&format!(
                "{indent}# {} = (sensitive value: not written; set it here, from a variable for example)\n",
                attribute.name
            ));
            continue;
        }
        text.push_str(&format!(
            "{indent}{} = {}\n",
            attribute.name,
            expression(value, depth)
        ));
    }
    for block in &schema.blocks {
        let Some(Value::List(items)) = attributes.get(block.name) else {
            continue;
        };
        for item in items {
            let Value::Map(entries) = item else {
                continue;
            };
            text.push_str(&format!("{indent}{} {{\n", block.name));
            body(text, &block.schema, entries, depth + 1);
            text.push_str(&format!("{indent}}}\n"));
        }
    }
}

/// Null, unknown, and empty strings, lists and maps are left out (the spec's default).
fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null | Value::Unknown => true,
        Value::List(items) => items.is_empty(),
        Value::Map(entries) => entries.is_empty(),
        _ => false,
    }
}

/// A value as an HCL expression (maps over several lines, at `depth`).
fn expression(value: &Value, depth: usize) -> String {
    match value {
        Value::Null | Value::Unknown => "null".to_string(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => {
            if number.fract() == 0.0 && number.abs() < 1e15 {
                format!("{}", *number as i64)
            } else {
                number.to_string()
            }
        }
        Value::String(text) => quoted(text),
        Value::List(items) => {
            let parts: Vec<String> = items.iter().map(|item| expression(item, depth)).collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Map(entries) => {
            let inner = "  ".repeat(depth + 1);
            let mut text = "{\n".to_string();
            for (key, item) in entries {
                let key = if is_identifier(key) {
                    key.clone()
                } else {
                    quoted(key)
                };
                text.push_str(&format!("{inner}{key} = {}\n", expression(item, depth + 1)));
            }
            text.push_str(&format!("{}}}", "  ".repeat(depth)));
            text
        }
    }
}

fn is_identifier(text: &str) -> bool {
    let mut characters = text.chars();
    characters
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && characters
            .all(|character| character.is_ascii_alphanumeric() || matches!(character, '_' | '-'))
}

/// A quoted HCL string: escapes, and `${` / `%{` doubled so nothing is interpolated.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let mut characters = text.chars().peekable();
    while let Some(character) = characters.next() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if characters.peek() == Some(&'{') => {
                out.push(character);
                out.push(character);
            }
            other => out.push(other),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use provision_resources::{AttrType, Attribute};

    #[test]
    fn writes_settable_attributes_and_leaves_out_computed_and_sensitive_ones() {
        let schema = Schema {
            attributes: vec![
                Attribute::required("cidr_block", AttrType::String),
                Attribute::optional("tags", AttrType::Map(Box::new(AttrType::String))),
                Attribute::computed("arn", AttrType::String),
                Attribute {
                    sensitive: true,
                    ..Attribute::optional("password", AttrType::String)
                },
                Attribute::optional("enable_dns_support", AttrType::Bool),
            ],
            blocks: Vec::new(),
        };
        let attributes: Attributes = [
            ("cidr_block".to_string(), Value::string("10.0.0.0/16")),
            ("arn".to_string(), Value::string("arn:aws:ec2:...")),
            ("password".to_string(), Value::string("hunter2")),
            ("enable_dns_support".to_string(), Value::Bool(true)),
            (
                "tags".to_string(),
                Value::Map([("Name".to_string(), Value::string("a ${b}"))].into()),
            ),
        ]
        .into();
        let text = resource_block("aws_vpc", "main", &schema, &attributes);
        assert!(text.contains("resource \"aws_vpc\" \"main\" {\n"), "{text}");
        assert!(text.contains("  cidr_block"), "{text}");
        assert!(text.contains(" = \"10.0.0.0/16\"\n"), "{text}");
        assert!(text.contains("Name = \"a $${b}\""), "{text}");
        assert!(!text.contains("arn"), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(text.contains("# password = (sensitive value"), "{text}");
    }
}
