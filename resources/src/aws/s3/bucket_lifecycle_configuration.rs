//! `aws_s3_bucket_lifecycle_configuration`: a bucket's lifecycle rules (expiration,
//! transitions, noncurrent versions, incomplete multipart uploads).
//!
//! AWS calls: PutBucketLifecycleConfiguration (create, update; the whole rule list at once),
//! GetBucketLifecycleConfiguration (read; `NoSuchLifecycleConfiguration` means gone),
//! DeleteBucketLifecycle. Replacement: a different `bucket`; rules change in place. Recovery:
//! the put is idempotent, an interrupted create is made again.
//!
//! Filters: a rule is always sent with a `Filter` (its `prefix`, else the empty prefix: every
//! object), as AWS requires one of Filter / Prefix. A rule written without a `filter` block reads
//! back without one when AWS answers the empty filter, so there is no perpetual diff. Terraform's
//! `filter.and`, `filter.tag`, object size filters and `expiration.date` are not offered.
//! moto 5.2.1 shows all of this.

use crate::aws::AwsContext;
use async_trait::async_trait;
use aws_sdk_s3::types::{
    AbortIncompleteMultipartUpload, BucketLifecycleConfiguration, ExpirationStatus,
    LifecycleExpiration, LifecycleRule, LifecycleRuleFilter, NoncurrentVersionExpiration,
    NoncurrentVersionTransition, Transition, TransitionStorageClass,
};

use crate::aws::kit::attributes;
use crate::aws::s3::common;
use crate::aws::kit::sdk_error;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

const ABSENT: &[&str] = &["NoSuchLifecycleConfiguration"];

fn block(name: &'static str, nesting: BlockNesting, attributes: Vec<Attribute>) -> NestedBlock {
    NestedBlock {
        name,
        nesting,
        schema: Schema::new(attributes),
        force_new: false,
        computed: false,
    }
}

pub struct S3BucketLifecycleConfiguration {
    schema: Schema,
}

impl S3BucketLifecycleConfiguration {
    pub fn new() -> Self {
        let rule = Schema::new(vec![
            Attribute::required("id", AttrType::String).describe("Unique name of the rule."),
            Attribute::required("status", AttrType::String).describe("`Enabled` or `Disabled`."),
        ])
        .with_block(block(
            "filter",
            BlockNesting::Single,
            vec![Attribute::optional_computed("prefix", AttrType::String)],
        ))
        .with_block(block(
            "expiration",
            BlockNesting::Single,
            vec![
                Attribute::optional("days", AttrType::Number),
                Attribute::optional_computed("expired_object_delete_marker", AttrType::Bool),
            ],
        ))
        .with_block(block(
            "noncurrent_version_expiration",
            BlockNesting::Single,
            vec![
                Attribute::required("noncurrent_days", AttrType::Number),
                Attribute::optional("newer_noncurrent_versions", AttrType::Number),
            ],
        ))
        .with_block(block(
            "abort_incomplete_multipart_upload",
            BlockNesting::Single,
            vec![Attribute::required(
                "days_after_initiation",
                AttrType::Number,
            )],
        ))
        .with_block(block(
            "transition",
            BlockNesting::Set,
            vec![
                Attribute::optional("days", AttrType::Number),
                Attribute::required("storage_class", AttrType::String),
            ],
        ))
        .with_block(block(
            "noncurrent_version_transition",
            BlockNesting::Set,
            vec![
                Attribute::required("noncurrent_days", AttrType::Number),
                Attribute::required("storage_class", AttrType::String),
            ],
        ));
        S3BucketLifecycleConfiguration {
            schema: Schema::new(vec![common::id_attribute(), common::bucket_attribute()])
                .with_block(NestedBlock {
                    name: "rule",
                    nesting: BlockNesting::List,
                    schema: rule,
                    force_new: false,
                    computed: false,
                }),
        }
    }
}

impl Default for S3BucketLifecycleConfiguration {
    fn default() -> Self {
        S3BucketLifecycleConfiguration::new()
    }
}

fn invalid(error: impl std::fmt::Display) -> ProviderError {
    ProviderError::invalid("rule", error.to_string())
}

/// One request rule from a `rule` block.
fn request_rule(rule: &Attributes) -> Result<LifecycleRule, ProviderError> {
    let prefix = attributes::block(rule, "filter")
        .and_then(|filter| attributes::optional_string(filter, "prefix"))
        .unwrap_or_default();
    let mut builder = LifecycleRule::builder()
        .id(attributes::required_string(rule, "id")?)
        .status(ExpirationStatus::from(
            attributes::required_string(rule, "status")?.as_str(),
        ))
        .filter(LifecycleRuleFilter::builder().prefix(prefix).build());
    if let Some(expiration) = attributes::block(rule, "expiration") {
        builder = builder.expiration(
            LifecycleExpiration::builder()
                .set_days(attributes::optional_i32(expiration, "days")?)
                .set_expired_object_delete_marker(
                    attributes::optional_bool(expiration, "expired_object_delete_marker")
                        .filter(|marker| *marker),
                )
                .build(),
        );
    }
    if let Some(noncurrent) = attributes::block(rule, "noncurrent_version_expiration") {
        builder = builder.noncurrent_version_expiration(
            NoncurrentVersionExpiration::builder()
                .set_noncurrent_days(attributes::optional_i32(noncurrent, "noncurrent_days")?)
                .set_newer_noncurrent_versions(attributes::optional_i32(
                    noncurrent,
                    "newer_noncurrent_versions",
                )?)
                .build(),
        );
    }
    if let Some(abort) = attributes::block(rule, "abort_incomplete_multipart_upload") {
        builder = builder.abort_incomplete_multipart_upload(
            AbortIncompleteMultipartUpload::builder()
                .set_days_after_initiation(attributes::optional_i32(abort, "days_after_initiation")?)
                .build(),
        );
    }
    for transition in attributes::blocks(rule, "transition") {
        builder = builder.transitions(
            Transition::builder()
                .set_days(attributes::optional_i32(transition, "days")?)
                .storage_class(TransitionStorageClass::from(
                    attributes::required_string(transition, "storage_class")?.as_str(),
                ))
                .build(),
        );
    }
    for transition in attributes::blocks(rule, "noncurrent_version_transition") {
        builder = builder.noncurrent_version_transitions(
            NoncurrentVersionTransition::builder()
                .set_noncurrent_days(attributes::optional_i32(transition, "noncurrent_days")?)
                .storage_class(TransitionStorageClass::from(
                    attributes::required_string(transition, "storage_class")?.as_str(),
                ))
                .build(),
        );
    }
    builder.build().map_err(invalid)
}

fn configuration(desired: &Attributes) -> Result<BucketLifecycleConfiguration, ProviderError> {
    let rules = attributes::blocks(desired, "rule")
        .into_iter()
        .map(request_rule)
        .collect::<Result<Vec<_>, _>>()?;
    if rules.is_empty() {
        return Err(invalid("at least one rule block is required"));
    }
    BucketLifecycleConfiguration::builder()
        .set_rules(Some(rules))
        .build()
        .map_err(invalid)
}

/// The `rule` blocks of the rules AWS returned. `prior` decides whether an empty filter is
/// shown (only when the prior rule of that id wrote a `filter` block).
fn rules_value(rules: &[LifecycleRule], prior: &Attributes) -> Value {
    let prior_rules = attributes::blocks(prior, "rule");
    attributes::block_value(rules.iter().map(|rule| {
        let id = rule.id().unwrap_or_default();
        let prior_had_filter = prior_rules
            .iter()
            .find(|candidate| attributes::optional_string(candidate, "id").as_deref() == Some(id))
            .is_some_and(|candidate| attributes::block(candidate, "filter").is_some());
        let prefix = rule
            .filter()
            .map(|filter| filter.prefix().unwrap_or_default());
        let filter = prefix
            .filter(|prefix| !prefix.is_empty() || prior_had_filter)
            .map(|prefix| attributes::map([("prefix", Value::string(prefix))]));
        let expiration = rule.expiration().map(|expiration| {
            attributes::map([
                ("days", attributes::number(expiration.days())),
                (
                    "expired_object_delete_marker",
                    Value::Bool(expiration.expired_object_delete_marker().unwrap_or(false)),
                ),
            ])
        });
        let noncurrent = rule.noncurrent_version_expiration().map(|noncurrent| {
            attributes::map([
                (
                    "noncurrent_days",
                    attributes::number(noncurrent.noncurrent_days()),
                ),
                (
                    "newer_noncurrent_versions",
                    attributes::number(noncurrent.newer_noncurrent_versions()),
                ),
            ])
        });
        let abort = rule.abort_incomplete_multipart_upload().map(|abort| {
            attributes::map([(
                "days_after_initiation",
                attributes::number(abort.days_after_initiation()),
            )])
        });
        let transitions = rule.transitions().iter().map(|transition| {
            attributes::map([
                ("days", attributes::number(transition.days())),
                (
                    "storage_class",
                    transition
                        .storage_class()
                        .map_or(Value::Null, |class| Value::string(class.as_str())),
                ),
            ])
        });
        let noncurrent_transitions =
            rule.noncurrent_version_transitions()
                .iter()
                .map(|transition| {
                    attributes::map([
                        (
                            "noncurrent_days",
                            attributes::number(transition.noncurrent_days()),
                        ),
                        (
                            "storage_class",
                            transition
                                .storage_class()
                                .map_or(Value::Null, |class| Value::string(class.as_str())),
                        ),
                    ])
                });
        attributes::map([
            ("id", Value::string(id)),
            ("status", Value::string(rule.status().as_str())),
            ("filter", attributes::block_value(filter)),
            ("expiration", attributes::block_value(expiration)),
            (
                "noncurrent_version_expiration",
                attributes::block_value(noncurrent),
            ),
            (
                "abort_incomplete_multipart_upload",
                attributes::block_value(abort),
            ),
            ("transition", attributes::block_value(transitions)),
            (
                "noncurrent_version_transition",
                attributes::block_value(noncurrent_transitions),
            ),
        ])
    }))
}

async fn put(
    context: &ProviderContext,
    bucket: &str,
    desired: &Attributes,
) -> Result<(), ProviderError> {
    context
        .aws()
        .s3
        .put_bucket_lifecycle_configuration()
        .bucket(bucket)
        .lifecycle_configuration(configuration(desired)?)
        .send()
        .await
        .map(|_| ())
        .map_err(|error| sdk_error("PutBucketLifecycleConfiguration", error))
}

#[async_trait]
impl Resource for S3BucketLifecycleConfiguration {
    fn type_name(&self) -> &'static str {
        "aws_s3_bucket_lifecycle_configuration"
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
        let built = configuration(desired)?;
        let mut attributes = common::setting_attributes(&bucket);
        attributes.insert("rule".into(), rules_value(built.rules(), desired));
        Ok(attributes)
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let output = match context
            .aws()
            .s3
            .get_bucket_lifecycle_configuration()
            .bucket(id)
            .send()
            .await
        {
            Ok(output) => output,
            Err(error) => {
                return common::absent_or(
                    sdk_error("GetBucketLifecycleConfiguration", error),
                    ABSENT,
                )
            }
        };
        let mut attributes = common::setting_attributes(id);
        attributes.insert("rule".into(), rules_value(output.rules(), prior));
        Ok(Some(attributes))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        put(context, id, desired).await?;
        self.read(context, id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("lifecycle configuration of {id} disappeared"))
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
            .delete_bucket_lifecycle()
            .bucket(id)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(error) => common::absent_or(sdk_error("DeleteBucketLifecycle", error), ABSENT)
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

    fn rule(with_filter: bool) -> Attributes {
        let filter = with_filter.then(|| attributes::map([("prefix", Value::string(""))]));
        attributes::map([
            ("id", Value::string("expire-old-versions")),
            ("status", Value::string("Enabled")),
            ("filter", attributes::block_value(filter)),
            (
                "expiration",
                attributes::block_value([attributes::map([
                    ("days", Value::Null),
                    ("expired_object_delete_marker", Value::Bool(true)),
                ])]),
            ),
            (
                "noncurrent_version_expiration",
                attributes::block_value([attributes::map([
                    ("noncurrent_days", Value::Number(30.0)),
                    ("newer_noncurrent_versions", Value::Null),
                ])]),
            ),
            (
                "abort_incomplete_multipart_upload",
                attributes::block_value([attributes::map([("days_after_initiation", Value::Number(7.0))])]),
            ),
            (
                "transition",
                attributes::block_value([attributes::map([
                    ("days", Value::Number(90.0)),
                    ("storage_class", Value::string("STANDARD_IA")),
                ])]),
            ),
            ("noncurrent_version_transition", attributes::block_value([])),
        ])
    }

    #[test]
    fn rules_round_trip_and_empty_filters_follow_the_spec() {
        for with_filter in [false, true] {
            let desired = attributes::map([("rule", attributes::block_value([rule(with_filter)]))]);
            let built = configuration(&desired).expect("valid rules");
            assert_eq!(
                rules_value(built.rules(), &desired),
                desired["rule"],
                "with_filter = {with_filter}"
            );
        }
    }
}
