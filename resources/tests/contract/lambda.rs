//! Fixtures of the Lambda types: a function from the e2e fixture's zip, its URL and a
//! permission to invoke that URL.

use serde_json::json;

use crate::harness::Fixture;
use crate::iam;

pub fn lambda_function() -> Fixture {
    Fixture::new("aws_lambda_function", |created| {
        json!({"function_name": created.name("function"),
               "role": created.arn("aws_iam_role.lambda"),
               "filename": concat!(env!("CARGO_MANIFEST_DIR"),
                                   "/../tests/fixtures/lambda-alarms/handler.zip"),
               "runtime": "nodejs20.x", "handler": "index.handler",
               "tags": {"Name": created.name("function")}})
    })
    .needs(&[iam::lambda_role])
}

pub fn lambda_function_url() -> Fixture {
    Fixture::new("aws_lambda_function_url", |created| {
        json!({"function_name": created.get("aws_lambda_function", "function_name"),
               "authorization_type": "NONE"})
    })
    .needs(&[lambda_function])
}

pub fn lambda_permission() -> Fixture {
    Fixture::new("aws_lambda_permission", |created| {
        json!({"statement_id": "AllowFunctionUrlInvoke", "action": "lambda:InvokeFunctionUrl",
               "function_name": created.get("aws_lambda_function", "function_name"),
               "principal": "*", "function_url_auth_type": "NONE"})
    })
    .needs(&[lambda_function])
}
