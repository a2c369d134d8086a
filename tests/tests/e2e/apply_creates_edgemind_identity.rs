//! The EdgeMind identity pieces end to end against the emulator: `apply specs/edgemind --env
//! dev` makes the IAM roles and policies, the ECR repository and the two Secrets Manager
//! secrets with generated InfluxDB credentials; direct IAM / ECR / Secrets Manager calls check
//! them; a second plan has no changes (a heredoc and a `jsonencode` policy alike); editing a
//! managed and an inline policy statement updates them in place; destroy and re-apply reuse
//! the secret names, both after a forced delete (recovery window 0) and after a delete with a
//! recovery window (the scheduled secret is restored); the generated passwords and the MQTT
//! password never appear in any output.

use std::collections::BTreeSet;

use provision_e2e::identity::{statements, string_set};
use provision_e2e::{edit_file, text, Cloud, MotoServer, Workspace};

const MQTT_PASSWORD: &str = "mqtt-pw-7c1e9d0b-never-print";
const EXECUTION_ROLE: &str = "edgemind-dev-task-execution";
const BACKEND_ROLE: &str = "edgemind-dev-backend-task";
const INFLUXDB_ROLE: &str = "edgemind-dev-influxdb-task";
const MANAGED_EXECUTION_POLICY: &str =
    "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";
const MQTT_SECRET: &str = "edgemind/dev/mqtt";
const INFLUXDB_SECRET: &str = "edgemind/dev/influxdb";
const REPOSITORY: &str = "edgemind-dev-backend";

/// Asserts that none of `secrets` appears in `output` (named `what` in the message).
fn assert_hidden(what: &str, output: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(
            !output.contains(secret),
            "{what} printed a secret value ({}...):\n{output}",
            &secret[..4]
        );
    }
}

/// The ARNs of the two secrets, in the order the spec lists them.
fn secret_arns(cloud: &Cloud) -> BTreeSet<String> {
    [MQTT_SECRET, INFLUXDB_SECRET]
        .iter()
        .map(|name| {
            cloud
                .block_on(
                    cloud
                        .secretsmanager
                        .describe_secret()
                        .secret_id(*name)
                        .send(),
                )
                .unwrap_or_else(|error| panic!("DescribeSecret {name}: {error:?}"))
                .arn()
                .expect("secret ARN")
                .to_string()
        })
        .collect()
}

#[test]
fn apply_checks_updates_and_reapplies_the_edgemind_identity() {
    let server = MotoServer::start();
    let mut workspace = Workspace::new(&server);
    workspace
        .environment
        .push(("TF_VAR_mqtt_password", MQTT_PASSWORD.to_string()));
    let cloud = Cloud::new(&server);
    let spec = workspace.copy_spec("specs/edgemind");
    let dev = ["--env", "dev"];
    let run = |command: &str, extra: &[&str]| {
        let mut arguments = vec![command, spec.as_str()];
        arguments.extend_from_slice(&dev);
        arguments.extend_from_slice(extra);
        workspace.run_expecting(&arguments, 0)
    };

    let plan = text(&run("plan", &[]));
    assert!(
        plan.contains("+ resource \"random_password\" \"influxdb_token\""),
        "{plan}"
    );
    let apply = text(&run("apply", &["--yes"]));
    assert!(apply.contains("Apply complete!"), "{apply}");

    // Roles and their trust policies (one heredoc, two jsonencode).
    for role in [EXECUTION_ROLE, BACKEND_ROLE, INFLUXDB_ROLE] {
        let trust = cloud.trust_policy(role);
        let statement = &statements(&trust)[0];
        assert_eq!(statement["Effect"], "Allow", "{role}: {trust}");
        assert_eq!(
            string_set(&statement["Action"]),
            BTreeSet::from(["sts:AssumeRole".to_string()]),
            "{role}: {trust}"
        );
        assert_eq!(
            string_set(&statement["Principal"]["Service"]),
            BTreeSet::from(["ecs-tasks.amazonaws.com".to_string()]),
            "{role}: {trust}"
        );
    }
    let execution = cloud.role(EXECUTION_ROLE);
    assert_eq!(
        execution.description(),
        Some("ECS task execution role of EdgeMind (image pulls, logs, secrets)")
    );
    assert_eq!(execution.max_session_duration(), Some(3600));

    // Attached managed policies.
    assert_eq!(
        cloud.attached_policy_arns(EXECUTION_ROLE),
        BTreeSet::from([MANAGED_EXECUTION_POLICY.to_string()])
    );
    let backend_attached = cloud.attached_policy_arns(BACKEND_ROLE);
    assert_eq!(backend_attached.len(), 1, "{backend_attached:?}");
    let bedrock_arn = backend_attached.into_iter().next().expect("bedrock policy");
    assert!(
        bedrock_arn.ends_with(":policy/edgemind-dev-backend-bedrock"),
        "{bedrock_arn}"
    );
    assert!(cloud.attached_policy_arns(INFLUXDB_ROLE).is_empty());
    let (version, bedrock, versions) = cloud.managed_policy(&bedrock_arn);
    assert_eq!((version.as_str(), versions), ("v1", 1));
    let bedrock_statement = &statements(&bedrock)[0];
    assert_eq!(
        string_set(&bedrock_statement["Action"]),
        BTreeSet::from([
            "bedrock:InvokeModel".to_string(),
            "bedrock:InvokeModelWithResponseStream".to_string()
        ])
    );
    assert_eq!(
        string_set(&bedrock_statement["Resource"]),
        BTreeSet::from([
            "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0"
                .to_string()
        ])
    );

    // Inline policies: GetSecretValue on exactly the two secrets.
    let arns = secret_arns(&cloud);
    for (role, policy) in [
        (EXECUTION_ROLE, "read-secrets"),
        (BACKEND_ROLE, "read-secrets"),
    ] {
        let document = cloud.inline_policy(role, policy);
        let statement = &statements(&document)[0];
        assert_eq!(
            string_set(&statement["Action"]),
            BTreeSet::from(["secretsmanager:GetSecretValue".to_string()]),
            "{role}: {document}"
        );
        assert_eq!(
            string_set(&statement["Resource"]),
            arns,
            "{role}: {document}"
        );
    }

    // Secrets: the MQTT one from variables, the InfluxDB one with the generated token.
    let mqtt = cloud.secret_json(MQTT_SECRET);
    assert_eq!(mqtt["host"], "virtualfactory.proveit.services");
    assert_eq!(mqtt["port"], 1883);
    assert_eq!(mqtt["username"], "edgemind");
    assert_eq!(mqtt["password"], MQTT_PASSWORD);
    let influxdb = cloud.secret_json(INFLUXDB_SECRET);
    assert_eq!(influxdb["url"], "http://influxdb.edgemind.local:8086");
    assert_eq!(influxdb["org"], "proveit");
    assert_eq!(influxdb["bucket"], "factory");
    assert_eq!(influxdb["username"], "admin");
    let token = influxdb["token"].as_str().expect("token").to_string();
    assert_eq!(token.len(), 64, "token length");
    assert!(
        token.chars().all(|c| c.is_ascii_alphanumeric()),
        "token has special characters"
    );
    let admin_password = influxdb["admin_password"]
        .as_str()
        .expect("admin password")
        .to_string();
    assert_eq!(admin_password.len(), 32);
    assert!(admin_password
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_=+".contains(c)));
    assert!(
        admin_password
            .chars()
            .filter(char::is_ascii_uppercase)
            .count()
            >= 2
    );
    assert!(admin_password.chars().filter(char::is_ascii_digit).count() >= 2);

    // The repository and its lifecycle policy.
    let repository = cloud.repository(REPOSITORY).expect("backend repository");
    assert_eq!(
        repository
            .image_scanning_configuration()
            .map(|config| config.scan_on_push()),
        Some(true)
    );
    assert_eq!(
        repository.image_tag_mutability().map(|m| m.as_str()),
        Some("IMMUTABLE")
    );
    let lifecycle = cloud.lifecycle_policy(REPOSITORY);
    assert_eq!(lifecycle["rules"].as_array().map(Vec::len), Some(2));
    assert_eq!(lifecycle["rules"][1]["selection"]["countNumber"], 5);

    // A second plan: nothing to do, for the heredoc and the jsonencode policies alike.
    let second = text(&run("plan", &["--exit-code"]));
    assert!(second.contains("No changes."), "{second}");

    // No secret value reaches any output.
    let secrets = [MQTT_PASSWORD, token.as_str(), admin_password.as_str()];
    assert_hidden("plan", &plan, &secrets);
    assert_hidden("apply", &apply, &secrets);
    assert_hidden("plan --json", &text(&run("plan", &["--json"])), &secrets);
    let outputs = text(&workspace.run_expecting(&["output", &spec, "--env", "dev"], 0));
    assert!(outputs.contains("backend_repository_url"), "{outputs}");
    assert_hidden("output", &outputs, &secrets);
    for address in [
        "random_password.influxdb_token",
        "random_password.influxdb_admin_password",
        "aws_secretsmanager_secret_version.influxdb",
        "aws_secretsmanager_secret_version.mqtt",
    ] {
        let shown =
            text(&workspace.run_expecting(&["state", "show", address, &spec, "--env", "dev"], 0));
        assert!(shown.contains("(sensitive value)"), "{address}: {shown}");
        assert_hidden("state show", &shown, &secrets);
    }

    // Editing a managed and an inline policy statement: both change in place.
    let iam_file = format!("{spec}/iam.tf");
    edit_file(
        &iam_file,
        "[\"bedrock:InvokeModel\", \"bedrock:InvokeModelWithResponseStream\"]",
        "[\"bedrock:InvokeModel\"]",
    );
    edit_file(
        &iam_file,
        "\"Sid\": \"ReadEdgeMindSecrets\"",
        "\"Sid\": \"ReadSecrets\"",
    );
    let update_plan = text(&run("plan", &[]));
    assert!(
        update_plan.contains("Plan: 0 to add, 2 to change, 0 to destroy."),
        "{update_plan}"
    );
    assert!(
        update_plan.contains("aws_iam_policy.backend_bedrock will be updated in-place"),
        "{update_plan}"
    );
    assert!(
        update_plan.contains("aws_iam_role_policy.backend_secrets will be updated in-place"),
        "{update_plan}"
    );
    let update = text(&run("apply", &["--yes"]));
    assert!(update.contains("2 changed, 0 destroyed"), "{update}");
    assert_eq!(
        cloud.attached_policy_arns(BACKEND_ROLE),
        BTreeSet::from([bedrock_arn.clone()])
    );
    let (version, bedrock, versions) = cloud.managed_policy(&bedrock_arn);
    assert_eq!((version.as_str(), versions), ("v2", 2));
    assert_eq!(
        string_set(&statements(&bedrock)[0]["Action"]),
        BTreeSet::from(["bedrock:InvokeModel".to_string()])
    );
    assert_eq!(
        statements(&cloud.inline_policy(BACKEND_ROLE, "read-secrets"))[0]["Sid"],
        "ReadSecrets"
    );
    assert_eq!(cloud.secret_json(INFLUXDB_SECRET)["token"], token.as_str());
    let after_update = text(&run("plan", &["--exit-code"]));
    assert!(after_update.contains("No changes."), "{after_update}");

    // Destroy (dev: recovery window 0, secrets deleted at once), then apply again under the
    // same names.
    let destroy = text(&run("destroy", &["--yes"]));
    assert!(destroy.contains("Destroy complete!"), "{destroy}");
    for role in [EXECUTION_ROLE, BACKEND_ROLE, INFLUXDB_ROLE] {
        assert!(!cloud.role_exists(role), "{role} survived destroy");
    }
    assert!(cloud.repository(REPOSITORY).is_none());
    assert_eq!(cloud.secret_scheduled_for_deletion(MQTT_SECRET), None);
    assert_eq!(cloud.secret_scheduled_for_deletion(INFLUXDB_SECRET), None);
    let reapply = text(&run("apply", &["--yes"]));
    assert!(reapply.contains("Apply complete!"), "{reapply}");
    let new_token = cloud.secret_json(INFLUXDB_SECRET)["token"]
        .as_str()
        .expect("token")
        .to_string();
    assert_ne!(new_token, token, "a new stack generates a new token");
    assert_eq!(cloud.secret_json(MQTT_SECRET)["password"], MQTT_PASSWORD);

    // With a recovery window, destroy leaves the secrets scheduled for deletion; a re-apply
    // restores and adopts them.
    edit_file(
        format!("{spec}/env/dev.tfvars"),
        "secret_recovery_window_days = 0",
        "secret_recovery_window_days = 7",
    );
    let window = text(&run("apply", &["--yes"]));
    assert!(window.contains("2 changed"), "{window}");
    run("destroy", &["--yes"]);
    assert_eq!(cloud.secret_scheduled_for_deletion(MQTT_SECRET), Some(true));
    assert_eq!(
        cloud.secret_scheduled_for_deletion(INFLUXDB_SECRET),
        Some(true)
    );
    let restored = text(&run("apply", &["--yes"]));
    assert!(restored.contains("Apply complete!"), "{restored}");
    assert_eq!(
        cloud.secret_scheduled_for_deletion(MQTT_SECRET),
        Some(false)
    );
    assert_eq!(
        cloud.secret_scheduled_for_deletion(INFLUXDB_SECRET),
        Some(false)
    );
    let restored_token = cloud.secret_json(INFLUXDB_SECRET)["token"]
        .as_str()
        .expect("token")
        .to_string();
    assert_ne!(
        restored_token, new_token,
        "the restored secret holds the new value"
    );
    let settled = text(&run("plan", &["--exit-code"]));
    assert!(settled.contains("No changes."), "{settled}");
    assert_hidden(
        "apply",
        &format!("{reapply}{restored}{destroy}{update}"),
        &[MQTT_PASSWORD, &token, &new_token, &restored_token],
    );
}
