//! One contract test per registered resource type (`harness.rs` says what the contract is),
//! from one table: type name → fixture. `every_registered_type_has_a_contract_test` fails when
//! a type is registered without a line here, so `scripts/new-resource` adds one.
//!
//! Registry-wide invariants, checked without the emulator: `id` is computed; a settable `tags`
//! comes with a computed `tags_all`.

mod apigatewayv2;
mod appautoscaling;
mod appsync;
mod cloudfront;
mod cloudwatch;
mod cognitoidentity;
mod cognitoidp;
mod dynamodb;
mod ec2;
mod ecr;
mod ecs;
mod efs;
mod elbv2;
mod harness;
mod iam;
mod lambda;
mod listing;
mod logs;
mod random;
mod rds;
mod replay;
mod s3;
mod secretsmanager;
mod servicediscovery;
mod sns;
mod sqs;

/// `type_name => fixture` for every registered type: one `#[tokio::test]` each, and the list
/// the coverage test compares with the registry.
macro_rules! contract_tests {
    ($($type_name:ident => $fixture:path,)*) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $type_name() {
                harness::check($fixture(), stringify!($type_name)).await;
            }
        )*
        const COVERED: &[&str] = &[$(stringify!($type_name)),*];
    };
}

/// `type_name => test` for types whose contract needs more than the emulator (a gap named in
/// the test's module): the test runs the same contract its own way.
macro_rules! custom_contract_tests {
    ($($type_name:ident => $test:path,)*) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $type_name() {
                $test().await;
            }
        )*
        const CUSTOM: &[&str] = &[$(stringify!($type_name)),*];
    };
}

contract_tests! {
    aws_vpc => ec2::vpc,
    aws_subnet => ec2::subnet,
    aws_internet_gateway => ec2::internet_gateway,
    aws_eip => ec2::eip,
    aws_nat_gateway => ec2::nat_gateway,
    aws_route_table => ec2::route_table,
    aws_route => ec2::route,
    aws_route_table_association => ec2::route_table_association,
    aws_security_group => ec2::security_group,
    aws_vpc_security_group_ingress_rule => ec2::vpc_security_group_ingress_rule,
    aws_vpc_security_group_egress_rule => ec2::vpc_security_group_egress_rule,
    aws_cloudwatch_log_group => logs::cloudwatch_log_group,
    aws_iam_role => iam::iam_role,
    aws_iam_role_policy => iam::iam_role_policy,
    aws_iam_policy => iam::iam_policy,
    aws_iam_role_policy_attachment => iam::iam_role_policy_attachment,
    aws_ecr_repository => ecr::ecr_repository,
    aws_ecr_lifecycle_policy => ecr::ecr_lifecycle_policy,
    aws_secretsmanager_secret => secretsmanager::secretsmanager_secret,
    aws_secretsmanager_secret_version => secretsmanager::secretsmanager_secret_version,
    random_password => random::random_password,
    aws_efs_file_system => efs::efs_file_system,
    aws_efs_mount_target => efs::efs_mount_target,
    aws_efs_access_point => efs::efs_access_point,
    aws_service_discovery_private_dns_namespace => servicediscovery::service_discovery_private_dns_namespace,
    aws_service_discovery_service => servicediscovery::service_discovery_service,
    aws_ecs_cluster => ecs::ecs_cluster,
    aws_ecs_cluster_capacity_providers => ecs::ecs_cluster_capacity_providers,
    aws_ecs_task_definition => ecs::ecs_task_definition,
    aws_ecs_service => ecs::ecs_service,
    aws_lb => elbv2::lb,
    aws_lb_target_group => elbv2::lb_target_group,
    aws_lb_listener => elbv2::lb_listener,
    aws_appautoscaling_target => appautoscaling::appautoscaling_target,
    aws_appautoscaling_policy => appautoscaling::appautoscaling_policy,
    aws_s3_bucket => s3::s3_bucket,
    aws_s3_bucket_versioning => s3::s3_bucket_versioning,
    aws_s3_bucket_server_side_encryption_configuration => s3::s3_bucket_server_side_encryption_configuration,
    aws_s3_bucket_public_access_block => s3::s3_bucket_public_access_block,
    aws_s3_bucket_lifecycle_configuration => s3::s3_bucket_lifecycle_configuration,
    aws_s3_bucket_ownership_controls => s3::s3_bucket_ownership_controls,
    aws_s3_bucket_policy => s3::s3_bucket_policy,
    aws_cloudfront_origin_access_control => cloudfront::cloudfront_origin_access_control,
    aws_cloudfront_distribution => cloudfront::cloudfront_distribution,
    aws_db_subnet_group => rds::db_subnet_group,
    aws_rds_cluster_parameter_group => rds::rds_cluster_parameter_group,
    aws_rds_cluster => rds::rds_cluster,
    aws_rds_cluster_instance => rds::rds_cluster_instance,
    aws_lambda_function => lambda::lambda_function,
    aws_lambda_function_url => lambda::lambda_function_url,
    aws_lambda_permission => lambda::lambda_permission,
    aws_sns_topic => sns::sns_topic,
    aws_sns_topic_subscription => sns::sns_topic_subscription,
    aws_dynamodb_table => dynamodb::dynamodb_table,
    aws_sqs_queue => sqs::sqs_queue,
    aws_sqs_queue_policy => sqs::sqs_queue_policy,
    aws_apigatewayv2_api => apigatewayv2::apigatewayv2_api,
    aws_apigatewayv2_route => apigatewayv2::apigatewayv2_route,
    aws_apigatewayv2_integration => apigatewayv2::apigatewayv2_integration,
    aws_s3_bucket_notification => s3::s3_bucket_notification,
    aws_cognito_user_pool => cognitoidp::cognito_user_pool,
    aws_cognito_user_pool_client => cognitoidp::cognito_user_pool_client,
    aws_cognito_user_pool_domain => cognitoidp::cognito_user_pool_domain,
    aws_appsync_graphql_api => appsync::appsync_graphql_api,
    aws_appsync_api_key => appsync::appsync_api_key,
    aws_lambda_event_source_mapping => lambda::lambda_event_source_mapping,
    aws_lambda_alias => lambda::lambda_alias,
    aws_cognito_identity_pool => cognitoidentity::cognito_identity_pool,
    aws_iam_user => iam::iam_user,
    aws_iam_user_policy => iam::iam_user_policy,
    aws_iam_user_policy_attachment => iam::iam_user_policy_attachment,
    aws_iam_instance_profile => iam::iam_instance_profile,
    aws_security_group_rule => ec2::security_group_rule,
    aws_alb => elbv2::alb,
    aws_alb_target_group => elbv2::alb_target_group,
    aws_alb_listener => elbv2::alb_listener,
    random_string => random::random_string,
    random_pet => random::random_pet,
    random_id => random::random_id,
    random_integer => random::random_integer,
    random_uuid => random::random_uuid,
    random_shuffle => random::random_shuffle,
    // new-resource: contract tests above this line
}

custom_contract_tests! {
    aws_cloudwatch_metric_alarm => cloudwatch::contract,
    aws_apigatewayv2_stage => apigatewayv2::stage_contract,
    aws_apigatewayv2_deployment => apigatewayv2::deployment_contract,
    aws_apigatewayv2_authorizer => apigatewayv2::authorizer_contract,
    aws_appsync_datasource => appsync::datasource_contract,
    aws_appsync_resolver => appsync::resolver_contract,
    aws_cognito_identity_pool_roles_attachment => cognitoidentity::roles_attachment_contract,
}

/// `aws_s3_bucket` a second time, with every deprecated inline setting written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aws_s3_bucket_with_inline_settings() {
    s3::inline_settings_contract().await;
}

#[test]
fn every_registered_type_has_a_contract_test() {
    let registry = provision_resources::registry();
    let missing: Vec<&str> = registry
        .type_names()
        .filter(|type_name| !COVERED.contains(type_name) && !CUSTOM.contains(type_name))
        .collect();
    assert!(
        missing.is_empty(),
        "registered types without a contract test in resources/tests/contract/main.rs: {missing:?}"
    );
    for type_name in COVERED.iter().chain(CUSTOM) {
        assert!(
            registry.get(type_name).is_some(),
            "`{type_name}` has a contract test but is not registered"
        );
    }
}

#[test]
fn id_is_computed_in_every_schema() {
    let registry = provision_resources::registry();
    for type_name in registry.type_names() {
        let schema = registry.get(type_name).unwrap().schema();
        let id = schema
            .attribute("id")
            .unwrap_or_else(|| panic!("{type_name} has no `id`"));
        assert!(id.computed, "{type_name}: `id` is not computed");
        assert!(!id.required, "{type_name}: `id` is required");
    }
}

#[test]
fn tags_come_with_tags_all() {
    let registry = provision_resources::registry();
    for type_name in registry.type_names() {
        let schema = registry.get(type_name).unwrap().schema();
        let Some(tags) = schema.attribute("tags") else {
            assert!(
                schema.attribute("tags_all").is_none(),
                "{type_name}: `tags_all` without `tags`"
            );
            continue;
        };
        assert!(tags.settable(), "{type_name}: `tags` is not settable");
        let tags_all = schema
            .attribute("tags_all")
            .unwrap_or_else(|| panic!("{type_name}: `tags` without `tags_all`"));
        assert!(
            tags_all.computed && !tags_all.settable(),
            "{type_name}: `tags_all` is not computed-only"
        );
    }
}
