//! `ProviderError`: what a provider call can fail with. The engine adds the resource address.

use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    /// AWS answered with an error. `code` is the AWS error code (`InvalidParameterValue`, ...).
    #[error("{operation} failed: {code}: {message}")]
    Aws {
        operation: String,
        code: String,
        message: String,
    },
    /// The request never got an answer (connection refused, timeout, DNS).
    #[error("{operation} failed: could not reach AWS: {message}")]
    Unreachable { operation: String, message: String },
    /// An attribute value the provider cannot use.
    #[error("invalid value for `{attribute}`: {message}")]
    InvalidAttribute { attribute: String, message: String },
    /// A readiness wait ran out of time.
    #[error("timed out after {waited:?} waiting for {what}")]
    Timeout { what: String, waited: Duration },
    /// Refused on purpose (for example a bucket with objects and no `force_destroy`).
    #[error("{0}")]
    Refused(String),
    /// A delete AWS allows only later (a Lambda@Edge function while CloudFront still holds its
    /// replicas, for up to hours): the resource stays in state, the run does not fail, and the
    /// next destroy or apply deletes it.
    #[error("{0}")]
    DeleteDeferred(String),
}

impl ProviderError {
    pub fn invalid(attribute: impl Into<String>, message: impl Into<String>) -> ProviderError {
        ProviderError::InvalidAttribute {
            attribute: attribute.into(),
            message: message.into(),
        }
    }

    /// The AWS error code, when AWS answered with one.
    pub fn code(&self) -> Option<&str> {
        match self {
            ProviderError::Aws { code, .. } => Some(code),
            _ => None,
        }
    }

    /// True for "this does not exist" answers (`InvalidVpcID.NotFound`, `NoSuchEntity`, ...).
    pub fn is_not_found(&self) -> bool {
        self.code().is_some_and(|code| {
            code.ends_with("NotFound")
                || code.ends_with(".NotFound")
                || code.starts_with("NoSuch")
                || code == "ResourceNotFoundException"
                || code.ends_with("NotFoundException")
                || code.ends_with("NotFoundFault")
        })
    }

    /// True when the caller stopped waiting for the answer rather than getting a bad one.
    pub fn is_unreachable(&self) -> bool {
        matches!(self, ProviderError::Unreachable { .. })
    }
}
