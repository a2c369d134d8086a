//! `data "aws_ecs_cluster"`: ECS DescribeClusters for `cluster_name` (with settings, tags and
//! the Service Connect defaults); a cluster that is missing or INACTIVE is an error.

use async_trait::async_trait;

use crate::aws::attrs;
use crate::aws::sdk_error;
use crate::aws::AwsDataContext;
use crate::data_source::{DataContext, DataSource};
use crate::error::ProviderError;
use crate::provider::Attributes;
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct DataEcsCluster {
    schema: Schema,
}

impl DataEcsCluster {
    pub fn new() -> DataEcsCluster {
        DataEcsCluster {
            schema: Schema::new(vec![
                Attribute::computed("arn", AttrType::String),
                Attribute::required("cluster_name", AttrType::String),
                Attribute::optional_computed("id", AttrType::String),
                Attribute::computed("pending_tasks_count", AttrType::Number),
                Attribute::computed("registered_container_instances_count", AttrType::Number),
                Attribute::computed("running_tasks_count", AttrType::Number),
                Attribute::computed("service_connect_defaults", AttrType::Any),
                Attribute::computed("setting", AttrType::Any),
                Attribute::computed("status", AttrType::String),
                Attribute::optional_computed("tags", AttrType::Map(Box::new(AttrType::String))),
            ]),
        }
    }
}

impl Default for DataEcsCluster {
    fn default() -> Self {
        DataEcsCluster::new()
    }
}

#[async_trait]
impl DataSource for DataEcsCluster {
    fn type_name(&self) -> &'static str {
        "aws_ecs_cluster"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn read(
        &self,
        context: &DataContext,
        arguments: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let name = attrs::required_string(arguments, "cluster_name")?;
        let answer = context
            .aws()?
            .ecs
            .describe_clusters()
            .clusters(&name)
            .include(aws_sdk_ecs::types::ClusterField::Settings)
            .include(aws_sdk_ecs::types::ClusterField::Tags)
            .send()
            .await
            .map_err(|error| sdk_error("DescribeClusters", error))?;
        let cluster = answer
            .clusters()
            .iter()
            .find(|cluster| cluster.status() != Some("INACTIVE"))
            .ok_or_else(|| ProviderError::Aws {
                operation: "DescribeClusters".into(),
                code: "ClusterNotFoundException".into(),
                message: format!("no ECS cluster named {name}"),
            })?;
        let number = |value: i32| Value::Number(f64::from(value));
        let mut result = arguments.clone();
        for (key, value) in [
            (
                "id",
                Value::string(cluster.cluster_arn().unwrap_or_default()),
            ),
            (
                "arn",
                Value::string(cluster.cluster_arn().unwrap_or_default()),
            ),
            ("pending_tasks_count", number(cluster.pending_tasks_count())),
            (
                "registered_container_instances_count",
                number(cluster.registered_container_instances_count()),
            ),
            ("running_tasks_count", number(cluster.running_tasks_count())),
            (
                "service_connect_defaults",
                match cluster.service_connect_defaults() {
                    Some(defaults) => attrs::block_value([attrs::map([(
                        "namespace",
                        Value::string(defaults.namespace().unwrap_or_default()),
                    )])]),
                    None => Value::List(Vec::new()),
                },
            ),
            (
                "setting",
                attrs::block_value(cluster.settings().iter().map(|setting| {
                    attrs::map([
                        (
                            "name",
                            Value::string(
                                setting.name().map(|name| name.as_str()).unwrap_or_default(),
                            ),
                        ),
                        ("value", Value::string(setting.value().unwrap_or_default())),
                    ])
                })),
            ),
            (
                "status",
                Value::string(cluster.status().unwrap_or_default()),
            ),
            (
                "tags",
                Value::Map(
                    cluster
                        .tags()
                        .iter()
                        .filter_map(|tag| {
                            Some((
                                tag.key()?.to_string(),
                                Value::string(tag.value().unwrap_or_default()),
                            ))
                        })
                        .collect(),
                ),
            ),
        ] {
            result.insert(key.to_string(), value);
        }
        Ok(result)
    }
}
