//! The engine's integration tests that need no AWS: the apply graph and the real `apply_plan`
//! against the in-memory `fake_thing` provider. They build and run with
//! `cargo test -p provision-engine --no-default-features --test offline`.

mod apply_graph_order;
mod apply_with_fake_provider;
