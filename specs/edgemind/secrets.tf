# The seed's secrets stack: MQTT broker credentials (from variables) and the InfluxDB
# connection (its token and admin password generated once and kept in state).
#
# Secret values are sensitive: provision never prints them, and destroy deletes the secrets
# with var.secret_recovery_window_days (0 in dev, so a re-apply can reuse the names at once).

resource "random_password" "influxdb_token" {
  length  = 64
  special = false

  keepers = {
    environment = var.environment
  }
}

resource "random_password" "influxdb_admin_password" {
  length           = 32
  special          = true
  override_special = "-_=+"
  min_upper        = 2
  min_lower        = 2
  min_numeric      = 2

  keepers = {
    environment = var.environment
  }
}

resource "aws_secretsmanager_secret" "mqtt" {
  name                    = "${var.project}/${var.environment}/mqtt"
  description             = "MQTT broker credentials of the EdgeMind backend"
  recovery_window_in_days = var.secret_recovery_window_days

  tags = merge(local.common_tags, {
    Name = "${local.name_prefix}-mqtt"
  })
}

resource "aws_secretsmanager_secret_version" "mqtt" {
  secret_id = aws_secretsmanager_secret.mqtt.id
  secret_string = jsonencode({
    host     = var.mqtt_host
    port     = var.mqtt_port
    username = var.mqtt_username
    password = var.mqtt_password
  })
}

resource "aws_secretsmanager_secret" "influxdb" {
  name                    = "${var.project}/${var.environment}/influxdb"
  description             = "InfluxDB connection of the EdgeMind backend"
  recovery_window_in_days = var.secret_recovery_window_days

  tags = merge(local.common_tags, {
    Name = "${local.name_prefix}-influxdb"
  })
}

resource "aws_secretsmanager_secret_version" "influxdb" {
  secret_id = aws_secretsmanager_secret.influxdb.id
  secret_string = jsonencode({
    url            = "http://influxdb.${var.project}.local:8086"
    token          = random_password.influxdb_token.result
    org            = var.influxdb_org
    bucket         = var.influxdb_bucket
    username       = var.influxdb_username
    admin_password = random_password.influxdb_admin_password.result
  })
}
