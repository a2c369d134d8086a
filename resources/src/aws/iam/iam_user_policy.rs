//! `aws_iam_user_policy`: an inline policy of an IAM user. Id `user:name`, as in Terraform.
//!
//! AWS calls: PutUserPolicy (create and update: it replaces the document; retried for up to
//! 2 minutes while the user is not visible yet, `NoSuchEntity`, IAM eventual consistency),
//! GetUserPolicy (the document comes back URL-encoded: decoded and compared by meaning),
//! DeleteUserPolicy (`NoSuchEntity` is success).
//!
//! Replacement: a change of `user`, `name` or `name_prefix`. The policy changes in place.
//!
//! Recovery: PutUserPolicy is idempotent and the name deterministic (`name`, or `name_prefix`
//! plus a suffix from the idempotency token): `recover` reads the policy by user and name.
//! Inline policies carry no tags.
//!
//! Written as `principal::InlinePolicy` over `User`: this file holds the user's inline-policy calls (ListUserPolicies serves `aws_iam_user`'s `force_destroy`).

use super::principal::{inline_policies, InlinePolicy, User};

pub type IamUserPolicy = InlinePolicy<User>;

inline_policies! {
    User: "aws_iam_user_policy", "`user:name`.", user_name,
    put_user_policy "PutUserPolicy", get_user_policy "GetUserPolicy",
    delete_user_policy "DeleteUserPolicy", list_user_policies "ListUserPolicies",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_user_colon_name() {
        assert_eq!(
            IamUserPolicy::split_id("deploy-bot:artifacts").ok(),
            Some(("deploy-bot", "artifacts"))
        );
        assert!(IamUserPolicy::split_id("no-colon").is_err());
        assert!(IamUserPolicy::split_id(":name").is_err());
    }
}
