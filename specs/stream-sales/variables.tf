# Inputs of the Stream Sales stack. Environment-specific values live in env/<name>.tfvars.

variable "project" {
  description = "Project name, the first part of every resource name"
  type        = string
  default     = "stream-sales"
}

variable "environment" {
  description = "Deployment environment: dev, staging or production"
  type        = string
  default     = "dev"

  validation {
    condition     = contains(["dev", "staging", "production"], var.environment)
    error_message = "environment must be one of dev, staging, production."
  }
}

variable "region" {
  description = "AWS region of the stack"
  type        = string
  default     = "us-east-1"
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC; subnets are /24s carved out of it"
  type        = string
  default     = "10.20.0.0/16"
}

variable "availability_zones" {
  description = "Zones of the public, private and isolated subnets (one of each per zone)"
  type        = list(string)
  default     = ["us-east-1a", "us-east-1b"]
}

variable "db_engine_version" {
  description = "Aurora PostgreSQL version; a new version upgrades the cluster in place"
  type        = string
  default     = "16.4"
}

variable "db_min_acus" {
  description = "Aurora Serverless v2 minimum capacity (ACUs)"
  type        = number
  default     = 2
}

variable "db_max_acus" {
  description = "Aurora Serverless v2 maximum capacity (ACUs)"
  type        = number
  default     = 4
}

variable "db_instance_count" {
  description = "db.serverless instances in the cluster (the first is the writer)"
  type        = number
  default     = 1
}

variable "db_name" {
  description = "Name of the application database"
  type        = string
  default     = "streams"
}

variable "db_username" {
  description = "Master user of the database"
  type        = string
  default     = "dbadmin"
}

variable "db_backup_retention_days" {
  description = "Days of automated backups"
  type        = number
  default     = 1
}

variable "deletion_protection" {
  description = "Refuse to delete the database cluster (production: on, with a final snapshot)"
  type        = bool
  default     = false
}

variable "enhanced_monitoring" {
  description = "Performance Insights on the database instances"
  type        = bool
  default     = false
}

variable "log_retention_days" {
  description = "Days to keep the Lambda's and the database's logs"
  type        = number
  default     = 7
}

variable "lambda_memory_size" {
  description = "Memory of the server Lambda (MB)"
  type        = number
  default     = 1024
}

variable "lambda_timeout" {
  description = "Timeout of the server Lambda (seconds)"
  type        = number
  default     = 30
}

variable "alarm_email" {
  description = "Where production alarms are mailed; empty: no alarms"
  type        = string
  default     = ""
}

variable "tags" {
  description = "Tags added to every resource on top of the provider's default tags"
  type        = map(string)
  default     = {}
}

# The seed's rule: production "requires manual approval for security changes". `provision apply`
# reads this (a plain variable, so the spec stays valid Terraform): with "broadening", changes
# that widen access (IAM, security-group ingress, resource policies, public access) need their
# own approval; env/production.tfvars sets it. Terraform ignores it.
variable "provision_require_approval" {
  description = "Which changes provision apply asks a separate approval for: never, broadening or any-change"
  type        = string
  default     = "never"
}
