//! `aws_subnet` (stub, being written).
crate::stub_resource!(Subnet, "aws_subnet");
