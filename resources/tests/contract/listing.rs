//! Drift's listing of untracked resources (`list_managed`, through the Resource Groups Tagging
//! API's GetResources) for the taggable types whose resources moto 5.2.1's GetResources does not
//! return, or returns with a malformed ARN (CloudFront: no empty region field), (IAM, ECR,
//! Cloud Map, ELBv2 listeners, RDS subnet and cluster parameter groups,
//! security group rules, CloudWatch alarms, Application Auto Scaling targets, Lambda event source
//! mappings). For these the
//! listing is checked against recorded GetResources answers through a replay connector
//! (`replay.rs`): the type's own ARN becomes its id, and a tagged resource of another
//! kind of the same service, or one whose `provision:address` names another type, is left out.
//! The other taggable types are listed against moto in each contract test (`harness.rs`).

use std::sync::Arc;

use aws_sdk_applicationautoscaling::types::ServiceNamespace;
use provision_resources::aws::AwsClients;
use serde_json::json;

use crate::replay::{Recorded, Replay};

/// Taggable types whose resources moto's GetResources does not return.
pub const MOTO_UNLISTED: &[&str] = &[
    "aws_apigatewayv2_api",
    "aws_apigatewayv2_stage",
    "aws_appautoscaling_target",
    "aws_cloudfront_distribution",
    "aws_cloudwatch_metric_alarm",
    "aws_cognito_identity_pool",
    "aws_cognito_user_pool",
    "aws_db_subnet_group",
    "aws_ecr_repository",
    "aws_iam_instance_profile",
    "aws_iam_policy",
    "aws_iam_role",
    "aws_iam_user",
    "aws_lambda_event_source_mapping",
    "aws_lb_listener",
    "aws_rds_cluster_parameter_group",
    "aws_service_discovery_private_dns_namespace",
    "aws_service_discovery_service",
    "aws_vpc_security_group_egress_rule",
    "aws_vpc_security_group_ingress_rule",
];

const STACK: &str = "contract/listing";

/// A JSON-protocol answer (GetResources, DescribeScalableTargets) as AWS sends it.
fn answer(target: &str, body: serde_json::Value) -> Recorded {
    Recorded {
        operation: target.to_string(),
        status: 200,
        headers: vec![
            ("content-type", "application/x-amz-json-1.1".to_string()),
            (
                "x-amzn-requestid",
                "1b2c3d4e-0000-4000-8000-000000000002".to_string(),
            ),
        ],
        body: body.to_string().into_bytes(),
    }
}

fn mapping(arn: &str, address: &str) -> serde_json::Value {
    json!({"ResourceARN": arn, "Tags": [
        {"Key": "provision:stack", "Value": STACK},
        {"Key": "provision:address", "Value": address},
        {"Key": "Name", "Value": "recorded"}]})
}

/// `type_name`'s `list_managed` against one recorded GetResources page holding `arn` (the
/// resource, expected as `id`), `decoy` (the same service's other kind, or another type's
/// address) and the calls after it, if any.
async fn check(
    type_name: &str,
    arn: &str,
    id: &str,
    decoy: serde_json::Value,
    after: Vec<Recorded>,
) {
    let address = format!("{type_name}.recorded");
    let mut events = vec![answer(
        "ResourceGroupsTaggingAPI_20170126.GetResources",
        json!({"PaginationToken": "", "ResourceTagMappingList": [mapping(arn, &address), decoy]}),
    )];
    events.extend(after);
    let replay = Replay::new(events);
    let config = provision_e2e::MotoServer::shared()
        .sdk_config()
        .await
        .to_builder()
        .http_client(replay.clone())
        .build();
    let clients = Arc::new(AwsClients::from_config(&config));
    let context = crate::harness::context(&clients, "listing", &address);
    let registry = provision_resources::registry();
    let resource = registry.get(type_name).expect("registered");
    let listed = resource
        .list_managed(&context, STACK)
        .await
        .unwrap_or_else(|error| panic!("{type_name} list_managed: {error}"));
    assert_eq!(listed, vec![(id.to_string(), address)], "{type_name}");
    let targets: Vec<String> = replay
        .requests()
        .iter()
        .map(|request| request.rsplit(' ').next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(targets, replay.expected(), "{type_name}: the calls made");
}

macro_rules! listing_tests {
    ($($test:ident: $type_name:literal, $arn:literal => $id:literal, decoy $decoy:expr;)*) => {
        $(
            #[tokio::test]
            async fn $test() {
                check($type_name, $arn, $id, $decoy, Vec::new()).await;
            }
        )*
        const LISTED: &[&str] = &[$($type_name),*];
    };
}

const ACCOUNT_ARN: &str = "arn:aws:iam::123456789012";

listing_tests! {
    iam_role_is_listed_by_name: "aws_iam_role",
        "arn:aws:iam::123456789012:role/service-role/ct-role" => "ct-role",
        decoy mapping(&format!("{ACCOUNT_ARN}:policy/ct-policy"), "aws_iam_policy.other");
    iam_policy_is_listed_by_arn: "aws_iam_policy",
        "arn:aws:iam::123456789012:policy/ct-policy" => "arn:aws:iam::123456789012:policy/ct-policy",
        decoy mapping(&format!("{ACCOUNT_ARN}:role/ct-role"), "aws_iam_role.other");
    iam_user_is_listed_by_name: "aws_iam_user",
        "arn:aws:iam::123456789012:user/contract/ct-user" => "ct-user",
        decoy mapping(&format!("{ACCOUNT_ARN}:role/ct-user"), "aws_iam_role.other");
    instance_profile_is_listed_by_name: "aws_iam_instance_profile",
        "arn:aws:iam::123456789012:instance-profile/ct-profile" => "ct-profile",
        decoy mapping(&format!("{ACCOUNT_ARN}:role/ct-profile"), "aws_iam_role.other");
    ecr_repository_is_listed_by_name: "aws_ecr_repository",
        "arn:aws:ecr:us-east-1:123456789012:repository/team/backend" => "team/backend",
        decoy mapping("arn:aws:ecr:us-east-1:123456789012:registry/123456789012", "");
    private_dns_namespace_is_listed_by_id: "aws_service_discovery_private_dns_namespace",
        "arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-6ctxjlbz4kbpgpmp" => "ns-6ctxjlbz4kbpgpmp",
        decoy mapping("arn:aws:servicediscovery:us-east-1:123456789012:service/srv-e4anhpjmm5iasmd5", "aws_service_discovery_service.other");
    discovery_service_is_listed_by_id: "aws_service_discovery_service",
        "arn:aws:servicediscovery:us-east-1:123456789012:service/srv-e4anhpjmm5iasmd5" => "srv-e4anhpjmm5iasmd5",
        decoy mapping("arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-6ctxjlbz4kbpgpmp", "aws_service_discovery_private_dns_namespace.other");
    lb_listener_is_listed_by_arn: "aws_lb_listener",
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2"
            => "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2",
        decoy mapping("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188", "aws_lb.other");
    db_subnet_group_is_listed_by_name: "aws_db_subnet_group",
        "arn:aws:rds:us-east-1:123456789012:subgrp:ct-db" => "ct-db",
        decoy mapping("arn:aws:rds:us-east-1:123456789012:cluster:ct-cluster", "aws_rds_cluster.other");
    cluster_parameter_group_is_listed_by_name: "aws_rds_cluster_parameter_group",
        "arn:aws:rds:us-east-1:123456789012:cluster-pg:ct-pg16" => "ct-pg16",
        decoy mapping("arn:aws:rds:us-east-1:123456789012:pg:ct-pg16", "");
    ingress_rule_is_listed_by_rule_id: "aws_vpc_security_group_ingress_rule",
        "arn:aws:ec2:us-east-1:123456789012:security-group-rule/sgr-0a1b2c3d4e5f60718" => "sgr-0a1b2c3d4e5f60718",
        decoy mapping("arn:aws:ec2:us-east-1:123456789012:security-group-rule/sgr-0ffffffffffffffff", "aws_vpc_security_group_egress_rule.other");
    egress_rule_is_listed_by_rule_id: "aws_vpc_security_group_egress_rule",
        "arn:aws:ec2:us-east-1:123456789012:security-group-rule/sgr-0a1b2c3d4e5f60718" => "sgr-0a1b2c3d4e5f60718",
        decoy mapping("arn:aws:ec2:us-east-1:123456789012:security-group-rule/sgr-0ffffffffffffffff", "aws_vpc_security_group_ingress_rule.other");
    distribution_is_listed_by_id: "aws_cloudfront_distribution",
        "arn:aws:cloudfront::123456789012:distribution/EDFDVBD632BHDS5" => "EDFDVBD632BHDS5",
        decoy mapping("arn:aws:cloudfront::123456789012:origin-access-control/E2QWRUHAPOMQZL", "");
    apigatewayv2_api_is_listed_by_id: "aws_apigatewayv2_api",
        "arn:aws:apigateway:us-east-1::/apis/a1b2c3d4e5" => "a1b2c3d4e5",
        decoy mapping("arn:aws:apigateway:us-east-1::/apis/a1b2c3d4e5/stages/prod", "aws_apigatewayv2_stage.other");
    apigatewayv2_stage_is_listed_by_name: "aws_apigatewayv2_stage",
        "arn:aws:apigateway:us-east-1::/apis/a1b2c3d4e5/stages/prod" => "prod",
        decoy mapping("arn:aws:apigateway:us-east-1::/apis/a1b2c3d4e5", "aws_apigatewayv2_api.other");
    metric_alarm_is_listed_by_name: "aws_cloudwatch_metric_alarm",
        "arn:aws:cloudwatch:us-east-1:123456789012:alarm:ct-cpu" => "ct-cpu",
        decoy mapping("arn:aws:cloudwatch:us-east-1:123456789012:insight-rule/ct-rule", "");
    lambda_event_source_mapping_is_listed_by_uuid: "aws_lambda_event_source_mapping",
        "arn:aws:lambda:us-east-1:123456789012:event-source-mapping:6f1c9a52-3b7e-4d2a-9c1e-0a8b7c6d5e4f"
            => "6f1c9a52-3b7e-4d2a-9c1e-0a8b7c6d5e4f",
        decoy mapping("arn:aws:lambda:us-east-1:123456789012:function:ct-worker", "aws_lambda_function.other");
    user_pool_is_listed_by_id: "aws_cognito_user_pool",
        "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123def" => "us-east-1_AbC123def",
        decoy mapping("arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Other0000", "aws_sns_topic.other");
    identity_pool_is_listed_by_id: "aws_cognito_identity_pool",
        "arn:aws:cognito-identity:us-east-1:123456789012:identitypool/us-east-1:0f9e4a35-8c1b-4d2e-9a6f-3b7c5d1e2f40"
            => "us-east-1:0f9e4a35-8c1b-4d2e-9a6f-3b7c5d1e2f40",
        decoy mapping("arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123def", "aws_cognito_user_pool.other");
}

/// A scalable target's id is its resource id, which its ARN does not hold: the ARNs found are
/// matched with DescribeScalableTargets, namespace by namespace (AWS's answers recorded: none
/// before `ecs`, the target in `ecs`).
#[tokio::test]
async fn scalable_target_is_listed_by_resource_id() {
    let arn = "arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target/0ec4c8a0f6e24fd9b7e3";
    let mut after = Vec::new();
    for namespace in ServiceNamespace::values() {
        let targets = if *namespace == "ecs" {
            json!([{"ServiceNamespace": "ecs", "ResourceId": "service/ct-cluster/ct-service",
                    "ScalableDimension": "ecs:service:DesiredCount", "MinCapacity": 1,
                    "MaxCapacity": 4, "RoleARN": "arn:aws:iam::123456789012:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService",
                    "CreationTime": 1.7e9, "ScalableTargetARN": arn}])
        } else {
            json!([])
        };
        after.push(answer(
            "AnyScaleFrontendService.DescribeScalableTargets",
            json!({"ScalableTargets": targets}),
        ));
        if *namespace == "ecs" {
            break;
        }
    }
    check(
        "aws_appautoscaling_target",
        arn,
        "service/ct-cluster/ct-service",
        mapping(
            "arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target/0ffff",
            "aws_appautoscaling_policy.other",
        ),
        after,
    )
    .await;
}

#[test]
fn every_type_moto_does_not_list_has_a_recorded_listing() {
    let mut recorded: Vec<&str> = LISTED.to_vec();
    recorded.push("aws_appautoscaling_target");
    recorded.sort();
    assert_eq!(recorded, MOTO_UNLISTED);
}
