//! The principal an inline policy or a managed-policy attachment belongs to: an IAM user or a
//! role. `aws_iam_user_policy` and `aws_iam_role_policy` are one [`InlinePolicy`] over it, the
//! two `*_policy_attachment` types one [`PolicyAttachment`]; each type's file implements
//! [`InlinePolicies`] or [`AttachedPolicies`] for its principal (the SDK calls that differ,
//! from one `inline_policies!` / `attached_policies!` annotation). [`detach_all`] serves a
//! role's `force_detach_policies` and a user's `force_destroy`.

use async_trait::async_trait;

use super::common;
use crate::aws::kit::policy;
use crate::aws::kit::{attributes, naming, ResultExt};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

/// An IAM user, as the principal of a policy.
#[derive(Default)]
pub struct User;

/// An IAM role, as the principal of a policy.
#[derive(Default)]
pub struct Role;

/// What names a principal in a policy type's attributes.
pub trait Principal: Default + Send + Sync + 'static {
    /// The attribute that names the principal, also its word in messages: `user`, `role`.
    const ATTRIBUTE: &'static str;
    /// That attribute's description.
    const DESCRIPTION: &'static str;
}

impl Principal for User {
    const ATTRIBUTE: &'static str = "user";
    const DESCRIPTION: &'static str = "The user name.";
}

impl Principal for Role {
    const ATTRIBUTE: &'static str = "role";
    const DESCRIPTION: &'static str = "The role name.";
}

/// One page of a listing: the names (or ARNs) and the marker of the next page.
pub struct Page {
    pub items: Vec<String>,
    pub next: Option<String>,
}

/// A principal's inline-policy calls (each error already an `sdk_error` naming its call).
#[async_trait]
pub trait InlinePolicies: Principal {
    /// The type name (`aws_iam_user_policy`).
    const TYPE_NAME: &'static str;
    /// The `id` attribute's description (`` `user:name`. ``).
    const ID_DESCRIPTION: &'static str;
    /// Put*Policy: creates or replaces the policy `name` of `principal`.
    async fn put(
        &self,
        context: &ProviderContext,
        principal: &str,
        name: &str,
        document: &str,
    ) -> Result<(), ProviderError>;
    /// Get*Policy: the policy document (URL-encoded, as IAM returns it).
    async fn get(
        &self,
        context: &ProviderContext,
        principal: &str,
        name: &str,
    ) -> Result<String, ProviderError>;
    /// Delete*Policy.
    async fn delete(
        &self,
        context: &ProviderContext,
        principal: &str,
        name: &str,
    ) -> Result<(), ProviderError>;
    /// List*Policies: one page of the principal's inline policy names.
    async fn list(
        &self,
        context: &ProviderContext,
        principal: &str,
        marker: Option<String>,
    ) -> Result<Page, ProviderError>;
}

/// A principal's managed-policy attachment calls (each error already an `sdk_error`).
#[async_trait]
pub trait AttachedPolicies: Principal {
    /// The type name (`aws_iam_user_policy_attachment`).
    const TYPE_NAME: &'static str;
    /// The `id` attribute's description (`` `user/policy_arn`. ``).
    const ID_DESCRIPTION: &'static str;
    /// Attach*Policy.
    async fn attach(
        &self,
        context: &ProviderContext,
        principal: &str,
        policy_arn: &str,
    ) -> Result<(), ProviderError>;
    /// Detach*Policy.
    async fn detach(
        &self,
        context: &ProviderContext,
        principal: &str,
        policy_arn: &str,
    ) -> Result<(), ProviderError>;
    /// ListAttached*Policies: one page of the ARNs attached to the principal.
    async fn list_attached(
        &self,
        context: &ProviderContext,
        principal: &str,
        marker: Option<String>,
    ) -> Result<Page, ProviderError>;
}

/// One IAM call on a principal whose answer is only success: `$method` with the `setter(value)`
/// pairs given, its error named `$op`. The unit calls of [`inline_policies!`] and
/// [`attached_policies!`].
macro_rules! principal_call {
    ($context:expr, $method:ident, $op:expr, $($setter:ident($value:expr)),+ $(,)?) => {{
        use $crate::aws::AwsContext as _;
        $context
            .aws()
            .iam
            .$method()
            $(.$setter($value))+
            .send()
            .await
            .map(|_| ())
            .map_err(|error| $crate::aws::kit::sdk_error($op, error))
    }};
}
pub(crate) use principal_call;

/// Implements [`InlinePolicies`] for a principal from its calls' names:
/// `inline_policies! { User: "aws_iam_user_policy", "`user:name`.", user_name,
/// put_user_policy "PutUserPolicy", get_user_policy "GetUserPolicy",
/// delete_user_policy "DeleteUserPolicy", list_user_policies "ListUserPolicies" }`.
macro_rules! inline_policies {
    (
        $principal:ty: $type_name:literal, $id_description:literal, $name_setter:ident,
        $put:ident $put_op:literal, $get:ident $get_op:literal,
        $delete:ident $delete_op:literal, $list:ident $list_op:literal $(,)?
    ) => {
        #[async_trait::async_trait]
        impl $crate::aws::iam::principal::InlinePolicies for $principal {
            const TYPE_NAME: &'static str = $type_name;
            const ID_DESCRIPTION: &'static str = $id_description;

            async fn put(
                &self,
                context: &$crate::provider::ProviderContext,
                principal: &str,
                name: &str,
                document: &str,
            ) -> Result<(), $crate::error::ProviderError> {
                $crate::aws::iam::principal::principal_call!(
                    context,
                    $put,
                    $put_op,
                    $name_setter(principal),
                    policy_name(name),
                    policy_document(document),
                )
            }

            async fn get(
                &self,
                context: &$crate::provider::ProviderContext,
                principal: &str,
                name: &str,
            ) -> Result<String, $crate::error::ProviderError> {
                use $crate::aws::AwsContext as _;
                context
                    .aws()
                    .iam
                    .$get()
                    .$name_setter(principal)
                    .policy_name(name)
                    .send()
                    .await
                    .map(|output| output.policy_document().to_string())
                    .map_err(|error| $crate::aws::kit::sdk_error($get_op, error))
            }

            async fn delete(
                &self,
                context: &$crate::provider::ProviderContext,
                principal: &str,
                name: &str,
            ) -> Result<(), $crate::error::ProviderError> {
                $crate::aws::iam::principal::principal_call!(
                    context,
                    $delete,
                    $delete_op,
                    $name_setter(principal),
                    policy_name(name),
                )
            }

            async fn list(
                &self,
                context: &$crate::provider::ProviderContext,
                principal: &str,
                marker: Option<String>,
            ) -> Result<$crate::aws::iam::principal::Page, $crate::error::ProviderError> {
                use $crate::aws::AwsContext as _;
                let output = context
                    .aws()
                    .iam
                    .$list()
                    .$name_setter(principal)
                    .set_marker(marker)
                    .send()
                    .await
                    .map_err(|error| $crate::aws::kit::sdk_error($list_op, error))?;
                Ok($crate::aws::iam::principal::Page {
                    items: output.policy_names().to_vec(),
                    next: $crate::aws::iam::principal::next_marker(output.marker()),
                })
            }
        }
    };
}
pub(crate) use inline_policies;

/// Implements [`AttachedPolicies`] for a principal from its calls' names:
/// `attached_policies! { User: "aws_iam_user_policy_attachment", "`user/policy_arn`.",
/// user_name, attach_user_policy "AttachUserPolicy", detach_user_policy "DetachUserPolicy",
/// list_attached_user_policies "ListAttachedUserPolicies" }`.
macro_rules! attached_policies {
    (
        $principal:ty: $type_name:literal, $id_description:literal, $name_setter:ident,
        $attach:ident $attach_op:literal, $detach:ident $detach_op:literal,
        $list:ident $list_op:literal $(,)?
    ) => {
        #[async_trait::async_trait]
        impl $crate::aws::iam::principal::AttachedPolicies for $principal {
            const TYPE_NAME: &'static str = $type_name;
            const ID_DESCRIPTION: &'static str = $id_description;

            async fn attach(
                &self,
                context: &$crate::provider::ProviderContext,
                principal: &str,
                policy_arn: &str,
            ) -> Result<(), $crate::error::ProviderError> {
                $crate::aws::iam::principal::principal_call!(
                    context,
                    $attach,
                    $attach_op,
                    $name_setter(principal),
                    policy_arn(policy_arn),
                )
            }

            async fn detach(
                &self,
                context: &$crate::provider::ProviderContext,
                principal: &str,
                policy_arn: &str,
            ) -> Result<(), $crate::error::ProviderError> {
                $crate::aws::iam::principal::principal_call!(
                    context,
                    $detach,
                    $detach_op,
                    $name_setter(principal),
                    policy_arn(policy_arn),
                )
            }

            async fn list_attached(
                &self,
                context: &$crate::provider::ProviderContext,
                principal: &str,
                marker: Option<String>,
            ) -> Result<$crate::aws::iam::principal::Page, $crate::error::ProviderError> {
                use $crate::aws::AwsContext as _;
                let output = context
                    .aws()
                    .iam
                    .$list()
                    .$name_setter(principal)
                    .set_marker(marker)
                    .send()
                    .await
                    .map_err(|error| $crate::aws::kit::sdk_error($list_op, error))?;
                Ok($crate::aws::iam::principal::Page {
                    items: output
                        .attached_policies()
                        .iter()
                        .filter_map(|policy| policy.policy_arn().map(str::to_string))
                        .collect(),
                    next: $crate::aws::iam::principal::next_marker(output.marker()),
                })
            }
        }
    };
}
pub(crate) use attached_policies;

/// The marker of the next page: none when IAM gave none (or an empty one), as the SDK's
/// paginators read it.
pub fn next_marker(marker: Option<&str>) -> Option<String> {
    marker.filter(|marker| !marker.is_empty()).map(str::to_string)
}

/// Detaches every managed policy of `principal` and deletes every inline one (what AWS
/// refuses to delete a user or role with). A principal already gone is fine.
pub async fn detach_all<P: InlinePolicies + AttachedPolicies>(
    kind: &P,
    context: &ProviderContext,
    principal: &str,
) -> Result<(), ProviderError> {
    let mut attached = Vec::new();
    let mut marker = None;
    loop {
        let Some(page) = kind
            .list_attached(context, principal, marker)
            .await
            .not_found_as_none()?
        else {
            return Ok(());
        };
        attached.extend(page.items);
        match page.next {
            Some(next) => marker = Some(next),
            None => break,
        }
    }
    for arn in attached {
        kind.detach(context, principal, &arn).await.gone_is_ok()?;
    }
    let mut inline = Vec::new();
    let mut marker = None;
    loop {
        let Some(page) = kind
            .list(context, principal, marker)
            .await
            .not_found_as_none()?
        else {
            return Ok(());
        };
        inline.extend(page.items);
        match page.next {
            Some(next) => marker = Some(next),
            None => break,
        }
    }
    for name in inline {
        InlinePolicies::delete(kind, context, principal, &name)
            .await
            .gone_is_ok()?;
    }
    Ok(())
}

/// An inline policy of a user or role (`aws_iam_user_policy`, `aws_iam_role_policy`). Id
/// `principal:name`, as in Terraform.
pub struct InlinePolicy<P> {
    principal: P,
    schema: Schema,
}

impl<P: InlinePolicies> InlinePolicy<P> {
    pub fn new() -> Self {
        InlinePolicy {
            principal: P::default(),
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe(P::ID_DESCRIPTION),
                Attribute::required(P::ATTRIBUTE, AttrType::String)
                    .force_new()
                    .describe(P::DESCRIPTION),
                Attribute::optional_computed("name", AttrType::String).force_new(),
                Attribute::optional("name_prefix", AttrType::String).force_new(),
                Attribute::required("policy", AttrType::Json)
                    .describe("The policy document, compared by meaning."),
            ]),
        }
    }

    /// `principal:name` → (principal, name).
    pub fn split_id(id: &str) -> Result<(&str, &str), ProviderError> {
        id.split_once(':')
            .filter(|(principal, name)| !principal.is_empty() && !name.is_empty())
            .ok_or_else(|| {
                ProviderError::invalid("id", format!("{id:?} is not `{}:name`", P::ATTRIBUTE))
            })
    }

    async fn put(
        &self,
        context: &ProviderContext,
        principal: &str,
        name: &str,
        document: &str,
    ) -> Result<(), ProviderError> {
        common::retry(
            &format!("the {} to become visible", P::ATTRIBUTE),
            common::is_propagation_error,
            || self.principal.put(context, principal, name, document),
        )
        .await
    }

    async fn get(
        &self,
        context: &ProviderContext,
        principal: &str,
        name: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let Some(document) = self
            .principal
            .get(context, principal, name)
            .await
            .not_found_as_none()?
        else {
            return Ok(None);
        };
        let mut attributes = Attributes::new();
        attributes.insert("id".into(), Value::String(format!("{principal}:{name}")));
        attributes.insert(P::ATTRIBUTE.into(), Value::string(principal));
        attributes.insert("name".into(), Value::string(name));
        attributes.insert(
            "name_prefix".into(),
            prior.get("name_prefix").cloned().unwrap_or_default(),
        );
        attributes.insert(
            "policy".into(),
            policy::policy_value(&document, prior, "policy"),
        );
        Ok(Some(attributes))
    }
}

impl<P: InlinePolicies> Default for InlinePolicy<P> {
    fn default() -> Self {
        InlinePolicy::new()
    }
}

#[async_trait]
impl<P: InlinePolicies> Resource for InlinePolicy<P> {
    fn type_name(&self) -> &'static str {
        P::TYPE_NAME
    }

    fn import_id(&self) -> String {
        format!("{} name:policy name", P::ATTRIBUTE)
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let principal = attributes::required_string(desired, P::ATTRIBUTE)?;
        let name = naming::resolve_name(context, desired, 128);
        let document = policy::policy_document(desired, "policy")?;
        self.put(context, &principal, &name, &document).await?;
        let mut attributes = desired.clone();
        attributes.insert("id".into(), Value::String(format!("{principal}:{name}")));
        attributes.insert("name".into(), Value::String(name));
        Ok(attributes)
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let (principal, name) = Self::split_id(id)?;
        self.get(context, principal, name, prior).await
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let (principal, name) = Self::split_id(id)?;
        let document = policy::policy_document(desired, "policy")?;
        self.put(context, principal, name, &document).await?;
        self.get(context, principal, name, desired)
            .await?
            .ok_or_else(|| {
                ProviderError::Refused(format!("inline policy {id} disappeared during update"))
            })
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let (principal, name) = Self::split_id(id)?;
        InlinePolicies::delete(&self.principal, context, principal, name)
            .await
            .gone_is_ok()
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let principal = attributes::required_string(desired, P::ATTRIBUTE)?;
        let name = naming::resolve_name(context, desired, 128);
        self.get(context, &principal, &name, desired).await
    }
}

/// A managed policy attached to a user or role (`aws_iam_user_policy_attachment`,
/// `aws_iam_role_policy_attachment`). Id `principal/policy_arn`.
pub struct PolicyAttachment<P> {
    principal: P,
    schema: Schema,
}

impl<P: AttachedPolicies> PolicyAttachment<P> {
    pub fn new() -> Self {
        PolicyAttachment {
            principal: P::default(),
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe(P::ID_DESCRIPTION),
                Attribute::required(P::ATTRIBUTE, AttrType::String).force_new(),
                Attribute::required("policy_arn", AttrType::String).force_new(),
            ]),
        }
    }

    /// `principal/policy_arn` → (principal, policy ARN).
    pub fn split_id(id: &str) -> Result<(&str, &str), ProviderError> {
        id.find("/arn:")
            .filter(|index| *index > 0)
            .map(|index| (&id[..index], &id[index + 1..]))
            .ok_or_else(|| {
                ProviderError::invalid(
                    "id",
                    format!("{id:?} is not `{}/policy_arn`", P::ATTRIBUTE),
                )
            })
    }

    /// The attachment's attributes when `principal` has `policy_arn` attached (`None` when it
    /// has not, or the principal is gone).
    async fn find(
        &self,
        context: &ProviderContext,
        principal: &str,
        policy_arn: &str,
    ) -> Result<Option<Attributes>, ProviderError> {
        let mut marker = None;
        loop {
            let Some(page) = self
                .principal
                .list_attached(context, principal, marker)
                .await
                .not_found_as_none()?
            else {
                return Ok(None);
            };
            if page.items.iter().any(|arn| arn == policy_arn) {
                return Ok(Some(Self::attributes(principal, policy_arn)));
            }
            match page.next {
                Some(next) => marker = Some(next),
                None => return Ok(None),
            }
        }
    }

    fn attributes(principal: &str, policy_arn: &str) -> Attributes {
        let mut attributes = Attributes::new();
        attributes.insert(
            "id".into(),
            Value::String(format!("{principal}/{policy_arn}")),
        );
        attributes.insert(P::ATTRIBUTE.into(), Value::string(principal));
        attributes.insert("policy_arn".into(), Value::string(policy_arn));
        attributes
    }
}

impl<P: AttachedPolicies> Default for PolicyAttachment<P> {
    fn default() -> Self {
        PolicyAttachment::new()
    }
}

#[async_trait]
impl<P: AttachedPolicies> Resource for PolicyAttachment<P> {
    fn type_name(&self) -> &'static str {
        P::TYPE_NAME
    }

    fn import_id(&self) -> String {
        format!("{} name/policy ARN", P::ATTRIBUTE)
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let principal = attributes::required_string(desired, P::ATTRIBUTE)?;
        let policy_arn = attributes::required_string(desired, "policy_arn")?;
        common::retry(
            &format!("the {} and policy to become visible", P::ATTRIBUTE),
            common::is_propagation_error,
            || self.principal.attach(context, &principal, &policy_arn),
        )
        .await?;
        Ok(Self::attributes(&principal, &policy_arn))
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let (principal, policy_arn) = Self::split_id(id)?;
        self.find(context, principal, policy_arn).await
    }

    async fn update(
        &self,
        _context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
        _desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        // Every attribute forces replacement: nothing can change in place.
        let (principal, policy_arn) = Self::split_id(id)?;
        Ok(Self::attributes(principal, policy_arn))
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let (principal, policy_arn) = Self::split_id(id)?;
        self.principal
            .detach(context, principal, policy_arn)
            .await
            .gone_is_ok()
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let principal = attributes::required_string(desired, P::ATTRIBUTE)?;
        let policy_arn = attributes::required_string(desired, "policy_arn")?;
        self.find(context, &principal, &policy_arn).await
    }
}
