//! `provision import ADDRESS ID [DIR]`: brings one existing cloud object under management. The
//! address must be a resource instance of the spec; its credentials are checked first (as
//! apply's preflight does); the object is read by ID through the type's `import` and recorded
//! in state in one transaction, with the provider configuration that owns it. An address
//! already in state is refused. Also the spec lookups `import {}` blocks and this command share.

use anyhow::{anyhow, bail, Result};
use provision_resources::{ProgressSink, ProviderContext};
use provision_state::{RunKind, RunStatus};

use super::args::ImportArgs;
use super::{CommandContext, Reported};
use crate::address::{InstanceKey, ResourceAddr};
use crate::apply::{import_into_state, with_store, ImportTarget};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::plan::Plan;
use crate::spec::{ResourceBlock, Spec};

impl CommandContext {
    pub(super) async fn import(&self, arguments: ImportArgs) -> Result<u8> {
        let address = arguments.address.trim().to_string();
        let Some(parsed) = ResourceAddr::parse(&address) else {
            bail!(
                "`{address}` is not a resource address\n  hint: write TYPE.NAME, with an instance key and module path where there are: aws_vpc.main, aws_subnet.private[0], 'module.network.aws_subnet.private[\"a\"]'"
            );
        };
        let Some(resource) = self.registry.get(&parsed.type_name).cloned() else {
            bail!(
                "unknown resource type `{}`\n  hint: {}",
                parsed.type_name,
                match self.registry.suggest(&parsed.type_name) {
                    Some(suggestion) => format!("did you mean `{suggestion}`?"),
                    None =>
                        "run `provision types` to list the supported resource types".to_string(),
                }
            );
        };
        let loaded = self.load(&arguments.directory, &arguments.inputs)?;
        // Spec errors and a missing address are found before anything is opened or called.
        let checked = self.check_plan(&loaded, false)?;
        let block = find_block(&loaded.spec, &parsed);
        let in_spec = |plan: &Plan| {
            plan.changes
                .iter()
                .any(|change| change.address == address && !change.is_data())
        };
        if !in_spec(&checked) && block.is_none() {
            self.print_missing(&loaded.spec, &parsed, &address, None, &checked);
            return Err(Reported.into());
        }
        let existing = self.open_existing_store()?;
        let state = match &existing {
            Some(store) => store.resources(&loaded.stack)?,
            None => Vec::new(),
        };
        if let Some(record) = state.iter().find(|record| record.address == address) {
            bail!(
                "{address} is already managed (id {}): import refuses an address that is in state\n  hint: `provision state rm {address}` first to manage another object there, or import to another address",
                record.cloud_id.clone().unwrap_or_default()
            );
        }
        // Preflight: the credentials of every configuration the stack uses, before state is
        // created.
        let (clients, settings) = self.connect(&loaded, &state).await?;
        let plan = if in_spec(&checked) {
            checked
        } else {
            // The block's instances depend on data sources: plan with them read.
            self.make_plan(&loaded, existing.as_deref(), false)?
        };
        drop(existing);
        let Some(change) = plan
            .changes
            .iter()
            .find(|change| change.address == address && !change.is_data())
        else {
            self.print_missing(&loaded.spec, &parsed, &address, block, &plan);
            return Err(Reported.into());
        };
        let mut store = self.open_store()?;
        store.ensure_stack(&loaded.stack)?;
        let session = self.lock(store, &loaded.stack, "import").await?;
        let result = async {
            let summary = format!("import {address} {}", arguments.id);
            let stack = loaded.stack.clone();
            let run_id = with_store(&session.store, move |store| {
                store.start_run(&stack, RunKind::Apply, &summary)
            })
            .await?;
            let context = ProviderContext {
                clients: clients
                    .get(&change.provider)
                    .map_err(|message| anyhow!("{address}: {message}"))?,
                stack: loaded.stack.clone(),
                address: address.clone(),
                default_tags: settings
                    .get(&change.provider)
                    .map(|settings| settings.default_tags.clone())
                    .unwrap_or_default(),
                idempotency_token: uuid::Uuid::new_v4().to_string(),
                progress: ProgressSink::default(),
            };
            let imported = import_into_state(
                &session.store,
                ImportTarget {
                    stack: &loaded.stack,
                    run_id,
                    address: &address,
                    resource: resource.as_ref(),
                    import_id: &arguments.id,
                    provider: &change.provider,
                    sensitive_attributes: change.sensitive_attributes.iter().cloned().collect(),
                    dependencies: change.dependencies.clone(),
                },
                &context,
            )
            .await;
            let (status, message) = match &imported {
                Ok(cloud_id) => (RunStatus::Succeeded, format!("imported {cloud_id}")),
                Err(message) => (RunStatus::Failed, message.clone()),
            };
            with_store(&session.store, move |store| {
                store.finish_run(run_id, status, &message)
            })
            .await?;
            let cloud_id = imported.map_err(|message| anyhow!(message))?;
            println!(
                "{} {address}: imported {cloud_id} (import ID {}, provider configuration {}).",
                self.style_out.green("Import successful!"),
                arguments.id,
                change.provider
            );
            println!(
                "\nThe object is now in state. Run `provision plan {}` to see how the spec and the imported object differ.",
                super::plan_command_arguments(&plan)
            );
            Ok(0)
        }
        .await;
        session.release().await;
        result
    }

    /// The error for an address the spec has no instance at: at the block when there is one
    /// (with the instances it has), else with the blocks of that type.
    fn print_missing(
        &self,
        spec: &Spec,
        parsed: &ResourceAddr,
        address: &str,
        block: Option<&ResourceBlock>,
        plan: &Plan,
    ) {
        let block = block.or_else(|| find_block(spec, parsed));
        let mut diagnostics = Diagnostics::new();
        let diagnostic = match block {
            Some(block) => {
                let prefix = parsed.block_address();
                let instances: Vec<&str> = plan
                    .changes
                    .iter()
                    .filter(|change| crate::plan::address_within(&change.address, &prefix))
                    .map(|change| change.address.as_str())
                    .collect();
                Diagnostic::error(
                    format!("cannot import to {address}: the spec has no such instance"),
                    Some(block.name_span.clone()),
                )
                .with_label(match parsed.key {
                    InstanceKey::None if block.count.is_some() || block.for_each.is_some() => {
                        "this block has count or for_each: name an instance".to_string()
                    }
                    _ => format!("{prefix} is declared here"),
                })
                .with_hint(if instances.is_empty() {
                    format!("{prefix} has no instances (count or for_each is empty)")
                } else {
                    format!("import to one of its instances: {}", instances.join(", "))
                })
            }
            None => {
                let same_type: Vec<String> = spec
                    .resources
                    .iter()
                    .filter(|candidate| candidate.type_name == parsed.type_name)
                    .map(ResourceBlock::address)
                    .collect();
                // At the first block of the type, when there is one, for the location.
                let nearest = spec
                    .resources
                    .iter()
                    .find(|candidate| candidate.type_name == parsed.type_name);
                let diagnostic = Diagnostic::error(
                    format!("cannot import to {address}: the spec has no resource block at this address"),
                    nearest.map(|block| block.name_span.clone()),
                );
                match nearest {
                    Some(block) => diagnostic.with_label(format!("the spec's {} is {}", parsed.type_name, block.address())),
                    None => diagnostic,
                }
                .with_hint(format!(
                    "add `resource \"{}\" \"{}\" {{ ... }}` to the spec{} first (import only records the object; the spec says what it should be){}",
                    parsed.type_name,
                    parsed.name,
                    if parsed.module.is_empty() {
                        String::new()
                    } else {
                        format!(" (in module {})", crate::address::module_path_text(&parsed.module))
                    },
                    if same_type.is_empty() {
                        String::new()
                    } else {
                        format!("; {} blocks of the spec: {}", parsed.type_name, same_type.join(", "))
                    }
                ))
            }
        };
        diagnostics.push(diagnostic);
        self.print_diagnostics(&spec.sources, &diagnostics);
    }
}

/// The resource block `address` is an instance of, following its module path.
pub fn find_block<'a>(spec: &'a Spec, address: &ResourceAddr) -> Option<&'a ResourceBlock> {
    let mut current = spec;
    for step in &address.module {
        current = &current
            .modules
            .iter()
            .find(|call| call.name == step.name)?
            .module;
    }
    current
        .resources
        .iter()
        .find(|block| block.type_name == address.type_name && block.name == address.name)
}
