//! Sealing of sensitive values at rest: the [`SealingKey`] (ChaCha20-Poly1305, 256-bit) and the
//! `provision-sealed:v1:<key id>:<hex nonce + ciphertext>` envelope that replaces a sensitive
//! value in the database. Only the value is sealed; the attribute name stays readable so a
//! record can be listed and diffed by name.

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use sha2::{Digest, Sha256};

use crate::error::StateError;

/// What every sealed value starts with.
pub const SEALED_PREFIX: &str = "provision-sealed:v1:";

const NONCE_LENGTH: usize = 12;

/// A 256-bit key for sealing sensitive values. Its id (the first 8 hex digits of its SHA-256)
/// is stored beside each sealed value, so a wrong key is named rather than guessed at.
#[derive(Clone)]
pub struct SealingKey {
    raw: [u8; 32],
    cipher: ChaCha20Poly1305,
    id: String,
}

impl std::fmt::Debug for SealingKey {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("SealingKey")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl SealingKey {
    /// A new random key from the operating system's generator.
    pub fn generate() -> SealingKey {
        let key = ChaCha20Poly1305::generate_key(&mut OsRng);
        SealingKey::from_bytes(key.as_slice())
    }

    /// The key written as 64 hex digits (surrounding whitespace ignored).
    pub fn from_hex(text: &str) -> Result<SealingKey, StateError> {
        let bytes = hex::decode(text.trim()).map_err(|_| StateError::BadSealingKey)?;
        if bytes.len() != 32 {
            return Err(StateError::BadSealingKey);
        }
        Ok(SealingKey::from_bytes(&bytes))
    }

    fn from_bytes(bytes: &[u8]) -> SealingKey {
        let digest = Sha256::digest(bytes);
        let mut raw = [0u8; 32];
        raw.copy_from_slice(bytes);
        SealingKey {
            raw,
            cipher: ChaCha20Poly1305::new(Key::from_slice(bytes)),
            id: hex::encode(&digest[..4]),
        }
    }

    /// 64 hex digits, the form [`SealingKey::from_hex`] reads back. Only for writing the key file.
    pub fn to_hex(&self) -> String {
        hex::encode(self.raw)
    }

    /// The key's id: the first 8 hex digits of its SHA-256.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Seals `value` (its JSON text) into an envelope string.
    pub fn seal(&self, value: &serde_json::Value) -> String {
        let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
        let plaintext = value.to_string();
        let ciphertext = self
            .cipher
            .encrypt(&nonce, plaintext.as_bytes())
            .expect("ChaCha20-Poly1305 encryption of an in-memory buffer cannot fail");
        let mut sealed = nonce.to_vec();
        sealed.extend_from_slice(&ciphertext);
        format!("{SEALED_PREFIX}{}:{}", self.id, hex::encode(sealed))
    }

    /// Opens an envelope made by [`SealingKey::seal`] with this key.
    pub fn open(&self, envelope: &str) -> Result<serde_json::Value, StateError> {
        let rest = envelope
            .strip_prefix(SEALED_PREFIX)
            .ok_or_else(|| StateError::Corrupt("a sealed value lacks its prefix".to_string()))?;
        let (key_id, payload) = rest
            .split_once(':')
            .ok_or_else(|| StateError::Corrupt("a sealed value lacks its key id".to_string()))?;
        if key_id != self.id {
            return Err(StateError::WrongSealingKey {
                sealed_with: key_id.to_string(),
                given: self.id.clone(),
            });
        }
        let bytes = hex::decode(payload)
            .map_err(|_| StateError::Corrupt("a sealed value is not hex".to_string()))?;
        if bytes.len() < NONCE_LENGTH {
            return Err(StateError::Corrupt(
                "a sealed value is truncated".to_string(),
            ));
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_LENGTH);
        let plaintext = self
            .cipher
            .decrypt(Nonce::from_slice(nonce), ciphertext)
            .map_err(|_| StateError::Corrupt("a sealed value fails authentication".to_string()))?;
        Ok(serde_json::from_slice(&plaintext)?)
    }
}

/// Replaces the values of `names` in the JSON object `attributes` by sealed envelopes (a copy
/// of `attributes` as it is without a key). Both stores seal this way before writing.
pub(crate) fn seal_attributes(
    key: Option<&SealingKey>,
    attributes: &serde_json::Value,
    names: &[String],
) -> serde_json::Value {
    let (Some(key), serde_json::Value::Object(map)) = (key, attributes) else {
        return attributes.clone();
    };
    let mut sealed = map.clone();
    for name in names {
        if let Some(value) = sealed.get_mut(name) {
            if !value.is_null() && !is_sealed(value) {
                *value = serde_json::Value::String(key.seal(value));
            }
        }
    }
    serde_json::Value::Object(sealed)
}

/// Opens every sealed value at the top level of the JSON object `attributes`.
pub(crate) fn open_attributes(
    key: Option<&SealingKey>,
    attributes: &mut serde_json::Value,
) -> Result<(), StateError> {
    if let serde_json::Value::Object(map) = attributes {
        for value in map.values_mut() {
            open_value(key, value)?;
        }
    }
    Ok(())
}

/// Opens `value` in place when it is a sealed envelope; without a key that is an error.
pub(crate) fn open_value(
    key: Option<&SealingKey>,
    value: &mut serde_json::Value,
) -> Result<(), StateError> {
    if let Some(envelope) = value
        .as_str()
        .filter(|text| text.starts_with(SEALED_PREFIX))
    {
        let key = key.ok_or(StateError::NoSealingKey)?;
        *value = key.open(envelope)?;
    }
    Ok(())
}

/// The JSON text an output's value is stored as: sealed when it is sensitive and there is a key.
pub(crate) fn stored_output_value(
    key: Option<&SealingKey>,
    value: &serde_json::Value,
    sensitive: bool,
) -> Result<String, serde_json::Error> {
    match (key, sensitive) {
        (Some(key), true) => serde_json::to_string(&serde_json::Value::String(key.seal(value))),
        _ => serde_json::to_string(value),
    }
}

/// Whether `value` is a sealed envelope.
pub fn is_sealed(value: &serde_json::Value) -> bool {
    value
        .as_str()
        .is_some_and(|text| text.starts_with(SEALED_PREFIX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_to_what_was_sealed_and_hide_it() {
        let key = SealingKey::generate();
        let value = serde_json::json!({"password": "hunter2-very-secret"});
        let sealed = key.seal(&value);
        assert!(sealed.starts_with(SEALED_PREFIX));
        assert!(!sealed.contains("hunter2"));
        assert!(is_sealed(&serde_json::Value::String(sealed.clone())));
        assert_eq!(key.open(&sealed).unwrap(), value);
        // A fresh nonce each time: the same value never seals to the same text.
        assert_ne!(key.seal(&value), sealed);
    }

    #[test]
    fn a_key_survives_its_hex_round_trip() {
        let key = SealingKey::generate();
        let again = SealingKey::from_hex(&format!("{}\n", key.to_hex())).unwrap();
        assert_eq!(again.id(), key.id());
        let sealed = key.seal(&serde_json::json!("x"));
        assert_eq!(again.open(&sealed).unwrap(), serde_json::json!("x"));
    }

    #[test]
    fn a_wrong_key_is_named_and_a_tampered_value_refused() {
        let key = SealingKey::generate();
        let other = SealingKey::generate();
        let sealed = key.seal(&serde_json::json!("secret"));
        match other.open(&sealed) {
            Err(StateError::WrongSealingKey { sealed_with, given }) => {
                assert_eq!(sealed_with, key.id());
                assert_eq!(given, other.id());
            }
            outcome => panic!("expected WrongSealingKey, got {outcome:?}"),
        }
        let mut tampered = sealed.clone();
        let last = tampered.pop().unwrap();
        tampered.push(if last == '0' { '1' } else { '0' });
        assert!(matches!(key.open(&tampered), Err(StateError::Corrupt(_))));
        assert!(SealingKey::from_hex("abcd").is_err());
    }
}
