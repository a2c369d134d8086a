//! `data "aws_ami"`: EC2 DescribeImages with `owners`, `executable_users`, `filter {}` and
//! `include_deprecated`, then `name_regex` (a regular expression on the name, RE2 syntax as
//! in Go) applied locally; `most_recent` picks the newest `creation_date`, otherwise more than one
//! match is an error, as in Terraform.

use async_trait::async_trait;

use crate::aws::attrs;
use crate::aws::data_common::{ec2_filters, ec2_tags_value};
use crate::aws::sdk_error;
use crate::aws::AwsDataContext;
use crate::data_source::{DataContext, DataSource};
use crate::error::ProviderError;
use crate::provider::Attributes;
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

pub struct DataAmi {
    schema: Schema,
}

impl DataAmi {
    pub fn new() -> DataAmi {
        DataAmi {
            schema: Schema::new(vec![
                Attribute::computed("architecture", AttrType::String),
                Attribute::computed("arn", AttrType::String),
                Attribute::computed("block_device_mappings", AttrType::Any),
                Attribute::computed("boot_mode", AttrType::String),
                Attribute::computed("creation_date", AttrType::String),
                Attribute::computed("deprecation_time", AttrType::String),
                Attribute::computed("ena_support", AttrType::Bool),
                Attribute::optional(
                    "executable_users",
                    AttrType::List(Box::new(AttrType::String)),
                ),
                Attribute::computed("hypervisor", AttrType::String),
                Attribute::optional_computed("id", AttrType::String),
                Attribute::computed("image_id", AttrType::String),
                Attribute::computed("image_location", AttrType::String),
                Attribute::computed("image_owner_alias", AttrType::String),
                Attribute::computed("image_type", AttrType::String),
                Attribute::computed("imds_support", AttrType::String),
                Attribute::optional("include_deprecated", AttrType::Bool),
                Attribute::computed("kernel_id", AttrType::String),
                Attribute::computed("last_launched_time", AttrType::String),
                Attribute::optional("most_recent", AttrType::Bool),
                Attribute::computed("name", AttrType::String),
                Attribute::optional("name_regex", AttrType::String),
                Attribute::computed("owner_id", AttrType::String),
                Attribute::optional("owners", AttrType::List(Box::new(AttrType::String))),
                Attribute::computed("platform", AttrType::String),
                Attribute::computed("platform_details", AttrType::String),
                Attribute::computed("product_codes", AttrType::Any),
                Attribute::computed("public", AttrType::Bool),
                Attribute::computed("ramdisk_id", AttrType::String),
                Attribute::computed("root_device_name", AttrType::String),
                Attribute::computed("root_device_type", AttrType::String),
                Attribute::computed("root_snapshot_id", AttrType::String),
                Attribute::computed("sriov_net_support", AttrType::String),
                Attribute::computed("state", AttrType::String),
                Attribute::computed("state_reason", AttrType::Map(Box::new(AttrType::String))),
                Attribute::optional_computed("tags", AttrType::Map(Box::new(AttrType::String))),
                Attribute::computed("tpm_support", AttrType::String),
                Attribute::optional("uefi_data", AttrType::String),
                Attribute::computed("usage_operation", AttrType::String),
                Attribute::computed("virtualization_type", AttrType::String),
            ])
            .with_block(NestedBlock {
                name: "filter",
                nesting: BlockNesting::Set,
                schema: Schema::new(vec![
                    Attribute::required("name", AttrType::String),
                    Attribute::required("values", AttrType::Set(Box::new(AttrType::String))),
                ]),
                force_new: false,
                computed: false,
            })
            .with_block(NestedBlock {
                name: "timeouts",
                nesting: BlockNesting::Single,
                schema: Schema::new(vec![Attribute::optional("read", AttrType::String)]),
                force_new: false,
                computed: false,
            }),
        }
    }
}

impl Default for DataAmi {
    fn default() -> Self {
        DataAmi::new()
    }
}

/// True when `pattern` matches somewhere in `text` (Go's `regexp.MatchString`; the regex
/// crate's syntax is RE2's, as Go's is).
pub fn regex_matches(pattern: &str, text: &str) -> Result<bool, String> {
    regex::Regex::new(pattern)
        .map(|expression| expression.is_match(text))
        .map_err(|error| error.to_string())
}

#[async_trait]
impl DataSource for DataAmi {
    fn type_name(&self) -> &'static str {
        "aws_ami"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn read(
        &self,
        context: &DataContext,
        arguments: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let clients = context.aws()?;
        let filters = ec2_filters(arguments);
        let owners = attrs::string_list(arguments, "owners");
        let users = attrs::string_list(arguments, "executable_users");
        let answer = clients
            .ec2
            .describe_images()
            .set_owners((!owners.is_empty()).then_some(owners))
            .set_executable_users((!users.is_empty()).then_some(users))
            .set_filters((!filters.is_empty()).then_some(filters))
            .set_include_deprecated(attrs::optional_bool(arguments, "include_deprecated"))
            .send()
            .await
            .map_err(|error| sdk_error("DescribeImages", error))?;
        let mut images = answer.images().to_vec();
        if let Some(pattern) = attrs::non_empty(arguments, "name_regex") {
            let mut kept = Vec::new();
            for image in images {
                let matched = regex_matches(&pattern, image.name().unwrap_or_default()).map_err(
                    |problem| {
                        ProviderError::invalid(
                            "name_regex",
                            format!("not a valid regular expression: {problem}"),
                        )
                    },
                )?;
                if matched {
                    kept.push(image);
                }
            }
            images = kept;
        }
        let image = match images.len() {
            0 => {
                return Err(ProviderError::Aws {
                    operation: "DescribeImages".into(),
                    code: "NotFound".into(),
                    message: "Your query returned no results. Please change your search criteria and try again.".into(),
                })
            }
            1 => images.remove(0),
            _ if attrs::optional_bool(arguments, "most_recent").unwrap_or(false) => {
                images.sort_by(|left, right| left.creation_date().cmp(&right.creation_date()));
                images.pop().expect("at least two images")
            }
            _ => {
                return Err(ProviderError::Aws {
                    operation: "DescribeImages".into(),
                    code: "TooManyResults".into(),
                    message: "Your query returned more than one result. Please try a more specific search criteria, or set `most_recent` attribute to true.".into(),
                })
            }
        };
        let string = |value: Option<&str>| Value::string(value.unwrap_or_default());
        let id = image.image_id().unwrap_or_default().to_string();
        let partition = crate::aws::data_common::partition_of(&clients.region);
        let mappings: Vec<Value> = image
            .block_device_mappings()
            .iter()
            .map(|mapping| {
                let ebs = mapping.ebs().map(|ebs| {
                    Value::Map(attrs::map([
                        (
                            "delete_on_termination",
                            Value::string(ebs.delete_on_termination().unwrap_or(false).to_string()),
                        ),
                        (
                            "encrypted",
                            Value::string(ebs.encrypted().unwrap_or(false).to_string()),
                        ),
                        ("snapshot_id", string(ebs.snapshot_id())),
                        (
                            "volume_size",
                            Value::string(ebs.volume_size().unwrap_or(0).to_string()),
                        ),
                        (
                            "volume_type",
                            string(ebs.volume_type().map(|kind| kind.as_str())),
                        ),
                    ]))
                });
                Value::Map(attrs::map([
                    ("device_name", string(mapping.device_name())),
                    ("ebs", ebs.unwrap_or(Value::Map(Default::default()))),
                    ("no_device", string(mapping.no_device())),
                    ("virtual_name", string(mapping.virtual_name())),
                ]))
            })
            .collect();
        let root_snapshot = image
            .block_device_mappings()
            .iter()
            .find(|mapping| mapping.device_name() == image.root_device_name())
            .and_then(|mapping| mapping.ebs())
            .and_then(|ebs| ebs.snapshot_id())
            .unwrap_or_default()
            .to_string();
        let mut result = arguments.clone();
        for (name, value) in [
            ("id", Value::string(&id)),
            ("image_id", Value::string(&id)),
            (
                "arn",
                Value::string(format!(
                    "arn:{partition}:ec2:{}::image/{id}",
                    clients.region
                )),
            ),
            (
                "architecture",
                string(image.architecture().map(|kind| kind.as_str())),
            ),
            ("block_device_mappings", Value::List(mappings)),
            (
                "boot_mode",
                string(image.boot_mode().map(|kind| kind.as_str())),
            ),
            ("creation_date", string(image.creation_date())),
            ("deprecation_time", string(image.deprecation_time())),
            (
                "ena_support",
                Value::Bool(image.ena_support().unwrap_or(false)),
            ),
            (
                "hypervisor",
                string(image.hypervisor().map(|kind| kind.as_str())),
            ),
            ("image_location", string(image.image_location())),
            ("image_owner_alias", string(image.image_owner_alias())),
            (
                "image_type",
                string(image.image_type().map(|kind| kind.as_str())),
            ),
            (
                "imds_support",
                string(image.imds_support().map(|kind| kind.as_str())),
            ),
            ("kernel_id", string(image.kernel_id())),
            ("last_launched_time", string(image.last_launched_time())),
            ("name", string(image.name())),
            ("owner_id", string(image.owner_id())),
            (
                "platform",
                string(image.platform().map(|kind| kind.as_str())),
            ),
            ("platform_details", string(image.platform_details())),
            ("product_codes", Value::List(Vec::new())),
            ("public", Value::Bool(image.public().unwrap_or(false))),
            ("ramdisk_id", string(image.ramdisk_id())),
            ("root_device_name", string(image.root_device_name())),
            (
                "root_device_type",
                string(image.root_device_type().map(|kind| kind.as_str())),
            ),
            ("root_snapshot_id", Value::string(root_snapshot)),
            ("sriov_net_support", string(image.sriov_net_support())),
            ("state", string(image.state().map(|state| state.as_str()))),
            (
                "state_reason",
                Value::Map(attrs::map([
                    (
                        "code",
                        string(image.state_reason().and_then(|reason| reason.code())),
                    ),
                    (
                        "message",
                        string(image.state_reason().and_then(|reason| reason.message())),
                    ),
                ])),
            ),
            ("tags", ec2_tags_value(image.tags())),
            (
                "tpm_support",
                string(image.tpm_support().map(|kind| kind.as_str())),
            ),
            ("usage_operation", string(image.usage_operation())),
            (
                "virtualization_type",
                string(image.virtualization_type().map(|kind| kind.as_str())),
            ),
        ] {
            result.insert(name.to_string(), value);
        }
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use super::regex_matches;

    #[test]
    fn name_regex_matches_like_go() {
        assert!(regex_matches(
            "^amzn2-ami-hvm-.*-x86_64-gp2$",
            "amzn2-ami-hvm-2.0.2024-x86_64-gp2"
        )
        .unwrap());
        assert!(!regex_matches(
            "^amzn2-ami-hvm-.*-x86_64-gp2$",
            "amzn2-ami-hvm-2.0-arm64-gp2"
        )
        .unwrap());
        assert!(regex_matches("ubuntu", "my-ubuntu-22.04").unwrap());
        assert!(regex_matches("^web-\\d+$", "web-42").unwrap());
        assert!(!regex_matches("^web-\\d+$", "web-x").unwrap());
        assert!(regex_matches("^[a-c]x?y", "bya").unwrap());
        assert!(regex_matches("^(amzn|al)2023-ami-\\d", "al2023-ami-2023").unwrap());
        assert!(regex_matches("(a|b", "a").is_err());
    }
}
