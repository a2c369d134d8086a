//! `aws_lb_listener`: a load balancer listener (port and protocol) and its default actions
//! (`forward` to a target group, `redirect`, `fixed-response`).
//!
//! AWS calls: CreateListener (tags in the same call), DescribeListeners (by ARN; by load
//! balancer for recovery), ModifyListener (port, protocol, SSL policy, certificate and default
//! actions in place), DescribeTags / AddTags / RemoveTags, DeleteListener.
//!
//! Replacement: a change of `load_balancer_arn`. Everything else changes in place.
//!
//! Readiness: usable at once.
//!
//! Deletion: DeleteListener. A listener already gone (its load balancer was deleted, which
//! takes the listeners with it) is success.
//!
//! Recovery: a load balancer has at most one listener per port, so the listener of the load
//! balancer on `port` is adopted when it carries this stack's `provision:*` tags.
//!
//! moto 5.2.1 (the test cloud): CreateListener accepts an IAM server certificate ARN without
//! checking it (an ACM certificate ARN must exist in moto's ACM), so tests use a made-up IAM
//! ARN; redirect settings the spec leaves out read back as absent (AWS answers `#{host}`,
//! `/#{path}`, ... for them).
//!
//! Drift: `list_managed` is GetResources of the Resource Groups Tagging API (`elasticloadbalancing:listener`).

use crate::aws::kit::tags::{carries_recovery_tags, sync_tags};
use crate::aws::kit::attributes;
use crate::aws::AwsContext;
use std::collections::BTreeMap;

use async_trait::async_trait;
use aws_sdk_elasticloadbalancingv2::types::{
    Action, ActionTypeEnum, Certificate, FixedResponseActionConfig, Listener, ProtocolEnum,
    RedirectActionConfig, RedirectActionStatusCodeEnum,
};

use crate::aws::elbv2::{describe_tags, elb_tags, ElbTags};
use crate::aws::kit::sdk_error;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, BlockNesting, NestedBlock, Schema};
use crate::value::Value;

pub struct LbListener {
    schema: Schema,
}

impl LbListener {
    pub fn new() -> Self {
        LbListener {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The listener ARN."),
                Attribute::computed("arn", AttrType::String),
                Attribute::required("load_balancer_arn", AttrType::String).force_new(),
                Attribute::optional("port", AttrType::Number),
                Attribute::optional_computed("protocol", AttrType::String)
                    .describe("`HTTP`, `HTTPS` (application); `TCP`, `TLS`, ... (network)."),
                Attribute::optional_computed("ssl_policy", AttrType::String)
                    .describe("The TLS negotiation policy of an HTTPS or TLS listener."),
                Attribute::optional("certificate_arn", AttrType::String)
                    .describe("The default certificate of an HTTPS or TLS listener."),
                Attribute::optional("tags", AttrType::map_of_strings()),
                Attribute::computed("tags_all", AttrType::map_of_strings()),
            ])
            .with_block(NestedBlock {
                name: "default_action",
                nesting: BlockNesting::List,
                schema: Schema::new(vec![
                    Attribute::required("type", AttrType::String)
                        .describe("`forward`, `redirect` or `fixed-response`."),
                    Attribute::optional("target_group_arn", AttrType::String),
                    Attribute::optional_computed("order", AttrType::Number),
                ])
                .with_block(NestedBlock {
                    name: "redirect",
                    nesting: BlockNesting::Single,
                    schema: Schema::new(vec![
                        Attribute::optional_computed("host", AttrType::String),
                        Attribute::optional_computed("path", AttrType::String),
                        Attribute::optional_computed("port", AttrType::String),
                        Attribute::optional_computed("protocol", AttrType::String),
                        Attribute::optional_computed("query", AttrType::String),
                        Attribute::required("status_code", AttrType::String)
                            .describe("`HTTP_301` or `HTTP_302`."),
                    ]),
                    force_new: false,
                    computed: false,
                })
                .with_block(NestedBlock {
                    name: "fixed_response",
                    nesting: BlockNesting::Single,
                    schema: Schema::new(vec![
                        Attribute::required("content_type", AttrType::String),
                        Attribute::optional("message_body", AttrType::String),
                        Attribute::optional_computed("status_code", AttrType::String),
                    ]),
                    force_new: false,
                    computed: false,
                }),
                force_new: false,
                computed: false,
            }),
        }
    }
}

impl Default for LbListener {
    fn default() -> Self {
        LbListener::new()
    }
}

/// The `default_action` blocks as ELBv2 actions.
fn default_actions(attributes: &Attributes) -> Result<Vec<Action>, ProviderError> {
    let blocks: Vec<&BTreeMap<String, Value>> = attributes
        .get("default_action")
        .and_then(Value::as_list)
        .map(|blocks| blocks.iter().filter_map(Value::as_map).collect())
        .unwrap_or_default();
    if blocks.is_empty() {
        return Err(ProviderError::invalid(
            "default_action",
            "a listener needs at least one default_action block",
        ));
    }
    let mut actions = Vec::with_capacity(blocks.len());
    for block in blocks {
        let text = |name: &str| block.get(name).and_then(Value::to_template_string);
        let kind = text("type").ok_or_else(|| ProviderError::invalid("type", "is required"))?;
        let nested = |name: &str| {
            block
                .get(name)
                .and_then(Value::as_list)
                .and_then(|items| items.first())
                .and_then(Value::as_map)
        };
        let redirect = nested("redirect").map(|redirect| {
            let field = |name: &str| redirect.get(name).and_then(Value::to_template_string);
            RedirectActionConfig::builder()
                .set_host(field("host"))
                .set_path(field("path"))
                .set_port(field("port"))
                .set_protocol(field("protocol"))
                .set_query(field("query"))
                .set_status_code(
                    field("status_code")
                        .map(|code| RedirectActionStatusCodeEnum::from(code.as_str())),
                )
                .build()
        });
        let fixed = nested("fixed_response").map(|fixed| {
            let field = |name: &str| fixed.get(name).and_then(Value::to_template_string);
            FixedResponseActionConfig::builder()
                .set_content_type(field("content_type"))
                .set_message_body(field("message_body"))
                .set_status_code(field("status_code"))
                .build()
        });
        match kind.as_str() {
            "forward" if text("target_group_arn").is_none() => {
                return Err(ProviderError::invalid(
                    "default_action",
                    "a forward action needs target_group_arn",
                ))
            }
            "redirect" if redirect.is_none() => {
                return Err(ProviderError::invalid(
                    "default_action",
                    "a redirect action needs a redirect block",
                ))
            }
            "fixed-response" if fixed.is_none() => {
                return Err(ProviderError::invalid(
                    "default_action",
                    "a fixed-response action needs a fixed_response block",
                ))
            }
            _ => {}
        }
        actions.push(
            Action::builder()
                .r#type(ActionTypeEnum::from(kind.as_str()))
                .set_target_group_arn(text("target_group_arn").filter(|_| kind == "forward"))
                .set_order(
                    block
                        .get("order")
                        .and_then(Value::as_f64)
                        .map(|order| order as i32),
                )
                .set_redirect_config(redirect.filter(|_| kind == "redirect"))
                .set_fixed_response_config(fixed.filter(|_| kind == "fixed-response"))
                .build(),
        );
    }
    Ok(actions)
}

/// ELBv2 actions as `default_action` block values. As in Terraform, a `redirect` or
/// `fixed_response` block on an action of another type is ignored (not sent, no diff): such a
/// block of `prior` is kept, so a spec can switch an action's type with a condition.
fn actions_value(actions: &[Action], prior: Option<&Value>) -> Value {
    let prior_blocks: Vec<&BTreeMap<String, Value>> = prior
        .and_then(Value::as_list)
        .map(|blocks| blocks.iter().filter_map(Value::as_map).collect())
        .unwrap_or_default();
    let optional = |value: Option<&str>| value.map(Value::string).unwrap_or_default();
    Value::List(
        actions
            .iter()
            .enumerate()
            .map(|(index, action)| {
                let kind = action
                    .r#type()
                    .map(|kind| kind.as_str())
                    .unwrap_or_default();
                let ignored = |name: &str, applies_to: &str| {
                    (kind != applies_to)
                        .then(|| prior_blocks.get(index).and_then(|block| block.get(name)))
                        .flatten()
                        .cloned()
                };
                let mut block = BTreeMap::new();
                block.insert(
                    "type".to_string(),
                    Value::string(
                        action
                            .r#type()
                            .map(|kind| kind.as_str())
                            .unwrap_or_default(),
                    ),
                );
                let target_group = action.target_group_arn().or_else(|| {
                    action
                        .forward_config()
                        .map(|forward| forward.target_groups())
                        .filter(|groups| groups.len() == 1)
                        .and_then(|groups| groups[0].target_group_arn())
                });
                block.insert("target_group_arn".to_string(), optional(target_group));
                block.insert(
                    "order".to_string(),
                    action
                        .order()
                        .map(|order| Value::Number(order.into()))
                        .unwrap_or_default(),
                );
                let redirect: Vec<Value> = action
                    .redirect_config()
                    .map(|redirect| {
                        let mut entry = BTreeMap::new();
                        entry.insert("host".to_string(), optional(redirect.host()));
                        entry.insert("path".to_string(), optional(redirect.path()));
                        entry.insert("port".to_string(), optional(redirect.port()));
                        entry.insert("protocol".to_string(), optional(redirect.protocol()));
                        entry.insert("query".to_string(), optional(redirect.query()));
                        entry.insert(
                            "status_code".to_string(),
                            optional(redirect.status_code().map(|code| code.as_str())),
                        );
                        Value::Map(entry)
                    })
                    .into_iter()
                    .collect();
                block.insert(
                    "redirect".to_string(),
                    ignored("redirect", "redirect").unwrap_or(Value::List(redirect)),
                );
                let fixed: Vec<Value> = action
                    .fixed_response_config()
                    .map(|fixed| {
                        let mut entry = BTreeMap::new();
                        entry.insert("content_type".to_string(), optional(fixed.content_type()));
                        entry.insert("message_body".to_string(), optional(fixed.message_body()));
                        entry.insert("status_code".to_string(), optional(fixed.status_code()));
                        Value::Map(entry)
                    })
                    .into_iter()
                    .collect();
                block.insert(
                    "fixed_response".to_string(),
                    ignored("fixed_response", "fixed-response").unwrap_or(Value::List(fixed)),
                );
                Value::Map(block)
            })
            .collect(),
    )
}

#[async_trait]
impl Resource for LbListener {
    fn type_name(&self) -> &'static str {
        "aws_lb_listener"
    }

    fn import_id(&self) -> String {
        "listener ARN".to_string()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    /// One read after create: create's answer lacks the default SSL policy AWS picks.
    fn create_answer_is_complete(&self) -> bool {
        false
    }

    async fn list_managed(
        &self,
        context: &ProviderContext,
        stack: &str,
    ) -> Result<Vec<(String, String)>, ProviderError> {
        use crate::aws::tagging::{list_tagged, ArnId};
        list_tagged(
            context,
            stack,
            self.type_name(),
            "elasticloadbalancing:listener",
            ArnId::Arn,
        )
        .await
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let output = context
            .aws()
            .elbv2
            .create_listener()
            .load_balancer_arn(attributes::required_string(desired, "load_balancer_arn")?)
            .set_port(attributes::optional_i64(desired, "port").map(|port| port as i32))
            .set_protocol(
                attributes::optional_string(desired, "protocol")
                    .map(|protocol| ProtocolEnum::from(protocol.as_str())),
            )
            .set_ssl_policy(attributes::optional_string(desired, "ssl_policy"))
            .set_certificates(certificates(desired))
            .set_default_actions(Some(default_actions(desired)?))
            .set_tags(Some(elb_tags(&context.tags_for(desired))))
            .send()
            .await
            .map_err(|error| sdk_error("CreateListener", error))?;
        let listener = output.listeners().first().ok_or_else(|| {
            ProviderError::Refused("CreateListener answered no listener".to_string())
        })?;
        let arn = listener.listener_arn().unwrap_or_default().to_string();
        let mut attributes = desired.clone();
        attributes.insert("id".into(), Value::string(&arn));
        attributes.insert("arn".into(), Value::string(&arn));
        Ok(attributes)
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let Some(listener) = describe(context, id).await? else {
            return Ok(None);
        };
        let Some(tags) = describe_tags(context, id).await? else {
            return Ok(None);
        };
        Ok(Some(listener_attributes(context, &listener, tags, prior)))
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let settings_changed = [
            "port",
            "protocol",
            "ssl_policy",
            "certificate_arn",
            "default_action",
        ]
        .iter()
        .any(|name| desired.get(*name) != prior.get(*name));
        if settings_changed {
            context
                .aws()
                .elbv2
                .modify_listener()
                .listener_arn(id)
                .set_port(attributes::optional_i64(desired, "port").map(|port| port as i32))
                .set_protocol(
                    attributes::optional_string(desired, "protocol")
                        .map(|protocol| ProtocolEnum::from(protocol.as_str())),
                )
                .set_ssl_policy(attributes::optional_string(desired, "ssl_policy"))
                .set_certificates(certificates(desired))
                .set_default_actions(Some(default_actions(desired)?))
                .send()
                .await
                .map_err(|error| sdk_error("ModifyListener", error))?;
        }
        sync_tags(&ElbTags, context, id, prior, desired).await?;
        self.read(context, id, desired).await?.ok_or_else(|| {
            ProviderError::Refused(format!("listener {id} disappeared during update"))
        })
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        match context
            .aws()
            .elbv2
            .delete_listener()
            .listener_arn(id)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(error) => {
                let error = sdk_error("DeleteListener", error);
                crate::aws::kit::ok_if_gone(error)
            }
        }
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let balancer = attributes::required_string(desired, "load_balancer_arn")?;
        let port = attributes::optional_i64(desired, "port").map(|port| port as i32);
        let listeners = match context
            .aws()
            .elbv2
            .describe_listeners()
            .load_balancer_arn(&balancer)
            .send()
            .await
        {
            Ok(output) => output.listeners().to_vec(),
            Err(error) => {
                let error = sdk_error("DescribeListeners", error);
                return crate::aws::kit::none_if_gone(error);
            }
        };
        let Some(listener) = listeners.into_iter().find(|found| found.port() == port) else {
            return Ok(None);
        };
        let arn = listener.listener_arn().unwrap_or_default().to_string();
        let Some(tags) = describe_tags(context, &arn).await? else {
            return Ok(None);
        };
        if !carries_recovery_tags(context, &tags) {
            return Ok(None);
        }
        Ok(Some(listener_attributes(context, &listener, tags, desired)))
    }
}

fn certificates(attributes: &Attributes) -> Option<Vec<Certificate>> {
    attributes::optional_string(attributes, "certificate_arn")
        .map(|arn| vec![Certificate::builder().certificate_arn(arn).build()])
}

/// DescribeListeners by ARN (`None` when gone).
async fn describe(context: &ProviderContext, arn: &str) -> Result<Option<Listener>, ProviderError> {
    match context
        .aws()
        .elbv2
        .describe_listeners()
        .listener_arns(arn)
        .send()
        .await
    {
        Ok(output) => Ok(output.listeners().first().cloned()),
        Err(error) => {
            let error = sdk_error("DescribeListeners", error);
            crate::aws::kit::none_if_gone(error)
        }
    }
}

fn listener_attributes(
    context: &ProviderContext,
    listener: &Listener,
    tags: BTreeMap<String, String>,
    prior: &Attributes,
) -> Attributes {
    let arn = listener.listener_arn().unwrap_or_default();
    let mut attributes = Attributes::new();
    attributes.insert("id".into(), Value::string(arn));
    attributes.insert("arn".into(), Value::string(arn));
    attributes.insert(
        "load_balancer_arn".into(),
        listener
            .load_balancer_arn()
            .map(Value::string)
            .unwrap_or_default(),
    );
    attributes.insert(
        "port".into(),
        listener
            .port()
            .map(|port| Value::Number(port.into()))
            .unwrap_or_default(),
    );
    attributes.insert(
        "protocol".into(),
        listener
            .protocol()
            .map(|protocol| Value::string(protocol.as_str()))
            .unwrap_or_default(),
    );
    attributes.insert(
        "ssl_policy".into(),
        listener
            .ssl_policy()
            .filter(|policy| !policy.is_empty())
            .map(Value::string)
            .unwrap_or_default(),
    );
    let certificate = listener
        .certificates()
        .iter()
        .find(|certificate| certificate.is_default() != Some(false))
        .and_then(|certificate| certificate.certificate_arn());
    attributes.insert(
        "certificate_arn".into(),
        certificate.map(Value::string).unwrap_or_default(),
    );
    attributes.insert(
        "default_action".into(),
        actions_value(listener.default_actions(), prior.get("default_action")),
    );
    let (tags, tags_all) = crate::aws::kit::tags::split_tags(context, tags);
    attributes.insert("tags".into(), tags);
    attributes.insert("tags_all".into(), tags_all);
    attributes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: Vec<(&str, Value)>) -> Value {
        Value::Map(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    fn with_actions(actions: Vec<Value>) -> Attributes {
        let mut attributes = Attributes::new();
        attributes.insert("default_action".into(), Value::List(actions));
        attributes
    }

    #[test]
    fn redirect_and_forward_blocks_become_actions_and_read_back() {
        let redirect = map(vec![
            ("type", Value::string("redirect")),
            ("target_group_arn", Value::Null),
            ("order", Value::Null),
            (
                "redirect",
                Value::List(vec![map(vec![
                    ("port", Value::string("443")),
                    ("protocol", Value::string("HTTPS")),
                    ("status_code", Value::string("HTTP_301")),
                ])]),
            ),
            ("fixed_response", Value::List(vec![])),
        ]);
        let actions = default_actions(&with_actions(vec![redirect])).unwrap();
        assert_eq!(actions[0].r#type(), Some(&ActionTypeEnum::Redirect));
        let config = actions[0].redirect_config().unwrap();
        assert_eq!(config.port(), Some("443"));
        assert_eq!(
            config.status_code(),
            Some(&RedirectActionStatusCodeEnum::Http301)
        );
        let value = actions_value(&actions, None);
        let block = &value.as_list().unwrap()[0];
        assert_eq!(block.get("type"), Some(&Value::string("redirect")));
        let read_redirect = &block.get("redirect").unwrap().as_list().unwrap()[0];
        assert_eq!(read_redirect.get("protocol"), Some(&Value::string("HTTPS")));
        assert_eq!(read_redirect.get("host"), Some(&Value::Null));

        let forward = map(vec![
            ("type", Value::string("forward")),
            ("target_group_arn", Value::string("arn:tg")),
        ]);
        let actions = default_actions(&with_actions(vec![forward])).unwrap();
        assert_eq!(actions[0].target_group_arn(), Some("arn:tg"));
        assert!(actions[0].redirect_config().is_none());
    }

    #[test]
    fn a_redirect_block_on_a_forward_action_is_ignored_like_terraform_does() {
        let redirect_block = Value::List(vec![map(vec![
            ("port", Value::string("443")),
            ("protocol", Value::string("HTTPS")),
            ("status_code", Value::string("HTTP_301")),
        ])]);
        let forward = map(vec![
            ("type", Value::string("forward")),
            ("target_group_arn", Value::string("arn:tg")),
            ("redirect", redirect_block.clone()),
        ]);
        let spec = with_actions(vec![forward]);
        let actions = default_actions(&spec).unwrap();
        assert!(actions[0].redirect_config().is_none(), "not sent");
        let read = actions_value(&actions, spec.get("default_action"));
        let block = &read.as_list().unwrap()[0];
        assert_eq!(block.get("redirect"), Some(&redirect_block), "no diff");
        let fresh = actions_value(&actions, None);
        assert_eq!(
            fresh.as_list().unwrap()[0].get("redirect"),
            Some(&Value::List(vec![]))
        );
    }

    #[test]
    fn incomplete_actions_are_refused() {
        assert!(default_actions(&Attributes::new()).is_err());
        let forward = map(vec![("type", Value::string("forward"))]);
        assert!(default_actions(&with_actions(vec![forward])).is_err());
        let redirect = map(vec![("type", Value::string("redirect"))]);
        assert!(default_actions(&with_actions(vec![redirect])).is_err());
    }
}
