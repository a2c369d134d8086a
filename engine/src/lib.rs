//! The `provision` engine: spec loading and evaluation, the resource graph, plan, apply,
//! destroy, drift checks, and the CLI in `cli` (the only module that prints or reads the terminal).

pub mod address;
pub mod apply;
pub mod cli;
pub mod diagnostics;
pub mod drift;
pub mod eval;
pub mod graph;
pub mod plan;
pub mod spec;
#[doc(hidden)]
pub mod testing;
pub mod variables;
