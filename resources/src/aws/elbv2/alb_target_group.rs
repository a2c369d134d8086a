//! `aws_alb_target_group`: Terraform's other name for `aws_lb_target_group` (the target group), kept for configurations
//! written before the rename. Same schema, AWS calls and replacement rules as `aws_lb_target_group`
//! (see `lb_target_group.rs`); state records `aws_alb_target_group` when the spec says `aws_alb_target_group`.

use std::sync::Arc;

use crate::alias::Alias;

pub fn new() -> Alias {
    Alias::new(
        "aws_alb_target_group",
        Arc::new(super::lb_target_group::LbTargetGroup::new()),
    )
}
