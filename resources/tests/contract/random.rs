//! Fixture of `random_password` (no cloud calls: the contract holds all the same).

use serde_json::json;

use crate::harness::Fixture;

pub fn random_password() -> Fixture {
    Fixture::new(
        "random_password",
        |_| json!({"length": 24, "special": false}),
    )
    .kept_after_delete("no cloud object: read gives back what state holds")
}

const NO_CLOUD: &str = "no cloud object: read gives back what state holds";

pub fn random_string() -> Fixture {
    Fixture::new("random_string", |_| json!({"length": 12, "upper": false}))
        .kept_after_delete(NO_CLOUD)
}

pub fn random_pet() -> Fixture {
    Fixture::new("random_pet", |_| json!({"length": 3, "prefix": "dev"}))
        .kept_after_delete(NO_CLOUD)
}

pub fn random_id() -> Fixture {
    Fixture::new("random_id", |_| json!({"byte_length": 8, "prefix": "p-"}))
        .kept_after_delete(NO_CLOUD)
}

pub fn random_integer() -> Fixture {
    Fixture::new("random_integer", |_| json!({"min": 1, "max": 50000})).kept_after_delete(NO_CLOUD)
}

pub fn random_uuid() -> Fixture {
    Fixture::new("random_uuid", |_| json!({})).kept_after_delete(NO_CLOUD)
}

pub fn random_shuffle() -> Fixture {
    Fixture::new(
        "random_shuffle",
        |_| json!({"input": ["a", "b", "c", "d"], "result_count": 2}),
    )
    .kept_after_delete(NO_CLOUD)
}
