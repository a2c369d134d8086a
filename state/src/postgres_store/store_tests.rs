//! The PostgreSQL store against a real server (started by `test_server`): the same records and
//! refusals as the SQLite store, sealing with nothing in clear on the server, locks across
//! connections, moving a stack between the two stores, and reconnecting after a restart.

use serde_json::json;

use super::PostgresStore;
use crate::lock::{current_host, LOCK_STALE_AFTER_SECONDS};
use crate::records::{
    DriftFindingRecord, DriftKind, DriftRunRecord, LockHolder, OutputRecord, PendingKind,
    PlanRecord, RunKind, RunStatus,
};
use crate::sealing::SealingKey;
use crate::state_store::StateStore;
use crate::store::Store as SqliteStore;
use crate::test_server::{PostgresServer, PASSWORD, USER};
use crate::testing::{event, pending, subnet, STACK};
use crate::StateError;

fn holder(name: &str, pid: u32, host: &str) -> LockHolder {
    LockHolder {
        holder: format!("provision apply ({name})"),
        pid,
        host: host.to_string(),
    }
}

/// Fills `store` with one of everything: resources (one sensitive), a pending operation, outputs
/// (one sensitive), a plan, runs with events, a drift run with findings.
fn fill(store: &mut dyn StateStore) -> i64 {
    store.ensure_stack(STACK).unwrap();
    let run_id = store.start_run(STACK, RunKind::Apply, "test").unwrap();
    let pending_id = store
        .begin_pending(STACK, &pending(run_id, "aws_subnet.a", PendingKind::Create))
        .unwrap();
    let mut secret = subnet("random_password.token", "none");
    secret.attributes["secret"] = json!("correct-horse-battery-staple");
    secret.dependencies = vec!["aws_subnet.a".to_string()];
    secret.provider = "aws.europe".to_string();
    store
        .commit_resource(
            STACK,
            &secret,
            &event(run_id, &secret.address, "create"),
            None,
        )
        .unwrap();
    store
        .commit_resource(
            STACK,
            &subnet("aws_subnet.a", "subnet-1"),
            &event(run_id, "aws_subnet.a", "create"),
            Some(pending_id),
        )
        .unwrap();
    let mut in_europe = pending(run_id, "aws_subnet.b", PendingKind::Create);
    in_europe.provider = "aws.europe".to_string();
    store.begin_pending(STACK, &in_europe).unwrap();
    store
        .replace_outputs(
            STACK,
            &[
                OutputRecord {
                    name: "token".into(),
                    value: json!("output-secret-value"),
                    sensitive: true,
                },
                OutputRecord {
                    name: "vpc_id".into(),
                    value: json!("vpc-1"),
                    sensitive: false,
                },
            ],
        )
        .unwrap();
    let stack = store.stack(STACK).unwrap().unwrap();
    store
        .save_plan(&PlanRecord {
            id: 0,
            stack: STACK.into(),
            lineage: stack.lineage,
            state_serial: stack.serial,
            spec_hash: "hash".into(),
            plan_json: "{}".into(),
            created_at: 0,
        })
        .unwrap();
    store
        .finish_run(run_id, RunStatus::Succeeded, "2 created")
        .unwrap();
    let drift_id = store.start_run(STACK, RunKind::Drift, "").unwrap();
    store
        .record_drift_run(
            &DriftRunRecord {
                run_id: drift_id,
                stack: STACK.into(),
                checked_at: 0,
                resources_checked: 2,
                api_calls: 3,
                duration_ms: 4,
                findings: vec![DriftFindingRecord {
                    address: "aws_subnet.a".into(),
                    type_name: "aws_subnet".into(),
                    cloud_id: Some("subnet-1".into()),
                    kind: DriftKind::Modified,
                    details: json!([{"attribute": "tags"}]),
                }],
            },
            RunStatus::Succeeded,
            "1 drifted",
        )
        .unwrap();
    run_id
}

#[test]
fn postgres_keeps_the_records_and_rules_of_the_sqlite_store() {
    let server = PostgresServer::start();
    let url = server.create_database("records");
    let mut store = PostgresStore::open(&url).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        super::schema::current_version()
    );
    assert_eq!(
        super::schema::current_version(),
        crate::schema::current_version(),
        "the PostgreSQL schema follows the SQLite schema step for step"
    );
    let key = SealingKey::generate();
    store.set_sealing_key(key.clone());
    let run_id = fill(&mut store);

    let stack = store.stack(STACK).unwrap().unwrap();
    assert_eq!(stack.serial, 2);
    let resources = store.resources(STACK).unwrap();
    assert_eq!(
        resources
            .iter()
            .map(|record| record.address.as_str())
            .collect::<Vec<_>>(),
        ["aws_subnet.a", "random_password.token"]
    );
    assert_eq!(
        store
            .resource(STACK, "random_password.token")
            .unwrap()
            .unwrap()
            .attributes["secret"],
        json!("correct-horse-battery-staple")
    );
    assert_eq!(resources[0].provider, "aws");
    assert_eq!(resources[1].provider, "aws.europe");
    let pending = store.pending_operations(STACK).unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].address, "aws_subnet.b");
    assert_eq!(pending[0].provider, "aws.europe");
    assert_eq!(
        store.outputs(STACK).unwrap()[0].value,
        json!("output-secret-value")
    );
    assert_eq!(store.latest_plan().unwrap().unwrap().spec_hash, "hash");
    assert_eq!(
        store.latest_plan_for(STACK).unwrap().unwrap().state_serial,
        2
    );
    let events = store.events(run_id).unwrap();
    assert_eq!(events.len(), 2);
    assert!(events.iter().all(|event| event.at > 0));
    let runs = store.runs(Some(STACK), 10).unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[1].status, RunStatus::Succeeded);
    assert_eq!(store.runs(None, 1).unwrap().len(), 1);
    let drift = store.drift_runs_since(STACK, 0).unwrap();
    assert_eq!(drift.len(), 1);
    assert_eq!(drift[0].findings[0].kind, DriftKind::Modified);
    assert!(store.drift_run(drift[0].run_id).unwrap().is_some());

    // The same refusals as SQLite, and a refused write changes nothing.
    assert!(matches!(
        store.commit_resource(
            STACK,
            &subnet("aws_subnet.c", "subnet-3"),
            &event(run_id, "aws_subnet.c", "create"),
            Some(9999)
        ),
        Err(StateError::NoSuchPendingOperation(9999))
    ));
    assert_eq!(store.resource(STACK, "aws_subnet.c").unwrap(), None);
    assert_eq!(store.stack(STACK).unwrap().unwrap().serial, 2);
    assert!(matches!(
        store.remove_resource(STACK, "aws_subnet.zzz", &event(run_id, "x", "delete"), None),
        Err(StateError::NoSuchResource { .. })
    ));
    assert!(matches!(
        store.record_event(&event(run_id + 100, "x", "create")),
        Err(StateError::NoSuchRun(_))
    ));
    assert!(matches!(
        store.start_run("specs/missing", RunKind::Plan, ""),
        Err(StateError::UnknownStack(_))
    ));
    assert!(matches!(
        store.replace_outputs("specs/missing", &[]),
        Err(StateError::UnknownStack(_))
    ));
    assert!(matches!(
        store.clear_pending(9999),
        Err(StateError::NoSuchPendingOperation(_))
    ));

    // A `moved` block: the row gets its new address, the rows depending on it follow.
    let moved_to = "module.network.aws_subnet.a";
    let serial = store
        .move_resource(
            STACK,
            "aws_subnet.a",
            moved_to,
            &event(run_id, moved_to, "move"),
        )
        .unwrap();
    assert_eq!(serial, 3);
    assert_eq!(store.resource(STACK, "aws_subnet.a").unwrap(), None);
    let moved = store.resource(STACK, moved_to).unwrap().unwrap();
    assert_eq!(moved.cloud_id.as_deref(), Some("subnet-1"));
    assert_eq!(
        store
            .resource(STACK, "random_password.token")
            .unwrap()
            .unwrap()
            .dependencies,
        [moved_to]
    );
    assert!(matches!(
        store.move_resource(
            STACK,
            "aws_subnet.a",
            "aws_subnet.d",
            &event(run_id, "x", "move")
        ),
        Err(StateError::NoSuchResource { .. })
    ));
    assert_eq!(store.stack(STACK).unwrap().unwrap().serial, 3);
    let serial = store
        .remove_resource(STACK, moved_to, &event(run_id, moved_to, "delete"), None)
        .unwrap();
    assert_eq!(serial, 4);

    // No sensitive value reaches the server in clear; the key is refused when wrong.
    let everything = server.all_text("records");
    for secret in ["correct-horse-battery-staple", "output-secret-value"] {
        assert!(!everything.contains(secret), "{secret} reached the server");
    }
    assert!(
        !everything.contains(&key.to_hex()),
        "the key reached the server"
    );
    assert!(everything.contains("vpc-1"));
    let mut other = PostgresStore::open(&url).unwrap();
    other.set_sealing_key(SealingKey::generate());
    assert!(matches!(
        other.outputs(STACK),
        Err(StateError::WrongSealingKey { .. })
    ));
    let unkeyed = PostgresStore::open_existing(&url).unwrap().unwrap();
    assert!(matches!(
        unkeyed.resources(STACK),
        Err(StateError::NoSealingKey)
    ));
    assert!(store.round_trip_count() > 0);
}

#[test]
fn postgres_locks_name_their_holder_and_are_taken_over_when_it_is_gone() {
    let server = PostgresServer::start();
    let url = server.create_database("locks");
    let mut first = PostgresStore::open(&url).unwrap();
    let mut second = PostgresStore::open(&url).unwrap();
    let remote = holder("carol", 4321, "elsewhere");
    let lock = first.acquire_lock(STACK, &remote).unwrap();
    assert_eq!(second.lock_holder(STACK).unwrap(), Some(lock.clone()));
    let alice = holder("alice", std::process::id(), &current_host());
    match second.acquire_lock(STACK, &alice) {
        Err(StateError::Locked {
            holder, pid, host, ..
        }) => {
            assert_eq!(holder, "provision apply (carol)");
            assert_eq!(pid, 4321);
            assert_eq!(host, "elsewhere");
        }
        other => panic!("expected Locked, got {other:?}"),
    }
    first.heartbeat(STACK, &lock.token).unwrap();
    assert!(matches!(
        second.heartbeat(STACK, "not-the-token"),
        Err(StateError::LockNotHeld(_))
    ));
    // The remote holder's heartbeat stops: after the stale time the lock is taken over.
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client
        .execute(
            "UPDATE locks SET heartbeat_at = heartbeat_at - $1",
            &[&(LOCK_STALE_AFTER_SECONDS + 5)],
        )
        .unwrap();
    let acquisition = second.acquire_lock_reporting(STACK, &alice).unwrap();
    assert_eq!(acquisition.taken_over.unwrap().token, lock.token);
    assert!(matches!(
        first.heartbeat(STACK, &lock.token),
        Err(StateError::LockNotHeld(_))
    ));
    second.release_lock(STACK, &acquisition.lock.token).unwrap();
    assert_eq!(first.lock_holder(STACK).unwrap(), None);

    // Of racing acquirers on separate connections, exactly one wins.
    let threads: Vec<_> = (0..4)
        .map(|index| {
            let url = url.clone();
            std::thread::spawn(move || {
                let mut store = PostgresStore::open(&url).unwrap();
                store.acquire_lock(
                    "specs/race",
                    &holder(
                        &format!("racer {index}"),
                        std::process::id(),
                        &current_host(),
                    ),
                )
            })
        })
        .collect();
    let results: Vec<_> = threads
        .into_iter()
        .map(|thread| thread.join().unwrap())
        .collect();
    assert_eq!(results.iter().filter(|result| result.is_ok()).count(), 1);

    // Runs of a remote process without a live lock are interrupted; our own are not.
    first.ensure_stack(STACK).unwrap();
    let own = first.start_run(STACK, RunKind::Apply, "").unwrap();
    let remote_run = first.start_run(STACK, RunKind::Apply, "").unwrap();
    client
        .execute(
            "UPDATE runs SET host = 'elsewhere', pid = 77 WHERE id = $1",
            &[&remote_run],
        )
        .unwrap();
    assert_eq!(first.mark_interrupted_runs(STACK).unwrap(), 1);
    assert_eq!(first.run(own).unwrap().unwrap().status, RunStatus::Running);
    assert_eq!(
        first.run(remote_run).unwrap().unwrap().status,
        RunStatus::Interrupted
    );
}

#[test]
fn a_stack_moves_from_sqlite_to_postgres_and_back_unchanged() {
    let server = PostgresServer::start();
    let url = server.create_database("transfer");
    let key = SealingKey::generate();
    let mut sqlite = SqliteStore::open_in_memory().unwrap();
    sqlite.set_sealing_key(key.clone());
    fill(&mut sqlite);
    let exported = StateStore::export_stack(&sqlite, STACK).unwrap();
    let summary = exported.summary();
    assert_eq!(
        (
            summary.resources,
            summary.outputs,
            summary.runs,
            summary.events,
            summary.drift_findings
        ),
        (2, 2, 2, 2, 1)
    );

    let mut postgres = PostgresStore::open(&url).unwrap();
    postgres.import_stack(&exported).unwrap();
    let in_postgres = StateStore::export_stack(&postgres, STACK).unwrap();
    assert_eq!(in_postgres.summary(), summary);
    assert!(matches!(
        postgres.import_stack(&exported),
        Err(StateError::TargetNotEmpty { .. })
    ));
    postgres.set_sealing_key(key.clone());
    assert_eq!(
        postgres.resources(STACK).unwrap(),
        sqlite.resources(STACK).unwrap()
    );
    assert_eq!(
        postgres.pending_operations(STACK).unwrap().len(),
        1,
        "pending operations come along, tied to their run"
    );

    let mut back = SqliteStore::open_in_memory().unwrap();
    StateStore::import_stack(&mut back, &in_postgres).unwrap();
    assert_eq!(
        StateStore::export_stack(&back, STACK).unwrap().summary(),
        summary
    );
    back.set_sealing_key(key);
    assert_eq!(back.outputs(STACK).unwrap(), sqlite.outputs(STACK).unwrap());
}

#[test]
fn writes_wait_for_a_restarted_server_and_land_once() {
    let server = PostgresServer::start();
    let url = server.create_database("restart");
    let mut store = PostgresStore::open(&url).unwrap();
    store.ensure_stack(STACK).unwrap();
    let run_id = store.start_run(STACK, RunKind::Apply, "").unwrap();
    assert!(!store
        .connection_lost_flag()
        .load(std::sync::atomic::Ordering::SeqCst));
    server.restart();
    let serial = store
        .commit_resource(
            STACK,
            &subnet("aws_subnet.a", "subnet-1"),
            &event(run_id, "aws_subnet.a", "create"),
            None,
        )
        .unwrap();
    assert_eq!(serial, 1);
    assert!(
        store
            .connection_lost_flag()
            .load(std::sync::atomic::Ordering::SeqCst),
        "the broken connection is reported"
    );
    assert_eq!(store.events(run_id).unwrap().len(), 1);

    // A server that stays away: the write gives up after the reconnect window.
    let mut impatient = PostgresStore::open(&url).unwrap();
    impatient.reconnect_window = std::time::Duration::from_secs(1);
    server.stop("fast");
    let error = impatient
        .commit_resource(
            STACK,
            &subnet("aws_subnet.b", "subnet-2"),
            &event(run_id, "aws_subnet.b", "create"),
            None,
        )
        .unwrap_err();
    assert!(
        matches!(error, StateError::ConnectionLost { .. }),
        "{error}"
    );
    assert!(error.is_connection_lost());
}

#[test]
fn tls_connections_are_encrypted_and_verify_the_server_certificate() {
    let server = PostgresServer::start_with_tls();
    let base = format!(
        "postgres://{USER}:{PASSWORD}@127.0.0.1:{}/postgres",
        server.port
    );
    let trusted = format!(
        "{base}?sslmode=verify-full&sslrootcert={}",
        server.ca_certificate().display()
    );
    let mut store = PostgresStore::open(&trusted).unwrap();
    store.ensure_stack(STACK).unwrap();
    let encrypted: bool = store
        .read(|session| {
            Ok(session
                .query_one(
                    "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                    &[],
                )?
                .get(0))
        })
        .unwrap();
    assert!(encrypted, "the connection is TLS");

    // Without the CA the certificate cannot be verified: no connection, with or without
    // `require` (provision never accepts an unverified certificate).
    for mode in ["require", "prefer"] {
        match PostgresStore::open(&format!("{base}?sslmode={mode}")) {
            Err(StateError::Connect { reason, .. }) => {
                assert!(reason.to_lowercase().contains("certificate"), "{reason}")
            }
            other => panic!("sslmode={mode} without the CA: expected Connect, got {other:?}"),
        }
    }
}
