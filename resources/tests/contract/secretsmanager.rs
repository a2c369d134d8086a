//! Fixtures of the Secrets Manager types: a secret (default recovery window) and a version.

use serde_json::json;

use crate::harness::Fixture;

pub fn secretsmanager_secret() -> Fixture {
    Fixture::new("aws_secretsmanager_secret", |created| {
        json!({"name": format!("contract/{}", created.name("secret")),
               "tags": {"Name": created.name("secret")}})
    })
}

pub fn secretsmanager_secret_version() -> Fixture {
    Fixture::new("aws_secretsmanager_secret_version", |created| {
        json!({"secret_id": created.id("aws_secretsmanager_secret"),
               "secret_string": json!({"password": "not-a-real-one"}).to_string()})
    })
    .kept_after_delete("a secret's current version cannot be deleted; delete only forgets it")
    .needs(&[secretsmanager_secret])
}
