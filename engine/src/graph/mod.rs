//! The resource graph (petgraph): one node per resource instance in spec ∪ state.
