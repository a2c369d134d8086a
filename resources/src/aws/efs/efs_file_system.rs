//! `aws_efs_file_system`: an EFS file system.
//!
//! AWS calls: CreateFileSystem (CreationToken = `creation_token`, else the pending operation's
//! idempotency token; tags in the same call), DescribeFileSystems (by id; by creation token for
//! recovery), PutLifecycleConfiguration / DescribeLifecycleConfiguration (`lifecycle_policy`
//! blocks), UpdateFileSystem (`throughput_mode`, `provisioned_throughput_in_mibps`),
//! TagResource / UntagResource, DeleteFileSystem.
//!
//! Replacement: a change of `creation_token`, `encrypted`, `kms_key_id`, `performance_mode` or
//! `availability_zone_name`. Throughput, lifecycle policies and tags change in place.
//!
//! Readiness: `create` returns as soon as the id is known (state `creating`);
//! `wait_until_ready` polls DescribeFileSystems until `available` (limit 10 minutes), then
//! applies the lifecycle policies (CreateFileSystem takes none) and reads.
//!
//! Deletion: DeleteFileSystem, retried while AWS answers `FileSystemInUse` (mount targets of
//! the file system are still being deleted), then polls until the file system is gone. A file
//! system already gone is success.
//!
//! Recovery: DescribeFileSystems by creation token (the idempotency token, or the spec's
//! `creation_token`): what an interrupted create made is found exactly.
//!
//! moto 5.2.1 (the test cloud): the file system is `available` at once; UpdateFileSystem answers
//! 500, so a change of throughput in place is not covered by the tests (the call is the real
//! one); DescribeLifecycleConfiguration returns the policies as they were put.
//!
//! Drift: `list_managed` is GetResources of the Resource Groups Tagging API (`elasticfilesystem:file-system`).

use crate::aws::kit::attributes;
use crate::aws::AwsContext;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_efs::types::{
    FileSystemDescription, LifeCycleState, LifecyclePolicy, PerformanceMode, ThroughputMode,
    TransitionToArchiveRules, TransitionToIaRules, TransitionToPrimaryStorageClassRules,
};

use crate::aws::efs::{efs_tags, tags_from_efs, EfsTags};
use crate::aws::kit::tags::sync_tags;
use crate::aws::kit::wait::{self, Poll};
use crate::aws::{found, sdk_error};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

/// How long a new file system may take to become `available`.
const AVAILABLE_LIMIT: Duration = Duration::from_secs(10 * 60);
/// How long a delete may take: mount targets draining, then the file system itself.
const DELETE_LIMIT: Duration = Duration::from_secs(10 * 60);

pub struct EfsFileSystem {
    schema: Schema,
}

impl EfsFileSystem {
    pub fn new() -> Self {
        EfsFileSystem {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The file system id (fs-...)."),
                Attribute::computed("arn", AttrType::String),
                Attribute::computed("dns_name", AttrType::String),
                Attribute::computed("owner_id", AttrType::String),
                Attribute::computed("number_of_mount_targets", AttrType::Number),
                Attribute::optional_computed("creation_token", AttrType::String)
                    .force_new()
                    .describe("Idempotency token of the create; the pending operation's token when absent."),
                Attribute::optional_computed("encrypted", AttrType::Bool).force_new(),
                Attribute::optional_computed("kms_key_id", AttrType::String).force_new(),
                Attribute::optional_computed("performance_mode", AttrType::String)
                    .force_new()
                    .describe("`generalPurpose` (AWS's default) or `maxIO`."),
                Attribute::optional_computed("throughput_mode", AttrType::String)
                    .describe("`bursting` (AWS's default), `provisioned` or `elastic`."),
                Attribute::optional("provisioned_throughput_in_mibps", AttrType::Number),
                Attribute::optional_computed("availability_zone_name", AttrType::String)
                    .force_new()
                    .describe("One Zone file systems only."),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ])
            .with_block(NestedBlock {
                name: "lifecycle_policy",
                nesting: BlockNesting::List,
                schema: Schema::new(vec![
                    Attribute::optional("transition_to_ia", AttrType::String)
                        .describe("`AFTER_7_DAYS`, `AFTER_14_DAYS`, `AFTER_30_DAYS`, ..."),
                    Attribute::optional("transition_to_primary_storage_class", AttrType::String)
                        .describe("`AFTER_1_ACCESS`."),
                    Attribute::optional("transition_to_archive", AttrType::String),
                ]),
                force_new: false,
                computed: false,
            }),
        }
    }
}

impl Default for EfsFileSystem {
    fn default() -> Self {
        EfsFileSystem::new()
    }
}

#[async_trait]
impl Resource for EfsFileSystem {
    fn type_name(&self) -> &'static str {
        "aws_efs_file_system"
    }

    fn import_id(&self) -> String {
        "file system id (fs-…)".to_string()
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
            "elasticfilesystem:file-system",
            ArnId::AfterSlash,
        )
        .await
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let token = attributes::optional_string(desired, "creation_token")
            .unwrap_or_else(|| context.idempotency_token.clone());
        let policies = lifecycle_policies(desired)?;
        let output = context
            .aws()
            .efs
            .create_file_system()
            .creation_token(&token)
            .set_encrypted(attributes::optional_bool(desired, "encrypted"))
            .set_kms_key_id(attributes::optional_string(desired, "kms_key_id"))
            .set_performance_mode(
                attributes::optional_string(desired, "performance_mode")
                    .map(|mode| PerformanceMode::from(mode.as_str())),
            )
            .set_throughput_mode(
                attributes::optional_string(desired, "throughput_mode")
                    .map(|mode| ThroughputMode::from(mode.as_str())),
            )
            .set_provisioned_throughput_in_mibps(
                desired
                    .get("provisioned_throughput_in_mibps")
                    .and_then(Value::as_f64),
            )
            .set_availability_zone_name(attributes::optional_string(desired, "availability_zone_name"))
            .set_tags(Some(efs_tags(&context.tags_for(desired))?))
            .send()
            .await;
        let output = match output {
            Ok(output) => output,
            // A retried create with the same token: adopt what the first one made.
            Err(error) => {
                let error = sdk_error("CreateFileSystem", error);
                if error.code() != Some("FileSystemAlreadyExists") {
                    return Err(error);
                }
                let Some(existing) = describe_by_token(context, &token).await? else {
                    return Err(error);
                };
                let mut attributes =
                    file_system_attributes(context, &existing, desired, Vec::new());
                attributes.insert("lifecycle_policy".into(), policies_value(&policies));
                return Ok(attributes);
            }
        };
        // Intended values: `wait_until_ready` puts the lifecycle policies and reads.
        let id = output.file_system_id().to_string();
        let mut attributes = desired.clone();
        attributes.insert("id".into(), Value::string(&id));
        attributes.insert("creation_token".into(), Value::string(&token));
        attributes.insert("owner_id".into(), Value::string(output.owner_id()));
        attributes.insert(
            "arn".into(),
            output
                .file_system_arn()
                .map(Value::string)
                .unwrap_or_default(),
        );
        attributes.insert("lifecycle_policy".into(), policies_value(&policies));
        Ok(attributes)
    }

    async fn wait_until_ready(
        &self,
        context: &ProviderContext,
        created: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let id = attributes::required_string(created, "id")?;
        wait::until(
            &format!("EFS file system {id} to become available"),
            AVAILABLE_LIMIT,
            || async {
                match describe(context, &id).await? {
                    None => Err(ProviderError::Refused(format!(
                        "EFS file system {id} disappeared while waiting for it"
                    ))),
                    Some(found) => match found.life_cycle_state() {
                        LifeCycleState::Available => Ok(Poll::Ready(())),
                        LifeCycleState::Error => Err(ProviderError::Refused(format!(
                            "EFS file system {id} failed to create (state `error`)"
                        ))),
                        _ => Ok(Poll::Pending),
                    },
                }
            },
        )
        .await?;
        let policies = lifecycle_policies(created)?;
        if !policies.is_empty() {
            put_lifecycle(context, &id, policies).await?;
        }
        self.read(context, &id, created).await?.ok_or_else(|| {
            ProviderError::Refused(format!("EFS file system {id} disappeared while waiting"))
        })
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let Some(file_system) = describe(context, id).await? else {
            return Ok(None);
        };
        let answer = context
            .aws()
            .efs
            .describe_lifecycle_configuration()
            .file_system_id(id)
            .send()
            .await
            .map_err(|error| sdk_error("DescribeLifecycleConfiguration", error));
        let Some(output) = found(answer)? else {
            return Ok(None);
        };
        let policies = output.lifecycle_policies().to_vec();
        Ok(Some(file_system_attributes(
            context,
            &file_system,
            prior,
            policies,
        )))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let wanted_mode = attributes::optional_string(desired, "throughput_mode");
        let wanted_mibps = desired
            .get("provisioned_throughput_in_mibps")
            .and_then(Value::as_f64);
        let mode_changed = wanted_mode.is_some()
            && wanted_mode != attributes::optional_string(prior, "throughput_mode");
        let mibps_changed = wanted_mibps
            != prior
                .get("provisioned_throughput_in_mibps")
                .and_then(Value::as_f64);
        if mode_changed || mibps_changed {
            context
                .aws()
                .efs
                .update_file_system()
                .file_system_id(id)
                .set_throughput_mode(
                    wanted_mode
                        .filter(|_| mode_changed)
                        .map(|mode| ThroughputMode::from(mode.as_str())),
                )
                .set_provisioned_throughput_in_mibps(wanted_mibps.filter(|_| mibps_changed))
                .send()
                .await
                .map_err(|error| sdk_error("UpdateFileSystem", error))?;
        }
        let wanted_policies = lifecycle_policies(desired)?;
        if wanted_policies != lifecycle_policies(prior)? {
            put_lifecycle(context, id, wanted_policies).await?;
        }
        sync_tags(&EfsTags, context, id, prior, desired).await?;
        self.read(context, id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("EFS file system {id} disappeared during update"))
        })
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let deleted = crate::aws::kit::wait::retry_on(
            &format!("EFS file system {id} to have no mount targets"),
            DELETE_LIMIT,
            &["FileSystemInUse"],
            || async {
                match context
                    .aws()
                    .efs
                    .delete_file_system()
                    .file_system_id(id)
                    .send()
                    .await
                {
                    Ok(_) => Ok(()),
                    Err(error) => Err(sdk_error("DeleteFileSystem", error)),
                }
            },
        )
        .await;
        match deleted {
            Ok(()) => {}
            Err(error) => return crate::aws::kit::ok_if_gone(error),
        }
        wait::until(
            &format!("EFS file system {id} to be deleted"),
            DELETE_LIMIT,
            || async {
                Ok(match describe(context, id).await? {
                    None => Poll::Ready(()),
                    Some(found) if found.life_cycle_state() == &LifeCycleState::Deleted => {
                        Poll::Ready(())
                    }
                    Some(_) => Poll::Pending,
                })
            },
        )
        .await
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let token = attributes::optional_string(desired, "creation_token")
            .unwrap_or_else(|| context.idempotency_token.clone());
        let Some(file_system) = describe_by_token(context, &token).await? else {
            return Ok(None);
        };
        let mut attributes = file_system_attributes(context, &file_system, desired, Vec::new());
        // Not applied yet (or unknown): `wait_until_ready` puts the wanted policies.
        attributes.insert(
            "lifecycle_policy".into(),
            policies_value(&lifecycle_policies(desired)?),
        );
        Ok(Some(attributes))
    }
}

/// DescribeFileSystems by id (`None` when gone).
async fn describe(
    context: &ProviderContext,
    id: &str,
) -> Result<Option<FileSystemDescription>, ProviderError> {
    match context
        .aws()
        .efs
        .describe_file_systems()
        .file_system_id(id)
        .send()
        .await
    {
        Ok(output) => Ok(output.file_systems().first().cloned()),
        Err(error) => {
            let error = sdk_error("DescribeFileSystems", error);
            crate::aws::kit::none_if_gone(error)
        }
    }
}

/// DescribeFileSystems by creation token (`None` when there is none).
async fn describe_by_token(
    context: &ProviderContext,
    token: &str,
) -> Result<Option<FileSystemDescription>, ProviderError> {
    let output = context
        .aws()
        .efs
        .describe_file_systems()
        .creation_token(token)
        .send()
        .await
        .map_err(|error| sdk_error("DescribeFileSystems", error))?;
    Ok(output
        .file_systems()
        .iter()
        .find(|found| {
            found.creation_token() == token && found.life_cycle_state() != &LifeCycleState::Deleted
        })
        .cloned())
}

async fn put_lifecycle(
    context: &ProviderContext,
    id: &str,
    policies: Vec<LifecyclePolicy>,
) -> Result<(), ProviderError> {
    context
        .aws()
        .efs
        .put_lifecycle_configuration()
        .file_system_id(id)
        .set_lifecycle_policies(Some(policies))
        .send()
        .await
        .map(|_| ())
        .map_err(|error| sdk_error("PutLifecycleConfiguration", error))
}

/// The `lifecycle_policy` blocks as AWS lifecycle policies (one transition each).
fn lifecycle_policies(attributes: &Attributes) -> Result<Vec<LifecyclePolicy>, ProviderError> {
    let Some(blocks) = attributes.get("lifecycle_policy").and_then(Value::as_list) else {
        return Ok(Vec::new());
    };
    let mut policies = Vec::new();
    for block in blocks {
        let Some(block) = block.as_map() else {
            continue;
        };
        let field = |name: &str| block.get(name).and_then(Value::to_template_string);
        let policy = LifecyclePolicy::builder()
            .set_transition_to_ia(
                field("transition_to_ia").map(|rule| TransitionToIaRules::from(rule.as_str())),
            )
            .set_transition_to_primary_storage_class(
                field("transition_to_primary_storage_class")
                    .map(|rule| TransitionToPrimaryStorageClassRules::from(rule.as_str())),
            )
            .set_transition_to_archive(
                field("transition_to_archive")
                    .map(|rule| TransitionToArchiveRules::from(rule.as_str())),
            )
            .build();
        let set = [
            policy.transition_to_ia().is_some(),
            policy.transition_to_primary_storage_class().is_some(),
            policy.transition_to_archive().is_some(),
        ]
        .iter()
        .filter(|set| **set)
        .count();
        if set != 1 {
            return Err(ProviderError::invalid(
                "lifecycle_policy",
                "each block sets exactly one of transition_to_ia, \
                 transition_to_primary_storage_class, transition_to_archive",
            ));
        }
        policies.push(policy);
    }
    Ok(policies)
}

/// Lifecycle policies as `lifecycle_policy` block values.
fn policies_value(policies: &[LifecyclePolicy]) -> Value {
    Value::List(
        policies
            .iter()
            .map(|policy| {
                let mut block = std::collections::BTreeMap::new();
                block.insert(
                    "transition_to_ia".to_string(),
                    policy
                        .transition_to_ia()
                        .map(|rule| Value::string(rule.as_str()))
                        .unwrap_or_default(),
                );
                block.insert(
                    "transition_to_primary_storage_class".to_string(),
                    policy
                        .transition_to_primary_storage_class()
                        .map(|rule| Value::string(rule.as_str()))
                        .unwrap_or_default(),
                );
                block.insert(
                    "transition_to_archive".to_string(),
                    policy
                        .transition_to_archive()
                        .map(|rule| Value::string(rule.as_str()))
                        .unwrap_or_default(),
                );
                Value::Map(block)
            })
            .collect(),
    )
}

/// The attributes of `file_system` as AWS describes it, with `policies` as the lifecycle
/// policies; `prior` supplies the provisioned throughput AWS may leave out.
fn file_system_attributes(
    context: &ProviderContext,
    file_system: &FileSystemDescription,
    prior: &Attributes,
    policies: Vec<LifecyclePolicy>,
) -> Attributes {
    let id = file_system.file_system_id();
    let region = &context.aws().region;
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::string(id));
    attributes.insert(
        "arn".into(),
        Value::string(
            file_system
                .file_system_arn()
                .map(str::to_string)
                .unwrap_or_else(|| {
                    format!(
                        "arn:aws:elasticfilesystem:{region}:{}:file-system/{id}",
                        file_system.owner_id()
                    )
                }),
        ),
    );
    attributes.insert(
        "dns_name".into(),
        Value::string(format!("{id}.efs.{region}.amazonaws.com")),
    );
    attributes.insert("owner_id".into(), Value::string(file_system.owner_id()));
    attributes.insert(
        "number_of_mount_targets".into(),
        Value::Number(file_system.number_of_mount_targets().into()),
    );
    attributes.insert(
        "creation_token".into(),
        Value::string(file_system.creation_token()),
    );
    attributes.insert(
        "encrypted".into(),
        Value::Bool(file_system.encrypted().unwrap_or(false)),
    );
    attributes.insert(
        "kms_key_id".into(),
        file_system
            .kms_key_id()
            .map(Value::string)
            .unwrap_or_default(),
    );
    attributes.insert(
        "performance_mode".into(),
        Value::string(file_system.performance_mode().as_str()),
    );
    attributes.insert(
        "throughput_mode".into(),
        Value::string(
            file_system
                .throughput_mode()
                .map(|mode| mode.as_str())
                .unwrap_or("bursting"),
        ),
    );
    attributes.insert(
        "provisioned_throughput_in_mibps".into(),
        file_system
            .provisioned_throughput_in_mibps()
            .map(Value::Number)
            .or_else(|| prior.get("provisioned_throughput_in_mibps").cloned())
            .unwrap_or_default(),
    );
    attributes.insert(
        "availability_zone_name".into(),
        file_system
            .availability_zone_name()
            .map(Value::string)
            .unwrap_or_default(),
    );
    attributes.insert("lifecycle_policy".into(), policies_value(&policies));
    let (tags, tags_all) = crate::aws::kit::tags::split_tags(context, tags_from_efs(file_system.tags()));
    attributes.insert("tags".into(), tags);
    attributes.insert("tags_all".into(), tags_all);
    attributes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy_block(pairs: &[(&str, &str)]) -> Value {
        Value::Map(
            pairs
                .iter()
                .map(|(key, value)| (key.to_string(), Value::string(*value)))
                .collect(),
        )
    }

    #[test]
    fn lifecycle_blocks_become_one_policy_each_and_read_back_the_same() {
        let mut attributes = Attributes::new();
        attributes.insert(
            "lifecycle_policy".into(),
            Value::List(vec![
                policy_block(&[("transition_to_ia", "AFTER_14_DAYS")]),
                policy_block(&[("transition_to_primary_storage_class", "AFTER_1_ACCESS")]),
            ]),
        );
        let policies = lifecycle_policies(&attributes).unwrap();
        assert_eq!(policies.len(), 2);
        assert_eq!(
            policies[0].transition_to_ia(),
            Some(&TransitionToIaRules::After14Days)
        );
        let value = policies_value(&policies);
        let first = &value.as_list().unwrap()[0];
        assert_eq!(
            first.get("transition_to_ia"),
            Some(&Value::string("AFTER_14_DAYS"))
        );
        assert_eq!(first.get("transition_to_archive"), Some(&Value::Null));
    }

    #[test]
    fn a_lifecycle_block_needs_exactly_one_transition() {
        let mut attributes = Attributes::new();
        attributes.insert(
            "lifecycle_policy".into(),
            Value::List(vec![policy_block(&[
                ("transition_to_ia", "AFTER_14_DAYS"),
                ("transition_to_archive", "AFTER_90_DAYS"),
            ])]),
        );
        assert!(lifecycle_policies(&attributes).is_err());
        attributes.insert(
            "lifecycle_policy".into(),
            Value::List(vec![policy_block(&[])]),
        );
        assert!(lifecycle_policies(&attributes).is_err());
        assert!(lifecycle_policies(&Attributes::new()).unwrap().is_empty());
    }

    #[test]
    fn schema_replaces_on_encryption_and_updates_throughput_in_place() {
        let file_system = EfsFileSystem::new();
        let schema = file_system.schema();
        for replaced in [
            "creation_token",
            "encrypted",
            "kms_key_id",
            "performance_mode",
        ] {
            assert!(
                schema.attribute(replaced).is_some_and(|a| a.force_new),
                "{replaced}"
            );
        }
        assert!(schema
            .attribute("throughput_mode")
            .is_some_and(|a| !a.force_new && a.computed));
        assert!(schema
            .block("lifecycle_policy")
            .is_some_and(|b| !b.force_new));
    }
}
