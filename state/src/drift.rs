//! Drift runs: recording what one `provision drift` run found (in one transaction, with its run
//! finished) and listing the recorded runs of a stack since a time.

use rusqlite::params;

use crate::error::StateError;
use crate::records::{DriftFindingRecord, DriftRunRecord, RunStatus};
use crate::store::{now_unix, parse_json, parse_text_enum, require_run, require_stack, Store};

impl Store {
    /// Records a drift run's findings and finishes its run (`drift.run_id`, started with
    /// `start_run(.., RunKind::Drift, ..)`) with `status` and `summary`, in one transaction.
    /// `checked_at` 0 means now.
    pub fn record_drift_run(
        &mut self,
        drift: &DriftRunRecord,
        status: RunStatus,
        summary: &str,
    ) -> Result<(), StateError> {
        let now = now_unix();
        let transaction = self.write_transaction()?;
        require_stack(&transaction, &drift.stack)?;
        require_run(&transaction, drift.run_id)?;
        let checked_at = if drift.checked_at == 0 {
            now
        } else {
            drift.checked_at
        };
        transaction.execute(
            "INSERT INTO drift_runs (run_id, stack, checked_at, resources_checked, api_calls, duration_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                drift.run_id,
                drift.stack,
                checked_at,
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
                    drift.run_id,
                    finding.address,
                    finding.type_name,
                    finding.cloud_id,
                    finding.kind.as_str(),
                    serde_json::to_string(&finding.details)?
                ],
            )?;
        }
        let updated = transaction.execute(
            "UPDATE runs SET status = ?2, finished_at = ?3, summary = ?4 WHERE id = ?1",
            params![drift.run_id, status.as_str(), now, summary],
        )?;
        if updated == 0 {
            return Err(StateError::NoSuchRun(drift.run_id));
        }
        transaction.commit()?;
        Ok(())
    }

    /// The drift runs of `stack` that checked at or after `since` (unix seconds), oldest first,
    /// each with its findings in the order they were recorded.
    pub fn drift_runs_since(
        &self,
        stack: &str,
        since: i64,
    ) -> Result<Vec<DriftRunRecord>, StateError> {
        let mut statement = self.connection.prepare(
            "SELECT run_id, stack, checked_at, resources_checked, api_calls, duration_ms
             FROM drift_runs WHERE stack = ?1 AND checked_at >= ?2 ORDER BY checked_at, run_id",
        )?;
        let mut runs: Vec<DriftRunRecord> = statement
            .query_map(params![stack, since], |row| {
                Ok(DriftRunRecord {
                    run_id: row.get(0)?,
                    stack: row.get(1)?,
                    checked_at: row.get(2)?,
                    resources_checked: row.get(3)?,
                    api_calls: row.get(4)?,
                    duration_ms: row.get(5)?,
                    findings: Vec::new(),
                })
            })?
            .collect::<Result<_, _>>()?;
        for run in &mut runs {
            run.findings = self.drift_findings(run.run_id)?;
        }
        Ok(runs)
    }

    /// One recorded drift run, if `run_id` is one.
    pub fn drift_run(&self, run_id: i64) -> Result<Option<DriftRunRecord>, StateError> {
        let mut statement = self.connection.prepare(
            "SELECT run_id, stack, checked_at, resources_checked, api_calls, duration_ms
             FROM drift_runs WHERE run_id = ?1",
        )?;
        let mut rows = statement.query([run_id])?;
        let Some(row) = rows.next()? else {
            return Ok(None);
        };
        let mut run = DriftRunRecord {
            run_id: row.get(0)?,
            stack: row.get(1)?,
            checked_at: row.get(2)?,
            resources_checked: row.get(3)?,
            api_calls: row.get(4)?,
            duration_ms: row.get(5)?,
            findings: Vec::new(),
        };
        run.findings = self.drift_findings(run_id)?;
        Ok(Some(run))
    }

    fn drift_findings(&self, run_id: i64) -> Result<Vec<DriftFindingRecord>, StateError> {
        let mut statement = self.connection.prepare(
            "SELECT address, type, cloud_id, kind, details FROM drift_findings
             WHERE run_id = ?1 ORDER BY id",
        )?;
        let rows: Vec<(String, String, Option<String>, String, String)> = statement
            .query_map([run_id], |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                ))
            })?
            .collect::<Result<_, _>>()?;
        let mut findings = Vec::with_capacity(rows.len());
        for (address, type_name, cloud_id, kind, details) in rows {
            let context = || format!("drift finding of run {run_id} ({address})");
            findings.push(DriftFindingRecord {
                kind: parse_text_enum(&kind, context)?,
                details: parse_json(&details, context)?,
                address,
                type_name,
                cloud_id,
            });
        }
        Ok(findings)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::records::{DriftFindingRecord, DriftKind, DriftRunRecord, RunKind, RunStatus};
    use crate::testing::STACK;
    use crate::Store;

    fn drift_run(store: &mut Store, checked_at: i64, findings: Vec<DriftFindingRecord>) -> i64 {
        let run_id = store.start_run(STACK, RunKind::Drift, "").unwrap();
        let drift = DriftRunRecord {
            run_id,
            stack: STACK.to_string(),
            checked_at,
            resources_checked: 23,
            api_calls: 17,
            duration_ms: 120,
            findings,
        };
        let status = RunStatus::Succeeded;
        store.record_drift_run(&drift, status, "1 drifted").unwrap();
        run_id
    }

    fn finding(address: &str, kind: DriftKind) -> DriftFindingRecord {
        DriftFindingRecord {
            address: address.to_string(),
            type_name: "aws_subnet".to_string(),
            cloud_id: Some("subnet-1".to_string()),
            kind,
            details: json!([{ "attribute": "tags", "expected": {"Tier": "public"}, "actual": {"Tier": "dmz"} }]),
        }
    }

    #[test]
    fn drift_runs_are_listed_since_a_time_with_their_findings() {
        let mut store = Store::open_in_memory().unwrap();
        store.ensure_stack(STACK).unwrap();
        let old = drift_run(
            &mut store,
            1_000,
            vec![finding("aws_subnet.a", DriftKind::Deleted)],
        );
        let recent = drift_run(
            &mut store,
            2_000,
            vec![
                finding("aws_subnet.b", DriftKind::Modified),
                finding("aws_vpc.extra", DriftKind::Unmanaged),
            ],
        );
        let runs = store.drift_runs_since(STACK, 1_500).unwrap();
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].run_id, recent);
        assert_eq!(runs[0].resources_checked, 23);
        let kinds: Vec<_> = runs[0]
            .findings
            .iter()
            .map(|finding| finding.kind)
            .collect();
        assert_eq!(kinds, [DriftKind::Modified, DriftKind::Unmanaged]);
        assert_eq!(runs[0].findings[0].details[0]["attribute"], "tags");
        let all = store.drift_runs_since(STACK, 0).unwrap();
        assert_eq!(
            all.iter().map(|run| run.run_id).collect::<Vec<_>>(),
            [old, recent]
        );
        assert!(store.drift_runs_since("other", 0).unwrap().is_empty());
        assert_eq!(store.drift_run(old).unwrap().unwrap().findings.len(), 1);
        assert!(store.drift_run(old + 100).unwrap().is_none());
    }

    #[test]
    fn recording_finishes_the_run() {
        let mut store = Store::open_in_memory().unwrap();
        store.ensure_stack(STACK).unwrap();
        let run_id = drift_run(&mut store, 0, Vec::new());
        let run = store.run(run_id).unwrap().unwrap();
        assert_eq!(run.kind, RunKind::Drift);
        assert_eq!(run.status, RunStatus::Succeeded);
        assert_eq!(run.summary, "1 drifted");
        let recorded = store.drift_runs_since(STACK, 0).unwrap();
        assert!(recorded[0].checked_at > 0, "0 means now");
    }

    #[test]
    fn recording_for_an_unknown_run_fails() {
        let mut store = Store::open_in_memory().unwrap();
        store.ensure_stack(STACK).unwrap();
        let drift = DriftRunRecord {
            run_id: 99,
            stack: STACK.to_string(),
            checked_at: 0,
            resources_checked: 0,
            api_calls: 0,
            duration_ms: 0,
            findings: Vec::new(),
        };
        assert!(store
            .record_drift_run(&drift, RunStatus::Succeeded, "")
            .is_err());
    }
}
