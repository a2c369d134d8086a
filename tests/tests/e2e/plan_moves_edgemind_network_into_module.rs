//! An EdgeMind stack applied with the network written in its own folder (the layout before
//! `specs/modules/network`, kept in `tests/fixtures/edgemind-network-before-module`) re-plans
//! after the switch to the shared module with moves only: the `moved` blocks of
//! `specs/edgemind/network.tf` rename the state records, nothing is destroyed or created, the
//! cloud objects keep their ids (checked with direct EC2 describes), and the next plan is clean.

use std::path::Path;

use provision_e2e::{json_output, repository_root, text, Cloud, MotoServer, Workspace};

/// The network's resource instances in dev (two availability zones).
const NETWORK_ADDRESSES: [&str; 15] = [
    "aws_vpc.main",
    "aws_subnet.public[0]",
    "aws_subnet.public[1]",
    "aws_subnet.private[0]",
    "aws_subnet.private[1]",
    "aws_internet_gateway.main",
    "aws_eip.nat",
    "aws_nat_gateway.main",
    "aws_route_table.public",
    "aws_route_table.private",
    "aws_route.private_nat",
    "aws_route_table_association.public[0]",
    "aws_route_table_association.public[1]",
    "aws_route_table_association.private[0]",
    "aws_route_table_association.private[1]",
];

/// Turns a copy of `specs/edgemind` back into the layout before the network module: the old
/// `network.tf`, and the references to the module's outputs as they were written then.
fn write_layout_before_module(spec: &str) {
    let old_network =
        repository_root().join("tests/fixtures/edgemind-network-before-module/network.tf");
    std::fs::copy(old_network, Path::new(spec).join("network.tf")).expect("old network.tf");
    let replacements = [
        ("module.network.vpc_id", "aws_vpc.main.id"),
        ("module.network.vpc_cidr_block", "aws_vpc.main.cidr_block"),
        (
            "module.network.public_subnet_ids",
            "aws_subnet.public[*].id",
        ),
        (
            "module.network.private_subnet_ids[count.index]",
            "aws_subnet.private[count.index].id",
        ),
        (
            "module.network.private_subnet_ids",
            "aws_subnet.private[*].id",
        ),
        ("module.network.nat_gateway_id", "aws_nat_gateway.main.id"),
    ];
    for entry in std::fs::read_dir(spec).expect("spec folder") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|extension| extension.to_str()) != Some("tf")
            || path.ends_with("network.tf")
        {
            continue;
        }
        let mut source = std::fs::read_to_string(&path).expect("read spec file");
        for (module_output, old_reference) in replacements {
            source = source.replace(module_output, old_reference);
        }
        assert!(!source.contains("module.network"), "{}", path.display());
        std::fs::write(&path, source).expect("write spec file");
    }
}

fn vpc_id(workspace: &Workspace, address: &str, spec: &str) -> String {
    let shown = json_output(&workspace.run_expecting(
        &["state", "show", address, spec, "--env", "dev", "--json"],
        0,
    ));
    shown["id"].as_str().expect("vpc id").to_string()
}

#[test]
fn plan_moves_edgemind_network_into_module() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let spec = workspace.copy_spec("specs/edgemind");
    let stack = format!("{spec}/dev");

    write_layout_before_module(&spec);
    workspace.run_expecting(&["apply", &spec, "--env", "dev", "--yes"], 0);
    let before = workspace.state_list(&[&spec, "--env", "dev"]);
    for address in NETWORK_ADDRESSES {
        assert!(
            before.contains(&address.to_string()),
            "{address} in {before:#?}"
        );
    }
    let old_vpc = vpc_id(&workspace, "aws_vpc.main", &spec);

    // The spec as it is now: the network from the shared module, with `moved` blocks.
    std::fs::remove_dir_all(&spec).expect("remove the old layout");
    assert_eq!(workspace.copy_spec("specs/edgemind"), spec);

    let plan = json_output(
        &workspace.run_expecting(&["plan", &spec, "--env", "dev", "--json", "--exit-code"], 2),
    );
    assert_eq!(
        plan["summary"],
        serde_json::json!({"import": 0, "add": 0, "change": 0, "destroy": 0}),
        "{plan:#}"
    );
    let changes = plan["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), NETWORK_ADDRESSES.len(), "{plan:#}");
    for change in changes {
        assert_eq!(change["action"], "no-op", "{change:#}");
        let previous = change["previous_address"]
            .as_str()
            .expect("previous address");
        assert!(NETWORK_ADDRESSES.contains(&previous), "{previous}");
        assert_eq!(change["address"], format!("module.network.{previous}"));
    }
    let shown = text(&workspace.run_expecting(&["plan", &spec, "--env", "dev"], 0));
    assert!(
        shown.contains("# aws_subnet.private[1] has moved to module.network.aws_subnet.private[1]"),
        "{shown}"
    );
    assert!(
        shown.contains("0 to add, 0 to change, 0 to destroy, 15 to move."),
        "{shown}"
    );

    workspace.run_expecting(&["apply", &spec, "--env", "dev", "--yes"], 0);
    let after = workspace.state_list(&[&spec, "--env", "dev"]);
    assert_eq!(after.len(), before.len(), "{after:#?}");
    for address in NETWORK_ADDRESSES {
        assert!(
            !after.contains(&address.to_string()),
            "{address} still in {after:#?}"
        );
        let moved = format!("module.network.{address}");
        assert!(after.contains(&moved), "{moved} in {after:#?}");
    }
    // The same VPC, still there: moved, not recreated.
    assert_eq!(
        vpc_id(&workspace, "module.network.aws_vpc.main", &spec),
        old_vpc
    );
    let vpcs = cloud.non_default_vpc_ids();
    assert_eq!(vpcs, vec![old_vpc.clone()]);
    let inventory = cloud.inventory(&stack);
    assert_eq!(inventory.subnets.len(), 4);
    assert!(inventory
        .subnets
        .iter()
        .all(|subnet| subnet.vpc_id() == Some(old_vpc.as_str())));

    workspace.run_expecting(&["plan", &spec, "--env", "dev", "--exit-code"], 0);
    workspace.run_expecting(&["destroy", &spec, "--env", "dev", "--yes"], 0);
    assert!(cloud.non_default_vpc_ids().is_empty());
}
