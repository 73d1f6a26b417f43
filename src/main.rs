//! The `sluss` binary: all work happens in the library.

fn main() -> std::process::ExitCode {
    sluss::cli::main()
}
