//! The EdgeMind frontend end to end against the emulator: the buckets with every setting read
//! back by direct S3 calls, the origin access control, the CloudFront distribution read back by
//! GetDistributionConfig, a second plan with no changes, a cache behaviour changed in place, a
//! distribution removed from the spec (disabled, then deleted), and a bucket with objects that
//! destroy refuses until `force_destroy = true`.
//!
//! moto deploys distributions at once; its state manager keeps them `InProgress` for a few reads
//! so the wait for `Deployed` (create, update, delete) is really exercised.

use std::path::Path;

use aws_sdk_cloudfront::types::DistributionConfig;
use provision_e2e::frontend::slow_distribution_deployments;
use provision_e2e::{
    edit_file, has_line_starting_with, json_output, text, Cloud, MotoServer, Workspace,
};

const FRONTEND_BUCKET: &str = "edgemind-dev-frontend";
const LOGS_BUCKET: &str = "edgemind-dev-frontend-logs";
const CACHING_OPTIMIZED: &str = "658327ea-f89d-4fab-a63d-7e88639e58f6";
const CACHING_DISABLED: &str = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
const ALL_VIEWER_EXCEPT_HOST: &str = "b689b0a8-53d0-40ab-baf2-68738e2966ac";

/// The path patterns of the ordered cache behaviours, in order.
fn path_patterns(config: &DistributionConfig) -> Vec<String> {
    config
        .cache_behaviors()
        .map(|behaviors| behaviors.items())
        .unwrap_or_default()
        .iter()
        .map(|behavior| behavior.path_pattern().to_string())
        .collect()
}

/// The `status` attribute of the distribution in state, as `state show` prints it.
fn distribution_status_in_state(workspace: &Workspace, spec: &str) -> String {
    let shown = text(&workspace.run_expecting(
        &[
            "state",
            "show",
            "aws_cloudfront_distribution.frontend",
            spec,
            "--env",
            "dev",
        ],
        0,
    ));
    shown
        .lines()
        .find(|line| line.trim_start().starts_with("status "))
        .and_then(|line| line.split('=').nth(1))
        .map(|value| value.trim().trim_matches('"').to_string())
        .unwrap_or_else(|| panic!("no status in state:\n{shown}"))
}

fn check_buckets(cloud: &Cloud) {
    let buckets = cloud.bucket_names();
    assert!(
        buckets.contains(&FRONTEND_BUCKET.to_string()),
        "{buckets:?}"
    );
    assert!(buckets.contains(&LOGS_BUCKET.to_string()), "{buckets:?}");
    let tags = cloud.bucket_tags(FRONTEND_BUCKET);
    assert_eq!(tags.get("Name").map(String::as_str), Some(FRONTEND_BUCKET));
    assert_eq!(tags.get("Project").map(String::as_str), Some("edgemind"));
    assert_eq!(
        tags.get("provision:address").map(String::as_str),
        Some("aws_s3_bucket.frontend")
    );

    // Versioning: two puts of one key keep two versions (moto's GetBucketVersioning answer
    // cannot be decoded by the SDK, so the behaviour is checked instead).
    cloud.put_object(FRONTEND_BUCKET, "index.html", "<h1>v1</h1>");
    cloud.put_object(FRONTEND_BUCKET, "index.html", "<h1>v2</h1>");
    assert_eq!(cloud.object_versions(FRONTEND_BUCKET), (2, 0));

    for (bucket, key_enabled) in [(FRONTEND_BUCKET, true), (LOGS_BUCKET, false)] {
        let encryption = cloud
            .block_on(cloud.s3.get_bucket_encryption().bucket(bucket).send())
            .expect("GetBucketEncryption");
        let rules = encryption
            .server_side_encryption_configuration()
            .expect("an encryption configuration")
            .rules();
        assert_eq!(rules.len(), 1, "{bucket}");
        assert_eq!(
            rules[0]
                .apply_server_side_encryption_by_default()
                .map(|default| default.sse_algorithm().as_str()),
            Some("AES256"),
            "{bucket}"
        );
        assert_eq!(
            rules[0].bucket_key_enabled().unwrap_or(false),
            key_enabled,
            "{bucket}"
        );

        let block = cloud
            .block_on(cloud.s3.get_public_access_block().bucket(bucket).send())
            .expect("GetPublicAccessBlock");
        let block = block
            .public_access_block_configuration()
            .expect("a public access block");
        assert_eq!(
            [
                block.block_public_acls(),
                block.block_public_policy(),
                block.ignore_public_acls(),
                block.restrict_public_buckets()
            ],
            [Some(true); 4],
            "{bucket}"
        );
    }

    let ownership = |bucket: &str| {
        cloud
            .block_on(
                cloud
                    .s3
                    .get_bucket_ownership_controls()
                    .bucket(bucket)
                    .send(),
            )
            .expect("GetBucketOwnershipControls")
            .ownership_controls()
            .and_then(|controls| controls.rules().first())
            .map(|rule| rule.object_ownership().as_str().to_string())
    };
    assert_eq!(
        ownership(FRONTEND_BUCKET).as_deref(),
        Some("BucketOwnerEnforced")
    );
    assert_eq!(
        ownership(LOGS_BUCKET).as_deref(),
        Some("BucketOwnerPreferred")
    );

    let lifecycle = cloud
        .block_on(
            cloud
                .s3
                .get_bucket_lifecycle_configuration()
                .bucket(FRONTEND_BUCKET)
                .send(),
        )
        .expect("GetBucketLifecycleConfiguration");
    let rule = &lifecycle.rules()[0];
    assert_eq!(rule.id(), Some("expire-old-versions"));
    assert_eq!(rule.status().as_str(), "Enabled");
    assert_eq!(
        rule.noncurrent_version_expiration()
            .and_then(|expiration| expiration.noncurrent_days()),
        Some(30)
    );
    assert_eq!(
        rule.abort_incomplete_multipart_upload()
            .and_then(|abort| abort.days_after_initiation()),
        Some(7)
    );
    let lifecycle = cloud
        .block_on(
            cloud
                .s3
                .get_bucket_lifecycle_configuration()
                .bucket(LOGS_BUCKET)
                .send(),
        )
        .expect("GetBucketLifecycleConfiguration");
    let rule = &lifecycle.rules()[0];
    assert_eq!(rule.id(), Some("expire-access-logs"));
    assert_eq!(
        rule.filter().and_then(|filter| filter.prefix()),
        Some("cloudfront/")
    );
    assert_eq!(
        rule.expiration().and_then(|expiration| expiration.days()),
        Some(30)
    );
    assert_eq!(rule.transitions().len(), 1);
    assert_eq!(rule.transitions()[0].days(), Some(30));
    assert_eq!(
        rule.transitions()[0]
            .storage_class()
            .map(|class| class.as_str()),
        Some("STANDARD_IA")
    );
}

/// The bucket policy lets only `distribution_arn` read the bucket.
fn check_bucket_policy(cloud: &Cloud, distribution_arn: &str) {
    let policy = cloud
        .block_on(cloud.s3.get_bucket_policy().bucket(FRONTEND_BUCKET).send())
        .expect("GetBucketPolicy");
    let policy: serde_json::Value =
        serde_json::from_str(policy.policy().expect("a policy")).expect("policy JSON");
    let statement = &policy["Statement"][0];
    assert_eq!(
        statement["Principal"]["Service"],
        "cloudfront.amazonaws.com"
    );
    assert_eq!(statement["Action"], "s3:GetObject");
    assert_eq!(
        statement["Resource"],
        format!("arn:aws:s3:::{FRONTEND_BUCKET}/*")
    );
    assert_eq!(
        statement["Condition"]["StringEquals"]["AWS:SourceArn"],
        distribution_arn
    );
}

fn check_distribution(cloud: &Cloud, config: &DistributionConfig, health_pattern: &str) {
    assert!(config.enabled());
    assert_eq!(config.comment(), "edgemind-dev frontend");
    assert_eq!(config.default_root_object(), Some("index.html"));
    assert_eq!(
        config.price_class().map(|class| class.as_str()),
        Some("PriceClass_100")
    );
    assert_eq!(config.is_ipv6_enabled(), Some(true));

    let origins = config.origins().expect("origins").items();
    assert_eq!(origins.len(), 2);
    let s3 = origins
        .iter()
        .find(|origin| origin.id() == "s3-frontend")
        .expect("S3 origin");
    assert_eq!(
        s3.domain_name(),
        format!("{FRONTEND_BUCKET}.s3.us-east-1.amazonaws.com")
    );
    let alb = origins
        .iter()
        .find(|origin| origin.id() == "alb-backend")
        .expect("ALB origin");
    let load_balancers = cloud
        .block_on(cloud.elbv2.describe_load_balancers().send())
        .expect("DescribeLoadBalancers");
    let backend_alb = load_balancers
        .load_balancers()
        .iter()
        .find(|balancer| balancer.load_balancer_name() == Some("edgemind-dev-alb"))
        .and_then(|balancer| balancer.dns_name())
        .expect("the backend ALB")
        .to_string();
    assert_eq!(
        alb.domain_name(),
        backend_alb,
        "the ALB origin is the backend ALB"
    );
    let custom = alb.custom_origin_config().expect("custom origin config");
    assert_eq!(custom.origin_protocol_policy().as_str(), "http-only");
    assert_eq!((custom.http_port(), custom.https_port()), (80, 443));

    let default = config.default_cache_behavior().expect("default behaviour");
    assert_eq!(default.target_origin_id(), "s3-frontend");
    assert_eq!(
        default.viewer_protocol_policy().as_str(),
        "redirect-to-https"
    );
    assert_eq!(default.compress(), Some(true));
    assert_eq!(default.cache_policy_id(), Some(CACHING_OPTIMIZED));

    assert_eq!(path_patterns(config), ["/api/*", health_pattern]);
    for behavior in config
        .cache_behaviors()
        .expect("ordered behaviours")
        .items()
    {
        assert_eq!(behavior.target_origin_id(), "alb-backend");
        assert_eq!(
            behavior.viewer_protocol_policy().as_str(),
            "redirect-to-https"
        );
        assert_eq!(behavior.cache_policy_id(), Some(CACHING_DISABLED));
        assert_eq!(
            behavior.origin_request_policy_id(),
            Some(ALL_VIEWER_EXCEPT_HOST)
        );
    }

    let logging = config.logging().expect("logging");
    assert!(logging.enabled());
    assert_eq!(logging.bucket(), format!("{LOGS_BUCKET}.s3.amazonaws.com"));
    assert_eq!(logging.prefix(), "cloudfront/");

    let errors = config
        .custom_error_responses()
        .expect("error responses")
        .items();
    let mut codes: Vec<i32> = errors.iter().map(|error| error.error_code()).collect();
    codes.sort();
    assert_eq!(codes, [403, 404]);
    for error in errors {
        assert_eq!(error.response_code(), Some("200"));
        assert_eq!(error.response_page_path(), Some("/index.html"));
    }

    assert_eq!(
        config
            .viewer_certificate()
            .and_then(|certificate| certificate.cloud_front_default_certificate()),
        Some(true)
    );
}

#[test]
fn apply_creates_the_frontend_updates_a_cache_behaviour_in_place_and_destroys_it() {
    let server = MotoServer::start();
    slow_distribution_deployments(&server, 3);
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let spec = workspace.copy_spec("specs/edgemind");

    let apply = workspace.run_expecting(&["apply", &spec, "--env", "dev", "--yes"], 0);
    assert!(
        has_line_starting_with(&apply, "aws_cloudfront_distribution.frontend: created"),
        "{}",
        text(&apply)
    );

    check_buckets(&cloud);

    let controls = cloud.origin_access_controls();
    assert_eq!(controls.len(), 1, "{controls:?}");
    let (control_id, control_name) = &controls[0];
    assert_eq!(control_name, "edgemind-dev-frontend");
    let control = cloud
        .block_on(
            cloud
                .cloudfront
                .get_origin_access_control()
                .id(control_id)
                .send(),
        )
        .expect("GetOriginAccessControl");
    let control = control
        .origin_access_control()
        .and_then(|control| control.origin_access_control_config())
        .expect("an OAC config");
    assert_eq!(control.signing_behavior().as_str(), "always");
    assert_eq!(control.signing_protocol().as_str(), "sigv4");
    assert_eq!(control.origin_access_control_origin_type().as_str(), "s3");

    let distributions = cloud.distribution_ids();
    assert_eq!(distributions.len(), 1, "{distributions:?}");
    let distribution_id = distributions[0].clone();
    let config = cloud.distribution_config(&distribution_id);
    check_distribution(&cloud, &config, "/health");

    // The create waited for `Deployed` (the emulator said `InProgress` for 3 reads first), and
    // the caller reference is the create's idempotency token, not empty.
    assert_eq!(distribution_status_in_state(&workspace, &spec), "Deployed");
    assert!(!config.caller_reference().is_empty());

    let distribution_arn =
        format!("arn:aws:cloudfront:123456789012:distribution/{distribution_id}");
    check_bucket_policy(&cloud, &distribution_arn);
    let tags = cloud.distribution_tags(&distribution_arn);
    assert_eq!(
        tags.get("Name").map(String::as_str),
        Some("edgemind-dev-frontend")
    );
    assert_eq!(tags.get("Environment").map(String::as_str), Some("dev"));

    let output = |name: &str| {
        json_output(&workspace.run_expecting(&["output", name, &spec, "--env", "dev", "--json"], 0))
    };
    assert_eq!(output("frontend_bucket_name"), FRONTEND_BUCKET);
    assert_eq!(
        output("cloudfront_distribution_id"),
        distribution_id.as_str()
    );
    let url = output("frontend_url");
    assert!(
        url.as_str()
            .is_some_and(|url| url.starts_with("https://") && url.ends_with(".cloudfront.net")),
        "{url}"
    );

    // No perpetual diff from anything AWS fills in.
    let no_changes = workspace.run_expecting(&["plan", &spec, "--env", "dev", "--exit-code"], 0);
    assert!(
        has_line_starting_with(&no_changes, "No changes."),
        "{}",
        text(&no_changes)
    );

    // A cache behaviour changes in place: same distribution, new config (ETag flow), and the
    // update waits for `Deployed` again.
    slow_distribution_deployments(&server, 3);
    let frontend_file = Path::new(&spec).join("frontend.tf");
    edit_file(
        &frontend_file,
        r#"path_pattern             = "/health""#,
        r#"path_pattern             = "/healthz""#,
    );
    let plan = json_output(&workspace.run_expecting(&["plan", &spec, "--env", "dev", "--json"], 0));
    let changes: Vec<_> = plan["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|change| change["action"] != "no-op")
        .collect();
    assert_eq!(changes.len(), 1, "{plan}");
    assert_eq!(
        changes[0]["address"],
        "aws_cloudfront_distribution.frontend"
    );
    assert_eq!(changes[0]["action"], "update");
    let update = workspace.run_expecting(&["apply", &spec, "--env", "dev", "--yes"], 0);
    assert!(
        has_line_starting_with(&update, "aws_cloudfront_distribution.frontend: updated"),
        "{}",
        text(&update)
    );
    assert_eq!(
        cloud.distribution_ids(),
        std::slice::from_ref(&distribution_id)
    );
    check_distribution(
        &cloud,
        &cloud.distribution_config(&distribution_id),
        "/healthz",
    );
    assert_eq!(distribution_status_in_state(&workspace, &spec), "Deployed");
    let no_changes = workspace.run_expecting(&["plan", &spec, "--env", "dev", "--exit-code"], 0);
    assert!(
        has_line_starting_with(&no_changes, "No changes."),
        "{}",
        text(&no_changes)
    );

    // Destroy empties the versioned bucket (force_destroy in dev) and leaves nothing behind.
    slow_distribution_deployments(&server, 3);
    workspace.run_expecting(&["destroy", &spec, "--env", "dev", "--yes"], 0);
    assert!(cloud.distribution_ids().is_empty());
    assert!(cloud.origin_access_controls().is_empty());
    assert!(
        cloud.bucket_names().is_empty(),
        "{:?}",
        cloud.bucket_names()
    );
}

#[test]
fn removing_a_distribution_from_the_spec_disables_then_deletes_it() {
    let server = MotoServer::start();
    slow_distribution_deployments(&server, 2);
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let spec = workspace.copy_spec("tests/fixtures/frontend-distribution");
    workspace.run_expecting(&["apply", &spec, "--yes"], 0);
    assert_eq!(cloud.distribution_ids().len(), 2);
    let no_changes = workspace.run_expecting(&["plan", &spec, "--exit-code"], 0);
    assert!(
        has_line_starting_with(&no_changes, "No changes."),
        "{}",
        text(&no_changes)
    );

    std::fs::remove_file(Path::new(&spec).join("distributions.tf"))
        .expect("remove distributions.tf");
    slow_distribution_deployments(&server, 2);
    let removal = workspace.run_expecting(&["apply", &spec, "--yes"], 0);
    assert!(
        has_line_starting_with(&removal, "aws_cloudfront_distribution.removed: destroyed"),
        "{}",
        text(&removal)
    );

    // `removed` is gone; `kept` (retain_on_delete) went through the same first step and was only
    // disabled, which shows that deletion disables first.
    let left = cloud.distribution_ids();
    assert_eq!(left.len(), 1, "{left:?}");
    let kept = cloud.distribution_config(&left[0]);
    assert_eq!(kept.comment(), "only disabled when removed from the spec");
    assert!(!kept.enabled(), "the retained distribution is disabled");

    workspace.run_expecting(&["destroy", &spec, "--yes"], 0);
    assert!(cloud.origin_access_controls().is_empty());
    assert!(cloud.bucket_names().is_empty());
}

#[test]
fn a_bucket_with_objects_is_destroyed_only_with_force_destroy() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let spec = workspace.copy_spec("tests/fixtures/frontend-bucket-with-objects");
    workspace.run_expecting(&["apply", &spec, "--yes"], 0);

    // Two versions of one object and one more object. (No delete marker: moto fails to delete
    // one once versioning is suspended, which destroying `aws_s3_bucket_versioning` does.)
    cloud.put_object("fixture-uploads", "report.csv", "a");
    cloud.put_object("fixture-uploads", "report.csv", "b");
    cloud.put_object("fixture-uploads", "notes/readme.txt", "d");
    assert_eq!(cloud.object_versions("fixture-uploads"), (3, 0));

    let refused = workspace.run_expecting(&["destroy", &spec, "--yes"], 1);
    let message = text(&refused);
    assert!(
        message.contains("bucket fixture-uploads is not empty"),
        "{message}"
    );
    assert!(message.contains("force_destroy = true"), "{message}");
    assert_eq!(cloud.bucket_names(), ["fixture-uploads"]);

    edit_file(
        Path::new(&spec).join("main.tf"),
        "force_destroy = false",
        "force_destroy = true",
    );
    workspace.run_expecting(&["apply", &spec, "--yes"], 0);
    workspace.run_expecting(&["destroy", &spec, "--yes"], 0);
    assert!(
        cloud.bucket_names().is_empty(),
        "{:?}",
        cloud.bucket_names()
    );
}
