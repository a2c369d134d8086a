//! Evaluates a resource instance's body against its schema: the configured attributes and
//! nested blocks (`dynamic` blocks expanded, at any depth), type conversion, and the checks
//! for unknown, computed-only and missing attributes.

use std::collections::BTreeSet;

use provision_core::{Attributes, BlockNesting, Schema, Value};

use provision_core::schema::NestedBlock;

use crate::diagnostics::{Diagnostic, Diagnostics, SourceSpan};
use crate::eval::{evaluate, Lookup, Scope};
use crate::spec::ast::{Block, Body, ExprKind};

/// What the spec sets for one instance: only what the body writes, converted to the schema's
/// types, plus which top-level names hold sensitive values.
#[derive(Debug, Clone, Default)]
pub struct InstanceConfig {
    pub attributes: Attributes,
    pub sensitive: BTreeSet<String>,
    /// The `timeouts {}` block's limits (`create`, `update`, `delete`), when written.
    pub timeouts: std::collections::BTreeMap<String, std::time::Duration>,
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
        if block.ident == "dynamic" {
            expand_dynamic(schema, block, scope, subject, &mut config, diagnostics);
            continue;
        }
        if block.ident == "timeouts" && schema.block("timeouts").is_none() {
            if let Some(keys) = type_name.and_then(super::coverage::timeouts_of) {
                config.timeouts =
                    super::timeouts::evaluate_timeouts(block, keys, scope, subject, diagnostics);
                continue;
            }
        }
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
        push_block(
            definition,
            &block.body,
            scope,
            subject,
            &block.ident_span,
            &mut config,
            diagnostics,
        );
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

/// Evaluates one nested block's body and appends it to the block's list in `config`.
fn push_block(
    definition: &NestedBlock,
    body: &Body,
    scope: &dyn Scope,
    subject: &str,
    span: &SourceSpan,
    config: &mut InstanceConfig,
    diagnostics: &mut Diagnostics,
) {
    let name = definition.name;
    let nested_subject = format!("{subject} {name} block");
    let nested = evaluate_config(
        &definition.schema,
        body,
        scope,
        &nested_subject,
        span,
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
        config.sensitive.insert(name.to_string());
    }
    let entry = config
        .attributes
        .entry(name.to_string())
        .or_insert_with(|| Value::List(Vec::new()));
    if let Value::List(items) = entry {
        if definition.nesting == BlockNesting::Single && !items.is_empty() {
            diagnostics.push(
                Diagnostic::error(
                    format!("only one `{name}` block is allowed in {subject}"),
                    Some(span.clone()),
                )
                .with_hint("merge the blocks into one"),
            );
        }
        items.push(Value::Map(element));
    }
}

/// `dynamic "LABEL" { for_each = ..., iterator = NAME, content { ... } }`: one `LABEL` block
/// per element of `for_each`, its content evaluated with `NAME.key` / `NAME.value` (NAME
/// defaults to the label). An unknown `for_each` makes the whole list of blocks unknown.
fn expand_dynamic(
    schema: &Schema,
    block: &Block,
    scope: &dyn Scope,
    subject: &str,
    config: &mut InstanceConfig,
    diagnostics: &mut Diagnostics,
) {
    let [(label, label_span)] = block.labels.as_slice() else {
        diagnostics.push(
            Diagnostic::error(
                format!(
                    "a dynamic block in {subject} needs exactly one label, got {}",
                    block.labels.len()
                ),
                Some(block.ident_span.clone()),
            )
            .with_hint("name the block type to generate: `dynamic \"ingress\" { ... }`"),
        );
        return;
    };
    let Some(definition) = schema.block(label) else {
        let mut diagnostic = Diagnostic::error(
            format!("unknown block type `{label}` in a dynamic block of {subject}"),
            Some(label_span.clone()),
        );
        diagnostic = match schema.suggest(label) {
            Some(suggestion) => diagnostic.with_hint(format!("did you mean `{suggestion}`?")),
            None if schema.attribute(label).is_some() => diagnostic.with_hint(format!(
                "`{label}` is an attribute, not a block: set it with a for expression instead"
            )),
            None => diagnostic.with_hint(settable_names_hint(schema)),
        };
        diagnostics.push(diagnostic);
        return;
    };
    let mut iterator = label.as_str();
    let mut for_each = None;
    for attribute in &block.body.attributes {
        match attribute.name.as_str() {
            "for_each" => for_each = Some(attribute),
            "iterator" => {
                match &attribute.expr.kind {
                    ExprKind::Variable(name) => iterator = name,
                    _ => {
                        diagnostics.push(
                        Diagnostic::error(
                            "the iterator of a dynamic block must be a name",
                            Some(attribute.expr.span.clone()),
                        )
                        .with_hint("write `iterator = rule`, then use rule.key and rule.value in content"),
                    );
                        return;
                    }
                }
            }
            "labels" => {
                diagnostics.push(
                    Diagnostic::error(
                        format!("`{label}` blocks take no labels"),
                        Some(attribute.name_span.clone()),
                    )
                    .with_hint("remove `labels`"),
                );
                return;
            }
            other => {
                diagnostics.push(
                    Diagnostic::error(
                        format!("unknown argument `{other}` in a dynamic block"),
                        Some(attribute.name_span.clone()),
                    )
                    .with_hint("a dynamic block takes for_each, iterator and a content block"),
                );
                return;
            }
        }
    }
    let contents: Vec<&Block> = block.body.blocks.iter().collect();
    let content = match contents.as_slice() {
        [only] if only.ident == "content" && only.labels.is_empty() => *only,
        [] => {
            diagnostics.push(
                Diagnostic::error(
                    format!("the dynamic `{label}` block has no content block"),
                    Some(label_span.clone()),
                )
                .with_hint(format!(
                    "add `content {{ ... }}` with the arguments of each `{label}` block"
                )),
            );
            return;
        }
        [.., extra] => {
            let message = if extra.ident == "content" {
                "a dynamic block takes exactly one content block".to_string()
            } else {
                format!("unknown block `{}` in a dynamic block", extra.ident)
            };
            diagnostics.push(
                Diagnostic::error(message, Some(extra.ident_span.clone()))
                    .with_hint("a dynamic block takes for_each, iterator and one content block"),
            );
            return;
        }
    };
    let Some(for_each) = for_each else {
        diagnostics.push(
            Diagnostic::error(
                format!("the dynamic `{label}` block has no for_each"),
                Some(label_span.clone()),
            )
            .with_hint("add `for_each = ...`: a list, set or map with one element per block"),
        );
        return;
    };
    let evaluated = match evaluate(&for_each.expr, scope) {
        Ok(evaluated) => evaluated,
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            return;
        }
    };
    if evaluated.sensitive {
        config.sensitive.insert(label.clone());
    }
    let pairs: Vec<(Value, Value)> = match evaluated.value {
        Value::Unknown => {
            config.attributes.insert(label.clone(), Value::Unknown);
            return;
        }
        Value::List(items) => items
            .into_iter()
            .enumerate()
            .map(|(index, item)| (Value::Number(index as f64), item))
            .collect(),
        Value::Map(entries) => entries
            .into_iter()
            .map(|(key, item)| (Value::String(key), item))
            .collect(),
        Value::Null => {
            diagnostics.push(
                Diagnostic::error(
                    "the for_each of a dynamic block cannot be null",
                    Some(for_each.expr.span.clone()),
                )
                .with_hint("use an empty list `[]` for no blocks"),
            );
            return;
        }
        other => {
            diagnostics.push(
                Diagnostic::error(
                    format!(
                        "the for_each of a dynamic block must be a list, set or map, got a {}",
                        other.type_name()
                    ),
                    Some(for_each.expr.span.clone()),
                )
                .with_hint("wrap a single value in a list: `[value]`"),
            );
            return;
        }
    };
    // No elements is the same as writing no block (a computed block keeps its prior value).
    for (key, item) in pairs {
        let iteration = IteratorScope {
            parent: scope,
            name: iterator,
            value: Value::Map([("key".to_string(), key), ("value".to_string(), item)].into()),
            sensitive: evaluated.sensitive,
        };
        push_block(
            definition,
            &content.body,
            &iteration,
            subject,
            label_span,
            config,
            diagnostics,
        );
    }
}

/// The scope of one dynamic block's content: the iterator (`rule.key`, `rule.value`) over the
/// enclosing scope.
struct IteratorScope<'a> {
    parent: &'a dyn Scope,
    name: &'a str,
    value: Value,
    sensitive: bool,
}

impl Scope for IteratorScope<'_> {
    fn lookup(&self, parts: &[&str]) -> Option<Lookup<'_>> {
        if parts.first() == Some(&self.name) {
            return Some(Lookup {
                value: &self.value,
                consumed: 1,
                sensitive: self.sensitive,
            });
        }
        self.parent.lookup(parts)
    }

    fn suggest(&self, parts: &[&str]) -> Option<String> {
        self.parent.suggest(parts)
    }

    fn applying(&self) -> bool {
        self.parent.applying()
    }
}

/// The error for a Terraform argument provision does not support yet (see
/// `super::coverage`), when `name` is one.
fn not_yet_supported(
    type_name: Option<&str>,
    subject: &str,
    name: &str,
    span: &SourceSpan,
) -> Option<Diagnostic> {
    let reason = super::coverage::not_yet_supported(type_name?, name)?;
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
