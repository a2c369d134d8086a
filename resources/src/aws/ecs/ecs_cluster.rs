//! `aws_ecs_cluster`: an ECS cluster.
//!
//! AWS calls: CreateCluster (settings such as `containerInsights`, tags), DescribeClusters
//! (`include = SETTINGS, TAGS`), UpdateCluster (settings), TagResource / UntagResource,
//! DeleteCluster.
//!
//! Replacement: a change of `name`. Settings and tags change in place. `id` is the cluster
//! ARN, as in Terraform. Capacity providers belong to `aws_ecs_cluster_capacity_providers`.
//!
//! Deletion: DeleteCluster; the cluster becomes INACTIVE at once (`read` reports INACTIVE as
//! gone). AWS refuses while services are active: the services depend on the cluster, so they
//! are deleted first. Recovery: the name is deterministic; `recover` adopts an ACTIVE cluster
//! of that name carrying this stack's `provision:*` tags.
//!
//! moto 5.2.1: answers the settings as given; a cluster without a `setting` block answers none
//! (AWS answers `containerInsights = disabled`), so the block is optional + computed.
//!
//! Drift: `list_managed` is GetResources of the Resource Groups Tagging API (`ecs:cluster`);
//! DescribeClusters (100 per call) drops the INACTIVE clusters a delete leaves.

use crate::aws::kit::recovery;
use crate::aws::kit::tags::{put_tags, sync_tags};
use crate::aws::AwsContext;
use async_trait::async_trait;
use aws_sdk_ecs::types::{Cluster, ClusterField, ClusterSetting, ClusterSettingName};

use crate::aws::kit::attributes::{block_value, blocks};
use super::common;
use crate::aws::kit::attributes::{optional_string, required_string};
use crate::aws::kit::sdk_error;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

pub struct EcsCluster {
    schema: Schema,
}

impl EcsCluster {
    pub fn new() -> Self {
        EcsCluster {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The cluster ARN."),
                Attribute::computed("arn", AttrType::String),
                Attribute::required("name", AttrType::String).force_new(),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ])
            .with_block(NestedBlock {
                name: "setting",
                nesting: BlockNesting::Set,
                schema: Schema::new(vec![
                    Attribute::required("name", AttrType::String).describe("`containerInsights`."),
                    Attribute::required("value", AttrType::String)
                        .describe("`enabled`, `enhanced` or `disabled`."),
                ]),
                force_new: false,
                computed: true,
            }),
        }
    }
}

impl Default for EcsCluster {
    fn default() -> Self {
        EcsCluster::new()
    }
}

fn settings(desired: &Attributes) -> Vec<ClusterSetting> {
    blocks(desired, "setting")
        .into_iter()
        .map(|setting| {
            ClusterSetting::builder()
                .set_name(
                    optional_string(setting, "name")
                        .map(|name| ClusterSettingName::from(name.as_str())),
                )
                .set_value(optional_string(setting, "value"))
                .build()
        })
        .collect()
}

fn cluster_attributes(context: &ProviderContext, cluster: &Cluster) -> Attributes {
    let arn = cluster.cluster_arn().unwrap_or_default();
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::string(arn));
    attributes.insert("arn".into(), Value::string(arn));
    attributes.insert(
        "name".into(),
        cluster
            .cluster_name()
            .map(Value::string)
            .unwrap_or_default(),
    );
    attributes.insert(
        "setting".into(),
        block_value(
            cluster
                .settings()
                .iter()
                .map(|setting| {
                    let mut map = Attributes::new();
                    map.insert(
                        "name".into(),
                        setting
                            .name()
                            .map(|name| Value::string(name.as_str()))
                            .unwrap_or_default(),
                    );
                    map.insert(
                        "value".into(),
                        setting.value().map(Value::string).unwrap_or_default(),
                    );
                    map
                }),
        ),
    );
    put_tags(
        context,
        &mut attributes,
        common::tags_from_ecs(cluster.tags()),
    );
    attributes
}

/// DescribeClusters for one cluster (ARN or name); `None` when missing or INACTIVE.
pub async fn describe(
    context: &ProviderContext,
    cluster: &str,
) -> Result<Option<Cluster>, ProviderError> {
    let output = context
        .aws()
        .ecs
        .describe_clusters()
        .clusters(cluster)
        .include(ClusterField::Settings)
        .include(ClusterField::Tags)
        .send()
        .await
        .map_err(|error| sdk_error("DescribeClusters", error))?;
    Ok(output
        .clusters()
        .iter()
        .find(|found| found.status() == Some("ACTIVE"))
        .cloned())
}

#[async_trait]
impl Resource for EcsCluster {
    fn type_name(&self) -> &'static str {
        "aws_ecs_cluster"
    }

    fn import_id(&self) -> String {
        "cluster name".to_string()
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
        let tagged = list_tagged(context, stack, self.type_name(), "ecs:cluster", ArnId::Arn).await?;
        // A deleted cluster stays INACTIVE (and tagged) for a while: only active ones count.
        let mut found = Vec::new();
        for chunk in tagged.chunks(100) {
            let answer = context
                .aws()
                .ecs
                .describe_clusters()
                .set_clusters(Some(chunk.iter().map(|(arn, _)| arn.clone()).collect()))
                .send()
                .await
                .map_err(|error| sdk_error("DescribeClusters", error))?;
            let active: Vec<&str> = answer
                .clusters()
                .iter()
                .filter(|cluster| cluster.status() != Some("INACTIVE"))
                .filter_map(|cluster| cluster.cluster_arn())
                .collect();
            found.extend(
                chunk
                    .iter()
                    .filter(|(arn, _)| active.contains(&arn.as_str()))
                    .cloned(),
            );
        }
        Ok(found)
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let name = required_string(desired, "name")?;
        let settings = settings(desired);
        let output = context
            .aws()
            .ecs
            .create_cluster()
            .cluster_name(&name)
            .set_settings((!settings.is_empty()).then_some(settings))
            .set_tags(Some(common::ecs_tags(&context.tags_for(desired))))
            .send()
            .await
            .map_err(|error| sdk_error("CreateCluster", error))?;
        let cluster = output.cluster().ok_or_else(|| {
            ProviderError::Refused("CreateCluster answered no cluster".to_string())
        })?;
        Ok(cluster_attributes(context, cluster))
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        Ok(describe(context, id)
            .await?
            .map(|cluster| cluster_attributes(context, &cluster)))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let wanted = settings(desired);
        if desired.get("setting").is_some_and(|value| !value.is_null()) && wanted != settings(prior)
        {
            context
                .aws()
                .ecs
                .update_cluster()
                .cluster(id)
                .set_settings(Some(wanted))
                .send()
                .await
                .map_err(|error| sdk_error("UpdateCluster", error))?;
        }
        sync_tags(&common::EcsTags, context, id, prior, desired).await?;
        self.read(context, id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("cluster {id} disappeared during update"))
        })
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        match context
            .aws()
            .ecs
            .delete_cluster()
            .cluster(id)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(error) => {
                let error = sdk_error("DeleteCluster", error);
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
        let Some(cluster) =
            recovery::owned(context, found, |cluster| common::tags_from_ecs(cluster.tags()))
        else {
            return Ok(None);
        };
        Ok(Some(cluster_attributes(context, &cluster)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setting_blocks_become_cluster_settings() {
        let mut setting = Attributes::new();
        setting.insert("name".into(), Value::string("containerInsights"));
        setting.insert("value".into(), Value::string("enabled"));
        let mut desired = Attributes::new();
        desired.insert("setting".into(), block_value(vec![setting]));
        let built = settings(&desired);
        assert_eq!(built.len(), 1);
        assert_eq!(
            built[0].name(),
            Some(&ClusterSettingName::ContainerInsights)
        );
        assert_eq!(built[0].value(), Some("enabled"));
        assert!(settings(&Attributes::new()).is_empty());
    }
}
