//! The `hookbridge` command line: parses arguments, reads and writes files, renders
//! diagnostics and chooses the exit status. The conversion itself is the library's.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
