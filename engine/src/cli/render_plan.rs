//! Renders plans.
