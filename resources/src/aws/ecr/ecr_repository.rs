//! `aws_ecr_repository`: an ECR container image repository. Id = the repository name.
//!
//! AWS calls: CreateRepository (tag mutability, scan-on-push, encryption and tags in one call),
//! DescribeRepositories (by name) and ListTagsForResource (read), PutImageTagMutability,
//! PutImageScanningConfiguration, TagResource / UntagResource (update), DeleteRepository with
//! `force` = `force_delete` (without it, a repository holding images is refused by AWS:
//! `RepositoryNotEmptyException`); `RepositoryNotFoundException` is success.
//!
//! Replacement: a change of `name` or of `encryption_configuration` (ECR cannot change a
//! repository's encryption). Tag mutability, scan-on-push, `force_delete` and tags change in
//! place.
//!
//! Recovery: the name is deterministic; `recover` describes it and adopts it when its tags
//! name this stack and address.
//!
//! Drift: `list_managed` is GetResources of the Resource Groups Tagging API (`ecr:repository`).

use crate::aws::kit::recovery;
use crate::aws::kit::tags::TagApi;
use crate::aws::AwsContext;
use std::collections::BTreeMap;

use async_trait::async_trait;
use aws_sdk_ecr::types::{
    EncryptionConfiguration, EncryptionType, ImageScanningConfiguration, ImageTagMutability,
    Repository, Tag,
};

use crate::aws::kit::attributes::{required_string};
use crate::aws::kit::sdk_error;
use crate::aws::kit::tags::{split_tags, sync_tags, tag_api, tag_map, tags_differ};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

pub struct EcrRepository {
    schema: Schema,
}

impl EcrRepository {
    pub fn new() -> Self {
        EcrRepository {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The repository name."),
                Attribute::required("name", AttrType::String).force_new(),
                Attribute::optional("image_tag_mutability", AttrType::String)
                    .default("MUTABLE")
                    .describe("`MUTABLE` or `IMMUTABLE`."),
                Attribute::optional("force_delete", AttrType::Bool)
                    .default(false)
                    .describe("Delete the repository even when it holds images."),
                Attribute::computed("arn", AttrType::String),
                Attribute::computed("registry_id", AttrType::String),
                Attribute::computed("repository_url", AttrType::String),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ])
            .with_block(NestedBlock {
                name: "image_scanning_configuration",
                nesting: BlockNesting::Single,
                schema: Schema::new(vec![Attribute::required("scan_on_push", AttrType::Bool)]),
                force_new: false,
                computed: true,
            })
            .with_block(NestedBlock {
                name: "encryption_configuration",
                nesting: BlockNesting::Single,
                schema: Schema::new(vec![
                    Attribute::optional("encryption_type", AttrType::String).default("AES256"),
                    Attribute::optional_computed("kms_key", AttrType::String),
                ]),
                force_new: true,
                computed: true,
            }),
        }
    }
}

impl Default for EcrRepository {
    fn default() -> Self {
        EcrRepository::new()
    }
}

/// The single block `name` as a map (`None` when the spec has none).
fn block<'a>(attributes: &'a Attributes, name: &str) -> Option<&'a BTreeMap<String, Value>> {
    attributes
        .get(name)
        .and_then(Value::as_list)
        .and_then(|items| items.first())
        .and_then(Value::as_map)
}

fn scan_on_push(attributes: &Attributes) -> Option<bool> {
    block(attributes, "image_scanning_configuration")
        .and_then(|block| block.get("scan_on_push"))
        .and_then(Value::as_bool)
}

fn mutability(attributes: &Attributes) -> String {
    attributes
        .get("image_tag_mutability")
        .and_then(Value::as_str)
        .unwrap_or("MUTABLE")
        .to_string()
}

fn encryption(attributes: &Attributes) -> Result<Option<EncryptionConfiguration>, ProviderError> {
    let Some(block) = block(attributes, "encryption_configuration") else {
        return Ok(None);
    };
    let kind = block
        .get("encryption_type")
        .and_then(Value::as_str)
        .unwrap_or("AES256");
    EncryptionConfiguration::builder()
        .encryption_type(EncryptionType::from(kind))
        .set_kms_key(
            block
                .get("kms_key")
                .and_then(Value::as_str)
                .filter(|key| !key.is_empty())
                .map(str::to_string),
        )
        .build()
        .map(Some)
        .map_err(|error| ProviderError::invalid("encryption_configuration", error.to_string()))
}

fn ecr_tags(tags: &BTreeMap<String, String>) -> Result<Vec<Tag>, ProviderError> {
    tags.iter()
        .map(|(key, value)| {
            Tag::builder()
                .key(key)
                .value(value)
                .build()
                .map_err(|error| ProviderError::invalid("tags", error.to_string()))
        })
        .collect()
}

async fn describe(
    context: &ProviderContext,
    name: &str,
) -> Result<Option<Repository>, ProviderError> {
    match context
        .aws()
        .ecr
        .describe_repositories()
        .repository_names(name)
        .send()
        .await
    {
        Ok(output) => Ok(output
            .repositories()
            .iter()
            .find(|repository| repository.repository_name() == Some(name))
            .cloned()),
        Err(error) => {
            let error = sdk_error("DescribeRepositories", error);
            crate::aws::kit::none_if_gone(error)
        }
    }
}

fn repository_attributes(
    context: &ProviderContext,
    repository: &Repository,
    tags: BTreeMap<String, String>,
    prior: &Attributes,
) -> Attributes {
    let mut attributes = Attributes::new();
    let name = repository.repository_name().unwrap_or_default();
    attributes.insert("id".into(), Value::string(name));
    attributes.insert("name".into(), Value::string(name));
    attributes.insert(
        "image_tag_mutability".into(),
        Value::string(
            repository
                .image_tag_mutability()
                .map(|mutability| mutability.as_str())
                .unwrap_or("MUTABLE"),
        ),
    );
    attributes.insert(
        "force_delete".into(),
        Value::Bool(
            prior
                .get("force_delete")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        ),
    );
    attributes.insert(
        "arn".into(),
        Value::string(repository.repository_arn().unwrap_or_default()),
    );
    attributes.insert(
        "registry_id".into(),
        Value::string(repository.registry_id().unwrap_or_default()),
    );
    attributes.insert(
        "repository_url".into(),
        Value::string(repository.repository_uri().unwrap_or_default()),
    );
    let scan = repository
        .image_scanning_configuration()
        .map(|config| config.scan_on_push())
        .unwrap_or(false);
    attributes.insert(
        "image_scanning_configuration".into(),
        Value::List(vec![Value::Map(
            [("scan_on_push".to_string(), Value::Bool(scan))]
                .into_iter()
                .collect(),
        )]),
    );
    let (kind, key) = repository
        .encryption_configuration()
        .map(|config| {
            (
                config.encryption_type().as_str().to_string(),
                config.kms_key().map(str::to_string),
            )
        })
        .unwrap_or_else(|| ("AES256".to_string(), None));
    attributes.insert(
        "encryption_configuration".into(),
        Value::List(vec![Value::Map(
            [
                ("encryption_type".to_string(), Value::String(kind)),
                (
                    "kms_key".to_string(),
                    key.map(Value::String).unwrap_or_default(),
                ),
            ]
            .into_iter()
            .collect(),
        )]),
    );
    let (tags, tags_all) = split_tags(context, tags);
    attributes.insert("tags".into(), tags);
    attributes.insert("tags_all".into(), tags_all);
    attributes
}

tag_api! {
    /// ECR's tag calls, on a repository ARN.
    struct EcrTags for ecr {
        list: "ListTagsForResource" list_tags_for_resource(resource_arn)
            => |output| tag_map(output.tags(), |tag| (Some(tag.key()), Some(tag.value()))),
        tag: "TagResource" tag_resource(resource_arn).set_tags(|tags| Some(ecr_tags(tags)?)),
        untag: "UntagResource" untag_resource(resource_arn)
            .set_tag_keys(|keys| Some(keys.to_vec())),
    }
}

#[async_trait]
impl Resource for EcrRepository {
    fn type_name(&self) -> &'static str {
        "aws_ecr_repository"
    }

    fn import_id(&self) -> String {
        "repository name".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn list_managed(
        &self,
        context: &ProviderContext,
        stack: &str,
    ) -> Result<Vec<(String, String)>, ProviderError> {
        use crate::aws::tagging::{list_tagged, ArnId};
        list_tagged(
            context,
            stack,
            self.type_name(),
            "ecr:repository",
            ArnId::AfterSlash,
        )
        .await
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let name = required_string(desired, "name")?;
        let tags = context.tags_for(desired);
        let output = context
            .aws()
            .ecr
            .create_repository()
            .repository_name(&name)
            .image_tag_mutability(ImageTagMutability::from(mutability(desired).as_str()))
            .image_scanning_configuration(
                ImageScanningConfiguration::builder()
                    .scan_on_push(scan_on_push(desired).unwrap_or(false))
                    .build(),
            )
            .set_encryption_configuration(encryption(desired)?)
            .set_tags(Some(ecr_tags(&tags)?))
            .send()
            .await
            .map_err(|error| sdk_error("CreateRepository", error))?;
        let repository = output.repository().ok_or_else(|| {
            ProviderError::Refused(format!("CreateRepository {name} returned no repository"))
        })?;
        Ok(repository_attributes(context, repository, tags, desired))
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let Some(repository) = describe(context, id).await? else {
            return Ok(None);
        };
        let tags = EcrTags.list(context, repository.repository_arn().unwrap_or_default()).await?;
        Ok(Some(repository_attributes(
            context,
            &repository,
            tags,
            prior,
        )))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let client = &context.aws().ecr;
        let wanted = mutability(desired);
        if mutability(prior) != wanted {
            client
                .put_image_tag_mutability()
                .repository_name(id)
                .image_tag_mutability(ImageTagMutability::from(wanted.as_str()))
                .send()
                .await
                .map_err(|error| sdk_error("PutImageTagMutability", error))?;
        }
        if let Some(scan) = scan_on_push(desired) {
            if scan_on_push(prior) != Some(scan) {
                client
                    .put_image_scanning_configuration()
                    .repository_name(id)
                    .image_scanning_configuration(
                        ImageScanningConfiguration::builder()
                            .scan_on_push(scan)
                            .build(),
                    )
                    .send()
                    .await
                    .map_err(|error| sdk_error("PutImageScanningConfiguration", error))?;
            }
        }
        if tags_differ(context, prior, desired) {
            let arn = prior
                .get("arn")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            sync_tags(&EcrTags, context, &arn, prior, desired).await?;
        }
        self.read(context, id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("repository {id} disappeared during update"))
        })
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let force = prior
            .get("force_delete")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        match context
            .aws()
            .ecr
            .delete_repository()
            .repository_name(id)
            .force(force)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(error) => {
                let error = sdk_error("DeleteRepository", error);
                crate::aws::kit::ok_if_gone(error)
            }
        }
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let name = required_string(desired, "name")?;
        let found = describe(context, &name).await?;
        let arn_of = |repository: &Repository| repository.repository_arn().unwrap_or_default().to_string();
        let Some((repository, tags)) =
            recovery::owned_listing(&EcrTags, context, found, arn_of).await?
        else {
            return Ok(None);
        };
        Ok(Some(repository_attributes(
            context,
            &repository,
            tags,
            desired,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_block(name: &str, entries: &[(&str, Value)]) -> Attributes {
        let map = entries
            .iter()
            .map(|(key, value)| (key.to_string(), value.clone()))
            .collect();
        [(name.to_string(), Value::List(vec![Value::Map(map)]))]
            .into_iter()
            .collect()
    }

    #[test]
    fn reads_scan_on_push_from_the_block() {
        let attributes = with_block(
            "image_scanning_configuration",
            &[("scan_on_push", Value::Bool(true))],
        );
        assert_eq!(scan_on_push(&attributes), Some(true));
        assert_eq!(scan_on_push(&Attributes::new()), None);
    }

    #[test]
    fn encryption_defaults_to_aes256() {
        let attributes = with_block("encryption_configuration", &[]);
        let config = encryption(&attributes).ok().flatten();
        assert_eq!(
            config.map(|config| config.encryption_type().clone()),
            Some(EncryptionType::Aes256)
        );
        assert!(encryption(&Attributes::new()).is_ok_and(|config| config.is_none()));
    }

    #[test]
    fn encryption_forces_replacement_and_scanning_does_not() {
        let repository = EcrRepository::new();
        let schema = repository.schema();
        assert!(schema
            .block("encryption_configuration")
            .is_some_and(|b| b.force_new));
        assert!(schema
            .block("image_scanning_configuration")
            .is_some_and(|b| !b.force_new && b.computed));
        assert!(schema.attribute("name").is_some_and(|a| a.force_new));
    }
}
