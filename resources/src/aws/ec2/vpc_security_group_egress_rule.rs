//! `aws_vpc_security_group_egress_rule` (stub, being written).
crate::stub_resource!(
    VpcSecurityGroupEgressRule,
    "aws_vpc_security_group_egress_rule"
);
