//! Fixtures of the Application Auto Scaling types: a scalable target on the ECS service
//! fixture's desired count and a target-tracking policy on it.

use serde_json::json;

use crate::ecs;
use crate::harness::Fixture;

pub fn appautoscaling_target() -> Fixture {
    Fixture::new("aws_appautoscaling_target", |created| {
        json!({"service_namespace": "ecs",
               "resource_id": format!("service/{}/{}",
                   created.get("aws_ecs_cluster", "name").as_str().unwrap(),
                   created.get("aws_ecs_service", "name").as_str().unwrap()),
               "scalable_dimension": "ecs:service:DesiredCount",
               "min_capacity": 1, "max_capacity": 4})
    })
    .needs(&[ecs::ecs_service])
}

pub fn appautoscaling_policy() -> Fixture {
    Fixture::new("aws_appautoscaling_policy", |created| {
        json!({"name": created.name("cpu"), "policy_type": "TargetTrackingScaling",
               "service_namespace": "ecs",
               "resource_id": created.get("aws_appautoscaling_target", "resource_id"),
               "scalable_dimension": "ecs:service:DesiredCount",
               "target_tracking_scaling_policy_configuration": {"target_value": 70,
                   "predefined_metric_specification":
                       {"predefined_metric_type": "ECSServiceAverageCPUUtilization"}}})
    })
    .needs(&[appautoscaling_target])
}
