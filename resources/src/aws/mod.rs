//! AWS plumbing shared by every provider: one `SdkConfig` (standard credential chain, profiles,
//! region, `AWS_ENDPOINT_URL`), the service clients built from it, an interceptor that counts
//! API calls, the SDK-error → `ProviderError` conversion, tag helpers and readiness polling.

pub mod appautoscaling;
pub mod attrs;
pub mod cloudfront;
pub mod cloudwatch;
pub mod ec2;
pub mod ecr;
pub mod ecs;
pub mod efs;
pub mod elbv2;
pub mod iam;
pub mod lambda;
pub mod logs;
pub mod rds;
pub mod s3;
pub mod secretsmanager;
pub mod servicediscovery;
pub mod sns;
pub mod tags;
pub mod wait;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::error::ProviderError;
use crate::registry::Registry;

/// Registers every AWS resource type.
pub fn register_all(registry: &mut Registry) {
    appautoscaling::register(registry);
    cloudfront::register(registry);
    cloudwatch::register(registry);
    ec2::register(registry);
    ecr::register(registry);
    ecs::register(registry);
    efs::register(registry);
    elbv2::register(registry);
    iam::register(registry);
    lambda::register(registry);
    logs::register(registry);
    rds::register(registry);
    s3::register(registry);
    secretsmanager::register(registry);
    servicediscovery::register(registry);
    sns::register(registry);
}

/// How to reach AWS: region and profile override the standard chain when given.
#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    pub region: Option<String>,
    pub profile: Option<String>,
}

/// The service clients, built once per run from one `SdkConfig`.
pub struct AwsClients {
    pub ec2: aws_sdk_ec2::Client,
    pub logs: aws_sdk_cloudwatchlogs::Client,
    pub ecr: aws_sdk_ecr::Client,
    pub iam: aws_sdk_iam::Client,
    pub secretsmanager: aws_sdk_secretsmanager::Client,
    pub efs: aws_sdk_efs::Client,
    pub servicediscovery: aws_sdk_servicediscovery::Client,
    pub ecs: aws_sdk_ecs::Client,
    pub elbv2: aws_sdk_elasticloadbalancingv2::Client,
    pub autoscaling: aws_sdk_applicationautoscaling::Client,
    pub s3: aws_sdk_s3::Client,
    pub cloudfront: aws_sdk_cloudfront::Client,
    pub rds: aws_sdk_rds::Client,
    pub lambda: aws_sdk_lambda::Client,
    pub sns: aws_sdk_sns::Client,
    pub cloudwatch: aws_sdk_cloudwatch::Client,
    pub region: String,
    pub api_calls: ApiCallCounter,
}

impl AwsClients {
    /// Loads the standard AWS configuration (environment, profiles, SSO, IMDS; honours
    /// `AWS_ENDPOINT_URL` and `AWS_ENDPOINT_URL_<SERVICE>`) and builds the clients.
    pub async fn connect(options: &ConnectOptions) -> AwsClients {
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
        if let Some(region) = &options.region {
            loader = loader.region(aws_config::Region::new(region.clone()));
        }
        if let Some(profile) = &options.profile {
            loader = loader.profile_name(profile);
        }
        if std::env::var_os("AWS_MAX_ATTEMPTS").is_none() {
            loader = loader
                .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(8));
        }
        loader = loader.timeout_config(
            aws_config::timeout::TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(5))
                .operation_attempt_timeout(Duration::from_secs(60))
                .operation_timeout(Duration::from_secs(300))
                .build(),
        );
        let config = loader.load().await;
        AwsClients::from_config(&config)
    }

    pub fn from_config(config: &aws_types::SdkConfig) -> AwsClients {
        let api_calls = ApiCallCounter::default();
        // One client per service, each counting its calls through the shared interceptor.
        macro_rules! client {
            ($sdk:ident) => {
                $sdk::Client::from_conf(
                    $sdk::config::Builder::from(config)
                        .interceptor(api_calls.clone())
                        .build(),
                )
            };
        }
        // Path-style addressing works against every endpoint, including emulators on
        // 127.0.0.1 where virtual-hosted bucket names cannot resolve.
        let s3_path_style = config
            .endpoint_url()
            .is_some_and(|url| !url.contains("amazonaws.com"));
        let s3 = aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(config)
                .interceptor(api_calls.clone())
                .force_path_style(s3_path_style)
                .build(),
        );
        AwsClients {
            ec2: client!(aws_sdk_ec2),
            logs: client!(aws_sdk_cloudwatchlogs),
            ecr: client!(aws_sdk_ecr),
            iam: client!(aws_sdk_iam),
            secretsmanager: client!(aws_sdk_secretsmanager),
            efs: client!(aws_sdk_efs),
            servicediscovery: client!(aws_sdk_servicediscovery),
            ecs: client!(aws_sdk_ecs),
            elbv2: client!(aws_sdk_elasticloadbalancingv2),
            autoscaling: client!(aws_sdk_applicationautoscaling),
            s3,
            cloudfront: client!(aws_sdk_cloudfront),
            rds: client!(aws_sdk_rds),
            lambda: client!(aws_sdk_lambda),
            sns: client!(aws_sdk_sns),
            cloudwatch: client!(aws_sdk_cloudwatch),
            region: config
                .region()
                .map(|region| region.to_string())
                .unwrap_or_else(|| "us-east-1".to_string()),
            api_calls,
        }
    }
}

/// Counts API calls per operation (`EC2:CreateVpc`), HTTP attempts included in `attempts`.
#[derive(Debug, Clone, Default)]
pub struct ApiCallCounter {
    inner: Arc<Mutex<BTreeMap<String, u64>>>,
}

impl ApiCallCounter {
    /// Calls made so far, per `service:operation`.
    pub fn snapshot(&self) -> BTreeMap<String, u64> {
        self.inner
            .lock()
            .map(|calls| calls.clone())
            .unwrap_or_default()
    }

    pub fn total(&self) -> u64 {
        self.snapshot().values().sum()
    }
}

impl Intercept for ApiCallCounter {
    fn name(&self) -> &'static str {
        "ApiCallCounter"
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        config: &mut ConfigBag,
    ) -> Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        let name = config
            .load::<Metadata>()
            .map(|metadata| format!("{}:{}", metadata.service(), metadata.name()))
            .unwrap_or_else(|| "unknown".to_string());
        if let Ok(mut calls) = self.inner.lock() {
            *calls.entry(name).or_default() += 1;
        }
        Ok(())
    }
}

/// `Ok(None)` for a not-found answer, else the result: how a `read` says "gone".
pub fn found<T>(result: Result<T, ProviderError>) -> Result<Option<T>, ProviderError> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(error) if error.is_not_found() => Ok(None),
        Err(error) => Err(error),
    }
}

/// An error and its sources, joined with `: `.
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

/// Converts an SDK error into a `ProviderError` that names the operation and the AWS error code.
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
        _ => match error.code() {
            Some(code) => ProviderError::Aws {
                operation: operation.to_string(),
                code: code.to_string(),
                message: error.message().unwrap_or_default().to_string(),
            },
            None => ProviderError::Aws {
                operation: operation.to_string(),
                code: "Unknown".to_string(),
                message: aws_smithy_types::error::display::DisplayErrorContext(&error).to_string(),
            },
        },
    }
}
