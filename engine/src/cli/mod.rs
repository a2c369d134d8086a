//! The command line: parsing, printing, the terminal. The only module that prints.
pub mod render_diagnostic;
pub mod render_plan;
