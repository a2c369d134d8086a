//! `format_source` against Terraform's own output (`testdata/*.out.tf` were written by
//! `terraform fmt`), idempotence, and the repository's specs and fixtures being formatted.

use std::path::{Path, PathBuf};

use super::*;

fn golden(name: &str) {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/format/testdata");
    let input = std::fs::read_to_string(folder.join(format!("{name}.in.tf"))).unwrap();
    let expected = std::fs::read_to_string(folder.join(format!("{name}.out.tf"))).unwrap();
    let formatted = format_source(&input);
    similar_asserts(&formatted, &expected, name);
    similar_asserts(
        &format_source(&expected),
        &expected,
        &format!("{name} (again)"),
    );
}

fn similar_asserts(actual: &str, expected: &str, name: &str) {
    if actual != expected {
        let mut report = String::new();
        for (number, (actual, expected)) in actual.lines().zip(expected.lines()).enumerate() {
            if actual != expected {
                report.push_str(&format!(
                    "line {}:\n  ours:      {actual:?}\n  terraform: {expected:?}\n",
                    number + 1
                ));
            }
        }
        panic!(
            "{name}: not Terraform's layout ({} vs {} lines)\n{report}\n--- ours\n{actual}",
            actual.lines().count(),
            expected.lines().count()
        );
    }
}

#[test]
fn a_messy_file_gets_terraforms_layout() {
    golden("messy");
}

#[test]
fn collections_templates_heredocs_and_rewrites_match_terraform() {
    golden("collections");
}

#[test]
fn blank_lines_and_the_missing_final_newline_are_kept() {
    golden("trailing-blank-lines");
    assert_eq!(format_source("a=1"), "a = 1");
}

#[test]
fn block_labels_are_quoted_and_one_line_blocks_spaced() {
    assert_eq!(
        format_source("resource aws_vpc main {}\nx {a=1}\n"),
        "resource \"aws_vpc\" \"main\" {}\nx { a = 1 }\n"
    );
}

#[test]
fn a_file_that_does_not_parse_is_refused_with_its_error() {
    let error = format_file(PathBuf::from("broken.tf"), "resource \"a\" {\n  x = \n").unwrap_err();
    assert!(error.diagnostics.has_errors());
}

/// Every spec and test fixture that parses is already in the canonical layout.
#[test]
fn specs_and_fixtures_are_formatted() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for folder in [
        "specs",
        "tests/fixtures",
        "engine/tests/integration/fixtures",
    ] {
        collect(&root.join(folder), &mut files);
    }
    assert!(files.len() > 20, "found only {} spec files", files.len());
    let mut unformatted = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        if let Ok(formatted) = format_file(file.clone(), &text) {
            if formatted != text {
                unformatted.push(file.display().to_string());
            }
        }
    }
    assert!(
        unformatted.is_empty(),
        "not formatted (run `provision fmt -recursive specs tests/fixtures`): {unformatted:#?}"
    );
}

fn collect(folder: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|extension| {
            extension == "tf" || extension == "tfvars" || extension == "hcl"
        }) {
            files.push(path);
        }
    }
}
