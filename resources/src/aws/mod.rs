//! AWS plumbing shared by every provider: the one list of services, one `SdkConfig` per provider
//! configuration (standard credential chain, profiles, region, `AWS_ENDPOINT_URL`), the service
//! clients built lazily from it, an interceptor that counts API calls, the SDK-error →
//! `ProviderError` conversion, tag helpers and readiness polling.

pub mod data_common;
pub mod kit;
pub mod meta;

// The kit's modules under the paths code written before the kit used.
pub use kit::attributes as attrs;
pub use kit::{found, sdk_error, tagging, tags, wait};

use std::ops::Deref;
use std::sync::OnceLock;
use std::time::Duration;

use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

pub use crate::api_calls::ApiCallCounter;
pub use crate::connect::{AssumeRole, ConnectOptions};
use crate::data_source::DataContext;
use crate::error::ProviderError;
use crate::provider::ProviderContext;
use crate::registry::Registry;

/// The one list of AWS services. Each line is `module: client field => SDK crate [Terraform's
/// endpoints {} keys for it]`, optionally `with` a function that adjusts the service's config
/// builder. From it come the service modules, the lazily built clients of `AwsClients` (every
/// one counting its calls, each honouring its `endpoints {}` override), [`ENDPOINT_SERVICES`]
/// and `register_all`. The test harness's direct-describe `Cloud` is an `AwsClients` too.
macro_rules! services {
    ($($module:ident: $field:ident => $sdk:ident [$($key:ident),+] $(with $configure:path)?;)*) => {
        $(pub mod $module;)*

        /// The service clients of one provider configuration (region, profile, endpoint,
        /// credentials). Cheap to build: each service's client is made on first use.
        pub struct AwsClients {
            $(pub $field: LazyClient<$sdk::Client>,)*
            pub region: String,
            pub api_calls: ApiCallCounter,
            pub config: aws_types::SdkConfig,
        }

        /// Terraform's `endpoints {}` keys for the services provision calls, and the service
        /// (module name, the key of [`ConnectOptions::endpoints`]) each one overrides; several
        /// keys name one service, as in Terraform.
        pub const ENDPOINT_SERVICES: &[(&str, &str)] = &[
            $($((stringify!($key), stringify!($module)),)+)*
        ];

        impl AwsClients {
            /// Clients for `config`, counting their calls into `api_calls` (share one counter
            /// between the client sets of several provider configurations to count a run).
            pub fn with_counter(config: &aws_types::SdkConfig, api_calls: ApiCallCounter) -> AwsClients {
                AwsClients::with_options(config, &ConnectOptions::default(), api_calls)
            }

            /// Clients for `config`, each service sent to its `options.endpoints` override when
            /// there is one, counting their calls into `api_calls`.
            pub fn with_options(
                config: &aws_types::SdkConfig,
                options: &ConnectOptions,
                api_calls: ApiCallCounter,
            ) -> AwsClients {
                AwsClients {
                    $($field: {
                        let config = config.clone();
                        let options = ClientOptions {
                            endpoint: options.endpoints.get(stringify!($module)).cloned(),
                            s3_use_path_style: options.s3_use_path_style,
                        };
                        let interceptor = CountingInterceptor(api_calls.clone());
                        LazyClient::new(move || {
                            let mut builder = $sdk::config::Builder::from(&config).interceptor(interceptor.clone());
                            if let Some(url) = &options.endpoint {
                                builder = builder.endpoint_url(url);
                            }
                            $(let builder = $configure(builder, &config, &options);)?
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
    apigatewayv2: apigatewayv2 => aws_sdk_apigatewayv2 [apigatewayv2];
    appautoscaling: autoscaling => aws_sdk_applicationautoscaling [appautoscaling, applicationautoscaling];
    appsync: appsync => aws_sdk_appsync [appsync];
    cloudfront: cloudfront => aws_sdk_cloudfront [cloudfront];
    cloudwatch: cloudwatch => aws_sdk_cloudwatch [cloudwatch];
    cognitoidentity: cognitoidentity => aws_sdk_cognitoidentity [cognitoidentity];
    cognitoidp: cognitoidp => aws_sdk_cognitoidentityprovider [cognitoidp, cognitoidentityprovider];
    dynamodb: dynamodb => aws_sdk_dynamodb [dynamodb];
    ec2: ec2 => aws_sdk_ec2 [ec2];
    ecr: ecr => aws_sdk_ecr [ecr];
    ecs: ecs => aws_sdk_ecs [ecs];
    efs: efs => aws_sdk_efs [efs];
    elbv2: elbv2 => aws_sdk_elasticloadbalancingv2 [elbv2, elasticloadbalancingv2];
    iam: iam => aws_sdk_iam [iam];
    lambda: lambda => aws_sdk_lambda [lambda];
    logs: logs => aws_sdk_cloudwatchlogs [logs, cloudwatchlog, cloudwatchlogs];
    rds: rds => aws_sdk_rds [rds];
    resourcegroupstagging: tagging => aws_sdk_resourcegroupstagging [resourcegroupstaggingapi, resourcegroupstagging];
    s3: s3 => aws_sdk_s3 [s3, s3api] with s3_path_style;
    secretsmanager: secretsmanager => aws_sdk_secretsmanager [secretsmanager];
    servicediscovery: servicediscovery => aws_sdk_servicediscovery [servicediscovery];
    sns: sns => aws_sdk_sns [sns];
    sqs: sqs => aws_sdk_sqs [sqs];
    sts: sts => aws_sdk_sts [sts];
}

/// Registers every AWS data source (`meta` holds the ones that call no service of their own).
fn register_data_sources(registry: &mut Registry) {
    cognitoidp::register_data_sources(registry);
    ec2::register_data_sources(registry);
    ecr::register_data_sources(registry);
    ecs::register_data_sources(registry);
    elbv2::register_data_sources(registry);
    iam::register_data_sources(registry);
    meta::register_data_sources(registry);
    secretsmanager::register_data_sources(registry);
    sts::register_data_sources(registry);
}

/// What one service's client takes from its provider configuration beyond the `SdkConfig`.
#[derive(Clone)]
struct ClientOptions {
    /// The service's `endpoints {}` override.
    endpoint: Option<String>,
    s3_use_path_style: Option<bool>,
}

/// Path-style addressing (`s3_use_path_style`); by default on for every endpoint outside
/// amazonaws.com, including emulators on 127.0.0.1 where virtual-hosted bucket names cannot
/// resolve.
fn s3_path_style(
    builder: aws_sdk_s3::config::Builder,
    config: &aws_types::SdkConfig,
    options: &ClientOptions,
) -> aws_sdk_s3::config::Builder {
    let endpoint = options.endpoint.as_deref().or(config.endpoint_url());
    let path_style = options
        .s3_use_path_style
        .unwrap_or_else(|| endpoint.is_some_and(|url| !url.contains("amazonaws.com")));
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

impl<C: Clone + Send + Sync + 'static> LazyClient<C> {
    /// A client already built (a test's client with a recorded-answer connector).
    pub fn of(client: C) -> LazyClient<C> {
        LazyClient::new(move || client.clone())
    }
}

impl<C> Deref for LazyClient<C> {
    type Target = C;

    fn deref(&self) -> &C {
        self.client.get_or_init(|| (self.build)())
    }
}

/// The service an `endpoints {}` key overrides, if provision calls it.
pub fn endpoint_service(key: &str) -> Option<&'static str> {
    ENDPOINT_SERVICES
        .iter()
        .find(|(name, _)| *name == key)
        .map(|(_, service)| *service)
}

impl AwsClients {
    /// Loads the AWS configuration for `options` over the standard chain and builds the
    /// clients. An `assume_role` wraps the credentials found in an STS AssumeRole provider
    /// (the SDK's, which refreshes them before they expire).
    pub async fn connect(options: &ConnectOptions) -> AwsClients {
        AwsClients::connect_counting(options, ApiCallCounter::default()).await
    }

    /// [`AwsClients::connect`], counting calls in `api_calls` (shared by the configurations
    /// of one run, so `--stats` sums them).
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
        let profile_files = profile_files(options);
        if let Some(files) = &profile_files {
            loader = loader.profile_files(files.clone());
        }
        if let (Some(access_key), Some(secret_key)) = (&options.access_key, &options.secret_key) {
            loader = loader.credentials_provider(aws_credential_types::Credentials::new(
                access_key.clone(),
                secret_key.clone(),
                options.token.clone(),
                None,
                "provider-configuration",
            ));
        } else if let Some(name) = &options.profile {
            // A profile named in the configuration wins over credentials in the environment,
            // as in Terraform.
            let mut profile =
                aws_config::profile::ProfileFileCredentialsProvider::builder().profile_name(name);
            if let Some(files) = profile_files {
                profile = profile.profile_files(files);
            }
            loader = loader.credentials_provider(profile.build());
        } else if options.skip_metadata_api_check {
            loader = loader.credentials_provider(chain_without_instance_metadata(profile_files));
        }
        let max_attempts = match options.max_retries {
            Some(retries) => Some(retries.saturating_add(1)),
            None if std::env::var_os("AWS_MAX_ATTEMPTS").is_none() => Some(8),
            None => None,
        };
        if let Some(attempts) = max_attempts {
            loader = loader.retry_config(
                aws_config::retry::RetryConfig::standard().with_max_attempts(attempts),
            );
        }
        loader = loader.timeout_config(
            aws_config::timeout::TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(5))
                .operation_attempt_timeout(Duration::from_secs(60))
                .operation_timeout(Duration::from_secs(300))
                .build(),
        );
        let mut config = loader.load().await;
        if let Some(role) = &options.assume_role {
            // STS is reached through its own endpoint override when there is one.
            let sts_config = match options.endpoints.get("sts") {
                Some(url) => config.to_builder().endpoint_url(url).build(),
                None => config.clone(),
            };
            let mut builder = aws_config::sts::AssumeRoleProvider::builder(role.role_arn.clone())
                .configure(&sts_config)
                .session_name(
                    role.session_name
                        .clone()
                        .unwrap_or_else(|| "provision".to_string()),
                );
            if let Some(external_id) = &role.external_id {
                builder = builder.external_id(external_id.clone());
            }
            if let Some(duration) = role.duration {
                builder = builder.session_length(duration);
            }
            let provider = builder.build().await;
            config = config
                .into_builder()
                .credentials_provider(aws_types::sdk_config::SharedCredentialsProvider::new(
                    provider,
                ))
                .build();
        }
        AwsClients::with_options(&config, options, api_calls)
    }

    /// Clients for `config` with a counter of their own.
    pub fn from_config(config: &aws_types::SdkConfig) -> AwsClients {
        AwsClients::with_counter(config, ApiCallCounter::default())
    }

    /// The account the credentials belong to (STS GetCallerIdentity): checks that they are
    /// valid before anything is changed.
    pub async fn caller_account(&self) -> Result<String, ProviderError> {
        let identity = self
            .sts
            .get_caller_identity()
            .send()
            .await
            .map_err(|error| sdk_error("STS:GetCallerIdentity", error))?;
        Ok(identity.account().unwrap_or_default().to_string())
    }
}

/// The shared config / credentials files named by the configuration, each replacing its
/// default file; None when it names none.
#[allow(deprecated)]
fn profile_files(
    options: &ConnectOptions,
) -> Option<aws_config::profile::profile_file::ProfileFiles> {
    use aws_config::profile::profile_file::{ProfileFileKind, ProfileFiles};
    if options.shared_config_files.is_empty() && options.shared_credentials_files.is_empty() {
        return None;
    }
    let mut files = ProfileFiles::builder()
        .include_default_config_file(options.shared_config_files.is_empty())
        .include_default_credentials_file(options.shared_credentials_files.is_empty());
    for path in &options.shared_config_files {
        files = files.with_file(ProfileFileKind::Config, expand_home(path));
    }
    for path in &options.shared_credentials_files {
        files = files.with_file(ProfileFileKind::Credentials, expand_home(path));
    }
    Some(files.build())
}

/// `~/x` → `$HOME/x`, as Terraform expands shared file paths.
fn expand_home(path: &str) -> String {
    match (path.strip_prefix("~/"), std::env::var("HOME")) {
        (Some(rest), Ok(home)) => format!("{home}/{rest}"),
        _ => path.to_string(),
    }
}

/// The standard credential chain without the instance metadata service
/// (`skip_metadata_api_check`): environment, profile files, web identity, ECS container.
#[allow(deprecated)]
fn chain_without_instance_metadata(
    profile_files: Option<aws_config::profile::profile_file::ProfileFiles>,
) -> aws_config::meta::credentials::CredentialsProviderChain {
    let mut profile = aws_config::profile::ProfileFileCredentialsProvider::builder();
    if let Some(files) = profile_files {
        profile = profile.profile_files(files);
    }
    aws_config::meta::credentials::CredentialsProviderChain::first_try(
        "Environment",
        aws_config::environment::EnvironmentVariableCredentialsProvider::new(),
    )
    .or_else("Profile", profile.build())
    .or_else(
        "WebIdentityToken",
        aws_config::web_identity_token::WebIdentityTokenCredentialsProvider::builder().build(),
    )
    .or_else(
        "EcsContainer",
        aws_config::ecs::EcsCredentialsProvider::builder().build(),
    )
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
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_service_takes_its_own_name_and_terraforms_alternatives_as_endpoint_keys() {
        for service in [
            "appautoscaling",
            "cloudfront",
            "cloudwatch",
            "ec2",
            "ecr",
            "ecs",
            "efs",
            "elbv2",
            "iam",
            "lambda",
            "logs",
            "rds",
            "s3",
            "secretsmanager",
            "servicediscovery",
            "sns",
            "sts",
        ] {
            assert_eq!(endpoint_service(service), Some(service));
        }
        assert_eq!(
            endpoint_service("applicationautoscaling"),
            Some("appautoscaling")
        );
        assert_eq!(endpoint_service("cloudwatchlogs"), Some("logs"));
        assert_eq!(endpoint_service("cloudwatchlog"), Some("logs"));
        assert_eq!(endpoint_service("elasticloadbalancingv2"), Some("elbv2"));
        assert_eq!(endpoint_service("s3api"), Some("s3"));
        assert_eq!(endpoint_service("dynamodb"), Some("dynamodb"));
        assert_eq!(endpoint_service("kinesis"), None);
    }
}
