//! Run history: starting and finishing plan/apply/destroy/drift runs, their per-resource events,
//! and marking runs whose process died as interrupted.

use rusqlite::{params, Row};

use crate::error::StateError;
use crate::lock::{current_host, process_is_alive, process_start, LOCK_STALE_AFTER_SECONDS};
use crate::records::{EventRecord, RunKind, RunRecord, RunStatus};
use crate::store::{insert_event, now_unix, parse_text_enum, require_stack, Store};

/// Summary given to runs marked interrupted that had none.
pub const INTERRUPTED_SUMMARY: &str = "interrupted: the process running it went away";

impl Store {
    /// Starts a run of the stack (which must exist) as `Running`, remembering this process's
    /// pid and host so a later run can tell whether it died. Returns the run id.
    pub fn start_run(
        &mut self,
        stack: &str,
        kind: RunKind,
        details: &str,
    ) -> Result<i64, StateError> {
        let now = now_unix();
        let pid = std::process::id();
        let host = current_host();
        let start = process_start(pid);
        let transaction = self.write_transaction()?;
        require_stack(&transaction, stack)?;
        transaction.execute(
            "INSERT INTO runs (stack, kind, status, started_at, details, pid, host, process_start)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                stack,
                kind.as_str(),
                RunStatus::Running.as_str(),
                now,
                details,
                pid,
                host,
                start
            ],
        )?;
        let id = transaction.last_insert_rowid();
        transaction.commit()?;
        Ok(id)
    }

    /// Appends an event to its run (`at` filled in when 0).
    pub fn record_event(&mut self, event: &EventRecord) -> Result<(), StateError> {
        let now = now_unix();
        let transaction = self.write_transaction()?;
        insert_event(&transaction, event, now)?;
        transaction.commit()?;
        Ok(())
    }

    /// Sets a run's final status and summary and stamps its finish time.
    pub fn finish_run(
        &mut self,
        run_id: i64,
        status: RunStatus,
        summary: &str,
    ) -> Result<(), StateError> {
        let now = now_unix();
        let transaction = self.write_transaction()?;
        let updated = transaction.execute(
            "UPDATE runs SET status = ?2, finished_at = ?3, summary = ?4 WHERE id = ?1",
            params![run_id, status.as_str(), now, summary],
        )?;
        if updated == 0 {
            return Err(StateError::NoSuchRun(run_id));
        }
        transaction.commit()?;
        Ok(())
    }

    /// Runs, newest first, of one stack or of all; at most `limit`.
    pub fn runs(&self, stack: Option<&str>, limit: usize) -> Result<Vec<RunRecord>, StateError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut statement = self.connection.prepare(
            "SELECT id, stack, kind, status, started_at, finished_at, summary, details
             FROM runs WHERE (?1 IS NULL OR stack = ?1) ORDER BY id DESC LIMIT ?2",
        )?;
        let mut rows = statement.query(params![stack, limit])?;
        let mut runs = Vec::new();
        while let Some(row) = rows.next()? {
            runs.push(run_from_row(row)?);
        }
        Ok(runs)
    }

    /// One run, if it exists.
    pub fn run(&self, run_id: i64) -> Result<Option<RunRecord>, StateError> {
        let mut statement = self.connection.prepare(
            "SELECT id, stack, kind, status, started_at, finished_at, summary, details
             FROM runs WHERE id = ?1",
        )?;
        let mut rows = statement.query([run_id])?;
        match rows.next()? {
            Some(row) => Ok(Some(run_from_row(row)?)),
            None => Ok(None),
        }
    }

    /// A run's events in the order they were recorded (empty for an unknown run).
    pub fn events(&self, run_id: i64) -> Result<Vec<EventRecord>, StateError> {
        let mut statement = self.connection.prepare(
            "SELECT run_id, address, action, status, message, duration_ms, at
             FROM events WHERE run_id = ?1 ORDER BY id",
        )?;
        let events = statement.query_map([run_id], |row| {
            Ok(EventRecord {
                run_id: row.get(0)?,
                address: row.get(1)?,
                action: row.get(2)?,
                status: row.get(3)?,
                message: row.get(4)?,
                duration_ms: row.get(5)?,
                at: row.get(6)?,
            })
        })?;
        Ok(events.collect::<Result<_, _>>()?)
    }

    /// Marks the stack's runs still `Running` whose process is gone as `Interrupted`; returns how
    /// many. A run on this host is gone when its pid is not alive (or now belongs to a process
    /// started later); without `/proc`, and for runs on other hosts, a run is gone unless it
    /// holds the stack's lock with a fresh heartbeat. Call it after taking the lock over, before
    /// starting this process's own run.
    pub fn mark_interrupted_runs(&mut self, stack: &str) -> Result<usize, StateError> {
        let now = now_unix();
        let own_pid = std::process::id();
        let own_host = current_host();
        let transaction = self.write_transaction()?;
        let lock: Option<(i64, String, i64)> = {
            let mut statement = transaction
                .prepare("SELECT pid, host, heartbeat_at FROM locks WHERE stack = ?1")?;
            let mut rows = statement.query([stack])?;
            match rows.next()? {
                Some(row) => Some((row.get(0)?, row.get(1)?, row.get(2)?)),
                None => None,
            }
        };
        let running: Vec<(i64, i64, String, Option<String>)> = {
            let mut statement = transaction.prepare(
                "SELECT id, pid, host, process_start FROM runs WHERE stack = ?1 AND status = ?2",
            )?;
            let rows = statement.query_map(params![stack, RunStatus::Running.as_str()], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })?;
            rows.collect::<Result<_, _>>()?
        };
        let mut interrupted = 0;
        for (id, pid, host, start) in running {
            let gone = run_is_gone(
                pid,
                &host,
                start.as_deref(),
                lock.as_ref(),
                now,
                own_pid,
                &own_host,
            );
            if gone {
                transaction.execute(
                    "UPDATE runs SET status = ?2, finished_at = ?3,
                        summary = CASE WHEN summary = '' THEN ?4 ELSE summary END
                     WHERE id = ?1",
                    params![
                        id,
                        RunStatus::Interrupted.as_str(),
                        now,
                        INTERRUPTED_SUMMARY
                    ],
                )?;
                interrupted += 1;
            }
        }
        transaction.commit()?;
        Ok(interrupted)
    }
}

/// Whether a run still `Running`, started by `pid` on `host`, belongs to a process that is gone,
/// judged at `now` from this process (`own_pid` on `own_host`), given the stack's lock as
/// `(pid, host, heartbeat_at)`. A run on this host is gone when its pid is not alive (or now
/// belongs to a process started later); without `/proc`, and for runs on other hosts, a run is
/// gone unless it holds the lock with a fresh heartbeat.
pub(crate) fn run_is_gone(
    pid: i64,
    host: &str,
    start: Option<&str>,
    lock: Option<&(i64, String, i64)>,
    now: i64,
    own_pid: u32,
    own_host: &str,
) -> bool {
    let holds_live_lock = lock.is_some_and(|(lock_pid, lock_host, heartbeat_at)| {
        *lock_pid == pid && lock_host == host && now - heartbeat_at <= LOCK_STALE_AFTER_SECONDS
    });
    if host == own_host {
        let alive = u32::try_from(pid)
            .ok()
            .and_then(|pid| process_is_alive(pid, start));
        match alive {
            Some(alive) => !alive,
            None => !(i64::from(own_pid) == pid || holds_live_lock),
        }
    } else {
        !holds_live_lock
    }
}

/// Reads `id, stack, kind, status, started_at, finished_at, summary, details`.
fn run_from_row(row: &Row<'_>) -> Result<RunRecord, StateError> {
    let id: i64 = row.get(0)?;
    let context = || format!("run {id}");
    Ok(RunRecord {
        id,
        stack: row.get(1)?,
        kind: parse_text_enum(&row.get::<_, String>(2)?, context)?,
        status: parse_text_enum(&row.get::<_, String>(3)?, context)?,
        started_at: row.get(4)?,
        finished_at: row.get(5)?,
        summary: row.get(6)?,
        details: row.get(7)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{event, store_with_run, STACK};

    /// The pid of a child process that has exited and been reaped.
    fn dead_pid() -> i64 {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        child.wait().unwrap();
        i64::from(child.id())
    }

    #[test]
    fn runs_are_listed_newest_first_and_finished_with_a_summary() {
        let (mut store, first) = store_with_run();
        store.ensure_stack("specs/other/dev").unwrap();
        let second = store
            .start_run("specs/other/dev", RunKind::Drift, "cron")
            .unwrap();
        let third = store
            .start_run(STACK, RunKind::Plan, "plan details")
            .unwrap();
        store
            .finish_run(first, RunStatus::Failed, "1 failed, 2 created")
            .unwrap();

        let all: Vec<i64> = store
            .runs(None, 10)
            .unwrap()
            .iter()
            .map(|run| run.id)
            .collect();
        assert_eq!(all, [third, second, first]);
        let limited: Vec<i64> = store
            .runs(None, 1)
            .unwrap()
            .iter()
            .map(|run| run.id)
            .collect();
        assert_eq!(limited, [third]);
        let of_stack = store.runs(Some(STACK), usize::MAX).unwrap();
        assert_eq!(
            of_stack.iter().map(|run| run.id).collect::<Vec<_>>(),
            [third, first]
        );
        let finished = &of_stack[1];
        assert_eq!(finished.kind, RunKind::Apply);
        assert_eq!(finished.status, RunStatus::Failed);
        assert_eq!(finished.summary, "1 failed, 2 created");
        assert!(finished.finished_at.is_some());
        let running = store.run(third).unwrap().unwrap();
        assert_eq!(running.status, RunStatus::Running);
        assert_eq!(running.finished_at, None);
        assert_eq!(running.details, "plan details");
    }

    #[test]
    fn events_come_back_in_order() {
        let (mut store, run_id) = store_with_run();
        for address in ["aws_vpc.main", "aws_subnet.a", "aws_subnet.b"] {
            store
                .record_event(&event(run_id, address, "create"))
                .unwrap();
        }
        let mut dated = event(run_id, "aws_nat_gateway.a", "skip");
        dated.at = 1234;
        store.record_event(&dated).unwrap();
        let events = store.events(run_id).unwrap();
        let addresses: Vec<&str> = events.iter().map(|event| event.address.as_str()).collect();
        assert_eq!(
            addresses,
            [
                "aws_vpc.main",
                "aws_subnet.a",
                "aws_subnet.b",
                "aws_nat_gateway.a"
            ]
        );
        assert_eq!(events[3], dated);
        assert!(store.events(run_id + 1).unwrap().is_empty());
    }

    #[test]
    fn unknown_runs_and_stacks_are_typed_errors() {
        let (mut store, run_id) = store_with_run();
        let missing = run_id + 7;
        assert!(
            matches!(store.record_event(&event(missing, "a", "create")), Err(StateError::NoSuchRun(id)) if id == missing)
        );
        assert!(matches!(
            store.finish_run(missing, RunStatus::Succeeded, ""),
            Err(StateError::NoSuchRun(_))
        ));
        assert!(matches!(
            store.start_run("specs/missing", RunKind::Plan, ""),
            Err(StateError::UnknownStack(_))
        ));
        assert_eq!(store.run(missing).unwrap(), None);
    }

    #[test]
    fn runs_of_dead_processes_are_marked_interrupted() {
        let (mut store, own_run) = store_with_run();
        let dead_local = store.start_run(STACK, RunKind::Apply, "").unwrap();
        let remote_without_lock = store.start_run(STACK, RunKind::Apply, "").unwrap();
        let remote_with_lock = store.start_run(STACK, RunKind::Apply, "").unwrap();
        let finished = store.start_run(STACK, RunKind::Apply, "").unwrap();
        store
            .finish_run(finished, RunStatus::Succeeded, "done")
            .unwrap();
        store
            .connection
            .execute(
                "UPDATE runs SET pid = ?2 WHERE id = ?1",
                params![dead_local, dead_pid()],
            )
            .unwrap();
        store
            .connection
            .execute(
                "UPDATE runs SET pid = 77, host = 'elsewhere' WHERE id IN (?1, ?2)",
                params![remote_without_lock, remote_with_lock],
            )
            .unwrap();
        store
            .connection
            .execute(
                "UPDATE runs SET pid = 78 WHERE id = ?1",
                params![remote_with_lock],
            )
            .unwrap();
        let now = now_unix();
        store
            .connection
            .execute(
                "INSERT INTO locks VALUES (?1, 'token', 'provision apply (bob)', 78, 'elsewhere', NULL, ?2, ?2)",
                params![STACK, now],
            )
            .unwrap();

        assert_eq!(store.mark_interrupted_runs(STACK).unwrap(), 2);
        let status = |store: &Store, id| store.run(id).unwrap().unwrap().status;
        assert_eq!(status(&store, own_run), RunStatus::Running);
        assert_eq!(status(&store, dead_local), RunStatus::Interrupted);
        assert_eq!(status(&store, remote_without_lock), RunStatus::Interrupted);
        assert_eq!(status(&store, remote_with_lock), RunStatus::Running);
        assert_eq!(status(&store, finished), RunStatus::Succeeded);
        let interrupted = store.run(dead_local).unwrap().unwrap();
        assert_eq!(interrupted.summary, INTERRUPTED_SUMMARY);
        assert!(interrupted.finished_at.is_some());
        assert_eq!(store.mark_interrupted_runs(STACK).unwrap(), 0);
    }
}
