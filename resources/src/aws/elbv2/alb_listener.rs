//! `aws_alb_listener`: Terraform's other name for `aws_lb_listener` (the listener), kept for configurations
//! written before the rename. Same schema, AWS calls and replacement rules as `aws_lb_listener`
//! (see `lb_listener.rs`); state records `aws_alb_listener` when the spec says `aws_alb_listener`.

use std::sync::Arc;

use crate::alias::Alias;

pub fn new() -> Alias {
    Alias::new(
        "aws_alb_listener",
        Arc::new(super::lb_listener::LbListener::new()),
    )
}
