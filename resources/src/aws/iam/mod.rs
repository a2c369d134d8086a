//! IAM (roles, users, instance profiles, inline and managed policies, attachments) resource types: one file per type, registered here.

pub mod common;
pub mod data_iam_policy;
pub mod data_iam_policy_document;
pub mod data_iam_role;
pub mod iam_instance_profile;
pub mod iam_policy;
pub mod iam_role;
pub mod iam_role_policy;
pub mod iam_role_policy_attachment;
pub mod iam_user;
pub mod iam_user_policy;
pub mod iam_user_policy_attachment;
pub mod principal;

use std::sync::Arc;

use crate::registry::Registry;

pub fn register(registry: &mut Registry) {
    registry.register(Arc::new(iam_role::IamRole::new()));
    registry.register(Arc::new(iam_role_policy::IamRolePolicy::new()));
    registry.register(Arc::new(iam_policy::IamPolicy::new()));
    registry.register(Arc::new(
        iam_role_policy_attachment::IamRolePolicyAttachment::new(),
    ));
    registry.register(Arc::new(iam_user::IamUser::new()));
    registry.register(Arc::new(iam_user_policy::IamUserPolicy::new()));
    registry.register(Arc::new(
        iam_user_policy_attachment::IamUserPolicyAttachment::new(),
    ));
    registry.register(Arc::new(iam_instance_profile::IamInstanceProfile::new()));
}

/// The IAM data sources.
pub fn register_data_sources(registry: &mut Registry) {
    registry.register_data_source(Arc::new(data_iam_policy::DataIamPolicy::new()));
    registry.register_data_source(Arc::new(data_iam_role::DataIamRole::new()));
    registry.register_data_source(Arc::new(data_iam_policy_document::IamPolicyDocument::new()));
}
