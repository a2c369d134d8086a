//! `aws_iam_role_policy`: an inline policy of an IAM role. Id `role:name`, as in Terraform.
//!
//! AWS calls: PutRolePolicy (create and update: it replaces the document; retried for up to
//! 2 minutes while the role is not visible yet, `NoSuchEntity`, IAM eventual consistency),
//! GetRolePolicy (the document comes back URL-encoded: decoded and compared by meaning),
//! DeleteRolePolicy (`NoSuchEntity` is success).
//!
//! Replacement: a change of `role`, `name` or `name_prefix`. The policy changes in place.
//!
//! Recovery: PutRolePolicy is idempotent and the name deterministic (`name`, or `name_prefix`
//! plus a suffix from the idempotency token): `recover` reads the policy by role and name.
//! Inline policies carry no tags.
//!
//! Written as `principal::InlinePolicy` over `Role`: this file holds the role's inline-policy calls (ListRolePolicies serves `aws_iam_role`'s `force_detach_policies`).

use super::principal::{inline_policies, InlinePolicy, Role};

pub type IamRolePolicy = InlinePolicy<Role>;

inline_policies! {
    Role: "aws_iam_role_policy", "`role:name`.", role_name,
    put_role_policy "PutRolePolicy", get_role_policy "GetRolePolicy",
    delete_role_policy "DeleteRolePolicy", list_role_policies "ListRolePolicies",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_role_colon_name() {
        assert_eq!(
            IamRolePolicy::split_id("edgemind-dev-task:secrets").ok(),
            Some(("edgemind-dev-task", "secrets"))
        );
        assert!(IamRolePolicy::split_id("no-colon").is_err());
        assert!(IamRolePolicy::split_id(":name").is_err());
    }
}
