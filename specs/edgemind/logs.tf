# CloudWatch log groups of the two ECS services of the seed (the backend and InfluxDB tasks
# write to them). Retention per environment: var.log_retention_days.

resource "aws_cloudwatch_log_group" "backend" {
  name              = "/ecs/${local.name_prefix}-backend"
  retention_in_days = var.log_retention_days

  tags = merge(local.common_tags, {
    Name = "${local.name_prefix}-backend-logs"
  })
}

resource "aws_cloudwatch_log_group" "influxdb" {
  name              = "/ecs/${local.name_prefix}-influxdb"
  retention_in_days = var.log_retention_days

  tags = merge(local.common_tags, {
    Name = "${local.name_prefix}-influxdb-logs"
  })
}
