//! The deprecated inline settings of `aws_s3_bucket` that Terraform configurations still write
//! (`acl`, `versioning {}`, `logging {}`, `server_side_encryption_configuration {}`,
//! `lifecycle_rule {}`): accepted with a warning naming the separate type that replaces each,
//! and honoured.
//!
//! AWS calls: `acl` goes in CreateBucket's `x-amz-acl` (PutBucketAcl when it changes);
//! PutBucketVersioning / GetBucketVersioning, PutBucketLogging / GetBucketLogging,
//! PutBucketEncryption / GetBucketEncryption, PutBucketLifecycleConfiguration /
//! GetBucketLifecycleConfiguration for the blocks. As in Terraform these are optional and
//! computed: a spec that leaves one out does not manage it (no call, no read, no diff, so the
//! separate `aws_s3_bucket_*` types can own it); a spec that writes it puts it at create and on
//! change, and drift reads it back. Leaving a written block out later keeps what the bucket has.
//! AWS cannot say which canned ACL made a bucket's grants, so `acl` is kept as written.
//!
//! Every value recorded goes through the same conversion as a read (request → SDK type →
//! attributes), so what create records is what read finds. moto 5.2.1 serves every call here;
//! its GetBucketVersioning answer is read as `aws_s3_bucket_versioning` reads it.

use aws_sdk_s3::primitives::DateTime;
use aws_sdk_s3::types::{
    AbortIncompleteMultipartUpload, BucketCannedAcl, BucketLifecycleConfiguration,
    BucketLoggingStatus, ExpirationStatus, LifecycleExpiration, LifecycleRule,
    LifecycleRuleAndOperator, LifecycleRuleFilter, LoggingEnabled, NoncurrentVersionExpiration,
    NoncurrentVersionTransition, Tag, Transition, TransitionStorageClass,
};

use crate::aws::kit::attributes;
use crate::aws::kit::sdk_error;
use crate::aws::s3::{bucket_server_side_encryption_configuration as encryption, bucket_versioning};
use crate::aws::AwsContext;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext};
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

/// The inline blocks, in the order they are put.
pub const BLOCKS: &[&str] = &[
    "versioning",
    "logging",
    "server_side_encryption_configuration",
    "lifecycle_rule",
];

fn block(name: &'static str, nesting: BlockNesting, schema: Schema) -> NestedBlock {
    NestedBlock {
        name,
        nesting,
        schema,
        force_new: false,
        computed: false,
    }
}

/// `acl`, the canned ACL.
pub fn acl_attribute() -> Attribute {
    Attribute::optional_computed("acl", AttrType::String).describe(
        "Deprecated in Terraform: a canned ACL (`private`, `public-read`, ...); kept as written.",
    )
}

/// The inline blocks' schemas (optional and computed, as in Terraform).
pub fn blocks() -> Vec<NestedBlock> {
    let versioning = Schema::new(vec![
        Attribute::optional_computed("enabled", AttrType::Bool),
        Attribute::optional_computed("mfa_delete", AttrType::Bool),
    ]);
    let logging = Schema::new(vec![
        Attribute::required("target_bucket", AttrType::String),
        Attribute::optional_computed("target_prefix", AttrType::String),
    ]);
    let encryption = Schema::new(Vec::new()).with_block(encryption::rule_block());
    let dated = |days: &'static str| {
        vec![
            Attribute::optional("date", AttrType::String).describe("`YYYY-MM-DD`."),
            Attribute::optional(days, AttrType::Number),
        ]
    };
    let mut expiration = dated("days");
    expiration.push(Attribute::optional_computed(
        "expired_object_delete_marker",
        AttrType::Bool,
    ));
    let mut transition = dated("days");
    transition.push(Attribute::required("storage_class", AttrType::String));
    let lifecycle = Schema::new(vec![
        Attribute::optional_computed("id", AttrType::String),
        Attribute::optional_computed("prefix", AttrType::String),
        Attribute::optional("tags", AttrType::map_of_strings()),
        Attribute::required("enabled", AttrType::Bool),
        Attribute::optional("abort_incomplete_multipart_upload_days", AttrType::Number),
    ])
    .with_block(block("expiration", BlockNesting::Single, Schema::new(expiration)))
    .with_block(block("transition", BlockNesting::Set, Schema::new(transition)))
    .with_block(block(
        "noncurrent_version_expiration",
        BlockNesting::Single,
        Schema::new(vec![Attribute::optional("days", AttrType::Number)]),
    ))
    .with_block(block(
        "noncurrent_version_transition",
        BlockNesting::Set,
        Schema::new(vec![
            Attribute::optional("days", AttrType::Number),
            Attribute::required("storage_class", AttrType::String),
        ]),
    ));
    [
        ("versioning", BlockNesting::Single, versioning),
        ("logging", BlockNesting::Single, logging),
        (
            "server_side_encryption_configuration",
            BlockNesting::Single,
            encryption,
        ),
        ("lifecycle_rule", BlockNesting::List, lifecycle),
    ]
    .into_iter()
    .map(|(name, nesting, schema)| NestedBlock {
        computed: true,
        ..block(name, nesting, schema)
    })
    .collect()
}

/// True when the spec wrote `name` (a computed block left out plans as unknown or as prior).
fn written(desired: &Attributes, name: &str) -> bool {
    desired
        .get(name)
        .and_then(Value::as_list)
        .is_some_and(|items| !items.is_empty())
}

/// The canned ACL the spec wrote, for CreateBucket.
pub fn canned_acl(desired: &Attributes) -> Option<BucketCannedAcl> {
    attributes::non_empty(desired, "acl").map(|acl| BucketCannedAcl::from(acl.as_str()))
}

/// Puts every inline setting the spec wrote that differs from `prior` (all written ones on
/// create; CreateBucket already carried the ACL), and returns the settings to record.
pub async fn put_changed(
    context: &ProviderContext,
    bucket: &str,
    prior: Option<&Attributes>,
    desired: &Attributes,
) -> Result<Attributes, ProviderError> {
    let before = |name: &str| prior.and_then(|prior| prior.get(name)).unwrap_or(&Value::Null);
    let mut recorded = Attributes::new();
    let acl = attributes::non_empty(desired, "acl");
    if let (Some(prior), Some(wanted)) = (prior, &acl) {
        if attributes::non_empty(prior, "acl").as_ref() != Some(wanted) {
            context
                .aws()
                .s3
                .put_bucket_acl()
                .bucket(bucket)
                .acl(BucketCannedAcl::from(wanted.as_str()))
                .send()
                .await
                .map_err(|error| sdk_error("PutBucketAcl", error))?;
        }
    }
    recorded.insert(
        "acl".into(),
        acl.map(Value::String)
            .unwrap_or_else(|| before("acl").clone().known_or_null()),
    );
    for name in BLOCKS {
        if !written(desired, name) {
            recorded.insert((*name).to_string(), before(name).clone().known_or_empty());
            continue;
        }
        let unchanged = prior.is_some() && desired.get(*name) == Some(before(name));
        let value = if unchanged {
            before(name).clone()
        } else {
            put(context, bucket, name, desired, prior.is_none()).await?
        };
        recorded.insert((*name).to_string(), value);
    }
    Ok(recorded)
}

/// Reads back the inline settings `prior` manages; the others keep what `prior` holds.
pub async fn read(
    context: &ProviderContext,
    bucket: &str,
    prior: &Attributes,
) -> Result<Attributes, ProviderError> {
    let mut found = Attributes::new();
    found.insert(
        "acl".into(),
        prior.get("acl").cloned().unwrap_or_default().known_or_null(),
    );
    for name in BLOCKS {
        let value = if written(prior, name) {
            get(context, bucket, name).await?
        } else {
            prior.get(*name).cloned().unwrap_or_default().known_or_empty()
        };
        found.insert((*name).to_string(), value);
    }
    Ok(found)
}

trait Known {
    fn known_or_null(self) -> Value;
    fn known_or_empty(self) -> Value;
}

impl Known for Value {
    fn known_or_null(self) -> Value {
        if matches!(self, Value::Unknown) {
            Value::Null
        } else {
            self
        }
    }

    fn known_or_empty(self) -> Value {
        if matches!(self, Value::Unknown | Value::Null) {
            Value::List(Vec::new())
        } else {
            self
        }
    }
}

/// Puts the setting `name` as `desired` writes it; the value to record.
async fn put(
    context: &ProviderContext,
    bucket: &str,
    name: &str,
    desired: &Attributes,
    creating: bool,
) -> Result<Value, ProviderError> {
    let settings = attributes::block(desired, name).cloned().unwrap_or_default();
    let s3 = &context.aws().s3;
    match name {
        "versioning" => {
            let enabled = attributes::optional_bool(&settings, "enabled").unwrap_or(false);
            let mfa_delete = attributes::optional_bool(&settings, "mfa_delete").unwrap_or(false);
            // A new bucket that is not to be versioned needs no call (it never was).
            if enabled || mfa_delete || !creating {
                let status = if enabled { "Enabled" } else { "Suspended" };
                let mfa = mfa_delete.then(|| "Enabled".to_string());
                bucket_versioning::put(context, bucket, status, mfa).await?;
            }
            Ok(versioning_value(
                enabled.then_some("Enabled"),
                mfa_delete.then_some("Enabled"),
            ))
        }
        "logging" => {
            let logging = logging_enabled(&settings)?;
            s3.put_bucket_logging()
                .bucket(bucket)
                .bucket_logging_status(
                    BucketLoggingStatus::builder()
                        .logging_enabled(logging.clone())
                        .build(),
                )
                .send()
                .await
                .map_err(|error| sdk_error("PutBucketLogging", error))?;
            Ok(logging_value(Some(&logging)))
        }
        "server_side_encryption_configuration" => {
            let configuration = encryption::configuration(&settings)?;
            s3.put_bucket_encryption()
                .bucket(bucket)
                .server_side_encryption_configuration(configuration.clone())
                .send()
                .await
                .map_err(|error| sdk_error("PutBucketEncryption", error))?;
            Ok(encryption_value(&configuration))
        }
        _ => {
            let rules = attributes::blocks(desired, "lifecycle_rule")
                .into_iter()
                .enumerate()
                .map(|(index, rule)| lifecycle_rule(index, rule))
                .collect::<Result<Vec<_>, _>>()?;
            let configuration = BucketLifecycleConfiguration::builder()
                .set_rules(Some(rules.clone()))
                .build()
                .map_err(|error| ProviderError::invalid("lifecycle_rule", error.to_string()))?;
            s3.put_bucket_lifecycle_configuration()
                .bucket(bucket)
                .lifecycle_configuration(configuration)
                .send()
                .await
                .map_err(|error| sdk_error("PutBucketLifecycleConfiguration", error))?;
            Ok(lifecycle_value(&rules))
        }
    }
}

/// Reads the setting `name` from the bucket.
async fn get(context: &ProviderContext, bucket: &str, name: &str) -> Result<Value, ProviderError> {
    let s3 = &context.aws().s3;
    match name {
        "versioning" => {
            let (status, mfa) = bucket_versioning::get(context, bucket)
                .await?
                .unwrap_or_default();
            Ok(versioning_value(status.as_deref(), mfa.as_deref()))
        }
        "logging" => {
            let output = s3
                .get_bucket_logging()
                .bucket(bucket)
                .send()
                .await
                .map_err(|error| sdk_error("GetBucketLogging", error))?;
            Ok(logging_value(output.logging_enabled()))
        }
        "server_side_encryption_configuration" => {
            match s3.get_bucket_encryption().bucket(bucket).send().await {
                Ok(output) => Ok(output
                    .server_side_encryption_configuration()
                    .map_or(Value::List(Vec::new()), encryption_value)),
                Err(error) => {
                    let error = sdk_error("GetBucketEncryption", error);
                    if error.code() == Some("ServerSideEncryptionConfigurationNotFoundError") {
                        Ok(Value::List(Vec::new()))
                    } else {
                        Err(error)
                    }
                }
            }
        }
        _ => match s3.get_bucket_lifecycle_configuration().bucket(bucket).send().await {
            Ok(output) => Ok(lifecycle_value(output.rules())),
            Err(error) => {
                let error = sdk_error("GetBucketLifecycleConfiguration", error);
                if error.code() == Some("NoSuchLifecycleConfiguration") {
                    Ok(Value::List(Vec::new()))
                } else {
                    Err(error)
                }
            }
        },
    }
}

fn versioning_value(status: Option<&str>, mfa_delete: Option<&str>) -> Value {
    attributes::block_value([attributes::map([
        ("enabled", Value::Bool(status == Some("Enabled"))),
        ("mfa_delete", Value::Bool(mfa_delete == Some("Enabled"))),
    ])])
}

fn logging_enabled(settings: &Attributes) -> Result<LoggingEnabled, ProviderError> {
    LoggingEnabled::builder()
        .target_bucket(attributes::required_string(settings, "target_bucket")?)
        .target_prefix(attributes::optional_string(settings, "target_prefix").unwrap_or_default())
        .build()
        .map_err(|error| ProviderError::invalid("logging", error.to_string()))
}

fn logging_value(logging: Option<&LoggingEnabled>) -> Value {
    attributes::block_value(logging.map(|logging| {
        attributes::map([
            ("target_bucket", Value::string(logging.target_bucket())),
            ("target_prefix", Value::string(logging.target_prefix())),
        ])
    }))
}

fn encryption_value(configuration: &aws_sdk_s3::types::ServerSideEncryptionConfiguration) -> Value {
    attributes::block_value([attributes::map([(
        "rule",
        encryption::rules_value(configuration),
    )])])
}

fn invalid(error: impl std::fmt::Display) -> ProviderError {
    ProviderError::invalid("lifecycle_rule", error.to_string())
}

/// `YYYY-MM-DD` as midnight UTC, as S3 wants lifecycle dates.
fn date(block: &Attributes) -> Result<Option<DateTime>, ProviderError> {
    attributes::non_empty(block, "date")
        .map(|day| {
            DateTime::from_str(
                &format!("{day}T00:00:00Z"),
                aws_sdk_s3::primitives::DateTimeFormat::DateTime,
            )
            .map_err(|_| invalid(format!("date {day:?} is not YYYY-MM-DD")))
        })
        .transpose()
}

fn date_value(date: Option<&DateTime>) -> Value {
    date.and_then(|date| date.fmt(aws_sdk_s3::primitives::DateTimeFormat::DateTime).ok())
        .map_or(Value::Null, |text| Value::String(text.chars().take(10).collect()))
}

/// One request rule from an inline `lifecycle_rule` block (the `index`th; an unnamed rule is
/// named `tf-s3-lifecycle-<index>`).
fn lifecycle_rule(index: usize, rule: &Attributes) -> Result<LifecycleRule, ProviderError> {
    let id = attributes::non_empty(rule, "id").unwrap_or_else(|| format!("tf-s3-lifecycle-{index}"));
    let prefix = attributes::optional_string(rule, "prefix").unwrap_or_default();
    let tags: Vec<Tag> = match rule.get("tags").and_then(Value::as_map) {
        Some(tags) => tags
            .iter()
            .map(|(key, value)| {
                Tag::builder()
                    .key(key)
                    .value(value.to_template_string().unwrap_or_default())
                    .build()
                    .map_err(invalid)
            })
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    let filter = if tags.is_empty() {
        LifecycleRuleFilter::builder().prefix(prefix).build()
    } else {
        LifecycleRuleFilter::builder()
            .and(
                LifecycleRuleAndOperator::builder()
                    .prefix(prefix)
                    .set_tags(Some(tags))
                    .build(),
            )
            .build()
    };
    let enabled = attributes::optional_bool(rule, "enabled").unwrap_or(false);
    let mut builder = LifecycleRule::builder()
        .id(id)
        .status(if enabled {
            ExpirationStatus::Enabled
        } else {
            ExpirationStatus::Disabled
        })
        .filter(filter);
    if let Some(days) = attributes::optional_i32(rule, "abort_incomplete_multipart_upload_days")? {
        builder = builder.abort_incomplete_multipart_upload(
            AbortIncompleteMultipartUpload::builder()
                .days_after_initiation(days)
                .build(),
        );
    }
    if let Some(expiration) = attributes::block(rule, "expiration") {
        builder = builder.expiration(
            LifecycleExpiration::builder()
                .set_date(date(expiration)?)
                .set_days(attributes::optional_i32(expiration, "days")?)
                .set_expired_object_delete_marker(
                    attributes::optional_bool(expiration, "expired_object_delete_marker")
                        .filter(|marker| *marker),
                )
                .build(),
        );
    }
    for transition in attributes::blocks(rule, "transition") {
        builder = builder.transitions(
            Transition::builder()
                .set_date(date(transition)?)
                .set_days(attributes::optional_i32(transition, "days")?)
                .storage_class(TransitionStorageClass::from(
                    attributes::required_string(transition, "storage_class")?.as_str(),
                ))
                .build(),
        );
    }
    if let Some(noncurrent) = attributes::block(rule, "noncurrent_version_expiration") {
        builder = builder.noncurrent_version_expiration(
            NoncurrentVersionExpiration::builder()
                .set_noncurrent_days(attributes::optional_i32(noncurrent, "days")?)
                .build(),
        );
    }
    for transition in attributes::blocks(rule, "noncurrent_version_transition") {
        builder = builder.noncurrent_version_transitions(
            NoncurrentVersionTransition::builder()
                .set_noncurrent_days(attributes::optional_i32(transition, "days")?)
                .storage_class(TransitionStorageClass::from(
                    attributes::required_string(transition, "storage_class")?.as_str(),
                ))
                .build(),
        );
    }
    builder.build().map_err(invalid)
}

/// The inline `lifecycle_rule` blocks of rules AWS returned (or that were sent).
fn lifecycle_value(rules: &[LifecycleRule]) -> Value {
    attributes::block_value(rules.iter().map(|rule| {
        let filter = rule.filter();
        let and = filter.and_then(|filter| filter.and());
        let prefix = and
            .and_then(|and| and.prefix())
            .or_else(|| filter.and_then(|filter| filter.prefix()))
            .unwrap_or_default();
        let tags: Attributes = and
            .map(|and| and.tags())
            .unwrap_or_default()
            .iter()
            .map(|tag| (tag.key().to_string(), Value::string(tag.value())))
            .collect();
        let expiration = rule.expiration().map(|expiration| {
            attributes::map([
                ("date", date_value(expiration.date())),
                ("days", attributes::number(expiration.days())),
                (
                    "expired_object_delete_marker",
                    Value::Bool(expiration.expired_object_delete_marker().unwrap_or(false)),
                ),
            ])
        });
        let transitions = rule.transitions().iter().map(|transition| {
            attributes::map([
                ("date", date_value(transition.date())),
                ("days", attributes::number(transition.days())),
                (
                    "storage_class",
                    transition
                        .storage_class()
                        .map_or(Value::Null, |class| Value::string(class.as_str())),
                ),
            ])
        });
        let noncurrent = rule.noncurrent_version_expiration().map(|noncurrent| {
            attributes::map([("days", attributes::number(noncurrent.noncurrent_days()))])
        });
        let noncurrent_transitions = rule.noncurrent_version_transitions().iter().map(|transition| {
            attributes::map([
                ("days", attributes::number(transition.noncurrent_days())),
                (
                    "storage_class",
                    transition
                        .storage_class()
                        .map_or(Value::Null, |class| Value::string(class.as_str())),
                ),
            ])
        });
        let mut block = attributes::map([
            ("id", rule.id().map_or(Value::Null, Value::string)),
            (
                "prefix",
                if prefix.is_empty() {
                    Value::Null
                } else {
                    Value::string(prefix)
                },
            ),
            (
                "tags",
                if tags.is_empty() {
                    Value::Null
                } else {
                    Value::Map(tags)
                },
            ),
            (
                "enabled",
                Value::Bool(rule.status() == &ExpirationStatus::Enabled),
            ),
            (
                "abort_incomplete_multipart_upload_days",
                attributes::number(
                    rule.abort_incomplete_multipart_upload()
                        .and_then(|abort| abort.days_after_initiation()),
                ),
            ),
        ]);
        block.insert("expiration".into(), attributes::block_value(expiration));
        block.insert("transition".into(), attributes::block_value(transitions));
        block.insert(
            "noncurrent_version_expiration".into(),
            attributes::block_value(noncurrent),
        );
        block.insert(
            "noncurrent_version_transition".into(),
            attributes::block_value(noncurrent_transitions),
        );
        block
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lifecycle_rule_round_trips_through_the_request() {
        let rule = attributes::map([
            ("prefix", Value::string("logs/")),
            ("enabled", Value::Bool(true)),
            ("abort_incomplete_multipart_upload_days", Value::from(7)),
            (
                "expiration",
                attributes::block_value([attributes::map([("days", Value::from(90))])]),
            ),
            (
                "transition",
                attributes::block_value([attributes::map([
                    ("date", Value::string("2027-01-01")),
                    ("storage_class", Value::string("GLACIER")),
                ])]),
            ),
        ]);
        let request = lifecycle_rule(0, &rule).unwrap();
        assert_eq!(request.id(), Some("tf-s3-lifecycle-0"));
        let value = lifecycle_value(&[request]);
        let block = &attributes::blocks(
            &attributes::map([("lifecycle_rule", value)]),
            "lifecycle_rule",
        )[0]
        .clone();
        assert_eq!(block["prefix"], Value::string("logs/"));
        assert_eq!(block["enabled"], Value::Bool(true));
        assert_eq!(block["abort_incomplete_multipart_upload_days"], Value::from(7));
        let transition = attributes::block(block, "transition").unwrap();
        assert_eq!(transition["date"], Value::string("2027-01-01"));
        assert_eq!(transition["storage_class"], Value::string("GLACIER"));
        let expiration = attributes::block(block, "expiration").unwrap();
        assert_eq!(expiration["days"], Value::from(90));
        assert_eq!(expiration["expired_object_delete_marker"], Value::Bool(false));
    }

    #[test]
    fn a_bad_date_names_the_setting() {
        let rule = attributes::map([
            ("enabled", Value::Bool(true)),
            (
                "expiration",
                attributes::block_value([attributes::map([("date", Value::string("1/2/2027"))])]),
            ),
        ]);
        let error = lifecycle_rule(0, &rule).unwrap_err().to_string();
        assert!(error.contains("lifecycle_rule") && error.contains("YYYY-MM-DD"), "{error}");
    }

    #[test]
    fn every_inline_block_is_computed() {
        assert!(blocks().iter().all(|block| block.computed));
        assert_eq!(
            blocks().iter().map(|block| block.name).collect::<Vec<_>>(),
            BLOCKS
        );
    }
}
