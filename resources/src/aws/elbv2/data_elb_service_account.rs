//! `data "aws_elb_service_account"`: the AWS account Elastic Load Balancing writes access logs
//! from in a region (`region`, else the configured one), from AWS's published table, as an
//! account id (`id`) and root ARN (`arn`). No AWS call. Regions opened after 2022 have no such
//! account (their log buckets grant `logdelivery.elasticloadbalancing.amazonaws.com`): an error
//! says so.

use async_trait::async_trait;

use crate::aws::attrs;
use crate::aws::data_common::partition_of;
use crate::aws::AwsDataContext;
use crate::data_source::{DataContext, DataSource};
use crate::error::ProviderError;
use crate::provider::Attributes;
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

/// Region → the ELB account id, as AWS publishes it (and Terraform's provider carries it).
const ACCOUNTS: &[(&str, &str)] = &[
    ("af-south-1", "098369216593"),
    ("ap-east-1", "754344448648"),
    ("ap-northeast-1", "582318560864"),
    ("ap-northeast-2", "600734575887"),
    ("ap-northeast-3", "383597477331"),
    ("ap-south-1", "718504428378"),
    ("ap-southeast-1", "114774131450"),
    ("ap-southeast-2", "783225319266"),
    ("ap-southeast-3", "589379963580"),
    ("ca-central-1", "985666609251"),
    ("cn-north-1", "638102146993"),
    ("cn-northwest-1", "037604701340"),
    ("eu-central-1", "054676820928"),
    ("eu-north-1", "897822967062"),
    ("eu-south-1", "635631232127"),
    ("eu-west-1", "156460612806"),
    ("eu-west-2", "652711504416"),
    ("eu-west-3", "009996457667"),
    ("me-south-1", "076674570225"),
    ("sa-east-1", "507241528517"),
    ("us-east-1", "127311923021"),
    ("us-east-2", "033677994240"),
    ("us-gov-east-1", "190560391635"),
    ("us-gov-west-1", "048591011584"),
    ("us-west-1", "027434742980"),
    ("us-west-2", "797873946194"),
];

/// The ELB account of `region`.
pub fn account_of(region: &str) -> Option<&'static str> {
    ACCOUNTS
        .iter()
        .find(|(name, _)| *name == region)
        .map(|(_, account)| *account)
}

pub struct ElbServiceAccount {
    schema: Schema,
}

impl ElbServiceAccount {
    pub fn new() -> ElbServiceAccount {
        ElbServiceAccount {
            schema: Schema::new(vec![
                Attribute::computed("arn", AttrType::String),
                Attribute::optional_computed("id", AttrType::String),
                Attribute::optional("region", AttrType::String),
            ]),
        }
    }
}

impl Default for ElbServiceAccount {
    fn default() -> Self {
        ElbServiceAccount::new()
    }
}

#[async_trait]
impl DataSource for ElbServiceAccount {
    fn type_name(&self) -> &'static str {
        "aws_elb_service_account"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn read(
        &self,
        context: &DataContext,
        arguments: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let region = match attrs::non_empty(arguments, "region") {
            Some(region) => region,
            None => context.aws()?.region.clone(),
        };
        let account = account_of(&region).ok_or_else(|| {
            ProviderError::invalid(
                "region",
                format!(
                    "{region} has no Elastic Load Balancing account: grant \
                     `logdelivery.elasticloadbalancing.amazonaws.com` in the log bucket's policy"
                ),
            )
        })?;
        let mut result = arguments.clone();
        result.insert("id".into(), Value::string(account));
        result.insert(
            "arn".into(),
            Value::string(format!("arn:{}:iam::{account}:root", partition_of(&region))),
        );
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_answers_per_region() {
        assert_eq!(account_of("us-east-1"), Some("127311923021"));
        assert_eq!(account_of("eu-west-1"), Some("156460612806"));
        assert_eq!(account_of("cn-north-1"), Some("638102146993"));
        assert_eq!(account_of("mars-1"), None);
    }
}
