//! `aws_rds_cluster_parameter_group`: parameters shared by the instances of Aurora clusters.
//!
//! AWS calls: CreateDBClusterParameterGroup (tags in the same call),
//! ModifyDBClusterParameterGroup (parameters set or changed, 20 per call),
//! ResetDBClusterParameterGroup (parameters removed from the spec), DescribeDBClusterParameterGroups,
//! DescribeDBClusterParameters (`Source = user`), ListTagsForResource / AddTagsToResource /
//! RemoveTagsFromResource, DeleteDBClusterParameterGroup.
//!
//! Replacement: a change of `name`, `family` or `description`. Parameters and tags change in
//! place.
//!
//! Readiness: `wait_until_ready` sets the parameters (CreateDBClusterParameterGroup takes none).
//!
//! Recovery: the name is deterministic; adopted only with this stack's `provision:*` tags.
//!
//! moto 5.2.1: DescribeDBClusterParameters answers exactly the parameters that were set (no
//! engine defaults, no `Source`); `read` takes parameters without a source as user parameters.
//!
//! Drift: `list_managed` is GetResources of the Resource Groups Tagging API (`rds:cluster-pg`).

use crate::aws::kit::tags::sync_tags;
use crate::aws::AwsContext;
use std::collections::BTreeMap;

use async_trait::async_trait;
use aws_sdk_rds::types::{ApplyMethod, DbClusterParameterGroup, Parameter};

use crate::aws::kit::attributes::{optional_string, required_string};
use crate::aws::rds::common;
use crate::aws::kit::sdk_error;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

const DEFAULT_DESCRIPTION: &str = "Managed by Terraform";
const DEFAULT_APPLY_METHOD: &str = "immediate";

pub struct RdsClusterParameterGroup {
    schema: Schema,
}

impl RdsClusterParameterGroup {
    pub fn new() -> Self {
        RdsClusterParameterGroup {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The parameter group name."),
                Attribute::required("name", AttrType::String).force_new(),
                Attribute::required("family", AttrType::String)
                    .force_new()
                    .describe("`aurora-postgresql16`, ..."),
                Attribute::optional("description", AttrType::String)
                    .default(DEFAULT_DESCRIPTION)
                    .force_new(),
                Attribute::computed("arn", AttrType::String),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ])
            .with_block(NestedBlock {
                name: "parameter",
                nesting: BlockNesting::Set,
                schema: Schema::new(vec![
                    Attribute::required("name", AttrType::String),
                    Attribute::required("value", AttrType::String),
                    Attribute::optional("apply_method", AttrType::String)
                        .default(DEFAULT_APPLY_METHOD)
                        .describe("`immediate` or `pending-reboot`."),
                ]),
                force_new: false,
                computed: false,
            }),
        }
    }
}

impl Default for RdsClusterParameterGroup {
    fn default() -> Self {
        RdsClusterParameterGroup::new()
    }
}

#[async_trait]
impl Resource for RdsClusterParameterGroup {
    fn type_name(&self) -> &'static str {
        "aws_rds_cluster_parameter_group"
    }

    fn import_id(&self) -> String {
        "parameter group name".to_string()
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
            "rds:cluster-pg",
            ArnId::After("cluster-pg:"),
        )
        .await
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let name = required_string(desired, "name")?;
        let output = context
            .aws()
            .rds
            .create_db_cluster_parameter_group()
            .db_cluster_parameter_group_name(&name)
            .db_parameter_group_family(required_string(desired, "family")?)
            .description(description(desired))
            .set_tags(Some(common::rds_tags(context, desired)))
            .send()
            .await
            .map_err(|error| sdk_error("CreateDBClusterParameterGroup", error))?;
        let group = output
            .db_cluster_parameter_group()
            .ok_or_else(|| crate::aws::kit::empty_answer("CreateDBClusterParameterGroup", "parameter group"))?;
        let mut attributes = group_attributes(group);
        let (tags, tags_all) = crate::aws::kit::tags::split_tags(context, context.tags_for(desired));
        attributes.insert("tags".into(), tags);
        attributes.insert("tags_all".into(), tags_all);
        // The intended parameters: `wait_until_ready` sets them.
        attributes.insert(
            "parameter".into(),
            desired
                .get("parameter")
                .cloned()
                .unwrap_or(Value::List(Vec::new())),
        );
        Ok(attributes)
    }

    async fn wait_until_ready(
        &self,
        context: &ProviderContext,
        created: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let name = required_string(created, "id")?;
        let wanted: Vec<_> = parameters(created).into_values().collect();
        set_parameters(context, &name, wanted).await?;
        self.read(context, &name, created).await?.ok_or_else(|| {
            ProviderError::Refused(format!("parameter group {name} disappeared while waiting"))
        })
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let Some(group) = describe(context, id).await? else {
            return Ok(None);
        };
        let Some(cloud) = crate::aws::kit::found(user_parameters(context, id).await)? else {
            return Ok(None);
        };
        let Some(tags) = crate::aws::kit::found(
            common::list_tags(
                context,
                group.db_cluster_parameter_group_arn().unwrap_or_default(),
            )
            .await,
        )?
        else {
            return Ok(None);
        };
        let mut attributes = group_attributes(&group);
        attributes.insert(
            "parameter".into(),
            parameter_value(&cloud, &parameters(prior)),
        );
        common::put_tags(context, &mut attributes, &tags);
        Ok(Some(attributes))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let before = parameters(prior);
        let after = parameters(desired);
        let removed: Vec<String> = before
            .keys()
            .filter(|name| !after.contains_key(*name))
            .cloned()
            .collect();
        if !removed.is_empty() {
            context
                .aws()
                .rds
                .reset_db_cluster_parameter_group()
                .db_cluster_parameter_group_name(id)
                .set_parameters(Some(
                    removed
                        .iter()
                        .map(|name| {
                            Parameter::builder()
                                .parameter_name(name)
                                .apply_method(ApplyMethod::PendingReboot)
                                .build()
                        })
                        .collect(),
                ))
                .send()
                .await
                .map_err(|error| sdk_error("ResetDBClusterParameterGroup", error))?;
        }
        let changed: Vec<_> = after
            .into_iter()
            .filter(|(name, setting)| before.get(name) != Some(setting))
            .map(|(_, setting)| setting)
            .collect();
        set_parameters(context, id, changed).await?;
        sync_tags(&common::RdsTags, context, &required_string(prior, "arn")?, prior, desired).await?;
        self.read(context, id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("parameter group {id} disappeared during update"))
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
            .rds
            .delete_db_cluster_parameter_group()
            .db_cluster_parameter_group_name(id)
            .send()
            .await
            .map(|_| ())
            .map_err(|error| sdk_error("DeleteDBClusterParameterGroup", error));
        crate::aws::kit::found(result).map(|_| ())
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let name = required_string(desired, "name")?;
        let Some(group) = describe(context, &name).await? else {
            return Ok(None);
        };
        let tags = common::list_tags(
            context,
            group.db_cluster_parameter_group_arn().unwrap_or_default(),
        )
        .await?;
        if !common::carries_recovery_tags(context, &tags) {
            return Ok(None);
        }
        let mut attributes = group_attributes(&group);
        // Parameters may not have been set yet: `wait_until_ready` sets what the spec wants.
        attributes.insert(
            "parameter".into(),
            desired
                .get("parameter")
                .cloned()
                .unwrap_or(Value::List(Vec::new())),
        );
        common::put_tags(context, &mut attributes, &tags);
        Ok(Some(attributes))
    }
}

/// One `parameter` block.
#[derive(Debug, Clone, PartialEq)]
struct Setting {
    name: String,
    value: String,
    apply_method: String,
}

fn description(attributes: &Attributes) -> String {
    optional_string(attributes, "description").unwrap_or_else(|| DEFAULT_DESCRIPTION.to_string())
}

/// The `parameter` blocks by name.
fn parameters(attributes: &Attributes) -> BTreeMap<String, Setting> {
    attributes
        .get("parameter")
        .and_then(Value::as_list)
        .unwrap_or_default()
        .iter()
        .filter_map(|block| {
            let text = |key: &str| block.get(key).and_then(Value::to_template_string);
            let name = text("name")?;
            Some((
                name.clone(),
                Setting {
                    name,
                    value: text("value").unwrap_or_default(),
                    apply_method: text("apply_method")
                        .unwrap_or_else(|| DEFAULT_APPLY_METHOD.to_string()),
                },
            ))
        })
        .collect()
}

/// ModifyDBClusterParameterGroup, 20 parameters per call (the API's limit).
async fn set_parameters(
    context: &ProviderContext,
    name: &str,
    settings: Vec<Setting>,
) -> Result<(), ProviderError> {
    for chunk in settings.chunks(20) {
        context
            .aws()
            .rds
            .modify_db_cluster_parameter_group()
            .db_cluster_parameter_group_name(name)
            .set_parameters(Some(
                chunk
                    .iter()
                    .map(|setting| {
                        Parameter::builder()
                            .parameter_name(&setting.name)
                            .parameter_value(&setting.value)
                            .apply_method(ApplyMethod::from(setting.apply_method.as_str()))
                            .build()
                    })
                    .collect(),
            ))
            .send()
            .await
            .map_err(|error| sdk_error("ModifyDBClusterParameterGroup", error))?;
    }
    Ok(())
}

async fn describe(
    context: &ProviderContext,
    name: &str,
) -> Result<Option<DbClusterParameterGroup>, ProviderError> {
    let result = context
        .aws()
        .rds
        .describe_db_cluster_parameter_groups()
        .db_cluster_parameter_group_name(name)
        .send()
        .await
        .map_err(|error| sdk_error("DescribeDBClusterParameterGroups", error));
    Ok(crate::aws::kit::found(result)?
        .and_then(|output| output.db_cluster_parameter_groups().first().cloned()))
}

/// The parameters set by a user (`Source = user`; no source counts as user).
async fn user_parameters(
    context: &ProviderContext,
    name: &str,
) -> Result<Vec<Parameter>, ProviderError> {
    let mut found = Vec::new();
    let mut pages = context
        .aws()
        .rds
        .describe_db_cluster_parameters()
        .db_cluster_parameter_group_name(name)
        .source("user")
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|error| sdk_error("DescribeDBClusterParameters", error))?;
        found.extend(
            page.parameters()
                .iter()
                .filter(|parameter| matches!(parameter.source(), None | Some("user")))
                .cloned(),
        );
    }
    Ok(found)
}

/// The `parameter` blocks from what AWS answered; the apply method AWS does not echo reliably
/// is taken from the prior block of the same name.
fn parameter_value(cloud: &[Parameter], prior: &BTreeMap<String, Setting>) -> Value {
    Value::List(
        cloud
            .iter()
            .filter_map(|parameter| {
                let name = parameter.parameter_name()?;
                let apply_method = prior
                    .get(name)
                    .map(|setting| setting.apply_method.clone())
                    .or_else(|| {
                        parameter
                            .apply_method()
                            .map(|method| method.as_str().to_string())
                    })
                    .unwrap_or_else(|| DEFAULT_APPLY_METHOD.to_string());
                Some(Value::Map(
                    [
                        ("name".to_string(), Value::string(name)),
                        (
                            "value".to_string(),
                            Value::string(parameter.parameter_value().unwrap_or_default()),
                        ),
                        ("apply_method".to_string(), Value::String(apply_method)),
                    ]
                    .into(),
                ))
            })
            .collect(),
    )
}

fn group_attributes(group: &DbClusterParameterGroup) -> Attributes {
    let name = group.db_cluster_parameter_group_name().unwrap_or_default();
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::string(name));
    attributes.insert("name".into(), Value::string(name));
    attributes.insert(
        "family".into(),
        Value::string(group.db_parameter_group_family().unwrap_or_default()),
    );
    attributes.insert(
        "description".into(),
        Value::string(group.description().unwrap_or_default()),
    );
    attributes.insert(
        "arn".into(),
        group
            .db_cluster_parameter_group_arn()
            .map(str::to_string)
            .into(),
    );
    attributes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(name: &str, value: &str, method: Option<&str>) -> Value {
        let mut entries = BTreeMap::from([
            ("name".to_string(), Value::string(name)),
            ("value".to_string(), Value::string(value)),
        ]);
        if let Some(method) = method {
            entries.insert("apply_method".to_string(), Value::string(method));
        }
        Value::Map(entries)
    }

    #[test]
    fn parameters_default_to_immediate() {
        let attributes = Attributes::from([(
            "parameter".to_string(),
            Value::List(vec![
                block("log_statement", "all", None),
                block(
                    "shared_preload_libraries",
                    "pg_stat_statements",
                    Some("pending-reboot"),
                ),
            ]),
        )]);
        let found = parameters(&attributes);
        assert_eq!(found["log_statement"].apply_method, "immediate");
        assert_eq!(
            found["shared_preload_libraries"].apply_method,
            "pending-reboot"
        );
    }

    #[test]
    fn read_keeps_the_prior_apply_method() {
        let prior = parameters(&Attributes::from([(
            "parameter".to_string(),
            Value::List(vec![block("a", "1", Some("pending-reboot"))]),
        )]));
        let cloud = vec![Parameter::builder()
            .parameter_name("a")
            .parameter_value("1")
            .apply_method(ApplyMethod::Immediate)
            .build()];
        assert_eq!(
            parameter_value(&cloud, &prior),
            Value::List(vec![block("a", "1", Some("pending-reboot"))])
        );
    }
}
