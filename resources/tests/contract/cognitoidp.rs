//! Fixtures of the Cognito user pool types: a pool with a password policy, e-mail sign-in, a
//! custom schema attribute and account recovery.

use serde_json::json;

use crate::harness::Fixture;

pub fn cognito_user_pool() -> Fixture {
    Fixture::new("aws_cognito_user_pool", |created| {
        json!({
            "name": created.name("pool"),
            "username_attributes": ["email"],
            "auto_verified_attributes": ["email"],
            "password_policy": [{"minimum_length": 10, "require_symbols": false}],
            "schema": [{"name": "team", "attribute_data_type": "String", "mutable": true,
                        "string_attribute_constraints": [{"min_length": "1", "max_length": "64"}]}],
            "account_recovery_setting": [{"recovery_mechanism": [{"name": "verified_email", "priority": 1}]}],
            "tags": {"Name": created.name("pool")},
        })
    })
}
