//! Helpers shared by the EC2 resource types.

use crate::aws::AwsContext;
use std::collections::{BTreeMap, HashMap};
use std::future::Future;

use aws_sdk_ec2::error::ProvideErrorMetadata;
use aws_sdk_ec2::types::{Filter, ResourceType, Tag, TagSpecification};
use aws_smithy_async::future::pagination_stream::PaginationStream;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;

use crate::aws::kit::sdk_error;
use crate::aws::kit::tags::{tag_map, TagApi, ADDRESS_TAG, STACK_TAG};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};

/// EC2 tags from a key → value map.
pub fn ec2_tags(tags: &BTreeMap<String, String>) -> Vec<Tag> {
    tags.iter()
        .map(|(key, value)| Tag::builder().key(key).value(value).build())
        .collect()
}

/// A `TagSpecification` for the create call: default tags, the resource's `tags`, and the
/// `provision:*` tags, so the resource is tagged from its first moment.
pub fn tag_specification(
    context: &ProviderContext,
    resource_type: ResourceType,
    desired: &Attributes,
) -> TagSpecification {
    TagSpecification::builder()
        .resource_type(resource_type)
        .set_tags(Some(ec2_tags(&context.tags_for(desired))))
        .build()
}

/// Key → value map of the tags EC2 returned.
pub fn tags_from_ec2(tags: &[Tag]) -> BTreeMap<String, String> {
    tag_map(tags, |tag| (tag.key(), tag.value()))
}

/// EC2's tag calls (DescribeTags, CreateTags, DeleteTags), on a resource id.
pub struct Ec2Tags;

#[async_trait::async_trait]
impl TagApi for Ec2Tags {
    async fn list(
        &self,
        context: &ProviderContext,
        resource: &str,
    ) -> Result<BTreeMap<String, String>, ProviderError> {
        let output = context
            .aws()
            .ec2
            .describe_tags()
            .filters(
                Filter::builder()
                    .name("resource-id")
                    .values(resource)
                    .build(),
            )
            .send()
            .await
            .map_err(|error| sdk_error("DescribeTags", error))?;
        Ok(tag_map(output.tags(), |tag| (tag.key(), tag.value())))
    }

    async fn tag(
        &self,
        context: &ProviderContext,
        resource: &str,
        tags: &BTreeMap<String, String>,
    ) -> Result<(), ProviderError> {
        context
            .aws()
            .ec2
            .create_tags()
            .resources(resource)
            .set_tags(Some(ec2_tags(tags)))
            .send()
            .await
            .map_err(|error| sdk_error("CreateTags", error))?;
        Ok(())
    }

    async fn untag(
        &self,
        context: &ProviderContext,
        resource: &str,
        keys: &[String],
    ) -> Result<(), ProviderError> {
        let tags = keys.iter().map(|key| Tag::builder().key(key).build());
        context
            .aws()
            .ec2
            .delete_tags()
            .resources(resource)
            .set_tags(Some(tags.collect()))
            .send()
            .await
            .map_err(|error| sdk_error("DeleteTags", error))?;
        Ok(())
    }
}

/// Sets `tags` and `tags_all` in `attributes` from the tags EC2 returned.
pub fn put_tags(context: &ProviderContext, attributes: &mut Attributes, tags: &[Tag]) {
    let (user, all) = crate::aws::kit::tags::split_tags(context, tags_from_ec2(tags));
    attributes.insert("tags".to_string(), user);
    attributes.insert("tags_all".to_string(), all);
}

/// Filters that find what an interrupted create of this stack and address may have made.
/// Callers must check the exact tags on what comes back (`carries_recovery_tags`): brackets in
/// addresses (`aws_subnet.private[0]`) are sent as the `?` wildcard, because some emulators
/// (moto) read filter values as glob patterns where `[0]` is a character class.
pub fn recovery_filters(context: &ProviderContext) -> Vec<Filter> {
    vec![
        Filter::builder()
            .name(format!("tag:{STACK_TAG}"))
            .values(filter_pattern(&context.stack))
            .build(),
        Filter::builder()
            .name(format!("tag:{ADDRESS_TAG}"))
            .values(filter_pattern(&context.address))
            .build(),
    ]
}

/// A filter value matching `text`, with glob-special brackets turned into `?` wildcards.
pub fn filter_pattern(text: &str) -> String {
    text.chars()
        .map(|character| {
            if matches!(character, '[' | ']') {
                '?'
            } else {
                character
            }
        })
        .collect()
}

/// How many values one filter of an EC2 Describe call carries (AWS accepts up to 200): batched
/// reads send ids as filter values, in chunks of this size, because a missing id in an id list
/// fails the whole call while a filter value that matches nothing is simply left out.
pub const FILTER_VALUES_PER_CALL: usize = 200;

/// A filter `name` matching any of `values`.
pub fn filter_any(name: &str, values: &[String]) -> Filter {
    Filter::builder()
        .name(name)
        .set_values(Some(values.to_vec()))
        .build()
}

/// The ids of `items` to describe in batches: distinct, non-empty, in order.
pub fn batch_ids(items: &[(String, Attributes)]) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    items
        .iter()
        .map(|(id, _)| id.clone())
        .filter(|id| !id.is_empty() && seen.insert(id.clone()))
        .collect()
}

/// The filter finding what carries `provision:stack` = `stack` (brackets sent as wildcards, see
/// `filter_pattern`; check the exact tag with `managed_by_stack`).
pub fn stack_filter(stack: &str) -> Filter {
    Filter::builder()
        .name(format!("tag:{STACK_TAG}"))
        .values(filter_pattern(stack))
        .build()
}

/// `(id, provision:address tag)` of each `(id, tags)` whose `provision:stack` tag is exactly
/// `stack` (some emulators ignore or glob-match tag filters, so the tag is checked here).
pub fn managed_by_stack<'a>(
    stack: &str,
    found: impl IntoIterator<Item = (Option<&'a str>, &'a [Tag])>,
) -> Vec<(String, String)> {
    found
        .into_iter()
        .filter_map(|(id, tags)| {
            let tags = tags_from_ec2(tags);
            (tags.get(STACK_TAG).map(String::as_str) == Some(stack)).then(|| {
                (
                    id.unwrap_or_default().to_string(),
                    tags.get(ADDRESS_TAG).cloned().unwrap_or_default(),
                )
            })
        })
        .filter(|(id, _)| !id.is_empty())
        .collect()
}

/// True when `tags` (as EC2 returned them) carry this context's `provision:stack` and
/// `provision:address` tags. Recovery checks this client-side as well as with
/// `recovery_filters`, because some emulators ignore `tag:` filters (moto's
/// DescribeNatGateways does).
pub fn carries_recovery_tags(context: &ProviderContext, tags: &[Tag]) -> bool {
    crate::aws::kit::tags::carries_recovery_tags(context, &tags_from_ec2(tags))
}

/// The ARN of an EC2 resource (`arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0abc`), for the
/// types whose describe answer carries none.
pub fn ec2_arn(region: &str, owner_id: &str, kind: &str, id: &str) -> String {
    let partition = crate::aws::kit::arn::partition(region);
    format!("arn:{partition}:ec2:{region}:{owner_id}:{kind}/{id}")
}

/// An EC2 thing one Describe call lists, and that call: what the shared `list_managed`,
/// `read_many_described` and `recovered` bodies are written against (the SDK has no trait
/// over its Describe calls; `described!` writes one impl per type).
pub trait Described: Send + Sync + Sized + 'static {
    /// The Describe operation, as errors name it (`DescribeSubnets`).
    const OPERATION: &'static str;
    /// The filter naming ids (`subnet-id`), for batched reads.
    const ID_FILTER: &'static str;
    /// The Describe operation's error.
    type Error: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static;
    fn id(&self) -> Option<&str>;
    fn tags(&self) -> &[Tag];
    /// The items of every page of the call with `filters` (as many a page as the API allows).
    fn pages(context: &ProviderContext, filters: Vec<Filter>) -> Pages<Self>;
    /// The items of one unpaginated call with `filters` (recovery's).
    fn first_page(
        context: &ProviderContext,
        filters: Vec<Filter>,
    ) -> impl Future<Output = Answer<Self>> + Send;
    /// The items of one call naming `id` in its id list (a read by id).
    fn by_id(context: &ProviderContext, id: &str) -> impl Future<Output = Answer<Self>> + Send;
}

/// The items of a `Described` call's pages, as the SDK's paginator streams them.
pub type Pages<T> = PaginationStream<Result<T, SdkError<<T as Described>::Error, HttpResponse>>>;
/// The items of one `Described` call, or its SDK error.
pub type Answer<T> = Result<Vec<T>, SdkError<<T as Described>::Error, HttpResponse>>;

/// `impl Described for aws_sdk_ec2::types::$item`, one row a type: the Describe call
/// (`$describe`, in module `$module` with error `$error`, named `$operation`), the answer's
/// list (`$items`), the filter setter (`$set_filters`), the page size the API allows, the
/// item's id accessor, the id filter's name and the id-list setter (`$ids`).
macro_rules! described {
    ($($item:ident: $module:ident::$error:ident $operation:literal, $describe:ident, $items:ident,
       $set_filters:ident, $max_results:literal, $id:ident, $id_filter:literal, $ids:ident;)*) => {
        $(impl Described for aws_sdk_ec2::types::$item {
            const OPERATION: &'static str = $operation;
            const ID_FILTER: &'static str = $id_filter;
            type Error = aws_sdk_ec2::operation::$module::$error;
            fn id(&self) -> Option<&str> {
                self.$id()
            }
            fn tags(&self) -> &[Tag] {
                aws_sdk_ec2::types::$item::tags(self)
            }
            fn pages(context: &ProviderContext, filters: Vec<Filter>) -> Pages<Self> {
                let request = context.aws().ec2.$describe().$set_filters(Some(filters));
                request.max_results($max_results).into_paginator().items().send()
            }
            fn first_page(
                context: &ProviderContext,
                filters: Vec<Filter>,
            ) -> impl Future<Output = Answer<Self>> + Send {
                let request = context.aws().ec2.$describe().$set_filters(Some(filters));
                async move { Ok(request.send().await?.$items.unwrap_or_default()) }
            }
            fn by_id(
                context: &ProviderContext,
                id: &str,
            ) -> impl Future<Output = Answer<Self>> + Send {
                let request = context.aws().ec2.$describe().$ids(id);
                async move { Ok(request.send().await?.$items.unwrap_or_default()) }
            }
        })*
    };
}

described! {
    Vpc: describe_vpcs::DescribeVpcsError "DescribeVpcs", describe_vpcs, vpcs, set_filters, 1000, vpc_id, "vpc-id", vpc_ids;
    Subnet: describe_subnets::DescribeSubnetsError "DescribeSubnets", describe_subnets, subnets, set_filters, 1000, subnet_id, "subnet-id", subnet_ids;
    InternetGateway: describe_internet_gateways::DescribeInternetGatewaysError "DescribeInternetGateways", describe_internet_gateways, internet_gateways, set_filters, 1000, internet_gateway_id, "internet-gateway-id", internet_gateway_ids;
    NatGateway: describe_nat_gateways::DescribeNatGatewaysError "DescribeNatGateways", describe_nat_gateways, nat_gateways, set_filter, 1000, nat_gateway_id, "nat-gateway-id", nat_gateway_ids;
    RouteTable: describe_route_tables::DescribeRouteTablesError "DescribeRouteTables", describe_route_tables, route_tables, set_filters, 100, route_table_id, "route-table-id", route_table_ids;
    SecurityGroup: describe_security_groups::DescribeSecurityGroupsError "DescribeSecurityGroups", describe_security_groups, security_groups, set_filters, 1000, group_id, "group-id", group_ids;
}

/// The `T`s the Describe call naming `id` (in its id list) answers; `None` when AWS does not
/// know the id.
pub async fn described<T: Described>(
    context: &ProviderContext,
    id: &str,
) -> Result<Option<Vec<T>>, ProviderError> {
    match T::by_id(context, id).await {
        Ok(found) => Ok(Some(found)),
        Err(error) => crate::aws::kit::none_if_gone(sdk_error(T::OPERATION, error)),
    }
}

/// Every `T` the Describe call with `filters` answers, all pages.
pub async fn describe_all<T: Described>(
    context: &ProviderContext,
    filters: Vec<Filter>,
) -> Result<Vec<T>, ProviderError> {
    T::pages(context, filters)
        .try_collect()
        .await
        .map_err(|error| sdk_error(T::OPERATION, error))
}

/// `list_managed` of a type: `(id, provision:address)` of each `T` that `keep` accepts and
/// whose `provision:stack` tag is exactly `stack`, from the Describe call filtered by
/// `stack_filter(stack)`.
pub async fn list_managed<T: Described>(
    context: &ProviderContext,
    stack: &str,
    keep: impl Fn(&T) -> bool,
) -> Result<Vec<(String, String)>, ProviderError> {
    let found: Vec<T> = describe_all(context, vec![stack_filter(stack)]).await?;
    let kept = found.iter().filter(|item| keep(item));
    Ok(managed_by_stack(
        stack,
        kept.map(|item| (item.id(), item.tags())),
    ))
}

/// The `T`s of `ids` AWS knows, by id: one Describe call (an `ID_FILTER` filter, all pages) per
/// `FILTER_VALUES_PER_CALL` ids.
pub async fn described_by_id<T: Described>(
    context: &ProviderContext,
    ids: &[String],
) -> Result<HashMap<String, T>, ProviderError> {
    let mut found = HashMap::new();
    for chunk in ids.chunks(FILTER_VALUES_PER_CALL) {
        for item in describe_all::<T>(context, vec![filter_any(T::ID_FILTER, chunk)]).await? {
            if let Some(id) = item.id().map(str::to_string) {
                found.insert(id, item);
            }
        }
    }
    Ok(found)
}

/// `read_many` of a type: each of `items` (id, prior attributes) read with `attributes` from
/// what `described_by_id` found, `None` where AWS does not know the id.
pub async fn read_many_described<T: Described>(
    context: &ProviderContext,
    items: &[(String, Attributes)],
    attributes: impl Fn(&T, &Attributes) -> Attributes,
) -> Result<Vec<Option<Attributes>>, ProviderError> {
    let found = described_by_id::<T>(context, &batch_ids(items)).await?;
    let read =
        |(id, prior): &(String, Attributes)| found.get(id).map(|item| attributes(item, prior));
    Ok(items.iter().map(read).collect())
}

/// Recovery by tags: the first `T` that `keep` accepts and that carries this context's
/// `provision:*` tags, from one Describe call with `filters` (`recovery_filters`, maybe more).
pub async fn recovered<T: Described>(
    context: &ProviderContext,
    filters: Vec<Filter>,
    keep: impl Fn(&T) -> bool,
) -> Result<Option<T>, ProviderError> {
    let found = T::first_page(context, filters)
        .await
        .map_err(|error| sdk_error(T::OPERATION, error))?;
    let mut kept = found.into_iter().filter(|item| keep(item));
    Ok(kept.find(|item| carries_recovery_tags(context, item.tags())))
}

/// `recover` of the types that read what recovery by tags found (`recovered`) by its id.
pub async fn recover_then_read<T: Described>(
    resource: &dyn Resource,
    context: &ProviderContext,
    desired: &Attributes,
) -> Result<Option<Attributes>, ProviderError> {
    let found: Option<T> = recovered(context, recovery_filters(context), |_| true).await?;
    match found.as_ref().and_then(T::id) {
        Some(id) => resource.read(context, id, desired).await,
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(key: &str, value: &str) -> Tag {
        Tag::builder().key(key).value(value).build()
    }

    #[test]
    fn only_exact_stack_tags_are_managed() {
        let ours = [
            tag(STACK_TAG, "specs/a/dev"),
            tag(ADDRESS_TAG, "aws_vpc.main"),
        ];
        let glob_match = [tag(STACK_TAG, "specs/a/devx")];
        let untagged: [Tag; 0] = [];
        let found = managed_by_stack(
            "specs/a/dev",
            [
                (Some("vpc-1"), &ours[..]),
                (Some("vpc-2"), &glob_match[..]),
                (Some("vpc-3"), &untagged[..]),
            ],
        );
        assert_eq!(found, [("vpc-1".to_string(), "aws_vpc.main".to_string())]);
    }

    #[test]
    fn batch_ids_are_distinct_and_non_empty() {
        let items = vec![
            ("a".to_string(), Attributes::new()),
            (String::new(), Attributes::new()),
            ("a".to_string(), Attributes::new()),
            ("b".to_string(), Attributes::new()),
        ];
        assert_eq!(batch_ids(&items), ["a", "b"]);
    }

    #[test]
    fn brackets_become_single_character_wildcards() {
        assert_eq!(
            filter_pattern("aws_subnet.private[0]"),
            "aws_subnet.private?0?"
        );
        assert_eq!(filter_pattern("specs/edgemind/dev"), "specs/edgemind/dev");
    }
}
