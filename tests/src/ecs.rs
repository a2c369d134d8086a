//! Direct checks of ECS and Application Auto Scaling for the e2e tests.

use aws_sdk_applicationautoscaling::types::{ScalableTarget, ScalingPolicy, ServiceNamespace};
use aws_sdk_ecs::types::{
    Cluster, ClusterField, Service, ServiceField, TaskDefinition, TaskDefinitionField,
};

use crate::Cloud;

impl Cloud {
    /// DescribeClusters (settings and tags) for one cluster name or ARN.
    pub fn ecs_cluster(&self, cluster: &str) -> Option<Cluster> {
        let output = self
            .block_on(
                self.ecs
                    .describe_clusters()
                    .clusters(cluster)
                    .include(ClusterField::Settings)
                    .include(ClusterField::Tags)
                    .send(),
            )
            .expect("DescribeClusters");
        output.clusters().first().cloned()
    }

    /// DescribeServices (with tags) for one service of a cluster.
    pub fn ecs_service(&self, cluster: &str, service: &str) -> Option<Service> {
        let output = self
            .block_on(
                self.ecs
                    .describe_services()
                    .cluster(cluster)
                    .services(service)
                    .include(ServiceField::Tags)
                    .send(),
            )
            .expect("DescribeServices");
        output.services().first().cloned()
    }

    /// DescribeTaskDefinition for an ARN or `family[:revision]`.
    pub fn ecs_task_definition(&self, task_definition: &str) -> TaskDefinition {
        let output = self
            .block_on(
                self.ecs
                    .describe_task_definition()
                    .task_definition(task_definition)
                    .include(TaskDefinitionField::Tags)
                    .send(),
            )
            .expect("DescribeTaskDefinition");
        output
            .task_definition()
            .cloned()
            .expect("a task definition")
    }

    /// The ACTIVE task definition ARNs whose family starts with `prefix`.
    pub fn ecs_active_task_definitions(&self, prefix: &str) -> Vec<String> {
        let output = self
            .block_on(
                self.ecs
                    .list_task_definitions()
                    .family_prefix(prefix)
                    .status(aws_sdk_ecs::types::TaskDefinitionStatus::Active)
                    .send(),
            )
            .expect("ListTaskDefinitions");
        output.task_definition_arns().to_vec()
    }

    /// Every ECS scalable target.
    pub fn ecs_scalable_targets(&self) -> Vec<ScalableTarget> {
        let output = self
            .block_on(
                self.autoscaling
                    .describe_scalable_targets()
                    .service_namespace(ServiceNamespace::Ecs)
                    .send(),
            )
            .expect("DescribeScalableTargets");
        output.scalable_targets().to_vec()
    }

    /// Every ECS scaling policy.
    pub fn ecs_scaling_policies(&self) -> Vec<ScalingPolicy> {
        let output = self
            .block_on(
                self.autoscaling
                    .describe_scaling_policies()
                    .service_namespace(ServiceNamespace::Ecs)
                    .send(),
            )
            .expect("DescribeScalingPolicies");
        output.scaling_policies().to_vec()
    }

    /// An ELBv2 target group (ip targets) in the default VPC, standing in for
    /// `aws_lb_target_group` in focused tests; returns its ARN.
    pub fn make_ip_target_group(&self, name: &str, port: i32) -> String {
        let vpc = self
            .default_vpc_ids()
            .into_iter()
            .next()
            .expect("the emulator's default VPC");
        let output = self
            .block_on(
                self.elbv2
                    .create_target_group()
                    .name(name)
                    .protocol(aws_sdk_elasticloadbalancingv2::types::ProtocolEnum::Http)
                    .port(port)
                    .vpc_id(vpc)
                    .target_type(aws_sdk_elasticloadbalancingv2::types::TargetTypeEnum::Ip)
                    .send(),
            )
            .expect("CreateTargetGroup");
        output
            .target_groups()
            .first()
            .and_then(|group| group.target_group_arn())
            .expect("a target group ARN")
            .to_string()
    }
}
