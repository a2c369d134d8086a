//! Test support for the providers' unit tests: a provider context whose clients are built
//! but never called.

use std::sync::Arc;

use crate::provider::ProviderContext;

pub fn context() -> ProviderContext {
    let config = aws_types::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(aws_types::region::Region::new("us-east-1"))
        .build();
    ProviderContext {
        clients: Arc::new(crate::aws::AwsClients::from_config(&config)),
        stack: "test/stack".to_string(),
        address: "test.address".to_string(),
        default_tags: Default::default(),
        idempotency_token: "token".to_string(),
        progress: Default::default(),
    }
}
