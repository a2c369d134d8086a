//! Argument coverage against Terraform's AWS provider: the arguments Terraform's schema gives a
//! supported type that provision does not accept yet (each with the reason), the deprecated
//! arguments provision accepts with a warning naming the replacement, and Terraform's alias
//! type names. The engine rejects a not-yet-supported argument with its own diagnostic (not
//! "unknown attribute"); the test below checks every registered type against
//! `resources/terraform/aws-provider-arguments.json` (made by `scripts/terraform-schema-subset`
//! from the provider schema), so an argument is either implemented or listed here.

/// One Terraform argument provision does not accept yet.
#[derive(Debug, Clone, Copy)]
pub struct UnsupportedArgument {
    pub type_name: &'static str,
    pub argument: &'static str,
    pub reason: &'static str,
}

/// Terraform's alias type names and the type each stands for.
pub const ALIASES: &[(&str, &str)] = &[
    ("aws_alb", "aws_lb"),
    ("aws_alb_listener", "aws_lb_listener"),
    ("aws_alb_target_group", "aws_lb_target_group"),
];

/// The type `type_name` stands for (itself unless it is an alias).
pub fn canonical_type(type_name: &str) -> &str {
    ALIASES
        .iter()
        .find(|(alias, _)| *alias == type_name)
        .map_or(type_name, |(_, target)| target)
}

/// Why `argument` of `type_name` is not supported yet, when Terraform has it and provision
/// does not.
pub fn not_yet_supported(type_name: &str, argument: &str) -> Option<&'static str> {
    let type_name = canonical_type(type_name);
    NOT_YET_SUPPORTED
        .iter()
        .find(|entry| entry.type_name == type_name && entry.argument == argument)
        .map(|entry| entry.reason)
}

/// Every not-yet-supported argument of `type_name`.
pub fn not_yet_supported_of(type_name: &str) -> impl Iterator<Item = &'static UnsupportedArgument> {
    let type_name = canonical_type(type_name).to_string();
    NOT_YET_SUPPORTED
        .iter()
        .filter(move |entry| entry.type_name == type_name)
}

/// The types whose Terraform schema has a `timeouts {}` block, with its keys. provision accepts
/// the block on them and honours it: each operation (its readiness wait included) is limited
/// to the duration given, which also replaces the provider's own wait limit.
pub const TIMEOUTS: &[(&str, &[&str])] = &[
    ("aws_apigatewayv2_authorizer", &["delete"]),
    ("aws_ecr_repository", &["delete"]),
    ("aws_ecs_service", &["create", "delete", "update"]),
    ("aws_efs_mount_target", &["create", "delete"]),
    ("aws_eip", &["delete", "read", "update"]),
    ("aws_internet_gateway", &["create", "delete", "update"]),
    ("aws_lambda_function", &["create", "delete", "update"]),
    ("aws_lambda_function_url", &["create"]),
    ("aws_lb", &["create", "delete", "update"]),
    ("aws_lb_listener", &["create", "update"]),
    ("aws_nat_gateway", &["create", "delete", "update"]),
    ("aws_rds_cluster", &["create", "delete", "update"]),
    ("aws_rds_cluster_instance", &["create", "delete", "update"]),
    ("aws_route", &["create", "delete", "update"]),
    ("aws_route_table", &["create", "delete", "update"]),
    (
        "aws_route_table_association",
        &["create", "delete", "update"],
    ),
    ("aws_s3_bucket", &["create", "delete", "read", "update"]),
    (
        "aws_s3_bucket_lifecycle_configuration",
        &["create", "update"],
    ),
    ("aws_security_group", &["create", "delete"]),
    ("aws_security_group_rule", &["create"]),
    ("aws_sqs_queue", &["create", "delete", "update"]),
    ("aws_subnet", &["create", "delete"]),
];

/// The `timeouts {}` keys of `type_name`, when Terraform gives it the block.
pub fn timeouts_of(type_name: &str) -> Option<&'static [&'static str]> {
    let type_name = canonical_type(type_name);
    TIMEOUTS
        .iter()
        .find(|(name, _)| *name == type_name)
        .map(|(_, keys)| *keys)
}

/// Deprecated Terraform arguments provision accepts (and honours) with a warning naming the
/// replacement: `(type, argument, replacement)`.
pub const DEPRECATED: &[(&str, &str, &str)] = &[
    ("aws_eip", "vpc", "`domain = \"vpc\"` (the default)"),
    (
        "aws_s3_bucket",
        "acl",
        "`aws_s3_bucket_ownership_controls` (new buckets refuse ACLs) or `aws_s3_bucket_acl`",
    ),
    (
        "aws_s3_bucket",
        "versioning",
        "the `aws_s3_bucket_versioning` resource",
    ),
    (
        "aws_s3_bucket",
        "logging",
        "the `aws_s3_bucket_logging` resource",
    ),
    (
        "aws_s3_bucket",
        "server_side_encryption_configuration",
        "the `aws_s3_bucket_server_side_encryption_configuration` resource",
    ),
    (
        "aws_s3_bucket",
        "lifecycle_rule",
        "the `aws_s3_bucket_lifecycle_configuration` resource",
    ),
];

/// The replacement of a deprecated argument provision accepts.
pub fn deprecated_replacement(type_name: &str, argument: &str) -> Option<&'static str> {
    let type_name = canonical_type(type_name);
    DEPRECATED
        .iter()
        .find(|(kind, name, _)| *kind == type_name && *name == argument)
        .map(|(_, _, replacement)| *replacement)
}

/// Unknown resource types that are Terraform names with a supported replacement (or a type
/// provision spells differently): `(type, hint)`.
pub const REPLACEMENT_TYPES: &[(&str, &str)] = &[
    (
        "aws_alb_listener_rule",
        "Terraform's alias of `aws_lb_listener_rule`, which provision does not support yet",
    ),
    (
        "aws_alb_target_group_attachment",
        "Terraform's alias of `aws_lb_target_group_attachment`, which provision does not support yet",
    ),
    (
        "aws_elb",
        "the classic load balancer is not supported; use `aws_lb` (an application or network load balancer)",
    ),
    (
        "aws_s3_bucket_object",
        "deprecated in Terraform for `aws_s3_object`",
    ),
    (
        "aws_db_instance",
        "provision supports Aurora: `aws_rds_cluster` with `aws_rds_cluster_instance`",
    ),
    (
        "aws_cloudwatch_event_rule",
        "not supported yet; scheduled Lambda triggers are not in this build",
    ),
];

/// The hint for an unknown type Terraform knows under another supported name.
pub fn replacement_hint(type_name: &str) -> Option<&'static str> {
    REPLACEMENT_TYPES
        .iter()
        .find(|(name, _)| *name == type_name)
        .map(|(_, hint)| *hint)
}

/// Terraform arguments of supported types that provision does not accept yet, with the reason.
/// Kept in step with the provider schema by the test below; listed in the README.
pub const NOT_YET_SUPPORTED: &[UnsupportedArgument] = &[
    UnsupportedArgument { type_name: "aws_apigatewayv2_api", argument: "body", reason: "OpenAPI import of a whole API is not implemented yet; declare routes and integrations as resources" },
    UnsupportedArgument { type_name: "aws_apigatewayv2_api", argument: "fail_on_warnings", reason: "only meaningful with `body` (OpenAPI import), which is not implemented yet" },
    UnsupportedArgument { type_name: "aws_apigatewayv2_api", argument: "ip_address_type", reason: "dual-stack APIs are not implemented yet (AWS keeps `ipv4`)" },
    UnsupportedArgument { type_name: "aws_apigatewayv2_integration", argument: "response_parameters", reason: "HTTP API response parameter mapping is not implemented yet" },
    UnsupportedArgument { type_name: "aws_apigatewayv2_integration", argument: "tls_config", reason: "private integrations over TLS are not implemented yet" },
    UnsupportedArgument { type_name: "aws_apigatewayv2_route", argument: "request_parameter", reason: "WebSocket route request parameters are not implemented yet" },
    UnsupportedArgument { type_name: "aws_appautoscaling_target", argument: "suspended_state", reason: "this nested block is not implemented yet" },
    UnsupportedArgument { type_name: "aws_cloudfront_distribution", argument: "continuous_deployment_policy_id", reason: "continuous deployment is not implemented yet" },
    UnsupportedArgument { type_name: "aws_cloudfront_distribution", argument: "origin_group", reason: "origin failover groups are not implemented yet" },
    UnsupportedArgument { type_name: "aws_cloudfront_distribution", argument: "staging", reason: "continuous deployment is not implemented yet" },
    UnsupportedArgument { type_name: "aws_cloudwatch_log_group", argument: "name_prefix", reason: "generated names are not supported for this type yet; set `name`" },
    UnsupportedArgument { type_name: "aws_cloudwatch_metric_alarm", argument: "evaluate_low_sample_count_percentiles", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_cloudwatch_metric_alarm", argument: "metric_query", reason: "metric math alarms are not implemented yet" },
    UnsupportedArgument { type_name: "aws_cloudwatch_metric_alarm", argument: "threshold_metric_id", reason: "anomaly-detection alarms are not implemented yet" },
    UnsupportedArgument { type_name: "aws_cognito_user_pool", argument: "device_configuration", reason: "device tracking is not implemented yet" },
    UnsupportedArgument { type_name: "aws_cognito_user_pool", argument: "email_mfa_configuration", reason: "email MFA (Essentials tier) is not implemented yet" },
    UnsupportedArgument { type_name: "aws_cognito_user_pool", argument: "lambda_config", reason: "Lambda triggers are not implemented yet" },
    UnsupportedArgument { type_name: "aws_cognito_user_pool", argument: "sign_in_policy", reason: "choice-based sign-in (Essentials tier) is not implemented yet" },
    UnsupportedArgument { type_name: "aws_cognito_user_pool", argument: "sms_configuration", reason: "SMS delivery through an SNS role is not implemented yet" },
    UnsupportedArgument { type_name: "aws_cognito_user_pool", argument: "user_attribute_update_settings", reason: "attribute verification before update is not implemented yet" },
    UnsupportedArgument { type_name: "aws_cognito_user_pool", argument: "user_pool_add_ons", reason: "advanced security features are not implemented yet" },
    UnsupportedArgument { type_name: "aws_cognito_user_pool", argument: "user_pool_tier", reason: "feature plans are not implemented yet (AWS keeps its default tier)" },
    UnsupportedArgument { type_name: "aws_cognito_user_pool", argument: "web_authn_configuration", reason: "passkeys are not implemented yet" },
    UnsupportedArgument { type_name: "aws_db_subnet_group", argument: "name_prefix", reason: "generated names are not supported for this type yet; set `name`" },
    UnsupportedArgument { type_name: "aws_dynamodb_table", argument: "import_table", reason: "creating a table from an S3 import is not implemented yet" },
    UnsupportedArgument { type_name: "aws_dynamodb_table", argument: "on_demand_throughput", reason: "maximum on-demand throughput is not implemented yet" },
    UnsupportedArgument { type_name: "aws_dynamodb_table", argument: "replica", reason: "global table replicas are not implemented yet" },
    UnsupportedArgument { type_name: "aws_dynamodb_table", argument: "restore_date_time", reason: "point-in-time restore into a new table is not implemented yet" },
    UnsupportedArgument { type_name: "aws_dynamodb_table", argument: "restore_source_name", reason: "point-in-time restore into a new table is not implemented yet" },
    UnsupportedArgument { type_name: "aws_dynamodb_table", argument: "restore_source_table_arn", reason: "point-in-time restore into a new table is not implemented yet" },
    UnsupportedArgument { type_name: "aws_dynamodb_table", argument: "restore_to_latest_time", reason: "point-in-time restore into a new table is not implemented yet" },
    UnsupportedArgument { type_name: "aws_ecs_cluster", argument: "configuration", reason: "this nested block is not implemented yet" },
    UnsupportedArgument { type_name: "aws_ecs_cluster", argument: "service_connect_defaults", reason: "this nested block is not implemented yet" },
    UnsupportedArgument { type_name: "aws_ecs_service", argument: "alarms", reason: "deployment alarms are not implemented yet" },
    UnsupportedArgument { type_name: "aws_ecs_service", argument: "availability_zone_rebalancing", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_ecs_service", argument: "deployment_controller", reason: "this nested block is not implemented yet" },
    UnsupportedArgument { type_name: "aws_ecs_service", argument: "force_delete", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_ecs_service", argument: "force_new_deployment", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_ecs_service", argument: "iam_role", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_ecs_service", argument: "ordered_placement_strategy", reason: "placement strategies (EC2 launch type) are not implemented yet" },
    UnsupportedArgument { type_name: "aws_ecs_service", argument: "placement_constraints", reason: "placement constraints (EC2 launch type) are not implemented yet" },
    UnsupportedArgument { type_name: "aws_ecs_service", argument: "scheduling_strategy", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_ecs_service", argument: "service_connect_configuration", reason: "Service Connect is not implemented yet; use `service_registries`" },
    UnsupportedArgument { type_name: "aws_ecs_service", argument: "triggers", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_ecs_service", argument: "volume_configuration", reason: "this nested block is not implemented yet" },
    UnsupportedArgument { type_name: "aws_ecs_service", argument: "vpc_lattice_configurations", reason: "this nested block is not implemented yet" },
    UnsupportedArgument { type_name: "aws_ecs_task_definition", argument: "enable_fault_injection", reason: "this switch is not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_ecs_task_definition", argument: "ephemeral_storage", reason: "ephemeral storage size is not implemented yet" },
    UnsupportedArgument { type_name: "aws_ecs_task_definition", argument: "inference_accelerator", reason: "Elastic Inference is end-of-life" },
    UnsupportedArgument { type_name: "aws_ecs_task_definition", argument: "ipc_mode", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_ecs_task_definition", argument: "pid_mode", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_ecs_task_definition", argument: "placement_constraints", reason: "placement constraints (EC2 launch type) are not implemented yet" },
    UnsupportedArgument { type_name: "aws_ecs_task_definition", argument: "proxy_configuration", reason: "App Mesh proxies are not implemented yet" },
    UnsupportedArgument { type_name: "aws_ecs_task_definition", argument: "runtime_platform", reason: "runtime platform (CPU architecture / OS) is not implemented yet" },
    UnsupportedArgument { type_name: "aws_ecs_task_definition", argument: "skip_destroy", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_ecs_task_definition", argument: "track_latest", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_efs_file_system", argument: "protection", reason: "this nested block is not implemented yet" },
    UnsupportedArgument { type_name: "aws_eip", argument: "address", reason: "recovering a specific address is not implemented yet" },
    UnsupportedArgument { type_name: "aws_eip", argument: "associate_with_private_ip", reason: "address association is not implemented yet" },
    UnsupportedArgument { type_name: "aws_eip", argument: "customer_owned_ipv4_pool", reason: "Outposts addresses are not implemented yet" },
    UnsupportedArgument { type_name: "aws_eip", argument: "instance", reason: "associating an address with an instance is not implemented yet (use a NAT gateway or a load balancer)" },
    UnsupportedArgument { type_name: "aws_eip", argument: "ipam_pool_id", reason: "IPAM pools are not implemented yet" },
    UnsupportedArgument { type_name: "aws_eip", argument: "network_border_group", reason: "Local Zone addresses are not implemented yet" },
    UnsupportedArgument { type_name: "aws_eip", argument: "network_interface", reason: "associating an address with a network interface is not implemented yet" },
    UnsupportedArgument { type_name: "aws_eip", argument: "public_ipv4_pool", reason: "bring-your-own-IP pools are not implemented yet" },
    UnsupportedArgument { type_name: "aws_iam_role", argument: "inline_policy", reason: "use `aws_iam_role_policy` (inline policies as separate resources)" },
    UnsupportedArgument { type_name: "aws_iam_role", argument: "managed_policy_arns", reason: "use `aws_iam_role_policy_attachment`" },
    UnsupportedArgument { type_name: "aws_iam_role", argument: "permissions_boundary", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lambda_event_source_mapping", argument: "amazon_managed_kafka_event_source_config", reason: "Kafka sources are not implemented yet (SQS, Kinesis and DynamoDB streams are)" },
    UnsupportedArgument { type_name: "aws_lambda_event_source_mapping", argument: "document_db_event_source_config", reason: "DocumentDB change streams are not implemented yet" },
    UnsupportedArgument { type_name: "aws_lambda_event_source_mapping", argument: "kms_key_arn", reason: "filter criteria encryption with a customer key is not implemented yet" },
    UnsupportedArgument { type_name: "aws_lambda_event_source_mapping", argument: "metrics_config", reason: "event source mapping metrics are not implemented yet" },
    UnsupportedArgument { type_name: "aws_lambda_event_source_mapping", argument: "provisioned_poller_config", reason: "provisioned pollers are not implemented yet" },
    UnsupportedArgument { type_name: "aws_lambda_event_source_mapping", argument: "queues", reason: "Amazon MQ sources are not implemented yet" },
    UnsupportedArgument { type_name: "aws_lambda_event_source_mapping", argument: "self_managed_event_source", reason: "self-managed Kafka sources are not implemented yet" },
    UnsupportedArgument { type_name: "aws_lambda_event_source_mapping", argument: "self_managed_kafka_event_source_config", reason: "self-managed Kafka sources are not implemented yet" },
    UnsupportedArgument { type_name: "aws_lambda_event_source_mapping", argument: "source_access_configuration", reason: "Kafka and MQ authentication is not implemented yet" },
    UnsupportedArgument { type_name: "aws_lambda_event_source_mapping", argument: "topics", reason: "Kafka sources are not implemented yet" },
    UnsupportedArgument { type_name: "aws_lambda_function", argument: "code_signing_config_arn", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lambda_function", argument: "dead_letter_config", reason: "dead-letter queues are not implemented yet" },
    UnsupportedArgument { type_name: "aws_lambda_function", argument: "ephemeral_storage", reason: "ephemeral storage size is not implemented yet" },
    UnsupportedArgument { type_name: "aws_lambda_function", argument: "file_system_config", reason: "EFS mounts for Lambda are not implemented yet" },
    UnsupportedArgument { type_name: "aws_lambda_function", argument: "image_config", reason: "container-image functions are not implemented yet" },
    UnsupportedArgument { type_name: "aws_lambda_function", argument: "image_uri", reason: "container-image functions are not implemented yet; use `filename` or `s3_bucket`" },
    UnsupportedArgument { type_name: "aws_lambda_function", argument: "kms_key_arn", reason: "customer-managed keys for this type are not implemented yet" },
    UnsupportedArgument { type_name: "aws_lambda_function", argument: "layers", reason: "Lambda layers are not implemented yet" },
    UnsupportedArgument { type_name: "aws_lambda_function", argument: "logging_config", reason: "access logging settings are not implemented yet" },
    UnsupportedArgument { type_name: "aws_lambda_function", argument: "replace_security_groups_on_destroy", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lambda_function", argument: "replacement_security_group_ids", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lambda_function", argument: "reserved_concurrent_executions", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lambda_function", argument: "skip_destroy", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lambda_function", argument: "snap_start", reason: "SnapStart is not implemented yet" },
    UnsupportedArgument { type_name: "aws_lambda_function", argument: "tracing_config", reason: "X-Ray tracing settings are not implemented yet" },
    UnsupportedArgument { type_name: "aws_lambda_permission", argument: "event_source_token", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lambda_permission", argument: "principal_org_id", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lambda_permission", argument: "statement_id_prefix", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb", argument: "access_logs", reason: "load balancer access logs are not implemented yet" },
    UnsupportedArgument { type_name: "aws_lb", argument: "client_keep_alive", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb", argument: "connection_logs", reason: "connection logs are not implemented yet" },
    UnsupportedArgument { type_name: "aws_lb", argument: "customer_owned_ipv4_pool", reason: "Outposts addresses are not implemented yet" },
    UnsupportedArgument { type_name: "aws_lb", argument: "desync_mitigation_mode", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb", argument: "dns_record_client_routing_policy", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb", argument: "drop_invalid_header_fields", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb", argument: "enable_cross_zone_load_balancing", reason: "this switch is not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb", argument: "enable_http2", reason: "this switch is not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb", argument: "enable_tls_version_and_cipher_suite_headers", reason: "this switch is not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb", argument: "enable_waf_fail_open", reason: "this switch is not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb", argument: "enable_xff_client_port", reason: "this switch is not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb", argument: "enable_zonal_shift", reason: "this switch is not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb", argument: "enforce_security_group_inbound_rules_on_private_link_traffic", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb", argument: "ipam_pools", reason: "this nested block is not implemented yet" },
    UnsupportedArgument { type_name: "aws_lb", argument: "minimum_load_balancer_capacity", reason: "this nested block is not implemented yet" },
    UnsupportedArgument { type_name: "aws_lb", argument: "name_prefix", reason: "generated names are not supported for this type yet; set `name`" },
    UnsupportedArgument { type_name: "aws_lb", argument: "preserve_host_header", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb", argument: "subnet_mapping", reason: "subnet mappings (fixed addresses per subnet) are not implemented yet" },
    UnsupportedArgument { type_name: "aws_lb", argument: "xff_header_processing_mode", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb_listener", argument: "alpn_policy", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb_listener", argument: "mutual_authentication", reason: "this nested block is not implemented yet" },
    UnsupportedArgument { type_name: "aws_lb_listener", argument: "routing_http_request_x_amzn_mtls_clientcert_header_name", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb_listener", argument: "routing_http_request_x_amzn_mtls_clientcert_issuer_header_name", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb_listener", argument: "routing_http_request_x_amzn_mtls_clientcert_leaf_header_name", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb_listener", argument: "routing_http_request_x_amzn_mtls_clientcert_serial_number_header_name", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb_listener", argument: "routing_http_request_x_amzn_mtls_clientcert_subject_header_name", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb_listener", argument: "routing_http_request_x_amzn_mtls_clientcert_validity_header_name", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb_listener", argument: "routing_http_request_x_amzn_tls_cipher_suite_header_name", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb_listener", argument: "routing_http_request_x_amzn_tls_version_header_name", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb_listener", argument: "routing_http_response_access_control_allow_credentials_header_value", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb_listener", argument: "routing_http_response_access_control_allow_headers_header_value", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb_listener", argument: "routing_http_response_access_control_allow_methods_header_value", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb_listener", argument: "routing_http_response_access_control_allow_origin_header_value", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb_listener", argument: "routing_http_response_access_control_expose_headers_header_value", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb_listener", argument: "routing_http_response_access_control_max_age_header_value", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb_listener", argument: "routing_http_response_content_security_policy_header_value", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb_listener", argument: "routing_http_response_server_enabled", reason: "this switch is not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb_listener", argument: "routing_http_response_strict_transport_security_header_value", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb_listener", argument: "routing_http_response_x_content_type_options_header_value", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb_listener", argument: "routing_http_response_x_frame_options_header_value", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb_listener", argument: "tcp_idle_timeout_seconds", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb_target_group", argument: "connection_termination", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb_target_group", argument: "ip_address_type", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb_target_group", argument: "lambda_multi_value_headers_enabled", reason: "this switch is not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb_target_group", argument: "load_balancing_algorithm_type", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb_target_group", argument: "load_balancing_anomaly_mitigation", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb_target_group", argument: "load_balancing_cross_zone_enabled", reason: "this switch is not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb_target_group", argument: "name_prefix", reason: "generated names are not supported for this type yet; set `name`" },
    UnsupportedArgument { type_name: "aws_lb_target_group", argument: "preserve_client_ip", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb_target_group", argument: "proxy_protocol_v2", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb_target_group", argument: "slow_start", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_lb_target_group", argument: "target_failover", reason: "this nested block is not implemented yet" },
    UnsupportedArgument { type_name: "aws_lb_target_group", argument: "target_group_health", reason: "this nested block is not implemented yet" },
    UnsupportedArgument { type_name: "aws_lb_target_group", argument: "target_health_state", reason: "this nested block is not implemented yet" },
    UnsupportedArgument { type_name: "aws_nat_gateway", argument: "private_ip", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_nat_gateway", argument: "secondary_allocation_ids", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_nat_gateway", argument: "secondary_private_ip_address_count", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_nat_gateway", argument: "secondary_private_ip_addresses", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster", argument: "allocated_storage", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster", argument: "backtrack_window", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster", argument: "ca_certificate_identifier", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster", argument: "cluster_identifier_prefix", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster", argument: "cluster_members", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster", argument: "cluster_scalability_type", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster", argument: "database_insights_mode", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster", argument: "db_cluster_instance_class", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster", argument: "db_instance_parameter_group_name", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster", argument: "db_system_id", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster", argument: "delete_automated_backups", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster", argument: "domain", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster", argument: "domain_iam_role_name", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster", argument: "enable_global_write_forwarding", reason: "this switch is not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster", argument: "enable_http_endpoint", reason: "this switch is not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster", argument: "enable_local_write_forwarding", reason: "this switch is not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster", argument: "engine_lifecycle_support", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster", argument: "global_cluster_identifier", reason: "global databases are not implemented yet" },
    UnsupportedArgument { type_name: "aws_rds_cluster", argument: "iam_roles", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster", argument: "iops", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster", argument: "master_password_wo", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster", argument: "master_password_wo_version", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster", argument: "monitoring_interval", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster", argument: "monitoring_role_arn", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster", argument: "network_type", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster", argument: "replication_source_identifier", reason: "read replicas across clusters are not implemented yet" },
    UnsupportedArgument { type_name: "aws_rds_cluster", argument: "restore_to_point_in_time", reason: "restores are not implemented yet" },
    UnsupportedArgument { type_name: "aws_rds_cluster", argument: "s3_import", reason: "imports from S3 are not implemented yet" },
    UnsupportedArgument { type_name: "aws_rds_cluster", argument: "scaling_configuration", reason: "Aurora Serverless v1 is end-of-life; use `serverlessv2_scaling_configuration`" },
    UnsupportedArgument { type_name: "aws_rds_cluster", argument: "snapshot_identifier", reason: "creating from a snapshot is not implemented yet" },
    UnsupportedArgument { type_name: "aws_rds_cluster", argument: "source_region", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster", argument: "storage_type", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster_instance", argument: "ca_cert_identifier", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster_instance", argument: "copy_tags_to_snapshot", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster_instance", argument: "custom_iam_instance_profile", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster_instance", argument: "force_destroy", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster_instance", argument: "identifier_prefix", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster_instance", argument: "performance_insights_kms_key_id", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster_instance", argument: "preferred_backup_window", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster_instance", argument: "preferred_maintenance_window", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_rds_cluster_parameter_group", argument: "name_prefix", reason: "generated names are not supported for this type yet; set `name`" },
    UnsupportedArgument { type_name: "aws_route_table", argument: "propagating_vgws", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_s3_bucket", argument: "acceleration_status", reason: "use `aws_s3_bucket_accelerate_configuration` (not supported yet)" },
    UnsupportedArgument { type_name: "aws_s3_bucket", argument: "bucket_prefix", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_s3_bucket", argument: "cors_rule", reason: "use `aws_s3_bucket_cors_configuration` (not supported yet)" },
    UnsupportedArgument { type_name: "aws_s3_bucket", argument: "grant", reason: "use `aws_s3_bucket_acl` (not supported yet)" },
    UnsupportedArgument { type_name: "aws_s3_bucket", argument: "object_lock_configuration", reason: "object lock is not implemented yet" },
    UnsupportedArgument { type_name: "aws_s3_bucket", argument: "object_lock_enabled", reason: "object lock is not implemented yet" },
    UnsupportedArgument { type_name: "aws_s3_bucket", argument: "policy", reason: "use `aws_s3_bucket_policy`" },
    UnsupportedArgument { type_name: "aws_s3_bucket", argument: "replication_configuration", reason: "use `aws_s3_bucket_replication_configuration` (not supported yet)" },
    UnsupportedArgument { type_name: "aws_s3_bucket", argument: "request_payer", reason: "use `aws_s3_bucket_request_payment_configuration` (not supported yet)" },
    UnsupportedArgument { type_name: "aws_s3_bucket", argument: "website", reason: "use `aws_s3_bucket_website_configuration` (not supported yet)" },
    UnsupportedArgument { type_name: "aws_s3_bucket_lifecycle_configuration", argument: "expected_bucket_owner", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_s3_bucket_lifecycle_configuration", argument: "transition_default_minimum_object_size", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_s3_bucket_server_side_encryption_configuration", argument: "expected_bucket_owner", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_s3_bucket_versioning", argument: "expected_bucket_owner", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_s3_bucket_versioning", argument: "mfa", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_secretsmanager_secret", argument: "force_overwrite_replica_secret", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_secretsmanager_secret", argument: "replica", reason: "secret replication to other regions is not implemented yet" },
    UnsupportedArgument { type_name: "aws_secretsmanager_secret_version", argument: "secret_binary", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_secretsmanager_secret_version", argument: "secret_string_wo", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_secretsmanager_secret_version", argument: "secret_string_wo_version", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_service_discovery_service", argument: "force_destroy", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_service_discovery_service", argument: "health_check_config", reason: "this nested block is not implemented yet" },
    UnsupportedArgument { type_name: "aws_service_discovery_service", argument: "type", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_sns_topic", argument: "application_failure_feedback_role_arn", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_sns_topic", argument: "application_success_feedback_role_arn", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_sns_topic", argument: "application_success_feedback_sample_rate", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_sns_topic", argument: "archive_policy", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_sns_topic", argument: "content_based_deduplication", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_sns_topic", argument: "delivery_policy", reason: "delivery policies are not implemented yet" },
    UnsupportedArgument { type_name: "aws_sns_topic", argument: "fifo_throughput_scope", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_sns_topic", argument: "firehose_failure_feedback_role_arn", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_sns_topic", argument: "firehose_success_feedback_role_arn", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_sns_topic", argument: "firehose_success_feedback_sample_rate", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_sns_topic", argument: "http_failure_feedback_role_arn", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_sns_topic", argument: "http_success_feedback_role_arn", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_sns_topic", argument: "http_success_feedback_sample_rate", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_sns_topic", argument: "lambda_failure_feedback_role_arn", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_sns_topic", argument: "lambda_success_feedback_role_arn", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_sns_topic", argument: "lambda_success_feedback_sample_rate", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_sns_topic", argument: "name_prefix", reason: "generated names are not supported for this type yet; set `name`" },
    UnsupportedArgument { type_name: "aws_sns_topic", argument: "signature_version", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_sns_topic", argument: "sqs_failure_feedback_role_arn", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_sns_topic", argument: "sqs_success_feedback_role_arn", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_sns_topic", argument: "sqs_success_feedback_sample_rate", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_sns_topic", argument: "tracing_config", reason: "X-Ray tracing settings are not implemented yet" },
    UnsupportedArgument { type_name: "aws_sns_topic_subscription", argument: "confirmation_timeout_in_minutes", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_sns_topic_subscription", argument: "delivery_policy", reason: "delivery policies are not implemented yet" },
    UnsupportedArgument { type_name: "aws_sns_topic_subscription", argument: "filter_policy_scope", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_sns_topic_subscription", argument: "redrive_policy", reason: "subscription dead-letter queues are not implemented yet" },
    UnsupportedArgument { type_name: "aws_sns_topic_subscription", argument: "replay_policy", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_sns_topic_subscription", argument: "subscription_role_arn", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_subnet", argument: "assign_ipv6_address_on_creation", reason: "IPv6 is not implemented yet" },
    UnsupportedArgument { type_name: "aws_subnet", argument: "availability_zone_id", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_subnet", argument: "customer_owned_ipv4_pool", reason: "Outposts addresses are not implemented yet" },
    UnsupportedArgument { type_name: "aws_subnet", argument: "enable_dns64", reason: "this switch is not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_subnet", argument: "enable_lni_at_device_index", reason: "this switch is not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_subnet", argument: "enable_resource_name_dns_a_record_on_launch", reason: "this switch is not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_subnet", argument: "enable_resource_name_dns_aaaa_record_on_launch", reason: "this switch is not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_subnet", argument: "ipv6_cidr_block", reason: "IPv6 address blocks are not implemented yet" },
    UnsupportedArgument { type_name: "aws_subnet", argument: "ipv6_native", reason: "IPv6 is not implemented yet" },
    UnsupportedArgument { type_name: "aws_subnet", argument: "map_customer_owned_ip_on_launch", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_subnet", argument: "outpost_arn", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_subnet", argument: "private_dns_hostname_type_on_launch", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_vpc", argument: "assign_generated_ipv6_cidr_block", reason: "IPv6 is not implemented yet" },
    UnsupportedArgument { type_name: "aws_vpc", argument: "enable_network_address_usage_metrics", reason: "this switch is not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_vpc", argument: "ipv4_ipam_pool_id", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_vpc", argument: "ipv4_netmask_length", reason: "not sent to AWS by provision yet (AWS keeps its default)" },
    UnsupportedArgument { type_name: "aws_vpc", argument: "ipv6_cidr_block", reason: "IPv6 address blocks are not implemented yet" },
    UnsupportedArgument { type_name: "aws_vpc", argument: "ipv6_cidr_block_network_border_group", reason: "IPv6 is not implemented yet" },
    UnsupportedArgument { type_name: "aws_vpc", argument: "ipv6_ipam_pool_id", reason: "IPv6 is not implemented yet" },
    UnsupportedArgument { type_name: "aws_vpc", argument: "ipv6_netmask_length", reason: "IPv6 is not implemented yet" },
];

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::Registry;

    fn terraform_arguments() -> BTreeMap<String, BTreeSet<String>> {
        let text = include_str!("../terraform/aws-provider-arguments.json");
        let json: serde_json::Value = serde_json::from_str(text).expect("arguments JSON");
        json["resource_types"]
            .as_object()
            .expect("resource_types")
            .iter()
            .map(|(name, arguments)| {
                (
                    name.clone(),
                    arguments
                        .as_object()
                        .expect("arguments")
                        .keys()
                        .cloned()
                        .collect(),
                )
            })
            .collect()
    }

    fn ours(registry: &Registry, type_name: &str) -> BTreeSet<String> {
        let schema = registry.get(type_name).expect("registered").schema();
        schema
            .attributes
            .iter()
            // `tags_all` is optional in Terraform's schema only so providers can compute it;
            // provision computes it too.
            .filter(|attribute| attribute.settable() || attribute.name == "tags_all")
            .map(|attribute| attribute.name.to_string())
            .chain(schema.blocks.iter().map(|block| block.name.to_string()))
            .chain(timeouts_of(type_name).map(|_| "timeouts".to_string()))
            .collect()
    }

    #[test]
    fn every_terraform_argument_is_implemented_or_listed() {
        let registry = crate::registry();
        let terraform = terraform_arguments();
        let mut missing = Vec::new();
        let mut total = 0;
        let mut covered = 0;
        for type_name in registry
            .type_names()
            .filter(|name| name.starts_with("aws_"))
        {
            let Some(arguments) = terraform.get(type_name) else {
                panic!("{type_name} is not in aws-provider-arguments.json: run scripts/terraform-schema-subset");
            };
            let ours = ours(&registry, type_name);
            for argument in arguments {
                total += 1;
                if ours.contains(argument) {
                    covered += 1;
                } else if not_yet_supported(type_name, argument).is_none() {
                    missing.push(format!("{type_name}.{argument}"));
                }
            }
        }
        println!("coverage: {covered} of {total} Terraform arguments of the supported AWS types");
        assert!(
            missing.is_empty(),
            "Terraform arguments neither implemented nor listed in NOT_YET_SUPPORTED:\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn listed_arguments_are_terraforms_and_not_implemented() {
        let registry = crate::registry();
        let terraform = terraform_arguments();
        for entry in NOT_YET_SUPPORTED {
            let arguments = terraform
                .get(entry.type_name)
                .unwrap_or_else(|| panic!("{} is not a supported type", entry.type_name));
            assert!(
                arguments.contains(entry.argument),
                "{}.{} is not a Terraform argument",
                entry.type_name,
                entry.argument
            );
            assert!(
                !ours(&registry, entry.type_name).contains(entry.argument),
                "{}.{} is implemented: remove it from NOT_YET_SUPPORTED",
                entry.type_name,
                entry.argument
            );
            assert!(!entry.reason.is_empty());
        }
        for (alias, target) in ALIASES {
            assert_eq!(
                registry.get(alias).map(|resource| resource.type_name()),
                Some(*alias)
            );
            assert!(registry.get(target).is_some(), "{target}");
        }
    }

    /// The README's "Not yet supported" list, one line per type.
    fn rendered_not_yet_supported() -> String {
        let mut by_type: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for entry in NOT_YET_SUPPORTED {
            by_type
                .entry(entry.type_name)
                .or_default()
                .push(entry.argument);
        }
        by_type
            .iter()
            .map(|(type_name, arguments)| {
                let arguments: Vec<String> =
                    arguments.iter().map(|name| format!("`{name}`")).collect();
                format!("- `{type_name}`: {}\n", arguments.join(", "))
            })
            .collect()
    }

    #[test]
    fn the_readme_lists_every_argument_not_yet_supported() {
        const START: &str = "<!-- not-yet-supported:start -->\n";
        const END: &str = "<!-- not-yet-supported:end -->";
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
        let readme = std::fs::read_to_string(&path).expect("README.md");
        let start = readme
            .find(START)
            .expect("the README's not-yet-supported start marker")
            + START.len();
        let end = readme
            .find(END)
            .expect("the README's not-yet-supported end marker");
        let expected = rendered_not_yet_supported();
        if readme[start..end] != expected && std::env::var_os("PROVISION_UPDATE_README").is_some() {
            let updated = format!("{}{expected}{}", &readme[..start], &readme[end..]);
            std::fs::write(&path, updated).expect("write README.md");
            return;
        }
        assert!(
            readme[start..end] == expected,
            "README.md's not-yet-supported list differs from NOT_YET_SUPPORTED: run \
             `PROVISION_UPDATE_README=1 cargo test --workspace --lib the_readme_lists`"
        );
    }
}
