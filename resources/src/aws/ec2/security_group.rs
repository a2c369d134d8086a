//! `aws_security_group`: a VPC security group with its inline `ingress {}` / `egress {}` rules.
//!
//! AWS calls: CreateSecurityGroup (TagSpecifications carry the `provision:*` tags from the first
//! moment), DescribeSecurityGroups (read, recovery by tags or by generated name),
//! AuthorizeSecurityGroupIngress / Egress and RevokeSecurityGroupIngress / Egress (rules, in
//! place), CreateTags / DeleteTags, DeleteSecurityGroup (retried while AWS answers
//! `DependencyViolation`, e.g. network interfaces still going away).
//!
//! Force-new: name, name_prefix, description, vpc_id. In place: ingress, egress,
//! revoke_rules_on_delete, tags.
//!
//! Rules: compared as sets of atomic permissions (one protocol, port range, source and
//! description each; see `security_group_rules`), so grouping and protocol aliases (`all`, `6`)
//! never show as a diff. `ingress` and `egress` are computed blocks: when the spec writes none,
//! the rules AWS holds (rules of `aws_vpc_security_group_*_rule` resources) are left alone;
//! when it writes some, AWS is made to hold exactly them. At create the default allow-all
//! egress rule AWS adds is always revoked unless the spec writes it, as Terraform does.
//!
//! Name: `name`, else `name_prefix` + a suffix, else `terraform-` + a suffix; the suffix is a
//! hash of stack, address and idempotency token, so it is stable for one pending create (an
//! interrupted create can be found by name) and differs between replacements.
//!
//! Drift: `read_many` is one DescribeSecurityGroups per 200 groups (a `group-id` filter,
//! paginated); `list_managed` is DescribeSecurityGroups filtered by the `provision:stack` tag.

use crate::aws::kit::attributes;
use crate::aws::kit::tags::sync_tags;
use crate::aws::kit::ResultExt;
use crate::aws::AwsContext;
use std::collections::BTreeSet;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_ec2::types::{Filter, ResourceType, SecurityGroup as Ec2SecurityGroup};

use crate::aws::ec2::common;
use crate::aws::ec2::security_group_rules::{
    self, blocks_for_read, blocks_of, permissions_from_aws, permissions_from_blocks, Direction,
};
use crate::aws::kit::wait::{self, Poll};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

const DEFAULT_DESCRIPTION: &str = "Managed by Terraform";
/// How long a delete keeps retrying `DependencyViolation`.
const DELETE_LIMIT: Duration = Duration::from_secs(15 * 60);

pub struct SecurityGroup {
    schema: Schema,
}

impl Default for SecurityGroup {
    fn default() -> Self {
        Self::new()
    }
}

fn rule_block(name: &'static str) -> NestedBlock {
    NestedBlock {
        name,
        nesting: BlockNesting::Set,
        schema: Schema::new(vec![
            Attribute::required("from_port", AttrType::Number),
            Attribute::required("to_port", AttrType::Number),
            Attribute::required("protocol", AttrType::String)
                .describe("`-1` (or `all`) for every protocol, `tcp`, `udp`, `icmp`, or a number"),
            Attribute::optional("cidr_blocks", AttrType::list_of_strings()),
            Attribute::optional("ipv6_cidr_blocks", AttrType::list_of_strings()),
            Attribute::optional("prefix_list_ids", AttrType::list_of_strings()),
            Attribute::optional("security_groups", AttrType::set_of_strings()),
            Attribute::optional("self", AttrType::Bool).default(false),
            Attribute::optional("description", AttrType::String),
        ]),
        force_new: false,
        computed: true,
    }
}

impl SecurityGroup {
    pub fn new() -> Self {
        let schema = Schema::new(vec![
            Attribute::computed("id", AttrType::String),
            Attribute::computed("arn", AttrType::String),
            Attribute::computed("owner_id", AttrType::String),
            Attribute::optional_computed("name", AttrType::String).force_new(),
            Attribute::optional("name_prefix", AttrType::String).force_new(),
            Attribute::optional("description", AttrType::String)
                .default(DEFAULT_DESCRIPTION)
                .force_new(),
            Attribute::optional_computed("vpc_id", AttrType::String).force_new(),
            Attribute::optional("revoke_rules_on_delete", AttrType::Bool).default(false),
            Attribute::optional("tags", AttrType::map_of_strings()),
            Attribute::computed("tags_all", AttrType::map_of_strings()),
        ])
        .with_block(rule_block("ingress"))
        .with_block(rule_block("egress"));
        SecurityGroup { schema }
    }
}

/// 64-bit FNV-1a: a stable hash (std's hasher may change between Rust releases).
fn stable_hash(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0u8]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

/// The group name to create: `name`, else `name_prefix` or `terraform-` followed by a suffix
/// derived from stack, address and idempotency token.
pub fn group_name(context: &ProviderContext, desired: &Attributes) -> String {
    if let Some(name) = attributes::optional_string(desired, "name").filter(|name| !name.is_empty())
    {
        return name;
    }
    let prefix = attributes::optional_string(desired, "name_prefix")
        .unwrap_or_else(|| "terraform-".to_string());
    let suffix = stable_hash(&[&context.stack, &context.address, &context.idempotency_token]);
    format!("{prefix}{suffix:016x}")
}

fn name_was_generated(desired: &Attributes) -> bool {
    attributes::optional_string(desired, "name").is_none_or(|name| name.is_empty())
}

/// The permissions AWS must hold in one direction, or `None` to leave that direction alone.
/// Unknown or null means the spec writes no such block. At create (`prior` is `None`) an empty
/// list also means "not written"; at update only a change against `prior` is applied, so rules
/// added by `aws_vpc_security_group_*_rule` resources are never fought over.
fn rules_to_apply(
    desired: &Attributes,
    prior: Option<&Attributes>,
    block: &str,
    group_id: &str,
) -> Result<Option<BTreeSet<security_group_rules::Permission>>, ProviderError> {
    // At create the default allow-all egress rule AWS adds is revoked unless the spec writes
    // egress blocks, as Terraform does: egress is then exactly what the spec (or standalone
    // `aws_vpc_security_group_egress_rule` resources) add.
    let Some(Value::List(items)) = desired.get(block) else {
        return Ok((prior.is_none() && block == "egress").then(BTreeSet::new));
    };
    let wanted = permissions_from_blocks(items, group_id, block)?;
    match prior {
        None if items.is_empty() && block == "egress" => Ok(Some(BTreeSet::new())),
        None if items.is_empty() => Ok(None),
        None => Ok(Some(wanted)),
        Some(prior) => {
            let before = permissions_from_blocks(&blocks_of(prior.get(block)), group_id, block);
            match before {
                Ok(before) if before == wanted && prior.get(block).is_some() => Ok(None),
                _ => Ok(Some(wanted)),
            }
        }
    }
}

// ----- create -----------------------------------------------------------------------------------

impl SecurityGroup {
    async fn create_group(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<String, ProviderError> {
        let description = attributes::optional_string(desired, "description")
            .filter(|description| !description.is_empty())
            .unwrap_or_else(|| DEFAULT_DESCRIPTION.to_string());
        let output = context
            .aws()
            .ec2
            .create_security_group()
            .group_name(group_name(context, desired))
            .description(description)
            .set_vpc_id(attributes::optional_string(desired, "vpc_id"))
            .tag_specifications(common::tag_specification(
                context,
                ResourceType::SecurityGroup,
                desired,
            ))
            .send()
            .await
            .map_err(|error| crate::aws::kit::sdk_error("CreateSecurityGroup", error))?;
        output
            .group_id()
            .map(str::to_string)
            .ok_or_else(|| ProviderError::Aws {
                operation: "CreateSecurityGroup".to_string(),
                code: "MissingGroupId".to_string(),
                message: "AWS returned no group id".to_string(),
            })
    }

    /// Brings the group's rules to what `desired` asks for, in each direction the spec manages
    /// and (at update) changed.
    async fn apply_rules(
        &self,
        context: &ProviderContext,
        group_id: &str,
        prior: Option<&Attributes>,
        desired: &Attributes,
    ) -> Result<(), ProviderError> {
        let mut changes = Vec::new();
        for (direction, block) in [
            (Direction::Ingress, "ingress"),
            (Direction::Egress, "egress"),
        ] {
            if let Some(wanted) = rules_to_apply(desired, prior, block, group_id)? {
                changes.push((direction, wanted));
            }
        }
        if changes.is_empty() {
            return Ok(());
        }
        let Some(group) = describe_group(context, group_id).await? else {
            return Err(gone(group_id));
        };
        let owner_id = group.owner_id().unwrap_or_default();
        for (direction, wanted) in changes {
            let current = current_permissions(&group, direction, owner_id);
            security_group_rules::reconcile(context, direction, group_id, &current, &wanted)
                .await?;
        }
        Ok(())
    }
}

fn current_permissions(
    group: &Ec2SecurityGroup,
    direction: Direction,
    owner_id: &str,
) -> BTreeSet<security_group_rules::Permission> {
    match direction {
        Direction::Ingress => permissions_from_aws(group.ip_permissions(), owner_id),
        Direction::Egress => permissions_from_aws(group.ip_permissions_egress(), owner_id),
    }
}

fn gone(group_id: &str) -> ProviderError {
    ProviderError::Aws {
        operation: "DescribeSecurityGroups".to_string(),
        code: "InvalidGroup.NotFound".to_string(),
        message: format!("security group {group_id} does not exist"),
    }
}

// ----- read -------------------------------------------------------------------------------------

/// The group, or `None` when AWS no longer has it.
async fn describe_group(
    context: &ProviderContext,
    group_id: &str,
) -> Result<Option<Ec2SecurityGroup>, ProviderError> {
    let found = common::described::<Ec2SecurityGroup>(context, group_id).await?;
    Ok(found.and_then(|items| {
        items
            .into_iter()
            .find(|item| item.group_id() == Some(group_id))
    }))
}

/// Every attribute of the group. `prior` supplies what AWS cannot tell (name_prefix,
/// revoke_rules_on_delete) and the rule blocks as the spec wrote them.
fn group_attributes(
    context: &ProviderContext,
    group: &Ec2SecurityGroup,
    prior: &Attributes,
) -> Attributes {
    let group_id = group.group_id().unwrap_or_default().to_string();
    let owner_id = group.owner_id().unwrap_or_default().to_string();
    let arn = group
        .security_group_arn()
        .map(str::to_string)
        .unwrap_or_else(|| {
            security_group_rules::ec2_arn(
                &context.aws().region,
                &owner_id,
                &format!("security-group/{group_id}"),
            )
        });
    let ingress = blocks_for_read(
        &permissions_from_aws(group.ip_permissions(), &owner_id),
        &blocks_of(prior.get("ingress")),
        &group_id,
    );
    let egress = blocks_for_read(
        &permissions_from_aws(group.ip_permissions_egress(), &owner_id),
        &blocks_of(prior.get("egress")),
        &group_id,
    );
    let mut attributes: Attributes = [
        ("id", Value::String(group_id)),
        ("arn", Value::String(arn)),
        ("owner_id", Value::String(owner_id)),
        ("name", Value::from(group.group_name().map(str::to_string))),
        (
            "name_prefix",
            Value::from(attributes::optional_string(prior, "name_prefix")),
        ),
        (
            "description",
            Value::from(group.description().map(str::to_string)),
        ),
        ("vpc_id", Value::from(group.vpc_id().map(str::to_string))),
        (
            "revoke_rules_on_delete",
            Value::Bool(
                attributes::optional_bool(prior, "revoke_rules_on_delete").unwrap_or(false),
            ),
        ),
        ("ingress", ingress),
        ("egress", egress),
    ]
    .into_iter()
    .map(|(key, value)| (key.to_string(), value))
    .collect();
    common::put_tags(context, &mut attributes, group.tags());
    attributes
}

// ----- delete -----------------------------------------------------------------------------------

impl SecurityGroup {
    /// Revokes every rule of the group (for `revoke_rules_on_delete`: rules that reference other
    /// groups would otherwise keep them, or this one, from being deleted).
    async fn revoke_all_rules(
        &self,
        context: &ProviderContext,
        group: &Ec2SecurityGroup,
    ) -> Result<(), ProviderError> {
        let group_id = group.group_id().unwrap_or_default();
        for (direction, permissions) in [
            (Direction::Ingress, group.ip_permissions()),
            (Direction::Egress, group.ip_permissions_egress()),
        ] {
            if permissions.is_empty() {
                continue;
            }
            security_group_rules::revoke(context, direction, group_id, permissions.to_vec())
                .await
                .gone_is_ok()?;
        }
        Ok(())
    }
}

// ----- the trait --------------------------------------------------------------------------------

#[async_trait]
impl Resource for SecurityGroup {
    fn type_name(&self) -> &'static str {
        "aws_security_group"
    }

    fn import_id(&self) -> String {
        "security group id (sg-…)".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let group_id = self.create_group(context, desired).await?;
        self.apply_rules(context, &group_id, None, desired).await?;
        let mut prior = desired.clone();
        prior.insert("id".to_string(), Value::String(group_id.clone()));
        self.read(context, &group_id, &prior)
            .await?
            .ok_or_else(|| gone(&group_id))
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        Ok(describe_group(context, id)
            .await?
            .map(|group| group_attributes(context, &group, prior)))
    }

    async fn read_many(
        &self,
        context: &ProviderContext,
        items: &[(String, Attributes)],
    ) -> Result<Vec<Option<Attributes>>, ProviderError> {
        common::read_many_described(context, items, |group, prior| {
            group_attributes(context, group, prior)
        })
        .await
    }

    async fn list_managed(
        &self,
        context: &ProviderContext,
        stack: &str,
    ) -> Result<Vec<(String, String)>, ProviderError> {
        common::list_managed::<Ec2SecurityGroup>(context, stack, |_| true).await
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        self.apply_rules(context, id, Some(prior), desired).await?;
        sync_tags(&common::Ec2Tags, context, id, prior, desired).await?;
        self.read(context, id, desired)
            .await?
            .ok_or_else(|| gone(id))
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<(), ProviderError> {
        if attributes::optional_bool(prior, "revoke_rules_on_delete") == Some(true) {
            match describe_group(context, id).await? {
                Some(group) => self.revoke_all_rules(context, &group).await?,
                None => return Ok(()),
            }
        }
        let client = &context.aws().ec2;
        wait::until(
            &format!("security group {id} to be deleted"),
            DELETE_LIMIT,
            || async {
                let result = client.delete_security_group().group_id(id).send().await;
                match result
                    .map_err(|error| crate::aws::kit::sdk_error("DeleteSecurityGroup", error))
                    .gone_is_ok()
                {
                    Ok(()) => Ok(Poll::Ready(())),
                    Err(error) if error.code() == Some("DependencyViolation") => Ok(Poll::Pending),
                    Err(error) => Err(error),
                }
            },
        )
        .await
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let client = &context.aws().ec2;
        let filters = common::recovery_filters(context);
        let mut found: Option<Ec2SecurityGroup> =
            common::recovered(context, filters, |_| true).await?;
        if found.is_none() && name_was_generated(desired) {
            // The generated name is ours alone: a group holding it was made by this create.
            let mut filters = vec![Filter::builder()
                .name("group-name")
                .values(group_name(context, desired))
                .build()];
            if let Some(vpc_id) = attributes::optional_string(desired, "vpc_id") {
                filters.push(Filter::builder().name("vpc-id").values(vpc_id).build());
            }
            let by_name = client
                .describe_security_groups()
                .set_filters(Some(filters))
                .send()
                .await
                .map_err(|error| crate::aws::kit::sdk_error("DescribeSecurityGroups", error))?;
            found = by_name.security_groups().first().cloned();
        }
        Ok(found.map(|group| group_attributes(context, &group, desired)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn context(address: &str, token: &str) -> ProviderContext {
        let config = aws_types::SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .region(aws_types::region::Region::new("us-east-1"))
            .build();
        ProviderContext {
            clients: Arc::new(crate::aws::AwsClients::from_config(&config)),
            stack: "test/stack".to_string(),
            address: address.to_string(),
            default_tags: Default::default(),
            idempotency_token: token.to_string(),
            progress: Default::default(),
        }
    }

    #[test]
    fn generated_names_are_stable_for_one_create_and_differ_between_creates() {
        let first = context("aws_security_group.web", "token-1");
        let desired = Attributes::new();
        let name = group_name(&first, &desired);
        assert!(name.starts_with("terraform-"));
        assert_eq!(name, group_name(&first, &desired));
        assert_ne!(
            name,
            group_name(&context("aws_security_group.web", "token-2"), &desired)
        );
        assert_ne!(
            name,
            group_name(&context("aws_security_group.db", "token-1"), &desired)
        );

        let prefixed: Attributes = [("name_prefix".to_string(), Value::string("web-"))].into();
        assert!(group_name(&first, &prefixed).starts_with("web-"));
        let named: Attributes = [("name".to_string(), Value::string("exact"))].into();
        assert_eq!(group_name(&first, &named), "exact");
        assert!(!name_was_generated(&named));
    }

    fn ssh_block(protocol: &str) -> Value {
        Value::Map(
            [
                ("protocol", Value::string(protocol)),
                ("from_port", Value::from(22)),
                ("to_port", Value::from(22)),
                (
                    "cidr_blocks",
                    Value::List(vec![Value::string("10.0.0.0/8")]),
                ),
            ]
            .into_iter()
            .map(|(key, value)| (key.to_string(), value))
            .collect(),
        )
    }

    #[test]
    fn unwritten_or_unchanged_rule_blocks_are_left_alone() {
        let mut desired = Attributes::new();
        // At create, unwritten ingress is left alone; unwritten egress revokes the default rule.
        assert!(rules_to_apply(&desired, None, "ingress", "sg-1")
            .expect("valid")
            .is_none());
        assert_eq!(
            rules_to_apply(&desired, None, "egress", "sg-1").expect("valid"),
            Some(BTreeSet::new())
        );
        desired.insert("egress".to_string(), Value::Unknown);
        assert_eq!(
            rules_to_apply(&desired, None, "egress", "sg-1").expect("valid"),
            Some(BTreeSet::new())
        );
        desired.insert("egress".to_string(), Value::List(vec![]));
        assert_eq!(
            rules_to_apply(&desired, None, "egress", "sg-1").expect("valid"),
            Some(BTreeSet::new())
        );

        let prior: Attributes =
            [("egress".to_string(), Value::List(vec![ssh_block("tcp")]))].into();
        let written: Attributes =
            [("egress".to_string(), Value::List(vec![ssh_block("6")]))].into();
        assert!(rules_to_apply(&written, Some(&prior), "egress", "sg-1")
            .expect("valid")
            .is_none());
        assert_eq!(
            rules_to_apply(&desired, Some(&prior), "egress", "sg-1")
                .expect("valid")
                .map(|wanted| wanted.len()),
            Some(0)
        );
        assert_eq!(
            rules_to_apply(&written, None, "egress", "sg-1")
                .expect("valid")
                .map(|wanted| wanted.len()),
            Some(1)
        );
    }

    #[test]
    fn schema_has_terraform_shape() {
        let resource = SecurityGroup::new();
        let schema = resource.schema();
        for name in ["name", "name_prefix", "description", "vpc_id"] {
            assert!(schema
                .attribute(name)
                .is_some_and(|attribute| attribute.force_new));
        }
        for block in ["ingress", "egress"] {
            let nested = schema.block(block).expect("rule block");
            assert_eq!(nested.nesting, BlockNesting::Set);
            assert!(nested.computed);
        }
    }
}
