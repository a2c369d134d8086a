//! AppSync resource types: one file per type, registered here.

pub mod appsync_api_key;
pub mod appsync_datasource;
pub mod appsync_graphql_api;
pub mod appsync_resolver;
mod common;

use std::sync::Arc;

use crate::registry::Registry;

pub fn register(registry: &mut Registry) {
    registry.register(Arc::new(appsync_graphql_api::AppsyncGraphqlApi::new()));
    registry.register(Arc::new(appsync_api_key::AppsyncApiKey::new()));
    registry.register(Arc::new(appsync_datasource::AppsyncDatasource::new()));
    registry.register(Arc::new(appsync_resolver::AppsyncResolver::new()));
}
