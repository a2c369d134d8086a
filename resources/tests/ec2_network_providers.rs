//! The VPC network providers (`aws_vpc`, `aws_subnet`, `aws_internet_gateway`, `aws_eip`,
//! `aws_nat_gateway`) driven directly against moto_server: create → wait → read → update →
//! delete → read is gone, delete of what is already gone, and recovery of a resource whose
//! create was "forgotten". Results are checked with direct SDK describe calls where it matters.
//!
//! Each test starts its own emulator. `PROVISION_POLL_MILLIS=50` keeps readiness polls short.

use std::collections::BTreeMap;
use std::sync::{Arc, Once};

use aws_sdk_ec2::types::{Filter, Tag, VpcAttributeName};
use provision_e2e::MotoServer;
use provision_resources::aws::ec2::{
    eip::Eip, internet_gateway::InternetGateway, nat_gateway::NatGateway, subnet::Subnet, vpc::Vpc,
};
use provision_resources::aws::AwsClients;
use provision_resources::{Attributes, ProviderContext, Resource, Value};

static FAST_POLLING: Once = Once::new();

/// Sets `PROVISION_POLL_MILLIS=50` once. Every test calls this before it starts anything that
/// reads the environment, and `Once` makes the others wait until it is set.
fn fast_polling() {
    FAST_POLLING.call_once(|| std::env::set_var("PROVISION_POLL_MILLIS", "50"));
}

struct Cloud {
    /// Kept alive for the test's duration (the emulator stops on drop).
    _server: MotoServer,
    clients: Arc<AwsClients>,
    /// Direct client for checks that do not go through the providers.
    ec2: aws_sdk_ec2::Client,
}

async fn cloud() -> Cloud {
    fast_polling();
    let server = MotoServer::start();
    let config = server.sdk_config().await;
    Cloud {
        clients: Arc::new(AwsClients::from_config(&config)),
        ec2: aws_sdk_ec2::Client::new(&config),
        _server: server,
    }
}

fn context(cloud: &Cloud, address: &str) -> ProviderContext {
    ProviderContext {
        clients: cloud.clients.clone(),
        stack: "test/stack".to_string(),
        address: address.to_string(),
        default_tags: BTreeMap::new(),
        idempotency_token: format!("3f1c9a52-7d4e-4b8a-9c1e-{:012x}", address.len()),
        progress: Default::default(),
    }
}

fn attributes(pairs: &[(&str, Value)]) -> Attributes {
    pairs
        .iter()
        .map(|(key, value)| (key.to_string(), value.clone()))
        .collect()
}

fn tags(pairs: &[(&str, &str)]) -> Value {
    Value::Map(
        pairs
            .iter()
            .map(|(key, value)| (key.to_string(), Value::string(*value)))
            .collect(),
    )
}

fn text<'a>(attributes: &'a Attributes, name: &str) -> &'a str {
    attributes
        .get(name)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("`{name}` is not a string in {attributes:?}"))
}

/// Every schema attribute is present (null where absent), so plans show no perpetual diffs.
fn assert_complete(resource: &dyn Resource, attributes: &Attributes) {
    for attribute in &resource.schema().attributes {
        assert!(
            attributes.contains_key(attribute.name),
            "{} result lacks `{}`: {attributes:?}",
            resource.type_name(),
            attribute.name
        );
    }
}

fn tag_map(tags: &[Tag]) -> BTreeMap<String, String> {
    tags.iter()
        .filter_map(|tag| Some((tag.key()?.to_string(), tag.value()?.to_string())))
        .collect()
}

fn assert_provision_tags(cloud_tags: &BTreeMap<String, String>, address: &str) {
    assert_eq!(
        cloud_tags.get("provision:stack").map(String::as_str),
        Some("test/stack")
    );
    assert_eq!(
        cloud_tags.get("provision:address").map(String::as_str),
        Some(address)
    );
}

async fn cloud_vpc_tags(cloud: &Cloud, id: &str) -> BTreeMap<String, String> {
    let output = cloud.ec2.describe_vpcs().vpc_ids(id).send().await.unwrap();
    tag_map(output.vpcs()[0].tags())
}

/// Creates and readies a VPC through the provider (fixture for the other types).
async fn make_vpc(cloud: &Cloud, address: &str, cidr_block: &str) -> Attributes {
    let context = context(cloud, address);
    let desired = attributes(&[("cidr_block", Value::string(cidr_block))]);
    let created = Vpc::new().create(&context, &desired).await.unwrap();
    Vpc::new()
        .wait_until_ready(&context, &created)
        .await
        .unwrap()
}

async fn make_subnet(cloud: &Cloud, vpc_id: &str, cidr_block: &str) -> Attributes {
    let context = context(cloud, "aws_subnet.fixture");
    let desired = attributes(&[
        ("vpc_id", Value::string(vpc_id)),
        ("cidr_block", Value::string(cidr_block)),
    ]);
    let created = Subnet::new().create(&context, &desired).await.unwrap();
    Subnet::new()
        .wait_until_ready(&context, &created)
        .await
        .unwrap()
}

#[tokio::test]
async fn vpc_lifecycle() {
    let cloud = cloud().await;
    let vpc = Vpc::new();
    let mut context = context(&cloud, "aws_vpc.main");
    context
        .default_tags
        .insert("Team".to_string(), "platform".to_string());
    let desired = attributes(&[
        ("cidr_block", Value::string("10.0.0.0/16")),
        ("enable_dns_support", Value::Bool(true)),
        ("enable_dns_hostnames", Value::Bool(false)),
        ("tags", tags(&[("Name", "main")])),
    ]);

    let created = vpc.create(&context, &desired).await.unwrap();
    let id = text(&created, "id").to_string();
    assert!(id.starts_with("vpc-"), "{id}");
    assert_complete(&vpc, &created);

    let ready = vpc.wait_until_ready(&context, &created).await.unwrap();
    assert_complete(&vpc, &ready);
    assert_eq!(text(&ready, "cidr_block"), "10.0.0.0/16");
    assert_eq!(text(&ready, "instance_tenancy"), "default");
    assert_eq!(ready.get("enable_dns_support"), Some(&Value::Bool(true)));
    assert_eq!(ready.get("enable_dns_hostnames"), Some(&Value::Bool(false)));
    assert!(text(&ready, "default_security_group_id").starts_with("sg-"));
    assert!(text(&ready, "main_route_table_id").starts_with("rtb-"));
    assert!(text(&ready, "default_network_acl_id").starts_with("acl-"));
    assert_eq!(
        text(&ready, "arn"),
        format!(
            "arn:aws:ec2:us-east-1:{}:vpc/{id}",
            text(&ready, "owner_id")
        )
    );
    // Default tags are in tags_all, not in tags; provision:* in neither.
    assert_eq!(ready.get("tags"), Some(&tags(&[("Name", "main")])));
    assert_eq!(
        ready.get("tags_all"),
        Some(&tags(&[("Name", "main"), ("Team", "platform")]))
    );
    let cloud_tags = cloud_vpc_tags(&cloud, &id).await;
    assert_provision_tags(&cloud_tags, "aws_vpc.main");
    assert_eq!(cloud_tags.get("Team").map(String::as_str), Some("platform"));

    let read = vpc.read(&context, &id, &ready).await.unwrap().unwrap();
    assert_eq!(read, ready);

    // Update: DNS hostnames on, tag Name removed, Env added.
    let mut changed = desired.clone();
    changed.insert("enable_dns_hostnames".into(), Value::Bool(true));
    changed.insert("tags".into(), tags(&[("Env", "test")]));
    let updated = vpc.update(&context, &id, &ready, &changed).await.unwrap();
    assert_eq!(
        updated.get("enable_dns_hostnames"),
        Some(&Value::Bool(true))
    );
    assert_eq!(updated.get("tags"), Some(&tags(&[("Env", "test")])));
    let hostnames = cloud
        .ec2
        .describe_vpc_attribute()
        .vpc_id(&id)
        .attribute(VpcAttributeName::EnableDnsHostnames)
        .send()
        .await
        .unwrap();
    assert_eq!(
        hostnames
            .enable_dns_hostnames()
            .and_then(|flag| flag.value()),
        Some(true)
    );
    let cloud_tags = cloud_vpc_tags(&cloud, &id).await;
    assert!(!cloud_tags.contains_key("Name"), "{cloud_tags:?}");
    assert_eq!(cloud_tags.get("Env").map(String::as_str), Some("test"));
    assert_provision_tags(&cloud_tags, "aws_vpc.main");

    vpc.delete(&context, &id, &updated).await.unwrap();
    assert_eq!(vpc.read(&context, &id, &updated).await.unwrap(), None);
    vpc.delete(&context, &id, &updated).await.unwrap();
}

#[tokio::test]
async fn vpc_created_with_dns_hostnames_gets_them_when_ready() {
    let cloud = cloud().await;
    let vpc = Vpc::new();
    let context = context(&cloud, "aws_vpc.dns");
    let desired = attributes(&[
        ("cidr_block", Value::string("10.1.0.0/16")),
        ("enable_dns_hostnames", Value::Bool(true)),
    ]);
    let created = vpc.create(&context, &desired).await.unwrap();
    let ready = vpc.wait_until_ready(&context, &created).await.unwrap();
    assert_eq!(ready.get("enable_dns_hostnames"), Some(&Value::Bool(true)));
    assert_eq!(ready.get("tags"), Some(&tags(&[])));
}

#[tokio::test]
async fn subnet_lifecycle() {
    let cloud = cloud().await;
    let vpc = make_vpc(&cloud, "aws_vpc.main", "10.0.0.0/16").await;
    let vpc_id = text(&vpc, "id");
    let subnet = Subnet::new();
    let context = context(&cloud, "aws_subnet.public[0]");
    let desired = attributes(&[
        ("vpc_id", Value::string(vpc_id)),
        ("cidr_block", Value::string("10.0.1.0/24")),
        ("availability_zone", Value::string("us-east-1a")),
        ("map_public_ip_on_launch", Value::Bool(false)),
        ("tags", tags(&[("Name", "public-a")])),
    ]);

    let created = subnet.create(&context, &desired).await.unwrap();
    let id = text(&created, "id").to_string();
    assert!(id.starts_with("subnet-"), "{id}");
    assert_complete(&subnet, &created);
    let ready = subnet.wait_until_ready(&context, &created).await.unwrap();
    assert_complete(&subnet, &ready);
    assert_eq!(text(&ready, "vpc_id"), vpc_id);
    assert_eq!(text(&ready, "cidr_block"), "10.0.1.0/24");
    assert_eq!(text(&ready, "availability_zone"), "us-east-1a");
    assert!(!text(&ready, "availability_zone_id").is_empty());
    assert!(text(&ready, "arn").ends_with(&format!(":subnet/{id}")));
    assert!(!text(&ready, "owner_id").is_empty());
    assert_eq!(
        ready.get("map_public_ip_on_launch"),
        Some(&Value::Bool(false))
    );
    assert_eq!(ready.get("tags"), Some(&tags(&[("Name", "public-a")])));
    let described = cloud
        .ec2
        .describe_subnets()
        .subnet_ids(&id)
        .send()
        .await
        .unwrap();
    assert_provision_tags(
        &tag_map(described.subnets()[0].tags()),
        "aws_subnet.public[0]",
    );

    let mut changed = desired.clone();
    changed.insert("map_public_ip_on_launch".into(), Value::Bool(true));
    changed.insert(
        "tags".into(),
        tags(&[("Name", "public-a"), ("Tier", "web")]),
    );
    let updated = subnet
        .update(&context, &id, &ready, &changed)
        .await
        .unwrap();
    assert_eq!(
        updated.get("map_public_ip_on_launch"),
        Some(&Value::Bool(true))
    );
    let described = cloud
        .ec2
        .describe_subnets()
        .subnet_ids(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(described.subnets()[0].map_public_ip_on_launch(), Some(true));
    assert_eq!(
        tag_map(described.subnets()[0].tags())
            .get("Tier")
            .map(String::as_str),
        Some("web")
    );

    // A subnet asked for with map_public_ip_on_launch gets it once ready.
    let public = attributes(&[
        ("vpc_id", Value::string(vpc_id)),
        ("cidr_block", Value::string("10.0.2.0/24")),
        ("map_public_ip_on_launch", Value::Bool(true)),
    ]);
    let public_context = self::context(&cloud, "aws_subnet.public[1]");
    let created_public = subnet.create(&public_context, &public).await.unwrap();
    let ready_public = subnet
        .wait_until_ready(&public_context, &created_public)
        .await
        .unwrap();
    assert_eq!(
        ready_public.get("map_public_ip_on_launch"),
        Some(&Value::Bool(true))
    );
    assert!(ready_public
        .get("availability_zone")
        .and_then(Value::as_str)
        .is_some_and(|zone| zone.starts_with("us-east-1")));

    subnet.delete(&context, &id, &updated).await.unwrap();
    assert_eq!(subnet.read(&context, &id, &updated).await.unwrap(), None);
    subnet.delete(&context, &id, &updated).await.unwrap();
}

#[tokio::test]
async fn internet_gateway_lifecycle() {
    let cloud = cloud().await;
    let first_vpc = make_vpc(&cloud, "aws_vpc.first", "10.0.0.0/16").await;
    let second_vpc = make_vpc(&cloud, "aws_vpc.second", "10.1.0.0/16").await;
    let first_vpc_id = text(&first_vpc, "id");
    let second_vpc_id = text(&second_vpc, "id");
    let gateway = InternetGateway::new();
    let context = context(&cloud, "aws_internet_gateway.main");
    let desired = attributes(&[
        ("vpc_id", Value::string(first_vpc_id)),
        ("tags", tags(&[("Name", "main")])),
    ]);

    let created = gateway.create(&context, &desired).await.unwrap();
    let id = text(&created, "id").to_string();
    assert!(id.starts_with("igw-"), "{id}");
    assert_complete(&gateway, &created);
    let ready = gateway.wait_until_ready(&context, &created).await.unwrap();
    assert_complete(&gateway, &ready);
    assert_eq!(text(&ready, "vpc_id"), first_vpc_id);
    assert!(text(&ready, "arn").ends_with(&format!(":internet-gateway/{id}")));
    assert_eq!(ready.get("tags"), Some(&tags(&[("Name", "main")])));

    let attached_vpcs = |output: aws_sdk_ec2::operation::describe_internet_gateways::DescribeInternetGatewaysOutput| {
        let gateway = &output.internet_gateways()[0];
        (
            gateway
                .attachments()
                .iter()
                .filter_map(|attachment| attachment.vpc_id().map(str::to_string))
                .collect::<Vec<_>>(),
            tag_map(gateway.tags()),
        )
    };
    let describe = || {
        cloud
            .ec2
            .describe_internet_gateways()
            .internet_gateway_ids(&id)
            .send()
    };
    let (vpcs, cloud_tags) = attached_vpcs(describe().await.unwrap());
    assert_eq!(vpcs, vec![first_vpc_id.to_string()]);
    assert_provision_tags(&cloud_tags, "aws_internet_gateway.main");

    // Move to the second VPC, in place.
    let mut moved = desired.clone();
    moved.insert("vpc_id".into(), Value::string(second_vpc_id));
    let updated = gateway.update(&context, &id, &ready, &moved).await.unwrap();
    assert_eq!(text(&updated, "id"), id);
    assert_eq!(text(&updated, "vpc_id"), second_vpc_id);
    let (vpcs, _) = attached_vpcs(describe().await.unwrap());
    assert_eq!(vpcs, vec![second_vpc_id.to_string()]);

    // Detach entirely, and change tags.
    let detached_desired = attributes(&[("tags", tags(&[("Name", "spare")]))]);
    let detached = gateway
        .update(&context, &id, &updated, &detached_desired)
        .await
        .unwrap();
    assert_eq!(detached.get("vpc_id"), Some(&Value::Null));
    assert_eq!(detached.get("tags"), Some(&tags(&[("Name", "spare")])));
    let (vpcs, cloud_tags) = attached_vpcs(describe().await.unwrap());
    assert!(vpcs.is_empty(), "{vpcs:?}");
    assert_eq!(cloud_tags.get("Name").map(String::as_str), Some("spare"));

    // Re-attach, then delete: delete detaches first.
    let attached = gateway
        .update(&context, &id, &detached, &desired)
        .await
        .unwrap();
    assert_eq!(text(&attached, "vpc_id"), first_vpc_id);
    gateway.delete(&context, &id, &attached).await.unwrap();
    assert_eq!(gateway.read(&context, &id, &attached).await.unwrap(), None);
    let error = describe().await.unwrap_err();
    assert_eq!(
        aws_sdk_ec2::error::ProvideErrorMetadata::code(&error),
        Some("InvalidInternetGatewayID.NotFound")
    );
    gateway.delete(&context, &id, &attached).await.unwrap();
}

#[tokio::test]
async fn eip_and_nat_gateway_lifecycle() {
    let cloud = cloud().await;
    let vpc = make_vpc(&cloud, "aws_vpc.main", "10.0.0.0/16").await;
    let subnet = make_subnet(&cloud, text(&vpc, "id"), "10.0.1.0/24").await;
    let subnet_id = text(&subnet, "id");

    let eip = Eip::new();
    let eip_context = context(&cloud, "aws_eip.nat");
    let eip_desired = attributes(&[
        ("domain", Value::string("vpc")),
        ("tags", tags(&[("Name", "nat")])),
    ]);
    let address = eip.create(&eip_context, &eip_desired).await.unwrap();
    assert_complete(&eip, &address);
    let allocation_id = text(&address, "id").to_string();
    assert!(allocation_id.starts_with("eipalloc-"), "{allocation_id}");
    assert_eq!(text(&address, "allocation_id"), allocation_id);
    let public_ip = text(&address, "public_ip").to_string();
    assert_eq!(
        text(&address, "public_dns"),
        format!(
            "ec2-{}.compute-1.amazonaws.com",
            public_ip.replace('.', "-")
        )
    );
    let address = eip.wait_until_ready(&eip_context, &address).await.unwrap();
    assert_complete(&eip, &address);
    assert_eq!(text(&address, "domain"), "vpc");
    assert_eq!(address.get("association_id"), Some(&Value::Null));
    assert_eq!(address.get("tags"), Some(&tags(&[("Name", "nat")])));
    let described = cloud
        .ec2
        .describe_addresses()
        .allocation_ids(&allocation_id)
        .send()
        .await
        .unwrap();
    assert_provision_tags(&tag_map(described.addresses()[0].tags()), "aws_eip.nat");

    let nat = NatGateway::new();
    let nat_context = context(&cloud, "aws_nat_gateway.main");
    let nat_desired = attributes(&[
        ("allocation_id", Value::string(&allocation_id)),
        ("subnet_id", Value::string(subnet_id)),
        ("connectivity_type", Value::string("public")),
        ("tags", tags(&[("Name", "main")])),
    ]);
    let created = nat.create(&nat_context, &nat_desired).await.unwrap();
    assert_complete(&nat, &created);
    let nat_id = text(&created, "id").to_string();
    assert!(nat_id.starts_with("nat-"), "{nat_id}");
    let ready = nat.wait_until_ready(&nat_context, &created).await.unwrap();
    assert_complete(&nat, &ready);
    assert_eq!(text(&ready, "subnet_id"), subnet_id);
    assert_eq!(text(&ready, "allocation_id"), allocation_id);
    assert_eq!(text(&ready, "connectivity_type"), "public");
    assert_eq!(text(&ready, "public_ip"), public_ip);
    // moto picks the private IP at random, not inside the subnet: check only that it is one.
    assert!(text(&ready, "private_ip")
        .parse::<std::net::Ipv4Addr>()
        .is_ok());
    assert!(text(&ready, "network_interface_id").starts_with("eni-"));
    let described = cloud
        .ec2
        .describe_nat_gateways()
        .nat_gateway_ids(&nat_id)
        .send()
        .await
        .unwrap();
    assert_provision_tags(
        &tag_map(described.nat_gateways()[0].tags()),
        "aws_nat_gateway.main",
    );

    // The address now shows its association with the NAT gateway's interface.
    let associated = eip
        .read(&eip_context, &allocation_id, &address)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        associated.get("network_interface"),
        ready.get("network_interface_id")
    );

    // Tags change in place on both.
    let mut retagged = nat_desired.clone();
    retagged.insert("tags".into(), tags(&[("Name", "main"), ("Env", "test")]));
    let updated = nat
        .update(&nat_context, &nat_id, &ready, &retagged)
        .await
        .unwrap();
    assert_eq!(
        updated.get("tags"),
        Some(&tags(&[("Env", "test"), ("Name", "main")]))
    );
    let mut eip_retagged = eip_desired.clone();
    eip_retagged.insert("tags".into(), tags(&[("Name", "nat-ip")]));
    let address = eip
        .update(&eip_context, &allocation_id, &address, &eip_retagged)
        .await
        .unwrap();
    assert_eq!(address.get("tags"), Some(&tags(&[("Name", "nat-ip")])));

    // Delete in dependency order; each twice.
    nat.delete(&nat_context, &nat_id, &updated).await.unwrap();
    assert_eq!(
        nat.read(&nat_context, &nat_id, &updated).await.unwrap(),
        None
    );
    nat.delete(&nat_context, &nat_id, &updated).await.unwrap();
    nat.delete(&nat_context, "nat-0123456789abcdef0", &updated)
        .await
        .unwrap();

    eip.delete(&eip_context, &allocation_id, &address)
        .await
        .unwrap();
    assert_eq!(
        eip.read(&eip_context, &allocation_id, &address)
            .await
            .unwrap(),
        None
    );
    eip.delete(&eip_context, &allocation_id, &address)
        .await
        .unwrap();

    let subnet_context = context(&cloud, "aws_subnet.fixture");
    Subnet::new()
        .delete(&subnet_context, subnet_id, &subnet)
        .await
        .unwrap();
    Vpc::new()
        .delete(&context(&cloud, "aws_vpc.main"), text(&vpc, "id"), &vpc)
        .await
        .unwrap();
}

#[tokio::test]
async fn recover_finds_forgotten_creates_by_tags() {
    let cloud = cloud().await;
    let nothing = Attributes::new();

    // Nothing there yet: nothing recovered.
    let vpc_context = context(&cloud, "aws_vpc.lost");
    assert_eq!(
        Vpc::new().recover(&vpc_context, &nothing).await.unwrap(),
        None
    );

    // VPC: created, the answer "lost".
    let vpc_desired = attributes(&[("cidr_block", Value::string("10.9.0.0/16"))]);
    let vpc_id = text(
        &Vpc::new().create(&vpc_context, &vpc_desired).await.unwrap(),
        "id",
    )
    .to_string();
    // A fixture VPC at another address must not be mistaken for it.
    make_vpc(&cloud, "aws_vpc.other", "10.8.0.0/16").await;
    let recovered = Vpc::new()
        .recover(&vpc_context, &vpc_desired)
        .await
        .unwrap()
        .expect("the VPC is recovered");
    assert_eq!(text(&recovered, "id"), vpc_id);
    assert_complete(&Vpc::new(), &recovered);
    let other_stack = ProviderContext {
        stack: "test/other-stack".into(),
        ..vpc_context.clone()
    };
    assert_eq!(
        Vpc::new()
            .recover(&other_stack, &vpc_desired)
            .await
            .unwrap(),
        None
    );

    // Subnet.
    let subnet_context = context(&cloud, "aws_subnet.lost");
    let subnet_desired = attributes(&[
        ("vpc_id", Value::string(&vpc_id)),
        ("cidr_block", Value::string("10.9.1.0/24")),
    ]);
    assert_eq!(
        Subnet::new()
            .recover(&subnet_context, &subnet_desired)
            .await
            .unwrap(),
        None
    );
    let subnet_id = text(
        &Subnet::new()
            .create(&subnet_context, &subnet_desired)
            .await
            .unwrap(),
        "id",
    )
    .to_string();
    let recovered = Subnet::new()
        .recover(&subnet_context, &subnet_desired)
        .await
        .unwrap()
        .expect("the subnet is recovered");
    assert_eq!(text(&recovered, "id"), subnet_id);

    // Internet gateway.
    let gateway_context = context(&cloud, "aws_internet_gateway.lost");
    assert_eq!(
        InternetGateway::new()
            .recover(&gateway_context, &nothing)
            .await
            .unwrap(),
        None
    );
    let gateway_id = text(
        &InternetGateway::new()
            .create(&gateway_context, &nothing)
            .await
            .unwrap(),
        "id",
    )
    .to_string();
    let recovered = InternetGateway::new()
        .recover(&gateway_context, &nothing)
        .await
        .unwrap()
        .expect("the internet gateway is recovered");
    assert_eq!(text(&recovered, "id"), gateway_id);

    // Elastic IP.
    let eip_context = context(&cloud, "aws_eip.lost");
    assert_eq!(
        Eip::new().recover(&eip_context, &nothing).await.unwrap(),
        None
    );
    let allocation_id = text(
        &Eip::new().create(&eip_context, &nothing).await.unwrap(),
        "id",
    )
    .to_string();
    let recovered = Eip::new()
        .recover(&eip_context, &nothing)
        .await
        .unwrap()
        .expect("the elastic IP is recovered");
    assert_eq!(text(&recovered, "id"), allocation_id);

    // NAT gateway (moto ignores ClientToken: recovery by tags is what finds it).
    let nat_context = context(&cloud, "aws_nat_gateway.lost");
    let nat_desired = attributes(&[
        ("allocation_id", Value::string(&allocation_id)),
        ("subnet_id", Value::string(&subnet_id)),
    ]);
    assert_eq!(
        NatGateway::new()
            .recover(&nat_context, &nat_desired)
            .await
            .unwrap(),
        None
    );
    let nat_id = text(
        &NatGateway::new()
            .create(&nat_context, &nat_desired)
            .await
            .unwrap(),
        "id",
    )
    .to_string();
    let recovered = NatGateway::new()
        .recover(&nat_context, &nat_desired)
        .await
        .unwrap()
        .expect("the NAT gateway is recovered");
    assert_eq!(text(&recovered, "id"), nat_id);
    assert_complete(&NatGateway::new(), &recovered);
    let elsewhere = context(&cloud, "aws_nat_gateway.elsewhere");
    assert_eq!(
        NatGateway::new()
            .recover(&elsewhere, &nat_desired)
            .await
            .unwrap(),
        None
    );
    // A deleted NAT gateway is not recovered.
    NatGateway::new()
        .delete(&nat_context, &nat_id, &recovered)
        .await
        .unwrap();
    assert_eq!(
        NatGateway::new()
            .recover(&nat_context, &nat_desired)
            .await
            .unwrap(),
        None
    );

    // The recovered VPC is the real one: tagged on the cloud.
    let cloud_tags = cloud_vpc_tags(&cloud, &vpc_id).await;
    assert_provision_tags(&cloud_tags, "aws_vpc.lost");
    let filtered = cloud
        .ec2
        .describe_vpcs()
        .filters(
            Filter::builder()
                .name("tag:provision:address")
                .values("aws_vpc.lost")
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(filtered.vpcs().len(), 1);
}
