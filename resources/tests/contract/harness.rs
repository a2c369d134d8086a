//! The contract every resource type keeps, checked through the type's own provider against
//! moto_server (one emulator for this test binary; each test has its own names and stack):
//!
//! 1. create, then the readiness wait: every schema attribute and block is present in both
//!    answers (null where AWS has nothing), so a plan after apply shows no perpetual diff, and
//!    every value the configuration set comes back as set;
//! 2. read equals what create returned, and names no key outside the schema;
//! 3. for taggable types, `list_managed` (drift's listing of untracked resources, through the
//!    Resource Groups Tagging API) finds it, and a tag change in place shows in `tags`,
//!    `tags_all` and the next read;
//! 4. delete; read is None; delete again succeeds; recover finds nothing; `list_managed` no
//!    longer finds it.
//!
//! Types whose Tagging API answers moto 5.2.1 lacks are listed in `listing::MOTO_UNLISTED`;
//! `listing.rs` checks their listing against recorded GetResources answers instead.
//!
//! Prerequisites are fixtures too, created through the same providers (each once per test, in
//! dependency order) and deleted afterwards, newest first.

use std::collections::BTreeMap;
use std::sync::{Arc, Once};

use provision_e2e::MotoServer;
use provision_resources::aws::AwsClients;
use provision_resources::{
    AttrType, Attributes, BlockNesting, ProviderContext, Registry, Resource, Schema, Value,
};

/// A minimal valid configuration of one resource type, and the fixtures it needs first.
pub struct Fixture {
    /// How other fixtures find this one's attributes in `Created`: the type name, or
    /// `type.label` for a second resource of a type.
    pub key: &'static str,
    pub type_name: &'static str,
    pub needs: Vec<fn() -> Fixture>,
    config: Box<dyn Fn(&Created) -> serde_json::Value + Send + Sync>,
    /// Why read still finds the resource after delete (a setting of another resource that
    /// AWS keeps, or no cloud object at all); the test asserts that behaviour.
    pub kept_after_delete: Option<&'static str>,
}

impl Fixture {
    /// `config` writes the attributes as a spec would (a JSON object), from what the
    /// prerequisites returned.
    pub fn new(
        type_name: &'static str,
        config: impl Fn(&Created) -> serde_json::Value + Send + Sync + 'static,
    ) -> Fixture {
        Fixture {
            key: type_name,
            type_name,
            needs: Vec::new(),
            config: Box::new(config),
            kept_after_delete: None,
        }
    }

    /// Read still finds it after delete, for `reason` (asserted).
    pub fn kept_after_delete(mut self, reason: &'static str) -> Fixture {
        self.kept_after_delete = Some(reason);
        self
    }

    /// Fixtures created (once each) before this one.
    pub fn needs(mut self, needs: &[fn() -> Fixture]) -> Fixture {
        self.needs.extend_from_slice(needs);
        self
    }

    /// A second fixture of the same type, found in `Created` under `key` (`aws_subnet.second`).
    pub fn keyed(mut self, key: &'static str) -> Fixture {
        self.key = key;
        self
    }

    pub fn config(&self, created: &Created) -> serde_json::Value {
        (self.config)(created)
    }
}

/// What the prerequisites of one test returned, and the names that test may use.
pub struct Created {
    /// Unique per type under test, so tests sharing the emulator never meet: `ct1a2b3c`.
    prefix: String,
    resources: BTreeMap<&'static str, Attributes>,
}

impl Created {
    fn new(type_name: &str) -> Created {
        Created {
            prefix: format!("ct{:06x}", hash(type_name) & 0xff_ffff),
            resources: BTreeMap::new(),
        }
    }

    /// A name unique to this test: `ct1a2b3c-label` (lower case, digits and hyphens).
    pub fn name(&self, label: &str) -> String {
        format!("{}-{label}", self.prefix)
    }

    /// The attributes a prerequisite's create returned.
    pub fn attributes(&self, key: &str) -> &Attributes {
        self.resources
            .get(key)
            .unwrap_or_else(|| panic!("fixture `{key}` is not among this fixture's needs"))
    }

    /// An attribute of a prerequisite, as JSON for `json!`.
    pub fn get(&self, key: &str, attribute: &str) -> serde_json::Value {
        let value = self
            .attributes(key)
            .get(attribute)
            .unwrap_or_else(|| panic!("`{key}` has no attribute `{attribute}`"));
        assert!(!value.is_null(), "`{key}`.`{attribute}` is null");
        value.to_json()
    }

    pub fn id(&self, key: &str) -> serde_json::Value {
        self.get(key, "id")
    }

    pub fn arn(&self, key: &str) -> serde_json::Value {
        self.get(key, "arn")
    }
}

/// FNV-1a: a stable short hash for names and idempotency tokens.
fn hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

static FAST_POLLING: Once = Once::new();

/// Clients against the shared emulator.
pub async fn moto_clients() -> Arc<AwsClients> {
    FAST_POLLING.call_once(|| std::env::set_var("PROVISION_POLL_MILLIS", "20"));
    let config = MotoServer::shared().sdk_config().await;
    Arc::new(AwsClients::from_config(&config))
}

/// The context of one resource of a test: stack `contract/<type>`, default tags, and an
/// idempotency token unique to the address.
pub fn context(clients: &Arc<AwsClients>, type_name: &str, address: &str) -> ProviderContext {
    let stack = format!("contract/{type_name}");
    let token = hash(&format!("{stack} {address}"));
    ProviderContext {
        clients: clients.clone(),
        address: address.to_string(),
        default_tags: BTreeMap::from([("Suite".to_string(), "contract".to_string())]),
        idempotency_token: format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            token >> 32,
            (token >> 16) & 0xffff,
            token & 0xfff,
            (token >> 20) & 0xfff,
            token.rotate_left(17) & 0xffff_ffff_ffff
        ),
        stack,
        progress: Default::default(),
    }
}

/// The attributes the engine hands to `create` for `config`: every schema attribute
/// (configured, else its default, else null: the planner's unknown reaches providers as null),
/// every block (empty when not written), `tags_all` from the default tags and `tags`.
pub fn planned(
    schema: &Schema,
    config: &serde_json::Value,
    default_tags: &BTreeMap<String, String>,
) -> Attributes {
    let entries = config
        .as_object()
        .unwrap_or_else(|| panic!("a fixture's config is a JSON object: {config}"));
    for key in entries.keys() {
        assert!(
            schema
                .attribute(key)
                .is_some_and(|attribute| attribute.settable())
                || schema.block(key).is_some(),
            "fixture sets `{key}`, which is not a settable attribute or block of the schema"
        );
    }
    let mut planned = Attributes::new();
    for attribute in &schema.attributes {
        let value = match entries.get(attribute.name) {
            Some(json) => attribute
                .attr_type
                .conform(&Value::from_json(json))
                .unwrap_or_else(|message| panic!("fixture `{}`: {message}", attribute.name)),
            None if attribute.computed => Value::Unknown,
            None => attribute.default.clone().unwrap_or(Value::Null),
        };
        planned.insert(attribute.name.to_string(), value);
    }
    for block in &schema.blocks {
        let value = match entries.get(block.name) {
            Some(json) => planned_blocks(&block.schema, block.nesting, json),
            None if block.computed => Value::Unknown,
            None => Value::List(Vec::new()),
        };
        planned.insert(block.name.to_string(), value);
    }
    if schema.attribute("tags_all").is_some() {
        let mut all: BTreeMap<String, Value> = default_tags
            .iter()
            .map(|(key, value)| (key.clone(), Value::string(value)))
            .collect();
        if let Some(Value::Map(tags)) = planned.get("tags") {
            all.extend(tags.clone());
        }
        planned.insert("tags_all".to_string(), Value::Map(all));
    }
    // As the apply evaluator does: what is unknown until apply reaches providers as null.
    for value in planned.values_mut() {
        strip_unknown(value);
    }
    planned
}

fn strip_unknown(value: &mut Value) {
    match value {
        Value::Unknown => *value = Value::Null,
        Value::List(items) => items.iter_mut().for_each(strip_unknown),
        Value::Map(entries) => entries.values_mut().for_each(strip_unknown),
        _ => {}
    }
}

/// A block list as written (a JSON array of objects, or one object), with each element's
/// unwritten attributes filled like the planner does.
fn planned_blocks(schema: &Schema, nesting: BlockNesting, json: &serde_json::Value) -> Value {
    let elements = match json {
        serde_json::Value::Array(elements) => elements.clone(),
        single => vec![single.clone()],
    };
    assert!(
        nesting != BlockNesting::Single || elements.len() <= 1,
        "at most one block of a single-nested kind"
    );
    Value::List(
        elements
            .iter()
            .map(|element| {
                let mut planned = planned(schema, element, &BTreeMap::new());
                // Inside a block the planner leaves unwritten computed values null and
                // unwritten blocks empty.
                for attribute in &schema.attributes {
                    if planned.get(attribute.name) == Some(&Value::Unknown) {
                        planned.insert(attribute.name.to_string(), Value::Null);
                    }
                }
                for block in &schema.blocks {
                    if planned.get(block.name) == Some(&Value::Unknown) {
                        planned.insert(block.name.to_string(), Value::List(Vec::new()));
                    }
                }
                Value::Map(planned)
            })
            .collect(),
    )
}

/// Every attribute and block of the schema is in `attributes`, and nothing else is; `id` is a
/// non-empty string.
pub fn assert_complete(schema: &Schema, attributes: &Attributes, what: &str) {
    for attribute in &schema.attributes {
        assert!(
            attributes.contains_key(attribute.name),
            "{what} lacks `{}`: {attributes:#?}",
            attribute.name
        );
    }
    for block in &schema.blocks {
        assert!(
            attributes.contains_key(block.name),
            "{what} lacks block `{}`: {attributes:#?}",
            block.name
        );
    }
    for key in attributes.keys() {
        assert!(
            schema.attribute(key).is_some() || schema.block(key).is_some(),
            "{what} returns `{key}`, which is not in the schema"
        );
    }
    for (key, value) in attributes {
        assert!(
            !value.contains_unknown(),
            "{what} returns `{key}` still unknown: {value:?}"
        );
    }
    assert!(
        attributes
            .get("id")
            .and_then(Value::as_str)
            .is_some_and(|id| !id.is_empty()),
        "{what} has no `id`: {attributes:#?}"
    );
}

/// Every value the fixture wrote comes back as written (sets in any order, JSON documents by
/// meaning, blocks by the keys written).
pub fn assert_configured(
    schema: &Schema,
    config: &serde_json::Value,
    attributes: &Attributes,
    what: &str,
) {
    let Some(entries) = config.as_object() else {
        return;
    };
    for (key, json) in entries {
        let actual = attributes.get(key).cloned().unwrap_or(Value::Null);
        let written = match schema.attribute(key) {
            Some(attribute) => attribute
                .attr_type
                .conform(&Value::from_json(json))
                .unwrap_or(Value::Null),
            None => Value::from_json(json),
        };
        let attr_type = schema.attribute(key).map(|attribute| &attribute.attr_type);
        assert!(
            covers(attr_type, &written, &actual),
            "{what}: `{key}` was written as {written:?} but came back as {actual:?}"
        );
    }
}

/// Whether `actual` holds everything `written` says.
fn covers(attr_type: Option<&AttrType>, written: &Value, actual: &Value) -> bool {
    match (attr_type, written, actual) {
        (Some(AttrType::Json), Value::String(left), Value::String(right)) => {
            serde_json::from_str::<serde_json::Value>(left).ok()
                == serde_json::from_str::<serde_json::Value>(right).ok()
        }
        (Some(AttrType::Set(_)), Value::List(left), Value::List(right)) => {
            left.len() == right.len() && left.iter().all(|item| right.contains(item))
        }
        (Some(_), left, right) => left == right,
        // A block (list of maps) or a map inside one: each written element is covered by
        // some element of the answer, keys compared as written.
        (None, Value::List(left), Value::List(right)) => {
            left.len() == right.len()
                && left
                    .iter()
                    .all(|item| right.iter().any(|other| covers(None, item, other)))
        }
        (None, Value::Map(left), Value::Map(right)) => left.iter().all(|(key, item)| {
            item.is_null()
                || right
                    .get(key)
                    .is_some_and(|other| covers(None, item, other))
        }),
        (None, left, right) => {
            left == right || left.to_template_string() == right.to_template_string()
        }
    }
}

/// The keys whose values differ between two attribute sets, for failure messages.
pub fn differences(left: &Attributes, right: &Attributes) -> Vec<String> {
    let mut keys: Vec<&String> = left.keys().chain(right.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|key| left.get(*key) != right.get(*key))
        .map(|key| {
            format!(
                "`{key}`: {:?} then {:?}",
                left.get(key).unwrap_or(&Value::Null),
                right.get(key).unwrap_or(&Value::Null)
            )
        })
        .collect()
}

/// One test's resources: the provider registry, the clients and what was created so far.
pub struct Run {
    pub registry: Registry,
    pub clients: Arc<AwsClients>,
    pub type_name: &'static str,
    pub created: Created,
    /// Prerequisites in the order they were created: (key, address), for the cleanup.
    order: Vec<(&'static str, &'static str, String)>,
}

impl Run {
    pub fn new(type_name: &'static str, clients: Arc<AwsClients>) -> Run {
        Run {
            registry: provision_resources::registry(),
            clients,
            type_name,
            created: Created::new(type_name),
            order: Vec::new(),
        }
    }

    pub fn resource(&self, type_name: &str) -> Arc<dyn Resource> {
        self.registry
            .get(type_name)
            .unwrap_or_else(|| panic!("`{type_name}` is not registered"))
            .clone()
    }

    pub fn context(&self, address: &str) -> ProviderContext {
        context(&self.clients, self.type_name, address)
    }

    /// Creates `needs` (and what they need) that this run does not have yet.
    pub async fn create_needs(&mut self, needs: &[fn() -> Fixture]) {
        for need in needs {
            let fixture = need();
            if self.created.resources.contains_key(fixture.key) {
                continue;
            }
            Box::pin(self.create_needs(&fixture.needs)).await;
            let address = if fixture.key.contains('.') {
                fixture.key.to_string()
            } else {
                format!("{}.needed", fixture.key)
            };
            let resource = self.resource(fixture.type_name);
            let context = self.context(&address);
            let desired = planned(
                resource.schema(),
                &fixture.config(&self.created),
                &context.default_tags,
            );
            let created = resource
                .create(&context, &desired)
                .await
                .unwrap_or_else(|error| panic!("create prerequisite {address}: {error}"));
            let ready = resource
                .wait_until_ready(&context, &created)
                .await
                .unwrap_or_else(|error| panic!("prerequisite {address} ready: {error}"));
            self.order.push((fixture.key, fixture.type_name, address));
            self.created.resources.insert(fixture.key, ready);
        }
    }

    /// Deletes the prerequisites, newest first.
    pub async fn delete_needs(&mut self) {
        while let Some((key, type_name, address)) = self.order.pop() {
            let attributes = self.created.resources.remove(key).unwrap_or_default();
            let id = attributes
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            self.resource(type_name)
                .delete(&self.context(&address), &id, &attributes)
                .await
                .unwrap_or_else(|error| panic!("delete prerequisite {address}: {error}"));
        }
    }
}

/// The whole contract for `fixture`'s type against the shared emulator.
pub async fn check(fixture: Fixture, expected_type: &str) {
    assert_eq!(
        fixture.type_name, expected_type,
        "the fixture is of another type"
    );
    let mut run = Run::new(fixture.type_name, moto_clients().await);
    check_with(&mut run, &fixture).await;
    run.delete_needs().await;
}

/// The contract for `fixture` within `run`, whose prerequisites it creates first.
pub async fn check_with(run: &mut Run, fixture: &Fixture) {
    run.create_needs(&fixture.needs).await;
    let resource = run.resource(fixture.type_name);
    let schema = resource.schema().clone();
    let address = format!("{}.contract", fixture.type_name);
    let context = run.context(&address);
    let config = fixture.config(&run.created);
    let desired = planned(&schema, &config, &context.default_tags);

    assert_eq!(
        resource.recover(&context, &desired).await.unwrap(),
        None,
        "recover before create"
    );
    let created = resource
        .create(&context, &desired)
        .await
        .unwrap_or_else(|error| panic!("create {address}: {error}"));
    assert_complete(&schema, &created, "create");
    let ready = resource
        .wait_until_ready(&context, &created)
        .await
        .unwrap_or_else(|error| panic!("wait for {address}: {error}"));
    assert_complete(&schema, &ready, "wait_until_ready");
    assert_configured(&schema, &config, &ready, "wait_until_ready");
    let id = ready["id"].as_str().unwrap().to_string();

    let read = resource
        .read(&context, &id, &ready)
        .await
        .unwrap_or_else(|error| panic!("read {address}: {error}"))
        .unwrap_or_else(|| panic!("read {address}: gone right after create"));
    assert_complete(&schema, &read, "read");
    assert!(
        read == ready,
        "read differs from what create returned (a perpetual diff):\n{}",
        differences(&ready, &read).join("\n")
    );

    let taggable = schema
        .attribute("tags")
        .is_some_and(|attribute| attribute.settable());
    // An alias (`aws_alb`) is listed by the type it stands for (`aws_lb`).
    let registry = provision_resources::registry();
    let lister = registry
        .get(resource.canonical_type_name())
        .cloned()
        .expect("the canonical type is registered");
    let listed_by_moto = taggable && !crate::listing::MOTO_UNLISTED.contains(&lister.type_name());
    if listed_by_moto {
        let listed = lister
            .list_managed(&context, &context.stack)
            .await
            .unwrap_or_else(|error| panic!("list_managed for {address}: {error}"));
        assert!(
            listed.contains(&(id.clone(), address.clone())),
            "list_managed (drift's unmanaged listing) does not find ({id}, {address}): {listed:?}"
        );
    }

    let mut latest = read;
    if taggable {
        let mut changed = desired.clone();
        let mut tags = match changed.get("tags") {
            Some(Value::Map(tags)) => tags.clone(),
            _ => BTreeMap::new(),
        };
        tags.insert("Contract".to_string(), Value::string("changed"));
        changed.insert("tags".to_string(), Value::Map(tags.clone()));
        if let Some(Value::Map(all)) = changed.get_mut("tags_all") {
            all.insert("Contract".to_string(), Value::string("changed"));
        }
        let updated = resource
            .update(&context, &id, &latest, &changed)
            .await
            .unwrap_or_else(|error| panic!("update tags of {address}: {error}"));
        assert_complete(&schema, &updated, "update");
        assert_eq!(updated["tags"], Value::Map(tags), "update's `tags`");
        assert_eq!(
            updated["tags_all"], changed["tags_all"],
            "update's `tags_all` (default tags and `tags`)"
        );
        let reread = resource
            .read(&context, &id, &updated)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("read {address}: gone after the tag change"));
        assert!(
            reread == updated,
            "read after the tag change differs from what update returned:\n{}",
            differences(&updated, &reread).join("\n")
        );
        latest = reread;
    }

    resource
        .delete(&context, &id, &latest)
        .await
        .unwrap_or_else(|error| panic!("delete {address}: {error}"));
    let after_delete = resource.read(&context, &id, &latest).await.unwrap();
    match fixture.kept_after_delete {
        None => assert_eq!(after_delete, None, "read after delete"),
        Some(reason) => assert!(after_delete.is_some(), "read after delete ({reason})"),
    }
    resource
        .delete(&context, &id, &latest)
        .await
        .unwrap_or_else(|error| panic!("delete of {address} again (already gone): {error}"));
    let recovered = resource.recover(&context, &desired).await.unwrap();
    match fixture.kept_after_delete {
        None => assert_eq!(recovered, None, "recover after delete"),
        // What delete leaves in the cloud may be found again, but only as itself.
        Some(reason) => {
            if let Some(found) = recovered {
                assert_eq!(
                    found.get("id"),
                    latest.get("id"),
                    "recover after delete ({reason}) finds another resource"
                );
            }
        }
    }
    if listed_by_moto {
        let listed = resource
            .list_managed(&context, &context.stack)
            .await
            .unwrap();
        assert!(
            !listed.iter().any(|(listed_id, _)| *listed_id == id),
            "list_managed still finds {id} after delete: {listed:?}"
        );
    }
}
