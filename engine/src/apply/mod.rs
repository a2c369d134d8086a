//! The apply engine: runs a plan's changes along the apply graph.
