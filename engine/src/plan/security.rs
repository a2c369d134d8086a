//! Security changes: the changes of a plan that broaden access, found the way the CDK's
//! `--require-approval broadening` finds them, so a person approves them on their own.
//!
//! Broadening, per type:
//! - IAM: an `Allow` statement added or changed in a policy document (`aws_iam_policy`,
//!   `aws_iam_role_policy`, `aws_iam_user_policy`, a role's `assume_role_policy` or
//!   `inline_policy`), a policy attached (`aws_iam_*_policy_attachment`, a role's
//!   `managed_policy_arns`);
//! - network: security-group ingress added (`aws_security_group` `ingress` blocks,
//!   `aws_vpc_security_group_ingress_rule`, `aws_security_group_rule` of type ingress); a source
//!   of `0.0.0.0/0` or `::/0` is marked open to the internet;
//! - resource policies: `aws_s3_bucket_policy`, `aws_sns_topic_policy`, a secret's `policy`,
//!   `aws_kms_key` `policy`, an `Allow` statement added as above;
//! - invocation: `aws_lambda_permission` added, `aws_lambda_function_url` with
//!   `authorization_type = "NONE"`; `aws_kms_grant` added;
//! - public access: an `aws_s3_bucket_public_access_block` setting turned off, or the block
//!   deleted.
//!
//! A value known only at apply is counted as broadening (it cannot be shown to be narrower).
//! Deletes never broaden, except the public access block's.

use std::collections::BTreeSet;

use provision_core::{Attributes, Value};
use serde::Serialize;

use super::{Action, Change, Plan};

/// One change that broadens access.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecurityChange {
    /// The resource instance, `aws_security_group.web`.
    pub address: String,
    /// `iam_policy`, `policy_attachment`, `ingress`, `resource_policy`, `invocation`,
    /// `public_access`.
    pub kind: &'static str,
    /// What is broadened, in a few words: `ingress tcp 22 from 0.0.0.0/0`.
    pub description: String,
    /// Reachable from anywhere on the internet (`0.0.0.0/0`, `::/0`, `"*"` principals,
    /// unauthenticated function URLs, public access allowed).
    pub open_to_world: bool,
}

/// How much of a plan needs a separate approval (`apply --require-approval`, CDK's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ApprovalLevel {
    /// Nothing beyond the usual confirmation.
    #[default]
    Never,
    /// Changes that broaden access.
    Broadening,
    /// Every change.
    AnyChange,
}

impl ApprovalLevel {
    /// `never`, `broadening`, `any-change`.
    pub fn parse(text: &str) -> Option<ApprovalLevel> {
        match text {
            "never" => Some(ApprovalLevel::Never),
            "broadening" => Some(ApprovalLevel::Broadening),
            "any-change" => Some(ApprovalLevel::AnyChange),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ApprovalLevel::Never => "never",
            ApprovalLevel::Broadening => "broadening",
            ApprovalLevel::AnyChange => "any-change",
        }
    }
}

/// The variable a spec declares to set its default approval level per environment (a plain
/// Terraform variable, so the spec stays valid Terraform): `env/prod.tfvars` sets
/// `provision_require_approval = "broadening"`.
pub const APPROVAL_VARIABLE: &str = "provision_require_approval";

/// Every change of `plan` that broadens access, in plan order.
pub fn security_changes(plan: &Plan) -> Vec<SecurityChange> {
    let mut found = Vec::new();
    if plan.destroy {
        // Destroying the stack takes what the access was to with it.
        return found;
    }
    for change in &plan.changes {
        if change.is_data() || change.action == Action::NoOp || change.action == Action::Read {
            continue;
        }
        inspect(change, &mut found);
    }
    found
}

// One arm per type with its own rule inside: folding the rules into match guards would split
// a type's rule across the pattern and the body.
#[allow(clippy::collapsible_match)]
fn inspect(change: &Change, found: &mut Vec<SecurityChange>) {
    let mut push = |kind: &'static str, description: String, open_to_world: bool| {
        found.push(SecurityChange {
            address: change.address.clone(),
            kind,
            description,
            open_to_world,
        });
    };
    let empty = Attributes::new();
    let before = change.before.as_ref().unwrap_or(&empty);
    let after = match (&change.action, &change.after) {
        (Action::Delete, _) | (_, None) => {
            if change.type_name == "aws_s3_bucket_public_access_block" {
                push(
                    "public_access",
                    "public access block removed".to_string(),
                    true,
                );
            }
            return;
        }
        (_, Some(after)) => after,
    };
    let created = matches!(change.action, Action::Create | Action::Replace);
    match change.type_name.as_str() {
        "aws_iam_policy"
        | "aws_iam_role_policy"
        | "aws_iam_user_policy"
        | "aws_iam_group_policy" => {
            for statement in added_statements(before.get("policy"), after.get("policy")) {
                push("iam_policy", statement.describe("allows"), statement.public);
            }
        }
        "aws_iam_role" => {
            for statement in added_statements(
                before.get("assume_role_policy"),
                after.get("assume_role_policy"),
            ) {
                push(
                    "iam_policy",
                    statement.describe("trust policy allows"),
                    statement.public,
                );
            }
            let inline = |attributes: &Attributes| -> Vec<Value> {
                list(attributes.get("inline_policy"))
                    .iter()
                    .filter_map(|block| block.as_map()?.get("policy").cloned())
                    .collect()
            };
            let before_inline = inline(before);
            for policy in inline(after) {
                let prior = Value::List(before_inline.clone());
                for statement in added_statements_among(&prior, &policy) {
                    push(
                        "iam_policy",
                        statement.describe("inline policy allows"),
                        statement.public,
                    );
                }
            }
            for arn in added_strings(
                before.get("managed_policy_arns"),
                after.get("managed_policy_arns"),
            ) {
                push("policy_attachment", format!("attaches {arn}"), false);
            }
        }
        "aws_iam_role_policy_attachment"
        | "aws_iam_user_policy_attachment"
        | "aws_iam_group_policy_attachment"
        | "aws_iam_policy_attachment" => {
            if created || before.get("policy_arn") != after.get("policy_arn") {
                let arn = text(after.get("policy_arn"));
                let to = ["role", "user", "group"]
                    .iter()
                    .find_map(|key| {
                        after
                            .get(*key)
                            .map(|value| format!(" to {key} {}", text(Some(value))))
                    })
                    .unwrap_or_default();
                push("policy_attachment", format!("attaches {arn}{to}"), false);
            }
        }
        "aws_security_group" => {
            let prior: Vec<&Value> = list(before.get("ingress")).iter().collect();
            for rule in list(after.get("ingress")) {
                if !prior.contains(&rule) {
                    let (description, open) = describe_rule(rule.as_map());
                    push("ingress", format!("ingress {description}"), open);
                }
            }
        }
        "aws_vpc_security_group_ingress_rule" => {
            if created || rule_widened(before, after) {
                let (description, open) = describe_rule(Some(after));
                push("ingress", format!("ingress {description}"), open);
            }
        }
        "aws_security_group_rule" => {
            if after.get("type").and_then(Value::as_str) == Some("ingress")
                && (created || rule_widened(before, after))
            {
                let (description, open) = describe_rule(Some(after));
                push("ingress", format!("ingress {description}"), open);
            }
        }
        "aws_s3_bucket_policy"
        | "aws_sns_topic_policy"
        | "aws_secretsmanager_secret_policy"
        | "aws_kms_key"
        | "aws_secretsmanager_secret"
        | "aws_ecr_repository_policy" => {
            // Every one of these keeps its document in `policy`.
            let key = "policy";
            for statement in added_statements(before.get(key), after.get(key)) {
                push(
                    "resource_policy",
                    statement.describe("policy allows"),
                    statement.public,
                );
            }
        }
        "aws_lambda_permission" => {
            if created {
                let principal = text(after.get("principal"));
                push(
                    "invocation",
                    format!(
                        "lets {principal} call {} on {}",
                        text(after.get("action")),
                        text(after.get("function_name"))
                    ),
                    principal == "*",
                );
            }
        }
        "aws_lambda_function_url" => {
            let open = after.get("authorization_type").and_then(Value::as_str) == Some("NONE");
            let was_open = before.get("authorization_type").and_then(Value::as_str) == Some("NONE");
            if open && (created || !was_open) {
                push(
                    "invocation",
                    "function URL without authentication".to_string(),
                    true,
                );
            }
        }
        "aws_kms_grant" => {
            if created {
                push(
                    "resource_policy",
                    format!(
                        "grants {} to {}",
                        text(after.get("operations")),
                        text(after.get("grantee_principal"))
                    ),
                    false,
                );
            }
        }
        "aws_s3_bucket_public_access_block" => {
            for setting in [
                "block_public_acls",
                "block_public_policy",
                "ignore_public_acls",
                "restrict_public_buckets",
            ] {
                let now = after.get(setting);
                let was_on = before.get(setting).and_then(Value::as_bool) == Some(true);
                let turned_off = match now {
                    Some(Value::Bool(false)) | None | Some(Value::Null) => created || was_on,
                    Some(Value::Unknown) => true,
                    _ => false,
                };
                if turned_off {
                    push("public_access", format!("{setting} off"), true);
                }
            }
        }
        _ => {}
    }
}

fn list(value: Option<&Value>) -> &[Value] {
    value.and_then(Value::as_list).unwrap_or(&[])
}

fn text(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Unknown) => "(known after apply)".to_string(),
        Some(Value::List(items)) => items
            .iter()
            .map(|item| text(Some(item)))
            .collect::<Vec<_>>()
            .join(", "),
        Some(Value::Number(number)) if number.fract() == 0.0 => format!("{number:.0}"),
        Some(Value::Number(number)) => number.to_string(),
        Some(Value::Bool(value)) => value.to_string(),
        _ => "?".to_string(),
    }
}

fn added_strings(before: Option<&Value>, after: Option<&Value>) -> Vec<String> {
    let prior: BTreeSet<String> = list(before).iter().map(|value| text(Some(value))).collect();
    list(after)
        .iter()
        .map(|value| text(Some(value)))
        .filter(|value| !prior.contains(value))
        .collect()
}

/// A rule's source and ports in a few words, and whether the source is the whole internet.
fn describe_rule(rule: Option<&Attributes>) -> (String, bool) {
    let empty = Attributes::new();
    let rule = rule.unwrap_or(&empty);
    let protocol = rule
        .get("protocol")
        .or_else(|| rule.get("ip_protocol"))
        .map(|value| text(Some(value)))
        .unwrap_or_else(|| "?".to_string());
    let protocol = if protocol == "-1" {
        "all".to_string()
    } else {
        protocol
    };
    let from = rule.get("from_port").map(|value| text(Some(value)));
    let to = rule.get("to_port").map(|value| text(Some(value)));
    let ports = match (from, to) {
        (Some(from), Some(to)) if from == to => format!(" {from}"),
        (Some(from), Some(to)) if from != "?" && to != "?" => format!(" {from}-{to}"),
        _ => String::new(),
    };
    let mut sources = Vec::new();
    for key in [
        "cidr_blocks",
        "ipv6_cidr_blocks",
        "cidr_ipv4",
        "cidr_ipv6",
        "security_groups",
        "source_security_group_id",
        "referenced_security_group_id",
        "prefix_list_ids",
        "prefix_list_id",
    ] {
        match rule.get(key) {
            Some(Value::List(items)) => sources.extend(items.iter().map(|item| text(Some(item)))),
            Some(Value::String(value)) => sources.push(value.clone()),
            Some(Value::Unknown) => sources.push("(known after apply)".to_string()),
            _ => {}
        }
    }
    if rule.get("self").and_then(Value::as_bool) == Some(true) {
        sources.push("itself".to_string());
    }
    let open = sources
        .iter()
        .any(|source| source == "0.0.0.0/0" || source == "::/0");
    let from = if sources.is_empty() {
        String::new()
    } else {
        format!(" from {}", sources.join(", "))
    };
    (format!("{protocol}{ports}{from}"), open)
}

/// Whether an ingress rule's source or ports changed (a changed rule may be wider).
fn rule_widened(before: &Attributes, after: &Attributes) -> bool {
    [
        "cidr_ipv4",
        "cidr_ipv6",
        "cidr_blocks",
        "ipv6_cidr_blocks",
        "from_port",
        "to_port",
        "ip_protocol",
        "protocol",
        "referenced_security_group_id",
        "source_security_group_id",
        "prefix_list_id",
        "prefix_list_ids",
    ]
    .iter()
    .any(|key| before.get(*key) != after.get(*key))
}

/// One `Allow` statement of a policy document, normalised for comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Statement {
    actions: Vec<String>,
    resources: Vec<String>,
    principals: Vec<String>,
    /// `"*"` as principal (anyone, on a resource or trust policy).
    public: bool,
    /// The document is known only at apply.
    unknown: bool,
}

impl Statement {
    fn describe(&self, verb: &str) -> String {
        if self.unknown {
            return format!("{verb} what is known only after apply");
        }
        let mut text = format!("{verb} {}", self.actions.join(", "));
        if !self.resources.is_empty() {
            text.push_str(&format!(" on {}", self.resources.join(", ")));
        }
        if !self.principals.is_empty() {
            text.push_str(&format!(" to {}", self.principals.join(", ")));
        }
        text
    }
}

fn added_statements(before: Option<&Value>, after: Option<&Value>) -> Vec<Statement> {
    let before = before.cloned().unwrap_or(Value::Null);
    match after {
        Some(after) => added_statements_among(&before, after),
        None => Vec::new(),
    }
}

/// The `Allow` statements of `after` (a policy JSON string, or unknown) that no policy in
/// `before` (a string or a list of strings) has.
fn added_statements_among(before: &Value, after: &Value) -> Vec<Statement> {
    if matches!(after, Value::Unknown) {
        return vec![Statement {
            actions: Vec::new(),
            resources: Vec::new(),
            principals: Vec::new(),
            public: false,
            unknown: true,
        }];
    }
    let prior: Vec<Statement> = match before {
        Value::List(items) => items.iter().flat_map(allow_statements).collect(),
        other => allow_statements(other),
    };
    allow_statements(after)
        .into_iter()
        .filter(|statement| !prior.contains(statement))
        .collect()
}

fn allow_statements(document: &Value) -> Vec<Statement> {
    let Some(text) = document.as_str() else {
        return Vec::new();
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let statements = match &json["Statement"] {
        serde_json::Value::Array(items) => items.clone(),
        serde_json::Value::Object(_) => vec![json["Statement"].clone()],
        _ => Vec::new(),
    };
    statements
        .into_iter()
        .filter(|statement| statement["Effect"].as_str().unwrap_or("Allow") == "Allow")
        .map(|statement| {
            let strings = |value: &serde_json::Value| -> Vec<String> {
                let mut items: Vec<String> = match value {
                    serde_json::Value::String(text) => vec![text.clone()],
                    serde_json::Value::Array(items) => items
                        .iter()
                        .filter_map(|item| item.as_str().map(str::to_string))
                        .collect(),
                    _ => Vec::new(),
                };
                items.sort();
                items.dedup();
                items
            };
            let mut actions = strings(&statement["Action"]);
            actions.extend(
                strings(&statement["NotAction"])
                    .into_iter()
                    .map(|action| format!("all but {action}")),
            );
            let resources = strings(&statement["Resource"]);
            let principal = &statement["Principal"];
            let mut principals = match principal {
                serde_json::Value::String(text) => vec![text.clone()],
                serde_json::Value::Object(kinds) => kinds.values().flat_map(strings).collect(),
                _ => Vec::new(),
            };
            principals.sort();
            let public = principals.iter().any(|principal| principal == "*");
            Statement {
                actions,
                resources,
                principals,
                public,
                unknown: false,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn change(
        type_name: &str,
        action: Action,
        before: Option<Attributes>,
        after: Option<Attributes>,
    ) -> Change {
        Change {
            address: format!("{type_name}.this"),
            type_name: type_name.to_string(),
            action,
            replace_reasons: Vec::new(),
            before,
            after,
            attribute_changes: Vec::new(),
            sensitive_attributes: BTreeSet::new(),
            dependencies: Vec::new(),
            prior_dependencies: Vec::new(),
            explicit_dependencies: Vec::new(),
            timeouts: Default::default(),
            create_before_destroy: false,
            cloud_id: None,
            read_reason: None,
            provider: "aws".to_string(),
            prior_provider: None,
            moved_from: None,
            import_id: None,
        }
    }

    fn attributes(pairs: &[(&str, Value)]) -> Attributes {
        pairs
            .iter()
            .map(|(name, value)| (name.to_string(), value.clone()))
            .collect()
    }

    fn found(changes: Vec<Change>) -> Vec<(String, bool)> {
        let plan = Plan {
            stack: "test".to_string(),
            spec_directory: "test".to_string(),
            environment: None,
            state_serial: 0,
            spec_hash: String::new(),
            destroy: false,
            changes,
            outputs: Vec::new(),
        };
        security_changes(&plan)
            .into_iter()
            .map(|change| (change.description, change.open_to_world))
            .collect()
    }

    fn rule(port: f64, cidr: &str) -> Value {
        Value::Map(BTreeMap::from([
            ("protocol".to_string(), Value::string("tcp")),
            ("from_port".to_string(), Value::Number(port)),
            ("to_port".to_string(), Value::Number(port)),
            (
                "cidr_blocks".to_string(),
                Value::List(vec![Value::string(cidr)]),
            ),
        ]))
    }

    #[test]
    fn an_added_ingress_rule_broadens_and_the_internet_is_marked() {
        let before = attributes(&[("ingress", Value::List(vec![rule(443.0, "10.0.0.0/16")]))]);
        let after = attributes(&[(
            "ingress",
            Value::List(vec![rule(443.0, "10.0.0.0/16"), rule(22.0, "0.0.0.0/0")]),
        )]);
        assert_eq!(
            found(vec![change(
                "aws_security_group",
                Action::Update,
                Some(before.clone()),
                Some(after)
            )]),
            vec![("ingress tcp 22 from 0.0.0.0/0".to_string(), true)]
        );
        // Removing a rule narrows: nothing to approve.
        let narrower = attributes(&[("ingress", Value::List(Vec::new()))]);
        assert!(found(vec![change(
            "aws_security_group",
            Action::Update,
            Some(before),
            Some(narrower)
        )])
        .is_empty());
    }

    #[test]
    fn a_new_allow_statement_broadens_and_an_unchanged_one_does_not() {
        let read = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
        let wider = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"*"},{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
        let policy = |text: &str| attributes(&[("policy", Value::string(text))]);
        assert_eq!(
            found(vec![change(
                "aws_iam_policy",
                Action::Update,
                Some(policy(read)),
                Some(policy(wider))
            )]),
            vec![("allows s3:* on *".to_string(), false)]
        );
        assert!(found(vec![change(
            "aws_iam_policy",
            Action::Update,
            Some(policy(wider)),
            Some(policy(read))
        )])
        .is_empty());
        assert_eq!(
            found(vec![change(
                "aws_iam_role_policy",
                Action::Create,
                None,
                Some(attributes(&[("policy", Value::Unknown)]))
            )]),
            vec![("allows what is known only after apply".to_string(), false)]
        );
    }

    #[test]
    fn attachments_permissions_public_urls_and_relaxed_blocks_broaden() {
        let changes = vec![
            change(
                "aws_iam_role_policy_attachment",
                Action::Create,
                None,
                Some(attributes(&[
                    ("role", Value::string("app")),
                    (
                        "policy_arn",
                        Value::string("arn:aws:iam::aws:policy/AdministratorAccess"),
                    ),
                ])),
            ),
            change(
                "aws_lambda_permission",
                Action::Create,
                None,
                Some(attributes(&[
                    ("principal", Value::string("*")),
                    ("action", Value::string("lambda:InvokeFunction")),
                    ("function_name", Value::string("edge")),
                ])),
            ),
            change(
                "aws_lambda_function_url",
                Action::Create,
                None,
                Some(attributes(&[("authorization_type", Value::string("NONE"))])),
            ),
            change(
                "aws_s3_bucket_public_access_block",
                Action::Update,
                Some(attributes(&[("block_public_policy", Value::Bool(true))])),
                Some(attributes(&[("block_public_policy", Value::Bool(false))])),
            ),
            change(
                "aws_s3_bucket_public_access_block",
                Action::Delete,
                Some(attributes(&[("block_public_policy", Value::Bool(true))])),
                None,
            ),
            change(
                "aws_vpc",
                Action::Create,
                None,
                Some(attributes(&[("cidr_block", Value::string("0.0.0.0/0"))])),
            ),
        ];
        let descriptions: Vec<String> = found(changes).into_iter().map(|(text, _)| text).collect();
        assert_eq!(
            descriptions,
            vec![
                "attaches arn:aws:iam::aws:policy/AdministratorAccess to role app",
                "lets * call lambda:InvokeFunction on edge",
                "function URL without authentication",
                "block_public_policy off",
                "public access block removed",
            ]
        );
    }

    #[test]
    fn approval_levels_have_the_cdks_names() {
        for level in [
            ApprovalLevel::Never,
            ApprovalLevel::Broadening,
            ApprovalLevel::AnyChange,
        ] {
            assert_eq!(ApprovalLevel::parse(level.name()), Some(level));
        }
        assert_eq!(ApprovalLevel::parse("always"), None);
    }
}
