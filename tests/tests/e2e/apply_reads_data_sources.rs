//! Data sources end to end against the emulator: read during plan when their arguments are
//! known, deferred to apply (`<= read`) when they depend on what the same run creates; their
//! values feed resources that are checked with direct describes; every stack re-plans clean
//! (`plan --exit-code` → 0) and is destroyed, data records included.

use provision_e2e::{json_output, text, Cloud, MotoServer, Workspace};

fn plan_is_clean(workspace: &Workspace, spec: &str) {
    let output = workspace.run(&["plan", spec, "--exit-code"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
}

fn destroy_leaves_nothing(workspace: &Workspace, spec: &str) {
    let destroy = workspace.run_expecting(&["destroy", spec, "--yes"], 0);
    assert!(
        text(&destroy).contains("Destroy complete!"),
        "{}",
        text(&destroy)
    );
    let list = text(&workspace.run(&["state", "list", spec]));
    assert!(
        !list.contains("aws_") && !list.contains("data."),
        "state after destroy: {list}"
    );
}

#[test]
fn apply_builds_a_network_from_zones_account_and_partition_data() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let spec = workspace.copy_spec("tests/fixtures/data-network");

    let plan = text(&workspace.run_expecting(&["plan", &spec], 0));
    assert!(
        plan.contains("Plan: 3 to add, 0 to change, 0 to destroy."),
        "{plan}"
    );
    assert!(
        !plan.contains("<= data"),
        "every data source is read during plan: {plan}"
    );

    let zones = cloud
        .block_on(cloud.ec2.describe_availability_zones().send())
        .expect("DescribeAvailabilityZones");
    let mut names: Vec<String> = zones
        .availability_zones()
        .iter()
        .filter_map(|zone| zone.zone_name().map(str::to_string))
        .collect();
    names.sort();
    let account = cloud
        .block_on(
            aws_sdk_sts::Client::new(&cloud.config)
                .get_caller_identity()
                .send(),
        )
        .expect("GetCallerIdentity")
        .account()
        .expect("account")
        .to_string();

    let apply = text(&workspace.run_expecting(&["apply", &spec, "--yes"], 0));
    assert!(apply.contains("Resources: 3 added"), "{apply}");

    let vpcs = cloud
        .block_on(
            cloud
                .ec2
                .describe_vpcs()
                .filters(
                    aws_sdk_ec2::types::Filter::builder()
                        .name("tag:Name")
                        .values("data-network")
                        .build(),
                )
                .send(),
        )
        .expect("DescribeVpcs");
    let vpc = &vpcs.vpcs()[0];
    let tags = provision_e2e::tag_map(vpc.tags());
    assert_eq!(tags.get("Account"), Some(&account));
    assert_eq!(tags.get("Partition").map(String::as_str), Some("aws"));
    assert_eq!(tags.get("Region").map(String::as_str), Some("us-east-1"));
    let subnets = cloud
        .block_on(
            cloud
                .ec2
                .describe_subnets()
                .filters(
                    aws_sdk_ec2::types::Filter::builder()
                        .name("vpc-id")
                        .values(vpc.vpc_id().unwrap_or_default())
                        .build(),
                )
                .send(),
        )
        .expect("DescribeSubnets");
    let mut subnet_zones: Vec<String> = subnets
        .subnets()
        .iter()
        .filter_map(|subnet| subnet.availability_zone().map(str::to_string))
        .collect();
    subnet_zones.sort();
    assert_eq!(subnet_zones, names[..2].to_vec());

    let output = text(&workspace.run_expecting(&["output", "account_id", &spec], 0));
    assert!(output.contains(&account), "{output}");
    let shown = text(&workspace.run_expecting(
        &[
            "state",
            "show",
            "data.aws_availability_zones.available",
            &spec,
        ],
        0,
    ));
    assert!(shown.contains(&names[0]), "{shown}");

    plan_is_clean(&workspace, &spec);
    destroy_leaves_nothing(&workspace, &spec);
    let shown = workspace.run(&["state", "show", "data.aws_caller_identity.current", &spec]);
    assert_ne!(
        shown.status.code(),
        Some(0),
        "data records go with the stack"
    );
}

#[test]
fn apply_creates_a_role_whose_policies_come_from_policy_documents() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let spec = workspace.copy_spec("tests/fixtures/data-iam-role");

    let apply = text(&workspace.run_expecting(&["apply", &spec, "--yes"], 0));
    assert!(apply.contains("Resources: 2 added"), "{apply}");

    let role = cloud
        .block_on(cloud.iam.get_role().role_name("data-fixture-app").send())
        .expect("GetRole");
    let trust = url_decode(
        role.role()
            .and_then(|role| role.assume_role_policy_document())
            .unwrap_or_default(),
    );
    let trust: serde_json::Value = serde_json::from_str(&trust).expect("trust policy JSON");
    assert_eq!(
        trust,
        serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Action": "sts:AssumeRole",
                "Principal": {"Service": ["lambda.amazonaws.com", "ecs-tasks.amazonaws.com"]}
            }]
        })
    );
    let inline = cloud
        .block_on(
            cloud
                .iam
                .get_role_policy()
                .role_name("data-fixture-app")
                .policy_name("data-fixture-inline")
                .send(),
        )
        .expect("GetRolePolicy");
    let document: serde_json::Value =
        serde_json::from_str(&url_decode(inline.policy_document())).expect("inline policy JSON");
    let statements = document["Statement"].as_array().expect("statements");
    assert_eq!(statements.len(), 3, "{document}");
    assert_eq!(statements[0]["Sid"], "ReadLogs");
    assert_eq!(
        statements[0]["Action"],
        serde_json::json!(["logs:GetLogEvents", "logs:DescribeLogStreams"])
    );
    assert_eq!(
        statements[1]["Resource"],
        "arn:aws:s3:::data-fixture-bucket/home/${aws:username}/*"
    );
    let account = statements[1]["Condition"]["StringEquals"]["aws:PrincipalAccount"]
        .as_str()
        .expect("the account condition");
    assert_eq!(account.len(), 12, "{document}");
    assert_eq!(
        statements[2]["NotAction"],
        serde_json::json!(["s3:*", "logs:*"])
    );

    // The document is Terraform's minified text, byte for byte.
    let output = text(&workspace.run_expecting(&["output", "inline_policy", &spec], 0));
    assert!(
        output.contains(r#"{"Version":"2012-10-17","Statement":[{"Sid":"ReadLogs","Effect":"Allow","Action":["logs:GetLogEvents","logs:DescribeLogStreams"],"Resource":"*"},{"Sid":"Objects""#),
        "{output}"
    );

    plan_is_clean(&workspace, &spec);
    destroy_leaves_nothing(&workspace, &spec);
    assert!(cloud
        .block_on(cloud.iam.get_role().role_name("data-fixture-app").send())
        .is_err());
}

#[test]
fn apply_deploys_a_lambda_zipped_by_archive_file() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let spec = workspace.copy_spec("tests/fixtures/data-lambda-archive");

    let apply = text(&workspace.run_expecting(&["apply", &spec, "--yes"], 0));
    assert!(apply.contains("Resources: 2 added"), "{apply}");
    let zip = std::fs::read(format!("{spec}/build/code.zip")).expect("archive_file wrote the zip");
    assert_eq!(&zip[..4], b"PK\x03\x04");
    let names: Vec<&str> = ["index.js", "package.json"]
        .into_iter()
        .filter(|name| {
            zip.windows(name.len())
                .any(|window| window == name.as_bytes())
        })
        .collect();
    assert_eq!(names, ["index.js", "package.json"]);

    let function = cloud
        .lambda_function("data-fixture-app")
        .expect("the function exists");
    use sha2::Digest;
    let expected = base64_of(&sha2::Sha256::digest(&zip));
    assert_eq!(function.code_sha256(), Some(expected.as_str()));
    assert_eq!(function.code_size(), zip.len() as i64);
    let output = text(&workspace.run_expecting(&["output", "code_size", &spec], 0));
    assert!(output.contains(&zip.len().to_string()), "{output}");

    plan_is_clean(&workspace, &spec);

    // New code: the archive changes, so the function's code is updated in place.
    std::fs::write(
        format!("{spec}/src/index.js"),
        "exports.handler = async () => ({ statusCode: 200, body: \"v2\" });\n",
    )
    .unwrap();
    let plan = json_output(&workspace.run_expecting(&["plan", &spec, "--json"], 0));
    assert_eq!(
        plan["summary"],
        serde_json::json!({"import": 0, "add": 0, "change": 1, "destroy": 0}),
        "{plan}"
    );
    workspace.run_expecting(&["apply", &spec, "--yes"], 0);
    let updated = cloud.lambda_function("data-fixture-app").expect("function");
    assert_ne!(updated.code_sha256(), Some(expected.as_str()));
    plan_is_clean(&workspace, &spec);
    destroy_leaves_nothing(&workspace, &spec);
    assert!(cloud.lambda_function("data-fixture-app").is_none());
}

#[test]
fn a_data_source_on_a_resource_of_the_same_run_is_read_during_apply() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let spec = workspace.copy_spec("tests/fixtures/data-deferred");

    let plan = text(&workspace.run_expecting(&["plan", &spec], 0));
    assert!(
        plan.contains("# data.aws_vpc.created will be read during apply"),
        "{plan}"
    );
    assert!(
        plan.contains("# (config refers to values not yet known)"),
        "{plan}"
    );
    assert!(
        plan.contains(" <= data \"aws_vpc\" \"created\" {"),
        "{plan}"
    );
    assert!(
        plan.contains("# (depends on a resource or a module with changes pending)"),
        "{plan}"
    );
    assert!(
        plan.contains("Plan: 2 to add, 0 to change, 0 to destroy."),
        "{plan}"
    );
    let json = json_output(&workspace.run_expecting(&["plan", &spec, "--json"], 0));
    let reads: Vec<&serde_json::Value> = json["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|change| change["action"] == "read")
        .collect();
    assert_eq!(reads.len(), 2, "{json}");
    assert_eq!(reads[0]["mode"], "data");

    let apply = text(&workspace.run_expecting(&["apply", &spec, "--yes"], 0));
    assert!(apply.contains("Resources: 2 added"), "{apply}");
    let subnets = cloud
        .block_on(
            cloud
                .ec2
                .describe_subnets()
                .filters(
                    aws_sdk_ec2::types::Filter::builder()
                        .name("cidr-block")
                        .values("10.50.1.0/24")
                        .build(),
                )
                .send(),
        )
        .expect("DescribeSubnets");
    let subnet_id = subnets.subnets()[0]
        .subnet_id()
        .expect("subnet id")
        .to_string();
    let output = text(&workspace.run_expecting(&["output", "subnet_ids", &spec], 0));
    assert!(output.contains(&subnet_id), "{output}");
    let output = text(&workspace.run_expecting(&["output", "vpc_cidr", &spec], 0));
    assert!(output.contains("10.50.0.0/16"), "{output}");

    // Now everything it depends on exists and is unchanged: read during plan, nothing to do.
    plan_is_clean(&workspace, &spec);
    destroy_leaves_nothing(&workspace, &spec);
}

fn base64_of(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut text = String::new();
    for chunk in bytes.chunks(3) {
        let triple = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for index in 0..4 {
            if index <= chunk.len() {
                text.push(ALPHABET[((triple >> (18 - 6 * index)) & 63) as usize] as char);
            } else {
                text.push('=');
            }
        }
    }
    text
}

/// IAM answers policy documents percent-encoded.
fn url_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' && index + 2 < bytes.len() + 1 {
            if let Ok(byte) = u8::from_str_radix(&text[index + 1..(index + 3).min(text.len())], 16)
            {
                decoded.push(byte);
                index += 3;
                continue;
            }
        }
        decoded.push(bytes[index]);
        index += 1;
    }
    String::from_utf8_lossy(&decoded).to_string()
}
