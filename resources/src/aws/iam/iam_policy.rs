//! `aws_iam_policy`: a customer-managed IAM policy. Id = the policy ARN.
//!
//! AWS calls: CreatePolicy (path, description, document, tags), GetPolicy and
//! GetPolicyVersion of the default version (the document comes back URL-encoded: decoded and
//! compared by meaning), update of the document = CreatePolicyVersion with `SetAsDefault`, after
//! deleting the oldest non-default version when the policy already has the maximum of 5
//! (ListPolicyVersions, DeletePolicyVersion), as Terraform does; TagPolicy / UntagPolicy;
//! delete = ListPolicyVersions, DeletePolicyVersion for every non-default version, then
//! DeletePolicy (`NoSuchEntity` is success). A policy still attached makes DeletePolicy fail
//! with `DeleteConflict`: the engine deletes the `aws_iam_role_policy_attachment` first, as
//! it depends on the policy.
//!
//! Replacement: a change of `name`, `name_prefix`, `path` or `description` (IAM cannot change
//! a policy's description). The document and tags change in place.
//!
//! Recovery: the name is deterministic; `recover` lists the account's local policies under the
//! path (ListPolicies) and adopts the one of that name when its tags name this stack and address.
//!
//! Drift: `list_managed` is GetResources of the Resource Groups Tagging API (`iam:policy`).

use crate::aws::kit::tags::TagApi;
use crate::aws::kit::ResultExt;
use crate::aws::kit::policy;
use crate::aws::kit::naming;
use crate::aws::AwsContext;
use async_trait::async_trait;
use aws_sdk_iam::types::{Policy, PolicyScopeType};

use super::common;
use crate::aws::kit::sdk_error;
use crate::aws::kit::tags::{split_tags, sync_tags, ADDRESS_TAG, STACK_TAG};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

/// IAM keeps at most this many versions of a managed policy.
const MAX_VERSIONS: usize = 5;

pub struct IamPolicy {
    schema: Schema,
}

impl IamPolicy {
    pub fn new() -> Self {
        IamPolicy {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The policy ARN."),
                Attribute::optional_computed("name", AttrType::String).force_new(),
                Attribute::optional("name_prefix", AttrType::String).force_new(),
                Attribute::optional("path", AttrType::String)
                    .default("/")
                    .force_new(),
                Attribute::optional("description", AttrType::String).force_new(),
                Attribute::required("policy", AttrType::Json)
                    .describe("The policy document, compared by meaning."),
                Attribute::computed("arn", AttrType::String),
                Attribute::computed("policy_id", AttrType::String),
                Attribute::computed("attachment_count", AttrType::Number),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ]),
        }
    }
}

impl Default for IamPolicy {
    fn default() -> Self {
        IamPolicy::new()
    }
}

#[async_trait]
impl Resource for IamPolicy {
    fn type_name(&self) -> &'static str {
        "aws_iam_policy"
    }

    fn import_id(&self) -> String {
        "policy ARN".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    /// One read after create: CreatePolicy's answer leaves out the description.
    fn create_answer_is_complete(&self) -> bool {
        false
    }

    async fn list_managed(
        &self,
        context: &ProviderContext,
        stack: &str,
    ) -> Result<Vec<(String, String)>, ProviderError> {
        use crate::aws::tagging::{list_tagged, ArnId};
        list_tagged(context, stack, self.type_name(), "iam:policy", ArnId::Arn).await
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let name = naming::resolve_name(context, desired, 128);
        let policy = policy::policy_document(desired, "policy")?;
        let output = context
            .aws()
            .iam
            .create_policy()
            .policy_name(&name)
            .path(path(desired))
            .policy_document(&policy)
            .set_description(description(desired))
            .set_tags(Some(common::iam_tags(&context.tags_for(desired))?))
            .send()
            .await
            .map_err(|error| sdk_error("CreatePolicy", error))?;
        let created = output.policy().ok_or_else(|| {
            ProviderError::Refused(format!("CreatePolicy {name} returned no policy"))
        })?;
        let mut attributes = policy_attributes(context, created, desired);
        attributes.insert("policy".into(), Value::String(policy));
        Ok(attributes)
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        read_policy(context, id, prior).await
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let client = &context.aws().iam;
        let policy = policy::policy_document(desired, "policy")?;
        let prior_policy = prior
            .get("policy")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !policy::policies_equivalent(&policy, prior_policy) {
            let versions = list_versions(context, id).await?;
            if versions.len() >= MAX_VERSIONS {
                if let Some(oldest) = oldest_non_default(&versions) {
                    delete_version(context, id, &oldest).await?;
                }
            }
            client
                .create_policy_version()
                .policy_arn(id)
                .policy_document(&policy)
                .set_as_default(true)
                .send()
                .await
                .map_err(|error| sdk_error("CreatePolicyVersion", error))?;
        }
        sync_tags(&common::PolicyTags, context, id, prior, desired).await?;
        read_policy(context, id, desired)
            .await?
            .ok_or_else(|| ProviderError::Refused(format!("policy {id} disappeared during update")))
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let Some(versions) = list_versions(context, id).await.not_found_as_none()? else {
 return Ok(());
 };
        for (version, is_default, _) in versions {
            if !is_default {
                delete_version(context, id, &version).await?;
            }
        }
        match context
            .aws()
            .iam
            .delete_policy()
            .policy_arn(id)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(error) => {
                let error = sdk_error("DeletePolicy", error);
                crate::aws::kit::ok_if_gone(error)
            }
        }
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let name = naming::resolve_name(context, desired, 128);
        let mut pages = context
            .aws()
            .iam
            .list_policies()
            .scope(PolicyScopeType::Local)
            .path_prefix(path(desired))
            .into_paginator()
            .send();
        let mut arn = None;
        while let Some(page) = pages.next().await {
            let page = page.map_err(|error| sdk_error("ListPolicies", error))?;
            if let Some(found) = page
                .policies()
                .iter()
                .find(|policy| policy.policy_name() == Some(name.as_str()))
            {
                arn = found.arn().map(str::to_string);
                break;
            }
        }
        let Some(arn) = arn else {
            return Ok(None);
        };
        let Some(attributes) = read_policy(context, &arn, desired).await? else {
            return Ok(None);
        };
        let tags = context.tags_for(desired);
        let cloud_tags = common::PolicyTags.list(context, &arn).await?;
        if cloud_tags.get(STACK_TAG) != tags.get(STACK_TAG)
            || cloud_tags.get(ADDRESS_TAG) != tags.get(ADDRESS_TAG)
        {
            return Ok(None);
        }
        Ok(Some(attributes))
    }
}

fn path(attributes: &Attributes) -> String {
    attributes
        .get("path")
        .and_then(Value::as_str)
        .filter(|path| !path.is_empty())
        .unwrap_or("/")
        .to_string()
}

fn description(attributes: &Attributes) -> Option<String> {
    attributes
        .get("description")
        .and_then(Value::as_str)
        .filter(|text| !text.is_empty())
        .map(str::to_string)
}

/// (version id, is default, creation time in seconds) of every version.
async fn list_versions(
    context: &ProviderContext,
    arn: &str,
) -> Result<Vec<(String, bool, i64)>, ProviderError> {
    let mut versions = Vec::new();
    let mut pages = context
        .aws()
        .iam
        .list_policy_versions()
        .policy_arn(arn)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|error| sdk_error("ListPolicyVersions", error))?;
        for version in page.versions() {
            versions.push((
                version.version_id().unwrap_or_default().to_string(),
                version.is_default_version(),
                version.create_date().map(|date| date.secs()).unwrap_or(0),
            ));
        }
    }
    Ok(versions)
}

/// The version to delete to make room for a new one: the oldest that is not the default
/// (ties broken by the version number, `v2` before `v10`).
pub fn oldest_non_default(versions: &[(String, bool, i64)]) -> Option<String> {
    versions
        .iter()
        .filter(|(_, is_default, _)| !is_default)
        .min_by_key(|(id, _, created)| {
            (
                *created,
                id.trim_start_matches('v')
                    .parse::<u64>()
                    .unwrap_or(u64::MAX),
            )
        })
        .map(|(id, _, _)| id.clone())
}

async fn delete_version(
    context: &ProviderContext,
    arn: &str,
    version: &str,
) -> Result<(), ProviderError> {
    match context
        .aws()
        .iam
        .delete_policy_version()
        .policy_arn(arn)
        .version_id(version)
        .send()
        .await
    {
        Ok(_) => Ok(()),
        Err(error) => {
            let error = sdk_error("DeletePolicyVersion", error);
            crate::aws::kit::ok_if_gone(error)
        }
    }
}

/// GetPolicy + GetPolicyVersion (default) + ListPolicyTags; `None` when the policy is gone.
async fn read_policy(
    context: &ProviderContext,
    arn: &str,
    prior: &Attributes,
) -> Result<Option<Attributes>, ProviderError> {
    let client = &context.aws().iam;
    let policy = match client.get_policy().policy_arn(arn).send().await {
        Ok(output) => match output.policy() {
            Some(policy) => policy.clone(),
            None => return Ok(None),
        },
        Err(error) => {
            let error = sdk_error("GetPolicy", error);
            return crate::aws::kit::none_if_gone(error);
        }
    };
    let version = policy.default_version_id().unwrap_or("v1");
    let document = client
        .get_policy_version()
        .policy_arn(arn)
        .version_id(version)
        .send()
        .await
        .map_err(|error| sdk_error("GetPolicyVersion", error))?
        .policy_version()
        .and_then(|version| version.document().map(str::to_string))
        .unwrap_or_default();
    let mut attributes = policy_attributes(context, &policy, prior);
    attributes.insert(
        "policy".into(),
        policy::policy_value(&document, prior, "policy"),
    );
    // GetPolicy's answer carries the tags in real AWS; ask explicitly so every emulator agrees.
    let tags = common::PolicyTags.list(context, arn).await?;
    let (tags, tags_all) = split_tags(context, tags);
    attributes.insert("tags".into(), tags);
    attributes.insert("tags_all".into(), tags_all);
    Ok(Some(attributes))
}

fn policy_attributes(context: &ProviderContext, policy: &Policy, prior: &Attributes) -> Attributes {
    let arn = policy.arn().unwrap_or_default();
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::string(arn));
    attributes.insert("arn".into(), Value::string(arn));
    attributes.insert(
        "name".into(),
        Value::string(policy.policy_name().unwrap_or_default()),
    );
    attributes.insert(
        "name_prefix".into(),
        prior.get("name_prefix").cloned().unwrap_or_default(),
    );
    attributes.insert("path".into(), Value::string(policy.path().unwrap_or("/")));
    attributes.insert(
        "description".into(),
        policy
            .description()
            .filter(|text| !text.is_empty())
            .map(Value::string)
            .unwrap_or_default(),
    );
    attributes.insert(
        "policy_id".into(),
        Value::string(policy.policy_id().unwrap_or_default()),
    );
    attributes.insert(
        "attachment_count".into(),
        Value::Number(f64::from(policy.attachment_count().unwrap_or(0))),
    );
    attributes.insert(
        "policy".into(),
        prior.get("policy").cloned().unwrap_or_default(),
    );
    let (tags, tags_all) = split_tags(context, common::tags_from_iam(policy.tags()));
    attributes.insert("tags".into(), tags);
    attributes.insert("tags_all".into(), tags_all);
    attributes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_non_default_version_makes_room() {
        let versions = vec![
            ("v5".to_string(), true, 50),
            ("v2".to_string(), false, 20),
            ("v3".to_string(), false, 30),
            ("v4".to_string(), false, 40),
            ("v1".to_string(), false, 20),
        ];
        assert_eq!(oldest_non_default(&versions), Some("v1".to_string()));
        assert_eq!(oldest_non_default(&versions[..1]), None);
    }

    #[test]
    fn description_forces_replacement_and_the_document_does_not() {
        let policy = IamPolicy::new();
        let schema = policy.schema();
        assert!(schema.attribute("description").is_some_and(|a| a.force_new));
        assert!(schema.attribute("policy").is_some_and(|a| !a.force_new));
        assert!(schema.attribute("tags").is_some_and(|a| !a.force_new));
    }
}
