//! Test harness for end-to-end tests: starts `moto_server` (the AWS API emulator) on a free
//! 127.0.0.1 port, runs the real `provision` binary against it, and builds SDK clients that
//! check results directly.
//!
//! A missing emulator is a loud failure: install it with `pip install 'moto[server]'` (the
//! README's test command does this).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

// Per-service checks for the e2e tests, one module per area (add yours here).
pub mod ecs;
pub mod edgemind_services;
pub mod frontend;
pub mod identity;
pub mod rds;
pub mod team_state;

/// A running `moto_server`, killed on drop.
pub struct MotoServer {
    child: Child,
    pub endpoint: String,
}

impl MotoServer {
    /// Starts `moto_server -H 127.0.0.1 -p 0` and waits until it says where it listens.
    pub fn start() -> MotoServer {
        let program = std::env::var("MOTO_SERVER").unwrap_or_else(|_| "moto_server".to_string());
        let mut command = Command::new(&program);
        command.args(["-H", "127.0.0.1", "-p", "0"]);
        MotoServer::spawn(command, &program)
    }

    /// One emulator for the whole test process, for test binaries with many small tests (each
    /// uses its own names and stack). A `static` is never dropped, so the server runs under a
    /// shell that stops it when this process's end closes the shell's stdin.
    pub fn shared() -> &'static MotoServer {
        static SHARED: std::sync::OnceLock<(MotoServer, std::process::ChildStdin)> =
            std::sync::OnceLock::new();
        let (server, _lifeline) = SHARED.get_or_init(|| {
            let program =
                std::env::var("MOTO_SERVER").unwrap_or_else(|_| "moto_server".to_string());
            let mut command = Command::new("sh");
            command
                .arg("-c")
                .arg(concat!(
                    r#"command -v "$0" >/dev/null || { echo "$0: not found" >&2; exit 127; }; "#,
                    r#""$0" -H 127.0.0.1 -p 0 & server=$!; read -r _; kill "$server""#
                ))
                .arg(&program)
                .stdin(Stdio::piped());
            let mut server = MotoServer::spawn(command, &program);
            let lifeline = server.child.stdin.take().expect("shell stdin");
            (server, lifeline)
        });
        server
    }

    fn spawn(mut command: Command, program: &str) -> MotoServer {
        let mut child = command
            // AWS managed policies (AmazonECSTaskExecutionRolePolicy, ...) exist in every real
            // account; moto only has them when asked.
            .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|error| {
                panic!(
                    "could not start `{program}` ({error}): the end-to-end tests need the AWS \
                     emulator; install it with `pip install 'moto[server]'` or run scripts/test"
                )
            });
        let stderr = child.stderr.take().expect("moto_server stderr");
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if !sent {
                    if let Some(start) = line.find("http://127.0.0.1:") {
                        let endpoint = line[start..]
                            .split_whitespace()
                            .next()
                            .unwrap_or("")
                            .to_string();
                        let _ = sender.send(endpoint);
                        sent = true;
                    }
                }
            }
        });
        let endpoint = receiver
            .recv_timeout(Duration::from_secs(60))
            .expect("moto_server did not report its address within 60 s");
        let server = MotoServer { child, endpoint };
        server.wait_until_answering();
        server
    }

    fn wait_until_answering(&self) {
        let address = self.endpoint.trim_start_matches("http://").to_string();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(30) {
            if std::net::TcpStream::connect(&address).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "moto_server at {} does not accept connections",
            self.endpoint
        );
    }

    /// Environment for anything that talks to this emulator: endpoint, static test
    /// credentials, region, no shared config files, no instance metadata, fast polling.
    pub fn environment(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ENDPOINT_URL", self.endpoint.clone()),
            ("AWS_ACCESS_KEY_ID", "testing".to_string()),
            ("AWS_SECRET_ACCESS_KEY", "testing".to_string()),
            ("AWS_SESSION_TOKEN", "testing".to_string()),
            ("AWS_REGION", "us-east-1".to_string()),
            ("AWS_DEFAULT_REGION", "us-east-1".to_string()),
            ("AWS_CONFIG_FILE", "/dev/null".to_string()),
            ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null".to_string()),
            ("AWS_EC2_METADATA_DISABLED", "true".to_string()),
            ("AWS_MAX_ATTEMPTS", "2".to_string()),
            ("PROVISION_POLL_MILLIS", "50".to_string()),
            ("NO_COLOR", "1".to_string()),
        ]
    }

    /// An `SdkConfig` pointed at this emulator, for direct describe calls.
    pub async fn sdk_config(&self) -> aws_types::SdkConfig {
        let credentials =
            aws_types::sdk_config::SharedCredentialsProvider::new(aws_credential_types_static());
        aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new("us-east-1"))
            .endpoint_url(&self.endpoint)
            .credentials_provider(credentials)
            .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(1))
            .load()
            .await
    }

    /// A direct EC2 client against this emulator.
    pub async fn ec2(&self) -> aws_sdk_ec2::Client {
        aws_sdk_ec2::Client::new(&self.sdk_config().await)
    }
}

fn aws_credential_types_static() -> aws_credential_types::Credentials {
    aws_credential_types::Credentials::new("testing", "testing", None, None, "provision-tests")
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `provision` binary of this workspace's target dir (`PROVISION_BIN` overrides). Built by
/// `cargo test --workspace`, which builds the engine's binary for its integration tests before
/// any test runs.
pub fn provision_binary() -> PathBuf {
    if let Ok(path) = std::env::var("PROVISION_BIN") {
        return PathBuf::from(path);
    }
    let mut directory = std::env::current_exe().expect("test executable path");
    directory.pop(); // the test binary
    if directory.ends_with("deps") {
        directory.pop();
    }
    let binary = directory.join("provision");
    assert!(
        binary.exists(),
        "{} not found: run the tests with `cargo test --workspace` (scripts/test does), \
         which builds it, or set PROVISION_BIN",
        binary.display()
    );
    binary
}

/// A work folder for one test: its own state database, and the emulator's environment.
pub struct Workspace {
    pub directory: tempfile::TempDir,
    pub environment: Vec<(&'static str, String)>,
}

impl Workspace {
    pub fn new(server: &MotoServer) -> Workspace {
        Workspace {
            directory: tempfile::tempdir().expect("temporary directory"),
            environment: server.environment(),
        }
    }

    pub fn state_path(&self) -> PathBuf {
        self.directory.path().join("state.db")
    }

    /// A `provision` command with this workspace's state file and emulator environment, run
    /// from the repository root so `specs/...` paths work.
    pub fn command(&self, arguments: &[&str]) -> Command {
        let mut command = Command::new(provision_binary());
        command
            .args(arguments)
            .current_dir(repository_root())
            .env("PROVISION_STATE", self.state_path())
            // The key that seals sensitive values in state goes to this workspace's own
            // configuration folder (`$XDG_CONFIG_HOME/provision/state.key`).
            .env("XDG_CONFIG_HOME", self.directory.path().join("config"))
            .env_remove("PROVISION_STATE_KEY")
            .env_remove("PROVISION_STATE_KEY_FILE")
            .env_remove("AWS_PROFILE")
            .stdin(Stdio::null());
        for (key, value) in &self.environment {
            command.env(key, value);
        }
        command
    }

    /// The bytes of every state database file (the database, its WAL and shared memory), for
    /// checking that no secret reaches the disk in clear.
    pub fn state_files_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        for suffix in ["", "-wal", "-shm"] {
            let path = format!("{}{suffix}", self.state_path().display());
            if let Ok(content) = std::fs::read(path) {
                bytes.extend(content);
            }
        }
        bytes
    }

    /// Whether `needle` occurs anywhere in the state database files.
    pub fn state_files_contain(&self, needle: &str) -> bool {
        let haystack = self.state_files_bytes();
        haystack
            .windows(needle.len())
            .any(|window| window == needle.as_bytes())
    }

    /// Runs `provision` to completion and returns its output.
    pub fn run(&self, arguments: &[&str]) -> Output {
        self.command(arguments).output().expect("run provision")
    }

    /// Runs `provision` and panics with its output unless it exits with `expected_code`.
    pub fn run_expecting(&self, arguments: &[&str], expected_code: i32) -> Output {
        expect_exit(self.run(arguments), arguments, expected_code)
    }
}

/// `output` of `provision ARGUMENTS`; panics with it unless it exited with `expected_code`.
pub fn expect_exit(output: Output, arguments: &[&str], expected_code: i32) -> Output {
    if output.status.code() != Some(expected_code) {
        panic!(
            "`provision {}` exited with {:?}, expected {expected_code}\n--- stdout\n{}\n--- stderr\n{}",
            arguments.join(" "),
            output.status.code(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    output
}

/// The resource addresses in the output of `provision state list`.
pub fn listed_addresses(output: &Output) -> Vec<String> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::trim)
        .filter(|line| {
            line.starts_with("aws_") || line.starts_with("random_") || line.starts_with("module.")
        })
        .map(str::to_string)
        .collect()
}

/// The repository root (the parent of this crate's folder).
pub fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("repository root")
        .to_path_buf()
}

/// stdout and stderr of a finished command as one string, for assertions and messages.
pub fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

impl Workspace {
    /// Copies a spec folder of the repository (`specs/edgemind`, `tests/fixtures/...`) into this
    /// workspace, for tests that edit it, and returns the copy's path as given to `provision`
    /// (the stack is named after it). The shared local modules beside it (`specs/modules`) are
    /// copied too, so `source = "../modules/..."` still resolves.
    pub fn copy_spec(&self, relative_path: &str) -> String {
        let source = repository_root().join(relative_path);
        let name = source.file_name().expect("spec folder name").to_owned();
        let destination = self.directory.path().join("specs").join(name);
        copy_directory(&source, &destination);
        if let Some(modules) = source.parent().map(|parent| parent.join("modules")) {
            let copied = self.directory.path().join("specs").join("modules");
            if modules.is_dir() && modules != source && !copied.exists() {
                copy_directory(&modules, &copied);
            }
        }
        destination
            .to_str()
            .expect("UTF-8 temporary path")
            .to_string()
    }

    /// The addresses `provision state list` prints for a stack (`arguments` name the folder and
    /// environment), panicking unless it succeeds.
    pub fn state_list(&self, arguments: &[&str]) -> Vec<String> {
        let mut full_arguments = vec!["state", "list"];
        full_arguments.extend_from_slice(arguments);
        listed_addresses(&self.run_expecting(&full_arguments, 0))
    }
}

pub fn copy_directory(source: &Path, destination: &Path) {
    std::fs::create_dir_all(destination).expect("create spec copy folder");
    for entry in std::fs::read_dir(source)
        .unwrap_or_else(|error| panic!("read {}: {error}", source.display()))
    {
        let entry = entry.expect("directory entry");
        let target = destination.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_directory(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy spec file");
        }
    }
}

/// Replaces the one occurrence of `before` in a spec file with `after`, as a user editing the
/// spec would; panics when `before` is not there exactly once, so an edit cannot silently miss.
pub fn edit_file(path: impl AsRef<Path>, before: &str, after: &str) {
    let path = path.as_ref();
    let content = std::fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("read {}: {error}", path.display()));
    let occurrences = content.matches(before).count();
    assert_eq!(
        occurrences,
        1,
        "expected exactly one `{before}` in {}",
        path.display()
    );
    std::fs::write(path, content.replacen(before, after, 1)).expect("write edited spec file");
}

/// The stdout of a `--json` command, parsed.
pub fn json_output(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "stdout is not JSON ({error}):\n{}\n--- stderr\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// Whether some line of the output starts with `prefix` (after leading whitespace).
pub fn has_line_starting_with(output: &Output, prefix: &str) -> bool {
    text(output)
        .lines()
        .any(|line| line.trim_start().starts_with(prefix))
}

/// Direct access to the emulator's APIs from synchronous tests: a runtime and the clients of
/// every service of `provision_resources::aws` (`cloud.ec2`, `cloud.iam`, ...), built from the
/// same service list as the providers' own.
pub struct Cloud {
    runtime: tokio::runtime::Runtime,
    pub clients: provision_resources::aws::AwsClients,
}

impl std::ops::Deref for Cloud {
    type Target = provision_resources::aws::AwsClients;

    fn deref(&self) -> &provision_resources::aws::AwsClients {
        &self.clients
    }
}

/// A CloudWatch Logs log group and its tags (ListTagsForResource).
#[derive(Debug)]
pub struct TaggedLogGroup {
    pub group: aws_sdk_cloudwatchlogs::types::LogGroup,
    pub tags: std::collections::BTreeMap<String, String>,
}

/// The resources of one stack that the emulator holds, found by the `provision:stack` tag (sent
/// as a filter and checked again here, since the emulator ignores some filters). Deleted NAT
/// gateways, which EC2 keeps listing for a while, are left out.
#[derive(Debug, Default)]
pub struct Inventory {
    pub vpcs: Vec<aws_sdk_ec2::types::Vpc>,
    pub subnets: Vec<aws_sdk_ec2::types::Subnet>,
    pub internet_gateways: Vec<aws_sdk_ec2::types::InternetGateway>,
    pub elastic_ips: Vec<aws_sdk_ec2::types::Address>,
    pub nat_gateways: Vec<aws_sdk_ec2::types::NatGateway>,
    pub route_tables: Vec<aws_sdk_ec2::types::RouteTable>,
    pub security_groups: Vec<aws_sdk_ec2::types::SecurityGroup>,
    pub log_groups: Vec<TaggedLogGroup>,
}

/// Resource instances of `specs/edgemind --env dev` (every test that applies the whole spec
/// counts against this one figure).
pub const EDGEMIND_DEV_RESOURCE_COUNT: usize = 73;

/// The tag naming the stack that owns a resource.
pub const STACK_TAG: &str = "provision:stack";
/// The tag naming a resource's address within its stack.
pub const ADDRESS_TAG: &str = "provision:address";

impl Cloud {
    pub fn new(server: &MotoServer) -> Cloud {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime");
        let config = runtime.block_on(server.sdk_config());
        Cloud {
            clients: provision_resources::aws::AwsClients::from_config(&config),
            runtime,
        }
    }

    /// Every client again, in `region` (the emulator keeps each region apart).
    pub fn in_region(&self, region: &str) -> provision_resources::aws::AwsClients {
        provision_resources::aws::AwsClients::from_config(
            &self
                .config
                .to_builder()
                .region(aws_types::region::Region::new(region.to_string()))
                .build(),
        )
    }

    /// The DynamoDB table names `clients` (one region's, see `in_region`) list, sorted.
    pub fn table_names(&self, clients: &provision_resources::aws::AwsClients) -> Vec<String> {
        let mut names = self
            .block_on(clients.dynamodb.list_tables().send())
            .expect("ListTables")
            .table_names()
            .to_vec();
        names.sort();
        names
    }

    /// Runs one SDK future to completion.
    pub fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    /// Everything of `stack` the emulator holds.
    pub fn inventory(&self, stack: &str) -> Inventory {
        let filter = || {
            aws_sdk_ec2::types::Filter::builder()
                .name(format!("tag:{STACK_TAG}"))
                .values(stack)
                .build()
        };
        let owned = |tags: &[aws_sdk_ec2::types::Tag]| {
            tag_map(tags).get(STACK_TAG).map(String::as_str) == Some(stack)
        };
        self.block_on(async {
            let ec2 = &self.ec2;
            let vpcs = ec2
                .describe_vpcs()
                .filters(filter())
                .send()
                .await
                .expect("DescribeVpcs")
                .vpcs
                .unwrap_or_default();
            let subnets = ec2
                .describe_subnets()
                .filters(filter())
                .send()
                .await
                .expect("DescribeSubnets")
                .subnets
                .unwrap_or_default();
            let internet_gateways = ec2
                .describe_internet_gateways()
                .filters(filter())
                .send()
                .await
                .expect("DescribeInternetGateways")
                .internet_gateways
                .unwrap_or_default();
            let elastic_ips = ec2
                .describe_addresses()
                .filters(filter())
                .send()
                .await
                .expect("DescribeAddresses")
                .addresses
                .unwrap_or_default();
            let nat_gateways = ec2
                .describe_nat_gateways()
                .filter(filter())
                .send()
                .await
                .expect("DescribeNatGateways")
                .nat_gateways
                .unwrap_or_default();
            let route_tables = ec2
                .describe_route_tables()
                .filters(filter())
                .send()
                .await
                .expect("DescribeRouteTables")
                .route_tables
                .unwrap_or_default();
            let security_groups = ec2
                .describe_security_groups()
                .filters(filter())
                .send()
                .await
                .expect("DescribeSecurityGroups")
                .security_groups
                .unwrap_or_default();
            let mut log_groups = Vec::new();
            for group in self
                .logs
                .describe_log_groups()
                .send()
                .await
                .expect("DescribeLogGroups")
                .log_groups
                .unwrap_or_default()
            {
                let arn = group
                    .log_group_arn()
                    .map(str::to_string)
                    .unwrap_or_default();
                let tags: std::collections::BTreeMap<String, String> = self
                    .logs
                    .list_tags_for_resource()
                    .resource_arn(arn)
                    .send()
                    .await
                    .expect("ListTagsForResource")
                    .tags
                    .unwrap_or_default()
                    .into_iter()
                    .collect();
                if tags.get(STACK_TAG).map(String::as_str) == Some(stack) {
                    log_groups.push(TaggedLogGroup { group, tags });
                }
            }
            Inventory {
                log_groups,
                vpcs: vpcs.into_iter().filter(|vpc| owned(vpc.tags())).collect(),
                subnets: subnets
                    .into_iter()
                    .filter(|subnet| owned(subnet.tags()))
                    .collect(),
                internet_gateways: internet_gateways
                    .into_iter()
                    .filter(|gateway| owned(gateway.tags()))
                    .collect(),
                elastic_ips: elastic_ips
                    .into_iter()
                    .filter(|address| owned(address.tags()))
                    .collect(),
                nat_gateways: nat_gateways
                    .into_iter()
                    .filter(|gateway| owned(gateway.tags()))
                    .filter(|gateway| {
                        !matches!(
                            gateway.state(),
                            Some(aws_sdk_ec2::types::NatGatewayState::Deleted)
                        )
                    })
                    .collect(),
                route_tables: route_tables
                    .into_iter()
                    .filter(|table| owned(table.tags()))
                    .collect(),
                security_groups: security_groups
                    .into_iter()
                    .filter(|group| owned(group.tags()))
                    .collect(),
            }
        })
    }

    /// Ids of the account's default VPCs (moto creates one per region).
    pub fn default_vpc_ids(&self) -> Vec<String> {
        self.block_on(async {
            self.ec2
                .describe_vpcs()
                .filters(
                    aws_sdk_ec2::types::Filter::builder()
                        .name("is-default")
                        .values("true")
                        .build(),
                )
                .send()
                .await
                .expect("DescribeVpcs")
                .vpcs()
                .iter()
                .filter_map(|vpc| vpc.vpc_id().map(str::to_string))
                .collect()
        })
    }

    /// Every VPC of the account that is not a default VPC, whoever made it.
    pub fn non_default_vpc_ids(&self) -> Vec<String> {
        self.block_on(async {
            self.ec2
                .describe_vpcs()
                .send()
                .await
                .expect("DescribeVpcs")
                .vpcs()
                .iter()
                .filter(|vpc| vpc.is_default() != Some(true))
                .filter_map(|vpc| vpc.vpc_id().map(str::to_string))
                .collect()
        })
    }
}

impl Inventory {
    /// Number of resources found, over all types.
    pub fn len(&self) -> usize {
        self.vpcs.len()
            + self.subnets.len()
            + self.internet_gateways.len()
            + self.elastic_ips.len()
            + self.nat_gateways.len()
            + self.route_tables.len()
            + self.security_groups.len()
            + self.log_groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `provision:address` tags of everything found, sorted (repeats kept, so duplicates
    /// show).
    pub fn resource_addresses(&self) -> Vec<String> {
        let mut tag_lists: Vec<&[aws_sdk_ec2::types::Tag]> = Vec::new();
        tag_lists.extend(self.vpcs.iter().map(|vpc| vpc.tags()));
        tag_lists.extend(self.subnets.iter().map(|subnet| subnet.tags()));
        tag_lists.extend(self.internet_gateways.iter().map(|gateway| gateway.tags()));
        tag_lists.extend(self.elastic_ips.iter().map(|address| address.tags()));
        tag_lists.extend(self.nat_gateways.iter().map(|gateway| gateway.tags()));
        tag_lists.extend(self.route_tables.iter().map(|table| table.tags()));
        tag_lists.extend(self.security_groups.iter().map(|group| group.tags()));
        let mut addresses: Vec<String> = tag_lists
            .into_iter()
            .map(tag_map)
            .chain(self.log_groups.iter().map(|entry| entry.tags.clone()))
            .map(|mut tags| {
                tags.remove(ADDRESS_TAG)
                    .unwrap_or_else(|| "<no provision:address tag>".to_string())
            })
            .collect();
        addresses.sort();
        addresses
    }

    /// One line per type with its count, for assertion messages.
    pub fn summary(&self) -> String {
        format!(
            "vpcs {}, subnets {}, internet gateways {}, elastic ips {}, nat gateways {}, \
             route tables {}, security groups {}, log groups {}; addresses {:?}",
            self.vpcs.len(),
            self.subnets.len(),
            self.internet_gateways.len(),
            self.elastic_ips.len(),
            self.nat_gateways.len(),
            self.route_tables.len(),
            self.security_groups.len(),
            self.log_groups.len(),
            self.resource_addresses()
        )
    }

    /// The log group whose `provision:address` tag is `address`; panics unless there is exactly
    /// one.
    pub fn log_group(&self, address: &str) -> &aws_sdk_cloudwatchlogs::types::LogGroup {
        let found: Vec<&TaggedLogGroup> = self
            .log_groups
            .iter()
            .filter(|entry| entry.tags.get(ADDRESS_TAG).map(String::as_str) == Some(address))
            .collect();
        assert_eq!(found.len(), 1, "log groups at {address}: {found:?}");
        &found[0].group
    }

    /// The subnet whose `provision:address` tag is `address`; panics unless there is exactly one.
    pub fn subnet(&self, address: &str) -> &aws_sdk_ec2::types::Subnet {
        exactly_one(
            self.subnets
                .iter()
                .filter(|subnet| has_address(subnet.tags(), address)),
            address,
        )
    }

    /// The route table whose `provision:address` tag is `address`.
    pub fn route_table(&self, address: &str) -> &aws_sdk_ec2::types::RouteTable {
        exactly_one(
            self.route_tables
                .iter()
                .filter(|table| has_address(table.tags(), address)),
            address,
        )
    }

    /// The security group whose `provision:address` tag is `address`.
    pub fn security_group(&self, address: &str) -> &aws_sdk_ec2::types::SecurityGroup {
        exactly_one(
            self.security_groups
                .iter()
                .filter(|group| has_address(group.tags(), address)),
            address,
        )
    }
}

fn has_address(tags: &[aws_sdk_ec2::types::Tag], address: &str) -> bool {
    tag_map(tags).get(ADDRESS_TAG).map(String::as_str) == Some(address)
}

fn exactly_one<'a, T: std::fmt::Debug>(
    mut items: impl Iterator<Item = &'a T>,
    address: &str,
) -> &'a T {
    let first = items
        .next()
        .unwrap_or_else(|| panic!("the emulator holds no resource tagged {address}"));
    if let Some(second) = items.next() {
        panic!("the emulator holds two resources tagged {address}: {first:?} and {second:?}");
    }
    first
}

/// EC2 tags as a key → value map.
pub fn tag_map(tags: &[aws_sdk_ec2::types::Tag]) -> std::collections::BTreeMap<String, String> {
    tags.iter()
        .filter_map(|tag| {
            Some((
                tag.key()?.to_string(),
                tag.value().unwrap_or_default().to_string(),
            ))
        })
        .collect()
}

/// One security group rule, normalised so the rules AWS returns compare with the rules a spec
/// declares: protocol, port range (none for all traffic) and source or destination (a CIDR or a
/// security group id).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SecurityGroupRule {
    pub protocol: String,
    pub ports: Option<(i32, i32)>,
    pub peer: String,
}

impl SecurityGroupRule {
    /// A TCP rule for one port.
    pub fn tcp(port: i32, peer: &str) -> SecurityGroupRule {
        SecurityGroupRule {
            protocol: "tcp".to_string(),
            ports: Some((port, port)),
            peer: peer.to_string(),
        }
    }

    /// An all-traffic rule (`protocol = "-1"`).
    pub fn all_traffic(peer: &str) -> SecurityGroupRule {
        SecurityGroupRule {
            protocol: "-1".to_string(),
            ports: None,
            peer: peer.to_string(),
        }
    }

    /// The rules of a list of `IpPermission`s, one per peer.
    pub fn from_permissions(
        permissions: &[aws_sdk_ec2::types::IpPermission],
    ) -> std::collections::BTreeSet<SecurityGroupRule> {
        let mut rules = std::collections::BTreeSet::new();
        for permission in permissions {
            let protocol = permission.ip_protocol().unwrap_or_default().to_string();
            let ports = if protocol == "-1" {
                None
            } else {
                Some((
                    permission.from_port().unwrap_or(-1),
                    permission.to_port().unwrap_or(-1),
                ))
            };
            let peers = permission
                .ip_ranges()
                .iter()
                .filter_map(|range| range.cidr_ip().map(str::to_string))
                .chain(
                    permission
                        .user_id_group_pairs()
                        .iter()
                        .filter_map(|pair| pair.group_id().map(str::to_string)),
                );
            for peer in peers {
                rules.insert(SecurityGroupRule {
                    protocol: protocol.clone(),
                    ports,
                    peer,
                });
            }
        }
        rules
    }
}
