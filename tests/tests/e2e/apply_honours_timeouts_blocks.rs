//! Terraform's `timeouts {}` blocks end to end (`tests/fixtures/apply-timeouts`): accepted on
//! the types whose Terraform schema has them; an ECS service waiting for a steady state moto
//! never reaches fails when its `create` limit passes, naming the limit, while the queue beside
//! it is created; the service stays in state, tainted (made, not ready), so the next plan
//! replaces it instead of waiting for it again, as Terraform does. A bad duration or an unknown
//! key is a plan error at its span.

use provision_e2e::{edit_file, text, Cloud, MotoServer, Workspace};

const FIXTURE: &str = "tests/fixtures/apply-timeouts";

#[test]
fn a_create_limit_ends_a_wait_that_never_finishes_and_names_the_limit() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let spec = workspace.copy_spec(FIXTURE);

    let apply = text(&workspace.run_expecting(&["apply", &spec, "--yes"], 1));
    assert!(
        apply.contains("aws_ecs_service.app")
            && apply.contains("timeouts limit (3s)")
            && apply.contains("timed out"),
        "{apply}"
    );
    let queues = cloud
        .block_on(cloud.sqs.list_queues().send())
        .expect("ListQueues");
    assert!(
        queues
            .queue_urls()
            .iter()
            .any(|url| url.ends_with("timeouts-fixture-jobs")),
        "{queues:?}"
    );
    let services = cloud
        .block_on(
            cloud
                .ecs
                .describe_services()
                .cluster("timeouts-fixture")
                .services("app")
                .send(),
        )
        .expect("DescribeServices");
    assert_eq!(services.services().len(), 1, "the service was made");
    let listed = workspace.state_list(&[&spec]);
    assert!(
        listed
            .iter()
            .any(|address| address == "aws_ecs_service.app"),
        "{listed:?}"
    );

    // Tainted: the next plan replaces it, and the next apply does not wait for the old one.
    let plan = text(&workspace.run_expecting(&["plan", &spec], 0));
    assert!(
        plan.contains("# aws_ecs_service.app must be replaced")
            && plan.contains("tainted: its create did not become ready"),
        "{plan}"
    );
    assert!(
        plan.contains("1 to add, 0 to change, 1 to destroy"),
        "{plan}"
    );
    let again = text(&workspace.run_expecting(&["apply", &spec, "--yes"], 1));
    assert!(
        again.contains("aws_ecs_service.app") && again.contains("timeouts limit (3s)"),
        "{again}"
    );
    assert!(
        !again.contains("became ready after an interrupted run"),
        "{again}"
    );
}

#[test]
fn bad_timeouts_are_plan_errors_at_their_spans() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let spec = workspace.copy_spec(FIXTURE);
    edit_file(
        format!("{spec}/main.tf"),
        "create = \"10m\"",
        "create = \"10 minutes\"",
    );
    edit_file(
        format!("{spec}/main.tf"),
        "delete = \"45s\"",
        "read = \"45s\"",
    );
    let plan = text(&workspace.run_expecting(&["plan", &spec], 1));
    assert!(
        plan.contains("error: bad `timeouts.create` on aws_sqs_queue.jobs"),
        "{plan}"
    );
    assert!(plan.contains("\"10 minutes\" is not a duration"), "{plan}");
    assert!(plan.contains("main.tf:14:"), "{plan}");
    assert!(
        plan.contains("unknown key `read` in the timeouts block of aws_sqs_queue.jobs")
            && plan.contains("create, delete, update"),
        "{plan}"
    );
    assert!(
        !workspace.state_path().exists(),
        "a spec error touches no state"
    );
}
