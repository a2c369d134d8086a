//! Spec loading: every `*.hcl` / `*.tf` file of a folder, parsed with hcl-edit (byte spans
//! kept) into the blocks of a `Spec`. Nothing is evaluated here.

pub mod ast;
pub mod load;
pub mod parse;

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diagnostics::{SourceMap, SourceSpan};
use ast::{Body, Expr};

pub use crate::provider_configuration::ProviderReference;
pub use load::{load_spec, load_tfvars};

/// A whole spec folder, parsed.
#[derive(Debug, Clone, Default)]
pub struct Spec {
    /// The folder as the user named it (`specs/edgemind`).
    pub directory: PathBuf,
    pub sources: SourceMap,
    pub variables: Vec<VariableBlock>,
    /// Every `locals {}` entry, across all files.
    pub locals: Vec<ast::Attribute>,
    pub resources: Vec<ResourceBlock>,
    /// `data "type" "name" {}` blocks, with the same meta-arguments as resources.
    pub data_sources: Vec<ResourceBlock>,
    pub outputs: Vec<OutputBlock>,
    /// Every `provider "aws"` block: the default configuration (no `alias`) and the aliases.
    pub providers: Vec<ProviderBlock>,
    /// `module "name" { source = "./folder" ... }` calls, each with the module it loads.
    pub modules: Vec<ModuleCall>,
    /// `moved { from = ..., to = ... }` blocks.
    pub moved: Vec<MovedBlock>,
    /// `import { to = ..., id = "..." }` blocks (Terraform's: root module only).
    pub imports: Vec<ImportBlock>,
    /// SHA-256 over the files' paths and contents, in path order: a saved plan records it.
    pub hash: String,
}

/// `variable "name" { type, default, description, sensitive, nullable, validation {} }`
#[derive(Debug, Clone)]
pub struct VariableBlock {
    pub name: String,
    pub name_span: SourceSpan,
    /// The type constraint expression (`string`, `list(string)`, `map(object({...}))`), kept
    /// as an expression: `string` parses as `Variable("string")`, `list(string)` as a call.
    pub type_constraint: Option<Expr>,
    pub default: Option<Expr>,
    pub description: Option<String>,
    pub sensitive: bool,
    pub nullable: bool,
    pub validations: Vec<Validation>,
    pub span: SourceSpan,
}

/// `validation { condition = ..., error_message = "..." }`
#[derive(Debug, Clone)]
pub struct Validation {
    pub condition: Expr,
    pub error_message: Expr,
    pub span: SourceSpan,
}

/// `resource "type" "name" { ... }` with the meta-arguments taken out of the body.
#[derive(Debug, Clone)]
pub struct ResourceBlock {
    pub type_name: String,
    pub type_span: SourceSpan,
    pub name: String,
    pub name_span: SourceSpan,
    pub count: Option<Expr>,
    pub for_each: Option<Expr>,
    /// `depends_on = [aws_vpc.main, ...]`: each a reference expression.
    pub depends_on: Vec<Expr>,
    pub lifecycle: Lifecycle,
    /// `provider = aws.west`: the configuration its calls go to (None: the default `aws`).
    /// Module expansion maps it through the module block's `providers = {}`.
    pub provider: Option<ProviderReference>,
    /// The remaining attributes and nested blocks (no `count`, `for_each`, `depends_on`,
    /// `lifecycle`, `provider`).
    pub body: Body,
    pub span: SourceSpan,
}

impl ResourceBlock {
    /// `aws_vpc.main`
    pub fn address(&self) -> String {
        format!("{}.{}", self.type_name, self.name)
    }

    /// `data.aws_vpc.main`, for a block of `spec.data_sources`.
    pub fn data_address(&self) -> String {
        format!("data.{}.{}", self.type_name, self.name)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Lifecycle {
    pub prevent_destroy: bool,
    pub create_before_destroy: bool,
    /// Attribute names (top-level) whose changes are ignored; `all` ignores everything.
    pub ignore_changes: Vec<(String, SourceSpan)>,
    pub ignore_all_changes: bool,
}

/// `output "name" { value, sensitive, description }`
#[derive(Debug, Clone)]
pub struct OutputBlock {
    pub name: String,
    pub name_span: SourceSpan,
    pub value: Expr,
    pub sensitive: bool,
    pub description: Option<String>,
    pub span: SourceSpan,
}

/// `provider "aws" { alias, region, profile, access_key, ..., assume_role {}, endpoints {},
/// default_tags {}, ignore_tags {} }`, unevaluated. Evaluated by `provider_configuration`.
#[derive(Debug, Clone, Default)]
pub struct ProviderBlock {
    /// `alias = "west"`: the configuration is `aws.west`; None for the default `aws`.
    pub alias: Option<String>,
    pub alias_span: Option<SourceSpan>,
    /// The block's own arguments (`region`, `profile`, `access_key`, `skip_*`, ...), checked
    /// against the accepted names when loaded.
    pub arguments: Vec<ast::Attribute>,
    /// `assume_role { role_arn, session_name, external_id, duration }`'s arguments.
    pub assume_role: Option<Vec<ast::Attribute>>,
    /// `endpoints { ec2 = "...", ... }`'s arguments.
    pub endpoints: Vec<ast::Attribute>,
    pub default_tags: Option<Expr>,
    /// `ignore_tags { keys, key_prefixes }`'s arguments.
    pub ignore_tags: Vec<ast::Attribute>,
    pub span: Option<SourceSpan>,
}

impl ProviderBlock {
    /// `aws` or `aws.<alias>`.
    pub fn configuration_key(&self) -> String {
        match &self.alias {
            Some(alias) => format!("aws.{alias}"),
            None => "aws".to_string(),
        }
    }

    pub fn argument(&self, name: &str) -> Option<&ast::Attribute> {
        self.arguments
            .iter()
            .find(|attribute| attribute.name == name)
    }
}

impl Spec {
    /// The `provider "aws"` block without an alias, if the spec has one.
    pub fn default_provider(&self) -> Option<&ProviderBlock> {
        self.providers.iter().find(|block| block.alias.is_none())
    }

    /// The block of a configuration (`aws`, `aws.west`), if the spec has it.
    pub fn provider_block(&self, configuration: &str) -> Option<&ProviderBlock> {
        self.providers
            .iter()
            .find(|block| block.configuration_key() == configuration)
    }
}

/// `module "name" { source, count / for_each, depends_on, providers, <inputs> }` with the
/// module it calls, loaded from its folder. The module's spans live in the root's
/// `SourceMap`, so its diagnostics name its own files.
#[derive(Debug, Clone)]
pub struct ModuleCall {
    pub name: String,
    pub name_span: SourceSpan,
    /// `source` as written (`./modules/network`, `terraform-aws-modules/vpc/aws`).
    pub source: String,
    pub source_span: SourceSpan,
    pub count: Option<Expr>,
    pub for_each: Option<Expr>,
    /// `depends_on = [aws_iam_role.x, module.other]`: each a reference expression.
    pub depends_on: Vec<Expr>,
    /// `providers = { aws = aws.west }`: the child's configuration key (`aws`, `aws.x`) and
    /// the caller's configuration reference.
    pub providers: std::collections::BTreeMap<String, ProviderReference>,
    /// Every other attribute: the module's input variables.
    pub arguments: Vec<ast::Attribute>,
    /// The module's own blocks (empty when its folder could not be loaded).
    pub module: Box<Spec>,
    pub span: SourceSpan,
}

impl ModuleCall {
    /// `module.network`
    pub fn address(&self) -> String {
        format!("module.{}", self.name)
    }
}

/// `moved { from = aws_vpc.main  to = module.network.aws_vpc.main }`: the addresses as
/// written, relative to the module the block is in.
#[derive(Debug, Clone)]
pub struct MovedBlock {
    pub from: MoveEndpoint,
    pub to: MoveEndpoint,
    pub span: SourceSpan,
}

/// One side of a `moved` block: a resource (`module.a.aws_vpc.main`, `aws_subnet.x[0]`) or a
/// module call or instance (`module.a`, `module.a["k"]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveEndpoint {
    pub module: Vec<crate::address::ModuleStep>,
    /// `(type, name, key)`; `None` when the endpoint is a module.
    pub resource: Option<(String, String, crate::address::InstanceKey)>,
    pub text: String,
    pub span: SourceSpan,
}

/// `import { to = aws_vpc.main  id = "vpc-0abc"  provider = aws.west }`: bring an existing
/// cloud object under the address `to` (a resource instance; `to.resource` is always set).
#[derive(Debug, Clone)]
pub struct ImportBlock {
    pub to: MoveEndpoint,
    /// The import ID (Terraform's format for the type), evaluated at plan time.
    pub id: Expr,
    pub provider: Option<ProviderReference>,
    pub provider_span: Option<SourceSpan>,
    pub span: SourceSpan,
}

/// Named variable values as given on the command line or in tfvars files.
pub type VariableInputs = BTreeMap<String, Expr>;
