# ECS: one Fargate cluster, the InfluxDB 2.7 database service (EFS volume, Cloud Map name
# influxdb.<project>.local) and the backend service (behind the ALB target group, secrets from
# Secrets Manager). Task definitions are replaced create-before-destroy: a new image registers a
# new revision, the service moves to it, and only then is the old revision deregistered.

resource "aws_ecs_cluster" "main" {
  name = "${local.name_prefix}-cluster"

  setting {
    name  = "containerInsights"
    value = var.container_insights ? "enabled" : "disabled"
  }

  tags = merge(local.common_tags, {
    Name = "${local.name_prefix}-cluster"
  })
}

resource "aws_ecs_cluster_capacity_providers" "main" {
  cluster_name       = aws_ecs_cluster.main.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
    base              = 1
  }
}

locals {
  backend_image = var.backend_image != "" ? var.backend_image : "${aws_ecr_repository.backend.repository_url}:latest"
}

# --- Database: InfluxDB 2.7 on Fargate, data on EFS ------------------------------------------

resource "aws_ecs_task_definition" "influxdb" {
  family                   = "${local.name_prefix}-influxdb"
  cpu                      = 512
  memory                   = 1024
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  execution_role_arn       = aws_iam_role.task_execution.arn
  task_role_arn            = aws_iam_role.influxdb_task.arn

  container_definitions = jsonencode([
    {
      name         = "influxdb"
      image        = var.influxdb_image
      essential    = true
      portMappings = [{ containerPort = 8086, protocol = "tcp" }]
      environment = [
        { name = "DOCKER_INFLUXDB_INIT_MODE", value = "setup" },
        { name = "DOCKER_INFLUXDB_INIT_USERNAME", value = "admin" },
      ]
      secrets = [
        { name = "DOCKER_INFLUXDB_INIT_PASSWORD", valueFrom = "${aws_secretsmanager_secret.influxdb.arn}:admin_password::" },
        { name = "DOCKER_INFLUXDB_INIT_ADMIN_TOKEN", valueFrom = "${aws_secretsmanager_secret.influxdb.arn}:token::" },
        { name = "DOCKER_INFLUXDB_INIT_ORG", valueFrom = "${aws_secretsmanager_secret.influxdb.arn}:org::" },
        { name = "DOCKER_INFLUXDB_INIT_BUCKET", valueFrom = "${aws_secretsmanager_secret.influxdb.arn}:bucket::" },
      ]
      mountPoints = [{ sourceVolume = "influxdb-data", containerPath = "/var/lib/influxdb2", readOnly = false }]
      healthCheck = {
        command     = ["CMD-SHELL", "curl -f http://localhost:8086/health || exit 1"]
        interval    = 30
        timeout     = 5
        retries     = 3
        startPeriod = 60
      }
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.influxdb.name
          "awslogs-region"        = var.region
          "awslogs-stream-prefix" = "influxdb"
        }
      }
    }
  ])

  volume {
    name = "influxdb-data"

    efs_volume_configuration {
      file_system_id     = aws_efs_file_system.influxdb.id
      transit_encryption = "ENABLED"

      authorization_config {
        access_point_id = aws_efs_access_point.influxdb.id
        iam             = "ENABLED"
      }
    }
  }

  tags = merge(local.common_tags, {
    Name = "${local.name_prefix}-influxdb"
  })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_ecs_service" "influxdb" {
  name                   = "${local.name_prefix}-influxdb"
  cluster                = aws_ecs_cluster.main.id
  task_definition        = aws_ecs_task_definition.influxdb.arn
  desired_count          = var.influxdb_desired_count
  launch_type            = "FARGATE"
  propagate_tags         = "SERVICE"
  enable_execute_command = false

  # One writer on the EFS volume: stop the old task before starting the new one.
  deployment_minimum_healthy_percent = 0
  deployment_maximum_percent         = 100

  network_configuration {
    subnets          = module.network.private_subnet_ids
    security_groups  = [aws_security_group.influxdb.id]
    assign_public_ip = false
  }

  service_registries {
    registry_arn = aws_service_discovery_service.influxdb.arn
  }

  tags = merge(local.common_tags, {
    Name = "${local.name_prefix}-influxdb"
  })

  depends_on = [aws_ecs_cluster_capacity_providers.main, aws_efs_mount_target.influxdb]
}

# --- Backend: Node.js server, 2 tasks behind the ALB -----------------------------------------

resource "aws_ecs_task_definition" "backend" {
  family                   = "${local.name_prefix}-backend"
  cpu                      = 512
  memory                   = 1024
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  execution_role_arn       = aws_iam_role.task_execution.arn
  task_role_arn            = aws_iam_role.backend_task.arn

  container_definitions = jsonencode([
    {
      name         = "backend"
      image        = local.backend_image
      essential    = true
      portMappings = [{ containerPort = 3000, protocol = "tcp" }]
      environment = [
        { name = "NODE_ENV", value = var.environment == "prod" ? "production" : "development" },
        { name = "PORT", value = "3000" },
        { name = "AWS_REGION", value = var.region },
        { name = "INFLUXDB_URL", value = "http://influxdb.${var.project}.local:8086" },
      ]
      secrets = [
        { name = "MQTT_HOST", valueFrom = "${aws_secretsmanager_secret.mqtt.arn}:host::" },
        { name = "MQTT_USERNAME", valueFrom = "${aws_secretsmanager_secret.mqtt.arn}:username::" },
        { name = "MQTT_PASSWORD", valueFrom = "${aws_secretsmanager_secret.mqtt.arn}:password::" },
        { name = "INFLUXDB_TOKEN", valueFrom = "${aws_secretsmanager_secret.influxdb.arn}:token::" },
        { name = "INFLUXDB_ORG", valueFrom = "${aws_secretsmanager_secret.influxdb.arn}:org::" },
        { name = "INFLUXDB_BUCKET", valueFrom = "${aws_secretsmanager_secret.influxdb.arn}:bucket::" },
      ]
      healthCheck = {
        command     = ["CMD-SHELL", "wget -qO- http://localhost:3000/health || exit 1"]
        interval    = 30
        timeout     = 5
        retries     = 3
        startPeriod = 30
      }
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.backend.name
          "awslogs-region"        = var.region
          "awslogs-stream-prefix" = "backend"
        }
      }
    }
  ])

  tags = merge(local.common_tags, {
    Name = "${local.name_prefix}-backend"
  })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_ecs_service" "backend" {
  name                              = "${local.name_prefix}-backend"
  cluster                           = aws_ecs_cluster.main.id
  task_definition                   = aws_ecs_task_definition.backend.arn
  desired_count                     = var.backend_desired_count
  launch_type                       = "FARGATE"
  health_check_grace_period_seconds = 60
  propagate_tags                    = "SERVICE"
  enable_execute_command            = false

  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = module.network.private_subnet_ids
    security_groups  = [aws_security_group.backend.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.backend.arn
    container_name   = "backend"
    container_port   = 3000
  }

  tags = merge(local.common_tags, {
    Name = "${local.name_prefix}-backend"
  })

  # The target group must be attached to a load balancer (through a listener) first.
  depends_on = [aws_ecs_cluster_capacity_providers.main, aws_lb_listener.http]
}
