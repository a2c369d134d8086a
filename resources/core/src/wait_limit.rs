//! The time limit of the operation a task runs, when its spec sets one (`timeouts { create =
//! "30m" }`): the apply engine scopes each create, update and delete with it, and providers'
//! readiness waits and retries take it instead of their own limit.

use std::future::Future;
use std::time::Duration;

tokio::task_local! {
    static LIMIT: Duration;
}

/// Runs `work` with `limit` as the limit of every wait inside it.
pub async fn scope<F: Future>(limit: Duration, work: F) -> F::Output {
    LIMIT.scope(limit, work).await
}

/// The limit of the operation this task runs, when one is set.
pub fn current() -> Option<Duration> {
    LIMIT.try_with(|limit| *limit).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_scoped_limit_is_seen_inside_and_not_outside() {
        assert_eq!(current(), None);
        let inside = scope(Duration::from_secs(3), async { current() }).await;
        assert_eq!(inside, Some(Duration::from_secs(3)));
        assert_eq!(current(), None);
    }
}
