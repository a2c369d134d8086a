//! The whole EdgeMind system (`specs/edgemind --env dev`): network, secrets, InfluxDB on ECS with
//! EFS and Cloud Map, the backend on ECS behind the ALB with autoscaling, IAM, ECR, logs and the
//! frontend. One apply creates it all; direct SDK describes confirm the task definitions, the
//! services, the listener, the scaling policies, the mount targets and the namespace; a second
//! plan is empty; desired count, log retention and an IAM policy update in place; a new image
//! registers a new revision before the service moves to it and before the old one goes; destroy
//! leaves the emulator empty; and no generated secret is ever printed or stored in clear.

use std::collections::BTreeSet;

use aws_sdk_ecs::types::TaskDefinitionStatus;
use provision_e2e::{
    edit_file, has_line_starting_with, json_output, text, Cloud, MotoServer, Workspace,
    EDGEMIND_DEV_RESOURCE_COUNT,
};
use serde_json::Value;

const STACK: &str = "edgemind-dev";
const CLUSTER: &str = "edgemind-dev-cluster";

/// Everything `provision` printed in this test, to check that no secret ever appears in it.
#[derive(Default)]
struct Transcript {
    text: String,
}

impl Transcript {
    fn record(&mut self, output: &std::process::Output) -> String {
        let printed = text(output);
        self.text.push_str(&printed);
        self.text.push('\n');
        printed
    }
}

/// One attribute of a resource in state (`state show --json`).
fn attribute(workspace: &Workspace, spec: &str, address: &str, name: &str) -> Value {
    let shown = json_output(&workspace.run_expecting(
        &["state", "show", address, spec, "--env", "dev", "--json"],
        0,
    ));
    let attributes = shown.get("attributes").unwrap_or(&shown);
    attributes
        .get(name)
        .cloned()
        .unwrap_or_else(|| panic!("{address} has no {name} in state: {shown:#}"))
}

fn string_attribute(workspace: &Workspace, spec: &str, address: &str, name: &str) -> String {
    attribute(workspace, spec, address, name)
        .as_str()
        .unwrap_or_else(|| panic!("{address}.{name} is not a string"))
        .to_string()
}

/// Events of the most recent run, in order.
fn last_run_events(workspace: &Workspace, spec: &str) -> Vec<Value> {
    let runs =
        json_output(&workspace.run_expecting(&["history", spec, "--env", "dev", "--json"], 0));
    let last_run = runs
        .as_array()
        .expect("runs")
        .iter()
        .filter_map(|run| run["id"].as_i64())
        .max()
        .expect("a run");
    let events = json_output(&workspace.run_expecting(
        &[
            "history",
            spec,
            "--env",
            "dev",
            "--run",
            &last_run.to_string(),
            "--json",
        ],
        0,
    ));
    events.as_array().expect("events").clone()
}

#[test]
fn apply_creates_edgemind_updates_it_in_place_and_destroys_everything() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let spec = workspace.copy_spec("specs/edgemind");
    let cloud = Cloud::new(&server);
    let mut transcript = Transcript::default();

    // ---- apply everything -------------------------------------------------------------------
    let plan = transcript.record(&workspace.run_expecting(&["plan", &spec, "--env", "dev"], 0));
    assert!(
        plan.contains(&format!(
            "Plan: {EDGEMIND_DEV_RESOURCE_COUNT} to add, 0 to change, 0 to destroy."
        )),
        "{plan}"
    );
    transcript.record(&workspace.run_expecting(&["plan", &spec, "--env", "dev", "--json"], 0));
    let apply = transcript
        .record(&workspace.run_expecting(&["apply", &spec, "--env", "dev", "--yes", "--stats"], 0));
    assert!(apply.contains("Apply complete!"), "{apply}");

    // ---- direct describes -------------------------------------------------------------------
    let private_subnets: BTreeSet<String> = (0..2)
        .map(|index| {
            string_attribute(
                &workspace,
                &spec,
                &format!("module.network.aws_subnet.private[{index}]"),
                "id",
            )
        })
        .collect();
    let backend_group = string_attribute(&workspace, &spec, "aws_security_group.backend", "id");
    let influxdb_group = string_attribute(&workspace, &spec, "aws_security_group.influxdb", "id");
    let file_system = string_attribute(&workspace, &spec, "aws_efs_file_system.influxdb", "id");
    let access_point = string_attribute(&workspace, &spec, "aws_efs_access_point.influxdb", "id");
    let target_group = string_attribute(&workspace, &spec, "aws_lb_target_group.backend", "arn");
    let registry = string_attribute(
        &workspace,
        &spec,
        "aws_service_discovery_service.influxdb",
        "arn",
    );

    // InfluxDB task definition: the container and its EFS volume through the access point.
    let influxdb = cloud.ecs_task_definition(&format!("{STACK}-influxdb"));
    assert_eq!(
        (influxdb.cpu(), influxdb.memory()),
        (Some("512"), Some("1024"))
    );
    let container = &influxdb.container_definitions()[0];
    assert_eq!(container.name(), Some("influxdb"));
    assert_eq!(container.image(), Some("influxdb:2.7"));
    assert_eq!(
        container.port_mappings()[0].container_port(),
        Some(8086),
        "{container:?}"
    );
    assert!(
        container
            .secrets()
            .iter()
            .any(|secret| secret.name() == "DOCKER_INFLUXDB_INIT_ADMIN_TOKEN"),
        "{container:?}"
    );
    let volume = &influxdb.volumes()[0];
    let efs = volume
        .efs_volume_configuration()
        .expect("an EFS volume on the InfluxDB task");
    assert_eq!(efs.file_system_id(), file_system);
    assert_eq!(
        efs.authorization_config()
            .and_then(|config| config.access_point_id()),
        Some(access_point.as_str())
    );
    assert_eq!(
        container.mount_points()[0].source_volume(),
        volume.name(),
        "the container mounts the EFS volume"
    );

    // Backend task definition: 512 / 1 GB on port 3000.
    let backend = cloud.ecs_task_definition(&format!("{STACK}-backend"));
    assert_eq!(
        (backend.cpu(), backend.memory()),
        (Some("512"), Some("1024"))
    );
    let backend_container = &backend.container_definitions()[0];
    assert_eq!(
        backend_container.port_mappings()[0].container_port(),
        Some(3000)
    );

    // Services: Fargate in the private subnets, the backend behind the target group, InfluxDB
    // registered in Cloud Map.
    let backend_service = cloud
        .ecs_service(CLUSTER, &format!("{STACK}-backend"))
        .expect("the backend service");
    assert_eq!(
        backend_service.desired_count(),
        1,
        "dev runs one backend task"
    );
    let network = backend_service
        .network_configuration()
        .and_then(|configuration| configuration.awsvpc_configuration())
        .expect("awsvpc network configuration");
    assert_eq!(
        network.subnets().iter().cloned().collect::<BTreeSet<_>>(),
        private_subnets
    );
    assert_eq!(
        network.security_groups(),
        std::slice::from_ref(&backend_group)
    );
    let balancer = &backend_service.load_balancers()[0];
    assert_eq!(balancer.target_group_arn(), Some(target_group.as_str()));
    assert_eq!(balancer.container_port(), Some(3000));
    assert_eq!(
        backend_service.task_definition(),
        backend.task_definition_arn()
    );
    let influxdb_service = cloud
        .ecs_service(CLUSTER, &format!("{STACK}-influxdb"))
        .expect("the InfluxDB service");
    assert_eq!(
        influxdb_service.service_registries()[0].registry_arn(),
        Some(registry.as_str())
    );
    let influxdb_network = influxdb_service
        .network_configuration()
        .and_then(|configuration| configuration.awsvpc_configuration())
        .expect("awsvpc network configuration");
    assert_eq!(influxdb_network.security_groups(), [influxdb_group]);

    // Listener: no certificate in dev, so HTTP 80 forwards to the backend target group.
    let services = cloud.network_services();
    let http = services.listeners.get(&80).expect("an HTTP listener");
    let action = &http.default_actions()[0];
    assert_eq!(action.r#type().map(|kind| kind.as_str()), Some("forward"));
    assert_eq!(action.target_group_arn(), Some(target_group.as_str()));
    assert_eq!(
        services.mount_targets.len(),
        2,
        "one mount target per private subnet"
    );
    for mount_target in &services.mount_targets {
        assert_eq!(mount_target.life_cycle_state().as_str(), "available");
        assert!(private_subnets.contains(mount_target.subnet_id()));
    }
    let namespace_names: Vec<_> = services
        .namespaces
        .iter()
        .filter_map(|namespace| namespace.name())
        .collect();
    assert_eq!(namespace_names, ["edgemind.local"]);

    // Autoscaling: 1-4 tasks, CPU 70 % and memory 80 %.
    let targets = cloud.ecs_scalable_targets();
    assert_eq!(targets.len(), 1);
    assert_eq!(
        (targets[0].min_capacity(), targets[0].max_capacity()),
        (1, 4)
    );
    let mut policies: Vec<(String, f64)> = cloud
        .ecs_scaling_policies()
        .iter()
        .map(|policy| {
            let configuration = policy
                .target_tracking_scaling_policy_configuration()
                .expect("target tracking");
            (
                configuration
                    .predefined_metric_specification()
                    .map(|metric| metric.predefined_metric_type().as_str().to_string())
                    .unwrap_or_default(),
                configuration.target_value(),
            )
        })
        .collect();
    policies.sort_by(|left, right| left.0.cmp(&right.0));
    assert_eq!(
        policies,
        [
            ("ECSServiceAverageCPUUtilization".to_string(), 70.0),
            ("ECSServiceAverageMemoryUtilization".to_string(), 80.0),
        ]
    );

    // The generated InfluxDB token is in the secret, and nowhere else.
    let influxdb_secret = cloud.secret_json("edgemind/dev/influxdb");
    let token = influxdb_secret["token"]
        .as_str()
        .expect("a generated token")
        .to_string();
    let admin_password = influxdb_secret["admin_password"]
        .as_str()
        .expect("a generated admin password")
        .to_string();
    assert!(token.len() >= 32, "token {} characters", token.len());

    // ---- a second plan is empty ---------------------------------------------------------------
    let second = workspace.run_expecting(&["plan", &spec, "--env", "dev", "--exit-code"], 0);
    transcript.record(&second);
    assert!(
        has_line_starting_with(&second, "No changes."),
        "{}",
        text(&second)
    );

    // ---- desired count, log retention and an IAM policy update in place -----------------------
    let tfvars = format!("{spec}/env/dev.tfvars");
    edit_file(
        &tfvars,
        "backend_desired_count = 1",
        "backend_desired_count = 2\nlog_retention_days    = 14",
    );
    edit_file(
        format!("{spec}/iam.tf"),
        "[\"bedrock:InvokeModel\", \"bedrock:InvokeModelWithResponseStream\"]",
        "[\"bedrock:InvokeModel\"]",
    );
    let update_plan =
        transcript.record(&workspace.run_expecting(&["plan", &spec, "--env", "dev"], 0));
    assert!(
        update_plan.contains("Plan: 0 to add, 4 to change, 0 to destroy."),
        "{update_plan}"
    );
    for address in [
        "aws_ecs_service.backend",
        "aws_cloudwatch_log_group.backend",
        "aws_cloudwatch_log_group.influxdb",
        "aws_iam_policy.backend_bedrock",
    ] {
        assert!(
            update_plan.contains(&format!("{address} will be updated in-place")),
            "{address}: {update_plan}"
        );
    }
    let update =
        transcript.record(&workspace.run_expecting(&["apply", &spec, "--env", "dev", "--yes"], 0));
    assert!(update.contains("4 changed, 0 destroyed"), "{update}");
    assert_eq!(
        cloud
            .ecs_service(CLUSTER, &format!("{STACK}-backend"))
            .expect("the backend service")
            .desired_count(),
        2
    );
    let groups = cloud
        .block_on(
            cloud
                .logs
                .describe_log_groups()
                .log_group_name_prefix("/ecs/edgemind-dev-")
                .send(),
        )
        .expect("DescribeLogGroups");
    assert_eq!(groups.log_groups().len(), 2);
    for group in groups.log_groups() {
        assert_eq!(group.retention_in_days(), Some(14), "{group:?}");
    }
    let policy_arn = string_attribute(&workspace, &spec, "aws_iam_policy.backend_bedrock", "arn");
    let (_, document, _) = cloud.managed_policy(&policy_arn);
    assert!(
        document.to_string().contains("bedrock:InvokeModel")
            && !document
                .to_string()
                .contains("InvokeModelWithResponseStream"),
        "the policy's new default version drops the streaming action: {document}"
    );

    // ---- a new image: new revision, then the service moves, then the old revision goes --------
    let first_revision = backend
        .task_definition_arn()
        .expect("revision ARN")
        .to_string();
    let mut tfvars_text = std::fs::read_to_string(&tfvars).expect("dev.tfvars");
    tfvars_text.push_str(
        "backend_image = \"123456789012.dkr.ecr.us-east-1.amazonaws.com/edgemind-dev-backend:v2\"\n",
    );
    std::fs::write(&tfvars, tfvars_text).expect("write dev.tfvars");
    let image_plan =
        transcript.record(&workspace.run_expecting(&["plan", &spec, "--env", "dev"], 0));
    assert!(
        image_plan.contains("Plan: 1 to add, 1 to change, 1 to destroy."),
        "{image_plan}"
    );
    transcript.record(&workspace.run_expecting(&["apply", &spec, "--env", "dev", "--yes"], 0));
    let moved_to = cloud
        .ecs_service(CLUSTER, &format!("{STACK}-backend"))
        .expect("the backend service")
        .task_definition()
        .expect("task definition")
        .to_string();
    assert_ne!(moved_to, first_revision);
    let second_revision = cloud.ecs_task_definition(&moved_to);
    assert_eq!(
        second_revision.container_definitions()[0].image(),
        Some("123456789012.dkr.ecr.us-east-1.amazonaws.com/edgemind-dev-backend:v2")
    );
    assert_eq!(
        cloud.ecs_task_definition(&first_revision).status(),
        Some(&TaskDefinitionStatus::Inactive)
    );
    let events = last_run_events(&workspace, &spec);
    let position = |wanted: &dyn Fn(&Value) -> bool| {
        events
            .iter()
            .position(wanted)
            .unwrap_or_else(|| panic!("event missing from {events:#?}"))
    };
    let registered = position(&|event| {
        event["address"] == "aws_ecs_task_definition.backend"
            && event["message"]
                .as_str()
                .is_some_and(|message| message.starts_with("created"))
    });
    let moved = position(&|event| {
        event["address"] == "aws_ecs_service.backend" && event["action"] == "update"
    });
    let deregistered = position(&|event| {
        event["address"]
            .as_str()
            .is_some_and(|address| address.starts_with("aws_ecs_task_definition.backend"))
            && event["message"]
                .as_str()
                .is_some_and(|message| message.starts_with("deleted"))
    });
    assert!(
        registered < moved && moved < deregistered,
        "register {registered}, update {moved}, deregister {deregistered}: {events:#?}"
    );

    // ---- destroy: nothing is left -------------------------------------------------------------
    let destroy = transcript.record(
        &workspace.run_expecting(&["destroy", &spec, "--env", "dev", "--yes", "--stats"], 0),
    );
    assert!(destroy.contains("Destroy complete!"), "{destroy}");
    let inventory = cloud.inventory(&format!("{}/dev", spec_stack_name(&spec)));
    assert!(inventory.is_empty(), "left behind: {}", inventory.summary());
    assert!(cloud.non_default_vpc_ids().is_empty());
    let services = cloud.network_services();
    assert!(services.is_empty(), "left behind: {services:?}");
    let cluster = cloud.ecs_cluster(CLUSTER);
    if let Some(cluster) = &cluster {
        assert_eq!(cluster.status(), Some("INACTIVE"), "{cluster:?}");
    }
    assert!(cloud.ecs_active_task_definitions(STACK).is_empty());
    assert!(cloud.ecs_scalable_targets().is_empty());
    assert!(!cloud.role_exists("edgemind-dev-task-execution"));
    assert!(cloud.repository("edgemind-dev-backend").is_none());
    assert!(
        cloud.bucket_names().is_empty(),
        "{:?}",
        cloud.bucket_names()
    );
    assert!(cloud.distribution_ids().is_empty());
    let secrets = cloud
        .block_on(cloud.secretsmanager.list_secrets().send())
        .expect("ListSecrets");
    assert!(
        secrets.secret_list().is_empty(),
        "{:?}",
        secrets.secret_list()
    );

    // ---- no secret was ever printed, nor stored in clear ----------------------------------------
    transcript.record(&workspace.run_expecting(&["history", &spec, "--env", "dev"], 0));
    for secret in [&token, &admin_password] {
        assert!(
            !transcript.text.contains(secret.as_str()),
            "a generated secret was printed"
        );
        assert!(
            !workspace.state_files_contain(secret),
            "a generated secret is in the state database in clear"
        );
    }
}

/// The stack name `provision` gives a spec folder copied into the workspace.
fn spec_stack_name(spec: &str) -> String {
    spec.trim_end_matches('/').to_string()
}
