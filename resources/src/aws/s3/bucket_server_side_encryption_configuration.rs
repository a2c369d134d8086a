//! `aws_s3_bucket_server_side_encryption_configuration`: a bucket's default encryption.
//!
//! AWS calls: PutBucketEncryption (create, update), GetBucketEncryption (read;
//! `ServerSideEncryptionConfigurationNotFoundError` means gone), DeleteBucketEncryption (AWS
//! then falls back to SSE-S3, which every bucket has since 2023).
//! Replacement: a different `bucket`; rules change in place. Recovery: the put is idempotent,
//! an interrupted create is made again. moto 5.2.1 shows all of this.

use crate::aws::AwsContext;
use async_trait::async_trait;
use aws_sdk_s3::types::{
    ServerSideEncryption, ServerSideEncryptionByDefault, ServerSideEncryptionConfiguration,
    ServerSideEncryptionRule,
};

use crate::aws::kit::attributes;
use crate::aws::s3::common;
use crate::aws::kit::sdk_error;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

const ABSENT: &[&str] = &["ServerSideEncryptionConfigurationNotFoundError"];

pub struct S3BucketServerSideEncryptionConfiguration {
    schema: Schema,
}

/// The `rule` block (also the inner block of `aws_s3_bucket`'s inline
/// `server_side_encryption_configuration`).
pub fn rule_block() -> NestedBlock {
    let by_default = NestedBlock {
            name: "apply_server_side_encryption_by_default",
            nesting: BlockNesting::Single,
            schema: Schema::new(vec![
                Attribute::required("sse_algorithm", AttrType::String)
                    .describe("`AES256`, `aws:kms` or `aws:kms:dsse`."),
                Attribute::optional_computed("kms_master_key_id", AttrType::String),
            ]),
            force_new: false,
            computed: false,
        };
    NestedBlock {
        name: "rule",
        nesting: BlockNesting::Set,
        schema: Schema::new(vec![Attribute::optional_computed(
            "bucket_key_enabled",
            AttrType::Bool,
        )])
        .with_block(by_default),
        force_new: false,
        computed: false,
    }
}

impl S3BucketServerSideEncryptionConfiguration {
    pub fn new() -> Self {
        S3BucketServerSideEncryptionConfiguration {
            schema: Schema::new(vec![common::id_attribute(), common::bucket_attribute()])
                .with_block(rule_block()),
        }
    }
}

impl Default for S3BucketServerSideEncryptionConfiguration {
    fn default() -> Self {
        S3BucketServerSideEncryptionConfiguration::new()
    }
}

/// The request's configuration from the `rule` blocks.
pub fn configuration(desired: &Attributes) -> Result<ServerSideEncryptionConfiguration, ProviderError> {
    let mut rules = Vec::new();
    for rule in attributes::blocks(desired, "rule") {
        let by_default = match attributes::block(rule, "apply_server_side_encryption_by_default") {
            Some(block) => Some(
                ServerSideEncryptionByDefault::builder()
                    .sse_algorithm(ServerSideEncryption::from(
                        attributes::required_string(block, "sse_algorithm")?.as_str(),
                    ))
                    .set_kms_master_key_id(attributes::non_empty(block, "kms_master_key_id"))
                    .build()
                    .map_err(|error| ProviderError::invalid("rule", error.to_string()))?,
            ),
            None => None,
        };
        rules.push(
            ServerSideEncryptionRule::builder()
                .set_apply_server_side_encryption_by_default(by_default)
                .set_bucket_key_enabled(attributes::optional_bool(rule, "bucket_key_enabled"))
                .build(),
        );
    }
    if rules.is_empty() {
        return Err(ProviderError::invalid(
            "rule",
            "at least one rule block is required",
        ));
    }
    ServerSideEncryptionConfiguration::builder()
        .set_rules(Some(rules))
        .build()
        .map_err(|error| ProviderError::invalid("rule", error.to_string()))
}

/// The `rule` blocks of a configuration AWS returned.
pub fn rules_value(configuration: &ServerSideEncryptionConfiguration) -> Value {
    attributes::block_value(configuration.rules().iter().map(|rule| {
        let by_default = rule.apply_server_side_encryption_by_default().map(|block| {
            attributes::map([
                (
                    "sse_algorithm",
                    Value::string(block.sse_algorithm().as_str()),
                ),
                (
                    "kms_master_key_id",
                    block.kms_master_key_id().map_or(Value::Null, Value::string),
                ),
            ])
        });
        attributes::map([
            (
                "bucket_key_enabled",
                Value::Bool(rule.bucket_key_enabled().unwrap_or(false)),
            ),
            (
                "apply_server_side_encryption_by_default",
                attributes::block_value(by_default),
            ),
        ])
    }))
}

async fn put(
    context: &ProviderContext,
    bucket: &str,
    desired: &Attributes,
) -> Result<ServerSideEncryptionConfiguration, ProviderError> {
    let configuration = configuration(desired)?;
    context
        .aws()
        .s3
        .put_bucket_encryption()
        .bucket(bucket)
        .server_side_encryption_configuration(configuration.clone())
        .send()
        .await
        .map_err(|error| sdk_error("PutBucketEncryption", error))?;
    Ok(configuration)
}

#[async_trait]
impl Resource for S3BucketServerSideEncryptionConfiguration {
    fn type_name(&self) -> &'static str {
        "aws_s3_bucket_server_side_encryption_configuration"
    }

    fn import_id(&self) -> String {
        "bucket name".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let bucket = common::bucket(desired)?;
        let configuration = put(context, &bucket, desired).await?;
        let mut attributes = common::setting_attributes(&bucket);
        attributes.insert("rule".into(), rules_value(&configuration));
        Ok(attributes)
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let output = match context
            .aws()
            .s3
            .get_bucket_encryption()
            .bucket(id)
            .send()
            .await
        {
            Ok(output) => output,
            Err(error) => {
                return common::absent_or(sdk_error("GetBucketEncryption", error), ABSENT)
            }
        };
        let Some(configuration) = output.server_side_encryption_configuration() else {
            return Ok(None);
        };
        let mut attributes = common::setting_attributes(id);
        attributes.insert("rule".into(), rules_value(configuration));
        Ok(Some(attributes))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        put(context, id, desired).await?;
        self.read(context, id, prior).await?.ok_or_else(|| {
            ProviderError::Refused(format!("encryption configuration of {id} disappeared"))
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
            .s3
            .delete_bucket_encryption()
            .bucket(id)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(error) => common::absent_or(sdk_error("DeleteBucketEncryption", error), ABSENT)
                .map(|_: Option<()>| ()),
        }
    }

    async fn recover(
        &self,
        _context: &ProviderContext,
        _desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configuration_round_trips_through_the_rule_blocks() {
        let desired = attributes::map([(
            "rule",
            attributes::block_value([attributes::map([
                ("bucket_key_enabled", Value::Bool(true)),
                (
                    "apply_server_side_encryption_by_default",
                    attributes::block_value([attributes::map([
                        ("sse_algorithm", Value::string("AES256")),
                        ("kms_master_key_id", Value::Null),
                    ])]),
                ),
            ])]),
        )]);
        let built = configuration(&desired).expect("valid configuration");
        assert_eq!(rules_value(&built), desired["rule"]);
        assert!(configuration(&Attributes::new()).is_err());
    }
}
