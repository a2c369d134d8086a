//! `random_password`: a password generated locally, once, and kept in state (`result`,
//! sensitive).
//!
//! No cloud calls. `create` draws the password with the operating system's random source
//! (`rand::rngs::OsRng` via `rand::rng()`), honouring the character classes and minimums; `read`
//! returns the prior attributes unchanged (there is nothing outside state to read), `update`
//! only records in-place settings (none change the password) and `delete` forgets it.
//!
//! Replacement (a new password): a change of `length`, `keepers`, or any character-set option
//! (`special`, `upper`, `lower`, `numeric`, `min_*`, `override_special`), as in Terraform.

use std::collections::BTreeSet;

use rand::seq::SliceRandom;
use rand::Rng;

use super::LocalValue;
use crate::error::ProviderError;
use crate::provider::Attributes;
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

/// Terraform's default special characters.
pub const DEFAULT_SPECIAL: &str = "!@#$%&*()-_=+[]{}<>:?";
const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const NUMERIC: &str = "0123456789";

pub struct RandomPassword {
    schema: Schema,
}

impl RandomPassword {
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
        RandomPassword {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("Always `none`."),
                Attribute::required("length", AttrType::Number)
                    .force_new()
                    .describe("Number of characters."),
                class("special").describe("Include special characters."),
                class("upper").describe("Include upper-case letters."),
                class("lower").describe("Include lower-case letters."),
                class("numeric").describe("Include digits."),
                minimum("min_lower"),
                minimum("min_upper"),
                minimum("min_numeric"),
                minimum("min_special"),
                Attribute::optional("override_special", AttrType::String)
                    .force_new()
                    .describe("The special characters to use instead of the default set."),
                Attribute::optional("keepers", AttrType::map_of_strings())
                    .force_new()
                    .describe("Arbitrary values; a change generates a new password."),
                Attribute::computed("result", AttrType::String)
                    .sensitive()
                    .describe("The generated password."),
            ]),
        }
    }
}

impl Default for RandomPassword {
    fn default() -> Self {
        RandomPassword::new()
    }
}

/// What a password must be made of.
#[derive(Debug, Clone, PartialEq)]
pub struct PasswordRules {
    pub length: usize,
    pub upper: bool,
    pub lower: bool,
    pub numeric: bool,
    pub special: bool,
    pub min_upper: usize,
    pub min_lower: usize,
    pub min_numeric: usize,
    pub min_special: usize,
    pub special_chars: String,
}

impl PasswordRules {
    /// Reads the rules from a resource's attributes, checking they can be met.
    pub fn from_attributes(attributes: &Attributes) -> Result<PasswordRules, ProviderError> {
        let count = |name: &str, default: f64| -> Result<usize, ProviderError> {
            let value = match attributes.get(name) {
                None | Some(Value::Null) => default,
                Some(value) => value
                    .as_f64()
                    .ok_or_else(|| ProviderError::invalid(name, "must be a number"))?,
            };
            if value < 0.0 || value.fract() != 0.0 || value > 4096.0 {
                return Err(ProviderError::invalid(
                    name,
                    "must be a whole number from 0 to 4096",
                ));
            }
            Ok(value as usize)
        };
        let flag = |name: &str| {
            attributes
                .get(name)
                .and_then(Value::as_bool)
                .unwrap_or(true)
        };
        let rules = PasswordRules {
            length: count("length", 0.0)?,
            upper: flag("upper"),
            lower: flag("lower"),
            numeric: flag("numeric"),
            special: flag("special"),
            min_upper: count("min_upper", 0.0)?,
            min_lower: count("min_lower", 0.0)?,
            min_numeric: count("min_numeric", 0.0)?,
            min_special: count("min_special", 0.0)?,
            special_chars: attributes
                .get("override_special")
                .and_then(Value::as_str)
                .unwrap_or(DEFAULT_SPECIAL)
                .to_string(),
        };
        rules.check()?;
        Ok(rules)
    }

    /// (enabled, minimum, characters) per class.
    fn classes(&self) -> [(bool, usize, Vec<char>); 4] {
        [
            (self.upper, self.min_upper, UPPER.chars().collect()),
            (self.lower, self.min_lower, LOWER.chars().collect()),
            (self.numeric, self.min_numeric, NUMERIC.chars().collect()),
            (
                self.special,
                self.min_special,
                self.special_chars.chars().collect(),
            ),
        ]
    }

    fn check(&self) -> Result<(), ProviderError> {
        if self.length == 0 {
            return Err(ProviderError::invalid("length", "must be at least 1"));
        }
        let minimums: usize = self
            .classes()
            .iter()
            .filter(|(enabled, _, _)| *enabled)
            .map(|(_, minimum, _)| minimum)
            .sum();
        if minimums > self.length {
            return Err(ProviderError::invalid(
                "length",
                format!("is {} but the min_* settings need {minimums}", self.length),
            ));
        }
        if self
            .classes()
            .iter()
            .all(|(enabled, _, chars)| !enabled || chars.is_empty())
        {
            return Err(ProviderError::invalid(
                "special",
                "every character class is disabled: nothing to draw from",
            ));
        }
        if self.special && self.min_special > 0 && self.special_chars.is_empty() {
            return Err(ProviderError::invalid(
                "override_special",
                "is empty but min_special asks for special characters",
            ));
        }
        Ok(())
    }

    /// The password: each enabled class's minimum first, the rest from all enabled classes,
    /// then shuffled.
    pub fn generate(&self, rng: &mut impl Rng) -> String {
        let mut all = Vec::new();
        let mut chars = Vec::with_capacity(self.length);
        for (enabled, minimum, class) in self.classes() {
            if !enabled || class.is_empty() {
                continue;
            }
            for _ in 0..minimum {
                chars.push(class[rng.random_range(0..class.len())]);
            }
            all.extend(class);
        }
        // Duplicates in override_special would weigh those characters more.
        let all: Vec<char> = all
            .into_iter()
            .collect::<BTreeSet<char>>()
            .into_iter()
            .collect();
        while chars.len() < self.length {
            chars.push(all[rng.random_range(0..all.len())]);
        }
        chars.shuffle(rng);
        chars.into_iter().collect()
    }
}

impl LocalValue for RandomPassword {
    const TYPE_NAME: &'static str = "random_password";
    const GENERATED: &'static [&'static str] = &["id", "result"];

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn generate(&self, desired: &Attributes) -> Result<Attributes, ProviderError> {
        let rules = PasswordRules::from_attributes(desired)?;
        let password = rules.generate(&mut rand::rng());
        let mut attributes = desired.clone();
        attributes.insert("id".into(), Value::string("none"));
        attributes.insert("result".into(), Value::String(password));
        Ok(attributes)
    }

    fn import_id(&self) -> String {
        "the password itself (as the random provider imports it: length from it, every character class on)".to_string()
    }

    fn import(&self, import_id: &str) -> Result<Attributes, ProviderError> {
        // As the random provider: the ID is the password; its length from it, every
        // character class on, no minimums.
        Ok(super::imported_text("none", import_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(pairs: &[(&str, Value)]) -> Result<PasswordRules, ProviderError> {
        let attributes: Attributes = pairs
            .iter()
            .map(|(name, value)| (name.to_string(), value.clone()))
            .collect();
        PasswordRules::from_attributes(&attributes)
    }

    fn count(password: &str, set: &str) -> usize {
        password.chars().filter(|c| set.contains(*c)).count()
    }

    #[test]
    fn generates_the_requested_length_from_all_classes_by_default() {
        let rules = rules(&[("length", Value::Number(32.0))]).expect("rules");
        let mut rng = rand::rng();
        for _ in 0..50 {
            let password = rules.generate(&mut rng);
            assert_eq!(password.chars().count(), 32);
            let allowed = format!("{LOWER}{UPPER}{NUMERIC}{DEFAULT_SPECIAL}");
            assert!(password.chars().all(|c| allowed.contains(c)), "{password}");
        }
    }

    #[test]
    fn honours_minimums_for_every_class() {
        let rules = rules(&[
            ("length", Value::Number(12.0)),
            ("min_upper", Value::Number(3.0)),
            ("min_lower", Value::Number(3.0)),
            ("min_numeric", Value::Number(3.0)),
            ("min_special", Value::Number(3.0)),
        ])
        .expect("rules");
        let mut rng = rand::rng();
        for _ in 0..200 {
            let password = rules.generate(&mut rng);
            assert!(count(&password, UPPER) >= 3, "{password}");
            assert!(count(&password, LOWER) >= 3, "{password}");
            assert!(count(&password, NUMERIC) >= 3, "{password}");
            assert!(count(&password, DEFAULT_SPECIAL) >= 3, "{password}");
        }
    }

    #[test]
    fn disabled_classes_and_override_special_restrict_the_charset() {
        let rules = rules(&[
            ("length", Value::Number(64.0)),
            ("upper", Value::Bool(false)),
            ("numeric", Value::Bool(false)),
            ("override_special", Value::string("-_")),
            ("min_special", Value::Number(2.0)),
        ])
        .expect("rules");
        let password = rules.generate(&mut rand::rng());
        assert_eq!(password.len(), 64);
        assert!(password
            .chars()
            .all(|c| LOWER.contains(c) || c == '-' || c == '_'));
        assert!(count(&password, "-_") >= 2);

        let no_special = super::PasswordRules {
            special: false,
            ..rules
        };
        let password = no_special.generate(&mut rand::rng());
        assert!(password.chars().all(|c| LOWER.contains(c)), "{password}");
    }

    #[test]
    fn two_passwords_differ() {
        let rules = rules(&[("length", Value::Number(32.0))]).expect("rules");
        assert_ne!(
            rules.generate(&mut rand::rng()),
            rules.generate(&mut rand::rng())
        );
    }

    #[test]
    fn impossible_rules_are_refused() {
        assert!(rules(&[("length", Value::Number(0.0))]).is_err());
        assert!(rules(&[
            ("length", Value::Number(4.0)),
            ("min_upper", Value::Number(3.0)),
            ("min_lower", Value::Number(3.0)),
        ])
        .is_err());
        assert!(rules(&[
            ("length", Value::Number(8.0)),
            ("upper", Value::Bool(false)),
            ("lower", Value::Bool(false)),
            ("numeric", Value::Bool(false)),
            ("special", Value::Bool(false)),
        ])
        .is_err());
        assert!(rules(&[("length", Value::Number(8.5))]).is_err());
    }

    #[test]
    fn schema_forces_a_new_password_on_every_setting_and_hides_the_result() {
        let resource = RandomPassword::new();
        let schema = resource.schema();
        for name in [
            "length",
            "special",
            "upper",
            "lower",
            "numeric",
            "min_lower",
            "min_upper",
            "min_numeric",
            "min_special",
            "override_special",
            "keepers",
        ] {
            assert!(
                schema.attribute(name).is_some_and(|a| a.force_new),
                "{name}"
            );
        }
        assert!(schema
            .attribute("result")
            .is_some_and(|a| a.sensitive && a.computed && !a.settable()));
    }
}
