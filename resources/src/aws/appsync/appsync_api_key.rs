//! `aws_appsync_api_key`: an API key of an AppSync GraphQL API.
//!
//! AWS calls: CreateApiKey, ListApiKeys (read: there is no GetApiKey), UpdateApiKey
//! (`description`, `expires`), DeleteApiKey. API keys take no tags.
//!
//! Replacement: a change of `api_id`. The id is `api_id:key_id` (as Terraform's), and
//! `api_key_id` is the key id. `key` is sensitive: never printed, sealed in state. (The key id
//! is the key itself, as with Terraform, whose `id` and `api_key_id` carry it too.)
//!
//! `expires` (RFC 3339): when the spec sets none, create sends Terraform's default, 7 days from
//! now rounded down to the hour, and the state keeps what AWS answered (`expires` is optional +
//! computed, so a re-plan is clean). AWS rounds every expiry down to the hour: an answer that
//! is the prior value so rounded reads back as written, so a spec's `12:30` shows no diff.
//!
//! Recovery: none (keys have neither names nor tags); an interrupted create leaves a key that
//! the retried create does not adopt, and it expires on its own.
//!
//! moto 5.2.1 gaps: DeleteApiKey of a key that is gone answers HTTP 500 (a KeyError), not
//! NotFoundException, so delete looks the key up first (ListApiKeys) and a key already gone
//! is success; ListApiKeys of an API that is gone answers an empty list (AWS: NotFoundException;
//! both read as gone).

use std::time::{SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use aws_sdk_appsync::types::ApiKey;
use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;

use crate::aws::kit::attributes::{map, non_empty, optional_string, required_string};
use crate::aws::kit::{empty_answer, sdk_error, ResultExt};
use crate::aws::AwsContext;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

const HOUR: i64 = 3600;
const SEVEN_DAYS: i64 = 7 * 24 * HOUR;

pub struct AppsyncApiKey {
    schema: Schema,
}

impl AppsyncApiKey {
    pub fn new() -> Self {
        AppsyncApiKey {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("api_id:key_id."),
                Attribute::required("api_id", AttrType::String).force_new(),
                Attribute::optional("description", AttrType::String)
                    .default("Managed by Terraform"),
                Attribute::optional_computed("expires", AttrType::String).describe(
                    "RFC 3339; 7 days from creation, rounded down to the hour, when left out.",
                ),
                Attribute::computed("api_key_id", AttrType::String),
                Attribute::computed("key", AttrType::String)
                    .sensitive()
                    .describe("The API key."),
            ]),
        }
    }
}

impl Default for AppsyncApiKey {
    fn default() -> Self {
        AppsyncApiKey::new()
    }
}

/// Seconds since the epoch of an RFC 3339 time.
fn parse_expires(text: &str) -> Result<i64, ProviderError> {
    DateTime::from_str(text, Format::DateTime)
        .map(|time| time.secs())
        .map_err(|error| {
            ProviderError::invalid(
                "expires",
                format!("{text:?} is not an RFC 3339 time: {error}"),
            )
        })
}

/// RFC 3339 text of seconds since the epoch.
fn format_expires(secs: i64) -> Result<String, ProviderError> {
    DateTime::from_secs(secs)
        .fmt(Format::DateTime)
        .map_err(|error| ProviderError::invalid("expires", format!("{secs}: {error}")))
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs() as i64)
}

/// The expiry to send: the spec's, else 7 days from `now` rounded down to the hour.
fn expires_secs(desired: &Attributes, now: i64) -> Result<i64, ProviderError> {
    match non_empty(desired, "expires") {
        Some(text) => parse_expires(&text),
        None => Ok((now + SEVEN_DAYS) / HOUR * HOUR),
    }
}

fn split_id(id: &str) -> Result<(&str, &str), ProviderError> {
    id.split_once(':')
        .filter(|(api_id, key_id)| !api_id.is_empty() && !key_id.is_empty())
        .ok_or_else(|| ProviderError::invalid("id", format!("{id:?}: expected api_id:key_id")))
}

/// `expires` as AWS answered it, or as `prior` wrote it when AWS's is that time rounded down
/// to the hour.
fn expires_value(answered: i64, prior: &Attributes) -> Result<Value, ProviderError> {
    if let Some(written) = non_empty(prior, "expires") {
        if let Ok(secs) = parse_expires(&written) {
            if secs == answered || secs / HOUR * HOUR == answered {
                return Ok(Value::string(written));
            }
        }
    }
    format_expires(answered).map(Value::string)
}

fn key_attributes(
    api_id: &str,
    key: &ApiKey,
    prior: &Attributes,
) -> Result<Attributes, ProviderError> {
    let key_id = key.id().ok_or_else(|| empty_answer("ApiKey", "key id"))?;
    Ok(map([
        ("id", Value::string(format!("{api_id}:{key_id}"))),
        ("api_id", Value::string(api_id)),
        (
            "description",
            Value::string(key.description().unwrap_or_default()),
        ),
        ("expires", expires_value(key.expires(), prior)?),
        ("api_key_id", Value::string(key_id)),
        ("key", Value::string(key_id)),
    ]))
}

/// The key `key_id` of API `api_id`, or None when it (or the API) is gone.
async fn find_key(
    context: &ProviderContext,
    api_id: &str,
    key_id: &str,
) -> Result<Option<ApiKey>, ProviderError> {
    let mut next_token = None;
    loop {
        let Some(page) = context
            .aws()
            .appsync
            .list_api_keys()
            .api_id(api_id)
            .set_next_token(next_token)
            .send()
            .await
            .map_err(|error| sdk_error("ListApiKeys", error))
            .not_found_as_none()?
        else {
            return Ok(None);
        };
        if let Some(key) = page.api_keys().iter().find(|key| key.id() == Some(key_id)) {
            return Ok(Some(key.clone()));
        }
        next_token = page
            .next_token()
            .filter(|token| !token.is_empty())
            .map(str::to_string);
        if next_token.is_none() {
            return Ok(None);
        }
    }
}

#[async_trait]
impl Resource for AppsyncApiKey {
    fn type_name(&self) -> &'static str {
        "aws_appsync_api_key"
    }

    fn import_id(&self) -> String {
        "API id:key id".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let api_id = required_string(desired, "api_id")?;
        let output = context
            .aws()
            .appsync
            .create_api_key()
            .api_id(&api_id)
            .set_description(optional_string(desired, "description"))
            .expires(expires_secs(desired, now_secs())?)
            .send()
            .await
            .map_err(|error| sdk_error("CreateApiKey", error))?;
        let key = output
            .api_key()
            .ok_or_else(|| empty_answer("CreateApiKey", "API key"))?;
        key_attributes(&api_id, key, desired)
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let (api_id, key_id) = split_id(id)?;
        find_key(context, api_id, key_id)
            .await?
            .map(|key| key_attributes(api_id, &key, prior))
            .transpose()
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let (api_id, key_id) = split_id(id)?;
        // Sent only when the spec changes it: a spec without `expires` keeps the key's
        // (optional + computed), and AWS refuses an expiry less than a day away, so resending
        // an unchanged one could fail a description change.
        let written = non_empty(desired, "expires");
        let expires = match written.as_deref() {
            Some(text) if written != non_empty(prior, "expires") => Some(parse_expires(text)?),
            _ => None,
        };
        let output = context
            .aws()
            .appsync
            .update_api_key()
            .api_id(api_id)
            .id(key_id)
            .set_description(optional_string(desired, "description"))
            .set_expires(expires)
            .send()
            .await
            .map_err(|error| sdk_error("UpdateApiKey", error))?;
        let key = output
            .api_key()
            .ok_or_else(|| empty_answer("UpdateApiKey", "API key"))?;
        key_attributes(api_id, key, if expires.is_some() { desired } else { prior })
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let (api_id, key_id) = split_id(id)?;
        // moto answers the delete of an absent key with 500: look it up first.
        if find_key(context, api_id, key_id).await?.is_none() {
            return Ok(());
        }
        context
            .aws()
            .appsync
            .delete_api_key()
            .api_id(api_id)
            .id(key_id)
            .send()
            .await
            .map_err(|error| sdk_error("DeleteApiKey", error))
            .gone_is_ok()
    }

    async fn recover(
        &self,
        _context: &ProviderContext,
        _desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        // Nothing identifies the key an interrupted create made (no name, no tags).
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_expiry_is_seven_days_on_the_hour() {
        let now = 1_700_000_123;
        let secs = expires_secs(&Attributes::new(), now).unwrap();
        assert_eq!(secs % HOUR, 0);
        assert!(secs > now + SEVEN_DAYS - HOUR && secs <= now + SEVEN_DAYS);
    }

    #[test]
    fn expiry_round_trips_rfc3339() {
        let text = format_expires(1_700_002_800).unwrap();
        assert_eq!(text, "2023-11-14T23:00:00Z");
        assert_eq!(parse_expires(&text).unwrap(), 1_700_002_800);
        let desired = map([("expires", Value::string(text))]);
        assert_eq!(expires_secs(&desired, 0).unwrap(), 1_700_002_800);
        assert!(parse_expires("next week").is_err());
    }

    #[test]
    fn an_expiry_aws_rounded_down_reads_as_written() {
        let written = map([("expires", Value::string("2023-11-14T23:30:00Z"))]);
        assert_eq!(
            expires_value(1_700_002_800, &written).unwrap(),
            Value::string("2023-11-14T23:30:00Z")
        );
        assert_eq!(
            expires_value(1_700_006_400, &written).unwrap(),
            Value::string("2023-11-15T00:00:00Z")
        );
    }

    #[test]
    fn id_is_api_and_key() {
        assert_eq!(split_id("abc:da2-x").unwrap(), ("abc", "da2-x"));
        assert!(split_id("abc").is_err());
        assert!(split_id(":da2-x").is_err());
    }
}
