# Development: the seed's layout, 10.0.0.0/16 over two zones.
environment        = "dev"
vpc_cidr           = "10.0.0.0/16"
availability_zones = ["us-east-1a", "us-east-1b"]

tags = {
  Owner      = "edgemind-dev"
  CostCenter = "edgemind-development"
}

# Secrets deleted at once on destroy, so dev can be torn down and rebuilt under the same names;
# the backend repository goes with its images.
secret_recovery_window_days = 0
ecr_force_delete            = true
ecr_keep_images             = 5
# Frontend: dev buckets may be destroyed with their contents; logs kept briefly.
frontend_force_destroy      = true
frontend_log_retention_days = 30

# containers: one backend task in development, Container Insights off.
backend_desired_count = 1
container_insights    = false
