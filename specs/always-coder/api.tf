# API stack: the WebSocket API (routes $connect, $disconnect, $default to three Lambda
# handlers), the three DynamoDB tables with their GSIs and a 24-hour TTL, and the optional
# Cognito user pool (var.enable_auth). Each handler's role allows only what it does.

locals {
  record_ttl_seconds = var.record_ttl_hours * 3600

  handlers = {
    connect    = { route_key = "$connect", description = "Records a connection" }
    disconnect = { route_key = "$disconnect", description = "Forgets a connection" }
    message    = { route_key = "$default", description = "Relays encrypted messages" }
  }
}

resource "aws_dynamodb_table" "connections" {
  name         = "${local.name_prefix}-connections"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "connectionId"

  attribute {
    name = "connectionId"
    type = "S"
  }

  attribute {
    name = "sessionId"
    type = "S"
  }

  global_secondary_index {
    name            = "sessionId-index"
    hash_key        = "sessionId"
    projection_type = "ALL"
  }

  ttl {
    attribute_name = "ttl"
    enabled        = true
  }

  tags = var.tags
}

resource "aws_dynamodb_table" "sessions" {
  name         = "${local.name_prefix}-sessions"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "sessionId"

  attribute {
    name = "sessionId"
    type = "S"
  }

  attribute {
    name = "userId"
    type = "S"
  }

  global_secondary_index {
    name            = "userId-index"
    hash_key        = "userId"
    projection_type = "ALL"
  }

  ttl {
    attribute_name = "ttl"
    enabled        = true
  }

  tags = var.tags
}

resource "aws_dynamodb_table" "messages" {
  name         = "${local.name_prefix}-messages"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "sessionId"
  range_key    = "timestamp"

  attribute {
    name = "sessionId"
    type = "S"
  }

  attribute {
    name = "timestamp"
    type = "N"
  }

  ttl {
    attribute_name = "ttl"
    enabled        = true
  }

  tags = var.tags
}

# --- Optional sign-in ----------------------------------------------------------------------------

resource "aws_cognito_user_pool" "main" {
  count = var.enable_auth ? 1 : 0

  name                     = "${local.name_prefix}-users"
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]

  password_policy {
    minimum_length    = 12
    require_lowercase = true
    require_uppercase = true
    require_numbers   = true
    require_symbols   = false
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }

  tags = var.tags
}

resource "aws_cognito_user_pool_client" "web" {
  count = var.enable_auth ? 1 : 0

  name                          = "${local.name_prefix}-web"
  user_pool_id                  = aws_cognito_user_pool.main[0].id
  generate_secret               = false
  prevent_user_existence_errors = "ENABLED"
  explicit_auth_flows           = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
}

locals {
  user_pool_id        = var.enable_auth ? aws_cognito_user_pool.main[0].id : ""
  user_pool_client_id = var.enable_auth ? aws_cognito_user_pool_client.web[0].id : ""
}

# --- Handlers ------------------------------------------------------------------------------------

data "archive_file" "handler" {
  for_each = local.handlers

  type        = "zip"
  source_file = "${path.module}/lambda/${each.key}.js"
  output_path = "${path.module}/.build/${each.key}.zip"
}

resource "aws_iam_role" "handler" {
  for_each = local.handlers

  name = "${local.name_prefix}-${each.key}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })

  tags = var.tags
}

resource "aws_cloudwatch_log_group" "handler" {
  for_each = local.handlers

  name              = "/aws/lambda/${local.name_prefix}-${each.key}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

locals {
  # Least privilege: each handler's table actions, nothing more.
  handler_statements = {
    connect = [{
      Effect   = "Allow"
      Action   = ["dynamodb:PutItem"]
      Resource = [aws_dynamodb_table.connections.arn]
    }]
    disconnect = [{
      Effect   = "Allow"
      Action   = ["dynamodb:DeleteItem"]
      Resource = [aws_dynamodb_table.connections.arn]
    }]
    message = [
      {
        Effect   = "Allow"
        Action   = ["dynamodb:Query"]
        Resource = ["${aws_dynamodb_table.connections.arn}/index/sessionId-index"]
      },
      {
        Effect   = "Allow"
        Action   = ["dynamodb:UpdateItem"]
        Resource = [aws_dynamodb_table.sessions.arn]
      },
      {
        Effect   = "Allow"
        Action   = ["dynamodb:PutItem"]
        Resource = [aws_dynamodb_table.messages.arn]
      },
      {
        Effect   = "Allow"
        Action   = ["execute-api:ManageConnections"]
        Resource = ["${aws_apigatewayv2_api.websocket.execution_arn}/${var.stage_name}/POST/@connections/*"]
      },
    ]
  }
}

resource "aws_iam_role_policy" "handler" {
  for_each = local.handlers

  name = "${each.key}-handler"
  role = aws_iam_role.handler[each.key].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(local.handler_statements[each.key], [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = ["${aws_cloudwatch_log_group.handler[each.key].arn}:*"]
    }])
  })
}

resource "aws_lambda_function" "handler" {
  for_each = local.handlers

  function_name    = "${local.name_prefix}-${each.key}"
  description      = each.value.description
  role             = aws_iam_role.handler[each.key].arn
  filename         = data.archive_file.handler[each.key].output_path
  source_code_hash = data.archive_file.handler[each.key].output_base64sha256
  runtime          = "nodejs20.x"
  handler          = "${each.key}.handler"
  timeout          = var.handler_timeout
  memory_size      = var.handler_memory_size

  environment {
    variables = {
      CONNECTIONS_TABLE    = aws_dynamodb_table.connections.name
      SESSIONS_TABLE       = aws_dynamodb_table.sessions.name
      MESSAGES_TABLE       = aws_dynamodb_table.messages.name
      COGNITO_USER_POOL_ID = local.user_pool_id
      RECORD_TTL_SECONDS   = tostring(local.record_ttl_seconds)
    }
  }

  tags = var.tags

  depends_on = [aws_cloudwatch_log_group.handler]
}

# --- WebSocket API -------------------------------------------------------------------------------

resource "aws_apigatewayv2_api" "websocket" {
  name                       = "${local.name_prefix}-websocket"
  description                = "Always Coder relay between the CLI and the web client"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
  tags                       = var.tags
}

resource "aws_apigatewayv2_integration" "handler" {
  for_each = local.handlers

  api_id             = aws_apigatewayv2_api.websocket.id
  integration_type   = "AWS_PROXY"
  integration_method = "POST"
  integration_uri    = aws_lambda_function.handler[each.key].invoke_arn
}

resource "aws_apigatewayv2_route" "handler" {
  for_each = local.handlers

  api_id             = aws_apigatewayv2_api.websocket.id
  route_key          = each.value.route_key
  authorization_type = "NONE"
  target             = "integrations/${aws_apigatewayv2_integration.handler[each.key].id}"
}

resource "aws_lambda_permission" "handler" {
  for_each = local.handlers

  statement_id  = "AllowWebSocketInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.handler[each.key].function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.websocket.execution_arn}/*/${each.value.route_key}"
}

resource "aws_cloudwatch_log_group" "stage" {
  name              = "/aws/apigateway/${local.name_prefix}-websocket"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

# Auto deploy: a route added or changed is deployed to the stage by API Gateway itself.
resource "aws_apigatewayv2_stage" "main" {
  api_id      = aws_apigatewayv2_api.websocket.id
  name        = var.stage_name
  auto_deploy = true

  default_route_settings {
    throttling_rate_limit  = var.throttling_rate_limit
    throttling_burst_limit = var.throttling_burst_limit
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.stage.arn
    format = jsonencode({
      requestId    = "$context.requestId"
      connectionId = "$context.connectionId"
      routeKey     = "$context.routeKey"
      status       = "$context.status"
      requestTime  = "$context.requestTime"
    })
  }

  tags = var.tags

  depends_on = [aws_apigatewayv2_route.handler]
}
