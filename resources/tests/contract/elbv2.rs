//! Fixtures of the ELBv2 types: an application load balancer over the two shared subnets, a
//! target group and an HTTP listener forwarding to it.

use serde_json::json;

use crate::ec2;
use crate::harness::Fixture;

pub fn lb() -> Fixture {
    Fixture::new("aws_lb", |created| {
        json!({"name": created.name("alb"), "load_balancer_type": "application",
               "subnets": [created.id("aws_subnet"), created.id("aws_subnet.second")],
               "security_groups": [created.id("aws_security_group")],
               "tags": {"Name": created.name("alb")}})
    })
    .needs(&[
        ec2::subnet,
        ec2::second_subnet,
        ec2::security_group,
        ec2::internet_gateway,
    ])
}

pub fn lb_target_group() -> Fixture {
    Fixture::new("aws_lb_target_group", |created| {
        json!({"name": created.name("targets"), "port": 8080, "protocol": "HTTP",
               "target_type": "ip", "vpc_id": created.id("aws_vpc"),
               "tags": {"Name": created.name("targets")}})
    })
    .needs(&[ec2::vpc])
}

pub fn lb_listener() -> Fixture {
    Fixture::new("aws_lb_listener", |created| {
        json!({"load_balancer_arn": created.arn("aws_lb"), "port": 80, "protocol": "HTTP",
               "default_action": [{"type": "forward",
                                   "target_group_arn": created.arn("aws_lb_target_group")}],
               "tags": {"Name": created.name("listener")}})
    })
    .needs(&[lb, lb_target_group])
}

/// Terraform's alias names: the same calls as `aws_lb*`, state under the name the spec used.
pub fn alb() -> Fixture {
    Fixture::new("aws_alb", |created| {
        json!({"name": created.name("alias-alb"), "load_balancer_type": "application",
               "subnets": [created.id("aws_subnet"), created.id("aws_subnet.second")],
               "security_groups": [created.id("aws_security_group")],
               "tags": {"Name": created.name("alias-alb")}})
    })
    .needs(&[
        ec2::subnet,
        ec2::second_subnet,
        ec2::security_group,
        ec2::internet_gateway,
    ])
}

pub fn alb_target_group() -> Fixture {
    Fixture::new("aws_alb_target_group", |created| {
        json!({"name": created.name("alias-tg"), "port": 8080, "protocol": "HTTP",
               "target_type": "ip", "vpc_id": created.id("aws_vpc"),
               "tags": {"Name": created.name("alias-tg")}})
    })
    .needs(&[ec2::vpc])
}

pub fn alb_listener() -> Fixture {
    Fixture::new("aws_alb_listener", |created| {
        json!({"load_balancer_arn": created.arn("aws_alb"), "port": 80, "protocol": "HTTP",
               "default_action": [{"type": "forward",
                                   "target_group_arn": created.arn("aws_alb_target_group")}],
               "tags": {"Name": created.name("alias-listener")}})
    })
    .needs(&[alb, alb_target_group])
}
