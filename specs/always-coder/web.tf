# Web stack: the private S3 bucket of the web client, served only through CloudFront over HTTPS
# with an Origin Access Control (AWS's replacement for the seed's Origin Access Identity), and
# the Lambda@Edge viewer-request auth function, created in us-east-1 through `aws.us_east_1`.

resource "aws_s3_bucket" "web" {
  bucket        = "${local.name_prefix}-web-${local.account_id}"
  force_destroy = true
  tags          = var.tags
}

resource "aws_s3_bucket_ownership_controls" "web" {
  bucket = aws_s3_bucket.web.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

# No direct access: every public path is blocked; only the distribution reads (bucket policy).
resource "aws_s3_bucket_public_access_block" "web" {
  bucket = aws_s3_bucket.web.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "web" {
  bucket = aws_s3_bucket.web.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_policy" "web" {
  bucket = aws_s3_bucket.web.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AllowCloudFrontServicePrincipalReadOnly"
      Effect    = "Allow"
      Principal = { Service = "cloudfront.amazonaws.com" }
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.web.arn}/*"
      Condition = {
        StringEquals = {
          "AWS:SourceArn" = aws_cloudfront_distribution.web.arn
        }
      }
    }]
  })

  depends_on = [aws_s3_bucket_public_access_block.web]
}

# --- Lambda@Edge auth (us-east-1) --------------------------------------------------------------

data "archive_file" "edge_auth" {
  type                    = "zip"
  source_content_filename = "index.js"
  source_content = templatefile("${path.module}/edge/viewer_request.js.tftpl", {
    user_pool_id = local.user_pool_id
    client_id    = local.user_pool_client_id
    sign_in_url  = var.enable_auth ? "https://${aws_cognito_user_pool.main[0].endpoint}" : ""
  })
  output_path = "${path.module}/.build/edge_auth.zip"
}

resource "aws_iam_role" "edge_auth" {
  provider = aws.us_east_1

  name = "${local.name_prefix}-edge-auth"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = ["lambda.amazonaws.com", "edgelambda.amazonaws.com"] }
      Action    = "sts:AssumeRole"
    }]
  })

  tags = var.tags
}

resource "aws_iam_role_policy" "edge_auth_logs" {
  provider = aws.us_east_1

  name = "edge-logs"
  role = aws_iam_role.edge_auth.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = ["arn:aws:logs:*:${local.account_id}:log-group:/aws/lambda/us-east-1.${local.name_prefix}-edge-auth:*"]
    }]
  })
}

# Edge functions are published versions (CloudFront takes a qualified ARN) with no environment.
resource "aws_lambda_function" "edge_auth" {
  provider = aws.us_east_1

  function_name    = "${local.name_prefix}-edge-auth"
  description      = "Always Coder viewer-request auth"
  role             = aws_iam_role.edge_auth.arn
  filename         = data.archive_file.edge_auth.output_path
  source_code_hash = data.archive_file.edge_auth.output_base64sha256
  runtime          = "nodejs20.x"
  handler          = "index.handler"
  timeout          = 5
  memory_size      = 128
  publish          = true

  tags = var.tags
}

# --- CloudFront --------------------------------------------------------------------------------

resource "aws_cloudfront_origin_access_control" "web" {
  name                              = "${local.name_prefix}-web"
  description                       = "Always Coder web bucket"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

resource "aws_cloudfront_distribution" "web" {
  enabled             = true
  comment             = "${local.name_prefix} web"
  default_root_object = "index.html"
  is_ipv6_enabled     = true
  http_version        = "http2"
  price_class         = var.price_class

  origin {
    origin_id                = "s3-web"
    domain_name              = aws_s3_bucket.web.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.web.id
  }

  default_cache_behavior {
    target_origin_id       = "s3-web"
    allowed_methods        = ["GET", "HEAD", "OPTIONS"]
    cached_methods         = ["GET", "HEAD"]
    viewer_protocol_policy = "https-only"
    compress               = true
    cache_policy_id        = "658327ea-f89d-4fab-a63d-7e88639e58f6" # Managed-CachingOptimized

    lambda_function_association {
      event_type   = "viewer-request"
      lambda_arn   = aws_lambda_function.edge_auth.qualified_arn
      include_body = false
    }
  }

  # A single-page app: unknown paths render index.html.
  custom_error_response {
    error_code            = 403
    response_code         = 200
    response_page_path    = "/index.html"
    error_caching_min_ttl = 10
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = true
  }

  tags = var.tags
}
