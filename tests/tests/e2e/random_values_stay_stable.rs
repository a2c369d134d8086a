//! The random types (`tests/fixtures/plan-random-values`): plan shows every value as known
//! after apply, apply generates them in Terraform's shapes, a second plan and apply keep them,
//! and a change of `keepers` replaces exactly the resource that keeps it.

use provision_e2e::{json_output, MotoServer, Workspace};
use serde_json::Value;

const FIXTURE: &str = "tests/fixtures/plan-random-values";

fn outputs(workspace: &Workspace, spec: &str) -> Value {
    json_output(&workspace.run_expecting(&["output", spec, "--json"], 0))
}

fn output<'a>(outputs: &'a Value, name: &str) -> &'a Value {
    let value = &outputs[name];
    value.get("value").unwrap_or(value)
}

#[test]
fn random_values_are_generated_once_and_kept_until_keepers_change() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let spec = workspace.copy_spec(FIXTURE);

    let plan = json_output(&workspace.run_expecting(&["plan", &spec, "--json"], 0));
    assert_eq!(
        plan["summary"],
        serde_json::json!({"import": 0, "add": 6, "change": 0, "destroy": 0}),
        "{plan:#}"
    );
    workspace.run_expecting(&["apply", &spec, "--yes"], 0);
    let first = outputs(&workspace, &spec);

    let pet = output(&first, "pet").as_str().expect("pet").to_string();
    let words: Vec<&str> = pet.split('-').collect();
    assert_eq!(words.len(), 4, "{pet}");
    assert_eq!(words[0], "dev");
    let suffix = output(&first, "suffix").as_str().expect("suffix");
    assert_eq!(suffix.len(), 8);
    assert!(suffix
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
    let bucket = output(&first, "bucket").as_str().expect("bucket");
    assert!(bucket.starts_with("bucket-"), "{bucket}");
    assert_eq!(bucket.len(), "bucket-".len() + 16, "{bucket}");
    let priority = output(&first, "priority").as_f64().expect("priority");
    assert!((100.0..=199.0).contains(&priority), "{priority}");
    let token = output(&first, "token").as_str().expect("token");
    assert_eq!(token.len(), 36);
    assert_eq!(&token[14..15], "4", "{token}");
    let zones = output(&first, "zones").as_array().expect("zones");
    assert_eq!(zones.len(), 2);
    assert_ne!(zones[0], zones[1]);

    let replan = json_output(&workspace.run_expecting(&["plan", &spec, "--json"], 0));
    assert_eq!(
        replan["summary"],
        serde_json::json!({"import": 0, "add": 0, "change": 0, "destroy": 0}),
        "{replan:#}"
    );
    workspace.run_expecting(&["apply", &spec, "--yes"], 0);
    assert_eq!(outputs(&workspace, &spec), first);

    // A new keeper value replaces the pet name only.
    let plan = json_output(
        &workspace.run_expecting(&["plan", &spec, "--json", "--var", "generation=2"], 0),
    );
    assert_eq!(
        plan["summary"],
        serde_json::json!({"import": 0, "add": 1, "change": 0, "destroy": 1}),
        "{plan:#}"
    );
    workspace.run_expecting(&["apply", &spec, "--yes", "--var", "generation=2"], 0);
    let second = outputs(&workspace, &spec);
    assert_ne!(output(&second, "pet"), output(&first, "pet"));
    for name in ["suffix", "bucket", "priority", "token", "zones"] {
        assert_eq!(output(&second, name), output(&first, name), "{name}");
    }
}
