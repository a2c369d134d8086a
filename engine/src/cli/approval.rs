//! `apply --require-approval`: which plans need a separate approval of their security changes
//! (CDK's `never` / `broadening` / `any-change`), from the flag or the spec's
//! `provision_require_approval` variable, and asking for it or refusing without it.

use std::io::Write;

use anyhow::{bail, Result};
use provision_resources::Value;

use super::style::Style;
use crate::plan::security::{security_changes, ApprovalLevel, APPROVAL_VARIABLE};
use crate::plan::Plan;
use crate::variables::InputVariables;

/// What the user asked for on the command line.
#[derive(Debug, Clone, Default)]
pub struct ApprovalRequest {
    /// `--require-approval`, overriding the spec's variable.
    pub level: Option<String>,
    /// `--approve-security-changes`.
    pub approved: bool,
}

/// Whether apply may go on.
#[derive(Debug, PartialEq, Eq)]
pub enum ApprovalOutcome {
    Proceed,
    /// Declined at the prompt, or needed and not given under `--yes`: the message says which.
    Refused(String),
}

/// The level in force: `--require-approval`, else the spec's variable, else `never`.
pub fn level_in_force(
    request: &ApprovalRequest,
    variables: &InputVariables,
) -> Result<ApprovalLevel> {
    if let Some(text) = &request.level {
        return ApprovalLevel::parse(text).ok_or_else(|| {
            anyhow::anyhow!(
                "--require-approval must be never, broadening or any-change, not `{text}`"
            )
        });
    }
    match variables.values.get(APPROVAL_VARIABLE) {
        None | Some(Value::Null) => Ok(ApprovalLevel::Never),
        Some(Value::String(text)) => match ApprovalLevel::parse(text) {
            Some(level) => Ok(level),
            None => bail!(
                "variable `{APPROVAL_VARIABLE}` must be \"never\", \"broadening\" or \"any-change\", not \"{text}\""
            ),
        },
        Some(_) => bail!("variable `{APPROVAL_VARIABLE}` must be a string"),
    }
}

/// Checks `plan` against `level`: lists what needs approval, then proceeds if it was approved
/// on the command line, asks on a terminal (`interactive`), or refuses.
pub fn review(
    plan: &Plan,
    level: ApprovalLevel,
    request: &ApprovalRequest,
    interactive: bool,
    style: &Style,
) -> Result<ApprovalOutcome> {
    let broadening = security_changes(plan);
    let needs = match level {
        ApprovalLevel::Never => false,
        ApprovalLevel::Broadening => !broadening.is_empty(),
        ApprovalLevel::AnyChange => plan.has_changes(),
    };
    if !needs {
        return Ok(ApprovalOutcome::Proceed);
    }
    let what = match level {
        ApprovalLevel::AnyChange => "every change".to_string(),
        _ => format!(
            "{} security change{} (listed above)",
            broadening.len(),
            if broadening.len() == 1 { "" } else { "s" }
        ),
    };
    if request.approved {
        println!("{what} approved with --approve-security-changes.");
        return Ok(ApprovalOutcome::Proceed);
    }
    if !interactive {
        return Ok(ApprovalOutcome::Refused(format!(
            "apply refused: this stack requires approval of {what} (--require-approval {}); \
             nothing was changed\n  hint: review the plan, then apply with \
             --approve-security-changes, or run without --yes on a terminal to be asked",
            level.name()
        )));
    }
    print!(
        "\n{} Do you approve {what}? Only 'yes' is accepted: ",
        style.bold(&style.yellow("Security changes need their own approval."))
    );
    std::io::stdout().flush()?;
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    if answer.trim() == "yes" {
        Ok(ApprovalOutcome::Proceed)
    } else {
        Ok(ApprovalOutcome::Refused(
            "security changes not approved; nothing was changed".to_string(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn variables(value: Option<&str>) -> InputVariables {
        let mut values = BTreeMap::new();
        if let Some(value) = value {
            values.insert(APPROVAL_VARIABLE.to_string(), Value::string(value));
        }
        InputVariables {
            values,
            ..Default::default()
        }
    }

    #[test]
    fn the_flag_overrides_the_spec_variable_and_never_is_the_default() {
        let request = ApprovalRequest::default();
        assert_eq!(
            level_in_force(&request, &variables(None)).unwrap(),
            ApprovalLevel::Never
        );
        assert_eq!(
            level_in_force(&request, &variables(Some("broadening"))).unwrap(),
            ApprovalLevel::Broadening
        );
        let flag = ApprovalRequest {
            level: Some("never".to_string()),
            approved: false,
        };
        assert_eq!(
            level_in_force(&flag, &variables(Some("broadening"))).unwrap(),
            ApprovalLevel::Never
        );
        assert!(level_in_force(&request, &variables(Some("sometimes"))).is_err());
    }
}
