//! `data "aws_iam_policy"`: a managed policy by `arn`, or by `name` (and `path_prefix`) through
//! IAM ListPolicies; then GetPolicy, GetPolicyVersion of the default version (the document
//! URL-decoded) and ListPolicyTags. More than one policy of that name is an error.

use async_trait::async_trait;

use crate::aws::kit::policy::url_decode;
use crate::aws::attrs;
use crate::aws::data_common::exactly_one;
use crate::aws::sdk_error;
use crate::aws::AwsDataContext;
use crate::data_source::{DataContext, DataSource};
use crate::error::ProviderError;
use crate::provider::Attributes;
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct DataIamPolicy {
    schema: Schema,
}

impl DataIamPolicy {
    pub fn new() -> DataIamPolicy {
        DataIamPolicy {
            schema: Schema::new(vec![
                // The schema file lost its `description` attributes with the descriptions.
                Attribute::computed("description", AttrType::String),
                Attribute::optional_computed("arn", AttrType::String),
                Attribute::computed("attachment_count", AttrType::Number),
                Attribute::optional_computed("id", AttrType::String),
                Attribute::optional_computed("name", AttrType::String),
                Attribute::computed("path", AttrType::String),
                Attribute::optional("path_prefix", AttrType::String),
                Attribute::computed("policy", AttrType::String),
                Attribute::computed("policy_id", AttrType::String),
                Attribute::optional_computed("tags", AttrType::Map(Box::new(AttrType::String))),
            ]),
        }
    }
}

impl Default for DataIamPolicy {
    fn default() -> Self {
        DataIamPolicy::new()
    }
}

#[async_trait]
impl DataSource for DataIamPolicy {
    fn type_name(&self) -> &'static str {
        "aws_iam_policy"
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
        let arn = match attrs::non_empty(arguments, "arn") {
            Some(arn) => arn,
            None => {
                let name = attrs::non_empty(arguments, "name")
                    .ok_or_else(|| ProviderError::invalid("name", "set `arn` or `name`"))?;
                let mut found = Vec::new();
                let mut marker: Option<String> = None;
                loop {
                    let page = clients
                        .iam
                        .list_policies()
                        .set_path_prefix(attrs::non_empty(arguments, "path_prefix"))
                        .set_marker(marker.take())
                        .send()
                        .await
                        .map_err(|error| sdk_error("ListPolicies", error))?;
                    found.extend(
                        page.policies()
                            .iter()
                            .filter(|policy| policy.policy_name() == Some(name.as_str()))
                            .filter_map(|policy| policy.arn().map(str::to_string)),
                    );
                    match page.marker() {
                        Some(next) if page.is_truncated() => marker = Some(next.to_string()),
                        _ => break,
                    }
                }
                exactly_one(found, "IAM policy")?
            }
        };
        let policy = clients
            .iam
            .get_policy()
            .policy_arn(&arn)
            .send()
            .await
            .map_err(|error| sdk_error("GetPolicy", error))?
            .policy()
            .cloned()
            .ok_or_else(|| ProviderError::Aws {
                operation: "GetPolicy".into(),
                code: "NoSuchEntity".into(),
                message: format!("policy {arn} not found"),
            })?;
        let version = clients
            .iam
            .get_policy_version()
            .policy_arn(&arn)
            .version_id(policy.default_version_id().unwrap_or("v1"))
            .send()
            .await
            .map_err(|error| sdk_error("GetPolicyVersion", error))?;
        let tags = clients
            .iam
            .list_policy_tags()
            .policy_arn(&arn)
            .send()
            .await
            .map_err(|error| sdk_error("ListPolicyTags", error))?;
        let document = version
            .policy_version()
            .and_then(|version| version.document())
            .map(url_decode)
            .unwrap_or_default();
        let mut result = arguments.clone();
        for (key, value) in [
            ("id", Value::string(&arn)),
            ("arn", Value::string(&arn)),
            (
                "attachment_count",
                Value::Number(f64::from(policy.attachment_count().unwrap_or(0))),
            ),
            (
                "description",
                Value::string(policy.description().unwrap_or_default()),
            ),
            (
                "name",
                Value::string(policy.policy_name().unwrap_or_default()),
            ),
            ("path", Value::string(policy.path().unwrap_or("/"))),
            ("policy", Value::string(document)),
            (
                "policy_id",
                Value::string(policy.policy_id().unwrap_or_default()),
            ),
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
