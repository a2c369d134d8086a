//! Fixtures of the Cognito user pool types: a pool with a password policy, e-mail sign-in, a
//! custom schema attribute and account recovery; an OAuth app client with a secret; a prefix
//! domain. Beyond the contract (which changes only tags, and these types carry none): the app
//! client and a custom domain updated in place, and `data "aws_cognito_user_pools"`, all on
//! moto.

use provision_resources::{Attributes, DataContext, ProviderClients, Value};
use serde_json::json;
use std::collections::BTreeMap;

use crate::harness::{self, planned, Fixture, Run};

pub fn cognito_user_pool() -> Fixture {
    Fixture::new("aws_cognito_user_pool", |created| {
        json!({
            "name": created.name("pool"),
            "username_attributes": ["email"],
            "auto_verified_attributes": ["email"],
            "password_policy": [{"minimum_length": 10, "require_symbols": false}],
            "schema": [{"name": "team", "attribute_data_type": "String", "mutable": true,
                        "string_attribute_constraints": [{"min_length": "1", "max_length": "64"}]}],
            "account_recovery_setting": [{"recovery_mechanism": [{"name": "verified_email", "priority": 1}]}],
            "tags": {"Name": created.name("pool")},
        })
    })
}

pub fn cognito_user_pool_client() -> Fixture {
    Fixture::new("aws_cognito_user_pool_client", |created| {
        json!({
            "name": created.name("web"),
            "user_pool_id": created.id("aws_cognito_user_pool"),
            "generate_secret": true,
            "explicit_auth_flows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            "allowed_oauth_flows_user_pool_client": true,
            "allowed_oauth_flows": ["code"],
            "allowed_oauth_scopes": ["openid", "email"],
            "callback_urls": ["https://example.com/callback"],
            "logout_urls": ["https://example.com/logout"],
            "default_redirect_uri": "https://example.com/callback",
            "supported_identity_providers": ["COGNITO"],
            "prevent_user_existence_errors": "ENABLED",
            "enable_token_revocation": true,
            "access_token_validity": 2,
            "id_token_validity": 2,
            "refresh_token_validity": 7,
            "auth_session_validity": 5,
            "token_validity_units": [{"access_token": "hours", "id_token": "hours",
                                      "refresh_token": "days"}],
            "read_attributes": ["email", "custom:team"],
            "write_attributes": ["email"],
        })
    })
    .needs(&[cognito_user_pool])
}

pub fn cognito_user_pool_domain() -> Fixture {
    Fixture::new("aws_cognito_user_pool_domain", |created| {
        json!({"domain": created.name("auth"), "user_pool_id": created.id("aws_cognito_user_pool")})
    })
    .needs(&[cognito_user_pool])
}

fn string(attributes: &Attributes, name: &str) -> String {
    attributes
        .get(name)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("`{name}` is not a string: {attributes:#?}"))
        .to_string()
}

fn strings(attributes: &Attributes, name: &str) -> Vec<String> {
    let mut items: Vec<String> = attributes
        .get(name)
        .and_then(Value::as_list)
        .unwrap_or_else(|| panic!("`{name}` is not a list: {attributes:#?}"))
        .iter()
        .filter_map(|item| item.as_str().map(str::to_string))
        .collect();
    items.sort();
    items
}

/// The app client changed in place: UpdateUserPoolClient gets the whole configuration, the
/// secret stays, what the change does not touch stays as read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cognito_user_pool_client_updates_in_place() {
    let mut run = Run::new(
        "aws_cognito_user_pool_client",
        harness::moto_clients().await,
    );
    run.create_needs(&[cognito_user_pool]).await;
    let resource = run.resource("aws_cognito_user_pool_client");
    let schema = resource.schema().clone();
    let context = run.context("aws_cognito_user_pool_client.updated");
    let config = cognito_user_pool_client().config(&run.created);
    let desired = planned(&schema, &config, &context.default_tags);
    let created = resource.create(&context, &desired).await.expect("create");
    let ready = resource
        .wait_until_ready(&context, &created)
        .await
        .expect("ready");
    let id = string(&ready, "id");
    let secret = string(&ready, "client_secret");
    assert!(!secret.is_empty());

    // What the planner hands update: the prior state with the spec's changes.
    let mut changed = ready.clone();
    for (name, value) in [
        ("name", json!("renamed")),
        (
            "callback_urls",
            json!([
                "https://example.com/callback",
                "https://app.example.com/callback"
            ]),
        ),
        ("logout_urls", json!([])),
        ("access_token_validity", json!(12)),
        ("explicit_auth_flows", json!(["ALLOW_REFRESH_TOKEN_AUTH"])),
    ] {
        changed.insert(name.to_string(), Value::from_json(&value));
    }
    let updated = resource
        .update(&context, &id, &ready, &changed)
        .await
        .expect("update");
    harness::assert_complete(&schema, &updated, "update");
    let reread = resource
        .read(&context, &id, &updated)
        .await
        .expect("read")
        .expect("the client after update");
    assert!(
        reread == updated,
        "read after update differs from what update returned:\n{}",
        harness::differences(&updated, &reread).join("\n")
    );
    assert_eq!(string(&reread, "name"), "renamed");
    assert_eq!(
        strings(&reread, "callback_urls"),
        [
            "https://app.example.com/callback",
            "https://example.com/callback"
        ]
    );
    assert!(strings(&reread, "logout_urls").is_empty());
    assert_eq!(reread["access_token_validity"], Value::Number(12.0));
    assert_eq!(
        strings(&reread, "explicit_auth_flows"),
        ["ALLOW_REFRESH_TOKEN_AUTH"]
    );
    assert_eq!(string(&reread, "client_secret"), secret);
    assert_eq!(reread["generate_secret"], Value::Bool(true));
    assert_eq!(reread["refresh_token_validity"], Value::Number(7.0));
    assert_eq!(
        strings(&reread, "allowed_oauth_scopes"),
        ["email", "openid"]
    );

    // Recovery finds the client by its (new) name in the pool.
    let mut renamed = desired.clone();
    renamed.insert("name".into(), Value::string("renamed"));
    let recovered = resource
        .recover(&context, &renamed)
        .await
        .expect("recover")
        .expect("the client is found by name");
    assert_eq!(string(&recovered, "id"), id);

    resource
        .delete(&context, &id, &reread)
        .await
        .expect("delete");
    assert_eq!(resource.read(&context, &id, &reread).await.unwrap(), None);
    run.delete_needs().await;
}

/// A custom domain with its certificate, the certificate changed in place.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cognito_user_pool_domain_custom_certificate_updates_in_place() {
    let mut run = Run::new(
        "aws_cognito_user_pool_domain",
        harness::moto_clients().await,
    );
    run.create_needs(&[cognito_user_pool]).await;
    let resource = run.resource("aws_cognito_user_pool_domain");
    let schema = resource.schema().clone();
    let context = run.context("aws_cognito_user_pool_domain.custom");
    let domain = format!("{}.example.com", run.created.name("auth"));
    let first =
        "arn:aws:acm:us-east-1:123456789012:certificate/11111111-1111-4111-8111-111111111111";
    let second =
        "arn:aws:acm:us-east-1:123456789012:certificate/22222222-2222-4222-8222-222222222222";
    let config = json!({"domain": domain, "user_pool_id": run.created.id("aws_cognito_user_pool"),
                        "certificate_arn": first});
    let desired = planned(&schema, &config, &context.default_tags);
    let created = resource.create(&context, &desired).await.expect("create");
    harness::assert_complete(&schema, &created, "create");
    let ready = resource
        .wait_until_ready(&context, &created)
        .await
        .expect("ready");
    harness::assert_complete(&schema, &ready, "wait_until_ready");
    harness::assert_configured(&schema, &config, &ready, "wait_until_ready");
    assert_eq!(string(&ready, "id"), domain);
    assert!(
        string(&ready, "cloudfront_distribution").ends_with(".cloudfront.net"),
        "{ready:#?}"
    );
    let read = resource
        .read(&context, &domain, &ready)
        .await
        .unwrap()
        .expect("the domain");
    assert!(
        read == ready,
        "read differs from what create returned:\n{}",
        harness::differences(&ready, &read).join("\n")
    );

    let mut changed = read.clone();
    changed.insert("certificate_arn".into(), Value::string(second));
    let updated = resource
        .update(&context, &domain, &read, &changed)
        .await
        .expect("update");
    harness::assert_complete(&schema, &updated, "update");
    assert_eq!(string(&updated, "certificate_arn"), second);
    assert_eq!(updated["aws_account_id"], read["aws_account_id"]);
    let reread = resource
        .read(&context, &domain, &updated)
        .await
        .unwrap()
        .expect("the domain after update");
    assert!(
        reread == updated,
        "read after update differs from what update returned:\n{}",
        harness::differences(&updated, &reread).join("\n")
    );

    resource
        .delete(&context, &domain, &reread)
        .await
        .expect("delete");
    assert_eq!(
        resource.read(&context, &domain, &reread).await.unwrap(),
        None
    );
    run.delete_needs().await;
}

/// `data "aws_cognito_user_pools"`: every pool of the name (two here, among others), ids and
/// ARNs in the same order; a name no pool has is an empty list.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_cognito_user_pools_lists_the_pools_of_a_name() {
    let clients = harness::moto_clients().await;
    let run = Run::new("aws_cognito_user_pool", clients.clone());
    let pool = run.resource("aws_cognito_user_pool");
    let name = run.created.name("listed");
    let mut made = Vec::new();
    for (label, pool_name) in [
        ("a", name.clone()),
        ("b", name.clone()),
        ("c", run.created.name("other")),
    ] {
        let context = run.context(&format!("aws_cognito_user_pool.data_{label}"));
        let desired = planned(
            pool.schema(),
            &json!({"name": pool_name}),
            &context.default_tags,
        );
        let created = pool.create(&context, &desired).await.expect("create pool");
        made.push((context, created));
    }

    let registry = provision_resources::registry();
    let data = registry
        .data_source("aws_cognito_user_pools")
        .expect("the data source is registered");
    let context = DataContext {
        clients: Some(clients.clone() as ProviderClients),
        address: "data.aws_cognito_user_pools.selected".into(),
        working_directory: std::env::temp_dir(),
    };
    let arguments = Attributes::from([("name".to_string(), Value::string(&name))]);
    let read = data.read(&context, &arguments).await.expect("read");
    for key in read.keys() {
        assert!(
            data.schema().attribute(key).is_some(),
            "`{key}` is not in the schema"
        );
    }
    assert_eq!(string(&read, "id"), name);
    let listed: BTreeMap<String, String> = read["ids"]
        .as_list()
        .unwrap()
        .iter()
        .zip(read["arns"].as_list().unwrap())
        .map(|(id, arn)| {
            (
                id.as_str().unwrap().to_string(),
                arn.as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected: BTreeMap<String, String> = made[..2]
        .iter()
        .map(|(_, created)| (string(created, "id"), string(created, "arn")))
        .collect();
    assert_eq!(listed, expected);
    assert_eq!(read["ids"].as_list().unwrap().len(), 2);

    let nothing = Attributes::from([("name".to_string(), Value::string(run.created.name("none")))]);
    let empty = data.read(&context, &nothing).await.expect("read");
    assert_eq!(empty["ids"], Value::List(Vec::new()));
    assert_eq!(empty["arns"], Value::List(Vec::new()));

    for (context, created) in &made {
        pool.delete(context, &string(created, "id"), created)
            .await
            .expect("delete pool");
    }
}
