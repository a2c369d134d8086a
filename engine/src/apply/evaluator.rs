//! Re-evaluation during apply: an instance's desired attributes computed again from the spec
//! saved with the plan, with the now-known attributes of what it depends on.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use provision_core::{Attributes, Registry, Value};

use crate::address::{InstanceKey, ResourceAddr};
use crate::diagnostics::Diagnostics;
use crate::eval::evaluate;
use crate::graph::spec_graph::{SpecGraph, SpecNode};
use crate::plan::config::evaluate_config;
use crate::plan::data::{read_arguments, sensitive_attributes};
use crate::plan::planner::{
    block_value, default_tags, expand_instances, instance_config, plan_instance, provider_settings,
    Instance,
};
use crate::plan::scope::{BlockValue, InstanceScope, StackScope};
use crate::provider_configuration::{configuration_for, ProviderSettings};
use crate::spec::{ResourceBlock, Spec};
use crate::variables::InputVariables;

/// The spec, variables and graph an apply evaluates against.
pub struct ApplyEvaluator {
    pub spec: Spec,
    pub variables: InputVariables,
    pub registry: Registry,
    pub graph: SpecGraph,
    pub environment: Option<String>,
}

/// What an instance should become, evaluated with known values.
pub struct DesiredInstance {
    pub attributes: Attributes,
    pub sensitive: Vec<String>,
    /// The provider block's default tags, evaluated in the same scope.
    pub default_tags: BTreeMap<String, String>,
}

impl ApplyEvaluator {
    pub fn new(
        spec: Spec,
        variables: InputVariables,
        registry: Registry,
        environment: Option<String>,
    ) -> Result<ApplyEvaluator, Diagnostics> {
        let graph = SpecGraph::build(&spec, &registry).map_err(Diagnostics::from)?;
        Ok(ApplyEvaluator {
            spec,
            variables,
            registry,
            graph,
            environment,
        })
    }

    /// A scope with the variables, the given resource attributes (by address) and the locals
    /// evaluated over them.
    pub fn scope(&self, current: &HashMap<String, Attributes>) -> StackScope<'_> {
        let mut scope = StackScope::new(
            &self.registry,
            &self.spec.directory.display().to_string(),
            self.environment.as_deref(),
        );
        scope.applying = true;
        scope.variables = self.variables.values.clone();
        scope.sensitive_variables = self.variables.sensitive.clone();
        let mut grouped: HashMap<(String, String), Vec<(InstanceKey, Attributes)>> = HashMap::new();
        let mut data_grouped: HashMap<(String, String), Vec<(InstanceKey, Attributes)>> =
            HashMap::new();
        for (address, attributes) in current {
            if let Some(data_address) = address.strip_prefix("data.") {
                if let Some(parsed) = ResourceAddr::parse(data_address) {
                    data_grouped
                        .entry((parsed.type_name, parsed.name))
                        .or_default()
                        .push((parsed.key, attributes.clone()));
                }
                continue;
            }
            if let Some(parsed) = ResourceAddr::parse(address) {
                grouped
                    .entry((parsed.type_name, parsed.name))
                    .or_default()
                    .push((parsed.key, attributes.clone()));
            }
        }
        for block in &self.spec.resources {
            let mut instances = grouped
                .remove(&(block.type_name.clone(), block.name.clone()))
                .unwrap_or_default();
            instances.sort_by(|left, right| left.0.cmp(&right.0));
            scope.resources.insert(
                (block.type_name.clone(), block.name.clone()),
                BlockValue {
                    value: block_value(block, &instances),
                    sensitive_attributes: Default::default(),
                },
            );
        }
        for block in &self.spec.data_sources {
            let mut instances = data_grouped
                .remove(&(block.type_name.clone(), block.name.clone()))
                .unwrap_or_default();
            instances.sort_by(|left, right| left.0.cmp(&right.0));
            let sensitive_attributes = self
                .registry
                .data_source(&block.type_name)
                .map(|data_source| {
                    data_source
                        .schema()
                        .attributes
                        .iter()
                        .filter(|attribute| attribute.sensitive)
                        .map(|attribute| attribute.name.to_string())
                        .collect()
                })
                .unwrap_or_default();
            scope.data.insert(
                (block.type_name.clone(), block.name.clone()),
                BlockValue {
                    value: block_value(block, &instances),
                    sensitive_attributes,
                },
            );
        }
        for node in &self.graph.order {
            if let SpecNode::Local(index) = node {
                let local = &self.spec.locals[*index];
                let value = evaluate(&local.expr, &scope)
                    .map(|evaluated| {
                        if evaluated.sensitive {
                            scope.sensitive_locals.insert(local.name.clone());
                        }
                        evaluated.value
                    })
                    .unwrap_or(Value::Unknown);
                scope.locals.insert(local.name.clone(), value);
            }
        }
        scope
    }

    fn block(&self, address: &ResourceAddr) -> Option<&ResourceBlock> {
        self.spec
            .resources
            .iter()
            .find(|block| block.type_name == address.type_name && block.name == address.name)
    }

    /// The desired attributes of `address` now, given the current attributes of everything
    /// else, and its prior attributes (None for a create). Unknown computed values become null.
    pub fn desired(
        &self,
        address: &str,
        current: &HashMap<String, Attributes>,
        prior: Option<&Attributes>,
    ) -> Result<DesiredInstance, String> {
        let parsed =
            ResourceAddr::parse(address).ok_or_else(|| format!("bad address {address}"))?;
        let block = self
            .block(&parsed)
            .ok_or_else(|| format!("{address} is not in the spec saved with the plan"))?;
        let resource = self
            .registry
            .get(&block.type_name)
            .ok_or_else(|| format!("unknown resource type {}", block.type_name))?;
        let scope = self.scope(current);
        let instance = expand_instances(block, &scope)
            .map_err(|diagnostic| diagnostic.summary)?
            .into_iter()
            .find(|instance: &Instance| instance.key == parsed.key)
            .ok_or_else(|| format!("{address} is no longer an instance of its block"))?;
        let mut diagnostics = Diagnostics::new();
        let config = instance_config(
            block,
            resource.as_ref(),
            &scope,
            &instance,
            &mut diagnostics,
        );
        if let Some(diagnostic) = diagnostics
            .items
            .into_iter()
            .find(|diagnostic| diagnostic.is_error())
        {
            return Err(diagnostic.summary);
        }
        let provider = configuration_for(&self.spec, block.provider.as_ref())
            .map_err(|diagnostic| diagnostic.summary)?;
        let tags =
            default_tags(&self.spec, &scope, &provider).map_err(|diagnostic| diagnostic.summary)?;
        let planned = plan_instance(block, resource.as_ref(), &config, prior, &tags);
        let mut attributes = planned.after;
        for value in attributes.values_mut() {
            strip_unknown(value);
        }
        Ok(DesiredInstance {
            attributes,
            sensitive: config.sensitive.into_iter().collect(),
            default_tags: tags,
        })
    }

    /// The arguments of the data source instance `address` (`data.aws_vpc.main`) now, given the
    /// current attributes of everything else, and which of them are sensitive. An argument
    /// still unknown is an error: what it depends on did not produce it.
    pub fn data_arguments(
        &self,
        address: &str,
        current: &HashMap<String, Attributes>,
    ) -> Result<(Attributes, Vec<String>), String> {
        let parsed = address
            .strip_prefix("data.")
            .and_then(ResourceAddr::parse)
            .ok_or_else(|| format!("bad data source address {address}"))?;
        let block = self
            .spec
            .data_sources
            .iter()
            .find(|block| block.type_name == parsed.type_name && block.name == parsed.name)
            .ok_or_else(|| format!("{address} is not in the spec saved with the plan"))?;
        let data_source = self
            .registry
            .data_source(&block.type_name)
            .ok_or_else(|| format!("unknown data source {}", block.type_name))?;
        let scope = self.scope(current);
        let instance = expand_instances(block, &scope)
            .map_err(|diagnostic| diagnostic.summary)?
            .into_iter()
            .find(|instance: &Instance| instance.key == parsed.key)
            .ok_or_else(|| format!("{address} is no longer an instance of its block"))?;
        let instance_scope = InstanceScope {
            stack: &scope,
            count: instance.count.clone(),
            each: instance.each.clone(),
        };
        let mut diagnostics = Diagnostics::new();
        let config = evaluate_config(
            data_source.schema(),
            &block.body,
            &instance_scope,
            address,
            &block.type_span,
            &mut diagnostics,
        );
        if let Some(diagnostic) = diagnostics
            .items
            .into_iter()
            .find(|diagnostic| diagnostic.is_error())
        {
            return Err(diagnostic.summary);
        }
        let arguments = read_arguments(data_source.as_ref(), &config.attributes);
        if let Some((name, _)) = arguments.iter().find(|(_, value)| value.contains_unknown()) {
            return Err(format!(
                "argument `{name}` is still unknown: what it depends on did not produce it"
            ));
        }
        let sensitive = sensitive_attributes(data_source.as_ref(), &config.sensitive);
        Ok((arguments, sensitive.into_iter().collect()))
    }

    /// The default tags of configuration `provider` with the current values.
    pub fn default_tags(
        &self,
        current: &HashMap<String, Attributes>,
        provider: &str,
    ) -> BTreeMap<String, String> {
        default_tags(&self.spec, &self.scope(current), provider).unwrap_or_default()
    }

    /// Every provider configuration, evaluated with the current values.
    pub fn provider_settings(
        &self,
        current: &HashMap<String, Attributes>,
    ) -> Result<BTreeMap<String, ProviderSettings>, Diagnostics> {
        provider_settings(&self.spec, &self.scope(current))
    }

    /// The configurations the spec's resource blocks use (`aws` for those naming none).
    pub fn used_configurations(&self) -> BTreeSet<String> {
        self.spec
            .resources
            .iter()
            .filter_map(|block| configuration_for(&self.spec, block.provider.as_ref()).ok())
            .collect()
    }

    /// Output values with the current attributes; outputs that cannot be evaluated (a
    /// resource failed) are left out.
    pub fn outputs(&self, current: &HashMap<String, Attributes>) -> Vec<(String, Value, bool)> {
        let scope = self.scope(current);
        self.spec
            .outputs
            .iter()
            .filter_map(|output| {
                evaluate(&output.value, &scope)
                    .ok()
                    .filter(|evaluated| !evaluated.value.contains_unknown())
                    .map(|evaluated| {
                        (
                            output.name.clone(),
                            evaluated.value,
                            output.sensitive || evaluated.sensitive,
                        )
                    })
            })
            .collect()
    }
}

/// Unknown values (computed, not yet known) are sent to providers as null.
fn strip_unknown(value: &mut Value) {
    match value {
        Value::Unknown => *value = Value::Null,
        Value::List(items) => items.iter_mut().for_each(strip_unknown),
        Value::Map(entries) => entries.values_mut().for_each(strip_unknown),
        _ => {}
    }
}
