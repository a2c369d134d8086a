//! Helpers shared by the EC2 resource types.

/// Temporary stand-in used while a resource type's file is being written.
#[macro_export]
macro_rules! stub_resource {
    ($type:ident, $name:literal) => {
        pub struct $type {
            schema: $crate::schema::Schema,
        }
        impl $type {
            pub fn new() -> Self {
                $type {
                    schema: $crate::schema::Schema::default(),
                }
            }
        }
        #[async_trait::async_trait]
        impl $crate::provider::Resource for $type {
            fn type_name(&self) -> &'static str {
                $name
            }
            fn schema(&self) -> &$crate::schema::Schema {
                &self.schema
            }
            async fn create(
                &self,
                _: &$crate::provider::ProviderContext,
                _: &$crate::provider::Attributes,
            ) -> Result<$crate::provider::Attributes, $crate::error::ProviderError> {
                unimplemented!()
            }
            async fn read(
                &self,
                _: &$crate::provider::ProviderContext,
                _: &str,
                _: &$crate::provider::Attributes,
            ) -> Result<Option<$crate::provider::Attributes>, $crate::error::ProviderError> {
                unimplemented!()
            }
            async fn update(
                &self,
                _: &$crate::provider::ProviderContext,
                _: &str,
                _: &$crate::provider::Attributes,
                _: &$crate::provider::Attributes,
            ) -> Result<$crate::provider::Attributes, $crate::error::ProviderError> {
                unimplemented!()
            }
            async fn delete(
                &self,
                _: &$crate::provider::ProviderContext,
                _: &str,
                _: &$crate::provider::Attributes,
            ) -> Result<(), $crate::error::ProviderError> {
                unimplemented!()
            }
            async fn recover(
                &self,
                _: &$crate::provider::ProviderContext,
                _: &$crate::provider::Attributes,
            ) -> Result<Option<$crate::provider::Attributes>, $crate::error::ProviderError> {
                unimplemented!()
            }
        }
    };
}
