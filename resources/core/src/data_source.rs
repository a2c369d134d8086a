//! The `DataSource` trait every data source type implements (`data "aws_vpc" "main" {}`), and
//! the context a read runs in. Beside `Resource`: a data source only reads. No cloud SDK here:
//! the AWS data sources reach their clients through `provision_resources::aws::AwsDataContext`.

use std::any::Any;
use std::path::PathBuf;

use async_trait::async_trait;

use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderClients};
use crate::schema::Schema;

/// Everything a data source read needs besides its arguments.
#[derive(Clone)]
pub struct DataContext {
    /// The clients of the data source's provider configuration, opaque here as in
    /// `ProviderContext` (the AWS accessor is `AwsDataContext::aws` in provision-resources).
    /// `None` when the read needs no cloud (the engine connects only when one does).
    pub clients: Option<ProviderClients>,
    /// `data.aws_vpc.main`, for messages.
    pub address: String,
    /// The working directory relative paths resolve from (as Terraform's `path.cwd`).
    pub working_directory: PathBuf,
}

impl DataContext {
    /// The clients as the provider's own type `T`, or an error saying that this read needs a
    /// connection the engine did not make. Clients of another type are a wiring bug.
    pub fn clients_as<T: Any>(&self) -> Result<&T, ProviderError> {
        let clients = self.clients.as_deref().ok_or_else(|| {
            ProviderError::Refused(format!(
                "{}: no cloud connection for this read",
                self.address
            ))
        })?;
        Ok(clients
            .downcast_ref::<T>()
            .expect("a data source was given clients of another provider"))
    }
}

/// One data source type. The implementations live one per file in provision-resources, named
/// after the type (`aws/ec2/data_vpc.rs` is `data "aws_vpc"`).
///
/// Contract:
/// - `schema` lists the arguments (required / optional) and the attributes the read computes
///   (computed), with Terraform's names.
/// - `read` gets the evaluated arguments (every value known) and returns every attribute of the
///   schema: the arguments as given plus what it found, `id` always present. It never changes
///   the cloud. Nothing found where Terraform errors is an error.
/// - `needs_aws` is false for data sources computed locally (`aws_iam_policy_document`,
///   `archive_file`, `aws_partition`...).
#[async_trait]
pub trait DataSource: Send + Sync {
    /// Terraform's type name (`aws_vpc`).
    fn type_name(&self) -> &'static str;

    fn schema(&self) -> &Schema;

    fn needs_aws(&self) -> bool {
        true
    }

    async fn read(
        &self,
        context: &DataContext,
        arguments: &Attributes,
    ) -> Result<Attributes, ProviderError>;
}
