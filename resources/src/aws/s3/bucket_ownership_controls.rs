//! `aws_s3_bucket_ownership_controls`: who owns objects written to a bucket.
//!
//! AWS calls: PutBucketOwnershipControls (create, update), GetBucketOwnershipControls (read;
//! `OwnershipControlsNotFoundError` means gone), DeleteBucketOwnershipControls.
//! Replacement: a different `bucket`; the rule changes in place. Recovery: the put is
//! idempotent, an interrupted create is made again. moto 5.2.1 shows all of this.

use crate::aws::AwsContext;
use async_trait::async_trait;
use aws_sdk_s3::types::{ObjectOwnership, OwnershipControls, OwnershipControlsRule};

use crate::aws::kit::attributes;
use crate::aws::s3::common;
use crate::aws::kit::sdk_error;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

const ABSENT: &[&str] = &["OwnershipControlsNotFoundError"];

pub struct S3BucketOwnershipControls {
    schema: Schema,
}

impl S3BucketOwnershipControls {
    pub fn new() -> Self {
        S3BucketOwnershipControls {
            schema: Schema::new(vec![common::id_attribute(), common::bucket_attribute()])
                .with_block(NestedBlock {
                    name: "rule",
                    nesting: BlockNesting::Single,
                    schema: Schema::new(vec![Attribute::required(
                        "object_ownership",
                        AttrType::String,
                    )
                    .describe("`BucketOwnerEnforced`, `BucketOwnerPreferred` or `ObjectWriter`.")]),
                    force_new: false,
                    computed: false,
                }),
        }
    }
}

impl Default for S3BucketOwnershipControls {
    fn default() -> Self {
        S3BucketOwnershipControls::new()
    }
}

fn ownership(desired: &Attributes) -> Result<String, ProviderError> {
    attributes::block(desired, "rule")
        .and_then(|rule| attributes::optional_string(rule, "object_ownership"))
        .ok_or_else(|| {
            ProviderError::invalid("rule", "a rule block with object_ownership is required")
        })
}

fn attributes_for(bucket: &str, ownership: String) -> Attributes {
    let mut attributes = common::setting_attributes(bucket);
    attributes.insert(
        "rule".into(),
        attributes::block_value([attributes::map([("object_ownership", Value::String(ownership))])]),
    );
    attributes
}

async fn put(
    context: &ProviderContext,
    bucket: &str,
    ownership: &str,
) -> Result<(), ProviderError> {
    let rule = OwnershipControlsRule::builder()
        .object_ownership(ObjectOwnership::from(ownership))
        .build()
        .map_err(|error| ProviderError::invalid("rule", error.to_string()))?;
    let controls = OwnershipControls::builder()
        .rules(rule)
        .build()
        .map_err(|error| ProviderError::invalid("rule", error.to_string()))?;
    context
        .aws()
        .s3
        .put_bucket_ownership_controls()
        .bucket(bucket)
        .ownership_controls(controls)
        .send()
        .await
        .map(|_| ())
        .map_err(|error| sdk_error("PutBucketOwnershipControls", error))
}

#[async_trait]
impl Resource for S3BucketOwnershipControls {
    fn type_name(&self) -> &'static str {
        "aws_s3_bucket_ownership_controls"
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
        let ownership = ownership(desired)?;
        put(context, &bucket, &ownership).await?;
        Ok(attributes_for(&bucket, ownership))
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
            .get_bucket_ownership_controls()
            .bucket(id)
            .send()
            .await
        {
            Ok(output) => output,
            Err(error) => {
                return common::absent_or(sdk_error("GetBucketOwnershipControls", error), ABSENT)
            }
        };
        let Some(rule) = output
            .ownership_controls()
            .and_then(|controls| controls.rules().first())
        else {
            return Ok(None);
        };
        Ok(Some(attributes_for(
            id,
            rule.object_ownership().as_str().to_string(),
        )))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let ownership = ownership(desired)?;
        put(context, id, &ownership).await?;
        Ok(attributes_for(id, ownership))
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
            .delete_bucket_ownership_controls()
            .bucket(id)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(error) => {
                common::absent_or(sdk_error("DeleteBucketOwnershipControls", error), ABSENT)
                    .map(|_: Option<()>| ())
            }
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
