//! The command-line grammar (clap): global options, subcommands, and the help texts.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub const EXIT_CODES: &str = "\
Exit codes:
  0  success (for `plan --exit-code`: no changes)
  1  error: bad spec or variables, AWS error, state locked, stale plan, failed resources
  2  `plan --exit-code` only: the plan has changes

Environment:
  PROVISION_STATE      state database (same as --state)
  AWS_PROFILE, AWS_REGION, AWS_ACCESS_KEY_ID, ...   the standard AWS credential chain
  AWS_ENDPOINT_URL     send every AWS call to an AWS-compatible endpoint (moto, LocalStack)
  TF_VAR_name, PROVISION_VAR_name   values for input variables
  NO_COLOR             no colours in output";

/// Declarative AWS provisioning: HCL specs in Terraform syntax, planned against state kept in
/// SQLite and applied in parallel with the AWS APIs.
#[derive(Debug, Parser)]
#[command(name = "provision", version, after_help = EXIT_CODES, propagate_version = true)]
pub struct Cli {
    /// State database (SQLite); created on first apply
    #[arg(
        long,
        global = true,
        env = "PROVISION_STATE",
        default_value = ".provision/state.db",
        value_name = "PATH"
    )]
    pub state: PathBuf,

    /// AWS region (default: the provider block's `region`, then the standard chain)
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,

    /// AWS profile from ~/.aws/config (default: the provider block's `profile`, then AWS_PROFILE)
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,

    /// No colours (also when NO_COLOR is set or output is not a terminal)
    #[arg(long, global = true)]
    pub no_color: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a spec (syntax, types, attributes, references, cycles, variables) without state or AWS
    #[command(after_help = EXIT_CODES)]
    Validate(SpecArgs),
    /// Show what apply would change, and save the plan for `provision apply`
    #[command(after_help = EXIT_CODES)]
    Plan(PlanArgs),
    /// Apply the saved plan (no DIR), or plan DIR and apply it after confirmation
    #[command(after_help = EXIT_CODES)]
    Apply(ApplyArgs),
    /// Destroy every resource of a stack, dependents first
    #[command(after_help = EXIT_CODES)]
    Destroy(DestroyArgs),
    /// Print the resource instance graph (spec ∪ state) as DOT or Mermaid
    Graph(GraphArgs),
    /// Inspect or edit the state of a stack
    #[command(subcommand)]
    State(StateCommand),
    /// Print a stack's outputs (sensitive values only when named)
    Output(OutputArgs),
    /// Show past plan / apply / destroy runs and what each did
    History(HistoryArgs),
    /// List the supported resource types
    Types,
}

/// Where a spec is and which variables it gets.
#[derive(Debug, Args, Clone)]
pub struct SpecArgs {
    /// Spec folder (every *.tf and *.hcl file in it)
    #[arg(value_name = "DIR")]
    pub directory: PathBuf,
    #[command(flatten)]
    pub inputs: InputArgs,
}

#[derive(Debug, Args, Clone, Default)]
pub struct InputArgs {
    /// Environment: loads DIR/env/NAME.tfvars and names the stack DIR/NAME
    #[arg(long = "env", value_name = "NAME")]
    pub environment: Option<String>,
    /// Set a variable (repeatable)
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub variables: Vec<String>,
    /// Read variables from a .tfvars file (repeatable; later files win)
    #[arg(long = "var-file", value_name = "FILE")]
    pub variable_files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub spec: SpecArgs,
    /// Print the plan as JSON (schema in the README)
    #[arg(long)]
    pub json: bool,
    /// Exit 2 when the plan has changes, 0 when it has none
    #[arg(long)]
    pub exit_code: bool,
    /// Plan to destroy everything in the stack
    #[arg(long)]
    pub destroy: bool,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// Spec folder; without it the plan saved by the last `provision plan` is applied
    #[arg(value_name = "DIR")]
    pub directory: Option<PathBuf>,
    #[command(flatten)]
    pub inputs: InputArgs,
    /// Do not ask for confirmation
    #[arg(long, short = 'y', visible_alias = "auto-approve")]
    pub yes: bool,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Debug, Args)]
pub struct DestroyArgs {
    #[command(flatten)]
    pub spec: SpecArgs,
    /// Do not ask for confirmation
    #[arg(long, short = 'y', visible_alias = "auto-approve")]
    pub yes: bool,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Debug, Args, Clone)]
pub struct RunArgs {
    /// How many AWS operations may run at once
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub parallelism: usize,
    /// Print API call counts when done
    #[arg(long)]
    pub stats: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum GraphFormatArg {
    Dot,
    Mermaid,
}

#[derive(Debug, Args)]
pub struct GraphArgs {
    #[command(flatten)]
    pub spec: SpecArgs,
    #[arg(long, value_enum, default_value = "dot")]
    pub format: GraphFormatArg,
}

/// Which stack a state command is about: DIR (+ --env), or the only stack in the database.
#[derive(Debug, Args, Clone)]
pub struct StackArgs {
    /// Spec folder of the stack
    #[arg(value_name = "DIR")]
    pub directory: Option<PathBuf>,
    /// Environment of the stack
    #[arg(long = "env", value_name = "NAME")]
    pub environment: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum StateCommand {
    /// List the resources in state
    List {
        #[command(flatten)]
        stack: StackArgs,
        #[arg(long)]
        json: bool,
    },
    /// Show one resource's attributes (sensitive values redacted)
    Show {
        /// Resource address, e.g. aws_subnet.public[0]
        address: String,
        #[command(flatten)]
        stack: StackArgs,
        #[arg(long)]
        json: bool,
    },
    /// Forget a resource (it stays in AWS)
    Rm {
        address: String,
        #[command(flatten)]
        stack: StackArgs,
    },
}

#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output name; prints its value alone (also when sensitive)
    pub name: Option<String>,
    /// Spec folder of the stack
    #[arg(value_name = "DIR")]
    pub directory: Option<PathBuf>,
    #[arg(long = "env", value_name = "NAME")]
    pub environment: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    #[command(flatten)]
    pub stack: StackArgs,
    /// Show the events of one run
    #[arg(long, value_name = "ID")]
    pub run: Option<i64>,
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    #[arg(long)]
    pub json: bool,
}
