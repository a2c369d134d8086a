//! `aws_cognito_user_pool_client`: an app client of a Cognito user pool. Id = the client id.
//!
//! AWS calls: CreateUserPoolClient (every setting, `GenerateSecret`), DescribeUserPoolClient
//! (read), UpdateUserPoolClient (update: AWS resets every setting it is not sent, so the whole
//! configuration is sent, the values the spec leaves out as read before), DeleteUserPoolClient.
//! App clients carry no tags: no listing for drift.
//!
//! Replacement: a change of `user_pool_id` or `generate_secret` (a secret can only be made
//! with the client). `client_secret` is sensitive: never shown, sealed in state. AWS does not
//! answer `GenerateSecret`; read takes it from the secret's presence (a client without one
//! keeps what the spec wrote, `false` or nothing).
//!
//! Supported blocks: `token_validity_units`, `analytics_configuration`,
//! `refresh_token_rotation`.
//!
//! Recovery: by name: ListUserPoolClients of the pool, the client with this `name` (clients
//! carry no tags or client token; a name is what the spec gives it).
//!
//! moto 5.2.1 gaps: UpdateUserPoolClient merges what it is sent into the stored client where
//! AWS replaces the whole configuration (sending everything makes both end the same for every
//! value the spec writes); settings the request leaves out come back absent (AWS answers its
//! defaults: token validities, `prevent_user_existence_errors`), which read reports as null or
//! empty.

use async_trait::async_trait;
use aws_sdk_cognitoidentityprovider::types::{
    AnalyticsConfigurationType, ExplicitAuthFlowsType, FeatureType, OAuthFlowType,
    PreventUserExistenceErrorTypes, RefreshTokenRotationType, TimeUnitsType,
    TokenValidityUnitsType, UserPoolClientType,
};

use crate::aws::kit::attributes::{
    block, block_value, non_empty, number, optional_bool, optional_i32, required_string,
    string_list_value,
};
use crate::aws::kit::errors::ResultExt;
use crate::aws::kit::{empty_answer, sdk_error};
use crate::aws::AwsContext;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

pub struct CognitoUserPoolClient {
    schema: Schema,
}

/// The set-of-strings settings (sent whole; an empty set clears one).
const STRING_SETS: [&str; 8] = [
    "allowed_oauth_flows",
    "allowed_oauth_scopes",
    "callback_urls",
    "explicit_auth_flows",
    "logout_urls",
    "read_attributes",
    "supported_identity_providers",
    "write_attributes",
];

impl CognitoUserPoolClient {
    pub fn new() -> Self {
        let string = || AttrType::String;
        let mut attributes = vec![
            Attribute::computed("id", string()).describe("The client id."),
            Attribute::required("name", string()),
            Attribute::required("user_pool_id", string()).force_new(),
            Attribute::optional("generate_secret", AttrType::Bool).force_new(),
            Attribute::computed("client_secret", string())
                .sensitive()
                .describe("The client secret, when `generate_secret` made one."),
            Attribute::optional_computed("access_token_validity", AttrType::Number),
            Attribute::optional_computed("id_token_validity", AttrType::Number),
            Attribute::optional_computed("refresh_token_validity", AttrType::Number),
            Attribute::optional_computed("auth_session_validity", AttrType::Number),
            Attribute::optional_computed("allowed_oauth_flows_user_pool_client", AttrType::Bool),
            Attribute::optional_computed("default_redirect_uri", string()),
            Attribute::optional_computed("enable_token_revocation", AttrType::Bool),
            Attribute::optional_computed(
                "enable_propagate_additional_user_context_data",
                AttrType::Bool,
            ),
            Attribute::optional_computed("prevent_user_existence_errors", string()),
        ];
        attributes.extend(
            STRING_SETS
                .iter()
                .map(|name| Attribute::optional_computed(name, AttrType::set_of_strings())),
        );
        let single = |name, computed, attributes| NestedBlock {
            name,
            nesting: BlockNesting::Single,
            schema: Schema::new(attributes),
            force_new: false,
            computed,
        };
        CognitoUserPoolClient {
            schema: Schema::new(attributes)
                .with_block(single(
                    "token_validity_units",
                    true,
                    vec![
                        Attribute::optional_computed("access_token", string()),
                        Attribute::optional_computed("id_token", string()),
                        Attribute::optional_computed("refresh_token", string()),
                    ],
                ))
                .with_block(single(
                    "analytics_configuration",
                    false,
                    vec![
                        Attribute::optional("application_arn", string()),
                        Attribute::optional("application_id", string()),
                        Attribute::optional("external_id", string()),
                        Attribute::optional_computed("role_arn", string()),
                        Attribute::optional_computed("user_data_shared", AttrType::Bool),
                    ],
                ))
                .with_block(single(
                    "refresh_token_rotation",
                    true,
                    vec![
                        Attribute::required("feature", string()),
                        Attribute::optional("retry_grace_period_seconds", AttrType::Number),
                    ],
                )),
        }
    }
}

impl Default for CognitoUserPoolClient {
    fn default() -> Self {
        CognitoUserPoolClient::new()
    }
}

/// The settings CreateUserPoolClient and UpdateUserPoolClient share, from the spec. A value
/// the attributes do not have (null) is not sent.
#[derive(Debug)]
struct Settings {
    name: String,
    access_token_validity: Option<i32>,
    id_token_validity: Option<i32>,
    refresh_token_validity: Option<i32>,
    auth_session_validity: Option<i32>,
    units: Option<TokenValidityUnitsType>,
    read_attributes: Option<Vec<String>>,
    write_attributes: Option<Vec<String>>,
    explicit_auth_flows: Option<Vec<ExplicitAuthFlowsType>>,
    supported_identity_providers: Option<Vec<String>>,
    callback_urls: Option<Vec<String>>,
    logout_urls: Option<Vec<String>>,
    default_redirect_uri: Option<String>,
    allowed_oauth_flows: Option<Vec<OAuthFlowType>>,
    allowed_oauth_scopes: Option<Vec<String>>,
    allowed_oauth_flows_user_pool_client: Option<bool>,
    analytics: Option<AnalyticsConfigurationType>,
    prevent_user_existence_errors: Option<PreventUserExistenceErrorTypes>,
    enable_token_revocation: Option<bool>,
    enable_propagate_additional_user_context_data: Option<bool>,
    refresh_token_rotation: Option<RefreshTokenRotationType>,
}

/// Sets `Settings` on a CreateUserPoolClient or UpdateUserPoolClient builder (the two take the
/// same settings under the same names).
macro_rules! with_settings {
    ($builder:expr, $settings:expr) => {{
        let settings = $settings;
        $builder
                .client_name(settings.name)
                .set_access_token_validity(settings.access_token_validity)
                .set_id_token_validity(settings.id_token_validity)
                .set_refresh_token_validity(settings.refresh_token_validity)
                .set_auth_session_validity(settings.auth_session_validity)
                .set_token_validity_units(settings.units)
                .set_read_attributes(settings.read_attributes)
                .set_write_attributes(settings.write_attributes)
                .set_explicit_auth_flows(settings.explicit_auth_flows)
                .set_supported_identity_providers(settings.supported_identity_providers)
                .set_callback_urls(settings.callback_urls)
                .set_logout_urls(settings.logout_urls)
                .set_default_redirect_uri(settings.default_redirect_uri)
                .set_allowed_o_auth_flows(settings.allowed_oauth_flows)
                .set_allowed_o_auth_scopes(settings.allowed_oauth_scopes)
                .set_allowed_o_auth_flows_user_pool_client(
                    settings.allowed_oauth_flows_user_pool_client,
                )
                .set_analytics_configuration(settings.analytics)
                .set_prevent_user_existence_errors(settings.prevent_user_existence_errors)
                .set_enable_token_revocation(settings.enable_token_revocation)
                .set_enable_propagate_additional_user_context_data(
                    settings.enable_propagate_additional_user_context_data,
                )
                .set_refresh_token_rotation(settings.refresh_token_rotation)
    }};
}

/// A set of strings, or `None` when the attribute is null (absent from the request).
fn strings_of(desired: &Attributes, name: &str) -> Option<Vec<String>> {
    desired
        .get(name)
        .and_then(Value::as_list)
        .map(|items| items.iter().filter_map(Value::to_template_string).collect())
}

fn settings(desired: &Attributes) -> Result<Settings, ProviderError> {
    let units = block(desired, "token_validity_units").map(|units| {
        let unit = |name| non_empty(units, name).map(|unit| TimeUnitsType::from(unit.as_str()));
        TokenValidityUnitsType::builder()
            .set_access_token(unit("access_token"))
            .set_id_token(unit("id_token"))
            .set_refresh_token(unit("refresh_token"))
            .build()
    });
    let analytics = block(desired, "analytics_configuration").map(|analytics| {
        AnalyticsConfigurationType::builder()
            .set_application_arn(non_empty(analytics, "application_arn"))
            .set_application_id(non_empty(analytics, "application_id"))
            .set_external_id(non_empty(analytics, "external_id"))
            .set_role_arn(non_empty(analytics, "role_arn"))
            .set_user_data_shared(optional_bool(analytics, "user_data_shared"))
            .build()
    });
    let refresh_token_rotation = block(desired, "refresh_token_rotation")
        .map(|rotation| -> Result<_, ProviderError> {
            RefreshTokenRotationType::builder()
                .feature(FeatureType::from(
                    required_string(rotation, "feature")?.as_str(),
                ))
                .set_retry_grace_period_seconds(optional_i32(
                    rotation,
                    "retry_grace_period_seconds",
                )?)
                .build()
                .map_err(|error| {
                    ProviderError::invalid("refresh_token_rotation", error.to_string())
                })
        })
        .transpose()?;
    Ok(Settings {
        name: required_string(desired, "name")?,
        access_token_validity: optional_i32(desired, "access_token_validity")?,
        id_token_validity: optional_i32(desired, "id_token_validity")?,
        refresh_token_validity: optional_i32(desired, "refresh_token_validity")?,
        auth_session_validity: optional_i32(desired, "auth_session_validity")?,
        units,
        read_attributes: strings_of(desired, "read_attributes"),
        write_attributes: strings_of(desired, "write_attributes"),
        explicit_auth_flows: strings_of(desired, "explicit_auth_flows").map(|flows| {
            flows
                .iter()
                .map(|flow| ExplicitAuthFlowsType::from(flow.as_str()))
                .collect()
        }),
        supported_identity_providers: strings_of(desired, "supported_identity_providers"),
        callback_urls: strings_of(desired, "callback_urls"),
        logout_urls: strings_of(desired, "logout_urls"),
        default_redirect_uri: non_empty(desired, "default_redirect_uri"),
        allowed_oauth_flows: strings_of(desired, "allowed_oauth_flows").map(|flows| {
            flows
                .iter()
                .map(|flow| OAuthFlowType::from(flow.as_str()))
                .collect()
        }),
        allowed_oauth_scopes: strings_of(desired, "allowed_oauth_scopes"),
        allowed_oauth_flows_user_pool_client: optional_bool(
            desired,
            "allowed_oauth_flows_user_pool_client",
        ),
        analytics,
        prevent_user_existence_errors: non_empty(desired, "prevent_user_existence_errors")
            .map(|setting| PreventUserExistenceErrorTypes::from(setting.as_str())),
        enable_token_revocation: optional_bool(desired, "enable_token_revocation"),
        enable_propagate_additional_user_context_data: optional_bool(
            desired,
            "enable_propagate_additional_user_context_data",
        ),
        refresh_token_rotation,
    })
}

fn text(value: Option<&str>) -> Value {
    value.map_or(Value::Null, Value::string)
}

fn strings<T: AsRef<str>>(items: &[T]) -> Value {
    string_list_value(items.iter().map(AsRef::as_ref))
}

/// `generate_secret` as read: AWS does not answer it, so a client with a secret was made with
/// one (`true`); one without keeps the prior `false`, else null (what a spec that does not
/// write it plans).
fn generate_secret(secret: Option<&str>, prior: &Attributes) -> Value {
    match (secret, prior.get("generate_secret")) {
        (Some(_), _) => Value::Bool(true),
        (None, Some(Value::Bool(false))) => Value::Bool(false),
        (None, _) => Value::Null,
    }
}

/// A client's attributes from DescribeUserPoolClient.
fn client_attributes(client: &UserPoolClientType, prior: &Attributes) -> Attributes {
    let mut attributes = Attributes::new();
    let mut put = |name: &str, value: Value| {
        attributes.insert(name.to_string(), value);
    };
    put("id", text(client.client_id()));
    put("name", text(client.client_name()));
    put("user_pool_id", text(client.user_pool_id()));
    put(
        "generate_secret",
        generate_secret(client.client_secret(), prior),
    );
    put("client_secret", text(client.client_secret()));
    put(
        "access_token_validity",
        number(client.access_token_validity()),
    );
    put("id_token_validity", number(client.id_token_validity()));
    put(
        "refresh_token_validity",
        number(Some(client.refresh_token_validity())),
    );
    put(
        "auth_session_validity",
        number(client.auth_session_validity()),
    );
    put(
        "allowed_oauth_flows_user_pool_client",
        client
            .allowed_o_auth_flows_user_pool_client()
            .map_or(Value::Null, Value::Bool),
    );
    put("default_redirect_uri", text(client.default_redirect_uri()));
    put(
        "enable_token_revocation",
        client
            .enable_token_revocation()
            .map_or(Value::Null, Value::Bool),
    );
    put(
        "enable_propagate_additional_user_context_data",
        client
            .enable_propagate_additional_user_context_data()
            .map_or(Value::Null, Value::Bool),
    );
    put(
        "prevent_user_existence_errors",
        text(
            client
                .prevent_user_existence_errors()
                .map(PreventUserExistenceErrorTypes::as_str),
        ),
    );
    put(
        "allowed_oauth_flows",
        strings(
            &client
                .allowed_o_auth_flows()
                .iter()
                .map(OAuthFlowType::as_str)
                .collect::<Vec<_>>(),
        ),
    );
    put(
        "allowed_oauth_scopes",
        strings(client.allowed_o_auth_scopes()),
    );
    put("callback_urls", strings(client.callback_urls()));
    put(
        "explicit_auth_flows",
        strings(
            &client
                .explicit_auth_flows()
                .iter()
                .map(ExplicitAuthFlowsType::as_str)
                .collect::<Vec<_>>(),
        ),
    );
    put("logout_urls", strings(client.logout_urls()));
    put("read_attributes", strings(client.read_attributes()));
    put(
        "supported_identity_providers",
        strings(client.supported_identity_providers()),
    );
    put("write_attributes", strings(client.write_attributes()));
    put(
        "token_validity_units",
        block_value(client.token_validity_units().map(|units| {
            let unit = |unit: Option<&TimeUnitsType>| text(unit.map(TimeUnitsType::as_str));
            Attributes::from([
                ("access_token".into(), unit(units.access_token())),
                ("id_token".into(), unit(units.id_token())),
                ("refresh_token".into(), unit(units.refresh_token())),
            ])
        })),
    );
    put(
        "analytics_configuration",
        block_value(client.analytics_configuration().map(|analytics| {
            Attributes::from([
                ("application_arn".into(), text(analytics.application_arn())),
                ("application_id".into(), text(analytics.application_id())),
                ("external_id".into(), text(analytics.external_id())),
                ("role_arn".into(), text(analytics.role_arn())),
                (
                    "user_data_shared".into(),
                    Value::Bool(analytics.user_data_shared()),
                ),
            ])
        })),
    );
    put(
        "refresh_token_rotation",
        block_value(client.refresh_token_rotation().map(|rotation| {
            Attributes::from([
                ("feature".into(), Value::string(rotation.feature().as_str())),
                (
                    "retry_grace_period_seconds".into(),
                    number(rotation.retry_grace_period_seconds()),
                ),
            ])
        })),
    );
    attributes
}

#[async_trait]
impl Resource for CognitoUserPoolClient {
    fn type_name(&self) -> &'static str {
        "aws_cognito_user_pool_client"
    }

    fn import_id(&self) -> String {
        "user pool id/client id (us-east-1_…/…)".to_string()
    }

    async fn import(
        &self,
        context: &ProviderContext,
        import_id: &str,
    ) -> Result<Option<Attributes>, ProviderError> {
        let parts = crate::aws::kit::import_id::split(import_id, '/', 2, "user-pool-id/client-id")?;
        let prior = crate::aws::kit::import_id::prior(&[("user_pool_id", parts[0])]);
        self.read(context, parts[1], &prior).await
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let settings = settings(desired)?;
        let pool = required_string(desired, "user_pool_id")?;
        let builder = context
            .aws()
            .cognitoidp
            .create_user_pool_client()
            .user_pool_id(&pool)
            .set_generate_secret(optional_bool(desired, "generate_secret"));
        let output = with_settings!(builder, settings)
            .send()
            .await
            .map_err(|error| sdk_error("CreateUserPoolClient", error))?;
        let client = output
            .user_pool_client()
            .ok_or_else(|| empty_answer("CreateUserPoolClient", "user pool client"))?;
        if client.client_id().is_none() {
            return Err(empty_answer("CreateUserPoolClient", "client id"));
        }
        Ok(client_attributes(client, desired))
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let Some(pool) = non_empty(prior, "user_pool_id") else {
            return Err(ProviderError::invalid(
                "user_pool_id",
                format!("is needed to read user pool client {id}"),
            ));
        };
        let Some(output) = context
            .aws()
            .cognitoidp
            .describe_user_pool_client()
            .user_pool_id(pool)
            .client_id(id)
            .send()
            .await
            .map_err(|error| sdk_error("DescribeUserPoolClient", error))
            .not_found_as_none()?
        else {
            return Ok(None);
        };
        Ok(output
            .user_pool_client()
            .map(|client| client_attributes(client, prior)))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let settings = settings(desired)?;
        let pool = required_string(desired, "user_pool_id")?;
        let builder = context
            .aws()
            .cognitoidp
            .update_user_pool_client()
            .user_pool_id(&pool)
            .client_id(id);
        let output = with_settings!(builder, settings)
            .send()
            .await
            .map_err(|error| sdk_error("UpdateUserPoolClient", error))?;
        match output.user_pool_client() {
            Some(client) => Ok(client_attributes(client, desired)),
            None => self.read(context, id, desired).await?.ok_or_else(|| {
                ProviderError::Refused(format!("user pool client {id} disappeared during update"))
            }),
        }
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let pool = required_string(prior, "user_pool_id")?;
        context
            .aws()
            .cognitoidp
            .delete_user_pool_client()
            .user_pool_id(pool)
            .client_id(id)
            .send()
            .await
            .map(|_| ())
            .map_err(|error| sdk_error("DeleteUserPoolClient", error))
            .gone_is_ok()
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let name = required_string(desired, "name")?;
        let pool = required_string(desired, "user_pool_id")?;
        let mut pages = context
            .aws()
            .cognitoidp
            .list_user_pool_clients()
            .user_pool_id(&pool)
            .max_results(60)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let Some(page) = page
                .map_err(|error| sdk_error("ListUserPoolClients", error))
                .not_found_as_none()?
            else {
                // The pool is gone, and its clients with it.
                return Ok(None);
            };
            let found = page
                .user_pool_clients()
                .iter()
                .find(|client| client.client_name() == Some(name.as_str()))
                .and_then(|client| client.client_id());
            if let Some(id) = found {
                return self.read(context, id, desired).await;
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::kit::attributes::map;

    #[test]
    fn generate_secret_follows_the_secret_and_keeps_what_the_spec_wrote() {
        let written_false = map([("generate_secret", Value::Bool(false))]);
        let unwritten = map([("generate_secret", Value::Null)]);
        assert_eq!(
            generate_secret(Some("s3cr3t"), &unwritten),
            Value::Bool(true)
        );
        assert_eq!(generate_secret(None, &written_false), Value::Bool(false));
        assert_eq!(generate_secret(None, &unwritten), Value::Null);
        // A spec that wanted a secret the client does not have: read says so (replacement).
        let written_true = map([("generate_secret", Value::Bool(true))]);
        assert_eq!(generate_secret(None, &written_true), Value::Null);
    }

    #[test]
    fn settings_send_what_is_known_and_leave_nulls_out() {
        let desired = map([
            ("name", Value::string("web")),
            (
                "callback_urls",
                string_list_value(["https://example.com/callback"]),
            ),
            ("logout_urls", Value::List(Vec::new())),
            ("default_redirect_uri", Value::Null),
            (
                "explicit_auth_flows",
                string_list_value(["ALLOW_USER_SRP_AUTH"]),
            ),
            ("access_token_validity", Value::Number(2.0)),
            (
                "token_validity_units",
                block_value([map([("access_token", Value::string("hours"))])]),
            ),
        ]);
        let settings = settings(&desired).unwrap();
        assert_eq!(settings.name, "web");
        assert_eq!(
            settings.callback_urls,
            Some(vec!["https://example.com/callback".to_string()])
        );
        // An empty set is sent (it clears the setting); a null one is not.
        assert_eq!(settings.logout_urls, Some(Vec::new()));
        assert_eq!(settings.default_redirect_uri, None);
        assert_eq!(settings.allowed_oauth_flows, None);
        assert_eq!(
            settings.explicit_auth_flows,
            Some(vec![ExplicitAuthFlowsType::AllowUserSrpAuth])
        );
        assert_eq!(settings.access_token_validity, Some(2));
        let units = settings.units.unwrap();
        assert_eq!(units.access_token(), Some(&TimeUnitsType::Hours));
        assert_eq!(units.id_token(), None);
    }

    #[test]
    fn a_fractional_validity_is_refused() {
        let desired = map([
            ("name", Value::string("web")),
            ("id_token_validity", Value::Number(1.5)),
        ]);
        assert!(settings(&desired).is_err());
    }

    #[test]
    fn the_client_reads_back_with_its_secret_and_units() {
        let client = UserPoolClientType::builder()
            .client_id("abc123")
            .client_name("web")
            .user_pool_id("us-east-1_Pool")
            .client_secret("s3cr3t")
            .refresh_token_validity(30)
            .allowed_o_auth_flows(OAuthFlowType::Code)
            .token_validity_units(
                TokenValidityUnitsType::builder()
                    .refresh_token(TimeUnitsType::Days)
                    .build(),
            )
            .build();
        let read = client_attributes(&client, &Attributes::new());
        assert_eq!(read["client_secret"], Value::string("s3cr3t"));
        assert_eq!(read["generate_secret"], Value::Bool(true));
        assert_eq!(read["refresh_token_validity"], Value::Number(30.0));
        assert_eq!(read["access_token_validity"], Value::Null);
        assert_eq!(read["allowed_oauth_flows"], string_list_value(["code"]));
        assert_eq!(read["callback_urls"], Value::List(Vec::new()));
        assert_eq!(
            block(&read, "token_validity_units").and_then(|units| units.get("refresh_token")),
            Some(&Value::string("days"))
        );
        assert_eq!(read["analytics_configuration"], Value::List(Vec::new()));
    }

    #[test]
    fn the_client_secret_is_sensitive() {
        let schema = CognitoUserPoolClient::new().schema;
        assert!(schema.attribute("client_secret").unwrap().sensitive);
        assert!(schema.attribute("user_pool_id").unwrap().force_new);
        assert!(schema.attribute("generate_secret").unwrap().force_new);
    }
}
