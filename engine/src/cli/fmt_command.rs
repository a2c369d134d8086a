//! `provision fmt`: finds the spec files named on the command line (folders: their `*.tf`,
//! `*.tfvars` and `*.hcl`, recursively with `--recursive`), formats each with
//! [`crate::format`], and writes, lists, diffs or only checks them.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::args::FmtArgs;
use super::render_diagnostic::render_diagnostics;
use super::style::Style;
use crate::format::format_file;

/// Exit code of `--check` when a file is not formatted (as `terraform fmt -check`).
pub const NOT_FORMATTED: u8 = 3;

const EXTENSIONS: [&str; 3] = ["tf", "tfvars", "hcl"];

pub fn run(arguments: &FmtArgs, style: &Style) -> Result<u8> {
    if arguments.paths.len() == 1 && arguments.paths[0] == Path::new("-") {
        return format_standard_input(arguments, style);
    }
    let paths = if arguments.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        arguments.paths.clone()
    };
    let mut files = Vec::new();
    for path in &paths {
        if path.is_dir() {
            collect(path, arguments.recursive, &mut files)
                .with_context(|| format!("cannot read the folder {}", path.display()))?;
        } else if path.exists() {
            files.push(path.clone());
        } else {
            anyhow::bail!("no such file or folder: {}", path.display());
        }
    }

    let mut failed = false;
    let mut unformatted = false;
    let mut stdout = std::io::stdout().lock();
    for file in &files {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        let formatted = match format_file(file.clone(), &text) {
            Ok(formatted) => formatted,
            Err(error) => {
                eprint!(
                    "{}",
                    render_diagnostics(&error.sources, &error.diagnostics, style)
                );
                failed = true;
                continue;
            }
        };
        if formatted == text {
            continue;
        }
        unformatted = true;
        if !arguments.no_list {
            writeln!(stdout, "{}", file.display())?;
        }
        if arguments.diff {
            write!(stdout, "{}", unified_diff(file, &text, &formatted))?;
        }
        if !arguments.check {
            std::fs::write(file, &formatted)
                .with_context(|| format!("cannot write {}", file.display()))?;
        }
    }
    Ok(if failed {
        1
    } else if arguments.check && unformatted {
        NOT_FORMATTED
    } else {
        0
    })
}

/// `provision fmt -`: standard input formatted to standard output (or checked / diffed).
fn format_standard_input(arguments: &FmtArgs, style: &Style) -> Result<u8> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .context("cannot read standard input")?;
    let name = PathBuf::from("<stdin>");
    let formatted = match format_file(name.clone(), &text) {
        Ok(formatted) => formatted,
        Err(error) => {
            eprint!(
                "{}",
                render_diagnostics(&error.sources, &error.diagnostics, style)
            );
            return Ok(1);
        }
    };
    let mut stdout = std::io::stdout().lock();
    if arguments.diff {
        write!(stdout, "{}", unified_diff(&name, &text, &formatted))?;
    } else if !arguments.check {
        write!(stdout, "{formatted}")?;
    }
    Ok(if arguments.check && formatted != text {
        NOT_FORMATTED
    } else {
        0
    })
}

/// The spec files of `folder`, sorted, and of its non-hidden subfolders when `recursive`.
fn collect(folder: &Path, recursive: bool, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(folder)?
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for path in entries {
        let hidden = path
            .file_name()
            .and_then(|name| name.to_str())
            .is_some_and(|name| name.starts_with('.') && name != "." && name != "..");
        if path.is_dir() {
            if recursive && !hidden {
                collect(&path, recursive, files)?;
            }
        } else if path
            .extension()
            .and_then(|extension| extension.to_str())
            .is_some_and(|extension| EXTENSIONS.contains(&extension))
        {
            files.push(path);
        }
    }
    Ok(())
}

fn unified_diff(file: &Path, old: &str, new: &str) -> String {
    let name = file.display().to_string();
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .header(&format!("old/{name}"), &format!("new/{name}"))
        .to_string()
}
