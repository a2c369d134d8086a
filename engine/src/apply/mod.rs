//! The apply engine: runs a plan's operations along the apply graph on tokio, `parallelism`
//! at a time, the ready operation with the heaviest expected path behind it first (`Schedule`).
//! Each operation re-evaluates its attributes with now-known values, records a pending operation, calls the
//! provider, commits the resource row as soon as the cloud id is known, waits for readiness,
//! and commits again with the pending operation cleared. Dependents that need only the id
//! (`ApplyGraph::released_at_id`: a route to a NAT gateway) start at the first commit; the rest
//! when the dependency is ready. A failure skips only its dependents that have not started.
//! With `wait: false` (`apply --no-wait`) a create that nothing in the run waits on for
//! readiness ends at its first commit (state keeps it `creating`; the next run waits for it).

pub mod evaluator;
pub mod recovery;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use petgraph::graph::NodeIndex;
use petgraph::visit::Bfs;
use provision_core::{
    Attributes, DataContext, ProgressSink, ProviderContext, ProviderError, Resource, Value,
};
use provision_state::{
    EventRecord, NewPendingOperation, OutputRecord, PendingKind, ResourceRecord, ResourceStatus,
    StateError, StateStore,
};
use tokio::task::JoinSet;

use crate::graph::apply_graph::{ApplyGraph, Operation, OperationKind, Schedule};
use crate::plan::planner::record_attributes;
use crate::plan::{Action, Plan};
use crate::provider_configuration::ConfigurationClients;
use evaluator::ApplyEvaluator;

/// The state store shared by concurrent operations (a store is `Send`, not `Sync`). The engine
/// does not know which store it is.
pub type SharedStore = Arc<Mutex<Box<dyn StateStore>>>;

/// Runs `work` on the store on a blocking thread.
pub async fn with_store<T, F>(store: &SharedStore, work: F) -> Result<T, StateError>
where
    T: Send + 'static,
    F: FnOnce(&mut dyn StateStore) -> Result<T, StateError> + Send + 'static,
{
    let store = store.clone();
    tokio::task::spawn_blocking(move || {
        let mut guard = store
            .lock()
            .map_err(|_| StateError::Corrupt("state store lock poisoned".to_string()))?;
        work(&mut **guard)
    })
    .await
    .map_err(|error| StateError::Corrupt(format!("state task failed: {error}")))?
}

/// Receives progress from the apply engine (the CLI prints it).
pub trait ApplyObserver: Send + Sync {
    fn operation_started(&self, address: &str, kind: OperationKind, replacing: bool);
    /// Something worth saying while an operation runs (`created vpc-123, waiting until ready`).
    fn operation_progress(&self, address: &str, message: &str);
    fn operation_finished(
        &self,
        address: &str,
        kind: OperationKind,
        result: &OperationResult,
        elapsed: Duration,
    );
}

/// How one operation ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperationResult {
    Succeeded { cloud_id: Option<String> },
    Failed { message: String },
    Skipped { because: String },
}

/// What an apply did.
#[derive(Debug, Clone, Default)]
pub struct ApplyOutcome {
    /// Cloud objects `import {}` blocks brought under management.
    pub imported: usize,
    pub added: usize,
    pub changed: usize,
    pub destroyed: usize,
    /// Address and error message.
    pub failed: Vec<(String, String)>,
    /// Address and the failed dependency.
    pub skipped: Vec<(String, String)>,
    /// Deletes AWS allows only later (address and why): kept in state, not a failure.
    pub deferred: Vec<(String, String)>,
    /// Operations never started because of Ctrl-C or a lost state connection.
    pub not_started: usize,
    pub interrupted: bool,
    /// The connection to the state server broke during the run: no new work was started
    /// after that (the operations in flight finished, their commits retried).
    pub state_connection_lost: bool,
    /// Creates not waited for (`--no-wait`): made, committed, still becoming ready.
    pub not_waited: Vec<String>,
}

impl ApplyOutcome {
    pub fn succeeded(&self) -> bool {
        self.failed.is_empty() && self.skipped.is_empty() && !self.interrupted
    }
}

/// Everything an apply needs.
pub struct ApplyRequest {
    pub plan: Plan,
    pub evaluator: ApplyEvaluator,
    /// One client set per provider configuration the plan uses.
    pub clients: ConfigurationClients,
    pub store: SharedStore,
    pub run_id: i64,
    pub parallelism: usize,
    pub observer: Arc<dyn ApplyObserver>,
    /// Set by Ctrl-C: start nothing new.
    pub cancelled: Arc<AtomicBool>,
    /// Wait for the readiness of creates that nothing in the run waits on (false:
    /// `--no-wait`).
    pub wait: bool,
}

struct Shared {
    /// Raised by the store when its connection to a state server broke (None: a local file).
    state_lost: Option<Arc<AtomicBool>>,
    plan: Plan,
    evaluator: ApplyEvaluator,
    clients: ConfigurationClients,
    store: SharedStore,
    run_id: i64,
    observer: Arc<dyn ApplyObserver>,
    /// Attributes by address as they are now (state, updated as operations commit).
    current: Mutex<HashMap<String, Attributes>>,
    /// Deletes deferred by AWS (address and why), for the outcome.
    deferred: Mutex<Vec<(String, String)>>,
    /// Told the node of each create whose id was just committed.
    id_known: tokio::sync::mpsc::UnboundedSender<NodeIndex>,
    /// Creates whose readiness is not waited for (`--no-wait`, nothing depends on it).
    no_wait: HashSet<NodeIndex>,
    /// Those of `no_wait` that ended before they were ready.
    not_waited: Mutex<Vec<String>>,
}

/// Applies the plan. State is committed per operation as it goes.
pub async fn apply_plan(request: ApplyRequest) -> ApplyOutcome {
    let graph = ApplyGraph::build(&request.plan);
    let stack = request.plan.stack.clone();
    let mut outcome = ApplyOutcome::default();
    // `moved` blocks first: each renames a state record (one transaction), before any
    // operation looks its resource up by the new address.
    let moves: Vec<(String, String)> = request
        .plan
        .moves()
        .into_iter()
        .map(|(from, to)| (from.to_string(), to.to_string()))
        .collect();
    for (from, to) in moves {
        let (stack, run_id, address) = (stack.clone(), request.run_id, to.clone());
        let moved = with_store(&request.store, move |store| {
            let event = EventRecord {
                run_id,
                address: to.clone(),
                action: "move".to_string(),
                status: "ok".to_string(),
                message: format!("moved from {from}; the cloud resource was not touched"),
                duration_ms: 0,
                at: 0,
            };
            store.move_resource(&stack, &from, &to, &event)
        })
        .await;
        if let Err(error) = moved {
            outcome
                .failed
                .push((address, format!("cannot rename the state record: {error}")));
            return outcome;
        }
    }
    // `import {}` blocks next: each reads its cloud object and records it (one transaction),
    // so the change planned against it (an update, or nothing) starts from state as usual.
    let imports: Vec<(usize, String)> = request
        .plan
        .changes
        .iter()
        .enumerate()
        .filter_map(|(index, change)| change.import_id.clone().map(|id| (index, id)))
        .collect();
    for (index, import_id) in imports {
        let change = &request.plan.changes[index];
        let imported = async {
            let resource = request
                .evaluator
                .registry
                .get(&change.type_name)
                .cloned()
                .ok_or_else(|| format!("unknown resource type {}", change.type_name))?;
            let context = ProviderContext {
                clients: request.clients.get(&change.provider)?,
                stack: stack.clone(),
                address: change.address.clone(),
                default_tags: request
                    .evaluator
                    .default_tags(&HashMap::new(), &change.provider),
                idempotency_token: uuid::Uuid::new_v4().to_string(),
                progress: ProgressSink::default(),
            };
            import_into_state(
                &request.store,
                ImportTarget {
                    stack: &stack,
                    run_id: request.run_id,
                    address: &change.address,
                    resource: resource.as_ref(),
                    import_id: &import_id,
                    provider: &change.provider,
                    sensitive_attributes: change.sensitive_attributes.iter().cloned().collect(),
                    dependencies: change.dependencies.clone(),
                },
                &context,
            )
            .await
        }
        .await;
        match imported {
            Ok(cloud_id) => {
                outcome.imported += 1;
                request.observer.operation_progress(
                    &change.address,
                    &format!("imported {cloud_id} (import ID {import_id})"),
                );
            }
            Err(message) => {
                outcome.failed.push((change.address.clone(), message));
                return outcome;
            }
        }
    }
    let initial: HashMap<String, Attributes> = {
        let stack = stack.clone();
        with_store(&request.store, move |store| store.resources(&stack))
            .await
            .unwrap_or_default()
            .iter()
            .map(|record| (record.address.clone(), record_attributes(record)))
            .collect()
    };
    let state_lost = with_store(&request.store, |store| Ok(store.connection_lost()))
        .await
        .ok()
        .flatten();
    let stopping = {
        let cancelled = request.cancelled.clone();
        let state_lost = state_lost.clone();
        move || {
            cancelled.load(Ordering::SeqCst)
                || state_lost
                    .as_ref()
                    .is_some_and(|lost| lost.load(Ordering::SeqCst))
        }
    };
    let (id_known, mut id_known_nodes) = tokio::sync::mpsc::unbounded_channel();
    let no_wait: HashSet<NodeIndex> = if request.wait {
        HashSet::new()
    } else {
        graph
            .graph
            .node_indices()
            .filter(|node| {
                graph.graph[*node].kind == OperationKind::Create
                    && graph
                        .graph
                        .neighbors_directed(*node, petgraph::Direction::Outgoing)
                        .all(|next| graph.released_at_id.contains(&(*node, next)))
            })
            .collect()
    };
    let shared = Arc::new(Shared {
        state_lost: state_lost.clone(),
        plan: request.plan,
        evaluator: request.evaluator,
        clients: request.clients,
        store: request.store,
        run_id: request.run_id,
        observer: request.observer,
        current: Mutex::new(initial),
        deferred: Mutex::new(Vec::new()),
        id_known,
        no_wait,
        not_waited: Mutex::new(Vec::new()),
    });
    let mut schedule = Schedule::new(&graph);
    let mut skipped: HashSet<NodeIndex> = HashSet::new();
    let mut finished: HashSet<NodeIndex> = HashSet::new();
    let mut started: HashSet<NodeIndex> = HashSet::new();
    let mut running: JoinSet<(NodeIndex, OperationResult)> = JoinSet::new();
    let parallelism = request.parallelism.max(1);
    loop {
        while running.len() < parallelism && !stopping() {
            let Some(next) = schedule.take_next() else {
                break;
            };
            started.insert(next);
            let operation = graph.graph[next].clone();
            let shared = shared.clone();
            // `--stats` counts calls per resource type and operation.
            let change = &shared.plan.changes[operation.change];
            let scope = format!(
                "{}{} {}",
                if change.is_data() { "data." } else { "" },
                change.type_name,
                match operation.kind {
                    OperationKind::Create => "create",
                    OperationKind::Update => "update",
                    OperationKind::Delete => "delete",
                    OperationKind::Read => "read",
                }
            );
            shared.clients.api_calls.record_run(&scope);
            running.spawn(provision_core::api_calls::scoped(scope, async move {
                let result = run_operation(&shared, &operation, next).await;
                (next, result)
            }));
        }
        if running.is_empty() {
            break;
        }
        // A create's id committed releases its id-only dependents at once.
        let joined = tokio::select! {
            joined = running.join_next() => joined,
            Some(node) = id_known_nodes.recv() => {
                schedule.id_known(node);
                continue;
            }
        };
        let Some(joined) = joined else {
            break;
        };
        let (node, result) = match joined {
            Ok(pair) => pair,
            Err(error) => {
                outcome
                    .failed
                    .push(("(task)".to_string(), error.to_string()));
                continue;
            }
        };
        finished.insert(node);
        let operation = &graph.graph[node];
        let change = &shared.plan.changes[operation.change];
        match &result {
            OperationResult::Succeeded { .. } => {
                match (operation.kind, change.is_data()) {
                    (OperationKind::Read, _) | (_, true) => {}
                    (OperationKind::Create, false) => outcome.added += 1,
                    (OperationKind::Update, false) => outcome.changed += 1,
                    (OperationKind::Delete, false) => {
                        let deferred = shared.deferred.lock().is_ok_and(|deferred| {
                            deferred
                                .iter()
                                .any(|(address, _)| *address == operation.address)
                        });
                        if !deferred {
                            outcome.destroyed += 1;
                        }
                    }
                }
                schedule.succeeded(node);
            }
            OperationResult::Failed { message } => {
                outcome
                    .failed
                    .push((operation.address.clone(), message.clone()));
                let mut search = Bfs::new(&graph.graph, node);
                let _ = search.next(&graph.graph);
                while let Some(dependent) = search.next(&graph.graph) {
                    // A dependent released at the id may already run or be done: it stays.
                    if started.contains(&dependent) {
                        continue;
                    }
                    if skipped.insert(dependent) {
                        schedule.skip(dependent);
                        let skipped_operation = &graph.graph[dependent];
                        let because = format!("{} failed", operation.address);
                        outcome
                            .skipped
                            .push((skipped_operation.address.clone(), because.clone()));
                        let result = OperationResult::Skipped {
                            because: because.clone(),
                        };
                        shared.observer.operation_finished(
                            &skipped_operation.address,
                            skipped_operation.kind,
                            &result,
                            Duration::ZERO,
                        );
                        let event = EventRecord {
                            run_id: shared.run_id,
                            address: skipped_operation.address.clone(),
                            action: "skip".to_string(),
                            status: "skipped".to_string(),
                            message: because,
                            duration_ms: 0,
                            at: 0,
                        };
                        let _ = with_store(&shared.store, move |store| store.record_event(&event))
                            .await;
                    }
                }
            }
            OperationResult::Skipped { .. } => {
                // Never started (the state connection broke first): counted as not started.
                finished.remove(&node);
            }
        }
    }
    // Anything neither run, skipped nor held back by Ctrl-C could never become ready: say so
    // rather than report success with work left undone.
    if !stopping() {
        for node in graph.graph.node_indices() {
            if !finished.contains(&node) && !skipped.contains(&node) {
                let operation = &graph.graph[node];
                outcome.failed.push((
                    operation.address.clone(),
                    format!(
                        "{}: never became ready: its operations wait on each other (a dependency cycle in the apply order)",
                        operation.address
                    ),
                ));
            }
        }
    }
    outcome.state_connection_lost = state_lost
        .as_ref()
        .is_some_and(|lost| lost.load(Ordering::SeqCst));
    if stopping() {
        outcome.interrupted = true;
        outcome.not_started = graph
            .graph
            .node_indices()
            .filter(|node| !finished.contains(node) && !skipped.contains(node))
            .count();
    }
    if let Ok(mut deferred) = shared.deferred.lock() {
        outcome.deferred = std::mem::take(&mut *deferred);
    }
    if let Ok(mut not_waited) = shared.not_waited.lock() {
        outcome.not_waited = std::mem::take(&mut *not_waited);
    }
    // Outputs, from whatever exists now.
    let current = shared
        .current
        .lock()
        .map(|current| current.clone())
        .unwrap_or_default();
    let _ = save_outputs(
        &shared.store,
        &stack,
        &shared.evaluator,
        &current,
        shared.plan.destroy,
    )
    .await;
    outcome
}

/// What `import_into_state` brings under management.
pub struct ImportTarget<'a> {
    pub stack: &'a str,
    pub run_id: i64,
    pub address: &'a str,
    pub resource: &'a dyn Resource,
    /// In the type's import format (`Resource::import_id`).
    pub import_id: &'a str,
    /// The provider configuration that owns it from now on.
    pub provider: &'a str,
    pub sensitive_attributes: Vec<String>,
    pub dependencies: Vec<String>,
}

/// Reads the cloud object `target.import_id` names through the type's `import` and records it
/// at `target.address` in one transaction (row + `import` event + serial), with the provider
/// configuration that owns it. Refuses an address state already has. Returns the cloud id.
pub async fn import_into_state(
    store: &SharedStore,
    target: ImportTarget<'_>,
    context: &ProviderContext,
) -> Result<String, String> {
    let address = target.address.to_string();
    let type_name = target.resource.type_name();
    let existing = {
        let (stack, address) = (target.stack.to_string(), address.clone());
        with_store(store, move |store| store.resource(&stack, &address))
            .await
            .map_err(|error| error.to_string())?
    };
    if let Some(existing) = existing {
        return Err(format!(
            "{address} is already managed (id {}): import refuses an address that is in state\n  hint: `provision state rm {address}` first to manage another object there",
            existing.cloud_id.unwrap_or_default()
        ));
    }
    let started = Instant::now();
    let attributes = target
        .resource
        .import(context, target.import_id)
        .await
        .map_err(|error| describe_error(&address, &error))?
        .ok_or_else(|| {
            format!(
                "{address}: cannot import: there is no {type_name} with import ID \"{}\"\n  hint: {type_name} takes {}; check the region and account of provider configuration `{}`",
                target.import_id,
                target.resource.import_id(),
                target.provider
            )
        })?;
    let cloud_id = attributes
        .get("id")
        .and_then(Value::to_template_string)
        .unwrap_or_else(|| target.import_id.to_string());
    let record = ResourceRecord {
        address: address.clone(),
        type_name: type_name.to_string(),
        cloud_id: Some(cloud_id.clone()),
        attributes: Value::Map(attributes).to_json(),
        sensitive_attributes: target.sensitive_attributes,
        dependencies: target.dependencies,
        status: ResourceStatus::Ready,
        updated_at: 0,
        provider: target.provider.to_string(),
    };
    let event = EventRecord {
        run_id: target.run_id,
        address,
        action: "import".to_string(),
        status: "ok".to_string(),
        message: format!("imported {cloud_id} (import ID {})", target.import_id),
        duration_ms: started.elapsed().as_millis() as i64,
        at: 0,
    };
    let stack = target.stack.to_string();
    with_store(store, move |store| {
        store.commit_resource(&stack, &record, &event, None)
    })
    .await
    .map_err(|error| error.to_string())?;
    Ok(cloud_id)
}

/// Saves the stack's outputs evaluated over `current` (address → attributes), replacing the
/// ones saved before; a destroy leaves none. Every apply ends here, including one that changes
/// no resource, so an outputs-only change is saved too.
pub async fn save_outputs(
    store: &SharedStore,
    stack: &str,
    evaluator: &ApplyEvaluator,
    current: &HashMap<String, Attributes>,
    destroy: bool,
) -> Result<(), StateError> {
    let outputs: Vec<OutputRecord> = if destroy {
        Vec::new()
    } else {
        evaluator
            .outputs(current)
            .into_iter()
            .map(|(name, value, sensitive)| OutputRecord {
                name,
                value: value.to_json(),
                sensitive,
            })
            .collect()
    };
    let stack_name = stack.to_string();
    with_store(store, move |store| {
        store.replace_outputs(&stack_name, &outputs)
    })
    .await
}

fn change_action_name(kind: OperationKind, replacing: bool) -> &'static str {
    match (kind, replacing) {
        (OperationKind::Create, false) => "create",
        (OperationKind::Create, true) => "replace",
        (OperationKind::Update, _) => "update",
        (OperationKind::Delete, false) => "delete",
        (OperationKind::Delete, true) => "replace",
        (OperationKind::Read, _) => "read",
    }
}

/// Why an operation was not started after all; [`run_operation`] reports it as skipped.
const NOT_STARTED_STATE_LOST: &str = "not started: the connection to the state server was lost";

impl Shared {
    fn state_connection_lost(&self) -> bool {
        self.state_lost
            .as_ref()
            .is_some_and(|lost| lost.load(Ordering::SeqCst))
    }
}

async fn run_operation(shared: &Shared, operation: &Operation, node: NodeIndex) -> OperationResult {
    let started = Instant::now();
    if shared.state_connection_lost() {
        return OperationResult::Skipped {
            because: NOT_STARTED_STATE_LOST.to_string(),
        };
    }
    shared
        .observer
        .operation_started(&operation.address, operation.kind, operation.replacing);
    let result = match execute(shared, operation, node).await {
        Ok(cloud_id) => OperationResult::Succeeded { cloud_id },
        Err(message) if message == NOT_STARTED_STATE_LOST => {
            OperationResult::Skipped { because: message }
        }
        Err(message) => {
            let event = EventRecord {
                run_id: shared.run_id,
                address: operation.address.clone(),
                action: change_action_name(operation.kind, operation.replacing).to_string(),
                status: "failed".to_string(),
                message: message.clone(),
                duration_ms: started.elapsed().as_millis() as i64,
                at: 0,
            };
            let _ = with_store(&shared.store, move |store| store.record_event(&event)).await;
            OperationResult::Failed { message }
        }
    };
    shared.observer.operation_finished(
        &operation.address,
        operation.kind,
        &result,
        started.elapsed(),
    );
    result
}

/// Describes a provider error for the user: the address, then the error (which names the AWS
/// operation and error code).
fn describe_error(address: &str, error: &ProviderError) -> String {
    format!("{address}: {error}")
}

/// A data source operation: a read (the arguments evaluated with what is known now, the result
/// committed to state as `data.<type>.<name>` and made visible to dependents), or, in a destroy
/// or once the block is gone, forgetting the record. Never changes the cloud.
async fn execute_data(shared: &Shared, operation: &Operation) -> Result<Option<String>, String> {
    let change = &shared.plan.changes[operation.change];
    let stack = shared.plan.stack.clone();
    let started = Instant::now();
    if operation.kind == OperationKind::Delete {
        let event = EventRecord {
            run_id: shared.run_id,
            address: change.address.clone(),
            action: "forget".to_string(),
            status: "ok".to_string(),
            message: "data source removed from state".to_string(),
            duration_ms: 0,
            at: 0,
        };
        let address = change.address.clone();
        let exists = {
            let stack = stack.clone();
            let address = address.clone();
            with_store(&shared.store, move |store| store.resource(&stack, &address))
                .await
                .map_err(|error| error.to_string())?
                .is_some()
        };
        if exists {
            with_store(&shared.store, move |store| {
                store.remove_resource(&stack, &address, &event, None)
            })
            .await
            .map_err(|error| error.to_string())?;
        }
        if let Ok(mut current) = shared.current.lock() {
            current.remove(&change.address);
        }
        return Ok(None);
    }
    let data_source = shared
        .evaluator
        .registry
        .data_source(&change.type_name)
        .cloned()
        .ok_or_else(|| {
            format!(
                "{}: unknown data source {}",
                change.address, change.type_name
            )
        })?;
    let current_snapshot = shared
        .current
        .lock()
        .map(|current| current.clone())
        .unwrap_or_default();
    let (arguments, sensitive) = shared
        .evaluator
        .data_arguments(&change.address, &current_snapshot)
        .map_err(|message| format!("{}: {message}", change.address))?;
    // Through the data block's configuration; one the run did not connect (a spec whose only
    // reads need no cloud) leaves the read without clients, which only a cloud read minds.
    let context = DataContext {
        clients: shared.clients.get(&change.provider).ok(),
        address: change.address.clone(),
        working_directory: std::env::current_dir().unwrap_or_default(),
    };
    let result = data_source
        .read(&context, &arguments)
        .await
        .map_err(|error| describe_error(&change.address, &error))?;
    let attributes = crate::plan::data::completed_result(data_source.as_ref(), &arguments, result);
    let record = ResourceRecord {
        address: change.address.clone(),
        type_name: change.type_name.clone(),
        cloud_id: None,
        attributes: Value::Map(attributes.clone()).to_json(),
        sensitive_attributes: sensitive,
        dependencies: change.dependencies.clone(),
        status: ResourceStatus::Ready,
        updated_at: 0,
        provider: change.provider.clone(),
    };
    let event = EventRecord {
        run_id: shared.run_id,
        address: change.address.clone(),
        action: "read".to_string(),
        status: "ok".to_string(),
        message: attributes
            .get("id")
            .and_then(Value::to_template_string)
            .unwrap_or_default(),
        duration_ms: started.elapsed().as_millis() as i64,
        at: 0,
    };
    with_store(&shared.store, move |store| {
        store.commit_resource(&stack, &record, &event, None)
    })
    .await
    .map_err(|error| error.to_string())?;
    if let Ok(mut current) = shared.current.lock() {
        current.insert(change.address.clone(), attributes);
    }
    Ok(None)
}

async fn execute(
    shared: &Shared,
    operation: &Operation,
    node: NodeIndex,
) -> Result<Option<String>, String> {
    let change = &shared.plan.changes[operation.change];
    if change.is_data() {
        return execute_data(shared, operation).await;
    }
    let resource = shared
        .evaluator
        .registry
        .get(&change.type_name)
        .cloned()
        .ok_or_else(|| {
            format!(
                "{}: unknown resource type {}",
                change.address, change.type_name
            )
        })?;
    let stack = shared.plan.stack.clone();
    let current_snapshot = shared
        .current
        .lock()
        .map(|current| current.clone())
        .unwrap_or_default();
    // Default tags are filled in per branch: a create or update evaluates them in the scope it
    // builds anyway, so the scope (every resource's values and the locals) is built once.
    // Creates and updates go through the change's configuration; a delete through the one
    // state says made the object (set below).
    let provider = match operation.kind {
        OperationKind::Delete => change.delete_provider().to_string(),
        _ => change.provider.clone(),
    };
    let mut context = ProviderContext {
        clients: shared
            .clients
            .get(&provider)
            .map_err(|message| format!("{}: {message}", change.address))?,
        stack: stack.clone(),
        address: change.address.clone(),
        default_tags: Default::default(),
        idempotency_token: uuid::Uuid::new_v4().to_string(),
        progress: {
            let observer = shared.observer.clone();
            let address = change.address.clone();
            ProgressSink::new(move |message| observer.operation_progress(&address, message))
        },
    };
    let started = Instant::now();
    // The spec's `timeouts {}` limit of this operation, from its start.
    let deadline = change
        .timeouts
        .get(match operation.kind {
            OperationKind::Create => "create",
            OperationKind::Update => "update",
            _ => "delete",
        })
        .map(|millis| (started + Duration::from_millis(*millis), *millis));
    match operation.kind {
        OperationKind::Delete => {
            // A create-before-destroy replacement deletes the deposed old object.
            let state_address = if operation.replacing && operation.create_before_destroy {
                deposed_address(&change.address)
            } else {
                change.address.clone()
            };
            let prior_record = {
                let stack = stack.clone();
                let address = state_address.clone();
                with_store(&shared.store, move |store| store.resource(&stack, &address))
                    .await
                    .map_err(|error| error.to_string())?
            };
            let Some(prior_record) = prior_record else {
                return Ok(None);
            };
            if prior_record.provider != provider {
                context.clients = shared
                    .clients
                    .get(&prior_record.provider)
                    .map_err(|message| format!("{}: {message}", change.address))?;
            }
            context.default_tags = shared
                .evaluator
                .default_tags(&current_snapshot, &prior_record.provider);
            let prior = record_attributes(&prior_record);
            let cloud_id = prior_record.cloud_id.clone().unwrap_or_default();
            let pending = NewPendingOperation {
                run_id: shared.run_id,
                address: change.address.clone(),
                type_name: change.type_name.clone(),
                kind: PendingKind::Delete,
                idempotency_token: context.idempotency_token.clone(),
                desired: serde_json::Value::Null,
                sensitive_attributes: Vec::new(),
                provider: prior_record.provider.clone(),
            };
            let pending_id = {
                let stack = stack.clone();
                with_store(&shared.store, move |store| {
                    store.begin_pending(&stack, &pending)
                })
                .await
                .map_err(|error| error.to_string())?
            };
            if shared.state_connection_lost() {
                let _ =
                    with_store(&shared.store, move |store| store.clear_pending(pending_id)).await;
                return Err(NOT_STARTED_STATE_LOST.to_string());
            }
            match within(deadline, resource.delete(&context, &cloud_id, &prior)).await {
                Ok(()) => {}
                Err(ProviderError::DeleteDeferred(why)) => {
                    // Nothing was deleted: the resource stays in state for a later run.
                    let _ = with_store(&shared.store, move |store| store.clear_pending(pending_id))
                        .await;
                    let event = EventRecord {
                        run_id: shared.run_id,
                        address: change.address.clone(),
                        action: change_action_name(operation.kind, operation.replacing).to_string(),
                        status: "deferred".to_string(),
                        message: why.clone(),
                        duration_ms: started.elapsed().as_millis() as i64,
                        at: 0,
                    };
                    let _ =
                        with_store(&shared.store, move |store| store.record_event(&event)).await;
                    shared
                        .observer
                        .operation_progress(&change.address, &format!("deferred: {why}"));
                    if let Ok(mut deferred) = shared.deferred.lock() {
                        deferred.push((change.address.clone(), why));
                    }
                    return Ok(Some(cloud_id));
                }
                Err(error) => {
                    clear_pending_if_definitive(shared, pending_id, &error).await;
                    return Err(describe_error(&change.address, &error));
                }
            }
            let event = EventRecord {
                run_id: shared.run_id,
                address: change.address.clone(),
                action: change_action_name(operation.kind, operation.replacing).to_string(),
                status: "ok".to_string(),
                message: format!("deleted {cloud_id}"),
                duration_ms: started.elapsed().as_millis() as i64,
                at: 0,
            };
            let address = state_address.clone();
            with_store(&shared.store, move |store| {
                store.remove_resource(&stack, &address, &event, Some(pending_id))
            })
            .await
            .map_err(|error| error.to_string())?;
            if let Ok(mut current) = shared.current.lock() {
                current.remove(&state_address);
            }
            Ok(Some(cloud_id))
        }
        OperationKind::Read => Err(format!(
            "{}: a read operation on a managed resource",
            change.address
        )),
        OperationKind::Create | OperationKind::Update => {
            // An update starts from the attributes the plan was made against: state's, or what
            // `plan --refresh` read from the cloud (providers diff prior → desired, so putting
            // drift back needs the drifted values as the prior).
            let prior = if operation.kind == OperationKind::Update {
                // A saved plan holds sensitive values redacted: those come from state.
                match (change.before.clone(), current_snapshot.get(&change.address)) {
                    (Some(mut before), Some(state)) => {
                        for name in &change.sensitive_attributes {
                            match state.get(name) {
                                Some(value) => before.insert(name.clone(), value.clone()),
                                None => before.remove(name),
                            };
                        }
                        Some(before)
                    }
                    (before, state) => before.or_else(|| state.cloned()),
                }
            } else {
                None
            };
            let desired = shared
                .evaluator
                .desired(&change.address, &current_snapshot, prior.as_ref())
                .map_err(|message| format!("{}: {message}", change.address))?;
            context.default_tags = desired.default_tags.clone();
            let mut sensitive: Vec<String> = change.sensitive_attributes.iter().cloned().collect();
            for name in desired.sensitive {
                if !sensitive.contains(&name) {
                    sensitive.push(name);
                }
            }
            let pending = NewPendingOperation {
                run_id: shared.run_id,
                address: change.address.clone(),
                type_name: change.type_name.clone(),
                kind: if operation.kind == OperationKind::Create {
                    PendingKind::Create
                } else {
                    PendingKind::Update
                },
                idempotency_token: context.idempotency_token.clone(),
                desired: Value::Map(desired.attributes.clone()).to_json(),
                sensitive_attributes: sensitive.clone(),
                provider: provider.clone(),
            };
            if operation.kind == OperationKind::Create
                && operation.replacing
                && operation.create_before_destroy
            {
                // Keep the old object in state under its deposed address until it is deleted.
                let stack = stack.clone();
                let address = change.address.clone();
                let run_id = shared.run_id;
                with_store(&shared.store, move |store| {
                    if let Some(mut old) = store.resource(&stack, &address)? {
                        old.address = deposed_address(&address);
                        let event = EventRecord {
                            run_id,
                            address: old.address.clone(),
                            action: "depose".to_string(),
                            status: "ok".to_string(),
                            message: "kept until its replacement is ready".to_string(),
                            duration_ms: 0,
                            at: 0,
                        };
                        store.commit_resource(&stack, &old, &event, None)?;
                    }
                    Ok(())
                })
                .await
                .map_err(|error| error.to_string())?;
            }
            let pending_id = {
                let stack = stack.clone();
                with_store(&shared.store, move |store| {
                    store.begin_pending(&stack, &pending)
                })
                .await
                .map_err(|error| error.to_string())?
            };
            if shared.state_connection_lost() {
                let _ =
                    with_store(&shared.store, move |store| store.clear_pending(pending_id)).await;
                return Err(NOT_STARTED_STATE_LOST.to_string());
            }
            let record = |attributes: &Attributes, status: ResourceStatus| ResourceRecord {
                address: change.address.clone(),
                type_name: change.type_name.clone(),
                cloud_id: attributes.get("id").and_then(Value::to_template_string),
                attributes: Value::Map(attributes.clone()).to_json(),
                sensitive_attributes: sensitive.clone(),
                dependencies: change.dependencies.clone(),
                status,
                updated_at: 0,
                provider: provider.clone(),
            };
            let action = change_action_name(operation.kind, operation.replacing).to_string();
            let final_attributes = if operation.kind == OperationKind::Create {
                let created =
                    match within(deadline, resource.create(&context, &desired.attributes)).await {
                        Ok(created) => created,
                        Err(error) => {
                            clear_pending_if_definitive(shared, pending_id, &error).await;
                            return Err(describe_error(&change.address, &error));
                        }
                    };
                if std::env::var("PROVISION_TEST_ABORT_AFTER_CREATE")
                    .ok()
                    .as_deref()
                    == Some(change.address.as_str())
                {
                    // Fault injection for tests: die between AWS's answer and the state commit.
                    std::process::abort();
                }
                let cloud_id = created
                    .get("id")
                    .and_then(Value::to_template_string)
                    .unwrap_or_default();
                // The cloud id is known: commit it now, so a kill during the wait loses nothing.
                let creating = record(&created, ResourceStatus::Creating);
                let event = EventRecord {
                    run_id: shared.run_id,
                    address: change.address.clone(),
                    action: action.clone(),
                    status: "creating".to_string(),
                    message: format!("created {cloud_id}"),
                    duration_ms: started.elapsed().as_millis() as i64,
                    at: 0,
                };
                {
                    let stack = stack.clone();
                    with_store(&shared.store, move |store| {
                        store.commit_resource(&stack, &creating, &event, Some(pending_id))
                    })
                    .await
                    .map_err(|error| error.to_string())?;
                }
                // Dependents that need only the id may start now.
                if let Ok(mut current) = shared.current.lock() {
                    current.insert(change.address.clone(), created.clone());
                }
                let _ = shared.id_known.send(node);
                if shared.no_wait.contains(&node) {
                    shared.observer.operation_progress(
                        &change.address,
                        &format!("created {cloud_id}; not waiting until it is ready (--no-wait)"),
                    );
                    if let Ok(mut not_waited) = shared.not_waited.lock() {
                        not_waited.push(change.address.clone());
                    }
                    return Ok(Some(cloud_id));
                }
                shared.observer.operation_progress(
                    &change.address,
                    &format!("created {cloud_id}, waiting until ready"),
                );
                match within(deadline, resource.wait_until_ready(&context, &created)).await {
                    Ok(ready) => ready,
                    Err(error) => {
                        // It exists but never became ready (or its wait failed): tainted, as
                        // in Terraform, so the next plan replaces it instead of waiting again.
                        let tainted = record(&created, ResourceStatus::Tainted);
                        let event = EventRecord {
                            run_id: shared.run_id,
                            address: change.address.clone(),
                            action: action.clone(),
                            status: "tainted".to_string(),
                            message: format!("{cloud_id} did not become ready: {error}"),
                            duration_ms: started.elapsed().as_millis() as i64,
                            at: 0,
                        };
                        let stack = stack.clone();
                        let _ = with_store(&shared.store, move |store| {
                            store.commit_resource(&stack, &tainted, &event, None)
                        })
                        .await;
                        return Err(describe_error(&change.address, &error));
                    }
                }
            } else {
                let cloud_id = change.cloud_id.clone().unwrap_or_default();
                let prior = prior.unwrap_or_default();
                match within(
                    deadline,
                    resource.update(&context, &cloud_id, &prior, &desired.attributes),
                )
                .await
                {
                    Ok(updated) => updated,
                    Err(error) => {
                        clear_pending_if_definitive(shared, pending_id, &error).await;
                        return Err(describe_error(&change.address, &error));
                    }
                }
            };
            let ready = record(&final_attributes, ResourceStatus::Ready);
            let cloud_id = ready.cloud_id.clone();
            let event = EventRecord {
                run_id: shared.run_id,
                address: change.address.clone(),
                action,
                status: "ok".to_string(),
                message: cloud_id.clone().unwrap_or_default(),
                duration_ms: started.elapsed().as_millis() as i64,
                at: 0,
            };
            // A create cleared its pending operation with its first commit.
            let clear = (operation.kind != OperationKind::Create).then_some(pending_id);
            with_store(&shared.store, move |store| {
                store.commit_resource(&stack, &ready, &event, clear)
            })
            .await
            .map_err(|error| error.to_string())?;
            if let Ok(mut current) = shared.current.lock() {
                current.insert(change.address.clone(), final_attributes);
            }
            Ok(cloud_id)
        }
    }
}

/// Runs one provider call under the spec's `timeouts {}` limit, when there is one (`deadline`:
/// when the operation must end, and the limit in milliseconds): waits inside it take the time
/// left as their limit, and a call still running at the deadline is abandoned with a timeout
/// error that names the limit.
async fn within<T>(
    deadline: Option<(Instant, u64)>,
    work: impl std::future::Future<Output = Result<T, ProviderError>>,
) -> Result<T, ProviderError> {
    let Some((deadline, millis)) = deadline else {
        return work.await;
    };
    let left = deadline.saturating_duration_since(Instant::now());
    match tokio::time::timeout(left, provision_core::wait_limit::scope(left, work)).await {
        Ok(result) => result,
        Err(_) => Err(ProviderError::Timeout {
            what: format!(
                "the operation to finish within the spec's timeouts limit ({})",
                humanize_millis(millis)
            ),
            waited: Duration::from_millis(millis),
        }),
    }
}

/// `1800000` → `30m`, `4500` → `4.5s`.
fn humanize_millis(millis: u64) -> String {
    match millis {
        m if m % 3_600_000 == 0 => format!("{}h", m / 3_600_000),
        m if m % 60_000 == 0 => format!("{}m", m / 60_000),
        m => format!("{}s", m as f64 / 1000.0),
    }
}

/// AWS answered "no": nothing was done, the pending operation can go. When the call's outcome
/// is unknown (no answer), it stays, so the next run looks for what may have been made.
async fn clear_pending_if_definitive(shared: &Shared, pending_id: i64, error: &ProviderError) {
    if !error.is_unreachable() {
        let _ = with_store(&shared.store, move |store| store.clear_pending(pending_id)).await;
    }
}

/// Where the old object of a create-before-destroy replacement is kept until it is deleted.
pub fn deposed_address(address: &str) -> String {
    format!("{address} (deposed)")
}

/// Counts of a plan's operations, for progress bars.
pub fn operation_count(plan: &Plan) -> usize {
    plan.changes
        .iter()
        .map(|change| match change.action {
            Action::NoOp if change.is_data() && !plan.destroy => 1,
            Action::NoOp => 0,
            Action::Replace => 2,
            _ => 1,
        })
        .sum()
}
