//! RDS (Aurora clusters, instances, subnet and parameter groups) resource types: one file per type, registered here.

pub mod common;
pub mod db_subnet_group;
pub mod rds_cluster;
pub mod rds_cluster_instance;
pub mod rds_cluster_parameter_group;

use std::sync::Arc;

use crate::registry::Registry;

pub fn register(registry: &mut Registry) {
    registry.register(Arc::new(db_subnet_group::DbSubnetGroup::new()));
    registry.register(Arc::new(rds_cluster::RdsCluster::new()));
    registry.register(Arc::new(rds_cluster_instance::RdsClusterInstance::new()));
    registry.register(Arc::new(
        rds_cluster_parameter_group::RdsClusterParameterGroup::new(),
    ));
}
