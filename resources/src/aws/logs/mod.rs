//! CloudWatch Logs resource types: one file per type, registered here.

pub mod cloudwatch_log_group;

use std::sync::Arc;

use crate::registry::Registry;

pub fn register(registry: &mut Registry) {
    registry.register(Arc::new(cloudwatch_log_group::CloudwatchLogGroup::new()));
}
