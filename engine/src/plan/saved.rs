//! Saved plans: what `provision plan` stores in the state database for `provision apply` —
//! the plan without planned values or diffs (apply re-evaluates them), with every sensitive
//! value redacted, and the variable values it was made with (sensitive ones only as hashes).

use std::collections::BTreeMap;

use provision_core::Value;
use serde::{Deserialize, Serialize};

use super::Plan;
use crate::variables::InputVariables;

/// A plan saved in the state database: the plan and the variable values it was made with.
/// Sensitive values are never stored: the plan's sensitive attributes and outputs are redacted,
/// and sensitive variables are kept only as salted hashes, so `apply` re-reads them from the
/// same sources (tfvars, environment, or `--var` given again) and checks they did not change.
#[derive(Debug, Serialize, Deserialize)]
pub struct SavedPlan {
    pub plan: Plan,
    /// Values of the non-sensitive variables.
    pub variables: BTreeMap<String, Value>,
    /// Name → SHA-256 of (lineage, name, value) for each sensitive variable.
    #[serde(default)]
    pub sensitive_variable_hashes: BTreeMap<String, String>,
}

/// The hash a saved plan keeps of a sensitive variable's value.
pub fn sensitive_value_hash(lineage: &str, name: &str, value: &Value) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(lineage.as_bytes());
    hasher.update([0]);
    hasher.update(name.as_bytes());
    hasher.update([0]);
    hasher.update(value.to_json().to_string().as_bytes());
    hex::encode(hasher.finalize())
}

/// What a saved plan keeps: apply re-evaluates every instance from the (hash-checked) spec and
/// variables, so the planned values and attribute diffs are not stored, only the actions,
/// order, dependencies and prior attributes.
pub fn slim_plan(mut plan: Plan) -> Plan {
    for change in &mut plan.changes {
        change.after = None;
        change.attribute_changes = Vec::new();
    }
    plan
}

/// The plan with every sensitive value replaced by `(sensitive value)`.
pub fn redact_plan(plan: &Plan) -> Plan {
    let hidden = || Value::string("(sensitive value)");
    let mut redacted = plan.clone();
    for change in &mut redacted.changes {
        let sensitive = change.sensitive_attributes.clone();
        for attributes in [change.before.as_mut(), change.after.as_mut()]
            .into_iter()
            .flatten()
        {
            for name in &sensitive {
                if let Some(value) = attributes.get_mut(name) {
                    if !value.is_null() && *value != Value::Unknown {
                        *value = hidden();
                    }
                }
            }
        }
        for attribute in &mut change.attribute_changes {
            if attribute.sensitive || sensitive.contains(&attribute.name) {
                for value in [attribute.before.as_mut(), attribute.after.as_mut()]
                    .into_iter()
                    .flatten()
                {
                    if !value.is_null() && *value != Value::Unknown {
                        *value = hidden();
                    }
                }
            }
        }
    }
    for output in &mut redacted.outputs {
        if output.sensitive {
            for value in [output.before.as_mut(), output.after.as_mut()]
                .into_iter()
                .flatten()
            {
                if !value.is_null() && *value != Value::Unknown {
                    *value = hidden();
                }
            }
        }
    }
    redacted
}

impl SavedPlan {
    /// The record to save for `plan`, made with `variables` against a stack of `lineage`.
    pub fn new(plan: &Plan, variables: &InputVariables, lineage: &str) -> SavedPlan {
        SavedPlan {
            plan: slim_plan(redact_plan(plan)),
            variables: variables
                .values
                .iter()
                .filter(|(name, _)| !variables.sensitive.contains(*name))
                .map(|(name, value)| (name.clone(), value.clone()))
                .collect(),
            sensitive_variable_hashes: variables
                .sensitive
                .iter()
                .filter_map(|name| {
                    let value = variables.values.get(name)?;
                    Some((name.clone(), sensitive_value_hash(lineage, name, value)))
                })
                .collect(),
        }
    }

    /// The JSON stored in the state database.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }
}
