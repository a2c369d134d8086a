//! EC2 and VPC resource types: one file per type, registered here.

pub mod common;
pub mod data_ami;
pub mod data_availability_zones;
pub mod data_security_group;
pub mod data_subnet;
pub mod data_subnets;
pub mod data_vpc;
pub mod eip;
pub mod internet_gateway;
pub mod nat_gateway;
pub mod route;
pub mod route_table;
pub mod route_table_association;
pub mod security_group;
pub mod security_group_rule;
pub mod security_group_rules;
pub mod subnet;
pub mod vpc;
pub mod vpc_security_group_egress_rule;
pub mod vpc_security_group_ingress_rule;

use std::sync::Arc;

use crate::registry::Registry;

pub fn register(registry: &mut Registry) {
    registry.register(Arc::new(vpc::Vpc::new()));
    registry.register(Arc::new(subnet::Subnet::new()));
    registry.register(Arc::new(internet_gateway::InternetGateway::new()));
    registry.register(Arc::new(eip::Eip::new()));
    registry.register(Arc::new(nat_gateway::NatGateway::new()));
    registry.register(Arc::new(route_table::RouteTable::new()));
    registry.register(Arc::new(route::Route::new()));
    registry.register(Arc::new(
        route_table_association::RouteTableAssociation::new(),
    ));
    registry.register(Arc::new(security_group::SecurityGroup::new()));
    registry.register(Arc::new(security_group_rule::SecurityGroupRule::new()));
    registry.register(Arc::new(
        vpc_security_group_ingress_rule::VpcSecurityGroupIngressRule::new(),
    ));
    registry.register(Arc::new(
        vpc_security_group_egress_rule::VpcSecurityGroupEgressRule::new(),
    ));
}

/// The EC2 data sources.
pub fn register_data_sources(registry: &mut Registry) {
    registry.register_data_source(Arc::new(data_availability_zones::AvailabilityZones::new()));
    registry.register_data_source(Arc::new(data_ami::DataAmi::new()));
    registry.register_data_source(Arc::new(data_security_group::DataSecurityGroup::new()));
    registry.register_data_source(Arc::new(data_subnet::DataSubnet::new()));
    registry.register_data_source(Arc::new(data_subnets::DataSubnets::new()));
    registry.register_data_source(Arc::new(data_vpc::DataVpc::new()));
}
