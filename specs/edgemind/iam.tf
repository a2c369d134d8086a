# IAM of the ECS tasks: the execution role (pulls images, writes logs, reads the two secrets
# into the containers), the backend task role (Bedrock InvokeModel on Claude Sonnet 4, the two
# secrets) and the InfluxDB task role.

locals {
  secret_arns = [
    aws_secretsmanager_secret.mqtt.arn,
    aws_secretsmanager_secret.influxdb.arn,
  ]
}

# Trust policy written as a heredoc: compared by meaning with what IAM returns.
resource "aws_iam_role" "task_execution" {
  name        = "${local.name_prefix}-task-execution"
  description = "ECS task execution role of EdgeMind (image pulls, logs, secrets)"

  assume_role_policy = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Principal": { "Service": "ecs-tasks.amazonaws.com" },
          "Action": "sts:AssumeRole"
        }
      ]
    }
  POLICY

  tags = merge(local.common_tags, {
    Name = "${local.name_prefix}-task-execution"
  })
}

resource "aws_iam_role_policy_attachment" "task_execution_managed" {
  role       = aws_iam_role.task_execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role_policy" "task_execution_secrets" {
  name = "read-secrets"
  role = aws_iam_role.task_execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = local.secret_arns
      }
    ]
  })
}

# Trust policy written with jsonencode.
resource "aws_iam_role" "backend_task" {
  name                 = "${local.name_prefix}-backend-task"
  description          = "Task role of the EdgeMind backend (Bedrock, secrets)"
  max_session_duration = 3600
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { Service = "ecs-tasks.amazonaws.com" }
        Action    = "sts:AssumeRole"
      }
    ]
  })

  tags = merge(local.common_tags, {
    Name = "${local.name_prefix}-backend-task"
  })
}

resource "aws_iam_policy" "backend_bedrock" {
  name        = "${local.name_prefix}-backend-bedrock"
  description = "Lets the EdgeMind backend invoke Claude Sonnet 4 on Bedrock"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "InvokeClaude"
        Effect   = "Allow"
        Action   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
        Resource = [var.bedrock_model_arn]
      }
    ]
  })

  tags = local.common_tags
}

resource "aws_iam_role_policy_attachment" "backend_bedrock" {
  role       = aws_iam_role.backend_task.name
  policy_arn = aws_iam_policy.backend_bedrock.arn
}

resource "aws_iam_role_policy" "backend_secrets" {
  name   = "read-secrets"
  role   = aws_iam_role.backend_task.id
  policy = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "ReadEdgeMindSecrets",
          "Effect": "Allow",
          "Action": "secretsmanager:GetSecretValue",
          "Resource": ${jsonencode(local.secret_arns)}
        }
      ]
    }
  POLICY
}

resource "aws_iam_role" "influxdb_task" {
  name = "${local.name_prefix}-influxdb-task"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { Service = "ecs-tasks.amazonaws.com" }
        Action    = "sts:AssumeRole"
      }
    ]
  })

  tags = merge(local.common_tags, {
    Name = "${local.name_prefix}-influxdb-task"
  })
}
