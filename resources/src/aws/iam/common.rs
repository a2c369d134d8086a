//! Shared IAM helpers: policy documents (URL-decoding what IAM returns, comparing documents the
//! way IAM means them), names from `name` / `name_prefix`, tags, and the short retries IAM's
//! eventual consistency needs.

use std::collections::BTreeMap;
use std::future::Future;
use std::time::Duration;

use aws_sdk_iam::types::Tag;
use serde_json::Value as Json;

use crate::aws::wait::{self, Poll};
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext};
use crate::value::Value;

/// How long to retry an answer that IAM's eventual consistency explains (Terraform waits up
/// to 2 minutes for IAM propagation).
pub const PROPAGATION: Duration = Duration::from_secs(120);

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

/// The name to create under: `name`, else `name_prefix` plus a suffix derived from the
/// idempotency token (so an interrupted create finds the same name again), else a name from
/// `terraform-` plus that suffix.
pub fn resolve_name(context: &ProviderContext, attributes: &Attributes, max_len: usize) -> String {
    if let Some(name) = attributes.get("name").and_then(Value::as_str) {
        if !name.is_empty() {
            return name.to_string();
        }
    }
    let prefix = attributes
        .get("name_prefix")
        .and_then(Value::as_str)
        .unwrap_or("terraform-");
    let suffix: String = context
        .idempotency_token
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    let room = max_len.saturating_sub(prefix.len()).min(26);
    format!("{prefix}{}", &suffix[..suffix.len().min(room)])
}

pub fn iam_tags(tags: &BTreeMap<String, String>) -> Result<Vec<Tag>, ProviderError> {
    tags.iter()
        .map(|(key, value)| {
            Tag::builder()
                .key(key)
                .value(value)
                .build()
                .map_err(|error| ProviderError::invalid("tags", error.to_string()))
        })
        .collect()
}

pub fn tags_from_iam(tags: &[Tag]) -> BTreeMap<String, String> {
    tags.iter()
        .map(|tag| (tag.key().to_string(), tag.value().to_string()))
        .collect()
}

/// True for IAM answers that eventual consistency explains right after a create: the role or
/// policy is not visible yet, or a new principal is not yet known.
pub fn is_propagation_error(error: &ProviderError) -> bool {
    match error {
        ProviderError::Aws { code, message, .. } => {
            code == "NoSuchEntity"
                || (code == "MalformedPolicyDocument" && message.contains("Invalid principal"))
        }
        _ => false,
    }
}

/// Calls `attempt` until it succeeds, fails with an error `retryable` does not accept, or
/// `PROPAGATION` passes.
pub async fn retry<T, F, Fut>(
    what: &str,
    retryable: fn(&ProviderError) -> bool,
    mut attempt: F,
) -> Result<T, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, ProviderError>>,
{
    let last_error = std::sync::Mutex::new(None);
    let last = &last_error;
    let outcome = wait::until(what, PROPAGATION, || {
        let call = attempt();
        async move {
            match call.await {
                Ok(value) => Ok(Poll::Ready(value)),
                Err(error) if retryable(&error) => {
                    if let Ok(mut slot) = last.lock() {
                        *slot = Some(error);
                    }
                    Ok(Poll::Pending)
                }
                Err(error) => Err(error),
            }
        }
    })
    .await;
    match outcome {
        // Out of time: the last AWS answer says more than "timed out".
        Err(timeout @ ProviderError::Timeout { .. }) => {
            Err(last_error.into_inner().ok().flatten().unwrap_or(timeout))
        }
        other => other,
    }
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

    #[test]
    fn propagation_errors_are_recognised() {
        let error = |code: &str, message: &str| ProviderError::Aws {
            operation: "CreateRole".into(),
            code: code.into(),
            message: message.into(),
        };
        assert!(is_propagation_error(&error(
            "MalformedPolicyDocument",
            "Invalid principal in policy: \"AWS\":\"arn:aws:iam::1:role/new\""
        )));
        assert!(is_propagation_error(&error("NoSuchEntity", "role x")));
        assert!(!is_propagation_error(&error(
            "MalformedPolicyDocument",
            "Syntax errors in policy"
        )));
    }
}
