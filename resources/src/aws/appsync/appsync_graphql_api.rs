//! `aws_appsync_graphql_api`: an AppSync GraphQL API. Id = the API id (as Terraform's).
//!
//! AWS calls: CreateGraphqlApi (every setting and the tags in the one call),
//! StartSchemaCreation + GetSchemaCreationStatus (polled until SUCCESS / ACTIVE; FAILED is an
//! error carrying AppSync's details) when `schema` is set, GetGraphqlApi (read; the answer
//! carries the tags), UpdateGraphqlApi (it replaces every setting, so the whole configuration
//! is sent), TagResource / UntagResource, DeleteGraphqlApi (after a GetGraphqlApi: see below).
//! Listing for drift: GetResources of the Resource Groups Tagging API (`appsync:apis`).
//!
//! Replacement: a change of `visibility` or `api_type` (not updatable).
//!
//! `schema` (the SDL, inline or from `file()`) is not read back: AWS answers it only through
//! GetIntrospectionSchema, in its own formatting. The state keeps what was uploaded, and a
//! change uploads it again.
//!
//! Recovery: by name: ListGraphqlApis, adopting the API of that name only when its tags carry
//! this stack's and address's `provision:*` tags. A recovered API's `schema` is null (whether
//! the interrupted create uploaded it is unknown), so the next plan uploads it.
//!
//! moto 5.2.1 gaps (each handled, none skipped):
//! - it stores and answers none of `introspection_config`, `query_depth_limit`,
//!   `resolver_count_limit`, `api_type`, `merged_api_execution_role_arn`,
//!   `enhanced_metrics_config`: an answer without them keeps the prior values (`or_prior`);
//!   real AWS answers them;
//! - `uris` is `{"GRAPHQL": "http://graphql.uri"}` (AWS also answers `REALTIME`);
//! - DeleteGraphqlApi of an API that is gone answers HTTP 500 (a KeyError), not
//!   NotFoundException: delete first asks GetGraphqlApi, and an API already gone is success;
//! - UpdateGraphqlApi ignores empty settings (removing the last additional provider is not
//!   seen on moto; real AWS replaces them).

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_appsync::types::{
    AdditionalAuthenticationProvider, AuthenticationType, CognitoUserPoolConfig,
    DataSourceLevelMetricsBehavior, DefaultAction, EnhancedMetricsConfig, FieldLogLevel,
    GraphQlApiIntrospectionConfig, GraphQlApiType, GraphQlApiVisibility, GraphqlApi,
    LambdaAuthorizerConfig, LogConfig, OpenIdConnectConfig, OperationLevelMetricsConfig,
    ResolverLevelMetricsBehavior, SchemaStatus, UserPoolConfig,
};

use super::common::{built, text};
use crate::aws::kit::attributes::{
    block, block_value, blocks, map, non_empty, optional_bool, optional_i32, optional_i64,
    or_prior, required_string,
};
use crate::aws::kit::recovery::owned;
use crate::aws::kit::tagging::{list_tagged, ArnId};
use crate::aws::kit::tags::{split_tags, sync_tags, tag_api};
use crate::aws::kit::wait::{until, Poll};
use crate::aws::kit::{empty_answer, sdk_error, ResultExt};
use crate::aws::AwsContext;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

pub struct AppsyncGraphqlApi {
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

/// `user_pool_config`: the default provider's has `default_action`, an additional one's not.
fn user_pool_block(with_default_action: bool) -> NestedBlock {
    let mut attributes = vec![
        Attribute::required("user_pool_id", AttrType::String),
        Attribute::optional_computed("aws_region", AttrType::String)
            .describe("The pool's region; the provider's when left out."),
        Attribute::optional("app_id_client_regex", AttrType::String),
    ];
    if with_default_action {
        attributes.push(
            Attribute::required("default_action", AttrType::String).describe("ALLOW or DENY."),
        );
    }
    single("user_pool_config", Schema::new(attributes))
}

fn openid_connect_block() -> NestedBlock {
    single(
        "openid_connect_config",
        Schema::new(vec![
            Attribute::required("issuer", AttrType::String),
            Attribute::optional("client_id", AttrType::String),
            Attribute::optional("auth_ttl", AttrType::Number).default(0.0),
            Attribute::optional("iat_ttl", AttrType::Number).default(0.0),
        ]),
    )
}

fn lambda_authorizer_block() -> NestedBlock {
    single(
        "lambda_authorizer_config",
        Schema::new(vec![
            Attribute::required("authorizer_uri", AttrType::String),
            Attribute::optional("authorizer_result_ttl_in_seconds", AttrType::Number)
                .default(300.0),
            Attribute::optional("identity_validation_expression", AttrType::String),
        ]),
    )
}

impl AppsyncGraphqlApi {
    pub fn new() -> Self {
        AppsyncGraphqlApi {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The API id."),
                Attribute::required("name", AttrType::String),
                Attribute::required("authentication_type", AttrType::String).describe(
                    "API_KEY, AWS_IAM, AMAZON_COGNITO_USER_POOLS, OPENID_CONNECT or AWS_LAMBDA.",
                ),
                Attribute::optional("schema", AttrType::String)
                    .describe("The schema in SDL, uploaded with StartSchemaCreation."),
                Attribute::optional("xray_enabled", AttrType::Bool).default(false),
                Attribute::optional("visibility", AttrType::String)
                    .default("GLOBAL")
                    .force_new(),
                Attribute::optional("api_type", AttrType::String)
                    .default("GRAPHQL")
                    .force_new(),
                Attribute::optional("merged_api_execution_role_arn", AttrType::String),
                Attribute::optional("introspection_config", AttrType::String).default("ENABLED"),
                Attribute::optional("query_depth_limit", AttrType::Number).default(0.0),
                Attribute::optional("resolver_count_limit", AttrType::Number).default(0.0),
                Attribute::computed("arn", AttrType::String),
                Attribute::computed("uris", AttrType::map_of_strings())
                    .describe("GRAPHQL and REALTIME endpoints."),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ])
            .with_block(user_pool_block(true))
            .with_block(openid_connect_block())
            .with_block(lambda_authorizer_block())
            .with_block(NestedBlock {
                name: "additional_authentication_provider",
                nesting: BlockNesting::List,
                schema: Schema::new(vec![Attribute::required(
                    "authentication_type",
                    AttrType::String,
                )])
                .with_block(user_pool_block(false))
                .with_block(openid_connect_block())
                .with_block(lambda_authorizer_block()),
                force_new: false,
                computed: false,
            })
            .with_block(single(
                "log_config",
                Schema::new(vec![
                    Attribute::required("cloudwatch_logs_role_arn", AttrType::String),
                    Attribute::required("field_log_level", AttrType::String)
                        .describe("NONE, ERROR, INFO, DEBUG or ALL."),
                    Attribute::optional("exclude_verbose_content", AttrType::Bool).default(false),
                ]),
            ))
            .with_block(NestedBlock {
                // AWS may answer its defaults when none is written: kept as answered then.
                computed: true,
                ..single(
                    "enhanced_metrics_config",
                    Schema::new(vec![
                        Attribute::required("data_source_level_metrics_behavior", AttrType::String),
                        Attribute::required("operation_level_metrics_config", AttrType::String),
                        Attribute::required("resolver_level_metrics_behavior", AttrType::String),
                    ]),
                )
            }),
        }
    }
}

impl Default for AppsyncGraphqlApi {
    fn default() -> Self {
        AppsyncGraphqlApi::new()
    }
}

tag_api! {
    /// AppSync's tag calls, on an API ARN.
    struct AppsyncTags for appsync {
        list: "ListTagsForResource" list_tags_for_resource(resource_arn)
            => |output| output.tags().cloned().unwrap_or_default().into_iter().collect(),
        tag: "TagResource" tag_resource(resource_arn)
            .set_tags(|tags| Some(tags.clone().into_iter().collect())),
        untag: "UntagResource" untag_resource(resource_arn)
            .set_tag_keys(|keys| Some(keys.to_vec())),
    }
}

/// The region of a user pool block: written, else the provider's.
fn pool_region(config: &Attributes, region: &str) -> String {
    non_empty(config, "aws_region").unwrap_or_else(|| region.to_string())
}

fn user_pool_config(config: &Attributes, region: &str) -> Result<UserPoolConfig, ProviderError> {
    built(
        "user_pool_config",
        UserPoolConfig::builder()
            .user_pool_id(required_string(config, "user_pool_id")?)
            .aws_region(pool_region(config, region))
            .default_action(DefaultAction::from(
                required_string(config, "default_action")?.as_str(),
            ))
            .set_app_id_client_regex(non_empty(config, "app_id_client_regex"))
            .build(),
    )
}

fn cognito_config(
    config: &Attributes,
    region: &str,
) -> Result<CognitoUserPoolConfig, ProviderError> {
    built(
        "user_pool_config",
        CognitoUserPoolConfig::builder()
            .user_pool_id(required_string(config, "user_pool_id")?)
            .aws_region(pool_region(config, region))
            .set_app_id_client_regex(non_empty(config, "app_id_client_regex"))
            .build(),
    )
}

fn openid_config(config: &Attributes) -> Result<OpenIdConnectConfig, ProviderError> {
    built(
        "openid_connect_config",
        OpenIdConnectConfig::builder()
            .issuer(required_string(config, "issuer")?)
            .set_client_id(non_empty(config, "client_id"))
            .set_auth_ttl(optional_i64(config, "auth_ttl"))
            .set_iat_ttl(optional_i64(config, "iat_ttl"))
            .build(),
    )
}

fn lambda_config(config: &Attributes) -> Result<LambdaAuthorizerConfig, ProviderError> {
    built(
        "lambda_authorizer_config",
        LambdaAuthorizerConfig::builder()
            .authorizer_uri(required_string(config, "authorizer_uri")?)
            .set_authorizer_result_ttl_in_seconds(optional_i32(
                config,
                "authorizer_result_ttl_in_seconds",
            )?)
            .set_identity_validation_expression(non_empty(config, "identity_validation_expression"))
            .build(),
    )
}

/// The settings CreateGraphqlApi and UpdateGraphqlApi share.
#[derive(Debug)]
struct Settings {
    name: String,
    authentication_type: AuthenticationType,
    user_pool: Option<UserPoolConfig>,
    openid: Option<OpenIdConnectConfig>,
    lambda: Option<LambdaAuthorizerConfig>,
    additional: Vec<AdditionalAuthenticationProvider>,
    log_config: Option<LogConfig>,
    enhanced_metrics: Option<EnhancedMetricsConfig>,
    xray_enabled: bool,
    merged_api_execution_role_arn: Option<String>,
    introspection: Option<GraphQlApiIntrospectionConfig>,
    query_depth_limit: Option<i32>,
    resolver_count_limit: Option<i32>,
}

fn settings(desired: &Attributes, region: &str) -> Result<Settings, ProviderError> {
    let mut additional = Vec::new();
    for provider in blocks(desired, "additional_authentication_provider") {
        additional.push(
            AdditionalAuthenticationProvider::builder()
                .authentication_type(AuthenticationType::from(
                    required_string(provider, "authentication_type")?.as_str(),
                ))
                .set_user_pool_config(
                    block(provider, "user_pool_config")
                        .map(|config| cognito_config(config, region))
                        .transpose()?,
                )
                .set_open_id_connect_config(
                    block(provider, "openid_connect_config")
                        .map(openid_config)
                        .transpose()?,
                )
                .set_lambda_authorizer_config(
                    block(provider, "lambda_authorizer_config")
                        .map(lambda_config)
                        .transpose()?,
                )
                .build(),
        );
    }
    let log_config = block(desired, "log_config")
        .map(|config| {
            built(
                "log_config",
                LogConfig::builder()
                    .cloud_watch_logs_role_arn(required_string(config, "cloudwatch_logs_role_arn")?)
                    .field_log_level(FieldLogLevel::from(
                        required_string(config, "field_log_level")?.as_str(),
                    ))
                    .set_exclude_verbose_content(optional_bool(config, "exclude_verbose_content"))
                    .build(),
            )
        })
        .transpose()?;
    let enhanced_metrics = block(desired, "enhanced_metrics_config")
        .map(|config| {
            built(
                "enhanced_metrics_config",
                EnhancedMetricsConfig::builder()
                    .data_source_level_metrics_behavior(DataSourceLevelMetricsBehavior::from(
                        required_string(config, "data_source_level_metrics_behavior")?.as_str(),
                    ))
                    .operation_level_metrics_config(OperationLevelMetricsConfig::from(
                        required_string(config, "operation_level_metrics_config")?.as_str(),
                    ))
                    .resolver_level_metrics_behavior(ResolverLevelMetricsBehavior::from(
                        required_string(config, "resolver_level_metrics_behavior")?.as_str(),
                    ))
                    .build(),
            )
        })
        .transpose()?;
    Ok(Settings {
        name: required_string(desired, "name")?,
        authentication_type: AuthenticationType::from(
            required_string(desired, "authentication_type")?.as_str(),
        ),
        user_pool: block(desired, "user_pool_config")
            .map(|config| user_pool_config(config, region))
            .transpose()?,
        openid: block(desired, "openid_connect_config")
            .map(openid_config)
            .transpose()?,
        lambda: block(desired, "lambda_authorizer_config")
            .map(lambda_config)
            .transpose()?,
        additional,
        log_config,
        enhanced_metrics,
        xray_enabled: optional_bool(desired, "xray_enabled").unwrap_or(false),
        merged_api_execution_role_arn: non_empty(desired, "merged_api_execution_role_arn"),
        introspection: non_empty(desired, "introspection_config")
            .map(|value| GraphQlApiIntrospectionConfig::from(value.as_str())),
        query_depth_limit: optional_i32(desired, "query_depth_limit")?,
        resolver_count_limit: optional_i32(desired, "resolver_count_limit")?,
    })
}

/// Uploads `schema` and waits until AppSync has built it.
async fn upload_schema(
    context: &ProviderContext,
    api_id: &str,
    schema: &str,
) -> Result<(), ProviderError> {
    let client = &context.aws().appsync;
    client
        .start_schema_creation()
        .api_id(api_id)
        .definition(aws_smithy_types::Blob::new(schema.as_bytes()))
        .send()
        .await
        .map_err(|error| sdk_error("StartSchemaCreation", error))?;
    until(
        &format!("the schema of AppSync API {api_id}"),
        Duration::from_secs(300),
        || async {
            let status = client
                .get_schema_creation_status()
                .api_id(api_id)
                .send()
                .await
                .map_err(|error| sdk_error("GetSchemaCreationStatus", error))?;
            match status.status() {
                Some(SchemaStatus::Success | SchemaStatus::Active) => Ok(Poll::Ready(())),
                Some(SchemaStatus::Failed) => Err(ProviderError::invalid(
                    "schema",
                    format!(
                        "AppSync could not build the schema of {api_id}: {}",
                        status.details().unwrap_or("no details")
                    ),
                )),
                _ => Ok(Poll::Pending),
            }
        },
    )
    .await
}

async fn get_api(context: &ProviderContext, id: &str) -> Result<Option<GraphqlApi>, ProviderError> {
    let output = context
        .aws()
        .appsync
        .get_graphql_api()
        .api_id(id)
        .send()
        .await
        .map_err(|error| sdk_error("GetGraphqlApi", error))
        .not_found_as_none()?;
    Ok(output.and_then(|output| output.graphql_api))
}

#[async_trait]
impl Resource for AppsyncGraphqlApi {
    fn type_name(&self) -> &'static str {
        "aws_appsync_graphql_api"
    }

    fn import_id(&self) -> String {
        "API id".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let settings = settings(desired, &context.aws().region)?;
        let output = context
            .aws()
            .appsync
            .create_graphql_api()
            .name(settings.name)
            .authentication_type(settings.authentication_type)
            .set_user_pool_config(settings.user_pool)
            .set_open_id_connect_config(settings.openid)
            .set_lambda_authorizer_config(settings.lambda)
            .set_additional_authentication_providers(
                (!settings.additional.is_empty()).then_some(settings.additional),
            )
            .set_log_config(settings.log_config)
            .set_enhanced_metrics_config(settings.enhanced_metrics)
            .xray_enabled(settings.xray_enabled)
            .visibility(GraphQlApiVisibility::from(
                non_empty(desired, "visibility")
                    .unwrap_or_else(|| "GLOBAL".into())
                    .as_str(),
            ))
            .api_type(GraphQlApiType::from(
                non_empty(desired, "api_type")
                    .unwrap_or_else(|| "GRAPHQL".into())
                    .as_str(),
            ))
            .set_merged_api_execution_role_arn(settings.merged_api_execution_role_arn)
            .set_introspection_config(settings.introspection)
            .set_query_depth_limit(settings.query_depth_limit)
            .set_resolver_count_limit(settings.resolver_count_limit)
            .set_tags(Some(
                context
                    .tags_for(desired)
                    .into_iter()
                    .collect::<HashMap<_, _>>(),
            ))
            .send()
            .await
            .map_err(|error| sdk_error("CreateGraphqlApi", error))?;
        let api = output
            .graphql_api()
            .ok_or_else(|| empty_answer("CreateGraphqlApi", "API"))?;
        let api_id = api
            .api_id()
            .ok_or_else(|| empty_answer("CreateGraphqlApi", "API id"))?;
        if let Some(schema) = non_empty(desired, "schema") {
            upload_schema(context, api_id, &schema).await?;
        }
        Ok(api_attributes(context, api, desired))
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        Ok(get_api(context, id)
            .await?
            .map(|api| api_attributes(context, &api, prior)))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let settings = settings(desired, &context.aws().region)?;
        context
            .aws()
            .appsync
            .update_graphql_api()
            .api_id(id)
            .name(settings.name)
            .authentication_type(settings.authentication_type)
            .set_user_pool_config(settings.user_pool)
            .set_open_id_connect_config(settings.openid)
            .set_lambda_authorizer_config(settings.lambda)
            .set_additional_authentication_providers(Some(settings.additional))
            .set_log_config(settings.log_config)
            .set_enhanced_metrics_config(settings.enhanced_metrics)
            .xray_enabled(settings.xray_enabled)
            .set_merged_api_execution_role_arn(settings.merged_api_execution_role_arn)
            .set_introspection_config(settings.introspection)
            .set_query_depth_limit(settings.query_depth_limit)
            .set_resolver_count_limit(settings.resolver_count_limit)
            .send()
            .await
            .map_err(|error| sdk_error("UpdateGraphqlApi", error))?;
        let schema = non_empty(desired, "schema");
        if let Some(text) = schema.as_deref() {
            if schema != non_empty(prior, "schema") {
                upload_schema(context, id, text).await?;
            }
        }
        let arn = required_string(prior, "arn")?;
        sync_tags(&AppsyncTags, context, &arn, prior, desired).await?;
        self.read(context, id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("AppSync API {id} disappeared during the update"))
        })
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        // moto answers the delete of an absent API with 500: ask first.
        if get_api(context, id).await?.is_none() {
            return Ok(());
        }
        context
            .aws()
            .appsync
            .delete_graphql_api()
            .api_id(id)
            .send()
            .await
            .map_err(|error| sdk_error("DeleteGraphqlApi", error))
            .gone_is_ok()
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
            "appsync:apis",
            ArnId::AfterSlash,
        )
        .await
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let name = required_string(desired, "name")?;
        let mut next_token = None;
        loop {
            let page = context
                .aws()
                .appsync
                .list_graphql_apis()
                .set_next_token(next_token)
                .send()
                .await
                .map_err(|error| sdk_error("ListGraphqlApis", error))?;
            for api in page.graphql_apis() {
                if api.name() != Some(name.as_str()) {
                    continue;
                }
                if let Some(api) = owned(context, Some(api), |api| cloud_tags(api)) {
                    let mut attributes = api_attributes(context, api, desired);
                    attributes.insert("schema".into(), Value::Null);
                    return Ok(Some(attributes));
                }
            }
            next_token = page.next_token().map(str::to_string);
            if next_token.is_none() {
                return Ok(None);
            }
        }
    }
}

fn cloud_tags(api: &GraphqlApi) -> BTreeMap<String, String> {
    api.tags()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .collect()
}

fn user_pool_value(
    user_pool_id: &str,
    region: &str,
    regex: Option<&str>,
    default_action: Option<&DefaultAction>,
) -> Attributes {
    let mut config = map([
        ("user_pool_id", Value::string(user_pool_id)),
        ("aws_region", Value::string(region)),
        ("app_id_client_regex", text(regex)),
    ]);
    if let Some(action) = default_action {
        config.insert("default_action".into(), Value::string(action.as_str()));
    }
    config
}

fn openid_value(config: Option<&OpenIdConnectConfig>) -> Value {
    block_value(config.map(|config| {
        map([
            ("issuer", Value::string(config.issuer())),
            ("client_id", text(config.client_id())),
            ("auth_ttl", Value::Number(config.auth_ttl() as f64)),
            ("iat_ttl", Value::Number(config.iat_ttl() as f64)),
        ])
    }))
}

fn lambda_value(config: Option<&LambdaAuthorizerConfig>) -> Value {
    block_value(config.map(|config| {
        map([
            ("authorizer_uri", Value::string(config.authorizer_uri())),
            (
                "authorizer_result_ttl_in_seconds",
                Value::Number(f64::from(config.authorizer_result_ttl_in_seconds())),
            ),
            (
                "identity_validation_expression",
                text(config.identity_validation_expression()),
            ),
        ])
    }))
}

/// The state of an API from AWS's answer; `schema` (never answered) kept from `prior`, and
/// the settings an answer lacks (moto's) too.
fn api_attributes(context: &ProviderContext, api: &GraphqlApi, prior: &Attributes) -> Attributes {
    // An answer without `introspectionConfig` predates the newer settings (moto): its zero
    // limits say nothing either.
    let newer_answered = api.introspection_config().is_some();
    let limit = |value: i32| newer_answered.then(|| Value::Number(f64::from(value)));
    let mut attributes = map([
        ("id", Value::string(api.api_id().unwrap_or_default())),
        ("arn", Value::string(api.arn().unwrap_or_default())),
        ("name", Value::string(api.name().unwrap_or_default())),
        (
            "authentication_type",
            Value::string(
                api.authentication_type()
                    .map(AuthenticationType::as_str)
                    .unwrap_or_default(),
            ),
        ),
        ("schema", prior.get("schema").cloned().unwrap_or_default()),
        ("xray_enabled", Value::Bool(api.xray_enabled())),
        (
            "visibility",
            Value::string(
                api.visibility()
                    .map_or("GLOBAL", GraphQlApiVisibility::as_str),
            ),
        ),
        (
            "api_type",
            or_prior(
                api.api_type().map(|value| Value::string(value.as_str())),
                prior,
                "api_type",
            ),
        ),
        (
            "merged_api_execution_role_arn",
            or_prior(
                api.merged_api_execution_role_arn().map(Value::string),
                prior,
                "merged_api_execution_role_arn",
            ),
        ),
        (
            "introspection_config",
            or_prior(
                api.introspection_config()
                    .map(|value| Value::string(value.as_str())),
                prior,
                "introspection_config",
            ),
        ),
        (
            "query_depth_limit",
            or_prior(limit(api.query_depth_limit()), prior, "query_depth_limit"),
        ),
        (
            "resolver_count_limit",
            or_prior(
                limit(api.resolver_count_limit()),
                prior,
                "resolver_count_limit",
            ),
        ),
        (
            "uris",
            Value::Map(
                api.uris()
                    .map(|uris| {
                        uris.iter()
                            .map(|(key, value)| (key.clone(), Value::string(value)))
                            .collect()
                    })
                    .unwrap_or_default(),
            ),
        ),
    ]);
    attributes.insert(
        "user_pool_config".into(),
        block_value(api.user_pool_config().map(|config| {
            user_pool_value(
                config.user_pool_id(),
                config.aws_region(),
                config.app_id_client_regex(),
                Some(config.default_action()),
            )
        })),
    );
    attributes.insert(
        "openid_connect_config".into(),
        openid_value(api.open_id_connect_config()),
    );
    attributes.insert(
        "lambda_authorizer_config".into(),
        lambda_value(api.lambda_authorizer_config()),
    );
    attributes.insert(
        "additional_authentication_provider".into(),
        block_value(
            api.additional_authentication_providers()
                .iter()
                .map(|provider| {
                    let mut element = map([
                        (
                            "authentication_type",
                            Value::string(
                                provider
                                    .authentication_type()
                                    .map(AuthenticationType::as_str)
                                    .unwrap_or_default(),
                            ),
                        ),
                        (
                            "openid_connect_config",
                            openid_value(provider.open_id_connect_config()),
                        ),
                        (
                            "lambda_authorizer_config",
                            lambda_value(provider.lambda_authorizer_config()),
                        ),
                    ]);
                    element.insert(
                        "user_pool_config".into(),
                        block_value(provider.user_pool_config().map(|config| {
                            user_pool_value(
                                config.user_pool_id(),
                                config.aws_region(),
                                config.app_id_client_regex(),
                                None,
                            )
                        })),
                    );
                    element
                }),
        ),
    );
    attributes.insert(
        "log_config".into(),
        block_value(api.log_config().map(|config| {
            map([
                (
                    "cloudwatch_logs_role_arn",
                    Value::string(config.cloud_watch_logs_role_arn()),
                ),
                (
                    "field_log_level",
                    Value::string(config.field_log_level().as_str()),
                ),
                (
                    "exclude_verbose_content",
                    Value::Bool(config.exclude_verbose_content()),
                ),
            ])
        })),
    );
    let metrics = api.enhanced_metrics_config().map(|config| {
        block_value([map([
            (
                "data_source_level_metrics_behavior",
                Value::string(config.data_source_level_metrics_behavior().as_str()),
            ),
            (
                "operation_level_metrics_config",
                Value::string(config.operation_level_metrics_config().as_str()),
            ),
            (
                "resolver_level_metrics_behavior",
                Value::string(config.resolver_level_metrics_behavior().as_str()),
            ),
        ])])
    });
    attributes.insert(
        "enhanced_metrics_config".into(),
        match metrics {
            Some(value) => value,
            None => prior
                .get("enhanced_metrics_config")
                .filter(|value| !value.is_null())
                .cloned()
                .unwrap_or_else(|| Value::List(Vec::new())),
        },
    );
    let (user, all) = split_tags(context, cloud_tags(api));
    attributes.insert("tags".into(), user);
    attributes.insert("tags_all".into(), all);
    attributes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::kit::test_support::context;

    #[test]
    fn settings_carry_every_provider_and_the_default_region() {
        let desired = map([
            ("name", Value::string("api")),
            (
                "authentication_type",
                Value::string("AMAZON_COGNITO_USER_POOLS"),
            ),
            ("query_depth_limit", Value::Number(5.0)),
            (
                "user_pool_config",
                block_value([map([
                    ("user_pool_id", Value::string("us-east-1_abc")),
                    ("default_action", Value::string("ALLOW")),
                ])]),
            ),
            (
                "additional_authentication_provider",
                block_value([
                    map([("authentication_type", Value::string("API_KEY"))]),
                    map([
                        ("authentication_type", Value::string("OPENID_CONNECT")),
                        (
                            "openid_connect_config",
                            block_value([map([
                                ("issuer", Value::string("https://issuer")),
                                ("auth_ttl", Value::Number(60.0)),
                            ])]),
                        ),
                    ]),
                ]),
            ),
        ]);
        let sent = settings(&desired, "eu-west-1").unwrap();
        assert_eq!(
            sent.authentication_type,
            AuthenticationType::AmazonCognitoUserPools
        );
        let pool = sent.user_pool.unwrap();
        assert_eq!(pool.aws_region(), "eu-west-1");
        assert_eq!(pool.default_action(), &DefaultAction::Allow);
        assert_eq!(sent.additional.len(), 2);
        assert_eq!(
            sent.additional[1]
                .open_id_connect_config()
                .map(OpenIdConnectConfig::auth_ttl),
            Some(60)
        );
        assert_eq!(sent.query_depth_limit, Some(5));
        let missing = map([("name", Value::string("api"))]);
        assert!(settings(&missing, "eu-west-1").is_err());
    }

    #[test]
    fn reads_uris_keeps_schema_and_what_moto_does_not_answer() {
        let api = GraphqlApi::builder()
            .api_id("abc")
            .name("x")
            .authentication_type(AuthenticationType::ApiKey)
            .uris("GRAPHQL", "https://abc.appsync-api/graphql")
            .build();
        let prior = map([
            ("schema", Value::string("type Query { a: String }")),
            ("query_depth_limit", Value::Number(7.0)),
            ("introspection_config", Value::string("DISABLED")),
        ]);
        let read = api_attributes(&context(), &api, &prior);
        assert_eq!(read["id"], Value::string("abc"));
        assert_eq!(read["schema"], prior["schema"]);
        assert_eq!(read["query_depth_limit"], Value::Number(7.0));
        assert_eq!(read["introspection_config"], Value::string("DISABLED"));
        assert!(read["uris"].as_map().unwrap().contains_key("GRAPHQL"));

        let answered = GraphqlApi::builder()
            .api_id("abc")
            .introspection_config(GraphQlApiIntrospectionConfig::Enabled)
            .query_depth_limit(0)
            .build();
        let read = api_attributes(&context(), &answered, &prior);
        assert_eq!(read["query_depth_limit"], Value::Number(0.0));
        assert_eq!(read["introspection_config"], Value::string("ENABLED"));
    }
}
