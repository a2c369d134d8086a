//! `aws_secretsmanager_secret_version`: a value of a Secrets Manager secret. Id
//! `secret_arn|version_id`, as in Terraform.
//!
//! AWS calls: PutSecretValue (create, with the idempotency token as `ClientRequestToken`, which
//! becomes the version id; and update of `secret_string`, which puts a new version with the
//! stages and moves the id to it), DescribeSecret (which versions exist and their stages; a
//! secret scheduled for deletion counts as gone), GetSecretValue of the version (drift of
//! `secret_string` is seen), UpdateSecretVersionStage (stages added or removed in place; at
//! delete, every stage except AWSCURRENT is taken off the version; AWS cannot leave a secret
//! without AWSCURRENT, so that version stays until its secret is deleted, as in Terraform).
//!
//! Replacement: a change of `secret_id`. `secret_string` (sensitive) and `version_stages`
//! change in place.
//!
//! Recovery: the version id is the idempotency token; `recover` asks for that version.

use crate::aws::kit::attributes;
use crate::aws::AwsContext;
use async_trait::async_trait;

use super::secretsmanager_secret::describe;
use crate::aws::kit::attributes::{required_string};
use crate::aws::kit::sdk_error;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

const CURRENT: &str = "AWSCURRENT";

pub struct SecretsmanagerSecretVersion {
    schema: Schema,
}

impl SecretsmanagerSecretVersion {
    pub fn new() -> Self {
        SecretsmanagerSecretVersion {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("`secret_arn|version_id`."),
                Attribute::required("secret_id", AttrType::String)
                    .force_new()
                    .describe("ARN or name of the secret."),
                Attribute::optional("secret_string", AttrType::String)
                    .sensitive()
                    .describe("The value; a change puts a new version."),
                Attribute::optional_computed("version_stages", AttrType::set_of_strings())
                    .describe("Staging labels; AWSCURRENT when absent."),
                Attribute::computed("version_id", AttrType::String),
                Attribute::computed("arn", AttrType::String),
            ]),
        }
    }
}

impl Default for SecretsmanagerSecretVersion {
    fn default() -> Self {
        SecretsmanagerSecretVersion::new()
    }
}

/// `arn|version` → (arn, version).
pub fn split_id(id: &str) -> Result<(&str, &str), ProviderError> {
    id.rsplit_once('|')
        .filter(|(arn, version)| !arn.is_empty() && !version.is_empty())
        .ok_or_else(|| {
            ProviderError::invalid("id", format!("{id:?} is not `secret_arn|version_id`"))
        })
}

fn stages(attributes: &Attributes) -> Vec<String> {
    let mut stages = attributes::string_list(attributes, "version_stages");
    if stages.is_empty() {
        stages.push(CURRENT.to_string());
    }
    stages.sort();
    stages.dedup();
    stages
}

/// A version id from the idempotency token: 32-64 characters as Secrets Manager wants.
pub fn request_token(token: &str) -> String {
    let mut text: String = token
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(64)
        .collect();
    while text.len() < 32 {
        text.push('0');
    }
    text
}

async fn put(
    context: &ProviderContext,
    secret_id: &str,
    token: &str,
    desired: &Attributes,
) -> Result<(String, String), ProviderError> {
    let output = context
        .aws()
        .secretsmanager
        .put_secret_value()
        .secret_id(secret_id)
        .client_request_token(token)
        .set_secret_string(
            desired
                .get("secret_string")
                .and_then(Value::as_str)
                .map(str::to_string),
        )
        .set_version_stages(Some(stages(desired)))
        .send()
        .await
        .map_err(|error| sdk_error("PutSecretValue", error))?;
    Ok((
        output.arn().unwrap_or(secret_id).to_string(),
        output.version_id().unwrap_or(token).to_string(),
    ))
}

/// The version's attributes (`None` when the secret or the version is gone).
async fn read_version(
    context: &ProviderContext,
    secret_id: &str,
    version_id: &str,
    prior: &Attributes,
) -> Result<Option<Attributes>, ProviderError> {
    let Some(secret) = describe(context, secret_id).await? else {
        return Ok(None);
    };
    if secret.deleted_date().is_some() {
        return Ok(None);
    }
    let Some(version_stages) = secret
        .version_ids_to_stages()
        .and_then(|versions| versions.get(version_id))
    else {
        return Ok(None);
    };
    let value = match context
        .aws()
        .secretsmanager
        .get_secret_value()
        .secret_id(secret_id)
        .version_id(version_id)
        .send()
        .await
    {
        Ok(value) => value,
        Err(error) => {
            let error = sdk_error("GetSecretValue", error);
            return crate::aws::kit::none_if_gone(error);
        }
    };
    let arn = secret.arn().unwrap_or(secret_id);
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::String(format!("{arn}|{version_id}")));
    attributes.insert(
        "secret_id".into(),
        prior
            .get("secret_id")
            .cloned()
            .unwrap_or_else(|| Value::string(arn)),
    );
    attributes.insert(
        "secret_string".into(),
        value.secret_string().map(Value::string).unwrap_or_default(),
    );
    let mut stage_list: Vec<&String> = version_stages.iter().collect();
    stage_list.sort();
    attributes.insert(
        "version_stages".into(),
        attributes::string_list_value(stage_list),
    );
    attributes.insert("version_id".into(), Value::string(version_id));
    attributes.insert("arn".into(), Value::string(arn));
    Ok(Some(attributes))
}

#[async_trait]
impl Resource for SecretsmanagerSecretVersion {
    fn type_name(&self) -> &'static str {
        "aws_secretsmanager_secret_version"
    }

    fn import_id(&self) -> String {
        "secret ARN|version id (arn:aws:secretsmanager:…|uuid)".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let secret_id = required_string(desired, "secret_id")?;
        let token = request_token(&context.idempotency_token);
        let (arn, version_id) = put(context, &secret_id, &token, desired).await?;
        let mut attributes = desired.clone();
        attributes.insert("id".into(), Value::String(format!("{arn}|{version_id}")));
        attributes.insert("arn".into(), Value::String(arn));
        attributes.insert("version_id".into(), Value::String(version_id));
        attributes.insert(
            "version_stages".into(),
            attributes::string_list_value(stages(desired)),
        );
        Ok(attributes)
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let (arn, version_id) = split_id(id)?;
        read_version(context, arn, version_id, prior).await
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let (arn, version_id) = split_id(id)?;
        let client = &context.aws().secretsmanager;
        if prior.get("secret_string") != desired.get("secret_string") {
            // A new value is a new version; the token is fresh so AWS cannot mistake it for a
            // retry of the previous put.
            let token = format!("{:032x}", rand::random::<u128>());
            let (arn, new_version) = put(context, arn, &token, desired).await?;
            return read_version(context, &arn, &new_version, desired)
                .await?
                .ok_or_else(|| ProviderError::Refused(format!("secret version {id} vanished")));
        }
        let wanted = stages(desired);
        let had = stages(prior);
        for stage in wanted.iter().filter(|stage| !had.contains(stage)) {
            client
                .update_secret_version_stage()
                .secret_id(arn)
                .version_stage(stage)
                .move_to_version_id(version_id)
                .send()
                .await
                .map_err(|error| sdk_error("UpdateSecretVersionStage", error))?;
        }
        for stage in had.iter().filter(|stage| !wanted.contains(stage)) {
            client
                .update_secret_version_stage()
                .secret_id(arn)
                .version_stage(stage)
                .remove_from_version_id(version_id)
                .send()
                .await
                .map_err(|error| sdk_error("UpdateSecretVersionStage", error))?;
        }
        read_version(context, arn, version_id, desired)
            .await?
            .ok_or_else(|| ProviderError::Refused(format!("secret version {id} vanished")))
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let (arn, version_id) = split_id(id)?;
        let Some(current) = read_version(context, arn, version_id, prior).await? else {
            return Ok(());
        };
        for stage in stages(&current).iter().filter(|stage| *stage != CURRENT) {
            match context
                .aws()
                .secretsmanager
                .update_secret_version_stage()
                .secret_id(arn)
                .version_stage(stage)
                .remove_from_version_id(version_id)
                .send()
                .await
            {
                Ok(_) => {}
                Err(error) => {
                    let error = sdk_error("UpdateSecretVersionStage", error);
                    crate::aws::kit::ok_if_gone(error)?;
                }
            }
        }
        Ok(())
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let secret_id = required_string(desired, "secret_id")?;
        let token = request_token(&context.idempotency_token);
        read_version(context, &secret_id, &token, desired).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_split_at_the_last_bar() {
        let arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:edgemind/dev/mqtt-AbCdEf";
        let id = format!("{arn}|v-1");
        assert_eq!(split_id(&id).ok(), Some((arn, "v-1")));
        assert!(split_id("no-bar").is_err());
    }

    #[test]
    fn request_tokens_are_32_to_64_characters() {
        assert_eq!(request_token("abc").len(), 32);
        assert_eq!(request_token(&"x".repeat(80)).len(), 64);
        let uuid = "3f2c1d7e-9b8a-4c6d-8e5f-1a2b3c4d5e6f";
        assert_eq!(request_token(uuid), uuid);
    }

    #[test]
    fn stages_default_to_awscurrent() {
        assert_eq!(stages(&Attributes::new()), vec![CURRENT.to_string()]);
    }
}
