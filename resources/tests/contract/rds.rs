//! Fixtures of the RDS types: a DB subnet group over the two shared subnets, a cluster
//! parameter group, an Aurora Serverless v2 PostgreSQL cluster and an instance in it.

use serde_json::json;

use crate::ec2;
use crate::harness::Fixture;

pub fn db_subnet_group() -> Fixture {
    Fixture::new("aws_db_subnet_group", |created| {
        json!({"name": created.name("db"),
               "subnet_ids": [created.id("aws_subnet"), created.id("aws_subnet.second")],
               "tags": {"Name": created.name("db")}})
    })
    .needs(&[ec2::subnet, ec2::second_subnet])
}

pub fn rds_cluster_parameter_group() -> Fixture {
    Fixture::new("aws_rds_cluster_parameter_group", |created| {
        json!({"name": created.name("pg16"), "family": "aurora-postgresql16",
               "description": "contract test",
               "parameter": [{"name": "rds.force_ssl", "value": "1"}],
               "tags": {"Name": created.name("pg16")}})
    })
}

pub fn rds_cluster() -> Fixture {
    Fixture::new("aws_rds_cluster", |created| {
        json!({"cluster_identifier": created.name("cluster"), "engine": "aurora-postgresql",
               "engine_version": "16.4", "master_username": "contract",
               "master_password": "not-a-real-password", "skip_final_snapshot": true,
               "db_subnet_group_name": created.get("aws_db_subnet_group", "name"),
               "serverlessv2_scaling_configuration": {"min_capacity": 0.5, "max_capacity": 2},
               "tags": {"Name": created.name("cluster")}})
    })
    .needs(&[db_subnet_group])
}

pub fn rds_cluster_instance() -> Fixture {
    Fixture::new("aws_rds_cluster_instance", |created| {
        json!({"identifier": created.name("instance"),
               "cluster_identifier": created.id("aws_rds_cluster"),
               "instance_class": "db.serverless", "engine": "aurora-postgresql",
               "tags": {"Name": created.name("instance")}})
    })
    .needs(&[rds_cluster])
}
