//! `dynamic` blocks: expanded into the nested blocks they stand for (plans identical to the
//! same blocks written out), with `iterator`, maps and lists, nested `dynamic` inside
//! `content`, unknown `for_each`, and errors that point into the block.

use std::collections::BTreeMap;

use provision_core::Value;
use provision_engine::cli::render_diagnostic::render_diagnostics;
use provision_engine::cli::render_plan::render_plan;
use provision_engine::cli::style::Style;
use provision_engine::diagnostics::Diagnostics;
use provision_engine::plan::planner::{make_plan, PlanRequest};
use provision_engine::plan::{Action, Plan};
use provision_engine::spec::load_spec;
use provision_engine::testing::SpecFolder;
use provision_engine::variables::{resolve_variables, VariableSources};

/// Plans `text` as `main.tf` against empty state with the AWS types (no AWS call is made),
/// returning the plan or the rendered diagnostics.
fn plan(text: &str) -> Result<Plan, String> {
    let folder = SpecFolder::with_main(text);
    plan_folder(folder.path())
}

fn plan_folder(path: &std::path::Path) -> Result<Plan, String> {
    let (mut spec, diagnostics) = load_spec(path);
    let render = |diagnostics: &Diagnostics, spec: &provision_engine::spec::Spec| {
        render_diagnostics(&spec.sources, diagnostics, &Style::plain())
    };
    if diagnostics.has_errors() {
        return Err(render(&diagnostics, &spec));
    }
    let variables = resolve_variables(&mut spec, &VariableSources::default())
        .map_err(|diagnostics| render(&diagnostics, &spec))?;
    let registry = provision_resources::registry();
    make_plan(&PlanRequest {
        spec: &spec,
        variables: &variables,
        registry: &registry,
        stack: "tests/dynamic",
        environment: None,
        state: &[],
        state_serial: 0,
        prior_outputs: &BTreeMap::new(),
        destroy: false,
    })
    .map_err(|diagnostics| render(&diagnostics, &spec))
}

fn planned(text: &str) -> Plan {
    plan(text).unwrap_or_else(|rendered| panic!("the plan failed:\n{rendered}"))
}

fn after<'a>(plan: &'a Plan, address: &str, attribute: &str) -> &'a Value {
    let change = plan
        .changes
        .iter()
        .find(|change| change.address == address)
        .unwrap_or_else(|| panic!("no change for {address}"));
    assert_eq!(change.action, Action::Create);
    change
        .after
        .as_ref()
        .and_then(|attributes| attributes.get(attribute))
        .unwrap_or_else(|| panic!("{address} has no planned {attribute}"))
}

const GROUP_WITH_DYNAMIC: &str = r#"
variable "rules" {
  type = map(object({ port = number, cidrs = list(string) }))
  default = {
    http  = { port = 80, cidrs = ["0.0.0.0/0"] }
    https = { port = 443, cidrs = ["10.0.0.0/8", "192.168.0.0/16"] }
  }
}

resource "aws_security_group" "web" {
  name = "web"

  dynamic "ingress" {
    for_each = var.rules
    iterator = rule
    content {
      description = "${rule.key} from ${join(",", rule.value.cidrs)}"
      from_port   = rule.value.port
      to_port     = rule.value.port
      protocol    = "tcp"
      cidr_blocks = rule.value.cidrs
    }
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"#;

const GROUP_WRITTEN_OUT: &str = r#"
resource "aws_security_group" "web" {
  name = "web"

  ingress {
    description = "http from 0.0.0.0/0"
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    description = "https from 10.0.0.0/8,192.168.0.0/16"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8", "192.168.0.0/16"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"#;

#[test]
fn a_dynamic_block_plans_like_the_blocks_written_out() {
    let dynamic = planned(GROUP_WITH_DYNAMIC);
    let written = planned(GROUP_WRITTEN_OUT);
    assert_eq!(
        after(&dynamic, "aws_security_group.web", "ingress"),
        after(&written, "aws_security_group.web", "ingress")
    );
    let Value::List(rules) = after(&dynamic, "aws_security_group.web", "ingress") else {
        panic!("ingress is a list of blocks")
    };
    assert_eq!(rules.len(), 2);
    assert_eq!(
        render_plan(&dynamic, &Style::plain()),
        render_plan(&written, &Style::plain())
    );
}

#[test]
fn the_iterator_defaults_to_the_label_and_lists_give_index_keys() {
    let plan = planned(
        r#"
resource "aws_security_group" "web" {
  name = "web"
  dynamic "ingress" {
    for_each = [22, 80]
    content {
      description = "rule ${ingress.key}"
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
    }
  }
}
"#,
    );
    let Value::List(rules) = after(&plan, "aws_security_group.web", "ingress") else {
        panic!("ingress is a list")
    };
    let descriptions: Vec<&Value> = rules
        .iter()
        .filter_map(|rule| rule.get("description"))
        .collect();
    assert_eq!(
        descriptions,
        vec![&Value::from("rule 0"), &Value::from("rule 1")]
    );
}

#[test]
fn nested_dynamic_blocks_expand_inside_content() {
    let plan = planned(
        r#"
variable "rules" {
  default = {
    logs = { prefix = "logs/", moves = { STANDARD_IA = 30, GLACIER = 90 } }
    tmp  = { prefix = "tmp/", moves = {} }
  }
}

resource "aws_s3_bucket" "data" {
  bucket = "data-bucket"
}

resource "aws_s3_bucket_lifecycle_configuration" "data" {
  bucket = aws_s3_bucket.data.id

  dynamic "rule" {
    for_each = var.rules
    content {
      id     = rule.key
      status = "Enabled"
      filter {
        prefix = rule.value.prefix
      }
      dynamic "transition" {
        for_each = rule.value.moves
        iterator = move
        content {
          days          = move.value
          storage_class = move.key
        }
      }
    }
  }
}
"#,
    );
    let Value::List(rules) = after(&plan, "aws_s3_bucket_lifecycle_configuration.data", "rule")
    else {
        panic!("rule is a list")
    };
    assert_eq!(rules.len(), 2);
    let logs = &rules[0];
    assert_eq!(logs.get("id"), Some(&Value::from("logs")));
    let Some(Value::List(transitions)) = logs.get("transition") else {
        panic!("logs has transitions: {logs:?}")
    };
    let classes: Vec<&Value> = transitions
        .iter()
        .filter_map(|t| t.get("storage_class"))
        .collect();
    assert_eq!(
        classes,
        vec![&Value::from("GLACIER"), &Value::from("STANDARD_IA")]
    );
    assert_eq!(rules[1].get("transition"), Some(&Value::List(vec![])));
}

#[test]
fn an_unknown_for_each_leaves_the_blocks_known_after_apply() {
    let plan = planned(
        r#"
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_security_group" "web" {
  name = "web"
  dynamic "ingress" {
    for_each = aws_vpc.main.id == "" ? [] : [aws_vpc.main.cidr_block]
    content {
      from_port   = 443
      to_port     = 443
      protocol    = "tcp"
      cidr_blocks = [ingress.value]
    }
  }
}
"#,
    );
    assert_eq!(
        after(&plan, "aws_security_group.web", "ingress"),
        &Value::Unknown
    );
    assert!(render_plan(&plan, &Style::plain()).contains("ingress"));
}

#[test]
fn an_empty_for_each_writes_no_block_and_a_computed_block_stays_computed() {
    let plan = planned(
        r#"
resource "aws_security_group" "web" {
  name = "web"
  dynamic "ingress" {
    for_each = []
    content {
      from_port = 1
      to_port   = 1
      protocol  = "tcp"
    }
  }
}
"#,
    );
    let change = &plan.changes[0];
    let ingress = change
        .after
        .as_ref()
        .and_then(|attributes| attributes.get("ingress"));
    // `ingress` is computed: with no block written, a create leaves it to AWS.
    assert_eq!(ingress, Some(&Value::Unknown));
}

#[test]
fn errors_in_dynamic_blocks_point_into_them() {
    let rendered = plan_folder(std::path::Path::new(
        "tests/integration/fixtures/diagnostic-dynamic-block",
    ))
    .expect_err("the spec has errors");
    assert!(
        rendered.contains("unknown block type `ingres`"),
        "{rendered}"
    );
    assert!(rendered.contains("did you mean `ingress`?"), "{rendered}");
    assert!(
        rendered.contains("must be a list, set or map, got a string"),
        "{rendered}"
    );
    assert!(
        rendered.contains("undefined reference port.value"),
        "{rendered}"
    );
    insta::assert_snapshot!("dynamic_block_errors", rendered);
}

#[test]
fn a_dynamic_block_needs_for_each_and_content() {
    let missing = |body: &str| {
        plan(&format!(
            "resource \"aws_security_group\" \"web\" {{\n  name = \"web\"\n{body}\n}}\n"
        ))
        .expect_err("invalid dynamic block")
    };
    assert!(missing("  dynamic \"ingress\" {\n    content {}\n  }").contains("has no for_each"));
    assert!(missing("  dynamic \"ingress\" {\n    for_each = [1]\n  }")
        .contains("has no content block"));
    assert!(
        missing("  dynamic {\n    for_each = [1]\n    content {}\n  }")
            .contains("needs exactly one label")
    );
    assert!(missing(
        "  dynamic \"ingress\" {\n    for_each = [1]\n    iterator = \"x\"\n    content {}\n  }"
    )
    .contains("iterator of a dynamic block must be a name"));
    assert!(missing(
        "  dynamic \"ingress\" {\n    for_each = [1]\n    content {}\n    content {}\n  }"
    )
    .contains("exactly one content block"));
}
