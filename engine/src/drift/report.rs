//! `DriftReport`: what one drift check found (modified, deleted and unmanaged resources, and the
//! changes the spec itself would make), and its stable JSON form (`format_version` "1",
//! documented in docs/drift.md).

use provision_core::Value;
use provision_state::{DriftFindingRecord, DriftKind};
use serde::Serialize;
use serde_json::json;

/// What sensitive values are shown as.
pub const REDACTED: &str = "(sensitive value)";

/// One attribute that differs from what was last applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttributeDrift {
    /// Top-level attribute or block name (`tags`, `ingress`).
    pub attribute: String,
    /// The value last applied (what state holds).
    pub expected: Value,
    /// The value the cloud holds now.
    pub actual: Value,
    pub sensitive: bool,
}

impl AttributeDrift {
    /// `expected` and `actual` as JSON, redacted when sensitive.
    pub fn to_json(&self) -> serde_json::Value {
        let shown = |value: &Value| {
            if self.sensitive {
                serde_json::Value::String(REDACTED.to_string())
            } else {
                value.to_json()
            }
        };
        json!({
            "attribute": self.attribute,
            "expected": shown(&self.expected),
            "actual": shown(&self.actual),
            "sensitive": self.sensitive,
        })
    }
}

/// One resource that drifted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DriftFinding {
    pub kind: DriftKind,
    /// The resource address; for an unmanaged resource its `provision:address` tag (empty when
    /// it has none).
    pub address: String,
    pub type_name: String,
    /// The cloud id (from state for modified and deleted resources, from the listing for
    /// unmanaged ones).
    pub cloud_id: Option<String>,
    /// For `modified`: what differs. Empty otherwise.
    pub attributes: Vec<AttributeDrift>,
}

impl DriftFinding {
    pub fn to_json(&self) -> serde_json::Value {
        let mut finding = json!({
            "kind": self.kind.as_str(),
            "address": self.address,
            "type": self.type_name,
            "id": self.cloud_id,
        });
        if self.kind == DriftKind::Modified {
            finding["attributes"] = self
                .attributes
                .iter()
                .map(AttributeDrift::to_json)
                .collect();
        }
        finding
    }

    /// The record kept in the state database (sensitive values already redacted).
    pub fn to_record(&self) -> DriftFindingRecord {
        DriftFindingRecord {
            address: self.address.clone(),
            type_name: self.type_name.clone(),
            cloud_id: self.cloud_id.clone(),
            kind: self.kind,
            details: self
                .attributes
                .iter()
                .map(AttributeDrift::to_json)
                .collect(),
        }
    }
}

/// A change the spec asks for that has not been applied (not drift: the spec moved, not the
/// cloud).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PendingSpecChange {
    pub address: String,
    /// `create`, `update`, `replace`, `delete`.
    pub action: String,
    /// Names of the attributes the change touches.
    pub attributes: Vec<String>,
}

/// The outcome of one drift check of a stack.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct DriftReport {
    pub stack: String,
    /// Unix seconds: when the reads started.
    pub checked_at: i64,
    /// Resources in state that were read.
    pub resources_checked: usize,
    /// Modified, then deleted, then unmanaged; by address within each kind.
    pub findings: Vec<DriftFinding>,
    pub spec_changes: Vec<PendingSpecChange>,
    /// API calls the check made, per `service:operation`.
    pub api_calls: std::collections::BTreeMap<String, u64>,
    pub duration_ms: u64,
}

impl DriftReport {
    /// True when nothing drifted (pending spec changes do not count).
    pub fn in_sync(&self) -> bool {
        self.findings.is_empty()
    }

    pub fn count(&self, kind: DriftKind) -> usize {
        self.findings
            .iter()
            .filter(|finding| finding.kind == kind)
            .count()
    }

    /// One line for `provision history`.
    pub fn summary(&self) -> String {
        if self.in_sync() {
            format!("in sync ({} resources checked)", self.resources_checked)
        } else {
            format!(
                "drift: {} modified, {} deleted, {} unmanaged ({} resources checked)",
                self.count(DriftKind::Modified),
                self.count(DriftKind::Deleted),
                self.count(DriftKind::Unmanaged),
                self.resources_checked
            )
        }
    }

    /// The `--json` document (schema `format_version` "1", see docs/drift.md).
    pub fn to_json(&self) -> serde_json::Value {
        let total_calls: u64 = self.api_calls.values().sum();
        json!({
            "format_version": "1",
            "stack": self.stack,
            "checked_at": self.checked_at,
            "in_sync": self.in_sync(),
            "summary": {
                "checked": self.resources_checked,
                "modified": self.count(DriftKind::Modified),
                "deleted": self.count(DriftKind::Deleted),
                "unmanaged": self.count(DriftKind::Unmanaged),
                "spec_changes": self.spec_changes.len(),
            },
            "drift": self.findings.iter().map(DriftFinding::to_json).collect::<Vec<_>>(),
            "spec_changes": self.spec_changes.iter().map(|change| json!({
                "address": change.address,
                "action": change.action,
                "attributes": change.attributes,
            })).collect::<Vec<_>>(),
            "stats": {
                "api_calls": total_calls,
                "api_calls_by_operation": self.api_calls,
                "duration_ms": self.duration_ms,
            },
        })
    }
}
