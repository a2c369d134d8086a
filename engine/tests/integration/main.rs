//! The engine's integration tests that need the AWS registry or the CLI renderer, linked into
//! one test binary (each would otherwise link every aws-sdk crate on its own).

mod diagnostics_snapshots;
mod edgemind_plan_snapshot;
mod plan_changes;
mod plan_dynamic_blocks;
mod plan_modules;
