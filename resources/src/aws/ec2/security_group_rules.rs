//! Security group permissions, shared by `aws_security_group` (inline `ingress` / `egress`
//! blocks) and `aws_vpc_security_group_ingress_rule` / `_egress_rule`.
//!
//! AWS calls: AuthorizeSecurityGroupIngress / AuthorizeSecurityGroupEgress,
//! RevokeSecurityGroupIngress / RevokeSecurityGroupEgress (by permission or by rule id),
//! DescribeSecurityGroupRules and ModifySecurityGroupRules (for the standalone rule types).
//!
//! AWS splits and merges rules by source: one `IpPermission` per (protocol, ports) holding many
//! CIDRs and groups, each source with its own description. To compare a spec with AWS without
//! perpetual diffs, both sides are expanded into atomic [`Permission`]s (one protocol, one port
//! range, one source, one description) after normalising protocol aliases (`all` → `-1`,
//! `6` → `tcp`, ...) and the ports of port-less protocols. Reads are grouped back into blocks:
//! a block of the prior state whose atoms are all still present is returned as it was written;
//! what is left is grouped one block per (protocol, from, to, description), as Terraform does.

//!
//! Emulator gap (moto 5.2.1): DescribeSecurityGroupRules leaves out the description of rules
//! that reference a group; it is then read from the group pair of DescribeSecurityGroups.

use crate::aws::kit::tags::sync_tags;
use crate::aws::kit::ResultExt;
use crate::aws::kit::attributes;
use crate::aws::AwsContext;
use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_ec2::types::{
    Filter, IpPermission, IpRange, Ipv6Range, PrefixListId, SecurityGroupRule, TagSpecification,
    UserIdGroupPair,
};

use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext};
use crate::value::Value;

/// Which way a rule lets traffic through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Ingress,
    Egress,
}

impl Direction {
    fn authorize_operation(self) -> &'static str {
        match self {
            Direction::Ingress => "AuthorizeSecurityGroupIngress",
            Direction::Egress => "AuthorizeSecurityGroupEgress",
        }
    }

    fn revoke_operation(self) -> &'static str {
        match self {
            Direction::Ingress => "RevokeSecurityGroupIngress",
            Direction::Egress => "RevokeSecurityGroupEgress",
        }
    }
}

/// Where traffic comes from (ingress) or goes to (egress).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    Ipv4(String),
    Ipv6(String),
    /// A security group id, or `account/sg-id` for a group of another account.
    Group(String),
    PrefixList(String),
}

/// One atomic permission: one protocol, one port range, one source, one description.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Permission {
    pub protocol: String,
    pub from_port: i64,
    pub to_port: i64,
    pub source: Source,
    pub description: Option<String>,
}

/// The protocol as AWS reports it: `-1` for all, names for TCP / UDP / ICMP / ICMPv6, numbers
/// for everything else.
pub fn normalize_protocol(protocol: &str) -> String {
    let lowered = protocol.trim().to_ascii_lowercase();
    match lowered.as_str() {
        "all" | "-1" => "-1".to_string(),
        "6" => "tcp".to_string(),
        "17" => "udp".to_string(),
        "1" => "icmp".to_string(),
        "58" => "icmpv6".to_string(),
        _ => lowered,
    }
}

/// True when AWS keeps the port range of this (normalised) protocol.
pub fn protocol_has_ports(protocol: &str) -> bool {
    matches!(protocol, "tcp" | "udp" | "icmp" | "icmpv6")
}

/// Ports as compared: the given range for TCP / UDP / ICMP(v6), `0..0` for protocols where
/// AWS ignores ports.
pub fn normalize_ports(protocol: &str, from_port: Option<i64>, to_port: Option<i64>) -> (i64, i64) {
    if protocol_has_ports(protocol) {
        (from_port.unwrap_or(-1), to_port.unwrap_or(-1))
    } else {
        (0, 0)
    }
}

fn non_empty(text: Option<String>) -> Option<String> {
    text.filter(|text| !text.is_empty())
}

fn block_strings(block: &Value, key: &str) -> Vec<String> {
    block
        .get(key)
        .and_then(Value::as_list)
        .map(|items| items.iter().filter_map(Value::to_template_string).collect())
        .unwrap_or_default()
}

fn block_string(block: &Value, key: &str) -> Option<String> {
    non_empty(block.get(key).and_then(Value::to_template_string))
}

/// Expands one `ingress {}` / `egress {}` block into atomic permissions. `self = true` becomes
/// the group's own id.
pub fn permissions_from_block(
    block: &Value,
    own_group_id: &str,
    block_name: &str,
) -> Result<Vec<Permission>, ProviderError> {
    let protocol = block_string(block, "protocol")
        .map(|protocol| normalize_protocol(&protocol))
        .ok_or_else(|| ProviderError::invalid(format!("{block_name}.protocol"), "is required"))?;
    let (from_port, to_port) = normalize_ports(
        &protocol,
        block.get("from_port").and_then(Value::as_i64),
        block.get("to_port").and_then(Value::as_i64),
    );
    let description = block_string(block, "description");
    let mut sources: Vec<Source> = Vec::new();
    sources.extend(
        block_strings(block, "cidr_blocks")
            .into_iter()
            .map(Source::Ipv4),
    );
    sources.extend(
        block_strings(block, "ipv6_cidr_blocks")
            .into_iter()
            .map(Source::Ipv6),
    );
    sources.extend(
        block_strings(block, "prefix_list_ids")
            .into_iter()
            .map(Source::PrefixList),
    );
    sources.extend(
        block_strings(block, "security_groups")
            .into_iter()
            .map(Source::Group),
    );
    if block.get("self").and_then(Value::as_bool) == Some(true) {
        sources.push(Source::Group(own_group_id.to_string()));
    }
    if sources.is_empty() {
        return Err(ProviderError::invalid(
            block_name,
            "a rule needs at least one of cidr_blocks, ipv6_cidr_blocks, prefix_list_ids, \
             security_groups or self = true",
        ));
    }
    Ok(sources
        .into_iter()
        .map(|source| Permission {
            protocol: protocol.clone(),
            from_port,
            to_port,
            source,
            description: description.clone(),
        })
        .collect())
}

/// The blocks of a desired or prior value (a list of maps); empty for null or unknown.
pub fn blocks_of(value: Option<&Value>) -> Vec<Value> {
    value
        .and_then(Value::as_list)
        .map(|items| items.to_vec())
        .unwrap_or_default()
}

/// Every atomic permission of a list of blocks.
pub fn permissions_from_blocks(
    blocks: &[Value],
    own_group_id: &str,
    block_name: &str,
) -> Result<BTreeSet<Permission>, ProviderError> {
    let mut permissions = BTreeSet::new();
    for block in blocks {
        permissions.extend(permissions_from_block(block, own_group_id, block_name)?);
    }
    Ok(permissions)
}

/// Atomic permissions of what AWS returned. Groups of `own_owner_id` are written without the
/// account prefix.
pub fn permissions_from_aws(
    permissions: &[IpPermission],
    own_owner_id: &str,
) -> BTreeSet<Permission> {
    let mut atoms = BTreeSet::new();
    for permission in permissions {
        let protocol = normalize_protocol(permission.ip_protocol().unwrap_or("-1"));
        let (from_port, to_port) = normalize_ports(
            &protocol,
            permission.from_port().map(i64::from),
            permission.to_port().map(i64::from),
        );
        let mut push = |source: Source, description: Option<&str>| {
            atoms.insert(Permission {
                protocol: protocol.clone(),
                from_port,
                to_port,
                source,
                description: non_empty(description.map(str::to_string)),
            });
        };
        for range in permission.ip_ranges() {
            if let Some(cidr) = range.cidr_ip() {
                push(Source::Ipv4(cidr.to_string()), range.description());
            }
        }
        for range in permission.ipv6_ranges() {
            if let Some(cidr) = range.cidr_ipv6() {
                push(Source::Ipv6(cidr.to_string()), range.description());
            }
        }
        for prefix_list in permission.prefix_list_ids() {
            if let Some(id) = prefix_list.prefix_list_id() {
                push(
                    Source::PrefixList(id.to_string()),
                    prefix_list.description(),
                );
            }
        }
        for pair in permission.user_id_group_pairs() {
            let Some(group_id) = pair.group_id().or(pair.group_name()) else {
                continue;
            };
            let group = match pair.user_id() {
                Some(user_id) if !user_id.is_empty() && user_id != own_owner_id => {
                    format!("{user_id}/{group_id}")
                }
                _ => group_id.to_string(),
            };
            push(Source::Group(group), pair.description());
        }
    }
    atoms
}

/// AWS permissions for a set of atoms: one `IpPermission` per (protocol, ports), each source
/// with its own description. Ports are left out for protocol `-1`.
pub fn permissions_to_aws<'a>(
    permissions: impl IntoIterator<Item = &'a Permission>,
) -> Vec<IpPermission> {
    let mut grouped: BTreeMap<(String, i64, i64), Vec<&Permission>> = BTreeMap::new();
    for permission in permissions {
        grouped
            .entry((
                permission.protocol.clone(),
                permission.from_port,
                permission.to_port,
            ))
            .or_default()
            .push(permission);
    }
    grouped
        .into_iter()
        .map(|((protocol, from_port, to_port), members)| {
            let mut builder = IpPermission::builder().ip_protocol(&protocol);
            if protocol != "-1" {
                builder = builder
                    .from_port(port_for_aws(from_port))
                    .to_port(port_for_aws(to_port));
            }
            for member in members {
                let description = member.description.clone();
                builder = match &member.source {
                    Source::Ipv4(cidr) => builder.ip_ranges(
                        IpRange::builder()
                            .cidr_ip(cidr)
                            .set_description(description)
                            .build(),
                    ),
                    Source::Ipv6(cidr) => builder.ipv6_ranges(
                        Ipv6Range::builder()
                            .cidr_ipv6(cidr)
                            .set_description(description)
                            .build(),
                    ),
                    Source::PrefixList(id) => builder.prefix_list_ids(
                        PrefixListId::builder()
                            .prefix_list_id(id)
                            .set_description(description)
                            .build(),
                    ),
                    Source::Group(group) => {
                        let pair = match group.split_once('/') {
                            Some((user_id, group_id)) => UserIdGroupPair::builder()
                                .user_id(user_id)
                                .group_id(group_id),
                            None => UserIdGroupPair::builder().group_id(group),
                        };
                        builder.user_id_group_pairs(pair.set_description(description).build())
                    }
                };
            }
            builder.build()
        })
        .collect()
}

fn port_for_aws(port: i64) -> i32 {
    i32::try_from(port).unwrap_or(-1)
}

/// One block per (protocol, from, to, description), as Terraform presents rules read from AWS.
pub fn canonical_blocks(permissions: &BTreeSet<Permission>, own_group_id: &str) -> Vec<Value> {
    #[derive(Default)]
    struct Sources {
        ipv4: Vec<String>,
        ipv6: Vec<String>,
        prefix_lists: Vec<String>,
        groups: Vec<String>,
        own_group: bool,
    }
    let mut grouped: BTreeMap<(String, i64, i64, Option<String>), Sources> = BTreeMap::new();
    for permission in permissions {
        let sources = grouped
            .entry((
                permission.protocol.clone(),
                permission.from_port,
                permission.to_port,
                permission.description.clone(),
            ))
            .or_default();
        match &permission.source {
            Source::Ipv4(cidr) => sources.ipv4.push(cidr.clone()),
            Source::Ipv6(cidr) => sources.ipv6.push(cidr.clone()),
            Source::PrefixList(id) => sources.prefix_lists.push(id.clone()),
            Source::Group(group) if group == own_group_id => sources.own_group = true,
            Source::Group(group) => sources.groups.push(group.clone()),
        }
    }
    grouped
        .into_iter()
        .map(|((protocol, from_port, to_port, description), sources)| {
            let strings =
                |items: Vec<String>| Value::List(items.into_iter().map(Value::String).collect());
            let block: BTreeMap<String, Value> = [
                ("protocol", Value::String(protocol)),
                ("from_port", Value::from(from_port)),
                ("to_port", Value::from(to_port)),
                ("cidr_blocks", strings(sources.ipv4)),
                ("ipv6_cidr_blocks", strings(sources.ipv6)),
                ("prefix_list_ids", strings(sources.prefix_lists)),
                ("security_groups", strings(sources.groups)),
                ("self", Value::Bool(sources.own_group)),
                ("description", Value::from(description)),
            ]
            .into_iter()
            .map(|(key, value)| (key.to_string(), value))
            .collect();
            Value::Map(block)
        })
        .collect()
}

/// The blocks to report for what AWS holds: every prior block whose atoms all still exist, as
/// it was written (so a spec that says `protocol = "6"` or `"all"` reads back unchanged), then
/// the remaining atoms grouped canonically.
pub fn blocks_for_read(
    remote: &BTreeSet<Permission>,
    prior_blocks: &[Value],
    own_group_id: &str,
) -> Value {
    let mut remaining = remote.clone();
    let mut blocks = Vec::new();
    for block in prior_blocks {
        let Ok(atoms) = permissions_from_block(block, own_group_id, "rule") else {
            continue;
        };
        if !atoms.is_empty() && atoms.iter().all(|atom| remaining.contains(atom)) {
            for atom in &atoms {
                remaining.remove(atom);
            }
            blocks.push(block.clone());
        }
    }
    blocks.extend(canonical_blocks(&remaining, own_group_id));
    Value::List(blocks)
}

/// Authorizes `permissions` on a group; returns the rules AWS created (when it says).
pub async fn authorize(
    context: &ProviderContext,
    direction: Direction,
    group_id: &str,
    permissions: Vec<IpPermission>,
    tag_specification: Option<TagSpecification>,
) -> Result<Vec<SecurityGroupRule>, ProviderError> {
    let client = &context.aws().ec2;
    let operation = direction.authorize_operation();
    let tag_specifications = tag_specification.map(|specification| vec![specification]);
    let rules = match direction {
        Direction::Ingress => client
            .authorize_security_group_ingress()
            .group_id(group_id)
            .set_ip_permissions(Some(permissions))
            .set_tag_specifications(tag_specifications)
            .send()
            .await
            .map_err(|error| crate::aws::kit::sdk_error(operation, error))?
            .security_group_rules
            .unwrap_or_default(),
        Direction::Egress => client
            .authorize_security_group_egress()
            .group_id(group_id)
            .set_ip_permissions(Some(permissions))
            .set_tag_specifications(tag_specifications)
            .send()
            .await
            .map_err(|error| crate::aws::kit::sdk_error(operation, error))?
            .security_group_rules
            .unwrap_or_default(),
    };
    Ok(rules)
}

/// Revokes `permissions` from a group.
pub async fn revoke(
    context: &ProviderContext,
    direction: Direction,
    group_id: &str,
    permissions: Vec<IpPermission>,
) -> Result<(), ProviderError> {
    let client = &context.aws().ec2;
    let operation = direction.revoke_operation();
    match direction {
        Direction::Ingress => client
            .revoke_security_group_ingress()
            .group_id(group_id)
            .set_ip_permissions(Some(permissions))
            .send()
            .await
            .map(|_| ())
            .map_err(|error| crate::aws::kit::sdk_error(operation, error)),
        Direction::Egress => client
            .revoke_security_group_egress()
            .group_id(group_id)
            .set_ip_permissions(Some(permissions))
            .send()
            .await
            .map(|_| ())
            .map_err(|error| crate::aws::kit::sdk_error(operation, error)),
    }
}

/// Revokes rules by their `sgr-` ids.
pub async fn revoke_rule_ids(
    context: &ProviderContext,
    direction: Direction,
    group_id: &str,
    rule_ids: Vec<String>,
) -> Result<(), ProviderError> {
    let client = &context.aws().ec2;
    let operation = direction.revoke_operation();
    match direction {
        Direction::Ingress => client
            .revoke_security_group_ingress()
            .group_id(group_id)
            .set_security_group_rule_ids(Some(rule_ids))
            .send()
            .await
            .map(|_| ())
            .map_err(|error| crate::aws::kit::sdk_error(operation, error)),
        Direction::Egress => client
            .revoke_security_group_egress()
            .group_id(group_id)
            .set_security_group_rule_ids(Some(rule_ids))
            .send()
            .await
            .map(|_| ())
            .map_err(|error| crate::aws::kit::sdk_error(operation, error)),
    }
}

/// Makes the group hold exactly `desired` in one direction, given what it holds now: revokes
/// the surplus first (so a changed description can be re-authorized), then authorizes what is
/// missing.
pub async fn reconcile(
    context: &ProviderContext,
    direction: Direction,
    group_id: &str,
    current: &BTreeSet<Permission>,
    desired: &BTreeSet<Permission>,
) -> Result<(), ProviderError> {
    let surplus: Vec<&Permission> = current.difference(desired).collect();
    let missing: Vec<&Permission> = desired.difference(current).collect();
    if !surplus.is_empty() {
        revoke(context, direction, group_id, permissions_to_aws(surplus)).await?;
    }
    if !missing.is_empty() {
        authorize(
            context,
            direction,
            group_id,
            permissions_to_aws(missing),
            None,
        )
        .await?;
    }
    Ok(())
}

/// `arn:<partition>:ec2:<region>:<owner>:<resource>`.
pub fn ec2_arn(region: &str, owner_id: &str, resource: &str) -> String {
    let partition = if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    };
    format!("arn:{partition}:ec2:{region}:{owner_id}:{resource}")
}

// ---------------------------------------------------------------------------------------------
// aws_vpc_security_group_ingress_rule / aws_vpc_security_group_egress_rule
// ---------------------------------------------------------------------------------------------

/// The schema shared by the two standalone rule types.
pub fn standalone_rule_schema() -> crate::schema::Schema {
    use crate::schema::{AttrType, Attribute, Schema};
    Schema::new(vec![
        Attribute::computed("id", AttrType::String),
        Attribute::computed("security_group_rule_id", AttrType::String),
        Attribute::computed("arn", AttrType::String),
        Attribute::required("security_group_id", AttrType::String).force_new(),
        Attribute::required("ip_protocol", AttrType::String)
            .force_new()
            .describe("`-1` (or `all`) for every protocol, `tcp`, `udp`, `icmp`, or a number"),
        Attribute::optional("from_port", AttrType::Number).force_new(),
        Attribute::optional("to_port", AttrType::Number).force_new(),
        Attribute::optional("cidr_ipv4", AttrType::String).force_new(),
        Attribute::optional("cidr_ipv6", AttrType::String).force_new(),
        Attribute::optional("referenced_security_group_id", AttrType::String).force_new(),
        Attribute::optional("prefix_list_id", AttrType::String).force_new(),
        Attribute::optional("description", AttrType::String),
        Attribute::optional("tags", AttrType::map_of_strings()),
        Attribute::computed("tags_all", AttrType::map_of_strings()),
    ])
}

/// `aws_vpc_security_group_ingress_rule` (`EGRESS = false`) and
/// `aws_vpc_security_group_egress_rule` (`EGRESS = true`): one rule of a security group,
/// managed on its own. The two differ only in their direction.
pub struct StandaloneRule<const EGRESS: bool> {
    schema: crate::schema::Schema,
}

impl<const EGRESS: bool> StandaloneRule<EGRESS> {
    const DIRECTION: Direction = if EGRESS {
        Direction::Egress
    } else {
        Direction::Ingress
    };

    pub fn new() -> Self {
        StandaloneRule {
            schema: standalone_rule_schema(),
        }
    }
}

impl<const EGRESS: bool> Default for StandaloneRule<EGRESS> {
    fn default() -> Self {
        Self::new()
    }
}

#[async_trait::async_trait]
impl<const EGRESS: bool> crate::provider::Resource for StandaloneRule<EGRESS> {
    fn type_name(&self) -> &'static str {
        if EGRESS {
            "aws_vpc_security_group_egress_rule"
        } else {
            "aws_vpc_security_group_ingress_rule"
        }
    }

    fn import_id(&self) -> String {
        "security group rule id (sgr-…)".to_string()
    }

    /// Drift: GetResources of the Resource Groups Tagging API (`ec2:security-group-rule`).
    async fn list_managed(
        &self,
        context: &ProviderContext,
        stack: &str,
    ) -> Result<Vec<(String, String)>, ProviderError> {
        use crate::aws::kit::tagging::{list_tagged, ArnId};
        list_tagged(
            context,
            stack,
            self.type_name(),
            "ec2:security-group-rule",
            ArnId::AfterSlash,
        )
        .await
    }

    fn schema(&self) -> &crate::schema::Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        create_standalone(context, Self::DIRECTION, desired).await
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        read_standalone(context, Self::DIRECTION, id, prior).await
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        update_standalone(context, Self::DIRECTION, id, prior, desired).await
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<(), ProviderError> {
        delete_standalone(context, Self::DIRECTION, id, prior).await
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        recover_standalone(context, Self::DIRECTION, desired).await
    }
}

/// The atomic permission a standalone rule's attributes describe.
pub fn standalone_permission(attributes: &Attributes) -> Result<Permission, ProviderError> {
    let text = |name: &str| non_empty(attributes.get(name).and_then(Value::to_template_string));
    let protocol = text("ip_protocol")
        .map(|protocol| normalize_protocol(&protocol))
        .ok_or_else(|| ProviderError::invalid("ip_protocol", "is required"))?;
    let (from_port, to_port) = normalize_ports(
        &protocol,
        attributes.get("from_port").and_then(Value::as_i64),
        attributes.get("to_port").and_then(Value::as_i64),
    );
    let mut sources = Vec::new();
    if let Some(cidr) = text("cidr_ipv4") {
        sources.push(Source::Ipv4(cidr));
    }
    if let Some(cidr) = text("cidr_ipv6") {
        sources.push(Source::Ipv6(cidr));
    }
    if let Some(group) = text("referenced_security_group_id") {
        sources.push(Source::Group(group));
    }
    if let Some(prefix_list) = text("prefix_list_id") {
        sources.push(Source::PrefixList(prefix_list));
    }
    if sources.len() != 1 {
        return Err(ProviderError::invalid(
            "cidr_ipv4",
            "exactly one of cidr_ipv4, cidr_ipv6, referenced_security_group_id or \
             prefix_list_id must be set",
        ));
    }
    Ok(Permission {
        protocol,
        from_port,
        to_port,
        source: sources.remove(0),
        description: text("description"),
    })
}

/// The atomic permission of a rule AWS returned (description included).
pub fn permission_of_rule(rule: &SecurityGroupRule) -> Option<Permission> {
    let protocol = normalize_protocol(rule.ip_protocol().unwrap_or("-1"));
    let (from_port, to_port) = normalize_ports(
        &protocol,
        rule.from_port().map(i64::from),
        rule.to_port().map(i64::from),
    );
    let source = if let Some(cidr) = rule.cidr_ipv4() {
        Source::Ipv4(cidr.to_string())
    } else if let Some(cidr) = rule.cidr_ipv6() {
        Source::Ipv6(cidr.to_string())
    } else if let Some(prefix_list) = rule.prefix_list_id() {
        Source::PrefixList(prefix_list.to_string())
    } else {
        Source::Group(referenced_group(rule)?)
    };
    Some(Permission {
        protocol,
        from_port,
        to_port,
        source,
        description: non_empty(rule.description().map(str::to_string)),
    })
}

/// The group a rule references: its id, or `account/sg-id` when it belongs to another account
/// than the rule's group (only known when AWS says who owns the rule's group).
fn referenced_group(rule: &SecurityGroupRule) -> Option<String> {
    let referenced = rule.referenced_group_info()?;
    let group_id = referenced.group_id()?;
    Some(match (referenced.user_id(), rule.group_owner_id()) {
        (Some(user_id), Some(owner_id)) if !user_id.is_empty() && user_id != owner_id => {
            format!("{user_id}/{group_id}")
        }
        _ => group_id.to_string(),
    })
}

/// A standalone rule's attributes from what AWS returned. `prior` keeps the spelling the spec
/// used for the protocol (`all`, `6`) and the null ports of a port-less protocol.
pub fn standalone_attributes(
    context: &ProviderContext,
    rule: &SecurityGroupRule,
    prior: &Attributes,
) -> Attributes {
    let rule_id = rule
        .security_group_rule_id()
        .unwrap_or_default()
        .to_string();
    let remote_protocol = normalize_protocol(rule.ip_protocol().unwrap_or("-1"));
    let prior_protocol = prior.get("ip_protocol").and_then(Value::to_template_string);
    let same_protocol = prior_protocol
        .as_deref()
        .is_some_and(|protocol| normalize_protocol(protocol) == remote_protocol);
    let protocol_value = match (&prior_protocol, same_protocol) {
        (Some(spelled), true) => Value::String(spelled.clone()),
        _ => Value::String(remote_protocol.clone()),
    };
    let port = |name: &str, remote: Option<i32>| -> Value {
        if !protocol_has_ports(&remote_protocol) {
            return if same_protocol {
                prior.get(name).cloned().unwrap_or(Value::Null)
            } else {
                Value::Null
            };
        }
        remote.map(Value::from).unwrap_or(Value::Null)
    };
    let owner_id = rule.group_owner_id().unwrap_or_default();
    let arn = rule
        .security_group_rule_arn()
        .map(str::to_string)
        .unwrap_or_else(|| {
            ec2_arn(
                &context.aws().region,
                owner_id,
                &format!("security-group-rule/{rule_id}"),
            )
        });
    let referenced = referenced_group(rule);
    let mut attributes: Attributes = [
        ("id", Value::String(rule_id.clone())),
        ("security_group_rule_id", Value::String(rule_id)),
        ("arn", Value::String(arn)),
        (
            "security_group_id",
            Value::from(rule.group_id().map(str::to_string)),
        ),
        ("ip_protocol", protocol_value),
        ("from_port", port("from_port", rule.from_port())),
        ("to_port", port("to_port", rule.to_port())),
        (
            "cidr_ipv4",
            Value::from(rule.cidr_ipv4().map(str::to_string)),
        ),
        (
            "cidr_ipv6",
            Value::from(rule.cidr_ipv6().map(str::to_string)),
        ),
        ("referenced_security_group_id", Value::from(referenced)),
        (
            "prefix_list_id",
            Value::from(rule.prefix_list_id().map(str::to_string)),
        ),
        (
            "description",
            Value::from(non_empty(rule.description().map(str::to_string))),
        ),
    ]
    .into_iter()
    .map(|(key, value)| (key.to_string(), value))
    .collect();
    super::common::put_tags(context, &mut attributes, rule.tags());
    attributes
}

/// The rule with this id, or `None` when AWS no longer has it.
pub async fn describe_rule(
    context: &ProviderContext,
    rule_id: &str,
) -> Result<Option<SecurityGroupRule>, ProviderError> {
    let answer = context
        .aws()
        .ec2
        .describe_security_group_rules()
        .security_group_rule_ids(rule_id)
        .send()
        .await
        .map_err(|error| crate::aws::kit::sdk_error("DescribeSecurityGroupRules", error));
    match answer {
        Ok(output) => Ok(output
            .security_group_rules()
            .iter()
            .find(|rule| rule.security_group_rule_id() == Some(rule_id))
            .cloned()),
        Err(error) => crate::aws::kit::none_if_gone(error),
    }
}

/// Every rule of a group in one direction, or empty when the group is gone.
pub async fn describe_group_rules(
    context: &ProviderContext,
    group_id: &str,
    direction: Direction,
) -> Result<Vec<SecurityGroupRule>, ProviderError> {
    let mut rules = Vec::new();
    let mut next_token: Option<String> = None;
    loop {
        let answer = context
            .aws()
            .ec2
            .describe_security_group_rules()
            .filters(Filter::builder().name("group-id").values(group_id).build())
            .set_next_token(next_token.clone())
            .send()
            .await
            .map_err(|error| crate::aws::kit::sdk_error("DescribeSecurityGroupRules", error));
        let Some(output) = answer.not_found_as_none()? else {
 return Ok(Vec::new());
 };
        rules.extend(
            output
                .security_group_rules()
                .iter()
                .filter(|rule| rule.is_egress() == Some(direction == Direction::Egress))
                .cloned(),
        );
        next_token = output.next_token().map(str::to_string);
        if next_token.is_none() {
            return Ok(rules);
        }
    }
}

/// A rule of the group with the same protocol, ports and source (description ignored): what
/// AWS would call a duplicate.
pub fn find_same_rule<'a>(
    rules: &'a [SecurityGroupRule],
    wanted: &Permission,
) -> Option<&'a SecurityGroupRule> {
    rules.iter().find(|rule| {
        permission_of_rule(rule).is_some_and(|found| {
            found.protocol == wanted.protocol
                && found.from_port == wanted.from_port
                && found.to_port == wanted.to_port
                && found.source == wanted.source
        })
    })
}

/// Create for a standalone rule: AuthorizeSecurityGroup{Ingress,Egress} with one permission and
/// a `security-group-rule` TagSpecification; the rule id comes from the answer, or (when the
/// API does not return it) from DescribeSecurityGroupRules by natural key.
pub async fn create_standalone(
    context: &ProviderContext,
    direction: Direction,
    desired: &Attributes,
) -> Result<Attributes, ProviderError> {
    let group_id = attributes::required_string(desired, "security_group_id")?;
    let permission = standalone_permission(desired)?;
    let tag_specification = super::common::tag_specification(
        context,
        aws_sdk_ec2::types::ResourceType::SecurityGroupRule,
        desired,
    );
    let created = authorize(
        context,
        direction,
        &group_id,
        permissions_to_aws([&permission]),
        Some(tag_specification),
    )
    .await?;
    let rule = match created.into_iter().next() {
        Some(rule) => rule,
        None => {
            let rules = describe_group_rules(context, &group_id, direction).await?;
            find_same_rule(&rules, &permission)
                .cloned()
                .ok_or_else(|| ProviderError::Aws {
                    operation: direction.authorize_operation().to_string(),
                    code: "MissingRule".to_string(),
                    message: format!("the rule was authorized but {group_id} does not list it"),
                })?
        }
    };
    let mut attributes = standalone_attributes(context, &rule, desired);
    fill_group_pair_description(context, &rule, &mut attributes).await?;
    Ok(attributes)
}

/// Read for a standalone rule: DescribeSecurityGroupRules by id; `None` when gone or when the
/// id names a rule of the other direction.
pub async fn read_standalone(
    context: &ProviderContext,
    direction: Direction,
    id: &str,
    prior: &Attributes,
) -> Result<Option<Attributes>, ProviderError> {
    let Some(rule) = describe_rule(context, id).await? else {
        return Ok(None);
    };
    if rule.is_egress() != Some(direction == Direction::Egress) {
        return Ok(None);
    }
    let mut attributes = standalone_attributes(context, &rule, prior);
    fill_group_pair_description(context, &rule, &mut attributes).await?;
    Ok(Some(attributes))
}

/// moto's DescribeSecurityGroupRules leaves out the description of rules that reference a
/// group (real AWS returns it); DescribeSecurityGroups has it on the group pair, so a missing
/// one is looked up there.
async fn fill_group_pair_description(
    context: &ProviderContext,
    rule: &SecurityGroupRule,
    attributes: &mut Attributes,
) -> Result<(), ProviderError> {
    let missing = attributes.get("description").is_none_or(Value::is_null);
    let (Some(referenced), Some(group_id)) = (
        rule.referenced_group_info()
            .and_then(|info| info.group_id()),
        rule.group_id(),
    ) else {
        return Ok(());
    };
    if !missing {
        return Ok(());
    }
    let answer = context
        .aws()
        .ec2
        .describe_security_groups()
        .group_ids(group_id)
        .send()
        .await
        .map_err(|error| crate::aws::kit::sdk_error("DescribeSecurityGroups", error));
    let Some(output) = answer.not_found_as_none()? else {
 return Ok(());
 };
    let Some(group) = output.security_groups().first() else {
        return Ok(());
    };
    let permissions = if rule.is_egress() == Some(true) {
        group.ip_permissions_egress()
    } else {
        group.ip_permissions()
    };
    let description = permissions
        .iter()
        .filter(|permission| {
            permission.ip_protocol() == rule.ip_protocol()
                && (rule.ip_protocol() == Some("-1")
                    || (permission.from_port() == rule.from_port()
                        && permission.to_port() == rule.to_port()))
        })
        .flat_map(|permission| permission.user_id_group_pairs())
        .find(|pair| pair.group_id() == Some(referenced))
        .and_then(|pair| pair.description())
        .filter(|description| !description.is_empty());
    if let Some(description) = description {
        attributes.insert("description".to_string(), Value::string(description));
    }
    Ok(())
}

/// Update for a standalone rule: the description through ModifySecurityGroupRules, tags
/// through CreateTags / DeleteTags. Everything else is force-new.
pub async fn update_standalone(
    context: &ProviderContext,
    direction: Direction,
    id: &str,
    prior: &Attributes,
    desired: &Attributes,
) -> Result<Attributes, ProviderError> {
    let group_id = attributes::required_string(desired, "security_group_id")?;
    let prior_description = non_empty(attributes::optional_string(
        prior,
        "description",
    ));
    let desired_description = non_empty(attributes::optional_string(
        desired,
        "description",
    ));
    if prior_description != desired_description {
        let permission = standalone_permission(desired)?;
        let (from_port, to_port) = if protocol_has_ports(&permission.protocol) {
            (permission.from_port, permission.to_port)
        } else {
            (-1, -1)
        };
        let mut request = aws_sdk_ec2::types::SecurityGroupRuleRequest::builder()
            .ip_protocol(&permission.protocol)
            .from_port(port_for_aws(from_port))
            .to_port(port_for_aws(to_port))
            .description(desired_description.unwrap_or_default());
        request = match &permission.source {
            Source::Ipv4(cidr) => request.cidr_ipv4(cidr),
            Source::Ipv6(cidr) => request.cidr_ipv6(cidr),
            Source::PrefixList(id) => request.prefix_list_id(id),
            Source::Group(group) => request.referenced_group_id(
                group
                    .split_once('/')
                    .map(|(_, group_id)| group_id)
                    .unwrap_or(group),
            ),
        };
        context
            .aws()
            .ec2
            .modify_security_group_rules()
            .group_id(&group_id)
            .security_group_rules(
                aws_sdk_ec2::types::SecurityGroupRuleUpdate::builder()
                    .security_group_rule_id(id)
                    .security_group_rule(request.build())
                    .build(),
            )
            .send()
            .await
            .map_err(|error| crate::aws::kit::sdk_error("ModifySecurityGroupRules", error))?;
    }
    sync_tags(&super::common::Ec2Tags, context, id, prior, desired).await?;
    read_standalone(context, direction, id, desired)
        .await?
        .ok_or_else(|| ProviderError::Aws {
            operation: "DescribeSecurityGroupRules".to_string(),
            code: "InvalidSecurityGroupRuleId.NotFound".to_string(),
            message: format!("security group rule {id} disappeared during update"),
        })
}

/// Delete for a standalone rule: Revoke... by rule id; a rule or group already gone is
/// success.
pub async fn delete_standalone(
    context: &ProviderContext,
    direction: Direction,
    id: &str,
    prior: &Attributes,
) -> Result<(), ProviderError> {
    let group_id = match attributes::optional_string(prior, "security_group_id") {
        Some(group_id) => group_id,
        None => match describe_rule(context, id).await? {
            Some(rule) => rule.group_id().unwrap_or_default().to_string(),
            None => return Ok(()),
        },
    };
    match revoke_rule_ids(context, direction, &group_id, vec![id.to_string()]).await {
        Ok(()) => Ok(()),
        Err(error) if crate::aws::kit::is_gone(&error, &["InvalidPermission.NotFound"]) =>
        {
            Ok(())
        }
        Err(error) => Err(error),
    }
}

/// Recovery for a standalone rule: rules carry no client token, but AWS refuses duplicates, so
/// a rule of the group with the same protocol, ports and source is the one an interrupted
/// create made (or one that would make this create fail anyway).
pub async fn recover_standalone(
    context: &ProviderContext,
    direction: Direction,
    desired: &Attributes,
) -> Result<Option<Attributes>, ProviderError> {
    let Some(group_id) = attributes::optional_string(desired, "security_group_id")
    else {
        return Ok(None);
    };
    let permission = standalone_permission(desired)?;
    let rules = describe_group_rules(context, &group_id, direction).await?;
    Ok(find_same_rule(&rules, &permission)
        .map(|rule| standalone_attributes(context, rule, desired)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standalone_rules_mark_everything_but_description_and_tags_force_new() {
        use crate::provider::Resource;
        let ingress = StandaloneRule::<false>::new();
        let egress = StandaloneRule::<true>::new();
        assert_eq!(ingress.type_name(), "aws_vpc_security_group_ingress_rule");
        assert_eq!(egress.type_name(), "aws_vpc_security_group_egress_rule");
        for resource in [&ingress as &dyn Resource, &egress] {
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
        }
    }

    fn block(entries: &[(&str, Value)]) -> Value {
        Value::Map(
            entries
                .iter()
                .map(|(key, value)| (key.to_string(), value.clone()))
                .collect(),
        )
    }

    fn strings(items: &[&str]) -> Value {
        Value::List(items.iter().map(|item| Value::string(*item)).collect())
    }

    #[test]
    fn protocol_aliases_normalise_to_what_aws_returns() {
        assert_eq!(normalize_protocol("all"), "-1");
        assert_eq!(normalize_protocol("ALL"), "-1");
        assert_eq!(normalize_protocol("-1"), "-1");
        assert_eq!(normalize_protocol("6"), "tcp");
        assert_eq!(normalize_protocol("TCP"), "tcp");
        assert_eq!(normalize_protocol("17"), "udp");
        assert_eq!(normalize_protocol("1"), "icmp");
        assert_eq!(normalize_protocol("58"), "icmpv6");
        assert_eq!(normalize_protocol("50"), "50");
    }

    #[test]
    fn ports_of_portless_protocols_are_ignored() {
        assert_eq!(normalize_ports("-1", Some(0), Some(65535)), (0, 0));
        assert_eq!(normalize_ports("-1", None, None), (0, 0));
        assert_eq!(normalize_ports("tcp", Some(80), Some(80)), (80, 80));
        assert_eq!(normalize_ports("icmp", Some(-1), Some(-1)), (-1, -1));
    }

    #[test]
    fn a_block_expands_into_one_permission_per_source() {
        let written = block(&[
            ("protocol", Value::string("6")),
            ("from_port", Value::from(443)),
            ("to_port", Value::from(443)),
            ("cidr_blocks", strings(&["10.0.0.0/8", "192.168.0.0/16"])),
            ("ipv6_cidr_blocks", strings(&["::/0"])),
            ("security_groups", strings(&["sg-other"])),
            ("self", Value::Bool(true)),
            ("description", Value::string("https")),
        ]);
        let atoms = permissions_from_block(&written, "sg-own", "ingress").expect("valid block");
        assert_eq!(atoms.len(), 5);
        assert!(atoms.iter().all(|atom| atom.protocol == "tcp"
            && atom.from_port == 443
            && atom.description.as_deref() == Some("https")));
        assert!(atoms.contains(&Permission {
            protocol: "tcp".into(),
            from_port: 443,
            to_port: 443,
            source: Source::Group("sg-own".into()),
            description: Some("https".into()),
        }));
    }

    #[test]
    fn a_block_without_sources_is_refused() {
        let written = block(&[
            ("protocol", Value::string("tcp")),
            ("from_port", Value::from(22)),
            ("to_port", Value::from(22)),
        ]);
        assert!(permissions_from_block(&written, "sg-own", "ingress").is_err());
    }

    #[test]
    fn differently_grouped_blocks_compare_equal_as_sets() {
        let together = vec![block(&[
            ("protocol", Value::string("tcp")),
            ("from_port", Value::from(22)),
            ("to_port", Value::from(22)),
            ("cidr_blocks", strings(&["10.0.0.0/8", "172.16.0.0/12"])),
        ])];
        let apart = vec![
            block(&[
                ("protocol", Value::string("6")),
                ("from_port", Value::from(22)),
                ("to_port", Value::from(22)),
                ("cidr_blocks", strings(&["172.16.0.0/12"])),
            ]),
            block(&[
                ("protocol", Value::string("TCP")),
                ("from_port", Value::from(22)),
                ("to_port", Value::from(22)),
                ("cidr_blocks", strings(&["10.0.0.0/8"])),
                ("description", Value::string("")),
            ]),
        ];
        assert_eq!(
            permissions_from_blocks(&together, "sg-own", "ingress").expect("valid"),
            permissions_from_blocks(&apart, "sg-own", "ingress").expect("valid")
        );
    }

    #[test]
    fn aws_permissions_round_trip_through_atoms() {
        let written = vec![
            block(&[
                ("protocol", Value::string("all")),
                ("from_port", Value::from(0)),
                ("to_port", Value::from(0)),
                ("cidr_blocks", strings(&["0.0.0.0/0"])),
            ]),
            block(&[
                ("protocol", Value::string("tcp")),
                ("from_port", Value::from(80)),
                ("to_port", Value::from(80)),
                ("cidr_blocks", strings(&["10.0.0.0/8"])),
                ("prefix_list_ids", strings(&["pl-123"])),
                ("security_groups", strings(&["111122223333/sg-far"])),
                ("description", Value::string("web")),
            ]),
        ];
        let atoms = permissions_from_blocks(&written, "sg-own", "egress").expect("valid");
        let aws = permissions_to_aws(&atoms);
        assert_eq!(aws.len(), 2);
        let all = aws
            .iter()
            .find(|permission| permission.ip_protocol() == Some("-1"))
            .expect("the all-traffic permission");
        assert_eq!(all.from_port(), None);
        assert_eq!(permissions_from_aws(&aws, "999988887777"), atoms);
    }

    #[test]
    fn reads_group_by_protocol_ports_and_description() {
        let atoms: BTreeSet<Permission> = [
            ("10.0.0.0/8", Some("office")),
            ("172.16.0.0/12", Some("office")),
            ("192.168.0.0/16", None),
        ]
        .into_iter()
        .map(|(cidr, description)| Permission {
            protocol: "tcp".into(),
            from_port: 22,
            to_port: 22,
            source: Source::Ipv4(cidr.into()),
            description: description.map(str::to_string),
        })
        .chain([Permission {
            protocol: "tcp".into(),
            from_port: 22,
            to_port: 22,
            source: Source::Group("sg-own".into()),
            description: None,
        }])
        .collect();
        let blocks = canonical_blocks(&atoms, "sg-own");
        assert_eq!(blocks.len(), 2);
        let office = blocks
            .iter()
            .find(|block| block.get("description") == Some(&Value::string("office")))
            .expect("office block");
        assert_eq!(
            office.get("cidr_blocks"),
            Some(&strings(&["10.0.0.0/8", "172.16.0.0/12"]))
        );
        assert_eq!(office.get("self"), Some(&Value::Bool(false)));
        let plain = blocks
            .iter()
            .find(|block| block.get("description") == Some(&Value::Null))
            .expect("block without description");
        assert_eq!(plain.get("self"), Some(&Value::Bool(true)));
        assert_eq!(
            plain.get("cidr_blocks"),
            Some(&strings(&["192.168.0.0/16"]))
        );
    }

    #[test]
    fn reads_keep_prior_blocks_as_written_and_group_the_rest() {
        let prior = vec![block(&[
            ("protocol", Value::string("6")),
            ("from_port", Value::from(22)),
            ("to_port", Value::from(22)),
            ("cidr_blocks", strings(&["10.0.0.0/8"])),
        ])];
        let mut remote = permissions_from_blocks(&prior, "sg-own", "ingress").expect("valid");
        remote.insert(Permission {
            protocol: "tcp".into(),
            from_port: 80,
            to_port: 80,
            source: Source::Ipv4("0.0.0.0/0".into()),
            description: None,
        });
        let read = blocks_for_read(&remote, &prior, "sg-own");
        let blocks = read.as_list().expect("a list");
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0], prior[0]);
        assert_eq!(blocks[1].get("from_port"), Some(&Value::from(80)));

        // A prior block that lost one of its sources is no longer echoed.
        let shrunk: BTreeSet<Permission> = remote
            .into_iter()
            .filter(|atom| atom.from_port == 80)
            .collect();
        let read = blocks_for_read(&shrunk, &prior, "sg-own");
        assert_eq!(read.as_list().map(<[Value]>::len), Some(1));
    }

    #[test]
    fn standalone_rules_need_exactly_one_source() {
        let mut attributes: Attributes = [
            ("security_group_id", Value::string("sg-1")),
            ("ip_protocol", Value::string("tcp")),
            ("from_port", Value::from(443)),
            ("to_port", Value::from(443)),
            ("cidr_ipv4", Value::string("10.0.0.0/8")),
        ]
        .into_iter()
        .map(|(key, value)| (key.to_string(), value))
        .collect();
        let permission = standalone_permission(&attributes).expect("one source");
        assert_eq!(permission.source, Source::Ipv4("10.0.0.0/8".into()));
        attributes.insert("prefix_list_id".into(), Value::string("pl-1"));
        assert!(standalone_permission(&attributes).is_err());
        attributes.insert("ip_protocol".into(), Value::string("all"));
        attributes.remove("prefix_list_id");
        let permission = standalone_permission(&attributes).expect("one source");
        assert_eq!(
            (permission.protocol.as_str(), permission.from_port),
            ("-1", 0)
        );
    }

    #[test]
    fn arns_follow_the_partition() {
        assert_eq!(
            ec2_arn("us-east-1", "123", "route-table/rtb-1"),
            "arn:aws:ec2:us-east-1:123:route-table/rtb-1"
        );
        assert!(ec2_arn("cn-north-1", "123", "x").starts_with("arn:aws-cn:"));
    }
}
