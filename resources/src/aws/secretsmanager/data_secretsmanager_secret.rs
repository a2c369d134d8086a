//! `data "aws_secretsmanager_secret"`: Secrets Manager DescribeSecret (by `arn` or `name`) and
//! GetResourcePolicy. The secret's value is not read here (that is
//! `aws_secretsmanager_secret_version`).

use async_trait::async_trait;

use crate::aws::kit::attributes::rfc3339;
use crate::aws::attrs;
use crate::aws::sdk_error;
use crate::aws::AwsDataContext;
use crate::data_source::{DataContext, DataSource};
use crate::error::ProviderError;
use crate::provider::Attributes;
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct DataSecretsmanagerSecret {
    schema: Schema,
}

impl DataSecretsmanagerSecret {
    pub fn new() -> DataSecretsmanagerSecret {
        DataSecretsmanagerSecret {
            schema: Schema::new(vec![
                // The schema file lost its `description` attributes with the descriptions.
                Attribute::computed("description", AttrType::String),
                Attribute::optional_computed("arn", AttrType::String),
                Attribute::computed("created_date", AttrType::String),
                Attribute::optional_computed("id", AttrType::String),
                Attribute::computed("kms_key_id", AttrType::String),
                Attribute::computed("last_changed_date", AttrType::String),
                Attribute::optional_computed("name", AttrType::String),
                Attribute::computed("policy", AttrType::String),
                Attribute::optional_computed("tags", AttrType::Map(Box::new(AttrType::String))),
            ]),
        }
    }
}

impl Default for DataSecretsmanagerSecret {
    fn default() -> Self {
        DataSecretsmanagerSecret::new()
    }
}

#[async_trait]
impl DataSource for DataSecretsmanagerSecret {
    fn type_name(&self) -> &'static str {
        "aws_secretsmanager_secret"
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
        let secret_id = attrs::non_empty(arguments, "arn")
            .or_else(|| attrs::non_empty(arguments, "name"))
            .ok_or_else(|| ProviderError::invalid("name", "set `arn` or `name`"))?;
        let secret = clients
            .secretsmanager
            .describe_secret()
            .secret_id(&secret_id)
            .send()
            .await
            .map_err(|error| sdk_error("DescribeSecret", error))?;
        let policy = clients
            .secretsmanager
            .get_resource_policy()
            .secret_id(&secret_id)
            .send()
            .await
            .map_err(|error| sdk_error("GetResourcePolicy", error))?;
        let arn = secret.arn().unwrap_or_default().to_string();
        let mut result = arguments.clone();
        result.insert("id".into(), Value::string(&arn));
        result.insert("arn".into(), Value::string(arn));
        result.insert(
            "name".into(),
            Value::string(secret.name().unwrap_or_default()),
        );
        result.insert(
            "description".into(),
            Value::string(secret.description().unwrap_or_default()),
        );
        result.insert(
            "kms_key_id".into(),
            Value::string(secret.kms_key_id().unwrap_or_default()),
        );
        result.insert(
            "policy".into(),
            Value::string(policy.resource_policy().unwrap_or_default()),
        );
        result.insert("created_date".into(), rfc3339(secret.created_date()));
        result.insert(
            "last_changed_date".into(),
            rfc3339(secret.last_changed_date()),
        );
        result.insert(
            "tags".into(),
            Value::Map(
                secret
                    .tags()
                    .iter()
                    .filter_map(|tag| {
                        Some((
                            tag.key()?.to_string(),
                            Value::string(tag.value().unwrap_or_default()),
                        ))
                    })
                    .collect(),
            ),
        );
        Ok(result)
    }
}
