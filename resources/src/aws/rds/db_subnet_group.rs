//! `aws_db_subnet_group`: the subnets an RDS cluster or instance may use.
//!
//! AWS calls: CreateDBSubnetGroup (tags in the same call), DescribeDBSubnetGroups,
//! ModifyDBSubnetGroup (`subnet_ids`, `description`), ListTagsForResource / AddTagsToResource /
//! RemoveTagsFromResource, DeleteDBSubnetGroup.
//!
//! Replacement: a change of `name`. Subnets, description and tags change in place.
//!
//! Readiness: a subnet group is usable at once (it has a status `Complete`).
//!
//! Recovery: the name is deterministic; `recover` adopts a group of that name only when it
//! carries this stack's `provision:*` tags.
//!
//! Drift: `list_managed` is GetResources of the Resource Groups Tagging API (`rds:subgrp`).

use crate::aws::kit::tags::sync_tags;
use crate::aws::AwsContext;
use async_trait::async_trait;
use aws_sdk_rds::types::DbSubnetGroup as SdkGroup;

use crate::aws::kit::attributes::{optional_string, required_string, string_list, string_list_value};
use crate::aws::rds::common;
use crate::aws::kit::sdk_error;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

const DEFAULT_DESCRIPTION: &str = "Managed by Terraform";

pub struct DbSubnetGroup {
    schema: Schema,
}

impl DbSubnetGroup {
    pub fn new() -> Self {
        DbSubnetGroup {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The subnet group name."),
                Attribute::required("name", AttrType::String).force_new(),
                Attribute::optional("description", AttrType::String).default(DEFAULT_DESCRIPTION),
                Attribute::required("subnet_ids", AttrType::set_of_strings()),
                Attribute::computed("arn", AttrType::String),
                Attribute::computed("vpc_id", AttrType::String),
                Attribute::computed("supported_network_types", AttrType::set_of_strings()),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ]),
        }
    }
}

impl Default for DbSubnetGroup {
    fn default() -> Self {
        DbSubnetGroup::new()
    }
}

#[async_trait]
impl Resource for DbSubnetGroup {
    fn type_name(&self) -> &'static str {
        "aws_db_subnet_group"
    }

    fn import_id(&self) -> String {
        "subnet group name".to_string()
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
            "rds:subgrp",
            ArnId::After("subgrp:"),
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
            .create_db_subnet_group()
            .db_subnet_group_name(&name)
            .db_subnet_group_description(description(desired))
            .set_subnet_ids(Some(string_list(desired, "subnet_ids")))
            .set_tags(Some(common::rds_tags(context, desired)))
            .send()
            .await
            .map_err(|error| sdk_error("CreateDBSubnetGroup", error))?;
        let group = output
            .db_subnet_group()
            .ok_or_else(|| crate::aws::kit::empty_answer("CreateDBSubnetGroup", "subnet group"))?;
        let mut attributes = group_attributes(group);
        let (tags, tags_all) = crate::aws::kit::tags::split_tags(context, context.tags_for(desired));
        attributes.insert("tags".into(), tags);
        attributes.insert("tags_all".into(), tags_all);
        Ok(attributes)
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let Some(group) = describe(context, id).await? else {
            return Ok(None);
        };
        let mut attributes = group_attributes(&group);
        let arn = group.db_subnet_group_arn().unwrap_or_default();
        let Some(tags) = crate::aws::kit::found(common::list_tags(context, arn).await)? else {
            return Ok(None);
        };
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
        let mut prior_subnets = string_list(prior, "subnet_ids");
        let mut desired_subnets = string_list(desired, "subnet_ids");
        prior_subnets.sort();
        desired_subnets.sort();
        if prior_subnets != desired_subnets || description(prior) != description(desired) {
            context
                .aws()
                .rds
                .modify_db_subnet_group()
                .db_subnet_group_name(id)
                .db_subnet_group_description(description(desired))
                .set_subnet_ids(Some(desired_subnets))
                .send()
                .await
                .map_err(|error| sdk_error("ModifyDBSubnetGroup", error))?;
        }
        let arn = required_string(prior, "arn")?;
        sync_tags(&common::RdsTags, context, &arn, prior, desired).await?;
        self.read(context, id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("DB subnet group {id} disappeared during update"))
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
            .delete_db_subnet_group()
            .db_subnet_group_name(id)
            .send()
            .await
            .map(|_| ())
            .map_err(|error| sdk_error("DeleteDBSubnetGroup", error));
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
        let tags =
            common::list_tags(context, group.db_subnet_group_arn().unwrap_or_default()).await?;
        if !common::carries_recovery_tags(context, &tags) {
            return Ok(None);
        }
        let mut attributes = group_attributes(&group);
        common::put_tags(context, &mut attributes, &tags);
        Ok(Some(attributes))
    }
}

fn description(attributes: &Attributes) -> String {
    optional_string(attributes, "description").unwrap_or_else(|| DEFAULT_DESCRIPTION.to_string())
}

async fn describe(
    context: &ProviderContext,
    name: &str,
) -> Result<Option<SdkGroup>, ProviderError> {
    let result = context
        .aws()
        .rds
        .describe_db_subnet_groups()
        .db_subnet_group_name(name)
        .send()
        .await
        .map_err(|error| sdk_error("DescribeDBSubnetGroups", error));
    Ok(crate::aws::kit::found(result)?.and_then(|output| output.db_subnet_groups().first().cloned()))
}

fn group_attributes(group: &SdkGroup) -> Attributes {
    let name = group.db_subnet_group_name().unwrap_or_default();
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::string(name));
    attributes.insert("name".into(), Value::string(name));
    attributes.insert(
        "description".into(),
        Value::string(group.db_subnet_group_description().unwrap_or_default()),
    );
    attributes.insert(
        "subnet_ids".into(),
        string_list_value(
            group
                .subnets()
                .iter()
                .filter_map(|subnet| subnet.subnet_identifier()),
        ),
    );
    attributes.insert(
        "arn".into(),
        group.db_subnet_group_arn().map(str::to_string).into(),
    );
    attributes.insert("vpc_id".into(), group.vpc_id().map(str::to_string).into());
    attributes.insert(
        "supported_network_types".into(),
        string_list_value(group.supported_network_types()),
    );
    attributes
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_rds::types::Subnet;

    #[test]
    fn attributes_carry_name_subnets_and_vpc() {
        let group = SdkGroup::builder()
            .db_subnet_group_name("db")
            .db_subnet_group_description("d")
            .vpc_id("vpc-1")
            .subnets(Subnet::builder().subnet_identifier("subnet-a").build())
            .subnets(Subnet::builder().subnet_identifier("subnet-b").build())
            .build();
        let attributes = group_attributes(&group);
        assert_eq!(attributes["id"], Value::string("db"));
        assert_eq!(
            attributes["subnet_ids"],
            string_list_value(["subnet-a", "subnet-b"])
        );
        assert_eq!(attributes["vpc_id"], Value::string("vpc-1"));
    }

    #[test]
    fn description_defaults_like_terraform() {
        assert_eq!(description(&Attributes::new()), "Managed by Terraform");
    }
}
