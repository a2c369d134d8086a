//! Application Auto Scaling (scalable targets and scaling policies) resource types: one file per type, registered here.

pub mod appautoscaling_policy;
pub mod appautoscaling_target;

use std::sync::Arc;

use crate::registry::Registry;

pub fn register(registry: &mut Registry) {
    registry.register(Arc::new(appautoscaling_target::AppautoscalingTarget::new()));
    registry.register(Arc::new(appautoscaling_policy::AppautoscalingPolicy::new()));
}

/// Whether `error` is Application Auto Scaling's way of saying the target or policy is not
/// there: a `ValidationException` whose message begins `No scalable target found` /
/// `No scaling policy found` (the service has no not-found code). A delete takes it as gone.
pub(crate) fn is_validation_not_found(error: &crate::error::ProviderError) -> bool {
    error.code() == Some("ValidationException")
        && matches!(error, crate::error::ProviderError::Aws { message, .. }
            if message.starts_with("No scalable target found")
                || message.starts_with("No scaling policy found"))
}

#[cfg(test)]
mod tests {
    use super::is_validation_not_found;
    use crate::error::ProviderError;

    fn validation(message: &str) -> ProviderError {
        ProviderError::Aws {
            operation: "DeleteScalingPolicy".to_string(),
            code: "ValidationException".to_string(),
            message: message.to_string(),
        }
    }

    #[test]
    fn a_missing_target_or_policy_is_gone_other_validation_errors_are_not() {
        assert!(is_validation_not_found(&validation(
            "No scalable target found for service namespace: ecs, resource ID: service/a/b"
        )));
        assert!(is_validation_not_found(&validation(
            "No scaling policy found for service namespace: ecs, policy name: cpu"
        )));
        assert!(!is_validation_not_found(&validation(
            "Maximum capacity cannot be less than minimum capacity"
        )));
    }
}
