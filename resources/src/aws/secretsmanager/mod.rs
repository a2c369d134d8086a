//! Secrets Manager (secrets and their versions) resource types: one file per type, registered here.

pub mod data_secretsmanager_secret;
pub mod data_secretsmanager_secret_version;
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

/// The data sources of this service.
pub fn register_data_sources(registry: &mut Registry) {
    registry.register_data_source(Arc::new(
        data_secretsmanager_secret_version::DataSecretsmanagerSecretVersion::new(),
    ));
    registry.register_data_source(Arc::new(
        data_secretsmanager_secret::DataSecretsmanagerSecret::new(),
    ));
}
