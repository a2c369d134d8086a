//! `provision drift` reports resources that carry the stack's tags but that state does not
//! know, of any taggable type (listed through the Resource Groups Tagging API, GetResources),
//! not only EC2's: a stack of log group, SNS topic, S3 bucket, secret, ECS cluster, EFS file
//! system, VPC and target group is applied; drift finds it in sync (every listed id matches
//! state's, so the ARN → id mapping of each type is right); after `state rm` of seven of them,
//! drift names each as unmanaged with its address and cloud id.

use provision_e2e::{json_output, MotoServer, Workspace};

const SPEC: &str = "tests/fixtures/drift-untracked";
/// The addresses forgotten with `state rm`, one per service the Tagging API answers for.
const FORGOTTEN: [&str; 7] = [
    "aws_cloudwatch_log_group.app",
    "aws_ecs_cluster.main",
    "aws_efs_file_system.data",
    "aws_lb_target_group.web",
    "aws_s3_bucket.assets",
    "aws_secretsmanager_secret.token",
    "aws_sns_topic.alerts",
];

#[test]
fn drift_reports_untracked_resources_of_any_tagged_type() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    workspace.run_expecting(&["apply", SPEC, "--yes"], 0);

    let report = json_output(&workspace.run_expecting(&["drift", SPEC, "--json"], 0));
    assert_eq!(report["in_sync"], true, "{report:#}");
    assert_eq!(report["summary"]["unmanaged"], 0, "{report:#}");
    let calls = &report["stats"]["api_calls_by_operation"];
    assert!(
        calls["Resource Groups Tagging API:GetResources"]
            .as_u64()
            .unwrap_or(0)
            > 0,
        "the listing goes through GetResources: {calls:#}"
    );

    let listed = json_output(&workspace.run_expecting(&["state", "list", "--json"], 0));
    let ids: Vec<String> = FORGOTTEN
        .iter()
        .map(|address| {
            listed
                .as_array()
                .into_iter()
                .flatten()
                .find(|record| record["address"] == *address)
                .and_then(|record| record["id"].as_str())
                .unwrap_or_else(|| panic!("{address} not in state: {listed:#}"))
                .to_string()
        })
        .collect();
    for address in FORGOTTEN {
        workspace.run_expecting(&["state", "rm", address], 0);
    }

    let output = workspace.run_expecting(&["drift", SPEC, "--json"], 2);
    let report = json_output(&output);
    assert_eq!(
        report["summary"]["unmanaged"],
        FORGOTTEN.len(),
        "{report:#}"
    );
    for (address, id) in FORGOTTEN.iter().zip(&ids) {
        let finding = report["drift"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|finding| finding["kind"] == "unmanaged" && finding["address"] == *address)
            .unwrap_or_else(|| panic!("{address} is not reported unmanaged: {report:#}"));
        let type_name = address.split('.').next().unwrap();
        assert_eq!(finding["type"], type_name, "{finding:#}");
        assert_eq!(finding["id"], id.as_str(), "{finding:#}");
    }
    // The text report names them too.
    let text = workspace.run_expecting(&["drift", SPEC], 2);
    let text = provision_e2e::text(&text);
    for address in FORGOTTEN {
        assert!(text.contains(address), "{address} missing from:\n{text}");
    }
}
