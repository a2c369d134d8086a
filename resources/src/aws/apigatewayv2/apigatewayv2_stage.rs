//! `aws_apigatewayv2_stage`: a stage of an API Gateway v2 API (`prod`, `$default`), the
//! deployment its clients reach, with its throttling, logging and variables.
//!
//! AWS calls: CreateStage (tags and settings in the same call), GetStage (read; its answer
//! carries the tags), GetApi and STS GetCallerIdentity once for `invoke_url` (`wss://` for a
//! WebSocket API, `https://` for HTTP) and `execution_arn` (kept from state afterwards),
//! UpdateStage, DeleteAccessLogSettings (the block removed), DeleteRouteSettings (a
//! `route_settings` block removed), TagResource / UntagResource on the stage ARN,
//! DeleteStage. Listing for drift: GetResources of the Resource Groups Tagging API
//! (`apigateway`, ARNs `.../apis/API/stages/NAME`).
//!
//! Replacement: a change of `api_id` or `name`. The id is the stage name, as in Terraform.
//!
//! Recovery: by name: GetStage of this name, kept when it carries this stack's `provision:*`
//! tags.
//!
//! moto 5.2.1 gaps: `UpdateStage` answers 500 and TagResource / UntagResource on a stage ARN
//! answer 404 (GetStage answers the tags CreateStage set). The contract test runs against
//! recorded AWS answers (`resources/tests/contract/apigatewayv2.rs`); the e2e test creates
//! and deletes stages on moto.

use std::collections::HashMap;

use async_trait::async_trait;
use aws_sdk_apigatewayv2::types::{AccessLogSettings, LoggingLevel, ProtocolType, RouteSettings};

use super::common::{execution_arn, map_value, string_map, text, ApiGatewayTags};
use crate::aws::kit::arn::partition;
use crate::aws::kit::attributes::{
    block, block_value, blocks, map, number, optional_bool, optional_i32, optional_string,
    required_string,
};
use crate::aws::kit::recovery::owned;
use crate::aws::kit::tagging::{list_tagged, ArnId};
use crate::aws::kit::tags::{put_tags, sync_tags};
use crate::aws::kit::{sdk_error, ResultExt};
use crate::aws::AwsContext;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

pub struct Apigatewayv2Stage {
    schema: Schema,
}

/// The settings of `default_route_settings` and of each `route_settings` block.
fn route_settings_schema(with_route_key: bool) -> Schema {
    let mut attributes = Vec::new();
    if with_route_key {
        attributes.push(Attribute::required("route_key", AttrType::String));
    }
    attributes.extend([
        Attribute::optional("data_trace_enabled", AttrType::Bool).default(false),
        Attribute::optional("detailed_metrics_enabled", AttrType::Bool).default(false),
        Attribute::optional_computed("logging_level", AttrType::String)
            .describe("`ERROR`, `INFO` or `OFF` (WebSocket APIs)."),
        Attribute::optional("throttling_burst_limit", AttrType::Number),
        Attribute::optional("throttling_rate_limit", AttrType::Number),
    ]);
    Schema::new(attributes)
}

impl Apigatewayv2Stage {
    pub fn new() -> Self {
        Apigatewayv2Stage {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The stage name."),
                Attribute::required("api_id", AttrType::String).force_new(),
                Attribute::required("name", AttrType::String).force_new(),
                Attribute::optional("auto_deploy", AttrType::Bool).default(false),
                Attribute::optional_computed("deployment_id", AttrType::String),
                Attribute::optional("description", AttrType::String),
                Attribute::optional("client_certificate_id", AttrType::String),
                Attribute::optional("stage_variables", AttrType::map_of_strings()),
                Attribute::computed("arn", AttrType::String),
                Attribute::computed("execution_arn", AttrType::String),
                Attribute::computed("invoke_url", AttrType::String),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ])
            .with_block(NestedBlock {
                name: "access_log_settings",
                nesting: BlockNesting::Single,
                schema: Schema::new(vec![
                    Attribute::required("destination_arn", AttrType::String),
                    Attribute::required("format", AttrType::String),
                ]),
                force_new: false,
                computed: false,
            })
            .with_block(NestedBlock {
                name: "default_route_settings",
                nesting: BlockNesting::Single,
                schema: route_settings_schema(false),
                force_new: false,
                // AWS answers defaults for a stage that names none.
                computed: true,
            })
            .with_block(NestedBlock {
                name: "route_settings",
                nesting: BlockNesting::Set,
                schema: route_settings_schema(true),
                force_new: false,
                computed: false,
            }),
        }
    }
}

impl Default for Apigatewayv2Stage {
    fn default() -> Self {
        Apigatewayv2Stage::new()
    }
}

/// `arn:aws:apigateway:REGION::/apis/API/stages/NAME`.
fn stage_arn(region: &str, api_id: &str, name: &str) -> String {
    format!(
        "arn:{}:apigateway:{region}::/apis/{api_id}/stages/{name}",
        partition(region)
    )
}

/// Terraform's `invoke_url`: `wss://` for a WebSocket API, `https://` otherwise; the
/// `$default` stage of an HTTP API is the root.
fn invoke_url(region: &str, api_id: &str, websocket: bool, name: &str) -> String {
    let scheme = if websocket { "wss" } else { "https" };
    let path = if name == "$default" && !websocket {
        ""
    } else {
        name
    };
    format!("{scheme}://{api_id}.execute-api.{region}.amazonaws.com/{path}")
}

/// The attributes of any stage answer (CreateStage, GetStage, UpdateStage share these
/// getters); `computed` is `(invoke_url, execution_arn)`.
macro_rules! stage_attributes {
    ($context:expr, $api_id:expr, $output:expr, $computed:expr) => {{
        let output = $output;
        let (invoke, execution) = $computed;
        let name = output.stage_name().unwrap_or_default().to_string();
        let mut attributes = Attributes::new();
        attributes.insert("id".into(), Value::string(&name));
        attributes.insert("api_id".into(), Value::string($api_id));
        attributes.insert("name".into(), Value::string(&name));
        attributes.insert(
            "auto_deploy".into(),
            Value::Bool(output.auto_deploy().unwrap_or(false)),
        );
        attributes.insert("deployment_id".into(), text(output.deployment_id()));
        attributes.insert("description".into(), text(output.description()));
        attributes.insert(
            "client_certificate_id".into(),
            text(output.client_certificate_id()),
        );
        attributes.insert(
            "stage_variables".into(),
            map_value(output.stage_variables()),
        );
        attributes.insert(
            "arn".into(),
            Value::string(stage_arn(&$context.aws().region, $api_id, &name)),
        );
        attributes.insert("execution_arn".into(), Value::string(execution));
        attributes.insert("invoke_url".into(), Value::string(invoke));
        attributes.insert(
            "access_log_settings".into(),
            block_value(output.access_log_settings().map(|settings| {
                map([
                    ("destination_arn", text(settings.destination_arn())),
                    ("format", text(settings.format())),
                ])
            })),
        );
        attributes.insert(
            "default_route_settings".into(),
            block_value(
                output
                    .default_route_settings()
                    .map(|settings| route_settings_value(None, settings)),
            ),
        );
        attributes.insert(
            "route_settings".into(),
            route_settings_blocks(output.route_settings()),
        );
        put_tags($context, &mut attributes, string_map(output.tags()));
        attributes
    }};
}

#[async_trait]
impl Resource for Apigatewayv2Stage {
    fn type_name(&self) -> &'static str {
        "aws_apigatewayv2_stage"
    }

    fn import_id(&self) -> String {
        "API id/stage name (aabbccddee/prod)".to_string()
    }

    async fn import(
        &self,
        context: &ProviderContext,
        import_id: &str,
    ) -> Result<Option<Attributes>, ProviderError> {
        let parts = crate::aws::kit::import_id::split(import_id, '/', 2, "api-id/stage-name")?;
        let prior = crate::aws::kit::import_id::prior(&[("api_id", parts[0])]);
        self.read(context, parts[1], &prior).await
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
        let output = context
            .aws()
            .apigatewayv2
            .create_stage()
            .api_id(&api_id)
            .stage_name(required_string(desired, "name")?)
            .set_auto_deploy(optional_bool(desired, "auto_deploy"))
            .set_deployment_id(optional_string(desired, "deployment_id"))
            .set_description(optional_string(desired, "description"))
            .set_client_certificate_id(optional_string(desired, "client_certificate_id"))
            .set_stage_variables(Some(string_map_of(desired, "stage_variables")))
            .set_access_log_settings(access_log_settings(desired))
            .set_default_route_settings(
                block(desired, "default_route_settings")
                    .map(route_settings)
                    .transpose()?,
            )
            .set_route_settings(Some(route_settings_map(desired)?))
            .set_tags(Some(context.tags_for(desired).into_iter().collect()))
            .send()
            .await
            .map_err(|error| sdk_error("CreateStage", error))?;
        let computed = computed_urls(context, &api_id, desired, output.stage_name()).await?;
        Ok(stage_attributes!(context, &api_id, &output, computed))
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let api_id = required_string(prior, "api_id")?;
        let Some(output) = context
            .aws()
            .apigatewayv2
            .get_stage()
            .api_id(&api_id)
            .stage_name(id)
            .send()
            .await
            .map_err(|error| sdk_error("GetStage", error))
            .not_found_as_none()?
        else {
            return Ok(None);
        };
        let computed = computed_urls(context, &api_id, prior, output.stage_name()).await?;
        Ok(Some(stage_attributes!(context, &api_id, &output, computed)))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let api_id = required_string(desired, "api_id")?;
        let client = &context.aws().apigatewayv2;
        if access_log_settings(desired).is_none() && access_log_settings(prior).is_some() {
            client
                .delete_access_log_settings()
                .api_id(&api_id)
                .stage_name(id)
                .send()
                .await
                .map_err(|error| sdk_error("DeleteAccessLogSettings", error))?;
        }
        let wanted_routes = route_settings_map(desired)?;
        for route_key in route_settings_map(prior)?.keys() {
            if !wanted_routes.contains_key(route_key) {
                client
                    .delete_route_settings()
                    .api_id(&api_id)
                    .stage_name(id)
                    .route_key(route_key)
                    .send()
                    .await
                    .map_err(|error| sdk_error("DeleteRouteSettings", error))
                    .gone_is_ok()?;
            }
        }
        let settings = [
            "auto_deploy",
            "deployment_id",
            "description",
            "client_certificate_id",
            "stage_variables",
            "access_log_settings",
            "default_route_settings",
            "route_settings",
        ];
        if settings
            .iter()
            .any(|name| setting_changed(prior, desired, name))
        {
            let auto_deploy = optional_bool(desired, "auto_deploy").unwrap_or(false);
            client
                .update_stage()
                .api_id(&api_id)
                .stage_name(id)
                .auto_deploy(auto_deploy)
                // An auto-deployed stage's deployment is AWS's to choose.
                .set_deployment_id(
                    optional_string(desired, "deployment_id").filter(|_| !auto_deploy),
                )
                .description(optional_string(desired, "description").unwrap_or_default())
                .set_client_certificate_id(optional_string(desired, "client_certificate_id"))
                .set_stage_variables(Some(stage_variables_change(prior, desired)))
                .set_access_log_settings(access_log_settings(desired))
                .set_default_route_settings(
                    block(desired, "default_route_settings")
                        .map(route_settings)
                        .transpose()?,
                )
                .set_route_settings(Some(wanted_routes).filter(|routes| !routes.is_empty()))
                .send()
                .await
                .map_err(|error| sdk_error("UpdateStage", error))?;
        }
        let arn = stage_arn(&context.aws().region, &api_id, id);
        sync_tags(&ApiGatewayTags, context, &arn, prior, desired).await?;
        // `prior` holds `invoke_url` and `execution_arn`, which no update changes.
        self.read(context, id, prior)
            .await?
            .ok_or_else(|| ProviderError::Refused(format!("stage {id} disappeared during update")))
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<(), ProviderError> {
        context
            .aws()
            .apigatewayv2
            .delete_stage()
            .api_id(required_string(prior, "api_id")?)
            .stage_name(id)
            .send()
            .await
            .map_err(|error| sdk_error("DeleteStage", error))
            .gone_is_ok()
    }

    async fn list_managed(
        &self,
        context: &ProviderContext,
        stack: &str,
    ) -> Result<Vec<(String, String)>, ProviderError> {
        let listed = list_tagged(
            context,
            stack,
            self.type_name(),
            "apigateway",
            ArnId::After("/apis/"),
        )
        .await?;
        // `API/stages/NAME` → `NAME`; APIs (no `/stages/`) share the service.
        Ok(listed
            .into_iter()
            .filter_map(|(id, address)| {
                let (_, name) = id.split_once("/stages/")?;
                Some((name.to_string(), address))
            })
            .collect())
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let api_id = required_string(desired, "api_id")?;
        let name = required_string(desired, "name")?;
        let found = context
            .aws()
            .apigatewayv2
            .get_stage()
            .api_id(&api_id)
            .stage_name(&name)
            .send()
            .await
            .map_err(|error| sdk_error("GetStage", error))
            .not_found_as_none()?;
        let Some(output) = owned(context, found, |stage| string_map(stage.tags())) else {
            return Ok(None);
        };
        let computed = computed_urls(context, &api_id, desired, output.stage_name()).await?;
        Ok(Some(stage_attributes!(context, &api_id, &output, computed)))
    }
}

/// `(invoke_url, execution_arn)`: kept from `prior` when it has them, else from the API's
/// protocol (GetApi) and the caller's account.
async fn computed_urls(
    context: &ProviderContext,
    api_id: &str,
    prior: &Attributes,
    name: Option<&str>,
) -> Result<(String, String), ProviderError> {
    let name = name.unwrap_or_default();
    if let (Some(invoke), Some(execution)) = (
        optional_string(prior, "invoke_url").filter(|url| url.contains(api_id)),
        optional_string(prior, "execution_arn").filter(|arn| arn.contains(api_id)),
    ) {
        return Ok((invoke, execution));
    }
    let region = context.aws().region.clone();
    let api = context
        .aws()
        .apigatewayv2
        .get_api()
        .api_id(api_id)
        .send()
        .await
        .map_err(|error| sdk_error("GetApi", error))?;
    let websocket = api.protocol_type() == Some(&ProtocolType::Websocket);
    let account = context.aws().caller_account().await?;
    Ok((
        invoke_url(&region, api_id, websocket, name),
        format!("{}/{name}", execution_arn(&region, &account, api_id)),
    ))
}

/// Whether `name` asks for a change: a computed setting the spec leaves out (null, no block)
/// keeps what AWS has.
fn setting_changed(prior: &Attributes, desired: &Attributes, name: &str) -> bool {
    let wanted = desired.get(name).unwrap_or(&Value::Null);
    let left_to_aws = matches!(name, "deployment_id" | "default_route_settings")
        && (wanted.is_null() || wanted.as_list().is_some_and(|blocks| blocks.is_empty()));
    !left_to_aws && prior.get(name).unwrap_or(&Value::Null) != wanted
}

fn string_map_of(attributes: &Attributes, name: &str) -> HashMap<String, String> {
    match attributes.get(name) {
        Some(Value::Map(entries)) => entries
            .iter()
            .filter_map(|(key, value)| value.to_template_string().map(|text| (key.clone(), text)))
            .collect(),
        _ => HashMap::new(),
    }
}

/// The stage variables UpdateStage takes: the wanted ones, and each one removed as `""`
/// (UpdateStage merges; an empty value removes it, as Terraform does).
fn stage_variables_change(prior: &Attributes, desired: &Attributes) -> HashMap<String, String> {
    let mut variables = string_map_of(desired, "stage_variables");
    for key in string_map_of(prior, "stage_variables").into_keys() {
        variables.entry(key).or_default();
    }
    variables
}

fn access_log_settings(attributes: &Attributes) -> Option<AccessLogSettings> {
    let settings = block(attributes, "access_log_settings")?;
    Some(
        AccessLogSettings::builder()
            .set_destination_arn(optional_string(settings, "destination_arn"))
            .set_format(optional_string(settings, "format"))
            .build(),
    )
}

/// One `default_route_settings` / `route_settings` block as the SDK takes it.
fn route_settings(settings: &Attributes) -> Result<RouteSettings, ProviderError> {
    Ok(RouteSettings::builder()
        .set_data_trace_enabled(optional_bool(settings, "data_trace_enabled"))
        .set_detailed_metrics_enabled(optional_bool(settings, "detailed_metrics_enabled"))
        .set_logging_level(
            optional_string(settings, "logging_level")
                .map(|level| LoggingLevel::from(level.as_str())),
        )
        .set_throttling_burst_limit(optional_i32(settings, "throttling_burst_limit")?)
        .set_throttling_rate_limit(
            settings
                .get("throttling_rate_limit")
                .and_then(Value::as_f64),
        )
        .build())
}

/// The `route_settings` blocks as a route key → settings map.
fn route_settings_map(
    attributes: &Attributes,
) -> Result<HashMap<String, RouteSettings>, ProviderError> {
    blocks(attributes, "route_settings")
        .into_iter()
        .map(|settings| {
            Ok((
                required_string(settings, "route_key")?,
                route_settings(settings)?,
            ))
        })
        .collect()
}

/// One settings block from AWS's answer (`route_key` for a `route_settings` block).
fn route_settings_value(route_key: Option<&str>, settings: &RouteSettings) -> Attributes {
    let mut block = map([
        (
            "data_trace_enabled",
            Value::Bool(settings.data_trace_enabled().unwrap_or(false)),
        ),
        (
            "detailed_metrics_enabled",
            Value::Bool(settings.detailed_metrics_enabled().unwrap_or(false)),
        ),
        (
            "logging_level",
            text(settings.logging_level().map(LoggingLevel::as_str)),
        ),
        (
            "throttling_burst_limit",
            number(settings.throttling_burst_limit()),
        ),
        (
            "throttling_rate_limit",
            number(settings.throttling_rate_limit()),
        ),
    ]);
    if let Some(route_key) = route_key {
        block.insert("route_key".into(), Value::string(route_key));
    }
    block
}

/// The `route_settings` blocks from AWS's answer, sorted by route key.
fn route_settings_blocks(settings: Option<&HashMap<String, RouteSettings>>) -> Value {
    let mut routes: Vec<_> = settings.into_iter().flatten().collect();
    routes.sort_by(|left, right| left.0.cmp(right.0));
    block_value(
        routes
            .into_iter()
            .map(|(route_key, settings)| route_settings_value(Some(route_key), settings)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::kit::attributes::block_value;

    #[test]
    fn invoke_urls_follow_the_protocol() {
        assert_eq!(
            invoke_url("us-east-1", "a1", true, "prod"),
            "wss://a1.execute-api.us-east-1.amazonaws.com/prod"
        );
        assert_eq!(
            invoke_url("us-east-1", "a1", false, "$default"),
            "https://a1.execute-api.us-east-1.amazonaws.com/"
        );
        assert_eq!(
            stage_arn("us-east-1", "a1", "prod"),
            "arn:aws:apigateway:us-east-1::/apis/a1/stages/prod"
        );
    }

    #[test]
    fn route_settings_round_trip() {
        let written = map([
            ("route_key", Value::string("$connect")),
            ("throttling_burst_limit", Value::Number(5.0)),
            ("throttling_rate_limit", Value::Number(10.5)),
            ("logging_level", Value::string("INFO")),
        ]);
        let desired = map([("route_settings", block_value([written]))]);
        let sent = route_settings_map(&desired).unwrap();
        assert_eq!(sent["$connect"].throttling_burst_limit(), Some(5));
        assert_eq!(sent["$connect"].throttling_rate_limit(), Some(10.5));
        let Value::List(read) = route_settings_blocks(Some(&sent)) else {
            panic!("a block list")
        };
        let read = read[0].as_map().unwrap();
        assert_eq!(read["route_key"], Value::string("$connect"));
        assert_eq!(read["logging_level"], Value::string("INFO"));
        assert_eq!(read["data_trace_enabled"], Value::Bool(false));
    }

    #[test]
    fn settings_left_to_aws_are_no_change() {
        let prior = map([
            ("deployment_id", Value::string("d1")),
            ("description", Value::string("a")),
        ]);
        let desired = map([
            ("deployment_id", Value::Null),
            ("description", Value::string("a")),
        ]);
        assert!(!setting_changed(&prior, &desired, "deployment_id"));
        assert!(!setting_changed(&prior, &desired, "description"));
        assert!(!setting_changed(&prior, &map([]), "default_route_settings"));
        let other = map([("description", Value::string("b"))]);
        assert!(setting_changed(&prior, &other, "description"));
    }

    #[test]
    fn removed_stage_variables_are_sent_empty() {
        let variables = |entries: &[(&str, &str)]| {
            map([(
                "stage_variables",
                Value::Map(
                    entries
                        .iter()
                        .map(|(key, value)| (key.to_string(), Value::string(*value)))
                        .collect(),
                ),
            )])
        };
        let change = stage_variables_change(
            &variables(&[("old", "1"), ("kept", "2")]),
            &variables(&[("kept", "3")]),
        );
        assert_eq!(change["old"], "");
        assert_eq!(change["kept"], "3");
    }
}
