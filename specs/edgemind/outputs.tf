# What the database, backend and frontend stacks need from the network.

output "vpc_id" {
  description = "ID of the EdgeMind VPC"
  value       = module.network.vpc_id
}

output "vpc_cidr_block" {
  description = "CIDR block of the VPC"
  value       = module.network.vpc_cidr_block
}

output "public_subnet_ids" {
  description = "Public subnets (ALB, NAT gateway), one per availability zone"
  value       = module.network.public_subnet_ids
}

output "private_subnet_ids" {
  description = "Private subnets (ECS tasks, EFS mount targets), one per availability zone"
  value       = module.network.private_subnet_ids
}

output "nat_gateway_id" {
  description = "The single NAT gateway of the private subnets"
  value       = module.network.nat_gateway_id
}

output "alb_security_group_id" {
  description = "Security group of the application load balancer"
  value       = aws_security_group.alb.id
}

output "backend_security_group_id" {
  description = "Security group of the backend ECS tasks"
  value       = aws_security_group.backend.id
}

output "influxdb_security_group_id" {
  description = "Security group of the InfluxDB ECS task"
  value       = aws_security_group.influxdb.id
}

output "efs_security_group_id" {
  description = "Security group of the EFS mount targets"
  value       = aws_security_group.efs.id
}

output "ecs_log_group_names" {
  description = "Log groups of the backend and InfluxDB ECS tasks"
  value = {
    backend  = aws_cloudwatch_log_group.backend.name
    influxdb = aws_cloudwatch_log_group.influxdb.name
  }
}

output "alb_dns_name" {
  description = "DNS name of the backend load balancer (the CloudFront origin of /api/* and /health)"
  value       = aws_lb.backend.dns_name
}

output "influxdb_service_discovery_name" {
  description = "DNS name the backend reaches InfluxDB at"
  value       = "${aws_service_discovery_service.influxdb.name}.${aws_service_discovery_private_dns_namespace.main.name}"
}

output "efs_file_system_id" {
  description = "EFS file system holding InfluxDB's data"
  value       = aws_efs_file_system.influxdb.id
}

output "secret_arns" {
  description = "ARNs of the MQTT and InfluxDB secrets"
  value = {
    mqtt     = aws_secretsmanager_secret.mqtt.arn
    influxdb = aws_secretsmanager_secret.influxdb.arn
  }
}

output "task_execution_role_arn" {
  description = "ECS task execution role"
  value       = aws_iam_role.task_execution.arn
}

output "backend_task_role_arn" {
  description = "Task role of the backend (Bedrock, secrets)"
  value       = aws_iam_role.backend_task.arn
}

output "influxdb_task_role_arn" {
  description = "Task role of InfluxDB"
  value       = aws_iam_role.influxdb_task.arn
}

output "backend_repository_url" {
  description = "ECR repository of the backend image"
  value       = aws_ecr_repository.backend.repository_url
}

output "frontend_url" {
  description = "URL of the EdgeMind frontend (the CloudFront distribution)"
  value       = "https://${aws_cloudfront_distribution.frontend.domain_name}"
}

output "frontend_bucket_name" {
  description = "Bucket the frontend build is uploaded to"
  value       = aws_s3_bucket.frontend.bucket
}

output "cloudfront_distribution_id" {
  description = "ID of the frontend distribution (for cache invalidations)"
  value       = aws_cloudfront_distribution.frontend.id
}
