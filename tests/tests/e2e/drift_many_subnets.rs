//! Measures a drift check of a stack of many subnets (300 by default, to keep the suite quick;
//! `PROVISION_DRIFT_SUBNETS=1000` for the figure in docs/drift.md): the batched reads must take a handful of DescribeSubnets calls, not one per
//! subnet. Prints the API calls and wall time (`cargo test --test e2e drift_many_subnets --
//! --nocapture`); asserts on call counts only, never on time.

use std::time::Instant;

use provision_e2e::{json_output, MotoServer, Workspace};

#[test]
fn drift_of_many_subnets_takes_a_few_describe_calls() {
    let count: usize = std::env::var("PROVISION_DRIFT_SUBNETS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(300);
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let spec = workspace.copy_spec("tests/fixtures/drift-many-subnets");
    let subnets = format!("subnet_count={count}");
    let started = Instant::now();
    workspace.run_expecting(
        &[
            "apply",
            &spec,
            "--var",
            &subnets,
            "--yes",
            "--parallelism",
            "16",
        ],
        0,
    );
    let applied = started.elapsed();

    let started = Instant::now();
    let report =
        json_output(&workspace.run_expecting(&["drift", &spec, "--var", &subnets, "--json"], 0));
    let checked = started.elapsed();
    assert_eq!(report["in_sync"], true, "{report:#}");
    assert_eq!(report["summary"]["checked"], count + 1);
    let calls = &report["stats"]["api_calls_by_operation"];
    let describe_subnets = calls["EC2:DescribeSubnets"].as_u64().unwrap_or(0) as usize;
    // Reads: one call per 200 subnets; unmanaged listing: one more.
    let expected = count.div_ceil(200) + 1;
    assert_eq!(describe_subnets, expected, "{calls:#}");
    println!(
        "{count} subnets: apply {:.1}s; drift {:.2}s wall ({} ms in the check), {} API calls: {calls}",
        applied.as_secs_f64(),
        checked.as_secs_f64(),
        report["stats"]["duration_ms"],
        report["stats"]["api_calls"]
    );
}
