//! Filesystem path functions: `abspath`, `basename`, `dirname`, `pathexpand` (lexical, like
//! Go's `path/filepath`) and `fileset` (a glob over a folder, Terraform's `**` / `*` / `?` /
//! `[...]` / `{a,b}` patterns; it reads the directory tree).

use std::path::Path;

use provision_core::Value;

use super::{set_of, Arguments, FunctionError, FunctionResult};

/// Go's `filepath.Clean`: drops `.`, resolves `..` lexically, collapses slashes.
fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|last| *last != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

fn base_of(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/".to_string();
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed).to_string()
}

fn dir_of(path: &str) -> String {
    match path.rfind('/') {
        Some(index) => clean(&path[..=index]),
        None => ".".to_string(),
    }
}

pub(super) fn basename(arguments: &Arguments) -> FunctionResult {
    Ok(Value::String(base_of(&arguments.string(0, "path")?)))
}

pub(super) fn dirname(arguments: &Arguments) -> FunctionResult {
    Ok(Value::String(dir_of(&arguments.string(0, "path")?)))
}

pub(super) fn abspath(arguments: &Arguments) -> FunctionResult {
    let path = arguments.string(0, "path")?;
    if path.starts_with('/') {
        return Ok(Value::String(clean(&path)));
    }
    let cwd = std::env::current_dir().map_err(|error| {
        FunctionError::call(format!("cannot read the working directory: {error}"))
    })?;
    Ok(Value::String(clean(&format!("{}/{path}", cwd.display()))))
}

pub(super) fn pathexpand(arguments: &Arguments) -> FunctionResult {
    let path = arguments.string(0, "path")?;
    if !path.starts_with('~') {
        return Ok(Value::String(path));
    }
    if path.len() > 1 && !path[1..].starts_with('/') {
        return Err(FunctionError::argument(
            0,
            "cannot expand user-specific home dir",
        ));
    }
    let home = std::env::var("HOME")
        .map_err(|_| FunctionError::call("cannot expand ~: HOME is not set"))?;
    Ok(Value::String(format!("{home}{}", &path[1..])))
}

/// `fileset(path, pattern)`: the files under `path` whose path relative to it matches.
pub(super) fn fileset(arguments: &Arguments) -> FunctionResult {
    let root = arguments.string(0, "path")?;
    let pattern = arguments.string(1, "pattern")?;
    let pattern = clean(&pattern);
    let segments: Vec<&str> = pattern.split('/').collect();
    for segment in &segments {
        compile_segment(segment).map_err(|message| FunctionError::argument(1, message))?;
    }
    let mut found = Vec::new();
    walk(Path::new(&root), "", &mut found)
        .map_err(|error| FunctionError::argument(0, format!("cannot read {root}: {error}")))?;
    let matched: Vec<Value> = found
        .into_iter()
        .filter(|relative| {
            let parts: Vec<&str> = relative.split('/').collect();
            matches_segments(&segments, &parts)
        })
        .map(Value::String)
        .collect();
    Ok(Value::List(set_of(&matched)))
}

fn walk(directory: &Path, prefix: &str, found: &mut Vec<String>) -> std::io::Result<()> {
    let entries = match std::fs::read_dir(directory) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound && prefix.is_empty() => {
            return Ok(())
        }
        Err(error) => return Err(error),
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let relative = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        let kind = std::fs::metadata(entry.path())?;
        if kind.is_dir() {
            walk(&entry.path(), &relative, found)?;
        } else if kind.is_file() {
            found.push(relative);
        }
    }
    Ok(())
}

fn matches_segments(pattern: &[&str], path: &[&str]) -> bool {
    match (pattern.first(), path.first()) {
        (None, None) => true,
        (None, Some(_)) => false,
        (Some(&"**"), _) => {
            matches_segments(&pattern[1..], path)
                || (!path.is_empty() && matches_segments(pattern, &path[1..]))
        }
        (Some(_), None) => false,
        (Some(segment), Some(name)) => {
            matches_glob(
                &segment.chars().collect::<Vec<_>>(),
                &name.chars().collect::<Vec<_>>(),
            ) && matches_segments(&pattern[1..], &path[1..])
        }
    }
}

/// Checks a segment's syntax: balanced `[...]` and `{...}`.
fn compile_segment(segment: &str) -> Result<(), String> {
    let mut brackets = 0i32;
    let mut braces = 0i32;
    for character in segment.chars() {
        match character {
            '[' => brackets += 1,
            ']' => brackets -= 1,
            '{' => braces += 1,
            '}' => braces -= 1,
            _ => {}
        }
        if brackets < 0 || braces < 0 {
            return Err(format!(
                "failed to glob pattern \"{segment}\": syntax error in pattern"
            ));
        }
    }
    if brackets != 0 || braces != 0 {
        return Err(format!(
            "failed to glob pattern \"{segment}\": syntax error in pattern"
        ));
    }
    Ok(())
}

/// One path segment against one pattern segment (`*`, `?`, `[abc]`, `[a-z]`, `[!x]`, `{a,b}`).
fn matches_glob(pattern: &[char], name: &[char]) -> bool {
    let Some(&first) = pattern.first() else {
        return name.is_empty();
    };
    match first {
        '*' => (0..=name.len()).any(|skip| matches_glob(&pattern[1..], &name[skip..])),
        '?' => !name.is_empty() && matches_glob(&pattern[1..], &name[1..]),
        '[' => {
            let Some(close) = pattern.iter().position(|character| *character == ']') else {
                return false;
            };
            let Some(&character) = name.first() else {
                return false;
            };
            let mut class = &pattern[1..close];
            let negated = matches!(class.first(), Some('!' | '^'));
            if negated {
                class = &class[1..];
            }
            let mut hit = false;
            let mut index = 0;
            while index < class.len() {
                if index + 2 < class.len() && class[index + 1] == '-' {
                    hit |= class[index] <= character && character <= class[index + 2];
                    index += 3;
                } else {
                    hit |= class[index] == character;
                    index += 1;
                }
            }
            hit != negated && matches_glob(&pattern[close + 1..], &name[1..])
        }
        '{' => {
            let Some(close) = pattern.iter().position(|character| *character == '}') else {
                return false;
            };
            let rest = &pattern[close + 1..];
            pattern[1..close]
                .split(|character| *character == ',')
                .any(|alternative| {
                    let mut candidate = alternative.to_vec();
                    candidate.extend_from_slice(rest);
                    matches_glob(&candidate, name)
                })
        }
        '\\' if pattern.len() > 1 => {
            name.first() == Some(&pattern[1]) && matches_glob(&pattern[2..], &name[1..])
        }
        literal => name.first() == Some(&literal) && matches_glob(&pattern[1..], &name[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests_support::{ok, run, s, strings};

    #[test]
    fn basename_and_dirname_like_go() {
        for (path, base, directory) in [
            ("foo/bar/baz.txt", "baz.txt", "foo/bar"),
            ("/", "/", "/"),
            ("", ".", "."),
            ("foo/bar/", "bar", "foo/bar"),
            ("foo", "foo", "."),
            ("/foo", "foo", "/"),
            ("a//b//", "b", "a/b"),
        ] {
            assert_eq!(ok("basename", vec![s(path)]), s(base), "basename({path:?})");
            assert_eq!(
                ok("dirname", vec![s(path)]),
                s(directory),
                "dirname({path:?})"
            );
        }
        assert_eq!(ok("dirname", vec![s("a//b//c")]), s("a/b"));
    }

    #[test]
    fn abspath_and_pathexpand() {
        assert_eq!(ok("abspath", vec![s("/a/./b/../c/")]), s("/a/c"));
        let cwd = std::env::current_dir().unwrap().display().to_string();
        assert_eq!(
            ok("abspath", vec![s("foo/../bar")]),
            s(&format!("{cwd}/bar"))
        );
        let home = std::env::var("HOME").unwrap();
        assert_eq!(
            ok("pathexpand", vec![s("~/.ssh/id_rsa")]),
            s(&format!("{home}/.ssh/id_rsa"))
        );
        assert_eq!(ok("pathexpand", vec![s("~")]), s(&home));
        assert_eq!(
            ok("pathexpand", vec![s("/etc/resolv.conf")]),
            s("/etc/resolv.conf")
        );
        assert!(run("pathexpand", vec![s("~other/x")])
            .unwrap_err()
            .message
            .contains("cannot expand user-specific home dir"));
    }

    #[test]
    fn fileset_globs_files() {
        let directory = tempfile::tempdir().unwrap();
        let root = directory.path();
        for file in [
            "a.tpl",
            "b.tpl",
            "c.txt",
            "sub/d.tpl",
            "sub/deep/e.tpl",
            "sub/deep/f.txt",
        ] {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        let root = s(root.to_str().unwrap());
        assert_eq!(
            ok("fileset", vec![root.clone(), s("*.tpl")]),
            strings(&["a.tpl", "b.tpl"])
        );
        assert_eq!(
            ok("fileset", vec![root.clone(), s("**/*.tpl")]),
            strings(&["a.tpl", "b.tpl", "sub/d.tpl", "sub/deep/e.tpl"])
        );
        assert_eq!(
            ok("fileset", vec![root.clone(), s("sub/**")]),
            strings(&["sub/d.tpl", "sub/deep/e.tpl", "sub/deep/f.txt"])
        );
        assert_eq!(
            ok("fileset", vec![root.clone(), s("{a,c}.*")]),
            strings(&["a.tpl", "c.txt"])
        );
        assert_eq!(
            ok("fileset", vec![root.clone(), s("[ab].tpl")]),
            strings(&["a.tpl", "b.tpl"])
        );
        assert_eq!(
            ok("fileset", vec![root.clone(), s("?.txt")]),
            strings(&["c.txt"])
        );
        assert!(run("fileset", vec![root, s("[a.tpl")]).is_err());
    }
}
