# Outputs named after the seed's CloudFormation outputs, and the frontend's aws-exports.

output "user_pool_id" {
  description = "Cognito user pool id (UserPoolId)"
  value       = aws_cognito_user_pool.main.id
}

output "user_pool_client_id" {
  description = "Cognito web client id (UserPoolClientId)"
  value       = aws_cognito_user_pool_client.web.id
}

output "identity_pool_id" {
  description = "Cognito identity pool id (IdentityPoolId)"
  value       = aws_cognito_identity_pool.main.id
}

output "audio_bucket_name" {
  description = "S3 bucket of the audio files (AudioBucketName)"
  value       = aws_s3_bucket.audio.bucket
}

output "graphql_api_url" {
  description = "AppSync GraphQL endpoint (GraphQLAPIURL)"
  value       = aws_appsync_graphql_api.main.uris["GRAPHQL"]
}

output "graphql_api_id" {
  description = "AppSync API id (GraphQLAPIID)"
  value       = aws_appsync_graphql_api.main.id
}

output "graphql_api_key" {
  description = "API key for public read access (GraphQLAPIKey)"
  value       = aws_appsync_api_key.public.key
  sensitive   = true
}

output "processing_queue_url" {
  description = "SQS queue of the audio processing (ProcessingQueueUrl)"
  value       = aws_sqs_queue.processing.url
}

output "repository_uri" {
  description = "ECR repository of the audio processing image (RepositoryUri)"
  value       = aws_ecr_repository.audio_processing.repository_url
}

output "service_arn" {
  description = "ECS audio processing service (ServiceArn)"
  value       = aws_ecs_service.audio_processing.id
}

output "eu_audio_bucket_name" {
  description = "The EU copy's audio bucket, when multi_region is set"
  value       = var.multi_region ? aws_s3_bucket.audio_eu[0].bucket : null
}

# The seed's src/aws-exports-cdk.js: `provision output aws_exports --json` is the frontend's
# configuration. Sensitive because it carries the API key.
output "aws_exports" {
  description = "The frontend's aws-exports configuration"
  sensitive   = true
  value = {
    aws_project_region              = var.region
    aws_cognito_identity_pool_id    = aws_cognito_identity_pool.main.id
    aws_cognito_region              = var.region
    aws_user_pools_id               = aws_cognito_user_pool.main.id
    aws_user_pools_web_client_id    = aws_cognito_user_pool_client.web.id
    aws_appsync_graphqlEndpoint     = aws_appsync_graphql_api.main.uris["GRAPHQL"]
    aws_appsync_region              = var.region
    aws_appsync_authenticationType  = "AMAZON_COGNITO_USER_POOLS"
    aws_appsync_apiKey              = aws_appsync_api_key.public.key
    aws_user_files_s3_bucket        = aws_s3_bucket.audio.bucket
    aws_user_files_s3_bucket_region = var.region
  }
}
