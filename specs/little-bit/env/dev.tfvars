# Development: the seed's default context. No deletion protection, short retention, no tasks running.
environment                   = "dev"
availability_zones            = ["us-west-2a", "us-west-2b"]
user_pool_deletion_protection = "INACTIVE"
table_point_in_time_recovery  = false
table_deletion_protection     = false
log_retention_days            = 7
service_desired_count         = 0
