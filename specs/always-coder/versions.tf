# Always Coder: the relay of the Always Coder seed (an AWS CDK app of two stacks) as one
# provision spec. The CLI and the browser talk end-to-end encrypted through a WebSocket API;
# the backend only stores and forwards ciphertext.
#
#   provision plan  specs/always-coder --env dev
#   provision apply specs/always-coder --env prod
#   provision output websocket_url --env prod
#
# api.tf is the seed's AlwaysCoderApiStack (WebSocket API, three Lambda handlers, three
# DynamoDB tables, the optional Cognito user pool), web.tf its AlwaysCoderWebStack (private S3
# bucket behind CloudFront, HTTPS only, Origin Access Control, and the Lambda@Edge viewer-request
# auth function, which CloudFront requires in us-east-1 whatever the stack's region).

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
      Project     = "always-coder"
      Environment = var.environment
      ManagedBy   = "provision"
    }
  }
}

# Lambda@Edge functions must live in us-east-1.
provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"

  default_tags {
    tags = {
      Project     = "always-coder"
      Environment = var.environment
      ManagedBy   = "provision"
    }
  }
}

data "aws_caller_identity" "current" {}

locals {
  # "always-coder-dev", "always-coder-prod": the prefix of every name.
  name_prefix = "always-coder-${var.environment}"

  account_id = data.aws_caller_identity.current.account_id
}
