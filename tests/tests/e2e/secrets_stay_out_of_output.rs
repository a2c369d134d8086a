//! A sensitive variable's value never appears in `plan`, `plan --json`, `apply`, `output`,
//! `state show` or the plan saved in the state database; applying a saved plan needs the same
//! secret again and refuses a different one. In the state database itself, sensitive values are
//! sealed with the state key.

use provision_e2e::{text, MotoServer, Workspace};
use provision_state::Store;

const SECRET: &str = "tok-3f9c1d7e-do-not-print";
const FIXTURE: &str = "tests/fixtures/plan-sensitive-variable";

#[test]
fn sensitive_variable_values_never_reach_output_or_the_saved_plan() {
    let server = MotoServer::start();
    let mut workspace = Workspace::new(&server);
    workspace
        .environment
        .push(("TF_VAR_api_token", SECRET.to_string()));

    let plan = workspace.run_expecting(&["plan", FIXTURE], 0);
    let plan_text = text(&plan);
    assert!(plan_text.contains("Plan: 1 to add"), "{plan_text}");
    assert!(plan_text.contains("(sensitive value)"), "{plan_text}");
    assert!(
        !plan_text.contains(SECRET),
        "plan printed the secret:\n{plan_text}"
    );

    let json = text(&workspace.run_expecting(&["plan", FIXTURE, "--json"], 0));
    assert!(
        !json.contains(SECRET),
        "plan --json printed the secret:\n{json}"
    );

    let store = Store::open(&workspace.state_path()).expect("state database");
    let saved = store
        .latest_plan()
        .expect("read plans")
        .expect("a saved plan");
    assert!(
        !saved.plan_json.contains(SECRET),
        "the saved plan holds the secret in clear"
    );
    drop(store);

    // Applying the saved plan reads the secret again from TF_VAR_api_token.
    let apply = text(&workspace.run_expecting(&["apply"], 0));
    assert!(apply.contains("Apply complete!"), "{apply}");
    assert!(
        !apply.contains(SECRET),
        "apply printed the secret:\n{apply}"
    );

    let outputs = text(&workspace.run_expecting(&["output"], 0));
    assert!(
        outputs.contains("token_tag") && outputs.contains("(sensitive value)"),
        "{outputs}"
    );
    assert!(
        !outputs.contains(SECRET),
        "output listed the secret:\n{outputs}"
    );
    let shown = text(&workspace.run_expecting(&["state", "show", "aws_vpc.main"], 0));
    assert!(
        !shown.contains(SECRET),
        "state show printed the secret:\n{shown}"
    );
    let history = text(&workspace.run_expecting(&["history"], 0));
    assert!(
        !history.contains(SECRET),
        "history printed the secret:\n{history}"
    );

    // At rest: the state database holds the tagged VPC, but its sensitive attribute is sealed.
    assert!(workspace.state_files_contain("10.42.0.0/16"));
    assert!(
        !workspace.state_files_contain(SECRET),
        "the state database holds the secret in clear"
    );
    assert!(workspace.state_files_contain("provision-sealed:v1:"));
    let key_file = workspace
        .directory
        .path()
        .join("config/provision/state.key");
    assert!(key_file.exists(), "the sealing key file was not created");
    // A second apply (reading the sealed values back) changes nothing.
    let replan = text(&workspace.run_expecting(&["plan", FIXTURE], 0));
    assert!(replan.contains("No changes."), "{replan}");
}

#[test]
fn a_saved_plan_is_refused_when_its_sensitive_variable_changed() {
    let server = MotoServer::start();
    let mut workspace = Workspace::new(&server);
    workspace
        .environment
        .push(("TF_VAR_api_token", SECRET.to_string()));
    workspace.run_expecting(&["plan", FIXTURE], 0);

    workspace
        .environment
        .retain(|(key, _)| *key != "TF_VAR_api_token");
    workspace
        .environment
        .push(("TF_VAR_api_token", "another-token".to_string()));
    let refused = workspace.run_expecting(&["apply"], 1);
    let message = text(&refused);
    assert!(
        message.contains("stale") && message.contains("api_token"),
        "{message}"
    );
    assert!(
        !message.contains(SECRET) && !message.contains("another-token"),
        "{message}"
    );

    // Given again on the command line, the same secret is accepted.
    workspace
        .environment
        .retain(|(key, _)| *key != "TF_VAR_api_token");
    let var = format!("api_token={SECRET}");
    workspace.run_expecting(&["apply", "--var", &var], 0);
}
