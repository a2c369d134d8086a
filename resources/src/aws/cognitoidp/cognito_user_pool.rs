//! `aws_cognito_user_pool`: a Cognito user pool. Id = the pool id (`us-east-1_AbC123`).
//!
//! AWS calls: CreateUserPool (every setting and the tags, `UserPoolTags`, in the one call),
//! DescribeUserPool and GetUserPoolMfaConfig (read), UpdateUserPool (update: it resets every
//! setting it is not sent, so the whole configuration is sent, tags included as
//! `UserPoolTags`), SetUserPoolMfaConfig (when `software_token_mfa_configuration` is written:
//! before the MFA mode that needs it), DeleteUserPool.
//!
//! Tags travel in CreateUserPool and UpdateUserPool (`UserPoolTags` replaces the pool's tags)
//! and are read from DescribeUserPool, so no TagResource / UntagResource call is needed; moto
//! 5.2.1 answers those (and ListTagsForResource) with HTTP 500, UserPoolTags it serves.
//!
//! Replacement: a change of `name`, `schema` (AWS can only add custom attributes),
//! `username_attributes`, `alias_attributes` or `username_configuration` (not updatable).
//!
//! Supported blocks: `password_policy`, `schema`, `account_recovery_setting`,
//! `admin_create_user_config`, `email_configuration`, `verification_message_template`,
//! `software_token_mfa_configuration`, `username_configuration`. Not yet: `lambda_config`,
//! `sms_configuration`, `device_configuration`, `email_mfa_configuration`,
//! `user_pool_add_ons`, `user_attribute_update_settings`, `sign_in_policy`,
//! `web_authn_configuration` (a spec writing them is refused as unknown).
//!
//! Recovery: by the `provision:*` tags: ListUserPools for pools of the spec's name, then
//! DescribeUserPool for their tags.
//!
//! Drift: `list_managed` is GetResources of the Resource Groups Tagging API
//! (`cognito-idp:userpool`); moto 5.2.1 returns no Cognito pools there, so the listing is
//! tested with a recorded answer (`resources/tests/contract/listing.rs`). moto 5.2.1's
//! UpdateUserPool also resets `UsernameAttributes`, `AliasAttributes` and
//! `UsernameConfiguration` (AWS keeps them: they are set only at creation), so an answer without
//! them keeps the prior values.

use std::collections::{BTreeMap, HashMap};

use async_trait::async_trait;
use aws_sdk_cognitoidentityprovider::types::{
    AccountRecoverySettingType, AdminCreateUserConfigType, AliasAttributeType, AttributeDataType,
    DefaultEmailOptionType, DeletionProtectionType, EmailConfigurationType,
    EmailSendingAccountType, MessageTemplateType, NumberAttributeConstraintsType,
    PasswordPolicyType, RecoveryOptionNameType, RecoveryOptionType, SchemaAttributeType,
    SoftwareTokenMfaConfigType, StringAttributeConstraintsType, UserPoolMfaType,
    UserPoolPolicyType, UserPoolType, UsernameAttributeType, UsernameConfigurationType,
    VerificationMessageTemplateType, VerifiedAttributeType,
};

use crate::aws::kit::attributes::{
    block, block_value, blocks, non_empty, number, optional_bool, optional_i32, optional_string,
    or_prior, required_string, rfc3339, string_list, string_list_value,
};
use crate::aws::kit::errors::ResultExt;
use crate::aws::kit::sdk_error;
use crate::aws::kit::tagging::{list_tagged, ArnId};
use crate::aws::kit::tags::{carries_recovery_tags, split_tags};
use crate::aws::AwsContext;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

pub struct CognitoUserPool {
    schema: Schema,
}

fn single(name: &'static str, attributes: Vec<Attribute>) -> NestedBlock {
    NestedBlock {
        name,
        nesting: BlockNesting::Single,
        schema: Schema::new(attributes),
        force_new: false,
        computed: true,
    }
}

impl CognitoUserPool {
    pub fn new() -> Self {
        let string = || AttrType::String;
        let constraints = |name, low, high| NestedBlock {
            name,
            nesting: BlockNesting::Single,
            schema: Schema::new(vec![
                Attribute::optional_computed(low, AttrType::String),
                Attribute::optional_computed(high, AttrType::String),
            ]),
            force_new: true,
            computed: false,
        };
        CognitoUserPool {
            schema: Schema::new(vec![
                Attribute::computed("id", string()).describe("The user pool id."),
                Attribute::required("name", string()).force_new(),
                Attribute::optional("alias_attributes", AttrType::set_of_strings()).force_new(),
                Attribute::optional("username_attributes", AttrType::set_of_strings()).force_new(),
                Attribute::optional("auto_verified_attributes", AttrType::set_of_strings()),
                Attribute::optional("deletion_protection", string()).default("INACTIVE"),
                Attribute::optional("mfa_configuration", string()).default("OFF"),
                Attribute::optional_computed("email_verification_message", string()),
                Attribute::optional_computed("email_verification_subject", string()),
                Attribute::optional_computed("sms_verification_message", string()),
                Attribute::optional("sms_authentication_message", string()),
                Attribute::computed("arn", string()),
                Attribute::computed("endpoint", string()),
                Attribute::computed("domain", string()),
                Attribute::computed("custom_domain", string()),
                Attribute::computed("creation_date", string()),
                Attribute::computed("last_modified_date", string()),
                Attribute::computed("estimated_number_of_users", AttrType::Number),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ])
            .with_block(single(
                "password_policy",
                vec![
                    Attribute::optional_computed("minimum_length", AttrType::Number),
                    Attribute::optional_computed("password_history_size", AttrType::Number),
                    Attribute::optional_computed("require_lowercase", AttrType::Bool),
                    Attribute::optional_computed("require_numbers", AttrType::Bool),
                    Attribute::optional_computed("require_symbols", AttrType::Bool),
                    Attribute::optional_computed("require_uppercase", AttrType::Bool),
                    Attribute::optional_computed(
                        "temporary_password_validity_days",
                        AttrType::Number,
                    ),
                ],
            ))
            .with_block(NestedBlock {
                name: "schema",
                nesting: BlockNesting::Set,
                schema: Schema::new(vec![
                    Attribute::required("name", string()),
                    Attribute::required("attribute_data_type", string()),
                    Attribute::optional_computed("developer_only_attribute", AttrType::Bool),
                    Attribute::optional_computed("mutable", AttrType::Bool),
                    Attribute::optional_computed("required", AttrType::Bool),
                ])
                .with_block(constraints(
                    "number_attribute_constraints",
                    "min_value",
                    "max_value",
                ))
                .with_block(constraints(
                    "string_attribute_constraints",
                    "min_length",
                    "max_length",
                )),
                force_new: true,
                computed: false,
            })
            .with_block(NestedBlock {
                name: "account_recovery_setting",
                nesting: BlockNesting::Single,
                schema: Schema::default().with_block(NestedBlock {
                    name: "recovery_mechanism",
                    nesting: BlockNesting::Set,
                    schema: Schema::new(vec![
                        Attribute::required("name", string()),
                        Attribute::required("priority", AttrType::Number),
                    ]),
                    force_new: false,
                    computed: false,
                }),
                force_new: false,
                computed: true,
            })
            .with_block(
                single(
                    "admin_create_user_config",
                    vec![Attribute::optional_computed(
                        "allow_admin_create_user_only",
                        AttrType::Bool,
                    )],
                )
                .with_schema_block(single(
                    "invite_message_template",
                    vec![
                        Attribute::optional_computed("email_message", string()),
                        Attribute::optional_computed("email_subject", string()),
                        Attribute::optional_computed("sms_message", string()),
                    ],
                )),
            )
            .with_block(single(
                "email_configuration",
                vec![
                    Attribute::optional_computed("configuration_set", string()),
                    Attribute::optional_computed("email_sending_account", string()),
                    Attribute::optional_computed("from_email_address", string()),
                    Attribute::optional_computed("reply_to_email_address", string()),
                    Attribute::optional_computed("source_arn", string()),
                ],
            ))
            .with_block(single(
                "verification_message_template",
                vec![
                    Attribute::optional_computed("default_email_option", string()),
                    Attribute::optional_computed("email_message", string()),
                    Attribute::optional_computed("email_message_by_link", string()),
                    Attribute::optional_computed("email_subject", string()),
                    Attribute::optional_computed("email_subject_by_link", string()),
                    Attribute::optional_computed("sms_message", string()),
                ],
            ))
            .with_block(NestedBlock {
                computed: false,
                ..single(
                    "software_token_mfa_configuration",
                    vec![Attribute::required("enabled", AttrType::Bool)],
                )
            })
            .with_block(NestedBlock {
                force_new: true,
                ..single(
                    "username_configuration",
                    vec![Attribute::optional_computed(
                        "case_sensitive",
                        AttrType::Bool,
                    )],
                )
            }),
        }
    }
}

trait WithSchemaBlock {
    fn with_schema_block(self, inner: NestedBlock) -> NestedBlock;
}

impl WithSchemaBlock for NestedBlock {
    fn with_schema_block(mut self, inner: NestedBlock) -> NestedBlock {
        self.schema = self.schema.with_block(inner);
        self
    }
}

impl Default for CognitoUserPool {
    fn default() -> Self {
        CognitoUserPool::new()
    }
}

/// The settings CreateUserPool and UpdateUserPool share, from the spec.
struct Settings {
    policies: Option<UserPoolPolicyType>,
    auto_verified: Vec<VerifiedAttributeType>,
    deletion_protection: DeletionProtectionType,
    mfa: UserPoolMfaType,
    email_verification_message: Option<String>,
    email_verification_subject: Option<String>,
    sms_verification_message: Option<String>,
    sms_authentication_message: Option<String>,
    verification_template: Option<VerificationMessageTemplateType>,
    email_configuration: Option<EmailConfigurationType>,
    admin_create_user: Option<AdminCreateUserConfigType>,
    account_recovery: Option<AccountRecoverySettingType>,
    tags: HashMap<String, String>,
}

fn settings(context: &ProviderContext, desired: &Attributes) -> Result<Settings, ProviderError> {
    let policies = block(desired, "password_policy")
        .map(|policy| -> Result<_, ProviderError> {
            Ok(UserPoolPolicyType::builder()
                .password_policy(
                    PasswordPolicyType::builder()
                        .set_minimum_length(optional_i32(policy, "minimum_length")?)
                        .set_password_history_size(optional_i32(policy, "password_history_size")?)
                        .set_require_lowercase(optional_bool(policy, "require_lowercase"))
                        .set_require_numbers(optional_bool(policy, "require_numbers"))
                        .set_require_symbols(optional_bool(policy, "require_symbols"))
                        .set_require_uppercase(optional_bool(policy, "require_uppercase"))
                        .set_temporary_password_validity_days(optional_i32(
                            policy,
                            "temporary_password_validity_days",
                        )?)
                        .build(),
                )
                .build())
        })
        .transpose()?;
    let verification_template = block(desired, "verification_message_template").map(|template| {
        VerificationMessageTemplateType::builder()
            .set_default_email_option(
                non_empty(template, "default_email_option")
                    .map(|option| DefaultEmailOptionType::from(option.as_str())),
            )
            .set_email_message(non_empty(template, "email_message"))
            .set_email_message_by_link(non_empty(template, "email_message_by_link"))
            .set_email_subject(non_empty(template, "email_subject"))
            .set_email_subject_by_link(non_empty(template, "email_subject_by_link"))
            .set_sms_message(non_empty(template, "sms_message"))
            .build()
    });
    let email_configuration = block(desired, "email_configuration").map(|email| {
        EmailConfigurationType::builder()
            .set_configuration_set(non_empty(email, "configuration_set"))
            .set_email_sending_account(
                non_empty(email, "email_sending_account")
                    .map(|account| EmailSendingAccountType::from(account.as_str())),
            )
            .set_from(non_empty(email, "from_email_address"))
            .set_reply_to_email_address(non_empty(email, "reply_to_email_address"))
            .set_source_arn(non_empty(email, "source_arn"))
            .build()
    });
    let admin_create_user = block(desired, "admin_create_user_config").map(|config| {
        AdminCreateUserConfigType::builder()
            .set_allow_admin_create_user_only(optional_bool(config, "allow_admin_create_user_only"))
            .set_invite_message_template(block(config, "invite_message_template").map(|template| {
                MessageTemplateType::builder()
                    .set_email_message(non_empty(template, "email_message"))
                    .set_email_subject(non_empty(template, "email_subject"))
                    .set_sms_message(non_empty(template, "sms_message"))
                    .build()
            }))
            .build()
    });
    let account_recovery = block(desired, "account_recovery_setting")
        .map(|setting| -> Result<_, ProviderError> {
            let mechanisms = blocks(setting, "recovery_mechanism")
                .into_iter()
                .map(|mechanism| {
                    RecoveryOptionType::builder()
                        .name(RecoveryOptionNameType::from(
                            required_string(mechanism, "name")?.as_str(),
                        ))
                        .set_priority(optional_i32(mechanism, "priority")?)
                        .build()
                        .map_err(|error| {
                            ProviderError::invalid("account_recovery_setting", error.to_string())
                        })
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(AccountRecoverySettingType::builder()
                .set_recovery_mechanisms(Some(mechanisms))
                .build())
        })
        .transpose()?;
    Ok(Settings {
        policies,
        auto_verified: string_list(desired, "auto_verified_attributes")
            .iter()
            .map(|name| VerifiedAttributeType::from(name.as_str()))
            .collect(),
        deletion_protection: DeletionProtectionType::from(
            non_empty(desired, "deletion_protection")
                .unwrap_or_else(|| "INACTIVE".into())
                .as_str(),
        ),
        mfa: UserPoolMfaType::from(
            non_empty(desired, "mfa_configuration")
                .unwrap_or_else(|| "OFF".into())
                .as_str(),
        ),
        email_verification_message: non_empty(desired, "email_verification_message"),
        email_verification_subject: non_empty(desired, "email_verification_subject"),
        sms_verification_message: non_empty(desired, "sms_verification_message"),
        sms_authentication_message: non_empty(desired, "sms_authentication_message"),
        verification_template,
        email_configuration,
        admin_create_user,
        account_recovery,
        tags: context.tags_for(desired).into_iter().collect(),
    })
}

/// The `schema` blocks as AWS attributes (custom names without their `custom:` prefix).
fn schema_attributes(desired: &Attributes) -> Result<Vec<SchemaAttributeType>, ProviderError> {
    blocks(desired, "schema")
        .into_iter()
        .map(|attribute| {
            let number = block(attribute, "number_attribute_constraints").map(|limits| {
                NumberAttributeConstraintsType::builder()
                    .set_min_value(non_empty(limits, "min_value"))
                    .set_max_value(non_empty(limits, "max_value"))
                    .build()
            });
            let string = block(attribute, "string_attribute_constraints").map(|limits| {
                StringAttributeConstraintsType::builder()
                    .set_min_length(non_empty(limits, "min_length"))
                    .set_max_length(non_empty(limits, "max_length"))
                    .build()
            });
            Ok(SchemaAttributeType::builder()
                .name(required_string(attribute, "name")?)
                .attribute_data_type(AttributeDataType::from(
                    required_string(attribute, "attribute_data_type")?.as_str(),
                ))
                .set_developer_only_attribute(optional_bool(attribute, "developer_only_attribute"))
                .set_mutable(optional_bool(attribute, "mutable"))
                .set_required(optional_bool(attribute, "required"))
                .set_number_attribute_constraints(number)
                .set_string_attribute_constraints(string)
                .build())
        })
        .collect()
}

fn software_token(desired: &Attributes) -> Option<bool> {
    block(desired, "software_token_mfa_configuration")
        .and_then(|config| optional_bool(config, "enabled"))
}

#[async_trait]
impl Resource for CognitoUserPool {
    fn type_name(&self) -> &'static str {
        "aws_cognito_user_pool"
    }

    fn import_id(&self) -> String {
        "user pool id (us-east-1_…)".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let client = &context.aws().cognitoidp;
        let settings = settings(context, desired)?;
        let token = software_token(desired);
        let username_configuration = block(desired, "username_configuration")
            .map(|config| {
                UsernameConfigurationType::builder()
                    .set_case_sensitive(optional_bool(config, "case_sensitive"))
                    .build()
                    .map_err(|error| {
                        ProviderError::invalid("username_configuration", error.to_string())
                    })
            })
            .transpose()?;
        let output = client
            .create_user_pool()
            .pool_name(required_string(desired, "name")?)
            .set_policies(settings.policies)
            .set_schema(Some(schema_attributes(desired)?).filter(|schema| !schema.is_empty()))
            .set_auto_verified_attributes(Some(settings.auto_verified))
            .set_alias_attributes(Some(
                string_list(desired, "alias_attributes")
                    .iter()
                    .map(|name| AliasAttributeType::from(name.as_str()))
                    .collect(),
            ))
            .set_username_attributes(Some(
                string_list(desired, "username_attributes")
                    .iter()
                    .map(|name| UsernameAttributeType::from(name.as_str()))
                    .collect(),
            ))
            .deletion_protection(settings.deletion_protection)
            // An MFA mode that needs the software token is set with it, after create.
            .set_mfa_configuration(token.is_none().then_some(settings.mfa.clone()))
            .set_email_verification_message(settings.email_verification_message)
            .set_email_verification_subject(settings.email_verification_subject)
            .set_sms_verification_message(settings.sms_verification_message)
            .set_sms_authentication_message(settings.sms_authentication_message)
            .set_verification_message_template(settings.verification_template)
            .set_email_configuration(settings.email_configuration)
            .set_admin_create_user_config(settings.admin_create_user)
            .set_account_recovery_setting(settings.account_recovery)
            .set_username_configuration(username_configuration)
            .set_user_pool_tags(Some(settings.tags))
            .send()
            .await
            .map_err(|error| sdk_error("CreateUserPool", error))?;
        let id = output
            .user_pool()
            .and_then(UserPoolType::id)
            .ok_or_else(|| crate::aws::kit::empty_answer("CreateUserPool", "user pool id"))?
            .to_string();
        if let Some(enabled) = token {
            set_mfa(context, &id, settings.mfa, enabled).await?;
        }
        self.read(context, &id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("user pool {id} disappeared after create"))
        })
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let client = &context.aws().cognitoidp;
        let Some(output) = client
            .describe_user_pool()
            .user_pool_id(id)
            .send()
            .await
            .map_err(|error| sdk_error("DescribeUserPool", error))
            .not_found_as_none()?
        else {
            return Ok(None);
        };
        let Some(pool) = output.user_pool() else {
            return Ok(None);
        };
        let Some(mfa) = client
            .get_user_pool_mfa_config()
            .user_pool_id(id)
            .send()
            .await
            .map_err(|error| sdk_error("GetUserPoolMfaConfig", error))
            .not_found_as_none()?
        else {
            return Ok(None);
        };
        let mut attributes = pool_attributes(&context.aws().region, pool, prior);
        attributes.insert(
            "software_token_mfa_configuration".into(),
            block_value(
                mfa.software_token_mfa_configuration()
                    .filter(|config| {
                        config.enabled()
                            || block(prior, "software_token_mfa_configuration").is_some()
                    })
                    .map(|config| {
                        Attributes::from([("enabled".to_string(), Value::Bool(config.enabled()))])
                    }),
            ),
        );
        let tags = pool
            .user_pool_tags()
            .map(|tags| {
                tags.iter()
                    .map(|(key, value)| (key.clone(), value.clone()))
                    .collect::<BTreeMap<_, _>>()
            })
            .unwrap_or_default();
        let (user, all) = split_tags(context, tags);
        attributes.insert("tags".into(), user);
        attributes.insert("tags_all".into(), all);
        Ok(Some(attributes))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let settings = settings(context, desired)?;
        let token = software_token(desired);
        if token.is_some() && token != software_token(prior) {
            set_mfa(context, id, settings.mfa.clone(), token.unwrap_or(false)).await?;
        }
        context
            .aws()
            .cognitoidp
            .update_user_pool()
            .user_pool_id(id)
            .set_policies(settings.policies)
            .set_auto_verified_attributes(Some(settings.auto_verified))
            .deletion_protection(settings.deletion_protection)
            .mfa_configuration(settings.mfa)
            .set_email_verification_message(settings.email_verification_message)
            .set_email_verification_subject(settings.email_verification_subject)
            .set_sms_verification_message(settings.sms_verification_message)
            .set_sms_authentication_message(settings.sms_authentication_message)
            .set_verification_message_template(settings.verification_template)
            .set_email_configuration(settings.email_configuration)
            .set_admin_create_user_config(settings.admin_create_user)
            .set_account_recovery_setting(settings.account_recovery)
            .set_user_pool_tags(Some(settings.tags))
            .send()
            .await
            .map_err(|error| sdk_error("UpdateUserPool", error))?;
        self.read(context, id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("user pool {id} disappeared during update"))
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
            .cognitoidp
            .delete_user_pool()
            .user_pool_id(id)
            .send()
            .await
            .map_err(|error| sdk_error("DeleteUserPool", error))
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
            "cognito-idp:userpool",
            ArnId::LastSegment,
        )
        .await
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let name = required_string(desired, "name")?;
        let client = &context.aws().cognitoidp;
        let mut pages = client
            .list_user_pools()
            .max_results(60)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|error| sdk_error("ListUserPools", error))?;
            for pool in page.user_pools() {
                let (Some(id), Some(pool_name)) = (pool.id(), pool.name()) else {
                    continue;
                };
                if pool_name != name {
                    continue;
                }
                let Some(output) = client
                    .describe_user_pool()
                    .user_pool_id(id)
                    .send()
                    .await
                    .map_err(|error| sdk_error("DescribeUserPool", error))
                    .not_found_as_none()?
                else {
                    continue;
                };
                let tags: BTreeMap<String, String> = output
                    .user_pool()
                    .and_then(UserPoolType::user_pool_tags)
                    .map(|tags| tags.clone().into_iter().collect())
                    .unwrap_or_default();
                if carries_recovery_tags(context, &tags) {
                    return self.read(context, id, desired).await;
                }
            }
        }
        Ok(None)
    }
}

async fn set_mfa(
    context: &ProviderContext,
    id: &str,
    mfa: UserPoolMfaType,
    software_token: bool,
) -> Result<(), ProviderError> {
    context
        .aws()
        .cognitoidp
        .set_user_pool_mfa_config()
        .user_pool_id(id)
        .mfa_configuration(mfa)
        .software_token_mfa_configuration(
            SoftwareTokenMfaConfigType::builder()
                .enabled(software_token)
                .build(),
        )
        .send()
        .await
        .map(|_| ())
        .map_err(|error| sdk_error("SetUserPoolMfaConfig", error))
}

fn text(value: Option<&str>) -> Value {
    value.map_or(Value::Null, Value::string)
}

fn strings<T: AsRef<str>>(items: &[T]) -> Value {
    string_list_value(items.iter().map(AsRef::as_ref))
}

/// A user pool's attributes from DescribeUserPool (all but the MFA token block and tags).
fn pool_attributes(region: &str, pool: &UserPoolType, prior: &Attributes) -> Attributes {
    let id = pool.id().unwrap_or_default();
    let mut attributes = Attributes::new();
    let mut put = |name: &str, value: Value| {
        attributes.insert(name.to_string(), value);
    };
    put("id", Value::string(id));
    put("name", text(pool.name()));
    put("arn", text(pool.arn()));
    put(
        "endpoint",
        Value::string(format!("cognito-idp.{region}.amazonaws.com/{id}")),
    );
    put("domain", text(pool.domain()));
    put("custom_domain", text(pool.custom_domain()));
    put("creation_date", rfc3339(pool.creation_date()));
    put("last_modified_date", rfc3339(pool.last_modified_date()));
    put(
        "estimated_number_of_users",
        Value::Number(f64::from(pool.estimated_number_of_users())),
    );
    // Set only at creation; moto 5.2.1's UpdateUserPool resets them (AWS keeps them): an
    // answer without them keeps the prior values.
    let kept = |found: Value, name: &str| match &found {
        Value::List(items) if items.is_empty() => or_prior(None, prior, name),
        _ => found,
    };
    put(
        "alias_attributes",
        kept(strings(pool.alias_attributes()), "alias_attributes"),
    );
    put(
        "username_attributes",
        kept(strings(pool.username_attributes()), "username_attributes"),
    );
    put(
        "auto_verified_attributes",
        strings(pool.auto_verified_attributes()),
    );
    put(
        "deletion_protection",
        Value::string(
            pool.deletion_protection()
                .map_or("INACTIVE", DeletionProtectionType::as_str),
        ),
    );
    put(
        "mfa_configuration",
        Value::string(
            pool.mfa_configuration()
                .map_or("OFF", UserPoolMfaType::as_str),
        ),
    );
    put(
        "email_verification_message",
        text(pool.email_verification_message()),
    );
    put(
        "email_verification_subject",
        text(pool.email_verification_subject()),
    );
    put(
        "sms_verification_message",
        text(pool.sms_verification_message()),
    );
    put(
        "sms_authentication_message",
        text(pool.sms_authentication_message()),
    );
    put(
        "password_policy",
        block_value(
            pool.policies()
                .and_then(UserPoolPolicyType::password_policy)
                .map(|policy| {
                    Attributes::from([
                        ("minimum_length".into(), number(policy.minimum_length())),
                        (
                            "password_history_size".into(),
                            number(policy.password_history_size()),
                        ),
                        (
                            "require_lowercase".into(),
                            Value::Bool(policy.require_lowercase()),
                        ),
                        (
                            "require_numbers".into(),
                            Value::Bool(policy.require_numbers()),
                        ),
                        (
                            "require_symbols".into(),
                            Value::Bool(policy.require_symbols()),
                        ),
                        (
                            "require_uppercase".into(),
                            Value::Bool(policy.require_uppercase()),
                        ),
                        (
                            "temporary_password_validity_days".into(),
                            number(Some(policy.temporary_password_validity_days())),
                        ),
                    ])
                }),
        ),
    );
    put("schema", schema_value(pool.schema_attributes(), prior));
    put(
        "account_recovery_setting",
        block_value(pool.account_recovery_setting().map(|setting| {
            Attributes::from([(
                "recovery_mechanism".into(),
                block_value(setting.recovery_mechanisms().iter().map(|mechanism| {
                    Attributes::from([
                        ("name".into(), Value::string(mechanism.name().as_str())),
                        ("priority".into(), number(Some(mechanism.priority()))),
                    ])
                })),
            )])
        })),
    );
    put(
        "admin_create_user_config",
        block_value(pool.admin_create_user_config().map(|config| {
            Attributes::from([
                (
                    "allow_admin_create_user_only".into(),
                    Value::Bool(config.allow_admin_create_user_only()),
                ),
                (
                    "invite_message_template".into(),
                    block_value(config.invite_message_template().map(|template| {
                        Attributes::from([
                            ("email_message".into(), text(template.email_message())),
                            ("email_subject".into(), text(template.email_subject())),
                            ("sms_message".into(), text(template.sms_message())),
                        ])
                    })),
                ),
            ])
        })),
    );
    put(
        "email_configuration",
        block_value(pool.email_configuration().map(|email| {
            Attributes::from([
                ("configuration_set".into(), text(email.configuration_set())),
                (
                    "email_sending_account".into(),
                    text(
                        email
                            .email_sending_account()
                            .map(EmailSendingAccountType::as_str),
                    ),
                ),
                ("from_email_address".into(), text(email.from())),
                (
                    "reply_to_email_address".into(),
                    text(email.reply_to_email_address()),
                ),
                ("source_arn".into(), text(email.source_arn())),
            ])
        })),
    );
    put(
        "verification_message_template",
        block_value(pool.verification_message_template().map(|template| {
            Attributes::from([
                (
                    "default_email_option".into(),
                    text(
                        template
                            .default_email_option()
                            .map(DefaultEmailOptionType::as_str),
                    ),
                ),
                ("email_message".into(), text(template.email_message())),
                (
                    "email_message_by_link".into(),
                    text(template.email_message_by_link()),
                ),
                ("email_subject".into(), text(template.email_subject())),
                (
                    "email_subject_by_link".into(),
                    text(template.email_subject_by_link()),
                ),
                ("sms_message".into(), text(template.sms_message())),
            ])
        })),
    );
    put(
        "username_configuration",
        kept(
            block_value(pool.username_configuration().map(|config| {
                Attributes::from([(
                    "case_sensitive".into(),
                    Value::Bool(config.case_sensitive()),
                )])
            })),
            "username_configuration",
        ),
    );
    attributes
}

fn number_or_bool(value: Option<bool>) -> Value {
    value.map_or(Value::Null, Value::Bool)
}

/// The pool's schema attributes that the spec writes (AWS answers every standard attribute
/// too; custom ones come back as `custom:NAME`).
fn schema_value(cloud: &[SchemaAttributeType], prior: &Attributes) -> Value {
    let written: Vec<String> = blocks(prior, "schema")
        .into_iter()
        .filter_map(|attribute| optional_string(attribute, "name"))
        .collect();
    block_value(cloud.iter().filter_map(|attribute| {
        let full = attribute.name()?;
        let name = full.strip_prefix("custom:").unwrap_or(full);
        if !written.iter().any(|wanted| wanted == name) {
            return None;
        }
        let number = attribute.number_attribute_constraints().map(|limits| {
            Attributes::from([
                ("min_value".into(), text(limits.min_value())),
                ("max_value".into(), text(limits.max_value())),
            ])
        });
        let string = attribute.string_attribute_constraints().map(|limits| {
            Attributes::from([
                ("min_length".into(), text(limits.min_length())),
                ("max_length".into(), text(limits.max_length())),
            ])
        });
        Some(Attributes::from([
            ("name".into(), Value::string(name)),
            (
                "attribute_data_type".into(),
                text(
                    attribute
                        .attribute_data_type()
                        .map(AttributeDataType::as_str),
                ),
            ),
            (
                "developer_only_attribute".into(),
                number_or_bool(attribute.developer_only_attribute()),
            ),
            ("mutable".into(), number_or_bool(attribute.mutable())),
            ("required".into(), number_or_bool(attribute.required())),
            ("number_attribute_constraints".into(), block_value(number)),
            ("string_attribute_constraints".into(), block_value(string)),
        ]))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::kit::attributes::map;

    #[test]
    fn only_written_schema_attributes_are_read_and_custom_loses_its_prefix() {
        let cloud = [
            SchemaAttributeType::builder()
                .name("email")
                .attribute_data_type(AttributeDataType::String)
                .required(true)
                .build(),
            SchemaAttributeType::builder()
                .name("custom:team")
                .attribute_data_type(AttributeDataType::String)
                .build(),
            SchemaAttributeType::builder()
                .name("phone_number")
                .attribute_data_type(AttributeDataType::String)
                .build(),
        ];
        let prior = map([(
            "schema",
            block_value([
                map([("name", Value::string("email"))]),
                map([("name", Value::string("team"))]),
            ]),
        )]);
        let Value::List(read) = schema_value(&cloud, &prior) else {
            panic!("a list");
        };
        let names: Vec<_> = read
            .iter()
            .filter_map(|item| item.get("name").and_then(Value::as_str))
            .collect();
        assert_eq!(names, ["email", "team"]);
        assert_eq!(read[0].get("required"), Some(&Value::Bool(true)));
    }

    #[test]
    fn settings_carry_the_password_policy_and_defaults() {
        let desired = map([(
            "password_policy",
            block_value([map([("minimum_length", Value::Number(12.0))])]),
        )]);
        let settings = settings(&crate::aws::kit::test_support::context(), &desired).unwrap();
        let policy = settings.policies.unwrap().password_policy.unwrap();
        assert_eq!(policy.minimum_length(), Some(12));
        assert!(!policy.require_symbols());
        assert_eq!(settings.mfa, UserPoolMfaType::Off);
        assert_eq!(
            settings.deletion_protection,
            DeletionProtectionType::Inactive
        );
    }
}
