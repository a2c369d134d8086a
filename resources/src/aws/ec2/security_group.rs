//! `aws_security_group` (stub, being written).
crate::stub_resource!(SecurityGroup, "aws_security_group");
