//! `data "aws_iam_role"`: IAM GetRole by `name` (the assume-role policy URL-decoded, as
//! Terraform shows it) and ListRoleTags.

use async_trait::async_trait;

use crate::aws::kit::policy::url_decode;
use crate::aws::attrs;
use crate::aws::sdk_error;
use crate::aws::kit::attributes::rfc3339;
use crate::aws::AwsDataContext;
use crate::data_source::{DataContext, DataSource};
use crate::error::ProviderError;
use crate::provider::Attributes;
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct DataIamRole {
    schema: Schema,
}

impl DataIamRole {
    pub fn new() -> DataIamRole {
        DataIamRole {
            schema: Schema::new(vec![
                // The schema file lost its `description` attributes with the descriptions.
                Attribute::computed("description", AttrType::String),
                Attribute::computed("arn", AttrType::String),
                Attribute::computed("assume_role_policy", AttrType::String),
                Attribute::computed("create_date", AttrType::String),
                Attribute::optional_computed("id", AttrType::String),
                Attribute::computed("max_session_duration", AttrType::Number),
                Attribute::required("name", AttrType::String),
                Attribute::computed("path", AttrType::String),
                Attribute::computed("permissions_boundary", AttrType::String),
                Attribute::computed("role_last_used", AttrType::Any),
                Attribute::optional_computed("tags", AttrType::Map(Box::new(AttrType::String))),
                Attribute::computed("unique_id", AttrType::String),
            ]),
        }
    }
}

impl Default for DataIamRole {
    fn default() -> Self {
        DataIamRole::new()
    }
}

#[async_trait]
impl DataSource for DataIamRole {
    fn type_name(&self) -> &'static str {
        "aws_iam_role"
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
        let name = attrs::required_string(arguments, "name")?;
        let answer = clients
            .iam
            .get_role()
            .role_name(&name)
            .send()
            .await
            .map_err(|error| sdk_error("GetRole", error))?;
        let role = answer.role().ok_or_else(|| ProviderError::Aws {
            operation: "GetRole".into(),
            code: "NoSuchEntity".into(),
            message: format!("role {name} not found"),
        })?;
        let tags = clients
            .iam
            .list_role_tags()
            .role_name(&name)
            .send()
            .await
            .map_err(|error| sdk_error("ListRoleTags", error))?;
        let last_used = role.role_last_used();
        let mut result = arguments.clone();
        for (key, value) in [
            ("id", Value::string(role.role_name())),
            ("name", Value::string(role.role_name())),
            ("arn", Value::string(role.arn())),
            (
                "assume_role_policy",
                Value::string(url_decode(
                    role.assume_role_policy_document().unwrap_or_default(),
                )),
            ),
            ("create_date", rfc3339(Some(role.create_date()))),
            (
                "description",
                Value::string(role.description().unwrap_or_default()),
            ),
            (
                "max_session_duration",
                Value::Number(f64::from(role.max_session_duration().unwrap_or(3600))),
            ),
            ("path", Value::string(role.path())),
            (
                "permissions_boundary",
                Value::string(
                    role.permissions_boundary()
                        .and_then(|boundary| boundary.permissions_boundary_arn())
                        .unwrap_or_default(),
                ),
            ),
            (
                "role_last_used",
                attrs::block_value([attrs::map([
                    (
                        "last_used_date",
                        rfc3339(last_used.and_then(|used| used.last_used_date())),
                    ),
                    (
                        "region",
                        Value::string(last_used.and_then(|used| used.region()).unwrap_or_default()),
                    ),
                ])]),
            ),
            ("unique_id", Value::string(role.role_id())),
            (
                "tags",
                Value::Map(
                    tags.tags()
                        .iter()
                        .map(|tag| (tag.key().to_string(), Value::string(tag.value())))
                        .collect(),
                ),
            ),
        ] {
            result.insert(key.to_string(), value);
        }
        Ok(result)
    }
}
