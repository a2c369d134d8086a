# Compute stack: an upload to the audio bucket's uploads/ folder triggers the upload handler,
# which queues a processing message; the processor Lambda consumes the queue (failed messages
# go to the dead-letter queue after three tries) and starts the ECS audio processing task.

resource "aws_sqs_queue" "processing_dlq" {
  name                      = "${local.name_prefix}-processing-dlq"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
  tags                      = var.tags
}

resource "aws_sqs_queue" "processing" {
  name                       = "${local.name_prefix}-processing"
  visibility_timeout_seconds = var.queue_visibility_timeout_seconds
  message_retention_seconds  = 345600
  sqs_managed_sse_enabled    = true

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.processing_dlq.arn
    maxReceiveCount     = 3
  })

  tags = var.tags
}

data "archive_file" "upload_handler" {
  type        = "zip"
  source_file = "${path.module}/lambda/upload_handler.js"
  output_path = "${path.module}/.build/upload_handler.zip"
}

data "archive_file" "processor" {
  type        = "zip"
  source_file = "${path.module}/lambda/processor.js"
  output_path = "${path.module}/.build/processor.zip"
}

locals {
  lambda_assume_role = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role" "upload_handler" {
  name               = "${local.name_prefix}-upload-handler"
  path               = "/LittleBit/"
  assume_role_policy = local.lambda_assume_role
  tags               = var.tags
}

resource "aws_iam_role_policy" "upload_handler" {
  name = "queue-and-logs"
  role = aws_iam_role.upload_handler.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["sqs:SendMessage"]
        Resource = [aws_sqs_queue.processing.arn]
      },
      {
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["${aws_cloudwatch_log_group.upload_handler.arn}:*"]
      },
    ]
  })
}

resource "aws_cloudwatch_log_group" "upload_handler" {
  name              = "/aws/lambda/${local.name_prefix}-upload-handler"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_lambda_function" "upload_handler" {
  function_name    = "${local.name_prefix}-upload-handler"
  role             = aws_iam_role.upload_handler.arn
  filename         = data.archive_file.upload_handler.output_path
  source_code_hash = data.archive_file.upload_handler.output_base64sha256
  runtime          = "nodejs20.x"
  handler          = "upload_handler.handler"
  timeout          = 30
  memory_size      = 256

  environment {
    variables = {
      PROCESSING_QUEUE_URL = aws_sqs_queue.processing.url
    }
  }

  tags = var.tags

  depends_on = [aws_cloudwatch_log_group.upload_handler]
}

resource "aws_lambda_permission" "upload_handler_s3" {
  statement_id   = "AllowAudioBucketInvoke"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.upload_handler.function_name
  principal      = "s3.amazonaws.com"
  source_arn     = aws_s3_bucket.audio.arn
  source_account = local.account_id
}

resource "aws_s3_bucket_notification" "audio_uploads" {
  bucket = aws_s3_bucket.audio.id

  lambda_function {
    id                  = "wav-uploads"
    lambda_function_arn = aws_lambda_function.upload_handler.arn
    events              = ["s3:ObjectCreated:*"]
    filter_prefix       = "uploads/"
    filter_suffix       = ".wav"
  }

  lambda_function {
    id                  = "mp3-uploads"
    lambda_function_arn = aws_lambda_function.upload_handler.arn
    events              = ["s3:ObjectCreated:*"]
    filter_prefix       = "uploads/"
    filter_suffix       = ".mp3"
  }

  depends_on = [aws_lambda_permission.upload_handler_s3]
}

# The seed's Lambda ECS role: the processor starts audio processing tasks with it.
resource "aws_iam_role" "processor" {
  name               = "LittleBitLambdaECSRole-${var.environment}"
  path               = "/LittleBit/"
  assume_role_policy = local.lambda_assume_role
  tags               = var.tags
}

resource "aws_iam_role_policy" "processor" {
  name = "process"
  role = aws_iam_role.processor.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
        Resource = [aws_sqs_queue.processing.arn]
      },
      {
        Effect   = "Allow"
        Action   = ["dynamodb:UpdateItem"]
        Resource = [aws_dynamodb_table.samples.arn]
      },
      {
        Effect   = "Allow"
        Action   = ["ecs:RunTask"]
        Resource = [aws_ecs_task_definition.audio_processing.arn_without_revision, "${aws_ecs_task_definition.audio_processing.arn_without_revision}:*"]
      },
      {
        Effect   = "Allow"
        Action   = ["iam:PassRole"]
        Resource = [aws_iam_role.task_execution.arn, aws_iam_role.task.arn]
      },
      {
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["${aws_cloudwatch_log_group.processor.arn}:*"]
      },
    ]
  })
}

resource "aws_cloudwatch_log_group" "processor" {
  name              = "/aws/lambda/${local.name_prefix}-processor"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_lambda_function" "processor" {
  function_name    = "${local.name_prefix}-processor"
  role             = aws_iam_role.processor.arn
  filename         = data.archive_file.processor.output_path
  source_code_hash = data.archive_file.processor.output_base64sha256
  runtime          = "nodejs20.x"
  handler          = "processor.handler"
  timeout          = var.processor_timeout
  memory_size      = var.processor_memory_size

  environment {
    variables = {
      SAMPLES_TABLE       = aws_dynamodb_table.samples.name
      CLUSTER_ARN         = aws_ecs_cluster.audio_processing.arn
      TASK_DEFINITION_ARN = aws_ecs_task_definition.audio_processing.arn
      SUBNET_IDS          = join(",", module.network.private_subnet_ids)
      SECURITY_GROUP_ID   = aws_security_group.audio_processing.id
    }
  }

  tags = var.tags

  depends_on = [aws_cloudwatch_log_group.processor]
}

resource "aws_lambda_event_source_mapping" "processing_queue" {
  event_source_arn        = aws_sqs_queue.processing.arn
  function_name           = aws_lambda_function.processor.arn
  batch_size              = 5
  function_response_types = ["ReportBatchItemFailures"]
}
