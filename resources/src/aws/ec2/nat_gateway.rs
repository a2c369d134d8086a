//! `aws_nat_gateway` (stub, being written).
crate::stub_resource!(NatGateway, "aws_nat_gateway");
