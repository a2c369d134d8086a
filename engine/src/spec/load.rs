//! Reads a spec folder into a `Spec` (being written).

use std::path::Path;

use super::ast::Expr;
use super::Spec;
use crate::diagnostics::{Diagnostics, SourceMap, SourceSpan};

/// Loads every `*.hcl` / `*.tf` file of `directory` (sorted by name) into a `Spec`. The spec is
/// returned even when there are errors, so its `sources` can render them.
pub fn load_spec(directory: &Path) -> (Spec, Diagnostics) {
    let _ = directory;
    todo!()
}

/// Parses a `.tfvars` file (`name = expr` lines) into the source map, returning each
/// assignment with its name's span.
pub fn load_tfvars(
    sources: &mut SourceMap,
    path: &Path,
) -> Result<Vec<(String, SourceSpan, Expr)>, Diagnostics> {
    let _ = (sources, path);
    todo!()
}
