# Cloud Map service discovery: the backend finds InfluxDB at influxdb.edgemind.local, an A record
# per running InfluxDB task, kept up to date by ECS (custom health checks: ECS reports task
# health, no Route 53 health checks).

resource "aws_service_discovery_private_dns_namespace" "main" {
  name        = "${var.project}.local"
  description = "Service discovery for ${local.name_prefix}"
  vpc         = module.network.vpc_id

  tags = merge(local.common_tags, {
    Name = "${local.name_prefix}-namespace"
  })
}

resource "aws_service_discovery_service" "influxdb" {
  name = "influxdb"

  dns_config {
    namespace_id   = aws_service_discovery_private_dns_namespace.main.id
    routing_policy = "MULTIVALUE"

    dns_records {
      ttl  = 10
      type = "A"
    }
  }

  health_check_custom_config {
    failure_threshold = 1
  }

  tags = merge(local.common_tags, {
    Name = "${local.name_prefix}-influxdb-discovery"
  })
}
