//! Readiness polling with short, growing intervals (1 s doubling up to 10 s) and a time limit.

use std::future::Future;
use std::time::{Duration, Instant};

use crate::error::ProviderError;

/// What one poll found.
pub enum Poll<T> {
    Ready(T),
    Pending,
}

/// Polls `check` until it returns `Ready`, an error, or `limit` passes. The first poll happens
/// at once; then 1 s, 2 s, 4 s, 8 s, 10 s, 10 s, ...
pub async fn until<T, F, Fut>(what: &str, limit: Duration, mut check: F) -> Result<T, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Poll<T>, ProviderError>>,
{
    let started = Instant::now();
    let mut delay = Duration::from_millis(
        std::env::var("PROVISION_POLL_MILLIS")
            .ok()
            .and_then(|millis| millis.parse().ok())
            .unwrap_or(1000),
    );
    loop {
        if let Poll::Ready(value) = check().await? {
            return Ok(value);
        }
        if started.elapsed() >= limit {
            return Err(ProviderError::Timeout {
                what: what.to_string(),
                waited: started.elapsed(),
            });
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(10));
    }
}
