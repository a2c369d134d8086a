//! Waiters: readiness polling with short, growing intervals (1 s doubling up to 10 s) and a
//! time limit (`until`, `until_state`, `until_gone`), and retries while AWS answers a given
//! code (`retry_on`) or an error a predicate accepts (`retry_when`).

use std::future::Future;
use std::time::{Duration, Instant};

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::aws::kit::errors::{sdk_error, ResultExt};
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
    // A `timeouts {}` limit of the spec replaces the provider's own.
    let limit = provision_core::wait_limit::current().unwrap_or(limit);
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

/// Polls `state` until it returns one of `ready` (then that state's value), fails, or `limit`
/// passes. `state` answers `None` while the thing is not visible yet.
pub async fn until_state<S, T, F, Fut>(
    what: &str,
    limit: Duration,
    ready: &[S],
    mut state: F,
) -> Result<T, ProviderError>
where
    S: PartialEq,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<(S, T)>, ProviderError>>,
{
    until(what, limit, || {
        let poll = state();
        async move {
            Ok(match poll.await? {
                Some((current, value)) if ready.contains(&current) => Poll::Ready(value),
                _ => Poll::Pending,
            })
        }
    })
    .await
}

/// Polls `exists` until it answers `false` (a not-found answer counts as gone), or `limit`
/// passes: how a delete waits until AWS no longer has the thing.
pub async fn until_gone<F, Fut>(
    what: &str,
    limit: Duration,
    mut exists: F,
) -> Result<(), ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<bool, ProviderError>>,
{
    until(what, limit, || {
        let poll = exists();
        async move {
            match poll.await {
                Ok(true) => Ok(Poll::Pending),
                Ok(false) => Ok(Poll::Ready(())),
                Err(error) if error.is_not_found() => Ok(Poll::Ready(())),
                Err(error) => Err(error),
            }
        }
    })
    .await
}

/// Calls `attempt` until it succeeds, retrying (with `until`'s growing intervals) while AWS
/// answers one of `codes` (`DependencyViolation` while dependents drain, ...). Any other error
/// is returned at once; when `limit` passes, the last retried AWS error is returned.
pub async fn retry_on<T, F, Fut>(
    what: &str,
    limit: Duration,
    codes: &[&str],
    attempt: F,
) -> Result<T, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, ProviderError>>,
{
    retry_when(
        what,
        limit,
        |error| error.code().is_some_and(|code| codes.contains(&code)),
        attempt,
    )
    .await
}

/// A delete that AWS refuses with one of `codes` while dependents drain (`DependencyViolation`,
/// `ResourceInUse`, ...): `retry_on`, and a thing already gone counts as deleted.
pub async fn delete_retrying_on<T, F, Fut>(
    what: &str,
    limit: Duration,
    codes: &[&str],
    attempt: F,
) -> Result<(), ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, ProviderError>>,
{
    retry_on(what, limit, codes, attempt).await.gone_is_ok()
}

/// `delete_retrying_on` for one SDK call: `send` makes the delete request (`operation`, as
/// errors name it), retried while AWS answers one of `codes`; a thing already gone counts as
/// deleted.
pub async fn send_delete_retrying_on<T, E, R, F, Fut>(
    operation: &str,
    what: &str,
    limit: Duration,
    codes: &[&str],
    send: F,
) -> Result<(), ProviderError>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T, SdkError<E, R>>>,
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    delete_retrying_on(what, limit, codes, || {
        let call = send();
        async move { call.await.map_err(|error| sdk_error(operation, error)) }
    })
    .await
}

/// `retry_on` with a predicate choosing the errors to retry.
pub async fn retry_when<T, F, Fut>(
    what: &str,
    limit: Duration,
    retryable: impl Fn(&ProviderError) -> bool,
    mut attempt: F,
) -> Result<T, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, ProviderError>>,
{
    let last_error: std::sync::Mutex<Option<ProviderError>> = std::sync::Mutex::new(None);
    let last_error_slot = &last_error;
    let retryable = &retryable;
    let result = until(what, limit, || {
        let call = attempt();
        async move {
            match call.await {
                Ok(value) => Ok(Poll::Ready(value)),
                Err(error) if retryable(&error) => {
                    if let Ok(mut slot) = last_error_slot.lock() {
                        *slot = Some(error);
                    }
                    Ok(Poll::Pending)
                }
                Err(error) => Err(error),
            }
        }
    })
    .await;
    match result {
        // Out of time: the last AWS answer says more than "timed out".
        Err(timeout @ ProviderError::Timeout { .. }) => {
            Err(last_error.into_inner().ok().flatten().unwrap_or(timeout))
        }
        other => other,
    }
}
