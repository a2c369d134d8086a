//! [`Store`]: opening the database, stacks, resources, pending operations, outputs and saved
//! plans. Runs and events live in `runs.rs`, locks in `lock.rs`.

use std::path::Path;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction, TransactionBehavior};
use serde::de::DeserializeOwned;

use crate::error::StateError;
use crate::permissions::{self, PermissionNotice};
use crate::records::{
    EventRecord, NewPendingOperation, OutputRecord, ParseEnumError, PendingOperation, PlanRecord,
    ResourceRecord, Stack,
};
use crate::schema;
use crate::sealing::{self, SealingKey};

/// The SQLite state store. Owns one connection: `Send`, not `Sync`; give it its own thread (or a
/// mutex plus `spawn_blocking`) in async code, since writes may wait up to the busy timeout.
pub struct Store {
    pub(crate) connection: Connection,
    /// Seals sensitive attribute values and sensitive outputs before they are written, and
    /// opens them when read. Without a key they are written as they are (in-memory stores).
    sealing_key: Option<SealingKey>,
    /// What opening narrowed: a database or `.provision` folder others could read.
    permission_notices: Vec<PermissionNotice>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Store")
            .field("path", &self.connection.path())
            .finish()
    }
}

impl Store {
    /// Opens (creating it and its parent directories if needed) the database at `path`, in WAL
    /// mode with a 5 s busy timeout, and migrates its schema. The file is private to its owner
    /// (0600, folder 0700 when created here); see [`Store::permission_notices`].
    pub fn open(path: &Path) -> Result<Store, StateError> {
        let notices = permissions::prepare(path)?;
        let mut store = Store::from_connection(Connection::open(path)?)?;
        store.permission_notices = notices;
        Ok(store)
    }

    /// Files and folders whose permissions `open` narrowed (for the CLI to tell the user).
    pub fn permission_notices(&self) -> &[PermissionNotice] {
        &self.permission_notices
    }

    /// Opens a fresh private in-memory database (for tests and dry runs).
    pub fn open_in_memory() -> Result<Store, StateError> {
        Store::from_connection(Connection::open_in_memory()?)
    }

    fn from_connection(mut connection: Connection) -> Result<Store, StateError> {
        schema::configure(&connection)?;
        schema::migrate(&mut connection)?;
        Ok(Store {
            connection,
            sealing_key: None,
            permission_notices: Vec::new(),
        })
    }

    /// Seals sensitive values with `key` from now on (and opens sealed ones with it).
    pub fn set_sealing_key(&mut self, key: SealingKey) {
        self.sealing_key = Some(key);
    }

    /// Replaces the values of `names` in the JSON object `attributes` by sealed envelopes.
    fn seal_attributes(
        &self,
        attributes: &serde_json::Value,
        names: &[String],
    ) -> serde_json::Value {
        sealing::seal_attributes(self.sealing_key.as_ref(), attributes, names)
    }

    /// Opens every sealed value at the top level of the JSON object `attributes`.
    fn open_attributes(&self, attributes: &mut serde_json::Value) -> Result<(), StateError> {
        sealing::open_attributes(self.sealing_key.as_ref(), attributes)
    }

    /// Opens `value` in place when it is a sealed envelope.
    fn open_value(&self, value: &mut serde_json::Value) -> Result<(), StateError> {
        sealing::open_value(self.sealing_key.as_ref(), value)
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64, StateError> {
        schema::user_version(&self.connection)
    }

    /// Starts a write transaction that takes the write lock at once (`BEGIN IMMEDIATE`).
    pub(crate) fn write_transaction(&mut self) -> Result<Transaction<'_>, StateError> {
        Ok(self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)?)
    }

    // ----- stacks -----

    /// The stack named `name`, if it exists.
    pub fn stack(&self, name: &str) -> Result<Option<Stack>, StateError> {
        Ok(self
            .connection
            .query_row(
                "SELECT name, lineage, serial, created_at, updated_at FROM stacks WHERE name = ?1",
                [name],
                stack_from_row,
            )
            .optional()?)
    }

    /// The stack named `name`, created (with a new lineage and serial 0) if it does not exist.
    pub fn ensure_stack(&mut self, name: &str) -> Result<Stack, StateError> {
        if name.is_empty() {
            return Err(StateError::EmptyStackName);
        }
        let now = now_unix();
        let transaction = self.write_transaction()?;
        transaction.execute(
            "INSERT INTO stacks (name, lineage, serial, created_at, updated_at)
             VALUES (?1, ?2, 0, ?3, ?3) ON CONFLICT (name) DO NOTHING",
            params![name, uuid::Uuid::new_v4().to_string(), now],
        )?;
        let stack = transaction.query_row(
            "SELECT name, lineage, serial, created_at, updated_at FROM stacks WHERE name = ?1",
            [name],
            stack_from_row,
        )?;
        transaction.commit()?;
        Ok(stack)
    }

    /// Every stack, ordered by name.
    pub fn stacks(&self) -> Result<Vec<Stack>, StateError> {
        let mut statement = self.connection.prepare(
            "SELECT name, lineage, serial, created_at, updated_at FROM stacks ORDER BY name",
        )?;
        let stacks = statement.query_map([], stack_from_row)?;
        Ok(stacks.collect::<Result<_, _>>()?)
    }

    // ----- resources -----

    /// The stack's resources, ordered by address.
    pub fn resources(&self, stack: &str) -> Result<Vec<ResourceRecord>, StateError> {
        let mut statement = self.connection.prepare(
            "SELECT address, type, cloud_id, attributes, sensitive, dependencies, status, updated_at,
                    provider
             FROM resources WHERE stack = ?1 ORDER BY address",
        )?;
        let mut rows = statement.query([stack])?;
        let mut resources = Vec::new();
        while let Some(row) = rows.next()? {
            let mut record = resource_from_row(stack, row)?;
            self.open_attributes(&mut record.attributes)?;
            resources.push(record);
        }
        Ok(resources)
    }

    /// One resource of the stack, if it is in state.
    pub fn resource(
        &self,
        stack: &str,
        address: &str,
    ) -> Result<Option<ResourceRecord>, StateError> {
        let mut statement = self.connection.prepare(
            "SELECT address, type, cloud_id, attributes, sensitive, dependencies, status, updated_at,
                    provider
             FROM resources WHERE stack = ?1 AND address = ?2",
        )?;
        let mut rows = statement.query([stack, address])?;
        match rows.next()? {
            Some(row) => {
                let mut record = resource_from_row(stack, row)?;
                self.open_attributes(&mut record.attributes)?;
                Ok(Some(record))
            }
            None => Ok(None),
        }
    }

    /// Upserts the resource row (stamping its `updated_at`), appends `event` (its `at` filled in
    /// when 0), clears the pending operation `clear_pending` if given and bumps the stack serial,
    /// all in one immediate transaction: either everything is written or nothing. Returns the
    /// new serial.
    pub fn commit_resource(
        &mut self,
        stack: &str,
        record: &ResourceRecord,
        event: &EventRecord,
        clear_pending: Option<i64>,
    ) -> Result<i64, StateError> {
        let now = now_unix();
        let attributes = serde_json::to_string(
            &self.seal_attributes(&record.attributes, &record.sensitive_attributes),
        )?;
        let sensitive = serde_json::to_string(&record.sensitive_attributes)?;
        let dependencies = serde_json::to_string(&record.dependencies)?;
        let transaction = self.write_transaction()?;
        insert_event(&transaction, event, now)?;
        if let Some(id) = clear_pending {
            delete_pending(&transaction, stack, id)?;
        }
        let serial = bump_serial(&transaction, stack, now)?;
        transaction.execute(
            "INSERT INTO resources
                (stack, address, type, cloud_id, attributes, sensitive, dependencies, status, updated_at,
                 provider)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT (stack, address) DO UPDATE SET
                type = excluded.type, cloud_id = excluded.cloud_id,
                attributes = excluded.attributes, sensitive = excluded.sensitive,
                dependencies = excluded.dependencies, status = excluded.status,
                updated_at = excluded.updated_at, provider = excluded.provider",
            params![
                stack,
                record.address,
                record.type_name,
                record.cloud_id,
                attributes,
                sensitive,
                dependencies,
                record.status.as_str(),
                now,
                record.provider
            ],
        )?;
        transaction.commit()?;
        Ok(serial)
    }

    /// Deletes the resource row, appends `event`, clears the pending operation if given and
    /// bumps the stack serial, in one immediate transaction. Returns the new serial. A resource
    /// that is not in state is an error ([`StateError::NoSuchResource`]) and changes nothing.
    pub fn remove_resource(
        &mut self,
        stack: &str,
        address: &str,
        event: &EventRecord,
        clear_pending: Option<i64>,
    ) -> Result<i64, StateError> {
        let now = now_unix();
        let transaction = self.write_transaction()?;
        insert_event(&transaction, event, now)?;
        if let Some(id) = clear_pending {
            delete_pending(&transaction, stack, id)?;
        }
        let serial = bump_serial(&transaction, stack, now)?;
        let deleted = transaction.execute(
            "DELETE FROM resources WHERE stack = ?1 AND address = ?2",
            [stack, address],
        )?;
        if deleted == 0 {
            return Err(StateError::NoSuchResource {
                stack: stack.to_string(),
                address: address.to_string(),
            });
        }
        transaction.commit()?;
        Ok(serial)
    }

    /// Renames a resource's address (a `moved` block: the cloud object stays), rewrites the
    /// other rows' dependencies on it, appends `event` and bumps the stack serial, in one
    /// immediate transaction. Returns the new serial. A resource that is not in state is an
    /// error ([`StateError::NoSuchResource`]) and changes nothing.
    pub fn move_resource(
        &mut self,
        stack: &str,
        from: &str,
        to: &str,
        event: &EventRecord,
    ) -> Result<i64, StateError> {
        let now = now_unix();
        let transaction = self.write_transaction()?;
        insert_event(&transaction, event, now)?;
        let serial = bump_serial(&transaction, stack, now)?;
        let moved = transaction.execute(
            "UPDATE resources SET address = ?3, updated_at = ?4 WHERE stack = ?1 AND address = ?2",
            params![stack, from, to, now],
        )?;
        if moved == 0 {
            return Err(StateError::NoSuchResource {
                stack: stack.to_string(),
                address: from.to_string(),
            });
        }
        let dependents: Vec<(String, String)> = {
            let mut statement = transaction.prepare(
                "SELECT address, dependencies FROM resources WHERE stack = ?1 AND instr(dependencies, ?2) > 0",
            )?;
            let rows = statement
                .query_map(params![stack, serde_json::to_string(from)?], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })?;
            rows.collect::<Result<_, _>>()?
        };
        for (address, dependencies) in dependents {
            let mut list: Vec<String> = serde_json::from_str(&dependencies)?;
            for dependency in &mut list {
                if dependency == from {
                    *dependency = to.to_string();
                }
            }
            transaction.execute(
                "UPDATE resources SET dependencies = ?3 WHERE stack = ?1 AND address = ?2",
                params![stack, address, serde_json::to_string(&list)?],
            )?;
        }
        transaction.commit()?;
        Ok(serial)
    }

    // ----- pending operations -----

    /// Records a provider call about to be made; returns its id.
    pub fn begin_pending(
        &mut self,
        stack: &str,
        operation: &NewPendingOperation,
    ) -> Result<i64, StateError> {
        let now = now_unix();
        let desired = serde_json::to_string(
            &self.seal_attributes(&operation.desired, &operation.sensitive_attributes),
        )?;
        let transaction = self.write_transaction()?;
        require_stack(&transaction, stack)?;
        require_run(&transaction, operation.run_id)?;
        transaction.execute(
            "INSERT INTO pending_operations
                (stack, run_id, address, type, kind, idempotency_token, desired, started_at,
                 provider)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                stack,
                operation.run_id,
                operation.address,
                operation.type_name,
                operation.kind.as_str(),
                operation.idempotency_token,
                desired,
                now,
                operation.provider
            ],
        )?;
        let id = transaction.last_insert_rowid();
        transaction.commit()?;
        Ok(id)
    }

    /// The stack's pending operations, oldest first.
    pub fn pending_operations(&self, stack: &str) -> Result<Vec<PendingOperation>, StateError> {
        let mut statement = self.connection.prepare(
            "SELECT id, run_id, address, type, kind, idempotency_token, desired, started_at,
                    provider
             FROM pending_operations WHERE stack = ?1 ORDER BY id",
        )?;
        let mut rows = statement.query([stack])?;
        let mut operations = Vec::new();
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let context = || format!("pending operation {id} of stack {stack}");
            let mut desired = parse_json(&row.get::<_, String>(6)?, context)?;
            self.open_attributes(&mut desired)?;
            operations.push(PendingOperation {
                id,
                run_id: row.get(1)?,
                address: row.get(2)?,
                type_name: row.get(3)?,
                kind: parse_text_enum(&row.get::<_, String>(4)?, context)?,
                idempotency_token: row.get(5)?,
                desired,
                started_at: row.get(7)?,
                provider: row.get(8)?,
            });
        }
        Ok(operations)
    }

    /// Forgets a pending operation (its provider call made nothing that state must remember).
    /// An unknown id is an error.
    pub fn clear_pending(&mut self, id: i64) -> Result<(), StateError> {
        let transaction = self.write_transaction()?;
        let deleted = transaction.execute("DELETE FROM pending_operations WHERE id = ?1", [id])?;
        if deleted == 0 {
            return Err(StateError::NoSuchPendingOperation(id));
        }
        transaction.commit()?;
        Ok(())
    }

    // ----- outputs -----

    /// Replaces all of the stack's outputs. Does not bump the serial.
    pub fn replace_outputs(
        &mut self,
        stack: &str,
        outputs: &[OutputRecord],
    ) -> Result<(), StateError> {
        let values = outputs
            .iter()
            .map(|output| {
                sealing::stored_output_value(
                    self.sealing_key.as_ref(),
                    &output.value,
                    output.sensitive,
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        let transaction = self.write_transaction()?;
        require_stack(&transaction, stack)?;
        transaction.execute("DELETE FROM outputs WHERE stack = ?1", [stack])?;
        {
            let mut insert = transaction.prepare(
                "INSERT INTO outputs (stack, name, value, sensitive) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (output, value) in outputs.iter().zip(&values) {
                insert.execute(params![stack, output.name, value, output.sensitive])?;
            }
        }
        transaction.commit()?;
        Ok(())
    }

    /// The stack's outputs, ordered by name.
    pub fn outputs(&self, stack: &str) -> Result<Vec<OutputRecord>, StateError> {
        let mut statement = self
            .connection
            .prepare("SELECT name, value, sensitive FROM outputs WHERE stack = ?1 ORDER BY name")?;
        let mut rows = statement.query([stack])?;
        let mut outputs = Vec::new();
        while let Some(row) = rows.next()? {
            let name: String = row.get(0)?;
            let mut value = parse_json(&row.get::<_, String>(1)?, || {
                format!("output {name} of stack {stack}")
            })?;
            self.open_value(&mut value)?;
            outputs.push(OutputRecord {
                name,
                value,
                sensitive: row.get(2)?,
            });
        }
        Ok(outputs)
    }

    // ----- plans -----

    /// Saves a plan (its `id` is ignored, its `created_at` filled in when 0); returns its id.
    pub fn save_plan(&mut self, plan: &PlanRecord) -> Result<i64, StateError> {
        let created_at = if plan.created_at == 0 {
            now_unix()
        } else {
            plan.created_at
        };
        let transaction = self.write_transaction()?;
        require_stack(&transaction, &plan.stack)?;
        transaction.execute(
            "INSERT INTO plans (stack, lineage, state_serial, spec_hash, plan_json, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                plan.stack,
                plan.lineage,
                plan.state_serial,
                plan.spec_hash,
                plan.plan_json,
                created_at
            ],
        )?;
        let id = transaction.last_insert_rowid();
        transaction.commit()?;
        Ok(id)
    }

    /// The most recently saved plan over all stacks.
    pub fn latest_plan(&self) -> Result<Option<PlanRecord>, StateError> {
        Ok(self
            .connection
            .query_row(
                "SELECT id, stack, lineage, state_serial, spec_hash, plan_json, created_at
                 FROM plans ORDER BY id DESC LIMIT 1",
                [],
                plan_from_row,
            )
            .optional()?)
    }

    /// The most recently saved plan of one stack.
    pub fn latest_plan_for(&self, stack: &str) -> Result<Option<PlanRecord>, StateError> {
        Ok(self
            .connection
            .query_row(
                "SELECT id, stack, lineage, state_serial, spec_hash, plan_json, created_at
                 FROM plans WHERE stack = ?1 ORDER BY id DESC LIMIT 1",
                [stack],
                plan_from_row,
            )
            .optional()?)
    }

    /// Deletes every saved plan of the stack.
    pub fn delete_plans(&mut self, stack: &str) -> Result<(), StateError> {
        let transaction = self.write_transaction()?;
        transaction.execute("DELETE FROM plans WHERE stack = ?1", [stack])?;
        transaction.commit()?;
        Ok(())
    }
}

/// Now, in unix seconds.
pub(crate) fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Parses JSON read from the database; bad JSON means a corrupt database.
pub(crate) fn parse_json<T: DeserializeOwned>(
    text: &str,
    context: impl FnOnce() -> String,
) -> Result<T, StateError> {
    serde_json::from_str(text)
        .map_err(|error| StateError::Corrupt(format!("{}: invalid JSON: {error}", context())))
}

/// Parses an enum read from the database; an unknown spelling means a corrupt database.
pub(crate) fn parse_text_enum<T: FromStr<Err = ParseEnumError>>(
    text: &str,
    context: impl FnOnce() -> String,
) -> Result<T, StateError> {
    text.parse()
        .map_err(|error| StateError::Corrupt(format!("{}: {error}", context())))
}

/// Errors with [`StateError::UnknownStack`] unless the stack exists.
pub(crate) fn require_stack(connection: &Connection, stack: &str) -> Result<(), StateError> {
    let exists: bool = connection.query_row(
        "SELECT EXISTS (SELECT 1 FROM stacks WHERE name = ?1)",
        [stack],
        |row| row.get(0),
    )?;
    if exists {
        Ok(())
    } else {
        Err(StateError::UnknownStack(stack.to_string()))
    }
}

/// Errors with [`StateError::NoSuchRun`] unless the run exists.
pub(crate) fn require_run(connection: &Connection, run_id: i64) -> Result<(), StateError> {
    let exists: bool = connection.query_row(
        "SELECT EXISTS (SELECT 1 FROM runs WHERE id = ?1)",
        [run_id],
        |row| row.get(0),
    )?;
    if exists {
        Ok(())
    } else {
        Err(StateError::NoSuchRun(run_id))
    }
}

/// Appends an event, filling in its time when 0.
pub(crate) fn insert_event(
    connection: &Connection,
    event: &EventRecord,
    now: i64,
) -> Result<(), StateError> {
    require_run(connection, event.run_id)?;
    let at = if event.at == 0 { now } else { event.at };
    connection.execute(
        "INSERT INTO events (run_id, address, action, status, message, duration_ms, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            event.run_id,
            event.address,
            event.action,
            event.status,
            event.message,
            event.duration_ms,
            at
        ],
    )?;
    Ok(())
}

/// Deletes the stack's pending operation `id`; errors if the stack has no such operation.
fn delete_pending(connection: &Connection, stack: &str, id: i64) -> Result<(), StateError> {
    let deleted = connection.execute(
        "DELETE FROM pending_operations WHERE id = ?1 AND stack = ?2",
        params![id, stack],
    )?;
    if deleted == 0 {
        return Err(StateError::NoSuchPendingOperation(id));
    }
    Ok(())
}

/// Bumps the stack's serial; returns the new one.
fn bump_serial(connection: &Connection, stack: &str, now: i64) -> Result<i64, StateError> {
    connection
        .query_row(
            "UPDATE stacks SET serial = serial + 1, updated_at = ?2 WHERE name = ?1 RETURNING serial",
            params![stack, now],
            |row| row.get(0),
        )
        .optional()?
        .ok_or_else(|| StateError::UnknownStack(stack.to_string()))
}

fn stack_from_row(row: &Row<'_>) -> rusqlite::Result<Stack> {
    Ok(Stack {
        name: row.get(0)?,
        lineage: row.get(1)?,
        serial: row.get(2)?,
        created_at: row.get(3)?,
        updated_at: row.get(4)?,
    })
}

fn plan_from_row(row: &Row<'_>) -> rusqlite::Result<PlanRecord> {
    Ok(PlanRecord {
        id: row.get(0)?,
        stack: row.get(1)?,
        lineage: row.get(2)?,
        state_serial: row.get(3)?,
        spec_hash: row.get(4)?,
        plan_json: row.get(5)?,
        created_at: row.get(6)?,
    })
}

/// Reads `address, type, cloud_id, attributes, sensitive, dependencies, status, updated_at`.
fn resource_from_row(stack: &str, row: &Row<'_>) -> Result<ResourceRecord, StateError> {
    let address: String = row.get(0)?;
    let context = || format!("resource {address} of stack {stack}");
    Ok(ResourceRecord {
        type_name: row.get(1)?,
        cloud_id: row.get(2)?,
        attributes: parse_json(&row.get::<_, String>(3)?, context)?,
        sensitive_attributes: parse_json(&row.get::<_, String>(4)?, context)?,
        dependencies: parse_json(&row.get::<_, String>(5)?, context)?,
        status: parse_text_enum(&row.get::<_, String>(6)?, context)?,
        updated_at: row.get(7)?,
        provider: row.get(8)?,
        address,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::records::{PendingKind, ResourceStatus, RunKind};
    use crate::testing::{event, pending, store_with_run, subnet, STACK};

    #[test]
    fn opening_twice_keeps_data_and_schema() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("nested/dir/state.db");
        let lineage = {
            let mut store = Store::open(&path).unwrap();
            store.ensure_stack(STACK).unwrap().lineage
        };
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), schema::current_version());
        let stack = store.stack(STACK).unwrap().unwrap();
        assert_eq!(stack.lineage, lineage);
        assert_eq!(stack.serial, 0);
        let mode: String = store
            .connection
            .query_row("PRAGMA journal_mode", [], |row| row.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let foreign_keys: bool = store
            .connection
            .query_row("PRAGMA foreign_keys", [], |row| row.get(0))
            .unwrap();
        assert!(foreign_keys);
    }

    #[test]
    fn ensure_stack_creates_once_with_a_uuid_lineage() {
        let mut store = Store::open_in_memory().unwrap();
        assert_eq!(store.stack("specs/b/dev").unwrap(), None);
        let created = store.ensure_stack("specs/b/dev").unwrap();
        assert_eq!(created.serial, 0);
        assert!(uuid::Uuid::parse_str(&created.lineage).is_ok());
        assert_eq!(store.ensure_stack("specs/b/dev").unwrap(), created);
        store.ensure_stack("specs/a/prod").unwrap();
        let names: Vec<String> = store
            .stacks()
            .unwrap()
            .into_iter()
            .map(|stack| stack.name)
            .collect();
        assert_eq!(names, ["specs/a/prod", "specs/b/dev"]);
        assert_ne!(
            store.stack("specs/a/prod").unwrap().unwrap().lineage,
            created.lineage
        );
        assert!(matches!(
            store.ensure_stack(""),
            Err(StateError::EmptyStackName)
        ));
    }

    #[test]
    fn commit_writes_row_event_clears_pending_and_bumps_serial() {
        let (mut store, run_id) = store_with_run();
        let address = "aws_subnet.a";
        let pending_id = store
            .begin_pending(STACK, &pending(run_id, address, PendingKind::Create))
            .unwrap();
        let record = subnet(address, "subnet-1");
        let serial = store
            .commit_resource(
                STACK,
                &record,
                &event(run_id, address, "create"),
                Some(pending_id),
            )
            .unwrap();
        assert_eq!(serial, 1);
        assert_eq!(store.stack(STACK).unwrap().unwrap().serial, 1);
        let stored = store.resource(STACK, address).unwrap().unwrap();
        assert!(stored.updated_at > 0);
        assert_eq!(
            ResourceRecord {
                updated_at: 0,
                ..stored
            },
            record
        );
        assert!(store.pending_operations(STACK).unwrap().is_empty());
        let events = store.events(run_id).unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].action, "create");
        assert!(events[0].at > 0, "the store fills in the event time");
    }

    #[test]
    fn commit_upserts_and_lists_resources_by_address() {
        let (mut store, run_id) = store_with_run();
        let mut record = subnet("aws_subnet.b", "subnet-b");
        record.status = ResourceStatus::Creating;
        store
            .commit_resource(
                STACK,
                &record,
                &event(run_id, "aws_subnet.b", "create"),
                None,
            )
            .unwrap();
        store
            .commit_resource(
                STACK,
                &subnet("aws_subnet.a", "subnet-a"),
                &event(run_id, "aws_subnet.a", "create"),
                None,
            )
            .unwrap();
        record.status = ResourceStatus::Ready;
        record.attributes = json!({ "id": "subnet-b", "cidr_block": "10.0.2.0/24" });
        let serial = store
            .commit_resource(
                STACK,
                &record,
                &event(run_id, "aws_subnet.b", "update"),
                None,
            )
            .unwrap();
        assert_eq!(serial, 3);
        let resources = store.resources(STACK).unwrap();
        let addresses: Vec<&str> = resources
            .iter()
            .map(|resource| resource.address.as_str())
            .collect();
        assert_eq!(addresses, ["aws_subnet.a", "aws_subnet.b"]);
        assert_eq!(resources[1].status, ResourceStatus::Ready);
        assert_eq!(resources[1].attributes["cidr_block"], "10.0.2.0/24");
        assert!(store.resources("specs/other/dev").unwrap().is_empty());
    }

    #[test]
    fn commit_to_unknown_stack_writes_nothing() {
        let (mut store, run_id) = store_with_run();
        let error = store
            .commit_resource(
                "specs/missing",
                &subnet("aws_subnet.a", "subnet-1"),
                &event(run_id, "aws_subnet.a", "create"),
                None,
            )
            .unwrap_err();
        assert!(matches!(error, StateError::UnknownStack(ref name) if name == "specs/missing"));
        // The event was inserted first inside the transaction; it must have been rolled back.
        assert!(store.events(run_id).unwrap().is_empty());
        assert!(store.resources("specs/missing").unwrap().is_empty());
    }

    #[test]
    fn commit_with_unknown_pending_operation_writes_nothing() {
        let (mut store, run_id) = store_with_run();
        let pending_id = store
            .begin_pending(STACK, &pending(run_id, "aws_subnet.a", PendingKind::Create))
            .unwrap();
        let error = store
            .commit_resource(
                STACK,
                &subnet("aws_subnet.a", "subnet-1"),
                &event(run_id, "aws_subnet.a", "create"),
                Some(pending_id + 100),
            )
            .unwrap_err();
        assert!(matches!(error, StateError::NoSuchPendingOperation(id) if id == pending_id + 100));
        assert!(store.events(run_id).unwrap().is_empty());
        assert_eq!(store.resource(STACK, "aws_subnet.a").unwrap(), None);
        assert_eq!(store.stack(STACK).unwrap().unwrap().serial, 0);
        assert_eq!(store.pending_operations(STACK).unwrap().len(), 1);
    }

    #[test]
    fn pending_operation_of_another_stack_is_not_cleared() {
        let (mut store, run_id) = store_with_run();
        store.ensure_stack("specs/other/dev").unwrap();
        let other_run = store
            .start_run("specs/other/dev", RunKind::Apply, "")
            .unwrap();
        let foreign = store
            .begin_pending(
                "specs/other/dev",
                &pending(other_run, "aws_subnet.a", PendingKind::Create),
            )
            .unwrap();
        let error = store
            .commit_resource(
                STACK,
                &subnet("aws_subnet.a", "subnet-1"),
                &event(run_id, "aws_subnet.a", "create"),
                Some(foreign),
            )
            .unwrap_err();
        assert!(matches!(error, StateError::NoSuchPendingOperation(_)));
        assert_eq!(
            store.pending_operations("specs/other/dev").unwrap().len(),
            1
        );
    }

    #[test]
    fn move_renames_the_row_and_the_dependencies_on_it() {
        let (mut store, run_id) = store_with_run();
        store
            .commit_resource(
                STACK,
                &subnet("aws_subnet.a", "subnet-1"),
                &event(run_id, "aws_subnet.a", "create"),
                None,
            )
            .unwrap();
        let mut dependent = subnet("aws_subnet.b", "subnet-2");
        dependent.dependencies = vec!["aws_subnet.a".to_string(), "aws_subnet.ab".to_string()];
        store
            .commit_resource(
                STACK,
                &dependent,
                &event(run_id, "aws_subnet.b", "create"),
                None,
            )
            .unwrap();
        let serial = store
            .move_resource(
                STACK,
                "aws_subnet.a",
                "module.network.aws_subnet.a",
                &event(run_id, "module.network.aws_subnet.a", "move"),
            )
            .unwrap();
        assert_eq!(serial, 3);
        assert_eq!(store.resource(STACK, "aws_subnet.a").unwrap(), None);
        let moved = store
            .resource(STACK, "module.network.aws_subnet.a")
            .unwrap()
            .expect("moved row");
        assert_eq!(moved.cloud_id.as_deref(), Some("subnet-1"));
        let dependent = store.resource(STACK, "aws_subnet.b").unwrap().unwrap();
        assert_eq!(
            dependent.dependencies,
            ["module.network.aws_subnet.a", "aws_subnet.ab"]
        );
        let error = store
            .move_resource(
                STACK,
                "aws_subnet.a",
                "aws_subnet.c",
                &event(run_id, "aws_subnet.c", "move"),
            )
            .unwrap_err();
        assert!(matches!(error, StateError::NoSuchResource { .. }));
        assert_eq!(store.stack(STACK).unwrap().unwrap().serial, 3);
    }

    #[test]
    fn remove_deletes_row_writes_event_clears_pending_and_bumps_serial() {
        let (mut store, run_id) = store_with_run();
        store
            .commit_resource(
                STACK,
                &subnet("aws_subnet.a", "subnet-1"),
                &event(run_id, "aws_subnet.a", "create"),
                None,
            )
            .unwrap();
        let pending_id = store
            .begin_pending(STACK, &pending(run_id, "aws_subnet.a", PendingKind::Delete))
            .unwrap();
        let serial = store
            .remove_resource(
                STACK,
                "aws_subnet.a",
                &event(run_id, "aws_subnet.a", "delete"),
                Some(pending_id),
            )
            .unwrap();
        assert_eq!(serial, 2);
        assert_eq!(store.resource(STACK, "aws_subnet.a").unwrap(), None);
        assert!(store.pending_operations(STACK).unwrap().is_empty());
        let actions: Vec<String> = store
            .events(run_id)
            .unwrap()
            .into_iter()
            .map(|event| event.action)
            .collect();
        assert_eq!(actions, ["create", "delete"]);
    }

    #[test]
    fn removing_a_missing_resource_writes_nothing() {
        let (mut store, run_id) = store_with_run();
        let pending_id = store
            .begin_pending(STACK, &pending(run_id, "aws_subnet.a", PendingKind::Delete))
            .unwrap();
        let error = store
            .remove_resource(
                STACK,
                "aws_subnet.a",
                &event(run_id, "aws_subnet.a", "delete"),
                Some(pending_id),
            )
            .unwrap_err();
        assert!(
            matches!(error, StateError::NoSuchResource { ref address, .. } if address == "aws_subnet.a")
        );
        assert!(store.events(run_id).unwrap().is_empty());
        assert_eq!(store.pending_operations(STACK).unwrap().len(), 1);
        assert_eq!(store.stack(STACK).unwrap().unwrap().serial, 0);
    }

    #[test]
    fn the_provider_configuration_of_a_resource_and_a_pending_call_is_kept() {
        let (mut store, run_id) = store_with_run();
        let mut record = subnet("aws_subnet.europe", "subnet-9");
        record.provider = "aws.europe".to_string();
        let mut operation = pending(run_id, "aws_subnet.europe", PendingKind::Create);
        operation.provider = "aws.europe".to_string();
        let pending_id = store.begin_pending(STACK, &operation).unwrap();
        assert_eq!(
            store.pending_operations(STACK).unwrap()[0].provider,
            "aws.europe"
        );
        store
            .commit_resource(
                STACK,
                &record,
                &event(run_id, "aws_subnet.europe", "create"),
                Some(pending_id),
            )
            .unwrap();
        let stored = store.resource(STACK, "aws_subnet.europe").unwrap().unwrap();
        assert_eq!(stored.provider, "aws.europe");
        assert_eq!(store.resources(STACK).unwrap()[0].provider, "aws.europe");
    }

    #[test]
    fn pending_operations_survive_reopen() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("state.db");
        let (id, run_id) = {
            let mut store = Store::open(&path).unwrap();
            store.ensure_stack(STACK).unwrap();
            let run_id = store.start_run(STACK, RunKind::Apply, "").unwrap();
            let id = store
                .begin_pending(
                    STACK,
                    &pending(run_id, "aws_nat_gateway.a", PendingKind::Create),
                )
                .unwrap();
            (id, run_id)
        };
        let mut store = Store::open(&path).unwrap();
        let operations = store.pending_operations(STACK).unwrap();
        assert_eq!(operations.len(), 1);
        let operation = &operations[0];
        assert_eq!(operation.id, id);
        assert_eq!(operation.run_id, run_id);
        assert_eq!(operation.address, "aws_nat_gateway.a");
        assert_eq!(operation.kind, PendingKind::Create);
        assert_eq!(operation.idempotency_token, "token-aws_nat_gateway.a");
        assert_eq!(operation.desired, json!({ "cidr_block": "10.0.1.0/24" }));
        assert!(operation.started_at > 0);
        store.clear_pending(id).unwrap();
        assert!(store.pending_operations(STACK).unwrap().is_empty());
        assert!(
            matches!(store.clear_pending(id), Err(StateError::NoSuchPendingOperation(gone)) if gone == id)
        );
    }

    #[test]
    fn begin_pending_needs_a_known_stack_and_run() {
        let (mut store, run_id) = store_with_run();
        let error = store
            .begin_pending("specs/missing", &pending(run_id, "a", PendingKind::Create))
            .unwrap_err();
        assert!(matches!(error, StateError::UnknownStack(_)));
        let error = store
            .begin_pending(STACK, &pending(run_id + 1, "a", PendingKind::Create))
            .unwrap_err();
        assert!(matches!(error, StateError::NoSuchRun(id) if id == run_id + 1));
    }

    /// Every text column of every row, for checking what reaches the file.
    fn everything_written(store: &Store) -> String {
        let mut text = String::new();
        for table in ["resources", "pending_operations", "outputs"] {
            let mut statement = store
                .connection
                .prepare(&format!("SELECT * FROM {table}"))
                .unwrap();
            let columns = statement.column_count();
            let mut rows = statement.query([]).unwrap();
            while let Some(row) = rows.next().unwrap() {
                for column in 0..columns {
                    if let Ok(value) = row.get::<_, String>(column) {
                        text.push_str(&value);
                        text.push('\n');
                    }
                }
            }
        }
        text
    }

    #[test]
    fn sensitive_values_are_sealed_at_rest_and_opened_on_read() {
        let (mut store, run_id) = store_with_run();
        let key = SealingKey::generate();
        store.set_sealing_key(key.clone());
        let mut record = subnet("random_password.token", "none");
        record.attributes["secret"] = json!("correct-horse-battery-staple");
        store
            .commit_resource(
                STACK,
                &record,
                &event(run_id, &record.address, "create"),
                None,
            )
            .unwrap();
        let mut operation = pending(run_id, "aws_db.main", PendingKind::Create);
        operation.desired = json!({ "password": "pending-secret-value", "name": "db" });
        operation.sensitive_attributes = vec!["password".to_string()];
        store.begin_pending(STACK, &operation).unwrap();
        let output = |name: &str, value: serde_json::Value, sensitive: bool| OutputRecord {
            name: name.to_string(),
            value,
            sensitive,
        };
        store
            .replace_outputs(
                STACK,
                &[
                    output("token", json!("output-secret-value"), true),
                    output("name", json!("visible"), false),
                ],
            )
            .unwrap();

        let written = everything_written(&store);
        for secret in [
            "correct-horse-battery-staple",
            "pending-secret-value",
            "output-secret-value",
        ] {
            assert!(!written.contains(secret), "{secret} reached the database");
        }
        assert!(written.contains("10.0.1.0/24") && written.contains("visible"));

        let read = store.resource(STACK, &record.address).unwrap().unwrap();
        assert_eq!(read.attributes, record.attributes);
        assert_eq!(
            store.resources(STACK).unwrap()[0].attributes,
            record.attributes
        );
        assert_eq!(
            store.pending_operations(STACK).unwrap()[0].desired,
            operation.desired
        );
        assert_eq!(
            store.outputs(STACK).unwrap()[1].value,
            json!("output-secret-value")
        );

        // Without the key the sealed values are refused, never returned as ciphertext.
        store.sealing_key = None;
        assert!(matches!(
            store.resource(STACK, &record.address),
            Err(StateError::NoSealingKey)
        ));
        store.sealing_key = Some(SealingKey::generate());
        assert!(matches!(
            store.outputs(STACK),
            Err(StateError::WrongSealingKey { .. })
        ));
    }

    #[test]
    fn outputs_are_replaced_whole_without_bumping_serial() {
        let (mut store, _) = store_with_run();
        let output = |name: &str, value: serde_json::Value, sensitive: bool| OutputRecord {
            name: name.to_string(),
            value,
            sensitive,
        };
        store
            .replace_outputs(
                STACK,
                &[
                    output("vpc_id", json!("vpc-1"), false),
                    output("db_password", json!("hunter2"), true),
                ],
            )
            .unwrap();
        let outputs = store.outputs(STACK).unwrap();
        assert_eq!(
            outputs,
            [
                output("db_password", json!("hunter2"), true),
                output("vpc_id", json!("vpc-1"), false)
            ]
        );
        store
            .replace_outputs(STACK, &[output("subnets", json!(["a", "b"]), false)])
            .unwrap();
        assert_eq!(
            store.outputs(STACK).unwrap(),
            [output("subnets", json!(["a", "b"]), false)]
        );
        assert_eq!(store.stack(STACK).unwrap().unwrap().serial, 0);
        assert!(matches!(
            store.replace_outputs("specs/missing", &[]),
            Err(StateError::UnknownStack(_))
        ));
    }

    #[test]
    fn latest_plan_is_the_newest_over_all_stacks() {
        let mut store = Store::open_in_memory().unwrap();
        assert_eq!(store.latest_plan().unwrap(), None);
        let first = store.ensure_stack("specs/a/dev").unwrap();
        let second = store.ensure_stack("specs/b/dev").unwrap();
        let plan = |stack: &Stack, hash: &str| PlanRecord {
            id: 0,
            stack: stack.name.clone(),
            lineage: stack.lineage.clone(),
            state_serial: stack.serial,
            spec_hash: hash.to_string(),
            plan_json: format!("{{\"hash\":\"{hash}\"}}"),
            created_at: 0,
        };
        let first_id = store.save_plan(&plan(&second, "one")).unwrap();
        let second_id = store.save_plan(&plan(&first, "two")).unwrap();
        assert!(second_id > first_id);
        let latest = store.latest_plan().unwrap().unwrap();
        assert_eq!(latest.id, second_id);
        assert_eq!(latest.spec_hash, "two");
        assert_eq!(latest.lineage, first.lineage);
        assert!(latest.created_at > 0);
        assert_eq!(
            store
                .latest_plan_for("specs/b/dev")
                .unwrap()
                .unwrap()
                .spec_hash,
            "one"
        );
        store.delete_plans("specs/a/dev").unwrap();
        assert_eq!(store.latest_plan().unwrap().unwrap().id, first_id);
        assert_eq!(store.latest_plan_for("specs/a/dev").unwrap(), None);
        assert!(matches!(
            store.save_plan(&PlanRecord {
                stack: "nope".into(),
                ..plan(&first, "x")
            }),
            Err(StateError::UnknownStack(_))
        ));
    }

    #[test]
    fn two_handles_on_one_file_see_each_others_commits() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("state.db");
        let mut writer = Store::open(&path).unwrap();
        let mut other = Store::open(&path).unwrap();
        writer.ensure_stack(STACK).unwrap();
        let run_id = writer.start_run(STACK, RunKind::Apply, "").unwrap();
        writer
            .commit_resource(
                STACK,
                &subnet("aws_subnet.a", "subnet-1"),
                &event(run_id, "aws_subnet.a", "create"),
                None,
            )
            .unwrap();
        assert_eq!(other.stack(STACK).unwrap().unwrap().serial, 1);
        assert_eq!(
            other
                .resource(STACK, "aws_subnet.a")
                .unwrap()
                .unwrap()
                .cloud_id
                .as_deref(),
            Some("subnet-1")
        );
        let serial = other
            .remove_resource(
                STACK,
                "aws_subnet.a",
                &event(run_id, "aws_subnet.a", "delete"),
                None,
            )
            .unwrap();
        assert_eq!(serial, 2);
        assert_eq!(writer.resource(STACK, "aws_subnet.a").unwrap(), None);
        assert_eq!(writer.events(run_id).unwrap().len(), 2);
    }

    #[test]
    fn corrupt_rows_are_typed_errors() {
        let (mut store, run_id) = store_with_run();
        store
            .commit_resource(
                STACK,
                &subnet("aws_subnet.a", "subnet-1"),
                &event(run_id, "aws_subnet.a", "create"),
                None,
            )
            .unwrap();
        store
            .connection
            .execute("UPDATE resources SET attributes = '{not json'", [])
            .unwrap();
        let error = store.resources(STACK).unwrap_err();
        assert!(matches!(error, StateError::Corrupt(ref text) if text.contains("aws_subnet.a")));
        store
            .connection
            .execute(
                "UPDATE resources SET attributes = '{}', status = 'sideways'",
                [],
            )
            .unwrap();
        let error = store.resource(STACK, "aws_subnet.a").unwrap_err();
        assert!(matches!(error, StateError::Corrupt(ref text) if text.contains("sideways")));
    }
}
