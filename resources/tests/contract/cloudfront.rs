//! Fixtures of the CloudFront types: an origin access control and a distribution serving the
//! S3 bucket fixture through it.

use serde_json::json;

use crate::harness::Fixture;
use crate::s3;

pub fn cloudfront_origin_access_control() -> Fixture {
    Fixture::new("aws_cloudfront_origin_access_control", |created| {
        json!({"name": created.name("oac"), "origin_access_control_origin_type": "s3",
               "signing_behavior": "always", "signing_protocol": "sigv4"})
    })
}

pub fn cloudfront_distribution() -> Fixture {
    Fixture::new("aws_cloudfront_distribution", |created| {
        json!({"enabled": true, "comment": created.name("cdn"),
               "origin": [{"origin_id": "site",
                   "domain_name": created.get("aws_s3_bucket", "bucket_regional_domain_name"),
                   "origin_access_control_id":
                       created.id("aws_cloudfront_origin_access_control")}],
               "default_cache_behavior": {"target_origin_id": "site",
                   "allowed_methods": ["GET", "HEAD"], "cached_methods": ["GET", "HEAD"],
                   "viewer_protocol_policy": "redirect-to-https",
                   "cache_policy_id": "658327ea-f89d-4fab-a63d-7e88639e58f6"},
               "restrictions": {"geo_restriction": {"restriction_type": "none"}},
               "viewer_certificate": {"cloudfront_default_certificate": true},
               "tags": {"Name": created.name("cdn")}})
    })
    .needs(&[s3::s3_bucket, cloudfront_origin_access_control])
}
