//! The PostgreSQL state store, [`PostgresStore`]: the same records and rules as the SQLite
//! store, kept in a PostgreSQL server that CI, laptops and a cron drift host share.
//!
//! - One connection (the synchronous `postgres` driver, TLS through rustls), statements
//!   prepared once per connection.
//! - Every write is one transaction. It ends by recording a random token in
//!   `provision_writes` in the same round trip as its `COMMIT`, so when the connection breaks
//!   the write is retried after reconnecting only if its token is not there: a commit is never
//!   lost and never applied twice.
//! - A broken connection is retried (reconnect with backoff) for
//!   `PROVISION_STATE_RECONNECT_SECONDS` (default 60 s); the store's `connection_lost` flag is
//!   raised at the first failure, so an apply stops starting new work while the calls in
//!   flight finish and their commits wait for the server.
//! - Sensitive values are sealed in this process before they are sent: the key never reaches
//!   the server.

mod operations;
pub mod schema;
#[cfg(test)]
mod store_tests;
mod tls;
mod transfer;
pub mod url;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::error::Error as _;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use postgres::types::ToSql;
use postgres::{Client, NoTls, Row, Statement};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::StateError;
use crate::sealing::SealingKey;
use crate::store::now_unix;
use tls::MakeRustls;
use url::{ServerOptions, TlsChoice};

/// How long a broken connection is retried before an operation gives up, unless
/// `PROVISION_STATE_RECONNECT_SECONDS` says otherwise.
pub const DEFAULT_RECONNECT_WINDOW: Duration = Duration::from_secs(60);

/// Write-log rows older than this are deleted when a store opens.
const WRITE_LOG_KEPT_SECONDS: i64 = 7 * 86_400;

/// The PostgreSQL state store (see the module documentation).
pub struct PostgresStore {
    options: ServerOptions,
    tls: Option<MakeRustls>,
    connection: RefCell<Option<Connection>>,
    pub(crate) sealing_key: Option<SealingKey>,
    lost: Arc<AtomicBool>,
    round_trips: Cell<u64>,
    reconnect_window: Duration,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("PostgresStore")
            .field("server", &self.options.display)
            .finish()
    }
}

/// One open connection and the statements prepared on it.
struct Connection {
    client: Client,
    statements: HashMap<&'static str, Statement>,
}

/// What an operation runs its statements through: counts round trips, prepares each
/// statement once per connection.
pub(crate) struct Session<'a> {
    connection: &'a mut Connection,
    round_trips: &'a Cell<u64>,
}

impl Session<'_> {
    fn count(&self, requests: u64) {
        self.round_trips.set(self.round_trips.get() + requests);
    }

    fn statement(&mut self, sql: &'static str) -> Result<Statement, postgres::Error> {
        if let Some(statement) = self.connection.statements.get(sql) {
            return Ok(statement.clone());
        }
        self.count(1);
        let statement = self.connection.client.prepare(sql)?;
        self.connection.statements.insert(sql, statement.clone());
        Ok(statement)
    }

    pub(crate) fn execute(
        &mut self,
        sql: &'static str,
        parameters: &[&(dyn ToSql + Sync)],
    ) -> Result<u64, postgres::Error> {
        let statement = self.statement(sql)?;
        self.count(1);
        self.connection.client.execute(&statement, parameters)
    }

    pub(crate) fn query(
        &mut self,
        sql: &'static str,
        parameters: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, postgres::Error> {
        let statement = self.statement(sql)?;
        self.count(1);
        self.connection.client.query(&statement, parameters)
    }

    pub(crate) fn query_opt(
        &mut self,
        sql: &'static str,
        parameters: &[&(dyn ToSql + Sync)],
    ) -> Result<Option<Row>, postgres::Error> {
        let statement = self.statement(sql)?;
        self.count(1);
        self.connection.client.query_opt(&statement, parameters)
    }

    pub(crate) fn query_one(
        &mut self,
        sql: &'static str,
        parameters: &[&(dyn ToSql + Sync)],
    ) -> Result<Row, postgres::Error> {
        let statement = self.statement(sql)?;
        self.count(1);
        self.connection.client.query_one(&statement, parameters)
    }

    /// Runs `sql` (one or more statements, no parameters) in one round trip.
    pub(crate) fn batch(&mut self, sql: &str) -> Result<(), postgres::Error> {
        self.count(1);
        self.connection.client.batch_execute(sql)
    }
}

/// Whether a driver error means the connection is gone (closed, broken, refused, or the
/// server shutting down or starting up), so reconnecting and retrying may succeed.
pub(crate) fn is_connection_error(error: &postgres::Error) -> bool {
    if error.is_closed() {
        return true;
    }
    if let Some(database_error) = error.as_db_error() {
        let code = database_error.code().code();
        // 08: connection exception; 57P01-57P03: admin / crash shutdown, cannot connect now.
        return code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03");
    }
    let mut source = error.source();
    while let Some(cause) = source {
        if cause.downcast_ref::<std::io::Error>().is_some() {
            return true;
        }
        source = cause.source();
    }
    let text = error.to_string();
    text.contains("connection") || text.contains("timed out")
}

/// The driver error with its causes, on one line.
pub(crate) fn describe_error(error: &postgres::Error) -> String {
    let mut text = error.to_string();
    if let Some(database_error) = error.as_db_error() {
        if !text.contains(database_error.message()) {
            text = format!("{text}: {}", database_error.message());
        }
        return text;
    }
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text = format!("{text}: {cause_text}");
        }
        source = cause.source();
    }
    text
}

/// Runs `work`, which blocks on the synchronous driver (it drives its connection on a runtime
/// of its own, which tokio refuses to start or drop on a thread that is running async tasks).
/// On a worker of a multi-threaded runtime (the CLI calls the store from async code) the worker
/// is handed to the other tasks for the while (`block_in_place`); anywhere else, a plain thread
/// or a `spawn_blocking` one, `work` just runs.
fn blocking<T>(work: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(work)
        }
        _ => work(),
    }
}

/// Quotes `text` as a dollar-quoted SQL literal whose tag cannot occur in it.
fn dollar_quote(text: &str) -> String {
    let mut tag = String::from("$w$");
    while text.contains(&tag) {
        tag = format!("$w{}$", uuid::Uuid::new_v4().simple());
    }
    format!("{tag}{text}{tag}")
}

impl PostgresStore {
    /// Connects to the server of `url`, creating or migrating the schema.
    pub fn open(url: &str) -> Result<PostgresStore, StateError> {
        let store = PostgresStore::connect_only(url)?;
        store.with_session(|session| {
            schema::migrate(&mut session.connection.client)?;
            session.execute(
                "DELETE FROM provision_writes WHERE at < $1",
                &[&(now_unix() - WRITE_LOG_KEPT_SECONDS)],
            )?;
            Ok(())
        })?;
        Ok(store)
    }

    /// Connects to the server of `url`; None when the database holds no provision schema yet
    /// (nothing is created: planning must not write state).
    pub fn open_existing(url: &str) -> Result<Option<PostgresStore>, StateError> {
        let store = PostgresStore::connect_only(url)?;
        let exists =
            store.with_session(|session| schema::exists(&mut session.connection.client))?;
        if !exists {
            return Ok(None);
        }
        store.with_session(|session| schema::migrate(&mut session.connection.client))?;
        Ok(Some(store))
    }

    fn connect_only(url: &str) -> Result<PostgresStore, StateError> {
        let options = url::parse(url)?;
        let tls = match options.tls {
            TlsChoice::Disabled => None,
            TlsChoice::Preferred | TlsChoice::Required => {
                Some(MakeRustls::new(options.root_certificates.as_deref())?)
            }
        };
        let reconnect_window = std::env::var("PROVISION_STATE_RECONNECT_SECONDS")
            .ok()
            .and_then(|text| text.trim().parse::<u64>().ok())
            .map(Duration::from_secs)
            .unwrap_or(DEFAULT_RECONNECT_WINDOW);
        let store = PostgresStore {
            options,
            tls,
            connection: RefCell::new(None),
            sealing_key: None,
            lost: Arc::new(AtomicBool::new(false)),
            round_trips: Cell::new(0),
            reconnect_window,
        };
        let client = blocking(|| store.new_client()).map_err(|error| StateError::Connect {
            server: store.options.display.clone(),
            reason: describe_error(&error),
        })?;
        *store.connection.borrow_mut() = Some(Connection {
            client,
            statements: HashMap::new(),
        });
        Ok(store)
    }

    fn new_client(&self) -> Result<Client, postgres::Error> {
        self.round_trips.set(self.round_trips.get() + 1);
        match &self.tls {
            None => self.options.config.connect(NoTls),
            Some(tls) => self.options.config.connect(tls.clone()),
        }
    }

    /// The server, for messages (`postgres://user@host:port/database`).
    pub fn server(&self) -> &str {
        &self.options.display
    }

    /// Runs `operation` on the connection, connecting first if there is none.
    fn with_session<T>(
        &self,
        operation: impl FnOnce(&mut Session<'_>) -> Result<T, StateError>,
    ) -> Result<T, StateError> {
        blocking(|| self.with_session_here(operation))
    }

    fn with_session_here<T>(
        &self,
        operation: impl FnOnce(&mut Session<'_>) -> Result<T, StateError>,
    ) -> Result<T, StateError> {
        let mut slot = self.connection.borrow_mut();
        if slot
            .as_ref()
            .is_some_and(|connection| connection.client.is_closed())
        {
            *slot = None;
        }
        if slot.is_none() {
            *slot = Some(Connection {
                client: self.new_client()?,
                statements: HashMap::new(),
            });
        }
        let connection = slot.as_mut().expect("connected above");
        let mut session = Session {
            connection,
            round_trips: &self.round_trips,
        };
        operation(&mut session)
    }

    /// Runs `attempt` until it succeeds, fails for a reason other than the connection, or the
    /// connection stays broken for the reconnect window. `attempt` is told whether an earlier
    /// attempt broke off.
    fn retrying<T>(
        &self,
        mut attempt: impl FnMut(&mut Session<'_>, bool) -> Result<T, StateError>,
    ) -> Result<T, StateError> {
        let mut first_failure: Option<Instant> = None;
        let mut delay = Duration::from_millis(100);
        loop {
            let retried = first_failure.is_some();
            match self.with_session(|session| attempt(session, retried)) {
                Err(error) if error.is_connection_lost() => {
                    self.lost.store(true, Ordering::SeqCst);
                    self.disconnect();
                    let started = *first_failure.get_or_insert_with(Instant::now);
                    if started.elapsed() >= self.reconnect_window {
                        return Err(StateError::ConnectionLost {
                            server: self.options.display.clone(),
                            seconds: self.reconnect_window.as_secs(),
                            reason: match &error {
                                StateError::Postgres(error) => describe_error(error),
                                other => other.to_string(),
                            },
                        });
                    }
                    blocking(|| std::thread::sleep(delay));
                    delay = (delay * 2).min(Duration::from_secs(2));
                }
                other => return other,
            }
        }
    }

    /// A read: retried as it is after a broken connection.
    pub(crate) fn read<T>(
        &self,
        mut operation: impl FnMut(&mut Session<'_>) -> Result<T, StateError>,
    ) -> Result<T, StateError> {
        self.retrying(|session, _| operation(session))
    }

    /// A write: `operation` runs inside one transaction, committed together with the write's
    /// token. Retried after a broken connection unless the token shows it committed, in which
    /// case the recorded result is returned.
    pub(crate) fn write<T: Serialize + DeserializeOwned>(
        &self,
        mut operation: impl FnMut(&mut Session<'_>) -> Result<T, StateError>,
    ) -> Result<T, StateError> {
        let token = uuid::Uuid::new_v4().simple().to_string();
        self.retrying(|session, retried| {
            if retried {
                if let Some(row) = session.query_opt(
                    "SELECT result FROM provision_writes WHERE token = $1",
                    &[&token],
                )? {
                    let result: String = row.get(0);
                    return Ok(serde_json::from_str(&result)?);
                }
            }
            session.batch("BEGIN")?;
            let value = match operation(session) {
                Ok(value) => value,
                Err(error) => {
                    let _ = session.batch("ROLLBACK");
                    return Err(error);
                }
            };
            let result = serde_json::to_string(&value)?;
            let finish = format!(
                "INSERT INTO provision_writes (token, result, at) VALUES ('{token}', {}, {}); COMMIT",
                dollar_quote(&result),
                now_unix()
            );
            if let Err(error) = session.batch(&finish) {
                let _ = session.batch("ROLLBACK");
                return Err(error.into());
            }
            Ok(value)
        })
    }

    /// The flag raised when the connection broke (see [`crate::StateStore::connection_lost`]).
    pub fn connection_lost_flag(&self) -> Arc<AtomicBool> {
        self.lost.clone()
    }

    /// Requests sent to the server so far.
    pub fn round_trip_count(&self) -> u64 {
        self.round_trips.get()
    }

    /// Closes the connection now (the next operation reconnects); for tests of reconnecting.
    pub fn disconnect(&self) {
        let connection = self.connection.borrow_mut().take();
        blocking(|| drop(connection));
    }
}

impl Drop for PostgresStore {
    fn drop(&mut self) {
        self.disconnect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollar_quotes_cannot_be_closed_from_inside() {
        assert_eq!(dollar_quote("42"), "$w$42$w$");
        let tricky = "x$w$; DROP TABLE stacks; --";
        let quoted = dollar_quote(tricky);
        let tag = &quoted[..quoted[1..].find('$').unwrap() + 2];
        assert!(!tricky.contains(tag));
        assert!(quoted.starts_with(tag) && quoted.ends_with(tag));
    }
}
