//! Helpers shared by the S3 types: the `bucket` attribute every bucket setting takes, and the
//! error codes that mean "the bucket or this setting is not there".

use crate::aws::kit::attributes;
use crate::error::ProviderError;
use crate::provider::Attributes;
use crate::schema::{AttrType, Attribute};
use crate::value::Value;

/// `bucket`: the bucket a setting belongs to; a different bucket is a different resource.
pub fn bucket_attribute() -> Attribute {
    Attribute::required("bucket", AttrType::String)
        .force_new()
        .describe("Name of the bucket.")
}

/// The `bucket` of a setting's attributes.
pub fn bucket(attributes: &Attributes) -> Result<String, ProviderError> {
    attributes::required_string(attributes, "bucket")
}

/// True when `error` says the bucket is gone (`NoSuchBucket`, `NotFound`) or that it has no such
/// setting (one of `absent_codes`).
pub fn is_absent(error: &ProviderError, absent_codes: &[&str]) -> bool {
    crate::aws::kit::is_gone(error, absent_codes)
}

/// `Ok(None)` for an absent answer, the error otherwise.
pub fn absent_or<T>(
    error: ProviderError,
    absent_codes: &[&str],
) -> Result<Option<T>, ProviderError> {
    if is_absent(&error, absent_codes) {
        Ok(None)
    } else {
        Err(error)
    }
}

/// Attributes of a bucket setting whose id is the bucket name.
pub fn setting_attributes(bucket: &str) -> Attributes {
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::string(bucket));
    attributes.insert("bucket".into(), Value::string(bucket));
    attributes
}

/// The id attribute of bucket settings (the bucket name).
pub fn id_attribute() -> Attribute {
    Attribute::computed("id", AttrType::String).describe("The bucket name.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_codes_and_missing_buckets_read_as_none() {
        let missing = ProviderError::Aws {
            operation: "GetBucketPolicy".into(),
            code: "NoSuchBucketPolicy".into(),
            message: String::new(),
        };
        assert!(is_absent(&missing, &[]));
        let no_config = ProviderError::Aws {
            operation: "GetBucketEncryption".into(),
            code: "ServerSideEncryptionConfigurationNotFoundError".into(),
            message: String::new(),
        };
        assert!(!is_absent(&no_config, &[]));
        assert!(is_absent(
            &no_config,
            &["ServerSideEncryptionConfigurationNotFoundError"]
        ));
        let denied = ProviderError::Aws {
            operation: "GetBucketPolicy".into(),
            code: "AccessDenied".into(),
            message: String::new(),
        };
        assert!(absent_or::<()>(denied, &[]).is_err());
    }
}
