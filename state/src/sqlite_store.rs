//! The SQLite store ([`crate::SqliteStore`], the type `store.rs` defines) behind the
//! [`StateStore`] trait: each trait method is the inherent method of the same name.

use crate::error::StateError;
use crate::permissions::PermissionNotice;
use crate::records::{
    DriftRunRecord, EventRecord, LockAcquisition, LockHolder, LockInfo, NewPendingOperation,
    OutputRecord, PendingOperation, PlanRecord, ResourceRecord, RunKind, RunRecord, RunStatus,
    Stack,
};
use crate::sealing::SealingKey;
use crate::state_store::StateStore;
use crate::store::Store as SqliteStore;
use crate::transfer::StackExport;

/// Forwards trait methods to the inherent methods of the same name (inherent methods win
/// method resolution, so `SqliteStore::name` is never the trait method itself).
macro_rules! forward {
    ($(fn $name:ident(&self $(, $argument:ident: $type:ty)*) -> $output:ty;)*) => {
        $(fn $name(&self $(, $argument: $type)*) -> $output {
            SqliteStore::$name(self $(, $argument)*)
        })*
    };
    ($(fn $name:ident(&mut self $(, $argument:ident: $type:ty)*) -> $output:ty;)*) => {
        $(fn $name(&mut self $(, $argument: $type)*) -> $output {
            SqliteStore::$name(self $(, $argument)*)
        })*
    };
}

impl StateStore for SqliteStore {
    forward! {
        fn describe(&self) -> String;
        fn schema_version(&self) -> Result<i64, StateError>;
        fn stack(&self, name: &str) -> Result<Option<Stack>, StateError>;
        fn stacks(&self) -> Result<Vec<Stack>, StateError>;
        fn resources(&self, stack: &str) -> Result<Vec<ResourceRecord>, StateError>;
        fn resource(&self, stack: &str, address: &str) -> Result<Option<ResourceRecord>, StateError>;
        fn pending_operations(&self, stack: &str) -> Result<Vec<PendingOperation>, StateError>;
        fn outputs(&self, stack: &str) -> Result<Vec<OutputRecord>, StateError>;
        fn latest_plan(&self) -> Result<Option<PlanRecord>, StateError>;
        fn latest_plan_for(&self, stack: &str) -> Result<Option<PlanRecord>, StateError>;
        fn runs(&self, stack: Option<&str>, limit: usize) -> Result<Vec<RunRecord>, StateError>;
        fn run(&self, run_id: i64) -> Result<Option<RunRecord>, StateError>;
        fn events(&self, run_id: i64) -> Result<Vec<EventRecord>, StateError>;
        fn drift_runs_since(&self, stack: &str, since: i64) -> Result<Vec<DriftRunRecord>, StateError>;
        fn drift_run(&self, run_id: i64) -> Result<Option<DriftRunRecord>, StateError>;
        fn lock_holder(&self, stack: &str) -> Result<Option<LockInfo>, StateError>;
        fn export_stack(&self, stack: &str) -> Result<StackExport, StateError>;
        fn permission_notices(&self) -> &[PermissionNotice];
    }
    forward! {
        fn set_sealing_key(&mut self, key: SealingKey) -> ();
        fn ensure_stack(&mut self, name: &str) -> Result<Stack, StateError>;
        fn commit_resource(&mut self, stack: &str, record: &ResourceRecord, event: &EventRecord, clear_pending: Option<i64>) -> Result<i64, StateError>;
        fn move_resource(&mut self, stack: &str, from: &str, to: &str, event: &EventRecord) -> Result<i64, StateError>;
        fn remove_resource(&mut self, stack: &str, address: &str, event: &EventRecord, clear_pending: Option<i64>) -> Result<i64, StateError>;
        fn begin_pending(&mut self, stack: &str, operation: &NewPendingOperation) -> Result<i64, StateError>;
        fn clear_pending(&mut self, id: i64) -> Result<(), StateError>;
        fn replace_outputs(&mut self, stack: &str, outputs: &[OutputRecord]) -> Result<(), StateError>;
        fn save_plan(&mut self, plan: &PlanRecord) -> Result<i64, StateError>;
        fn delete_plans(&mut self, stack: &str) -> Result<(), StateError>;
        fn start_run(&mut self, stack: &str, kind: RunKind, details: &str) -> Result<i64, StateError>;
        fn record_event(&mut self, event: &EventRecord) -> Result<(), StateError>;
        fn finish_run(&mut self, run_id: i64, status: RunStatus, summary: &str) -> Result<(), StateError>;
        fn mark_interrupted_runs(&mut self, stack: &str) -> Result<usize, StateError>;
        fn record_drift_run(&mut self, drift: &DriftRunRecord, status: RunStatus, summary: &str) -> Result<(), StateError>;
        fn acquire_lock(&mut self, stack: &str, holder: &LockHolder) -> Result<LockInfo, StateError>;
        fn acquire_lock_reporting(&mut self, stack: &str, holder: &LockHolder) -> Result<LockAcquisition, StateError>;
        fn heartbeat(&mut self, stack: &str, token: &str) -> Result<(), StateError>;
        fn release_lock(&mut self, stack: &str, token: &str) -> Result<(), StateError>;
        fn force_release_lock(&mut self, stack: &str) -> Result<Option<LockInfo>, StateError>;
        fn import_stack(&mut self, export: &StackExport) -> Result<(), StateError>;
    }
}
