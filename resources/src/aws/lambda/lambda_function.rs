//! `aws_lambda_function`: a Lambda function deployed from a local zip (`filename`) or a zip in
//! S3 (`s3_bucket`, `s3_key`, optionally `s3_object_version`).
//!
//! AWS calls: CreateFunction (zip bytes, tags in the same call), GetFunction (configuration and
//! tags), GetFunctionConfiguration (readiness polls), UpdateFunctionCode (a change of
//! `filename` or `source_code_hash`: in place), UpdateFunctionConfiguration (role, handler,
//! runtime, memory, timeout, description, environment, VPC config), TagResource /
//! UntagResource, DeleteFunction.
//!
//! Replacement: a change of `function_name` (or `package_type`). Everything else is updated in
//! place; code first, then configuration, each followed by a wait, because Lambda refuses a
//! second update while `LastUpdateStatus` is `InProgress`.
//!
//! Code: `filename` is read when the function is created or its code changes (a path relative
//! to the working directory, as in Terraform; specs write `"${path.module}/lambda.zip"`).
//! `source_code_hash` is what the spec says (usually `filebase64sha256(...)`) and triggers
//! UpdateFunctionCode when it changes; `code_sha256` is what Lambda reports. With `s3_bucket`
//! / `s3_key` / `s3_object_version` Lambda fetches the zip itself; a change of any of them is
//! an UpdateFunctionCode with the new location.
//!
//! Readiness: create and each update wait (own polling) until `State` is `Active` and
//! `LastUpdateStatus` is `Successful`; `Failed` ends the wait with Lambda's reason.
//!
//! Versions (`publish = true`): CreateFunction publishes version 1; a later change of code or
//! configuration (or turning `publish` on) is followed by PublishVersion, as Terraform does, so
//! `version` / `qualified_arn` / `qualified_invoke_arn` name the newest published version
//! (ListVersionsByFunction on read). Without `publish` they name `$LATEST`.
//!
//! Delete: DeleteFunction. A Lambda@Edge function is refused ("replicated function") while
//! CloudFront still holds its replicas, which AWS removes up to hours after the distribution
//! stops using it: the delete retries, saying so in progress, for `PROVISION_EDGE_DELETE_WAIT`
//! seconds (default 1800), then is deferred (`DeleteDeferred`): the function stays in state, the
//! run does not fail, and the next destroy deletes it.
//!
//! Recovery: the name is deterministic; adopted only with this stack's `provision:*` tags.
//!
//! moto 5.2.1: functions are `Active` / `Successful` at once; the role must be an IAM role ARN
//! that exists in the emulator. moto never replicates a function, so the replicated-function
//! refusal is tested with AWS's recorded answer (contract tests, `lambda.rs`).
//!
//! Drift: `list_managed` is GetResources of the Resource Groups Tagging API (`lambda:function`).

use crate::aws::kit::attributes;
use crate::aws::kit::recovery;
use crate::aws::AwsContext;
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::{
    Architecture, Environment, FunctionCode, FunctionConfiguration, Runtime, VpcConfig,
};

use crate::aws::kit::attributes::optional_i32;
use crate::aws::kit::attributes::{
    optional_string, required_string, string_list, string_list_value,
};
use crate::aws::kit::found;
use crate::aws::kit::sdk_error;
use crate::aws::kit::tags::{split_tags, sync_tags, tag_api, tags_differ};
use crate::aws::kit::wait::{self, Poll};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

const LIMIT: Duration = Duration::from_secs(15 * 60);

pub struct LambdaFunction {
    schema: Schema,
}

impl LambdaFunction {
    pub fn new() -> Self {
        LambdaFunction {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The function name."),
                Attribute::required("function_name", AttrType::String).force_new(),
                Attribute::required("role", AttrType::String)
                    .describe("ARN of the execution role."),
                Attribute::optional("filename", AttrType::String)
                    .describe("Path of the deployment zip."),
                Attribute::optional("s3_bucket", AttrType::String)
                    .describe("Bucket of the zip, instead of `filename`."),
                Attribute::optional("s3_key", AttrType::String),
                Attribute::optional("s3_object_version", AttrType::String),
                Attribute::optional("source_code_hash", AttrType::String)
                    .describe("Changes trigger a code update: filebase64sha256(filename)."),
                Attribute::optional("handler", AttrType::String),
                Attribute::optional("runtime", AttrType::String),
                Attribute::optional("description", AttrType::String),
                Attribute::optional("memory_size", AttrType::Number).default(128),
                Attribute::optional("timeout", AttrType::Number).default(3),
                Attribute::optional_computed("architectures", AttrType::list_of_strings()),
                Attribute::optional("package_type", AttrType::String)
                    .default("Zip")
                    .force_new(),
                Attribute::optional("publish", AttrType::Bool).default(false),
                Attribute::computed("arn", AttrType::String),
                Attribute::computed("invoke_arn", AttrType::String),
                Attribute::computed("qualified_arn", AttrType::String),
                Attribute::computed("qualified_invoke_arn", AttrType::String),
                Attribute::computed("version", AttrType::String),
                Attribute::computed("last_modified", AttrType::String),
                Attribute::computed("code_sha256", AttrType::String),
                Attribute::computed("source_code_size", AttrType::Number),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ])
            .with_block(NestedBlock {
                name: "environment",
                nesting: BlockNesting::Single,
                schema: Schema::new(vec![Attribute::optional(
                    "variables",
                    AttrType::map_of_strings(),
                )]),
                force_new: false,
                computed: false,
            })
            .with_block(NestedBlock {
                name: "vpc_config",
                nesting: BlockNesting::Single,
                schema: Schema::new(vec![
                    Attribute::required("subnet_ids", AttrType::set_of_strings()),
                    Attribute::required("security_group_ids", AttrType::set_of_strings()),
                    Attribute::computed("vpc_id", AttrType::String),
                ]),
                force_new: false,
                computed: false,
            }),
        }
    }
}

impl Default for LambdaFunction {
    fn default() -> Self {
        LambdaFunction::new()
    }
}

tag_api! {
    /// Lambda's tag calls, on any taggable Lambda ARN (function, event source mapping).
    pub(crate) struct LambdaTags for lambda {
        list: "ListTags" list_tags(resource)
            => |output| output.tags().cloned().unwrap_or_default().into_iter().collect(),
        tag: "TagResource" tag_resource(resource)
            .set_tags(|tags| Some(tags.clone().into_iter().collect())),
        untag: "UntagResource" untag_resource(resource).set_tag_keys(|keys| Some(keys.to_vec())),
    }
}

#[async_trait]
impl Resource for LambdaFunction {
    fn type_name(&self) -> &'static str {
        "aws_lambda_function"
    }

    fn import_id(&self) -> String {
        "function name".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn list_managed(
        &self,
        context: &ProviderContext,
        stack: &str,
    ) -> Result<Vec<(String, String)>, ProviderError> {
        use crate::aws::tagging::{list_tagged, ArnId};
        list_tagged(
            context,
            stack,
            self.type_name(),
            "lambda:function",
            ArnId::After("function:"),
        )
        .await
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let name = required_string(desired, "function_name")?;
        let zip = function_code(desired)?;
        let architectures = string_list(desired, "architectures");
        let output = context
            .aws()
            .lambda
            .create_function()
            .function_name(&name)
            .role(required_string(desired, "role")?)
            .set_handler(optional_string(desired, "handler"))
            .set_runtime(optional_string(desired, "runtime").map(|r| Runtime::from(r.as_str())))
            .set_description(optional_string(desired, "description"))
            .set_memory_size(optional_i32(desired, "memory_size").ok().flatten())
            .set_timeout(optional_i32(desired, "timeout").ok().flatten())
            .set_architectures((!architectures.is_empty()).then(|| {
                architectures
                    .iter()
                    .map(|a| Architecture::from(a.as_str()))
                    .collect()
            }))
            .publish(attributes::optional_bool(desired, "publish").unwrap_or(false))
            .code(zip)
            .environment(environment(desired))
            .vpc_config(vpc_config(desired))
            .set_tags(Some(context.tags_for(desired).into_iter().collect()))
            .send()
            .await
            .map_err(|error| sdk_error("CreateFunction", error))?;
        let mut attributes =
            configuration_attributes(context, &output_configuration(&output), desired);
        let (tags, tags_all) = split_tags(context, context.tags_for(desired));
        attributes.insert("tags".into(), tags);
        attributes.insert("tags_all".into(), tags_all);
        Ok(attributes)
    }

    async fn wait_until_ready(
        &self,
        context: &ProviderContext,
        created: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let name = required_string(created, "id")?;
        wait_ready(context, &name).await?;
        self.read(context, &name, created).await?.ok_or_else(|| {
            ProviderError::Refused(format!("Lambda function {name} disappeared while waiting"))
        })
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let Some((mut configuration, tags)) = get_function(context, id).await? else {
            return Ok(None);
        };
        if attributes::optional_bool(prior, "publish").unwrap_or(false) {
            configuration.version = latest_published_version(context, id).await?;
        }
        let mut attributes = configuration_attributes(context, &configuration, prior);
        let (user, all) = split_tags(context, tags);
        attributes.insert("tags".into(), user);
        attributes.insert("tags_all".into(), all);
        Ok(Some(attributes))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let client = &context.aws().lambda;
        let code = code_changed(prior, desired);
        let configuration = configuration_changed(prior, desired);
        if code {
            let code_source = function_code(desired)?;
            client
                .update_function_code()
                .function_name(id)
                .set_zip_file(code_source.zip_file)
                .set_s3_bucket(code_source.s3_bucket)
                .set_s3_key(code_source.s3_key)
                .set_s3_object_version(code_source.s3_object_version)
                .send()
                .await
                .map_err(|error| sdk_error("UpdateFunctionCode", error))?;
            wait_ready(context, id).await?;
        }
        if configuration {
            client
                .update_function_configuration()
                .function_name(id)
                .role(required_string(desired, "role")?)
                .set_handler(optional_string(desired, "handler"))
                .set_runtime(optional_string(desired, "runtime").map(|r| Runtime::from(r.as_str())))
                .description(optional_string(desired, "description").unwrap_or_default())
                .set_memory_size(optional_i32(desired, "memory_size").ok().flatten())
                .set_timeout(optional_i32(desired, "timeout").ok().flatten())
                .environment(environment(desired))
                .vpc_config(vpc_config(desired))
                .send()
                .await
                .map_err(|error| sdk_error("UpdateFunctionConfiguration", error))?;
            wait_ready(context, id).await?;
        }
        let publish = attributes::optional_bool(desired, "publish").unwrap_or(false);
        let published_before = attributes::optional_bool(prior, "publish").unwrap_or(false);
        if publish && (code || configuration || !published_before) {
            client
                .publish_version()
                .function_name(id)
                .send()
                .await
                .map_err(|error| sdk_error("PublishVersion", error))?;
            wait_ready(context, id).await?;
        }
        if tags_differ(context, prior, desired) {
            let arn = required_string(prior, "arn")?;
            sync_tags(&LambdaTags, context, &arn, prior, desired).await?;
        }
        self.read(context, id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("Lambda function {id} disappeared during update"))
        })
    }

    /// A code change gives a new hash, size and modification time; with `publish`, any change
    /// of code or configuration (or turning `publish` on) publishes a new version.
    fn recomputed_on_update(
        &self,
        prior: &Attributes,
        planned: &Attributes,
        changed: &[&str],
    ) -> Vec<&'static str> {
        let mut recomputed = Vec::new();
        let code = code_changed(prior, planned);
        if code {
            recomputed.extend(["code_sha256", "source_code_size"]);
        }
        let configuration = configuration_changed(prior, planned);
        if code || configuration {
            recomputed.push("last_modified");
        }
        let publish = attributes::optional_bool(planned, "publish").unwrap_or(false);
        if publish && (code || configuration || changed.contains(&"publish")) {
            recomputed.extend(["version", "qualified_arn", "qualified_invoke_arn"]);
        }
        recomputed
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let limit = std::env::var("PROVISION_EDGE_DELETE_WAIT")
            .ok()
            .and_then(|seconds| seconds.parse().ok())
            .map(Duration::from_secs)
            .unwrap_or(EDGE_DELETE_WAIT);
        delete_function(context, id, limit).await
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let name = required_string(desired, "function_name")?;
        let found = get_function(context, &name).await?;
        let Some((configuration, tags)) = recovery::owned(context, found, |(_, tags)| tags.clone())
        else {
            return Ok(None);
        };
        let mut attributes = configuration_attributes(context, &configuration, desired);
        let (user, all) = split_tags(context, tags);
        attributes.insert("tags".into(), user);
        attributes.insert("tags_all".into(), all);
        Ok(Some(attributes))
    }
}

/// How long a delete retries while CloudFront holds replicas of a Lambda@Edge function.
const EDGE_DELETE_WAIT: Duration = Duration::from_secs(30 * 60);

/// True for Lambda's refusal to delete a function CloudFront still replicates.
fn is_replicated_refusal(error: &ProviderError) -> bool {
    error.code() == Some("InvalidParameterValueException")
        && error.to_string().contains("replicated function")
}

/// DeleteFunction; while Lambda refuses because of Lambda@Edge replicas, retries (saying so in
/// progress) until `limit`, then defers the delete to a later run. Gone already is success.
pub async fn delete_function(
    context: &ProviderContext,
    name: &str,
    limit: Duration,
) -> Result<(), ProviderError> {
    let attempts = std::sync::atomic::AtomicUsize::new(0);
    let result = wait::retry_when(
        &format!("CloudFront to remove the replicas of Lambda@Edge function {name}"),
        limit,
        is_replicated_refusal,
        || async {
            if attempts.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 1 {
                context.progress.report(
                    "CloudFront still holds replicas of this Lambda@Edge function (AWS removes \
                     them up to hours after the distribution lets go): retrying the delete",
                );
            }
            context
                .aws()
                .lambda
                .delete_function()
                .function_name(name)
                .send()
                .await
                .map(|_| ())
                .map_err(|error| sdk_error("DeleteFunction", error))
        },
    )
    .await;
    match found(result) {
        Ok(_) => Ok(()),
        Err(error) if is_replicated_refusal(&error) => Err(ProviderError::DeleteDeferred(format!(
            "CloudFront still holds replicas of Lambda@Edge function {name} after {} s of \
             retries (AWS removes them within hours of the distribution letting go)",
            limit.as_secs()
        ))),
        Err(error) => Err(error),
    }
}

/// The newest published version of `name` (ListVersionsByFunction, every page); `$LATEST`
/// when none is published.
async fn latest_published_version(
    context: &ProviderContext,
    name: &str,
) -> Result<Option<String>, ProviderError> {
    let mut newest: Option<u64> = None;
    let mut marker: Option<String> = None;
    loop {
        let output = context
            .aws()
            .lambda
            .list_versions_by_function()
            .function_name(name)
            .set_marker(marker.take())
            .send()
            .await
            .map_err(|error| sdk_error("ListVersionsByFunction", error))?;
        for version in output.versions() {
            if let Some(number) = version.version().and_then(|text| text.parse::<u64>().ok()) {
                newest = newest.max(Some(number));
            }
        }
        match output.next_marker() {
            Some(next) if !next.is_empty() => marker = Some(next.to_string()),
            _ => break,
        }
    }
    Ok(Some(newest.map_or_else(
        || "$LATEST".to_string(),
        |number| number.to_string(),
    )))
}

/// Where the code comes from: `filename`'s bytes, or the S3 location.
fn function_code(attributes: &Attributes) -> Result<FunctionCode, ProviderError> {
    if optional_string(attributes, "filename").is_some() {
        return Ok(FunctionCode::builder()
            .zip_file(Blob::new(read_zip(attributes)?))
            .build());
    }
    match (
        optional_string(attributes, "s3_bucket"),
        optional_string(attributes, "s3_key"),
    ) {
        (Some(bucket), Some(key)) => Ok(FunctionCode::builder()
            .s3_bucket(bucket)
            .s3_key(key)
            .set_s3_object_version(optional_string(attributes, "s3_object_version"))
            .build()),
        (Some(_), None) => Err(ProviderError::invalid(
            "s3_key",
            "is required with s3_bucket",
        )),
        _ => Err(ProviderError::invalid(
            "filename",
            "the code needs `filename`, or `s3_bucket` and `s3_key`",
        )),
    }
}

/// The zip named by `filename`.
fn read_zip(attributes: &Attributes) -> Result<Vec<u8>, ProviderError> {
    let path = required_string(attributes, "filename")?;
    std::fs::read(&path)
        .map_err(|error| ProviderError::invalid("filename", format!("cannot read {path}: {error}")))
}

/// The single block `name` as a map, if written.
fn block<'a>(attributes: &'a Attributes, name: &str) -> Option<&'a Value> {
    attributes
        .get(name)
        .and_then(Value::as_list)
        .and_then(|blocks| blocks.first())
}

fn variables(attributes: &Attributes) -> BTreeMap<String, String> {
    block(attributes, "environment")
        .and_then(|environment| environment.get("variables"))
        .and_then(Value::as_map)
        .map(|variables| {
            variables
                .iter()
                .filter_map(|(key, value)| {
                    value.to_template_string().map(|text| (key.clone(), text))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The environment to send: an empty one clears what was there.
fn environment(attributes: &Attributes) -> Environment {
    Environment::builder()
        .set_variables(Some(
            variables(attributes).into_iter().collect::<HashMap<_, _>>(),
        ))
        .build()
}

fn vpc_lists(attributes: &Attributes) -> (Vec<String>, Vec<String>) {
    let list = |name: &str| -> Vec<String> {
        let mut items: Vec<String> = block(attributes, "vpc_config")
            .and_then(|config| config.get(name))
            .and_then(Value::as_list)
            .map(|items| items.iter().filter_map(Value::to_template_string).collect())
            .unwrap_or_default();
        items.sort();
        items
    };
    (list("subnet_ids"), list("security_group_ids"))
}

/// The VPC configuration to send: empty lists take the function out of the VPC.
fn vpc_config(attributes: &Attributes) -> VpcConfig {
    let (subnets, groups) = vpc_lists(attributes);
    VpcConfig::builder()
        .set_subnet_ids(Some(subnets))
        .set_security_group_ids(Some(groups))
        .build()
}

fn code_changed(prior: &Attributes, desired: &Attributes) -> bool {
    ["filename", "s3_bucket", "s3_key", "s3_object_version"]
        .iter()
        .any(|name| optional_string(prior, name) != optional_string(desired, name))
        || optional_string(prior, "source_code_hash")
            != optional_string(desired, "source_code_hash")
}

fn configuration_changed(prior: &Attributes, desired: &Attributes) -> bool {
    ["role", "handler", "runtime", "description"]
        .iter()
        .any(|name| optional_string(prior, name) != optional_string(desired, name))
        || ["memory_size", "timeout"].iter().any(|name| {
            optional_i32(prior, name).ok().flatten() != optional_i32(desired, name).ok().flatten()
        })
        || variables(prior) != variables(desired)
        || vpc_lists(prior) != vpc_lists(desired)
}

async fn get_function(
    context: &ProviderContext,
    name: &str,
) -> Result<Option<(FunctionConfiguration, BTreeMap<String, String>)>, ProviderError> {
    let result = context
        .aws()
        .lambda
        .get_function()
        .function_name(name)
        .send()
        .await
        .map_err(|error| sdk_error("GetFunction", error));
    Ok(found(result)?.and_then(|output| {
        let tags = output
            .tags()
            .map(|tags| tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        output
            .configuration()
            .cloned()
            .map(|configuration| (configuration, tags))
    }))
}

/// Polls until `State` is `Active` and `LastUpdateStatus` is not `InProgress`.
async fn wait_ready(context: &ProviderContext, name: &str) -> Result<(), ProviderError> {
    wait::until(
        &format!("Lambda function {name} to become active"),
        LIMIT,
        || async {
            let configuration = context
                .aws()
                .lambda
                .get_function_configuration()
                .function_name(name)
                .send()
                .await
                .map_err(|error| sdk_error("GetFunctionConfiguration", error))?;
            readiness(
                configuration.state().map(|state| state.as_str()),
                configuration
                    .last_update_status()
                    .map(|status| status.as_str()),
                configuration
                    .state_reason()
                    .or(configuration.last_update_status_reason()),
                name,
            )
        },
    )
    .await
}

/// Ready when Active and the last update Successful (or none reported); `Failed` is an error.
fn readiness(
    state: Option<&str>,
    last_update: Option<&str>,
    reason: Option<&str>,
    name: &str,
) -> Result<Poll<()>, ProviderError> {
    if state == Some("Failed") || last_update == Some("Failed") {
        return Err(ProviderError::Refused(format!(
            "Lambda function {name} failed: {}",
            reason.unwrap_or("no reason given")
        )));
    }
    let active = matches!(state, None | Some("Active"));
    let updated = matches!(last_update, None | Some("Successful"));
    Ok(if active && updated {
        Poll::Ready(())
    } else {
        Poll::Pending
    })
}

/// CreateFunction answers the configuration's fields at the top level.
fn output_configuration(
    output: &aws_sdk_lambda::operation::create_function::CreateFunctionOutput,
) -> FunctionConfiguration {
    FunctionConfiguration::builder()
        .set_function_name(output.function_name().map(str::to_string))
        .set_function_arn(output.function_arn().map(str::to_string))
        .set_runtime(output.runtime().cloned())
        .set_role(output.role().map(str::to_string))
        .set_handler(output.handler().map(str::to_string))
        .set_description(output.description().map(str::to_string))
        .set_timeout(output.timeout())
        .set_memory_size(output.memory_size())
        .set_code_sha256(output.code_sha256().map(str::to_string))
        .set_code_size(Some(output.code_size()))
        .set_version(output.version().map(str::to_string))
        .set_last_modified(output.last_modified().map(str::to_string))
        .set_vpc_config(output.vpc_config().cloned())
        .set_environment(output.environment().cloned())
        .set_architectures(Some(output.architectures().to_vec()))
        .build()
}

fn configuration_attributes(
    context: &ProviderContext,
    configuration: &FunctionConfiguration,
    prior: &Attributes,
) -> Attributes {
    let text = |value: Option<&str>| -> Value { value.map(str::to_string).into() };
    let mut attributes = Attributes::new();
    let name = configuration.function_name().unwrap_or_default();
    let arn = configuration.function_arn().unwrap_or_default();
    attributes.insert("id".into(), Value::string(name));
    attributes.insert("function_name".into(), Value::string(name));
    attributes.insert("role".into(), text(configuration.role()));
    attributes.insert("handler".into(), text(configuration.handler()));
    attributes.insert(
        "runtime".into(),
        text(configuration.runtime().map(|runtime| runtime.as_str())),
    );
    attributes.insert(
        "description".into(),
        text(configuration.description().filter(|text| !text.is_empty())),
    );
    attributes.insert(
        "memory_size".into(),
        configuration
            .memory_size()
            .map(Value::from)
            .unwrap_or_default(),
    );
    attributes.insert(
        "timeout".into(),
        configuration.timeout().map(Value::from).unwrap_or_default(),
    );
    attributes.insert(
        "architectures".into(),
        string_list_value(configuration.architectures().iter().map(|a| a.as_str())),
    );
    for local in [
        "filename",
        "s3_bucket",
        "s3_key",
        "s3_object_version",
        "source_code_hash",
        "package_type",
        "publish",
    ] {
        attributes.insert(local.into(), prior.get(local).cloned().unwrap_or_default());
    }
    attributes.insert("arn".into(), Value::string(arn));
    attributes.insert(
        "invoke_arn".into(),
        Value::String(format!(
            "arn:aws:apigateway:{}:lambda:path/2015-03-31/functions/{arn}/invocations",
            context.aws().region
        )),
    );
    let version = configuration.version().unwrap_or("$LATEST");
    attributes.insert("version".into(), Value::string(version));
    attributes.insert(
        "qualified_arn".into(),
        Value::String(format!("{arn}:{version}")),
    );
    attributes.insert(
        "qualified_invoke_arn".into(),
        Value::String(format!(
            "arn:aws:apigateway:{}:lambda:path/2015-03-31/functions/{arn}:{version}/invocations",
            context.aws().region
        )),
    );
    attributes.insert("last_modified".into(), text(configuration.last_modified()));
    attributes.insert("code_sha256".into(), text(configuration.code_sha256()));
    attributes.insert(
        "source_code_size".into(),
        Value::Number(configuration.code_size() as f64),
    );
    let variables = configuration
        .environment()
        .and_then(|environment| environment.variables())
        .filter(|variables| !variables.is_empty());
    attributes.insert(
        "environment".into(),
        Value::List(
            variables
                .map(|variables| {
                    Value::Map(BTreeMap::from([(
                        "variables".to_string(),
                        Value::Map(
                            variables
                                .iter()
                                .map(|(key, value)| (key.clone(), Value::string(value)))
                                .collect(),
                        ),
                    )]))
                })
                .into_iter()
                .collect(),
        ),
    );
    let vpc = configuration
        .vpc_config()
        .filter(|vpc| !vpc.subnet_ids().is_empty());
    attributes.insert(
        "vpc_config".into(),
        Value::List(
            vpc.map(|vpc| {
                Value::Map(BTreeMap::from([
                    (
                        "subnet_ids".to_string(),
                        string_list_value(vpc.subnet_ids()),
                    ),
                    (
                        "security_group_ids".to_string(),
                        string_list_value(vpc.security_group_ids()),
                    ),
                    ("vpc_id".to_string(), text(vpc.vpc_id())),
                ]))
            })
            .into_iter()
            .collect(),
        ),
    );
    attributes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attributes(pairs: &[(&str, Value)]) -> Attributes {
        pairs
            .iter()
            .map(|(key, value)| (key.to_string(), value.clone()))
            .collect()
    }

    fn env(pairs: &[(&str, &str)]) -> Value {
        Value::List(vec![Value::Map(BTreeMap::from([(
            "variables".to_string(),
            Value::Map(
                pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), Value::string(*v)))
                    .collect(),
            ),
        )]))])
    }

    #[test]
    fn a_new_hash_is_a_code_change_and_not_a_configuration_change() {
        let prior = attributes(&[
            ("filename", Value::string("a.zip")),
            ("source_code_hash", Value::string("old")),
            ("memory_size", Value::Number(128.0)),
        ]);
        let mut desired = prior.clone();
        desired.insert("source_code_hash".into(), Value::string("new"));
        assert!(code_changed(&prior, &desired));
        assert!(!configuration_changed(&prior, &desired));
    }

    #[test]
    fn environment_and_memory_are_configuration_changes() {
        let prior = attributes(&[("environment", env(&[("A", "1")]))]);
        let desired = attributes(&[("environment", env(&[("A", "2")]))]);
        assert!(configuration_changed(&prior, &desired));
        assert!(!code_changed(&prior, &desired));
        let bigger = attributes(&[("memory_size", Value::Number(512.0))]);
        assert!(configuration_changed(&Attributes::new(), &bigger));
    }

    #[test]
    fn readiness_follows_state_and_last_update() {
        assert!(matches!(
            readiness(Some("Active"), Some("Successful"), None, "f"),
            Ok(Poll::Ready(()))
        ));
        assert!(matches!(
            readiness(Some("Pending"), None, None, "f"),
            Ok(Poll::Pending)
        ));
        assert!(matches!(
            readiness(Some("Active"), Some("InProgress"), None, "f"),
            Ok(Poll::Pending)
        ));
        let failed = readiness(Some("Active"), Some("Failed"), Some("bad zip"), "f");
        assert!(failed.is_err_and(|error| error.to_string().contains("bad zip")));
    }

    #[test]
    fn publishing_updates_recompute_the_version_and_plain_ones_do_not() {
        let function = LambdaFunction::new();
        let prior = attributes(&[
            ("filename", Value::string("a.zip")),
            ("source_code_hash", Value::string("old")),
            ("publish", Value::Bool(true)),
            ("timeout", Value::Number(3.0)),
        ]);
        let mut new_code = prior.clone();
        new_code.insert("source_code_hash".into(), Value::string("new"));
        let recomputed = function.recomputed_on_update(&prior, &new_code, &["source_code_hash"]);
        for name in [
            "version",
            "qualified_arn",
            "qualified_invoke_arn",
            "code_sha256",
        ] {
            assert!(recomputed.contains(&name), "{name}: {recomputed:?}");
        }
        let mut longer = prior.clone();
        longer.insert("timeout".into(), Value::Number(30.0));
        let recomputed = function.recomputed_on_update(&prior, &longer, &["timeout"]);
        assert!(recomputed.contains(&"qualified_arn"), "{recomputed:?}");
        assert!(!recomputed.contains(&"code_sha256"), "{recomputed:?}");
        // Without publish the version stays `$LATEST`.
        let mut unpublished = new_code.clone();
        unpublished.insert("publish".into(), Value::Bool(false));
        let mut prior_unpublished = prior.clone();
        prior_unpublished.insert("publish".into(), Value::Bool(false));
        let recomputed =
            function.recomputed_on_update(&prior_unpublished, &unpublished, &["source_code_hash"]);
        assert!(!recomputed.contains(&"version"), "{recomputed:?}");
        // Tags alone change nothing computed.
        assert!(function
            .recomputed_on_update(&prior, &prior, &["tags"])
            .is_empty());
    }

    #[test]
    fn missing_zip_names_the_attribute() {
        let error = read_zip(&attributes(&[(
            "filename",
            Value::string("/nonexistent.zip"),
        )]))
        .unwrap_err();
        assert!(error.to_string().contains("filename"));
    }
}
