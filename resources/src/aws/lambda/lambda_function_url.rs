//! `aws_lambda_function_url`: a dedicated HTTPS endpoint for a Lambda function.
//!
//! AWS calls: CreateFunctionUrlConfig, GetFunctionUrlConfig, UpdateFunctionUrlConfig
//! (`authorization_type`, `invoke_mode`, `cors`), DeleteFunctionUrlConfig.
//!
//! Replacement: a change of `function_name` or `qualifier`.
//!
//! Readiness: usable at once. Recovery: a function has at most one URL per qualifier, so an
//! existing URL config for the function is the one an interrupted create made (URL configs
//! carry no tags).

use crate::aws::AwsContext;
use std::collections::BTreeMap;

use async_trait::async_trait;
use aws_sdk_lambda::types::{Cors, FunctionUrlAuthType, InvokeMode};

use crate::aws::kit::attributes::{optional_bool, optional_string, required_string, string_list_value};
use crate::aws::kit::attributes::{optional_i32};
use crate::aws::kit::found;
use crate::aws::kit::sdk_error;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

pub struct LambdaFunctionUrl {
    schema: Schema,
}

impl LambdaFunctionUrl {
    pub fn new() -> Self {
        LambdaFunctionUrl {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String)
                    .describe("The function name (`name/qualifier` with a qualifier)."),
                Attribute::required("function_name", AttrType::String).force_new(),
                Attribute::optional("qualifier", AttrType::String).force_new(),
                Attribute::required("authorization_type", AttrType::String)
                    .describe("`NONE` or `AWS_IAM`."),
                Attribute::optional("invoke_mode", AttrType::String).default("BUFFERED"),
                Attribute::computed("function_arn", AttrType::String),
                Attribute::computed("function_url", AttrType::String),
                Attribute::computed("url_id", AttrType::String),
            ])
            .with_block(NestedBlock {
                name: "cors",
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

impl Default for LambdaFunctionUrl {
    fn default() -> Self {
        LambdaFunctionUrl::new()
    }
}

#[async_trait]
impl Resource for LambdaFunctionUrl {
    fn type_name(&self) -> &'static str {
        "aws_lambda_function_url"
    }

    fn import_id(&self) -> String {
        "function name (function name/qualifier for an alias's URL)".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let name = required_string(desired, "function_name")?;
        let qualifier = optional_string(desired, "qualifier");
        context
            .aws()
            .lambda
            .create_function_url_config()
            .function_name(&name)
            .set_qualifier(qualifier.clone())
            .auth_type(FunctionUrlAuthType::from(
                required_string(desired, "authorization_type")?.as_str(),
            ))
            .invoke_mode(InvokeMode::from(invoke_mode(desired).as_str()))
            .set_cors(cors(desired))
            .send()
            .await
            .map_err(|error| sdk_error("CreateFunctionUrlConfig", error))?;
        let id = url_id(&name, qualifier.as_deref());
        self.read(context, &id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("function URL of {name} disappeared after create"))
        })
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let (name, qualifier) = split_id(id);
        let result = context
            .aws()
            .lambda
            .get_function_url_config()
            .function_name(name)
            .set_qualifier(qualifier.map(str::to_string))
            .send()
            .await
            .map_err(|error| sdk_error("GetFunctionUrlConfig", error));
        let Some(output) = found(result)? else {
            return Ok(None);
        };
        let mut attributes = Attributes::new();
        attributes.insert("id".into(), Value::string(id));
        attributes.insert("function_name".into(), Value::string(name));
        attributes.insert("qualifier".into(), qualifier.map(str::to_string).into());
        attributes.insert(
            "authorization_type".into(),
            Value::string(output.auth_type().as_str()),
        );
        attributes.insert(
            "invoke_mode".into(),
            Value::string(
                output
                    .invoke_mode()
                    .map(|m| m.as_str())
                    .unwrap_or("BUFFERED"),
            ),
        );
        attributes.insert("function_arn".into(), Value::string(output.function_arn()));
        attributes.insert("function_url".into(), Value::string(output.function_url()));
        attributes.insert(
            "url_id".into(),
            Value::string(url_host_id(output.function_url())),
        );
        attributes.insert("cors".into(), cors_value(output.cors(), prior));
        Ok(Some(attributes))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let (name, qualifier) = split_id(id);
        context
            .aws()
            .lambda
            .update_function_url_config()
            .function_name(name)
            .set_qualifier(qualifier.map(str::to_string))
            .auth_type(FunctionUrlAuthType::from(
                required_string(desired, "authorization_type")?.as_str(),
            ))
            .invoke_mode(InvokeMode::from(invoke_mode(desired).as_str()))
            .cors(cors(desired).unwrap_or_else(|| Cors::builder().build()))
            .send()
            .await
            .map_err(|error| sdk_error("UpdateFunctionUrlConfig", error))?;
        self.read(context, id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("function URL {id} disappeared during update"))
        })
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let (name, qualifier) = split_id(id);
        let result = context
            .aws()
            .lambda
            .delete_function_url_config()
            .function_name(name)
            .set_qualifier(qualifier.map(str::to_string))
            .send()
            .await
            .map(|_| ())
            .map_err(|error| sdk_error("DeleteFunctionUrlConfig", error));
        found(result).map(|_| ())
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let name = required_string(desired, "function_name")?;
        let id = url_id(&name, optional_string(desired, "qualifier").as_deref());
        self.read(context, &id, desired).await
    }
}

fn invoke_mode(attributes: &Attributes) -> String {
    optional_string(attributes, "invoke_mode").unwrap_or_else(|| "BUFFERED".to_string())
}

fn url_id(name: &str, qualifier: Option<&str>) -> String {
    match qualifier {
        Some(qualifier) => format!("{name}/{qualifier}"),
        None => name.to_string(),
    }
}

fn split_id(id: &str) -> (&str, Option<&str>) {
    match id.split_once('/') {
        Some((name, qualifier)) => (name, Some(qualifier)),
        None => (id, None),
    }
}

/// `abc123` of `https://abc123.lambda-url.us-east-1.on.aws/`.
fn url_host_id(url: &str) -> &str {
    url.trim_start_matches("https://")
        .split('.')
        .next()
        .unwrap_or_default()
}

fn cors(attributes: &Attributes) -> Option<Cors> {
    let block = attributes
        .get("cors")
        .and_then(Value::as_list)
        .and_then(|blocks| blocks.first())?;
    let list = |name: &str| -> Option<Vec<String>> {
        block
            .get(name)
            .and_then(Value::as_list)
            .map(|items| items.iter().filter_map(Value::to_template_string).collect())
    };
    let entries: Attributes = block.as_map().cloned().unwrap_or_default();
    Some(
        Cors::builder()
            .set_allow_credentials(optional_bool(&entries, "allow_credentials"))
            .set_allow_headers(list("allow_headers"))
            .set_allow_methods(list("allow_methods"))
            .set_allow_origins(list("allow_origins"))
            .set_expose_headers(list("expose_headers"))
            .set_max_age(optional_i32(&entries, "max_age").ok().flatten())
            .build(),
    )
}

/// The `cors` block from AWS's answer (none when AWS has none and the spec wrote none).
fn cors_value(cors: Option<&Cors>, prior: &Attributes) -> Value {
    let wrote_cors = prior
        .get("cors")
        .and_then(Value::as_list)
        .is_some_and(|blocks| !blocks.is_empty());
    let Some(cors) = cors else {
        return Value::List(Vec::new());
    };
    let empty = cors.allow_origins().is_empty()
        && cors.allow_methods().is_empty()
        && cors.allow_headers().is_empty()
        && cors.expose_headers().is_empty()
        && !cors.allow_credentials().unwrap_or(false)
        && cors.max_age().unwrap_or(0) == 0;
    if empty && !wrote_cors {
        return Value::List(Vec::new());
    }
    Value::List(vec![Value::Map(BTreeMap::from([
        (
            "allow_credentials".to_string(),
            Value::Bool(cors.allow_credentials().unwrap_or(false)),
        ),
        (
            "allow_headers".to_string(),
            string_list_value(cors.allow_headers()),
        ),
        (
            "allow_methods".to_string(),
            string_list_value(cors.allow_methods()),
        ),
        (
            "allow_origins".to_string(),
            string_list_value(cors.allow_origins()),
        ),
        (
            "expose_headers".to_string(),
            string_list_value(cors.expose_headers()),
        ),
        (
            "max_age".to_string(),
            Value::from(cors.max_age().unwrap_or(0)),
        ),
    ]))])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_carry_the_qualifier() {
        assert_eq!(url_id("f", None), "f");
        assert_eq!(url_id("f", Some("live")), "f/live");
        assert_eq!(split_id("f/live"), ("f", Some("live")));
        assert_eq!(split_id("f"), ("f", None));
    }

    #[test]
    fn url_id_is_the_first_host_label() {
        assert_eq!(
            url_host_id("https://abc123.lambda-url.us-east-1.on.aws/"),
            "abc123"
        );
    }

    #[test]
    fn empty_cors_reads_as_no_block() {
        let none = Cors::builder().build();
        assert_eq!(
            cors_value(Some(&none), &Attributes::new()),
            Value::List(vec![])
        );
        let some = Cors::builder().allow_origins("*").build();
        assert!(
            matches!(cors_value(Some(&some), &Attributes::new()), Value::List(items) if items.len() == 1)
        );
    }
}
