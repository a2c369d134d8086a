//! `aws_security_group_rule`: one rule (one protocol and port range, any number of sources) of
//! a security group, in either direction (`type = "ingress"` / `"egress"`), managed on its own:
//! Terraform's older alternative to inline `ingress {}` / `egress {}` blocks.
//!
//! AWS calls: AuthorizeSecurityGroupIngress / AuthorizeSecurityGroupEgress (create: one
//! `IpPermission` holding every CIDR, IPv6 CIDR, prefix list, or the source group / the group
//! itself for `self`), DescribeSecurityGroups (read, recovery: the rule exists while every
//! atomic permission it made is still on the group), UpdateSecurityGroupRuleDescriptionsIngress
//! / Egress (a new `description`, in place), RevokeSecurityGroupIngress / Egress (delete;
//! `InvalidPermission.NotFound` and a gone group are success).
//!
//! Force-new: type, security_group_id, protocol, from_port, to_port, cidr_blocks,
//! ipv6_cidr_blocks, prefix_list_ids, source_security_group_id, self. In place: description.
//!
//! Id: Terraform's `sgrule-<crc32>` of the group, ports, protocol, direction and the sorted
//! sources (`ipPermissionIDHash` in the AWS provider), so state written here and by Terraform
//! name the same rule the same way. The security group's own inline blocks are computed: a
//! group whose spec writes no `ingress` / `egress` blocks leaves these rules alone.
//!
//! Recovery: rules take no client token and AWS refuses duplicates, so a group that holds every
//! permission of the rule holds the rule an interrupted create made.
//!
//! Emulator (moto 5.2.1): authorize, describe, revoke and the description updates all work.

use crate::aws::AwsContext;
use std::collections::BTreeSet;

use async_trait::async_trait;

use super::security_group_rules::{
    authorize, normalize_protocol, permissions_from_aws, permissions_from_block,
    permissions_to_aws, revoke, Direction, Permission,
};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct SecurityGroupRule {
    schema: Schema,
}

impl SecurityGroupRule {
    pub fn new() -> Self {
        SecurityGroupRule {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String)
                    .describe("Terraform's `sgrule-<number>` id."),
                Attribute::computed("security_group_rule_id", AttrType::String),
                Attribute::required("type", AttrType::String)
                    .force_new()
                    .describe("`ingress` or `egress`."),
                Attribute::required("security_group_id", AttrType::String).force_new(),
                Attribute::required("protocol", AttrType::String)
                    .force_new()
                    .describe(
                        "`-1` (or `all`) for every protocol, `tcp`, `udp`, `icmp`, or a number",
                    ),
                Attribute::required("from_port", AttrType::Number).force_new(),
                Attribute::required("to_port", AttrType::Number).force_new(),
                Attribute::optional("cidr_blocks", AttrType::list_of_strings()).force_new(),
                Attribute::optional("ipv6_cidr_blocks", AttrType::list_of_strings()).force_new(),
                Attribute::optional("prefix_list_ids", AttrType::list_of_strings()).force_new(),
                Attribute::optional_computed("source_security_group_id", AttrType::String)
                    .force_new(),
                Attribute::optional("self", AttrType::Bool)
                    .default(false)
                    .force_new(),
                Attribute::optional("description", AttrType::String),
            ]),
        }
    }
}

impl Default for SecurityGroupRule {
    fn default() -> Self {
        SecurityGroupRule::new()
    }
}

fn direction(attributes: &Attributes) -> Result<Direction, ProviderError> {
    match attributes.get("type").and_then(Value::as_str) {
        Some("ingress") => Ok(Direction::Ingress),
        Some("egress") => Ok(Direction::Egress),
        other => Err(ProviderError::invalid(
            "type",
            format!(
                "must be \"ingress\" or \"egress\", is {}",
                other.map_or("null".to_string(), |text| format!("{text:?}"))
            ),
        )),
    }
}

fn group_id(attributes: &Attributes) -> Result<String, ProviderError> {
    crate::aws::kit::attributes::required_string(attributes, "security_group_id")
}

/// The rule as an inline block, so the inline rules' expansion applies unchanged.
fn as_block(attributes: &Attributes) -> Value {
    let mut block = attributes.clone();
    let groups = match attributes
        .get("source_security_group_id")
        .and_then(Value::as_str)
        .filter(|group| !group.is_empty())
    {
        Some(group) => vec![Value::string(group)],
        None => Vec::new(),
    };
    block.insert("security_groups".into(), Value::List(groups));
    Value::Map(block)
}

/// The atomic permissions the rule stands for.
pub fn rule_permissions(attributes: &Attributes) -> Result<BTreeSet<Permission>, ProviderError> {
    let group = group_id(attributes)?;
    let own = attributes.get("self").and_then(Value::as_bool) == Some(true);
    let has_source = attributes
        .get("source_security_group_id")
        .and_then(Value::as_str)
        .is_some_and(|group| !group.is_empty());
    let has_cidrs = ["cidr_blocks", "ipv6_cidr_blocks"].iter().any(|name| {
        attributes
            .get(*name)
            .and_then(Value::as_list)
            .is_some_and(|items| !items.is_empty())
    });
    if (own || has_source) && has_cidrs {
        return Err(ProviderError::invalid(
            if own {
                "self"
            } else {
                "source_security_group_id"
            },
            "cannot be combined with cidr_blocks or ipv6_cidr_blocks",
        ));
    }
    if own && has_source {
        return Err(ProviderError::invalid(
            "self",
            "cannot be combined with source_security_group_id",
        ));
    }
    Ok(
        permissions_from_block(&as_block(attributes), &group, "rule")?
            .into_iter()
            .collect(),
    )
}

/// CRC-32 (IEEE), Terraform's `StringHashcode`.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc: u32 = 0xffff_ffff;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xedb8_8320 & mask);
        }
    }
    !crc
}

/// Terraform's id for the rule: `sgrule-` and the CRC-32 of
/// `<group>-[<from>-][<to>-]<protocol>-<type>-<cidrs>-<ipv6 cidrs>-<prefix lists>-<groups>-`.
pub fn rule_id(attributes: &Attributes) -> Result<String, ProviderError> {
    let group = group_id(attributes)?;
    let kind = attributes
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let protocol = normalize_protocol(
        &attributes
            .get("protocol")
            .and_then(Value::to_template_string)
            .unwrap_or_default(),
    );
    let mut text = format!("{group}-");
    for name in ["from_port", "to_port"] {
        if let Some(port) = attributes.get(name).and_then(Value::as_i64) {
            if port > 0 {
                text.push_str(&format!("{port}-"));
            }
        }
    }
    text.push_str(&format!("{protocol}-{kind}-"));
    let sorted = |name: &str| -> Vec<String> {
        let mut items: Vec<String> = attributes
            .get(name)
            .and_then(Value::as_list)
            .map(|items| items.iter().filter_map(Value::to_template_string).collect())
            .unwrap_or_default();
        items.sort();
        items
    };
    for name in ["cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids"] {
        for item in sorted(name) {
            text.push_str(&format!("{item}-"));
        }
    }
    let mut groups = Vec::new();
    if let Some(source) = attributes
        .get("source_security_group_id")
        .and_then(Value::as_str)
        .filter(|group| !group.is_empty())
    {
        // `account/sg-id`: the pair's group id is the part after the slash.
        groups.push(
            source
                .split_once('/')
                .map_or(source, |(_, id)| id)
                .to_string(),
        );
    }
    if attributes.get("self").and_then(Value::as_bool) == Some(true) {
        groups.push(group.clone());
    }
    groups.sort();
    for group_id in groups {
        // GroupId, then the (absent, in a VPC) GroupName.
        text.push_str(&format!("{group_id}--"));
    }
    Ok(format!("sgrule-{}", crc32(text.as_bytes())))
}

/// The group's permissions in one direction, or `None` when the group is gone.
async fn group_permissions(
    context: &ProviderContext,
    direction: Direction,
    group_id: &str,
) -> Result<Option<BTreeSet<Permission>>, ProviderError> {
    let answer = context
        .aws()
        .ec2
        .describe_security_groups()
        .group_ids(group_id)
        .send()
        .await
        .map_err(|error| crate::aws::kit::sdk_error("DescribeSecurityGroups", error));
    let output = match answer {
        Ok(output) => output,
        Err(error) if error.is_not_found() => return Ok(None),
        Err(error) => return Err(error),
    };
    let Some(group) = output
        .security_groups()
        .iter()
        .find(|group| group.group_id() == Some(group_id))
    else {
        return Ok(None);
    };
    let permissions = match direction {
        Direction::Ingress => group.ip_permissions(),
        Direction::Egress => group.ip_permissions_egress(),
    };
    Ok(Some(permissions_from_aws(
        permissions,
        group.owner_id().unwrap_or_default(),
    )))
}

fn without_description(permission: &Permission) -> Permission {
    Permission {
        description: None,
        ..permission.clone()
    }
}

/// The rule's attributes when the group still holds all of its permissions: `prior` as it
/// was, with the description AWS holds. `None` when any permission is gone.
async fn read_rule(
    context: &ProviderContext,
    prior: &Attributes,
) -> Result<Option<Attributes>, ProviderError> {
    let direction = direction(prior)?;
    let group = group_id(prior)?;
    let Some(remote) = group_permissions(context, direction, &group).await? else {
        return Ok(None);
    };
    let wanted = rule_permissions(prior)?;
    let mut descriptions = BTreeSet::new();
    for permission in &wanted {
        let Some(found) = remote
            .iter()
            .find(|remote| without_description(remote) == without_description(permission))
        else {
            return Ok(None);
        };
        descriptions.insert(found.description.clone());
    }
    let mut attributes = prior.clone();
    if descriptions.len() == 1 {
        attributes.insert(
            "description".into(),
            Value::from(descriptions.into_iter().next().flatten()),
        );
    }
    if attributes
        .get("source_security_group_id")
        .is_none_or(Value::is_null)
    {
        attributes.insert("source_security_group_id".into(), Value::Null);
    }
    attributes.insert("id".into(), Value::String(rule_id(prior)?));
    Ok(Some(attributes))
}

/// The rule an import ID in Terraform's format names:
/// `sg-1_ingress_tcp_80_80_10.0.0.0/8_pl-2`.
fn parse_import_id(import_id: &str) -> Result<Attributes, ProviderError> {
    let invalid = |why: &str| {
        ProviderError::invalid(
            "id",
            format!("{import_id:?} is not `group_type_protocol_from_to_source[_source…]`: {why}"),
        )
    };
    let parts: Vec<&str> = import_id.split('_').collect();
    let [group, kind, protocol, from_port, to_port, sources @ ..] = parts.as_slice() else {
        return Err(invalid("it has fewer than six parts"));
    };
    if sources.is_empty() {
        return Err(invalid("it names no source"));
    }
    if !group.starts_with("sg-") {
        return Err(invalid("the first part is not a security group id"));
    }
    if !matches!(*kind, "ingress" | "egress") {
        return Err(invalid("the type is neither `ingress` nor `egress`"));
    }
    let port = |text: &str| {
        text.parse::<i64>()
            .map(Value::from)
            .map_err(|_| invalid(&format!("{text:?} is not a port number")))
    };
    let mut rule = Attributes::new();
    rule.insert("security_group_id".into(), Value::string(*group));
    rule.insert("type".into(), Value::string(*kind));
    rule.insert("protocol".into(), Value::string(*protocol));
    rule.insert("from_port".into(), port(from_port)?);
    rule.insert("to_port".into(), port(to_port)?);
    let mut lists: [(&str, Vec<Value>); 3] = [
        ("cidr_blocks", Vec::new()),
        ("ipv6_cidr_blocks", Vec::new()),
        ("prefix_list_ids", Vec::new()),
    ];
    let mut own = false;
    for source in sources {
        let slot = if *source == "self" {
            own = true;
            continue;
        } else if source.starts_with("sg-") || source.contains("/sg-") {
            rule.insert("source_security_group_id".into(), Value::string(*source));
            continue;
        } else if source.starts_with("pl-") {
            2
        } else if source.contains(':') {
            1
        } else if source.contains('/') {
            0
        } else {
            return Err(invalid(&format!("{source:?} is not a CIDR, prefix list, group or `self`")));
        };
        lists[slot].1.push(Value::string(*source));
    }
    for (name, items) in lists {
        let value = if items.is_empty() {
            Value::Null
        } else {
            Value::List(items)
        };
        rule.insert(name.into(), value);
    }
    rule.insert("self".into(), Value::Bool(own));
    rule.insert("description".into(), Value::Null);
    Ok(rule)
}

#[async_trait]
impl Resource for SecurityGroupRule {
    fn type_name(&self) -> &'static str {
        "aws_security_group_rule"
    }

    fn import_id(&self) -> String {
        "group id_type_protocol_from port_to port_source[_source…] (sg-…_ingress_tcp_443_443_10.0.0.0/16; a source is a CIDR, an IPv6 CIDR, a prefix list, a group id or `self`)".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn import(
        &self,
        context: &ProviderContext,
        import_id: &str,
    ) -> Result<Option<Attributes>, ProviderError> {
        read_rule(context, &parse_import_id(import_id)?).await
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let direction = direction(desired)?;
        let group = group_id(desired)?;
        let permissions = rule_permissions(desired)?;
        let rules = authorize(
            context,
            direction,
            &group,
            permissions_to_aws(&permissions),
            None,
        )
        .await?;
        let mut attributes = desired.clone();
        attributes.insert("id".into(), Value::String(rule_id(desired)?));
        attributes.insert(
            "security_group_rule_id".into(),
            match rules.as_slice() {
                [rule] => Value::from(rule.security_group_rule_id().map(str::to_string)),
                _ => Value::Null,
            },
        );
        if attributes
            .get("source_security_group_id")
            .is_none_or(Value::is_null)
        {
            attributes.insert("source_security_group_id".into(), Value::Null);
        }
        Ok(attributes)
    }

    async fn read(
        &self,
        context: &ProviderContext,
        _id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        read_rule(context, prior).await
    }

    async fn update(
        &self,
        context: &ProviderContext,
        _id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let direction = direction(desired)?;
        let group = group_id(desired)?;
        let permissions = permissions_to_aws(&rule_permissions(desired)?);
        let client = &context.aws().ec2;
        match direction {
            Direction::Ingress => client
                .update_security_group_rule_descriptions_ingress()
                .group_id(&group)
                .set_ip_permissions(Some(permissions))
                .send()
                .await
                .map(|_| ())
                .map_err(|error| {
                    crate::aws::kit::sdk_error("UpdateSecurityGroupRuleDescriptionsIngress", error)
                })?,
            Direction::Egress => client
                .update_security_group_rule_descriptions_egress()
                .group_id(&group)
                .set_ip_permissions(Some(permissions))
                .send()
                .await
                .map(|_| ())
                .map_err(|error| {
                    crate::aws::kit::sdk_error("UpdateSecurityGroupRuleDescriptionsEgress", error)
                })?,
        }
        let mut attributes = desired.clone();
        for kept in ["id", "security_group_rule_id", "source_security_group_id"] {
            if let Some(value) = prior.get(kept) {
                attributes.insert(kept.into(), value.clone());
            }
        }
        Ok(attributes)
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        _id: &str,
        prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let direction = direction(prior)?;
        let group = group_id(prior)?;
        let permissions = rule_permissions(prior)?;
        match revoke(context, direction, &group, permissions_to_aws(&permissions)).await {
            Ok(()) => Ok(()),
            Err(error)
                if error.is_not_found() || error.code() == Some("InvalidPermission.NotFound") =>
            {
                Ok(())
            }
            Err(error) => Err(error),
        }
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        read_rule(context, desired).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::ec2::security_group_rules::Source;

    fn rule(pairs: &[(&str, Value)]) -> Attributes {
        pairs
            .iter()
            .map(|(name, value)| (name.to_string(), value.clone()))
            .collect()
    }

    #[test]
    fn import_ids_in_terraforms_format_name_the_rule() {
        let rule = parse_import_id("sg-1_ingress_tcp_80_443_10.0.0.0/8_::/0_pl-9_self").unwrap();
        assert_eq!(rule["security_group_id"], Value::string("sg-1"));
        assert_eq!(rule["type"], Value::string("ingress"));
        assert_eq!(rule["from_port"], Value::from(80));
        assert_eq!(rule["to_port"], Value::from(443));
        assert_eq!(rule["cidr_blocks"], Value::List(vec![Value::string("10.0.0.0/8")]));
        assert_eq!(rule["ipv6_cidr_blocks"], Value::List(vec![Value::string("::/0")]));
        assert_eq!(rule["prefix_list_ids"], Value::List(vec![Value::string("pl-9")]));
        assert_eq!(rule["self"], Value::Bool(true));
        let grouped = parse_import_id("sg-1_egress_all_0_0_sg-2").unwrap();
        assert_eq!(grouped["source_security_group_id"], Value::string("sg-2"));
        assert_eq!(grouped["cidr_blocks"], Value::Null);
        for bad in ["sg-1_ingress_tcp_80_80", "vpc-1_ingress_tcp_80_80_self", "sg-1_inbound_tcp_80_80_self", "sg-1_ingress_tcp_x_80_self", "sg-1_ingress_tcp_80_80_nowhere"] {
            assert!(parse_import_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn crc32_is_ieee() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
    }

    #[test]
    fn ids_follow_terraforms_hash_input() {
        let ingress = rule(&[
            ("type", Value::string("ingress")),
            ("security_group_id", Value::string("sg-0123")),
            ("protocol", Value::string("tcp")),
            ("from_port", Value::Number(443.0)),
            ("to_port", Value::Number(443.0)),
            (
                "cidr_blocks",
                Value::List(vec![
                    Value::string("10.0.2.0/24"),
                    Value::string("10.0.1.0/24"),
                ]),
            ),
        ]);
        let expected = crc32(b"sg-0123-443-443-tcp-ingress-10.0.1.0/24-10.0.2.0/24-");
        assert_eq!(rule_id(&ingress).ok(), Some(format!("sgrule-{expected}")));

        // Protocol aliases hash like Terraform's normalised protocol; zero ports are left out.
        let egress = rule(&[
            ("type", Value::string("egress")),
            ("security_group_id", Value::string("sg-0123")),
            ("protocol", Value::string("all")),
            ("from_port", Value::Number(0.0)),
            ("to_port", Value::Number(0.0)),
            ("source_security_group_id", Value::string("sg-0456")),
        ]);
        let expected = crc32(b"sg-0123--1-egress-sg-0456--");
        assert_eq!(rule_id(&egress).ok(), Some(format!("sgrule-{expected}")));
    }

    #[test]
    fn sources_expand_to_atoms_and_conflicts_are_refused() {
        let own = rule(&[
            ("type", Value::string("ingress")),
            ("security_group_id", Value::string("sg-0123")),
            ("protocol", Value::string("-1")),
            ("from_port", Value::Number(0.0)),
            ("to_port", Value::Number(0.0)),
            ("self", Value::Bool(true)),
        ]);
        let atoms = rule_permissions(&own).expect("atoms");
        assert_eq!(atoms.len(), 1);
        assert_eq!(
            atoms.iter().next().map(|atom| atom.source.clone()),
            Some(Source::Group("sg-0123".to_string()))
        );
        let mut conflicting = own.clone();
        conflicting.insert(
            "cidr_blocks".into(),
            Value::List(vec![Value::string("0.0.0.0/0")]),
        );
        assert!(rule_permissions(&conflicting).is_err());
        let mut nothing = own;
        nothing.insert("self".into(), Value::Bool(false));
        assert!(rule_permissions(&nothing).is_err());
        assert!(direction(&rule(&[("type", Value::string("sideways"))])).is_err());
    }
}
