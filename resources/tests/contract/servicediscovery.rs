//! Fixtures of the Cloud Map types: a private DNS namespace in the shared VPC and a service in
//! it.

use serde_json::json;

use crate::ec2;
use crate::harness::Fixture;

pub fn service_discovery_private_dns_namespace() -> Fixture {
    Fixture::new("aws_service_discovery_private_dns_namespace", |created| {
        json!({"name": format!("{}.local", created.name("ns")), "vpc": created.id("aws_vpc"),
               "tags": {"Name": created.name("ns")}})
    })
    .needs(&[ec2::vpc])
}

pub fn service_discovery_service() -> Fixture {
    Fixture::new("aws_service_discovery_service", |created| {
        json!({"name": created.name("service"),
               "dns_config": {"namespace_id":
                   created.id("aws_service_discovery_private_dns_namespace"),
                   "dns_records": [{"ttl": 10, "type": "A"}]},
               "tags": {"Name": created.name("service")}})
    })
    .needs(&[service_discovery_private_dns_namespace])
}
