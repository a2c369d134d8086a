# The outputs of the seed's stack, under the same names.

output "CloudFrontURL" {
  description = "Application URL"
  value       = "https://${aws_cloudfront_distribution.main.domain_name}"
}

output "DatabaseEndpoint" {
  description = "Aurora cluster endpoint"
  value       = aws_rds_cluster.main.endpoint
}

output "DatabaseSecretArn" {
  description = "ARN of the database credentials secret"
  value       = aws_secretsmanager_secret.database.arn
}

output "JWTSecretArn" {
  description = "ARN of the JWT secret"
  value       = aws_secretsmanager_secret.jwt.arn
}

output "EncryptionKeySecretArn" {
  description = "ARN of the encryption key secret"
  value       = aws_secretsmanager_secret.encryption_key.arn
}

output "ImagesBucketName" {
  description = "S3 bucket for product images"
  value       = aws_s3_bucket.images.bucket
}

output "ImagesBucketURL" {
  description = "S3 URL of the images bucket"
  value       = "https://${aws_s3_bucket.images.bucket_regional_domain_name}"
}

output "VPCId" {
  description = "VPC identifier"
  value       = module.network.vpc_id
}

output "ServerFunctionURL" {
  description = "The server Lambda's function URL (CloudFront's origin)"
  value       = aws_lambda_function_url.server.function_url
}

output "DatabaseConnectCommand" {
  description = "Command to get the database connection string"
  value       = "aws secretsmanager get-secret-value --secret-id ${aws_secretsmanager_secret.database.arn} --query SecretString --output text | jq -r '\"postgresql://\\(.username):\\(.password)@\\(.host):\\(.port)/\\(.dbname)?sslmode=require\"'"
}
