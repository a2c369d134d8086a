//! The order `ApplyGraph::build` puts a plan's operations in: creates after what they depend on,
//! deletes in reverse dependency order (from the dependencies state recorded), replacements as
//! delete-then-create or create-then-delete, priorities as the heaviest expected path behind a
//! node (each operation weighted by its type's expected duration), and the order the scheduler
//! (`Schedule`) starts ready operations in under a bound; which deletes may run beside their
//! dependents' (`deleted_before_dependent`); a tainted resource planned as a replacement.

use std::collections::{BTreeMap, BTreeSet};

use petgraph::algo::has_path_connecting;
use petgraph::graph::NodeIndex;
use provision_engine::graph::apply_graph::{
    expected_seconds, ApplyGraph, Operation, OperationKind, Schedule,
};
use provision_engine::plan::planner::{make_plan, PlanRequest};
use provision_engine::plan::{Action, Plan};
use provision_engine::testing::{
    fake_registry, load_with_variables, plan_against, thing_record, FakeCloud, SpecFolder,
    TEST_STACK,
};
use provision_state::ResourceRecord;
use serde_json::json;

fn plan(spec_text: &str, state: &[ResourceRecord]) -> Plan {
    plan_with(spec_text, state, false)
}

fn plan_with(spec_text: &str, state: &[ResourceRecord], destroy: bool) -> Plan {
    let folder = SpecFolder::with_main(spec_text);
    let (spec, variables) = load_with_variables(folder.path(), &[])
        .unwrap_or_else(|(_, diagnostics)| panic!("the spec does not load: {diagnostics:#?}"));
    let registry = fake_registry(&FakeCloud::new());
    let result = if destroy {
        make_plan(&PlanRequest {
            spec: &spec,
            variables: &variables,
            registry: &registry,
            stack: TEST_STACK,
            environment: None,
            state,
            state_serial: 0,
            prior_outputs: &BTreeMap::new(),
            destroy: true,
        })
    } else {
        plan_against(&spec, &variables, &registry, state, &BTreeMap::new())
    };
    result.unwrap_or_else(|diagnostics| panic!("the plan failed: {diagnostics:#?}"))
}

/// A thing in state named after the last part of its address, with its recorded dependencies.
fn existing(address: &str, id: &str, dependencies: &[&str]) -> ResourceRecord {
    let name = address.rsplit('.').next().unwrap_or(address);
    thing_record(
        address,
        json!({
            "id": id,
            "arn": format!("arn:fake:thing/{id}"),
            "name": name,
            "size": 1,
            "rule": [],
        }),
        dependencies,
    )
}

/// `create fake_thing.a`, `delete fake_thing.a (replacing)`.
fn label(operation: &Operation) -> String {
    let kind = match operation.kind {
        OperationKind::Create => "create",
        OperationKind::Update => "update",
        OperationKind::Delete => "delete",
        OperationKind::Read => "read",
    };
    let replacing = if operation.replacing {
        " (replacing)"
    } else {
        ""
    };
    format!("{kind} {}{replacing}", operation.address)
}

fn labels(graph: &ApplyGraph) -> BTreeSet<String> {
    graph
        .graph
        .node_indices()
        .map(|node| label(&graph.graph[node]))
        .collect()
}

/// Every "must finish before" edge, as labels.
fn edges(graph: &ApplyGraph) -> BTreeSet<(String, String)> {
    graph
        .graph
        .edge_indices()
        .filter_map(|edge| graph.graph.edge_endpoints(edge))
        .map(|(from, to)| (label(&graph.graph[from]), label(&graph.graph[to])))
        .collect()
}

fn edge(from: &str, to: &str) -> (String, String) {
    (from.to_string(), to.to_string())
}

fn node(graph: &ApplyGraph, wanted: &str) -> NodeIndex {
    graph
        .graph
        .node_indices()
        .find(|node| label(&graph.graph[*node]) == wanted)
        .unwrap_or_else(|| panic!("no node `{wanted}` in {:#?}", labels(graph)))
}

fn runs_before(graph: &ApplyGraph, first: &str, second: &str) -> bool {
    has_path_connecting(&graph.graph, node(graph, first), node(graph, second), None)
}

const CHAIN_AND_LONER: &str = r#"
    resource "fake_thing" "c" {
      name      = "c"
      parent_id = fake_thing.b.id
    }
    resource "fake_thing" "b" {
      name      = "b"
      parent_id = fake_thing.a.id
    }
    resource "fake_thing" "a" { name = "a" }
    resource "fake_thing" "loner" { name = "loner" }
"#;

#[test]
fn creates_follow_their_dependencies() {
    let graph = ApplyGraph::build(&plan(CHAIN_AND_LONER, &[]));
    assert_eq!(graph.len(), 4);
    assert_eq!(
        edges(&graph),
        BTreeSet::from([
            edge("create fake_thing.a", "create fake_thing.b"),
            edge("create fake_thing.b", "create fake_thing.c"),
        ])
    );
}

#[test]
fn priority_is_the_longest_chain_starting_at_a_node() {
    let graph = ApplyGraph::build(&plan(CHAIN_AND_LONER, &[]));
    let priority = |wanted: &str| graph.priority[&node(&graph, wanted)];
    assert_eq!(priority("create fake_thing.a"), 3);
    assert_eq!(priority("create fake_thing.b"), 2);
    assert_eq!(priority("create fake_thing.c"), 1);
    assert_eq!(priority("create fake_thing.loner"), 1);
    assert_eq!(graph.longest_chain(), 3);
}

#[test]
fn priority_takes_the_longest_of_several_branches() {
    let graph = ApplyGraph::build(&plan(
        r#"resource "fake_thing" "root" { name = "root" }
           resource "fake_thing" "short" {
             name      = "short"
             parent_id = fake_thing.root.id
           }
           resource "fake_thing" "long_1" {
             name      = "long_1"
             parent_id = fake_thing.root.id
           }
           resource "fake_thing" "long_2" {
             name      = "long_2"
             parent_id = fake_thing.long_1.id
           }"#,
        &[],
    ));
    assert_eq!(graph.priority[&node(&graph, "create fake_thing.root")], 3);
    assert_eq!(graph.priority[&node(&graph, "create fake_thing.short")], 1);
}

/// Runs `plan`'s graph through the scheduler with `parallelism` slots on a simulated clock,
/// each operation taking its type's expected seconds: the order operations started in and when
/// the last one finished (simulated seconds; no real time is measured).
fn simulate(plan: &Plan, parallelism: usize) -> (Vec<String>, u64) {
    let graph = ApplyGraph::build(plan);
    let mut schedule = Schedule::new(&graph);
    let mut running: Vec<(u64, NodeIndex)> = Vec::new();
    let mut started = Vec::new();
    let mut now = 0;
    loop {
        while running.len() < parallelism {
            let Some(next) = schedule.take_next() else {
                break;
            };
            let operation = &graph.graph[next];
            started.push(label(operation));
            let seconds =
                expected_seconds(&plan.changes[operation.change].type_name, operation.kind);
            running.push((now + seconds, next));
        }
        if running.is_empty() {
            break;
        }
        running.sort_by_key(|(end, node)| (*end, node.index()));
        let (end, finished) = running.remove(0);
        now = end;
        schedule.succeeded(finished);
    }
    assert_eq!(started.len(), graph.len(), "every operation started once");
    (started, now)
}

/// A chain of `links` things beside `leaves` independent ones, leaves first in the spec.
fn chain_beside_leaves(links: usize, leaves: usize) -> String {
    let mut text = format!(
        "resource \"fake_thing\" \"leaf\" {{\n  count = {leaves}\n  name = \"leaf-${{count.index}}\"\n}}\n"
    );
    text.push_str("resource \"fake_thing\" \"link0\" { name = \"link0\" }\n");
    for link in 1..links {
        text.push_str(&format!(
            "resource \"fake_thing\" \"link{link}\" {{\n  name = \"link{link}\"\n  parent_id = fake_thing.link{}.id\n}}\n",
            link - 1
        ));
    }
    text
}

#[test]
fn with_a_bound_a_chain_beside_many_leaves_takes_no_longer_than_unbounded() {
    let plan = plan(&chain_beside_leaves(7, 30), &[]);
    let (started, bounded) = simulate(&plan, 10);
    let (_, unbounded) = simulate(&plan, 1000);
    // The chain's head starts in the first wave although 30 leaves come before it in the plan.
    assert_eq!(started[0], "create fake_thing.link0", "{started:?}");
    assert_eq!(unbounded, 7);
    assert_eq!(bounded, unbounded, "{started:?}");
}

#[test]
fn each_link_of_a_chain_starts_before_any_waiting_leaf() {
    let plan = plan(&chain_beside_leaves(3, 4), &[]);
    let (started, _) = simulate(&plan, 1);
    assert_eq!(
        &started[..3],
        [
            "create fake_thing.link0",
            "create fake_thing.link1",
            "create fake_thing.link2"
        ],
        "{started:?}"
    );
}

#[test]
fn a_slow_type_outweighs_a_longer_chain_of_quick_ones() {
    // As if `loner` were a NAT gateway (two minutes) beside a chain of three quick resources.
    let mut plan = plan(CHAIN_AND_LONER, &[]);
    for change in &mut plan.changes {
        if change.address == "fake_thing.loner" {
            change.type_name = "aws_nat_gateway".to_string();
        }
    }
    let graph = ApplyGraph::build(&plan);
    let priority = |wanted: &str| graph.priority[&node(&graph, wanted)];
    assert_eq!(priority("create fake_thing.loner"), 120);
    assert_eq!(priority("create fake_thing.a"), 3);
    assert_eq!(
        graph.longest_chain(),
        3,
        "the chain still counts operations"
    );
    let (started, finished) = simulate(&plan, 1);
    assert_eq!(started[0], "create fake_thing.loner", "{started:?}");
    assert_eq!(finished, 123);
}

#[test]
fn the_expected_durations_rank_the_slow_types() {
    let create = |type_name| expected_seconds(type_name, OperationKind::Create);
    assert!(create("aws_rds_cluster") > create("aws_cloudfront_distribution"));
    assert!(create("aws_cloudfront_distribution") > create("aws_ecs_service"));
    assert!(create("aws_ecs_service") > create("aws_nat_gateway"));
    assert!(create("aws_nat_gateway") > create("aws_subnet"));
    assert_eq!(create("aws_subnet"), 1);
    assert!(
        expected_seconds("aws_cloudfront_distribution", OperationKind::Delete)
            > expected_seconds("aws_subnet", OperationKind::Delete)
    );
}

#[test]
fn no_ops_are_not_in_the_graph() {
    let state = [existing("fake_thing.a", "thing-1", &[])];
    let graph = ApplyGraph::build(&plan(r#"resource "fake_thing" "a" { name = "a" }"#, &state));
    assert!(graph.is_empty());
    assert_eq!(graph.longest_chain(), 0);
}

#[test]
fn deletes_run_in_reverse_dependency_order_from_state() {
    let state = [
        existing("fake_thing.a", "thing-1", &[]),
        existing("fake_thing.b", "thing-2", &["fake_thing.a"]),
        existing("fake_thing.c", "thing-3", &["fake_thing.b"]),
    ];
    let graph = ApplyGraph::build(&plan("", &state));
    assert_eq!(
        edges(&graph),
        BTreeSet::from([
            edge("delete fake_thing.c", "delete fake_thing.b"),
            edge("delete fake_thing.b", "delete fake_thing.a"),
        ])
    );
    assert_eq!(graph.priority[&node(&graph, "delete fake_thing.c")], 3);
}

#[test]
fn a_destroy_plan_deletes_dependents_first() {
    let state = [
        existing("fake_thing.a", "thing-1", &[]),
        existing("fake_thing.b", "thing-2", &["fake_thing.a"]),
    ];
    let plan = plan_with(
        r#"resource "fake_thing" "a" { name = "a" }
           resource "fake_thing" "b" {
             name      = "b"
             parent_id = fake_thing.a.id
           }"#,
        &state,
        true,
    );
    let graph = ApplyGraph::build(&plan);
    assert_eq!(
        edges(&graph),
        BTreeSet::from([edge("delete fake_thing.b", "delete fake_thing.a")])
    );
}

#[test]
fn a_replacement_deletes_then_creates() {
    let state = [existing("fake_thing.a", "thing-1", &[])];
    let graph = ApplyGraph::build(&plan(
        r#"resource "fake_thing" "a" { name = "renamed" }"#,
        &state,
    ));
    assert_eq!(
        edges(&graph),
        BTreeSet::from([edge(
            "delete fake_thing.a (replacing)",
            "create fake_thing.a (replacing)"
        )])
    );
}

#[test]
fn a_create_before_destroy_replacement_creates_then_deletes() {
    let state = [existing("fake_thing.a", "thing-1", &[])];
    let graph = ApplyGraph::build(&plan(
        r#"resource "fake_thing" "a" {
             name = "renamed"
             lifecycle {
               create_before_destroy = true
             }
           }"#,
        &state,
    ));
    assert_eq!(
        edges(&graph),
        BTreeSet::from([edge(
            "create fake_thing.a (replacing)",
            "delete fake_thing.a (replacing)"
        )])
    );
}

#[test]
fn replacing_a_parent_and_child_deletes_child_first_and_creates_parent_first() {
    let state = [
        existing("fake_thing.parent", "thing-1", &[]),
        thing_record(
            "fake_thing.child",
            json!({
                "id": "thing-2",
                "name": "child",
                "size": 1,
                "parent_id": "thing-1",
                "rule": [],
            }),
            &["fake_thing.parent"],
        ),
    ];
    let graph = ApplyGraph::build(&plan(
        r#"resource "fake_thing" "parent" { name = "parent-2" }
           resource "fake_thing" "child" {
             name      = "child"
             parent_id = fake_thing.parent.id
           }"#,
        &state,
    ));
    let order = [
        "delete fake_thing.child (replacing)",
        "delete fake_thing.parent (replacing)",
        "create fake_thing.parent (replacing)",
        "create fake_thing.child (replacing)",
    ];
    for pair in order.windows(2) {
        assert!(
            runs_before(&graph, pair[0], pair[1]),
            "`{}` should run before `{}`; edges: {:#?}",
            pair[0],
            pair[1],
            edges(&graph)
        );
    }
    assert_eq!(graph.longest_chain(), 4);
}

#[test]
fn a_resource_that_stops_using_a_deleted_one_is_updated_before_the_delete() {
    let state = [
        existing("fake_thing.old", "thing-1", &[]),
        thing_record(
            "fake_thing.user",
            json!({
                "id": "thing-2",
                "name": "user",
                "size": 1,
                "tags": { "uses": "thing-1" },
                "rule": [],
            }),
            &["fake_thing.old"],
        ),
    ];
    let graph = ApplyGraph::build(&plan(
        r#"resource "fake_thing" "user" {
             name = "user"
             tags = { uses = "nothing" }
           }"#,
        &state,
    ));
    assert_eq!(
        edges(&graph),
        BTreeSet::from([edge("update fake_thing.user", "delete fake_thing.old")])
    );
}

#[test]
fn a_new_resource_and_a_deleted_one_are_independent() {
    let state = [existing("fake_thing.old", "thing-1", &[])];
    let graph = ApplyGraph::build(&plan(
        r#"resource "fake_thing" "new" { name = "new" }"#,
        &state,
    ));
    assert_eq!(
        labels(&graph),
        BTreeSet::from([
            "create fake_thing.new".to_string(),
            "delete fake_thing.old".to_string()
        ])
    );
    assert!(edges(&graph).is_empty());
}

#[test]
fn create_before_destroy_spreads_to_the_replaced_dependencies_of_a_resource() {
    let state = [
        existing("fake_thing.parent", "thing-1", &[]),
        thing_record(
            "fake_thing.child",
            json!({
                "id": "thing-2",
                "name": "child",
                "size": 1,
                "parent_id": "thing-1",
                "rule": [],
            }),
            &["fake_thing.parent"],
        ),
    ];
    let graph = ApplyGraph::build(&plan(
        r#"resource "fake_thing" "parent" { name = "parent-2" }
           resource "fake_thing" "child" {
             name      = "child"
             parent_id = fake_thing.parent.id
             lifecycle {
               create_before_destroy = true
             }
           }"#,
        &state,
    ));
    // As in Terraform, create_before_destroy spreads to the parent: both new objects exist
    // before either old one goes, and the order has no cycle.
    assert!(!petgraph::algo::is_cyclic_directed(&graph.graph));
    assert!(graph
        .graph
        .node_weights()
        .all(|operation| operation.create_before_destroy));
    assert!(runs_before(
        &graph,
        "create fake_thing.parent (replacing)",
        "create fake_thing.child (replacing)"
    ));
    assert!(runs_before(
        &graph,
        "create fake_thing.child (replacing)",
        "delete fake_thing.child (replacing)"
    ));
    assert!(runs_before(
        &graph,
        "delete fake_thing.child (replacing)",
        "delete fake_thing.parent (replacing)"
    ));
    assert!(runs_before(
        &graph,
        "create fake_thing.parent (replacing)",
        "delete fake_thing.parent (replacing)"
    ));
}

#[test]
fn a_dependent_updated_in_place_moves_to_the_new_object_before_the_old_one_is_deleted() {
    // The ECS case: a task definition replaced with create_before_destroy, the service that
    // uses it updated in place to the new revision; the old revision goes last.
    let state = [
        existing("fake_thing.revision", "thing-1", &[]),
        thing_record(
            "fake_thing.service",
            json!({
                "id": "thing-2",
                "name": "service",
                "size": 1,
                "tags": { "uses": "arn:fake:thing/thing-1" },
                "rule": [],
            }),
            &["fake_thing.revision"],
        ),
    ];
    let graph = ApplyGraph::build(&plan(
        r#"resource "fake_thing" "revision" {
             name = "revision-2"
             lifecycle {
               create_before_destroy = true
             }
           }
           resource "fake_thing" "service" {
             name = "service"
             tags = { uses = fake_thing.revision.arn }
           }"#,
        &state,
    ));
    assert!(!petgraph::algo::is_cyclic_directed(&graph.graph));
    let order = [
        "create fake_thing.revision (replacing)",
        "update fake_thing.service",
        "delete fake_thing.revision (replacing)",
    ];
    for pair in order.windows(2) {
        assert!(
            runs_before(&graph, pair[0], pair[1]),
            "`{}` should run before `{}`; edges: {:#?}",
            pair[0],
            pair[1],
            edges(&graph)
        );
    }
}

/// The plan of `gateway` ← `route` (a reference) and `gateway` ← `waiting` (a `depends_on`),
/// typed as a NAT gateway and two routes, so the id-known table applies.
fn nat_and_routes() -> Plan {
    let mut plan = plan(
        r#"
    resource "fake_thing" "gateway" { name = "gateway" }
    resource "fake_thing" "route" {
      name = "route-${fake_thing.gateway.id}"
    }
    resource "fake_thing" "waiting" {
      name       = "waiting"
      depends_on = [fake_thing.gateway]
    }
    "#,
        &[],
    );
    for change in &mut plan.changes {
        change.type_name = if change.address == "fake_thing.gateway" {
            "aws_nat_gateway".to_string()
        } else {
            "aws_route".to_string()
        };
    }
    plan
}

fn node_of(graph: &ApplyGraph, address: &str) -> NodeIndex {
    graph
        .graph
        .node_indices()
        .find(|node| graph.graph[*node].address == address)
        .unwrap_or_else(|| panic!("no node for {address}"))
}

#[test]
fn a_dependent_needing_only_the_id_starts_when_the_id_is_known_and_depends_on_waits() {
    let plan = nat_and_routes();
    let waiting_change = plan
        .changes
        .iter()
        .find(|change| change.address == "fake_thing.waiting")
        .unwrap();
    assert_eq!(
        waiting_change.explicit_dependencies,
        vec!["fake_thing.gateway".to_string()]
    );
    let graph = ApplyGraph::build(&plan);
    let gateway = node_of(&graph, "fake_thing.gateway");
    let route = node_of(&graph, "fake_thing.route");
    let waiting = node_of(&graph, "fake_thing.waiting");
    assert!(graph.released_at_id.contains(&(gateway, route)));
    assert!(!graph.released_at_id.contains(&(gateway, waiting)));

    let mut schedule = Schedule::new(&graph);
    assert!(schedule.has_waiting_dependents(gateway));
    assert_eq!(schedule.take_next(), Some(gateway));
    assert_eq!(schedule.take_next(), None);
    schedule.id_known(gateway);
    assert_eq!(
        schedule.take_next(),
        Some(route),
        "the route starts on the id"
    );
    assert_eq!(
        schedule.take_next(),
        None,
        "the depends_on waits for readiness"
    );
    schedule.succeeded(gateway);
    assert_eq!(schedule.take_next(), Some(waiting));
    assert_eq!(
        schedule.take_next(),
        None,
        "the route is not released twice"
    );
}

#[test]
fn an_id_known_after_success_releases_nothing_twice() {
    let plan = nat_and_routes();
    let graph = ApplyGraph::build(&plan);
    let gateway = node_of(&graph, "fake_thing.gateway");
    let mut schedule = Schedule::new(&graph);
    assert_eq!(schedule.take_next(), Some(gateway));
    schedule.succeeded(gateway);
    let mut started = [schedule.take_next(), schedule.take_next()];
    started.sort();
    schedule.id_known(gateway);
    assert_eq!(schedule.take_next(), None);
    assert_eq!(started.len(), 2);
    assert!(started.iter().all(Option::is_some));
}

#[test]
fn pairs_aws_accepts_against_a_pending_dependency_are_listed() {
    use provision_engine::graph::apply_graph::released_at_id;
    assert!(released_at_id("aws_nat_gateway", "aws_route"));
    assert!(released_at_id(
        "aws_cloudfront_distribution",
        "aws_s3_bucket_policy"
    ));
    assert!(released_at_id("aws_alb", "aws_alb_listener"));
    assert!(!released_at_id(
        "aws_efs_file_system",
        "aws_efs_mount_target"
    ));
    assert!(!released_at_id("aws_route", "aws_nat_gateway"));
}

#[test]
fn destroy_deletes_a_nat_gateway_beside_the_routes_to_it_but_honours_depends_on() {
    let state = [
        existing("fake_thing.gateway", "thing-1", &[]),
        existing("fake_thing.route", "thing-2", &["fake_thing.gateway"]),
        existing("fake_thing.waiting", "thing-3", &["fake_thing.gateway"]),
        existing("fake_thing.other", "thing-4", &["fake_thing.gateway"]),
    ];
    let mut plan = plan_with(
        r#"
    resource "fake_thing" "gateway" { name = "gateway" }
    resource "fake_thing" "route" {
      name = "route-${fake_thing.gateway.id}"
    }
    resource "fake_thing" "waiting" {
      name       = "waiting"
      depends_on = [fake_thing.gateway]
    }
    resource "fake_thing" "other" {
      name = "other-${fake_thing.gateway.id}"
    }
    "#,
        &state,
        true,
    );
    for change in &mut plan.changes {
        change.type_name = match change.address.as_str() {
            "fake_thing.gateway" => "aws_nat_gateway",
            "fake_thing.other" => "aws_subnet",
            _ => "aws_route",
        }
        .to_string();
    }
    let graph = ApplyGraph::build(&plan);
    assert_eq!(
        edges(&graph),
        BTreeSet::from([
            // A subnet is not in the table; a depends_on always keeps its order.
            edge("delete fake_thing.other", "delete fake_thing.gateway"),
            edge("delete fake_thing.waiting", "delete fake_thing.gateway"),
        ]),
        "the route's delete and the gateway's run side by side"
    );
}

#[test]
fn a_route_replaced_beside_its_deleted_nat_gateway_still_goes_first() {
    let state = [
        existing("fake_thing.gateway", "thing-1", &[]),
        existing("fake_thing.route", "thing-2", &["fake_thing.gateway"]),
    ];
    // The gateway leaves the spec; the route is replaced (a force-new name change).
    let mut plan = plan(
        r#"resource "fake_thing" "route" { name = "renamed" }"#,
        &state,
    );
    for change in &mut plan.changes {
        change.type_name = if change.address == "fake_thing.gateway" {
            "aws_nat_gateway".to_string()
        } else {
            "aws_route".to_string()
        };
    }
    let graph = ApplyGraph::build(&plan);
    assert!(
        edges(&graph).contains(&edge(
            "delete fake_thing.route (replacing)",
            "delete fake_thing.gateway"
        )),
        "{:?}",
        edges(&graph)
    );
}

#[test]
fn a_tainted_resource_is_replaced_even_when_its_spec_is_unchanged() {
    let mut tainted = existing("fake_thing.a", "thing-1", &[]);
    tainted.status = provision_state::ResourceStatus::Tainted;
    let untouched = existing("fake_thing.b", "thing-2", &[]);
    let spec = r#"resource "fake_thing" "a" { name = "a" }
                  resource "fake_thing" "b" { name = "b" }"#;
    let plan = plan(spec, &[tainted, untouched]);
    let action_of = |address: &str| {
        let change = plan
            .changes
            .iter()
            .find(|change| change.address == address)
            .unwrap_or_else(|| panic!("no change for {address}"));
        (change.action, change.replace_reasons.clone())
    };
    assert_eq!(
        action_of("fake_thing.a"),
        (Action::Replace, vec!["tainted".to_string()])
    );
    assert_eq!(action_of("fake_thing.b"), (Action::NoOp, Vec::new()));
    // A destroy plan simply deletes it.
    let mut tainted = existing("fake_thing.a", "thing-1", &[]);
    tainted.status = provision_state::ResourceStatus::Tainted;
    let destroy = plan_with(spec, &[tainted], true);
    assert!(destroy
        .changes
        .iter()
        .any(|change| change.address == "fake_thing.a" && change.action == Action::Delete));
}
