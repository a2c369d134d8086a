//! [`StateStore`]: the one interface the engine uses to read and write state, whichever store
//! is behind it (the SQLite file of [`crate::SqliteStore`] or the PostgreSQL server of
//! [`crate::PostgresStore`]). Both keep the same records with the same rules: every write
//! that records a change in the cloud is one transaction, sensitive values are sealed before
//! they leave the process, a stack's lock names its holder and is taken over once that holder
//! is gone.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use crate::error::StateError;
use crate::permissions::PermissionNotice;
use crate::records::{
    DriftRunRecord, EventRecord, LockAcquisition, LockHolder, LockInfo, NewPendingOperation,
    OutputRecord, PendingOperation, PlanRecord, ResourceRecord, RunKind, RunRecord, RunStatus,
    Stack,
};
use crate::sealing::SealingKey;
use crate::transfer::StackExport;

/// A state store. `Send`, not `Sync`: share it behind a mutex, and call it from a blocking
/// thread in async code (a write may wait for another writer, or for a lost server to return).
pub trait StateStore: Send {
    /// Where the state lives, for messages: a file path, or a `postgres://` URL without its
    /// password.
    fn describe(&self) -> String;

    /// Seals sensitive values with `key` from now on (and opens sealed ones with it).
    fn set_sealing_key(&mut self, key: SealingKey);

    /// The schema version of the open database.
    fn schema_version(&self) -> Result<i64, StateError>;

    /// Set when the store lost its connection to a server during this process's life (never,
    /// for a local file). The apply engine watches it to stop starting new work.
    fn connection_lost(&self) -> Option<Arc<AtomicBool>> {
        None
    }

    /// Requests sent to a state server so far (None for a local file).
    fn round_trips(&self) -> Option<u64> {
        None
    }

    /// What opening narrowed: a database file or `.provision` folder others could read (none
    /// for a state server, whose access the server controls).
    fn permission_notices(&self) -> &[PermissionNotice] {
        &[]
    }

    // ----- stacks -----

    /// The stack named `name`, if it exists.
    fn stack(&self, name: &str) -> Result<Option<Stack>, StateError>;
    /// The stack named `name`, created (with a new lineage and serial 0) if it does not exist.
    fn ensure_stack(&mut self, name: &str) -> Result<Stack, StateError>;
    /// Every stack, ordered by name.
    fn stacks(&self) -> Result<Vec<Stack>, StateError>;

    // ----- resources -----

    /// The stack's resources, ordered by address.
    fn resources(&self, stack: &str) -> Result<Vec<ResourceRecord>, StateError>;
    /// One resource of the stack, if it is in state.
    fn resource(&self, stack: &str, address: &str) -> Result<Option<ResourceRecord>, StateError>;
    /// Upserts the resource row, appends `event`, clears the pending operation `clear_pending`
    /// if given and bumps the stack serial, all in one transaction. Returns the new serial.
    fn commit_resource(
        &mut self,
        stack: &str,
        record: &ResourceRecord,
        event: &EventRecord,
        clear_pending: Option<i64>,
    ) -> Result<i64, StateError>;
    /// Deletes the resource row, appends `event`, clears the pending operation if given and
    /// bumps the stack serial, in one transaction. A resource not in state is
    /// [`StateError::NoSuchResource`] and changes nothing.
    fn remove_resource(
        &mut self,
        stack: &str,
        address: &str,
        event: &EventRecord,
        clear_pending: Option<i64>,
    ) -> Result<i64, StateError>;

    /// Renames a resource's address (a `moved` block: the cloud object stays), rewrites the
    /// other rows' dependencies on it, appends `event` and bumps the stack serial, in one
    /// transaction. Returns the new serial. A resource not in state is
    /// [`StateError::NoSuchResource`] and changes nothing.
    fn move_resource(
        &mut self,
        stack: &str,
        from: &str,
        to: &str,
        event: &EventRecord,
    ) -> Result<i64, StateError>;

    // ----- pending operations -----

    /// Records a provider call about to be made; returns its id.
    fn begin_pending(
        &mut self,
        stack: &str,
        operation: &NewPendingOperation,
    ) -> Result<i64, StateError>;
    /// The stack's pending operations, oldest first.
    fn pending_operations(&self, stack: &str) -> Result<Vec<PendingOperation>, StateError>;
    /// Forgets a pending operation; an unknown id is an error.
    fn clear_pending(&mut self, id: i64) -> Result<(), StateError>;

    // ----- outputs -----

    /// Replaces all of the stack's outputs. Does not bump the serial.
    fn replace_outputs(&mut self, stack: &str, outputs: &[OutputRecord]) -> Result<(), StateError>;
    /// The stack's outputs, ordered by name.
    fn outputs(&self, stack: &str) -> Result<Vec<OutputRecord>, StateError>;

    // ----- plans -----

    /// Saves a plan (its `id` ignored, `created_at` filled in when 0); returns its id.
    fn save_plan(&mut self, plan: &PlanRecord) -> Result<i64, StateError>;
    /// The most recently saved plan over all stacks.
    fn latest_plan(&self) -> Result<Option<PlanRecord>, StateError>;
    /// The most recently saved plan of one stack.
    fn latest_plan_for(&self, stack: &str) -> Result<Option<PlanRecord>, StateError>;
    /// Deletes every saved plan of the stack.
    fn delete_plans(&mut self, stack: &str) -> Result<(), StateError>;

    // ----- runs and events -----

    /// Starts a run of the stack as `Running`, remembering this process's pid and host.
    fn start_run(&mut self, stack: &str, kind: RunKind, details: &str) -> Result<i64, StateError>;
    /// Appends an event to its run (`at` filled in when 0).
    fn record_event(&mut self, event: &EventRecord) -> Result<(), StateError>;
    /// Sets a run's final status and summary and stamps its finish time.
    fn finish_run(
        &mut self,
        run_id: i64,
        status: RunStatus,
        summary: &str,
    ) -> Result<(), StateError>;
    /// Runs, newest first, of one stack or of all; at most `limit`.
    fn runs(&self, stack: Option<&str>, limit: usize) -> Result<Vec<RunRecord>, StateError>;
    /// One run, if it exists.
    fn run(&self, run_id: i64) -> Result<Option<RunRecord>, StateError>;
    /// A run's events in the order they were recorded.
    fn events(&self, run_id: i64) -> Result<Vec<EventRecord>, StateError>;
    /// Marks the stack's runs still `Running` whose process is gone as `Interrupted`.
    fn mark_interrupted_runs(&mut self, stack: &str) -> Result<usize, StateError>;

    // ----- drift runs -----

    /// Records a drift run's findings and finishes its run, in one transaction.
    fn record_drift_run(
        &mut self,
        drift: &DriftRunRecord,
        status: RunStatus,
        summary: &str,
    ) -> Result<(), StateError>;
    /// The drift runs of `stack` that checked at or after `since`, oldest first.
    fn drift_runs_since(&self, stack: &str, since: i64) -> Result<Vec<DriftRunRecord>, StateError>;
    /// One recorded drift run, if `run_id` is one.
    fn drift_run(&self, run_id: i64) -> Result<Option<DriftRunRecord>, StateError>;

    // ----- locks -----

    /// Takes the stack's lock for `holder`, taking it over if its holder is gone; a live holder
    /// is an immediate [`StateError::Locked`].
    fn acquire_lock(&mut self, stack: &str, holder: &LockHolder) -> Result<LockInfo, StateError> {
        Ok(self.acquire_lock_reporting(stack, holder)?.lock)
    }
    /// Like [`StateStore::acquire_lock`], also returning the lock of a dead holder taken over.
    fn acquire_lock_reporting(
        &mut self,
        stack: &str,
        holder: &LockHolder,
    ) -> Result<LockAcquisition, StateError>;
    /// Refreshes the lock's heartbeat; [`StateError::LockNotHeld`] when `token` lost it.
    fn heartbeat(&mut self, stack: &str, token: &str) -> Result<(), StateError>;
    /// Releases the lock if `token` holds it; otherwise does nothing.
    fn release_lock(&mut self, stack: &str, token: &str) -> Result<(), StateError>;
    /// Removes the stack's lock whoever holds it; returns what was removed.
    fn force_release_lock(&mut self, stack: &str) -> Result<Option<LockInfo>, StateError>;
    /// The stack's lock as currently recorded (its holder may be gone).
    fn lock_holder(&self, stack: &str) -> Result<Option<LockInfo>, StateError>;

    // ----- moving a stack between stores -----

    /// Everything recorded about one stack, as stored (sealed values stay sealed).
    fn export_stack(&self, stack: &str) -> Result<StackExport, StateError>;
    /// Writes an exported stack in one transaction. Refuses ([`StateError::TargetNotEmpty`])
    /// when the stack already holds resources, outputs, runs or plans here; an empty stack row
    /// of the same name is replaced.
    fn import_stack(&mut self, export: &StackExport) -> Result<(), StateError>;
}
