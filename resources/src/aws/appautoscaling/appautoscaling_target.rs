//! `aws_appautoscaling_target`: an Application Auto Scaling scalable target (for ECS:
//! `service/<cluster>/<service>` and `ecs:service:DesiredCount`).
//!
//! AWS calls: RegisterScalableTarget (create, and update: the call is an upsert of min / max
//! capacity; tags on create), DescribeScalableTargets (read, recovery), DeregisterScalableTarget.
//!
//! Replacement: a change of `service_namespace`, `resource_id` or `scalable_dimension`.
//! `min_capacity` / `max_capacity` change in place. `id` is the resource id, as in Terraform.
//! Recovery: the target is identified by its three keys, so `recover` reads it.
//!
//! moto 5.2.1: answers no `ScalableTargetARN` (then `arn` is null) and has no tag operations for
//! this service: `tags` are sent on RegisterScalableTarget and kept from the spec.
//!
//! Drift: `list_managed` is GetResources of the Resource Groups Tagging API (`application-autoscaling:scalable-target`).

use crate::aws::AwsContext;
use async_trait::async_trait;
use aws_sdk_applicationautoscaling::types::{ScalableDimension, ScalableTarget, ServiceNamespace};

use crate::aws::kit::attributes::{optional_string, required_string};
use crate::aws::kit::attributes::{optional_i32};
use crate::aws::kit::sdk_error;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct AppautoscalingTarget {
    schema: Schema,
}

impl AppautoscalingTarget {
    pub fn new() -> Self {
        AppautoscalingTarget {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The resource id."),
                Attribute::computed("arn", AttrType::String),
                Attribute::required("service_namespace", AttrType::String)
                    .force_new()
                    .describe("`ecs`, `dynamodb`, ..."),
                Attribute::required("resource_id", AttrType::String)
                    .force_new()
                    .describe("`service/<cluster name>/<service name>` for ECS."),
                Attribute::required("scalable_dimension", AttrType::String)
                    .force_new()
                    .describe("`ecs:service:DesiredCount` for ECS."),
                Attribute::required("min_capacity", AttrType::Number),
                Attribute::required("max_capacity", AttrType::Number),
                Attribute::optional_computed("role_arn", AttrType::String),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ]),
        }
    }
}

impl Default for AppautoscalingTarget {
    fn default() -> Self {
        AppautoscalingTarget::new()
    }
}

/// The three keys of a target from Terraform's import ID
/// `service-namespace/resource-id/scalable-dimension` (the resource id has slashes of its own:
/// `service/cluster/web`), as attributes; `format` names the whole ID for the error.
pub fn target_keys(import_id: &str, format: &str) -> Result<Attributes, ProviderError> {
    let bad = || crate::aws::kit::import_id::bad(import_id, format);
    let (namespace, rest) = import_id.split_once('/').ok_or_else(bad)?;
    let (resource_id, dimension) = rest.rsplit_once('/').ok_or_else(bad)?;
    if namespace.is_empty() || resource_id.is_empty() || dimension.is_empty() {
        return Err(bad());
    }
    Ok(crate::aws::kit::import_id::prior(&[
        ("service_namespace", namespace),
        ("resource_id", resource_id),
        ("scalable_dimension", dimension),
    ]))
}

/// The three keys of a target (namespace, resource id, dimension).
pub fn keys(
    attributes: &Attributes,
) -> Result<(ServiceNamespace, String, ScalableDimension), ProviderError> {
    Ok((
        ServiceNamespace::from(required_string(attributes, "service_namespace")?.as_str()),
        required_string(attributes, "resource_id")?,
        ScalableDimension::from(required_string(attributes, "scalable_dimension")?.as_str()),
    ))
}

async fn describe(
    context: &ProviderContext,
    attributes: &Attributes,
) -> Result<Option<ScalableTarget>, ProviderError> {
    let (namespace, resource_id, dimension) = keys(attributes)?;
    let output = context
        .aws()
        .autoscaling
        .describe_scalable_targets()
        .service_namespace(namespace)
        .resource_ids(&resource_id)
        .scalable_dimension(dimension.clone())
        .send()
        .await
        .map_err(|error| sdk_error("DescribeScalableTargets", error))?;
    Ok(output
        .scalable_targets()
        .iter()
        .find(|target| {
            target.resource_id() == resource_id && *target.scalable_dimension() == dimension
        })
        .cloned())
}

fn target_attributes(
    context: &ProviderContext,
    target: &ScalableTarget,
    prior: &Attributes,
) -> Attributes {
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::string(target.resource_id()));
    attributes.insert(
        "arn".into(),
        target
            .scalable_target_arn()
            .map(Value::string)
            .unwrap_or_default(),
    );
    attributes.insert(
        "service_namespace".into(),
        Value::string(target.service_namespace().as_str()),
    );
    attributes.insert("resource_id".into(), Value::string(target.resource_id()));
    attributes.insert(
        "scalable_dimension".into(),
        Value::string(target.scalable_dimension().as_str()),
    );
    attributes.insert("min_capacity".into(), Value::from(target.min_capacity()));
    attributes.insert("max_capacity".into(), Value::from(target.max_capacity()));
    attributes.insert(
        "role_arn".into(),
        if target.role_arn().is_empty() {
            prior.get("role_arn").cloned().unwrap_or_default()
        } else {
            Value::string(target.role_arn())
        },
    );
    let (tags, tags_all) = crate::aws::kit::tags::split_tags(context, context.tags_for(prior));
    attributes.insert("tags".into(), tags);
    attributes.insert("tags_all".into(), tags_all);
    attributes
}

async fn register(
    context: &ProviderContext,
    desired: &Attributes,
    with_tags: bool,
) -> Result<(), ProviderError> {
    let (namespace, resource_id, dimension) = keys(desired)?;
    context
        .aws()
        .autoscaling
        .register_scalable_target()
        .service_namespace(namespace)
        .resource_id(resource_id)
        .scalable_dimension(dimension)
        .set_min_capacity(optional_i32(desired, "min_capacity")?)
        .set_max_capacity(optional_i32(desired, "max_capacity")?)
        .set_role_arn(optional_string(desired, "role_arn"))
        .set_tags(with_tags.then(|| context.tags_for(desired).into_iter().collect()))
        .send()
        .await
        .map(|_| ())
        .map_err(|error| sdk_error("RegisterScalableTarget", error))
}

#[async_trait]
impl Resource for AppautoscalingTarget {
    fn type_name(&self) -> &'static str {
        "aws_appautoscaling_target"
    }

    fn import_id(&self) -> String {
        "service namespace/resource id/scalable dimension (ecs/service/cluster/web/ecs:service:DesiredCount)".to_string()
    }

    async fn import(
        &self,
        context: &ProviderContext,
        import_id: &str,
    ) -> Result<Option<Attributes>, ProviderError> {
        let prior = target_keys(import_id, "service-namespace/resource-id/scalable-dimension")?;
        self.read(context, import_id, &prior).await
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The Tagging API names scalable targets by ARN, but their id is the resource id: the
    /// ARNs found are matched with DescribeScalableTargets, namespace by namespace, until each
    /// is known (no calls beyond GetResources when the stack has none).
    async fn list_managed(
        &self,
        context: &ProviderContext,
        stack: &str,
    ) -> Result<Vec<(String, String)>, ProviderError> {
        use crate::aws::tagging::{list_tagged, ArnId};
        let mut by_arn: std::collections::BTreeMap<String, String> = list_tagged(
            context,
            stack,
            self.type_name(),
            "application-autoscaling:scalable-target",
            ArnId::Arn,
        )
        .await?
        .into_iter()
        .collect();
        let mut found = Vec::new();
        for namespace in ServiceNamespace::values() {
            if by_arn.is_empty() {
                break;
            }
            let mut pages = context
                .aws()
                .autoscaling
                .describe_scalable_targets()
                .service_namespace(ServiceNamespace::from(*namespace))
                .into_paginator()
                .send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|error| sdk_error("DescribeScalableTargets", error))?;
                for target in page.scalable_targets() {
                    let Some(address) = target
                        .scalable_target_arn()
                        .and_then(|arn| by_arn.remove(arn))
                    else {
                        continue;
                    };
                    found.push((target.resource_id().to_string(), address));
                }
            }
        }
        Ok(found)
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        register(context, desired, true).await?;
        let found = describe(context, desired).await?.ok_or_else(|| {
            ProviderError::Refused(
                "the scalable target is missing after RegisterScalableTarget".into(),
            )
        })?;
        Ok(target_attributes(context, &found, desired))
    }

    async fn read(
        &self,
        context: &ProviderContext,
        _id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        Ok(describe(context, prior)
            .await?
            .map(|target| target_attributes(context, &target, prior)))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        register(context, desired, false).await?;
        self.read(context, id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("scalable target {id} disappeared during update"))
        })
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        _id: &str,
        prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let (namespace, resource_id, dimension) = keys(prior)?;
        match context
            .aws()
            .autoscaling
            .deregister_scalable_target()
            .service_namespace(namespace)
            .resource_id(resource_id)
            .scalable_dimension(dimension)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(error) => {
                let error = sdk_error("DeregisterScalableTarget", error);
                if super::is_validation_not_found(&error) {
                    return Ok(());
                }
                crate::aws::kit::ok_if_gone(error)
            }
        }
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        Ok(describe(context, desired)
            .await?
            .map(|target| target_attributes(context, &target, desired)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_force_replacement_and_capacities_do_not() {
        let target = AppautoscalingTarget::new();
        let schema = target.schema();
        for key in ["service_namespace", "resource_id", "scalable_dimension"] {
            assert!(schema.attribute(key).is_some_and(|a| a.force_new), "{key}");
        }
        for in_place in ["min_capacity", "max_capacity"] {
            assert!(
                schema.attribute(in_place).is_some_and(|a| !a.force_new),
                "{in_place}"
            );
        }
    }

    #[test]
    fn keys_are_read_from_attributes() {
        let mut attributes = Attributes::new();
        attributes.insert("service_namespace".into(), Value::string("ecs"));
        attributes.insert("resource_id".into(), Value::string("service/c/s"));
        attributes.insert(
            "scalable_dimension".into(),
            Value::string("ecs:service:DesiredCount"),
        );
        let (namespace, resource, dimension) = keys(&attributes).expect("keys");
        assert_eq!(namespace, ServiceNamespace::Ecs);
        assert_eq!(resource, "service/c/s");
        assert_eq!(dimension, ScalableDimension::EcsServiceDesiredCount);
    }
}
