//! CloudFront (origin access controls and distributions) resource types: one file per type, registered here.

pub mod distribution;
pub mod distribution_config;
pub mod origin_access_control;

use std::sync::Arc;

use crate::registry::Registry;

pub fn register(registry: &mut Registry) {
    registry.register(Arc::new(
        origin_access_control::CloudfrontOriginAccessControl::new(),
    ));
    registry.register(Arc::new(distribution::CloudfrontDistribution::new()));
}
