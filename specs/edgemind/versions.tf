# EdgeMind: the network stack (VPC, subnets, NAT, routing, security groups) that the database,
# backend and frontend stacks of the seed are built on. Later issues add the rest of EdgeMind to
# this folder.
#
#   provision plan  specs/edgemind --env dev
#   provision apply specs/edgemind --env dev
#
# The stack is named after the folder and the environment (`specs/edgemind/dev`), so dev and prod
# live side by side in one state database.

terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

provider "aws" {
  region = var.region

  # Carried by every taggable resource, on top of its own `tags`.
  default_tags {
    tags = {
      Project     = "edgemind"
      Environment = var.environment
      ManagedBy   = "provision"
    }
  }
}

locals {
  # "edgemind-dev", "edgemind-prod": the prefix of every Name tag and security group name.
  name_prefix = "${var.project}-${var.environment}"

  # Tags each resource adds to the provider's default tags (Name is set per resource).
  common_tags = var.tags

  # One public and one private subnet per availability zone.
  zone_count = length(var.availability_zones)
}
