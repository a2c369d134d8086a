//! What `make_plan` decides for small specs of the fake `fake_thing` type against hand-made
//! state: create, no-op, update, replace, delete, `count` / `for_each` instances, references,
//! lifecycle settings, sensitive values, outputs and nested blocks.

use std::collections::BTreeMap;

use provision_engine::cli::render_plan::{plan_json, render_plan};
use provision_engine::cli::style::Style;
use provision_engine::diagnostics::Diagnostics;
use provision_engine::plan::{Action, Change, Plan};
use provision_engine::testing::{
    fake_registry, load_with_variables, plan_against, thing_record, FakeCloud, SpecFolder,
};
use provision_resources::Value;
use provision_state::ResourceRecord;
use serde_json::json;

/// Plans `spec_text` (one `main.tf`) against `state` and the prior outputs.
fn try_plan(
    spec_text: &str,
    state: &[ResourceRecord],
    prior_outputs: &BTreeMap<String, Value>,
) -> Result<Plan, Diagnostics> {
    let folder = SpecFolder::with_main(spec_text);
    let (spec, variables) = load_with_variables(folder.path(), &[])
        .unwrap_or_else(|(_, diagnostics)| panic!("the spec does not load: {diagnostics:#?}"));
    let registry = fake_registry(&FakeCloud::new());
    plan_against(&spec, &variables, &registry, state, prior_outputs)
}

fn plan(spec_text: &str, state: &[ResourceRecord]) -> Plan {
    try_plan(spec_text, state, &BTreeMap::new())
        .unwrap_or_else(|diagnostics| panic!("the plan failed: {diagnostics:#?}"))
}

fn change<'plan>(plan: &'plan Plan, address: &str) -> &'plan Change {
    plan.changes
        .iter()
        .find(|change| change.address == address)
        .unwrap_or_else(|| panic!("no change for {address} in {:#?}", addresses(plan)))
}

fn addresses(plan: &Plan) -> Vec<String> {
    plan.changes
        .iter()
        .map(|change| change.address.clone())
        .collect()
}

fn changed_attribute_names(change: &Change) -> Vec<String> {
    change
        .attribute_changes
        .iter()
        .map(|attribute| attribute.name.clone())
        .collect()
}

/// The state record an apply of `resource "fake_thing" ... { name = NAME }` leaves.
fn applied_thing(address: &str, name: &str, id: &str) -> ResourceRecord {
    thing_record(
        address,
        json!({
            "id": id,
            "arn": format!("arn:fake:thing/{id}"),
            "name": name,
            "size": 1,
            "tags": null,
            "parent_id": null,
            "secret": null,
            "rule": [],
        }),
        &[],
    )
}

/// Like `applied_thing`, with some attributes replaced.
fn applied_thing_with(
    address: &str,
    name: &str,
    id: &str,
    overrides: serde_json::Value,
) -> ResourceRecord {
    let mut record = applied_thing(address, name, id);
    if let (Some(attributes), Some(overrides)) =
        (record.attributes.as_object_mut(), overrides.as_object())
    {
        for (key, value) in overrides {
            attributes.insert(key.clone(), value.clone());
        }
    }
    record
}

#[test]
fn a_new_resource_is_created_with_computed_attributes_unknown_and_defaults_filled() {
    let plan = plan(r#"resource "fake_thing" "a" { name = "a" }"#, &[]);
    let created = change(&plan, "fake_thing.a");
    assert_eq!(created.action, Action::Create);
    let after = created
        .after
        .as_ref()
        .expect("a create has planned attributes");
    assert_eq!(after.get("name"), Some(&Value::string("a")));
    assert_eq!(after.get("size"), Some(&Value::Number(1.0)));
    assert_eq!(after.get("id"), Some(&Value::Unknown));
    assert_eq!(after.get("arn"), Some(&Value::Unknown));
    assert!(created.before.is_none());
    let summary = plan.summary();
    assert_eq!((summary.add, summary.change, summary.destroy), (1, 0, 0));
}

#[test]
fn a_resource_that_matches_its_state_is_a_no_op() {
    let state = [applied_thing("fake_thing.a", "a", "thing-1")];
    let plan = plan(r#"resource "fake_thing" "a" { name = "a" }"#, &state);
    let unchanged = change(&plan, "fake_thing.a");
    assert_eq!(unchanged.action, Action::NoOp);
    assert!(unchanged.attribute_changes.is_empty());
    assert_eq!(unchanged.cloud_id.as_deref(), Some("thing-1"));
    assert!(!plan.has_changes());
    assert_eq!(
        render_plan(&plan, &Style::plain()),
        "No changes. Your infrastructure matches the spec.\n"
    );
}

#[test]
fn changed_tags_are_an_update_in_place() {
    let state = [applied_thing_with(
        "fake_thing.a",
        "a",
        "thing-1",
        json!({ "tags": { "env": "prod" } }),
    )];
    let plan = plan(
        r#"resource "fake_thing" "a" {
             name = "a"
             tags = { env = "dev" }
           }"#,
        &state,
    );
    let updated = change(&plan, "fake_thing.a");
    assert_eq!(updated.action, Action::Update);
    assert!(updated.replace_reasons.is_empty());
    assert_eq!(changed_attribute_names(updated), vec!["tags"]);
    assert!(!updated.attribute_changes[0].forces_replacement);
    let after = updated.after.as_ref().expect("planned attributes");
    // What is not changing keeps its known value.
    assert_eq!(after.get("id"), Some(&Value::string("thing-1")));
}

#[test]
fn a_changed_force_new_attribute_replaces_and_says_why() {
    let state = [applied_thing("fake_thing.a", "old-name", "thing-1")];
    let plan = plan(r#"resource "fake_thing" "a" { name = "new-name" }"#, &state);
    let replaced = change(&plan, "fake_thing.a");
    assert_eq!(replaced.action, Action::Replace);
    assert_eq!(replaced.replace_reasons, vec!["name"]);
    let after = replaced.after.as_ref().expect("planned attributes");
    assert_eq!(after.get("id"), Some(&Value::Unknown));
    let name_change = replaced
        .attribute_changes
        .iter()
        .find(|attribute| attribute.name == "name")
        .expect("name changes");
    assert!(name_change.forces_replacement);
    let summary = plan.summary();
    assert_eq!((summary.add, summary.change, summary.destroy), (1, 0, 1));
    let rendered = render_plan(&plan, &Style::plain());
    assert!(
        rendered.contains("(replacement forced by name)"),
        "{rendered}"
    );
}

#[test]
fn a_resource_removed_from_the_spec_is_deleted() {
    let state = [
        applied_thing("fake_thing.kept", "kept", "thing-1"),
        thing_record(
            "fake_thing.gone",
            json!({ "id": "thing-2", "name": "gone", "size": 1 }),
            &["fake_thing.kept"],
        ),
    ];
    let plan = plan(r#"resource "fake_thing" "kept" { name = "kept" }"#, &state);
    assert_eq!(change(&plan, "fake_thing.kept").action, Action::NoOp);
    let deleted = change(&plan, "fake_thing.gone");
    assert_eq!(deleted.action, Action::Delete);
    assert!(deleted.after.is_none());
    assert_eq!(deleted.cloud_id.as_deref(), Some("thing-2"));
    assert_eq!(deleted.prior_dependencies, vec!["fake_thing.kept"]);
    assert_eq!(plan.summary().destroy, 1);
}

#[test]
fn count_expands_into_indexed_instances() {
    let plan = plan(
        r#"resource "fake_thing" "x" {
             count = 3
             name  = "x-${count.index}"
           }"#,
        &[],
    );
    assert_eq!(
        addresses(&plan),
        vec!["fake_thing.x[0]", "fake_thing.x[1]", "fake_thing.x[2]"]
    );
    let second = change(&plan, "fake_thing.x[1]");
    assert_eq!(
        second.after.as_ref().and_then(|after| after.get("name")),
        Some(&Value::string("x-1"))
    );
}

#[test]
fn count_shrinking_deletes_the_highest_indexes() {
    let state = [
        applied_thing("fake_thing.x[0]", "x-0", "thing-1"),
        applied_thing("fake_thing.x[1]", "x-1", "thing-2"),
    ];
    let plan = plan(
        r#"resource "fake_thing" "x" {
             count = 1
             name  = "x-${count.index}"
           }"#,
        &state,
    );
    assert_eq!(change(&plan, "fake_thing.x[0]").action, Action::NoOp);
    assert_eq!(change(&plan, "fake_thing.x[1]").action, Action::Delete);
}

#[test]
fn for_each_expands_into_keyed_instances() {
    let plan = plan(
        r#"resource "fake_thing" "y" {
             for_each = { a = 2, b = 5 }
             name     = "y-${each.key}"
             size     = each.value
           }"#,
        &[],
    );
    assert_eq!(
        addresses(&plan),
        vec![r#"fake_thing.y["a"]"#, r#"fake_thing.y["b"]"#]
    );
    let second = change(&plan, r#"fake_thing.y["b"]"#);
    let after = second.after.as_ref().expect("planned attributes");
    assert_eq!(after.get("name"), Some(&Value::string("y-b")));
    assert_eq!(after.get("size"), Some(&Value::Number(5.0)));
}

#[test]
fn for_each_over_a_set_of_strings_uses_the_strings_as_keys() {
    let plan = plan(
        r#"resource "fake_thing" "y" {
             for_each = toset(["blue", "green"])
             name     = each.value
           }"#,
        &[],
    );
    assert_eq!(
        addresses(&plan),
        vec![r#"fake_thing.y["blue"]"#, r#"fake_thing.y["green"]"#]
    );
}

#[test]
fn a_reference_to_a_resource_being_created_is_unknown_and_a_dependency() {
    let plan = plan(
        r#"resource "fake_thing" "child" {
             name      = "child"
             parent_id = fake_thing.parent.id
           }
           resource "fake_thing" "parent" { name = "parent" }"#,
        &[],
    );
    // Dependencies come first in the plan, whatever the order in the file.
    assert_eq!(
        addresses(&plan),
        vec!["fake_thing.parent", "fake_thing.child"]
    );
    let child = change(&plan, "fake_thing.child");
    assert_eq!(child.dependencies, vec!["fake_thing.parent"]);
    assert_eq!(
        child
            .after
            .as_ref()
            .and_then(|after| after.get("parent_id")),
        Some(&Value::Unknown)
    );
    let rendered = render_plan(&plan, &Style::plain());
    assert!(
        rendered.contains("parent_id = (known after apply)"),
        "{rendered}"
    );
}

#[test]
fn a_reference_to_an_existing_resource_is_its_known_value() {
    let state = [applied_thing("fake_thing.parent", "parent", "thing-7")];
    let plan = plan(
        r#"resource "fake_thing" "parent" { name = "parent" }
           resource "fake_thing" "child" {
             name      = "child"
             parent_id = fake_thing.parent.id
           }"#,
        &state,
    );
    let child = change(&plan, "fake_thing.child");
    assert_eq!(child.action, Action::Create);
    assert_eq!(
        child
            .after
            .as_ref()
            .and_then(|after| after.get("parent_id")),
        Some(&Value::string("thing-7"))
    );
}

#[test]
fn replacing_a_dependency_replaces_what_uses_its_id_through_force_new() {
    let state = [
        applied_thing("fake_thing.parent", "parent", "thing-1"),
        applied_thing_with(
            "fake_thing.child",
            "child",
            "thing-2",
            json!({ "parent_id": "thing-1" }),
        ),
    ];
    let plan = plan(
        r#"resource "fake_thing" "parent" { name = "parent-2" }
           resource "fake_thing" "child" {
             name      = "child"
             parent_id = fake_thing.parent.id
           }"#,
        &state,
    );
    assert_eq!(change(&plan, "fake_thing.parent").action, Action::Replace);
    let child = change(&plan, "fake_thing.child");
    assert_eq!(child.action, Action::Replace);
    assert_eq!(child.replace_reasons, vec!["parent_id"]);
}

#[test]
fn depends_on_records_a_dependency_without_a_reference() {
    let plan = plan(
        r#"resource "fake_thing" "first" { name = "first" }
           resource "fake_thing" "second" {
             name       = "second"
             depends_on = [fake_thing.first]
           }"#,
        &[],
    );
    assert_eq!(
        change(&plan, "fake_thing.second").dependencies,
        vec!["fake_thing.first"]
    );
}

#[test]
fn a_dependency_on_a_counted_block_lists_every_instance() {
    let plan = plan(
        r#"resource "fake_thing" "x" {
             count = 2
             name  = "x-${count.index}"
           }
           resource "fake_thing" "all" {
             name = "all"
             tags = { first = fake_thing.x[0].id }
           }"#,
        &[],
    );
    assert_eq!(
        change(&plan, "fake_thing.all").dependencies,
        vec!["fake_thing.x[0]", "fake_thing.x[1]"]
    );
}

#[test]
fn ignore_changes_keeps_the_state_value_and_plans_no_change() {
    let state = [applied_thing_with(
        "fake_thing.a",
        "a",
        "thing-1",
        json!({ "tags": { "owner": "someone-else" } }),
    )];
    let plan = plan(
        r#"resource "fake_thing" "a" {
             name = "a"
             tags = { owner = "me" }
             lifecycle {
               ignore_changes = [tags]
             }
           }"#,
        &state,
    );
    let unchanged = change(&plan, "fake_thing.a");
    assert_eq!(unchanged.action, Action::NoOp);
    let tags = unchanged
        .after
        .as_ref()
        .and_then(|after| after.get("tags"))
        .and_then(|tags| tags.get("owner"));
    assert_eq!(tags, Some(&Value::string("someone-else")));
}

#[test]
fn ignore_changes_leaves_other_attributes_compared() {
    let state = [applied_thing_with(
        "fake_thing.a",
        "a",
        "thing-1",
        json!({ "tags": { "owner": "someone-else" } }),
    )];
    let plan = plan(
        r#"resource "fake_thing" "a" {
             name = "a"
             size = 3
             tags = { owner = "me" }
             lifecycle {
               ignore_changes = [tags]
             }
           }"#,
        &state,
    );
    let updated = change(&plan, "fake_thing.a");
    assert_eq!(updated.action, Action::Update);
    assert_eq!(changed_attribute_names(updated), vec!["size"]);
}

#[test]
fn prevent_destroy_refuses_a_replacement_with_a_hint() {
    let state = [applied_thing("fake_thing.keep", "old", "thing-1")];
    let diagnostics = try_plan(
        r#"resource "fake_thing" "keep" {
             name = "new"
             lifecycle {
               prevent_destroy = true
             }
           }"#,
        &state,
        &BTreeMap::new(),
    )
    .expect_err("a plan that destroys a prevent_destroy resource is an error");
    assert_eq!(diagnostics.len(), 1);
    let diagnostic = &diagnostics.items[0];
    assert!(
        diagnostic.summary.contains("fake_thing.keep")
            && diagnostic.summary.contains("prevent_destroy"),
        "{}",
        diagnostic.summary
    );
    assert!(diagnostic.span.is_some());
    assert!(
        diagnostic
            .hint
            .as_deref()
            .is_some_and(|hint| hint.contains("name forces replacement")),
        "{:?}",
        diagnostic.hint
    );
}

#[test]
fn prevent_destroy_allows_an_update_in_place() {
    let state = [applied_thing("fake_thing.keep", "keep", "thing-1")];
    let plan = plan(
        r#"resource "fake_thing" "keep" {
             name = "keep"
             size = 2
             lifecycle {
               prevent_destroy = true
             }
           }"#,
        &state,
    );
    assert_eq!(change(&plan, "fake_thing.keep").action, Action::Update);
}

#[test]
fn create_before_destroy_is_carried_on_the_change() {
    let state = [applied_thing("fake_thing.a", "old", "thing-1")];
    let plan = plan(
        r#"resource "fake_thing" "a" {
             name = "new"
             lifecycle {
               create_before_destroy = true
             }
           }"#,
        &state,
    );
    let replaced = change(&plan, "fake_thing.a");
    assert_eq!(replaced.action, Action::Replace);
    assert!(replaced.create_before_destroy);
    let rendered = render_plan(&plan, &Style::plain());
    assert!(
        rendered.contains(r#"+/- resource "fake_thing" "a""#),
        "{rendered}"
    );
}

#[test]
fn a_sensitive_variable_marks_the_attribute_and_is_never_rendered() {
    let plan = plan(
        r#"variable "token" {
             type      = string
             sensitive = true
             default   = "hunter2-variable"
           }
           resource "fake_thing" "a" {
             name = "a"
             tags = { token = var.token }
           }"#,
        &[],
    );
    let created = change(&plan, "fake_thing.a");
    assert!(created.sensitive_attributes.contains("tags"));
    let tags_change = created
        .attribute_changes
        .iter()
        .find(|attribute| attribute.name == "tags")
        .expect("tags are set");
    assert!(tags_change.sensitive);
    let rendered = render_plan(&plan, &Style::plain());
    assert!(!rendered.contains("hunter2"), "{rendered}");
    assert!(rendered.contains("(sensitive value)"), "{rendered}");
    assert!(rendered.contains(r#"name = "a""#), "{rendered}");
}

#[test]
fn a_schema_sensitive_attribute_is_never_rendered() {
    let state = [applied_thing_with(
        "fake_thing.a",
        "a",
        "thing-1",
        json!({ "secret": "old-secret-text" }),
    )];
    let plan = plan(
        r#"resource "fake_thing" "a" {
             name   = "a"
             secret = "new-secret-text"
           }"#,
        &state,
    );
    let updated = change(&plan, "fake_thing.a");
    assert_eq!(updated.action, Action::Update);
    assert!(updated.sensitive_attributes.contains("secret"));
    let rendered = render_plan(&plan, &Style::plain());
    assert!(!rendered.contains("secret-text"), "{rendered}");
    assert!(rendered.contains("secret"), "{rendered}");
}

#[test]
fn outputs_show_new_changed_unknown_and_removed_values() {
    let prior_outputs: BTreeMap<String, Value> = [
        ("greeting".to_string(), Value::string("hello")),
        ("retired".to_string(), Value::string("bye")),
    ]
    .into();
    let plan = try_plan(
        r#"resource "fake_thing" "a" { name = "a" }
           output "greeting" { value = "hello, ${fake_thing.a.name}" }
           output "thing_id" { value = fake_thing.a.id }"#,
        &[],
        &prior_outputs,
    )
    .expect("plans");
    let output = |name: &str| {
        plan.outputs
            .iter()
            .find(|output| output.name == name)
            .unwrap_or_else(|| panic!("no output {name}: {:#?}", plan.outputs))
    };
    assert_eq!(output("greeting").before, Some(Value::string("hello")));
    assert_eq!(output("greeting").after, Some(Value::string("hello, a")));
    assert_eq!(output("thing_id").before, None);
    assert_eq!(output("thing_id").after, Some(Value::Unknown));
    assert_eq!(output("retired").before, Some(Value::string("bye")));
    assert_eq!(output("retired").after, None);
    assert!(plan.has_output_changes());
}

#[test]
fn an_unchanged_output_is_no_output_change() {
    let state = [applied_thing("fake_thing.a", "a", "thing-1")];
    let prior_outputs: BTreeMap<String, Value> =
        [("thing_id".to_string(), Value::string("thing-1"))].into();
    let plan = try_plan(
        r#"resource "fake_thing" "a" { name = "a" }
           output "thing_id" { value = fake_thing.a.id }"#,
        &state,
        &prior_outputs,
    )
    .expect("plans");
    assert!(!plan.has_changes());
    assert!(!plan.has_output_changes());
}

#[test]
fn a_changed_nested_block_is_an_update() {
    let state = [applied_thing_with(
        "fake_thing.a",
        "a",
        "thing-1",
        json!({ "rule": [{ "port": 443, "protocol": "tcp" }] }),
    )];
    let plan = plan(
        r#"resource "fake_thing" "a" {
             name = "a"
             rule {
               port = 80
             }
           }"#,
        &state,
    );
    let updated = change(&plan, "fake_thing.a");
    assert_eq!(updated.action, Action::Update);
    assert_eq!(changed_attribute_names(updated), vec!["rule"]);
}

#[test]
fn a_set_of_nested_blocks_in_another_order_is_a_no_op() {
    let state = [applied_thing_with(
        "fake_thing.a",
        "a",
        "thing-1",
        json!({ "rule": [
            { "port": 443, "protocol": "tcp" },
            { "port": 53, "protocol": "udp" },
        ] }),
    )];
    let plan = plan(
        r#"resource "fake_thing" "a" {
             name = "a"
             rule {
               port     = 53
               protocol = "udp"
             }
             rule {
               port = 443
             }
           }"#,
        &state,
    );
    assert_eq!(change(&plan, "fake_thing.a").action, Action::NoOp);
}

#[test]
fn removing_every_nested_block_is_an_update() {
    let state = [applied_thing_with(
        "fake_thing.a",
        "a",
        "thing-1",
        json!({ "rule": [{ "port": 443, "protocol": "tcp" }] }),
    )];
    let plan = plan(r#"resource "fake_thing" "a" { name = "a" }"#, &state);
    let updated = change(&plan, "fake_thing.a");
    assert_eq!(updated.action, Action::Update);
    assert_eq!(changed_attribute_names(updated), vec!["rule"]);
}

#[test]
fn a_sensitive_value_stays_sensitive_through_a_reference_and_an_output() {
    let plan = plan(
        r#"variable "token" {
             type      = string
             sensitive = true
             default   = "hunter2-variable"
           }
           resource "fake_thing" "a" {
             name   = "a"
             secret = var.token
           }
           resource "fake_thing" "b" {
             name = "b"
             tags = { copied = fake_thing.a.secret }
           }
           output "leaked" {
             value     = var.token
             sensitive = true
           }"#,
        &[],
    );
    assert!(change(&plan, "fake_thing.b")
        .sensitive_attributes
        .contains("tags"));
    let output = plan
        .outputs
        .iter()
        .find(|output| output.name == "leaked")
        .expect("the output is planned");
    assert!(output.sensitive);
    let rendered = render_plan(&plan, &Style::plain());
    assert!(!rendered.contains("hunter2"), "{rendered}");
}

#[test]
fn a_deleted_resource_never_renders_its_sensitive_state() {
    let state = [applied_thing_with(
        "fake_thing.gone",
        "gone",
        "thing-1",
        json!({ "secret": "stored-secret-text" }),
    )];
    let plan = plan("", &state);
    assert_eq!(change(&plan, "fake_thing.gone").action, Action::Delete);
    let rendered = render_plan(&plan, &Style::plain());
    assert!(!rendered.contains("stored-secret-text"), "{rendered}");
    assert!(
        rendered.contains("fake_thing.gone will be destroyed"),
        "{rendered}"
    );
}

#[test]
fn the_plan_json_never_holds_sensitive_values() {
    let state = [applied_thing_with(
        "fake_thing.a",
        "a",
        "thing-1",
        json!({ "secret": "old-secret-text" }),
    )];
    let plan = plan(
        r#"variable "token" {
             type      = string
             sensitive = true
             default   = "hunter2-variable"
           }
           resource "fake_thing" "a" {
             name   = "a"
             secret = "new-secret-text"
             tags   = { token = var.token }
           }
           output "token" {
             value     = var.token
             sensitive = true
           }"#,
        &state,
    );
    let document = plan_json(&plan).to_string();
    assert!(!document.contains("secret-text"), "{document}");
    assert!(!document.contains("hunter2"), "{document}");
    assert!(document.contains("fake_thing.a"), "{document}");
}

const TWO_CONFIGURATIONS: &str = r#"
provider "aws" {
  region = "us-east-1"
}
provider "aws" {
  alias  = "west"
  region = "eu-west-1"
}
"#;

#[test]
fn each_change_names_its_provider_configuration() {
    let spec = format!(
        "{TWO_CONFIGURATIONS}resource \"fake_thing\" \"a\" {{\n  name = \"a\"\n}}\nresource \"fake_thing\" \"b\" {{\n  provider = aws.west\n  name = \"b\"\n}}\n"
    );
    let plan = plan(&spec, &[]);
    assert_eq!(change(&plan, "fake_thing.a").provider, "aws");
    assert_eq!(change(&plan, "fake_thing.b").provider, "aws.west");
    let json = plan_json(&plan);
    assert!(
        !json.to_string().contains("eu-west-1"),
        "the plan holds configuration names, not their settings"
    );
}

#[test]
fn a_resource_moved_to_another_configuration_is_replaced_there() {
    let spec = format!(
        "{TWO_CONFIGURATIONS}resource \"fake_thing\" \"a\" {{\n  provider = aws.west\n  name = \"a\"\n}}\n"
    );
    let plan = plan(&spec, &[applied_thing("fake_thing.a", "a", "thing-1")]);
    let moved = change(&plan, "fake_thing.a");
    assert_eq!(moved.action, Action::Replace);
    assert_eq!(moved.replace_reasons, vec!["provider (aws → aws.west)"]);
    assert_eq!(moved.provider, "aws.west");
    assert_eq!(moved.delete_provider(), "aws");
}

#[test]
fn a_removed_resource_is_deleted_through_the_configuration_state_recorded() {
    let mut record = applied_thing("fake_thing.old", "old", "thing-1");
    record.provider = "aws.west".to_string();
    let plan = plan(TWO_CONFIGURATIONS, std::slice::from_ref(&record));
    let deleted = change(&plan, "fake_thing.old");
    assert_eq!(deleted.action, Action::Delete);
    assert_eq!(deleted.delete_provider(), "aws.west");

    // Without its configuration the delete has nowhere to go: the plan says so.
    let diagnostics = try_plan("", &[record], &BTreeMap::new()).expect_err("no configuration");
    assert!(
        diagnostics.items[0]
            .summary
            .contains("was made through provider configuration `aws.west`"),
        "{:#?}",
        diagnostics.items
    );
}

#[test]
fn an_unknown_alias_stops_the_plan() {
    let diagnostics = try_plan(
        "resource \"fake_thing\" \"a\" {\n  provider = aws.nowhere\n  name = \"a\"\n}\n",
        &[],
        &BTreeMap::new(),
    )
    .expect_err("unknown alias");
    assert_eq!(
        diagnostics.items[0].summary,
        "unknown provider configuration `aws.nowhere`"
    );
}

/// Plans a root `main.tf` with a module folder `thing/` beside it.
fn plan_with_module(
    root: &str,
    module: &str,
    state: &[ResourceRecord],
) -> Result<Plan, Diagnostics> {
    let folder = SpecFolder::with_main(root);
    std::fs::create_dir_all(folder.path().join("thing")).expect("module folder");
    std::fs::write(folder.path().join("thing/main.tf"), module).expect("module file");
    let (spec, variables) = load_with_variables(folder.path(), &[])
        .unwrap_or_else(|(_, diagnostics)| panic!("the spec does not load: {diagnostics:#?}"));
    let registry = fake_registry(&FakeCloud::new());
    plan_against(&spec, &variables, &registry, state, &BTreeMap::new())
}

const THING_MODULE: &str = r#"
variable "name" {
  type = string
}
variable "parent_id" {
  type    = string
  default = null
}
variable "size" {
  type    = number
  default = 1
  validation {
    condition     = var.size > 0
    error_message = "size must be positive"
  }
}
resource "fake_thing" "this" {
  name      = var.name
  size      = var.size
  parent_id = var.parent_id
}
output "id" {
  value = fake_thing.this.id
}
output "name" {
  value = fake_thing.this.name
}
"#;

#[test]
fn module_instances_plan_under_module_addresses_with_dependencies_across_the_call() {
    let plan = plan_with_module(
        r#"resource "fake_thing" "root" { name = "root" }
           module "pair" {
             source    = "./thing"
             for_each  = toset(["a", "b"])
             name      = "pair-${each.key}"
             parent_id = fake_thing.root.id
           }
           module "single" {
             source    = "./thing"
             name      = "single"
             size      = 3
             parent_id = module.pair["a"].id
           }
           resource "fake_thing" "after" {
             name      = module.single.name
             parent_id = module.single.id
           }
           output "pair_names" {
             value = [for key, pair in module.pair : pair.name]
           }"#,
        THING_MODULE,
        &[],
    )
    .unwrap_or_else(|diagnostics| panic!("{diagnostics:#?}"));
    assert_eq!(
        addresses(&plan),
        vec![
            "fake_thing.root",
            "module.pair[\"a\"].fake_thing.this",
            "module.pair[\"b\"].fake_thing.this",
            "module.single.fake_thing.this",
            "fake_thing.after",
        ]
    );
    let pair = change(&plan, "module.pair[\"b\"].fake_thing.this");
    assert_eq!(pair.dependencies, vec!["fake_thing.root"]);
    assert_eq!(
        pair.after.as_ref().and_then(|after| after.get("name")),
        Some(&Value::string("pair-b"))
    );
    // `module.pair["a"].id` indexes the module first: every instance's resources count (more
    // order than needed, never less).
    let single = change(&plan, "module.single.fake_thing.this");
    assert_eq!(
        single.dependencies,
        vec![
            "module.pair[\"a\"].fake_thing.this",
            "module.pair[\"b\"].fake_thing.this"
        ]
    );
    assert_eq!(
        single.after.as_ref().and_then(|after| after.get("size")),
        Some(&Value::Number(3.0))
    );
    let after = change(&plan, "fake_thing.after");
    assert_eq!(after.dependencies, vec!["module.single.fake_thing.this"]);
    // A known output passes through: the name is known, the id is not.
    assert_eq!(
        after.after.as_ref().and_then(|after| after.get("name")),
        Some(&Value::string("single"))
    );
    let output = plan
        .outputs
        .iter()
        .find(|output| output.name == "pair_names")
        .expect("output");
    assert_eq!(
        output.after,
        Some(Value::List(vec![
            Value::string("pair-a"),
            Value::string("pair-b")
        ]))
    );
    let rendered = render_plan(&plan, &Style::plain());
    assert!(
        rendered.contains("# module.pair[\"a\"].fake_thing.this will be created"),
        "{rendered}"
    );
    assert!(
        rendered.contains("resource \"fake_thing\" \"this\" {"),
        "{rendered}"
    );
}

#[test]
fn a_module_instance_removed_from_for_each_is_deleted_and_depends_on_reaches_inside() {
    let state = [
        applied_thing("module.pair[\"a\"].fake_thing.this", "pair-a", "t-1"),
        applied_thing("module.pair[\"gone\"].fake_thing.this", "pair-gone", "t-2"),
    ];
    let plan = plan_with_module(
        r#"module "pair" {
             source   = "./thing"
             for_each = toset(["a"])
             name     = "pair-${each.key}"
           }
           resource "fake_thing" "last" {
             name       = "last"
             depends_on = [module.pair]
           }"#,
        THING_MODULE,
        &state,
    )
    .unwrap_or_else(|diagnostics| panic!("{diagnostics:#?}"));
    assert_eq!(
        change(&plan, "module.pair[\"a\"].fake_thing.this").action,
        Action::NoOp
    );
    assert_eq!(
        change(&plan, "module.pair[\"gone\"].fake_thing.this").action,
        Action::Delete
    );
    assert_eq!(
        change(&plan, "fake_thing.last").dependencies,
        vec!["module.pair[\"a\"].fake_thing.this"]
    );
}

#[test]
fn module_inputs_are_checked_where_the_module_is_called() {
    let diagnostics = plan_with_module(
        r#"module "one" {
             source = "./thing"
             size   = 0
             colour = "red"
           }"#,
        THING_MODULE,
        &[],
    )
    .expect_err("bad inputs");
    let summaries: Vec<&str> = diagnostics
        .items
        .iter()
        .map(|diagnostic| diagnostic.summary.as_str())
        .collect();
    assert!(
        summaries.contains(&"module.one: the module has no variable `colour`"),
        "{summaries:#?}"
    );
    assert!(
        summaries.contains(&"module.one: no value for the module's required variable name"),
        "{summaries:#?}"
    );
    assert!(
        summaries.contains(&"size must be positive"),
        "{summaries:#?}"
    );
}

#[test]
fn a_moved_block_plans_a_move_instead_of_a_delete_and_a_create() {
    let state = [
        applied_thing("fake_thing.old", "kept", "t-1"),
        applied_thing_with(
            "fake_thing.user",
            "user",
            "t-2",
            json!({"parent_id": "t-1"}),
        ),
    ];
    let plan = plan_with_module(
        r#"module "kept" {
             source = "./thing"
             name   = "kept"
           }
           moved {
             from = fake_thing.old
             to   = module.kept.fake_thing.this
           }
           resource "fake_thing" "user" {
             name      = "user"
             parent_id = module.kept.id
           }"#,
        THING_MODULE,
        &state,
    )
    .unwrap_or_else(|diagnostics| panic!("{diagnostics:#?}"));
    let moved = change(&plan, "module.kept.fake_thing.this");
    assert_eq!(moved.action, Action::NoOp);
    assert_eq!(moved.moved_from.as_deref(), Some("fake_thing.old"));
    assert_eq!(moved.cloud_id.as_deref(), Some("t-1"));
    assert_eq!(change(&plan, "fake_thing.user").action, Action::NoOp);
    assert!(!addresses(&plan).contains(&"fake_thing.old".to_string()));
    assert!(plan.has_changes());
    assert_eq!(
        plan.moves(),
        vec![("fake_thing.old", "module.kept.fake_thing.this")]
    );
    let rendered = render_plan(&plan, &Style::plain());
    assert!(
        rendered.contains("# fake_thing.old has moved to module.kept.fake_thing.this"),
        "{rendered}"
    );
    assert!(
        rendered.contains("Plan: 0 to add, 0 to change, 0 to destroy, 1 to move."),
        "{rendered}"
    );
    let json = plan_json(&plan);
    assert_eq!(json["changes"][0]["action"], "no-op");
    assert_eq!(json["changes"][0]["previous_address"], "fake_thing.old");
}
