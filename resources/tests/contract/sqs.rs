//! Fixtures of the SQS types: a FIFO queue with a dead-letter queue, and a queue policy.

use serde_json::json;

use crate::harness::Fixture;

/// The dead-letter queue of `sqs_queue`.
pub fn dead_letter_queue() -> Fixture {
    Fixture::new(
        "aws_sqs_queue",
        |created| json!({"name": format!("{}.fifo", created.name("dlq")), "fifo_queue": true}),
    )
    .keyed("aws_sqs_queue.dead_letter")
}

pub fn sqs_queue() -> Fixture {
    Fixture::new("aws_sqs_queue", |created| {
        let dead_letter = created.get("aws_sqs_queue.dead_letter", "arn");
        json!({
            "name": format!("{}.fifo", created.name("queue")),
            "fifo_queue": true,
            "content_based_deduplication": true,
            "visibility_timeout_seconds": 60,
            "message_retention_seconds": 86400,
            "redrive_policy": json!({"deadLetterTargetArn": dead_letter, "maxReceiveCount": 4}).to_string(),
            "tags": {"Name": created.name("queue")}
        })
    })
    .needs(&[dead_letter_queue])
}

pub fn sqs_queue_policy() -> Fixture {
    Fixture::new("aws_sqs_queue_policy", |created| {
        let arn = created.get("aws_sqs_queue.dead_letter", "arn");
        json!({
            "queue_url": created.id("aws_sqs_queue.dead_letter"),
            "policy": json!({"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
                "Action": "sqs:SendMessage", "Resource": arn}]}).to_string()
        })
    })
    .needs(&[dead_letter_queue])
}
