//! `random_id`: random bytes generated locally, once, and kept in state, presented as
//! Terraform does: `id` and `b64_url` (URL-safe base64 without padding), `b64_std` (standard
//! base64 with padding), `hex` and `dec` (the bytes as a big-endian number); every form but
//! `id` starts with `prefix`.
//!
//! No cloud calls; bytes come from the operating system's random source.
//!
//! Replacement (new bytes): a change of `byte_length`, `keepers` or `prefix`.

use rand::RngCore;

use super::LocalValue;
use crate::error::ProviderError;
use crate::provider::Attributes;
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

const GENERATED: &[&str] = &["id", "b64_url", "b64_std", "hex", "dec"];

pub struct RandomId {
    schema: Schema,
}

impl RandomId {
    pub fn new() -> Self {
        RandomId {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String)
                    .describe("URL-safe base64 of the bytes, without padding or prefix."),
                Attribute::required("byte_length", AttrType::Number)
                    .force_new()
                    .describe("Number of random bytes."),
                super::keepers_attribute(),
                Attribute::optional("prefix", AttrType::String).force_new(),
                Attribute::computed("b64_url", AttrType::String),
                Attribute::computed("b64_std", AttrType::String),
                Attribute::computed("hex", AttrType::String),
                Attribute::computed("dec", AttrType::String),
            ]),
        }
    }
}

impl Default for RandomId {
    fn default() -> Self {
        RandomId::new()
    }
}

/// Big-endian bytes as a decimal number.
pub fn decimal(bytes: &[u8]) -> String {
    let mut number: Vec<u8> = bytes
        .iter()
        .copied()
        .skip_while(|byte| *byte == 0)
        .collect();
    let mut digits = Vec::new();
    while !number.is_empty() {
        let mut remainder: u32 = 0;
        let mut quotient = Vec::with_capacity(number.len());
        for byte in &number {
            let current = (remainder << 8) | u32::from(*byte);
            let digit = (current / 10) as u8;
            remainder = current % 10;
            if !(quotient.is_empty() && digit == 0) {
                quotient.push(digit);
            }
        }
        digits.push(b'0' + remainder as u8);
        number = quotient;
    }
    if digits.is_empty() {
        return "0".to_string();
    }
    digits.reverse();
    String::from_utf8(digits).unwrap_or_default()
}

/// The attributes Terraform derives from the bytes.
pub fn forms(bytes: &[u8], prefix: &str) -> [(&'static str, String); 5] {
    let standard = aws_smithy_types::base64::encode(bytes);
    let url: String = standard
        .trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            other => other,
        })
        .collect();
    let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    [
        ("id", url.clone()),
        ("b64_url", format!("{prefix}{url}")),
        ("b64_std", format!("{prefix}{standard}")),
        ("hex", format!("{prefix}{hex}")),
        ("dec", format!("{prefix}{}", decimal(bytes))),
    ]
}

impl LocalValue for RandomId {
    const TYPE_NAME: &'static str = "random_id";
    const GENERATED: &'static [&'static str] = GENERATED;

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn generate(&self, desired: &Attributes) -> Result<Attributes, ProviderError> {
        let length = desired
            .get("byte_length")
            .and_then(Value::as_f64)
            .unwrap_or(0.0);
        if length < 1.0 || length.fract() != 0.0 || length > 4096.0 {
            return Err(ProviderError::invalid(
                "byte_length",
                "must be a whole number from 1 to 4096",
            ));
        }
        let mut bytes = vec![0u8; length as usize];
        rand::rng().fill_bytes(&mut bytes);
        let prefix = desired.get("prefix").and_then(Value::as_str).unwrap_or("");
        let mut attributes = desired.clone();
        for (name, value) in forms(&bytes, prefix) {
            attributes.insert(name.to_string(), Value::String(value));
        }
        Ok(attributes)
    }

    fn import_id(&self) -> String {
        "the b64_url value, or `prefix,b64_url` (as the random provider imports it)".to_string()
    }

    fn import(&self, import_id: &str) -> Result<Attributes, ProviderError> {
        let (prefix, url) = import_id.split_once(',').unwrap_or(("", import_id));
        let standard: String = url
            .chars()
            .map(|c| match c {
                '-' => '+',
                '_' => '/',
                other => other,
            })
            .collect();
        let padded = format!("{standard}{}", "=".repeat((4 - standard.len() % 4) % 4));
        let bytes = aws_smithy_types::base64::decode(&padded)
            .ok()
            .filter(|bytes| !bytes.is_empty())
            .ok_or_else(|| {
                ProviderError::invalid(
                    "id",
                    format!("{url:?} is not URL-safe base64 without padding"),
                )
            })?;
        let mut attributes = Attributes::new();
        for (name, value) in forms(&bytes, prefix) {
            attributes.insert(name.to_string(), Value::String(value));
        }
        attributes.insert("byte_length".into(), Value::Number(bytes.len() as f64));
        attributes.insert(
            "prefix".into(),
            if prefix.is_empty() {
                Value::Null
            } else {
                Value::string(prefix)
            },
        );
        attributes.insert("keepers".into(), Value::Null);
        Ok(attributes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_match_terraforms_encodings() {
        // Terraform's docs example: 8 bytes with a prefix.
        let bytes = [0xfb, 0xff, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05];
        let forms: std::collections::BTreeMap<_, _> = forms(&bytes, "p-").into_iter().collect();
        assert_eq!(forms["id"], "-_8AAQIDBAU");
        assert_eq!(forms["b64_url"], "p--_8AAQIDBAU");
        assert_eq!(forms["b64_std"], "p-+/8AAQIDBAU=");
        assert_eq!(forms["hex"], "p-fbff000102030405");
        assert_eq!(forms["dec"], format!("p-{}", 0xfbff_0001_0203_0405_u64));
    }

    #[test]
    fn decimal_handles_leading_zeros_and_big_numbers() {
        assert_eq!(decimal(&[0, 0]), "0");
        assert_eq!(decimal(&[0, 1, 0]), "256");
        assert_eq!(decimal(&[0xff; 16]), u128::MAX.to_string());
    }
}
