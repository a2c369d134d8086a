//! The bridge from hcl-edit's syntax tree to our own `ast`: parses one source file as a body
//! or as a single expression, turns syntax errors into spanned diagnostics, and converts every
//! expression form (templates with strip markers and heredocs included) with byte spans.

use std::ops::Range;

use hcl_edit::expr::{
    BinaryOperator as HclBinaryOperator, Expression, ObjectKey,
    TraversalOperator as HclTraversalOperator, UnaryOperator as HclUnaryOperator,
};
use hcl_edit::structure::{Body as HclBody, Structure};
use hcl_edit::template::{Directive, Element, Template};
use hcl_edit::Span;

use super::ast::{
    Attribute, BinaryOperator, Block, Body, Expr, ExprKind, TemplatePart, TraversalOperator,
    UnaryOperator,
};
use crate::diagnostics::{Diagnostic, Diagnostics, FileId, SourceMap, SourceSpan};

/// Parses the whole text of `file` as an HCL body (attributes and blocks).
pub fn parse_body(sources: &SourceMap, file: FileId) -> Result<Body, Diagnostics> {
    let text = &sources.file(file).text;
    match hcl_edit::parser::parse_body(text) {
        Ok(body) => {
            let converter = Converter {
                file,
                text,
                shift: 0,
            };
            Ok(converter.body(&body, &(0..text.len())))
        }
        Err(error) => Err(syntax_error(sources, file, &error).into()),
    }
}

/// Parses the whole text of `file` as one expression (a `--var k=v` value, a test snippet).
pub fn parse_expression(sources: &SourceMap, file: FileId) -> Result<Expr, Diagnostics> {
    let text = &sources.file(file).text;
    // Trailing whitespace is not part of the expression (hcl-edit refuses a newline after a
    // heredoc's closing delimiter); cutting it keeps every byte offset valid.
    match hcl_edit::parser::parse_expr(text.trim_end()) {
        Ok(expression) => {
            let converter = Converter {
                file,
                text,
                shift: 0,
            };
            Ok(converter.expression(&expression, &trimmed_range(text)))
        }
        Err(error) => Err(syntax_error(sources, file, &error).into()),
    }
}

/// Parses `text` as a bare template (the contents of a `templatefile` file or of a
/// `templatestring` value), with spans in `file`. The error names hcl-edit's line and column
/// within `text`.
pub fn parse_template(text: &str, file: FileId) -> Result<Vec<TemplatePart>, String> {
    match hcl_edit::parser::parse_template(text) {
        Ok(template) => {
            let converter = Converter {
                file,
                text,
                shift: 0,
            };
            Ok(tidy(converter.template(&template, &(0..text.len()))))
        }
        Err(error) => Err(format!(
            "line {}, column {}: {}",
            error.location().line(),
            error.location().column(),
            error.message()
        )),
    }
}

/// The byte range of `text` without its leading and trailing whitespace.
fn trimmed_range(text: &str) -> Range<usize> {
    let start = text.len() - text.trim_start().len();
    let end = text.trim_end().len().max(start);
    start..end
}

/// A diagnostic for a hcl-edit parse error, pointing at the character where parsing stopped.
fn syntax_error(sources: &SourceMap, file: FileId, error: &hcl_edit::parser::Error) -> Diagnostic {
    let text = &sources.file(file).text;
    let location = error.location();
    let offset = sources.offset(file, location.line(), location.column());
    let end = text[offset..]
        .chars()
        .next()
        .map(|character| offset + character.len_utf8())
        .unwrap_or(offset);
    let message = error.message();
    let found = text[offset..].chars().next();
    let at_end_of_file = text[offset..].trim().is_empty();
    let line_start = text[..offset].rfind('\n').map_or(0, |index| index + 1);
    let line_end = text[offset..]
        .find('\n')
        .map_or(text.len(), |index| offset + index);
    let unclosed_string = text[line_start..line_end].matches('"').count() % 2 == 1;

    let mut summary = format!("syntax error: {message}");
    let mut label = if at_end_of_file {
        "the file ends here"
    } else {
        "here"
    };
    let hint = if message.contains("redefined attribute") {
        summary = "syntax error: attribute set twice in the same block".to_string();
        label = "set again here";
        Some("each attribute may be set only once per block: remove one of the assignments")
    } else if message.starts_with("invalid expression; expected") {
        summary = "syntax error: expected an expression".to_string();
        label = "a value is needed here";
        Some("write a value: a string, number, bool, list, object, reference or function call")
    } else if message.contains("heredoc end delimiter") {
        Some("a heredoc ends with its delimiter (like `EOF`) alone on a line")
    } else if unclosed_string {
        Some("this line has an unclosed string: check its quotes")
    } else if found == Some('}') && message == "unexpected token" {
        Some("this `}` closes no block: look for an extra or misplaced brace")
    } else if message.contains("expected `]`") {
        Some("close the list with `]`; separate its items with commas")
    } else if message.contains("expected `)`") {
        Some("close the call with `)`; separate its arguments with commas")
    } else if message.contains("expected `{`") {
        Some("a block's name and labels are followed by `{ ... }`")
    } else if at_end_of_file {
        Some("the file ended early: look for an unclosed `{`, `[`, `(`, string or heredoc")
    } else if message.contains("expected newline") {
        label = "unexpected text";
        Some("put each attribute and block on a line of its own")
    } else if message.contains("invalid structure") || message == "unexpected token" {
        Some("a body holds attributes (`name = value`) and blocks (`type \"label\" { ... }`)")
    } else {
        None
    };

    let diagnostic =
        Diagnostic::error(summary, Some(SourceSpan::new(file, offset..end))).with_label(label);
    match hint {
        Some(hint) => diagnostic.with_hint(hint),
        None => diagnostic,
    }
}

/// Converts hcl-edit nodes of one file into `ast` nodes; a node without a span of its own
/// takes its parent's.
struct Converter<'a> {
    file: FileId,
    /// The file's whole text.
    text: &'a str,
    /// Added to hcl-edit's offsets: non-zero when a piece of the file was parsed again alone.
    shift: usize,
}

impl Converter<'_> {
    /// The node's byte range in the file, or `fallback` (already in file offsets).
    fn range(&self, node: &impl Span, fallback: &Range<usize>) -> Range<usize> {
        match node.span() {
            Some(range) => range.start + self.shift..range.end + self.shift,
            None => fallback.clone(),
        }
    }

    fn span(&self, node: &impl Span, fallback: &Range<usize>) -> SourceSpan {
        SourceSpan::new(self.file, self.range(node, fallback))
    }

    fn body(&self, body: &HclBody, fallback: &Range<usize>) -> Body {
        let body_range = self.range(body, fallback);
        let mut converted = Body::default();
        for structure in body.iter() {
            match structure {
                Structure::Attribute(attribute) => {
                    let span = self.span(attribute, &body_range);
                    let name_span = self.span(&attribute.key, &span.range);
                    converted.attributes.push(Attribute {
                        name: attribute.key.as_str().to_string(),
                        expr: self.expression(&attribute.value, &span.range),
                        name_span,
                        span,
                    });
                }
                Structure::Block(block) => {
                    let span = self.span(block, &body_range);
                    let labels = block
                        .labels
                        .iter()
                        .map(|label| (label.as_str().to_string(), self.span(label, &span.range)))
                        .collect();
                    converted.blocks.push(Block {
                        ident: block.ident.as_str().to_string(),
                        ident_span: self.span(&block.ident, &span.range),
                        labels,
                        body: self.body(&block.body, &span.range),
                        span,
                    });
                }
            }
        }
        converted
    }

    fn expression(&self, expression: &Expression, fallback: &Range<usize>) -> Expr {
        let span = self.span(expression, fallback);
        let range = span.range.clone();
        let kind = match expression {
            Expression::Null(_) => ExprKind::Null,
            Expression::Bool(value) => ExprKind::Bool(*value.value()),
            Expression::Number(number) => ExprKind::Number(
                number
                    .value()
                    .as_f64()
                    .or_else(|| number.value().to_string().parse().ok())
                    .unwrap_or(f64::NAN),
            ),
            Expression::String(value) => ExprKind::String(value.value().clone()),
            Expression::StringTemplate(template) => template_kind(self.template(template, &range)),
            Expression::HeredocTemplate(heredoc) => match self.indented_heredoc(&range) {
                Some(parts) => template_kind(parts),
                None => template_kind(self.template(&heredoc.template, &range)),
            },
            Expression::Array(array) => ExprKind::Array(
                array
                    .iter()
                    .map(|item| self.expression(item, &range))
                    .collect(),
            ),
            Expression::Object(object) => ExprKind::Object(
                object
                    .iter()
                    .map(|(key, value)| {
                        let key = match key {
                            ObjectKey::Ident(ident) => Expr {
                                kind: ExprKind::String(ident.as_str().to_string()),
                                span: self.span(ident, &range),
                            },
                            ObjectKey::Expression(key) => self.expression(key, &range),
                        };
                        (key, self.expression(value.expr(), &range))
                    })
                    .collect(),
            ),
            Expression::Parenthesis(parenthesis) => {
                // The inner expression, under the outer span (parentheses included).
                return Expr {
                    kind: self.expression(parenthesis.inner(), &range).kind,
                    span,
                };
            }
            Expression::Variable(name) => ExprKind::Variable(name.as_str().to_string()),
            Expression::Conditional(conditional) => ExprKind::Conditional {
                condition: Box::new(self.expression(&conditional.cond_expr, &range)),
                true_result: Box::new(self.expression(&conditional.true_expr, &range)),
                false_result: Box::new(self.expression(&conditional.false_expr, &range)),
            },
            Expression::FuncCall(call) => {
                let mut name = String::new();
                for namespace in &call.name.namespace {
                    name.push_str(namespace.as_str());
                    name.push_str("::");
                }
                name.push_str(call.name.name.as_str());
                ExprKind::FunctionCall {
                    name,
                    arguments: call
                        .args
                        .iter()
                        .map(|argument| self.expression(argument, &range))
                        .collect(),
                    expand_final: call.args.expand_final(),
                }
            }
            Expression::Traversal(traversal) => ExprKind::Traversal {
                base: Box::new(self.expression(&traversal.expr, &range)),
                operators: traversal
                    .operators
                    .iter()
                    .map(|operator| self.traversal_operator(operator.value(), operator, &range))
                    .collect(),
            },
            Expression::UnaryOp(operation) => ExprKind::Unary {
                operator: match operation.operator.value() {
                    HclUnaryOperator::Neg => UnaryOperator::Negate,
                    HclUnaryOperator::Not => UnaryOperator::Not,
                },
                operand: Box::new(self.expression(&operation.expr, &range)),
            },
            Expression::BinaryOp(operation) => ExprKind::Binary {
                operator: binary_operator(*operation.operator.value()),
                left: Box::new(self.expression(&operation.lhs_expr, &range)),
                right: Box::new(self.expression(&operation.rhs_expr, &range)),
            },
            Expression::ForExpr(for_expression) => {
                let intro = &for_expression.intro;
                let key_variable = intro
                    .key_var
                    .as_ref()
                    .map(|variable| variable.as_str().to_string());
                let value_variable = intro.value_var.as_str().to_string();
                let collection = Box::new(self.expression(&intro.collection_expr, &range));
                let value = Box::new(self.expression(&for_expression.value_expr, &range));
                let condition = for_expression
                    .cond
                    .as_ref()
                    .map(|condition| Box::new(self.expression(&condition.expr, &range)));
                match &for_expression.key_expr {
                    Some(key) => ExprKind::ForObject {
                        key_variable,
                        value_variable,
                        collection,
                        key: Box::new(self.expression(key, &range)),
                        value,
                        grouping: for_expression.grouping,
                        condition,
                    },
                    None => ExprKind::ForList {
                        key_variable,
                        value_variable,
                        collection,
                        value,
                        condition,
                    },
                }
            }
        };
        Expr { kind, span }
    }

    fn traversal_operator(
        &self,
        operator: &HclTraversalOperator,
        spanned: &impl Span,
        fallback: &Range<usize>,
    ) -> TraversalOperator {
        match operator {
            HclTraversalOperator::AttrSplat(_) => TraversalOperator::AttrSplat,
            HclTraversalOperator::FullSplat(_) => TraversalOperator::FullSplat,
            HclTraversalOperator::GetAttr(name) => {
                let outer = self.span(spanned, fallback);
                TraversalOperator::GetAttr(name.as_str().to_string(), self.span(name, &outer.range))
            }
            HclTraversalOperator::Index(index) => {
                let outer = self.span(spanned, fallback);
                TraversalOperator::Index(self.expression(index, &outer.range))
            }
            HclTraversalOperator::LegacyIndex(index) => {
                let outer = self.span(spanned, fallback);
                TraversalOperator::Index(Expr {
                    kind: ExprKind::Number(*index.value() as f64),
                    span: self.span(index, &outer.range),
                })
            }
        }
    }

    /// An indented heredoc (`<<-EOT`) at `range`, dedented across all its lines, nested
    /// directives included (hcl-edit only dedents the top-level literals, and measures the
    /// indentation on those alone). None when `range` is not an indented heredoc.
    fn indented_heredoc(&self, range: &Range<usize>) -> Option<Vec<TemplatePart>> {
        let source = self.text.get(range.clone())?;
        let rest = source.strip_prefix("<<-")?;
        // The same heredoc without the `-`: one byte shorter before the delimiter.
        let plain = format!("<<{rest}");
        let Ok(Expression::HeredocTemplate(mut heredoc)) = hcl_edit::parser::parse_expr(&plain)
        else {
            return None;
        };
        dedent(&mut heredoc.template);
        let converter = Converter {
            file: self.file,
            text: self.text,
            shift: range.start + 1,
        };
        Some(converter.template(&heredoc.template, range))
    }

    /// Template elements to parts, with the `~` strip markers applied to the adjacent literals.
    fn template(&self, template: &Template, fallback: &Range<usize>) -> Vec<TemplatePart> {
        let range = self.range(template, fallback);
        let mut parts = Vec::new();
        // Set by a `~}` closing the previous element: strip the next literal's leading space.
        let mut strip_next_start = false;
        for element in template.iter() {
            match element {
                Element::Literal(literal) => {
                    let text = if strip_next_start {
                        literal.value().trim_start().to_string()
                    } else {
                        literal.value().clone()
                    };
                    parts.push(TemplatePart::Literal(text));
                    strip_next_start = false;
                }
                Element::Interpolation(interpolation) => {
                    if interpolation.strip.strip_start() {
                        trim_last_literal_end(&mut parts);
                    }
                    let element_range = self.range(interpolation, &range);
                    parts.push(TemplatePart::Interpolation(
                        self.expression(&interpolation.expr, &element_range),
                    ));
                    strip_next_start = interpolation.strip.strip_end();
                }
                Element::Directive(directive) => match directive.as_ref() {
                    Directive::If(if_directive) => {
                        let element_range = self.range(if_directive, &range);
                        let opening = &if_directive.if_expr;
                        let closing = &if_directive.endif_expr;
                        if opening.strip.strip_start() {
                            trim_last_literal_end(&mut parts);
                        }
                        let mut true_parts = self.template(&opening.template, &element_range);
                        if opening.strip.strip_end() {
                            trim_first_literal_start(&mut true_parts);
                        }
                        let mut false_parts = Vec::new();
                        match &if_directive.else_expr {
                            Some(else_expression) => {
                                if else_expression.strip.strip_start() {
                                    trim_last_literal_end(&mut true_parts);
                                }
                                false_parts =
                                    self.template(&else_expression.template, &element_range);
                                if else_expression.strip.strip_end() {
                                    trim_first_literal_start(&mut false_parts);
                                }
                                if closing.strip.strip_start() {
                                    trim_last_literal_end(&mut false_parts);
                                }
                            }
                            None => {
                                if closing.strip.strip_start() {
                                    trim_last_literal_end(&mut true_parts);
                                }
                            }
                        }
                        parts.push(TemplatePart::If {
                            condition: self.expression(&opening.cond_expr, &element_range),
                            true_parts: tidy(true_parts),
                            false_parts: tidy(false_parts),
                        });
                        strip_next_start = closing.strip.strip_end();
                    }
                    Directive::For(for_directive) => {
                        let element_range = self.range(for_directive, &range);
                        let opening = &for_directive.for_expr;
                        let closing = &for_directive.endfor_expr;
                        if opening.strip.strip_start() {
                            trim_last_literal_end(&mut parts);
                        }
                        let mut body_parts = self.template(&opening.template, &element_range);
                        if opening.strip.strip_end() {
                            trim_first_literal_start(&mut body_parts);
                        }
                        if closing.strip.strip_start() {
                            trim_last_literal_end(&mut body_parts);
                        }
                        parts.push(TemplatePart::For {
                            key_variable: opening
                                .key_var
                                .as_ref()
                                .map(|variable| variable.as_str().to_string()),
                            value_variable: opening.value_var.as_str().to_string(),
                            collection: self.expression(&opening.collection_expr, &element_range),
                            parts: tidy(body_parts),
                        });
                        strip_next_start = closing.strip.strip_end();
                    }
                },
            }
        }
        tidy(parts)
    }
}

/// A piece of a heredoc in source order: literal text, or the place of an interpolation or
/// directive tag (which ends a line's indentation).
enum HeredocPiece<'a> {
    Literal(&'a mut String),
    Tag,
}

fn heredoc_pieces<'a>(template: &'a mut Template, pieces: &mut Vec<HeredocPiece<'a>>) {
    for element in template.iter_mut() {
        match element {
            Element::Literal(literal) => pieces.push(HeredocPiece::Literal(literal.value_mut())),
            Element::Interpolation(_) => pieces.push(HeredocPiece::Tag),
            Element::Directive(directive) => match directive.as_mut() {
                Directive::If(if_directive) => {
                    pieces.push(HeredocPiece::Tag);
                    heredoc_pieces(&mut if_directive.if_expr.template, pieces);
                    if let Some(else_expression) = &mut if_directive.else_expr {
                        pieces.push(HeredocPiece::Tag);
                        heredoc_pieces(&mut else_expression.template, pieces);
                    }
                    pieces.push(HeredocPiece::Tag);
                }
                Directive::For(for_directive) => {
                    pieces.push(HeredocPiece::Tag);
                    heredoc_pieces(&mut for_directive.for_expr.template, pieces);
                    pieces.push(HeredocPiece::Tag);
                }
            },
        }
    }
}

fn leading_blanks(line: &str) -> usize {
    line.chars()
        .take_while(|character| matches!(character, ' ' | '\t'))
        .count()
}

/// Removes the common indentation of all lines of an indented heredoc. Blank lines do not
/// count; a line that starts with `${` or `%{` has no indentation, so nothing is removed.
fn dedent(template: &mut Template) {
    let mut pieces = Vec::new();
    heredoc_pieces(template, &mut pieces);

    let mut indent: Option<usize> = None;
    let mut at_line_start = true;
    for piece in &pieces {
        match piece {
            HeredocPiece::Tag => {
                if at_line_start {
                    indent = Some(0);
                }
                at_line_start = false;
            }
            HeredocPiece::Literal(text) => {
                let lines: Vec<&str> = text.split('\n').collect();
                for (index, line) in lines.iter().enumerate() {
                    let starts_line = index > 0 || at_line_start;
                    let is_last = index + 1 == lines.len();
                    let blank = line.trim_matches([' ', '\t', '\r']).is_empty();
                    // A blank line does not count; blank text before a tag does.
                    if !starts_line || (blank && (!is_last || line.is_empty())) {
                        continue;
                    }
                    let blanks = leading_blanks(line);
                    indent = Some(indent.map_or(blanks, |current| current.min(blanks)));
                }
                if !text.is_empty() {
                    at_line_start = text.ends_with('\n');
                }
            }
        }
    }

    let indent = match indent {
        Some(indent) if indent > 0 => indent,
        _ => return,
    };
    let mut at_line_start = true;
    for piece in pieces {
        match piece {
            HeredocPiece::Tag => at_line_start = false,
            HeredocPiece::Literal(text) => {
                let dedented: Vec<&str> = text
                    .split('\n')
                    .enumerate()
                    .map(|(index, line)| {
                        if index > 0 || at_line_start {
                            &line[leading_blanks(line).min(indent)..]
                        } else {
                            line
                        }
                    })
                    .collect();
                let dedented = dedented.join("\n");
                if !text.is_empty() {
                    at_line_start = text.ends_with('\n');
                }
                *text = dedented;
            }
        }
    }
}

/// A template made only of literal text is a plain string.
fn template_kind(parts: Vec<TemplatePart>) -> ExprKind {
    if parts
        .iter()
        .all(|part| matches!(part, TemplatePart::Literal(_)))
    {
        let mut text = String::new();
        for part in parts {
            if let TemplatePart::Literal(literal) = part {
                text.push_str(&literal);
            }
        }
        ExprKind::String(text)
    } else {
        ExprKind::Template(parts)
    }
}

fn trim_last_literal_end(parts: &mut [TemplatePart]) {
    if let Some(TemplatePart::Literal(text)) = parts.last_mut() {
        let trimmed_length = text.trim_end().len();
        text.truncate(trimmed_length);
    }
}

fn trim_first_literal_start(parts: &mut [TemplatePart]) {
    if let Some(TemplatePart::Literal(text)) = parts.first_mut() {
        *text = text.trim_start().to_string();
    }
}

/// Drops empty literals and joins neighbouring ones.
fn tidy(parts: Vec<TemplatePart>) -> Vec<TemplatePart> {
    let mut tidied: Vec<TemplatePart> = Vec::with_capacity(parts.len());
    for part in parts {
        match part {
            TemplatePart::Literal(text) if text.is_empty() => {}
            TemplatePart::Literal(text) => {
                if let Some(TemplatePart::Literal(previous)) = tidied.last_mut() {
                    previous.push_str(&text);
                } else {
                    tidied.push(TemplatePart::Literal(text));
                }
            }
            other => tidied.push(other),
        }
    }
    tidied
}

fn binary_operator(operator: HclBinaryOperator) -> BinaryOperator {
    match operator {
        HclBinaryOperator::Eq => BinaryOperator::Equal,
        HclBinaryOperator::NotEq => BinaryOperator::NotEqual,
        HclBinaryOperator::LessEq => BinaryOperator::LessOrEqual,
        HclBinaryOperator::GreaterEq => BinaryOperator::GreaterOrEqual,
        HclBinaryOperator::Less => BinaryOperator::Less,
        HclBinaryOperator::Greater => BinaryOperator::Greater,
        HclBinaryOperator::Plus => BinaryOperator::Add,
        HclBinaryOperator::Minus => BinaryOperator::Subtract,
        HclBinaryOperator::Mul => BinaryOperator::Multiply,
        HclBinaryOperator::Div => BinaryOperator::Divide,
        HclBinaryOperator::Mod => BinaryOperator::Modulo,
        HclBinaryOperator::And => BinaryOperator::And,
        HclBinaryOperator::Or => BinaryOperator::Or,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources_with(text: &str) -> (SourceMap, FileId) {
        let mut sources = SourceMap::default();
        let file = sources.add("test.tf".into(), text.to_string());
        (sources, file)
    }

    fn expression(text: &str) -> Expr {
        let (sources, file) = sources_with(text);
        match parse_expression(&sources, file) {
            Ok(expr) => expr,
            Err(diagnostics) => panic!("{text:?} did not parse: {:?}", diagnostics.items),
        }
    }

    /// A compact prefix rendering of an expression tree, for structural assertions.
    fn render(expr: &Expr) -> String {
        match &expr.kind {
            ExprKind::Null => "null".into(),
            ExprKind::Bool(value) => value.to_string(),
            ExprKind::Number(number) => number.to_string(),
            ExprKind::String(text) => format!("{text:?}"),
            ExprKind::Template(parts) => format!("(template {})", render_parts(parts)),
            ExprKind::Array(items) => format!(
                "[{}]",
                items.iter().map(render).collect::<Vec<_>>().join(" ")
            ),
            ExprKind::Object(entries) => format!(
                "{{{}}}",
                entries
                    .iter()
                    .map(|(key, value)| format!("{}={}", render(key), render(value)))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            ExprKind::Variable(name) => name.clone(),
            ExprKind::Traversal { base, operators } => {
                let mut text = render(base);
                for operator in operators {
                    match operator {
                        TraversalOperator::GetAttr(name, _) => text.push_str(&format!(".{name}")),
                        TraversalOperator::Index(index) => {
                            text.push_str(&format!("[{}]", render(index)))
                        }
                        TraversalOperator::AttrSplat => text.push_str(".*"),
                        TraversalOperator::FullSplat => text.push_str("[*]"),
                    }
                }
                text
            }
            ExprKind::FunctionCall {
                name,
                arguments,
                expand_final,
            } => format!(
                "({name} {}{})",
                arguments.iter().map(render).collect::<Vec<_>>().join(" "),
                if *expand_final { "..." } else { "" }
            ),
            ExprKind::Conditional {
                condition,
                true_result,
                false_result,
            } => format!(
                "(? {} {} {})",
                render(condition),
                render(true_result),
                render(false_result)
            ),
            ExprKind::Unary { operator, operand } => format!("({operator:?} {})", render(operand)),
            ExprKind::Binary {
                operator,
                left,
                right,
            } => format!("({operator:?} {} {})", render(left), render(right)),
            ExprKind::ForList {
                key_variable,
                value_variable,
                collection,
                value,
                condition,
            } => format!(
                "(for-list {key_variable:?} {value_variable} {} {} {})",
                render(collection),
                render(value),
                condition.as_ref().map(|c| render(c)).unwrap_or_default()
            ),
            ExprKind::ForObject {
                key_variable,
                value_variable,
                collection,
                key,
                value,
                grouping,
                condition,
            } => format!(
                "(for-object {key_variable:?} {value_variable} {} {} {} {grouping} {})",
                render(collection),
                render(key),
                render(value),
                condition.as_ref().map(|c| render(c)).unwrap_or_default()
            ),
        }
    }

    fn render_parts(parts: &[TemplatePart]) -> String {
        parts
            .iter()
            .map(|part| match part {
                TemplatePart::Literal(text) => format!("{text:?}"),
                TemplatePart::Interpolation(expr) => format!("${{{}}}", render(expr)),
                TemplatePart::If {
                    condition,
                    true_parts,
                    false_parts,
                } => format!(
                    "(if {} [{}] [{}])",
                    render(condition),
                    render_parts(true_parts),
                    render_parts(false_parts)
                ),
                TemplatePart::For {
                    key_variable,
                    value_variable,
                    collection,
                    parts,
                } => format!(
                    "(for {key_variable:?} {value_variable} {} [{}])",
                    render(collection),
                    render_parts(parts)
                ),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn text_of<'a>(text: &'a str, span: &SourceSpan) -> &'a str {
        &text[span.range.clone()]
    }

    #[test]
    fn literals_convert() {
        assert_eq!(expression("null").kind, ExprKind::Null);
        assert_eq!(expression("true").kind, ExprKind::Bool(true));
        assert_eq!(expression("false").kind, ExprKind::Bool(false));
        assert_eq!(expression("42").kind, ExprKind::Number(42.0));
        assert_eq!(expression("1.5e3").kind, ExprKind::Number(1500.0));
        assert_eq!(
            expression(r#""a\"b\n""#).kind,
            ExprKind::String("a\"b\n".into())
        );
    }

    #[test]
    fn escaped_interpolation_markers_stay_literal() {
        assert_eq!(
            expression(r#""$${not} %%{this}""#).kind,
            ExprKind::String("${not} %{this}".into())
        );
    }

    #[test]
    fn arrays_and_objects_convert() {
        assert_eq!(
            render(&expression("[1, \"a\", [true]]")),
            r#"[1 "a" [true]]"#
        );
        assert_eq!(
            render(&expression(
                "{ name = \"web\", \"quoted\" = 1, (var.key) = 2 }"
            )),
            r#"{"name"="web" "quoted"=1 var.key=2}"#
        );
    }

    #[test]
    fn bare_object_key_is_a_string_with_its_span() {
        let text = "{ name = 1 }";
        let expr = expression(text);
        let ExprKind::Object(entries) = &expr.kind else {
            panic!("not an object: {expr:?}");
        };
        assert_eq!(entries[0].0.kind, ExprKind::String("name".into()));
        assert_eq!(text_of(text, &entries[0].0.span), "name");
    }

    #[test]
    fn traversals_convert() {
        assert_eq!(
            render(&expression("aws_subnet.public[count.index].id")),
            "aws_subnet.public[count.index].id"
        );
        assert_eq!(render(&expression("var.list.0")), "var.list[0]");
        assert_eq!(
            render(&expression("aws_instance.web.*.id")),
            "aws_instance.web.*.id"
        );
        assert_eq!(
            render(&expression("aws_instance.web[*].id")),
            "aws_instance.web[*].id"
        );
        assert_eq!(
            render(&expression("local.map[\"key\"]")),
            r#"local.map["key"]"#
        );
    }

    #[test]
    fn legacy_index_is_a_number_index() {
        let expr = expression("var.list.3");
        let ExprKind::Traversal { operators, .. } = &expr.kind else {
            panic!("not a traversal: {expr:?}");
        };
        let TraversalOperator::Index(index) = &operators[1] else {
            panic!("not an index: {operators:?}");
        };
        assert_eq!(index.kind, ExprKind::Number(3.0));
    }

    #[test]
    fn references_of_a_parsed_traversal() {
        let text = "aws_subnet.public[count.index].id";
        let references = expression(text).references();
        assert_eq!(references.len(), 2);
        assert_eq!(references[0].parts, vec!["aws_subnet", "public"]);
        assert_eq!(text_of(text, &references[0].span), "aws_subnet.public");
        assert_eq!(references[1].parts, vec!["count", "index"]);
        assert_eq!(text_of(text, &references[1].span), "count.index");
    }

    #[test]
    fn function_calls_convert() {
        assert_eq!(
            render(&expression("cidrsubnet(var.cidr, 8, 1)")),
            "(cidrsubnet var.cidr 8 1)"
        );
        assert_eq!(
            render(&expression("max(local.numbers...)")),
            "(max local.numbers...)"
        );
        assert_eq!(render(&expression("timestamp()")), "(timestamp )");
        assert_eq!(
            render(&expression("provider::aws::arn_parse(x)")),
            "(provider::aws::arn_parse x)"
        );
    }

    #[test]
    fn operators_have_the_right_associativity_and_precedence() {
        assert_eq!(
            render(&expression("10 - 2 - 3")),
            "(Subtract (Subtract 10 2) 3)"
        );
        assert_eq!(render(&expression("1 + 2 * 3")), "(Add 1 (Multiply 2 3))");
        assert_eq!(
            render(&expression("a || b && !c")),
            "(Or a (And b (Not c)))"
        );
        assert_eq!(
            render(&expression("-x % 4 >= 2 == true")),
            "(Equal (GreaterOrEqual (Modulo (Negate x) 4) 2) true)"
        );
        assert_eq!(
            render(&expression("a != b || c < d || e <= f || g > h || i / j")),
            "(Or (Or (Or (Or (NotEqual a b) (Less c d)) (LessOrEqual e f)) (Greater g h)) (Divide i j))"
        );
    }

    #[test]
    fn parentheses_unwrap_and_keep_the_outer_span() {
        let text = "(1 + 2) * 3";
        let expr = expression(text);
        assert_eq!(render(&expr), "(Multiply (Add 1 2) 3)");
        let ExprKind::Binary { left, .. } = &expr.kind else {
            panic!("not binary: {expr:?}");
        };
        assert_eq!(text_of(text, &left.span), "(1 + 2)");
        assert_eq!(text_of(text, &expr.span), text);
    }

    #[test]
    fn conditionals_convert() {
        assert_eq!(
            render(&expression("var.production ? 3 : 1")),
            "(? var.production 3 1)"
        );
    }

    #[test]
    fn for_expressions_convert() {
        assert_eq!(
            render(&expression(
                "[for name in var.names : upper(name) if name != \"\"]"
            )),
            r#"(for-list None name var.names (upper name) (NotEqual name ""))"#
        );
        assert_eq!(
            render(&expression("[for index, name in var.names : index]")),
            r#"(for-list Some("index") name var.names index )"#
        );
        assert_eq!(
            render(&expression("{for key, value in var.map : value => key...}")),
            r#"(for-object Some("key") value var.map value key true )"#
        );
        assert_eq!(
            render(&expression(
                "{for s in var.subnets : s.name => s.cidr if s.public}"
            )),
            r#"(for-object None s var.subnets s.name s.cidr false s.public)"#
        );
    }

    #[test]
    fn for_variables_are_not_references() {
        let references = expression("[for s in var.subnets : s.id]").references();
        assert_eq!(references.len(), 1);
        assert_eq!(references[0].parts, vec!["var", "subnets"]);
    }

    #[test]
    fn templates_with_interpolation() {
        assert_eq!(
            render(&expression(r#""${var.name}-web-${count.index + 1}""#)),
            r#"(template ${var.name} "-web-" ${(Add count.index 1)})"#
        );
    }

    #[test]
    fn interpolation_spans_point_into_the_file() {
        let text = r#""prefix-${var.name}""#;
        let expr = expression(text);
        let ExprKind::Template(parts) = &expr.kind else {
            panic!("not a template: {expr:?}");
        };
        let TemplatePart::Interpolation(inner) = &parts[1] else {
            panic!("not an interpolation: {parts:?}");
        };
        assert_eq!(text_of(text, &inner.span), "var.name");
        assert_eq!(text_of(text, &expr.span), text);
    }

    #[test]
    fn template_directives_and_strip_markers() {
        assert_eq!(
            render(&expression(r#""%{ if var.on }on%{ else }off%{ endif }""#)),
            r#"(template (if var.on ["on"] ["off"]))"#
        );
        assert_eq!(
            render(&expression(r#""a  ${~ x ~}  b""#)),
            r#"(template "a" ${x} "b")"#
        );
        assert_eq!(
            render(&expression(
                r#""[%{ for n in var.names ~}  ${n}, %{~ endfor ~}  ]""#
            )),
            r#"(template "[" (for None n var.names [${n} ","]) "]")"#
        );
        assert_eq!(
            render(&expression(r#""%{ for k, v in m }${k}=${v}%{ endfor }""#)),
            r#"(template (for Some("k") v m [${k} "=" ${v}]))"#
        );
    }

    #[test]
    fn heredocs_keep_or_strip_indentation() {
        let plain = "<<EOF\n  line one\n  ${var.x}\nEOF\n";
        assert_eq!(
            render(&expression(plain)),
            r#"(template "  line one\n  " ${var.x} "\n")"#
        );
        let indented = "<<-EOT\n    first\n      second\n    EOT\n";
        assert_eq!(
            expression(indented).kind,
            ExprKind::String("first\n  second\n".into())
        );
    }

    #[test]
    fn heredoc_with_strip_directives() {
        let text = "<<-EOT\n  %{ for name in names ~}\n  ${name}\n  %{ endfor ~}\n  end\n  EOT\n";
        assert_eq!(
            render(&expression(text)),
            r#"(template (for None name names [${name} "\n"]) "end\n")"#
        );
    }

    #[test]
    fn indented_heredoc_dedents_inside_directives_with_right_spans() {
        let text = "locals {\n  script = <<-EOT\n    start\n    %{ if var.debug }\n      set -x\n    %{ endif ~}\n    echo ${var.name}\n  EOT\n}\n";
        let (sources, file) = sources_with(text);
        let body = parse_body(&sources, file).expect("parses");
        let script = &body.blocks[0].body.attributes[0].expr;
        assert_eq!(
            render(script),
            r#"(template "start\n" (if var.debug ["\n  set -x\n"] []) "echo " ${var.name} "\n")"#
        );
        assert!(text_of(text, &script.span).starts_with("<<-EOT"));
        let ExprKind::Template(parts) = &script.kind else {
            panic!("not a template: {script:?}");
        };
        let TemplatePart::Interpolation(name) = &parts[3] else {
            panic!("not an interpolation: {parts:?}");
        };
        assert_eq!(text_of(text, &name.span), "var.name");
        assert_eq!(sources.line_col(file, name.span.range.start), (7, 12));
        let TemplatePart::If { condition, .. } = &parts[1] else {
            panic!("not an if: {parts:?}");
        };
        assert_eq!(text_of(text, &condition.span), "var.debug");
    }

    #[test]
    fn indented_heredoc_with_interpolation_at_line_start_keeps_indentation() {
        let text = "<<-EOT\n    a\n${x}\n    b\n  EOT";
        assert_eq!(
            render(&expression(text)),
            r#"(template "    a\n" ${x} "\n    b\n")"#
        );
    }

    #[test]
    fn indented_heredoc_ignores_blank_lines() {
        let text = "<<-EOT\n    a\n\n      b\nEOT";
        assert_eq!(expression(text).kind, ExprKind::String("a\n\n  b\n".into()));
    }

    #[test]
    fn body_spans_are_right() {
        let text = "resource \"aws_vpc\" \"main\" {\n  # the main network\n  cidr = \"10.0.0.0/16\"\n  tags {\n    Name = \"main\"\n  }\n}\n";
        let (sources, file) = sources_with(text);
        let body = parse_body(&sources, file).expect("parses");
        let block = &body.blocks[0];
        assert_eq!(block.ident, "resource");
        assert_eq!(text_of(text, &block.ident_span), "resource");
        assert_eq!(block.labels[0].0, "aws_vpc");
        assert_eq!(block.labels[1].0, "main");
        assert_eq!(text_of(text, &block.labels[1].1), "\"main\"");
        assert_eq!(
            sources.line_col(file, block.labels[1].1.range.start),
            (1, 20)
        );
        assert_eq!(sources.line_col(file, block.span.range.start), (1, 1));
        let cidr = block.body.attribute("cidr").expect("cidr attribute");
        assert_eq!(sources.line_col(file, cidr.name_span.range.start), (3, 3));
        assert_eq!(text_of(text, &cidr.name_span), "cidr");
        assert_eq!(text_of(text, &cidr.span), "cidr = \"10.0.0.0/16\"");
        assert_eq!(text_of(text, &cidr.expr.span), "\"10.0.0.0/16\"");
        assert_eq!(cidr.expr.kind, ExprKind::String("10.0.0.0/16".into()));
        let tags = &block.body.blocks[0];
        assert_eq!(tags.ident, "tags");
        assert!(tags.labels.is_empty());
        let name = tags.body.attribute("Name").expect("Name attribute");
        assert_eq!(sources.line_col(file, name.name_span.range.start), (5, 5));
    }

    #[test]
    fn syntax_error_has_position_and_message() {
        let text = "resource \"aws_vpc\" \"main\" {\n  cidr = \n}\n";
        let (sources, file) = sources_with(text);
        let diagnostics = parse_body(&sources, file).expect_err("must fail");
        assert_eq!(diagnostics.len(), 1);
        let diagnostic = &diagnostics.items[0];
        assert!(diagnostic.is_error());
        assert!(
            diagnostic.summary.starts_with("syntax error: "),
            "{}",
            diagnostic.summary
        );
        assert_eq!(diagnostic.summary, "syntax error: expected an expression");
        assert!(diagnostic.hint.is_some());
        // Right after `cidr = `, where the expression should start.
        let span = diagnostic.span.as_ref().expect("span");
        assert_eq!(sources.line_col(file, span.range.start), (2, 10));
    }

    #[test]
    fn syntax_error_at_end_of_file_hints_at_unclosed_brace() {
        let text = "locals {\n  a = 1\n";
        let (sources, file) = sources_with(text);
        let diagnostics = parse_body(&sources, file).expect_err("must fail");
        let diagnostic = &diagnostics.items[0];
        assert!(diagnostic
            .hint
            .as_deref()
            .unwrap_or("")
            .contains("unclosed"));
    }

    #[test]
    fn attribute_set_twice_is_a_syntax_error_at_the_second() {
        let text = "locals {\n  a = 1\n  a = 2\n}\n";
        let (sources, file) = sources_with(text);
        let diagnostics = parse_body(&sources, file).expect_err("must fail");
        let diagnostic = &diagnostics.items[0];
        assert!(
            diagnostic.summary.contains("set twice"),
            "{}",
            diagnostic.summary
        );
        let span = diagnostic.span.as_ref().expect("span");
        assert_eq!(sources.line_col(file, span.range.start), (3, 3));
    }

    #[test]
    fn expression_errors_do_not_panic() {
        for text in [
            "",
            "1 +",
            "[1, 2",
            "\"open",
            "${",
            "a.",
            "<<EOF\nx",
            "\u{e9}\u{e9} =",
            "f(,)",
        ] {
            let (sources, file) = sources_with(text);
            let diagnostics = parse_expression(&sources, file).expect_err(text);
            assert!(diagnostics.items[0].span.is_some());
        }
    }
}
