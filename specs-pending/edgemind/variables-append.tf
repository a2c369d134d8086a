# --- containers: append at the END of specs/edgemind/variables.tf ---------------------------

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
