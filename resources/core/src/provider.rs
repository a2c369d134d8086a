//! The `Resource` trait every resource type implements, and the context a call runs in.

use std::any::Any;
use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;

use crate::error::ProviderError;
use crate::schema::Schema;
use crate::value::Value;

/// A resource instance's attributes: the spec's settable attributes plus what AWS computed.
/// Nested blocks appear as lists of maps under the block name.
pub type Attributes = BTreeMap<String, Value>;

/// Tag naming the stack (`specs/edgemind/prod`) that owns a resource.
pub const STACK_TAG: &str = "provision:stack";
/// Tag naming the resource address (`aws_subnet.public[0]`) within the stack.
pub const ADDRESS_TAG: &str = "provision:address";

/// The clients of one provider configuration (region, profile, endpoint, credentials), opaque
/// here: each provider crate has a typed accessor (the AWS one is `AwsContext::aws`). The engine
/// passes them along without knowing any SDK; tests of fake providers pass `Arc::new(())`.
pub type ProviderClients = Arc<dyn Any + Send + Sync>;

/// Everything a provider call needs besides the attributes.
#[derive(Clone)]
pub struct ProviderContext {
    /// The clients of the provider configuration this resource uses.
    pub clients: ProviderClients,
    /// Stack name (`specs/edgemind/prod`), written to the `provision:stack` tag.
    pub stack: String,
    /// Resource address (`aws_subnet.public[0]`), written to the `provision:address` tag.
    pub address: String,
    /// The provider block's `default_tags`, merged under the resource's own `tags`.
    pub default_tags: BTreeMap<String, String>,
    /// Stable for one pending create across runs: use it as the client token / caller
    /// reference / creation token where the API takes one.
    pub idempotency_token: String,
    /// Where a long call says what it is waiting for (the CLI prints it beside the address).
    pub progress: ProgressSink,
}

/// Receives what a provider says while one call runs long (`waiting for CloudFront to remove
/// the replicas`). The default drops it.
#[derive(Clone, Default)]
pub struct ProgressSink(Option<Arc<ProgressReport>>);

/// What a `ProgressSink` calls with each message.
pub type ProgressReport = dyn Fn(&str) + Send + Sync;

impl ProgressSink {
    pub fn new(report: impl Fn(&str) + Send + Sync + 'static) -> ProgressSink {
        ProgressSink(Some(Arc::new(report)))
    }

    pub fn report(&self, message: &str) {
        if let Some(report) = &self.0 {
            report(message);
        }
    }
}

impl ProviderContext {
    /// The tags to send to AWS: default tags, then the resource's `tags`, then the two
    /// `provision:*` tags that let an interrupted create be found again.
    pub fn tags_for(&self, attributes: &Attributes) -> BTreeMap<String, String> {
        let mut tags = self.default_tags.clone();
        if let Some(Value::Map(user_tags)) = attributes.get("tags") {
            for (key, value) in user_tags {
                if let Some(text) = value.to_template_string() {
                    tags.insert(key.clone(), text);
                }
            }
        }
        tags.insert(STACK_TAG.to_string(), self.stack.clone());
        tags.insert(ADDRESS_TAG.to_string(), self.address.clone());
        tags
    }
}

/// One resource type. The AWS implementations live one per file under
/// `resources/src/aws/<service>/`.
///
/// Contract:
/// - `create` makes the resource and returns as soon as its cloud id is known, with the full
///   attribute set known so far (`id` always present). The engine commits that to state at once.
/// - `wait_until_ready` then polls until AWS says the resource is usable and returns the final
///   attributes. The default returns what create returned, calling nothing: a type that is
///   usable as soon as it exists answers its whole attribute set from `create`, reading only
///   what the create call's answer lacks.
/// - `read` returns `None` when the resource is gone. It never changes the cloud.
/// - `update` changes in place what the schema does not mark force-new; returns new attributes.
/// - `delete` removes the resource and waits until AWS no longer has it (or it no longer
///   blocks its dependencies). Deleting something already gone is success.
/// - `read_many` reads several resources of this type at once (for drift checks and
///   `plan --refresh`): one answer per item, in order. The default calls `read` for each; types
///   whose API describes many ids in one call override it. Never changes the cloud.
/// - `list_managed` lists the resources of this type that carry the stack's `provision:stack`
///   tag (id and `provision:address` tag), so a drift check can find what state does not know.
///   The default lists nothing (types that cannot be listed by tag).
/// - `import` reads the resource `provision import ADDRESS ID` or an `import {}` block names,
///   by the ID in Terraform's import format (`import_id` describes it, for `provision types
///   --json`). The default: the ID is the resource's own id, read with no prior attributes.
///   Types whose read needs more than the id (a composite import ID such as
///   `subnet-id/rtb-id`) override both. Never changes the cloud.
/// - `recover` finds a resource that an interrupted create may have made (by client token,
///   deterministic name, or the `provision:stack` / `provision:address` tags) and returns its
///   attributes, or `None` when there is none.
#[async_trait]
pub trait Resource: Send + Sync {
    /// Terraform's type name (`aws_subnet`).
    fn type_name(&self) -> &'static str;

    /// The type this one is another name for (`aws_lb` for `aws_alb`); a type's own name unless
    /// it is an alias. Drift lists unmanaged resources once per canonical type.
    fn canonical_type_name(&self) -> &'static str {
        self.type_name()
    }

    fn schema(&self) -> &Schema;

    /// Checks the spec's attributes at plan, before anything is made: the known values only
    /// (an unknown value is checked at apply). Errors name the attribute
    /// (`ProviderError::InvalidAttribute`). The default checks nothing.
    fn check_config(&self, attributes: &Attributes) -> Vec<ProviderError> {
        let _ = attributes;
        Vec::new()
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError>;

    /// False for a type whose create call answers less than a read does (an ARN, a default
    /// AWS fills in): the default `wait_until_ready` then reads it once after create.
    fn create_answer_is_complete(&self) -> bool {
        true
    }

    async fn wait_until_ready(
        &self,
        context: &ProviderContext,
        created: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        if self.create_answer_is_complete() {
            return Ok(created.clone());
        }
        let id = created
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        Ok(self
            .read(context, &id, created)
            .await?
            .unwrap_or_else(|| created.clone()))
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError>;

    /// Reads every `(id, prior)` of `items`; `None` for each one that is gone.
    async fn read_many(
        &self,
        context: &ProviderContext,
        items: &[(String, Attributes)],
    ) -> Result<Vec<Option<Attributes>>, ProviderError> {
        let mut found = Vec::with_capacity(items.len());
        for (id, prior) in items {
            found.push(self.read(context, id, prior).await?);
        }
        Ok(found)
    }

    /// The `(id, provision:address tag)` of every resource of this type tagged with
    /// `provision:stack` = `stack`. An address tag that is missing is an empty string.
    async fn list_managed(
        &self,
        context: &ProviderContext,
        stack: &str,
    ) -> Result<Vec<(String, String)>, ProviderError> {
        let _ = (context, stack);
        Ok(Vec::new())
    }

    /// The import ID this type takes, in Terraform's words: `vpc id (vpc-…)`,
    /// `subnet id/route table id (subnet-…/rtb-…)`. The default: `<type> id`.
    fn import_id(&self) -> String {
        format!(
            "{} id",
            self.type_name()
                .trim_start_matches("aws_")
                .replace('_', " ")
        )
    }

    /// Reads the resource `import_id` names (in `import_id`'s format); `None` when there is
    /// none. The default reads it as the resource's own id with no prior attributes.
    async fn import(
        &self,
        context: &ProviderContext,
        import_id: &str,
    ) -> Result<Option<Attributes>, ProviderError> {
        self.read(context, import_id, &Attributes::new()).await
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError>;

    /// The computed attributes an in-place update from `prior` to `planned` gives new values
    /// (a Lambda function's `version` when it publishes), so the plan shows them, and what
    /// refers to them, as known only after apply. `changed` names the attributes and blocks
    /// that differ. The default: none (computed attributes keep their prior values).
    fn recomputed_on_update(
        &self,
        prior: &Attributes,
        planned: &Attributes,
        changed: &[&str],
    ) -> Vec<&'static str> {
        let _ = (prior, planned, changed);
        Vec::new()
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<(), ProviderError>;

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError>;
}
