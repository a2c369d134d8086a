# API stack: the AppSync GraphQL API over two on-demand DynamoDB tables. Signed-in users
# (Cognito) may mutate; the API key gives public read access; IAM lets the backend call it.

resource "aws_dynamodb_table" "samples" {
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

  server_side_encryption {
    enabled = true
  }

  deletion_protection_enabled = var.table_deletion_protection

  tags = var.tags
}

resource "aws_dynamodb_table" "recordings" {
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

  server_side_encryption {
    enabled = true
  }

  deletion_protection_enabled = var.table_deletion_protection

  tags = var.tags
}

resource "aws_appsync_graphql_api" "main" {
  name                = "${local.name_prefix}-api"
  authentication_type = "AMAZON_COGNITO_USER_POOLS"
  schema              = file("${path.module}/graphql/schema.graphql")

  user_pool_config {
    user_pool_id   = aws_cognito_user_pool.main.id
    aws_region     = var.region
    default_action = "ALLOW"
  }

  additional_authentication_provider {
    authentication_type = "API_KEY"
  }

  additional_authentication_provider {
    authentication_type = "AWS_IAM"
  }

  tags = var.tags
}

resource "aws_appsync_api_key" "public" {
  api_id      = aws_appsync_graphql_api.main.id
  description = "Public read access (${var.environment})"
  expires     = var.api_key_expires
}

# AppSync reads and writes the two tables through this role, and nothing else.
resource "aws_iam_role" "appsync" {
  name = "${local.name_prefix}-appsync"
  path = "/LittleBit/"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "appsync.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  tags = var.tags
}

resource "aws_iam_role_policy" "appsync_tables" {
  name = "tables"
  role = aws_iam_role.appsync.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = [
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:Query",
        "dynamodb:Scan",
      ]
      Resource = [
        aws_dynamodb_table.samples.arn,
        "${aws_dynamodb_table.samples.arn}/index/*",
        aws_dynamodb_table.recordings.arn,
        "${aws_dynamodb_table.recordings.arn}/index/*",
      ]
    }]
  })
}

resource "aws_appsync_datasource" "samples" {
  api_id           = aws_appsync_graphql_api.main.id
  name             = "samples"
  type             = "AMAZON_DYNAMODB"
  service_role_arn = aws_iam_role.appsync.arn

  dynamodb_config {
    table_name = aws_dynamodb_table.samples.name
    region     = var.region
  }
}

resource "aws_appsync_datasource" "recordings" {
  api_id           = aws_appsync_graphql_api.main.id
  name             = "recordings"
  type             = "AMAZON_DYNAMODB"
  service_role_arn = aws_iam_role.appsync.arn

  dynamodb_config {
    table_name = aws_dynamodb_table.recordings.name
    region     = var.region
  }
}

locals {
  # The resolvers, in AppSync's JavaScript runtime: type.field => code file under graphql/.
  resolvers = {
    "Query.getSample"       = "get_sample.js"
    "Query.listSamples"     = "list_samples.js"
    "Mutation.createSample" = "create_sample.js"
  }
}

resource "aws_appsync_resolver" "samples" {
  for_each = local.resolvers

  api_id      = aws_appsync_graphql_api.main.id
  type        = split(".", each.key)[0]
  field       = split(".", each.key)[1]
  data_source = aws_appsync_datasource.samples.name
  kind        = "UNIT"
  code        = file("${path.module}/graphql/${each.value}")

  runtime {
    name            = "APPSYNC_JS"
    runtime_version = "1.0.0"
  }
}
