//! Stream Sales production "requires manual approval for security changes": its
//! `env/production.tfvars` sets `provision_require_approval = "broadening"`. An apply that adds
//! an ingress rule from 0.0.0.0/0 is refused under `--yes` (exit 1, the rule named and marked
//! open to the internet, nothing changed in the cloud) and goes through with
//! `--approve-security-changes`; dev (no approval) applies the same change with `--yes` alone.
//! `plan --json` lists the change under `security_changes`.

use provision_e2e::{
    edit_file, json_output, text, Cloud, MotoServer, SecurityGroupRule, Workspace,
};

const SPEC: &str = "specs/stream-sales";
const DATABASE_GROUP: &str = "aws_security_group.database";

/// Production without alarms (no e-mail subscription to confirm).
const NO_ALARMS: &[&str] = &["--var", "alarm_email="];

/// Adds an ingress rule from anywhere to the database group of the spec copy at `spec`.
fn open_database_to_the_internet(spec: &str, workspace: &Workspace) {
    edit_file(
        workspace.directory.path().join(spec).join("network.tf"),
        "    security_groups = [aws_security_group.lambda.id]\n  }\n",
        "    security_groups = [aws_security_group.lambda.id]\n  }\n\n  ingress {\n    description = \"PostgreSQL from anywhere\"\n    from_port   = 5432\n    to_port     = 5432\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n",
    );
}

fn database_rules(cloud: &Cloud, stack: &str) -> std::collections::BTreeSet<SecurityGroupRule> {
    let inventory = cloud.inventory(stack);
    SecurityGroupRule::from_permissions(inventory.security_group(DATABASE_GROUP).ip_permissions())
}

#[test]
fn production_refuses_an_open_ingress_under_yes_until_it_is_approved() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let spec = workspace.copy_spec(SPEC);
    let stack = format!("{spec}/production");
    let apply = |extra: &[&str], expected: i32| {
        let mut arguments = vec!["apply", spec.as_str(), "--env", "production", "--yes"];
        arguments.extend_from_slice(NO_ALARMS);
        arguments.extend_from_slice(extra);
        text(&workspace.run_expecting(&arguments, expected))
    };

    // The first apply creates security groups with ingress and IAM roles: broadening too.
    let refused = apply(&[], 1);
    assert!(refused.contains("apply refused"), "{refused}");
    assert!(
        cloud.inventory(&stack).is_empty(),
        "a refused apply created something"
    );
    let created = apply(&["--approve-security-changes"], 0);
    assert!(created.contains("Apply complete!"), "{created}");
    let before = database_rules(&cloud, &stack);

    open_database_to_the_internet(&spec, &workspace);
    let mut plan_arguments = vec!["plan", spec.as_str(), "--env", "production", "--json"];
    plan_arguments.extend_from_slice(NO_ALARMS);
    let plan = json_output(&workspace.run_expecting(&plan_arguments, 0));
    let security = plan["security_changes"]
        .as_array()
        .expect("security_changes");
    assert_eq!(security.len(), 1, "{plan:#}");
    assert_eq!(security[0]["address"], DATABASE_GROUP);
    assert_eq!(security[0]["kind"], "ingress");
    assert_eq!(
        security[0]["description"],
        "ingress tcp 5432 from 0.0.0.0/0"
    );
    assert_eq!(security[0]["open_to_world"], true);

    let refused = apply(&[], 1);
    assert!(
        refused.contains(
            "aws_security_group.database: ingress tcp 5432 from 0.0.0.0/0 (open to the internet)"
        ),
        "{refused}"
    );
    assert!(refused.contains("--approve-security-changes"), "{refused}");
    assert_eq!(
        database_rules(&cloud, &stack),
        before,
        "a refused apply changed the group"
    );

    let approved = apply(&["--approve-security-changes"], 0);
    assert!(approved.contains("Apply complete!"), "{approved}");
    assert!(
        database_rules(&cloud, &stack).contains(&SecurityGroupRule::tcp(5432, "0.0.0.0/0")),
        "the approved rule is not on the group"
    );
}

#[test]
fn dev_applies_the_same_change_without_approval() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let spec = workspace.copy_spec(SPEC);
    open_database_to_the_internet(&spec, &workspace);
    let applied = text(&workspace.run_expecting(&["apply", &spec, "--env", "dev", "--yes"], 0));
    assert!(applied.contains("Security changes:"), "{applied}");
    assert!(applied.contains("Apply complete!"), "{applied}");
    assert!(database_rules(&cloud, &format!("{spec}/dev"))
        .contains(&SecurityGroupRule::tcp(5432, "0.0.0.0/0")));
    workspace.run_expecting(&["destroy", &spec, "--env", "dev", "--yes"], 0);
}
