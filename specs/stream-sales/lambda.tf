# The server Lambda (lambda/server.zip, see lambda/README.md) in the private subnets, reached
# through its function URL, which CloudFront fronts (cdn.tf). It reads its secrets by ARN at run
# time; no secret value is in its configuration.

resource "aws_iam_role" "server" {
  name = "${local.name_prefix}-server"
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

# Logs, and the network interfaces a function in a VPC needs.
resource "aws_iam_role_policy_attachment" "server_vpc_access" {
  role       = aws_iam_role.server.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

resource "aws_iam_role_policy" "server_access" {
  name = "${local.name_prefix}-server-access"
  role = aws_iam_role.server.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "ReadSecrets"
        Effect = "Allow"
        Action = ["secretsmanager:GetSecretValue"]
        Resource = [
          aws_secretsmanager_secret.database.arn,
          aws_secretsmanager_secret.jwt.arn,
          aws_secretsmanager_secret.encryption_key.arn,
        ]
      },
      {
        Sid      = "ProductImages"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
        Resource = ["${aws_s3_bucket.images.arn}/*"]
      },
      {
        Sid      = "ListProductImages"
        Effect   = "Allow"
        Action   = ["s3:ListBucket"]
        Resource = [aws_s3_bucket.images.arn]
      },
    ]
  })
}

resource "aws_cloudwatch_log_group" "server" {
  name              = "/aws/lambda/${local.name_prefix}-server"
  retention_in_days = var.log_retention_days

  tags = var.tags
}

resource "aws_lambda_function" "server" {
  function_name    = "${local.name_prefix}-server"
  description      = "Stream Sales server (${var.environment})"
  role             = aws_iam_role.server.arn
  filename         = "${path.module}/lambda/server.zip"
  source_code_hash = filebase64sha256("${path.module}/lambda/server.zip")
  runtime          = "nodejs20.x"
  handler          = "index.handler"
  memory_size      = var.lambda_memory_size
  timeout          = var.lambda_timeout

  environment {
    variables = {
      NODE_ENV                  = "production"
      APP_ENVIRONMENT           = var.environment
      DATABASE_SECRET_ARN       = aws_secretsmanager_secret.database.arn
      JWT_SECRET_ARN            = aws_secretsmanager_secret.jwt.arn
      ENCRYPTION_KEY_SECRET_ARN = aws_secretsmanager_secret.encryption_key.arn
      IMAGES_BUCKET             = aws_s3_bucket.images.bucket
    }
  }

  vpc_config {
    subnet_ids         = module.network.private_subnet_ids
    security_group_ids = [aws_security_group.lambda.id]
  }

  tags = merge(var.tags, {
    Name = "${local.name_prefix}-server"
  })

  depends_on = [
    aws_cloudwatch_log_group.server,
    aws_iam_role_policy_attachment.server_vpc_access,
  ]
}

resource "aws_lambda_function_url" "server" {
  function_name      = aws_lambda_function.server.function_name
  authorization_type = "NONE"
}

resource "aws_lambda_permission" "server_url" {
  statement_id           = "AllowFunctionUrlInvoke"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.server.function_name
  principal              = "*"
  function_url_auth_type = "NONE"
}
