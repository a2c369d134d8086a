//! `random_integer`: a whole number from `min` to `max` (both included) drawn locally, once,
//! and kept in state; `result` is the number and `id` its decimal text, as in Terraform.
//!
//! No cloud calls. Without `seed` the operating system's random source is used; with `seed`
//! the draw is deterministic (the same seed gives the same number with this build, not the
//! number Terraform's Go generator draws).
//!
//! Replacement (a new number): a change of `min`, `max`, `seed` or `keepers`.

use rand::Rng;

use super::LocalValue;
use crate::error::ProviderError;
use crate::provider::Attributes;
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct RandomInteger {
    schema: Schema,
}

impl RandomInteger {
    pub fn new() -> Self {
        RandomInteger {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The number as text."),
                Attribute::required("min", AttrType::Number).force_new(),
                Attribute::required("max", AttrType::Number).force_new(),
                Attribute::optional("seed", AttrType::String).force_new(),
                super::keepers_attribute(),
                Attribute::computed("result", AttrType::Number),
            ]),
        }
    }
}

impl Default for RandomInteger {
    fn default() -> Self {
        RandomInteger::new()
    }
}

/// Draws from `min..=max`, checking the bounds.
pub fn draw(min: f64, max: f64, seed: Option<&str>) -> Result<i64, ProviderError> {
    for (name, value) in [("min", min), ("max", max)] {
        if value.fract() != 0.0 || value.abs() > 9.0e15 {
            return Err(ProviderError::invalid(name, "must be a whole number"));
        }
    }
    if min > max {
        return Err(ProviderError::invalid(
            "max",
            format!("must be at least min ({min}), is {max}"),
        ));
    }
    Ok(super::random_source(seed).random_range(min as i64..=max as i64))
}

impl LocalValue for RandomInteger {
    const TYPE_NAME: &'static str = "random_integer";
    const GENERATED: &'static [&'static str] = &["id", "result"];

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn generate(&self, desired: &Attributes) -> Result<Attributes, ProviderError> {
        let bound = |name: &str| {
            desired
                .get(name)
                .and_then(Value::as_f64)
                .ok_or_else(|| ProviderError::invalid(name, "is required"))
        };
        let seed = desired.get("seed").and_then(Value::as_str);
        let result = draw(bound("min")?, bound("max")?, seed)?;
        let mut attributes = desired.clone();
        attributes.insert("id".into(), Value::String(result.to_string()));
        attributes.insert("result".into(), Value::Number(result as f64));
        Ok(attributes)
    }

    fn import_id(&self) -> String {
        "result,min,max or result,min,max,seed (as the random provider imports it)".to_string()
    }

    fn import(&self, import_id: &str) -> Result<Attributes, ProviderError> {
        let parts: Vec<&str> = import_id.split(',').collect();
        let (numbers, seed) = match parts.as_slice() {
            [result, min, max] => ([*result, *min, *max], None),
            [result, min, max, seed] => ([*result, *min, *max], Some(*seed)),
            _ => {
                return Err(ProviderError::invalid(
                    "id",
                    format!("{import_id:?} is not `result,min,max` or `result,min,max,seed`"),
                ))
            }
        };
        let mut parsed = [0i64; 3];
        for (slot, text) in parsed.iter_mut().zip(numbers) {
            *slot = text.trim().parse().map_err(|_| {
                ProviderError::invalid(
                    "id",
                    format!("{text:?} in {import_id:?} is not a whole number"),
                )
            })?;
        }
        let [result, min, max] = parsed;
        if !(min..=max).contains(&result) {
            return Err(ProviderError::invalid(
                "id",
                format!("{result} is not between min {min} and max {max}"),
            ));
        }
        let mut attributes = Attributes::new();
        attributes.insert("id".into(), Value::String(result.to_string()));
        attributes.insert("result".into(), Value::from(result));
        attributes.insert("min".into(), Value::from(min));
        attributes.insert("max".into(), Value::from(max));
        attributes.insert("seed".into(), seed.map(Value::string).unwrap_or_default());
        attributes.insert("keepers".into(), Value::Null);
        Ok(attributes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_stay_in_bounds_and_seeds_repeat() {
        for _ in 0..200 {
            let drawn = draw(1.0, 3.0, None).expect("draw");
            assert!((1..=3).contains(&drawn), "{drawn}");
        }
        assert_eq!(draw(5.0, 5.0, None).ok(), Some(5));
        assert_eq!(
            draw(0.0, 1_000_000.0, Some("blue")).ok(),
            draw(0.0, 1_000_000.0, Some("blue")).ok()
        );
        assert!(draw(3.0, 1.0, None).is_err());
        assert!(draw(0.5, 1.0, None).is_err());
    }
}
