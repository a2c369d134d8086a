//! Evaluates a resource instance's body against its schema: the configured attributes and
//! nested blocks, type conversion, and the checks for unknown, computed-only and missing
//! attributes.

use std::collections::BTreeSet;

use provision_resources::{Attributes, BlockNesting, Schema, Value};

use crate::diagnostics::{Diagnostic, Diagnostics, SourceSpan};
use crate::eval::{evaluate, Scope};
use crate::spec::ast::Body;

/// What the spec sets for one instance: only what the body writes, converted to the schema's
/// types, plus which top-level names hold sensitive values.
#[derive(Debug, Clone, Default)]
pub struct InstanceConfig {
    pub attributes: Attributes,
    pub sensitive: BTreeSet<String>,
}

/// Evaluates `body` against `schema`. Problems are pushed to `diagnostics`; what could be
/// evaluated is returned anyway. `subject` names the resource in messages (`aws_subnet.public`),
/// `block_span` is where a missing attribute is reported.
pub fn evaluate_config(
    schema: &Schema,
    body: &Body,
    scope: &dyn Scope,
    subject: &str,
    block_span: &SourceSpan,
    diagnostics: &mut Diagnostics,
) -> InstanceConfig {
    evaluate_config_of_type(None, schema, body, scope, subject, block_span, diagnostics)
}

/// `evaluate_config` for a resource of `type_name`: a Terraform argument of that type that
/// provision does not support yet gets its own error instead of "unknown attribute".
pub fn evaluate_config_of_type(
    type_name: Option<&str>,
    schema: &Schema,
    body: &Body,
    scope: &dyn Scope,
    subject: &str,
    block_span: &SourceSpan,
    diagnostics: &mut Diagnostics,
) -> InstanceConfig {
    let mut config = InstanceConfig::default();
    // Required attributes an unknown attribute's "did you mean" names: the typo is the one
    // mistake, so "missing required attribute" is not reported for them as well.
    let mut suggested = BTreeSet::new();
    for attribute in &body.attributes {
        if schema.attribute(&attribute.name).is_none() {
            if let Some(diagnostic) =
                not_yet_supported(type_name, subject, &attribute.name, &attribute.name_span)
            {
                diagnostics.push(diagnostic);
                continue;
            }
        }
        let Some(definition) = schema.attribute(&attribute.name) else {
            let mut diagnostic = if schema.block(&attribute.name).is_some() {
                Diagnostic::error(
                    format!(
                        "`{}` is a block in {subject}, not an attribute",
                        attribute.name
                    ),
                    Some(attribute.name_span.clone()),
                )
                .with_hint(format!("write it as `{} {{ ... }}`", attribute.name))
            } else {
                Diagnostic::error(
                    format!("unknown attribute `{}` on {subject}", attribute.name),
                    Some(attribute.name_span.clone()),
                )
            };
            if schema.block(&attribute.name).is_none() {
                diagnostic = match schema.suggest(&attribute.name) {
                    Some(suggestion) => {
                        suggested.insert(suggestion);
                        diagnostic
                            .with_label(format!("did you mean `{suggestion}`?"))
                            .with_hint(format!("did you mean `{suggestion}`?"))
                    }
                    None => diagnostic.with_hint(settable_names_hint(schema)),
                };
            }
            diagnostics.push(diagnostic);
            continue;
        };
        if !definition.settable() {
            diagnostics.push(
                Diagnostic::error(
                    format!(
                        "`{}` is computed by AWS and cannot be set on {subject}",
                        attribute.name
                    ),
                    Some(attribute.name_span.clone()),
                )
                .with_hint("remove it; reference it from other resources instead"),
            );
            continue;
        }
        match evaluate(&attribute.expr, scope) {
            Ok(evaluated) => match definition.attr_type.conform(&evaluated.value) {
                Ok(value) => {
                    if evaluated.sensitive {
                        config.sensitive.insert(attribute.name.clone());
                    }
                    config.attributes.insert(attribute.name.clone(), value);
                }
                Err(message) => diagnostics.push(
                    Diagnostic::error(
                        format!("wrong type for `{}` on {subject}", attribute.name),
                        Some(attribute.expr.span.clone()),
                    )
                    .with_label(message)
                    .with_hint(format!(
                        "`{}` takes a {}",
                        attribute.name,
                        definition.attr_type.describe()
                    )),
                ),
            },
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    for block in &body.blocks {
        if schema.block(&block.ident).is_none() {
            if let Some(diagnostic) =
                not_yet_supported(type_name, subject, &block.ident, &block.ident_span)
            {
                diagnostics.push(diagnostic);
                continue;
            }
        }
        let Some(definition) = schema.block(&block.ident) else {
            let mut diagnostic = Diagnostic::error(
                format!("unknown block `{}` in {subject}", block.ident),
                Some(block.ident_span.clone()),
            );
            diagnostic = match schema.suggest(&block.ident) {
                Some(suggestion) => diagnostic.with_hint(format!("did you mean `{suggestion}`?")),
                None => diagnostic.with_hint(settable_names_hint(schema)),
            };
            diagnostics.push(diagnostic);
            continue;
        };
        let nested_subject = format!("{subject} {} block", block.ident);
        let nested = evaluate_config(
            &definition.schema,
            &block.body,
            scope,
            &nested_subject,
            &block.ident_span,
            diagnostics,
        );
        let mut element = nested.attributes;
        for attribute in &definition.schema.attributes {
            element
                .entry(attribute.name.to_string())
                .or_insert_with(|| attribute.default.clone().unwrap_or(Value::Null));
        }
        for nested_block in &definition.schema.blocks {
            element
                .entry(nested_block.name.to_string())
                .or_insert_with(|| Value::List(Vec::new()));
        }
        if !nested.sensitive.is_empty() {
            config.sensitive.insert(block.ident.clone());
        }
        let entry = config
            .attributes
            .entry(block.ident.clone())
            .or_insert_with(|| Value::List(Vec::new()));
        if let Value::List(items) = entry {
            if definition.nesting == BlockNesting::Single && !items.is_empty() {
                diagnostics.push(
                    Diagnostic::error(
                        format!("only one `{}` block is allowed in {subject}", block.ident),
                        Some(block.ident_span.clone()),
                    )
                    .with_hint("merge the blocks into one"),
                );
            }
            items.push(Value::Map(element));
        }
    }
    for attribute in schema
        .attributes
        .iter()
        .filter(|attribute| attribute.required)
    {
        if body.attribute(attribute.name).is_none() && !suggested.contains(attribute.name) {
            diagnostics.push(
                Diagnostic::error(
                    format!(
                        "missing required attribute `{}` in {subject}",
                        attribute.name
                    ),
                    Some(block_span.clone()),
                )
                .with_hint(format!(
                    "add `{} = ...` ({})",
                    attribute.name,
                    attribute.attr_type.describe()
                )),
            );
        }
    }
    config
}

/// The error for a Terraform argument provision does not support yet (see
/// `provision_resources::coverage`), when `name` is one.
fn not_yet_supported(
    type_name: Option<&str>,
    subject: &str,
    name: &str,
    span: &SourceSpan,
) -> Option<Diagnostic> {
    let reason = provision_resources::coverage::not_yet_supported(type_name?, name)?;
    Some(
        Diagnostic::error(
            format!("{subject}: argument `{name}` is not supported by provision yet"),
            Some(span.clone()),
        )
        .with_label("a Terraform argument provision does not implement yet")
        .with_hint(format!(
            "{reason}; remove it (the README lists what is not yet supported)"
        )),
    )
}

fn settable_names_hint(schema: &Schema) -> String {
    let names: Vec<&str> = schema
        .attributes
        .iter()
        .filter(|attribute| attribute.settable())
        .map(|attribute| attribute.name)
        .chain(schema.blocks.iter().map(|block| block.name))
        .collect();
    format!("valid names here: {}", names.join(", "))
}
