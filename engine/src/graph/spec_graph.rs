//! The spec graph of one module: one node per local, resource block, data block, output and
//! module call; an edge from each to what it references (and its `depends_on`). Gives the
//! evaluation order, each resource and data block's resource and data dependencies (through
//! locals), what any expression reaches (`reach`: resources, data blocks, input variables,
//! called modules' outputs), and names the loop when there is a cycle.

use std::collections::{BTreeSet, HashMap};

use petgraph::algo::{tarjan_scc, toposort};
use petgraph::graph::{DiGraph, NodeIndex};
use provision_core::Registry;

use crate::diagnostics::{Diagnostic, Diagnostics, SourceMap, SourceSpan};
use crate::spec::ast::Reference;
use crate::spec::Spec;

/// A node of the spec graph.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SpecNode {
    /// Index into `spec.locals`.
    Local(usize),
    /// Index into `spec.resources`.
    Resource(usize),
    /// Index into `spec.outputs`.
    Output(usize),
    /// Index into `spec.modules`.
    Module(usize),
    /// Index into `spec.data_sources`.
    Data(usize),
}

/// What a node's expressions reach, directly or through locals: resource blocks, input
/// variables of the module, and outputs of called modules (`None`: the whole module, as
/// `depends_on = [module.x]` names it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reach {
    pub resources: BTreeSet<usize>,
    /// Data blocks (indexes into `spec.data_sources`).
    pub data: BTreeSet<usize>,
    pub variables: BTreeSet<String>,
    pub module_outputs: BTreeSet<(usize, Option<String>)>,
}

impl Reach {
    fn extend(&mut self, other: &Reach) {
        self.resources.extend(other.resources.iter().copied());
        self.data.extend(other.data.iter().copied());
        self.variables.extend(other.variables.iter().cloned());
        self.module_outputs
            .extend(other.module_outputs.iter().cloned());
    }
}

/// The evaluation order of a spec and the resource dependencies of each resource block.
#[derive(Debug, Clone)]
pub struct SpecGraph {
    /// Locals, resource blocks and outputs, dependencies first.
    pub order: Vec<SpecNode>,
    /// For each resource block (index into `spec.resources`), the resource blocks it depends
    /// on, directly or through locals.
    pub resource_dependencies: Vec<BTreeSet<usize>>,
    /// For each resource and data block node, the resource and data blocks of this module it
    /// depends on, directly or through locals.
    pub block_dependencies: HashMap<SpecNode, BTreeSet<SpecNode>>,
    /// For each data block (index into `spec.data_sources`), the blocks its `depends_on` names.
    pub data_depends_on: Vec<BTreeSet<SpecNode>>,
    /// What each local reaches (by name), for `reach`.
    local_reach: HashMap<String, Reach>,
    /// Resource type names the registry knows, and the spec's resource blocks by
    /// `(type, name)`, for `reach`.
    resource_index: HashMap<(String, String), usize>,
    module_index: HashMap<String, usize>,
    data_index: HashMap<(String, String), usize>,
}

impl SpecGraph {
    /// Builds the graph; a dependency cycle is an error that lists the loop.
    pub fn build(spec: &Spec, registry: &Registry) -> Result<SpecGraph, Diagnostic> {
        SpecGraph::build_in(spec, &spec.sources, registry)
    }

    /// `build` for a module whose files are in `sources` (the root spec's).
    pub fn build_in(
        spec: &Spec,
        sources: &SourceMap,
        registry: &Registry,
    ) -> Result<SpecGraph, Diagnostic> {
        let mut graph: DiGraph<SpecNode, SourceSpan> = DiGraph::new();
        let mut local_nodes = HashMap::new();
        let mut resource_nodes = HashMap::new();
        let mut module_nodes = HashMap::new();
        let mut nodes = Vec::new();
        for (index, local) in spec.locals.iter().enumerate() {
            let node = graph.add_node(SpecNode::Local(index));
            local_nodes.insert(local.name.as_str(), node);
            nodes.push(node);
        }
        for (index, resource) in spec.resources.iter().enumerate() {
            let node = graph.add_node(SpecNode::Resource(index));
            resource_nodes.insert((resource.type_name.as_str(), resource.name.as_str()), node);
            nodes.push(node);
        }
        let output_start = nodes.len();
        for index in 0..spec.outputs.len() {
            nodes.push(graph.add_node(SpecNode::Output(index)));
        }
        let module_start = nodes.len();
        for (index, call) in spec.modules.iter().enumerate() {
            let node = graph.add_node(SpecNode::Module(index));
            module_nodes.insert(call.name.as_str(), node);
            nodes.push(node);
        }
        let mut data_nodes = HashMap::new();
        let data_start = nodes.len();
        for (index, data) in spec.data_sources.iter().enumerate() {
            let node = graph.add_node(SpecNode::Data(index));
            data_nodes.insert((data.type_name.as_str(), data.name.as_str()), node);
            nodes.push(node);
        }

        let target = |reference: &Reference| -> Option<NodeIndex> {
            let root = reference.parts.first()?.as_str();
            let name = reference.parts.get(1)?.as_str();
            match root {
                "local" => local_nodes.get(name).copied(),
                "module" => module_nodes.get(name).copied(),
                "data" => {
                    let data_name = reference.parts.get(2)?.as_str();
                    data_nodes.get(&(name, data_name)).copied()
                }
                type_name
                    if registry.get(type_name).is_some()
                        || resource_nodes.contains_key(&(type_name, name)) =>
                {
                    resource_nodes.get(&(type_name, name)).copied()
                }
                _ => None,
            }
        };

        let mut edges = Vec::new();
        for (index, local) in spec.locals.iter().enumerate() {
            for reference in local.expr.references() {
                if let Some(dependency) = target(&reference) {
                    edges.push((nodes[index], dependency, reference.span.clone()));
                }
            }
        }
        for (index, resource) in spec.resources.iter().enumerate() {
            let node = nodes[spec.locals.len() + index];
            let mut references = resource.body.references();
            for expr in resource
                .count
                .iter()
                .chain(resource.for_each.iter())
                .chain(resource.depends_on.iter())
            {
                references.extend(expr.references());
            }
            for reference in references {
                if let Some(dependency) = target(&reference) {
                    edges.push((node, dependency, reference.span.clone()));
                }
            }
        }
        let mut data_depends_on = vec![BTreeSet::new(); spec.data_sources.len()];
        for (index, data) in spec.data_sources.iter().enumerate() {
            let node = nodes[data_start + index];
            let mut references = data.body.references();
            for expr in data.count.iter().chain(data.for_each.iter()) {
                references.extend(expr.references());
            }
            for reference in references {
                if let Some(dependency) = target(&reference) {
                    edges.push((node, dependency, reference.span.clone()));
                }
            }
            for expr in &data.depends_on {
                for reference in expr.references() {
                    if let Some(dependency) = target(&reference) {
                        data_depends_on[index].insert(graph[dependency].clone());
                        edges.push((node, dependency, reference.span.clone()));
                    }
                }
            }
        }
        for (index, output) in spec.outputs.iter().enumerate() {
            for reference in output.value.references() {
                if let Some(dependency) = target(&reference) {
                    edges.push((
                        nodes[output_start + index],
                        dependency,
                        reference.span.clone(),
                    ));
                }
            }
        }
        for (index, call) in spec.modules.iter().enumerate() {
            let node = nodes[module_start + index];
            let mut references = Vec::new();
            for expr in call
                .count
                .iter()
                .chain(call.for_each.iter())
                .chain(call.depends_on.iter())
                .chain(call.arguments.iter().map(|argument| &argument.expr))
            {
                references.extend(expr.references());
            }
            for reference in references {
                if let Some(dependency) = target(&reference) {
                    edges.push((node, dependency, reference.span.clone()));
                }
            }
        }
        for (from, to, span) in edges {
            graph.add_edge(from, to, span);
        }

        if let Err(cycle) = toposort(&graph, None) {
            return Err(cycle_diagnostic(spec, sources, &graph, cycle.node_id()));
        }
        // Dependencies first: reverse the topological order of "depends on" edges.
        let mut order: Vec<SpecNode> = toposort(&graph, None)
            .unwrap_or_default()
            .into_iter()
            .map(|node| graph[node].clone())
            .collect();
        order.reverse();

        let mut resource_dependencies = vec![BTreeSet::new(); spec.resources.len()];
        for (index, dependencies) in resource_dependencies.iter_mut().enumerate() {
            let start = nodes[spec.locals.len() + index];
            let mut stack: Vec<NodeIndex> = graph.neighbors(start).collect();
            let mut seen = BTreeSet::new();
            while let Some(node) = stack.pop() {
                if !seen.insert(node) {
                    continue;
                }
                match graph[node] {
                    SpecNode::Resource(dependency) => {
                        dependencies.insert(dependency);
                    }
                    SpecNode::Local(_) => stack.extend(graph.neighbors(node)),
                    SpecNode::Output(_) | SpecNode::Module(_) | SpecNode::Data(_) => {}
                }
            }
        }
        let mut block_dependencies = HashMap::new();
        for &start in &nodes {
            if !matches!(graph[start], SpecNode::Resource(_) | SpecNode::Data(_)) {
                continue;
            }
            let mut dependencies = BTreeSet::new();
            let mut stack: Vec<NodeIndex> = graph.neighbors(start).collect();
            let mut seen = BTreeSet::new();
            while let Some(node) = stack.pop() {
                if !seen.insert(node) {
                    continue;
                }
                match graph[node] {
                    SpecNode::Resource(_) | SpecNode::Data(_) => {
                        dependencies.insert(graph[node].clone());
                    }
                    SpecNode::Local(_) => stack.extend(graph.neighbors(node)),
                    SpecNode::Output(_) | SpecNode::Module(_) => {}
                }
            }
            block_dependencies.insert(graph[start].clone(), dependencies);
        }
        let mut built = SpecGraph {
            order,
            resource_dependencies,
            block_dependencies,
            data_depends_on,
            local_reach: HashMap::new(),
            resource_index: spec
                .resources
                .iter()
                .enumerate()
                .map(|(index, block)| ((block.type_name.clone(), block.name.clone()), index))
                .collect(),
            module_index: spec
                .modules
                .iter()
                .enumerate()
                .map(|(index, call)| (call.name.clone(), index))
                .collect(),
            data_index: spec
                .data_sources
                .iter()
                .enumerate()
                .map(|(index, block)| ((block.type_name.clone(), block.name.clone()), index))
                .collect(),
        };
        // Locals in evaluation order: a local's reach is known before its users'.
        for node in built.order.clone() {
            if let SpecNode::Local(index) = node {
                let local = &spec.locals[index];
                let reach = built.reach(&local.expr.references());
                built.local_reach.insert(local.name.clone(), reach);
            }
        }
        Ok(built)
    }

    /// What these references reach, through locals: resource blocks of this module, its input
    /// variables and the outputs of the modules it calls.
    pub fn reach(&self, references: &[Reference]) -> Reach {
        let mut reach = Reach::default();
        for reference in references {
            let parts = &reference.parts;
            let (Some(root), Some(name)) = (parts.first(), parts.get(1)) else {
                continue;
            };
            match root.as_str() {
                "var" => {
                    reach.variables.insert(name.clone());
                }
                "local" => {
                    if let Some(local) = self.local_reach.get(name) {
                        reach.extend(local);
                    }
                }
                "module" => {
                    if let Some(index) = self.module_index.get(name) {
                        reach.module_outputs.insert((*index, parts.get(2).cloned()));
                    }
                }
                "data" => {
                    let Some(data_name) = parts.get(2) else {
                        continue;
                    };
                    if let Some(index) = self.data_index.get(&(name.clone(), data_name.clone())) {
                        reach.data.insert(*index);
                    }
                }
                type_name => {
                    if let Some(index) = self
                        .resource_index
                        .get(&(type_name.to_string(), name.clone()))
                    {
                        reach.resources.insert(*index);
                    }
                }
            }
        }
        reach
    }
}

/// The spec graphs of a module and of every module it calls, in the order of `spec.modules`.
#[derive(Debug, Clone)]
pub struct ModuleGraphs {
    pub graph: SpecGraph,
    pub children: Vec<ModuleGraphs>,
}

impl ModuleGraphs {
    /// Builds the graph of `spec` and of the modules it calls; every cycle is reported.
    pub fn build(spec: &Spec, registry: &Registry) -> Result<ModuleGraphs, Diagnostics> {
        ModuleGraphs::build_in(spec, &spec.sources, registry)
    }

    fn build_in(
        spec: &Spec,
        sources: &SourceMap,
        registry: &Registry,
    ) -> Result<ModuleGraphs, Diagnostics> {
        let mut diagnostics = Diagnostics::new();
        let graph = SpecGraph::build_in(spec, sources, registry);
        let mut children = Vec::new();
        for call in &spec.modules {
            match ModuleGraphs::build_in(&call.module, sources, registry) {
                Ok(child) => children.push(child),
                Err(errors) => diagnostics.extend(errors),
            }
        }
        match graph {
            Ok(graph) if !diagnostics.has_errors() => Ok(ModuleGraphs { graph, children }),
            Ok(_) => Err(diagnostics),
            Err(cycle) => {
                let mut all = Diagnostics::from(cycle);
                all.extend(diagnostics);
                Err(all)
            }
        }
    }
}

fn node_name(spec: &Spec, node: &SpecNode) -> String {
    match node {
        SpecNode::Local(index) => format!("local.{}", spec.locals[*index].name),
        SpecNode::Resource(index) => spec.resources[*index].address(),
        SpecNode::Output(index) => format!("output.{}", spec.outputs[*index].name),
        SpecNode::Module(index) => spec.modules[*index].address(),
        SpecNode::Data(index) => spec.data_sources[*index].data_address(),
    }
}

fn node_span(spec: &Spec, node: &SpecNode) -> SourceSpan {
    match node {
        SpecNode::Local(index) => spec.locals[*index].name_span.clone(),
        SpecNode::Resource(index) => spec.resources[*index].name_span.clone(),
        SpecNode::Output(index) => spec.outputs[*index].name_span.clone(),
        SpecNode::Module(index) => spec.modules[*index].name_span.clone(),
        SpecNode::Data(index) => spec.data_sources[*index].name_span.clone(),
    }
}

/// "dependency cycle: a → b → a", at the reference that closes the loop, with a note per step.
fn cycle_diagnostic(
    spec: &Spec,
    sources: &SourceMap,
    graph: &DiGraph<SpecNode, SourceSpan>,
    member: NodeIndex,
) -> Diagnostic {
    let component = tarjan_scc(graph)
        .into_iter()
        .find(|component| component.contains(&member))
        .unwrap_or_else(|| vec![member]);
    // Walk the loop inside the strongly connected component, starting at its first node in
    // source order.
    let start = component
        .iter()
        .copied()
        .min_by_key(|node| {
            let span = node_span(spec, &graph[*node]);
            (span.file, span.range.start)
        })
        .unwrap_or(member);
    let mut path = vec![start];
    let mut spans = Vec::new();
    let mut current = start;
    loop {
        let next_edge = graph
            .edges(current)
            .filter(|edge| component.contains(&petgraph::visit::EdgeRef::target(edge)))
            .min_by_key(|edge| {
                let target = petgraph::visit::EdgeRef::target(edge);
                (target != start, path.contains(&target))
            });
        let Some(edge) = next_edge else { break };
        let target = petgraph::visit::EdgeRef::target(&edge);
        spans.push(edge.weight().clone());
        if target == start || path.contains(&target) {
            path.push(target);
            break;
        }
        path.push(target);
        current = target;
    }
    let names: Vec<String> = path
        .iter()
        .map(|node| node_name(spec, &graph[*node]))
        .collect();
    let mut diagnostic = Diagnostic::error(
        format!("dependency cycle: {}", names.join(" → ")),
        spans.first().cloned().or_else(|| Some(node_span(spec, &graph[start]))),
    )
    .with_label(format!("{} refers to {}", names[0], names.get(1).cloned().unwrap_or_default()))
    .with_hint("break the loop: one of these must not refer to the other (use a separate rule resource, or a variable)");
    for (step, span) in spans.iter().enumerate() {
        diagnostic = diagnostic.with_note(format!(
            "{} refers to {} at {}",
            names[step],
            names.get(step + 1).cloned().unwrap_or_default(),
            describe_location(sources, span)
        ));
    }
    diagnostic
}

fn describe_location(sources: &SourceMap, span: &SourceSpan) -> String {
    let (line, column) = sources.line_col(span.file, span.range.start);
    format!("{}:{line}:{column}", sources.file(span.file).path.display())
}
