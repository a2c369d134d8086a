//! The expression evaluator: `Expr` → `Value` against a `Scope`, with unknown values
//! propagated ("known after apply") and sensitivity tracked. No IO.
//!
//! References borrow from the scope: `Scope::lookup` hands back a `&Value` and how many leading
//! names it used; the remaining attribute and index operators walk that value by reference and
//! only the result is cloned. Variables bound by `for` expressions live on a small stack inside
//! the evaluator, consulted before the scope.

// `evaluate` returns a `Diagnostic` by value (the shared interface); errors are the rare path.
#![allow(clippy::result_large_err)]

pub mod functions;
pub mod types;

use std::collections::{BTreeMap, BTreeSet};

use provision_core::schema::edit_distance;
use provision_core::value::format_number;
use provision_core::Value;

use crate::diagnostics::{Diagnostic, SourceSpan};
use crate::spec::ast::{
    BinaryOperator, Expr, ExprKind, TemplatePart, TraversalOperator, UnaryOperator,
};
use functions::{to_number, values_equal, FunctionError};

/// What a reference resolved to.
pub struct Lookup<'a> {
    pub value: &'a Value,
    /// How many of the leading names the scope used (`["aws_vpc", "main", "id"]` → 2:
    /// the evaluator applies `.id` to the value itself).
    pub consumed: usize,
    /// The value is sensitive (a sensitive variable, or a sensitive attribute).
    pub sensitive: bool,
}

/// Where references get their values: `var`, `local`, `each`, `count`, `path`, `terraform`,
/// resource types (`aws_vpc.main` → the instance's attributes; with `count` a list of them,
/// with `for_each` a map).
pub trait Scope {
    /// `parts` are the reference's leading names up to its first index or splat, at least one.
    /// `None` when the root or name is undefined.
    fn lookup(&self, parts: &[&str]) -> Option<Lookup<'_>>;

    /// A hint for an undefined reference (`did you mean var.vpc_cidr?`), when the scope
    /// knows a close name.
    fn suggest(&self, parts: &[&str]) -> Option<String> {
        let _ = parts;
        None
    }

    /// Whether expressions are evaluated for an apply (with known values) rather than a plan:
    /// `timestamp()`, `uuid()` and `bcrypt()` are unknown while planning, like Terraform's.
    fn applying(&self) -> bool {
        false
    }
}

/// The `FileId` given to the spans of a template read by `templatefile` or `templatestring`:
/// it is no file of the spec's `SourceMap`, so the evaluator re-points such diagnostics at
/// the call before they leave it.
const TEMPLATE_FILE: crate::diagnostics::FileId = crate::diagnostics::FileId(u32::MAX);

/// The time `plantimestamp()` returns: fixed for the whole run.
fn plan_timestamp() -> &'static str {
    static PLAN_TIME: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PLAN_TIME.get_or_init(|| functions::datetime::Timestamp::now().rfc3339())
}

/// A scope where nothing is defined: for variable defaults and tfvars values.
pub struct EmptyScope;

impl Scope for EmptyScope {
    fn lookup(&self, _parts: &[&str]) -> Option<Lookup<'_>> {
        None
    }

    fn suggest(&self, _parts: &[&str]) -> Option<String> {
        Some("only literal values are allowed here; references are not".to_string())
    }
}

/// A scope of named roots (`var` → a map of variables, ...). A root's first-level entries whose
/// dotted names (`var.password`) are in `sensitive` are sensitive.
#[derive(Debug, Clone, Default)]
pub struct MapScope {
    pub roots: BTreeMap<String, Value>,
    pub sensitive: BTreeSet<String>,
}

impl Scope for MapScope {
    fn lookup(&self, parts: &[&str]) -> Option<Lookup<'_>> {
        let root = self.roots.get(*parts.first()?)?;
        let sensitive = match parts {
            [root_name, name, ..] => self.sensitive.contains(&format!("{root_name}.{name}")),
            _ => false,
        };
        Some(Lookup {
            value: root,
            consumed: 1,
            sensitive,
        })
    }

    fn suggest(&self, parts: &[&str]) -> Option<String> {
        let root = parts.first()?;
        closest(root, self.roots.keys().map(String::as_str))
            .map(|close| format!("did you mean {close}?"))
    }
}

/// The result of evaluating an expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluated {
    pub value: Value,
    /// Some sensitive value flowed into it.
    pub sensitive: bool,
}

impl Evaluated {
    fn new(value: Value, sensitive: bool) -> Evaluated {
        Evaluated { value, sensitive }
    }

    fn plain(value: Value) -> Evaluated {
        Evaluated::new(value, false)
    }
}

/// Evaluates `expr`. Errors carry the span of the offending sub-expression and a hint.
pub fn evaluate(expr: &Expr, scope: &dyn Scope) -> Result<Evaluated, Diagnostic> {
    Evaluator {
        scope,
        bound: Vec::new(),
        in_template: false,
    }
    .eval(expr)
}

/// The candidate closest to `name` by edit distance, when it is close enough to be a likely
/// typo (or one is a prefix of the other).
pub(crate) fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .filter(|candidate| *candidate != name)
        .map(|candidate| (edit_distance(name, candidate), candidate))
        .filter(|(distance, candidate)| {
            *distance <= 2.max(candidate.len() / 3)
                || (!name.is_empty() && candidate.starts_with(name))
                || (!candidate.is_empty() && name.starts_with(candidate))
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

type Outcome = Result<Evaluated, Diagnostic>;

/// A variable bound by a `for` expression or template directive.
struct Bound<'e> {
    name: &'e str,
    value: Value,
    sensitive: bool,
}

struct Evaluator<'e, 's> {
    scope: &'s dyn Scope,
    bound: Vec<Bound<'e>>,
    /// Evaluating a `templatefile` / `templatestring` template, where those two are refused.
    in_template: bool,
}

/// A value for diagnostics: its type and, unless sensitive, a short rendering.
fn describe_value(value: &Value, sensitive: bool) -> String {
    if sensitive {
        return format!("{} (sensitive value)", value.type_name());
    }
    match value {
        Value::Null => "null".to_string(),
        Value::String(text) if text.chars().count() > 40 => {
            let short: String = text.chars().take(37).collect();
            format!("string \"{short}...\"")
        }
        Value::String(text) => format!("string \"{text}\""),
        Value::Number(number) => format!("number {}", format_number(*number)),
        Value::Bool(flag) => format!("bool {flag}"),
        other => other.type_name().to_string(),
    }
}

fn error(summary: impl Into<String>, span: &SourceSpan) -> Diagnostic {
    Diagnostic::error(summary, Some(span.clone()))
}

/// A bool operand or condition: `true`/`false`, or the strings "true"/"false".
fn to_bool(value: &Value) -> Option<bool> {
    value.as_bool()
}

/// Text for an object key or a template: strings, numbers, bools.
fn key_text(value: &Value) -> Option<String> {
    value.to_template_string()
}

impl<'e, 's> Evaluator<'e, 's> {
    fn eval(&mut self, expr: &'e Expr) -> Outcome {
        match &expr.kind {
            ExprKind::Null => Ok(Evaluated::plain(Value::Null)),
            ExprKind::Bool(flag) => Ok(Evaluated::plain(Value::Bool(*flag))),
            ExprKind::Number(number) => Ok(Evaluated::plain(Value::Number(*number))),
            ExprKind::String(text) => Ok(Evaluated::plain(Value::String(text.clone()))),
            ExprKind::Template(parts) => self.template(parts),
            ExprKind::Array(items) => {
                let mut values = Vec::with_capacity(items.len());
                let mut sensitive = false;
                for item in items {
                    let evaluated = self.eval(item)?;
                    sensitive |= evaluated.sensitive;
                    values.push(evaluated.value);
                }
                Ok(Evaluated::new(Value::List(values), sensitive))
            }
            ExprKind::Object(entries) => self.object(entries),
            ExprKind::Variable(name) => self.reference(expr, name, &[], &expr.span),
            ExprKind::Traversal { base, operators } => match &base.kind {
                ExprKind::Variable(name) => self.reference(base, name, operators, &expr.span),
                _ => {
                    let keys = self.index_keys(operators)?;
                    let base_value = self.eval(base)?;
                    let value = traverse(&base_value.value, operators, &keys.values, &expr.span)?;
                    Ok(Evaluated::new(
                        value,
                        base_value.sensitive || keys.sensitive,
                    ))
                }
            },
            ExprKind::FunctionCall {
                name,
                arguments,
                expand_final,
            } => self.call(expr, name, arguments, *expand_final),
            ExprKind::Conditional {
                condition,
                true_result,
                false_result,
            } => {
                let tested = self.eval(condition)?;
                let chosen = match &tested.value {
                    Value::Unknown => return Ok(Evaluated::new(Value::Unknown, tested.sensitive)),
                    value => to_bool(value).ok_or_else(|| {
                        error(
                            format!(
                                "the condition must be a bool, got {}",
                                describe_value(value, tested.sensitive)
                            ),
                            &condition.span,
                        )
                    })?,
                };
                let result = self.eval(if chosen { true_result } else { false_result })?;
                Ok(Evaluated::new(
                    result.value,
                    result.sensitive || tested.sensitive,
                ))
            }
            ExprKind::Unary { operator, operand } => {
                let evaluated = self.eval(operand)?;
                let value = match (&evaluated.value, operator) {
                    (Value::Unknown, _) => Value::Unknown,
                    (value, UnaryOperator::Not) => {
                        Value::Bool(!to_bool(value).ok_or_else(|| {
                            error(
                                format!(
                                    "cannot apply ! to {}: a bool is required",
                                    describe_value(value, evaluated.sensitive)
                                ),
                                &operand.span,
                            )
                        })?)
                    }
                    (value, UnaryOperator::Negate) => {
                        Value::Number(-to_number(value).ok_or_else(|| {
                            error(
                                format!(
                                    "cannot negate {}: a number is required",
                                    describe_value(value, evaluated.sensitive)
                                ),
                                &operand.span,
                            )
                        })?)
                    }
                };
                Ok(Evaluated::new(value, evaluated.sensitive))
            }
            ExprKind::Binary {
                operator,
                left,
                right,
            } => self.binary(expr, *operator, left, right),
            ExprKind::ForList {
                key_variable,
                value_variable,
                collection,
                value,
                condition,
            } => self.for_list(
                key_variable.as_deref(),
                value_variable,
                collection,
                value,
                condition.as_deref(),
            ),
            ExprKind::ForObject {
                key_variable,
                value_variable,
                collection,
                key,
                value,
                grouping,
                condition,
            } => self.for_object(
                key_variable.as_deref(),
                value_variable,
                collection,
                key,
                value,
                *grouping,
                condition.as_deref(),
            ),
        }
    }

    fn object(&mut self, entries: &'e [(Expr, Expr)]) -> Outcome {
        let mut map = BTreeMap::new();
        let mut sensitive = false;
        let mut unknown = false;
        for (key, value) in entries {
            let key_value = self.eval(key)?;
            let value_value = self.eval(value)?;
            sensitive |= key_value.sensitive || value_value.sensitive;
            match &key_value.value {
                Value::Unknown => unknown = true,
                other => {
                    let text = key_text(other).ok_or_else(|| {
                        error(
                            format!(
                                "an object key must be a string, got {}",
                                describe_value(other, key_value.sensitive)
                            ),
                            &key.span,
                        )
                    })?;
                    map.insert(text, value_value.value);
                }
            }
        }
        let value = if unknown {
            Value::Unknown
        } else {
            Value::Map(map)
        };
        Ok(Evaluated::new(value, sensitive))
    }

    /// Evaluates the index expressions of a traversal up front, so that the traversal itself
    /// can walk a borrowed value.
    fn index_keys(&mut self, operators: &'e [TraversalOperator]) -> Result<Keys, Diagnostic> {
        let mut keys = Keys::default();
        for operator in operators {
            if let TraversalOperator::Index(index) = operator {
                let evaluated = self.eval(index)?;
                keys.sensitive |= evaluated.sensitive;
                keys.values.push(evaluated.value);
            }
        }
        Ok(keys)
    }

    fn reference(
        &mut self,
        base: &'e Expr,
        name: &'e str,
        operators: &'e [TraversalOperator],
        whole: &SourceSpan,
    ) -> Outcome {
        let keys = self.index_keys(operators)?;
        if let Some(bound) = self.bound.iter().rev().find(|bound| bound.name == name) {
            let value = traverse(&bound.value, operators, &keys.values, whole)?;
            return Ok(Evaluated::new(value, bound.sensitive || keys.sensitive));
        }
        let mut parts: Vec<&str> = Vec::with_capacity(operators.len() + 1);
        parts.push(name);
        let mut span = base.span.clone();
        for operator in operators {
            match operator {
                TraversalOperator::GetAttr(attribute, attribute_span) => {
                    parts.push(attribute);
                    span = span.to(attribute_span);
                }
                _ => break,
            }
        }
        let Some(found) = self.scope.lookup(&parts) else {
            let hint = self.scope.suggest(&parts).unwrap_or_else(|| {
                "references look like var.NAME, local.NAME or TYPE.NAME.ATTRIBUTE".to_string()
            });
            return Err(
                error(format!("undefined reference {}", parts.join(".")), &span).with_hint(hint),
            );
        };
        let mut sensitive = found.sensitive;
        // `TYPE.NAME[KEY].ATTRIBUTE` (an instance of a block with count or for_each): the
        // attribute after the key decides, as it does for `TYPE.NAME.ATTRIBUTE`.
        if sensitive {
            if let [TraversalOperator::Index(_), TraversalOperator::GetAttr(attribute, _), ..] =
                &operators[parts.len() - 1..]
            {
                let mut refined = parts.clone();
                refined.push(attribute);
                if let Some(instance_attribute) = self.scope.lookup(&refined) {
                    sensitive = instance_attribute.sensitive;
                }
            }
        }
        let consumed = found.consumed.clamp(1, parts.len());
        let value = traverse(found.value, &operators[consumed - 1..], &keys.values, whole)?;
        Ok(Evaluated::new(value, sensitive || keys.sensitive))
    }

    fn template(&mut self, parts: &'e [TemplatePart]) -> Outcome {
        let mut meaningful = parts
            .iter()
            .filter(|part| !matches!(part, TemplatePart::Literal(text) if text.is_empty()));
        if let (Some(TemplatePart::Interpolation(only)), None) =
            (meaningful.next(), meaningful.next())
        {
            // `"${x}"` is x itself, whatever its type, like Terraform.
            return self.eval(only);
        }
        let mut rendered = Rendered::default();
        self.render(parts, &mut rendered)?;
        let value = if rendered.unknown {
            Value::Unknown
        } else {
            Value::String(rendered.text)
        };
        Ok(Evaluated::new(value, rendered.sensitive))
    }

    fn render(
        &mut self,
        parts: &'e [TemplatePart],
        rendered: &mut Rendered,
    ) -> Result<(), Diagnostic> {
        for part in parts {
            match part {
                TemplatePart::Literal(text) => rendered.text.push_str(text),
                TemplatePart::Interpolation(expr) => {
                    let evaluated = self.eval(expr)?;
                    rendered.sensitive |= evaluated.sensitive;
                    match &evaluated.value {
                        Value::Unknown => rendered.unknown = true,
                        Value::Null => {
                            return Err(error(
                                "cannot include a null value in a string template",
                                &expr.span,
                            )
                            .with_hint("use coalesce() or a conditional to give a fallback"))
                        }
                        value @ (Value::List(_) | Value::Map(_)) => {
                            return Err(error(
                                format!("cannot include a {} in a string template", value.type_name()),
                                &expr.span,
                            )
                            .with_hint("use join() for a list of strings, or jsonencode() for structured values"))
                        }
                        value => {
                            if let Some(text) = value.to_template_string() {
                                rendered.text.push_str(&text);
                            }
                        }
                    }
                }
                TemplatePart::If {
                    condition,
                    true_parts,
                    false_parts,
                } => {
                    let tested = self.eval(condition)?;
                    rendered.sensitive |= tested.sensitive;
                    match &tested.value {
                        Value::Unknown => rendered.unknown = true,
                        value => {
                            let chosen = to_bool(value).ok_or_else(|| {
                                error(
                                    format!(
                                        "the %{{if}} condition must be a bool, got {}",
                                        describe_value(value, tested.sensitive)
                                    ),
                                    &condition.span,
                                )
                            })?;
                            self.render(if chosen { true_parts } else { false_parts }, rendered)?;
                        }
                    }
                }
                TemplatePart::For {
                    key_variable,
                    value_variable,
                    collection,
                    parts,
                } => {
                    let items = self.eval(collection)?;
                    rendered.sensitive |= items.sensitive;
                    let Some(pairs) = iteration_pairs(items.value, &collection.span)? else {
                        rendered.unknown = true;
                        continue;
                    };
                    for (key, value) in pairs {
                        let depth = self.bind(
                            key_variable.as_deref(),
                            value_variable,
                            key,
                            value,
                            items.sensitive,
                        );
                        let outcome = self.render(parts, rendered);
                        self.bound.truncate(depth);
                        outcome?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Pushes the loop variables; returns the stack depth to truncate back to.
    fn bind(
        &mut self,
        key_variable: Option<&'e str>,
        value_variable: &'e str,
        key: Value,
        value: Value,
        sensitive: bool,
    ) -> usize {
        let depth = self.bound.len();
        if let Some(name) = key_variable {
            self.bound.push(Bound {
                name,
                value: key,
                sensitive,
            });
        }
        self.bound.push(Bound {
            name: value_variable,
            value,
            sensitive,
        });
        depth
    }

    /// Evaluates a `for` condition: `Some(keep)`, or `None` when it is unknown.
    fn for_condition(
        &mut self,
        condition: Option<&'e Expr>,
        sensitive: &mut bool,
    ) -> Result<Option<bool>, Diagnostic> {
        let Some(condition) = condition else {
            return Ok(Some(true));
        };
        let tested = self.eval(condition)?;
        *sensitive |= tested.sensitive;
        match &tested.value {
            Value::Unknown => Ok(None),
            value => to_bool(value).map(Some).ok_or_else(|| {
                error(
                    format!(
                        "the `if` condition of a for expression must be a bool, got {}",
                        describe_value(value, tested.sensitive)
                    ),
                    &condition.span,
                )
            }),
        }
    }

    fn for_list(
        &mut self,
        key_variable: Option<&'e str>,
        value_variable: &'e str,
        collection: &'e Expr,
        value: &'e Expr,
        condition: Option<&'e Expr>,
    ) -> Outcome {
        let items = self.eval(collection)?;
        let mut sensitive = items.sensitive;
        let Some(pairs) = iteration_pairs(items.value, &collection.span)? else {
            return Ok(Evaluated::new(Value::Unknown, sensitive));
        };
        let mut results = Vec::with_capacity(pairs.len());
        let mut unknown = false;
        for (key, element) in pairs {
            let depth = self.bind(key_variable, value_variable, key, element, items.sensitive);
            let outcome = self.for_list_item(value, condition, &mut sensitive);
            self.bound.truncate(depth);
            match outcome? {
                ForItem::Keep(result) => results.push(result),
                ForItem::Skip => {}
                ForItem::Unknown => unknown = true,
            }
        }
        let result = if unknown {
            Value::Unknown
        } else {
            Value::List(results)
        };
        Ok(Evaluated::new(result, sensitive))
    }

    fn for_list_item(
        &mut self,
        value: &'e Expr,
        condition: Option<&'e Expr>,
        sensitive: &mut bool,
    ) -> Result<ForItem<Value>, Diagnostic> {
        match self.for_condition(condition, sensitive)? {
            None => Ok(ForItem::Unknown),
            Some(false) => Ok(ForItem::Skip),
            Some(true) => {
                let evaluated = self.eval(value)?;
                *sensitive |= evaluated.sensitive;
                Ok(ForItem::Keep(evaluated.value))
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn for_object(
        &mut self,
        key_variable: Option<&'e str>,
        value_variable: &'e str,
        collection: &'e Expr,
        key: &'e Expr,
        value: &'e Expr,
        grouping: bool,
        condition: Option<&'e Expr>,
    ) -> Outcome {
        let items = self.eval(collection)?;
        let mut sensitive = items.sensitive;
        let Some(pairs) = iteration_pairs(items.value, &collection.span)? else {
            return Ok(Evaluated::new(Value::Unknown, sensitive));
        };
        let mut entries: BTreeMap<String, Value> = BTreeMap::new();
        let mut groups: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        let mut unknown = false;
        for (item_key, element) in pairs {
            let depth = self.bind(
                key_variable,
                value_variable,
                item_key,
                element,
                items.sensitive,
            );
            let outcome = self.for_object_item(key, value, condition, &mut sensitive);
            self.bound.truncate(depth);
            let (name, result) = match outcome? {
                ForItem::Keep(pair) => pair,
                ForItem::Skip => continue,
                ForItem::Unknown => {
                    unknown = true;
                    continue;
                }
            };
            if grouping {
                groups.entry(name).or_default().push(result);
            } else {
                match entries.entry(name) {
                    std::collections::btree_map::Entry::Occupied(taken) => {
                        return Err(error(
                            format!("duplicate key \"{}\" in a for expression", taken.key()),
                            &key.span,
                        )
                        .with_hint("add `...` after the value expression to group values with the same key into lists"));
                    }
                    std::collections::btree_map::Entry::Vacant(slot) => {
                        slot.insert(result);
                    }
                }
            }
        }
        if grouping {
            entries = groups
                .into_iter()
                .map(|(name, group)| (name, Value::List(group)))
                .collect();
        }
        let result = if unknown {
            Value::Unknown
        } else {
            Value::Map(entries)
        };
        Ok(Evaluated::new(result, sensitive))
    }

    fn for_object_item(
        &mut self,
        key: &'e Expr,
        value: &'e Expr,
        condition: Option<&'e Expr>,
        sensitive: &mut bool,
    ) -> Result<ForItem<(String, Value)>, Diagnostic> {
        match self.for_condition(condition, sensitive)? {
            None => return Ok(ForItem::Unknown),
            Some(false) => return Ok(ForItem::Skip),
            Some(true) => {}
        }
        let key_value = self.eval(key)?;
        *sensitive |= key_value.sensitive;
        let name = match &key_value.value {
            Value::Unknown => return Ok(ForItem::Unknown),
            other => key_text(other).ok_or_else(|| {
                error(
                    format!(
                        "a for expression's key must be a string, got {}",
                        describe_value(other, key_value.sensitive)
                    ),
                    &key.span,
                )
            })?,
        };
        let evaluated = self.eval(value)?;
        *sensitive |= evaluated.sensitive;
        Ok(ForItem::Keep((name, evaluated.value)))
    }

    fn call(
        &mut self,
        expr: &'e Expr,
        name: &'e str,
        arguments: &'e [Expr],
        expand_final: bool,
    ) -> Outcome {
        let name = name.strip_prefix("core::").unwrap_or(name);
        match name {
            "try" => return self.call_try(expr, arguments),
            "can" => return self.call_can(expr, arguments),
            "templatefile" | "templatestring" => return self.call_template(expr, name, arguments),
            "issensitive" => return self.call_issensitive(expr, arguments),
            "timestamp" | "plantimestamp" if !arguments.is_empty() => {
                return Err(error(
                    format!("{name}: expected no arguments, got {}", arguments.len()),
                    &expr.span,
                )
                .with_hint(format!("usage: {name}()")))
            }
            "timestamp" if self.scope.applying() => {
                return Ok(Evaluated::plain(Value::String(
                    functions::datetime::Timestamp::now().rfc3339(),
                )))
            }
            "timestamp" => return Ok(Evaluated::plain(Value::Unknown)),
            "plantimestamp" => {
                return Ok(Evaluated::plain(Value::String(
                    plan_timestamp().to_string(),
                )))
            }
            _ => {}
        }
        if !functions::exists(name) {
            let hint = match closest(name, functions::names()) {
                Some(close) => format!("did you mean {close}()?"),
                None => "this is none of Terraform's built-in functions".to_string(),
            };
            return Err(error(format!("unknown function {name}"), &expr.span).with_hint(hint));
        }
        let mut values = Vec::with_capacity(arguments.len());
        let mut spans: Vec<&SourceSpan> = Vec::with_capacity(arguments.len());
        let mut sensitive = false;
        for (position, argument) in arguments.iter().enumerate() {
            let evaluated = self.eval(argument)?;
            sensitive |= evaluated.sensitive;
            if expand_final && position + 1 == arguments.len() {
                match evaluated.value {
                    Value::List(items) => {
                        spans.extend(std::iter::repeat_n(&argument.span, items.len()));
                        values.extend(items);
                    }
                    Value::Unknown => return Ok(Evaluated::new(Value::Unknown, sensitive)),
                    other => {
                        return Err(error(
                            format!(
                                "{name}: only a list can be expanded with ..., got {}",
                                describe_value(&other, evaluated.sensitive)
                            ),
                            &argument.span,
                        ))
                    }
                }
            } else {
                values.push(evaluated.value);
                spans.push(&argument.span);
            }
        }
        match name {
            "sensitive" => sensitive = true,
            "nonsensitive" => sensitive = false,
            _ => {}
        }
        if functions::is_impure(name) && !self.scope.applying() {
            // Still checked now, so that a wrong call fails the plan rather than the apply.
            return match functions::check(name, values) {
                Some(Err(failure)) => Err(function_error(name, failure, &spans, &expr.span)),
                _ => Ok(Evaluated::new(Value::Unknown, sensitive)),
            };
        }
        match functions::call(name, values) {
            Some(Ok(value)) => Ok(Evaluated::new(value, sensitive)),
            Some(Err(failure)) => Err(function_error(name, failure, &spans, &expr.span)),
            None => Err(error(format!("unknown function {name}"), &expr.span)),
        }
    }

    fn call_try(&mut self, expr: &'e Expr, arguments: &'e [Expr]) -> Outcome {
        if arguments.is_empty() {
            return Err(
                error("try: expected at least 1 argument, got 0", &expr.span)
                    .with_hint("usage: try(expressions...)"),
            );
        }
        let mut failures = Vec::new();
        for argument in arguments {
            match self.eval(argument) {
                Ok(evaluated) => return Ok(evaluated),
                Err(failure) => failures.push(failure.summary),
            }
        }
        let mut diagnostic = error("try: no argument evaluated without an error", &expr.span)
            .with_hint("add a last argument that always works, such as a literal fallback");
        for failure in failures {
            diagnostic = diagnostic.with_note(failure);
        }
        Err(diagnostic)
    }

    /// `issensitive(value)`: whether a sensitive value flowed into it; unknown when the value
    /// is unknown and not (yet) sensitive. The answer itself is not sensitive.
    fn call_issensitive(&mut self, expr: &'e Expr, arguments: &'e [Expr]) -> Outcome {
        let [argument] = arguments else {
            return Err(error(
                format!("issensitive: expected 1 argument, got {}", arguments.len()),
                &expr.span,
            )
            .with_hint("usage: issensitive(value)"));
        };
        let evaluated = self.eval(argument)?;
        Ok(Evaluated::plain(match evaluated {
            Evaluated {
                sensitive: true, ..
            } => Value::Bool(true),
            Evaluated {
                value: Value::Unknown,
                ..
            } => Value::Unknown,
            _ => Value::Bool(false),
        }))
    }

    /// `templatefile(path, vars)` and `templatestring(template, vars)`: renders a template
    /// whose only variables are the keys of `vars`; `%{ if }` / `%{ for }` directives and
    /// every function but these two are available, as in Terraform.
    fn call_template(&mut self, expr: &'e Expr, name: &str, arguments: &'e [Expr]) -> Outcome {
        let first_label = if name == "templatefile" {
            "path"
        } else {
            "template"
        };
        let [source_expr, vars_expr] = arguments else {
            return Err(error(
                format!(
                    "{name}: wrong number of arguments: expected 2, got {}",
                    arguments.len()
                ),
                &expr.span,
            )
            .with_hint(format!("usage: {name}({first_label}, vars)")));
        };
        if self.in_template {
            return Err(error(
                format!("{name}: cannot be called from inside a template"),
                &expr.span,
            )
            .with_hint("render the inner template outside and pass the result in vars"));
        }
        let source = self.eval(source_expr)?;
        let vars = self.eval(vars_expr)?;
        let sensitive = source.sensitive || vars.sensitive;
        if matches!(source.value, Value::Unknown) || matches!(vars.value, Value::Unknown) {
            return Ok(Evaluated::new(Value::Unknown, sensitive));
        }
        let Some(given) = source.value.as_str() else {
            return Err(error(
                format!(
                    "{name}: argument 1 ({first_label}) must be a string, got {}",
                    describe_value(&source.value, source.sensitive)
                ),
                &source_expr.span,
            ));
        };
        let (label, text) = if name == "templatefile" {
            let text = std::fs::read_to_string(given).map_err(|failure| {
                error(format!("templatefile: cannot read {given}: {failure}"), &source_expr.span)
                    .with_hint("relative paths are relative to the working directory; write \"${path.module}/...\" for a file in the spec folder")
            })?;
            (given.to_string(), text)
        } else {
            ("the template".to_string(), given.to_string())
        };
        let roots = match vars.value {
            Value::Map(entries) => entries,
            other => {
                return Err(error(
                    format!(
                        "{name}: argument 2 (vars) must be a map, got {}",
                        describe_value(&other, vars.sensitive)
                    ),
                    &vars_expr.span,
                ))
            }
        };
        if let Some(bad) = roots.keys().find(|key| !is_identifier(key)) {
            return Err(error(
                format!("{name}: invalid template variable name \"{bad}\": must start with a letter, followed by zero or more letters, digits, and underscores"),
                &vars_expr.span,
            ));
        }
        let parts =
            crate::spec::parse::parse_template(&text, TEMPLATE_FILE).map_err(|message| {
                error(
                    format!("{name}: syntax error in {label}: {message}"),
                    &source_expr.span,
                )
            })?;
        let scope = TemplateScope { vars: roots };
        let mut inner = Evaluator {
            scope: &scope,
            bound: Vec::new(),
            in_template: true,
        };
        let rendered = inner
            .template(&parts)
            .map_err(|failure| template_error(name, &label, &text, failure, &expr.span))?;
        Ok(Evaluated::new(
            rendered.value,
            rendered.sensitive || sensitive,
        ))
    }

    fn call_can(&mut self, expr: &'e Expr, arguments: &'e [Expr]) -> Outcome {
        let [argument] = arguments else {
            return Err(error(
                format!("can: expected 1 argument, got {}", arguments.len()),
                &expr.span,
            )
            .with_hint("usage: can(expression)"));
        };
        Ok(match self.eval(argument) {
            Ok(Evaluated {
                value: Value::Unknown,
                sensitive,
            }) => Evaluated::new(Value::Unknown, sensitive),
            Ok(evaluated) => Evaluated::new(Value::Bool(true), evaluated.sensitive),
            Err(_) => Evaluated::plain(Value::Bool(false)),
        })
    }

    fn binary(
        &mut self,
        expr: &'e Expr,
        operator: BinaryOperator,
        left: &'e Expr,
        right: &'e Expr,
    ) -> Outcome {
        if matches!(operator, BinaryOperator::And | BinaryOperator::Or) {
            return self.logical(operator, left, right);
        }
        let left_value = self.eval(left)?;
        let right_value = self.eval(right)?;
        let sensitive = left_value.sensitive || right_value.sensitive;
        let (a, b) = (&left_value.value, &right_value.value);
        if matches!(operator, BinaryOperator::Equal | BinaryOperator::NotEqual) {
            if a.contains_unknown() || b.contains_unknown() {
                return Ok(Evaluated::new(Value::Unknown, sensitive));
            }
            let equal = values_equal(a, b);
            let result = if operator == BinaryOperator::Equal {
                equal
            } else {
                !equal
            };
            return Ok(Evaluated::new(Value::Bool(result), sensitive));
        }
        if matches!(a, Value::Unknown) || matches!(b, Value::Unknown) {
            return Ok(Evaluated::new(Value::Unknown, sensitive));
        }
        let verb = match operator {
            BinaryOperator::Add => "add",
            BinaryOperator::Subtract => "subtract",
            BinaryOperator::Multiply => "multiply",
            BinaryOperator::Divide => "divide",
            BinaryOperator::Modulo => "take the modulo of",
            _ => "compare",
        };
        let (Some(x), Some(y)) = (to_number(a), to_number(b)) else {
            let blamed = if to_number(a).is_none() { left } else { right };
            return Err(error(
                format!(
                    "cannot {verb} {} and {}",
                    describe_value(a, left_value.sensitive),
                    describe_value(b, right_value.sensitive)
                ),
                &blamed.span,
            )
            .with_hint(format!(
                "{} needs numbers (or strings holding numbers)",
                operator_symbol(operator)
            )));
        };
        let value = match operator {
            BinaryOperator::Add => Value::Number(x + y),
            BinaryOperator::Subtract => Value::Number(x - y),
            BinaryOperator::Multiply => Value::Number(x * y),
            BinaryOperator::Divide | BinaryOperator::Modulo if y == 0.0 => {
                return Err(error("division by zero", &right.span)
                    .with_hint("guard the divisor with a conditional"));
            }
            BinaryOperator::Divide => Value::Number(x / y),
            BinaryOperator::Modulo => Value::Number(x % y),
            BinaryOperator::Less => Value::Bool(x < y),
            BinaryOperator::LessOrEqual => Value::Bool(x <= y),
            BinaryOperator::Greater => Value::Bool(x > y),
            BinaryOperator::GreaterOrEqual => Value::Bool(x >= y),
            BinaryOperator::Equal
            | BinaryOperator::NotEqual
            | BinaryOperator::And
            | BinaryOperator::Or => {
                return Err(error("internal: operator dispatched wrongly", &expr.span));
            }
        };
        Ok(Evaluated::new(value, sensitive))
    }

    /// `&&` and `||`: both sides bools; a decisive left side short-circuits, and a known
    /// decisive side wins over an unknown one.
    fn logical(&mut self, operator: BinaryOperator, left: &'e Expr, right: &'e Expr) -> Outcome {
        let decisive = operator == BinaryOperator::Or;
        let left_value = self.eval(left)?;
        let left_flag = self.logical_operand(operator, &left_value, left)?;
        if left_flag == Some(decisive) {
            return Ok(Evaluated::new(Value::Bool(decisive), left_value.sensitive));
        }
        let right_value = self.eval(right)?;
        let right_flag = self.logical_operand(operator, &right_value, right)?;
        let sensitive = left_value.sensitive || right_value.sensitive;
        let value = match (left_flag, right_flag) {
            (_, Some(flag)) if flag == decisive => Value::Bool(decisive),
            (Some(_), Some(flag)) => Value::Bool(flag),
            _ => Value::Unknown,
        };
        Ok(Evaluated::new(value, sensitive))
    }

    fn logical_operand(
        &self,
        operator: BinaryOperator,
        operand: &Evaluated,
        expr: &Expr,
    ) -> Result<Option<bool>, Diagnostic> {
        match &operand.value {
            Value::Unknown => Ok(None),
            value => to_bool(value).map(Some).ok_or_else(|| {
                error(
                    format!(
                        "{} needs bools, got {}",
                        operator_symbol(operator),
                        describe_value(value, operand.sensitive)
                    ),
                    &expr.span,
                )
            }),
        }
    }
}

/// The scope of a template: only the `vars` map's keys.
struct TemplateScope {
    vars: BTreeMap<String, Value>,
}

impl Scope for TemplateScope {
    fn lookup(&self, parts: &[&str]) -> Option<Lookup<'_>> {
        Some(Lookup {
            value: self.vars.get(*parts.first()?)?,
            consumed: 1,
            sensitive: false,
        })
    }

    fn suggest(&self, parts: &[&str]) -> Option<String> {
        let root = parts.first()?;
        Some(match closest(root, self.vars.keys().map(String::as_str)) {
            Some(close) => format!("vars map does not contain key \"{root}\"; did you mean \"{close}\"?"),
            None => format!(
                "vars map does not contain key \"{root}\": a template sees only the keys of vars ({})",
                self.vars.keys().cloned().collect::<Vec<_>>().join(", ")
            ),
        })
    }
}

fn is_identifier(name: &str) -> bool {
    let mut characters = name.chars();
    characters
        .next()
        .is_some_and(|first| first.is_alphabetic() || first == '_')
        && characters
            .all(|character| character.is_alphanumeric() || character == '_' || character == '-')
}

/// A diagnostic from inside a template, pointed at the call, with the template's offending
/// text quoted.
fn template_error(
    name: &str,
    label: &str,
    text: &str,
    failure: Diagnostic,
    call_span: &SourceSpan,
) -> Diagnostic {
    let inside = failure
        .span
        .as_ref()
        .filter(|span| span.file == TEMPLATE_FILE)
        .and_then(|span| text.get(span.range.clone()))
        .map(str::to_string);
    let span = match &failure.span {
        Some(span) if span.file != TEMPLATE_FILE => span.clone(),
        _ => call_span.clone(),
    };
    let mut diagnostic = error(format!("{name}: in {label}: {}", failure.summary), &span);
    if let Some(hint) = failure.hint {
        diagnostic = diagnostic.with_hint(hint);
    }
    if let Some(inside) = inside {
        diagnostic = diagnostic.with_note(format!("in the template: {inside}"));
    }
    for note in failure.notes {
        diagnostic = diagnostic.with_note(note);
    }
    diagnostic
}

fn operator_symbol(operator: BinaryOperator) -> &'static str {
    match operator {
        BinaryOperator::Add => "+",
        BinaryOperator::Subtract => "-",
        BinaryOperator::Multiply => "*",
        BinaryOperator::Divide => "/",
        BinaryOperator::Modulo => "%",
        BinaryOperator::Equal => "==",
        BinaryOperator::NotEqual => "!=",
        BinaryOperator::Less => "<",
        BinaryOperator::LessOrEqual => "<=",
        BinaryOperator::Greater => ">",
        BinaryOperator::GreaterOrEqual => ">=",
        BinaryOperator::And => "&&",
        BinaryOperator::Or => "||",
    }
}

fn function_error(
    name: &str,
    failure: FunctionError,
    spans: &[&SourceSpan],
    call_span: &SourceSpan,
) -> Diagnostic {
    let span = failure
        .argument
        .and_then(|position| spans.get(position).copied())
        .unwrap_or(call_span);
    let mut diagnostic = error(format!("{name}: {}", failure.message), span);
    if let Some(hint) = failure.hint {
        diagnostic = diagnostic.with_hint(hint);
    }
    diagnostic
}

#[derive(Default)]
struct Keys {
    values: Vec<Value>,
    sensitive: bool,
}

#[derive(Default)]
struct Rendered {
    text: String,
    unknown: bool,
    sensitive: bool,
}

enum ForItem<T> {
    Keep(T),
    Skip,
    Unknown,
}

/// The (key, value) pairs a `for` iterates: list index and element, or map key and value in
/// key order. `None` when the collection is unknown.
fn iteration_pairs(
    collection: Value,
    span: &SourceSpan,
) -> Result<Option<Vec<(Value, Value)>>, Diagnostic> {
    match collection {
        Value::Unknown => Ok(None),
        Value::List(items) => Ok(Some(
            items
                .into_iter()
                .enumerate()
                .map(|(position, item)| (Value::Number(position as f64), item))
                .collect(),
        )),
        Value::Map(entries) => Ok(Some(
            entries
                .into_iter()
                .map(|(key, item)| (Value::String(key), item))
                .collect(),
        )),
        Value::Null => Err(error("cannot iterate over a null value", span)
            .with_hint("use `coalesce(x, [])` or a conditional to give an empty collection")),
        other => Err(error(
            format!(
                "cannot iterate over a {}: a list or map is required",
                other.type_name()
            ),
            span,
        )),
    }
}

/// Applies traversal operators to a borrowed value, cloning only the result. `keys` holds the
/// evaluated index expressions, in order.
fn traverse(
    value: &Value,
    operators: &[TraversalOperator],
    keys: &[Value],
    whole: &SourceSpan,
) -> Result<Value, Diagnostic> {
    let mut current = value;
    let mut key_position = 0;
    for (position, operator) in operators.iter().enumerate() {
        if matches!(current, Value::Unknown) {
            return Ok(Value::Unknown);
        }
        match operator {
            TraversalOperator::GetAttr(name, span) => current = get_attribute(current, name, span)?,
            TraversalOperator::Index(index) => {
                let Some(key) = keys.get(key_position) else {
                    return Err(error("internal: index key missing", &index.span));
                };
                key_position += 1;
                if matches!(key, Value::Unknown) {
                    return Ok(Value::Unknown);
                }
                current = index_value(current, key, &index.span)?;
            }
            TraversalOperator::FullSplat => {
                return splat(
                    current,
                    &operators[position + 1..],
                    &keys[key_position..],
                    whole,
                );
            }
            TraversalOperator::AttrSplat => {
                let rest = &operators[position + 1..];
                let attributes = rest
                    .iter()
                    .take_while(|operator| matches!(operator, TraversalOperator::GetAttr(..)))
                    .count();
                let gathered = splat(current, &rest[..attributes], &[], whole)?;
                return traverse(&gathered, &rest[attributes..], &keys[key_position..], whole);
            }
        }
    }
    Ok(current.clone())
}

/// `[*]`: applies the following operators to each element. A null gives `[]`, a single
/// non-list value is treated as a one-element list.
fn splat(
    value: &Value,
    operators: &[TraversalOperator],
    keys: &[Value],
    whole: &SourceSpan,
) -> Result<Value, Diagnostic> {
    match value {
        Value::Unknown => Ok(Value::Unknown),
        Value::Null => Ok(Value::List(Vec::new())),
        Value::List(items) => items
            .iter()
            .map(|item| traverse(item, operators, keys, whole))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::List),
        other => Ok(Value::List(vec![traverse(other, operators, keys, whole)?])),
    }
}

fn get_attribute<'v>(
    value: &'v Value,
    name: &str,
    span: &SourceSpan,
) -> Result<&'v Value, Diagnostic> {
    match value {
        Value::Map(entries) => entries.get(name).ok_or_else(|| {
            let diagnostic = error(format!("unsupported attribute \"{name}\""), span);
            match closest(name, entries.keys().map(String::as_str)) {
                Some(close) => diagnostic.with_hint(format!("did you mean \"{close}\"?")),
                None if entries.is_empty() => diagnostic.with_hint("this object has no attributes"),
                None if entries.len() <= 12 => diagnostic.with_hint(format!(
                    "this object has: {}",
                    entries.keys().cloned().collect::<Vec<_>>().join(", ")
                )),
                None => diagnostic,
            }
        }),
        Value::Null => Err(error(
            format!("cannot access attribute \"{name}\" on a null value"),
            span,
        )
        .with_hint("guard it with a conditional, or use try()")),
        Value::List(_) => Err(error(
            format!("cannot access attribute \"{name}\" on a list"),
            span,
        )
        .with_hint(format!(
            "to take it from every element write [*].{name}; from one element, index it first: [0].{name}"
        ))),
        other => Err(error(
            format!(
                "cannot access attribute \"{name}\" on a {} value",
                other.type_name()
            ),
            span,
        )),
    }
}

fn index_value<'v>(
    value: &'v Value,
    key: &Value,
    span: &SourceSpan,
) -> Result<&'v Value, Diagnostic> {
    match value {
        Value::List(items) => {
            let position = to_number(key)
                .filter(|number| number.fract() == 0.0)
                .ok_or_else(|| {
                    error(
                        format!(
                            "a list index must be a whole number, got {}",
                            describe_value(key, false)
                        ),
                        span,
                    )
                })?;
            if position < 0.0 || position >= items.len() as f64 {
                return Err(error(
                    format!(
                        "index {} out of range for a list of {} elements",
                        format_number(position),
                        items.len()
                    ),
                    span,
                ));
            }
            Ok(&items[position as usize])
        }
        Value::Map(entries) => {
            let name = key_text(key).ok_or_else(|| {
                error(
                    format!(
                        "a map key must be a string, got {}",
                        describe_value(key, false)
                    ),
                    span,
                )
            })?;
            entries.get(&name).ok_or_else(|| {
                let diagnostic = error(format!("missing key \"{name}\""), span);
                match closest(&name, entries.keys().map(String::as_str)) {
                    Some(close) => diagnostic.with_hint(format!("did you mean \"{close}\"?")),
                    None => diagnostic
                        .with_hint("use lookup(map, key, default) or try() for optional keys"),
                }
            })
        }
        Value::Null => Err(error("cannot index a null value", span)),
        other => Err(error(
            format!("cannot index a {} value", other.type_name()),
            span,
        )),
    }
}

#[cfg(test)]
mod tests;
