//! `provision drift` (read the cloud, report drift, record the run) and its `--since` summary,
//! the rendering of drift reports, and the refresh that `provision plan --refresh` runs.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use provision_resources::Value;
use provision_state::{
    DriftKind, DriftRunRecord, LockHolder, RunKind, RunStatus, StateError, StateStore,
};

use super::args::DriftArgs;
use super::style::Style;
use super::{stack_name, CommandContext, LoadedSpec, Reported, EXIT_CHANGES};
use crate::drift::report::{DriftFinding, DriftReport, REDACTED};
use crate::drift::{check_drift, DriftError, DriftRequest};
use crate::plan::planner::PlanRequest;

/// How often a drift run retries the stack's lock while an apply holds it.
const LOCK_RETRY: Duration = Duration::from_millis(250);

/// `7d`, `12h`, `30m`, `45s`, `2w`, or plain seconds.
pub fn parse_duration(text: &str) -> Result<Duration> {
    let text = text.trim();
    let split = text
        .find(|character: char| !character.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| anyhow!("`{text}` is not a duration (examples: 30s, 15m, 12h, 7d, 2w)"))?;
    let seconds = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => bail!("`{text}` is not a duration: unknown unit `{unit}` (use s, m, h, d or w)"),
    };
    Ok(Duration::from_secs(number.saturating_mul(seconds)))
}

fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs() as i64)
        .unwrap_or(0)
}

impl CommandContext {
    pub(super) async fn drift(&self, arguments: &DriftArgs) -> Result<u8> {
        let lock_timeout = parse_duration(&arguments.lock_timeout).context("--lock-timeout")?;
        if let Some(since) = &arguments.since {
            let window = parse_duration(since).context("--since")?;
            return self.drift_summary(arguments, window);
        }
        let loaded = self.load(&arguments.spec.directory, &arguments.spec.inputs)?;
        // Spec errors are found before the state is opened or AWS is called.
        self.check_plan(&loaded, false)?;
        let store = self.open_existing_store()?.ok_or_else(|| {
            anyhow!(
                "no state database at {}: nothing has been applied, so there is nothing to check\n  hint: run `provision apply {}` first, or pass --state",
                self.state.describe(),
                arguments.spec.directory.display()
            )
        })?;
        if store.stack(&loaded.stack)?.is_none() {
            bail!(
                "the state database {} holds no stack {}: nothing has been applied to check\n  hint: stacks are named after the spec folder and --env",
                self.state.describe(),
                loaded.stack
            );
        }
        let state = store.resources(&loaded.stack)?;
        let serial = store
            .stack(&loaded.stack)?
            .map(|stack| stack.serial)
            .unwrap_or(0);
        let prior_outputs: BTreeMap<String, Value> = store
            .outputs(&loaded.stack)?
            .into_iter()
            .map(|output| (output.name, Value::from_json(&output.value)))
            .collect();
        let (clients, _) = self.connect(&loaded, &state).await?;
        let request = DriftRequest {
            plan: PlanRequest {
                spec: &loaded.spec,
                variables: &loaded.variables,
                registry: &self.registry,
                stack: &loaded.stack,
                environment: loaded.environment.as_deref(),
                state: &state,
                state_serial: serial,
                prior_outputs: &prior_outputs,
                destroy: false,
            },
            clients,
            concurrency: arguments.concurrency,
            data_reader: Some(self.data_reader(&loaded)?),
        };
        let report = check_drift(request)
            .await
            .map_err(|error| self.drift_failure(&loaded, error))?;
        let run_id = self.record_drift(store, &report, lock_timeout).await?;
        let drifted = !report.in_sync();
        if arguments.quiet && !drifted {
            return Ok(0);
        }
        if arguments.json {
            let mut document = report.to_json();
            document["run_id"] = serde_json::json!(run_id);
            println!("{}", serde_json::to_string_pretty(&document)?);
        } else {
            print!(
                "{}",
                render_drift_report(&report, &self.style_out, &refresh_command(&loaded))
            );
            if arguments.stats {
                print!("{}", render_stats(&report));
            }
        }
        Ok(if drifted { EXIT_CHANGES } else { 0 })
    }

    /// A drift check's error as the user should see it.
    pub(super) fn drift_failure(&self, loaded: &LoadedSpec, error: DriftError) -> anyhow::Error {
        if let DriftError::Spec(diagnostics) = &error {
            self.print_diagnostics(&loaded.spec.sources, diagnostics);
            return Reported.into();
        }
        let endpoint = std::env::var("AWS_ENDPOINT_URL")
            .map(|url| format!(" at {url}"))
            .unwrap_or_default();
        match error.provider_error() {
            Some(provider) if provider.is_unreachable() => anyhow!(
                "cannot reach AWS{endpoint}: {error}\n  hint: check the network, the region and AWS_ENDPOINT_URL; nothing was checked or recorded"
            ),
            Some(provider) if provider.to_string().to_lowercase().contains("credential") => anyhow!(
                "no usable AWS credentials: {error}\n  hint: set AWS_PROFILE (or --profile), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; nothing was checked or recorded"
            ),
            _ => anyhow!(error).context("the drift check failed; nothing was recorded"),
        }
    }

    /// Takes the stack's lock (waiting up to `lock_timeout` while another run holds it) just to
    /// record the run and its findings, then releases it. Returns the run id.
    async fn record_drift(
        &self,
        mut store: Box<dyn StateStore>,
        report: &DriftReport,
        lock_timeout: Duration,
    ) -> Result<i64> {
        let holder = LockHolder::current("provision drift");
        let deadline = Instant::now() + lock_timeout;
        let lock = loop {
            match store.acquire_lock(&report.stack, &holder) {
                Ok(lock) => break lock,
                Err(StateError::Locked { .. }) if Instant::now() < deadline => {
                    tokio::time::sleep(LOCK_RETRY).await;
                }
                Err(error @ StateError::Locked { .. }) => {
                    return Err(anyhow!(
                        "{error}\n  hint: the drift check itself finished; it waited {} (--lock-timeout) to record its report",
                        humanize(lock_timeout)
                    ))
                }
                Err(error) => return Err(anyhow!(error).context("cannot take the stack's lock")),
            }
        };
        let recorded = (|| -> Result<i64> {
            let run_id = store.start_run(&report.stack, RunKind::Drift, "")?;
            let drift = DriftRunRecord {
                run_id,
                stack: report.stack.clone(),
                checked_at: report.checked_at,
                resources_checked: report.resources_checked as i64,
                api_calls: report.api_calls.values().sum::<u64>() as i64,
                duration_ms: report.duration_ms as i64,
                findings: report
                    .findings
                    .iter()
                    .map(DriftFinding::to_record)
                    .collect(),
            };
            store.record_drift_run(&drift, RunStatus::Succeeded, &report.summary())?;
            Ok(run_id)
        })();
        let released = store.release_lock(&report.stack, &lock.token);
        let run_id = recorded?;
        released?;
        Ok(run_id)
    }

    /// `provision drift DIR --since 7d`: what the recorded runs found, without reading the cloud.
    fn drift_summary(&self, arguments: &DriftArgs, window: Duration) -> Result<u8> {
        let stack = stack_name(
            &arguments.spec.directory,
            arguments.spec.inputs.environment.as_deref(),
        );
        let Some(store) = self.open_existing_store()? else {
            return Err(self.no_state());
        };
        let since = now_unix() - window.as_secs() as i64;
        let runs = store.drift_runs_since(&stack, since)?;
        let summaries = summarise_findings(&runs);
        if arguments.json {
            let document = serde_json::json!({
                "format_version": "1",
                "stack": stack,
                "since": since,
                "checks": runs.len(),
                "checks_with_drift": runs.iter().filter(|run| !run.findings.is_empty()).count(),
                "runs": runs.iter().map(|run| serde_json::json!({
                    "run_id": run.run_id,
                    "checked_at": run.checked_at,
                    "in_sync": run.findings.is_empty(),
                    "resources_checked": run.resources_checked,
                    "drift": run.findings.iter().map(|finding| serde_json::json!({
                        "kind": finding.kind.as_str(),
                        "address": finding.address,
                        "type": finding.type_name,
                        "id": finding.cloud_id,
                        "attributes": finding.details,
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "resources": summaries.iter().map(|summary| serde_json::json!({
                    "address": summary.address,
                    "type": summary.type_name,
                    "kind": summary.kind.as_str(),
                    "attributes": summary.attributes,
                    "checks": summary.checks,
                    "first_seen": summary.first_seen,
                    "last_seen": summary.last_seen,
                })).collect::<Vec<_>>(),
            });
            println!("{}", serde_json::to_string_pretty(&document)?);
            return Ok(0);
        }
        if arguments.quiet && summaries.is_empty() {
            return Ok(0);
        }
        let style = &self.style_out;
        let with_drift: Vec<&DriftRunRecord> =
            runs.iter().filter(|run| !run.findings.is_empty()).collect();
        println!(
            "Drift checks of {stack} since {}: {} run{}, {} found drift.",
            provision_state::format_unix_time(since),
            runs.len(),
            if runs.len() == 1 { "" } else { "s" },
            with_drift.len()
        );
        if runs.is_empty() {
            println!("No drift run was recorded in that period.");
            return Ok(0);
        }
        for run in &with_drift {
            let count = |kind| {
                run.findings
                    .iter()
                    .filter(|finding| finding.kind == kind)
                    .count()
            };
            println!(
                "  #{:<5} {}  {} modified, {} deleted, {} unmanaged",
                run.run_id,
                provision_state::format_unix_time(run.checked_at),
                count(DriftKind::Modified),
                count(DriftKind::Deleted),
                count(DriftKind::Unmanaged)
            );
        }
        if summaries.is_empty() {
            println!("{}", style.green("Every check was in sync."));
            return Ok(0);
        }
        println!("\nWhat drifted:");
        let width = summaries
            .iter()
            .map(|summary| summary.label().len())
            .max()
            .unwrap_or(0);
        for summary in &summaries {
            let attributes = if summary.attributes.is_empty() {
                String::new()
            } else {
                format!(" ({})", summary.attributes.join(", "))
            };
            println!(
                "  {:width$}  {}{attributes}: in {} check{}, first {}, last {}",
                summary.label(),
                summary.kind.as_str(),
                summary.checks,
                if summary.checks == 1 { "" } else { "s" },
                provision_state::format_unix_time(summary.first_seen),
                provision_state::format_unix_time(summary.last_seen),
            );
        }
        Ok(0)
    }
}

/// `provision plan DIR [--env NAME] --refresh`, for the hint under a report.
fn refresh_command(loaded: &LoadedSpec) -> String {
    let directory = loaded.spec.directory.display().to_string();
    match &loaded.environment {
        Some(environment) => format!("provision plan {directory} --env {environment} --refresh"),
        None => format!("provision plan {directory} --refresh"),
    }
}

/// One resource's drift over several runs.
struct FindingSummary {
    address: String,
    type_name: String,
    cloud_id: Option<String>,
    kind: DriftKind,
    attributes: Vec<String>,
    checks: usize,
    first_seen: i64,
    last_seen: i64,
}

impl FindingSummary {
    fn label(&self) -> String {
        if self.kind == DriftKind::Unmanaged {
            format!(
                "{} {}",
                self.type_name,
                self.cloud_id.clone().unwrap_or_default()
            )
        } else {
            self.address.clone()
        }
    }
}

fn summarise_findings(runs: &[DriftRunRecord]) -> Vec<FindingSummary> {
    let mut summaries: BTreeMap<(String, String, String), FindingSummary> = BTreeMap::new();
    for run in runs {
        for finding in &run.findings {
            let key = (
                finding.kind.as_str().to_string(),
                finding.address.clone(),
                finding.cloud_id.clone().unwrap_or_default(),
            );
            let summary = summaries.entry(key).or_insert_with(|| FindingSummary {
                address: finding.address.clone(),
                type_name: finding.type_name.clone(),
                cloud_id: finding.cloud_id.clone(),
                kind: finding.kind,
                attributes: Vec::new(),
                checks: 0,
                first_seen: run.checked_at,
                last_seen: run.checked_at,
            });
            summary.checks += 1;
            summary.first_seen = summary.first_seen.min(run.checked_at);
            summary.last_seen = summary.last_seen.max(run.checked_at);
            for detail in finding.details.as_array().into_iter().flatten() {
                if let Some(name) = detail["attribute"].as_str() {
                    if !summary.attributes.iter().any(|known| known == name) {
                        summary.attributes.push(name.to_string());
                    }
                }
            }
        }
    }
    summaries.into_values().collect()
}

fn humanize(duration: Duration) -> String {
    format!("{}s", duration.as_secs())
}

fn shown(value: &Value, sensitive: bool) -> String {
    if sensitive {
        REDACTED.to_string()
    } else if value.is_null() {
        "null".to_string()
    } else {
        value.to_string()
    }
}

/// The human report.
pub fn render_drift_report(report: &DriftReport, style: &Style, refresh_command: &str) -> String {
    let mut out = String::new();
    if report.in_sync() {
        out.push_str(&format!(
            "{} {} matches what was last applied ({} resources read).\n",
            style.green(&style.bold("No drift:")),
            report.stack,
            report.resources_checked
        ));
    } else {
        out.push_str(&format!(
            "{} in {} ({} resources read):\n\n",
            style.red(&style.bold("Drift found")),
            report.stack,
            report.resources_checked
        ));
        for finding in &report.findings {
            let id = finding.cloud_id.clone().unwrap_or_default();
            match finding.kind {
                DriftKind::Modified => {
                    out.push_str(&format!(
                        "  {} {} ({id}) modified:\n",
                        style.yellow("~"),
                        style.bold(&finding.address)
                    ));
                    for attribute in &finding.attributes {
                        out.push_str(&format!(
                            "      {}: {} → {}\n",
                            attribute.attribute,
                            shown(&attribute.expected, attribute.sensitive),
                            shown(&attribute.actual, attribute.sensitive)
                        ));
                    }
                }
                DriftKind::Deleted => out.push_str(&format!(
                    "  {} {} ({id}) deleted: gone from the cloud\n",
                    style.red("-"),
                    style.bold(&finding.address)
                )),
                DriftKind::Unmanaged => out.push_str(&format!(
                    "  {} {} {id} unmanaged: tagged with this stack{}, but not in state\n",
                    style.cyan("?"),
                    style.bold(&finding.type_name),
                    if finding.address.is_empty() {
                        String::new()
                    } else {
                        format!(" as {}", finding.address)
                    }
                )),
            }
        }
        out.push_str(&format!(
            "\nDrift: {} modified, {} deleted, {} unmanaged.\n",
            report.count(DriftKind::Modified),
            report.count(DriftKind::Deleted),
            report.count(DriftKind::Unmanaged)
        ));
        if report.count(DriftKind::Modified) + report.count(DriftKind::Deleted) > 0 {
            out.push_str(&format!(
                "To put it back: `{refresh_command}`, then `provision apply`.\n"
            ));
        }
        if report.count(DriftKind::Unmanaged) > 0 {
            out.push_str("Unmanaged resources are never touched by apply: delete them by hand, or add them to the spec.\n");
        }
    }
    if !report.spec_changes.is_empty() {
        out.push_str(&format!(
            "\nSpec changes not applied yet (not drift; `provision plan` shows them): {}\n",
            report.spec_changes.len()
        ));
        for change in &report.spec_changes {
            let attributes = if change.attributes.is_empty() {
                String::new()
            } else {
                format!(" ({})", change.attributes.join(", "))
            };
            out.push_str(&format!(
                "  {} {}{attributes}\n",
                change.action, change.address
            ));
        }
    }
    out
}

fn render_stats(report: &DriftReport) -> String {
    let total: u64 = report.api_calls.values().sum();
    let mut out = format!(
        "API calls: {total} in {:.2}s\n",
        report.duration_ms as f64 / 1000.0
    );
    for (operation, count) in &report.api_calls {
        out.push_str(&format!("  {operation}: {count}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_take_the_usual_units() {
        assert_eq!(parse_duration("30s").unwrap(), Duration::from_secs(30));
        assert_eq!(parse_duration("15m").unwrap(), Duration::from_secs(900));
        assert_eq!(
            parse_duration("7d").unwrap(),
            Duration::from_secs(7 * 86_400)
        );
        assert_eq!(parse_duration("45").unwrap(), Duration::from_secs(45));
        assert!(parse_duration("7 days").is_err());
        assert!(parse_duration("d").is_err());
    }
}
