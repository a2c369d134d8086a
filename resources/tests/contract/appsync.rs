//! Fixtures of the AppSync types. The GraphQL API (with its schema upload) and its API keys
//! run on moto.

use serde_json::json;

use crate::harness::Fixture;

const SCHEMA: &str = "type Sample {\n  id: ID!\n  name: String\n}\n\ntype Query {\n  getSample(id: ID!): Sample\n}\n\nschema {\n  query: Query\n}\n";

pub fn appsync_graphql_api() -> Fixture {
    Fixture::new("aws_appsync_graphql_api", |created| {
        json!({
            "name": created.name("api"),
            "authentication_type": "API_KEY",
            "schema": SCHEMA,
            "xray_enabled": true,
            "introspection_config": "DISABLED",
            "query_depth_limit": 10,
            "additional_authentication_provider": [
                {"authentication_type": "AWS_IAM"},
                {"authentication_type": "AMAZON_COGNITO_USER_POOLS",
                 "user_pool_config": {"user_pool_id": "us-east-1_ctPool01",
                                      "app_id_client_regex": "^ct-.*"}},
                {"authentication_type": "OPENID_CONNECT",
                 "openid_connect_config": {"issuer": "https://issuer.example.com",
                                           "client_id": "ct-client", "auth_ttl": 3600}},
                {"authentication_type": "AWS_LAMBDA",
                 "lambda_authorizer_config": {
                     "authorizer_uri": "arn:aws:lambda:us-east-1:123456789012:function:ct-auth",
                     "authorizer_result_ttl_in_seconds": 60}}
            ],
            "log_config": {"cloudwatch_logs_role_arn": "arn:aws:iam::123456789012:role/ct-appsync-logs",
                           "field_log_level": "ERROR"},
            "tags": {"Name": created.name("api")}
        })
    })
}

pub fn appsync_api_key() -> Fixture {
    Fixture::new("aws_appsync_api_key", |created| {
        json!({"api_id": created.id("aws_appsync_graphql_api"), "description": "contract key"})
    })
    .needs(&[appsync_graphql_api])
}
