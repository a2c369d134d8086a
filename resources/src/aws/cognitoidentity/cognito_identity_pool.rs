//! `aws_cognito_identity_pool`: a Cognito identity pool (federated identities). Id = the pool
//! id (`us-east-1:6d3c2a1e-...`: the region and a UUID).
//!
//! AWS calls: CreateIdentityPool (every setting and the tags, `IdentityPoolTags`, in the one
//! call), DescribeIdentityPool (read; it answers the tags too), UpdateIdentityPool (update:
//! AWS resets a setting it is not sent to its default, so the whole configuration is sent, the
//! tags as `IdentityPoolTags`, the providers' lists and maps empty when the spec has none),
//! DeleteIdentityPool, ListIdentityPools (recovery), STS GetCallerIdentity (the account of
//! `arn`, once: later reads keep the ARN they had). Listing for drift: GetResources of the
//! Resource Groups Tagging API (`cognito-identity:identitypool`).
//!
//! Replacement: a change of `identity_pool_name` (as in Terraform) or
//! `developer_provider_name` (AWS cannot change it once set).
//!
//! Recovery: identity pool names are not unique, so a pool of the spec's name is adopted only
//! when its tags carry this stack's and address's `provision:*` tags: ListIdentityPools for
//! the pools of that name, DescribeIdentityPool for each one's tags (`recovery::owned`).
//!
//! moto 5.2.1 gaps:
//! - TagResource, UntagResource and ListTagsForResource answer HTTP 500: the tags travel in
//!   CreateIdentityPool / UpdateIdentityPool only (which AWS takes as the pool's whole tag set),
//!   and are read from DescribeIdentityPool;
//! - `AllowClassicFlow` is neither kept nor answered (a read says false): the contract fixture
//!   leaves it false, and reading it is unit-tested below;
//! - UpdateIdentityPool keeps the old name (moot here: a rename replaces the pool) and ignores
//!   an empty `IdentityPoolTags` (never sent: the `provision:*` tags are always there);
//! - UpdateIdentityPool of a pool that does not exist answers 500, not ResourceNotFound;
//! - GetResources returns no identity pools, so the listing is tested with a recorded answer
//!   (`resources/tests/contract/listing.rs`).

use std::collections::{BTreeMap, HashMap};

use async_trait::async_trait;
use aws_sdk_cognitoidentity::operation::describe_identity_pool::DescribeIdentityPoolOutput;
use aws_sdk_cognitoidentity::types::CognitoIdentityProvider;

use crate::aws::kit::arn::partition;
use crate::aws::kit::attributes::{
    block_value, blocks, non_empty, optional_bool, optional_string, required_string, string_list,
    string_list_value,
};
use crate::aws::kit::recovery::owned;
use crate::aws::kit::tagging::{list_tagged, ArnId};
use crate::aws::kit::tags::put_tags;
use crate::aws::kit::{sdk_error, ResultExt};
use crate::aws::AwsContext;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

pub struct CognitoIdentityPool {
    schema: Schema,
}

impl CognitoIdentityPool {
    pub fn new() -> Self {
        CognitoIdentityPool {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String)
                    .describe("The identity pool id (`REGION:UUID`)."),
                Attribute::required("identity_pool_name", AttrType::String).force_new(),
                Attribute::optional("allow_unauthenticated_identities", AttrType::Bool)
                    .default(false),
                Attribute::optional("allow_classic_flow", AttrType::Bool).default(false),
                Attribute::optional("developer_provider_name", AttrType::String).force_new(),
                Attribute::optional("openid_connect_provider_arns", AttrType::set_of_strings()),
                Attribute::optional("saml_provider_arns", AttrType::list_of_strings()),
                Attribute::optional("supported_login_providers", AttrType::map_of_strings()),
                Attribute::computed("arn", AttrType::String),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ])
            .with_block(NestedBlock {
                name: "cognito_identity_providers",
                nesting: BlockNesting::Set,
                schema: Schema::new(vec![
                    Attribute::optional("client_id", AttrType::String),
                    Attribute::optional("provider_name", AttrType::String),
                    Attribute::optional("server_side_token_check", AttrType::Bool).default(false),
                ]),
                force_new: false,
                computed: false,
            }),
        }
    }
}

impl Default for CognitoIdentityPool {
    fn default() -> Self {
        CognitoIdentityPool::new()
    }
}

/// What CreateIdentityPool and UpdateIdentityPool both send, from the spec.
#[derive(Debug)]
struct Settings {
    name: String,
    allow_unauthenticated: bool,
    allow_classic_flow: bool,
    developer_provider_name: Option<String>,
    supported_login_providers: HashMap<String, String>,
    openid_connect_provider_arns: Vec<String>,
    saml_provider_arns: Vec<String>,
    cognito_identity_providers: Vec<CognitoIdentityProvider>,
    tags: HashMap<String, String>,
}

fn settings(context: &ProviderContext, desired: &Attributes) -> Result<Settings, ProviderError> {
    let supported_login_providers = match desired.get("supported_login_providers") {
        Some(Value::Map(entries)) => entries
            .iter()
            .map(|(provider, app_id)| {
                app_id
                    .to_template_string()
                    .map(|app_id| (provider.clone(), app_id))
                    .ok_or_else(|| {
                        ProviderError::invalid(
                            "supported_login_providers",
                            format!("`{provider}` needs a string value (the app id)"),
                        )
                    })
            })
            .collect::<Result<_, _>>()?,
        _ => HashMap::new(),
    };
    let cognito_identity_providers = blocks(desired, "cognito_identity_providers")
        .into_iter()
        .map(|provider| {
            CognitoIdentityProvider::builder()
                .set_client_id(non_empty(provider, "client_id"))
                .set_provider_name(non_empty(provider, "provider_name"))
                .server_side_token_check(
                    optional_bool(provider, "server_side_token_check").unwrap_or(false),
                )
                .build()
        })
        .collect();
    Ok(Settings {
        name: required_string(desired, "identity_pool_name")?,
        allow_unauthenticated: optional_bool(desired, "allow_unauthenticated_identities")
            .unwrap_or(false),
        allow_classic_flow: optional_bool(desired, "allow_classic_flow").unwrap_or(false),
        developer_provider_name: non_empty(desired, "developer_provider_name"),
        supported_login_providers,
        openid_connect_provider_arns: string_list(desired, "openid_connect_provider_arns"),
        saml_provider_arns: string_list(desired, "saml_provider_arns"),
        cognito_identity_providers,
        tags: context.tags_for(desired).into_iter().collect(),
    })
}

/// `Some(items)` unless empty (what CreateIdentityPool is sent for "none": nothing).
fn unless_empty<T: Default + PartialEq>(items: T) -> Option<T> {
    (items != T::default()).then_some(items)
}

/// The pool's ARN: kept from `prior` when it is this pool's, else built with the caller's
/// account.
async fn pool_arn(
    context: &ProviderContext,
    id: &str,
    prior: &Attributes,
) -> Result<String, ProviderError> {
    let suffix = format!(":identitypool/{id}");
    if let Some(known) = optional_string(prior, "arn").filter(|arn| arn.ends_with(&suffix)) {
        return Ok(known);
    }
    let account = context.aws().caller_account().await?;
    let region = &context.aws().region;
    Ok(format!(
        "arn:{}:cognito-identity:{region}:{account}{suffix}",
        partition(region)
    ))
}

/// The tags DescribeIdentityPool answered.
fn pool_tags(pool: &DescribeIdentityPoolOutput) -> BTreeMap<String, String> {
    pool.identity_pool_tags()
        .map(|tags| {
            tags.iter()
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// A pool's attributes from DescribeIdentityPool (tags and ARN included).
fn pool_attributes(
    context: &ProviderContext,
    pool: &DescribeIdentityPoolOutput,
    arn: String,
) -> Attributes {
    let mut attributes = Attributes::new();
    let mut put = |name: &str, value: Value| {
        attributes.insert(name.to_string(), value);
    };
    put("id", Value::string(pool.identity_pool_id()));
    put(
        "identity_pool_name",
        Value::string(pool.identity_pool_name()),
    );
    put(
        "allow_unauthenticated_identities",
        Value::Bool(pool.allow_unauthenticated_identities()),
    );
    put(
        "allow_classic_flow",
        Value::Bool(pool.allow_classic_flow().unwrap_or(false)),
    );
    put(
        "developer_provider_name",
        pool.developer_provider_name()
            .filter(|name| !name.is_empty())
            .map_or(Value::Null, Value::string),
    );
    put(
        "openid_connect_provider_arns",
        string_list_value(pool.open_id_connect_provider_arns()),
    );
    put(
        "saml_provider_arns",
        string_list_value(pool.saml_provider_arns()),
    );
    put(
        "supported_login_providers",
        Value::Map(
            pool.supported_login_providers()
                .map(|providers| {
                    providers
                        .iter()
                        .map(|(provider, app_id)| (provider.clone(), Value::string(app_id)))
                        .collect()
                })
                .unwrap_or_default(),
        ),
    );
    put(
        "cognito_identity_providers",
        block_value(pool.cognito_identity_providers().iter().map(|provider| {
            let text = |value: Option<&str>| value.map_or(Value::Null, Value::string);
            Attributes::from([
                ("client_id".to_string(), text(provider.client_id())),
                ("provider_name".to_string(), text(provider.provider_name())),
                (
                    "server_side_token_check".to_string(),
                    Value::Bool(provider.server_side_token_check().unwrap_or(false)),
                ),
            ])
        })),
    );
    put("arn", Value::string(arn));
    put_tags(context, &mut attributes, pool_tags(pool));
    attributes
}

/// DescribeIdentityPool; `None` when the pool does not exist.
async fn describe(
    context: &ProviderContext,
    id: &str,
) -> Result<Option<DescribeIdentityPoolOutput>, ProviderError> {
    context
        .aws()
        .cognitoidentity
        .describe_identity_pool()
        .identity_pool_id(id)
        .send()
        .await
        .map_err(|error| sdk_error("DescribeIdentityPool", error))
        .not_found_as_none()
}

#[async_trait]
impl Resource for CognitoIdentityPool {
    fn type_name(&self) -> &'static str {
        "aws_cognito_identity_pool"
    }

    fn import_id(&self) -> String {
        "identity pool id (us-east-1:uuid)".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let settings = settings(context, desired)?;
        let output = context
            .aws()
            .cognitoidentity
            .create_identity_pool()
            .identity_pool_name(settings.name)
            .allow_unauthenticated_identities(settings.allow_unauthenticated)
            .allow_classic_flow(settings.allow_classic_flow)
            .set_developer_provider_name(settings.developer_provider_name)
            .set_supported_login_providers(unless_empty(settings.supported_login_providers))
            .set_open_id_connect_provider_arns(unless_empty(settings.openid_connect_provider_arns))
            .set_saml_provider_arns(unless_empty(settings.saml_provider_arns))
            .set_cognito_identity_providers(unless_empty(settings.cognito_identity_providers))
            .set_identity_pool_tags(Some(settings.tags))
            .send()
            .await
            .map_err(|error| sdk_error("CreateIdentityPool", error))?;
        let id = output.identity_pool_id();
        if id.is_empty() {
            return Err(crate::aws::kit::empty_answer(
                "CreateIdentityPool",
                "identity pool id",
            ));
        }
        self.read(context, id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("identity pool {id} disappeared after create"))
        })
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let Some(pool) = describe(context, id).await? else {
            return Ok(None);
        };
        let arn = pool_arn(context, id, prior).await?;
        Ok(Some(pool_attributes(context, &pool, arn)))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let settings = settings(context, desired)?;
        context
            .aws()
            .cognitoidentity
            .update_identity_pool()
            .identity_pool_id(id)
            .identity_pool_name(settings.name)
            .allow_unauthenticated_identities(settings.allow_unauthenticated)
            .allow_classic_flow(settings.allow_classic_flow)
            .set_developer_provider_name(settings.developer_provider_name)
            .set_supported_login_providers(Some(settings.supported_login_providers))
            .set_open_id_connect_provider_arns(Some(settings.openid_connect_provider_arns))
            .set_saml_provider_arns(Some(settings.saml_provider_arns))
            .set_cognito_identity_providers(Some(settings.cognito_identity_providers))
            .set_identity_pool_tags(Some(settings.tags))
            .send()
            .await
            .map_err(|error| sdk_error("UpdateIdentityPool", error))?;
        self.read(context, id, prior).await?.ok_or_else(|| {
            ProviderError::Refused(format!("identity pool {id} disappeared during update"))
        })
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        context
            .aws()
            .cognitoidentity
            .delete_identity_pool()
            .identity_pool_id(id)
            .send()
            .await
            .map_err(|error| sdk_error("DeleteIdentityPool", error))
            .gone_is_ok()
    }

    async fn list_managed(
        &self,
        context: &ProviderContext,
        stack: &str,
    ) -> Result<Vec<(String, String)>, ProviderError> {
        list_tagged(
            context,
            stack,
            self.type_name(),
            "cognito-identity:identitypool",
            ArnId::LastSegment,
        )
        .await
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let name = required_string(desired, "identity_pool_name")?;
        let mut pages = context
            .aws()
            .cognitoidentity
            .list_identity_pools()
            .max_results(60)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|error| sdk_error("ListIdentityPools", error))?;
            for pool in page.identity_pools() {
                let (Some(id), Some(pool_name)) =
                    (pool.identity_pool_id(), pool.identity_pool_name())
                else {
                    continue;
                };
                if pool_name != name {
                    continue;
                }
                // Names are not unique: only a pool carrying this address's tags is ours.
                if let Some(found) = owned(context, describe(context, id).await?, pool_tags) {
                    let arn = pool_arn(context, id, desired).await?;
                    return Ok(Some(pool_attributes(context, &found, arn)));
                }
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::kit::attributes::map;
    use crate::aws::kit::tags::{ADDRESS_TAG, STACK_TAG};

    fn context() -> ProviderContext {
        let mut context = crate::aws::kit::test_support::context();
        context.stack = "shop".into();
        context.address = "aws_cognito_identity_pool.main".into();
        context.default_tags = BTreeMap::from([("Team".to_string(), "web".to_string())]);
        context
    }

    #[test]
    fn settings_carry_the_providers_and_every_tag() {
        let desired = map([
            ("identity_pool_name", Value::string("shop identities")),
            ("allow_classic_flow", Value::Bool(true)),
            ("developer_provider_name", Value::string("")),
            (
                "supported_login_providers",
                Value::Map(BTreeMap::from([(
                    "graph.facebook.com".to_string(),
                    Value::string("7346241598935555"),
                )])),
            ),
            (
                "cognito_identity_providers",
                block_value([map([
                    ("client_id", Value::string("6lhlkkfbfb4q5kpp90urffae")),
                    (
                        "provider_name",
                        Value::string("cognito-idp.us-east-1.amazonaws.com/us-east-1_Tv0493apJ"),
                    ),
                    ("server_side_token_check", Value::Null),
                ])]),
            ),
            (
                "tags",
                Value::Map(BTreeMap::from([(
                    "Name".to_string(),
                    Value::string("shop"),
                )])),
            ),
        ]);
        let settings = settings(&context(), &desired).unwrap();
        assert!(!settings.allow_unauthenticated);
        assert!(settings.allow_classic_flow);
        assert_eq!(settings.developer_provider_name, None);
        assert_eq!(
            settings.supported_login_providers["graph.facebook.com"],
            "7346241598935555"
        );
        let provider = &settings.cognito_identity_providers[0];
        assert_eq!(provider.client_id(), Some("6lhlkkfbfb4q5kpp90urffae"));
        assert_eq!(provider.server_side_token_check(), Some(false));
        assert!(settings.openid_connect_provider_arns.is_empty());
        assert_eq!(settings.tags["Name"], "shop");
        assert_eq!(settings.tags["Team"], "web");
        assert_eq!(settings.tags[STACK_TAG], "shop");
        assert_eq!(settings.tags[ADDRESS_TAG], "aws_cognito_identity_pool.main");
        assert_eq!(unless_empty(settings.saml_provider_arns), None);
    }

    #[test]
    fn a_description_reads_as_the_schema_says() {
        let pool = DescribeIdentityPoolOutput::builder()
            .identity_pool_id("us-east-1:0f9e4a35-8c1b-4d2e-9a6f-3b7c5d1e2f40")
            .identity_pool_name("shop identities")
            .allow_unauthenticated_identities(false)
            .allow_classic_flow(true)
            .developer_provider_name("")
            .cognito_identity_providers(
                CognitoIdentityProvider::builder()
                    .provider_name("cognito-idp.us-east-1.amazonaws.com/us-east-1_Tv0493apJ")
                    .client_id("6lhlkkfbfb4q5kpp90urffae")
                    .build(),
            )
            .identity_pool_tags("Name", "shop")
            .identity_pool_tags("Team", "web")
            .identity_pool_tags(STACK_TAG, "shop")
            .identity_pool_tags(ADDRESS_TAG, "aws_cognito_identity_pool.main")
            .build()
            .unwrap();
        let read = pool_attributes(&context(), &pool, "arn:aws:cognito-identity:x".into());
        assert_eq!(read["allow_classic_flow"], Value::Bool(true));
        assert_eq!(read["developer_provider_name"], Value::Null);
        assert_eq!(
            read["supported_login_providers"],
            Value::Map(BTreeMap::new())
        );
        assert_eq!(read["saml_provider_arns"], Value::List(Vec::new()));
        let Value::List(providers) = &read["cognito_identity_providers"] else {
            panic!("a block list");
        };
        assert_eq!(
            providers[0].get("server_side_token_check"),
            Some(&Value::Bool(false))
        );
        // `tags` leaves out the default tag of the default value; `tags_all` keeps it.
        let tags = |key: &str| match &read[key] {
            Value::Map(entries) => entries.keys().cloned().collect::<Vec<_>>(),
            _ => panic!("a map"),
        };
        assert_eq!(tags("tags"), ["Name"]);
        assert_eq!(tags("tags_all"), ["Name", "Team"]);
        let ours = owned(&context(), Some(&pool), |pool| pool_tags(pool));
        assert!(ours.is_some(), "the pool carries this address's tags");
        let mut elsewhere = context();
        elsewhere.address = "aws_cognito_identity_pool.other".into();
        assert!(owned(&elsewhere, Some(&pool), |pool| pool_tags(pool)).is_none());
    }
}
