//! Fixtures of the S3 types: one bucket and each of its configuration resources.

use serde_json::json;

use crate::harness::Fixture;

pub fn s3_bucket() -> Fixture {
    Fixture::new(
        "aws_s3_bucket",
        |created| json!({"bucket": created.name("bucket"), "tags": {"Name": created.name("bucket")}}),
    )
}

fn on_bucket(type_name: &'static str, settings: fn() -> serde_json::Value) -> Fixture {
    Fixture::new(type_name, move |created| {
        let mut config = settings();
        config["bucket"] = created.id("aws_s3_bucket");
        config
    })
    .needs(&[s3_bucket])
}

pub fn s3_bucket_versioning() -> Fixture {
    on_bucket(
        "aws_s3_bucket_versioning",
        || json!({"versioning_configuration": {"status": "Enabled"}}),
    )
    .kept_after_delete("versioning once enabled can only be suspended: read shows `Suspended`")
}

pub fn s3_bucket_server_side_encryption_configuration() -> Fixture {
    on_bucket(
        "aws_s3_bucket_server_side_encryption_configuration",
        || json!({"rule": [{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}]}),
    )
}

pub fn s3_bucket_public_access_block() -> Fixture {
    on_bucket("aws_s3_bucket_public_access_block", || {
        json!({"block_public_acls": true, "block_public_policy": true,
               "ignore_public_acls": true, "restrict_public_buckets": true})
    })
}

pub fn s3_bucket_lifecycle_configuration() -> Fixture {
    on_bucket("aws_s3_bucket_lifecycle_configuration", || {
        json!({"rule": [{"id": "expire-logs", "status": "Enabled",
                         "filter": {"prefix": "logs/"}, "expiration": {"days": 30}}]})
    })
}

pub fn s3_bucket_ownership_controls() -> Fixture {
    on_bucket(
        "aws_s3_bucket_ownership_controls",
        || json!({"rule": {"object_ownership": "BucketOwnerEnforced"}}),
    )
}

pub fn s3_bucket_policy() -> Fixture {
    Fixture::new("aws_s3_bucket_policy", |created| {
        let bucket = created.arn("aws_s3_bucket");
        let bucket = bucket.as_str().unwrap();
        json!({"bucket": created.id("aws_s3_bucket"),
               "policy": json!({"Version": "2012-10-17", "Statement": [{"Sid": "TlsOnly",
                   "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                   "Resource": [bucket, format!("{bucket}/*")],
                   "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}).to_string()})
    })
    .needs(&[s3_bucket])
}

pub fn s3_bucket_notification() -> Fixture {
    Fixture::new("aws_s3_bucket_notification", |created| {
        json!({"bucket": created.id("aws_s3_bucket"),
               "lambda_function": [{
                   "id": "audio-uploads",
                   "lambda_function_arn": created.get("aws_lambda_function", "arn"),
                   "events": ["s3:ObjectCreated:*"],
                   "filter_prefix": "uploads/", "filter_suffix": ".wav"}]})
    })
    .needs(&[s3_bucket, crate::lambda::lambda_function])
}

/// A bucket with every deprecated inline setting written (versioning, logging to the shared
/// bucket, default encryption, a lifecycle rule, a canned ACL): create, read and the rest of
/// the contract hold for them as for the plain bucket.
pub fn s3_bucket_with_inline_settings() -> Fixture {
    Fixture::new("aws_s3_bucket", |created| {
        json!({"bucket": created.name("inline"), "acl": "private",
               "versioning": [{"enabled": true}],
               "logging": [{"target_bucket": created.id("aws_s3_bucket.logs"), "target_prefix": "inline/"}],
               "server_side_encryption_configuration": [{"rule": [{
                   "apply_server_side_encryption_by_default": [{"sse_algorithm": "AES256"}]}]}],
               "lifecycle_rule": [{"id": "expire", "prefix": "tmp/", "enabled": true,
                                   "expiration": [{"days": 30}],
                                   "noncurrent_version_expiration": [{"days": 7}]}],
               "tags": {"Name": created.name("inline")}})
    })
    .needs(&[logs_bucket])
}

fn logs_bucket() -> Fixture {
    // The log delivery group may write to it (what S3 checks before PutBucketLogging).
    Fixture::new("aws_s3_bucket", |created| {
        json!({"bucket": created.name("logs"), "acl": "log-delivery-write", "force_destroy": true})
    })
        .keyed("aws_s3_bucket.logs")
}

pub async fn inline_settings_contract() {
    crate::harness::check(s3_bucket_with_inline_settings(), "aws_s3_bucket").await;
}
