//! `aws_lambda_permission`: one statement of a Lambda function's resource policy (who may
//! invoke it: CloudFront, a function URL caller, SNS, ...).
//!
//! AWS calls: AddPermission, GetPolicy (the statement is found by its `Sid`), RemovePermission.
//!
//! Replacement: every attribute (AWS has no way to change a statement in place), as in
//! Terraform. `statement_id` defaults to `terraform-` and the create's idempotency token, so an
//! interrupted create is found again by it (`recover`).
//!
//! Read: the statement's `Action` and `Principal` are read back from the policy; the
//! conditions (`source_arn`, `source_account`, `function_url_auth_type`) are compared as
//! found in the statement's `Condition` (moto 5.2.1 writes `FunctionUrlAuthType` on the
//! statement itself; both places are read).

use crate::aws::AwsContext;
use async_trait::async_trait;
use aws_sdk_lambda::types::FunctionUrlAuthType;

use crate::aws::kit::attributes::{optional_string, required_string};
use crate::aws::kit::found;
use crate::aws::kit::sdk_error;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct LambdaPermission {
    schema: Schema,
}

impl LambdaPermission {
    pub fn new() -> Self {
        LambdaPermission {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The statement id."),
                Attribute::optional_computed("statement_id", AttrType::String).force_new(),
                Attribute::required("action", AttrType::String)
                    .force_new()
                    .describe("`lambda:InvokeFunction`, `lambda:InvokeFunctionUrl`, ..."),
                Attribute::required("function_name", AttrType::String).force_new(),
                Attribute::required("principal", AttrType::String)
                    .force_new()
                    .describe("`cloudfront.amazonaws.com`, an account id, `*`, ..."),
                Attribute::optional("source_arn", AttrType::String).force_new(),
                Attribute::optional("source_account", AttrType::String).force_new(),
                Attribute::optional("qualifier", AttrType::String).force_new(),
                Attribute::optional("function_url_auth_type", AttrType::String).force_new(),
            ]),
        }
    }
}

impl Default for LambdaPermission {
    fn default() -> Self {
        LambdaPermission::new()
    }
}

#[async_trait]
impl Resource for LambdaPermission {
    fn type_name(&self) -> &'static str {
        "aws_lambda_permission"
    }

    fn import_id(&self) -> String {
        "function name/statement id (function name:qualifier/statement id for a qualified function)".to_string()
    }

    async fn import(
        &self,
        context: &ProviderContext,
        import_id: &str,
    ) -> Result<Option<Attributes>, ProviderError> {
        let parts = crate::aws::kit::import_id::split(
            import_id,
            '/',
            2,
            "function-name/statement-id or function-name:qualifier/statement-id",
        )?;
        let prior = match parts[0].split_once(':') {
            Some((function, qualifier)) => crate::aws::kit::import_id::prior(&[
                ("function_name", function),
                ("qualifier", qualifier),
            ]),
            None => crate::aws::kit::import_id::prior(&[("function_name", parts[0])]),
        };
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
        let statement_id = statement_id(context, desired);
        context
            .aws()
            .lambda
            .add_permission()
            .function_name(required_string(desired, "function_name")?)
            .statement_id(&statement_id)
            .action(required_string(desired, "action")?)
            .principal(required_string(desired, "principal")?)
            .set_source_arn(optional_string(desired, "source_arn"))
            .set_source_account(optional_string(desired, "source_account"))
            .set_qualifier(optional_string(desired, "qualifier"))
            .set_function_url_auth_type(
                optional_string(desired, "function_url_auth_type")
                    .map(|kind| FunctionUrlAuthType::from(kind.as_str())),
            )
            .send()
            .await
            .map_err(|error| sdk_error("AddPermission", error))?;
        let mut attributes = desired.clone();
        attributes.insert("id".into(), Value::string(&statement_id));
        attributes.insert("statement_id".into(), Value::string(&statement_id));
        Ok(attributes)
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let function = required_string(prior, "function_name")?;
        let Some(statement) =
            find_statement(context, &function, optional_string(prior, "qualifier"), id).await?
        else {
            return Ok(None);
        };
        Ok(Some(statement_attributes(&statement, id, prior)))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        // Every attribute forces replacement: nothing to change in place.
        self.read(context, id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("Lambda permission {id} disappeared during update"))
        })
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let result = context
            .aws()
            .lambda
            .remove_permission()
            .function_name(required_string(prior, "function_name")?)
            .statement_id(id)
            .set_qualifier(optional_string(prior, "qualifier"))
            .send()
            .await
            .map(|_| ())
            .map_err(|error| sdk_error("RemovePermission", error));
        found(result).map(|_| ())
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let id = statement_id(context, desired);
        let mut prior = desired.clone();
        prior.insert("statement_id".into(), Value::string(&id));
        self.read(context, &id, &prior).await
    }
}

/// The spec's `statement_id`, else `terraform-` and the idempotency token (stable across the
/// retries of one create).
fn statement_id(context: &ProviderContext, desired: &Attributes) -> String {
    optional_string(desired, "statement_id").unwrap_or_else(|| {
        let token: String = context
            .idempotency_token
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        format!("terraform-{token}")
    })
}

/// GetPolicy, then the statement whose `Sid` is `id` (`None`: no policy or no such statement).
async fn find_statement(
    context: &ProviderContext,
    function: &str,
    qualifier: Option<String>,
    id: &str,
) -> Result<Option<serde_json::Value>, ProviderError> {
    let result = context
        .aws()
        .lambda
        .get_policy()
        .function_name(function)
        .set_qualifier(qualifier)
        .send()
        .await
        .map_err(|error| sdk_error("GetPolicy", error));
    let Some(output) = found(result)? else {
        return Ok(None);
    };
    Ok(statement_in(output.policy().unwrap_or("{}"), id))
}

fn statement_in(policy: &str, id: &str) -> Option<serde_json::Value> {
    let policy: serde_json::Value = serde_json::from_str(policy).ok()?;
    policy
        .get("Statement")?
        .as_array()?
        .iter()
        .find(|statement| statement.get("Sid").and_then(|sid| sid.as_str()) == Some(id))
        .cloned()
}

/// The attributes a statement shows: action, principal and conditions from the policy, the
/// function name and qualifier from `prior` (the policy names the function by ARN).
fn statement_attributes(statement: &serde_json::Value, id: &str, prior: &Attributes) -> Attributes {
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::string(id));
    attributes.insert("statement_id".into(), Value::string(id));
    for name in ["function_name", "qualifier"] {
        attributes.insert(name.into(), prior.get(name).cloned().unwrap_or_default());
    }
    let action = statement
        .get("Action")
        .and_then(|a| a.as_str())
        .map(str::to_string);
    attributes.insert("action".into(), action.into());
    let principal = match statement.get("Principal") {
        Some(serde_json::Value::String(text)) => Some(text.clone()),
        Some(serde_json::Value::Object(entries)) => entries
            .values()
            .next()
            .and_then(|value| value.as_str())
            .map(|text| principal_from_arn(text, prior)),
        _ => None,
    };
    attributes.insert("principal".into(), principal.into());
    let condition = |operator: &str, key: &str| -> Option<String> {
        statement
            .get("Condition")?
            .get(operator)?
            .get(key)?
            .as_str()
            .map(str::to_string)
    };
    attributes.insert(
        "source_arn".into(),
        condition("ArnLike", "AWS:SourceArn")
            .or_else(|| condition("ArnEquals", "AWS:SourceArn"))
            .into(),
    );
    attributes.insert(
        "source_account".into(),
        condition("StringEquals", "AWS:SourceAccount").into(),
    );
    attributes.insert(
        "function_url_auth_type".into(),
        condition("StringEquals", "lambda:FunctionUrlAuthType")
            // moto 5.2.1 puts it on the statement itself.
            .or_else(|| {
                statement
                    .get("FunctionUrlAuthType")
                    .and_then(|kind| kind.as_str())
                    .map(str::to_string)
            })
            .into(),
    );
    attributes
}

/// AWS rewrites an account id principal as `arn:aws:iam::123456789012:root`; the spec's
/// spelling is kept when it names the same account.
fn principal_from_arn(text: &str, prior: &Attributes) -> String {
    let spec = optional_string(prior, "principal");
    match (
        &spec,
        text.strip_prefix("arn:aws:iam::")
            .and_then(|rest| rest.strip_suffix(":root")),
    ) {
        (Some(spec), Some(account)) if spec == account => spec.clone(),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[
        {"Sid":"AllowCloudFront","Effect":"Allow","Principal":{"Service":"cloudfront.amazonaws.com"},
         "Action":"lambda:InvokeFunctionUrl","Resource":"arn:aws:lambda:us-east-1:1:function:f",
         "Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:cloudfront::1:distribution/E1"}}},
        {"Sid":"Public","Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunctionUrl",
         "Resource":"arn:aws:lambda:us-east-1:1:function:f",
         "Condition":{"StringEquals":{"lambda:FunctionUrlAuthType":"NONE"}}}]}"#;

    #[test]
    fn finds_the_statement_by_sid_and_reads_principal_and_conditions() {
        let prior = Attributes::from([("function_name".to_string(), Value::string("f"))]);
        let statement = statement_in(POLICY, "AllowCloudFront").unwrap();
        let read = statement_attributes(&statement, "AllowCloudFront", &prior);
        assert_eq!(read["principal"], Value::string("cloudfront.amazonaws.com"));
        assert_eq!(read["action"], Value::string("lambda:InvokeFunctionUrl"));
        assert_eq!(
            read["source_arn"],
            Value::string("arn:aws:cloudfront::1:distribution/E1")
        );
        let public =
            statement_attributes(&statement_in(POLICY, "Public").unwrap(), "Public", &prior);
        assert_eq!(public["principal"], Value::string("*"));
        assert_eq!(public["function_url_auth_type"], Value::string("NONE"));
        assert!(statement_in(POLICY, "Missing").is_none());
    }

    #[test]
    fn account_principals_keep_the_spec_spelling() {
        let prior = Attributes::from([("principal".to_string(), Value::string("123456789012"))]);
        assert_eq!(
            principal_from_arn("arn:aws:iam::123456789012:root", &prior),
            "123456789012"
        );
    }

    #[test]
    fn generated_statement_ids_come_from_the_token() {
        let context = crate::aws::kit::test_support::context();
        assert_eq!(
            statement_id(&context, &Attributes::new()),
            "terraform-token"
        );
    }
}
