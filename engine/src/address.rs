//! `ResourceAddr`: the address of one resource instance (`aws_subnet.public[0]`,
//! `aws_subnet.by_zone["a"]`, `module.network["a"].aws_subnet.private[0]`), parsed from and
//! printed to Terraform's syntax; `ModuleStep`, one `module.NAME[KEY]` of a module path.

use std::fmt;

/// Which instance of a resource block: none (no `count` / `for_each`), a `count` index or a
/// `for_each` key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InstanceKey {
    None,
    Index(i64),
    Key(String),
}

impl fmt::Display for InstanceKey {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstanceKey::None => Ok(()),
            InstanceKey::Index(index) => write!(formatter, "[{index}]"),
            InstanceKey::Key(key) => {
                write!(formatter, "[{}]", serde_json::Value::String(key.clone()))
            }
        }
    }
}

/// One step of a module path: `module.network`, `module.vpc["a"]`, `module.zone[0]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModuleStep {
    pub name: String,
    pub key: InstanceKey,
}

impl fmt::Display for ModuleStep {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "module.{}{}", self.name, self.key)
    }
}

/// `module.a["x"].module.b` (empty for the root module).
pub fn module_path_text(path: &[ModuleStep]) -> String {
    path.iter()
        .map(ModuleStep::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// The address of a resource instance.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceAddr {
    /// The module instance the resource lives in; empty in the root module.
    pub module: Vec<ModuleStep>,
    pub type_name: String,
    pub name: String,
    pub key: InstanceKey,
}

impl ResourceAddr {
    pub fn new(type_name: &str, name: &str, key: InstanceKey) -> ResourceAddr {
        ResourceAddr {
            module: Vec::new(),
            type_name: type_name.to_string(),
            name: name.to_string(),
            key,
        }
    }

    /// The same address inside the module instance `module`.
    pub fn in_module(mut self, module: &[ModuleStep]) -> ResourceAddr {
        self.module = module.to_vec();
        self
    }

    /// `aws_subnet.public` or `module.network.aws_subnet.public` (the block, without the
    /// instance key).
    pub fn block_address(&self) -> String {
        let mut text = module_path_text(&self.module);
        if !text.is_empty() {
            text.push('.');
        }
        text.push_str(&format!("{}.{}", self.type_name, self.name));
        text
    }

    /// Parses `type.name`, `type.name[3]`, `type.name["key"]`, each optionally after module
    /// steps (`module.network.`, `module.vpc["a"].`).
    pub fn parse(text: &str) -> Option<ResourceAddr> {
        let steps = split_steps(text)?;
        let mut module = Vec::new();
        let mut rest = steps.as_slice();
        while let [(word, InstanceKey::None), (name, key), tail @ ..] = rest {
            if word != "module" || tail.is_empty() {
                break;
            }
            module.push(ModuleStep {
                name: name.clone(),
                key: key.clone(),
            });
            rest = tail;
        }
        match rest {
            [(type_name, InstanceKey::None), (name, key)] if type_name != "module" => {
                Some(ResourceAddr {
                    module,
                    type_name: type_name.clone(),
                    name: name.clone(),
                    key: key.clone(),
                })
            }
            _ => None,
        }
    }
}

/// Parses the address of a data source instance: `data.aws_vpc.main`,
/// `module.network.data.aws_subnet.private[0]`; the data block's type, name and key with its
/// module path.
pub fn parse_data_address(text: &str) -> Option<ResourceAddr> {
    let steps = split_steps(text)?;
    let mut module = Vec::new();
    let mut rest = steps.as_slice();
    while let [(word, InstanceKey::None), (name, key), tail @ ..] = rest {
        if word != "module" || tail.is_empty() {
            break;
        }
        module.push(ModuleStep {
            name: name.clone(),
            key: key.clone(),
        });
        rest = tail;
    }
    match rest {
        [(data, InstanceKey::None), (type_name, InstanceKey::None), (name, key)]
            if data == "data" =>
        {
            Some(ResourceAddr {
                module,
                type_name: type_name.clone(),
                name: name.clone(),
                key: key.clone(),
            })
        }
        _ => None,
    }
}

/// The address of a data source instance: `data.aws_vpc.main`, `module.a.data.aws_vpc.main`.
pub fn data_address_text(address: &ResourceAddr) -> String {
    let mut text = String::new();
    for step in &address.module {
        text.push_str(&format!("{step}."));
    }
    text.push_str(&format!(
        "data.{}.{}{}",
        address.type_name, address.name, address.key
    ));
    text
}

/// Splits `a.b[0].c["k"]` into `[("a", None), ("b", Index(0)), ("c", Key("k"))]`. Names are
/// identifiers; a key follows a name directly.
pub fn split_steps(text: &str) -> Option<Vec<(String, InstanceKey)>> {
    let mut steps = Vec::new();
    let mut rest = text;
    loop {
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        let name = &rest[..end];
        let valid = !name.is_empty()
            && name
                .chars()
                .all(|character| character.is_alphanumeric() || "_-".contains(character));
        if !valid {
            return None;
        }
        rest = &rest[end..];
        let mut key = InstanceKey::None;
        if let Some(after) = rest.strip_prefix('[') {
            let (inner, tail) = if after.starts_with('"') {
                // A quoted key may hold `]`: find the closing quote first.
                let mut escaped = false;
                let mut close = None;
                for (offset, character) in after.char_indices().skip(1) {
                    match character {
                        '\\' if !escaped => escaped = true,
                        '"' if !escaped => {
                            close = Some(offset);
                            break;
                        }
                        _ => escaped = false,
                    }
                }
                let close = close?;
                let tail = after[close + 1..].strip_prefix(']')?;
                (&after[..=close], tail)
            } else {
                let close = after.find(']')?;
                (&after[..close], &after[close + 1..])
            };
            key = if let Ok(index) = inner.parse::<i64>() {
                InstanceKey::Index(index)
            } else {
                InstanceKey::Key(serde_json::from_str::<String>(inner).ok()?)
            };
            rest = tail;
        }
        steps.push((name.to_string(), key));
        if rest.is_empty() {
            return Some(steps);
        }
        rest = rest.strip_prefix('.')?;
    }
}

impl fmt::Display for ResourceAddr {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        for step in &self.module {
            write!(formatter, "{step}.")?;
        }
        write!(formatter, "{}.{}{}", self.type_name, self.name, self.key)
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
            "module.network.aws_subnet.private[0]",
            "module.vpc[\"a\"].module.subnets[2].aws_subnet.zone[\"x.y]\"]",
        ] {
            assert_eq!(ResourceAddr::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(ResourceAddr::parse("nodot"), None);
        assert_eq!(ResourceAddr::parse("a.b[unquoted]"), None);
        assert_eq!(ResourceAddr::parse("module.network"), None);
        assert_eq!(ResourceAddr::parse("module.network.aws_vpc"), None);
        assert_eq!(ResourceAddr::parse("aws_vpc.main.id"), None);
    }

    #[test]
    fn data_addresses_round_trip() {
        for text in [
            "data.aws_vpc.main",
            "data.aws_subnet.each[1]",
            "module.network.data.aws_availability_zones.available",
            "module.vpc[\"a\"].module.b[0].data.aws_subnet.zone[\"x\"]",
        ] {
            let parsed = parse_data_address(text).unwrap();
            assert_eq!(data_address_text(&parsed), text);
        }
        assert!(parse_data_address("aws_vpc.main").is_none());
        assert!(parse_data_address("module.network.aws_vpc.main").is_none());
        let parsed = parse_data_address("module.network.data.aws_vpc.main").unwrap();
        assert_eq!(parsed.module[0].name, "network");
        assert_eq!(parsed.type_name, "aws_vpc");
    }

    #[test]
    fn module_steps_are_parsed() {
        let address = ResourceAddr::parse("module.vpc[\"a\"].aws_subnet.private[0]").unwrap();
        assert_eq!(
            address.module,
            vec![ModuleStep {
                name: "vpc".into(),
                key: InstanceKey::Key("a".into())
            }]
        );
        assert_eq!(address.type_name, "aws_subnet");
        assert_eq!(address.key, InstanceKey::Index(0));
        assert_eq!(
            address.block_address(),
            "module.vpc[\"a\"].aws_subnet.private"
        );
        assert_eq!(module_path_text(&address.module), "module.vpc[\"a\"]");
    }
}
