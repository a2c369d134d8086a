//! Preflight: with no AWS credentials anywhere, `provision apply specs/edgemind --yes` stops
//! before any work with one error naming the provider configuration, its profile and region
//! and the fix; exit 1; no state database is created and nothing is made (not even the local
//! passwords). `plan` from empty state stays offline and works without credentials.

use provision_e2e::{text, Cloud, MotoServer, Workspace};

/// The emulator's endpoint, but no credentials in the environment, no profile files, no
/// instance metadata: the standard chain finds nothing.
fn workspace_without_credentials(server: &MotoServer) -> Workspace {
    let mut workspace = Workspace::new(server);
    workspace.environment.retain(|(name, _)| {
        !matches!(
            *name,
            "AWS_ACCESS_KEY_ID" | "AWS_SECRET_ACCESS_KEY" | "AWS_SESSION_TOKEN"
        )
    });
    let home = workspace.directory.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    workspace
        .environment
        .push(("HOME", home.display().to_string()));
    workspace.environment.push((
        "AWS_SHARED_CREDENTIALS_FILE",
        home.join("no-credentials").display().to_string(),
    ));
    workspace.environment.push((
        "AWS_CONFIG_FILE",
        home.join("no-config").display().to_string(),
    ));
    workspace
}

#[test]
fn apply_without_credentials_fails_once_before_touching_anything() {
    let server = MotoServer::start();
    let workspace = workspace_without_credentials(&server);
    let cloud = Cloud::new(&server);

    let output = workspace
        .command(&["apply", "specs/edgemind", "--env", "dev", "--yes"])
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .output()
        .expect("run provision");
    let printed = text(&output);
    assert_eq!(output.status.code(), Some(1), "{printed}");
    assert_eq!(
        printed.matches("error:").count(),
        1,
        "one error, not one per resource:\n{printed}"
    );
    assert!(printed.contains("provider configuration aws"), "{printed}");
    assert!(printed.contains("profile default"), "{printed}");
    assert!(printed.contains("region"), "{printed}");
    assert!(printed.contains("hint:"), "{printed}");
    assert!(!printed.contains("Apply complete"), "{printed}");
    assert!(!printed.contains("created"), "{printed}");
    assert!(
        !workspace.state_path().exists(),
        "a state database was created"
    );
    assert!(
        cloud.non_default_vpc_ids().is_empty(),
        "something was made in the cloud"
    );

    // Planning from empty state needs no credentials at all.
    let plan = workspace
        .command(&["plan", "specs/edgemind", "--env", "dev"])
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .output()
        .expect("run provision");
    assert_eq!(plan.status.code(), Some(0), "{}", text(&plan));
}
