//! Terraform's alias type names (`aws_alb` for `aws_lb`): an `Alias` registers an existing
//! resource type under a second name. Every call goes to the aliased type; only the name
//! differs, so state records the name the spec used.

use std::sync::Arc;

use async_trait::async_trait;

use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::Schema;

/// `name` behaves exactly as `target`.
pub struct Alias {
    name: &'static str,
    target: Arc<dyn Resource>,
}

impl Alias {
    pub fn new(name: &'static str, target: Arc<dyn Resource>) -> Alias {
        Alias { name, target }
    }

    /// The type name this alias stands for (`aws_lb`).
    pub fn target_name(&self) -> &'static str {
        self.target.type_name()
    }
}

#[async_trait]
impl Resource for Alias {
    fn type_name(&self) -> &'static str {
        self.name
    }

    fn canonical_type_name(&self) -> &'static str {
        self.target.canonical_type_name()
    }

    fn schema(&self) -> &Schema {
        self.target.schema()
    }

    fn check_config(&self, attributes: &Attributes) -> Vec<ProviderError> {
        self.target.check_config(attributes)
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        self.target.create(context, desired).await
    }

    async fn wait_until_ready(
        &self,
        context: &ProviderContext,
        created: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        self.target.wait_until_ready(context, created).await
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        self.target.read(context, id, prior).await
    }

    async fn read_many(
        &self,
        context: &ProviderContext,
        items: &[(String, Attributes)],
    ) -> Result<Vec<Option<Attributes>>, ProviderError> {
        self.target.read_many(context, items).await
    }

    async fn list_managed(
        &self,
        context: &ProviderContext,
        stack: &str,
    ) -> Result<Vec<(String, String)>, ProviderError> {
        // The aliased type lists them (tagged with whichever name the spec used); listing them
        // here too would report each one twice.
        let _ = (context, stack);
        Ok(Vec::new())
    }

    fn import_id(&self) -> String {
        self.target.import_id()
    }

    async fn import(
        &self,
        context: &ProviderContext,
        import_id: &str,
    ) -> Result<Option<Attributes>, ProviderError> {
        self.target.import(context, import_id).await
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        self.target.update(context, id, prior, desired).await
    }

    fn recomputed_on_update(
        &self,
        prior: &Attributes,
        planned: &Attributes,
        changed: &[&str],
    ) -> Vec<&'static str> {
        self.target.recomputed_on_update(prior, planned, changed)
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<(), ProviderError> {
        self.target.delete(context, id, prior).await
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        self.target.recover(context, desired).await
    }
}
