//! S3 (buckets and their configuration sub-resources) resource types: one file per type, registered here.

pub mod bucket;
pub mod bucket_inline_settings;
pub mod bucket_lifecycle_configuration;
pub mod bucket_ownership_controls;
pub mod bucket_policy;
pub mod bucket_public_access_block;
pub mod bucket_server_side_encryption_configuration;
pub mod bucket_versioning;
pub mod common;
pub mod s3_bucket_notification;

use std::sync::Arc;

use crate::registry::Registry;

pub fn register(registry: &mut Registry) {
    registry.register(Arc::new(bucket::S3Bucket::new()));
    registry.register(Arc::new(bucket_versioning::S3BucketVersioning::new()));
    registry.register(Arc::new(
        bucket_server_side_encryption_configuration::S3BucketServerSideEncryptionConfiguration::new(
        ),
    ));
    registry.register(Arc::new(
        bucket_public_access_block::S3BucketPublicAccessBlock::new(),
    ));
    registry.register(Arc::new(
        bucket_lifecycle_configuration::S3BucketLifecycleConfiguration::new(),
    ));
    registry.register(Arc::new(bucket_policy::S3BucketPolicy::new()));
    registry.register(Arc::new(
        bucket_ownership_controls::S3BucketOwnershipControls::new(),
    ));
    registry.register(Arc::new(s3_bucket_notification::S3BucketNotification::new()));
}
