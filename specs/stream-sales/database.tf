# Aurora Serverless v2 PostgreSQL in the isolated subnets.
#
# The master password is a random_password (32 characters) kept in the database credentials
# secret (secrets.tf) together with the cluster endpoint, as the seed's CDK stack does.
# Production: deletion protection on, and destroy takes a final snapshot; to really delete the
# cluster, set deletion_protection = false in env/production.tfvars, apply, then destroy.

resource "random_password" "database" {
  length  = 32
  special = false
}

resource "aws_db_subnet_group" "main" {
  name        = "${local.name_prefix}-db"
  description = "Isolated subnets of ${local.name_prefix}"
  subnet_ids  = module.network.isolated_subnet_ids

  tags = merge(var.tags, {
    Name = "${local.name_prefix}-db"
  })
}

resource "aws_rds_cluster_parameter_group" "main" {
  name        = "${local.name_prefix}-aurora-pg16"
  family      = "aurora-postgresql16"
  description = "Stream Sales ${var.environment}: TLS only, slow query log"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name  = "log_min_duration_statement"
    value = "1000"
  }

  tags = var.tags
}

resource "aws_rds_cluster" "main" {
  cluster_identifier              = "${local.name_prefix}-cluster"
  engine                          = "aurora-postgresql"
  engine_version                  = var.db_engine_version
  database_name                   = var.db_name
  master_username                 = var.db_username
  master_password                 = random_password.database.result
  port                            = 5432
  db_subnet_group_name            = aws_db_subnet_group.main.name
  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.main.name
  vpc_security_group_ids          = [aws_security_group.database.id]
  storage_encrypted               = true
  backup_retention_period         = var.db_backup_retention_days
  preferred_backup_window         = "03:00-04:00"
  preferred_maintenance_window    = "sun:04:30-sun:05:30"
  copy_tags_to_snapshot           = true
  enabled_cloudwatch_logs_exports = ["postgresql"]
  deletion_protection             = var.deletion_protection
  skip_final_snapshot             = !local.is_production
  final_snapshot_identifier       = "${local.name_prefix}-cluster-final"
  apply_immediately               = !local.is_production

  serverlessv2_scaling_configuration {
    min_capacity = var.db_min_acus
    max_capacity = var.db_max_acus
  }

  tags = merge(var.tags, {
    Name = "${local.name_prefix}-cluster"
  })
}

resource "aws_rds_cluster_instance" "main" {
  count = var.db_instance_count

  identifier                   = "${local.name_prefix}-db-${count.index + 1}"
  cluster_identifier           = aws_rds_cluster.main.id
  instance_class               = "db.serverless"
  promotion_tier               = count.index
  performance_insights_enabled = var.enhanced_monitoring
  monitoring_interval          = 0
  apply_immediately            = !local.is_production

  tags = merge(var.tags, {
    Name = "${local.name_prefix}-db-${count.index + 1}"
  })
}

# Exported PostgreSQL logs (the cluster exports "postgresql"), kept as long as the Lambda's.
resource "aws_cloudwatch_log_group" "database" {
  name              = "/aws/rds/cluster/${local.name_prefix}-cluster/postgresql"
  retention_in_days = var.log_retention_days

  tags = var.tags
}
