//! The evaluation scope of a stack: input variables, locals, resource values (planned or
//! applied), `path`, `terraform`, and per instance `count.index` / `each.key` / `each.value`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use provision_core::schema::edit_distance;
use provision_core::{Registry, Value};

use crate::eval::{Lookup, Scope};

/// A resource block's value as references see it: one instance's attributes, a list of them
/// (`count`) or a map of them (`for_each`).
#[derive(Debug, Clone, Default)]
pub struct BlockValue {
    pub value: Value,
    /// Attribute names holding sensitive values (in any instance).
    pub sensitive_attributes: BTreeSet<String>,
}

/// Values visible to every expression of a stack.
pub struct StackScope<'registry> {
    pub registry: &'registry Registry,
    pub variables: BTreeMap<String, Value>,
    pub sensitive_variables: BTreeSet<String>,
    pub locals: BTreeMap<String, Value>,
    pub sensitive_locals: BTreeSet<String>,
    /// `(type, name)` → value.
    pub resources: HashMap<(String, String), BlockValue>,
    /// `(type, name)` → value of `data.type.name`.
    pub data: HashMap<(String, String), BlockValue>,
    /// `module.NAME` → the called module's outputs (per instance with `count` / `for_each`).
    pub modules: HashMap<String, BlockValue>,
    /// `path.module`, `path.root`, `path.cwd`.
    pub path: Value,
    /// `terraform.workspace`: the environment, or "default".
    pub terraform: Value,
    /// Evaluating for an apply: `timestamp()`, `uuid()` and `bcrypt()` are known.
    pub applying: bool,
}

impl<'registry> StackScope<'registry> {
    pub fn new(
        registry: &'registry Registry,
        spec_directory: &str,
        environment: Option<&str>,
    ) -> Self {
        let cwd = std::env::current_dir()
            .map(|directory| directory.display().to_string())
            .unwrap_or_else(|_| ".".to_string());
        StackScope {
            registry,
            variables: BTreeMap::new(),
            sensitive_variables: BTreeSet::new(),
            locals: BTreeMap::new(),
            sensitive_locals: BTreeSet::new(),
            resources: HashMap::new(),
            data: HashMap::new(),
            modules: HashMap::new(),
            path: Value::Map(
                [
                    ("module".to_string(), Value::string(spec_directory)),
                    ("root".to_string(), Value::string(spec_directory)),
                    ("cwd".to_string(), Value::string(cwd)),
                ]
                .into(),
            ),
            terraform: Value::Map(
                [(
                    "workspace".to_string(),
                    Value::string(environment.unwrap_or("default")),
                )]
                .into(),
            ),
            applying: false,
        }
    }

    fn lookup_root<'scope>(&'scope self, parts: &[&str]) -> Option<Lookup<'scope>> {
        let root = *parts.first()?;
        let name = parts.get(1).copied();
        match root {
            "var" => {
                let name = name?;
                self.variables.get(name).map(|value| Lookup {
                    value,
                    consumed: 2,
                    sensitive: self.sensitive_variables.contains(name),
                })
            }
            "local" => {
                let name = name?;
                self.locals.get(name).map(|value| Lookup {
                    value,
                    consumed: 2,
                    sensitive: self.sensitive_locals.contains(name),
                })
            }
            "path" => Some(Lookup {
                value: &self.path,
                consumed: 1,
                sensitive: false,
            }),
            "terraform" => Some(Lookup {
                value: &self.terraform,
                consumed: 1,
                sensitive: false,
            }),
            "data" => {
                let type_name = name?;
                let data_name = *parts.get(2)?;
                let block = self
                    .data
                    .get(&(type_name.to_string(), data_name.to_string()))?;
                let sensitive = match parts.get(3) {
                    Some(attribute) => block.sensitive_attributes.contains(*attribute),
                    None => !block.sensitive_attributes.is_empty(),
                };
                Some(Lookup {
                    value: &block.value,
                    consumed: 3,
                    sensitive,
                })
            }
            "module" => {
                let name = name?;
                let module = self.modules.get(name)?;
                let sensitive = match parts.get(2) {
                    Some(output) => module.sensitive_attributes.contains(*output),
                    None => !module.sensitive_attributes.is_empty(),
                };
                Some(Lookup {
                    value: &module.value,
                    consumed: 2,
                    sensitive,
                })
            }
            type_name => {
                let name = name?;
                let block = self
                    .resources
                    .get(&(type_name.to_string(), name.to_string()))?;
                let sensitive = match parts.get(2) {
                    Some(attribute) => block.sensitive_attributes.contains(*attribute),
                    None => !block.sensitive_attributes.is_empty(),
                };
                Some(Lookup {
                    value: &block.value,
                    consumed: 2,
                    sensitive,
                })
            }
        }
    }

    fn suggest_root(&self, parts: &[&str]) -> Option<String> {
        let root = *parts.first()?;
        let closest = |candidates: Vec<String>, wanted: &str| {
            candidates
                .into_iter()
                .map(|candidate| (edit_distance(wanted, &candidate), candidate))
                .filter(|(distance, candidate)| *distance <= 3.max(candidate.len() / 3))
                .min_by_key(|(distance, _)| *distance)
                .map(|(_, candidate)| candidate)
        };
        match (root, parts.get(1)) {
            ("var", Some(name)) => closest(self.variables.keys().cloned().collect(), name)
                .map(|found| format!("did you mean var.{found}?"))
                .or_else(|| {
                    Some(format!(
                        "declare it with a `variable \"{name}\" {{}}` block"
                    ))
                }),
            ("local", Some(name)) => closest(self.locals.keys().cloned().collect(), name)
                .map(|found| format!("did you mean local.{found}?"))
                .or_else(|| Some(format!("define it in a `locals {{ {name} = ... }}` block"))),
            ("module", Some(name)) => closest(self.modules.keys().cloned().collect(), name)
                .map(|found| format!("did you mean module.{found}?"))
                .or_else(|| Some(format!("no `module \"{name}\"` block calls a module here"))),
            ("each", _) => {
                Some("`each` is only available in resources that set `for_each`".to_string())
            }
            ("data", Some(type_name)) => {
                let names: Vec<String> = self
                    .data
                    .keys()
                    .map(|(candidate_type, candidate_name)| {
                        format!("{candidate_type}.{candidate_name}")
                    })
                    .collect();
                let wanted = match parts.get(2) {
                    Some(name) => format!("{type_name}.{name}"),
                    None => type_name.to_string(),
                };
                closest(names, &wanted)
                    .map(|found| format!("did you mean data.{found}?"))
                    .or_else(|| {
                        Some(format!(
                            "no data \"{type_name}\" block with that name is declared in this spec"
                        ))
                    })
            }
            ("count", _) => {
                Some("`count.index` is only available in resources that set `count`".to_string())
            }
            (type_name, Some(name)) if self.registry.get(type_name).is_some() => {
                let names: Vec<String> = self
                    .resources
                    .keys()
                    .filter(|(candidate_type, _)| candidate_type == type_name)
                    .map(|(_, candidate_name)| candidate_name.clone())
                    .collect();
                closest(names, name)
                    .map(|found| format!("did you mean {type_name}.{found}?"))
                    .or_else(|| {
                        Some(format!(
                            "no resource \"{type_name}\" \"{name}\" is declared in this spec"
                        ))
                    })
            }
            (type_name, _) => {
                let roots: Vec<String> = [
                    "var",
                    "local",
                    "each",
                    "count",
                    "path",
                    "terraform",
                    "data",
                    "module",
                ]
                .iter()
                .map(|root| root.to_string())
                .chain(self.registry.type_names().map(str::to_string))
                .collect();
                closest(roots, type_name).map(|found| format!("did you mean `{found}`?"))
            }
        }
    }
}

impl Scope for StackScope<'_> {
    fn lookup(&self, parts: &[&str]) -> Option<Lookup<'_>> {
        self.lookup_root(parts)
    }

    fn suggest(&self, parts: &[&str]) -> Option<String> {
        self.suggest_root(parts)
    }

    fn applying(&self) -> bool {
        self.applying
    }
}

/// The scope of one resource instance: the stack scope plus `count` / `each`.
pub struct InstanceScope<'a, 'registry> {
    pub stack: &'a StackScope<'registry>,
    /// `{index = N}` when the block has `count`.
    pub count: Option<Value>,
    /// `{key = K, value = V}` when the block has `for_each`.
    pub each: Option<Value>,
}

impl Scope for InstanceScope<'_, '_> {
    fn lookup(&self, parts: &[&str]) -> Option<Lookup<'_>> {
        match parts.first().copied() {
            Some("count") => self.count.as_ref().map(|value| Lookup {
                value,
                consumed: 1,
                sensitive: false,
            }),
            Some("each") => self.each.as_ref().map(|value| Lookup {
                value,
                consumed: 1,
                sensitive: false,
            }),
            _ => self.stack.lookup_root(parts),
        }
    }

    fn suggest(&self, parts: &[&str]) -> Option<String> {
        self.stack.suggest_root(parts)
    }

    fn applying(&self) -> bool {
        self.stack.applying
    }
}
