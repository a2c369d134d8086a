//! The expression and body tree of a spec file, with a `SourceSpan` on every node. Built from
//! hcl-edit's tree by `parse`; evaluated by `eval`. Nothing here is evaluated.

use crate::diagnostics::SourceSpan;

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: SourceSpan,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Null,
    Bool(bool),
    Number(f64),
    /// A string literal with no interpolation.
    String(String),
    /// `"a-${var.x}"` or a heredoc: literal and interpolated parts, `%{ if }` / `%{ for }`
    /// directives included.
    Template(Vec<TemplatePart>),
    Array(Vec<Expr>),
    /// `{ key = value }`. Keys are expressions: a bare identifier key is a `String` expression.
    Object(Vec<(Expr, Expr)>),
    /// A root name: `var`, `local`, `each`, `count`, `path`, `aws_vpc`, ...
    Variable(String),
    /// `base.attr`, `base[index]`, `base.*.attr`, `base[*].attr`.
    Traversal {
        base: Box<Expr>,
        operators: Vec<TraversalOperator>,
    },
    FunctionCall {
        name: String,
        arguments: Vec<Expr>,
        /// `f(list...)`: the last argument expands into arguments.
        expand_final: bool,
    },
    Conditional {
        condition: Box<Expr>,
        true_result: Box<Expr>,
        false_result: Box<Expr>,
    },
    Unary {
        operator: UnaryOperator,
        operand: Box<Expr>,
    },
    Binary {
        operator: BinaryOperator,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    /// `[for k, v in coll : value if cond]`
    ForList {
        key_variable: Option<String>,
        value_variable: String,
        collection: Box<Expr>,
        value: Box<Expr>,
        condition: Option<Box<Expr>>,
    },
    /// `{for k, v in coll : key => value... if cond}`
    ForObject {
        key_variable: Option<String>,
        value_variable: String,
        collection: Box<Expr>,
        key: Box<Expr>,
        value: Box<Expr>,
        grouping: bool,
        condition: Option<Box<Expr>>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum TemplatePart {
    Literal(String),
    Interpolation(Expr),
    If {
        condition: Expr,
        true_parts: Vec<TemplatePart>,
        false_parts: Vec<TemplatePart>,
    },
    For {
        key_variable: Option<String>,
        value_variable: String,
        collection: Expr,
        parts: Vec<TemplatePart>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum TraversalOperator {
    /// `.name`
    GetAttr(String, SourceSpan),
    /// `[expr]` and the legacy `.0`
    Index(Expr),
    /// `.*` — applies the following operators to each element
    AttrSplat,
    /// `[*]`
    FullSplat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOperator {
    Not,
    Negate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOperator {
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    And,
    Or,
}

/// `name = expr`
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub name: String,
    pub name_span: SourceSpan,
    pub expr: Expr,
    pub span: SourceSpan,
}

/// `ident "label" "label" { body }`
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub ident: String,
    pub ident_span: SourceSpan,
    pub labels: Vec<(String, SourceSpan)>,
    pub body: Body,
    pub span: SourceSpan,
}

/// Attributes and blocks in source order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Body {
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<Block>,
}

impl Body {
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes
            .iter()
            .find(|attribute| attribute.name == name)
    }

    pub fn blocks_named<'a>(&'a self, ident: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks.iter().filter(move |block| block.ident == ident)
    }
}

/// A reference found in an expression: its leading names (`["aws_vpc", "main", "id"]`,
/// `["var", "cidr"]`, `["count", "index"]`) up to the first index or splat, and its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    pub parts: Vec<String>,
    pub span: SourceSpan,
}

impl Expr {
    /// Every reference in this expression, in source order. Variables bound by `for`
    /// expressions are not references.
    pub fn references(&self) -> Vec<Reference> {
        let mut found = Vec::new();
        collect_references(self, &mut Vec::new(), &mut found);
        found
    }
}

fn collect_references(expr: &Expr, bound: &mut Vec<String>, found: &mut Vec<Reference>) {
    match &expr.kind {
        ExprKind::Null | ExprKind::Bool(_) | ExprKind::Number(_) | ExprKind::String(_) => {}
        ExprKind::Template(parts) => collect_template(parts, bound, found),
        ExprKind::Array(items) => items
            .iter()
            .for_each(|item| collect_references(item, bound, found)),
        ExprKind::Object(entries) => {
            for (key, value) in entries {
                collect_references(key, bound, found);
                collect_references(value, bound, found);
            }
        }
        ExprKind::Variable(name) => {
            if !bound.contains(name) {
                found.push(Reference {
                    parts: vec![name.clone()],
                    span: expr.span.clone(),
                });
            }
        }
        ExprKind::Traversal { base, operators } => {
            if let ExprKind::Variable(name) = &base.kind {
                if !bound.contains(name) {
                    let mut parts = vec![name.clone()];
                    let mut span = base.span.clone();
                    for operator in operators {
                        match operator {
                            TraversalOperator::GetAttr(attr, attr_span) => {
                                parts.push(attr.clone());
                                span = span.to(attr_span);
                            }
                            _ => break,
                        }
                    }
                    found.push(Reference { parts, span });
                }
            } else {
                collect_references(base, bound, found);
            }
            for operator in operators {
                if let TraversalOperator::Index(index) = operator {
                    collect_references(index, bound, found);
                }
            }
        }
        ExprKind::FunctionCall { arguments, .. } => arguments
            .iter()
            .for_each(|argument| collect_references(argument, bound, found)),
        ExprKind::Conditional {
            condition,
            true_result,
            false_result,
        } => {
            collect_references(condition, bound, found);
            collect_references(true_result, bound, found);
            collect_references(false_result, bound, found);
        }
        ExprKind::Unary { operand, .. } => collect_references(operand, bound, found),
        ExprKind::Binary { left, right, .. } => {
            collect_references(left, bound, found);
            collect_references(right, bound, found);
        }
        ExprKind::ForList {
            key_variable,
            value_variable,
            collection,
            value,
            condition,
        } => {
            collect_references(collection, bound, found);
            let depth = bound.len();
            bound.extend(key_variable.iter().cloned());
            bound.push(value_variable.clone());
            collect_references(value, bound, found);
            if let Some(condition) = condition {
                collect_references(condition, bound, found);
            }
            bound.truncate(depth);
        }
        ExprKind::ForObject {
            key_variable,
            value_variable,
            collection,
            key,
            value,
            condition,
            ..
        } => {
            collect_references(collection, bound, found);
            let depth = bound.len();
            bound.extend(key_variable.iter().cloned());
            bound.push(value_variable.clone());
            collect_references(key, bound, found);
            collect_references(value, bound, found);
            if let Some(condition) = condition {
                collect_references(condition, bound, found);
            }
            bound.truncate(depth);
        }
    }
}

fn collect_template(parts: &[TemplatePart], bound: &mut Vec<String>, found: &mut Vec<Reference>) {
    for part in parts {
        match part {
            TemplatePart::Literal(_) => {}
            TemplatePart::Interpolation(expr) => collect_references(expr, bound, found),
            TemplatePart::If {
                condition,
                true_parts,
                false_parts,
            } => {
                collect_references(condition, bound, found);
                collect_template(true_parts, bound, found);
                collect_template(false_parts, bound, found);
            }
            TemplatePart::For {
                key_variable,
                value_variable,
                collection,
                parts,
            } => {
                collect_references(collection, bound, found);
                let depth = bound.len();
                bound.extend(key_variable.iter().cloned());
                bound.push(value_variable.clone());
                collect_template(parts, bound, found);
                bound.truncate(depth);
            }
        }
    }
}

impl Body {
    /// Every reference in every attribute and nested block of this body. Inside a `dynamic`
    /// block's `content`, its iterator (`ingress.value`) is bound, not a reference.
    pub fn references(&self) -> Vec<Reference> {
        let mut found = Vec::new();
        collect_body(self, &mut Vec::new(), &mut found);
        found
    }
}

fn collect_body(body: &Body, bound: &mut Vec<String>, found: &mut Vec<Reference>) {
    for attribute in &body.attributes {
        collect_references(&attribute.expr, bound, found);
    }
    for block in &body.blocks {
        if block.ident != "dynamic" {
            collect_body(&block.body, bound, found);
            continue;
        }
        let iterator = block
            .body
            .attribute("iterator")
            .and_then(|attribute| match &attribute.expr.kind {
                ExprKind::Variable(name) => Some(name.clone()),
                _ => None,
            })
            .or_else(|| block.labels.first().map(|(label, _)| label.clone()));
        for attribute in &block.body.attributes {
            if attribute.name != "iterator" {
                collect_references(&attribute.expr, bound, found);
            }
        }
        let depth = bound.len();
        bound.extend(iterator);
        for content in &block.body.blocks {
            collect_body(&content.body, bound, found);
        }
        bound.truncate(depth);
    }
}
