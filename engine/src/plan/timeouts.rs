//! `timeouts {}` blocks: Terraform's per-operation limits (`create = "30m"`), accepted on the
//! types whose Terraform schema has them and honoured by apply (each operation, its readiness
//! wait included, is limited to the duration; the limit replaces the provider's own).

use std::collections::BTreeMap;
use std::time::Duration;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::eval::{evaluate, Scope};
use crate::spec::ast::Block;

/// A Go duration as Terraform reads one (`time.ParseDuration`): numbers with units `h`, `m`,
/// `s`, `ms`, `us`/`µs`, `ns`, decimals allowed, concatenated (`1h30m`, `1.5h`, `90s`).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let bad = || format!("{text:?} is not a duration (Terraform's form: `30m`, `1h30m`, `45s`)");
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(bad());
    }
    if trimmed == "0" {
        return Ok(Duration::ZERO);
    }
    let mut total = 0f64;
    let mut rest = trimmed;
    while !rest.is_empty() {
        let number_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(bad)?;
        let number: f64 = rest[..number_end].parse().map_err(|_| bad())?;
        rest = &rest[number_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let seconds = match &rest[..unit_end] {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 1e-3,
            "us" | "µs" => 1e-6,
            "ns" => 1e-9,
            _ => return Err(bad()),
        };
        total += number * seconds;
        rest = &rest[unit_end..];
    }
    Ok(Duration::from_secs_f64(total))
}

/// Evaluates a `timeouts` block of a type whose Terraform schema allows `keys`: each key to
/// its duration. Unknown keys and values that are not durations are errors at their spans.
pub fn evaluate_timeouts(
    block: &Block,
    keys: &[&str],
    scope: &dyn Scope,
    subject: &str,
    diagnostics: &mut Diagnostics,
) -> BTreeMap<String, Duration> {
    let mut limits = BTreeMap::new();
    for attribute in &block.body.attributes {
        if !keys.contains(&attribute.name.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    format!(
                        "unknown key `{}` in the timeouts block of {subject}",
                        attribute.name
                    ),
                    Some(attribute.name_span.clone()),
                )
                .with_hint(format!("the timeouts of this type: {}", keys.join(", "))),
            );
            continue;
        }
        let evaluated = match evaluate(&attribute.expr, scope) {
            Ok(evaluated) => evaluated.value,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                continue;
            }
        };
        let Some(text) = evaluated.as_str() else {
            diagnostics.push(
                Diagnostic::error(
                    format!("wrong type for `timeouts.{}` on {subject}", attribute.name),
                    Some(attribute.expr.span.clone()),
                )
                .with_hint("a duration string such as \"30m\""),
            );
            continue;
        };
        match parse_duration(text) {
            Ok(limit) => {
                limits.insert(attribute.name.clone(), limit);
            }
            Err(message) => diagnostics.push(
                Diagnostic::error(
                    format!("bad `timeouts.{}` on {subject}", attribute.name),
                    Some(attribute.expr.span.clone()),
                )
                .with_label(message),
            ),
        }
    }
    for nested in &block.body.blocks {
        diagnostics.push(Diagnostic::error(
            format!(
                "unexpected block `{}` in the timeouts block of {subject}",
                nested.ident
            ),
            Some(nested.ident_span.clone()),
        ));
    }
    limits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations_parse_as_terraform_reads_them() {
        let seconds = |text: &str| parse_duration(text).map(|limit| limit.as_secs_f64());
        assert_eq!(seconds("30m"), Ok(1800.0));
        assert_eq!(seconds("1h30m"), Ok(5400.0));
        assert_eq!(seconds("1.5h"), Ok(5400.0));
        assert_eq!(seconds("45s"), Ok(45.0));
        assert_eq!(seconds("2m30s"), Ok(150.0));
        assert_eq!(seconds("0"), Ok(0.0));
        assert_eq!(seconds("500ms"), Ok(0.5));
        for bad in ["", "30", "30 minutes", "m", "1x", "1h-5m"] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
    }
}
