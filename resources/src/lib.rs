//! The providers of `provision`: one file per AWS resource type or data source under `aws/`,
//! `random`, and `archive` (the hashicorp/archive provider's `archive_file`).
//! The provider interface itself (values, schemas, the `Resource` and `DataSource` traits, the
//! registry) is the `provision-core` crate, re-exported here under its old paths.
//!
//! Architecture invariant: this crate knows nothing of the engine or of the state store.

pub mod alias;
pub mod archive;
pub mod aws;
pub mod coverage;
pub mod random;

pub use provision_core::{
    api_calls, connect, data_source, error, provider, registry, schema, value,
};
pub use provision_core::{
    ApiCallCounter, AttrType, Attribute, Attributes, BlockNesting, DataContext, DataSource,
    NestedBlock, ProgressSink, ProviderClients, ProviderContext, ProviderError, Registry, Resource,
    Schema, Value,
};

/// Every resource and data source type this build supports: the AWS types and data sources,
/// the random types and the archive provider's `archive_file`.
pub fn registry() -> Registry {
    let mut registry = Registry::new();
    aws::register_all(&mut registry);
    random::register(&mut registry);
    archive::register(&mut registry);
    registry
}
