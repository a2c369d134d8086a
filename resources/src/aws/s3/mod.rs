//! S3 (buckets and their configuration sub-resources) resource types: one file per type, registered here.

use crate::registry::Registry;

pub fn register(registry: &mut Registry) {
    let _ = registry;
}
