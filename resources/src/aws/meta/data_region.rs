//! `data "aws_region"`: the region of the provider configuration, or the one `name` names
//! (checked against EC2 DescribeRegions), with its EC2 endpoint host; `id` is the name. With
//! no `name`, no AWS call is made.

use async_trait::async_trait;

use crate::aws::attrs;
use crate::aws::data_common::{dns_suffix_of, partition_of};
use crate::aws::AwsDataContext;
use crate::data_source::{DataContext, DataSource};
use crate::error::ProviderError;
use crate::provider::Attributes;
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct Region {
    schema: Schema,
}

impl Region {
    pub fn new() -> Region {
        Region {
            schema: Schema::new(vec![
                Attribute::optional_computed("endpoint", AttrType::String),
                Attribute::optional_computed("id", AttrType::String),
                Attribute::optional_computed("name", AttrType::String),
            ]),
        }
    }
}

impl Default for Region {
    fn default() -> Self {
        Region::new()
    }
}

#[async_trait]
impl DataSource for Region {
    fn type_name(&self) -> &'static str {
        "aws_region"
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
        let name = match attrs::non_empty(arguments, "name") {
            Some(name) if name != clients.region => {
                let answer = clients
                    .ec2
                    .describe_regions()
                    .all_regions(true)
                    .region_names(&name)
                    .send()
                    .await
                    .map_err(|error| crate::aws::sdk_error("DescribeRegions", error))?;
                if answer.regions().is_empty() {
                    return Err(ProviderError::Aws {
                        operation: "DescribeRegions".to_string(),
                        code: "InvalidParameterValue".to_string(),
                        message: format!("region {name} not found"),
                    });
                }
                name
            }
            Some(name) => name,
            None => clients.region.clone(),
        };
        let endpoint = format!("ec2.{name}.{}", dns_suffix_of(partition_of(&name)));
        if let Some(wanted) = attrs::non_empty(arguments, "endpoint") {
            if wanted != endpoint {
                return Err(ProviderError::invalid(
                    "endpoint",
                    format!("no region has the endpoint {wanted} (region {name} has {endpoint})"),
                ));
            }
        }
        let mut result = arguments.clone();
        result.insert("id".into(), Value::string(&name));
        result.insert("name".into(), Value::string(name));
        result.insert("endpoint".into(), Value::string(endpoint));
        Ok(result)
    }
}
