//! Fixtures of the Lambda types: a function from the e2e fixture's zip, its URL, a permission
//! to invoke that URL, an alias of a published version, and event source mappings from an SQS
//! queue (the contract) and from a DynamoDB stream (the stream-only settings).
//!
//! moto 5.2.1 makes event source mappings `Enabled` at once and forgets them at once on
//! delete, so the waits on `Creating`, `Updating` and `Deleting` run against recorded AWS
//! answers through the replay connector (`replay.rs`). Everything else runs on moto.

use provision_resources::{Attributes, Value};
use serde_json::json;

use crate::dynamodb;
use crate::harness::{self, Fixture, Run};
use crate::replay::{replay_clients, Recorded, Replay};

use crate::iam;

pub fn lambda_function() -> Fixture {
    Fixture::new("aws_lambda_function", |created| {
        json!({"function_name": created.name("function"),
               "role": created.arn("aws_iam_role.lambda"),
               "filename": concat!(env!("CARGO_MANIFEST_DIR"),
                                   "/../tests/fixtures/lambda-alarms/handler.zip"),
               "runtime": "nodejs20.x", "handler": "index.handler",
               "tags": {"Name": created.name("function")}})
    })
    .needs(&[iam::lambda_role])
}

pub fn lambda_function_url() -> Fixture {
    Fixture::new("aws_lambda_function_url", |created| {
        json!({"function_name": created.get("aws_lambda_function", "function_name"),
               "authorization_type": "NONE"})
    })
    .needs(&[lambda_function])
}

pub fn lambda_permission() -> Fixture {
    Fixture::new("aws_lambda_permission", |created| {
        json!({"statement_id": "AllowFunctionUrlInvoke", "action": "lambda:InvokeFunctionUrl",
               "function_name": created.get("aws_lambda_function", "function_name"),
               "principal": "*", "function_url_auth_type": "NONE"})
    })
    .needs(&[lambda_function])
}

/// A function with its first version published, for the alias.
pub fn published_function() -> Fixture {
    Fixture::new("aws_lambda_function", |created| {
        json!({"function_name": created.name("published"),
               "role": created.arn("aws_iam_role.lambda"),
               "filename": concat!(env!("CARGO_MANIFEST_DIR"),
                                   "/../tests/fixtures/lambda-alarms/handler.zip"),
               "runtime": "nodejs20.x", "handler": "index.handler", "publish": true})
    })
    .keyed("aws_lambda_function.published")
    .needs(&[iam::lambda_role])
}

pub fn lambda_alias() -> Fixture {
    Fixture::new("aws_lambda_alias", |created| {
        json!({"name": "live",
               "function_name": created.get("aws_lambda_function.published", "function_name"),
               "function_version": created.get("aws_lambda_function.published", "version"),
               "description": "the live version"})
    })
    .needs(&[published_function])
}

/// A standard queue a function reads.
pub fn events_queue() -> Fixture {
    Fixture::new(
        "aws_sqs_queue",
        |created| json!({"name": created.name("events"), "visibility_timeout_seconds": 60}),
    )
    .keyed("aws_sqs_queue.events")
}

pub fn lambda_event_source_mapping() -> Fixture {
    Fixture::new("aws_lambda_event_source_mapping", |created| {
        json!({"event_source_arn": created.arn("aws_sqs_queue.events"),
               "function_name": created.get("aws_lambda_function", "function_name"),
               "batch_size": 20, "maximum_batching_window_in_seconds": 5,
               "filter_criteria": {"filter": [{"pattern": r#"{"body":{"kind":["order"]}}"#}]},
               "function_response_types": ["ReportBatchItemFailures"],
               "scaling_config": {"maximum_concurrency": 2},
               "tags": {"Name": created.name("events")}})
    })
    .needs(&[events_queue, lambda_function])
}

/// A disabled mapping from a DynamoDB stream, with every stream-only setting and a failure
/// destination.
pub fn stream_event_source_mapping() -> Fixture {
    Fixture::new("aws_lambda_event_source_mapping", |created| {
        json!({"event_source_arn": created.get("aws_dynamodb_table", "stream_arn"),
               "function_name": created.arn("aws_lambda_function"),
               "enabled": false, "starting_position": "TRIM_HORIZON", "batch_size": 100,
               "maximum_retry_attempts": 3, "maximum_record_age_in_seconds": 3600,
               "bisect_batch_on_function_error": true, "parallelization_factor": 2,
               "tumbling_window_in_seconds": 30,
               "destination_config": {"on_failure": {
                   "destination_arn": created.arn("aws_sqs_queue.events")}}})
    })
    .needs(&[dynamodb::dynamodb_table, events_queue, lambda_function])
}

/// The contract again for a stream mapping (starting position, retries, bisect,
/// parallelization, tumbling window, failure destination: none of them apply to a queue).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_event_source_mapping_keeps_the_contract() {
    // Its own names and stack (the prefix comes from this label), apart from the queue test's.
    let mut run = Run::new(
        "aws_lambda_event_source_mapping.stream",
        harness::moto_clients().await,
    );
    harness::check_with(&mut run, &stream_event_source_mapping()).await;
    run.delete_needs().await;
}

const UUID: &str = "6f1c9a52-3b7e-4d2a-9c1e-0a8b7c6d5e4f";
const MAPPING_ARN: &str =
    "arn:aws:lambda:us-east-1:123456789012:event-source-mapping:6f1c9a52-3b7e-4d2a-9c1e-0a8b7c6d5e4f";
const QUEUE_ARN: &str = "arn:aws:sqs:us-east-1:123456789012:ct-orders";
const WORKER_ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:ct-worker";

/// One recorded Lambda answer; `path` is the request path expected (a trailing `*`: a prefix).
fn lambda_answer(path: &str, status: u16, body: serde_json::Value) -> Recorded {
    Recorded {
        operation: path.to_string(),
        status,
        headers: vec![
            ("content-type", "application/json".to_string()),
            (
                "x-amzn-requestid",
                "0c9d8e7f-0000-4000-8000-000000000005".to_string(),
            ),
        ],
        body: body.to_string().into_bytes(),
    }
}

/// Lambda's error answer `code` (HTTP `status`) for `path`.
fn lambda_error(path: &str, status: u16, code: &str, message: &str) -> Recorded {
    let mut recorded = lambda_answer(path, status, json!({"Type": "User", "message": message}));
    recorded
        .headers
        .push(("x-amzn-errortype", code.to_string()));
    recorded
}

/// The mapping as Lambda answers Create / Get / Update / Delete for it, in `state`.
fn mapping(path: &str, status: u16, state: &str, enabled_reason: &str) -> Recorded {
    lambda_answer(
        path,
        status,
        json!({"UUID": UUID, "BatchSize": 10, "MaximumBatchingWindowInSeconds": 0,
               "EventSourceArn": QUEUE_ARN, "FunctionArn": WORKER_ARN,
               "LastModified": 1_764_680_400.0, "State": state,
               "StateTransitionReason": enabled_reason, "FunctionResponseTypes": [],
               "EventSourceMappingArn": MAPPING_ARN}),
    )
}

fn mapping_tags() -> Recorded {
    lambda_answer(
        "/2017-03-31/tags/*",
        200,
        json!({"Tags": {"Name": "recorded", "Suite": "contract",
                        "provision:stack": "contract/aws_lambda_event_source_mapping",
                        "provision:address": "aws_lambda_event_source_mapping.recorded"}}),
    )
}

replay_clients!(lambda: aws_sdk_lambda at "https://lambda.us-east-1.amazonaws.com");

/// What moto cannot show, against AWS's recorded answers: create answers `Creating` and the
/// readiness wait polls until `Enabled`; disabling answers `Disabling` and the update waits
/// for `Disabled`; a delete refused while the mapping is in use is retried, answers `Deleting`,
/// and waits until GetEventSourceMapping answers `ResourceNotFoundException`.
#[tokio::test]
async fn event_source_mapping_waits_out_creating_updating_and_deleting() {
    let one = format!("/2015-03-31/event-source-mappings/{UUID}");
    let one = one.as_str();
    let reason = "USER_INITIATED";
    let replay = Replay::new(vec![
        // create, and its read
        mapping("/2015-03-31/event-source-mappings", 202, "Creating", reason),
        mapping(one, 200, "Creating", reason),
        mapping_tags(),
        // wait_until_ready, and its read
        mapping(one, 200, "Creating", reason),
        mapping(one, 200, "Enabled", reason),
        mapping(one, 200, "Enabled", reason),
        mapping_tags(),
        // update (enabled = false): waits out Disabling, then reads
        mapping(one, 202, "Disabling", reason),
        mapping(one, 200, "Disabling", reason),
        mapping(one, 200, "Disabled", reason),
        mapping(one, 200, "Disabled", reason),
        mapping_tags(),
        // delete: in use once, then Deleting until not found
        lambda_error(
            one,
            400,
            "ResourceInUseException",
            "Cannot delete the event source mapping because it is in use.",
        ),
        mapping(one, 202, "Deleting", reason),
        mapping(one, 200, "Deleting", reason),
        lambda_error(
            one,
            404,
            "ResourceNotFoundException",
            "The resource you requested does not exist.",
        ),
    ]);
    let clients = replay_clients(&replay).await;
    let registry = provision_resources::registry();
    let resource = registry
        .get("aws_lambda_event_source_mapping")
        .expect("registered");
    let context = harness::context(
        &clients,
        "aws_lambda_event_source_mapping",
        "aws_lambda_event_source_mapping.recorded",
    );
    let desired = harness::planned(
        resource.schema(),
        &json!({"event_source_arn": QUEUE_ARN, "function_name": "ct-worker",
                "tags": {"Name": "recorded"}}),
        &context.default_tags,
    );
    let created = resource.create(&context, &desired).await.unwrap();
    assert_eq!(created["id"], Value::string(UUID));
    assert_eq!(created["state"], Value::string("Creating"));
    let ready = resource.wait_until_ready(&context, &created).await.unwrap();
    assert_eq!(ready["state"], Value::string("Enabled"));
    assert_eq!(ready["enabled"], Value::Bool(true));
    assert_eq!(ready["function_name"], Value::string("ct-worker"));
    assert_eq!(ready["arn"], Value::string(MAPPING_ARN));
    let mut disabled: Attributes = ready.clone();
    disabled.insert("enabled".into(), Value::Bool(false));
    let updated = resource
        .update(&context, UUID, &ready, &disabled)
        .await
        .unwrap();
    assert_eq!(updated["state"], Value::string("Disabled"));
    assert_eq!(updated["enabled"], Value::Bool(false));
    resource.delete(&context, UUID, &updated).await.unwrap();
    replay.assert_paths();
}

/// A second function, for a mapping moved to another function in place.
pub fn second_function() -> Fixture {
    Fixture::new("aws_lambda_function", |created| {
        json!({"function_name": created.name("second"),
               "role": created.arn("aws_iam_role.lambda"),
               "filename": concat!(env!("CARGO_MANIFEST_DIR"),
                                   "/../tests/fixtures/lambda-alarms/handler.zip"),
               "runtime": "nodejs20.x", "handler": "index.handler"})
    })
    .keyed("aws_lambda_function.second")
    .needs(&[iam::lambda_role])
}

/// Creates `fixture`'s resource in `run` (its needs first) and waits for it.
async fn create_ready(run: &mut Run, fixture: &Fixture, address: &str) -> (Attributes, Attributes) {
    run.create_needs(&fixture.needs).await;
    let resource = run.resource(fixture.type_name);
    let context = run.context(address);
    let desired = harness::planned(
        resource.schema(),
        &fixture.config(&run.created),
        &context.default_tags,
    );
    let created = resource.create(&context, &desired).await.unwrap();
    let ready = resource.wait_until_ready(&context, &created).await.unwrap();
    (desired, ready)
}

/// On moto: an interrupted create is found again by its source, function and tags; then the
/// function, the batch size, the response types and the removal of the filter and scaling
/// blocks change in place.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn event_source_mapping_is_recovered_and_changes_in_place() {
    let mut run = Run::new(
        "aws_lambda_event_source_mapping.update",
        harness::moto_clients().await,
    );
    run.create_needs(&[second_function]).await;
    let fixture = lambda_event_source_mapping();
    let address = "aws_lambda_event_source_mapping.update";
    let (desired, ready) = create_ready(&mut run, &fixture, address).await;
    let resource = run.resource("aws_lambda_event_source_mapping");
    let context = run.context(address);
    let id = ready["id"].as_str().unwrap().to_string();
    let recovered = resource.recover(&context, &desired).await.unwrap();
    assert_eq!(
        recovered.as_ref(),
        Some(&ready),
        "recover finds the mapping"
    );
    // Another address of the same stack does not adopt it.
    let other = run.context("aws_lambda_event_source_mapping.other");
    assert_eq!(resource.recover(&other, &desired).await.unwrap(), None);

    let second = run
        .created
        .get("aws_lambda_function.second", "function_name");
    let mut changed = desired.clone();
    changed.insert("function_name".into(), Value::from_json(&second));
    changed.insert("batch_size".into(), Value::Number(5.0));
    changed.insert("function_response_types".into(), Value::List(vec![]));
    changed.insert("filter_criteria".into(), Value::List(vec![]));
    changed.insert("scaling_config".into(), Value::List(vec![]));
    let updated = resource
        .update(&context, &id, &ready, &changed)
        .await
        .unwrap();
    assert_eq!(updated["function_name"], Value::from_json(&second));
    assert_eq!(
        updated["function_arn"],
        Value::from_json(&run.created.arn("aws_lambda_function.second"))
    );
    assert_eq!(updated["batch_size"], Value::Number(5.0));
    assert_eq!(updated["function_response_types"], Value::List(vec![]));
    assert_eq!(updated["filter_criteria"], Value::List(vec![]));
    assert_eq!(updated["scaling_config"], Value::List(vec![]));
    assert_eq!(updated["tags"], ready["tags"], "tags untouched");
    let reread = resource.read(&context, &id, &updated).await.unwrap();
    assert_eq!(reread.as_ref(), Some(&updated));
    resource.delete(&context, &id, &updated).await.unwrap();
    run.delete_needs().await;
}

/// On moto: the alias moves to a second version with a weighted share for the first, then the
/// routing is removed again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alias_changes_version_and_routing_in_place() {
    let mut run = Run::new("aws_lambda_alias.update", harness::moto_clients().await);
    let fixture = lambda_alias();
    let address = "aws_lambda_alias.update";
    let (desired, ready) = create_ready(&mut run, &fixture, address).await;
    let resource = run.resource("aws_lambda_alias");
    let context = run.context(address);
    let id = ready["id"].as_str().unwrap().to_string();
    assert_eq!(
        resource.recover(&context, &desired).await.unwrap().as_ref(),
        Some(&ready),
        "recover adopts the alias configured as the spec says"
    );
    let function = run
        .created
        .get("aws_lambda_function.published", "function_name");
    // A new version needs a change: Lambda answers the newest version again otherwise.
    run.clients
        .lambda
        .update_function_configuration()
        .function_name(function.as_str().unwrap())
        .description("second version")
        .send()
        .await
        .unwrap();
    let version = run
        .clients
        .lambda
        .publish_version()
        .function_name(function.as_str().unwrap())
        .send()
        .await
        .unwrap()
        .version()
        .unwrap()
        .to_string();
    let first = ready["function_version"].as_str().unwrap().to_string();
    assert_ne!(version, first);

    let mut weighted = desired.clone();
    weighted.insert("function_version".into(), Value::string(&version));
    weighted.insert("description".into(), Value::string("canary"));
    weighted.insert(
        "routing_config".into(),
        Value::from_json(&json!([{"additional_version_weights": {first.clone(): 0.1}}])),
    );
    let updated = resource
        .update(&context, &id, &ready, &weighted)
        .await
        .unwrap();
    assert_eq!(updated["function_version"], Value::string(&version));
    assert_eq!(updated["description"], Value::string("canary"));
    assert_eq!(updated["routing_config"], weighted["routing_config"]);
    assert_eq!(
        resource
            .read(&context, &id, &updated)
            .await
            .unwrap()
            .as_ref(),
        Some(&updated)
    );
    // With another version the alias found by name is not the one this create would make.
    assert_eq!(resource.recover(&context, &desired).await.unwrap(), None);

    let mut unweighted = weighted.clone();
    unweighted.insert("routing_config".into(), Value::List(vec![]));
    let cleared = resource
        .update(&context, &id, &updated, &unweighted)
        .await
        .unwrap();
    assert_eq!(cleared["routing_config"], Value::List(vec![]));
    resource.delete(&context, &id, &cleared).await.unwrap();
    assert_eq!(resource.read(&context, &id, &cleared).await.unwrap(), None);
    run.delete_needs().await;
}

/// Lambda@Edge deletes against AWS's recorded answers (moto never replicates a function, so it
/// never refuses the delete of one): while CloudFront holds replicas, DeleteFunction answers
/// `InvalidParameterValueException` "... because it is a replicated function".
mod edge_delete {
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use provision_resources::aws::lambda::lambda_function::delete_function;
    use provision_resources::{ProgressSink, ProviderError};

    use crate::harness;
    use crate::replay::{Recorded, Replay};

    const NAME: &str = "ct-edge-auth";

    fn path() -> String {
        format!("/2015-03-31/functions/{NAME}")
    }

    fn replicated() -> Recorded {
        Recorded {
            operation: path(),
            status: 400,
            headers: vec![
                ("content-type", "application/json".to_string()),
                ("x-amzn-errortype", "InvalidParameterValueException".to_string()),
                ("x-amzn-requestid", "0c1d4c7e-0000-4000-8000-00000000e001".to_string()),
            ],
            body: format!(
                r#"{{"Type":"User","message":"Lambda was unable to delete arn:aws:lambda:us-east-1:123456789012:function:{NAME}:1 because it is a replicated function. Please see our documentation for Deleting Lambda@Edge Functions and Replicas."}}"#
            )
            .into_bytes(),
        }
    }

    fn deleted() -> Recorded {
        Recorded {
            operation: path(),
            status: 204,
            headers: vec![(
                "x-amzn-requestid",
                "0c1d4c7e-0000-4000-8000-00000000e002".to_string(),
            )],
            body: Vec::new(),
        }
    }

    #[tokio::test]
    async fn a_replicated_function_is_deleted_once_cloudfront_lets_go() {
        let replay = Replay::new(vec![replicated(), replicated(), deleted()]);
        let clients = super::replay_clients(&replay).await;
        let mut context =
            harness::context(&clients, "aws_lambda_function", "aws_lambda_function.edge");
        let said = Arc::new(Mutex::new(Vec::<String>::new()));
        let sink = said.clone();
        context.progress =
            ProgressSink::new(move |message| sink.lock().unwrap().push(message.to_string()));
        delete_function(&context, NAME, Duration::from_secs(120))
            .await
            .expect("deleted after the replicas went");
        assert_eq!(replay.paths(), vec![path(), path(), path()]);
        let said = said.lock().unwrap();
        assert_eq!(said.len(), 1, "{said:?}");
        assert!(said[0].contains("replicas"), "{said:?}");
    }

    #[tokio::test]
    async fn replicas_outliving_the_wait_defer_the_delete() {
        let replay = Replay::new(vec![replicated()]);
        let clients = super::replay_clients(&replay).await;
        let context = harness::context(&clients, "aws_lambda_function", "aws_lambda_function.edge");
        let error = delete_function(&context, NAME, Duration::ZERO)
            .await
            .expect_err("deferred, not deleted");
        assert!(
            matches!(&error, ProviderError::DeleteDeferred(why) if why.contains(NAME)),
            "{error:?}"
        );
        assert_eq!(replay.paths().len(), 1);
    }

    #[tokio::test]
    async fn other_refusals_are_errors_at_once() {
        let mut refused = replicated();
        refused.body = br#"{"Type":"User","message":"Function is in use"}"#.to_vec();
        refused.headers[1].1 = "ResourceConflictException".to_string();
        let replay = Replay::new(vec![refused]);
        let clients = super::replay_clients(&replay).await;
        let context = harness::context(&clients, "aws_lambda_function", "aws_lambda_function.edge");
        let error = delete_function(&context, NAME, Duration::from_secs(120))
            .await
            .expect_err("not retried");
        assert_eq!(error.code(), Some("ResourceConflictException"));
        assert_eq!(replay.paths().len(), 1);
    }
}
