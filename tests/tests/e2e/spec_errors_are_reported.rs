//! A broken spec is reported with `error:` and the `file:line:col` of the mistake by
//! `validate`, `plan` and `apply`, which all exit 1 without calling AWS or recording anything
//! in state. One fixture per kind of mistake under `tests/fixtures/spec-*/`.

use provision_e2e::{text, Cloud, MotoServer, Workspace};

/// Runs `validate`, `plan` and `apply --yes` on a broken fixture and checks each reports the
/// error at one of `locations` (`main.tf:LINE:COL` or `main.tf:LINE:`) with every one of
/// `message_fragments`, then that the emulator holds no VPC but the default one and that the
/// stack's state is empty.
fn assert_spec_error(
    fixture: &str,
    extra_arguments: &[&str],
    locations: &[&str],
    message_fragments: &[&str],
) {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let directory = format!("tests/fixtures/{fixture}");

    let commands: [&[&str]; 3] = [&["validate"], &["plan"], &["apply", "--yes"]];
    for command in commands {
        let mut arguments: Vec<&str> = command.to_vec();
        arguments.push(&directory);
        arguments.extend_from_slice(extra_arguments);
        let output = workspace.run_expecting(&arguments, 1);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let context = format!("`provision {}`:\n{}", arguments.join(" "), text(&output));
        assert!(
            stderr.lines().any(|line| line.starts_with("error:")),
            "no line starting with `error:` on stderr of {context}"
        );
        let pointer = stderr
            .lines()
            .find(|line| line.trim_start().starts_with("-->"))
            .unwrap_or_else(|| panic!("no `--> file:line:col` line in {context}"));
        assert!(
            locations.iter().any(|location| {
                if location.starts_with('<') {
                    // A value given on the command line, e.g. `<--var environment>:1:1`.
                    pointer.contains(location)
                } else {
                    pointer.contains(&format!("{directory}/{location}"))
                        || pointer.contains(&format!("/{location}"))
                }
            }),
            "expected the error at one of {locations:?}, got `{pointer}` in {context}"
        );
        for fragment in message_fragments {
            assert!(
                stderr.contains(fragment),
                "expected `{fragment}` in the error of {context}"
            );
        }
    }

    assert_eq!(
        cloud.non_default_vpc_ids(),
        Vec::<String>::new(),
        "a broken spec must not reach AWS"
    );
    // No state database at all is the cleanest outcome; if one exists, it holds nothing.
    if workspace.state_path().exists() {
        assert_eq!(
            workspace.state_list(&[&directory]),
            Vec::<String>::new(),
            "a broken spec must not record anything in state"
        );
    }
}

#[test]
fn syntax_error_is_reported_where_the_parser_stopped() {
    assert_spec_error("spec-syntax-error", &[], &["main.tf:5:24"], &[]);
}

#[test]
fn unknown_resource_type_is_reported_at_its_label() {
    assert_spec_error(
        "spec-unknown-resource-type",
        &[],
        &["main.tf:2:10"],
        &["aws_vpcc"],
    );
}

#[test]
fn unknown_attribute_is_reported_at_its_name() {
    assert_spec_error(
        "spec-unknown-attribute",
        &[],
        &["main.tf:8:3"],
        &["cidr", "aws_subnet"],
    );
}

#[test]
fn missing_required_attribute_is_reported_at_its_block() {
    assert_spec_error(
        "spec-missing-required-attribute",
        &[],
        &["main.tf:6:1"],
        &["vpc_id"],
    );
}

#[test]
fn wrong_attribute_type_is_reported_at_its_value() {
    assert_spec_error("spec-wrong-type", &[], &["main.tf:4:24"], &["cidr_block"]);
}

#[test]
fn undefined_reference_is_reported_at_the_reference() {
    assert_spec_error(
        "spec-undefined-reference",
        &[],
        &["main.tf:8:16"],
        &["aws_vpc.mian"],
    );
}

#[test]
fn duplicate_address_is_reported_at_the_second_block() {
    // The block or its name label.
    assert_spec_error(
        "spec-duplicate-address",
        &[],
        &["main.tf:6:1", "main.tf:6:20"],
        &["aws_vpc.main"],
    );
}

#[test]
fn dependency_cycle_is_reported_with_the_loop() {
    // Either group (its block or its reference to the other) is a fair place to point at; the
    // message must name both members of the loop.
    assert_spec_error(
        "spec-dependency-cycle",
        &[],
        &["main.tf:7:", "main.tf:15:", "main.tf:19:", "main.tf:27:"],
        &["aws_security_group.web", "aws_security_group.api"],
    );
}

#[test]
fn variable_value_failing_validation_is_reported_with_its_message() {
    // The value where it was given (the `--var`), or the variable block or its validation rule.
    assert_spec_error(
        "spec-bad-variable-value",
        &["--var", "environment=qa"],
        &["<--var environment>:1:1", "main.tf:2:", "main.tf:7:"],
        &["environment must be one of dev, staging, prod"],
    );
}

#[test]
fn unknown_provider_alias_is_reported_at_the_reference() {
    assert_spec_error(
        "spec-unknown-provider-alias",
        &[],
        &["main.tf:8:16"],
        &[
            "unknown provider configuration `aws.eruope`",
            "did you mean `aws.europe`?",
        ],
    );
}
