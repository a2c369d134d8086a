//! DynamoDB resource types: one file per type, registered here.

pub mod dynamodb_table;

use std::sync::Arc;

use crate::registry::Registry;

pub fn register(registry: &mut Registry) {
    registry.register(Arc::new(dynamodb_table::DynamodbTable::new()));
}
