//! Hash and crypto functions beyond the basics: SHA-1 and SHA-512 (of strings and files),
//! `bcrypt`, `rsadecrypt`, `uuid`, `uuidv5` and `base64gzip`. `bcrypt` and `uuid` are random:
//! the evaluator leaves them unknown during plan, like Terraform.

use std::io::Write;

use provision_core::Value;

use super::{base64_decode_bytes, base64_of, file_bytes, Arguments, FunctionError, FunctionResult};

fn sha1_bytes(bytes: &[u8]) -> Vec<u8> {
    use sha1::{Digest, Sha1};
    Sha1::digest(bytes).to_vec()
}

fn sha512_bytes(bytes: &[u8]) -> Vec<u8> {
    use sha2::{Digest, Sha512};
    Sha512::digest(bytes).to_vec()
}

pub(super) fn sha1(arguments: &Arguments) -> FunctionResult {
    Ok(Value::String(hex::encode(sha1_bytes(
        arguments.string(0, "string")?.as_bytes(),
    ))))
}

pub(super) fn sha512(arguments: &Arguments) -> FunctionResult {
    Ok(Value::String(hex::encode(sha512_bytes(
        arguments.string(0, "string")?.as_bytes(),
    ))))
}

pub(super) fn base64sha512(arguments: &Arguments) -> FunctionResult {
    Ok(Value::String(base64_of(&sha512_bytes(
        arguments.string(0, "string")?.as_bytes(),
    ))))
}

pub(super) fn filesha1(arguments: &Arguments) -> FunctionResult {
    Ok(Value::String(hex::encode(sha1_bytes(&file_bytes(
        arguments,
    )?))))
}

pub(super) fn filesha512(arguments: &Arguments) -> FunctionResult {
    Ok(Value::String(hex::encode(sha512_bytes(&file_bytes(
        arguments,
    )?))))
}

pub(super) fn filebase64sha512(arguments: &Arguments) -> FunctionResult {
    Ok(Value::String(base64_of(&sha512_bytes(&file_bytes(
        arguments,
    )?))))
}

/// Gzip (default level, no name, mtime 0) then base64. The bytes are a valid gzip stream of the
/// text; they can differ from Terraform's, whose Go compressor makes other (equally valid)
/// choices.
pub(super) fn base64gzip(arguments: &Arguments) -> FunctionResult {
    let text = arguments.string(0, "string")?;
    let mut encoder = flate2::GzBuilder::new()
        .operating_system(255)
        .write(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(text.as_bytes())
        .and_then(|()| encoder.try_finish())
        .map_err(|error| FunctionError::call(format!("failed to compress: {error}")))?;
    let bytes = encoder
        .finish()
        .map_err(|error| FunctionError::call(format!("failed to compress: {error}")))?;
    Ok(Value::String(base64_of(&bytes)))
}

/// `bcrypt(string, cost = 10)`: a `$2a$` hash with a random salt.
pub(super) fn bcrypt(arguments: &Arguments) -> FunctionResult {
    let (text, cost) = bcrypt_arguments(arguments)?;
    let parts = ::bcrypt::hash_with_result(text.as_bytes(), cost as u32).map_err(|error| {
        FunctionError::call(format!("error occurred generating password: {error}"))
    })?;
    Ok(Value::String(
        parts.format_for_version(::bcrypt::Version::TwoA),
    ))
}

/// `bcrypt`'s text and cost, checked.
pub(super) fn bcrypt_arguments(arguments: &Arguments) -> Result<(String, i64), FunctionError> {
    let text = arguments.string(0, "str")?;
    let cost = if arguments.len() > 1 {
        arguments.integer(1, "cost")?
    } else {
        10
    };
    if !(4..=31).contains(&cost) {
        return Err(FunctionError::argument(
            1,
            format!("crypto/bcrypt: cost {cost} is outside allowed range (4,31)"),
        ));
    }
    if text.len() > 72 {
        return Err(FunctionError::argument(
            0,
            "bcrypt: password length exceeds 72 bytes",
        ));
    }
    Ok((text, cost))
}

/// `rsadecrypt(ciphertext, privatekey)`: base64 ciphertext, PKCS #1 v1.5 padding, a PEM key
/// in PKCS #1 (`RSA PRIVATE KEY`) or PKCS #8 (`PRIVATE KEY`) form.
pub(super) fn rsadecrypt(arguments: &Arguments) -> FunctionResult {
    use rsa::pkcs1::DecodeRsaPrivateKey;
    use rsa::pkcs8::DecodePrivateKey;
    let ciphertext = arguments.string(0, "ciphertext")?;
    let pem = arguments.string(1, "privatekey")?;
    let bytes = base64_decode_bytes(&ciphertext)
        .map_err(|message| FunctionError::argument(0, format!("failed to decode input {ciphertext:?}: cipher text must be base64-encoded ({message})")))?;
    let key = rsa::RsaPrivateKey::from_pkcs1_pem(&pem)
        .or_else(|_| rsa::RsaPrivateKey::from_pkcs8_pem(&pem))
        .map_err(|_| {
            FunctionError::argument(
                1,
                "invalid private key: expected a PEM-encoded RSA private key (PKCS #1 or PKCS #8)",
            )
        })?;
    let plain = key.decrypt(rsa::Pkcs1v15Encrypt, &bytes).map_err(|_| {
        FunctionError::call("failed to decrypt: the ciphertext does not match the key")
    })?;
    String::from_utf8(plain)
        .map(Value::String)
        .map_err(|_| FunctionError::call("the decrypted text is not valid UTF-8"))
}

pub(super) fn uuid(_arguments: &Arguments) -> FunctionResult {
    Ok(Value::String(uuid::Uuid::new_v4().to_string()))
}

pub(super) fn uuidv5(arguments: &Arguments) -> FunctionResult {
    let namespace = arguments.string(0, "namespace")?;
    let name = arguments.string(1, "name")?;
    let namespace = match namespace.as_str() {
        "dns" => uuid::Uuid::NAMESPACE_DNS,
        "url" => uuid::Uuid::NAMESPACE_URL,
        "oid" => uuid::Uuid::NAMESPACE_OID,
        "x500" => uuid::Uuid::NAMESPACE_X500,
        other => uuid::Uuid::parse_str(other).map_err(|_| {
            FunctionError::argument(0, format!("uuidv5() doesn't support namespace {other}"))
                .with_hint("use dns, url, oid, x500 or a UUID")
        })?,
    };
    Ok(Value::String(
        uuid::Uuid::new_v5(&namespace, name.as_bytes()).to_string(),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::tests_support::{n, ok, run, s};
    use super::*;

    #[test]
    fn sha_family() {
        assert_eq!(
            ok("sha1", vec![s("hello world")]),
            s("2aae6c35c94fcfb415dbe95f408b9ce91ee846ed")
        );
        assert_eq!(
            ok("sha512", vec![s("hello world")]),
            s("309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff499670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f")
        );
        assert_eq!(
            ok("base64sha512", vec![s("hello world")]),
            s("MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw==")
        );
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("hello.txt");
        std::fs::write(&path, "hello world").unwrap();
        let path = s(path.to_str().unwrap());
        assert_eq!(
            ok("filesha1", vec![path.clone()]),
            ok("sha1", vec![s("hello world")])
        );
        assert_eq!(
            ok("filesha512", vec![path.clone()]),
            ok("sha512", vec![s("hello world")])
        );
        assert_eq!(
            ok("filebase64sha512", vec![path]),
            ok("base64sha512", vec![s("hello world")])
        );
    }

    #[test]
    fn base64gzip_is_a_gzip_of_the_text() {
        use std::io::Read;
        let Value::String(encoded) = ok("base64gzip", vec![s("hello world")]) else {
            panic!()
        };
        let bytes = base64_decode_bytes(&encoded).unwrap();
        // Terraform's header: magic, deflate, no flags, mtime 0, no extra flags, OS unknown.
        assert_eq!(&bytes[..10], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
        let mut decoded = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut decoded)
            .unwrap();
        assert_eq!(decoded, "hello world");
        // Terraform's own output decodes to the same text.
        let terraform =
            base64_decode_bytes("H4sIAAAAAAAA/8pIzcnJVyjPL8pJAQAAAP//AQAA//+FEUoNCwAAAA==")
                .unwrap();
        let mut theirs = String::new();
        flate2::read::GzDecoder::new(&terraform[..])
            .read_to_string(&mut theirs)
            .unwrap();
        assert_eq!(theirs, decoded);
    }

    #[test]
    fn bcrypt_hashes_verify() {
        let Value::String(hash) = ok("bcrypt", vec![s("hello world")]) else {
            panic!()
        };
        assert!(hash.starts_with("$2a$10$"), "{hash}");
        assert!(::bcrypt::verify("hello world", &hash).unwrap());
        let Value::String(cheap) = ok("bcrypt", vec![s("x"), n(4.0)]) else {
            panic!()
        };
        assert!(cheap.starts_with("$2a$04$"));
        assert_ne!(ok("bcrypt", vec![s("x"), n(4.0)]), Value::String(cheap));
        assert!(run("bcrypt", vec![s("x"), n(3.0)]).is_err());
    }

    #[test]
    fn uuids() {
        let Value::String(random) = ok("uuid", vec![]) else {
            panic!()
        };
        assert_eq!(random.len(), 36);
        assert_eq!(&random[14..15], "4");
        assert_ne!(ok("uuid", vec![]), Value::String(random));
        for (namespace, name, expected) in [
            (
                "dns",
                "www.terraform.io",
                "a5008fae-b28c-5ba5-96cd-82b4c53552d6",
            ),
            (
                "url",
                "https://www.terraform.io/",
                "9db6f67c-dd95-5ea0-aa5b-e70e5c5f7cf5",
            ),
            ("oid", "1.2.3.4", "67448b45-6d15-536b-bef7-8a78c3d10ac6"),
            (
                "x500",
                "CN=Test User 1, O=Example Organization, ST=California, C=US",
                "8ee1cd4d-499b-5fe3-8fd7-4e84c5462507",
            ),
            (
                "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
                "www.terraform.io",
                "a5008fae-b28c-5ba5-96cd-82b4c53552d6",
            ),
        ] {
            assert_eq!(ok("uuidv5", vec![s(namespace), s(name)]), s(expected));
        }
        assert!(run("uuidv5", vec![s("nope"), s("x")]).is_err());
    }

    // A throwaway 1024-bit key and "Hello, World!" encrypted with it by
    // `openssl pkeyutl -encrypt -pkeyopt rsa_padding_mode:pkcs1`; Terraform decrypts it the same.
    const KEY: &str = include_str!("testdata/rsa-key.pem");
    const CIPHERTEXT: &str = include_str!("testdata/rsa-ciphertext.b64");

    #[test]
    fn rsadecrypt_reads_pkcs1_keys() {
        assert_eq!(
            ok("rsadecrypt", vec![s(CIPHERTEXT.trim()), s(KEY)]),
            s("Hello, World!")
        );
        assert_eq!(
            run("rsadecrypt", vec![s("%%%"), s(KEY)])
                .unwrap_err()
                .argument,
            Some(0)
        );
        assert_eq!(
            run("rsadecrypt", vec![s(CIPHERTEXT.trim()), s("not a key")])
                .unwrap_err()
                .argument,
            Some(1)
        );
    }
}
