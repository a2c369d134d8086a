//! `aws_eip` (stub, being written).
crate::stub_resource!(Eip, "aws_eip");
