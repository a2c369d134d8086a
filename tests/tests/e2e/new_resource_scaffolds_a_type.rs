//! `scripts/new-resource TYPE` in a copy of the repository: it writes the type file, the
//! registration, the contract test and the README row; for a new service, also its `services!`
//! line and its SDK crate in the two manifests (the three files a service touches outside its
//! folder). The copy is not built here (it would compile the workspace's own crates once more
//! under another path); building a scaffolded type was checked by hand: it compiles and the
//! contract test's registry checks pass.

use std::path::Path;
use std::process::Command;

use provision_e2e::repository_root;

/// Copies the files git knows (tracked and untracked, not ignored) to `destination`.
fn copy_repository(destination: &Path) {
    let root = repository_root();
    let listed = Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(&root)
        .output()
        .expect("git ls-files");
    assert!(listed.status.success(), "git ls-files failed");
    for relative in listed
        .stdout
        .split(|byte| *byte == 0)
        .filter(|path| !path.is_empty())
    {
        let relative = Path::new(std::str::from_utf8(relative).expect("UTF-8 path"));
        let source = root.join(relative);
        if !source.is_file() {
            continue;
        }
        let target = destination.join(relative);
        std::fs::create_dir_all(target.parent().unwrap()).expect("create folder");
        std::fs::copy(&source, &target).expect("copy file");
    }
}

fn run(command: &mut Command) -> String {
    let output = command.output().expect("run command");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{command:?} failed:\n{text}");
    text
}

#[test]
fn new_resource_scaffolds_a_type_in_an_existing_service() {
    let copy = tempfile::tempdir().expect("temporary directory");
    copy_repository(copy.path());
    let script = copy.path().join("scripts/new-resource");
    let printed = run(Command::new(&script).arg("aws_sns_platform_application"));
    for written in [
        "resources/src/aws/sns/sns_platform_application.rs",
        "resources/src/aws/sns/mod.rs",
        "resources/tests/contract/sns.rs",
        "resources/tests/contract/main.rs",
        "README.md",
    ] {
        assert!(printed.contains(&format!("wrote {written}")), "{printed}");
    }
    let read = |relative: &str| std::fs::read_to_string(copy.path().join(relative)).unwrap();
    let type_file = read("resources/src/aws/sns/sns_platform_application.rs");
    assert!(
        type_file.starts_with("//! `aws_sns_platform_application`:"),
        "{type_file}"
    );
    assert!(type_file.contains("AWS calls:") && type_file.contains("Replacement:"));
    assert!(read("resources/src/aws/sns/mod.rs").contains(
        "registry.register(Arc::new(sns_platform_application::SnsPlatformApplication::new()));"
    ));
    assert!(read("resources/tests/contract/main.rs")
        .contains("    aws_sns_platform_application => sns::sns_platform_application,\n"));
    assert!(read("resources/tests/contract/sns.rs").contains("pub fn sns_platform_application()"));
    let readme = read("README.md");
    let row = readme
        .lines()
        .find(|line| line.contains("`aws_sns_topic`"))
        .expect("SNS row");
    assert!(row.contains("`aws_sns_platform_application`"), "{row}");

    // A second run refuses: the type exists.
    let again = Command::new(&script)
        .arg("aws_sns_platform_application")
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
}

#[test]
fn new_resource_starts_a_service_in_the_three_files_outside_its_folder() {
    let copy = tempfile::tempdir().expect("temporary directory");
    copy_repository(copy.path());
    let script = copy.path().join("scripts/new-resource");
    let refused = Command::new(&script)
        .arg("aws_kinesis_stream")
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--service kinesis"));
    let printed = run(Command::new(&script).args(["aws_kinesis_stream", "--service", "kinesis"]));
    for written in [
        "resources/src/aws/kinesis/kinesis_stream.rs",
        "resources/src/aws/kinesis/mod.rs",
        "resources/src/aws/mod.rs",
        "Cargo.toml",
        "resources/Cargo.toml",
    ] {
        assert!(printed.contains(&format!("wrote {written}")), "{printed}");
    }
    let read = |relative: &str| std::fs::read_to_string(copy.path().join(relative)).unwrap();
    assert!(read("resources/src/aws/mod.rs")
        .contains("    kinesis: kinesis => aws_sdk_kinesis [kinesis];\n"));
    assert!(read("Cargo.toml").contains("aws-sdk-kinesis = { version = \"1\""));
    assert!(read("resources/Cargo.toml").contains("aws-sdk-kinesis.workspace = true\n"));
    let type_file = read("resources/src/aws/kinesis/kinesis_stream.rs");
    assert!(type_file.contains("use crate::aws::kit::"), "{type_file}");
}
