//! `random_string`: a string generated locally, once, and kept in state (`result`, also the
//! `id`). Like `random_password`, but the result is not sensitive.
//!
//! No cloud calls. `create` draws the string with the operating system's random source,
//! honouring the character classes and minimums (the rules of `random_password`); `read`
//! returns the prior attributes, `update` only records settings, `delete` forgets it.
//!
//! Replacement (a new string): a change of `length`, `keepers`, or any character-set option
//! (`special`, `upper`, `lower`, `numeric`, `min_*`, `override_special`), as in Terraform.

use super::random_password::PasswordRules;
use super::LocalValue;
use crate::error::ProviderError;
use crate::provider::Attributes;
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct RandomString {
    schema: Schema,
}

impl RandomString {
    pub fn new() -> Self {
        let class = |name: &'static str| {
            Attribute::optional(name, AttrType::Bool)
                .default(true)
                .force_new()
        };
        let minimum = |name: &'static str| {
            Attribute::optional(name, AttrType::Number)
                .default(0.0)
                .force_new()
        };
        RandomString {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The generated string."),
                Attribute::required("length", AttrType::Number)
                    .force_new()
                    .describe("Number of characters."),
                class("special"),
                class("upper"),
                class("lower"),
                class("numeric"),
                minimum("min_lower"),
                minimum("min_upper"),
                minimum("min_numeric"),
                minimum("min_special"),
                Attribute::optional("override_special", AttrType::String)
                    .force_new()
                    .describe("The special characters to use instead of the default set."),
                super::keepers_attribute(),
                Attribute::computed("result", AttrType::String).describe("The generated string."),
            ]),
        }
    }
}

impl Default for RandomString {
    fn default() -> Self {
        RandomString::new()
    }
}

impl LocalValue for RandomString {
    const TYPE_NAME: &'static str = "random_string";
    const GENERATED: &'static [&'static str] = &["id", "result"];

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn generate(&self, desired: &Attributes) -> Result<Attributes, ProviderError> {
        let rules = PasswordRules::from_attributes(desired)?;
        let result = rules.generate(&mut rand::rng());
        let mut attributes = desired.clone();
        attributes.insert("id".into(), Value::String(result.clone()));
        attributes.insert("result".into(), Value::String(result));
        Ok(attributes)
    }

    fn import_id(&self) -> String {
        "the string itself (as the random provider imports it: length from it, every character class on)".to_string()
    }

    fn import(&self, import_id: &str) -> Result<Attributes, ProviderError> {
        Ok(super::imported_text(import_id, import_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_is_the_result_and_it_is_not_sensitive() {
        let resource = RandomString::new();
        let schema = resource.schema();
        assert!(schema.attribute("result").is_some_and(|a| !a.sensitive));
        let desired: Attributes = [
            ("length".to_string(), Value::Number(16.0)),
            ("special".to_string(), Value::Bool(false)),
            ("upper".to_string(), Value::Bool(false)),
        ]
        .into_iter()
        .collect();
        let rules = PasswordRules::from_attributes(&desired).expect("rules");
        let result = rules.generate(&mut rand::rng());
        assert_eq!(result.len(), 16);
        assert!(result
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
        for name in ["length", "special", "keepers", "override_special"] {
            assert!(
                schema.attribute(name).is_some_and(|a| a.force_new),
                "{name}"
            );
        }
    }
}
