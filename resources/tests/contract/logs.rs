//! Fixture of the CloudWatch Logs type.

use serde_json::json;

use crate::harness::Fixture;

pub fn cloudwatch_log_group() -> Fixture {
    Fixture::new("aws_cloudwatch_log_group", |created| {
        json!({"name": format!("/contract/{}", created.name("logs")), "retention_in_days": 7,
               "tags": {"Name": created.name("logs")}})
    })
}
