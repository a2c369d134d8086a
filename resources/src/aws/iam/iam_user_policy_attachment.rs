//! `aws_iam_user_policy_attachment`: a managed policy attached to a user. Id `user/policy_arn`.
//!
//! AWS calls: AttachUserPolicy (retried for up to 2 minutes while the user or a just-created
//! policy is not visible yet, `NoSuchEntity`), ListAttachedUserPolicies (read: the attachment
//! exists when the user lists the ARN), DetachUserPolicy (`NoSuchEntity` is success).
//!
//! Replacement: every attribute (`user`, `policy_arn`); there is nothing to update in place.
//! Recovery: attaching is idempotent; `recover` looks the ARN up in the user's attachments.
//!
//! Written as `principal::PolicyAttachment` over `User`: this file holds the user's attachment calls.

use super::principal::{attached_policies, PolicyAttachment, User};

pub type IamUserPolicyAttachment = PolicyAttachment<User>;

attached_policies! {
    User: "aws_iam_user_policy_attachment", "`user/policy_arn`.", user_name,
    attach_user_policy "AttachUserPolicy", detach_user_policy "DetachUserPolicy",
    list_attached_user_policies "ListAttachedUserPolicies",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_split_into_user_and_policy_arn() {
        let arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";
        let id = format!("edgemind-dev-exec/{arn}");
        assert_eq!(
            IamUserPolicyAttachment::split_id(&id).ok(),
            Some(("edgemind-dev-exec", arn))
        );
        assert!(IamUserPolicyAttachment::split_id("no-arn-here").is_err());
    }
}
