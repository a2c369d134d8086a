# Security groups, from the internet inwards:
#
#   internet --80,443--> alb --3000,8080--> backend --8086--> influxdb --2049--> efs
#
# The ALB and backend groups declare their rules inline; the InfluxDB and EFS groups use the
# standalone rule resources (one rule per resource, the style AWS provider v5 recommends), so
# rules can be added without touching the group.

resource "aws_security_group" "alb" {
  name        = "${local.name_prefix}-alb"
  description = "EdgeMind ALB: HTTP and HTTPS from the internet"
  vpc_id      = module.network.vpc_id

  ingress {
    description = "HTTP from the internet (redirected to HTTPS)"
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    description = "HTTPS from the internet"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    description = "All outbound traffic"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = merge(local.common_tags, {
    Name = "${local.name_prefix}-alb"
  })
}

resource "aws_security_group" "backend" {
  name        = "${local.name_prefix}-backend"
  description = "EdgeMind backend tasks: HTTP and WebSocket from the ALB"
  vpc_id      = module.network.vpc_id

  ingress {
    description     = "Backend HTTP API from the ALB"
    from_port       = 3000
    to_port         = 3000
    protocol        = "tcp"
    security_groups = [aws_security_group.alb.id]
  }

  ingress {
    description     = "Backend WebSocket from the ALB"
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [aws_security_group.alb.id]
  }

  egress {
    description = "All outbound traffic (Bedrock, Secrets Manager, MQTT broker)"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = merge(local.common_tags, {
    Name = "${local.name_prefix}-backend"
  })
}

resource "aws_security_group" "influxdb" {
  name        = "${local.name_prefix}-influxdb"
  description = "EdgeMind InfluxDB task: queries and writes from the backend"
  vpc_id      = module.network.vpc_id

  tags = merge(local.common_tags, {
    Name = "${local.name_prefix}-influxdb"
  })
}

resource "aws_vpc_security_group_ingress_rule" "influxdb_from_backend" {
  security_group_id            = aws_security_group.influxdb.id
  referenced_security_group_id = aws_security_group.backend.id
  description                  = "InfluxDB HTTP API from the backend"
  ip_protocol                  = "tcp"
  from_port                    = 8086
  to_port                      = 8086

  tags = merge(local.common_tags, {
    Name = "${local.name_prefix}-influxdb-from-backend"
  })
}

# InfluxDB pulls its image and reaches AWS APIs over HTTPS through the NAT gateway.
resource "aws_vpc_security_group_egress_rule" "influxdb_https" {
  security_group_id = aws_security_group.influxdb.id
  cidr_ipv4         = "0.0.0.0/0"
  description       = "HTTPS to the internet"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443

  tags = merge(local.common_tags, {
    Name = "${local.name_prefix}-influxdb-https"
  })
}

# NFS to the EFS mount targets.
resource "aws_vpc_security_group_egress_rule" "influxdb_to_efs" {
  security_group_id            = aws_security_group.influxdb.id
  referenced_security_group_id = aws_security_group.efs.id
  description                  = "NFS to the EFS mount targets"
  ip_protocol                  = "tcp"
  from_port                    = 2049
  to_port                      = 2049

  tags = merge(local.common_tags, {
    Name = "${local.name_prefix}-influxdb-to-efs"
  })
}

resource "aws_security_group" "efs" {
  name        = "${local.name_prefix}-efs"
  description = "EdgeMind EFS mount targets: NFS from InfluxDB"
  vpc_id      = module.network.vpc_id

  tags = merge(local.common_tags, {
    Name = "${local.name_prefix}-efs"
  })
}

resource "aws_vpc_security_group_ingress_rule" "efs_from_influxdb" {
  security_group_id            = aws_security_group.efs.id
  referenced_security_group_id = aws_security_group.influxdb.id
  description                  = "NFS from InfluxDB"
  ip_protocol                  = "tcp"
  from_port                    = 2049
  to_port                      = 2049

  tags = merge(local.common_tags, {
    Name = "${local.name_prefix}-efs-from-influxdb"
  })
}
