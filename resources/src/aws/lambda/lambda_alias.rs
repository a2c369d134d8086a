//! `aws_lambda_alias`: a named pointer to a version of a Lambda function (with an optional
//! weighted split onto a second version). Id = the alias ARN, as in Terraform.
//!
//! AWS calls: CreateAlias, GetAlias (read; the function and alias names are read from the ARN,
//! so an id alone is enough), UpdateAlias (`function_version`, `description`,
//! `routing_config`), DeleteAlias. Aliases carry no tags (Lambda cannot tag them), so there is
//! no tag call and no drift listing.
//!
//! Replacement: a change of `name` or `function_name`. `function_name` is kept as the spec
//! spells it (a name or an ARN); a removed `routing_config` is sent as an empty weight map,
//! which clears it.
//!
//! Readiness: usable at once. Recovery: the function and alias name are deterministic, but an
//! alias carries no tags to prove it was made here: an existing alias of that name is adopted
//! only when it points where the spec says (`function_version`, `description`, the routing
//! weights), which is what an interrupted CreateAlias leaves; any other is left alone, and the
//! create then fails with Lambda's `ResourceConflictException`.
//!
//! moto 5.2.1 serves every call here (everything is tested against it); it answers a
//! DeleteAlias of a missing alias with success instead of `ResourceNotFoundException`.

use std::collections::{BTreeMap, HashMap};

use async_trait::async_trait;
use aws_sdk_lambda::operation::get_alias::GetAliasOutput;
use aws_sdk_lambda::types::AliasRoutingConfiguration;

use crate::aws::kit::attributes::{block, block_value, map, optional_string, required_string};
use crate::aws::kit::errors::ResultExt;
use crate::aws::kit::{empty_answer, sdk_error};
use crate::aws::AwsContext;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

pub struct LambdaAlias {
    schema: Schema,
}

impl LambdaAlias {
    pub fn new() -> Self {
        LambdaAlias {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The alias ARN."),
                Attribute::required("name", AttrType::String).force_new(),
                Attribute::required("function_name", AttrType::String)
                    .force_new()
                    .describe("The function's name or ARN."),
                Attribute::required("function_version", AttrType::String)
                    .describe("A published version (`1`) or `$LATEST`."),
                Attribute::optional("description", AttrType::String).default(""),
                Attribute::computed("arn", AttrType::String),
                Attribute::computed("invoke_arn", AttrType::String),
            ])
            .with_block(NestedBlock {
                name: "routing_config",
                nesting: BlockNesting::Single,
                schema: Schema::new(vec![Attribute::optional(
                    "additional_version_weights",
                    AttrType::Map(Box::new(AttrType::Number)),
                )
                .describe("Version → the share of invocations it gets (0 to 1).")]),
                force_new: false,
                computed: false,
            }),
        }
    }
}

impl Default for LambdaAlias {
    fn default() -> Self {
        LambdaAlias::new()
    }
}

#[async_trait]
impl Resource for LambdaAlias {
    fn type_name(&self) -> &'static str {
        "aws_lambda_alias"
    }

    fn import_id(&self) -> String {
        "function name/alias name".to_string()
    }

    async fn import(
        &self,
        context: &ProviderContext,
        import_id: &str,
    ) -> Result<Option<Attributes>, ProviderError> {
        // State's id is the alias ARN; Terraform imports by function and alias name.
        let parts =
            crate::aws::kit::import_id::split(import_id, '/', 2, "function-name/alias-name")?;
        let Some(output) = get_alias(context, parts[0], parts[1]).await? else {
            return Ok(None);
        };
        let arn = output.alias_arn().unwrap_or_default().to_string();
        Ok(Some(alias_attributes(&output, &arn, &Attributes::new())))
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let output = context
            .aws()
            .lambda
            .create_alias()
            .function_name(required_string(desired, "function_name")?)
            .name(required_string(desired, "name")?)
            .function_version(required_string(desired, "function_version")?)
            .set_description(optional_string(desired, "description"))
            .set_routing_config(routing_config(desired)?)
            .send()
            .await
            .map_err(|error| sdk_error("CreateAlias", error))?;
        let arn = output
            .alias_arn()
            .ok_or_else(|| empty_answer("CreateAlias", "AliasArn"))?
            .to_string();
        self.read(context, &arn, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("Lambda alias {arn} disappeared after create"))
        })
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let (function, name) = alias_parts(id)?;
        let Some(output) = get_alias(context, function, name).await? else {
            return Ok(None);
        };
        Ok(Some(alias_attributes(&output, id, prior)))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let (function, name) = alias_parts(id)?;
        context
            .aws()
            .lambda
            .update_alias()
            .function_name(function)
            .name(name)
            .function_version(required_string(desired, "function_version")?)
            .description(optional_string(desired, "description").unwrap_or_default())
            // No block: an empty weight map clears the routing.
            .routing_config(routing_config(desired)?.unwrap_or_else(|| routing(HashMap::new())))
            .send()
            .await
            .map_err(|error| sdk_error("UpdateAlias", error))?;
        self.read(context, id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("Lambda alias {id} disappeared during update"))
        })
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let (function, name) = alias_parts(id)?;
        context
            .aws()
            .lambda
            .delete_alias()
            .function_name(function)
            .name(name)
            .send()
            .await
            .map_err(|error| sdk_error("DeleteAlias", error))
            .gone_is_ok()
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let function = required_string(desired, "function_name")?;
        let name = required_string(desired, "name")?;
        let Some(output) = get_alias(context, &function, &name).await? else {
            return Ok(None);
        };
        let Some(arn) = output.alias_arn() else {
            return Ok(None);
        };
        let found = alias_attributes(&output, arn, desired);
        Ok(made_as_desired(&found, desired).then_some(found))
    }
}

/// GetAlias; `None` when the function or the alias does not exist.
async fn get_alias(
    context: &ProviderContext,
    function: &str,
    name: &str,
) -> Result<Option<GetAliasOutput>, ProviderError> {
    context
        .aws()
        .lambda
        .get_alias()
        .function_name(function)
        .name(name)
        .send()
        .await
        .map_err(|error| sdk_error("GetAlias", error))
        .not_found_as_none()
}

/// The function ARN and alias name of an alias ARN
/// (`arn:aws:lambda:us-east-1:123456789012:function:worker:live` → the function ARN, `live`).
fn alias_parts(arn: &str) -> Result<(&str, &str), ProviderError> {
    arn.rsplit_once(':')
        .filter(|(function, name)| {
            arn.starts_with("arn:")
                && !name.is_empty()
                && function.split(':').count() == 7
                && function.split(':').nth(5) == Some("function")
        })
        .ok_or_else(|| {
            ProviderError::invalid(
                "id",
                format!("`{arn}` is not a Lambda alias ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME:ALIAS)"),
            )
        })
}

/// The routing block's weights (`None` when no block is written).
fn routing_config(
    attributes: &Attributes,
) -> Result<Option<AliasRoutingConfiguration>, ProviderError> {
    let Some(written) = block(attributes, "routing_config") else {
        return Ok(None);
    };
    let weights = match written.get("additional_version_weights") {
        Some(Value::Map(weights)) => weights
            .iter()
            .map(|(version, weight)| {
                weight
                    .as_f64()
                    .map(|weight| (version.clone(), weight))
                    .ok_or_else(|| {
                        ProviderError::invalid(
                            "routing_config.additional_version_weights",
                            format!("the weight of version {version} must be a number"),
                        )
                    })
            })
            .collect::<Result<HashMap<_, _>, _>>()?,
        _ => HashMap::new(),
    };
    Ok(Some(routing(weights)))
}

fn routing(weights: HashMap<String, f64>) -> AliasRoutingConfiguration {
    AliasRoutingConfiguration::builder()
        .set_additional_version_weights(Some(weights))
        .build()
}

/// The attributes of an alias as GetAlias answers it; `function_name` as `prior` spells it
/// (else the function ARN, from the alias ARN).
fn alias_attributes(output: &GetAliasOutput, id: &str, prior: &Attributes) -> Attributes {
    let arn = output.alias_arn().unwrap_or(id);
    let function_arn = arn.rsplit_once(':').map_or(arn, |(function, _)| function);
    let region = arn.split(':').nth(3).unwrap_or_default();
    let partition = arn.split(':').nth(1).unwrap_or("aws");
    let weights: BTreeMap<String, Value> = output
        .routing_config()
        .and_then(AliasRoutingConfiguration::additional_version_weights)
        .map(|weights| {
            weights
                .iter()
                .map(|(version, weight)| (version.clone(), Value::Number(*weight)))
                .collect()
        })
        .unwrap_or_default();
    let routing_config = if weights.is_empty() {
        block_value([])
    } else {
        block_value([map([("additional_version_weights", Value::Map(weights))])])
    };
    map([
        ("id", Value::string(id)),
        ("name", Value::string(output.name().unwrap_or_default())),
        (
            "function_name",
            Value::string(
                optional_string(prior, "function_name")
                    .unwrap_or_else(|| function_arn.to_string()),
            ),
        ),
        (
            "function_version",
            Value::string(output.function_version().unwrap_or_default()),
        ),
        (
            "description",
            Value::string(output.description().unwrap_or_default()),
        ),
        ("arn", Value::string(arn)),
        (
            "invoke_arn",
            Value::string(format!(
                "arn:{partition}:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations"
            )),
        ),
        ("routing_config", routing_config),
    ])
}

/// Whether an alias found by name is configured as `desired` asks (recovery's ownership check
/// for a type without tags).
fn made_as_desired(found: &Attributes, desired: &Attributes) -> bool {
    let weights = |attributes: &Attributes| -> BTreeMap<String, Option<f64>> {
        match block(attributes, "routing_config")
            .and_then(|routing| routing.get("additional_version_weights"))
        {
            Some(Value::Map(weights)) => weights
                .iter()
                .map(|(version, weight)| (version.clone(), weight.as_f64()))
                .collect(),
            _ => BTreeMap::new(),
        }
    };
    optional_string(found, "function_version") == optional_string(desired, "function_version")
        && optional_string(found, "description").unwrap_or_default()
            == optional_string(desired, "description").unwrap_or_default()
        && weights(found) == weights(desired)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:worker:live";

    #[test]
    fn the_arn_names_the_function_and_the_alias() {
        assert_eq!(
            alias_parts(ARN).unwrap(),
            (
                "arn:aws:lambda:us-east-1:123456789012:function:worker",
                "live"
            )
        );
        assert!(alias_parts("worker:live").is_err());
        assert!(alias_parts("arn:aws:lambda:us-east-1:123456789012:function:worker").is_err());
        assert!(alias_parts("arn:aws:sqs:us-east-1:123456789012:queue").is_err());
    }

    fn answer(weights: Option<(&str, f64)>) -> GetAliasOutput {
        GetAliasOutput::builder()
            .alias_arn(ARN)
            .name("live")
            .function_version("2")
            .set_routing_config(
                weights.map(|(version, weight)| {
                    routing(HashMap::from([(version.to_string(), weight)]))
                }),
            )
            .build()
    }

    #[test]
    fn reads_the_invoke_arn_and_the_weights() {
        let prior = map([("function_name", Value::string("worker"))]);
        let read = alias_attributes(&answer(Some(("3", 0.25))), ARN, &prior);
        assert_eq!(read["function_name"], Value::string("worker"));
        assert_eq!(read["description"], Value::string(""));
        assert_eq!(
            read["invoke_arn"],
            Value::string(format!(
                "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{ARN}/invocations"
            ))
        );
        assert_eq!(
            block(&read, "routing_config").unwrap()["additional_version_weights"],
            Value::Map(BTreeMap::from([("3".to_string(), Value::Number(0.25))]))
        );
        // An empty weight map is no block; an id alone names the function by ARN.
        let bare = alias_attributes(&answer(None), ARN, &Attributes::new());
        assert_eq!(bare["routing_config"], block_value([]));
        assert_eq!(
            bare["function_name"],
            Value::string("arn:aws:lambda:us-east-1:123456789012:function:worker")
        );
    }

    #[test]
    fn recovery_adopts_only_an_alias_configured_as_desired() {
        let found = alias_attributes(&answer(Some(("3", 0.25))), ARN, &Attributes::new());
        let mut desired = map([
            ("function_version", Value::string("2")),
            ("description", Value::Null),
            (
                "routing_config",
                block_value([map([(
                    "additional_version_weights",
                    Value::Map(BTreeMap::from([("3".to_string(), Value::Number(0.25))])),
                )])]),
            ),
        ]);
        assert!(made_as_desired(&found, &desired));
        desired.insert("function_version".into(), Value::string("1"));
        assert!(!made_as_desired(&found, &desired));
    }

    #[test]
    fn weights_must_be_numbers() {
        let desired = map([(
            "routing_config",
            block_value([map([(
                "additional_version_weights",
                Value::Map(BTreeMap::from([("3".to_string(), Value::string("a lot"))])),
            )])]),
        )]);
        assert!(routing_config(&desired).is_err());
        assert!(routing_config(&Attributes::new()).unwrap().is_none());
    }
}
