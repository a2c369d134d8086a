//! `aws_cloudfront_origin_access_control`: an origin access control (OAC), which lets a
//! CloudFront distribution sign its requests to a private S3 bucket.
//!
//! AWS calls: CreateOriginAccessControl, GetOriginAccessControl (read, and the ETag for the
//! next two), UpdateOriginAccessControl (`IfMatch` = that ETag), DeleteOriginAccessControl
//! (`IfMatch`), ListOriginAccessControls (recovery). A `PreconditionFailed` answer (someone
//! changed it between our read and write) is retried with a fresh ETag.
//!
//! Replacement: none; every attribute changes in place (as in Terraform). OACs carry no tags.
//! Recovery: OAC names are unique per account, so `recover` finds the OAC of the desired name.
//! moto 5.2.1 shows all of this (its ETag never changes).

use crate::aws::AwsContext;
use async_trait::async_trait;
use aws_sdk_cloudfront::types::{
    OriginAccessControl, OriginAccessControlConfig, OriginAccessControlOriginTypes,
    OriginAccessControlSigningBehaviors, OriginAccessControlSigningProtocols,
};

use crate::aws::kit::attributes;
use crate::aws::kit::sdk_error;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

/// Terraform's description when none is given.
const DEFAULT_DESCRIPTION: &str = "Managed by Terraform";
/// Attempts of an ETag-guarded write before giving up on `PreconditionFailed`.
const ETAG_ATTEMPTS: usize = 5;

pub struct CloudfrontOriginAccessControl {
    schema: Schema,
}

impl CloudfrontOriginAccessControl {
    pub fn new() -> Self {
        CloudfrontOriginAccessControl {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String),
                Attribute::required("name", AttrType::String)
                    .describe("Name of the OAC (unique in the account)."),
                Attribute::optional("description", AttrType::String).default(DEFAULT_DESCRIPTION),
                Attribute::required("origin_access_control_origin_type", AttrType::String)
                    .describe("`s3`, `mediastore`, `lambda` or `mediapackagev2`."),
                Attribute::required("signing_behavior", AttrType::String)
                    .describe("`always`, `never` or `no-override`."),
                Attribute::required("signing_protocol", AttrType::String).describe("`sigv4`."),
                Attribute::computed("etag", AttrType::String),
            ]),
        }
    }
}

impl Default for CloudfrontOriginAccessControl {
    fn default() -> Self {
        CloudfrontOriginAccessControl::new()
    }
}

fn config(desired: &Attributes) -> Result<OriginAccessControlConfig, ProviderError> {
    OriginAccessControlConfig::builder()
        .name(attributes::required_string(desired, "name")?)
        .description(
            attributes::optional_string(desired, "description").unwrap_or_else(|| DEFAULT_DESCRIPTION.into()),
        )
        .origin_access_control_origin_type(OriginAccessControlOriginTypes::from(
            attributes::required_string(desired, "origin_access_control_origin_type")?.as_str(),
        ))
        .signing_behavior(OriginAccessControlSigningBehaviors::from(
            attributes::required_string(desired, "signing_behavior")?.as_str(),
        ))
        .signing_protocol(OriginAccessControlSigningProtocols::from(
            attributes::required_string(desired, "signing_protocol")?.as_str(),
        ))
        .build()
        .map_err(|error| ProviderError::invalid("name", error.to_string()))
}

fn control_attributes(control: &OriginAccessControl, etag: Option<&str>) -> Attributes {
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::string(control.id()));
    attributes.insert("etag".into(), etag.map_or(Value::Null, Value::string));
    if let Some(config) = control.origin_access_control_config() {
        attributes.insert("name".into(), Value::string(config.name()));
        attributes.insert(
            "description".into(),
            Value::string(config.description().unwrap_or_default()),
        );
        attributes.insert(
            "origin_access_control_origin_type".into(),
            Value::string(config.origin_access_control_origin_type().as_str()),
        );
        attributes.insert(
            "signing_behavior".into(),
            Value::string(config.signing_behavior().as_str()),
        );
        attributes.insert(
            "signing_protocol".into(),
            Value::string(config.signing_protocol().as_str()),
        );
    }
    attributes
}

/// GetOriginAccessControl: the OAC and its ETag (`None` when gone).
async fn get(
    context: &ProviderContext,
    id: &str,
) -> Result<Option<(OriginAccessControl, Option<String>)>, ProviderError> {
    match context
        .aws()
        .cloudfront
        .get_origin_access_control()
        .id(id)
        .send()
        .await
    {
        Ok(output) => Ok(output
            .origin_access_control()
            .cloned()
            .map(|control| (control, output.e_tag().map(str::to_string)))),
        Err(error) => {
            let error = sdk_error("GetOriginAccessControl", error);
            crate::aws::kit::none_if_gone(error)
        }
    }
}

#[async_trait]
impl Resource for CloudfrontOriginAccessControl {
    fn type_name(&self) -> &'static str {
        "aws_cloudfront_origin_access_control"
    }

    fn import_id(&self) -> String {
        "origin access control id".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let output = context
            .aws()
            .cloudfront
            .create_origin_access_control()
            .origin_access_control_config(config(desired)?)
            .send()
            .await
            .map_err(|error| sdk_error("CreateOriginAccessControl", error))?;
        let control = output.origin_access_control().ok_or_else(|| {
            ProviderError::Refused("CreateOriginAccessControl answered no OAC".into())
        })?;
        Ok(control_attributes(control, output.e_tag()))
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        Ok(get(context, id)
            .await?
            .map(|(control, etag)| control_attributes(&control, etag.as_deref())))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let wanted = config(desired)?;
        for attempt in 1..=ETAG_ATTEMPTS {
            let (_, etag) = get(context, id).await?.ok_or_else(|| {
                ProviderError::Refused(format!("origin access control {id} disappeared"))
            })?;
            match context
                .aws()
                .cloudfront
                .update_origin_access_control()
                .id(id)
                .set_if_match(etag)
                .origin_access_control_config(wanted.clone())
                .send()
                .await
            {
                Ok(output) => {
                    if let Some(control) = output.origin_access_control() {
                        return Ok(control_attributes(control, output.e_tag()));
                    }
                    break;
                }
                Err(error) => {
                    let error = sdk_error("UpdateOriginAccessControl", error);
                    if error.code() != Some("PreconditionFailed") || attempt == ETAG_ATTEMPTS {
                        return Err(error);
                    }
                }
            }
        }
        self.read(context, id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("origin access control {id} disappeared"))
        })
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        for attempt in 1..=ETAG_ATTEMPTS {
            let Some((_, etag)) = get(context, id).await? else {
                return Ok(());
            };
            match context
                .aws()
                .cloudfront
                .delete_origin_access_control()
                .id(id)
                .set_if_match(etag)
                .send()
                .await
            {
                Ok(_) => return Ok(()),
                Err(error) => {
                    let Err(error) = crate::aws::kit::ok_if_gone(sdk_error("DeleteOriginAccessControl", error)) else {
                        return Ok(());
                    };
                    if error.code() != Some("PreconditionFailed") || attempt == ETAG_ATTEMPTS {
                        return Err(error);
                    }
                }
            }
        }
        Ok(())
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let name = attributes::required_string(desired, "name")?;
        let mut marker: Option<String> = None;
        loop {
            let output = context
                .aws()
                .cloudfront
                .list_origin_access_controls()
                .set_marker(marker.clone())
                .send()
                .await
                .map_err(|error| sdk_error("ListOriginAccessControls", error))?;
            let Some(list) = output.origin_access_control_list() else {
                return Ok(None);
            };
            if let Some(found) = list.items().iter().find(|item| item.name() == name) {
                let id = found.id().to_string();
                return self.read(context, &id, desired).await;
            }
            match list
                .next_marker()
                .filter(|next| !next.is_empty() && list.is_truncated())
            {
                Some(next) => marker = Some(next.to_string()),
                None => return Ok(None),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_uses_terraforms_default_description() {
        let desired = attributes::map([
            ("name", Value::string("edgemind-dev-frontend")),
            ("origin_access_control_origin_type", Value::string("s3")),
            ("signing_behavior", Value::string("always")),
            ("signing_protocol", Value::string("sigv4")),
        ]);
        let built = config(&desired).expect("valid config");
        assert_eq!(built.description(), Some(DEFAULT_DESCRIPTION));
        assert_eq!(built.signing_behavior().as_str(), "always");
    }
}
