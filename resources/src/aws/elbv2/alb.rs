//! `aws_alb`: Terraform's other name for `aws_lb` (the load balancer), kept for configurations
//! written before the rename. Same schema, AWS calls and replacement rules as `aws_lb`
//! (see `lb.rs`); state records `aws_alb` when the spec says `aws_alb`.

use std::sync::Arc;

use crate::alias::Alias;

pub fn new() -> Alias {
    Alias::new("aws_alb", Arc::new(super::lb::Lb::new()))
}
