//! `aws_cognito_user_pool_domain`: the hosted UI / OAuth domain of a Cognito user pool, a
//! prefix (`auth-shop` → `auth-shop.auth.<region>.amazoncognito.com`) or a custom domain
//! (`auth.example.com`, with an ACM `certificate_arn` in us-east-1). Id = the domain.
//!
//! AWS calls: CreateUserPoolDomain, DescribeUserPoolDomain (read, and the readiness wait until
//! the status is ACTIVE: a custom domain's CloudFront distribution takes minutes),
//! UpdateUserPoolDomain (`certificate_arn`, `managed_login_version`; then the wait again),
//! DeleteUserPoolDomain (then until DescribeUserPoolDomain no longer answers it). Domains carry
//! no tags: no listing for drift.
//!
//! Not found: DescribeUserPoolDomain answers an unknown domain with HTTP 200 and an empty
//! `DomainDescription` (AWS and moto alike), read as gone.
//!
//! Replacement: a change of `domain` or `user_pool_id`.
//!
//! Computed: `cloudfront_distribution` and `cloudfront_distribution_arn` are both the
//! distribution's host name, as in Terraform (the alias target a Route 53 record needs), with
//! `cloudfront_distribution_zone_id` CloudFront's hosted zone; `aws_account_id`, `s3_bucket`
//! and `version` as DescribeUserPoolDomain answers them.
//!
//! Recovery: by name: a domain is unique, so the domain of this name on the spec's pool is
//! what an interrupted create made.
//!
//! moto 5.2.1 gaps: DescribeUserPoolDomain answers a new random `AWSAccountId` on every call
//! (the account of a domain never changes, so read keeps the first one it saw) and no
//! `CustomDomainConfig` (read keeps the prior `certificate_arn` when the answer has none) or
//! `ManagedLoginVersion` (null when never written).

use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_cognitoidentityprovider::types::{
    CustomDomainConfigType, DomainDescriptionType, DomainStatusType,
};

use crate::aws::kit::attributes::{non_empty, number, optional_i32, or_prior, required_string};
use crate::aws::kit::errors::ResultExt;
use crate::aws::kit::sdk_error;
use crate::aws::kit::wait::{until, until_gone, Poll};
use crate::aws::AwsContext;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

/// How long a domain may take to become ACTIVE (Terraform's create timeout) or to go.
const READY_LIMIT: Duration = Duration::from_secs(60 * 60);

pub struct CognitoUserPoolDomain {
    schema: Schema,
}

impl CognitoUserPoolDomain {
    pub fn new() -> Self {
        let string = || AttrType::String;
        CognitoUserPoolDomain {
            schema: Schema::new(vec![
                Attribute::computed("id", string()).describe("The domain."),
                Attribute::required("domain", string()).force_new(),
                Attribute::required("user_pool_id", string()).force_new(),
                Attribute::optional("certificate_arn", string())
                    .describe("The ACM certificate of a custom domain."),
                Attribute::optional_computed("managed_login_version", AttrType::Number),
                Attribute::computed("aws_account_id", string()),
                Attribute::computed("cloudfront_distribution", string()),
                Attribute::computed("cloudfront_distribution_arn", string()),
                Attribute::computed("cloudfront_distribution_zone_id", string()),
                Attribute::computed("s3_bucket", string()),
                Attribute::computed("version", string()),
            ]),
        }
    }
}

impl Default for CognitoUserPoolDomain {
    fn default() -> Self {
        CognitoUserPoolDomain::new()
    }
}

fn text(value: Option<&str>) -> Value {
    value.map_or(Value::Null, Value::string)
}

/// CloudFront's hosted zone, the alias target zone of every distribution of the partition.
fn cloudfront_zone(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "Z3RFFRIM2A3IF5"
    } else {
        "Z2FDTNDATAQYW2"
    }
}

fn custom_domain_config(
    desired: &Attributes,
) -> Result<Option<CustomDomainConfigType>, ProviderError> {
    non_empty(desired, "certificate_arn")
        .map(|arn| {
            CustomDomainConfigType::builder()
                .certificate_arn(arn)
                .build()
                .map_err(|error| ProviderError::invalid("certificate_arn", error.to_string()))
        })
        .transpose()
}

/// The domain's description, or `None` when AWS does not know it (an empty description).
async fn describe(
    context: &ProviderContext,
    domain: &str,
) -> Result<Option<DomainDescriptionType>, ProviderError> {
    let Some(output) = context
        .aws()
        .cognitoidp
        .describe_user_pool_domain()
        .domain(domain)
        .send()
        .await
        .map_err(|error| sdk_error("DescribeUserPoolDomain", error))
        .not_found_as_none()?
    else {
        return Ok(None);
    };
    Ok(output.domain_description().cloned().filter(known))
}

/// AWS answers an unknown domain with an empty description: no domain, no status.
fn known(description: &DomainDescriptionType) -> bool {
    description
        .domain()
        .is_some_and(|domain| !domain.is_empty())
        && description.status().is_some()
}

/// A domain's attributes from its description.
fn domain_attributes(
    region: &str,
    description: &DomainDescriptionType,
    prior: &Attributes,
) -> Attributes {
    let distribution = text(description.cloud_front_distribution());
    let account = match prior.get("aws_account_id") {
        Some(Value::String(account)) if !account.is_empty() => Value::string(account),
        _ => text(description.aws_account_id()),
    };
    let certificate = description
        .custom_domain_config()
        .map(|config| Value::string(config.certificate_arn()));
    Attributes::from([
        ("id".into(), text(description.domain())),
        ("domain".into(), text(description.domain())),
        ("user_pool_id".into(), text(description.user_pool_id())),
        (
            "certificate_arn".into(),
            or_prior(certificate, prior, "certificate_arn"),
        ),
        (
            "managed_login_version".into(),
            number(description.managed_login_version()),
        ),
        ("aws_account_id".into(), account),
        ("cloudfront_distribution".into(), distribution.clone()),
        ("cloudfront_distribution_arn".into(), distribution),
        (
            "cloudfront_distribution_zone_id".into(),
            Value::string(cloudfront_zone(region)),
        ),
        ("s3_bucket".into(), text(description.s3_bucket())),
        ("version".into(), text(description.version())),
    ])
}

/// Polls until the domain is ACTIVE, then answers its attributes; FAILED is an error.
async fn until_active(
    context: &ProviderContext,
    domain: &str,
    prior: &Attributes,
) -> Result<Attributes, ProviderError> {
    let region = context.aws().region.clone();
    until(
        &format!("Cognito domain {domain} to be ACTIVE"),
        READY_LIMIT,
        || async {
            let Some(description) = describe(context, domain).await? else {
                return Ok(Poll::Pending);
            };
            match description.status() {
                Some(DomainStatusType::Active) => {
                    Ok(Poll::Ready(domain_attributes(&region, &description, prior)))
                }
                Some(DomainStatusType::Failed) => Err(ProviderError::Aws {
                    operation: "DescribeUserPoolDomain".into(),
                    code: "Failed".into(),
                    message: format!("the domain {domain} is FAILED"),
                }),
                _ => Ok(Poll::Pending),
            }
        },
    )
    .await
}

#[async_trait]
impl Resource for CognitoUserPoolDomain {
    fn type_name(&self) -> &'static str {
        "aws_cognito_user_pool_domain"
    }

    fn import_id(&self) -> String {
        "domain (its prefix, or the custom domain name)".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let domain = required_string(desired, "domain")?;
        let pool = required_string(desired, "user_pool_id")?;
        let output = context
            .aws()
            .cognitoidp
            .create_user_pool_domain()
            .domain(&domain)
            .user_pool_id(&pool)
            .set_custom_domain_config(custom_domain_config(desired)?)
            .set_managed_login_version(optional_i32(desired, "managed_login_version")?)
            .send()
            .await
            .map_err(|error| sdk_error("CreateUserPoolDomain", error))?;
        // What is known before the domain is ACTIVE; `wait_until_ready` reads the rest.
        let distribution = text(output.cloud_front_domain());
        let mut attributes: Attributes = self
            .schema
            .attributes
            .iter()
            .map(|attribute| {
                let value = desired.get(attribute.name).cloned().unwrap_or_default();
                (attribute.name.to_string(), value)
            })
            .collect();
        for (name, value) in [
            ("id", Value::string(&domain)),
            ("cloudfront_distribution", distribution.clone()),
            ("cloudfront_distribution_arn", distribution),
            (
                "cloudfront_distribution_zone_id",
                Value::string(cloudfront_zone(&context.aws().region)),
            ),
            (
                "managed_login_version",
                number(output.managed_login_version()),
            ),
        ] {
            attributes.insert(name.to_string(), value);
        }
        Ok(attributes)
    }

    async fn wait_until_ready(
        &self,
        context: &ProviderContext,
        created: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let domain = required_string(created, "id")?;
        until_active(context, &domain, created).await
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        Ok(describe(context, id)
            .await?
            .map(|description| domain_attributes(&context.aws().region, &description, prior)))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        context
            .aws()
            .cognitoidp
            .update_user_pool_domain()
            .domain(id)
            .user_pool_id(required_string(desired, "user_pool_id")?)
            .set_custom_domain_config(custom_domain_config(desired)?)
            .set_managed_login_version(optional_i32(desired, "managed_login_version")?)
            .send()
            .await
            .map_err(|error| sdk_error("UpdateUserPoolDomain", error))?;
        let mut known = desired.clone();
        // The account id read before (moto answers a new one on every call).
        if let Some(account) = prior.get("aws_account_id") {
            known.insert("aws_account_id".into(), account.clone());
        }
        until_active(context, id, &known).await
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<(), ProviderError> {
        let pool = required_string(prior, "user_pool_id")?;
        context
            .aws()
            .cognitoidp
            .delete_user_pool_domain()
            .domain(id)
            .user_pool_id(pool)
            .send()
            .await
            .map(|_| ())
            .map_err(|error| sdk_error("DeleteUserPoolDomain", error))
            .gone_is_ok()?;
        until_gone(
            &format!("Cognito domain {id} to go"),
            READY_LIMIT,
            || async { Ok(describe(context, id).await?.is_some()) },
        )
        .await
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let domain = required_string(desired, "domain")?;
        let pool = required_string(desired, "user_pool_id")?;
        Ok(describe(context, &domain)
            .await?
            .filter(|description| description.user_pool_id() == Some(pool.as_str()))
            .map(|description| domain_attributes(&context.aws().region, &description, desired)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::kit::attributes::map;

    fn description() -> DomainDescriptionType {
        DomainDescriptionType::builder()
            .domain("auth-shop")
            .user_pool_id("us-east-1_Pool")
            .aws_account_id("123456789012")
            .cloud_front_distribution("d111111abcdef8.cloudfront.net")
            .status(DomainStatusType::Active)
            .build()
    }

    #[test]
    fn an_empty_description_is_a_missing_domain() {
        assert!(!known(&DomainDescriptionType::builder().build()));
        assert!(known(&description()));
    }

    #[test]
    fn the_distribution_is_both_name_and_arn_and_the_first_account_id_is_kept() {
        let read = domain_attributes("us-east-1", &description(), &Attributes::new());
        assert_eq!(read["id"], Value::string("auth-shop"));
        assert_eq!(
            read["cloudfront_distribution_arn"],
            read["cloudfront_distribution"]
        );
        assert_eq!(
            read["cloudfront_distribution_zone_id"],
            Value::string("Z2FDTNDATAQYW2")
        );
        assert_eq!(read["aws_account_id"], Value::string("123456789012"));
        assert_eq!(read["certificate_arn"], Value::Null);
        let prior = map([
            ("aws_account_id", Value::string("210987654321")),
            (
                "certificate_arn",
                Value::string("arn:aws:acm:us-east-1:1:certificate/x"),
            ),
        ]);
        let again = domain_attributes("us-east-1", &description(), &prior);
        assert_eq!(again["aws_account_id"], Value::string("210987654321"));
        assert_eq!(
            again["certificate_arn"],
            Value::string("arn:aws:acm:us-east-1:1:certificate/x")
        );
        assert_eq!(
            domain_attributes("cn-north-1", &description(), &prior)
                ["cloudfront_distribution_zone_id"],
            Value::string("Z3RFFRIM2A3IF5")
        );
    }

    #[test]
    fn a_certificate_makes_a_custom_domain_config() {
        let custom = map([("certificate_arn", Value::string("arn:aws:acm:x"))]);
        assert_eq!(
            custom_domain_config(&custom)
                .unwrap()
                .map(|config| config.certificate_arn().to_string()),
            Some("arn:aws:acm:x".to_string())
        );
        assert!(custom_domain_config(&Attributes::new()).unwrap().is_none());
    }
}
