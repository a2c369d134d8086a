//! ECS (clusters, capacity providers, task definitions, services) resource types: one file per type, registered here.

pub mod common;
pub mod container_definitions;
pub mod data_ecs_cluster;
pub mod ecs_cluster;
pub mod ecs_cluster_capacity_providers;
pub mod ecs_service;
pub mod ecs_task_definition;

use std::sync::Arc;

use crate::registry::Registry;

pub fn register(registry: &mut Registry) {
    registry.register(Arc::new(ecs_cluster::EcsCluster::new()));
    registry.register(Arc::new(
        ecs_cluster_capacity_providers::EcsClusterCapacityProviders::new(),
    ));
    registry.register(Arc::new(ecs_task_definition::EcsTaskDefinition::new()));
    registry.register(Arc::new(ecs_service::EcsService::new()));
}

/// The data sources of this service.
pub fn register_data_sources(registry: &mut Registry) {
    registry.register_data_source(Arc::new(data_ecs_cluster::DataEcsCluster::new()));
}
