//! `aws_apigatewayv2_authorizer`: an authorizer of an API Gateway v2 API: `REQUEST` (a
//! Lambda function) or `JWT` (an OIDC issuer such as a Cognito user pool, HTTP APIs).
//!
//! AWS calls: CreateAuthorizer, GetAuthorizer (read), UpdateAuthorizer, DeleteAuthorizer.
//! Authorizers carry no tags.
//!
//! Replacement: a change of `api_id`. The id is the authorizer id.
//!
//! Recovery: by name: GetAuthorizers, the authorizer of the API with this `name`
//! (authorizers carry no tags; a name is what the spec gives it).
//!
//! moto 5.2.1 gap: GetAuthorizers answers 500, so recovery cannot run on the emulator; the
//! contract test runs against recorded AWS answers (`resources/tests/contract/apigatewayv2.rs`).

use aws_sdk_apigatewayv2::types::{AuthorizerType, JwtConfiguration};

use super::common::{api_child_calls, text};
use crate::aws::kit::attributes::{
    block, block_value, map, number, optional_bool, optional_i32, optional_string, required_string,
    string_list, string_list_value,
};
use crate::aws::kit::{sdk_error, ResultExt};
use crate::aws::AwsContext;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

pub struct Apigatewayv2Authorizer {
    schema: Schema,
}

impl Apigatewayv2Authorizer {
    pub fn new() -> Self {
        Apigatewayv2Authorizer {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The authorizer id."),
                Attribute::required("api_id", AttrType::String).force_new(),
                Attribute::required("name", AttrType::String),
                Attribute::required("authorizer_type", AttrType::String)
                    .describe("`REQUEST` (Lambda) or `JWT`."),
                Attribute::optional("authorizer_uri", AttrType::String),
                Attribute::optional("identity_sources", AttrType::set_of_strings()),
                Attribute::optional("authorizer_credentials_arn", AttrType::String),
                Attribute::optional("authorizer_payload_format_version", AttrType::String),
                Attribute::optional("enable_simple_responses", AttrType::Bool).default(false),
                Attribute::optional_computed("authorizer_result_ttl_in_seconds", AttrType::Number),
            ])
            .with_block(NestedBlock {
                name: "jwt_configuration",
                nesting: BlockNesting::Single,
                schema: Schema::new(vec![
                    Attribute::optional("audience", AttrType::set_of_strings()),
                    Attribute::optional("issuer", AttrType::String),
                ]),
                force_new: false,
                computed: false,
            }),
        }
    }
}

impl Default for Apigatewayv2Authorizer {
    fn default() -> Self {
        Apigatewayv2Authorizer::new()
    }
}

/// The attributes of any authorizer answer (CreateAuthorizer, GetAuthorizer,
/// UpdateAuthorizer, an item of GetAuthorizers share these getters).
macro_rules! authorizer_attributes {
    ($api_id:expr, $output:expr) => {{
        let output = $output;
        Attributes::from([
            (
                "id".to_string(),
                Value::string(output.authorizer_id().unwrap_or_default()),
            ),
            ("api_id".to_string(), Value::string($api_id)),
            ("name".to_string(), text(output.name())),
            (
                "authorizer_type".to_string(),
                text(output.authorizer_type().map(AuthorizerType::as_str)),
            ),
            ("authorizer_uri".to_string(), text(output.authorizer_uri())),
            (
                "identity_sources".to_string(),
                string_list_value(output.identity_source()),
            ),
            (
                "authorizer_credentials_arn".to_string(),
                text(output.authorizer_credentials_arn()),
            ),
            (
                "authorizer_payload_format_version".to_string(),
                text(output.authorizer_payload_format_version()),
            ),
            (
                "enable_simple_responses".to_string(),
                Value::Bool(output.enable_simple_responses().unwrap_or(false)),
            ),
            (
                "authorizer_result_ttl_in_seconds".to_string(),
                number(output.authorizer_result_ttl_in_seconds()),
            ),
            (
                "jwt_configuration".to_string(),
                jwt_value(output.jwt_configuration()),
            ),
        ])
    }};
}

/// The settings CreateAuthorizer and UpdateAuthorizer share, set on either builder.
macro_rules! with_settings {
    ($builder:expr, $desired:expr) => {{
        let desired = $desired;
        $builder
            .name(required_string(desired, "name")?)
            .authorizer_type(AuthorizerType::from(
                required_string(desired, "authorizer_type")?.as_str(),
            ))
            .set_authorizer_uri(optional_string(desired, "authorizer_uri"))
            .set_identity_source(
                Some(string_list(desired, "identity_sources")).filter(|items| !items.is_empty()),
            )
            .set_authorizer_credentials_arn(optional_string(desired, "authorizer_credentials_arn"))
            .set_authorizer_payload_format_version(optional_string(
                desired,
                "authorizer_payload_format_version",
            ))
            .set_enable_simple_responses(optional_bool(desired, "enable_simple_responses"))
            .set_authorizer_result_ttl_in_seconds(optional_i32(
                desired,
                "authorizer_result_ttl_in_seconds",
            )?)
            .set_jwt_configuration(jwt_configuration(desired))
    }};
}

api_child_calls! {
    id: authorizer_id "authorizer",
    get: get_authorizer "GetAuthorizer",
    delete: delete_authorizer "DeleteAuthorizer",
    attributes: |api_id, authorizer, desired| authorizer_attributes!(api_id, &authorizer),
    recover: {
        get_authorizers "GetAuthorizers" |authorizer|
            authorizer.name() == optional_string(desired, "name").as_deref()
    },
    impl Resource for Apigatewayv2Authorizer {
        fn type_name(&self) -> &'static str {
            "aws_apigatewayv2_authorizer"
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
            let builder = context
                .aws()
                .apigatewayv2
                .create_authorizer()
                .api_id(&api_id);
            let output = with_settings!(builder, desired)
                .send()
                .await
                .map_err(|error| sdk_error("CreateAuthorizer", error))?;
            Ok(authorizer_attributes!(&api_id, &output))
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
                .update_authorizer()
                .api_id(&api_id)
                .authorizer_id(id);
            let output = with_settings!(builder, desired)
                .send()
                .await
                .map_err(|error| sdk_error("UpdateAuthorizer", error))?;
            Ok(authorizer_attributes!(&api_id, &output))
        }
    }
}

/// The `jwt_configuration` block as the SDK takes it.
fn jwt_configuration(attributes: &Attributes) -> Option<JwtConfiguration> {
    let jwt = block(attributes, "jwt_configuration")?;
    Some(
        JwtConfiguration::builder()
            .set_audience(Some(string_list(jwt, "audience")).filter(|items| !items.is_empty()))
            .set_issuer(optional_string(jwt, "issuer"))
            .build(),
    )
}

/// The `jwt_configuration` block from AWS's answer (none when AWS has none).
fn jwt_value(jwt: Option<&JwtConfiguration>) -> Value {
    block_value(jwt.map(|jwt| {
        map([
            ("audience", string_list_value(jwt.audience())),
            ("issuer", text(jwt.issuer())),
        ])
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwt_configuration_round_trips() {
        let written = map([
            ("audience", string_list_value(["client-1"])),
            (
                "issuer",
                Value::string("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc"),
            ),
        ]);
        let desired = map([("jwt_configuration", block_value([written.clone()]))]);
        let sent = jwt_configuration(&desired).expect("a jwt block");
        assert_eq!(sent.audience(), ["client-1"]);
        assert_eq!(jwt_value(Some(&sent)), block_value([written]));
        assert_eq!(jwt_value(None), Value::List(Vec::new()));
        assert!(jwt_configuration(&Attributes::new()).is_none());
    }
}
