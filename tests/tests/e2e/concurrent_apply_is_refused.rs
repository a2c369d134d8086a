//! A stack's lock keeps two applies apart: while a live process holds it, `apply` fails at once
//! naming the holder and touches nothing; a lock left by a dead process is taken over.

use provision_e2e::{has_line_starting_with, text, Cloud, MotoServer, Workspace};
use provision_state::{current_host, LockHolder, Store};

const SPEC: &str = "tests/fixtures/apply-concurrent";

/// The stack `provision` makes of `SPEC` (the folder as given).
const STACK: &str = SPEC;

#[test]
fn apply_is_refused_while_another_process_holds_the_lock() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let mut store = Store::open(&workspace.state_path()).expect("open the state database");
    let holder = LockHolder {
        holder: "test".into(),
        pid: std::process::id(),
        host: current_host(),
    };
    let lock = store
        .acquire_lock(STACK, &holder)
        .expect("the test takes the stack's lock");

    let refused = workspace.run_expecting(&["apply", SPEC, "--yes"], 1);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.lines().any(|line| line.starts_with("error:")),
        "{}",
        text(&refused)
    );
    assert!(
        stderr.to_lowercase().contains("lock")
            && stderr.contains("test")
            && stderr.contains(&std::process::id().to_string()),
        "the refusal must name the lock's holder and pid:\n{}",
        text(&refused)
    );
    let inventory = cloud.inventory(STACK);
    assert!(
        inventory.is_empty(),
        "a refused apply created {}",
        inventory.summary()
    );
    assert_eq!(cloud.non_default_vpc_ids(), Vec::<String>::new());

    // Once the holder lets go, the same apply goes through.
    store
        .release_lock(STACK, &lock.token)
        .expect("release the lock");
    let applied = workspace.run_expecting(&["apply", SPEC, "--yes"], 0);
    assert!(
        has_line_starting_with(
            &applied,
            "Apply complete! Resources: 2 added, 0 changed, 0 destroyed."
        ),
        "{}",
        text(&applied)
    );
}

#[test]
fn apply_takes_over_a_lock_whose_process_is_dead() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let mut finished = std::process::Command::new("true")
        .spawn()
        .expect("spawn `true`");
    let dead_pid = finished.id();
    finished.wait().expect("wait for `true`");
    {
        let mut store = Store::open(&workspace.state_path()).expect("open the state database");
        store
            .acquire_lock(
                STACK,
                &LockHolder {
                    holder: "test".into(),
                    pid: dead_pid,
                    host: current_host(),
                },
            )
            .expect("lock the stack for a process that is gone");
    }

    let applied = workspace.run_expecting(&["apply", SPEC, "--yes"], 0);
    assert!(
        has_line_starting_with(
            &applied,
            "Apply complete! Resources: 2 added, 0 changed, 0 destroyed."
        ),
        "{}",
        text(&applied)
    );
    let inventory = cloud.inventory(STACK);
    assert_eq!(inventory.vpcs.len(), 1, "{}", inventory.summary());
    assert_eq!(inventory.subnets.len(), 1, "{}", inventory.summary());

    // The apply let go of the lock when it finished: a live holder can take it at once.
    let mut store = Store::open(&workspace.state_path()).expect("open the state database");
    store
        .acquire_lock(STACK, &LockHolder::current("test"))
        .expect("the lock is free after apply");
}
