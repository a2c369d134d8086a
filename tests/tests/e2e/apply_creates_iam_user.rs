//! IAM users end to end (`tests/fixtures/apply-iam-user`): `aws_iam_user` with an inline
//! policy (`aws_iam_user_policy`), a managed policy attachment
//! (`aws_iam_user_policy_attachment`) and an `aws_iam_instance_profile` for a role, read back
//! with direct IAM calls; a second plan shows no changes; a tag change updates the user in
//! place; destroy removes all of it.

use provision_e2e::{edit_file, json_output, text, Cloud, MotoServer, Workspace};

const FIXTURE: &str = "tests/fixtures/apply-iam-user";

fn no_changes(workspace: &Workspace, spec: &str) {
    let plan = json_output(&workspace.run_expecting(&["plan", spec, "--json"], 0));
    assert_eq!(
        plan["summary"],
        serde_json::json!({"import": 0, "add": 0, "change": 0, "destroy": 0}),
        "{plan:#}"
    );
}

#[test]
fn iam_user_with_policies_and_instance_profile_applies_and_destroys() {
    let server = MotoServer::start();
    let workspace = Workspace::new(&server);
    let cloud = Cloud::new(&server);
    let spec = workspace.copy_spec(FIXTURE);

    let apply = workspace.run_expecting(&["apply", &spec, "--yes"], 0);
    assert!(text(&apply).contains("Apply complete!"), "{}", text(&apply));

    let user = cloud
        .block_on(cloud.iam.get_user().user_name("deploy-bot").send())
        .expect("GetUser")
        .user
        .expect("user");
    assert_eq!(user.path(), "/automation/");
    assert!(user
        .tags()
        .iter()
        .any(|tag| tag.key() == "Team" && tag.value() == "platform"));

    let inline = cloud
        .block_on(
            cloud
                .iam
                .get_user_policy()
                .user_name("deploy-bot")
                .policy_name("artifacts")
                .send(),
        )
        .expect("GetUserPolicy");
    // IAM answers the document URL-encoded.
    assert!(
        inline.policy_document().contains("s3%3APutObject"),
        "{}",
        inline.policy_document()
    );

    let attached = cloud
        .block_on(
            cloud
                .iam
                .list_attached_user_policies()
                .user_name("deploy-bot")
                .send(),
        )
        .expect("ListAttachedUserPolicies");
    assert_eq!(
        attached
            .attached_policies()
            .iter()
            .filter_map(|policy| policy.policy_name())
            .collect::<Vec<_>>(),
        vec!["deploy-bot-read-logs"]
    );

    let profile = cloud
        .block_on(
            cloud
                .iam
                .get_instance_profile()
                .instance_profile_name("deploy-worker")
                .send(),
        )
        .expect("GetInstanceProfile")
        .instance_profile
        .expect("profile");
    assert_eq!(
        profile
            .roles()
            .iter()
            .map(|role| role.role_name())
            .collect::<Vec<_>>(),
        vec!["deploy-worker"]
    );

    no_changes(&workspace, &spec);

    edit_file(
        format!("{spec}/main.tf"),
        "Team = \"platform\"",
        "Team = \"delivery\"",
    );
    let plan = json_output(&workspace.run_expecting(&["plan", &spec, "--json"], 0));
    assert_eq!(
        plan["summary"],
        serde_json::json!({"import": 0, "add": 0, "change": 1, "destroy": 0}),
        "{plan:#}"
    );
    workspace.run_expecting(&["apply", &spec, "--yes"], 0);
    let user = cloud
        .block_on(cloud.iam.get_user().user_name("deploy-bot").send())
        .expect("GetUser")
        .user
        .expect("user");
    assert!(user
        .tags()
        .iter()
        .any(|tag| tag.key() == "Team" && tag.value() == "delivery"));
    no_changes(&workspace, &spec);

    let destroy = workspace.run_expecting(&["destroy", &spec, "--yes"], 0);
    assert!(
        text(&destroy).contains("Destroy complete!"),
        "{}",
        text(&destroy)
    );
    assert!(cloud
        .block_on(cloud.iam.get_user().user_name("deploy-bot").send())
        .is_err());
    assert!(cloud
        .block_on(
            cloud
                .iam
                .get_instance_profile()
                .instance_profile_name("deploy-worker")
                .send()
        )
        .is_err());
    assert!(cloud
        .block_on(cloud.iam.get_role().role_name("deploy-worker").send())
        .is_err());
}
