variable "name_prefix" {
  type        = string
  description = "Prefix of every Name tag (\"edgemind-dev\", \"stream-sales-production\")"
}

variable "vpc_cidr" {
  type        = string
  description = "Address range of the VPC, a /16"

  validation {
    condition     = can(cidrnetmask(var.vpc_cidr))
    error_message = "vpc_cidr must be an IPv4 CIDR block such as 10.0.0.0/16."
  }
}

variable "availability_zones" {
  type        = list(string)
  description = "One public and one private (and, with isolated_subnets, one isolated) subnet per zone"

  validation {
    condition     = length(var.availability_zones) >= 1
    error_message = "availability_zones needs at least one zone."
  }
}

variable "isolated_subnets" {
  type        = bool
  description = "Also make a third tier of subnets with no route out of the VPC (databases)"
  default     = false
}

variable "tags" {
  type        = map(string)
  description = "Tags every resource adds to the provider's default tags (Name is set per resource)"
  default     = {}
}
