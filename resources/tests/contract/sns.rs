//! Fixtures of the SNS types: a topic and an e-mail subscription to it.

use serde_json::json;

use crate::harness::Fixture;

pub fn sns_topic() -> Fixture {
    Fixture::new(
        "aws_sns_topic",
        |created| json!({"name": created.name("topic"), "tags": {"Name": created.name("topic")}}),
    )
}

pub fn sns_topic_subscription() -> Fixture {
    Fixture::new("aws_sns_topic_subscription", |created| {
        json!({"topic_arn": created.arn("aws_sns_topic"), "protocol": "sqs",
               "endpoint": format!("arn:aws:sqs:us-east-1:123456789012:{}", created.name("queue"))})
    })
    .needs(&[sns_topic])
}
