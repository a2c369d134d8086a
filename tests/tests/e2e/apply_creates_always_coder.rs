//! The Always Coder spec (`specs/always-coder`) end to end against the emulator, with the stack
//! in eu-west-1 and its Lambda@Edge function in us-east-1 (the `aws.us_east_1` alias), each
//! read back with direct SDK calls:
//!
//! - the WebSocket API, its three routes to `AWS_PROXY` integrations of the three handlers, the
//!   auto-deployed `prod` stage and the three permissions for API Gateway;
//! - the three on-demand tables with their GSIs and the 24-hour TTL attribute; the handlers'
//!   environment, 30 s timeout and least-privilege roles (each role allows only its table
//!   actions and its own log group);
//! - the private web bucket (every public path blocked, readable only by the distribution) and
//!   the HTTPS-only distribution whose viewer requests run the published edge function;
//! - a second plan and a drift check are clean; a route added later is one create; a change of
//!   the edge code publishes version 2 and moves the distribution to it in place;
//! - destroy leaves neither region anything of the stack.
//!
//! The prod plan (auth on: the Cognito user pool and client) is a snapshot.
//! moto keeps neither a distribution's edge associations nor its origin access control id (see
//! `distribution_config.rs`): those two are checked in state, which the request was built from.

use provision_e2e::identity::{statements, string_set};
use provision_e2e::{edit_file, json_output, text, Cloud, MotoServer, Workspace};
use provision_resources::aws::AwsClients;

const SPEC: &str = "specs/always-coder";
const EUROPE: &[&str] = &["--var", "region=eu-west-1"];
const HANDLERS: [&str; 3] = ["connect", "disconnect", "message"];

/// `provision <command> <spec> --env dev --var region=eu-west-1 [extra]`.
fn dev<'a>(command: &'a str, spec: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut arguments = vec![command, spec, "--env", "dev"];
    arguments.extend_from_slice(EUROPE);
    arguments.extend_from_slice(extra);
    arguments
}

fn summary(workspace: &Workspace, spec: &str) -> serde_json::Value {
    json_output(&workspace.run_expecting(&dev("plan", spec, &["--json"]), 0))["summary"].clone()
}

fn function_names(clients: &AwsClients, cloud: &Cloud) -> Vec<String> {
    let mut names: Vec<String> = cloud
        .block_on(clients.lambda.list_functions().send())
        .expect("ListFunctions")
        .functions()
        .iter()
        .filter_map(|function| function.function_name().map(str::to_string))
        .filter(|name| name.starts_with("always-coder-dev-"))
        .collect();
    names.sort();
    names
}

/// The `Action`s of every statement of a role's inline policy `name`, sorted.
fn policy_actions(cloud: &Cloud, role: &str, name: &str) -> Vec<String> {
    let mut actions: Vec<String> = statements(&cloud.inline_policy(role, name))
        .iter()
        .flat_map(|statement| string_set(&statement["Action"]))
        .collect();
    actions.sort();
    actions
}

/// What `provision state show ADDRESS` prints.
fn state_show(workspace: &Workspace, address: &str) -> String {
    text(&workspace.run_expecting(&["state", "show", "--env", "dev", address], 0))
}

fn published_versions(clients: &AwsClients, cloud: &Cloud, name: &str) -> Vec<String> {
    cloud
        .block_on(
            clients
                .lambda
                .list_versions_by_function()
                .function_name(name)
                .send(),
        )
        .expect("ListVersionsByFunction")
        .versions()
        .iter()
        .filter_map(|version| version.version().map(str::to_string))
        .filter(|version| version != "$LATEST")
        .collect()
}

#[test]
fn dev_in_europe_with_edge_auth_in_us_east_1_applies_replans_clean_and_destroys() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let europe = cloud.in_region("eu-west-1");
    let virginia = cloud.in_region("us-east-1");
    let spec = workspace.copy_spec(SPEC);

    let apply = workspace.run_expecting(
        &dev("apply", &spec, &["--yes", "--approve-security-changes"]),
        0,
    );
    assert!(text(&apply).contains("Apply complete!"), "{}", text(&apply));

    // Tables: on demand, their GSIs, TTL on `ttl` (24 h is what the handlers write).
    let tables = cloud.table_names(&europe);
    assert_eq!(
        tables,
        [
            "always-coder-dev-connections",
            "always-coder-dev-messages",
            "always-coder-dev-sessions"
        ]
    );
    for (table, index) in [
        ("always-coder-dev-connections", Some("sessionId-index")),
        ("always-coder-dev-sessions", Some("userId-index")),
        ("always-coder-dev-messages", None),
    ] {
        let described = cloud
            .block_on(europe.dynamodb.describe_table().table_name(table).send())
            .expect("DescribeTable")
            .table()
            .cloned()
            .expect("table");
        assert_eq!(
            described
                .billing_mode_summary()
                .and_then(|summary| summary.billing_mode())
                .map(|mode| mode.as_str()),
            Some("PAY_PER_REQUEST"),
            "{table}"
        );
        let indexes: Vec<&str> = described
            .global_secondary_indexes()
            .iter()
            .filter_map(|gsi| gsi.index_name())
            .collect();
        assert_eq!(indexes, index.into_iter().collect::<Vec<_>>(), "{table}");
        let ttl = cloud
            .block_on(
                europe
                    .dynamodb
                    .describe_time_to_live()
                    .table_name(table)
                    .send(),
            )
            .expect("DescribeTimeToLive")
            .time_to_live_description()
            .cloned()
            .expect("TTL");
        assert_eq!(ttl.attribute_name(), Some("ttl"), "{table}");
        assert_eq!(
            ttl.time_to_live_status().map(|status| status.as_str()),
            Some("ENABLED"),
            "{table}"
        );
    }

    // Handlers in eu-west-1, the edge function only in us-east-1.
    assert_eq!(
        function_names(&europe, &cloud),
        [
            "always-coder-dev-connect",
            "always-coder-dev-disconnect",
            "always-coder-dev-message"
        ]
    );
    assert_eq!(
        function_names(&virginia, &cloud),
        ["always-coder-dev-edge-auth"]
    );
    assert_eq!(
        published_versions(&virginia, &cloud, "always-coder-dev-edge-auth"),
        ["1"]
    );
    for handler in HANDLERS {
        let name = format!("always-coder-dev-{handler}");
        let configuration = cloud
            .block_on(europe.lambda.get_function().function_name(&name).send())
            .expect("GetFunction")
            .configuration()
            .cloned()
            .expect("configuration");
        assert_eq!(configuration.timeout(), Some(30), "{name}");
        let variables = configuration
            .environment()
            .and_then(|environment| environment.variables())
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            variables.get("CONNECTIONS_TABLE").map(String::as_str),
            Some("always-coder-dev-connections")
        );
        assert_eq!(
            variables.get("SESSIONS_TABLE").map(String::as_str),
            Some("always-coder-dev-sessions")
        );
        assert_eq!(
            variables.get("MESSAGES_TABLE").map(String::as_str),
            Some("always-coder-dev-messages")
        );
        assert_eq!(
            variables.get("COGNITO_USER_POOL_ID").map(String::as_str),
            Some("")
        );
        assert_eq!(
            variables.get("RECORD_TTL_SECONDS").map(String::as_str),
            Some("86400")
        );
        // API Gateway may invoke it.
        let policy = cloud
            .block_on(europe.lambda.get_policy().function_name(&name).send())
            .expect("GetPolicy")
            .policy()
            .unwrap_or_default()
            .to_string();
        assert!(policy.contains("apigateway.amazonaws.com"), "{policy}");
    }

    // Least privilege: each role its own table actions and its log writes, nothing else.
    let logs = ["logs:CreateLogStream", "logs:PutLogEvents"];
    let with_logs = |actions: &[&str]| {
        let mut all: Vec<String> = actions
            .iter()
            .chain(logs.iter())
            .map(|action| action.to_string())
            .collect();
        all.sort();
        all
    };
    assert_eq!(
        policy_actions(&cloud, "always-coder-dev-connect", "connect-handler"),
        with_logs(&["dynamodb:PutItem"])
    );
    assert_eq!(
        policy_actions(&cloud, "always-coder-dev-disconnect", "disconnect-handler"),
        with_logs(&["dynamodb:DeleteItem"])
    );
    assert_eq!(
        policy_actions(&cloud, "always-coder-dev-message", "message-handler"),
        with_logs(&[
            "dynamodb:PutItem",
            "dynamodb:Query",
            "dynamodb:UpdateItem",
            "execute-api:ManageConnections"
        ])
    );

    // The WebSocket API, its routes to the handlers' integrations, the prod stage.
    let api = cloud
        .block_on(europe.apigatewayv2.get_apis().send())
        .expect("GetApis")
        .items()
        .iter()
        .find(|api| api.name() == Some("always-coder-dev-websocket"))
        .cloned()
        .expect("the WebSocket API, in eu-west-1");
    let api_id = api.api_id().expect("api id").to_string();
    assert_eq!(api.protocol_type().map(|p| p.as_str()), Some("WEBSOCKET"));
    assert_eq!(
        api.route_selection_expression(),
        Some("$request.body.action")
    );
    let integrations = cloud
        .block_on(
            europe
                .apigatewayv2
                .get_integrations()
                .api_id(&api_id)
                .send(),
        )
        .expect("GetIntegrations");
    assert_eq!(integrations.items().len(), 3);
    for integration in integrations.items() {
        assert_eq!(
            integration.integration_type().map(|t| t.as_str()),
            Some("AWS_PROXY")
        );
        assert!(
            integration
                .integration_uri()
                .is_some_and(|uri| uri.contains(":eu-west-1:") && uri.contains("always-coder-dev-")),
            "{integration:?}"
        );
    }
    let route_keys = |cloud: &Cloud| {
        let mut keys: Vec<String> = cloud
            .block_on(europe.apigatewayv2.get_routes().api_id(&api_id).send())
            .expect("GetRoutes")
            .items()
            .iter()
            .filter_map(|route| route.route_key().map(str::to_string))
            .collect();
        keys.sort();
        keys
    };
    assert_eq!(route_keys(&cloud), ["$connect", "$default", "$disconnect"]);
    let stage = cloud
        .block_on(
            europe
                .apigatewayv2
                .get_stage()
                .api_id(&api_id)
                .stage_name("prod")
                .send(),
        )
        .expect("GetStage prod");
    assert_eq!(stage.auto_deploy(), Some(true));

    // The web bucket: no public path, readable only by the distribution.
    let bucket = "always-coder-dev-web-123456789012";
    let block = cloud
        .block_on(europe.s3.get_public_access_block().bucket(bucket).send())
        .expect("GetPublicAccessBlock")
        .public_access_block_configuration()
        .cloned()
        .expect("a public access block");
    assert_eq!(
        (
            block.block_public_acls(),
            block.block_public_policy(),
            block.ignore_public_acls(),
            block.restrict_public_buckets()
        ),
        (Some(true), Some(true), Some(true), Some(true))
    );
    let distribution_id = cloud
        .distribution_ids()
        .first()
        .cloned()
        .expect("a distribution");
    let distribution = cloud
        .block_on(
            cloud
                .cloudfront
                .get_distribution()
                .id(&distribution_id)
                .send(),
        )
        .expect("GetDistribution")
        .distribution()
        .cloned()
        .expect("distribution");
    let policy: serde_json::Value = serde_json::from_str(
        cloud
            .block_on(europe.s3.get_bucket_policy().bucket(bucket).send())
            .expect("GetBucketPolicy")
            .policy()
            .expect("a bucket policy"),
    )
    .expect("policy JSON");
    let statement = &policy["Statement"][0];
    assert_eq!(
        statement["Principal"]["Service"],
        "cloudfront.amazonaws.com"
    );
    assert_eq!(statement["Action"], "s3:GetObject");
    assert_eq!(
        statement["Condition"]["StringEquals"]["AWS:SourceArn"],
        distribution.arn()
    );

    // HTTPS only; viewer requests run the published edge function (state: moto drops it).
    let config = cloud.distribution_config(&distribution_id);
    let behavior = config.default_cache_behavior().expect("default behaviour");
    assert_eq!(behavior.viewer_protocol_policy().as_str(), "https-only");
    let shown = state_show(&workspace, "aws_cloudfront_distribution.web");
    assert!(
        shown.contains(
            "\"arn:aws:lambda:us-east-1:123456789012:function:always-coder-dev-edge-auth:1\""
        ),
        "{shown}"
    );
    assert!(shown.contains("\"viewer-request\""), "{shown}");
    assert!(shown.contains("origin_access_control_id"), "{shown}");

    // Outputs as the seed's.
    let outputs = json_output(&workspace.run_expecting(&["output", "--env", "dev", "--json"], 0));
    let websocket_url = outputs["websocket_url"]["value"]
        .as_str()
        .expect("websocket_url");
    assert!(
        websocket_url.starts_with("wss://") && websocket_url.ends_with("/prod"),
        "{websocket_url}"
    );
    assert_eq!(
        outputs["web_url"]["value"].as_str(),
        Some(format!("https://{}", distribution.domain_name()).as_str())
    );
    assert_eq!(outputs["web_bucket_name"]["value"], bucket);
    assert_eq!(outputs["user_pool_id"]["value"], "");

    // Converged: a second plan and a drift check find nothing.
    workspace.run_expecting(&dev("plan", &spec, &["--exit-code"]), 0);
    workspace.run_expecting(&dev("drift", &spec, &[]), 0);

    // A route added to the running API: one create, nothing else.
    std::fs::write(
        std::path::Path::new(&spec).join("ping.tf"),
        r#"resource "aws_apigatewayv2_route" "ping" {
  api_id    = aws_apigatewayv2_api.websocket.id
  route_key = "ping"
  target    = "integrations/${aws_apigatewayv2_integration.handler["message"].id}"
}
"#,
    )
    .expect("write ping.tf");
    let planned = summary(&workspace, &spec);
    assert_eq!(
        (&planned["add"], &planned["change"], &planned["destroy"]),
        (&1.into(), &0.into(), &0.into()),
        "{planned}"
    );
    workspace.run_expecting(&dev("apply", &spec, &["--yes"]), 0);
    assert_eq!(
        route_keys(&cloud),
        ["$connect", "$default", "$disconnect", "ping"]
    );

    // New edge code: version 2 is published and the distribution moves to it in place.
    edit_file(
        std::path::Path::new(&spec).join("edge/viewer_request.js.tftpl"),
        "\"use strict\";",
        "\"use strict\";\n// v2",
    );
    let planned = summary(&workspace, &spec);
    assert_eq!(
        (&planned["add"], &planned["change"], &planned["destroy"]),
        (&0.into(), &2.into(), &0.into()),
        "{planned}"
    );
    workspace.run_expecting(
        &dev("apply", &spec, &["--yes", "--approve-security-changes"]),
        0,
    );
    let mut versions = published_versions(&virginia, &cloud, "always-coder-dev-edge-auth");
    versions.sort();
    assert_eq!(versions, ["1", "2"]);
    let shown = state_show(&workspace, "aws_cloudfront_distribution.web");
    assert!(
        shown.contains("function:always-coder-dev-edge-auth:2\""),
        "{shown}"
    );
    workspace.run_expecting(&dev("plan", &spec, &["--exit-code"]), 0);

    // Destroy leaves neither region anything of the stack.
    let destroy = workspace.run_expecting(&dev("destroy", &spec, &["--yes"]), 0);
    assert!(
        text(&destroy).contains("Destroy complete!"),
        "{}",
        text(&destroy)
    );
    assert!(cloud.table_names(&europe).is_empty());
    assert!(function_names(&europe, &cloud).is_empty());
    assert!(function_names(&virginia, &cloud).is_empty());
    assert!(cloud
        .block_on(europe.apigatewayv2.get_apis().send())
        .expect("GetApis")
        .items()
        .is_empty());
    assert!(cloud.distribution_ids().is_empty());
    assert!(!cloud.bucket_names().contains(&bucket.to_string()));
    assert!(workspace.state_list(&["--env", "dev"]).is_empty());
}

#[test]
fn prod_plan_adds_sign_in_and_is_stable() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let spec = workspace.copy_spec(SPEC);
    let plan = workspace.run_expecting(&["plan", &spec, "--env", "prod", "--no-color"], 0);
    let rendered = text(&plan).replace(&spec, "specs/always-coder");
    assert!(
        rendered.contains("aws_cognito_user_pool_client.web[0]"),
        "{rendered}"
    );
    assert!(
        rendered.contains("throttling_rate_limit    = 500"),
        "{rendered}"
    );
    insta::assert_snapshot!("always_coder_prod_plan", rendered);
}
