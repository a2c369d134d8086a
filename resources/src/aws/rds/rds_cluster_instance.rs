//! `aws_rds_cluster_instance`: an instance of an Aurora cluster (`db.serverless` for Aurora
//! Serverless v2).
//!
//! AWS calls: DescribeDBClusters (the cluster's engine when `engine` is left out),
//! CreateDBInstance (with `DBClusterIdentifier`, tags in the same call), DescribeDBInstances,
//! ModifyDBInstance (class, promotion tier, performance insights, monitoring, parameter group,
//! public access, minor upgrades; `ApplyImmediately` from `apply_immediately`),
//! AddTagsToResource / RemoveTagsFromResource, DeleteDBInstance.
//!
//! Replacement: a change of `identifier`, `cluster_identifier`, `engine`,
//! `db_subnet_group_name` or `availability_zone`.
//!
//! Readiness: create and modify wait until the instance status is `available`; delete waits
//! until it is gone (the cluster cannot be deleted while it has members).
//!
//! Recovery: the identifier is deterministic; adopted only with this stack's `provision:*` tags.
//!
//! moto 5.2.1: instances are `available` at once; DescribeDBInstances answers neither
//! `PerformanceInsightsEnabled` nor `MonitoringInterval` for cluster members, so `read` keeps the
//! prior value when AWS leaves a field out (the tests cannot show these two switches in AWS).
//!
//! Drift: `list_managed` is GetResources of the Resource Groups Tagging API (`rds:db`).

use crate::aws::kit::recovery;
use crate::aws::kit::tags::sync_tags;
use crate::aws::AwsContext;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_rds::types::DbInstance;

use crate::aws::kit::attributes::{optional_bool, optional_string, required_string};
use crate::aws::kit::attributes::{optional_i32};
use crate::aws::rds::common;
use crate::aws::kit::sdk_error;
use crate::aws::kit::wait::{self, Poll};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

const LIMIT: Duration = Duration::from_secs(90 * 60);

pub struct RdsClusterInstance {
    schema: Schema,
}

impl RdsClusterInstance {
    pub fn new() -> Self {
        RdsClusterInstance {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The instance identifier."),
                Attribute::required("identifier", AttrType::String).force_new(),
                Attribute::required("cluster_identifier", AttrType::String).force_new(),
                Attribute::required("instance_class", AttrType::String)
                    .describe("`db.serverless` for Aurora Serverless v2."),
                Attribute::optional_computed("engine", AttrType::String)
                    .force_new()
                    .describe("Taken from the cluster when left out."),
                Attribute::optional_computed("engine_version", AttrType::String),
                Attribute::optional("promotion_tier", AttrType::Number).default(0),
                Attribute::optional("performance_insights_enabled", AttrType::Bool).default(false),
                Attribute::optional_computed(
                    "performance_insights_retention_period",
                    AttrType::Number,
                ),
                Attribute::optional("monitoring_interval", AttrType::Number)
                    .default(0)
                    .describe("Enhanced monitoring interval in seconds (0 = off)."),
                Attribute::optional_computed("monitoring_role_arn", AttrType::String),
                Attribute::optional("publicly_accessible", AttrType::Bool).default(false),
                Attribute::optional("auto_minor_version_upgrade", AttrType::Bool).default(true),
                Attribute::optional_computed("db_subnet_group_name", AttrType::String).force_new(),
                Attribute::optional_computed("db_parameter_group_name", AttrType::String),
                Attribute::optional_computed("availability_zone", AttrType::String).force_new(),
                Attribute::optional("apply_immediately", AttrType::Bool),
                Attribute::computed("arn", AttrType::String),
                Attribute::computed("endpoint", AttrType::String),
                Attribute::computed("port", AttrType::Number),
                Attribute::computed("dbi_resource_id", AttrType::String),
                Attribute::computed("storage_encrypted", AttrType::Bool),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ]),
        }
    }
}

impl Default for RdsClusterInstance {
    fn default() -> Self {
        RdsClusterInstance::new()
    }
}

#[async_trait]
impl Resource for RdsClusterInstance {
    fn type_name(&self) -> &'static str {
        "aws_rds_cluster_instance"
    }

    fn import_id(&self) -> String {
        "instance identifier".to_string()
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
            "rds:db",
            ArnId::After("db:"),
        )
        .await
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let identifier = required_string(desired, "identifier")?;
        let cluster_id = required_string(desired, "cluster_identifier")?;
        let engine = match optional_string(desired, "engine") {
            Some(engine) => engine,
            None => cluster_engine(context, &cluster_id).await?,
        };
        let output = context
            .aws()
            .rds
            .create_db_instance()
            .db_instance_identifier(&identifier)
            .db_cluster_identifier(&cluster_id)
            .db_instance_class(required_string(desired, "instance_class")?)
            .engine(engine)
            .set_engine_version(optional_string(desired, "engine_version"))
            .set_promotion_tier(optional_i32(desired, "promotion_tier").ok().flatten())
            .set_enable_performance_insights(optional_bool(desired, "performance_insights_enabled"))
            .set_performance_insights_retention_period(optional_i32(
                desired,
                "performance_insights_retention_period",
            ).ok().flatten())
            .set_monitoring_interval(optional_i32(desired, "monitoring_interval").ok().flatten())
            .set_monitoring_role_arn(optional_string(desired, "monitoring_role_arn"))
            .set_publicly_accessible(optional_bool(desired, "publicly_accessible"))
            .set_auto_minor_version_upgrade(optional_bool(desired, "auto_minor_version_upgrade"))
            .set_db_subnet_group_name(optional_string(desired, "db_subnet_group_name"))
            .set_db_parameter_group_name(optional_string(desired, "db_parameter_group_name"))
            .set_availability_zone(optional_string(desired, "availability_zone"))
            .set_tags(Some(common::rds_tags(context, desired)))
            .send()
            .await
            .map_err(|error| sdk_error("CreateDBInstance", error))?;
        let instance = output
            .db_instance()
            .ok_or_else(|| crate::aws::kit::empty_answer("CreateDBInstance", "instance"))?;
        Ok(instance_attributes(context, instance, desired))
    }

    async fn wait_until_ready(
        &self,
        context: &ProviderContext,
        created: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let id = required_string(created, "id")?;
        let instance = wait_available(context, &id).await?;
        Ok(instance_attributes(context, &instance, created))
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        Ok(describe(context, id)
            .await?
            .map(|instance| instance_attributes(context, &instance, prior)))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let changes = modification(prior, desired);
        if changes.any() {
            context
                .aws()
                .rds
                .modify_db_instance()
                .db_instance_identifier(id)
                .apply_immediately(optional_bool(desired, "apply_immediately").unwrap_or(false))
                .set_db_instance_class(changes.instance_class)
                .set_promotion_tier(changes.promotion_tier)
                .set_enable_performance_insights(changes.performance_insights)
                .set_performance_insights_retention_period(changes.performance_insights_retention)
                .set_monitoring_interval(changes.monitoring_interval)
                .set_monitoring_role_arn(changes.monitoring_role_arn)
                .set_publicly_accessible(changes.publicly_accessible)
                .set_auto_minor_version_upgrade(changes.auto_minor_version_upgrade)
                .set_db_parameter_group_name(changes.db_parameter_group_name)
                .set_engine_version(changes.engine_version)
                .send()
                .await
                .map_err(|error| sdk_error("ModifyDBInstance", error))?;
        }
        sync_tags(&common::RdsTags, context, &required_string(prior, "arn")?, prior, desired).await?;
        let instance = wait_available(context, id).await?;
        Ok(instance_attributes(context, &instance, desired))
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let result = context
            .aws()
            .rds
            .delete_db_instance()
            .db_instance_identifier(id)
            // Instances of a cluster take no snapshot of their own (the cluster's does).
            .skip_final_snapshot(true)
            .send()
            .await
            .map(|_| ())
            .map_err(|error| sdk_error("DeleteDBInstance", error));
        if crate::aws::kit::found(result)?.is_none() {
            return Ok(());
        }
        wait::until(
            &format!("RDS instance {id} to be deleted"),
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
        let identifier = required_string(desired, "identifier")?;
        let found = describe(context, &identifier).await?;
        let Some(instance) =
            recovery::owned(context, found, |instance| common::from_rds(instance.tag_list()))
        else {
            return Ok(None);
        };
        Ok(Some(instance_attributes(context, &instance, desired)))
    }
}

/// The engine of the cluster the instance joins.
async fn cluster_engine(
    context: &ProviderContext,
    cluster_id: &str,
) -> Result<String, ProviderError> {
    let output = context
        .aws()
        .rds
        .describe_db_clusters()
        .db_cluster_identifier(cluster_id)
        .send()
        .await
        .map_err(|error| sdk_error("DescribeDBClusters", error))?;
    output
        .db_clusters()
        .first()
        .and_then(|cluster| cluster.engine())
        .map(str::to_string)
        .ok_or_else(|| crate::aws::kit::empty_answer("DescribeDBClusters", "cluster engine"))
}

#[derive(Debug, Default, PartialEq)]
struct InstanceChanges {
    instance_class: Option<String>,
    promotion_tier: Option<i32>,
    performance_insights: Option<bool>,
    performance_insights_retention: Option<i32>,
    monitoring_interval: Option<i32>,
    monitoring_role_arn: Option<String>,
    publicly_accessible: Option<bool>,
    auto_minor_version_upgrade: Option<bool>,
    db_parameter_group_name: Option<String>,
    engine_version: Option<String>,
}

impl InstanceChanges {
    fn any(&self) -> bool {
        *self != InstanceChanges::default()
    }
}

fn modification(prior: &Attributes, desired: &Attributes) -> InstanceChanges {
    fn changed<T: PartialEq>(prior: Option<T>, desired: Option<T>) -> Option<T> {
        desired.filter(|value| prior.as_ref() != Some(value))
    }
    let string = |name: &str| changed(optional_string(prior, name), optional_string(desired, name));
    let number = |name: &str| changed(optional_i32(prior, name).ok().flatten(), optional_i32(desired, name).ok().flatten());
    let flag = |name: &str| changed(optional_bool(prior, name), optional_bool(desired, name));
    InstanceChanges {
        instance_class: string("instance_class"),
        promotion_tier: number("promotion_tier"),
        performance_insights: flag("performance_insights_enabled"),
        performance_insights_retention: number("performance_insights_retention_period"),
        monitoring_interval: number("monitoring_interval"),
        monitoring_role_arn: string("monitoring_role_arn"),
        publicly_accessible: flag("publicly_accessible"),
        auto_minor_version_upgrade: flag("auto_minor_version_upgrade"),
        db_parameter_group_name: string("db_parameter_group_name"),
        engine_version: string("engine_version"),
    }
}

async fn describe(
    context: &ProviderContext,
    id: &str,
) -> Result<Option<DbInstance>, ProviderError> {
    let result = context
        .aws()
        .rds
        .describe_db_instances()
        .db_instance_identifier(id)
        .send()
        .await
        .map_err(|error| sdk_error("DescribeDBInstances", error));
    Ok(crate::aws::kit::found(result)?.and_then(|output| output.db_instances().first().cloned()))
}

async fn wait_available(context: &ProviderContext, id: &str) -> Result<DbInstance, ProviderError> {
    wait::until(
        &format!("RDS instance {id} to become available"),
        LIMIT,
        || async {
            match describe(context, id).await? {
                Some(instance) if instance.db_instance_status() == Some("available") => {
                    Ok(Poll::Ready(instance))
                }
                Some(_) => Ok(Poll::Pending),
                None => Err(ProviderError::Refused(format!(
                    "RDS instance {id} disappeared while waiting for it to become available"
                ))),
            }
        },
    )
    .await
}

fn instance_attributes(
    context: &ProviderContext,
    instance: &DbInstance,
    prior: &Attributes,
) -> Attributes {
    let text = |value: Option<&str>| -> Value { value.map(str::to_string).into() };
    let number = |value: Option<i32>| value.map(Value::from).unwrap_or_default();
    let mut attributes = Attributes::new();
    let identifier = instance.db_instance_identifier().unwrap_or_default();
    attributes.insert("id".into(), Value::string(identifier));
    attributes.insert("identifier".into(), Value::string(identifier));
    attributes.insert(
        "cluster_identifier".into(),
        text(instance.db_cluster_identifier()),
    );
    attributes.insert("instance_class".into(), text(instance.db_instance_class()));
    attributes.insert("engine".into(), text(instance.engine()));
    attributes.insert("engine_version".into(), text(instance.engine_version()));
    attributes.insert(
        "promotion_tier".into(),
        Value::from(instance.promotion_tier().unwrap_or(0)),
    );
    // An answer without the field (moto's, for cluster members) keeps what the spec said.
    let kept = |name: &str, fallback: Value| {
        prior
            .get(name)
            .filter(|value| !value.is_null())
            .cloned()
            .unwrap_or(fallback)
    };
    attributes.insert(
        "performance_insights_enabled".into(),
        match instance.performance_insights_enabled() {
            Some(enabled) => Value::Bool(enabled),
            None => kept("performance_insights_enabled", Value::Bool(false)),
        },
    );
    attributes.insert(
        "performance_insights_retention_period".into(),
        number(instance.performance_insights_retention_period()),
    );
    attributes.insert(
        "monitoring_interval".into(),
        match instance.monitoring_interval() {
            Some(seconds) => Value::from(seconds),
            None => kept("monitoring_interval", Value::Number(0.0)),
        },
    );
    attributes.insert(
        "monitoring_role_arn".into(),
        text(instance.monitoring_role_arn()),
    );
    attributes.insert(
        "publicly_accessible".into(),
        Value::Bool(instance.publicly_accessible().unwrap_or(false)),
    );
    attributes.insert(
        "auto_minor_version_upgrade".into(),
        Value::Bool(instance.auto_minor_version_upgrade().unwrap_or(true)),
    );
    attributes.insert(
        "db_subnet_group_name".into(),
        text(
            instance
                .db_subnet_group()
                .and_then(|group| group.db_subnet_group_name()),
        ),
    );
    attributes.insert(
        "db_parameter_group_name".into(),
        text(
            instance
                .db_parameter_groups()
                .first()
                .and_then(|group| group.db_parameter_group_name()),
        ),
    );
    attributes.insert(
        "availability_zone".into(),
        text(instance.availability_zone()),
    );
    attributes.insert(
        "apply_immediately".into(),
        prior.get("apply_immediately").cloned().unwrap_or_default(),
    );
    attributes.insert("arn".into(), text(instance.db_instance_arn()));
    attributes.insert(
        "endpoint".into(),
        text(instance.endpoint().and_then(|endpoint| endpoint.address())),
    );
    attributes.insert(
        "port".into(),
        number(
            instance
                .endpoint()
                .and_then(|endpoint| endpoint.port())
                .or(instance.db_instance_port()),
        ),
    );
    attributes.insert("dbi_resource_id".into(), text(instance.dbi_resource_id()));
    attributes.insert(
        "storage_encrypted".into(),
        Value::Bool(instance.storage_encrypted().unwrap_or(false)),
    );
    common::put_tags(context, &mut attributes, instance.tag_list());
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

    #[test]
    fn only_changed_settings_are_modified() {
        let prior = attributes(&[
            ("instance_class", Value::string("db.serverless")),
            ("promotion_tier", Value::Number(0.0)),
            ("performance_insights_enabled", Value::Bool(false)),
            ("monitoring_interval", Value::Number(0.0)),
        ]);
        assert!(!modification(&prior, &prior).any());
        let mut desired = prior.clone();
        desired.insert("performance_insights_enabled".into(), Value::Bool(true));
        desired.insert("monitoring_interval".into(), Value::Number(60.0));
        let changes = modification(&prior, &desired);
        assert_eq!(
            changes,
            InstanceChanges {
                performance_insights: Some(true),
                monitoring_interval: Some(60),
                ..InstanceChanges::default()
            }
        );
    }

    #[test]
    fn reads_class_engine_and_tier() {
        let instance = DbInstance::builder()
            .db_instance_identifier("db-1")
            .db_cluster_identifier("db")
            .db_instance_class("db.serverless")
            .engine("aurora-postgresql")
            .promotion_tier(1)
            .build();
        let context = crate::aws::kit::test_support::context();
        let read = instance_attributes(&context, &instance, &Attributes::new());
        assert_eq!(read["instance_class"], Value::string("db.serverless"));
        assert_eq!(read["engine"], Value::string("aurora-postgresql"));
        assert_eq!(read["promotion_tier"], Value::Number(1.0));
        assert_eq!(read["monitoring_interval"], Value::Number(0.0));
    }
}
