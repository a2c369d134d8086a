//! `aws_vpc_security_group_ingress_rule`: one ingress rule of a security group, managed on its
//! own (the modern alternative to inline `ingress {}` blocks).
//!
//! AWS calls: AuthorizeSecurityGroupIngress (one permission, with a `security-group-rule`
//! TagSpecification so the `provision:*` tags exist from the first moment),
//! DescribeSecurityGroupRules (read, recovery), ModifySecurityGroupRules (description),
//! CreateTags / DeleteTags, RevokeSecurityGroupIngress by rule id (delete).
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

use async_trait::async_trait;

use crate::aws::ec2::security_group_rules::{self, Direction};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::Schema;

const DIRECTION: Direction = Direction::Ingress;

pub struct VpcSecurityGroupIngressRule {
    schema: Schema,
}

impl VpcSecurityGroupIngressRule {
    pub fn new() -> Self {
        VpcSecurityGroupIngressRule {
            schema: security_group_rules::standalone_rule_schema(),
        }
    }
}

impl Default for VpcSecurityGroupIngressRule {
    fn default() -> Self {
        Self::new()
    }
}

#[async_trait]
impl Resource for VpcSecurityGroupIngressRule {
    fn type_name(&self) -> &'static str {
        "aws_vpc_security_group_ingress_rule"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        security_group_rules::create_standalone(context, DIRECTION, desired).await
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        security_group_rules::read_standalone(context, DIRECTION, id, prior).await
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        security_group_rules::update_standalone(context, DIRECTION, id, prior, desired).await
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<(), ProviderError> {
        security_group_rules::delete_standalone(context, DIRECTION, id, prior).await
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        security_group_rules::recover_standalone(context, DIRECTION, desired).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_marks_everything_but_description_and_tags_force_new() {
        let resource = VpcSecurityGroupIngressRule::new();
        let schema = resource.schema();
        for name in [
            "security_group_id",
            "ip_protocol",
            "from_port",
            "to_port",
            "cidr_ipv4",
            "cidr_ipv6",
            "referenced_security_group_id",
            "prefix_list_id",
        ] {
            assert!(
                schema
                    .attribute(name)
                    .is_some_and(|attribute| attribute.force_new),
                "{name}"
            );
        }
        for name in ["description", "tags"] {
            assert!(
                schema
                    .attribute(name)
                    .is_some_and(|attribute| !attribute.force_new),
                "{name}"
            );
        }
        assert_eq!(resource.type_name(), "aws_vpc_security_group_ingress_rule");
    }
}
