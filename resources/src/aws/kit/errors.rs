//! AWS errors: SDK error → `ProviderError` (the AWS error code, message and request id, in one
//! line, never the SDK's debug structure), and the "not found" readings every type needs as
//! extension methods on `Result`.

use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_types::request_id::RequestId;

use crate::error::ProviderError;

/// An error and its sources, joined with `: ` (each layer once).
fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![error.to_string()];
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.iter().any(|part| part.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    parts.join(": ")
}

/// Converts an SDK error into a `ProviderError` that names the operation and the AWS error
/// code: `Operation failed: Code: message (request id ...)`. An answer without an AWS error
/// code says its HTTP status; no answer at all is `Unreachable` with the cause chain.
pub fn sdk_error<E, R>(
    operation: &str,
    error: aws_smithy_runtime_api::client::result::SdkError<E, R>,
) -> ProviderError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    use aws_smithy_runtime_api::client::result::SdkError;
    match &error {
        SdkError::DispatchFailure(_) => ProviderError::Unreachable {
            operation: operation.to_string(),
            // The whole chain ("io error: ... Connection refused"), not just the outer layer.
            message: error_chain(&error),
        },
        SdkError::TimeoutError(_) => ProviderError::Unreachable {
            operation: operation.to_string(),
            message: "request timed out".to_string(),
        },
        _ => {
            let request_id = error.meta().request_id().map(str::to_string);
            let (code, message) = match (error.code(), &error) {
                (Some(code), _) => (
                    code.to_string(),
                    error.message().unwrap_or_default().to_string(),
                ),
                (None, SdkError::ServiceError(service)) => {
                    ("Unknown".to_string(), error_chain(service.err()))
                }
                (None, SdkError::ResponseError(_)) => (
                    "Unknown".to_string(),
                    "the answer could not be read".to_string(),
                ),
                // Built before sending (missing credentials, a bad endpoint): the cause says why.
                (None, _) => ("Unknown".to_string(), error_chain(&error)),
            };
            ProviderError::Aws {
                operation: operation.to_string(),
                code,
                message: one_line(&message, request_id.as_deref()),
            }
        }
    }
}

/// `message` on one line, at most 300 characters, with the request id when AWS gave one.
fn one_line(message: &str, request_id: Option<&str>) -> String {
    let mut text: String = message.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() > 300 {
        text = text.chars().take(300).collect::<String>() + "…";
    }
    match request_id {
        Some(id) if !id.is_empty() => format!("{text} (request id {id})"),
        _ => text,
    }
}

/// An "the answer carried nothing" error for `operation`.
pub fn empty_answer(operation: &str, what: &str) -> ProviderError {
    ProviderError::Aws {
        operation: operation.to_string(),
        code: "EmptyResponse".to_string(),
        message: format!("the answer carried no {what}"),
    }
}

/// True when `error` says the thing is not there: a not-found code, or one of `codes` (the
/// service's own "absent" answers, `NoSuchLifecyclePolicy`, `Gateway.NotAttached`, ...).
pub fn is_gone(error: &ProviderError, codes: &[&str]) -> bool {
    error.is_not_found() || error.code().is_some_and(|code| codes.contains(&code))
}

/// `Ok(None)` when `error` says the thing is not there, else the error: a `read`'s answer to a
/// failed describe call.
pub fn none_if_gone<T>(error: ProviderError) -> Result<Option<T>, ProviderError> {
    Err::<T, _>(error).not_found_as_none()
}

/// `Ok(())` when `error` says the thing is not there, else the error: a `delete`'s answer to a
/// failed delete call.
pub fn ok_if_gone(error: ProviderError) -> Result<(), ProviderError> {
    Err::<(), _>(error).gone_is_ok()
}

/// The "not found" readings of an AWS call's result.
pub trait ResultExt<T> {
    /// `Ok(None)` when AWS says the thing does not exist: how a `read` says "gone".
    fn not_found_as_none(self) -> Result<Option<T>, ProviderError>;
    /// `not_found_as_none`, also for the service's own absent codes.
    fn absent_as_none(self, codes: &[&str]) -> Result<Option<T>, ProviderError>;
    /// `Ok(())` when the thing is already gone: how a `delete` treats "not found".
    fn gone_is_ok(self) -> Result<(), ProviderError>;
    /// `gone_is_ok`, also for the service's own absent codes.
    fn absent_is_ok(self, codes: &[&str]) -> Result<(), ProviderError>;
}

impl<T> ResultExt<T> for Result<T, ProviderError> {
    fn not_found_as_none(self) -> Result<Option<T>, ProviderError> {
        self.absent_as_none(&[])
    }

    fn absent_as_none(self, codes: &[&str]) -> Result<Option<T>, ProviderError> {
        match self {
            Ok(value) => Ok(Some(value)),
            Err(error) if is_gone(&error, codes) => Ok(None),
            Err(error) => Err(error),
        }
    }

    fn gone_is_ok(self) -> Result<(), ProviderError> {
        self.absent_is_ok(&[])
    }

    fn absent_is_ok(self, codes: &[&str]) -> Result<(), ProviderError> {
        self.absent_as_none(codes).map(|_| ())
    }
}

/// `Ok(None)` for a not-found answer, else the result (the function form of
/// `ResultExt::not_found_as_none`).
pub fn found<T>(result: Result<T, ProviderError>) -> Result<Option<T>, ProviderError> {
    result.not_found_as_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aws(code: &str) -> ProviderError {
        ProviderError::Aws {
            operation: "DescribeThing".into(),
            code: code.into(),
            message: String::new(),
        }
    }

    #[test]
    fn not_found_becomes_none_and_gone_is_fine() {
        let gone: Result<u8, ProviderError> = Err(aws("DBClusterNotFoundFault"));
        assert!(gone.not_found_as_none().unwrap().is_none());
        assert_eq!(
            Ok::<u8, ProviderError>(3).not_found_as_none().unwrap(),
            Some(3)
        );
        assert!(Err::<u8, _>(aws("NoSuchEntity")).gone_is_ok().is_ok());
        assert!(Err::<u8, _>(aws("AccessDenied")).gone_is_ok().is_err());
        assert!(Err::<u8, _>(aws("Gateway.NotAttached"))
            .absent_is_ok(&["Gateway.NotAttached"])
            .is_ok());
        assert!(Err::<u8, _>(aws("Throttling"))
            .absent_as_none(&["X"])
            .is_err());
    }

    #[test]
    fn messages_are_one_line_with_the_request_id() {
        assert_eq!(
            one_line("bad\n  value\there", Some("abc-123")),
            "bad value here (request id abc-123)"
        );
        assert_eq!(one_line("plain", None), "plain");
        assert!(one_line(&"x ".repeat(400), None).chars().count() <= 301);
    }

    #[test]
    fn aws_errors_print_operation_code_and_message() {
        let error = ProviderError::Aws {
            operation: "CreateVpc".into(),
            code: "InvalidParameterValue".into(),
            message: one_line("bad cidr", Some("r-1")),
        };
        assert_eq!(
            error.to_string(),
            "CreateVpc failed: InvalidParameterValue: bad cidr (request id r-1)"
        );
    }
}
