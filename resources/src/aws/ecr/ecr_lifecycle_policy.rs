//! `aws_ecr_lifecycle_policy`: the lifecycle policy of an ECR repository (which images expire).
//! Id = the repository name.
//!
//! AWS calls: PutLifecyclePolicy (create and update: it replaces the policy),
//! GetLifecyclePolicy (read; the policy text is compared by meaning, so a `jsonencode` and a
//! heredoc policy are both stable), DeleteLifecyclePolicy (`LifecyclePolicyNotFoundException`
//! or `RepositoryNotFoundException` is success).
//!
//! Replacement: a change of `repository`. The policy changes in place.
//! Recovery: PutLifecyclePolicy is idempotent; `recover` reads the repository's policy and
//! adopts it when it is the desired one.

use crate::aws::AwsContext;
use async_trait::async_trait;

use crate::aws::kit::attributes::{required_string};
use crate::aws::kit::policy::policy_document;
use crate::aws::kit::sdk_error;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct EcrLifecyclePolicy {
    schema: Schema,
}

impl EcrLifecyclePolicy {
    pub fn new() -> Self {
        EcrLifecyclePolicy {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The repository name."),
                Attribute::required("repository", AttrType::String).force_new(),
                Attribute::required("policy", AttrType::Json)
                    .describe("The lifecycle policy document, compared by meaning."),
                Attribute::computed("registry_id", AttrType::String),
            ]),
        }
    }
}

impl Default for EcrLifecyclePolicy {
    fn default() -> Self {
        EcrLifecyclePolicy::new()
    }
}

/// The policy text to record: the prior text when it means the same JSON.
fn policy_value(cloud: &str, prior: &Attributes) -> Value {
    if let Some(prior_text) = prior.get("policy").and_then(Value::as_str) {
        let same = matches!(
            (
                serde_json::from_str::<serde_json::Value>(prior_text),
                serde_json::from_str::<serde_json::Value>(cloud),
            ),
            (Ok(left), Ok(right)) if left == right
        );
        if same {
            return Value::string(prior_text);
        }
    }
    Value::string(cloud)
}

async fn put(
    context: &ProviderContext,
    repository: &str,
    policy: &str,
) -> Result<Option<String>, ProviderError> {
    let output = context
        .aws()
        .ecr
        .put_lifecycle_policy()
        .repository_name(repository)
        .lifecycle_policy_text(policy)
        .send()
        .await
        .map_err(|error| sdk_error("PutLifecyclePolicy", error))?;
    Ok(output.registry_id().map(str::to_string))
}

async fn get(
    context: &ProviderContext,
    repository: &str,
    prior: &Attributes,
) -> Result<Option<Attributes>, ProviderError> {
    let output = match context
        .aws()
        .ecr
        .get_lifecycle_policy()
        .repository_name(repository)
        .send()
        .await
    {
        Ok(output) => output,
        Err(error) => {
            let error = sdk_error("GetLifecyclePolicy", error);
            return crate::aws::kit::none_if_gone(error);
        }
    };
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::string(repository));
    attributes.insert("repository".into(), Value::string(repository));
    attributes.insert(
        "policy".into(),
        policy_value(output.lifecycle_policy_text().unwrap_or_default(), prior),
    );
    attributes.insert(
        "registry_id".into(),
        Value::string(output.registry_id().unwrap_or_default()),
    );
    Ok(Some(attributes))
}

#[async_trait]
impl Resource for EcrLifecyclePolicy {
    fn type_name(&self) -> &'static str {
        "aws_ecr_lifecycle_policy"
    }

    fn import_id(&self) -> String {
        "repository name".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let repository = required_string(desired, "repository")?;
        let policy = policy_document(desired, "policy")?;
        let registry_id = put(context, &repository, &policy).await?;
        let mut attributes = desired.clone();
        attributes.insert("id".into(), Value::String(repository));
        attributes.insert(
            "registry_id".into(),
            registry_id.map(Value::String).unwrap_or_default(),
        );
        Ok(attributes)
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        get(context, id, prior).await
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let policy = policy_document(desired, "policy")?;
        put(context, id, &policy).await?;
        get(context, id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!(
                "lifecycle policy of {id} disappeared during update"
            ))
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
            .ecr
            .delete_lifecycle_policy()
            .repository_name(id)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(error) => {
                let error = sdk_error("DeleteLifecyclePolicy", error);
                crate::aws::kit::ok_if_gone(error)
            }
        }
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let repository = required_string(desired, "repository")?;
        let Some(found) = get(context, &repository, desired).await? else {
            return Ok(None);
        };
        Ok((found.get("policy") == desired.get("policy")).then_some(found))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equivalent_policy_text_keeps_the_prior_spelling() {
        let prior_text = "{\n  \"rules\": [ {\"rulePriority\": 1} ]\n}";
        let prior: Attributes = [("policy".to_string(), Value::string(prior_text))]
            .into_iter()
            .collect();
        assert_eq!(
            policy_value(r#"{"rules":[{"rulePriority":1}]}"#, &prior),
            Value::string(prior_text)
        );
        assert_eq!(
            policy_value(r#"{"rules":[{"rulePriority":2}]}"#, &prior),
            Value::string(r#"{"rules":[{"rulePriority":2}]}"#)
        );
    }
}
