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

/// Lambda@Edge deletes against AWS's recorded answers (moto never replicates a function, so it
/// never refuses the delete of one): while CloudFront holds replicas, DeleteFunction answers
/// `InvalidParameterValueException` "... because it is a replicated function".
mod edge_delete {
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use provision_resources::aws::lambda::lambda_function::delete_function;
    use provision_resources::aws::{AwsClients, LazyClient};
    use provision_resources::{ProgressSink, ProviderError};

    use crate::harness;
    use crate::replay::{Recorded, Replay};

    const NAME: &str = "ct-edge-auth";

    fn path() -> String {
        format!("/2015-03-31/functions/{NAME}")
    }

    fn replicated() -> Recorded {
        Recorded {
            operation: path(),
            status: 400,
            headers: vec![
                ("content-type", "application/json".to_string()),
                ("x-amzn-errortype", "InvalidParameterValueException".to_string()),
                ("x-amzn-requestid", "0c1d4c7e-0000-4000-8000-00000000e001".to_string()),
            ],
            body: format!(
                r#"{{"Type":"User","message":"Lambda was unable to delete arn:aws:lambda:us-east-1:123456789012:function:{NAME}:1 because it is a replicated function. Please see our documentation for Deleting Lambda@Edge Functions and Replicas."}}"#
            )
            .into_bytes(),
        }
    }

    fn deleted() -> Recorded {
        Recorded {
            operation: path(),
            status: 204,
            headers: vec![(
                "x-amzn-requestid",
                "0c1d4c7e-0000-4000-8000-00000000e002".to_string(),
            )],
            body: Vec::new(),
        }
    }

    async fn clients(replay: &Replay) -> Arc<AwsClients> {
        let config = provision_e2e::MotoServer::shared().sdk_config().await;
        let mut clients = AwsClients::from_config(&config);
        clients.lambda = LazyClient::of(aws_sdk_lambda::Client::from_conf(
            aws_sdk_lambda::config::Builder::from(&config)
                .http_client(replay.clone())
                .endpoint_url("https://lambda.us-east-1.amazonaws.com")
                .build(),
        ));
        Arc::new(clients)
    }

    fn paths(replay: &Replay) -> Vec<String> {
        replay
            .requests()
            .iter()
            .map(|request| {
                let uri = request.split(' ').next().unwrap_or_default();
                format!("/{}", uri.splitn(4, '/').nth(3).unwrap_or_default())
            })
            .collect()
    }

    #[tokio::test]
    async fn a_replicated_function_is_deleted_once_cloudfront_lets_go() {
        let replay = Replay::new(vec![replicated(), replicated(), deleted()]);
        let clients = clients(&replay).await;
        let mut context =
            harness::context(&clients, "aws_lambda_function", "aws_lambda_function.edge");
        let said = Arc::new(Mutex::new(Vec::<String>::new()));
        let sink = said.clone();
        context.progress =
            ProgressSink::new(move |message| sink.lock().unwrap().push(message.to_string()));
        delete_function(&context, NAME, Duration::from_secs(120))
            .await
            .expect("deleted after the replicas went");
        assert_eq!(paths(&replay), vec![path(), path(), path()]);
        let said = said.lock().unwrap();
        assert_eq!(said.len(), 1, "{said:?}");
        assert!(said[0].contains("replicas"), "{said:?}");
    }

    #[tokio::test]
    async fn replicas_outliving_the_wait_defer_the_delete() {
        let replay = Replay::new(vec![replicated()]);
        let clients = clients(&replay).await;
        let context = harness::context(&clients, "aws_lambda_function", "aws_lambda_function.edge");
        let error = delete_function(&context, NAME, Duration::ZERO)
            .await
            .expect_err("deferred, not deleted");
        assert!(
            matches!(&error, ProviderError::DeleteDeferred(why) if why.contains(NAME)),
            "{error:?}"
        );
        assert_eq!(paths(&replay).len(), 1);
    }

    #[tokio::test]
    async fn other_refusals_are_errors_at_once() {
        let mut refused = replicated();
        refused.body = br#"{"Type":"User","message":"Function is in use"}"#.to_vec();
        refused.headers[1].1 = "ResourceConflictException".to_string();
        let replay = Replay::new(vec![refused]);
        let clients = clients(&replay).await;
        let context = harness::context(&clients, "aws_lambda_function", "aws_lambda_function.edge");
        let error = delete_function(&context, NAME, Duration::from_secs(120))
            .await
            .expect_err("not retried");
        assert_eq!(error.code(), Some("ResourceConflictException"));
        assert_eq!(paths(&replay).len(), 1);
    }
}
