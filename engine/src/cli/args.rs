//! The command-line grammar (clap): global options, subcommands, and the help texts.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub const EXIT_CODES: &str = "\
Exit codes:
  0  success (for `plan --exit-code`: no changes)
  1  error: bad spec or variables, AWS error, state locked, stale plan, failed resources
  2  `plan --exit-code`: the plan has changes; `drift`: drift found

Environment:
  PROVISION_STATE      state database (same as --state): a file, or postgres://user@host/db
  PGPASSWORD, PGPASSFILE (~/.pgpass)   the PostgreSQL password when the URL has none
  PROVISION_STATE_RECONNECT_SECONDS   how long a lost state server is retried (default 60)
  PROVISION_STATE_KEY, PROVISION_STATE_KEY_FILE   the key that seals sensitive values in state
  AWS_PROFILE, AWS_REGION, AWS_ACCESS_KEY_ID, ...   the standard AWS credential chain
  AWS_ENDPOINT_URL     send every AWS call to an AWS-compatible endpoint (moto, LocalStack)
  TF_VAR_name, PROVISION_VAR_name   values for input variables
  NO_COLOR             no colours in output";

pub const DRIFT_EXIT_CODES: &str = "\
Exit codes:
  0  in sync: the cloud holds what was last applied (changes the spec asks for that were not
     applied yet are shown, but are not drift); with --since: the summary was printed
  1  error: bad spec or variables, no AWS credentials, AWS unreachable, no state for the stack,
     stack lock held by another run for longer than --lock-timeout
  2  drift found: resources modified or deleted behind provision's back, or resources carrying
     the stack's provision:stack tag that state does not know

Never changes the cloud or the applied attributes in state; each run and its findings are
recorded in the state database (`provision history`, `provision drift DIR --since 7d`).
`provision plan DIR --refresh` then `provision apply` puts drifted resources back.

Cron (every 15 minutes; mail or page on exit 2):
  */15 * * * *  cd /srv/infra && provision drift specs/edgemind --env prod --quiet

Environment:
  PROVISION_STATE, AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL, ...   as for the other commands";

/// Declarative AWS provisioning: HCL specs in Terraform syntax, planned against state kept in
/// SQLite and applied in parallel with the AWS APIs.
#[derive(Debug, Parser)]
#[command(name = "provision", version, after_help = EXIT_CODES, propagate_version = true)]
pub struct Cli {
    /// State: a SQLite file (created on first apply), or a PostgreSQL server shared by a team,
    /// postgres://USER@HOST:PORT/DATABASE?sslmode=require (password from PGPASSWORD or
    /// ~/.pgpass, so none sits in a command line)
    #[arg(
        long,
        global = true,
        env = "PROVISION_STATE",
        default_value = ".provision/state.db",
        value_name = "PATH|URL"
    )]
    pub state: String,

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
    /// Read the cloud and report what changed behind the spec's back (for cron: exit 2 on drift)
    #[command(after_help = DRIFT_EXIT_CODES)]
    Drift(DriftArgs),
    /// Show past plan / apply / destroy / drift runs and what each did
    History(HistoryArgs),
    /// Bring an existing cloud object under management: read it by ID, record it in state
    #[command(after_help = IMPORT_HELP)]
    Import(ImportArgs),
    /// List the supported resource types (--json: with kinds and import ID formats)
    Types(TypesArgs),
    /// Rewrite spec files in Terraform's canonical layout (what `terraform fmt` writes)
    #[command(after_help = FMT_EXIT_CODES)]
    Fmt(FmtArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    #[command(after_help = COMPLETIONS_HELP)]
    Completions(CompletionsArgs),
}

pub const IMPORT_HELP: &str = "\
ADDRESS is a resource instance of the spec in DIR (default: the current folder):
  provision import aws_vpc.main vpc-0abc specs/network
  provision import 'aws_subnet.private[0]' subnet-0123 specs/network --env dev
  provision import 'module.network.aws_subnet.private[\"a\"]' subnet-0456 specs/edgemind
ID is the type's import ID, in Terraform's format: `provision types --json` gives each
type's (`import_id`); composite ones such as aws_route_table_association's
`subnet-id/rtb-id` as Terraform documents them.

The credentials of the stack's provider configurations are checked first (as apply does);
the object is read through the provider configuration the resource block uses and recorded
in state in one transaction. The cloud is not changed: run `provision plan DIR` next to see
how the spec and the object differ. `import {}` blocks in the spec do the same as part of a
plan and apply.

Exit codes:
  0  imported
  1  error: bad spec or variables, ADDRESS not in the spec or already in state, no object
     with that ID, no AWS credentials, state locked";

/// `provision import ADDRESS ID [DIR]`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The resource instance to import to (`aws_vpc.main`, `aws_subnet.private[0]`,
    /// `module.network.aws_subnet.private["a"]`)
    #[arg(value_name = "ADDRESS")]
    pub address: String,
    /// The cloud object's import ID (its format per type: `provision types --json`)
    #[arg(value_name = "ID")]
    pub id: String,
    /// Spec folder (default: the current folder)
    #[arg(value_name = "DIR", default_value = ".")]
    pub directory: PathBuf,
    #[command(flatten)]
    pub inputs: InputArgs,
}

/// `provision types [--json]`.
#[derive(Debug, Args)]
pub struct TypesArgs {
    /// Print JSON: every resource type with its import ID format, and the data sources
    #[arg(long)]
    pub json: bool,
}

pub const FMT_EXIT_CODES: &str = "\
Formats *.tf, *.tfvars and *.hcl files: two-space indentation, aligned `=` and trailing
comments, Terraform's spacing, quoted block labels, `\"${x}\"` unwrapped to `x`, legacy variable
types spelled out. Comments and blank lines are kept. Lists the files it changed.

Exit codes:
  0  every file is formatted (or was rewritten)
  1  error: a file does not parse (its error is printed, the file is left alone), or cannot be
     read or written
  3  --check: some file is not formatted (nothing was written)";

pub const COMPLETIONS_HELP: &str = "\
Install (the script completes subcommands, options and their values):
  bash:        provision completions bash > ~/.local/share/bash-completion/completions/provision
  zsh:         provision completions zsh > \"${fpath[1]}/_provision\"
  fish:        provision completions fish > ~/.config/fish/completions/provision.fish
  powershell:  provision completions powershell | Out-String | Invoke-Expression";

/// What `provision fmt` formats and how.
#[derive(Debug, Args)]
pub struct FmtArgs {
    /// Files or folders to format (default: the current folder); `-` formats standard input to
    /// standard output
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Change nothing: list the files that are not formatted and exit 3 if there are any
    #[arg(long)]
    pub check: bool,
    /// Print the changes as a unified diff
    #[arg(long)]
    pub diff: bool,
    /// Also format the folders inside the folders given (hidden folders such as .terraform are
    /// skipped)
    #[arg(long)]
    pub recursive: bool,
    /// Do not list the files that were (or would be) changed
    #[arg(long)]
    pub no_list: bool,
}

/// Which shell `provision completions` writes for.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
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
    /// Leave a resource (`aws_x.name`, `aws_x.name[0]`) or module (`module.name`) and
    /// everything that depends on it out of the plan (repeatable), as OpenTofu's -exclude
    #[arg(long = "exclude", value_name = "ADDRESS")]
    pub exclude: Vec<String>,
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
    /// Read every resource from the cloud first and plan against what it holds, so the plan
    /// puts drifted resources back (state is not written until apply)
    #[arg(long)]
    pub refresh: bool,
    /// Write `resource` blocks for the `import {}` blocks whose `to` the spec lacks into FILE
    /// (relative to DIR; refused when it exists), read from the cloud objects, then plan with
    /// them (Terraform's -generate-config-out; `-generate-config-out=FILE` works too)
    #[arg(long, value_name = "FILE")]
    pub generate_config_out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DriftArgs {
    #[command(flatten)]
    pub spec: SpecArgs,
    /// Print the report as JSON (schema in docs/drift.md)
    #[arg(long)]
    pub json: bool,
    /// Print nothing when in sync (for cron)
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Summarise the drift runs recorded in this period (`7d`, `12h`, `30m`) without reading
    /// the cloud
    #[arg(long, value_name = "DURATION")]
    pub since: Option<String>,
    /// How long to wait for the stack's lock (held by an apply) to record the report
    #[arg(long, default_value = "30s", value_name = "DURATION")]
    pub lock_timeout: String,
    /// How many read batches run at once
    #[arg(long, default_value_t = 8, value_name = "N")]
    pub concurrency: usize,
    /// Print API call counts and wall time
    #[arg(long)]
    pub stats: bool,
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
    /// Which changes need their own approval: `never`, `broadening` (changes that widen
    /// access: IAM statements and attachments, security-group ingress, resource policies,
    /// Lambda permissions, public access) or `any-change`. Default: the spec's
    /// `provision_require_approval` variable (set it per environment in env/NAME.tfvars),
    /// else never
    #[arg(long, value_name = "LEVEL", value_parser = ["never", "broadening", "any-change"])]
    pub require_approval: Option<String>,
    /// Approve the plan's security changes without being asked (needed with --yes when
    /// approval is required)
    #[arg(long)]
    pub approve_security_changes: bool,
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
    /// Do not wait for created resources to become ready when nothing in the run needs them
    /// ready (a CloudFront distribution deploying, a NAT gateway pending): the run ends once
    /// their ids are committed and lists them; state keeps them `creating`, and the next
    /// apply waits for them first. Dependents still wait as they need to
    #[arg(long)]
    pub no_wait: bool,
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
        /// Resource address, e.g. aws_subnet.public[0] or module.network.aws_vpc.main
        address: String,
        #[command(flatten)]
        stack: StackArgs,
        #[arg(long)]
        json: bool,
    },
    /// Forget a resource (it stays in AWS); a module (`module.network`) or a resource block
    /// (`aws_subnet.private`) forgets every instance under it
    Rm {
        address: String,
        #[command(flatten)]
        stack: StackArgs,
    },
    /// Copy a stack with its history from this state (--state) to another store, verified by
    /// counts and a hash; refuses a target that already holds the stack
    Migrate {
        /// The target: a SQLite file path or a postgres:// URL
        #[arg(long = "to", value_name = "PATH|URL")]
        to: String,
        #[command(flatten)]
        stack: StackArgs,
    },
}

#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output name; prints its value alone (also when sensitive). A lone argument that is a
    /// folder is taken as DIR: `provision output specs/edgemind --env dev`
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
