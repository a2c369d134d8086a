//! A stack as stored, for moving it between stores (`provision state migrate`): the
//! [`StackExport`] record of every row that belongs to one stack, exactly as written (sealed
//! values stay sealed, JSON stays the same text), and its [`ExportSummary`]: counts per kind
//! and a SHA-256 digest that does not depend on the ids either store gave its rows, so a copy
//! can be checked against its source.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::records::Stack;

/// Everything recorded about one stack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StackExport {
    pub stack: Stack,
    /// Ordered by address.
    pub resources: Vec<StoredResource>,
    /// Ordered by name.
    pub outputs: Vec<StoredOutput>,
    /// Oldest first.
    pub pending_operations: Vec<StoredPendingOperation>,
    /// Oldest first.
    pub plans: Vec<StoredPlan>,
    /// Oldest first, each with its events and its drift findings.
    pub runs: Vec<StoredRun>,
}

/// A resource row as stored: its JSON columns as text, sealed values sealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredResource {
    pub address: String,
    pub type_name: String,
    pub cloud_id: Option<String>,
    pub attributes: String,
    pub sensitive: String,
    pub dependencies: String,
    pub status: String,
    pub updated_at: i64,
    /// The provider configuration that owns it (`aws`, `aws.west`).
    pub provider: String,
}

/// An output row as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredOutput {
    pub name: String,
    pub value: String,
    pub sensitive: bool,
}

/// A pending operation as stored; `id` and `run_id` are the source store's ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredPendingOperation {
    pub id: i64,
    pub run_id: i64,
    pub address: String,
    pub type_name: String,
    pub kind: String,
    pub idempotency_token: String,
    pub desired: String,
    pub started_at: i64,
    /// The provider configuration the call went to.
    pub provider: String,
}

/// A saved plan as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredPlan {
    pub lineage: String,
    pub state_serial: i64,
    pub spec_hash: String,
    pub plan_json: String,
    pub created_at: i64,
}

/// A run as stored, with its events and (for a drift run) what it found; `id` is the source
/// store's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredRun {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub started_at: i64,
    pub finished_at: Option<i64>,
    pub summary: String,
    pub details: String,
    pub pid: i64,
    pub host: String,
    pub process_start: Option<String>,
    pub events: Vec<StoredEvent>,
    pub drift: Option<StoredDriftRun>,
}

/// An event as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredEvent {
    pub address: String,
    pub action: String,
    pub status: String,
    pub message: String,
    pub duration_ms: i64,
    pub at: i64,
}

/// A drift run's row as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredDriftRun {
    pub checked_at: i64,
    pub resources_checked: i64,
    pub api_calls: i64,
    pub duration_ms: i64,
    pub findings: Vec<StoredDriftFinding>,
}

/// A drift finding as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredDriftFinding {
    pub address: String,
    pub type_name: String,
    pub cloud_id: Option<String>,
    pub kind: String,
    pub details: String,
}

/// What an export holds, counted, and its digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportSummary {
    pub resources: usize,
    pub outputs: usize,
    pub pending_operations: usize,
    pub plans: usize,
    pub runs: usize,
    pub events: usize,
    pub drift_findings: usize,
    /// SHA-256 (hex) of the export with every store-given id replaced by its position.
    pub digest: String,
}

impl std::fmt::Display for ExportSummary {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            formatter,
            "{} resources, {} outputs, {} runs ({} events, {} drift findings), {} saved plans, \
             {} pending operations; sha256 {}",
            self.resources,
            self.outputs,
            self.runs,
            self.events,
            self.drift_findings,
            self.plans,
            self.pending_operations,
            self.digest
        )
    }
}

impl StackExport {
    /// Whether the stack has nothing recorded beyond its row.
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
            && self.outputs.is_empty()
            && self.pending_operations.is_empty()
            && self.plans.is_empty()
            && self.runs.is_empty()
    }

    /// Counts and digest. The digest covers every field except the ids the store assigned
    /// (runs and pending operations are numbered by position instead), so the same stack in
    /// two stores has the same digest.
    pub fn summary(&self) -> ExportSummary {
        let run_positions: HashMap<i64, i64> = self
            .runs
            .iter()
            .enumerate()
            .map(|(position, run)| (run.id, position as i64))
            .collect();
        let mut normalized = self.clone();
        for (position, run) in normalized.runs.iter_mut().enumerate() {
            run.id = position as i64;
        }
        for (position, operation) in normalized.pending_operations.iter_mut().enumerate() {
            operation.id = position as i64;
            operation.run_id = run_positions.get(&operation.run_id).copied().unwrap_or(-1);
        }
        let text = serde_json::to_string(&normalized).unwrap_or_default();
        ExportSummary {
            resources: self.resources.len(),
            outputs: self.outputs.len(),
            pending_operations: self.pending_operations.len(),
            plans: self.plans.len(),
            runs: self.runs.len(),
            events: self.runs.iter().map(|run| run.events.len()).sum(),
            drift_findings: self
                .runs
                .iter()
                .filter_map(|run| run.drift.as_ref())
                .map(|drift| drift.findings.len())
                .sum(),
            digest: hex::encode(Sha256::digest(text.as_bytes())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn export(run_id: i64) -> StackExport {
        StackExport {
            stack: Stack {
                name: "specs/a/dev".into(),
                lineage: "l".into(),
                serial: 3,
                created_at: 1,
                updated_at: 2,
            },
            resources: Vec::new(),
            outputs: vec![StoredOutput {
                name: "vpc_id".into(),
                value: "\"vpc-1\"".into(),
                sensitive: false,
            }],
            pending_operations: vec![StoredPendingOperation {
                id: run_id + 10,
                run_id,
                address: "aws_vpc.main".into(),
                type_name: "aws_vpc".into(),
                kind: "create".into(),
                idempotency_token: "t".into(),
                desired: "{}".into(),
                started_at: 5,
                provider: "aws".into(),
            }],
            plans: Vec::new(),
            runs: vec![StoredRun {
                id: run_id,
                kind: "apply".into(),
                status: "running".into(),
                started_at: 4,
                finished_at: None,
                summary: String::new(),
                details: String::new(),
                pid: 1,
                host: "h".into(),
                process_start: None,
                events: vec![StoredEvent {
                    address: "aws_vpc.main".into(),
                    action: "create".into(),
                    status: "ok".into(),
                    message: "vpc-1".into(),
                    duration_ms: 3,
                    at: 4,
                }],
                drift: None,
            }],
        }
    }

    #[test]
    fn the_digest_ignores_store_ids_but_not_content() {
        let one = export(7).summary();
        let other = export(900).summary();
        assert_eq!(one, other);
        assert_eq!(one.runs, 1);
        assert_eq!(one.events, 1);
        let mut changed = export(7);
        changed.outputs[0].value = "\"vpc-2\"".into();
        assert_ne!(changed.summary().digest, one.digest);
        assert!(!export(7).is_empty());
    }
}
