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

variable "frontend_force_destroy" {
  description = "Let destroy delete the frontend and log buckets with every object version in them"
  type        = bool
  default     = false
}

variable "frontend_price_class" {
  description = "CloudFront price class of the frontend distribution"
  type        = string
  default     = "PriceClass_100"
}

variable "frontend_aliases" {
  description = "Extra domain names of the frontend distribution (needs frontend_certificate_arn)"
  type        = list(string)
  default     = []
}

variable "frontend_certificate_arn" {
  description = "ACM certificate (us-east-1) for frontend_aliases; empty: the CloudFront certificate"
  type        = string
  default     = ""
}

variable "secret_recovery_window_days" {
  description = "Days a destroyed secret can be restored (7-30); 0 deletes it at once so the name can be reused"
  type        = number
  default     = 30
}

variable "frontend_backend_origin_protocol_policy" {
  description = "How CloudFront reaches the backend ALB: http-only, or https-only once the ALB has an HTTPS listener"
  type        = string
  default     = "http-only"
}

variable "frontend_noncurrent_version_days" {
  description = "Days to keep replaced versions of frontend files"
  type        = number
  default     = 30
}

variable "mqtt_host" {
  description = "MQTT broker the backend subscribes to"
  type        = string
  default     = "virtualfactory.proveit.services"
}

variable "mqtt_port" {
  description = "MQTT broker port"
  type        = number
  default     = 1883
}

variable "mqtt_username" {
  description = "MQTT broker user name"
  type        = string
  default     = "edgemind"
}

variable "mqtt_password" {
  description = "MQTT broker password (set with TF_VAR_mqtt_password)"
  type        = string
  default     = ""
  sensitive   = true
}

variable "influxdb_org" {
  description = "InfluxDB organisation"
  type        = string
  default     = "proveit"
}

variable "influxdb_bucket" {
  description = "InfluxDB bucket of the factory data"
  type        = string
  default     = "factory"
}

variable "influxdb_username" {
  description = "InfluxDB admin user name"
  type        = string
  default     = "admin"
}

variable "bedrock_model_arn" {
  description = "Bedrock foundation model the backend may invoke (Claude Sonnet 4)"
  type        = string
  default     = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0"
}

variable "ecr_keep_images" {
  description = "How many images the backend repository keeps"
  type        = number
  default     = 20
}

variable "ecr_force_delete" {
  description = "Whether destroy deletes the backend repository even when it holds images"
  type        = bool
  default     = false
}

variable "frontend_log_retention_days" {
  description = "Days to keep CloudFront access logs"
  type        = number
  default     = 90
}

variable "backend_image" {
  description = "Backend container image URI; empty: the ECR repository's :latest"
  type        = string
  default     = ""
}

variable "influxdb_image" {
  description = "InfluxDB container image URI"
  type        = string
  default     = "influxdb:2.7"
}

variable "backend_desired_count" {
  description = "Backend tasks to run (autoscaling keeps it within backend_min_tasks..backend_max_tasks)"
  type        = number
  default     = 2
}

variable "influxdb_desired_count" {
  description = "InfluxDB tasks (1: a single writer on the EFS volume; 0 stops the database)"
  type        = number
  default     = 1
}

variable "backend_min_tasks" {
  description = "Autoscaling lower bound of backend tasks"
  type        = number
  default     = 1
}

variable "backend_max_tasks" {
  description = "Autoscaling upper bound of backend tasks"
  type        = number
  default     = 4
}

variable "backend_cpu_target" {
  description = "Target average CPU utilisation (%) of the backend service"
  type        = number
  default     = 70
}

variable "backend_memory_target" {
  description = "Target average memory utilisation (%) of the backend service"
  type        = number
  default     = 80
}

variable "container_insights" {
  description = "CloudWatch Container Insights on the ECS cluster"
  type        = bool
  default     = true
}
