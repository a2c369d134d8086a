//! `container_definitions` JSON (as Terraform writes it: ECS's own camelCase field names) to
//! the SDK's `ContainerDefinition` and back, and the normalisation that lets the JSON a spec
//! wrote be compared with the JSON DescribeTaskDefinition answers (ECS fills in
//! `essential = true`, `hostPort` = `containerPort` under awsvpc, `protocol = "tcp"`,
//! `cpu = 0`, empty lists; it may reorder `environment` and `secrets`).
//!
//! Fields understood: name, image, cpu, memory, memoryReservation, essential, portMappings
//! (containerPort, hostPort, protocol, name, appProtocol), environment, secrets, mountPoints,
//! logConfiguration (logDriver, options, secretOptions), healthCheck, command, entryPoint,
//! workingDirectory, user, readonlyRootFilesystem, stopTimeout, startTimeout, dependsOn,
//! dockerLabels, ulimits. Any other field is refused (never silently dropped).

use std::collections::HashMap;

use aws_sdk_ecs::types::{
    ApplicationProtocol, ContainerCondition, ContainerDefinition, ContainerDependency, HealthCheck,
    KeyValuePair, LogConfiguration, LogDriver, MountPoint, PortMapping, Secret, TransportProtocol,
    Ulimit, UlimitName,
};
use serde_json::{json, Map, Value as Json};

use crate::error::ProviderError;

const ATTRIBUTE: &str = "container_definitions";

fn invalid(message: impl Into<String>) -> ProviderError {
    ProviderError::invalid(ATTRIBUTE, message)
}

/// Parses the attribute's JSON text into SDK container definitions.
pub fn parse(text: &str) -> Result<Vec<ContainerDefinition>, ProviderError> {
    let json: Json =
        serde_json::from_str(text).map_err(|error| invalid(format!("is not JSON: {error}")))?;
    let containers = json
        .as_array()
        .ok_or_else(|| invalid("must be a JSON array of container definitions"))?;
    containers.iter().map(container).collect()
}

fn obj<'a>(value: &'a Json, what: &str) -> Result<&'a Map<String, Json>, ProviderError> {
    value
        .as_object()
        .ok_or_else(|| invalid(format!("{what} must be an object")))
}

fn text(value: &Json, what: &str) -> Result<String, ProviderError> {
    match value {
        Json::String(text) => Ok(text.clone()),
        Json::Number(number) => Ok(number.to_string()),
        Json::Bool(flag) => Ok(flag.to_string()),
        _ => Err(invalid(format!("{what} must be a string"))),
    }
}

fn int(value: &Json, what: &str) -> Result<i32, ProviderError> {
    value
        .as_i64()
        .or_else(|| value.as_str().and_then(|text| text.parse().ok()))
        .or_else(|| {
            value
                .as_f64()
                .filter(|n| n.fract() == 0.0)
                .map(|n| n as i64)
        })
        .and_then(|number| i32::try_from(number).ok())
        .ok_or_else(|| invalid(format!("{what} must be a whole number")))
}

fn boolean(value: &Json, what: &str) -> Result<bool, ProviderError> {
    value
        .as_bool()
        .or_else(|| value.as_str().and_then(|text| text.parse().ok()))
        .ok_or_else(|| invalid(format!("{what} must be true or false")))
}

fn strings(value: &Json, what: &str) -> Result<Vec<String>, ProviderError> {
    value
        .as_array()
        .ok_or_else(|| invalid(format!("{what} must be a list")))?
        .iter()
        .map(|item| text(item, what))
        .collect()
}

fn list<'a>(value: &'a Json, what: &str) -> Result<&'a Vec<Json>, ProviderError> {
    value
        .as_array()
        .ok_or_else(|| invalid(format!("{what} must be a list")))
}

fn string_map(value: &Json, what: &str) -> Result<HashMap<String, String>, ProviderError> {
    obj(value, what)?
        .iter()
        .map(|(key, item)| Ok((key.clone(), text(item, what)?)))
        .collect()
}

fn secret(value: &Json) -> Result<Secret, ProviderError> {
    let entry = obj(value, "a secret")?;
    Secret::builder()
        .set_name(
            entry
                .get("name")
                .map(|v| text(v, "secret name"))
                .transpose()?,
        )
        .set_value_from(
            entry
                .get("valueFrom")
                .map(|v| text(v, "secret valueFrom"))
                .transpose()?,
        )
        .build()
        .map_err(|error| invalid(format!("secret: {error}")))
}

fn container(value: &Json) -> Result<ContainerDefinition, ProviderError> {
    let fields = obj(value, "a container definition")?;
    let mut builder = ContainerDefinition::builder();
    for (key, value) in fields {
        if value.is_null() {
            continue;
        }
        builder = match key.as_str() {
            "name" => builder.name(text(value, key)?),
            "image" => builder.image(text(value, key)?),
            "cpu" => builder.cpu(int(value, key)?),
            "memory" => builder.memory(int(value, key)?),
            "memoryReservation" => builder.memory_reservation(int(value, key)?),
            "essential" => builder.essential(boolean(value, key)?),
            "command" => builder.set_command(Some(strings(value, key)?)),
            "entryPoint" => builder.set_entry_point(Some(strings(value, key)?)),
            "workingDirectory" => builder.working_directory(text(value, key)?),
            "user" => builder.user(text(value, key)?),
            "readonlyRootFilesystem" => builder.readonly_root_filesystem(boolean(value, key)?),
            "stopTimeout" => builder.stop_timeout(int(value, key)?),
            "startTimeout" => builder.start_timeout(int(value, key)?),
            "dockerLabels" => builder.set_docker_labels(Some(string_map(value, key)?)),
            "portMappings" => {
                let mut mappings = Vec::new();
                for item in list(value, key)? {
                    let entry = obj(item, "a port mapping")?;
                    let mut mapping = PortMapping::builder();
                    for (field, value) in entry {
                        if value.is_null() {
                            continue;
                        }
                        mapping = match field.as_str() {
                            "containerPort" => mapping.container_port(int(value, field)?),
                            "hostPort" => mapping.host_port(int(value, field)?),
                            "protocol" => mapping
                                .protocol(TransportProtocol::from(text(value, field)?.as_str())),
                            "name" => mapping.name(text(value, field)?),
                            "appProtocol" => mapping.app_protocol(ApplicationProtocol::from(
                                text(value, field)?.as_str(),
                            )),
                            other => {
                                return Err(invalid(format!(
                                    "portMappings field `{other}` is not supported"
                                )))
                            }
                        };
                    }
                    mappings.push(mapping.build());
                }
                builder.set_port_mappings(Some(mappings))
            }
            "environment" => {
                let mut pairs = Vec::new();
                for item in list(value, key)? {
                    let entry = obj(item, "an environment entry")?;
                    pairs.push(
                        KeyValuePair::builder()
                            .set_name(entry.get("name").map(|v| text(v, "name")).transpose()?)
                            .set_value(entry.get("value").map(|v| text(v, "value")).transpose()?)
                            .build(),
                    );
                }
                builder.set_environment(Some(pairs))
            }
            "secrets" => builder.set_secrets(Some(
                list(value, key)?
                    .iter()
                    .map(secret)
                    .collect::<Result<_, _>>()?,
            )),
            "mountPoints" => {
                let mut points = Vec::new();
                for item in list(value, key)? {
                    let entry = obj(item, "a mount point")?;
                    points.push(
                        MountPoint::builder()
                            .set_source_volume(
                                entry
                                    .get("sourceVolume")
                                    .map(|v| text(v, "sourceVolume"))
                                    .transpose()?,
                            )
                            .set_container_path(
                                entry
                                    .get("containerPath")
                                    .map(|v| text(v, "containerPath"))
                                    .transpose()?,
                            )
                            .set_read_only(
                                entry
                                    .get("readOnly")
                                    .map(|v| boolean(v, "readOnly"))
                                    .transpose()?,
                            )
                            .build(),
                    );
                }
                builder.set_mount_points(Some(points))
            }
            "logConfiguration" => {
                let entry = obj(value, key)?;
                let configuration = LogConfiguration::builder()
                    .set_log_driver(
                        entry
                            .get("logDriver")
                            .map(|v| text(v, "logDriver"))
                            .transpose()?
                            .map(|driver| LogDriver::from(driver.as_str())),
                    )
                    .set_options(
                        entry
                            .get("options")
                            .filter(|v| !v.is_null())
                            .map(|v| string_map(v, "options"))
                            .transpose()?,
                    )
                    .set_secret_options(
                        entry
                            .get("secretOptions")
                            .filter(|v| !v.is_null())
                            .map(|v| list(v, "secretOptions")?.iter().map(secret).collect())
                            .transpose()?,
                    )
                    .build()
                    .map_err(|error| invalid(format!("logConfiguration: {error}")))?;
                builder.log_configuration(configuration)
            }
            "healthCheck" => {
                let entry = obj(value, key)?;
                let number = |field: &str| {
                    entry
                        .get(field)
                        .filter(|v| !v.is_null())
                        .map(|v| int(v, field))
                        .transpose()
                };
                let check = HealthCheck::builder()
                    .set_command(
                        entry
                            .get("command")
                            .map(|v| strings(v, "healthCheck command"))
                            .transpose()?,
                    )
                    .set_interval(number("interval")?)
                    .set_timeout(number("timeout")?)
                    .set_retries(number("retries")?)
                    .set_start_period(number("startPeriod")?)
                    .build()
                    .map_err(|error| invalid(format!("healthCheck: {error}")))?;
                builder.health_check(check)
            }
            "dependsOn" => {
                let mut dependencies = Vec::new();
                for item in list(value, key)? {
                    let entry = obj(item, "a dependsOn entry")?;
                    dependencies.push(
                        ContainerDependency::builder()
                            .set_container_name(
                                entry
                                    .get("containerName")
                                    .map(|v| text(v, "containerName"))
                                    .transpose()?,
                            )
                            .set_condition(
                                entry
                                    .get("condition")
                                    .map(|v| text(v, "condition"))
                                    .transpose()?
                                    .map(|c| ContainerCondition::from(c.as_str())),
                            )
                            .build()
                            .map_err(|error| invalid(format!("dependsOn: {error}")))?,
                    );
                }
                builder.set_depends_on(Some(dependencies))
            }
            "ulimits" => {
                let mut limits = Vec::new();
                for item in list(value, key)? {
                    let entry = obj(item, "a ulimit")?;
                    let field = |name: &str| entry.get(name).unwrap_or(&Json::Null);
                    limits.push(
                        Ulimit::builder()
                            .name(UlimitName::from(
                                text(field("name"), "ulimit name")?.as_str(),
                            ))
                            .soft_limit(int(field("softLimit"), "softLimit")?)
                            .hard_limit(int(field("hardLimit"), "hardLimit")?)
                            .build()
                            .map_err(|error| invalid(format!("ulimits: {error}")))?,
                    );
                }
                builder.set_ulimits(Some(limits))
            }
            other => {
                return Err(invalid(format!(
                    "container definition field `{other}` is not supported"
                )))
            }
        };
    }
    Ok(builder.build())
}

fn secret_json(secret: &Secret) -> Json {
    json!({ "name": secret.name(), "valueFrom": secret.value_from() })
}

/// The SDK's container definitions as ECS-shaped JSON (the fields `parse` understands).
pub fn to_json(containers: &[ContainerDefinition]) -> Json {
    Json::Array(containers.iter().map(container_json).collect())
}

fn container_json(container: &ContainerDefinition) -> Json {
    let mut out = Map::new();
    let mut put = |key: &str, value: Json| {
        if !value.is_null() {
            out.insert(key.to_string(), value);
        }
    };
    put("name", json!(container.name()));
    put("image", json!(container.image()));
    put("cpu", json!(container.cpu()));
    put("memory", json!(container.memory()));
    put("memoryReservation", json!(container.memory_reservation()));
    put("essential", json!(container.essential()));
    put("command", json!(container.command()));
    put("entryPoint", json!(container.entry_point()));
    put("workingDirectory", json!(container.working_directory()));
    put("user", json!(container.user()));
    put(
        "readonlyRootFilesystem",
        json!(container.readonly_root_filesystem()),
    );
    put("stopTimeout", json!(container.stop_timeout()));
    put("startTimeout", json!(container.start_timeout()));
    put("dockerLabels", json!(container.docker_labels()));
    put(
        "portMappings",
        Json::Array(
            container
                .port_mappings()
                .iter()
                .map(|mapping| {
                    json!({
                        "containerPort": mapping.container_port(),
                        "hostPort": mapping.host_port(),
                        "protocol": mapping.protocol().map(|p| p.as_str()),
                        "name": mapping.name(),
                        "appProtocol": mapping.app_protocol().map(|p| p.as_str()),
                    })
                })
                .collect(),
        ),
    );
    put(
        "environment",
        Json::Array(
            container
                .environment()
                .iter()
                .map(|pair| json!({ "name": pair.name(), "value": pair.value() }))
                .collect(),
        ),
    );
    put(
        "secrets",
        Json::Array(container.secrets().iter().map(secret_json).collect()),
    );
    put(
        "mountPoints",
        Json::Array(
            container
                .mount_points()
                .iter()
                .map(|point| {
                    json!({
                        "sourceVolume": point.source_volume(),
                        "containerPath": point.container_path(),
                        "readOnly": point.read_only(),
                    })
                })
                .collect(),
        ),
    );
    if let Some(configuration) = container.log_configuration() {
        put(
            "logConfiguration",
            json!({
                "logDriver": configuration.log_driver().as_str(),
                "options": configuration.options(),
                "secretOptions": configuration.secret_options().iter().map(secret_json).collect::<Vec<_>>(),
            }),
        );
    }
    if let Some(check) = container.health_check() {
        put(
            "healthCheck",
            json!({
                "command": check.command(),
                "interval": check.interval(),
                "timeout": check.timeout(),
                "retries": check.retries(),
                "startPeriod": check.start_period(),
            }),
        );
    }
    put(
        "dependsOn",
        Json::Array(
            container
                .depends_on()
                .iter()
                .map(|dependency| {
                    json!({
                        "containerName": dependency.container_name(),
                        "condition": dependency.condition().as_str(),
                    })
                })
                .collect(),
        ),
    );
    put(
        "ulimits",
        Json::Array(
            container
                .ulimits()
                .iter()
                .map(|limit| {
                    json!({
                        "name": limit.name().as_str(),
                        "softLimit": limit.soft_limit(),
                        "hardLimit": limit.hard_limit(),
                    })
                })
                .collect(),
        ),
    );
    Json::Object(out)
}

/// The canonical form two container definition documents are compared in: nulls, empty lists
/// and empty objects dropped, ECS's defaults filled in, `environment` and `secrets` sorted by
/// name, numbers written as numbers.
pub fn normalize(document: &Json) -> Json {
    match document {
        Json::Array(containers) => {
            Json::Array(containers.iter().map(normalize_container).collect())
        }
        other => other.clone(),
    }
}

fn drop_empty(value: &Json) -> Option<Json> {
    match value {
        Json::Null => None,
        Json::Array(items) if items.is_empty() => None,
        Json::Object(entries) if entries.is_empty() => None,
        Json::Array(items) => Some(Json::Array(items.iter().filter_map(drop_empty).collect())),
        Json::Object(entries) => {
            let kept: Map<String, Json> = entries
                .iter()
                .filter_map(|(key, value)| drop_empty(value).map(|value| (key.clone(), value)))
                .collect();
            (!kept.is_empty()).then_some(Json::Object(kept))
        }
        Json::String(text) => Some(
            // Numbers written as strings in a spec ("512") are numbers to ECS.
            Json::String(text.clone()),
        ),
        other => Some(other.clone()),
    }
}

const NUMERIC: &[&str] = &[
    "cpu",
    "memory",
    "memoryReservation",
    "stopTimeout",
    "startTimeout",
    "containerPort",
    "hostPort",
    "interval",
    "timeout",
    "retries",
    "startPeriod",
    "softLimit",
    "hardLimit",
];

fn numbers_as_numbers(value: &mut Json) {
    match value {
        Json::Object(entries) => {
            for (key, item) in entries.iter_mut() {
                if NUMERIC.contains(&key.as_str()) {
                    if let Some(number) = item.as_str().and_then(|t| t.parse::<i64>().ok()) {
                        *item = json!(number);
                    } else if let Some(number) = item.as_f64().filter(|n| n.fract() == 0.0) {
                        *item = json!(number as i64);
                    }
                } else if key == "essential" || key == "readOnly" || key == "readonlyRootFilesystem"
                {
                    if let Some(flag) = item.as_str().and_then(|t| t.parse::<bool>().ok()) {
                        *item = json!(flag);
                    }
                }
                numbers_as_numbers(item);
            }
        }
        Json::Array(items) => items.iter_mut().for_each(numbers_as_numbers),
        _ => {}
    }
}

fn normalize_container(container: &Json) -> Json {
    let mut container = container.clone();
    numbers_as_numbers(&mut container);
    let Some(mut fields) = drop_empty(&container).and_then(|c| c.as_object().cloned()) else {
        return container;
    };
    fields.entry("essential").or_insert(json!(true));
    if fields.get("cpu") == Some(&json!(0)) {
        fields.remove("cpu");
    }
    if let Some(Json::Array(mappings)) = fields.get_mut("portMappings") {
        for mapping in mappings.iter_mut() {
            if let Json::Object(mapping) = mapping {
                if let Some(port) = mapping.get("containerPort").cloned() {
                    mapping.entry("hostPort").or_insert(port);
                }
                mapping.entry("protocol").or_insert(json!("tcp"));
            }
        }
    }
    if let Some(Json::Array(points)) = fields.get_mut("mountPoints") {
        for point in points.iter_mut() {
            if let Json::Object(point) = point {
                point.entry("readOnly").or_insert(json!(false));
            }
        }
    }
    for key in ["environment", "secrets"] {
        if let Some(Json::Array(entries)) = fields.get_mut(key) {
            entries.sort_by(|a, b| {
                let name = |v: &Json| {
                    v.get("name")
                        .and_then(Json::as_str)
                        .unwrap_or("")
                        .to_string()
                };
                name(a).cmp(&name(b))
            });
        }
    }
    Json::Object(fields)
}

/// True when two container definition documents mean the same to ECS.
pub fn equivalent(left: &str, right: &str) -> bool {
    match (
        serde_json::from_str::<Json>(left),
        serde_json::from_str::<Json>(right),
    ) {
        (Ok(left), Ok(right)) => normalize(&left) == normalize(&right),
        _ => left == right,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r#"[{"name":"backend","image":"repo/backend:1","cpu":512,"memory":1024,
        "portMappings":[{"containerPort":3000}],
        "environment":[{"name":"B","value":"2"},{"name":"A","value":"1"}],
        "secrets":[{"name":"MQTT","valueFrom":"arn:aws:secretsmanager:r:1:secret:mqtt"}],
        "mountPoints":[],
        "logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"/ecs/b"}}}]"#;

    #[test]
    fn ecs_defaults_and_order_do_not_count_as_a_change() {
        let containers = parse(SPEC).expect("parses");
        let answered = to_json(&containers);
        // What ECS answers: defaults filled in, environment reordered, empty lists.
        let mut answered = answered;
        let container = answered[0].as_object_mut().expect("object");
        container.insert("essential".into(), json!(true));
        container.insert("volumesFrom".into(), json!([]));
        container.insert(
            "portMappings".into(),
            json!([{"containerPort":3000,"hostPort":3000,"protocol":"tcp"}]),
        );
        container.insert(
            "environment".into(),
            json!([{"name":"A","value":"1"},{"name":"B","value":"2"}]),
        );
        assert!(equivalent(SPEC, &answered.to_string()));
    }

    #[test]
    fn a_new_image_is_a_change() {
        let other = SPEC.replace("backend:1", "backend:2");
        assert!(!equivalent(SPEC, &other));
    }

    #[test]
    fn essential_false_differs_from_the_default() {
        let spec = r#"[{"name":"a","image":"i","essential":false}]"#;
        let implicit = r#"[{"name":"a","image":"i"}]"#;
        assert!(!equivalent(spec, implicit));
        assert!(equivalent(
            r#"[{"name":"a","image":"i","essential":true}]"#,
            implicit
        ));
    }

    #[test]
    fn round_trip_keeps_every_supported_field() {
        let containers = parse(SPEC).expect("parses");
        assert_eq!(containers[0].secrets().len(), 1);
        assert_eq!(
            containers[0].port_mappings()[0].container_port(),
            Some(3000)
        );
        assert!(equivalent(SPEC, &to_json(&containers).to_string()));
    }

    #[test]
    fn unknown_fields_and_bad_shapes_are_refused() {
        assert!(parse(r#"[{"name":"a","imagee":"x"}]"#).is_err());
        assert!(parse(r#"{"name":"a"}"#).is_err());
        assert!(parse(r#"[{"name":"a","secrets":[{"name":"S"}]}]"#).is_err());
    }

    #[test]
    fn numbers_written_as_strings_equal_numbers() {
        assert!(equivalent(
            r#"[{"name":"a","image":"i","cpu":"256","portMappings":[{"containerPort":"80"}]}]"#,
            r#"[{"name":"a","image":"i","cpu":256,"portMappings":[{"containerPort":80,"hostPort":80,"protocol":"tcp"}]}]"#
        ));
    }
}
