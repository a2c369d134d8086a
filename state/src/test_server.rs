//! A throwaway PostgreSQL server for tests: `initdb` into a temporary folder, `pg_ctl start` on
//! a free 127.0.0.1 port (no Unix socket outside that folder), a password-protected superuser,
//! stopped and deleted on drop. Built with the `test-server` feature (and in this crate's tests).
//!
//! The binaries come from `PROVISION_POSTGRES_BIN` (a folder), else `pg_config --bindir`, else
//! the newest `/usr/lib/postgresql/*/bin`, else `PATH`. None found is a loud failure: install
//! Debian's `postgresql` package (`scripts/test` does). `initdb` refuses to run as root, so as
//! root the server runs as the unprivileged user `nobody` (through `setpriv`, else `runuser`)
//! with the folder handed to that user.

use std::net::TcpListener;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The superuser the server is made with, and its password.
pub const USER: &str = "provision";
pub const PASSWORD: &str = "provision-test-password";

/// The unprivileged user a root test process runs the server as.
const UNPRIVILEGED_USER: &str = "nobody";

/// A running PostgreSQL server; stopped (immediately) and its folder removed on drop.
pub struct PostgresServer {
    folder: tempfile::TempDir,
    binaries: PathBuf,
    pub port: u16,
    as_root: bool,
    /// Serve TLS with a certificate for 127.0.0.1 signed by a throwaway CA (`ca.pem`).
    tls: bool,
}

/// The folder holding `initdb`, `pg_ctl` and `postgres`.
pub fn binaries_folder() -> Option<PathBuf> {
    if let Some(folder) = std::env::var_os("PROVISION_POSTGRES_BIN") {
        return Some(PathBuf::from(folder));
    }
    if let Ok(output) = Command::new("pg_config").arg("--bindir").output() {
        let folder = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
        if output.status.success() && folder.join("initdb").exists() {
            return Some(folder);
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = entry.file_name().to_string_lossy().parse::<u32>().ok()?;
            let folder = entry.path().join("bin");
            folder.join("initdb").exists().then_some((version, folder))
        })
        .collect();
    versions.sort();
    if let Some((_, folder)) = versions.pop() {
        return Some(folder);
    }
    std::env::var_os("PATH")
        .and_then(|path| std::env::split_paths(&path).find(|folder| folder.join("initdb").exists()))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port on 127.0.0.1")
}

fn running_as_root() -> bool {
    std::fs::metadata("/proc/self")
        .map(|metadata| metadata.uid() == 0)
        .unwrap_or(false)
}

impl PostgresServer {
    /// Makes and starts a server; panics, saying what to install, when that is not possible.
    pub fn start() -> PostgresServer {
        PostgresServer::make(false)
    }

    /// Like [`PostgresServer::start`], also serving TLS with a certificate for 127.0.0.1 signed
    /// by a throwaway CA ([`PostgresServer::ca_certificate`]); made with the `openssl` tool.
    pub fn start_with_tls() -> PostgresServer {
        PostgresServer::make(true)
    }

    /// The PEM file of the CA that signed the server's certificate.
    pub fn ca_certificate(&self) -> PathBuf {
        self.folder.path().join("ca.pem")
    }

    fn make(tls: bool) -> PostgresServer {
        let binaries = binaries_folder().unwrap_or_else(|| {
            panic!(
                "no PostgreSQL server binaries (initdb, pg_ctl) found: install Debian's \
                 `postgresql` package (scripts/test does), or set PROVISION_POSTGRES_BIN to the \
                 folder holding them"
            )
        });
        let folder = tempfile::Builder::new()
            .prefix("provision-postgres-")
            .tempdir()
            .expect("temporary folder");
        let as_root = running_as_root();
        let server = PostgresServer {
            folder,
            binaries,
            port: free_port(),
            as_root,
            tls,
        };
        let data = server.data_folder();
        std::fs::write(server.folder.path().join("password"), PASSWORD).expect("password file");
        if as_root {
            for path in [server.folder.path(), &server.folder.path().join("password")] {
                let status = Command::new("chown")
                    .args([
                        &format!("{UNPRIVILEGED_USER}:"),
                        &path.display().to_string(),
                    ])
                    .status()
                    .expect("run chown");
                assert!(status.success(), "chown {} failed", path.display());
            }
        }
        let output = server.run_tool(
            "initdb",
            &[
                "-D",
                &data.display().to_string(),
                "-U",
                USER,
                "--auth=scram-sha-256",
                &format!(
                    "--pwfile={}",
                    server.folder.path().join("password").display()
                ),
                "--no-sync",
                "--encoding=UTF8",
                "--locale=C",
            ],
        );
        assert!(
            output.status.success(),
            "initdb failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        if tls {
            server.make_certificates();
        }
        server.start_server();
        server
    }

    /// `ca.pem` and a server certificate for IP 127.0.0.1 (`server.pem`, `server.key`).
    fn make_certificates(&self) {
        let folder = self.folder.path();
        std::fs::write(
            folder.join("server.ext"),
            "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
        )
        .expect("certificate extensions file");
        let steps: [&[&str]; 3] = [
            &[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "2",
                "-subj",
                "/CN=provision test CA",
            ],
            &[
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
                "-subj",
                "/CN=127.0.0.1",
            ],
            &[
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "server.pem",
                "-days",
                "2",
                "-extfile",
                "server.ext",
            ],
        ];
        for arguments in steps {
            let output = Command::new("openssl")
                .args(arguments)
                .current_dir(folder)
                .stdin(Stdio::null())
                .output()
                .expect("run openssl (the TLS test makes its certificates with it)");
            assert!(
                output.status.success(),
                "openssl {} failed:\n{}",
                arguments.join(" "),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let key = folder.join("server.key");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600))
                .expect("server key mode");
        }
        if self.as_root {
            let status = Command::new("chown")
                .args([&format!("{UNPRIVILEGED_USER}:"), &key.display().to_string()])
                .status()
                .expect("run chown");
            assert!(status.success(), "chown of the server key failed");
        }
    }

    fn data_folder(&self) -> PathBuf {
        self.folder.path().join("data")
    }

    /// Runs one of the server's programs, as the unprivileged user when we are root.
    fn run_tool(&self, program: &str, arguments: &[&str]) -> Output {
        let path = self.binaries.join(program);
        let mut command = if self.as_root {
            if Path::new("/usr/bin/setpriv").exists() || which("setpriv") {
                let mut command = Command::new("setpriv");
                command.args([
                    &format!("--reuid={UNPRIVILEGED_USER}"),
                    "--regid=nogroup",
                    "--clear-groups",
                    "--",
                ]);
                command.arg(&path);
                command
            } else {
                let mut command = Command::new("runuser");
                command.args(["-u", UNPRIVILEGED_USER, "--"]);
                command.arg(&path);
                command
            }
        } else {
            Command::new(&path)
        };
        command
            .args(arguments)
            .current_dir(self.folder.path())
            .env("HOME", self.folder.path())
            .env("LC_ALL", "C")
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|error| panic!("cannot run {}: {error}", path.display()))
    }

    fn start_server(&self) {
        let mut options = format!(
            "-c listen_addresses=127.0.0.1 -p {} -c unix_socket_directories={} \
             -c fsync=off -c shared_buffers=16MB -c max_connections=40 -c max_wal_size=64MB",
            self.port,
            self.folder.path().display()
        );
        if self.tls {
            let folder = self.folder.path().display();
            options.push_str(&format!(
                " -c ssl=on -c ssl_cert_file={folder}/server.pem -c ssl_key_file={folder}/server.key"
            ));
        }
        let log = self.folder.path().join("server.log");
        let output = self.run_tool(
            "pg_ctl",
            &[
                "start",
                "-w",
                "-t",
                "60",
                "-D",
                &self.data_folder().display().to_string(),
                "-l",
                &log.display().to_string(),
                "-o",
                &options,
            ],
        );
        assert!(
            output.status.success(),
            "pg_ctl start failed:\n{}{}\n--- server log\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        self.wait_until_answering();
    }

    fn wait_until_answering(&self) {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "PostgreSQL on port {} does not accept connections",
            self.port
        );
    }

    /// Stops the server (`fast`: connections are closed) and starts it again on the same port.
    pub fn restart(&self) {
        self.stop("fast");
        self.start_server();
    }

    /// Stops the server with `mode` (`smart`, `fast` or `immediate`).
    pub fn stop(&self, mode: &str) {
        let output = self.run_tool(
            "pg_ctl",
            &[
                "stop",
                "-w",
                "-m",
                mode,
                "-D",
                &self.data_folder().display().to_string(),
            ],
        );
        assert!(
            output.status.success(),
            "pg_ctl stop failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// A URL of database `database` with the password in it.
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgres://{USER}:{PASSWORD}@127.0.0.1:{}/{database}?sslmode=disable",
            self.port
        )
    }

    /// A URL of database `database` without password (give it with `PGPASSWORD`).
    pub fn url_without_password(&self, database: &str) -> String {
        format!(
            "postgres://{USER}@127.0.0.1:{}/{database}?sslmode=disable",
            self.port
        )
    }

    /// Creates database `name` (a fresh one per test keeps tests apart) and returns its URL.
    pub fn create_database(&self, name: &str) -> String {
        let mut client = postgres::Client::connect(&self.url("postgres"), postgres::NoTls)
            .expect("connect to the test server");
        client
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .expect("create the test database");
        self.url(name)
    }

    /// Every value of every text column of every table of `database`, one per line.
    pub fn all_text(&self, database: &str) -> String {
        let mut client = postgres::Client::connect(&self.url(database), postgres::NoTls)
            .expect("connect to the test database");
        let columns = client
            .query(
                "SELECT table_name, column_name FROM information_schema.columns
                 WHERE table_schema = 'public' AND data_type IN ('text', 'character varying')
                 ORDER BY table_name, column_name",
                &[],
            )
            .expect("list text columns");
        let mut text = String::new();
        for column in columns {
            let table: String = column.get(0);
            let name: String = column.get(1);
            let rows = client
                .query(
                    &format!("SELECT \"{name}\" FROM \"{table}\" WHERE \"{name}\" IS NOT NULL"),
                    &[],
                )
                .expect("read a text column");
            for row in rows {
                text.push_str(&row.get::<_, String>(0));
                text.push('\n');
            }
        }
        text
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.folder.path().join("server.log")).unwrap_or_default()
    }
}

fn which(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|folder| folder.join(program).exists())
    })
}

impl Drop for PostgresServer {
    fn drop(&mut self) {
        let _ = self.run_tool(
            "pg_ctl",
            &[
                "stop",
                "-m",
                "immediate",
                "-D",
                &self.data_folder().display().to_string(),
            ],
        );
    }
}
