//! `aws_iam_role`: an IAM role.
//!
//! AWS calls: CreateRole (path, description, max session duration, trust policy and tags in one
//! call; retried for up to 2 minutes while IAM answers `MalformedPolicyDocument: Invalid
//! principal` for a principal that was just created, as Terraform does), GetRole (the trust
//! policy comes back URL-encoded: decoded and compared by meaning, see `common`),
//! UpdateAssumeRolePolicy, UpdateRole (description, max session duration), TagRole / UntagRole,
//! DeleteRole. With `force_detach_policies = true`, delete first lists and detaches managed
//! policies (ListAttachedRolePolicies, DetachRolePolicy) and deletes inline ones
//! (ListRolePolicies, DeleteRolePolicy); otherwise the engine deletes the
//! `aws_iam_role_policy_attachment` / `aws_iam_role_policy` resources first, as they depend on
//! the role. Every delete also removes the role from its instance profiles
//! (ListInstanceProfilesForRole, RemoveRoleFromInstanceProfile), which AWS requires. A
//! `DeleteConflict` right after detaching is retried briefly (IAM eventual consistency).
//!
//! Replacement: a change of `name`, `name_prefix` or `path`. The trust policy, description,
//! max session duration, `force_detach_policies` and tags change in place.
//!
//! Recovery: the name is deterministic (`name`, or `name_prefix` plus a suffix from the
//! idempotency token), so `recover` reads the role by name and adopts it when it carries this
//! stack's `provision:stack` / `provision:address` tags.
//!
//! Drift: `list_managed` is GetResources of the Resource Groups Tagging API (`iam:role`).

use crate::aws::kit::recovery;
use crate::aws::kit::ResultExt;
use crate::aws::kit::policy;
use crate::aws::kit::naming;
use crate::aws::AwsContext;
use async_trait::async_trait;
use aws_sdk_iam::types::Role;

use super::common;
use super::principal;
use crate::aws::kit::sdk_error;
use crate::aws::kit::tags::{split_tags, sync_tags};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct IamRole {
    schema: Schema,
}

impl IamRole {
    pub fn new() -> Self {
        IamRole {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The role name."),
                Attribute::optional_computed("name", AttrType::String)
                    .force_new()
                    .describe("The role name; generated from `name_prefix` when absent."),
                Attribute::optional("name_prefix", AttrType::String).force_new(),
                Attribute::optional("path", AttrType::String)
                    .default("/")
                    .force_new(),
                Attribute::required("assume_role_policy", AttrType::Json)
                    .describe("The trust policy, compared by meaning."),
                Attribute::optional("description", AttrType::String),
                Attribute::optional("max_session_duration", AttrType::Number).default(3600.0),
                Attribute::optional("force_detach_policies", AttrType::Bool)
                    .default(false)
                    .describe("Detach managed and delete inline policies before deleting."),
                Attribute::computed("arn", AttrType::String),
                Attribute::computed("unique_id", AttrType::String),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ]),
        }
    }
}

impl Default for IamRole {
    fn default() -> Self {
        IamRole::new()
    }
}

#[async_trait]
impl Resource for IamRole {
    fn type_name(&self) -> &'static str {
        "aws_iam_role"
    }

    fn import_id(&self) -> String {
        "role name".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn list_managed(
        &self,
        context: &ProviderContext,
        stack: &str,
    ) -> Result<Vec<(String, String)>, ProviderError> {
        use crate::aws::tagging::{list_tagged, ArnId};
        list_tagged(
            context,
            stack,
            self.type_name(),
            "iam:role",
            ArnId::LastSegment,
        )
        .await
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let name = naming::resolve_name(context, desired, 64);
        let policy = policy::policy_document(desired, "assume_role_policy")?;
        let tags = common::iam_tags(&context.tags_for(desired))?;
        let path = path(desired);
        let description = optional_string(desired, "description");
        let max_session = max_session_duration(desired)?;
        let client = &context.aws().iam;
        let output = common::retry(
            "the new role's principals to propagate",
            |error| {
                matches!(error, ProviderError::Aws { code, message, .. }
                    if code == "MalformedPolicyDocument" && message.contains("Invalid principal"))
            },
            || async {
                client
                    .create_role()
                    .role_name(&name)
                    .path(&path)
                    .assume_role_policy_document(&policy)
                    .set_description(description.clone())
                    .max_session_duration(max_session)
                    .set_tags(Some(tags.clone()))
                    .send()
                    .await
                    .map_err(|error| sdk_error("CreateRole", error))
            },
        )
        .await?;
        let role = output.role().ok_or_else(|| {
            ProviderError::Refused(format!("CreateRole for {name} returned no role"))
        })?;
        Ok(role_attributes(context, role, role.tags(), desired))
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let Some(role) = get_role(context, id).await? else {
            return Ok(None);
        };
        Ok(Some(role_attributes(context, &role, role.tags(), prior)))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let client = &context.aws().iam;
        let policy = policy::policy_document(desired, "assume_role_policy")?;
        let prior_policy = prior
            .get("assume_role_policy")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !policy::policies_equivalent(&policy, prior_policy) {
            common::retry(
                "the role's new principals to propagate",
                common::is_propagation_error,
                || async {
                    client
                        .update_assume_role_policy()
                        .role_name(id)
                        .policy_document(&policy)
                        .send()
                        .await
                        .map_err(|error| sdk_error("UpdateAssumeRolePolicy", error))
                },
            )
            .await?;
        }
        let description = optional_string(desired, "description");
        let max_session = max_session_duration(desired)?;
        if description != optional_string(prior, "description")
            || Some(max_session) != max_session_duration(prior).ok()
        {
            client
                .update_role()
                .role_name(id)
                .description(description.unwrap_or_default())
                .max_session_duration(max_session)
                .send()
                .await
                .map_err(|error| sdk_error("UpdateRole", error))?;
        }
        sync_tags(&common::RoleTags, context, id, prior, desired).await?;
        let role = get_role(context, id).await?.ok_or_else(|| {
            ProviderError::Refused(format!("role {id} disappeared during update"))
        })?;
        Ok(role_attributes(context, &role, role.tags(), desired))
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let client = &context.aws().iam;
        if prior
            .get("force_detach_policies")
            .and_then(Value::as_bool)
            .unwrap_or(false)
        {
            principal::detach_all(&principal::Role, context, id).await?;
        }
        let profiles = match client
            .list_instance_profiles_for_role()
            .role_name(id)
            .send()
            .await
        {
            Ok(output) => output.instance_profiles().to_vec(),
            Err(error) => {
                let error = sdk_error("ListInstanceProfilesForRole", error);
                return crate::aws::kit::ok_if_gone(error);
            }
        };
        for profile in profiles {
            ignore_not_found(
                client
                    .remove_role_from_instance_profile()
                    .instance_profile_name(profile.instance_profile_name())
                    .role_name(id)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|error| sdk_error("RemoveRoleFromInstanceProfile", error)),
            )?;
        }
        common::retry(
            "the role's policies to be detached",
            |error| error.code() == Some("DeleteConflict"),
            || async {
                ignore_not_found(
                    client
                        .delete_role()
                        .role_name(id)
                        .send()
                        .await
                        .map(|_| ())
                        .map_err(|error| sdk_error("DeleteRole", error)),
                )
            },
        )
        .await
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let name = naming::resolve_name(context, desired, 64);
        let found = get_role(context, &name).await?;
        let Some(role) = recovery::owned(context, found, |role| common::tags_from_iam(role.tags()))
        else {
            return Ok(None);
        };
        Ok(Some(role_attributes(context, &role, role.tags(), desired)))
    }
}

fn ignore_not_found(result: Result<(), ProviderError>) -> Result<(), ProviderError> {
    result.gone_is_ok()
}

/// GetRole (`None` when the role does not exist).
pub async fn get_role(
    context: &ProviderContext,
    name: &str,
) -> Result<Option<Role>, ProviderError> {
    match context.aws().iam.get_role().role_name(name).send().await {
        Ok(output) => Ok(output.role().cloned()),
        Err(error) => {
            let error = sdk_error("GetRole", error);
            crate::aws::kit::none_if_gone(error)
        }
    }
}

fn optional_string(attributes: &Attributes, name: &str) -> Option<String> {
    attributes
        .get(name)
        .and_then(Value::as_str)
        .filter(|text| !text.is_empty())
        .map(str::to_string)
}

fn path(attributes: &Attributes) -> String {
    optional_string(attributes, "path").unwrap_or_else(|| "/".to_string())
}

fn max_session_duration(attributes: &Attributes) -> Result<i32, ProviderError> {
    match attributes.get("max_session_duration") {
        None | Some(Value::Null) => Ok(3600),
        Some(value) => value
            .as_f64()
            .filter(|seconds| seconds.fract() == 0.0 && (3600.0..=43200.0).contains(seconds))
            .map(|seconds| seconds as i32)
            .ok_or_else(|| {
                ProviderError::invalid(
                    "max_session_duration",
                    "must be a whole number of seconds from 3600 to 43200",
                )
            }),
    }
}

fn role_attributes(
    context: &ProviderContext,
    role: &Role,
    tags: &[aws_sdk_iam::types::Tag],
    prior: &Attributes,
) -> Attributes {
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::string(role.role_name()));
    attributes.insert("name".into(), Value::string(role.role_name()));
    attributes.insert(
        "name_prefix".into(),
        prior.get("name_prefix").cloned().unwrap_or_default(),
    );
    attributes.insert("path".into(), Value::string(role.path()));
    attributes.insert(
        "assume_role_policy".into(),
        role.assume_role_policy_document()
            .map(|document| policy::policy_value(document, prior, "assume_role_policy"))
            .unwrap_or_default(),
    );
    attributes.insert(
        "description".into(),
        role.description()
            .filter(|text| !text.is_empty())
            .map(Value::string)
            .unwrap_or_default(),
    );
    attributes.insert(
        "max_session_duration".into(),
        Value::Number(f64::from(role.max_session_duration().unwrap_or(3600))),
    );
    attributes.insert(
        "force_detach_policies".into(),
        Value::Bool(
            prior
                .get("force_detach_policies")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        ),
    );
    attributes.insert("arn".into(), Value::string(role.arn()));
    attributes.insert("unique_id".into(), Value::string(role.role_id()));
    let (tags, tags_all) = split_tags(context, common::tags_from_iam(tags));
    attributes.insert("tags".into(), tags);
    attributes.insert("tags_all".into(), tags_all);
    attributes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_session_duration_defaults_and_bounds() {
        assert_eq!(max_session_duration(&Attributes::new()).ok(), Some(3600));
        let set = |seconds: f64| -> Attributes {
            [("max_session_duration".to_string(), Value::Number(seconds))]
                .into_iter()
                .collect()
        };
        assert_eq!(max_session_duration(&set(7200.0)).ok(), Some(7200));
        assert!(max_session_duration(&set(60.0)).is_err());
        assert!(max_session_duration(&set(50000.0)).is_err());
    }

    #[test]
    fn schema_replaces_on_name_and_path_only() {
        let role = IamRole::new();
        let schema = role.schema();
        for force_new in ["name", "name_prefix", "path"] {
            assert!(
                schema.attribute(force_new).is_some_and(|a| a.force_new),
                "{force_new}"
            );
        }
        for in_place in [
            "assume_role_policy",
            "description",
            "max_session_duration",
            "force_detach_policies",
            "tags",
        ] {
            assert!(
                schema.attribute(in_place).is_some_and(|a| !a.force_new),
                "{in_place}"
            );
        }
        assert_eq!(
            schema
                .attribute("assume_role_policy")
                .map(|a| a.attr_type.clone()),
            Some(AttrType::Json)
        );
    }
}
