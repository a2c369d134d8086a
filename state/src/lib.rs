//! The SQLite state store of provision: stacks (lineage, serial), resources, pending operations,
//! outputs, saved plans, run history with per-resource events, drift runs and their findings,
//! and per-stack locks.
//!
//! One database file holds many stacks. It is opened in WAL mode with a 5 s busy timeout; the
//! schema is migrated by `PRAGMA user_version`. Every write that records a change in the cloud
//! (a resource committed or removed, with its event and the clearing of its pending operation)
//! is one immediate transaction, so an interrupted apply leaves state true to the cloud.

mod drift;
mod error;
mod lock;
mod permissions;
mod records;
mod runs;
mod schema;
mod sealing;
mod store;

#[cfg(test)]
mod testing;

pub use error::{format_unix_time, StateError};
pub use lock::{current_host, LOCK_STALE_AFTER_SECONDS};
pub use permissions::{PermissionNotice, DATABASE_MODE, FOLDER_MODE};
pub use records::{
    DriftFindingRecord, DriftKind, DriftRunRecord, EventRecord, LockAcquisition, LockHolder,
    LockInfo, NewPendingOperation, OutputRecord, ParseEnumError, PendingKind, PendingOperation,
    PlanRecord, ResourceRecord, ResourceStatus, RunKind, RunRecord, RunStatus, Stack,
};
pub use runs::INTERRUPTED_SUMMARY;
pub use schema::{current_version as schema_version, BUSY_TIMEOUT};
pub use sealing::{is_sealed, SealingKey, SEALED_PREFIX};
pub use store::Store;
