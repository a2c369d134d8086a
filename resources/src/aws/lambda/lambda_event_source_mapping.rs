//! `aws_lambda_event_source_mapping`: a Lambda function reading an SQS queue, a Kinesis stream
//! or a DynamoDB stream. Id = the mapping's UUID (also `uuid`).
//!
//! AWS calls: CreateEventSourceMapping (tags in the same call), GetEventSourceMapping (read and
//! readiness polls), ListTags (read), UpdateEventSourceMapping (only the settings that changed:
//! Lambda refuses stream-only settings on a queue mapping), TagResource / UntagResource,
//! DeleteEventSourceMapping, ListEventSourceMappings (recovery). Listing for drift: GetResources
//! of the Resource Groups Tagging API (`lambda:event-source-mapping`).
//!
//! Replacement: a change of `event_source_arn`, `starting_position` or
//! `starting_position_timestamp`. `function_name` (a name or an ARN, kept as the spec spells it
//! while it names the mapped function) and every other setting change in place; a removed
//! `filter_criteria`, `scaling_config` or `destination_config` is sent empty, which clears it.
//!
//! Readiness: CreateEventSourceMapping answers `Creating` and UpdateEventSourceMapping
//! `Updating` / `Enabling` / `Disabling`: both wait (own polling) until the state is `Enabled`
//! or `Disabled`. The create is retried while Lambda says the execution role cannot be assumed
//! or lacks permissions (IAM propagation, as Terraform does); an update or delete while the
//! mapping is in transition (`ResourceInUseException`) is retried. Delete answers `Deleting`:
//! it waits until GetEventSourceMapping answers `ResourceNotFoundException`.
//!
//! Recovery: ListEventSourceMappings filtered by `event_source_arn` and `function_name`; a
//! mapping is adopted only when ListTags shows this stack's and address's `provision:*` tags.
//!
//! Supported: `event_source_arn` (required here: the self-managed Kafka sources that go
//! without one are not supported), `function_name`, `enabled`, `batch_size`,
//! `maximum_batching_window_in_seconds`, `starting_position(_timestamp)`, `filter_criteria`,
//! `function_response_types`, `scaling_config`, `maximum_retry_attempts`,
//! `maximum_record_age_in_seconds`, `bisect_batch_on_function_error`,
//! `parallelization_factor`, `destination_config`, `tumbling_window_in_seconds`, `tags`. Not
//! yet: `kms_key_arn`, `queues`, `topics`, `metrics_config`, `provisioned_poller_config`,
//! `amazon_managed_kafka_event_source_config`, `self_managed_event_source`,
//! `self_managed_kafka_event_source_config`, `document_db_event_source_config`,
//! `source_access_configuration` (a spec writing them is refused as unknown).
//!
//! moto 5.2.1: serves every call here, with mappings `Enabled` / `Disabled` at once and gone
//! at once after delete (the waits are tested with recorded AWS answers in
//! `resources/tests/contract/lambda.rs`); its ListEventSourceMappings compares `FunctionName`
//! with the spelling the mapping was created with (a name does not find a mapping made with
//! the ARN, nor the new function of a mapping moved by UpdateEventSourceMapping); a second DeleteEventSourceMapping succeeds instead of answering not found; its
//! GetResources does not list mappings (the drift listing is tested with a recorded answer in
//! `resources/tests/contract/listing.rs`).

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_lambda::operation::get_event_source_mapping::GetEventSourceMappingOutput;
use aws_sdk_lambda::types::{
    DestinationConfig, EventSourcePosition, Filter, FilterCriteria, FunctionResponseType,
    OnFailure, ScalingConfig,
};
use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;

use crate::aws::kit::attributes::{
    block, block_value, blocks, map, number, optional_bool, optional_i32, optional_string,
    required_string, rfc3339, string_list, string_list_value,
};
use crate::aws::kit::errors::ResultExt;
use crate::aws::kit::tagging::{list_tagged, ArnId};
use crate::aws::kit::tags::{carries_recovery_tags, put_tags, sync_tags, tags_differ, TagApi};
use crate::aws::kit::wait::{self, Poll};
use crate::aws::kit::{empty_answer, sdk_error};
use crate::aws::lambda::lambda_function::LambdaTags;
use crate::aws::AwsContext;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

/// How long a create, update or delete waits for the mapping to settle.
const LIMIT: Duration = Duration::from_secs(10 * 60);
/// How long a create is retried while the execution role propagates through IAM.
const IAM_PROPAGATION: Duration = Duration::from_secs(2 * 60);
/// How long an update or delete is retried while the mapping is in transition.
const IN_USE: Duration = Duration::from_secs(5 * 60);

pub struct LambdaEventSourceMapping {
    schema: Schema,
}

fn single(name: &'static str, schema: Schema) -> NestedBlock {
    NestedBlock {
        name,
        nesting: BlockNesting::Single,
        schema,
        force_new: false,
        computed: false,
    }
}

impl LambdaEventSourceMapping {
    pub fn new() -> Self {
        let number = || AttrType::Number;
        LambdaEventSourceMapping {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The mapping's UUID."),
                Attribute::computed("uuid", AttrType::String),
                Attribute::computed("arn", AttrType::String),
                Attribute::required("event_source_arn", AttrType::String)
                    .force_new()
                    .describe("The SQS queue, Kinesis stream or DynamoDB stream ARN."),
                Attribute::required("function_name", AttrType::String)
                    .describe("The function's name or ARN (with a qualifier: a version or alias)."),
                Attribute::computed("function_arn", AttrType::String),
                Attribute::optional("enabled", AttrType::Bool).default(true),
                Attribute::optional_computed("batch_size", number()),
                Attribute::optional_computed("maximum_batching_window_in_seconds", number()),
                Attribute::optional_computed("starting_position", AttrType::String)
                    .force_new()
                    .describe("`LATEST`, `TRIM_HORIZON` or `AT_TIMESTAMP` (streams only)."),
                Attribute::optional("starting_position_timestamp", AttrType::String)
                    .force_new()
                    .describe("RFC 3339, with `starting_position = \"AT_TIMESTAMP\"`."),
                Attribute::optional("function_response_types", AttrType::set_of_strings())
                    .describe("`ReportBatchItemFailures`."),
                Attribute::optional_computed("maximum_retry_attempts", number()),
                Attribute::optional_computed("maximum_record_age_in_seconds", number()),
                Attribute::optional_computed("bisect_batch_on_function_error", AttrType::Bool),
                Attribute::optional_computed("parallelization_factor", number()),
                Attribute::optional_computed("tumbling_window_in_seconds", number()),
                Attribute::computed("state", AttrType::String),
                Attribute::computed("state_transition_reason", AttrType::String),
                Attribute::computed("last_modified", AttrType::String),
                Attribute::computed("last_processing_result", AttrType::String),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ])
            .with_block(single(
                "filter_criteria",
                Schema::new(Vec::new()).with_block(NestedBlock {
                    name: "filter",
                    nesting: BlockNesting::Set,
                    schema: Schema::new(vec![Attribute::optional("pattern", AttrType::String)
                        .describe("An event filter pattern (a JSON document).")]),
                    force_new: false,
                    computed: false,
                }),
            ))
            .with_block(single(
                "scaling_config",
                Schema::new(vec![Attribute::optional("maximum_concurrency", number())]),
            ))
            .with_block(single(
                "destination_config",
                Schema::new(Vec::new()).with_block(single(
                    "on_failure",
                    Schema::new(vec![Attribute::required(
                        "destination_arn",
                        AttrType::String,
                    )]),
                )),
            )),
        }
    }
}

impl Default for LambdaEventSourceMapping {
    fn default() -> Self {
        LambdaEventSourceMapping::new()
    }
}

#[async_trait]
impl Resource for LambdaEventSourceMapping {
    fn type_name(&self) -> &'static str {
        "aws_lambda_event_source_mapping"
    }

    fn import_id(&self) -> String {
        "event source mapping UUID".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn list_managed(
        &self,
        context: &ProviderContext,
        stack: &str,
    ) -> Result<Vec<(String, String)>, ProviderError> {
        list_tagged(
            context,
            stack,
            self.type_name(),
            "lambda:event-source-mapping",
            ArnId::After("event-source-mapping:"),
        )
        .await
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let event_source = required_string(desired, "event_source_arn")?;
        let function = required_string(desired, "function_name")?;
        let starting_position_timestamp = timestamp(desired)?;
        let response_types = function_response_types(desired);
        let scaling = scaling_config(desired)?;
        let batch_size = optional_i32(desired, "batch_size")?;
        let batching_window = optional_i32(desired, "maximum_batching_window_in_seconds")?;
        let retry_attempts = optional_i32(desired, "maximum_retry_attempts")?;
        let record_age = optional_i32(desired, "maximum_record_age_in_seconds")?;
        let parallelization = optional_i32(desired, "parallelization_factor")?;
        let tumbling_window = optional_i32(desired, "tumbling_window_in_seconds")?;
        let tags: HashMap<String, String> = context.tags_for(desired).into_iter().collect();
        let client = &context.aws().lambda;
        let output = wait::retry_when(
            "the execution role of the event source mapping to propagate",
            IAM_PROPAGATION,
            is_iam_propagation,
            || async {
                client
                    .create_event_source_mapping()
                    .event_source_arn(&event_source)
                    .function_name(&function)
                    .enabled(optional_bool(desired, "enabled").unwrap_or(true))
                    .set_batch_size(batch_size)
                    .set_maximum_batching_window_in_seconds(batching_window)
                    .set_starting_position(
                        optional_string(desired, "starting_position")
                            .map(|position| EventSourcePosition::from(position.as_str())),
                    )
                    .set_starting_position_timestamp(starting_position_timestamp)
                    .set_filter_criteria(filter_criteria(desired))
                    .set_function_response_types(
                        (!response_types.is_empty()).then(|| response_types.clone()),
                    )
                    .set_scaling_config(scaling.clone())
                    .set_maximum_retry_attempts(retry_attempts)
                    .set_maximum_record_age_in_seconds(record_age)
                    .set_bisect_batch_on_function_error(optional_bool(
                        desired,
                        "bisect_batch_on_function_error",
                    ))
                    .set_parallelization_factor(parallelization)
                    .set_destination_config(destination_config(desired))
                    .set_tumbling_window_in_seconds(tumbling_window)
                    .set_tags(Some(tags.clone()))
                    .send()
                    .await
                    .map_err(|error| sdk_error("CreateEventSourceMapping", error))
            },
        )
        .await?;
        let uuid = output
            .uuid()
            .ok_or_else(|| empty_answer("CreateEventSourceMapping", "UUID"))?
            .to_string();
        self.read(context, &uuid, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!(
                "event source mapping {uuid} disappeared after create"
            ))
        })
    }

    async fn wait_until_ready(
        &self,
        context: &ProviderContext,
        created: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let uuid = required_string(created, "id")?;
        wait_settled(context, &uuid).await?;
        self.read(context, &uuid, created).await?.ok_or_else(|| {
            ProviderError::Refused(format!(
                "event source mapping {uuid} disappeared while waiting"
            ))
        })
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let Some(output) = get_mapping(context, id).await? else {
            return Ok(None);
        };
        let mut attributes = mapping_attributes(&output, id, prior);
        let arn = output
            .event_source_mapping_arn()
            .ok_or_else(|| empty_answer("GetEventSourceMapping", "EventSourceMappingArn"))?;
        let tags = LambdaTags.list(context, arn).await?;
        put_tags(context, &mut attributes, tags);
        Ok(Some(attributes))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        if let Some(changes) = changed_settings(prior, desired)? {
            let client = &context.aws().lambda;
            wait::retry_on(
                "the event source mapping to leave its transition",
                IN_USE,
                &["ResourceInUseException"],
                || async {
                    client
                        .update_event_source_mapping()
                        .uuid(id)
                        .set_function_name(changes.function_name.clone())
                        .set_enabled(changes.enabled)
                        .set_batch_size(changes.batch_size)
                        .set_maximum_batching_window_in_seconds(changes.maximum_batching_window)
                        .set_filter_criteria(changes.filter_criteria.clone())
                        .set_function_response_types(changes.function_response_types.clone())
                        .set_scaling_config(changes.scaling_config.clone())
                        .set_maximum_retry_attempts(changes.maximum_retry_attempts)
                        .set_maximum_record_age_in_seconds(changes.maximum_record_age)
                        .set_bisect_batch_on_function_error(changes.bisect_batch)
                        .set_parallelization_factor(changes.parallelization_factor)
                        .set_destination_config(changes.destination_config.clone())
                        .set_tumbling_window_in_seconds(changes.tumbling_window)
                        .send()
                        .await
                        .map_err(|error| sdk_error("UpdateEventSourceMapping", error))
                },
            )
            .await?;
            wait_settled(context, id).await?;
        }
        if tags_differ(context, prior, desired) {
            let arn = required_string(prior, "arn")?;
            sync_tags(&LambdaTags, context, &arn, prior, desired).await?;
        }
        self.read(context, id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!(
                "event source mapping {id} disappeared during update"
            ))
        })
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let client = &context.aws().lambda;
        wait::send_delete_retrying_on(
            "DeleteEventSourceMapping",
            "the event source mapping to leave its transition before delete",
            IN_USE,
            &["ResourceInUseException"],
            || client.delete_event_source_mapping().uuid(id).send(),
        )
        .await?;
        wait::until_gone(
            &format!("event source mapping {id} to be deleted"),
            LIMIT,
            || async { Ok(get_mapping(context, id).await?.is_some()) },
        )
        .await
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let event_source = required_string(desired, "event_source_arn")?;
        let function = required_string(desired, "function_name")?;
        let client = &context.aws().lambda;
        let mut marker: Option<String> = None;
        loop {
            let page = client
                .list_event_source_mappings()
                .event_source_arn(&event_source)
                .function_name(&function)
                .set_marker(marker.clone())
                .send()
                .await
                .map_err(|error| sdk_error("ListEventSourceMappings", error))?;
            for mapping in page.event_source_mappings() {
                let (Some(uuid), Some(arn)) = (mapping.uuid(), mapping.event_source_mapping_arn())
                else {
                    continue;
                };
                let tags = LambdaTags.list(context, arn).await.not_found_as_none()?;
                if tags.is_some_and(|tags| carries_recovery_tags(context, &tags)) {
                    return self.read(context, uuid, desired).await;
                }
            }
            marker = page
                .next_marker()
                .filter(|next| !next.is_empty())
                .map(str::to_string);
            if marker.is_none() {
                return Ok(None);
            }
        }
    }
}

/// GetEventSourceMapping; `None` when Lambda has no such mapping.
async fn get_mapping(
    context: &ProviderContext,
    uuid: &str,
) -> Result<Option<GetEventSourceMappingOutput>, ProviderError> {
    context
        .aws()
        .lambda
        .get_event_source_mapping()
        .uuid(uuid)
        .send()
        .await
        .map_err(|error| sdk_error("GetEventSourceMapping", error))
        .not_found_as_none()
}

/// Polls until the mapping is `Enabled` or `Disabled`.
async fn wait_settled(context: &ProviderContext, uuid: &str) -> Result<(), ProviderError> {
    wait::until(
        &format!("event source mapping {uuid} to be enabled or disabled"),
        LIMIT,
        || async {
            let output = get_mapping(context, uuid).await?.ok_or_else(|| {
                ProviderError::Refused(format!(
                    "event source mapping {uuid} disappeared while waiting"
                ))
            })?;
            Ok(if settled(uuid, output.state())? {
                Poll::Ready(())
            } else {
                Poll::Pending
            })
        },
    )
    .await
}

/// Whether `state` is one a mapping rests in (`Enabled`, `Disabled`); the transitions
/// (`Creating`, `Enabling`, `Disabling`, `Updating`) are waited out; `Deleting` is an error.
fn settled(uuid: &str, state: Option<&str>) -> Result<bool, ProviderError> {
    match state {
        Some("Enabled" | "Disabled") => Ok(true),
        Some("Deleting") => Err(ProviderError::Refused(format!(
            "event source mapping {uuid} is being deleted"
        ))),
        _ => Ok(false),
    }
}

/// Lambda's answers while a new execution role is not yet usable by it (what Terraform
/// retries on).
fn is_iam_propagation(error: &ProviderError) -> bool {
    match error {
        ProviderError::Aws { code, message, .. } if code == "InvalidParameterValueException" => [
            "cannot be assumed by Lambda",
            "execution role does not have permissions",
            "ensure the role can perform",
        ]
        .iter()
        .any(|text| message.contains(text)),
        _ => false,
    }
}

/// `starting_position_timestamp` as an SDK time.
fn timestamp(attributes: &Attributes) -> Result<Option<DateTime>, ProviderError> {
    optional_string(attributes, "starting_position_timestamp")
        .map(|text| {
            parse_rfc3339(&text).ok_or_else(|| {
                ProviderError::invalid(
                    "starting_position_timestamp",
                    "must be an RFC 3339 time (2024-01-31T12:00:00Z)",
                )
            })
        })
        .transpose()
}

/// An RFC 3339 time, in UTC (`Z`) or with an offset (`+02:00`: the SDK's parser takes only
/// `Z`).
fn parse_rfc3339(text: &str) -> Option<DateTime> {
    if let Ok(time) = DateTime::from_str(text, Format::DateTime) {
        return Some(time);
    }
    let split = text.len().checked_sub(6)?;
    let (local, offset) = (text.get(..split)?, text.get(split..)?);
    let sign = match offset.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (hours, minutes) = offset.get(1..)?.split_once(':')?;
    let offset_seconds =
        sign * (hours.parse::<i64>().ok()? * 3600 + minutes.parse::<i64>().ok()? * 60);
    let utc = DateTime::from_str(&format!("{local}Z"), Format::DateTime).ok()?;
    Some(DateTime::from_secs_and_nanos(
        utc.secs() - offset_seconds,
        utc.subsec_nanos(),
    ))
}

fn function_response_types(attributes: &Attributes) -> Vec<FunctionResponseType> {
    string_list(attributes, "function_response_types")
        .iter()
        .map(|kind| FunctionResponseType::from(kind.as_str()))
        .collect()
}

/// The `filter_criteria` block's filters (`None` when the block is not written).
fn filter_criteria(attributes: &Attributes) -> Option<FilterCriteria> {
    let criteria = block(attributes, "filter_criteria")?;
    let filters = blocks(criteria, "filter")
        .into_iter()
        .map(|filter| {
            Filter::builder()
                .set_pattern(optional_string(filter, "pattern"))
                .build()
        })
        .collect();
    Some(FilterCriteria::builder().set_filters(Some(filters)).build())
}

fn scaling_config(attributes: &Attributes) -> Result<Option<ScalingConfig>, ProviderError> {
    block(attributes, "scaling_config")
        .map(|scaling| {
            Ok(ScalingConfig::builder()
                .set_maximum_concurrency(optional_i32(scaling, "maximum_concurrency")?)
                .build())
        })
        .transpose()
}

fn destination_config(attributes: &Attributes) -> Option<DestinationConfig> {
    let on_failure = block(block(attributes, "destination_config")?, "on_failure")?;
    Some(
        DestinationConfig::builder()
            .on_failure(
                OnFailure::builder()
                    .set_destination(optional_string(on_failure, "destination_arn"))
                    .build(),
            )
            .build(),
    )
}

/// What UpdateEventSourceMapping is sent: the settings that differ between `prior` and
/// `desired`, each `None` when unchanged.
#[derive(Debug, Default, PartialEq)]
struct Changes {
    function_name: Option<String>,
    enabled: Option<bool>,
    batch_size: Option<i32>,
    maximum_batching_window: Option<i32>,
    filter_criteria: Option<FilterCriteria>,
    function_response_types: Option<Vec<FunctionResponseType>>,
    scaling_config: Option<ScalingConfig>,
    maximum_retry_attempts: Option<i32>,
    maximum_record_age: Option<i32>,
    bisect_batch: Option<bool>,
    parallelization_factor: Option<i32>,
    destination_config: Option<DestinationConfig>,
    tumbling_window: Option<i32>,
}

/// True when `name` means something else in `desired` than in `prior` (null and an empty list
/// alike; an optional + computed setting left out of the spec is not a change).
fn differs(prior: &Attributes, desired: &Attributes, name: &str) -> bool {
    let normal = |value: Option<&Value>| match value {
        None | Some(Value::Null) | Some(Value::Unknown) => Value::List(Vec::new()),
        Some(value) => value.clone(),
    };
    normal(prior.get(name)) != normal(desired.get(name))
}

/// The settings to send (`None`: nothing but tags changed).
fn changed_settings(
    prior: &Attributes,
    desired: &Attributes,
) -> Result<Option<Changes>, ProviderError> {
    let mut changes = Changes::default();
    let whole = |name: &str| -> Result<Option<i32>, ProviderError> {
        if differs(prior, desired, name) {
            optional_i32(desired, name)
        } else {
            Ok(None)
        }
    };
    if differs(prior, desired, "function_name") {
        changes.function_name = Some(required_string(desired, "function_name")?);
    }
    if differs(prior, desired, "enabled") {
        changes.enabled = Some(optional_bool(desired, "enabled").unwrap_or(true));
    }
    changes.batch_size = whole("batch_size")?;
    changes.maximum_batching_window = whole("maximum_batching_window_in_seconds")?;
    changes.maximum_retry_attempts = whole("maximum_retry_attempts")?;
    changes.maximum_record_age = whole("maximum_record_age_in_seconds")?;
    changes.parallelization_factor = whole("parallelization_factor")?;
    changes.tumbling_window = whole("tumbling_window_in_seconds")?;
    if differs(prior, desired, "bisect_batch_on_function_error") {
        changes.bisect_batch = optional_bool(desired, "bisect_batch_on_function_error");
    }
    if differs(prior, desired, "filter_criteria") {
        // No block: an empty filter list clears the filters.
        changes.filter_criteria = Some(
            filter_criteria(desired)
                .unwrap_or_else(|| FilterCriteria::builder().set_filters(Some(vec![])).build()),
        );
    }
    let mut prior_types = string_list(prior, "function_response_types");
    let mut desired_types = string_list(desired, "function_response_types");
    prior_types.sort();
    desired_types.sort();
    if prior_types != desired_types {
        changes.function_response_types = Some(function_response_types(desired));
    }
    if differs(prior, desired, "scaling_config") {
        changes.scaling_config =
            Some(scaling_config(desired)?.unwrap_or_else(|| ScalingConfig::builder().build()));
    }
    if differs(prior, desired, "destination_config") {
        changes.destination_config = Some(destination_config(desired).unwrap_or_else(|| {
            DestinationConfig::builder()
                .on_failure(OnFailure::builder().build())
                .build()
        }));
    }
    Ok((changes != Changes::default()).then_some(changes))
}

/// The attributes of a mapping as GetEventSourceMapping answers it (tags apart).
fn mapping_attributes(
    output: &GetEventSourceMappingOutput,
    id: &str,
    prior: &Attributes,
) -> Attributes {
    let function_arn = output.function_arn().unwrap_or_default();
    let filters: Vec<Attributes> = output
        .filter_criteria()
        .map(|criteria| criteria.filters())
        .unwrap_or_default()
        .iter()
        .map(|filter| map([("pattern", filter.pattern().map(str::to_string).into())]))
        .collect();
    let filter_criteria = if filters.is_empty() {
        block_value([])
    } else {
        block_value([map([("filter", block_value(filters))])])
    };
    let scaling_config = match output
        .scaling_config()
        .and_then(ScalingConfig::maximum_concurrency)
    {
        Some(maximum) => block_value([map([("maximum_concurrency", Value::from(maximum))])]),
        None => block_value([]),
    };
    let destination_config = match output
        .destination_config()
        .and_then(DestinationConfig::on_failure)
        .and_then(OnFailure::destination)
        .filter(|arn| !arn.is_empty())
    {
        Some(arn) => block_value([map([(
            "on_failure",
            block_value([map([("destination_arn", Value::string(arn))])]),
        )])]),
        None => block_value([]),
    };
    let mut attributes = map([
        ("id", Value::string(id)),
        ("uuid", Value::string(output.uuid().unwrap_or(id))),
        (
            "arn",
            Value::string(output.event_source_mapping_arn().unwrap_or_default()),
        ),
        (
            "event_source_arn",
            Value::string(output.event_source_arn().unwrap_or_default()),
        ),
        (
            "function_name",
            Value::string(function_name(
                optional_string(prior, "function_name").as_deref(),
                function_arn,
            )),
        ),
        ("function_arn", Value::string(function_arn)),
        ("enabled", Value::Bool(enabled(output.state(), prior))),
        ("batch_size", number(output.batch_size())),
        (
            "maximum_batching_window_in_seconds",
            number(output.maximum_batching_window_in_seconds()),
        ),
        (
            "starting_position",
            output
                .starting_position()
                .map(|position| position.as_str().to_string())
                .into(),
        ),
        (
            "starting_position_timestamp",
            starting_position_timestamp(output.starting_position_timestamp(), prior),
        ),
        (
            "function_response_types",
            string_list_value(
                output
                    .function_response_types()
                    .iter()
                    .map(FunctionResponseType::as_str),
            ),
        ),
        (
            "maximum_retry_attempts",
            number(output.maximum_retry_attempts()),
        ),
        (
            "maximum_record_age_in_seconds",
            number(output.maximum_record_age_in_seconds()),
        ),
        (
            "bisect_batch_on_function_error",
            output
                .bisect_batch_on_function_error()
                .map_or(Value::Null, Value::Bool),
        ),
        (
            "parallelization_factor",
            number(output.parallelization_factor()),
        ),
        (
            "tumbling_window_in_seconds",
            number(output.tumbling_window_in_seconds()),
        ),
        ("state", Value::string(output.state().unwrap_or_default())),
        (
            "state_transition_reason",
            Value::string(output.state_transition_reason().unwrap_or_default()),
        ),
        ("last_modified", rfc3339(output.last_modified())),
        (
            "last_processing_result",
            output.last_processing_result().map(str::to_string).into(),
        ),
        ("filter_criteria", filter_criteria),
        ("scaling_config", scaling_config),
        ("destination_config", destination_config),
    ]);
    attributes.insert("tags".into(), Value::Map(BTreeMap::new()));
    attributes.insert("tags_all".into(), Value::Map(BTreeMap::new()));
    attributes
}

/// `Enabled` / `Enabling` are enabled; while `Creating` or `Updating`, what the spec asked for
/// is underway.
fn enabled(state: Option<&str>, prior: &Attributes) -> bool {
    match state {
        Some("Enabled" | "Enabling") => true,
        Some("Creating" | "Updating") => optional_bool(prior, "enabled").unwrap_or(true),
        _ => false,
    }
}

/// The spec's `function_name` while it names the function mapped (`function_arn`, a name, a
/// partial ARN or a full ARN, with the same qualifier), else the mapped function's ARN.
fn function_name(spec: Option<&str>, function_arn: &str) -> String {
    fn after_function(text: &str) -> &str {
        text.split_once(":function:").map_or(text, |(_, rest)| rest)
    }
    match spec {
        Some(spec) if after_function(spec) == after_function(function_arn) => spec.to_string(),
        _ => function_arn.to_string(),
    }
}

/// AWS's start time as RFC 3339, in the spec's spelling when it names the same instant.
fn starting_position_timestamp(time: Option<&DateTime>, prior: &Attributes) -> Value {
    let Some(time) = time else {
        return Value::Null;
    };
    let spec = optional_string(prior, "starting_position_timestamp");
    match spec {
        Some(text) if parse_rfc3339(&text).is_some_and(|written| written.secs() == time.secs()) => {
            Value::string(text)
        }
        _ => rfc3339(Some(time)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attributes(pairs: &[(&str, Value)]) -> Attributes {
        pairs
            .iter()
            .map(|(name, value)| (name.to_string(), value.clone()))
            .collect()
    }

    #[test]
    fn function_name_keeps_the_spec_spelling_of_the_mapped_function() {
        let arn = "arn:aws:lambda:us-east-1:123456789012:function:worker";
        assert_eq!(function_name(Some("worker"), arn), "worker");
        assert_eq!(function_name(Some(arn), arn), arn);
        assert_eq!(
            function_name(Some("123456789012:function:worker"), arn),
            "123456789012:function:worker"
        );
        // Another function, or another qualifier: the mapped function's ARN (drift).
        assert_eq!(function_name(Some("other"), arn), arn);
        assert_eq!(
            function_name(Some("worker"), &format!("{arn}:live")),
            format!("{arn}:live")
        );
        assert_eq!(
            function_name(Some("worker:live"), &format!("{arn}:live")),
            "worker:live"
        );
        assert_eq!(function_name(None, arn), arn);
    }

    #[test]
    fn only_resting_states_end_the_wait() {
        assert!(settled("u", Some("Enabled")).unwrap());
        assert!(settled("u", Some("Disabled")).unwrap());
        for transition in ["Creating", "Enabling", "Disabling", "Updating"] {
            assert!(!settled("u", Some(transition)).unwrap(), "{transition}");
        }
        assert!(!settled("u", None).unwrap());
        assert!(settled("u", Some("Deleting")).is_err());
    }

    #[test]
    fn role_propagation_errors_are_retried() {
        let aws = |code: &str, message: &str| ProviderError::Aws {
            operation: "CreateEventSourceMapping".into(),
            code: code.into(),
            message: message.into(),
        };
        assert!(is_iam_propagation(&aws(
            "InvalidParameterValueException",
            "The provided execution role does not have permissions to call ReceiveMessage on SQS"
        )));
        assert!(!is_iam_propagation(&aws(
            "InvalidParameterValueException",
            "Unsupported MaximumRetryAttempts parameter for this event source"
        )));
        assert!(!is_iam_propagation(&aws(
            "ResourceConflictException",
            "execution role does not have permissions"
        )));
    }

    #[test]
    fn only_changed_settings_are_sent() {
        let prior = attributes(&[
            ("function_name", Value::string("worker")),
            ("enabled", Value::Bool(true)),
            ("batch_size", Value::Number(10.0)),
            ("maximum_retry_attempts", Value::Null),
            ("function_response_types", Value::List(vec![])),
            (
                "scaling_config",
                block_value([map([("maximum_concurrency", Value::Number(5.0))])]),
            ),
            ("filter_criteria", Value::List(vec![])),
        ]);
        assert_eq!(changed_settings(&prior, &prior).unwrap(), None);
        let mut desired = prior.clone();
        desired.insert("batch_size".into(), Value::Number(20.0));
        desired.insert("function_response_types".into(), Value::Null);
        desired.insert("scaling_config".into(), Value::List(vec![]));
        let changes = changed_settings(&prior, &desired).unwrap().unwrap();
        assert_eq!(changes.batch_size, Some(20));
        assert_eq!(changes.function_name, None);
        assert_eq!(changes.function_response_types, None);
        // A removed block is sent empty, which clears it.
        assert_eq!(
            changes.scaling_config,
            Some(ScalingConfig::builder().build())
        );
        assert_eq!(changes.filter_criteria, None);
        assert_eq!(changes.enabled, None);
    }

    #[test]
    fn filters_and_the_failure_destination_are_built_from_blocks() {
        let desired = attributes(&[
            (
                "filter_criteria",
                block_value([map([(
                    "filter",
                    block_value([map([("pattern", Value::string(r#"{"body":{"a":["b"]}}"#))])]),
                )])]),
            ),
            (
                "destination_config",
                block_value([map([(
                    "on_failure",
                    block_value([map([(
                        "destination_arn",
                        Value::string("arn:aws:sqs:r:1:dlq"),
                    )])]),
                )])]),
            ),
        ]);
        let criteria = filter_criteria(&desired).unwrap();
        assert_eq!(
            criteria.filters()[0].pattern(),
            Some(r#"{"body":{"a":["b"]}}"#)
        );
        let destination = destination_config(&desired).unwrap();
        assert_eq!(
            destination.on_failure().and_then(OnFailure::destination),
            Some("arn:aws:sqs:r:1:dlq")
        );
        assert!(filter_criteria(&Attributes::new()).is_none());
        assert!(destination_config(&Attributes::new()).is_none());
    }

    #[test]
    fn start_times_keep_the_spec_spelling() {
        let time = DateTime::from_secs(1_706_702_400);
        let prior = attributes(&[(
            "starting_position_timestamp",
            Value::string("2024-01-31T12:00:00+00:00"),
        )]);
        assert_eq!(
            starting_position_timestamp(Some(&time), &prior),
            Value::string("2024-01-31T12:00:00+00:00")
        );
        assert_eq!(
            starting_position_timestamp(Some(&time), &Attributes::new()),
            Value::string("2024-01-31T12:00:00Z")
        );
        assert_eq!(
            parse_rfc3339("2024-01-31T14:00:00+02:00").map(|time| time.secs()),
            Some(1_706_702_400)
        );
        assert!(timestamp(&attributes(&[(
            "starting_position_timestamp",
            Value::string("yesterday")
        )]))
        .is_err());
    }
}
