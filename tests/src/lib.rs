//! Test harness for end-to-end tests: starts `moto_server` (the AWS API emulator) on a free
//! 127.0.0.1 port, runs the real `provision` binary against it, and builds SDK clients that
//! check results directly.
//!
//! A missing emulator is a loud failure: install it with `pip install 'moto[server]'` (the
//! README's test command does this).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A running `moto_server`, killed on drop.
pub struct MotoServer {
    child: Child,
    pub endpoint: String,
}

impl MotoServer {
    /// Starts `moto_server -H 127.0.0.1 -p 0` and waits until it says where it listens.
    pub fn start() -> MotoServer {
        let program = std::env::var("MOTO_SERVER").unwrap_or_else(|_| "moto_server".to_string());
        let mut child = Command::new(&program)
            .args(["-H", "127.0.0.1", "-p", "0"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|error| {
                panic!(
                    "could not start `{program}` ({error}): the end-to-end tests need the AWS \
                     emulator; install it with `pip install 'moto[server]'` or run scripts/test"
                )
            });
        let stderr = child.stderr.take().expect("moto_server stderr");
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if !sent {
                    if let Some(start) = line.find("http://127.0.0.1:") {
                        let endpoint = line[start..]
                            .split_whitespace()
                            .next()
                            .unwrap_or("")
                            .to_string();
                        let _ = sender.send(endpoint);
                        sent = true;
                    }
                }
            }
        });
        let endpoint = receiver
            .recv_timeout(Duration::from_secs(60))
            .expect("moto_server did not report its address within 60 s");
        let server = MotoServer { child, endpoint };
        server.wait_until_answering();
        server
    }

    fn wait_until_answering(&self) {
        let address = self.endpoint.trim_start_matches("http://").to_string();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(30) {
            if std::net::TcpStream::connect(&address).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "moto_server at {} does not accept connections",
            self.endpoint
        );
    }

    /// Environment for anything that talks to this emulator: endpoint, static test
    /// credentials, region, no shared config files, no instance metadata, fast polling.
    pub fn environment(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ENDPOINT_URL", self.endpoint.clone()),
            ("AWS_ACCESS_KEY_ID", "testing".to_string()),
            ("AWS_SECRET_ACCESS_KEY", "testing".to_string()),
            ("AWS_SESSION_TOKEN", "testing".to_string()),
            ("AWS_REGION", "us-east-1".to_string()),
            ("AWS_DEFAULT_REGION", "us-east-1".to_string()),
            ("AWS_CONFIG_FILE", "/dev/null".to_string()),
            ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null".to_string()),
            ("AWS_EC2_METADATA_DISABLED", "true".to_string()),
            ("AWS_MAX_ATTEMPTS", "2".to_string()),
            ("PROVISION_POLL_MILLIS", "50".to_string()),
            ("NO_COLOR", "1".to_string()),
        ]
    }

    /// An `SdkConfig` pointed at this emulator, for direct describe calls.
    pub async fn sdk_config(&self) -> aws_types::SdkConfig {
        let credentials =
            aws_types::sdk_config::SharedCredentialsProvider::new(aws_credential_types_static());
        aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new("us-east-1"))
            .endpoint_url(&self.endpoint)
            .credentials_provider(credentials)
            .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(1))
            .load()
            .await
    }

    /// A direct EC2 client against this emulator.
    pub async fn ec2(&self) -> aws_sdk_ec2::Client {
        aws_sdk_ec2::Client::new(&self.sdk_config().await)
    }
}

fn aws_credential_types_static() -> aws_credential_types::Credentials {
    aws_credential_types::Credentials::new("testing", "testing", None, None, "provision-tests")
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `provision` binary of this workspace's target dir (`PROVISION_BIN` overrides). Built by
/// `cargo test --workspace` (the e2e package depends on the engine's binary through the
/// README's test command, which builds it first).
pub fn provision_binary() -> PathBuf {
    if let Ok(path) = std::env::var("PROVISION_BIN") {
        return PathBuf::from(path);
    }
    let mut directory = std::env::current_exe().expect("test executable path");
    directory.pop(); // the test binary
    if directory.ends_with("deps") {
        directory.pop();
    }
    let binary = directory.join("provision");
    assert!(
        binary.exists(),
        "{} not found: build it with `cargo build -p provision-engine --bin provision` \
         (scripts/test does this) or set PROVISION_BIN",
        binary.display()
    );
    binary
}

/// A work folder for one test: its own state database, and the emulator's environment.
pub struct Workspace {
    pub directory: tempfile::TempDir,
    pub environment: Vec<(&'static str, String)>,
}

impl Workspace {
    pub fn new(server: &MotoServer) -> Workspace {
        Workspace {
            directory: tempfile::tempdir().expect("temporary directory"),
            environment: server.environment(),
        }
    }

    pub fn state_path(&self) -> PathBuf {
        self.directory.path().join("state.db")
    }

    /// A `provision` command with this workspace's state file and emulator environment, run
    /// from the repository root so `specs/...` paths work.
    pub fn command(&self, arguments: &[&str]) -> Command {
        let mut command = Command::new(provision_binary());
        command
            .args(arguments)
            .current_dir(repository_root())
            .env("PROVISION_STATE", self.state_path())
            .env_remove("AWS_PROFILE")
            .stdin(Stdio::null());
        for (key, value) in &self.environment {
            command.env(key, value);
        }
        command
    }

    /// Runs `provision` to completion and returns its output.
    pub fn run(&self, arguments: &[&str]) -> Output {
        self.command(arguments).output().expect("run provision")
    }

    /// Runs `provision` and panics with its output unless it exits with `expected_code`.
    pub fn run_expecting(&self, arguments: &[&str], expected_code: i32) -> Output {
        let output = self.run(arguments);
        if output.status.code() != Some(expected_code) {
            panic!(
                "`provision {}` exited with {:?}, expected {expected_code}\n--- stdout\n{}\n--- stderr\n{}",
                arguments.join(" "),
                output.status.code(),
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        output
    }
}

/// The repository root (the parent of this crate's folder).
pub fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("repository root")
        .to_path_buf()
}

/// stdout and stderr of a finished command as one string, for assertions and messages.
pub fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}
