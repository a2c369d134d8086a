//! The EdgeMind network stack end to end against the emulator: plan, apply, every resource
//! checked with direct EC2 and CloudWatch Logs describe calls, a second plan with no changes, an in-place update (a
//! tag and a security group rule), a force-new change that replaces subnets, and destroy.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_ec2::types::{Filter, Tag, VpcAttributeName};
use provision_e2e::{
    edit_file, has_line_starting_with, json_output, tag_map, text, Cloud, Inventory, MotoServer,
    SecurityGroupRule, Workspace, EDGEMIND_DEV_RESOURCE_COUNT,
};
use serde_json::Value;

/// Resource instances of `specs/edgemind` in dev: VPC, 4 subnets, internet gateway, EIP, NAT
/// gateway, 2 route tables, 1 route, 4 associations, 4 security groups, 2 ingress and 2 egress
/// rules, 2 log groups; the network services (checked in `apply_creates_edgemind_services`);
/// the identity pieces (checked in `apply_creates_edgemind_identity`); the frontend (checked
/// in `apply_creates_edgemind_frontend`); the ECS services and their autoscaling (checked in
/// `apply_creates_edgemind`).
const RESOURCE_COUNT: usize = EDGEMIND_DEV_RESOURCE_COUNT;

const EVERYWHERE: &str = "0.0.0.0/0";

/// Every address of the stack, as `state list` prints them (sorted).
fn edgemind_addresses() -> BTreeSet<String> {
    [
        "aws_cloudfront_distribution.frontend",
        "aws_cloudfront_origin_access_control.frontend",
        "aws_appautoscaling_policy.backend_cpu",
        "aws_appautoscaling_policy.backend_memory",
        "aws_appautoscaling_target.backend",
        "aws_cloudwatch_log_group.backend",
        "aws_cloudwatch_log_group.influxdb",
        "aws_efs_access_point.influxdb",
        "aws_efs_file_system.influxdb",
        "aws_efs_mount_target.influxdb[0]",
        "aws_efs_mount_target.influxdb[1]",
        "aws_ecr_lifecycle_policy.backend",
        "aws_ecr_repository.backend",
        "aws_iam_policy.backend_bedrock",
        "aws_iam_role.backend_task",
        "aws_iam_role.influxdb_task",
        "aws_iam_role.task_execution",
        "aws_iam_role_policy.backend_secrets",
        "aws_iam_role_policy.task_execution_secrets",
        "aws_iam_role_policy_attachment.backend_bedrock",
        "aws_iam_role_policy_attachment.task_execution_managed",
        "aws_ecs_cluster.main",
        "aws_ecs_cluster_capacity_providers.main",
        "aws_ecs_service.backend",
        "aws_ecs_service.influxdb",
        "aws_ecs_task_definition.backend",
        "aws_ecs_task_definition.influxdb",
        "module.network.aws_eip.nat",
        "module.network.aws_internet_gateway.main",
        "aws_lb.backend",
        "aws_lb_listener.http",
        "aws_lb_target_group.backend",
        "module.network.aws_nat_gateway.main",
        "module.network.aws_route.private_nat",
        "module.network.aws_route_table.private",
        "module.network.aws_route_table.public",
        "module.network.aws_route_table_association.private[0]",
        "module.network.aws_route_table_association.private[1]",
        "module.network.aws_route_table_association.public[0]",
        "module.network.aws_route_table_association.public[1]",
        "aws_secretsmanager_secret.influxdb",
        "aws_secretsmanager_secret.mqtt",
        "aws_secretsmanager_secret_version.influxdb",
        "aws_secretsmanager_secret_version.mqtt",
        "aws_s3_bucket.frontend",
        "aws_s3_bucket.logs",
        "aws_s3_bucket_lifecycle_configuration.frontend",
        "aws_s3_bucket_lifecycle_configuration.logs",
        "aws_s3_bucket_ownership_controls.frontend",
        "aws_s3_bucket_ownership_controls.logs",
        "aws_s3_bucket_policy.frontend",
        "aws_s3_bucket_public_access_block.frontend",
        "aws_s3_bucket_public_access_block.logs",
        "aws_s3_bucket_server_side_encryption_configuration.frontend",
        "aws_s3_bucket_server_side_encryption_configuration.logs",
        "aws_s3_bucket_versioning.frontend",
        "aws_security_group.alb",
        "aws_security_group.backend",
        "aws_security_group.efs",
        "aws_security_group.influxdb",
        "aws_service_discovery_private_dns_namespace.main",
        "aws_service_discovery_service.influxdb",
        "module.network.aws_subnet.private[0]",
        "module.network.aws_subnet.private[1]",
        "module.network.aws_subnet.public[0]",
        "module.network.aws_subnet.public[1]",
        "module.network.aws_vpc.main",
        "aws_vpc_security_group_egress_rule.influxdb_https",
        "aws_vpc_security_group_egress_rule.influxdb_to_efs",
        "aws_vpc_security_group_ingress_rule.efs_from_influxdb",
        "aws_vpc_security_group_ingress_rule.influxdb_from_backend",
        "random_password.influxdb_admin_password",
        "random_password.influxdb_token",
    ]
    .into_iter()
    .map(str::to_string)
    .collect()
}

/// What the network should look like at one step of the test.
struct Expected<'a> {
    stack: &'a str,
    /// `cidrsubnet` index of the first private subnet (10 in the spec, 20 after the edit).
    private_subnet_offset: u8,
    /// Ports the ALB accepts from the internet.
    alb_ports: &'a [i32],
}

/// Ids of the resources found, to compare across updates.
#[derive(Debug)]
struct NetworkIds {
    vpc: String,
    public_subnets: Vec<String>,
    private_subnets: Vec<String>,
    alb_security_group: String,
}

#[test]
fn apply_update_replace_and_destroy_the_edgemind_network() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let spec = workspace.copy_spec("specs/edgemind");
    let stack = format!("{spec}/dev");
    let default_vpcs = cloud.default_vpc_ids();
    assert_eq!(
        default_vpcs.len(),
        1,
        "the emulator starts with a default VPC"
    );

    // Plan from empty state: everything is created.
    let plan = workspace.run_expecting(&["plan", &spec, "--env", "dev"], 0);
    assert!(
        has_line_starting_with(
            &plan,
            &format!("Plan: {RESOURCE_COUNT} to add, 0 to change, 0 to destroy.")
        ),
        "{}",
        text(&plan)
    );
    let plan_json =
        json_output(&workspace.run_expecting(&["plan", &spec, "--env", "dev", "--json"], 0));
    assert_eq!(plan_json["format_version"], "1");
    assert_eq!(
        plan_json["summary"],
        serde_json::json!({"import": 0, "add": RESOURCE_COUNT, "change": 0, "destroy": 0})
    );
    let planned: BTreeSet<String> = changes(&plan_json)
        .iter()
        .map(|change| {
            assert_eq!(change["action"], "create", "{change}");
            change["address"].as_str().expect("address").to_string()
        })
        .collect();
    assert_eq!(planned, edgemind_addresses());

    // Apply, then check every resource in the emulator.
    let apply = workspace.run_expecting(&["apply", &spec, "--env", "dev", "--yes"], 0);
    assert!(
        has_line_starting_with(
            &apply,
            &format!("Apply complete! Resources: {RESOURCE_COUNT} added, 0 changed, 0 destroyed.")
        ),
        "{}",
        text(&apply)
    );
    let expected = Expected {
        stack: &stack,
        private_subnet_offset: 10,
        alb_ports: &[80, 443],
    };
    let created = check_network(&cloud, &cloud.inventory(&stack), &expected);

    let state: BTreeSet<String> = workspace
        .state_list(&[&spec, "--env", "dev"])
        .into_iter()
        .collect();
    assert_eq!(state, edgemind_addresses());
    let vpc_output = json_output(
        &workspace.run_expecting(&["output", "vpc_id", &spec, "--env", "dev", "--json"], 0),
    );
    assert_eq!(vpc_output, Value::String(created.vpc.clone()));
    let public_output = json_output(&workspace.run_expecting(
        &[
            "output",
            "public_subnet_ids",
            &spec,
            "--env",
            "dev",
            "--json",
        ],
        0,
    ));
    assert_eq!(public_output, serde_json::json!(created.public_subnets));

    // A second plan finds nothing to do.
    let no_changes = workspace.run_expecting(&["plan", &spec, "--env", "dev", "--exit-code"], 0);
    assert!(
        has_line_starting_with(&no_changes, "No changes."),
        "{}",
        text(&no_changes)
    );

    // Edit a tag on the VPC and open port 8443 on the ALB: both update in place.
    // The network is the shared module's (copied beside the spec).
    let network_file = format!("{spec}/../modules/network/main.tf");
    let security_file = format!("{spec}/security.tf");
    edit_file(
        &network_file,
        "    Name = \"${var.name_prefix}-vpc\"\n",
        "    Name = \"${var.name_prefix}-vpc\"\n    Team = \"iot-platform\"\n",
    );
    edit_file(
        &security_file,
        "  ingress {\n    description = \"HTTPS from the internet\"\n",
        "  ingress {\n    description = \"Alternative HTTPS from the internet\"\n    \
         from_port   = 8443\n    to_port     = 8443\n    protocol    = \"tcp\"\n    \
         cidr_blocks = [\"0.0.0.0/0\"]\n  }\n\n  \
         ingress {\n    description = \"HTTPS from the internet\"\n",
    );
    let update_plan =
        json_output(&workspace.run_expecting(&["plan", &spec, "--env", "dev", "--json"], 0));
    assert_eq!(
        update_plan["summary"],
        serde_json::json!({"import": 0, "add": 0, "change": 2, "destroy": 0}),
        "{update_plan:#}"
    );
    assert_eq!(
        change(&update_plan, "module.network.aws_vpc.main")["action"],
        "update"
    );
    assert_eq!(
        change(&update_plan, "aws_security_group.alb")["action"],
        "update"
    );
    let update = workspace.run_expecting(&["apply", &spec, "--env", "dev", "--yes"], 0);
    assert!(
        has_line_starting_with(
            &update,
            "Apply complete! Resources: 0 added, 2 changed, 0 destroyed."
        ),
        "{}",
        text(&update)
    );
    let updated_inventory = cloud.inventory(&stack);
    let updated = check_network(
        &cloud,
        &updated_inventory,
        &Expected {
            alb_ports: &[80, 443, 8443],
            ..expected
        },
    );
    assert_eq!(
        updated.vpc, created.vpc,
        "a tag change updates the VPC in place"
    );
    assert_eq!(
        updated.alb_security_group, created.alb_security_group,
        "a rule change updates the security group in place"
    );
    assert_eq!(
        tag_map(updated_inventory.vpcs[0].tags())
            .get("Team")
            .map(String::as_str),
        Some("iot-platform")
    );
    workspace.run_expecting(&["plan", &spec, "--env", "dev", "--exit-code"], 0);

    // Move the private subnets: `cidr_block` forces replacement of them and of their route table
    // associations and EFS mount targets (whose `subnet_id` becomes unknown); the two ECS
    // services move to the new subnets in place.
    edit_file(&network_file, "count.index + 10)", "count.index + 20)");
    let replace_plan =
        json_output(&workspace.run_expecting(&["plan", &spec, "--env", "dev", "--json"], 0));
    assert_eq!(
        replace_plan["summary"],
        serde_json::json!({"import": 0, "add": 6, "change": 2, "destroy": 6}),
        "{replace_plan:#}"
    );
    for index in 0..2 {
        let subnet = change(
            &replace_plan,
            &format!("module.network.aws_subnet.private[{index}]"),
        );
        assert_eq!(subnet["action"], "replace", "{subnet:#}");
        assert!(
            subnet["replace_reasons"].to_string().contains("cidr_block"),
            "the replacement must say `cidr_block` forces it: {subnet:#}"
        );
        let cidr_change = subnet["attribute_changes"]
            .as_array()
            .expect("attribute_changes")
            .iter()
            .find(|attribute| attribute["name"] == "cidr_block")
            .unwrap_or_else(|| panic!("no cidr_block change in {subnet:#}"));
        assert_eq!(cidr_change["before"], format!("10.0.{}.0/24", 10 + index));
        assert_eq!(cidr_change["after"], format!("10.0.{}.0/24", 20 + index));
        assert_eq!(cidr_change["forces_replacement"], true);
        let association = change(
            &replace_plan,
            &format!("module.network.aws_route_table_association.private[{index}]"),
        );
        assert_eq!(association["action"], "replace", "{association:#}");
        let mount_target = change(
            &replace_plan,
            &format!("aws_efs_mount_target.influxdb[{index}]"),
        );
        assert_eq!(mount_target["action"], "replace", "{mount_target:#}");
    }
    let replace = workspace.run_expecting(&["apply", &spec, "--env", "dev", "--yes"], 0);
    assert!(
        has_line_starting_with(
            &replace,
            "Apply complete! Resources: 6 added, 2 changed, 6 destroyed."
        ),
        "{}",
        text(&replace)
    );
    let replaced = check_network(
        &cloud,
        &cloud.inventory(&stack),
        &Expected {
            private_subnet_offset: 20,
            alb_ports: &[80, 443, 8443],
            ..expected
        },
    );
    assert_eq!(replaced.vpc, created.vpc);
    assert_eq!(replaced.public_subnets, created.public_subnets);
    for (old, new) in created
        .private_subnets
        .iter()
        .zip(&replaced.private_subnets)
    {
        assert_ne!(old, new, "a new cidr_block makes a new subnet");
        assert!(
            !subnet_exists(&cloud, old),
            "the replaced subnet {old} must be gone"
        );
    }
    workspace.run_expecting(&["plan", &spec, "--env", "dev", "--exit-code"], 0);

    // Destroy: nothing of the stack is left, the default VPC is untouched.
    let destroy = workspace.run_expecting(&["destroy", &spec, "--env", "dev", "--yes"], 0);
    assert!(
        has_line_starting_with(
            &destroy,
            &format!("Destroy complete! Resources: {RESOURCE_COUNT} destroyed.")
        ),
        "{}",
        text(&destroy)
    );
    let remaining = cloud.inventory(&stack);
    assert!(remaining.is_empty(), "left behind: {}", remaining.summary());
    let log_groups = cloud.block_on(async {
        cloud
            .logs
            .describe_log_groups()
            .send()
            .await
            .expect("DescribeLogGroups")
            .log_groups
            .unwrap_or_default()
    });
    assert!(
        log_groups.is_empty(),
        "log groups left behind: {log_groups:?}"
    );
    assert_eq!(cloud.non_default_vpc_ids(), Vec::<String>::new());
    assert_eq!(cloud.default_vpc_ids(), default_vpcs);
    assert_eq!(
        workspace.state_list(&[&spec, "--env", "dev"]),
        Vec::<String>::new()
    );
}

/// The `changes` array of a plan in JSON.
fn changes(plan: &Value) -> &Vec<Value> {
    plan["changes"].as_array().expect("changes array in plan")
}

/// The change of one address in a plan in JSON.
fn change<'a>(plan: &'a Value, address: &str) -> &'a Value {
    changes(plan)
        .iter()
        .find(|change| change["address"] == address)
        .unwrap_or_else(|| panic!("no change for {address} in {plan:#}"))
}

fn subnet_exists(cloud: &Cloud, subnet_id: &str) -> bool {
    cloud.block_on(async {
        let subnets = cloud
            .ec2
            .describe_subnets()
            .filters(
                Filter::builder()
                    .name("subnet-id")
                    .values(subnet_id)
                    .build(),
            )
            .send()
            .await
            .expect("DescribeSubnets");
        !subnets.subnets().is_empty()
    })
}

/// Checks the tags every resource of the stack carries: its Name, the provider's default tags,
/// dev's extra tags, and the `provision:*` tags.
fn assert_tags(tags: &[Tag], stack: &str, address: &str, name: &str) {
    let tags = tag_map(tags);
    let expected: BTreeMap<&str, &str> = BTreeMap::from([
        ("Name", name),
        ("Project", "edgemind"),
        ("Environment", "dev"),
        ("ManagedBy", "provision"),
        ("Owner", "edgemind-dev"),
        ("CostCenter", "edgemind-development"),
        ("provision:stack", stack),
        ("provision:address", address),
    ]);
    for (key, value) in expected {
        assert_eq!(
            tags.get(key).map(String::as_str),
            Some(value),
            "tag {key} of {address}: {tags:?}"
        );
    }
}

/// Checks every resource of the network in `inventory` (and with further describe calls) and
/// returns the ids found.
fn check_network(cloud: &Cloud, inventory: &Inventory, expected: &Expected) -> NetworkIds {
    let stack = expected.stack;
    assert_eq!(inventory.vpcs.len(), 1, "{}", inventory.summary());
    assert_eq!(inventory.subnets.len(), 4, "{}", inventory.summary());
    assert_eq!(
        inventory.internet_gateways.len(),
        1,
        "{}",
        inventory.summary()
    );
    assert_eq!(inventory.elastic_ips.len(), 1, "{}", inventory.summary());
    assert_eq!(inventory.nat_gateways.len(), 1, "{}", inventory.summary());
    assert_eq!(inventory.route_tables.len(), 2, "{}", inventory.summary());
    assert_eq!(
        inventory.security_groups.len(),
        4,
        "{}",
        inventory.summary()
    );
    assert_eq!(inventory.log_groups.len(), 2, "{}", inventory.summary());

    // Log groups: the ECS names, 7 days of retention (the variable's default), tags.
    for service in ["backend", "influxdb"] {
        let address = format!("aws_cloudwatch_log_group.{service}");
        let group = inventory.log_group(&address);
        assert_eq!(
            group.log_group_name(),
            Some(format!("/ecs/edgemind-dev-{service}").as_str())
        );
        assert_eq!(group.retention_in_days(), Some(7), "{group:?}");
        let tags = &inventory
            .log_groups
            .iter()
            .find(|entry| entry.group.log_group_name() == group.log_group_name())
            .expect("tags")
            .tags;
        assert_eq!(
            tags.get("Name").map(String::as_str),
            Some(format!("edgemind-dev-{service}-logs").as_str())
        );
        assert_eq!(tags.get("ManagedBy").map(String::as_str), Some("provision"));
        assert_eq!(tags.get("provision:stack").map(String::as_str), Some(stack));
    }

    // VPC: CIDR and DNS attributes.
    let vpc = &inventory.vpcs[0];
    let vpc_id = vpc.vpc_id().expect("vpc id").to_string();
    assert_eq!(vpc.cidr_block(), Some("10.0.0.0/16"));
    assert_tags(
        vpc.tags(),
        stack,
        "module.network.aws_vpc.main",
        "edgemind-dev-vpc",
    );
    for attribute in [
        VpcAttributeName::EnableDnsSupport,
        VpcAttributeName::EnableDnsHostnames,
    ] {
        let answer = cloud.block_on(async {
            cloud
                .ec2
                .describe_vpc_attribute()
                .vpc_id(&vpc_id)
                .attribute(attribute.clone())
                .send()
                .await
                .expect("DescribeVpcAttribute")
        });
        let enabled = match attribute {
            VpcAttributeName::EnableDnsSupport => answer.enable_dns_support(),
            _ => answer.enable_dns_hostnames(),
        }
        .and_then(|value| value.value());
        assert_eq!(enabled, Some(true), "{attribute:?} of the VPC");
    }

    // Subnets: one public and one private per zone, carved out of the VPC.
    let zones = ["us-east-1a", "us-east-1b"];
    let mut public_subnets = Vec::new();
    let mut private_subnets = Vec::new();
    for (index, zone) in zones.iter().enumerate() {
        for (tier, offset, ids) in [
            ("public", 0, &mut public_subnets),
            (
                "private",
                expected.private_subnet_offset,
                &mut private_subnets,
            ),
        ] {
            let address = format!("module.network.aws_subnet.{tier}[{index}]");
            let subnet = inventory.subnet(&address);
            assert_eq!(subnet.vpc_id(), Some(vpc_id.as_str()), "{address}");
            assert_eq!(
                subnet.cidr_block(),
                Some(format!("10.0.{}.0/24", offset as usize + index).as_str()),
                "{address}"
            );
            assert_eq!(subnet.availability_zone(), Some(*zone), "{address}");
            assert_eq!(
                subnet.map_public_ip_on_launch(),
                Some(tier == "public"),
                "map_public_ip_on_launch of {address}"
            );
            assert_tags(
                subnet.tags(),
                stack,
                &address,
                &format!("edgemind-dev-{tier}-{zone}"),
            );
            ids.push(subnet.subnet_id().expect("subnet id").to_string());
        }
    }

    // Internet gateway attached to the VPC.
    let gateway = &inventory.internet_gateways[0];
    let gateway_id = gateway.internet_gateway_id().expect("igw id").to_string();
    assert_tags(
        gateway.tags(),
        stack,
        "module.network.aws_internet_gateway.main",
        "edgemind-dev-igw",
    );
    let attached: Vec<&str> = gateway
        .attachments()
        .iter()
        .filter_map(|attachment| attachment.vpc_id())
        .collect();
    assert_eq!(
        attached,
        vec![vpc_id.as_str()],
        "internet gateway attachment"
    );

    // EIP and NAT gateway in the first public subnet.
    let elastic_ip = &inventory.elastic_ips[0];
    assert_eq!(
        elastic_ip.domain(),
        Some(&aws_sdk_ec2::types::DomainType::Vpc)
    );
    assert_tags(
        elastic_ip.tags(),
        stack,
        "module.network.aws_eip.nat",
        "edgemind-dev-nat-eip",
    );
    let allocation_id = elastic_ip.allocation_id().expect("allocation id");
    let nat = &inventory.nat_gateways[0];
    let nat_id = nat.nat_gateway_id().expect("nat id").to_string();
    assert_eq!(nat.subnet_id(), Some(public_subnets[0].as_str()));
    assert_eq!(nat.vpc_id(), Some(vpc_id.as_str()));
    let nat_allocations: Vec<&str> = nat
        .nat_gateway_addresses()
        .iter()
        .filter_map(|address| address.allocation_id())
        .collect();
    assert_eq!(
        nat_allocations,
        vec![allocation_id],
        "the NAT gateway's EIP"
    );
    assert_tags(
        nat.tags(),
        stack,
        "module.network.aws_nat_gateway.main",
        "edgemind-dev-nat",
    );

    // Route tables: default routes and associations.
    for (tier, subnets) in [("public", &public_subnets), ("private", &private_subnets)] {
        let address = format!("module.network.aws_route_table.{tier}");
        let table = inventory.route_table(&address);
        assert_eq!(table.vpc_id(), Some(vpc_id.as_str()));
        assert_tags(
            table.tags(),
            stack,
            &address,
            &format!("edgemind-dev-{tier}-rt"),
        );
        let default_routes: Vec<(Option<&str>, Option<&str>)> = table
            .routes()
            .iter()
            .filter(|route| route.destination_cidr_block() == Some(EVERYWHERE))
            .map(|route| (route.gateway_id(), route.nat_gateway_id()))
            .collect();
        let expected_route = if tier == "public" {
            (Some(gateway_id.as_str()), None)
        } else {
            (None, Some(nat_id.as_str()))
        };
        assert_eq!(
            default_routes,
            vec![expected_route],
            "default route of {address}"
        );
        let associated: BTreeSet<&str> = table
            .associations()
            .iter()
            .filter(|association| association.main() != Some(true))
            .filter_map(|association| association.subnet_id())
            .collect();
        let expected_subnets: BTreeSet<&str> = subnets.iter().map(String::as_str).collect();
        assert_eq!(associated, expected_subnets, "associations of {address}");
    }

    // Security groups: names and rules exactly as the spec declares. A VPC group's default
    // allow-all egress rule is removed on create, as Terraform does, so only declared egress
    // rules remain.
    let group_id = |name: &str| {
        inventory
            .security_group(&format!("aws_security_group.{name}"))
            .group_id()
            .expect("group id")
            .to_string()
    };
    let alb = group_id("alb");
    let backend = group_id("backend");
    let influxdb = group_id("influxdb");
    let efs = group_id("efs");
    let tcp = SecurityGroupRule::tcp;
    let expected_rules = [
        (
            "alb",
            expected
                .alb_ports
                .iter()
                .map(|port| tcp(*port, EVERYWHERE))
                .collect::<BTreeSet<_>>(),
            BTreeSet::from([SecurityGroupRule::all_traffic(EVERYWHERE)]),
        ),
        (
            "backend",
            BTreeSet::from([tcp(3000, &alb), tcp(8080, &alb)]),
            BTreeSet::from([SecurityGroupRule::all_traffic(EVERYWHERE)]),
        ),
        (
            "influxdb",
            BTreeSet::from([tcp(8086, &backend)]),
            BTreeSet::from([tcp(443, EVERYWHERE), tcp(2049, &efs)]),
        ),
        (
            "efs",
            BTreeSet::from([tcp(2049, &influxdb)]),
            BTreeSet::new(),
        ),
    ];
    for (name, ingress, egress) in expected_rules {
        let address = format!("aws_security_group.{name}");
        let group = inventory.security_group(&address);
        assert_eq!(
            group.group_name(),
            Some(format!("edgemind-dev-{name}").as_str())
        );
        assert_eq!(group.vpc_id(), Some(vpc_id.as_str()));
        assert_tags(
            group.tags(),
            stack,
            &address,
            &format!("edgemind-dev-{name}"),
        );
        assert_eq!(
            SecurityGroupRule::from_permissions(group.ip_permissions()),
            ingress,
            "ingress rules of {address}"
        );
        assert_eq!(
            SecurityGroupRule::from_permissions(group.ip_permissions_egress()),
            egress,
            "egress rules of {address}"
        );
    }

    NetworkIds {
        vpc: vpc_id,
        public_subnets,
        private_subnets,
        alb_security_group: alb,
    }
}
