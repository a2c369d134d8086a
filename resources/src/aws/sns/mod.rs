//! SNS resource types: one file per type, registered here.

pub mod sns_topic;
pub mod sns_topic_subscription;

use std::sync::Arc;

use crate::registry::Registry;

pub fn register(registry: &mut Registry) {
    registry.register(Arc::new(sns_topic::SnsTopic::new()));
    registry.register(Arc::new(sns_topic_subscription::SnsTopicSubscription::new()));
}
