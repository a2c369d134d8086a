# Inputs of the Always Coder stack. Environment-specific values live in env/<name>.tfvars.

variable "environment" {
  description = "Deployment environment: dev or prod"
  type        = string
  default     = "dev"

  validation {
    condition     = contains(["dev", "prod"], var.environment)
    error_message = "environment must be dev or prod."
  }
}

variable "region" {
  description = "AWS region of the stack (the edge function is in us-east-1 regardless)"
  type        = string
  default     = "us-east-1"
}

variable "enable_auth" {
  description = "Create the optional Cognito user pool and client, and check tokens at the edge"
  type        = bool
  default     = false
}

variable "stage_name" {
  description = "Stage of the WebSocket API (the seed's wss://.../prod)"
  type        = string
  default     = "prod"
}

variable "handler_timeout" {
  description = "Timeout of the WebSocket handlers, seconds"
  type        = number
  default     = 30
}

variable "handler_memory_size" {
  description = "Memory of the WebSocket handlers, MB"
  type        = number
  default     = 256
}

variable "record_ttl_hours" {
  description = "Hours a connection, session or cached message lives (the tables' TTL)"
  type        = number
  default     = 24
}

variable "throttling_rate_limit" {
  description = "Steady-state requests per second of the WebSocket stage"
  type        = number
  default     = 100
}

variable "throttling_burst_limit" {
  description = "Burst of requests of the WebSocket stage"
  type        = number
  default     = 200
}

variable "log_retention_days" {
  description = "Retention of the handlers' and the stage's log groups"
  type        = number
  default     = 7
}

variable "price_class" {
  description = "CloudFront price class of the web distribution"
  type        = string
  default     = "PriceClass_100"
}

variable "tags" {
  description = "Tags every resource adds to the provider's default tags"
  type        = map(string)
  default     = {}
}
