//! STS data sources: one file per data source, registered here.

pub mod data_caller_identity;

use std::sync::Arc;

use crate::registry::Registry;

/// STS has no resource types.
pub fn register(_registry: &mut Registry) {}

pub fn register_data_sources(registry: &mut Registry) {
    registry.register_data_source(Arc::new(data_caller_identity::CallerIdentity::new()));
}
