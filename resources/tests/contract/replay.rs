//! Recorded AWS answers, replayed in order, for what moto cannot serve: a connector that answers
//! each request with the next recorded response and keeps the requests it was sent, so a test
//! can check the calls made. It does what the SDK's `StaticReplayClient` does; that one sits
//! behind aws-smithy-http-client's `test-util` feature, and a dev-dependency with that feature
//! changes the features of the SDK's shared runtime crates for `cargo test`, so every aws-sdk
//! crate would be compiled twice (measured: a full rebuild of the SDK). Also a minimal CBOR
//! writer for the RPC v2 CBOR bodies of CloudWatch.

use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_runtime_api::shared::IntoShared;
use aws_smithy_types::body::SdkBody;

/// One recorded answer: the operation it answers (checked against the request made) and the
/// response AWS gave.
pub struct Recorded {
    pub operation: String,
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

/// One answer to send: status, headers, body.
type Answer = (u16, Vec<(&'static str, String)>, Vec<u8>);

/// Answers requests with `Recorded` responses in order; keeps the requests' URIs and
/// `x-amz-target` headers, and their bodies.
#[derive(Clone, Default, Debug)]
pub struct Replay {
    answers: Arc<Mutex<Vec<Answer>>>,
    expected: Arc<Vec<String>>,
    requests: Arc<Mutex<Vec<String>>>,
    bodies: Arc<Mutex<Vec<String>>>,
}

impl Replay {
    pub fn new(recorded: Vec<Recorded>) -> Replay {
        let expected = recorded
            .iter()
            .map(|answer| answer.operation.clone())
            .collect();
        let mut answers: Vec<_> = recorded
            .into_iter()
            .map(|answer| (answer.status, answer.headers, answer.body))
            .collect();
        answers.reverse();
        Replay {
            answers: Arc::new(Mutex::new(answers)),
            expected: Arc::new(expected),
            requests: Arc::default(),
            bodies: Arc::default(),
        }
    }

    /// Each request as `URI target`, in the order made.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    /// Each request's body as text (empty when it had none), in the order made.
    pub fn bodies(&self) -> Vec<String> {
        self.bodies.lock().unwrap().clone()
    }

    /// The operations the recorded answers were for, in order.
    pub fn expected(&self) -> &[String] {
        &self.expected
    }

    /// Each request's path (no host, no query), in the order made: what REST APIs' recorded
    /// answers name as their operation.
    pub fn paths(&self) -> Vec<String> {
        self.requests()
            .iter()
            .map(|request| {
                let uri = request.split(' ').next().unwrap_or_default();
                let path = uri.splitn(4, '/').nth(3).unwrap_or_default();
                format!("/{}", path.split('?').next().unwrap_or_default())
            })
            .collect()
    }

    /// The request paths made equal the recorded ones, in order (a recorded path ending in `*`
    /// is a prefix).
    pub fn assert_paths(&self) {
        let paths = self.paths();
        assert_eq!(paths.len(), self.expected.len(), "calls made: {paths:#?}");
        for (path, expected) in paths.iter().zip(self.expected.iter()) {
            let matches = match expected.strip_suffix('*') {
                Some(prefix) => path.starts_with(prefix),
                None => path == expected,
            };
            assert!(matches, "call {path}, recorded {expected}: {paths:#?}");
        }
    }
}

/// Defines `async fn replay_clients(replay: &Replay) -> Arc<AwsClients>`: clients on moto whose
/// `field` client answers from `replay` instead, at AWS's own endpoint (the host the recorded
/// answers were taken from). What the replay tests of a service moto cannot serve run on.
macro_rules! replay_clients {
    ($field:ident: $sdk:ident at $endpoint:literal) => {
        /// Clients whose one service answers from `replay`; the others (STS, needs) on moto.
        async fn replay_clients(
            replay: &$crate::replay::Replay,
        ) -> std::sync::Arc<provision_resources::aws::AwsClients> {
            $crate::harness::moto_clients().await; // fast polling, as every contract test
            let config = provision_e2e::MotoServer::shared().sdk_config().await;
            let mut clients = provision_resources::aws::AwsClients::from_config(&config);
            clients.$field = provision_resources::aws::LazyClient::of($sdk::Client::from_conf(
                $sdk::config::Builder::from(&config)
                    .http_client(replay.clone())
                    .endpoint_url($endpoint)
                    .build(),
            ));
            std::sync::Arc::new(clients)
        }
    };
}
pub(crate) use replay_clients;

impl HttpConnector for Replay {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let target = request
            .headers()
            .get("x-amz-target")
            .unwrap_or_default()
            .to_string();
        self.requests
            .lock()
            .unwrap()
            .push(format!("{} {target}", request.uri()));
        let body = request.body().bytes().unwrap_or_default();
        self.bodies
            .lock()
            .unwrap()
            .push(String::from_utf8_lossy(body).into_owned());
        let answer = self.answers.lock().unwrap().pop();
        let result = match answer {
            Some((status, headers, body)) => {
                let mut response = HttpResponse::new(
                    StatusCode::try_from(status).expect("recorded status"),
                    SdkBody::from(body),
                );
                for (name, value) in headers {
                    response.headers_mut().insert(name, value);
                }
                Ok(response)
            }
            None => Err(ConnectorError::other(
                "replay: no recorded answer left for this request".into(),
                None,
            )),
        };
        HttpConnectorFuture::new(async move { result })
    }
}

impl HttpClient for Replay {
    fn http_connector(
        &self,
        _settings: &HttpConnectorSettings,
        _components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        self.clone().into_shared()
    }
}

/// A CBOR encoding of a JSON document: whole numbers as integers, others as doubles.
pub fn cbor(json: &serde_json::Value) -> Vec<u8> {
    fn head(out: &mut Vec<u8>, major: u8, length: u64) {
        let major = major << 5;
        match length {
            0..=23 => out.push(major | length as u8),
            24..=0xff => out.extend([major | 24, length as u8]),
            0x100..=0xffff => {
                out.push(major | 25);
                out.extend((length as u16).to_be_bytes());
            }
            0x1_0000..=0xffff_ffff => {
                out.push(major | 26);
                out.extend((length as u32).to_be_bytes());
            }
            _ => {
                out.push(major | 27);
                out.extend(length.to_be_bytes());
            }
        }
    }
    fn write(out: &mut Vec<u8>, json: &serde_json::Value) {
        match json {
            serde_json::Value::Null => out.push(0xf6),
            serde_json::Value::Bool(flag) => out.push(if *flag { 0xf5 } else { 0xf4 }),
            serde_json::Value::Number(number) => match (number.as_u64(), number.as_i64()) {
                (Some(whole), _) if !number.is_f64() => head(out, 0, whole),
                (_, Some(negative)) if !number.is_f64() => head(out, 1, (-1 - negative) as u64),
                _ => {
                    out.push(0xfb);
                    out.extend(number.as_f64().unwrap_or_default().to_be_bytes());
                }
            },
            serde_json::Value::String(text) => {
                head(out, 3, text.len() as u64);
                out.extend(text.as_bytes());
            }
            serde_json::Value::Array(items) => {
                head(out, 4, items.len() as u64);
                for item in items {
                    write(out, item);
                }
            }
            serde_json::Value::Object(entries) => {
                head(out, 5, entries.len() as u64);
                for (key, value) in entries {
                    head(out, 3, key.len() as u64);
                    out.extend(key.as_bytes());
                    write(out, value);
                }
            }
        }
    }
    let mut out = Vec::new();
    write(&mut out, json);
    out
}

#[test]
fn cbor_matches_the_rfc_examples() {
    // RFC 8949 appendix A.
    assert_eq!(cbor(&serde_json::json!(0)), [0x00]);
    assert_eq!(cbor(&serde_json::json!(100)), [0x18, 0x64]);
    assert_eq!(cbor(&serde_json::json!(1000)), [0x19, 0x03, 0xe8]);
    assert_eq!(cbor(&serde_json::json!(-10)), [0x29]);
    assert_eq!(
        cbor(&serde_json::json!(1.1)),
        [0xfb, 0x3f, 0xf1, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a]
    );
    assert_eq!(cbor(&serde_json::json!("a")), [0x61, 0x61]);
    assert_eq!(cbor(&serde_json::json!([1, 2])), [0x82, 0x01, 0x02]);
    assert_eq!(cbor(&serde_json::json!({"a": 1})), [0xa1, 0x61, 0x61, 0x01]);
}
