# Staging: pre-production testing, sized between dev and production; no alarms.
environment              = "staging"
vpc_cidr                 = "10.21.0.0/16"
availability_zones       = ["us-east-1a", "us-east-1b"]
db_min_acus              = 2
db_max_acus              = 8
db_instance_count        = 1
db_backup_retention_days = 7
deletion_protection      = false
enhanced_monitoring      = false
log_retention_days       = 14
lambda_memory_size       = 1024
