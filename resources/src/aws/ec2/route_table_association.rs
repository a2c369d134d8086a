//! `aws_route_table_association`: associates a subnet (or an internet / virtual private
//! gateway, for edge routing) with a route table.
//!
//! AWS calls: AssociateRouteTable, DescribeRouteTables (read by the
//! `association.route-table-association-id` filter; recovery scans the table's associations),
//! ReplaceRouteTableAssociation (a changed route_table_id, in place), DisassociateRouteTable.
//!
//! Force-new: subnet_id, gateway_id. In place: route_table_id — note that
//! ReplaceRouteTableAssociation gives the association a new id, which update returns as `id`.
//!
//! Associations are not taggable and take no client token: recovery finds an association of
//! that subnet or gateway with that route table.

use crate::aws::kit::ResultExt;
use crate::aws::kit::attributes;
use crate::aws::AwsContext;
use async_trait::async_trait;
use aws_sdk_ec2::types::{
    Filter, RouteTableAssociation as Ec2Association, RouteTableAssociationStateCode,
};

use crate::aws::ec2::route_table::describe_route_table;
use crate::error::ProviderError;
use crate::provider::{Attributes, ProviderContext, Resource};
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

pub struct RouteTableAssociation {
    schema: Schema,
}

impl Default for RouteTableAssociation {
    fn default() -> Self {
        Self::new()
    }
}

impl RouteTableAssociation {
    pub fn new() -> Self {
        RouteTableAssociation {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String),
                Attribute::optional("subnet_id", AttrType::String).force_new(),
                Attribute::optional("gateway_id", AttrType::String).force_new(),
                Attribute::required("route_table_id", AttrType::String),
            ]),
        }
    }
}

fn is_live(association: &Ec2Association) -> bool {
    association
        .association_state()
        .and_then(|state| state.state())
        .is_none_or(|state| {
            matches!(
                state,
                RouteTableAssociationStateCode::Associated
                    | RouteTableAssociationStateCode::Associating
            )
        })
}

fn association_attributes(association: &Ec2Association) -> Attributes {
    [
        (
            "id",
            Value::from(association.route_table_association_id().map(str::to_string)),
        ),
        (
            "subnet_id",
            Value::from(association.subnet_id().map(str::to_string)),
        ),
        (
            "gateway_id",
            Value::from(association.gateway_id().map(str::to_string)),
        ),
        (
            "route_table_id",
            Value::from(association.route_table_id().map(str::to_string)),
        ),
    ]
    .into_iter()
    .map(|(key, value)| (key.to_string(), value))
    .collect()
}

/// The association with this id, or `None` when it is gone.
async fn read_association(
    context: &ProviderContext,
    id: &str,
) -> Result<Option<Attributes>, ProviderError> {
    let answer = context
        .aws()
        .ec2
        .describe_route_tables()
        .filters(
            Filter::builder()
                .name("association.route-table-association-id")
                .values(id)
                .build(),
        )
        .send()
        .await
        .map_err(|error| crate::aws::kit::sdk_error("DescribeRouteTables", error));
    let Some(output) = answer.not_found_as_none()? else {
 return Ok(None);
 };
    Ok(output
        .route_tables()
        .iter()
        .flat_map(|table| table.associations())
        .find(|association| {
            association.route_table_association_id() == Some(id) && is_live(association)
        })
        .map(association_attributes))
}

fn gone(id: &str) -> ProviderError {
    ProviderError::Aws {
        operation: "DescribeRouteTables".to_string(),
        code: "InvalidAssociationID.NotFound".to_string(),
        message: format!("route table association {id} does not exist"),
    }
}

#[async_trait]
impl Resource for RouteTableAssociation {
    fn type_name(&self) -> &'static str {
        "aws_route_table_association"
    }

    fn import_id(&self) -> String {
        "subnet id/route table id (subnet-…/rtb-…), or gateway id/route table id (igw-…/rtb-…) for an edge association".to_string()
    }

    async fn import(
        &self,
        context: &ProviderContext,
        import_id: &str,
    ) -> Result<Option<Attributes>, ProviderError> {
        // State's id is the association id (rtbassoc-…); Terraform imports by what is
        // associated and the table.
        let parts = crate::aws::kit::import_id::split(
            import_id,
            '/',
            2,
            "subnet-id/route-table-id or gateway-id/route-table-id",
        )?;
        let (target, table_id) = (parts[0], parts[1]);
        let Some(table) = describe_route_table(context, table_id).await? else {
            return Ok(None);
        };
        let association = table.associations().iter().find(|association| {
            is_live(association)
                && (association.subnet_id() == Some(target)
                    || association.gateway_id() == Some(target))
        });
        match association.and_then(|association| association.route_table_association_id()) {
            Some(association_id) => read_association(context, association_id).await,
            None => Ok(None),
        }
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn create(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let subnet_id = attributes::optional_string(desired, "subnet_id");
        let gateway_id = attributes::optional_string(desired, "gateway_id");
        if subnet_id.is_some() == gateway_id.is_some() {
            return Err(ProviderError::invalid(
                "subnet_id",
                "exactly one of subnet_id or gateway_id must be set",
            ));
        }
        let output = context
            .aws()
            .ec2
            .associate_route_table()
            .route_table_id(attributes::required_string(desired, "route_table_id")?)
            .set_subnet_id(subnet_id)
            .set_gateway_id(gateway_id)
            .send()
            .await
            .map_err(|error| crate::aws::kit::sdk_error("AssociateRouteTable", error))?;
        let id = output
            .association_id()
            .map(str::to_string)
            .ok_or_else(|| ProviderError::Aws {
                operation: "AssociateRouteTable".to_string(),
                code: "MissingAssociationId".to_string(),
                message: "AWS returned no association id".to_string(),
            })?;
        read_association(context, &id)
            .await?
            .ok_or_else(|| gone(&id))
    }

    async fn read(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        read_association(context, id).await
    }

    async fn update(
        &self,
        context: &ProviderContext,
        id: &str,
        prior: &Attributes,
        desired: &Attributes,
    ) -> Result<Attributes, ProviderError> {
        let route_table_id = attributes::required_string(desired, "route_table_id")?;
        if attributes::optional_string(prior, "route_table_id").as_deref() == Some(&route_table_id) {
            return read_association(context, id).await?.ok_or_else(|| gone(id));
        }
        let output = context
            .aws()
            .ec2
            .replace_route_table_association()
            .association_id(id)
            .route_table_id(&route_table_id)
            .send()
            .await
            .map_err(|error| crate::aws::kit::sdk_error("ReplaceRouteTableAssociation", error))?;
        let new_id = output.new_association_id().unwrap_or(id).to_string();
        read_association(context, &new_id)
            .await?
            .ok_or_else(|| gone(&new_id))
    }

    async fn delete(
        &self,
        context: &ProviderContext,
        id: &str,
        _prior: &Attributes,
    ) -> Result<(), ProviderError> {
        match context
            .aws()
            .ec2
            .disassociate_route_table()
            .association_id(id)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(error) => {
                let error = crate::aws::kit::sdk_error("DisassociateRouteTable", error);
                crate::aws::kit::ok_if_gone(error)
            }
        }
    }

    async fn recover(
        &self,
        context: &ProviderContext,
        desired: &Attributes,
    ) -> Result<Option<Attributes>, ProviderError> {
        let Some(route_table_id) = attributes::optional_string(desired, "route_table_id") else {
            return Ok(None);
        };
        let subnet_id = attributes::optional_string(desired, "subnet_id");
        let gateway_id = attributes::optional_string(desired, "gateway_id");
        let Some(table) = describe_route_table(context, &route_table_id).await? else {
            return Ok(None);
        };
        Ok(table
            .associations()
            .iter()
            .find(|association| {
                is_live(association)
                    && association.main() != Some(true)
                    && association.subnet_id() == subnet_id.as_deref()
                    && association.gateway_id() == gateway_id.as_deref()
            })
            .map(association_attributes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_route_table_changes_in_place() {
        let resource = RouteTableAssociation::new();
        let schema = resource.schema();
        assert!(schema
            .attribute("subnet_id")
            .is_some_and(|attribute| attribute.force_new));
        assert!(schema
            .attribute("gateway_id")
            .is_some_and(|attribute| attribute.force_new));
        assert!(schema
            .attribute("route_table_id")
            .is_some_and(|attribute| !attribute.force_new));
    }

    #[test]
    fn disassociated_associations_do_not_count() {
        let association = |state| {
            Ec2Association::builder()
                .route_table_association_id("rtbassoc-1")
                .association_state(
                    aws_sdk_ec2::types::RouteTableAssociationState::builder()
                        .state(state)
                        .build(),
                )
                .build()
        };
        assert!(is_live(&association(
            RouteTableAssociationStateCode::Associated
        )));
        assert!(!is_live(&association(
            RouteTableAssociationStateCode::Disassociated
        )));
    }
}
