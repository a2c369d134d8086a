//! Input variables: values from defaults, `--var`, `--var-file`, `<spec>/env/NAME.tfvars`,
//! `TF_VAR_*` / `PROVISION_VAR_*`, converted to the declared type and validated.
