//! Evaluator tests: expressions parsed from text, evaluated against a small map scope.

use std::collections::BTreeMap;

use provision_core::Value;

use super::*;
use crate::diagnostics::{FileId, SourceMap};
use crate::spec::parse::parse_expression;

/// A scope like the planner's: `var`, `local`, resources by type and name.
struct TestScope {
    roots: BTreeMap<String, Value>,
    sensitive_variables: Vec<String>,
}

impl Scope for TestScope {
    fn lookup(&self, parts: &[&str]) -> Option<Lookup<'_>> {
        let root = self.roots.get(parts[0])?;
        match parts {
            ["var", name, ..] => Some(Lookup {
                value: root.get(name)?,
                consumed: 2,
                sensitive: self.sensitive_variables.iter().any(|secret| secret == name),
            }),
            // Resources: `aws_vpc.main` consumes two names, like the planner's scope.
            [kind, name, ..] if kind.starts_with("aws_") => Some(Lookup {
                value: root.get(name)?,
                consumed: 2,
                sensitive: false,
            }),
            _ => Some(Lookup {
                value: root,
                consumed: 1,
                sensitive: false,
            }),
        }
    }

    fn suggest(&self, parts: &[&str]) -> Option<String> {
        match parts {
            ["var", name, ..] => {
                let variables = self.roots.get("var")?.as_map()?;
                closest(name, variables.keys().map(String::as_str))
                    .map(|close| format!("did you mean var.{close}?"))
            }
            _ => None,
        }
    }
}

fn map(entries: &[(&str, Value)]) -> Value {
    Value::Map(
        entries
            .iter()
            .map(|(key, value)| (key.to_string(), value.clone()))
            .collect(),
    )
}

fn strings(items: &[&str]) -> Value {
    Value::List(items.iter().map(|item| Value::from(*item)).collect())
}

fn numbers(items: &[f64]) -> Value {
    Value::List(items.iter().map(|item| Value::Number(*item)).collect())
}

fn scope() -> TestScope {
    let variables = map(&[
        ("region", Value::from("eu-west-1")),
        ("cidr", Value::from("10.0.0.0/16")),
        ("count", Value::Number(3.0)),
        ("password", Value::from("hunter2")),
        ("names", strings(&["a", "b", "c"])),
        (
            "tags",
            map(&[("env", Value::from("dev")), ("team", Value::from("core"))]),
        ),
        ("nothing", Value::Null),
        ("later", Value::Unknown),
        ("flag", Value::Bool(true)),
    ]);
    let subnets = Value::List(vec![
        map(&[("id", Value::from("subnet-1")), ("az", Value::from("a"))]),
        map(&[("id", Value::from("subnet-2")), ("az", Value::from("b"))]),
    ]);
    let vpcs = map(&[(
        "main",
        map(&[
            ("id", Value::Unknown),
            ("cidr_block", Value::from("10.0.0.0/16")),
        ]),
    )]);
    let mut roots = BTreeMap::new();
    roots.insert("var".to_string(), variables);
    roots.insert("local".to_string(), map(&[("subnets", subnets)]));
    roots.insert("aws_vpc".to_string(), vpcs);
    TestScope {
        roots,
        sensitive_variables: vec!["password".to_string()],
    }
}

fn parse(text: &str) -> (Expr, String) {
    let mut sources = SourceMap::default();
    let file = sources.add("<test>".into(), text.to_string());
    assert_eq!(file, FileId(0));
    let expr = parse_expression(&sources, file)
        .unwrap_or_else(|errors| panic!("{text} does not parse: {:?}", errors.items));
    (expr, text.to_string())
}

fn run(text: &str) -> Result<Evaluated, Diagnostic> {
    let (expr, _) = parse(text);
    evaluate(&expr, &scope())
}

fn value(text: &str) -> Value {
    run(text)
        .unwrap_or_else(|failure| panic!("{text} failed: {failure:?}"))
        .value
}

fn failure(text: &str) -> Diagnostic {
    match run(text) {
        Ok(result) => panic!("{text} should fail, gave {:?}", result.value),
        Err(diagnostic) => diagnostic,
    }
}

/// The source text a diagnostic points at.
fn pointed(text: &str, diagnostic: &Diagnostic) -> String {
    let span = diagnostic.span.as_ref().expect("has a span");
    text[span.range.clone()].to_string()
}

#[test]
fn literals_and_collections() {
    assert_eq!(value("null"), Value::Null);
    assert_eq!(
        value("[1, \"a\", true]"),
        Value::List(vec![1.into(), "a".into(), true.into()])
    );
    assert_eq!(
        value("{ a = 1, \"b\" = 2 }"),
        map(&[("a", 1.into()), ("b", 2.into())])
    );
}

#[test]
fn operators_follow_precedence() {
    assert_eq!(value("10 - 2 - 3"), Value::Number(5.0));
    assert_eq!(value("1 + 2 * 3"), Value::Number(7.0));
    assert_eq!(value("(1 + 2) * 3"), Value::Number(9.0));
    assert_eq!(value("7 % 3 + 8 / 4"), Value::Number(3.0));
    assert_eq!(value("-2 * 3"), Value::Number(-6.0));
    assert_eq!(value("1 + 2 > 2 && !false"), Value::Bool(true));
    assert_eq!(value("false || true && false"), Value::Bool(false));
    assert_eq!(value("\"1\" + 2"), Value::Number(3.0));
    assert_eq!(value("1 == \"1\""), Value::Bool(false));
    assert_eq!(value("[1, \"a\"] == [1, \"a\"]"), Value::Bool(true));
    assert_eq!(value("var.nothing == null"), Value::Bool(true));
    assert_eq!(value("2 >= 2 != false"), Value::Bool(true));
}

#[test]
fn operand_errors_name_the_types_and_point_at_the_operand() {
    let text = "\"a\" + 1";
    let diagnostic = failure(text);
    assert_eq!(diagnostic.summary, "cannot add string \"a\" and number 1");
    assert_eq!(pointed(text, &diagnostic), "\"a\"");
    assert!(diagnostic.hint.is_some());
    let text = "1 / (2 - 2)";
    let diagnostic = failure(text);
    assert_eq!(diagnostic.summary, "division by zero");
    assert_eq!(pointed(text, &diagnostic), "(2 - 2)");
    assert!(failure("1 && true")
        .summary
        .contains("&& needs bools, got number 1"));
    assert!(failure("!\"x\"").summary.contains("bool is required"));
}

#[test]
fn logical_operators_short_circuit_and_prefer_known_answers() {
    assert_eq!(
        value("var.nothing != null && var.nothing.x == 1"),
        Value::Bool(false)
    );
    assert_eq!(value("false && var.later"), Value::Bool(false));
    assert_eq!(value("var.later && false"), Value::Bool(false));
    assert_eq!(value("var.later || true"), Value::Bool(true));
    assert_eq!(value("var.later && true"), Value::Unknown);
}

#[test]
fn unknown_values_propagate() {
    assert_eq!(value("var.later + 1"), Value::Unknown);
    assert_eq!(value("var.later == 1"), Value::Unknown);
    assert_eq!(value("[var.later] == [1]"), Value::Unknown);
    assert_eq!(value("-var.later"), Value::Unknown);
    assert_eq!(value("var.later.id"), Value::Unknown);
    assert_eq!(value("var.later[0]"), Value::Unknown);
    assert_eq!(value("var.names[var.later]"), Value::Unknown);
    assert_eq!(value("\"vpc-${aws_vpc.main.id}\""), Value::Unknown);
    assert_eq!(value("var.later ? 1 : 2"), Value::Unknown);
    assert_eq!(value("[for x in var.later : x]"), Value::Unknown);
    assert_eq!(value("{for x in var.later : x => x}"), Value::Unknown);
    assert_eq!(value("upper(var.later)"), Value::Unknown);
    assert_eq!(value("length([var.later, 1])"), Value::Number(2.0));
    assert_eq!(
        value("jsonencode({ a = [aws_vpc.main.id] })"),
        Value::Unknown
    );
    assert_eq!(value("coalesce(\"x\", var.later)"), Value::from("x"));
    assert_eq!(value("try(var.later, \"fallback\")"), Value::Unknown);
    assert_eq!(
        value("try(var.tags.missing, var.region)"),
        Value::from("eu-west-1")
    );
    // A list keeps its known elements next to an unknown one.
    assert_eq!(
        value("[1, var.later]"),
        Value::List(vec![1.into(), Value::Unknown])
    );
    assert_eq!(value("aws_vpc.main.cidr_block"), Value::from("10.0.0.0/16"));
}

#[test]
fn sensitivity_flows_into_results() {
    let (expr, _) = parse("\"postgres://u:${var.password}@host\"");
    let result = evaluate(&expr, &scope()).expect("evaluates");
    assert!(result.sensitive);
    assert!(run("upper(var.password)").expect("ok").sensitive);
    assert!(run("[for x in [var.password] : x]").expect("ok").sensitive);
    assert!(!run("var.region").expect("ok").sensitive);
    assert!(!run("nonsensitive(var.password)").expect("ok").sensitive);
    let marked = run("sensitive(var.region)").expect("ok");
    assert!(marked.sensitive);
    assert_eq!(marked.value, Value::from("eu-west-1"));
    assert!(
        run("var.flag ? var.password : \"x\"")
            .expect("ok")
            .sensitive
    );
    // The value of a sensitive operand never appears in a diagnostic.
    let diagnostic = failure("var.password * 2");
    assert!(
        !diagnostic.summary.contains("hunter2"),
        "{}",
        diagnostic.summary
    );
    assert!(diagnostic.summary.contains("sensitive value"));
}

#[test]
fn templates_render_scalars() {
    assert_eq!(
        value("\"n=${1 + 1} f=${1.5} ${true}\""),
        Value::from("n=2 f=1.5 true")
    );
    assert_eq!(value("\"${var.names}\""), strings(&["a", "b", "c"]));
    assert_eq!(
        value("\"%{ for n in var.names }${n};%{ endfor }\""),
        Value::from("a;b;c;")
    );
    assert_eq!(
        value("\"%{ if var.flag }yes%{ else }no%{ endif }\""),
        Value::from("yes")
    );
    let text = "\"x-${var.names}\"";
    let diagnostic = failure(text);
    assert_eq!(
        diagnostic.summary,
        "cannot include a list in a string template"
    );
    assert_eq!(pointed(text, &diagnostic), "var.names");
    assert!(failure("\"x-${var.nothing}\"").summary.contains("null"));
}

#[test]
fn traversal_by_attribute_and_index() {
    assert_eq!(value("var.tags.env"), Value::from("dev"));
    assert_eq!(value("var.tags[\"team\"]"), Value::from("core"));
    assert_eq!(value("var.names[1]"), Value::from("b"));
    assert_eq!(value("var.names[\"2\"]"), Value::from("c"));
    assert_eq!(value("local.subnets[1].id"), Value::from("subnet-2"));
    assert_eq!(value("local.subnets.0.az"), Value::from("a"));
    assert_eq!(value("{a = [1, 2]}.a[1]"), Value::Number(2.0));
}

#[test]
fn traversal_errors_point_at_the_operator() {
    let text = "var.names[5]";
    let diagnostic = failure(text);
    assert_eq!(
        diagnostic.summary,
        "index 5 out of range for a list of 3 elements"
    );
    assert_eq!(pointed(text, &diagnostic), "5");
    let text = "var.tags.evn";
    let diagnostic = failure(text);
    assert_eq!(diagnostic.summary, "unsupported attribute \"evn\"");
    assert_eq!(diagnostic.hint.as_deref(), Some("did you mean \"env\"?"));
    assert_eq!(pointed(text, &diagnostic), "evn");
    let diagnostic = failure("var.tags[\"nope\"]");
    assert_eq!(diagnostic.summary, "missing key \"nope\"");
    let diagnostic = failure("var.region.name");
    assert_eq!(
        diagnostic.summary,
        "cannot access attribute \"name\" on a string value"
    );
    let diagnostic = failure("local.subnets.id");
    assert!(diagnostic
        .hint
        .as_deref()
        .is_some_and(|hint| hint.contains("[*].id")));
}

#[test]
fn undefined_references_get_hints() {
    let text = "upper(var.regoin)";
    let diagnostic = failure(text);
    assert_eq!(diagnostic.summary, "undefined reference var.regoin");
    assert_eq!(diagnostic.hint.as_deref(), Some("did you mean var.region?"));
    assert_eq!(pointed(text, &diagnostic), "var.regoin");
    let diagnostic = failure("nowhere.thing");
    assert_eq!(diagnostic.summary, "undefined reference nowhere.thing");
    assert!(diagnostic.hint.is_some());
}

#[test]
fn splats() {
    assert_eq!(
        value("local.subnets[*].id"),
        strings(&["subnet-1", "subnet-2"])
    );
    assert_eq!(value("local.subnets.*.az"), strings(&["a", "b"]));
    assert_eq!(value("local.subnets.*.id[1]"), Value::from("subnet-2"));
    assert_eq!(value("var.tags[*].env"), strings(&["dev"]));
    assert_eq!(value("var.nothing[*]"), Value::List(vec![]));
    assert_eq!(value("var.later[*].id"), Value::Unknown);
    assert_eq!(value("[[1, 2], [3]][*][0]"), numbers(&[1.0, 3.0]));
}

#[test]
fn for_expressions() {
    assert_eq!(
        value("[for n in var.names : upper(n)]"),
        strings(&["A", "B", "C"])
    );
    assert_eq!(
        value("[for i, n in var.names : \"${i}${n}\" if i != 1]"),
        strings(&["0a", "2c"])
    );
    assert_eq!(
        value("[for k, v in var.tags : \"${k}=${v}\"]"),
        strings(&["env=dev", "team=core"])
    );
    assert_eq!(
        value("{for s in local.subnets : s.az => s.id}"),
        map(&[("a", "subnet-1".into()), ("b", "subnet-2".into())])
    );
    assert_eq!(
        value("{for n in [\"ab\", \"ac\", \"b\"] : substr(n, 0, 1) => n...}"),
        map(&[("a", strings(&["ab", "ac"])), ("b", strings(&["b"]))])
    );
    let text = "{for n in [\"ab\", \"ac\"] : substr(n, 0, 1) => n}";
    let diagnostic = failure(text);
    assert_eq!(
        diagnostic.summary,
        "duplicate key \"a\" in a for expression"
    );
    assert_eq!(pointed(text, &diagnostic), "substr(n, 0, 1)");
    // Loop variables shadow the scope and vanish afterwards, even after a failure.
    assert_eq!(value("[for var in [1] : var]"), numbers(&[1.0]));
    assert_eq!(
        value("[try([for x in [1] : x.y], 0), can(x)]"),
        Value::List(vec![0.into(), false.into()])
    );
    assert!(failure("[for x in var.nothing : x]")
        .summary
        .contains("null"));
    assert!(failure("[for x in [1] : x if 1]")
        .summary
        .contains("must be a bool"));
}

#[test]
fn conditionals() {
    assert_eq!(value("var.flag ? \"on\" : \"off\""), Value::from("on"));
    // Only the chosen branch is evaluated.
    assert_eq!(
        value("var.count < 5 ? 1 : var.nothing.x"),
        Value::Number(1.0)
    );
    let text = "var.region ? 1 : 2";
    let diagnostic = failure(text);
    assert!(diagnostic.summary.contains("condition must be a bool"));
    assert_eq!(pointed(text, &diagnostic), "var.region");
}

#[test]
fn functions_through_the_evaluator() {
    assert_eq!(
        value("cidrsubnet(var.cidr, 8, 1)"),
        Value::from("10.0.1.0/24")
    );
    assert_eq!(value("join(\"-\", var.names)"), Value::from("a-b-c"));
    assert_eq!(value("max([1, 5, 3]...)"), Value::Number(5.0));
    assert_eq!(
        value("format(\"%s-%03d\", var.region, 7)"),
        Value::from("eu-west-1-007")
    );
    assert_eq!(
        value("lookup(var.tags, \"env\", \"x\")"),
        Value::from("dev")
    );
    assert_eq!(value("can(var.tags.missing)"), Value::Bool(false));
    assert_eq!(value("can(var.tags.env)"), Value::Bool(true));
    assert_eq!(
        value("try(var.tags.missing, var.tags.other, \"z\")"),
        Value::from("z")
    );
    assert_eq!(value("concat([[\"x\"], [\"y\"]]...)"), strings(&["x", "y"]));
}

#[test]
fn function_errors_point_at_the_argument() {
    let text = "cidrsubnet(\"10.0.0.0/16\", 8, 300)";
    let diagnostic = failure(text);
    assert!(diagnostic
        .summary
        .starts_with("cidrsubnet: netnum 300 does not fit in 8 bits"));
    assert_eq!(pointed(text, &diagnostic), "300");
    let text = "join(\",\", \"abc\")";
    let diagnostic = failure(text);
    assert_eq!(
        diagnostic.summary,
        "join: argument 2 (list) must be a list, got string"
    );
    assert_eq!(pointed(text, &diagnostic), "\"abc\"");
    let text = "upper()";
    let diagnostic = failure(text);
    assert_eq!(
        diagnostic.summary,
        "upper: wrong number of arguments: expected 1, got 0"
    );
    assert_eq!(pointed(text, &diagnostic), "upper()");
    let diagnostic = failure("jsonencod(1)");
    assert_eq!(diagnostic.summary, "unknown function jsonencod");
    assert_eq!(
        diagnostic.hint.as_deref(),
        Some("did you mean jsonencode()?")
    );
    let diagnostic = failure("try(var.tags.a, var.tags.b)");
    assert_eq!(
        diagnostic.summary,
        "try: no argument evaluated without an error"
    );
    assert_eq!(diagnostic.notes.len(), 2);
}

#[test]
fn map_scope_resolves_roots_and_marks_sensitive_names() {
    let mut scope = MapScope::default();
    scope.roots.insert(
        "var".to_string(),
        map(&[("secret", "s".into()), ("open", "o".into())]),
    );
    scope.sensitive.insert("var.secret".to_string());
    let (expr, _) = parse("\"${var.secret}${var.open}\"");
    let result = evaluate(&expr, &scope).expect("evaluates");
    assert_eq!(result.value, Value::from("so"));
    assert!(result.sensitive);
    let (expr, _) = parse("var.open");
    assert!(!evaluate(&expr, &scope).expect("evaluates").sensitive);
    let (expr, _) = parse("vr.open");
    let diagnostic = evaluate(&expr, &scope).expect_err("undefined");
    assert_eq!(diagnostic.hint.as_deref(), Some("did you mean var?"));
}

/// A template file in a temporary folder, and an expression calling `templatefile` on it.
fn template_call(body: &str, vars: &str) -> (tempfile::TempDir, String) {
    let directory = tempfile::tempdir().expect("temp dir");
    let path = directory.path().join("template.tftpl");
    std::fs::write(&path, body).expect("write template");
    let call = format!("templatefile({:?}, {vars})", path.display().to_string());
    (directory, call)
}

#[test]
fn templatefile_renders_directives_like_terraform() {
    let (_directory, call) = template_call(
        "x %{ for i in items ~}\n- ${i}\n%{ endfor ~}\n%{ if flag }yes%{ else }no%{ endif }",
        r#"{ items = ["a", "b"], flag = true }"#,
    );
    assert_eq!(value(&call), Value::from("x - a\n- b\nyes"));
    // A template that is one interpolation gives the value itself, as Terraform's does.
    let (_raw, raw) = template_call("${a}", "{ a = [1, 2] }");
    assert_eq!(value(&raw), numbers(&[1.0, 2.0]));
    // Functions work inside templates; vars may come from the scope.
    let (_upper, upper) = template_call(
        "backend = ${upper(name)}:${port}",
        "{ name = var.region, port = 8080 }",
    );
    assert_eq!(value(&upper), Value::from("backend = EU-WEST-1:8080"));
    let (_list, listing) = template_call(
        "%{ for k, v in tags ~}\n${k}=${v}\n%{ endfor ~}",
        "{ tags = var.tags }",
    );
    assert_eq!(value(&listing), Value::from("env=dev\nteam=core\n"));
}

#[test]
fn templatefile_errors_name_the_template_and_point_at_the_call() {
    let (_directory, call) = template_call("hello ${nam}", r#"{ name = "x" }"#);
    let missing = failure(&call);
    assert!(
        missing.summary.contains("undefined reference nam"),
        "{missing:?}"
    );
    assert!(
        missing.summary.starts_with("templatefile: in "),
        "{missing:?}"
    );
    assert_eq!(pointed(&call, &missing), call);
    assert!(missing
        .hint
        .as_deref()
        .unwrap_or("")
        .contains("did you mean \"name\""));
    assert!(
        missing.notes.iter().any(|note| note.contains("nam")),
        "{missing:?}"
    );
    let (_syntax, broken) = template_call("hello ${", "{}");
    assert!(failure(&broken).summary.contains("syntax error"));
    let no_file = failure(r#"templatefile("/nonexistent/file.tftpl", {})"#);
    assert!(no_file
        .summary
        .contains("cannot read /nonexistent/file.tftpl"));
    let (_vars, bad_vars) = template_call("x", r#""not a map""#);
    assert!(failure(&bad_vars).summary.contains("must be a map"));
    let (_name, bad_name) = template_call("x", r#"{ "1x" = 1 }"#);
    assert!(failure(&bad_name)
        .summary
        .contains("invalid template variable name"));
    let (_nested, nested) = template_call(r#"${templatefile("x", {})}"#, "{}");
    assert!(failure(&nested)
        .summary
        .contains("cannot be called from inside a template"));
}

#[test]
fn templatefile_propagates_unknown_and_sensitive_values() {
    let (_directory, call) = template_call("id=${id}", "{ id = aws_vpc.main.id }");
    assert_eq!(value(&call), Value::Unknown);
    let (_secret, secret) = template_call("pw=${pw}", "{ pw = var.password }");
    let rendered = run(&secret).unwrap();
    assert_eq!(rendered.value, Value::from("pw=hunter2"));
    assert!(rendered.sensitive);
    let unknown_path = run("templatefile(var.later, {})").unwrap();
    assert_eq!(unknown_path.value, Value::Unknown);
}

#[test]
fn templatestring_renders_a_string_value() {
    assert_eq!(
        value(
            r#"templatestring("Hello, $${name}! %%{ if flag }on%%{ endif }", { name = "World", flag = true })"#
        ),
        Value::from("Hello, World! on")
    );
    assert!(failure(r#"templatestring("$${x}", {})"#)
        .summary
        .starts_with("templatestring: in the template: undefined reference x"));
}

#[test]
fn issensitive_sensitive_and_nonsensitive() {
    let secret = run("issensitive(var.password)").unwrap();
    assert_eq!(secret.value, Value::Bool(true));
    assert!(!secret.sensitive);
    assert_eq!(value("issensitive(var.region)"), Value::Bool(false));
    assert_eq!(value(r#"issensitive(sensitive("x"))"#), Value::Bool(true));
    assert_eq!(value("issensitive(var.later)"), Value::Unknown);
    assert_eq!(
        value(r#"issensitive(nonsensitive(sensitive("x")))"#),
        Value::Bool(false)
    );
    assert!(run("ephemeralasnull(var.password)").unwrap().sensitive);
    assert_eq!(value(r#"ephemeralasnull("x")"#), Value::from("x"));
}

#[test]
fn impure_functions_are_unknown_while_planning() {
    assert_eq!(value("timestamp()"), Value::Unknown);
    assert_eq!(value("uuid()"), Value::Unknown);
    assert_eq!(value(r#"bcrypt("x")"#), Value::Unknown);
    assert!(failure(r#"bcrypt("x", 2)"#).summary.contains("cost 2"));
    assert!(failure("timestamp(1)")
        .summary
        .contains("expected no arguments"));

    struct Applying(TestScope);
    impl Scope for Applying {
        fn lookup(&self, parts: &[&str]) -> Option<Lookup<'_>> {
            self.0.lookup(parts)
        }
        fn applying(&self) -> bool {
            true
        }
    }
    let applying = Applying(scope());
    let (expr, _) = parse("timestamp()");
    let Value::String(now) = evaluate(&expr, &applying).unwrap().value else {
        panic!("timestamp() is a string when applying")
    };
    assert!(functions::datetime::Timestamp::parse(&now).is_ok(), "{now}");
    let (expr, _) = parse("uuid()");
    assert!(
        matches!(evaluate(&expr, &applying).unwrap().value, Value::String(id) if id.len() == 36)
    );
    // plantimestamp() is known while planning and the same for the whole run.
    assert_eq!(value("plantimestamp()"), value("plantimestamp()"));
    assert!(matches!(value("plantimestamp()"), Value::String(_)));
}

#[test]
fn core_namespace_and_argument_conversion() {
    assert_eq!(value("core::upper(\"a\")"), Value::from("A"));
    assert_eq!(value("core::abs(-2)"), Value::Number(2.0));
    assert_eq!(
        value(r#"tolist(["a", 1, true])"#),
        strings(&["a", "1", "true"])
    );
    assert_eq!(
        value(r#"tomap({ a = 1, b = "c" })"#),
        map(&[("a", Value::from("1")), ("b", Value::from("c"))])
    );
    assert_eq!(
        value(r#"toset(["c", "b", "b", 1])"#),
        strings(&["1", "b", "c"])
    );
    assert_eq!(value(r#"length("👍🏽")"#), Value::Number(1.0));
    assert_eq!(value(r#"substr("👍🏽ab", 0, 1)"#), Value::from("👍🏽"));
    assert_eq!(
        value("jsonencode(1e20)"),
        Value::from("100000000000000000000")
    );
    assert_eq!(
        value(r#"jsonencode({ a = "<b>&", c = [1, 1.5, true, null] })"#),
        Value::from(r#"{"a":"\u003cb\u003e\u0026","c":[1,1.5,true,null]}"#)
    );
    assert!(failure("length(null)").summary.contains("must not be null"));
}

#[test]
fn every_terraform_function_is_known() {
    // `terraform metadata functions -json` of Terraform 1.11, provider functions aside.
    let terraform =
        "abs abspath alltrue anytrue base64decode base64encode base64gzip base64sha256 \
        base64sha512 basename bcrypt can ceil chomp chunklist cidrhost cidrnetmask cidrsubnet \
        cidrsubnets coalesce coalescelist compact concat contains csvdecode dirname distinct \
        element endswith ephemeralasnull file filebase64 filebase64sha256 filebase64sha512 \
        fileexists filemd5 fileset filesha1 filesha256 filesha512 flatten floor format formatdate \
        formatlist indent index issensitive join jsondecode jsonencode keys length log lookup \
        lower matchkeys max md5 merge min nonsensitive one parseint pathexpand plantimestamp pow \
        range regex regexall replace reverse rsadecrypt sensitive setintersection setproduct \
        setsubtract setunion sha1 sha256 sha512 signum slice sort split startswith strcontains \
        strrev substr sum templatefile templatestring textdecodebase64 textencodebase64 timeadd \
        timecmp timestamp title tobool tolist tomap tonumber toset tostring transpose trim \
        trimprefix trimspace trimsuffix try upper urlencode uuid uuidv5 values yamldecode \
        yamlencode zipmap";
    let ours: Vec<&str> = functions::names().collect();
    let theirs: Vec<&str> = terraform.split_whitespace().collect();
    assert_eq!(theirs.len(), 118);
    assert_eq!(ours, theirs);
}

/// A counted resource block with one sensitive attribute, as the planner's scope answers it:
/// the block as a whole is sensitive, its attributes only when named sensitive.
struct CountedSecretScope {
    instances: Value,
}

impl Scope for CountedSecretScope {
    fn lookup(&self, parts: &[&str]) -> Option<Lookup<'_>> {
        match parts {
            ["aws_client", "web", rest @ ..] => Some(Lookup {
                value: &self.instances,
                consumed: 2,
                sensitive: rest.first().is_none_or(|attribute| *attribute == "secret"),
            }),
            _ => None,
        }
    }

    fn suggest(&self, _parts: &[&str]) -> Option<String> {
        None
    }
}

#[test]
fn an_instance_attribute_after_a_count_index_is_sensitive_only_when_it_is() {
    let scope = CountedSecretScope {
        instances: Value::List(vec![map(&[("id", "c-1".into()), ("secret", "s".into())])]),
    };
    let sensitive = |text: &str| {
        let (expr, _) = parse(text);
        evaluate(&expr, &scope).expect("evaluates").sensitive
    };
    assert!(!sensitive("aws_client.web[0].id"));
    assert!(sensitive("aws_client.web[0].secret"));
    assert!(sensitive("aws_client.web[0]"));
    assert!(sensitive("aws_client.web"));
}
