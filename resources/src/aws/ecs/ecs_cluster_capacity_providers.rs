//! `aws_ecs_cluster_capacity_providers`: the capacity providers of a cluster and its default
//! capacity provider strategy.
//!
//! AWS calls: PutClusterCapacityProviders (create and update: the call replaces both lists),
//! DescribeClusters (read). Delete puts empty lists (the cluster stays).
//!
//! Replacement: a change of `cluster_name`. `id` is the cluster name, as in Terraform.
//! Recovery: the call is idempotent and the id deterministic, so `recover` reads the cluster's
//! providers and adopts them when they are the desired ones.

use crate::aws::kit::ResultExt;
use crate::aws::AwsContext;
use async_trait::async_trait;
use aws_sdk_ecs::types::{CapacityProviderStrategyItem, Cluster};

use crate::aws::kit::attributes::{block_value, blocks, optional_i32};
use super::ecs_cluster;
use crate::aws::kit::attributes::{optional_string, required_string, string_list, string_list_value};
use crate::aws::kit::sdk_error;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

pub struct EcsClusterCapacityProviders {
    schema: Schema,
}

/// The schema of a capacity provider strategy item (shared with `aws_ecs_service`).
pub fn strategy_schema() -> Schema {
    Schema::new(vec![
        Attribute::required("capacity_provider", AttrType::String),
        Attribute::optional("weight", AttrType::Number).default(0),
        Attribute::optional("base", AttrType::Number).default(0),
    ])
}

/// SDK strategy items from blocks named `name`.
pub fn strategy(
    attributes: &Attributes,
    name: &str,
) -> Result<Vec<CapacityProviderStrategyItem>, ProviderError> {
    blocks(attributes, name)
        .into_iter()
        .map(|item| {
            CapacityProviderStrategyItem::builder()
                .set_capacity_provider(optional_string(item, "capacity_provider"))
                .set_weight(optional_i32(item, "weight")?)
                .set_base(optional_i32(item, "base")?)
                .build()
                .map_err(|error| ProviderError::invalid(name, error.to_string()))
        })
        .collect()
}

/// Strategy items as block values.
pub fn strategy_blocks(items: &[CapacityProviderStrategyItem]) -> Value {
    block_value(
        items
            .iter()
            .map(|item| {
                let mut map = Attributes::new();
                map.insert(
                    "capacity_provider".into(),
                    Value::string(item.capacity_provider()),
                );
                map.insert("weight".into(), Value::from(item.weight()));
                map.insert("base".into(), Value::from(item.base()));
                map
            }),
    )
}

impl EcsClusterCapacityProviders {
    pub fn new() -> Self {
        EcsClusterCapacityProviders {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The cluster name."),
                Attribute::required("cluster_name", AttrType::String).force_new(),
                Attribute::optional("capacity_providers", AttrType::set_of_strings())
                    .describe("`FARGATE`, `FARGATE_SPOT` or capacity provider names."),
            ])
            .with_block(NestedBlock {
                name: "default_capacity_provider_strategy",
                nesting: BlockNesting::Set,
                schema: strategy_schema(),
                force_new: false,
                computed: false,
            }),
        }
    }
}

impl Default for EcsClusterCapacityProviders {
    fn default() -> Self {
        EcsClusterCapacityProviders::new()
    }
}

fn provider_attributes(name: &str, cluster: &Cluster) -> Attributes {
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::string(name));
    attributes.insert("cluster_name".into(), Value::string(name));
    attributes.insert(
        "capacity_providers".into(),
        string_list_value(cluster.capacity_providers()),
    );
    attributes.insert(
        "default_capacity_provider_strategy".into(),
        strategy_blocks(cluster.default_capacity_provider_strategy()),
    );
    attributes
}

async fn put(
    context: &ProviderContext,
    cluster: &str,
    desired: &Attributes,
) -> Result<Attributes, ProviderError> {
    let output = context
        .aws()
        .ecs
        .put_cluster_capacity_providers()
        .cluster(cluster)
        .set_capacity_providers(Some(string_list(desired, "capacity_providers")))
        .set_default_capacity_provider_strategy(Some(strategy(
            desired,
            "default_capacity_provider_strategy",
        )?))
        .send()
        .await
        .map_err(|error| sdk_error("PutClusterCapacityProviders", error))?;
    let found = output.cluster().ok_or_else(|| {
        ProviderError::Refused("PutClusterCapacityProviders answered no cluster".into())
    })?;
    Ok(provider_attributes(cluster, found))
}

#[async_trait]
impl Resource for EcsClusterCapacityProviders {
    fn type_name(&self) -> &'static str {
        "aws_ecs_cluster_capacity_providers"
    }

    fn import_id(&self) -> String {
        "cluster name".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let cluster = required_string(desired, "cluster_name")?;
        put(context, &cluster, desired).await
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        Ok(ecs_cluster::describe(context, id)
            .await?
            .map(|cluster| provider_attributes(id, &cluster)))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        put(context, id, desired).await
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        if ecs_cluster::describe(context, id).await?.is_none() {
            return Ok(());
        }
        put(context, id, &Attributes::new()).await.gone_is_ok()
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let cluster = required_string(desired, "cluster_name")?;
        let Some(found) = ecs_cluster::describe(context, &cluster).await? else {
            return Ok(None);
        };
        let mut wanted = string_list(desired, "capacity_providers");
        let mut have: Vec<String> = found.capacity_providers().to_vec();
        wanted.sort();
        have.sort();
        Ok((!have.is_empty() && have == wanted).then(|| provider_attributes(&cluster, &found)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strategy_blocks_round_trip() {
        let mut item = Attributes::new();
        item.insert("capacity_provider".into(), Value::string("FARGATE"));
        item.insert("weight".into(), Value::Number(1.0));
        item.insert("base".into(), Value::Number(1.0));
        let mut desired = Attributes::new();
        desired.insert(
            "default_capacity_provider_strategy".into(),
            block_value(vec![item.clone()]),
        );
        let built = strategy(&desired, "default_capacity_provider_strategy").expect("builds");
        assert_eq!(built[0].capacity_provider(), "FARGATE");
        assert_eq!(built[0].base(), 1);
        assert_eq!(strategy_blocks(&built), block_value(vec![item]));
    }

    #[test]
    fn cluster_name_forces_replacement() {
        let providers = EcsClusterCapacityProviders::new();
        assert!(providers
            .schema()
            .attribute("cluster_name")
            .is_some_and(|a| a.force_new));
        assert!(providers
            .schema()
            .attribute("capacity_providers")
            .is_some_and(|a| !a.force_new));
    }
}
