//! The registry: resource type name → provider, data source type name → data source.
//! `provision_resources::registry()` registers every AWS, random and archive type once; engine
//! tests build their own registry with fakes.
use std::collections::BTreeMap;
use std::sync::Arc;

use crate::data_source::DataSource;
use crate::provider::Resource;

#[derive(Clone, Default)]
pub struct Registry {
    types: BTreeMap<&'static str, Arc<dyn Resource>>,
    data_sources: BTreeMap<&'static str, Arc<dyn DataSource>>,
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

    pub fn register_data_source(&mut self, data_source: Arc<dyn DataSource>) {
        self.data_sources
            .insert(data_source.type_name(), data_source);
    }

    /// The data source of `type_name` (`data "aws_vpc" ...`).
    pub fn data_source(&self, type_name: &str) -> Option<&Arc<dyn DataSource>> {
        self.data_sources.get(type_name)
    }

    pub fn data_source_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.data_sources.keys().copied()
    }

    /// The registered data source name closest to `type_name`, for "did you mean" hints.
    pub fn suggest_data_source(&self, type_name: &str) -> Option<&'static str> {
        self.data_sources
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
