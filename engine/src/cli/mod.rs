//! The command line: parsing (`args`), the commands, and everything printed or read from the
//! terminal. The only module that prints or turns byte spans into line:col.

pub mod approval;
pub mod args;
pub mod data_reader;
pub mod drift_command;
mod fmt_command;
pub mod generate_config;
mod import_command;
pub mod progress;
pub mod render_diagnostic;
pub mod render_plan;
pub mod state_key;
pub mod style;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{anyhow, bail, Context, Result};
use clap::Parser;
use provision_resources::{Registry, Value};
use provision_state::{
    LockHolder, PlanRecord, ResourceRecord, RunKind, RunStatus, StateError, StateLocation,
    StateStore,
};

use crate::apply::evaluator::ApplyEvaluator;
use crate::apply::recovery::recover_interrupted;
use crate::apply::{
    apply_plan, operation_count, save_outputs, with_store, ApplyObserver, ApplyOutcome,
    ApplyRequest, SharedStore,
};
use crate::diagnostics::{Diagnostics, SourceMap};
use crate::drift::report::DriftReport;
use crate::drift::{build_report, read_cloud, refreshed_state, CloudReadRequest};
use crate::graph::render::{render_graph, GraphFormat};
use crate::plan::data::DataReader;
use crate::plan::planner::{make_plan, make_plan_with_data, record_attributes, PlanRequest};
use crate::plan::saved::{sensitive_value_hash, SavedPlan};
use crate::plan::security::ApprovalLevel;
use crate::plan::Plan;
use crate::provider_configuration::{
    ConfigurationClients, ProviderSettings, DEFAULT_CONFIGURATION,
};
use crate::spec::{load_spec, Spec};
use crate::variables::{resolve_variables, InputVariables, VariableSources};
use approval::{level_in_force, review, ApprovalOutcome, ApprovalRequest};
use args::{
    ApplyArgs, Cli, Command, DestroyArgs, GraphFormatArg, InputArgs, RunArgs, SpecArgs, StackArgs,
    StateCommand,
};
use render_diagnostic::render_diagnostics;
use render_plan::{plan_json, render_plan, render_security_changes};
use style::Style;

/// Exit code for errors.
const EXIT_ERROR: u8 = 1;
/// Exit code of `plan --exit-code` when there are changes.
const EXIT_CHANGES: u8 = 2;

/// An error already shown to the user (diagnostics were printed): just exit 1.
#[derive(Debug)]
struct Reported;

impl std::fmt::Display for Reported {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "errors reported above")
    }
}

impl std::error::Error for Reported {}

/// Entry point of the `provision` binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse_from(terraform_flags(std::env::args_os()));
    let style = Style::detect(cli.no_color, std::io::stderr().is_terminal());
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            if error.downcast_ref::<Reported>().is_none() {
                eprintln!("{} {error}", style.red(&style.bold("error:")));
                for cause in error.chain().skip(1) {
                    eprintln!("  Caused by: {cause}");
                }
            }
            ExitCode::from(EXIT_ERROR)
        }
    }
}

async fn run(cli: Cli) -> Result<u8> {
    let context = CommandContext {
        state: StateLocation::parse(&cli.state),
        region: cli.region.clone(),
        profile: cli.profile.clone(),
        style_out: Style::detect(cli.no_color, std::io::stdout().is_terminal()),
        style_err: Style::detect(cli.no_color, std::io::stderr().is_terminal()),
        registry: provision_resources::registry(),
        data_reader: std::sync::OnceLock::new(),
    };
    match cli.command {
        Command::Validate(arguments) => context.validate(&arguments),
        Command::Plan(arguments) => context.plan(&arguments).await,
        Command::Drift(arguments) => context.drift(&arguments).await,
        Command::Apply(arguments) => context.apply(arguments).await,
        Command::Destroy(arguments) => context.destroy(arguments).await,
        Command::Graph(arguments) => context.graph(&arguments.spec, arguments.format),
        Command::State(command) => context.state(command),
        Command::Output(arguments) => context.output(arguments),
        Command::History(arguments) => context.history(arguments),
        Command::Fmt(arguments) => fmt_command::run(&arguments, &context.style_err),
        Command::Completions(arguments) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(
                arguments.shell,
                &mut command,
                "provision",
                &mut std::io::stdout(),
            );
            Ok(0)
        }
        Command::Import(arguments) => context.import(arguments).await,
        Command::Types(arguments) => {
            if arguments.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&types_json(&context.registry))?
                );
            } else {
                for name in context.registry.type_names() {
                    println!("{name}");
                }
            }
            Ok(0)
        }
    }
}

/// Terraform's single-dash spelling of the flags it shares with provision
/// (`-generate-config-out=FILE`) as clap's `--generate-config-out=FILE`.
fn terraform_flags(arguments: impl Iterator<Item = std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    arguments
        .map(|argument| match argument.to_str() {
            Some(text) if text.starts_with("-generate-config-out") => {
                std::ffi::OsString::from(format!("-{text}"))
            }
            _ => argument,
        })
        .collect()
}

/// `provision types --json`: every resource type with its import ID format, every data source.
fn types_json(registry: &Registry) -> serde_json::Value {
    let resources: Vec<serde_json::Value> = registry
        .type_names()
        .filter_map(|name| registry.get(name))
        .map(|resource| {
            serde_json::json!({
                "name": resource.type_name(),
                "kind": "resource",
                "import_id": resource.import_id(),
            })
        })
        .collect();
    let data_sources: Vec<serde_json::Value> = registry
        .data_source_names()
        .map(|name| serde_json::json!({ "name": name, "kind": "data" }))
        .collect();
    serde_json::json!({ "resources": resources, "data_sources": data_sources })
}

/// A spec loaded with its variables, ready to plan.
struct LoadedSpec {
    spec: Spec,
    variables: InputVariables,
    stack: String,
    environment: Option<String>,
    /// `--exclude` addresses.
    exclude: Vec<String>,
}

struct CommandContext {
    /// `--state`: a SQLite file or a PostgreSQL server.
    state: StateLocation,
    region: Option<String>,
    profile: Option<String>,
    style_out: Style,
    style_err: Style,
    registry: Registry,
    /// Reads the data sources of the spec during plan; made on the first plan that needs it.
    data_reader: std::sync::OnceLock<data_reader::CliDataReader>,
}

/// `specs/edgemind/` → `specs/edgemind`; with an environment `specs/edgemind/prod`.
pub fn stack_name(directory: &Path, environment: Option<&str>) -> String {
    let text = directory.display().to_string();
    let trimmed = text.trim_end_matches('/');
    let trimmed = trimmed.strip_prefix("./").unwrap_or(trimmed);
    match environment {
        Some(environment) => format!("{trimmed}/{environment}"),
        None => trimmed.to_string(),
    }
}

impl CommandContext {
    fn print_diagnostics(&self, sources: &SourceMap, diagnostics: &Diagnostics) {
        if diagnostics.is_empty() {
            return;
        }
        eprint!(
            "{}",
            render_diagnostics(sources, diagnostics, &self.style_err)
        );
        let errors = diagnostics
            .items
            .iter()
            .filter(|diagnostic| diagnostic.is_error())
            .count();
        if errors > 0 {
            eprintln!(
                "{} {errors} error{} in the spec; nothing was changed",
                self.style_err.red(&self.style_err.bold("error:")),
                if errors == 1 { "" } else { "s" }
            );
        }
    }

    /// Loads the spec and resolves its variables; prints diagnostics and fails on errors.
    fn load(&self, directory: &Path, inputs: &InputArgs) -> Result<LoadedSpec> {
        let (mut spec, diagnostics) = load_spec(directory);
        if diagnostics.has_errors() {
            self.print_diagnostics(&spec.sources, &diagnostics);
            return Err(Reported.into());
        }
        self.print_diagnostics(
            &spec.sources,
            &crate::plan::planner::deprecation_warnings(&spec),
        );
        let mut cli_values = Vec::new();
        for assignment in &inputs.variables {
            let Some((name, value)) = assignment.split_once('=') else {
                bail!("--var takes NAME=VALUE, got `{assignment}`");
            };
            cli_values.push((name.trim().to_string(), value.to_string()));
        }
        if let Some(environment) = &inputs.environment {
            let file = directory.join("env").join(format!("{environment}.tfvars"));
            if !file.exists() {
                bail!(
                    "no environment `{environment}`: {} does not exist\n  hint: environments of this spec: {}",
                    file.display(),
                    list_environments(directory)
                );
            }
        }
        let sources = VariableSources {
            cli_values,
            var_files: inputs.variable_files.clone(),
            environment: inputs.environment.clone(),
            process_env: std::env::vars().collect(),
        };
        let variables = match resolve_variables(&mut spec, &sources) {
            Ok(variables) => variables,
            Err(diagnostics) => {
                self.print_diagnostics(&spec.sources, &diagnostics);
                return Err(Reported.into());
            }
        };
        Ok(LoadedSpec {
            stack: stack_name(directory, inputs.environment.as_deref()),
            environment: inputs.environment.clone(),
            exclude: inputs.exclude.clone(),
            spec,
            variables,
        })
    }

    /// Opens the state database only if it exists (planning must not create it).
    fn open_existing_store(&self) -> Result<Option<Box<dyn StateStore>>> {
        let Some(mut store) = provision_state::open_existing(&self.state)
            .with_context(|| format!("cannot open the state database {}", self.state.describe()))?
        else {
            return Ok(None);
        };
        if let Some(key) = state_key::load(self.key_fallback_path(), false)? {
            store.set_sealing_key(key);
        }
        self.print_permission_notices(&*store);
        Ok(Some(store))
    }

    /// Opens (creating it if needed) the state database, with the key that seals its
    /// sensitive values (created too when there is none yet).
    fn open_store(&self) -> Result<Box<dyn StateStore>> {
        let mut store = provision_state::open(&self.state)
            .with_context(|| format!("cannot open the state database {}", self.state.describe()))?;
        if let Some(key) = state_key::load(self.key_fallback_path(), true)? {
            store.set_sealing_key(key);
        }
        self.print_permission_notices(&*store);
        Ok(store)
    }

    /// `notice:` lines for a state database or folder whose permissions opening narrowed.
    fn print_permission_notices(&self, store: &dyn StateStore) {
        for notice in store.permission_notices() {
            eprintln!("{} {notice}", self.style_err.yellow("notice:"));
        }
    }

    /// Where the sealing key goes when there is no configuration folder: beside the state
    /// file, or (for a state server) beside the default state file.
    fn key_fallback_path(&self) -> &Path {
        self.state
            .file()
            .unwrap_or(Path::new(".provision/state.db"))
    }

    /// "no state database at ..." for commands that only read.
    fn no_state(&self) -> anyhow::Error {
        match &self.state {
            StateLocation::File(path) => anyhow!("no state database at {}", path.display()),
            StateLocation::Postgres(_) => anyhow!(
                "no provision state in {} (the database holds no provision schema yet)",
                self.state.describe()
            ),
        }
    }

    /// Plans `loaded` against `store` (None: empty state). Prints diagnostics on errors.
    fn make_plan(
        &self,
        loaded: &LoadedSpec,
        store: Option<&dyn StateStore>,
        destroy: bool,
    ) -> Result<Plan> {
        let (state, serial, prior_outputs) = match store {
            Some(store) => {
                let serial = store
                    .stack(&loaded.stack)?
                    .map(|stack| stack.serial)
                    .unwrap_or(0);
                let outputs: BTreeMap<String, Value> = store
                    .outputs(&loaded.stack)?
                    .into_iter()
                    .map(|output| (output.name, Value::from_json(&output.value)))
                    .collect();
                (store.resources(&loaded.stack)?, serial, outputs)
            }
            None => (Vec::new(), 0, BTreeMap::new()),
        };
        self.make_plan_against(loaded, &state, serial, &prior_outputs, destroy)
    }

    /// Plans `loaded` against the given state records. Prints diagnostics on errors.
    fn make_plan_against(
        &self,
        loaded: &LoadedSpec,
        state: &[ResourceRecord],
        serial: i64,
        prior_outputs: &BTreeMap<String, Value>,
        destroy: bool,
    ) -> Result<Plan> {
        let request = self.plan_request(loaded, state, serial, prior_outputs, destroy);
        let reader = self.data_reader(loaded)?;
        let mut plan = make_plan_with_data(&request, Some(reader)).map_err(
            |diagnostics| -> anyhow::Error {
                self.print_diagnostics(&loaded.spec.sources, &diagnostics);
                Reported.into()
            },
        )?;
        self.exclude(loaded, &mut plan);
        Ok(plan)
    }

    /// Applies `--exclude` to `plan`, saying what it left out.
    fn exclude(&self, loaded: &LoadedSpec, plan: &mut Plan) {
        let left_out = plan.exclude(&loaded.exclude);
        if !left_out.is_empty() {
            eprintln!(
                "{} --exclude leaves out {} change(s): {}; the plan is not the whole spec",
                self.style_err.yellow(&self.style_err.bold("warning:")),
                left_out.len(),
                left_out.join(", ")
            );
        }
    }

    /// The spec checks made before anything is opened, locked or called: a plan against empty
    /// state that reads no data source. Prints diagnostics on errors.
    fn check_plan(&self, loaded: &LoadedSpec, destroy: bool) -> Result<Plan> {
        let prior_outputs = BTreeMap::new();
        let request = self.plan_request(loaded, &[], 0, &prior_outputs, destroy);
        make_plan(&request).map_err(|diagnostics| {
            self.print_diagnostics(&loaded.spec.sources, &diagnostics);
            Reported.into()
        })
    }

    /// The reader plans read data sources with: each read through its block's provider
    /// configuration, as `connect` builds them.
    fn data_reader(&self, loaded: &LoadedSpec) -> Result<&dyn DataReader> {
        if let Some(reader) = self.data_reader.get() {
            return Ok(reader);
        }
        let reader = data_reader::CliDataReader::new(self.provider_settings(loaded)?)
            .context("cannot start the runtime that reads data sources")?;
        Ok(self.data_reader.get_or_init(|| reader))
    }

    fn plan_request<'a>(
        &'a self,
        loaded: &'a LoadedSpec,
        state: &'a [ResourceRecord],
        serial: i64,
        prior_outputs: &'a BTreeMap<String, Value>,
        destroy: bool,
    ) -> PlanRequest<'a> {
        PlanRequest {
            spec: &loaded.spec,
            variables: &loaded.variables,
            registry: &self.registry,
            stack: &loaded.stack,
            environment: loaded.environment.as_deref(),
            state,
            state_serial: serial,
            prior_outputs,
            destroy,
        }
    }

    /// `plan --refresh`: reads every resource in state from the cloud and plans against what it
    /// holds (in memory: state is not written), so drifted resources are put back by apply.
    /// The saved plan records the state serial as usual; apply updates from the refreshed
    /// attributes the plan carries. Prints what the refresh found (on stderr with --json).
    async fn refreshed_plan(
        &self,
        loaded: &LoadedSpec,
        store: Option<&dyn StateStore>,
        destroy: bool,
        json: bool,
    ) -> Result<Plan> {
        // Spec errors first, before AWS is called.
        self.check_plan(loaded, destroy)?;
        let Some(store) = store else {
            return self.make_plan(loaded, None, destroy);
        };
        let serial = store
            .stack(&loaded.stack)?
            .map(|stack| stack.serial)
            .unwrap_or(0);
        let prior_outputs: BTreeMap<String, Value> = store
            .outputs(&loaded.stack)?
            .into_iter()
            .map(|output| (output.name, Value::from_json(&output.value)))
            .collect();
        let state = store.resources(&loaded.stack)?;
        if state.is_empty() {
            return self.make_plan_against(loaded, &state, serial, &prior_outputs, destroy);
        }
        let (clients, settings) = self.connect(loaded, &state).await?;
        let snapshot = read_cloud(CloudReadRequest {
            registry: &self.registry,
            clients,
            stack: &loaded.stack,
            settings,
            state: &state,
            concurrency: 8,
            list_unmanaged: true,
        })
        .await
        .map_err(|error| self.drift_failure(loaded, error))?;
        let refreshed = refreshed_state(&state, &snapshot.read);
        let against_state =
            self.make_plan_against(loaded, &state, serial, &prior_outputs, destroy)?;
        let plan = self.make_plan_against(loaded, &refreshed, serial, &prior_outputs, destroy)?;
        let report = DriftReport {
            stack: loaded.stack.clone(),
            ..build_report(&self.registry, &state, &snapshot, &against_state, &plan)
        };
        let note = refresh_note(&report);
        if json {
            eprint!("{note}");
        } else {
            println!("{note}");
        }
        Ok(plan)
    }

    fn validate(&self, arguments: &SpecArgs) -> Result<u8> {
        let loaded = self.load(&arguments.directory, &arguments.inputs)?;
        let plan = self.check_plan(&loaded, false)?;
        println!(
            "{} {} is valid: {} resource instances.",
            self.style_out.green("Success!"),
            arguments.directory.display(),
            plan.changes
                .iter()
                .filter(|change| !change.is_data())
                .count()
        );
        Ok(0)
    }

    async fn plan(&self, arguments: &args::PlanArgs) -> Result<u8> {
        let mut loaded = self.load(&arguments.spec.directory, &arguments.spec.inputs)?;
        if let Some(file) = &arguments.generate_config_out {
            if self.generate_config(&loaded, file)? {
                // Plan with the blocks just written.
                loaded = self.load(&arguments.spec.directory, &arguments.spec.inputs)?;
            }
        }
        let existing = self.open_existing_store()?;
        let plan = if arguments.refresh {
            self.refreshed_plan(
                &loaded,
                existing.as_deref(),
                arguments.destroy,
                arguments.json,
            )
            .await?
        } else {
            self.make_plan(&loaded, existing.as_deref(), arguments.destroy)?
        };
        drop(existing);
        if arguments.json {
            println!("{}", serde_json::to_string_pretty(&plan_json(&plan))?);
        } else {
            print!("{}", render_plan(&plan, &self.style_out));
        }
        let mut store = self.open_store()?;
        let lineage = store.ensure_stack(&loaded.stack)?.lineage;
        let summary = plan.summary();
        let saved = SavedPlan::new(&plan, &loaded.variables, &lineage);
        store.save_plan(&PlanRecord {
            id: 0,
            stack: loaded.stack.clone(),
            lineage,
            state_serial: plan.state_serial,
            spec_hash: plan.spec_hash.clone(),
            plan_json: saved.to_json()?,
            created_at: 0,
        })?;
        let run_id = store.start_run(
            &loaded.stack,
            RunKind::Plan,
            &format!("{} changes", summary.add + summary.change + summary.destroy),
        )?;
        store.finish_run(
            run_id,
            RunStatus::Succeeded,
            &format!(
                "{}{} to add, {} to change, {} to destroy",
                if summary.import == 0 {
                    String::new()
                } else {
                    format!("{} to import, ", summary.import)
                },
                summary.add,
                summary.change,
                summary.destroy
            ),
        )?;
        if !arguments.json && plan.has_changes() {
            println!(
                "\nSaved as the stack's plan: `provision apply` applies exactly this plan{}.",
                if arguments.destroy { " (destroy)" } else { "" }
            );
        }
        Ok(
            if arguments.exit_code && (plan.has_changes() || plan.has_output_changes()) {
                EXIT_CHANGES
            } else {
                0
            },
        )
    }

    /// `plan --generate-config-out=FILE`: writes a `resource` block for each import block
    /// whose `to` the spec lacks, from the object it reads. Returns whether FILE was written.
    fn generate_config(&self, loaded: &LoadedSpec, file: &Path) -> Result<bool> {
        let path = if file.is_absolute() {
            file.to_path_buf()
        } else {
            loaded.spec.directory.join(file)
        };
        if path.exists() {
            bail!(
                "{} already exists: --generate-config-out writes a new file only\n  hint: name a file that does not exist yet, or remove it (its blocks may be in the spec already)",
                path.display()
            );
        }
        let mut diagnostics = Diagnostics::new();
        let imports = crate::plan::imports::evaluate_imports(
            &loaded.spec,
            &self.registry,
            &loaded.variables,
            loaded.environment.as_deref(),
            &mut diagnostics,
        );
        let mut text = String::new();
        for (address, import) in &imports {
            let Some((type_name, name, key)) = import.block.to.resource.clone() else {
                continue;
            };
            let parsed = crate::address::ResourceAddr::new(&type_name, &name, key.clone())
                .in_module(&import.block.to.module);
            if import_command::find_block(&loaded.spec, &parsed).is_some() {
                continue;
            }
            if !import.block.to.module.is_empty() || key != crate::address::InstanceKey::None {
                diagnostics.push(
                    crate::diagnostics::Diagnostic::error(
                        format!("cannot generate configuration for {address}"),
                        Some(import.block.to.span.clone()),
                    )
                    .with_label("in a module, or with an instance key")
                    .with_hint("--generate-config-out writes root-module blocks without count or for_each: import to `TYPE.NAME`, or write the block yourself"),
                );
                continue;
            }
            let Some(resource) = self.registry.get(&type_name).cloned() else {
                continue;
            };
            let provider = import
                .provider
                .clone()
                .unwrap_or_else(|| DEFAULT_CONFIGURATION.to_string());
            let reader = self.data_reader(loaded)?;
            match reader.import(resource.as_ref(), address, &provider, &import.id) {
                Ok(Some(attributes)) => {
                    if !text.is_empty() {
                        text.push('\n');
                    }
                    text.push_str(&format!("# __generated__ by provision from {:?}\n", import.id));
                    let mut block = generate_config::resource_block(
                        &type_name,
                        &name,
                        resource.schema(),
                        &attributes,
                    );
                    if import.provider.is_some() {
                        block = block.replacen(
                            "{\n",
                            &format!("{{\n  provider = {provider}\n\n"),
                            1,
                        );
                        block = crate::format::format_source(&block);
                    }
                    text.push_str(&block);
                }
                Ok(None) => diagnostics.push(
                    crate::diagnostics::Diagnostic::error(
                        format!("cannot import {address}: there is no {type_name} with import ID \"{}\"", import.id),
                        Some(import.block.id.span.clone()),
                    )
                    .with_label("not found")
                    .with_hint(format!("{type_name} takes {}", resource.import_id())),
                ),
                Err(error) => diagnostics.push(
                    crate::diagnostics::Diagnostic::error(
                        format!("cannot import {address}: {error}"),
                        Some(import.block.id.span.clone()),
                    )
                    .with_hint(format!("{type_name} takes {}", resource.import_id())),
                ),
            }
        }
        if diagnostics.has_errors() {
            self.print_diagnostics(&loaded.spec.sources, &diagnostics);
            return Err(Reported.into());
        }
        if text.is_empty() {
            eprintln!(
                "{} no import block lacks its resource block: {} was not written",
                self.style_err.yellow("note:"),
                path.display()
            );
            return Ok(false);
        }
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!(
            "{} wrote the configuration of the imported objects to {}: review it (sensitive arguments are left out)",
            self.style_err.yellow("note:"),
            path.display()
        );
        Ok(true)
    }

    fn graph(&self, arguments: &SpecArgs, format: GraphFormatArg) -> Result<u8> {
        let loaded = self.load(&arguments.directory, &arguments.inputs)?;
        let existing = self.open_existing_store()?;
        let plan = self.make_plan(&loaded, existing.as_deref(), false)?;
        let format = match format {
            GraphFormatArg::Dot => GraphFormat::Dot,
            GraphFormatArg::Mermaid => GraphFormat::Mermaid,
        };
        print!("{}", render_graph(&plan, format));
        Ok(0)
    }

    /// The evaluated provider configurations of the spec; `--region` / `--profile` apply to
    /// the default `aws` one. Errors are printed as spec diagnostics.
    fn provider_settings(&self, loaded: &LoadedSpec) -> Result<BTreeMap<String, ProviderSettings>> {
        let evaluator = ApplyEvaluator::new(
            loaded.spec.clone(),
            loaded.variables.clone(),
            self.registry.clone(),
            loaded.environment.clone(),
        )
        .map_err(|diagnostics| {
            self.print_diagnostics(&loaded.spec.sources, &diagnostics);
            anyhow::Error::from(Reported)
        })?;
        let mut settings =
            evaluator
                .provider_settings(&Default::default())
                .map_err(|diagnostics| {
                    self.print_diagnostics(&loaded.spec.sources, &diagnostics);
                    anyhow::Error::from(Reported)
                })?;
        if let Some(default) = settings.get_mut(DEFAULT_CONFIGURATION) {
            if let Some(region) = &self.region {
                default.connect.region = Some(region.clone());
            }
            if let Some(profile) = &self.profile {
                default.connect.profile = Some(profile.clone());
            }
        }
        Ok(settings)
    }

    /// Builds one client set per provider configuration the spec's resources and the stack's
    /// state use, and checks each one's credentials (unless its block skips that).
    async fn connect(
        &self,
        loaded: &LoadedSpec,
        state: &[ResourceRecord],
    ) -> Result<(ConfigurationClients, BTreeMap<String, ProviderSettings>)> {
        let settings = self.provider_settings(loaded)?;
        // Resources, and the data sources that read the cloud (apply reads them again).
        // In the root and in every module, through the module calls' `providers = {}`.
        let reads_the_cloud = |block: &crate::spec::ResourceBlock| {
            self.registry
                .data_source(&block.type_name)
                .is_some_and(|data_source| data_source.needs_aws())
        };
        let mut used: BTreeSet<String> =
            crate::plan::module::used_configurations(&loaded.spec, &reads_the_cloud);
        // Data sources in state are read again, not deleted: only resources need theirs.
        used.extend(
            state
                .iter()
                .filter(|record| !crate::plan::is_data_address(&record.address))
                .map(|record| record.provider.clone()),
        );
        let clients = ConfigurationClients::connect(&settings, &used)
            .await
            .map_err(|error| {
                if error.is_unreachable() {
                    // Nothing is known about the credentials: say where AWS was not reached.
                    let endpoint = settings
                        .get(&error.configuration)
                        .and_then(|configured| configured.connect.endpoints.get("sts").cloned())
                        .or_else(|| std::env::var("AWS_ENDPOINT_URL_STS").ok())
                        .or_else(|| std::env::var("AWS_ENDPOINT_URL").ok())
                        .map(|url| format!(" at {url}"))
                        .unwrap_or_default();
                    return anyhow!(
                        "cannot reach AWS{endpoint} (provider configuration {}): {}\n  hint: check the network, the region, the `endpoints` block and AWS_ENDPOINT_URL; nothing was checked or changed",
                        error.configuration,
                        error.error
                    );
                }
                let (profile, region) = settings
                    .get(&error.configuration)
                    .map(|configured| {
                        (configured.connect.profile.clone(), configured.connect.region.clone())
                    })
                    .unwrap_or_default();
                let profile = profile
                    .or_else(|| std::env::var("AWS_PROFILE").ok())
                    .unwrap_or_else(|| "default".to_string());
                let region = region
                    .or_else(|| std::env::var("AWS_REGION").ok())
                    .or_else(|| std::env::var("AWS_DEFAULT_REGION").ok())
                    .unwrap_or_else(|| "from the profile".to_string());
                anyhow!(
                    "{error}\n  (profile {profile}, region {region}; nothing was changed and no state was written)\n  hint: give this configuration credentials: `aws configure` or `aws sso login --profile {profile}`, AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or access_key / secret_key / profile / assume_role in its provider block (`skip_credentials_validation = true` skips this check)"
                )
            })?;
        Ok((clients, settings))
    }

    async fn apply(&self, arguments: ApplyArgs) -> Result<u8> {
        let approval = ApprovalRequest {
            level: arguments.require_approval.clone(),
            approved: arguments.approve_security_changes,
        };
        match &arguments.directory {
            Some(directory) => {
                let loaded = self.load(directory, &arguments.inputs)?;
                self.plan_and_apply(loaded, false, arguments.yes, &approval, &arguments.run)
                    .await
            }
            None => {
                self.apply_saved_plan(&arguments.inputs, &approval, &arguments.run)
                    .await
            }
        }
    }

    async fn destroy(&self, arguments: DestroyArgs) -> Result<u8> {
        let loaded = self.load(&arguments.spec.directory, &arguments.spec.inputs)?;
        self.plan_and_apply(
            loaded,
            true,
            arguments.yes,
            &ApprovalRequest::default(),
            &arguments.run,
        )
        .await
    }

    /// Locks the stack, recovers what an interrupted run left, plans, confirms, applies.
    async fn plan_and_apply(
        &self,
        loaded: LoadedSpec,
        destroy: bool,
        yes: bool,
        approval: &ApprovalRequest,
        run: &RunArgs,
    ) -> Result<u8> {
        // Spec errors are found before anything is opened, locked or called.
        self.check_plan(&loaded, destroy)?;
        let approval_level = level_in_force(approval, &loaded.variables)?;
        let is_terminal = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
        if !yes && !is_terminal {
            bail!(
                "{} needs confirmation, and there is no terminal to ask on\n  hint: pass --yes to {} without asking",
                if destroy { "destroy" } else { "apply" },
                if destroy { "destroy" } else { "apply" }
            );
        }
        // Preflight: the credentials of every provider configuration the stack uses are
        // checked (STS GetCallerIdentity, once per configuration) before the state database is
        // opened or created, so a run without working credentials stops here with one error,
        // having touched neither state nor cloud.
        let prior_state = match self.open_existing_store()? {
            Some(store) => store.resources(&loaded.stack)?,
            None => Vec::new(),
        };
        let connected = self.connect(&loaded, &prior_state).await?;
        let mut store = self.open_store()?;
        store.ensure_stack(&loaded.stack)?;
        let session = self
            .lock(
                store,
                &loaded.stack,
                if destroy { "destroy" } else { "apply" },
            )
            .await?;
        let result = self
            .locked_plan_and_apply(
                &session,
                loaded,
                destroy,
                yes,
                (approval_level, approval),
                connected,
                run,
            )
            .await;
        session.release().await;
        result
    }

    // The run's inputs as the CLI has them; a struct would only be unpacked again here.
    #[allow(clippy::too_many_arguments)]
    async fn locked_plan_and_apply(
        &self,
        session: &LockSession,
        loaded: LoadedSpec,
        destroy: bool,
        yes: bool,
        (approval_level, approval): (ApprovalLevel, &ApprovalRequest),
        connected: (ConfigurationClients, BTreeMap<String, ProviderSettings>),
        run: &RunArgs,
    ) -> Result<u8> {
        let kind = if destroy {
            RunKind::Destroy
        } else {
            RunKind::Apply
        };
        let stack = loaded.stack.clone();
        let run_id = with_store(&session.store, move |store| {
            store.start_run(&stack, kind, "")
        })
        .await?;
        let state = {
            let stack = loaded.stack.clone();
            with_store(&session.store, move |store| store.resources(&stack)).await?
        };
        // The preflight's clients serve, unless another run gave the stack resources of a
        // configuration they lack since.
        let covered = state
            .iter()
            .filter(|record| !record.address.starts_with("data."))
            .all(|record| connected.0.get(&record.provider).is_ok());
        let (clients, settings) = if covered {
            connected
        } else {
            self.connect(&loaded, &state).await?
        };
        let evaluator_tags = ApplyEvaluator::new(
            loaded.spec.clone(),
            loaded.variables.clone(),
            self.registry.clone(),
            loaded.environment.clone(),
        )
        .map_err(|diagnostics| {
            self.print_diagnostics(&loaded.spec.sources, &diagnostics);
            anyhow::Error::from(Reported)
        })?;
        let report = recover_interrupted(
            &session.store,
            &loaded.stack,
            run_id,
            &self.registry,
            &clients,
            &settings,
        )
        .await
        .map_err(|message| anyhow!(message))?;
        for action in &report.actions {
            println!("recovered {action}");
        }
        let plan = {
            let guard = session
                .store
                .lock()
                .map_err(|_| anyhow!("state store lock poisoned"))?;
            self.make_plan(&loaded, Some(&**guard), destroy)?
        };
        print!("{}", render_plan(&plan, &self.style_out));
        // Data sources are read again and stored even when no resource changes.
        let reads_data = !plan.destroy && plan.changes.iter().any(|change| change.is_data());
        if !plan.has_changes() && !reads_data {
            // No resource changes, but outputs may have: save them as every apply does.
            let stack = loaded.stack.clone();
            let records = with_store(&session.store, move |store| store.resources(&stack)).await?;
            let current = records
                .iter()
                .map(|record| (record.address.clone(), record_attributes(record)))
                .collect();
            save_outputs(
                &session.store,
                &loaded.stack,
                &evaluator_tags,
                &current,
                destroy,
            )
            .await?;
            let outcome = ApplyOutcome::default();
            self.finish(
                session,
                run_id,
                &plan,
                evaluator_tags,
                clients,
                &outcome,
                run,
                Instant::now(),
            )
            .await
        } else {
            if let ApprovalOutcome::Refused(message) =
                review(&plan, approval_level, approval, !yes, &self.style_out)?
            {
                let summary = message.clone();
                with_store(&session.store, move |store| {
                    store.finish_run(run_id, RunStatus::Failed, &summary)
                })
                .await?;
                eprintln!(
                    "{} {message}",
                    self.style_err.red(&self.style_err.bold("error:"))
                );
                return Ok(EXIT_ERROR);
            }
            if plan.has_changes() && !yes && !confirm(destroy)? {
                let message = "cancelled at the confirmation prompt".to_string();
                let summary = message.clone();
                with_store(&session.store, move |store| {
                    store.finish_run(run_id, RunStatus::Failed, &summary)
                })
                .await?;
                println!("{message}; nothing was changed.");
                return Ok(EXIT_ERROR);
            }
            let started = Instant::now();
            let outcome = self
                .execute(
                    session,
                    run_id,
                    plan.clone(),
                    evaluator_tags,
                    clients.clone(),
                    run,
                )
                .await?;
            let evaluator = ApplyEvaluator::new(
                loaded.spec.clone(),
                loaded.variables.clone(),
                self.registry.clone(),
                loaded.environment.clone(),
            )
            .map_err(|_| anyhow!("spec changed during apply"))?;
            self.finish(
                session, run_id, &plan, evaluator, clients, &outcome, run, started,
            )
            .await
        }
    }

    async fn apply_saved_plan(
        &self,
        inputs: &InputArgs,
        approval: &ApprovalRequest,
        run: &RunArgs,
    ) -> Result<u8> {
        let store = self.open_existing_store()?.ok_or_else(|| {
            anyhow!(
                "there is no saved plan: {} does not exist\n  hint: run `provision plan DIR` first, or `provision apply DIR`",
                self.state.describe()
            )
        })?;
        let record = store.latest_plan()?.ok_or_else(|| {
            anyhow!("there is no saved plan\n  hint: run `provision plan DIR` first, or `provision apply DIR`")
        })?;
        let saved: SavedPlan =
            serde_json::from_str(&record.plan_json).context("the saved plan cannot be read")?;
        let plan = saved.plan;
        let directory = PathBuf::from(&plan.spec_directory);
        if inputs.environment.is_some() && inputs.environment != plan.environment {
            bail!(
                "--env does not match the saved plan (made for {})\n  hint: run `provision plan DIR --env NAME` first",
                plan.environment.as_deref().unwrap_or("no environment")
            );
        }
        // Sensitive variables are not in the saved plan: read them again from the same sources
        // (the spec's env file, TF_VAR_*, --var / --var-file given to this apply) and check that
        // they are the values the plan was made with.
        let (spec, current_variables) = if saved.sensitive_variable_hashes.is_empty() {
            // Every variable value comes from the plan; only the spec itself must load.
            let (spec, diagnostics) = load_spec(&directory);
            if diagnostics.has_errors() {
                self.print_diagnostics(&spec.sources, &diagnostics);
                return Err(Reported.into());
            }
            (spec, None)
        } else {
            let loaded = self.load(
                &directory,
                &InputArgs {
                    environment: plan.environment.clone(),
                    variables: inputs.variables.clone(),
                    variable_files: inputs.variable_files.clone(),
                    exclude: Vec::new(),
                },
            )?;
            (loaded.spec, Some(loaded.variables))
        };
        let mut variables = InputVariables {
            values: saved.variables.clone(),
            sensitive: saved.sensitive_variable_hashes.keys().cloned().collect(),
        };
        for (name, expected) in &saved.sensitive_variable_hashes {
            let value = current_variables
                .as_ref()
                .and_then(|current| current.values.get(name))
                .cloned()
                .unwrap_or(Value::Null);
            if sensitive_value_hash(&record.lineage, name, &value) != *expected {
                bail!(
                    "the saved plan is stale: sensitive variable `{name}` does not have the value the plan was made with\n  hint: give it the same way as to `provision plan` (tfvars, TF_VAR_{name}, or --var {name}=... to this apply), or run `provision plan {}` again",
                    plan_command_arguments(&plan)
                );
            }
            variables.values.insert(name.clone(), value);
        }
        if spec.hash != plan.spec_hash {
            bail!(
                "the saved plan is stale: the spec in {} changed since it was planned\n  hint: run `provision plan {}` again",
                directory.display(),
                plan_command_arguments(&plan)
            );
        }
        // The plan was shown when it was made; its security changes are shown again here and
        // need approval before anything is locked or called.
        let approval_level = level_in_force(approval, &variables)?;
        if approval_level != ApprovalLevel::Never {
            print!("{}", render_security_changes(&plan, &self.style_out));
        }
        let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
        if let ApprovalOutcome::Refused(message) = review(
            &plan,
            approval_level,
            approval,
            interactive,
            &self.style_out,
        )? {
            bail!("{message}");
        }
        let session = self.lock(store, &plan.stack, "apply").await?;
        let result = async {
            let stack_name = plan.stack.clone();
            let stack = with_store(&session.store, move |store| store.stack(&stack_name)).await?;
            let (lineage, serial) = stack.map(|stack| (stack.lineage, stack.serial)).unwrap_or_default();
            if lineage != record.lineage || serial != plan.state_serial {
                bail!(
                    "the saved plan is stale: the state of {} changed since it was planned (serial {} then, {} now)\n  hint: run `provision plan {}` again",
                    plan.stack,
                    plan.state_serial,
                    serial,
                    plan_command_arguments(&plan)
                );
            }
            if plan.changes.iter().any(|change| change.action == crate::plan::Action::Delete) || plan.destroy {
                // Nothing extra: deletes were shown when the plan was made.
            }
            let loaded = LoadedSpec {
                spec,
                variables,
                stack: plan.stack.clone(),
                environment: plan.environment.clone(),
                // A saved plan was excluded from when it was made.
                exclude: Vec::new(),
            };
            let kind = if plan.destroy { RunKind::Destroy } else { RunKind::Apply };
            let stack_name = plan.stack.clone();
            let run_id = with_store(&session.store, move |store| store.start_run(&stack_name, kind, "saved plan")).await?;
            let state = {
                let stack = plan.stack.clone();
                with_store(&session.store, move |store| store.resources(&stack)).await?
            };
            let (clients, settings) = self.connect(&loaded, &state).await?;
            let evaluator = ApplyEvaluator::new(loaded.spec.clone(), loaded.variables.clone(), self.registry.clone(), loaded.environment.clone())
                .map_err(|_| anyhow!("the spec no longer builds a graph"))?;
            let report = recover_interrupted(
                &session.store,
                &plan.stack,
                run_id,
                &self.registry,
                &clients,
                &settings,
            )
            .await
            .map_err(|message| anyhow!(message))?;
            if report.changed_state {
                for action in &report.actions {
                    println!("recovered {action}");
                }
                let summary = "saved plan stale after recovery".to_string();
                with_store(&session.store, move |store| store.finish_run(run_id, RunStatus::Failed, &summary)).await?;
                bail!(
                    "the saved plan is stale: an interrupted run was recovered and the state changed\n  hint: run `provision plan {}` again",
                    plan_command_arguments(&plan)
                );
            }
            let started = Instant::now();
            let outcome = self.execute(&session, run_id, plan.clone(), evaluator, clients.clone(), run).await?;
            let evaluator = ApplyEvaluator::new(loaded.spec.clone(), loaded.variables.clone(), self.registry.clone(), loaded.environment.clone())
                .map_err(|_| anyhow!("the spec no longer builds a graph"))?;
            self.finish(&session, run_id, &plan, evaluator, clients, &outcome, run, started).await
        }
        .await;
        session.release().await;
        result
    }

    async fn execute(
        &self,
        session: &LockSession,
        run_id: i64,
        plan: Plan,
        evaluator: ApplyEvaluator,
        clients: ConfigurationClients,
        run: &RunArgs,
    ) -> Result<ApplyOutcome> {
        let cancelled = Arc::new(AtomicBool::new(false));
        let signal_flag = cancelled.clone();
        let signal_task = tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                signal_flag.store(true, Ordering::SeqCst);
                eprintln!(
                    "\nInterrupted: finishing the operations in flight, starting no new ones..."
                );
            }
        });
        let live = std::io::stderr().is_terminal() && std::io::stdout().is_terminal();
        let total = operation_count(&plan);
        let live_progress =
            live.then(|| Arc::new(progress::LiveProgress::new(total, self.style_err)));
        let observer: Arc<dyn ApplyObserver> = match &live_progress {
            Some(progress) => progress.clone(),
            None => Arc::new(progress::PlainProgress::new(self.style_out)),
        };
        println!();
        let outcome = apply_plan(ApplyRequest {
            plan,
            evaluator,
            clients,
            store: session.store.clone(),
            run_id,
            parallelism: run.parallelism,
            observer,
            cancelled,
            wait: !run.no_wait,
        })
        .await;
        if let Some(progress) = live_progress {
            progress.finish();
        }
        signal_task.abort();
        Ok(outcome)
    }

    #[allow(clippy::too_many_arguments)]
    async fn finish(
        &self,
        session: &LockSession,
        run_id: i64,
        plan: &Plan,
        _evaluator: ApplyEvaluator,
        clients: ConfigurationClients,
        outcome: &ApplyOutcome,
        run: &RunArgs,
        started: Instant,
    ) -> Result<u8> {
        let style = &self.style_out;
        let verb = if plan.destroy { "Destroy" } else { "Apply" };
        let summary = if plan.destroy {
            format!("Resources: {} destroyed.", outcome.destroyed)
        } else if outcome.imported > 0 {
            format!(
                "Resources: {} imported, {} added, {} changed, {} destroyed.",
                outcome.imported, outcome.added, outcome.changed, outcome.destroyed
            )
        } else {
            format!(
                "Resources: {} added, {} changed, {} destroyed.",
                outcome.added, outcome.changed, outcome.destroyed
            )
        };
        let status = if outcome.interrupted {
            RunStatus::Interrupted
        } else if outcome.succeeded() {
            RunStatus::Succeeded
        } else {
            RunStatus::Failed
        };
        println!();
        for (address, why) in &outcome.deferred {
            eprintln!(
                "{} {address}: delete deferred: {why}; it stays in state, and the next `provision destroy` (or apply) deletes it",
                self.style_err.yellow(&self.style_err.bold("warning:"))
            );
        }
        if outcome.state_connection_lost {
            eprintln!(
                "{} the connection to the state server {} was lost during this run: no new work was started after that; the calls in flight finished and their commits were retried until the server answered again",
                self.style_err.red(&self.style_err.bold("error:")),
                self.state.describe()
            );
        }
        if !outcome.not_waited.is_empty() {
            println!(
                "Not waited for (--no-wait): {} created and still becoming ready: {}. The next apply waits for them first.",
                outcome.not_waited.len(),
                outcome.not_waited.join(", ")
            );
        }
        if outcome.succeeded() {
            println!(
                "{} {summary}",
                style.green(&style.bold(&format!("{verb} complete!")))
            );
        } else {
            for (address, message) in &outcome.failed {
                let _ = address;
                eprintln!(
                    "{} {message}",
                    self.style_err.red(&self.style_err.bold("error:"))
                );
            }
            let interrupted = if outcome.interrupted {
                format!(", {} not started (interrupted)", outcome.not_started)
            } else {
                String::new()
            };
            println!(
                "{} {summary} {} failed, {} skipped{interrupted}.",
                style.red(&style.bold(&format!("{verb} failed."))),
                outcome.failed.len(),
                outcome.skipped.len()
            );
            println!("State is true to the cloud: run the same command again to converge.");
        }
        let run_summary = format!(
            "{} added, {} changed, {} destroyed, {} failed, {} skipped",
            outcome.added,
            outcome.changed,
            outcome.destroyed,
            outcome.failed.len(),
            outcome.skipped.len()
        );
        let elapsed = started.elapsed();
        with_store(&session.store, move |store| {
            store.finish_run(run_id, status, &run_summary)
        })
        .await?;
        println!(
            "Run #{run_id} recorded in `provision history` ({:.1}s).",
            elapsed.as_secs_f64()
        );
        if run.stats {
            print!("{}", render_call_stats(&clients.api_calls));
            let round_trips = with_store(&session.store, |store| Ok(store.round_trips())).await?;
            if let Some(round_trips) = round_trips {
                println!("State server round trips: {round_trips}");
            }
        }
        Ok(if outcome.succeeded() { 0 } else { EXIT_ERROR })
    }

    /// Takes the stack's lock (a live holder makes this fail at once, naming it; a dead one's
    /// lock is taken over) and keeps it alive with a heartbeat.
    async fn lock(
        &self,
        mut store: Box<dyn StateStore>,
        stack: &str,
        command: &str,
    ) -> Result<LockSession> {
        let holder = LockHolder::current(&format!("provision {command}"));
        let lock = match store.acquire_lock(stack, &holder) {
            Ok(lock) => lock,
            Err(error @ StateError::Locked { .. }) => return Err(anyhow!(error)),
            Err(error) => return Err(anyhow!(error).context("cannot take the stack's lock")),
        };
        let _ = store.mark_interrupted_runs(stack);
        let store: SharedStore = Arc::new(Mutex::new(store));
        let heartbeat_store = store.clone();
        let heartbeat_stack = stack.to_string();
        let token = lock.token.clone();
        let heartbeat = tokio::spawn(async move {
            loop {
                tokio::time::sleep(std::time::Duration::from_secs(20)).await;
                let stack = heartbeat_stack.clone();
                let token = token.clone();
                let _ = with_store(&heartbeat_store, move |store| {
                    store.heartbeat(&stack, &token)
                })
                .await;
            }
        });
        Ok(LockSession {
            store,
            stack: stack.to_string(),
            token: lock.token,
            heartbeat,
        })
    }

    fn resolve_stack(&self, store: &dyn StateStore, arguments: &StackArgs) -> Result<String> {
        if let Some(directory) = &arguments.directory {
            return Ok(stack_name(directory, arguments.environment.as_deref()));
        }
        let stacks = store.stacks()?;
        match stacks.as_slice() {
            [only] => Ok(only.name.clone()),
            [] => bail!("the state database holds no stack yet"),
            many => bail!(
                "the state database holds several stacks; name one with DIR [--env NAME]\n  hint: stacks: {}",
                many.iter().map(|stack| stack.name.as_str()).collect::<Vec<_>>().join(", ")
            ),
        }
    }

    fn state(&self, command: StateCommand) -> Result<u8> {
        let Some(mut store) = self.open_existing_store()? else {
            return Err(self.no_state());
        };
        match command {
            StateCommand::List { stack, json } => {
                let stack = self.resolve_stack(&*store, &stack)?;
                let resources = store.resources(&stack)?;
                if json {
                    let list: Vec<_> = resources
                        .iter()
                        .map(|record| {
                            serde_json::json!({
                                "address": record.address,
                                "type": record.type_name,
                                "id": record.cloud_id,
                                "status": record.status.as_str(),
                                "provider": record.provider,
                            })
                        })
                        .collect();
                    println!("{}", serde_json::to_string_pretty(&list)?);
                } else {
                    for record in resources {
                        println!("{}", record.address);
                    }
                }
            }
            StateCommand::Show {
                address,
                stack,
                json,
            } => {
                let stack = self.resolve_stack(&*store, &stack)?;
                let record = store
                    .resource(&stack, &address)?
                    .ok_or_else(|| anyhow!("no resource {address} in the state of {stack}"))?;
                let mut attributes = record.attributes.clone();
                if let Some(object) = attributes.as_object_mut() {
                    for name in &record.sensitive_attributes {
                        if let Some(value) = object.get_mut(name) {
                            *value = serde_json::Value::String("(sensitive value)".to_string());
                        }
                    }
                }
                if json {
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&serde_json::json!({
                            "address": record.address,
                            "type": record.type_name,
                            "id": record.cloud_id,
                            "status": record.status.as_str(),
                            "provider": record.provider,
                            "dependencies": record.dependencies,
                            "attributes": attributes,
                        }))?
                    );
                } else {
                    println!(
                        "# {}  ({})",
                        record.address,
                        record.cloud_id.clone().unwrap_or_default()
                    );
                    if let Some(object) = attributes.as_object() {
                        let width = object.keys().map(String::len).max().unwrap_or(0);
                        for (name, value) in object {
                            if !value.is_null() {
                                println!("{name:width$} = {}", Value::from_json(value));
                            }
                        }
                    }
                    if !record.dependencies.is_empty() {
                        println!("# depends on: {}", record.dependencies.join(", "));
                    }
                    println!("# provider: {}", record.provider);
                }
            }
            StateCommand::Rm { address, stack } => {
                let stack = self.resolve_stack(&*store, &stack)?;
                // A resource instance, or every instance under a module (`module.network`,
                // `module.vpc["a"]`) or a resource block (`aws_subnet.private`).
                let addresses: Vec<String> = if store.resource(&stack, &address)?.is_some() {
                    vec![address.clone()]
                } else {
                    store
                        .resources(&stack)?
                        .into_iter()
                        .map(|record| record.address)
                        .filter(|candidate| {
                            candidate
                                .strip_prefix(address.as_str())
                                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
                        })
                        .collect()
                };
                if addresses.is_empty() {
                    bail!("no resource {address} in the state of {stack}");
                }
                let holder = LockHolder::current("provision state rm");
                let lock = store.acquire_lock(&stack, &holder)?;
                let run_id =
                    store.start_run(&stack, RunKind::Apply, &format!("state rm {address}"))?;
                for removed in &addresses {
                    let event = provision_state::EventRecord {
                        run_id,
                        address: removed.clone(),
                        action: "forget".to_string(),
                        status: "ok".to_string(),
                        message: "removed from state; the cloud resource was not touched"
                            .to_string(),
                        duration_ms: 0,
                        at: 0,
                    };
                    store.remove_resource(&stack, removed, &event, None)?;
                    if addresses.len() > 1 {
                        println!("Removed {removed}");
                    }
                }
                store.finish_run(run_id, RunStatus::Succeeded, &format!("forgot {address}"))?;
                store.release_lock(&stack, &lock.token)?;
                println!("Removed {address} from the state of {stack} (it still exists in AWS).");
            }
            StateCommand::Migrate { to, stack } => {
                let stack = self.resolve_stack(&*store, &stack)?;
                let target_location = StateLocation::parse(&to);
                if target_location == self.state {
                    bail!(
                        "--to names the state this command reads ({}); give another store",
                        self.state.describe()
                    );
                }
                // Held while the stack is copied, so no apply changes it half-way.
                let holder = LockHolder::current("provision state migrate");
                let lock = store.acquire_lock(&stack, &holder)?;
                let copied = migrate_stack(&*store, &stack, &target_location);
                store.release_lock(&stack, &lock.token)?;
                let summary = copied?;
                println!(
                    "Copied stack {stack} from {} to {}: {summary}.",
                    self.state.describe(),
                    target_location.describe()
                );
                println!(
                    "Verified: the copy holds the same counts and sha256 as the source, which is left as it was.\nPoint --state (or PROVISION_STATE) at {} to use it; the sealing key stays the same.",
                    target_location.describe()
                );
            }
        }
        Ok(0)
    }

    fn output(&self, mut arguments: args::OutputArgs) -> Result<u8> {
        // `provision output specs/edgemind --env dev`: a lone argument naming a folder is the
        // spec folder, not an output name (output names are identifiers, never paths).
        if arguments.directory.is_none() {
            if let Some(name) = arguments.name.take() {
                if std::path::Path::new(&name).is_dir() {
                    arguments.directory = Some(PathBuf::from(name));
                } else {
                    arguments.name = Some(name);
                }
            }
        }
        let Some(store) = self.open_existing_store()? else {
            return Err(self.no_state());
        };
        let stack = self.resolve_stack(
            &*store,
            &StackArgs {
                directory: arguments.directory.clone(),
                environment: arguments.environment.clone(),
            },
        )?;
        let outputs = store.outputs(&stack)?;
        if let Some(name) = &arguments.name {
            let output = outputs
                .iter()
                .find(|output| &output.name == name)
                .ok_or_else(|| anyhow!("no output `{name}` in {stack}"))?;
            if arguments.json {
                println!("{}", serde_json::to_string_pretty(&output.value)?);
            } else {
                match &output.value {
                    serde_json::Value::String(text) => println!("{text}"),
                    other => println!("{}", Value::from_json(other)),
                }
            }
            return Ok(0);
        }
        if arguments.json {
            let map: serde_json::Map<String, serde_json::Value> = outputs
                .iter()
                .map(|output| {
                    (
                        output.name.clone(),
                        serde_json::json!({
                            "value": if output.sensitive { serde_json::Value::String("(sensitive value)".into()) } else { output.value.clone() },
                            "sensitive": output.sensitive,
                        }),
                    )
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&map)?);
        } else {
            let width = outputs
                .iter()
                .map(|output| output.name.len())
                .max()
                .unwrap_or(0);
            for output in outputs {
                let value = if output.sensitive {
                    "(sensitive value)".to_string()
                } else {
                    Value::from_json(&output.value).to_string()
                };
                println!("{:width$} = {value}", output.name);
            }
        }
        Ok(0)
    }

    fn history(&self, arguments: args::HistoryArgs) -> Result<u8> {
        let Some(store) = self.open_existing_store()? else {
            return Err(self.no_state());
        };
        if let Some(run_id) = arguments.run {
            if let Some(drift) = store.drift_run(run_id)? {
                if arguments.json {
                    println!("{}", serde_json::to_string_pretty(&drift)?);
                } else {
                    println!(
                        "drift run #{run_id} of {} at {}: {} resources read, {} API calls, {} ms",
                        drift.stack,
                        provision_state::format_unix_time(drift.checked_at),
                        drift.resources_checked,
                        drift.api_calls,
                        drift.duration_ms
                    );
                    for finding in &drift.findings {
                        let attributes: Vec<&str> = finding
                            .details
                            .as_array()
                            .into_iter()
                            .flatten()
                            .filter_map(|detail| detail["attribute"].as_str())
                            .collect();
                        println!(
                            "  {:<10} {} {}{}",
                            finding.kind.as_str(),
                            if finding.address.is_empty() {
                                &finding.type_name
                            } else {
                                &finding.address
                            },
                            finding.cloud_id.clone().unwrap_or_default(),
                            if attributes.is_empty() {
                                String::new()
                            } else {
                                format!(" ({})", attributes.join(", "))
                            }
                        );
                    }
                }
                return Ok(0);
            }
            let events = store.events(run_id)?;
            if arguments.json {
                println!("{}", serde_json::to_string_pretty(&events)?);
            } else {
                for event in events {
                    println!(
                        "{}  {:<8} {:<8} {}  {} ({} ms)",
                        provision_state::format_unix_time(event.at),
                        event.action,
                        event.status,
                        event.address,
                        event.message,
                        event.duration_ms
                    );
                }
            }
            return Ok(0);
        }
        let stack = match &arguments.stack.directory {
            Some(directory) => Some(stack_name(
                directory,
                arguments.stack.environment.as_deref(),
            )),
            None => None,
        };
        let runs = store.runs(stack.as_deref(), arguments.limit)?;
        if arguments.json {
            println!("{}", serde_json::to_string_pretty(&runs)?);
        } else {
            for run in runs {
                println!(
                    "#{:<5} {}  {:<8} {:<12} {:<28} {}",
                    run.id,
                    provision_state::format_unix_time(run.started_at),
                    run.kind.as_str(),
                    run.status.as_str(),
                    run.stack,
                    run.summary
                );
            }
        }
        Ok(0)
    }
}

/// Copies `stack` from `source` into the store at `target` and checks the copy against the
/// source: the same counts and the same digest, or an error.
fn migrate_stack(
    source: &dyn StateStore,
    stack: &str,
    target: &StateLocation,
) -> Result<provision_state::ExportSummary> {
    let export = source.export_stack(stack)?;
    let expected = export.summary();
    let mut destination = provision_state::open(target)
        .with_context(|| format!("cannot open the target state {}", target.describe()))?;
    destination.import_stack(&export)?;
    let copied = destination.export_stack(stack)?.summary();
    if copied != expected {
        bail!(
            "the copy of {stack} in {} does not match its source\n  source: {expected}\n  copy:   {copied}\n  hint: remove the stack from the target and migrate again",
            target.describe()
        );
    }
    Ok(expected)
}

/// A held stack lock with its heartbeat.
struct LockSession {
    store: SharedStore,
    stack: String,
    token: String,
    heartbeat: tokio::task::JoinHandle<()>,
}

impl LockSession {
    async fn release(self) {
        self.heartbeat.abort();
        let stack = self.stack.clone();
        let token = self.token.clone();
        let _ = with_store(&self.store, move |store| store.release_lock(&stack, &token)).await;
    }
}

/// What `plan --refresh` found, said before the plan.
fn refresh_note(report: &DriftReport) -> String {
    use provision_state::DriftKind;
    let mut note = format!(
        "Refreshed {} resources from the cloud: {} changed outside provision, {} deleted.\n",
        report.resources_checked,
        report.count(DriftKind::Modified),
        report.count(DriftKind::Deleted)
    );
    for finding in &report.findings {
        match finding.kind {
            DriftKind::Modified => {
                let names: Vec<&str> = finding.attributes.iter().map(|attribute| attribute.attribute.as_str()).collect();
                note.push_str(&format!("  ~ {} changed outside provision: {}\n", finding.address, names.join(", ")));
            }
            DriftKind::Deleted => note.push_str(&format!("  - {} was deleted outside provision\n", finding.address)),
            DriftKind::Unmanaged => note.push_str(&format!(
                "warning: {} {} carries this stack's provision:stack tag{} but is not in state; apply will not touch it\n",
                finding.type_name,
                finding.cloud_id.clone().unwrap_or_default(),
                if finding.address.is_empty() { String::new() } else { format!(" (as {})", finding.address) }
            )),
        }
    }
    note
}

fn confirm(destroy: bool) -> Result<bool> {
    print!(
        "\nDo you want to {}? Only 'yes' is accepted: ",
        if destroy {
            "destroy all these resources"
        } else {
            "perform these actions"
        }
    );
    std::io::stdout().flush()?;
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    Ok(answer.trim() == "yes")
}

fn plan_command_arguments(plan: &Plan) -> String {
    match &plan.environment {
        Some(environment) => format!("{} --env {environment}", plan.spec_directory),
        None => plan.spec_directory.clone(),
    }
}

fn list_environments(directory: &Path) -> String {
    let mut names: Vec<String> = std::fs::read_dir(directory.join("env"))
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok())
                .filter_map(|entry| {
                    let name = entry.file_name().to_string_lossy().to_string();
                    name.strip_suffix(".tfvars").map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    if names.is_empty() {
        "none (no env/*.tfvars files)".to_string()
    } else {
        names.join(", ")
    }
}

/// `--stats` of apply and destroy: calls per resource type and operation (with calls per
/// resource), then per API operation.
fn render_call_stats(counter: &provision_core::ApiCallCounter) -> String {
    use std::fmt::Write;
    let calls = counter.snapshot();
    let total: u64 = calls.values().sum();
    let mut text = format!("API calls: {total}\n");
    let scopes = counter.by_scope();
    if !scopes.is_empty() {
        let _ = writeln!(
            text,
            "  per resource type and operation (calls per resource):"
        );
        let width = scopes.keys().map(String::len).max().unwrap_or(0);
        for (scope, figures) in &scopes {
            let each = figures.total() as f64 / figures.runs.max(1) as f64;
            let detail = figures
                .calls
                .iter()
                .map(|(operation, count)| format!("{operation} {count}"))
                .collect::<Vec<_>>()
                .join(", ");
            let _ = writeln!(
                text,
                "    {scope:<width$}  {runs:>4} × {each:>4.1} = {calls:>5}  {detail}",
                runs = figures.runs,
                calls = figures.total(),
            );
        }
        let outside = total.saturating_sub(scopes.values().map(|figures| figures.total()).sum());
        if outside > 0 {
            let _ = writeln!(
                text,
                "    {:<width$}  {outside:>19}",
                "(plan, recovery, setup)"
            );
        }
        let _ = writeln!(text, "  per API operation:");
    }
    for (operation, count) in calls {
        let _ = writeln!(text, "    {operation}: {count}");
    }
    text
}
