//! The end-to-end tests, one module per thing a user does, linked into one test binary: each
//! of them would otherwise link every aws-sdk crate into its own binary (about 25 binaries of
//! several hundred MB each, minutes of linking on a 2-core machine and gigabytes of disk).
//! Every test starts its own `moto_server`, so they share nothing but the process.
//!
//! Run one area with a name filter: `cargo test --test e2e drift_` or `scripts/test drift_`.

mod apply_creates_always_coder;
mod apply_creates_aurora_serverless;
mod apply_creates_cognito_app_client;
mod apply_creates_dynamodb_table_and_queue;
mod apply_creates_ecs_service;
mod apply_creates_edgemind;
mod apply_creates_edgemind_frontend;
mod apply_creates_edgemind_identity;
mod apply_creates_edgemind_network;
mod apply_creates_edgemind_services;
mod apply_creates_iam_user;
mod apply_creates_little_bit;
mod apply_creates_security_group_from_dynamic_blocks;
mod apply_creates_security_group_rules;
mod apply_creates_stream_sales;
mod apply_creates_websocket_api;
mod apply_honours_deprecated_s3_bucket_settings;
mod apply_honours_timeouts_blocks;
mod apply_module_with_for_each;
mod apply_partial_failure;
mod apply_reads_data_sources;
mod apply_requires_approval_for_security_changes;
mod apply_saves_outputs_without_resource_changes;
mod apply_starts_dependents_when_the_id_is_known;
mod apply_through_provider_configurations;
mod apply_updates_lambda_code;
mod apply_without_credentials_stops_first;
mod concurrent_apply_is_refused;
mod drift_edgemind;
mod drift_many_subnets;
mod drift_reports_untracked_resources;
mod fmt_rewrites_specs_like_terraform;
mod import_brings_existing_resources_under_management;
mod killed_apply_leaves_no_orphans;
mod new_resource_scaffolds_a_type;
mod plan_is_saved_and_applied;
mod plan_moves_edgemind_network_into_module;
mod random_values_stay_stable;
mod secrets_stay_out_of_output;
mod spec_errors_are_reported;
mod state_database_is_private;
mod team_state_on_postgres;
