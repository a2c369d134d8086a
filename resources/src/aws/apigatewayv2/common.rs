//! API Gateway v2's private helpers: its tag calls (on an API or stage ARN), the ARNs
//! Terraform computes, and the string maps and optional strings its answers hold.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;

use crate::aws::kit::arn::partition;
use crate::aws::kit::tags::tag_api;
use crate::error::ProviderError;
use crate::value::Value;

tag_api! {
    /// API Gateway v2's tag calls, on an API or stage ARN.
    pub(crate) struct ApiGatewayTags for apigatewayv2 {
        list: "GetTags" get_tags(resource_arn)
            => |output| string_map(output.tags()),
        tag: "TagResource" tag_resource(resource_arn)
            .set_tags(|tags| Some(tags.clone().into_iter().collect())),
        untag: "UntagResource" untag_resource(resource_arn)
            .set_tag_keys(|keys| Some(keys.to_vec())),
    }
}

/// `arn:aws:apigateway:REGION::/apis/ID`: what tag calls take for an API.
pub fn api_arn(region: &str, api_id: &str) -> String {
    format!(
        "arn:{}:apigateway:{region}::/apis/{api_id}",
        partition(region)
    )
}

/// `arn:aws:execute-api:REGION:ACCOUNT:ID`: the prefix of Lambda permissions' `source_arn`.
pub fn execution_arn(region: &str, account: &str, api_id: &str) -> String {
    format!(
        "arn:{}:execute-api:{region}:{account}:{api_id}",
        partition(region)
    )
}

/// A string map from an SDK answer (empty when absent).
pub fn string_map(map: Option<&HashMap<String, String>>) -> BTreeMap<String, String> {
    map.map(|map| {
        map.iter()
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect()
    })
    .unwrap_or_default()
}

/// A string map as a `Value` (an empty map when absent).
pub fn map_value(map: Option<&HashMap<String, String>>) -> Value {
    Value::Map(
        string_map(map)
            .into_iter()
            .map(|(key, value)| (key, Value::String(value)))
            .collect(),
    )
}

/// An optional string as a `Value` (null when absent).
pub fn text(value: Option<&str>) -> Value {
    value.map_or(Value::Null, Value::string)
}

/// A string map attribute as the SDK takes it (None when absent or empty).
pub fn sdk_map(
    attributes: &crate::provider::Attributes,
    name: &str,
) -> Option<HashMap<String, String>> {
    match attributes.get(name) {
        Some(Value::Map(entries)) if !entries.is_empty() => Some(
            entries
                .iter()
                .filter_map(|(key, value)| {
                    value.to_template_string().map(|text| (key.clone(), text))
                })
                .collect(),
        ),
        _ => None,
    }
}

/// One page of a Get* listing of an API's children: its items and the next page's token.
pub type Page<T> = (Vec<T>, Option<String>);

/// Pages through a Get* listing (`fetch(next_token)` answers the page, or None when the API is
/// gone) until `matches` picks an item; None when no page holds one.
pub async fn find_in_pages<T, Fetch, Answer>(
    mut fetch: Fetch,
    mut matches: impl FnMut(&T) -> bool,
) -> Result<Option<T>, ProviderError>
where
    Fetch: FnMut(Option<String>) -> Answer,
    Answer: Future<Output = Result<Option<Page<T>>, ProviderError>>,
{
    let mut token = None;
    loop {
        let Some((items, next_token)) = fetch(token.take()).await? else {
            return Ok(None);
        };
        if let Some(item) = items.into_iter().find(|item| matches(item)) {
            return Ok(Some(item));
        }
        match next_token {
            Some(next_token) => token = Some(next_token),
            None => return Ok(None),
        }
    }
}

/// The `Resource` impl of a child of an API (a route, integration, authorizer or
/// deployment): the type's own items (`type_name`, `schema`, `create`, `update`) and the
/// `import` (Terraform's `api-id/child-id`), `read`, `delete` and `recover` every child
/// has, under one `#[async_trait]`. Get<Child> and Delete<Child> take `api_id` and the
/// child's id ("not found" reads as gone, and is fine on delete); recovery pages through
/// Get<Children> for the first item `matches` picks (or finds nothing where a child has
/// nothing to be found by). `attributes` reads any answer of the child's calls (they share
/// getters) into the type's attributes, given the API id and the attributes known so far.
macro_rules! api_child_calls {
    (
        id: $id_setter:ident $child:literal,
        get: $get:ident $get_name:literal,
        delete: $delete:ident $delete_name:literal,
        attributes: |$api:ident, $answer:ident, $known:ident| $attributes:expr,
        recover: { $($recover:tt)* },
        impl Resource for $type:ty { $($items:tt)* }
    ) => {
        #[async_trait::async_trait]
        impl Resource for $type {
        $($items)*

        fn import_id(&self) -> String {
            concat!("API id/", $child, " id (aabbccddee/1122334)").to_string()
        }

        async fn import(
            &self,
            context: &ProviderContext,
            import_id: &str,
        ) -> Result<Option<Attributes>, ProviderError> {
            let parts = $crate::aws::kit::import_id::split(
                import_id,
                '/',
                2,
                concat!("api-id/", $child, "-id"),
            )?;
            let prior = $crate::aws::kit::import_id::prior(&[("api_id", parts[0])]);
            self.read(context, parts[1], &prior).await
        }

        async fn read(
            &self,
            context: &ProviderContext,
            id: &str,
            prior: &Attributes,
        ) -> Result<Option<Attributes>, ProviderError> {
            let api_id = required_string(prior, "api_id")?;
            let output = context
                .aws()
                .apigatewayv2
                .$get()
                .api_id(&api_id)
                .$id_setter(id)
                .send()
                .await
                .map_err(|error| sdk_error($get_name, error))
                .not_found_as_none()?;
            #[allow(unused_variables)]
            let ($api, $known) = (&api_id, prior);
            Ok(output.map(|$answer| $attributes))
        }

        async fn delete(
            &self,
            context: &ProviderContext,
            id: &str,
            prior: &Attributes,
        ) -> Result<(), ProviderError> {
            context
                .aws()
                .apigatewayv2
                .$delete()
                .api_id(required_string(prior, "api_id")?)
                .$id_setter(id)
                .send()
                .await
                .map_err(|error| sdk_error($delete_name, error))
                .gone_is_ok()
        }

        async fn recover(
            &self,
            context: &ProviderContext,
            desired: &Attributes,
        ) -> Result<Option<Attributes>, ProviderError> {
            $crate::aws::apigatewayv2::common::api_child_recover!(
                context, desired, $api, $answer, $known, $attributes; $($recover)*
            )
        }
        }
    };
}
pub(crate) use api_child_calls;

/// The body of `api_child_calls!`'s `recover`: `nothing`, or `list_call "Operation" |item|
/// matches`, where `matches` sees the API id and the desired attributes under the names
/// `attributes` gave them.
macro_rules! api_child_recover {
    (
        $context:ident, $desired:ident, $api:ident, $answer:ident, $known:ident, $attributes:expr;
        nothing
    ) => {{
        let _ = ($context, $desired);
        Ok(None)
    }};
    (
        $context:ident, $desired:ident, $api:ident, $answer:ident, $known:ident, $attributes:expr;
        $list:ident $list_name:literal |$item:ident| $matches:expr
    ) => {{
        let api_id = required_string($desired, "api_id")?;
        let client = &$context.aws().apigatewayv2;
        #[allow(unused_variables)]
        let ($api, $known) = (&api_id, $desired);
        let found = $crate::aws::apigatewayv2::common::find_in_pages(
            |token| {
                let request = client.$list().api_id(&api_id).set_next_token(token);
                async move {
                    request
                        .send()
                        .await
                        .map_err(|error| sdk_error($list_name, error))
                        .not_found_as_none()
                        .map(|page| {
                            page.map(|page| {
                                (page.items().to_vec(), page.next_token().map(str::to_string))
                            })
                        })
                }
            },
            |$item| $matches,
        )
        .await?;
        Ok(found.map(|$answer| $attributes))
    }};
}
pub(crate) use api_child_recover;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_follow_terraform() {
        assert_eq!(
            api_arn("us-east-1", "a1b2"),
            "arn:aws:apigateway:us-east-1::/apis/a1b2"
        );
        assert_eq!(
            execution_arn("cn-north-1", "123456789012", "a1b2"),
            "arn:aws-cn:execute-api:cn-north-1:123456789012:a1b2"
        );
    }

    #[test]
    fn maps_read_back_sorted_and_empty_when_absent() {
        assert_eq!(map_value(None), Value::Map(BTreeMap::new()));
        let cloud = HashMap::from([("b".to_string(), "2".to_string())]);
        assert_eq!(
            map_value(Some(&cloud)),
            Value::Map(BTreeMap::from([("b".to_string(), Value::string("2"))]))
        );
        assert_eq!(text(None), Value::Null);
    }
}
