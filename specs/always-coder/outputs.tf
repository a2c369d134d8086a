# Outputs named after the seed's CloudFormation outputs.

output "websocket_url" {
  description = "WebSocket API endpoint of the stage (WebSocketUrl), wss://..."
  value       = aws_apigatewayv2_stage.main.invoke_url
}

output "web_url" {
  description = "Web application URL (WebUrl)"
  value       = "https://${aws_cloudfront_distribution.web.domain_name}"
}

output "user_pool_id" {
  description = "Cognito user pool id (UserPoolId), empty without enable_auth"
  value       = local.user_pool_id
}

output "user_pool_client_id" {
  description = "Cognito app client id (UserPoolClientId), empty without enable_auth"
  value       = local.user_pool_client_id
}

output "web_bucket_name" {
  description = "S3 bucket of the web assets (WebBucketName)"
  value       = aws_s3_bucket.web.bucket
}
