//! `ApiCallCounter`: how many API calls a run made, per `service:operation`, and per scope (the
//! resource type and operation the engine was running: `aws_sns_topic create`). A provider's
//! clients record into it (the AWS clients through an SDK interceptor); the engine only reads it
//! and names the scope of each operation with [`scoped`].

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

tokio::task_local! {
    /// The scope calls made by the current task are counted under.
    static SCOPE: String;
}

/// Runs `future` with the API calls it makes counted under `scope` too (besides their
/// `service:operation`). The scope follows the task: calls from tasks `future` spawns are not in it.
pub async fn scoped<F: Future>(scope: String, future: F) -> F::Output {
    SCOPE.scope(scope, future).await
}

#[derive(Debug, Default)]
struct Counts {
    by_operation: BTreeMap<String, u64>,
    /// scope → `service:operation` → calls.
    by_scope: BTreeMap<String, BTreeMap<String, u64>>,
    /// scope → how many times the engine ran it (resources created, updated, ...).
    runs: BTreeMap<String, u64>,
}

/// The calls of one scope: how many times it ran and what it called.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScopeCalls {
    pub runs: u64,
    pub calls: BTreeMap<String, u64>,
}

impl ScopeCalls {
    pub fn total(&self) -> u64 {
        self.calls.values().sum()
    }
}

/// Counts API calls per operation (`EC2:CreateVpc`), HTTP attempts included. Clones share one
/// count, so the client sets of several provider configurations can add to the same figures.
#[derive(Debug, Clone, Default)]
pub struct ApiCallCounter {
    inner: Arc<Mutex<Counts>>,
}

impl ApiCallCounter {
    /// Adds one call of `operation` (`service:operation`), also under the current task's scope
    /// when it has one.
    pub fn record(&self, operation: String) {
        let scope = SCOPE.try_with(Clone::clone).ok();
        if let Ok(mut counts) = self.inner.lock() {
            if let Some(scope) = scope {
                *counts
                    .by_scope
                    .entry(scope)
                    .or_default()
                    .entry(operation.clone())
                    .or_default() += 1;
            }
            *counts.by_operation.entry(operation).or_default() += 1;
        }
    }

    /// Adds one run of `scope` (one resource operation), so calls per resource can be shown.
    pub fn record_run(&self, scope: &str) {
        if let Ok(mut counts) = self.inner.lock() {
            *counts.runs.entry(scope.to_string()).or_default() += 1;
        }
    }

    /// Calls made so far, per `service:operation`.
    pub fn snapshot(&self) -> BTreeMap<String, u64> {
        self.inner
            .lock()
            .map(|counts| counts.by_operation.clone())
            .unwrap_or_default()
    }

    /// Runs and calls so far per scope; scopes that ran without calling anything are included.
    pub fn by_scope(&self) -> BTreeMap<String, ScopeCalls> {
        let Ok(counts) = self.inner.lock() else {
            return BTreeMap::new();
        };
        let mut result: BTreeMap<String, ScopeCalls> = BTreeMap::new();
        for (scope, runs) in &counts.runs {
            result.entry(scope.clone()).or_default().runs = *runs;
        }
        for (scope, calls) in &counts.by_scope {
            result.entry(scope.clone()).or_default().calls = calls.clone();
        }
        result
    }

    pub fn total(&self) -> u64 {
        self.snapshot().values().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_count_into_one_total() {
        let counter = ApiCallCounter::default();
        let other = counter.clone();
        counter.record("EC2:CreateVpc".to_string());
        other.record("EC2:CreateVpc".to_string());
        other.record("IAM:GetRole".to_string());
        assert_eq!(counter.snapshot().get("EC2:CreateVpc"), Some(&2));
        assert_eq!(counter.total(), 3);
    }

    #[test]
    fn calls_inside_a_scope_count_under_it_and_others_only_by_operation() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let counter = ApiCallCounter::default();
        runtime.block_on(async {
            let inside = counter.clone();
            scoped("aws_vpc create".to_string(), async move {
                inside.record_run("aws_vpc create");
                inside.record("EC2:CreateVpc".to_string());
                inside.record("EC2:DescribeVpcs".to_string());
            })
            .await;
            counter.record("STS:GetCallerIdentity".to_string());
        });
        let scopes = counter.by_scope();
        assert_eq!(scopes.len(), 1);
        let vpc = &scopes["aws_vpc create"];
        assert_eq!((vpc.runs, vpc.total()), (1, 2));
        assert_eq!(vpc.calls.get("EC2:CreateVpc"), Some(&1));
        assert_eq!(counter.total(), 3);
    }
}
