//! `aws_apigatewayv2_route`: a route of an API Gateway v2 API (`$connect`, `$disconnect`,
//! `$default` or a custom key on WebSocket APIs; `GET /items` and the like on HTTP APIs).
//!
//! AWS calls: CreateRoute, GetRoute (read), UpdateRoute, DeleteRoute. Routes carry no tags.
//!
//! Replacement: a change of `api_id`. The id is the route id; the API comes from `api_id`.
//!
//! Recovery: by route key: a route key is unique within an API (AWS refuses a second one),
//! so the route of GetRoutes with this `route_key` is what an interrupted create made.
//!
//! moto 5.2.1 serves WebSocket routes (`$connect`, `$disconnect`, `$default`, custom keys).

use aws_sdk_apigatewayv2::types::AuthorizationType;

use super::common::{api_child_calls, map_value, sdk_map, text};
use crate::aws::kit::attributes::{
    optional_bool, optional_string, required_string, string_list, string_list_value,
};
use crate::aws::kit::{sdk_error, ResultExt};
use crate::aws::AwsContext;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct Apigatewayv2Route {
    schema: Schema,
}

impl Apigatewayv2Route {
    pub fn new() -> Self {
        Apigatewayv2Route {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The route id."),
                Attribute::required("api_id", AttrType::String).force_new(),
                Attribute::required("route_key", AttrType::String),
                Attribute::optional("target", AttrType::String)
                    .describe("`integrations/<integration id>`."),
                Attribute::optional("authorization_type", AttrType::String)
                    .default("NONE")
                    .describe("`NONE`, `AWS_IAM`, `CUSTOM` or `JWT`."),
                Attribute::optional("authorizer_id", AttrType::String),
                Attribute::optional("authorization_scopes", AttrType::set_of_strings()),
                Attribute::optional("api_key_required", AttrType::Bool).default(false),
                Attribute::optional("operation_name", AttrType::String),
                Attribute::optional("route_response_selection_expression", AttrType::String),
                Attribute::optional("model_selection_expression", AttrType::String),
                Attribute::optional("request_models", AttrType::map_of_strings()),
            ]),
        }
    }
}

impl Default for Apigatewayv2Route {
    fn default() -> Self {
        Apigatewayv2Route::new()
    }
}

/// The attributes of any route answer (CreateRoute, GetRoute, UpdateRoute, an item of
/// GetRoutes share these getters).
macro_rules! route_attributes {
    ($api_id:expr, $output:expr) => {{
        let output = $output;
        let scopes = output.authorization_scopes();
        let models = output.request_models();
        Attributes::from([
            (
                "id".to_string(),
                Value::string(output.route_id().unwrap_or_default()),
            ),
            ("api_id".to_string(), Value::string($api_id)),
            ("route_key".to_string(), text(output.route_key())),
            ("target".to_string(), text(output.target())),
            (
                "authorization_type".to_string(),
                Value::string(
                    output
                        .authorization_type()
                        .map_or("NONE", AuthorizationType::as_str),
                ),
            ),
            ("authorizer_id".to_string(), text(output.authorizer_id())),
            (
                "authorization_scopes".to_string(),
                string_list_value(scopes),
            ),
            (
                "api_key_required".to_string(),
                Value::Bool(output.api_key_required().unwrap_or(false)),
            ),
            ("operation_name".to_string(), text(output.operation_name())),
            (
                "route_response_selection_expression".to_string(),
                text(output.route_response_selection_expression()),
            ),
            (
                "model_selection_expression".to_string(),
                text(output.model_selection_expression()),
            ),
            ("request_models".to_string(), map_value(models)),
        ])
    }};
}

api_child_calls! {
    id: route_id "route",
    get: get_route "GetRoute",
    delete: delete_route "DeleteRoute",
    attributes: |api_id, route, desired| route_attributes!(api_id, &route),
    recover: {
        get_routes "GetRoutes" |route|
            route.route_key() == optional_string(desired, "route_key").as_deref()
    },
    impl Resource for Apigatewayv2Route {
        fn type_name(&self) -> &'static str {
            "aws_apigatewayv2_route"
        }

        fn schema(&self) -> &Schema {
            &self.schema
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
                .create_route()
                .api_id(&api_id)
                .route_key(required_string(desired, "route_key")?)
                .set_target(optional_string(desired, "target"))
                .set_authorization_type(authorization_type(desired))
                .set_authorizer_id(optional_string(desired, "authorizer_id"))
                .set_authorization_scopes(scopes(desired))
                .set_api_key_required(optional_bool(desired, "api_key_required"))
                .set_operation_name(optional_string(desired, "operation_name"))
                .set_route_response_selection_expression(optional_string(
                    desired,
                    "route_response_selection_expression",
                ))
                .set_model_selection_expression(optional_string(
                    desired,
                    "model_selection_expression",
                ))
                .set_request_models(sdk_map(desired, "request_models"))
                .send()
                .await
                .map_err(|error| sdk_error("CreateRoute", error))?;
            Ok(route_attributes!(&api_id, &output))
        }

        async fn update(
            &self,
            context: &ProviderContext,
            id: &str,
            _prior: &Attributes,
            desired: &Attributes,
        ) -> Result<Attributes, ProviderError> {
            let api_id = required_string(desired, "api_id")?;
            let output = context
                .aws()
                .apigatewayv2
                .update_route()
                .api_id(&api_id)
                .route_id(id)
                .route_key(required_string(desired, "route_key")?)
                .target(optional_string(desired, "target").unwrap_or_default())
                .set_authorization_type(authorization_type(desired))
                .set_authorizer_id(optional_string(desired, "authorizer_id"))
                .set_authorization_scopes(scopes(desired))
                .set_api_key_required(optional_bool(desired, "api_key_required"))
                .operation_name(optional_string(desired, "operation_name").unwrap_or_default())
                .set_route_response_selection_expression(optional_string(
                    desired,
                    "route_response_selection_expression",
                ))
                .set_model_selection_expression(optional_string(
                    desired,
                    "model_selection_expression",
                ))
                .set_request_models(sdk_map(desired, "request_models"))
                .send()
                .await
                .map_err(|error| sdk_error("UpdateRoute", error))?;
            Ok(route_attributes!(&api_id, &output))
        }
    }
}

fn authorization_type(attributes: &Attributes) -> Option<AuthorizationType> {
    optional_string(attributes, "authorization_type")
        .map(|value| AuthorizationType::from(value.as_str()))
}

fn scopes(attributes: &Attributes) -> Option<Vec<String>> {
    Some(string_list(attributes, "authorization_scopes")).filter(|scopes| !scopes.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::kit::attributes::map;

    #[test]
    fn authorization_defaults_and_scopes() {
        let desired = map([
            ("authorization_type", Value::string("JWT")),
            ("authorization_scopes", string_list_value(["read"])),
        ]);
        assert_eq!(authorization_type(&desired), Some(AuthorizationType::Jwt));
        assert_eq!(scopes(&desired), Some(vec!["read".to_string()]));
        assert_eq!(authorization_type(&Attributes::new()), None);
        assert_eq!(scopes(&Attributes::new()), None);
    }

    #[test]
    fn a_route_answer_reads_as_terraform_writes_it() {
        let route = aws_sdk_apigatewayv2::types::Route::builder()
            .route_id("r1")
            .route_key("$connect")
            .target("integrations/i1")
            .build();
        let read = route_attributes!("a1", &route);
        assert_eq!(read["route_key"], Value::string("$connect"));
        assert_eq!(read["authorization_type"], Value::string("NONE"));
        assert_eq!(read["api_key_required"], Value::Bool(false));
        assert_eq!(read["operation_name"], Value::Null);
    }
}
