//! `data "aws_ecr_repository"`: ECR DescribeRepositories (by `name`, in `registry_id` when
//! given), ListTagsForResource, and DescribeImages for `most_recent_image_tags` (the tags of
//! the most recently pushed image).

use async_trait::async_trait;

use crate::aws::attrs;
use crate::aws::data_common::exactly_one;
use crate::aws::sdk_error;
use crate::aws::AwsDataContext;
use crate::data_source::{DataContext, DataSource};
use crate::error::ProviderError;
use crate::provider::Attributes;
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct DataEcrRepository {
    schema: Schema,
}

impl DataEcrRepository {
    pub fn new() -> DataEcrRepository {
        DataEcrRepository {
            schema: Schema::new(vec![
                Attribute::computed("arn", AttrType::String),
                Attribute::computed("encryption_configuration", AttrType::Any),
                Attribute::optional_computed("id", AttrType::String),
                Attribute::computed("image_scanning_configuration", AttrType::Any),
                Attribute::computed("image_tag_mutability", AttrType::String),
                Attribute::computed(
                    "most_recent_image_tags",
                    AttrType::List(Box::new(AttrType::String)),
                ),
                Attribute::required("name", AttrType::String),
                Attribute::optional_computed("registry_id", AttrType::String),
                Attribute::computed("repository_url", AttrType::String),
                Attribute::optional_computed("tags", AttrType::Map(Box::new(AttrType::String))),
            ]),
        }
    }
}

impl Default for DataEcrRepository {
    fn default() -> Self {
        DataEcrRepository::new()
    }
}

#[async_trait]
impl DataSource for DataEcrRepository {
    fn type_name(&self) -> &'static str {
        "aws_ecr_repository"
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
        let registry = attrs::non_empty(arguments, "registry_id");
        let answer = clients
            .ecr
            .describe_repositories()
            .repository_names(&name)
            .set_registry_id(registry.clone())
            .send()
            .await
            .map_err(|error| sdk_error("DescribeRepositories", error))?;
        let repository = exactly_one(answer.repositories().to_vec(), "ECR repository")?;
        let arn = repository.repository_arn().unwrap_or_default().to_string();
        let tags = clients
            .ecr
            .list_tags_for_resource()
            .resource_arn(&arn)
            .send()
            .await
            .map_err(|error| sdk_error("ListTagsForResource", error))?;
        let images = clients
            .ecr
            .describe_images()
            .repository_name(&name)
            .set_registry_id(registry)
            .send()
            .await
            .map_err(|error| sdk_error("DescribeImages", error))?;
        let latest = images
            .image_details()
            .iter()
            .max_by_key(|image| image.image_pushed_at().map(|at| at.secs()));
        let encryption = repository.encryption_configuration();
        let mut result = arguments.clone();
        result.insert("id".into(), Value::string(&name));
        result.insert("arn".into(), Value::string(arn));
        result.insert(
            "registry_id".into(),
            Value::string(repository.registry_id().unwrap_or_default()),
        );
        result.insert(
            "repository_url".into(),
            Value::string(repository.repository_uri().unwrap_or_default()),
        );
        result.insert(
            "image_tag_mutability".into(),
            Value::string(
                repository
                    .image_tag_mutability()
                    .map(|mutability| mutability.as_str())
                    .unwrap_or("MUTABLE"),
            ),
        );
        result.insert(
            "image_scanning_configuration".into(),
            attrs::block_value([attrs::map([(
                "scan_on_push",
                Value::Bool(
                    repository
                        .image_scanning_configuration()
                        .map(|scanning| scanning.scan_on_push())
                        .unwrap_or(false),
                ),
            )])]),
        );
        result.insert(
            "encryption_configuration".into(),
            attrs::block_value([attrs::map([
                (
                    "encryption_type",
                    Value::string(
                        encryption
                            .map(|encryption| encryption.encryption_type().as_str())
                            .unwrap_or("AES256"),
                    ),
                ),
                (
                    "kms_key",
                    Value::string(
                        encryption
                            .and_then(|encryption| encryption.kms_key())
                            .unwrap_or_default(),
                    ),
                ),
            ])]),
        );
        result.insert(
            "most_recent_image_tags".into(),
            attrs::string_list_value(latest.map(|image| image.image_tags()).unwrap_or_default()),
        );
        result.insert(
            "tags".into(),
            Value::Map(
                tags.tags()
                    .iter()
                    .map(|tag| (tag.key().to_string(), Value::string(tag.value())))
                    .collect(),
            ),
        );
        Ok(result)
    }
}
