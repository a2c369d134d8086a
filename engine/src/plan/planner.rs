//! The planner: evaluates a spec in dependency order against the state and produces a `Plan`
//! (NoOp / Create / Update / Replace / Delete per instance, attribute diffs, outputs). Also the
//! pieces the apply engine reuses to re-evaluate an instance with now-known values.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use provision_resources::{Attributes, Registry, Resource, Value};
use provision_state::ResourceRecord;

use super::config::{evaluate_config_of_type, InstanceConfig};
use super::diff::{attribute_changes, blocks_equal, values_equal};
use super::scope::{BlockValue, InstanceScope, StackScope};
use super::{Action, Change, OutputChange, Plan};
use crate::address::{InstanceKey, ResourceAddr};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::eval::evaluate;
use crate::graph::spec_graph::{SpecGraph, SpecNode};
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

/// Checks that every resource type exists; returns the errors.
pub fn check_resource_types(spec: &Spec, registry: &Registry) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    for resource in &spec.resources {
        if registry.get(&resource.type_name).is_none() {
            let mut diagnostic = Diagnostic::error(
                format!("unknown resource type `{}`", resource.type_name),
                Some(resource.type_span.clone()),
            );
            let replacement = provision_resources::coverage::replacement_hint(&resource.type_name);
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
                provision_resources::coverage::deprecated_replacement(&resource.type_name, name)
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
    diagnostics
}

/// Expands `count` / `for_each` of a block into its instances.
pub fn expand_instances(
    block: &ResourceBlock,
    scope: &StackScope,
) -> Result<Vec<Instance>, Diagnostic> {
    if let Some(count) = &block.count {
        let evaluated = evaluate(count, scope)?;
        let number = match &evaluated.value {
            Value::Unknown => {
                return Err(Diagnostic::error(
                    format!("the `count` of {} is known only after apply", block.address()),
                    Some(count.span.clone()),
                )
                .with_hint("count must be known at plan time: derive it from variables or locals, not from resource attributes"))
            }
            value => value.as_i64().filter(|number| *number >= 0).ok_or_else(|| {
                Diagnostic::error(
                    format!("invalid `count` for {}", block.address()),
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
    if let Some(for_each) = &block.for_each {
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
                                format!("invalid `for_each` for {}", block.address()),
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
                format!(
                    "the `for_each` of {} is known only after apply",
                    block.address()
                ),
                Some(for_each.span.clone()),
            )
            .with_hint(
                "for_each keys must be known at plan time: derive them from variables or locals",
            )),
            other => {
                return Err(Diagnostic::error(
                    format!("invalid `for_each` for {}", block.address()),
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
        &block.address(),
        &block.type_span,
        diagnostics,
    );
    for error in resource.check_config(&config.attributes) {
        let (attribute, message) = match &error {
            provision_resources::ProviderError::InvalidAttribute { attribute, message } => {
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
            Diagnostic::error(
                format!("invalid `{attribute}` on {}", block.address()),
                Some(span),
            )
            .with_label(message)
            .with_hint("fix the value; nothing has been created"),
        );
    }
    config
}

/// Default tags of the provider block, evaluated.
pub fn default_tags(
    spec: &Spec,
    scope: &StackScope,
) -> Result<BTreeMap<String, String>, Diagnostic> {
    let Some(expr) = &spec.provider.default_tags else {
        return Ok(BTreeMap::new());
    };
    let evaluated = evaluate(expr, scope)?;
    match evaluated.value {
        Value::Map(entries) => Ok(entries
            .into_iter()
            .filter_map(|(key, value)| value.to_template_string().map(|text| (key, text)))
            .collect()),
        Value::Null => Ok(BTreeMap::new()),
        other => Err(Diagnostic::error(
            "default_tags must be a map of strings",
            Some(expr.span.clone()),
        )
        .with_label(format!("got a {}", other.type_name()))),
    }
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

/// Makes a plan.
pub fn make_plan(request: &PlanRequest) -> Result<Plan, Diagnostics> {
    let spec = request.spec;
    let registry = request.registry;
    // Unknown types are reported with everything else the same pass finds: their blocks
    // evaluate to unknown values, so references to them raise no second error.
    let mut diagnostics = check_resource_types(spec, registry);
    let graph = match SpecGraph::build(spec, registry) {
        Ok(graph) => graph,
        Err(cycle) => {
            diagnostics.push(cycle);
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

    let state_by_address: HashMap<&str, &ResourceRecord> = request
        .state
        .iter()
        .map(|record| (record.address.as_str(), record))
        .collect();
    let mut default_tag_values: Option<BTreeMap<String, String>> = None;
    let mut changes: Vec<Change> = Vec::new();
    let mut instances_of_block: HashMap<usize, Vec<String>> = HashMap::new();
    let mut seen_addresses: BTreeSet<String> = BTreeSet::new();
    let mut outputs = Vec::new();

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
                        diagnostics.push(diagnostic);
                        scope.locals.insert(local.name.clone(), Value::Unknown);
                    }
                }
            }
            SpecNode::Resource(index) => {
                let block = &spec.resources[*index];
                let Some(resource) = registry.get(&block.type_name) else {
                    scope.resources.insert(
                        (block.type_name.clone(), block.name.clone()),
                        BlockValue {
                            value: Value::Unknown,
                            sensitive_attributes: BTreeSet::new(),
                        },
                    );
                    continue;
                };
                if default_tag_values.is_none() {
                    default_tag_values =
                        Some(default_tags(spec, &scope).unwrap_or_else(|diagnostic| {
                            diagnostics.push(diagnostic);
                            BTreeMap::new()
                        }));
                }
                let tags = default_tag_values.clone().unwrap_or_default();
                let instances = match expand_instances(block, &scope) {
                    Ok(instances) => instances,
                    Err(diagnostic) => {
                        diagnostics.push(diagnostic);
                        Vec::new()
                    }
                };
                let dependencies: Vec<String> = graph.resource_dependencies[*index]
                    .iter()
                    .flat_map(|dependency| {
                        instances_of_block
                            .get(dependency)
                            .cloned()
                            .unwrap_or_default()
                    })
                    .collect();
                let mut values = Vec::new();
                let mut sensitive_attributes = BTreeSet::new();
                let mut addresses = Vec::new();
                for instance in instances {
                    let address =
                        ResourceAddr::new(&block.type_name, &block.name, instance.key.clone())
                            .to_string();
                    let config = instance_config(
                        block,
                        resource.as_ref(),
                        &scope,
                        &instance,
                        &mut diagnostics,
                    );
                    let prior_record = state_by_address.get(address.as_str()).copied();
                    let prior = prior_record.map(record_attributes);
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
                        diagnostics.push(
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
                    seen_addresses.insert(address.clone());
                    addresses.push(address.clone());
                    let state_dependencies = prior_record
                        .map(|record| record.dependencies.clone())
                        .unwrap_or_default();
                    changes.push(Change {
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
                        create_before_destroy: block.lifecycle.create_before_destroy,
                        cloud_id: prior_record.and_then(|record| record.cloud_id.clone()),
                    });
                }
                instances_of_block.insert(*index, addresses);
                scope.resources.insert(
                    (block.type_name.clone(), block.name.clone()),
                    BlockValue {
                        value: block_value(block, &values),
                        sensitive_attributes,
                    },
                );
            }
            SpecNode::Output(index) => {
                let output = &spec.outputs[*index];
                match evaluate(&output.value, &scope) {
                    Ok(evaluated) => outputs.push(OutputChange {
                        name: output.name.clone(),
                        before: request.prior_outputs.get(&output.name).cloned(),
                        after: if request.destroy {
                            None
                        } else {
                            Some(evaluated.value)
                        },
                        sensitive: output.sensitive || evaluated.sensitive,
                    }),
                    Err(diagnostic) => diagnostics.push(diagnostic),
                }
            }
        }
    }

    // What state has and the spec no longer does: delete.
    for record in request.state {
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
            create_before_destroy: false,
            cloud_id: record.cloud_id.clone(),
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
