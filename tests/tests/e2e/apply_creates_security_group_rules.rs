//! `aws_security_group_rule` end to end (`tests/fixtures/apply-security-group-rules`): rules
//! in both directions, from CIDRs, from another group and from the group itself, are read back
//! with DescribeSecurityGroups; the ids are Terraform's `sgrule-<number>`; a second plan shows
//! no changes (the groups' own computed rule blocks leave the standalone rules alone); a new
//! description updates in place; destroy revokes every rule and removes the groups. The load
//! balancer of the fixture is written with Terraform's `aws_alb*` names, which state keeps.

use std::collections::BTreeSet;

use aws_sdk_ec2::types::IpPermission;
use provision_e2e::{edit_file, json_output, text, Cloud, MotoServer, Workspace};

const FIXTURE: &str = "tests/fixtures/apply-security-group-rules";

fn group(cloud: &Cloud, name: &str) -> Option<aws_sdk_ec2::types::SecurityGroup> {
    let output = cloud
        .block_on(
            cloud
                .ec2
                .describe_security_groups()
                .filters(
                    aws_sdk_ec2::types::Filter::builder()
                        .name("group-name")
                        .values(name)
                        .build(),
                )
                .send(),
        )
        .expect("DescribeSecurityGroups");
    output
        .security_groups()
        .iter()
        .find(|group| group.group_name() == Some(name))
        .cloned()
}

/// (protocol, from, to, source, description) of every source of every permission.
fn atoms(permissions: &[IpPermission]) -> BTreeSet<(String, i32, i32, String, String)> {
    let mut atoms = BTreeSet::new();
    for permission in permissions {
        let protocol = permission.ip_protocol().unwrap_or_default().to_string();
        let from = permission.from_port().unwrap_or(-1);
        let to = permission.to_port().unwrap_or(-1);
        for range in permission.ip_ranges() {
            atoms.insert((
                protocol.clone(),
                from,
                to,
                range.cidr_ip().unwrap_or_default().to_string(),
                range.description().unwrap_or_default().to_string(),
            ));
        }
        for pair in permission.user_id_group_pairs() {
            atoms.insert((
                protocol.clone(),
                from,
                to,
                pair.group_id().unwrap_or_default().to_string(),
                pair.description().unwrap_or_default().to_string(),
            ));
        }
    }
    atoms
}

fn ports(atoms: &BTreeSet<(String, i32, i32, String, String)>) -> BTreeSet<(String, i32, String)> {
    atoms
        .iter()
        .map(|(protocol, from, _, source, _)| {
            (
                protocol.clone(),
                if protocol == "-1" { 0 } else { *from },
                source.clone(),
            )
        })
        .collect()
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
fn security_group_rules_apply_replan_clean_update_and_destroy() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let spec = workspace.copy_spec(FIXTURE);

    let apply = workspace.run_expecting(&["apply", &spec, "--yes"], 0);
    assert!(text(&apply).contains("Apply complete!"), "{}", text(&apply));

    let alb = group(&cloud, "rules-fixture-alb").expect("alb group");
    let app = group(&cloud, "rules-fixture-app").expect("app group");
    let alb_id = alb.group_id().expect("alb id").to_string();
    let app_id = app.group_id().expect("app id").to_string();

    let alb_in = atoms(alb.ip_permissions());
    assert!(
        alb_in.contains(&(
            "tcp".into(),
            443,
            443,
            "0.0.0.0/0".into(),
            "HTTPS from anywhere".into()
        )),
        "{alb_in:?}"
    );
    assert_eq!(
        ports(&atoms(alb.ip_permissions_egress())),
        BTreeSet::from([("-1".to_string(), 0, "0.0.0.0/0".to_string())])
    );
    let app_in = atoms(app.ip_permissions());
    assert!(
        app_in.contains(&(
            "tcp".into(),
            3000,
            3000,
            alb_id.clone(),
            "app port from the load balancer".into()
        )),
        "{app_in:?}"
    );
    assert!(
        ports(&app_in).contains(&("-1".to_string(), 0, app_id.clone())),
        "self rule: {app_in:?}"
    );
    assert_eq!(
        ports(&atoms(app.ip_permissions_egress())),
        BTreeSet::from([("tcp".to_string(), 443, alb_id.clone())]),
        "the default allow-all egress is revoked; only the standalone egress rule remains"
    );

    let rule_id = text(&workspace.run_expecting(&["output", "rule_id", &spec], 0));
    assert!(rule_id.trim().starts_with("sgrule-"), "{rule_id}");
    assert!(
        rule_id.trim()["sgrule-".len()..].parse::<u32>().is_ok(),
        "{rule_id}"
    );

    let addresses = workspace.state_list(&[&spec]);
    for address in [
        "aws_alb.main",
        "aws_alb_listener.http",
        "aws_alb_target_group.app",
    ] {
        assert!(
            addresses.iter().any(|listed| listed == address),
            "{address} in {addresses:?}"
        );
    }
    let balancers = cloud
        .block_on(
            cloud
                .elbv2
                .describe_load_balancers()
                .names("rules-fixture")
                .send(),
        )
        .expect("DescribeLoadBalancers");
    assert_eq!(balancers.load_balancers().len(), 1);

    no_changes(&workspace, &spec);

    // A new description is an in-place update of that rule only.
    edit_file(
        format!("{spec}/main.tf"),
        "description       = \"HTTPS from anywhere\"",
        "description       = \"HTTPS from the internet\"",
    );
    let plan = json_output(&workspace.run_expecting(&["plan", &spec, "--json"], 0));
    assert_eq!(
        plan["summary"],
        serde_json::json!({"import": 0, "add": 0, "change": 1, "destroy": 0}),
        "{plan:#}"
    );
    workspace.run_expecting(&["apply", &spec, "--yes"], 0);
    let alb = group(&cloud, "rules-fixture-alb").expect("alb group");
    assert!(
        atoms(alb.ip_permissions()).contains(&(
            "tcp".into(),
            443,
            443,
            "0.0.0.0/0".into(),
            "HTTPS from the internet".into()
        )),
        "{:?}",
        atoms(alb.ip_permissions())
    );
    no_changes(&workspace, &spec);

    let destroy = workspace.run_expecting(&["destroy", &spec, "--yes"], 0);
    assert!(
        text(&destroy).contains("Destroy complete!"),
        "{}",
        text(&destroy)
    );
    assert!(group(&cloud, "rules-fixture-alb").is_none());
    assert!(group(&cloud, "rules-fixture-app").is_none());
    assert!(workspace.state_list(&[&spec]).is_empty());
}
