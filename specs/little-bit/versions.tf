# Little Bit: the audio-sampling app of the Little Bit seeds (an AWS CDK app of four stacks and
# the ECS audio processing stack), as one provision spec.
#
#   provision plan   specs/little-bit --env dev
#   provision apply  specs/little-bit --env staging
#   provision output aws_exports --json --env prod     # the frontend's aws-exports
#   provision drift  specs/little-bit --env prod
#
# The seed's stacks are files here: core.tf (Cognito, the audio bucket, the identity pool's
# roles), api.tf (AppSync GraphQL over DynamoDB), compute.tf (the Lambda functions and the
# processing queue), ecs.tf (the audio processing cluster in private subnets behind a NAT).
# multi_region.tf adds the EU copy of the data plane when var.multi_region is set.

terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
    archive = {
      source  = "hashicorp/archive"
      version = ">= 2.4"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project     = "little-bit"
      Environment = var.environment
      ManagedBy   = "provision"
    }
  }
}

# The seed's multi-region deployment (`-c deployMultiRegion=true`) puts its EU copy here.
provider "aws" {
  alias  = "eu"
  region = var.eu_region

  default_tags {
    tags = {
      Project     = "little-bit"
      Environment = var.environment
      ManagedBy   = "provision"
    }
  }
}

data "aws_caller_identity" "current" {}

locals {
  # "little-bit-dev", "little-bit-prod": the prefix of every name.
  name_prefix = "little-bit-${var.environment}"

  is_prod = var.environment == "prod"

  account_id = data.aws_caller_identity.current.account_id
}
