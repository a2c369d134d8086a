//! `ApiCallCounter`: how many API calls a run made, per `service:operation`. A provider's
//! clients record into it (the AWS clients through an SDK interceptor); the engine only reads it.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Counts API calls per operation (`EC2:CreateVpc`), HTTP attempts included. Clones share one
/// count, so the client sets of several provider configurations can add to the same figures.
#[derive(Debug, Clone, Default)]
pub struct ApiCallCounter {
    inner: Arc<Mutex<BTreeMap<String, u64>>>,
}

impl ApiCallCounter {
    /// Adds one call of `operation` (`service:operation`).
    pub fn record(&self, operation: String) {
        if let Ok(mut calls) = self.inner.lock() {
            *calls.entry(operation).or_default() += 1;
        }
    }

    /// Calls made so far, per `service:operation`.
    pub fn snapshot(&self) -> BTreeMap<String, u64> {
        self.inner
            .lock()
            .map(|calls| calls.clone())
            .unwrap_or_default()
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
}
