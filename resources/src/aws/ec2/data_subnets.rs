//! `data "aws_subnets"`: EC2 DescribeSubnets with `filter {}` and `tags` (every page): the ids
//! of the matching subnets, in the order EC2 answers. No match is an empty list, as in
//! Terraform; `id` is the region.

use async_trait::async_trait;

use crate::aws::attrs;
use crate::aws::data_common::{ec2_filters, ec2_tag_filters};
use crate::aws::sdk_error;
use crate::aws::AwsDataContext;
use crate::data_source::{DataContext, DataSource};
use crate::error::ProviderError;
use crate::provider::Attributes;
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

pub struct DataSubnets {
    schema: Schema,
}

impl DataSubnets {
    pub fn new() -> DataSubnets {
        DataSubnets {
            schema: Schema::new(vec![
                Attribute::optional_computed("id", AttrType::String),
                Attribute::computed("ids", AttrType::List(Box::new(AttrType::String))),
                Attribute::optional_computed("tags", AttrType::Map(Box::new(AttrType::String))),
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
            }),
        }
    }
}

impl Default for DataSubnets {
    fn default() -> Self {
        DataSubnets::new()
    }
}

#[async_trait]
impl DataSource for DataSubnets {
    fn type_name(&self) -> &'static str {
        "aws_subnets"
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
        filters.extend(ec2_tag_filters(arguments, "tags"));
        let mut ids = Vec::new();
        let mut next_token: Option<String> = None;
        loop {
            let answer = clients
                .ec2
                .describe_subnets()
                .set_filters((!filters.is_empty()).then(|| filters.clone()))
                .set_next_token(next_token.take())
                .send()
                .await
                .map_err(|error| sdk_error("DescribeSubnets", error))?;
            ids.extend(
                answer
                    .subnets()
                    .iter()
                    .filter_map(|subnet| subnet.subnet_id().map(str::to_string)),
            );
            match answer.next_token() {
                Some(token) if !token.is_empty() => next_token = Some(token.to_string()),
                _ => break,
            }
        }
        let mut result = arguments.clone();
        result.insert("id".into(), Value::string(&clients.region));
        result.insert("ids".into(), attrs::string_list_value(ids));
        Ok(result)
    }
}
