//! The Little Bit spec (`specs/little-bit`) end to end against the emulator, in dev with the
//! multi-region EU copy on (`multi_region = true`, the `aws.eu` alias in eu-west-1), each part
//! read back with direct SDK calls:
//!
//! - Core: the user pool (password policy, auto-verified email, deletion protection off in dev),
//!   its web client (no secret) and backend client, the identity pool; the audio bucket,
//!   encrypted, private, with the lifecycle rule that expires `debug/` files;
//! - API: the on-demand tables with their GSIs, the GraphQL API (Cognito user pools, with API
//!   key and IAM as additional providers) and its API key;
//! - Compute: the processing queue and its DLQ, the upload handler triggered by S3 on
//!   `uploads/*.wav|mp3`, the processor fed by the queue (event source mapping);
//! - ECS audio processing: cluster `little-bit-audio-processing-dev` on Fargate Spot, the ECR
//!   repository with scan on push, the log group kept 30 days, the service in private subnets
//!   without public IPs;
//! - the EU copy's bucket and tables in eu-west-1 and nowhere else;
//! - a second plan and a drift check are clean; a GSI added, a queue's visibility timeout and
//!   the password policy change in place; destroy leaves neither region anything of the stack.
//!
//! moto 5.2.1 serves neither AppSync data sources and resolvers nor identity-pool role
//! attachments (those types are tested against recorded AWS answers in the contract tests), so
//! every command here runs with `--exclude` for them: the rest of the stack is the whole of
//! what the emulator can hold. The prod plan, with them, is a snapshot.

use provision_e2e::{edit_file, json_output, text, Cloud, MotoServer, Workspace};
use provision_resources::aws::AwsClients;

const SPEC: &str = "specs/little-bit";

/// What moto cannot hold (see the module doc).
const EXCLUDED: &[&str] = &[
    "--exclude",
    "aws_appsync_datasource",
    "--exclude",
    "aws_appsync_resolver",
    "--exclude",
    "aws_cognito_identity_pool_roles_attachment",
];

/// `provision <command> <spec> --env dev --var multi_region=true --exclude ... [extra]`.
fn dev<'a>(command: &'a str, spec: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut arguments = vec![command, spec, "--env", "dev", "--var", "multi_region=true"];
    arguments.extend_from_slice(EXCLUDED);
    arguments.extend_from_slice(extra);
    arguments
}

fn bucket_names(clients: &AwsClients, cloud: &Cloud) -> Vec<String> {
    let mut names: Vec<String> = cloud
        .block_on(clients.s3.list_buckets().send())
        .expect("ListBuckets")
        .buckets()
        .iter()
        .filter_map(|bucket| bucket.name().map(str::to_string))
        .filter(|name| name.starts_with("little-bit-dev"))
        .collect();
    names.sort();
    names
}

fn index_names(clients: &AwsClients, cloud: &Cloud, table: &str) -> Vec<String> {
    let described = cloud
        .block_on(clients.dynamodb.describe_table().table_name(table).send())
        .unwrap_or_else(|error| panic!("DescribeTable {table}: {error:?}"))
        .table()
        .cloned()
        .expect("table");
    assert_eq!(
        described
            .billing_mode_summary()
            .and_then(|summary| summary.billing_mode())
            .map(|mode| mode.as_str()),
        Some("PAY_PER_REQUEST"),
        "{table} is on demand"
    );
    let mut names: Vec<String> = described
        .global_secondary_indexes()
        .iter()
        .filter_map(|index| index.index_name().map(str::to_string))
        .collect();
    names.sort();
    names
}

fn queue_attribute(clients: &AwsClients, cloud: &Cloud, url: &str, name: &str) -> String {
    let name = aws_sdk_sqs::types::QueueAttributeName::from(name);
    cloud
        .block_on(
            clients
                .sqs
                .get_queue_attributes()
                .queue_url(url)
                .attribute_names(name.clone())
                .send(),
        )
        .expect("GetQueueAttributes")
        .attributes()
        .and_then(|attributes| attributes.get(&name).cloned())
        .unwrap_or_default()
}

fn password_minimum_length(clients: &AwsClients, cloud: &Cloud, pool: &str) -> Option<i32> {
    cloud
        .block_on(
            clients
                .cognitoidp
                .describe_user_pool()
                .user_pool_id(pool)
                .send(),
        )
        .expect("DescribeUserPool")
        .user_pool()
        .and_then(|pool| pool.policies())
        .and_then(|policies| policies.password_policy())
        .and_then(|policy| policy.minimum_length())
}

fn output(outputs: &serde_json::Value, name: &str) -> String {
    outputs[name]["value"]
        .as_str()
        .unwrap_or_else(|| panic!("output {name}: {outputs}"))
        .to_string()
}

#[test]
fn dev_with_the_eu_copy_applies_updates_in_place_and_destroys() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let oregon = cloud.in_region("us-west-2");
    let ireland = cloud.in_region("eu-west-1");
    let spec = workspace.copy_spec(SPEC);

    let apply = workspace.run_expecting(
        &dev("apply", &spec, &["--yes", "--approve-security-changes"]),
        0,
    );
    assert!(text(&apply).contains("Apply complete!"), "{}", text(&apply));
    assert!(
        text(&apply).contains("--exclude leaves out 6 change(s)"),
        "{}",
        text(&apply)
    );
    let outputs =
        json_output(&workspace.run_expecting(&["output", &spec, "--env", "dev", "--json"], 0));

    // Core: the user pool and its clients, the identity pool.
    let pool_id = output(&outputs, "user_pool_id");
    assert!(pool_id.starts_with("us-west-2_"), "{pool_id}");
    let pool = cloud
        .block_on(
            oregon
                .cognitoidp
                .describe_user_pool()
                .user_pool_id(&pool_id)
                .send(),
        )
        .expect("DescribeUserPool")
        .user_pool()
        .cloned()
        .expect("pool");
    assert_eq!(pool.name(), Some("little-bit-dev-users"));
    assert_eq!(
        pool.auto_verified_attributes()
            .iter()
            .map(|attribute| attribute.as_str())
            .collect::<Vec<_>>(),
        ["email"]
    );
    assert_eq!(password_minimum_length(&oregon, &cloud, &pool_id), Some(8));
    let client = cloud
        .block_on(
            oregon
                .cognitoidp
                .describe_user_pool_client()
                .user_pool_id(&pool_id)
                .client_id(output(&outputs, "user_pool_client_id"))
                .send(),
        )
        .expect("DescribeUserPoolClient")
        .user_pool_client()
        .cloned()
        .expect("client");
    assert_eq!(client.client_name(), Some("little-bit-dev-web"));
    assert!(
        client.client_secret().is_none(),
        "the web client has no secret"
    );
    let identity_pool = cloud
        .block_on(
            oregon
                .cognitoidentity
                .describe_identity_pool()
                .identity_pool_id(output(&outputs, "identity_pool_id"))
                .send(),
        )
        .expect("DescribeIdentityPool");
    assert_eq!(identity_pool.identity_pool_name(), "little_bit_dev");
    // Guests read public samples (the seed's unauthenticated role); sign-in is the web client.
    assert!(identity_pool.allow_unauthenticated_identities());
    assert_eq!(
        identity_pool.cognito_identity_providers()[0].client_id(),
        Some(output(&outputs, "user_pool_client_id").as_str())
    );

    // The audio bucket: encrypted, private, debug files expire.
    let bucket = output(&outputs, "audio_bucket_name");
    assert_eq!(bucket, "little-bit-dev-audio-123456789012");
    let encryption = cloud
        .block_on(oregon.s3.get_bucket_encryption().bucket(&bucket).send())
        .expect("GetBucketEncryption");
    assert!(
        encryption
            .server_side_encryption_configuration()
            .is_some_and(|configuration| !configuration.rules().is_empty()),
        "{encryption:?}"
    );
    let lifecycle = cloud
        .block_on(
            oregon
                .s3
                .get_bucket_lifecycle_configuration()
                .bucket(&bucket)
                .send(),
        )
        .expect("GetBucketLifecycleConfiguration");
    let debug_rule = lifecycle
        .rules()
        .iter()
        .find(|rule| format!("{:?}", rule.filter()).contains("debug/"))
        .unwrap_or_else(|| panic!("a rule for debug/: {lifecycle:?}"));
    assert!(debug_rule
        .expiration()
        .and_then(|expiration| expiration.days())
        .is_some());
    let notification = cloud
        .block_on(
            oregon
                .s3
                .get_bucket_notification_configuration()
                .bucket(&bucket)
                .send(),
        )
        .expect("GetBucketNotificationConfiguration");
    assert_eq!(notification.lambda_function_configurations().len(), 2);

    // API: on-demand tables with their GSIs; the GraphQL API and its key.
    assert_eq!(
        cloud.table_names(&oregon),
        ["little-bit-dev-recordings", "little-bit-dev-samples"]
    );
    assert_eq!(
        index_names(&oregon, &cloud, "little-bit-dev-samples"),
        ["byOwner"]
    );
    assert_eq!(
        index_names(&oregon, &cloud, "little-bit-dev-recordings"),
        ["bySample"]
    );
    let api = cloud
        .block_on(
            oregon
                .appsync
                .get_graphql_api()
                .api_id(output(&outputs, "graphql_api_id"))
                .send(),
        )
        .expect("GetGraphqlApi")
        .graphql_api()
        .cloned()
        .expect("api");
    assert_eq!(api.name(), Some("little-bit-dev-api"));
    assert_eq!(
        api.authentication_type().map(|kind| kind.as_str()),
        Some("AMAZON_COGNITO_USER_POOLS"),
        "mutations need auth"
    );
    let keys = cloud
        .block_on(
            oregon
                .appsync
                .list_api_keys()
                .api_id(api.api_id().unwrap_or_default())
                .send(),
        )
        .expect("ListApiKeys");
    assert_eq!(keys.api_keys().len(), 1);

    // Compute: the queue with its DLQ, the processor fed by it.
    let queue_url = output(&outputs, "processing_queue_url");
    assert_eq!(
        queue_attribute(&oregon, &cloud, &queue_url, "VisibilityTimeout"),
        "360"
    );
    assert!(
        queue_attribute(&oregon, &cloud, &queue_url, "RedrivePolicy")
            .contains("little-bit-dev-processing-dlq")
    );
    // (moto filters mappings by the function's spelling at creation: list them all.)
    let mappings = cloud
        .block_on(oregon.lambda.list_event_source_mappings().send())
        .expect("ListEventSourceMappings");
    let processor: Vec<_> = mappings
        .event_source_mappings()
        .iter()
        .filter(|mapping| {
            mapping
                .function_arn()
                .is_some_and(|arn| arn.ends_with(":function:little-bit-dev-processor"))
        })
        .collect();
    assert_eq!(processor.len(), 1, "{mappings:?}");
    assert!(processor[0]
        .event_source_arn()
        .is_some_and(|arn| arn.ends_with(":little-bit-dev-processing")));

    // ECS audio processing: Fargate Spot, private subnets, scanning, 30-day logs.
    let service = cloud
        .block_on(
            oregon
                .ecs
                .describe_services()
                .cluster("little-bit-audio-processing-dev")
                .services("little-bit-audio-processing-dev")
                .send(),
        )
        .expect("DescribeServices")
        .services()
        .first()
        .cloned()
        .expect("the service");
    assert_eq!(
        service.service_arn(),
        Some(output(&outputs, "service_arn").as_str())
    );
    // Fargate Spot: the cluster's default strategy as ECS holds it; the service's own strategy
    // in state (moto's CreateService drops `capacityProviderStrategy`).
    let cluster = cloud
        .block_on(
            oregon
                .ecs
                .describe_clusters()
                .clusters("little-bit-audio-processing-dev")
                .send(),
        )
        .expect("DescribeClusters")
        .clusters()
        .first()
        .cloned()
        .expect("the cluster");
    assert_eq!(
        cluster
            .default_capacity_provider_strategy()
            .iter()
            .map(|strategy| strategy.capacity_provider())
            .collect::<Vec<_>>(),
        ["FARGATE_SPOT"]
    );
    let shown = text(&workspace.run_expecting(
        &[
            "state",
            "show",
            "--env",
            "dev",
            "aws_ecs_service.audio_processing",
        ],
        0,
    ));
    assert!(shown.contains("\"FARGATE_SPOT\""), "{shown}");
    let network = service
        .network_configuration()
        .and_then(|network| network.awsvpc_configuration())
        .cloned()
        .expect("awsvpc");
    assert_eq!(
        network.assign_public_ip().map(|assign| assign.as_str()),
        Some("DISABLED")
    );
    let subnets = cloud
        .block_on(
            oregon
                .ec2
                .describe_subnets()
                .set_subnet_ids(Some(network.subnets().to_vec()))
                .send(),
        )
        .expect("DescribeSubnets");
    assert!(subnets
        .subnets()
        .iter()
        .all(|subnet| subnet.map_public_ip_on_launch() != Some(true)));
    let repository = cloud
        .block_on(
            oregon
                .ecr
                .describe_repositories()
                .repository_names("little-bit/audio-processing-dev")
                .send(),
        )
        .expect("DescribeRepositories")
        .repositories()
        .first()
        .cloned()
        .expect("repository");
    assert_eq!(
        repository
            .image_scanning_configuration()
            .map(|scanning| scanning.scan_on_push()),
        Some(true)
    );
    let groups = cloud
        .block_on(
            oregon
                .logs
                .describe_log_groups()
                .log_group_name_prefix("/ecs/little-bit-audio-processing-dev")
                .send(),
        )
        .expect("DescribeLogGroups");
    assert_eq!(groups.log_groups()[0].retention_in_days(), Some(30));

    // The EU copy: in eu-west-1, and only there.
    assert_eq!(
        bucket_names(&ireland, &cloud),
        [
            "little-bit-dev-audio-123456789012",
            "little-bit-dev-audio-eu-123456789012"
        ]
    );
    let eu_bucket = output(&outputs, "eu_audio_bucket_name");
    let location = cloud
        .block_on(ireland.s3.get_bucket_location().bucket(&eu_bucket).send())
        .expect("GetBucketLocation");
    assert_eq!(
        location
            .location_constraint()
            .map(|location| location.as_str()),
        Some("eu-west-1")
    );
    let eu_tables = cloud.table_names(&ireland);
    assert!(
        eu_tables.contains(&"little-bit-dev-samples".to_string()),
        "{eu_tables:?}"
    );

    // The frontend's configuration.
    let exports = json_output(&workspace.run_expecting(
        &["output", "aws_exports", &spec, "--env", "dev", "--json"],
        0,
    ));
    assert_eq!(exports["aws_user_pools_id"], pool_id.as_str());
    assert_eq!(exports["aws_user_files_s3_bucket"], bucket.as_str());
    assert_eq!(exports["aws_project_region"], "us-west-2");
    assert!(exports["aws_appsync_apiKey"]
        .as_str()
        .is_some_and(|key| !key.is_empty()));

    // Converged.
    workspace.run_expecting(&dev("plan", &spec, &["--exit-code"]), 0);
    workspace.run_expecting(&dev("drift", &spec, &[]), 0);

    // In place: a GSI added, the visibility timeout (of both regions' queues), the password
    // policy.
    edit_file(
        std::path::Path::new(&spec).join("api.tf"),
        "    name            = \"byOwner\"",
        "    name            = \"byCreated\"\n    hash_key        = \"createdAt\"\n    projection_type = \"KEYS_ONLY\"\n  }\n\n  global_secondary_index {\n    name            = \"byOwner\"",
    );
    let changed = [
        "--var",
        "queue_visibility_timeout_seconds=420",
        "--var",
        "password_minimum_length=12",
    ];
    let planned = json_output(&workspace.run_expecting(
        &dev("plan", &spec, &[&["--json"][..], &changed[..]].concat()),
        0,
    ))["summary"]
        .clone();
    assert_eq!(
        (&planned["add"], &planned["change"], &planned["destroy"]),
        // The table, the user pool, and the processing queue in both regions.
        (&0.into(), &4.into(), &0.into()),
        "{planned}"
    );
    workspace.run_expecting(
        &dev(
            "apply",
            &spec,
            &[&["--yes", "--approve-security-changes"][..], &changed[..]].concat(),
        ),
        0,
    );
    assert_eq!(
        index_names(&oregon, &cloud, "little-bit-dev-samples"),
        ["byCreated", "byOwner"]
    );
    assert_eq!(
        queue_attribute(&oregon, &cloud, &queue_url, "VisibilityTimeout"),
        "420"
    );
    assert_eq!(password_minimum_length(&oregon, &cloud, &pool_id), Some(12));
    assert_eq!(
        output(
            &json_output(
                &workspace.run_expecting(&["output", &spec, "--env", "dev", "--json"], 0,)
            ),
            "user_pool_id"
        ),
        pool_id,
        "the same pool, changed in place"
    );
    workspace.run_expecting(
        &dev(
            "plan",
            &spec,
            &[&["--exit-code"][..], &changed[..]].concat(),
        ),
        0,
    );

    // Destroy: nothing of the stack in either region.
    let destroy = workspace.run_expecting(&dev("destroy", &spec, &["--yes"]), 0);
    assert!(
        text(&destroy).contains("Destroy complete!"),
        "{}",
        text(&destroy)
    );
    for clients in [&oregon, &ireland] {
        assert!(cloud.table_names(clients).is_empty());
        assert!(bucket_names(clients, &cloud).is_empty());
    }
    assert!(cloud
        .block_on(oregon.cognitoidp.list_user_pools().max_results(10).send())
        .expect("ListUserPools")
        .user_pools()
        .is_empty());
    assert!(cloud
        .block_on(oregon.appsync.list_graphql_apis().send())
        .expect("ListGraphqlApis")
        .graphql_apis()
        .is_empty());
    assert!(cloud
        .block_on(oregon.sqs.list_queues().send())
        .expect("ListQueues")
        .queue_urls()
        .is_empty());
    assert!(workspace
        .state_list(&[spec.as_str(), "--env", "dev"])
        .is_empty());
}

#[test]
fn prod_plan_is_stable() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let spec = workspace.copy_spec(SPEC);
    let plan = workspace.run_expecting(&["plan", &spec, "--env", "prod", "--no-color"], 0);
    let rendered = text(&plan).replace(&spec, "specs/little-bit");
    assert!(
        rendered.contains("aws_appsync_resolver.samples"),
        "{rendered}"
    );
    assert!(
        rendered.contains("deletion_protection           = \"ACTIVE\""),
        "{rendered}"
    );
    insta::assert_snapshot!("little_bit_prod_plan", rendered);
}
