//! `aws_internet_gateway` (stub, being written).
crate::stub_resource!(InternetGateway, "aws_internet_gateway");
