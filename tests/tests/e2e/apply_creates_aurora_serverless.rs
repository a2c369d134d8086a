//! Aurora Serverless v2 end to end against the emulator (`tests/fixtures/aurora-serverless`):
//! the cluster, its db.serverless instance, subnet group and parameter group are read back with
//! direct RDS calls; a second plan shows no changes; a new max ACUs value updates the cluster in
//! place; with deletion protection on, destroy stops with an error naming
//! `deletion_protection` until it is turned off in the spec and applied, and then destroy leaves
//! the final snapshot.

use provision_e2e::{json_output, text, Cloud, MotoServer, Workspace};
use serde_json::Value;

const FIXTURE: &str = "tests/fixtures/aurora-serverless";
const CLUSTER: &str = "aurora-fixture-cluster";
const INSTANCE: &str = "aurora-fixture-writer";

fn change<'a>(plan: &'a Value, address: &str) -> &'a Value {
    plan["changes"]
        .as_array()
        .expect("changes array in plan")
        .iter()
        .find(|change| change["address"] == address)
        .unwrap_or_else(|| panic!("no change for {address} in {plan:#}"))
}

fn no_changes(workspace: &Workspace, spec: &str, variables: &[&str]) {
    let mut arguments = vec!["plan", spec, "--json"];
    arguments.extend_from_slice(variables);
    let plan = json_output(&workspace.run_expecting(&arguments, 0));
    assert_eq!(
        plan["summary"],
        serde_json::json!({"import": 0, "add": 0, "change": 0, "destroy": 0}),
        "{plan:#}"
    );
}

#[test]
fn aurora_serverless_reads_back_updates_max_acus_in_place_and_destroys() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let spec = workspace.copy_spec(FIXTURE);

    let apply = workspace.run_expecting(&["apply", &spec, "--yes"], 0);
    assert!(text(&apply).contains("Apply complete!"), "{}", text(&apply));

    let cluster = cloud.rds_cluster(CLUSTER).expect("cluster exists");
    assert_eq!(cluster.status(), Some("available"));
    assert_eq!(cluster.engine(), Some("aurora-postgresql"));
    assert_eq!(cluster.engine_version(), Some("16.4"));
    assert_eq!(cluster.database_name(), Some("streams"));
    assert_eq!(cluster.port(), Some(5432));
    assert_eq!(cluster.storage_encrypted(), Some(true));
    assert_eq!(cluster.deletion_protection(), Some(false));
    let scaling = cluster
        .serverless_v2_scaling_configuration()
        .expect("scaling configuration");
    assert_eq!(scaling.min_capacity(), Some(2.0));
    assert_eq!(scaling.max_capacity(), Some(4.0));
    assert_eq!(cluster.db_subnet_group(), Some("aurora-fixture"));
    let secret_arn = cluster
        .master_user_secret()
        .and_then(|secret| secret.secret_arn())
        .expect("RDS manages the master password")
        .to_string();
    let outputs = text(&workspace.run_expecting(&["output", "master_secret_arn", &spec], 0));
    assert!(outputs.contains(&secret_arn), "{outputs}");

    // The subnet group holds exactly the two isolated subnets of the fixture's VPC.
    let mut isolated: Vec<String> = cloud
        .inventory(&spec)
        .subnets
        .iter()
        .filter_map(|subnet| subnet.subnet_id().map(str::to_string))
        .collect();
    isolated.sort();
    assert_eq!(isolated.len(), 2);
    assert_eq!(cloud.db_subnet_group_subnets("aurora-fixture"), isolated);

    let instance = cloud.rds_instance(INSTANCE).expect("instance exists");
    assert_eq!(instance.db_instance_class(), Some("db.serverless"));
    assert_eq!(
        instance.engine(),
        Some("aurora-postgresql"),
        "engine taken from the cluster"
    );
    assert_eq!(instance.db_cluster_identifier(), Some(CLUSTER));
    assert_eq!(instance.db_instance_status(), Some("available"));
    // (moto answers no PerformanceInsightsEnabled for cluster members: not checked here.)

    no_changes(&workspace, &spec, &[]);

    // A new max ACUs value is an in-place update of the cluster only.
    let plan =
        json_output(&workspace.run_expecting(&["plan", &spec, "--json", "--var", "max_acus=8"], 0));
    assert_eq!(
        plan["summary"],
        serde_json::json!({"import": 0, "add": 0, "change": 1, "destroy": 0}),
        "{plan:#}"
    );
    assert_eq!(change(&plan, "aws_rds_cluster.main")["action"], "update");
    workspace.run_expecting(&["apply", &spec, "--yes", "--var", "max_acus=8"], 0);
    let updated = cloud.rds_cluster(CLUSTER).expect("cluster still exists");
    assert_eq!(
        updated.db_cluster_resource_id(),
        cluster.db_cluster_resource_id()
    );
    assert_eq!(updated.status(), Some("available"));
    assert_eq!(
        updated
            .serverless_v2_scaling_configuration()
            .and_then(|scaling| scaling.max_capacity()),
        Some(8.0)
    );
    no_changes(&workspace, &spec, &["--var", "max_acus=8"]);

    let destroy = workspace.run_expecting(&["destroy", &spec, "--yes", "--var", "max_acus=8"], 0);
    assert!(
        text(&destroy).contains("Destroy complete!"),
        "{}",
        text(&destroy)
    );
    assert!(cloud.rds_cluster(CLUSTER).is_none());
    assert!(cloud.rds_instance(INSTANCE).is_none());
    // skip_final_snapshot = true: no snapshot.
    assert!(cloud.rds_cluster_snapshots(CLUSTER).is_empty());
}

#[test]
fn deletion_protection_stops_destroy_until_turned_off_then_a_final_snapshot_is_left() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let spec = workspace.copy_spec(FIXTURE);
    let protected = [
        "--var",
        "deletion_protection=true",
        "--var",
        "skip_final_snapshot=false",
    ];

    let mut apply = vec!["apply", spec.as_str(), "--yes"];
    apply.extend_from_slice(&protected);
    workspace.run_expecting(&apply, 0);
    assert_eq!(
        cloud
            .rds_cluster(CLUSTER)
            .and_then(|c| c.deletion_protection()),
        Some(true)
    );

    let mut destroy = vec!["destroy", spec.as_str(), "--yes"];
    destroy.extend_from_slice(&protected);
    let refused = workspace.run_expecting(&destroy, 1);
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

    // Turn protection off in the spec (the variable) and apply: an in-place update.
    let unprotected = ["--var", "skip_final_snapshot=false"];
    let mut apply = vec!["apply", spec.as_str(), "--yes"];
    apply.extend_from_slice(&unprotected);
    workspace.run_expecting(&apply, 0);
    assert_eq!(
        cloud
            .rds_cluster(CLUSTER)
            .and_then(|c| c.deletion_protection()),
        Some(false)
    );

    let mut destroy = vec!["destroy", spec.as_str(), "--yes"];
    destroy.extend_from_slice(&unprotected);
    let destroyed = workspace.run_expecting(&destroy, 0);
    assert!(
        text(&destroyed).contains("Destroy complete!"),
        "{}",
        text(&destroyed)
    );
    assert!(cloud.rds_cluster(CLUSTER).is_none());
    assert_eq!(
        cloud.rds_cluster_snapshots(CLUSTER),
        vec!["aurora-fixture-final".to_string()]
    );
}
