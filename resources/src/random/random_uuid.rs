//! `random_uuid`: a random (version 4) UUID generated locally, once, and kept in state;
//! `result` and `id` are the lower-case hyphenated form, as Terraform writes it.
//!
//! No cloud calls; bytes come from the operating system's random source.
//!
//! Replacement (a new UUID): a change of `keepers`.

use async_trait::async_trait;
use rand::RngCore;

use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct RandomUuid {
    schema: Schema,
}

impl RandomUuid {
    pub fn new() -> Self {
        RandomUuid {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The UUID."),
                super::keepers_attribute(),
                Attribute::computed("result", AttrType::String).describe("The UUID."),
            ]),
        }
    }
}

impl Default for RandomUuid {
    fn default() -> Self {
        RandomUuid::new()
    }
}

/// A version 4, variant 1 UUID from 16 random bytes.
pub fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[async_trait]
impl Resource for RandomUuid {
    fn type_name(&self) -> &'static str {
        "random_uuid"
    }

    fn import_id(&self) -> String {
        "the UUID itself (as the random provider imports it)".to_string()
    }

    async fn import(
        &self,
        _context: &ProviderContext,
        import_id: &str,
    ) -> Result<Option<Attributes>, ProviderError> {
        let well_formed = import_id.len() == 36
            && import_id.char_indices().all(|(index, c)| match index {
                8 | 13 | 18 | 23 => c == '-',
                _ => c.is_ascii_hexdigit(),
            });
        if !well_formed {
            return Err(ProviderError::invalid(
                "id",
                format!("{import_id:?} is not a UUID (8-4-4-4-12 hexadecimal digits)"),
            ));
        }
        let uuid = import_id.to_ascii_lowercase();
        let mut attributes = Attributes::new();
        attributes.insert("id".into(), Value::String(uuid.clone()));
        attributes.insert("result".into(), Value::String(uuid));
        attributes.insert("keepers".into(), Value::Null);
        Ok(Some(attributes))
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        _context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        let uuid = uuid_v4(bytes);
        let mut attributes = desired.clone();
        attributes.insert("id".into(), Value::String(uuid.clone()));
        attributes.insert("result".into(), Value::String(uuid));
        Ok(attributes)
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
        Ok(super::keep_generated(prior, desired, &["id", "result"]))
    }

    async fn delete(
        &self,
        _context: &ProviderContext,
        _id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        Ok(())
    }

    async fn recover(
        &self,
        _context: &ProviderContext,
        _desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_version_4_variant_1() {
        let uuid = uuid_v4([0xff; 16]);
        assert_eq!(uuid, "ffffffff-ffff-4fff-bfff-ffffffffffff");
        let uuid = uuid_v4([0; 16]);
        assert_eq!(uuid, "00000000-0000-4000-8000-000000000000");
    }
}
