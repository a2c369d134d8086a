//! `aws_apigatewayv2_api`: an API Gateway v2 API, HTTP or WebSocket.
//!
//! AWS calls: CreateApi (tags, CORS and settings in the same call), GetApi (read; its answer
//! carries the tags), UpdateApi, DeleteCorsConfiguration (a `cors_configuration` block
//! removed), TagResource / UntagResource on the API ARN, DeleteApi; STS GetCallerIdentity
//! once for `execution_arn` (kept from state afterwards). Listing for drift: GetResources of
//! the Resource Groups Tagging API (`apigateway`, ARNs `.../apis/ID`).
//!
//! Replacement: a change of `protocol_type`, or of the quick-create arguments `route_key`,
//! `target`, `credentials_arn` (CreateApi only; AWS does not answer them back, state keeps them).
//!
//! Recovery: by name: GetApis, the API of that name carrying this stack's `provision:*` tags.
//!
//! Defaults as Terraform's: `route_selection_expression` `$request.method $request.path` (a
//! WebSocket API sets `$request.body.action` or the like), `api_key_selection_expression`
//! `$request.header.x-api-key`.
//!
//! moto 5.2.1: serves WebSocket APIs, but answers `api_endpoint` as `https://...` where AWS
//! answers `wss://...` for WEBSOCKET; state keeps what the cloud answers. The Tagging API
//! lists no API Gateway resources (`listing::MOTO_UNLISTED`).

use async_trait::async_trait;
use aws_sdk_apigatewayv2::types::{Cors, ProtocolType};

use super::common::{api_arn, execution_arn, string_map, text, ApiGatewayTags};
use crate::aws::kit::attributes::{
    block, optional_bool, optional_i32, optional_string, required_string, string_list,
    string_list_value,
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

pub struct Apigatewayv2Api {
    schema: Schema,
}

impl Apigatewayv2Api {
    pub fn new() -> Self {
        Apigatewayv2Api {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The API id."),
                Attribute::required("name", AttrType::String),
                Attribute::required("protocol_type", AttrType::String)
                    .force_new()
                    .describe("`HTTP` or `WEBSOCKET`."),
                Attribute::optional("route_selection_expression", AttrType::String)
                    .default("$request.method $request.path"),
                Attribute::optional("api_key_selection_expression", AttrType::String)
                    .default("$request.header.x-api-key"),
                Attribute::optional("description", AttrType::String),
                Attribute::optional("disable_execute_api_endpoint", AttrType::Bool).default(false),
                Attribute::optional("version", AttrType::String),
                Attribute::optional("route_key", AttrType::String).force_new(),
                Attribute::optional("target", AttrType::String).force_new(),
                Attribute::optional("credentials_arn", AttrType::String).force_new(),
                Attribute::computed("api_endpoint", AttrType::String),
                Attribute::computed("arn", AttrType::String),
                Attribute::computed("execution_arn", AttrType::String),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ])
            .with_block(NestedBlock {
                name: "cors_configuration",
                nesting: BlockNesting::Single,
                schema: Schema::new(vec![
                    Attribute::optional("allow_credentials", AttrType::Bool).default(false),
                    Attribute::optional("allow_headers", AttrType::set_of_strings()),
                    Attribute::optional("allow_methods", AttrType::set_of_strings()),
                    Attribute::optional("allow_origins", AttrType::set_of_strings()),
                    Attribute::optional("expose_headers", AttrType::set_of_strings()),
                    Attribute::optional("max_age", AttrType::Number).default(0),
                ]),
                force_new: false,
                computed: false,
            }),
        }
    }
}

impl Default for Apigatewayv2Api {
    fn default() -> Self {
        Apigatewayv2Api::new()
    }
}

/// The attributes of any API answer (CreateApi, GetApi, UpdateApi, an item of GetApis share
/// these getters), with the spec-only arguments and `execution_arn` from `prior`.
macro_rules! api_attributes {
    ($context:expr, $output:expr, $prior:expr, $execution_arn:expr) => {{
        let output = $output;
        let id = output.api_id().unwrap_or_default().to_string();
        let mut attributes = Attributes::new();
        attributes.insert("id".into(), Value::string(&id));
        attributes.insert("name".into(), text(output.name()));
        attributes.insert(
            "protocol_type".into(),
            text(output.protocol_type().map(ProtocolType::as_str)),
        );
        attributes.insert(
            "route_selection_expression".into(),
            text(output.route_selection_expression()),
        );
        attributes.insert(
            "api_key_selection_expression".into(),
            text(output.api_key_selection_expression()),
        );
        attributes.insert("description".into(), text(output.description()));
        attributes.insert(
            "disable_execute_api_endpoint".into(),
            Value::Bool(output.disable_execute_api_endpoint().unwrap_or(false)),
        );
        attributes.insert("version".into(), text(output.version()));
        for name in ["route_key", "target", "credentials_arn"] {
            attributes.insert(
                name.into(),
                $prior.get(name).cloned().unwrap_or(Value::Null),
            );
        }
        attributes.insert("api_endpoint".into(), text(output.api_endpoint()));
        attributes.insert(
            "arn".into(),
            Value::string(api_arn(&$context.aws().region, &id)),
        );
        attributes.insert("execution_arn".into(), Value::string($execution_arn));
        attributes.insert(
            "cors_configuration".into(),
            cors_value(output.cors_configuration()),
        );
        put_tags($context, &mut attributes, string_map(output.tags()));
        attributes
    }};
}

#[async_trait]
impl Resource for Apigatewayv2Api {
    fn type_name(&self) -> &'static str {
        "aws_apigatewayv2_api"
    }

    fn import_id(&self) -> String {
        "API id (aabbccddee)".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let protocol = required_string(desired, "protocol_type")?;
        let output = context
            .aws()
            .apigatewayv2
            .create_api()
            .name(required_string(desired, "name")?)
            .protocol_type(ProtocolType::from(protocol.as_str()))
            .set_route_selection_expression(optional_string(desired, "route_selection_expression"))
            .set_api_key_selection_expression(optional_string(
                desired,
                "api_key_selection_expression",
            ))
            .set_description(optional_string(desired, "description"))
            .set_disable_execute_api_endpoint(optional_bool(
                desired,
                "disable_execute_api_endpoint",
            ))
            .set_version(optional_string(desired, "version"))
            .set_route_key(optional_string(desired, "route_key"))
            .set_target(optional_string(desired, "target"))
            .set_credentials_arn(optional_string(desired, "credentials_arn"))
            .set_cors_configuration(cors(desired))
            .set_tags(Some(context.tags_for(desired).into_iter().collect()))
            .send()
            .await
            .map_err(|error| sdk_error("CreateApi", error))?;
        let id = output.api_id().unwrap_or_default();
        let execution = execution_arn_of(context, id, desired).await?;
        Ok(api_attributes!(context, &output, desired, execution))
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let Some(output) = context
            .aws()
            .apigatewayv2
            .get_api()
            .api_id(id)
            .send()
            .await
            .map_err(|error| sdk_error("GetApi", error))
            .not_found_as_none()?
        else {
            return Ok(None);
        };
        let execution = execution_arn_of(context, id, prior).await?;
        Ok(Some(api_attributes!(context, &output, prior, execution)))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let client = &context.aws().apigatewayv2;
        let settings = [
            "name",
            "route_selection_expression",
            "api_key_selection_expression",
            "description",
            "disable_execute_api_endpoint",
            "version",
            "cors_configuration",
        ];
        if settings
            .iter()
            .any(|name| prior.get(*name) != desired.get(*name))
        {
            let wanted_cors = cors(desired);
            if wanted_cors.is_none() && cors(prior).is_some() {
                client
                    .delete_cors_configuration()
                    .api_id(id)
                    .send()
                    .await
                    .map_err(|error| sdk_error("DeleteCorsConfiguration", error))?;
            }
            client
                .update_api()
                .api_id(id)
                .set_name(optional_string(desired, "name"))
                .set_route_selection_expression(optional_string(
                    desired,
                    "route_selection_expression",
                ))
                .set_api_key_selection_expression(optional_string(
                    desired,
                    "api_key_selection_expression",
                ))
                .description(optional_string(desired, "description").unwrap_or_default())
                .set_disable_execute_api_endpoint(optional_bool(
                    desired,
                    "disable_execute_api_endpoint",
                ))
                .set_version(optional_string(desired, "version"))
                .set_cors_configuration(wanted_cors)
                .send()
                .await
                .map_err(|error| sdk_error("UpdateApi", error))?;
        }
        let arn = api_arn(&context.aws().region, id);
        sync_tags(&ApiGatewayTags, context, &arn, prior, desired).await?;
        // `prior` holds `execution_arn` and the create-only arguments, which no update changes.
        self.read(context, id, prior)
            .await?
            .ok_or_else(|| ProviderError::Refused(format!("API {id} disappeared during update")))
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        context
            .aws()
            .apigatewayv2
            .delete_api()
            .api_id(id)
            .send()
            .await
            .map_err(|error| sdk_error("DeleteApi", error))
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
        // Stages share the service: their ids read `API/stages/NAME`.
        Ok(listed
            .into_iter()
            .filter(|(id, _)| !id.contains('/'))
            .collect())
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let name = required_string(desired, "name")?;
        let client = &context.aws().apigatewayv2;
        let mut token: Option<String> = None;
        loop {
            let page = client
                .get_apis()
                .set_next_token(token.clone())
                .send()
                .await
                .map_err(|error| sdk_error("GetApis", error))?;
            let candidate = page
                .items()
                .iter()
                .find(|api| api.name() == Some(name.as_str()));
            if let Some(api) = owned(context, candidate, |api| string_map(api.tags())) {
                let id = api.api_id().unwrap_or_default().to_string();
                return self.read(context, &id, desired).await;
            }
            token = page.next_token().map(str::to_string);
            if token.is_none() {
                return Ok(None);
            }
        }
    }
}

/// `execution_arn`: kept from `prior`, else built with the caller's account.
async fn execution_arn_of(
    context: &ProviderContext,
    api_id: &str,
    prior: &Attributes,
) -> Result<String, ProviderError> {
    if let Some(known) = optional_string(prior, "execution_arn").filter(|arn| arn.ends_with(api_id))
    {
        return Ok(known);
    }
    let account = context.aws().caller_account().await?;
    Ok(execution_arn(&context.aws().region, &account, api_id))
}

/// The `cors_configuration` block as CreateApi / UpdateApi take it.
fn cors(attributes: &Attributes) -> Option<Cors> {
    let block = block(attributes, "cors_configuration")?;
    let set = |name: &str| Some(string_list(block, name)).filter(|items| !items.is_empty());
    Some(
        Cors::builder()
            .set_allow_credentials(optional_bool(block, "allow_credentials"))
            .set_allow_headers(set("allow_headers"))
            .set_allow_methods(set("allow_methods"))
            .set_allow_origins(set("allow_origins"))
            .set_expose_headers(set("expose_headers"))
            .set_max_age(optional_i32(block, "max_age").ok().flatten())
            .build(),
    )
}

/// The `cors_configuration` block from AWS's answer (none when AWS has none).
fn cors_value(cors: Option<&Cors>) -> Value {
    let Some(cors) = cors else {
        return Value::List(Vec::new());
    };
    let block = crate::aws::kit::attributes::map([
        (
            "allow_credentials",
            Value::Bool(cors.allow_credentials().unwrap_or(false)),
        ),
        ("allow_headers", string_list_value(cors.allow_headers())),
        ("allow_methods", string_list_value(cors.allow_methods())),
        ("allow_origins", string_list_value(cors.allow_origins())),
        ("expose_headers", string_list_value(cors.expose_headers())),
        ("max_age", Value::from(cors.max_age().unwrap_or(0))),
    ]);
    Value::List(vec![Value::Map(block)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::kit::attributes::{block_value, map};

    #[test]
    fn cors_round_trips_through_the_sdk_shape() {
        let written = map([
            ("allow_credentials", Value::Bool(true)),
            ("allow_origins", string_list_value(["https://example.com"])),
            ("allow_methods", string_list_value(["GET", "POST"])),
            ("max_age", Value::Number(300.0)),
        ]);
        let desired = map([("cors_configuration", block_value([written]))]);
        let sent = cors(&desired).expect("a cors block");
        assert_eq!(sent.allow_origins(), ["https://example.com"]);
        assert_eq!(sent.max_age(), Some(300));
        assert!(sent.allow_headers().is_empty());
        let Value::List(read) = cors_value(Some(&sent)) else {
            panic!("a block list")
        };
        let read = read[0].as_map().unwrap();
        assert_eq!(read["allow_credentials"], Value::Bool(true));
        assert_eq!(read["allow_headers"], Value::List(Vec::new()));
        assert_eq!(read["max_age"], Value::Number(300.0));
    }

    #[test]
    fn no_cors_block_sends_none_and_reads_empty() {
        assert!(cors(&Attributes::new()).is_none());
        assert_eq!(cors_value(None), Value::List(Vec::new()));
    }
}
