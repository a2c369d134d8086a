//! The plan of the EdgeMind spec (`specs/edgemind`) against empty state, as `provision plan
//! specs/edgemind --env dev|prod` prints it (plain style), with the real AWS registry.

use std::collections::BTreeMap;
use std::path::PathBuf;

use provision_engine::cli::render_diagnostic::render_diagnostics;
use provision_engine::cli::render_plan::render_plan;
use provision_engine::cli::stack_name;
use provision_engine::cli::style::Style;
use provision_engine::plan::planner::{make_plan, PlanRequest};
use provision_engine::plan::{Action, Plan};
use provision_engine::spec::load_spec;
use provision_engine::variables::{resolve_variables, VariableSources};

fn edgemind_directory() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../specs/edgemind")
}

/// Plans EdgeMind with `--env <environment>` semantics (no process environment) against an
/// empty state.
fn plan_edgemind(environment: &str) -> Plan {
    let directory = edgemind_directory();
    let (mut spec, diagnostics) = load_spec(&directory);
    assert!(
        !diagnostics.has_errors(),
        "{}",
        render_diagnostics(&spec.sources, &diagnostics, &Style::plain())
    );
    let sources = VariableSources {
        environment: Some(environment.to_string()),
        ..VariableSources::default()
    };
    let variables = resolve_variables(&mut spec, &sources).unwrap_or_else(|diagnostics| {
        panic!(
            "{}",
            render_diagnostics(&spec.sources, &diagnostics, &Style::plain())
        )
    });
    let registry = provision_resources::registry();
    let stack = stack_name(std::path::Path::new("specs/edgemind"), Some(environment));
    make_plan(&PlanRequest {
        spec: &spec,
        variables: &variables,
        registry: &registry,
        stack: &stack,
        environment: Some(environment),
        state: &[],
        state_serial: 0,
        prior_outputs: &BTreeMap::new(),
        destroy: false,
    })
    .unwrap_or_else(|diagnostics| {
        panic!(
            "{}",
            render_diagnostics(&spec.sources, &diagnostics, &Style::plain())
        )
    })
}

/// Checks that hold for every environment: everything is created, and the summary counts it.
fn assert_creates_everything(plan: &Plan) {
    assert!(!plan.changes.is_empty());
    assert!(plan
        .changes
        .iter()
        .all(|change| change.action == Action::Create));
    let summary = plan.summary();
    assert_eq!(summary.add, plan.changes.len());
    assert_eq!((summary.change, summary.destroy), (0, 0));
}

fn summary_text(plan: &Plan) -> String {
    let summary = plan.summary();
    format!(
        "stack: {}\nadd: {}, change: {}, destroy: {}\naddresses:\n{}",
        plan.stack,
        summary.add,
        summary.change,
        summary.destroy,
        plan.changes
            .iter()
            .map(|change| format!("  {}", change.address))
            .collect::<Vec<_>>()
            .join("\n")
    )
}

#[test]
fn edgemind_dev_plan_against_empty_state() {
    let plan = plan_edgemind("dev");
    assert_creates_everything(&plan);
    assert_eq!(plan.stack, "specs/edgemind/dev");
    insta::assert_snapshot!("edgemind_dev_summary", summary_text(&plan));
    insta::assert_snapshot!("edgemind_dev_plan", render_plan(&plan, &Style::plain()));
}

#[test]
fn edgemind_prod_plan_against_empty_state() {
    let plan = plan_edgemind("prod");
    assert_creates_everything(&plan);
    assert_eq!(plan.stack, "specs/edgemind/prod");
    let rendered = render_plan(&plan, &Style::plain());
    // Prod's own address range, not dev's.
    assert!(rendered.contains("10.1.0.0/16"), "{rendered}");
    assert!(!rendered.contains("10.0.0.0/16"), "{rendered}");
    insta::assert_snapshot!("edgemind_prod_summary", summary_text(&plan));
    insta::assert_snapshot!("edgemind_prod_plan", rendered);
}
