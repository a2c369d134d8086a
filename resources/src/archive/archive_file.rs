//! `data "archive_file"` (hashicorp/archive): zips one file (`source_file`), a folder
//! (`source_dir`, minus `excludes`), inline content (`source_content` +
//! `source_content_filename`) or several inline `source { content, filename }` blocks into
//! `output_path`, and reports its size and checksums (`output_md5`, `output_sha`,
//! `output_sha256`, `output_base64sha256`, `output_sha512`, `output_base64sha512`; `id` is the
//! SHA-1). No AWS call. Entries are written as the provider writes them (see `zip_writer`):
//! files and folders with their mode (or `output_file_mode`) and the fixed 2049-01-01 date,
//! inline content without either, `source` blocks sorted by file name, folders walked in name
//! order. The checksums are of the zip file's bytes, as the provider's are.
//!
//! Known gap (the issue asks for `output_base64sha256` byte-identical to Terraform's; it is
//! not): the DEFLATE streams inside the zip are flate2's, not Go's `compress/flate` (level 5),
//! and the two encoders choose different matches and Huffman blocks, so the zip's bytes and
//! every checksum differ from Terraform's for the same input. They are stable from run to run
//! and the archive unzips to the same files. Why, and what identity would take:
//! `zip_writer`'s module documentation.

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};

use super::zip_writer::{zip, Entry};
use crate::aws::attrs;
use crate::data_source::{DataContext, DataSource};
use crate::error::ProviderError;
use crate::provider::Attributes;
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

pub struct ArchiveFile {
    schema: Schema,
}

impl ArchiveFile {
    pub fn new() -> ArchiveFile {
        let schema = Schema::new(vec![
            Attribute::required("type", AttrType::String),
            Attribute::required("output_path", AttrType::String),
            Attribute::optional("source_content", AttrType::String),
            Attribute::optional("source_content_filename", AttrType::String),
            Attribute::optional("source_file", AttrType::String),
            Attribute::optional("source_dir", AttrType::String),
            Attribute::optional("excludes", AttrType::set_of_strings()),
            Attribute::optional("exclude_symlink_directories", AttrType::Bool),
            Attribute::optional("output_file_mode", AttrType::String),
            Attribute::computed("id", AttrType::String),
            Attribute::computed("output_size", AttrType::Number),
            Attribute::computed("output_md5", AttrType::String),
            Attribute::computed("output_sha", AttrType::String),
            Attribute::computed("output_sha256", AttrType::String),
            Attribute::computed("output_base64sha256", AttrType::String),
            Attribute::computed("output_sha512", AttrType::String),
            Attribute::computed("output_base64sha512", AttrType::String),
        ])
        .with_block(NestedBlock {
            name: "source",
            nesting: BlockNesting::Set,
            schema: Schema::new(vec![
                Attribute::required("content", AttrType::String),
                Attribute::required("filename", AttrType::String),
            ]),
            force_new: false,
            computed: false,
        });
        ArchiveFile { schema }
    }
}

impl Default for ArchiveFile {
    fn default() -> Self {
        ArchiveFile::new()
    }
}

fn resolve(base: &Path, path: &str) -> PathBuf {
    let path = Path::new(path);
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    }
}

fn io_error(attribute: &str, path: &Path, error: std::io::Error) -> ProviderError {
    ProviderError::invalid(attribute, format!("{}: {error}", path.display()))
}

/// Unix mode bits of a file.
fn mode_of(metadata: &std::fs::Metadata) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        metadata.permissions().mode() & 0o7777
    }
    #[cfg(not(unix))]
    {
        if metadata.permissions().readonly() {
            0o444
        } else {
            0o666
        }
    }
}

/// The provider's exclude match: the exact relative name, or `*` as "anything".
fn excluded(relative: &str, excludes: &[String]) -> bool {
    excludes
        .iter()
        .filter(|pattern| !pattern.is_empty())
        .any(|pattern| {
            if pattern == relative {
                return true;
            }
            if !pattern.contains('*') {
                return false;
            }
            // `^` + pattern with `*` as `.*`, unanchored at the end, as the provider's regexp.
            let parts: Vec<&str> = pattern.split('*').collect();
            let mut rest = relative;
            for (index, part) in parts.iter().enumerate() {
                if index == 0 {
                    match rest.strip_prefix(part) {
                        Some(after) => rest = after,
                        None => return false,
                    }
                } else {
                    match rest.find(part) {
                        Some(at) => rest = &rest[at + part.len()..],
                        None => return false,
                    }
                }
            }
            true
        })
}

fn walk(
    root: &Path,
    folder: &Path,
    excludes: &[String],
    output: &Path,
    mode_override: Option<u32>,
    entries: &mut Vec<Entry>,
) -> Result<(), ProviderError> {
    let mut children: Vec<PathBuf> = std::fs::read_dir(folder)
        .map_err(|error| io_error("source_dir", folder, error))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .collect();
    children.sort();
    for child in children {
        let relative = child
            .strip_prefix(root)
            .unwrap_or(&child)
            .to_string_lossy()
            .replace('\\', "/");
        let metadata =
            std::fs::metadata(&child).map_err(|error| io_error("source_dir", &child, error))?;
        if metadata.is_dir() {
            if !excluded(&relative, excludes) {
                walk(root, &child, excludes, output, mode_override, entries)?;
            }
            continue;
        }
        if excluded(&relative, excludes) {
            continue;
        }
        // The archive itself, when it is written inside the folder, is left out.
        if child.canonicalize().ok() == output.canonicalize().ok() && output.exists() {
            continue;
        }
        let content =
            std::fs::read(&child).map_err(|error| io_error("source_dir", &child, error))?;
        entries.push(Entry {
            name: relative,
            content,
            mode: Some(mode_override.unwrap_or_else(|| mode_of(&metadata))),
        });
    }
    Ok(())
}

/// Standard base64 with padding.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut text = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let triple = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for index in 0..4 {
            if index <= chunk.len() {
                text.push(ALPHABET[((triple >> (18 - 6 * index)) & 63) as usize] as char);
            } else {
                text.push('=');
            }
        }
    }
    text
}

/// The zip's entries from the arguments, checked as the provider checks them.
fn entries_of(
    arguments: &Attributes,
    working_directory: &Path,
    output: &Path,
) -> Result<Vec<Entry>, ProviderError> {
    let mode_override = match attrs::non_empty(arguments, "output_file_mode") {
        Some(text) => {
            let digits = text.trim_start_matches("0o");
            Some(u32::from_str_radix(digits, 8).map_err(|_| {
                ProviderError::invalid(
                    "output_file_mode",
                    format!("`{text}` is not an octal file mode such as \"0644\""),
                )
            })?)
        }
        None => None,
    };
    let sources = attrs::blocks(arguments, "source");
    let given: Vec<&str> = [
        (
            "source_content",
            attrs::optional_string(arguments, "source_content").is_some(),
        ),
        (
            "source_file",
            attrs::non_empty(arguments, "source_file").is_some(),
        ),
        (
            "source_dir",
            attrs::non_empty(arguments, "source_dir").is_some(),
        ),
        ("source", !sources.is_empty()),
    ]
    .into_iter()
    .filter(|(_, set)| *set)
    .map(|(name, _)| name)
    .collect();
    if given.len() != 1 {
        return Err(ProviderError::invalid(
            given.get(1).copied().unwrap_or("source_file"),
            "set exactly one of `source_content` (with `source_content_filename`), \
             `source_file`, `source_dir` or `source {}` blocks",
        ));
    }
    match given[0] {
        "source_content" => {
            let name = attrs::non_empty(arguments, "source_content_filename").ok_or_else(|| {
                ProviderError::invalid(
                    "source_content_filename",
                    "is required with `source_content`",
                )
            })?;
            Ok(vec![Entry {
                name: name.replace('\\', "/"),
                content: attrs::optional_string(arguments, "source_content")
                    .unwrap_or_default()
                    .into_bytes(),
                mode: None,
            }])
        }
        "source_file" => {
            let path = resolve(
                working_directory,
                &attrs::required_string(arguments, "source_file")?,
            );
            let metadata =
                std::fs::metadata(&path).map_err(|error| io_error("source_file", &path, error))?;
            if metadata.is_dir() {
                return Err(ProviderError::invalid(
                    "source_file",
                    format!("{} is a folder: use `source_dir`", path.display()),
                ));
            }
            let content =
                std::fs::read(&path).map_err(|error| io_error("source_file", &path, error))?;
            let name = path
                .file_name()
                .map(|name| name.to_string_lossy().to_string())
                .unwrap_or_default();
            Ok(vec![Entry {
                name,
                content,
                mode: Some(mode_override.unwrap_or_else(|| mode_of(&metadata))),
            }])
        }
        "source_dir" => {
            let root = resolve(
                working_directory,
                &attrs::required_string(arguments, "source_dir")?,
            );
            if !root.is_dir() {
                return Err(ProviderError::invalid(
                    "source_dir",
                    format!("{} is not a folder", root.display()),
                ));
            }
            let excludes: Vec<String> = attrs::string_list(arguments, "excludes")
                .into_iter()
                .map(|pattern| pattern.replace('\\', "/"))
                .collect();
            let mut entries = Vec::new();
            walk(&root, &root, &excludes, output, mode_override, &mut entries)?;
            Ok(entries)
        }
        _ => {
            let mut entries: Vec<Entry> = Vec::new();
            for source in sources {
                let name = attrs::required_string(source, "filename")?.replace('\\', "/");
                let content = attrs::optional_string(source, "content").unwrap_or_default();
                if let Some(existing) = entries.iter_mut().find(|entry| entry.name == name) {
                    existing.content = content.into_bytes();
                } else {
                    entries.push(Entry {
                        name,
                        content: content.into_bytes(),
                        mode: None,
                    });
                }
            }
            entries.sort_by(|left, right| left.name.cmp(&right.name));
            Ok(entries)
        }
    }
}

#[async_trait]
impl DataSource for ArchiveFile {
    fn type_name(&self) -> &'static str {
        "archive_file"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn needs_aws(&self) -> bool {
        false
    }

    async fn read(
        &self,
        context: &DataContext,
        arguments: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let kind = attrs::required_string(arguments, "type")?;
        if kind != "zip" {
            return Err(ProviderError::invalid(
                "type",
                format!("`{kind}` is not an archive type: write `type = \"zip\"`"),
            ));
        }
        let output = resolve(
            &context.working_directory,
            &attrs::required_string(arguments, "output_path")?,
        );
        let entries = entries_of(arguments, &context.working_directory, &output)?;
        let bytes = zip(&entries).map_err(|error| io_error("output_path", &output, error))?;
        if let Some(parent) = output
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent)
                .map_err(|error| io_error("output_path", parent, error))?;
        }
        std::fs::write(&output, &bytes).map_err(|error| io_error("output_path", &output, error))?;
        let sha1 = hex::encode(Sha1::digest(&bytes));
        let sha256 = Sha256::digest(&bytes);
        let sha512 = Sha512::digest(&bytes);
        let mut result = arguments.clone();
        result.insert("id".into(), Value::string(&sha1));
        result.insert("output_size".into(), Value::Number(bytes.len() as f64));
        result.insert(
            "output_md5".into(),
            Value::string(hex::encode(Md5::digest(&bytes))),
        );
        result.insert("output_sha".into(), Value::string(sha1));
        result.insert("output_sha256".into(), Value::string(hex::encode(sha256)));
        result.insert("output_base64sha256".into(), Value::string(base64(&sha256)));
        result.insert("output_sha512".into(), Value::string(hex::encode(sha512)));
        result.insert("output_base64sha512".into(), Value::string(base64(&sha512)));
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::attrs::map;

    fn context(directory: &Path) -> DataContext {
        DataContext {
            clients: None,
            address: "data.archive_file.code".into(),
            working_directory: directory.to_path_buf(),
        }
    }

    #[test]
    fn base64_matches_the_standard_alphabet() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn excludes_match_names_and_stars() {
        let excludes = vec!["tests".to_string(), "*.pyc".to_string()];
        assert!(excluded("tests", &excludes));
        assert!(excluded("app/cache.pyc", &excludes));
        assert!(!excluded("app/main.py", &excludes));
    }

    #[tokio::test]
    async fn a_folder_is_zipped_in_name_order_and_hashed() {
        let folder = tempfile::tempdir().unwrap();
        let source = folder.path().join("src");
        std::fs::create_dir_all(source.join("lib")).unwrap();
        std::fs::write(source.join("main.py"), "print('hi')\n").unwrap();
        std::fs::write(source.join("lib/util.py"), "X = 1\n").unwrap();
        std::fs::write(source.join("skip.pyc"), "junk").unwrap();
        let arguments = map([
            ("type", Value::string("zip")),
            ("source_dir", Value::string("src")),
            ("output_path", Value::string("build/code.zip")),
            ("excludes", Value::List(vec![Value::string("*.pyc")])),
        ]);
        let result = ArchiveFile::new()
            .read(&context(folder.path()), &arguments)
            .await
            .unwrap();
        let bytes = std::fs::read(folder.path().join("build/code.zip")).unwrap();
        assert_eq!(result["output_size"], Value::Number(bytes.len() as f64));
        assert_eq!(
            result["output_base64sha256"],
            Value::string(base64(&Sha256::digest(&bytes)))
        );
        assert_eq!(result["id"], result["output_sha"]);
        let names: Vec<usize> = ["lib/util.py", "main.py", "skip.pyc"]
            .iter()
            .map(|name| {
                bytes
                    .windows(name.len())
                    .position(|window| window == name.as_bytes())
                    .unwrap_or(usize::MAX)
            })
            .collect();
        assert!(names[0] < names[1], "{names:?}");
        assert_eq!(names[2], usize::MAX, "excluded");
        // The same input gives the same archive.
        let again = ArchiveFile::new()
            .read(&context(folder.path()), &arguments)
            .await
            .unwrap();
        assert_eq!(again["output_sha256"], result["output_sha256"]);
    }

    #[tokio::test]
    async fn exactly_one_source_kind_is_required() {
        let folder = tempfile::tempdir().unwrap();
        let arguments = map([
            ("type", Value::string("zip")),
            ("source_content", Value::string("x")),
            ("source_content_filename", Value::string("x.txt")),
            ("source_file", Value::string("a")),
            ("output_path", Value::string("out.zip")),
        ]);
        let error = ArchiveFile::new()
            .read(&context(folder.path()), &arguments)
            .await
            .unwrap_err();
        assert!(error.to_string().contains("exactly one"), "{error}");
    }
}
