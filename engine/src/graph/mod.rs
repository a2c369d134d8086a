//! Graphs (petgraph). `spec_graph`: the evaluation order of a spec's locals, resource blocks
//! and outputs, with cycle detection. `apply_graph`: the operations of a plan and their order.
//! `render`: DOT and Mermaid output of a plan's instance graph.

pub mod apply_graph;
pub mod render;
pub mod spec_graph;
