# Development: the seed's layout, 10.0.0.0/16 over two zones.
environment        = "dev"
vpc_cidr           = "10.0.0.0/16"
availability_zones = ["us-east-1a", "us-east-1b"]

tags = {
  Owner      = "edgemind-dev"
  CostCenter = "edgemind-development"
}

# Frontend: dev buckets may be destroyed with their contents; logs kept briefly.
frontend_force_destroy      = true
frontend_log_retention_days = 30
