//! Re-evaluation during apply: an instance's desired attributes computed again from the spec
//! saved with the plan, with the now-known attributes of what it depends on, in the module
//! instance it belongs to (module inputs and outputs evaluated again on the way).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use provision_core::{Attributes, Registry, Value};

use crate::address::{parse_data_address, InstanceKey, ModuleStep, ResourceAddr};
use crate::diagnostics::Diagnostics;
use crate::eval::evaluate;
use crate::graph::spec_graph::{ModuleGraphs, SpecNode};
use crate::plan::config::evaluate_config;
use crate::plan::data::{read_arguments, sensitive_attributes};
use crate::plan::module::{
    block_configuration, evaluate_outputs, module_instances, module_scope, module_value,
    providers_at, used_configurations,
};
use crate::plan::planner::{
    block_value, default_tags, expand_meta_arguments, module_instance_config, plan_instance,
    provider_settings, Instance,
};
use crate::plan::scope::{BlockValue, InstanceScope, StackScope};
use crate::provider_configuration::ProviderSettings;
use crate::spec::{ResourceBlock, Spec};
use crate::variables::InputVariables;

/// The spec, variables and graph an apply evaluates against.
pub struct ApplyEvaluator {
    pub spec: Spec,
    pub variables: InputVariables,
    pub registry: Registry,
    pub graphs: ModuleGraphs,
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
        let graphs = ModuleGraphs::build(&spec, &registry)?;
        Ok(ApplyEvaluator {
            spec,
            variables,
            registry,
            graphs,
            environment,
        })
    }

    /// The root module's scope: the variables, the given resource attributes (by address), the
    /// locals and the called modules' outputs evaluated over them.
    pub fn scope(&self, current: &HashMap<String, Attributes>) -> StackScope<'_> {
        self.module_instance_scope(&[], current)
            .map(|(scope, _)| scope)
            .unwrap_or_else(|| self.root_scope())
    }

    fn root_scope(&self) -> StackScope<'_> {
        let mut scope = StackScope::new(
            &self.registry,
            &self.spec.directory.display().to_string(),
            self.environment.as_deref(),
        );
        scope.applying = true;
        scope.variables = self.variables.values.clone();
        scope.sensitive_variables = self.variables.sensitive.clone();
        scope
    }

    /// The scope of the module instance at `path` (empty: the root) and its spec, or None
    /// when the spec no longer has that instance.
    fn module_instance_scope(
        &self,
        path: &[ModuleStep],
        current: &HashMap<String, Attributes>,
    ) -> Option<(StackScope<'_>, &Spec)> {
        let root = self.root_scope();
        let mut spec = &self.spec;
        let mut graphs = &self.graphs;
        let mut scope = self.complete(spec, graphs, &[], root, current);
        for (depth, step) in path.iter().enumerate() {
            let index = spec
                .modules
                .iter()
                .position(|call| call.name == step.name)?;
            let call = &spec.modules[index];
            let instance = module_instances(
                call,
                &path[..depth],
                &scope,
                &graphs.graph,
                &mut Diagnostics::new(),
            )
            .into_iter()
            .find(|instance| instance.key == step.key)?;
            let child = module_scope(
                &self.registry,
                &call.module,
                &scope,
                self.environment.as_deref(),
                &instance,
            );
            spec = &call.module;
            graphs = &graphs.children[index];
            scope = self.complete(spec, graphs, &path[..=depth], child, current);
        }
        Some((scope, spec))
    }

    /// Fills a module instance's scope: its resources from `current`, then its locals and the
    /// outputs of the modules it calls, in graph order.
    fn complete<'evaluator>(
        &'evaluator self,
        spec: &Spec,
        graphs: &ModuleGraphs,
        path: &[ModuleStep],
        mut scope: StackScope<'evaluator>,
        current: &HashMap<String, Attributes>,
    ) -> StackScope<'evaluator> {
        let mut grouped: HashMap<(String, String), Vec<(InstanceKey, Attributes)>> = HashMap::new();
        let mut data_grouped: HashMap<(String, String), Vec<(InstanceKey, Attributes)>> =
            HashMap::new();
        for (address, attributes) in current {
            if let Some(parsed) = parse_data_address(address) {
                if parsed.module == path {
                    data_grouped
                        .entry((parsed.type_name, parsed.name))
                        .or_default()
                        .push((parsed.key, attributes.clone()));
                }
                continue;
            }
            if let Some(parsed) = ResourceAddr::parse(address) {
                if parsed.module != path {
                    continue;
                }
                grouped
                    .entry((parsed.type_name, parsed.name))
                    .or_default()
                    .push((parsed.key, attributes.clone()));
            }
        }
        for block in &spec.resources {
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
        for block in &spec.data_sources {
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
        for node in &graphs.graph.order {
            match node {
                SpecNode::Local(index) => {
                    let local = &spec.locals[*index];
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
                SpecNode::Module(index) => {
                    let call = &spec.modules[*index];
                    let mut ignored = Diagnostics::new();
                    let instances =
                        module_instances(call, path, &scope, &graphs.graph, &mut ignored);
                    let mut values = Vec::new();
                    for instance in instances {
                        let child = module_scope(
                            &self.registry,
                            &call.module,
                            &scope,
                            self.environment.as_deref(),
                            &instance,
                        );
                        let child = self.complete(
                            &call.module,
                            &graphs.children[*index],
                            &instance.path,
                            child,
                            current,
                        );
                        let outputs = evaluate_outputs(&call.module, &child, &mut ignored);
                        values.push((instance.key.clone(), outputs));
                    }
                    let (value, sensitive_attributes) = module_value(call, &values);
                    scope.modules.insert(
                        call.name.clone(),
                        BlockValue {
                            value,
                            sensitive_attributes,
                        },
                    );
                }
                SpecNode::Resource(_) | SpecNode::Output(_) | SpecNode::Data(_) => {}
            }
        }
        scope
    }

    fn block<'spec>(spec: &'spec Spec, address: &ResourceAddr) -> Option<&'spec ResourceBlock> {
        spec.resources
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
        let missing = || format!("{address} is not in the spec saved with the plan");
        let (scope, spec) = self
            .module_instance_scope(&parsed.module, current)
            .ok_or_else(missing)?;
        let block = Self::block(spec, &parsed).ok_or_else(missing)?;
        let resource = self
            .registry
            .get(&block.type_name)
            .ok_or_else(|| format!("unknown resource type {}", block.type_name))?;
        let subject = ResourceAddr::new(&block.type_name, &block.name, InstanceKey::None)
            .in_module(&parsed.module)
            .block_address();
        let instance = expand_meta_arguments(
            block.count.as_ref(),
            block.for_each.as_ref(),
            &subject,
            &scope,
        )
        .map_err(|diagnostic| diagnostic.summary)?
        .into_iter()
        .find(|instance: &Instance| instance.key == parsed.key)
        .ok_or_else(|| format!("{address} is no longer an instance of its block"))?;
        let mut diagnostics = Diagnostics::new();
        let config = module_instance_config(
            &subject,
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
        let providers = providers_at(&self.spec, &parsed.module).ok_or_else(missing)?;
        let provider = block_configuration(&self.spec, block, &providers)
            .map_err(|diagnostic| diagnostic.summary)?;
        let tags = if parsed.module.is_empty() {
            default_tags(&self.spec, &scope, &provider)
        } else {
            default_tags(&self.spec, &self.scope(current), &provider)
        }
        .map_err(|diagnostic| diagnostic.summary)?;
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

    /// The arguments of the data source instance `address` (`data.aws_vpc.main`,
    /// `module.network.data.aws_vpc.main`) now, given the current attributes of everything
    /// else, and which of them are sensitive. An argument still unknown is an error: what it
    /// depends on did not produce it.
    pub fn data_arguments(
        &self,
        address: &str,
        current: &HashMap<String, Attributes>,
    ) -> Result<(Attributes, Vec<String>), String> {
        let parsed = parse_data_address(address)
            .ok_or_else(|| format!("bad data source address {address}"))?;
        let missing = || format!("{address} is not in the spec saved with the plan");
        let (scope, spec) = self
            .module_instance_scope(&parsed.module, current)
            .ok_or_else(missing)?;
        let block = spec
            .data_sources
            .iter()
            .find(|block| block.type_name == parsed.type_name && block.name == parsed.name)
            .ok_or_else(missing)?;
        let data_source = self
            .registry
            .data_source(&block.type_name)
            .ok_or_else(|| format!("unknown data source {}", block.type_name))?;
        let mut subject = crate::address::module_path_text(&parsed.module);
        if !subject.is_empty() {
            subject.push('.');
        }
        subject.push_str(&block.data_address());
        let instance = expand_meta_arguments(
            block.count.as_ref(),
            block.for_each.as_ref(),
            &subject,
            &scope,
        )
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

    /// The configurations the spec's resource blocks use, in every module (`aws` for those
    /// naming none).
    pub fn used_configurations(&self) -> BTreeSet<String> {
        used_configurations(&self.spec, &|_| false)
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
