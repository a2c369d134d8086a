//! `provision fmt` on a messy spec: `--check` lists it and exits 3 without writing, `--diff`
//! shows the change, a plain run rewrites it to the golden file (what `terraform fmt` wrote for
//! the same input), and a second run finds nothing to do. A file that does not parse is left
//! alone with its error and exit 1; `-` formats standard input. Also: completion scripts for
//! every shell clap_complete knows.

use std::io::Write;
use std::process::{Command, Stdio};

use provision_e2e::{provision_binary, repository_root, text};

const MESSY: &str = "tests/fixtures/fmt-messy/main.tf.messy";
const GOLDEN: &str = "tests/fixtures/fmt-messy/main.tf.golden";

fn provision(arguments: &[&str]) -> std::process::Output {
    Command::new(provision_binary())
        .args(arguments)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run provision")
}

#[test]
fn fmt_checks_diffs_and_rewrites_a_messy_spec() {
    let root = repository_root();
    let messy = std::fs::read_to_string(root.join(MESSY)).unwrap();
    let golden = std::fs::read_to_string(root.join(GOLDEN)).unwrap();
    let folder = tempfile::tempdir().unwrap();
    let spec = folder.path().join("main.tf");
    std::fs::write(&spec, &messy).unwrap();
    let directory = folder.path().to_str().unwrap();

    let check = provision(&["fmt", "--check", directory]);
    assert_eq!(check.status.code(), Some(3), "{}", text(&check));
    assert!(text(&check).contains("main.tf"), "{}", text(&check));
    assert_eq!(
        std::fs::read_to_string(&spec).unwrap(),
        messy,
        "--check wrote"
    );

    let diff = provision(&["fmt", "--check", "--diff", directory]);
    let diff_text = text(&diff);
    assert_eq!(diff.status.code(), Some(3), "{diff_text}");
    assert!(diff_text.contains("-type    = \"string\""), "{diff_text}");
    assert!(diff_text.contains("+  type        = string"), "{diff_text}");

    let rewrite = provision(&["fmt", directory]);
    assert_eq!(rewrite.status.code(), Some(0), "{}", text(&rewrite));
    assert_eq!(std::fs::read_to_string(&spec).unwrap(), golden);

    let again = provision(&["fmt", "--check", directory]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    assert_eq!(text(&again), "", "nothing left to list");
}

#[test]
fn fmt_leaves_a_file_that_does_not_parse_alone() {
    let folder = tempfile::tempdir().unwrap();
    let spec = folder.path().join("broken.tf");
    let broken = "resource \"aws_vpc\" \"main\" {\ncidr_block = = \"10.0.0.0/16\"\n}\n";
    std::fs::write(&spec, broken).unwrap();
    let output = provision(&["fmt", spec.to_str().unwrap()]);
    let output_text = text(&output);
    assert_eq!(output.status.code(), Some(1), "{output_text}");
    assert!(output_text.contains("error:"), "{output_text}");
    assert!(output_text.contains("broken.tf:2:"), "{output_text}");
    assert_eq!(std::fs::read_to_string(&spec).unwrap(), broken);
}

#[test]
fn fmt_formats_standard_input_to_standard_output() {
    let mut child = Command::new(provision_binary())
        .args(["fmt", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run provision");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"locals {\nx=1\nlonger = \"${var.a}\"\n}\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "locals {\n  x      = 1\n  longer = var.a\n}\n"
    );
}

#[test]
fn completions_are_generated_for_every_shell() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef provision"),
        ("fish", "complete -c provision"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion"),
    ] {
        let output = provision(&["completions", shell]);
        let script = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(0), "{shell}: {}", text(&output));
        assert!(
            script.contains(marker),
            "{shell}: no `{marker}` in\n{script}"
        );
        for subcommand in ["plan", "apply", "drift", "fmt"] {
            assert!(script.contains(subcommand), "{shell} lacks {subcommand}");
        }
    }
}
