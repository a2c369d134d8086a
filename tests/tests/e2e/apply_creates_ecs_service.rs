//! An ECS Fargate service end to end against the emulator (fixture `apply-ecs-service`):
//! apply creates the cluster and its capacity providers, a task definition with an EFS volume,
//! a service with its network configuration, target group and Cloud Map registry, a scalable
//! target 1-4 and CPU 70 % / memory 80 % target tracking policies, all checked with direct
//! describe calls; a second plan says "No changes."; a new desired count updates the service in
//! place; a new image registers a new revision, moves the service to it and only then
//! deregisters the old one; destroy leaves nothing of the stack.

use aws_sdk_ecs::types::{AssignPublicIp, TaskDefinitionStatus};
use provision_e2e::{has_line_starting_with, json_output, text, Cloud, MotoServer, Workspace};
use serde_json::Value;

const FIXTURE: &str = "tests/fixtures/apply-ecs-service";
/// VPC, 2 subnets, security group, cluster, capacity providers, task definition, service,
/// scalable target, 2 policies.
const RESOURCE_COUNT: usize = 11;
const CLUSTER: &str = "ecs-fixture";
const FAMILY: &str = "ecs-fixture-app";

fn change<'a>(plan: &'a Value, address: &str) -> &'a Value {
    plan["resource_changes"]
        .as_array()
        .or_else(|| plan["changes"].as_array())
        .expect("plan changes")
        .iter()
        .find(|change| change["address"] == address)
        .unwrap_or_else(|| panic!("no change for {address} in {plan:#}"))
}

#[test]
fn apply_update_roll_and_destroy_an_ecs_service() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let spec = workspace.copy_spec(FIXTURE);
    let target_group = cloud.make_ip_target_group("ecs-fixture-app", 3000);
    let target_var = format!("target_group_arn={target_group}");
    let run = |extra: &[&str], command: &[&str], code: i32| {
        let mut arguments: Vec<&str> = command.to_vec();
        arguments.extend_from_slice(&[spec.as_str(), "--var", target_var.as_str()]);
        arguments.extend_from_slice(extra);
        workspace.run_expecting(&arguments, code)
    };

    // Apply from empty state.
    let apply = run(&[], &["apply", "--yes"], 0);
    assert!(
        has_line_starting_with(
            &apply,
            &format!("Apply complete! Resources: {RESOURCE_COUNT} added, 0 changed, 0 destroyed.")
        ),
        "{}",
        text(&apply)
    );

    // Cluster: container insights, capacity providers, default strategy.
    let cluster = cloud.ecs_cluster(CLUSTER).expect("the cluster");
    assert_eq!(cluster.status(), Some("ACTIVE"));
    assert!(
        cluster.settings().iter().any(|setting| setting
            .name()
            .is_some_and(|name| name.as_str() == "containerInsights")
            && setting.value() == Some("enabled")),
        "{cluster:?}"
    );
    let mut providers = cluster.capacity_providers().to_vec();
    providers.sort();
    assert_eq!(providers, ["FARGATE", "FARGATE_SPOT"]);
    let strategy = cluster.default_capacity_provider_strategy();
    assert_eq!(strategy.len(), 1);
    assert_eq!(strategy[0].capacity_provider(), "FARGATE");
    assert_eq!((strategy[0].weight(), strategy[0].base()), (1, 1));

    // Service: task definition, count, network configuration, target group, registry.
    let service = cloud.ecs_service(CLUSTER, "app").expect("the service");
    assert_eq!(service.status(), Some("ACTIVE"));
    assert_eq!(service.desired_count(), 2);
    let first_revision = service
        .task_definition()
        .expect("task definition")
        .to_string();
    let vpc = service
        .network_configuration()
        .and_then(|network| network.awsvpc_configuration())
        .expect("awsvpc configuration");
    assert_eq!(vpc.subnets().len(), 2);
    assert_eq!(vpc.security_groups().len(), 1);
    assert_eq!(vpc.assign_public_ip(), Some(&AssignPublicIp::Disabled));
    let balancer = &service.load_balancers()[0];
    assert_eq!(balancer.target_group_arn(), Some(target_group.as_str()));
    assert_eq!(balancer.container_name(), Some("app"));
    assert_eq!(balancer.container_port(), Some(3000));
    assert_eq!(
        service.service_registries()[0].registry_arn(),
        Some("arn:aws:servicediscovery:us-east-1:123456789012:service/srv-ecsfixture")
    );

    // Task definition: containers and the EFS volume, as DescribeTaskDefinition has them.
    let definition = cloud.ecs_task_definition(&first_revision);
    assert_eq!(definition.family(), Some(FAMILY));
    assert_eq!(
        (definition.cpu(), definition.memory()),
        (Some("512"), Some("1024"))
    );
    assert_eq!(
        definition.network_mode().map(|mode| mode.as_str()),
        Some("awsvpc")
    );
    let container = &definition.container_definitions()[0];
    assert_eq!(container.name(), Some("app"));
    assert_eq!(
        container.image(),
        Some("public.ecr.aws/docker/library/node:20-alpine")
    );
    assert_eq!(container.port_mappings()[0].container_port(), Some(3000));
    assert_eq!(container.secrets()[0].name(), "MQTT_PASSWORD");
    assert_eq!(container.mount_points()[0].container_path(), Some("/data"));
    let efs = definition.volumes()[0]
        .efs_volume_configuration()
        .expect("an EFS volume");
    assert_eq!(efs.file_system_id(), "fs-0123456789abcdef0");
    assert_eq!(
        efs.transit_encryption().map(|mode| mode.as_str()),
        Some("ENABLED")
    );
    let authorization = efs.authorization_config().expect("authorization config");
    assert_eq!(
        authorization.access_point_id(),
        Some("fsap-0123456789abcdef0")
    );
    assert_eq!(authorization.iam().map(|iam| iam.as_str()), Some("ENABLED"));

    // Autoscaling: 1-4 tasks, CPU 70 % and memory 80 %.
    let targets = cloud.ecs_scalable_targets();
    assert_eq!(targets.len(), 1, "{targets:?}");
    assert_eq!(targets[0].resource_id(), "service/ecs-fixture/app");
    assert_eq!(
        (targets[0].min_capacity(), targets[0].max_capacity()),
        (1, 4)
    );
    let mut policies: Vec<(String, f64, String)> = cloud
        .ecs_scaling_policies()
        .iter()
        .map(|policy| {
            let config = policy
                .target_tracking_scaling_policy_configuration()
                .expect("target tracking");
            (
                policy.policy_name().to_string(),
                config.target_value(),
                config
                    .predefined_metric_specification()
                    .map(|metric| metric.predefined_metric_type().as_str().to_string())
                    .unwrap_or_default(),
            )
        })
        .collect();
    policies.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        policies,
        [
            (
                "ecs-fixture-cpu".to_string(),
                70.0,
                "ECSServiceAverageCPUUtilization".to_string()
            ),
            (
                "ecs-fixture-memory".to_string(),
                80.0,
                "ECSServiceAverageMemoryUtilization".to_string()
            ),
        ]
    );

    // A second plan finds nothing to do.
    let no_changes = run(&[], &["plan", "--exit-code"], 0);
    assert!(
        has_line_starting_with(&no_changes, "No changes."),
        "{}",
        text(&no_changes)
    );

    // A new desired count updates the service in place.
    let count_plan = json_output(&run(&["--var", "desired_count=3"], &["plan", "--json"], 0));
    assert_eq!(
        count_plan["summary"],
        serde_json::json!({"import": 0, "add": 0, "change": 1, "destroy": 0}),
        "{count_plan:#}"
    );
    assert_eq!(
        change(&count_plan, "aws_ecs_service.app")["action"],
        "update"
    );
    run(&["--var", "desired_count=3"], &["apply", "--yes"], 0);
    let service = cloud.ecs_service(CLUSTER, "app").expect("the service");
    assert_eq!(service.desired_count(), 3);
    assert_eq!(service.task_definition(), Some(first_revision.as_str()));

    // A new image: a new revision, the service moved to it, then the old one deregistered.
    let image = [
        "--var",
        "desired_count=3",
        "--var",
        "image=public.ecr.aws/docker/library/node:22-alpine",
    ];
    let image_plan = json_output(&run(&image, &["plan", "--json"], 0));
    assert_eq!(
        change(&image_plan, "aws_ecs_task_definition.app")["action"],
        "replace"
    );
    assert_eq!(
        change(&image_plan, "aws_ecs_service.app")["action"],
        "update"
    );
    run(&image, &["apply", "--yes"], 0);
    let service = cloud.ecs_service(CLUSTER, "app").expect("the service");
    let second_revision = service
        .task_definition()
        .expect("task definition")
        .to_string();
    assert_ne!(second_revision, first_revision);
    assert!(
        second_revision.ends_with(&format!("{FAMILY}:2")),
        "{second_revision}"
    );
    let new_definition = cloud.ecs_task_definition(&second_revision);
    assert_eq!(
        new_definition.container_definitions()[0].image(),
        Some("public.ecr.aws/docker/library/node:22-alpine")
    );
    assert_eq!(
        cloud.ecs_task_definition(&first_revision).status(),
        Some(&TaskDefinitionStatus::Inactive)
    );
    assert_eq!(
        cloud.ecs_active_task_definitions(FAMILY),
        std::slice::from_ref(&second_revision)
    );
    // The order, from the run's events: register, update the service, deregister.
    let runs = json_output(&workspace.run_expecting(&["history", "--json"], 0));
    let last_run = runs
        .as_array()
        .expect("runs")
        .iter()
        .filter_map(|run| run["id"].as_i64())
        .max()
        .expect("a run");
    let events = json_output(
        &workspace.run_expecting(&["history", "--run", &last_run.to_string(), "--json"], 0),
    );
    let position = |wanted: &dyn Fn(&Value) -> bool| {
        events
            .as_array()
            .expect("events")
            .iter()
            .position(wanted)
            .unwrap_or_else(|| panic!("event missing from {events:#}"))
    };
    let registered = position(&|event| {
        event["address"] == "aws_ecs_task_definition.app"
            && event["message"]
                .as_str()
                .is_some_and(|message| message.starts_with("created"))
    });
    let moved =
        position(&|event| event["address"] == "aws_ecs_service.app" && event["action"] == "update");
    let deregistered = position(&|event| {
        event["address"]
            .as_str()
            .is_some_and(|address| address.starts_with("aws_ecs_task_definition.app"))
            && event["message"]
                .as_str()
                .is_some_and(|message| message.starts_with("deleted"))
    });
    assert!(
        registered < moved && moved < deregistered,
        "register {registered}, update {moved}, deregister {deregistered}: {events:#}"
    );
    let settled = run(&image, &["plan", "--exit-code"], 0);
    assert!(
        has_line_starting_with(&settled, "No changes."),
        "{}",
        text(&settled)
    );

    // Destroy: nothing of the stack is left.
    let destroy = run(&image, &["destroy", "--yes"], 0);
    assert!(
        has_line_starting_with(
            &destroy,
            &format!("Destroy complete! Resources: {RESOURCE_COUNT} destroyed.")
        ),
        "{}",
        text(&destroy)
    );
    assert!(cloud
        .ecs_service(CLUSTER, "app")
        .is_none_or(|service| service.status() == Some("INACTIVE")));
    assert!(cloud
        .ecs_cluster(CLUSTER)
        .is_none_or(|cluster| cluster.status() == Some("INACTIVE")));
    assert!(cloud.ecs_active_task_definitions(FAMILY).is_empty());
    assert!(cloud.ecs_scalable_targets().is_empty());
    assert!(cloud.ecs_scaling_policies().is_empty());
    assert!(cloud.non_default_vpc_ids().is_empty());
}
