//! Import: a VPC and a security group made by direct SDK calls (outside provision) are brought
//! under management with `provision import ADDRESS ID`, after which `plan` shows no changes; an
//! `import {}` block is planned ("will be imported", "1 to import") and applied; `plan
//! --generate-config-out=FILE` writes the block the spec lacks, and the spec then plans clean;
//! a missing address and an already-managed address are refused.

use provision_e2e::{json_output, text, Cloud, MotoServer, Workspace};

const PROVIDER: &str = "provider \"aws\" {\n  region = \"us-east-1\"\n}\n";

/// A VPC and, in it, a security group allowing HTTPS from 10.0.0.0/8, made with the SDK.
fn make_vpc_and_group(cloud: &Cloud) -> (String, String) {
    let vpc = cloud
        .block_on(cloud.ec2.create_vpc().cidr_block("10.42.0.0/16").send())
        .expect("CreateVpc")
        .vpc()
        .and_then(|vpc| vpc.vpc_id())
        .expect("vpc id")
        .to_string();
    let group = cloud
        .block_on(
            cloud
                .ec2
                .create_security_group()
                .group_name("web")
                .description("web servers")
                .vpc_id(&vpc)
                .send(),
        )
        .expect("CreateSecurityGroup")
        .group_id()
        .expect("group id")
        .to_string();
    cloud
        .block_on(
            cloud
                .ec2
                .authorize_security_group_ingress()
                .group_id(&group)
                .ip_protocol("tcp")
                .from_port(443)
                .to_port(443)
                .cidr_ip("10.0.0.0/8")
                .send(),
        )
        .expect("AuthorizeSecurityGroupIngress");
    (vpc, group)
}

fn write_spec(workspace: &Workspace, name: &str, body: &str) -> String {
    let directory = workspace.directory.path().join(name);
    std::fs::create_dir_all(&directory).unwrap();
    std::fs::write(directory.join("main.tf"), format!("{PROVIDER}{body}")).unwrap();
    directory.display().to_string()
}

const NETWORK: &str = r#"
resource "aws_vpc" "main" {
  cidr_block = "10.42.0.0/16"
}

resource "aws_security_group" "web" {
  name        = "web"
  description = "web servers"
  vpc_id      = aws_vpc.main.id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"#;

#[test]
fn import_command_brings_a_vpc_and_security_group_under_management() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let (vpc, group) = make_vpc_and_group(&cloud);
    let spec = write_spec(&workspace, "network", NETWORK);

    // Not in the spec: refused with the spec's location, nothing recorded.
    let output = workspace.run_expecting(&["import", "aws_vpc.other", &vpc, &spec], 1);
    let printed = text(&output);
    assert!(
        printed.contains("cannot import to aws_vpc.other"),
        "{printed}"
    );
    assert!(printed.contains("main.tf:"), "file:line:col: {printed}");
    assert!(printed.contains("hint:"), "{printed}");
    let output = workspace.run_expecting(&["import", "aws_vpc.main[3]", &vpc, &spec], 1);
    assert!(
        text(&output).contains("no such instance"),
        "{}",
        text(&output)
    );
    assert!(
        !workspace.state_path().exists(),
        "no state for a refused import"
    );

    let output = workspace.run_expecting(&["import", "aws_vpc.main", &vpc, &spec], 0);
    assert!(
        text(&output).contains(&format!("imported {vpc}")),
        "{}",
        text(&output)
    );
    workspace.run_expecting(&["import", "aws_security_group.web", &group, &spec], 0);

    // Already managed: refused.
    let output = workspace.run_expecting(&["import", "aws_vpc.main", &vpc, &spec], 1);
    assert!(
        text(&output).contains("already managed"),
        "{}",
        text(&output)
    );

    let output = workspace.run_expecting(&["plan", &spec, "--exit-code"], 0);
    assert!(
        text(&output).contains("No changes."),
        "the imported objects match the spec:\n{}",
        text(&output)
    );
    let state = workspace.run_expecting(&["state", "list", &spec], 0);
    let listed = text(&state);
    assert!(
        listed.contains("aws_vpc.main") && listed.contains("aws_security_group.web"),
        "{listed}"
    );
}

#[test]
fn import_block_is_planned_and_applied() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let (vpc, _) = make_vpc_and_group(&cloud);
    // The spec adds a tag the imported VPC lacks: import, then update in place.
    let spec = write_spec(
        &workspace,
        "imported",
        &format!(
            "import {{\n  to = aws_vpc.main\n  id = \"{vpc}\"\n}}\n\nresource \"aws_vpc\" \"main\" {{\n  cidr_block = \"10.42.0.0/16\"\n  tags = {{\n    Name = \"main\"\n  }}\n}}\n"
        ),
    );
    let output = workspace.run_expecting(&["plan", &spec], 0);
    let printed = text(&output);
    assert!(
        printed.contains("# aws_vpc.main will be updated in-place"),
        "{printed}"
    );
    assert!(
        printed.contains(&format!("# (imported from \"{vpc}\")")),
        "{printed}"
    );
    assert!(
        printed.contains("Plan: 1 to import, 0 to add, 1 to change, 0 to destroy."),
        "{printed}"
    );
    let json = json_output(&workspace.run_expecting(&["plan", &spec, "--json"], 0));
    assert_eq!(json["summary"]["import"], 1, "{json}");
    assert_eq!(
        json["changes"][0]["importing"]["id"],
        vpc.as_str(),
        "{json}"
    );

    let output = workspace.run_expecting(&["apply", &spec, "--yes"], 0);
    assert!(
        text(&output).contains("1 imported, 0 added, 1 changed"),
        "{}",
        text(&output)
    );
    let tags = cloud
        .block_on(cloud.ec2.describe_vpcs().vpc_ids(&vpc).send())
        .expect("DescribeVpcs")
        .vpcs()[0]
        .tags()
        .iter()
        .any(|tag| tag.key() == Some("Name") && tag.value() == Some("main"));
    assert!(tags, "the update after import tagged the VPC");
    // Once in state the block is a no-op.
    let output = workspace.run_expecting(&["plan", &spec, "--exit-code"], 0);
    assert!(text(&output).contains("No changes."), "{}", text(&output));
}

#[test]
fn generate_config_out_writes_the_missing_block_which_then_plans_clean() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let (_, group) = make_vpc_and_group(&cloud);
    let spec = write_spec(
        &workspace,
        "generated",
        &format!("import {{\n  to = aws_security_group.web\n  id = \"{group}\"\n}}\n"),
    );
    // Without the flag the missing block is an error at the import block.
    let output = workspace.run_expecting(&["plan", &spec], 1);
    let printed = text(&output);
    assert!(
        printed.contains("import target aws_security_group.web is not in the spec"),
        "{printed}"
    );
    assert!(printed.contains("main.tf:"), "{printed}");

    let output = workspace.run_expecting(&["plan", &spec, "-generate-config-out=generated.tf"], 0);
    let printed = text(&output);
    assert!(
        printed.contains("# aws_security_group.web will be imported"),
        "{printed}"
    );
    assert!(
        printed.contains("Plan: 1 to import, 0 to add, 0 to change, 0 to destroy."),
        "{printed}"
    );
    let generated = std::fs::read_to_string(format!("{spec}/generated.tf")).unwrap();
    assert!(
        generated.contains("resource \"aws_security_group\" \"web\" {"),
        "{generated}"
    );
    assert!(
        generated.contains("cidr_blocks = [\"10.0.0.0/8\"]"),
        "{generated}"
    );
    assert!(
        !generated.contains("arn"),
        "computed-only attributes are left out: {generated}"
    );
    // Formatted as `provision fmt` would.
    workspace.run_expecting(&["fmt", "--check", &format!("{spec}/generated.tf")], 0);
    // Terraform refuses an existing file: so does provision.
    let output =
        workspace.run_expecting(&["plan", &spec, "--generate-config-out", "generated.tf"], 1);
    assert!(
        text(&output).contains("already exists"),
        "{}",
        text(&output)
    );

    workspace.run_expecting(&["apply", &spec, "--yes"], 0);
    let output = workspace.run_expecting(&["plan", &spec, "--exit-code"], 0);
    assert!(text(&output).contains("No changes."), "{}", text(&output));
}

#[test]
fn types_json_gives_every_type_its_import_id_format() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let json = json_output(&workspace.run_expecting(&["types", "--json"], 0));
    let resources = json["resources"].as_array().unwrap();
    let of = |name: &str| {
        resources
            .iter()
            .find(|resource| resource["name"] == name)
            .map(|resource| resource["import_id"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert!(of("aws_vpc").contains("vpc-"));
    assert!(of("aws_route_table_association").contains("subnet-…/rtb-…"));
}
