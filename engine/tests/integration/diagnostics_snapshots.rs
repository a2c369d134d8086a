//! What a user sees for each kind of spec error: one fixture folder per kind under
//! `tests/integration/fixtures/diagnostic-*/`, run through `load_spec`, `resolve_variables` and `make_plan`
//! with the AWS registry, rendered plain. Each points at file:line:col and gives a hint.

use std::collections::BTreeMap;
use std::path::Path;

use provision_engine::cli::render_diagnostic::render_diagnostics;
use provision_engine::cli::style::Style;
use provision_engine::diagnostics::{Diagnostics, SourceMap};
use provision_engine::plan::planner::{make_plan, PlanRequest};
use provision_engine::spec::load_spec;
use provision_engine::variables::{resolve_variables, VariableSources};

/// The diagnostics of the first step that fails, with the sources to render them.
fn first_failure(directory: &Path) -> Option<(SourceMap, Diagnostics)> {
    let (mut spec, diagnostics) = load_spec(directory);
    if diagnostics.has_errors() {
        return Some((spec.sources, diagnostics));
    }
    let variables = match resolve_variables(&mut spec, &VariableSources::default()) {
        Ok(variables) => variables,
        Err(diagnostics) => return Some((spec.sources, diagnostics)),
    };
    let registry = provision_resources::registry();
    let result = make_plan(&PlanRequest {
        spec: &spec,
        variables: &variables,
        registry: &registry,
        stack: "tests/integration/fixtures",
        environment: None,
        state: &[],
        state_serial: 0,
        prior_outputs: &BTreeMap::new(),
        destroy: false,
    });
    result.err().map(|diagnostics| (spec.sources, diagnostics))
}

/// Renders the errors of `tests/integration/fixtures/diagnostic-<kind>` and checks that every one of them
/// says where (`--> file:line:col`) and what to do (`hint:`).
fn rendered_errors(kind: &str) -> String {
    let directory = format!("tests/integration/fixtures/diagnostic-{kind}");
    let (sources, diagnostics) = first_failure(Path::new(&directory))
        .unwrap_or_else(|| panic!("{directory} loads and plans without errors"));
    assert!(diagnostics.has_errors());
    for diagnostic in &diagnostics.items {
        let one = Diagnostics::from(diagnostic.clone());
        let rendered = render_diagnostics(&sources, &one, &Style::plain());
        let location = format!("--> {directory}/main.tf:");
        let after_path = rendered
            .find(&location)
            .map(|start| &rendered[start + location.len()..])
            .unwrap_or_else(|| panic!("no `{location}` in:\n{rendered}"));
        let line_col: Vec<&str> = after_path
            .lines()
            .next()
            .unwrap_or_default()
            .split(':')
            .collect();
        assert!(
            line_col.len() == 2
                && line_col
                    .iter()
                    .all(|part| part.parse::<usize>().is_ok_and(|number| number > 0)),
            "no line:col after the path in:\n{rendered}"
        );
        assert!(rendered.contains("\nhint: "), "no hint in:\n{rendered}");
    }
    render_diagnostics(&sources, &diagnostics, &Style::plain())
}

#[test]
fn a_syntax_error_points_at_where_parsing_stopped() {
    insta::assert_snapshot!("syntax_error", rendered_errors("syntax-error"));
}

#[test]
fn an_unknown_resource_type_suggests_the_closest_type() {
    let rendered = rendered_errors("unknown-resource-type");
    assert!(rendered.contains("aws_subnet`?"), "{rendered}");
    insta::assert_snapshot!("unknown_resource_type", rendered);
}

#[test]
fn an_unknown_attribute_suggests_the_closest_attribute() {
    let rendered = rendered_errors("unknown-attribute");
    assert!(
        rendered.contains("did you mean `cidr_block`?"),
        "{rendered}"
    );
    insta::assert_snapshot!("unknown_attribute", rendered);
}

#[test]
fn a_missing_required_attribute_names_it_and_its_type() {
    let rendered = rendered_errors("missing-required-attribute");
    assert!(rendered.contains("`cidr_block`"), "{rendered}");
    insta::assert_snapshot!("missing_required_attribute", rendered);
}

#[test]
fn a_value_of_the_wrong_type_says_which_type_is_expected() {
    let rendered = rendered_errors("wrong-type");
    assert!(rendered.contains("bool"), "{rendered}");
    insta::assert_snapshot!("wrong_type", rendered);
}

#[test]
fn an_undefined_reference_suggests_the_declared_name() {
    let rendered = rendered_errors("undefined-reference");
    assert!(rendered.contains("aws_vpc.main"), "{rendered}");
    insta::assert_snapshot!("undefined_reference", rendered);
}

#[test]
fn a_duplicate_address_points_at_the_second_block() {
    insta::assert_snapshot!("duplicate_address", rendered_errors("duplicate-address"));
}

#[test]
fn a_dependency_cycle_names_the_loop() {
    let rendered = rendered_errors("dependency-cycle");
    assert!(
        rendered.contains("aws_security_group.app") && rendered.contains("aws_security_group.db"),
        "{rendered}"
    );
    insta::assert_snapshot!("dependency_cycle", rendered);
}

#[test]
fn a_value_failing_its_validation_shows_the_error_message() {
    let rendered = rendered_errors("variable-validation");
    assert!(
        rendered.contains("environment must be one of dev, staging, prod"),
        "{rendered}"
    );
    insta::assert_snapshot!("variable_validation", rendered);
}

#[test]
fn setting_a_computed_attribute_is_refused() {
    let rendered = rendered_errors("computed-attribute-set");
    assert!(rendered.contains("`arn`"), "{rendered}");
    insta::assert_snapshot!("computed_attribute_set", rendered);
}

#[test]
fn errors_inside_a_module_name_the_module_file_and_the_call() {
    let directory = "tests/integration/fixtures/diagnostic-inside-module";
    let (sources, diagnostics) = first_failure(Path::new(directory))
        .unwrap_or_else(|| panic!("{directory} loads and plans without errors"));
    let rendered = render_diagnostics(&sources, &diagnostics, &Style::plain());
    // The module's own mistakes point into its file; the caller's into the module block.
    assert!(
        rendered.contains(&format!("--> {directory}/network/main.tf:10:3")),
        "{rendered}"
    );
    assert!(
        rendered.contains(&format!("--> {directory}/main.tf:5:12")),
        "{rendered}"
    );
    assert!(
        rendered.contains(&format!("--> {directory}/main.tf:6:3")),
        "{rendered}"
    );
    insta::assert_snapshot!("inside_module", rendered);
}

#[test]
fn one_validate_reports_every_error_sorted_by_file_and_line() {
    let directory = Path::new("tests/integration/fixtures/diagnostic-many-errors");
    let (sources, diagnostics) = first_failure(directory).expect("errors");
    let rendered = render_diagnostics(&sources, &diagnostics, &Style::plain());
    let locations: Vec<&str> = rendered
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("--> "))
        .collect();
    let mut sorted = locations.clone();
    sorted.sort_by_key(|location| {
        let mut parts = location.rsplitn(3, ':');
        let column: usize = parts.next().and_then(|part| part.parse().ok()).unwrap_or(0);
        let line: usize = parts.next().and_then(|part| part.parse().ok()).unwrap_or(0);
        (parts.next().unwrap_or_default().to_string(), line, column)
    });
    assert_eq!(locations, sorted, "{rendered}");
    assert!(locations.len() >= 5, "{rendered}");
    insta::assert_snapshot!("many_errors", rendered);
}

#[test]
fn a_terraform_argument_not_implemented_yet_has_its_own_error() {
    insta::assert_snapshot!("not_yet_supported", rendered_errors("not-yet-supported"));
}
