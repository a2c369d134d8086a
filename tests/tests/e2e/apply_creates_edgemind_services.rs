//! The EdgeMind network services end to end against the emulator: EFS (encrypted file system,
//! 14-day lifecycle policy, a mount target per private subnet, access point), Cloud Map
//! (`edgemind.local` and `influxdb`), the backend ALB (target group with `/health` checks and
//! sticky sessions, HTTP listener), checked with direct describe calls; a second plan with no
//! changes; a certificate ARN that turns HTTP into a redirect and adds the HTTPS listener; and
//! destroy, which deletes the mount targets before their security group.

use aws_sdk_efs::types::{LifeCycleState, TransitionToIaRules};
use aws_sdk_elasticloadbalancingv2::types::{
    ActionTypeEnum, LoadBalancerSchemeEnum, LoadBalancerStateEnum, ProtocolEnum,
    RedirectActionStatusCodeEnum, TargetTypeEnum,
};
use provision_e2e::{has_line_starting_with, json_output, text, Cloud, MotoServer, Workspace};

/// Resource instances of `specs/edgemind --env dev` without a certificate: the 25 of the
/// network, then file system, 2 mount targets, access point, namespace, service, load
/// balancer, target group, HTTP listener.
const RESOURCE_COUNT: usize = provision_e2e::EDGEMIND_DEV_RESOURCE_COUNT;

/// An IAM server certificate ARN: moto's CreateListener checks ACM certificate ARNs against its
/// ACM, but takes IAM ones as given.
const CERTIFICATE_ARN: &str = "arn:aws:iam::123456789012:server-certificate/edgemind-test";

fn output(workspace: &Workspace, spec: &str, name: &str) -> serde_json::Value {
    json_output(&workspace.run_expecting(&["output", name, spec, "--env", "dev", "--json"], 0))
}

fn strings(value: &serde_json::Value) -> Vec<String> {
    let mut items: Vec<String> = value
        .as_array()
        .expect("a list output")
        .iter()
        .map(|item| item.as_str().expect("a string").to_string())
        .collect();
    items.sort();
    items
}

fn sorted(mut items: Vec<String>) -> Vec<String> {
    items.sort();
    items
}

#[test]
fn apply_checks_and_destroys_the_edgemind_network_services() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let spec = workspace.copy_spec("specs/edgemind");
    let stack = format!("{spec}/dev");

    let apply = workspace.run_expecting(&["apply", &spec, "--env", "dev", "--yes"], 0);
    assert!(
        has_line_starting_with(
            &apply,
            &format!("Apply complete! Resources: {RESOURCE_COUNT} added, 0 changed, 0 destroyed.")
        ),
        "{}",
        text(&apply)
    );
    let private_subnets = strings(&output(&workspace, &spec, "private_subnet_ids"));
    let public_subnets = strings(&output(&workspace, &spec, "public_subnet_ids"));
    let vpc_id = output(&workspace, &spec, "vpc_id");
    let efs_group = output(&workspace, &spec, "efs_security_group_id");
    let alb_group = output(&workspace, &spec, "alb_security_group_id");
    assert_eq!(
        output(&workspace, &spec, "influxdb_service_discovery_name"),
        "influxdb.edgemind.local"
    );
    let found = cloud.network_services();

    // EFS: one encrypted file system, 14 days to Infrequent Access, tagged for the stack.
    assert_eq!(found.file_systems.len(), 1, "{found:#?}");
    let file_system = &found.file_systems[0];
    assert_eq!(
        output(&workspace, &spec, "efs_file_system_id"),
        file_system.file_system_id()
    );
    assert_eq!(file_system.encrypted(), Some(true));
    assert_eq!(file_system.life_cycle_state(), &LifeCycleState::Available);
    assert_eq!(found.lifecycle_policies.len(), 1, "{found:#?}");
    assert_eq!(
        found.lifecycle_policies[0].transition_to_ia(),
        Some(&TransitionToIaRules::After14Days)
    );
    let file_system_tags: std::collections::BTreeMap<&str, &str> = file_system
        .tags()
        .iter()
        .map(|tag| (tag.key(), tag.value()))
        .collect();
    assert_eq!(
        file_system_tags.get("Name"),
        Some(&"edgemind-dev-influxdb-data")
    );
    assert_eq!(
        file_system_tags.get("provision:stack"),
        Some(&stack.as_str())
    );
    assert_eq!(
        file_system_tags.get("provision:address"),
        Some(&"aws_efs_file_system.influxdb")
    );

    // One available mount target per private subnet, behind the EFS security group.
    assert_eq!(
        sorted(
            found
                .mount_targets
                .iter()
                .map(|target| target.subnet_id().to_string())
                .collect()
        ),
        private_subnets
    );
    for target in &found.mount_targets {
        assert_eq!(target.life_cycle_state(), &LifeCycleState::Available);
        assert_eq!(
            found.mount_target_security_groups[target.mount_target_id()],
            [efs_group.as_str().expect("security group id")]
        );
    }

    // The access point pins InfluxDB to /influxdb as uid/gid 1000.
    assert_eq!(found.access_points.len(), 1, "{found:#?}");
    let access_point = &found.access_points[0];
    let user = access_point.posix_user().expect("posix user");
    assert_eq!((user.uid(), user.gid()), (1000, 1000));
    let root = access_point.root_directory().expect("root directory");
    assert_eq!(root.path(), Some("/influxdb"));
    let creation = root.creation_info().expect("creation info");
    assert_eq!(
        (
            creation.owner_uid(),
            creation.owner_gid(),
            creation.permissions()
        ),
        (1000, 1000, "755")
    );

    // Cloud Map: the private namespace and the InfluxDB service with an A record.
    assert_eq!(found.namespaces.len(), 1, "{found:#?}");
    let namespace = &found.namespaces[0];
    assert_eq!(namespace.name(), Some("edgemind.local"));
    assert_eq!(
        namespace.r#type().map(|kind| kind.as_str()),
        Some("DNS_PRIVATE")
    );
    assert_eq!(
        cloud
            .cloud_map_tags(namespace.arn().expect("namespace ARN"))
            .get("provision:address")
            .map(String::as_str),
        Some("aws_service_discovery_private_dns_namespace.main")
    );
    assert_eq!(found.services.len(), 1, "{found:#?}");
    let service = &found.services[0];
    assert_eq!(service.name(), Some("influxdb"));
    assert_eq!(service.namespace_id(), namespace.id());
    let dns = service.dns_config().expect("DNS config");
    assert_eq!(dns.dns_records().len(), 1);
    assert_eq!(dns.dns_records()[0].r#type().as_str(), "A");
    assert_eq!(dns.dns_records()[0].ttl(), 10);
    assert!(
        service.health_check_custom_config().is_some(),
        "{service:?}"
    );

    // The ALB: active, internet-facing, in the public subnets behind its security group.
    assert_eq!(found.load_balancers.len(), 1, "{found:#?}");
    let balancer = &found.load_balancers[0];
    assert_eq!(balancer.load_balancer_name(), Some("edgemind-dev-alb"));
    assert_eq!(
        balancer.state().and_then(|state| state.code()),
        Some(&LoadBalancerStateEnum::Active)
    );
    assert_eq!(
        balancer.scheme(),
        Some(&LoadBalancerSchemeEnum::InternetFacing)
    );
    assert_eq!(balancer.vpc_id(), vpc_id.as_str());
    assert_eq!(
        sorted(
            balancer
                .availability_zones()
                .iter()
                .filter_map(|zone| zone.subnet_id().map(str::to_string))
                .collect()
        ),
        public_subnets
    );
    assert_eq!(
        balancer.security_groups(),
        [alb_group.as_str().expect("security group id")]
    );
    assert_eq!(
        output(&workspace, &spec, "alb_dns_name"),
        balancer.dns_name().expect("DNS name")
    );
    assert_eq!(
        found.load_balancer_attributes["idle_timeout.timeout_seconds"],
        "120"
    );
    assert_eq!(
        found.load_balancer_attributes["deletion_protection.enabled"],
        "false"
    );
    let balancer_arn = balancer.load_balancer_arn().expect("ARN");
    assert_eq!(
        cloud.elb_tags(balancer_arn).get("provision:stack"),
        Some(&stack)
    );

    // The target group: ip targets on 3000, /health checks, lb_cookie stickiness.
    assert_eq!(found.target_groups.len(), 1, "{found:#?}");
    let group = &found.target_groups[0];
    let group_arn = group.target_group_arn().expect("ARN");
    assert_eq!(group.target_group_name(), Some("edgemind-dev-backend"));
    assert_eq!(group.port(), Some(3000));
    assert_eq!(group.protocol(), Some(&ProtocolEnum::Http));
    assert_eq!(group.target_type(), Some(&TargetTypeEnum::Ip));
    assert_eq!(group.vpc_id(), vpc_id.as_str());
    assert_eq!(group.health_check_path(), Some("/health"));
    assert_eq!(
        group.matcher().and_then(|matcher| matcher.http_code()),
        Some("200")
    );
    assert_eq!(group.health_check_interval_seconds(), Some(30));
    assert_eq!(group.health_check_timeout_seconds(), Some(5));
    assert_eq!(group.healthy_threshold_count(), Some(2));
    assert_eq!(group.unhealthy_threshold_count(), Some(3));
    let attributes = &found.target_group_attributes;
    assert_eq!(attributes["stickiness.enabled"], "true");
    assert_eq!(attributes["stickiness.type"], "lb_cookie");
    assert_eq!(attributes["stickiness.lb_cookie.duration_seconds"], "86400");
    assert_eq!(attributes["deregistration_delay.timeout_seconds"], "30");

    // Without a certificate: one HTTP listener forwarding to the target group.
    assert_eq!(
        found.listeners.keys().copied().collect::<Vec<_>>(),
        [80],
        "{found:#?}"
    );
    let http = &found.listeners[&80];
    assert_eq!(http.protocol(), Some(&ProtocolEnum::Http));
    let action = &http.default_actions()[0];
    assert_eq!(action.r#type(), Some(&ActionTypeEnum::Forward));
    assert_eq!(action.target_group_arn(), Some(group_arn));

    let no_changes = workspace.run_expecting(&["plan", &spec, "--env", "dev", "--exit-code"], 0);
    assert!(
        has_line_starting_with(&no_changes, "No changes."),
        "{}",
        text(&no_changes)
    );

    // With a certificate: HTTP redirects to HTTPS (updated in place), HTTPS forwards.
    let certificate = format!("certificate_arn={CERTIFICATE_ARN}");
    let with_certificate = [
        "plan",
        &spec,
        "--env",
        "dev",
        "--var",
        &certificate,
        "--json",
    ];
    let plan = json_output(&workspace.run_expecting(&with_certificate, 0));
    assert_eq!(
        plan["summary"],
        serde_json::json!({"import": 0, "add": 1, "change": 1, "destroy": 0}),
        "{plan:#}"
    );
    let https_apply = workspace.run_expecting(
        &[
            "apply",
            &spec,
            "--env",
            "dev",
            "--var",
            &certificate,
            "--yes",
        ],
        0,
    );
    assert!(
        has_line_starting_with(
            &https_apply,
            "Apply complete! Resources: 1 added, 1 changed, 0 destroyed."
        ),
        "{}",
        text(&https_apply)
    );
    let found = cloud.network_services();
    assert_eq!(
        found.listeners.keys().copied().collect::<Vec<_>>(),
        [80, 443],
        "{found:#?}"
    );
    assert_eq!(
        http.listener_arn(),
        found.listeners[&80].listener_arn(),
        "updated in place"
    );
    let redirect = &found.listeners[&80].default_actions()[0];
    assert_eq!(redirect.r#type(), Some(&ActionTypeEnum::Redirect));
    let config = redirect.redirect_config().expect("redirect config");
    assert_eq!(config.port(), Some("443"));
    assert_eq!(config.protocol(), Some("HTTPS"));
    assert_eq!(
        config.status_code(),
        Some(&RedirectActionStatusCodeEnum::Http301)
    );
    let https = &found.listeners[&443];
    assert_eq!(https.protocol(), Some(&ProtocolEnum::Https));
    assert_eq!(
        https.ssl_policy(),
        Some("ELBSecurityPolicy-TLS13-1-2-2021-06")
    );
    assert_eq!(
        https
            .certificates()
            .first()
            .and_then(|certificate| certificate.certificate_arn()),
        Some(CERTIFICATE_ARN)
    );
    let forward = &https.default_actions()[0];
    assert_eq!(forward.r#type(), Some(&ActionTypeEnum::Forward));
    assert_eq!(forward.target_group_arn(), Some(group_arn));
    let no_changes = workspace.run_expecting(
        &[
            "plan",
            &spec,
            "--env",
            "dev",
            "--var",
            &certificate,
            "--exit-code",
        ],
        0,
    );
    assert!(
        has_line_starting_with(&no_changes, "No changes."),
        "{}",
        text(&no_changes)
    );

    // Destroy: the mount targets are gone before their security group is deleted, and nothing
    // of the stack is left.
    let destroy = workspace.run_expecting(
        &[
            "destroy",
            &spec,
            "--env",
            "dev",
            "--var",
            &certificate,
            "--yes",
        ],
        0,
    );
    let destroy_text = text(&destroy);
    assert!(
        has_line_starting_with(
            &destroy,
            &format!(
                "Destroy complete! Resources: {} destroyed.",
                RESOURCE_COUNT + 1
            )
        ),
        "{destroy_text}"
    );
    let position = |line: &str| {
        destroy_text
            .find(line)
            .unwrap_or_else(|| panic!("`{line}` not in:\n{destroy_text}"))
    };
    let group_deleting = position("aws_security_group.efs: destroying...");
    for index in 0..2 {
        assert!(
            position(&format!(
                "aws_efs_mount_target.influxdb[{index}]: destroyed"
            )) < group_deleting,
            "{destroy_text}"
        );
    }
    assert!(
        position("aws_lb.backend: destroyed") < position("aws_security_group.alb: destroying..."),
        "{destroy_text}"
    );
    let remaining = cloud.network_services();
    assert!(remaining.is_empty(), "left behind: {remaining:#?}");
    let inventory = cloud.inventory(&stack);
    assert!(
        inventory.security_groups.is_empty(),
        "left behind: {}",
        inventory.summary()
    );
    assert!(inventory.is_empty(), "left behind: {}", inventory.summary());
}
