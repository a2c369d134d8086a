//! ECR (container image repositories) resource types: one file per type, registered here.

pub mod data_ecr_repository;
pub mod ecr_lifecycle_policy;
pub mod ecr_repository;

use std::sync::Arc;

use crate::registry::Registry;

pub fn register(registry: &mut Registry) {
    registry.register(Arc::new(ecr_repository::EcrRepository::new()));
    registry.register(Arc::new(ecr_lifecycle_policy::EcrLifecyclePolicy::new()));
}

/// The data sources of this service.
pub fn register_data_sources(registry: &mut Registry) {
    registry.register_data_source(Arc::new(data_ecr_repository::DataEcrRepository::new()));
}
