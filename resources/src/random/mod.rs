//! Resource types of the `random` provider (`random_password`, `random_string`, `random_pet`,
//! `random_id`, `random_integer`, `random_uuid`, `random_shuffle`): values generated locally,
//! once, and kept in state. They make no cloud calls.

pub mod random_id;
pub mod random_integer;
pub mod random_password;
pub mod random_pet;
pub mod random_shuffle;
pub mod random_string;
pub mod random_uuid;

use std::sync::Arc;

use async_trait::async_trait;
use rand::SeedableRng;

use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::registry::Registry;
use crate::schema::{AttrType, Attribute, Schema};

pub fn register(registry: &mut Registry) {
    registry.register(Arc::new(Generated(random_password::RandomPassword::new())));
    registry.register(Arc::new(Generated(random_string::RandomString::new())));
    registry.register(Arc::new(Generated(random_pet::RandomPet::new())));
    registry.register(Arc::new(Generated(random_id::RandomId::new())));
    registry.register(Arc::new(Generated(random_integer::RandomInteger::new())));
    registry.register(Arc::new(Generated(random_uuid::RandomUuid::new())));
    registry.register(Arc::new(Generated(random_shuffle::RandomShuffle::new())));
}

/// What one random type is: its name, schema, how it draws its value and how it imports one.
/// [`Generated`] makes it a [`Resource`]; the rest is the same for every random type.
pub trait LocalValue: Send + Sync {
    /// The type's name (`random_uuid`).
    const TYPE_NAME: &'static str;
    /// The attributes drawn at create: an in-place update keeps them (every setting that
    /// changes a drawn value forces a replacement, so none is redrawn).
    const GENERATED: &'static [&'static str];

    fn schema(&self) -> &Schema;

    /// Draws the value: `desired` with the generated attributes filled in.
    fn generate(&self, desired: &Attributes) -> Result<Attributes, ProviderError>;

    /// Terraform's import ID of the type (`provision types --json`). The default: none, for the
    /// types the random provider cannot import.
    fn import_id(&self) -> String {
        "none: the random provider cannot import it either".to_string()
    }

    /// The attributes of a value imported by its ID. The default refuses, as the random
    /// provider does for the same types.
    fn import(&self, _import_id: &str) -> Result<Attributes, ProviderError> {
        Err(not_importable(Self::TYPE_NAME))
    }
}

/// A random type as a resource: no cloud calls; state is the only copy of the value, so a read
/// answers what state holds, an update keeps the drawn values, a delete forgets them and an
/// interrupted create simply draws again (nothing to recover).
pub struct Generated<T>(pub T);

#[async_trait]
impl<T: LocalValue> Resource for Generated<T> {
    fn type_name(&self) -> &'static str {
        T::TYPE_NAME
    }

    fn import_id(&self) -> String {
        self.0.import_id()
    }

    fn schema(&self) -> &Schema {
        self.0.schema()
    }

    async fn create(
        &self,
        _context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        self.0.generate(desired)
    }

    async fn read(
        &self,
        _context: &ProviderContext,
        _id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        Ok(Some(prior.clone()))
    }

    async fn update(
        &self,
        _context: &ProviderContext,
        _id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        Ok(keep_generated(prior, desired, T::GENERATED))
    }

    async fn delete(
        &self,
        _context: &ProviderContext,
        _id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        Ok(())
    }

    async fn import(
        &self,
        _context: &ProviderContext,
        import_id: &str,
    ) -> Result<Option<Attributes>, ProviderError> {
        self.0.import(import_id).map(Some)
    }

    async fn recover(
        &self,
        _context: &ProviderContext,
        _desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        Ok(None)
    }
}

/// `keepers`: arbitrary values whose change generates a new value, in every random type.
pub fn keepers_attribute() -> Attribute {
    Attribute::optional("keepers", AttrType::map_of_strings())
        .force_new()
        .describe("Arbitrary values; a change generates a new value.")
}

/// What an in-place update records: the desired settings with the generated values of `prior`.
pub fn keep_generated(prior: &Attributes, desired: &Attributes, generated: &[&str]) -> Attributes {
    let mut attributes = desired.clone();
    for name in generated {
        if let Some(value) = prior.get(*name) {
            attributes.insert((*name).to_string(), value.clone());
        }
    }
    attributes
}

/// The attributes of a generated text imported as it is (the random provider's import of
/// `random_string` and `random_password`): length from the text, every character class on, no
/// minimums, no special-character override.
pub fn imported_text(id: &str, result: &str) -> Attributes {
    use crate::value::Value;
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::string(id));
    attributes.insert("result".into(), Value::string(result));
    attributes.insert(
        "length".into(),
        Value::Number(result.chars().count() as f64),
    );
    for class in ["special", "upper", "lower", "numeric"] {
        attributes.insert(class.into(), Value::Bool(true));
    }
    for minimum in ["min_lower", "min_upper", "min_numeric", "min_special"] {
        attributes.insert(minimum.into(), Value::Number(0.0));
    }
    attributes.insert("override_special".into(), Value::Null);
    attributes.insert("keepers".into(), Value::Null);
    attributes
}

/// The refusal of an import for the random types the random provider cannot import either.
pub fn not_importable(type_name: &str) -> ProviderError {
    ProviderError::invalid(
        "id",
        format!("{type_name} cannot be imported (nor can it in Terraform's random provider): let apply create it"),
    )
}

/// The random source: the operating system's, or with `seed` a deterministic one (the same
/// seed always gives the same result with this build; Terraform's Go generator draws other
/// values from the same seed).
pub fn random_source(seed: Option<&str>) -> rand::rngs::StdRng {
    match seed {
        Some(seed) => {
            // 64-bit FNV-1a of the seed text: stable across Rust releases.
            let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
            for byte in seed.bytes() {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            }
            rand::rngs::StdRng::seed_from_u64(hash)
        }
        None => rand::rngs::StdRng::from_os_rng(),
    }
}
