//! Shared fixtures for the crate's unit tests: sample records and a store with a stack and a run.

use serde_json::json;

use crate::records::{
    EventRecord, NewPendingOperation, PendingKind, ResourceRecord, ResourceStatus, RunKind,
};
use crate::store::Store;

/// The stack name the fixtures use.
pub const STACK: &str = "specs/edgemind/prod";

/// An in-memory store holding [`STACK`] and one apply run of it; returns the run id too.
pub fn store_with_run() -> (Store, i64) {
    let mut store = Store::open_in_memory().expect("open in-memory store");
    store.ensure_stack(STACK).expect("create stack");
    let run_id = store
        .start_run(STACK, RunKind::Apply, "test")
        .expect("start run");
    (store, run_id)
}

pub fn subnet(address: &str, cloud_id: &str) -> ResourceRecord {
    ResourceRecord {
        address: address.to_string(),
        type_name: "aws_subnet".to_string(),
        cloud_id: Some(cloud_id.to_string()),
        attributes: json!({ "id": cloud_id, "cidr_block": "10.0.1.0/24", "tags": { "Name": "a" } }),
        sensitive_attributes: vec!["secret".to_string()],
        dependencies: vec!["aws_vpc.main".to_string()],
        status: ResourceStatus::Ready,
        updated_at: 0,
        provider: "aws".to_string(),
    }
}

pub fn event(run_id: i64, address: &str, action: &str) -> EventRecord {
    EventRecord {
        run_id,
        address: address.to_string(),
        action: action.to_string(),
        status: "ok".to_string(),
        message: format!("{action} {address}"),
        duration_ms: 42,
        at: 0,
    }
}

pub fn pending(run_id: i64, address: &str, kind: PendingKind) -> NewPendingOperation {
    NewPendingOperation {
        run_id,
        address: address.to_string(),
        type_name: "aws_subnet".to_string(),
        kind,
        idempotency_token: format!("token-{address}"),
        desired: json!({ "cidr_block": "10.0.1.0/24" }),
        sensitive_attributes: Vec::new(),
        provider: "aws".to_string(),
    }
}
