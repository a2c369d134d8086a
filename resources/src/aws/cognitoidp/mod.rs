//! Cognito user pool resource types and data sources: one file per type, registered here.

pub mod cognito_user_pool;
pub mod cognito_user_pool_client;
pub mod cognito_user_pool_domain;
pub mod data_cognito_user_pools;

use std::sync::Arc;

use crate::registry::Registry;

pub fn register(registry: &mut Registry) {
    registry.register(Arc::new(cognito_user_pool::CognitoUserPool::new()));
    registry.register(Arc::new(
        cognito_user_pool_client::CognitoUserPoolClient::new(),
    ));
    registry.register(Arc::new(
        cognito_user_pool_domain::CognitoUserPoolDomain::new(),
    ));
}

/// The data sources of this service.
pub fn register_data_sources(registry: &mut Registry) {
    registry.register_data_source(Arc::new(
        data_cognito_user_pools::DataCognitoUserPools::new(),
    ));
}
