//! `random_shuffle`: a random permutation of `input` drawn locally, once, and kept in state
//! (`result`); `id` is `-`, as in Terraform.
//!
//! No cloud calls. `result_count` below the input's length keeps the first items of the
//! permutation; above it, the input is shuffled again for each further round, so no item
//! repeats more often than the rounds need. With `seed` the draw is deterministic (with this
//! build; Terraform's Go generator draws another order from the same seed).
//!
//! Replacement (a new order): a change of `input`, `result_count`, `seed` or `keepers`.

use rand::seq::SliceRandom;

use super::LocalValue;
use crate::error::ProviderError;
use crate::provider::Attributes;
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct RandomShuffle {
    schema: Schema,
}

impl RandomShuffle {
    pub fn new() -> Self {
        RandomShuffle {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("Always `-`."),
                Attribute::required("input", AttrType::list_of_strings()).force_new(),
                Attribute::optional("result_count", AttrType::Number).force_new(),
                Attribute::optional("seed", AttrType::String).force_new(),
                super::keepers_attribute(),
                Attribute::computed("result", AttrType::list_of_strings()),
            ]),
        }
    }
}

impl Default for RandomShuffle {
    fn default() -> Self {
        RandomShuffle::new()
    }
}

/// `count` items of `input` in random order (all of them when `count` is `None`).
pub fn shuffle(input: &[String], count: Option<usize>, seed: Option<&str>) -> Vec<String> {
    let mut rng = super::random_source(seed);
    let wanted = count.unwrap_or(input.len());
    let mut result = Vec::with_capacity(wanted);
    if input.is_empty() {
        return result;
    }
    while result.len() < wanted {
        let mut round = input.to_vec();
        round.shuffle(&mut rng);
        let room = wanted - result.len();
        result.extend(round.into_iter().take(room));
    }
    result
}

impl LocalValue for RandomShuffle {
    const TYPE_NAME: &'static str = "random_shuffle";
    const GENERATED: &'static [&'static str] = &["id", "result"];

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn generate(&self, desired: &Attributes) -> Result<Attributes, ProviderError> {
        let input: Vec<String> = desired
            .get("input")
            .and_then(Value::as_list)
            .map(|items| items.iter().filter_map(Value::to_template_string).collect())
            .unwrap_or_default();
        let count = match desired.get("result_count").and_then(Value::as_f64) {
            None => None,
            Some(count) if count >= 0.0 && count.fract() == 0.0 => Some(count as usize),
            Some(_) => {
                return Err(ProviderError::invalid(
                    "result_count",
                    "must be a whole number, 0 or more",
                ))
            }
        };
        let seed = desired.get("seed").and_then(Value::as_str);
        let result = shuffle(&input, count, seed);
        let mut attributes = desired.clone();
        attributes.insert("id".into(), Value::string("-"));
        attributes.insert(
            "result".into(),
            Value::List(result.into_iter().map(Value::String).collect()),
        );
        Ok(attributes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|item| item.to_string()).collect()
    }

    #[test]
    fn a_shuffle_is_a_permutation_and_counts_are_honoured() {
        let input = strings(&["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"]);
        let mut all = shuffle(&input, None, None);
        all.sort();
        assert_eq!(all, input);
        let two = shuffle(&input, Some(2), None);
        assert_eq!(two.len(), 2);
        assert_ne!(two[0], two[1]);
        let six = shuffle(&input, Some(6), None);
        assert_eq!(six.len(), 6);
        let mut first_round = six[..4].to_vec();
        first_round.sort();
        assert_eq!(first_round, input);
        assert_eq!(
            shuffle(&input, None, Some("seed")),
            shuffle(&input, None, Some("seed"))
        );
        assert!(shuffle(&[], Some(3), None).is_empty());
    }
}
