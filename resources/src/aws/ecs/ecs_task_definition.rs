//! `aws_ecs_task_definition`: one revision of an ECS task definition family.
//!
//! AWS calls: RegisterTaskDefinition (containers, volumes, cpu / memory, network mode,
//! compatibilities, roles, tags), DescribeTaskDefinition (`include = TAGS`),
//! TagResource / UntagResource (tags, the only in-place change), DeregisterTaskDefinition,
//! ListTaskDefinitions (recovery).
//!
//! Replacement: every attribute but `tags` forces a new revision (a revision cannot be
//! changed). Use `lifecycle { create_before_destroy = true }` so the new revision is registered
//! and the services using it are updated before the old revision is deregistered.
//!
//! `id` is the revision's ARN (Terraform uses the family; the ARN keeps an old revision kept
//! under create-before-destroy and its replacement apart). `container_definitions` is compared
//! semantically: `read` keeps the spec's text while ECS's answer means the same after
//! normalisation (see `container_definitions.rs`), so a second plan says "No changes.".
//!
//! Deletion: DeregisterTaskDefinition (the revision becomes INACTIVE, as in Terraform; `read`
//! reports an INACTIVE revision as gone). Recovery: RegisterTaskDefinition takes no client
//! token; `recover` looks at the newest ACTIVE revision of the family and adopts it when it
//! carries this stack's `provision:*` tags and the same containers.
//!
//! Plan: a known `container_definitions` is parsed when the plan is made (`check_config`), so
//! a bad document is an error with its span before anything is created.
//!
//! moto 5.2.1: keeps INACTIVE revisions listed under `status = INACTIVE`; answers
//! `ClientException` for an unknown ARN (treated as gone).
//!
//! Drift: `list_managed` is GetResources of the Resource Groups Tagging API (`ecs:task-definition`);
//! DescribeTaskDefinition of each drops the INACTIVE revisions a deregister leaves.

use crate::aws::kit::ResultExt;
use crate::aws::kit::tags::{carries_recovery_tags, put_tags, sync_tags};
use crate::aws::AwsContext;
use async_trait::async_trait;
use aws_sdk_ecs::types::{
    Compatibility, EfsAuthorizationConfig, EfsAuthorizationConfigIam, EfsTransitEncryption,
    EfsVolumeConfiguration, NetworkMode, SortOrder, TaskDefinition, TaskDefinitionField,
    TaskDefinitionStatus, Volume,
};

use crate::aws::kit::attributes::{block, block_value, blocks, optional_i32};
use super::common;
use super::container_definitions;
use crate::aws::kit::attributes::{optional_string, required_string, string_list, string_list_value};
use crate::aws::kit::sdk_error;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

pub struct EcsTaskDefinition {
    schema: Schema,
}

impl EcsTaskDefinition {
    pub fn new() -> Self {
        let authorization = Schema::new(vec![
            Attribute::optional("access_point_id", AttrType::String),
            Attribute::optional_computed("iam", AttrType::String)
                .describe("`ENABLED` or `DISABLED`."),
        ]);
        let efs = Schema::new(vec![
            Attribute::required("file_system_id", AttrType::String),
            Attribute::optional_computed("root_directory", AttrType::String),
            Attribute::optional_computed("transit_encryption", AttrType::String)
                .describe("`ENABLED` or `DISABLED`."),
            Attribute::optional("transit_encryption_port", AttrType::Number),
        ])
        .with_block(NestedBlock {
            name: "authorization_config",
            nesting: BlockNesting::Single,
            schema: authorization,
            force_new: true,
            computed: false,
        });
        let volume = Schema::new(vec![Attribute::required("name", AttrType::String)]).with_block(
            NestedBlock {
                name: "efs_volume_configuration",
                nesting: BlockNesting::Single,
                schema: efs,
                force_new: true,
                computed: false,
            },
        );
        EcsTaskDefinition {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The revision's ARN."),
                Attribute::computed("arn", AttrType::String),
                Attribute::computed("arn_without_revision", AttrType::String),
                Attribute::computed("revision", AttrType::Number),
                Attribute::required("family", AttrType::String).force_new(),
                Attribute::required("container_definitions", AttrType::Json)
                    .force_new()
                    .describe("JSON list of container definitions (ECS field names)."),
                Attribute::optional("cpu", AttrType::String).force_new(),
                Attribute::optional("memory", AttrType::String).force_new(),
                Attribute::optional_computed("network_mode", AttrType::String).force_new(),
                Attribute::optional("requires_compatibilities", AttrType::set_of_strings())
                    .force_new(),
                Attribute::optional("execution_role_arn", AttrType::String).force_new(),
                Attribute::optional("task_role_arn", AttrType::String).force_new(),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ])
            .with_block(NestedBlock {
                name: "volume",
                nesting: BlockNesting::Set,
                schema: volume,
                force_new: true,
                computed: false,
            }),
        }
    }
}

impl Default for EcsTaskDefinition {
    fn default() -> Self {
        EcsTaskDefinition::new()
    }
}

/// The SDK volumes of the `volume` blocks.
fn volumes(desired: &Attributes) -> Result<Vec<Volume>, ProviderError> {
    let mut result = Vec::new();
    for volume in blocks(desired, "volume") {
        let mut builder = Volume::builder().set_name(optional_string(volume, "name"));
        if let Some(efs) = block(volume, "efs_volume_configuration") {
            let authorization = block(efs, "authorization_config").map(|config| {
                EfsAuthorizationConfig::builder()
                    .set_access_point_id(optional_string(config, "access_point_id"))
                    .set_iam(
                        optional_string(config, "iam")
                            .map(|iam| EfsAuthorizationConfigIam::from(iam.as_str())),
                    )
                    .build()
            });
            builder = builder.efs_volume_configuration(
                EfsVolumeConfiguration::builder()
                    .set_file_system_id(optional_string(efs, "file_system_id"))
                    .set_root_directory(optional_string(efs, "root_directory"))
                    .set_transit_encryption(
                        optional_string(efs, "transit_encryption")
                            .map(|mode| EfsTransitEncryption::from(mode.as_str())),
                    )
                    .set_transit_encryption_port(optional_i32(efs, "transit_encryption_port")?)
                    .set_authorization_config(authorization)
                    .build()
                    .map_err(|error| {
                        ProviderError::invalid("volume.efs_volume_configuration", error.to_string())
                    })?,
            );
        }
        result.push(builder.build());
    }
    Ok(result)
}

/// The `volume` blocks of what ECS answered.
fn volume_blocks(volumes: &[Volume]) -> Value {
    block_value(
        volumes
            .iter()
            .map(|volume| {
                let mut map = Attributes::new();
                map.insert(
                    "name".into(),
                    volume.name().map(Value::string).unwrap_or_default(),
                );
                let efs = volume.efs_volume_configuration().map(|efs| {
                    let mut config = Attributes::new();
                    config.insert("file_system_id".into(), Value::string(efs.file_system_id()));
                    config.insert(
                        "root_directory".into(),
                        Value::string(efs.root_directory().unwrap_or("/")),
                    );
                    config.insert(
                        "transit_encryption".into(),
                        Value::string(
                            efs.transit_encryption()
                                .map(|mode| mode.as_str())
                                .unwrap_or("DISABLED"),
                        ),
                    );
                    config.insert(
                        "transit_encryption_port".into(),
                        efs.transit_encryption_port()
                            .map(Value::from)
                            .unwrap_or_default(),
                    );
                    let authorization = efs.authorization_config().map(|auth| {
                        let mut entry = Attributes::new();
                        entry.insert(
                            "access_point_id".into(),
                            auth.access_point_id()
                                .map(Value::string)
                                .unwrap_or_default(),
                        );
                        entry.insert(
                            "iam".into(),
                            Value::string(auth.iam().map(|iam| iam.as_str()).unwrap_or("DISABLED")),
                        );
                        entry
                    });
                    config.insert(
                        "authorization_config".into(),
                        block_value(authorization),
                    );
                    config
                });
                map.insert(
                    "efs_volume_configuration".into(),
                    block_value(efs),
                );
                map
            }),
    )
}

/// `arn:...:task-definition/family:3` → `arn:...:task-definition/family`.
fn without_revision(arn: &str) -> String {
    match arn.rsplit_once(':') {
        Some((head, revision)) if revision.chars().all(|c| c.is_ascii_digit()) => head.to_string(),
        _ => arn.to_string(),
    }
}

fn definition_attributes(
    context: &ProviderContext,
    definition: &TaskDefinition,
    tags: std::collections::BTreeMap<String, String>,
    prior: &Attributes,
) -> Attributes {
    let arn = definition
        .task_definition_arn()
        .unwrap_or_default()
        .to_string();
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::string(&arn));
    attributes.insert("arn".into(), Value::string(&arn));
    attributes.insert(
        "arn_without_revision".into(),
        Value::string(without_revision(&arn)),
    );
    attributes.insert("revision".into(), Value::from(definition.revision()));
    attributes.insert(
        "family".into(),
        definition.family().map(Value::string).unwrap_or_default(),
    );
    let answered = container_definitions::to_json(definition.container_definitions()).to_string();
    let containers = match prior.get("container_definitions").and_then(Value::as_str) {
        Some(text) if container_definitions::equivalent(text, &answered) => text.to_string(),
        _ => answered,
    };
    attributes.insert("container_definitions".into(), Value::String(containers));
    attributes.insert(
        "cpu".into(),
        definition.cpu().map(Value::string).unwrap_or_default(),
    );
    attributes.insert(
        "memory".into(),
        definition.memory().map(Value::string).unwrap_or_default(),
    );
    attributes.insert(
        "network_mode".into(),
        Value::string(
            definition
                .network_mode()
                .map(|mode| mode.as_str())
                .unwrap_or("bridge"),
        ),
    );
    attributes.insert(
        "requires_compatibilities".into(),
        string_list_value(
            definition
                .requires_compatibilities()
                .iter()
                .map(|compatibility| compatibility.as_str()),
        ),
    );
    attributes.insert(
        "execution_role_arn".into(),
        definition
            .execution_role_arn()
            .map(Value::string)
            .unwrap_or_default(),
    );
    attributes.insert(
        "task_role_arn".into(),
        definition
            .task_role_arn()
            .map(Value::string)
            .unwrap_or_default(),
    );
    attributes.insert("volume".into(), volume_blocks(definition.volumes()));
    put_tags(context, &mut attributes, tags);
    attributes
}

/// DescribeTaskDefinition with tags; `None` when unknown or INACTIVE.
async fn describe(
    context: &ProviderContext,
    arn: &str,
) -> Result<Option<(TaskDefinition, std::collections::BTreeMap<String, String>)>, ProviderError> {
    let output = match context
        .aws()
        .ecs
        .describe_task_definition()
        .task_definition(arn)
        .include(TaskDefinitionField::Tags)
        .send()
        .await
    {
        Ok(output) => output,
        Err(error) => {
            let error = sdk_error("DescribeTaskDefinition", error);
            // ECS answers ClientException for a task definition it does not know.
            return if crate::aws::kit::is_gone(&error, &["ClientException"]) {
                Ok(None)
            } else {
                Err(error)
            };
        }
    };
    let Some(definition) = output.task_definition() else {
        return Ok(None);
    };
    if definition.status() == Some(&TaskDefinitionStatus::Inactive)
        || definition.status() == Some(&TaskDefinitionStatus::DeleteInProgress)
    {
        return Ok(None);
    }
    Ok(Some((
        definition.clone(),
        common::tags_from_ecs(output.tags()),
    )))
}

#[async_trait]
impl Resource for EcsTaskDefinition {
    fn type_name(&self) -> &'static str {
        "aws_ecs_task_definition"
    }

    fn import_id(&self) -> String {
        "task definition ARN (arn:aws:ecs:…:task-definition/family:revision)".to_string()
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
        let tagged = list_tagged(
            context,
            stack,
            self.type_name(),
            "ecs:task-definition",
            ArnId::Arn,
        )
        .await?;
        // A deregistered revision stays INACTIVE (and tagged): only active ones count.
        let mut found = Vec::new();
        for (arn, address) in tagged {
            let answer = context
                .aws()
                .ecs
                .describe_task_definition()
                .task_definition(&arn)
                .send()
                .await
                .map_err(|error| sdk_error("DescribeTaskDefinition", error))
                .not_found_as_none()?;
            let active = answer
                .as_ref()
                .and_then(|answer| answer.task_definition())
                .is_some_and(|definition| {
                    definition.status() != Some(&aws_sdk_ecs::types::TaskDefinitionStatus::Inactive)
                });
            if active {
                found.push((arn, address));
            }
        }
        Ok(found)
    }

    /// `container_definitions`, when the spec's text is known, is parsed at plan: a bad
    /// document stops the plan before any resource of the stack is made.
    fn check_config(&self, attributes: &Attributes) -> Vec<ProviderError> {
        match attributes
            .get("container_definitions")
            .and_then(Value::as_str)
        {
            Some(text) => container_definitions::parse(text)
                .err()
                .into_iter()
                .collect(),
            None => Vec::new(),
        }
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let family = required_string(desired, "family")?;
        let containers =
            container_definitions::parse(&required_string(desired, "container_definitions")?)?;
        let compatibilities: Vec<Compatibility> = string_list(desired, "requires_compatibilities")
            .iter()
            .map(|name| Compatibility::from(name.as_str()))
            .collect();
        let output = context
            .aws()
            .ecs
            .register_task_definition()
            .family(&family)
            .set_container_definitions(Some(containers))
            .set_cpu(optional_string(desired, "cpu"))
            .set_memory(optional_string(desired, "memory"))
            .set_network_mode(
                optional_string(desired, "network_mode")
                    .map(|mode| NetworkMode::from(mode.as_str())),
            )
            .set_requires_compatibilities((!compatibilities.is_empty()).then_some(compatibilities))
            .set_execution_role_arn(optional_string(desired, "execution_role_arn"))
            .set_task_role_arn(optional_string(desired, "task_role_arn"))
            .set_volumes(Some(volumes(desired)?))
            .set_tags(Some(common::ecs_tags(&context.tags_for(desired))))
            .send()
            .await
            .map_err(|error| sdk_error("RegisterTaskDefinition", error))?;
        let definition = output.task_definition().ok_or_else(|| {
            ProviderError::Refused("RegisterTaskDefinition answered no task definition".into())
        })?;
        Ok(definition_attributes(
            context,
            definition,
            context.tags_for(desired),
            desired,
        ))
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        Ok(describe(context, id)
            .await?
            .map(|(definition, tags)| definition_attributes(context, &definition, tags, prior)))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        sync_tags(&common::EcsTags, context, id, prior, desired).await?;
        self.read(context, id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("task definition {id} disappeared during update"))
        })
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let result = context
            .aws()
            .ecs
            .deregister_task_definition()
            .task_definition(id)
            .send()
            .await
            .map_err(|error| sdk_error("DeregisterTaskDefinition", error))
            .gone_is_ok();
        match result {
            Err(error) if describe(context, id).await?.is_some() => Err(error),
            _ => Ok(()),
        }
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let family = required_string(desired, "family")?;
        let listed = context
            .aws()
            .ecs
            .list_task_definitions()
            .family_prefix(&family)
            .sort(SortOrder::Desc)
            .send()
            .await
            .map_err(|error| sdk_error("ListTaskDefinitions", error))?;
        let Some(newest) = listed
            .task_definition_arns()
            .iter()
            .find(|arn| without_revision(arn).rsplit('/').next() == Some(family.as_str()))
        else {
            return Ok(None);
        };
        let Some((definition, tags)) = describe(context, newest).await? else {
            return Ok(None);
        };
        if !carries_recovery_tags(context, &tags) {
            return Ok(None);
        }
        let attributes = definition_attributes(context, &definition, tags, desired);
        let same = match (
            attributes
                .get("container_definitions")
                .and_then(Value::as_str),
            desired.get("container_definitions").and_then(Value::as_str),
        ) {
            (Some(found), Some(wanted)) => container_definitions::equivalent(found, wanted),
            _ => false,
        };
        Ok(same.then_some(attributes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_without_revision_drops_the_number() {
        assert_eq!(
            without_revision("arn:aws:ecs:us-east-1:1:task-definition/backend:12"),
            "arn:aws:ecs:us-east-1:1:task-definition/backend"
        );
    }

    #[test]
    fn every_attribute_but_tags_forces_a_new_revision() {
        let definition = EcsTaskDefinition::new();
        for attribute in &definition.schema().attributes {
            if attribute.settable() {
                assert_eq!(
                    attribute.force_new,
                    attribute.name != "tags",
                    "{}",
                    attribute.name
                );
            }
        }
        assert!(definition
            .schema()
            .block("volume")
            .is_some_and(|b| b.force_new));
    }

    #[test]
    fn efs_volume_blocks_become_sdk_volumes_and_back() {
        let mut auth = Attributes::new();
        auth.insert("access_point_id".into(), Value::string("fsap-1"));
        auth.insert("iam".into(), Value::string("ENABLED"));
        let mut efs = Attributes::new();
        efs.insert("file_system_id".into(), Value::string("fs-1"));
        efs.insert("transit_encryption".into(), Value::string("ENABLED"));
        efs.insert("authorization_config".into(), block_value(vec![auth]));
        let mut volume = Attributes::new();
        volume.insert("name".into(), Value::string("influxdb-data"));
        volume.insert("efs_volume_configuration".into(), block_value(vec![efs]));
        let mut desired = Attributes::new();
        desired.insert("volume".into(), block_value(vec![volume]));
        let built = volumes(&desired).expect("builds");
        let config = built[0].efs_volume_configuration().expect("efs");
        assert_eq!(config.file_system_id(), "fs-1");
        assert_eq!(
            config
                .authorization_config()
                .and_then(|a| a.access_point_id()),
            Some("fsap-1")
        );
        let back = volume_blocks(&built);
        let efs_back = &back.as_list().expect("list")[0]
            .get("efs_volume_configuration")
            .and_then(Value::as_list)
            .expect("efs")[0];
        assert_eq!(efs_back.get("root_directory"), Some(&Value::string("/")));
        assert_eq!(
            efs_back.get("transit_encryption"),
            Some(&Value::string("ENABLED"))
        );
    }
}
