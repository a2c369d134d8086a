//! The planner: evaluates a spec in dependency order against the state and produces a `Plan`
//! (NoOp / Create / Update / Replace / Delete per instance, attribute diffs, outputs). Also the
//! pieces the apply engine reuses to re-evaluate an instance with now-known values.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use provision_core::{Attributes, Registry, Resource, Value};
use provision_state::{ResourceRecord, ResourceStatus};

use super::config::{evaluate_config, evaluate_config_of_type, InstanceConfig};
use super::data::{
    completed_result, deferred_attributes, read_arguments, sensitive_attributes, DataReader,
};
use super::diff::{attribute_changes, blocks_equal, values_equal};
use super::module::{
    block_configuration, child_providers, module_instances, module_scope, module_value,
    ModuleOutputs,
};
use super::moves::apply_moves;
use super::scope::{BlockValue, InstanceScope, StackScope};
use super::{Action, Change, OutputChange, Plan};

/// The replace reason of a resource whose create did not become ready (state's `tainted`).
pub const TAINTED: &str = "tainted";
use crate::address::{data_address_text, module_path_text, InstanceKey, ModuleStep, ResourceAddr};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::eval::evaluate;
use crate::graph::spec_graph::{ModuleGraphs, Reach, SpecGraph, SpecNode};
use crate::provider_configuration::{
    evaluate_configurations, ProviderReference, ProviderSettings, DEFAULT_CONFIGURATION,
};
use crate::spec::ast::Expr;
use crate::spec::{ResourceBlock, Spec};
use crate::variables::InputVariables;

/// Everything a plan is made from.
pub struct PlanRequest<'a> {
    pub spec: &'a Spec,
    pub variables: &'a InputVariables,
    pub registry: &'a Registry,
    pub stack: &'a str,
    pub environment: Option<&'a str>,
    pub state: &'a [ResourceRecord],
    pub state_serial: i64,
    /// Outputs recorded in state, for the outputs diff.
    pub prior_outputs: &'a BTreeMap<String, Value>,
    /// Plan to destroy everything in state.
    pub destroy: bool,
}

/// One instance of a resource block, with its `count` / `each` values.
#[derive(Debug, Clone)]
pub struct Instance {
    pub key: InstanceKey,
    pub count: Option<Value>,
    pub each: Option<Value>,
}

/// Checks that every resource type exists, in the spec and the modules it calls; returns the
/// errors.
pub fn check_resource_types(spec: &Spec, registry: &Registry) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    for resource in &spec.resources {
        if registry.get(&resource.type_name).is_none() {
            let mut diagnostic = Diagnostic::error(
                format!("unknown resource type `{}`", resource.type_name),
                Some(resource.type_span.clone()),
            );
            let replacement = super::coverage::replacement_hint(&resource.type_name);
            diagnostic = match registry.suggest(&resource.type_name) {
                _ if replacement.is_some() => {
                    diagnostic.with_hint(replacement.unwrap_or_default().to_string())
                }
                Some(suggestion) => diagnostic
                    .with_label(format!("did you mean `{suggestion}`?"))
                    .with_hint(format!("did you mean `{suggestion}`?")),
                None => diagnostic
                    .with_hint("run `provision types` to list the supported resource types"),
            };
            diagnostics.push(diagnostic);
        }
    }
    for call in &spec.modules {
        diagnostics.extend(check_resource_types(&call.module, registry));
    }
    diagnostics
}

/// Warnings for deprecated Terraform arguments the spec uses (accepted and honoured), each
/// naming the replacement.
pub fn deprecation_warnings(spec: &Spec) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    for resource in &spec.resources {
        let written = resource
            .body
            .attributes
            .iter()
            .map(|attribute| (&attribute.name, &attribute.name_span))
            .chain(
                resource
                    .body
                    .blocks
                    .iter()
                    .map(|block| (&block.ident, &block.ident_span)),
            );
        for (name, span) in written {
            if let Some(replacement) =
                super::coverage::deprecated_replacement(&resource.type_name, name)
            {
                diagnostics.push(
                    Diagnostic::warning(
                        format!(
                            "{}: argument `{name}` is deprecated in Terraform",
                            resource.address()
                        ),
                        Some(span.clone()),
                    )
                    .with_label("accepted and applied")
                    .with_hint(format!("use {replacement} instead")),
                );
            }
        }
    }
    for call in &spec.modules {
        diagnostics.extend(deprecation_warnings(&call.module));
    }
    diagnostics
}

/// Expands `count` / `for_each` of a block into its instances.
pub fn expand_instances(
    block: &ResourceBlock,
    scope: &StackScope,
) -> Result<Vec<Instance>, Diagnostic> {
    expand_meta_arguments(
        block.count.as_ref(),
        block.for_each.as_ref(),
        &block.address(),
        scope,
    )
}

/// Expands `count` / `for_each` (of a resource block or a module call, named `subject` in
/// messages) into instances.
pub fn expand_meta_arguments(
    count: Option<&Expr>,
    for_each: Option<&Expr>,
    subject: &str,
    scope: &StackScope,
) -> Result<Vec<Instance>, Diagnostic> {
    if let Some(count) = count {
        let evaluated = evaluate(count, scope)?;
        let number = match &evaluated.value {
            Value::Unknown => {
                return Err(Diagnostic::error(
                    format!("the `count` of {subject} is known only after apply"),
                    Some(count.span.clone()),
                )
                .with_hint("count must be known at plan time: derive it from variables or locals, not from resource attributes"))
            }
            value => value.as_i64().filter(|number| *number >= 0).ok_or_else(|| {
                Diagnostic::error(
                    format!("invalid `count` for {subject}"),
                    Some(count.span.clone()),
                )
                .with_label(format!("got {value}"))
                .with_hint("count takes a whole number, 0 or more")
            })?,
        };
        return Ok((0..number)
            .map(|index| Instance {
                key: InstanceKey::Index(index),
                count: Some(Value::Map(
                    [("index".to_string(), Value::Number(index as f64))].into(),
                )),
                each: None,
            })
            .collect());
    }
    if let Some(for_each) = for_each {
        let evaluated = evaluate(for_each, scope)?;
        let pairs: Vec<(String, Value)> = match &evaluated.value {
            Value::Map(entries) => entries
                .iter()
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect(),
            Value::List(items) => {
                let mut keys = BTreeSet::new();
                for item in items {
                    match item.to_template_string() {
                        Some(text) if !matches!(item, Value::Unknown) => {
                            keys.insert(text);
                        }
                        _ => {
                            return Err(Diagnostic::error(
                                format!("invalid `for_each` for {subject}"),
                                Some(for_each.span.clone()),
                            )
                            .with_hint(
                                "for_each takes a map, or a set of strings known at plan time",
                            ))
                        }
                    }
                }
                keys.into_iter()
                    .map(|key| (key.clone(), Value::String(key)))
                    .collect()
            }
            Value::Unknown => return Err(Diagnostic::error(
                format!("the `for_each` of {} is known only after apply", subject),
                Some(for_each.span.clone()),
            )
            .with_hint(
                "for_each keys must be known at plan time: derive them from variables or locals",
            )),
            other => {
                return Err(Diagnostic::error(
                    format!("invalid `for_each` for {subject}"),
                    Some(for_each.span.clone()),
                )
                .with_label(format!("got a {}", other.type_name()))
                .with_hint("for_each takes a map, or a set of strings"))
            }
        };
        return Ok(pairs
            .into_iter()
            .map(|(key, value)| Instance {
                key: InstanceKey::Key(key.clone()),
                count: None,
                each: Some(Value::Map(
                    [
                        ("key".to_string(), Value::String(key)),
                        ("value".to_string(), value),
                    ]
                    .into(),
                )),
            })
            .collect());
    }
    Ok(vec![Instance {
        key: InstanceKey::None,
        count: None,
        each: None,
    }])
}

/// Evaluates one instance's configuration.
pub fn instance_config(
    block: &ResourceBlock,
    resource: &dyn Resource,
    scope: &StackScope,
    instance: &Instance,
    diagnostics: &mut Diagnostics,
) -> InstanceConfig {
    module_instance_config(
        &block.address(),
        block,
        resource,
        scope,
        instance,
        diagnostics,
    )
}

/// Evaluates one instance's configuration; `subject` names the block in messages
/// (`module.network.aws_subnet.private`).
pub fn module_instance_config(
    subject: &str,
    block: &ResourceBlock,
    resource: &dyn Resource,
    scope: &StackScope,
    instance: &Instance,
    diagnostics: &mut Diagnostics,
) -> InstanceConfig {
    let instance_scope = InstanceScope {
        stack: scope,
        count: instance.count.clone(),
        each: instance.each.clone(),
    };
    let config = evaluate_config_of_type(
        Some(&block.type_name),
        resource.schema(),
        &block.body,
        &instance_scope,
        subject,
        &block.type_span,
        diagnostics,
    );
    for error in resource.check_config(&config.attributes) {
        let (attribute, message) = match &error {
            provision_core::ProviderError::InvalidAttribute { attribute, message } => {
                (attribute.as_str(), message.clone())
            }
            other => ("", other.to_string()),
        };
        let span = block
            .body
            .attribute(attribute)
            .map(|written| written.expr.span.clone())
            .unwrap_or_else(|| block.type_span.clone());
        diagnostics.push(
            Diagnostic::error(format!("invalid `{attribute}` on {subject}"), Some(span))
                .with_label(message)
                .with_hint("fix the value; nothing has been created"),
        );
    }
    config
}

/// Every provider configuration of the spec, evaluated in `scope` (see
/// `provider_configuration`).
pub fn provider_settings(
    spec: &Spec,
    scope: &StackScope,
) -> Result<BTreeMap<String, ProviderSettings>, Diagnostics> {
    evaluate_configurations(spec, scope)
}

/// The default tags of configuration `provider`, evaluated.
pub fn default_tags(
    spec: &Spec,
    scope: &StackScope,
    provider: &str,
) -> Result<BTreeMap<String, String>, Diagnostic> {
    let mut settings = provider_settings(spec, scope).map_err(|diagnostics| {
        diagnostics
            .items
            .into_iter()
            .next()
            .unwrap_or_else(|| Diagnostic::error("invalid provider configuration", None))
    })?;
    Ok(settings
        .remove(provider)
        .map(|settings| settings.default_tags)
        .unwrap_or_default())
}

/// The planned attributes of an instance from its configuration and prior state, and the
/// action. `replace_reasons` lists the force-new attributes that changed.
pub struct PlannedInstance {
    pub action: Action,
    pub after: Attributes,
    pub replace_reasons: Vec<String>,
}

/// Decides what happens to one instance: fills defaults, computed values (prior or unknown),
/// `tags_all`, applies `ignore_changes`, and compares with the prior attributes.
pub fn plan_instance(
    block: &ResourceBlock,
    resource: &dyn Resource,
    config: &InstanceConfig,
    prior: Option<&Attributes>,
    default_tags: &BTreeMap<String, String>,
) -> PlannedInstance {
    let schema = resource.schema();
    let mut after = Attributes::new();
    let mut configured = BTreeSet::new();
    for attribute in &schema.attributes {
        let value = match config.attributes.get(attribute.name) {
            Some(value) if !(value.is_null() && attribute.computed) => {
                configured.insert(attribute.name);
                value.clone()
            }
            _ if attribute.computed => prior
                .and_then(|prior| prior.get(attribute.name).cloned())
                .unwrap_or(Value::Unknown),
            _ => attribute.default.clone().unwrap_or(Value::Null),
        };
        after.insert(attribute.name.to_string(), value);
    }
    for block_schema in &schema.blocks {
        let value = match config.attributes.get(block_schema.name) {
            Some(value) => {
                configured.insert(block_schema.name);
                value.clone()
            }
            None if block_schema.computed => prior
                .and_then(|prior| prior.get(block_schema.name).cloned())
                .unwrap_or(Value::Unknown),
            None => Value::List(Vec::new()),
        };
        after.insert(block_schema.name.to_string(), value);
    }
    if schema.attribute("tags_all").is_some() {
        let tags_all = match after.get("tags") {
            Some(Value::Unknown) => Value::Unknown,
            Some(Value::Map(tags)) if tags.values().any(Value::contains_unknown) => Value::Unknown,
            tags => {
                let mut all: BTreeMap<String, Value> = default_tags
                    .iter()
                    .map(|(key, value)| (key.clone(), Value::string(value)))
                    .collect();
                if let Some(Value::Map(tags)) = tags {
                    all.extend(tags.iter().map(|(key, value)| (key.clone(), value.clone())));
                }
                Value::Map(all)
            }
        };
        after.insert("tags_all".to_string(), tags_all);
    }
    let Some(prior) = prior else {
        return PlannedInstance {
            action: Action::Create,
            after,
            replace_reasons: Vec::new(),
        };
    };
    let lifecycle = &block.lifecycle;
    let ignored: BTreeSet<&str> = lifecycle
        .ignore_changes
        .iter()
        .map(|(name, _)| name.as_str())
        .collect();
    let mut changed = Vec::new();
    for attribute in &schema.attributes {
        let name = attribute.name;
        let compared = configured.contains(name)
            || name == "tags_all"
            || (!attribute.computed && attribute.settable());
        if !compared {
            continue;
        }
        if lifecycle.ignore_all_changes || ignored.contains(name) {
            if let Some(value) = prior.get(name) {
                after.insert(name.to_string(), value.clone());
            }
            continue;
        }
        let old = prior.get(name).unwrap_or(&Value::Null);
        let new = after.get(name).unwrap_or(&Value::Null);
        if !values_equal(&attribute.attr_type, new, old) {
            changed.push((name, attribute.force_new));
        }
    }
    for block_schema in &schema.blocks {
        let name = block_schema.name;
        if !configured.contains(name) && block_schema.computed {
            continue;
        }
        if lifecycle.ignore_all_changes || ignored.contains(name) {
            if let Some(value) = prior.get(name) {
                after.insert(name.to_string(), value.clone());
            }
            continue;
        }
        let old = prior.get(name).unwrap_or(&Value::Null);
        let new = after.get(name).unwrap_or(&Value::Null);
        if !blocks_equal(&block_schema.schema, block_schema.nesting, new, old) {
            changed.push((name, block_schema.force_new));
        }
    }
    if changed.is_empty() {
        return PlannedInstance {
            action: Action::NoOp,
            after: prior.clone(),
            replace_reasons: Vec::new(),
        };
    }
    let replace_reasons: Vec<String> = changed
        .iter()
        .filter(|(_, force_new)| *force_new)
        .map(|(name, _)| name.to_string())
        .collect();
    if replace_reasons.is_empty() {
        let changed_names: Vec<&str> = changed.iter().map(|(name, _)| *name).collect();
        for name in resource.recomputed_on_update(prior, &after, &changed_names) {
            after.insert(name.to_string(), Value::Unknown);
        }
        return PlannedInstance {
            action: Action::Update,
            after,
            replace_reasons,
        };
    }
    // A replacement computes everything anew.
    for attribute in &schema.attributes {
        if attribute.computed
            && !configured.contains(attribute.name)
            && attribute.name != "tags_all"
        {
            after.insert(attribute.name.to_string(), Value::Unknown);
        }
    }
    PlannedInstance {
        action: Action::Replace,
        after,
        replace_reasons,
    }
}

/// The value references see for a block, from its instances' attributes.
pub fn block_value(block: &ResourceBlock, instances: &[(InstanceKey, Attributes)]) -> Value {
    if block.count.is_some() {
        Value::List(
            instances
                .iter()
                .map(|(_, attributes)| Value::Map(attributes.clone()))
                .collect(),
        )
    } else if block.for_each.is_some() {
        Value::Map(
            instances
                .iter()
                .filter_map(|(key, attributes)| match key {
                    InstanceKey::Key(key) => Some((key.clone(), Value::Map(attributes.clone()))),
                    _ => None,
                })
                .collect(),
        )
    } else {
        instances
            .first()
            .map(|(_, attributes)| Value::Map(attributes.clone()))
            .unwrap_or(Value::Null)
    }
}

/// Checks that every data source type exists; returns the errors.
pub fn check_data_source_types(spec: &Spec, registry: &Registry) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    for data in &spec.data_sources {
        if registry.data_source(&data.type_name).is_none() {
            let mut diagnostic = Diagnostic::error(
                format!("unknown data source `{}`", data.type_name),
                Some(data.type_span.clone()),
            );
            diagnostic = match registry.suggest_data_source(&data.type_name) {
                Some(suggestion) => diagnostic
                    .with_label(format!("did you mean `{suggestion}`?"))
                    .with_hint(format!("did you mean `{suggestion}`?")),
                None => diagnostic.with_hint(format!(
                    "supported data sources: {}",
                    registry.data_source_names().collect::<Vec<_>>().join(", ")
                )),
            };
            diagnostics.push(diagnostic);
        }
    }
    for call in &spec.modules {
        diagnostics.extend(check_data_source_types(&call.module, registry));
    }
    diagnostics
}

/// True when the block's `count` or `for_each` evaluates to something not yet known.
fn repetition_unknown(block: &ResourceBlock, scope: &StackScope) -> bool {
    block.count.iter().chain(block.for_each.iter()).any(|expr| {
        evaluate(expr, scope)
            .map(|evaluated| evaluated.value.contains_unknown())
            .unwrap_or(false)
    })
}

/// The block as messages name it: `data.aws_vpc.main` for a data block.
fn data_block_for_messages(block: &ResourceBlock) -> ResourceBlock {
    ResourceBlock {
        type_name: format!("data.{}", block.type_name),
        ..block.clone()
    }
}

/// Makes a plan without reading data sources: each is unknown (the spec checks made before
/// anything is opened or called).
pub fn make_plan(request: &PlanRequest) -> Result<Plan, Diagnostics> {
    make_plan_with_data(request, None)
}

/// Makes a plan, reading the data sources whose arguments are known through `reader`.
pub fn make_plan_with_data(
    request: &PlanRequest,
    reader: Option<&dyn DataReader>,
) -> Result<Plan, Diagnostics> {
    let spec = request.spec;
    let registry = request.registry;
    // Unknown types are reported with everything else the same pass finds: their blocks
    // evaluate to unknown values, so references to them raise no second error.
    let mut diagnostics = check_resource_types(spec, registry);
    diagnostics.extend(check_data_source_types(spec, registry));
    let graphs = match ModuleGraphs::build(spec, registry) {
        Ok(graphs) => graphs,
        Err(errors) => {
            diagnostics.extend(errors);
            return Err(sorted(diagnostics));
        }
    };

    let mut scope = StackScope::new(
        registry,
        &spec.directory.display().to_string(),
        request.environment,
    );
    scope.variables = request.variables.values.clone();
    scope.sensitive_variables = request.variables.sensitive.clone();

    let imports = if request.destroy {
        BTreeMap::new()
    } else {
        super::imports::evaluate_imports(
            spec,
            registry,
            request.variables,
            request.environment,
            &mut diagnostics,
        )
    };
    let moved = apply_moves(spec, request.state);
    let state_by_address: HashMap<&str, &ResourceRecord> = moved
        .records
        .iter()
        .map(|record| (record.address.as_str(), record))
        .collect();
    let mut walk = PlanWalk {
        request,
        state_by_address,
        moved_from: &moved.moved_from,
        reader,
        configurations: None,
        action_of: HashMap::new(),
        changes: Vec::new(),
        seen_addresses: BTreeSet::new(),
        outputs: Vec::new(),
        diagnostics,
        imports,
    };
    walk.module(spec, &graphs, scope, &ModuleContext::default());
    let PlanWalk {
        mut changes,
        seen_addresses,
        mut outputs,
        mut diagnostics,
        imports,
        ..
    } = walk;
    for (address, import) in &imports {
        if !seen_addresses.contains(address) {
            diagnostics.push(super::imports::missing_target(import));
        }
    }

    // What state has and the spec no longer does: delete.
    for record in &moved.records {
        if seen_addresses.contains(&record.address) {
            continue;
        }
        changes.push(Change {
            address: record.address.clone(),
            type_name: record.type_name.clone(),
            action: Action::Delete,
            replace_reasons: Vec::new(),
            before: Some(record_attributes(record)),
            after: None,
            attribute_changes: Vec::new(),
            sensitive_attributes: record.sensitive_attributes.iter().cloned().collect(),
            dependencies: record.dependencies.clone(),
            prior_dependencies: record.dependencies.clone(),
            explicit_dependencies: Vec::new(),
            timeouts: Default::default(),
            create_before_destroy: false,
            cloud_id: record.cloud_id.clone(),
            read_reason: None,
            provider: record.provider.clone(),
            prior_provider: None,
            moved_from: moved.moved_from.get(&record.address).cloned(),
            import_id: None,
        });
    }
    for (name, value) in request.prior_outputs {
        if !outputs.iter().any(|output| &output.name == name) {
            outputs.push(OutputChange {
                name: name.clone(),
                before: Some(value.clone()),
                after: None,
                sensitive: false,
            });
        }
    }

    // A delete goes through the configuration that made the object: it must still be there.
    for change in &changes {
        let provider = change.delete_provider();
        let deletes = matches!(change.action, Action::Delete | Action::Replace);
        if deletes && provider != DEFAULT_CONFIGURATION && spec.provider_block(provider).is_none() {
            let alias = provider.trim_start_matches("aws.");
            diagnostics.push(
                Diagnostic::error(
                    format!(
                        "{} was made through provider configuration `{provider}`, which the spec no longer has",
                        change.address
                    ),
                    None,
                )
                .with_hint(format!(
                    "keep `provider \"aws\" {{ alias = \"{alias}\" ... }}` until {} is destroyed: its delete goes to that configuration's region and account",
                    change.address
                )),
            );
        }
    }

    let diagnostics = sorted(deduplicate(diagnostics));
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    Ok(Plan {
        stack: request.stack.to_string(),
        spec_directory: spec.directory.display().to_string(),
        environment: request.environment.map(str::to_string),
        state_serial: request.state_serial,
        spec_hash: spec.hash.clone(),
        destroy: request.destroy,
        changes,
        outputs,
    })
}

/// Where a module instance sits and what its inputs depend on.
#[derive(Debug, Clone, Default)]
struct ModuleContext {
    /// Empty for the root module.
    path: Vec<ModuleStep>,
    /// For each input variable, the resource instances its argument depends on.
    variable_dependencies: BTreeMap<String, Vec<String>>,
    /// What every resource of the module depends on: the module call's `depends_on`.
    dependencies: Vec<String>,
    /// The module's provider configurations (`aws`, `aws.<alias>`) to the root's, from the
    /// module calls' `providers = {}`; empty in the root.
    providers: BTreeMap<String, ProviderReference>,
}

/// What planning a module instance gives its caller.
#[derive(Debug, Clone, Default)]
struct PlannedModule {
    outputs: ModuleOutputs,
    /// For each output, the resource instances its value depends on.
    output_dependencies: BTreeMap<String, Vec<String>>,
    /// Every resource instance of the module and of the modules it calls.
    addresses: Vec<String>,
}

/// The state of one plan while its modules are walked.
struct PlanWalk<'a> {
    request: &'a PlanRequest<'a>,
    state_by_address: HashMap<&'a str, &'a ResourceRecord>,
    /// Old addresses of the records `moved` blocks renamed, by new address.
    moved_from: &'a BTreeMap<String, String>,
    /// Reads data sources during plan; None: each is unknown.
    reader: Option<&'a dyn DataReader>,
    /// Every provider configuration, evaluated once, in the root module.
    configurations: Option<BTreeMap<String, ProviderSettings>>,
    /// The action planned for every instance so far (a data read waits for its `depends_on`).
    action_of: HashMap<String, Action>,
    changes: Vec<Change>,
    seen_addresses: BTreeSet<String>,
    /// The root module's outputs.
    outputs: Vec<OutputChange>,
    diagnostics: Diagnostics,
    /// The `import {}` blocks by target address.
    imports: BTreeMap<String, super::imports::PlannedImport>,
}

impl PlanWalk<'_> {
    /// Evaluates the provider configurations once, in the root module's scope, before the
    /// first block that needs them.
    fn evaluate_configurations(&mut self, spec: &Spec, scope: &StackScope) {
        if self.configurations.is_none() {
            self.configurations = Some(evaluate_configurations(spec, scope).unwrap_or_else(
                |errors| {
                    self.diagnostics.extend(errors);
                    BTreeMap::new()
                },
            ));
        }
    }

    /// The configuration a block's calls go through, mapped through the module calls'
    /// `providers = {}`; an unknown one is an error at the reference (the default is used).
    fn configuration(&mut self, block: &ResourceBlock, context: &ModuleContext) -> String {
        block_configuration(self.request.spec, block, &context.providers).unwrap_or_else(
            |diagnostic| {
                self.diagnostics.push(diagnostic);
                DEFAULT_CONFIGURATION.to_string()
            },
        )
    }

    /// Plans one module instance (the root when `context.path` is empty) in its graph's order.
    fn module(
        &mut self,
        spec: &Spec,
        graphs: &ModuleGraphs,
        mut scope: StackScope,
        context: &ModuleContext,
    ) -> PlannedModule {
        let request = self.request;
        let registry = request.registry;
        let graph = &graphs.graph;
        let is_root = context.path.is_empty();
        let mut instances_of_block: HashMap<SpecNode, Vec<String>> = HashMap::new();
        let offline = self.reader.is_none();
        let mut planned_modules: HashMap<usize, Vec<PlannedModule>> = HashMap::new();
        let mut planned = PlannedModule::default();

        for node in &graph.order {
            match node {
                SpecNode::Local(index) => {
                    let local = &spec.locals[*index];
                    match evaluate(&local.expr, &scope) {
                        Ok(evaluated) => {
                            if evaluated.sensitive {
                                scope.sensitive_locals.insert(local.name.clone());
                            }
                            scope.locals.insert(local.name.clone(), evaluated.value);
                        }
                        Err(diagnostic) => {
                            self.diagnostics.push(diagnostic);
                            scope.locals.insert(local.name.clone(), Value::Unknown);
                        }
                    }
                }
                SpecNode::Resource(index) => {
                    let block = &spec.resources[*index];
                    let Some(resource) = registry.get(&block.type_name) else {
                        // Reported by `check_resource_types`; references to it raise no
                        // second error.
                        scope.resources.insert(
                            (block.type_name.clone(), block.name.clone()),
                            BlockValue {
                                value: Value::Unknown,
                                sensitive_attributes: BTreeSet::new(),
                            },
                        );
                        continue;
                    };
                    if is_root {
                        self.evaluate_configurations(spec, &scope);
                    }
                    let provider = self.configuration(block, context);
                    let tags = self
                        .configurations
                        .as_ref()
                        .and_then(|configurations| configurations.get(&provider))
                        .map(|settings| settings.default_tags.clone())
                        .unwrap_or_default();
                    if offline && repetition_unknown(block, &scope) {
                        // Known once the data sources are read: nothing to check per instance.
                        scope.resources.insert(
                            (block.type_name.clone(), block.name.clone()),
                            BlockValue {
                                value: Value::Unknown,
                                sensitive_attributes: BTreeSet::new(),
                            },
                        );
                        continue;
                    }
                    let block_label =
                        ResourceAddr::new(&block.type_name, &block.name, InstanceKey::None)
                            .in_module(&context.path)
                            .block_address();
                    let instances = match expand_meta_arguments(
                        block.count.as_ref(),
                        block.for_each.as_ref(),
                        &block_label,
                        &scope,
                    ) {
                        Ok(instances) => instances,
                        Err(diagnostic) => {
                            self.diagnostics.push(diagnostic);
                            Vec::new()
                        }
                    };
                    let dependencies = block_instance_dependencies(
                        graph,
                        node,
                        block,
                        &instances_of_block,
                        &planned_modules,
                        context,
                    );
                    let explicit_dependencies = explicit_block_dependencies(
                        graph,
                        block,
                        &instances_of_block,
                        &planned_modules,
                        context,
                    );
                    let mut values = Vec::new();
                    let mut sensitive_attributes = BTreeSet::new();
                    let mut addresses = Vec::new();
                    for instance in instances {
                        let address =
                            ResourceAddr::new(&block.type_name, &block.name, instance.key.clone())
                                .in_module(&context.path)
                                .to_string();
                        let config = module_instance_config(
                            &block_label,
                            block,
                            resource.as_ref(),
                            &scope,
                            &instance,
                            &mut self.diagnostics,
                        );
                        let prior_record = self.state_by_address.get(address.as_str()).copied();
                        let mut prior = prior_record.map(record_attributes);
                        // An import block for an address state does not know yet: plan against
                        // the cloud object it names (an address in state makes it a no-op).
                        let mut import_id = None;
                        let mut imported_id = None;
                        let import = self
                            .imports
                            .get(&address)
                            .filter(|_| prior_record.is_none() && !request.destroy)
                            .cloned();
                        if let Some(import) = import {
                            if let Some(wanted) = import
                                .provider
                                .as_ref()
                                .filter(|wanted| **wanted != provider)
                            {
                                self.diagnostics.push(
                                    Diagnostic::error(
                                        format!("the import block for {address} names provider configuration `{wanted}`, but the resource uses `{provider}`"),
                                        import.block.provider_span.clone(),
                                    )
                                    .with_hint("import through the resource's own configuration: give the resource block the same `provider =`, or remove it from the import block"),
                                );
                            }
                            import_id = Some(import.id.clone());
                            if let Some(reader) = self.reader {
                                match reader.import(resource.as_ref(), &address, &provider, &import.id) {
                                    Ok(Some(found)) => {
                                        imported_id =
                                            found.get("id").and_then(Value::to_template_string);
                                        prior = Some(found);
                                    }
                                    Ok(None) => self.diagnostics.push(
                                        Diagnostic::error(
                                            format!("cannot import {address}: there is no {} with import ID \"{}\"", block.type_name, import.id),
                                            Some(import.block.id.span.clone()),
                                        )
                                        .with_label("not found")
                                        .with_hint(format!(
                                            "{} takes {}; check the region and account of provider configuration `{provider}`",
                                            block.type_name,
                                            resource.import_id()
                                        )),
                                    ),
                                    Err(error) => self.diagnostics.push(
                                        Diagnostic::error(
                                            format!("cannot import {address}: {error}"),
                                            Some(import.block.id.span.clone()),
                                        )
                                        .with_hint(format!(
                                            "{} takes {}",
                                            block.type_name,
                                            resource.import_id()
                                        )),
                                    ),
                                }
                            }
                        }
                        let prior = prior;
                        let mut sensitive = config.sensitive.clone();
                        sensitive.extend(
                            resource
                                .schema()
                                .attributes
                                .iter()
                                .filter(|attribute| attribute.sensitive)
                                .map(|attribute| attribute.name.to_string()),
                        );
                        // `tags_all` is made from `tags`: a secret in one is a secret in the other.
                        if sensitive.contains("tags") {
                            sensitive.insert("tags_all".to_string());
                        }
                        let mut planned =
                            plan_instance(block, resource.as_ref(), &config, prior.as_ref(), &tags);
                        // Made through another configuration (another region or account): the
                        // old object goes through the configuration that made it, the new one is
                        // made through this one.
                        let prior_provider = prior_record
                            .map(|record| record.provider.clone())
                            .filter(|recorded| *recorded != provider);
                        if let (Some(recorded), false) = (&prior_provider, request.destroy) {
                            let fresh =
                                plan_instance(block, resource.as_ref(), &config, None, &tags);
                            let mut replace_reasons = planned.replace_reasons;
                            replace_reasons.push(format!("provider ({recorded} → {provider})"));
                            planned = PlannedInstance {
                                action: Action::Replace,
                                after: fresh.after,
                                replace_reasons,
                            };
                        }
                        // Its create did not become ready (Terraform's taint): made anew.
                        let tainted = prior_record
                            .is_some_and(|record| record.status == ResourceStatus::Tainted);
                        if tainted && !request.destroy {
                            let fresh =
                                plan_instance(block, resource.as_ref(), &config, None, &tags);
                            let mut replace_reasons = planned.replace_reasons;
                            replace_reasons.insert(0, TAINTED.to_string());
                            planned = PlannedInstance {
                                action: Action::Replace,
                                after: fresh.after,
                                replace_reasons,
                            };
                        }
                        if request.destroy {
                            // References still resolve (to the prior values where there are some).
                            planned = PlannedInstance {
                                action: if prior.is_some() {
                                    Action::Delete
                                } else {
                                    Action::NoOp
                                },
                                after: prior.clone().unwrap_or(planned.after),
                                replace_reasons: Vec::new(),
                            };
                        }
                        if matches!(planned.action, Action::Replace | Action::Delete)
                            && block.lifecycle.prevent_destroy
                        {
                            self.diagnostics.push(
                                Diagnostic::error(
                                    format!("{address} has lifecycle.prevent_destroy set, but the plan would destroy it"),
                                    Some(block.name_span.clone()),
                                )
                                .with_hint(if planned.replace_reasons.is_empty() {
                                    "remove prevent_destroy from its lifecycle block first, if you really mean to destroy it".to_string()
                                } else {
                                    format!(
                                        "{} forces replacement; keep the old value, or remove prevent_destroy first",
                                        planned.replace_reasons.join(", ")
                                    )
                                }),
                            );
                        }
                        let attribute_changes = match planned.action {
                            Action::NoOp => Vec::new(),
                            Action::Delete => Vec::new(),
                            _ => attribute_changes(
                                resource.schema(),
                                prior.as_ref(),
                                &planned.after,
                                &sensitive,
                            ),
                        };
                        sensitive_attributes.extend(sensitive.iter().cloned());
                        values.push((instance.key.clone(), planned.after.clone()));
                        self.seen_addresses.insert(address.clone());
                        addresses.push(address.clone());
                        self.action_of.insert(address.clone(), planned.action);
                        let state_dependencies = prior_record
                            .map(|record| record.dependencies.clone())
                            .unwrap_or_default();
                        let moved_from = self.moved_from.get(&address).cloned();
                        self.changes.push(Change {
                            address,
                            type_name: block.type_name.clone(),
                            action: planned.action,
                            replace_reasons: planned.replace_reasons,
                            before: prior,
                            after: if planned.action == Action::Delete {
                                None
                            } else {
                                Some(planned.after)
                            },
                            attribute_changes,
                            sensitive_attributes: sensitive,
                            dependencies: if request.destroy {
                                state_dependencies.clone()
                            } else {
                                dependencies.clone()
                            },
                            prior_dependencies: state_dependencies,
                            explicit_dependencies: explicit_dependencies.clone(),
                            timeouts: config
                                .timeouts
                                .iter()
                                .map(|(key, limit)| (key.clone(), limit.as_millis() as u64))
                                .collect(),
                            create_before_destroy: block.lifecycle.create_before_destroy,
                            cloud_id: prior_record
                                .and_then(|record| record.cloud_id.clone())
                                .or(imported_id),
                            read_reason: None,
                            provider: provider.clone(),
                            prior_provider,
                            moved_from,
                            import_id,
                        });
                    }
                    instances_of_block.insert(node.clone(), addresses);
                    scope.resources.insert(
                        (block.type_name.clone(), block.name.clone()),
                        BlockValue {
                            value: block_value(block, &values),
                            sensitive_attributes,
                        },
                    );
                }
                SpecNode::Module(index) => {
                    let call = &spec.modules[*index];
                    if is_root {
                        self.evaluate_configurations(spec, &scope);
                    }
                    let providers = child_providers(call, &context.providers);
                    let mut call_dependencies = context.dependencies.clone();
                    let depends_on: Vec<_> = call
                        .depends_on
                        .iter()
                        .flat_map(|expr| expr.references())
                        .collect();
                    for address in reach_addresses(
                        &graph.reach(&depends_on),
                        &instances_of_block,
                        &planned_modules,
                        context,
                    ) {
                        if !call_dependencies.contains(&address) {
                            call_dependencies.push(address);
                        }
                    }
                    let instances =
                        module_instances(call, &context.path, &scope, graph, &mut self.diagnostics);
                    let mut results = Vec::new();
                    let mut values = Vec::new();
                    for instance in instances {
                        let child_scope = module_scope(
                            registry,
                            &call.module,
                            &scope,
                            request.environment,
                            &instance,
                        );
                        let child_context = ModuleContext {
                            path: instance.path.clone(),
                            variable_dependencies: instance
                                .argument_reach
                                .iter()
                                .map(|(name, reach)| {
                                    (
                                        name.clone(),
                                        reach_addresses(
                                            reach,
                                            &instances_of_block,
                                            &planned_modules,
                                            context,
                                        ),
                                    )
                                })
                                .collect(),
                            dependencies: call_dependencies.clone(),
                            providers: providers.clone(),
                        };
                        let result = self.module(
                            &call.module,
                            &graphs.children[*index],
                            child_scope,
                            &child_context,
                        );
                        values.push((instance.key.clone(), result.outputs.clone()));
                        results.push(result);
                    }
                    let (value, sensitive_outputs) = module_value(call, &values);
                    scope.modules.insert(
                        call.name.clone(),
                        BlockValue {
                            value,
                            sensitive_attributes: sensitive_outputs,
                        },
                    );
                    for result in &results {
                        planned.addresses.extend(result.addresses.iter().cloned());
                    }
                    planned_modules.insert(*index, results);
                }
                SpecNode::Data(index) => {
                    let block = &spec.data_sources[*index];
                    let Some(data_source) = registry.data_source(&block.type_name) else {
                        scope.data.insert(
                            (block.type_name.clone(), block.name.clone()),
                            BlockValue {
                                value: Value::Unknown,
                                sensitive_attributes: BTreeSet::new(),
                            },
                        );
                        continue;
                    };
                    let shown = data_block_for_messages(block);
                    // Read through the block's `provider = aws.<alias>`, mapped through the
                    // module calls (an unknown alias is an error at the reference).
                    let provider = self.configuration(block, context);
                    if offline && repetition_unknown(block, &scope) {
                        scope.data.insert(
                            (block.type_name.clone(), block.name.clone()),
                            BlockValue {
                                value: Value::Unknown,
                                sensitive_attributes: BTreeSet::new(),
                            },
                        );
                        continue;
                    }
                    let mut block_label = module_path_text(&context.path);
                    if !block_label.is_empty() {
                        block_label.push('.');
                    }
                    block_label.push_str(&block.data_address());
                    let instances = match expand_meta_arguments(
                        block.count.as_ref(),
                        block.for_each.as_ref(),
                        &block_label,
                        &scope,
                    ) {
                        Ok(instances) => instances,
                        Err(diagnostic) => {
                            self.diagnostics.push(diagnostic);
                            Vec::new()
                        }
                    };
                    let dependencies = block_instance_dependencies(
                        graph,
                        node,
                        block,
                        &instances_of_block,
                        &planned_modules,
                        context,
                    );
                    // Terraform defers a read whose `depends_on` (or its module call's) has
                    // changes pending.
                    let mut depends_on_addresses: Vec<String> = graph.data_depends_on[*index]
                        .iter()
                        .flat_map(|dependency| {
                            instances_of_block
                                .get(dependency)
                                .cloned()
                                .unwrap_or_default()
                        })
                        .collect();
                    let depends_on_references: Vec<_> = block
                        .depends_on
                        .iter()
                        .flat_map(|expr| expr.references())
                        .collect();
                    let mut depends_on_reach = graph.reach(&depends_on_references);
                    depends_on_reach.resources.clear();
                    depends_on_reach.data.clear();
                    depends_on_reach.variables.clear();
                    depends_on_addresses.extend(reach_addresses(
                        &depends_on_reach,
                        &instances_of_block,
                        &planned_modules,
                        context,
                    ));
                    depends_on_addresses.extend(context.dependencies.iter().cloned());
                    let depends_on_pending = depends_on_addresses.iter().any(|address| {
                        self.action_of
                            .get(address)
                            .is_some_and(|action| *action != Action::NoOp)
                    });
                    let mut values = Vec::new();
                    let mut block_sensitive = BTreeSet::new();
                    let mut addresses = Vec::new();
                    for instance in instances {
                        let address = data_address_text(
                            &ResourceAddr::new(&block.type_name, &block.name, instance.key.clone())
                                .in_module(&context.path),
                        );
                        let instance_scope = InstanceScope {
                            stack: &scope,
                            count: instance.count.clone(),
                            each: instance.each.clone(),
                        };
                        let config = evaluate_config(
                            data_source.schema(),
                            &block.body,
                            &instance_scope,
                            &if context.path.is_empty() {
                                shown.address()
                            } else {
                                block_label.clone()
                            },
                            &block.type_span,
                            &mut self.diagnostics,
                        );
                        let prior_record = self.state_by_address.get(address.as_str()).copied();
                        let prior = prior_record.map(record_attributes);
                        let sensitive =
                            sensitive_attributes(data_source.as_ref(), &config.sensitive);
                        let arguments = read_arguments(data_source.as_ref(), &config.attributes);
                        let arguments_known = !arguments.values().any(Value::contains_unknown);
                        let (action, after) = if request.destroy {
                            match &prior {
                                Some(prior) => (Action::Delete, prior.clone()),
                                None => (
                                    Action::NoOp,
                                    deferred_attributes(data_source.as_ref(), &arguments),
                                ),
                            }
                        } else if !arguments_known || depends_on_pending {
                            (
                                Action::Read,
                                deferred_attributes(data_source.as_ref(), &arguments),
                            )
                        } else if let Some(reader) = self.reader {
                            match reader.read(data_source.as_ref(), &address, &provider, &arguments)
                            {
                                Ok(result) => (
                                    Action::NoOp,
                                    completed_result(data_source.as_ref(), &arguments, result),
                                ),
                                Err(error) => {
                                    self.diagnostics.push(
                                        Diagnostic::error(
                                            format!("{address}: {error}"),
                                            Some(block.name_span.clone()),
                                        )
                                        .with_label("this data source could not be read")
                                        .with_hint(read_error_hint(&error)),
                                    );
                                    (
                                        Action::NoOp,
                                        deferred_attributes(data_source.as_ref(), &arguments),
                                    )
                                }
                            }
                        } else {
                            (
                                Action::NoOp,
                                deferred_attributes(data_source.as_ref(), &arguments),
                            )
                        };
                        let attribute_changes = if action == Action::Read {
                            attribute_changes(data_source.schema(), None, &after, &sensitive)
                        } else {
                            Vec::new()
                        };
                        block_sensitive.extend(sensitive.iter().cloned());
                        values.push((instance.key.clone(), after.clone()));
                        self.seen_addresses.insert(address.clone());
                        addresses.push(address.clone());
                        self.action_of.insert(address.clone(), action);
                        let state_dependencies = prior_record
                            .map(|record| record.dependencies.clone())
                            .unwrap_or_default();
                        let moved_from = self.moved_from.get(&address).cloned();
                        self.changes.push(Change {
                            address,
                            type_name: block.type_name.clone(),
                            action,
                            replace_reasons: Vec::new(),
                            before: prior,
                            after: if action == Action::Delete {
                                None
                            } else {
                                Some(after)
                            },
                            attribute_changes,
                            sensitive_attributes: sensitive,
                            dependencies: if request.destroy {
                                state_dependencies.clone()
                            } else {
                                dependencies.clone()
                            },
                            prior_dependencies: state_dependencies,
                            explicit_dependencies: Vec::new(),
                            timeouts: Default::default(),
                            create_before_destroy: false,
                            cloud_id: None,
                            read_reason: (action == Action::Read).then(|| {
                                let reason = if arguments_known {
                                    "depends on a resource or a module with changes pending"
                                } else {
                                    "config refers to values not yet known"
                                };
                                reason.to_string()
                            }),
                            provider: provider.clone(),
                            prior_provider: None,
                            moved_from,
                            import_id: None,
                        });
                    }
                    instances_of_block.insert(node.clone(), addresses);
                    scope.data.insert(
                        (block.type_name.clone(), block.name.clone()),
                        BlockValue {
                            value: block_value(block, &values),
                            sensitive_attributes: block_sensitive,
                        },
                    );
                }
                SpecNode::Output(index) => {
                    let output = &spec.outputs[*index];
                    let evaluated = match evaluate(&output.value, &scope) {
                        Ok(evaluated) => evaluated,
                        Err(diagnostic) => {
                            self.diagnostics.push(diagnostic);
                            continue;
                        }
                    };
                    if is_root {
                        self.outputs.push(OutputChange {
                            name: output.name.clone(),
                            before: request.prior_outputs.get(&output.name).cloned(),
                            after: if request.destroy {
                                None
                            } else {
                                Some(evaluated.value)
                            },
                            sensitive: output.sensitive || evaluated.sensitive,
                        });
                    } else {
                        planned.output_dependencies.insert(
                            output.name.clone(),
                            reach_addresses(
                                &graph.reach(&output.value.references()),
                                &instances_of_block,
                                &planned_modules,
                                context,
                            ),
                        );
                        planned.outputs.insert(
                            output.name.clone(),
                            (evaluated.value, output.sensitive || evaluated.sensitive),
                        );
                    }
                }
            }
        }
        for addresses in instances_of_block.values() {
            planned.addresses.extend(addresses.iter().cloned());
        }
        planned
    }
}

/// The instance addresses a resource or data block depends on: the instances of the blocks it
/// depends on in its module's graph, what its body and meta-arguments reach beyond its own
/// module's blocks (through module outputs), and its module call's own dependencies.
fn block_instance_dependencies(
    graph: &SpecGraph,
    node: &SpecNode,
    block: &ResourceBlock,
    instances_of_block: &HashMap<SpecNode, Vec<String>>,
    planned_modules: &HashMap<usize, Vec<PlannedModule>>,
    context: &ModuleContext,
) -> Vec<String> {
    let mut dependencies: Vec<String> = graph
        .block_dependencies
        .get(node)
        .into_iter()
        .flatten()
        .flat_map(|dependency| {
            instances_of_block
                .get(dependency)
                .cloned()
                .unwrap_or_default()
        })
        .collect();
    let mut references = block.body.references();
    for expr in block
        .count
        .iter()
        .chain(block.for_each.iter())
        .chain(block.depends_on.iter())
    {
        references.extend(expr.references());
    }
    let mut reach = graph.reach(&references);
    reach.resources.clear();
    reach.data.clear();
    for address in reach_addresses(&reach, instances_of_block, planned_modules, context)
        .into_iter()
        .chain(context.dependencies.iter().cloned())
    {
        if !dependencies.contains(&address) {
            dependencies.push(address);
        }
    }
    dependencies
}

/// The instances a resource block's `depends_on` names (with its module call's), which
/// apply waits on until they are ready.
fn explicit_block_dependencies(
    graph: &SpecGraph,
    block: &ResourceBlock,
    instances_of_block: &HashMap<SpecNode, Vec<String>>,
    planned_modules: &HashMap<usize, Vec<PlannedModule>>,
    context: &ModuleContext,
) -> Vec<String> {
    let references: Vec<_> = block
        .depends_on
        .iter()
        .flat_map(|expr| expr.references())
        .collect();
    let mut reach = graph.reach(&references);
    let mut addresses: Vec<String> = reach
        .resources
        .iter()
        .flat_map(|index| {
            instances_of_block
                .get(&SpecNode::Resource(*index))
                .cloned()
                .unwrap_or_default()
        })
        .collect();
    reach.resources.clear();
    reach.data.clear();
    reach.variables.clear();
    for address in reach_addresses(&reach, instances_of_block, planned_modules, context)
        .into_iter()
        .chain(context.dependencies.iter().cloned())
    {
        if !addresses.contains(&address) {
            addresses.push(address);
        }
    }
    addresses
}

/// The resource instances that what `reach` names stands for, in a module instance: the
/// instances of its resource blocks, what its input variables' arguments depend on, and what
/// the outputs of the modules it calls depend on (all their resources for `module.x` alone).
fn reach_addresses(
    reach: &Reach,
    instances_of_block: &HashMap<SpecNode, Vec<String>>,
    planned_modules: &HashMap<usize, Vec<PlannedModule>>,
    context: &ModuleContext,
) -> Vec<String> {
    let mut addresses: Vec<String> = Vec::new();
    let mut add = |address: &String| {
        if !addresses.contains(address) {
            addresses.push(address.clone());
        }
    };
    for index in &reach.resources {
        instances_of_block
            .get(&SpecNode::Resource(*index))
            .into_iter()
            .flatten()
            .for_each(&mut add);
    }
    for index in &reach.data {
        instances_of_block
            .get(&SpecNode::Data(*index))
            .into_iter()
            .flatten()
            .for_each(&mut add);
    }
    for variable in &reach.variables {
        context
            .variable_dependencies
            .get(variable)
            .into_iter()
            .flatten()
            .for_each(&mut add);
    }
    for (index, output) in &reach.module_outputs {
        for planned in planned_modules.get(index).into_iter().flatten() {
            let of_output = output
                .as_ref()
                .and_then(|output| planned.output_dependencies.get(output));
            match of_output {
                Some(dependencies) => dependencies.iter().for_each(&mut add),
                None => planned.addresses.iter().for_each(&mut add),
            }
        }
    }
    addresses
}

/// What to do about a data source that could not be read.
fn read_error_hint(error: &provision_core::ProviderError) -> String {
    if error.is_not_found() {
        "nothing matched: check the arguments and filters, the region and the account".to_string()
    } else if error.is_unreachable() {
        "AWS could not be reached: check the network, the region and AWS_ENDPOINT_URL".to_string()
    } else {
        "check the arguments, and that the credentials may make this call".to_string()
    }
}

/// A state record's attributes as values.
pub fn record_attributes(record: &ResourceRecord) -> Attributes {
    match Value::from_json(&record.attributes) {
        Value::Map(entries) => entries,
        _ => Attributes::new(),
    }
}

/// Diagnostics in file and line order (those without a span last), so one pass reads top to
/// bottom.
fn sorted(mut diagnostics: Diagnostics) -> Diagnostics {
    diagnostics.items.sort_by_key(|diagnostic| {
        diagnostic
            .span
            .as_ref()
            .map_or((u32::MAX, usize::MAX), |span| {
                (span.file.0, span.range.start)
            })
    });
    diagnostics
}

/// The same problem reported for every instance of a block is reported once.
fn deduplicate(diagnostics: Diagnostics) -> Diagnostics {
    let mut seen = BTreeSet::new();
    let mut unique = Diagnostics::new();
    for diagnostic in diagnostics.items {
        let key = (
            diagnostic.summary.clone(),
            diagnostic
                .span
                .as_ref()
                .map(|span| (span.file, span.range.start, span.range.end)),
        );
        if seen.insert(key) {
            unique.push(diagnostic);
        }
    }
    unique
}
