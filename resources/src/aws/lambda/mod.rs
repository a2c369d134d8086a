//! Lambda resource types: one file per type, registered here.

pub mod lambda_alias;
pub mod lambda_event_source_mapping;
pub mod lambda_function;
pub mod lambda_function_url;
pub mod lambda_permission;

use std::sync::Arc;

use crate::registry::Registry;

pub fn register(registry: &mut Registry) {
    registry.register(Arc::new(lambda_function::LambdaFunction::new()));
    registry.register(Arc::new(lambda_function_url::LambdaFunctionUrl::new()));
    registry.register(Arc::new(lambda_permission::LambdaPermission::new()));
    registry.register(Arc::new(lambda_event_source_mapping::LambdaEventSourceMapping::new()));
    registry.register(Arc::new(lambda_alias::LambdaAlias::new()));
}
