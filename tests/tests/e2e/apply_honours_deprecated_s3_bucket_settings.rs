//! `aws_s3_bucket`'s deprecated inline settings end to end (`tests/fixtures/apply-s3-inline-
//! settings`): plan warns once per setting and names the resource that replaces it; apply puts
//! them (read back with GetBucketVersioning, GetBucketLogging, GetBucketEncryption and
//! GetBucketLifecycleConfiguration); a second plan is clean; a changed `versioning` and
//! `lifecycle_rule` update the bucket in place; destroy removes both buckets.

use provision_e2e::{edit_file, json_output, text, Cloud, MotoServer, Workspace};

const FIXTURE: &str = "tests/fixtures/apply-s3-inline-settings";
const BUCKET: &str = "inline-fixture-site";

fn versioning_status(cloud: &Cloud) -> String {
    // moto answers GetBucketVersioning under a root the SDK cannot decode; the raw body holds
    // the status (as `aws_s3_bucket_versioning` reads it).
    match cloud.block_on(cloud.s3.get_bucket_versioning().bucket(BUCKET).send()) {
        Ok(output) => output
            .status()
            .map(|status| status.as_str().to_string())
            .unwrap_or_default(),
        Err(error) => {
            let body = error
                .raw_response()
                .and_then(|response| response.body().bytes())
                .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
                .unwrap_or_default();
            body.split("<Status>")
                .nth(1)
                .and_then(|rest| rest.split('<').next())
                .unwrap_or_default()
                .to_string()
        }
    }
}

fn lifecycle_days(cloud: &Cloud) -> (Option<i32>, Option<i32>) {
    let output = cloud
        .block_on(
            cloud
                .s3
                .get_bucket_lifecycle_configuration()
                .bucket(BUCKET)
                .send(),
        )
        .expect("GetBucketLifecycleConfiguration");
    let rule = output.rules().first().expect("one lifecycle rule");
    assert_eq!(rule.id(), Some("expire-logs"));
    (
        rule.expiration().and_then(|expiration| expiration.days()),
        rule.transitions()
            .first()
            .and_then(|transition| transition.days()),
    )
}

fn no_changes(workspace: &Workspace, spec: &str) {
    let plan = json_output(&workspace.run_expecting(&["plan", spec, "--json"], 0));
    assert_eq!(
        plan["summary"],
        serde_json::json!({"import": 0, "add": 0, "change": 0, "destroy": 0}),
        "{plan:#}"
    );
}

#[test]
fn inline_bucket_settings_apply_replan_clean_update_and_destroy() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let spec = workspace.copy_spec(FIXTURE);

    let plan = workspace.run_expecting(&["plan", &spec], 0);
    let shown = text(&plan);
    for (setting, replacement) in [
        ("acl", "aws_s3_bucket_ownership_controls"),
        ("versioning", "aws_s3_bucket_versioning"),
        ("logging", "aws_s3_bucket_logging"),
        (
            "server_side_encryption_configuration",
            "aws_s3_bucket_server_side_encryption_configuration",
        ),
        ("lifecycle_rule", "aws_s3_bucket_lifecycle_configuration"),
    ] {
        assert!(
            shown.contains(&format!("argument `{setting}` is deprecated"))
                && shown.contains(replacement),
            "no deprecation warning for {setting}:\n{shown}"
        );
    }
    assert!(shown.contains("3 to add"), "{shown}");

    let apply = workspace.run_expecting(&["apply", &spec, "--yes"], 0);
    assert!(text(&apply).contains("Apply complete!"), "{}", text(&apply));

    assert_eq!(versioning_status(&cloud), "Enabled");
    let logging = cloud
        .block_on(cloud.s3.get_bucket_logging().bucket(BUCKET).send())
        .expect("GetBucketLogging");
    let enabled = logging.logging_enabled().expect("logging enabled");
    assert_eq!(enabled.target_bucket(), "inline-fixture-logs");
    assert_eq!(enabled.target_prefix(), "site/");
    let encryption = cloud
        .block_on(cloud.s3.get_bucket_encryption().bucket(BUCKET).send())
        .expect("GetBucketEncryption");
    let algorithm = encryption
        .server_side_encryption_configuration()
        .and_then(|configuration| configuration.rules().first())
        .and_then(|rule| rule.apply_server_side_encryption_by_default())
        .map(|default| default.sse_algorithm().as_str().to_string());
    assert_eq!(algorithm.as_deref(), Some("AES256"));
    assert_eq!(lifecycle_days(&cloud), (Some(90), Some(30)));

    no_changes(&workspace, &spec);

    let main = format!("{spec}/main.tf");
    edit_file(
        &main,
        "enabled = true\n  }\n\n  logging",
        "enabled = false\n  }\n\n  logging",
    );
    edit_file(&main, "days = 90", "days = 120");
    let plan = json_output(&workspace.run_expecting(&["plan", &spec, "--json"], 0));
    assert_eq!(
        plan["summary"],
        serde_json::json!({"import": 0, "add": 0, "change": 1, "destroy": 0}),
        "{plan:#}"
    );
    workspace.run_expecting(&["apply", &spec, "--yes"], 0);
    assert_eq!(versioning_status(&cloud), "Suspended");
    assert_eq!(lifecycle_days(&cloud), (Some(120), Some(30)));
    no_changes(&workspace, &spec);

    let destroy = workspace.run_expecting(&["destroy", &spec, "--yes"], 0);
    assert!(
        text(&destroy).contains("Destroy complete!"),
        "{}",
        text(&destroy)
    );
    let buckets = cloud
        .block_on(cloud.s3.list_buckets().send())
        .expect("ListBuckets");
    assert!(
        buckets.buckets().iter().all(|bucket| !bucket
            .name()
            .is_some_and(|name| name.starts_with("inline-fixture"))),
        "{buckets:?}"
    );
}
