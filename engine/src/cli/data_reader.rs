//! The data reader the commands plan with: reads data sources during plan on a runtime of its
//! own (the planner is synchronous), connects to AWS on the first read that needs it, and
//! answers a read it has made before (same address and arguments) from memory, so the several
//! plans of one command read each data source once.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use provision_resources::aws::{AwsClients, ConnectOptions};
use provision_resources::{
    Attributes, DataContext, DataSource, ProviderClients, ProviderError, Value,
};
use tokio::sync::OnceCell;

use crate::plan::data::DataReader;

pub struct CliDataReader {
    runtime: Option<tokio::runtime::Runtime>,
    options: ConnectOptions,
    clients: OnceCell<Arc<AwsClients>>,
    answers: Mutex<HashMap<(String, String), Attributes>>,
    working_directory: PathBuf,
}

impl CliDataReader {
    pub fn new(options: ConnectOptions) -> std::io::Result<CliDataReader> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        Ok(CliDataReader {
            runtime: Some(runtime),
            options,
            clients: OnceCell::new(),
            answers: Mutex::new(HashMap::new()),
            working_directory: std::env::current_dir().unwrap_or_default(),
        })
    }

    /// The AWS API calls made by the reads so far, per operation.
    pub fn api_calls(&self) -> Option<std::collections::BTreeMap<String, u64>> {
        self.clients
            .get()
            .map(|clients| clients.api_calls.snapshot())
    }
}

impl DataReader for CliDataReader {
    fn read(
        &self,
        data_source: &dyn DataSource,
        address: &str,
        arguments: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let key = (
            address.to_string(),
            Value::Map(arguments.clone()).to_json().to_string(),
        );
        if let Some(answer) = self
            .answers
            .lock()
            .ok()
            .and_then(|answers| answers.get(&key).cloned())
        {
            return Ok(answer);
        }
        let runtime = self
            .runtime
            .as_ref()
            .ok_or_else(|| ProviderError::Refused("the data reader is shut down".to_string()))?;
        // On a thread of its own: the caller may be inside another runtime.
        let result = std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    runtime.block_on(async {
                        let clients = if data_source.needs_aws() {
                            Some(
                                self.clients
                                    .get_or_init(|| async {
                                        Arc::new(AwsClients::connect(&self.options).await)
                                    })
                                    .await
                                    .clone() as ProviderClients,
                            )
                        } else {
                            None
                        };
                        let context = DataContext {
                            clients,
                            address: address.to_string(),
                            working_directory: self.working_directory.clone(),
                        };
                        data_source.read(&context, arguments).await
                    })
                })
                .join()
                .unwrap_or_else(|_| {
                    Err(ProviderError::Refused(format!(
                        "{address}: the read panicked"
                    )))
                })
        })?;
        if let Ok(mut answers) = self.answers.lock() {
            answers.insert(key, result.clone());
        }
        Ok(result)
    }
}

impl Drop for CliDataReader {
    fn drop(&mut self) {
        // Dropping a runtime inside another one panics; this one has nothing left to finish.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}
