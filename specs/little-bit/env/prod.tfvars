# Production (`-c env=prod`): deletion protection on the user pool and the tables, point-in-time
# recovery, three zones, longer logs, two processing tasks.
environment                   = "prod"
vpc_cidr                      = "10.42.0.0/16"
availability_zones            = ["us-west-2a", "us-west-2b", "us-west-2c"]
password_minimum_length       = 12
mfa_configuration             = "OPTIONAL"
user_pool_deletion_protection = "ACTIVE"
table_point_in_time_recovery  = true
table_deletion_protection     = true
log_retention_days            = 30
processor_memory_size         = 2048
task_cpu                      = 2048
task_memory                   = 4096
service_desired_count         = 2
