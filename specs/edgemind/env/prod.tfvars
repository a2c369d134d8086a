# Production: its own address range so it can be peered with dev later without overlap.
environment        = "prod"
vpc_cidr           = "10.1.0.0/16"
availability_zones = ["us-east-1a", "us-east-1b"]
log_retention_days = 30

tags = {
  Owner      = "edgemind-platform"
  CostCenter = "edgemind-production"
  Backup     = "daily"
}

# Destroyed secrets stay restorable for a week; the image repository is never deleted with images.
secret_recovery_window_days = 7
ecr_force_delete            = false
ecr_keep_images             = 30
# Frontend: served worldwide, logs kept a year.
frontend_price_class        = "PriceClass_All"
frontend_log_retention_days = 365

# containers: the seed's two backend tasks.
backend_desired_count = 2
container_insights    = true
