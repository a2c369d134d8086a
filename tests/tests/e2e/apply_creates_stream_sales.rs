//! The Stream Sales stack (`specs/stream-sales`) end to end against the emulator.
//!
//! - dev: the Aurora Serverless v2 cluster read back (2-4 ACUs, a db.serverless instance, the
//!   subnet group holding exactly the isolated subnets, the database security group admitting
//!   only the Lambda's group on 5432); the three secrets hold what the seed says (the database
//!   JSON's host is the cluster endpoint); a second plan has no changes; a new max ACUs value
//!   updates the cluster in place and leaves it available; no generated secret appears in any
//!   output.
//! - production: deletion protection is on; destroy stops with an error naming
//!   `deletion_protection` until it is turned off in env/production.tfvars and applied; then
//!   destroy succeeds and leaves the final snapshot.

use std::collections::BTreeSet;

use provision_e2e::{edit_file, json_output, tag_map, text, Cloud, MotoServer, Workspace};

const SPEC: &str = "specs/stream-sales";

fn secret_string(cloud: &Cloud, name: &str) -> String {
    cloud
        .block_on(
            cloud
                .secretsmanager
                .get_secret_value()
                .secret_id(name)
                .send(),
        )
        .unwrap_or_else(|error| panic!("GetSecretValue {name}: {error:?}"))
        .secret_string()
        .unwrap_or_else(|| panic!("{name} has no string"))
        .to_string()
}

/// The subnet ids of the stack tagged `Tier = tier`, sorted.
fn subnets_of_tier(cloud: &Cloud, stack: &str, tier: &str) -> Vec<String> {
    let mut ids: Vec<String> = cloud
        .inventory(stack)
        .subnets
        .iter()
        .filter(|subnet| tag_map(subnet.tags()).get("Tier").map(String::as_str) == Some(tier))
        .filter_map(|subnet| subnet.subnet_id().map(str::to_string))
        .collect();
    ids.sort();
    ids
}

/// Production without alarms (see the production test).
const NO_ALARMS: &[&str] = &["--var", "alarm_email="];

/// `provision COMMAND SPEC --env production --yes` without alarms.
/// Applies also approve the security changes, which production requires under `--yes`
/// (`provision_require_approval = "broadening"`; see apply_requires_approval_for_security_changes).
fn production<'a>(command: &'a str, spec: &'a str) -> Vec<&'a str> {
    let mut arguments = vec![command, spec, "--env", "production", "--yes"];
    arguments.extend_from_slice(NO_ALARMS);
    if command == "apply" {
        arguments.push("--approve-security-changes");
    }
    arguments
}

fn plan_summary(workspace: &Workspace, spec: &str, env: &str, extra: &[&str]) -> serde_json::Value {
    let mut arguments = vec!["plan", spec, "--env", env, "--json"];
    arguments.extend_from_slice(extra);
    json_output(&workspace.run_expecting(&arguments, 0))["summary"].clone()
}

#[test]
fn dev_stack_reads_back_updates_capacity_in_place_and_keeps_secrets_out_of_output() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let spec = workspace.copy_spec(SPEC);
    let stack = format!("{spec}/dev");
    let mut printed = String::new();

    printed += &text(&workspace.run_expecting(&["plan", &spec, "--env", "dev"], 0));
    let apply = workspace.run_expecting(&["apply", &spec, "--env", "dev", "--yes"], 0);
    printed += &text(&apply);
    assert!(text(&apply).contains("Apply complete!"), "{}", text(&apply));

    // The cluster: Serverless v2 2-4 ACUs, encrypted, in the isolated subnets.
    let cluster = cloud
        .rds_cluster("stream-sales-dev-cluster")
        .expect("the dev cluster");
    assert_eq!(cluster.status(), Some("available"));
    assert_eq!(cluster.engine(), Some("aurora-postgresql"));
    assert_eq!(cluster.database_name(), Some("streams"));
    assert_eq!(cluster.master_username(), Some("dbadmin"));
    assert_eq!(cluster.storage_encrypted(), Some(true));
    assert_eq!(cluster.deletion_protection(), Some(false));
    let scaling = cluster
        .serverless_v2_scaling_configuration()
        .expect("Serverless v2 scaling");
    assert_eq!(
        (scaling.min_capacity(), scaling.max_capacity()),
        (Some(2.0), Some(4.0))
    );
    let instance = cloud
        .rds_instance("stream-sales-dev-db-1")
        .expect("the dev instance");
    assert_eq!(instance.db_instance_class(), Some("db.serverless"));
    assert_eq!(
        instance.db_cluster_identifier(),
        Some("stream-sales-dev-cluster")
    );
    let isolated = subnets_of_tier(&cloud, &stack, "isolated");
    assert_eq!(isolated.len(), 2);
    assert_eq!(cluster.db_subnet_group(), Some("stream-sales-dev-db"));
    assert_eq!(
        cloud.db_subnet_group_subnets("stream-sales-dev-db"),
        isolated
    );

    // The database group admits only the Lambda's group, only on 5432.
    let database_group_id = cluster
        .vpc_security_groups()
        .first()
        .and_then(|group| group.vpc_security_group_id())
        .expect("the cluster's security group")
        .to_string();
    let inventory = cloud.inventory(&stack);
    let group = |id: &str| {
        inventory
            .security_groups
            .iter()
            .find(|group| group.group_id() == Some(id))
            .unwrap_or_else(|| panic!("security group {id}"))
            .clone()
    };
    let database_group = group(&database_group_id);
    assert_eq!(
        database_group.group_name(),
        Some("stream-sales-dev-database")
    );
    let function = cloud
        .lambda_function("stream-sales-dev-server")
        .expect("the server Lambda");
    let lambda_group_id = function
        .vpc_config()
        .and_then(|vpc| vpc.security_group_ids().first().cloned())
        .expect("the Lambda's security group");
    let ingress = database_group.ip_permissions();
    assert_eq!(ingress.len(), 1, "{ingress:?}");
    assert_eq!(
        (ingress[0].from_port(), ingress[0].to_port()),
        (Some(5432), Some(5432))
    );
    assert!(ingress[0].ip_ranges().is_empty(), "{ingress:?}");
    let peers: Vec<&str> = ingress[0]
        .user_id_group_pairs()
        .iter()
        .filter_map(|pair| pair.group_id())
        .collect();
    assert_eq!(peers, vec![lambda_group_id.as_str()]);
    let mut lambda_subnets = function
        .vpc_config()
        .map(|vpc| vpc.subnet_ids().to_vec())
        .unwrap_or_default();
    lambda_subnets.sort();
    assert_eq!(lambda_subnets, subnets_of_tier(&cloud, &stack, "private"));

    // Secrets: the database JSON points at the cluster; generated values are 64 characters.
    let database: serde_json::Value = serde_json::from_str(&secret_string(
        &cloud,
        "stream-sales/dev/database/credentials",
    ))
    .expect("the database secret is JSON");
    assert_eq!(database["host"], cluster.endpoint().expect("endpoint"));
    assert_eq!(database["username"], "dbadmin");
    assert_eq!(database["engine"], "postgres");
    assert_eq!(database["port"], "5432");
    assert_eq!(database["dbname"], "streams");
    let password = database["password"].as_str().expect("password").to_string();
    assert_eq!(password.len(), 32);
    let jwt = secret_string(&cloud, "stream-sales/dev/jwt/secret");
    let encryption_key = secret_string(&cloud, "stream-sales/dev/encryption/key");
    assert_eq!((jwt.len(), encryption_key.len()), (64, 64));

    // Outputs name what the seed's stack outputs.
    let mut outputs = String::new();
    for name in [
        "CloudFrontURL",
        "DatabaseEndpoint",
        "DatabaseSecretArn",
        "JWTSecretArn",
        "ImagesBucketName",
        "ImagesBucketURL",
        "VPCId",
        "DatabaseConnectCommand",
    ] {
        let value = text(&workspace.run_expecting(&["output", name, &spec, "--env", "dev"], 0));
        assert!(!value.trim().is_empty(), "{name} is empty");
        outputs += &value;
    }
    printed += &outputs;
    assert!(
        outputs.contains(cluster.endpoint().unwrap_or_default()),
        "{outputs}"
    );

    // Dev has no alarms: none in state (CloudWatch itself cannot be asked: moto 5.2.1 answers
    // the SDK's CBOR protocol with 404).
    assert!(
        !workspace
            .state_list(&[&spec, "--env", "dev"])
            .iter()
            .any(|address| address.starts_with("aws_cloudwatch_metric_alarm")),
        "dev has alarms"
    );

    assert_eq!(
        plan_summary(&workspace, &spec, "dev", &[]),
        serde_json::json!({"import": 0, "add": 0, "change": 0, "destroy": 0})
    );

    // Max ACUs 4 -> 6: the cluster is updated in place and is available again.
    edit_file(
        format!("{spec}/env/dev.tfvars"),
        "db_max_acus              = 4",
        "db_max_acus              = 6",
    );
    let plan = json_output(&workspace.run_expecting(&["plan", &spec, "--env", "dev", "--json"], 0));
    printed += &plan.to_string();
    assert_eq!(
        plan["summary"],
        serde_json::json!({"import": 0, "add": 0, "change": 1, "destroy": 0}),
        "{plan:#}"
    );
    printed += &text(&workspace.run_expecting(&["apply", &spec, "--env", "dev", "--yes"], 0));
    let updated = cloud
        .rds_cluster("stream-sales-dev-cluster")
        .expect("the same cluster");
    assert_eq!(
        updated.db_cluster_resource_id(),
        cluster.db_cluster_resource_id()
    );
    assert_eq!(updated.status(), Some("available"));
    assert_eq!(
        updated
            .serverless_v2_scaling_configuration()
            .and_then(|scaling| scaling.max_capacity()),
        Some(6.0)
    );

    for address in [
        "aws_rds_cluster.main",
        "random_password.database",
        "random_password.jwt",
        "aws_secretsmanager_secret_version.database",
        "aws_secretsmanager_secret_version.jwt",
        "aws_secretsmanager_secret_version.encryption_key",
    ] {
        printed +=
            &text(&workspace.run_expecting(&["state", "show", address, &spec, "--env", "dev"], 0));
    }
    for (what, secret) in [
        ("database password", &password),
        ("JWT secret", &jwt),
        ("encryption key", &encryption_key),
    ] {
        assert!(
            !printed.contains(secret.as_str()),
            "the {what} was printed:\n{printed}"
        );
    }

    let destroy = workspace.run_expecting(&["destroy", &spec, "--env", "dev", "--yes"], 0);
    assert!(
        text(&destroy).contains("Destroy complete!"),
        "{}",
        text(&destroy)
    );
    assert!(cloud.rds_cluster("stream-sales-dev-cluster").is_none());
    // Dev skips the final snapshot.
    assert!(cloud
        .rds_cluster_snapshots("stream-sales-dev-cluster")
        .is_empty());
}

#[test]
fn production_cluster_is_protected_until_protection_is_turned_off_then_leaves_a_snapshot() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let spec = workspace.copy_spec(SPEC);
    const CLUSTER: &str = "stream-sales-production-cluster";

    workspace.run_expecting(&production("apply", &spec), 0);
    let cluster = cloud.rds_cluster(CLUSTER).expect("the production cluster");
    assert_eq!(cluster.deletion_protection(), Some(true));
    let scaling = cluster
        .serverless_v2_scaling_configuration()
        .expect("Serverless v2 scaling");
    assert_eq!(
        (scaling.min_capacity(), scaling.max_capacity()),
        (Some(4.0), Some(16.0))
    );
    assert!(cloud.rds_instance("stream-sales-production-db-2").is_some());

    // The three alarms of the seed are in the plan (CloudWatch itself cannot be applied against
    // moto 5.2.1, which does not serve the SDK's RPC v2 CBOR protocol: the applies below turn
    // them off with an empty alarm_email).
    let planned = text(&workspace.run_expecting(&["plan", &spec, "--env", "production"], 0));
    for alarm in ["database_cpu", "database_connections", "lambda_errors"] {
        assert!(
            planned.contains(&format!("aws_cloudwatch_metric_alarm.{alarm}[0]")),
            "{planned}"
        );
    }
    assert_eq!(
        plan_summary(&workspace, &spec, "production", NO_ALARMS),
        serde_json::json!({"import": 0, "add": 0, "change": 0, "destroy": 0})
    );

    let refused = workspace.run_expecting(&production("destroy", &spec), 1);
    let refused_text = text(&refused);
    assert!(
        refused_text.contains("aws_rds_cluster.main")
            && refused_text.contains("deletion_protection = false"),
        "{refused_text}"
    );
    assert!(
        cloud.rds_cluster(CLUSTER).is_some(),
        "the cluster must survive"
    );

    edit_file(
        format!("{spec}/env/production.tfvars"),
        "deletion_protection      = true",
        "deletion_protection      = false",
    );
    workspace.run_expecting(&production("apply", &spec), 0);
    assert_eq!(
        cloud
            .rds_cluster(CLUSTER)
            .and_then(|c| c.deletion_protection()),
        Some(false)
    );
    let destroy = workspace.run_expecting(&production("destroy", &spec), 0);
    assert!(
        text(&destroy).contains("Destroy complete!"),
        "{}",
        text(&destroy)
    );
    assert!(cloud.rds_cluster(CLUSTER).is_none());
    let snapshots: BTreeSet<String> = cloud.rds_cluster_snapshots(CLUSTER).into_iter().collect();
    assert!(
        snapshots.contains("stream-sales-production-cluster-final"),
        "{snapshots:?}"
    );
}
