//! `aws_route_table_association` (stub, being written).
crate::stub_resource!(RouteTableAssociation, "aws_route_table_association");
