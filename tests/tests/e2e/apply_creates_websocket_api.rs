//! A WebSocket API (API Gateway v2) in front of a Lambda function, end to end against the
//! emulator: `$connect`, `$disconnect` and `$default` routes to `AWS_PROXY` integrations of
//! the function, an auto-deployed `prod` stage and the Lambda permission for API Gateway.
//! Everything is read back with direct API Gateway v2 / Lambda calls, a second plan is clean,
//! a route added later is one create (nothing else changes), and destroy leaves nothing.

use provision_e2e::{json_output, text, Cloud, MotoServer, Workspace};

const SPEC: &str = r#"
locals {
  routes = {
    connect    = "$connect"
    disconnect = "$disconnect"
    default    = "$default"
  }
}

data "archive_file" "code" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/build/code.zip"
}

resource "aws_iam_role" "chat" {
  name = "websocket-chat"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_lambda_function" "chat" {
  function_name    = "websocket-chat"
  role             = aws_iam_role.chat.arn
  filename         = data.archive_file.code.output_path
  source_code_hash = data.archive_file.code.output_base64sha256
  runtime          = "nodejs20.x"
  handler          = "index.handler"
}

resource "aws_apigatewayv2_api" "chat" {
  name                       = "websocket-chat"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
  description                = "Chat over WebSocket"
  tags                       = { Name = "websocket-chat" }
}

resource "aws_apigatewayv2_integration" "chat" {
  for_each                  = local.routes
  api_id                    = aws_apigatewayv2_api.chat.id
  integration_type          = "AWS_PROXY"
  integration_uri           = aws_lambda_function.chat.invoke_arn
  integration_method        = "POST"
  content_handling_strategy = "CONVERT_TO_TEXT"
  passthrough_behavior      = "WHEN_NO_MATCH"
}

resource "aws_apigatewayv2_route" "chat" {
  for_each  = local.routes
  api_id    = aws_apigatewayv2_api.chat.id
  route_key = each.value
  target    = "integrations/${aws_apigatewayv2_integration.chat[each.key].id}"
}

resource "aws_apigatewayv2_stage" "prod" {
  api_id      = aws_apigatewayv2_api.chat.id
  name        = "prod"
  auto_deploy = true

  default_route_settings {
    throttling_burst_limit = 50
    throttling_rate_limit  = 100
  }

  tags = { Name = "websocket-chat-prod" }
}

resource "aws_lambda_permission" "apigateway" {
  statement_id  = "AllowAPIGatewayInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.chat.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.chat.execution_arn}/*/*"
}

output "invoke_url" {
  value = aws_apigatewayv2_stage.prod.invoke_url
}
"#;

/// A custom route added to the running API, on the `$default` integration.
const SEND_ROUTE: &str = r#"
resource "aws_apigatewayv2_route" "send" {
  api_id         = aws_apigatewayv2_api.chat.id
  route_key      = "sendmessage"
  target         = "integrations/${aws_apigatewayv2_integration.chat["default"].id}"
  operation_name = "SendMessage"
}
"#;

const HANDLER: &str =
    "exports.handler = async (event) => ({ statusCode: 200, body: event.body || \"\" });\n";

fn summary(workspace: &Workspace, spec: &str) -> serde_json::Value {
    json_output(&workspace.run_expecting(&["plan", spec, "--json"], 0))["summary"].clone()
}

fn chat_api(cloud: &Cloud) -> Option<aws_sdk_apigatewayv2::types::Api> {
    cloud
        .block_on(cloud.apigatewayv2.get_apis().send())
        .expect("GetApis")
        .items()
        .iter()
        .find(|api| api.name() == Some("websocket-chat"))
        .cloned()
}

#[test]
fn websocket_api_routes_to_lambda_and_gains_a_route_in_place() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let spec_dir = workspace.directory.path().join("specs").join("websocket");
    std::fs::create_dir_all(spec_dir.join("src")).expect("spec folder");
    std::fs::write(spec_dir.join("main.tf"), SPEC).expect("write the spec");
    std::fs::write(spec_dir.join("src/index.js"), HANDLER).expect("write the handler");
    let spec = spec_dir.to_str().expect("UTF-8 path").to_string();

    let apply = workspace.run_expecting(&["apply", &spec, "--yes"], 0);
    assert!(
        text(&apply).contains("Apply complete! Resources: 11 added"),
        "{}",
        text(&apply)
    );

    // The API, as API Gateway holds it.
    let api = chat_api(&cloud).expect("the WebSocket API exists");
    let api_id = api.api_id().expect("api id").to_string();
    assert_eq!(api.protocol_type().map(|p| p.as_str()), Some("WEBSOCKET"));
    assert_eq!(
        api.route_selection_expression(),
        Some("$request.body.action")
    );
    assert_eq!(api.description(), Some("Chat over WebSocket"));
    let tags = api.tags().expect("api tags");
    assert_eq!(tags.get("Name").map(String::as_str), Some("websocket-chat"));
    assert!(tags.contains_key("provision:stack"), "{tags:?}");

    // Three routes, each to an AWS_PROXY integration of the function.
    let function = cloud
        .lambda_function("websocket-chat")
        .expect("the function exists");
    let function_arn = function.function_arn().expect("function ARN").to_string();
    let integrations = cloud
        .block_on(cloud.apigatewayv2.get_integrations().api_id(&api_id).send())
        .expect("GetIntegrations");
    assert_eq!(integrations.items().len(), 3, "{integrations:?}");
    for integration in integrations.items() {
        assert_eq!(
            integration.integration_type().map(|t| t.as_str()),
            Some("AWS_PROXY")
        );
        assert!(
            integration
                .integration_uri()
                .is_some_and(|uri| uri.contains(&function_arn)),
            "{integration:?}"
        );
    }
    let routes = cloud
        .block_on(cloud.apigatewayv2.get_routes().api_id(&api_id).send())
        .expect("GetRoutes");
    let mut keys: Vec<&str> = routes
        .items()
        .iter()
        .filter_map(|route| route.route_key())
        .collect();
    keys.sort();
    assert_eq!(keys, ["$connect", "$default", "$disconnect"]);
    for route in routes.items() {
        let target = route.target().expect("a route target");
        let integration_id = target
            .strip_prefix("integrations/")
            .expect("integrations/ID");
        assert!(
            integrations
                .items()
                .iter()
                .any(|integration| integration.integration_id() == Some(integration_id)),
            "{target} names none of the API's integrations"
        );
    }

    // The auto-deployed stage and what it answers.
    let stage = cloud
        .block_on(
            cloud
                .apigatewayv2
                .get_stage()
                .api_id(&api_id)
                .stage_name("prod")
                .send(),
        )
        .expect("GetStage prod");
    assert_eq!(stage.auto_deploy(), Some(true));
    let throttling = stage
        .default_route_settings()
        .expect("default route settings");
    assert_eq!(throttling.throttling_burst_limit(), Some(50));
    assert_eq!(throttling.throttling_rate_limit(), Some(100.0));
    let invoke_url = text(&workspace.run_expecting(&["output", "invoke_url", &spec], 0));
    assert!(
        invoke_url.contains(&format!(
            "wss://{api_id}.execute-api.us-east-1.amazonaws.com/prod"
        )),
        "{invoke_url}"
    );

    // API Gateway may invoke the function, from this API only.
    let policy = cloud
        .block_on(
            cloud
                .lambda
                .get_policy()
                .function_name("websocket-chat")
                .send(),
        )
        .expect("function policy");
    let policy = policy.policy().unwrap_or_default();
    assert!(policy.contains("apigateway.amazonaws.com"), "{policy}");
    assert!(
        policy.contains(":execute-api:us-east-1:") && policy.contains(&api_id),
        "{policy}"
    );

    // A second plan is clean.
    workspace.run_expecting(&["plan", &spec, "--exit-code"], 0);

    // A new route: one create, the API, its stage and the other routes stay as they are.
    let mut main = std::fs::read_to_string(spec_dir.join("main.tf")).expect("read the spec");
    main.push_str(SEND_ROUTE);
    std::fs::write(spec_dir.join("main.tf"), main).expect("add the route");
    assert_eq!(
        summary(&workspace, &spec),
        serde_json::json!({"import": 0, "add": 1, "change": 0, "destroy": 0})
    );
    let apply = workspace.run_expecting(&["apply", &spec, "--yes"], 0);
    assert!(
        text(&apply).contains("Resources: 1 added, 0 changed, 0 destroyed"),
        "{}",
        text(&apply)
    );
    let routes = cloud
        .block_on(cloud.apigatewayv2.get_routes().api_id(&api_id).send())
        .expect("GetRoutes");
    let send = routes
        .items()
        .iter()
        .find(|route| route.route_key() == Some("sendmessage"))
        .expect("the sendmessage route");
    assert_eq!(send.operation_name(), Some("SendMessage"));
    assert_eq!(routes.items().len(), 4);
    assert_eq!(
        chat_api(&cloud).and_then(|api| api.api_id().map(str::to_string)),
        Some(api_id.clone()),
        "the API is the same one"
    );
    workspace.run_expecting(&["plan", &spec, "--exit-code"], 0);

    let destroy = workspace.run_expecting(&["destroy", &spec, "--yes"], 0);
    assert!(
        text(&destroy).contains("Destroy complete!"),
        "{}",
        text(&destroy)
    );
    assert!(chat_api(&cloud).is_none(), "the API is gone");
    assert!(cloud.lambda_function("websocket-chat").is_none());
}
