//! CloudWatch (metrics and alarms) resource types: one file per type, registered here.

pub mod cloudwatch_metric_alarm;

use std::sync::Arc;

use crate::registry::Registry;

pub fn register(registry: &mut Registry) {
    registry.register(Arc::new(
        cloudwatch_metric_alarm::CloudwatchMetricAlarm::new(),
    ));
}
