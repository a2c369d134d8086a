# Production: Cognito sign-in at the edge and for the API, longer logs, higher throttling limits.
environment            = "prod"
enable_auth            = true
log_retention_days     = 30
throttling_rate_limit  = 500
throttling_burst_limit = 1000
price_class            = "PriceClass_All"
