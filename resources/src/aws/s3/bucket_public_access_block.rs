//! `aws_s3_bucket_public_access_block`: the four public-access switches of a bucket.
//!
//! AWS calls: PutPublicAccessBlock (create, update), GetPublicAccessBlock (read;
//! `NoSuchPublicAccessBlockConfiguration` means gone), DeletePublicAccessBlock.
//! Replacement: a different `bucket`; the switches change in place. Recovery: the put is
//! idempotent, an interrupted create is made again. moto 5.2.1 shows all of this.

use crate::aws::AwsContext;
use async_trait::async_trait;
use aws_sdk_s3::types::PublicAccessBlockConfiguration;

use crate::aws::kit::attributes;
use crate::aws::s3::common;
use crate::aws::kit::sdk_error;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

const SWITCHES: [&str; 4] = [
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
];

const ABSENT: &[&str] = &["NoSuchPublicAccessBlockConfiguration"];

pub struct S3BucketPublicAccessBlock {
    schema: Schema,
}

impl S3BucketPublicAccessBlock {
    pub fn new() -> Self {
        let mut attributes = vec![common::id_attribute(), common::bucket_attribute()];
        attributes.extend(
            SWITCHES
                .iter()
                .map(|name| Attribute::optional(name, AttrType::Bool).default(false)),
        );
        S3BucketPublicAccessBlock {
            schema: Schema::new(attributes),
        }
    }
}

impl Default for S3BucketPublicAccessBlock {
    fn default() -> Self {
        S3BucketPublicAccessBlock::new()
    }
}

fn switch(attributes: &Attributes, name: &str) -> bool {
    attributes::optional_bool(attributes, name).unwrap_or(false)
}

async fn put(
    context: &ProviderContext,
    bucket: &str,
    desired: &Attributes,
) -> Result<(), ProviderError> {
    let configuration = PublicAccessBlockConfiguration::builder()
        .block_public_acls(switch(desired, "block_public_acls"))
        .block_public_policy(switch(desired, "block_public_policy"))
        .ignore_public_acls(switch(desired, "ignore_public_acls"))
        .restrict_public_buckets(switch(desired, "restrict_public_buckets"))
        .build();
    context
        .aws()
        .s3
        .put_public_access_block()
        .bucket(bucket)
        .public_access_block_configuration(configuration)
        .send()
        .await
        .map(|_| ())
        .map_err(|error| sdk_error("PutPublicAccessBlock", error))
}

#[async_trait]
impl Resource for S3BucketPublicAccessBlock {
    fn type_name(&self) -> &'static str {
        "aws_s3_bucket_public_access_block"
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
        put(context, &bucket, desired).await?;
        let mut attributes = common::setting_attributes(&bucket);
        for name in SWITCHES {
            attributes.insert(name.into(), Value::Bool(switch(desired, name)));
        }
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
            .get_public_access_block()
            .bucket(id)
            .send()
            .await
        {
            Ok(output) => output,
            Err(error) => {
                return common::absent_or(sdk_error("GetPublicAccessBlock", error), ABSENT)
            }
        };
        let Some(configuration) = output.public_access_block_configuration() else {
            return Ok(None);
        };
        let mut attributes = common::setting_attributes(id);
        let values = [
            configuration.block_public_acls(),
            configuration.block_public_policy(),
            configuration.ignore_public_acls(),
            configuration.restrict_public_buckets(),
        ];
        for (name, value) in SWITCHES.iter().zip(values) {
            attributes.insert(name.to_string(), Value::Bool(value.unwrap_or(false)));
        }
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
            ProviderError::Refused(format!("public access block of {id} disappeared"))
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
            .delete_public_access_block()
            .bucket(id)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(error) => common::absent_or(sdk_error("DeletePublicAccessBlock", error), ABSENT)
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
