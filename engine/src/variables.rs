//! Input variables: values from defaults, `--var`, `--var-file`, `<spec>/env/NAME.tfvars`,
//! `TF_VAR_*` / `PROVISION_VAR_*`, converted to the declared type and validated.
//!
//! Precedence, lowest to highest (like Terraform): default < `TF_VAR_x` < `PROVISION_VAR_x` <
//! `env/NAME.tfvars` < `--var-file` files in order < `--var` in order.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use provision_core::Value;

use crate::diagnostics::{Diagnostic, Diagnostics, SourceSpan};
use crate::eval::types::TypeConstraint;
use crate::eval::{closest, evaluate, EmptyScope, MapScope};
use crate::spec::parse::parse_expression;
use crate::spec::{load_tfvars, Spec, VariableBlock};

/// Where variable values come from, besides the spec's defaults.
#[derive(Debug, Clone, Default)]
pub struct VariableSources {
    /// `--var k=v`, in order.
    pub cli_values: Vec<(String, String)>,
    /// `--var-file`, in order.
    pub var_files: Vec<PathBuf>,
    /// `--env NAME`: loads `<spec dir>/env/NAME.tfvars`.
    pub environment: Option<String>,
    /// The process environment, passed in (`TF_VAR_x`, `PROVISION_VAR_x`).
    pub process_env: Vec<(String, String)>,
}

/// The resolved input variables.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InputVariables {
    pub values: BTreeMap<String, Value>,
    /// Names of variables declared `sensitive = true`.
    pub sensitive: BTreeSet<String>,
}

/// A variable's declared type, as far as it could be read.
enum DeclaredType {
    /// No `type`: any value, and raw text is a string.
    Untyped,
    Typed(TypeConstraint),
    /// The `type` expression is wrong (already reported): no conversion.
    Invalid,
}

/// A value given for a variable, and where it came from.
struct Given {
    value: Value,
    span: Option<SourceSpan>,
}

/// Resolves every declared variable's value. All problems are collected before returning.
pub fn resolve_variables(
    spec: &mut Spec,
    sources: &VariableSources,
) -> Result<InputVariables, Diagnostics> {
    let mut diagnostics = Diagnostics::new();
    let mut constraints: BTreeMap<String, DeclaredType> = BTreeMap::new();
    for variable in &spec.variables {
        let constraint = match &variable.type_constraint {
            None => DeclaredType::Untyped,
            Some(expr) => match TypeConstraint::parse(expr) {
                Ok(constraint) => DeclaredType::Typed(constraint),
                Err(diagnostic) => {
                    diagnostics.push(diagnostic);
                    DeclaredType::Invalid
                }
            },
        };
        constraints.insert(variable.name.clone(), constraint);
    }
    let declared: Vec<String> = spec
        .variables
        .iter()
        .map(|variable| variable.name.clone())
        .collect();

    let mut given: BTreeMap<String, Given> = BTreeMap::new();
    for prefix in ["TF_VAR_", "PROVISION_VAR_"] {
        for (key, text) in &sources.process_env {
            let Some(name) = key.strip_prefix(prefix) else {
                continue;
            };
            // Unrelated environment variables are common: only declared names count.
            let Some(constraint) = constraints.get(name) else {
                continue;
            };
            let pseudo_path = format!("<{key}>");
            match raw_value(spec, &pseudo_path, text, constraint) {
                Ok(value) => {
                    given.insert(name.to_string(), value);
                }
                Err(errors) => diagnostics.extend(errors),
            }
        }
    }

    let mut files: Vec<PathBuf> = Vec::new();
    if let Some(environment) = &sources.environment {
        match environment_file(&spec.directory, environment) {
            Ok(Some(path)) => files.push(path),
            Ok(None) => {}
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    files.extend(sources.var_files.iter().cloned());
    for path in &files {
        let assignments = match load_tfvars(&mut spec.sources, path) {
            Ok(assignments) => assignments,
            Err(errors) => {
                diagnostics.extend(errors);
                continue;
            }
        };
        for (name, name_span, expr) in assignments {
            if !constraints.contains_key(&name) {
                diagnostics.push(
                    Diagnostic::error(
                        format!("value for undeclared variable {name}"),
                        Some(name_span),
                    )
                    .with_hint(declared_hint(&name, &declared)),
                );
                continue;
            }
            match evaluate(&expr, &EmptyScope) {
                Ok(evaluated) => {
                    given.insert(
                        name,
                        Given {
                            value: evaluated.value,
                            span: Some(expr.span.clone()),
                        },
                    );
                }
                Err(diagnostic) => diagnostics.push(diagnostic),
            }
        }
    }

    for (name, text) in &sources.cli_values {
        let Some(constraint) = constraints.get(name) else {
            diagnostics.push(
                Diagnostic::error(
                    format!("--var {name}: no variable \"{name}\" is declared"),
                    None,
                )
                .with_hint(declared_hint(name, &declared)),
            );
            continue;
        };
        let pseudo_path = format!("<--var {name}>");
        match raw_value(spec, &pseudo_path, text, constraint) {
            Ok(value) => {
                given.insert(name.clone(), value);
            }
            Err(errors) => diagnostics.extend(errors),
        }
    }

    let mut resolved = InputVariables::default();
    for variable in &spec.variables {
        let constraint = match constraints.get(&variable.name) {
            Some(DeclaredType::Typed(constraint)) => Some(constraint),
            _ => None,
        };
        let outcome = resolve_one(
            variable,
            given.remove(&variable.name),
            constraint,
            sources.environment.as_deref(),
        );
        match outcome {
            Ok(value) => {
                resolved.values.insert(variable.name.clone(), value);
                if variable.sensitive {
                    resolved.sensitive.insert(variable.name.clone());
                }
            }
            Err(errors) => diagnostics.extend(errors),
        }
    }
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    Ok(resolved)
}

/// The value of a called module's input variable: the module call's argument evaluated in the
/// caller (`given`, with its span), or the variable's default, converted to its declared type
/// and validated. `call` names the module call in messages (`module.network`), `call_span` is
/// where a missing argument is reported.
pub fn resolve_module_input(
    variable: &VariableBlock,
    given: Option<(Value, SourceSpan)>,
    call: &str,
    call_span: &SourceSpan,
) -> Result<Value, Diagnostics> {
    if given.is_none() && variable.default.is_none() {
        return Err(Diagnostic::error(
            format!(
                "{call}: no value for the module's required variable {}",
                variable.name
            ),
            Some(call_span.clone()),
        )
        .with_label(format!("`{}` missing", variable.name))
        .with_hint(format!(
            "add `{} = <value>` to the module block, or give the variable a default",
            variable.name
        ))
        .into());
    }
    let constraint = match &variable.type_constraint {
        None => None,
        Some(expr) => Some(TypeConstraint::parse(expr)?),
    };
    let given = given.map(|(value, span)| Given {
        value,
        span: Some(span),
    });
    resolve_one(variable, given, constraint.as_ref(), None)
}

/// `<spec>/env/NAME.tfvars`. A spec without an `env/` folder has no per-environment values;
/// with one, naming an environment it lacks is an error.
#[allow(clippy::result_large_err)]
fn environment_file(directory: &Path, environment: &str) -> Result<Option<PathBuf>, Diagnostic> {
    let valid = !environment.is_empty()
        && environment
            .chars()
            .all(|character| character.is_alphanumeric() || "-_".contains(character));
    if !valid {
        return Err(
            Diagnostic::error(format!("invalid environment name \"{environment}\""), None)
                .with_hint("use letters, digits, `-` and `_` (dev, staging, prod)"),
        );
    }
    let folder = directory.join("env");
    let path = folder.join(format!("{environment}.tfvars"));
    if path.is_file() {
        return Ok(Some(path));
    }
    if !folder.is_dir() {
        return Ok(None);
    }
    let mut known: Vec<String> = std::fs::read_dir(&folder)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|entry| {
                    let name = entry.file_name().to_string_lossy().to_string();
                    name.strip_suffix(".tfvars").map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    known.sort();
    let hint = if known.is_empty() {
        format!("add {}", path.display())
    } else {
        format!("environments of this spec: {}", known.join(", "))
    };
    Err(Diagnostic::error(
        format!(
            "no variables file for environment {environment}: {} does not exist",
            path.display()
        ),
        None,
    )
    .with_hint(hint))
}

fn declared_hint(name: &str, declared: &[String]) -> String {
    if declared.is_empty() {
        return "this spec declares no variables".to_string();
    }
    match closest(name, declared.iter().map(String::as_str)) {
        Some(close) => format!("did you mean {close}?"),
        None => format!("declared variables: {}", declared.join(", ")),
    }
}

/// A value given as text on the command line or in the environment: literal for primitive
/// types and when no type is declared, an HCL expression otherwise. For `any`, text that is
/// not a valid literal expression (`--var name=web`) is taken as a string.
fn raw_value(
    spec: &mut Spec,
    pseudo_path: &str,
    text: &str,
    declared: &DeclaredType,
) -> Result<Given, Diagnostics> {
    let file = spec
        .sources
        .add(PathBuf::from(pseudo_path), text.to_string());
    let span = SourceSpan::new(file, 0..text.len());
    let literal = Given {
        value: Value::String(text.to_string()),
        span: Some(span),
    };
    let constraint = match declared {
        DeclaredType::Untyped | DeclaredType::Invalid => return Ok(literal),
        DeclaredType::Typed(constraint) if constraint.takes_literal_text() => return Ok(literal),
        DeclaredType::Typed(constraint) => constraint,
    };
    let parsed = parse_expression(&spec.sources, file).and_then(|expr| {
        let evaluated = evaluate(&expr, &EmptyScope)?;
        Ok(Given {
            value: evaluated.value,
            span: Some(expr.span),
        })
    });
    match parsed {
        Err(_) if *constraint == TypeConstraint::Any => Ok(literal),
        other => other,
    }
}

fn resolve_one(
    variable: &VariableBlock,
    given: Option<Given>,
    constraint: Option<&TypeConstraint>,
    environment: Option<&str>,
) -> Result<Value, Diagnostics> {
    let name = &variable.name;
    let default = || -> Result<Option<Given>, Diagnostics> {
        let Some(expr) = &variable.default else {
            return Ok(None);
        };
        let evaluated = evaluate(expr, &EmptyScope)?;
        Ok(Some(Given {
            value: evaluated.value,
            span: Some(expr.span.clone()),
        }))
    };
    let (chosen, from_default) = match given {
        Some(value) if value.value.is_null() && !variable.nullable => match default()? {
            Some(fallback) => (fallback, true),
            None => {
                return Err(Diagnostic::error(
                    format!("variable {name} must not be null"),
                    value.span.or_else(|| Some(variable.name_span.clone())),
                )
                .with_hint("the variable is declared `nullable = false`; give it a value")
                .into())
            }
        },
        Some(value) => (value, false),
        None => match default()? {
            Some(fallback) => (fallback, true),
            None => {
                let environment = environment.unwrap_or("<env>");
                return Err(Diagnostic::error(
                    format!("no value for required variable {name}"),
                    Some(variable.name_span.clone()),
                )
                .with_hint(format!(
                    "set it with --var {name}=..., in env/{environment}.tfvars, or TF_VAR_{name}"
                ))
                .into());
            }
        },
    };
    let value = match constraint {
        None => chosen.value,
        Some(constraint) => constraint.convert(&chosen.value).map_err(|failure| {
            let what = if from_default { "default" } else { "value" };
            Diagnostic::error(
                format!("bad {what} for variable {name}: {failure}"),
                chosen
                    .span
                    .clone()
                    .or_else(|| Some(variable.name_span.clone())),
            )
            .with_hint(match &variable.type_constraint {
                Some(_) => format!("variable {name} is declared as {constraint}"),
                None => format!("variable {name} accepts any value"),
            })
        })?,
    };
    validate(variable, &value, chosen.span.as_ref())?;
    Ok(value)
}

/// Runs the variable's `validation` blocks with a scope holding only `var.<name>`.
fn validate(
    variable: &VariableBlock,
    value: &Value,
    value_span: Option<&SourceSpan>,
) -> Result<(), Diagnostics> {
    if variable.validations.is_empty() {
        return Ok(());
    }
    let mut scope = MapScope::default();
    scope.roots.insert(
        "var".to_string(),
        Value::Map([(variable.name.clone(), value.clone())].into()),
    );
    if variable.sensitive {
        scope.sensitive.insert(format!("var.{}", variable.name));
    }
    let mut diagnostics = Diagnostics::new();
    for validation in &variable.validations {
        let passed = match evaluate(&validation.condition, &scope) {
            Ok(evaluated) => match evaluated.value {
                Value::Unknown => continue,
                Value::Bool(flag) => flag,
                other => {
                    diagnostics.push(Diagnostic::error(
                        format!(
                            "the validation condition of variable {} must be a bool, got {}",
                            variable.name,
                            other.type_name()
                        ),
                        Some(validation.condition.span.clone()),
                    ));
                    continue;
                }
            },
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                continue;
            }
        };
        if passed {
            continue;
        }
        let message = match evaluate(&validation.error_message, &scope) {
            Ok(evaluated) if !evaluated.sensitive => evaluated
                .value
                .to_template_string()
                .unwrap_or_else(|| format!("invalid value for variable {}", variable.name)),
            _ => format!("invalid value for variable {}", variable.name),
        };
        diagnostics.push(
            Diagnostic::error(
                message,
                Some(value_span.cloned().unwrap_or_else(|| variable.span.clone())),
            )
            .with_hint(format!(
                "this value for variable {} fails a validation rule",
                variable.name
            )),
        );
    }
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::load_spec;

    const VARIABLES: &str = r#"
variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "instance_count" {
  type    = number
  default = 1
  validation {
    condition     = var.instance_count <= 10
    error_message = "instance_count must be at most 10"
  }
}

variable "zones" {
  type    = list(string)
  default = ["a"]
}

variable "settings" {
  type = object({ name = string, size = optional(number, 20) })
  default = { name = "db" }
}

variable "password" {
  type      = string
  sensitive = true
  default   = "changeme"
}

variable "untyped" {
  default = null
}
"#;

    /// A spec folder in a temporary directory: `main.tf` plus extra files.
    fn spec_with(main: &str, files: &[(&str, &str)]) -> (tempfile::TempDir, Spec) {
        let directory = tempfile::tempdir().expect("temporary directory");
        std::fs::write(directory.path().join("main.tf"), main).expect("write main.tf");
        for (name, text) in files {
            let path = directory.path().join(name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).expect("create folder");
            }
            std::fs::write(path, text).expect("write file");
        }
        let (spec, diagnostics) = load_spec(directory.path());
        assert!(!diagnostics.has_errors(), "{:?}", diagnostics.items);
        (directory, spec)
    }

    fn cli(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(key, value)| (key.to_string(), value.to_string()))
            .collect()
    }

    #[test]
    fn defaults_apply_and_convert() {
        let (_directory, mut spec) = spec_with(VARIABLES, &[]);
        let resolved = resolve_variables(&mut spec, &VariableSources::default()).expect("resolves");
        assert_eq!(resolved.values["region"], Value::from("eu-west-1"));
        assert_eq!(resolved.values["zones"], Value::List(vec!["a".into()]));
        assert_eq!(
            resolved.values["settings"].get("size"),
            Some(&Value::Number(20.0))
        );
        assert_eq!(resolved.values["untyped"], Value::Null);
        assert_eq!(resolved.sensitive, BTreeSet::from(["password".to_string()]));
    }

    #[test]
    fn precedence_runs_from_defaults_to_the_command_line() {
        let (directory, mut spec) = spec_with(
            VARIABLES,
            &[
                (
                    "env/dev.tfvars",
                    "region = \"us-east-1\"\ninstance_count = 2\n",
                ),
                (
                    "extra.tfvars",
                    "instance_count = 3\nzones = [\"x\", \"y\"]\n",
                ),
                ("later.tfvars", "instance_count = 4\n"),
            ],
        );
        let sources = VariableSources {
            cli_values: cli(&[("instance_count", "5"), ("instance_count", "6")]),
            var_files: vec![
                directory.path().join("extra.tfvars"),
                directory.path().join("later.tfvars"),
            ],
            environment: Some("dev".to_string()),
            process_env: cli(&[
                ("TF_VAR_region", "ap-south-1"),
                ("PROVISION_VAR_password", "from-env"),
                ("TF_VAR_password", "lower"),
                ("HOME", "/root"),
                ("TF_VAR_undeclared", "ignored"),
            ]),
        };
        let resolved = resolve_variables(&mut spec, &sources).expect("resolves");
        assert_eq!(resolved.values["region"], Value::from("us-east-1"));
        assert_eq!(resolved.values["instance_count"], Value::Number(6.0));
        assert_eq!(
            resolved.values["zones"],
            Value::List(vec!["x".into(), "y".into()])
        );
        assert_eq!(resolved.values["password"], Value::from("from-env"));
    }

    #[test]
    fn raw_text_is_literal_for_primitives_and_parsed_for_collections() {
        let (_directory, mut spec) = spec_with(VARIABLES, &[]);
        let sources = VariableSources {
            cli_values: cli(&[
                ("region", "[not, parsed]"),
                ("zones", "[\"b\", \"c\"]"),
                ("settings", "{ name = \"x\", size = 5 }"),
                ("untyped", "plain text"),
            ]),
            ..VariableSources::default()
        };
        let resolved = resolve_variables(&mut spec, &sources).expect("resolves");
        assert_eq!(resolved.values["region"], Value::from("[not, parsed]"));
        assert_eq!(
            resolved.values["zones"],
            Value::List(vec!["b".into(), "c".into()])
        );
        assert_eq!(
            resolved.values["settings"].get("size"),
            Some(&Value::Number(5.0))
        );
        assert_eq!(resolved.values["untyped"], Value::from("plain text"));
    }

    #[test]
    fn all_errors_are_collected_with_spans_and_hints() {
        let main = format!("{VARIABLES}\nvariable \"vpc_cidr\" {{ type = string }}\n");
        let (directory, mut spec) = spec_with(
            &main,
            &[(
                "bad.tfvars",
                "regoin = \"x\"\nzones = \"not-a-list\"\ninstance_count = 11\n",
            )],
        );
        let sources = VariableSources {
            cli_values: cli(&[("nope", "1"), ("instance_count", "abc")]),
            var_files: vec![directory.path().join("bad.tfvars")],
            environment: Some("prod".to_string()),
            ..VariableSources::default()
        };
        let errors = resolve_variables(&mut spec, &sources).expect_err("fails");
        let summaries: Vec<&str> = errors
            .items
            .iter()
            .map(|item| item.summary.as_str())
            .collect();
        let find = |prefix: &str| {
            errors
                .items
                .iter()
                .find(|item| item.summary.starts_with(prefix))
                .unwrap_or_else(|| panic!("no {prefix:?} in {summaries:?}"))
        };
        let text_at = |diagnostic: &Diagnostic| {
            let span = diagnostic.span.as_ref().expect("span");
            spec.sources.file(span.file).text[span.range.clone()].to_string()
        };
        let undeclared = find("value for undeclared variable regoin");
        assert_eq!(text_at(undeclared), "regoin");
        assert_eq!(undeclared.hint.as_deref(), Some("did you mean region?"));
        let flag = find("--var nope: no variable \"nope\" is declared");
        assert!(flag.span.is_none());
        assert!(flag
            .hint
            .as_deref()
            .is_some_and(|hint| hint.starts_with("declared variables: ")));
        let required = find("no value for required variable vpc_cidr");
        assert_eq!(text_at(required).trim_matches('"'), "vpc_cidr");
        assert_eq!(
            required.hint.as_deref(),
            Some("set it with --var vpc_cidr=..., in env/prod.tfvars, or TF_VAR_vpc_cidr")
        );
        let zones = find("bad value for variable zones: expected list(string), got string");
        assert_eq!(text_at(zones), "\"not-a-list\"");
        let count = find("bad value for variable instance_count");
        assert_eq!(text_at(count), "abc");
        assert_eq!(errors.items.len(), 5, "{summaries:?}");
    }

    #[test]
    fn validations_report_the_error_message_where_the_value_came_from() {
        let (_directory, mut spec) = spec_with(VARIABLES, &[]);
        let sources = VariableSources {
            cli_values: cli(&[("instance_count", "11")]),
            ..VariableSources::default()
        };
        let errors = resolve_variables(&mut spec, &sources).expect_err("fails validation");
        assert_eq!(errors.items.len(), 1);
        let diagnostic = &errors.items[0];
        assert_eq!(diagnostic.summary, "instance_count must be at most 10");
        let span = diagnostic.span.as_ref().expect("span");
        assert_eq!(
            spec.sources.file(span.file).path,
            PathBuf::from("<--var instance_count>")
        );
    }

    #[test]
    fn unknown_environment_lists_the_known_ones() {
        let (_directory, mut spec) = spec_with(
            VARIABLES,
            &[("env/dev.tfvars", ""), ("env/prod.tfvars", "")],
        );
        let sources = VariableSources {
            environment: Some("stagin".to_string()),
            ..VariableSources::default()
        };
        let errors = resolve_variables(&mut spec, &sources).expect_err("fails");
        assert_eq!(
            errors.items[0].hint.as_deref(),
            Some("environments of this spec: dev, prod")
        );
        let (_directory, mut spec) = spec_with(VARIABLES, &[]);
        let sources = VariableSources {
            environment: Some("dev".to_string()),
            ..VariableSources::default()
        };
        assert!(
            resolve_variables(&mut spec, &sources).is_ok(),
            "no env folder: defaults only"
        );
        let sources = VariableSources {
            environment: Some("../x".to_string()),
            ..VariableSources::default()
        };
        assert!(resolve_variables(&mut spec, &sources).is_err());
    }

    #[test]
    fn non_nullable_variables_fall_back_to_the_default() {
        let main = "variable \"size\" {\n  type = number\n  default = 3\n  nullable = false\n}\nvariable \"name\" {\n  type = string\n  nullable = false\n}\n";
        let (_directory, mut spec) =
            spec_with(main, &[("null.tfvars", "size = null\nname = null\n")]);
        let sources = VariableSources {
            var_files: vec![spec.directory.join("null.tfvars")],
            ..VariableSources::default()
        };
        let errors = resolve_variables(&mut spec, &sources).expect_err("name is null");
        assert_eq!(errors.items.len(), 1);
        assert_eq!(errors.items[0].summary, "variable name must not be null");
    }
}
