//! A local module used twice through `for_each` (`tests/fixtures/apply-module-for-each`), with a
//! module nested inside it: apply, every network checked with direct EC2 describes, module
//! addresses in `state list`, `state show` and `graph`, a second plan with no changes
//! (`plan --exit-code` → 0), an input variable's validation failing at plan, then destroy.

use std::collections::BTreeMap;

use aws_sdk_ec2::types::Filter;
use provision_e2e::{edit_file, json_output, tag_map, text, Cloud, MotoServer, Workspace};

const BLUE: &str = "module.network[\"blue\"]";
const GREEN: &str = "module.network[\"green\"]";

#[test]
fn apply_creates_a_local_module_twice_with_for_each() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let spec = workspace.copy_spec("tests/fixtures/apply-module-for-each");

    let plan = json_output(&workspace.run_expecting(&["plan", &spec, "--json"], 0));
    let planned: Vec<&str> = plan["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|change| change["address"].as_str().expect("address"))
        .collect();
    // blue: VPC, 2 subnets, 2 associations, gateway, route table; green: 1 subnet and
    // association fewer; one security group per network.
    assert_eq!(plan["summary"]["add"], 14, "{planned:#?}");
    assert!(
        planned.contains(&format!("{BLUE}.aws_subnet.zone[1]").as_str()),
        "{planned:#?}"
    );
    assert!(planned.contains(&format!("{GREEN}.module.routing.aws_route_table.public").as_str()));
    assert!(planned.contains(&"aws_security_group.web[\"green\"]"));

    workspace.run_expecting(&["apply", &spec, "--yes"], 0);

    let stack = spec.trim_end_matches('/').to_string();
    let inventory = cloud.inventory(&stack);
    assert_eq!(inventory.vpcs.len(), 2, "{inventory:#?}");
    let vpc_by_network: BTreeMap<String, (String, String)> = inventory
        .vpcs
        .iter()
        .map(|vpc| {
            let tags = tag_map(vpc.tags());
            (
                tags["Network"].clone(),
                (
                    vpc.vpc_id().unwrap_or_default().to_string(),
                    vpc.cidr_block().unwrap_or_default().to_string(),
                ),
            )
        })
        .collect();
    assert_eq!(vpc_by_network["blue"].1, "10.10.0.0/16");
    assert_eq!(vpc_by_network["green"].1, "10.20.0.0/16");
    for vpc in &inventory.vpcs {
        let tags = tag_map(vpc.tags());
        assert_eq!(tags["Module"], "network");
        assert_eq!(tags["Name"], format!("fixture-{}", tags["Network"]));
    }

    let blue_subnets = cloud.block_on(async {
        cloud
            .ec2
            .describe_subnets()
            .filters(
                Filter::builder()
                    .name("vpc-id")
                    .values(&vpc_by_network["blue"].0)
                    .build(),
            )
            .send()
            .await
            .expect("DescribeSubnets")
    });
    let mut blue_cidrs: Vec<&str> = blue_subnets
        .subnets()
        .iter()
        .filter_map(|subnet| subnet.cidr_block())
        .collect();
    blue_cidrs.sort();
    assert_eq!(blue_cidrs, ["10.10.0.0/24", "10.10.1.0/24"]);
    assert_eq!(
        inventory
            .subnets
            .iter()
            .filter(|subnet| subnet.vpc_id() == Some(vpc_by_network["green"].0.as_str()))
            .count(),
        1
    );

    // The nested module's route table sends the internet to its own gateway, and every
    // subnet of its network is associated with it.
    for (network, (vpc_id, _)) in &vpc_by_network {
        let table = inventory
            .route_tables
            .iter()
            .find(|table| table.vpc_id() == Some(vpc_id.as_str()))
            .unwrap_or_else(|| panic!("route table of {network}"));
        let gateway = inventory
            .internet_gateways
            .iter()
            .find(|gateway| {
                gateway
                    .attachments()
                    .iter()
                    .any(|attachment| attachment.vpc_id() == Some(vpc_id.as_str()))
            })
            .unwrap_or_else(|| panic!("internet gateway of {network}"));
        let default_route = table
            .routes()
            .iter()
            .find(|route| route.destination_cidr_block() == Some("0.0.0.0/0"))
            .expect("default route");
        assert_eq!(default_route.gateway_id(), gateway.internet_gateway_id());
        let zones = if network == "blue" { 2 } else { 1 };
        assert_eq!(
            table
                .associations()
                .iter()
                .filter(|association| association.subnet_id().is_some())
                .count(),
            zones,
            "{table:#?}"
        );
        let group = inventory
            .security_groups
            .iter()
            .find(|group| group.vpc_id() == Some(vpc_id.as_str()))
            .unwrap_or_else(|| panic!("security group of {network}"));
        assert_eq!(
            group.group_name(),
            Some(format!("fixture-{network}-web").as_str())
        );
    }

    let addresses = workspace.state_list(&[&spec]);
    assert_eq!(addresses.len(), 14, "{addresses:#?}");
    for expected in [
        format!("{BLUE}.aws_vpc.this"),
        format!("{BLUE}.aws_subnet.zone[0]"),
        format!("{BLUE}.aws_subnet.zone[1]"),
        format!("{BLUE}.module.routing.aws_internet_gateway.this"),
        format!("{GREEN}.aws_route_table_association.zone[0]"),
        "aws_security_group.web[\"blue\"]".to_string(),
    ] {
        assert!(
            addresses.contains(&expected),
            "{expected} in {addresses:#?}"
        );
    }
    let shown = json_output(&workspace.run_expecting(
        &[
            "state",
            "show",
            &format!("{BLUE}.aws_vpc.this"),
            &spec,
            "--json",
        ],
        0,
    ));
    assert_eq!(shown["id"], vpc_by_network["blue"].0.as_str());
    assert_eq!(shown["attributes"]["cidr_block"], "10.10.0.0/16");
    // The nested module's gateway depends on the VPC through the module's input variable.
    let gateway = json_output(&workspace.run_expecting(
        &[
            "state",
            "show",
            &format!("{GREEN}.module.routing.aws_internet_gateway.this"),
            &spec,
            "--json",
        ],
        0,
    ));
    assert_eq!(
        gateway["dependencies"],
        serde_json::json!([format!("{GREEN}.aws_vpc.this")])
    );

    let outputs = json_output(&workspace.run_expecting(&["output", &spec, "--json"], 0));
    assert_eq!(
        outputs["vpc_ids"]["value"]["blue"],
        vpc_by_network["blue"].0.as_str()
    );
    assert_eq!(
        outputs["blue_subnet_ids"]["value"].as_array().map(Vec::len),
        Some(2)
    );

    let graph = text(&workspace.run_expecting(&["graph", &spec], 0));
    assert!(
        graph.contains(&format!(
            "\"{}\" -> \"{}\"",
            format!("{BLUE}.aws_route_table_association.zone[1]").replace('"', "\\\""),
            format!("{BLUE}.module.routing.aws_route_table.public").replace('"', "\\\"")
        )),
        "{graph}"
    );

    workspace.run_expecting(&["plan", &spec, "--exit-code"], 0);

    // A bad input is reported in the caller, where the module block sets it.
    let main = format!("{spec}/main.tf");
    edit_file(&main, "cidr  = \"10.20.0.0/16\"", "cidr  = \"10.20.0.0\"");
    let refused = workspace.run_expecting(&["plan", &spec], 1);
    let message = text(&refused);
    assert!(
        message.contains("cidr_block must be a CIDR range"),
        "{message}"
    );
    assert!(message.contains("main.tf:"), "{message}");
    edit_file(&main, "cidr  = \"10.20.0.0\"", "cidr  = \"10.20.0.0/16\"");

    workspace.run_expecting(&["destroy", &spec, "--yes"], 0);
    let left = cloud.inventory(&stack);
    assert!(left.vpcs.is_empty(), "{left:#?}");
    assert!(left.subnets.is_empty(), "{left:#?}");
    assert!(left.internet_gateways.is_empty(), "{left:#?}");
    assert!(left.security_groups.is_empty(), "{left:#?}");
    assert!(cloud.non_default_vpc_ids().is_empty());
    assert!(workspace.state_list(&[&spec]).is_empty());
}
