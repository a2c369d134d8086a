//! Drift checks: reads every resource of a stack's state from the cloud (batched per type by the
//! providers' `read_many`, a bounded number of batches at once), compares what it reads with the
//! attributes last applied and with the spec, and lists resources that carry the stack's
//! `provision:stack` tag but that state does not know. Never changes the cloud and never writes
//! state: the caller records the `DriftReport`. `plan --refresh` reuses the reads
//! (`read_cloud`, `refreshed_state`).

pub mod compare;
pub mod report;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Instant;

use provision_core::{Attributes, ProviderContext, ProviderError, Registry, Value};
use provision_state::{DriftKind, ResourceRecord};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::apply::evaluator::ApplyEvaluator;
use crate::diagnostics::Diagnostics;
use crate::plan::data::DataReader;
use crate::plan::is_data_address;
use crate::plan::planner::{make_plan_with_data, record_attributes, PlanRequest};
use crate::plan::{Action, Change, Plan};
use crate::provider_configuration::{ConfigurationClients, ProviderSettings};
use compare::{attributes_to_compare, modified_attributes};
use report::{DriftFinding, DriftReport, PendingSpecChange};

/// How many resources one read task hands to a provider's `read_many`.
pub const READ_BATCH: usize = 200;

/// Why a drift check (or a refresh) could not finish.
#[derive(Debug, thiserror::Error)]
pub enum DriftError {
    /// The spec does not plan (diagnostics to render).
    #[error("the spec has errors")]
    Spec(Diagnostics),
    #[error("reading {type_name}: {source}")]
    Provider {
        type_name: String,
        #[source]
        source: ProviderError,
    },
    #[error("listing {type_name} tagged with the stack: {source}")]
    Listing {
        type_name: String,
        #[source]
        source: ProviderError,
    },
    #[error("state holds {address} of type {type_name}, which this build does not know")]
    UnknownType { address: String, type_name: String },
    #[error("a read task stopped: {0}")]
    Task(String),
}

impl DriftError {
    /// The provider error behind this one, if any (to tell "unreachable" apart).
    pub fn provider_error(&self) -> Option<&ProviderError> {
        match self {
            DriftError::Provider { source, .. } | DriftError::Listing { source, .. } => {
                Some(source)
            }
            _ => None,
        }
    }
}

/// What to read.
pub struct CloudReadRequest<'a> {
    pub registry: &'a Registry,
    /// One client set per provider configuration: each record is read through the
    /// configuration state says owns it.
    pub clients: ConfigurationClients,
    pub stack: &'a str,
    /// The evaluated provider configurations: their `default_tags` (tells the spec's `tags`
    /// from `tags_all`) and `ignore_tags` (left out of what is read).
    pub settings: BTreeMap<String, ProviderSettings>,
    pub state: &'a [ResourceRecord],
    /// How many read batches (and tag listings) run at once.
    pub concurrency: usize,
    /// Also list every type's resources tagged with the stack, for unmanaged ones.
    pub list_unmanaged: bool,
}

/// What the cloud holds now.
#[derive(Debug, Default, Clone)]
pub struct CloudSnapshot {
    /// Address → attributes read now; `None` when the resource is gone.
    pub read: BTreeMap<String, Option<Attributes>>,
    /// Resources tagged with the stack that state does not know.
    pub unmanaged: Vec<DriftFinding>,
}

enum TaskOutcome {
    Read(Vec<(String, Option<Attributes>)>),
    Listed(String, Vec<(String, String)>),
}

/// Reads every resource of `state` (and, when asked, lists what carries the stack's tag).
pub async fn read_cloud(request: CloudReadRequest<'_>) -> Result<CloudSnapshot, DriftError> {
    let context_for = |provider: &str| -> Result<ProviderContext, DriftError> {
        Ok(ProviderContext {
            clients: request.clients.get(provider).map_err(DriftError::Task)?,
            stack: request.stack.to_string(),
            address: String::new(),
            default_tags: request
                .settings
                .get(provider)
                .map(|settings| settings.default_tags.clone())
                .unwrap_or_default(),
            idempotency_token: String::new(),
            progress: Default::default(),
        })
    };
    let limit = Arc::new(Semaphore::new(request.concurrency.max(1)));
    let mut tasks: JoinSet<Result<TaskOutcome, DriftError>> = JoinSet::new();
    let mut snapshot = CloudSnapshot::default();

    // Per configuration and type: one configuration's reads go to its region and account.
    let mut by_type: BTreeMap<(&str, &str), Vec<&ResourceRecord>> = BTreeMap::new();
    // Data sources are read again by every plan: nothing of theirs to check in the cloud.
    for record in request
        .state
        .iter()
        .filter(|record| !is_data_address(&record.address))
    {
        match record.cloud_id.as_deref() {
            Some(id) if !id.is_empty() => by_type
                .entry((record.provider.as_str(), record.type_name.as_str()))
                .or_default()
                .push(record),
            // Never got a cloud id: nothing to read, nothing exists.
            _ => {
                snapshot.read.insert(record.address.clone(), None);
            }
        }
    }
    for ((provider, type_name), records) in by_type {
        let context = context_for(provider)?;
        let ignore_tags = request
            .settings
            .get(provider)
            .map(|settings| settings.ignore_tags.clone())
            .unwrap_or_default();
        let resource =
            request
                .registry
                .get(type_name)
                .cloned()
                .ok_or_else(|| DriftError::UnknownType {
                    address: records[0].address.clone(),
                    type_name: type_name.to_string(),
                })?;
        for batch in records.chunks(READ_BATCH) {
            let addresses: Vec<String> =
                batch.iter().map(|record| record.address.clone()).collect();
            let items: Vec<(String, Attributes)> = batch
                .iter()
                .map(|record| {
                    (
                        record.cloud_id.clone().unwrap_or_default(),
                        record_attributes(record),
                    )
                })
                .collect();
            let resource = resource.clone();
            let context = context.clone();
            let ignore_tags = ignore_tags.clone();
            let limit = limit.clone();
            let type_name = type_name.to_string();
            tasks.spawn(async move {
                let _permit = limit
                    .acquire_owned()
                    .await
                    .map_err(|error| DriftError::Task(error.to_string()))?;
                let mut found = resource
                    .read_many(&context, &items)
                    .await
                    .map_err(|source| DriftError::Provider {
                        type_name: type_name.clone(),
                        source,
                    })?;
                for attributes in found.iter_mut().flatten() {
                    ignore_tags.strip(attributes);
                }
                if found.len() != addresses.len() {
                    return Err(DriftError::Task(format!(
                        "{type_name}: read_many answered {} items for {}",
                        found.len(),
                        addresses.len()
                    )));
                }
                Ok(TaskOutcome::Read(
                    addresses.into_iter().zip(found).collect(),
                ))
            });
        }
    }
    // Unmanaged resources are looked for through every configuration of the run.
    let listing_contexts: Vec<ProviderContext> = request
        .clients
        .configurations()
        .map(context_for)
        .collect::<Result<_, _>>()?;
    if request.list_unmanaged {
        for (type_name, context) in request.registry.type_names().flat_map(|type_name| {
            listing_contexts
                .iter()
                .map(move |context| (type_name, context))
        }) {
            let Some(resource) = request.registry.get(type_name).cloned() else {
                continue;
            };
            let context = context.clone();
            let limit = limit.clone();
            let stack = request.stack.to_string();
            tasks.spawn(async move {
                let _permit = limit
                    .acquire_owned()
                    .await
                    .map_err(|error| DriftError::Task(error.to_string()))?;
                let listed = resource
                    .list_managed(&context, &stack)
                    .await
                    .map_err(|source| DriftError::Listing {
                        type_name: type_name.to_string(),
                        source,
                    })?;
                Ok(TaskOutcome::Listed(type_name.to_string(), listed))
            });
        }
    }

    let known_ids: BTreeSet<(&str, &str)> = request
        .state
        .iter()
        .filter_map(|record| {
            // An alias (`aws_alb`) in state is listed under the type it stands for (`aws_lb`).
            let canonical = request
                .registry
                .get(&record.type_name)
                .map_or(record.type_name.as_str(), |resource| {
                    resource.canonical_type_name()
                });
            record.cloud_id.as_deref().map(|id| (canonical, id))
        })
        .collect();
    while let Some(joined) = tasks.join_next().await {
        let outcome = joined.map_err(|error| DriftError::Task(error.to_string()))??;
        match outcome {
            TaskOutcome::Read(found) => snapshot.read.extend(found),
            TaskOutcome::Listed(type_name, listed) => {
                for (id, address_tag) in listed {
                    if known_ids.contains(&(type_name.as_str(), id.as_str())) {
                        continue;
                    }
                    snapshot.unmanaged.push(DriftFinding {
                        kind: DriftKind::Unmanaged,
                        address: address_tag,
                        type_name: type_name.clone(),
                        cloud_id: Some(id),
                        attributes: Vec::new(),
                    });
                }
            }
        }
    }
    snapshot.unmanaged.sort_by(|left, right| {
        (&left.type_name, &left.cloud_id).cmp(&(&right.type_name, &right.cloud_id))
    });
    // Two configurations of one region and account list the same resources.
    snapshot.unmanaged.dedup_by(|left, right| {
        left.type_name == right.type_name && left.cloud_id == right.cloud_id
    });
    Ok(snapshot)
}

/// State as the cloud has it now, in memory only: each record's attributes replaced by what was
/// read, records of resources that are gone left out (so a plan against it re-creates them).
pub fn refreshed_state(
    state: &[ResourceRecord],
    read: &BTreeMap<String, Option<Attributes>>,
) -> Vec<ResourceRecord> {
    state
        .iter()
        .filter_map(|record| match read.get(&record.address) {
            Some(Some(attributes)) => {
                let mut refreshed = record.clone();
                refreshed.attributes = Value::Map(attributes.clone()).to_json();
                if let Some(id) = attributes.get("id").and_then(Value::to_template_string) {
                    refreshed.cloud_id = Some(id);
                }
                Some(refreshed)
            }
            Some(None) => None,
            // Not read (should not happen): keep what state says.
            None => Some(record.clone()),
        })
        .collect()
}

/// The provider configurations, evaluated with the stack's variables and locals.
pub fn stack_provider_settings(request: &PlanRequest<'_>) -> BTreeMap<String, ProviderSettings> {
    ApplyEvaluator::new(
        request.spec.clone(),
        request.variables.clone(),
        request.registry.clone(),
        request.environment.map(str::to_string),
    )
    .ok()
    .and_then(|evaluator| evaluator.provider_settings(&HashMap::new()).ok())
    .unwrap_or_default()
}

/// A whole drift check of one stack.
pub struct DriftRequest<'a> {
    /// The spec planned against the state (the last applied attributes).
    pub plan: PlanRequest<'a>,
    pub clients: ConfigurationClients,
    pub concurrency: usize,
    /// Reads the spec's data sources (None: they stay unknown).
    pub data_reader: Option<&'a dyn DataReader>,
}

/// Plans the spec against state (spec errors stop here, before any AWS call), reads the cloud,
/// plans the spec against what was read, and compares.
pub async fn check_drift(request: DriftRequest<'_>) -> Result<DriftReport, DriftError> {
    let started = Instant::now();
    let checked_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs() as i64)
        .unwrap_or(0);
    let calls_before = request.clients.api_calls.snapshot();
    let against_state =
        make_plan_with_data(&request.plan, request.data_reader).map_err(DriftError::Spec)?;
    let snapshot = read_cloud(CloudReadRequest {
        registry: request.plan.registry,
        clients: request.clients.clone(),
        stack: request.plan.stack,
        settings: stack_provider_settings(&request.plan),
        state: request.plan.state,
        concurrency: request.concurrency,
        list_unmanaged: true,
    })
    .await?;
    let refreshed = refreshed_state(request.plan.state, &snapshot.read);
    let against_cloud = make_plan_with_data(
        &PlanRequest {
            state: &refreshed,
            ..request.plan
        },
        request.data_reader,
    )
    .map_err(DriftError::Spec)?;
    let mut report = build_report(
        request.plan.registry,
        request.plan.state,
        &snapshot,
        &against_state,
        &against_cloud,
    );
    report.stack = request.plan.stack.to_string();
    report.checked_at = checked_at;
    report.duration_ms = started.elapsed().as_millis() as u64;
    report.api_calls = calls_since(&calls_before, &request.clients.api_calls.snapshot());
    Ok(report)
}

/// Calls made between two counter snapshots.
pub fn calls_since(
    before: &BTreeMap<String, u64>,
    after: &BTreeMap<String, u64>,
) -> BTreeMap<String, u64> {
    after
        .iter()
        .map(|(operation, count)| {
            (
                operation.clone(),
                count - before.get(operation).copied().unwrap_or(0),
            )
        })
        .filter(|(_, count)| *count > 0)
        .collect()
}

/// Compares what was read with state and with the two plans (see `compare`).
pub fn build_report(
    registry: &Registry,
    state: &[ResourceRecord],
    snapshot: &CloudSnapshot,
    against_state: &Plan,
    against_cloud: &Plan,
) -> DriftReport {
    let change_of = |plan: &'_ Plan| -> HashMap<String, Change> {
        plan.changes
            .iter()
            .map(|change| (change.address.clone(), change.clone()))
            .collect()
    };
    let state_changes = change_of(against_state);
    let cloud_changes = change_of(against_cloud);
    let mut modified = Vec::new();
    let mut deleted = Vec::new();
    for record in state
        .iter()
        .filter(|record| !is_data_address(&record.address))
    {
        let finding = |kind, attributes| DriftFinding {
            kind,
            address: record.address.clone(),
            type_name: record.type_name.clone(),
            cloud_id: record.cloud_id.clone(),
            attributes,
        };
        match snapshot.read.get(&record.address) {
            Some(None) => deleted.push(finding(DriftKind::Deleted, Vec::new())),
            Some(Some(actual)) => {
                let Some(resource) = registry.get(&record.type_name) else {
                    continue;
                };
                let compared = attributes_to_compare(
                    state_changes.get(&record.address),
                    cloud_changes.get(&record.address),
                );
                let sensitive: BTreeSet<String> =
                    record.sensitive_attributes.iter().cloned().collect();
                let drifted = modified_attributes(
                    resource.schema(),
                    &record_attributes(record),
                    actual,
                    compared.as_ref(),
                    &sensitive,
                );
                if !drifted.is_empty() {
                    modified.push(finding(DriftKind::Modified, drifted));
                }
            }
            None => {}
        }
    }
    modified.sort_by(|left, right| left.address.cmp(&right.address));
    deleted.sort_by(|left, right| left.address.cmp(&right.address));
    let spec_changes = against_state
        .changes
        .iter()
        .filter(|change| change.action != Action::NoOp)
        .map(|change| PendingSpecChange {
            address: change.address.clone(),
            action: change.action.as_str().to_string(),
            attributes: change
                .attribute_changes
                .iter()
                .map(|attribute| attribute.name.clone())
                .collect(),
        })
        .collect();
    let mut findings = modified;
    findings.extend(deleted);
    findings.extend(snapshot.unmanaged.iter().cloned());
    DriftReport {
        resources_checked: state.len(),
        findings,
        spec_changes,
        ..DriftReport::default()
    }
}
