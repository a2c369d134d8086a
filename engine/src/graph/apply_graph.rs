//! The apply graph, built from a plan (never from the spec): one node per operation (create,
//! update, delete; a replacement is a delete and a create), edges for the order AWS needs, and
//! each node's priority (the longest chain of operations waiting behind it).

use std::collections::{BTreeSet, HashMap, HashSet};

use petgraph::algo::toposort;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::Direction;

use crate::plan::{Action, Plan};

/// What one node does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperationKind {
    Create,
    Update,
    Delete,
    /// A data source read: deferred ones and, so state and dependents get their values,
    /// those read at plan too. Never changes the cloud.
    Read,
}

/// One operation on one resource instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// Index into `plan.changes`.
    pub change: usize,
    pub address: String,
    pub kind: OperationKind,
    /// Part of a replacement.
    pub replacing: bool,
    /// The replacement creates the new object before deleting the old one: set by the change's
    /// `create_before_destroy`, or spread to it from a dependent that has it (as Terraform does;
    /// otherwise the order would be a cycle).
    pub create_before_destroy: bool,
}

/// Operations and "must finish before" edges (edge a → b: a before b).
pub struct ApplyGraph {
    pub graph: DiGraph<Operation, ()>,
    /// Per node: the number of operations on the longest path that starts at it.
    pub priority: HashMap<NodeIndex, usize>,
}

impl ApplyGraph {
    pub fn build(plan: &Plan) -> ApplyGraph {
        let create_before_destroy = effective_create_before_destroy(plan);
        let mut graph: DiGraph<Operation, ()> = DiGraph::new();
        let mut creates: HashMap<&str, NodeIndex> = HashMap::new();
        let mut deletes: HashMap<&str, NodeIndex> = HashMap::new();
        for (index, change) in plan.changes.iter().enumerate() {
            let cbd = create_before_destroy.contains(change.address.as_str());
            let mut add = |kind, replacing| {
                graph.add_node(Operation {
                    change: index,
                    address: change.address.clone(),
                    kind,
                    replacing,
                    create_before_destroy: cbd,
                })
            };
            match change.action {
                Action::NoOp if change.is_data() && !plan.destroy => {
                    creates.insert(&change.address, add(OperationKind::Read, false));
                }
                Action::NoOp => {}
                Action::Read => {
                    creates.insert(&change.address, add(OperationKind::Read, false));
                }
                Action::Create => {
                    creates.insert(&change.address, add(OperationKind::Create, false));
                }
                Action::Update => {
                    creates.insert(&change.address, add(OperationKind::Update, false));
                }
                Action::Delete => {
                    deletes.insert(&change.address, add(OperationKind::Delete, false));
                }
                Action::Replace => {
                    let delete = add(OperationKind::Delete, true);
                    let create = add(OperationKind::Create, true);
                    deletes.insert(&change.address, delete);
                    creates.insert(&change.address, create);
                }
            }
        }
        let mut edges: BTreeSet<(NodeIndex, NodeIndex)> = BTreeSet::new();
        for change in &plan.changes {
            let address = change.address.as_str();
            // Dependencies are created / updated before their dependents.
            if let Some(&node) = creates.get(address) {
                for dependency in &change.dependencies {
                    if let Some(&before) = creates.get(dependency.as_str()) {
                        edges.insert((before, node));
                    }
                }
            }
            // Dependents are deleted before what they depended on (dependencies from state).
            if let Some(&node) = deletes.get(address) {
                for dependency in &change.prior_dependencies {
                    if let Some(&after) = deletes.get(dependency.as_str()) {
                        edges.insert((node, after));
                    }
                }
            }
            // A replacement: delete then create, or create then delete.
            if let (Some(&delete), Some(&create)) = (deletes.get(address), creates.get(address)) {
                if create_before_destroy.contains(address) {
                    edges.insert((create, delete));
                } else {
                    edges.insert((delete, create));
                }
            }
        }
        // Something that stays and stops depending on a deleted resource is updated first.
        for change in &plan.changes {
            if let Some(&node) = creates.get(change.address.as_str()) {
                for (deleted, &delete) in &deletes {
                    let was_dependency = change
                        .prior_dependencies
                        .iter()
                        .any(|dependency| dependency == deleted);
                    if was_dependency
                        && !creates.contains_key(deleted)
                        && *deleted != change.address
                    {
                        edges.insert((node, delete));
                    }
                }
            }
        }
        // A create-before-destroy replacement: whatever depends on it and is created or updated
        // (to point at the new object) runs before the old object is deleted, as in Terraform
        // (an ECS service moves to the new task definition revision before the old one goes).
        for change in &plan.changes {
            let Some(&node) = creates.get(change.address.as_str()) else {
                continue;
            };
            for dependency in &change.dependencies {
                if *dependency == change.address
                    || !create_before_destroy.contains(dependency.as_str())
                {
                    continue;
                }
                if let (Some(&delete), true) = (
                    deletes.get(dependency.as_str()),
                    creates.contains_key(dependency.as_str()),
                ) {
                    edges.insert((node, delete));
                }
            }
        }
        for (from, to) in edges {
            if from != to {
                graph.add_edge(from, to, ());
            }
        }
        let priority = longest_chains(&graph);
        ApplyGraph { graph, priority }
    }

    pub fn len(&self) -> usize {
        self.graph.node_count()
    }

    pub fn is_empty(&self) -> bool {
        self.graph.node_count() == 0
    }

    /// The length of the longest chain of operations in the graph.
    pub fn longest_chain(&self) -> usize {
        self.priority.values().copied().max().unwrap_or(0)
    }
}

/// Replacements that create before they destroy: those that ask for it, and every replaced
/// dependency of one of those (a dependency destroyed first would need its dependent gone first,
/// which a create-before-destroy dependent only is after its own create: a cycle).
fn effective_create_before_destroy(plan: &Plan) -> HashSet<&str> {
    let replaced: HashMap<&str, &crate::plan::Change> = plan
        .changes
        .iter()
        .filter(|change| change.action == Action::Replace)
        .map(|change| (change.address.as_str(), change))
        .collect();
    let mut result: HashSet<&str> = replaced
        .values()
        .filter(|change| change.create_before_destroy)
        .map(|change| change.address.as_str())
        .collect();
    let mut pending: Vec<&str> = result.iter().copied().collect();
    while let Some(address) = pending.pop() {
        let Some(change) = replaced.get(address) else {
            continue;
        };
        for dependency in &change.dependencies {
            if let Some(dependency_change) = replaced.get(dependency.as_str()) {
                if result.insert(dependency_change.address.as_str()) {
                    pending.push(dependency_change.address.as_str());
                }
            }
        }
    }
    result
}

/// Number of nodes on the longest path starting at each node.
fn longest_chains(graph: &DiGraph<Operation, ()>) -> HashMap<NodeIndex, usize> {
    let mut priority = HashMap::new();
    let order = toposort(graph, None).unwrap_or_default();
    for node in order.into_iter().rev() {
        let longest_after = graph
            .neighbors_directed(node, Direction::Outgoing)
            .filter_map(|next| priority.get(&next).copied())
            .max()
            .unwrap_or(0);
        priority.insert(node, longest_after + 1);
    }
    priority
}
