//! Elastic Load Balancing v2 (load balancers, target groups, listeners) resource types: one
//! file per type, registered here, plus the helpers they share (tags, ARN suffixes, names).

pub mod alb;
pub mod alb_listener;
pub mod alb_target_group;
pub mod data_elb_service_account;
pub mod data_lb;
pub mod lb;
pub mod lb_listener;
pub mod lb_target_group;

use std::collections::BTreeMap;
use std::sync::Arc;

use aws_sdk_elasticloadbalancingv2::types::Tag;

use crate::aws::kit::tags::{tag_api, TagApi};
use crate::aws::kit::ResultExt;
use crate::error::ProviderError;
use crate::provider::ProviderContext;
use crate::registry::Registry;

pub fn register(registry: &mut Registry) {
    registry.register(Arc::new(lb::Lb::new()));
    registry.register(Arc::new(lb_target_group::LbTargetGroup::new()));
    registry.register(Arc::new(lb_listener::LbListener::new()));
    registry.register(Arc::new(alb::new()));
    registry.register(Arc::new(alb_target_group::new()));
    registry.register(Arc::new(alb_listener::new()));
}

tag_api! {
    /// ELBv2's tag calls, on an ARN.
    pub(crate) struct ElbTags for elbv2 {
        list: "DescribeTags" describe_tags(resource_arns) => |output| {
            // One ARN asked, so every description is its own.
            let tags = output.tag_descriptions().iter().flat_map(|description| description.tags());
            tags.filter_map(|tag| Some((tag.key()?.to_string(), tag.value().unwrap_or_default().to_string()))).collect()
        },
        tag: "AddTags" add_tags(resource_arns).set_tags(|tags| Some(elb_tags(tags))),
        untag: "RemoveTags" remove_tags(resource_arns).set_tag_keys(|keys| Some(keys.to_vec())),
    }
}

/// DescribeTags for one ARN, as a key → value map (`None` when the resource is gone).
pub(crate) async fn describe_tags(
    context: &ProviderContext,
    arn: &str,
) -> Result<Option<BTreeMap<String, String>>, ProviderError> {
    ElbTags.list(context, arn).await.not_found_as_none()
}

/// ELBv2 tags from a key → value map.
pub(crate) fn elb_tags(tags: &BTreeMap<String, String>) -> Vec<Tag> {
    tags.iter()
        .map(|(key, value)| Tag::builder().key(key).value(value).build())
        .collect()
}

/// The part of an ELBv2 ARN after `:loadbalancer/` or `:targetgroup/`'s resource type colon
/// (`app/edgemind-dev/50dc6c495c0c9188`, `targetgroup/edgemind-dev/73e2d6bc24d8a067`), which
/// CloudWatch metrics use as dimensions.
pub(crate) fn arn_suffix(arn: &str) -> String {
    if let Some((_, rest)) = arn.split_once(":loadbalancer/") {
        return rest.to_string();
    }
    match arn.split_once(":targetgroup/") {
        Some((_, rest)) => format!("targetgroup/{rest}"),
        None => String::new(),
    }
}

/// The ELB data sources.
pub fn register_data_sources(registry: &mut Registry) {
    registry.register_data_source(Arc::new(data_lb::DataLb::new()));
    registry.register_data_source(Arc::new(data_lb::DataLb::named("aws_alb")));
    registry.register_data_source(Arc::new(data_elb_service_account::ElbServiceAccount::new()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_suffixes_are_what_cloudwatch_uses() {
        assert_eq!(
            arn_suffix("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/edgemind-dev/50dc6c495c0c9188"),
            "app/edgemind-dev/50dc6c495c0c9188"
        );
        assert_eq!(
            arn_suffix("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/edgemind-dev/73e2d6bc24d8a067"),
            "targetgroup/edgemind-dev/73e2d6bc24d8a067"
        );
        assert_eq!(arn_suffix("arn:aws:iam::1:role/x"), "");
    }

}
