//! `aws_vpc_security_group_ingress_rule` (stub, being written).
crate::stub_resource!(
    VpcSecurityGroupIngressRule,
    "aws_vpc_security_group_ingress_rule"
);
