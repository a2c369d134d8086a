//! The `provision` engine: spec loading and evaluation, the resource graph, plan, apply,
//! destroy, drift checks, and the CLI in `cli` (the only module that prints or reads the terminal).

// Spec errors are `Diagnostic`s (summary, span, label, hint, notes) returned by value: they are
// the cold path, and boxing them everywhere would only add noise.
#![allow(clippy::result_large_err)]

pub mod address;
pub mod apply;
#[cfg(feature = "aws")]
pub mod cli;
pub mod diagnostics;
pub mod drift;
pub mod eval;
pub mod format;
pub mod graph;
pub mod plan;
pub mod provider_configuration;
pub mod spec;
#[doc(hidden)]
pub mod testing;
pub mod variables;
