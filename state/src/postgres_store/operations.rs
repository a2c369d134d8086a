//! [`PostgresStore`] behind the [`StateStore`] trait: stacks, resources, pending operations,
//! outputs, plans, runs and events, drift runs and locks, with the SQLite store's rules (see
//! `store.rs`, `runs.rs`, `drift.rs`, `lock.rs`) in PostgreSQL's SQL. Lock heartbeats and
//! their staleness are judged by the server's clock, which every machine sharing the stack
//! agrees on.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use postgres::Row;

use super::{PostgresStore, Session};
use crate::error::StateError;
use crate::lock::{current_host, holder_is_gone, process_start};
use crate::records::{
    DriftFindingRecord, DriftRunRecord, EventRecord, LockAcquisition, LockHolder, LockInfo,
    NewPendingOperation, OutputRecord, PendingOperation, PlanRecord, ResourceRecord, RunKind,
    RunRecord, RunStatus, Stack,
};
use crate::runs::{run_is_gone, INTERRUPTED_SUMMARY};
use crate::sealing::{self, SealingKey};
use crate::state_store::StateStore;
use crate::store::{now_unix, parse_json, parse_text_enum};
use crate::transfer::StackExport;

/// PostgreSQL's `foreign_key_violation`.
const FOREIGN_KEY_VIOLATION: &str = "23503";

/// Any number, the same in every provision: the advisory lock that serializes lock takers.
const LOCK_TABLE_LOCK: i64 = 0x7072_6f76_0002;

fn stack_from_row(row: &Row) -> Stack {
    Stack {
        name: row.get(0),
        lineage: row.get(1),
        serial: row.get(2),
        created_at: row.get(3),
        updated_at: row.get(4),
    }
}

fn plan_from_row(row: &Row) -> PlanRecord {
    PlanRecord {
        id: row.get(0),
        stack: row.get(1),
        lineage: row.get(2),
        state_serial: row.get(3),
        spec_hash: row.get(4),
        plan_json: row.get(5),
        created_at: row.get(6),
    }
}

/// Reads `address, type, cloud_id, attributes, sensitive, dependencies, status, updated_at,
/// provider`.
fn resource_from_row(stack: &str, row: &Row) -> Result<ResourceRecord, StateError> {
    let address: String = row.get(0);
    let context = || format!("resource {address} of stack {stack}");
    Ok(ResourceRecord {
        type_name: row.get(1),
        cloud_id: row.get(2),
        attributes: parse_json(row.get::<_, &str>(3), context)?,
        sensitive_attributes: parse_json(row.get::<_, &str>(4), context)?,
        dependencies: parse_json(row.get::<_, &str>(5), context)?,
        status: parse_text_enum(row.get::<_, &str>(6), context)?,
        updated_at: row.get(7),
        provider: row.get(8),
        address,
    })
}

/// Reads `id, stack, kind, status, started_at, finished_at, summary, details`.
fn run_from_row(row: &Row) -> Result<RunRecord, StateError> {
    let id: i64 = row.get(0);
    let context = || format!("run {id}");
    Ok(RunRecord {
        id,
        stack: row.get(1),
        kind: parse_text_enum(row.get::<_, &str>(2), context)?,
        status: parse_text_enum(row.get::<_, &str>(3), context)?,
        started_at: row.get(4),
        finished_at: row.get(5),
        summary: row.get(6),
        details: row.get(7),
    })
}

/// Reads `stack, token, holder, pid, host, acquired_at, heartbeat_at, process_start`.
fn lock_from_row(row: &Row) -> Result<(LockInfo, Option<String>), StateError> {
    let stack: String = row.get(0);
    let pid: i64 = row.get(3);
    let pid = u32::try_from(pid)
        .map_err(|_| StateError::Corrupt(format!("lock of stack {stack}: invalid pid {pid}")))?;
    Ok((
        LockInfo {
            token: row.get(1),
            holder: row.get(2),
            pid,
            host: row.get(4),
            acquired_at: row.get(5),
            heartbeat_at: row.get(6),
            stack,
        },
        row.get(7),
    ))
}

/// Maps a foreign key violation to `missing`, any other error to itself.
fn or_missing(error: postgres::Error, missing: impl FnOnce() -> StateError) -> StateError {
    match error.as_db_error() {
        Some(database_error) if database_error.code().code() == FOREIGN_KEY_VIOLATION => missing(),
        _ => StateError::Postgres(error),
    }
}

fn require_stack(session: &mut Session<'_>, stack: &str) -> Result<(), StateError> {
    let row = session.query_one(
        "SELECT EXISTS (SELECT 1 FROM stacks WHERE name = $1)",
        &[&stack],
    )?;
    if row.get(0) {
        Ok(())
    } else {
        Err(StateError::UnknownStack(stack.to_string()))
    }
}

fn insert_event(
    session: &mut Session<'_>,
    event: &EventRecord,
    now: i64,
) -> Result<(), StateError> {
    let at = if event.at == 0 { now } else { event.at };
    session
        .execute(
            "INSERT INTO events (run_id, address, action, status, message, duration_ms, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &event.run_id,
                &event.address,
                &event.action,
                &event.status,
                &event.message,
                &event.duration_ms,
                &at,
            ],
        )
        .map_err(|error| or_missing(error, || StateError::NoSuchRun(event.run_id)))?;
    Ok(())
}

fn delete_pending(session: &mut Session<'_>, stack: &str, id: i64) -> Result<(), StateError> {
    let deleted = session.execute(
        "DELETE FROM pending_operations WHERE id = $1 AND stack = $2",
        &[&id, &stack],
    )?;
    if deleted == 0 {
        return Err(StateError::NoSuchPendingOperation(id));
    }
    Ok(())
}

fn bump_serial(session: &mut Session<'_>, stack: &str, now: i64) -> Result<i64, StateError> {
    session
        .query_opt(
            "UPDATE stacks SET serial = serial + 1, updated_at = $2 WHERE name = $1 RETURNING serial",
            &[&stack, &now],
        )?
        .map(|row| row.get(0))
        .ok_or_else(|| StateError::UnknownStack(stack.to_string()))
}

fn read_lock(
    session: &mut Session<'_>,
    stack: &str,
) -> Result<Option<(LockInfo, Option<String>)>, StateError> {
    session
        .query_opt(
            "SELECT stack, token, holder, pid, host, acquired_at, heartbeat_at, process_start
             FROM locks WHERE stack = $1",
            &[&stack],
        )?
        .map(|row| lock_from_row(&row))
        .transpose()
}

/// The server's clock, in unix seconds.
fn server_now(session: &mut Session<'_>) -> Result<i64, StateError> {
    let row = session.query_one("SELECT EXTRACT(EPOCH FROM now())::BIGINT", &[])?;
    Ok(row.get(0))
}

impl PostgresStore {
    fn key(&self) -> Option<&SealingKey> {
        self.sealing_key.as_ref()
    }

    fn drift_findings(
        session: &mut Session<'_>,
        run_id: i64,
    ) -> Result<Vec<DriftFindingRecord>, StateError> {
        let rows = session.query(
            "SELECT address, type, cloud_id, kind, details FROM drift_findings
             WHERE run_id = $1 ORDER BY id",
            &[&run_id],
        )?;
        rows.iter()
            .map(|row| {
                let address: String = row.get(0);
                let context = || format!("drift finding of run {run_id} ({address})");
                Ok(DriftFindingRecord {
                    type_name: row.get(1),
                    cloud_id: row.get(2),
                    kind: parse_text_enum(row.get::<_, &str>(3), context)?,
                    details: parse_json(row.get::<_, &str>(4), context)?,
                    address,
                })
            })
            .collect()
    }

    fn drift_run_from_row(row: &Row) -> DriftRunRecord {
        DriftRunRecord {
            run_id: row.get(0),
            stack: row.get(1),
            checked_at: row.get(2),
            resources_checked: row.get(3),
            api_calls: row.get(4),
            duration_ms: row.get(5),
            findings: Vec::new(),
        }
    }
}

impl StateStore for PostgresStore {
    fn describe(&self) -> String {
        self.server().to_string()
    }

    fn set_sealing_key(&mut self, key: SealingKey) {
        self.sealing_key = Some(key);
    }

    fn schema_version(&self) -> Result<i64, StateError> {
        self.read(|session| super::schema::version(&mut session.connection.client))
    }

    fn connection_lost(&self) -> Option<Arc<AtomicBool>> {
        Some(self.connection_lost_flag())
    }

    fn round_trips(&self) -> Option<u64> {
        Some(self.round_trip_count())
    }

    // ----- stacks -----

    fn stack(&self, name: &str) -> Result<Option<Stack>, StateError> {
        self.read(|session| {
            Ok(session
                .query_opt(
                    "SELECT name, lineage, serial, created_at, updated_at FROM stacks WHERE name = $1",
                    &[&name],
                )?
                .map(|row| stack_from_row(&row)))
        })
    }

    fn ensure_stack(&mut self, name: &str) -> Result<Stack, StateError> {
        if name.is_empty() {
            return Err(StateError::EmptyStackName);
        }
        let now = now_unix();
        let lineage = uuid::Uuid::new_v4().to_string();
        self.write(|session| {
            session.execute(
                "INSERT INTO stacks (name, lineage, serial, created_at, updated_at)
                 VALUES ($1, $2, 0, $3, $3) ON CONFLICT (name) DO NOTHING",
                &[&name, &lineage, &now],
            )?;
            let row = session.query_one(
                "SELECT name, lineage, serial, created_at, updated_at FROM stacks WHERE name = $1",
                &[&name],
            )?;
            Ok(stack_from_row(&row))
        })
    }

    fn stacks(&self) -> Result<Vec<Stack>, StateError> {
        self.read(|session| {
            Ok(session
                .query(
                    "SELECT name, lineage, serial, created_at, updated_at FROM stacks ORDER BY name",
                    &[],
                )?
                .iter()
                .map(stack_from_row)
                .collect())
        })
    }

    // ----- resources -----

    fn resources(&self, stack: &str) -> Result<Vec<ResourceRecord>, StateError> {
        let rows = self.read(|session| {
            Ok(session.query(
                "SELECT address, type, cloud_id, attributes, sensitive, dependencies, status, updated_at,
                        provider
                 FROM resources WHERE stack = $1 ORDER BY address",
                &[&stack],
            )?)
        })?;
        rows.iter()
            .map(|row| {
                let mut record = resource_from_row(stack, row)?;
                sealing::open_attributes(self.key(), &mut record.attributes)?;
                Ok(record)
            })
            .collect()
    }

    fn resource(&self, stack: &str, address: &str) -> Result<Option<ResourceRecord>, StateError> {
        let row = self.read(|session| {
            Ok(session.query_opt(
                "SELECT address, type, cloud_id, attributes, sensitive, dependencies, status, updated_at,
                        provider
                 FROM resources WHERE stack = $1 AND address = $2",
                &[&stack, &address],
            )?)
        })?;
        row.map(|row| {
            let mut record = resource_from_row(stack, &row)?;
            sealing::open_attributes(self.key(), &mut record.attributes)?;
            Ok(record)
        })
        .transpose()
    }

    fn commit_resource(
        &mut self,
        stack: &str,
        record: &ResourceRecord,
        event: &EventRecord,
        clear_pending: Option<i64>,
    ) -> Result<i64, StateError> {
        let now = now_unix();
        let attributes = serde_json::to_string(&sealing::seal_attributes(
            self.key(),
            &record.attributes,
            &record.sensitive_attributes,
        ))?;
        let sensitive = serde_json::to_string(&record.sensitive_attributes)?;
        let dependencies = serde_json::to_string(&record.dependencies)?;
        self.write(|session| {
            insert_event(session, event, now)?;
            if let Some(id) = clear_pending {
                delete_pending(session, stack, id)?;
            }
            let serial = bump_serial(session, stack, now)?;
            session.execute(
                "INSERT INTO resources
                    (stack, address, type, cloud_id, attributes, sensitive, dependencies, status, updated_at,
                     provider)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                 ON CONFLICT (stack, address) DO UPDATE SET
                    type = excluded.type, cloud_id = excluded.cloud_id,
                    attributes = excluded.attributes, sensitive = excluded.sensitive,
                    dependencies = excluded.dependencies, status = excluded.status,
                    updated_at = excluded.updated_at, provider = excluded.provider",
                &[
                    &stack,
                    &record.address,
                    &record.type_name,
                    &record.cloud_id,
                    &attributes,
                    &sensitive,
                    &dependencies,
                    &record.status.as_str(),
                    &now,
                    &record.provider,
                ],
            )?;
            Ok(serial)
        })
    }

    fn remove_resource(
        &mut self,
        stack: &str,
        address: &str,
        event: &EventRecord,
        clear_pending: Option<i64>,
    ) -> Result<i64, StateError> {
        let now = now_unix();
        self.write(|session| {
            insert_event(session, event, now)?;
            if let Some(id) = clear_pending {
                delete_pending(session, stack, id)?;
            }
            let serial = bump_serial(session, stack, now)?;
            let deleted = session.execute(
                "DELETE FROM resources WHERE stack = $1 AND address = $2",
                &[&stack, &address],
            )?;
            if deleted == 0 {
                return Err(StateError::NoSuchResource {
                    stack: stack.to_string(),
                    address: address.to_string(),
                });
            }
            Ok(serial)
        })
    }

    fn move_resource(
        &mut self,
        stack: &str,
        from: &str,
        to: &str,
        event: &EventRecord,
    ) -> Result<i64, StateError> {
        let now = now_unix();
        let from_json = serde_json::to_string(from)?;
        self.write(|session| {
            insert_event(session, event, now)?;
            let serial = bump_serial(session, stack, now)?;
            let moved = session.execute(
                "UPDATE resources SET address = $3, updated_at = $4 WHERE stack = $1 AND address = $2",
                &[&stack, &from, &to, &now],
            )?;
            if moved == 0 {
                return Err(StateError::NoSuchResource {
                    stack: stack.to_string(),
                    address: from.to_string(),
                });
            }
            let dependents = session.query(
                "SELECT address, dependencies FROM resources
                 WHERE stack = $1 AND strpos(dependencies, $2) > 0",
                &[&stack, &from_json],
            )?;
            for row in dependents {
                let address: String = row.get(0);
                let mut list: Vec<String> = serde_json::from_str(row.get::<_, &str>(1))?;
                for dependency in &mut list {
                    if dependency == from {
                        *dependency = to.to_string();
                    }
                }
                let dependencies = serde_json::to_string(&list)?;
                session.execute(
                    "UPDATE resources SET dependencies = $3 WHERE stack = $1 AND address = $2",
                    &[&stack, &address, &dependencies],
                )?;
            }
            Ok(serial)
        })
    }

    // ----- pending operations -----

    fn begin_pending(
        &mut self,
        stack: &str,
        operation: &NewPendingOperation,
    ) -> Result<i64, StateError> {
        let now = now_unix();
        let desired = serde_json::to_string(&sealing::seal_attributes(
            self.key(),
            &operation.desired,
            &operation.sensitive_attributes,
        ))?;
        self.write(|session| {
            require_stack(session, stack)?;
            let row = session
                .query_one(
                    "INSERT INTO pending_operations
                        (stack, run_id, address, type, kind, idempotency_token, desired, started_at,
                         provider)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                    &[
                        &stack,
                        &operation.run_id,
                        &operation.address,
                        &operation.type_name,
                        &operation.kind.as_str(),
                        &operation.idempotency_token,
                        &desired,
                        &now,
                        &operation.provider,
                    ],
                )
                .map_err(|error| or_missing(error, || StateError::NoSuchRun(operation.run_id)))?;
            Ok(row.get::<_, i64>(0))
        })
    }

    fn pending_operations(&self, stack: &str) -> Result<Vec<PendingOperation>, StateError> {
        let rows = self.read(|session| {
            Ok(session.query(
                "SELECT id, run_id, address, type, kind, idempotency_token, desired, started_at,
                        provider
                 FROM pending_operations WHERE stack = $1 ORDER BY id",
                &[&stack],
            )?)
        })?;
        rows.iter()
            .map(|row| {
                let id: i64 = row.get(0);
                let context = || format!("pending operation {id} of stack {stack}");
                let mut desired = parse_json(row.get::<_, &str>(6), context)?;
                sealing::open_attributes(self.key(), &mut desired)?;
                Ok(PendingOperation {
                    id,
                    run_id: row.get(1),
                    address: row.get(2),
                    type_name: row.get(3),
                    kind: parse_text_enum(row.get::<_, &str>(4), context)?,
                    idempotency_token: row.get(5),
                    desired,
                    started_at: row.get(7),
                    provider: row.get(8),
                })
            })
            .collect()
    }

    fn clear_pending(&mut self, id: i64) -> Result<(), StateError> {
        self.write(|session| {
            let deleted =
                session.execute("DELETE FROM pending_operations WHERE id = $1", &[&id])?;
            if deleted == 0 {
                return Err(StateError::NoSuchPendingOperation(id));
            }
            Ok(())
        })
    }

    // ----- outputs -----

    fn replace_outputs(&mut self, stack: &str, outputs: &[OutputRecord]) -> Result<(), StateError> {
        let values = outputs
            .iter()
            .map(|output| sealing::stored_output_value(self.key(), &output.value, output.sensitive))
            .collect::<Result<Vec<_>, _>>()?;
        self.write(|session| {
            require_stack(session, stack)?;
            session.execute("DELETE FROM outputs WHERE stack = $1", &[&stack])?;
            for (output, value) in outputs.iter().zip(&values) {
                session.execute(
                    "INSERT INTO outputs (stack, name, value, sensitive) VALUES ($1, $2, $3, $4)",
                    &[&stack, &output.name, value, &output.sensitive],
                )?;
            }
            Ok(())
        })
    }

    fn outputs(&self, stack: &str) -> Result<Vec<OutputRecord>, StateError> {
        let rows = self.read(|session| {
            Ok(session.query(
                "SELECT name, value, sensitive FROM outputs WHERE stack = $1 ORDER BY name",
                &[&stack],
            )?)
        })?;
        rows.iter()
            .map(|row| {
                let name: String = row.get(0);
                let mut value = parse_json(row.get::<_, &str>(1), || {
                    format!("output {name} of stack {stack}")
                })?;
                sealing::open_value(self.key(), &mut value)?;
                Ok(OutputRecord {
                    name,
                    value,
                    sensitive: row.get(2),
                })
            })
            .collect()
    }

    // ----- plans -----

    fn save_plan(&mut self, plan: &PlanRecord) -> Result<i64, StateError> {
        let created_at = if plan.created_at == 0 {
            now_unix()
        } else {
            plan.created_at
        };
        self.write(|session| {
            require_stack(session, &plan.stack)?;
            let row = session.query_one(
                "INSERT INTO plans (stack, lineage, state_serial, spec_hash, plan_json, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                &[
                    &plan.stack,
                    &plan.lineage,
                    &plan.state_serial,
                    &plan.spec_hash,
                    &plan.plan_json,
                    &created_at,
                ],
            )?;
            Ok(row.get::<_, i64>(0))
        })
    }

    fn latest_plan(&self) -> Result<Option<PlanRecord>, StateError> {
        self.read(|session| {
            Ok(session
                .query_opt(
                    "SELECT id, stack, lineage, state_serial, spec_hash, plan_json, created_at
                     FROM plans ORDER BY id DESC LIMIT 1",
                    &[],
                )?
                .map(|row| plan_from_row(&row)))
        })
    }

    fn latest_plan_for(&self, stack: &str) -> Result<Option<PlanRecord>, StateError> {
        self.read(|session| {
            Ok(session
                .query_opt(
                    "SELECT id, stack, lineage, state_serial, spec_hash, plan_json, created_at
                     FROM plans WHERE stack = $1 ORDER BY id DESC LIMIT 1",
                    &[&stack],
                )?
                .map(|row| plan_from_row(&row)))
        })
    }

    fn delete_plans(&mut self, stack: &str) -> Result<(), StateError> {
        self.write(|session| {
            session.execute("DELETE FROM plans WHERE stack = $1", &[&stack])?;
            Ok(())
        })
    }

    // ----- runs and events -----

    fn start_run(&mut self, stack: &str, kind: RunKind, details: &str) -> Result<i64, StateError> {
        let now = now_unix();
        let pid = i64::from(std::process::id());
        let host = current_host();
        let start = process_start(std::process::id());
        self.write(|session| {
            let row = session
                .query_one(
                    "INSERT INTO runs (stack, kind, status, started_at, details, pid, host, process_start)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                    &[
                        &stack,
                        &kind.as_str(),
                        &RunStatus::Running.as_str(),
                        &now,
                        &details,
                        &pid,
                        &host,
                        &start,
                    ],
                )
                .map_err(|error| or_missing(error, || StateError::UnknownStack(stack.to_string())))?;
            Ok(row.get::<_, i64>(0))
        })
    }

    fn record_event(&mut self, event: &EventRecord) -> Result<(), StateError> {
        let now = now_unix();
        self.write(|session| insert_event(session, event, now))
    }

    fn finish_run(
        &mut self,
        run_id: i64,
        status: RunStatus,
        summary: &str,
    ) -> Result<(), StateError> {
        let now = now_unix();
        self.write(|session| {
            let updated = session.execute(
                "UPDATE runs SET status = $2, finished_at = $3, summary = $4 WHERE id = $1",
                &[&run_id, &status.as_str(), &now, &summary],
            )?;
            if updated == 0 {
                return Err(StateError::NoSuchRun(run_id));
            }
            Ok(())
        })
    }

    fn runs(&self, stack: Option<&str>, limit: usize) -> Result<Vec<RunRecord>, StateError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self.read(|session| {
            Ok(session.query(
                "SELECT id, stack, kind, status, started_at, finished_at, summary, details
                 FROM runs WHERE ($1::TEXT IS NULL OR stack = $1) ORDER BY id DESC LIMIT $2",
                &[&stack, &limit],
            )?)
        })?;
        rows.iter().map(run_from_row).collect()
    }

    fn run(&self, run_id: i64) -> Result<Option<RunRecord>, StateError> {
        let row = self.read(|session| {
            Ok(session.query_opt(
                "SELECT id, stack, kind, status, started_at, finished_at, summary, details
                 FROM runs WHERE id = $1",
                &[&run_id],
            )?)
        })?;
        row.map(|row| run_from_row(&row)).transpose()
    }

    fn events(&self, run_id: i64) -> Result<Vec<EventRecord>, StateError> {
        self.read(|session| {
            Ok(session
                .query(
                    "SELECT run_id, address, action, status, message, duration_ms, at
                     FROM events WHERE run_id = $1 ORDER BY id",
                    &[&run_id],
                )?
                .iter()
                .map(|row| EventRecord {
                    run_id: row.get(0),
                    address: row.get(1),
                    action: row.get(2),
                    status: row.get(3),
                    message: row.get(4),
                    duration_ms: row.get(5),
                    at: row.get(6),
                })
                .collect())
        })
    }

    fn mark_interrupted_runs(&mut self, stack: &str) -> Result<usize, StateError> {
        let own_pid = std::process::id();
        let own_host = current_host();
        self.write(|session| {
            let now = server_now(session)?;
            let lock: Option<(i64, String, i64)> = session
                .query_opt(
                    "SELECT pid, host, heartbeat_at FROM locks WHERE stack = $1",
                    &[&stack],
                )?
                .map(|row| (row.get(0), row.get(1), row.get(2)));
            let running = session.query(
                "SELECT id, pid, host, process_start FROM runs
                 WHERE stack = $1 AND status = $2 FOR UPDATE",
                &[&stack, &RunStatus::Running.as_str()],
            )?;
            let mut interrupted = 0usize;
            for row in &running {
                let id: i64 = row.get(0);
                let pid: i64 = row.get(1);
                let host: String = row.get(2);
                let start: Option<String> = row.get(3);
                if run_is_gone(
                    pid,
                    &host,
                    start.as_deref(),
                    lock.as_ref(),
                    now,
                    own_pid,
                    &own_host,
                ) {
                    session.execute(
                        "UPDATE runs SET status = $2, finished_at = $3,
                            summary = CASE WHEN summary = '' THEN $4 ELSE summary END
                         WHERE id = $1",
                        &[
                            &id,
                            &RunStatus::Interrupted.as_str(),
                            &now,
                            &INTERRUPTED_SUMMARY,
                        ],
                    )?;
                    interrupted += 1;
                }
            }
            Ok(interrupted)
        })
    }

    // ----- drift runs -----

    fn record_drift_run(
        &mut self,
        drift: &DriftRunRecord,
        status: RunStatus,
        summary: &str,
    ) -> Result<(), StateError> {
        let now = now_unix();
        let checked_at = if drift.checked_at == 0 {
            now
        } else {
            drift.checked_at
        };
        let details = drift
            .findings
            .iter()
            .map(|finding| serde_json::to_string(&finding.details))
            .collect::<Result<Vec<_>, _>>()?;
        self.write(|session| {
            require_stack(session, &drift.stack)?;
            session
                .execute(
                    "INSERT INTO drift_runs (run_id, stack, checked_at, resources_checked, api_calls, duration_ms)
                     VALUES ($1, $2, $3, $4, $5, $6)",
                    &[
                        &drift.run_id,
                        &drift.stack,
                        &checked_at,
                        &drift.resources_checked,
                        &drift.api_calls,
                        &drift.duration_ms,
                    ],
                )
                .map_err(|error| or_missing(error, || StateError::NoSuchRun(drift.run_id)))?;
            for (finding, details) in drift.findings.iter().zip(&details) {
                session.execute(
                    "INSERT INTO drift_findings (run_id, address, type, cloud_id, kind, details)
                     VALUES ($1, $2, $3, $4, $5, $6)",
                    &[
                        &drift.run_id,
                        &finding.address,
                        &finding.type_name,
                        &finding.cloud_id,
                        &finding.kind.as_str(),
                        details,
                    ],
                )?;
            }
            let updated = session.execute(
                "UPDATE runs SET status = $2, finished_at = $3, summary = $4 WHERE id = $1",
                &[&drift.run_id, &status.as_str(), &now, &summary],
            )?;
            if updated == 0 {
                return Err(StateError::NoSuchRun(drift.run_id));
            }
            Ok(())
        })
    }

    fn drift_runs_since(&self, stack: &str, since: i64) -> Result<Vec<DriftRunRecord>, StateError> {
        self.read(|session| {
            let mut runs: Vec<DriftRunRecord> = session
                .query(
                    "SELECT run_id, stack, checked_at, resources_checked, api_calls, duration_ms
                     FROM drift_runs WHERE stack = $1 AND checked_at >= $2 ORDER BY checked_at, run_id",
                    &[&stack, &since],
                )?
                .iter()
                .map(PostgresStore::drift_run_from_row)
                .collect();
            for run in &mut runs {
                run.findings = PostgresStore::drift_findings(session, run.run_id)?;
            }
            Ok(runs)
        })
    }

    fn drift_run(&self, run_id: i64) -> Result<Option<DriftRunRecord>, StateError> {
        self.read(|session| {
            let Some(row) = session.query_opt(
                "SELECT run_id, stack, checked_at, resources_checked, api_calls, duration_ms
                 FROM drift_runs WHERE run_id = $1",
                &[&run_id],
            )?
            else {
                return Ok(None);
            };
            let mut run = PostgresStore::drift_run_from_row(&row);
            run.findings = PostgresStore::drift_findings(session, run_id)?;
            Ok(Some(run))
        })
    }

    // ----- locks -----

    fn acquire_lock_reporting(
        &mut self,
        stack: &str,
        holder: &LockHolder,
    ) -> Result<LockAcquisition, StateError> {
        let here = current_host();
        let holder_start = if holder.host == here {
            process_start(holder.pid)
        } else {
            None
        };
        let token = uuid::Uuid::new_v4().to_string();
        let pid = i64::from(holder.pid);
        // The check and the take-over happen under one advisory lock, in one transaction: of
        // two racing processes on any machines, exactly one wins.
        let (lock, taken_over) = self.write(|session| {
            session.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK_TABLE_LOCK])?;
            let now = server_now(session)?;
            let existing = read_lock(session, stack)?;
            if let Some((lock, recorded_start)) = &existing {
                if lock.token == token {
                    // A retried attempt whose first try committed.
                    return Ok((lock.clone(), None));
                }
                if !holder_is_gone(lock, recorded_start.as_deref(), &here, now) {
                    return Err(StateError::Locked {
                        stack: stack.to_string(),
                        holder: lock.holder.clone(),
                        pid: lock.pid,
                        host: lock.host.clone(),
                        since: lock.acquired_at,
                    });
                }
            }
            let lock = LockInfo {
                stack: stack.to_string(),
                token: token.clone(),
                holder: holder.holder.clone(),
                pid: holder.pid,
                host: holder.host.clone(),
                acquired_at: now,
                heartbeat_at: now,
            };
            session.execute(
                "INSERT INTO locks
                    (stack, token, holder, pid, host, process_start, acquired_at, heartbeat_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
                 ON CONFLICT (stack) DO UPDATE SET
                    token = excluded.token, holder = excluded.holder, pid = excluded.pid,
                    host = excluded.host, process_start = excluded.process_start,
                    acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at",
                &[
                    &stack,
                    &token,
                    &holder.holder,
                    &pid,
                    &holder.host,
                    &holder_start,
                    &now,
                ],
            )?;
            Ok((lock, existing.map(|(lock, _)| lock)))
        })?;
        Ok(LockAcquisition { lock, taken_over })
    }

    fn heartbeat(&mut self, stack: &str, token: &str) -> Result<(), StateError> {
        self.write(|session| {
            let updated = session.execute(
                "UPDATE locks SET heartbeat_at = EXTRACT(EPOCH FROM now())::BIGINT
                 WHERE stack = $1 AND token = $2",
                &[&stack, &token],
            )?;
            if updated == 0 {
                return Err(StateError::LockNotHeld(stack.to_string()));
            }
            Ok(())
        })
    }

    fn release_lock(&mut self, stack: &str, token: &str) -> Result<(), StateError> {
        self.write(|session| {
            session.execute(
                "DELETE FROM locks WHERE stack = $1 AND token = $2",
                &[&stack, &token],
            )?;
            Ok(())
        })
    }

    fn force_release_lock(&mut self, stack: &str) -> Result<Option<LockInfo>, StateError> {
        self.write(|session| {
            let existing = read_lock(session, stack)?;
            session.execute("DELETE FROM locks WHERE stack = $1", &[&stack])?;
            Ok(existing.map(|(lock, _)| lock))
        })
    }

    fn lock_holder(&self, stack: &str) -> Result<Option<LockInfo>, StateError> {
        self.read(|session| Ok(read_lock(session, stack)?.map(|(lock, _)| lock)))
    }

    // ----- moving a stack between stores -----

    fn export_stack(&self, stack: &str) -> Result<StackExport, StateError> {
        PostgresStore::export_stack(self, stack)
    }

    fn import_stack(&mut self, export: &StackExport) -> Result<(), StateError> {
        PostgresStore::import_stack(self, export)
    }
}
