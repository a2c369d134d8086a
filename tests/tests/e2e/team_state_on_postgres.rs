//! Team state on PostgreSQL: the real `provision` binary, a real PostgreSQL server started for
//! each test (initdb + pg_ctl on a free loopback port), moto for AWS. Several "machines"
//! (separate working directories with their own copy of the specs and configuration) share one
//! `postgres://` URL, with the password in `PGPASSWORD` and one sealing key.
//!
//! - EdgeMind applied from one machine plans clean from a second and checks drift from a
//!   third; no sensitive value is in clear in any text column; destroy from the second.
//! - Two applies at once: one runs, the other is refused naming the holder; a holder killed
//!   with SIGKILL mid-apply is taken over and the re-run converges with no orphan or duplicate.
//! - The server restarted mid-apply: the run says so and stops starting work, nothing committed
//!   is lost, a re-run converges.
//! - `state migrate` SQLite → PostgreSQL → SQLite keeps every resource, output and run.

use std::collections::BTreeSet;
use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;
use std::time::{Duration, Instant};

use provision_e2e::team_state::{sensitive_texts, Machine, TeamState};
use provision_e2e::{has_line_starting_with, text, Cloud, MotoServer, EDGEMIND_DEV_RESOURCE_COUNT};
use provision_state::StateStore;

const SPEC: &str = "specs/edgemind";
const STACK: &str = "specs/edgemind/dev";

/// The cloud holds exactly one of each EdgeMind network resource, nothing twice, and state
/// (read from `machine`) holds every instance once and plans clean.
fn assert_converged(machine: &Machine, cloud: &Cloud) {
    let inventory = cloud.inventory(STACK);
    let summary = inventory.summary();
    assert_eq!(inventory.vpcs.len(), 1, "{summary}");
    assert_eq!(inventory.subnets.len(), 4, "{summary}");
    assert_eq!(inventory.internet_gateways.len(), 1, "{summary}");
    assert_eq!(inventory.nat_gateways.len(), 1, "{summary}");
    assert_eq!(inventory.route_tables.len(), 2, "{summary}");
    let addresses = inventory.resource_addresses();
    let unique: BTreeSet<&String> = addresses.iter().collect();
    assert_eq!(unique.len(), addresses.len(), "duplicates: {summary}");
    assert_eq!(
        cloud.non_default_vpc_ids().len(),
        1,
        "one VPC besides the default"
    );

    let state = machine.state_list(&[SPEC, "--env", "dev"]);
    let unique_state: BTreeSet<&String> = state.iter().collect();
    assert_eq!(
        unique_state.len(),
        state.len(),
        "an address twice: {state:?}"
    );
    assert_eq!(state.len(), EDGEMIND_DEV_RESOURCE_COUNT, "{state:?}");
    let plan = machine.run_expecting(&["plan", SPEC, "--env", "dev", "--exit-code"], 0);
    assert!(
        has_line_starting_with(&plan, "No changes."),
        "{}",
        text(&plan)
    );
}

/// Waits until the team state holds at least `rows` resource rows.
fn wait_for_resource_rows(team: &TeamState, rows: i64, child: &mut std::process::Child) {
    let started = Instant::now();
    while team.resource_rows() < rows {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the apply ended ({status:?}) before {rows} resources were committed");
        }
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "fewer than {rows} resources committed after 10 minutes"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn edgemind_applied_on_postgres_is_seen_by_every_machine_and_destroyed() {
    let moto = MotoServer::start();
    let team = TeamState::start("edgemind");
    let cloud = Cloud::new(&moto);
    let ci = Machine::new(&moto, &team);
    let laptop = Machine::new(&moto, &team);
    let cron_host = Machine::new(&moto, &team);

    let applied = ci.run_expecting(&["apply", SPEC, "--env", "dev", "--yes", "--stats"], 0);
    assert!(
        has_line_starting_with(&applied, "Apply complete!"),
        "{}",
        text(&applied)
    );
    assert!(
        text(&applied).contains("State server round trips:"),
        "{}",
        text(&applied)
    );

    // Another machine, another working directory, the same URL: the same state.
    assert_converged(&laptop, &cloud);
    let drift = cron_host.run_expecting(&["drift", SPEC, "--env", "dev"], 0);
    assert!(!text(&drift).contains("modified"), "{}", text(&drift));
    let history = text(&laptop.run_expecting(&["history"], 0));
    assert!(
        history.contains("apply") && history.contains("drift"),
        "{history}"
    );

    // Nothing sensitive in clear on the server: every text column of every table.
    let store = team.store();
    let secrets = sensitive_texts(&store, STACK);
    assert!(
        secrets.len() >= 2,
        "EdgeMind has generated passwords in state: {secrets:?}"
    );
    let everything = team.all_text();
    assert!(everything.contains("provision-sealed:v1:"));
    for secret in &secrets {
        assert!(
            !everything.contains(secret.as_str()),
            "a sensitive value is in clear on the server"
        );
    }
    assert!(
        !everything.contains(&team.key.to_hex()),
        "the sealing key reached the server"
    );
    assert!(
        !everything.contains(provision_state::test_server::PASSWORD),
        "the database password was stored"
    );

    let destroyed = laptop.run_expecting(&["destroy", SPEC, "--env", "dev", "--yes"], 0);
    assert!(
        has_line_starting_with(&destroyed, "Destroy complete!"),
        "{}",
        text(&destroyed)
    );
    assert!(
        cloud.inventory(STACK).is_empty(),
        "{}",
        cloud.inventory(STACK).summary()
    );
    assert!(ci.state_list(&[SPEC, "--env", "dev"]).is_empty());
}

#[test]
fn two_applies_at_once_one_runs_and_the_other_is_refused_naming_it() {
    let moto = MotoServer::start();
    let team = TeamState::start("concurrent");
    let cloud = Cloud::new(&moto);
    let first = Machine::new(&moto, &team);
    let second = Machine::new(&moto, &team);
    // The schema exists before the race, as it does for a team that has applied before.
    drop(team.store());

    let spawn = |machine: &Machine| {
        machine
            .command(&["apply", SPEC, "--env", "dev", "--yes"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start provision apply")
    };
    let one = spawn(&first);
    let other = spawn(&second);
    let (one_pid, other_pid) = (one.id(), other.id());
    let one = one.wait_with_output().expect("wait for the first apply");
    let other = other.wait_with_output().expect("wait for the second apply");
    let (winner, winner_pid, loser) = match (one.status.code(), other.status.code()) {
        (Some(0), Some(1)) => (&one, one_pid, &other),
        (Some(1), Some(0)) => (&other, other_pid, &one),
        codes => panic!(
            "expected one apply to succeed and one to be refused, got {codes:?}\n--- first\n{}\n--- second\n{}",
            text(&one),
            text(&other)
        ),
    };
    assert!(
        has_line_starting_with(winner, "Apply complete!"),
        "{}",
        text(winner)
    );
    let refusal = String::from_utf8_lossy(&loser.stderr);
    assert!(
        refusal.contains("is locked by provision apply")
            && refusal.contains(&format!("pid {winner_pid} on")),
        "the refusal names the holder and its pid:\n{refusal}"
    );
    assert!(
        !String::from_utf8_lossy(&loser.stdout).contains("Apply complete!"),
        "{}",
        text(loser)
    );
    assert_converged(&first, &cloud);
}

#[test]
fn apply_killed_midway_on_postgres_is_taken_over_and_converges() {
    let moto = MotoServer::start();
    let team = TeamState::start("killed");
    let cloud = Cloud::new(&moto);
    let doomed = Machine::new(&moto, &team);
    let survivor = Machine::new(&moto, &team);

    let mut child = doomed
        .command(&["apply", SPEC, "--env", "dev", "--yes", "--parallelism", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start provision apply");
    wait_for_resource_rows(&team, 6, &mut child);
    let killed = std::process::Command::new("kill")
        .args(["-9", &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(killed.success());
    let status = child.wait().expect("wait for the killed apply");
    assert_eq!(
        status.signal(),
        Some(9),
        "the apply died of SIGKILL mid-way"
    );
    let store = team.store();
    let lock = store
        .lock_holder(STACK)
        .expect("read the lock")
        .expect("the killed apply left its lock behind");
    assert_eq!(lock.pid, child.id());

    let rerun = survivor.run_expecting(&["apply", SPEC, "--env", "dev", "--yes"], 0);
    assert!(
        has_line_starting_with(&rerun, "Apply complete!"),
        "{}",
        text(&rerun)
    );
    assert_converged(&survivor, &cloud);
    let history = text(&survivor.run_expecting(&["history"], 0));
    assert!(
        history.contains("interrupted"),
        "the killed run is marked interrupted:\n{history}"
    );
}

#[test]
fn postgres_restarted_during_apply_loses_nothing_and_a_rerun_converges() {
    let moto = MotoServer::start();
    let team = TeamState::start("restart");
    let cloud = Cloud::new(&moto);
    let machine = Machine::new(&moto, &team);

    // The output goes to a file: a pipe nobody reads until the end would fill up and stop the
    // apply on its next line.
    let log_path = machine.directory.path().join("apply.log");
    let log = std::fs::File::create(&log_path).expect("create the apply log");
    let mut child = machine
        .command(&["apply", SPEC, "--env", "dev", "--yes", "--parallelism", "1"])
        .stdout(log.try_clone().expect("share the apply log"))
        .stderr(log)
        .spawn()
        .expect("start provision apply");
    wait_for_resource_rows(&team, 6, &mut child);
    let committed: BTreeSet<String> = team
        .store()
        .resources(STACK)
        .expect("read state")
        .into_iter()
        .map(|record| record.address)
        .collect();
    team.server.restart();
    let status = child.wait().expect("wait for the apply");
    let report = std::fs::read_to_string(&log_path).expect("read the apply log");
    assert_eq!(status.code(), Some(1), "{report}");
    assert!(
        report.contains("the connection to the state server") && report.contains("was lost"),
        "the run reports the lost connection:\n{report}"
    );
    assert!(report.contains("not started (interrupted)"), "{report}");
    let after: BTreeSet<String> = machine
        .state_list(&[SPEC, "--env", "dev"])
        .into_iter()
        .collect();
    assert!(
        committed.is_subset(&after),
        "committed resources were lost: {:?}",
        committed.difference(&after).collect::<Vec<_>>()
    );
    assert!(
        after.len() < EDGEMIND_DEV_RESOURCE_COUNT,
        "the run stopped starting new work"
    );

    let rerun = machine.run_expecting(&["apply", SPEC, "--env", "dev", "--yes"], 0);
    assert!(
        has_line_starting_with(&rerun, "Apply complete!"),
        "{}",
        text(&rerun)
    );
    assert_converged(&machine, &cloud);
}

/// `history --json` without the run ids (each store numbers its own).
fn runs_without_ids(machine: &Machine, state: &str) -> Vec<serde_json::Value> {
    let output = machine.run_expecting(
        &["--state", state, "history", "--json", "--limit", "100"],
        0,
    );
    let mut runs: Vec<serde_json::Value> =
        serde_json::from_slice(&output.stdout).expect("history --json");
    for run in &mut runs {
        run.as_object_mut().expect("a run object").remove("id");
    }
    runs
}

/// The `sha256 …` a `state migrate` printed.
fn digest(output: &std::process::Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let start = stdout
        .find("sha256 ")
        .expect("a sha256 in the migrate output")
        + 7;
    stdout[start..start + 64].to_string()
}

#[test]
fn state_migrate_sqlite_to_postgres_and_back_keeps_every_resource_output_and_run() {
    let moto = MotoServer::start();
    let team = TeamState::start("migrate");
    let machine = Machine::new(&moto, &team);
    let sqlite = machine
        .directory
        .path()
        .join("first.db")
        .display()
        .to_string();
    let back = machine
        .directory
        .path()
        .join("back.db")
        .display()
        .to_string();
    let postgres = team.url.clone();
    let on = |state: &str, arguments: &[&str], code: i32| {
        let mut full = vec!["--state", state];
        full.extend_from_slice(arguments);
        machine.run_expecting(&full, code)
    };

    on(&sqlite, &["apply", SPEC, "--env", "dev", "--yes"], 0);
    on(&sqlite, &["drift", SPEC, "--env", "dev"], 0);
    on(&sqlite, &["plan", SPEC, "--env", "dev"], 0);
    let resources = |state: &str| {
        text(&on(
            state,
            &["state", "list", SPEC, "--env", "dev", "--json"],
            0,
        ))
    };
    let outputs = |state: &str| text(&on(state, &["output", SPEC, "--env", "dev", "--json"], 0));
    let (sqlite_resources, sqlite_outputs) = (resources(&sqlite), outputs(&sqlite));
    let sqlite_runs = runs_without_ids(&machine, &sqlite);
    assert!(sqlite_runs.len() >= 3, "{sqlite_runs:?}");

    let to_postgres = on(
        &sqlite,
        &["state", "migrate", SPEC, "--env", "dev", "--to", &postgres],
        0,
    );
    let message = text(&to_postgres);
    assert!(message.contains("Verified"), "{message}");
    assert!(
        message.contains(&format!("{EDGEMIND_DEV_RESOURCE_COUNT} resources")),
        "{message}"
    );
    assert!(
        !message.contains(provision_state::test_server::PASSWORD),
        "{message}"
    );
    assert_eq!(resources(&postgres), sqlite_resources);
    assert_eq!(outputs(&postgres), sqlite_outputs);
    assert_eq!(runs_without_ids(&machine, &postgres), sqlite_runs);

    // The target stack is not empty now: a second migration is refused and changes nothing.
    let refused = on(
        &sqlite,
        &["state", "migrate", SPEC, "--env", "dev", "--to", &postgres],
        1,
    );
    assert!(
        text(&refused).contains("refusing to overwrite"),
        "{}",
        text(&refused)
    );
    assert_eq!(runs_without_ids(&machine, &postgres), sqlite_runs);

    let to_sqlite = on(
        &postgres,
        &["state", "migrate", SPEC, "--env", "dev", "--to", &back],
        0,
    );
    assert!(
        text(&to_sqlite).contains("Verified"),
        "{}",
        text(&to_sqlite)
    );
    assert_eq!(
        digest(&to_sqlite),
        digest(&to_postgres),
        "the same stack both ways"
    );
    assert_eq!(resources(&back), sqlite_resources);
    assert_eq!(outputs(&back), sqlite_outputs);
    assert_eq!(runs_without_ids(&machine, &back), sqlite_runs);

    // Each copy is a working state: no changes to make, from the server or the file.
    for state in [&postgres, &back] {
        let plan = on(state, &["plan", SPEC, "--env", "dev", "--exit-code"], 0);
        assert!(
            has_line_starting_with(&plan, "No changes."),
            "{}",
            text(&plan)
        );
    }
}
