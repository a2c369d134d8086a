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
