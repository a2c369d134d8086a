//! Renders plans: the Terraform-like text a person reviews (`render_plan`) and the stable JSON
//! document machines read (`plan_json`). Sensitive values never appear in either.

use std::collections::{BTreeMap, BTreeSet};

use provision_resources::Value;
use serde_json::json;

use crate::cli::style::Style;
use crate::plan::security::{security_changes, SecurityChange};
use crate::plan::{Action, AttributeChange, Change, OutputChange, Plan};

/// What is printed in place of a sensitive value.
const SENSITIVE: &str = "(sensitive value)";
/// What is printed in place of a value known only after apply.
const UNKNOWN: &str = "(known after apply)";
/// Unchanged attributes shown anyway in updates and replacements, because they say which
/// cloud object is meant.
const IDENTIFYING_ATTRIBUTES: [&str; 2] = ["id", "name"];

/// Renders a plan for a person, Terraform-style: one block per resource instance that changes
/// (`+` create, `~` update in place, `-/+` replace, `+/-` replace creating first, `-` delete),
/// attributes aligned on `=`, then `Plan: N to add, N to change, N to destroy.` and the output
/// changes. A plan without changes prints `No changes. Your infrastructure matches the spec.`
/// The result ends with a newline.
pub fn render_plan(plan: &Plan, style: &Style) -> String {
    let mut writer = PlanWriter {
        style,
        text: String::new(),
    };
    let changes: Vec<&Change> = plan.changes.iter().filter(|change| shown(change)).collect();

    let outputs: Vec<&OutputChange> = plan
        .outputs
        .iter()
        .filter(|output| output.before != output.after)
        .collect();

    if changes.is_empty() && !outputs.is_empty() {
        // Only outputs change: no "No changes." above the output changes.
        writer.line("Changes to Outputs:");
        writer.outputs(&outputs);
        writer.line("");
        writer.line(
            "You can apply this plan to save these new output values to the state, without \
             changing any real infrastructure.",
        );
        return writer.text;
    }

    if changes.is_empty() {
        let message = if plan.destroy {
            "No changes. No objects need to be destroyed."
        } else {
            "No changes. Your infrastructure matches the spec."
        };
        writer.line(&style.bold(message));
    } else {
        let intro = if plan.destroy {
            "provision will destroy all resources of the stack, performing the following actions:"
        } else {
            "provision will perform the following actions:"
        };
        writer.line(intro);
        for change in changes {
            writer.line("");
            writer.change(change);
        }
        let summary = plan.summary();
        let moves = plan.moves().len();
        writer.line("");
        writer.line(&format!(
            "{} {}{} to add, {} to change, {} to destroy{}.",
            style.bold("Plan:"),
            if summary.import == 0 {
                String::new()
            } else {
                format!("{} to import, ", summary.import)
            },
            summary.add,
            summary.change,
            summary.destroy,
            if moves == 0 {
                String::new()
            } else {
                format!(", {moves} to move")
            }
        ));
        writer.security_changes(&security_changes(plan));
    }

    if !outputs.is_empty() {
        writer.line("");
        writer.line("Changes to Outputs:");
        writer.outputs(&outputs);
    }
    writer.text
}

/// The `Security changes:` section of a plan alone (empty when nothing broadens access), for
/// applying a saved plan whose full text was shown when it was made.
pub fn render_security_changes(plan: &Plan, style: &Style) -> String {
    let mut writer = PlanWriter {
        style,
        text: String::new(),
    };
    writer.security_changes(&security_changes(plan));
    writer.text
}

/// Changes a person or a machine is shown: no no-ops, and no data source records that are
/// only forgotten (nothing happens in the cloud).
fn shown(change: &Change) -> bool {
    (change.action != Action::NoOp && !(change.is_data() && change.action == Action::Delete))
        || change.moved_from.is_some()
        || change.import_id.is_some()
}

/// The plan as JSON, for machines (`provision plan --json`). The schema is stable; fields may be
/// added, never renamed or removed without a new `format_version`:
///
/// ```text
/// {
///   "format_version": "1",
///   "stack": "specs/edgemind",        // the stack the plan is for
///   "environment": "prod" | null,     // --env, if any
///   "state_serial": 12,               // state serial the plan was made against
///   "destroy": false,                 // true for a destroy plan
///   "summary": { "import": 0, "add": 1, "change": 1, "destroy": 1 },
///   "changes": [                      // resource instances that change, in apply order
///     {                               // (no-ops are omitted)
///       "address": "aws_subnet.public[0]",
///       "type": "aws_subnet",
///       "action": "create" | "update" | "replace" | "delete" | "read",
///       "mode": "data",               // only on data sources (`read`: read during apply)
///       "read_reason": "...",         // only on `read`: why the read waits for apply
///       "previous_address": "aws_subnet.x[0]",  // only when a `moved` block renamed it;
///                                     // a move alone has action "no-op"
///       "importing": { "id": "vpc-0abc" },  // only when an `import {}` block brings the
///                                     // object under management (action "no-op" when the
///                                     // spec matches it, else the change made after import)
///       "replace_reasons": ["cidr_block"],   // attributes forcing replacement; [] otherwise;
///                                     // "tainted" when an earlier create did not become
///                                     // ready
///       "attribute_changes": [        // for a create or delete: every non-null attribute
///         {
///           "name": "cidr_block",     // a path: "tags.Name" for one key of a map
///           "before": "10.0.1.0/24",  // null when the attribute is new
///           "after": "10.0.9.0/24",   // null when removed or (wholly) unknown
///           "after_unknown": false,   // true when `after`, or part of it, is known only
///                                     // after apply; unknown parts are null in `after`
///           "sensitive": false,
///           "forces_replacement": true
///         }
///       ]
///     }
///   ],
///   "outputs": [                      // outputs whose value changes
///     { "name": "vpc_id", "before": null, "after": null, "after_unknown": true,
///       "sensitive": false }
///   ],
///   "security_changes": [             // changes that broaden access (plan::security)
///     { "address": "aws_security_group.web", "kind": "ingress",
///       "description": "ingress tcp 22 from 0.0.0.0/0", "open_to_world": true }
///   ]
/// }
/// ```
///
/// Values are plain JSON (strings, numbers, booleans, arrays, objects). A sensitive value,
/// before or after, is the string `"(sensitive value)"`, never the value itself.
pub fn plan_json(plan: &Plan) -> serde_json::Value {
    let summary = plan.summary();
    let changes: Vec<serde_json::Value> = plan
        .changes
        .iter()
        .filter(|change| shown(change))
        .map(change_json)
        .collect();
    let outputs: Vec<serde_json::Value> = plan
        .outputs
        .iter()
        .filter(|output| output.before != output.after)
        .map(|output| {
            let context = AttributeContext::for_output(output);
            json!({
                "name": output.name,
                "before": value_json(&context, &output.name, output.before.as_ref()),
                "after": value_json(&context, &output.name, output.after.as_ref()),
                "after_unknown": output.after.as_ref().is_some_and(Value::contains_unknown),
                "sensitive": output.sensitive,
            })
        })
        .collect();
    json!({
        "format_version": "1",
        "stack": plan.stack,
        "environment": plan.environment,
        "state_serial": plan.state_serial,
        "destroy": plan.destroy,
        "summary": {
            "import": summary.import,
            "add": summary.add,
            "change": summary.change,
            "destroy": summary.destroy,
        },
        "changes": changes,
        "outputs": outputs,
        "security_changes": security_changes(plan),
    })
}

fn change_json(change: &Change) -> serde_json::Value {
    let context = AttributeContext::for_change(change);
    let attribute_changes: Vec<serde_json::Value> = whole_attribute_changes(change)
        .iter()
        .map(|attribute| {
            let sensitive = context.is_sensitive(&attribute.name);
            json!({
                "name": attribute.name,
                "before": value_json(&context, &attribute.name, attribute.before.as_ref()),
                "after": value_json(&context, &attribute.name, attribute.after.as_ref()),
                "after_unknown": attribute.after.as_ref().is_some_and(Value::contains_unknown),
                "sensitive": sensitive,
                "forces_replacement": attribute.forces_replacement,
            })
        })
        .collect();
    let mut document = json!({
        "address": change.address,
        "type": change.type_name,
        "action": change.action.as_str(),
        "replace_reasons": change.replace_reasons,
        "attribute_changes": attribute_changes,
    });
    if change.is_data() {
        document["mode"] = json!("data");
        if let Some(reason) = &change.read_reason {
            document["read_reason"] = json!(reason);
        }
    }
    if let Some(previous) = &change.moved_from {
        document["previous_address"] = json!(previous);
    }
    if let Some(id) = &change.import_id {
        document["importing"] = json!({ "id": id });
    }
    document
}

/// The change's attribute changes; for a create or delete that lists none, one per non-null
/// attribute of what is created or deleted.
fn whole_attribute_changes(change: &Change) -> Vec<AttributeChange> {
    if !change.attribute_changes.is_empty() {
        return change.attribute_changes.clone();
    }
    let (attributes, created) = match change.action {
        Action::Create | Action::Read => (change.after.as_ref(), true),
        Action::Delete => (change.before.as_ref(), false),
        _ => (None, false),
    };
    attributes
        .into_iter()
        .flatten()
        .filter(|(_, value)| !value.is_null())
        .map(|(name, value)| AttributeChange {
            name: name.clone(),
            before: (!created).then(|| value.clone()),
            after: created.then(|| value.clone()),
            sensitive: false,
            forces_replacement: false,
        })
        .collect()
}

/// A value as JSON: absent and unknown become null, sensitive parts (the whole value or, for
/// `tags.Secret`, one key) the placeholder.
fn value_json(context: &AttributeContext, path: &str, value: Option<&Value>) -> serde_json::Value {
    match value {
        None | Some(Value::Null) | Some(Value::Unknown) => serde_json::Value::Null,
        Some(_) if context.is_sensitive(path) => serde_json::Value::String(SENSITIVE.to_string()),
        Some(Value::List(items)) => serde_json::Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(index, item)| value_json(context, &format!("{path}.{index}"), Some(item)))
                .collect(),
        ),
        Some(Value::Map(entries)) => serde_json::Value::Object(
            entries
                .iter()
                .map(|(key, item)| {
                    let item_json = value_json(context, &format!("{path}.{key}"), Some(item));
                    (key.clone(), item_json)
                })
                .collect(),
        ),
        Some(value) => value.to_json(),
    }
}

/// Which attribute paths of one resource (or output) are sensitive or force replacement.
/// Paths are dotted: `tags`, `tags.Name`, `ingress.0.from_port`.
#[derive(Default)]
struct AttributeContext {
    sensitive_paths: BTreeSet<String>,
    forcing_paths: BTreeSet<String>,
}

impl AttributeContext {
    fn for_change(change: &Change) -> AttributeContext {
        let mut context = AttributeContext {
            sensitive_paths: change.sensitive_attributes.clone(),
            forcing_paths: BTreeSet::new(),
        };
        for attribute in &change.attribute_changes {
            if attribute.sensitive {
                context.sensitive_paths.insert(attribute.name.clone());
            }
            if attribute.forces_replacement {
                context.forcing_paths.insert(attribute.name.clone());
            }
        }
        if change.action == Action::Replace {
            context
                .forcing_paths
                .extend(change.replace_reasons.iter().cloned());
        }
        context
    }

    fn for_output(output: &OutputChange) -> AttributeContext {
        let mut context = AttributeContext::default();
        if output.sensitive {
            context.sensitive_paths.insert(output.name.clone());
        }
        context
    }

    /// True when the path, or a path it lies under, is sensitive.
    fn is_sensitive(&self, path: &str) -> bool {
        self.sensitive_paths
            .iter()
            .any(|sensitive| is_within(path, sensitive))
    }

    fn forces_replacement(&self, path: &str) -> bool {
        self.forcing_paths.contains(path)
    }
}

/// True when `path` is `ancestor` or lies under it (`tags.Name` under `tags`).
fn is_within(path: &str, ancestor: &str) -> bool {
    path == ancestor
        || path
            .strip_prefix(ancestor)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// The kind of one rendered line, which picks its symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineAction {
    Create,
    Update,
    Delete,
    Keep,
}

impl LineAction {
    fn between(before: Option<&Value>, after: Option<&Value>) -> Option<LineAction> {
        match (before, after) {
            (None, None) => None,
            (None, Some(_)) => Some(LineAction::Create),
            (Some(_), None) => Some(LineAction::Delete),
            (Some(before), Some(after)) if before == after => Some(LineAction::Keep),
            (Some(_), Some(_)) => Some(LineAction::Update),
        }
    }
}

/// Treats an explicit null like an absent value.
fn present(value: Option<&Value>) -> Option<&Value> {
    value.filter(|value| !value.is_null())
}

/// One step of a list diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListEdit {
    Keep,
    Remove(usize),
    Add(usize),
}

/// Longest-common-subsequence diff of two lists: removals come before additions in each gap.
fn diff_lists(before: &[Value], after: &[Value]) -> Vec<ListEdit> {
    let (rows, columns) = (before.len(), after.len());
    // common[i][j]: length of the LCS of before[i..] and after[j..].
    let mut common = vec![vec![0usize; columns + 1]; rows + 1];
    for row in (0..rows).rev() {
        for column in (0..columns).rev() {
            common[row][column] = if before[row] == after[column] {
                common[row + 1][column + 1] + 1
            } else {
                common[row + 1][column].max(common[row][column + 1])
            };
        }
    }
    let mut edits = Vec::new();
    let (mut row, mut column) = (0, 0);
    let mut additions = Vec::new();
    while row < rows || column < columns {
        if row < rows && column < columns && before[row] == after[column] {
            edits.append(&mut additions);
            edits.push(ListEdit::Keep);
            row += 1;
            column += 1;
        } else if column < columns
            && (row == rows || common[row][column + 1] >= common[row + 1][column])
        {
            additions.push(ListEdit::Add(column));
            column += 1;
        } else {
            edits.push(ListEdit::Remove(row));
            row += 1;
        }
    }
    edits.append(&mut additions);
    edits
}

/// True when the attribute is a nested block (`ingress`): a list of maps, on at least one side.
/// Whether one side is an empty list and the other absent (or null).
fn empty_beside_nothing(before: Option<&Value>, after: Option<&Value>) -> bool {
    let empty_list = |value: Option<&Value>| {
        value
            .and_then(Value::as_list)
            .is_some_and(<[Value]>::is_empty)
    };
    match (present(before), present(after)) {
        (None, after) => empty_list(after),
        (before, None) => empty_list(before),
        _ => false,
    }
}

fn is_block(before: Option<&Value>, after: Option<&Value>) -> bool {
    let block_items = |value: Option<&Value>| match value {
        None => Some(0),
        Some(Value::List(items)) if items.iter().all(|item| item.as_map().is_some()) => {
            Some(items.len())
        }
        Some(_) => None,
    };
    match (block_items(before), block_items(after)) {
        (Some(before_count), Some(after_count)) => before_count + after_count > 0,
        _ => false,
    }
}

fn block_items(value: Option<&Value>) -> &[Value] {
    value.and_then(Value::as_list).unwrap_or(&[])
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("{count} {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// `aws_subnet.public[0]` (or `module.x["a"].aws_subnet.public[0]`) of type `aws_subnet` →
/// `public`.
fn resource_name<'a>(address: &'a str, type_name: &str) -> &'a str {
    if let Some(parsed) = crate::address::ResourceAddr::parse(address) {
        if !parsed.module.is_empty() {
            let block = parsed.block_address();
            if let Some(start) = address.find(&block) {
                let name_start = start + block.len() - parsed.name.len();
                return &address[name_start..name_start + parsed.name.len()];
            }
        }
    }
    let without_index = match address.find('[') {
        Some(index) => &address[..index],
        None => address,
    };
    match without_index.strip_prefix(type_name) {
        Some(rest) if rest.starts_with('.') => &rest[1..],
        _ => without_index.rsplit('.').next().unwrap_or(without_index),
    }
}

/// Sets (or, with `None`, removes) the value at a dotted path below a nested map or list. A map
/// key may itself contain dots (`kubernetes.io/role`): the path is taken as one key when the map
/// holds it whole, or when its first segment is not a collection of the map.
fn set_path(root: &mut Value, path: &str, new_value: Option<Value>) {
    match root {
        Value::Map(entries) => {
            let descend = match path.split_once('.') {
                Some((head, rest))
                    if !entries.contains_key(path)
                        && matches!(entries.get(head), Some(Value::Map(_) | Value::List(_))) =>
                {
                    Some((head, rest))
                }
                _ => None,
            };
            match (descend, new_value) {
                (Some((head, rest)), new_value) => {
                    if let Some(child) = entries.get_mut(head) {
                        set_path(child, rest, new_value);
                    }
                }
                (None, Some(value)) => {
                    entries.insert(path.to_string(), value);
                }
                (None, None) => {
                    entries.remove(path);
                }
            }
        }
        Value::List(items) => {
            let (head, rest) = match path.split_once('.') {
                Some((head, rest)) => (head, Some(rest)),
                None => (path, None),
            };
            let Ok(index) = head.parse::<usize>() else {
                return;
            };
            match (rest, new_value) {
                (None, Some(value)) if index < items.len() => items[index] = value,
                (None, Some(value)) if index == items.len() => items.push(value),
                (None, None) if index < items.len() => {
                    items.remove(index);
                }
                (Some(rest), new_value) if index < items.len() => {
                    set_path(&mut items[index], rest, new_value)
                }
                _ => {}
            }
        }
        _ => {}
    }
}

/// The top-level attribute an attribute change belongs to (`tags` for `tags.Name`).
fn top_level_name<'a>(name: &'a str, before: &Value, after: &Value) -> &'a str {
    let is_whole_key = |root: &Value| root.get(name).is_some();
    if is_whole_key(before) || is_whole_key(after) {
        return name;
    }
    name.split_once('.').map_or(name, |(head, _)| head)
}

/// The before and after attribute maps of an update or replacement, with every attribute
/// change applied on top of the change's own `before` / `after`.
fn reconstruct(change: &Change) -> (Value, Value) {
    let mut before = Value::Map(change.before.clone().unwrap_or_default());
    let mut after = Value::Map(change.after.clone().unwrap_or_default());
    for attribute in &change.attribute_changes {
        overlay(&mut before, attribute, attribute.before.clone());
        overlay(&mut after, attribute, attribute.after.clone());
    }
    (before, after)
}

/// Applies one side of an attribute change to the attribute map `root`: a top-level name is set
/// whole, a path (`tags.Name`) inside its top-level attribute, created as a map when absent.
fn overlay(root: &mut Value, attribute: &AttributeChange, value: Option<Value>) {
    let Value::Map(entries) = root else { return };
    let name = attribute.name.as_str();
    match name.split_once('.') {
        Some((head, rest)) if !entries.contains_key(name) => {
            if value.is_none() && !entries.contains_key(head) {
                return;
            }
            let child = entries
                .entry(head.to_string())
                .or_insert_with(|| Value::Map(BTreeMap::new()));
            if child.is_null() {
                *child = Value::Map(BTreeMap::new());
            }
            set_path(child, rest, value);
        }
        _ => match value {
            Some(value) => {
                entries.insert(name.to_string(), value);
            }
            None => {
                entries.remove(name);
            }
        },
    }
}

/// Accumulates the rendered text.
struct PlanWriter<'a> {
    style: &'a Style,
    text: String,
}

impl PlanWriter<'_> {
    fn line(&mut self, line: &str) {
        self.text.push_str(line.trim_end());
        self.text.push('\n');
    }

    /// A symbol padded so that the text after it starts at `indent`.
    fn prefix(&self, indent: usize, action: LineAction) -> String {
        let symbol = match action {
            LineAction::Create => self.style.green("+"),
            LineAction::Update => self.style.yellow("~"),
            LineAction::Delete => self.style.red("-"),
            LineAction::Keep => " ".to_string(),
        };
        format!("{}{symbol} ", " ".repeat(indent.saturating_sub(2)))
    }

    fn forces_comment(&self, context: &AttributeContext, path: &str) -> String {
        if context.forces_replacement(path) {
            format!(" {}", self.style.red("# forces replacement"))
        } else {
            String::new()
        }
    }

    fn hidden(&mut self, indent: usize, count: usize, noun: &str) {
        if count > 0 {
            let comment = format!("# ({} hidden)", plural(count, &format!("unchanged {noun}")));
            let line = format!("{}{}", " ".repeat(indent), self.style.dim(&comment));
            self.line(&line);
        }
    }

    fn change(&mut self, change: &Change) {
        let style = self.style;
        let (symbol, description) = match change.action {
            Action::Create => (format!("  {}", style.green("+")), "will be created"),
            Action::Update => (
                format!("  {}", style.yellow("~")),
                "will be updated in-place",
            ),
            Action::Replace if change.create_before_destroy => (
                format!("{}/{}", style.green("+"), style.red("-")),
                "must be replaced",
            ),
            Action::Replace => (
                format!("{}/{}", style.red("-"), style.green("+")),
                "must be replaced",
            ),
            Action::Delete => (format!("  {}", style.red("-")), "will be destroyed"),
            Action::Read => (style.cyan(" <="), "will be read during apply"),
            Action::NoOp if change.import_id.is_some() => ("   ".to_string(), "will be imported"),
            Action::NoOp => {
                if let Some(from) = &change.moved_from {
                    self.line(&style.bold(&format!("  # {from} has moved to {}", change.address)));
                }
                return;
            }
        };
        let description = if change.action == Action::Replace {
            style.bold(&style.red(description))
        } else {
            description.to_string()
        };
        self.line(&format!(
            "{} {description}",
            style.bold(&format!("  # {}", change.address))
        ));
        if let Some(from) = &change.moved_from {
            self.line(&format!("  # (moved from {from})"));
        }
        if let Some(id) = change
            .import_id
            .as_ref()
            .filter(|_| change.action != Action::NoOp)
        {
            self.line(&format!("  # (imported from {})", quote(id)));
        }
        if change.action == Action::Replace && !change.replace_reasons.is_empty() {
            let (tainted, forced): (Vec<&String>, Vec<&String>) = change
                .replace_reasons
                .iter()
                .partition(|reason| *reason == crate::plan::planner::TAINTED);
            if !tainted.is_empty() {
                self.line("  # (tainted: its create did not become ready, so it must be replaced)");
            }
            if !forced.is_empty() {
                let forced: Vec<&str> = forced.iter().map(|reason| reason.as_str()).collect();
                self.line(&format!(
                    "  # (replacement forced by {})",
                    forced.join(", ")
                ));
            }
        }
        if let Some(reason) = &change.read_reason {
            self.line(&format!("  # ({reason})"));
        }
        self.line(&format!(
            "{symbol} {} \"{}\" \"{}\" {{",
            if change.is_data() { "data" } else { "resource" },
            change.type_name,
            resource_name(&change.address, &change.type_name)
        ));

        let context = AttributeContext::for_change(change);
        let empty = Value::Map(BTreeMap::new());
        match change.action {
            Action::Create | Action::Read => {
                let after = change.after.clone().map(Value::Map).unwrap_or_default();
                let names = present_names(&after);
                self.body(&context, 8, "", &empty, &after, &names, (0, 0));
            }
            Action::Delete => {
                let before = change.before.clone().map(Value::Map).unwrap_or_default();
                let names = present_names(&before);
                self.body(&context, 8, "", &before, &empty, &names, (0, 0));
            }
            Action::Update | Action::Replace => {
                let (before, after) = reconstruct(change);
                let mut names: BTreeSet<String> = change
                    .attribute_changes
                    .iter()
                    .map(|attribute| top_level_name(&attribute.name, &before, &after).to_string())
                    .collect();
                for identifying in IDENTIFYING_ATTRIBUTES {
                    let value = present(before.get(identifying));
                    if value.is_some() && value == present(after.get(identifying)) {
                        names.insert(identifying.to_string());
                    }
                }
                let mut hidden_attributes = 0;
                let mut hidden_blocks = 0;
                let all_names: BTreeSet<String> = present_names(&before)
                    .into_iter()
                    .chain(present_names(&after))
                    .collect();
                for name in all_names.difference(&names) {
                    let (before_value, after_value) = (before.get(name), after.get(name));
                    if is_block(present(before_value), present(after_value)) {
                        hidden_blocks += block_items(present(after_value).or(before_value)).len();
                    } else {
                        hidden_attributes += 1;
                    }
                }
                let names: Vec<String> = names.into_iter().collect();
                self.body(
                    &context,
                    8,
                    "",
                    &before,
                    &after,
                    &names,
                    (hidden_attributes, hidden_blocks),
                );
            }
            Action::NoOp => {
                // An import the spec matches: what is imported, as Terraform shows it.
                let before = change.before.clone().map(Value::Map).unwrap_or_default();
                let names = present_names(&before);
                self.body(&context, 8, "", &before, &before, &names, (0, 0));
            }
        }
        self.line("    }");
    }

    /// The attributes then nested blocks of a resource or block body, names at `indent`.
    /// `hidden` counts unchanged (attributes, blocks) not listed in `names`.
    #[allow(clippy::too_many_arguments)]
    fn body(
        &mut self,
        context: &AttributeContext,
        indent: usize,
        path_prefix: &str,
        before: &Value,
        after: &Value,
        names: &[String],
        hidden: (usize, usize),
    ) {
        let (hidden_attributes, mut hidden_blocks) = hidden;
        let path_of = |name: &str| {
            if path_prefix.is_empty() {
                name.to_string()
            } else {
                format!("{path_prefix}.{name}")
            }
        };
        // An empty list next to nothing is how an absent nested block reads back: no line
        // (Terraform prints none either), neither `+ fixed_response = []` nor `[] -> null`.
        let names: Vec<&String> = names
            .iter()
            .filter(|name| !empty_beside_nothing(before.get(name), after.get(name)))
            .collect();
        let (blocks, attributes): (Vec<&String>, Vec<&String>) =
            names.into_iter().partition(|name| {
                is_block(present(before.get(name)), present(after.get(name)))
                    && !context.is_sensitive(&path_of(name))
            });
        let width = attributes.iter().map(|name| name.len()).max().unwrap_or(0);
        for name in &attributes {
            self.item(
                context,
                indent,
                Some(&format!("{name:width$}")),
                &path_of(name),
                before.get(name),
                after.get(name),
                false,
            );
        }
        self.hidden(indent, hidden_attributes, "attribute");
        if !blocks.is_empty() && (!attributes.is_empty() || hidden_attributes > 0) {
            self.line("");
        }
        for name in blocks {
            let path = path_of(name);
            let before_items = block_items(present(before.get(name)));
            let after_items = block_items(present(after.get(name)));
            for edit in diff_lists(before_items, after_items) {
                match edit {
                    ListEdit::Keep => hidden_blocks += 1,
                    ListEdit::Remove(index) => self.block(
                        context,
                        indent,
                        name,
                        &format!("{path}.{index}"),
                        LineAction::Delete,
                        &before_items[index],
                    ),
                    ListEdit::Add(index) => self.block(
                        context,
                        indent,
                        name,
                        &format!("{path}.{index}"),
                        LineAction::Create,
                        &after_items[index],
                    ),
                }
            }
        }
        self.hidden(indent, hidden_blocks, "block");
    }

    /// The changes that broaden access, after the summary line: one `!` line each, those open
    /// to the internet marked.
    fn security_changes(&mut self, changes: &[SecurityChange]) {
        if changes.is_empty() {
            return;
        }
        let style = self.style;
        self.line("");
        self.line(&style.bold(&style.yellow(&format!(
            "Security changes: {} broaden{} access",
            changes.len(),
            if changes.len() == 1 { "s" } else { "" }
        ))));
        for change in changes {
            let world = if change.open_to_world {
                format!(" {}", style.bold(&style.red("(open to the internet)")))
            } else {
                String::new()
            };
            self.line(&format!(
                "  {} {}: {}{world}",
                style.yellow("!"),
                change.address,
                change.description
            ));
        }
    }

    /// A nested block created or deleted whole: `+ ingress { ... }`.
    fn block(
        &mut self,
        context: &AttributeContext,
        indent: usize,
        name: &str,
        path: &str,
        action: LineAction,
        value: &Value,
    ) {
        let comment = self.forces_comment(context, path);
        self.line(&format!(
            "{}{name} {{{comment}",
            self.prefix(indent, action)
        ));
        let names = present_names(value);
        let empty = Value::Map(BTreeMap::new());
        let (before, after) = match action {
            LineAction::Delete => (value, &empty),
            _ => (&empty, value),
        };
        self.body(context, indent + 4, path, before, after, &names, (0, 0));
        self.line(&format!("{}}}", " ".repeat(indent)));
    }

    /// One attribute, map entry (with a `label`) or list element (without): a single line for
    /// scalars, an opening line, the entries and a closing line for collections.
    /// `in_deleted_collection` drops the `-> null` that the enclosing collection already shows.
    #[allow(clippy::too_many_arguments)]
    fn item(
        &mut self,
        context: &AttributeContext,
        indent: usize,
        label: Option<&str>,
        path: &str,
        before: Option<&Value>,
        after: Option<&Value>,
        in_deleted_collection: bool,
    ) {
        let (before, after) = (present(before), present(after));
        let Some(action) = LineAction::between(before, after) else {
            return;
        };
        let prefix = self.prefix(indent, action);
        let head = match label {
            Some(label) => format!("{prefix}{label} = "),
            None => prefix,
        };
        let comma = if label.is_none() { "," } else { "" };
        let comment = self.forces_comment(context, path);
        let to_null = if in_deleted_collection {
            ""
        } else {
            " -> null"
        };
        let closing_indent = " ".repeat(indent);

        if context.is_sensitive(path) {
            let suffix = if action == LineAction::Delete {
                to_null
            } else {
                ""
            };
            self.line(&format!("{head}{SENSITIVE}{suffix}{comma}{comment}"));
            return;
        }
        match (action, before, after) {
            (LineAction::Create, _, Some(value)) | (LineAction::Keep, _, Some(value)) => {
                match expanded(value) {
                    Some((open, close)) if action == LineAction::Create => {
                        self.line(&format!("{head}{open}{comment}"));
                        self.children(context, indent + 4, path, None, Some(value), false);
                        self.line(&format!("{closing_indent}{close}{comma}"));
                    }
                    _ => self.line(&format!(
                        "{head}{}{comma}{comment}",
                        inline(context, path, value)
                    )),
                }
            }
            (LineAction::Delete, Some(value), _) => match expanded(value) {
                Some((open, close)) => {
                    self.line(&format!("{head}{open}{comment}"));
                    self.children(context, indent + 4, path, Some(value), None, true);
                    self.line(&format!("{closing_indent}{close}{to_null}{comma}"));
                }
                None => self.line(&format!(
                    "{head}{}{to_null}{comma}{comment}",
                    inline(context, path, value)
                )),
            },
            (LineAction::Update, Some(before_value), Some(after_value)) => {
                match (before_value, after_value) {
                    (Value::Map(_), Value::Map(_)) | (Value::List(_), Value::List(_)) => {
                        let (open, close) = if matches!(after_value, Value::Map(_)) {
                            ("{", "}")
                        } else {
                            ("[", "]")
                        };
                        self.line(&format!("{head}{open}{comment}"));
                        self.children(
                            context,
                            indent + 4,
                            path,
                            Some(before_value),
                            Some(after_value),
                            false,
                        );
                        self.line(&format!("{closing_indent}{close}{comma}"));
                    }
                    _ => self.line(&format!(
                        "{head}{} -> {}{comma}{comment}",
                        inline(context, path, before_value),
                        inline(context, path, after_value)
                    )),
                }
            }
            _ => {}
        }
    }

    /// The entries of a map or the elements of a list, changed ones only when both sides are
    /// given; unchanged ones are counted in a `# (N unchanged elements hidden)` line.
    fn children(
        &mut self,
        context: &AttributeContext,
        indent: usize,
        path: &str,
        before: Option<&Value>,
        after: Option<&Value>,
        in_deleted_collection: bool,
    ) {
        let mut hidden = 0;
        let is_list = matches!(after.or(before), Some(Value::List(_)));
        if is_list {
            let before_items = before.and_then(Value::as_list).unwrap_or(&[]);
            let after_items = after.and_then(Value::as_list).unwrap_or(&[]);
            for edit in diff_lists(before_items, after_items) {
                match edit {
                    ListEdit::Keep => hidden += 1,
                    ListEdit::Remove(index) => self.item(
                        context,
                        indent,
                        None,
                        &format!("{path}.{index}"),
                        Some(&before_items[index]),
                        None,
                        true,
                    ),
                    ListEdit::Add(index) => self.item(
                        context,
                        indent,
                        None,
                        &format!("{path}.{index}"),
                        None,
                        Some(&after_items[index]),
                        false,
                    ),
                }
            }
        } else {
            let empty = BTreeMap::new();
            let before_entries = before.and_then(Value::as_map).unwrap_or(&empty);
            let after_entries = after.and_then(Value::as_map).unwrap_or(&empty);
            let keys: BTreeSet<&String> =
                before_entries.keys().chain(after_entries.keys()).collect();
            let mut shown = Vec::new();
            for key in keys {
                let (before_value, after_value) = (
                    present(before_entries.get(key)),
                    present(after_entries.get(key)),
                );
                match LineAction::between(before_value, after_value) {
                    None => {}
                    Some(LineAction::Keep) => hidden += 1,
                    Some(_) => shown.push((key, before_value, after_value)),
                }
            }
            let labels: Vec<String> = shown.iter().map(|(key, _, _)| quote(key)).collect();
            let width = labels.iter().map(String::len).max().unwrap_or(0);
            for ((key, before_value, after_value), label) in shown.into_iter().zip(labels) {
                self.item(
                    context,
                    indent,
                    Some(&format!("{label:width$}")),
                    &format!("{path}.{key}"),
                    before_value,
                    after_value,
                    in_deleted_collection,
                );
            }
        }
        self.hidden(indent, hidden, "element");
    }

    fn outputs(&mut self, outputs: &[&OutputChange]) {
        let width = outputs
            .iter()
            .map(|output| output.name.len())
            .max()
            .unwrap_or(0);
        for output in outputs {
            let context = AttributeContext::for_output(output);
            self.item(
                &context,
                4,
                Some(&format!("{:width$}", output.name)),
                &output.name,
                output.before.as_ref(),
                output.after.as_ref(),
                false,
            );
        }
    }
}

/// Names of the attributes that are not null.
fn present_names(attributes: &Value) -> Vec<String> {
    attributes
        .as_map()
        .map(|entries| {
            entries
                .iter()
                .filter(|(_, value)| !value.is_null())
                .map(|(name, _)| name.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// Opening and closing brackets when a value is shown one entry per line.
fn expanded(value: &Value) -> Option<(&'static str, &'static str)> {
    match value {
        Value::Map(entries) if !entries.is_empty() => Some(("{", "}")),
        Value::List(items) if !items.is_empty() => Some(("[", "]")),
        _ => None,
    }
}

fn quote(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}

/// A value on one line, HCL-like, with sensitive parts masked.
fn inline(context: &AttributeContext, path: &str, value: &Value) -> String {
    if context.is_sensitive(path) {
        return SENSITIVE.to_string();
    }
    match value {
        Value::Unknown => UNKNOWN.to_string(),
        Value::String(text) => quote(text),
        Value::List(items) => {
            let items: Vec<String> = items
                .iter()
                .enumerate()
                .map(|(index, item)| inline(context, &format!("{path}.{index}"), item))
                .collect();
            format!("[{}]", items.join(", "))
        }
        Value::Map(entries) if entries.is_empty() => "{}".to_string(),
        Value::Map(entries) => {
            let entries: Vec<String> = entries
                .iter()
                .map(|(key, item)| {
                    format!(
                        "{} = {}",
                        quote(key),
                        inline(context, &format!("{path}.{key}"), item)
                    )
                })
                .collect();
            format!("{{ {} }}", entries.join(", "))
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::style::strip_ansi;
    use provision_resources::Attributes;

    const SECRET: &str = "hunter2-very-secret";
    const SECRET_TAG: &str = "tag-secret-value";

    fn attributes(entries: &[(&str, Value)]) -> Attributes {
        entries
            .iter()
            .map(|(name, value)| (name.to_string(), value.clone()))
            .collect()
    }

    fn map(entries: &[(&str, Value)]) -> Value {
        Value::Map(attributes(entries))
    }

    fn strings(items: &[&str]) -> Value {
        Value::List(items.iter().map(|item| Value::string(*item)).collect())
    }

    fn attribute_change(
        name: &str,
        before: Option<Value>,
        after: Option<Value>,
    ) -> AttributeChange {
        AttributeChange {
            name: name.to_string(),
            before,
            after,
            sensitive: false,
            forces_replacement: false,
        }
    }

    fn change(address: &str, type_name: &str, action: Action) -> Change {
        Change {
            address: address.to_string(),
            type_name: type_name.to_string(),
            action,
            replace_reasons: Vec::new(),
            before: None,
            after: None,
            attribute_changes: Vec::new(),
            sensitive_attributes: BTreeSet::new(),
            dependencies: Vec::new(),
            prior_dependencies: Vec::new(),
            explicit_dependencies: Vec::new(),
            timeouts: Default::default(),
            create_before_destroy: false,
            read_reason: None,
            cloud_id: None,
            provider: "aws".to_string(),
            prior_provider: None,
            moved_from: None,
            import_id: None,
        }
    }

    fn ingress(port: i64, cidr: &str) -> Value {
        map(&[
            ("cidr_blocks", strings(&[cidr])),
            ("from_port", Value::from(port)),
            ("protocol", Value::string("tcp")),
            ("to_port", Value::from(port)),
        ])
    }

    fn vpc_create() -> Change {
        let mut vpc = change("aws_vpc.main", "aws_vpc", Action::Create);
        vpc.after = Some(attributes(&[
            ("arn", Value::Unknown),
            ("cidr_block", Value::string("10.0.0.0/16")),
            ("enable_dns_hostnames", Value::Bool(true)),
            ("id", Value::Unknown),
            ("ipv6_cidr_block", Value::Null),
            ("tags", map(&[("Name", Value::string("edgemind-vpc"))])),
        ]));
        vpc
    }

    fn subnet_replace() -> Change {
        let mut subnet = change("aws_subnet.public[0]", "aws_subnet", Action::Replace);
        subnet.replace_reasons = vec!["cidr_block".to_string()];
        subnet.before = Some(attributes(&[
            ("availability_zone", Value::string("eu-west-1a")),
            ("cidr_block", Value::string("10.0.1.0/24")),
            ("id", Value::string("subnet-123")),
            ("map_public_ip_on_launch", Value::Bool(true)),
            ("tags", map(&[("Name", Value::string("public-a"))])),
            ("vpc_id", Value::string("vpc-1")),
        ]));
        subnet.after = Some(attributes(&[
            ("availability_zone", Value::string("eu-west-1a")),
            ("cidr_block", Value::string("10.0.9.0/24")),
            ("id", Value::Unknown),
            ("map_public_ip_on_launch", Value::Bool(true)),
            ("tags", map(&[("Name", Value::string("public-a"))])),
            ("vpc_id", Value::string("vpc-1")),
        ]));
        subnet.attribute_changes = vec![
            AttributeChange {
                forces_replacement: true,
                ..attribute_change(
                    "cidr_block",
                    Some(Value::string("10.0.1.0/24")),
                    Some(Value::string("10.0.9.0/24")),
                )
            },
            attribute_change(
                "id",
                Some(Value::string("subnet-123")),
                Some(Value::Unknown),
            ),
        ];
        subnet
    }

    fn security_group_update() -> Change {
        let mut group = change(
            "aws_security_group.alb",
            "aws_security_group",
            Action::Update,
        );
        let before_tags = map(&[
            ("Env", Value::string("dev")),
            ("Name", Value::string("alb")),
            ("Owner", Value::string("platform")),
            ("Secret", Value::string(SECRET_TAG)),
        ]);
        let after_tags = map(&[
            ("Name", Value::string("alb-public")),
            ("Owner", Value::string("platform")),
            ("Secret", Value::string(SECRET_TAG)),
            ("Team", Value::string("edge")),
        ]);
        group.before = Some(attributes(&[
            ("description", Value::string("load balancer")),
            ("id", Value::string("sg-123")),
            (
                "ingress",
                Value::List(vec![ingress(80, "0.0.0.0/0"), ingress(22, "10.0.0.0/8")]),
            ),
            ("name", Value::string("alb")),
            ("tags", before_tags),
            ("vpc_id", Value::string("vpc-1")),
        ]));
        group.after = Some(attributes(&[
            ("description", Value::string("load balancer")),
            ("id", Value::string("sg-123")),
            (
                "ingress",
                Value::List(vec![ingress(443, "0.0.0.0/0"), ingress(22, "10.0.0.0/8")]),
            ),
            ("name", Value::string("alb")),
            ("tags", after_tags),
            ("vpc_id", Value::string("vpc-1")),
        ]));
        group.attribute_changes = vec![
            attribute_change(
                "ingress",
                Some(Value::List(vec![
                    ingress(80, "0.0.0.0/0"),
                    ingress(22, "10.0.0.0/8"),
                ])),
                Some(Value::List(vec![
                    ingress(443, "0.0.0.0/0"),
                    ingress(22, "10.0.0.0/8"),
                ])),
            ),
            attribute_change("tags.Env", Some(Value::string("dev")), None),
            attribute_change(
                "tags.Name",
                Some(Value::string("alb")),
                Some(Value::string("alb-public")),
            ),
            attribute_change("tags.Team", None, Some(Value::string("edge"))),
        ];
        // Only one key of the map is sensitive: the others still show.
        group.attribute_changes.push(AttributeChange {
            sensitive: true,
            ..attribute_change(
                "tags.Secret",
                Some(Value::string(SECRET_TAG)),
                Some(Value::string(SECRET_TAG)),
            )
        });
        group
    }

    fn database_create() -> Change {
        let mut database = change("aws_db_instance.main", "aws_db_instance", Action::Create);
        database.after = Some(attributes(&[
            ("engine", Value::string("postgres")),
            ("password", Value::string(SECRET)),
            ("endpoint", Value::Unknown),
            ("vpc_security_group_ids", Value::List(vec![Value::Unknown])),
        ]));
        database.sensitive_attributes = ["password".to_string()].into();
        database
    }

    fn eip_delete() -> Change {
        let mut eip = change("aws_eip.nat", "aws_eip", Action::Delete);
        eip.before = Some(attributes(&[
            ("domain", Value::string("vpc")),
            ("id", Value::string("eipalloc-1")),
            ("public_ip", Value::string("203.0.113.7")),
            ("tags", map(&[("Name", Value::string("nat"))])),
        ]));
        eip
    }

    fn internet_gateway_unchanged() -> Change {
        let mut gateway = change(
            "aws_internet_gateway.main",
            "aws_internet_gateway",
            Action::NoOp,
        );
        gateway.before = Some(attributes(&[("id", Value::string("igw-1"))]));
        gateway.after = gateway.before.clone();
        gateway
    }

    fn sample_plan() -> Plan {
        Plan {
            stack: "specs/edgemind".to_string(),
            spec_directory: "specs/edgemind".to_string(),
            environment: Some("prod".to_string()),
            state_serial: 12,
            spec_hash: "abc".to_string(),
            destroy: false,
            changes: vec![
                vpc_create(),
                internet_gateway_unchanged(),
                subnet_replace(),
                security_group_update(),
                database_create(),
                eip_delete(),
            ],
            outputs: vec![
                OutputChange {
                    name: "vpc_id".to_string(),
                    before: None,
                    after: Some(Value::Unknown),
                    sensitive: false,
                },
                OutputChange {
                    name: "database_password".to_string(),
                    before: None,
                    after: Some(Value::string(SECRET)),
                    sensitive: true,
                },
                OutputChange {
                    name: "region".to_string(),
                    before: Some(Value::string("eu-west-1")),
                    after: Some(Value::string("eu-west-1")),
                    sensitive: false,
                },
                OutputChange {
                    name: "old_endpoint".to_string(),
                    before: Some(Value::string("db.example")),
                    after: None,
                    sensitive: false,
                },
            ],
        }
    }

    fn no_change_plan() -> Plan {
        Plan {
            changes: vec![internet_gateway_unchanged()],
            outputs: Vec::new(),
            ..sample_plan()
        }
    }

    #[test]
    fn plan_with_every_kind_of_change() {
        let rendered = render_plan(&sample_plan(), &Style::plain());
        insta::assert_snapshot!(rendered);
    }

    #[test]
    fn summary_line_counts_replacements_twice() {
        let rendered = render_plan(&sample_plan(), &Style::plain());
        assert!(rendered.contains("\nPlan: 3 to add, 1 to change, 2 to destroy.\n"));
        assert!(
            !rendered.contains("aws_internet_gateway"),
            "no-ops are not shown"
        );
        assert!(
            !rendered.contains("region"),
            "unchanged outputs are not shown"
        );
    }

    #[test]
    fn plan_without_changes() {
        let rendered = render_plan(&no_change_plan(), &Style::plain());
        assert_eq!(
            rendered,
            "No changes. Your infrastructure matches the spec.\n"
        );
    }

    #[test]
    fn an_outputs_only_plan_shows_output_changes_without_no_changes() {
        let plan = Plan {
            outputs: vec![OutputChange {
                name: "vpc_id".to_string(),
                before: Some(Value::string("vpc-1")),
                after: Some(Value::string("vpc-2")),
                sensitive: false,
            }],
            ..no_change_plan()
        };
        insta::assert_snapshot!(render_plan(&plan, &Style::plain()), @r#"
        Changes to Outputs:
          ~ vpc_id = "vpc-1" -> "vpc-2"

        You can apply this plan to save these new output values to the state, without changing any real infrastructure.
        "#);
    }

    #[test]
    fn destroy_plan_says_so() {
        let mut eip = eip_delete();
        eip.before = Some(attributes(&[("id", Value::string("eipalloc-1"))]));
        let plan = Plan {
            destroy: true,
            changes: vec![eip],
            outputs: Vec::new(),
            ..sample_plan()
        };
        insta::assert_snapshot!(render_plan(&plan, &Style::plain()), @r#"
        provision will destroy all resources of the stack, performing the following actions:

          # aws_eip.nat will be destroyed
          - resource "aws_eip" "nat" {
              - id = "eipalloc-1" -> null
            }

        Plan: 0 to add, 0 to change, 1 to destroy.
        "#);
        let empty = Plan {
            destroy: true,
            ..no_change_plan()
        };
        assert_eq!(
            render_plan(&empty, &Style::plain()),
            "No changes. No objects need to be destroyed.\n"
        );
    }

    #[test]
    fn create_before_destroy_replacement_uses_plus_minus() {
        let mut subnet = subnet_replace();
        subnet.create_before_destroy = true;
        let plan = Plan {
            changes: vec![subnet],
            outputs: Vec::new(),
            ..sample_plan()
        };
        insta::assert_snapshot!(render_plan(&plan, &Style::plain()), @r#"
        provision will perform the following actions:

          # aws_subnet.public[0] must be replaced
          # (replacement forced by cidr_block)
        +/- resource "aws_subnet" "public" {
              ~ cidr_block = "10.0.1.0/24" -> "10.0.9.0/24" # forces replacement
              ~ id         = "subnet-123" -> (known after apply)
                # (4 unchanged attributes hidden)
            }

        Plan: 1 to add, 0 to change, 1 to destroy.
        "#);
    }

    #[test]
    fn attribute_changes_given_only_as_paths_are_grouped_under_their_attribute() {
        let mut bucket = change("aws_s3_bucket.logs", "aws_s3_bucket", Action::Update);
        bucket.attribute_changes = vec![
            attribute_change(
                "tags.kubernetes.io/role",
                Some(Value::string("a")),
                Some(Value::string("b")),
            ),
            attribute_change("tags.Name", None, Some(Value::string("logs"))),
        ];
        let plan = Plan {
            changes: vec![bucket],
            outputs: Vec::new(),
            ..sample_plan()
        };
        insta::assert_snapshot!(render_plan(&plan, &Style::plain()), @r#"
        provision will perform the following actions:

          # aws_s3_bucket.logs will be updated in-place
          ~ resource "aws_s3_bucket" "logs" {
              ~ tags = {
                  + "Name"               = "logs"
                  ~ "kubernetes.io/role" = "a" -> "b"
                }
            }

        Plan: 0 to add, 1 to change, 0 to destroy.
        "#);
    }

    #[test]
    fn list_changes_show_removed_and_added_elements() {
        let mut balancer = change("aws_lb.main", "aws_lb", Action::Update);
        balancer.before = Some(attributes(&[(
            "subnets",
            strings(&["subnet-a", "subnet-b", "subnet-c"]),
        )]));
        balancer.after = Some(attributes(&[(
            "subnets",
            strings(&["subnet-a", "subnet-d", "subnet-c"]),
        )]));
        balancer.attribute_changes = vec![attribute_change(
            "subnets",
            balancer.before.as_ref().unwrap().get("subnets").cloned(),
            balancer.after.as_ref().unwrap().get("subnets").cloned(),
        )];
        let plan = Plan {
            changes: vec![balancer],
            outputs: Vec::new(),
            ..sample_plan()
        };
        insta::assert_snapshot!(render_plan(&plan, &Style::plain()), @r#"
        provision will perform the following actions:

          # aws_lb.main will be updated in-place
          ~ resource "aws_lb" "main" {
              ~ subnets = [
                  - "subnet-b",
                  + "subnet-d",
                    # (2 unchanged elements hidden)
                ]
            }

        Plan: 0 to add, 1 to change, 0 to destroy.
        "#);
    }

    #[test]
    fn plan_json_of_every_kind_of_change() {
        insta::assert_json_snapshot!(plan_json(&sample_plan()));
    }

    #[test]
    fn plan_json_marks_unknown_and_omits_no_ops() {
        let json = plan_json(&sample_plan());
        let changes = json["changes"].as_array().unwrap();
        assert_eq!(changes.len(), 5);
        let subnet = &changes[1];
        assert_eq!(subnet["action"], "replace");
        assert_eq!(subnet["attribute_changes"][1]["name"], "id");
        assert_eq!(
            subnet["attribute_changes"][1]["after"],
            serde_json::Value::Null
        );
        assert_eq!(subnet["attribute_changes"][1]["after_unknown"], true);
        assert_eq!(json["summary"]["add"], 3);
        assert_eq!(json["outputs"].as_array().unwrap().len(), 3);
    }

    #[test]
    fn sensitive_values_never_appear() {
        let plan = sample_plan();
        for style in [Style::plain(), Style::colored()] {
            let rendered = render_plan(&plan, &style);
            assert!(!rendered.contains(SECRET), "{rendered}");
            assert!(!rendered.contains(SECRET_TAG), "{rendered}");
        }
        let plain = render_plan(&plan, &Style::plain());
        assert!(plain.contains("+ password               = (sensitive value)"));
        assert!(plain.contains("+ database_password = (sensitive value)"));
        let json = plan_json(&plan).to_string();
        assert!(!json.contains(SECRET));
        assert!(!json.contains(SECRET_TAG));
        assert!(json.contains(SENSITIVE));
    }

    #[test]
    fn sensitive_whole_map_is_masked_even_when_created_or_deleted() {
        let mut secret = change("aws_secret.main", "aws_secret", Action::Delete);
        secret.before = Some(attributes(&[(
            "values",
            map(&[("token", Value::string(SECRET))]),
        )]));
        secret.sensitive_attributes = ["values".to_string()].into();
        let plan = Plan {
            changes: vec![secret],
            outputs: Vec::new(),
            ..sample_plan()
        };
        let rendered = render_plan(&plan, &Style::plain());
        assert!(rendered.contains("- values = (sensitive value) -> null"));
        assert!(!rendered.contains(SECRET));
        assert!(!rendered.contains("token"));
    }

    #[test]
    fn sensitive_key_inside_a_whole_map_change_is_masked() {
        let mut bucket = change("aws_s3_bucket.logs", "aws_s3_bucket", Action::Update);
        bucket.attribute_changes = vec![
            attribute_change(
                "tags",
                Some(map(&[("Name", Value::string("a"))])),
                Some(map(&[
                    ("Name", Value::string("b")),
                    ("Secret", Value::string(SECRET_TAG)),
                ])),
            ),
            AttributeChange {
                sensitive: true,
                ..attribute_change("tags.Secret", None, Some(Value::string(SECRET_TAG)))
            },
        ];
        let plan = Plan {
            changes: vec![bucket],
            outputs: Vec::new(),
            ..sample_plan()
        };
        let rendered = render_plan(&plan, &Style::plain());
        assert!(
            rendered.contains(r#"+ "Secret" = (sensitive value)"#),
            "{rendered}"
        );
        assert!(
            rendered.contains(r#"~ "Name"   = "a" -> "b""#),
            "{rendered}"
        );
        let json = plan_json(&plan);
        assert_eq!(
            json["changes"][0]["attribute_changes"][0]["after"],
            serde_json::json!({"Name": "b", "Secret": SENSITIVE})
        );
        assert!(!rendered.contains(SECRET_TAG));
        assert!(!json.to_string().contains(SECRET_TAG));
    }

    #[test]
    fn colors_only_decorate() {
        let plan = sample_plan();
        let plain = render_plan(&plan, &Style::plain());
        let colored = render_plan(&plan, &Style::colored());
        assert!(!plain.contains('\x1b'));
        assert!(colored.contains("\x1b[32m+\x1b[0m"));
        assert!(colored.contains("\x1b[33m~\x1b[0m"));
        assert!(colored.contains("\x1b[31m-\x1b[0m"));
        assert_eq!(strip_ansi(&colored), plain);
    }

    #[test]
    fn resource_names_come_from_addresses() {
        assert_eq!(
            resource_name("aws_subnet.public[0]", "aws_subnet"),
            "public"
        );
        assert_eq!(
            resource_name("aws_subnet.public[\"a.b\"]", "aws_subnet"),
            "public"
        );
        assert_eq!(resource_name("aws_vpc.main", "aws_vpc"), "main");
        assert_eq!(resource_name("module.net.aws_vpc.main", "aws_vpc"), "main");
    }

    #[test]
    fn list_diff_keeps_common_elements() {
        let before = strings(&["a", "b", "c"]);
        let after = strings(&["b", "c", "d"]);
        assert_eq!(
            diff_lists(before.as_list().unwrap(), after.as_list().unwrap()),
            vec![
                ListEdit::Remove(0),
                ListEdit::Keep,
                ListEdit::Keep,
                ListEdit::Add(2)
            ]
        );
    }
}
