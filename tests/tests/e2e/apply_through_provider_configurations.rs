//! Provider configurations: resources in two regions through a `provider = aws.<alias>`,
//! checked region by region with direct describes; a provider block with static credentials
//! and per-service endpoints (no credentials nor endpoint in the environment); an
//! `assume_role` served by the emulator's STS, whose resources land in the role's account.

use provision_e2e::{
    edit_file, has_line_starting_with, json_output, text, Cloud, MotoServer, Workspace,
};

const TWO_REGIONS: &str = "tests/fixtures/apply-two-regions";

/// The `Name` tags of the VPCs in `region` whose `Stack` tag is `two-regions`, sorted.
fn stack_vpc_names(cloud: &Cloud, region: &str) -> Vec<String> {
    let clients = cloud.in_region(region);
    let ec2 = &*clients.ec2;
    let vpcs = cloud
        .block_on(ec2.describe_vpcs().send())
        .expect("DescribeVpcs");
    let mut names: Vec<String> = vpcs
        .vpcs()
        .iter()
        .filter(|vpc| {
            vpc.tags()
                .iter()
                .any(|tag| tag.key() == Some("Stack") && tag.value() == Some("two-regions"))
        })
        .filter_map(|vpc| {
            vpc.tags()
                .iter()
                .find(|tag| tag.key() == Some("Name"))
                .and_then(|tag| tag.value())
                .map(str::to_string)
        })
        .collect();
    names.sort();
    names
}

/// The log group names in `region` under `/two-regions/`, sorted.
fn stack_log_groups(cloud: &Cloud, region: &str) -> Vec<String> {
    let clients = cloud.in_region(region);
    let logs = &*clients.logs;
    let groups = cloud
        .block_on(
            logs.describe_log_groups()
                .log_group_name_prefix("/two-regions/")
                .send(),
        )
        .expect("DescribeLogGroups");
    let mut names: Vec<String> = groups
        .log_groups()
        .iter()
        .filter_map(|group| group.log_group_name().map(str::to_string))
        .collect();
    names.sort();
    names
}

#[test]
fn apply_puts_each_resource_in_its_configurations_region() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let spec = workspace.copy_spec(TWO_REGIONS);

    let apply = workspace.run_expecting(&["apply", &spec, "--yes"], 0);
    assert!(
        has_line_starting_with(
            &apply,
            "Apply complete! Resources: 5 added, 0 changed, 0 destroyed."
        ),
        "{}",
        text(&apply)
    );

    // Region by region, with direct describes.
    assert_eq!(
        stack_vpc_names(&cloud, "us-east-1"),
        vec!["two-regions-home"]
    );
    assert_eq!(
        stack_vpc_names(&cloud, "eu-west-1"),
        vec!["two-regions-europe"]
    );
    assert_eq!(
        stack_log_groups(&cloud, "us-east-1"),
        vec!["/two-regions/home"]
    );
    assert_eq!(
        stack_log_groups(&cloud, "eu-west-1"),
        vec!["/two-regions/europe"]
    );
    let europe_clients = cloud.in_region("eu-west-1");
    let europe = &*europe_clients.ec2;
    let subnets = cloud
        .block_on(
            europe
                .describe_subnets()
                .filters(
                    aws_sdk_ec2::types::Filter::builder()
                        .name("tag:Name")
                        .values("two-regions-europe")
                        .build(),
                )
                .send(),
        )
        .expect("DescribeSubnets");
    assert_eq!(subnets.subnets().len(), 1, "{subnets:?}");
    let subnet = &subnets.subnets()[0];
    assert_eq!(subnet.availability_zone(), Some("eu-west-1a"));
    assert_eq!(subnet.cidr_block(), Some("10.71.1.0/24"));
    // Each configuration's own default tags.
    let europe_vpc_id = String::from_utf8_lossy(
        &workspace
            .run_expecting(&["output", "europe_vpc_id", &spec], 0)
            .stdout,
    )
    .trim()
    .to_string();
    let vpcs = cloud
        .block_on(europe.describe_vpcs().vpc_ids(&europe_vpc_id).send())
        .expect("DescribeVpcs in eu-west-1");
    let tags = provision_e2e::tag_map(vpcs.vpcs()[0].tags());
    assert_eq!(tags.get("Region").map(String::as_str), Some("europe"));
    let home_tags: Vec<_> = cloud
        .block_on(cloud.in_region("us-east-1").ec2.describe_vpcs().send())
        .expect("DescribeVpcs in us-east-1")
        .vpcs()
        .iter()
        .map(|vpc| provision_e2e::tag_map(vpc.tags()))
        .filter(|tags| tags.get("Name").map(String::as_str) == Some("two-regions-home"))
        .collect();
    assert_eq!(home_tags.len(), 1);
    assert_eq!(home_tags[0].get("Region"), None);

    // Data sources read through their block's configuration: the alias's region during plan,
    // the Europe VPC (known only after its create) during apply, in eu-west-1.
    let output = |name: &str| {
        String::from_utf8_lossy(&workspace.run_expecting(&["output", name, &spec], 0).stdout)
            .trim()
            .to_string()
    };
    assert_eq!(output("home_region"), "us-east-1");
    assert_eq!(output("europe_region"), "eu-west-1");
    assert_eq!(output("europe_vpc_cidr"), "10.71.0.0/16");
    let shown = json_output(&workspace.run_expecting(
        &["state", "show", "data.aws_vpc.europe", "--json", &spec],
        0,
    ));
    assert_eq!(shown["provider"], "aws.europe", "{shown:#}");

    // State records which configuration owns each resource.
    let shown = json_output(
        &workspace.run_expecting(&["state", "show", "aws_subnet.europe", "--json", &spec], 0),
    );
    assert_eq!(shown["provider"], "aws.europe", "{shown:#}");
    let shown = json_output(
        &workspace.run_expecting(&["state", "show", "aws_vpc.home", "--json", &spec], 0),
    );
    assert_eq!(shown["provider"], "aws", "{shown:#}");

    // Re-plans clean: every read went to the right region.
    let clean = workspace.run_expecting(&["plan", &spec, "--exit-code"], 0);
    assert!(
        has_line_starting_with(&clean, "No changes."),
        "{}",
        text(&clean)
    );
    let refreshed = workspace.run_expecting(&["plan", &spec, "--refresh", "--exit-code"], 0);
    assert!(
        has_line_starting_with(&refreshed, "No changes."),
        "{}",
        text(&refreshed)
    );
    let drift = workspace.run_expecting(&["drift", &spec], 0);
    assert!(text(&drift).contains("No drift"), "{}", text(&drift));

    // A resource removed from the spec is deleted in the region that holds it.
    edit_file(
        format!("{spec}/main.tf"),
        "resource \"aws_cloudwatch_log_group\" \"europe\" {\n  provider          = aws.europe\n  name              = \"/two-regions/europe\"\n  retention_in_days = 7\n}\n",
        "",
    );
    let removed = workspace.run_expecting(&["apply", &spec, "--yes"], 0);
    assert!(
        has_line_starting_with(
            &removed,
            "Apply complete! Resources: 0 added, 0 changed, 1 destroyed."
        ),
        "{}",
        text(&removed)
    );
    assert!(stack_log_groups(&cloud, "eu-west-1").is_empty());
    assert_eq!(
        stack_log_groups(&cloud, "us-east-1"),
        vec!["/two-regions/home"]
    );

    // Destroy deletes each resource in its region.
    workspace.run_expecting(&["destroy", &spec, "--yes"], 0);
    assert!(stack_vpc_names(&cloud, "us-east-1").is_empty());
    assert!(stack_vpc_names(&cloud, "eu-west-1").is_empty());
    assert!(stack_log_groups(&cloud, "us-east-1").is_empty());
    let left = cloud
        .block_on(
            europe
                .describe_subnets()
                .filters(
                    aws_sdk_ec2::types::Filter::builder()
                        .name("tag:Name")
                        .values("two-regions-europe")
                        .build(),
                )
                .send(),
        )
        .expect("DescribeSubnets");
    assert!(left.subnets().is_empty(), "{left:?}");
}

/// A workspace whose environment has neither AWS credentials nor an endpoint.
fn bare_workspace(server: &MotoServer) -> Workspace {
    let mut workspace = Workspace::new(server);
    workspace.environment.retain(|(name, _)| {
        !matches!(
            *name,
            "AWS_ACCESS_KEY_ID"
                | "AWS_SECRET_ACCESS_KEY"
                | "AWS_SESSION_TOKEN"
                | "AWS_ENDPOINT_URL"
        )
    });
    workspace
}

const STATIC_SECRET: &str = "static-secret-key-0f9a8b7c6d5e4f3a2b1c";

/// A spec whose only provider block names static credentials and the emulator's endpoints.
fn write_static_credentials_spec(
    workspace: &Workspace,
    server: &MotoServer,
    with_keys: bool,
) -> String {
    let directory = workspace
        .directory
        .path()
        .join("specs")
        .join("static-credentials");
    std::fs::create_dir_all(&directory).expect("spec folder");
    let keys = if with_keys {
        format!("  access_key = \"AKIASTATICEXAMPLE01\"\n  secret_key = \"{STATIC_SECRET}\"\n")
    } else {
        String::new()
    };
    let spec = format!(
        r#"provider "aws" {{
  region = "us-east-1"
{keys}  max_retries = 1

  endpoints {{
    ec2 = "{endpoint}"
    sts = "{endpoint}"
  }}
}}

resource "aws_vpc" "main" {{
  cidr_block = "10.72.0.0/16"

  tags = {{
    Name = "static-credentials"
  }}
}}
"#,
        endpoint = server.endpoint
    );
    std::fs::write(directory.join("main.tf"), spec).expect("write spec");
    directory.to_str().expect("UTF-8 path").to_string()
}

#[test]
fn apply_with_static_credentials_and_endpoints_from_the_spec() {
    let server = MotoServer::start();
    let workspace = bare_workspace(&server);
    let cloud = Cloud::new(&server);

    // Without the keys there are no credentials anywhere: the check stops the run first.
    let spec = write_static_credentials_spec(&workspace, &server, false);
    let refused = workspace.run_expecting(&["apply", &spec, "--yes"], 1);
    assert!(
        text(&refused).contains("provider configuration aws: the credentials are not valid"),
        "{}",
        text(&refused)
    );
    assert!(cloud.non_default_vpc_ids().is_empty());

    let spec = write_static_credentials_spec(&workspace, &server, true);
    let apply = workspace.run_expecting(&["apply", &spec, "--yes", "--stats"], 0);
    let output = text(&apply);
    assert!(output.contains("STS:GetCallerIdentity"), "{output}");
    assert!(
        !output.contains(STATIC_SECRET),
        "the secret key must never be printed:\n{output}"
    );
    let vpcs = cloud.non_default_vpc_ids();
    assert_eq!(vpcs.len(), 1, "{vpcs:?}");
    let plan = workspace.run_expecting(&["plan", &spec, "--exit-code"], 0);
    assert!(!text(&plan).contains(STATIC_SECRET));
    assert!(!workspace.state_files_contain(STATIC_SECRET));
    let destroy = workspace.run_expecting(&["destroy", &spec, "--yes"], 0);
    assert!(!text(&destroy).contains(STATIC_SECRET));
    assert!(cloud.non_default_vpc_ids().is_empty());
}

const ROLE_ACCOUNT: &str = "111111111111";

/// The VPC ids the credentials of `role_arn` (assumed through the emulator's STS) see.
fn vpcs_seen_as_role(cloud: &Cloud, role_arn: &str) -> Vec<String> {
    cloud.block_on(async {
        let provider = aws_config::sts::AssumeRoleProvider::builder(role_arn)
            .session_name("provision-e2e-check")
            .configure(&cloud.config)
            .build()
            .await;
        let config = cloud
            .config
            .to_builder()
            .credentials_provider(aws_types::sdk_config::SharedCredentialsProvider::new(
                provider,
            ))
            .build();
        let ec2 = aws_sdk_ec2::Client::new(&config);
        let identity = aws_sdk_sts::Client::new(&config)
            .get_caller_identity()
            .send()
            .await
            .expect("GetCallerIdentity as the role");
        assert_eq!(identity.account(), Some(ROLE_ACCOUNT));
        ec2.describe_vpcs()
            .send()
            .await
            .expect("DescribeVpcs as the role")
            .vpcs()
            .iter()
            .filter(|vpc| vpc.is_default() != Some(true))
            .filter_map(|vpc| vpc.vpc_id().map(str::to_string))
            .collect()
    })
}

#[test]
fn apply_through_an_assumed_role_lands_in_the_roles_account() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let role_arn = format!("arn:aws:iam::{ROLE_ACCOUNT}:role/deploy");
    let directory = workspace.directory.path().join("specs").join("assume-role");
    std::fs::create_dir_all(&directory).expect("spec folder");
    std::fs::write(
        directory.join("main.tf"),
        format!(
            r#"provider "aws" {{
  region = "us-east-1"
}}

provider "aws" {{
  alias  = "deploy"
  region = "us-east-1"

  assume_role {{
    role_arn     = "{role_arn}"
    session_name = "provision-e2e"
    external_id  = "e2e"
    duration     = "1h"
  }}
}}

resource "aws_vpc" "caller" {{
  cidr_block = "10.73.0.0/16"
}}

resource "aws_vpc" "role" {{
  provider   = aws.deploy
  cidr_block = "10.74.0.0/16"
}}
"#
        ),
    )
    .expect("write spec");
    let spec = directory.to_str().expect("UTF-8 path").to_string();

    let apply = workspace.run_expecting(&["apply", &spec, "--yes", "--stats"], 0);
    assert!(
        text(&apply).contains("STS:AssumeRole") || text(&apply).contains("GetCallerIdentity"),
        "{}",
        text(&apply)
    );
    let caller_vpc = json_output(
        &workspace.run_expecting(&["state", "show", "aws_vpc.caller", "--json", &spec], 0),
    )["id"]
        .as_str()
        .expect("caller VPC id")
        .to_string();
    let role_vpc = json_output(
        &workspace.run_expecting(&["state", "show", "aws_vpc.role", "--json", &spec], 0),
    )["id"]
        .as_str()
        .expect("role VPC id")
        .to_string();
    // The caller's account holds only its own VPC; the role's account only the role's.
    assert_eq!(cloud.non_default_vpc_ids(), vec![caller_vpc.clone()]);
    assert_eq!(vpcs_seen_as_role(&cloud, &role_arn), vec![role_vpc]);

    let clean = workspace.run_expecting(&["plan", &spec, "--refresh", "--exit-code"], 0);
    assert!(
        has_line_starting_with(&clean, "No changes."),
        "{}",
        text(&clean)
    );
    workspace.run_expecting(&["destroy", &spec, "--yes"], 0);
    assert!(cloud.non_default_vpc_ids().is_empty());
    assert!(vpcs_seen_as_role(&cloud, &role_arn).is_empty());
}
