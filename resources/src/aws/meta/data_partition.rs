//! `data "aws_partition"`: the partition of the configured region (`aws`, `aws-cn`,
//! `aws-us-gov`...), its DNS suffix and reverse DNS prefix; `id` is the partition. No AWS call.

use async_trait::async_trait;

use crate::aws::data_common::{dns_suffix_of, partition_of};
use crate::aws::AwsDataContext;
use crate::data_source::{DataContext, DataSource};
use crate::error::ProviderError;
use crate::provider::Attributes;
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct Partition {
    schema: Schema,
}

impl Partition {
    pub fn new() -> Partition {
        Partition {
            schema: Schema::new(vec![
                Attribute::computed("dns_suffix", AttrType::String),
                Attribute::optional_computed("id", AttrType::String),
                Attribute::computed("partition", AttrType::String),
                Attribute::computed("reverse_dns_prefix", AttrType::String),
            ]),
        }
    }
}

impl Default for Partition {
    fn default() -> Self {
        Partition::new()
    }
}

/// `com.amazonaws` reversed from the DNS suffix (`amazonaws.com.cn` → `cn.com.amazonaws`).
fn reverse_dns(suffix: &str) -> String {
    suffix.split('.').rev().collect::<Vec<_>>().join(".")
}

#[async_trait]
impl DataSource for Partition {
    fn type_name(&self) -> &'static str {
        "aws_partition"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn read(
        &self,
        context: &DataContext,
        arguments: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let partition = partition_of(&context.aws()?.region);
        let suffix = dns_suffix_of(partition);
        let mut result = arguments.clone();
        result.insert("id".into(), Value::string(partition));
        result.insert("partition".into(), Value::string(partition));
        result.insert("dns_suffix".into(), Value::string(suffix));
        result.insert(
            "reverse_dns_prefix".into(),
            Value::string(reverse_dns(suffix)),
        );
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reverse_dns_prefixes() {
        assert_eq!(reverse_dns("amazonaws.com"), "com.amazonaws");
        assert_eq!(reverse_dns("amazonaws.com.cn"), "cn.com.amazonaws");
    }
}
