//! `aws_route_table` (stub, being written).
crate::stub_resource!(RouteTable, "aws_route_table");
