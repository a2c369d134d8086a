//! Fixtures of the Cognito identity pool types. The pool runs on moto. moto 5.2.1 answers
//! SetIdentityPoolRoles and GetIdentityPoolRoles with HTTP 500, so the roles attachment runs
//! against recorded AWS answers through the replay connector (`replay.rs`), the pool it needs
//! still made on moto: the contract, an update in place of the roles and mappings, and a pool
//! that is gone. Each replayed test checks the calls made (by `x-amz-target`), and the bodies
//! sent where they carry the change.

use std::collections::BTreeMap;

use provision_resources::{Attributes, Value};
use serde_json::json;

use crate::harness::{self, Created, Fixture, Run};
use crate::replay::{replay_clients, Recorded, Replay};

const USER_POOL_PROVIDER: &str = "cognito-idp.us-east-1.amazonaws.com/us-east-1_Tv0493apJ";
const CLIENT_ID: &str = "6lhlkkfbfb4q5kpp90urffae";
const AUTHENTICATED: &str = "arn:aws:iam::123456789012:role/ct-identity-authenticated";
const UNAUTHENTICATED: &str = "arn:aws:iam::123456789012:role/ct-identity-unauthenticated";
const ADMIN: &str = "arn:aws:iam::123456789012:role/ct-identity-admin";

/// The role mapping's identity provider: the user pool and its app client.
fn provider() -> String {
    format!("{USER_POOL_PROVIDER}:{CLIENT_ID}")
}

pub fn cognito_identity_pool() -> Fixture {
    Fixture::new("aws_cognito_identity_pool", |created| {
        json!({
            "identity_pool_name": created.name("identities"),
            "allow_unauthenticated_identities": true,
            "developer_provider_name": "login.ct.example",
            "cognito_identity_providers": [{"client_id": CLIENT_ID,
                                            "provider_name": USER_POOL_PROVIDER,
                                            "server_side_token_check": false}],
            "supported_login_providers": {"graph.facebook.com": "7346241598935555"},
            "openid_connect_provider_arns": ["arn:aws:iam::123456789012:oidc-provider/id.example.com"],
            "saml_provider_arns": ["arn:aws:iam::123456789012:saml-provider/ct-idp"],
            "tags": {"Name": created.name("identities")},
        })
    })
}

pub fn cognito_identity_pool_roles_attachment() -> Fixture {
    Fixture::new("aws_cognito_identity_pool_roles_attachment", |created| {
        json!({
            "identity_pool_id": created.id("aws_cognito_identity_pool"),
            "roles": {"authenticated": AUTHENTICATED, "unauthenticated": UNAUTHENTICATED},
            "role_mapping": [{
                "identity_provider": provider(),
                "ambiguous_role_resolution": "AuthenticatedRole",
                "type": "Rules",
                "mapping_rule": [{"claim": "isAdmin", "match_type": "Equals",
                                  "role_arn": ADMIN, "value": "paid"}],
            }],
        })
    })
    .needs(&[cognito_identity_pool])
}

const SET: &str = "AWSCognitoIdentityService.SetIdentityPoolRoles";
const GET: &str = "AWSCognitoIdentityService.GetIdentityPoolRoles";

fn headers() -> Vec<(&'static str, String)> {
    vec![
        ("content-type", "application/x-amz-json-1.1".to_string()),
        (
            "x-amzn-requestid",
            "7c1d2e3f-0000-4000-8000-000000000005".to_string(),
        ),
    ]
}

/// One recorded JSON answer to `target`.
fn answer(target: &str, body: serde_json::Value) -> Recorded {
    Recorded {
        operation: target.to_string(),
        status: 200,
        headers: headers(),
        body: body.to_string().into_bytes(),
    }
}

/// SetIdentityPoolRoles's answer: 200, no body.
fn roles_set() -> Recorded {
    Recorded {
        operation: SET.to_string(),
        status: 200,
        headers: headers(),
        body: Vec::new(),
    }
}

/// AWS's answer to `target` for an identity pool that does not exist.
fn pool_not_found(target: &str, pool: &str) -> Recorded {
    let mut headers = headers();
    headers.push(("x-amzn-errortype", "ResourceNotFoundException".to_string()));
    Recorded {
        operation: target.to_string(),
        status: 400,
        headers,
        body: json!({"__type": "ResourceNotFoundException",
                     "message": format!("IdentityPool '{pool}' not found.")})
        .to_string()
        .into_bytes(),
    }
}

/// GetIdentityPoolRoles of a pool without roles (as AWS answers one: an empty `Roles`).
fn no_roles(pool: &str) -> Recorded {
    answer(GET, json!({"IdentityPoolId": pool, "Roles": {}}))
}

/// The Rules mapping of the fixture, as AWS holds it.
fn rules_mapping() -> serde_json::Value {
    json!({"Type": "Rules", "AmbiguousRoleResolution": "AuthenticatedRole",
           "RulesConfiguration": {"Rules": [{"Claim": "isAdmin", "MatchType": "Equals",
                                             "Value": "paid", "RoleARN": ADMIN}]}})
}

/// GetIdentityPoolRoles of the fixture's roles and mapping.
fn attached(pool: &str) -> Recorded {
    answer(
        GET,
        json!({"IdentityPoolId": pool,
               "Roles": {"authenticated": AUTHENTICATED, "unauthenticated": UNAUTHENTICATED},
               "RoleMappings": {provider(): rules_mapping()}}),
    )
}

replay_clients!(cognitoidentity: aws_sdk_cognitoidentity at "https://cognito-identity.us-east-1.amazonaws.com");

/// The operations called equal the recorded ones, in order.
fn assert_calls(replay: &Replay) {
    let targets: Vec<String> = replay
        .requests()
        .iter()
        .map(|request| request.rsplit(' ').next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(targets, replay.expected(), "the calls made");
}

/// The body of the `index`th request, as JSON.
fn body(replay: &Replay, index: usize) -> serde_json::Value {
    let bodies = replay.bodies();
    serde_json::from_slice(bodies[index].as_bytes())
        .unwrap_or_else(|error| panic!("request {index}'s body is not JSON: {error}"))
}

fn contract_calls(created: &Created) -> Vec<Recorded> {
    let pool = created.id("aws_cognito_identity_pool");
    let pool = pool.as_str().unwrap();
    vec![
        // recover before create: the new pool has no roles
        no_roles(pool),
        // create: set, read back
        roles_set(),
        attached(pool),
        // wait_until_ready, read
        attached(pool),
        attached(pool),
        // delete: empty roles; read finds none
        roles_set(),
        no_roles(pool),
        // delete again, recover
        roles_set(),
        no_roles(pool),
    ]
}

/// The contract of the roles attachment against recorded answers, the pool made on moto.
pub async fn roles_attachment_contract() {
    let fixture = cognito_identity_pool_roles_attachment();
    let moto = harness::moto_clients().await;
    let mut run = Run::new(fixture.type_name, moto.clone());
    run.create_needs(&fixture.needs).await;
    let replay = Replay::new(contract_calls(&run.created));
    run.clients = replay_clients(&replay).await;
    harness::check_with(&mut run, &fixture).await;
    assert_calls(&replay);
    let pool = run.created.id("aws_cognito_identity_pool");
    assert_eq!(
        body(&replay, 1),
        json!({"IdentityPoolId": pool,
               "Roles": {"authenticated": AUTHENTICATED, "unauthenticated": UNAUTHENTICATED},
               "RoleMappings": {provider(): rules_mapping()}}),
        "create sends the roles and the mapping"
    );
    for delete in [5, 7] {
        assert_eq!(
            body(&replay, delete),
            json!({"IdentityPoolId": pool, "Roles": {}, "RoleMappings": {}}),
            "delete sends no roles and no mappings"
        );
    }
    run.clients = moto;
    run.delete_needs().await;
}

fn strings(entries: &[(&str, &str)]) -> Value {
    Value::Map(
        entries
            .iter()
            .map(|(key, value)| (key.to_string(), Value::string(*value)))
            .collect(),
    )
}

fn blocks(items: Vec<Vec<(&str, Value)>>) -> Value {
    Value::List(
        items
            .into_iter()
            .map(|item| {
                Value::Map(
                    item.into_iter()
                        .map(|(key, value)| (key.to_string(), value))
                        .collect(),
                )
            })
            .collect(),
    )
}

fn attachment(pool: &str, roles: Value, role_mapping: Value) -> Attributes {
    BTreeMap::from([
        ("id".to_string(), Value::string(pool)),
        ("identity_pool_id".to_string(), Value::string(pool)),
        ("roles".to_string(), roles),
        ("role_mapping".to_string(), role_mapping),
    ])
}

/// An update in place (SetIdentityPoolRoles answers 500 on moto): a Token mapping becomes a
/// Rules one and an unauthenticated role is added, then the mapping is removed (an empty
/// `RoleMappings` sent, so AWS drops it).
#[tokio::test]
async fn cognito_identity_pool_roles_attachment_updates_in_place() {
    let pool = "us-east-1:0f9e4a35-8c1b-4d2e-9a6f-3b7c5d1e2f40";
    let replay = Replay::new(vec![
        roles_set(),
        attached(pool),
        roles_set(),
        answer(
            GET,
            json!({"IdentityPoolId": pool, "Roles": {"authenticated": AUTHENTICATED}}),
        ),
    ]);
    let clients = replay_clients(&replay).await;
    let type_name = "aws_cognito_identity_pool_roles_attachment";
    let context = harness::context(&clients, type_name, &format!("{type_name}.x"));
    let registry = provision_resources::registry();
    let resource = registry.get(type_name).expect("registered");
    let token = blocks(vec![vec![
        ("identity_provider", Value::string(provider())),
        ("ambiguous_role_resolution", Value::string("Deny")),
        ("type", Value::string("Token")),
        ("mapping_rule", Value::List(Vec::new())),
    ]]);
    let rules = blocks(vec![vec![
        ("identity_provider", Value::string(provider())),
        (
            "ambiguous_role_resolution",
            Value::string("AuthenticatedRole"),
        ),
        ("type", Value::string("Rules")),
        (
            "mapping_rule",
            blocks(vec![vec![
                ("claim", Value::string("isAdmin")),
                ("match_type", Value::string("Equals")),
                ("role_arn", Value::string(ADMIN)),
                ("value", Value::string("paid")),
            ]]),
        ),
    ]]);
    let prior = attachment(pool, strings(&[("authenticated", AUTHENTICATED)]), token);
    let both = strings(&[
        ("authenticated", AUTHENTICATED),
        ("unauthenticated", UNAUTHENTICATED),
    ]);
    let desired = attachment(pool, both.clone(), rules.clone());
    let updated = resource
        .update(&context, pool, &prior, &desired)
        .await
        .expect("update in place");
    assert_eq!(updated["roles"], both);
    assert_eq!(updated["role_mapping"], rules);
    assert_eq!(
        body(&replay, 0),
        json!({"IdentityPoolId": pool,
               "Roles": {"authenticated": AUTHENTICATED, "unauthenticated": UNAUTHENTICATED},
               "RoleMappings": {provider(): rules_mapping()}})
    );

    let only_authenticated = strings(&[("authenticated", AUTHENTICATED)]);
    let unmapped = attachment(pool, only_authenticated.clone(), Value::List(Vec::new()));
    let updated = resource
        .update(&context, pool, &updated, &unmapped)
        .await
        .expect("mapping removed in place");
    assert_eq!(updated["roles"], only_authenticated);
    assert_eq!(updated["role_mapping"], Value::List(Vec::new()));
    assert_eq!(
        body(&replay, 2),
        json!({"IdentityPoolId": pool, "Roles": {"authenticated": AUTHENTICATED},
               "RoleMappings": {}})
    );
    assert_calls(&replay);
}

/// The identity pool is gone (ResourceNotFoundException): read is None, delete succeeds,
/// recover finds nothing, and create fails with AWS's answer.
#[tokio::test]
async fn cognito_identity_pool_roles_attachment_of_a_gone_pool() {
    let pool = "us-east-1:5b7e9a11-2c3d-4e5f-8a9b-0c1d2e3f4a5b";
    let replay = Replay::new(vec![
        pool_not_found(GET, pool),
        pool_not_found(SET, pool),
        pool_not_found(GET, pool),
        pool_not_found(SET, pool),
    ]);
    let clients = replay_clients(&replay).await;
    let type_name = "aws_cognito_identity_pool_roles_attachment";
    let context = harness::context(&clients, type_name, &format!("{type_name}.x"));
    let registry = provision_resources::registry();
    let resource = registry.get(type_name).expect("registered");
    let desired = attachment(
        pool,
        strings(&[("authenticated", AUTHENTICATED)]),
        Value::List(Vec::new()),
    );
    assert_eq!(resource.read(&context, pool, &desired).await.unwrap(), None);
    resource
        .delete(&context, pool, &desired)
        .await
        .expect("deleting the roles of a gone pool succeeds");
    assert_eq!(resource.recover(&context, &desired).await.unwrap(), None);
    let error = resource
        .create(&context, &desired)
        .await
        .expect_err("no pool to attach roles to");
    assert!(
        error.to_string().contains("ResourceNotFoundException"),
        "{error}"
    );
    assert_calls(&replay);
}
