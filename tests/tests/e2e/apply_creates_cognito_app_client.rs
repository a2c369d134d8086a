//! A Cognito user pool with an OAuth app client (with a secret) and a hosted UI domain, and
//! `data "aws_cognito_user_pools"` finding the pool by name: applied, checked with direct
//! Cognito calls; the client secret never printed nor kept in clear in the state database;
//! re-planned clean; a new callback URL changes the client in place (same client, same
//! secret); destroy leaves nothing.

use provision_e2e::{edit_file, json_output, text, Cloud, MotoServer, Workspace};

const FIXTURE: &str = "tests/fixtures/cognito-app-client";

fn summary(workspace: &Workspace, spec: &str) -> serde_json::Value {
    json_output(&workspace.run_expecting(&["plan", spec, "--json"], 0))["summary"].clone()
}

/// The pools of the fixture's name: (id, ARN).
fn pools(cloud: &Cloud) -> Vec<(String, String)> {
    let listed = cloud
        .block_on(
            cloud
                .clients
                .cognitoidp
                .list_user_pools()
                .max_results(60)
                .send(),
        )
        .expect("ListUserPools");
    listed
        .user_pools()
        .iter()
        .filter(|pool| pool.name() == Some("cognito-app"))
        .filter_map(|pool| {
            let id = pool.id()?.to_string();
            let described = cloud
                .block_on(
                    cloud
                        .clients
                        .cognitoidp
                        .describe_user_pool()
                        .user_pool_id(&id)
                        .send(),
                )
                .expect("DescribeUserPool");
            let arn = described.user_pool()?.arn()?.to_string();
            Some((id, arn))
        })
        .collect()
}

fn client(cloud: &Cloud, pool: &str) -> aws_sdk_cognitoidentityprovider::types::UserPoolClientType {
    let listed = cloud
        .block_on(
            cloud
                .clients
                .cognitoidp
                .list_user_pool_clients()
                .user_pool_id(pool)
                .send(),
        )
        .expect("ListUserPoolClients");
    let [only] = listed.user_pool_clients() else {
        panic!("one client: {listed:?}");
    };
    cloud
        .block_on(
            cloud
                .clients
                .cognitoidp
                .describe_user_pool_client()
                .user_pool_id(pool)
                .client_id(only.client_id().expect("client id"))
                .send(),
        )
        .expect("DescribeUserPoolClient")
        .user_pool_client
        .expect("the client")
}

#[test]
fn apply_creates_a_cognito_app_client_and_domain() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let spec = workspace.copy_spec(FIXTURE);

    let apply = text(&workspace.run_expecting(&["apply", &spec, "--yes"], 0));
    assert!(
        apply.contains("Apply complete! Resources: 3 added"),
        "{apply}"
    );

    let found = pools(&cloud);
    let [(pool_id, pool_arn)] = found.as_slice() else {
        panic!("one pool named cognito-app: {found:?}");
    };
    let web = client(&cloud, pool_id);
    assert_eq!(web.client_name(), Some("web"));
    assert_eq!(web.callback_urls(), ["https://app.example.com/callback"]);
    assert_eq!(web.access_token_validity(), Some(1));
    let secret = web
        .client_secret()
        .expect("the client has a secret")
        .to_string();
    let domain = cloud
        .block_on(
            cloud
                .clients
                .cognitoidp
                .describe_user_pool_domain()
                .domain("cognito-app-auth")
                .send(),
        )
        .expect("DescribeUserPoolDomain");
    assert_eq!(
        domain
            .domain_description()
            .and_then(|domain| domain.user_pool_id()),
        Some(pool_id.as_str())
    );

    // The secret: never printed, sealed in the state database.
    assert!(!apply.contains(&secret), "apply printed the client secret");
    let outputs = text(&workspace.run_expecting(&["output", &spec], 0));
    assert!(
        !outputs.contains(&secret),
        "output printed the secret: {outputs}"
    );
    assert!(outputs.contains("(sensitive value)"), "{outputs}");
    assert!(outputs.contains(pool_arn.as_str()), "{outputs}");
    let shown = text(&workspace.run_expecting(
        &["state", "show", "aws_cognito_user_pool_client.web", &spec],
        0,
    ));
    assert!(
        !shown.contains(&secret),
        "state show printed the secret: {shown}"
    );
    assert!(
        !workspace.state_files_contain(&secret),
        "the state database holds the client secret in clear"
    );

    assert_eq!(
        summary(&workspace, &spec),
        serde_json::json!({"import": 0, "add": 0, "change": 0, "destroy": 0})
    );

    // A second callback URL: the client changes in place.
    edit_file(
        format!("{spec}/main.tf"),
        r#"callback_urls                        = ["https://app.example.com/callback"]"#,
        r#"callback_urls                        = ["https://app.example.com/callback", "https://admin.example.com/callback"]"#,
    );
    assert_eq!(
        summary(&workspace, &spec),
        serde_json::json!({"import": 0, "add": 0, "change": 1, "destroy": 0})
    );
    workspace.run_expecting(&["apply", &spec, "--yes"], 0);
    let changed = client(&cloud, pool_id);
    assert_eq!(changed.client_id(), web.client_id());
    assert_eq!(changed.client_secret(), Some(secret.as_str()));
    let mut urls = changed.callback_urls().to_vec();
    urls.sort();
    assert_eq!(
        urls,
        [
            "https://admin.example.com/callback",
            "https://app.example.com/callback"
        ]
    );
    assert_eq!(
        summary(&workspace, &spec),
        serde_json::json!({"import": 0, "add": 0, "change": 0, "destroy": 0})
    );

    let destroy = text(&workspace.run_expecting(&["destroy", &spec, "--yes"], 0));
    assert!(destroy.contains("Destroy complete!"), "{destroy}");
    assert!(pools(&cloud).is_empty(), "the pool is still there");
    let gone = cloud
        .block_on(
            cloud
                .clients
                .cognitoidp
                .describe_user_pool_domain()
                .domain("cognito-app-auth")
                .send(),
        )
        .expect("DescribeUserPoolDomain");
    assert!(
        gone.domain_description()
            .and_then(|domain| domain.domain())
            .is_none(),
        "the domain is still there: {gone:?}"
    );
}
