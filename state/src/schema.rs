//! The database schema as a list of migration steps, applied by `PRAGMA user_version`, and the
//! connection settings (WAL, busy timeout, synchronous, foreign keys).

use std::time::Duration;

use rusqlite::{Connection, TransactionBehavior};

use crate::error::StateError;

/// How long a writer waits for another connection's write transaction before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Schema steps; step `i` takes the database from `user_version` `i` to `i + 1`. Append only:
/// never edit a step that has shipped (a later `drift_reports` table is a new step).
pub const MIGRATIONS: &[&str] = &[
    // 1: the initial schema.
    r#"
    CREATE TABLE stacks (
        name        TEXT PRIMARY KEY NOT NULL,
        lineage     TEXT NOT NULL,
        serial      INTEGER NOT NULL DEFAULT 0,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE resources (
        stack         TEXT NOT NULL REFERENCES stacks(name) ON DELETE CASCADE,
        address       TEXT NOT NULL,
        type          TEXT NOT NULL,
        cloud_id      TEXT,
        attributes    TEXT NOT NULL,
        sensitive     TEXT NOT NULL DEFAULT '[]',
        dependencies  TEXT NOT NULL DEFAULT '[]',
        status        TEXT NOT NULL,
        updated_at    INTEGER NOT NULL,
        PRIMARY KEY (stack, address)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE outputs (
        stack      TEXT NOT NULL REFERENCES stacks(name) ON DELETE CASCADE,
        name       TEXT NOT NULL,
        value      TEXT NOT NULL,
        sensitive  INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (stack, name)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE runs (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        stack        TEXT NOT NULL REFERENCES stacks(name) ON DELETE CASCADE,
        kind         TEXT NOT NULL,
        status       TEXT NOT NULL,
        started_at   INTEGER NOT NULL,
        finished_at  INTEGER,
        summary      TEXT NOT NULL DEFAULT '',
        details      TEXT NOT NULL DEFAULT '',
        pid            INTEGER NOT NULL,
        host           TEXT NOT NULL,
        process_start  TEXT
    ) STRICT;
    CREATE INDEX runs_by_stack ON runs (stack, id);
    CREATE INDEX runs_by_status ON runs (status) WHERE status = 'running';

    CREATE TABLE events (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        address      TEXT NOT NULL,
        action       TEXT NOT NULL,
        status       TEXT NOT NULL,
        message      TEXT NOT NULL DEFAULT '',
        duration_ms  INTEGER NOT NULL DEFAULT 0,
        at           INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX events_by_run ON events (run_id, id);

    CREATE TABLE pending_operations (
        id                 INTEGER PRIMARY KEY AUTOINCREMENT,
        stack              TEXT NOT NULL REFERENCES stacks(name) ON DELETE CASCADE,
        run_id             INTEGER NOT NULL REFERENCES runs(id),
        address            TEXT NOT NULL,
        type               TEXT NOT NULL,
        kind               TEXT NOT NULL,
        idempotency_token  TEXT NOT NULL,
        desired            TEXT NOT NULL,
        started_at         INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX pending_operations_by_stack ON pending_operations (stack, id);

    CREATE TABLE plans (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        stack         TEXT NOT NULL REFERENCES stacks(name) ON DELETE CASCADE,
        lineage       TEXT NOT NULL,
        state_serial  INTEGER NOT NULL,
        spec_hash     TEXT NOT NULL,
        plan_json     TEXT NOT NULL,
        created_at    INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX plans_by_stack ON plans (stack, id);

    -- No foreign key: a stack may be locked before its first resource (or row) exists.
    CREATE TABLE locks (
        stack          TEXT PRIMARY KEY NOT NULL,
        token          TEXT NOT NULL,
        holder         TEXT NOT NULL,
        pid            INTEGER NOT NULL,
        host           TEXT NOT NULL,
        process_start  TEXT,
        acquired_at    INTEGER NOT NULL,
        heartbeat_at   INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;
    "#,
    // 2: drift runs (one row per `provision drift` run that was recorded) and their findings.
    r#"
    CREATE TABLE drift_runs (
        run_id             INTEGER PRIMARY KEY NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        stack              TEXT NOT NULL REFERENCES stacks(name) ON DELETE CASCADE,
        checked_at         INTEGER NOT NULL,
        resources_checked  INTEGER NOT NULL,
        api_calls          INTEGER NOT NULL DEFAULT 0,
        duration_ms        INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE INDEX drift_runs_by_stack ON drift_runs (stack, checked_at);

    CREATE TABLE drift_findings (
        id        INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id    INTEGER NOT NULL REFERENCES drift_runs(run_id) ON DELETE CASCADE,
        address   TEXT NOT NULL,
        type      TEXT NOT NULL,
        cloud_id  TEXT,
        kind      TEXT NOT NULL,
        details   TEXT NOT NULL DEFAULT '[]'
    ) STRICT;
    CREATE INDEX drift_findings_by_run ON drift_findings (run_id, id);
    "#,
    // 3: the provider configuration (`aws`, `aws.west`) that owns each resource and that each
    // pending operation's call went to; rows from before are the default `aws`.
    r#"
    ALTER TABLE resources ADD COLUMN provider TEXT NOT NULL DEFAULT 'aws';
    ALTER TABLE pending_operations ADD COLUMN provider TEXT NOT NULL DEFAULT 'aws';
    "#,
];

/// The schema version this build writes.
pub fn current_version() -> i64 {
    i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX)
}

/// Applies the connection settings every store connection uses.
pub fn configure(connection: &Connection) -> Result<(), StateError> {
    connection.busy_timeout(BUSY_TIMEOUT)?;
    // Returns the mode now in force: "wal" for files, "memory" for in-memory databases.
    let _mode: String =
        connection.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    connection.pragma_update(None, "synchronous", "NORMAL")?;
    connection.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

/// Brings the schema up to [`current_version`], all missing steps in one immediate transaction
/// (so two processes opening a fresh file at once cannot both migrate it).
pub fn migrate(connection: &mut Connection) -> Result<(), StateError> {
    let supported = current_version();
    if user_version(connection)? == supported {
        return Ok(());
    }
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found = user_version(&transaction)?;
    if found > supported {
        return Err(StateError::SchemaTooNew { found, supported });
    }
    if found < 0 {
        return Err(StateError::Corrupt(format!(
            "negative schema version {found}"
        )));
    }
    for (index, step) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(found).unwrap_or(0))
    {
        transaction.execute_batch(step)?;
        let version = i64::try_from(index + 1).unwrap_or(i64::MAX);
        transaction.pragma_update(None, "user_version", version)?;
    }
    transaction.commit()?;
    Ok(())
}

/// The database's `PRAGMA user_version`.
pub fn user_version(connection: &Connection) -> Result<i64, StateError> {
    Ok(connection.query_row("PRAGMA user_version", [], |row| row.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table_names(connection: &Connection) -> Vec<String> {
        let mut statement = connection
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .unwrap();
        let names = statement.query_map([], |row| row.get(0)).unwrap();
        names.collect::<Result<_, _>>().unwrap()
    }

    #[test]
    fn migrating_creates_every_table_and_sets_the_version() {
        let mut connection = Connection::open_in_memory().unwrap();
        configure(&connection).unwrap();
        migrate(&mut connection).unwrap();
        assert_eq!(user_version(&connection).unwrap(), current_version());
        assert_eq!(
            table_names(&connection),
            [
                "drift_findings",
                "drift_runs",
                "events",
                "locks",
                "outputs",
                "pending_operations",
                "plans",
                "resources",
                "runs",
                "stacks"
            ]
        );
    }

    #[test]
    fn migrating_twice_is_a_no_op() {
        let mut connection = Connection::open_in_memory().unwrap();
        migrate(&mut connection).unwrap();
        connection
            .execute("INSERT INTO stacks VALUES ('s', 'l', 3, 1, 1)", [])
            .unwrap();
        migrate(&mut connection).unwrap();
        let serial: i64 = connection
            .query_row("SELECT serial FROM stacks WHERE name = 's'", [], |row| {
                row.get(0)
            })
            .unwrap();
        assert_eq!(serial, 3);
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let mut connection = Connection::open_in_memory().unwrap();
        connection
            .pragma_update(None, "user_version", current_version() + 1)
            .unwrap();
        let error = migrate(&mut connection).unwrap_err();
        assert!(
            matches!(error, StateError::SchemaTooNew { found, supported }
            if found == current_version() + 1 && supported == current_version())
        );
    }

    #[test]
    fn rows_from_before_provider_configurations_belong_to_the_default_one() {
        let mut connection = Connection::open_in_memory().unwrap();
        configure(&connection).unwrap();
        for step in &MIGRATIONS[..2] {
            connection.execute_batch(step).unwrap();
        }
        connection.pragma_update(None, "user_version", 2).unwrap();
        connection
            .execute_batch(
                "INSERT INTO stacks VALUES ('s', 'l', 1, 1, 1);
                 INSERT INTO resources (stack, address, type, cloud_id, attributes, status, updated_at)
                 VALUES ('s', 'aws_vpc.main', 'aws_vpc', 'vpc-1', '{}', 'ready', 1);",
            )
            .unwrap();
        migrate(&mut connection).unwrap();
        let provider: String = connection
            .query_row(
                "SELECT provider FROM resources WHERE address = 'aws_vpc.main'",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(provider, "aws");
    }
}
