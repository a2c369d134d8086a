# Development: no auth, short logs.
environment        = "dev"
enable_auth        = false
log_retention_days = 7
