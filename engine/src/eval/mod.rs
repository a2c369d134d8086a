//! The expression evaluator: `Expr` → `Value` against a `Scope`, with unknown values
//! propagated ("known after apply") and sensitivity tracked. No IO.

pub mod functions;

use provision_resources::Value;

use crate::diagnostics::Diagnostic;
use crate::spec::ast::Expr;

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
}

/// The result of evaluating an expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluated {
    pub value: Value,
    /// Some sensitive value flowed into it.
    pub sensitive: bool,
}

/// Evaluates `expr`. Errors carry the span of the offending sub-expression and a hint.
pub fn evaluate(expr: &Expr, scope: &dyn Scope) -> Result<Evaluated, Diagnostic> {
    let _ = (expr, scope);
    todo!("eval helper")
}
