//! Fixtures of the ECR types: a repository and its lifecycle policy.

use serde_json::json;

use crate::harness::Fixture;

pub fn ecr_repository() -> Fixture {
    Fixture::new(
        "aws_ecr_repository",
        |created| json!({"name": created.name("repository"), "tags": {"Name": created.name("repository")}}),
    )
}

pub fn ecr_lifecycle_policy() -> Fixture {
    Fixture::new("aws_ecr_lifecycle_policy", |created| {
        json!({"repository": created.get("aws_ecr_repository", "name"),
               "policy": json!({"rules": [{"rulePriority": 1, "description": "expire untagged",
                   "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed",
                                 "countUnit": "days", "countNumber": 7},
                   "action": {"type": "expire"}}]}).to_string()})
    })
    .needs(&[ecr_repository])
}
