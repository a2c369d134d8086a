//! Fixtures of the EC2 / VPC types: one VPC with two subnets in two zones, an internet
//! gateway, a route table and a security group; each the smallest valid configuration.

use serde_json::json;

use crate::harness::Fixture;

pub fn vpc() -> Fixture {
    Fixture::new("aws_vpc", |created| {
        json!({"cidr_block": "10.20.0.0/16", "enable_dns_hostnames": true,
               "tags": {"Name": created.name("vpc")}})
    })
}

pub fn subnet() -> Fixture {
    Fixture::new("aws_subnet", |created| {
        json!({"vpc_id": created.id("aws_vpc"), "cidr_block": "10.20.1.0/24",
               "availability_zone": "us-east-1a", "tags": {"Name": created.name("subnet")}})
    })
    .needs(&[vpc])
}

/// A second subnet in another zone, for types that want two (load balancers, DB subnet groups).
pub fn second_subnet() -> Fixture {
    Fixture::new("aws_subnet", |created| {
        json!({"vpc_id": created.id("aws_vpc"), "cidr_block": "10.20.2.0/24",
               "availability_zone": "us-east-1b"})
    })
    .keyed("aws_subnet.second")
    .needs(&[vpc])
}

pub fn internet_gateway() -> Fixture {
    Fixture::new(
        "aws_internet_gateway",
        |created| json!({"vpc_id": created.id("aws_vpc"), "tags": {"Name": created.name("igw")}}),
    )
    .needs(&[vpc])
}

pub fn eip() -> Fixture {
    Fixture::new(
        "aws_eip",
        |created| json!({"domain": "vpc", "tags": {"Name": created.name("eip")}}),
    )
}

pub fn nat_gateway() -> Fixture {
    Fixture::new("aws_nat_gateway", |created| {
        json!({"allocation_id": created.id("aws_eip"), "subnet_id": created.id("aws_subnet"),
               "tags": {"Name": created.name("nat")}})
    })
    .needs(&[subnet, eip, internet_gateway])
}

pub fn route_table() -> Fixture {
    Fixture::new("aws_route_table", |created| {
        json!({"vpc_id": created.id("aws_vpc"),
               "route": [{"cidr_block": "0.0.0.0/0",
                          "gateway_id": created.id("aws_internet_gateway")}],
               "tags": {"Name": created.name("rt")}})
    })
    .needs(&[vpc, internet_gateway])
}

/// A route table without inline routes, for `aws_route` and associations.
pub fn empty_route_table() -> Fixture {
    Fixture::new(
        "aws_route_table",
        |created| json!({"vpc_id": created.id("aws_vpc")}),
    )
    .keyed("aws_route_table.empty")
    .needs(&[vpc])
}

pub fn route() -> Fixture {
    Fixture::new("aws_route", |created| {
        json!({"route_table_id": created.id("aws_route_table.empty"),
               "destination_cidr_block": "0.0.0.0/0",
               "gateway_id": created.id("aws_internet_gateway")})
    })
    .needs(&[empty_route_table, internet_gateway])
}

pub fn route_table_association() -> Fixture {
    Fixture::new("aws_route_table_association", |created| {
        json!({"subnet_id": created.id("aws_subnet"),
               "route_table_id": created.id("aws_route_table.empty")})
    })
    .needs(&[subnet, empty_route_table])
}

pub fn security_group() -> Fixture {
    Fixture::new("aws_security_group", |created| {
        json!({"name": created.name("sg"), "description": "contract test",
               "vpc_id": created.id("aws_vpc"),
               "ingress": [{"from_port": 443, "to_port": 443, "protocol": "tcp",
                            "cidr_blocks": ["10.0.0.0/8"]}],
               "egress": [{"from_port": 0, "to_port": 0, "protocol": "-1",
                           "cidr_blocks": ["0.0.0.0/0"]}],
               "tags": {"Name": created.name("sg")}})
    })
    .needs(&[vpc])
}

/// A security group without inline rules, for the standalone rule types.
pub fn bare_security_group() -> Fixture {
    Fixture::new("aws_security_group", |created| {
        json!({"name": created.name("bare-sg"), "description": "rules come separately",
               "vpc_id": created.id("aws_vpc")})
    })
    .keyed("aws_security_group.bare")
    .needs(&[vpc])
}

pub fn vpc_security_group_ingress_rule() -> Fixture {
    Fixture::new("aws_vpc_security_group_ingress_rule", |created| {
        json!({"security_group_id": created.id("aws_security_group.bare"),
               "ip_protocol": "tcp", "from_port": 8086, "to_port": 8086,
               "cidr_ipv4": "10.20.0.0/16", "tags": {"Name": created.name("ingress")}})
    })
    .needs(&[bare_security_group])
}

pub fn vpc_security_group_egress_rule() -> Fixture {
    Fixture::new("aws_vpc_security_group_egress_rule", |created| {
        json!({"security_group_id": created.id("aws_security_group.bare"),
               "ip_protocol": "-1", "cidr_ipv4": "0.0.0.0/0",
               "tags": {"Name": created.name("egress")}})
    })
    .needs(&[bare_security_group])
}

pub fn security_group_rule() -> Fixture {
    Fixture::new("aws_security_group_rule", |created| {
        json!({"type": "ingress", "security_group_id": created.id("aws_security_group"),
               "protocol": "tcp", "from_port": 8080, "to_port": 8081,
               "cidr_blocks": ["10.1.0.0/16", "10.2.0.0/16"], "description": "contract"})
    })
    .needs(&[security_group])
}
