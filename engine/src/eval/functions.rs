//! Terraform's built-in functions that specs use: cidrsubnet, format, join, merge, lookup,
//! jsonencode, ... One function each, no IO.
