//! Policy documents: decoding what IAM returns (URL-encoded), comparing documents by what they
//! grant rather than by text, and keeping the spec's text when the cloud's means the same (so
//! neither a heredoc nor a `jsonencode` policy plans a change).

use serde_json::Value as Json;

use crate::error::ProviderError;
use crate::provider::Attributes;
use crate::value::Value;

/// Decodes a policy document as IAM returns it (`%7B%22Version%22...`, RFC 3986 percent
/// encoding; `+` is kept). Text that is not valid percent-encoding comes back unchanged.
pub fn url_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let byte = bytes
                .get(index + 1..index + 3)
                .and_then(|hex| std::str::from_utf8(hex).ok())
                .and_then(|hex| u8::from_str_radix(hex, 16).ok());
            match byte {
                Some(byte) => {
                    decoded.push(byte);
                    index += 3;
                    continue;
                }
                None => return text.to_string(),
            }
        }
        decoded.push(bytes[index]);
        index += 1;
    }
    String::from_utf8(decoded).unwrap_or_else(|_| text.to_string())
}

/// A policy document in a canonical form: `Statement` always a list, the single-or-list
/// elements (`Action`, `NotAction`, `Resource`, `NotResource`, principals, condition values)
/// always sorted, de-duplicated lists, statements in a stable order.
pub fn normalize_policy(document: &Json) -> Json {
    fn list_of(value: &Json) -> Json {
        let mut items: Vec<Json> = match value {
            Json::Array(items) => items.clone(),
            other => vec![other.clone()],
        };
        items.sort_by_key(|item| item.to_string());
        items.dedup();
        Json::Array(items)
    }
    fn principal(value: &Json) -> Json {
        match value {
            // "*" and {"AWS": "*"} are the same principal.
            Json::String(text) if text == "*" => {
                Json::Object([("AWS".to_string(), list_of(value))].into_iter().collect())
            }
            Json::Object(entries) => Json::Object(
                entries
                    .iter()
                    .map(|(key, value)| (key.clone(), list_of(value)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    fn condition(value: &Json) -> Json {
        match value {
            Json::Object(operators) => Json::Object(
                operators
                    .iter()
                    .map(|(operator, keys)| {
                        let keys = match keys {
                            Json::Object(keys) => Json::Object(
                                keys.iter()
                                    .map(|(key, value)| (key.clone(), list_of(value)))
                                    .collect(),
                            ),
                            other => other.clone(),
                        };
                        (operator.clone(), keys)
                    })
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    fn statement(value: &Json) -> Json {
        match value {
            Json::Object(entries) => Json::Object(
                entries
                    .iter()
                    .map(|(key, value)| {
                        let value = match key.as_str() {
                            "Action" | "NotAction" | "Resource" | "NotResource" => list_of(value),
                            "Principal" | "NotPrincipal" => principal(value),
                            "Condition" => condition(value),
                            _ => value.clone(),
                        };
                        (key.clone(), value)
                    })
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    match document {
        Json::Object(entries) => Json::Object(
            entries
                .iter()
                .map(|(key, value)| {
                    if key == "Statement" {
                        let mut statements: Vec<Json> = match value {
                            Json::Array(items) => items.iter().map(statement).collect(),
                            other => vec![statement(other)],
                        };
                        statements.sort_by_key(|item| item.to_string());
                        (key.clone(), Json::Array(statements))
                    } else {
                        (key.clone(), value.clone())
                    }
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// True when two policy documents (JSON text) grant the same: compared in canonical form.
pub fn policies_equivalent(left: &str, right: &str) -> bool {
    match (
        serde_json::from_str::<Json>(left),
        serde_json::from_str::<Json>(right),
    ) {
        (Ok(left), Ok(right)) => normalize_policy(&left) == normalize_policy(&right),
        _ => left.trim() == right.trim(),
    }
}

/// The document to record for a policy AWS returned (URL-encoded or not): the prior text when
/// it means the same (so neither a `jsonencode` nor a heredoc policy shows a diff), else the
/// decoded document.
pub fn policy_value(cloud_document: &str, prior: &Attributes, name: &str) -> Value {
    let decoded = url_decode(cloud_document);
    if let Some(prior_text) = prior.get(name).and_then(Value::as_str) {
        if policies_equivalent(prior_text, &decoded) {
            return Value::string(prior_text);
        }
    }
    Value::String(decoded)
}

/// Checks that a policy attribute is JSON and returns it.
pub fn policy_document(attributes: &Attributes, name: &str) -> Result<String, ProviderError> {
    let text = attributes
        .get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| ProviderError::invalid(name, "is required"))?;
    serde_json::from_str::<Json>(text)
        .map_err(|error| ProviderError::invalid(name, format!("is not valid JSON: {error}")))?;
    Ok(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_decode_undoes_iam_encoding() {
        assert_eq!(
            url_decode("%7B%22Version%22%3A%222012-10-17%22%7D"),
            r#"{"Version":"2012-10-17"}"#
        );
        assert_eq!(url_decode(r#"{"a":"b"}"#), r#"{"a":"b"}"#);
        assert_eq!(url_decode("100%"), "100%");
        assert_eq!(url_decode("%zz"), "%zz");
    }

    #[test]
    fn heredoc_and_jsonencode_policies_are_equivalent() {
        let heredoc = r#"{
          "Version": "2012-10-17",
          "Statement": {
            "Effect": "Allow",
            "Principal": {"Service": "ecs-tasks.amazonaws.com"},
            "Action": "sts:AssumeRole"
          }
        }"#;
        let encoded = r#"{"Statement":[{"Action":["sts:AssumeRole"],"Effect":"Allow","Principal":{"Service":["ecs-tasks.amazonaws.com"]}}],"Version":"2012-10-17"}"#;
        assert!(policies_equivalent(heredoc, encoded));
        let other = encoded.replace("sts:AssumeRole", "sts:TagSession");
        assert!(!policies_equivalent(heredoc, &other));
    }

    #[test]
    fn statement_and_action_order_do_not_matter() {
        let left = r#"{"Statement":[{"Effect":"Allow","Action":["b","a"],"Resource":"*"},{"Effect":"Deny","Action":"c","Resource":"*"}]}"#;
        let right = r#"{"Statement":[{"Effect":"Deny","Action":["c"],"Resource":["*"]},{"Effect":"Allow","Action":["a","b"],"Resource":"*"}]}"#;
        assert!(policies_equivalent(left, right));
    }

    #[test]
    fn policy_value_keeps_the_prior_text_when_equivalent() {
        let prior_text = "{\n  \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}\n}";
        let prior: Attributes = [("policy".to_string(), Value::string(prior_text))]
            .into_iter()
            .collect();
        let cloud = "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3A%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D";
        assert_eq!(
            policy_value(cloud, &prior, "policy"),
            Value::string(prior_text)
        );
        let changed = cloud.replace("s3", "ec2");
        assert_eq!(
            policy_value(&changed, &prior, "policy"),
            Value::string(r#"{"Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}"#)
        );
    }
}
