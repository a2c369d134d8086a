//! The comparison behind a drift check: which attributes of a resource the cloud changed behind
//! our back (read value vs last applied value, compared with the schema's semantics so values AWS
//! fills in or canonicalises are not drift), and which of them the spec cares about.

use std::collections::BTreeSet;

use provision_core::{Attributes, Schema, Value};

use super::report::AttributeDrift;
use crate::plan::diff::{blocks_equal, values_equal};
use crate::plan::{Action, Change};

/// The attributes worth comparing for one resource, from the spec planned against the last
/// applied attributes (`against_state`) and against what the cloud holds now
/// (`against_cloud`): every attribute either plan touches. An attribute the spec manages
/// and the cloud changed shows in the second; one the spec changed too, in the first; one the
/// spec leaves to AWS (a computed block it does not write, a computed id) in neither.
/// `None` when the spec no longer has the resource: then every settable, non-computed
/// attribute and block is compared.
pub fn attributes_to_compare(
    against_state: Option<&Change>,
    against_cloud: Option<&Change>,
) -> Option<BTreeSet<String>> {
    match against_state {
        None => return None,
        Some(change) if change.action == Action::Delete => return None,
        Some(_) => {}
    }
    Some(
        [against_state, against_cloud]
            .into_iter()
            .flatten()
            .flat_map(|change| change.attribute_changes.iter())
            .map(|change| change.name.clone())
            .collect(),
    )
}

/// What differs between the last applied attributes and the cloud's, for the attributes in
/// `compared` (see `attributes_to_compare`). Only settable attributes and nested blocks count;
/// `tags_all` counts only when `tags` does not already show the difference (a default tag
/// changed). Attributes in `sensitive` (or marked sensitive by the schema) are flagged so they
/// are redacted wherever they are shown.
pub fn modified_attributes(
    schema: &Schema,
    applied: &Attributes,
    actual: &Attributes,
    compared: Option<&BTreeSet<String>>,
    sensitive: &BTreeSet<String>,
) -> Vec<AttributeDrift> {
    let wanted = |name: &str, computed: bool| match compared {
        Some(names) => names.contains(name),
        None => !computed,
    };
    let value =
        |attributes: &Attributes, name: &str| attributes.get(name).cloned().unwrap_or(Value::Null);
    let mut drifted = Vec::new();
    for attribute in &schema.attributes {
        if !attribute.settable() || !wanted(attribute.name, attribute.computed) {
            continue;
        }
        let expected = value(applied, attribute.name);
        let found = value(actual, attribute.name);
        if !values_equal(&attribute.attr_type, &found, &expected) {
            drifted.push(AttributeDrift {
                attribute: attribute.name.to_string(),
                expected,
                actual: found,
                sensitive: attribute.sensitive || sensitive.contains(attribute.name),
            });
        }
    }
    for block in &schema.blocks {
        if !wanted(block.name, block.computed) {
            continue;
        }
        let expected = value(applied, block.name);
        let found = value(actual, block.name);
        if !blocks_equal(&block.schema, block.nesting, &found, &expected) {
            drifted.push(AttributeDrift {
                attribute: block.name.to_string(),
                expected,
                actual: found,
                sensitive: sensitive.contains(block.name),
            });
        }
    }
    let tags_reported = drifted.iter().any(|drift| drift.attribute == "tags");
    if let Some(tags_all) = schema.attribute("tags_all") {
        if !tags_reported && compared.is_some_and(|names| names.contains("tags_all")) {
            let expected = value(applied, "tags_all");
            let found = value(actual, "tags_all");
            if !values_equal(&tags_all.attr_type, &found, &expected) {
                drifted.push(AttributeDrift {
                    attribute: "tags_all".to_string(),
                    expected,
                    actual: found,
                    sensitive: false,
                });
            }
        }
    }
    drifted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::AttributeChange;
    use provision_core::{AttrType, Attribute, BlockNesting, NestedBlock};

    fn schema() -> Schema {
        let rule = Schema::new(vec![
            Attribute::required("port", AttrType::Number),
            Attribute::optional("cidr_blocks", AttrType::list_of_strings()),
        ]);
        Schema::new(vec![
            Attribute::computed("id", AttrType::String),
            Attribute::computed("arn", AttrType::String),
            Attribute::required("cidr_block", AttrType::String),
            Attribute::optional_computed("availability_zone", AttrType::String),
            Attribute::optional("password", AttrType::String).sensitive(),
            Attribute::optional("tags", AttrType::map_of_strings()),
            Attribute::computed("tags_all", AttrType::map_of_strings()),
            Attribute::optional("ports", AttrType::set_of_strings()),
        ])
        .with_block(NestedBlock {
            name: "ingress",
            nesting: BlockNesting::Set,
            schema: rule.clone(),
            force_new: false,
            computed: true,
        })
        .with_block(NestedBlock {
            name: "route",
            nesting: BlockNesting::Set,
            schema: rule,
            force_new: false,
            computed: false,
        })
    }

    fn map(pairs: &[(&str, &str)]) -> Value {
        Value::Map(
            pairs
                .iter()
                .map(|(key, value)| (key.to_string(), Value::string(*value)))
                .collect(),
        )
    }

    fn rule(port: f64) -> Value {
        Value::Map(
            [
                ("port".to_string(), Value::Number(port)),
                (
                    "cidr_blocks".to_string(),
                    Value::List(vec![Value::string("0.0.0.0/0")]),
                ),
            ]
            .into(),
        )
    }

    fn applied() -> Attributes {
        [
            ("id", Value::string("subnet-1")),
            ("arn", Value::string("arn:aws:ec2:::subnet/subnet-1")),
            ("cidr_block", Value::string("10.0.0.0/24")),
            ("availability_zone", Value::string("us-east-1a")),
            ("password", Value::string("hunter2")),
            ("tags", map(&[("Name", "a")])),
            ("tags_all", map(&[("Name", "a"), ("Project", "p")])),
            (
                "ports",
                Value::List(vec![Value::string("80"), Value::string("443")]),
            ),
            ("ingress", Value::List(vec![rule(80.0)])),
            ("route", Value::List(Vec::new())),
        ]
        .into_iter()
        .map(|(key, value)| (key.to_string(), value))
        .collect()
    }

    fn names(drifted: &[AttributeDrift]) -> Vec<&str> {
        drifted
            .iter()
            .map(|drift| drift.attribute.as_str())
            .collect()
    }

    fn every(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|name| name.to_string()).collect()
    }

    #[test]
    fn same_values_in_another_form_are_not_drift() {
        let mut actual = applied();
        actual.insert(
            "ports".to_string(),
            Value::List(vec![Value::string("443"), Value::string("80")]),
        );
        actual.insert("arn".to_string(), Value::string("arn:changed"));
        let compared = every(&["ports", "arn", "tags", "ingress", "route", "cidr_block"]);
        let drifted = modified_attributes(
            &schema(),
            &applied(),
            &actual,
            Some(&compared),
            &BTreeSet::new(),
        );
        assert!(drifted.is_empty(), "{drifted:?}");
    }

    #[test]
    fn a_changed_tag_is_reported_once_with_both_values() {
        let mut actual = applied();
        actual.insert("tags".to_string(), map(&[("Name", "b")]));
        actual.insert(
            "tags_all".to_string(),
            map(&[("Name", "b"), ("Project", "p")]),
        );
        let compared = every(&["tags", "tags_all"]);
        let drifted = modified_attributes(
            &schema(),
            &applied(),
            &actual,
            Some(&compared),
            &BTreeSet::new(),
        );
        assert_eq!(names(&drifted), ["tags"]);
        assert_eq!(drifted[0].expected, map(&[("Name", "a")]));
        assert_eq!(drifted[0].actual, map(&[("Name", "b")]));
    }

    #[test]
    fn a_changed_default_tag_shows_in_tags_all() {
        let mut actual = applied();
        actual.insert("tags_all".to_string(), map(&[("Name", "a")]));
        let compared = every(&["tags_all"]);
        let drifted = modified_attributes(
            &schema(),
            &applied(),
            &actual,
            Some(&compared),
            &BTreeSet::new(),
        );
        assert_eq!(names(&drifted), ["tags_all"]);
    }

    #[test]
    fn only_compared_attributes_count() {
        let mut actual = applied();
        // A computed block the spec does not write (rules of standalone rule resources).
        actual.insert(
            "ingress".to_string(),
            Value::List(vec![rule(80.0), rule(22.0)]),
        );
        actual.insert("cidr_block".to_string(), Value::string("10.9.0.0/24"));
        let compared = every(&["cidr_block"]);
        let drifted = modified_attributes(
            &schema(),
            &applied(),
            &actual,
            Some(&compared),
            &BTreeSet::new(),
        );
        assert_eq!(names(&drifted), ["cidr_block"]);
        let with_ingress = every(&["cidr_block", "ingress"]);
        let drifted = modified_attributes(
            &schema(),
            &applied(),
            &actual,
            Some(&with_ingress),
            &BTreeSet::new(),
        );
        assert_eq!(names(&drifted), ["cidr_block", "ingress"]);
    }

    #[test]
    fn without_the_spec_settable_non_computed_attributes_are_compared() {
        let mut actual = applied();
        actual.insert("availability_zone".to_string(), Value::string("us-east-1b"));
        actual.insert("ingress".to_string(), Value::List(Vec::new()));
        actual.insert("route".to_string(), Value::List(vec![rule(1.0)]));
        actual.insert("cidr_block".to_string(), Value::string("10.9.0.0/24"));
        let drifted = modified_attributes(&schema(), &applied(), &actual, None, &BTreeSet::new());
        assert_eq!(names(&drifted), ["cidr_block", "route"]);
    }

    #[test]
    fn sensitive_attributes_are_flagged_and_redacted() {
        let mut actual = applied();
        actual.insert("password".to_string(), Value::string("changed"));
        actual.insert("tags".to_string(), map(&[("Name", "secret-name")]));
        let compared = every(&["password", "tags"]);
        let sensitive = every(&["tags"]);
        let drifted =
            modified_attributes(&schema(), &applied(), &actual, Some(&compared), &sensitive);
        assert!(drifted.iter().all(|drift| drift.sensitive));
        let shown = drifted[0].to_json().to_string();
        assert!(
            !shown.contains("hunter2") && !shown.contains("changed"),
            "{shown}"
        );
        assert!(shown.contains(super::super::report::REDACTED));
    }

    fn change(action: Action, attributes: &[&str]) -> Change {
        Change {
            address: "aws_subnet.a".to_string(),
            type_name: "aws_subnet".to_string(),
            action,
            replace_reasons: Vec::new(),
            before: None,
            after: None,
            attribute_changes: attributes
                .iter()
                .map(|name| AttributeChange {
                    name: name.to_string(),
                    before: None,
                    after: None,
                    sensitive: false,
                    forces_replacement: false,
                })
                .collect(),
            sensitive_attributes: BTreeSet::new(),
            dependencies: Vec::new(),
            provider: "aws".to_string(),
            prior_provider: None,
            prior_dependencies: Vec::new(),
            explicit_dependencies: Vec::new(),
            timeouts: Default::default(),
            create_before_destroy: false,
            read_reason: None,
            cloud_id: None,
            moved_from: None,
            import_id: None,
        }
    }

    #[test]
    fn compared_attributes_come_from_both_plans() {
        let against_state = change(Action::Update, &["cidr_block"]);
        let against_cloud = change(Action::Update, &["tags"]);
        assert_eq!(
            attributes_to_compare(Some(&against_state), Some(&against_cloud)),
            Some(every(&["cidr_block", "tags"]))
        );
        let removed_from_spec = change(Action::Delete, &[]);
        assert_eq!(attributes_to_compare(Some(&removed_from_spec), None), None);
        assert_eq!(attributes_to_compare(None, None), None);
        let in_sync = change(Action::NoOp, &[]);
        assert_eq!(
            attributes_to_compare(Some(&in_sync), Some(&in_sync)),
            Some(BTreeSet::new())
        );
    }
}
