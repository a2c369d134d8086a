//! `aws_route_table`: a VPC route table with its inline `route {}` blocks.
//!
//! AWS calls: CreateRouteTable (ClientToken = idempotency token, TagSpecifications carry the
//! `provision:*` tags from the first moment), DescribeRouteTables (read, recovery by tags),
//! CreateRoute / ReplaceRoute / DeleteRoute (routes, in place), CreateTags / DeleteTags,
//! DeleteRouteTable.
//!
//! Force-new: vpc_id. In place: route, tags.
//!
//! Routes: keyed by destination (cidr_block, ipv6_cidr_block or destination_prefix_list_id).
//! The `local` route and routes propagated from a virtual private gateway are never included
//! nor touched. `route` is a computed block: when the spec writes none, routes managed
//! elsewhere (`aws_route`) are left alone; when it writes some, AWS is made to hold exactly
//! them. Associations are their own resource (`aws_route_table_association`), so delete
//! disassociates nothing.
//!
//! Drift: `read_many` is one DescribeRouteTables per 200 tables (a `route-table-id` filter,
//! paginated by 100); `list_managed` is DescribeRouteTables filtered by the `provision:stack` tag.
//!
//! Emulator (moto 5.2.1): CreateRouteTable ignores ClientToken (recovery is by tags); a
//! route to a NAT gateway or transit gateway id that does not exist is stored without a target.

use crate::aws::kit::attributes;
use crate::aws::kit::tags::sync_tags;
use crate::aws::AwsContext;
use std::collections::BTreeMap;

use async_trait::async_trait;
use aws_sdk_ec2::types::{
    ResourceType, Route as Ec2Route, RouteOrigin, RouteTable as Ec2RouteTable,
};

use crate::aws::ec2::common;
use crate::aws::ec2::security_group_rules::ec2_arn;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

/// The destination keys of a `route` block; exactly one is set.
pub const DESTINATION_KEYS: [&str; 3] = [
    "cidr_block",
    "ipv6_cidr_block",
    "destination_prefix_list_id",
];

/// The target keys of a `route` block (and of `aws_route`).
pub const TARGET_KEYS: [&str; 10] = [
    "gateway_id",
    "nat_gateway_id",
    "network_interface_id",
    "vpc_peering_connection_id",
    "transit_gateway_id",
    "vpc_endpoint_id",
    "egress_only_gateway_id",
    "carrier_gateway_id",
    "local_gateway_id",
    "core_network_arn",
];

/// One route: its destination and target fields, only those that are set.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RouteEntry {
    pub fields: BTreeMap<&'static str, String>,
}

impl RouteEntry {
    /// From a `route` block (or `aws_route` attributes, with `destination_` key names mapped by
    /// the caller). Empty strings count as unset.
    pub fn from_block(block: &Value) -> RouteEntry {
        let fields = DESTINATION_KEYS
            .iter()
            .chain(TARGET_KEYS.iter())
            .filter_map(|key| {
                let text = block.get(key).and_then(Value::to_template_string)?;
                (!text.is_empty()).then_some((*key, text))
            })
            .collect();
        RouteEntry { fields }
    }

    /// From a route AWS returned; `None` for the `local` route and propagated routes, which
    /// no spec manages. A `vpce-` gateway is a VPC endpoint target.
    pub fn from_aws(route: &Ec2Route) -> Option<RouteEntry> {
        if route.gateway_id() == Some("local")
            || matches!(
                route.origin(),
                Some(RouteOrigin::CreateRouteTable | RouteOrigin::EnableVgwRoutePropagation)
            )
        {
            return None;
        }
        let gateway = route.gateway_id();
        let (gateway_id, vpc_endpoint_id) = match gateway {
            Some(id) if id.starts_with("vpce-") => (None, Some(id)),
            other => (other, None),
        };
        let pairs: [(&'static str, Option<&str>); 13] = [
            ("cidr_block", route.destination_cidr_block()),
            ("ipv6_cidr_block", route.destination_ipv6_cidr_block()),
            (
                "destination_prefix_list_id",
                route.destination_prefix_list_id(),
            ),
            ("gateway_id", gateway_id),
            ("nat_gateway_id", route.nat_gateway_id()),
            ("network_interface_id", route.network_interface_id()),
            (
                "vpc_peering_connection_id",
                route.vpc_peering_connection_id(),
            ),
            ("transit_gateway_id", route.transit_gateway_id()),
            ("vpc_endpoint_id", vpc_endpoint_id),
            (
                "egress_only_gateway_id",
                route.egress_only_internet_gateway_id(),
            ),
            ("carrier_gateway_id", route.carrier_gateway_id()),
            ("local_gateway_id", route.local_gateway_id()),
            ("core_network_arn", route.core_network_arn()),
        ];
        let fields = pairs
            .into_iter()
            .filter_map(|(key, value)| {
                let value = value.filter(|value| !value.is_empty())?;
                Some((key, value.to_string()))
            })
            .collect();
        Some(RouteEntry { fields })
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields.get(key).map(String::as_str)
    }

    /// The destination that identifies the route within its table.
    pub fn destination(&self) -> Option<(&'static str, &str)> {
        DESTINATION_KEYS
            .iter()
            .find_map(|key| self.get(key).map(|value| (*key, value)))
    }

    /// The target fields only.
    pub fn targets(&self) -> BTreeMap<&'static str, &str> {
        TARGET_KEYS
            .iter()
            .filter_map(|key| self.get(key).map(|value| (*key, value)))
            .collect()
    }

    /// A `route` block with every key present (null where unset).
    pub fn to_block(&self) -> Value {
        Value::Map(
            DESTINATION_KEYS
                .iter()
                .chain(TARGET_KEYS.iter())
                .map(|key| {
                    (
                        key.to_string(),
                        Value::from(self.get(key).map(str::to_string)),
                    )
                })
                .collect(),
        )
    }
}

/// Sets the destination and target fields of a route entry on a CreateRoute / ReplaceRoute /
/// DeleteRoute builder (they share setter names).
macro_rules! with_destination {
    ($builder:expr, $entry:expr) => {
        $builder
            .set_destination_cidr_block($entry.get("cidr_block").map(str::to_string))
            .set_destination_ipv6_cidr_block($entry.get("ipv6_cidr_block").map(str::to_string))
            .set_destination_prefix_list_id(
                $entry.get("destination_prefix_list_id").map(str::to_string),
            )
    };
}

macro_rules! with_targets {
    ($builder:expr, $entry:expr) => {
        $builder
            .set_gateway_id($entry.get("gateway_id").map(str::to_string))
            .set_nat_gateway_id($entry.get("nat_gateway_id").map(str::to_string))
            .set_network_interface_id($entry.get("network_interface_id").map(str::to_string))
            .set_vpc_peering_connection_id(
                $entry.get("vpc_peering_connection_id").map(str::to_string),
            )
            .set_transit_gateway_id($entry.get("transit_gateway_id").map(str::to_string))
            .set_vpc_endpoint_id($entry.get("vpc_endpoint_id").map(str::to_string))
            .set_egress_only_internet_gateway_id(
                $entry.get("egress_only_gateway_id").map(str::to_string),
            )
            .set_carrier_gateway_id($entry.get("carrier_gateway_id").map(str::to_string))
            .set_local_gateway_id($entry.get("local_gateway_id").map(str::to_string))
            .set_core_network_arn($entry.get("core_network_arn").map(str::to_string))
    };
}

/// CreateRoute for one entry.
pub async fn create_route(
    context: &ProviderContext,
    route_table_id: &str,
    entry: &RouteEntry,
) -> Result<(), ProviderError> {
    let builder = context
        .aws()
        .ec2
        .create_route()
        .route_table_id(route_table_id);
    with_targets!(with_destination!(builder, entry), entry)
        .send()
        .await
        .map(|_| ())
        .map_err(|error| crate::aws::kit::sdk_error("CreateRoute", error))
}

/// ReplaceRoute: points an existing destination at the entry's targets.
pub async fn replace_route(
    context: &ProviderContext,
    route_table_id: &str,
    entry: &RouteEntry,
) -> Result<(), ProviderError> {
    let builder = context
        .aws()
        .ec2
        .replace_route()
        .route_table_id(route_table_id);
    with_targets!(with_destination!(builder, entry), entry)
        .send()
        .await
        .map(|_| ())
        .map_err(|error| crate::aws::kit::sdk_error("ReplaceRoute", error))
}

/// DeleteRoute; a route or table already gone is success.
pub async fn delete_route(
    context: &ProviderContext,
    route_table_id: &str,
    entry: &RouteEntry,
) -> Result<(), ProviderError> {
    let builder = context
        .aws()
        .ec2
        .delete_route()
        .route_table_id(route_table_id);
    match with_destination!(builder, entry).send().await {
        Ok(_) => Ok(()),
        Err(error) => {
            let error = crate::aws::kit::sdk_error("DeleteRoute", error);
            crate::aws::kit::ok_if_gone(error)
        }
    }
}

/// The route table, or `None` when AWS no longer has it.
pub async fn describe_route_table(
    context: &ProviderContext,
    route_table_id: &str,
) -> Result<Option<Ec2RouteTable>, ProviderError> {
    let found = common::described::<Ec2RouteTable>(context, route_table_id).await?;
    Ok(found.and_then(|items| {
        items
            .into_iter()
            .find(|item| item.route_table_id() == Some(route_table_id))
    }))
}

/// The changes that turn `current` routes into `desired`, keyed by destination.
#[derive(Debug, Default, PartialEq)]
pub struct RouteChanges {
    pub delete: Vec<RouteEntry>,
    pub replace: Vec<RouteEntry>,
    pub create: Vec<RouteEntry>,
}

pub fn route_changes(current: &[RouteEntry], desired: &[RouteEntry]) -> RouteChanges {
    let current_by_destination: BTreeMap<_, _> = current
        .iter()
        .filter_map(|entry| entry.destination().map(|destination| (destination, entry)))
        .collect();
    let desired_by_destination: BTreeMap<_, _> = desired
        .iter()
        .filter_map(|entry| entry.destination().map(|destination| (destination, entry)))
        .collect();
    let mut changes = RouteChanges::default();
    for (destination, entry) in &current_by_destination {
        if !desired_by_destination.contains_key(destination) {
            changes.delete.push((*entry).clone());
        }
    }
    for (destination, entry) in &desired_by_destination {
        match current_by_destination.get(destination) {
            Some(existing) if existing.targets() == entry.targets() => {}
            Some(_) => changes.replace.push((*entry).clone()),
            None => changes.create.push((*entry).clone()),
        }
    }
    changes
}

/// The `route` blocks to report: every prior block that still matches a route AWS holds, as it
/// was written, then the other routes in full form.
pub fn route_blocks_for_read(remote: &[RouteEntry], prior_blocks: &[Value]) -> Value {
    let mut remaining: Vec<RouteEntry> = remote.to_vec();
    let mut blocks = Vec::new();
    for block in prior_blocks {
        let entry = RouteEntry::from_block(block);
        if let Some(position) = remaining.iter().position(|found| *found == entry) {
            remaining.remove(position);
            blocks.push(block.clone());
        }
    }
    blocks.extend(remaining.iter().map(RouteEntry::to_block));
    Value::List(blocks)
}

fn route_blocks(value: Option<&Value>) -> Vec<Value> {
    value
        .and_then(Value::as_list)
        .map(|items| items.to_vec())
        .unwrap_or_default()
}

pub struct RouteTable {
    schema: Schema,
}

impl Default for RouteTable {
    fn default() -> Self {
        Self::new()
    }
}

impl RouteTable {
    pub fn new() -> Self {
        let route_attributes = DESTINATION_KEYS
            .iter()
            .chain(TARGET_KEYS.iter())
            .map(|key| Attribute::optional(key, AttrType::String))
            .collect();
        let schema = Schema::new(vec![
            Attribute::computed("id", AttrType::String),
            Attribute::computed("arn", AttrType::String),
            Attribute::computed("owner_id", AttrType::String),
            Attribute::required("vpc_id", AttrType::String).force_new(),
            Attribute::computed("propagating_vgws", AttrType::set_of_strings()),
            Attribute::optional("tags", AttrType::map_of_strings()),
            Attribute::computed("tags_all", AttrType::map_of_strings()),
        ])
        .with_block(NestedBlock {
            name: "route",
            nesting: BlockNesting::Set,
            schema: Schema::new(route_attributes),
            force_new: false,
            computed: true,
        });
        RouteTable { schema }
    }

    /// Brings the table's routes to `desired`'s `route` blocks, when the spec writes them and
    /// (at update) they changed against `prior`.
    async fn apply_routes(
        &self,
        context: &ProviderContext,
        route_table_id: &str,
        prior: Option<&Attributes>,
        desired: &Attributes,
    ) -> Result<(), ProviderError> {
        let Some(Value::List(blocks)) = desired.get("route") else {
            return Ok(());
        };
        let wanted: Vec<RouteEntry> = blocks.iter().map(RouteEntry::from_block).collect();
        for entry in &wanted {
            if entry.destination().is_none() {
                return Err(ProviderError::invalid(
                    "route",
                    "each route needs cidr_block, ipv6_cidr_block or destination_prefix_list_id",
                ));
            }
        }
        match prior {
            None if wanted.is_empty() => return Ok(()),
            Some(prior) => {
                let before: Vec<RouteEntry> = route_blocks(prior.get("route"))
                    .iter()
                    .map(RouteEntry::from_block)
                    .collect();
                if prior.get("route").is_some() && same_entries(&before, &wanted) {
                    return Ok(());
                }
            }
            None => {}
        }
        let table = describe_route_table(context, route_table_id)
            .await?
            .ok_or_else(|| gone(route_table_id))?;
        let current: Vec<RouteEntry> = table
            .routes()
            .iter()
            .filter_map(RouteEntry::from_aws)
            .collect();
        let changes = route_changes(&current, &wanted);
        for entry in &changes.delete {
            delete_route(context, route_table_id, entry).await?;
        }
        for entry in &changes.replace {
            replace_route(context, route_table_id, entry).await?;
        }
        for entry in &changes.create {
            create_route(context, route_table_id, entry).await?;
        }
        Ok(())
    }
}

fn same_entries(left: &[RouteEntry], right: &[RouteEntry]) -> bool {
    left.len() == right.len() && left.iter().all(|entry| right.contains(entry))
}

fn gone(route_table_id: &str) -> ProviderError {
    ProviderError::Aws {
        operation: "DescribeRouteTables".to_string(),
        code: "InvalidRouteTableID.NotFound".to_string(),
        message: format!("route table {route_table_id} does not exist"),
    }
}

/// Every attribute of the table; `prior` supplies the route blocks as the spec wrote them.
fn table_attributes(
    context: &ProviderContext,
    table: &Ec2RouteTable,
    prior: &Attributes,
) -> Attributes {
    let id = table.route_table_id().unwrap_or_default().to_string();
    let owner_id = table.owner_id().unwrap_or_default().to_string();
    let remote: Vec<RouteEntry> = table
        .routes()
        .iter()
        .filter_map(RouteEntry::from_aws)
        .collect();
    let mut attributes: Attributes = [
        (
            "arn",
            Value::String(ec2_arn(
                &context.aws().region,
                &owner_id,
                &format!("route-table/{id}"),
            )),
        ),
        ("id", Value::String(id)),
        ("owner_id", Value::String(owner_id)),
        ("vpc_id", Value::from(table.vpc_id().map(str::to_string))),
        (
            "propagating_vgws",
            attributes::string_list_value(
                table
                    .propagating_vgws()
                    .iter()
                    .filter_map(|gateway| gateway.gateway_id()),
            ),
        ),
        (
            "route",
            route_blocks_for_read(&remote, &route_blocks(prior.get("route"))),
        ),
    ]
    .into_iter()
    .map(|(key, value)| (key.to_string(), value))
    .collect();
    common::put_tags(context, &mut attributes, table.tags());
    attributes
}

#[async_trait]
impl Resource for RouteTable {
    fn type_name(&self) -> &'static str {
        "aws_route_table"
    }

    fn import_id(&self) -> String {
        "route table id (rtb-…)".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let output = context
            .aws()
            .ec2
            .create_route_table()
            .vpc_id(attributes::required_string(desired, "vpc_id")?)
            .client_token(&context.idempotency_token)
            .tag_specifications(common::tag_specification(
                context,
                ResourceType::RouteTable,
                desired,
            ))
            .send()
            .await
            .map_err(|error| crate::aws::kit::sdk_error("CreateRouteTable", error))?;
        let id = output
            .route_table()
            .and_then(|table| table.route_table_id())
            .map(str::to_string)
            .ok_or_else(|| ProviderError::Aws {
                operation: "CreateRouteTable".to_string(),
                code: "MissingRouteTableId".to_string(),
                message: "AWS returned no route table id".to_string(),
            })?;
        // A failure here leaves a tagged table that `recover` finds; the next apply converges.
        self.apply_routes(context, &id, None, desired).await?;
        self.read(context, &id, desired)
            .await?
            .ok_or_else(|| gone(&id))
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        Ok(describe_route_table(context, id)
            .await?
            .map(|table| table_attributes(context, &table, prior)))
    }

    async fn read_many(
        &self,
        context: &ProviderContext,
        items: &[(String, Attributes)],
    ) -> Result<Vec<Option<Attributes>>, ProviderError> {
        common::read_many_described(context, items, |table, prior| {
            table_attributes(context, table, prior)
        })
        .await
    }

    async fn list_managed(
        &self,
        context: &ProviderContext,
        stack: &str,
    ) -> Result<Vec<(String, String)>, ProviderError> {
        common::list_managed::<Ec2RouteTable>(context, stack, |_| true).await
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        self.apply_routes(context, id, Some(prior), desired).await?;
        sync_tags(&common::Ec2Tags, context, id, prior, desired).await?;
        self.read(context, id, desired)
            .await?
            .ok_or_else(|| gone(id))
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        match context
            .aws()
            .ec2
            .delete_route_table()
            .route_table_id(id)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(error) => {
                let error = crate::aws::kit::sdk_error("DeleteRouteTable", error);
                crate::aws::kit::ok_if_gone(error)
            }
        }
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let filters = common::recovery_filters(context);
        let found: Option<Ec2RouteTable> = common::recovered(context, filters, |_| true).await?;
        Ok(found.map(|table| table_attributes(context, &table, desired)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(fields: &[(&'static str, &str)]) -> RouteEntry {
        RouteEntry {
            fields: fields
                .iter()
                .map(|(key, value)| (*key, value.to_string()))
                .collect(),
        }
    }

    #[test]
    fn local_and_propagated_routes_are_not_managed() {
        let local = Ec2Route::builder()
            .destination_cidr_block("10.0.0.0/16")
            .gateway_id("local")
            .origin(RouteOrigin::CreateRouteTable)
            .build();
        assert_eq!(RouteEntry::from_aws(&local), None);
        let propagated = Ec2Route::builder()
            .destination_cidr_block("172.16.0.0/12")
            .gateway_id("vgw-1")
            .origin(RouteOrigin::EnableVgwRoutePropagation)
            .build();
        assert_eq!(RouteEntry::from_aws(&propagated), None);
        let endpoint = Ec2Route::builder()
            .destination_cidr_block("0.0.0.0/0")
            .gateway_id("vpce-1")
            .origin(RouteOrigin::CreateRoute)
            .build();
        assert_eq!(
            RouteEntry::from_aws(&endpoint),
            Some(entry(&[
                ("cidr_block", "0.0.0.0/0"),
                ("vpc_endpoint_id", "vpce-1")
            ]))
        );
    }

    #[test]
    fn changes_are_keyed_by_destination() {
        let current = vec![
            entry(&[("cidr_block", "0.0.0.0/0"), ("gateway_id", "igw-1")]),
            entry(&[
                ("cidr_block", "10.1.0.0/16"),
                ("vpc_peering_connection_id", "pcx-1"),
            ]),
            entry(&[
                ("ipv6_cidr_block", "::/0"),
                ("egress_only_gateway_id", "eigw-1"),
            ]),
        ];
        let desired = vec![
            entry(&[("cidr_block", "0.0.0.0/0"), ("nat_gateway_id", "nat-1")]),
            entry(&[
                ("ipv6_cidr_block", "::/0"),
                ("egress_only_gateway_id", "eigw-1"),
            ]),
            entry(&[
                ("cidr_block", "10.2.0.0/16"),
                ("transit_gateway_id", "tgw-1"),
            ]),
        ];
        let changes = route_changes(&current, &desired);
        assert_eq!(changes.delete, vec![current[1].clone()]);
        assert_eq!(changes.replace, vec![desired[0].clone()]);
        assert_eq!(changes.create, vec![desired[2].clone()]);
        assert_eq!(route_changes(&current, &current), RouteChanges::default());
    }

    #[test]
    fn reads_echo_prior_blocks_and_fill_the_rest() {
        let written = Value::Map(
            [
                ("cidr_block".to_string(), Value::string("0.0.0.0/0")),
                ("gateway_id".to_string(), Value::string("igw-1")),
            ]
            .into(),
        );
        let remote = vec![
            entry(&[("cidr_block", "0.0.0.0/0"), ("gateway_id", "igw-1")]),
            entry(&[("cidr_block", "10.9.0.0/16"), ("nat_gateway_id", "nat-1")]),
        ];
        let read = route_blocks_for_read(&remote, std::slice::from_ref(&written));
        let blocks = read.as_list().expect("list");
        assert_eq!(blocks[0], written);
        assert_eq!(
            blocks[1].get("nat_gateway_id"),
            Some(&Value::string("nat-1"))
        );
        assert_eq!(blocks[1].get("gateway_id"), Some(&Value::Null));
        assert_eq!(RouteEntry::from_block(&blocks[1]), remote[1]);
    }

    #[test]
    fn schema_keeps_routes_managed_elsewhere() {
        let table = RouteTable::new();
        let route = table.schema().block("route").expect("route block");
        assert!(route.computed);
        assert_eq!(route.nesting, BlockNesting::Set);
        assert!(table
            .schema()
            .attribute("vpc_id")
            .is_some_and(|attribute| attribute.force_new));
    }
}
