//! API Gateway v2 resource types: one file per type, registered here.

pub mod apigatewayv2_api;
pub mod apigatewayv2_authorizer;
pub mod apigatewayv2_deployment;
pub mod apigatewayv2_integration;
pub mod apigatewayv2_route;
pub mod apigatewayv2_stage;
mod common;

use std::sync::Arc;

use crate::registry::Registry;

pub fn register(registry: &mut Registry) {
    registry.register(Arc::new(apigatewayv2_api::Apigatewayv2Api::new()));
    registry.register(Arc::new(apigatewayv2_route::Apigatewayv2Route::new()));
    registry.register(Arc::new(
        apigatewayv2_integration::Apigatewayv2Integration::new(),
    ));
    registry.register(Arc::new(apigatewayv2_stage::Apigatewayv2Stage::new()));
    registry.register(Arc::new(
        apigatewayv2_deployment::Apigatewayv2Deployment::new(),
    ));
    registry.register(Arc::new(
        apigatewayv2_authorizer::Apigatewayv2Authorizer::new(),
    ));
}
