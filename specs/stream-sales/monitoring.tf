# Production alarms of the seed, mailed to alarm_email (none in dev and staging, or without an
# address). The email subscription stays "pending confirmation" until the recipient confirms it.

locals {
  alarms_enabled = local.is_production && var.alarm_email != ""
  alarm_count    = local.alarms_enabled ? 1 : 0
}

resource "aws_sns_topic" "alarms" {
  count = local.alarm_count

  name         = "${local.name_prefix}-alarms"
  display_name = "Stream Sales ${var.environment} alarms"

  tags = var.tags
}

resource "aws_sns_topic_subscription" "alarm_email" {
  count = local.alarm_count

  topic_arn = aws_sns_topic.alarms[0].arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

# Database CPU above 80 % for 2 periods of 5 minutes.
resource "aws_cloudwatch_metric_alarm" "database_cpu" {
  count = local.alarm_count

  alarm_name          = "${local.name_prefix}-database-cpu"
  alarm_description   = "Aurora CPU above 80% for 2 periods"
  namespace           = "AWS/RDS"
  metric_name         = "CPUUtilization"
  dimensions          = { DBClusterIdentifier = aws_rds_cluster.main.cluster_identifier }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = 80
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms[0].arn]
  ok_actions          = [aws_sns_topic.alarms[0].arn]

  tags = var.tags
}

# More than 90 database connections.
resource "aws_cloudwatch_metric_alarm" "database_connections" {
  count = local.alarm_count

  alarm_name          = "${local.name_prefix}-database-connections"
  alarm_description   = "Aurora connections above 90"
  namespace           = "AWS/RDS"
  metric_name         = "DatabaseConnections"
  dimensions          = { DBClusterIdentifier = aws_rds_cluster.main.cluster_identifier }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 90
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms[0].arn]
  ok_actions          = [aws_sns_topic.alarms[0].arn]

  tags = var.tags
}

# More than 10 Lambda errors in each of 2 periods of 5 minutes.
resource "aws_cloudwatch_metric_alarm" "lambda_errors" {
  count = local.alarm_count

  alarm_name          = "${local.name_prefix}-server-errors"
  alarm_description   = "Server Lambda errors above 10 in 2 periods"
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.server.function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = 10
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms[0].arn]
  ok_actions          = [aws_sns_topic.alarms[0].arn]

  tags = var.tags
}
