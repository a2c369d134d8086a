//! SQS resource types: one file per type, registered here.

pub mod sqs_queue;
pub mod sqs_queue_policy;

use std::sync::Arc;

use crate::registry::Registry;

pub fn register(registry: &mut Registry) {
    registry.register(Arc::new(sqs_queue::SqsQueue::new()));
    registry.register(Arc::new(sqs_queue_policy::SqsQueuePolicy::new()));
}
