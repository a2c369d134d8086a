//! The provider interface of `provision`: values, schemas, the `Resource` trait, the registry of
//! resource types, and one file per AWS resource type under `aws/`.
//!
//! Architecture invariant: this crate knows nothing of the engine or of the state store.

pub mod alias;
pub mod aws;
pub mod coverage;
pub mod error;
pub mod provider;
pub mod random;
pub mod registry;
pub mod schema;
pub mod value;

pub use error::ProviderError;
pub use provider::{Attributes, ProviderContext, Resource};
pub use registry::Registry;
pub use schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
pub use value::Value;
