//! The providers of `provision`: one file per AWS resource type under `aws/`, and `random`.
//! The provider interface itself (values, schemas, the `Resource` trait, the registry) is the
//! `provision-core` crate, re-exported here under its old paths.
//!
//! Architecture invariant: this crate knows nothing of the engine or of the state store.

pub mod aws;
pub mod random;

pub use provision_core::{api_calls, error, provider, registry, schema, value};
pub use provision_core::{
    ApiCallCounter, AttrType, Attribute, Attributes, BlockNesting, NestedBlock, ProviderClients,
    ProviderContext, ProviderError, Registry, Resource, Schema, Value,
};

/// Every resource type this build supports: the AWS types and `random_password`.
pub fn registry() -> Registry {
    let mut registry = Registry::new();
    aws::register_all(&mut registry);
    random::register(&mut registry);
    registry
}
