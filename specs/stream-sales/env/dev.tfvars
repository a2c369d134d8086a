# Development: minimal resources. 2-4 ACUs, 7 days of logs, no deletion protection, no alarms.
environment              = "dev"
vpc_cidr                 = "10.20.0.0/16"
availability_zones       = ["us-east-1a", "us-east-1b"]
db_min_acus              = 2
db_max_acus              = 4
db_instance_count        = 1
db_backup_retention_days = 1
deletion_protection      = false
enhanced_monitoring      = false
log_retention_days       = 7
lambda_memory_size       = 1024
