//! Progress of apply and destroy: on a terminal, a live view (each resource in flight with its
//! elapsed time, counts done / failed / left); otherwise one plain line per event.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::apply::{ApplyObserver, OperationResult};
use crate::graph::apply_graph::OperationKind;

use super::style::Style;

fn verb(address: &str, kind: OperationKind, replacing: bool) -> (&'static str, &'static str) {
    if kind == OperationKind::Delete && crate::plan::is_data_address(address) {
        return ("removing from state", "removed from state");
    }
    match (kind, replacing) {
        (OperationKind::Read, _) => ("reading", "read"),
        (OperationKind::Create, false) => ("creating", "created"),
        (OperationKind::Create, true) => ("creating replacement", "created replacement"),
        (OperationKind::Update, _) => ("updating", "updated"),
        (OperationKind::Delete, false) => ("destroying", "destroyed"),
        (OperationKind::Delete, true) => ("destroying (replace)", "destroyed (replace)"),
    }
}

/// One line per event, for logs and pipes.
pub struct PlainProgress {
    style: Style,
    replacing: Mutex<HashMap<String, bool>>,
}

impl PlainProgress {
    pub fn new(style: Style) -> PlainProgress {
        PlainProgress {
            style,
            replacing: Mutex::new(HashMap::new()),
        }
    }

    fn line(&self, text: String) {
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "{text}");
        let _ = stdout.flush();
    }
}

impl ApplyObserver for PlainProgress {
    fn operation_started(&self, address: &str, kind: OperationKind, replacing: bool) {
        if let Ok(mut map) = self.replacing.lock() {
            map.insert(address.to_string(), replacing);
        }
        self.line(format!(
            "{}: {}...",
            self.style.bold(address),
            verb(address, kind, replacing).0
        ));
    }

    fn operation_progress(&self, address: &str, message: &str) {
        self.line(format!("{}: {message}", self.style.bold(address)));
    }

    fn operation_finished(
        &self,
        address: &str,
        kind: OperationKind,
        result: &OperationResult,
        elapsed: Duration,
    ) {
        let replacing = self
            .replacing
            .lock()
            .ok()
            .and_then(|map| map.get(address).copied())
            .unwrap_or(false);
        let text = match result {
            OperationResult::Succeeded { cloud_id } => format!(
                "{}: {}{} [{:.1}s]",
                self.style.bold(address),
                self.style.green(verb(address, kind, replacing).1),
                cloud_id
                    .as_ref()
                    .map(|id| format!(" {id}"))
                    .unwrap_or_default(),
                elapsed.as_secs_f64()
            ),
            OperationResult::Failed { message } => {
                format!(
                    "{}: {} {message}",
                    self.style.bold(address),
                    self.style.red("failed:")
                )
            }
            OperationResult::Skipped { because } => {
                format!(
                    "{}: {} ({because})",
                    self.style.bold(address),
                    self.style.yellow("skipped")
                )
            }
        };
        self.line(text);
    }
}

/// A live view on a terminal.
pub struct LiveProgress {
    multi: MultiProgress,
    overall: ProgressBar,
    in_flight: Mutex<HashMap<String, (ProgressBar, Instant, bool)>>,
    style: Style,
    failed: Mutex<usize>,
}

impl LiveProgress {
    pub fn new(total: usize, style: Style) -> LiveProgress {
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        let overall = multi.add(ProgressBar::new(total as u64));
        overall.set_style(
            ProgressStyle::with_template("{elapsed_precise} [{bar:30}] {pos}/{len} done {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        overall.enable_steady_tick(Duration::from_millis(200));
        LiveProgress {
            multi,
            overall,
            in_flight: Mutex::new(HashMap::new()),
            style,
            failed: Mutex::new(0),
        }
    }

    pub fn finish(&self) {
        self.overall.finish_and_clear();
    }
}

impl ApplyObserver for LiveProgress {
    fn operation_started(&self, address: &str, kind: OperationKind, replacing: bool) {
        let bar = self
            .multi
            .insert_before(&self.overall, ProgressBar::new_spinner());
        bar.set_style(
            ProgressStyle::with_template("  {spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(format!("{address}: {}", verb(address, kind, replacing).0));
        bar.enable_steady_tick(Duration::from_millis(120));
        if let Ok(mut map) = self.in_flight.lock() {
            map.insert(address.to_string(), (bar, Instant::now(), replacing));
        }
    }

    fn operation_progress(&self, address: &str, message: &str) {
        if let Ok(map) = self.in_flight.lock() {
            if let Some((bar, _, _)) = map.get(address) {
                bar.set_message(format!("{address}: {message}"));
            }
        }
    }

    fn operation_finished(
        &self,
        address: &str,
        kind: OperationKind,
        result: &OperationResult,
        elapsed: Duration,
    ) {
        let entry = self
            .in_flight
            .lock()
            .ok()
            .and_then(|mut map| map.remove(address));
        let replacing = entry
            .as_ref()
            .map(|(_, _, replacing)| *replacing)
            .unwrap_or(false);
        if let Some((bar, _, _)) = entry {
            bar.finish_and_clear();
            self.multi.remove(&bar);
        }
        let line = match result {
            OperationResult::Succeeded { cloud_id } => format!(
                "{}: {}{} [{:.1}s]",
                self.style.bold(address),
                self.style.green(verb(address, kind, replacing).1),
                cloud_id
                    .as_ref()
                    .map(|id| format!(" {id}"))
                    .unwrap_or_default(),
                elapsed.as_secs_f64()
            ),
            OperationResult::Failed { message } => {
                if let Ok(mut failed) = self.failed.lock() {
                    *failed += 1;
                }
                format!(
                    "{}: {} {message}",
                    self.style.bold(address),
                    self.style.red("failed:")
                )
            }
            OperationResult::Skipped { because } => {
                format!(
                    "{}: {} ({because})",
                    self.style.bold(address),
                    self.style.yellow("skipped")
                )
            }
        };
        let _ = self.multi.println(line);
        self.overall.inc(1);
        let failed = self.failed.lock().map(|failed| *failed).unwrap_or(0);
        if failed > 0 {
            self.overall.set_message(format!("{failed} failed"));
        }
    }
}
