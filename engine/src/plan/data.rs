//! Data sources in a plan, as Terraform plans them: an instance whose arguments are all known
//! (and whose `depends_on` has no pending change) is read now, through a `DataReader`; one
//! whose arguments are known only after apply, or that waits on a changing `depends_on`, is
//! deferred to apply (`Action::Read`, Terraform's `<= read`) and its computed attributes are
//! unknown to its dependents.

use std::collections::BTreeSet;

use provision_core::{Attributes, DataSource, ProviderError, Resource, Value};

/// Reads a data source during plan. The CLI's reader connects to AWS on the first read that
/// needs it; a plan made without a reader (the spec checks before anything is opened) leaves
/// every data source unknown.
pub trait DataReader {
    /// Reads `address` through the provider configuration `configuration` (`aws`,
    /// `aws.west`): its region, credentials and endpoints.
    fn read(
        &self,
        data_source: &dyn DataSource,
        address: &str,
        configuration: &str,
        arguments: &Attributes,
    ) -> Result<Attributes, ProviderError>;

    /// Reads the cloud object an `import {}` block names (`import_id` in the type's import
    /// format) through `configuration`; `None` when there is none. The default reads nothing.
    fn import(
        &self,
        resource: &dyn Resource,
        address: &str,
        configuration: &str,
        import_id: &str,
    ) -> Result<Option<Attributes>, ProviderError> {
        let _ = (resource, configuration, import_id);
        Err(ProviderError::Refused(format!(
            "{address}: this plan cannot read the cloud to import"
        )))
    }
}

/// The planned attributes of a deferred read: the arguments as configured, every computed
/// attribute unknown.
pub fn deferred_attributes(data_source: &dyn DataSource, arguments: &Attributes) -> Attributes {
    let schema = data_source.schema();
    let mut after = Attributes::new();
    for attribute in &schema.attributes {
        let value = match arguments.get(attribute.name) {
            Some(value) if !(value.is_null() && attribute.computed) => value.clone(),
            _ if attribute.computed => Value::Unknown,
            _ => attribute.default.clone().unwrap_or(Value::Null),
        };
        after.insert(attribute.name.to_string(), value);
    }
    for block in &schema.blocks {
        let value = arguments
            .get(block.name)
            .cloned()
            .unwrap_or(Value::List(Vec::new()));
        after.insert(block.name.to_string(), value);
    }
    after
}

/// The arguments of a read, with the schema's defaults for what the spec leaves out.
pub fn read_arguments(data_source: &dyn DataSource, configured: &Attributes) -> Attributes {
    let schema = data_source.schema();
    let mut arguments = configured.clone();
    for attribute in &schema.attributes {
        if attribute.settable() && !arguments.contains_key(attribute.name) {
            arguments.insert(
                attribute.name.to_string(),
                attribute.default.clone().unwrap_or(Value::Null),
            );
        }
    }
    for block in &schema.blocks {
        arguments
            .entry(block.name.to_string())
            .or_insert_with(|| Value::List(Vec::new()));
    }
    arguments
}

/// What a read returned, completed: every schema attribute present (null when the source did
/// not set it), the arguments kept as given.
pub fn completed_result(
    data_source: &dyn DataSource,
    arguments: &Attributes,
    mut result: Attributes,
) -> Attributes {
    let schema = data_source.schema();
    for attribute in &schema.attributes {
        if !result.contains_key(attribute.name) {
            let value = arguments
                .get(attribute.name)
                .cloned()
                .unwrap_or(Value::Null);
            result.insert(attribute.name.to_string(), value);
        }
    }
    for block in &schema.blocks {
        if !result.contains_key(block.name) {
            let value = arguments
                .get(block.name)
                .cloned()
                .unwrap_or(Value::List(Vec::new()));
            result.insert(block.name.to_string(), value);
        }
    }
    result
}

/// The sensitive attribute names of an instance: the schema's, and those the spec fed a
/// sensitive value.
pub fn sensitive_attributes(
    data_source: &dyn DataSource,
    configured: &BTreeSet<String>,
) -> BTreeSet<String> {
    let mut sensitive = configured.clone();
    sensitive.extend(
        data_source
            .schema()
            .attributes
            .iter()
            .filter(|attribute| attribute.sensitive)
            .map(|attribute| attribute.name.to_string()),
    );
    sensitive
}
