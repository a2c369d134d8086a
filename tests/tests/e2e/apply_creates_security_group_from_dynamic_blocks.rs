//! A security group whose ingress and egress rules come from `dynamic` blocks: apply creates
//! exactly those rules (checked with a direct EC2 DescribeSecurityGroups), a second plan has no
//! changes, and destroy removes everything.

use std::collections::BTreeSet;

use provision_e2e::{
    has_line_starting_with, text, Cloud, MotoServer, SecurityGroupRule, Workspace,
};

const SPEC: &str = "tests/fixtures/security-group-dynamic-rules";
const STACK: &str = SPEC;

#[test]
fn apply_creates_security_group_rules_from_dynamic_blocks() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);

    let apply = workspace.run_expecting(&["apply", SPEC, "--yes"], 0);
    assert!(
        has_line_starting_with(
            &apply,
            "Apply complete! Resources: 2 added, 0 changed, 0 destroyed."
        ),
        "{}",
        text(&apply)
    );

    let inventory = cloud.inventory(STACK);
    let group_id = inventory
        .security_group("aws_security_group.web")
        .group_id()
        .expect("the group has an id")
        .to_string();
    let described = cloud
        .block_on(
            cloud
                .ec2
                .describe_security_groups()
                .group_ids(&group_id)
                .send(),
        )
        .expect("DescribeSecurityGroups answers");
    let group = &described.security_groups()[0];
    assert_eq!(group.group_name(), Some("dynamic-rules-web"));
    assert_eq!(
        group.description(),
        Some("3 ingress rules from a dynamic block")
    );
    let ingress = SecurityGroupRule::from_permissions(group.ip_permissions());
    let expected_ingress: BTreeSet<SecurityGroupRule> = [
        SecurityGroupRule::tcp(443, "0.0.0.0/0"),
        SecurityGroupRule::tcp(22, "10.70.0.0/16"),
        SecurityGroupRule::tcp(22, "192.168.10.0/24"),
        SecurityGroupRule::tcp(8080, "10.70.1.0/24"),
    ]
    .into_iter()
    .collect();
    assert_eq!(ingress, expected_ingress);
    let descriptions: BTreeSet<&str> = group
        .ip_permissions()
        .iter()
        .flat_map(|permission| permission.ip_ranges())
        .filter_map(|range| range.description())
        .collect();
    assert_eq!(
        descriptions,
        ["app on 8080", "https on 443", "ssh on 22"]
            .into_iter()
            .collect()
    );
    let egress = SecurityGroupRule::from_permissions(group.ip_permissions_egress());
    let expected_egress: BTreeSet<SecurityGroupRule> = [
        SecurityGroupRule::tcp(443, "10.70.0.0/24"),
        SecurityGroupRule::tcp(5432, "10.70.1.0/24"),
    ]
    .into_iter()
    .collect();
    assert_eq!(egress, expected_egress);

    let again = workspace.run_expecting(&["plan", SPEC, "--exit-code"], 0);
    assert!(
        has_line_starting_with(&again, "No changes."),
        "{}",
        text(&again)
    );

    workspace.run_expecting(&["destroy", SPEC, "--yes"], 0);
    let remaining = cloud.inventory(STACK);
    assert!(remaining.is_empty(), "left behind: {}", remaining.summary());
}
