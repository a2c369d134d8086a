//! Recovery at the start of a run: pending operations left by a killed run are resolved (the
//! resource is found by its client token / name / `provision:*` tags and adopted, or confirmed
//! absent), and resources committed while still `Creating` are waited for — so a re-run has
//! no orphans and no duplicates.

use std::collections::BTreeMap;

use provision_core::{Attributes, ProviderContext, Registry, Value};
use provision_state::{EventRecord, PendingKind, ResourceRecord, ResourceStatus};

use super::{with_store, SharedStore};
use crate::plan::planner::record_attributes;
use crate::provider_configuration::{ConfigurationClients, ProviderSettings};

/// What recovery did, one line per resource.
#[derive(Debug, Clone, Default)]
pub struct RecoveryReport {
    pub actions: Vec<String>,
    /// Something in state changed.
    pub changed_state: bool,
}

/// Resolves the stack's pending operations and `Creating` resources.
pub async fn recover_interrupted(
    store: &SharedStore,
    stack: &str,
    run_id: i64,
    registry: &Registry,
    clients: &ConfigurationClients,
    settings: &BTreeMap<String, ProviderSettings>,
) -> Result<RecoveryReport, String> {
    let mut report = RecoveryReport::default();
    let stack_name = stack.to_string();
    let (pending, resources) = with_store(store, move |store| {
        Ok((
            store.pending_operations(&stack_name)?,
            store.resources(&stack_name)?,
        ))
    })
    .await
    .map_err(|error| error.to_string())?;
    // Each call goes to the configuration the interrupted call went to.
    let context_for =
        |address: &str, token: &str, provider: &str| -> Result<ProviderContext, String> {
            Ok(ProviderContext {
                clients: clients
                    .get(provider)
                    .map_err(|message| format!("{address}: {message}"))?,
                stack: stack.to_string(),
                address: address.to_string(),
                default_tags: settings
                    .get(provider)
                    .map(|settings| settings.default_tags.clone())
                    .unwrap_or_default(),
                idempotency_token: token.to_string(),
                progress: Default::default(),
            })
        };
    let event = |address: &str, action: &str, message: String| EventRecord {
        run_id,
        address: address.to_string(),
        action: action.to_string(),
        status: "ok".to_string(),
        message,
        duration_ms: 0,
        at: 0,
    };
    for operation in pending {
        let Some(resource) = registry.get(&operation.type_name) else {
            continue;
        };
        let context = context_for(
            &operation.address,
            &operation.idempotency_token,
            &operation.provider,
        )?;
        let existing = resources
            .iter()
            .find(|record| record.address == operation.address);
        let pending_id = operation.id;
        let stack_name = stack.to_string();
        match (operation.kind, existing) {
            (PendingKind::Create, None) => {
                let desired = match Value::from_json(&operation.desired) {
                    Value::Map(entries) => entries,
                    _ => Attributes::new(),
                };
                let found = resource
                    .recover(&context, &desired)
                    .await
                    .map_err(|error| {
                        format!(
                            "{}: recovering an interrupted create: {error}",
                            operation.address
                        )
                    })?;
                match found {
                    Some(attributes) => {
                        let attributes = resource
                            .wait_until_ready(&context, &attributes)
                            .await
                            .map_err(|error| format!("{}: {error}", operation.address))?;
                        let cloud_id = attributes.get("id").and_then(Value::to_template_string);
                        let record = ResourceRecord {
                            address: operation.address.clone(),
                            type_name: operation.type_name.clone(),
                            cloud_id: cloud_id.clone(),
                            attributes: Value::Map(attributes).to_json(),
                            sensitive_attributes: Vec::new(),
                            dependencies: Vec::new(),
                            status: ResourceStatus::Ready,
                            updated_at: 0,
                            provider: operation.provider.clone(),
                        };
                        let message = format!(
                            "adopted {} left by an interrupted run",
                            cloud_id.unwrap_or_default()
                        );
                        report
                            .actions
                            .push(format!("{}: {message}", operation.address));
                        let event = event(&operation.address, "adopt", message);
                        with_store(store, move |store| {
                            store.commit_resource(&stack_name, &record, &event, Some(pending_id))
                        })
                        .await
                        .map_err(|error| error.to_string())?;
                        report.changed_state = true;
                    }
                    None => {
                        report.actions.push(format!(
                            "{}: an interrupted create made nothing; it will be created",
                            operation.address
                        ));
                        with_store(store, move |store| store.clear_pending(pending_id))
                            .await
                            .map_err(|error| error.to_string())?;
                    }
                }
            }
            (_, Some(record)) => {
                let prior = record_attributes(record);
                let cloud_id = record.cloud_id.clone().unwrap_or_default();
                let read = resource
                    .read(&context, &cloud_id, &prior)
                    .await
                    .map_err(|error| format!("{}: {error}", operation.address))?;
                let address = operation.address.clone();
                match read {
                    Some(attributes) => {
                        let mut updated = record.clone();
                        updated.attributes = Value::Map(attributes).to_json();
                        let message = "refreshed after an interrupted run".to_string();
                        report.actions.push(format!("{address}: {message}"));
                        let event = event(&address, "recover", message);
                        with_store(store, move |store| {
                            store.commit_resource(&stack_name, &updated, &event, Some(pending_id))
                        })
                        .await
                        .map_err(|error| error.to_string())?;
                    }
                    None => {
                        let message = format!("{cloud_id} is gone; removed from state");
                        report.actions.push(format!("{address}: {message}"));
                        let event = event(&address, "recover", message);
                        with_store(store, move |store| {
                            store.remove_resource(&stack_name, &address, &event, Some(pending_id))
                        })
                        .await
                        .map_err(|error| error.to_string())?;
                    }
                }
                report.changed_state = true;
            }
            (_, None) => {
                with_store(store, move |store| store.clear_pending(pending_id))
                    .await
                    .map_err(|error| error.to_string())?;
            }
        }
    }
    // Resources whose create returned but whose readiness wait never finished.
    let stack_name = stack.to_string();
    let resources = with_store(store, move |store| store.resources(&stack_name))
        .await
        .map_err(|error| error.to_string())?;
    for record in resources
        .into_iter()
        .filter(|record| record.status == ResourceStatus::Creating)
    {
        let Some(resource) = registry.get(&record.type_name) else {
            continue;
        };
        let context = context_for(&record.address, "", &record.provider)?;
        let prior = record_attributes(&record);
        let cloud_id = record.cloud_id.clone().unwrap_or_default();
        let stack_name = stack.to_string();
        let address = record.address.clone();
        match resource
            .read(&context, &cloud_id, &prior)
            .await
            .map_err(|error| format!("{address}: {error}"))?
        {
            Some(_) => {
                let attributes = resource
                    .wait_until_ready(&context, &prior)
                    .await
                    .map_err(|error| format!("{address}: {error}"))?;
                let mut ready = record.clone();
                ready.attributes = Value::Map(attributes).to_json();
                ready.status = ResourceStatus::Ready;
                let message = "became ready after an interrupted run".to_string();
                report.actions.push(format!("{address}: {message}"));
                let event = event(&address, "recover", message);
                with_store(store, move |store| {
                    store.commit_resource(&stack_name, &ready, &event, None)
                })
                .await
                .map_err(|error| error.to_string())?;
            }
            None => {
                let message = format!("{cloud_id} is gone; removed from state");
                report.actions.push(format!("{address}: {message}"));
                let event = event(&address, "recover", message);
                with_store(store, move |store| {
                    store.remove_resource(&stack_name, &address, &event, None)
                })
                .await
                .map_err(|error| error.to_string())?;
            }
        }
        report.changed_state = true;
    }
    Ok(report)
}
