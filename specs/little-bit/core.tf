# Core stack: the Cognito user pool and its web client, the identity pool with its two roles,
# and the audio bucket (encrypted, private, debug files cleaned up by a lifecycle rule).

resource "aws_cognito_user_pool" "main" {
  name = "${local.name_prefix}-users"

  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]
  mfa_configuration        = var.mfa_configuration
  deletion_protection      = var.user_pool_deletion_protection

  dynamic "software_token_mfa_configuration" {
    for_each = var.mfa_configuration == "OFF" ? [] : [1]
    content {
      enabled = true
    }
  }

  password_policy {
    minimum_length                   = var.password_minimum_length
    require_lowercase                = true
    require_uppercase                = true
    require_numbers                  = true
    require_symbols                  = false
    temporary_password_validity_days = 7
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }

  schema {
    name                = "email"
    attribute_data_type = "String"
    mutable             = true
    required            = true

    string_attribute_constraints {
      min_length = 3
      max_length = 256
    }
  }

  tags = var.tags
}

# The frontend's client (aws_user_pools_web_client_id): a browser keeps no secret.
resource "aws_cognito_user_pool_client" "web" {
  name         = "${local.name_prefix}-web"
  user_pool_id = aws_cognito_user_pool.main.id

  generate_secret               = false
  prevent_user_existence_errors = "ENABLED"
  explicit_auth_flows = [
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
  ]
}

# The processing backend's client: its secret is sensitive, sealed in state, never printed.
resource "aws_cognito_user_pool_client" "backend" {
  name         = "${local.name_prefix}-backend"
  user_pool_id = aws_cognito_user_pool.main.id

  generate_secret = true
  explicit_auth_flows = [
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
  ]
}

resource "aws_cognito_user_pool_domain" "main" {
  domain       = "${local.name_prefix}-${local.account_id}"
  user_pool_id = aws_cognito_user_pool.main.id
}

resource "aws_cognito_identity_pool" "main" {
  identity_pool_name               = "little_bit_${var.environment}"
  allow_unauthenticated_identities = true

  cognito_identity_providers {
    client_id               = aws_cognito_user_pool_client.web.id
    provider_name           = aws_cognito_user_pool.main.endpoint
    server_side_token_check = false
  }

  tags = var.tags
}

locals {
  identity_assume_role = {
    for kind in ["authenticated", "unauthenticated"] : kind => jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect    = "Allow"
        Principal = { Federated = "cognito-identity.amazonaws.com" }
        Action    = "sts:AssumeRoleWithWebIdentity"
        Condition = {
          StringEquals = {
            "cognito-identity.amazonaws.com:aud" = aws_cognito_identity_pool.main.id
          }
          "ForAnyValue:StringLike" = {
            "cognito-identity.amazonaws.com:amr" = kind
          }
        }
      }]
    })
  }
}

resource "aws_iam_role" "authenticated" {
  name               = "${local.name_prefix}-authenticated"
  path               = "/LittleBit/"
  assume_role_policy = local.identity_assume_role["authenticated"]
  tags               = var.tags
}

resource "aws_iam_role" "unauthenticated" {
  name               = "${local.name_prefix}-unauthenticated"
  path               = "/LittleBit/"
  assume_role_policy = local.identity_assume_role["unauthenticated"]
  tags               = var.tags
}

# Signed-in users read and write their own folder of the audio bucket (Amplify's private/ level).
resource "aws_iam_role_policy" "authenticated_audio" {
  name = "own-audio"
  role = aws_iam_role.authenticated.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "OwnObjects"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
        Resource = ["${aws_s3_bucket.audio.arn}/private/$${cognito-identity.amazonaws.com:sub}/*"]
      },
      {
        Sid      = "ListOwnFolder"
        Effect   = "Allow"
        Action   = ["s3:ListBucket"]
        Resource = [aws_s3_bucket.audio.arn]
        Condition = {
          StringLike = { "s3:prefix" = ["private/$${cognito-identity.amazonaws.com:sub}/*"] }
        }
      },
    ]
  })
}

resource "aws_cognito_identity_pool_roles_attachment" "main" {
  identity_pool_id = aws_cognito_identity_pool.main.id

  roles = {
    authenticated   = aws_iam_role.authenticated.arn
    unauthenticated = aws_iam_role.unauthenticated.arn
  }
}

resource "aws_s3_bucket" "audio" {
  bucket        = "${local.name_prefix}-audio-${local.account_id}"
  force_destroy = !local.is_prod
  tags          = var.tags
}

resource "aws_s3_bucket_public_access_block" "audio" {
  bucket                  = aws_s3_bucket.audio.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "audio" {
  bucket = aws_s3_bucket.audio.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# The seed's cost rule: debug files are cleaned up.
resource "aws_s3_bucket_lifecycle_configuration" "audio" {
  bucket = aws_s3_bucket.audio.id

  rule {
    id     = "clean-debug-files"
    status = "Enabled"

    filter {
      prefix = "debug/"
    }

    expiration {
      days = var.debug_files_expiration_days
    }
  }
}
