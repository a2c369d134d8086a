//! Listing by tags through the Resource Groups Tagging API (GetResources), for drift's
//! unmanaged resources: every taggable type names its Tagging API resource type
//! (`logs:log-group`) and how its id is read from an ARN; `list_tagged` does the paging, the
//! `provision:stack` filter and the check that the `provision:address` tag names this type.

use aws_sdk_resourcegroupstagging::types::TagFilter;

use super::errors::sdk_error;
use super::tags::{ADDRESS_TAG, STACK_TAG};
use crate::aws::AwsContext;
use crate::error::ProviderError;
use crate::provider::ProviderContext;

/// How a resource's id is read from its ARN (`arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArnId {
    /// The id is the ARN (load balancers, topics, secrets, ECS).
    Arn,
    /// The id follows the first `/` of the resource part: `vpc/vpc-0a1b` → `vpc-0a1b`,
    /// `repository/team/app` → `team/app`.
    AfterSlash,
    /// The id is the last `/` segment: `role/service-role/app` → `app`.
    LastSegment,
    /// The id follows `prefix` in the resource part: with `log-group:`,
    /// `log-group:/ecs/app` → `/ecs/app` (a trailing `:*` is dropped).
    After(&'static str),
}

impl ArnId {
    /// The id of `arn`, or None when the ARN does not have this shape.
    pub fn id(self, arn: &str) -> Option<String> {
        let resource = arn.splitn(6, ':').nth(5)?;
        let id = match self {
            ArnId::Arn => return Some(arn.to_string()),
            ArnId::AfterSlash => resource.split_once('/')?.1,
            ArnId::LastSegment => resource.rsplit('/').next()?,
            ArnId::After(prefix) => resource.strip_prefix(prefix)?,
        };
        let id = id.strip_suffix(":*").unwrap_or(id);
        (!id.is_empty()).then(|| id.to_string())
    }
}

/// The resource type an address names: `aws_subnet.public[0]` and
/// `module.network.aws_subnet.public[0]` → `aws_subnet`.
pub fn address_type(address: &str) -> Option<&str> {
    let mut depth = 0usize;
    let mut parts = Vec::new();
    let mut start = 0;
    for (index, character) in address.char_indices() {
        match character {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '.' if depth == 0 => {
                parts.push(&address[start..index]);
                start = index + 1;
            }
            _ => {}
        }
    }
    parts.push(&address[start..]);
    (parts.len() >= 2).then(|| parts[parts.len() - 2])
}

/// Whether `arn` is of `resource_type` (`logs:log-group`: service `logs`, resource part
/// `log-group:...` or `log-group/...`; a type without a kind, `sns`, takes every ARN of the
/// service).
pub fn is_of_type(arn: &str, resource_type: &str) -> bool {
    let (service, kind) = resource_type.split_once(':').unwrap_or((resource_type, ""));
    let mut parts = arn.splitn(6, ':');
    let (
        Some("arn"),
        Some(_partition),
        Some(arn_service),
        Some(_region),
        Some(_account),
        Some(resource),
    ) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    )
    else {
        return false;
    };
    arn_service == service
        && (kind.is_empty()
            || resource
                .strip_prefix(kind)
                .is_some_and(|rest| rest.starts_with(':') || rest.starts_with('/')))
}

/// The `(id, provision:address tag)` of every resource of `resource_type` (a Tagging API
/// type such as `logs:log-group`) tagged `provision:stack = stack`, skipping those whose
/// address tag names a type other than `type_name` (two types can share a Tagging API type).
/// The request names the service and the type; the resource kind is checked on each ARN.
pub async fn list_tagged(
    context: &ProviderContext,
    stack: &str,
    type_name: &str,
    resource_type: &str,
    arn_id: ArnId,
) -> Result<Vec<(String, String)>, ProviderError> {
    let filter = TagFilter::builder().key(STACK_TAG).values(stack).build();
    // The service alone (`logs`) and the full type (`ecs:service`): AWS takes either and ORs
    // them; moto 5.2.1 answers some services only to the one form, some only to the other.
    let service = resource_type.split(':').next().unwrap_or(resource_type);
    let mut type_filters = vec![service.to_string()];
    if service != resource_type {
        type_filters.push(resource_type.to_string());
    }
    let mut found = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = context
            .aws()
            .tagging
            .get_resources()
            .tag_filters(filter.clone())
            .set_resource_type_filters(Some(type_filters.clone()))
            .set_pagination_token(token.clone())
            .send()
            .await
            .map_err(|error| sdk_error("GetResources", error))?;
        for mapping in page.resource_tag_mapping_list() {
            let Some(arn) = mapping
                .resource_arn()
                .filter(|arn| is_of_type(arn, resource_type))
            else {
                continue;
            };
            let tags = mapping.tags();
            if !tags
                .iter()
                .any(|tag| tag.key() == STACK_TAG && tag.value() == stack)
            {
                continue;
            }
            let address = tags
                .iter()
                .find(|tag| tag.key() == ADDRESS_TAG)
                .map(|tag| tag.value().to_string())
                .unwrap_or_default();
            // A resource the spec named by an alias (`aws_alb.web`) is the aliased type's.
            if address_type(&address)
                .is_some_and(|named| crate::coverage::canonical_type(named) != type_name)
            {
                continue;
            }
            if let Some(id) = arn_id.id(arn) {
                found.push((id, address));
            }
        }
        token = page
            .pagination_token()
            .filter(|next| !next.is_empty())
            .map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_from_the_arn_as_each_type_names_them() {
        let vpc = "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0a1b";
        assert_eq!(ArnId::AfterSlash.id(vpc).as_deref(), Some("vpc-0a1b"));
        assert_eq!(ArnId::Arn.id(vpc).as_deref(), Some(vpc));
        let role = "arn:aws:iam::123456789012:role/service-role/app";
        assert_eq!(ArnId::LastSegment.id(role).as_deref(), Some("app"));
        let repository = "arn:aws:ecr:us-east-1:123456789012:repository/team/app";
        assert_eq!(
            ArnId::AfterSlash.id(repository).as_deref(),
            Some("team/app")
        );
        let group = "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/app:*";
        assert_eq!(
            ArnId::After("log-group:").id(group).as_deref(),
            Some("/ecs/app")
        );
        let bucket = "arn:aws:s3:::my-bucket";
        assert_eq!(ArnId::After("").id(bucket).as_deref(), Some("my-bucket"));
        assert_eq!(ArnId::After("cluster:").id(group), None);
        assert_eq!(ArnId::AfterSlash.id("not-an-arn"), None);
    }

    #[test]
    fn arns_are_matched_by_service_and_kind() {
        let group = "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/app";
        assert!(is_of_type(group, "logs:log-group"));
        assert!(!is_of_type(group, "logs:destination"));
        assert!(!is_of_type(group, "ec2:log-group"));
        let topic = "arn:aws:sns:us-east-1:123456789012:alerts";
        assert!(is_of_type(topic, "sns"));
        let group_named = "arn:aws:ec2:us-east-1:123456789012:security-group/sg-1";
        assert!(!is_of_type(group_named, "ec2:security-group-rule"));
        assert!(is_of_type("arn:aws:s3:::bucket", "s3"));
        assert!(!is_of_type("not-an-arn", "s3"));
    }

    #[test]
    fn the_address_names_the_type() {
        assert_eq!(address_type("aws_subnet.public[0]"), Some("aws_subnet"));
        assert_eq!(
            address_type("module.network[\"a.b\"].aws_subnet.public[\"x.y\"]"),
            Some("aws_subnet")
        );
        assert_eq!(address_type(""), None);
    }
}
