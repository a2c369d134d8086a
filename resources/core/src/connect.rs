//! The connection settings of one provider configuration (a `provider "aws"` block, default or
//! alias) as plain data: the engine evaluates them from the spec, the provider crate builds its
//! clients from them. No SDK types here.

use std::collections::BTreeMap;
use std::time::Duration;

/// How to reach AWS for one provider configuration (a `provider "aws"` block, default or
/// alias). Whatever is not given comes from the standard chain (environment, profiles, SSO,
/// instance metadata; `AWS_ENDPOINT_URL` and `AWS_ENDPOINT_URL_<SERVICE>`).
#[derive(Clone, Default, PartialEq)]
pub struct ConnectOptions {
    pub region: Option<String>,
    pub profile: Option<String>,
    /// Static credentials: both keys, and a session token when they are temporary.
    pub access_key: Option<String>,
    pub secret_key: Option<String>,
    pub token: Option<String>,
    /// Replace the default `~/.aws/credentials` / `~/.aws/config` when not empty.
    pub shared_credentials_files: Vec<String>,
    pub shared_config_files: Vec<String>,
    /// Credentials of a role assumed through STS with the credentials above.
    pub assume_role: Option<AssumeRole>,
    /// Endpoint per service, keyed by the provider's service names (for AWS the
    /// service modules, see `provision_resources::aws::ENDPOINT_SERVICES`).
    pub endpoints: BTreeMap<String, String>,
    /// Leave the instance metadata service out of the credential chain.
    pub skip_metadata_api_check: bool,
    /// Retries after the first attempt (`AWS_MAX_ATTEMPTS`, then 7, when not given).
    pub max_retries: Option<u32>,
    /// S3 path-style addressing; by default on for endpoints outside amazonaws.com.
    pub s3_use_path_style: Option<bool>,
}

/// Secrets stay out of debug output and logs.
impl std::fmt::Debug for ConnectOptions {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let redacted = |value: &Option<String>| value.as_ref().map(|_| "(sensitive value)");
        formatter
            .debug_struct("ConnectOptions")
            .field("region", &self.region)
            .field("profile", &self.profile)
            .field("access_key", &self.access_key)
            .field("secret_key", &redacted(&self.secret_key))
            .field("token", &redacted(&self.token))
            .field("shared_credentials_files", &self.shared_credentials_files)
            .field("shared_config_files", &self.shared_config_files)
            .field("assume_role", &self.assume_role)
            .field("endpoints", &self.endpoints)
            .field("skip_metadata_api_check", &self.skip_metadata_api_check)
            .field("max_retries", &self.max_retries)
            .field("s3_use_path_style", &self.s3_use_path_style)
            .finish()
    }
}

/// `assume_role { role_arn, session_name, external_id, duration }`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AssumeRole {
    pub role_arn: String,
    pub session_name: Option<String>,
    pub external_id: Option<String>,
    pub duration: Option<Duration>,
}
