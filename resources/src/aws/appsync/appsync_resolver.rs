//! `aws_appsync_resolver`: the resolver of one field of an AppSync GraphQL API's type: a UNIT
//! resolver on one data source, or a PIPELINE of functions; written in AppSync's JavaScript
//! runtime (`code` + `runtime { name = "APPSYNC_JS" }`) or as VTL mapping templates
//! (`request_template` / `response_template`).
//!
//! AWS calls: CreateResolver, GetResolver (read; NotFoundException is gone), UpdateResolver
//! (the whole configuration is sent: it replaces what it is not sent), DeleteResolver.
//! Resolvers take no tags, so drift lists nothing.
//!
//! Replacement: a change of `api_id`, `type` or `field`. The id is `api_id-type-field` (as
//! Terraform's).
//!
//! Recovery: by field: a field has at most one resolver, so the resolver GetResolver finds for
//! this `type` and `field` is what an interrupted create made.
//!
//! moto 5.2.1 gap: it serves no resolver operation (CreateResolver and GetResolver answer 500:
//! their paths fall to its GetType handler). The type is tested against recorded AWS answers
//! through the replay connector (`resources/tests/contract/appsync.rs`: create, read, read of
//! a gone resolver, update, delete), its API made on moto.

use async_trait::async_trait;
use aws_sdk_appsync::types::{
    AppSyncRuntime, CachingConfig, ConflictDetectionType, ConflictHandlerType,
    LambdaConflictHandlerConfig, PipelineConfig, Resolver, ResolverKind, RuntimeName, SyncConfig,
};

use super::common::{built, split_id, text};
use crate::aws::kit::attributes::{
    block, block_value, map, non_empty, optional_i32, optional_i64, required_string, string_list,
    string_list_value,
};
use crate::aws::kit::{empty_answer, sdk_error, ResultExt};
use crate::aws::AwsContext;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

pub struct AppsyncResolver {
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

impl AppsyncResolver {
    pub fn new() -> Self {
        AppsyncResolver {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("api_id-type-field."),
                Attribute::required("api_id", AttrType::String).force_new(),
                Attribute::required("type", AttrType::String)
                    .force_new()
                    .describe("The GraphQL type (`Query`, `Mutation`, ...)."),
                Attribute::required("field", AttrType::String).force_new(),
                Attribute::optional("data_source", AttrType::String)
                    .describe("The data source name (UNIT resolvers)."),
                Attribute::optional("kind", AttrType::String)
                    .default("UNIT")
                    .describe("UNIT or PIPELINE."),
                Attribute::optional("code", AttrType::String)
                    .describe("The resolver in AppSync's JavaScript runtime."),
                Attribute::optional("request_template", AttrType::String),
                Attribute::optional("response_template", AttrType::String),
                Attribute::optional("max_batch_size", AttrType::Number).default(0.0),
                Attribute::computed("arn", AttrType::String),
            ])
            .with_block(single(
                "runtime",
                Schema::new(vec![
                    Attribute::required("name", AttrType::String).describe("APPSYNC_JS."),
                    Attribute::required("runtime_version", AttrType::String),
                ]),
            ))
            .with_block(single(
                "pipeline_config",
                Schema::new(vec![Attribute::optional(
                    "functions",
                    AttrType::list_of_strings(),
                )]),
            ))
            .with_block(single(
                "caching_config",
                Schema::new(vec![
                    Attribute::optional("caching_keys", AttrType::set_of_strings()),
                    Attribute::optional("ttl", AttrType::Number),
                ]),
            ))
            .with_block(single(
                "sync_config",
                Schema::new(vec![
                    Attribute::optional("conflict_detection", AttrType::String),
                    Attribute::optional("conflict_handler", AttrType::String),
                ])
                .with_block(single(
                    "lambda_conflict_handler_config",
                    Schema::new(vec![Attribute::optional(
                        "lambda_conflict_handler_arn",
                        AttrType::String,
                    )]),
                )),
            )),
        }
    }
}

impl Default for AppsyncResolver {
    fn default() -> Self {
        AppsyncResolver::new()
    }
}

/// What CreateResolver and UpdateResolver share.
#[derive(Debug)]
struct Settings {
    data_source: Option<String>,
    kind: ResolverKind,
    code: Option<String>,
    request_template: Option<String>,
    response_template: Option<String>,
    max_batch_size: Option<i32>,
    runtime: Option<AppSyncRuntime>,
    pipeline: Option<PipelineConfig>,
    caching: Option<CachingConfig>,
    sync: Option<SyncConfig>,
}

fn settings(desired: &Attributes) -> Result<Settings, ProviderError> {
    let kind = ResolverKind::from(
        non_empty(desired, "kind")
            .unwrap_or_else(|| "UNIT".into())
            .as_str(),
    );
    let runtime = block(desired, "runtime")
        .map(|runtime| {
            built(
                "runtime",
                AppSyncRuntime::builder()
                    .name(RuntimeName::from(
                        required_string(runtime, "name")?.as_str(),
                    ))
                    .runtime_version(required_string(runtime, "runtime_version")?)
                    .build(),
            )
        })
        .transpose()?;
    if non_empty(desired, "code").is_some() && runtime.is_none() {
        return Err(ProviderError::invalid(
            "runtime",
            "`code` needs a `runtime` block (name = \"APPSYNC_JS\")",
        ));
    }
    let caching = block(desired, "caching_config").map(|caching| {
        let keys = string_list(caching, "caching_keys");
        CachingConfig::builder()
            .ttl(optional_i64(caching, "ttl").unwrap_or(0))
            .set_caching_keys((!keys.is_empty()).then_some(keys))
            .build()
    });
    let sync = block(desired, "sync_config").map(|sync| {
        SyncConfig::builder()
            .set_conflict_detection(
                non_empty(sync, "conflict_detection")
                    .map(|value| ConflictDetectionType::from(value.as_str())),
            )
            .set_conflict_handler(
                non_empty(sync, "conflict_handler")
                    .map(|value| ConflictHandlerType::from(value.as_str())),
            )
            .set_lambda_conflict_handler_config(block(sync, "lambda_conflict_handler_config").map(
                |handler| {
                    LambdaConflictHandlerConfig::builder()
                        .set_lambda_conflict_handler_arn(non_empty(
                            handler,
                            "lambda_conflict_handler_arn",
                        ))
                        .build()
                },
            ))
            .build()
    });
    Ok(Settings {
        data_source: non_empty(desired, "data_source"),
        kind,
        code: non_empty(desired, "code"),
        request_template: non_empty(desired, "request_template"),
        response_template: non_empty(desired, "response_template"),
        max_batch_size: optional_i32(desired, "max_batch_size")?,
        runtime,
        pipeline: block(desired, "pipeline_config").map(|pipeline| {
            PipelineConfig::builder()
                .set_functions(Some(string_list(pipeline, "functions")))
                .build()
        }),
        caching,
        sync,
    })
}

fn parts<'a>(
    id: &'a str,
    prior: &Attributes,
) -> Result<(&'a str, &'a str, &'a str), ProviderError> {
    let parts = split_id(
        id,
        non_empty(prior, "api_id").as_deref(),
        3,
        "api_id-type-field",
    )?;
    Ok((parts[0], parts[1], parts[2]))
}

async fn get(
    context: &ProviderContext,
    api_id: &str,
    type_name: &str,
    field: &str,
) -> Result<Option<Resolver>, ProviderError> {
    let output = context
        .aws()
        .appsync
        .get_resolver()
        .api_id(api_id)
        .type_name(type_name)
        .field_name(field)
        .send()
        .await
        .map_err(|error| sdk_error("GetResolver", error))
        .not_found_as_none()?;
    Ok(output.and_then(|output| output.resolver))
}

#[async_trait]
impl Resource for AppsyncResolver {
    fn type_name(&self) -> &'static str {
        "aws_appsync_resolver"
    }

    fn import_id(&self) -> String {
        "API id-type-field (abcdef123-Query-getItem)".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    /// One read after create: create's answer is completed by a read.
    fn create_answer_is_complete(&self) -> bool {
        false
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let api_id = required_string(desired, "api_id")?;
        let settings = settings(desired)?;
        let output = context
            .aws()
            .appsync
            .create_resolver()
            .api_id(&api_id)
            .type_name(required_string(desired, "type")?)
            .field_name(required_string(desired, "field")?)
            .set_data_source_name(settings.data_source)
            .kind(settings.kind)
            .set_code(settings.code)
            .set_runtime(settings.runtime)
            .set_request_mapping_template(settings.request_template)
            .set_response_mapping_template(settings.response_template)
            .set_max_batch_size(settings.max_batch_size)
            .set_pipeline_config(settings.pipeline)
            .set_caching_config(settings.caching)
            .set_sync_config(settings.sync)
            .send()
            .await
            .map_err(|error| sdk_error("CreateResolver", error))?;
        let resolver = output
            .resolver()
            .ok_or_else(|| empty_answer("CreateResolver", "resolver"))?;
        Ok(resolver_attributes(&api_id, resolver))
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let (api_id, type_name, field) = parts(id, prior)?;
        Ok(get(context, api_id, type_name, field)
            .await?
            .map(|resolver| resolver_attributes(api_id, &resolver)))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let (api_id, type_name, field) = parts(id, prior)?;
        let settings = settings(desired)?;
        let output = context
            .aws()
            .appsync
            .update_resolver()
            .api_id(api_id)
            .type_name(type_name)
            .field_name(field)
            .set_data_source_name(settings.data_source)
            .kind(settings.kind)
            .set_code(settings.code)
            .set_runtime(settings.runtime)
            .set_request_mapping_template(settings.request_template)
            .set_response_mapping_template(settings.response_template)
            .set_max_batch_size(settings.max_batch_size)
            .set_pipeline_config(settings.pipeline)
            .set_caching_config(settings.caching)
            .set_sync_config(settings.sync)
            .send()
            .await
            .map_err(|error| sdk_error("UpdateResolver", error))?;
        let resolver = output
            .resolver()
            .ok_or_else(|| empty_answer("UpdateResolver", "resolver"))?;
        Ok(resolver_attributes(api_id, resolver))
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let (api_id, type_name, field) = parts(id, prior)?;
        context
            .aws()
            .appsync
            .delete_resolver()
            .api_id(api_id)
            .type_name(type_name)
            .field_name(field)
            .send()
            .await
            .map_err(|error| sdk_error("DeleteResolver", error))
            .gone_is_ok()
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let api_id = required_string(desired, "api_id")?;
        let type_name = required_string(desired, "type")?;
        let field = required_string(desired, "field")?;
        Ok(get(context, &api_id, &type_name, &field)
            .await?
            .map(|resolver| resolver_attributes(&api_id, &resolver)))
    }
}

fn resolver_attributes(api_id: &str, resolver: &Resolver) -> Attributes {
    let type_name = resolver.type_name().unwrap_or_default();
    let field = resolver.field_name().unwrap_or_default();
    map([
        ("id", Value::string(format!("{api_id}-{type_name}-{field}"))),
        ("api_id", Value::string(api_id)),
        ("type", Value::string(type_name)),
        ("field", Value::string(field)),
        ("data_source", text(resolver.data_source_name())),
        (
            "kind",
            Value::string(resolver.kind().map_or("UNIT", ResolverKind::as_str)),
        ),
        ("code", text(resolver.code())),
        (
            "request_template",
            text(resolver.request_mapping_template()),
        ),
        (
            "response_template",
            text(resolver.response_mapping_template()),
        ),
        (
            "max_batch_size",
            Value::Number(f64::from(resolver.max_batch_size())),
        ),
        (
            "arn",
            Value::string(resolver.resolver_arn().unwrap_or_default()),
        ),
        (
            "runtime",
            block_value(resolver.runtime().map(|runtime| {
                map([
                    ("name", Value::string(runtime.name().as_str())),
                    ("runtime_version", Value::string(runtime.runtime_version())),
                ])
            })),
        ),
        (
            "pipeline_config",
            block_value(
                resolver
                    .pipeline_config()
                    .map(|pipeline| map([("functions", string_list_value(pipeline.functions()))])),
            ),
        ),
        (
            "caching_config",
            block_value(resolver.caching_config().map(|caching| {
                map([
                    ("caching_keys", string_list_value(caching.caching_keys())),
                    ("ttl", Value::Number(caching.ttl() as f64)),
                ])
            })),
        ),
        (
            "sync_config",
            block_value(resolver.sync_config().map(|sync| {
                map([
                    (
                        "conflict_detection",
                        text(sync.conflict_detection().map(ConflictDetectionType::as_str)),
                    ),
                    (
                        "conflict_handler",
                        text(sync.conflict_handler().map(ConflictHandlerType::as_str)),
                    ),
                    (
                        "lambda_conflict_handler_config",
                        block_value(sync.lambda_conflict_handler_config().map(|handler| {
                            map([(
                                "lambda_conflict_handler_arn",
                                text(handler.lambda_conflict_handler_arn()),
                            )])
                        })),
                    ),
                ])
            })),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_javascript_unit_resolver_sends_its_code_and_runtime() {
        let desired = map([
            ("data_source", Value::string("samples")),
            ("code", Value::string("export function request() {}")),
            (
                "runtime",
                block_value([map([
                    ("name", Value::string("APPSYNC_JS")),
                    ("runtime_version", Value::string("1.0.0")),
                ])]),
            ),
        ]);
        let sent = settings(&desired).unwrap();
        assert_eq!(sent.kind, ResolverKind::Unit);
        assert_eq!(sent.runtime.unwrap().name(), &RuntimeName::AppsyncJs);
        assert_eq!(sent.data_source.as_deref(), Some("samples"));
    }

    #[test]
    fn code_without_a_runtime_is_refused() {
        let desired = map([("code", Value::string("export function request() {}"))]);
        let error = settings(&desired).unwrap_err();
        assert!(error.to_string().contains("runtime"), "{error}");
    }

    #[test]
    fn a_pipeline_sends_its_functions_in_order() {
        let desired = map([
            ("kind", Value::string("PIPELINE")),
            (
                "pipeline_config",
                block_value([map([("functions", string_list_value(["fn-b", "fn-a"]))])]),
            ),
        ]);
        let sent = settings(&desired).unwrap();
        assert_eq!(sent.kind, ResolverKind::Pipeline);
        assert_eq!(sent.pipeline.unwrap().functions(), ["fn-b", "fn-a"]);
    }

    #[test]
    fn the_id_is_api_type_and_field() {
        assert_eq!(
            parts("abc123-Query-getSample", &Attributes::new()).unwrap(),
            ("abc123", "Query", "getSample")
        );
        assert!(parts("abc123-Query", &Attributes::new()).is_err());
    }
}
