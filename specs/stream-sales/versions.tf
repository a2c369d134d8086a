# Stream Sales: the marketplace of the Stream Sales seed (an AWS CDK app), as a provision spec.
#
#   provision plan  specs/stream-sales --env dev
#   provision apply specs/stream-sales --env dev          # or staging, production
#   provision destroy specs/stream-sales --env dev
#
# What it stands up: a VPC with public, private and isolated subnets; Aurora Serverless v2
# PostgreSQL in the isolated subnets; Secrets Manager secrets for the database credentials, the
# JWT secret and the encryption key; an S3 bucket for product images and one for static assets;
# the server Lambda (lambda/) behind a function URL and CloudFront; in production, three alarms
# that mail `alarm_email`.
#
# Each environment is its own stack (`specs/stream-sales/dev`, ...) in the same state database.

terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
    random = {
      source  = "hashicorp/random"
      version = ">= 3.5"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project     = var.project
      Environment = var.environment
      ManagedBy   = "provision"
    }
  }
}

locals {
  # "stream-sales-dev", "stream-sales-production": the prefix of every name.
  name_prefix = "${var.project}-${var.environment}"

  is_production = var.environment == "production"

  # Secrets Manager names of the seed: stream-sales/{env}/...
  secret_prefix = "${var.project}/${var.environment}"
}
