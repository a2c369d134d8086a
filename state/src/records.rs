//! The plain record types the store reads and writes (stacks, resources, pending operations,
//! outputs, plans, runs, events, locks) and their text-stored enums.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A text value that is not one of an enum's spellings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} {value:?}")]
pub struct ParseEnumError {
    pub kind: &'static str,
    pub value: String,
}

/// Declares an enum stored as lower-case text, with `as_str`, `FromStr` and `Display`.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident, $kind:literal { $($(#[$variant_meta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "lowercase")]
        pub enum $name {
            $($(#[$variant_meta])* $variant),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The text stored in the database.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl FromStr for $name {
            type Err = ParseEnumError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                match text {
                    $($text => Ok($name::$variant),)+
                    _ => Err(ParseEnumError { kind: $kind, value: text.to_string() }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str(self.as_str())
            }
        }
    };
}

text_enum! {
    /// Whether a resource in state is finished.
    ResourceStatus, "resource status" {
        /// Created (or updated) and ready.
        Ready => "ready",
        /// The cloud id is known but the readiness wait has not finished.
        Creating => "creating",
        /// Created, but its readiness wait failed or ran out of time: the next plan replaces
        /// it (Terraform's taint).
        Tainted => "tainted",
    }
}

text_enum! {
    /// What a pending operation is doing to the cloud.
    PendingKind, "pending operation kind" {
        Create => "create",
        Update => "update",
        Delete => "delete",
    }
}

text_enum! {
    /// What a run does.
    RunKind, "run kind" {
        Plan => "plan",
        Apply => "apply",
        Destroy => "destroy",
        Drift => "drift",
    }
}

text_enum! {
    /// How a run ended (or that it has not).
    RunStatus, "run status" {
        Running => "running",
        Succeeded => "succeeded",
        Failed => "failed",
        /// The process running it went away without finishing it.
        Interrupted => "interrupted",
    }
}

text_enum! {
    /// What a drift check found about one resource.
    DriftKind, "drift kind" {
        /// Attributes differ from what was last applied.
        Modified => "modified",
        /// In state, gone from the cloud.
        Deleted => "deleted",
        /// Carries the stack's `provision:stack` tag, but state does not know it.
        Unmanaged => "unmanaged",
    }
}

/// A stack: a spec folder plus an environment, e.g. `specs/edgemind/prod`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stack {
    pub name: String,
    /// A uuid fixed when the stack is created; a plan made against another lineage is refused.
    pub lineage: String,
    /// Bumped by every change to the stack's resources.
    pub serial: i64,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub updated_at: i64,
}

/// One resource instance in state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResourceRecord {
    /// e.g. `aws_subnet.private["a"]`.
    pub address: String,
    /// e.g. `aws_subnet`.
    pub type_name: String,
    pub cloud_id: Option<String>,
    /// The last applied attributes, as a JSON object.
    pub attributes: serde_json::Value,
    /// Names of attributes whose values are sensitive.
    pub sensitive_attributes: Vec<String>,
    /// Addresses this resource depended on when it was applied (used to order deletes).
    pub dependencies: Vec<String>,
    pub status: ResourceStatus,
    /// Unix seconds; the store stamps it when the record is committed.
    pub updated_at: i64,
    /// The provider configuration that owns it (`aws`, `aws.west`): its calls, the delete
    /// included, go there.
    #[serde(default = "default_provider")]
    pub provider: String,
}

/// The configuration of rows written before state recorded one: the default `aws`.
pub fn default_provider() -> String {
    "aws".to_string()
}

/// A pending operation to record before calling a provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewPendingOperation {
    pub run_id: i64,
    pub address: String,
    pub type_name: String,
    pub kind: PendingKind,
    /// Sent to AWS as a client token where the API takes one; used to find the resource again.
    pub idempotency_token: String,
    /// The attributes the operation was asked to reach.
    pub desired: serde_json::Value,
    /// Names of `desired`'s sensitive attributes (sealed at rest when the store has a key).
    #[serde(default)]
    pub sensitive_attributes: Vec<String>,
    /// The provider configuration the call goes to (`aws`, `aws.west`).
    #[serde(default = "default_provider")]
    pub provider: String,
}

/// A provider call whose result has not been committed yet (the process may have died during it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingOperation {
    pub id: i64,
    pub run_id: i64,
    pub address: String,
    pub type_name: String,
    pub kind: PendingKind,
    pub idempotency_token: String,
    pub desired: serde_json::Value,
    /// Unix seconds.
    pub started_at: i64,
    /// The provider configuration the call went to (`aws`, `aws.west`).
    #[serde(default = "default_provider")]
    pub provider: String,
}

/// One output value of a stack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutputRecord {
    pub name: String,
    pub value: serde_json::Value,
    pub sensitive: bool,
}

/// A saved plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanRecord {
    /// 0 when new; the store assigns it.
    pub id: i64,
    pub stack: String,
    /// The stack lineage the plan was made against.
    pub lineage: String,
    /// The stack serial the plan was made against.
    pub state_serial: i64,
    pub spec_hash: String,
    pub plan_json: String,
    /// Unix seconds; the store fills it in when 0.
    pub created_at: i64,
}

/// One plan, apply, destroy or drift run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunRecord {
    pub id: i64,
    pub stack: String,
    pub kind: RunKind,
    pub status: RunStatus,
    /// Unix seconds.
    pub started_at: i64,
    pub finished_at: Option<i64>,
    pub summary: String,
    pub details: String,
}

/// Something a run did to one resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRecord {
    pub run_id: i64,
    pub address: String,
    /// create, update, delete, replace, recover, adopt, fail, skip.
    pub action: String,
    /// ok, failed, skipped.
    pub status: String,
    pub message: String,
    pub duration_ms: i64,
    /// Unix seconds; the store fills it in when 0.
    pub at: i64,
}

/// One finding of a drift run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriftFindingRecord {
    /// The resource address; for an unmanaged resource its `provision:address` tag (or its id).
    pub address: String,
    pub type_name: String,
    pub cloud_id: Option<String>,
    pub kind: DriftKind,
    /// For `modified`: the attributes that differ, as the engine reported them (sensitive values
    /// already redacted). Empty otherwise.
    pub details: serde_json::Value,
}

/// A recorded drift run: when it checked, how much, and what it found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriftRunRecord {
    /// The id of the run (`runs` row of kind `drift`).
    pub run_id: i64,
    pub stack: String,
    /// Unix seconds: when the reads started.
    pub checked_at: i64,
    pub resources_checked: i64,
    pub api_calls: i64,
    pub duration_ms: i64,
    pub findings: Vec<DriftFindingRecord>,
}

/// Who wants a stack's lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockHolder {
    /// e.g. `provision apply (alice)`.
    pub holder: String,
    pub pid: u32,
    pub host: String,
}

/// A stack's lock as held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockInfo {
    pub stack: String,
    /// Proof of ownership: heartbeat and release act only with it.
    pub token: String,
    pub holder: String,
    pub pid: u32,
    pub host: String,
    /// Unix seconds.
    pub acquired_at: i64,
    /// Unix seconds.
    pub heartbeat_at: i64,
}

/// The result of acquiring a lock: the lock now held, and the dead holder's lock if it was taken over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockAcquisition {
    pub lock: LockInfo,
    pub taken_over: Option<LockInfo>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_round_trip_through_text() {
        for status in ResourceStatus::ALL {
            assert_eq!(status.as_str().parse::<ResourceStatus>(), Ok(*status));
        }
        for kind in PendingKind::ALL {
            assert_eq!(kind.as_str().parse::<PendingKind>(), Ok(*kind));
        }
        for kind in RunKind::ALL {
            assert_eq!(kind.as_str().parse::<RunKind>(), Ok(*kind));
        }
        for status in RunStatus::ALL {
            assert_eq!(status.as_str().parse::<RunStatus>(), Ok(*status));
        }
        assert_eq!(RunStatus::Interrupted.to_string(), "interrupted");
    }

    #[test]
    fn unknown_text_is_a_typed_error() {
        let error = "Ready".parse::<ResourceStatus>().unwrap_err();
        assert_eq!(error.kind, "resource status");
        assert_eq!(error.to_string(), "unknown resource status \"Ready\"");
    }

    #[test]
    fn enums_serialize_as_their_text() {
        assert_eq!(
            serde_json::to_string(&RunKind::Destroy).unwrap(),
            "\"destroy\""
        );
        assert_eq!(
            serde_json::from_str::<PendingKind>("\"update\"").unwrap(),
            PendingKind::Update
        );
    }
}
