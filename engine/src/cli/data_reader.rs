//! The data reader the commands plan with: reads data sources during plan on a runtime of its
//! own (the planner is synchronous), connects to AWS on the first read that needs it, and
//! answers a read it has made before (same address and arguments) from memory, so the several
//! plans of one command read each data source once. It also reads the cloud objects of
//! `import {}` blocks (through each type's `import`), once per address and import ID.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use provision_resources::aws::AwsClients;
use provision_resources::{
    ApiCallCounter, Attributes, DataContext, DataSource, ProviderClients, ProviderContext,
    ProviderError, Resource, Value,
};
use tokio::sync::OnceCell;

use crate::plan::data::DataReader;
use crate::provider_configuration::ProviderSettings;

pub struct CliDataReader {
    runtime: Option<tokio::runtime::Runtime>,
    /// Every provider configuration of the spec, evaluated: a read goes through its block's.
    settings: BTreeMap<String, ProviderSettings>,
    /// The clients of each configuration a read has needed so far.
    clients: Mutex<BTreeMap<String, Arc<OnceCell<Arc<AwsClients>>>>>,
    api_calls: ApiCallCounter,
    answers: Mutex<HashMap<(String, String), Attributes>>,
    /// What `import {}` blocks read, by address and import ID.
    imported: Mutex<HashMap<(String, String), Option<Attributes>>>,
    working_directory: PathBuf,
}

impl CliDataReader {
    pub fn new(settings: BTreeMap<String, ProviderSettings>) -> std::io::Result<CliDataReader> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        Ok(CliDataReader {
            runtime: Some(runtime),
            settings,
            clients: Mutex::new(BTreeMap::new()),
            api_calls: ApiCallCounter::default(),
            answers: Mutex::new(HashMap::new()),
            imported: Mutex::new(HashMap::new()),
            working_directory: std::env::current_dir().unwrap_or_default(),
        })
    }

    /// The AWS API calls made by the reads so far, per operation (None before any connection).
    pub fn api_calls(&self) -> Option<std::collections::BTreeMap<String, u64>> {
        let connected = self
            .clients
            .lock()
            .map(|clients| !clients.is_empty())
            .unwrap_or(false);
        connected.then(|| self.api_calls.snapshot())
    }

    /// The clients of `configuration`, connected on first use with its settings (one the spec
    /// does not configure is the standard chain's).
    async fn clients_of(&self, configuration: &str) -> Arc<AwsClients> {
        let cell = self
            .clients
            .lock()
            .map(|mut clients| {
                clients
                    .entry(configuration.to_string())
                    .or_default()
                    .clone()
            })
            .unwrap_or_default();
        cell.get_or_init(|| async {
            let options = self
                .settings
                .get(configuration)
                .map(|settings| settings.connect.clone())
                .unwrap_or_default();
            Arc::new(AwsClients::connect_counting(&options, self.api_calls.clone()).await)
        })
        .await
        .clone()
    }
}

impl DataReader for CliDataReader {
    fn read(
        &self,
        data_source: &dyn DataSource,
        address: &str,
        configuration: &str,
        arguments: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let key = (
            format!("{address} {configuration}"),
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
                            Some(self.clients_of(configuration).await as ProviderClients)
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

    fn import(
        &self,
        resource: &dyn Resource,
        address: &str,
        configuration: &str,
        import_id: &str,
    ) -> Result<Option<Attributes>, ProviderError> {
        let key = (
            format!("import {address} {configuration}"),
            import_id.to_string(),
        );
        let known = self
            .imported
            .lock()
            .ok()
            .and_then(|imported| imported.get(&key).cloned());
        if let Some(answer) = known {
            return Ok(answer);
        }
        let result = self.block_on(address, async {
            let context = ProviderContext {
                clients: self.clients_of(configuration).await as ProviderClients,
                stack: String::new(),
                address: address.to_string(),
                default_tags: self
                    .settings
                    .get(configuration)
                    .map(|settings| settings.default_tags.clone())
                    .unwrap_or_default(),
                idempotency_token: String::new(),
                progress: Default::default(),
            };
            resource.import(&context, import_id).await
        })?;
        if let Ok(mut imported) = self.imported.lock() {
            imported.insert(key, result.clone());
        }
        Ok(result)
    }
}

impl CliDataReader {
    /// Runs `work` on the reader's runtime, on a thread of its own (the caller may be inside
    /// another runtime).
    fn block_on<T: Send>(
        &self,
        address: &str,
        work: impl std::future::Future<Output = Result<T, ProviderError>> + Send,
    ) -> Result<T, ProviderError> {
        let runtime = self
            .runtime
            .as_ref()
            .ok_or_else(|| ProviderError::Refused("the data reader is shut down".to_string()))?;
        std::thread::scope(|scope| {
            scope
                .spawn(|| runtime.block_on(work))
                .join()
                .unwrap_or_else(|_| {
                    Err(ProviderError::Refused(format!(
                        "{address}: the read panicked"
                    )))
                })
        })
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
