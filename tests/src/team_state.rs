//! Team state on PostgreSQL for the e2e tests: a real PostgreSQL server per test
//! ([`TeamState`], started by `provision_state::test_server`: initdb + pg_ctl in a temporary
//! folder, as `nobody` when the tests run as root), and [`Machine`]s: separate working
//! directories, each with its own copy of the specs and its own configuration folder, that
//! share one state URL (password from `PGPASSWORD`, never on the command line) and one sealing
//! key, as CI, a laptop and a cron host would.

use std::process::{Command, Output, Stdio};

use provision_state::test_server::{PostgresServer, PASSWORD};
use provision_state::{PostgresStore, SealingKey, StateStore};

use crate::{
    copy_directory, expect_exit, listed_addresses, provision_binary, repository_root, MotoServer,
};

/// A PostgreSQL server holding one database for the test's state.
pub struct TeamState {
    pub server: PostgresServer,
    pub database: String,
    /// `postgres://provision@127.0.0.1:PORT/DATABASE?sslmode=disable`, without the password.
    pub url: String,
    /// The sealing key every machine is given (`PROVISION_STATE_KEY`).
    pub key: SealingKey,
}

impl TeamState {
    /// Starts a server and creates the database `database` on it.
    pub fn start(database: &str) -> TeamState {
        let server = PostgresServer::start();
        server.create_database(database);
        TeamState {
            url: server.url_without_password(database),
            database: database.to_string(),
            server,
            key: SealingKey::generate(),
        }
    }

    /// The URL with the password, for the test's own connections.
    pub fn url_with_password(&self) -> String {
        self.server.url(&self.database)
    }

    /// A store on this state with the team's key, as the test's own reader.
    pub fn store(&self) -> PostgresStore {
        let mut store =
            PostgresStore::open(&self.url_with_password()).expect("open the team state");
        store.set_sealing_key(self.key.clone());
        store
    }

    /// Rows in the `resources` table (all stacks), read directly.
    pub fn resource_rows(&self) -> i64 {
        let mut client = postgres::Client::connect(&self.url_with_password(), postgres::NoTls)
            .expect("connect to the team state");
        match client.query_one("SELECT count(*) FROM resources", &[]) {
            Ok(row) => row.get(0),
            Err(_) => 0, // no schema yet
        }
    }

    /// Every value of every text column of every table, one per line.
    pub fn all_text(&self) -> String {
        self.server.all_text(&self.database)
    }
}

/// One machine of the team: its own working directory with a copy of the repository's
/// `specs/` and `tests/fixtures/` folders, its own configuration folder, the shared state.
pub struct Machine {
    pub directory: tempfile::TempDir,
    environment: Vec<(&'static str, String)>,
}

impl Machine {
    pub fn new(moto: &MotoServer, team: &TeamState) -> Machine {
        let directory = tempfile::tempdir().expect("machine folder");
        for folder in ["specs", "tests/fixtures"] {
            copy_directory(
                &repository_root().join(folder),
                &directory.path().join(folder),
            );
        }
        let mut environment = moto.environment();
        environment.push(("PROVISION_STATE", team.url.clone()));
        environment.push(("PGPASSWORD", PASSWORD.to_string()));
        environment.push(("PROVISION_STATE_KEY", team.key.to_hex()));
        Machine {
            directory,
            environment,
        }
    }

    /// A `provision` command run in this machine's folder against the shared state.
    pub fn command(&self, arguments: &[&str]) -> Command {
        let mut command = Command::new(provision_binary());
        command
            .args(arguments)
            .current_dir(self.directory.path())
            .env("XDG_CONFIG_HOME", self.directory.path().join("config"))
            .env("HOME", self.directory.path())
            .env_remove("PROVISION_STATE_KEY_FILE")
            .env_remove("PGPASSFILE")
            .env_remove("AWS_PROFILE")
            .stdin(Stdio::null());
        for (key, value) in &self.environment {
            command.env(key, value);
        }
        command
    }

    /// Runs `provision` and panics with its output unless it exits with `expected_code`.
    pub fn run_expecting(&self, arguments: &[&str], expected_code: i32) -> Output {
        let output = self.command(arguments).output().expect("run provision");
        expect_exit(output, arguments, expected_code)
    }

    /// The addresses `provision state list` prints (`arguments` name folder and environment).
    pub fn state_list(&self, arguments: &[&str]) -> Vec<String> {
        let mut full_arguments = vec!["state", "list"];
        full_arguments.extend_from_slice(arguments);
        listed_addresses(&self.run_expecting(&full_arguments, 0))
    }
}

/// Every sensitive attribute value of `stack` (opened with the team's key) that is text of 8
/// characters or more: what must never be found in clear on the server.
pub fn sensitive_texts(store: &dyn StateStore, stack: &str) -> Vec<String> {
    let mut texts = Vec::new();
    for record in store.resources(stack).expect("read the team state") {
        for name in &record.sensitive_attributes {
            if let Some(text) = record.attributes.get(name).and_then(|value| value.as_str()) {
                if text.len() >= 8 {
                    texts.push(text.to_string());
                }
            }
        }
    }
    texts
}
