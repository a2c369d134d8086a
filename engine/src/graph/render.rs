//! DOT and Mermaid renderings of a plan's instance graph: one node per resource instance in
//! spec ∪ state, an edge from each instance to what it depends on.

use crate::plan::{Action, Plan};

/// Output formats of `provision graph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    Dot,
    Mermaid,
}

/// Renders the instance graph of `plan`.
pub fn render_graph(plan: &Plan, format: GraphFormat) -> String {
    match format {
        GraphFormat::Dot => render_dot(plan),
        GraphFormat::Mermaid => render_mermaid(plan),
    }
}

fn dot_color(action: Action) -> &'static str {
    match action {
        Action::NoOp => "black",
        Action::Create => "darkgreen",
        Action::Update => "goldenrod",
        Action::Replace => "darkorange",
        Action::Delete => "red",
        Action::Read => "blue",
    }
}

fn render_dot(plan: &Plan) -> String {
    let mut text = String::from("digraph provision {\n  rankdir = \"RL\";\n  node [shape = box, fontname = \"monospace\"];\n");
    for change in &plan.changes {
        text.push_str(&format!(
            "  {} [label = {}, color = \"{}\"];\n",
            quote(&change.address),
            quote(&format!("{}\n({})", change.address, change.action.as_str())),
            dot_color(change.action)
        ));
    }
    for change in &plan.changes {
        let dependencies = if change.action == Action::Delete {
            &change.prior_dependencies
        } else {
            &change.dependencies
        };
        for dependency in dependencies {
            text.push_str(&format!(
                "  {} -> {};\n",
                quote(&change.address),
                quote(dependency)
            ));
        }
    }
    text.push_str("}\n");
    text
}

fn render_mermaid(plan: &Plan) -> String {
    let mut text = String::from("flowchart RL\n");
    let identifier = |address: &str| {
        let position = plan
            .changes
            .iter()
            .position(|change| change.address == address)
            .unwrap_or(0);
        format!("n{position}")
    };
    for change in &plan.changes {
        text.push_str(&format!(
            "  {}[\"{} ({})\"]\n",
            identifier(&change.address),
            change.address.replace('"', "#quot;"),
            change.action.as_str()
        ));
    }
    for change in &plan.changes {
        let dependencies = if change.action == Action::Delete {
            &change.prior_dependencies
        } else {
            &change.dependencies
        };
        for dependency in dependencies {
            text.push_str(&format!(
                "  {} --> {}\n",
                identifier(&change.address),
                identifier(dependency)
            ));
        }
    }
    text
}

fn quote(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}
