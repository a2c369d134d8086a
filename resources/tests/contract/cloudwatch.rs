//! The CloudWatch metric alarm's contract. moto 5.2.1 answers CloudWatch's only protocol in
//! aws-sdk-rust (RPC v2 CBOR) with 404, so the alarm cannot be made on the emulator: its
//! prerequisite (the SNS topic its actions notify) is made on moto, and the alarm's own calls
//! go to a replay connector (`replay.rs`), which answers them with recorded AWS response
//! shapes (CBOR bodies built here from the documents below). The test also checks that the provider
//! made exactly the recorded sequence of calls.

use serde_json::json;

use crate::harness::{self, Created, Fixture, Run};
use crate::replay::{cbor, replay_clients, Recorded, Replay};
use crate::sns;

const ACCOUNT: &str = "123456789012";

pub fn cloudwatch_metric_alarm() -> Fixture {
    Fixture::new("aws_cloudwatch_metric_alarm", |created| {
        json!({"alarm_name": created.name("cpu"), "comparison_operator": "GreaterThanThreshold",
               "evaluation_periods": 2, "metric_name": "CPUUtilization", "namespace": "AWS/RDS",
               "period": 300, "statistic": "Average", "threshold": 80,
               "alarm_actions": [created.arn("aws_sns_topic")],
               "tags": {"Name": created.name("cpu")}})
    })
    .needs(&[sns::sns_topic])
}

/// One recorded exchange: the operation called and AWS's answer (status, CBOR body).
fn exchange(operation: &str, status: u16, body: serde_json::Value) -> Recorded {
    Recorded {
        operation: operation.to_string(),
        status,
        headers: vec![
            ("smithy-protocol", "rpc-v2-cbor".to_string()),
            ("content-type", "application/cbor".to_string()),
            (
                "x-amzn-requestid",
                "7f3c1a9e-0000-4000-8000-000000000001".to_string(),
            ),
        ],
        body: cbor(&body),
    }
}

/// The alarm as DescribeAlarms answers it (real AWS: the definition, ARN and state).
fn described(created: &Created, topic_arn: &str) -> serde_json::Value {
    let name = created.name("cpu");
    json!({"MetricAlarms": [{
        "AlarmName": name,
        "AlarmArn": format!("arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:{name}"),
        "ActionsEnabled": true, "OKActions": [], "AlarmActions": [topic_arn],
        "InsufficientDataActions": [], "StateValue": "INSUFFICIENT_DATA",
        "StateReason": "Unchecked: Initial alarm creation",
        "MetricName": "CPUUtilization", "Namespace": "AWS/RDS", "Statistic": "Average",
        "Dimensions": [], "Period": 300, "EvaluationPeriods": 2, "Threshold": 80.0,
        "ComparisonOperator": "GreaterThanThreshold", "TreatMissingData": "missing"}],
        "CompositeAlarms": []})
}

fn tags(created: &Created, address: &str, changed: bool) -> serde_json::Value {
    let mut tags = vec![
        json!({"Key": "Name", "Value": created.name("cpu")}),
        json!({"Key": "Suite", "Value": "contract"}),
        json!({"Key": "provision:address", "Value": address}),
        json!({"Key": "provision:stack", "Value": "contract/aws_cloudwatch_metric_alarm"}),
    ];
    if changed {
        tags.push(json!({"Key": "Contract", "Value": "changed"}));
    }
    json!({"Tags": tags})
}

/// The calls of the whole contract, in order, with AWS's answers.
fn recorded(created: &Created) -> Vec<Recorded> {
    let topic = created.arn("aws_sns_topic");
    let topic = topic.as_str().unwrap();
    let address = "aws_cloudwatch_metric_alarm.contract";
    let none = json!({"MetricAlarms": [], "CompositeAlarms": []});
    let not_found = json!({"__type": "com.amazonaws.cloudwatch#ResourceNotFound",
                           "message": "The alarm(s) ct-cpu do not exist."});
    vec![
        // recover before create
        exchange("DescribeAlarms", 200, none.clone()),
        // create, read back
        exchange("PutMetricAlarm", 200, json!({})),
        exchange("DescribeAlarms", 200, described(created, topic)),
        exchange("ListTagsForResource", 200, tags(created, address, false)),
        // wait_until_ready
        exchange("DescribeAlarms", 200, described(created, topic)),
        exchange("ListTagsForResource", 200, tags(created, address, false)),
        // read
        exchange("DescribeAlarms", 200, described(created, topic)),
        exchange("ListTagsForResource", 200, tags(created, address, false)),
        // the tag change: the definition again, then TagResource, read back
        exchange("PutMetricAlarm", 200, json!({})),
        exchange("TagResource", 200, json!({})),
        exchange("DescribeAlarms", 200, described(created, topic)),
        exchange("ListTagsForResource", 200, tags(created, address, true)),
        // read
        exchange("DescribeAlarms", 200, described(created, topic)),
        exchange("ListTagsForResource", 200, tags(created, address, true)),
        // delete, read is None, delete again (AWS: ResourceNotFound), recover
        exchange("DeleteAlarms", 200, json!({})),
        exchange("DescribeAlarms", 200, none.clone()),
        exchange("DeleteAlarms", 404, not_found),
        exchange("DescribeAlarms", 200, none),
    ]
}

replay_clients!(cloudwatch: aws_sdk_cloudwatch at "https://monitoring.us-east-1.amazonaws.com");

/// The contract: the SNS topic on moto, the alarm against the recorded answers.
pub async fn contract() {
    let moto = harness::moto_clients().await;
    let mut run = Run::new("aws_cloudwatch_metric_alarm", moto.clone());
    let fixture = cloudwatch_metric_alarm();
    run.create_needs(&fixture.needs).await;

    let replay = Replay::new(recorded(&run.created));
    run.clients = replay_clients(&replay).await;
    harness::check_with(&mut run, &fixture).await;

    let operations: Vec<String> = replay
        .requests()
        .iter()
        .map(|request| {
            request
                .trim_end()
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(operations, replay.expected(), "the alarm's calls, in order");

    run.clients = moto;
    run.delete_needs().await;
}
