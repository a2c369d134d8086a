//! `data "aws_iam_policy_document"`: builds an IAM policy JSON document locally, no AWS call,
//! with the text Terraform's AWS provider writes: `source_policy_documents` (and the deprecated
//! `source_json`) merged first, then the `statement` blocks (a statement with the `sid` of an
//! earlier one replaces it), then `override_policy_documents` (and `override_json`); fields in
//! the order Version, Id, Statement and Sid, Effect, Action, NotAction, Resource, NotResource,
//! Principal, NotPrincipal, Condition; a one-element list written as a string, several sorted
//! in reverse (condition values excepted); `&{` written as `${`; Go's JSON escaping of `<`, `>` and `&`; `json` indented by
//! two spaces, `minified_json` without whitespace; `id` the CRC-32 of `json`. Checked byte for
//! byte (`json`, `minified_json`, `id`) against Terraform 1.11 with the AWS provider 5.100.

use std::collections::BTreeMap;

use async_trait::async_trait;
use serde_json::{json, Map, Value as Json};

use crate::aws::attrs;
use crate::data_source::{DataContext, DataSource};
use crate::error::ProviderError;
use crate::provider::Attributes;
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

pub struct IamPolicyDocument {
    schema: Schema,
}

impl IamPolicyDocument {
    pub fn new() -> IamPolicyDocument {
        let mut schema = Schema::new(vec![
            Attribute::optional_computed("id", AttrType::String),
            Attribute::computed("json", AttrType::String),
            Attribute::computed("minified_json", AttrType::String),
            Attribute::optional("override_json", AttrType::String),
            Attribute::optional(
                "override_policy_documents",
                AttrType::List(Box::new(AttrType::String)),
            ),
            Attribute::optional("policy_id", AttrType::String),
            Attribute::optional("source_json", AttrType::String),
            Attribute::optional(
                "source_policy_documents",
                AttrType::List(Box::new(AttrType::String)),
            ),
            Attribute::optional("version", AttrType::String),
        ])
        .with_block(NestedBlock {
            name: "statement",
            nesting: BlockNesting::List,
            schema: Schema::new(vec![
                Attribute::optional("actions", AttrType::Set(Box::new(AttrType::String))),
                Attribute::optional("effect", AttrType::String),
                Attribute::optional("not_actions", AttrType::Set(Box::new(AttrType::String))),
                Attribute::optional("not_resources", AttrType::Set(Box::new(AttrType::String))),
                Attribute::optional("resources", AttrType::Set(Box::new(AttrType::String))),
                Attribute::optional("sid", AttrType::String),
            ])
            .with_block(NestedBlock {
                name: "condition",
                nesting: BlockNesting::Set,
                schema: Schema::new(vec![
                    Attribute::required("test", AttrType::String),
                    Attribute::required("values", AttrType::List(Box::new(AttrType::String))),
                    Attribute::required("variable", AttrType::String),
                ]),
                force_new: false,
                computed: false,
            })
            .with_block(NestedBlock {
                name: "not_principals",
                nesting: BlockNesting::Set,
                schema: Schema::new(vec![
                    Attribute::required("identifiers", AttrType::Set(Box::new(AttrType::String))),
                    Attribute::required("type", AttrType::String),
                ]),
                force_new: false,
                computed: false,
            })
            .with_block(NestedBlock {
                name: "principals",
                nesting: BlockNesting::Set,
                schema: Schema::new(vec![
                    Attribute::required("identifiers", AttrType::Set(Box::new(AttrType::String))),
                    Attribute::required("type", AttrType::String),
                ]),
                force_new: false,
                computed: false,
            }),
            force_new: false,
            computed: false,
        });
        for attribute in &mut schema.attributes {
            if attribute.name == "version" {
                attribute.default = Some(Value::string("2012-10-17"));
            }
        }
        for block in &mut schema.blocks {
            for attribute in &mut block.schema.attributes {
                if attribute.name == "effect" {
                    attribute.default = Some(Value::string("Allow"));
                }
            }
        }
        IamPolicyDocument { schema }
    }
}

impl Default for IamPolicyDocument {
    fn default() -> Self {
        IamPolicyDocument::new()
    }
}

/// A string, or a list of strings: how policy elements are written.
#[derive(Debug, Clone, PartialEq)]
enum Strings {
    One(String),
    Many(Vec<String>),
}

impl Strings {
    /// From a configured set (several sorted in reverse) or list (kept in order, as condition
    /// values are): one value as a string.
    fn from_config(mut values: Vec<String>, set: bool) -> Strings {
        if set {
            values.sort();
            values.dedup();
            values.reverse();
        }
        if values.len() == 1 {
            return Strings::One(values.remove(0));
        }
        Strings::Many(values)
    }

    /// From a JSON document (string or array of strings), kept as written.
    fn from_json(value: &Json) -> Option<Strings> {
        match value {
            Json::String(text) => Some(Strings::One(text.clone())),
            Json::Array(items) => Some(Strings::Many(
                items
                    .iter()
                    .map(|item| match item {
                        Json::String(text) => text.clone(),
                        other => other.to_string(),
                    })
                    .collect(),
            )),
            Json::Bool(flag) => Some(Strings::One(flag.to_string())),
            _ => None,
        }
    }

    fn replace_variables(self, version: &str) -> Result<Strings, ProviderError> {
        let replace = |text: String| -> Result<String, ProviderError> {
            if version == "2008-10-17" && text.contains("&{") {
                return Err(ProviderError::invalid(
                    "statement",
                    format!(
                        "found &{{ sequence in ({text}), which is not supported in document version 2008-10-17"
                    ),
                ));
            }
            Ok(text.replace("&{", "${"))
        };
        Ok(match self {
            Strings::One(text) => Strings::One(replace(text)?),
            Strings::Many(items) => Strings::Many(
                items
                    .into_iter()
                    .map(replace)
                    .collect::<Result<Vec<_>, _>>()?,
            ),
        })
    }

    fn to_json(&self) -> Json {
        match self {
            Strings::One(text) => json!(text),
            Strings::Many(items) => json!(items),
        }
    }
}

#[derive(Debug, Clone)]
struct Principal {
    kind: String,
    identifiers: Strings,
}

#[derive(Debug, Clone)]
struct Condition {
    test: String,
    variable: String,
    values: Strings,
}

#[derive(Debug, Clone, Default)]
struct Statement {
    sid: String,
    effect: String,
    actions: Option<Strings>,
    not_actions: Option<Strings>,
    resources: Option<Strings>,
    not_resources: Option<Strings>,
    principals: Vec<Principal>,
    not_principals: Vec<Principal>,
    conditions: Vec<Condition>,
}

#[derive(Debug, Clone, Default)]
struct Document {
    version: String,
    id: String,
    statements: Vec<Statement>,
}

impl Document {
    /// Terraform's merge: a newer version wins, a new id replaces, a statement with the sid of
    /// an existing one replaces it, others are appended.
    fn merge(&mut self, other: Document) {
        if !other.id.is_empty() {
            self.id = other.id;
        }
        if other.version > self.version {
            self.version = other.version;
        }
        for statement in other.statements {
            if statement.sid.is_empty() {
                self.statements.push(statement);
                continue;
            }
            match self
                .statements
                .iter_mut()
                .find(|existing| existing.sid == statement.sid)
            {
                Some(existing) => *existing = statement,
                None => self.statements.push(statement),
            }
        }
    }

    fn parse(text: &str, attribute: &str) -> Result<Document, ProviderError> {
        let json: Json = serde_json::from_str(text).map_err(|error| {
            ProviderError::invalid(attribute, format!("not a JSON policy document: {error}"))
        })?;
        let text_of = |value: Option<&Json>| {
            value
                .and_then(Json::as_str)
                .map(str::to_string)
                .unwrap_or_default()
        };
        let mut document = Document {
            version: text_of(json.get("Version")),
            id: text_of(json.get("Id")),
            statements: Vec::new(),
        };
        let statements = match json.get("Statement") {
            Some(Json::Array(items)) => items.clone(),
            Some(item @ Json::Object(_)) => vec![item.clone()],
            _ => Vec::new(),
        };
        for item in statements {
            let principals = |key: &str| -> Vec<Principal> {
                match item.get(key) {
                    Some(Json::String(_)) => vec![Principal {
                        kind: "*".to_string(),
                        identifiers: Strings::Many(vec!["*".to_string()]),
                    }],
                    Some(Json::Object(entries)) => entries
                        .iter()
                        .filter_map(|(kind, value)| {
                            let identifiers = match Strings::from_json(value)? {
                                Strings::Many(mut items) => {
                                    items.sort();
                                    Strings::Many(items)
                                }
                                one => one,
                            };
                            Some(Principal {
                                kind: kind.clone(),
                                identifiers,
                            })
                        })
                        .collect(),
                    _ => Vec::new(),
                }
            };
            let mut conditions = Vec::new();
            if let Some(Json::Object(tests)) = item.get("Condition") {
                for (test, variables) in tests {
                    if let Json::Object(variables) = variables {
                        for (variable, values) in variables {
                            let values = match values {
                                Json::String(text) => Strings::Many(vec![text.clone()]),
                                other => match Strings::from_json(other) {
                                    Some(values) => values,
                                    None => continue,
                                },
                            };
                            conditions.push(Condition {
                                test: test.clone(),
                                variable: variable.clone(),
                                values,
                            });
                        }
                    }
                }
            }
            document.statements.push(Statement {
                sid: text_of(item.get("Sid")),
                effect: text_of(item.get("Effect")),
                actions: item.get("Action").and_then(Strings::from_json),
                not_actions: item.get("NotAction").and_then(Strings::from_json),
                resources: item.get("Resource").and_then(Strings::from_json),
                not_resources: item.get("NotResource").and_then(Strings::from_json),
                principals: principals("Principal"),
                not_principals: principals("NotPrincipal"),
                conditions,
            });
        }
        Ok(document)
    }

    fn to_json(&self) -> Json {
        let mut object = Map::new();
        if !self.version.is_empty() {
            object.insert("Version".into(), json!(self.version));
        }
        if !self.id.is_empty() {
            object.insert("Id".into(), json!(self.id));
        }
        if !self.statements.is_empty() {
            object.insert(
                "Statement".into(),
                Json::Array(self.statements.iter().map(statement_json).collect()),
            );
        }
        Json::Object(object)
    }
}

fn principals_json(principals: &[Principal]) -> Json {
    if let [only] = principals {
        let star = match &only.identifiers {
            Strings::One(text) => text == "*",
            Strings::Many(items) => items.len() == 1 && items[0] == "*",
        };
        if only.kind == "*" && star {
            return json!("*");
        }
    }
    let mut raw: BTreeMap<String, Strings> = BTreeMap::new();
    for principal in principals {
        match &principal.identifiers {
            Strings::Many(items) => {
                let mut list = match raw.remove(&principal.kind) {
                    None => Vec::new(),
                    Some(Strings::One(existing)) => vec![existing],
                    Some(Strings::Many(existing)) => existing,
                };
                let mut sorted = items.clone();
                sorted.sort_by(|left, right| right.cmp(left));
                list.extend(sorted);
                raw.insert(principal.kind.clone(), Strings::Many(list));
            }
            Strings::One(text) => {
                let merged = match raw.remove(&principal.kind) {
                    None => Strings::One(text.clone()),
                    Some(Strings::One(existing)) => Strings::Many(vec![existing, text.clone()]),
                    Some(Strings::Many(mut existing)) => {
                        existing.push(text.clone());
                        Strings::Many(existing)
                    }
                };
                raw.insert(principal.kind.clone(), merged);
            }
        }
    }
    Json::Object(
        raw.into_iter()
            .map(|(kind, identifiers)| (kind, identifiers.to_json()))
            .collect(),
    )
}

fn conditions_json(conditions: &[Condition]) -> Json {
    let mut raw: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for condition in conditions {
        let values = raw
            .entry(condition.test.clone())
            .or_default()
            .entry(condition.variable.clone())
            .or_default();
        match &condition.values {
            Strings::One(text) => values.push(text.clone()),
            Strings::Many(items) => values.extend(items.iter().cloned()),
        }
    }
    Json::Object(
        raw.into_iter()
            .map(|(test, variables)| {
                let variables: Map<String, Json> = variables
                    .into_iter()
                    .map(|(variable, mut values)| {
                        let value = if values.len() == 1 {
                            json!(values.remove(0))
                        } else {
                            json!(values)
                        };
                        (variable, value)
                    })
                    .collect();
                (test, Json::Object(variables))
            })
            .collect(),
    )
}

fn statement_json(statement: &Statement) -> Json {
    let mut object = Map::new();
    if !statement.sid.is_empty() {
        object.insert("Sid".into(), json!(statement.sid));
    }
    if !statement.effect.is_empty() {
        object.insert("Effect".into(), json!(statement.effect));
    }
    for (key, value) in [
        ("Action", &statement.actions),
        ("NotAction", &statement.not_actions),
        ("Resource", &statement.resources),
        ("NotResource", &statement.not_resources),
    ] {
        if let Some(value) = value {
            object.insert(key.into(), value.to_json());
        }
    }
    if !statement.principals.is_empty() {
        object.insert("Principal".into(), principals_json(&statement.principals));
    }
    if !statement.not_principals.is_empty() {
        object.insert(
            "NotPrincipal".into(),
            principals_json(&statement.not_principals),
        );
    }
    if !statement.conditions.is_empty() {
        object.insert("Condition".into(), conditions_json(&statement.conditions));
    }
    Json::Object(object)
}

/// Go's `encoding/json` escapes these inside strings (they appear nowhere else in JSON).
fn go_escape(text: String) -> String {
    text.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// A configured set of strings; `&{` replaced when a document `version` is given.
fn config_strings(
    block: &Attributes,
    name: &str,
    version: Option<&str>,
) -> Result<Option<Strings>, ProviderError> {
    let values = attrs::string_list(block, name);
    if values.is_empty() {
        return Ok(None);
    }
    let strings = Strings::from_config(values, true);
    match version {
        Some(version) => strings.replace_variables(version).map(Some),
        None => Ok(Some(strings)),
    }
}

fn config_principals(
    statement: &Attributes,
    name: &str,
    version: &str,
) -> Result<Vec<Principal>, ProviderError> {
    attrs::blocks(statement, name)
        .into_iter()
        .map(|principal| {
            Ok(Principal {
                kind: attrs::optional_string(principal, "type").unwrap_or_default(),
                identifiers: Strings::from_config(attrs::string_list(principal, "identifiers"), true)
                    .replace_variables(version)?,
            })
        })
        .collect()
}

/// The policy document text for `arguments`: (`json`, `minified_json`).
fn policy_json(arguments: &Attributes) -> Result<(String, String), ProviderError> {
    let mut merged = Document::default();
    let mut sources: Vec<(String, &str)> = Vec::new();
    if let Some(text) = attrs::non_empty(arguments, "source_json") {
        sources.push((text, "source_json"));
    }
    for text in attrs::string_list(arguments, "source_policy_documents") {
        sources.push((text, "source_policy_documents"));
    }
    let mut seen_sids: Vec<String> = Vec::new();
    for (index, (text, attribute)) in sources.iter().enumerate() {
        let document = Document::parse(text, attribute)?;
        for (statement_index, statement) in document.statements.iter().enumerate() {
            if statement.sid.is_empty() {
                continue;
            }
            if seen_sids.contains(&statement.sid) {
                return Err(ProviderError::invalid(
                    *attribute,
                    format!(
                        "duplicate Sid ({}) in source_policy_documents (item {index}; statement {statement_index}). Remove the Sid or ensure Sids are unique.",
                        statement.sid
                    ),
                ));
            }
            seen_sids.push(statement.sid.clone());
        }
        merged.merge(document);
    }

    let version = attrs::optional_string(arguments, "version").unwrap_or_else(|| "2012-10-17".to_string());
    let mut document = Document {
        version: version.clone(),
        id: attrs::optional_string(arguments, "policy_id").unwrap_or_default(),
        statements: Vec::new(),
    };
    let mut sids: Vec<String> = Vec::new();
    for block in attrs::blocks(arguments, "statement") {
        let sid = attrs::optional_string(block, "sid").unwrap_or_default();
        if !sid.is_empty() {
            if sids.contains(&sid) {
                return Err(ProviderError::invalid(
                    "statement",
                    format!(
                        "found duplicate sid ({sid}), either remove the sid or ensure the sid is unique across all statements"
                    ),
                ));
            }
            sids.push(sid.clone());
        }
        let conditions = attrs::blocks(block, "condition")
            .into_iter()
            .map(|condition| {
                Ok(Condition {
                    test: attrs::optional_string(condition, "test").unwrap_or_default(),
                    variable: attrs::optional_string(condition, "variable").unwrap_or_default(),
                    values: Strings::from_config(attrs::string_list(condition, "values"), false)
                        .replace_variables(&version)?,
                })
            })
            .collect::<Result<Vec<_>, ProviderError>>()?;
        document.statements.push(Statement {
            sid,
            effect: attrs::optional_string(block, "effect").unwrap_or_else(|| "Allow".to_string()),
            // Actions are written as given: `&{` is replaced in resources, principals and
            // conditions only, as Terraform does.
            actions: config_strings(block, "actions", None)?,
            not_actions: config_strings(block, "not_actions", None)?,
            resources: config_strings(block, "resources", Some(&version))?,
            not_resources: config_strings(block, "not_resources", Some(&version))?,
            principals: config_principals(block, "principals", &version)?,
            not_principals: config_principals(block, "not_principals", &version)?,
            conditions,
        });
    }
    merged.merge(document);

    let mut overrides: Vec<(String, &str)> = attrs::string_list(arguments, "override_policy_documents")
        .into_iter()
        .map(|text| (text, "override_policy_documents"))
        .collect();
    if let Some(text) = attrs::non_empty(arguments, "override_json") {
        overrides.push((text, "override_json"));
    }
    for (text, attribute) in overrides {
        merged.merge(Document::parse(&text, attribute)?);
    }

    let json = merged.to_json();
    let pretty = serde_json::to_string_pretty(&json).unwrap_or_default();
    let minified = serde_json::to_string(&json).unwrap_or_default();
    Ok((go_escape(pretty), go_escape(minified)))
}

#[async_trait]
impl DataSource for IamPolicyDocument {
    fn type_name(&self) -> &'static str {
        "aws_iam_policy_document"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn needs_aws(&self) -> bool {
        false
    }

    async fn read(
        &self,
        _context: &DataContext,
        arguments: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let (pretty, minified) = policy_json(arguments)?;
        let mut result = arguments.clone();
        result.insert(
            "id".into(),
            Value::string(crc32fast::hash(pretty.as_bytes()).to_string()),
        );
        result.insert("json".into(), Value::string(pretty));
        result.insert("minified_json".into(), Value::string(minified));
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::attrs::map;

    fn statement(entries: Vec<(&str, Value)>) -> Value {
        Value::Map(
            entries
                .into_iter()
                .map(|(key, value)| (key.to_string(), value))
                .collect(),
        )
    }

    fn strings(items: &[&str]) -> Value {
        attrs::string_list_value(items)
    }

    fn block(name: &str, entries: Vec<(&str, Value)>) -> (String, Value) {
        (name.to_string(), Value::List(vec![statement(entries)]))
    }

    #[test]
    fn an_assume_role_policy_reads_as_terraform_writes_it() {
        let principal = statement(vec![
            ("type", Value::string("Service")),
            ("identifiers", strings(&["lambda.amazonaws.com"])),
        ]);
        let arguments = map([(
            "statement",
            Value::List(vec![statement(vec![
                ("actions", strings(&["sts:AssumeRole"])),
                ("principals", Value::List(vec![principal])),
            ])]),
        )]);
        let (pretty, minified) = policy_json(&arguments).unwrap();
        assert_eq!(
            pretty,
            "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"sts:AssumeRole\",\n      \"Principal\": {\n        \"Service\": \"lambda.amazonaws.com\"\n      }\n    }\n  ]\n}"
        );
        assert_eq!(
            minified,
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"}}]}"
        );
    }

    #[test]
    fn lists_sort_in_reverse_and_conditions_group_by_test() {
        let conditions = Value::List(vec![
            statement(vec![
                ("test", Value::string("StringLike")),
                ("variable", Value::string("s3:prefix")),
                ("values", strings(&["home/", "home/&{aws:username}/"])),
            ]),
            statement(vec![
                ("test", Value::string("Bool")),
                ("variable", Value::string("aws:SecureTransport")),
                ("values", strings(&["true"])),
            ]),
        ]);
        let arguments = map([(
            "statement",
            Value::List(vec![statement(vec![
                ("sid", Value::string("List")),
                ("effect", Value::string("Deny")),
                (
                    "actions",
                    strings(&["s3:ListBucket", "s3:GetObject", "s3:ListBucket"]),
                ),
                (
                    "not_resources",
                    strings(&["arn:aws:s3:::a", "arn:aws:s3:::b"]),
                ),
                ("condition", conditions),
                (
                    "not_principals",
                    Value::List(vec![statement(vec![
                        ("type", Value::string("*")),
                        ("identifiers", strings(&["*"])),
                    ])]),
                ),
            ])]),
        )]);
        let (_, minified) = policy_json(&arguments).unwrap();
        assert_eq!(
            minified,
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"List\",\"Effect\":\"Deny\",\"Action\":[\"s3:ListBucket\",\"s3:GetObject\"],\"NotResource\":[\"arn:aws:s3:::b\",\"arn:aws:s3:::a\"],\"NotPrincipal\":\"*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\"},\"StringLike\":{\"s3:prefix\":[\"home/\",\"home/${aws:username}/\"]}}}]}"
        );
    }

    #[test]
    fn sources_then_statements_then_overrides_merge_by_sid() {
        let source = r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"B","Effect":"Allow","Action":["ec2:b","ec2:a"],"Resource":"*"}]}"#;
        let override_document = r#"{"Statement":[{"Sid":"B","Effect":"Deny","Action":"ec2:*","Resource":"*","Principal":{"AWS":["2","1"]}}]}"#;
        let mut arguments = map([
            ("source_policy_documents", strings(&[source])),
            ("override_policy_documents", strings(&[override_document])),
        ]);
        let (name, value) = block(
            "statement",
            vec![
                ("sid", Value::string("A")),
                ("actions", strings(&["s3:GetObject"])),
                ("resources", strings(&["arn:aws:s3:::x/<y>&z"])),
            ],
        );
        arguments.insert(name, value);
        let (_, minified) = policy_json(&arguments).unwrap();
        assert_eq!(
            minified,
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::x/\\u003cy\\u003e\\u0026z\"},{\"Sid\":\"B\",\"Effect\":\"Deny\",\"Action\":\"ec2:*\",\"Resource\":\"*\",\"Principal\":{\"AWS\":[\"2\",\"1\"]}}]}"
        );
    }

    #[test]
    fn duplicate_sids_are_errors() {
        let arguments = map([(
            "statement",
            Value::List(vec![
                statement(vec![("sid", Value::string("X"))]),
                statement(vec![("sid", Value::string("X"))]),
            ]),
        )]);
        let error = policy_json(&arguments).unwrap_err();
        assert!(error.to_string().contains("duplicate sid (X)"), "{error}");
    }
}
