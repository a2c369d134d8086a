//! Application Auto Scaling (scalable targets and scaling policies) resource types: one file per type, registered here.

pub mod appautoscaling_policy;
pub mod appautoscaling_target;

use std::sync::Arc;

use crate::registry::Registry;

pub fn register(registry: &mut Registry) {
    registry.register(Arc::new(appautoscaling_target::AppautoscalingTarget::new()));
    registry.register(Arc::new(appautoscaling_policy::AppautoscalingPolicy::new()));
}
