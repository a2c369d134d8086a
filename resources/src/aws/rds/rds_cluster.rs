//! `aws_rds_cluster`: an Aurora cluster (Aurora Serverless v2 through
//! `serverlessv2_scaling_configuration` and `db.serverless` instances).
//!
//! AWS calls: CreateDBCluster (tags in the same call), DescribeDBClusters (status, tags,
//! `MasterUserSecret`), ModifyDBCluster (only what changed, with `ApplyImmediately` from
//! `apply_immediately` and `AllowMajorVersionUpgrade` when the major engine version changes or
//! `allow_major_version_upgrade` is set), AddTagsToResource / RemoveTagsFromResource,
//! DeleteDBCluster (`SkipFinalSnapshot` or `FinalDBSnapshotIdentifier`).
//!
//! Replacement: a change of `cluster_identifier`, `engine`, `engine_mode`, `database_name`,
//! `master_username`, `db_subnet_group_name`, `storage_encrypted`, `kms_key_id` or
//! `availability_zones` (AWS may add a third zone to the two a spec names, as with Terraform:
//! leave the argument out or add it to `ignore_changes`). An `engine_version` change is an
//! update (ModifyDBCluster), not a replacement; so are IAM database authentication and the
//! Performance Insights settings.
//!
//! Readiness: create and every modify wait (own polling, `wait::until`) until the cluster's
//! status is `available` again.
//!
//! Passwords: `master_password` is sensitive and never read back (AWS does not return it);
//! with `manage_master_user_password = true` RDS keeps the password in Secrets Manager and the
//! secret's ARN is exported as `master_user_secret[0].secret_arn`.
//!
//! Deletion: refused while AWS reports deletion protection on, with an error that names
//! `deletion_protection` (turn it off in the spec and apply first). Otherwise a final snapshot
//! named `final_snapshot_identifier` is taken unless `skip_final_snapshot = true` (as in
//! Terraform, one of the two is needed), and delete waits until the cluster is gone.
//!
//! Recovery: the identifier is deterministic; `recover` adopts a cluster of that identifier
//! only when it carries this stack's `provision:*` tags.
//!
//! moto 5.2.1: answers `creating` once, then `available`; modifies at once; does not require
//! `FinalDBSnapshotIdentifier` when `SkipFinalSnapshot` is false (the provider checks it).
//!
//! Drift: `list_managed` is GetResources of the Resource Groups Tagging API (`rds:cluster`).

use crate::aws::kit::recovery;
use crate::aws::kit::ResultExt;
use crate::aws::kit::tags::sync_tags;
use crate::aws::AwsContext;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_rds::types::{
    CloudwatchLogsExportConfiguration, DbCluster, ServerlessV2ScalingConfiguration,
};

use crate::aws::kit::attributes::{optional_bool, optional_string, required_string, string_list, string_list_value};
use crate::aws::kit::attributes::{optional_i32};
use crate::aws::rds::common;
use crate::aws::kit::sdk_error;
use crate::aws::kit::wait::{self, Poll};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

/// How long a cluster may take to become available (after create or modify) or to go.
const LIMIT: Duration = Duration::from_secs(120 * 60);

/// Attributes that exist only in the spec (AWS never returns them): `read` keeps the prior.
const LOCAL_ATTRIBUTES: [&str; 5] = [
    "master_password",
    "skip_final_snapshot",
    "final_snapshot_identifier",
    "apply_immediately",
    "allow_major_version_upgrade",
];

pub struct RdsCluster {
    schema: Schema,
}

impl RdsCluster {
    pub fn new() -> Self {
        let scaling = Schema::new(vec![
            Attribute::required("min_capacity", AttrType::Number)
                .describe("Minimum Aurora capacity units (0 to 256, steps of 0.5)."),
            Attribute::required("max_capacity", AttrType::Number)
                .describe("Maximum Aurora capacity units (1 to 256, steps of 0.5)."),
            Attribute::optional_computed("seconds_until_auto_pause", AttrType::Number)
                .describe("With min_capacity = 0: idle seconds before the cluster pauses."),
        ]);
        RdsCluster {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The cluster identifier."),
                Attribute::required("cluster_identifier", AttrType::String).force_new(),
                Attribute::required("engine", AttrType::String)
                    .force_new()
                    .describe("`aurora-postgresql` or `aurora-mysql`."),
                Attribute::optional_computed("engine_version", AttrType::String)
                    .describe("Changing it upgrades the cluster in place."),
                Attribute::optional("engine_mode", AttrType::String)
                    .default("provisioned")
                    .force_new(),
                Attribute::optional_computed("database_name", AttrType::String).force_new(),
                Attribute::optional_computed("master_username", AttrType::String).force_new(),
                Attribute::optional("master_password", AttrType::String)
                    .sensitive()
                    .describe("Never read back from AWS."),
                Attribute::optional("manage_master_user_password", AttrType::Bool)
                    .describe("Let RDS keep the master password in Secrets Manager."),
                Attribute::optional_computed("master_user_secret_kms_key_id", AttrType::String),
                Attribute::computed(
                    "master_user_secret",
                    AttrType::List(Box::new(AttrType::map_of_strings())),
                )
                .describe(
                    "[{secret_arn, secret_status, kms_key_id}] when RDS manages the password.",
                ),
                Attribute::optional_computed("port", AttrType::Number),
                Attribute::optional_computed("db_subnet_group_name", AttrType::String).force_new(),
                Attribute::optional_computed("vpc_security_group_ids", AttrType::set_of_strings()),
                Attribute::optional_computed("db_cluster_parameter_group_name", AttrType::String),
                Attribute::optional_computed("storage_encrypted", AttrType::Bool).force_new(),
                Attribute::optional_computed("kms_key_id", AttrType::String).force_new(),
                Attribute::optional("backup_retention_period", AttrType::Number).default(1),
                Attribute::optional_computed("preferred_backup_window", AttrType::String),
                Attribute::optional_computed("preferred_maintenance_window", AttrType::String),
                Attribute::optional("deletion_protection", AttrType::Bool).default(false),
                Attribute::optional("skip_final_snapshot", AttrType::Bool).default(false),
                Attribute::optional("final_snapshot_identifier", AttrType::String),
                Attribute::optional("copy_tags_to_snapshot", AttrType::Bool).default(false),
                Attribute::optional(
                    "enabled_cloudwatch_logs_exports",
                    AttrType::set_of_strings(),
                ),
                Attribute::optional("apply_immediately", AttrType::Bool)
                    .describe("Apply modifications now rather than in the maintenance window."),
                Attribute::optional("allow_major_version_upgrade", AttrType::Bool),
                Attribute::optional_computed("availability_zones", AttrType::set_of_strings())
                    .force_new(),
                Attribute::optional_computed("iam_database_authentication_enabled", AttrType::Bool),
                Attribute::optional_computed("performance_insights_enabled", AttrType::Bool),
                Attribute::optional_computed("performance_insights_kms_key_id", AttrType::String),
                Attribute::optional_computed(
                    "performance_insights_retention_period",
                    AttrType::Number,
                ),
                Attribute::computed("arn", AttrType::String),
                Attribute::computed("endpoint", AttrType::String),
                Attribute::computed("reader_endpoint", AttrType::String),
                Attribute::computed("cluster_resource_id", AttrType::String),
                Attribute::computed("hosted_zone_id", AttrType::String),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ])
            .with_block(NestedBlock {
                name: "serverlessv2_scaling_configuration",
                nesting: BlockNesting::Single,
                schema: scaling,
                force_new: false,
                computed: false,
            }),
        }
    }
}

impl Default for RdsCluster {
    fn default() -> Self {
        RdsCluster::new()
    }
}

#[async_trait]
impl Resource for RdsCluster {
    fn type_name(&self) -> &'static str {
        "aws_rds_cluster"
    }

    fn import_id(&self) -> String {
        "cluster identifier".to_string()
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
            "rds:cluster",
            ArnId::After("cluster:"),
        )
        .await
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let identifier = required_string(desired, "cluster_identifier")?;
        let managed = optional_bool(desired, "manage_master_user_password").unwrap_or(false);
        let password = optional_string(desired, "master_password");
        if managed && password.is_some() {
            return Err(ProviderError::invalid(
                "master_password",
                "cannot be set together with manage_master_user_password = true",
            ));
        }
        let security_groups = string_list(desired, "vpc_security_group_ids");
        let exports = string_list(desired, "enabled_cloudwatch_logs_exports");
        let output = context
            .aws()
            .rds
            .create_db_cluster()
            .db_cluster_identifier(&identifier)
            .engine(required_string(desired, "engine")?)
            .set_engine_version(optional_string(desired, "engine_version"))
            .set_engine_mode(optional_string(desired, "engine_mode"))
            .set_database_name(optional_string(desired, "database_name"))
            .set_master_username(optional_string(desired, "master_username"))
            .set_master_user_password(password)
            .set_manage_master_user_password(managed.then_some(true))
            .set_master_user_secret_kms_key_id(optional_string(
                desired,
                "master_user_secret_kms_key_id",
            ))
            .set_port(optional_i32(desired, "port").ok().flatten())
            .set_db_subnet_group_name(optional_string(desired, "db_subnet_group_name"))
            .set_vpc_security_group_ids((!security_groups.is_empty()).then_some(security_groups))
            .set_db_cluster_parameter_group_name(optional_string(
                desired,
                "db_cluster_parameter_group_name",
            ))
            .set_storage_encrypted(optional_bool(desired, "storage_encrypted"))
            .set_kms_key_id(optional_string(desired, "kms_key_id"))
            .set_backup_retention_period(optional_i32(desired, "backup_retention_period").ok().flatten())
            .set_preferred_backup_window(optional_string(desired, "preferred_backup_window"))
            .set_preferred_maintenance_window(optional_string(
                desired,
                "preferred_maintenance_window",
            ))
            .deletion_protection(optional_bool(desired, "deletion_protection").unwrap_or(false))
            .copy_tags_to_snapshot(optional_bool(desired, "copy_tags_to_snapshot").unwrap_or(false))
            .set_enable_cloudwatch_logs_exports((!exports.is_empty()).then_some(exports))
            .set_serverless_v2_scaling_configuration(scaling_configuration(desired)?)
            .set_availability_zones({
                let zones = string_list(desired, "availability_zones");
                (!zones.is_empty()).then_some(zones)
            })
            .set_enable_iam_database_authentication(optional_bool(
                desired,
                "iam_database_authentication_enabled",
            ))
            .set_enable_performance_insights(optional_bool(desired, "performance_insights_enabled"))
            .set_performance_insights_kms_key_id(optional_string(
                desired,
                "performance_insights_kms_key_id",
            ))
            .set_performance_insights_retention_period(optional_i32(
                desired,
                "performance_insights_retention_period",
            )?)
            .set_tags(Some(common::rds_tags(context, desired)))
            .send()
            .await
            .map_err(|error| sdk_error("CreateDBCluster", error))?;
        let cluster = output
            .db_cluster()
            .ok_or_else(|| crate::aws::kit::empty_answer("CreateDBCluster", "cluster"))?;
        Ok(cluster_attributes(context, cluster, desired))
    }

    async fn wait_until_ready(
        &self,
        context: &ProviderContext,
        created: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let id = required_string(created, "id")?;
        let cluster = wait_available(context, &id).await?;
        Ok(cluster_attributes(context, &cluster, created))
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        Ok(describe(context, id)
            .await?
            .map(|cluster| cluster_attributes(context, &cluster, prior)))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        if let Some(request) = modification(prior, desired)? {
            request
                .apply(
                    context
                        .aws()
                        .rds
                        .modify_db_cluster()
                        .db_cluster_identifier(id),
                )
                .send()
                .await
                .map_err(|error| sdk_error("ModifyDBCluster", error))?;
        }
        let arn = required_string(prior, "arn")?;
        sync_tags(&common::RdsTags, context, &arn, prior, desired).await?;
        let cluster = wait_available(context, id).await?;
        Ok(cluster_attributes(context, &cluster, desired))
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let Some(cluster) = describe(context, id).await? else {
            return Ok(());
        };
        if cluster.deletion_protection() == Some(true) {
            return Err(deletion_protected(id));
        }
        let skip = optional_bool(prior, "skip_final_snapshot").unwrap_or(false);
        let snapshot = optional_string(prior, "final_snapshot_identifier");
        if !skip && snapshot.is_none() {
            return Err(ProviderError::invalid(
                "final_snapshot_identifier",
                format!(
                    "RDS cluster {id} needs a final_snapshot_identifier to be destroyed, \
                     or skip_final_snapshot = true (set one in the spec and apply first)"
                ),
            ));
        }
        let result = context
            .aws()
            .rds
            .delete_db_cluster()
            .db_cluster_identifier(id)
            .skip_final_snapshot(skip)
            .set_final_db_snapshot_identifier(if skip { None } else { snapshot })
            .send()
            .await
            .map_err(|error| sdk_error("DeleteDBCluster", error))
            .not_found_as_none();
        match result {
            Ok(Some(_)) => {}
            Ok(None) => return Ok(()),
            // Turned on between the describe and the delete.
            Err(error)
                if error.code() == Some("InvalidParameterCombination")
                    && error
                        .to_string()
                        .to_lowercase()
                        .contains("deletion protection") =>
            {
                return Err(deletion_protected(id));
            }
            Err(error) => return Err(error),
        }
        wait::until(
            &format!("RDS cluster {id} to be deleted"),
            LIMIT,
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
        let identifier = required_string(desired, "cluster_identifier")?;
        let found = describe(context, &identifier).await?;
        let Some(cluster) =
            recovery::owned(context, found, |cluster| common::from_rds(cluster.tag_list()))
        else {
            return Ok(None);
        };
        Ok(Some(cluster_attributes(context, &cluster, desired)))
    }
}

fn deletion_protected(id: &str) -> ProviderError {
    ProviderError::Refused(format!(
        "RDS cluster {id} has deletion_protection = true, so AWS will not delete it: set \
         deletion_protection = false in the spec, run apply, then destroy again"
    ))
}

/// The `serverlessv2_scaling_configuration` block as the SDK type.
fn scaling_configuration(
    attributes: &Attributes,
) -> Result<Option<ServerlessV2ScalingConfiguration>, ProviderError> {
    let Some(block) = attributes
        .get("serverlessv2_scaling_configuration")
        .and_then(Value::as_list)
        .and_then(|blocks| blocks.first())
    else {
        return Ok(None);
    };
    let number = |name: &str| block.get(name).and_then(Value::as_f64);
    let min = number("min_capacity").ok_or_else(|| {
        ProviderError::invalid(
            "serverlessv2_scaling_configuration.min_capacity",
            "is required",
        )
    })?;
    let max = number("max_capacity").ok_or_else(|| {
        ProviderError::invalid(
            "serverlessv2_scaling_configuration.max_capacity",
            "is required",
        )
    })?;
    if min > max {
        return Err(ProviderError::invalid(
            "serverlessv2_scaling_configuration.min_capacity",
            format!("{min} is above max_capacity {max}"),
        ));
    }
    Ok(Some(
        ServerlessV2ScalingConfiguration::builder()
            .min_capacity(min)
            .max_capacity(max)
            .set_seconds_until_auto_pause(
                number("seconds_until_auto_pause").map(|seconds| seconds as i32),
            )
            .build(),
    ))
}

/// The major part of an engine version: `15` of `15.4`, `8.0` of `8.0.mysql_aurora.3.05.2`,
/// `5.7` of `5.7.mysql_aurora.2.11.2`.
fn major_version(version: &str) -> String {
    let mut parts = version.split('.');
    let first = parts.next().unwrap_or_default();
    match first.parse::<u32>() {
        Ok(number) if number >= 10 => first.to_string(),
        _ => match parts.next() {
            Some(second) => format!("{first}.{second}"),
            None => first.to_string(),
        },
    }
}

/// What ModifyDBCluster has to send to go from `prior` to `desired` (`None`: nothing).
#[derive(Debug, Default, PartialEq)]
struct Modification {
    apply_immediately: bool,
    engine_version: Option<String>,
    allow_major_version_upgrade: bool,
    master_user_password: Option<String>,
    manage_master_user_password: Option<bool>,
    port: Option<i32>,
    vpc_security_group_ids: Option<Vec<String>>,
    db_cluster_parameter_group_name: Option<String>,
    backup_retention_period: Option<i32>,
    preferred_backup_window: Option<String>,
    preferred_maintenance_window: Option<String>,
    deletion_protection: Option<bool>,
    copy_tags_to_snapshot: Option<bool>,
    enable_logs: Vec<String>,
    disable_logs: Vec<String>,
    scaling: Option<(f64, f64, Option<i32>)>,
    iam_database_authentication: Option<bool>,
    performance_insights: Option<bool>,
    performance_insights_kms_key_id: Option<String>,
    performance_insights_retention_period: Option<i32>,
}

impl Modification {
    fn apply(
        self,
        request: aws_sdk_rds::operation::modify_db_cluster::builders::ModifyDBClusterFluentBuilder,
    ) -> aws_sdk_rds::operation::modify_db_cluster::builders::ModifyDBClusterFluentBuilder {
        let logs = (!self.enable_logs.is_empty() || !self.disable_logs.is_empty()).then(|| {
            CloudwatchLogsExportConfiguration::builder()
                .set_enable_log_types(Some(self.enable_logs))
                .set_disable_log_types(Some(self.disable_logs))
                .build()
        });
        request
            .apply_immediately(self.apply_immediately)
            .set_engine_version(self.engine_version)
            .set_allow_major_version_upgrade(self.allow_major_version_upgrade.then_some(true))
            .set_master_user_password(self.master_user_password)
            .set_manage_master_user_password(self.manage_master_user_password)
            .set_port(self.port)
            .set_vpc_security_group_ids(self.vpc_security_group_ids)
            .set_db_cluster_parameter_group_name(self.db_cluster_parameter_group_name)
            .set_backup_retention_period(self.backup_retention_period)
            .set_preferred_backup_window(self.preferred_backup_window)
            .set_preferred_maintenance_window(self.preferred_maintenance_window)
            .set_deletion_protection(self.deletion_protection)
            .set_copy_tags_to_snapshot(self.copy_tags_to_snapshot)
            .set_cloudwatch_logs_export_configuration(logs)
            .set_enable_iam_database_authentication(self.iam_database_authentication)
            .set_enable_performance_insights(self.performance_insights)
            .set_performance_insights_kms_key_id(self.performance_insights_kms_key_id)
            .set_performance_insights_retention_period(self.performance_insights_retention_period)
            .set_serverless_v2_scaling_configuration(self.scaling.map(|(min, max, pause)| {
                ServerlessV2ScalingConfiguration::builder()
                    .min_capacity(min)
                    .max_capacity(max)
                    .set_seconds_until_auto_pause(pause)
                    .build()
            }))
    }
}

/// Compares `prior` with `desired`; only changed settings are sent.
fn modification(
    prior: &Attributes,
    desired: &Attributes,
) -> Result<Option<Modification>, ProviderError> {
    fn changed<T: PartialEq>(prior: Option<T>, desired: Option<T>) -> Option<T> {
        match desired {
            Some(value) if prior.as_ref() != Some(&value) => Some(value),
            _ => None,
        }
    }
    let mut modification = Modification {
        apply_immediately: optional_bool(desired, "apply_immediately").unwrap_or(false),
        ..Modification::default()
    };
    if let Some(version) = changed(
        optional_string(prior, "engine_version"),
        optional_string(desired, "engine_version"),
    ) {
        let prior_major = optional_string(prior, "engine_version").map(|v| major_version(&v));
        modification.allow_major_version_upgrade =
            optional_bool(desired, "allow_major_version_upgrade").unwrap_or(false)
                || prior_major.is_some_and(|major| major != major_version(&version));
        modification.engine_version = Some(version);
    }
    modification.master_user_password = changed(
        optional_string(prior, "master_password"),
        optional_string(desired, "master_password"),
    );
    modification.manage_master_user_password = changed(
        Some(optional_bool(prior, "manage_master_user_password").unwrap_or(false)),
        optional_bool(desired, "manage_master_user_password"),
    );
    modification.port = changed(optional_i32(prior, "port").ok().flatten(), optional_i32(desired, "port").ok().flatten());
    let mut prior_groups = string_list(prior, "vpc_security_group_ids");
    let mut desired_groups = string_list(desired, "vpc_security_group_ids");
    prior_groups.sort();
    desired_groups.sort();
    if desired
        .get("vpc_security_group_ids")
        .is_some_and(|v| !v.is_null())
        && prior_groups != desired_groups
    {
        modification.vpc_security_group_ids = Some(desired_groups);
    }
    modification.db_cluster_parameter_group_name = changed(
        optional_string(prior, "db_cluster_parameter_group_name"),
        optional_string(desired, "db_cluster_parameter_group_name"),
    );
    modification.backup_retention_period = changed(
        optional_i32(prior, "backup_retention_period").ok().flatten(),
        optional_i32(desired, "backup_retention_period").ok().flatten(),
    );
    modification.preferred_backup_window = changed(
        optional_string(prior, "preferred_backup_window"),
        optional_string(desired, "preferred_backup_window"),
    );
    modification.preferred_maintenance_window = changed(
        optional_string(prior, "preferred_maintenance_window"),
        optional_string(desired, "preferred_maintenance_window"),
    );
    modification.deletion_protection = changed(
        Some(optional_bool(prior, "deletion_protection").unwrap_or(false)),
        Some(optional_bool(desired, "deletion_protection").unwrap_or(false)),
    );
    modification.copy_tags_to_snapshot = changed(
        Some(optional_bool(prior, "copy_tags_to_snapshot").unwrap_or(false)),
        Some(optional_bool(desired, "copy_tags_to_snapshot").unwrap_or(false)),
    );
    modification.iam_database_authentication = changed(
        optional_bool(prior, "iam_database_authentication_enabled"),
        optional_bool(desired, "iam_database_authentication_enabled"),
    );
    modification.performance_insights = changed(
        optional_bool(prior, "performance_insights_enabled"),
        optional_bool(desired, "performance_insights_enabled"),
    );
    modification.performance_insights_kms_key_id = changed(
        optional_string(prior, "performance_insights_kms_key_id"),
        optional_string(desired, "performance_insights_kms_key_id"),
    );
    modification.performance_insights_retention_period = changed(
        optional_i32(prior, "performance_insights_retention_period")
            .ok()
            .flatten(),
        optional_i32(desired, "performance_insights_retention_period")
            .ok()
            .flatten(),
    );
    let prior_logs = string_list(prior, "enabled_cloudwatch_logs_exports");
    let desired_logs = string_list(desired, "enabled_cloudwatch_logs_exports");
    modification.enable_logs = desired_logs
        .iter()
        .filter(|log| !prior_logs.contains(log))
        .cloned()
        .collect();
    modification.disable_logs = prior_logs
        .iter()
        .filter(|log| !desired_logs.contains(log))
        .cloned()
        .collect();
    let scaling = |attributes: &Attributes| {
        scaling_configuration(attributes).map(|config| {
            config.map(|config| {
                (
                    config.min_capacity().unwrap_or_default(),
                    config.max_capacity().unwrap_or_default(),
                    config.seconds_until_auto_pause(),
                )
            })
        })
    };
    let prior_scaling = scaling(prior)?;
    if let Some((min, max, pause)) = scaling(desired)? {
        let same = prior_scaling.is_some_and(|(prior_min, prior_max, prior_pause)| {
            prior_min == min && prior_max == max && (pause.is_none() || pause == prior_pause)
        });
        if !same {
            modification.scaling = Some((min, max, pause));
        }
    }
    let nothing = Modification {
        apply_immediately: modification.apply_immediately,
        ..Modification::default()
    };
    Ok((modification != nothing).then_some(modification))
}

async fn describe(context: &ProviderContext, id: &str) -> Result<Option<DbCluster>, ProviderError> {
    let result = context
        .aws()
        .rds
        .describe_db_clusters()
        .db_cluster_identifier(id)
        .send()
        .await
        .map_err(|error| sdk_error("DescribeDBClusters", error));
    Ok(crate::aws::kit::found(result)?.and_then(|output| output.db_clusters().first().cloned()))
}

/// Polls until the cluster's status is `available`.
async fn wait_available(context: &ProviderContext, id: &str) -> Result<DbCluster, ProviderError> {
    wait::until(
        &format!("RDS cluster {id} to become available"),
        LIMIT,
        || async {
            match describe(context, id).await? {
                Some(cluster) if cluster.status() == Some("available") => Ok(Poll::Ready(cluster)),
                Some(_) => Ok(Poll::Pending),
                None => Err(ProviderError::Refused(format!(
                    "RDS cluster {id} disappeared while waiting for it to become available"
                ))),
            }
        },
    )
    .await
}

fn cluster_attributes(
    context: &ProviderContext,
    cluster: &DbCluster,
    prior: &Attributes,
) -> Attributes {
    let mut attributes = Attributes::new();
    let text = |value: Option<&str>| -> Value { value.map(str::to_string).into() };
    let identifier = cluster.db_cluster_identifier().unwrap_or_default();
    attributes.insert("id".into(), Value::string(identifier));
    attributes.insert("cluster_identifier".into(), Value::string(identifier));
    attributes.insert("engine".into(), text(cluster.engine()));
    attributes.insert("engine_version".into(), text(cluster.engine_version()));
    attributes.insert(
        "engine_mode".into(),
        Value::string(cluster.engine_mode().unwrap_or("provisioned")),
    );
    attributes.insert("database_name".into(), text(cluster.database_name()));
    attributes.insert("master_username".into(), text(cluster.master_username()));
    let secret = cluster
        .master_user_secret()
        .filter(|secret| secret.secret_arn().is_some());
    attributes.insert(
        "manage_master_user_password".into(),
        match secret {
            Some(_) => Value::Bool(true),
            None => match prior.get("manage_master_user_password") {
                Some(Value::Bool(true)) | None => Value::Null,
                Some(other) => other.clone(),
            },
        },
    );
    attributes.insert(
        "master_user_secret_kms_key_id".into(),
        text(secret.and_then(|secret| secret.kms_key_id())),
    );
    attributes.insert(
        "master_user_secret".into(),
        Value::List(
            secret
                .map(|secret| {
                    Value::Map(
                        [
                            ("secret_arn", secret.secret_arn()),
                            ("secret_status", secret.secret_status()),
                            ("kms_key_id", secret.kms_key_id()),
                        ]
                        .into_iter()
                        .map(|(key, value)| (key.to_string(), text(value)))
                        .collect(),
                    )
                })
                .into_iter()
                .collect(),
        ),
    );
    attributes.insert(
        "port".into(),
        cluster.port().map(Value::from).unwrap_or_default(),
    );
    attributes.insert(
        "db_subnet_group_name".into(),
        text(cluster.db_subnet_group()),
    );
    attributes.insert(
        "vpc_security_group_ids".into(),
        string_list_value(
            cluster
                .vpc_security_groups()
                .iter()
                .filter_map(|group| group.vpc_security_group_id()),
        ),
    );
    attributes.insert(
        "db_cluster_parameter_group_name".into(),
        text(cluster.db_cluster_parameter_group()),
    );
    attributes.insert(
        "storage_encrypted".into(),
        Value::Bool(cluster.storage_encrypted().unwrap_or(false)),
    );
    attributes.insert("kms_key_id".into(), text(cluster.kms_key_id()));
    attributes.insert(
        "backup_retention_period".into(),
        cluster
            .backup_retention_period()
            .map(Value::from)
            .unwrap_or_default(),
    );
    attributes.insert(
        "preferred_backup_window".into(),
        text(cluster.preferred_backup_window()),
    );
    attributes.insert(
        "preferred_maintenance_window".into(),
        text(cluster.preferred_maintenance_window()),
    );
    attributes.insert(
        "deletion_protection".into(),
        Value::Bool(cluster.deletion_protection().unwrap_or(false)),
    );
    attributes.insert(
        "copy_tags_to_snapshot".into(),
        Value::Bool(cluster.copy_tags_to_snapshot().unwrap_or(false)),
    );
    let exports = cluster.enabled_cloudwatch_logs_exports();
    attributes.insert(
        "enabled_cloudwatch_logs_exports".into(),
        if exports.is_empty() {
            prior
                .get("enabled_cloudwatch_logs_exports")
                .filter(|value| value.is_null())
                .cloned()
                .unwrap_or_else(|| Value::List(Vec::new()))
        } else {
            string_list_value(exports)
        },
    );
    attributes.insert(
        "availability_zones".into(),
        string_list_value(cluster.availability_zones()),
    );
    attributes.insert(
        "iam_database_authentication_enabled".into(),
        Value::Bool(
            cluster
                .iam_database_authentication_enabled()
                .unwrap_or(false),
        ),
    );
    attributes.insert(
        "performance_insights_enabled".into(),
        Value::Bool(cluster.performance_insights_enabled().unwrap_or(false)),
    );
    attributes.insert(
        "performance_insights_kms_key_id".into(),
        text(cluster.performance_insights_kms_key_id()),
    );
    attributes.insert(
        "performance_insights_retention_period".into(),
        cluster
            .performance_insights_retention_period()
            .map(Value::from)
            .unwrap_or_default(),
    );
    attributes.insert("arn".into(), text(cluster.db_cluster_arn()));
    attributes.insert("endpoint".into(), text(cluster.endpoint()));
    attributes.insert("reader_endpoint".into(), text(cluster.reader_endpoint()));
    attributes.insert(
        "cluster_resource_id".into(),
        text(cluster.db_cluster_resource_id()),
    );
    attributes.insert("hosted_zone_id".into(), text(cluster.hosted_zone_id()));
    attributes.insert(
        "serverlessv2_scaling_configuration".into(),
        Value::List(
            cluster
                .serverless_v2_scaling_configuration()
                .filter(|config| config.max_capacity().is_some())
                .map(|config| {
                    let mut block = std::collections::BTreeMap::new();
                    block.insert(
                        "min_capacity".to_string(),
                        config.min_capacity().map(Value::from).unwrap_or_default(),
                    );
                    block.insert(
                        "max_capacity".to_string(),
                        config.max_capacity().map(Value::from).unwrap_or_default(),
                    );
                    block.insert(
                        "seconds_until_auto_pause".to_string(),
                        config
                            .seconds_until_auto_pause()
                            .map(Value::from)
                            .unwrap_or_default(),
                    );
                    Value::Map(block)
                })
                .into_iter()
                .collect(),
        ),
    );
    for name in LOCAL_ATTRIBUTES {
        attributes.insert(name.into(), prior.get(name).cloned().unwrap_or_default());
    }
    common::put_tags(context, &mut attributes, cluster.tag_list());
    attributes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attributes(pairs: &[(&str, Value)]) -> Attributes {
        pairs
            .iter()
            .map(|(key, value)| (key.to_string(), value.clone()))
            .collect()
    }

    fn scaling(min: f64, max: f64) -> Value {
        Value::List(vec![Value::Map(
            [
                ("min_capacity".to_string(), Value::Number(min)),
                ("max_capacity".to_string(), Value::Number(max)),
            ]
            .into(),
        )])
    }

    #[test]
    fn major_versions_of_postgres_and_mysql() {
        assert_eq!(major_version("15.4"), "15");
        assert_eq!(major_version("16.1"), "16");
        assert_eq!(major_version("8.0.mysql_aurora.3.05.2"), "8.0");
        assert_eq!(major_version("5.7.mysql_aurora.2.11.2"), "5.7");
        assert_eq!(major_version("9.6.22"), "9.6");
    }

    #[test]
    fn major_upgrade_allows_major_version_upgrade_and_minor_does_not() {
        let prior = attributes(&[("engine_version", Value::string("15.4"))]);
        let major = modification(
            &prior,
            &attributes(&[("engine_version", Value::string("16.1"))]),
        )
        .unwrap()
        .unwrap();
        assert_eq!(major.engine_version.as_deref(), Some("16.1"));
        assert!(major.allow_major_version_upgrade);
        let minor = modification(
            &prior,
            &attributes(&[("engine_version", Value::string("15.5"))]),
        )
        .unwrap()
        .unwrap();
        assert!(!minor.allow_major_version_upgrade);
    }

    #[test]
    fn max_capacity_change_is_the_only_thing_sent() {
        let prior = attributes(&[
            ("serverlessv2_scaling_configuration", scaling(2.0, 4.0)),
            ("deletion_protection", Value::Bool(false)),
            ("engine_version", Value::string("15.4")),
        ]);
        let desired = attributes(&[
            ("serverlessv2_scaling_configuration", scaling(2.0, 8.0)),
            ("deletion_protection", Value::Bool(false)),
            ("apply_immediately", Value::Bool(true)),
        ]);
        let found = modification(&prior, &desired).unwrap().unwrap();
        assert_eq!(
            found,
            Modification {
                apply_immediately: true,
                scaling: Some((2.0, 8.0, None)),
                ..Modification::default()
            }
        );
        assert!(modification(&prior, &prior).unwrap().is_none());
    }

    #[test]
    fn deletion_protection_and_logs_changes() {
        let prior = attributes(&[
            ("deletion_protection", Value::Bool(true)),
            (
                "enabled_cloudwatch_logs_exports",
                string_list_value(["postgresql"]),
            ),
        ]);
        let found = modification(&prior, &Attributes::new()).unwrap().unwrap();
        assert_eq!(found.deletion_protection, Some(false));
        assert_eq!(found.disable_logs, vec!["postgresql".to_string()]);
        assert!(found.enable_logs.is_empty());
    }

    #[test]
    fn min_above_max_is_refused() {
        assert!(scaling_configuration(&attributes(&[(
            "serverlessv2_scaling_configuration",
            scaling(8.0, 4.0)
        )]))
        .is_err());
    }

    #[test]
    fn protection_error_names_the_attribute() {
        assert!(deletion_protected("db")
            .to_string()
            .contains("deletion_protection = false"));
    }

    #[test]
    fn schema_replaces_on_identifier_and_engine_and_updates_version() {
        let cluster = RdsCluster::new();
        let schema = cluster.schema();
        for name in ["cluster_identifier", "engine"] {
            assert!(
                schema.attribute(name).is_some_and(|a| a.force_new),
                "{name}"
            );
        }
        assert!(schema
            .attribute("engine_version")
            .is_some_and(|a| !a.force_new));
        assert!(schema
            .attribute("master_password")
            .is_some_and(|a| a.sensitive));
    }
}
