//! `aws_s3_bucket_policy`: a bucket's policy document (compared as JSON, by meaning).
//!
//! AWS calls: PutBucketPolicy (create, update), GetBucketPolicy (read; `NoSuchBucketPolicy`
//! means gone), DeleteBucketPolicy. Replacement: a different `bucket`; the policy changes in
//! place. Recovery: the put is idempotent, an interrupted create is made again.
//! moto 5.2.1 shows all of this (it does not evaluate the policy).

use crate::aws::AwsContext;
use async_trait::async_trait;

use crate::aws::kit::attributes;
use crate::aws::s3::common;
use crate::aws::kit::sdk_error;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

const ABSENT: &[&str] = &["NoSuchBucketPolicy"];

pub struct S3BucketPolicy {
    schema: Schema,
}

impl S3BucketPolicy {
    pub fn new() -> Self {
        S3BucketPolicy {
            schema: Schema::new(vec![
                common::id_attribute(),
                common::bucket_attribute(),
                Attribute::required("policy", AttrType::Json)
                    .describe("The policy document (JSON, e.g. `jsonencode({...})`)."),
            ]),
        }
    }
}

impl Default for S3BucketPolicy {
    fn default() -> Self {
        S3BucketPolicy::new()
    }
}

async fn put(context: &ProviderContext, bucket: &str, policy: &str) -> Result<(), ProviderError> {
    context
        .aws()
        .s3
        .put_bucket_policy()
        .bucket(bucket)
        .policy(policy)
        .send()
        .await
        .map(|_| ())
        .map_err(|error| sdk_error("PutBucketPolicy", error))
}

#[async_trait]
impl Resource for S3BucketPolicy {
    fn type_name(&self) -> &'static str {
        "aws_s3_bucket_policy"
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
        let policy = attributes::required_string(desired, "policy")?;
        put(context, &bucket, &policy).await?;
        let mut attributes = common::setting_attributes(&bucket);
        attributes.insert("policy".into(), Value::String(policy));
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
            .get_bucket_policy()
            .bucket(id)
            .send()
            .await
        {
            Ok(output) => output,
            Err(error) => return common::absent_or(sdk_error("GetBucketPolicy", error), ABSENT),
        };
        let mut attributes = common::setting_attributes(id);
        attributes.insert(
            "policy".into(),
            Value::string(output.policy().unwrap_or_default()),
        );
        Ok(Some(attributes))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        put(context, id, &attributes::required_string(desired, "policy")?).await?;
        self.read(context, id, prior)
            .await?
            .ok_or_else(|| ProviderError::Refused(format!("policy of bucket {id} disappeared")))
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
            .delete_bucket_policy()
            .bucket(id)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(error) => common::absent_or(sdk_error("DeleteBucketPolicy", error), ABSENT)
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
