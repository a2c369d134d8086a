//! Fixtures of the DynamoDB types: an on-demand table with a range key, a global and a local
//! secondary index, a stream, TTL and point-in-time recovery.

use serde_json::json;

use crate::harness::Fixture;

pub fn dynamodb_table() -> Fixture {
    Fixture::new("aws_dynamodb_table", |created| {
        json!({
            "name": created.name("orders"),
            "billing_mode": "PAY_PER_REQUEST",
            "hash_key": "pk",
            "range_key": "sk",
            "attribute": [
                {"name": "pk", "type": "S"},
                {"name": "sk", "type": "S"},
                {"name": "email", "type": "S"},
                {"name": "placed", "type": "N"}
            ],
            "global_secondary_index": [{
                "name": "by_email", "hash_key": "email", "range_key": "placed",
                "projection_type": "INCLUDE", "non_key_attributes": ["status"]
            }],
            "local_secondary_index": [{
                "name": "by_placed", "range_key": "placed", "projection_type": "KEYS_ONLY"
            }],
            "stream_enabled": true,
            "stream_view_type": "NEW_AND_OLD_IMAGES",
            "ttl": {"attribute_name": "expires_at", "enabled": true},
            "point_in_time_recovery": {"enabled": true},
            "server_side_encryption": {"enabled": true},
            "tags": {"Name": created.name("orders")}
        })
    })
}
