//! Modules with the AWS registry: data blocks inside a module (addresses
//! `module.x.data.aws_y.z`, read through the module's provider configuration) and
//! `providers = { aws = aws.<alias> }` on module blocks, passed down to nested modules.

use std::collections::BTreeMap;
use std::sync::Mutex;

use provision_core::{Attributes, DataSource, ProviderError, Value};
use provision_engine::plan::data::DataReader;
use provision_engine::plan::planner::{make_plan_with_data, PlanRequest};
use provision_engine::plan::{Action, Plan};
use provision_engine::testing::{load_with_variables, SpecFolder};

/// Answers every read with the names of two zones of the configuration's region, and
/// records which configuration each address was read through.
#[derive(Default)]
struct ZonesReader {
    reads: Mutex<Vec<(String, String)>>,
}

impl DataReader for ZonesReader {
    fn read(
        &self,
        _data_source: &dyn DataSource,
        address: &str,
        configuration: &str,
        _arguments: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        self.reads
            .lock()
            .expect("reads")
            .push((address.to_string(), configuration.to_string()));
        let region = if configuration == "aws.west" {
            "eu-west-1"
        } else {
            "us-east-1"
        };
        Ok([(
            "names".to_string(),
            Value::List(vec![
                Value::string(format!("{region}a")),
                Value::string(format!("{region}b")),
            ]),
        )]
        .into())
    }
}

const ROOT: &str = r#"
provider "aws" {
  region = "us-east-1"
}
provider "aws" {
  alias  = "west"
  region = "eu-west-1"
}
resource "aws_vpc" "root" {
  cidr_block = "10.9.0.0/16"
}
module "east" {
  source = "./network"
  cidr   = "10.0.0.0/16"
}
module "west" {
  source = "./network"
  cidr   = "10.1.0.0/16"
  providers = {
    aws = aws.west
  }
}
output "west_zone" {
  value = module.west.zone
}
"#;

const NETWORK: &str = r#"
variable "cidr" {
  type = string
}
data "aws_availability_zones" "available" {
  state = "available"
}
resource "aws_vpc" "main" {
  cidr_block = var.cidr
  tags = {
    Zone = data.aws_availability_zones.available.names[0]
  }
}
module "inner" {
  source = "./inner"
  vpc_id = aws_vpc.main.id
}
output "zone" {
  value = data.aws_availability_zones.available.names[0]
}
"#;

const INNER: &str = r#"
variable "vpc_id" {
  type = string
}
data "aws_vpc" "this" {
  id = var.vpc_id
}
resource "aws_subnet" "a" {
  vpc_id     = var.vpc_id
  cidr_block = cidrsubnet(data.aws_vpc.this.cidr_block, 8, 1)
}
"#;

fn plan_modules(reader: &ZonesReader) -> Plan {
    let folder = SpecFolder::with_main(ROOT);
    std::fs::create_dir_all(folder.path().join("network/inner")).expect("module folders");
    std::fs::write(folder.path().join("network/main.tf"), NETWORK).expect("module file");
    std::fs::write(folder.path().join("network/inner/main.tf"), INNER).expect("module file");
    let (spec, variables) = load_with_variables(folder.path(), &[])
        .unwrap_or_else(|(_, diagnostics)| panic!("the spec does not load: {diagnostics:#?}"));
    let registry = provision_resources::registry();
    make_plan_with_data(
        &PlanRequest {
            spec: &spec,
            variables: &variables,
            registry: &registry,
            stack: "modules",
            environment: None,
            state: &[],
            state_serial: 0,
            prior_outputs: &BTreeMap::new(),
            destroy: false,
        },
        Some(reader),
    )
    .unwrap_or_else(|diagnostics| panic!("{diagnostics:#?}"))
}

fn change<'plan>(plan: &'plan Plan, address: &str) -> &'plan provision_engine::plan::Change {
    plan.changes
        .iter()
        .find(|change| change.address == address)
        .unwrap_or_else(|| {
            let addresses: Vec<&str> = plan
                .changes
                .iter()
                .map(|change| change.address.as_str())
                .collect();
            panic!("no change for {address}: {addresses:#?}")
        })
}

#[test]
fn data_blocks_inside_modules_are_read_through_the_modules_configuration() {
    let reader = ZonesReader::default();
    let plan = plan_modules(&reader);
    let mut reads = reader.reads.lock().expect("reads").clone();
    reads.sort();
    assert_eq!(
        reads,
        vec![
            (
                "module.east.data.aws_availability_zones.available".to_string(),
                "aws".to_string()
            ),
            (
                "module.west.data.aws_availability_zones.available".to_string(),
                "aws.west".to_string()
            ),
        ]
    );
    let west_zones = change(&plan, "module.west.data.aws_availability_zones.available");
    assert_eq!(west_zones.action, Action::NoOp);
    assert!(west_zones.is_data());
    assert_eq!(west_zones.provider, "aws.west");
    let west_vpc = change(&plan, "module.west.aws_vpc.main");
    assert_eq!(west_vpc.action, Action::Create);
    assert_eq!(west_vpc.provider, "aws.west");
    assert_eq!(
        west_vpc
            .after
            .as_ref()
            .and_then(|after| after.get("tags"))
            .and_then(|tags| match tags {
                Value::Map(tags) => tags.get("Zone").cloned(),
                _ => None,
            }),
        Some(Value::string("eu-west-1a"))
    );
    assert_eq!(change(&plan, "module.east.aws_vpc.main").provider, "aws");
    assert_eq!(change(&plan, "aws_vpc.root").provider, "aws");
    let output = plan
        .outputs
        .iter()
        .find(|output| output.name == "west_zone")
        .expect("output");
    assert_eq!(output.after, Some(Value::string("eu-west-1a")));
}

#[test]
fn a_nested_module_inherits_its_callers_configuration_and_defers_unknown_reads() {
    let reader = ZonesReader::default();
    let plan = plan_modules(&reader);
    // `id = var.vpc_id` is the id of a VPC not made yet: the read waits for apply, under the
    // nested module's address, through the configuration the outer call passed down.
    let inner = change(&plan, "module.west.module.inner.data.aws_vpc.this");
    assert_eq!(inner.action, Action::Read);
    assert_eq!(inner.provider, "aws.west");
    assert_eq!(
        inner.read_reason.as_deref(),
        Some("config refers to values not yet known")
    );
    assert_eq!(inner.dependencies, vec!["module.west.aws_vpc.main"]);
    let subnet = change(&plan, "module.west.module.inner.aws_subnet.a");
    assert_eq!(subnet.provider, "aws.west");
    assert!(
        subnet
            .dependencies
            .contains(&"module.west.module.inner.data.aws_vpc.this".to_string()),
        "{:?}",
        subnet.dependencies
    );
    assert!(
        subnet
            .dependencies
            .contains(&"module.west.aws_vpc.main".to_string()),
        "{:?}",
        subnet.dependencies
    );
    assert_eq!(
        change(&plan, "module.east.module.inner.aws_subnet.a").provider,
        "aws"
    );
}
