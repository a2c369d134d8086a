//! Dependents that need only an id start before their dependency is ready (issue 14, part 2),
//! shown with moto's state manager holding EdgeMind's CloudFront distribution `InProgress`:
//! the frontend bucket's policy (which names the distribution's ARN) is created while the
//! distribution still deploys, and holds the right ARN (read back with GetBucketPolicy). With
//! `--no-wait` the run ends once the distribution's id is committed; the next apply waits for
//! it and a plan after that is clean. An apply killed (SIGKILL) after the bucket policy was
//! made but before the distribution is ready leaves state true: the distribution `creating`,
//! the policy `ready`; the next apply waits for the distribution and converges.

use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;

use provision_e2e::frontend::slow_distribution_deployments;
use provision_e2e::{json_output, text, Cloud, MotoServer, Workspace};

/// The index of the line that reports `address`'s operation finished (`address: created ID
/// [1.2s]`), not its progress lines.
fn finished_line(output: &str, address: &str) -> usize {
    let prefix = format!("{address}: ");
    output
        .lines()
        .position(|line| line.starts_with(&prefix) && line.trim_end().ends_with("s]"))
        .unwrap_or_else(|| panic!("no finish line for {address}:\n{output}"))
}

fn distribution_arn(cloud: &Cloud) -> String {
    let list = cloud
        .block_on(cloud.cloudfront.list_distributions().send())
        .expect("ListDistributions");
    let items = list
        .distribution_list()
        .map(|list| list.items())
        .unwrap_or_default();
    assert_eq!(items.len(), 1, "{items:?}");
    items[0].arn().to_string()
}

/// The run after one that left the distribution `creating`: deployments finish after two reads
/// from now on, the next apply waits for it first, and a plan after that is clean.
fn next_apply_waits_for_the_distribution_and_converges(
    server: &MotoServer,
    workspace: &Workspace,
    spec: &str,
) {
    slow_distribution_deployments(server, 2);
    let again = text(&workspace.run_expecting(&["apply", spec, "--env", "dev", "--yes"], 0));
    assert!(
        again.contains("aws_cloudfront_distribution.frontend: became ready"),
        "{again}"
    );
    let plan = json_output(&workspace.run_expecting(&["plan", spec, "--env", "dev", "--json"], 0));
    assert_eq!(
        plan["summary"],
        serde_json::json!({"import": 0, "add": 0, "change": 0, "destroy": 0}),
        "{plan:#}"
    );
}

#[test]
fn a_bucket_policy_naming_a_deploying_distribution_is_created_before_it_is_deployed() {
    let server = MotoServer::start();
    slow_distribution_deployments(&server, 4);
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let spec = workspace.copy_spec("specs/edgemind");

    let apply = text(&workspace.run_expecting(&["apply", &spec, "--env", "dev", "--yes"], 0));
    let policy = finished_line(&apply, "aws_s3_bucket_policy.frontend");
    let distribution = finished_line(&apply, "aws_cloudfront_distribution.frontend");
    assert!(
        policy < distribution,
        "the bucket policy waited for the distribution's deployment:\n{apply}"
    );
    let arn = distribution_arn(&cloud);
    let policy_document = cloud
        .block_on(
            cloud
                .s3
                .get_bucket_policy()
                .bucket("edgemind-dev-frontend")
                .send(),
        )
        .expect("GetBucketPolicy")
        .policy()
        .unwrap_or_default()
        .to_string();
    assert!(
        policy_document.contains(&arn),
        "the policy does not name {arn}: {policy_document}"
    );
    let plan = json_output(&workspace.run_expecting(&["plan", &spec, "--env", "dev", "--json"], 0));
    assert_eq!(
        plan["summary"],
        serde_json::json!({"import": 0, "add": 0, "change": 0, "destroy": 0}),
        "{plan:#}"
    );
    workspace.run_expecting(&["destroy", &spec, "--env", "dev", "--yes"], 0);
}

#[test]
fn no_wait_ends_when_the_distribution_has_its_id_and_the_next_apply_waits_for_it() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let spec = workspace.copy_spec("specs/edgemind");
    slow_distribution_deployments(&server, 50);

    let apply =
        text(&workspace.run_expecting(&["apply", &spec, "--env", "dev", "--yes", "--no-wait"], 0));
    assert!(
        apply.contains("Not waited for (--no-wait)")
            && apply.contains("aws_cloudfront_distribution.frontend"),
        "{apply}"
    );
    assert!(apply.contains("Apply complete!"), "{apply}");

    next_apply_waits_for_the_distribution_and_converges(&server, &workspace, &spec);
}

#[test]
fn a_kill_after_an_id_only_release_leaves_state_true_and_the_next_apply_converges() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let spec = workspace.copy_spec("specs/edgemind");
    slow_distribution_deployments(&server, 1000);

    let mut child = workspace
        .command(&["apply", &spec, "--env", "dev", "--yes"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start provision apply");
    let stdout = child.stdout.take().expect("apply stdout");
    let mut seen = Vec::new();
    let mut killed = false;
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        let policy_done =
            line.starts_with("aws_s3_bucket_policy.frontend: ") && line.trim_end().ends_with("s]");
        seen.push(line);
        if policy_done && !killed {
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
        "the bucket policy never finished:\n{}",
        seen.join("\n")
    );
    assert_eq!(status.signal(), Some(9), "{}", seen.join("\n"));

    let listed = json_output(
        &workspace.run_expecting(&["state", "list", &spec, "--env", "dev", "--json"], 0),
    );
    let status_of = |address: &str| {
        listed
            .as_array()
            .and_then(|records| {
                records
                    .iter()
                    .find(|record| record["address"] == address)
                    .map(|record| record["status"].as_str().unwrap_or_default().to_string())
            })
            .unwrap_or_else(|| panic!("{address} is not in state: {listed:#}"))
    };
    assert_eq!(
        status_of("aws_cloudfront_distribution.frontend"),
        "creating"
    );
    assert_eq!(status_of("aws_s3_bucket_policy.frontend"), "ready");

    next_apply_waits_for_the_distribution_and_converges(&server, &workspace, &spec);
}
