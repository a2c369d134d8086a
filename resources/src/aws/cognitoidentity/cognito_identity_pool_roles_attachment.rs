//! `aws_cognito_identity_pool_roles_attachment`: the IAM roles of a Cognito identity pool (for
//! authenticated and unauthenticated identities) and its role mappings per identity provider.
//! Id = the identity pool id. Not taggable (the pool carries the tags).
//!
//! AWS calls: SetIdentityPoolRoles (create and update: the whole set of roles and mappings each
//! time, an empty mapping map when the spec has none; delete: empty roles and mappings),
//! GetIdentityPoolRoles (read: a pool without roles or mappings, or no pool at all
//! (ResourceNotFoundException), means gone).
//!
//! Replacement: a different `identity_pool_id`; `roles` and `role_mapping` change in place.
//!
//! Checked before any call, as Terraform does: `roles` keys are `authenticated` /
//! `unauthenticated`; a `role_mapping` has `type` `Token` or `Rules` and an
//! `ambiguous_role_resolution` (`AuthenticatedRole` or `Deny`); `Rules` takes 1 to 25
//! `mapping_rule` blocks, `Token` none; `match_type` is `Equals`, `Contains`, `StartsWith` or
//! `NotEqual`; one mapping per identity provider.
//!
//! Recovery: setting the roles is idempotent; `recover` adopts the roles already on the pool
//! only when they are what the spec asks for, else the create sets them again.
//!
//! moto 5.2.1 gap: SetIdentityPoolRoles and GetIdentityPoolRoles both answer HTTP 500 (not
//! implemented), so this type is tested against recorded AWS answers through the replay
//! connector (`resources/tests/contract/cognitoidentity.rs`: the contract, an update in place,
//! and a pool that is gone); the identity pool those tests need is made on moto.

use std::collections::{BTreeMap, HashMap};

use async_trait::async_trait;
use aws_sdk_cognitoidentity::operation::get_identity_pool_roles::GetIdentityPoolRolesOutput;
use aws_sdk_cognitoidentity::types::{
    AmbiguousRoleResolutionType, MappingRule, MappingRuleMatchType, RoleMapping, RoleMappingType,
    RulesConfigurationType,
};

use crate::aws::kit::attributes::{block_value, blocks, non_empty, required_string};
use crate::aws::kit::{sdk_error, ResultExt};
use crate::aws::AwsContext;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

/// The keys `roles` takes.
const ROLE_KINDS: [&str; 2] = ["authenticated", "unauthenticated"];
/// The most `mapping_rule` blocks one `role_mapping` takes.
const MAX_RULES: usize = 25;

pub struct CognitoIdentityPoolRolesAttachment {
    schema: Schema,
}

impl CognitoIdentityPoolRolesAttachment {
    pub fn new() -> Self {
        let string = || AttrType::String;
        CognitoIdentityPoolRolesAttachment {
            schema: Schema::new(vec![
                Attribute::computed("id", string()).describe("The identity pool id."),
                Attribute::required("identity_pool_id", string()).force_new(),
                Attribute::required("roles", AttrType::map_of_strings()),
            ])
            .with_block(NestedBlock {
                name: "role_mapping",
                nesting: BlockNesting::Set,
                schema: Schema::new(vec![
                    Attribute::required("identity_provider", string()),
                    Attribute::optional("ambiguous_role_resolution", string()),
                    Attribute::required("type", string()),
                ])
                .with_block(NestedBlock {
                    name: "mapping_rule",
                    nesting: BlockNesting::List,
                    schema: Schema::new(vec![
                        Attribute::required("claim", string()),
                        Attribute::required("match_type", string()),
                        Attribute::required("role_arn", string()),
                        Attribute::required("value", string()),
                    ]),
                    force_new: false,
                    computed: false,
                }),
                force_new: false,
                computed: false,
            }),
        }
    }
}

impl Default for CognitoIdentityPoolRolesAttachment {
    fn default() -> Self {
        CognitoIdentityPoolRolesAttachment::new()
    }
}

/// What SetIdentityPoolRoles is sent for the spec: the roles by kind and the role mappings by
/// identity provider, checked as the `//!` says.
#[derive(Debug, PartialEq)]
struct RolesSetting {
    roles: HashMap<String, String>,
    mappings: HashMap<String, RoleMapping>,
}

fn one_of<'a>(attribute: &str, value: &'a str, allowed: &[&str]) -> Result<&'a str, ProviderError> {
    if allowed.contains(&value) {
        Ok(value)
    } else {
        Err(ProviderError::invalid(
            attribute,
            format!("is `{value}`; it takes {}", allowed.join(", ")),
        ))
    }
}

fn roles_setting(desired: &Attributes) -> Result<RolesSetting, ProviderError> {
    let mut roles = HashMap::new();
    if let Some(Value::Map(entries)) = desired.get("roles") {
        for (kind, arn) in entries {
            one_of("roles", kind, &ROLE_KINDS)?;
            let arn = arn
                .to_template_string()
                .filter(|arn| !arn.is_empty())
                .ok_or_else(|| {
                    ProviderError::invalid("roles", format!("`{kind}` needs a role ARN"))
                })?;
            roles.insert(kind.clone(), arn);
        }
    }
    let mut mappings = HashMap::new();
    for mapping in blocks(desired, "role_mapping") {
        let provider = required_string(mapping, "identity_provider")?;
        let what = |attribute: &str| format!("role_mapping[{provider}].{attribute}");
        let kind = required_string(mapping, "type")?;
        let kind = one_of(&what("type"), &kind, &["Token", "Rules"])?;
        let resolution = non_empty(mapping, "ambiguous_role_resolution").ok_or_else(|| {
            ProviderError::invalid(
                what("ambiguous_role_resolution"),
                format!("is required when `type` is {kind}"),
            )
        })?;
        let resolution = one_of(
            &what("ambiguous_role_resolution"),
            &resolution,
            &["AuthenticatedRole", "Deny"],
        )?;
        let rules = blocks(mapping, "mapping_rule");
        match (kind, rules.len()) {
            ("Rules", 0) => {
                return Err(ProviderError::invalid(
                    what("mapping_rule"),
                    "is required when `type` is Rules",
                ))
            }
            ("Token", count) if count > 0 => {
                return Err(ProviderError::invalid(
                    what("mapping_rule"),
                    "is not allowed when `type` is Token",
                ))
            }
            (_, count) if count > MAX_RULES => {
                return Err(ProviderError::invalid(
                    what("mapping_rule"),
                    format!("takes at most {MAX_RULES} rules ({count} written)"),
                ))
            }
            _ => {}
        }
        let rules = rules
            .into_iter()
            .map(|rule| {
                let match_type = required_string(rule, "match_type")?;
                let match_type = one_of(
                    &what("mapping_rule.match_type"),
                    &match_type,
                    &["Equals", "Contains", "StartsWith", "NotEqual"],
                )?;
                MappingRule::builder()
                    .claim(required_string(rule, "claim")?)
                    .match_type(MappingRuleMatchType::from(match_type))
                    .value(required_string(rule, "value")?)
                    .role_arn(required_string(rule, "role_arn")?)
                    .build()
                    .map_err(|error| {
                        ProviderError::invalid(what("mapping_rule"), error.to_string())
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let rules_configuration = (!rules.is_empty())
            .then(|| {
                RulesConfigurationType::builder()
                    .set_rules(Some(rules))
                    .build()
                    .map_err(|error| {
                        ProviderError::invalid(what("mapping_rule"), error.to_string())
                    })
            })
            .transpose()?;
        let role_mapping = RoleMapping::builder()
            .r#type(RoleMappingType::from(kind))
            .ambiguous_role_resolution(AmbiguousRoleResolutionType::from(resolution))
            .set_rules_configuration(rules_configuration)
            .build()
            .map_err(|error| ProviderError::invalid("role_mapping", error.to_string()))?;
        if mappings.insert(provider.clone(), role_mapping).is_some() {
            return Err(ProviderError::invalid(
                "role_mapping",
                format!("names the identity provider `{provider}` twice"),
            ));
        }
    }
    if roles.is_empty() && mappings.is_empty() {
        return Err(ProviderError::invalid(
            "roles",
            "needs an `authenticated` or `unauthenticated` role (or a role_mapping)",
        ));
    }
    Ok(RolesSetting { roles, mappings })
}

/// The attachment's attributes from GetIdentityPoolRoles; `None` when the pool has neither
/// roles nor mappings (nothing is attached).
fn roles_attributes(id: &str, output: &GetIdentityPoolRolesOutput) -> Option<Attributes> {
    let roles: BTreeMap<String, Value> = output
        .roles()
        .map(|roles| {
            roles
                .iter()
                .map(|(kind, arn)| (kind.clone(), Value::string(arn)))
                .collect()
        })
        .unwrap_or_default();
    let mut mappings: Vec<(&String, &RoleMapping)> = output
        .role_mappings()
        .map(|mappings| mappings.iter().collect())
        .unwrap_or_default();
    if roles.is_empty() && mappings.is_empty() {
        return None;
    }
    mappings.sort_by(|left, right| left.0.cmp(right.0));
    let role_mapping = block_value(mappings.into_iter().map(|(provider, mapping)| {
        let rules = mapping
            .rules_configuration()
            .map(RulesConfigurationType::rules)
            .unwrap_or_default();
        Attributes::from([
            ("identity_provider".to_string(), Value::string(provider)),
            (
                "ambiguous_role_resolution".to_string(),
                mapping
                    .ambiguous_role_resolution()
                    .map_or(Value::Null, |resolution| Value::string(resolution.as_str())),
            ),
            ("type".to_string(), Value::string(mapping.r#type().as_str())),
            (
                "mapping_rule".to_string(),
                block_value(rules.iter().map(|rule| {
                    Attributes::from([
                        ("claim".to_string(), Value::string(rule.claim())),
                        (
                            "match_type".to_string(),
                            Value::string(rule.match_type().as_str()),
                        ),
                        ("role_arn".to_string(), Value::string(rule.role_arn())),
                        ("value".to_string(), Value::string(rule.value())),
                    ])
                })),
            ),
        ])
    }));
    let pool_id = output.identity_pool_id().unwrap_or(id);
    Some(Attributes::from([
        ("id".to_string(), Value::string(pool_id)),
        ("identity_pool_id".to_string(), Value::string(pool_id)),
        ("roles".to_string(), Value::Map(roles)),
        ("role_mapping".to_string(), role_mapping),
    ]))
}

/// SetIdentityPoolRoles with `setting` (empty: the roles and mappings removed).
async fn set_roles(
    context: &ProviderContext,
    pool_id: &str,
    setting: RolesSetting,
) -> Result<(), ProviderError> {
    context
        .aws()
        .cognitoidentity
        .set_identity_pool_roles()
        .identity_pool_id(pool_id)
        .set_roles(Some(setting.roles))
        .set_role_mappings(Some(setting.mappings))
        .send()
        .await
        .map(|_| ())
        .map_err(|error| sdk_error("SetIdentityPoolRoles", error))
}

/// GetIdentityPoolRoles; `None` when the pool does not exist.
async fn get_roles(
    context: &ProviderContext,
    pool_id: &str,
) -> Result<Option<GetIdentityPoolRolesOutput>, ProviderError> {
    context
        .aws()
        .cognitoidentity
        .get_identity_pool_roles()
        .identity_pool_id(pool_id)
        .send()
        .await
        .map_err(|error| sdk_error("GetIdentityPoolRoles", error))
        .not_found_as_none()
}

#[async_trait]
impl Resource for CognitoIdentityPoolRolesAttachment {
    fn type_name(&self) -> &'static str {
        "aws_cognito_identity_pool_roles_attachment"
    }

    fn import_id(&self) -> String {
        "identity pool id (us-east-1:uuid)".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    /// One read after create: SetIdentityPoolRoles answers nothing: the roles come from a read.
    fn create_answer_is_complete(&self) -> bool {
        false
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let pool_id = required_string(desired, "identity_pool_id")?;
        set_roles(context, &pool_id, roles_setting(desired)?).await?;
        self.read(context, &pool_id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!(
                "the roles of identity pool {pool_id} are not there after SetIdentityPoolRoles"
            ))
        })
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        Ok(get_roles(context, id)
            .await?
            .and_then(|output| roles_attributes(id, &output)))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        set_roles(context, id, roles_setting(desired)?).await?;
        self.read(context, id, prior).await?.ok_or_else(|| {
            ProviderError::Refused(format!(
                "the roles of identity pool {id} disappeared during update"
            ))
        })
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let nothing = RolesSetting {
            roles: HashMap::new(),
            mappings: HashMap::new(),
        };
        set_roles(context, id, nothing).await.gone_is_ok()
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let pool_id = required_string(desired, "identity_pool_id")?;
        let wanted = roles_setting(desired)?;
        let Some(output) = get_roles(context, &pool_id).await? else {
            return Ok(None);
        };
        let attached = RolesSetting {
            roles: output.roles().cloned().unwrap_or_default(),
            mappings: output.role_mappings().cloned().unwrap_or_default(),
        };
        Ok((attached == wanted)
            .then(|| roles_attributes(&pool_id, &output))
            .flatten())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::kit::attributes::map;

    const PROVIDER: &str = "cognito-idp.us-east-1.amazonaws.com/us-east-1_Tv0493apJ:6lhlkkfbfb4q";
    const ROLE: &str = "arn:aws:iam::123456789012:role/identity-authenticated";

    fn rule(match_type: &str) -> Attributes {
        map([
            ("claim", Value::string("isAdmin")),
            ("match_type", Value::string(match_type)),
            ("role_arn", Value::string(ROLE)),
            ("value", Value::string("paid")),
        ])
    }

    fn spec(kind: &str, resolution: Value, rules: Vec<Attributes>) -> Attributes {
        map([
            ("identity_pool_id", Value::string("us-east-1:0f9e4a35")),
            (
                "roles",
                Value::Map(BTreeMap::from([(
                    "authenticated".to_string(),
                    Value::string(ROLE),
                )])),
            ),
            (
                "role_mapping",
                block_value([map([
                    ("identity_provider", Value::string(PROVIDER)),
                    ("type", Value::string(kind)),
                    ("ambiguous_role_resolution", resolution),
                    ("mapping_rule", block_value(rules)),
                ])]),
            ),
        ])
    }

    fn refusal(desired: &Attributes) -> String {
        roles_setting(desired).unwrap_err().to_string()
    }

    #[test]
    fn rules_mappings_become_rules_configurations() {
        let desired = spec(
            "Rules",
            Value::string("Deny"),
            vec![rule("Equals"), rule("StartsWith")],
        );
        let setting = roles_setting(&desired).unwrap();
        assert_eq!(setting.roles["authenticated"], ROLE);
        let mapping = &setting.mappings[PROVIDER];
        assert_eq!(mapping.r#type(), &RoleMappingType::Rules);
        assert_eq!(
            mapping.ambiguous_role_resolution(),
            Some(&AmbiguousRoleResolutionType::Deny)
        );
        let rules = mapping.rules_configuration().unwrap().rules();
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[1].match_type(), &MappingRuleMatchType::StartsWith);
        let token =
            roles_setting(&spec("Token", Value::string("AuthenticatedRole"), vec![])).unwrap();
        assert_eq!(token.mappings[PROVIDER].rules_configuration(), None);
    }

    #[test]
    fn what_aws_would_refuse_is_refused_first() {
        let mut wrong_kind = spec("Token", Value::string("Deny"), vec![]);
        wrong_kind.insert(
            "roles".into(),
            Value::Map(BTreeMap::from([("admin".to_string(), Value::string(ROLE))])),
        );
        assert!(refusal(&wrong_kind).contains("`admin`"));
        assert!(refusal(&spec("Token", Value::Null, vec![])).contains("ambiguous_role_resolution"));
        assert!(refusal(&spec("Rules", Value::string("Deny"), vec![])).contains("mapping_rule"));
        assert!(
            refusal(&spec("Token", Value::string("Deny"), vec![rule("Equals")]))
                .contains("not allowed")
        );
        assert!(
            refusal(&spec("Rules", Value::string("Deny"), vec![rule("Like")])).contains("Like")
        );
        assert!(refusal(&spec("Claims", Value::string("Deny"), vec![])).contains("Claims"));
        assert!(refusal(&spec(
            "Rules",
            Value::string("Deny"),
            (0..26).map(|_| rule("Equals")).collect()
        ))
        .contains("at most 25"));
        let nothing = map([("identity_pool_id", Value::string("us-east-1:0f9e4a35"))]);
        assert!(refusal(&nothing).contains("roles"));
    }

    #[test]
    fn no_roles_and_no_mappings_read_as_gone() {
        let empty = GetIdentityPoolRolesOutput::builder()
            .identity_pool_id("us-east-1:0f9e4a35")
            .set_roles(Some(HashMap::new()))
            .build();
        assert_eq!(roles_attributes("us-east-1:0f9e4a35", &empty), None);
        let setting =
            roles_setting(&spec("Rules", Value::string("Deny"), vec![rule("Equals")])).unwrap();
        let attached = GetIdentityPoolRolesOutput::builder()
            .identity_pool_id("us-east-1:0f9e4a35")
            .set_roles(Some(setting.roles))
            .set_role_mappings(Some(setting.mappings))
            .build();
        let read = roles_attributes("us-east-1:0f9e4a35", &attached).unwrap();
        assert_eq!(read["id"], Value::string("us-east-1:0f9e4a35"));
        let Value::List(mappings) = &read["role_mapping"] else {
            panic!("a block list");
        };
        assert_eq!(
            mappings[0].get("ambiguous_role_resolution"),
            Some(&Value::string("Deny"))
        );
        assert_eq!(
            mappings[0].get("mapping_rule"),
            Some(&block_value([rule("Equals")])),
            "the rule reads back as written"
        );
    }
}
