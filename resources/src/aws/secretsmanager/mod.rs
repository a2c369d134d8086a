//! Secrets Manager (secrets and their versions) resource types: one file per type, registered here.

pub mod secretsmanager_secret;
pub mod secretsmanager_secret_version;

use std::sync::Arc;

use crate::registry::Registry;

pub fn register(registry: &mut Registry) {
    registry.register(Arc::new(secretsmanager_secret::SecretsmanagerSecret::new()));
    registry.register(Arc::new(
        secretsmanager_secret_version::SecretsmanagerSecretVersion::new(),
    ));
}
