//! The Resource Groups Tagging API: no resource types of its own. Its client (`tagging`) serves
//! drift's listing of untracked resources by tag for every taggable type, through
//! `kit::tagging::list_tagged`.

use crate::registry::Registry;

/// Registers nothing: the service has no resource types.
pub fn register(_registry: &mut Registry) {}
