# VPC with three tiers per availability zone, from the shared network module
# (`../modules/network`):
#   public   10.x.0.0/24,  10.x.1.0/24, ...  internet gateway; the NAT gateway lives here
#   private  10.x.10.0/24, ...               the server Lambda; egress through the NAT gateway
#   isolated 10.x.20.0/24, ...               Aurora; no route out of the VPC at all
# One NAT gateway (the seed's "minimal NAT gateways") in the first public subnet.

module "network" {
  source = "../modules/network"

  name_prefix        = local.name_prefix
  vpc_cidr           = var.vpc_cidr
  availability_zones = var.availability_zones
  isolated_subnets   = true
  tags               = var.tags
}

# The server Lambda: no inbound traffic (it is invoked through its function URL), all outbound.
resource "aws_security_group" "lambda" {
  name        = "${local.name_prefix}-lambda"
  description = "Stream Sales server Lambda"
  vpc_id      = module.network.vpc_id

  egress {
    description = "All outbound traffic"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = merge(var.tags, {
    Name = "${local.name_prefix}-lambda"
  })
}

# Aurora: PostgreSQL from the Lambda's group only, nothing else in or out.
resource "aws_security_group" "database" {
  name        = "${local.name_prefix}-database"
  description = "Stream Sales Aurora PostgreSQL: 5432 from the server Lambda only"
  vpc_id      = module.network.vpc_id

  ingress {
    description     = "PostgreSQL from the server Lambda"
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.lambda.id]
  }

  tags = merge(var.tags, {
    Name = "${local.name_prefix}-database"
  })
}

# The network was written in this folder before it became a module: these blocks move a stack
# applied with that layout under the module. The private route table's inline NAT route became
# the module's standalone `aws_route.private_nat` (an in-place update and one new route).
moved {
  from = aws_vpc.main
  to   = module.network.aws_vpc.main
}

moved {
  from = aws_subnet.public
  to   = module.network.aws_subnet.public
}

moved {
  from = aws_subnet.private
  to   = module.network.aws_subnet.private
}

moved {
  from = aws_subnet.isolated
  to   = module.network.aws_subnet.isolated
}

moved {
  from = aws_internet_gateway.main
  to   = module.network.aws_internet_gateway.main
}

moved {
  from = aws_eip.nat
  to   = module.network.aws_eip.nat
}

moved {
  from = aws_nat_gateway.main
  to   = module.network.aws_nat_gateway.main
}

moved {
  from = aws_route_table.public
  to   = module.network.aws_route_table.public
}

moved {
  from = aws_route_table.private
  to   = module.network.aws_route_table.private
}

moved {
  from = aws_route_table.isolated
  to   = module.network.aws_route_table.isolated[0]
}

moved {
  from = aws_route_table_association.public
  to   = module.network.aws_route_table_association.public
}

moved {
  from = aws_route_table_association.private
  to   = module.network.aws_route_table_association.private
}

moved {
  from = aws_route_table_association.isolated
  to   = module.network.aws_route_table_association.isolated
}
