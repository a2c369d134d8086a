//! `aws_iam_role_policy_attachment`: a managed policy attached to a role. Id `role/policy_arn`.
//!
//! AWS calls: AttachRolePolicy (retried for up to 2 minutes while the role or a just-created
//! policy is not visible yet, `NoSuchEntity`), ListAttachedRolePolicies (read: the attachment
//! exists when the role lists the ARN), DetachRolePolicy (`NoSuchEntity` is success).
//!
//! Replacement: every attribute (`role`, `policy_arn`); there is nothing to update in place.
//! Recovery: attaching is idempotent; `recover` looks the ARN up in the role's attachments.
//!
//! Written as `principal::PolicyAttachment` over `Role`: this file holds the role's attachment calls.

use super::principal::{attached_policies, PolicyAttachment, Role};

pub type IamRolePolicyAttachment = PolicyAttachment<Role>;

attached_policies! {
    Role: "aws_iam_role_policy_attachment", "`role/policy_arn`.", role_name,
    attach_role_policy "AttachRolePolicy", detach_role_policy "DetachRolePolicy",
    list_attached_role_policies "ListAttachedRolePolicies",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_split_into_role_and_policy_arn() {
        let arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";
        let id = format!("edgemind-dev-exec/{arn}");
        assert_eq!(IamRolePolicyAttachment::split_id(&id).ok(), Some(("edgemind-dev-exec", arn)));
        assert!(IamRolePolicyAttachment::split_id("no-arn-here").is_err());
    }
}
