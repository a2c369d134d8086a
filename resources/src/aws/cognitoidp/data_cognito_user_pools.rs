//! `data "aws_cognito_user_pools"`: the user pools named `name` (pool names are not unique):
//! ListUserPools (every page) for the ids, DescribeUserPool of each match for its ARN
//! (ListUserPools answers none). `ids` and `arns` in the order ListUserPools answers; no match
//! is an empty list and `id` is the name, as Terraform's provider 5.100 answers (checked on
//! moto).

use async_trait::async_trait;

use crate::aws::attrs;
use crate::aws::kit::errors::ResultExt;
use crate::aws::sdk_error;
use crate::aws::AwsDataContext;
use crate::data_source::{DataContext, DataSource};
use crate::error::ProviderError;
use crate::provider::Attributes;
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct DataCognitoUserPools {
    schema: Schema,
}

impl DataCognitoUserPools {
    pub fn new() -> DataCognitoUserPools {
        DataCognitoUserPools {
            schema: Schema::new(vec![
                Attribute::optional_computed("id", AttrType::String),
                Attribute::required("name", AttrType::String),
                Attribute::computed("ids", AttrType::list_of_strings()),
                Attribute::computed("arns", AttrType::list_of_strings()),
            ]),
        }
    }
}

impl Default for DataCognitoUserPools {
    fn default() -> Self {
        DataCognitoUserPools::new()
    }
}

#[async_trait]
impl DataSource for DataCognitoUserPools {
    fn type_name(&self) -> &'static str {
        "aws_cognito_user_pools"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn read(
        &self,
        context: &DataContext,
        arguments: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let name = attrs::required_string(arguments, "name")?;
        let client = &context.aws()?.cognitoidp;
        let mut matching = Vec::new();
        let mut pages = client
            .list_user_pools()
            .max_results(60)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|error| sdk_error("ListUserPools", error))?;
            matching.extend(
                page.user_pools()
                    .iter()
                    .filter(|pool| pool.name() == Some(name.as_str()))
                    .filter_map(|pool| pool.id().map(str::to_string)),
            );
        }
        let mut ids = Vec::new();
        let mut arns = Vec::new();
        for id in matching {
            // A pool deleted since the listing is not among the answers.
            let Some(output) = client
                .describe_user_pool()
                .user_pool_id(&id)
                .send()
                .await
                .map_err(|error| sdk_error("DescribeUserPool", error))
                .not_found_as_none()?
            else {
                continue;
            };
            let arn = output
                .user_pool()
                .and_then(|pool| pool.arn())
                .ok_or_else(|| crate::aws::kit::empty_answer("DescribeUserPool", "ARN"))?;
            arns.push(arn.to_string());
            ids.push(id);
        }
        let mut result = arguments.clone();
        result.insert("id".into(), Value::string(&name));
        result.insert("ids".into(), attrs::string_list_value(ids));
        result.insert("arns".into(), attrs::string_list_value(arns));
        Ok(result)
    }
}
