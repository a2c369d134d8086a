//! The registry: resource type name → provider. `provision_resources::registry()` registers
//! every AWS and random type once; engine tests build their own registry with fakes.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::provider::Resource;

#[derive(Clone, Default)]
pub struct Registry {
    types: BTreeMap<&'static str, Arc<dyn Resource>>,
}

impl Registry {
    pub fn new() -> Registry {
        Registry::default()
    }

    pub fn register(&mut self, resource: Arc<dyn Resource>) {
        self.types.insert(resource.type_name(), resource);
    }

    pub fn get(&self, type_name: &str) -> Option<&Arc<dyn Resource>> {
        self.types.get(type_name)
    }

    pub fn type_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.types.keys().copied()
    }

    /// The registered type name closest to `type_name`, for "did you mean" hints.
    pub fn suggest(&self, type_name: &str) -> Option<&'static str> {
        self.types
            .keys()
            .map(|candidate| {
                (
                    crate::schema::edit_distance(type_name, candidate),
                    *candidate,
                )
            })
            .filter(|(distance, _)| *distance <= 4)
            .min_by_key(|(distance, _)| *distance)
            .map(|(_, candidate)| candidate)
    }
}
