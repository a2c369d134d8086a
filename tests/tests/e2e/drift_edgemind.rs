//! `provision drift` over the applied EdgeMind network: in sync at first (exit 0, nothing printed
//! with --quiet), then drift made by hand with direct EC2 calls (a rule added to a security
//! group (and, as AWS requires before deleting a group others refer to, the rules referring to
//! it removed), a subnet tag changed, a route deleted, a whole security group deleted, a log
//! group's retention changed with PutRetentionPolicy, and a VPC created with the stack's
//! `provision:stack` tag) is reported once each with the right kind and values (exit 2);
//! `plan --refresh` then `apply` puts it back and drift is clean again. Errors (unreachable
//! endpoint, bad spec, no state, lock held past --lock-timeout) exit 1.

use aws_sdk_ec2::types::{IpPermission, IpRange, Tag, TagSpecification};
use provision_e2e::{
    json_output, tag_map, text, Cloud, MotoServer, Workspace, EDGEMIND_DEV_RESOURCE_COUNT,
    STACK_TAG,
};
use serde_json::Value;

/// Resource instances of the EdgeMind spec in dev.
const RESOURCE_COUNT: usize = EDGEMIND_DEV_RESOURCE_COUNT;
/// The backend's log group in the dev environment, and its retention in the spec.
const BACKEND_LOG_GROUP: &str = "/ecs/edgemind-dev-backend";
const BACKEND_RETENTION: i32 = 7;

/// The findings of a drift report in JSON, as `(kind, address)`, sorted.
fn kinds_and_addresses(report: &Value) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = report["drift"]
        .as_array()
        .expect("drift array")
        .iter()
        .map(|finding| {
            (
                finding["kind"].as_str().unwrap_or_default().to_string(),
                finding["address"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    found.sort();
    found
}

fn finding<'a>(report: &'a Value, kind: &str, address: &str) -> &'a Value {
    report["drift"]
        .as_array()
        .expect("drift array")
        .iter()
        .find(|finding| finding["kind"] == kind && finding["address"] == address)
        .unwrap_or_else(|| panic!("no {kind} finding for {address} in {report:#}"))
}

#[test]
fn drift_is_reported_once_each_and_plan_refresh_then_apply_puts_it_back() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let spec = workspace.copy_spec("specs/edgemind");
    let stack = format!("{spec}/dev");
    workspace.run_expecting(&["apply", &spec, "--env", "dev", "--yes"], 0);

    // In sync: exit 0, nothing on stdout with --quiet.
    let quiet = workspace.run_expecting(&["drift", &spec, "--env", "dev", "--quiet"], 0);
    assert_eq!(
        String::from_utf8_lossy(&quiet.stdout),
        "",
        "{}",
        text(&quiet)
    );
    let clean =
        json_output(&workspace.run_expecting(&["drift", &spec, "--env", "dev", "--json"], 0));
    assert_eq!(clean["format_version"], "1");
    assert_eq!(clean["in_sync"], true, "{clean:#}");
    assert_eq!(clean["summary"]["checked"], RESOURCE_COUNT);
    assert_eq!(clean["drift"], serde_json::json!([]));
    assert_eq!(clean["spec_changes"], serde_json::json!([]));

    // Drift, by hand.
    let inventory = cloud.inventory(&stack);
    let backend = inventory
        .security_group("aws_security_group.backend")
        .group_id()
        .expect("backend group id")
        .to_string();
    let alb = inventory
        .security_group("aws_security_group.alb")
        .group_id()
        .expect("alb group id")
        .to_string();
    let public_subnet = inventory
        .subnet("module.network.aws_subnet.public[0]")
        .subnet_id()
        .expect("subnet id")
        .to_string();
    let private_table = inventory
        .route_table("module.network.aws_route_table.private")
        .route_table_id()
        .expect("route table id")
        .to_string();
    let extra_vpc = cloud.block_on(async {
        let ec2 = &cloud.ec2;
        ec2.authorize_security_group_ingress()
            .group_id(&backend)
            .ip_permissions(
                IpPermission::builder()
                    .ip_protocol("tcp")
                    .from_port(22)
                    .to_port(22)
                    .ip_ranges(IpRange::builder().cidr_ip("10.0.0.0/8").build())
                    .build(),
            )
            .send()
            .await
            .expect("AuthorizeSecurityGroupIngress");
        ec2.create_tags()
            .resources(&public_subnet)
            .tags(Tag::builder().key("Tier").value("dmz").build())
            .send()
            .await
            .expect("CreateTags");
        ec2.delete_route()
            .route_table_id(&private_table)
            .destination_cidr_block("0.0.0.0/0")
            .send()
            .await
            .expect("DeleteRoute");
        // AWS refuses to delete a group other groups' rules refer to, so whoever deletes the
        // ALB group by hand first removes the backend's rules from it (moto would not refuse,
        // and would then fail to revoke a rule naming the deleted group).
        let backend_group = ec2
            .describe_security_groups()
            .group_ids(&backend)
            .send()
            .await
            .expect("DescribeSecurityGroups");
        let from_alb: Vec<IpPermission> = backend_group.security_groups()[0]
            .ip_permissions()
            .iter()
            .filter(|permission| !permission.user_id_group_pairs().is_empty())
            .cloned()
            .collect();
        ec2.revoke_security_group_ingress()
            .group_id(&backend)
            .set_ip_permissions(Some(from_alb))
            .send()
            .await
            .expect("RevokeSecurityGroupIngress");
        ec2.delete_security_group()
            .group_id(&alb)
            .send()
            .await
            .expect("DeleteSecurityGroup");
        cloud
            .logs
            .put_retention_policy()
            .log_group_name(BACKEND_LOG_GROUP)
            .retention_in_days(1)
            .send()
            .await
            .expect("PutRetentionPolicy");
        ec2.create_vpc()
            .cidr_block("10.99.0.0/16")
            .tag_specifications(
                TagSpecification::builder()
                    .resource_type(aws_sdk_ec2::types::ResourceType::Vpc)
                    .tags(Tag::builder().key(STACK_TAG).value(&stack).build())
                    .tags(Tag::builder().key("Name").value("made-by-hand").build())
                    .build(),
            )
            .send()
            .await
            .expect("CreateVpc")
            .vpc()
            .and_then(|vpc| vpc.vpc_id())
            .expect("new VPC id")
            .to_string()
    });

    // Each drift reported exactly once, with the right kind and values.
    let drifted = workspace.run_expecting(&["drift", &spec, "--env", "dev", "--json"], 2);
    let report = json_output(&drifted);
    assert_eq!(report["in_sync"], false);
    assert_eq!(
        kinds_and_addresses(&report),
        [
            ("deleted", "aws_security_group.alb"),
            ("deleted", "module.network.aws_route.private_nat"),
            ("modified", "aws_cloudwatch_log_group.backend"),
            ("modified", "aws_security_group.backend"),
            ("modified", "module.network.aws_subnet.public[0]"),
            ("unmanaged", ""),
        ]
        .map(|(kind, address)| (kind.to_string(), address.to_string())),
        "{report:#}"
    );
    assert_eq!(
        report["summary"],
        serde_json::json!({"checked": RESOURCE_COUNT, "modified": 3, "deleted": 2, "unmanaged": 1, "spec_changes": 0})
    );
    let log_group = finding(&report, "modified", "aws_cloudwatch_log_group.backend");
    assert_eq!(log_group["id"], BACKEND_LOG_GROUP);
    let attributes = log_group["attributes"].as_array().expect("attributes");
    assert_eq!(attributes.len(), 1, "{log_group:#}");
    assert_eq!(attributes[0]["attribute"], "retention_in_days");
    assert_eq!(attributes[0]["expected"], BACKEND_RETENTION);
    assert_eq!(attributes[0]["actual"], 1);
    let subnet = finding(&report, "modified", "module.network.aws_subnet.public[0]");
    assert_eq!(subnet["id"], public_subnet.as_str());
    let attributes = subnet["attributes"].as_array().expect("attributes");
    assert_eq!(attributes.len(), 1, "{subnet:#}");
    assert_eq!(attributes[0]["attribute"], "tags");
    assert_eq!(attributes[0]["expected"]["Tier"], "public");
    assert_eq!(attributes[0]["actual"]["Tier"], "dmz");
    let group = finding(&report, "modified", "aws_security_group.backend");
    let attributes = group["attributes"].as_array().expect("attributes");
    assert_eq!(attributes.len(), 1, "{group:#}");
    assert_eq!(attributes[0]["attribute"], "ingress");
    assert_eq!(attributes[0]["expected"].as_array().map(Vec::len), Some(2));
    let actual_rules = attributes[0]["actual"].as_array().expect("actual rules");
    assert_eq!(actual_rules.len(), 1, "{group:#}");
    assert!(
        actual_rules.iter().any(|rule| rule["from_port"] == 22
            && rule["cidr_blocks"] == serde_json::json!(["10.0.0.0/8"])),
        "the rule added by hand is among the actual rules: {group:#}"
    );
    assert_eq!(
        finding(&report, "deleted", "aws_security_group.alb")["id"],
        alb.as_str()
    );
    let unmanaged = finding(&report, "unmanaged", "");
    assert_eq!(unmanaged["type"], "aws_vpc");
    assert_eq!(unmanaged["id"], extra_vpc.as_str());

    // The human report says the same; --quiet does not hide drift.
    let human = workspace.run_expecting(&["drift", &spec, "--env", "dev", "--quiet"], 2);
    let human_text = String::from_utf8_lossy(&human.stdout).to_string();
    for expected in [
        "module.network.aws_subnet.public[0]",
        "tags:",
        "module.network.aws_route.private_nat",
        "deleted",
        &extra_vpc,
        "aws_cloudwatch_log_group.backend",
        "retention_in_days",
        "Drift: 3 modified, 2 deleted, 1 unmanaged.",
    ] {
        assert!(
            human_text.contains(expected),
            "`{expected}` missing from:\n{human_text}"
        );
    }

    // Recorded: history lists the drift runs, --since summarises them without reading the cloud.
    let history = workspace.run_expecting(&["history", &spec, "--env", "dev"], 0);
    assert!(
        String::from_utf8_lossy(&history.stdout)
            .lines()
            .filter(|line| line.contains(" drift "))
            .count()
            >= 4,
        "{}",
        text(&history)
    );
    let since = json_output(&workspace.run_expecting(
        &["drift", &spec, "--env", "dev", "--since", "1h", "--json"],
        0,
    ));
    assert_eq!(since["checks"], 4, "{since:#}");
    assert_eq!(since["checks_with_drift"], 2, "{since:#}");
    let tags = since["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .find(|summary| summary["address"] == "module.network.aws_subnet.public[0]")
        .unwrap_or_else(|| panic!("subnet missing from the summary: {since:#}"));
    assert_eq!(tags["checks"], 2);
    assert_eq!(tags["attributes"], serde_json::json!(["tags"]));

    // plan --refresh plans against the cloud; apply of that saved plan puts the drift back.
    let plan = workspace.run_expecting(&["plan", &spec, "--env", "dev", "--refresh"], 0);
    let plan_text = text(&plan);
    assert!(
        plan_text.contains(&format!(
            "Refreshed {RESOURCE_COUNT} resources from the cloud: 3 changed outside provision, \
             2 deleted."
        )),
        "{plan_text}"
    );
    assert!(
        plan_text.contains(&extra_vpc),
        "the unmanaged VPC is named: {plan_text}"
    );
    let apply = workspace.run_expecting(&["apply", "--yes"], 0);
    assert!(text(&apply).contains("Apply complete!"), "{}", text(&apply));

    let restored = cloud.inventory(&stack);
    assert_eq!(
        tag_map(
            restored
                .subnet("module.network.aws_subnet.public[0]")
                .tags()
        )
        .get("Tier")
        .map(String::as_str),
        Some("public")
    );
    assert_eq!(
        restored
            .log_group("aws_cloudwatch_log_group.backend")
            .retention_in_days(),
        Some(BACKEND_RETENTION),
        "the retention is put back"
    );
    let new_alb = restored.security_group("aws_security_group.alb");
    assert_ne!(
        new_alb.group_id(),
        Some(alb.as_str()),
        "the deleted group is made anew"
    );
    let backend_rules = provision_e2e::SecurityGroupRule::from_permissions(
        restored
            .security_group("aws_security_group.backend")
            .ip_permissions(),
    );
    let new_alb_id = new_alb.group_id().expect("new alb id");
    assert_eq!(
        backend_rules.into_iter().collect::<Vec<_>>(),
        [
            provision_e2e::SecurityGroupRule::tcp(3000, new_alb_id),
            provision_e2e::SecurityGroupRule::tcp(8080, new_alb_id),
        ],
        "the rule added by hand is revoked, and the rules point at the new ALB group"
    );
    let routes = restored
        .route_table("module.network.aws_route_table.private")
        .routes();
    assert!(
        routes
            .iter()
            .any(|route| route.destination_cidr_block() == Some("0.0.0.0/0")
                && route.nat_gateway_id().is_some()),
        "the NAT route is back: {routes:?}"
    );

    // The unmanaged VPC is the operator's to remove (apply never touches what state does not
    // know); once it is gone, drift is clean again.
    let still_unmanaged =
        json_output(&workspace.run_expecting(&["drift", &spec, "--env", "dev", "--json"], 2));
    assert_eq!(
        kinds_and_addresses(&still_unmanaged),
        [("unmanaged".to_string(), String::new())],
        "{still_unmanaged:#}"
    );
    cloud.block_on(async {
        cloud
            .ec2
            .delete_vpc()
            .vpc_id(&extra_vpc)
            .send()
            .await
            .expect("DeleteVpc")
    });
    let quiet = workspace.run_expecting(&["drift", &spec, "--env", "dev", "--quiet"], 0);
    assert_eq!(
        String::from_utf8_lossy(&quiet.stdout),
        "",
        "{}",
        text(&quiet)
    );
    workspace.run_expecting(&["plan", &spec, "--env", "dev", "--exit-code"], 0);
}

#[test]
fn drift_errors_exit_1_with_a_clear_message() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let spec = workspace.copy_spec("specs/edgemind");

    // No state yet: nothing to check is an error for cron to see.
    let no_state = workspace.run_expecting(&["drift", &spec, "--env", "dev"], 1);
    assert!(
        text(&no_state).contains("nothing has been applied"),
        "{}",
        text(&no_state)
    );

    workspace.run_expecting(&["apply", &spec, "--env", "dev", "--yes"], 0);

    // Unreachable endpoint.
    let unreachable = workspace
        .command(&["drift", &spec, "--env", "dev"])
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:1")
        .output()
        .expect("run provision");
    assert_eq!(unreachable.status.code(), Some(1), "{}", text(&unreachable));
    let message = String::from_utf8_lossy(&unreachable.stderr);
    assert!(
        message.contains("cannot reach AWS at http://127.0.0.1:1"),
        "{message}"
    );
    assert_eq!(String::from_utf8_lossy(&unreachable.stdout), "");

    // Lock held by a live process past --lock-timeout.
    let mut store = provision_state::Store::open(&workspace.state_path()).expect("open state");
    let stack = format!("{spec}/dev");
    let holder = provision_state::LockHolder::current("provision apply (test)");
    let lock = store.acquire_lock(&stack, &holder).expect("take the lock");
    let locked =
        workspace.run_expecting(&["drift", &spec, "--env", "dev", "--lock-timeout", "1s"], 1);
    assert!(
        text(&locked).contains("is locked by provision apply (test)"),
        "{}",
        text(&locked)
    );
    store
        .release_lock(&stack, &lock.token)
        .expect("release the lock");
    workspace.run_expecting(&["drift", &spec, "--env", "dev", "--quiet"], 0);

    // A bad spec.
    provision_e2e::edit_file(
        format!("{spec}/../modules/network/main.tf"),
        "cidr_block           = var.vpc_cidr",
        "cidr_blok = var.vpc_cidr",
    );
    let bad = workspace.run_expecting(&["drift", &spec, "--env", "dev"], 1);
    assert!(
        text(&bad).contains("unknown attribute `cidr_blok`"),
        "{}",
        text(&bad)
    );
}
