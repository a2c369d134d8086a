//! `aws_apigatewayv2_deployment`: a snapshot of an API Gateway v2 API's routes and
//! integrations that a stage serves.
//!
//! AWS calls: CreateDeployment, GetDeployment (read), UpdateDeployment (`description`),
//! DeleteDeployment. Deployments carry no tags.
//!
//! Replacement: a change of `api_id` or `triggers` (as in Terraform: a map of anything that
//! should redeploy, e.g. a hash of the routes and integrations; kept in state only). The id
//! is the deployment id.
//!
//! Recovery: a deployment has no name, token or tags to find it by: `recover` finds nothing,
//! so an interrupted create may leave one unused deployment behind (no stage names it).
//!
//! moto 5.2.1 gap: every deployment operation (CreateDeployment, GetDeployment,
//! UpdateDeployment, DeleteDeployment) answers 404. The contract test runs against recorded
//! AWS answers (`resources/tests/contract/apigatewayv2.rs`).


use super::common::{api_child_calls, text};
use crate::aws::kit::attributes::{optional_string, required_string};
use crate::aws::kit::{sdk_error, ResultExt};
use crate::aws::AwsContext;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct Apigatewayv2Deployment {
    schema: Schema,
}

impl Apigatewayv2Deployment {
    pub fn new() -> Self {
        Apigatewayv2Deployment {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The deployment id."),
                Attribute::required("api_id", AttrType::String).force_new(),
                Attribute::optional("description", AttrType::String),
                Attribute::optional("triggers", AttrType::map_of_strings())
                    .force_new()
                    .describe("Any change redeploys (a new deployment)."),
                Attribute::computed("auto_deployed", AttrType::Bool),
            ]),
        }
    }
}

impl Default for Apigatewayv2Deployment {
    fn default() -> Self {
        Apigatewayv2Deployment::new()
    }
}

/// The attributes of any deployment answer (CreateDeployment, GetDeployment,
/// UpdateDeployment share these getters), `triggers` from `prior`.
macro_rules! deployment_attributes {
    ($api_id:expr, $output:expr, $prior:expr) => {{
        let output = $output;
        Attributes::from([
            (
                "id".to_string(),
                Value::string(output.deployment_id().unwrap_or_default()),
            ),
            ("api_id".to_string(), Value::string($api_id)),
            ("description".to_string(), text(output.description())),
            (
                "triggers".to_string(),
                $prior.get("triggers").cloned().unwrap_or(Value::Null),
            ),
            (
                "auto_deployed".to_string(),
                Value::Bool(output.auto_deployed().unwrap_or(false)),
            ),
        ])
    }};
}

api_child_calls! {
    id: deployment_id "deployment",
    get: get_deployment "GetDeployment",
    delete: delete_deployment "DeleteDeployment",
    attributes: |api_id, deployment, known| deployment_attributes!(api_id, &deployment, known),
    recover: { nothing },
    impl Resource for Apigatewayv2Deployment {
        fn type_name(&self) -> &'static str {
            "aws_apigatewayv2_deployment"
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
                .create_deployment()
                .api_id(&api_id)
                .set_description(optional_string(desired, "description"))
                .send()
                .await
                .map_err(|error| sdk_error("CreateDeployment", error))?;
            Ok(deployment_attributes!(&api_id, &output, desired))
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
                .update_deployment()
                .api_id(&api_id)
                .deployment_id(id)
                .description(optional_string(desired, "description").unwrap_or_default())
                .send()
                .await
                .map_err(|error| sdk_error("UpdateDeployment", error))?;
            Ok(deployment_attributes!(&api_id, &output, desired))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::kit::attributes::map;

    #[test]
    fn triggers_come_from_state_and_force_a_new_deployment() {
        let deployment =
            aws_sdk_apigatewayv2::operation::get_deployment::GetDeploymentOutput::builder()
                .deployment_id("d1")
                .auto_deployed(false)
                .build();
        let triggers = Value::Map([("redeployment".to_string(), Value::string("abc"))].into());
        let prior = map([("triggers", triggers.clone())]);
        let read = deployment_attributes!("a1", &deployment, prior);
        assert_eq!(read["triggers"], triggers);
        assert_eq!(read["description"], Value::Null);
        let schema = Apigatewayv2Deployment::new();
        assert!(schema.schema.attribute("triggers").unwrap().force_new);
    }
}
