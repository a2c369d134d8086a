//! Drives the routing and security providers (`aws_route_table`, `aws_route`,
//! `aws_route_table_association`, `aws_security_group`, `aws_vpc_security_group_ingress_rule`,
//! `aws_vpc_security_group_egress_rule`) directly against moto_server, checking the cloud with
//! direct SDK describe calls rather than with the providers' own reads.

use std::collections::BTreeMap;
use std::sync::Arc;

use aws_sdk_ec2::types::{Filter, IpPermission, RouteTable};
use provision_e2e::MotoServer;
use provision_resources::aws::ec2::route::Route;
use provision_resources::aws::ec2::route_table::RouteTable as RouteTableProvider;
use provision_resources::aws::ec2::route_table_association::RouteTableAssociation;
use provision_resources::aws::ec2::security_group::SecurityGroup;
use provision_resources::aws::ec2::vpc_security_group_egress_rule::VpcSecurityGroupEgressRule;
use provision_resources::aws::ec2::vpc_security_group_ingress_rule::VpcSecurityGroupIngressRule;
use provision_resources::aws::AwsClients;
use provision_resources::{Attributes, ProviderContext, Resource, Value};

struct Cloud {
    _server: MotoServer,
    ec2: aws_sdk_ec2::Client,
    clients: Arc<AwsClients>,
    vpc_id: String,
    subnet_id: String,
}

impl Cloud {
    async fn start() -> Cloud {
        std::env::set_var("PROVISION_POLL_MILLIS", "50");
        let server = MotoServer::start();
        let config = server.sdk_config().await;
        let ec2 = aws_sdk_ec2::Client::new(&config);
        let clients = Arc::new(AwsClients::from_config(&config));
        let vpc_id = ec2
            .create_vpc()
            .cidr_block("10.0.0.0/16")
            .send()
            .await
            .expect("CreateVpc")
            .vpc()
            .and_then(|vpc| vpc.vpc_id())
            .expect("vpc id")
            .to_string();
        let subnet_id = ec2
            .create_subnet()
            .vpc_id(&vpc_id)
            .cidr_block("10.0.1.0/24")
            .send()
            .await
            .expect("CreateSubnet")
            .subnet()
            .and_then(|subnet| subnet.subnet_id())
            .expect("subnet id")
            .to_string();
        Cloud {
            _server: server,
            ec2,
            clients,
            vpc_id,
            subnet_id,
        }
    }

    fn context(&self, address: &str) -> ProviderContext {
        ProviderContext {
            clients: self.clients.clone(),
            stack: "test/stack".to_string(),
            address: address.to_string(),
            default_tags: BTreeMap::new(),
            idempotency_token: format!("token-{address}"),
            progress: Default::default(),
        }
    }

    async fn internet_gateway(&self) -> String {
        let id = self
            .ec2
            .create_internet_gateway()
            .send()
            .await
            .expect("CreateInternetGateway")
            .internet_gateway()
            .and_then(|gateway| gateway.internet_gateway_id())
            .expect("gateway id")
            .to_string();
        self.ec2
            .attach_internet_gateway()
            .internet_gateway_id(&id)
            .vpc_id(&self.vpc_id)
            .send()
            .await
            .expect("AttachInternetGateway");
        id
    }

    async fn nat_gateway(&self) -> String {
        let allocation = self
            .ec2
            .allocate_address()
            .domain(aws_sdk_ec2::types::DomainType::Vpc)
            .send()
            .await
            .expect("AllocateAddress");
        self.ec2
            .create_nat_gateway()
            .subnet_id(&self.subnet_id)
            .allocation_id(allocation.allocation_id().expect("allocation id"))
            .send()
            .await
            .expect("CreateNatGateway")
            .nat_gateway()
            .and_then(|gateway| gateway.nat_gateway_id())
            .expect("nat gateway id")
            .to_string()
    }

    async fn bare_route_table(&self) -> String {
        self.ec2
            .create_route_table()
            .vpc_id(&self.vpc_id)
            .send()
            .await
            .expect("CreateRouteTable")
            .route_table()
            .and_then(|table| table.route_table_id())
            .expect("route table id")
            .to_string()
    }

    async fn route_table(&self, id: &str) -> Option<RouteTable> {
        match self
            .ec2
            .describe_route_tables()
            .route_table_ids(id)
            .send()
            .await
        {
            Ok(output) => output.route_tables().first().cloned(),
            Err(_) => None,
        }
    }

    /// Non-local routes of a table as destination → target.
    async fn routes(&self, id: &str) -> BTreeMap<String, String> {
        let table = self.route_table(id).await.expect("route table exists");
        table
            .routes()
            .iter()
            .filter(|route| route.gateway_id() != Some("local"))
            .map(|route| {
                let target = route
                    .gateway_id()
                    .or(route.nat_gateway_id())
                    .unwrap_or("none");
                (
                    route
                        .destination_cidr_block()
                        .unwrap_or_default()
                        .to_string(),
                    target.to_string(),
                )
            })
            .collect()
    }

    async fn security_group(&self, id: &str) -> Option<aws_sdk_ec2::types::SecurityGroup> {
        match self
            .ec2
            .describe_security_groups()
            .group_ids(id)
            .send()
            .await
        {
            Ok(output) => output.security_groups().first().cloned(),
            Err(_) => None,
        }
    }
}

fn attributes(entries: &[(&str, Value)]) -> Attributes {
    entries
        .iter()
        .map(|(key, value)| (key.to_string(), value.clone()))
        .collect()
}

fn map(entries: &[(&str, Value)]) -> Value {
    Value::Map(attributes(entries))
}

fn strings(items: &[&str]) -> Value {
    Value::List(items.iter().map(|item| Value::string(*item)).collect())
}

fn text(attributes: &Attributes, name: &str) -> String {
    attributes
        .get(name)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("{name} missing in {attributes:?}"))
        .to_string()
}

/// Permissions as sorted "protocol from-to source" lines, for assertions.
fn permission_lines(permissions: &[IpPermission]) -> Vec<String> {
    let mut lines = Vec::new();
    for permission in permissions {
        let head = format!(
            "{} {}-{}",
            permission.ip_protocol().unwrap_or_default(),
            permission.from_port().unwrap_or(0),
            permission.to_port().unwrap_or(0)
        );
        for range in permission.ip_ranges() {
            lines.push(format!("{head} {}", range.cidr_ip().unwrap_or_default()));
        }
        for pair in permission.user_id_group_pairs() {
            lines.push(format!("{head} {}", pair.group_id().unwrap_or_default()));
        }
    }
    lines.sort();
    lines
}

/// Sorted rendering of a set-valued attribute (a list of blocks), to compare as sets.
fn as_set(value: Option<&Value>) -> Vec<String> {
    let mut items: Vec<String> = value
        .and_then(Value::as_list)
        .unwrap_or_default()
        .iter()
        .map(Value::to_string)
        .collect();
    items.sort();
    items
}

fn tag(tags: &[aws_sdk_ec2::types::Tag], key: &str) -> Option<String> {
    tags.iter()
        .find(|tag| tag.key() == Some(key))
        .and_then(|tag| tag.value())
        .map(str::to_string)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn route_tables_routes_and_associations() {
    let cloud = Cloud::start().await;
    let internet_gateway = cloud.internet_gateway().await;
    let nat_gateway = cloud.nat_gateway().await;

    // aws_route_table with an inline route.
    let provider = RouteTableProvider::new();
    let context = cloud.context("aws_route_table.public");
    let default_route = |target_key: &str, target: &str| {
        map(&[
            ("cidr_block", Value::string("0.0.0.0/0")),
            (target_key, Value::string(target)),
        ])
    };
    let desired = attributes(&[
        ("vpc_id", Value::string(&cloud.vpc_id)),
        (
            "route",
            Value::List(vec![default_route("gateway_id", &internet_gateway)]),
        ),
        ("tags", map(&[("Name", Value::string("public"))])),
    ]);
    let created = provider.create(&context, &desired).await.expect("create");
    let table_id = text(&created, "id");
    assert_eq!(
        cloud.routes(&table_id).await,
        BTreeMap::from([("0.0.0.0/0".to_string(), internet_gateway.clone())])
    );
    let table = cloud.route_table(&table_id).await.expect("table");
    assert_eq!(
        tag(table.tags(), "provision:address").as_deref(),
        Some("aws_route_table.public")
    );
    assert_eq!(tag(table.tags(), "Name").as_deref(), Some("public"));
    assert_eq!(created.get("route"), desired.get("route"));
    assert!(text(&created, "arn").ends_with(&format!("route-table/{table_id}")));
    let read = provider
        .read(&context, &table_id, &created)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(read, created, "a second read shows no diff");

    // Change the route's target, add a route, change tags: all in place.
    let changed = attributes(&[
        ("vpc_id", Value::string(&cloud.vpc_id)),
        (
            "route",
            Value::List(vec![
                default_route("nat_gateway_id", &nat_gateway),
                map(&[
                    ("cidr_block", Value::string("192.168.0.0/16")),
                    ("gateway_id", Value::string(&internet_gateway)),
                ]),
            ]),
        ),
        ("tags", map(&[("Name", Value::string("private"))])),
    ]);
    let updated = provider
        .update(&context, &table_id, &read, &changed)
        .await
        .expect("update");
    assert_eq!(
        cloud.routes(&table_id).await,
        BTreeMap::from([
            ("0.0.0.0/0".to_string(), nat_gateway.clone()),
            ("192.168.0.0/16".to_string(), internet_gateway.clone()),
        ])
    );
    assert_eq!(as_set(updated.get("route")), as_set(changed.get("route")));
    let table = cloud.route_table(&table_id).await.expect("table");
    assert_eq!(tag(table.tags(), "Name").as_deref(), Some("private"));

    // Remove a route.
    let shrunk = attributes(&[
        ("vpc_id", Value::string(&cloud.vpc_id)),
        (
            "route",
            Value::List(vec![map(&[
                ("cidr_block", Value::string("192.168.0.0/16")),
                ("gateway_id", Value::string(&internet_gateway)),
            ])]),
        ),
        ("tags", map(&[("Name", Value::string("private"))])),
    ]);
    let updated = provider
        .update(&context, &table_id, &updated, &shrunk)
        .await
        .expect("update");
    assert_eq!(
        cloud.routes(&table_id).await,
        BTreeMap::from([("192.168.0.0/16".to_string(), internet_gateway.clone())])
    );
    let reread = provider
        .read(&context, &table_id, &updated)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(reread, updated);
    assert_eq!(reread.get("route"), shrunk.get("route"));

    // Recovery finds the table by its provision:* tags.
    let recovered = provider
        .recover(&context, &shrunk)
        .await
        .expect("recover")
        .expect("found");
    assert_eq!(text(&recovered, "id"), table_id);
    assert!(provider
        .recover(&cloud.context("aws_route_table.other"), &shrunk)
        .await
        .expect("recover")
        .is_none());

    // aws_route_table_association: associate, move to another table, disassociate.
    let other_table = cloud.bare_route_table().await;
    let associations = RouteTableAssociation::new();
    let association_context = cloud.context("aws_route_table_association.a");
    let wanted = attributes(&[
        ("subnet_id", Value::string(&cloud.subnet_id)),
        ("route_table_id", Value::string(&table_id)),
    ]);
    let association = associations
        .create(&association_context, &wanted)
        .await
        .expect("associate");
    let association_id = text(&association, "id");
    assert_eq!(text(&association, "route_table_id"), table_id);
    let table = cloud.route_table(&table_id).await.expect("table");
    assert!(table
        .associations()
        .iter()
        .any(|found| found.subnet_id() == Some(cloud.subnet_id.as_str())));
    assert_eq!(
        associations
            .read(&association_context, &association_id, &association)
            .await
            .expect("read"),
        Some(association.clone())
    );
    let recovered = associations
        .recover(&association_context, &wanted)
        .await
        .expect("recover")
        .expect("found");
    assert_eq!(text(&recovered, "id"), association_id);

    let moved_wanted = attributes(&[
        ("subnet_id", Value::string(&cloud.subnet_id)),
        ("route_table_id", Value::string(&other_table)),
    ]);
    let moved = associations
        .update(
            &association_context,
            &association_id,
            &association,
            &moved_wanted,
        )
        .await
        .expect("re-associate");
    let moved_id = text(&moved, "id");
    assert_eq!(text(&moved, "route_table_id"), other_table);
    let other = cloud.route_table(&other_table).await.expect("table");
    assert!(other
        .associations()
        .iter()
        .any(|found| found.subnet_id() == Some(cloud.subnet_id.as_str())));
    let table = cloud.route_table(&table_id).await.expect("table");
    assert!(table.associations().is_empty());

    associations
        .delete(&association_context, &moved_id, &moved)
        .await
        .expect("disassociate");
    let other = cloud.route_table(&other_table).await.expect("table");
    assert!(other.associations().is_empty());
    assert_eq!(
        associations
            .read(&association_context, &moved_id, &moved)
            .await
            .expect("read"),
        None
    );
    associations
        .delete(&association_context, &moved_id, &moved)
        .await
        .expect("deleting what is gone succeeds");

    // aws_route in the other table: create, change target, delete.
    let routes = Route::new();
    let route_context = cloud.context("aws_route.egress");
    let route_wanted = attributes(&[
        ("route_table_id", Value::string(&other_table)),
        ("destination_cidr_block", Value::string("0.0.0.0/0")),
        ("gateway_id", Value::string(&internet_gateway)),
    ]);
    let route = routes
        .create(&route_context, &route_wanted)
        .await
        .expect("create route");
    let route_id = text(&route, "id");
    assert_eq!(route_id, format!("{other_table}_0.0.0.0/0"));
    assert_eq!(
        cloud.routes(&other_table).await,
        BTreeMap::from([("0.0.0.0/0".to_string(), internet_gateway.clone())])
    );
    assert_eq!(route.get("nat_gateway_id"), Some(&Value::Null));
    assert_eq!(
        routes
            .read(&route_context, &route_id, &route)
            .await
            .expect("read"),
        Some(route.clone())
    );
    let recovered = routes
        .recover(&route_context, &route_wanted)
        .await
        .expect("recover")
        .expect("found");
    assert_eq!(recovered, route);

    let retargeted_wanted = attributes(&[
        ("route_table_id", Value::string(&other_table)),
        ("destination_cidr_block", Value::string("0.0.0.0/0")),
        ("nat_gateway_id", Value::string(&nat_gateway)),
    ]);
    let retargeted = routes
        .update(&route_context, &route_id, &route, &retargeted_wanted)
        .await
        .expect("replace route");
    assert_eq!(text(&retargeted, "nat_gateway_id"), nat_gateway);
    assert_eq!(retargeted.get("gateway_id"), Some(&Value::Null));
    assert_eq!(
        cloud.routes(&other_table).await,
        BTreeMap::from([("0.0.0.0/0".to_string(), nat_gateway.clone())])
    );

    // A route table without `route` blocks leaves routes managed by aws_route alone.
    let table_provider_for_other = RouteTableProvider::new();
    let other_context = cloud.context("aws_route_table.other");
    let other_state = table_provider_for_other
        .read(&other_context, &other_table, &Attributes::new())
        .await
        .expect("read")
        .expect("exists");
    let unchanged = table_provider_for_other
        .update(&other_context, &other_table, &other_state, &other_state)
        .await
        .expect("update without route blocks");
    assert_eq!(unchanged.get("route"), other_state.get("route"));
    assert_eq!(cloud.routes(&other_table).await.len(), 1);

    routes
        .delete(&route_context, &route_id, &retargeted)
        .await
        .expect("delete route");
    assert!(cloud.routes(&other_table).await.is_empty());
    assert_eq!(
        routes
            .read(&route_context, &route_id, &retargeted)
            .await
            .expect("read"),
        None
    );
    routes
        .delete(&route_context, &route_id, &retargeted)
        .await
        .expect("deleting what is gone succeeds");

    // Delete the table.
    provider
        .delete(&context, &table_id, &reread)
        .await
        .expect("delete table");
    assert!(cloud.route_table(&table_id).await.is_none());
    assert_eq!(
        provider
            .read(&context, &table_id, &reread)
            .await
            .expect("read"),
        None
    );
    provider
        .delete(&context, &table_id, &reread)
        .await
        .expect("deleting what is gone succeeds");
}

fn rule(protocol: &str, from: i64, to: i64, cidrs: &[&str], description: Option<&str>) -> Value {
    let mut entries = vec![
        ("protocol", Value::string(protocol)),
        ("from_port", Value::from(from)),
        ("to_port", Value::from(to)),
        ("cidr_blocks", strings(cidrs)),
    ];
    if let Some(description) = description {
        entries.push(("description", Value::string(description)));
    }
    map(&entries)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_groups_with_inline_rules() {
    let cloud = Cloud::start().await;
    let provider = SecurityGroup::new();
    let context = cloud.context("aws_security_group.web");

    // Ingress written with protocol aliases and a self reference; egress managed.
    let self_rule = map(&[
        ("protocol", Value::string("all")),
        ("from_port", Value::from(0)),
        ("to_port", Value::from(0)),
        ("self", Value::Bool(true)),
    ]);
    let ssh = rule("6", 22, 22, &["10.0.0.0/8", "172.16.0.0/12"], Some("ssh"));
    let https_out = rule("tcp", 443, 443, &["0.0.0.0/0"], None);
    let desired = attributes(&[
        ("vpc_id", Value::string(&cloud.vpc_id)),
        ("description", Value::string("web servers")),
        ("ingress", Value::List(vec![ssh.clone(), self_rule.clone()])),
        ("egress", Value::List(vec![https_out.clone()])),
        ("tags", map(&[("Team", Value::string("platform"))])),
    ]);
    let created = provider.create(&context, &desired).await.expect("create");
    let group_id = text(&created, "id");
    assert!(text(&created, "name").starts_with("terraform-"));
    assert_eq!(created.get("name_prefix"), Some(&Value::Null));
    assert_eq!(
        created.get("revoke_rules_on_delete"),
        Some(&Value::Bool(false))
    );

    let group = cloud.security_group(&group_id).await.expect("group");
    assert_eq!(group.description(), Some("web servers"));
    assert_eq!(
        permission_lines(group.ip_permissions()),
        vec![
            format!("-1 0-0 {group_id}"),
            "tcp 22-22 10.0.0.0/8".to_string(),
            "tcp 22-22 172.16.0.0/12".to_string(),
        ]
    );
    assert_eq!(
        permission_lines(group.ip_permissions_egress()),
        vec!["tcp 443-443 0.0.0.0/0".to_string()],
        "the default allow-all egress rule is replaced by the spec's"
    );
    assert_eq!(
        tag(group.tags(), "provision:stack").as_deref(),
        Some("test/stack")
    );
    assert_eq!(
        as_set(created.get("ingress")),
        as_set(desired.get("ingress"))
    );
    assert_eq!(as_set(created.get("egress")), as_set(desired.get("egress")));

    let read = provider
        .read(&context, &group_id, &created)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(read, created, "a second read shows no diff");

    // Without prior blocks, reads group rules the way Terraform does.
    let fresh = provider
        .read(&context, &group_id, &Attributes::new())
        .await
        .expect("read")
        .expect("exists");
    let fresh_ingress = fresh.get("ingress").and_then(Value::as_list).expect("list");
    assert_eq!(fresh_ingress.len(), 2);
    assert!(fresh_ingress.iter().any(|block| {
        block.get("protocol") == Some(&Value::string("tcp"))
            && block.get("cidr_blocks") == Some(&strings(&["10.0.0.0/8", "172.16.0.0/12"]))
            && block.get("description") == Some(&Value::string("ssh"))
    }));
    assert!(fresh_ingress.iter().any(|block| {
        block.get("protocol") == Some(&Value::string("-1"))
            && block.get("self") == Some(&Value::Bool(true))
    }));

    // Update: drop one ssh source, add http, change a description, change tags.
    let ssh_narrow = rule("tcp", 22, 22, &["10.0.0.0/8"], Some("ssh"));
    let http = rule("tcp", 80, 80, &["0.0.0.0/0"], Some("web"));
    let changed = attributes(&[
        ("vpc_id", Value::string(&cloud.vpc_id)),
        ("description", Value::string("web servers")),
        (
            "ingress",
            Value::List(vec![ssh_narrow.clone(), http.clone(), self_rule.clone()]),
        ),
        (
            "egress",
            Value::List(vec![rule(
                "tcp",
                443,
                443,
                &["0.0.0.0/0"],
                Some("outbound https"),
            )]),
        ),
        ("tags", map(&[("Team", Value::string("web"))])),
    ]);
    let updated = provider
        .update(&context, &group_id, &read, &changed)
        .await
        .expect("update");
    assert_eq!(text(&updated, "id"), group_id, "rules change in place");
    let group = cloud.security_group(&group_id).await.expect("group");
    assert_eq!(
        permission_lines(group.ip_permissions()),
        vec![
            format!("-1 0-0 {group_id}"),
            "tcp 22-22 10.0.0.0/8".to_string(),
            "tcp 80-80 0.0.0.0/0".to_string(),
        ]
    );
    let egress_description = group
        .ip_permissions_egress()
        .first()
        .and_then(|permission| permission.ip_ranges().first())
        .and_then(|range| range.description())
        .map(str::to_string);
    assert_eq!(egress_description.as_deref(), Some("outbound https"));
    assert_eq!(tag(group.tags(), "Team").as_deref(), Some("web"));
    assert_eq!(
        as_set(updated.get("ingress")),
        as_set(changed.get("ingress"))
    );
    let reread = provider
        .read(&context, &group_id, &updated)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(reread, updated, "a second read shows no diff");

    // Recovery by tags.
    let recovered = provider
        .recover(&context, &changed)
        .await
        .expect("recover")
        .expect("found");
    assert_eq!(text(&recovered, "id"), group_id);

    // A group that writes no egress loses AWS's default egress rule, as with Terraform.
    let plain_context = cloud.context("aws_security_group.plain");
    let plain = provider
        .create(
            &plain_context,
            &attributes(&[
                ("vpc_id", Value::string(&cloud.vpc_id)),
                ("name_prefix", Value::string("plain-")),
                ("revoke_rules_on_delete", Value::Bool(true)),
            ]),
        )
        .await
        .expect("create plain");
    let plain_id = text(&plain, "id");
    assert!(text(&plain, "name").starts_with("plain-"));
    assert_eq!(text(&plain, "description"), "Managed by Terraform");
    let plain_group = cloud.security_group(&plain_id).await.expect("group");
    assert!(permission_lines(plain_group.ip_permissions_egress()).is_empty());
    let plain_egress = plain.get("egress").and_then(Value::as_list).expect("list");
    assert!(plain_egress.is_empty());
    // Recovery by the generated name, for a group whose tags did not make it.
    cloud
        .ec2
        .delete_tags()
        .resources(&plain_id)
        .send()
        .await
        .expect("DeleteTags");
    let recovered = provider
        .recover(
            &plain_context,
            &attributes(&[
                ("vpc_id", Value::string(&cloud.vpc_id)),
                ("name_prefix", Value::string("plain-")),
            ]),
        )
        .await
        .expect("recover")
        .expect("found by name");
    assert_eq!(text(&recovered, "id"), plain_id);

    // Delete both; deleting again succeeds.
    provider
        .delete(&context, &group_id, &reread)
        .await
        .expect("delete");
    provider
        .delete(&plain_context, &plain_id, &plain)
        .await
        .expect("delete with revoke_rules_on_delete");
    assert!(cloud.security_group(&group_id).await.is_none());
    assert!(cloud.security_group(&plain_id).await.is_none());
    assert_eq!(
        provider
            .read(&context, &group_id, &reread)
            .await
            .expect("read"),
        None
    );
    provider
        .delete(&context, &group_id, &reread)
        .await
        .expect("deleting what is gone succeeds");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn standalone_security_group_rules() {
    let cloud = Cloud::start().await;
    let groups = SecurityGroup::new();
    let group = groups
        .create(
            &cloud.context("aws_security_group.app"),
            &attributes(&[
                ("vpc_id", Value::string(&cloud.vpc_id)),
                ("name", Value::string("app")),
            ]),
        )
        .await
        .expect("create group");
    let group_id = text(&group, "id");
    let peer = groups
        .create(
            &cloud.context("aws_security_group.peer"),
            &attributes(&[
                ("vpc_id", Value::string(&cloud.vpc_id)),
                ("name", Value::string("peer")),
            ]),
        )
        .await
        .expect("create peer group");
    let peer_id = text(&peer, "id");

    // Ingress from a CIDR, with tags.
    let ingress = VpcSecurityGroupIngressRule::new();
    let ingress_context = cloud.context("aws_vpc_security_group_ingress_rule.https");
    let wanted = attributes(&[
        ("security_group_id", Value::string(&group_id)),
        ("ip_protocol", Value::string("tcp")),
        ("from_port", Value::from(443)),
        ("to_port", Value::from(443)),
        ("cidr_ipv4", Value::string("10.0.0.0/8")),
        ("description", Value::string("https")),
        ("tags", map(&[("Name", Value::string("https"))])),
    ]);
    let created = ingress
        .create(&ingress_context, &wanted)
        .await
        .expect("create ingress rule");
    let rule_id = text(&created, "id");
    assert!(rule_id.starts_with("sgr-"));
    assert_eq!(text(&created, "security_group_rule_id"), rule_id);
    assert!(text(&created, "arn").ends_with(&format!("security-group-rule/{rule_id}")));
    for name in [
        "security_group_id",
        "ip_protocol",
        "from_port",
        "to_port",
        "cidr_ipv4",
        "description",
        "tags",
    ] {
        assert_eq!(created.get(name), wanted.get(name), "{name}");
    }
    assert_eq!(created.get("cidr_ipv6"), Some(&Value::Null));
    let described = cloud
        .ec2
        .describe_security_group_rules()
        .security_group_rule_ids(&rule_id)
        .send()
        .await
        .expect("DescribeSecurityGroupRules");
    let described = described.security_group_rules().first().expect("rule");
    assert_eq!(described.is_egress(), Some(false));
    assert_eq!(described.cidr_ipv4(), Some("10.0.0.0/8"));
    assert_eq!(
        tag(described.tags(), "provision:address").as_deref(),
        Some("aws_vpc_security_group_ingress_rule.https")
    );
    let group_now = cloud.security_group(&group_id).await.expect("group");
    assert_eq!(
        permission_lines(group_now.ip_permissions()),
        vec!["tcp 443-443 10.0.0.0/8".to_string()]
    );
    let read = ingress
        .read(&ingress_context, &rule_id, &created)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(read, created, "a second read shows no diff");
    assert_eq!(
        VpcSecurityGroupEgressRule::new()
            .read(&ingress_context, &rule_id, &created)
            .await
            .expect("read"),
        None,
        "an ingress rule is not an egress rule"
    );
    let recovered = ingress
        .recover(&ingress_context, &wanted)
        .await
        .expect("recover")
        .expect("found by natural key");
    assert_eq!(text(&recovered, "id"), rule_id);

    // The group's inline view, without ingress blocks written, leaves the rule alone.
    let group_read = groups
        .read(&cloud.context("aws_security_group.app"), &group_id, &group)
        .await
        .expect("read")
        .expect("exists");
    groups
        .update(
            &cloud.context("aws_security_group.app"),
            &group_id,
            &group_read,
            &group_read,
        )
        .await
        .expect("update group");
    assert!(ingress
        .read(&ingress_context, &rule_id, &created)
        .await
        .expect("read")
        .is_some());

    // Description and tags change in place.
    let mut described_again = wanted.clone();
    described_again.insert("description".to_string(), Value::string("tls"));
    described_again.insert("tags".to_string(), map(&[("Name", Value::string("tls"))]));
    let updated = ingress
        .update(&ingress_context, &rule_id, &read, &described_again)
        .await
        .expect("update");
    assert_eq!(text(&updated, "id"), rule_id);
    assert_eq!(text(&updated, "description"), "tls");
    let described = cloud
        .ec2
        .describe_security_group_rules()
        .security_group_rule_ids(&rule_id)
        .send()
        .await
        .expect("DescribeSecurityGroupRules");
    let described = described.security_group_rules().first().expect("rule");
    assert_eq!(described.description(), Some("tls"));
    assert_eq!(tag(described.tags(), "Name").as_deref(), Some("tls"));

    // Egress to another group, all protocols (written as "all", ports left out).
    let egress = VpcSecurityGroupEgressRule::new();
    let egress_context = cloud.context("aws_vpc_security_group_egress_rule.peer");
    let egress_wanted = attributes(&[
        ("security_group_id", Value::string(&group_id)),
        ("ip_protocol", Value::string("all")),
        ("referenced_security_group_id", Value::string(&peer_id)),
    ]);
    let egress_rule = egress
        .create(&egress_context, &egress_wanted)
        .await
        .expect("create egress rule");
    let egress_id = text(&egress_rule, "id");
    assert_eq!(egress_rule.get("ip_protocol"), Some(&Value::string("all")));
    assert_eq!(egress_rule.get("from_port"), Some(&Value::Null));
    assert_eq!(
        egress_rule.get("referenced_security_group_id"),
        Some(&Value::string(&peer_id))
    );
    let group_now = cloud.security_group(&group_id).await.expect("group");
    assert!(
        permission_lines(group_now.ip_permissions_egress()).contains(&format!("-1 0-0 {peer_id}"))
    );
    assert_eq!(
        egress
            .read(&egress_context, &egress_id, &egress_rule)
            .await
            .expect("read"),
        Some(egress_rule.clone())
    );

    // Delete both rules; deleting again succeeds.
    ingress
        .delete(&ingress_context, &rule_id, &updated)
        .await
        .expect("delete ingress rule");
    egress
        .delete(&egress_context, &egress_id, &egress_rule)
        .await
        .expect("delete egress rule");
    let group_now = cloud.security_group(&group_id).await.expect("group");
    assert!(group_now.ip_permissions().is_empty());
    assert!(
        !permission_lines(group_now.ip_permissions_egress()).contains(&format!("-1 0-0 {peer_id}"))
    );
    assert_eq!(
        ingress
            .read(&ingress_context, &rule_id, &updated)
            .await
            .expect("read"),
        None
    );
    ingress
        .delete(&ingress_context, &rule_id, &updated)
        .await
        .expect("deleting what is gone succeeds");
    let filters = cloud
        .ec2
        .describe_security_group_rules()
        .filters(Filter::builder().name("group-id").values(&group_id).build())
        .send()
        .await
        .expect("DescribeSecurityGroupRules");
    assert!(filters
        .security_group_rules()
        .iter()
        .all(|rule| rule.security_group_rule_id() != Some(rule_id.as_str())));
}
