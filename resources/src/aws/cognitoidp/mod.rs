//! Cognito user pool resource types: one file per type, registered here.

pub mod cognito_user_pool;

use std::sync::Arc;

use crate::registry::Registry;

pub fn register(registry: &mut Registry) {
    registry.register(Arc::new(cognito_user_pool::CognitoUserPool::new()));
}
