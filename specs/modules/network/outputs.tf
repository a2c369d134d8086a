output "vpc_id" {
  description = "ID of the VPC"
  value       = aws_vpc.main.id
}

output "vpc_cidr_block" {
  description = "CIDR block of the VPC"
  value       = aws_vpc.main.cidr_block
}

output "public_subnet_ids" {
  description = "Public subnets (load balancers, the NAT gateway), one per availability zone"
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "Private subnets (tasks, functions, mount targets), one per availability zone"
  value       = aws_subnet.private[*].id
}

output "isolated_subnet_ids" {
  description = "Isolated subnets (databases), one per availability zone; empty without isolated_subnets"
  value       = aws_subnet.isolated[*].id
}

output "nat_gateway_id" {
  description = "The single NAT gateway of the private subnets"
  value       = aws_nat_gateway.main.id
}
