//! `aws_cloudwatch_log_group` driven directly against moto_server: create → wait → read (with
//! retention, tags, ARN) → update of retention and tags in place → delete → read is gone, delete
//! of what is already gone, `skip_destroy`, and recovery by name (adopting only a group that
//! carries this stack's tags). Results are checked with direct CloudWatch Logs calls.
//!
//! Not covered: a change of `kms_key_id` in place (moto 5.2.1 has no AssociateKmsKey /
//! DisassociateKmsKey).

use std::collections::BTreeMap;
use std::sync::Arc;

use provision_e2e::MotoServer;
use provision_resources::aws::logs::cloudwatch_log_group::CloudwatchLogGroup;
use provision_resources::aws::AwsClients;
use provision_resources::{Attributes, ProviderContext, Resource, Value};

struct Cloud {
    /// Kept alive for the test's duration (the emulator stops on drop).
    _server: MotoServer,
    clients: Arc<AwsClients>,
    /// Direct client for checks that do not go through the provider.
    logs: aws_sdk_cloudwatchlogs::Client,
}

async fn cloud() -> Cloud {
    let server = MotoServer::start();
    let config = server.sdk_config().await;
    Cloud {
        clients: Arc::new(AwsClients::from_config(&config)),
        logs: aws_sdk_cloudwatchlogs::Client::new(&config),
        _server: server,
    }
}

fn context(cloud: &Cloud, address: &str) -> ProviderContext {
    ProviderContext {
        clients: cloud.clients.clone(),
        stack: "test/stack".to_string(),
        address: address.to_string(),
        default_tags: BTreeMap::from([("Project".to_string(), "edgemind".to_string())]),
        idempotency_token: format!("3f1c9a52-7d4e-4b8a-9c1e-{:012x}", address.len()),
        progress: Default::default(),
    }
}

fn attributes(pairs: &[(&str, Value)]) -> Attributes {
    pairs
        .iter()
        .map(|(key, value)| (key.to_string(), value.clone()))
        .collect()
}

fn tags(pairs: &[(&str, &str)]) -> Value {
    Value::Map(
        pairs
            .iter()
            .map(|(key, value)| (key.to_string(), Value::string(*value)))
            .collect(),
    )
}

fn assert_complete(resource: &dyn Resource, attributes: &Attributes) {
    for attribute in &resource.schema().attributes {
        assert!(
            attributes.contains_key(attribute.name),
            "result lacks `{}`: {attributes:?}",
            attribute.name
        );
    }
}

/// The group as DescribeLogGroups answers it (exact name), and its tags.
async fn cloud_group(
    cloud: &Cloud,
    name: &str,
) -> Option<(
    aws_sdk_cloudwatchlogs::types::LogGroup,
    BTreeMap<String, String>,
)> {
    let output = cloud
        .logs
        .describe_log_groups()
        .log_group_name_prefix(name)
        .send()
        .await
        .unwrap();
    let group = output
        .log_groups()
        .iter()
        .find(|group| group.log_group_name() == Some(name))?
        .clone();
    let tags = cloud
        .logs
        .list_tags_for_resource()
        .resource_arn(group.log_group_arn().unwrap())
        .send()
        .await
        .unwrap()
        .tags
        .unwrap_or_default()
        .into_iter()
        .collect();
    Some((group, tags))
}

#[tokio::test]
async fn log_group_lifecycle() {
    let cloud = cloud().await;
    let provider = CloudwatchLogGroup::new();
    let address = "aws_cloudwatch_log_group.backend";
    let context = context(&cloud, address);
    let name = "/ecs/edgemind-dev-backend";
    let desired = attributes(&[
        ("name", Value::string(name)),
        ("retention_in_days", Value::Number(7.0)),
        ("tags", tags(&[("Name", "backend-logs")])),
    ]);

    let created = provider.create(&context, &desired).await.unwrap();
    assert_eq!(created["id"], Value::string(name));
    assert_complete(&provider, &created);
    let ready = provider.wait_until_ready(&context, &created).await.unwrap();
    assert_complete(&provider, &ready);
    assert_eq!(ready["retention_in_days"], Value::Number(7.0));
    assert_eq!(ready["skip_destroy"], Value::Bool(false));
    assert_eq!(ready["log_group_class"], Value::string("STANDARD"));
    let arn = ready["arn"].as_str().unwrap().to_string();
    assert!(
        arn.starts_with("arn:aws:logs:us-east-1:") && arn.ends_with(&format!("log-group:{name}")),
        "{arn}"
    );
    assert_eq!(ready["tags"], tags(&[("Name", "backend-logs")]));
    assert_eq!(
        ready["tags_all"],
        tags(&[("Name", "backend-logs"), ("Project", "edgemind")])
    );

    let (group, cloud_tags) = cloud_group(&cloud, name).await.expect("group exists");
    assert_eq!(group.retention_in_days(), Some(7));
    assert_eq!(
        cloud_tags.get("provision:stack").map(String::as_str),
        Some("test/stack")
    );
    assert_eq!(
        cloud_tags.get("provision:address").map(String::as_str),
        Some(address)
    );
    assert_eq!(
        cloud_tags.get("Project").map(String::as_str),
        Some("edgemind")
    );

    // A group whose name only starts with this one's is not mistaken for it.
    cloud
        .logs
        .create_log_group()
        .log_group_name(format!("{name}-other"))
        .send()
        .await
        .unwrap();
    let read = provider
        .read(&context, name, &ready)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read, ready);

    // Retention and tags change in place.
    let mut changed = desired.clone();
    changed.insert("retention_in_days".into(), Value::Number(30.0));
    changed.insert("tags".into(), tags(&[("Team", "platform")]));
    let updated = provider
        .update(&context, name, &ready, &changed)
        .await
        .unwrap();
    assert_eq!(updated["retention_in_days"], Value::Number(30.0));
    assert_eq!(updated["tags"], tags(&[("Team", "platform")]));
    let (group, cloud_tags) = cloud_group(&cloud, name).await.unwrap();
    assert_eq!(group.retention_in_days(), Some(30));
    assert!(!cloud_tags.contains_key("Name"), "{cloud_tags:?}");
    assert_eq!(cloud_tags.get("Team").map(String::as_str), Some("platform"));
    assert!(cloud_tags.contains_key("provision:stack"), "{cloud_tags:?}");

    // No retention: never expire (DeleteRetentionPolicy).
    let mut forever = changed.clone();
    forever.remove("retention_in_days");
    let updated = provider
        .update(&context, name, &updated, &forever)
        .await
        .unwrap();
    assert_eq!(updated["retention_in_days"], Value::Null);
    assert_eq!(
        cloud_group(&cloud, name)
            .await
            .unwrap()
            .0
            .retention_in_days(),
        None
    );

    // Delete, then it is gone; deleting again is success.
    provider.delete(&context, name, &updated).await.unwrap();
    assert!(cloud_group(&cloud, name).await.is_none());
    assert_eq!(provider.read(&context, name, &updated).await.unwrap(), None);
    provider.delete(&context, name, &updated).await.unwrap();
}

#[tokio::test]
async fn skip_destroy_keeps_the_group_and_recovery_adopts_only_our_own() {
    let cloud = cloud().await;
    let provider = CloudwatchLogGroup::new();
    let context = context(&cloud, "aws_cloudwatch_log_group.influxdb");
    let name = "/ecs/edgemind-dev-influxdb";
    let desired = attributes(&[
        ("name", Value::string(name)),
        ("retention_in_days", Value::Number(14.0)),
        ("skip_destroy", Value::Bool(true)),
    ]);
    // Nothing to recover yet.
    assert_eq!(provider.recover(&context, &desired).await.unwrap(), None);

    // A create whose answer was lost: recovery finds the group by name and its tags.
    let created = provider.create(&context, &desired).await.unwrap();
    let recovered = provider
        .recover(&context, &desired)
        .await
        .unwrap()
        .expect("recovered");
    assert_eq!(recovered["id"], Value::string(name));
    assert_eq!(recovered["skip_destroy"], Value::Bool(true));
    let ready = provider.wait_until_ready(&context, &created).await.unwrap();
    assert_eq!(ready["retention_in_days"], Value::Number(14.0));

    // skip_destroy: delete only forgets.
    provider.delete(&context, name, &ready).await.unwrap();
    assert!(cloud_group(&cloud, name).await.is_some());

    // Someone else's group of the same name is not adopted (another address)...
    let other = self::context(&cloud, "aws_cloudwatch_log_group.other");
    assert_eq!(provider.recover(&other, &desired).await.unwrap(), None);
    // ...and creating over it fails with AWS's error.
    let error = provider.create(&other, &desired).await.unwrap_err();
    assert_eq!(
        error.code(),
        Some("ResourceAlreadyExistsException"),
        "{error}"
    );
}
