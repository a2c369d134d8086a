//! The provider interface of `provision`, independent of any cloud SDK: values, schemas, the
//! `Resource` and `DataSource` traits and the contexts their calls run in, the registry of
//! resource and data source types, provider errors and the API-call counter.
//!
//! Architecture invariant: this crate depends on no cloud SDK, on neither the engine nor the
//! state store, so everything that only plans (spec loading, evaluation, graph, plan) builds
//! without compiling any aws-sdk crate.

pub mod api_calls;
pub mod connect;
pub mod data_source;
pub mod error;
pub mod provider;
pub mod registry;
pub mod schema;
pub mod value;
pub mod wait_limit;

pub use api_calls::ApiCallCounter;
pub use data_source::{DataContext, DataSource};
pub use error::ProviderError;
pub use provider::{
    Attributes, ProgressSink, ProviderClients, ProviderContext, Resource, ADDRESS_TAG, STACK_TAG,
};
pub use registry::Registry;
pub use schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
pub use value::Value;
