//! `aws_apigatewayv2_integration`: what a route of an API Gateway v2 API calls (a Lambda
//! function through `AWS_PROXY`, an HTTP endpoint, a mock, an AWS service).
//!
//! AWS calls: CreateIntegration, GetIntegration (read), UpdateIntegration, DeleteIntegration.
//! Integrations carry no tags.
//!
//! Replacement: a change of `api_id`, `integration_type` or `integration_subtype`. The id is
//! the integration id; the API comes from `api_id`.
//!
//! Recovery: an integration has no name, token or tags; GetIntegrations' first integration of
//! the API with the same `integration_type`, `integration_uri` and `description` is taken as
//! what an interrupted create made (an identical twin would behave the same).
//!
//! Not yet written: the `response_parameters` and `tls_config` blocks.

use aws_sdk_apigatewayv2::types::{
    ConnectionType, ContentHandlingStrategy, IntegrationType, PassthroughBehavior,
};

use super::common::{api_child_calls, map_value, sdk_map, text};
use crate::aws::kit::attributes::{number, optional_i32, optional_string, required_string};
use crate::aws::kit::{sdk_error, ResultExt};
use crate::aws::AwsContext;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct Apigatewayv2Integration {
    schema: Schema,
}

impl Apigatewayv2Integration {
    pub fn new() -> Self {
        Apigatewayv2Integration {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The integration id."),
                Attribute::required("api_id", AttrType::String).force_new(),
                Attribute::required("integration_type", AttrType::String)
                    .force_new()
                    .describe("`AWS_PROXY`, `AWS`, `HTTP`, `HTTP_PROXY` or `MOCK`."),
                Attribute::optional("integration_subtype", AttrType::String).force_new(),
                Attribute::optional("integration_uri", AttrType::String)
                    .describe("For Lambda: the function's invoke ARN."),
                Attribute::optional_computed("integration_method", AttrType::String),
                Attribute::optional_computed("payload_format_version", AttrType::String),
                Attribute::optional_computed("timeout_milliseconds", AttrType::Number),
                Attribute::optional_computed("connection_type", AttrType::String),
                Attribute::optional("connection_id", AttrType::String),
                Attribute::optional("content_handling_strategy", AttrType::String),
                Attribute::optional_computed("passthrough_behavior", AttrType::String),
                Attribute::optional("credentials_arn", AttrType::String),
                Attribute::optional("description", AttrType::String),
                Attribute::optional("request_parameters", AttrType::map_of_strings()),
                Attribute::optional("request_templates", AttrType::map_of_strings()),
                Attribute::optional("template_selection_expression", AttrType::String),
                Attribute::computed(
                    "integration_response_selection_expression",
                    AttrType::String,
                ),
            ]),
        }
    }
}

impl Default for Apigatewayv2Integration {
    fn default() -> Self {
        Apigatewayv2Integration::new()
    }
}

/// The attributes of any integration answer (CreateIntegration, GetIntegration,
/// UpdateIntegration, an item of GetIntegrations share these getters).
macro_rules! integration_attributes {
    ($api_id:expr, $output:expr) => {{
        let output = $output;
        Attributes::from([
            (
                "id".to_string(),
                Value::string(output.integration_id().unwrap_or_default()),
            ),
            ("api_id".to_string(), Value::string($api_id)),
            (
                "integration_type".to_string(),
                text(output.integration_type().map(IntegrationType::as_str)),
            ),
            (
                "integration_subtype".to_string(),
                text(output.integration_subtype()),
            ),
            (
                "integration_uri".to_string(),
                text(output.integration_uri()),
            ),
            (
                "integration_method".to_string(),
                text(output.integration_method()),
            ),
            (
                "payload_format_version".to_string(),
                text(output.payload_format_version()),
            ),
            (
                "timeout_milliseconds".to_string(),
                number(output.timeout_in_millis()),
            ),
            (
                "connection_type".to_string(),
                text(output.connection_type().map(ConnectionType::as_str)),
            ),
            ("connection_id".to_string(), text(output.connection_id())),
            (
                "content_handling_strategy".to_string(),
                text(
                    output
                        .content_handling_strategy()
                        .map(ContentHandlingStrategy::as_str),
                ),
            ),
            (
                "passthrough_behavior".to_string(),
                text(
                    output
                        .passthrough_behavior()
                        .map(PassthroughBehavior::as_str),
                ),
            ),
            (
                "credentials_arn".to_string(),
                text(output.credentials_arn()),
            ),
            ("description".to_string(), text(output.description())),
            (
                "request_parameters".to_string(),
                map_value(output.request_parameters()),
            ),
            (
                "request_templates".to_string(),
                map_value(output.request_templates()),
            ),
            (
                "template_selection_expression".to_string(),
                text(output.template_selection_expression()),
            ),
            (
                "integration_response_selection_expression".to_string(),
                text(output.integration_response_selection_expression()),
            ),
        ])
    }};
}

/// The settings CreateIntegration and UpdateIntegration share, set on either builder.
macro_rules! with_settings {
    ($builder:expr, $desired:expr) => {{
        let desired = $desired;
        $builder
            .set_integration_uri(optional_string(desired, "integration_uri"))
            .set_integration_method(optional_string(desired, "integration_method"))
            .set_payload_format_version(optional_string(desired, "payload_format_version"))
            .set_timeout_in_millis(optional_i32(desired, "timeout_milliseconds")?)
            .set_connection_type(
                optional_string(desired, "connection_type")
                    .map(|value| ConnectionType::from(value.as_str())),
            )
            .set_connection_id(optional_string(desired, "connection_id"))
            .set_content_handling_strategy(
                optional_string(desired, "content_handling_strategy")
                    .map(|value| ContentHandlingStrategy::from(value.as_str())),
            )
            .set_passthrough_behavior(
                optional_string(desired, "passthrough_behavior")
                    .map(|value| PassthroughBehavior::from(value.as_str())),
            )
            .set_credentials_arn(optional_string(desired, "credentials_arn"))
            .set_description(optional_string(desired, "description"))
            .set_request_parameters(sdk_map(desired, "request_parameters"))
            .set_request_templates(sdk_map(desired, "request_templates"))
            .set_template_selection_expression(optional_string(
                desired,
                "template_selection_expression",
            ))
    }};
}

api_child_calls! {
    id: integration_id "integration",
    get: get_integration "GetIntegration",
    delete: delete_integration "DeleteIntegration",
    attributes: |api_id, integration, desired| integration_attributes!(api_id, &integration),
    recover: {
        get_integrations "GetIntegrations" |integration|
            same_integration(&integration_attributes!(api_id, integration), desired)
    },
    impl Resource for Apigatewayv2Integration {
        fn type_name(&self) -> &'static str {
            "aws_apigatewayv2_integration"
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
            let integration_type = required_string(desired, "integration_type")?;
            let builder = context
                .aws()
                .apigatewayv2
                .create_integration()
                .api_id(&api_id)
                .integration_type(IntegrationType::from(integration_type.as_str()))
                .set_integration_subtype(optional_string(desired, "integration_subtype"));
            let output = with_settings!(builder, desired)
                .send()
                .await
                .map_err(|error| sdk_error("CreateIntegration", error))?;
            Ok(integration_attributes!(&api_id, &output))
        }

        async fn update(
            &self,
            context: &ProviderContext,
            id: &str,
            _prior: &Attributes,
            desired: &Attributes,
        ) -> Result<Attributes, ProviderError> {
            let api_id = required_string(desired, "api_id")?;
            let builder = context
                .aws()
                .apigatewayv2
                .update_integration()
                .api_id(&api_id)
                .integration_id(id);
            let output = with_settings!(builder, desired)
                .send()
                .await
                .map_err(|error| sdk_error("UpdateIntegration", error))?;
            Ok(integration_attributes!(&api_id, &output))
        }
    }
}

/// Whether `found` is the integration `desired` asks for: same type, URI and description.
fn same_integration(found: &Attributes, desired: &Attributes) -> bool {
    ["integration_type", "integration_uri", "description"]
        .iter()
        .all(|name| optional_string(found, name) == optional_string(desired, name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::kit::attributes::map;

    #[test]
    fn a_lambda_proxy_answer_reads_as_terraform_writes_it() {
        let integration = aws_sdk_apigatewayv2::types::Integration::builder()
            .integration_id("i1")
            .integration_type(IntegrationType::AwsProxy)
            .integration_uri("arn:aws:lambda:us-east-1:1:function:f")
            .timeout_in_millis(29000)
            .build();
        let read = integration_attributes!("a1", &integration);
        assert_eq!(read["integration_type"], Value::string("AWS_PROXY"));
        assert_eq!(read["timeout_milliseconds"], Value::Number(29000.0));
        assert_eq!(read["description"], Value::Null);
        assert_eq!(read["request_parameters"], Value::Map(Default::default()));
        let desired = map([
            ("integration_type", Value::string("AWS_PROXY")),
            (
                "integration_uri",
                Value::string("arn:aws:lambda:us-east-1:1:function:f"),
            ),
        ]);
        assert!(same_integration(&read, &desired));
        let other = map([("integration_type", Value::string("MOCK"))]);
        assert!(!same_integration(&read, &other));
    }
}
