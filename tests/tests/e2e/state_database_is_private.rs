//! The state database holds every resource's attributes: `apply` creates it 0600 in a 0700
//! folder (SQLite's `-wal` / `-shm` follow the database's mode), and a database or
//! `.provision` folder others can read is tightened, with a `notice:` naming it.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use provision_e2e::{text, MotoServer, Workspace};

const FIXTURE: &str = "tests/fixtures/plan-saved-and-applied";

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
        .permissions()
        .mode()
        & 0o7777
}

#[test]
fn apply_creates_the_state_database_for_its_owner_only() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let folder = workspace.directory.path().join("project/.provision");
    let state = folder.join("state.db");
    let run = |arguments: &[&str], expected: i32| {
        let output = workspace
            .command(arguments)
            .env("PROVISION_STATE", &state)
            .output()
            .expect("run provision");
        assert_eq!(output.status.code(), Some(expected), "{}", text(&output));
        text(&output)
    };

    let applied = run(&["apply", FIXTURE, "--yes"], 0);
    assert!(!applied.contains("notice:"), "{applied}");
    assert_eq!(mode(&state), 0o600);
    assert_eq!(mode(&folder), 0o700);
    assert_eq!(mode(folder.parent().unwrap()), 0o700);
    let wal = folder.join("state.db-wal");
    if wal.exists() {
        assert_eq!(mode(&wal), 0o600);
    }

    // Loosened behind provision's back (a copy, a umask, a backup restore): the next command
    // tightens both and says so; the one after has nothing to say.
    std::fs::set_permissions(&state, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    let planned = run(&["plan", FIXTURE], 0);
    assert!(
        planned.contains(&format!(
            "notice: tightened the permissions of {} from 0644 to 0600",
            state.display()
        )),
        "{planned}"
    );
    assert!(
        planned.contains(&format!("{} from 0755 to 0700", folder.display())),
        "{planned}"
    );
    assert_eq!(mode(&state), 0o600);
    assert_eq!(mode(&folder), 0o700);
    let again = run(&["plan", FIXTURE], 0);
    assert!(!again.contains("notice:"), "{again}");

    run(&["destroy", FIXTURE, "--yes"], 0);
}
