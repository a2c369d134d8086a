//! Fixtures of the API Gateway v2 types. The API, its routes and integrations run on moto
//! (which serves WebSocket APIs and `$connect` routes). What moto 5.2.1 lacks runs against
//! recorded AWS answers through the replay connector (`replay.rs`), its prerequisites (the
//! API) still made on moto:
//!
//! - stages: `UpdateStage` answers 500, TagResource / UntagResource on a stage ARN 404;
//! - deployments: every deployment operation answers 404 (`CreateDeployment` first);
//! - authorizers: `GetAuthorizers` (recovery by name) answers 500.
//!
//! Each replayed test also checks that the provider made exactly the recorded calls.

use std::collections::BTreeMap;

use provision_resources::{Attributes, Value};
use serde_json::json;

use crate::harness::{self, Created, Fixture, Run};
use crate::replay::{replay_clients, Recorded, Replay};

const LAMBDA_URI: &str = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:ct-chat/invocations";
const ISSUER: &str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_ctPool01";

pub fn apigatewayv2_api() -> Fixture {
    Fixture::new("aws_apigatewayv2_api", |created| {
        json!({"name": created.name("chat"), "protocol_type": "WEBSOCKET",
               "route_selection_expression": "$request.body.action",
               "description": "contract WebSocket API",
               "tags": {"Name": created.name("chat")}})
    })
}

/// An HTTP API with CORS, for the JWT authorizer.
pub fn apigatewayv2_http_api() -> Fixture {
    Fixture::new("aws_apigatewayv2_api", |created| {
        json!({"name": created.name("http"), "protocol_type": "HTTP",
               "cors_configuration": {"allow_origins": ["https://example.com"],
                                      "allow_methods": ["GET", "POST"], "max_age": 300}})
    })
    .keyed("aws_apigatewayv2_api.http")
}

pub fn apigatewayv2_route() -> Fixture {
    Fixture::new("aws_apigatewayv2_route", |created| {
        json!({"api_id": created.id("aws_apigatewayv2_api"), "route_key": "$connect",
               "operation_name": "Connect"})
    })
    .needs(&[apigatewayv2_api])
}

pub fn apigatewayv2_integration() -> Fixture {
    Fixture::new("aws_apigatewayv2_integration", |created| {
        json!({"api_id": created.id("aws_apigatewayv2_api"), "integration_type": "AWS_PROXY",
               "integration_uri": LAMBDA_URI, "integration_method": "POST",
               "content_handling_strategy": "CONVERT_TO_TEXT",
               "passthrough_behavior": "WHEN_NO_MATCH", "timeout_milliseconds": 29000,
               "description": "the chat function"})
    })
    .needs(&[apigatewayv2_api])
}

pub fn apigatewayv2_stage() -> Fixture {
    Fixture::new("aws_apigatewayv2_stage", |created| {
        json!({"api_id": created.id("aws_apigatewayv2_api"), "name": "prod", "auto_deploy": true,
               "default_route_settings": {"throttling_burst_limit": 50,
                                          "throttling_rate_limit": 100, "logging_level": "OFF"},
               "stage_variables": {"lambdaAlias": "live"},
               "tags": {"Name": created.name("prod")}})
    })
    .needs(&[apigatewayv2_api])
}

pub fn apigatewayv2_deployment() -> Fixture {
    Fixture::new("aws_apigatewayv2_deployment", |created| {
        json!({"api_id": created.id("aws_apigatewayv2_api"), "description": "contract deployment",
               "triggers": {"redeployment": "routes-v1"}})
    })
    .needs(&[apigatewayv2_api])
}

pub fn apigatewayv2_authorizer() -> Fixture {
    Fixture::new("aws_apigatewayv2_authorizer", |created| {
        json!({"api_id": created.id("aws_apigatewayv2_api.http"), "name": created.name("jwt"),
               "authorizer_type": "JWT", "identity_sources": ["$request.header.Authorization"],
               "jwt_configuration": {"audience": ["ct-client"], "issuer": ISSUER}})
    })
    .needs(&[apigatewayv2_http_api])
}

/// One recorded REST answer; `path` is the request path expected (a trailing `*`: a prefix).
fn answer(path: String, status: u16, body: serde_json::Value) -> Recorded {
    Recorded {
        operation: path,
        status,
        headers: vec![
            ("content-type", "application/json".to_string()),
            (
                "x-amzn-requestid",
                "5a1e0c3b-0000-4000-8000-000000000003".to_string(),
            ),
        ],
        body: body.to_string().into_bytes(),
    }
}

/// AWS's NotFoundException for `path`.
fn not_found(path: String, what: &str) -> Recorded {
    let mut recorded = answer(
        path,
        404,
        json!({"message": format!("Invalid {what} identifier specified")}),
    );
    recorded
        .headers
        .push(("x-amzn-errortype", "NotFoundException".to_string()));
    recorded
}

/// No content (the delete calls).
fn no_content(path: String) -> Recorded {
    Recorded {
        operation: path,
        status: 204,
        headers: vec![(
            "x-amzn-requestid",
            "5a1e0c3b-0000-4000-8000-000000000004".to_string(),
        )],
        body: Vec::new(),
    }
}

replay_clients!(apigatewayv2: aws_sdk_apigatewayv2 at "https://apigateway.us-east-1.amazonaws.com");

/// The contract of `fixture`'s type against `recorded` answers, its needs made on moto.
async fn replayed_contract(fixture: Fixture, recorded: fn(&Created) -> Vec<Recorded>) {
    let moto = harness::moto_clients().await;
    let mut run = Run::new(fixture.type_name, moto.clone());
    run.create_needs(&fixture.needs).await;
    let replay = Replay::new(recorded(&run.created));
    run.clients = replay_clients(&replay).await;
    harness::check_with(&mut run, &fixture).await;
    replay.assert_paths();
    run.clients = moto;
    run.delete_needs().await;
}

fn api_id(created: &Created) -> String {
    created
        .id("aws_apigatewayv2_api")
        .as_str()
        .unwrap()
        .to_string()
}

/// The tags AWS holds for the contract's resource of `type_name`.
fn tags(created: &Created, type_name: &str, label: &str, changed: bool) -> serde_json::Value {
    let mut tags = json!({"Name": created.name(label), "Suite": "contract",
                          "provision:address": format!("{type_name}.contract"),
                          "provision:stack": format!("contract/{type_name}")});
    if changed {
        tags["Contract"] = json!("changed");
    }
    tags
}

/// The stage as CreateStage / GetStage answer it (real AWS, a WebSocket API's stage).
fn stage(created: &Created, changed: bool) -> serde_json::Value {
    json!({"stageName": "prod", "autoDeploy": true, "deploymentId": "d7x1ab",
           "createdDate": "2026-12-02T14:00:00Z", "lastUpdatedDate": "2026-12-02T14:00:00Z",
           "defaultRouteSettings": {"dataTraceEnabled": false, "detailedMetricsEnabled": false,
                                    "loggingLevel": "OFF", "throttlingBurstLimit": 50,
                                    "throttlingRateLimit": 100.0},
           "routeSettings": {}, "stageVariables": {"lambdaAlias": "live"},
           "lastDeploymentStatusMessage": "Successfully deployed stage with deployment ID 'd7x1ab'",
           "tags": tags(created, "aws_apigatewayv2_stage", "prod", changed)})
}

fn stage_calls(created: &Created) -> Vec<Recorded> {
    let api = api_id(created);
    let stage_path = format!("/v2/apis/{api}/stages/prod");
    vec![
        // recover before create: no stage of that name
        not_found(stage_path.clone(), "stage"),
        // create, then GetApi for the protocol (invoke_url); STS is moto's
        answer(format!("/v2/apis/{api}/stages"), 201, stage(created, false)),
        answer(
            format!("/v2/apis/{api}"),
            200,
            json!({"apiId": api, "name": created.name("chat"), "protocolType": "WEBSOCKET",
                   "routeSelectionExpression": "$request.body.action",
                   "apiEndpoint": format!("wss://{api}.execute-api.us-east-1.amazonaws.com")}),
        ),
        // wait_until_ready, read
        answer(stage_path.clone(), 200, stage(created, false)),
        answer(stage_path.clone(), 200, stage(created, false)),
        // the tag change: TagResource on the stage ARN, read back, read
        no_content("/v2/tags/*".to_string()),
        answer(stage_path.clone(), 200, stage(created, true)),
        answer(stage_path.clone(), 200, stage(created, true)),
        // delete, read is None, delete again (gone), recover
        no_content(stage_path.clone()),
        not_found(stage_path.clone(), "stage"),
        not_found(stage_path.clone(), "stage"),
        not_found(stage_path, "stage"),
    ]
}

pub async fn stage_contract() {
    replayed_contract(apigatewayv2_stage(), stage_calls).await;
}

fn deployment(description: &str) -> serde_json::Value {
    json!({"deploymentId": "d7x1ab", "deploymentStatus": "DEPLOYED", "autoDeployed": false,
           "createdDate": "2026-12-02T14:00:00Z", "description": description})
}

fn deployment_calls(created: &Created) -> Vec<Recorded> {
    let api = api_id(created);
    let path = format!("/v2/apis/{api}/deployments/d7x1ab");
    vec![
        // recover makes no call (nothing identifies a deployment)
        answer(
            format!("/v2/apis/{api}/deployments"),
            201,
            deployment("contract deployment"),
        ),
        answer(path.clone(), 200, deployment("contract deployment")),
        answer(path.clone(), 200, deployment("contract deployment")),
        no_content(path.clone()),
        not_found(path.clone(), "deployment"),
        not_found(path, "deployment"),
    ]
}

pub async fn deployment_contract() {
    replayed_contract(apigatewayv2_deployment(), deployment_calls).await;
}

fn authorizer(created: &Created) -> serde_json::Value {
    json!({"authorizerId": "au7x1b", "authorizerType": "JWT", "name": created.name("jwt"),
           "identitySource": ["$request.header.Authorization"],
           "jwtConfiguration": {"audience": ["ct-client"], "issuer": ISSUER}})
}

fn authorizer_calls(created: &Created) -> Vec<Recorded> {
    let api = created
        .id("aws_apigatewayv2_api.http")
        .as_str()
        .unwrap()
        .to_string();
    let list = format!("/v2/apis/{api}/authorizers");
    let path = format!("{list}/au7x1b");
    vec![
        // recover before create: GetAuthorizers finds none of that name
        answer(list.clone(), 200, json!({"items": []})),
        answer(list.clone(), 201, authorizer(created)),
        answer(path.clone(), 200, authorizer(created)),
        answer(path.clone(), 200, authorizer(created)),
        no_content(path.clone()),
        not_found(path.clone(), "Authorizer"),
        not_found(path, "Authorizer"),
        answer(list, 200, json!({"items": []})),
    ]
}

pub async fn authorizer_contract() {
    replayed_contract(apigatewayv2_authorizer(), authorizer_calls).await;
}

/// UpdateStage (500 on moto) against recorded answers: a new description and throttling,
/// the access log settings removed (DeleteAccessLogSettings first), then the read-back.
#[tokio::test]
async fn stage_settings_update_in_place() {
    let api = "a1b2c3d4e5";
    let path = format!("/v2/apis/{api}/stages/prod");
    let updated = json!({"stageName": "prod", "autoDeploy": true, "deploymentId": "d7x1ab",
        "description": "second", "stageVariables": {},
        "defaultRouteSettings": {"dataTraceEnabled": false, "detailedMetricsEnabled": false,
                                 "loggingLevel": "OFF", "throttlingBurstLimit": 10,
                                 "throttlingRateLimit": 20.0},
        "routeSettings": {}, "tags": {}});
    let replay = Replay::new(vec![
        no_content(format!("{path}/accesslogsettings")),
        answer(path.clone(), 200, updated.clone()),
        answer(path.clone(), 200, updated),
    ]);
    let clients = replay_clients(&replay).await;
    let context = harness::context(
        &clients,
        "aws_apigatewayv2_stage",
        "aws_apigatewayv2_stage.x",
    );
    let registry = provision_resources::registry();
    let stage = registry.get("aws_apigatewayv2_stage").expect("registered");
    let settings = |burst: f64, rate: f64| {
        Value::List(vec![Value::Map(BTreeMap::from([
            ("data_trace_enabled".to_string(), Value::Bool(false)),
            ("detailed_metrics_enabled".to_string(), Value::Bool(false)),
            ("logging_level".to_string(), Value::string("OFF")),
            ("throttling_burst_limit".to_string(), Value::Number(burst)),
            ("throttling_rate_limit".to_string(), Value::Number(rate)),
        ]))])
    };
    let base = |description: &str, burst: f64, rate: f64, logs: Value| -> Attributes {
        BTreeMap::from([
            ("id".to_string(), Value::string("prod")),
            ("api_id".to_string(), Value::string(api)),
            ("name".to_string(), Value::string("prod")),
            ("auto_deploy".to_string(), Value::Bool(true)),
            ("deployment_id".to_string(), Value::string("d7x1ab")),
            ("description".to_string(), Value::string(description)),
            (
                "invoke_url".to_string(),
                Value::string(format!(
                    "wss://{api}.execute-api.us-east-1.amazonaws.com/prod"
                )),
            ),
            (
                "execution_arn".to_string(),
                Value::string(format!(
                    "arn:aws:execute-api:us-east-1:123456789012:{api}/prod"
                )),
            ),
            ("default_route_settings".to_string(), settings(burst, rate)),
            ("access_log_settings".to_string(), logs),
            ("route_settings".to_string(), Value::List(Vec::new())),
            ("tags".to_string(), Value::Map(BTreeMap::new())),
        ])
    };
    let logs = Value::List(vec![Value::Map(BTreeMap::from([
        (
            "destination_arn".to_string(),
            Value::string("arn:aws:logs:us-east-1:123456789012:log-group:ct"),
        ),
        ("format".to_string(), Value::string("$context.requestId")),
    ]))]);
    let prior = base("first", 50.0, 100.0, logs);
    let desired = base("second", 10.0, 20.0, Value::List(Vec::new()));
    // The tags are unchanged (the provision:* tags of the context both times): no tag call.
    let updated = stage
        .update(&context, "prod", &prior, &desired)
        .await
        .expect("update in place");
    assert_eq!(updated["description"], Value::string("second"));
    assert_eq!(updated["access_log_settings"], Value::List(Vec::new()));
    assert_eq!(updated["default_route_settings"], settings(10.0, 20.0));
    replay.assert_paths();
}
