//! Cognito identity pool resource types: one file per type, registered here.

use crate::registry::Registry;

pub fn register(_registry: &mut Registry) {}
