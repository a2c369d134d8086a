//! Resource schemas: each attribute's type, whether it is required / optional / computed,
//! force-new or sensitive, and the nested blocks a resource accepts.

use crate::value::Value;

/// The type of an attribute. `Json` is a string holding a JSON document that is compared
/// semantically (policies, container definitions), not as text.
#[derive(Debug, Clone, PartialEq)]
pub enum AttrType {
    String,
    Number,
    Bool,
    List(Box<AttrType>),
    /// Order does not matter: compared as a set.
    Set(Box<AttrType>),
    Map(Box<AttrType>),
    Json,
    /// Anything: no type check.
    Any,
}

impl AttrType {
    pub fn list_of_strings() -> AttrType {
        AttrType::List(Box::new(AttrType::String))
    }

    pub fn set_of_strings() -> AttrType {
        AttrType::Set(Box::new(AttrType::String))
    }

    pub fn map_of_strings() -> AttrType {
        AttrType::Map(Box::new(AttrType::String))
    }

    /// Name as written in diagnostics: `string`, `list(string)`, ...
    pub fn describe(&self) -> String {
        match self {
            AttrType::String => "string".into(),
            AttrType::Number => "number".into(),
            AttrType::Bool => "bool".into(),
            AttrType::List(inner) => format!("list({})", inner.describe()),
            AttrType::Set(inner) => format!("set({})", inner.describe()),
            AttrType::Map(inner) => format!("map({})", inner.describe()),
            AttrType::Json => "string (JSON)".into(),
            AttrType::Any => "any".into(),
        }
    }

    /// Converts `value` to this type the way Terraform does (numbers and bools to strings and
    /// back), or says why it cannot. Unknown and null always conform.
    pub fn conform(&self, value: &Value) -> Result<Value, String> {
        match (self, value) {
            (_, Value::Unknown) | (_, Value::Null) | (AttrType::Any, _) => Ok(value.clone()),
            (AttrType::String | AttrType::Json, Value::String(_)) => Ok(value.clone()),
            (AttrType::String, Value::Number(_) | Value::Bool(_)) => Ok(Value::String(
                value.to_template_string().unwrap_or_default(),
            )),
            (AttrType::Json, Value::Map(_) | Value::List(_)) => Err(format!(
                "expected a JSON string, got a {}; wrap it in jsonencode(...)",
                value.type_name()
            )),
            (AttrType::Number, Value::Number(_)) => Ok(value.clone()),
            (AttrType::Number, Value::String(text)) => text
                .parse::<f64>()
                .map(Value::Number)
                .map_err(|_| format!("expected number, got string {text:?}")),
            (AttrType::Bool, Value::Bool(_)) => Ok(value.clone()),
            (AttrType::Bool, Value::String(text)) if text == "true" || text == "false" => {
                Ok(Value::Bool(text == "true"))
            }
            (AttrType::List(inner) | AttrType::Set(inner), Value::List(items)) => {
                let mut converted = Vec::with_capacity(items.len());
                for item in items {
                    converted.push(inner.conform(item)?);
                }
                Ok(Value::List(converted))
            }
            (AttrType::Map(inner), Value::Map(entries)) => {
                let mut converted = std::collections::BTreeMap::new();
                for (key, item) in entries {
                    converted.insert(key.clone(), inner.conform(item)?);
                }
                Ok(Value::Map(converted))
            }
            (expected, actual) => Err(format!(
                "expected {}, got {}",
                expected.describe(),
                actual.type_name()
            )),
        }
    }
}

/// One attribute of a resource or nested block.
#[derive(Debug, Clone)]
pub struct Attribute {
    pub name: &'static str,
    pub attr_type: AttrType,
    /// Must be set in the spec.
    pub required: bool,
    /// May be set in the spec (required attributes are also settable).
    pub optional: bool,
    /// Filled in by the provider (ids, ARNs, defaults AWS chooses). Optional + computed means
    /// "if the spec leaves it out, keep what AWS has".
    pub computed: bool,
    /// A change replaces the resource.
    pub force_new: bool,
    /// Never shown in clear text.
    pub sensitive: bool,
    /// The value used when the spec leaves an optional, non-computed attribute out.
    pub default: Option<Value>,
    pub description: &'static str,
}

impl Attribute {
    fn new(name: &'static str, attr_type: AttrType) -> Attribute {
        Attribute {
            name,
            attr_type,
            required: false,
            optional: false,
            computed: false,
            force_new: false,
            sensitive: false,
            default: None,
            description: "",
        }
    }

    pub fn required(name: &'static str, attr_type: AttrType) -> Attribute {
        Attribute {
            required: true,
            optional: true,
            ..Attribute::new(name, attr_type)
        }
    }

    pub fn optional(name: &'static str, attr_type: AttrType) -> Attribute {
        Attribute {
            optional: true,
            ..Attribute::new(name, attr_type)
        }
    }

    /// Set by the provider only (ids, ARNs).
    pub fn computed(name: &'static str, attr_type: AttrType) -> Attribute {
        Attribute {
            computed: true,
            ..Attribute::new(name, attr_type)
        }
    }

    /// Settable, and filled in by AWS when the spec leaves it out.
    pub fn optional_computed(name: &'static str, attr_type: AttrType) -> Attribute {
        Attribute {
            optional: true,
            computed: true,
            ..Attribute::new(name, attr_type)
        }
    }

    pub fn force_new(mut self) -> Attribute {
        self.force_new = true;
        self
    }

    pub fn sensitive(mut self) -> Attribute {
        self.sensitive = true;
        self
    }

    pub fn default(mut self, value: impl Into<Value>) -> Attribute {
        self.default = Some(value.into());
        self
    }

    pub fn describe(mut self, description: &'static str) -> Attribute {
        self.description = description;
        self
    }

    /// Settable in the spec.
    pub fn settable(&self) -> bool {
        self.required || self.optional
    }
}

/// How a nested block repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockNesting {
    /// At most one (`lifecycle_policy {}`); stored as a list of zero or one map.
    Single,
    /// Ordered list of blocks (`route {}` where order matters).
    List,
    /// Unordered (`ingress {}`): compared as a set.
    Set,
}

/// A nested block type (`ingress {}`, `route {}`). In values it is a list of maps under the
/// block's name.
#[derive(Debug, Clone)]
pub struct NestedBlock {
    pub name: &'static str,
    pub nesting: BlockNesting,
    pub schema: Schema,
    pub force_new: bool,
    /// Filled by AWS when the spec has none (e.g. the default egress rule): when the spec
    /// writes no block of this kind, the prior value is kept.
    pub computed: bool,
}

/// The schema of a resource type, or of a nested block.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<NestedBlock>,
}

impl Schema {
    pub fn new(attributes: Vec<Attribute>) -> Schema {
        Schema {
            attributes,
            blocks: Vec::new(),
        }
    }

    pub fn with_block(mut self, block: NestedBlock) -> Schema {
        self.blocks.push(block);
        self
    }

    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes
            .iter()
            .find(|attribute| attribute.name == name)
    }

    pub fn block(&self, name: &str) -> Option<&NestedBlock> {
        self.blocks.iter().find(|block| block.name == name)
    }

    /// The settable attribute or block name closest to `name`, for "did you mean" hints.
    pub fn suggest(&self, name: &str) -> Option<&'static str> {
        self.attributes
            .iter()
            .filter(|attribute| attribute.settable())
            .map(|attribute| attribute.name)
            .chain(self.blocks.iter().map(|block| block.name))
            .map(|candidate| (edit_distance(name, candidate), candidate))
            .filter(|(distance, candidate)| {
                *distance <= 3.max(candidate.len() / 3)
                    || candidate.starts_with(name)
                    || name.starts_with(candidate)
            })
            .min_by_key(|(distance, _)| *distance)
            .map(|(_, candidate)| candidate)
    }
}

/// Levenshtein distance, for suggestions.
pub fn edit_distance(left: &str, right: &str) -> usize {
    let right_chars: Vec<char> = right.chars().collect();
    let mut previous: Vec<usize> = (0..=right_chars.len()).collect();
    for (left_index, left_char) in left.chars().enumerate() {
        let mut current = vec![left_index + 1; right_chars.len() + 1];
        for (right_index, right_char) in right_chars.iter().enumerate() {
            let substitution = previous[right_index] + usize::from(left_char != *right_char);
            current[right_index + 1] = substitution
                .min(previous[right_index + 1] + 1)
                .min(current[right_index] + 1);
        }
        previous = current;
    }
    previous[right_chars.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_attribute_names() {
        let schema = Schema::new(vec![
            Attribute::required("cidr_block", AttrType::String),
            Attribute::optional("tags", AttrType::map_of_strings()),
        ]);
        assert_eq!(schema.suggest("cidr"), Some("cidr_block"));
        assert_eq!(schema.suggest("tag"), Some("tags"));
        assert_eq!(schema.suggest("zzzzzzzzzzzzz"), None);
    }

    #[test]
    fn conform_converts_scalars_like_terraform() {
        assert_eq!(
            AttrType::String.conform(&Value::Number(80.0)),
            Ok(Value::string("80"))
        );
        assert_eq!(
            AttrType::Number.conform(&Value::string("80")),
            Ok(Value::Number(80.0))
        );
        assert!(AttrType::Bool.conform(&Value::string("yes")).is_err());
        assert!(AttrType::String.conform(&Value::List(vec![])).is_err());
    }
}
