# Secrets Manager secrets of the seed (stream-sales/{env}/...):
#   database/credentials  JSON: username, password, engine, host (the cluster endpoint), port, dbname
#   jwt/secret            a generated 64-character string
#   encryption/key        a generated 64-character string (product password encryption)
# Generated values are sensitive: never printed by plan, apply or output.

resource "random_password" "jwt" {
  length  = 64
  special = false
}

resource "random_password" "encryption_key" {
  length  = 64
  special = false
}

resource "aws_secretsmanager_secret" "database" {
  name        = "${local.secret_prefix}/database/credentials"
  description = "Aurora credentials of ${local.name_prefix}"

  recovery_window_in_days = local.is_production ? 30 : 0

  tags = var.tags
}

resource "aws_secretsmanager_secret_version" "database" {
  secret_id = aws_secretsmanager_secret.database.id
  secret_string = jsonencode({
    username = var.db_username
    password = random_password.database.result
    engine   = "postgres"
    host     = aws_rds_cluster.main.endpoint
    port     = tostring(aws_rds_cluster.main.port)
    dbname   = var.db_name
  })
}

resource "aws_secretsmanager_secret" "jwt" {
  name        = "${local.secret_prefix}/jwt/secret"
  description = "JWT signing secret of ${local.name_prefix}"

  recovery_window_in_days = local.is_production ? 30 : 0

  tags = var.tags
}

resource "aws_secretsmanager_secret_version" "jwt" {
  secret_id     = aws_secretsmanager_secret.jwt.id
  secret_string = random_password.jwt.result
}

resource "aws_secretsmanager_secret" "encryption_key" {
  name        = "${local.secret_prefix}/encryption/key"
  description = "Product password encryption key of ${local.name_prefix}"

  recovery_window_in_days = local.is_production ? 30 : 0

  tags = var.tags
}

resource "aws_secretsmanager_secret_version" "encryption_key" {
  secret_id     = aws_secretsmanager_secret.encryption_key.id
  secret_string = random_password.encryption_key.result
}
