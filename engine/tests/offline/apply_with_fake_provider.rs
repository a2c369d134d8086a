//! The real `apply_plan` against the in-memory `fake_thing` cloud and an in-memory state store:
//! creates in dependency order with ids flowing to dependents, a failure that skips only its
//! dependents, re-plan and re-apply converging, updates, replacements, deletes, outputs,
//! pending operations and run events.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use provision_core::{ApiCallCounter, ProviderClients, Registry, Value};
use provision_engine::apply::evaluator::ApplyEvaluator;
use provision_engine::apply::{
    apply_plan, ApplyOutcome, ApplyRequest, OperationResult, SharedStore,
};
use provision_engine::plan::{Action, Plan};
use provision_engine::provider_configuration::ConfigurationClients;
use provision_engine::testing::{
    fake_registry, load_with_variables, plan_against, CallKind, FakeCloud, RecordingObserver,
    SpecFolder, TEST_STACK,
};
use provision_state::{EventRecord, ResourceRecord, ResourceStatus, RunKind, StateStore, Store};

/// A fake cloud, a registry holding `fake_thing` on it, and an in-memory state store.
struct Harness {
    cloud: FakeCloud,
    registry: Registry,
    store: SharedStore,
    clients: ProviderClients,
}

/// What one apply did.
struct Applied {
    plan: Plan,
    outcome: ApplyOutcome,
    observer: Arc<RecordingObserver>,
    run_id: i64,
}

impl Harness {
    fn new() -> Harness {
        let cloud = FakeCloud::new();
        let registry = fake_registry(&cloud);
        let mut store = Store::open_in_memory().expect("open an in-memory store");
        store.ensure_stack(TEST_STACK).expect("create the stack");
        Harness {
            cloud,
            registry,
            store: Arc::new(Mutex::new(Box::new(store) as Box<dyn StateStore>)),
            // Fakes use no clients.
            clients: Arc::new(()),
        }
    }

    fn with_store<T>(&self, work: impl FnOnce(&mut dyn StateStore) -> T) -> T {
        let mut store = self.store.lock().expect("the store lock");
        work(&mut **store)
    }

    fn state(&self) -> Vec<ResourceRecord> {
        self.with_store(|store| store.resources(TEST_STACK))
            .expect("read the state")
    }

    fn state_record(&self, address: &str) -> ResourceRecord {
        self.state()
            .into_iter()
            .find(|record| record.address == address)
            .unwrap_or_else(|| panic!("{address} is not in state"))
    }

    fn state_addresses(&self) -> BTreeSet<String> {
        self.state()
            .into_iter()
            .map(|record| record.address)
            .collect()
    }

    /// The `name`s of what state holds, sorted.
    fn state_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .state()
            .iter()
            .filter_map(|record| record.attributes.get("name")?.as_str().map(str::to_string))
            .collect();
        names.sort();
        names
    }

    fn plan(&self, folder: &SpecFolder) -> (Plan, ApplyEvaluator) {
        let (spec, variables) = load_with_variables(folder.path(), &[])
            .unwrap_or_else(|(_, diagnostics)| panic!("the spec does not load: {diagnostics:#?}"));
        let (state, serial, prior_outputs) = self.with_store(|store| {
            let outputs: BTreeMap<String, Value> = store
                .outputs(TEST_STACK)
                .expect("read outputs")
                .into_iter()
                .map(|output| (output.name, Value::from_json(&output.value)))
                .collect();
            let serial = store
                .stack(TEST_STACK)
                .expect("read the stack")
                .map(|stack| stack.serial)
                .unwrap_or(0);
            (
                store.resources(TEST_STACK).expect("read state"),
                serial,
                outputs,
            )
        });
        let mut plan = plan_against(&spec, &variables, &self.registry, &state, &prior_outputs)
            .unwrap_or_else(|diagnostics| panic!("the plan failed: {diagnostics:#?}"));
        plan.state_serial = serial;
        let evaluator = ApplyEvaluator::new(spec, variables, self.registry.clone(), None)
            .unwrap_or_else(|diagnostics| panic!("no evaluator: {diagnostics:#?}"));
        (plan, evaluator)
    }

    async fn apply(&self, folder: &SpecFolder) -> Applied {
        self.apply_with_parallelism(folder, 4).await
    }

    async fn apply_with_parallelism(&self, folder: &SpecFolder, parallelism: usize) -> Applied {
        self.apply_excluding(folder, parallelism, &[]).await
    }

    /// Applies with `--exclude` semantics: `excluded` and what depends on them left out.
    async fn apply_excluding(
        &self,
        folder: &SpecFolder,
        parallelism: usize,
        excluded: &[String],
    ) -> Applied {
        let (mut plan, evaluator) = self.plan(folder);
        plan.exclude(excluded);
        let run_id = self
            .with_store(|store| store.start_run(TEST_STACK, RunKind::Apply, "test"))
            .expect("start a run");
        let observer = Arc::new(RecordingObserver::default());
        let outcome = apply_plan(ApplyRequest {
            plan: plan.clone(),
            evaluator,
            clients: ConfigurationClients::single(self.clients.clone(), ApiCallCounter::default()),
            store: self.store.clone(),
            run_id,
            parallelism,
            observer: observer.clone(),
            cancelled: Arc::new(AtomicBool::new(false)),
            wait: true,
        })
        .await;
        Applied {
            plan,
            outcome,
            observer,
            run_id,
        }
    }

    fn events(&self, run_id: i64) -> Vec<EventRecord> {
        self.with_store(|store| store.events(run_id))
            .expect("read events")
    }

    fn pending_operation_count(&self) -> usize {
        self.with_store(|store| store.pending_operations(TEST_STACK))
            .expect("read pending operations")
            .len()
    }

    /// State and cloud agree: the same names, and each record's cloud id exists with the
    /// record's attributes.
    fn assert_state_matches_cloud(&self) {
        assert_eq!(
            self.state_names(),
            self.cloud.names(),
            "state and cloud differ"
        );
        let objects = self.cloud.objects();
        for record in self.state() {
            let cloud_id = record.cloud_id.clone().expect("a cloud id in state");
            let object = objects
                .get(&cloud_id)
                .unwrap_or_else(|| panic!("{} ({cloud_id}) is not in the cloud", record.address));
            assert_eq!(
                Value::Map(object.clone()).to_json(),
                record.attributes,
                "{}",
                record.address
            );
            assert_eq!(record.status, ResourceStatus::Ready, "{}", record.address);
        }
    }
}

fn position(calls: &[String], address: &str) -> usize {
    calls
        .iter()
        .position(|called| called == address)
        .unwrap_or_else(|| panic!("{address} was not called: {calls:?}"))
}

fn cloud_attribute(cloud: &FakeCloud, name: &str, attribute: &str) -> Value {
    cloud
        .object_named(name)
        .unwrap_or_else(|| panic!("no {name} in the cloud"))
        .get(attribute)
        .cloned()
        .unwrap_or(Value::Null)
}

const CHAIN_AND_LONER: &str = r#"
    resource "fake_thing" "c" {
      name      = "c"
      parent_id = fake_thing.b.id
    }
    resource "fake_thing" "b" {
      name      = "b"
      parent_id = fake_thing.a.id
      tags      = { parent_arn = fake_thing.a.arn }
    }
    resource "fake_thing" "a" { name = "a" }
    resource "fake_thing" "loner" { name = "loner" }

    output "c_id" { value = fake_thing.c.id }
"#;

#[tokio::test]
async fn apply_creates_everything_in_dependency_order_with_ids_flowing_to_dependents() {
    let harness = Harness::new();
    let folder = SpecFolder::with_main(CHAIN_AND_LONER);
    let applied = harness.apply(&folder).await;

    assert!(applied.outcome.succeeded(), "{:?}", applied.outcome);
    assert_eq!(applied.outcome.added, 4);
    let creates = harness.cloud.addresses_called(CallKind::Create);
    assert_eq!(creates.len(), 4);
    assert!(position(&creates, "fake_thing.a") < position(&creates, "fake_thing.b"));
    assert!(position(&creates, "fake_thing.b") < position(&creates, "fake_thing.c"));

    let a_id = cloud_attribute(&harness.cloud, "a", "id");
    let b_id = cloud_attribute(&harness.cloud, "b", "id");
    assert_eq!(cloud_attribute(&harness.cloud, "b", "parent_id"), a_id);
    assert_eq!(cloud_attribute(&harness.cloud, "c", "parent_id"), b_id);
    assert_eq!(
        cloud_attribute(&harness.cloud, "b", "tags").get("parent_arn"),
        Some(&cloud_attribute(&harness.cloud, "a", "arn"))
    );

    harness.assert_state_matches_cloud();
    assert_eq!(
        harness.state_record("fake_thing.c").dependencies,
        vec!["fake_thing.b"]
    );
    assert_eq!(harness.pending_operation_count(), 0);
    let outputs = harness
        .with_store(|store| store.outputs(TEST_STACK))
        .expect("read outputs");
    let c_id = cloud_attribute(&harness.cloud, "c", "id");
    assert_eq!(
        outputs
            .iter()
            .map(|output| (output.name.as_str(), Value::from_json(&output.value)))
            .collect::<Vec<_>>(),
        vec![("c_id", c_id)]
    );
}

#[tokio::test]
async fn apply_records_a_creating_then_ok_event_per_resource() {
    let harness = Harness::new();
    let folder = SpecFolder::with_main(CHAIN_AND_LONER);
    let applied = harness.apply(&folder).await;
    let events = harness.events(applied.run_id);
    for address in [
        "fake_thing.a",
        "fake_thing.b",
        "fake_thing.c",
        "fake_thing.loner",
    ] {
        let statuses: Vec<(&str, &str)> = events
            .iter()
            .filter(|event| event.address == address)
            .map(|event| (event.action.as_str(), event.status.as_str()))
            .collect();
        assert_eq!(
            statuses,
            vec![("create", "creating"), ("create", "ok")],
            "{address}"
        );
    }
    let succeeded = applied
        .observer
        .finished_where(|result| matches!(result, OperationResult::Succeeded { .. }));
    assert_eq!(succeeded.len(), 4);
}

#[tokio::test]
async fn with_parallelism_one_the_longest_chain_starts_first() {
    let harness = Harness::new();
    let folder = SpecFolder::with_main(CHAIN_AND_LONER);
    let applied = harness.apply_with_parallelism(&folder, 1).await;
    assert!(applied.outcome.succeeded(), "{:?}", applied.outcome);
    assert_eq!(
        harness.cloud.addresses_called(CallKind::Create),
        vec![
            "fake_thing.a",
            "fake_thing.b",
            "fake_thing.c",
            "fake_thing.loner"
        ]
    );
}

const FAILURE_IN_THE_MIDDLE: &str = r#"
    resource "fake_thing" "a" { name = "a" }
    resource "fake_thing" "b" {
      name      = "b"
      parent_id = fake_thing.a.id
    }
    resource "fake_thing" "c" {
      name      = "c"
      parent_id = fake_thing.b.id
    }
    resource "fake_thing" "d" {
      name      = "d"
      parent_id = fake_thing.a.id
    }
    resource "fake_thing" "loner" { name = "loner" }
"#;

#[tokio::test]
async fn a_failure_skips_only_its_dependents_and_state_holds_what_the_cloud_holds() {
    let harness = Harness::new();
    harness.cloud.fail_for("b");
    let folder = SpecFolder::with_main(FAILURE_IN_THE_MIDDLE);
    let applied = harness.apply(&folder).await;

    let outcome = &applied.outcome;
    assert!(!outcome.succeeded());
    assert_eq!(
        outcome
            .failed
            .iter()
            .map(|(address, _)| address.as_str())
            .collect::<Vec<_>>(),
        vec!["fake_thing.b"]
    );
    assert!(
        outcome.failed[0].1.contains("InvalidParameterValue"),
        "{:?}",
        outcome.failed
    );
    assert_eq!(
        outcome.skipped,
        vec![(
            "fake_thing.c".to_string(),
            "fake_thing.b failed".to_string()
        )]
    );
    assert_eq!(outcome.added, 3);
    assert!(!harness
        .cloud
        .addresses_called(CallKind::Create)
        .contains(&"fake_thing.c".to_string()));

    assert_eq!(harness.cloud.names(), vec!["a", "d", "loner"]);
    harness.assert_state_matches_cloud();
    assert_eq!(
        harness.state_addresses(),
        BTreeSet::from([
            "fake_thing.a".to_string(),
            "fake_thing.d".to_string(),
            "fake_thing.loner".to_string()
        ])
    );
    // AWS said no: nothing was made, so nothing is left pending.
    assert_eq!(harness.pending_operation_count(), 0);

    let events = harness.events(applied.run_id);
    let event_of = |address: &str| {
        events
            .iter()
            .filter(|event| event.address == address)
            .map(|event| (event.action.clone(), event.status.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        event_of("fake_thing.b"),
        vec![("create".to_string(), "failed".to_string())]
    );
    assert_eq!(
        event_of("fake_thing.c"),
        vec![("skip".to_string(), "skipped".to_string())]
    );
    let skipped = applied
        .observer
        .finished_where(|result| matches!(result, OperationResult::Skipped { .. }));
    assert_eq!(skipped, vec!["fake_thing.c"]);
}

#[tokio::test]
async fn after_fixing_a_failure_a_replan_creates_the_rest_and_then_converges() {
    let harness = Harness::new();
    harness.cloud.fail_for("b");
    let folder = SpecFolder::with_main(FAILURE_IN_THE_MIDDLE);
    harness.apply(&folder).await;

    harness.cloud.stop_failing_for("b");
    harness.cloud.forget_calls();
    let second = harness.apply(&folder).await;
    let planned: BTreeMap<String, Action> = second
        .plan
        .changes
        .iter()
        .map(|change| (change.address.clone(), change.action))
        .collect();
    assert_eq!(planned["fake_thing.a"], Action::NoOp);
    assert_eq!(planned["fake_thing.b"], Action::Create);
    assert_eq!(planned["fake_thing.c"], Action::Create);
    assert_eq!(planned["fake_thing.d"], Action::NoOp);
    assert!(second.outcome.succeeded(), "{:?}", second.outcome);
    assert_eq!(
        harness.cloud.addresses_called(CallKind::Create),
        vec!["fake_thing.b", "fake_thing.c"]
    );
    assert_eq!(harness.cloud.names(), vec!["a", "b", "c", "d", "loner"]);
    harness.assert_state_matches_cloud();

    let (third, _) = harness.plan(&folder);
    assert!(!third.has_changes(), "{:#?}", third.changes);
}

#[tokio::test]
async fn an_applied_spec_plans_no_changes() {
    let harness = Harness::new();
    let folder = SpecFolder::with_main(
        r#"variable "token" {
             type      = string
             sensitive = true
             default   = "s3cret"
           }
           resource "fake_thing" "a" {
             name   = "a"
             size   = 3
             secret = var.token
             tags   = { team = "edge" }
             rule {
               port = 443
             }
             rule {
               port     = 53
               protocol = "udp"
             }
           }
           resource "fake_thing" "b" {
             name      = "b"
             parent_id = fake_thing.a.id
           }"#,
    );
    let applied = harness.apply(&folder).await;
    assert!(applied.outcome.succeeded(), "{:?}", applied.outcome);
    let (again, _) = harness.plan(&folder);
    assert!(!again.has_changes(), "{:#?}", again.changes);
    assert!(!again.has_output_changes());
    assert!(harness
        .state_record("fake_thing.a")
        .sensitive_attributes
        .contains(&"secret".to_string()));
}

#[tokio::test]
async fn update_replace_and_delete_reach_the_cloud_and_state() {
    let harness = Harness::new();
    let folder = SpecFolder::with_main(
        r#"resource "fake_thing" "tagged" { name = "tagged" }
           resource "fake_thing" "renamed" { name = "before" }
           resource "fake_thing" "removed" { name = "removed" }"#,
    );
    harness.apply(&folder).await;
    let tagged_id = harness.state_record("fake_thing.tagged").cloud_id;
    let renamed_id = harness.state_record("fake_thing.renamed").cloud_id;
    harness.cloud.forget_calls();

    folder.write(&[(
        "main.tf",
        r#"resource "fake_thing" "tagged" {
             name = "tagged"
             tags = { env = "dev" }
           }
           resource "fake_thing" "renamed" { name = "after" }"#,
    )]);
    let applied = harness.apply(&folder).await;
    assert!(applied.outcome.succeeded(), "{:?}", applied.outcome);
    assert_eq!(
        (
            applied.outcome.added,
            applied.outcome.changed,
            applied.outcome.destroyed
        ),
        (1, 1, 2)
    );
    assert_eq!(harness.cloud.names(), vec!["after", "tagged"]);
    harness.assert_state_matches_cloud();
    // The update kept the cloud object; the replacement made a new one.
    assert_eq!(
        harness.state_record("fake_thing.tagged").cloud_id,
        tagged_id
    );
    assert_ne!(
        harness.state_record("fake_thing.renamed").cloud_id,
        renamed_id
    );
    let calls: Vec<(CallKind, String)> = harness
        .cloud
        .calls()
        .into_iter()
        .filter(|call| call.kind != CallKind::Read)
        .map(|call| (call.kind, call.address))
        .collect();
    let renamed_delete = calls
        .iter()
        .position(|call| *call == (CallKind::Delete, "fake_thing.renamed".to_string()))
        .expect("the old object is deleted");
    let renamed_create = calls
        .iter()
        .position(|call| *call == (CallKind::Create, "fake_thing.renamed".to_string()))
        .expect("the new object is created");
    assert!(renamed_delete < renamed_create, "{calls:?}");
    assert_eq!(harness.pending_operation_count(), 0);
    let (again, _) = harness.plan(&folder);
    assert!(!again.has_changes(), "{:#?}", again.changes);
}

#[tokio::test]
async fn a_create_before_destroy_replacement_creates_first_and_leaves_no_deposed_object() {
    let harness = Harness::new();
    let spec = |name: &str| {
        format!(
            r#"resource "fake_thing" "a" {{
                 name = "{name}"
                 lifecycle {{
                   create_before_destroy = true
                 }}
               }}"#
        )
    };
    let folder = SpecFolder::with_main(&spec("first"));
    harness.apply(&folder).await;
    harness.cloud.forget_calls();
    folder.write(&[("main.tf", &spec("second"))]);
    let applied = harness.apply(&folder).await;
    assert!(applied.outcome.succeeded(), "{:?}", applied.outcome);
    let calls: Vec<CallKind> = harness
        .cloud
        .calls()
        .into_iter()
        .map(|call| call.kind)
        .filter(|kind| *kind != CallKind::Read)
        .collect();
    assert_eq!(calls, vec![CallKind::Create, CallKind::Delete]);
    assert_eq!(harness.cloud.names(), vec!["second"]);
    assert_eq!(
        harness.state_addresses(),
        BTreeSet::from(["fake_thing.a".to_string()])
    );
    harness.assert_state_matches_cloud();
}

#[tokio::test]
async fn deletes_run_dependents_first_and_a_failed_delete_stays_in_state() {
    let harness = Harness::new();
    let folder = SpecFolder::with_main(
        r#"resource "fake_thing" "a" { name = "a" }
           resource "fake_thing" "b" {
             name      = "b"
             parent_id = fake_thing.a.id
           }
           resource "fake_thing" "c" {
             name      = "c"
             parent_id = fake_thing.b.id
           }
           resource "fake_thing" "stubborn" { name = "stubborn" }"#,
    );
    harness.apply(&folder).await;
    harness.cloud.forget_calls();
    harness.cloud.fail_for("stubborn");
    folder.write(&[("main.tf", "")]);
    let applied = harness.apply(&folder).await;
    // The stubborn one runs beside the chain: only the chain's order is fixed.
    let chain: Vec<String> = harness
        .cloud
        .addresses_called(CallKind::Delete)
        .into_iter()
        .filter(|address| address != "fake_thing.stubborn")
        .collect();
    assert_eq!(chain, vec!["fake_thing.c", "fake_thing.b", "fake_thing.a"]);
    assert_eq!(
        applied
            .outcome
            .failed
            .iter()
            .map(|(address, _)| address.as_str())
            .collect::<Vec<_>>(),
        vec!["fake_thing.stubborn"]
    );
    assert_eq!(applied.outcome.destroyed, 3);
    assert_eq!(harness.cloud.names(), vec!["stubborn"]);
    harness.assert_state_matches_cloud();
    assert_eq!(harness.pending_operation_count(), 0);
}

#[tokio::test]
async fn excluded_blocks_and_their_dependents_are_left_out_until_included() {
    let harness = Harness::new();
    let folder = SpecFolder::with_main(
        r#"resource "fake_thing" "a" { name = "a" }
           resource "fake_thing" "b" {
             name      = "b"
             parent_id = fake_thing.a.id
           }
           resource "fake_thing" "c" {
             count = 2
             name  = "c${count.index}"
           }"#,
    );
    let (mut plan, _) = harness.plan(&folder);
    let left_out = plan.exclude(&["fake_thing.a".to_string(), "fake_thing.c[1]".to_string()]);
    assert_eq!(
        left_out,
        vec!["fake_thing.a", "fake_thing.b", "fake_thing.c[1]"]
    );
    assert_eq!(plan.summary().add, 1);
    let applied = harness
        .apply_excluding(&folder, 4, &["fake_thing.a".to_string()])
        .await;
    assert!(applied.outcome.succeeded());
    assert_eq!(harness.cloud.names(), vec!["c0", "c1"]);
    // The block's instances exist now: excluding them leaves out no change.
    let (mut plan, _) = harness.plan(&folder);
    assert!(plan.exclude(&["fake_thing.c".to_string()]).is_empty());
    assert_eq!(plan.summary().add, 2);
    harness.apply(&folder).await;
    assert_eq!(harness.cloud.names(), vec!["a", "b", "c0", "c1"]);
    // A destroy that excludes b keeps a too: b depends on it.
    folder.write(&[("main.tf", "")]);
    let applied = harness
        .apply_excluding(&folder, 4, &["fake_thing.b".to_string()])
        .await;
    assert!(applied.outcome.succeeded());
    assert_eq!(harness.cloud.names(), vec!["a", "b"]);
    harness.assert_state_matches_cloud();
}

#[tokio::test]
async fn a_deferred_delete_keeps_the_resource_in_state_without_failing_the_run() {
    let harness = Harness::new();
    let folder = SpecFolder::with_main(
        r#"resource "fake_thing" "edge" { name = "edge" }
           resource "fake_thing" "other" { name = "other" }"#,
    );
    harness.apply(&folder).await;
    harness.cloud.defer_delete_of("edge");
    folder.write(&[("main.tf", "")]);
    let applied = harness.apply(&folder).await;
    assert!(applied.outcome.succeeded(), "{:?}", applied.outcome);
    assert_eq!(applied.outcome.destroyed, 1);
    assert_eq!(
        applied
            .outcome
            .deferred
            .iter()
            .map(|(address, why)| (address.as_str(), why.as_str()))
            .collect::<Vec<_>>(),
        vec![("fake_thing.edge", "edge is still held")]
    );
    assert_eq!(harness.state_names(), vec!["edge"]);
    harness.assert_state_matches_cloud();
    assert_eq!(harness.pending_operation_count(), 0);
    // Once the cloud lets go, the next run deletes it.
    harness.cloud.stop_deferring_delete_of("edge");
    let applied = harness.apply(&folder).await;
    assert!(applied.outcome.succeeded());
    assert!(applied.outcome.deferred.is_empty());
    assert!(harness.state_names().is_empty());
    assert!(harness.cloud.names().is_empty());
}

#[tokio::test]
async fn create_before_destroy_on_a_dependent_spreads_to_its_replaced_dependency() {
    let harness = Harness::new();
    let spec = |parent: &str| {
        format!(
            r#"resource "fake_thing" "parent" {{ name = "{parent}" }}
               resource "fake_thing" "child" {{
                 name      = "child"
                 parent_id = fake_thing.parent.id
                 lifecycle {{
                   create_before_destroy = true
                 }}
               }}"#
        )
    };
    let folder = SpecFolder::with_main(&spec("parent-1"));
    harness.apply(&folder).await;
    harness.cloud.forget_calls();
    folder.write(&[("main.tf", &spec("parent-2"))]);
    let applied = harness.apply(&folder).await;
    assert_eq!(applied.plan.summary().add, 2);
    // create_before_destroy spreads to the parent (as in Terraform): both are replaced, new
    // objects first, and only the new ones remain.
    assert!(applied.outcome.succeeded(), "{:?}", applied.outcome);
    assert_eq!((applied.outcome.added, applied.outcome.destroyed), (2, 2));
    assert_eq!(harness.cloud.names(), vec!["child", "parent-2"]);
    harness.assert_state_matches_cloud();
}

#[tokio::test]
async fn an_update_sees_the_new_id_of_a_dependency_replaced_in_the_same_apply() {
    let harness = Harness::new();
    let spec = |parent: &str| {
        format!(
            r#"resource "fake_thing" "parent" {{ name = "{parent}" }}
               resource "fake_thing" "child" {{
                 name = "child"
                 tags = {{ parent = fake_thing.parent.id }}
               }}"#
        )
    };
    let folder = SpecFolder::with_main(&spec("parent-1"));
    harness.apply(&folder).await;
    let child_id = harness.state_record("fake_thing.child").cloud_id;
    folder.write(&[("main.tf", &spec("parent-2"))]);
    let applied = harness.apply(&folder).await;
    assert!(applied.outcome.succeeded(), "{:?}", applied.outcome);
    let child = applied
        .plan
        .changes
        .iter()
        .find(|change| change.address == "fake_thing.child")
        .expect("the child is planned");
    assert_eq!(child.action, Action::Update);
    assert_eq!(
        cloud_attribute(&harness.cloud, "child", "tags").get("parent"),
        Some(&cloud_attribute(&harness.cloud, "parent-2", "id"))
    );
    assert_eq!(harness.state_record("fake_thing.child").cloud_id, child_id);
    harness.assert_state_matches_cloud();
}

#[tokio::test]
async fn a_cancelled_apply_starts_nothing_and_says_so() {
    let harness = Harness::new();
    let folder = SpecFolder::with_main(CHAIN_AND_LONER);
    let (plan, evaluator) = harness.plan(&folder);
    let run_id = harness
        .with_store(|store| store.start_run(TEST_STACK, RunKind::Apply, "test"))
        .expect("start a run");
    let outcome = apply_plan(ApplyRequest {
        plan,
        evaluator,
        clients: ConfigurationClients::single(harness.clients.clone(), ApiCallCounter::default()),
        store: harness.store.clone(),
        run_id,
        parallelism: 4,
        observer: Arc::new(RecordingObserver::default()),
        cancelled: Arc::new(AtomicBool::new(true)),
        wait: true,
    })
    .await;
    assert!(outcome.interrupted);
    assert_eq!(outcome.not_started, 4);
    assert!(!outcome.succeeded());
    assert!(harness.cloud.calls().is_empty());
    assert!(harness.state().is_empty());
}
