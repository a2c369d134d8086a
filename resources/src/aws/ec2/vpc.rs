//! `aws_vpc` (stub, being written).
crate::stub_resource!(Vpc, "aws_vpc");
