//! Reads a spec folder into a `Spec`: finds the `*.tf` / `*.hcl` files, parses them, and
//! interprets the top-level blocks (`variable`, `locals`, `resource`, `output`, `provider`,
//! `terraform`), taking out meta-arguments and reporting unknown or duplicate blocks with
//! spans. Also reads `.tfvars` files.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::ast::{Attribute, Block, Body, Expr, ExprKind, TemplatePart, TraversalOperator};
use super::parse::parse_body;
use super::{
    ImportBlock, Lifecycle, ModuleCall, MoveEndpoint, MovedBlock, OutputBlock, ProviderBlock,
    ResourceBlock, Spec, Validation, VariableBlock,
};
use crate::address::{InstanceKey, ModuleStep};
use crate::diagnostics::{Diagnostic, Diagnostics, SourceMap, SourceSpan};
use crate::provider_configuration::{parse_provider_reference, ProviderReference};

/// Loads every `*.hcl` / `*.tf` file of `directory` (sorted by name) into a `Spec`, and the
/// modules it calls from their folders. The spec is returned even when there are errors, so
/// its `sources` can render them.
pub fn load_spec(directory: &Path) -> (Spec, Diagnostics) {
    let mut sources = SourceMap::default();
    let mut diagnostics = Diagnostics::new();
    let mut hasher = Sha256::new();
    let mut loader = FolderLoader {
        root: directory,
        sources: &mut sources,
        hasher: &mut hasher,
        diagnostics: &mut diagnostics,
    };
    let mut spec = loader.folder(directory, &[], &[normalize(directory)]);
    spec.hash = hex::encode(hasher.finalize());
    spec.sources = sources;
    (spec, diagnostics)
}

/// How deep modules may call modules: deeper is a loop no folder check caught.
const MAXIMUM_MODULE_DEPTH: usize = 16;

/// Loads one folder (the root module or a called module) with what it calls.
struct FolderLoader<'a> {
    /// The root module's folder: `.terraform/modules/modules.json` is read from there.
    root: &'a Path,
    sources: &'a mut SourceMap,
    hasher: &'a mut Sha256,
    diagnostics: &'a mut Diagnostics,
}

impl FolderLoader<'_> {
    /// `module_key` names the module calls from the root (`["network"]`), empty for the root;
    /// `ancestors` are the folders of the modules that lead here, this one included.
    fn folder(&mut self, directory: &Path, module_key: &[String], ancestors: &[PathBuf]) -> Spec {
        let mut spec = Spec {
            directory: directory.to_path_buf(),
            ..Spec::default()
        };
        let names = match spec_file_names(directory) {
            Ok(names) => names,
            Err(errors) => {
                self.diagnostics.extend(errors);
                return spec;
            }
        };
        let mut bodies = Vec::new();
        for name in names {
            let path = directory.join(&name);
            let text = match std::fs::read_to_string(&path) {
                Ok(text) => text,
                Err(error) => {
                    self.diagnostics.push(
                        Diagnostic::error(format!("cannot read {}: {error}", path.display()), None)
                            .with_hint("spec files must be readable UTF-8 text"),
                    );
                    continue;
                }
            };
            // The file name, not the whole path: the same folder reached by another path
            // (`./x`, an absolute path) has the same hash. A module's files are named by the
            // module calls that lead to them. A NUL separates the fields.
            for step in module_key {
                self.hasher.update(b"module.");
                self.hasher.update(step.as_bytes());
                self.hasher.update(b"/");
            }
            self.hasher.update(name.to_string_lossy().as_bytes());
            self.hasher.update([0]);
            self.hasher.update(text.as_bytes());
            self.hasher.update([0]);
            let file = self.sources.add(path, text);
            match parse_body(self.sources, file) {
                Ok(body) => bodies.push(body),
                Err(errors) => self.diagnostics.extend(errors),
            }
        }

        let mut interpreter = Interpreter {
            spec: &mut spec,
            sources: self.sources,
            diagnostics: self.diagnostics,
            first_definitions: HashMap::new(),
            is_root: module_key.is_empty(),
        };
        for body in bodies {
            interpreter.top_level(body);
        }

        let mut modules = std::mem::take(&mut spec.modules);
        for call in &mut modules {
            let mut key = module_key.to_vec();
            key.push(call.name.clone());
            let Some(folder) = self.module_folder(call, directory, &key) else {
                continue;
            };
            let normalized = normalize(&folder);
            if ancestors.contains(&normalized) || key.len() > MAXIMUM_MODULE_DEPTH {
                self.diagnostics.push(
                    Diagnostic::error(
                        format!("module {} calls itself", call.address()),
                        Some(call.source_span.clone()),
                    )
                    .with_label(format!("{} is already being loaded", folder.display()))
                    .with_hint("a module cannot call the module that contains it, directly or through others"),
                );
                continue;
            }
            let mut chain = ancestors.to_vec();
            chain.push(normalized);
            *call.module = self.folder(&folder, &key, &chain);
        }
        spec.modules = modules;
        spec
    }

    /// The folder a module call's `source` names: a local path (`./`, `../`) from the calling
    /// module's folder, or for a registry or git source the folder `terraform init` fetched it
    /// to, from `.terraform/modules/modules.json` of the root folder.
    fn module_folder(
        &mut self,
        call: &ModuleCall,
        directory: &Path,
        key: &[String],
    ) -> Option<PathBuf> {
        let source = call.source.as_str();
        if source.starts_with("./") || source.starts_with("../") || source == "." || source == ".."
        {
            let folder = directory.join(source);
            if !folder.is_dir() {
                self.diagnostics.push(
                    Diagnostic::error(
                        format!("module {}: folder {} does not exist", call.address(), folder.display()),
                        Some(call.source_span.clone()),
                    )
                    .with_label("no such folder")
                    .with_hint("a local `source` is a folder of `.tf` files, relative to the folder of the file that calls it"),
                );
                return None;
            }
            return Some(normalize(&folder));
        }
        let kind = source_kind(source);
        if let Some(folder) = fetched_module_folder(self.root, key) {
            return Some(folder);
        }
        let label = key.join(".");
        self.diagnostics.push(
            Diagnostic::error(
                format!("module {}: {kind} sources are not fetched by provision", call.address()),
                Some(call.source_span.clone()),
            )
            .with_label(format!("a {kind} source"))
            .with_hint(format!(
                "vendor the module into a local folder (for example `./modules/{name}`) and write `source = \"./modules/{name}\"`; \
                 or run `terraform init` in {root} so that .terraform/modules/modules.json names its folder (key \"{label}\")",
                name = call.name,
                root = self.root.display(),
            )),
        );
        None
    }
}

/// What kind of remote source a `source` string is, for the error message.
fn source_kind(source: &str) -> &'static str {
    if source.starts_with("git::")
        || source.starts_with("git@")
        || source.starts_with("github.com/")
        || source.starts_with("bitbucket.org/")
        || source.ends_with(".git")
    {
        "git"
    } else if source.contains("::") || source.contains("://") {
        "remote"
    } else {
        "registry"
    }
}

/// The folder `terraform init` recorded for the module call `key` (`["vpc", "subnets"]`) in
/// `<root>/.terraform/modules/modules.json`, when it exists.
fn fetched_module_folder(root: &Path, key: &[String]) -> Option<PathBuf> {
    let manifest = root.join(".terraform").join("modules").join("modules.json");
    let text = std::fs::read_to_string(manifest).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    let wanted = key.join(".");
    let entry = json.get("Modules")?.as_array()?.iter().find(|entry| {
        entry.get("Key").and_then(serde_json::Value::as_str) == Some(wanted.as_str())
    })?;
    let directory = entry.get("Dir")?.as_str()?;
    // Terraform records the folder relative to the root module's folder.
    let folder = root.join(directory);
    folder.is_dir().then(|| normalize(&folder))
}

/// `a/./b/../c` → `a/c`, without touching the file system (`..` after a leading `..` is kept).
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut parts: Vec<Component> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match parts.last() {
                Some(Component::Normal(_)) => {
                    parts.pop();
                }
                _ => parts.push(component),
            },
            other => parts.push(other),
        }
    }
    if parts.is_empty() {
        return PathBuf::from(".");
    }
    parts.iter().collect()
}

/// Parses a `.tfvars` file (`name = expr` lines) into the source map, returning each
/// assignment with its name's span.
pub fn load_tfvars(
    sources: &mut SourceMap,
    path: &Path,
) -> Result<Vec<(String, SourceSpan, Expr)>, Diagnostics> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        Diagnostic::error(
            format!("cannot read variables file {}: {error}", path.display()),
            None,
        )
        .with_hint("check the path given to --var-file")
    })?;
    let file = sources.add(path.to_path_buf(), text);
    let body = parse_body(sources, file)?;
    let mut diagnostics = Diagnostics::new();
    for block in &body.blocks {
        diagnostics.push(
            Diagnostic::error(
                format!("unexpected block `{}` in a variables file", block.ident),
                Some(block.ident_span.clone()),
            )
            .with_label("a block")
            .with_hint("a .tfvars file holds only `name = value` lines"),
        );
    }
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    Ok(body
        .attributes
        .into_iter()
        .map(|attribute| (attribute.name, attribute.name_span, attribute.expr))
        .collect())
}

/// The `.tf` / `.hcl` files directly in `directory`, sorted by name.
fn spec_file_names(directory: &Path) -> Result<Vec<OsString>, Diagnostics> {
    let entries = match std::fs::read_dir(directory) {
        Ok(entries) => entries,
        Err(error) => {
            let hint = if directory.exists() {
                "name a folder that holds `.tf` or `.hcl` files"
            } else {
                "check the path: the spec folder holds the `.tf` or `.hcl` files"
            };
            return Err(Diagnostic::error(
                format!("cannot read spec folder {}: {error}", directory.display()),
                None,
            )
            .with_hint(hint)
            .into());
        }
    };
    let mut names: Vec<OsString> = entries
        .filter_map(Result::ok)
        .filter(|entry| {
            let path = entry.path();
            let name = entry.file_name();
            let visible = !name.to_string_lossy().starts_with('.');
            let extension = path.extension().and_then(|extension| extension.to_str());
            visible && matches!(extension, Some("tf" | "hcl")) && path.is_file()
        })
        .map(|entry| entry.file_name())
        .collect();
    names.sort();
    if names.is_empty() {
        return Err(Diagnostic::error(
            format!("no `.tf` or `.hcl` files in {}", directory.display()),
            None,
        )
        .with_hint("a spec is a folder of `.tf` / `.hcl` files; sub-folders are not read")
        .into());
    }
    Ok(names)
}

const TOP_LEVEL_BLOCKS: &[&str] = &[
    "variable",
    "locals",
    "resource",
    "data",
    "module",
    "moved",
    "import",
    "output",
    "provider",
    "terraform",
];
const VARIABLE_ATTRIBUTES: &[&str] = &["type", "default", "description", "sensitive", "nullable"];
const VALIDATION_ATTRIBUTES: &[&str] = &["condition", "error_message"];
const LIFECYCLE_ATTRIBUTES: &[&str] =
    &["prevent_destroy", "create_before_destroy", "ignore_changes"];
const OUTPUT_ATTRIBUTES: &[&str] = &["value", "sensitive", "description"];
/// The `provider "aws"` arguments provision honours (besides `alias`).
const PROVIDER_ATTRIBUTES: &[&str] = &[
    "region",
    "profile",
    "access_key",
    "secret_key",
    "token",
    "shared_credentials_files",
    "shared_config_files",
    "skip_credentials_validation",
    "skip_metadata_api_check",
    "skip_region_validation",
    "skip_requesting_account_id",
    "max_retries",
    "s3_use_path_style",
];
/// Terraform's other `provider "aws"` arguments: rejected as not supported yet.
const PROVIDER_UNSUPPORTED_ATTRIBUTES: &[&str] = &[
    "allowed_account_ids",
    "custom_ca_bundle",
    "ec2_metadata_service_endpoint",
    "ec2_metadata_service_endpoint_mode",
    "forbidden_account_ids",
    "http_proxy",
    "https_proxy",
    "insecure",
    "no_proxy",
    "retry_mode",
    "s3_us_east_1_regional_endpoint",
    "sts_region",
    "token_bucket_rate_limiter_capacity",
    "use_dualstack_endpoint",
    "use_fips_endpoint",
];
const ASSUME_ROLE_ATTRIBUTES: &[&str] = &["role_arn", "session_name", "external_id", "duration"];
const ASSUME_ROLE_UNSUPPORTED_ATTRIBUTES: &[&str] = &[
    "policy",
    "policy_arns",
    "source_identity",
    "tags",
    "transitive_tag_keys",
];
/// Names Terraform reserves for future use or for meta-arguments: not valid variable names.
const RESERVED_VARIABLE_NAMES: &[&str] = &[
    "source",
    "version",
    "providers",
    "count",
    "for_each",
    "lifecycle",
    "depends_on",
    "locals",
];

/// The kinds of named things that must be unique.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum DefinitionKind {
    Variable,
    Local,
    Resource,
    Output,
    Provider,
    Module,
}

impl DefinitionKind {
    fn word(self) -> &'static str {
        match self {
            DefinitionKind::Variable => "variable",
            DefinitionKind::Local => "local value",
            DefinitionKind::Resource => "resource",
            DefinitionKind::Output => "output",
            DefinitionKind::Provider => "provider",
            DefinitionKind::Module => "module",
        }
    }
}

struct Interpreter<'a> {
    spec: &'a mut Spec,
    sources: &'a SourceMap,
    diagnostics: &'a mut Diagnostics,
    /// False inside a called module: provider configurations belong to the root.
    is_root: bool,
    first_definitions: HashMap<(DefinitionKind, String), SourceSpan>,
}

impl Interpreter<'_> {
    fn error(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Records a definition; reports a duplicate (at `span`) and returns false when `name` was
    /// defined before.
    fn define(&mut self, kind: DefinitionKind, name: &str, span: &SourceSpan) -> bool {
        let key = (kind, name.to_string());
        if let Some(first) = self.first_definitions.get(&key) {
            let (line, column) = self.sources.line_col(first.file, first.range.start);
            let path = self.sources.file(first.file).path.display().to_string();
            let hint = match kind {
                DefinitionKind::Provider => {
                    "each configuration is defined once: give another block its own `alias`"
                }
                _ => "names must be unique across all files of a spec: rename or remove one",
            };
            let diagnostic = Diagnostic::error(
                format!("duplicate {} {name}", kind.word()),
                Some(span.clone()),
            )
            .with_label("defined again here")
            .with_note(format!("first defined at {path}:{line}:{column}"))
            .with_hint(hint);
            self.error(diagnostic);
            return false;
        }
        self.first_definitions.insert(key, span.clone());
        true
    }

    fn top_level(&mut self, body: Body) {
        for attribute in &body.attributes {
            self.error(
                Diagnostic::error(
                    format!("unexpected attribute `{}` at the top level", attribute.name),
                    Some(attribute.name_span.clone()),
                )
                .with_label("not inside a block")
                .with_hint(
                    "top-level attributes are not allowed: put values in a `locals {}` block \
                     or declare a `variable`",
                ),
            );
        }
        for block in body.blocks {
            match block.ident.as_str() {
                "variable" => self.variable(block),
                "locals" => self.locals(block),
                "resource" => self.resource(block),
                "output" => self.output(block),
                "provider" => self.provider(block),
                "terraform" => {}
                "data" => self.data(block),
                "module" => self.module(block),
                "moved" => self.moved(block),
                "import" => self.import(block),
                other => {
                    let hint = match closest(other, TOP_LEVEL_BLOCKS) {
                        Some(suggestion) => format!("did you mean `{suggestion}`?"),
                        None => format!("valid top-level blocks: {}", TOP_LEVEL_BLOCKS.join(", ")),
                    };
                    self.error(
                        Diagnostic::error(
                            format!("unknown block type `{other}`"),
                            Some(block.ident_span.clone()),
                        )
                        .with_label("unknown block")
                        .with_hint(hint),
                    );
                }
            }
        }
    }

    /// Checks the block has exactly the named labels; reports and returns None otherwise.
    fn labels(&mut self, block: &Block, names: &[&str]) -> Option<Vec<(String, SourceSpan)>> {
        if block.labels.len() == names.len() {
            return Some(block.labels.clone());
        }
        let wanted = names
            .iter()
            .map(|name| format!("\"{name}\""))
            .collect::<Vec<_>>()
            .join(" ");
        let count = match names.len() {
            1 => "one label".to_string(),
            number => format!("{number} labels"),
        };
        let span = block
            .labels
            .get(names.len())
            .map(|(_, span)| span.clone())
            .unwrap_or_else(|| block.ident_span.clone());
        self.error(
            Diagnostic::error(
                format!(
                    "`{}` block needs {count}, found {}",
                    block.ident,
                    block.labels.len()
                ),
                Some(span),
            )
            .with_hint(format!("write it as `{} {wanted} {{ ... }}`", block.ident)),
        );
        None
    }

    fn unknown_attribute(&mut self, attribute: &Attribute, context: &str, valid: &[&str]) {
        let mut hint = format!("valid attributes here: {}", valid.join(", "));
        if let Some(suggestion) = closest(&attribute.name, valid) {
            hint = format!("did you mean `{suggestion}`? {hint}");
        }
        self.error(
            Diagnostic::error(
                format!("unknown attribute `{}` in {context}", attribute.name),
                Some(attribute.name_span.clone()),
            )
            .with_label("unknown attribute")
            .with_hint(hint),
        );
    }

    fn unknown_block(&mut self, block: &Block, context: &str, valid: &[&str]) {
        let hint = if valid.is_empty() {
            "no nested blocks are allowed here".to_string()
        } else {
            format!("valid nested blocks here: {}", valid.join(", "))
        };
        self.error(
            Diagnostic::error(
                format!("unexpected block `{}` in {context}", block.ident),
                Some(block.ident_span.clone()),
            )
            .with_label("unexpected block")
            .with_hint(hint),
        );
    }

    /// A literal `true` / `false`; reports anything else.
    fn literal_bool(&mut self, attribute: &Attribute) -> Option<bool> {
        match attribute.expr.kind {
            ExprKind::Bool(value) => Some(value),
            _ => {
                self.error(
                    Diagnostic::error(
                        format!("`{}` must be a literal true or false", attribute.name),
                        Some(attribute.expr.span.clone()),
                    )
                    .with_label("not a literal bool")
                    .with_hint(format!(
                        "write `{} = true` or `{} = false`: this setting is read before \
                         anything is evaluated",
                        attribute.name, attribute.name
                    )),
                );
                None
            }
        }
    }

    /// A literal string (a heredoc without interpolation counts); reports anything else.
    fn literal_string(&mut self, attribute: &Attribute) -> Option<String> {
        match &attribute.expr.kind {
            ExprKind::String(text) => Some(text.clone()),
            _ => {
                self.error(
                    Diagnostic::error(
                        format!("`{}` must be a literal string", attribute.name),
                        Some(attribute.expr.span.clone()),
                    )
                    .with_label("not a literal string")
                    .with_hint("write plain text in quotes, without `${...}` interpolation"),
                );
                None
            }
        }
    }

    fn variable(&mut self, block: Block) {
        let Some(labels) = self.labels(&block, &["name"]) else {
            return;
        };
        let (name, name_span) = labels[0].clone();
        if RESERVED_VARIABLE_NAMES.contains(&name.as_str()) {
            self.error(
                Diagnostic::error(
                    format!("invalid variable name `{name}`"),
                    Some(name_span.clone()),
                )
                .with_label("reserved name")
                .with_hint(format!(
                    "these names are reserved and cannot name a variable: {}",
                    RESERVED_VARIABLE_NAMES.join(", ")
                )),
            );
        }
        let context = format!("variable \"{name}\"");
        let mut variable = VariableBlock {
            name: name.clone(),
            name_span: name_span.clone(),
            type_constraint: None,
            default: None,
            description: None,
            sensitive: false,
            nullable: true,
            validations: Vec::new(),
            span: block.span.clone(),
        };
        for attribute in &block.body.attributes {
            match attribute.name.as_str() {
                "type" => variable.type_constraint = Some(attribute.expr.clone()),
                "default" => variable.default = Some(attribute.expr.clone()),
                "description" => variable.description = self.literal_string(attribute),
                "sensitive" => variable.sensitive = self.literal_bool(attribute).unwrap_or(false),
                "nullable" => variable.nullable = self.literal_bool(attribute).unwrap_or(true),
                _ => {
                    let mut valid = VARIABLE_ATTRIBUTES.to_vec();
                    valid.push("validation {}");
                    self.unknown_attribute(attribute, &context, &valid);
                }
            }
        }
        for nested in &block.body.blocks {
            if nested.ident == "validation" {
                if let Some(validation) = self.validation(nested, &context) {
                    variable.validations.push(validation);
                }
            } else {
                self.unknown_block(nested, &context, &["validation"]);
            }
        }
        if self.define(DefinitionKind::Variable, &name, &name_span) {
            self.spec.variables.push(variable);
        }
    }

    fn validation(&mut self, block: &Block, context: &str) -> Option<Validation> {
        let validation_context = format!("a validation of {context}");
        for attribute in &block.body.attributes {
            if !VALIDATION_ATTRIBUTES.contains(&attribute.name.as_str()) {
                self.unknown_attribute(attribute, &validation_context, VALIDATION_ATTRIBUTES);
            }
        }
        for nested in &block.body.blocks {
            self.unknown_block(nested, &validation_context, &[]);
        }
        let condition = block.body.attribute("condition");
        let error_message = block.body.attribute("error_message");
        for (present, name) in [
            (condition.is_some(), "condition"),
            (error_message.is_some(), "error_message"),
        ] {
            if !present {
                self.error(
                    Diagnostic::error(
                        format!("validation of {context} has no `{name}`"),
                        Some(block.ident_span.clone()),
                    )
                    .with_label(format!("`{name}` missing"))
                    .with_hint(
                        "a validation needs both `condition = <bool expression>` and \
                         `error_message = \"...\"`",
                    ),
                );
            }
        }
        Some(Validation {
            condition: condition?.expr.clone(),
            error_message: error_message?.expr.clone(),
            span: block.span.clone(),
        })
    }

    fn locals(&mut self, block: Block) {
        if !block.labels.is_empty() {
            self.error(
                Diagnostic::error(
                    "`locals` block takes no labels",
                    Some(block.labels[0].1.clone()),
                )
                .with_label("unexpected label")
                .with_hint("write `locals { name = value }`"),
            );
        }
        for nested in &block.body.blocks {
            self.unknown_block(nested, "a locals block", &[]);
        }
        for attribute in block.body.attributes {
            if self.define(DefinitionKind::Local, &attribute.name, &attribute.name_span) {
                self.spec.locals.push(attribute);
            }
        }
    }

    fn resource(&mut self, block: Block) {
        self.resource_or_data(block, false)
    }

    /// `data "type" "name" { ... }`: the same meta-arguments as a resource (`count`,
    /// `for_each`, `depends_on`, `provider`), kept in `spec.data_sources`.
    fn data(&mut self, block: Block) {
        self.resource_or_data(block, true)
    }

    fn resource_or_data(&mut self, block: Block, data: bool) {
        let Some(labels) = self.labels(&block, &["type", "name"]) else {
            return;
        };
        let (type_name, type_span) = labels[0].clone();
        let (name, name_span) = labels[1].clone();
        let address = if data {
            format!("data.{type_name}.{name}")
        } else {
            format!("{type_name}.{name}")
        };
        let context = if data {
            format!("data source {address}")
        } else {
            format!("resource {address}")
        };
        let mut resource = ResourceBlock {
            type_name,
            type_span,
            name,
            name_span: name_span.clone(),
            count: None,
            for_each: None,
            depends_on: Vec::new(),
            lifecycle: Lifecycle::default(),
            provider: None,
            body: Body::default(),
            span: block.span.clone(),
        };

        let mut count_name_span = None;
        let mut for_each_name_span = None;
        for attribute in block.body.attributes {
            match attribute.name.as_str() {
                "count" => {
                    count_name_span = Some(attribute.name_span.clone());
                    resource.count = Some(attribute.expr);
                }
                "for_each" => {
                    for_each_name_span = Some(attribute.name_span.clone());
                    resource.for_each = Some(attribute.expr);
                }
                "depends_on" => resource.depends_on = self.depends_on(&attribute),
                "provider" => match parse_provider_reference(&attribute.expr) {
                    Ok(reference) => resource.provider = Some(reference),
                    Err(diagnostic) => self.error(diagnostic),
                },
                _ => resource.body.attributes.push(attribute),
            }
        }
        if let (Some(count_span), Some(for_each_span)) = (count_name_span, for_each_name_span) {
            let (first, second) = if count_span.range.start < for_each_span.range.start {
                (count_span, for_each_span)
            } else {
                (for_each_span, count_span)
            };
            let first_name = &self.sources.file(first.file).text[first.range.clone()];
            let (line, column) = self.sources.line_col(first.file, first.range.start);
            let note = format!("`{first_name}` is set at line {line}, column {column}");
            self.error(
                Diagnostic::error(
                    format!("{context} sets both `count` and `for_each`"),
                    Some(second),
                )
                .with_label("only one of the two may be set")
                .with_note(note)
                .with_hint(
                    "use `count` for n identical copies, `for_each` for one per map key or \
                     set element: not both",
                ),
            );
        }

        let mut lifecycle_seen: Option<SourceSpan> = None;
        for nested in block.body.blocks {
            match nested.ident.as_str() {
                "lifecycle" => {
                    if let Some(first) = &lifecycle_seen {
                        let (line, column) = self.sources.line_col(first.file, first.range.start);
                        self.error(
                            Diagnostic::error(
                                format!("{context} has more than one `lifecycle` block"),
                                Some(nested.ident_span.clone()),
                            )
                            .with_label("defined again here")
                            .with_note(format!("first `lifecycle` at line {line}, column {column}"))
                            .with_hint("merge the settings into one `lifecycle` block"),
                        );
                        continue;
                    }
                    lifecycle_seen = Some(nested.ident_span.clone());
                    resource.lifecycle = self.lifecycle(&nested, &context);
                }
                "provisioner" | "connection" => self.error(
                    Diagnostic::error(
                        format!("`{}` blocks are not supported", nested.ident),
                        Some(nested.ident_span.clone()),
                    )
                    .with_label("not supported")
                    .with_hint("this engine creates cloud resources only: configure instances with user_data or an image"),
                ),
                _ => resource.body.blocks.push(nested),
            }
        }

        if self.define(DefinitionKind::Resource, &address, &name_span) {
            if data {
                self.spec.data_sources.push(resource);
            } else {
                self.spec.resources.push(resource);
            }
        }
    }

    /// `depends_on = [aws_vpc.main, ...]`: each entry a `type.name` reference.
    fn depends_on(&mut self, attribute: &Attribute) -> Vec<Expr> {
        let hint = "depends_on lists resources by address, like `depends_on = [aws_vpc.main]`";
        let ExprKind::Array(items) = &attribute.expr.kind else {
            self.error(
                Diagnostic::error(
                    "`depends_on` must be a list of resource references",
                    Some(attribute.expr.span.clone()),
                )
                .with_label("not a list")
                .with_hint(hint),
            );
            return Vec::new();
        };
        let mut references = Vec::new();
        for item in items {
            if is_resource_reference(item) {
                references.push(item.clone());
            } else {
                self.error(
                    Diagnostic::error("invalid `depends_on` entry", Some(item.span.clone()))
                        .with_label("not a resource reference")
                        .with_hint(hint),
                );
            }
        }
        references
    }

    fn lifecycle(&mut self, block: &Block, context: &str) -> Lifecycle {
        let lifecycle_context = format!("the lifecycle of {context}");
        let mut lifecycle = Lifecycle::default();
        for attribute in &block.body.attributes {
            match attribute.name.as_str() {
                "prevent_destroy" => {
                    lifecycle.prevent_destroy = self.literal_bool(attribute).unwrap_or(false)
                }
                "create_before_destroy" => {
                    lifecycle.create_before_destroy = self.literal_bool(attribute).unwrap_or(false)
                }
                "ignore_changes" => self.ignore_changes(attribute, &mut lifecycle),
                _ => self.unknown_attribute(attribute, &lifecycle_context, LIFECYCLE_ATTRIBUTES),
            }
        }
        for nested in &block.body.blocks {
            self.unknown_block(nested, &lifecycle_context, &[]);
        }
        lifecycle
    }

    /// `ignore_changes = all` or `[tags, "name", tags["Name"]]` (top-level names are kept).
    fn ignore_changes(&mut self, attribute: &Attribute, lifecycle: &mut Lifecycle) {
        let hint =
            "write `ignore_changes = [tags, ...]` with attribute names, or `ignore_changes = all`";
        match &attribute.expr.kind {
            ExprKind::Variable(name) if name == "all" => lifecycle.ignore_all_changes = true,
            ExprKind::String(text) if text == "all" => lifecycle.ignore_all_changes = true,
            ExprKind::Array(items) => {
                for item in items {
                    match attribute_name_of(item) {
                        Some(name) => lifecycle.ignore_changes.push((name, item.span.clone())),
                        None => self.error(
                            Diagnostic::error(
                                "invalid `ignore_changes` entry",
                                Some(item.span.clone()),
                            )
                            .with_label("not an attribute name")
                            .with_hint(hint),
                        ),
                    }
                }
            }
            _ => self.error(
                Diagnostic::error(
                    "`ignore_changes` must be a list of attribute names or `all`",
                    Some(attribute.expr.span.clone()),
                )
                .with_label("not a list")
                .with_hint(hint),
            ),
        }
    }

    fn module(&mut self, block: Block) {
        let Some(labels) = self.labels(&block, &["name"]) else {
            return;
        };
        let (name, name_span) = labels[0].clone();
        let context = format!("module.{name}");
        let mut source: Option<(String, SourceSpan)> = None;
        let mut version: Option<SourceSpan> = None;
        let mut call = ModuleCall {
            name: name.clone(),
            name_span: name_span.clone(),
            source: String::new(),
            source_span: block.ident_span.clone(),
            count: None,
            for_each: None,
            depends_on: Vec::new(),
            providers: std::collections::BTreeMap::new(),
            arguments: Vec::new(),
            module: Box::default(),
            span: block.span.clone(),
        };
        let mut count_span = None;
        let mut for_each_span = None;
        for attribute in &block.body.attributes {
            match attribute.name.as_str() {
                "source" => {
                    if let Some(text) = self.literal_string(attribute) {
                        source = Some((text, attribute.expr.span.clone()));
                    }
                }
                "version" => {
                    self.literal_string(attribute);
                    version = Some(attribute.expr.span.clone());
                }
                "count" => {
                    count_span = Some(attribute.name_span.clone());
                    call.count = Some(attribute.expr.clone());
                }
                "for_each" => {
                    for_each_span = Some(attribute.name_span.clone());
                    call.for_each = Some(attribute.expr.clone());
                }
                "depends_on" => call.depends_on = self.depends_on(attribute),
                "providers" => call.providers = self.providers_mapping(attribute),
                _ => call.arguments.push(attribute.clone()),
            }
        }
        if let (Some(count_span), Some(for_each_span)) = (count_span, for_each_span) {
            let (first, second) = if count_span.range.start < for_each_span.range.start {
                (count_span, for_each_span)
            } else {
                (for_each_span, count_span)
            };
            let first_name = &self.sources.file(first.file).text[first.range.clone()];
            let (line, column) = self.sources.line_col(first.file, first.range.start);
            self.error(
                Diagnostic::error(format!("{context} sets both `count` and `for_each`"), Some(second))
                    .with_label("only one of the two may be set")
                    .with_note(format!("`{first_name}` is set at line {line}, column {column}"))
                    .with_hint("use `count` for n identical copies, `for_each` for one per map key or set element: not both"),
            );
        }
        for nested in &block.body.blocks {
            let hint = if nested.ident == "lifecycle" {
                "`lifecycle` is reserved on module calls: set it on the module's resources"
            } else {
                "a module call takes `source`, meta-arguments and the module's input variables as attributes"
            };
            self.error(
                Diagnostic::error(
                    format!("unexpected block `{}` in {context}", nested.ident),
                    Some(nested.ident_span.clone()),
                )
                .with_label("unexpected block")
                .with_hint(hint),
            );
        }
        let Some((source, source_span)) = source else {
            if block.body.attribute("source").is_none() {
                self.error(
                    Diagnostic::error(format!("{context} has no `source`"), Some(name_span.clone()))
                        .with_label("`source` missing")
                        .with_hint("add `source = \"./modules/<folder>\"`: the folder that holds the module's `.tf` files"),
                );
            }
            return;
        };
        let local = source.starts_with("./") || source.starts_with("../");
        if let (true, Some(span)) = (local, version) {
            self.error(
                Diagnostic::error(
                    format!("{context}: `version` needs a registry source"),
                    Some(span),
                )
                .with_label("a local module has no version")
                .with_hint("remove `version`: a local folder is used as it is"),
            );
        }
        call.source = source;
        call.source_span = source_span;
        if self.define(DefinitionKind::Module, &name, &name_span) {
            self.spec.modules.push(call);
        }
    }

    /// `providers = { aws = aws.west, "aws.east" = aws }`: the module's configuration key and
    /// the caller's configuration it stands for.
    fn providers_mapping(
        &mut self,
        attribute: &Attribute,
    ) -> std::collections::BTreeMap<String, ProviderReference> {
        let hint = "write `providers = { aws = aws.<alias> }`: the module's provider name = a configuration of the caller";
        let mut mapping = std::collections::BTreeMap::new();
        let ExprKind::Object(entries) = &attribute.expr.kind else {
            self.error(
                Diagnostic::error(
                    "`providers` must be a map of provider configurations",
                    Some(attribute.expr.span.clone()),
                )
                .with_label("not a map")
                .with_hint(hint),
            );
            return mapping;
        };
        for (key, value) in entries {
            let name = match &key.kind {
                ExprKind::String(text) | ExprKind::Variable(text) => Some(text.clone()),
                _ => reference_text(key),
            };
            match (name, parse_provider_reference(value)) {
                (Some(name), Ok(reference)) => {
                    mapping.insert(name, reference);
                }
                (None, _) => self.error(
                    Diagnostic::error("invalid `providers` entry", Some(key.span.clone()))
                        .with_label("not a provider configuration")
                        .with_hint(hint),
                ),
                (Some(_), Err(_)) => self.error(
                    Diagnostic::error("invalid `providers` entry", Some(value.span.clone()))
                        .with_label("not a provider configuration")
                        .with_hint(hint),
                ),
            }
        }
        mapping
    }

    fn moved(&mut self, block: Block) {
        if !block.labels.is_empty() {
            self.error(
                Diagnostic::error(
                    "`moved` block takes no labels",
                    Some(block.labels[0].1.clone()),
                )
                .with_label("unexpected label")
                .with_hint("write `moved { from = <old address>  to = <new address> }`"),
            );
        }
        for attribute in &block.body.attributes {
            if attribute.name != "from" && attribute.name != "to" {
                self.unknown_attribute(attribute, "a moved block", &["from", "to"]);
            }
        }
        for nested in &block.body.blocks {
            self.unknown_block(nested, "a moved block", &[]);
        }
        let endpoint = |interpreter: &mut Self, name: &str| -> Option<MoveEndpoint> {
            let Some(attribute) = block.body.attribute(name) else {
                interpreter.error(
                    Diagnostic::error(
                        format!("moved block has no `{name}`"),
                        Some(block.ident_span.clone()),
                    )
                    .with_label(format!("`{name}` missing"))
                    .with_hint(
                        "a moved block needs `from = <old address>` and `to = <new address>`",
                    ),
                );
                return None;
            };
            let endpoint = move_endpoint(&attribute.expr);
            if endpoint.is_none() {
                interpreter.error(
                    Diagnostic::error(format!("invalid `{name}` address in a moved block"), Some(attribute.expr.span.clone()))
                        .with_label("not a resource or module address")
                        .with_hint("write an address without quotes: `aws_vpc.main`, `aws_subnet.private[0]`, `module.network`, `module.network.aws_vpc.main`"),
                );
            }
            endpoint
        };
        let from = endpoint(self, "from");
        let to = endpoint(self, "to");
        let (Some(from), Some(to)) = (from, to) else {
            return;
        };
        if from.resource.is_some() != to.resource.is_some() {
            self.error(
                Diagnostic::error(
                    "a moved block moves a resource to a resource, or a module to a module",
                    Some(to.span.clone()),
                )
                .with_label(if to.resource.is_some() {
                    "a resource"
                } else {
                    "a module"
                })
                .with_note(format!("`from` is {}", from.text))
                .with_hint("name the same kind of object on both sides"),
            );
            return;
        }
        if let (Some((from_type, ..)), Some((to_type, ..))) = (&from.resource, &to.resource) {
            if from_type != to_type {
                self.error(
                    Diagnostic::error(format!("a moved block cannot change the resource type ({from_type} to {to_type})"), Some(to.span.clone()))
                        .with_label("another type")
                        .with_hint("moved keeps the cloud object: it renames the address, the type stays"),
                );
                return;
            }
        }
        if from.text == to.text {
            self.error(
                Diagnostic::error(
                    "a moved block's `from` and `to` are the same address",
                    Some(to.span.clone()),
                )
                .with_hint("remove the block, or name the old address in `from`"),
            );
            return;
        }
        self.spec.moved.push(MovedBlock {
            from,
            to,
            span: block.span.clone(),
        });
    }

    /// `import { to = ADDRESS  id = "..."  provider = aws.x }`: `to` must be a resource instance
    /// address written without quotes (keys literal), `id` any expression known at plan time.
    fn import(&mut self, block: Block) {
        const HINT: &str = "write `import { to = aws_vpc.main  id = \"vpc-0abc\" }`";
        if !self.is_root {
            self.error(
                Diagnostic::error(
                    "an import block can only be in the root module",
                    Some(block.ident_span.clone()),
                )
                .with_label("inside a module")
                .with_hint("move it to the root module and name the module in `to`: `to = module.network.aws_vpc.main`"),
            );
            return;
        }
        if !block.labels.is_empty() {
            self.error(
                Diagnostic::error(
                    "`import` block takes no labels",
                    Some(block.labels[0].1.clone()),
                )
                .with_label("unexpected label")
                .with_hint(HINT),
            );
        }
        for attribute in &block.body.attributes {
            if !matches!(attribute.name.as_str(), "to" | "id" | "provider") {
                self.unknown_attribute(attribute, "an import block", &["to", "id", "provider"]);
            }
        }
        for nested in &block.body.blocks {
            self.unknown_block(nested, "an import block", &[]);
        }
        let missing = |interpreter: &mut Self, name: &str| {
            interpreter.error(
                Diagnostic::error(
                    format!("import block has no `{name}`"),
                    Some(block.ident_span.clone()),
                )
                .with_label(format!("`{name}` missing"))
                .with_hint(HINT),
            );
        };
        let to = match block.body.attribute("to") {
            None => {
                missing(self, "to");
                None
            }
            Some(attribute) => match move_endpoint(&attribute.expr) {
                Some(endpoint) if endpoint.resource.is_some() => Some(endpoint),
                _ => {
                    self.error(
                        Diagnostic::error("invalid `to` address in an import block", Some(attribute.expr.span.clone()))
                            .with_label("not a resource instance address")
                            .with_hint("write a resource address without quotes, keys as literals: `aws_vpc.main`, `aws_subnet.private[0]`, `module.network.aws_subnet.private[\"a\"]`"),
                    );
                    None
                }
            },
        };
        let id = match block.body.attribute("id") {
            None => {
                missing(self, "id");
                None
            }
            Some(attribute) => Some(attribute.expr.clone()),
        };
        let mut provider = None;
        let mut provider_span = None;
        if let Some(attribute) = block.body.attribute("provider") {
            match parse_provider_reference(&attribute.expr) {
                Ok(reference) => {
                    provider = Some(reference);
                    provider_span = Some(attribute.expr.span.clone());
                }
                Err(diagnostic) => self.error(diagnostic),
            }
        }
        let (Some(to), Some(id)) = (to, id) else {
            return;
        };
        if self
            .spec
            .imports
            .iter()
            .any(|earlier| earlier.to.text == to.text)
        {
            self.error(
                Diagnostic::error(
                    format!("two import blocks import to {}", to.text),
                    Some(to.span.clone()),
                )
                .with_label("imported a second time")
                .with_hint("an address holds one cloud object: remove one of the blocks"),
            );
            return;
        }
        self.spec.imports.push(ImportBlock {
            to,
            id,
            provider,
            provider_span,
            span: block.span.clone(),
        });
    }

    fn output(&mut self, block: Block) {
        let Some(labels) = self.labels(&block, &["name"]) else {
            return;
        };
        let (name, name_span) = labels[0].clone();
        let context = format!("output \"{name}\"");
        let mut value = None;
        let mut sensitive = false;
        let mut description = None;
        for attribute in &block.body.attributes {
            match attribute.name.as_str() {
                "value" => value = Some(attribute.expr.clone()),
                "sensitive" => sensitive = self.literal_bool(attribute).unwrap_or(false),
                "description" => description = self.literal_string(attribute),
                _ => self.unknown_attribute(attribute, &context, OUTPUT_ATTRIBUTES),
            }
        }
        for nested in &block.body.blocks {
            self.unknown_block(nested, &context, &[]);
        }
        let Some(value) = value else {
            self.error(
                Diagnostic::error(format!("{context} has no value"), Some(name_span.clone()))
                    .with_label("`value` missing")
                    .with_hint("add `value = <expression>` to the output block"),
            );
            return;
        };
        if self.define(DefinitionKind::Output, &name, &name_span) {
            self.spec.outputs.push(OutputBlock {
                name,
                name_span,
                value,
                sensitive,
                description,
                span: block.span.clone(),
            });
        }
    }

    fn provider(&mut self, block: Block) {
        let Some(labels) = self.labels(&block, &["name"]) else {
            return;
        };
        if !self.is_root {
            self.error(
                Diagnostic::error(
                    "provider configurations belong in the root module",
                    Some(block.ident_span.clone()),
                )
                .with_label("in a called module")
                .with_hint(
                    "configure the provider in the root folder; a module uses the caller's \
                     configuration, or the one its call names with `providers = { aws = aws.<alias> }`",
                ),
            );
            return;
        }
        let (name, name_span) = labels[0].clone();
        if name != "aws" {
            self.error(
                Diagnostic::error(
                    format!("unknown provider `{name}`"),
                    Some(name_span.clone()),
                )
                .with_label("not a built-in provider")
                .with_hint(
                    "only the aws provider is built in: `provider \"aws\" { region = ... }`",
                ),
            );
            return;
        }
        let context = "provider \"aws\"";
        let mut provider = ProviderBlock {
            span: Some(block.span.clone()),
            ..ProviderBlock::default()
        };
        for attribute in block.body.attributes {
            let name = attribute.name.as_str();
            if name == "alias" {
                match &attribute.expr.kind {
                    ExprKind::String(alias) if is_identifier(alias) => {
                        provider.alias = Some(alias.clone());
                        provider.alias_span = Some(attribute.expr.span.clone());
                    }
                    _ => self.error(
                        Diagnostic::error(
                            "`alias` must be a literal name",
                            Some(attribute.expr.span.clone()),
                        )
                        .with_label("not a name")
                        .with_hint(
                            "write `alias = \"west\"` and refer to it as `provider = aws.west`",
                        ),
                    ),
                }
            } else if PROVIDER_ATTRIBUTES.contains(&name) {
                provider.arguments.push(attribute);
            } else if PROVIDER_UNSUPPORTED_ATTRIBUTES.contains(&name) {
                self.not_supported_yet(&attribute.name, &attribute.name_span, context);
            } else {
                let mut valid = PROVIDER_ATTRIBUTES.to_vec();
                valid.push("alias");
                self.unknown_attribute(&attribute, context, &valid);
            }
        }
        for nested in block.body.blocks {
            match nested.ident.as_str() {
                "default_tags" => {
                    for attribute in &nested.body.attributes {
                        if attribute.name == "tags" {
                            provider.default_tags = Some(attribute.expr.clone());
                        } else {
                            self.unknown_attribute(attribute, "default_tags", &["tags"]);
                        }
                    }
                    for inner in &nested.body.blocks {
                        self.unknown_block(inner, "default_tags", &[]);
                    }
                }
                "assume_role" => {
                    let mut arguments = Vec::new();
                    for attribute in nested.body.attributes {
                        let name = attribute.name.as_str();
                        if ASSUME_ROLE_ATTRIBUTES.contains(&name) {
                            arguments.push(attribute);
                        } else if ASSUME_ROLE_UNSUPPORTED_ATTRIBUTES.contains(&name) {
                            self.not_supported_yet(
                                &attribute.name,
                                &attribute.name_span,
                                "assume_role",
                            );
                        } else {
                            self.unknown_attribute(
                                &attribute,
                                "assume_role",
                                ASSUME_ROLE_ATTRIBUTES,
                            );
                        }
                    }
                    for inner in &nested.body.blocks {
                        self.unknown_block(inner, "assume_role", &[]);
                    }
                    if provider.assume_role.is_some() {
                        self.error(
                            Diagnostic::error(
                                "more than one `assume_role` block",
                                Some(nested.ident_span.clone()),
                            )
                            .with_hint("a provider configuration assumes one role: keep one block"),
                        );
                    }
                    provider.assume_role = Some(arguments);
                }
                "endpoints" => {
                    provider.endpoints.extend(nested.body.attributes);
                    for inner in &nested.body.blocks {
                        self.unknown_block(inner, "endpoints", &[]);
                    }
                }
                "ignore_tags" => {
                    for attribute in nested.body.attributes {
                        if ["keys", "key_prefixes"].contains(&attribute.name.as_str()) {
                            provider.ignore_tags.push(attribute);
                        } else {
                            self.unknown_attribute(
                                &attribute,
                                "ignore_tags",
                                &["keys", "key_prefixes"],
                            );
                        }
                    }
                    for inner in &nested.body.blocks {
                        self.unknown_block(inner, "ignore_tags", &[]);
                    }
                }
                "assume_role_with_web_identity" => {
                    self.not_supported_yet(&nested.ident, &nested.ident_span, context)
                }
                _ => self.unknown_block(
                    &nested,
                    context,
                    &["assume_role", "default_tags", "endpoints", "ignore_tags"],
                ),
            }
        }
        let key = provider.configuration_key();
        let span = provider.alias_span.clone().unwrap_or(name_span);
        if self.define(DefinitionKind::Provider, &key, &span) {
            self.spec.providers.push(provider);
        }
    }

    /// `error: <context>: argument `name` is not supported by provision yet`.
    fn not_supported_yet(&mut self, name: &str, span: &SourceSpan, context: &str) {
        self.error(
            Diagnostic::error(
                format!("{context}: argument `{name}` is not supported by provision yet"),
                Some(span.clone()),
            )
            .with_label("Terraform has it; provision does not yet")
            .with_hint("remove it; the README lists the provider arguments provision honours"),
        );
    }
}

/// A valid HCL identifier (an alias must be one: it is used as `aws.<alias>`).
fn is_identifier(text: &str) -> bool {
    let mut characters = text.chars();
    characters
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && characters.all(|character| character.is_ascii_alphanumeric() || "_-".contains(character))
}

/// `aws_vpc.main` (a root name and at least one attribute, no index or splat).
fn is_resource_reference(expr: &Expr) -> bool {
    match &expr.kind {
        ExprKind::Traversal { base, operators } => {
            matches!(base.kind, ExprKind::Variable(_))
                && !operators.is_empty()
                && operators
                    .iter()
                    .all(|operator| matches!(operator, TraversalOperator::GetAttr(..)))
        }
        _ => false,
    }
}

/// `aws.west` as text, for a reference made of names only.
fn reference_text(expr: &Expr) -> Option<String> {
    let ExprKind::Traversal { base, operators } = &expr.kind else {
        return None;
    };
    let ExprKind::Variable(root) = &base.kind else {
        return None;
    };
    let mut text = root.clone();
    for operator in operators {
        let TraversalOperator::GetAttr(name, _) = operator else {
            return None;
        };
        text.push('.');
        text.push_str(name);
    }
    Some(text)
}

/// A `moved` endpoint from its reference expression: `aws_vpc.main`, `aws_subnet.x[0]`,
/// `module.network`, `module.vpc["a"].aws_vpc.main`. Keys must be literals.
fn move_endpoint(expr: &Expr) -> Option<MoveEndpoint> {
    let (root, operators) = match &expr.kind {
        ExprKind::Traversal { base, operators } => match &base.kind {
            ExprKind::Variable(root) => (root.clone(), operators.as_slice()),
            _ => return None,
        },
        _ => return None,
    };
    let mut steps: Vec<(String, InstanceKey)> = vec![(root, InstanceKey::None)];
    for operator in operators {
        match operator {
            TraversalOperator::GetAttr(name, _) => steps.push((name.clone(), InstanceKey::None)),
            TraversalOperator::Index(index) => {
                let last = steps.last_mut()?;
                if last.1 != InstanceKey::None {
                    return None;
                }
                last.1 = match &index.kind {
                    ExprKind::Number(number) if number.fract() == 0.0 && *number >= 0.0 => {
                        InstanceKey::Index(*number as i64)
                    }
                    ExprKind::String(text) => InstanceKey::Key(text.clone()),
                    ExprKind::Template(parts) => match parts.as_slice() {
                        [TemplatePart::Literal(text)] => InstanceKey::Key(text.clone()),
                        [] => InstanceKey::Key(String::new()),
                        _ => return None,
                    },
                    _ => return None,
                };
            }
            _ => return None,
        }
    }
    let mut module = Vec::new();
    let mut rest = steps.as_slice();
    loop {
        match rest {
            [(word, InstanceKey::None), (name, key), tail @ ..] if word == "module" => {
                module.push(ModuleStep {
                    name: name.clone(),
                    key: key.clone(),
                });
                rest = tail;
                if tail.is_empty() {
                    break;
                }
            }
            _ => break,
        }
    }
    let resource = match rest {
        [] => None,
        [(type_name, InstanceKey::None), (name, key)] if type_name != "module" => {
            Some((type_name.clone(), name.clone(), key.clone()))
        }
        _ => return None,
    };
    let mut text = crate::address::module_path_text(&module);
    if let Some((type_name, name, key)) = &resource {
        if !text.is_empty() {
            text.push('.');
        }
        text.push_str(&format!("{type_name}.{name}{key}"));
    }
    if text.is_empty() {
        return None;
    }
    Some(MoveEndpoint {
        module,
        resource,
        text,
        span: expr.span.clone(),
    })
}

/// The top-level attribute name an `ignore_changes` entry names: `tags`, `tags["Name"]`,
/// `"tags"`.
fn attribute_name_of(expr: &Expr) -> Option<String> {
    match &expr.kind {
        ExprKind::Variable(name) => Some(name.clone()),
        ExprKind::String(name) => Some(name.clone()),
        ExprKind::Traversal { base, .. } => match &base.kind {
            ExprKind::Variable(name) => Some(name.clone()),
            _ => None,
        },
        ExprKind::Template(parts) => match parts.as_slice() {
            [TemplatePart::Literal(name)] => Some(name.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// The candidate closest to `name` by edit distance, when it is a plausible typo.
fn closest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|candidate| (edit_distance(name, candidate), *candidate))
        .filter(|(distance, candidate)| *distance <= (candidate.len() / 3).max(1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

fn edit_distance(left: &str, right: &str) -> usize {
    let right: Vec<char> = right.chars().collect();
    let mut previous: Vec<usize> = (0..=right.len()).collect();
    for (left_index, left_char) in left.chars().enumerate() {
        let mut current = vec![left_index + 1];
        for (right_index, right_char) in right.iter().enumerate() {
            let substitution = previous[right_index] + usize::from(left_char != *right_char);
            let deletion = previous[right_index + 1] + 1;
            let insertion = current[right_index] + 1;
            current.push(substitution.min(deletion).min(insertion));
        }
        previous = current;
    }
    previous[right.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostic;

    fn folder_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let directory = tempfile::tempdir().expect("temporary folder");
        for (name, text) in files {
            std::fs::write(directory.path().join(name), text).expect("write spec file");
        }
        directory
    }

    fn load(files: &[(&str, &str)]) -> (Spec, Diagnostics) {
        let directory = folder_with(files);
        load_spec(directory.path())
    }

    fn errors_of(diagnostics: &Diagnostics) -> Vec<&Diagnostic> {
        diagnostics
            .items
            .iter()
            .filter(|item| item.is_error())
            .collect()
    }

    fn only_error(diagnostics: &Diagnostics) -> &Diagnostic {
        let errors = errors_of(diagnostics);
        assert_eq!(errors.len(), 1, "expected one error, got {errors:#?}");
        errors[0]
    }

    fn position(spec: &Spec, span: &SourceSpan) -> (String, usize, usize) {
        let (line, column) = spec.sources.line_col(span.file, span.range.start);
        let name = spec
            .sources
            .file(span.file)
            .path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        (name, line, column)
    }

    const NETWORK: &str = r#"
variable "cidr" {
  type        = string
  default     = "10.0.0.0/16"
  description = "The VPC range"
  sensitive   = false
  nullable    = false

  validation {
    condition     = can(cidrhost(var.cidr, 0))
    error_message = "cidr must be a CIDR block"
  }
}

locals {
  name = "edge"
}

resource "aws_vpc" "main" {
  cidr_block = var.cidr
  tags = {
    Name = local.name
  }
}

resource "aws_subnet" "public" {
  count      = 2
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(var.cidr, 8, count.index)
  provider   = aws
  depends_on = [aws_vpc.main]

  lifecycle {
    prevent_destroy       = true
    create_before_destroy = true
    ignore_changes        = [tags, "map_public_ip_on_launch", tags["Name"]]
  }
}

output "vpc_id" {
  value       = aws_vpc.main.id
  description = "the VPC"
  sensitive   = true
}

provider "aws" {
  region  = "eu-west-1"
  profile = "dev"
  default_tags {
    tags = { Project = "edgemind" }
  }
}

terraform {
  required_version = ">= 1.5"
}
"#;

    #[test]
    fn a_full_spec_is_interpreted() {
        let (spec, diagnostics) = load(&[("network.tf", NETWORK)]);
        assert!(diagnostics.is_empty(), "{:#?}", diagnostics.items);

        assert_eq!(spec.variables.len(), 1);
        let variable = &spec.variables[0];
        assert_eq!(variable.name, "cidr");
        assert_eq!(
            position(&spec, &variable.name_span),
            ("network.tf".into(), 2, 10)
        );
        assert_eq!(
            variable.type_constraint.as_ref().map(|expr| &expr.kind),
            Some(&ExprKind::Variable("string".into()))
        );
        assert_eq!(
            variable.default.as_ref().map(|expr| &expr.kind),
            Some(&ExprKind::String("10.0.0.0/16".into()))
        );
        assert_eq!(variable.description.as_deref(), Some("The VPC range"));
        assert!(!variable.sensitive);
        assert!(!variable.nullable);
        assert_eq!(variable.validations.len(), 1);
        assert_eq!(
            variable.validations[0].error_message.kind,
            ExprKind::String("cidr must be a CIDR block".into())
        );

        assert_eq!(spec.locals.len(), 1);
        assert_eq!(spec.locals[0].name, "name");

        assert_eq!(spec.resources.len(), 2);
        let vpc = &spec.resources[0];
        assert_eq!(vpc.address(), "aws_vpc.main");
        assert!(vpc.body.attribute("cidr_block").is_some());
        assert!(vpc.body.attribute("tags").is_some());

        let subnet = &spec.resources[1];
        assert_eq!(subnet.address(), "aws_subnet.public");
        assert_eq!(
            subnet.count.as_ref().map(|expr| &expr.kind),
            Some(&ExprKind::Number(2.0))
        );
        assert!(subnet.for_each.is_none());
        assert_eq!(subnet.depends_on.len(), 1);
        assert_eq!(
            subnet.depends_on[0].references()[0].parts,
            vec!["aws_vpc", "main"]
        );
        for meta in ["count", "depends_on", "provider", "lifecycle"] {
            assert!(subnet.body.attribute(meta).is_none(), "{meta} left in body");
        }
        assert!(subnet.body.blocks_named("lifecycle").next().is_none());
        let body_names: Vec<&str> = subnet
            .body
            .attributes
            .iter()
            .map(|attribute| attribute.name.as_str())
            .collect();
        assert_eq!(body_names, vec!["vpc_id", "cidr_block"]);
        assert!(subnet.lifecycle.prevent_destroy);
        assert!(subnet.lifecycle.create_before_destroy);
        assert!(!subnet.lifecycle.ignore_all_changes);
        let ignored: Vec<&str> = subnet
            .lifecycle
            .ignore_changes
            .iter()
            .map(|(name, _)| name.as_str())
            .collect();
        assert_eq!(ignored, vec!["tags", "map_public_ip_on_launch", "tags"]);

        assert_eq!(spec.outputs.len(), 1);
        let output = &spec.outputs[0];
        assert_eq!(output.name, "vpc_id");
        assert!(output.sensitive);
        assert_eq!(output.description.as_deref(), Some("the VPC"));
        assert_eq!(
            output.value.references()[0].parts,
            vec!["aws_vpc", "main", "id"]
        );

        let provider = spec.default_provider().expect("provider block");
        assert_eq!(
            provider
                .argument("region")
                .map(|attribute| &attribute.expr.kind),
            Some(&ExprKind::String("eu-west-1".into()))
        );
        assert!(provider.argument("profile").is_some());
        assert!(matches!(
            provider.default_tags.as_ref().map(|expr| &expr.kind),
            Some(ExprKind::Object(_))
        ));
        assert!(provider.span.is_some());
        assert_eq!(spec.hash.len(), 64);
    }

    #[test]
    fn resource_attribute_spans_point_into_the_file() {
        let text = "resource \"aws_vpc\" \"main\" {\n  enable_dns_support = true\n  cidr = \"10.0.0.0/16\"\n}\n";
        let (spec, diagnostics) = load(&[("main.tf", text)]);
        assert!(diagnostics.is_empty(), "{:#?}", diagnostics.items);
        let cidr = spec.resources[0].body.attribute("cidr").expect("cidr");
        assert_eq!(position(&spec, &cidr.name_span), ("main.tf".into(), 3, 3));
        assert_eq!(
            position(&spec, &spec.resources[0].type_span),
            ("main.tf".into(), 1, 10)
        );
    }

    #[test]
    fn files_are_read_in_name_order_and_sub_folders_skipped() {
        let directory = folder_with(&[
            ("b.tf", "locals {\n  second = 2\n}\n"),
            ("a.hcl", "locals {\n  first = 1\n}\n"),
            ("notes.txt", "not a spec"),
            ("values.tfvars", "x = 1\n"),
        ]);
        std::fs::create_dir(directory.path().join("nested.tf")).expect("sub-folder");
        std::fs::create_dir(directory.path().join("modules")).expect("sub-folder");
        std::fs::write(directory.path().join("modules/x.tf"), "broken {").expect("write");
        let (spec, diagnostics) = load_spec(directory.path());
        assert!(diagnostics.is_empty(), "{:#?}", diagnostics.items);
        let paths: Vec<PathBuf> = spec
            .sources
            .files
            .iter()
            .map(|file| file.path.clone())
            .collect();
        assert_eq!(
            paths,
            vec![
                directory.path().join("a.hcl"),
                directory.path().join("b.tf")
            ]
        );
        let names: Vec<&str> = spec
            .locals
            .iter()
            .map(|local| local.name.as_str())
            .collect();
        assert_eq!(names, vec!["first", "second"]);
        assert_eq!(spec.directory, directory.path());
    }

    #[test]
    fn hash_follows_contents_and_not_the_folder_path() {
        let files = [("main.tf", "locals {\n  a = 1\n}\n")];
        let (first, _) = load(&files);
        let (second, _) = load(&files);
        assert_eq!(first.hash, second.hash);
        let (changed, _) = load(&[("main.tf", "locals {\n  a = 2\n}\n")]);
        assert_ne!(first.hash, changed.hash);
        let (renamed, _) = load(&[("other.tf", "locals {\n  a = 1\n}\n")]);
        assert_ne!(first.hash, renamed.hash);
    }

    #[test]
    fn missing_or_empty_folder_is_an_error_without_span() {
        let directory = folder_with(&[("readme.md", "# nothing")]);
        let (_, diagnostics) = load_spec(directory.path());
        let error = only_error(&diagnostics);
        assert!(error.span.is_none());
        assert!(error
            .summary
            .contains(&directory.path().display().to_string()));
        assert!(error.hint.is_some());

        let missing = directory.path().join("does-not-exist");
        let (spec, diagnostics) = load_spec(&missing);
        let error = only_error(&diagnostics);
        assert!(error.span.is_none());
        assert!(
            error.summary.contains("does-not-exist"),
            "{}",
            error.summary
        );
        assert!(error.hint.is_some());
        assert!(spec.sources.files.is_empty());
    }

    #[test]
    fn duplicates_are_reported_at_the_second_with_a_note() {
        let (spec, diagnostics) = load(&[
            ("a.tf", "resource \"aws_vpc\" \"main\" {\n  cidr_block = \"10.0.0.0/16\"\n}\nvariable \"x\" {}\noutput \"o\" {\n  value = 1\n}\nlocals {\n  l = 1\n}\n"),
            ("b.tf", "resource \"aws_vpc\" \"main\" {}\nvariable \"x\" {}\noutput \"o\" {\n  value = 2\n}\nlocals {\n  l = 2\n}\n"),
        ]);
        let errors = errors_of(&diagnostics);
        assert_eq!(errors.len(), 4, "{errors:#?}");
        let summaries: Vec<&str> = errors.iter().map(|error| error.summary.as_str()).collect();
        assert_eq!(
            summaries,
            vec![
                "duplicate resource aws_vpc.main",
                "duplicate variable x",
                "duplicate output o",
                "duplicate local value l",
            ]
        );
        let resource_error = errors[0];
        assert_eq!(resource_error.label.as_deref(), Some("defined again here"));
        let span = resource_error.span.as_ref().expect("span");
        assert_eq!(position(&spec, span), ("b.tf".into(), 1, 20));
        let first_path = spec.sources.files[0].path.display().to_string();
        assert_eq!(
            resource_error.notes,
            vec![format!("first defined at {first_path}:1:20")]
        );
        assert_eq!(
            errors[3].notes,
            vec![format!("first defined at {first_path}:9:3")]
        );
        // The first definitions are kept.
        assert_eq!(spec.resources.len(), 1);
        assert_eq!(spec.variables.len(), 1);
        assert_eq!(spec.outputs.len(), 1);
        assert_eq!(spec.locals.len(), 1);
    }

    #[test]
    fn count_and_for_each_together_is_an_error() {
        let (spec, diagnostics) = load(&[(
            "main.tf",
            "resource \"aws_subnet\" \"a\" {\n  count = 2\n  for_each = toset([\"x\"])\n}\n",
        )]);
        let error = only_error(&diagnostics);
        assert!(
            error.summary.contains("both `count` and `for_each`"),
            "{}",
            error.summary
        );
        let span = error.span.as_ref().expect("span");
        assert_eq!(position(&spec, span), ("main.tf".into(), 3, 3));
        assert_eq!(
            error.notes,
            vec!["`count` is set at line 2, column 3".to_string()]
        );
    }

    #[test]
    fn for_each_is_extracted() {
        let (spec, diagnostics) = load(&[(
            "main.tf",
            "resource \"aws_subnet\" \"a\" {\n  for_each = var.subnets\n  cidr_block = each.value\n}\n",
        )]);
        assert!(diagnostics.is_empty(), "{:#?}", diagnostics.items);
        let resource = &spec.resources[0];
        assert!(resource.for_each.is_some());
        assert!(resource.count.is_none());
        assert!(resource.body.attribute("for_each").is_none());
    }

    #[test]
    fn bad_depends_on_entries_are_errors() {
        let (_, diagnostics) = load(&[(
            "main.tf",
            "resource \"aws_subnet\" \"a\" {\n  depends_on = [aws_vpc.main, \"aws_vpc.other\", aws_vpc.x[0]]\n}\nresource \"aws_subnet\" \"b\" {\n  depends_on = aws_vpc.main\n}\n",
        )]);
        let errors = errors_of(&diagnostics);
        assert_eq!(errors.len(), 3, "{errors:#?}");
        assert_eq!(errors[0].summary, "invalid `depends_on` entry");
        assert_eq!(errors[1].summary, "invalid `depends_on` entry");
        assert!(errors[2].summary.contains("must be a list"));
        assert!(errors.iter().all(|error| error.hint.is_some()));
    }

    #[test]
    fn lifecycle_settings_must_be_literals() {
        let (_, diagnostics) = load(&[(
            "main.tf",
            "resource \"aws_s3_bucket\" \"logs\" {\n  lifecycle {\n    prevent_destroy = var.protect\n    ignore_changes = all\n    replace_triggered_by = [x]\n  }\n}\n",
        )]);
        let errors = errors_of(&diagnostics);
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert_eq!(
            errors[0].summary,
            "`prevent_destroy` must be a literal true or false"
        );
        assert!(errors[1]
            .summary
            .starts_with("unknown attribute `replace_triggered_by`"));
        assert!(errors[1]
            .hint
            .as_deref()
            .unwrap_or("")
            .contains("ignore_changes"));
    }

    #[test]
    fn ignore_changes_all_is_recognised() {
        let (spec, diagnostics) = load(&[(
            "main.tf",
            "resource \"aws_s3_bucket\" \"logs\" {\n  lifecycle {\n    ignore_changes = all\n  }\n}\n",
        )]);
        assert!(diagnostics.is_empty(), "{:#?}", diagnostics.items);
        assert!(spec.resources[0].lifecycle.ignore_all_changes);
    }

    #[test]
    fn unknown_variable_attribute_lists_the_valid_ones() {
        let (spec, diagnostics) =
            load(&[("variables.tf", "variable \"x\" {\n  typ = string\n}\n")]);
        let error = only_error(&diagnostics);
        assert_eq!(error.summary, "unknown attribute `typ` in variable \"x\"");
        let hint = error.hint.as_deref().unwrap_or("");
        assert!(hint.contains("did you mean `type`?"), "{hint}");
        assert!(
            hint.contains("default") && hint.contains("validation"),
            "{hint}"
        );
        let span = error.span.as_ref().expect("span");
        assert_eq!(position(&spec, span), ("variables.tf".into(), 2, 3));
        // The variable itself is still declared.
        assert_eq!(spec.variables.len(), 1);
        assert!(spec.variables[0].nullable);
    }

    #[test]
    fn validation_needs_condition_and_message() {
        let (spec, diagnostics) = load(&[(
            "variables.tf",
            "variable \"x\" {\n  validation {\n    condition = true\n  }\n}\n",
        )]);
        let error = only_error(&diagnostics);
        assert!(
            error.summary.contains("no `error_message`"),
            "{}",
            error.summary
        );
        assert!(spec.variables[0].validations.is_empty());
    }

    #[test]
    fn output_without_value_is_an_error() {
        let (spec, diagnostics) =
            load(&[("outputs.tf", "output \"id\" {\n  sensitive = true\n}\n")]);
        let error = only_error(&diagnostics);
        assert_eq!(error.summary, "output \"id\" has no value");
        assert!(spec.outputs.is_empty());
    }

    #[test]
    fn unsupported_blocks_are_errors_with_hints() {
        let (spec, diagnostics) = load(&[(
            "main.tf",
            "module \"network\" {\n  source = \"./network\"\n}\nresources \"aws_vpc\" \"x\" {}\nprovider \"google\" {}\n",
        )]);
        let errors = errors_of(&diagnostics);
        assert_eq!(errors.len(), 3, "{errors:#?}");
        assert_eq!(errors[0].summary, "unknown block type `resources`");
        assert_eq!(errors[0].hint.as_deref(), Some("did you mean `resource`?"));
        assert_eq!(errors[1].summary, "unknown provider `google`");
        assert!(errors[1]
            .hint
            .as_deref()
            .unwrap_or("")
            .contains("only the aws provider is built in"));
        // Modules are loaded after the calling folder: a missing folder is reported last, at
        // its `source`.
        assert!(
            errors[2]
                .summary
                .starts_with("module module.network: folder"),
            "{}",
            errors[2].summary
        );
        assert_eq!(
            position(&spec, errors[2].span.as_ref().expect("span")),
            ("main.tf".into(), 2, 12)
        );
    }

    fn folder_with_paths(files: &[(&str, &str)]) -> tempfile::TempDir {
        let directory = tempfile::tempdir().expect("temporary folder");
        for (name, text) in files {
            let path = directory.path().join(name);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("folders");
            std::fs::write(path, text).expect("write spec file");
        }
        directory
    }

    #[test]
    fn local_modules_are_loaded_with_their_own_files() {
        let directory = folder_with_paths(&[
            (
                "root/main.tf",
                "module \"network\" {\n  source   = \"../modules/network\"\n  for_each = toset([\"a\"])\n  cidr     = \"10.0.0.0/16\"\n  providers = {\n    aws = aws.west\n  }\n  depends_on = [aws_iam_role.x]\n}\n",
            ),
            (
                "modules/network/main.tf",
                "variable \"cidr\" {}\nresource \"aws_vpc\" \"main\" {\n  cidr_block = var.cidr\n}\nmodule \"inner\" {\n  source = \"./inner\"\n}\noutput \"id\" {\n  value = aws_vpc.main.id\n}\n",
            ),
            ("modules/network/inner/main.tf", "locals {\n  x = 1\n}\n"),
        ]);
        let (spec, diagnostics) = load_spec(&directory.path().join("root"));
        assert!(diagnostics.is_empty(), "{:#?}", diagnostics.items);
        let call = &spec.modules[0];
        assert_eq!(call.address(), "module.network");
        assert_eq!(call.source, "../modules/network");
        assert!(call.for_each.is_some());
        assert_eq!(call.depends_on.len(), 1);
        assert_eq!(call.providers.len(), 1);
        assert_eq!(call.providers["aws"].configuration_key(), "aws.west");
        let names: Vec<&str> = call
            .arguments
            .iter()
            .map(|argument| argument.name.as_str())
            .collect();
        assert_eq!(names, ["cidr"]);
        assert_eq!(
            call.module.directory,
            directory.path().join("modules/network")
        );
        assert_eq!(call.module.variables[0].name, "cidr");
        assert_eq!(call.module.outputs[0].name, "id");
        assert_eq!(call.module.modules[0].module.locals[0].name, "x");
        // The module's spans point into its own file, in the root's source map.
        let resource = &call.module.resources[0];
        let file = spec.sources.file(resource.name_span.file);
        assert!(
            file.path.ends_with("modules/network/main.tf"),
            "{}",
            file.path.display()
        );
        assert!(spec.sources.files.len() == 3);
        // The module's files are part of the spec's hash.
        let before = spec.hash.clone();
        std::fs::write(
            directory.path().join("modules/network/inner/main.tf"),
            "locals {\n  x = 2\n}\n",
        )
        .unwrap();
        let (changed, _) = load_spec(&directory.path().join("root"));
        assert_ne!(changed.hash, before);
    }

    #[test]
    fn errors_inside_a_module_name_the_module_file() {
        let directory = folder_with_paths(&[
            (
                "root/main.tf",
                "module \"network\" {\n  source = \"./network\"\n}\n",
            ),
            (
                "root/network/main.tf",
                "variable \"cidr\" {\n  typ = string\n}\nprovider \"aws\" {}\n",
            ),
        ]);
        let (spec, diagnostics) = load_spec(&directory.path().join("root"));
        let errors = errors_of(&diagnostics);
        assert_eq!(errors.len(), 2, "{errors:#?}");
        let (path, line, column) = position(&spec, errors[0].span.as_ref().expect("span"));
        assert_eq!((path.as_str(), line, column), ("main.tf", 2, 3));
        let file = spec.sources.file(errors[0].span.as_ref().unwrap().file);
        assert!(
            file.path.ends_with("network/main.tf"),
            "{}",
            file.path.display()
        );
        assert_eq!(
            errors[1].summary,
            "provider configurations belong in the root module"
        );
    }

    #[test]
    fn registry_and_git_sources_say_to_vendor_the_module() {
        let (spec, diagnostics) = load(&[(
            "main.tf",
            "module \"vpc\" {\n  source  = \"terraform-aws-modules/vpc/aws\"\n  version = \"5.0.0\"\n}\nmodule \"git\" {\n  source = \"git::https://example.com/network.git\"\n}\n",
        )]);
        let errors = errors_of(&diagnostics);
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert_eq!(
            errors[0].summary,
            "module module.vpc: registry sources are not fetched by provision"
        );
        let hint = errors[0].hint.as_deref().unwrap_or("");
        assert!(
            hint.contains("vendor the module into a local folder"),
            "{hint}"
        );
        assert!(hint.contains("./modules/vpc"), "{hint}");
        assert!(hint.contains("terraform init"), "{hint}");
        assert_eq!(
            position(&spec, errors[0].span.as_ref().expect("span")),
            ("main.tf".into(), 2, 13)
        );
        assert_eq!(
            errors[1].summary,
            "module module.git: git sources are not fetched by provision"
        );
    }

    #[test]
    fn a_module_fetched_by_terraform_init_is_read_from_its_folder() {
        let directory = folder_with_paths(&[
            (
                "main.tf",
                "module \"vpc\" {\n  source  = \"terraform-aws-modules/vpc/aws\"\n  version = \"5.0.0\"\n}\n",
            ),
            (
                ".terraform/modules/modules.json",
                "{\"Modules\":[{\"Key\":\"\",\"Source\":\"\",\"Dir\":\".\"},{\"Key\":\"vpc\",\"Source\":\"registry.terraform.io/terraform-aws-modules/vpc/aws\",\"Version\":\"5.0.0\",\"Dir\":\".terraform/modules/vpc\"},{\"Key\":\"vpc.subnets\",\"Source\":\"./modules/subnets\",\"Dir\":\".terraform/modules/vpc/modules/subnets\"}]}",
            ),
            (
                ".terraform/modules/vpc/main.tf",
                "variable \"name\" {\n  default = \"x\"\n}\nmodule \"subnets\" {\n  source = \"./modules/subnets\"\n}\n",
            ),
            (
                ".terraform/modules/vpc/modules/subnets/main.tf",
                "resource \"aws_subnet\" \"a\" {}\n",
            ),
        ]);
        let (spec, diagnostics) = load_spec(directory.path());
        assert!(diagnostics.is_empty(), "{:#?}", diagnostics.items);
        let vpc = &spec.modules[0].module;
        assert_eq!(
            vpc.directory,
            directory.path().join(".terraform/modules/vpc")
        );
        assert_eq!(vpc.variables[0].name, "name");
        assert_eq!(vpc.modules[0].module.resources[0].address(), "aws_subnet.a");
    }

    #[test]
    fn a_module_that_calls_itself_is_an_error() {
        let (_, diagnostics) = load(&[("main.tf", "module \"me\" {\n  source = \"./\"\n}\n")]);
        let error = only_error(&diagnostics);
        assert_eq!(error.summary, "module module.me calls itself");
    }

    #[test]
    fn module_calls_are_checked() {
        let (_, diagnostics) = load(&[(
            "main.tf",
            "module \"a\" {\n  count = 1\n  for_each = {}\n}\nmodule \"b\" {\n  source = \"./b\"\n  version = \"1.0\"\n  lifecycle {}\n  providers = [aws]\n}\nmodule \"a\" {\n  source = \"./c\"\n}\n",
        )]);
        let summaries: Vec<String> = errors_of(&diagnostics)
            .iter()
            .map(|error| error.summary.clone())
            .collect();
        assert!(
            summaries.contains(&"module.a sets both `count` and `for_each`".to_string()),
            "{summaries:#?}"
        );
        assert!(
            summaries.contains(&"module.a has no `source`".to_string()),
            "{summaries:#?}"
        );
        assert!(
            summaries.contains(&"unexpected block `lifecycle` in module.b".to_string()),
            "{summaries:#?}"
        );
        assert!(
            summaries.contains(&"`providers` must be a map of provider configurations".to_string()),
            "{summaries:#?}"
        );
        assert!(
            summaries.contains(&"module.b: `version` needs a registry source".to_string()),
            "{summaries:#?}"
        );
    }

    #[test]
    fn moved_blocks_are_read_as_addresses() {
        let (spec, diagnostics) = load(&[(
            "main.tf",
            "moved {\n  from = aws_subnet.private\n  to   = module.network[\"a\"].aws_subnet.private\n}\nmoved {\n  from = module.old\n  to   = module.new[0]\n}\nmoved {\n  from = aws_route_table.isolated\n  to   = aws_route_table.isolated[0]\n}\n",
        )]);
        assert!(diagnostics.is_empty(), "{:#?}", diagnostics.items);
        let texts: Vec<(&str, &str)> = spec
            .moved
            .iter()
            .map(|moved| (moved.from.text.as_str(), moved.to.text.as_str()))
            .collect();
        assert_eq!(
            texts,
            [
                (
                    "aws_subnet.private",
                    "module.network[\"a\"].aws_subnet.private"
                ),
                ("module.old", "module.new[0]"),
                ("aws_route_table.isolated", "aws_route_table.isolated[0]"),
            ]
        );
        assert!(spec.moved[1].from.resource.is_none());
    }

    #[test]
    fn bad_moved_blocks_are_errors() {
        let (_, diagnostics) = load(&[(
            "main.tf",
            "moved {\n  from = \"aws_vpc.main\"\n  to   = aws_vpc.other\n}\nmoved {\n  from = aws_vpc.main\n  to   = module.network\n}\nmoved {\n  from = aws_vpc.main\n  to   = aws_subnet.main\n}\nmoved {\n  to = aws_vpc.x\n}\n",
        )]);
        let summaries: Vec<String> = errors_of(&diagnostics)
            .iter()
            .map(|error| error.summary.clone())
            .collect();
        assert_eq!(
            summaries,
            [
                "invalid `from` address in a moved block",
                "a moved block moves a resource to a resource, or a module to a module",
                "a moved block cannot change the resource type (aws_vpc to aws_subnet)",
                "moved block has no `from`",
            ]
        );
    }

    #[test]
    fn import_blocks_are_read_and_bad_ones_are_errors_at_their_span() {
        let (spec, diagnostics) = load(&[(
            "main.tf",
            "import {\n  to = module.network.aws_subnet.private[\"a\"]\n  id = \"subnet-1\"\n}\nimport {\n  to = \"aws_vpc.main\"\n  id = \"vpc-1\"\n}\nimport {\n  to = module.network\n  id = \"x\"\n}\nimport {\n  to = aws_vpc.x\n}\n",
        )]);
        assert_eq!(spec.imports.len(), 1);
        assert_eq!(
            spec.imports[0].to.text,
            "module.network.aws_subnet.private[\"a\"]"
        );
        let errors = errors_of(&diagnostics);
        let summaries: Vec<&str> = errors.iter().map(|error| error.summary.as_str()).collect();
        assert_eq!(
            summaries,
            [
                "invalid `to` address in an import block",
                "invalid `to` address in an import block",
                "import block has no `id`",
            ]
        );
        assert!(errors[0].span.is_some(), "the bad `to` has a span");
    }

    #[test]
    fn data_blocks_keep_their_meta_arguments() {
        let (spec, diagnostics) = load(&[(
            "main.tf",
            "data \"aws_availability_zones\" \"available\" {\n  state = \"available\"\n}\ndata \"aws_subnet\" \"each\" {\n  count = 2\n  depends_on = [aws_vpc.main]\n  provider = aws.west\n  id = \"x\"\n}\n",
        )]);
        assert!(errors_of(&diagnostics).is_empty(), "{diagnostics:#?}");
        assert_eq!(spec.data_sources.len(), 2);
        assert!(spec.resources.is_empty());
        let each = &spec.data_sources[1];
        assert_eq!(each.data_address(), "data.aws_subnet.each");
        assert!(each.count.is_some());
        assert_eq!(each.depends_on.len(), 1);
        assert_eq!(each.body.attributes.len(), 1);
    }

    #[test]
    fn a_data_block_and_a_resource_may_share_a_name() {
        let (spec, diagnostics) = load(&[(
            "main.tf",
            "data \"aws_vpc\" \"main\" {}\nresource \"aws_vpc\" \"main\" {}\ndata \"aws_vpc\" \"main\" {}\n",
        )]);
        let errors = errors_of(&diagnostics);
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert_eq!(errors[0].summary, "duplicate resource data.aws_vpc.main");
        assert_eq!(spec.resources.len(), 1);
        assert_eq!(spec.data_sources.len(), 1);
    }

    #[test]
    fn wrong_label_count_is_an_error() {
        let (_, diagnostics) = load(&[("main.tf", "resource \"aws_vpc\" {}\nvariable {}\n")]);
        let errors = errors_of(&diagnostics);
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert_eq!(
            errors[0].summary,
            "`resource` block needs 2 labels, found 1"
        );
        assert_eq!(
            errors[1].summary,
            "`variable` block needs one label, found 0"
        );
    }

    #[test]
    fn loading_continues_after_a_syntax_error() {
        let (spec, diagnostics) = load(&[
            (
                "a.tf",
                "resource \"aws_vpc\" \"main\" {\n  cidr_block = \n}\n",
            ),
            (
                "b.tf",
                "resources \"aws_ami\" \"x\" {}\nlocals {\n  fine = 1\n}\n",
            ),
        ]);
        let errors = errors_of(&diagnostics);
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert!(errors[0].summary.starts_with("syntax error"));
        assert_eq!(
            position(&spec, errors[0].span.as_ref().expect("span")).0,
            "a.tf"
        );
        assert_eq!(errors[1].summary, "unknown block type `resources`");
        assert_eq!(spec.locals.len(), 1);
        assert_eq!(spec.sources.files.len(), 2);
    }

    #[test]
    fn tfvars_are_read_as_assignments() {
        let directory = folder_with(&[("dev.tfvars", "region = \"eu-west-1\"\ncount = 3\n")]);
        let mut sources = SourceMap::default();
        let path = directory.path().join("dev.tfvars");
        let values = load_tfvars(&mut sources, &path).expect("loads");
        assert_eq!(values.len(), 2);
        assert_eq!(values[0].0, "region");
        assert_eq!(values[0].2.kind, ExprKind::String("eu-west-1".into()));
        assert_eq!(
            sources.line_col(values[1].1.file, values[1].1.range.start),
            (2, 1)
        );
        assert_eq!(values[1].2.kind, ExprKind::Number(3.0));
        assert_eq!(sources.file(values[0].1.file).path, path);
    }

    #[test]
    fn tfvars_with_blocks_or_missing_file_are_errors() {
        let directory = folder_with(&[("bad.tfvars", "x = 1\nlocals {\n  y = 2\n}\n")]);
        let mut sources = SourceMap::default();
        let diagnostics = load_tfvars(&mut sources, &directory.path().join("bad.tfvars"))
            .expect_err("blocks are not allowed");
        assert_eq!(
            only_error(&diagnostics).summary,
            "unexpected block `locals` in a variables file"
        );

        let missing = directory.path().join("missing.tfvars");
        let diagnostics = load_tfvars(&mut sources, &missing).expect_err("missing file");
        let error = only_error(&diagnostics);
        assert!(
            error.summary.contains("missing.tfvars"),
            "{}",
            error.summary
        );
        assert!(error.span.is_none());
    }
}
