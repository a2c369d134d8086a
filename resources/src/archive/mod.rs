//! The hashicorp/archive provider's data source, `archive_file`, and the zip writer it uses.

pub mod archive_file;
pub mod zip_writer;

use std::sync::Arc;

use crate::registry::Registry;

pub fn register(registry: &mut Registry) {
    registry.register_data_source(Arc::new(archive_file::ArchiveFile::new()));
}
