//! ECS (clusters, capacity providers, task definitions, services) resource types: one file per type, registered here.

use crate::registry::Registry;

pub fn register(registry: &mut Registry) {
    let _ = registry;
}
