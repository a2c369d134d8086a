# ECS processing stack (seed 001): the Fargate cluster little-bit-audio-processing-<env> in
# private subnets behind a NAT gateway, its ECR repository (scanned on push, lifecycle-managed),
# the task execution and task roles, the log group kept 30 days, the task definition and the
# service on Fargate Spot.

locals {
  audio_name = "little-bit-audio-processing-${var.environment}"
}

module "network" {
  source = "../modules/network"

  name_prefix        = "${local.name_prefix}-audio"
  vpc_cidr           = var.vpc_cidr
  availability_zones = var.availability_zones
  tags               = var.tags
}

# Tasks take no inbound traffic; outbound goes through the NAT gateway (ECR, S3, DynamoDB).
resource "aws_security_group" "audio_processing" {
  name        = "${local.audio_name}-tasks"
  description = "Little Bit audio processing tasks: no inbound, all outbound"
  vpc_id      = module.network.vpc_id

  egress {
    description = "All outbound traffic"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = merge(var.tags, {
    Name = "${local.audio_name}-tasks"
  })
}

resource "aws_ecs_cluster" "audio_processing" {
  name = local.audio_name

  setting {
    name  = "containerInsights"
    value = local.is_prod ? "enabled" : "disabled"
  }

  tags = var.tags
}

resource "aws_ecs_cluster_capacity_providers" "audio_processing" {
  cluster_name       = aws_ecs_cluster.audio_processing.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE_SPOT"
    weight            = 1
  }
}

resource "aws_ecr_repository" "audio_processing" {
  name                 = "little-bit/audio-processing-${var.environment}"
  image_tag_mutability = "MUTABLE"
  force_delete         = !local.is_prod

  image_scanning_configuration {
    scan_on_push = true
  }

  tags = var.tags
}

resource "aws_ecr_lifecycle_policy" "audio_processing" {
  repository = aws_ecr_repository.audio_processing.name
  policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "Expire untagged images after 7 days"
        selection = {
          tagStatus   = "untagged"
          countType   = "sinceImagePushed"
          countUnit   = "days"
          countNumber = 7
        }
        action = { type = "expire" }
      },
      {
        rulePriority = 2
        description  = "Keep the last 10 images"
        selection = {
          tagStatus   = "any"
          countType   = "imageCountMoreThan"
          countNumber = 10
        }
        action = { type = "expire" }
      },
    ]
  })
}

resource "aws_cloudwatch_log_group" "audio_processing" {
  name              = "/ecs/${local.audio_name}"
  retention_in_days = 30
  tags              = var.tags
}

locals {
  ecs_tasks_assume_role = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

# Pulls the image and writes the logs.
resource "aws_iam_role" "task_execution" {
  name               = "LittleBitECSTaskExecutionRole-${var.environment}"
  path               = "/LittleBit/"
  assume_role_policy = local.ecs_tasks_assume_role
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "task_execution" {
  role       = aws_iam_role.task_execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

# What the container itself may do: read uploads and write results in the audio bucket, update
# the samples table.
resource "aws_iam_role" "task" {
  name               = "LittleBitECSTaskRole-${var.environment}"
  path               = "/LittleBit/"
  assume_role_policy = local.ecs_tasks_assume_role
  tags               = var.tags
}

resource "aws_iam_role_policy" "task" {
  name = "audio-processing"
  role = aws_iam_role.task.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = ["${aws_s3_bucket.audio.arn}/uploads/*"]
      },
      {
        Effect   = "Allow"
        Action   = ["s3:PutObject"]
        Resource = ["${aws_s3_bucket.audio.arn}/processed/*", "${aws_s3_bucket.audio.arn}/debug/*"]
      },
      {
        Effect   = "Allow"
        Action   = ["dynamodb:UpdateItem"]
        Resource = [aws_dynamodb_table.samples.arn]
      },
    ]
  })
}

resource "aws_ecs_task_definition" "audio_processing" {
  family                   = local.audio_name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.task_cpu
  memory                   = var.task_memory
  execution_role_arn       = aws_iam_role.task_execution.arn
  task_role_arn            = aws_iam_role.task.arn

  container_definitions = jsonencode([{
    name      = "audio-processing"
    image     = "${aws_ecr_repository.audio_processing.repository_url}:${var.audio_image_tag}"
    essential = true
    environment = [
      { name = "AWS_REGION", value = var.region },
      { name = "AUDIO_BUCKET", value = aws_s3_bucket.audio.bucket },
      { name = "SAMPLES_TABLE", value = aws_dynamodb_table.samples.name },
    ]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.audio_processing.name
        awslogs-region        = var.region
        awslogs-stream-prefix = "audio"
      }
    }
  }])

  tags = var.tags
}

resource "aws_ecs_service" "audio_processing" {
  name            = local.audio_name
  cluster         = aws_ecs_cluster.audio_processing.id
  task_definition = aws_ecs_task_definition.audio_processing.arn
  desired_count   = var.service_desired_count

  capacity_provider_strategy {
    capacity_provider = "FARGATE_SPOT"
    weight            = 1
  }

  network_configuration {
    subnets          = module.network.private_subnet_ids
    security_groups  = [aws_security_group.audio_processing.id]
    assign_public_ip = false
  }

  tags = var.tags

  depends_on = [aws_ecs_cluster_capacity_providers.audio_processing]
}
