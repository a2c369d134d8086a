//! An apply that dies in the middle (aborted right after AWS created something, or killed with
//! SIGKILL) leaves nothing behind that the next apply cannot account for: the re-run adopts or
//! finishes what was started and ends with exactly one of each resource.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;

use provision_e2e::{
    has_line_starting_with, text, Cloud, MotoServer, Workspace, EDGEMIND_DEV_RESOURCE_COUNT,
};

const SPEC: &str = "specs/edgemind";
const STACK: &str = "specs/edgemind/dev";

/// Resource instances of `specs/edgemind` in dev.
const RESOURCE_COUNT: usize = EDGEMIND_DEV_RESOURCE_COUNT;

/// Checks the cloud and state hold exactly one of each resource of the EdgeMind network and
/// that a plan finds nothing left to do.
fn assert_exactly_one_of_each(workspace: &Workspace, cloud: &Cloud) {
    let inventory = cloud.inventory(STACK);
    let summary = inventory.summary();
    assert_eq!(inventory.vpcs.len(), 1, "{summary}");
    assert_eq!(inventory.subnets.len(), 4, "{summary}");
    assert_eq!(inventory.internet_gateways.len(), 1, "{summary}");
    assert_eq!(inventory.elastic_ips.len(), 1, "{summary}");
    assert_eq!(inventory.nat_gateways.len(), 1, "{summary}");
    assert_eq!(inventory.route_tables.len(), 2, "{summary}");
    assert_eq!(inventory.security_groups.len(), 4, "{summary}");
    assert_eq!(inventory.log_groups.len(), 2, "{summary}");
    let mut subnets_per_cidr: BTreeMap<&str, usize> = BTreeMap::new();
    for subnet in &inventory.subnets {
        *subnets_per_cidr
            .entry(subnet.cidr_block().unwrap_or_default())
            .or_default() += 1;
    }
    assert_eq!(
        subnets_per_cidr,
        BTreeMap::from([
            ("10.0.0.0/24", 1),
            ("10.0.1.0/24", 1),
            ("10.0.10.0/24", 1),
            ("10.0.11.0/24", 1),
        ])
    );
    let cloud_addresses = inventory.resource_addresses();
    let unique: BTreeSet<&String> = cloud_addresses.iter().collect();
    assert_eq!(unique.len(), cloud_addresses.len(), "duplicates: {summary}");
    assert_eq!(
        cloud.non_default_vpc_ids().len(),
        1,
        "one VPC besides the default one"
    );

    let state = workspace.state_list(&[SPEC, "--env", "dev"]);
    let unique_state: BTreeSet<&String> = state.iter().collect();
    assert_eq!(
        unique_state.len(),
        state.len(),
        "an address twice in state: {state:?}"
    );
    assert_eq!(state.len(), RESOURCE_COUNT, "state list: {state:?}");

    let plan = workspace.run_expecting(&["plan", SPEC, "--env", "dev", "--exit-code"], 0);
    assert!(
        has_line_starting_with(&plan, "No changes."),
        "{}",
        text(&plan)
    );
}

#[test]
fn apply_aborted_right_after_a_create_is_adopted_by_the_next_apply() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);

    let aborted = workspace
        .command(&["apply", SPEC, "--env", "dev", "--yes"])
        .env(
            "PROVISION_TEST_ABORT_AFTER_CREATE",
            "module.network.aws_subnet.private[0]",
        )
        .output()
        .expect("run provision");
    assert!(
        !aborted.status.success(),
        "the apply should have aborted:\n{}",
        text(&aborted)
    );
    // AWS made the subnet before the process died, and state may not know it.
    let orphan_id = cloud
        .inventory(STACK)
        .subnet("module.network.aws_subnet.private[0]")
        .subnet_id()
        .expect("subnet id")
        .to_string();

    let rerun = workspace.run_expecting(&["apply", SPEC, "--env", "dev", "--yes"], 0);
    assert!(
        has_line_starting_with(&rerun, "Apply complete!"),
        "{}",
        text(&rerun)
    );
    assert_exactly_one_of_each(&workspace, &cloud);
    assert_eq!(
        cloud
            .inventory(STACK)
            .subnet("module.network.aws_subnet.private[0]")
            .subnet_id(),
        Some(orphan_id.as_str()),
        "the re-run adopts the subnet the aborted run created"
    );
}

/// Whether a line of apply output shows an EC2 id (`vpc-…`, `subnet-…`, ...): the mark of a
/// finished create.
fn contains_cloud_id(line: &str) -> bool {
    const PREFIXES: [&str; 9] = [
        "vpc-",
        "subnet-",
        "igw-",
        "eipalloc-",
        "nat-",
        "rtb-",
        "rtbassoc-",
        "sg-",
        "sgr-",
    ];
    line.split(|character: char| !(character.is_ascii_alphanumeric() || character == '-'))
        .any(|word| {
            PREFIXES.iter().any(|prefix| {
                word.strip_prefix(prefix).is_some_and(|rest| {
                    rest.len() >= 8 && rest.chars().all(|character| character.is_ascii_hexdigit())
                })
            })
        })
}

#[test]
fn apply_killed_midway_then_rerun_ends_with_one_of_each_resource() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);

    let stderr_path = workspace.directory.path().join("killed-apply.stderr");
    let mut child = workspace
        .command(&["apply", SPEC, "--env", "dev", "--yes", "--parallelism", "1"])
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&stderr_path).expect("stderr file"))
        .spawn()
        .expect("start provision apply");
    let stdout = child.stdout.take().expect("apply stdout");
    let mut lines_seen = Vec::new();
    let mut finished_creates = 0;
    let mut killed = false;
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        if contains_cloud_id(&line) {
            finished_creates += 1;
        }
        lines_seen.push(line);
        if finished_creates == 3 && !killed {
            let status = std::process::Command::new("kill")
                .args(["-9", &child.id().to_string()])
                .status()
                .expect("run kill");
            assert!(status.success(), "kill -9 failed");
            killed = true;
        }
    }
    let status = child.wait().expect("wait for the killed apply");
    assert!(
        killed,
        "the apply printed fewer than 3 lines with a cloud id before it ended ({status:?}):\n{}\n--- stderr\n{}",
        lines_seen.join("\n"),
        std::fs::read_to_string(&stderr_path).unwrap_or_default()
    );
    assert_eq!(
        status.signal(),
        Some(9),
        "the apply should have died of SIGKILL mid-way (it finished first?):\n{}",
        lines_seen.join("\n")
    );
    // 16 taggable resources in all: some, not all, were made.
    let partial = cloud.inventory(STACK);
    assert!(
        !partial.is_empty() && partial.len() < 16,
        "the kill should land mid-apply: {}",
        partial.summary()
    );

    let rerun = workspace.run_expecting(&["apply", SPEC, "--env", "dev", "--yes"], 0);
    assert!(
        has_line_starting_with(&rerun, "Apply complete!"),
        "{}",
        text(&rerun)
    );
    assert_exactly_one_of_each(&workspace, &cloud);
}
