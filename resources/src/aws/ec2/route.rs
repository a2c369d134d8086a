//! `aws_route` (stub, being written).
crate::stub_resource!(Route, "aws_route");
