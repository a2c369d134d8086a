//! `aws_vpc_security_group_egress_rule`: one egress rule of a security group, managed on its
//! own (the modern alternative to inline `egress {}` blocks).
//!
//! AWS calls: AuthorizeSecurityGroupEgress (one permission, with a `security-group-rule`
//! TagSpecification so the `provision:*` tags exist from the first moment),
//! DescribeSecurityGroupRules (read, recovery), ModifySecurityGroupRules (description),
//! CreateTags / DeleteTags, RevokeSecurityGroupEgress by rule id (delete).
//!
//! Force-new: security_group_id, ip_protocol, from_port, to_port, cidr_ipv4, cidr_ipv6,
//! referenced_security_group_id, prefix_list_id. In place: description, tags.
//!
//! Recovery: rules take no client token; AWS refuses duplicates, so the group's rule with the
//! same protocol, ports and source is the one an interrupted create made.
//!
//! Emulator (moto 5.2.1): authorize, describe by id or `group-id` filter, revoke by id, rule
//! tags and ModifySecurityGroupRules (description) all work; moto only applies CidrIpv4 and the
//! description of a ModifySecurityGroupRules request, which is all this provider sends changes
//! of.


/// `aws_vpc_security_group_egress_rule`: the standalone rule type, egress direction.
pub type VpcSecurityGroupEgressRule = super::security_group_rules::StandaloneRule<true>;
