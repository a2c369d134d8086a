# Production: three zones, 4-16 ACUs with a reader, deletion protection and a final snapshot,
# Performance Insights, 30 days of logs, and the three alarms mailed to alarm_email.
environment              = "production"
vpc_cidr                 = "10.22.0.0/16"
availability_zones       = ["us-east-1a", "us-east-1b", "us-east-1c"]
db_min_acus              = 4
db_max_acus              = 16
db_instance_count        = 2
db_backup_retention_days = 14
deletion_protection      = true
enhanced_monitoring      = true
log_retention_days       = 30
lambda_memory_size       = 2048
alarm_email              = "admin@example.com"

# Security changes (IAM, ingress, policies) need their own approval in production.
provision_require_approval = "broadening"
