# Inputs of the Little Bit stack. Environment-specific values live in env/<name>.tfvars.

variable "environment" {
  description = "Deployment environment: dev, staging or prod"
  type        = string
  default     = "dev"

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, staging, prod."
  }
}

variable "region" {
  description = "AWS region of the stack (the seed deploys to us-west-2)"
  type        = string
  default     = "us-west-2"
}

variable "eu_region" {
  description = "Region of the EU copy that multi_region adds"
  type        = string
  default     = "eu-west-1"
}

variable "multi_region" {
  description = "Also deploy the EU copy of the data plane (audio bucket, tables, queue) in eu_region"
  type        = bool
  default     = false
}

variable "vpc_cidr" {
  description = "CIDR block of the audio processing VPC"
  type        = string
  default     = "10.40.0.0/16"
}

variable "availability_zones" {
  description = "Zones of the audio processing VPC's public and private subnets"
  type        = list(string)
  default     = ["us-west-2a", "us-west-2b"]
}

variable "password_minimum_length" {
  description = "Minimum length of a user pool password"
  type        = number
  default     = 8
}

variable "mfa_configuration" {
  description = "User pool MFA: OFF, OPTIONAL or ON"
  type        = string
  default     = "OFF"
}

variable "user_pool_deletion_protection" {
  description = "ACTIVE keeps the user pool from being deleted"
  type        = string
  default     = "INACTIVE"
}

variable "table_point_in_time_recovery" {
  description = "Point-in-time recovery of the DynamoDB tables"
  type        = bool
  default     = false
}

variable "table_deletion_protection" {
  description = "Deletion protection of the DynamoDB tables"
  type        = bool
  default     = false
}

variable "api_key_expires" {
  description = "When the AppSync API key (public read access) expires, RFC 3339"
  type        = string
  default     = "2027-12-01T00:00:00Z"
}

variable "queue_visibility_timeout_seconds" {
  description = "Visibility timeout of the processing queue (at least the processor's timeout)"
  type        = number
  default     = 360
}

variable "processor_timeout" {
  description = "Timeout of the audio processor Lambda, seconds"
  type        = number
  default     = 300
}

variable "processor_memory_size" {
  description = "Memory of the audio processor Lambda, MB"
  type        = number
  default     = 1024
}

variable "log_retention_days" {
  description = "Retention of the Lambda log groups"
  type        = number
  default     = 14
}

variable "debug_files_expiration_days" {
  description = "Days after which the audio bucket's debug/ files are deleted"
  type        = number
  default     = 7
}

variable "task_cpu" {
  description = "CPU units of the audio processing task"
  type        = number
  default     = 1024
}

variable "task_memory" {
  description = "Memory of the audio processing task, MB"
  type        = number
  default     = 2048
}

variable "service_desired_count" {
  description = "Running audio processing tasks"
  type        = number
  default     = 0
}

variable "audio_image_tag" {
  description = "Tag of the audio processing image in the stack's ECR repository"
  type        = string
  default     = "latest"
}

variable "tags" {
  description = "Tags every resource adds to the provider's default tags"
  type        = map(string)
  default     = {}
}
