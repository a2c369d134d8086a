//! Fixtures of the IAM types: a role ECS tasks can assume, an inline policy, a managed policy
//! and an attachment of it.

use serde_json::json;

use crate::harness::Fixture;

fn assume_role_policy(service: &str) -> String {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]})
    .to_string()
}

fn read_logs_policy() -> String {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Action": ["logs:GetLogEvents"], "Resource": "*"}]})
    .to_string()
}

pub fn iam_role() -> Fixture {
    Fixture::new("aws_iam_role", |created| {
        json!({"name": created.name("role"),
               "assume_role_policy": assume_role_policy("ecs-tasks.amazonaws.com"),
               "tags": {"Name": created.name("role")}})
    })
}

/// A role Lambda can assume, for the Lambda types.
pub fn lambda_role() -> Fixture {
    Fixture::new("aws_iam_role", |created| {
        json!({"name": created.name("lambda-role"),
               "assume_role_policy": assume_role_policy("lambda.amazonaws.com")})
    })
    .keyed("aws_iam_role.lambda")
}

pub fn iam_role_policy() -> Fixture {
    Fixture::new("aws_iam_role_policy", |created| {
        json!({"name": "read-logs", "role": created.id("aws_iam_role"),
               "policy": read_logs_policy()})
    })
    .needs(&[iam_role])
}

pub fn iam_policy() -> Fixture {
    Fixture::new("aws_iam_policy", |created| {
        json!({"name": created.name("policy"), "policy": read_logs_policy(),
               "tags": {"Name": created.name("policy")}})
    })
}

pub fn iam_role_policy_attachment() -> Fixture {
    Fixture::new("aws_iam_role_policy_attachment", |created| {
        json!({"role": created.id("aws_iam_role"), "policy_arn": created.arn("aws_iam_policy")})
    })
    .needs(&[iam_role, iam_policy])
}

pub fn iam_user() -> Fixture {
    Fixture::new("aws_iam_user", |created| {
        json!({"name": created.name("user"), "path": "/contract/",
               "tags": {"Name": created.name("user")}})
    })
}

pub fn iam_user_policy() -> Fixture {
    Fixture::new("aws_iam_user_policy", |created| {
        json!({"name": "read-logs", "user": created.id("aws_iam_user"),
               "policy": read_logs_policy()})
    })
    .needs(&[iam_user])
}

pub fn iam_user_policy_attachment() -> Fixture {
    Fixture::new("aws_iam_user_policy_attachment", |created| {
        json!({"user": created.id("aws_iam_user"), "policy_arn": created.arn("aws_iam_policy")})
    })
    .needs(&[iam_user, iam_policy])
}

pub fn iam_instance_profile() -> Fixture {
    Fixture::new("aws_iam_instance_profile", |created| {
        json!({"name": created.name("profile"), "role": created.id("aws_iam_role"),
               "tags": {"Name": created.name("profile")}})
    })
    .needs(&[iam_role])
}
