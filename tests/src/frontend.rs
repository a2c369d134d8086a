//! Checks for the frontend e2e tests: S3 bucket settings and CloudFront distributions read with
//! direct SDK calls, moto's state manager (slow distribution deployments), and test objects.

use std::collections::BTreeMap;
use std::io::{Read, Write};

use aws_sdk_cloudfront::types::DistributionConfig;
use aws_sdk_s3::primitives::ByteStream;

use crate::{Cloud, MotoServer};

/// Makes every CloudFront distribution of `server` stay `InProgress` for `reads` reads after each
/// create or update (moto's state manager), so the wait for `Deployed` is really exercised.
pub fn slow_distribution_deployments(server: &MotoServer, reads: u32) {
    let body = format!(
        r#"{{"model_name":"cloudfront::distribution","transition":{{"progression":"manual","times":{reads}}}}}"#
    );
    let address = server
        .endpoint
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let mut stream = std::net::TcpStream::connect(&address).expect("connect to moto_server");
    write!(
        stream,
        "POST /moto-api/state-manager/set-transition HTTP/1.1\r\nHost: {address}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("send set-transition");
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .expect("read set-transition answer");
    let status = answer.split_whitespace().nth(1).unwrap_or_default();
    assert!(status.starts_with('2'), "set-transition failed: {answer}");
}

impl Cloud {
    /// Names of every bucket in the emulator.
    pub fn bucket_names(&self) -> Vec<String> {
        self.block_on(self.s3.list_buckets().send())
            .expect("ListBuckets")
            .buckets()
            .iter()
            .filter_map(|bucket| bucket.name().map(str::to_string))
            .collect()
    }

    /// The bucket's tags (GetBucketTagging).
    pub fn bucket_tags(&self, bucket: &str) -> BTreeMap<String, String> {
        self.block_on(self.s3.get_bucket_tagging().bucket(bucket).send())
            .expect("GetBucketTagging")
            .tag_set()
            .iter()
            .map(|tag| (tag.key().to_string(), tag.value().to_string()))
            .collect()
    }

    /// Puts `key` with `body` (a new version when the bucket is versioned).
    pub fn put_object(&self, bucket: &str, key: &str, body: &str) {
        self.block_on(
            self.s3
                .put_object()
                .bucket(bucket)
                .key(key)
                .body(ByteStream::from(body.as_bytes().to_vec()))
                .send(),
        )
        .expect("PutObject");
    }

    /// Deletes `key` without a version id (a delete marker when the bucket is versioned).
    pub fn delete_object(&self, bucket: &str, key: &str) {
        self.block_on(self.s3.delete_object().bucket(bucket).key(key).send())
            .expect("DeleteObject");
    }

    /// (object versions, delete markers) of `bucket` (ListObjectVersions).
    pub fn object_versions(&self, bucket: &str) -> (usize, usize) {
        let output = self
            .block_on(self.s3.list_object_versions().bucket(bucket).send())
            .expect("ListObjectVersions");
        (output.versions().len(), output.delete_markers().len())
    }

    /// Ids of every distribution in the emulator.
    pub fn distribution_ids(&self) -> Vec<String> {
        self.block_on(self.cloudfront.list_distributions().send())
            .expect("ListDistributions")
            .distribution_list()
            .map(|list| {
                list.items()
                    .iter()
                    .map(|item| item.id().to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// GetDistributionConfig of `id`.
    pub fn distribution_config(&self, id: &str) -> DistributionConfig {
        self.block_on(self.cloudfront.get_distribution_config().id(id).send())
            .expect("GetDistributionConfig")
            .distribution_config()
            .cloned()
            .expect("a distribution config")
    }

    /// Tags of the distribution with ARN `arn` (ListTagsForResource).
    pub fn distribution_tags(&self, arn: &str) -> BTreeMap<String, String> {
        self.block_on(
            self.cloudfront
                .list_tags_for_resource()
                .resource(arn)
                .send(),
        )
        .expect("ListTagsForResource")
        .tags()
        .map(|tags| tags.items())
        .unwrap_or_default()
        .iter()
        .map(|tag| {
            (
                tag.key().to_string(),
                tag.value().unwrap_or_default().to_string(),
            )
        })
        .collect()
    }

    /// `(id, name)` of every origin access control in the emulator.
    pub fn origin_access_controls(&self) -> Vec<(String, String)> {
        self.block_on(self.cloudfront.list_origin_access_controls().send())
            .expect("ListOriginAccessControls")
            .origin_access_control_list()
            .map(|list| {
                list.items()
                    .iter()
                    .map(|item| (item.id().to_string(), item.name().to_string()))
                    .collect()
            })
            .unwrap_or_default()
    }
}
