//! The layout invariants, checked over the source tree: a service folder
//! (`src/aws/<service>/`) never names another service's module, and the kit names none.

use std::path::{Path, PathBuf};

fn aws_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/aws")
}

/// The service folders under `src/aws` (every folder but the kit).
fn services() -> Vec<String> {
    let mut services: Vec<String> = std::fs::read_dir(aws_folder())
        .expect("read src/aws")
        .filter_map(Result::ok)
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name != "kit")
        .collect();
    services.sort();
    services
}

fn rust_files(folder: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder)
        .expect("read folder")
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            files.push(path);
        }
    }
    files
}

/// `file:line: text` for each line of the files under `folder` that names one of `services`'
/// modules (`crate::aws::ec2`, `aws::ec2::`, `super::super::ec2`).
fn references(folder: &Path, services: &[&String]) -> Vec<String> {
    let mut found = Vec::new();
    for file in rust_files(folder) {
        let text = std::fs::read_to_string(&file).expect("read source");
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for service in services {
                let named = [
                    format!("crate::aws::{service}"),
                    format!("aws::{service}::"),
                    format!("super::super::{service}"),
                ]
                .iter()
                .any(|pattern| {
                    code.match_indices(pattern.as_str()).any(|(at, _)| {
                        let next = code[at + pattern.len()..].chars().next();
                        !next.is_some_and(|character| {
                            character.is_alphanumeric() || character == '_'
                        }) || pattern.ends_with("::")
                    })
                });
                if named {
                    found.push(format!(
                        "{}:{}: {}",
                        file.strip_prefix(aws_folder()).unwrap_or(&file).display(),
                        number + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    found
}

#[test]
fn services_import_only_the_kit() {
    let services = services();
    assert!(
        services.iter().any(|service| service == "ec2"),
        "{services:?}"
    );
    let mut offences = Vec::new();
    for service in &services {
        let others: Vec<&String> = services.iter().filter(|other| *other != service).collect();
        offences.extend(references(&aws_folder().join(service), &others));
    }
    assert!(
        offences.is_empty(),
        "a service names another service's module (move what they share into src/aws/kit):\n{}",
        offences.join("\n")
    );
}

#[test]
fn the_kit_imports_no_service() {
    let services = services();
    let all: Vec<&String> = services.iter().collect();
    let offences = references(&aws_folder().join("kit"), &all);
    assert!(
        offences.is_empty(),
        "the kit names a service's module:\n{}",
        offences.join("\n")
    );
}

#[test]
fn the_check_sees_a_cross_service_import() {
    let folder = std::env::temp_dir().join(format!("provision-layout-{}", std::process::id()));
    std::fs::create_dir_all(&folder).expect("temp folder");
    // Written with `{root}` so that this file does not name a service itself.
    let root = "crate::aws";
    std::fs::write(
        folder.join("x.rs"),
        format!("use {root}::ec2::common;\n// {root}::iam\nuse {root}::ec2x;\n"),
    )
    .expect("write");
    let ec2 = "ec2".to_string();
    let iam = "iam".to_string();
    let found = references(&folder, &[&ec2, &iam]);
    std::fs::remove_dir_all(&folder).ok();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].ends_with(&format!("use {root}::ec2::common;")),
        "{found:?}"
    );
}
