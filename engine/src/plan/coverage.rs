//! The AWS provider's argument-coverage tables (`provision_resources::coverage`) as the planner
//! asks them: why a Terraform argument is not supported yet, the replacement of a deprecated
//! argument, the hint for a Terraform type name provision spells differently. A build without
//! the AWS providers (`--no-default-features`) has no tables and answers `None`.

/// Why `argument` of `type_name` is a Terraform argument provision does not support yet.
pub fn not_yet_supported(type_name: &str, argument: &str) -> Option<&'static str> {
    #[cfg(feature = "aws")]
    {
        provision_resources::coverage::not_yet_supported(type_name, argument)
    }
    #[cfg(not(feature = "aws"))]
    {
        let _ = (type_name, argument);
        None
    }
}

/// The replacement of a deprecated argument provision accepts with a warning.
pub fn deprecated_replacement(type_name: &str, argument: &str) -> Option<&'static str> {
    #[cfg(feature = "aws")]
    {
        provision_resources::coverage::deprecated_replacement(type_name, argument)
    }
    #[cfg(not(feature = "aws"))]
    {
        let _ = (type_name, argument);
        None
    }
}

/// The keys of `type_name`'s `timeouts {}` block, when Terraform gives it one.
pub fn timeouts_of(type_name: &str) -> Option<&'static [&'static str]> {
    #[cfg(feature = "aws")]
    {
        provision_resources::coverage::timeouts_of(type_name)
    }
    #[cfg(not(feature = "aws"))]
    {
        let _ = type_name;
        None
    }
}

/// The hint for an unknown type that Terraform knows and provision replaces or lacks.
pub fn replacement_hint(type_name: &str) -> Option<&'static str> {
    #[cfg(feature = "aws")]
    {
        provision_resources::coverage::replacement_hint(type_name)
    }
    #[cfg(not(feature = "aws"))]
    {
        let _ = type_name;
        None
    }
}
