//! Plans: what would change, per resource instance (`Change`), with attribute-level diffs, the
//! state serial and spec hash it was made against. Built by `planner`, diffed by `diff`.

pub mod config;
pub mod coverage;
pub mod data;
pub mod diff;
pub mod imports;
pub mod module;
pub mod moves;
pub mod planner;
pub mod saved;
pub mod scope;
pub mod security;
pub mod timeouts;

use std::collections::{BTreeMap, BTreeSet};

use provision_core::{Attributes, Value};
use serde::{Deserialize, Serialize};

/// What happens to one resource instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    NoOp,
    Create,
    /// In place.
    Update,
    /// Delete and create (or create then delete with `create_before_destroy`).
    Replace,
    Delete,
    /// A data source read during apply (its arguments are known only then, or a `depends_on`
    /// has changes): Terraform's `<= read`.
    Read,
}

impl Action {
    pub fn as_str(&self) -> &'static str {
        match self {
            Action::NoOp => "no-op",
            Action::Create => "create",
            Action::Update => "update",
            Action::Replace => "replace",
            Action::Delete => "delete",
            Action::Read => "read",
        }
    }
}

/// One attribute's difference. `name` is a path: `cidr_block`, `tags.Name`, `ingress`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributeChange {
    pub name: String,
    /// `None` when the attribute is new.
    pub before: Option<Value>,
    /// `None` when the attribute goes away; `Some(Value::Unknown)` when known after apply.
    pub after: Option<Value>,
    pub sensitive: bool,
    pub forces_replacement: bool,
}

/// The change to one resource instance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// `aws_subnet.public[0]`
    pub address: String,
    pub type_name: String,
    pub action: Action,
    /// Attributes that force replacement, when `action` is `Replace`.
    pub replace_reasons: Vec<String>,
    /// The state's attributes (None for a create).
    pub before: Option<Attributes>,
    /// The planned attributes: known values, `Unknown` for what is computed at apply
    /// (None for a delete).
    pub after: Option<Attributes>,
    pub attribute_changes: Vec<AttributeChange>,
    /// Top-level attribute names whose values are sensitive.
    pub sensitive_attributes: BTreeSet<String>,
    /// Addresses this instance depends on (from the spec, or from state for a delete).
    pub dependencies: Vec<String>,
    /// Addresses the state recorded as its dependencies (orders deletes of what it used).
    #[serde(default)]
    pub prior_dependencies: Vec<String>,
    /// The dependencies named by `depends_on` (its own or its module call's): these must be
    /// ready, never only created, before this instance starts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub explicit_dependencies: Vec<String>,
    /// The `timeouts {}` limits in milliseconds (`create`, `update`, `delete`), when written.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub timeouts: BTreeMap<String, u64>,
    pub create_before_destroy: bool,
    /// The cloud id from state, when there is one.
    pub cloud_id: Option<String>,
    /// Why a data source read waits for apply (`Action::Read`), in Terraform's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_reason: Option<String>,
    /// The provider configuration (`aws`, `aws.west`) whose clients create, update and read it.
    #[serde(default = "default_configuration")]
    pub provider: String,
    /// The configuration state records for it, when that differs (a delete of the old object
    /// goes there); None when it is the same or there is no prior object.
    #[serde(default)]
    pub prior_provider: Option<String>,
    /// The address state knew the instance by, when a `moved` block renamed it: apply renames
    /// the state record first (the cloud object stays).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moved_from: Option<String>,
    /// The import ID of an `import {}` block that brings the cloud object under this address:
    /// apply reads it and records it in state first, then makes the change planned against it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub import_id: Option<String>,
}

fn default_configuration() -> String {
    crate::provider_configuration::DEFAULT_CONFIGURATION.to_string()
}

impl Change {
    /// The configuration that deletes the prior object: the one that made it.
    pub fn delete_provider(&self) -> &str {
        self.prior_provider.as_deref().unwrap_or(&self.provider)
    }
}

/// An output's new value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutputChange {
    pub name: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub sensitive: bool,
}

/// A whole plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// `specs/edgemind` or `specs/edgemind/prod`
    pub stack: String,
    /// The spec folder the plan was made from.
    pub spec_directory: String,
    /// `--env` used, if any.
    pub environment: Option<String>,
    /// The state serial the plan was made against: a different serial at apply makes it stale.
    pub state_serial: i64,
    pub spec_hash: String,
    /// True for a destroy plan.
    pub destroy: bool,
    /// Every instance in spec ∪ state, no-ops included, in topological order.
    pub changes: Vec<Change>,
    pub outputs: Vec<OutputChange>,
}

/// Counts for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSummary {
    #[serde(default)]
    pub import: usize,
    pub add: usize,
    pub change: usize,
    pub destroy: usize,
}

/// True for the address of a data source instance (`data.aws_vpc.main`,
/// `module.network.data.aws_vpc.main`).
pub fn is_data_address(address: &str) -> bool {
    crate::address::parse_data_address(address).is_some()
}

impl Change {
    /// A data source instance (read, never created): `data.aws_vpc.main`.
    pub fn is_data(&self) -> bool {
        is_data_address(&self.address)
    }
}

/// Whether `address` is `pattern` or inside it: an instance of the block (`aws_x.y[0]`,
/// `aws_x.y["k"]`) or anything in the module (`module.network.aws_vpc.main`).
pub fn address_within(address: &str, pattern: &str) -> bool {
    address == pattern
        || address
            .strip_prefix(pattern)
            .is_some_and(|rest| rest.starts_with('[') || rest.starts_with('.'))
}

impl Plan {
    /// `--exclude`: leaves out the changes at `patterns` (blocks, instances, modules) and every
    /// change that depends on them; a delete is also left out while an excluded instance
    /// depends on what it deletes. Returns the addresses of the changes left out that would
    /// have changed something.
    pub fn exclude(&mut self, patterns: &[String]) -> Vec<String> {
        if patterns.is_empty() {
            return Vec::new();
        }
        let mut excluded: BTreeSet<String> = BTreeSet::new();
        // Changes are in topological order: dependencies come first.
        for change in &self.changes {
            let matched = patterns
                .iter()
                .any(|pattern| address_within(&change.address, pattern));
            let depends = change
                .dependencies
                .iter()
                .any(|dependency| excluded.contains(dependency));
            if matched || depends {
                excluded.insert(change.address.clone());
            }
        }
        // What excluded instances use stays too (deleting it would break them).
        for change in self.changes.iter().rev() {
            if excluded.contains(&change.address) {
                continue;
            }
            let used = self.changes.iter().any(|user| {
                excluded.contains(&user.address)
                    && (user.dependencies.contains(&change.address)
                        || user.prior_dependencies.contains(&change.address))
            });
            if used && matches!(change.action, Action::Delete | Action::Replace) {
                excluded.insert(change.address.clone());
            }
        }
        let left_out = self
            .changes
            .iter()
            .filter(|change| excluded.contains(&change.address) && change.action != Action::NoOp)
            .map(|change| change.address.clone())
            .collect();
        self.changes
            .retain(|change| !excluded.contains(&change.address));
        left_out
    }

    pub fn summary(&self) -> PlanSummary {
        let mut summary = PlanSummary::default();
        for change in &self.changes {
            if change.is_data() {
                continue;
            }
            if change.import_id.is_some() {
                summary.import += 1;
            }
            match change.action {
                Action::NoOp | Action::Read => {}
                Action::Create => summary.add += 1,
                Action::Update => summary.change += 1,
                Action::Replace => {
                    summary.add += 1;
                    summary.destroy += 1;
                }
                Action::Delete => summary.destroy += 1,
            }
        }
        summary
    }

    /// True when applying would change the cloud or rename state records (`moved` blocks);
    /// outputs alone do not count.
    pub fn has_changes(&self) -> bool {
        self.changes.iter().any(|change| {
            (change.action != Action::NoOp
                && !(change.is_data() && change.action == Action::Delete))
                || change.moved_from.is_some()
                || change.import_id.is_some()
        })
    }

    /// The imports of the plan: `(address, import id)`.
    pub fn imports(&self) -> Vec<(&Change, &str)> {
        self.changes
            .iter()
            .filter_map(|change| change.import_id.as_deref().map(|id| (change, id)))
            .collect()
    }

    /// The moves of the plan: `(from, to)`.
    pub fn moves(&self) -> Vec<(&str, &str)> {
        self.changes
            .iter()
            .filter_map(|change| {
                change
                    .moved_from
                    .as_deref()
                    .map(|from| (from, change.address.as_str()))
            })
            .collect()
    }

    pub fn has_output_changes(&self) -> bool {
        self.outputs
            .iter()
            .any(|output| output.before != output.after)
    }
}
