//! Exporting one stack from the PostgreSQL store (from one consistent snapshot) and importing
//! one into it (in one transaction), rows as stored, for `provision state migrate`.

use std::collections::HashMap;

use super::{PostgresStore, Session};
use crate::error::StateError;
use crate::records::Stack;
use crate::transfer::{
    StackExport, StoredDriftFinding, StoredDriftRun, StoredEvent, StoredOutput,
    StoredPendingOperation, StoredPlan, StoredResource, StoredRun,
};

fn export_in(session: &mut Session<'_>, stack: &str) -> Result<StackExport, StateError> {
    let stack_row = session
        .query_opt(
            "SELECT name, lineage, serial, created_at, updated_at FROM stacks WHERE name = $1",
            &[&stack],
        )?
        .map(|row| Stack {
            name: row.get(0),
            lineage: row.get(1),
            serial: row.get(2),
            created_at: row.get(3),
            updated_at: row.get(4),
        })
        .ok_or_else(|| StateError::UnknownStack(stack.to_string()))?;
    let resources = session
        .query(
            "SELECT address, type, cloud_id, attributes, sensitive, dependencies, status, updated_at,
                    provider
             FROM resources WHERE stack = $1 ORDER BY address",
            &[&stack],
        )?
        .iter()
        .map(|row| StoredResource {
            address: row.get(0),
            type_name: row.get(1),
            cloud_id: row.get(2),
            attributes: row.get(3),
            sensitive: row.get(4),
            dependencies: row.get(5),
            status: row.get(6),
            updated_at: row.get(7),
            provider: row.get(8),
        })
        .collect();
    let outputs = session
        .query(
            "SELECT name, value, sensitive FROM outputs WHERE stack = $1 ORDER BY name",
            &[&stack],
        )?
        .iter()
        .map(|row| StoredOutput {
            name: row.get(0),
            value: row.get(1),
            sensitive: row.get(2),
        })
        .collect();
    let pending_operations = session
        .query(
            "SELECT id, run_id, address, type, kind, idempotency_token, desired, started_at,
                    provider
             FROM pending_operations WHERE stack = $1 ORDER BY id",
            &[&stack],
        )?
        .iter()
        .map(|row| StoredPendingOperation {
            id: row.get(0),
            run_id: row.get(1),
            address: row.get(2),
            type_name: row.get(3),
            kind: row.get(4),
            idempotency_token: row.get(5),
            desired: row.get(6),
            started_at: row.get(7),
            provider: row.get(8),
        })
        .collect();
    let plans = session
        .query(
            "SELECT lineage, state_serial, spec_hash, plan_json, created_at
             FROM plans WHERE stack = $1 ORDER BY id",
            &[&stack],
        )?
        .iter()
        .map(|row| StoredPlan {
            lineage: row.get(0),
            state_serial: row.get(1),
            spec_hash: row.get(2),
            plan_json: row.get(3),
            created_at: row.get(4),
        })
        .collect();
    let mut runs: Vec<StoredRun> = session
        .query(
            "SELECT id, kind, status, started_at, finished_at, summary, details, pid, host, process_start
             FROM runs WHERE stack = $1 ORDER BY id",
            &[&stack],
        )?
        .iter()
        .map(|row| StoredRun {
            id: row.get(0),
            kind: row.get(1),
            status: row.get(2),
            started_at: row.get(3),
            finished_at: row.get(4),
            summary: row.get(5),
            details: row.get(6),
            pid: row.get(7),
            host: row.get(8),
            process_start: row.get(9),
            events: Vec::new(),
            drift: None,
        })
        .collect();
    // Events and findings of the whole stack in one query each, grouped by run.
    let mut events: HashMap<i64, Vec<StoredEvent>> = HashMap::new();
    for row in session.query(
        "SELECT e.run_id, e.address, e.action, e.status, e.message, e.duration_ms, e.at
         FROM events e JOIN runs r ON r.id = e.run_id WHERE r.stack = $1 ORDER BY e.id",
        &[&stack],
    )? {
        events.entry(row.get(0)).or_default().push(StoredEvent {
            address: row.get(1),
            action: row.get(2),
            status: row.get(3),
            message: row.get(4),
            duration_ms: row.get(5),
            at: row.get(6),
        });
    }
    let mut drift_runs: HashMap<i64, StoredDriftRun> = HashMap::new();
    for row in session.query(
        "SELECT run_id, checked_at, resources_checked, api_calls, duration_ms
         FROM drift_runs WHERE stack = $1",
        &[&stack],
    )? {
        drift_runs.insert(
            row.get(0),
            StoredDriftRun {
                checked_at: row.get(1),
                resources_checked: row.get(2),
                api_calls: row.get(3),
                duration_ms: row.get(4),
                findings: Vec::new(),
            },
        );
    }
    for row in session.query(
        "SELECT f.run_id, f.address, f.type, f.cloud_id, f.kind, f.details
         FROM drift_findings f JOIN drift_runs d ON d.run_id = f.run_id
         WHERE d.stack = $1 ORDER BY f.id",
        &[&stack],
    )? {
        let run_id: i64 = row.get(0);
        if let Some(drift) = drift_runs.get_mut(&run_id) {
            drift.findings.push(StoredDriftFinding {
                address: row.get(1),
                type_name: row.get(2),
                cloud_id: row.get(3),
                kind: row.get(4),
                details: row.get(5),
            });
        }
    }
    for run in &mut runs {
        run.events = events.remove(&run.id).unwrap_or_default();
        run.drift = drift_runs.remove(&run.id);
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

impl PostgresStore {
    /// Every row of `stack`, as stored, read from one snapshot.
    pub fn export_stack(&self, stack: &str) -> Result<StackExport, StateError> {
        self.read(|session| {
            session.batch("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
            let export = export_in(session, stack);
            match &export {
                Ok(_) => session.batch("COMMIT")?,
                Err(_) => {
                    let _ = session.batch("ROLLBACK");
                }
            }
            export
        })
    }

    /// Writes `export` in one transaction, refusing a stack that already holds anything here.
    pub fn import_stack(&mut self, export: &StackExport) -> Result<(), StateError> {
        let name = export.stack.name.as_str();
        let target = self.server().to_string();
        self.write(|session| {
            let exists = session
                .query_opt("SELECT 1 FROM stacks WHERE name = $1 FOR UPDATE", &[&name])?
                .is_some();
            if exists {
                let existing = export_in(session, name)?;
                if !existing.is_empty() || existing.stack.serial != 0 {
                    return Err(StateError::TargetNotEmpty {
                        stack: name.to_string(),
                        target: target.clone(),
                        summary: existing.summary().to_string(),
                    });
                }
                session.execute("DELETE FROM stacks WHERE name = $1", &[&name])?;
            }
            session.execute(
                "INSERT INTO stacks (name, lineage, serial, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5)",
                &[
                    &name,
                    &export.stack.lineage,
                    &export.stack.serial,
                    &export.stack.created_at,
                    &export.stack.updated_at,
                ],
            )?;
            for resource in &export.resources {
                session.execute(
                    "INSERT INTO resources
                        (stack, address, type, cloud_id, attributes, sensitive, dependencies, status, updated_at,
                     provider)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                    &[
                        &name,
                        &resource.address,
                        &resource.type_name,
                        &resource.cloud_id,
                        &resource.attributes,
                        &resource.sensitive,
                        &resource.dependencies,
                        &resource.status,
                        &resource.updated_at,
                        &resource.provider,
                    ],
                )?;
            }
            for output in &export.outputs {
                session.execute(
                    "INSERT INTO outputs (stack, name, value, sensitive) VALUES ($1, $2, $3, $4)",
                    &[&name, &output.name, &output.value, &output.sensitive],
                )?;
            }
            for plan in &export.plans {
                session.execute(
                    "INSERT INTO plans (stack, lineage, state_serial, spec_hash, plan_json, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6)",
                    &[
                        &name,
                        &plan.lineage,
                        &plan.state_serial,
                        &plan.spec_hash,
                        &plan.plan_json,
                        &plan.created_at,
                    ],
                )?;
            }
            let mut run_ids: HashMap<i64, i64> = HashMap::new();
            for run in &export.runs {
                let id: i64 = session
                    .query_one(
                        "INSERT INTO runs (stack, kind, status, started_at, finished_at, summary, details, pid, host, process_start)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                        &[
                            &name,
                            &run.kind,
                            &run.status,
                            &run.started_at,
                            &run.finished_at,
                            &run.summary,
                            &run.details,
                            &run.pid,
                            &run.host,
                            &run.process_start,
                        ],
                    )?
                    .get(0);
                run_ids.insert(run.id, id);
                for event in &run.events {
                    session.execute(
                        "INSERT INTO events (run_id, address, action, status, message, duration_ms, at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                        &[
                            &id,
                            &event.address,
                            &event.action,
                            &event.status,
                            &event.message,
                            &event.duration_ms,
                            &event.at,
                        ],
                    )?;
                }
                if let Some(drift) = &run.drift {
                    session.execute(
                        "INSERT INTO drift_runs (run_id, stack, checked_at, resources_checked, api_calls, duration_ms)
                         VALUES ($1, $2, $3, $4, $5, $6)",
                        &[
                            &id,
                            &name,
                            &drift.checked_at,
                            &drift.resources_checked,
                            &drift.api_calls,
                            &drift.duration_ms,
                        ],
                    )?;
                    for finding in &drift.findings {
                        session.execute(
                            "INSERT INTO drift_findings (run_id, address, type, cloud_id, kind, details)
                             VALUES ($1, $2, $3, $4, $5, $6)",
                            &[
                                &id,
                                &finding.address,
                                &finding.type_name,
                                &finding.cloud_id,
                                &finding.kind,
                                &finding.details,
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
                session.execute(
                    "INSERT INTO pending_operations
                        (stack, run_id, address, type, kind, idempotency_token, desired, started_at,
                     provider)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    &[
                        &name,
                        &run_id,
                        &operation.address,
                        &operation.type_name,
                        &operation.kind,
                        &operation.idempotency_token,
                        &operation.desired,
                        &operation.started_at,
                        &operation.provider,
                    ],
                )?;
            }
            Ok(())
        })
    }
}
