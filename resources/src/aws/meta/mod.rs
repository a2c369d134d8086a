//! Data sources about the provider configuration itself (Terraform's "meta" service): region
//! and partition. One file per data source, registered here.

pub mod data_partition;
pub mod data_region;

use std::sync::Arc;

use crate::registry::Registry;

pub fn register_data_sources(registry: &mut Registry) {
    registry.register_data_source(Arc::new(data_partition::Partition::new()));
    registry.register_data_source(Arc::new(data_region::Region::new()));
}
