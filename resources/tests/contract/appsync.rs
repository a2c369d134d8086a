//! Fixtures of the AppSync types. The GraphQL API (with its schema upload) and its API keys
//! run on moto. moto 5.2.1 serves no data source or resolver operation (CreateDataSource and
//! GetDataSource answer 404, CreateResolver and GetResolver 500), so those two types run
//! against recorded AWS answers through the replay connector (`replay.rs`), their API still
//! made on moto: the contract (recover, create, read, delete, read of the gone resource, delete
//! again), and an update in place each. Each replayed test also checks that the provider made
//! exactly the recorded calls.

use std::collections::BTreeMap;

use provision_resources::{Attributes, Value};
use serde_json::json;

use crate::harness::{self, Created, Fixture, Run};
use crate::replay::{replay_clients, Recorded, Replay};

const SCHEMA: &str = "type Sample {\n  id: ID!\n  name: String\n}\n\ntype Query {\n  getSample(id: ID!): Sample\n}\n\nschema {\n  query: Query\n}\n";

pub fn appsync_graphql_api() -> Fixture {
    Fixture::new("aws_appsync_graphql_api", |created| {
        json!({
            "name": created.name("api"),
            "authentication_type": "API_KEY",
            "schema": SCHEMA,
            "xray_enabled": true,
            "introspection_config": "DISABLED",
            "query_depth_limit": 10,
            "additional_authentication_provider": [
                {"authentication_type": "AWS_IAM"},
                {"authentication_type": "AMAZON_COGNITO_USER_POOLS",
                 "user_pool_config": {"user_pool_id": "us-east-1_ctPool01",
                                      "app_id_client_regex": "^ct-.*"}},
                {"authentication_type": "OPENID_CONNECT",
                 "openid_connect_config": {"issuer": "https://issuer.example.com",
                                           "client_id": "ct-client", "auth_ttl": 3600}},
                {"authentication_type": "AWS_LAMBDA",
                 "lambda_authorizer_config": {
                     "authorizer_uri": "arn:aws:lambda:us-east-1:123456789012:function:ct-auth",
                     "authorizer_result_ttl_in_seconds": 60}}
            ],
            "log_config": {"cloudwatch_logs_role_arn": "arn:aws:iam::123456789012:role/ct-appsync-logs",
                           "field_log_level": "ERROR"},
            "tags": {"Name": created.name("api")}
        })
    })
}

pub fn appsync_api_key() -> Fixture {
    Fixture::new("aws_appsync_api_key", |created| {
        json!({"api_id": created.id("aws_appsync_graphql_api"), "description": "contract key"})
    })
    .needs(&[appsync_graphql_api])
}

/// A DynamoDB data source (the Little Bit spec's shape).
pub fn appsync_datasource() -> Fixture {
    Fixture::new("aws_appsync_datasource", |created| {
        json!({"api_id": created.id("aws_appsync_graphql_api"), "name": "samples",
               "type": "AMAZON_DYNAMODB", "description": "the samples table",
               "service_role_arn": ROLE_ARN,
               "dynamodb_config": {"table_name": "ct-samples", "region": "us-east-1"}})
    })
    .needs(&[appsync_graphql_api])
}

/// A JavaScript unit resolver on the data source.
pub fn appsync_resolver() -> Fixture {
    Fixture::new("aws_appsync_resolver", |created| {
        json!({"api_id": created.id("aws_appsync_graphql_api"), "type": "Query",
               "field": "getSample", "data_source": "samples", "kind": "UNIT",
               "code": RESOLVER_CODE,
               "runtime": {"name": "APPSYNC_JS", "runtime_version": "1.0.0"}})
    })
    .needs(&[appsync_graphql_api])
}

const ROLE_ARN: &str = "arn:aws:iam::123456789012:role/ct-appsync";
const RESOLVER_CODE: &str = "import * as ddb from '@aws-appsync/utils/dynamodb';\nexport function request(ctx) { return ddb.get({ key: { id: ctx.args.id } }); }\nexport function response(ctx) { return ctx.result; }\n";

/// One recorded REST answer; `path` is the request path expected.
fn answer(path: String, status: u16, body: serde_json::Value) -> Recorded {
    Recorded {
        operation: path,
        status,
        headers: vec![
            ("content-type", "application/json".to_string()),
            (
                "x-amzn-requestid",
                "7c1e0c3b-0000-4000-8000-000000000005".to_string(),
            ),
        ],
        body: body.to_string().into_bytes(),
    }
}

/// AppSync's NotFoundException for `path`.
fn not_found(path: String, message: &str) -> Recorded {
    let mut recorded = answer(path, 404, json!({"message": message}));
    recorded
        .headers
        .push(("x-amzn-errortype", "NotFoundException".to_string()));
    recorded
}

replay_clients!(appsync: aws_sdk_appsync at "https://appsync.us-east-1.amazonaws.com");

/// The contract of `fixture`'s type against `recorded` answers, its API made on moto.
async fn replayed_contract(fixture: Fixture, recorded: fn(&str) -> Vec<Recorded>) {
    let moto = harness::moto_clients().await;
    let mut run = Run::new(fixture.type_name, moto.clone());
    run.create_needs(&fixture.needs).await;
    let replay = Replay::new(recorded(&api_id(&run.created)));
    run.clients = replay_clients(&replay).await;
    harness::check_with(&mut run, &fixture).await;
    replay.assert_paths();
    run.clients = moto;
    run.delete_needs().await;
}

fn api_id(created: &Created) -> String {
    created
        .id("aws_appsync_graphql_api")
        .as_str()
        .unwrap()
        .to_string()
}

/// The data source as CreateDataSource / GetDataSource / UpdateDataSource answer it.
fn datasource(api: &str, description: &str, versioned: bool) -> serde_json::Value {
    json!({"dataSource": {
        "dataSourceArn": format!("arn:aws:appsync:us-east-1:123456789012:apis/{api}/datasources/samples"),
        "name": "samples", "description": description, "type": "AMAZON_DYNAMODB",
        "serviceRoleArn": ROLE_ARN,
        "dynamodbConfig": {"tableName": "ct-samples", "awsRegion": "us-east-1",
                           "useCallerCredentials": false, "versioned": versioned}}})
}

fn datasource_calls(api: &str) -> Vec<Recorded> {
    let path = format!("/v1/apis/{api}/datasources/samples");
    let gone = "No data source found named samples";
    vec![
        // recover before create: none of that name
        not_found(path.clone(), gone),
        answer(
            format!("/v1/apis/{api}/datasources"),
            200,
            datasource(api, "the samples table", false),
        ),
        // wait_until_ready, read
        answer(
            path.clone(),
            200,
            datasource(api, "the samples table", false),
        ),
        answer(
            path.clone(),
            200,
            datasource(api, "the samples table", false),
        ),
        // delete; read is None; delete again (gone); recover
        answer(path.clone(), 200, json!({})),
        not_found(path.clone(), gone),
        not_found(path.clone(), gone),
        not_found(path, gone),
    ]
}

pub async fn datasource_contract() {
    replayed_contract(appsync_datasource(), datasource_calls).await;
}

/// The resolver as CreateResolver / GetResolver / UpdateResolver answer it.
fn resolver(api: &str, code: &str) -> serde_json::Value {
    json!({"resolver": {
        "typeName": "Query", "fieldName": "getSample", "dataSourceName": "samples",
        "resolverArn": format!("arn:aws:appsync:us-east-1:123456789012:apis/{api}/types/Query/resolvers/getSample"),
        "kind": "UNIT", "maxBatchSize": 0, "code": code,
        "runtime": {"name": "APPSYNC_JS", "runtimeVersion": "1.0.0"}}})
}

fn resolver_calls(api: &str) -> Vec<Recorded> {
    let path = format!("/v1/apis/{api}/types/Query/resolvers/getSample");
    let gone = "No resolver found.";
    vec![
        not_found(path.clone(), gone),
        answer(
            format!("/v1/apis/{api}/types/Query/resolvers"),
            200,
            resolver(api, RESOLVER_CODE),
        ),
        answer(path.clone(), 200, resolver(api, RESOLVER_CODE)),
        answer(path.clone(), 200, resolver(api, RESOLVER_CODE)),
        answer(path.clone(), 200, json!({})),
        not_found(path.clone(), gone),
        not_found(path.clone(), gone),
        not_found(path, gone),
    ]
}

pub async fn resolver_contract() {
    replayed_contract(appsync_resolver(), resolver_calls).await;
}

/// The attributes `type_name` plans for `config` (defaults filled, as the engine hands them).
fn planned(type_name: &str, config: serde_json::Value) -> Attributes {
    let registry = provision_resources::registry();
    let schema = registry
        .get(type_name)
        .expect("registered")
        .schema()
        .clone();
    harness::planned(&schema, &config, &BTreeMap::new())
}

/// UpdateDataSource against recorded answers: a new description and a versioned table are
/// sent whole (type, role, table), and the answer is the new state.
#[tokio::test]
async fn datasource_settings_update_in_place() {
    let api = "a1b2c3d4e5f6g7h8i9j0k1l2m3";
    let path = format!("/v1/apis/{api}/datasources/samples");
    let replay = Replay::new(vec![
        answer(path.clone(), 200, datasource(api, "second", true)),
        answer(path.clone(), 200, datasource(api, "second", true)),
    ]);
    let clients = replay_clients(&replay).await;
    let context = harness::context(
        &clients,
        "aws_appsync_datasource",
        "aws_appsync_datasource.x",
    );
    let registry = provision_resources::registry();
    let source = registry.get("aws_appsync_datasource").expect("registered");
    let config = |description: &str, versioned: bool| {
        json!({"api_id": api, "name": "samples", "type": "AMAZON_DYNAMODB",
               "description": description, "service_role_arn": ROLE_ARN,
               "dynamodb_config": {"table_name": "ct-samples", "region": "us-east-1",
                                   "versioned": versioned}})
    };
    let id = format!("{api}-samples");
    let mut prior = planned("aws_appsync_datasource", config("first", false));
    prior.insert("id".into(), Value::string(&id));
    let desired = planned("aws_appsync_datasource", config("second", true));
    let updated = source
        .update(&context, &id, &prior, &desired)
        .await
        .expect("update in place");
    assert_eq!(updated["id"], Value::string(&id));
    assert_eq!(updated["description"], Value::string("second"));
    let table = &updated["dynamodb_config"].as_list().unwrap()[0];
    assert_eq!(table.get("versioned"), Some(&Value::Bool(true)));
    let read = source.read(&context, &id, &updated).await.unwrap();
    assert_eq!(read.as_ref(), Some(&updated), "read after update");
    replay.assert_paths();
    let sent = replay.bodies();
    assert!(
        sent[0].contains("\"versioned\":true") && sent[0].contains("\"type\":\"AMAZON_DYNAMODB\""),
        "{sent:?}"
    );
}

/// UpdateResolver against recorded answers: new code is sent with its runtime.
#[tokio::test]
async fn resolver_code_updates_in_place() {
    let api = "a1b2c3d4e5f6g7h8i9j0k1l2m3";
    let path = format!("/v1/apis/{api}/types/Query/resolvers/getSample");
    let code = "export function request(ctx) { return {}; }\nexport function response(ctx) { return null; }\n";
    let replay = Replay::new(vec![
        answer(path.clone(), 200, resolver(api, code)),
        not_found(path.clone(), "No resolver found."),
    ]);
    let clients = replay_clients(&replay).await;
    let context = harness::context(&clients, "aws_appsync_resolver", "aws_appsync_resolver.x");
    let registry = provision_resources::registry();
    let resolver_type = registry.get("aws_appsync_resolver").expect("registered");
    let config = |code: &str| {
        json!({"api_id": api, "type": "Query", "field": "getSample", "data_source": "samples",
               "code": code, "runtime": {"name": "APPSYNC_JS", "runtime_version": "1.0.0"}})
    };
    let id = format!("{api}-Query-getSample");
    let mut prior = planned("aws_appsync_resolver", config(RESOLVER_CODE));
    prior.insert("id".into(), Value::string(&id));
    let desired = planned("aws_appsync_resolver", config(code));
    let updated = resolver_type
        .update(&context, &id, &prior, &desired)
        .await
        .expect("update in place");
    assert_eq!(updated["code"], Value::string(code));
    assert_eq!(updated["id"], Value::string(&id));
    // Deleted behind our back: read says gone.
    assert_eq!(
        resolver_type.read(&context, &id, &updated).await.unwrap(),
        None
    );
    replay.assert_paths();
    let sent = replay.bodies();
    assert!(sent[0].contains("APPSYNC_JS"), "{sent:?}");
}

/// UpdateApiKey on moto: a new description and expiry in place, read back as written; the
/// unchanged expiry of a description-only change is not resent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_key_updates_in_place() {
    let moto = harness::moto_clients().await;
    let mut run = Run::new("aws_appsync_api_key", moto);
    run.create_needs(&[appsync_graphql_api]).await;
    let api = api_id(&run.created);
    let key_type = run.resource("aws_appsync_api_key");
    let context = run.context("aws_appsync_api_key.update");
    let config = |description: &str, expires: &str| json!({"api_id": api, "description": description, "expires": expires});
    let expires = |days: i64| {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64
            + days * 86_400;
        aws_smithy_types::DateTime::from_secs(secs / 3600 * 3600)
            .fmt(aws_smithy_types::date_time::Format::DateTime)
            .unwrap()
    };
    let first = planned("aws_appsync_api_key", config("first", &expires(10)));
    let created = key_type.create(&context, &first).await.expect("create");
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(created["expires"], Value::string(expires(10)));
    let second = planned("aws_appsync_api_key", config("second", &expires(20)));
    let updated = key_type
        .update(&context, &id, &created, &second)
        .await
        .expect("update");
    assert_eq!(updated["description"], Value::string("second"));
    assert_eq!(updated["expires"], Value::string(expires(20)));
    assert_eq!(updated["key"], created["key"]);
    let read = key_type.read(&context, &id, &updated).await.unwrap();
    assert_eq!(read.as_ref(), Some(&updated), "read after update");
    key_type
        .delete(&context, &id, &updated)
        .await
        .expect("delete");
    run.delete_needs().await;
}
