//! `data "aws_security_group"`: EC2 DescribeSecurityGroups by `id`, `name`, `vpc_id`, `tags`
//! and `filter {}`; exactly one must match.

use async_trait::async_trait;

use crate::aws::attrs;
use crate::aws::data_common::{
    ec2_filter_if, ec2_filters, ec2_tag_filters, ec2_tags_value, exactly_one,
};
use crate::aws::sdk_error;
use crate::aws::AwsDataContext;
use crate::data_source::{DataContext, DataSource};
use crate::error::ProviderError;
use crate::provider::Attributes;
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

pub struct DataSecurityGroup {
    schema: Schema,
}

impl DataSecurityGroup {
    pub fn new() -> DataSecurityGroup {
        DataSecurityGroup {
            schema: Schema::new(vec![
                // The schema file lost its `description` attributes with the descriptions.
                Attribute::computed("description", AttrType::String),
                Attribute::computed("arn", AttrType::String),
                Attribute::optional_computed("id", AttrType::String),
                Attribute::optional_computed("name", AttrType::String),
                Attribute::optional_computed("tags", AttrType::Map(Box::new(AttrType::String))),
                Attribute::optional_computed("vpc_id", AttrType::String),
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

impl Default for DataSecurityGroup {
    fn default() -> Self {
        DataSecurityGroup::new()
    }
}

#[async_trait]
impl DataSource for DataSecurityGroup {
    fn type_name(&self) -> &'static str {
        "aws_security_group"
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
        filters.extend(ec2_filter_if(arguments, "name", "group-name"));
        filters.extend(ec2_filter_if(arguments, "vpc_id", "vpc-id"));
        let answer = clients
            .ec2
            .describe_security_groups()
            .set_group_ids(attrs::non_empty(arguments, "id").map(|id| vec![id]))
            .set_filters((!filters.is_empty()).then_some(filters))
            .send()
            .await
            .map_err(|error| sdk_error("DescribeSecurityGroups", error))?;
        let group = exactly_one(answer.security_groups().to_vec(), "security group")?;
        let id = group.group_id().unwrap_or_default().to_string();
        let owner = group.owner_id().unwrap_or_default().to_string();
        let mut result = arguments.clone();
        result.insert(
            "arn".into(),
            Value::string(super::common::ec2_arn(
                &clients.region,
                &owner,
                "security-group",
                &id,
            )),
        );
        result.insert("id".into(), Value::string(id));
        result.insert(
            "name".into(),
            Value::string(group.group_name().unwrap_or_default()),
        );
        result.insert(
            "description".into(),
            Value::string(group.description().unwrap_or_default()),
        );
        result.insert(
            "vpc_id".into(),
            Value::string(group.vpc_id().unwrap_or_default()),
        );
        result.insert("tags".into(), ec2_tags_value(group.tags()));
        Ok(result)
    }
}
