//! `aws_efs_mount_target`: an EFS file system's NFS endpoint in one subnet.
//!
//! AWS calls: CreateMountTarget, DescribeMountTargets (by id; by file system for recovery),
//! DescribeMountTargetSecurityGroups, ModifyMountTargetSecurityGroups (`security_groups` in
//! place), DeleteMountTarget.
//!
//! Replacement: a change of `file_system_id`, `subnet_id` or `ip_address`. Security groups
//! change in place. Mount targets carry no tags.
//!
//! Readiness: `create` returns as soon as the id is known (state `creating`);
//! `wait_until_ready` polls until `available` (limit 10 minutes).
//!
//! Deletion: DeleteMountTarget, then polls until DescribeMountTargets no longer finds it (limit
//! 10 minutes): only then is its network interface gone, so the security groups it used and the
//! file system can be deleted right after. A mount target already gone is success.
//!
//! Recovery: a file system has at most one mount target per availability zone, so the mount
//! target of the file system in `subnet_id` is the one an interrupted create made.
//!
//! moto 5.2.1 (the test cloud): mount targets are `available` at once and gone at once.

use crate::aws::kit::ResultExt;
use crate::aws::kit::attributes;
use crate::aws::AwsContext;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_efs::types::{LifeCycleState, MountTargetDescription};

use crate::aws::kit::sdk_error;
use crate::aws::kit::wait::{self, Poll};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

/// How long a mount target may take to become `available` (about 90 s is usual).
const AVAILABLE_LIMIT: Duration = Duration::from_secs(10 * 60);
/// How long a deleted mount target may take to disappear.
const DELETED_LIMIT: Duration = Duration::from_secs(10 * 60);

pub struct EfsMountTarget {
    schema: Schema,
}

impl EfsMountTarget {
    pub fn new() -> Self {
        EfsMountTarget {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String)
                    .describe("The mount target id (fsmt-...)."),
                Attribute::required("file_system_id", AttrType::String).force_new(),
                Attribute::required("subnet_id", AttrType::String).force_new(),
                Attribute::optional_computed("ip_address", AttrType::String).force_new(),
                Attribute::optional_computed("security_groups", AttrType::set_of_strings())
                    .describe("Up to 5 security group ids; the VPC's default group when absent."),
                Attribute::computed("dns_name", AttrType::String),
                Attribute::computed("mount_target_dns_name", AttrType::String),
                Attribute::computed("file_system_arn", AttrType::String),
                Attribute::computed("network_interface_id", AttrType::String),
                Attribute::computed("availability_zone_name", AttrType::String),
                Attribute::computed("availability_zone_id", AttrType::String),
                Attribute::computed("owner_id", AttrType::String),
            ]),
        }
    }
}

impl Default for EfsMountTarget {
    fn default() -> Self {
        EfsMountTarget::new()
    }
}

#[async_trait]
impl Resource for EfsMountTarget {
    fn type_name(&self) -> &'static str {
        "aws_efs_mount_target"
    }

    fn import_id(&self) -> String {
        "mount target id (fsmt-…)".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let security_groups = attributes::string_list(desired, "security_groups");
        let output = context
            .aws()
            .efs
            .create_mount_target()
            .file_system_id(attributes::required_string(desired, "file_system_id")?)
            .subnet_id(attributes::required_string(desired, "subnet_id")?)
            .set_ip_address(attributes::optional_string(desired, "ip_address"))
            .set_security_groups((!security_groups.is_empty()).then_some(security_groups))
            .send()
            .await
            .map_err(|error| sdk_error("CreateMountTarget", error))?;
        let mut attributes = desired.clone();
        attributes.insert("id".into(), Value::string(output.mount_target_id()));
        Ok(attributes)
    }

    async fn wait_until_ready(
        &self,
        context: &ProviderContext,
        created: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let id = attributes::required_string(created, "id")?;
        wait::until(
            &format!("EFS mount target {id} to become available"),
            AVAILABLE_LIMIT,
            || async {
                match describe(context, &id).await? {
                    None => Err(ProviderError::Refused(format!(
                        "EFS mount target {id} disappeared while waiting for it"
                    ))),
                    Some(found) => match found.life_cycle_state() {
                        LifeCycleState::Available => Ok(Poll::Ready(())),
                        LifeCycleState::Error => Err(ProviderError::Refused(format!(
                            "EFS mount target {id} failed to create (state `error`)"
                        ))),
                        _ => Ok(Poll::Pending),
                    },
                }
            },
        )
        .await?;
        self.read(context, &id, created).await?.ok_or_else(|| {
            ProviderError::Refused(format!("EFS mount target {id} disappeared while waiting"))
        })
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let Some(mount_target) = describe(context, id).await? else {
            return Ok(None);
        };
        if mount_target.life_cycle_state() == &LifeCycleState::Deleted {
            return Ok(None);
        }
        let security_groups = match security_groups(context, id).await {
            Ok(groups) => groups,
            Err(error) => return crate::aws::kit::none_if_gone(error),
        };
        Ok(Some(mount_target_attributes(
            context,
            &mount_target,
            security_groups,
        )))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let mut wanted = attributes::string_list(desired, "security_groups");
        let mut had = attributes::string_list(prior, "security_groups");
        wanted.sort();
        had.sort();
        if !wanted.is_empty() && wanted != had {
            context
                .aws()
                .efs
                .modify_mount_target_security_groups()
                .mount_target_id(id)
                .set_security_groups(Some(wanted))
                .send()
                .await
                .map_err(|error| sdk_error("ModifyMountTargetSecurityGroups", error))?;
        }
        self.read(context, id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("EFS mount target {id} disappeared during update"))
        })
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        context
            .aws()
            .efs
            .delete_mount_target()
            .mount_target_id(id)
            .send()
            .await
.map_err(|error| sdk_error("DeleteMountTarget", error))
.gone_is_ok()?;
        wait::until(
            &format!("EFS mount target {id} to be deleted"),
            DELETED_LIMIT,
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
        let file_system_id = attributes::required_string(desired, "file_system_id")?;
        let subnet_id = attributes::required_string(desired, "subnet_id")?;
        let output = match context
            .aws()
            .efs
            .describe_mount_targets()
            .file_system_id(&file_system_id)
            .send()
            .await
        {
            Ok(output) => output,
            Err(error) => {
                let error = sdk_error("DescribeMountTargets", error);
                return crate::aws::kit::none_if_gone(error);
            }
        };
        let Some(found) = output.mount_targets().iter().find(|found| {
            found.subnet_id() == subnet_id
                && !matches!(
                    found.life_cycle_state(),
                    LifeCycleState::Deleted | LifeCycleState::Deleting
                )
        }) else {
            return Ok(None);
        };
        let groups = security_groups(context, found.mount_target_id()).await?;
        Ok(Some(mount_target_attributes(context, found, groups)))
    }
}

/// DescribeMountTargets by id (`None` when gone).
async fn describe(
    context: &ProviderContext,
    id: &str,
) -> Result<Option<MountTargetDescription>, ProviderError> {
    match context
        .aws()
        .efs
        .describe_mount_targets()
        .mount_target_id(id)
        .send()
        .await
    {
        Ok(output) => Ok(output.mount_targets().first().cloned()),
        Err(error) => {
            let error = sdk_error("DescribeMountTargets", error);
            crate::aws::kit::none_if_gone(error)
        }
    }
}

async fn security_groups(
    context: &ProviderContext,
    id: &str,
) -> Result<Vec<String>, ProviderError> {
    let output = context
        .aws()
        .efs
        .describe_mount_target_security_groups()
        .mount_target_id(id)
        .send()
        .await
        .map_err(|error| sdk_error("DescribeMountTargetSecurityGroups", error))?;
    Ok(output.security_groups().to_vec())
}

fn mount_target_attributes(
    context: &ProviderContext,
    mount_target: &MountTargetDescription,
    security_groups: Vec<String>,
) -> Attributes {
    let region = &context.aws().region;
    let file_system_id = mount_target.file_system_id();
    let owner = mount_target.owner_id().unwrap_or_default();
    let zone = mount_target.availability_zone_name().unwrap_or_default();
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::string(mount_target.mount_target_id()));
    attributes.insert("file_system_id".into(), Value::string(file_system_id));
    attributes.insert("subnet_id".into(), Value::string(mount_target.subnet_id()));
    attributes.insert(
        "ip_address".into(),
        mount_target
            .ip_address()
            .map(Value::string)
            .unwrap_or_default(),
    );
    attributes.insert(
        "security_groups".into(),
        attributes::string_list_value(security_groups),
    );
    attributes.insert(
        "dns_name".into(),
        Value::string(format!("{file_system_id}.efs.{region}.amazonaws.com")),
    );
    attributes.insert(
        "mount_target_dns_name".into(),
        Value::string(format!(
            "{zone}.{file_system_id}.efs.{region}.amazonaws.com"
        )),
    );
    attributes.insert(
        "file_system_arn".into(),
        Value::string(format!(
            "arn:aws:elasticfilesystem:{region}:{owner}:file-system/{file_system_id}"
        )),
    );
    attributes.insert(
        "network_interface_id".into(),
        mount_target
            .network_interface_id()
            .map(Value::string)
            .unwrap_or_default(),
    );
    attributes.insert("availability_zone_name".into(), Value::string(zone));
    attributes.insert(
        "availability_zone_id".into(),
        mount_target
            .availability_zone_id()
            .map(Value::string)
            .unwrap_or_default(),
    );
    attributes.insert("owner_id".into(), Value::string(owner));
    attributes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_replaces_on_placement_and_updates_security_groups_in_place() {
        let mount_target = EfsMountTarget::new();
        let schema = mount_target.schema();
        for replaced in ["file_system_id", "subnet_id", "ip_address"] {
            assert!(
                schema.attribute(replaced).is_some_and(|a| a.force_new),
                "{replaced}"
            );
        }
        assert!(schema
            .attribute("security_groups")
            .is_some_and(|a| !a.force_new && a.attr_type == AttrType::set_of_strings()));
    }
}
