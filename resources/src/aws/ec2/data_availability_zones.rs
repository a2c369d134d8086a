//! `data "aws_availability_zones"`: EC2 DescribeAvailabilityZones (with `all_availability_zones`,
//! `state` and `filter {}`), then `exclude_names` / `exclude_zone_ids` applied locally. Zones
//! sorted by name, as Terraform does; `id` is the region.

use async_trait::async_trait;
use aws_sdk_ec2::types::Filter;

use crate::aws::attrs;
use crate::aws::data_common::ec2_filters;
use crate::aws::AwsDataContext;
use crate::data_source::{DataContext, DataSource};
use crate::error::ProviderError;
use crate::provider::Attributes;
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

pub struct AvailabilityZones {
    schema: Schema,
}

impl AvailabilityZones {
    pub fn new() -> AvailabilityZones {
        let schema = Schema::new(vec![
            Attribute::optional("all_availability_zones", AttrType::Bool),
            Attribute::optional("exclude_names", AttrType::Set(Box::new(AttrType::String))),
            Attribute::optional(
                "exclude_zone_ids",
                AttrType::Set(Box::new(AttrType::String)),
            ),
            Attribute::computed("group_names", AttrType::Set(Box::new(AttrType::String))),
            Attribute::optional_computed("id", AttrType::String),
            Attribute::computed("names", AttrType::List(Box::new(AttrType::String))),
            Attribute::optional("state", AttrType::String),
            Attribute::computed("zone_ids", AttrType::List(Box::new(AttrType::String))),
        ])
        .with_block(NestedBlock {
            name: "filter",
            nesting: BlockNesting::Set,
            schema: Schema::new(vec![
                Attribute::required("name", AttrType::String),
                Attribute::required("values", AttrType::Set(Box::new(AttrType::String))),
            ]),
            force_new: false,
            computed: false,
        })
        .with_block(NestedBlock {
            name: "timeouts",
            nesting: BlockNesting::Single,
            schema: Schema::new(vec![Attribute::optional("read", AttrType::String)]),
            force_new: false,
            computed: false,
        });
        AvailabilityZones { schema }
    }
}

impl Default for AvailabilityZones {
    fn default() -> Self {
        AvailabilityZones::new()
    }
}

#[async_trait]
impl DataSource for AvailabilityZones {
    fn type_name(&self) -> &'static str {
        "aws_availability_zones"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn read(
        &self,
        context: &DataContext,
        arguments: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let clients = context.aws()?;
        let mut filters = ec2_filters(arguments);
        if let Some(state) = attrs::non_empty(arguments, "state") {
            filters.push(Filter::builder().name("state").values(state).build());
        }
        let answer = clients
            .ec2
            .describe_availability_zones()
            .set_all_availability_zones(attrs::optional_bool(arguments, "all_availability_zones"))
            .set_filters((!filters.is_empty()).then_some(filters))
            .send()
            .await
            .map_err(|error| crate::aws::sdk_error("DescribeAvailabilityZones", error))?;
        let excluded_names = attrs::string_list(arguments, "exclude_names");
        let excluded_ids = attrs::string_list(arguments, "exclude_zone_ids");
        let mut zones: Vec<_> = answer
            .availability_zones()
            .iter()
            .filter(|zone| {
                !excluded_names
                    .iter()
                    .any(|name| Some(name.as_str()) == zone.zone_name())
                    && !excluded_ids
                        .iter()
                        .any(|id| Some(id.as_str()) == zone.zone_id())
            })
            .collect();
        zones.sort_by(|left, right| left.zone_name().cmp(&right.zone_name()));
        let mut groups: Vec<String> = zones
            .iter()
            .filter_map(|zone| zone.group_name().map(str::to_string))
            .collect();
        groups.sort();
        groups.dedup();
        let mut result = arguments.clone();
        result.insert("id".into(), Value::string(&clients.region));
        result.insert(
            "names".into(),
            attrs::string_list_value(zones.iter().filter_map(|zone| zone.zone_name())),
        );
        result.insert(
            "zone_ids".into(),
            attrs::string_list_value(zones.iter().filter_map(|zone| zone.zone_id())),
        );
        result.insert("group_names".into(), attrs::string_list_value(groups));
        Ok(result)
    }
}
