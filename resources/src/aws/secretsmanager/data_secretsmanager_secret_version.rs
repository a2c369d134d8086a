//! `data "aws_secretsmanager_secret_version"`: Secrets Manager GetSecretValue for `secret_id`
//! at `version_id` or `version_stage` (default `AWSCURRENT`). `secret_string` and
//! `secret_binary` (base64) are sensitive: never printed, sealed in state. `id` is
//! `<secret arn>|<version id>`, as in Terraform.

use async_trait::async_trait;

use crate::aws::kit::attributes::rfc3339;
use crate::archive::archive_file::base64;
use crate::aws::attrs;
use crate::aws::sdk_error;
use crate::aws::AwsDataContext;
use crate::data_source::{DataContext, DataSource};
use crate::error::ProviderError;
use crate::provider::Attributes;
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct DataSecretsmanagerSecretVersion {
    schema: Schema,
}

impl DataSecretsmanagerSecretVersion {
    pub fn new() -> DataSecretsmanagerSecretVersion {
        DataSecretsmanagerSecretVersion {
            schema: Schema::new(vec![
                Attribute::computed("arn", AttrType::String),
                Attribute::computed("created_date", AttrType::String),
                Attribute::optional_computed("id", AttrType::String),
                Attribute::computed("secret_binary", AttrType::String).sensitive(),
                Attribute::required("secret_id", AttrType::String),
                Attribute::computed("secret_string", AttrType::String).sensitive(),
                Attribute::optional_computed("version_id", AttrType::String),
                Attribute::optional("version_stage", AttrType::String),
                Attribute::computed("version_stages", AttrType::Set(Box::new(AttrType::String))),
            ]),
        }
    }
}

impl Default for DataSecretsmanagerSecretVersion {
    fn default() -> Self {
        DataSecretsmanagerSecretVersion::new()
    }
}

#[async_trait]
impl DataSource for DataSecretsmanagerSecretVersion {
    fn type_name(&self) -> &'static str {
        "aws_secretsmanager_secret_version"
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
        let secret_id = attrs::required_string(arguments, "secret_id")?;
        let version_id = attrs::non_empty(arguments, "version_id");
        let stage = match &version_id {
            Some(_) => attrs::non_empty(arguments, "version_stage"),
            None => Some(
                attrs::non_empty(arguments, "version_stage")
                    .unwrap_or_else(|| "AWSCURRENT".to_string()),
            ),
        };
        let answer = clients
            .secretsmanager
            .get_secret_value()
            .secret_id(&secret_id)
            .set_version_id(version_id)
            .set_version_stage(stage)
            .send()
            .await
            .map_err(|error| sdk_error("GetSecretValue", error))?;
        let arn = answer.arn().unwrap_or_default().to_string();
        let version = answer.version_id().unwrap_or_default().to_string();
        let mut result = arguments.clone();
        result.insert("id".into(), Value::string(format!("{arn}|{version}")));
        result.insert("arn".into(), Value::string(arn));
        result.insert("version_id".into(), Value::string(version));
        result.insert(
            "secret_string".into(),
            Value::string(answer.secret_string().unwrap_or_default()),
        );
        result.insert(
            "secret_binary".into(),
            Value::string(
                answer
                    .secret_binary()
                    .map(|blob| base64(blob.as_ref()))
                    .unwrap_or_default(),
            ),
        );
        result.insert(
            "version_stages".into(),
            attrs::string_list_value(answer.version_stages()),
        );
        result.insert("created_date".into(), rfc3339(answer.created_date()));
        Ok(result)
    }
}
