//! `plan` saves what it shows: `apply` with no folder applies exactly that plan, or refuses it
//! when state moved on since; `plan --exit-code` tells a script whether there are changes;
//! `apply --stats` counts the API calls it made.

use provision_e2e::{has_line_starting_with, tag_map, text, Cloud, MotoServer, Workspace};

const SPEC: &str = "tests/fixtures/plan-saved-and-applied";
const STACK: &str = SPEC;

/// The `Owner` tag of the stack's VPC in the emulator.
fn vpc_owner(cloud: &Cloud) -> Option<String> {
    let inventory = cloud.inventory(STACK);
    assert_eq!(inventory.vpcs.len(), 1, "{}", inventory.summary());
    tag_map(inventory.vpcs[0].tags()).remove("Owner")
}

#[test]
fn plan_then_apply_without_a_folder_applies_the_saved_plan() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);

    let plan = workspace.run_expecting(&["plan", SPEC, "--var", "owner=alice"], 0);
    assert!(
        has_line_starting_with(&plan, "Plan: 3 to add, 0 to change, 0 to destroy."),
        "{}",
        text(&plan)
    );
    assert!(
        cloud.inventory(STACK).is_empty(),
        "plan must not create anything"
    );

    // No folder and no --var: the saved plan (with owner=alice) is what runs.
    let apply = workspace.run_expecting(&["apply", "--yes"], 0);
    assert!(
        has_line_starting_with(
            &apply,
            "Apply complete! Resources: 3 added, 0 changed, 0 destroyed."
        ),
        "{}",
        text(&apply)
    );
    let inventory = cloud.inventory(STACK);
    assert_eq!(inventory.subnets.len(), 1, "{}", inventory.summary());
    assert_eq!(
        inventory.security_groups.len(),
        1,
        "{}",
        inventory.summary()
    );
    assert_eq!(vpc_owner(&cloud).as_deref(), Some("alice"));
    let no_changes =
        workspace.run_expecting(&["plan", SPEC, "--var", "owner=alice", "--exit-code"], 0);
    assert!(
        has_line_starting_with(&no_changes, "No changes."),
        "{}",
        text(&no_changes)
    );

    // A saved destroy plan is applied the same way.
    let destroy_plan = workspace.run_expecting(
        &[
            "plan",
            SPEC,
            "--var",
            "owner=alice",
            "--destroy",
            "--exit-code",
        ],
        2,
    );
    assert!(
        has_line_starting_with(&destroy_plan, "Plan: 0 to add, 0 to change, 3 to destroy."),
        "{}",
        text(&destroy_plan)
    );
    workspace.run_expecting(&["apply", "--yes"], 0);
    let remaining = cloud.inventory(STACK);
    assert!(remaining.is_empty(), "left behind: {}", remaining.summary());
}

#[test]
fn apply_refuses_a_saved_plan_that_another_apply_made_stale() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    workspace.run_expecting(&["apply", SPEC, "--yes"], 0);
    assert_eq!(vpc_owner(&cloud).as_deref(), Some("platform"));

    let plan = workspace.run_expecting(&["plan", SPEC, "--var", "owner=bob"], 0);
    assert!(
        has_line_starting_with(&plan, "Plan: 0 to add, 1 to change, 0 to destroy."),
        "{}",
        text(&plan)
    );
    // Someone else applies a different change before the saved plan is applied.
    workspace.run_expecting(&["apply", SPEC, "--var", "owner=carol", "--yes"], 0);
    assert_eq!(vpc_owner(&cloud).as_deref(), Some("carol"));

    let refused = workspace.run_expecting(&["apply", "--yes"], 1);
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("stale"),
        "the refusal must say the plan is stale:\n{}",
        text(&refused)
    );
    assert_eq!(
        vpc_owner(&cloud).as_deref(),
        Some("carol"),
        "a stale plan must not run"
    );
}

#[test]
fn plan_exit_code_is_2_with_changes_and_0_without() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);

    let changes = workspace.run_expecting(&["plan", SPEC, "--exit-code"], 2);
    assert!(
        has_line_starting_with(&changes, "Plan: 3 to add, 0 to change, 0 to destroy."),
        "{}",
        text(&changes)
    );
    // Without --exit-code a plan with changes is a success.
    workspace.run_expecting(&["plan", SPEC], 0);

    workspace.run_expecting(&["apply", SPEC, "--yes"], 0);
    let no_changes = workspace.run_expecting(&["plan", SPEC, "--exit-code"], 0);
    assert!(
        has_line_starting_with(&no_changes, "No changes."),
        "{}",
        text(&no_changes)
    );
    let edited = workspace.run_expecting(&["plan", SPEC, "--var", "owner=dave", "--exit-code"], 2);
    assert!(
        has_line_starting_with(&edited, "Plan: 0 to add, 1 to change, 0 to destroy."),
        "{}",
        text(&edited)
    );
}

#[test]
fn apply_with_stats_prints_the_api_calls_it_made() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);

    let apply = workspace.run_expecting(&["apply", SPEC, "--yes", "--stats"], 0);
    let output = text(&apply);
    let calls_line = output
        .lines()
        .find(|line| line.trim_start().starts_with("API calls:"))
        .unwrap_or_else(|| panic!("no `API calls:` line in:\n{output}"));
    let calls: u64 = calls_line
        .trim_start()
        .trim_start_matches("API calls:")
        .split_whitespace()
        .next()
        .and_then(|count| count.parse().ok())
        .unwrap_or_else(|| panic!("no count after `API calls:` in `{calls_line}`"));
    // At least CreateVpc, CreateSubnet and CreateSecurityGroup.
    assert!(calls >= 3, "{output}");
    assert!(
        output.contains("CreateVpc") && output.contains("CreateSubnet"),
        "per-operation counts expected:\n{output}"
    );
}
