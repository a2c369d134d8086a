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

/// A provider context for unit tests (no calls are made through it).
#[cfg(test)]
pub(crate) mod test_support {
    use std::sync::Arc;

    use crate::provider::ProviderContext;

    pub fn context() -> ProviderContext {
        let config = aws_types::SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .region(aws_types::region::Region::new("us-east-1"))
            .build();
        ProviderContext {
            clients: Arc::new(crate::aws::AwsClients::from_config(&config)),
            stack: "test/stack".to_string(),
            address: "test.address".to_string(),
            default_tags: Default::default(),
            idempotency_token: "token".to_string(),
        }
    }
}
