//! Exporting one stack from the SQLite store and importing one into it, rows as stored, for
//! `provision state migrate` (see `transfer.rs`).

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension};

use crate::error::StateError;
use crate::store::Store as SqliteStore;
use crate::transfer::{
    StackExport, StoredDriftFinding, StoredDriftRun, StoredEvent, StoredOutput,
    StoredPendingOperation, StoredPlan, StoredResource, StoredRun,
};

impl SqliteStore {
    /// Every row of `stack`, as stored.
    pub fn export_stack(&self, stack: &str) -> Result<StackExport, StateError> {
        let connection = &self.connection;
        let stack_row = self
            .stack(stack)?
            .ok_or_else(|| StateError::UnknownStack(stack.to_string()))?;
        let resources = connection
            .prepare(
                "SELECT address, type, cloud_id, attributes, sensitive, dependencies, status, updated_at,
                    provider
                 FROM resources WHERE stack = ?1 ORDER BY address",
            )?
            .query_map([stack], |row| {
                Ok(StoredResource {
                    address: row.get(0)?,
                    type_name: row.get(1)?,
                    cloud_id: row.get(2)?,
                    attributes: row.get(3)?,
                    sensitive: row.get(4)?,
                    dependencies: row.get(5)?,
                    status: row.get(6)?,
                    updated_at: row.get(7)?,
                    provider: row.get(8)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let outputs = connection
            .prepare("SELECT name, value, sensitive FROM outputs WHERE stack = ?1 ORDER BY name")?
            .query_map([stack], |row| {
                Ok(StoredOutput {
                    name: row.get(0)?,
                    value: row.get(1)?,
                    sensitive: row.get(2)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let pending_operations = connection
            .prepare(
                "SELECT id, run_id, address, type, kind, idempotency_token, desired, started_at,
                    provider
                 FROM pending_operations WHERE stack = ?1 ORDER BY id",
            )?
            .query_map([stack], |row| {
                Ok(StoredPendingOperation {
                    id: row.get(0)?,
                    run_id: row.get(1)?,
                    address: row.get(2)?,
                    type_name: row.get(3)?,
                    kind: row.get(4)?,
                    idempotency_token: row.get(5)?,
                    desired: row.get(6)?,
                    started_at: row.get(7)?,
                    provider: row.get(8)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let plans = connection
            .prepare(
                "SELECT lineage, state_serial, spec_hash, plan_json, created_at
                 FROM plans WHERE stack = ?1 ORDER BY id",
            )?
            .query_map([stack], |row| {
                Ok(StoredPlan {
                    lineage: row.get(0)?,
                    state_serial: row.get(1)?,
                    spec_hash: row.get(2)?,
                    plan_json: row.get(3)?,
                    created_at: row.get(4)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut runs = connection
            .prepare(
                "SELECT id, kind, status, started_at, finished_at, summary, details, pid, host, process_start
                 FROM runs WHERE stack = ?1 ORDER BY id",
            )?
            .query_map([stack], |row| {
                Ok(StoredRun {
                    id: row.get(0)?,
                    kind: row.get(1)?,
                    status: row.get(2)?,
                    started_at: row.get(3)?,
                    finished_at: row.get(4)?,
                    summary: row.get(5)?,
                    details: row.get(6)?,
                    pid: row.get(7)?,
                    host: row.get(8)?,
                    process_start: row.get(9)?,
                    events: Vec::new(),
                    drift: None,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut events_statement = connection.prepare(
            "SELECT address, action, status, message, duration_ms, at
             FROM events WHERE run_id = ?1 ORDER BY id",
        )?;
        let mut drift_statement = connection.prepare(
            "SELECT checked_at, resources_checked, api_calls, duration_ms
             FROM drift_runs WHERE run_id = ?1",
        )?;
        let mut findings_statement = connection.prepare(
            "SELECT address, type, cloud_id, kind, details FROM drift_findings
             WHERE run_id = ?1 ORDER BY id",
        )?;
        for run in &mut runs {
            run.events = events_statement
                .query_map([run.id], |row| {
                    Ok(StoredEvent {
                        address: row.get(0)?,
                        action: row.get(1)?,
                        status: row.get(2)?,
                        message: row.get(3)?,
                        duration_ms: row.get(4)?,
                        at: row.get(5)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            run.drift = drift_statement
                .query_row([run.id], |row| {
                    Ok(StoredDriftRun {
                        checked_at: row.get(0)?,
                        resources_checked: row.get(1)?,
                        api_calls: row.get(2)?,
                        duration_ms: row.get(3)?,
                        findings: Vec::new(),
                    })
                })
                .optional()?;
            if let Some(drift) = &mut run.drift {
                drift.findings = findings_statement
                    .query_map([run.id], |row| {
                        Ok(StoredDriftFinding {
                            address: row.get(0)?,
                            type_name: row.get(1)?,
                            cloud_id: row.get(2)?,
                            kind: row.get(3)?,
                            details: row.get(4)?,
                        })
                    })?
                    .collect::<Result<Vec<_>, _>>()?;
            }
        }
        Ok(StackExport {
            stack: stack_row,
            resources,
            outputs,
            pending_operations,
            plans,
            runs,
        })
    }

    /// Writes `export` in one immediate transaction, refusing a stack that already holds
    /// anything here.
    pub fn import_stack(&mut self, export: &StackExport) -> Result<(), StateError> {
        let name = export.stack.name.as_str();
        if self.stack(name)?.is_some() {
            let existing = self.export_stack(name)?;
            if !existing.is_empty() || existing.stack.serial != 0 {
                return Err(StateError::TargetNotEmpty {
                    stack: name.to_string(),
                    target: self.describe(),
                    summary: existing.summary().to_string(),
                });
            }
        }
        let transaction = self.write_transaction()?;
        transaction.execute("DELETE FROM stacks WHERE name = ?1", [name])?;
        transaction.execute(
            "INSERT INTO stacks (name, lineage, serial, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                name,
                export.stack.lineage,
                export.stack.serial,
                export.stack.created_at,
                export.stack.updated_at
            ],
        )?;
        for resource in &export.resources {
            transaction.execute(
                "INSERT INTO resources
                    (stack, address, type, cloud_id, attributes, sensitive, dependencies, status, updated_at,
                     provider)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    name,
                    resource.address,
                    resource.type_name,
                    resource.cloud_id,
                    resource.attributes,
                    resource.sensitive,
                    resource.dependencies,
                    resource.status,
                    resource.updated_at,
                    resource.provider
                ],
            )?;
        }
        for output in &export.outputs {
            transaction.execute(
                "INSERT INTO outputs (stack, name, value, sensitive) VALUES (?1, ?2, ?3, ?4)",
                params![name, output.name, output.value, output.sensitive],
            )?;
        }
        for plan in &export.plans {
            transaction.execute(
                "INSERT INTO plans (stack, lineage, state_serial, spec_hash, plan_json, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    name,
                    plan.lineage,
                    plan.state_serial,
                    plan.spec_hash,
                    plan.plan_json,
                    plan.created_at
                ],
            )?;
        }
        let mut run_ids: HashMap<i64, i64> = HashMap::new();
        for run in &export.runs {
            transaction.execute(
                "INSERT INTO runs (stack, kind, status, started_at, finished_at, summary, details, pid, host, process_start)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    name,
                    run.kind,
                    run.status,
                    run.started_at,
                    run.finished_at,
                    run.summary,
                    run.details,
                    run.pid,
                    run.host,
                    run.process_start
                ],
            )?;
            let id = transaction.last_insert_rowid();
            run_ids.insert(run.id, id);
            for event in &run.events {
                transaction.execute(
                    "INSERT INTO events (run_id, address, action, status, message, duration_ms, at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![
                        id,
                        event.address,
                        event.action,
                        event.status,
                        event.message,
                        event.duration_ms,
                        event.at
                    ],
                )?;
            }
            if let Some(drift) = &run.drift {
                transaction.execute(
                    "INSERT INTO drift_runs (run_id, stack, checked_at, resources_checked, api_calls, duration_ms)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![
                        id,
                        name,
                        drift.checked_at,
                        drift.resources_checked,
                        drift.api_calls,
                        drift.duration_ms
                    ],
                )?;
                for finding in &drift.findings {
                    transaction.execute(
                        "INSERT INTO drift_findings (run_id, address, type, cloud_id, kind, details)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        params![
                            id,
                            finding.address,
                            finding.type_name,
                            finding.cloud_id,
                            finding.kind,
                            finding.details
                        ],
                    )?;
                }
            }
        }
        for operation in &export.pending_operations {
            let run_id = run_ids.get(&operation.run_id).copied().ok_or_else(|| {
                StateError::Corrupt(format!(
                    "pending operation {} of stack {name} belongs to run {}, which is not exported",
                    operation.id, operation.run_id
                ))
            })?;
            transaction.execute(
                "INSERT INTO pending_operations
                    (stack, run_id, address, type, kind, idempotency_token, desired, started_at,
                     provider)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    name,
                    run_id,
                    operation.address,
                    operation.type_name,
                    operation.kind,
                    operation.idempotency_token,
                    operation.desired,
                    operation.started_at,
                    operation.provider
                ],
            )?;
        }
        transaction.commit()?;
        Ok(())
    }

    /// The database file, for messages.
    pub fn describe(&self) -> String {
        match self.connection.path() {
            Some(path) if !path.is_empty() => path.to_string(),
            _ => "an in-memory state database".to_string(),
        }
    }
}
