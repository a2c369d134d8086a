//! RDS and Lambda / SNS / CloudWatch checks for the Aurora and Stream Sales e2e tests: direct
//! describe calls, never provision's own output.

use crate::Cloud;

impl Cloud {
    /// DescribeDBClusters for one cluster; `None` when it does not exist.
    pub fn rds_cluster(&self, identifier: &str) -> Option<aws_sdk_rds::types::DbCluster> {
        let answer = self.block_on(
            self.rds
                .describe_db_clusters()
                .db_cluster_identifier(identifier)
                .send(),
        );
        match answer {
            Ok(output) => output.db_clusters().first().cloned(),
            Err(error) if format!("{error:?}").contains("DBClusterNotFound") => None,
            Err(error) => panic!("DescribeDBClusters {identifier}: {error:?}"),
        }
    }

    /// DescribeDBInstances for one instance; `None` when it does not exist.
    pub fn rds_instance(&self, identifier: &str) -> Option<aws_sdk_rds::types::DbInstance> {
        let answer = self.block_on(
            self.rds
                .describe_db_instances()
                .db_instance_identifier(identifier)
                .send(),
        );
        match answer {
            Ok(output) => output.db_instances().first().cloned(),
            Err(error) if format!("{error:?}").contains("DBInstanceNotFound") => None,
            Err(error) => panic!("DescribeDBInstances {identifier}: {error:?}"),
        }
    }

    /// The subnet ids of a DB subnet group, sorted.
    pub fn db_subnet_group_subnets(&self, name: &str) -> Vec<String> {
        let output = self
            .block_on(
                self.rds
                    .describe_db_subnet_groups()
                    .db_subnet_group_name(name)
                    .send(),
            )
            .unwrap_or_else(|error| panic!("DescribeDBSubnetGroups {name}: {error:?}"));
        let mut subnets: Vec<String> = output
            .db_subnet_groups()
            .first()
            .unwrap_or_else(|| panic!("no subnet group {name}"))
            .subnets()
            .iter()
            .filter_map(|subnet| subnet.subnet_identifier().map(str::to_string))
            .collect();
        subnets.sort();
        subnets
    }

    /// The identifiers of the manual cluster snapshots of `cluster` (final snapshots are manual;
    /// the emulator also keeps an automated one).
    pub fn rds_cluster_snapshots(&self, cluster: &str) -> Vec<String> {
        let output = self
            .block_on(
                self.rds
                    .describe_db_cluster_snapshots()
                    .db_cluster_identifier(cluster)
                    .send(),
            )
            .unwrap_or_else(|error| panic!("DescribeDBClusterSnapshots {cluster}: {error:?}"));
        output
            .db_cluster_snapshots()
            .iter()
            .filter(|snapshot| snapshot.snapshot_type() == Some("manual"))
            .filter_map(|snapshot| {
                snapshot
                    .db_cluster_snapshot_identifier()
                    .map(str::to_string)
            })
            .collect()
    }

    /// GetFunction's configuration; `None` when the function does not exist.
    pub fn lambda_function(
        &self,
        name: &str,
    ) -> Option<aws_sdk_lambda::types::FunctionConfiguration> {
        match self.block_on(self.lambda.get_function().function_name(name).send()) {
            Ok(output) => output.configuration().cloned(),
            Err(error) if format!("{error:?}").contains("ResourceNotFound") => None,
            Err(error) => panic!("GetFunction {name}: {error:?}"),
        }
    }

    /// An IAM role Lambda can assume, for fixtures that need an execution role; its ARN.
    pub fn lambda_role(&self, name: &str) -> String {
        let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
        let output = self
            .block_on(
                self.iam
                    .create_role()
                    .role_name(name)
                    .assume_role_policy_document(policy)
                    .send(),
            )
            .unwrap_or_else(|error| panic!("CreateRole {name}: {error:?}"));
        output
            .role()
            .map(|role| role.arn().to_string())
            .expect("role ARN")
    }
}
