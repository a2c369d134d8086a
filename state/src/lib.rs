//! The state stores of provision: stacks (lineage, serial), resources, pending operations,
//! outputs, saved plans, run history with per-resource events, drift runs and their findings,
//! and per-stack locks, behind one trait, [`StateStore`], with two implementations: the
//! embedded SQLite file ([`SqliteStore`], the default) and a PostgreSQL server
//! ([`PostgresStore`], for a team sharing one stack). [`open`] picks one from a
//! [`StateLocation`]; `export_stack` / `import_stack` move a stack between them.
//!
//! The SQLite store: one database file holds many stacks. It is opened in WAL mode with a 5 s busy timeout; the
//! schema is migrated by `PRAGMA user_version`. Every write that records a change in the cloud
//! (a resource committed or removed, with its event and the clearing of its pending operation)
//! is one immediate transaction, so an interrupted apply leaves state true to the cloud.

mod drift;
mod error;
mod location;
mod lock;
mod permissions;
pub mod postgres_store;
mod records;
mod runs;
mod schema;
mod sealing;
mod sqlite_store;
mod sqlite_transfer;
mod state_store;
mod store;
pub mod transfer;

#[cfg(any(test, feature = "test-server"))]
pub mod test_server;

#[cfg(test)]
mod testing;

pub use error::{format_unix_time, StateError};
pub use location::{open, open_existing, StateLocation};
pub use lock::{current_host, LOCK_STALE_AFTER_SECONDS};
pub use permissions::{PermissionNotice, DATABASE_MODE, FOLDER_MODE};
pub use postgres_store::PostgresStore;
pub use records::{
    DriftFindingRecord, DriftKind, DriftRunRecord, EventRecord, LockAcquisition, LockHolder,
    LockInfo, NewPendingOperation, OutputRecord, ParseEnumError, PendingKind, PendingOperation,
    PlanRecord, ResourceRecord, ResourceStatus, RunKind, RunRecord, RunStatus, Stack,
};
pub use runs::INTERRUPTED_SUMMARY;
pub use schema::{current_version as schema_version, BUSY_TIMEOUT};
pub use sealing::{is_sealed, SealingKey, SEALED_PREFIX};
pub use state_store::StateStore;
/// The SQLite store (also known by its older name, [`Store`]).
pub use store::Store as SqliteStore;
pub use store::Store;
pub use transfer::{ExportSummary, StackExport};
