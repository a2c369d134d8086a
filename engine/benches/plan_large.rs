//! Benchmark: plan a generated spec of 10,000 resource instances (hundreds of blocks, `count`,
//! cross references) from empty state, phase by phase: read and parse the files, resolve
//! variables, plan, render, serialize and save the plan in a SQLite state database.
//!
//! `cargo bench -p provision-engine --bench plan_large` prints the figures (median of 5 runs).
//! `cargo bench -p provision-engine --bench plan_large -- --write DIR` only writes the spec, so
//! the release binary can be timed end to end (scripts/bench-plan does that, with peak memory).

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use provision_engine::cli::render_plan::render_plan;
use provision_engine::cli::style::Style;
use provision_engine::plan::planner::{make_plan, PlanRequest};
use provision_engine::plan::saved::SavedPlan;
use provision_engine::spec::load_spec;
use provision_engine::variables::{resolve_variables, VariableSources};
use provision_resources::Registry;
use provision_state::{PlanRecord, Store};

/// Blocks per kind; with the counts below this makes exactly 10,000 instances.
const NETWORKS: usize = 50;
const SUBNETS_PER_NETWORK: usize = 100;
const ASSOCIATIONS_PER_NETWORK: usize = 97;

/// Writes the generated spec into `directory` (one file per network, like a large real spec).
pub fn write_spec(directory: &Path) -> usize {
    std::fs::create_dir_all(directory).expect("create spec folder");
    let mut variables = String::new();
    writeln!(
        variables,
        "variable \"environment\" {{\n  type    = string\n  default = \"bench\"\n}}\n"
    )
    .unwrap();
    writeln!(variables, "locals {{\n  common_tags = {{ Environment = var.environment, ManagedBy = \"provision\" }}\n}}\n").unwrap();
    writeln!(
        variables,
        "provider \"aws\" {{\n  region = \"us-east-1\"\n}}"
    )
    .unwrap();
    std::fs::write(directory.join("main.tf"), variables).expect("write main.tf");
    let mut instances = 0;
    for network in 0..NETWORKS {
        let mut text = String::new();
        writeln!(
            text,
            r#"resource "aws_vpc" "v{network}" {{
  cidr_block           = "10.{network}.0.0/16"
  enable_dns_hostnames = true
  tags                 = merge(local.common_tags, {{ Name = format("bench-%02d", {network}) }})
}}

resource "aws_subnet" "s{network}" {{
  count             = {SUBNETS_PER_NETWORK}
  vpc_id            = aws_vpc.v{network}.id
  cidr_block        = cidrsubnet(aws_vpc.v{network}.cidr_block, 8, count.index)
  availability_zone = element(["us-east-1a", "us-east-1b", "us-east-1c"], count.index)
  tags              = merge(local.common_tags, {{ Name = "bench-{network}-${{count.index}}" }})
}}

resource "aws_route_table" "r{network}" {{
  vpc_id = aws_vpc.v{network}.id
  tags   = local.common_tags
}}

resource "aws_route_table_association" "a{network}" {{
  count          = {ASSOCIATIONS_PER_NETWORK}
  subnet_id      = aws_subnet.s{network}[count.index].id
  route_table_id = aws_route_table.r{network}.id
}}

resource "aws_security_group" "g{network}" {{
  name   = "bench-{network}"
  vpc_id = aws_vpc.v{network}.id
  ingress {{
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.v{network}.cidr_block]
  }}
  tags = local.common_tags
}}
"#
        )
        .unwrap();
        instances += 3 + SUBNETS_PER_NETWORK + ASSOCIATIONS_PER_NETWORK;
        std::fs::write(directory.join(format!("network_{network:02}.tf")), text)
            .expect("write spec file");
    }
    instances
}

struct Timings {
    load: Duration,
    variables: Duration,
    plan: Duration,
    render: Duration,
    save: Duration,
    total: Duration,
    changes: usize,
}

fn run_once(directory: &Path, registry: &Registry) -> Timings {
    let started = Instant::now();
    let (mut spec, diagnostics) = load_spec(directory);
    assert!(!diagnostics.has_errors(), "generated spec has errors");
    let load = started.elapsed();
    let mark = Instant::now();
    let variables = resolve_variables(
        &mut spec,
        &VariableSources {
            cli_values: Vec::new(),
            var_files: Vec::new(),
            environment: None,
            process_env: Vec::new(),
        },
    )
    .expect("variables");
    let variables_time = mark.elapsed();
    let mark = Instant::now();
    let prior_outputs = Default::default();
    let plan = make_plan(&PlanRequest {
        spec: &spec,
        variables: &variables,
        registry,
        stack: "bench",
        environment: None,
        state: &[],
        state_serial: 0,
        prior_outputs: &prior_outputs,
        destroy: false,
    })
    .unwrap_or_else(|diagnostics| panic!("plan failed: {:?}", diagnostics.items.first()));
    let plan_time = mark.elapsed();
    let mark = Instant::now();
    let rendered = render_plan(&plan, &Style::plain());
    assert!(rendered.contains("Plan: 10000 to add"));
    let render = mark.elapsed();
    let mark = Instant::now();
    let database = tempfile::tempdir().expect("temporary directory");
    let mut store = Store::open(&database.path().join("state.db")).expect("state db");
    let lineage = store.ensure_stack("bench").expect("stack").lineage;
    store
        .save_plan(&PlanRecord {
            id: 0,
            stack: "bench".to_string(),
            lineage,
            state_serial: 0,
            spec_hash: plan.spec_hash.clone(),
            plan_json: SavedPlan::new(&plan, &variables, "bench")
                .to_json()
                .expect("plan json"),
            created_at: 0,
        })
        .expect("save plan");
    let save = mark.elapsed();
    Timings {
        load,
        variables: variables_time,
        plan: plan_time,
        render,
        save,
        total: started.elapsed(),
        changes: plan.changes.len(),
    }
}

fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|value| value.parse().ok())
}

fn main() {
    let arguments: Vec<String> = std::env::args().collect();
    if let Some(position) = arguments.iter().position(|argument| argument == "--write") {
        let directory = arguments.get(position + 1).expect("--write DIR");
        let instances = write_spec(Path::new(directory));
        println!("wrote a spec of {instances} resource instances to {directory}");
        return;
    }
    let directory = tempfile::tempdir().expect("temporary directory");
    let instances = write_spec(directory.path());
    let registry = provision_resources::registry();
    let mut runs: Vec<Timings> = (0..5)
        .map(|_| run_once(directory.path(), &registry))
        .collect();
    runs.sort_by_key(|timings| timings.total);
    let median = &runs[runs.len() / 2];
    assert_eq!(median.changes, instances);
    println!(
        "plan of {instances} resource instances from empty state (median of {} runs):",
        runs.len()
    );
    println!(
        "  read + parse files  {:>8.1} ms",
        median.load.as_secs_f64() * 1000.0
    );
    println!(
        "  variables           {:>8.1} ms",
        median.variables.as_secs_f64() * 1000.0
    );
    println!(
        "  plan                {:>8.1} ms",
        median.plan.as_secs_f64() * 1000.0
    );
    println!(
        "  render              {:>8.1} ms",
        median.render.as_secs_f64() * 1000.0
    );
    println!(
        "  save plan (SQLite)  {:>8.1} ms",
        median.save.as_secs_f64() * 1000.0
    );
    println!(
        "  total               {:>8.1} ms",
        median.total.as_secs_f64() * 1000.0
    );
    if let Some(peak) = peak_memory_kib() {
        println!(
            "  peak memory (process, all runs) {:.1} MB",
            peak as f64 / 1024.0
        );
    }
}
