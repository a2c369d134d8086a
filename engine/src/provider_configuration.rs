//! Provider configurations: the spec's `provider "aws"` blocks (the default `aws` and one per
//! `alias`), the `provider = aws.<alias>` references of resources, data sources and modules,
//! the settings each configuration evaluates to, and the client sets built per configuration.
//!
//! A configuration is named by its key: `aws` for the block without an alias (or for none at
//! all), `aws.<alias>` for the others. State records the key of every resource, so a resource
//! removed from the spec is deleted through the configuration that made it.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use provision_core::connect::{AssumeRole, ConnectOptions};
use provision_core::{ApiCallCounter, Attributes, ProviderClients, Value};

use crate::diagnostics::{Diagnostic, Diagnostics, SourceSpan};
use crate::eval::evaluate;
use crate::plan::scope::StackScope;
use crate::spec::ast::{Attribute, Expr, ExprKind, TraversalOperator};
use crate::spec::{ProviderBlock, Spec};

/// The key of the default configuration, which every block without `provider =` uses.
pub const DEFAULT_CONFIGURATION: &str = "aws";

/// `provider = aws` or `provider = aws.west` on a resource, data source or in a module
/// block's `providers = { aws = aws.west }`.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderReference {
    /// The provider's local name: `aws`.
    pub provider: String,
    pub alias: Option<String>,
    pub span: SourceSpan,
}

impl ProviderReference {
    /// `aws` or `aws.west`.
    pub fn configuration_key(&self) -> String {
        match &self.alias {
            Some(alias) => format!("{}.{alias}", self.provider),
            None => self.provider.clone(),
        }
    }
}

/// Reads a `provider` meta-argument: a bare `aws` or `aws.<alias>` reference, as Terraform
/// takes it (not a string).
pub fn parse_provider_reference(expr: &Expr) -> Result<ProviderReference, Diagnostic> {
    let invalid = || {
        Diagnostic::error("invalid provider reference", Some(expr.span.clone()))
            .with_label("expected `aws` or `aws.<alias>`")
            .with_hint(
                "name the configuration without quotes: `provider = aws.west`, where a \
                 `provider \"aws\"` block has `alias = \"west\"`",
            )
    };
    match &expr.kind {
        ExprKind::Variable(name) => Ok(ProviderReference {
            provider: name.clone(),
            alias: None,
            span: expr.span.clone(),
        }),
        ExprKind::Traversal { base, operators } => {
            let ExprKind::Variable(name) = &base.kind else {
                return Err(invalid());
            };
            match operators.as_slice() {
                [TraversalOperator::GetAttr(alias, _)] => Ok(ProviderReference {
                    provider: name.clone(),
                    alias: Some(alias.clone()),
                    span: expr.span.clone(),
                }),
                _ => Err(invalid()),
            }
        }
        _ => Err(invalid()),
    }
}

/// The configuration key a block's `provider` reference selects (None: the default `aws`).
/// This is the one seam resources, data sources and modules go through: an alias the spec does
/// not define is an error at the reference, with the aliases it does define in the hint.
pub fn configuration_for(
    spec: &Spec,
    reference: Option<&ProviderReference>,
) -> Result<String, Diagnostic> {
    let Some(reference) = reference else {
        return Ok(DEFAULT_CONFIGURATION.to_string());
    };
    if reference.provider != "aws" {
        return Err(Diagnostic::error(
            format!("unknown provider `{}`", reference.provider),
            Some(reference.span.clone()),
        )
        .with_label("not a built-in provider")
        .with_hint(
            "only the aws provider is built in: `provider = aws` or `provider = aws.<alias>`",
        ));
    }
    let key = reference.configuration_key();
    if reference.alias.is_none() || spec.provider_block(&key).is_some() {
        return Ok(key);
    }
    let aliases: Vec<String> = spec
        .providers
        .iter()
        .filter_map(|block| block.alias.as_ref().map(|alias| format!("aws.{alias}")))
        .collect();
    let alias = reference.alias.as_deref().unwrap_or_default();
    let hint = if aliases.is_empty() {
        format!(
            "declare it: `provider \"aws\" {{ alias = \"{alias}\" region = \"...\" }}`; this spec defines no aliases"
        )
    } else {
        let names: Vec<&str> = aliases.iter().map(String::as_str).collect();
        let mut hint = format!(
            "configurations this spec defines: aws, {}",
            names.join(", ")
        );
        if let Some(suggestion) = closest_name(&key, &names) {
            hint = format!("did you mean `{suggestion}`? {hint}");
        }
        hint
    };
    Err(Diagnostic::error(
        format!("unknown provider configuration `{key}`"),
        Some(reference.span.clone()),
    )
    .with_label("no `provider \"aws\"` block has this alias")
    .with_hint(hint))
}

/// Maps a reference made inside a module through its module block's `providers = {}` (keys are
/// the module's names, `aws` or `aws.<alias>`; values the caller's references). A block that
/// names no provider inside the module uses the module's `aws`, which is the caller's `aws`
/// unless the map says otherwise, as in Terraform.
pub fn map_through_module(
    reference: Option<&ProviderReference>,
    providers: &BTreeMap<String, ProviderReference>,
) -> Option<ProviderReference> {
    let key = reference
        .map(ProviderReference::configuration_key)
        .unwrap_or_else(|| DEFAULT_CONFIGURATION.to_string());
    match providers.get(&key) {
        Some(parent) => Some(parent.clone()),
        None => reference.cloned(),
    }
}

/// `ignore_tags { keys, key_prefixes }`: tags that are never read back nor compared.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IgnoreTags {
    pub keys: BTreeSet<String>,
    pub key_prefixes: Vec<String>,
}

impl IgnoreTags {
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty() && self.key_prefixes.is_empty()
    }

    pub fn ignores(&self, key: &str) -> bool {
        self.keys.contains(key)
            || self
                .key_prefixes
                .iter()
                .any(|prefix| key.starts_with(prefix))
    }

    /// Removes the ignored keys from `tags` and `tags_all` of attributes read from the cloud.
    pub fn strip(&self, attributes: &mut Attributes) {
        if self.is_empty() {
            return;
        }
        for name in ["tags", "tags_all"] {
            if let Some(Value::Map(tags)) = attributes.get_mut(name) {
                tags.retain(|key, _| !self.ignores(key));
            }
        }
    }
}

/// One configuration, evaluated: how to connect, and what it adds to every resource.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProviderSettings {
    /// `aws` or `aws.<alias>`.
    pub configuration: String,
    pub connect: ConnectOptions,
    pub default_tags: BTreeMap<String, String>,
    pub ignore_tags: IgnoreTags,
    /// Skip the STS GetCallerIdentity check of the credentials before a run changes anything.
    pub skip_credentials_validation: bool,
    /// Skip asking STS for the account id.
    pub skip_requesting_account_id: bool,
}

impl ProviderSettings {
    fn named(configuration: &str) -> ProviderSettings {
        ProviderSettings {
            configuration: configuration.to_string(),
            ..ProviderSettings::default()
        }
    }
}

/// Every configuration the spec defines, evaluated in `scope` (variables and locals), and the
/// default `aws` even when no block configures it. Values must be known at plan time.
pub fn evaluate_configurations(
    spec: &Spec,
    scope: &StackScope,
) -> Result<BTreeMap<String, ProviderSettings>, Diagnostics> {
    let mut diagnostics = Diagnostics::new();
    let mut configurations = BTreeMap::new();
    configurations.insert(
        DEFAULT_CONFIGURATION.to_string(),
        ProviderSettings::named(DEFAULT_CONFIGURATION),
    );
    for block in &spec.providers {
        let settings = evaluate_block(block, scope, &mut diagnostics);
        configurations.insert(settings.configuration.clone(), settings);
    }
    if diagnostics.has_errors() {
        Err(diagnostics)
    } else {
        Ok(configurations)
    }
}

/// One block's settings; problems go to `diagnostics` with the argument's span.
fn evaluate_block(
    block: &ProviderBlock,
    scope: &StackScope,
    diagnostics: &mut Diagnostics,
) -> ProviderSettings {
    let mut settings = ProviderSettings::named(&block.configuration_key());
    let mut skip_region_validation = false;
    let mut region_span = None;
    for attribute in &block.arguments {
        let Some(value) = known_value(attribute, scope, diagnostics) else {
            continue;
        };
        let connect = &mut settings.connect;
        match attribute.name.as_str() {
            "region" => {
                connect.region = string(attribute, &value, diagnostics);
                region_span = Some(attribute.expr.span.clone());
            }
            "profile" => connect.profile = string(attribute, &value, diagnostics),
            "access_key" => connect.access_key = string(attribute, &value, diagnostics),
            "secret_key" => connect.secret_key = string(attribute, &value, diagnostics),
            "token" => connect.token = string(attribute, &value, diagnostics),
            "shared_credentials_files" => {
                connect.shared_credentials_files = strings(attribute, &value, diagnostics)
            }
            "shared_config_files" => {
                connect.shared_config_files = strings(attribute, &value, diagnostics)
            }
            "skip_metadata_api_check" => {
                connect.skip_metadata_api_check = boolean(attribute, &value, diagnostics)
            }
            "max_retries" => connect.max_retries = whole_number(attribute, &value, diagnostics),
            "s3_use_path_style" => {
                connect.s3_use_path_style = Some(boolean(attribute, &value, diagnostics))
            }
            "skip_credentials_validation" => {
                settings.skip_credentials_validation = boolean(attribute, &value, diagnostics)
            }
            "skip_requesting_account_id" => {
                settings.skip_requesting_account_id = boolean(attribute, &value, diagnostics)
            }
            "skip_region_validation" => {
                skip_region_validation = boolean(attribute, &value, diagnostics)
            }
            _ => {}
        }
    }
    if let (Some(region), Some(span), false) = (
        &settings.connect.region,
        &region_span,
        skip_region_validation,
    ) {
        if !is_region_name(region) {
            diagnostics.push(
                Diagnostic::error(
                    format!("`{region}` is not an AWS region name"),
                    Some(span.clone()),
                )
                .with_label("not a region")
                .with_hint(
                    "write a region such as `us-east-1` or `eu-west-1`, or set \
                     `skip_region_validation = true` for a region provision does not know",
                ),
            );
        }
    }
    let has_access_key = settings.connect.access_key.is_some();
    let has_secret_key = settings.connect.secret_key.is_some();
    if has_access_key != has_secret_key {
        let present = if has_access_key {
            "access_key"
        } else {
            "secret_key"
        };
        let span = block
            .argument(present)
            .map(|attribute| attribute.name_span.clone());
        diagnostics.push(
            Diagnostic::error(
                format!(
                    "{}: `{present}` is set without `{}`",
                    settings.configuration,
                    if has_access_key {
                        "secret_key"
                    } else {
                        "access_key"
                    }
                ),
                span,
            )
            .with_hint("static credentials need both access_key and secret_key"),
        );
    }
    if let Some(arguments) = &block.assume_role {
        settings.connect.assume_role = assume_role(arguments, scope, diagnostics);
    }
    for attribute in &block.endpoints {
        let Some(service) = endpoint_service(&attribute.name) else {
            diagnostics.push(
                Diagnostic::error(
                    format!(
                        "endpoints: provision makes no `{}` calls to send elsewhere",
                        attribute.name
                    ),
                    Some(attribute.name_span.clone()),
                )
                .with_label("not a service provision calls")
                .with_hint(format!(
                    "endpoints provision honours: {}",
                    endpoint_keys().join(", ")
                )),
            );
            continue;
        };
        if let Some(value) = known_value(attribute, scope, diagnostics) {
            if let Some(url) = string(attribute, &value, diagnostics) {
                settings.connect.endpoints.insert(service.to_string(), url);
            }
        }
    }
    if let Some(expr) = &block.default_tags {
        match evaluate(expr, scope) {
            Ok(evaluated) => match evaluated.value {
                Value::Map(entries) => {
                    settings.default_tags = entries
                        .into_iter()
                        .filter_map(|(key, value)| {
                            value.to_template_string().map(|text| (key, text))
                        })
                        .collect()
                }
                Value::Null => {}
                other => diagnostics.push(
                    Diagnostic::error(
                        "default_tags must be a map of strings",
                        Some(expr.span.clone()),
                    )
                    .with_label(format!("got a {}", other.type_name())),
                ),
            },
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    for attribute in &block.ignore_tags {
        let Some(value) = known_value(attribute, scope, diagnostics) else {
            continue;
        };
        let values = strings(attribute, &value, diagnostics);
        match attribute.name.as_str() {
            "keys" => settings.ignore_tags.keys.extend(values),
            _ => settings.ignore_tags.key_prefixes.extend(values),
        }
    }
    settings
}

/// `assume_role { role_arn, session_name, external_id, duration }`.
fn assume_role(
    arguments: &[Attribute],
    scope: &StackScope,
    diagnostics: &mut Diagnostics,
) -> Option<AssumeRole> {
    let mut role = AssumeRole::default();
    for attribute in arguments {
        let Some(value) = known_value(attribute, scope, diagnostics) else {
            continue;
        };
        match attribute.name.as_str() {
            "role_arn" => {
                role.role_arn = string(attribute, &value, diagnostics).unwrap_or_default()
            }
            "session_name" => role.session_name = string(attribute, &value, diagnostics),
            "external_id" => role.external_id = string(attribute, &value, diagnostics),
            "duration" => {
                let text = string(attribute, &value, diagnostics).unwrap_or_default();
                match parse_duration(&text) {
                    Some(duration) => role.duration = Some(duration),
                    None => diagnostics.push(
                        Diagnostic::error(
                            format!("assume_role: `{text}` is not a duration"),
                            Some(attribute.expr.span.clone()),
                        )
                        .with_label("not a duration")
                        .with_hint(
                            "write it as Terraform does: \"1h\", \"15m\", \"1h30m\", \"900s\"",
                        ),
                    ),
                }
            }
            _ => {}
        }
    }
    if role.role_arn.is_empty() {
        // `role_arn = ""` (or no role_arn) means no role, as in Terraform.
        return None;
    }
    Some(role)
}

/// A Go duration as Terraform writes them: `1h`, `15m`, `1h30m`, `900s`.
pub fn parse_duration(text: &str) -> Option<Duration> {
    if text.is_empty() {
        return None;
    }
    let mut total = 0.0_f64;
    let mut number = String::new();
    for character in text.chars() {
        if character.is_ascii_digit() || character == '.' {
            number.push(character);
            continue;
        }
        let amount: f64 = number.parse().ok()?;
        number.clear();
        total += amount
            * match character {
                'h' => 3600.0,
                'm' => 60.0,
                's' => 1.0,
                _ => return None,
            };
    }
    if !number.is_empty() {
        return None;
    }
    Some(Duration::from_secs_f64(total))
}

/// `us-east-1`, `eu-west-1`, `ap-southeast-2`, `us-gov-west-1`, `cn-north-1`, `il-central-1`.
pub fn is_region_name(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[0]
            .chars()
            .all(|character| character.is_ascii_lowercase())
        && parts[1..parts.len() - 1].iter().all(|part| {
            !part.is_empty() && part.chars().all(|character| character.is_ascii_lowercase())
        })
        && parts[parts.len() - 1]
            .chars()
            .all(|character| character.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

/// The attribute's value, which must be known now (a provider is configured before anything
/// is applied).
fn known_value(
    attribute: &Attribute,
    scope: &StackScope,
    diagnostics: &mut Diagnostics,
) -> Option<Value> {
    match evaluate(&attribute.expr, scope) {
        Ok(evaluated) if evaluated.value.contains_unknown() => {
            diagnostics.push(
                Diagnostic::error(
                    format!(
                        "provider argument `{}` is known only after apply",
                        attribute.name
                    ),
                    Some(attribute.expr.span.clone()),
                )
                .with_hint(
                    "a provider is configured before anything is applied: derive it from \
                     variables or locals, not from resource attributes",
                ),
            );
            None
        }
        Ok(evaluated) => Some(evaluated.value),
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            None
        }
    }
}

fn wrong_type(attribute: &Attribute, wanted: &str, value: &Value) -> Diagnostic {
    Diagnostic::error(
        format!("provider argument `{}` must be {wanted}", attribute.name),
        Some(attribute.expr.span.clone()),
    )
    .with_label(format!("got a {}", value.type_name()))
}

fn string(attribute: &Attribute, value: &Value, diagnostics: &mut Diagnostics) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(_) | Value::Number(_) | Value::Bool(_) => value.to_template_string(),
        other => {
            diagnostics.push(wrong_type(attribute, "a string", other));
            None
        }
    }
}

fn strings(attribute: &Attribute, value: &Value, diagnostics: &mut Diagnostics) -> Vec<String> {
    match value {
        Value::Null => Vec::new(),
        Value::List(items) => items
            .iter()
            .filter_map(|item| match item {
                Value::String(text) => Some(text.clone()),
                other => {
                    diagnostics.push(wrong_type(attribute, "a list of strings", other));
                    None
                }
            })
            .collect(),
        other => {
            diagnostics.push(wrong_type(attribute, "a list of strings", other));
            Vec::new()
        }
    }
}

/// A bool, or Terraform's string form of one (`skip_metadata_api_check` is a string there).
fn boolean(attribute: &Attribute, value: &Value, diagnostics: &mut Diagnostics) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(flag) => *flag,
        Value::String(text) if text == "true" => true,
        Value::String(text) if text == "false" || text.is_empty() => false,
        other => {
            diagnostics.push(wrong_type(attribute, "true or false", other));
            false
        }
    }
}

fn whole_number(
    attribute: &Attribute,
    value: &Value,
    diagnostics: &mut Diagnostics,
) -> Option<u32> {
    match value {
        Value::Null => None,
        other => match other.as_i64().and_then(|number| u32::try_from(number).ok()) {
            Some(number) => Some(number),
            None => {
                diagnostics.push(wrong_type(attribute, "a whole number, 0 or more", other));
                None
            }
        },
    }
}

fn closest_name<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|candidate| (edit_distance(name, candidate), *candidate))
        .filter(|(distance, _)| *distance <= 3)
        .min()
        .map(|(_, candidate)| candidate)
}

fn edit_distance(left: &str, right: &str) -> usize {
    let right: Vec<char> = right.chars().collect();
    let mut previous: Vec<usize> = (0..=right.len()).collect();
    for (index, left_character) in left.chars().enumerate() {
        let mut current = vec![index + 1];
        for (offset, right_character) in right.iter().enumerate() {
            let cost = usize::from(left_character != *right_character);
            current.push(
                (previous[offset] + cost)
                    .min(previous[offset + 1] + 1)
                    .min(current[offset] + 1),
            );
        }
        previous = current;
    }
    previous[right.len()]
}

/// The service an `endpoints {}` key overrides, if the provider calls it (the AWS provider's
/// list; a build without it takes every key as its own service).
fn endpoint_service(key: &str) -> Option<&str> {
    #[cfg(feature = "aws")]
    {
        provision_resources::aws::endpoint_service(key)
    }
    #[cfg(not(feature = "aws"))]
    {
        Some(key)
    }
}

/// The `endpoints {}` keys honoured, for the hint of an unknown one.
fn endpoint_keys() -> Vec<&'static str> {
    #[cfg(feature = "aws")]
    {
        provision_resources::aws::ENDPOINT_SERVICES
            .iter()
            .map(|(key, _)| *key)
            .collect()
    }
    #[cfg(not(feature = "aws"))]
    {
        Vec::new()
    }
}

/// The client sets of one run, one per provider configuration it uses (each opaque to the
/// engine, as in `ProviderContext`), counting calls in one counter.
#[derive(Clone)]
pub struct ConfigurationClients {
    clients: BTreeMap<String, ProviderClients>,
    /// The account of each configuration's credentials, when it was asked for.
    accounts: BTreeMap<String, String>,
    pub api_calls: ApiCallCounter,
}

/// A configuration's credentials did not pass the STS check: the error says why (AWS refused
/// them, or could not be reached at all).
#[derive(Debug, thiserror::Error)]
#[error("provider configuration {configuration}: the credentials are not valid: {error}")]
pub struct CredentialsError {
    pub configuration: String,
    pub error: provision_core::ProviderError,
}

impl CredentialsError {
    /// AWS (or the configuration's STS endpoint) did not answer: nothing is known about the
    /// credentials.
    pub fn is_unreachable(&self) -> bool {
        // The SDK reports "no credentials found in chain" as a dispatch failure too: that one
        // is about the credentials.
        self.error.is_unreachable() && !self.error.to_string().to_lowercase().contains("credential")
    }
}

impl ConfigurationClients {
    /// Builds the AWS clients of every configuration in `used`, from `settings` (a
    /// configuration without settings is the standard chain's), each through the provider's
    /// one service list with its own region, profile, credentials, assume_role and endpoints,
    /// and checks each one's credentials with STS GetCallerIdentity unless
    /// `skip_credentials_validation` (and `skip_requesting_account_id`) say not to.
    #[cfg(feature = "aws")]
    pub async fn connect(
        settings: &BTreeMap<String, ProviderSettings>,
        used: &BTreeSet<String>,
    ) -> Result<ConfigurationClients, CredentialsError> {
        use provision_resources::aws::AwsClients;
        let api_calls = ApiCallCounter::default();
        let mut clients: BTreeMap<String, ProviderClients> = BTreeMap::new();
        let mut accounts = BTreeMap::new();
        for configuration in used {
            let configured = settings
                .get(configuration)
                .cloned()
                .unwrap_or_else(|| ProviderSettings::named(configuration));
            let built = AwsClients::connect_counting(&configured.connect, api_calls.clone()).await;
            if !(configured.skip_credentials_validation && configured.skip_requesting_account_id) {
                match built.caller_account().await {
                    Ok(account) => {
                        accounts.insert(configuration.clone(), account);
                    }
                    Err(error) if !configured.skip_credentials_validation => {
                        return Err(CredentialsError {
                            configuration: configuration.clone(),
                            error,
                        })
                    }
                    Err(_) => {}
                }
            }
            clients.insert(configuration.clone(), Arc::new(built));
        }
        Ok(ConfigurationClients {
            clients,
            accounts,
            api_calls,
        })
    }

    /// One client set serving the default configuration (tests, single-configuration tools),
    /// its calls counted in `api_calls`.
    pub fn single(clients: ProviderClients, api_calls: ApiCallCounter) -> ConfigurationClients {
        ConfigurationClients {
            clients: [(DEFAULT_CONFIGURATION.to_string(), clients)].into(),
            accounts: BTreeMap::new(),
            api_calls,
        }
    }

    /// The clients of `configuration`.
    pub fn get(&self, configuration: &str) -> Result<ProviderClients, String> {
        self.clients.get(configuration).cloned().ok_or_else(|| {
            format!("no clients for provider configuration {configuration} in this run")
        })
    }

    /// The account id of `configuration`'s credentials, if STS was asked.
    pub fn account_id(&self, configuration: &str) -> Option<&str> {
        self.accounts.get(configuration).map(String::as_str)
    }

    pub fn configurations(&self) -> impl Iterator<Item = &str> {
        self.clients.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::load::load_spec;

    fn spec_with(text: &str) -> Spec {
        let directory = tempfile::tempdir().expect("temporary directory");
        std::fs::write(directory.path().join("main.tf"), text).expect("write spec");
        let (spec, diagnostics) = load_spec(directory.path());
        assert!(!diagnostics.has_errors(), "{:#?}", diagnostics.items);
        spec
    }

    fn configurations(spec: &Spec) -> Result<BTreeMap<String, ProviderSettings>, Diagnostics> {
        let registry = provision_core::Registry::new();
        let scope = StackScope::new(&registry, "spec", None);
        evaluate_configurations(spec, &scope)
    }

    #[test]
    fn aliases_evaluate_to_their_own_settings() {
        let spec = spec_with(
            r#"
provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = { Team = "platform" }
  }
}
provider "aws" {
  alias                       = "west"
  region                      = "eu-west-1"
  access_key                  = "AKIAEXAMPLE"
  secret_key                  = "secret"
  max_retries                 = 3
  skip_credentials_validation = true
  skip_metadata_api_check     = "true"
  assume_role {
    role_arn     = "arn:aws:iam::111111111111:role/deploy"
    session_name = "ci"
    external_id  = "x-1"
    duration     = "1h30m"
  }
  endpoints {
    ec2 = "http://127.0.0.1:5000"
    cloudwatchlogs = "http://127.0.0.1:5001"
  }
  ignore_tags {
    keys         = ["Owner"]
    key_prefixes = ["kubernetes.io/"]
  }
}
"#,
        );
        let settings = configurations(&spec).expect("settings");
        assert_eq!(settings.keys().collect::<Vec<_>>(), vec!["aws", "aws.west"]);
        let default = &settings["aws"];
        assert_eq!(default.connect.region.as_deref(), Some("us-east-1"));
        assert_eq!(default.default_tags["Team"], "platform");
        let west = &settings["aws.west"];
        assert_eq!(west.connect.region.as_deref(), Some("eu-west-1"));
        assert_eq!(west.connect.access_key.as_deref(), Some("AKIAEXAMPLE"));
        assert_eq!(west.connect.max_retries, Some(3));
        assert!(west.connect.skip_metadata_api_check);
        assert!(west.skip_credentials_validation);
        assert!(west.default_tags.is_empty());
        let role = west.connect.assume_role.as_ref().expect("assume_role");
        assert_eq!(role.role_arn, "arn:aws:iam::111111111111:role/deploy");
        assert_eq!(role.session_name.as_deref(), Some("ci"));
        assert_eq!(role.external_id.as_deref(), Some("x-1"));
        assert_eq!(role.duration, Some(Duration::from_secs(5400)));
        assert_eq!(west.connect.endpoints["ec2"], "http://127.0.0.1:5000");
        assert_eq!(west.connect.endpoints["logs"], "http://127.0.0.1:5001");
        assert!(west.ignore_tags.ignores("Owner"));
        assert!(west.ignore_tags.ignores("kubernetes.io/cluster/x"));
        assert!(!west.ignore_tags.ignores("Name"));
        let debug = format!("{:?}", west.connect);
        assert!(!debug.contains("secret\""), "{debug}");
        assert!(debug.contains("(sensitive value)"), "{debug}");
    }

    #[test]
    fn a_spec_without_provider_blocks_has_the_default_configuration() {
        let spec =
            spec_with("resource \"aws_vpc\" \"main\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n");
        let settings = configurations(&spec).expect("settings");
        assert_eq!(settings.keys().collect::<Vec<_>>(), vec!["aws"]);
        assert_eq!(settings["aws"].connect, ConnectOptions::default());
    }

    #[test]
    fn an_unknown_alias_is_an_error_at_the_reference_with_the_defined_ones() {
        let spec = spec_with(
            r#"
provider "aws" {
  alias  = "west"
  region = "eu-west-1"
}
resource "aws_vpc" "main" {
  provider   = aws.wset
  cidr_block = "10.0.0.0/16"
}
"#,
        );
        let reference = spec.resources[0].provider.as_ref().expect("provider");
        assert_eq!(reference.configuration_key(), "aws.wset");
        let error = configuration_for(&spec, Some(reference)).expect_err("unknown alias");
        assert_eq!(error.summary, "unknown provider configuration `aws.wset`");
        assert!(error.span.is_some());
        let hint = error.hint.clone().unwrap_or_default();
        assert!(hint.contains("did you mean `aws.west`?"), "{hint}");
        assert_eq!(configuration_for(&spec, None).unwrap(), "aws");
    }

    #[test]
    fn a_bad_region_needs_skip_region_validation() {
        let spec = spec_with("provider \"aws\" {\n  region = \"us-east1\"\n}\n");
        let diagnostics = configurations(&spec).expect_err("bad region");
        assert_eq!(
            diagnostics.items[0].summary,
            "`us-east1` is not an AWS region name"
        );
        let spec = spec_with(
            "provider \"aws\" {\n  region = \"us-east1\"\n  skip_region_validation = true\n}\n",
        );
        assert!(configurations(&spec).is_ok());
    }

    #[test]
    fn region_names_and_durations() {
        for region in [
            "us-east-1",
            "eu-west-1",
            "ap-southeast-2",
            "us-gov-west-1",
            "il-central-1",
        ] {
            assert!(is_region_name(region), "{region}");
        }
        for region in ["us-east1", "useast-1", "US-EAST-1", "us-east-", ""] {
            assert!(!is_region_name(region), "{region}");
        }
        assert_eq!(parse_duration("15m"), Some(Duration::from_secs(900)));
        assert_eq!(parse_duration("1h"), Some(Duration::from_secs(3600)));
        assert_eq!(parse_duration("900s"), Some(Duration::from_secs(900)));
        assert_eq!(parse_duration("1h30m"), Some(Duration::from_secs(5400)));
        assert_eq!(parse_duration("15"), None);
        assert_eq!(parse_duration("1d"), None);
    }

    #[test]
    fn module_references_map_through_the_module_blocks_providers() {
        let span = SourceSpan {
            file: crate::diagnostics::FileId(0),
            range: 0..0,
        };
        let reference = |alias: Option<&str>| ProviderReference {
            provider: "aws".to_string(),
            alias: alias.map(str::to_string),
            span: span.clone(),
        };
        let providers: BTreeMap<String, ProviderReference> = [
            ("aws".to_string(), reference(Some("west"))),
            ("aws.replica".to_string(), reference(Some("east"))),
        ]
        .into();
        let mapped = |inner: Option<ProviderReference>| {
            map_through_module(inner.as_ref(), &providers).map(|found| found.configuration_key())
        };
        assert_eq!(mapped(None).as_deref(), Some("aws.west"));
        assert_eq!(mapped(Some(reference(None))).as_deref(), Some("aws.west"));
        assert_eq!(
            mapped(Some(reference(Some("replica")))).as_deref(),
            Some("aws.east")
        );
        assert_eq!(map_through_module(None, &BTreeMap::new()), None);
    }

    #[test]
    fn unsupported_provider_arguments_are_named() {
        let directory = tempfile::tempdir().expect("temporary directory");
        std::fs::write(
            directory.path().join("main.tf"),
            "provider \"aws\" {\n  use_fips_endpoint = true\n  regoin = \"x\"\n}\n",
        )
        .expect("write spec");
        let (_, diagnostics) = load_spec(directory.path());
        let summaries: Vec<&str> = diagnostics
            .items
            .iter()
            .map(|diagnostic| diagnostic.summary.as_str())
            .collect();
        assert_eq!(
            summaries,
            vec![
                "provider \"aws\": argument `use_fips_endpoint` is not supported by provision yet",
                "unknown attribute `regoin` in provider \"aws\"",
            ]
        );
    }
}
