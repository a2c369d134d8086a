# Inputs of the network stack. Environment-specific values live in env/<name>.tfvars.

variable "project" {
  description = "Project name, the first part of every resource name"
  type        = string
  default     = "edgemind"
}

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
  description = "AWS region of the stack"
  type        = string
  default     = "us-east-1"
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC; subnets are /24s carved out of it"
  type        = string
  default     = "10.0.0.0/16"
}

variable "availability_zones" {
  description = "Availability zones to spread the subnets over (one public and one private subnet each)"
  type        = list(string)
  default     = ["us-east-1a", "us-east-1b"]
}

variable "tags" {
  description = "Extra tags for every resource of the stack"
  type        = map(string)
  default     = {}
}

variable "log_retention_days" {
  description = "How many days the ECS log groups keep their events"
  type        = number
  default     = 7
}

variable "certificate_arn" {
  description = "ACM certificate of the ALB's HTTPS listener; empty: no HTTPS listener, HTTP forwards to the backend"
  type        = string
  default     = ""
}
