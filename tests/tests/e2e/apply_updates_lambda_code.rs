//! A Lambda function from a local zip (`tests/fixtures/lambda-alarms`), its function URL and
//! permission, an SNS topic with an email subscription, end to end against the emulator
//! (alarms: moto 5.2.1 does not serve CloudWatch's CBOR protocol): everything read back with
//! direct Lambda / SNS calls, no second-plan
//! diff, a new zip updates the function's code in place (same function, new CodeSha256), a new
//! memory size updates its configuration in place, and destroy removes everything.

use provision_e2e::{edit_file, json_output, text, Cloud, MotoServer, Workspace};

const FIXTURE: &str = "tests/fixtures/lambda-alarms";
const FUNCTION: &str = "lambda-fixture-server";

fn summary(workspace: &Workspace, spec: &str) -> serde_json::Value {
    json_output(&workspace.run_expecting(&["plan", spec, "--json"], 0))["summary"].clone()
}

#[test]
fn lambda_code_and_configuration_update_in_place() {
    let server = MotoServer::start();
    let mut workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let role = cloud.lambda_role("lambda-fixture-role");
    workspace
        .environment
        .push(("TF_VAR_role_arn", role.clone()));
    let spec = workspace.copy_spec(FIXTURE);
    let zip = format!("{spec}/handler.zip");

    let apply = workspace.run_expecting(&["apply", &spec, "--yes"], 0);
    assert!(
        text(&apply).contains("Apply complete! Resources: 5 added"),
        "{}",
        text(&apply)
    );

    let function = cloud.lambda_function(FUNCTION).expect("function exists");
    assert_eq!(function.role(), Some(role.as_str()));
    assert_eq!(function.handler(), Some("index.handler"));
    assert_eq!(function.runtime().map(|r| r.as_str()), Some("nodejs20.x"));
    assert_eq!(function.memory_size(), Some(256));
    assert_eq!(function.timeout(), Some(10));
    let variables = function
        .environment()
        .and_then(|environment| environment.variables())
        .expect("environment variables");
    assert_eq!(
        variables.get("NODE_ENV").map(String::as_str),
        Some("production")
    );
    assert_eq!(variables.get("CODE_MD5").map(|md5| md5.len()), Some(32));
    let first_sha = function.code_sha256().expect("code sha").to_string();
    let first_arn = function.function_arn().expect("arn").to_string();

    let url = cloud
        .block_on(
            cloud
                .lambda
                .get_function_url_config()
                .function_name(FUNCTION)
                .send(),
        )
        .expect("function URL");
    assert_eq!(url.auth_type().as_str(), "NONE");
    let outputs = text(&workspace.run_expecting(&["output", "function_url", &spec], 0));
    assert!(outputs.contains(url.function_url()), "{outputs}");
    let policy = cloud
        .block_on(cloud.lambda.get_policy().function_name(FUNCTION).send())
        .expect("function policy");
    assert!(
        policy
            .policy()
            .unwrap_or_default()
            .contains("AllowPublicFunctionUrl"),
        "{policy:?}"
    );

    let topic_arn = cloud
        .block_on(cloud.sns.list_topics().send())
        .expect("topics")
        .topics()
        .iter()
        .filter_map(|topic| topic.topic_arn())
        .find(|arn| arn.ends_with(":lambda-fixture-alarms"))
        .expect("the alarm topic")
        .to_string();
    let subscriptions = cloud
        .block_on(
            cloud
                .sns
                .list_subscriptions_by_topic()
                .topic_arn(&topic_arn)
                .send(),
        )
        .expect("subscriptions");
    assert!(
        subscriptions
            .subscriptions()
            .iter()
            .any(|s| s.protocol() == Some("email") && s.endpoint() == Some("ops@example.com")),
        "{subscriptions:?}"
    );

    assert_eq!(
        summary(&workspace, &spec),
        serde_json::json!({"import": 0, "add": 0, "change": 0, "destroy": 0})
    );

    // New code: the zip changes, so source_code_hash and the CODE_MD5 variable change; the
    // function is updated in place (code, then configuration), not replaced.
    // (v2/handler.zip is the same handler answering "v2".)
    std::fs::copy(format!("{spec}/v2/handler.zip"), &zip).expect("replace the zip");
    let plan = json_output(&workspace.run_expecting(&["plan", &spec, "--json"], 0));
    assert_eq!(
        plan["summary"],
        serde_json::json!({"import": 0, "add": 0, "change": 1, "destroy": 0}),
        "{plan:#}"
    );
    workspace.run_expecting(&["apply", &spec, "--yes"], 0);
    let updated = cloud
        .lambda_function(FUNCTION)
        .expect("function still exists");
    assert_eq!(updated.function_arn(), Some(first_arn.as_str()));
    assert_ne!(updated.code_sha256(), Some(first_sha.as_str()));
    assert_eq!(
        summary(&workspace, &spec),
        serde_json::json!({"import": 0, "add": 0, "change": 0, "destroy": 0})
    );

    // A configuration change: memory size.
    edit_file(
        format!("{spec}/main.tf"),
        "  default = 256",
        "  default = 512",
    );
    workspace.run_expecting(&["apply", &spec, "--yes"], 0);
    assert_eq!(
        cloud
            .lambda_function(FUNCTION)
            .and_then(|f| f.memory_size()),
        Some(512)
    );
    assert_eq!(
        summary(&workspace, &spec),
        serde_json::json!({"import": 0, "add": 0, "change": 0, "destroy": 0})
    );

    let destroy = workspace.run_expecting(&["destroy", &spec, "--yes"], 0);
    assert!(
        text(&destroy).contains("Destroy complete!"),
        "{}",
        text(&destroy)
    );
    assert!(cloud.lambda_function(FUNCTION).is_none());
}
