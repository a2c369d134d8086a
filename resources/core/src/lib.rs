//! The provider interface of `provision`, independent of any cloud SDK: values, schemas, the
//! `Resource` trait and the context a call runs in, the registry of resource types, provider
//! errors and the API-call counter.
//!
//! Architecture invariant: this crate depends on no cloud SDK, on neither the engine nor the
//! state store, so everything that only plans (spec loading, evaluation, graph, plan) builds
//! without compiling any aws-sdk crate.

pub mod api_calls;
pub mod error;
pub mod provider;
pub mod registry;
pub mod schema;
pub mod value;

pub use api_calls::ApiCallCounter;
pub use error::ProviderError;
pub use provider::{
    Attributes, ProviderClients, ProviderContext, Resource, ADDRESS_TAG, STACK_TAG,
};
pub use registry::Registry;
pub use schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
pub use value::Value;
