//! Helpers shared by the AWS data sources: EC2 `filter {}` blocks and `tags` maps as API
//! filters, "exactly one match" checks, tag maps as values, the account/partition of an ARN.

use std::collections::BTreeMap;

use aws_sdk_ec2::types::{Filter, Tag};

use crate::aws::attrs;
use crate::error::ProviderError;
use crate::provider::Attributes;
use crate::value::Value;

/// The `filter { name, values }` blocks of `arguments` as EC2 filters.
pub fn ec2_filters(arguments: &Attributes) -> Vec<Filter> {
    attrs::blocks(arguments, "filter")
        .into_iter()
        .filter_map(|filter| {
            let name = attrs::optional_string(filter, "name")?;
            Some(
                Filter::builder()
                    .name(name)
                    .set_values(Some(attrs::string_list(filter, "values")))
                    .build(),
            )
        })
        .collect()
}

/// `tags = { k = v }` of `arguments` as `tag:k` filters.
pub fn ec2_tag_filters(arguments: &Attributes, attribute: &str) -> Vec<Filter> {
    match arguments.get(attribute) {
        Some(Value::Map(tags)) => tags
            .iter()
            .filter_map(|(key, value)| {
                Some(
                    Filter::builder()
                        .name(format!("tag:{key}"))
                        .values(value.to_template_string()?)
                        .build(),
                )
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// An EC2 filter on one value, when the argument is set.
pub fn ec2_filter_if(arguments: &Attributes, attribute: &str, filter_name: &str) -> Option<Filter> {
    let value = match arguments.get(attribute)? {
        Value::Bool(flag) => flag.to_string(),
        other => other.to_template_string().filter(|text| !text.is_empty())?,
    };
    Some(Filter::builder().name(filter_name).values(value).build())
}

/// Terraform's "no match" / "more than one match" errors for single-result data sources.
pub fn exactly_one<T>(mut found: Vec<T>, what: &str) -> Result<T, ProviderError> {
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(ProviderError::Aws {
            operation: format!("finding the {what}"),
            code: "NotFound".to_string(),
            message: format!("no matching {what} found"),
        }),
        count => Err(ProviderError::Aws {
            operation: format!("finding the {what}"),
            code: "TooManyResults".to_string(),
            message: format!(
                "{count} {what}s matched; change the search criteria so that exactly one matches"
            ),
        }),
    }
}

/// EC2 tags as a `tags` map value.
pub fn ec2_tags_value(tags: &[Tag]) -> Value {
    Value::Map(
        tags.iter()
            .filter_map(|tag| {
                Some((
                    tag.key()?.to_string(),
                    Value::string(tag.value().unwrap_or_default()),
                ))
            })
            .collect(),
    )
}

/// A string → string map as a value.
pub fn string_map_value(map: &BTreeMap<String, String>) -> Value {
    Value::Map(
        map.iter()
            .map(|(key, value)| (key.clone(), Value::string(value)))
            .collect(),
    )
}

/// The partition of a region: `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b`...
pub fn partition_of(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else if region.starts_with("eu-isoe-") {
        "aws-iso-e"
    } else if region.starts_with("us-isof-") {
        "aws-iso-f"
    } else {
        "aws"
    }
}

/// The DNS suffix of a partition.
pub fn dns_suffix_of(partition: &str) -> &'static str {
    match partition {
        "aws-cn" => "amazonaws.com.cn",
        "aws-iso" => "c2s.ic.gov",
        "aws-iso-b" => "sc2s.sgov.gov",
        "aws-iso-e" => "cloud.adc-e.uk",
        "aws-iso-f" => "csp.hci.ic.gov",
        _ => "amazonaws.com",
    }
}

/// The `i`-th `:`-separated field of an ARN (`arn:partition:service:region:account:...`).
pub fn arn_field(arn: &str, index: usize) -> Option<&str> {
    arn.split(':').nth(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_follow_the_region() {
        assert_eq!(partition_of("us-east-1"), "aws");
        assert_eq!(partition_of("cn-north-1"), "aws-cn");
        assert_eq!(partition_of("us-gov-west-1"), "aws-us-gov");
        assert_eq!(dns_suffix_of("aws-cn"), "amazonaws.com.cn");
    }

    #[test]
    fn exactly_one_names_the_problem() {
        assert_eq!(exactly_one(vec![1], "VPC").unwrap(), 1);
        let none = exactly_one(Vec::<i32>::new(), "VPC").unwrap_err();
        assert!(none.is_not_found(), "{none}");
        let many = exactly_one(vec![1, 2], "VPC").unwrap_err();
        assert_eq!(many.code(), Some("TooManyResults"));
    }
}
