//! The `provision` binary: see `provision --help`.

fn main() -> std::process::ExitCode {
    provision_engine::cli::main()
}
