//! Direct checks of the EdgeMind network services (EFS, Cloud Map, ELBv2) in the emulator.

use std::collections::BTreeMap;

use crate::Cloud;

/// Everything EFS, Cloud Map and ELBv2 hold for one file system, namespace name and load
/// balancer name (all lists empty when gone).
#[derive(Debug, Default)]
pub struct NetworkServices {
    pub file_systems: Vec<aws_sdk_efs::types::FileSystemDescription>,
    pub lifecycle_policies: Vec<aws_sdk_efs::types::LifecyclePolicy>,
    pub mount_targets: Vec<aws_sdk_efs::types::MountTargetDescription>,
    /// Security groups of each mount target, by mount target id.
    pub mount_target_security_groups: BTreeMap<String, Vec<String>>,
    pub access_points: Vec<aws_sdk_efs::types::AccessPointDescription>,
    pub namespaces: Vec<aws_sdk_servicediscovery::types::Namespace>,
    pub services: Vec<aws_sdk_servicediscovery::types::Service>,
    pub load_balancers: Vec<aws_sdk_elasticloadbalancingv2::types::LoadBalancer>,
    /// ModifyLoadBalancerAttributes keys → values of the first load balancer.
    pub load_balancer_attributes: BTreeMap<String, String>,
    pub target_groups: Vec<aws_sdk_elasticloadbalancingv2::types::TargetGroup>,
    /// Target group attribute keys → values of the first target group.
    pub target_group_attributes: BTreeMap<String, String>,
    /// Listeners of the first load balancer, by port.
    pub listeners: BTreeMap<i32, aws_sdk_elasticloadbalancingv2::types::Listener>,
}

impl NetworkServices {
    pub fn is_empty(&self) -> bool {
        self.file_systems.is_empty()
            && self.mount_targets.is_empty()
            && self.access_points.is_empty()
            && self.namespaces.is_empty()
            && self.services.is_empty()
            && self.load_balancers.is_empty()
            && self.target_groups.is_empty()
    }
}

impl Cloud {
    /// Every EFS file system, Cloud Map namespace and service, ELBv2 load balancer and target
    /// group of the account (the emulator holds one stack per test), with their details.
    pub fn network_services(&self) -> NetworkServices {
        self.block_on(async {
            let mut found = NetworkServices {
                file_systems: self
                    .efs
                    .describe_file_systems()
                    .send()
                    .await
                    .expect("DescribeFileSystems")
                    .file_systems
                    .unwrap_or_default(),
                ..NetworkServices::default()
            };
            for file_system in &found.file_systems {
                let id = file_system.file_system_id();
                found.lifecycle_policies.extend(
                    self.efs
                        .describe_lifecycle_configuration()
                        .file_system_id(id)
                        .send()
                        .await
                        .expect("DescribeLifecycleConfiguration")
                        .lifecycle_policies
                        .unwrap_or_default(),
                );
                let mount_targets = self
                    .efs
                    .describe_mount_targets()
                    .file_system_id(id)
                    .send()
                    .await
                    .expect("DescribeMountTargets")
                    .mount_targets
                    .unwrap_or_default();
                for mount_target in &mount_targets {
                    let groups = self
                        .efs
                        .describe_mount_target_security_groups()
                        .mount_target_id(mount_target.mount_target_id())
                        .send()
                        .await
                        .expect("DescribeMountTargetSecurityGroups")
                        .security_groups;
                    found
                        .mount_target_security_groups
                        .insert(mount_target.mount_target_id().to_string(), groups);
                }
                found.mount_targets.extend(mount_targets);
                found.access_points.extend(
                    self.efs
                        .describe_access_points()
                        .file_system_id(id)
                        .send()
                        .await
                        .expect("DescribeAccessPoints")
                        .access_points
                        .unwrap_or_default(),
                );
            }
            let summaries = self
                .servicediscovery
                .list_namespaces()
                .send()
                .await
                .expect("ListNamespaces")
                .namespaces
                .unwrap_or_default();
            for summary in summaries {
                let namespace = self
                    .servicediscovery
                    .get_namespace()
                    .id(summary.id().unwrap_or_default())
                    .send()
                    .await
                    .expect("GetNamespace")
                    .namespace;
                found.namespaces.extend(namespace);
            }
            let services = self
                .servicediscovery
                .list_services()
                .send()
                .await
                .expect("ListServices")
                .services
                .unwrap_or_default();
            for summary in services {
                let service = self
                    .servicediscovery
                    .get_service()
                    .id(summary.id().unwrap_or_default())
                    .send()
                    .await
                    .expect("GetService")
                    .service;
                found.services.extend(service);
            }
            found.load_balancers = self
                .elbv2
                .describe_load_balancers()
                .send()
                .await
                .expect("DescribeLoadBalancers")
                .load_balancers
                .unwrap_or_default();
            if let Some(arn) = found
                .load_balancers
                .first()
                .and_then(|balancer| balancer.load_balancer_arn())
            {
                found.load_balancer_attributes = self
                    .elbv2
                    .describe_load_balancer_attributes()
                    .load_balancer_arn(arn)
                    .send()
                    .await
                    .expect("DescribeLoadBalancerAttributes")
                    .attributes
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|entry| Some((entry.key?, entry.value?)))
                    .collect();
                found.listeners = self
                    .elbv2
                    .describe_listeners()
                    .load_balancer_arn(arn)
                    .send()
                    .await
                    .expect("DescribeListeners")
                    .listeners
                    .unwrap_or_default()
                    .into_iter()
                    .map(|listener| (listener.port().unwrap_or_default(), listener))
                    .collect();
            }
            found.target_groups = self
                .elbv2
                .describe_target_groups()
                .send()
                .await
                .expect("DescribeTargetGroups")
                .target_groups
                .unwrap_or_default();
            if let Some(arn) = found
                .target_groups
                .first()
                .and_then(|group| group.target_group_arn())
            {
                found.target_group_attributes = self
                    .elbv2
                    .describe_target_group_attributes()
                    .target_group_arn(arn)
                    .send()
                    .await
                    .expect("DescribeTargetGroupAttributes")
                    .attributes
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|entry| Some((entry.key?, entry.value?)))
                    .collect();
            }
            found
        })
    }

    /// The tags ELBv2 holds for `arn`.
    pub fn elb_tags(&self, arn: &str) -> BTreeMap<String, String> {
        self.block_on(async {
            self.elbv2
                .describe_tags()
                .resource_arns(arn)
                .send()
                .await
                .expect("DescribeTags")
                .tag_descriptions
                .unwrap_or_default()
                .into_iter()
                .flat_map(|description| description.tags.unwrap_or_default())
                .filter_map(|tag| Some((tag.key?, tag.value.unwrap_or_default())))
                .collect()
        })
    }

    /// The tags Cloud Map holds for `arn`.
    pub fn cloud_map_tags(&self, arn: &str) -> BTreeMap<String, String> {
        self.block_on(async {
            self.servicediscovery
                .list_tags_for_resource()
                .resource_arn(arn)
                .send()
                .await
                .expect("ListTagsForResource")
                .tags
                .unwrap_or_default()
                .into_iter()
                .map(|tag| (tag.key, tag.value))
                .collect()
        })
    }
}
