//! `random_uuid`: a random (version 4) UUID generated locally, once, and kept in state;
//! `result` and `id` are the lower-case hyphenated form, as Terraform writes it.
//!
//! No cloud calls; bytes come from the operating system's random source.
//!
//! Replacement (a new UUID): a change of `keepers`.

use rand::RngCore;

use super::LocalValue;
use crate::error::ProviderError;
use crate::provider::Attributes;
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

impl LocalValue for RandomUuid {
    const TYPE_NAME: &'static str = "random_uuid";
    const GENERATED: &'static [&'static str] = &["id", "result"];

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn generate(&self, desired: &Attributes) -> Result<Attributes, ProviderError> {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        let uuid = uuid_v4(bytes);
        let mut attributes = desired.clone();
        attributes.insert("id".into(), Value::String(uuid.clone()));
        attributes.insert("result".into(), Value::String(uuid));
        Ok(attributes)
    }

    fn import_id(&self) -> String {
        "the UUID itself (as the random provider imports it)".to_string()
    }

    fn import(&self, import_id: &str) -> Result<Attributes, ProviderError> {
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
        Ok(attributes)
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
