//! `data "aws_caller_identity"`: STS GetCallerIdentity — the account id, ARN and user id of the
//! credentials in use; `id` is the account id.

use async_trait::async_trait;

use crate::aws::AwsDataContext;
use crate::data_source::{DataContext, DataSource};
use crate::error::ProviderError;
use crate::provider::Attributes;
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct CallerIdentity {
    schema: Schema,
}

impl CallerIdentity {
    pub fn new() -> CallerIdentity {
        CallerIdentity {
            schema: Schema::new(vec![
                Attribute::computed("account_id", AttrType::String),
                Attribute::computed("arn", AttrType::String),
                Attribute::optional_computed("id", AttrType::String),
                Attribute::computed("user_id", AttrType::String),
            ]),
        }
    }
}

impl Default for CallerIdentity {
    fn default() -> Self {
        CallerIdentity::new()
    }
}

#[async_trait]
impl DataSource for CallerIdentity {
    fn type_name(&self) -> &'static str {
        "aws_caller_identity"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn read(
        &self,
        context: &DataContext,
        arguments: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let answer = context
            .aws()?
            .sts
            .get_caller_identity()
            .send()
            .await
            .map_err(|error| crate::aws::sdk_error("GetCallerIdentity", error))?;
        let account = answer.account().unwrap_or_default().to_string();
        let mut result = arguments.clone();
        result.insert("id".into(), Value::string(&account));
        result.insert("account_id".into(), Value::string(account));
        result.insert(
            "arn".into(),
            Value::string(answer.arn().unwrap_or_default()),
        );
        result.insert(
            "user_id".into(),
            Value::string(answer.user_id().unwrap_or_default()),
        );
        Ok(result)
    }
}
