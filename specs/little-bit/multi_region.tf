# The seed's multi-region deployment: with var.multi_region, an EU copy of the data plane (the
# audio bucket, the two tables, the processing queues) in var.eu_region through the `aws.eu`
# provider configuration, for the seed's disaster recovery.

locals {
  eu_copies = var.multi_region ? 1 : 0
}

resource "aws_s3_bucket" "audio_eu" {
  count    = local.eu_copies
  provider = aws.eu

  bucket        = "${local.name_prefix}-audio-eu-${local.account_id}"
  force_destroy = !local.is_prod
  tags          = var.tags
}

resource "aws_s3_bucket_public_access_block" "audio_eu" {
  count    = local.eu_copies
  provider = aws.eu

  bucket                  = aws_s3_bucket.audio_eu[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "audio_eu" {
  count    = local.eu_copies
  provider = aws.eu

  bucket = aws_s3_bucket.audio_eu[0].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_dynamodb_table" "samples_eu" {
  count    = local.eu_copies
  provider = aws.eu

  name         = "${local.name_prefix}-samples"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }

  attribute {
    name = "owner"
    type = "S"
  }

  attribute {
    name = "createdAt"
    type = "S"
  }

  global_secondary_index {
    name            = "byOwner"
    hash_key        = "owner"
    range_key       = "createdAt"
    projection_type = "ALL"
  }

  point_in_time_recovery {
    enabled = var.table_point_in_time_recovery
  }

  deletion_protection_enabled = var.table_deletion_protection

  tags = var.tags
}

resource "aws_dynamodb_table" "recordings_eu" {
  count    = local.eu_copies
  provider = aws.eu

  name         = "${local.name_prefix}-recordings"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }

  attribute {
    name = "sampleId"
    type = "S"
  }

  global_secondary_index {
    name            = "bySample"
    hash_key        = "sampleId"
    projection_type = "ALL"
  }

  point_in_time_recovery {
    enabled = var.table_point_in_time_recovery
  }

  deletion_protection_enabled = var.table_deletion_protection

  tags = var.tags
}

resource "aws_sqs_queue" "processing_dlq_eu" {
  count    = local.eu_copies
  provider = aws.eu

  name                      = "${local.name_prefix}-processing-dlq"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
  tags                      = var.tags
}

resource "aws_sqs_queue" "processing_eu" {
  count    = local.eu_copies
  provider = aws.eu

  name                       = "${local.name_prefix}-processing"
  visibility_timeout_seconds = var.queue_visibility_timeout_seconds
  sqs_managed_sse_enabled    = true

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.processing_dlq_eu[0].arn
    maxReceiveCount     = 3
  })

  tags = var.tags
}
