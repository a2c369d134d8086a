# VPC, subnets, internet and NAT gateways, and routing: the shared network module
# (`../modules/network`), one public and one private subnet per availability zone.
#
# Layout of the /16 (with the default 10.0.0.0/16):
#   public  subnets 10.0.0.0/24, 10.0.1.0/24, ...   (cidrsubnet index 0, 1, ...)
#   private subnets 10.0.10.0/24, 10.0.11.0/24, ... (cidrsubnet index 10, 11, ...)
# A single NAT gateway in the first public subnet serves every private subnet: the seed trades
# zone redundancy of egress for cost.

module "network" {
  source = "../modules/network"

  name_prefix        = local.name_prefix
  vpc_cidr           = var.vpc_cidr
  availability_zones = var.availability_zones
  tags               = local.common_tags
}

# The network was written in this folder before it became a module: these blocks move a stack
# applied with that layout under the module without destroying anything.
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
  from = aws_route.private_nat
  to   = module.network.aws_route.private_nat
}

moved {
  from = aws_route_table_association.public
  to   = module.network.aws_route_table_association.public
}

moved {
  from = aws_route_table_association.private
  to   = module.network.aws_route_table_association.private
}
