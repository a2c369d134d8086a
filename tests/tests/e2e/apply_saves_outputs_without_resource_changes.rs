//! Outputs are saved by every successful apply, including one that changes no resource: an
//! outputs-only change (a new output, an output whose value moved) is applied, `provision
//! output` shows it, and `plan --exit-code` is clean afterwards.

use provision_e2e::{edit_file, has_line_starting_with, text, Cloud, MotoServer, Workspace};

const FIXTURE: &str = "tests/fixtures/apply-outputs-only";

/// `provision output NAME` of the spec copy, trimmed.
fn output(workspace: &Workspace, spec: &str, name: &str) -> String {
    let shown = workspace.run_expecting(&["output", name, spec], 0);
    String::from_utf8_lossy(&shown.stdout).trim().to_string()
}

#[test]
fn apply_with_only_output_changes_saves_the_outputs() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let spec = workspace.copy_spec(FIXTURE);

    workspace.run_expecting(&["apply", &spec, "--yes"], 0);
    let vpc_id = output(&workspace, &spec, "vpc_id");
    assert!(vpc_id.starts_with("vpc-"), "vpc_id output: {vpc_id}");
    assert_eq!(output(&workspace, &spec, "label"), "first");

    // A new output over an existing resource: no resource changes, one output change.
    edit_file(
        format!("{spec}/main.tf"),
        "output \"label\" {",
        "output \"cidr\" {\n  value = aws_vpc.main.cidr_block\n}\n\noutput \"label\" {",
    );
    let changed = workspace.run_expecting(&["plan", &spec, "--exit-code"], 2);
    assert!(
        has_line_starting_with(&changed, "Changes to Outputs:"),
        "{}",
        text(&changed)
    );
    let apply = workspace.run_expecting(&["apply", &spec, "--yes"], 0);
    assert!(
        !has_line_starting_with(&apply, "Apply failed"),
        "{}",
        text(&apply)
    );
    assert_eq!(output(&workspace, &spec, "cidr"), "10.61.0.0/16");
    assert_eq!(output(&workspace, &spec, "vpc_id"), vpc_id);
    let clean = workspace.run_expecting(&["plan", &spec, "--exit-code"], 0);
    assert!(
        has_line_starting_with(&clean, "No changes."),
        "{}",
        text(&clean)
    );

    // An output whose value changes through a variable, applied from the saved plan.
    workspace.run_expecting(&["plan", &spec, "--var", "label=second", "--exit-code"], 2);
    workspace.run_expecting(&["apply", "--yes"], 0);
    assert_eq!(output(&workspace, &spec, "label"), "second");
    workspace.run_expecting(&["plan", &spec, "--var", "label=second", "--exit-code"], 0);

    // The VPC was never touched by the outputs-only applies.
    let inventory = cloud.inventory(&spec);
    assert_eq!(inventory.vpcs.len(), 1, "{}", inventory.summary());
    assert_eq!(inventory.vpcs[0].vpc_id(), Some(vpc_id.as_str()));

    workspace.run_expecting(&["destroy", &spec, "--var", "label=second", "--yes"], 0);
    assert!(cloud.inventory(&spec).is_empty());
}
