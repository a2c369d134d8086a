//! The `aws_cloudfront_distribution` schema, and the pure translation between its attributes
//! and CloudFront's `DistributionConfig` (request building and read-back), unit-tested here.
//!
//! moto 5.2.1 drops a cache behaviour's `LambdaFunctionAssociations` and `FunctionAssociations`
//! (it always answers `Quantity` 0): an answer without associations keeps the prior ones of the
//! same behaviour, so on AWS the removal of every association behind the spec's back is the one
//! change of them a drift check cannot see. The request side is unit-tested below.

use aws_sdk_cloudfront::types::{
    Aliases, AllowedMethods, CacheBehavior, CacheBehaviors, CachedMethods, CustomErrorResponse,
    CustomErrorResponses, CustomHeaders, CustomOriginConfig, DefaultCacheBehavior,
    DistributionConfig, EventType, FunctionAssociation, FunctionAssociations, GeoRestriction,
    GeoRestrictionType, HttpVersion, LambdaFunctionAssociation, LambdaFunctionAssociations,
    LoggingConfig, Method, MinimumProtocolVersion, Origin, OriginCustomHeader,
    OriginProtocolPolicy, OriginSslProtocols, Origins, PriceClass, Restrictions, S3OriginConfig,
    SslProtocol, SslSupportMethod, ViewerCertificate, ViewerProtocolPolicy,
};

use crate::aws::kit::attributes;
use crate::error::ProviderError;
use crate::provider::Attributes;
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

fn block(name: &'static str, nesting: BlockNesting, schema: Schema) -> NestedBlock {
    NestedBlock {
        name,
        nesting,
        schema,
        force_new: false,
        computed: false,
    }
}

/// The attributes shared by the default and the ordered cache behaviours.
fn cache_behavior_attributes() -> Vec<Attribute> {
    vec![
        Attribute::required("allowed_methods", AttrType::set_of_strings()),
        Attribute::required("cached_methods", AttrType::set_of_strings()),
        Attribute::required("target_origin_id", AttrType::String),
        Attribute::required("viewer_protocol_policy", AttrType::String)
            .describe("`allow-all`, `https-only` or `redirect-to-https`."),
        Attribute::optional("compress", AttrType::Bool).default(false),
        Attribute::optional("smooth_streaming", AttrType::Bool).default(false),
        Attribute::optional("cache_policy_id", AttrType::String)
            .default("")
            .describe("A managed or own cache policy (`4135ea2d-...` = CachingDisabled)."),
        Attribute::optional("origin_request_policy_id", AttrType::String).default(""),
        Attribute::optional("response_headers_policy_id", AttrType::String).default(""),
        Attribute::optional("field_level_encryption_id", AttrType::String).default(""),
        Attribute::optional("realtime_log_config_arn", AttrType::String).default(""),
        Attribute::optional_computed("min_ttl", AttrType::Number),
        Attribute::optional_computed("default_ttl", AttrType::Number),
        Attribute::optional_computed("max_ttl", AttrType::Number),
    ]
}

/// A cache behaviour's schema: `attributes` and its association blocks (Lambda@Edge, up to
/// four; CloudFront Functions, up to two).
fn cache_behavior_schema(attributes: Vec<Attribute>) -> Schema {
    Schema::new(attributes)
        .with_block(block(
            "lambda_function_association",
            BlockNesting::Set,
            Schema::new(vec![
                Attribute::required("event_type", AttrType::String).describe(
                    "`viewer-request`, `origin-request`, `origin-response` or `viewer-response`.",
                ),
                Attribute::required("lambda_arn", AttrType::String)
                    .describe("A published version's ARN (`qualified_arn`), not `$LATEST`."),
                Attribute::optional("include_body", AttrType::Bool).default(false),
            ]),
        ))
        .with_block(block(
            "function_association",
            BlockNesting::Set,
            Schema::new(vec![
                Attribute::required("event_type", AttrType::String)
                    .describe("`viewer-request` or `viewer-response`."),
                Attribute::required("function_arn", AttrType::String),
            ]),
        ))
}

/// The `aws_cloudfront_distribution` schema (Terraform's names and defaults).
pub fn schema() -> Schema {
    let custom_origin_config = Schema::new(vec![
        Attribute::required("http_port", AttrType::Number),
        Attribute::required("https_port", AttrType::Number),
        Attribute::required("origin_protocol_policy", AttrType::String)
            .describe("`http-only`, `https-only` or `match-viewer`."),
        Attribute::required("origin_ssl_protocols", AttrType::set_of_strings()),
        Attribute::optional("origin_keepalive_timeout", AttrType::Number).default(5.0),
        Attribute::optional("origin_read_timeout", AttrType::Number).default(30.0),
    ]);
    let origin = Schema::new(vec![
        Attribute::required("domain_name", AttrType::String),
        Attribute::required("origin_id", AttrType::String),
        Attribute::optional("origin_path", AttrType::String).default(""),
        Attribute::optional("origin_access_control_id", AttrType::String).default(""),
        Attribute::optional("connection_attempts", AttrType::Number).default(3.0),
        Attribute::optional("connection_timeout", AttrType::Number).default(10.0),
    ])
    .with_block(block(
        "custom_origin_config",
        BlockNesting::Single,
        custom_origin_config,
    ))
    .with_block(block(
        "s3_origin_config",
        BlockNesting::Single,
        Schema::new(vec![Attribute::required(
            "origin_access_identity",
            AttrType::String,
        )]),
    ))
    .with_block(block(
        "custom_header",
        BlockNesting::Set,
        Schema::new(vec![
            Attribute::required("name", AttrType::String),
            Attribute::required("value", AttrType::String),
        ]),
    ));
    let mut ordered = vec![Attribute::required("path_pattern", AttrType::String)];
    ordered.extend(cache_behavior_attributes());
    let mut restrictions = block(
        "restrictions",
        BlockNesting::Single,
        Schema::new(vec![]).with_block(block(
            "geo_restriction",
            BlockNesting::Single,
            Schema::new(vec![
                Attribute::required("restriction_type", AttrType::String)
                    .describe("`none`, `whitelist` or `blacklist`."),
                Attribute::optional_computed("locations", AttrType::set_of_strings()),
            ]),
        )),
    );
    restrictions.computed = true;
    let mut viewer_certificate = block(
        "viewer_certificate",
        BlockNesting::Single,
        Schema::new(vec![
            Attribute::optional("cloudfront_default_certificate", AttrType::Bool).default(false),
            Attribute::optional("acm_certificate_arn", AttrType::String).default(""),
            Attribute::optional("iam_certificate_id", AttrType::String).default(""),
            Attribute::optional_computed("minimum_protocol_version", AttrType::String),
            Attribute::optional_computed("ssl_support_method", AttrType::String),
        ]),
    );
    viewer_certificate.computed = true;
    Schema::new(vec![
        Attribute::computed("id", AttrType::String),
        Attribute::computed("arn", AttrType::String),
        Attribute::computed("caller_reference", AttrType::String),
        Attribute::computed("domain_name", AttrType::String),
        Attribute::computed("etag", AttrType::String),
        Attribute::computed("hosted_zone_id", AttrType::String),
        Attribute::computed("status", AttrType::String),
        Attribute::required("enabled", AttrType::Bool),
        Attribute::optional("comment", AttrType::String).default(""),
        Attribute::optional("default_root_object", AttrType::String).default(""),
        Attribute::optional("http_version", AttrType::String).default("http2"),
        Attribute::optional("is_ipv6_enabled", AttrType::Bool).default(false),
        Attribute::optional("price_class", AttrType::String).default("PriceClass_All"),
        Attribute::optional("web_acl_id", AttrType::String).default(""),
        Attribute::optional("aliases", AttrType::set_of_strings()),
        Attribute::optional("retain_on_delete", AttrType::Bool)
            .default(false)
            .describe("When true, destroy only disables the distribution."),
        Attribute::optional("wait_for_deployment", AttrType::Bool)
            .default(true)
            .describe("Wait for `Deployed` after create and update."),
        Attribute::optional("tags", AttrType::map_of_strings()),
        Attribute::computed("tags_all", AttrType::map_of_strings()),
    ])
    .with_block(block("origin", BlockNesting::Set, origin))
    .with_block(block(
        "default_cache_behavior",
        BlockNesting::Single,
        cache_behavior_schema(cache_behavior_attributes()),
    ))
    .with_block(block(
        "ordered_cache_behavior",
        BlockNesting::List,
        cache_behavior_schema(ordered),
    ))
    .with_block(block(
        "custom_error_response",
        BlockNesting::Set,
        Schema::new(vec![
            Attribute::required("error_code", AttrType::Number),
            Attribute::optional("response_code", AttrType::Number),
            Attribute::optional("response_page_path", AttrType::String),
            Attribute::optional_computed("error_caching_min_ttl", AttrType::Number),
        ]),
    ))
    .with_block(block(
        "logging_config",
        BlockNesting::Single,
        Schema::new(vec![
            Attribute::required("bucket", AttrType::String)
                .describe("The log bucket's domain name (`<bucket>.s3.amazonaws.com`)."),
            Attribute::optional("include_cookies", AttrType::Bool).default(false),
            Attribute::optional("prefix", AttrType::String).default(""),
        ]),
    ))
    .with_block(restrictions)
    .with_block(viewer_certificate)
}

fn invalid(attribute: &str, error: impl std::fmt::Display) -> ProviderError {
    ProviderError::invalid(attribute, error.to_string())
}

fn int32(map: &Attributes, name: &str, default: i32) -> Result<i32, ProviderError> {
    Ok(attributes::optional_i32(map, name)?.unwrap_or(default))
}

fn methods(map: &Attributes, name: &str) -> Vec<Method> {
    attributes::string_list(map, name)
        .iter()
        .map(|method| Method::from(method.as_str()))
        .collect()
}

fn allowed_methods(behavior: &Attributes) -> Result<AllowedMethods, ProviderError> {
    let allowed = methods(behavior, "allowed_methods");
    let cached = methods(behavior, "cached_methods");
    AllowedMethods::builder()
        .quantity(allowed.len() as i32)
        .set_items(Some(allowed))
        .cached_methods(
            CachedMethods::builder()
                .quantity(cached.len() as i32)
                .set_items(Some(cached))
                .build()
                .map_err(|error| invalid("cached_methods", error))?,
        )
        .build()
        .map_err(|error| invalid("allowed_methods", error))
}

/// The policy ids of a behaviour; a cache policy is required (the legacy `forwarded_values`
/// settings are not offered).
fn policy(behavior: &Attributes, name: &str) -> Option<String> {
    attributes::non_empty(behavior, name)
}

/// A behaviour's Lambda@Edge associations, as CloudFront takes them.
fn lambda_associations(behavior: &Attributes) -> Result<LambdaFunctionAssociations, ProviderError> {
    let mut items = Vec::new();
    for association in attributes::blocks(behavior, "lambda_function_association") {
        items.push(
            LambdaFunctionAssociation::builder()
                .event_type(EventType::from(
                    attributes::required_string(association, "event_type")?.as_str(),
                ))
                .lambda_function_arn(attributes::required_string(association, "lambda_arn")?)
                .include_body(
                    attributes::optional_bool(association, "include_body").unwrap_or(false),
                )
                .build()
                .map_err(|error| invalid("lambda_function_association", error))?,
        );
    }
    LambdaFunctionAssociations::builder()
        .quantity(items.len() as i32)
        .set_items((!items.is_empty()).then_some(items))
        .build()
        .map_err(|error| invalid("lambda_function_association", error))
}

/// A behaviour's CloudFront Function associations, as CloudFront takes them.
fn function_associations(behavior: &Attributes) -> Result<FunctionAssociations, ProviderError> {
    let mut items = Vec::new();
    for association in attributes::blocks(behavior, "function_association") {
        items.push(
            FunctionAssociation::builder()
                .event_type(EventType::from(
                    attributes::required_string(association, "event_type")?.as_str(),
                ))
                .function_arn(attributes::required_string(association, "function_arn")?)
                .build()
                .map_err(|error| invalid("function_association", error))?,
        );
    }
    FunctionAssociations::builder()
        .quantity(items.len() as i32)
        .set_items((!items.is_empty()).then_some(items))
        .build()
        .map_err(|error| invalid("function_association", error))
}

macro_rules! behavior_request {
    ($builder:expr, $behavior:expr) => {{
        let behavior = $behavior;
        let cache_policy = policy(behavior, "cache_policy_id").ok_or_else(|| {
            invalid(
                "cache_policy_id",
                "is required: a cache behaviour names a cache policy (forwarded_values is \
                 not offered)",
            )
        })?;
        $builder
            .target_origin_id(attributes::required_string(behavior, "target_origin_id")?)
            .viewer_protocol_policy(ViewerProtocolPolicy::from(
                attributes::required_string(behavior, "viewer_protocol_policy")?.as_str(),
            ))
            .allowed_methods(allowed_methods(behavior)?)
            .compress(attributes::optional_bool(behavior, "compress").unwrap_or(false))
            .smooth_streaming(
                attributes::optional_bool(behavior, "smooth_streaming").unwrap_or(false),
            )
            .cache_policy_id(cache_policy)
            .set_origin_request_policy_id(policy(behavior, "origin_request_policy_id"))
            .set_response_headers_policy_id(policy(behavior, "response_headers_policy_id"))
            .set_field_level_encryption_id(policy(behavior, "field_level_encryption_id"))
            .set_realtime_log_config_arn(policy(behavior, "realtime_log_config_arn"))
            .lambda_function_associations(lambda_associations(behavior)?)
            .function_associations(function_associations(behavior)?)
    }};
}

fn origin_request(origin: &Attributes) -> Result<Origin, ProviderError> {
    let headers = attributes::blocks(origin, "custom_header")
        .into_iter()
        .map(|header| {
            OriginCustomHeader::builder()
                .header_name(attributes::required_string(header, "name")?)
                .header_value(attributes::required_string(header, "value")?)
                .build()
                .map_err(|error| invalid("custom_header", error))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut builder = Origin::builder()
        .id(attributes::required_string(origin, "origin_id")?)
        .domain_name(attributes::required_string(origin, "domain_name")?)
        .origin_path(attributes::optional_string(origin, "origin_path").unwrap_or_default())
        .connection_attempts(int32(origin, "connection_attempts", 3)?)
        .connection_timeout(int32(origin, "connection_timeout", 10)?)
        .origin_access_control_id(
            attributes::optional_string(origin, "origin_access_control_id").unwrap_or_default(),
        )
        .custom_headers(
            CustomHeaders::builder()
                .quantity(headers.len() as i32)
                .set_items(Some(headers))
                .build()
                .map_err(|error| invalid("custom_header", error))?,
        );
    if let Some(custom) = attributes::block(origin, "custom_origin_config") {
        let protocols: Vec<SslProtocol> = attributes::string_list(custom, "origin_ssl_protocols")
            .iter()
            .map(|protocol| SslProtocol::from(protocol.as_str()))
            .collect();
        builder = builder.custom_origin_config(
            CustomOriginConfig::builder()
                .http_port(int32(custom, "http_port", 80)?)
                .https_port(int32(custom, "https_port", 443)?)
                .origin_protocol_policy(OriginProtocolPolicy::from(
                    attributes::required_string(custom, "origin_protocol_policy")?.as_str(),
                ))
                .origin_ssl_protocols(
                    OriginSslProtocols::builder()
                        .quantity(protocols.len() as i32)
                        .set_items(Some(protocols))
                        .build()
                        .map_err(|error| invalid("origin_ssl_protocols", error))?,
                )
                .origin_keepalive_timeout(int32(custom, "origin_keepalive_timeout", 5)?)
                .origin_read_timeout(int32(custom, "origin_read_timeout", 30)?)
                .build()
                .map_err(|error| invalid("custom_origin_config", error))?,
        );
    } else {
        // An S3 origin: with an OAC the identity is empty (AWS still wants the element).
        let identity = attributes::block(origin, "s3_origin_config")
            .and_then(|s3| attributes::optional_string(s3, "origin_access_identity"))
            .unwrap_or_default();
        builder = builder.s3_origin_config(
            S3OriginConfig::builder()
                .origin_access_identity(identity)
                .build(),
        );
    }
    builder.build().map_err(|error| invalid("origin", error))
}

fn viewer_certificate(desired: &Attributes) -> ViewerCertificate {
    let Some(certificate) = attributes::block(desired, "viewer_certificate") else {
        return ViewerCertificate::builder()
            .cloud_front_default_certificate(true)
            .build();
    };
    let acm = attributes::non_empty(certificate, "acm_certificate_arn");
    let iam = attributes::non_empty(certificate, "iam_certificate_id");
    let own_certificate = acm.is_some() || iam.is_some();
    ViewerCertificate::builder()
        .cloud_front_default_certificate(
            attributes::optional_bool(certificate, "cloudfront_default_certificate")
                .unwrap_or(false),
        )
        .set_acm_certificate_arn(acm)
        .set_iam_certificate_id(iam)
        .set_ssl_support_method(
            attributes::non_empty(certificate, "ssl_support_method")
                .or_else(|| own_certificate.then(|| "sni-only".to_string()))
                .map(|method| SslSupportMethod::from(method.as_str())),
        )
        .set_minimum_protocol_version(
            attributes::non_empty(certificate, "minimum_protocol_version")
                .or_else(|| own_certificate.then(|| "TLSv1.2_2021".to_string()))
                .map(|version| MinimumProtocolVersion::from(version.as_str())),
        )
        .build()
}

fn restrictions(desired: &Attributes) -> Result<Restrictions, ProviderError> {
    let geo = attributes::block(desired, "restrictions")
        .and_then(|restrictions| attributes::block(restrictions, "geo_restriction"));
    let restriction_type = geo
        .and_then(|geo| attributes::optional_string(geo, "restriction_type"))
        .unwrap_or_else(|| "none".to_string());
    let locations = geo
        .map(|geo| attributes::string_list(geo, "locations"))
        .unwrap_or_default();
    Ok(Restrictions::builder()
        .geo_restriction(
            GeoRestriction::builder()
                .restriction_type(GeoRestrictionType::from(restriction_type.as_str()))
                .quantity(locations.len() as i32)
                .set_items((!locations.is_empty()).then_some(locations))
                .build()
                .map_err(|error| invalid("restrictions", error))?,
        )
        .build())
}

/// The `DistributionConfig` the desired attributes ask for, under `caller_reference`.
pub fn distribution_config(
    desired: &Attributes,
    caller_reference: &str,
) -> Result<DistributionConfig, ProviderError> {
    let origins = attributes::blocks(desired, "origin")
        .into_iter()
        .map(origin_request)
        .collect::<Result<Vec<_>, _>>()?;
    if origins.is_empty() {
        return Err(invalid("origin", "at least one origin block is required"));
    }
    let default_behavior =
        attributes::block(desired, "default_cache_behavior").ok_or_else(|| {
            invalid(
                "default_cache_behavior",
                "a default_cache_behavior block is required",
            )
        })?;
    let default_behavior = behavior_request!(DefaultCacheBehavior::builder(), default_behavior)
        .build()
        .map_err(|error| invalid("default_cache_behavior", error))?;
    let mut ordered = Vec::new();
    for behavior in attributes::blocks(desired, "ordered_cache_behavior") {
        ordered.push(
            behavior_request!(CacheBehavior::builder(), behavior)
                .path_pattern(attributes::required_string(behavior, "path_pattern")?)
                .build()
                .map_err(|error| invalid("ordered_cache_behavior", error))?,
        );
    }
    let mut error_responses = Vec::new();
    for response in attributes::blocks(desired, "custom_error_response") {
        error_responses.push(
            CustomErrorResponse::builder()
                .error_code(
                    attributes::optional_i32(response, "error_code")?
                        .ok_or_else(|| invalid("error_code", "is required"))?,
                )
                .set_response_code(
                    attributes::optional_i64(response, "response_code")
                        .map(|code| code.to_string()),
                )
                .set_response_page_path(attributes::non_empty(response, "response_page_path"))
                .set_error_caching_min_ttl(attributes::optional_i64(
                    response,
                    "error_caching_min_ttl",
                ))
                .build()
                .map_err(|error| invalid("custom_error_response", error))?,
        );
    }
    let aliases = attributes::string_list(desired, "aliases");
    let logging = match attributes::block(desired, "logging_config") {
        Some(logging) => LoggingConfig::builder()
            .enabled(true)
            .bucket(attributes::required_string(logging, "bucket")?)
            .include_cookies(attributes::optional_bool(logging, "include_cookies").unwrap_or(false))
            .prefix(attributes::optional_string(logging, "prefix").unwrap_or_default())
            .build(),
        None => LoggingConfig::builder()
            .enabled(false)
            .bucket("")
            .include_cookies(false)
            .prefix("")
            .build(),
    };
    DistributionConfig::builder()
        .caller_reference(caller_reference)
        .comment(attributes::optional_string(desired, "comment").unwrap_or_default())
        .enabled(attributes::optional_bool(desired, "enabled").unwrap_or(true))
        .default_root_object(
            attributes::optional_string(desired, "default_root_object").unwrap_or_default(),
        )
        .http_version(HttpVersion::from(
            attributes::optional_string(desired, "http_version")
                .unwrap_or_else(|| "http2".into())
                .as_str(),
        ))
        .is_ipv6_enabled(attributes::optional_bool(desired, "is_ipv6_enabled").unwrap_or(false))
        .price_class(PriceClass::from(
            attributes::optional_string(desired, "price_class")
                .unwrap_or_else(|| "PriceClass_All".into())
                .as_str(),
        ))
        .web_acl_id(attributes::optional_string(desired, "web_acl_id").unwrap_or_default())
        .aliases(
            Aliases::builder()
                .quantity(aliases.len() as i32)
                .set_items(Some(aliases))
                .build()
                .map_err(|error| invalid("aliases", error))?,
        )
        .origins(
            Origins::builder()
                .quantity(origins.len() as i32)
                .set_items(Some(origins))
                .build()
                .map_err(|error| invalid("origin", error))?,
        )
        .default_cache_behavior(default_behavior)
        .cache_behaviors(
            CacheBehaviors::builder()
                .quantity(ordered.len() as i32)
                .set_items(Some(ordered))
                .build()
                .map_err(|error| invalid("ordered_cache_behavior", error))?,
        )
        .custom_error_responses(
            CustomErrorResponses::builder()
                .quantity(error_responses.len() as i32)
                .set_items(Some(error_responses))
                .build()
                .map_err(|error| invalid("custom_error_response", error))?,
        )
        .logging(logging)
        .viewer_certificate(viewer_certificate(desired))
        .restrictions(restrictions(desired)?)
        .build()
        .map_err(|error| invalid("origin", error))
}

fn text(value: Option<&str>) -> Value {
    Value::string(value.unwrap_or_default())
}

fn methods_value<'a>(methods: impl IntoIterator<Item = &'a Method>) -> Value {
    attributes::string_list_value(methods.into_iter().map(Method::as_str))
}

macro_rules! behavior_value {
    ($behavior:expr) => {{
        let behavior = $behavior;
        let allowed = behavior.allowed_methods();
        let mut map = attributes::map([
            (
                "allowed_methods",
                methods_value(allowed.map(|allowed| allowed.items()).unwrap_or_default()),
            ),
            (
                "cached_methods",
                methods_value(
                    allowed
                        .and_then(|allowed| allowed.cached_methods())
                        .map(|cached| cached.items())
                        .unwrap_or_default(),
                ),
            ),
            (
                "target_origin_id",
                Value::string(behavior.target_origin_id()),
            ),
            (
                "viewer_protocol_policy",
                Value::string(behavior.viewer_protocol_policy().as_str()),
            ),
            (
                "compress",
                Value::Bool(behavior.compress().unwrap_or(false)),
            ),
            (
                "smooth_streaming",
                Value::Bool(behavior.smooth_streaming().unwrap_or(false)),
            ),
            ("cache_policy_id", text(behavior.cache_policy_id())),
            (
                "origin_request_policy_id",
                text(behavior.origin_request_policy_id()),
            ),
            (
                "response_headers_policy_id",
                text(behavior.response_headers_policy_id()),
            ),
            (
                "field_level_encryption_id",
                text(behavior.field_level_encryption_id()),
            ),
            (
                "realtime_log_config_arn",
                text(behavior.realtime_log_config_arn()),
            ),
        ]);
        // With a cache policy the TTLs belong to the policy; AWS answers the legacy ones only
        // sometimes (0 or absent). Shown when answered.
        map.insert(
            "min_ttl".into(),
            attributes::number(behavior.min_ttl().map(|ttl| ttl as f64)),
        );
        map.insert(
            "default_ttl".into(),
            attributes::number(behavior.default_ttl().map(|ttl| ttl as f64)),
        );
        map.insert(
            "max_ttl".into(),
            attributes::number(behavior.max_ttl().map(|ttl| ttl as f64)),
        );
        map.insert(
            "lambda_function_association".into(),
            attributes::block_value(
                behavior
                    .lambda_function_associations()
                    .and_then(|associations| associations.items.as_deref())
                    .unwrap_or_default()
                    .iter()
                    .map(|association| {
                        attributes::map([
                            (
                                "event_type",
                                Value::string(association.event_type().as_str()),
                            ),
                            (
                                "lambda_arn",
                                Value::string(association.lambda_function_arn()),
                            ),
                            (
                                "include_body",
                                Value::Bool(association.include_body().unwrap_or(false)),
                            ),
                        ])
                    }),
            ),
        );
        map.insert(
            "function_association".into(),
            attributes::block_value(
                behavior
                    .function_associations()
                    .and_then(|associations| associations.items.as_deref())
                    .unwrap_or_default()
                    .iter()
                    .map(|association| {
                        attributes::map([
                            (
                                "event_type",
                                Value::string(association.event_type().as_str()),
                            ),
                            ("function_arn", Value::string(association.function_arn())),
                        ])
                    }),
            ),
        );
        map
    }};
}

/// moto's gap (see the module doc): a behaviour answered without associations keeps the
/// prior ones of the same behaviour (the default one, or the ordered one of the same path).
fn keep_prior_associations(behavior: &mut Attributes, prior: Option<&Attributes>) {
    let Some(prior) = prior else { return };
    for name in ["lambda_function_association", "function_association"] {
        let answered = behavior
            .get(name)
            .and_then(Value::as_list)
            .is_some_and(|items| !items.is_empty());
        if !answered {
            if let Some(kept) = prior.get(name) {
                behavior.insert(name.to_string(), kept.clone());
            }
        }
    }
}

fn origin_value(origin: &Origin, prior: &Attributes) -> Attributes {
    // moto does not keep `OriginAccessControlId`; AWS always answers it ("" when none). When
    // the answer lacks it, the prior value of the same origin is kept.
    let prior_oac = attributes::blocks(prior, "origin")
        .into_iter()
        .find(|candidate| {
            attributes::optional_string(candidate, "origin_id").as_deref() == Some(origin.id())
        })
        .and_then(|candidate| attributes::optional_string(candidate, "origin_access_control_id"));
    let oac = origin
        .origin_access_control_id()
        .map(str::to_string)
        .or(prior_oac)
        .unwrap_or_default();
    let custom = origin.custom_origin_config().map(|custom| {
        attributes::map([
            ("http_port", Value::Number(custom.http_port().into())),
            ("https_port", Value::Number(custom.https_port().into())),
            (
                "origin_protocol_policy",
                Value::string(custom.origin_protocol_policy().as_str()),
            ),
            (
                "origin_ssl_protocols",
                attributes::string_list_value(
                    custom
                        .origin_ssl_protocols()
                        .map(|protocols| protocols.items())
                        .unwrap_or_default()
                        .iter()
                        .map(SslProtocol::as_str),
                ),
            ),
            (
                "origin_keepalive_timeout",
                Value::Number(custom.origin_keepalive_timeout().unwrap_or(5).into()),
            ),
            (
                "origin_read_timeout",
                Value::Number(custom.origin_read_timeout().unwrap_or(30).into()),
            ),
        ])
    });
    let s3 = origin
        .s3_origin_config()
        .map(|s3| s3.origin_access_identity())
        .filter(|identity| !identity.is_empty())
        .map(|identity| attributes::map([("origin_access_identity", Value::string(identity))]));
    let headers = origin
        .custom_headers()
        .map(|headers| headers.items())
        .unwrap_or_default()
        .iter()
        .map(|header| {
            attributes::map([
                ("name", Value::string(header.header_name())),
                ("value", Value::string(header.header_value())),
            ])
        });
    attributes::map([
        ("domain_name", Value::string(origin.domain_name())),
        ("origin_id", Value::string(origin.id())),
        ("origin_path", text(origin.origin_path())),
        ("origin_access_control_id", Value::String(oac)),
        (
            "connection_attempts",
            Value::Number(origin.connection_attempts().unwrap_or(3).into()),
        ),
        (
            "connection_timeout",
            Value::Number(origin.connection_timeout().unwrap_or(10).into()),
        ),
        ("custom_origin_config", attributes::block_value(custom)),
        ("s3_origin_config", attributes::block_value(s3)),
        ("custom_header", attributes::block_value(headers)),
    ])
}

/// The settable attributes and blocks a `DistributionConfig` stands for. `prior` fills what
/// the answer lacks (see `origin_value`). The TTLs read are CloudFront's legacy (deprecated)
/// fields, which Terraform still shows.
#[allow(deprecated)]
pub fn config_attributes(config: &DistributionConfig, prior: &Attributes) -> Attributes {
    let mut attributes = Attributes::new();
    attributes.insert("enabled".into(), Value::Bool(config.enabled()));
    attributes.insert("comment".into(), Value::string(config.comment()));
    attributes.insert(
        "default_root_object".into(),
        text(config.default_root_object()),
    );
    attributes.insert(
        "http_version".into(),
        Value::string(config.http_version().map_or("http2", HttpVersion::as_str)),
    );
    attributes.insert(
        "is_ipv6_enabled".into(),
        Value::Bool(config.is_ipv6_enabled().unwrap_or(false)),
    );
    attributes.insert(
        "price_class".into(),
        Value::string(
            config
                .price_class()
                .map_or("PriceClass_All", PriceClass::as_str),
        ),
    );
    attributes.insert("web_acl_id".into(), text(config.web_acl_id()));
    attributes.insert(
        "aliases".into(),
        attributes::string_list_value(
            config
                .aliases()
                .map(|aliases| aliases.items())
                .unwrap_or_default(),
        ),
    );
    attributes.insert(
        "caller_reference".into(),
        Value::string(config.caller_reference()),
    );
    attributes.insert(
        "origin".into(),
        attributes::block_value(
            config
                .origins()
                .map(|origins| origins.items())
                .unwrap_or_default()
                .iter()
                .map(|origin| origin_value(origin, prior)),
        ),
    );
    attributes.insert(
        "default_cache_behavior".into(),
        attributes::block_value(config.default_cache_behavior().map(|behavior| {
            let mut map = behavior_value!(behavior);
            keep_prior_associations(&mut map, attributes::block(prior, "default_cache_behavior"));
            map
        })),
    );
    attributes.insert(
        "ordered_cache_behavior".into(),
        attributes::block_value(
            config
                .cache_behaviors()
                .map(|behaviors| behaviors.items())
                .unwrap_or_default()
                .iter()
                .map(|behavior| {
                    let mut map = behavior_value!(behavior);
                    map.insert(
                        "path_pattern".into(),
                        Value::string(behavior.path_pattern()),
                    );
                    let prior_behavior = attributes::blocks(prior, "ordered_cache_behavior")
                        .into_iter()
                        .find(|candidate| {
                            attributes::optional_string(candidate, "path_pattern").as_deref()
                                == Some(behavior.path_pattern())
                        });
                    keep_prior_associations(&mut map, prior_behavior);
                    map
                }),
        ),
    );
    attributes.insert(
        "custom_error_response".into(),
        attributes::block_value(
            config
                .custom_error_responses()
                .map(|responses| responses.items())
                .unwrap_or_default()
                .iter()
                .map(|response| {
                    attributes::map([
                        ("error_code", Value::Number(response.error_code().into())),
                        (
                            "response_code",
                            response
                                .response_code()
                                .and_then(|code| code.parse::<f64>().ok())
                                .map_or(Value::Null, Value::Number),
                        ),
                        (
                            "response_page_path",
                            response
                                .response_page_path()
                                .filter(|path| !path.is_empty())
                                .map_or(Value::Null, Value::string),
                        ),
                        (
                            "error_caching_min_ttl",
                            attributes::number(
                                response.error_caching_min_ttl().map(|ttl| ttl as f64),
                            ),
                        ),
                    ])
                }),
        ),
    );
    attributes.insert(
        "logging_config".into(),
        attributes::block_value(config.logging().filter(|logging| logging.enabled()).map(
            |logging| {
                attributes::map([
                    ("bucket", Value::string(logging.bucket())),
                    ("include_cookies", Value::Bool(logging.include_cookies())),
                    ("prefix", Value::string(logging.prefix())),
                ])
            },
        )),
    );
    attributes.insert(
        "restrictions".into(),
        attributes::block_value(config.restrictions().map(|restrictions| {
            let geo = restrictions.geo_restriction().map(|geo| {
                attributes::map([
                    (
                        "restriction_type",
                        Value::string(geo.restriction_type().as_str()),
                    ),
                    ("locations", attributes::string_list_value(geo.items())),
                ])
            });
            attributes::map([("geo_restriction", attributes::block_value(geo))])
        })),
    );
    attributes.insert(
        "viewer_certificate".into(),
        attributes::block_value(config.viewer_certificate().map(|certificate| {
            attributes::map([
                (
                    "cloudfront_default_certificate",
                    Value::Bool(
                        certificate
                            .cloud_front_default_certificate()
                            .unwrap_or(false),
                    ),
                ),
                (
                    "acm_certificate_arn",
                    text(certificate.acm_certificate_arn()),
                ),
                ("iam_certificate_id", text(certificate.iam_certificate_id())),
                (
                    "minimum_protocol_version",
                    certificate
                        .minimum_protocol_version()
                        .map_or(Value::Null, |version| Value::string(version.as_str())),
                ),
                (
                    "ssl_support_method",
                    certificate
                        .ssl_support_method()
                        .map_or(Value::Null, |method| Value::string(method.as_str())),
                ),
            ])
        })),
    );
    attributes
}

#[cfg(test)]
mod tests {
    use super::*;

    const EDGE_ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:auth:3";
    const FUNCTION_ARN: &str = "arn:aws:cloudfront::123456789012:function/rewrite";

    fn behavior(associations: bool) -> Attributes {
        let mut behavior = attributes::map([
            (
                "allowed_methods",
                attributes::string_list_value(["GET", "HEAD"]),
            ),
            (
                "cached_methods",
                attributes::string_list_value(["GET", "HEAD"]),
            ),
            ("target_origin_id", Value::string("web")),
            ("viewer_protocol_policy", Value::string("https-only")),
            (
                "cache_policy_id",
                Value::string("658327ea-f89d-4fab-a63d-7e88639e58f6"),
            ),
        ]);
        if associations {
            behavior.insert(
                "lambda_function_association".into(),
                attributes::block_value([attributes::map([
                    ("event_type", Value::string("viewer-request")),
                    ("lambda_arn", Value::string(EDGE_ARN)),
                    ("include_body", Value::Bool(false)),
                ])]),
            );
            behavior.insert(
                "function_association".into(),
                attributes::block_value([attributes::map([
                    ("event_type", Value::string("viewer-response")),
                    ("function_arn", Value::string(FUNCTION_ARN)),
                ])]),
            );
        }
        behavior
    }

    fn desired(associations: bool) -> Attributes {
        attributes::map([
            ("enabled", Value::Bool(true)),
            (
                "origin",
                attributes::block_value([attributes::map([
                    ("origin_id", Value::string("web")),
                    (
                        "domain_name",
                        Value::string("web.s3.us-east-1.amazonaws.com"),
                    ),
                ])]),
            ),
            (
                "default_cache_behavior",
                attributes::block_value([behavior(associations)]),
            ),
        ])
    }

    #[test]
    fn edge_and_function_associations_reach_the_request() {
        let config = distribution_config(&desired(true), "token-1").expect("valid");
        let behavior = config.default_cache_behavior().expect("default behaviour");
        let lambdas = behavior.lambda_function_associations().expect("sent");
        assert_eq!(lambdas.quantity(), 1);
        let lambda = &lambdas.items()[0];
        assert_eq!(lambda.event_type(), &EventType::ViewerRequest);
        assert_eq!(lambda.lambda_function_arn(), EDGE_ARN);
        let functions = behavior.function_associations().expect("sent");
        assert_eq!(functions.quantity(), 1);
        assert_eq!(functions.items()[0].function_arn(), FUNCTION_ARN);
        assert_eq!(
            functions.items()[0].event_type(),
            &EventType::ViewerResponse
        );
    }

    #[test]
    fn no_associations_send_quantity_zero() {
        let config = distribution_config(&desired(false), "token-1").expect("valid");
        let behavior = config.default_cache_behavior().expect("default behaviour");
        assert_eq!(
            behavior
                .lambda_function_associations()
                .map(|a| a.quantity()),
            Some(0)
        );
        assert_eq!(
            behavior.function_associations().map(|a| a.quantity()),
            Some(0)
        );
    }

    #[test]
    fn associations_read_back_from_an_answer_that_has_them() {
        let config = distribution_config(&desired(true), "token-1").expect("valid");
        let read = config_attributes(&config, &Attributes::new());
        let behavior = attributes::block(&read, "default_cache_behavior").expect("read back");
        let lambda = attributes::blocks(behavior, "lambda_function_association");
        assert_eq!(lambda.len(), 1);
        assert_eq!(lambda[0]["lambda_arn"], Value::string(EDGE_ARN));
        assert_eq!(lambda[0]["event_type"], Value::string("viewer-request"));
        let function = attributes::blocks(behavior, "function_association");
        assert_eq!(function[0]["function_arn"], Value::string(FUNCTION_ARN));
    }

    #[test]
    fn an_answer_without_associations_keeps_the_prior_ones() {
        // moto answers Quantity 0 whatever was sent.
        let answered = distribution_config(&desired(false), "token-1").expect("valid");
        let read = config_attributes(&answered, &desired(true));
        let behavior = attributes::block(&read, "default_cache_behavior").expect("read back");
        assert_eq!(
            attributes::blocks(behavior, "lambda_function_association")[0]["lambda_arn"],
            Value::string(EDGE_ARN)
        );
        // Without prior associations nothing is invented.
        let read = config_attributes(&answered, &desired(false));
        let behavior = attributes::block(&read, "default_cache_behavior").expect("read back");
        assert!(attributes::blocks(behavior, "lambda_function_association").is_empty());
    }
}
