//! Resource types of the `random` provider (`random_password`): values generated locally,
//! once, and kept in state. They make no cloud calls.

use crate::registry::Registry;

pub fn register(registry: &mut Registry) {
    let _ = registry;
}
