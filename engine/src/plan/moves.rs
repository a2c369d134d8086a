//! `moved` blocks: before planning, the state's addresses are renamed as the spec's `moved`
//! blocks say (in the root and in called modules, chains followed), so a renamed resource or
//! module keeps its cloud object and plans as a move, not a destroy and a create.

use std::collections::{BTreeMap, BTreeSet};

use provision_state::ResourceRecord;

use crate::address::{InstanceKey, ModuleStep, ResourceAddr};
use crate::diagnostics::Diagnostic;
use crate::spec::{MoveEndpoint, MovedBlock, Spec};

/// A `moved` block and the static path (module call names) of the module it is in.
struct ScopedMove<'spec> {
    module: Vec<String>,
    block: &'spec MovedBlock,
}

/// The state with the moves applied, the old address of each moved record (by its new
/// address), and warnings for moves that could not be made.
pub struct MovedState {
    pub records: Vec<ResourceRecord>,
    pub moved_from: BTreeMap<String, String>,
    pub warnings: Vec<Diagnostic>,
}

/// Renames the records of `state` as the `moved` blocks of `spec` and its modules say.
pub fn apply_moves(spec: &Spec, state: &[ResourceRecord]) -> MovedState {
    let mut moves = Vec::new();
    collect(spec, &mut Vec::new(), &mut moves);
    let mut records = state.to_vec();
    let mut moved_from = BTreeMap::new();
    let mut warnings = Vec::new();
    if moves.is_empty() {
        return MovedState {
            records,
            moved_from,
            warnings,
        };
    }
    let mut taken: BTreeSet<String> = records
        .iter()
        .map(|record| record.address.clone())
        .collect();
    let mut renames: BTreeMap<String, String> = BTreeMap::new();
    for record in &mut records {
        let Some(original) = ResourceAddr::parse(&record.address) else {
            continue;
        };
        let mut address = original.clone();
        // Chains (`a` → `b`, `b` → `c`) are followed; a loop ends after one round per block.
        for _ in 0..=moves.len() {
            let next = moves
                .iter()
                .find_map(|scoped| moved_address(scoped, &address));
            match next {
                Some(next) if next != original => address = next,
                _ => break,
            }
        }
        if address == original {
            continue;
        }
        let new_text = address.to_string();
        if taken.contains(&new_text) {
            let block = moves
                .iter()
                .find(|scoped| moved_address(scoped, &original).is_some())
                .map(|scoped| scoped.block.span.clone());
            warnings.push(
                Diagnostic::warning(
                    format!(
                        "cannot move {} to {new_text}: state already has {new_text}",
                        record.address
                    ),
                    block,
                )
                .with_hint(
                    "both objects exist: remove one with `provision state rm`, or delete this moved block",
                ),
            );
            continue;
        }
        taken.remove(&record.address);
        taken.insert(new_text.clone());
        renames.insert(record.address.clone(), new_text.clone());
        moved_from.insert(new_text.clone(), record.address.clone());
        record.address = new_text;
    }
    for record in &mut records {
        for dependency in &mut record.dependencies {
            if let Some(renamed) = renames.get(dependency) {
                *dependency = renamed.clone();
            }
        }
    }
    MovedState {
        records,
        moved_from,
        warnings,
    }
}

fn collect<'spec>(spec: &'spec Spec, path: &mut Vec<String>, moves: &mut Vec<ScopedMove<'spec>>) {
    for block in &spec.moved {
        moves.push(ScopedMove {
            module: path.clone(),
            block,
        });
    }
    for call in &spec.modules {
        path.push(call.name.clone());
        collect(&call.module, path, moves);
        path.pop();
    }
}

/// Where `address` goes under one `moved` block, if the block's `from` names it.
fn moved_address(scoped: &ScopedMove, address: &ResourceAddr) -> Option<ResourceAddr> {
    // The block speaks of addresses inside every instance of the module it is in.
    let depth = scoped.module.len();
    if address.module.len() < depth
        || address.module[..depth]
            .iter()
            .zip(&scoped.module)
            .any(|(step, name)| &step.name != name)
    {
        return None;
    }
    let prefix = &address.module[..depth];
    let relative = &address.module[depth..];
    let (from, to) = (&scoped.block.from, &scoped.block.to);
    let mut module: Vec<ModuleStep> = prefix.to_vec();
    match (&from.resource, &to.resource) {
        (Some((from_type, from_name, from_key)), Some((to_type, to_name, to_key))) => {
            if relative != from.module.as_slice()
                || &address.type_name != from_type
                || &address.name != from_name
            {
                return None;
            }
            let key = match (from_key, to_key) {
                (InstanceKey::None, InstanceKey::None) => address.key.clone(),
                (InstanceKey::None, key) => {
                    if address.key != InstanceKey::None {
                        return None;
                    }
                    key.clone()
                }
                (from_key, to_key) => {
                    if &address.key != from_key {
                        return None;
                    }
                    to_key.clone()
                }
            };
            module.extend(to.module.iter().cloned());
            Some(ResourceAddr {
                module,
                type_name: to_type.clone(),
                name: to_name.clone(),
                key,
            })
        }
        (None, None) => {
            let rest = module_suffix(from, to, relative)?;
            module.extend(rest);
            Some(ResourceAddr {
                module,
                ..address.clone()
            })
        }
        _ => None,
    }
}

/// For a module move, the new module steps of an address whose steps (relative to the block's
/// module) are `relative`, if `from` names them.
fn module_suffix(
    from: &MoveEndpoint,
    to: &MoveEndpoint,
    relative: &[ModuleStep],
) -> Option<Vec<ModuleStep>> {
    let count = from.module.len();
    if relative.len() < count || count == 0 {
        return None;
    }
    let (last_from, leading_from) = from.module.split_last()?;
    if relative[..count - 1] != *leading_from || relative[count - 1].name != last_from.name {
        return None;
    }
    let found_key = &relative[count - 1].key;
    let mut steps = to.module.clone();
    let last_to = steps.last_mut()?;
    match (&last_from.key, &last_to.key) {
        // `module.a` → `module.b`: every instance, keys kept.
        (InstanceKey::None, InstanceKey::None) => last_to.key = found_key.clone(),
        (InstanceKey::None, _) if *found_key != InstanceKey::None => return None,
        (InstanceKey::None, _) => {}
        (from_key, _) if from_key != found_key => return None,
        _ => {}
    }
    steps.extend(relative[count..].iter().cloned());
    Some(steps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::load_spec;
    use provision_state::ResourceStatus;

    fn record(address: &str, dependencies: &[&str]) -> ResourceRecord {
        ResourceRecord {
            address: address.into(),
            type_name: ResourceAddr::parse(address).unwrap().type_name,
            cloud_id: Some("id".into()),
            attributes: serde_json::json!({}),
            sensitive_attributes: Vec::new(),
            dependencies: dependencies.iter().map(|text| text.to_string()).collect(),
            status: ResourceStatus::Ready,
            updated_at: 0,
            provider: "aws".into(),
        }
    }

    fn spec(files: &[(&str, &str)]) -> (tempfile::TempDir, Spec) {
        let directory = tempfile::tempdir().expect("temporary folder");
        for (name, text) in files {
            let path = directory.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let (spec, diagnostics) = load_spec(directory.path());
        assert!(!diagnostics.has_errors(), "{:#?}", diagnostics.items);
        (directory, spec)
    }

    fn addresses(moved: &MovedState) -> Vec<&str> {
        moved
            .records
            .iter()
            .map(|record| record.address.as_str())
            .collect()
    }

    #[test]
    fn resources_move_into_a_module_with_their_keys() {
        let (_directory, spec) = spec(&[
            (
                "main.tf",
                "module \"network\" {\n  source = \"./network\"\n}\nmoved {\n  from = aws_vpc.main\n  to   = module.network.aws_vpc.main\n}\nmoved {\n  from = aws_subnet.private\n  to   = module.network.aws_subnet.private\n}\nmoved {\n  from = aws_route_table.isolated\n  to   = module.network.aws_route_table.isolated[0]\n}\n",
            ),
            ("network/main.tf", "resource \"aws_vpc\" \"main\" {}\n"),
        ]);
        let state = [
            record("aws_vpc.main", &[]),
            record("aws_subnet.private[0]", &["aws_vpc.main"]),
            record("aws_subnet.private[1]", &["aws_vpc.main"]),
            record("aws_route_table.isolated", &["aws_vpc.main"]),
            record("aws_subnet.public[0]", &["aws_vpc.main"]),
        ];
        let moved = apply_moves(&spec, &state);
        assert_eq!(
            addresses(&moved),
            vec![
                "module.network.aws_vpc.main",
                "module.network.aws_subnet.private[0]",
                "module.network.aws_subnet.private[1]",
                "module.network.aws_route_table.isolated[0]",
                "aws_subnet.public[0]",
            ]
        );
        assert_eq!(
            moved.records[4].dependencies,
            vec!["module.network.aws_vpc.main"]
        );
        assert_eq!(
            moved
                .moved_from
                .get("module.network.aws_subnet.private[1]")
                .map(String::as_str),
            Some("aws_subnet.private[1]")
        );
        assert!(moved.warnings.is_empty());
    }

    #[test]
    fn modules_rename_chains_follow_and_taken_addresses_warn() {
        let (_directory, spec) = spec(&[
            (
                "main.tf",
                "module \"net\" {\n  source = \"./network\"\n  for_each = toset([\"a\"])\n}\nmoved {\n  from = module.old\n  to   = module.middle\n}\nmoved {\n  from = module.middle\n  to   = module.net\n}\nmoved {\n  from = aws_vpc.x\n  to   = aws_vpc.y\n}\n",
            ),
            (
                "network/main.tf",
                "resource \"aws_vpc\" \"main\" {}\nmoved {\n  from = aws_vpc.first\n  to   = aws_vpc.main\n}\n",
            ),
        ]);
        let state = [
            record("module.old[\"a\"].aws_vpc.main", &[]),
            record("module.net[\"b\"].aws_vpc.first", &[]),
            record("aws_vpc.x", &[]),
            record("aws_vpc.y", &[]),
        ];
        let moved = apply_moves(&spec, &state);
        assert_eq!(
            addresses(&moved),
            vec![
                "module.net[\"a\"].aws_vpc.main",
                "module.net[\"b\"].aws_vpc.main",
                "aws_vpc.x",
                "aws_vpc.y",
            ]
        );
        assert_eq!(moved.warnings.len(), 1);
        assert!(moved.warnings[0]
            .summary
            .contains("state already has aws_vpc.y"));
    }
}
