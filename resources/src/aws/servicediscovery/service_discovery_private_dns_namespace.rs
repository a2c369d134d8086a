//! `aws_service_discovery_private_dns_namespace`: a Cloud Map namespace backed by a private
//! Route 53 hosted zone in one VPC (`edgemind.local`).
//!
//! AWS calls: CreatePrivateDnsNamespace (CreatorRequestId = the pending operation's idempotency
//! token, tags in the same call) answers an OperationId: GetOperation is polled until `SUCCESS`
//! and the namespace id taken from its `NAMESPACE` target. GetNamespace, ListNamespaces (for
//! recovery), ListTagsForResource / TagResource / UntagResource, DeleteNamespace (another
//! operation, polled the same way).
//!
//! Replacement: a change of `name`, `vpc` or `description`. Tags change in place.
//!
//! Readiness: the namespace exists once its create operation succeeded, so `create` itself waits
//! for the operation (limit 10 minutes): before that there is no id to return.
//!
//! Deletion: DeleteNamespace, retried while AWS answers `ResourceInUse` (its services are still
//! being deleted), then the operation is polled until `SUCCESS`. A namespace already gone is
//! success.
//!
//! Recovery: ListNamespaces (private DNS namespaces of that name), then GetNamespace for each:
//! the one whose CreatorRequestId is the idempotency token is adopted. (Real AWS also answers a
//! repeated create with the same CreatorRequestId with the first operation.)
//!
//! `vpc`: GetNamespace does not answer the VPC (it is the hosted zone's); `read` keeps the value
//! state has.
//!
//! moto 5.2.1 (the test cloud): operations are `SUCCESS` at once; a second namespace in the same
//! VPC is refused (`ConflictingDomainExists`).
//!
//! Drift: `list_managed` is GetResources of the Resource Groups Tagging API (`servicediscovery:namespace`).

use crate::aws::kit::tags::sync_tags;
use crate::aws::kit::ResultExt;
use crate::aws::kit::attributes;
use crate::aws::AwsContext;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_servicediscovery::types::{
    Namespace, NamespaceFilter, NamespaceFilterName, NamespaceType,
};

use crate::aws::kit::sdk_error;
use crate::aws::servicediscovery::{
    cloud_map_tags, list_tags, namespace_target, wait_for_operation, CloudMapTags,
};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

/// How long a delete keeps retrying while the namespace's services are still being deleted.
const IN_USE_LIMIT: Duration = Duration::from_secs(5 * 60);

pub struct ServiceDiscoveryPrivateDnsNamespace {
    schema: Schema,
}

impl ServiceDiscoveryPrivateDnsNamespace {
    pub fn new() -> Self {
        ServiceDiscoveryPrivateDnsNamespace {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The namespace id (ns-...)."),
                Attribute::computed("arn", AttrType::String),
                Attribute::computed("hosted_zone", AttrType::String)
                    .describe("The id of the private Route 53 hosted zone of the namespace."),
                Attribute::required("name", AttrType::String)
                    .force_new()
                    .describe("The DNS name of the namespace (`edgemind.local`)."),
                Attribute::required("vpc", AttrType::String).force_new(),
                Attribute::optional("description", AttrType::String).force_new(),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ]),
        }
    }
}

impl Default for ServiceDiscoveryPrivateDnsNamespace {
    fn default() -> Self {
        ServiceDiscoveryPrivateDnsNamespace::new()
    }
}

#[async_trait]
impl Resource for ServiceDiscoveryPrivateDnsNamespace {
    fn type_name(&self) -> &'static str {
        "aws_service_discovery_private_dns_namespace"
    }

    fn import_id(&self) -> String {
        "namespace id:VPC id (ns-…:vpc-…)".to_string()
    }

    async fn import(
        &self,
        context: &ProviderContext,
        import_id: &str,
    ) -> Result<Option<Attributes>, ProviderError> {
        // GetNamespace does not name the VPC: Terraform's import ID carries it.
        let parts = crate::aws::kit::import_id::split(import_id, ':', 2, "namespace-id:vpc-id")?;
        let prior = crate::aws::kit::import_id::prior(&[("vpc", parts[1])]);
        self.read(context, parts[0], &prior).await
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    /// One read after create: create answers an operation id; the ARN and hosted zone come from a read.
    fn create_answer_is_complete(&self) -> bool {
        false
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
            "servicediscovery:namespace",
            ArnId::AfterSlash,
        )
        .await
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let name = attributes::required_string(desired, "name")?;
        let output = context
            .aws()
            .servicediscovery
            .create_private_dns_namespace()
            .name(&name)
            .vpc(attributes::required_string(desired, "vpc")?)
            .creator_request_id(&context.idempotency_token)
            .set_description(attributes::optional_string(desired, "description"))
            .set_tags(Some(cloud_map_tags(&context.tags_for(desired))?))
            .send()
            .await
            .map_err(|error| sdk_error("CreatePrivateDnsNamespace", error))?;
        let operation_id = output.operation_id().unwrap_or_default().to_string();
        let targets =
            wait_for_operation(context, &operation_id, "CreatePrivateDnsNamespace").await?;
        let id = namespace_target(&targets).ok_or_else(|| {
            ProviderError::Refused(format!(
                "Cloud Map operation {operation_id} succeeded without naming the namespace {name}"
            ))
        })?;
        let mut attributes = desired.clone();
        attributes.insert("id".into(), Value::string(&id));
        Ok(attributes)
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let Some(namespace) = get_namespace(context, id).await? else {
            return Ok(None);
        };
        let arn = namespace.arn().unwrap_or_default().to_string();
        let Some(tags) = list_tags(context, &arn).await.not_found_as_none()? else {
 return Ok(None);
 };
        Ok(Some(namespace_attributes(context, &namespace, tags, prior)))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let arn = match attributes::optional_string(prior, "arn") {
            Some(arn) => arn,
            None => get_namespace(context, id)
                .await?
                .and_then(|namespace| namespace.arn().map(str::to_string))
                .ok_or_else(|| {
                    ProviderError::Refused(format!("namespace {id} disappeared during update"))
                })?,
        };
        sync_tags(&CloudMapTags, context, &arn, prior, desired).await?;
        self.read(context, id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("namespace {id} disappeared during update"))
        })
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let deleted = crate::aws::kit::wait::retry_on(
            &format!("namespace {id} to have no services"),
            IN_USE_LIMIT,
            &["ResourceInUse"],
            || async {
                context
                    .aws()
                    .servicediscovery
                    .delete_namespace()
                    .id(id)
                    .send()
                    .await
                    .map_err(|error| sdk_error("DeleteNamespace", error))
            },
        )
        .await;
        let Some(output) = deleted.not_found_as_none()? else {
 return Ok(());
 };
        if let Some(operation_id) = output.operation_id() {
            wait_for_operation(context, operation_id, "DeleteNamespace").await?;
        }
        Ok(())
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let name = attributes::required_string(desired, "name")?;
        let mut pages = context
            .aws()
            .servicediscovery
            .list_namespaces()
            .filters(
                NamespaceFilter::builder()
                    .name(NamespaceFilterName::Type)
                    .values(NamespaceType::DnsPrivate.as_str())
                    .build()
                    .map_err(|error| ProviderError::invalid("name", error.to_string()))?,
            )
            .into_paginator()
            .send();
        let mut candidates = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|error| sdk_error("ListNamespaces", error))?;
            candidates.extend(
                page.namespaces()
                    .iter()
                    .filter(|summary| summary.name() == Some(name.as_str()))
                    .filter_map(|summary| summary.id().map(str::to_string)),
            );
        }
        for candidate in candidates {
            let Some(namespace) = get_namespace(context, &candidate).await? else {
                continue;
            };
            if namespace.creator_request_id() == Some(context.idempotency_token.as_str()) {
                let tags = list_tags(context, namespace.arn().unwrap_or_default()).await?;
                return Ok(Some(namespace_attributes(
                    context, &namespace, tags, desired,
                )));
            }
        }
        Ok(None)
    }
}

/// GetNamespace (`None` when gone).
async fn get_namespace(
    context: &ProviderContext,
    id: &str,
) -> Result<Option<Namespace>, ProviderError> {
    match context
        .aws()
        .servicediscovery
        .get_namespace()
        .id(id)
        .send()
        .await
    {
        Ok(output) => Ok(output.namespace().cloned()),
        Err(error) => {
            let error = sdk_error("GetNamespace", error);
            crate::aws::kit::none_if_gone(error)
        }
    }
}

fn namespace_attributes(
    context: &ProviderContext,
    namespace: &Namespace,
    tags: std::collections::BTreeMap<String, String>,
    prior: &Attributes,
) -> Attributes {
    let mut attributes = Attributes::new();
    attributes.insert(
        "id".into(),
        Value::string(namespace.id().unwrap_or_default()),
    );
    attributes.insert(
        "arn".into(),
        namespace.arn().map(Value::string).unwrap_or_default(),
    );
    attributes.insert(
        "hosted_zone".into(),
        namespace
            .properties()
            .and_then(|properties| properties.dns_properties())
            .and_then(|dns| dns.hosted_zone_id())
            .map(Value::string)
            .unwrap_or_default(),
    );
    attributes.insert(
        "name".into(),
        namespace.name().map(Value::string).unwrap_or_default(),
    );
    attributes.insert("vpc".into(), prior.get("vpc").cloned().unwrap_or_default());
    attributes.insert(
        "description".into(),
        namespace
            .description()
            .filter(|text| !text.is_empty())
            .map(Value::string)
            .unwrap_or_default(),
    );
    let (tags, tags_all) = crate::aws::kit::tags::split_tags(context, tags);
    attributes.insert("tags".into(), tags);
    attributes.insert("tags_all".into(), tags_all);
    attributes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setting_but_tags_replaces_the_namespace() {
        let namespace = ServiceDiscoveryPrivateDnsNamespace::new();
        let schema = namespace.schema();
        for replaced in ["name", "vpc", "description"] {
            assert!(
                schema.attribute(replaced).is_some_and(|a| a.force_new),
                "{replaced}"
            );
        }
        assert!(schema.attribute("tags").is_some_and(|a| !a.force_new));
        assert!(schema.attribute("hosted_zone").is_some_and(|a| a.computed));
    }
}
