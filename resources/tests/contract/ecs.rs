//! Fixtures of the ECS types: a cluster, its capacity providers, a Fargate task definition and
//! a service of it in the shared subnet.

use serde_json::json;

use crate::harness::Fixture;
use crate::{ec2, iam};

pub fn ecs_cluster() -> Fixture {
    Fixture::new(
        "aws_ecs_cluster",
        |created| json!({"name": created.name("cluster"), "tags": {"Name": created.name("cluster")}}),
    )
}

pub fn ecs_cluster_capacity_providers() -> Fixture {
    Fixture::new("aws_ecs_cluster_capacity_providers", |created| {
        json!({"cluster_name": created.get("aws_ecs_cluster", "name"),
               "capacity_providers": ["FARGATE"],
               "default_capacity_provider_strategy": [{"capacity_provider": "FARGATE",
                                                       "weight": 1, "base": 1}]})
    })
    .kept_after_delete("the cluster stays, with no capacity providers: read shows that")
    .needs(&[ecs_cluster])
}

pub fn ecs_task_definition() -> Fixture {
    Fixture::new("aws_ecs_task_definition", |created| {
        json!({"family": created.name("task"), "cpu": "256", "memory": "512",
               "network_mode": "awsvpc", "requires_compatibilities": ["FARGATE"],
               "execution_role_arn": created.arn("aws_iam_role"),
               "container_definitions": json!([{"name": "app", "image": "nginx:1.27",
                   "essential": true, "portMappings": [{"containerPort": 80, "protocol": "tcp"}]}])
                   .to_string(),
               "tags": {"Name": created.name("task")}})
    })
    .needs(&[iam::iam_role])
}

pub fn ecs_service() -> Fixture {
    Fixture::new("aws_ecs_service", |created| {
        json!({"name": created.name("service"), "cluster": created.id("aws_ecs_cluster"),
               "task_definition": created.arn("aws_ecs_task_definition"),
               "desired_count": 1, "launch_type": "FARGATE",
               "network_configuration": {"subnets": [created.id("aws_subnet")],
                   "security_groups": [created.id("aws_security_group")]},
               "tags": {"Name": created.name("service")}})
    })
    .needs(&[
        ecs_cluster,
        ecs_task_definition,
        ec2::subnet,
        ec2::security_group,
    ])
}
