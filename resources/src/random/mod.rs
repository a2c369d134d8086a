//! Resource types of the `random` provider (`random_password`): values generated locally,
//! once, and kept in state. They make no cloud calls.

pub mod random_password;

use std::sync::Arc;

use crate::registry::Registry;

pub fn register(registry: &mut Registry) {
    registry.register(Arc::new(random_password::RandomPassword::new()));
}
