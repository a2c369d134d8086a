//! Direct checks of IAM, ECR and Secrets Manager for the e2e tests: what a role trusts, what
//! its inline and attached policies allow, what a secret holds, how a repository is set up.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::Cloud;

/// Undoes the URL encoding IAM applies to policy documents (moto does it too).
pub fn url_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            if let Some(byte) = bytes
                .get(index + 1..index + 3)
                .and_then(|hex| std::str::from_utf8(hex).ok())
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            {
                decoded.push(byte);
                index += 3;
                continue;
            }
        }
        decoded.push(bytes[index]);
        index += 1;
    }
    String::from_utf8(decoded).expect("UTF-8 policy document")
}

fn parse_policy(document: &str) -> Value {
    serde_json::from_str(&url_decode(document))
        .unwrap_or_else(|error| panic!("policy is not JSON ({error}): {document}"))
}

/// Every statement of a policy document as a list (IAM allows a single object too).
pub fn statements(policy: &Value) -> Vec<Value> {
    match &policy["Statement"] {
        Value::Array(items) => items.clone(),
        Value::Null => Vec::new(),
        other => vec![other.clone()],
    }
}

/// A single-or-list policy element (`Action`, `Resource`) as a set of strings.
pub fn string_set(value: &Value) -> BTreeSet<String> {
    match value {
        Value::String(text) => [text.clone()].into_iter().collect(),
        Value::Array(items) => items
            .iter()
            .filter_map(|item| item.as_str().map(str::to_string))
            .collect(),
        _ => BTreeSet::new(),
    }
}

impl Cloud {
    /// GetRole: the role, panicking when it does not exist.
    pub fn role(&self, name: &str) -> aws_sdk_iam::types::Role {
        self.block_on(self.iam.get_role().role_name(name).send())
            .unwrap_or_else(|error| panic!("GetRole {name}: {error:?}"))
            .role()
            .cloned()
            .unwrap_or_else(|| panic!("GetRole {name} returned no role"))
    }

    /// Whether the role exists.
    pub fn role_exists(&self, name: &str) -> bool {
        match self.block_on(self.iam.get_role().role_name(name).send()) {
            Ok(_) => true,
            Err(error) => {
                let text = format!("{error:?}");
                assert!(text.contains("NoSuchEntity"), "GetRole {name}: {text}");
                false
            }
        }
    }

    /// The role's trust policy, decoded and parsed.
    pub fn trust_policy(&self, name: &str) -> Value {
        parse_policy(
            self.role(name)
                .assume_role_policy_document()
                .expect("trust policy"),
        )
    }

    /// An inline policy of a role (GetRolePolicy), decoded and parsed.
    pub fn inline_policy(&self, role: &str, policy: &str) -> Value {
        let output = self
            .block_on(
                self.iam
                    .get_role_policy()
                    .role_name(role)
                    .policy_name(policy)
                    .send(),
            )
            .unwrap_or_else(|error| panic!("GetRolePolicy {role}/{policy}: {error:?}"));
        parse_policy(output.policy_document())
    }

    /// ARNs of the managed policies attached to a role.
    pub fn attached_policy_arns(&self, role: &str) -> BTreeSet<String> {
        self.block_on(
            self.iam
                .list_attached_role_policies()
                .role_name(role)
                .send(),
        )
        .unwrap_or_else(|error| panic!("ListAttachedRolePolicies {role}: {error:?}"))
        .attached_policies()
        .iter()
        .filter_map(|policy| policy.policy_arn().map(str::to_string))
        .collect()
    }

    /// The default version of a managed policy (id and parsed document) and how many
    /// versions it has.
    pub fn managed_policy(&self, arn: &str) -> (String, Value, usize) {
        let policy = self
            .block_on(self.iam.get_policy().policy_arn(arn).send())
            .unwrap_or_else(|error| panic!("GetPolicy {arn}: {error:?}"));
        let version = policy
            .policy()
            .and_then(|policy| policy.default_version_id())
            .expect("default version")
            .to_string();
        let document = self
            .block_on(
                self.iam
                    .get_policy_version()
                    .policy_arn(arn)
                    .version_id(&version)
                    .send(),
            )
            .unwrap_or_else(|error| panic!("GetPolicyVersion {arn}: {error:?}"))
            .policy_version()
            .and_then(|version| version.document().map(str::to_string))
            .expect("policy document");
        let versions = self
            .block_on(self.iam.list_policy_versions().policy_arn(arn).send())
            .unwrap_or_else(|error| panic!("ListPolicyVersions {arn}: {error:?}"))
            .versions()
            .len();
        (version, parse_policy(&document), versions)
    }

    /// The secret's current value (GetSecretValue), parsed as JSON.
    pub fn secret_json(&self, secret_id: &str) -> Value {
        let output = self
            .block_on(
                self.secretsmanager
                    .get_secret_value()
                    .secret_id(secret_id)
                    .send(),
            )
            .unwrap_or_else(|error| panic!("GetSecretValue {secret_id}: {error:?}"));
        serde_json::from_str(output.secret_string().expect("secret string"))
            .expect("secret string is JSON")
    }

    /// DescribeSecret: `None` when the secret does not exist; `Some(true)` when it is
    /// scheduled for deletion.
    pub fn secret_scheduled_for_deletion(&self, secret_id: &str) -> Option<bool> {
        match self.block_on(
            self.secretsmanager
                .describe_secret()
                .secret_id(secret_id)
                .send(),
        ) {
            Ok(output) => Some(output.deleted_date().is_some()),
            Err(error) => {
                let text = format!("{error:?}");
                assert!(
                    text.contains("ResourceNotFoundException"),
                    "DescribeSecret {secret_id}: {text}"
                );
                None
            }
        }
    }

    /// DescribeRepositories for one repository (`None` when absent).
    pub fn repository(&self, name: &str) -> Option<aws_sdk_ecr::types::Repository> {
        match self.block_on(
            self.ecr
                .describe_repositories()
                .repository_names(name)
                .send(),
        ) {
            Ok(output) => output.repositories().first().cloned(),
            Err(error) => {
                let text = format!("{error:?}");
                assert!(
                    text.contains("RepositoryNotFoundException"),
                    "DescribeRepositories {name}: {text}"
                );
                None
            }
        }
    }

    /// The repository's lifecycle policy, parsed.
    pub fn lifecycle_policy(&self, repository: &str) -> Value {
        let output = self
            .block_on(
                self.ecr
                    .get_lifecycle_policy()
                    .repository_name(repository)
                    .send(),
            )
            .unwrap_or_else(|error| panic!("GetLifecyclePolicy {repository}: {error:?}"));
        serde_json::from_str(output.lifecycle_policy_text().expect("policy text"))
            .expect("lifecycle policy is JSON")
    }
}
