//! `ResourceAddr`: the address of one resource instance (`aws_subnet.public[0]`,
//! `aws_subnet.by_zone["a"]`), parsed from and printed to Terraform's syntax.

use std::fmt;

/// Which instance of a resource block: none (no `count` / `for_each`), a `count` index or a
/// `for_each` key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InstanceKey {
    None,
    Index(i64),
    Key(String),
}

/// The address of a resource instance.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceAddr {
    pub type_name: String,
    pub name: String,
    pub key: InstanceKey,
}

impl ResourceAddr {
    pub fn new(type_name: &str, name: &str, key: InstanceKey) -> ResourceAddr {
        ResourceAddr {
            type_name: type_name.to_string(),
            name: name.to_string(),
            key,
        }
    }

    /// `aws_subnet.public` (the block, without the instance key).
    pub fn block_address(&self) -> String {
        format!("{}.{}", self.type_name, self.name)
    }

    /// Parses `type.name`, `type.name[3]` or `type.name["key"]`.
    pub fn parse(text: &str) -> Option<ResourceAddr> {
        let (block, key) = match text.find('[') {
            Some(open) => {
                let inner = text[open..].strip_prefix('[')?.strip_suffix(']')?;
                let key = if let Ok(index) = inner.parse::<i64>() {
                    InstanceKey::Index(index)
                } else {
                    InstanceKey::Key(serde_json::from_str::<String>(inner).ok()?)
                };
                (&text[..open], key)
            }
            None => (text, InstanceKey::None),
        };
        let (type_name, name) = block.split_once('.')?;
        if type_name.is_empty() || name.is_empty() || name.contains('.') {
            return None;
        }
        Some(ResourceAddr::new(type_name, name, key))
    }
}

impl fmt::Display for ResourceAddr {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}.{}", self.type_name, self.name)?;
        match &self.key {
            InstanceKey::None => Ok(()),
            InstanceKey::Index(index) => write!(formatter, "[{index}]"),
            InstanceKey::Key(key) => {
                write!(formatter, "[{}]", serde_json::Value::String(key.clone()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_round_trip() {
        for text in [
            "aws_vpc.main",
            "aws_subnet.public[1]",
            "aws_subnet.zone[\"us-east-1a\"]",
        ] {
            assert_eq!(ResourceAddr::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(ResourceAddr::parse("nodot"), None);
        assert_eq!(ResourceAddr::parse("a.b[unquoted]"), None);
    }
}
