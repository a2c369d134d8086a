//! `aws_efs_access_point`: an application entry point into an EFS file system (POSIX user and
//! root directory enforced for every NFS request through it).
//!
//! AWS calls: CreateAccessPoint (ClientToken = the pending operation's idempotency token, tags in
//! the same call), DescribeAccessPoints (by id; by file system for recovery), TagResource /
//! UntagResource, DeleteAccessPoint.
//!
//! Replacement: a change of `file_system_id`, `posix_user` or `root_directory` (AWS cannot change
//! them). Tags change in place.
//!
//! Readiness: `wait_until_ready` polls until `available` (limit 5 minutes). `delete` polls until
//! DescribeAccessPoints no longer finds it.
//!
//! Recovery: the access point of the file system whose ClientToken is the idempotency token.
//!
//! moto 5.2.1 (the test cloud): access points are `available` at once; the root directory is
//! answered as it was given (`/` when none).
//!
//! Drift: `list_managed` is GetResources of the Resource Groups Tagging API (`elasticfilesystem:access-point`).

use crate::aws::kit::recovery;
use crate::aws::kit::ResultExt;
use crate::aws::kit::attributes;
use crate::aws::AwsContext;
use std::collections::BTreeMap;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_efs::types::{
    AccessPointDescription, CreationInfo, LifeCycleState, PosixUser, RootDirectory,
};

use crate::aws::efs::{efs_tags, tags_from_efs, EfsTags};
use crate::aws::kit::tags::sync_tags;
use crate::aws::kit::sdk_error;
use crate::aws::kit::wait::{self, Poll};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

const AVAILABLE_LIMIT: Duration = Duration::from_secs(5 * 60);
const DELETED_LIMIT: Duration = Duration::from_secs(5 * 60);

pub struct EfsAccessPoint {
    schema: Schema,
}

impl EfsAccessPoint {
    pub fn new() -> Self {
        EfsAccessPoint {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String)
                    .describe("The access point id (fsap-...)."),
                Attribute::computed("arn", AttrType::String),
                Attribute::computed("file_system_arn", AttrType::String),
                Attribute::computed("owner_id", AttrType::String),
                Attribute::required("file_system_id", AttrType::String).force_new(),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ])
            .with_block(NestedBlock {
                name: "posix_user",
                nesting: BlockNesting::Single,
                schema: Schema::new(vec![
                    Attribute::required("uid", AttrType::Number),
                    Attribute::required("gid", AttrType::Number),
                    Attribute::optional(
                        "secondary_gids",
                        AttrType::Set(Box::new(AttrType::Number)),
                    ),
                ]),
                force_new: true,
                computed: false,
            })
            .with_block(NestedBlock {
                name: "root_directory",
                nesting: BlockNesting::Single,
                schema: Schema::new(vec![Attribute::optional_computed("path", AttrType::String)])
                    .with_block(NestedBlock {
                        name: "creation_info",
                        nesting: BlockNesting::Single,
                        schema: Schema::new(vec![
                            Attribute::required("owner_uid", AttrType::Number),
                            Attribute::required("owner_gid", AttrType::Number),
                            Attribute::required("permissions", AttrType::String)
                                .describe("Octal permissions of the created directory (`755`)."),
                        ]),
                        force_new: true,
                        computed: false,
                    }),
                force_new: true,
                // AWS answers `/` when the spec has no root directory.
                computed: true,
            }),
        }
    }
}

impl Default for EfsAccessPoint {
    fn default() -> Self {
        EfsAccessPoint::new()
    }
}

#[async_trait]
impl Resource for EfsAccessPoint {
    fn type_name(&self) -> &'static str {
        "aws_efs_access_point"
    }

    fn import_id(&self) -> String {
        "access point id (fsap-…)".to_string()
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
            "elasticfilesystem:access-point",
            ArnId::AfterSlash,
        )
        .await
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let output = context
            .aws()
            .efs
            .create_access_point()
            .client_token(&context.idempotency_token)
            .file_system_id(attributes::required_string(desired, "file_system_id")?)
            .set_posix_user(posix_user(desired)?)
            .set_root_directory(root_directory(desired)?)
            .set_tags(Some(efs_tags(&context.tags_for(desired))?))
            .send()
            .await
            .map_err(|error| sdk_error("CreateAccessPoint", error))?;
        let id = output.access_point_id().unwrap_or_default().to_string();
        if id.is_empty() {
            return Err(ProviderError::Refused(
                "CreateAccessPoint answered no access point id".to_string(),
            ));
        }
        let mut attributes = desired.clone();
        attributes.insert("id".into(), Value::string(&id));
        Ok(attributes)
    }

    async fn wait_until_ready(
        &self,
        context: &ProviderContext,
        created: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let id = attributes::required_string(created, "id")?;
        wait::until(
            &format!("EFS access point {id} to become available"),
            AVAILABLE_LIMIT,
            || async {
                match describe(context, &id).await? {
                    None => Err(ProviderError::Refused(format!(
                        "EFS access point {id} disappeared while waiting for it"
                    ))),
                    Some(found) => match found.life_cycle_state() {
                        Some(LifeCycleState::Available) | None => Ok(Poll::Ready(())),
                        Some(LifeCycleState::Error) => Err(ProviderError::Refused(format!(
                            "EFS access point {id} failed to create (state `error`)"
                        ))),
                        _ => Ok(Poll::Pending),
                    },
                }
            },
        )
        .await?;
        self.read(context, &id, created).await?.ok_or_else(|| {
            ProviderError::Refused(format!("EFS access point {id} disappeared while waiting"))
        })
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        Ok(describe(context, id)
            .await?
            .map(|found| access_point_attributes(context, &found)))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        sync_tags(&EfsTags, context, id, prior, desired).await?;
        self.read(context, id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("EFS access point {id} disappeared during update"))
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
            .delete_access_point()
            .access_point_id(id)
            .send()
            .await
.map_err(|error| sdk_error("DeleteAccessPoint", error))
.gone_is_ok()?;
        wait::until(
            &format!("EFS access point {id} to be deleted"),
            DELETED_LIMIT,
            || async {
                Ok(match describe(context, id).await? {
                    None => Poll::Ready(()),
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
        let output = match context
            .aws()
            .efs
            .describe_access_points()
            .file_system_id(&file_system_id)
            .send()
            .await
        {
            Ok(output) => output,
            Err(error) => {
                let error = sdk_error("DescribeAccessPoints", error);
                return crate::aws::kit::none_if_gone(error);
            }
        };
        let found = recovery::by_token(context, output.access_points(), |found| found.client_token());
        Ok(found.map(|found| access_point_attributes(context, found)))
    }
}

/// DescribeAccessPoints by id (`None` when gone or deleted).
async fn describe(
    context: &ProviderContext,
    id: &str,
) -> Result<Option<AccessPointDescription>, ProviderError> {
    match context
        .aws()
        .efs
        .describe_access_points()
        .access_point_id(id)
        .send()
        .await
    {
        Ok(output) => Ok(output
            .access_points()
            .iter()
            .find(|found| found.life_cycle_state() != Some(&LifeCycleState::Deleted))
            .cloned()),
        Err(error) => {
            let error = sdk_error("DescribeAccessPoints", error);
            crate::aws::kit::none_if_gone(error)
        }
    }
}

/// The single block `name` of `attributes`, when present.
fn single_block<'a>(attributes: &'a Attributes, name: &str) -> Option<&'a BTreeMap<String, Value>> {
    attributes
        .get(name)
        .and_then(Value::as_list)
        .and_then(|blocks| blocks.first())
        .and_then(Value::as_map)
}

fn whole_number(block: &BTreeMap<String, Value>, name: &str) -> Result<i64, ProviderError> {
    block
        .get(name)
        .and_then(Value::as_f64)
        .filter(|number| number.fract() == 0.0 && *number >= 0.0)
        .map(|number| number as i64)
        .ok_or_else(|| ProviderError::invalid(name, "must be a whole number"))
}

fn posix_user(attributes: &Attributes) -> Result<Option<PosixUser>, ProviderError> {
    let Some(block) = single_block(attributes, "posix_user") else {
        return Ok(None);
    };
    let secondary: Vec<i64> = block
        .get("secondary_gids")
        .and_then(Value::as_list)
        .map(|gids| gids.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default();
    PosixUser::builder()
        .uid(whole_number(block, "uid")?)
        .gid(whole_number(block, "gid")?)
        .set_secondary_gids((!secondary.is_empty()).then_some(secondary))
        .build()
        .map(Some)
        .map_err(|error| ProviderError::invalid("posix_user", error.to_string()))
}

fn root_directory(attributes: &Attributes) -> Result<Option<RootDirectory>, ProviderError> {
    let Some(block) = single_block(attributes, "root_directory") else {
        return Ok(None);
    };
    let creation_info = match block
        .get("creation_info")
        .and_then(Value::as_list)
        .and_then(|blocks| blocks.first())
        .and_then(Value::as_map)
    {
        Some(info) => Some(
            CreationInfo::builder()
                .owner_uid(whole_number(info, "owner_uid")?)
                .owner_gid(whole_number(info, "owner_gid")?)
                .permissions(
                    info.get("permissions")
                        .and_then(Value::to_template_string)
                        .unwrap_or_default(),
                )
                .build()
                .map_err(|error| ProviderError::invalid("creation_info", error.to_string()))?,
        ),
        None => None,
    };
    Ok(Some(
        RootDirectory::builder()
            .set_path(block.get("path").and_then(Value::to_template_string))
            .set_creation_info(creation_info)
            .build(),
    ))
}

fn access_point_attributes(
    context: &ProviderContext,
    access_point: &AccessPointDescription,
) -> Attributes {
    let region = &context.aws().region;
    let file_system_id = access_point.file_system_id().unwrap_or_default();
    let owner = access_point.owner_id().unwrap_or_default();
    let mut attributes = Attributes::new();
    attributes.insert(
        "id".into(),
        Value::string(access_point.access_point_id().unwrap_or_default()),
    );
    attributes.insert(
        "arn".into(),
        access_point
            .access_point_arn()
            .map(Value::string)
            .unwrap_or_default(),
    );
    attributes.insert("file_system_id".into(), Value::string(file_system_id));
    attributes.insert(
        "file_system_arn".into(),
        Value::string(format!(
            "arn:aws:elasticfilesystem:{region}:{owner}:file-system/{file_system_id}"
        )),
    );
    attributes.insert("owner_id".into(), Value::string(owner));
    attributes.insert(
        "posix_user".into(),
        Value::List(
            access_point
                .posix_user()
                .map(|user| {
                    let mut block = BTreeMap::new();
                    block.insert("uid".to_string(), Value::Number(user.uid() as f64));
                    block.insert("gid".to_string(), Value::Number(user.gid() as f64));
                    block.insert(
                        "secondary_gids".to_string(),
                        if user.secondary_gids().is_empty() {
                            Value::Null
                        } else {
                            Value::List(
                                user.secondary_gids()
                                    .iter()
                                    .map(|gid| Value::Number(*gid as f64))
                                    .collect(),
                            )
                        },
                    );
                    Value::Map(block)
                })
                .into_iter()
                .collect(),
        ),
    );
    attributes.insert(
        "root_directory".into(),
        Value::List(
            access_point
                .root_directory()
                .map(|root| {
                    let mut block = BTreeMap::new();
                    block.insert(
                        "path".to_string(),
                        Value::string(root.path().unwrap_or("/")),
                    );
                    block.insert(
                        "creation_info".to_string(),
                        Value::List(
                            root.creation_info()
                                .map(|info| {
                                    let mut info_block = BTreeMap::new();
                                    info_block.insert(
                                        "owner_uid".to_string(),
                                        Value::Number(info.owner_uid() as f64),
                                    );
                                    info_block.insert(
                                        "owner_gid".to_string(),
                                        Value::Number(info.owner_gid() as f64),
                                    );
                                    info_block.insert(
                                        "permissions".to_string(),
                                        Value::string(info.permissions()),
                                    );
                                    Value::Map(info_block)
                                })
                                .into_iter()
                                .collect(),
                        ),
                    );
                    Value::Map(block)
                })
                .into_iter()
                .collect(),
        ),
    );
    let (tags, tags_all) =
        crate::aws::kit::tags::split_tags(context, tags_from_efs(access_point.tags()));
    attributes.insert("tags".into(), tags);
    attributes.insert("tags_all".into(), tags_all);
    attributes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: Vec<(&str, Value)>) -> Value {
        Value::Map(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    #[test]
    fn posix_user_and_root_directory_blocks_become_requests() {
        let mut attributes = Attributes::new();
        attributes.insert(
            "posix_user".into(),
            Value::List(vec![map(vec![
                ("uid", Value::Number(1000.0)),
                ("gid", Value::Number(1000.0)),
                ("secondary_gids", Value::Null),
            ])]),
        );
        attributes.insert(
            "root_directory".into(),
            Value::List(vec![map(vec![
                ("path", Value::string("/influxdb")),
                (
                    "creation_info",
                    Value::List(vec![map(vec![
                        ("owner_uid", Value::Number(1000.0)),
                        ("owner_gid", Value::Number(1000.0)),
                        ("permissions", Value::string("755")),
                    ])]),
                ),
            ])]),
        );
        let user = posix_user(&attributes).unwrap().unwrap();
        assert_eq!((user.uid(), user.gid()), (1000, 1000));
        assert!(user.secondary_gids().is_empty());
        let root = root_directory(&attributes).unwrap().unwrap();
        assert_eq!(root.path(), Some("/influxdb"));
        assert_eq!(
            root.creation_info().map(|info| info.permissions()),
            Some("755")
        );
        assert!(posix_user(&Attributes::new()).unwrap().is_none());
    }

    #[test]
    fn a_fractional_uid_is_refused() {
        let mut attributes = Attributes::new();
        attributes.insert(
            "posix_user".into(),
            Value::List(vec![map(vec![
                ("uid", Value::Number(1.5)),
                ("gid", Value::Number(1.0)),
            ])]),
        );
        assert!(posix_user(&attributes).is_err());
    }
}
