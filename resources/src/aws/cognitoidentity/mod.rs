//! Cognito identity pool resource types: one file per type, registered here.

pub mod cognito_identity_pool;
pub mod cognito_identity_pool_roles_attachment;

use std::sync::Arc;

use crate::registry::Registry;

pub fn register(registry: &mut Registry) {
    registry.register(Arc::new(cognito_identity_pool::CognitoIdentityPool::new()));
    registry.register(Arc::new(
        cognito_identity_pool_roles_attachment::CognitoIdentityPoolRolesAttachment::new(),
    ));
}
