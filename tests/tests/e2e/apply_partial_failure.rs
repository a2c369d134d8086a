//! An apply where AWS rejects one resource in the middle of the graph: the error names the
//! resource and AWS's code, its dependents are skipped, independent resources are created, state
//! records exactly what the cloud holds, and a re-run after fixing the spec converges.

use std::collections::BTreeSet;

use provision_e2e::{edit_file, has_line_starting_with, text, Cloud, MotoServer, Workspace};

fn addresses(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|item| item.to_string()).collect()
}

#[test]
fn apply_with_a_rejected_subnet_creates_the_rest_and_converges_once_fixed() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let spec = workspace.copy_spec("tests/fixtures/apply-partial-failure");
    let stack = spec.clone();

    let failed = workspace.run_expecting(&["apply", &spec, "--yes"], 1);
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        stderr.lines().any(|line| line.starts_with("error:")),
        "{}",
        text(&failed)
    );
    assert!(
        stderr.contains("aws_subnet.bad") && stderr.contains("InvalidSubnet.Range"),
        "the error must name the resource and AWS's error code:\n{}",
        text(&failed)
    );

    // Independent resources exist; the rejected subnet and its association do not.
    let inventory = cloud.inventory(&stack);
    let created = addresses(&[
        "aws_internet_gateway.main",
        "aws_route_table.main",
        "aws_security_group.web",
        "aws_subnet.good",
        "aws_vpc.main",
    ]);
    assert_eq!(
        inventory
            .resource_addresses()
            .into_iter()
            .collect::<BTreeSet<_>>(),
        created,
        "{}",
        inventory.summary()
    );
    assert_eq!(inventory.len(), created.len(), "{}", inventory.summary());
    let associations = inventory.route_tables[0]
        .associations()
        .iter()
        .filter(|association| association.main() != Some(true))
        .count();
    assert_eq!(
        associations, 0,
        "the association of the rejected subnet ran"
    );

    // State holds exactly what the cloud holds.
    let state = workspace.state_list(&[&spec]);
    assert_eq!(
        state.iter().cloned().collect::<BTreeSet<_>>(),
        created,
        "state list after the failed apply"
    );
    assert_eq!(
        state.len(),
        created.len(),
        "duplicate addresses in {state:?}"
    );

    // Fix the CIDR: the plan adds only what is missing, and the re-run converges.
    edit_file(
        format!("{spec}/main.tf"),
        "\"10.99.2.0/24\" # outside 10.30.0.0/16",
        "\"10.30.2.0/24\"",
    );
    let plan = workspace.run_expecting(&["plan", &spec, "--exit-code"], 2);
    assert!(
        has_line_starting_with(&plan, "Plan: 2 to add, 0 to change, 0 to destroy."),
        "{}",
        text(&plan)
    );
    let apply = workspace.run_expecting(&["apply", &spec, "--yes"], 0);
    assert!(
        has_line_starting_with(
            &apply,
            "Apply complete! Resources: 2 added, 0 changed, 0 destroyed."
        ),
        "{}",
        text(&apply)
    );
    let converged = cloud.inventory(&stack);
    assert_eq!(converged.vpcs.len(), 1, "{}", converged.summary());
    assert_eq!(converged.subnets.len(), 2, "{}", converged.summary());
    let fixed_subnet = converged.subnet("aws_subnet.bad");
    assert_eq!(fixed_subnet.cidr_block(), Some("10.30.2.0/24"));
    let associated: Vec<&str> = converged.route_tables[0]
        .associations()
        .iter()
        .filter(|association| association.main() != Some(true))
        .filter_map(|association| association.subnet_id())
        .collect();
    assert_eq!(
        associated,
        vec![fixed_subnet.subnet_id().expect("subnet id")]
    );
    assert_eq!(
        workspace
            .state_list(&[&spec])
            .into_iter()
            .collect::<BTreeSet<_>>(),
        addresses(&[
            "aws_internet_gateway.main",
            "aws_route_table.main",
            "aws_route_table_association.bad",
            "aws_security_group.web",
            "aws_subnet.bad",
            "aws_subnet.good",
            "aws_vpc.main",
        ])
    );

    let no_changes = workspace.run_expecting(&["plan", &spec, "--exit-code"], 0);
    assert!(
        has_line_starting_with(&no_changes, "No changes."),
        "{}",
        text(&no_changes)
    );
}
