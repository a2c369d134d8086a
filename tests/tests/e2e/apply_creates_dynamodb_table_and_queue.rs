//! An on-demand DynamoDB table with a global secondary index, TTL and point-in-time recovery,
//! and a FIFO queue with a dead-letter redrive policy and a queue policy, from a spec written
//! in a temporary folder: applied, checked with direct DynamoDB / SQS calls, re-planned clean;
//! then a second index is added and the queue's visibility timeout changed, both in place (same
//! table, same queue); destroy leaves nothing.

use provision_e2e::{edit_file, json_output, text, Cloud, MotoServer, Workspace};

const TABLE: &str = "e2e-orders";
const QUEUE: &str = "e2e-orders.fifo";
const DEAD_LETTER: &str = "e2e-orders-dlq.fifo";

const SPEC: &str = r#"
resource "aws_dynamodb_table" "orders" {
  name         = "e2e-orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "sk"

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "sk"
    type = "S"
  }

  attribute {
    name = "email"
    type = "S"
  }

  global_secondary_index {
    name            = "by_email"
    hash_key        = "email"
    projection_type = "ALL"
  }

  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  tags = {
    Team = "orders"
  }
}

resource "aws_sqs_queue" "dead_letter" {
  name       = "e2e-orders-dlq.fifo"
  fifo_queue = true
}

resource "aws_sqs_queue" "orders" {
  name                        = "e2e-orders.fifo"
  fifo_queue                  = true
  content_based_deduplication = true
  visibility_timeout_seconds  = 30
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dead_letter.arn
    maxReceiveCount     = 5
  })
}

resource "aws_sqs_queue_policy" "orders" {
  queue_url = aws_sqs_queue.orders.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "sns.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.orders.arn
    }]
  })
}
"#;

fn summary(workspace: &Workspace, spec: &str) -> serde_json::Value {
    json_output(&workspace.run_expecting(&["plan", spec, "--json"], 0))["summary"].clone()
}

fn queue_attribute(cloud: &Cloud, url: &str, name: &str) -> Option<String> {
    let output = cloud
        .block_on(
            cloud
                .sqs
                .get_queue_attributes()
                .queue_url(url)
                .attribute_names(aws_sdk_sqs::types::QueueAttributeName::All)
                .send(),
        )
        .expect("queue attributes");
    output.attributes().and_then(|attributes| {
        attributes
            .iter()
            .find(|(key, _)| key.as_str() == name)
            .map(|(_, value)| value.clone())
    })
}

fn index_names(cloud: &Cloud) -> Vec<String> {
    let table = cloud
        .block_on(cloud.dynamodb.describe_table().table_name(TABLE).send())
        .expect("table")
        .table
        .expect("table description");
    let mut names: Vec<String> = table
        .global_secondary_indexes()
        .iter()
        .filter_map(|index| index.index_name().map(str::to_string))
        .collect();
    names.sort();
    names
}

#[test]
fn apply_creates_dynamodb_table_and_queue() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let spec_folder = workspace.directory.path().join("specs").join("orders");
    std::fs::create_dir_all(&spec_folder).expect("spec folder");
    std::fs::write(spec_folder.join("main.tf"), SPEC).expect("write spec");
    let spec = spec_folder.to_str().expect("UTF-8 path").to_string();

    let apply = workspace.run_expecting(&["apply", &spec, "--yes"], 0);
    assert!(
        text(&apply).contains("Apply complete! Resources: 4 added"),
        "{}",
        text(&apply)
    );

    // The table, read back directly.
    let table = cloud
        .block_on(cloud.dynamodb.describe_table().table_name(TABLE).send())
        .expect("table exists")
        .table
        .expect("table description");
    let table_arn = table.table_arn().expect("table ARN").to_string();
    assert_eq!(
        table
            .billing_mode_summary()
            .and_then(|summary| summary.billing_mode())
            .map(|mode| mode.as_str()),
        Some("PAY_PER_REQUEST")
    );
    assert_eq!(table.key_schema().len(), 2);
    assert_eq!(index_names(&cloud), ["by_email"]);
    let ttl = cloud
        .block_on(
            cloud
                .dynamodb
                .describe_time_to_live()
                .table_name(TABLE)
                .send(),
        )
        .expect("ttl");
    let ttl = ttl.time_to_live_description().expect("ttl description");
    assert_eq!(
        ttl.time_to_live_status().map(|status| status.as_str()),
        Some("ENABLED")
    );
    assert_eq!(ttl.attribute_name(), Some("expires_at"));
    let backups = cloud
        .block_on(
            cloud
                .dynamodb
                .describe_continuous_backups()
                .table_name(TABLE)
                .send(),
        )
        .expect("continuous backups");
    assert_eq!(
        backups
            .continuous_backups_description()
            .and_then(|description| description.point_in_time_recovery_description())
            .and_then(|pitr| pitr.point_in_time_recovery_status())
            .map(|status| status.as_str()),
        Some("ENABLED")
    );
    let tags = cloud
        .block_on(
            cloud
                .dynamodb
                .list_tags_of_resource()
                .resource_arn(&table_arn)
                .send(),
        )
        .expect("table tags");
    assert!(
        tags.tags()
            .iter()
            .any(|tag| tag.key() == "Team" && tag.value() == "orders"),
        "{tags:?}"
    );

    // The queues and the policy, read back directly.
    let queue_url = cloud
        .block_on(cloud.sqs.get_queue_url().queue_name(QUEUE).send())
        .expect("queue exists")
        .queue_url
        .expect("queue URL");
    let dead_letter_url = cloud
        .block_on(cloud.sqs.get_queue_url().queue_name(DEAD_LETTER).send())
        .expect("dead-letter queue exists")
        .queue_url
        .expect("queue URL");
    let dead_letter_arn =
        queue_attribute(&cloud, &dead_letter_url, "QueueArn").expect("dead-letter ARN");
    assert_eq!(
        queue_attribute(&cloud, &queue_url, "FifoQueue").as_deref(),
        Some("true")
    );
    assert_eq!(
        queue_attribute(&cloud, &queue_url, "ContentBasedDeduplication").as_deref(),
        Some("true")
    );
    assert_eq!(
        queue_attribute(&cloud, &queue_url, "VisibilityTimeout").as_deref(),
        Some("30")
    );
    assert_eq!(
        queue_attribute(&cloud, &queue_url, "MessageRetentionPeriod").as_deref(),
        Some("345600")
    );
    let redrive: serde_json::Value = serde_json::from_str(
        &queue_attribute(&cloud, &queue_url, "RedrivePolicy").expect("redrive policy"),
    )
    .expect("redrive policy JSON");
    assert_eq!(redrive["deadLetterTargetArn"], dead_letter_arn.as_str());
    let policy = queue_attribute(&cloud, &queue_url, "Policy").expect("queue policy");
    assert!(policy.contains("sns.amazonaws.com"), "{policy}");

    // A second plan changes nothing.
    workspace.run_expecting(&["plan", &spec, "--exit-code"], 0);

    // A second index and a longer visibility timeout: both in place.
    let main_tf = format!("{spec}/main.tf");
    edit_file(
        &main_tf,
        "  ttl {",
        "  attribute {\n    name = \"placed\"\n    type = \"N\"\n  }\n\n  global_secondary_index {\n    name            = \"by_placed\"\n    hash_key        = \"placed\"\n    projection_type = \"KEYS_ONLY\"\n  }\n\n  ttl {",
    );
    edit_file(
        &main_tf,
        "visibility_timeout_seconds  = 30",
        "visibility_timeout_seconds  = 120",
    );
    assert_eq!(
        summary(&workspace, &spec),
        serde_json::json!({"import": 0, "add": 0, "change": 2, "destroy": 0})
    );
    let update = workspace.run_expecting(&["apply", &spec, "--yes"], 0);
    assert!(
        text(&update).contains("0 added, 2 changed, 0 destroyed"),
        "{}",
        text(&update)
    );
    assert_eq!(index_names(&cloud), ["by_email", "by_placed"]);
    let same_table = cloud
        .block_on(cloud.dynamodb.describe_table().table_name(TABLE).send())
        .expect("table")
        .table
        .expect("table description");
    assert_eq!(same_table.table_arn(), Some(table_arn.as_str()));
    assert_eq!(
        same_table.creation_date_time(),
        table.creation_date_time(),
        "the table was updated in place, not replaced"
    );
    assert_eq!(
        queue_attribute(&cloud, &queue_url, "VisibilityTimeout").as_deref(),
        Some("120")
    );
    workspace.run_expecting(&["plan", &spec, "--exit-code"], 0);

    // Destroy leaves nothing.
    let destroy = workspace.run_expecting(&["destroy", &spec, "--yes"], 0);
    assert!(
        text(&destroy).contains("Destroy complete!"),
        "{}",
        text(&destroy)
    );
    let tables = cloud
        .block_on(cloud.dynamodb.list_tables().send())
        .expect("tables");
    assert!(tables.table_names().is_empty(), "{tables:?}");
    let queues = cloud
        .block_on(cloud.sqs.list_queues().send())
        .expect("queues");
    assert!(queues.queue_urls().is_empty(), "{queues:?}");
}
