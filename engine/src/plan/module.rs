//! Module calls, shared by plan and apply: expanding a call's `count` / `for_each` into module
//! instances, evaluating its arguments in the caller into the module's input variables (type,
//! default, validation), the scope a module instance's expressions see, and the value
//! `module.NAME` has for the caller (its outputs, per instance).

use std::collections::{BTreeMap, BTreeSet};

use provision_core::{Registry, Value};

use super::planner::{expand_meta_arguments, Instance};
use super::scope::{InstanceScope, StackScope};
use crate::address::{module_path_text, InstanceKey, ModuleStep};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::eval::{closest, evaluate};
use crate::graph::spec_graph::{Reach, SpecGraph};
use crate::provider_configuration::{
    configuration_for, map_through_module, ProviderReference, DEFAULT_CONFIGURATION,
};
use crate::spec::{ModuleCall, ResourceBlock, Spec};
use crate::variables::resolve_module_input;

/// One instance of a module call, with its input variables evaluated.
#[derive(Debug, Clone)]
pub struct ModuleInstance {
    pub key: InstanceKey,
    /// `module.network` or `module.vpc["a"]` inside the caller's path.
    pub path: Vec<ModuleStep>,
    pub variables: BTreeMap<String, Value>,
    pub sensitive_variables: BTreeSet<String>,
    /// What each argument's expression reaches in the caller (for dependencies).
    pub argument_reach: BTreeMap<String, Reach>,
}

/// `module.network` with the caller's path in front (`module.a["x"].module.network`).
pub fn call_label(path: &[ModuleStep], call: &ModuleCall) -> String {
    let prefix = module_path_text(path);
    if prefix.is_empty() {
        call.address()
    } else {
        format!("{prefix}.{}", call.address())
    }
}

/// Expands `call` (made from the module instance at `path`, whose scope is `scope`) into its
/// instances and evaluates each instance's input variables. Problems go to `diagnostics`; an
/// input that cannot be evaluated is unknown.
pub fn module_instances(
    call: &ModuleCall,
    path: &[ModuleStep],
    scope: &StackScope,
    graph: &SpecGraph,
    diagnostics: &mut Diagnostics,
) -> Vec<ModuleInstance> {
    let label = call_label(path, call);
    let declared: Vec<&str> = call
        .module
        .variables
        .iter()
        .map(|variable| variable.name.as_str())
        .collect();
    for argument in &call.arguments {
        if declared.contains(&argument.name.as_str()) {
            continue;
        }
        let hint = match closest(&argument.name, declared.iter().copied()) {
            Some(close) => format!("did you mean `{close}`?"),
            None if declared.is_empty() => {
                format!(
                    "the module in {} declares no variables",
                    call.module.directory.display()
                )
            }
            None => format!("the module's variables: {}", declared.join(", ")),
        };
        diagnostics.push(
            Diagnostic::error(
                format!("{label}: the module has no variable `{}`", argument.name),
                Some(argument.name_span.clone()),
            )
            .with_label("not declared by the module")
            .with_hint(hint),
        );
    }
    let instances =
        match expand_meta_arguments(call.count.as_ref(), call.for_each.as_ref(), &label, scope) {
            Ok(instances) => instances,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                return Vec::new();
            }
        };
    instances
        .into_iter()
        .map(|instance| instance_inputs(call, path, scope, graph, &label, instance, diagnostics))
        .collect()
}

fn instance_inputs(
    call: &ModuleCall,
    path: &[ModuleStep],
    scope: &StackScope,
    graph: &SpecGraph,
    label: &str,
    instance: Instance,
    diagnostics: &mut Diagnostics,
) -> ModuleInstance {
    let instance_scope = InstanceScope {
        stack: scope,
        count: instance.count.clone(),
        each: instance.each.clone(),
    };
    let mut child_path = path.to_vec();
    child_path.push(ModuleStep {
        name: call.name.clone(),
        key: instance.key.clone(),
    });
    let mut module_instance = ModuleInstance {
        key: instance.key,
        path: child_path,
        variables: BTreeMap::new(),
        sensitive_variables: BTreeSet::new(),
        argument_reach: BTreeMap::new(),
    };
    for variable in &call.module.variables {
        let argument = call
            .arguments
            .iter()
            .find(|argument| argument.name == variable.name);
        let mut sensitive = variable.sensitive;
        let given = match argument {
            None => None,
            Some(argument) => {
                module_instance.argument_reach.insert(
                    variable.name.clone(),
                    graph.reach(&argument.expr.references()),
                );
                match evaluate(&argument.expr, &instance_scope) {
                    Ok(evaluated) => {
                        sensitive |= evaluated.sensitive;
                        Some((evaluated.value, argument.expr.span.clone()))
                    }
                    Err(diagnostic) => {
                        diagnostics.push(diagnostic);
                        Some((Value::Unknown, argument.expr.span.clone()))
                    }
                }
            }
        };
        let value = match resolve_module_input(variable, given, label, &call.name_span) {
            Ok(value) => value,
            Err(errors) => {
                diagnostics.extend(errors);
                Value::Unknown
            }
        };
        if sensitive {
            module_instance
                .sensitive_variables
                .insert(variable.name.clone());
        }
        module_instance
            .variables
            .insert(variable.name.clone(), value);
    }
    module_instance
}

/// The scope of a module instance: its input variables, `path.module` its folder,
/// `path.root` the root's.
pub fn module_scope<'registry>(
    registry: &'registry Registry,
    module: &Spec,
    root: &StackScope,
    environment: Option<&str>,
    instance: &ModuleInstance,
) -> StackScope<'registry> {
    let mut scope = StackScope::new(
        registry,
        &module.directory.display().to_string(),
        environment,
    );
    if let (Value::Map(paths), Value::Map(root_paths)) = (&mut scope.path, &root.path) {
        if let Some(root_path) = root_paths.get("root") {
            paths.insert("root".to_string(), root_path.clone());
        }
    }
    scope.applying = root.applying;
    scope.variables = instance.variables.clone();
    scope.sensitive_variables = instance.sensitive_variables.clone();
    scope
}

/// The outputs of one module instance: value and sensitivity by name.
pub type ModuleOutputs = BTreeMap<String, (Value, bool)>;

/// What `module.NAME` is for the caller: an object of outputs; with `count` a list of them,
/// with `for_each` a map of them. The second value lists the sensitive outputs.
pub fn module_value(
    call: &ModuleCall,
    instances: &[(InstanceKey, ModuleOutputs)],
) -> (Value, BTreeSet<String>) {
    let sensitive: BTreeSet<String> = instances
        .iter()
        .flat_map(|(_, outputs)| {
            outputs
                .iter()
                .filter(|(_, (_, sensitive))| *sensitive)
                .map(|(name, _)| name.clone())
        })
        .collect();
    let object = |outputs: &ModuleOutputs| {
        Value::Map(
            outputs
                .iter()
                .map(|(name, (value, _))| (name.clone(), value.clone()))
                .collect(),
        )
    };
    let value = if call.count.is_some() {
        Value::List(
            instances
                .iter()
                .map(|(_, outputs)| object(outputs))
                .collect(),
        )
    } else if call.for_each.is_some() {
        Value::Map(
            instances
                .iter()
                .filter_map(|(key, outputs)| match key {
                    InstanceKey::Key(key) => Some((key.clone(), object(outputs))),
                    _ => None,
                })
                .collect(),
        )
    } else {
        instances
            .first()
            .map(|(_, outputs)| object(outputs))
            .unwrap_or(Value::Null)
    };
    (value, sensitive)
}

/// Evaluates a module instance's outputs in its scope. Problems go to `diagnostics`; an output
/// that cannot be evaluated is unknown.
pub fn evaluate_outputs(
    module: &Spec,
    scope: &StackScope,
    diagnostics: &mut Diagnostics,
) -> ModuleOutputs {
    module
        .outputs
        .iter()
        .map(|output| match evaluate(&output.value, scope) {
            Ok(evaluated) => (
                output.name.clone(),
                (evaluated.value, output.sensitive || evaluated.sensitive),
            ),
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                (output.name.clone(), (Value::Unknown, output.sensitive))
            }
        })
        .collect()
}

/// The provider map of a module instance called by `call` from a module whose own map is
/// `parent` (the root's is empty): each key of the child (`aws`, `aws.<alias>`) to the root's
/// configuration it stands for. The child's default `aws` is the caller's unless the call's
/// `providers = {}` says otherwise, as in Terraform.
pub fn child_providers(
    call: &ModuleCall,
    parent: &BTreeMap<String, ProviderReference>,
) -> BTreeMap<String, ProviderReference> {
    let mut providers = BTreeMap::new();
    if let Some(default) = parent.get(DEFAULT_CONFIGURATION) {
        providers.insert(DEFAULT_CONFIGURATION.to_string(), default.clone());
    }
    for (key, reference) in &call.providers {
        if let Some(mapped) = map_through_module(Some(reference), parent) {
            providers.insert(key.clone(), mapped);
        }
    }
    providers
}

/// The configuration key a block inside a module (whose provider map is `providers`) goes
/// through: its `provider` reference mapped to the root's, checked against the root's blocks.
pub fn block_configuration(
    root: &Spec,
    block: &ResourceBlock,
    providers: &BTreeMap<String, ProviderReference>,
) -> Result<String, Diagnostic> {
    let mapped = map_through_module(block.provider.as_ref(), providers);
    configuration_for(root, mapped.as_ref())
}

/// The provider maps along a module path, from the root: the map of the module instance at
/// `path` (None when the spec has no such module).
pub fn providers_at(
    root: &Spec,
    path: &[ModuleStep],
) -> Option<BTreeMap<String, ProviderReference>> {
    let mut spec = root;
    let mut providers = BTreeMap::new();
    for step in path {
        let call = spec.modules.iter().find(|call| call.name == step.name)?;
        providers = child_providers(call, &providers);
        spec = &call.module;
    }
    Some(providers)
}

/// The configurations the resource blocks and the chosen data blocks (`data` says which) of
/// the spec and of every module it calls go through.
pub fn used_configurations(root: &Spec, data: &dyn Fn(&ResourceBlock) -> bool) -> BTreeSet<String> {
    fn walk(
        root: &Spec,
        spec: &Spec,
        providers: &BTreeMap<String, ProviderReference>,
        data: &dyn Fn(&ResourceBlock) -> bool,
        used: &mut BTreeSet<String>,
    ) {
        for block in spec
            .resources
            .iter()
            .chain(spec.data_sources.iter().filter(|block| data(block)))
        {
            if let Ok(configuration) = block_configuration(root, block, providers) {
                used.insert(configuration);
            }
        }
        for call in &spec.modules {
            walk(
                root,
                &call.module,
                &child_providers(call, providers),
                data,
                used,
            );
        }
    }
    let mut used = BTreeSet::new();
    walk(root, root, &BTreeMap::new(), data, &mut used);
    used
}
