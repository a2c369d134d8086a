//! `aws_secretsmanager_secret`: a Secrets Manager secret (the container; its value is an
//! `aws_secretsmanager_secret_version`). Id = the secret ARN.
//!
//! AWS calls: CreateSecret (name, description, KMS key, tags), DescribeSecret (read; a secret
//! scheduled for deletion counts as gone), UpdateSecret (description, KMS key), TagResource /
//! UntagResource, DeleteSecret with `RecoveryWindowInDays` = `recovery_window_in_days`, or
//! `ForceDeleteWithoutRecovery` when it is 0.
//!
//! Re-apply after destroy: a secret deleted with a recovery window keeps its name until the
//! window ends, and even a forced delete takes a moment in real AWS. When CreateSecret answers
//! `InvalidRequestException` "scheduled for deletion" (moto 5.2.1 answers
//! `ResourceExistsException`; then DescribeSecret confirms the `DeletedDate`), create restores
//! the secret
//! (RestoreSecret), brings its description, KMS key and tags to the spec (UpdateSecret,
//! TagResource/UntagResource) and adopts it. Its old versions come back with it; the
//! `aws_secretsmanager_secret_version` of the spec then puts its own value as AWSCURRENT.
//!
//! Resource policy: `policy` is put with PutResourcePolicy, read with GetResourcePolicy
//! (compared by meaning, so a heredoc and a `jsonencode` policy both plan no-op) and removed
//! with DeleteResourcePolicy when the spec drops it.
//!
//! Replacement: a change of `name` or `name_prefix`. Description, KMS key, policy, recovery
//! window (only used at delete) and tags change in place.
//!
//! Recovery: the name is deterministic (`name`, or `name_prefix` plus a suffix from the
//! idempotency token); `recover` describes it by name and adopts it when it carries this
//! stack's `provision:*` tags.
//!
//! Drift: `list_managed` is ListSecrets filtered by the `provision:stack` tag key (not the
//! Tagging API, whose GetResources still lists a secret scheduled for deletion).

use crate::aws::kit::recovery;
use crate::aws::kit::ResultExt;
use crate::aws::AwsContext;
use std::collections::BTreeMap;

use async_trait::async_trait;
use aws_sdk_secretsmanager::operation::describe_secret::DescribeSecretOutput;
use aws_sdk_secretsmanager::types::Tag;

use crate::aws::kit::naming::resolve_name;
use crate::aws::kit::sdk_error;
use crate::aws::kit::tags::{split_tags, sync_tag_maps, tag_api};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct SecretsmanagerSecret {
    schema: Schema,
}

impl SecretsmanagerSecret {
    pub fn new() -> Self {
        SecretsmanagerSecret {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The secret ARN."),
                Attribute::optional_computed("name", AttrType::String)
                    .force_new()
                    .describe("The secret name (`edgemind/dev/mqtt`)."),
                Attribute::optional("name_prefix", AttrType::String).force_new(),
                Attribute::optional("description", AttrType::String),
                Attribute::optional("kms_key_id", AttrType::String)
                    .describe("KMS key that encrypts the values; AWS's managed key when absent."),
                Attribute::optional("recovery_window_in_days", AttrType::Number)
                    .default(30.0)
                    .describe("Days a deleted secret can be restored (7-30); 0 deletes at once."),
                Attribute::optional("policy", AttrType::Json)
                    .describe("The resource policy, compared by meaning."),
                Attribute::computed("arn", AttrType::String),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ]),
        }
    }
}

impl Default for SecretsmanagerSecret {
    fn default() -> Self {
        SecretsmanagerSecret::new()
    }
}

fn sm_tags(tags: &BTreeMap<String, String>) -> Vec<Tag> {
    tags.iter()
        .map(|(key, value)| Tag::builder().key(key).value(value).build())
        .collect()
}

fn tags_from_sm(tags: &[Tag]) -> BTreeMap<String, String> {
    tags.iter()
        .filter_map(|tag| {
            Some((
                tag.key()?.to_string(),
                tag.value().unwrap_or_default().to_string(),
            ))
        })
        .collect()
}

fn optional_string(attributes: &Attributes, name: &str) -> Option<String> {
    attributes
        .get(name)
        .and_then(Value::as_str)
        .filter(|text| !text.is_empty())
        .map(str::to_string)
}

/// `recovery_window_in_days`: 0 (force) or 7-30.
pub fn recovery_window(attributes: &Attributes) -> Result<i64, ProviderError> {
    let days = attributes
        .get("recovery_window_in_days")
        .and_then(Value::as_f64)
        .unwrap_or(30.0);
    if days.fract() != 0.0 || !(days == 0.0 || (7.0..=30.0).contains(&days)) {
        return Err(ProviderError::invalid(
            "recovery_window_in_days",
            "must be 0 (delete at once) or a whole number of days from 7 to 30",
        ));
    }
    Ok(days as i64)
}

/// CreateSecret's answers for a name already taken: `InvalidRequestException` "scheduled for
/// deletion" (AWS, for a deleted secret in its recovery window) or `ResourceExistsException`
/// (a live secret, and moto's answer for a deleted one too).
fn error_names_existing_secret(error: &ProviderError) -> bool {
    is_scheduled_for_deletion(error) || error.code() == Some("ResourceExistsException")
}

fn is_scheduled_for_deletion(error: &ProviderError) -> bool {
    // AWS (and moto) word it three ways: "scheduled for deletion", "marked for deletion" and,
    // for a second DeleteSecret, "a secret that's currently marked deleted".
    matches!(error, ProviderError::Aws { code, message, .. }
        if code == "InvalidRequestException"
            && ["scheduled for deletion", "marked for deletion", "marked deleted"]
                .iter()
                .any(|wording| message.contains(wording)))
}

/// DescribeSecret (`None` when absent).
pub async fn describe(
    context: &ProviderContext,
    secret_id: &str,
) -> Result<Option<DescribeSecretOutput>, ProviderError> {
    match context
        .aws()
        .secretsmanager
        .describe_secret()
        .secret_id(secret_id)
        .send()
        .await
    {
        Ok(output) => Ok(Some(output)),
        Err(error) => {
            let error = sdk_error("DescribeSecret", error);
            crate::aws::kit::none_if_gone(error)
        }
    }
}

fn secret_attributes(
    context: &ProviderContext,
    secret: &DescribeSecretOutput,
    prior: &Attributes,
) -> Attributes {
    let arn = secret.arn().unwrap_or_default();
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::string(arn));
    attributes.insert("arn".into(), Value::string(arn));
    attributes.insert(
        "name".into(),
        Value::string(secret.name().unwrap_or_default()),
    );
    for kept in ["name_prefix", "recovery_window_in_days"] {
        attributes.insert(kept.into(), prior.get(kept).cloned().unwrap_or_default());
    }
    if attributes
        .get("recovery_window_in_days")
        .is_none_or(Value::is_null)
    {
        attributes.insert("recovery_window_in_days".into(), Value::Number(30.0));
    }
    attributes.insert(
        "description".into(),
        secret
            .description()
            .filter(|text| !text.is_empty())
            .map(Value::string)
            .unwrap_or_default(),
    );
    attributes.insert(
        "kms_key_id".into(),
        secret
            .kms_key_id()
            .filter(|key| !key.is_empty())
            .map(Value::string)
            .unwrap_or_default(),
    );
    let (tags, tags_all) = split_tags(context, tags_from_sm(secret.tags()));
    attributes.insert("tags".into(), tags);
    attributes.insert("tags_all".into(), tags_all);
    attributes
}

/// The secret's resource policy (`None` when it has none).
async fn resource_policy(
    context: &ProviderContext,
    secret_id: &str,
) -> Result<Option<String>, ProviderError> {
    let output = context
        .aws()
        .secretsmanager
        .get_resource_policy()
        .secret_id(secret_id)
        .send()
        .await
        .map_err(|error| sdk_error("GetResourcePolicy", error))?;
    Ok(output
        .resource_policy()
        .filter(|policy| !policy.trim().is_empty())
        .map(str::to_string))
}

/// Puts `desired`'s policy on the secret, or deletes the one it has when `desired` has none.
async fn converge_policy(
    context: &ProviderContext,
    secret_id: &str,
    desired: &Attributes,
) -> Result<(), ProviderError> {
    let client = &context.aws().secretsmanager;
    let current = resource_policy(context, secret_id).await?;
    match optional_string(desired, "policy") {
        Some(policy) => {
            let same = current.as_deref().is_some_and(|current| {
                crate::aws::kit::policy::policies_equivalent(current, &policy)
            });
            if !same {
                client
                    .put_resource_policy()
                    .secret_id(secret_id)
                    .resource_policy(policy)
                    .send()
                    .await
                    .map_err(|error| sdk_error("PutResourcePolicy", error))?;
            }
        }
        None if current.is_some() => {
            client
                .delete_resource_policy()
                .secret_id(secret_id)
                .send()
                .await
                .map_err(|error| sdk_error("DeleteResourcePolicy", error))?;
        }
        None => {}
    }
    Ok(())
}

/// Adds the `policy` attribute, read from AWS.
async fn with_policy(
    context: &ProviderContext,
    secret_id: &str,
    mut attributes: Attributes,
    prior: &Attributes,
) -> Result<Attributes, ProviderError> {
    let policy = match resource_policy(context, secret_id).await? {
        Some(document) => crate::aws::kit::policy::policy_value(&document, prior, "policy"),
        None => Value::Null,
    };
    attributes.insert("policy".into(), policy);
    Ok(attributes)
}

/// Brings an existing secret's description, KMS key and tags to `desired`.
async fn converge(
    context: &ProviderContext,
    secret_id: &str,
    current: &DescribeSecretOutput,
    desired: &Attributes,
) -> Result<(), ProviderError> {
    let client = &context.aws().secretsmanager;
    let description = optional_string(desired, "description");
    let kms_key_id = optional_string(desired, "kms_key_id");
    let current_description = current.description().filter(|text| !text.is_empty());
    let current_key = current.kms_key_id().filter(|key| !key.is_empty());
    if description.as_deref() != current_description
        || (kms_key_id.is_some() && kms_key_id.as_deref() != current_key)
    {
        client
            .update_secret()
            .secret_id(secret_id)
            .description(description.unwrap_or_default())
            .set_kms_key_id(kms_key_id)
            .send()
            .await
            .map_err(|error| sdk_error("UpdateSecret", error))?;
    }
    converge_policy(context, secret_id, desired).await?;
    sync_tag_maps(
        &SecretTags,
        context,
        secret_id,
        &tags_from_sm(current.tags()),
        &context.tags_for(desired),
    )
    .await?;
    Ok(())
}

tag_api! {
    /// Secrets Manager's tag calls, on a secret id or ARN.
    struct SecretTags for secretsmanager {
        list: "DescribeSecret" describe_secret(secret_id) => |output| tags_from_sm(output.tags()),
        tag: "TagResource" tag_resource(secret_id).set_tags(|tags| Some(sm_tags(tags))),
        untag: "UntagResource" untag_resource(secret_id).set_tag_keys(|keys| Some(keys.to_vec())),
    }
}

#[async_trait]
impl Resource for SecretsmanagerSecret {
    fn type_name(&self) -> &'static str {
        "aws_secretsmanager_secret"
    }

    fn import_id(&self) -> String {
        "secret ARN".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    /// ListSecrets filtered by the `provision:stack` tag key, the value checked on each
    /// answer: unlike the Tagging API's GetResources, it leaves out secrets scheduled for
    /// deletion, which a delete leaves behind for the recovery window.
    async fn list_managed(
        &self,
        context: &ProviderContext,
        stack: &str,
    ) -> Result<Vec<(String, String)>, ProviderError> {
        use aws_sdk_secretsmanager::types::{Filter, FilterNameStringType};
        let mut pages = context
            .aws()
            .secretsmanager
            .list_secrets()
            .filters(
                Filter::builder()
                    .key(FilterNameStringType::TagKey)
                    .values(crate::aws::kit::tags::STACK_TAG)
                    .build(),
            )
            .into_paginator()
            .send();
        let mut found = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|error| sdk_error("ListSecrets", error))?;
            for secret in page.secret_list() {
                let tags = crate::aws::kit::tags::tag_map(secret.tags(), |tag| {
                    (tag.key(), tag.value())
                });
                let (Some(arn), Some(address)) = (
                    secret.arn(),
                    crate::aws::kit::tags::owned_by_stack(stack, &tags),
                ) else {
                    continue;
                };
                if secret.deleted_date().is_none() {
                    found.push((arn.to_string(), address));
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
        recovery_window(desired)?;
        let name = resolve_name(context, desired, 512);
        let client = &context.aws().secretsmanager;
        let created = client
            .create_secret()
            .name(&name)
            .set_description(optional_string(desired, "description"))
            .set_kms_key_id(optional_string(desired, "kms_key_id"))
            .set_tags(Some(sm_tags(&context.tags_for(desired))))
            .send()
            .await
            .map_err(|error| sdk_error("CreateSecret", error));
        match created {
            Ok(_) => {}
            Err(error) if error_names_existing_secret(&error) => {
                // Restore only a secret that is scheduled for deletion; a live secret of that
                // name belongs to someone else (or to `recover`), so the error stands.
                let current = describe(context, &name).await?;
                if current.is_none_or(|secret| secret.deleted_date().is_none()) {
                    return Err(error);
                }
                client
                    .restore_secret()
                    .secret_id(&name)
                    .send()
                    .await
                    .map_err(|error| sdk_error("RestoreSecret", error))?;
                let current = describe(context, &name).await?.ok_or_else(|| {
                    ProviderError::Refused(format!("secret {name} vanished after RestoreSecret"))
                })?;
                converge(context, &name, &current, desired).await?;
            }
            Err(error) => return Err(error),
        }
        if optional_string(desired, "policy").is_some() {
            converge_policy(context, &name, desired).await?;
        }
        let secret = describe(context, &name).await?.ok_or_else(|| {
            ProviderError::Refused(format!("secret {name} not found right after its creation"))
        })?;
        let attributes = secret_attributes(context, &secret, desired);
        with_policy(context, &name, attributes, desired).await
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let Some(secret) = describe(context, id)
            .await?
            .filter(|secret| secret.deleted_date().is_none())
        else {
            return Ok(None);
        };
        let attributes = secret_attributes(context, &secret, prior);
        Ok(Some(with_policy(context, id, attributes, prior).await?))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        recovery_window(desired)?;
        let current = describe(context, id)
            .await?
            .ok_or_else(|| ProviderError::Refused(format!("secret {id} disappeared")))?;
        converge(context, id, &current, desired).await?;
        self.read(context, id, desired)
            .await?
            .ok_or_else(|| ProviderError::Refused(format!("secret {id} disappeared during update")))
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let days = recovery_window(prior).unwrap_or(30);
        let request = context.aws().secretsmanager.delete_secret().secret_id(id);
        let request = if days == 0 {
            request.force_delete_without_recovery(true)
        } else {
            request.recovery_window_in_days(days)
        };
        let result = request.send().await;
        match result.map_err(|error| sdk_error("DeleteSecret", error)).gone_is_ok() {
            // Gone, or already scheduled for deletion.
            Err(error) if is_scheduled_for_deletion(&error) => Ok(()),
            other => other,
        }
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let name = resolve_name(context, desired, 512);
        // A secret scheduled for deletion is not adopted.
        let found = describe(context, &name)
            .await?
            .filter(|secret| secret.deleted_date().is_none());
        let Some(secret) = recovery::owned(context, found, |secret| tags_from_sm(secret.tags()))
        else {
            return Ok(None);
        };
        let attributes = secret_attributes(context, &secret, desired);
        Ok(Some(
            with_policy(context, &name, attributes, desired).await?,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(days: f64) -> Result<i64, ProviderError> {
        recovery_window(
            &[("recovery_window_in_days".to_string(), Value::Number(days))]
                .into_iter()
                .collect(),
        )
    }

    #[test]
    fn recovery_window_is_zero_or_seven_to_thirty() {
        assert_eq!(recovery_window(&Attributes::new()).ok(), Some(30));
        assert_eq!(window(0.0).ok(), Some(0));
        assert_eq!(window(7.0).ok(), Some(7));
        assert!(window(3.0).is_err());
        assert!(window(31.0).is_err());
    }

    #[test]
    fn scheduled_for_deletion_answers_are_recognised() {
        let error = ProviderError::Aws {
            operation: "CreateSecret".into(),
            code: "InvalidRequestException".into(),
            message: "You can't create this secret because a secret with this name is already scheduled for deletion.".into(),
        };
        assert!(is_scheduled_for_deletion(&error));
        assert!(error_names_existing_secret(&error));
        let moto = ProviderError::Aws {
            operation: "CreateSecret".into(),
            code: "ResourceExistsException".into(),
            message: "The operation failed because the secret edgemind/dev/mqtt already exists."
                .into(),
        };
        assert!(error_names_existing_secret(&moto));
        assert!(!is_scheduled_for_deletion(&moto));
    }
}
