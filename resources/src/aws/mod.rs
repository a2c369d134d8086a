//! AWS plumbing shared by every provider: the one list of services, one `SdkConfig` per provider
//! configuration (standard credential chain, profiles, region, `AWS_ENDPOINT_URL`), the service
//! clients built lazily from it, an interceptor that counts API calls, the SDK-error →
//! `ProviderError` conversion, tag helpers and readiness polling.

pub mod attrs;
pub mod data_common;
pub mod meta;
pub mod tags;
pub mod wait;

use std::ops::Deref;
use std::sync::OnceLock;
use std::time::Duration;

use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

pub use crate::api_calls::ApiCallCounter;
use crate::data_source::DataContext;
use crate::error::ProviderError;
use crate::provider::ProviderContext;
use crate::registry::Registry;

/// The one list of AWS services. Each line is `module: client field => SDK crate`, optionally
/// `with` a function that adjusts the service's config builder. From it come the service
/// modules, the lazily built clients of `AwsClients` (every one counting its calls), and
/// `register_all`. The test harness's direct-describe `Cloud` is an `AwsClients` too.
macro_rules! services {
    ($($module:ident: $field:ident => $sdk:ident $(with $configure:path)?;)*) => {
        $(pub mod $module;)*

        /// The service clients of one provider configuration (region, profile, endpoint,
        /// credentials). Cheap to build: each service's client is made on first use.
        pub struct AwsClients {
            $(pub $field: LazyClient<$sdk::Client>,)*
            pub region: String,
            pub api_calls: ApiCallCounter,
            pub config: aws_types::SdkConfig,
        }

        impl AwsClients {
            /// Clients for `config`, counting their calls into `api_calls` (share one counter
            /// between the client sets of several provider configurations to count a run).
            pub fn with_counter(config: &aws_types::SdkConfig, api_calls: ApiCallCounter) -> AwsClients {
                AwsClients {
                    $($field: {
                        let config = config.clone();
                        let interceptor = CountingInterceptor(api_calls.clone());
                        LazyClient::new(move || {
                            let builder = $sdk::config::Builder::from(&config).interceptor(interceptor.clone());
                            $(let builder = $configure(builder, &config);)?
                            $sdk::Client::from_conf(builder.build())
                        })
                    },)*
                    region: config
                        .region()
                        .map(|region| region.to_string())
                        .unwrap_or_else(|| "us-east-1".to_string()),
                    api_calls,
                    config: config.clone(),
                }
            }
        }

        /// Registers every AWS resource type and data source.
        pub fn register_all(registry: &mut Registry) {
            $($module::register(registry);)*
            register_data_sources(registry);
        }
    };
}

services! {
    appautoscaling: autoscaling => aws_sdk_applicationautoscaling;
    cloudfront: cloudfront => aws_sdk_cloudfront;
    cloudwatch: cloudwatch => aws_sdk_cloudwatch;
    ec2: ec2 => aws_sdk_ec2;
    ecr: ecr => aws_sdk_ecr;
    ecs: ecs => aws_sdk_ecs;
    efs: efs => aws_sdk_efs;
    elbv2: elbv2 => aws_sdk_elasticloadbalancingv2;
    iam: iam => aws_sdk_iam;
    lambda: lambda => aws_sdk_lambda;
    logs: logs => aws_sdk_cloudwatchlogs;
    rds: rds => aws_sdk_rds;
    s3: s3 => aws_sdk_s3 with s3_path_style;
    secretsmanager: secretsmanager => aws_sdk_secretsmanager;
    servicediscovery: servicediscovery => aws_sdk_servicediscovery;
    sns: sns => aws_sdk_sns;
    sts: sts => aws_sdk_sts;
}

/// Registers every AWS data source (`meta` holds the ones that call no service of their own).
fn register_data_sources(registry: &mut Registry) {
    ec2::register_data_sources(registry);
    ecr::register_data_sources(registry);
    ecs::register_data_sources(registry);
    elbv2::register_data_sources(registry);
    iam::register_data_sources(registry);
    meta::register_data_sources(registry);
    secretsmanager::register_data_sources(registry);
    sts::register_data_sources(registry);
}

/// Path-style addressing works against every endpoint, including emulators on 127.0.0.1 where
/// virtual-hosted bucket names cannot resolve.
fn s3_path_style(
    builder: aws_sdk_s3::config::Builder,
    config: &aws_types::SdkConfig,
) -> aws_sdk_s3::config::Builder {
    let path_style = config
        .endpoint_url()
        .is_some_and(|url| !url.contains("amazonaws.com"));
    builder.force_path_style(path_style)
}

/// A service client built on first use (dereferences to the client).
pub struct LazyClient<C> {
    client: OnceLock<C>,
    build: Box<dyn Fn() -> C + Send + Sync>,
}

impl<C> LazyClient<C> {
    fn new(build: impl Fn() -> C + Send + Sync + 'static) -> LazyClient<C> {
        LazyClient {
            client: OnceLock::new(),
            build: Box::new(build),
        }
    }
}

impl<C> Deref for LazyClient<C> {
    type Target = C;

    fn deref(&self) -> &C {
        self.client.get_or_init(|| (self.build)())
    }
}

/// How to reach AWS: region and profile override the standard chain when given.
#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    pub region: Option<String>,
    pub profile: Option<String>,
}

impl AwsClients {
    /// Loads the standard AWS configuration (environment, profiles, SSO, IMDS; honours
    /// `AWS_ENDPOINT_URL` and `AWS_ENDPOINT_URL_<SERVICE>`) and builds the clients.
    pub async fn connect(options: &ConnectOptions) -> AwsClients {
        AwsClients::connect_counting(options, ApiCallCounter::default()).await
    }

    /// `connect`, counting into a counter shared with other client sets.
    pub async fn connect_counting(
        options: &ConnectOptions,
        api_calls: ApiCallCounter,
    ) -> AwsClients {
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
        AwsClients::with_counter(&config, api_calls)
    }

    /// Clients for `config` with a counter of their own.
    pub fn from_config(config: &aws_types::SdkConfig) -> AwsClients {
        AwsClients::with_counter(config, ApiCallCounter::default())
    }
}

/// The typed accessor to the AWS clients a `ProviderContext` carries.
pub trait AwsContext {
    /// The AWS clients of this resource's provider configuration.
    fn aws(&self) -> &AwsClients;
}

impl AwsContext for ProviderContext {
    fn aws(&self) -> &AwsClients {
        // The engine hands every resource the clients of its own provider; anything else is a
        // wiring bug, found by the first test that applies an AWS type.
        self.clients
            .downcast_ref::<AwsClients>()
            .expect("an AWS resource type was given clients that are not AwsClients")
    }
}

/// The typed accessor to the AWS clients a `DataContext` carries: an error when the engine made
/// no connection for this read.
pub trait AwsDataContext {
    /// The AWS clients of this data source's provider configuration.
    fn aws(&self) -> Result<&AwsClients, ProviderError>;
}

impl AwsDataContext for DataContext {
    fn aws(&self) -> Result<&AwsClients, ProviderError> {
        self.clients_as::<AwsClients>()
    }
}

/// Records every HTTP attempt into an `ApiCallCounter`, as `service:operation`.
#[derive(Debug, Clone)]
struct CountingInterceptor(ApiCallCounter);

impl Intercept for CountingInterceptor {
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
        self.0.record(name);
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
