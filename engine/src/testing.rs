//! Test support shared by the engine's integration tests: `fake_thing`, a fake resource type whose
//! "cloud" is an in-memory map that can be told to fail and records every call, a registry
//! holding it, spec folders written from text, state records made by hand, and an apply
//! observer that remembers what it was told. Not part of the public API.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use async_trait::async_trait;
use provision_core::{
    AttrType, Attribute, Attributes, BlockNesting, NestedBlock, ProviderContext, ProviderError,
    Registry, Resource, Schema, Value,
};
use provision_state::{ResourceRecord, ResourceStatus};

use crate::apply::{ApplyObserver, OperationResult};
use crate::diagnostics::Diagnostics;
use crate::graph::apply_graph::OperationKind;
use crate::plan::planner::{make_plan, PlanRequest};
use crate::plan::Plan;
use crate::spec::{load_spec, Spec};
use crate::variables::{resolve_variables, InputVariables, VariableSources};

/// The type name of the fake resource.
pub const FAKE_THING: &str = "fake_thing";

/// The stack name the helpers plan and apply under.
pub const TEST_STACK: &str = "tests/fake";

/// What the fake cloud was asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CallKind {
    Create,
    Read,
    Update,
    Delete,
    Recover,
}

/// One call to the fake cloud: what, on which address, for which `name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeCall {
    pub kind: CallKind,
    pub address: String,
    /// The `name` attribute the call was about (empty when unknown).
    pub name: String,
}

#[derive(Debug, Default)]
struct FakeCloudState {
    /// Cloud id → attributes.
    objects: BTreeMap<String, Attributes>,
    /// `name`s whose create, update and delete fail.
    failing_names: BTreeSet<String>,
    /// Names whose delete AWS allows only later (`ProviderError::DeleteDeferred`).
    deferred_deletes: BTreeSet<String>,
    calls: Vec<FakeCall>,
    next_id: u64,
}

/// The in-memory "cloud" behind `fake_thing`. Cloning shares it.
#[derive(Debug, Clone, Default)]
pub struct FakeCloud {
    state: Arc<Mutex<FakeCloudState>>,
}

impl FakeCloud {
    pub fn new() -> FakeCloud {
        FakeCloud::default()
    }

    fn lock(&self) -> MutexGuard<'_, FakeCloudState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// From now on, creating, updating or deleting the thing called `name` fails with an AWS
    /// error (`InvalidParameterValue`).
    pub fn fail_for(&self, name: &str) {
        self.lock().failing_names.insert(name.to_string());
    }

    /// From now on, deleting the thing called `name` is deferred (as a Lambda@Edge function's
    /// is while CloudFront holds its replicas): nothing is deleted.
    pub fn defer_delete_of(&self, name: &str) {
        self.lock().deferred_deletes.insert(name.to_string());
    }

    /// Undoes `defer_delete_of`.
    pub fn stop_deferring_delete_of(&self, name: &str) {
        self.lock().deferred_deletes.remove(name);
    }

    /// Undoes `fail_for`.
    pub fn stop_failing_for(&self, name: &str) {
        self.lock().failing_names.remove(name);
    }

    /// Every call so far, in the order they were made.
    pub fn calls(&self) -> Vec<FakeCall> {
        self.lock().calls.clone()
    }

    /// The addresses of the calls of one kind, in order.
    pub fn addresses_called(&self, kind: CallKind) -> Vec<String> {
        self.calls()
            .into_iter()
            .filter(|call| call.kind == kind)
            .map(|call| call.address)
            .collect()
    }

    pub fn forget_calls(&self) {
        self.lock().calls.clear();
    }

    /// What exists: cloud id → attributes.
    pub fn objects(&self) -> BTreeMap<String, Attributes> {
        self.lock().objects.clone()
    }

    /// The object with this `name`, if one exists.
    pub fn object_named(&self, name: &str) -> Option<Attributes> {
        self.lock()
            .objects
            .values()
            .find(|attributes| attributes.get("name").and_then(Value::as_str) == Some(name))
            .cloned()
    }

    /// The `name`s of what exists, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .lock()
            .objects
            .values()
            .filter_map(|attributes| attributes.get("name").and_then(Value::as_str))
            .map(str::to_string)
            .collect();
        names.sort();
        names
    }

    /// Records the call, then fails it if `name` was told to fail.
    fn call(
        &self,
        kind: CallKind,
        context: &ProviderContext,
        name: &str,
    ) -> Result<(), ProviderError> {
        let mut state = self.lock();
        state.calls.push(FakeCall {
            kind,
            address: context.address.clone(),
            name: name.to_string(),
        });
        if matches!(kind, CallKind::Create | CallKind::Update | CallKind::Delete)
            && state.failing_names.contains(name)
        {
            return Err(ProviderError::Aws {
                operation: format!("{kind:?}Thing"),
                code: "InvalidParameterValue".to_string(),
                message: format!("the fake cloud was told to fail for {name}"),
            });
        }
        Ok(())
    }
}

/// `fake_thing`: name (required, force-new), size (number, default 1), tags (map), parent_id
/// (optional, force-new, for references), secret (sensitive), `rule` blocks (a set), id and arn
/// (computed).
pub struct FakeThing {
    cloud: FakeCloud,
    schema: Schema,
}

impl FakeThing {
    pub fn new(cloud: FakeCloud) -> FakeThing {
        FakeThing {
            cloud,
            schema: fake_thing_schema(),
        }
    }
}

/// The schema of `fake_thing`.
pub fn fake_thing_schema() -> Schema {
    Schema::new(vec![
        Attribute::required("name", AttrType::String).force_new(),
        Attribute::optional("size", AttrType::Number).default(1.0),
        Attribute::optional("tags", AttrType::map_of_strings()),
        Attribute::optional("parent_id", AttrType::String).force_new(),
        Attribute::optional("secret", AttrType::String).sensitive(),
        Attribute::computed("id", AttrType::String),
        Attribute::computed("arn", AttrType::String),
    ])
    .with_block(NestedBlock {
        name: "rule",
        nesting: BlockNesting::Set,
        schema: Schema::new(vec![
            Attribute::required("port", AttrType::Number),
            Attribute::optional("protocol", AttrType::String).default("tcp"),
        ]),
        force_new: false,
        computed: false,
    })
}

fn name_of(attributes: &Attributes) -> String {
    attributes
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

#[async_trait]
impl Resource for FakeThing {
    fn type_name(&self) -> &'static str {
        FAKE_THING
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let name = name_of(desired);
        self.cloud.call(CallKind::Create, context, &name)?;
        // Let other operations run meanwhile, as a real create would.
        tokio::time::sleep(Duration::from_millis(1)).await;
        let mut state = self.cloud.lock();
        state.next_id += 1;
        let id = format!("thing-{}", state.next_id);
        let mut created = desired.clone();
        created.insert("id".to_string(), Value::string(&id));
        created.insert(
            "arn".to_string(),
            Value::string(format!("arn:fake:thing/{id}")),
        );
        state.objects.insert(id, created.clone());
        Ok(created)
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        self.cloud.call(CallKind::Read, context, &name_of(prior))?;
        Ok(self.cloud.lock().objects.get(id).cloned())
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        self.cloud
            .call(CallKind::Update, context, &name_of(prior))?;
        let mut state = self.cloud.lock();
        let existing = state
            .objects
            .get(id)
            .cloned()
            .ok_or_else(|| ProviderError::Aws {
                operation: "UpdateThing".to_string(),
                code: "InvalidThingID.NotFound".to_string(),
                message: format!("no thing {id}"),
            })?;
        let mut updated = desired.clone();
        for computed in ["id", "arn"] {
            if let Some(value) = existing.get(computed) {
                updated.insert(computed.to_string(), value.clone());
            }
        }
        state.objects.insert(id.to_string(), updated.clone());
        Ok(updated)
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let name = name_of(prior);
        self.cloud.call(CallKind::Delete, context, &name)?;
        if self.cloud.lock().deferred_deletes.contains(&name) {
            context.progress.report("waiting for the cloud to let go");
            return Err(ProviderError::DeleteDeferred(format!(
                "{name} is still held"
            )));
        }
        self.cloud.lock().objects.remove(id);
        Ok(())
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let name = name_of(desired);
        self.cloud.call(CallKind::Recover, context, &name)?;
        Ok(self.cloud.object_named(&name))
    }
}

/// A registry holding only `fake_thing`, backed by `cloud`.
pub fn fake_registry(cloud: &FakeCloud) -> Registry {
    let mut registry = Registry::new();
    registry.register(Arc::new(FakeThing::new(cloud.clone())));
    registry
}

/// A spec folder written from text into a fresh temporary directory, removed on drop.
pub struct SpecFolder {
    pub directory: PathBuf,
}

impl SpecFolder {
    /// Writes `files` (name, text) into a new folder.
    pub fn new(files: &[(&str, &str)]) -> SpecFolder {
        let directory =
            std::env::temp_dir().join(format!("provision-spec-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&directory).expect("create the spec folder");
        let folder = SpecFolder { directory };
        folder.write(files);
        folder
    }

    /// A folder with one `main.tf`.
    pub fn with_main(text: &str) -> SpecFolder {
        SpecFolder::new(&[("main.tf", text)])
    }

    /// Writes (or overwrites) files: the next load sees the new spec.
    pub fn write(&self, files: &[(&str, &str)]) {
        for (name, text) in files {
            std::fs::write(self.directory.join(name), text).expect("write a spec file");
        }
    }

    pub fn path(&self) -> &Path {
        &self.directory
    }
}

impl Drop for SpecFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.directory);
    }
}

/// Loads a spec folder and resolves its variables (`--var` values given, no environment, no
/// process environment). Errors are returned with the spec so they can be rendered.
pub fn load_with_variables(
    directory: &Path,
    cli_values: &[(&str, &str)],
) -> Result<(Spec, InputVariables), (Spec, Diagnostics)> {
    let (mut spec, diagnostics) = load_spec(directory);
    if diagnostics.has_errors() {
        return Err((spec, diagnostics));
    }
    let sources = VariableSources {
        cli_values: cli_values
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect(),
        ..VariableSources::default()
    };
    match resolve_variables(&mut spec, &sources) {
        Ok(variables) => Ok((spec, variables)),
        Err(diagnostics) => Err((spec, diagnostics)),
    }
}

/// Plans a loaded spec against `state` (and prior outputs) under `TEST_STACK`.
pub fn plan_against(
    spec: &Spec,
    variables: &InputVariables,
    registry: &Registry,
    state: &[ResourceRecord],
    prior_outputs: &BTreeMap<String, Value>,
) -> Result<Plan, Diagnostics> {
    make_plan(&PlanRequest {
        spec,
        variables,
        registry,
        stack: TEST_STACK,
        environment: None,
        state,
        state_serial: 0,
        prior_outputs,
        destroy: false,
    })
}

/// A ready state record of `fake_thing` made by hand, `attributes` a JSON object.
pub fn thing_record(
    address: &str,
    attributes: serde_json::Value,
    dependencies: &[&str],
) -> ResourceRecord {
    let cloud_id = attributes
        .get("id")
        .and_then(serde_json::Value::as_str)
        .map(str::to_string);
    ResourceRecord {
        address: address.to_string(),
        type_name: FAKE_THING.to_string(),
        cloud_id,
        attributes,
        sensitive_attributes: vec!["secret".to_string()],
        dependencies: dependencies
            .iter()
            .map(|dependency| dependency.to_string())
            .collect(),
        status: ResourceStatus::Ready,
        updated_at: 0,
        provider: "aws".to_string(),
    }
}

/// What an `ApplyObserver` was told, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObservedEvent {
    Started {
        address: String,
        kind: OperationKind,
    },
    Finished {
        address: String,
        kind: OperationKind,
        result: OperationResult,
    },
}

/// An observer that remembers every start and finish.
#[derive(Debug, Default)]
pub struct RecordingObserver {
    events: Mutex<Vec<ObservedEvent>>,
}

impl RecordingObserver {
    pub fn events(&self) -> Vec<ObservedEvent> {
        self.events
            .lock()
            .map(|events| events.clone())
            .unwrap_or_default()
    }

    /// The addresses whose operation finished with a result like `matches`.
    pub fn finished_where(&self, matches: impl Fn(&OperationResult) -> bool) -> Vec<String> {
        self.events()
            .into_iter()
            .filter_map(|event| match event {
                ObservedEvent::Finished {
                    address, result, ..
                } if matches(&result) => Some(address),
                _ => None,
            })
            .collect()
    }
}

impl ApplyObserver for RecordingObserver {
    fn operation_started(&self, address: &str, kind: OperationKind, _replacing: bool) {
        if let Ok(mut events) = self.events.lock() {
            events.push(ObservedEvent::Started {
                address: address.to_string(),
                kind,
            });
        }
    }

    fn operation_progress(&self, _address: &str, _message: &str) {}

    fn operation_finished(
        &self,
        address: &str,
        kind: OperationKind,
        result: &OperationResult,
        _elapsed: Duration,
    ) {
        if let Ok(mut events) = self.events.lock() {
            events.push(ObservedEvent::Finished {
                address: address.to_string(),
                kind,
                result: result.clone(),
            });
        }
    }
}
