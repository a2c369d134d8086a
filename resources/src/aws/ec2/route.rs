//! `aws_route`: one route in a route table, managed on its own.
//!
//! AWS calls: CreateRoute, DescribeRouteTables (read, recovery), ReplaceRoute (a changed
//! target, in place), DeleteRoute.
//!
//! Force-new: route_table_id, destination_cidr_block, destination_ipv6_cidr_block,
//! destination_prefix_list_id. In place: the target (gateway_id, nat_gateway_id,
//! network_interface_id, vpc_peering_connection_id, transit_gateway_id, vpc_endpoint_id,
//! egress_only_gateway_id, carrier_gateway_id, local_gateway_id, core_network_arn).
//!
//! Id: `<route table id>_<destination>`, Terraform's import format. Routes are not taggable and
//! take no client token; recovery reads the route by that natural key.
//!
//! Emulator (moto 5.2.1): a NAT gateway or transit gateway id that does not exist is accepted
//! and the route stored without a target.

use crate::aws::kit::attributes;
use async_trait::async_trait;

use crate::aws::ec2::route_table::{self, RouteEntry, TARGET_KEYS};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

/// `aws_route`'s destination attribute names and the `route` block keys they correspond to.
const DESTINATIONS: [(&str, &str); 3] = [
    ("destination_cidr_block", "cidr_block"),
    ("destination_ipv6_cidr_block", "ipv6_cidr_block"),
    ("destination_prefix_list_id", "destination_prefix_list_id"),
];

pub struct Route {
    schema: Schema,
}

impl Default for Route {
    fn default() -> Self {
        Self::new()
    }
}

impl Route {
    pub fn new() -> Self {
        let mut attributes = vec![
            Attribute::computed("id", AttrType::String),
            Attribute::required("route_table_id", AttrType::String).force_new(),
        ];
        attributes.extend(
            DESTINATIONS
                .iter()
                .map(|(name, _)| Attribute::optional(name, AttrType::String).force_new()),
        );
        attributes.extend(
            TARGET_KEYS
                .iter()
                .map(|name| Attribute::optional(name, AttrType::String)),
        );
        attributes.extend([
            Attribute::computed("instance_id", AttrType::String),
            Attribute::computed("instance_owner_id", AttrType::String),
            Attribute::computed("origin", AttrType::String),
            Attribute::computed("state", AttrType::String),
        ]);
        Route {
            schema: Schema::new(attributes),
        }
    }
}

/// The route entry `aws_route` attributes describe.
fn entry_of(attributes: &Attributes) -> Result<RouteEntry, ProviderError> {
    let mut fields = std::collections::BTreeMap::new();
    for (name, key) in DESTINATIONS {
        if let Some(text) = attributes.get(name).and_then(Value::to_template_string) {
            if !text.is_empty() {
                fields.insert(key, text);
            }
        }
    }
    for key in TARGET_KEYS {
        if let Some(text) = attributes.get(key).and_then(Value::to_template_string) {
            if !text.is_empty() {
                fields.insert(key, text);
            }
        }
    }
    let entry = RouteEntry { fields };
    if entry.destination().is_none() {
        return Err(ProviderError::invalid(
            "destination_cidr_block",
            "one of destination_cidr_block, destination_ipv6_cidr_block or \
             destination_prefix_list_id is required",
        ));
    }
    Ok(entry)
}

/// `<route table id>_<destination>`.
pub fn route_id(route_table_id: &str, entry: &RouteEntry) -> String {
    let destination = entry
        .destination()
        .map(|(_, value)| value)
        .unwrap_or_default();
    format!("{route_table_id}_{destination}")
}

/// Splits an id into route table id and destination, and the entry to look for.
fn parse_id(id: &str) -> Result<(String, RouteEntry), ProviderError> {
    let (table, destination) = id.split_once('_').ok_or_else(|| {
        ProviderError::invalid(
            "id",
            format!("{id:?} is not <route table id>_<destination>"),
        )
    })?;
    let key = if destination.starts_with("pl-") {
        "destination_prefix_list_id"
    } else if destination.contains(':') {
        "ipv6_cidr_block"
    } else {
        "cidr_block"
    };
    let entry = RouteEntry {
        fields: [(key, destination.to_string())].into(),
    };
    Ok((table.to_string(), entry))
}

/// Reads the route whose table and destination `id` names.
async fn read_route(
    context: &ProviderContext,
    id: &str,
) -> Result<Option<Attributes>, ProviderError> {
    let (table_id, wanted) = parse_id(id)?;
    let Some(table) = route_table::describe_route_table(context, &table_id).await? else {
        return Ok(None);
    };
    let found = table.routes().iter().find(|route| {
        RouteEntry::from_aws(route).is_some_and(|entry| entry.destination() == wanted.destination())
    });
    let Some(route) = found else {
        return Ok(None);
    };
    let entry = RouteEntry::from_aws(route).unwrap_or_default();
    let mut attributes: Attributes = Attributes::new();
    attributes.insert("id".to_string(), Value::string(id));
    attributes.insert("route_table_id".to_string(), Value::String(table_id));
    for (name, key) in DESTINATIONS {
        attributes.insert(
            name.to_string(),
            Value::from(entry.get(key).map(str::to_string)),
        );
    }
    for key in TARGET_KEYS {
        attributes.insert(
            key.to_string(),
            Value::from(entry.get(key).map(str::to_string)),
        );
    }
    attributes.insert(
        "instance_id".to_string(),
        Value::from(route.instance_id().map(str::to_string)),
    );
    attributes.insert(
        "instance_owner_id".to_string(),
        Value::from(route.instance_owner_id().map(str::to_string)),
    );
    attributes.insert(
        "origin".to_string(),
        Value::from(route.origin().map(|origin| origin.as_str().to_string())),
    );
    attributes.insert(
        "state".to_string(),
        Value::from(route.state().map(|state| state.as_str().to_string())),
    );
    Ok(Some(attributes))
}

fn gone(id: &str) -> ProviderError {
    ProviderError::Aws {
        operation: "DescribeRouteTables".to_string(),
        code: "InvalidRoute.NotFound".to_string(),
        message: format!("route {id} does not exist"),
    }
}

#[async_trait]
impl Resource for Route {
    fn type_name(&self) -> &'static str {
        "aws_route"
    }

    fn import_id(&self) -> String {
        "route table id and destination, joined by `_`: rtb-…_10.0.0.0/16 (an IPv6 CIDR, or a pl-… prefix list id, for those routes)".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let table_id = attributes::required_string(desired, "route_table_id")?;
        let entry = entry_of(desired)?;
        route_table::create_route(context, &table_id, &entry).await?;
        let id = route_id(&table_id, &entry);
        read_route(context, &id).await?.ok_or_else(|| gone(&id))
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        read_route(context, id).await
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let table_id = attributes::required_string(desired, "route_table_id")?;
        let entry = entry_of(desired)?;
        route_table::replace_route(context, &table_id, &entry).await?;
        read_route(context, id).await?.ok_or_else(|| gone(id))
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let (table_id, entry) = parse_id(id)?;
        route_table::delete_route(context, &table_id, &entry).await
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let Some(table_id) = attributes::optional_string(desired, "route_table_id")
        else {
            return Ok(None);
        };
        let entry = entry_of(desired)?;
        read_route(context, &route_id(&table_id, &entry)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_terraforms_import_format() {
        let desired: Attributes = [
            ("route_table_id".to_string(), Value::string("rtb-1")),
            (
                "destination_cidr_block".to_string(),
                Value::string("0.0.0.0/0"),
            ),
            ("gateway_id".to_string(), Value::string("igw-1")),
        ]
        .into();
        let entry = entry_of(&desired).expect("valid route");
        assert_eq!(route_id("rtb-1", &entry), "rtb-1_0.0.0.0/0");
        let (table, parsed) = parse_id("rtb-1_0.0.0.0/0").expect("valid id");
        assert_eq!(table, "rtb-1");
        assert_eq!(parsed.destination(), Some(("cidr_block", "0.0.0.0/0")));
        let (_, ipv6) = parse_id("rtb-1_::/0").expect("valid id");
        assert_eq!(ipv6.destination(), Some(("ipv6_cidr_block", "::/0")));
        let (_, prefix) = parse_id("rtb-1_pl-123").expect("valid id");
        assert_eq!(
            prefix.destination(),
            Some(("destination_prefix_list_id", "pl-123"))
        );
        assert!(parse_id("nonsense").is_err());
    }

    #[test]
    fn a_route_needs_a_destination() {
        let desired: Attributes = [("gateway_id".to_string(), Value::string("igw-1"))].into();
        assert!(entry_of(&desired).is_err());
    }
}
