//! `import {}` blocks in a plan, as Terraform plans them: each block's `id` is evaluated at plan
//! time (literals, variables and locals), and the instance at `to` is planned against the cloud
//! object that ID names (read through the type's `import`) instead of against state, so the
//! plan shows the import and any update the spec then asks for. An address already in state
//! makes the block a no-op.

use std::collections::BTreeMap;

use provision_core::{Registry, Value};

use super::scope::StackScope;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::eval::evaluate;
use crate::spec::{ImportBlock, Spec};
use crate::variables::InputVariables;

/// One `import {}` block, evaluated.
#[derive(Debug, Clone)]
pub struct PlannedImport {
    /// The import ID, in the type's import format.
    pub id: String,
    /// The block's `provider = ...` configuration key (`aws.west`), when it names one.
    pub provider: Option<String>,
    pub block: ImportBlock,
}

/// The root module's import blocks by target address, their IDs evaluated in a scope of the
/// variables and the locals that do not depend on resources. Errors go to `diagnostics`.
pub fn evaluate_imports(
    spec: &Spec,
    registry: &Registry,
    variables: &InputVariables,
    environment: Option<&str>,
    diagnostics: &mut Diagnostics,
) -> BTreeMap<String, PlannedImport> {
    let mut imports = BTreeMap::new();
    if spec.imports.is_empty() {
        return imports;
    }
    let mut scope = StackScope::new(registry, &spec.directory.display().to_string(), environment);
    scope.variables = variables.values.clone();
    scope.sensitive_variables = variables.sensitive.clone();
    // Locals in any order: each pass adds those whose references are known by now.
    for _ in 0..spec.locals.len() {
        let mut added = false;
        for local in &spec.locals {
            if scope.locals.contains_key(&local.name) {
                continue;
            }
            if let Ok(evaluated) = evaluate(&local.expr, &scope) {
                if !evaluated.value.contains_unknown() {
                    scope.locals.insert(local.name.clone(), evaluated.value);
                    added = true;
                }
            }
        }
        if !added {
            break;
        }
    }
    for block in &spec.imports {
        let id = match evaluate(&block.id, &scope) {
            Ok(evaluated) => match &evaluated.value {
                Value::String(text) if !text.is_empty() => text.clone(),
                Value::Number(_) => evaluated.value.to_template_string().unwrap_or_default(),
                value => {
                    diagnostics.push(
                        Diagnostic::error(
                            format!("invalid import ID for {}", block.to.text),
                            Some(block.id.span.clone()),
                        )
                        .with_label(if value.contains_unknown() {
                            "known only after apply".to_string()
                        } else {
                            format!("got {value}")
                        })
                        .with_hint("the ID must be a non-empty string known at plan time (a literal, a variable or a local); `provision types --json` gives each type's import ID format"),
                    );
                    continue;
                }
            },
            Err(diagnostic) => {
                diagnostics.push(diagnostic.with_hint(
                    "an import ID may use literals, variables and locals, not resource attributes",
                ));
                continue;
            }
        };
        imports.insert(
            block.to.text.clone(),
            PlannedImport {
                id,
                provider: block
                    .provider
                    .as_ref()
                    .map(|reference| reference.configuration_key()),
                block: block.clone(),
            },
        );
    }
    imports
}

/// The error for an import block whose `to` names no resource instance of the spec.
pub fn missing_target(import: &PlannedImport) -> Diagnostic {
    let (type_name, name) = import
        .block
        .to
        .resource
        .as_ref()
        .map(|(type_name, name, _)| (type_name.clone(), name.clone()))
        .unwrap_or_default();
    Diagnostic::error(
        format!("import target {} is not in the spec", import.block.to.text),
        Some(import.block.to.span.clone()),
    )
    .with_label("no resource instance at this address")
    .with_hint(format!(
        "add `resource \"{type_name}\" \"{name}\" {{ ... }}` (with the instance key, if any), or run `provision plan DIR --generate-config-out=FILE` to write the block from the cloud object"
    ))
}
