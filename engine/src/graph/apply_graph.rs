//! The apply graph, built from a plan (never from the spec): one node per operation (create,
//! update, delete; a replacement is a delete and a create), edges for the order AWS needs, and
//! each node's priority: the expected duration of the longest path that starts at it, each
//! operation weighted by how long AWS usually takes for its type ([`expected_seconds`]: a NAT
//! gateway minutes, a security group a second). With a bound on parallelism the scheduler starts
//! the ready operation of highest priority first, so the critical path never waits for a slot.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, HashMap, HashSet};

use petgraph::algo::toposort;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::Direction;

use crate::plan::{Action, Change, Plan};

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
    /// Per node: the expected seconds of the longest path that starts at it (its own
    /// operation included), by [`expected_seconds`].
    pub priority: HashMap<NodeIndex, u64>,
    /// The number of operations on the longest path of the graph.
    chain: usize,
    /// Edges (create → create) whose dependent needs only the dependency's id or ARN: it may
    /// start as soon as the dependency's create answered and was committed, before the
    /// dependency is ready ([`released_at_id`]).
    pub released_at_id: HashSet<(NodeIndex, NodeIndex)>,
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
        let by_address: HashMap<&str, &Change> = plan
            .changes
            .iter()
            .map(|change| (change.address.as_str(), change))
            .collect();
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
            // Dependents are deleted before what they depended on (dependencies from state),
            // unless AWS lets the dependency go first (`deleted_before_dependent`) and both
            // simply go.
            if let Some(&node) = deletes.get(address) {
                for dependency in &change.prior_dependencies {
                    if let Some(&after) = deletes.get(dependency.as_str()) {
                        let either_order = change.action == Action::Delete
                            && !change.explicit_dependencies.contains(dependency)
                            && by_address.get(dependency.as_str()).is_some_and(|prior| {
                                prior.action == Action::Delete
                                    && deleted_before_dependent(&prior.type_name, &change.type_name)
                            });
                        if !either_order {
                            edges.insert((node, after));
                        }
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
        let mut early = HashSet::new();
        for (from, to) in &edges {
            let (dependency, dependent) = (&graph[*from], &graph[*to]);
            let dependent_change = &plan.changes[dependent.change];
            let releasable = dependency.kind == OperationKind::Create
                && dependent.kind == OperationKind::Create
                && !dependent_change
                    .explicit_dependencies
                    .contains(&dependency.address)
                && released_at_id(
                    &plan.changes[dependency.change].type_name,
                    &dependent_change.type_name,
                );
            if releasable {
                early.insert((*from, *to));
            }
        }
        for (from, to) in edges {
            if from != to {
                graph.add_edge(from, to, ());
            }
        }
        let priority = longest_paths(&graph, |operation| {
            expected_seconds(&plan.changes[operation.change].type_name, operation.kind)
        });
        let chain = longest_paths(&graph, |_| 1)
            .into_values()
            .max()
            .unwrap_or(0) as usize;
        ApplyGraph {
            graph,
            priority,
            chain,
            released_at_id: early,
        }
    }

    pub fn len(&self) -> usize {
        self.graph.node_count()
    }

    pub fn is_empty(&self) -> bool {
        self.graph.node_count() == 0
    }

    /// The length of the longest chain of operations in the graph.
    pub fn longest_chain(&self) -> usize {
        self.chain
    }
}

/// The scheduler's order: which operations are ready (all they wait on succeeded) and which of
/// them starts next: the highest priority (the heaviest expected path behind it); among equals
/// the one with the heavier path before it (a chain under way finishes before a fresh leaf of the
/// same weight starts), then the earlier in plan order. The apply engine asks it for the next operation whenever a slot is free.
pub struct Schedule<'g> {
    graph: &'g ApplyGraph,
    waiting_on: HashMap<NodeIndex, usize>,
    ready: BinaryHeap<(u64, u64, Reverse<usize>, NodeIndex)>,
    skipped: HashSet<NodeIndex>,
    /// Per node: the weight of the heaviest path that ends at it (itself excluded).
    depth: HashMap<NodeIndex, u64>,
    /// Edges already counted as satisfied by an id-known release.
    released: HashSet<(NodeIndex, NodeIndex)>,
    /// Nodes that succeeded (a late id-known message for one of them changes nothing).
    done: HashSet<NodeIndex>,
}

impl<'g> Schedule<'g> {
    pub fn new(graph: &'g ApplyGraph) -> Schedule<'g> {
        let mut schedule = Schedule {
            graph,
            waiting_on: HashMap::new(),
            ready: BinaryHeap::new(),
            skipped: HashSet::new(),
            depth: HashMap::new(),
            released: HashSet::new(),
            done: HashSet::new(),
        };
        let order = toposort(&graph.graph, None).unwrap_or_default();
        for node in order {
            let own = graph.priority.get(&node).copied().unwrap_or(1)
                - graph
                    .graph
                    .neighbors_directed(node, Direction::Outgoing)
                    .filter_map(|next| graph.priority.get(&next).copied())
                    .max()
                    .unwrap_or(0);
            let reach = schedule.depth.get(&node).copied().unwrap_or(0) + own;
            for next in graph.graph.neighbors_directed(node, Direction::Outgoing) {
                let entry = schedule.depth.entry(next).or_insert(0);
                *entry = (*entry).max(reach);
            }
        }
        for node in graph.graph.node_indices() {
            let count = graph
                .graph
                .neighbors_directed(node, Direction::Incoming)
                .count();
            schedule.waiting_on.insert(node, count);
            if count == 0 {
                schedule.push(node);
            }
        }
        schedule
    }

    fn push(&mut self, node: NodeIndex) {
        let priority = self.graph.priority.get(&node).copied().unwrap_or(1);
        let depth = self.depth.get(&node).copied().unwrap_or(0);
        self.ready
            .push((priority, depth, Reverse(node.index()), node));
    }

    /// The ready operation to start now, if any.
    pub fn take_next(&mut self) -> Option<NodeIndex> {
        self.ready.pop().map(|(_, _, _, node)| node)
    }

    /// `node` (a create) has its id committed but is not ready yet: the dependents that need
    /// only its id ([`ApplyGraph::released_at_id`]) stop waiting on it.
    pub fn id_known(&mut self, node: NodeIndex) {
        if self.done.contains(&node) {
            return;
        }
        let dependents: Vec<NodeIndex> = self
            .graph
            .graph
            .neighbors_directed(node, Direction::Outgoing)
            .filter(|next| self.graph.released_at_id.contains(&(node, *next)))
            .collect();
        for next in dependents {
            self.released.insert((node, next));
            self.release(next);
        }
    }

    /// True when some dependent of `node` waits for it to be ready (not only for its id).
    pub fn has_waiting_dependents(&self, node: NodeIndex) -> bool {
        self.graph
            .graph
            .neighbors_directed(node, Direction::Outgoing)
            .any(|next| !self.graph.released_at_id.contains(&(node, next)))
    }

    fn release(&mut self, next: NodeIndex) {
        if let Some(count) = self.waiting_on.get_mut(&next) {
            *count = count.saturating_sub(1);
            if *count == 0 && !self.skipped.contains(&next) {
                self.push(next);
            }
        }
    }

    /// `node` succeeded: its dependents that wait on nothing else become ready.
    pub fn succeeded(&mut self, node: NodeIndex) {
        if !self.done.insert(node) {
            return;
        }
        let dependents: Vec<NodeIndex> = self
            .graph
            .graph
            .neighbors_directed(node, Direction::Outgoing)
            .filter(|next| !self.released.contains(&(node, *next)))
            .collect();
        for next in dependents {
            self.release(next);
        }
    }

    /// `node` will not run (a dependency failed): it never becomes ready.
    pub fn skip(&mut self, node: NodeIndex) {
        self.skipped.insert(node);
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

/// True when a `dependent` may be created as soon as a `dependency` of that type has its id,
/// while the dependency still becomes ready: AWS accepts the dependent's create call against a
/// pending dependency, and what the dependent references (id, ARN, name, domain name) is in the
/// dependency's create answer. A `depends_on` always waits for readiness. Pairs not listed wait.
pub fn released_at_id(dependency: &str, dependent: &str) -> bool {
    matches!(
        (dependency, dependent),
        // A route to a pending NAT gateway is accepted (and blackholes until it is available).
        ("aws_nat_gateway", "aws_route" | "aws_route_table")
            // A distribution's ARN and domain name are known at once; deploying takes minutes.
            | (
                "aws_cloudfront_distribution",
                "aws_s3_bucket_policy"
                    | "aws_cloudwatch_metric_alarm"
                    | "aws_ssm_parameter"
                    | "aws_secretsmanager_secret_version"
            )
            // Listeners and target groups attach to a provisioning load balancer.
            | ("aws_lb" | "aws_alb", "aws_lb_listener" | "aws_alb_listener")
            // Instances are added to a creating cluster.
            | ("aws_rds_cluster", "aws_rds_cluster_instance")
            // Scaling targets and alarms name a service that is still reaching steady state.
            | (
                "aws_ecs_service",
                "aws_appautoscaling_target" | "aws_cloudwatch_metric_alarm"
            )
    )
}

/// Whether a resource of type `dependency` may be deleted before (or while) a resource of type
/// `dependent` that depended on it, when both are deleted in the run: AWS accepts the delete and
/// leaves the dependent harmless until its own delete. Destroy then waits on fewer links.
pub fn deleted_before_dependent(dependency: &str, dependent: &str) -> bool {
    matches!(
        (dependency, dependent),
        // Routes to a deleted NAT gateway or a detached internet gateway turn `blackhole`;
        // DeleteRoute and DeleteRouteTable still take them.
        (
            "aws_nat_gateway" | "aws_internet_gateway",
            "aws_route" | "aws_route_table"
        )
    )
}

/// How long AWS usually takes for one operation on a resource of `type_name`, in seconds: the
/// weights of the scheduler's priority. Types not named here take about a second. Figures are
/// typical AWS times (create until usable; delete until gone or no longer blocking), rounded.
pub fn expected_seconds(type_name: &str, kind: OperationKind) -> u64 {
    let (create, delete) = match type_name {
        // Minutes to become available, about one to go.
        "aws_nat_gateway" => (120, 60),
        // Deployed to every edge location: minutes both ways (a delete disables first).
        "aws_cloudfront_distribution" => (300, 600),
        // Steady state after tasks start and pass health checks; draining on delete.
        "aws_ecs_service" => (180, 120),
        // Database clusters and instances: many minutes.
        "aws_rds_cluster" => (600, 300),
        "aws_rds_cluster_instance" => (600, 400),
        // Load balancer provisioning (`aws_alb` is Terraform's other name for it).
        "aws_lb" | "aws_alb" => (180, 30),
        // Mount targets come up (and go) per zone in a minute or two.
        "aws_efs_mount_target" => (90, 60),
        "aws_efs_file_system" => (10, 10),
        // The hosted UI domain's CloudFront distribution.
        "aws_cognito_user_pool_domain" => (60, 60),
        // Function becomes Active; a VPC function's ENIs are slow to go.
        "aws_lambda_function" => (5, 5),
        "aws_internet_gateway" => (2, 5),
        "aws_dynamodb_table" => (10, 10),
        _ => (1, 1),
    };
    match kind {
        OperationKind::Delete => delete,
        OperationKind::Create | OperationKind::Update => create,
        OperationKind::Read => 1,
    }
}

/// Per node: the summed `weight` of the heaviest path starting at it.
fn longest_paths(
    graph: &DiGraph<Operation, ()>,
    weight: impl Fn(&Operation) -> u64,
) -> HashMap<NodeIndex, u64> {
    let mut priority = HashMap::new();
    let order = toposort(graph, None).unwrap_or_default();
    for node in order.into_iter().rev() {
        let longest_after = graph
            .neighbors_directed(node, Direction::Outgoing)
            .filter_map(|next| priority.get(&next).copied())
            .max()
            .unwrap_or(0);
        priority.insert(node, longest_after + weight(&graph[node]));
    }
    priority
}
