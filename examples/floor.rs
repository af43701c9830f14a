//! The performance floor for `hookbridge convert`: parse the input and write it
//! back out with the same loader, emitter and file-writing path as the CLI, but
//! no conversion. `bench/run.sh` times this against the real command.
//!
//! cargo run --release --example floor -- INPUT OUTPUT [--format json|yaml]
//!
//! * parse: `hookbridge::document::load::load_path` with default limits (the CLI's entry
//!   point for a file argument);
//! * emit: `hookbridge::document::emit::to_string` of the parsed tree;
//! * write: like the CLI, a temporary file beside OUTPUT, `sync_all`, then a
//!   rename over OUTPUT, so the fsync is paid by both sides of the comparison;
//! * exit: like the CLI, without freeing the tree (`std::mem::forget`), so neither side
//!   pays for destructors just before the process ends.
//!
//! The default format is JSON. Exit status 2 on bad usage, 1 on any failure.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use hookbridge::document::emit::{self, Format};

const USAGE: &str = "usage: floor INPUT OUTPUT [--format json|yaml]";

fn main() -> ExitCode {
    let (input, output, format) = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(msg) => {
            eprintln!("floor: {msg}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&input, &output, format) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("floor: {msg}");
            ExitCode::from(1)
        }
    }
}

fn parse_args(args: impl Iterator<Item = String>) -> Result<(PathBuf, PathBuf, Format), String> {
    let mut positional = Vec::new();
    let mut format = Format::Json;
    let mut args = args;
    while let Some(arg) = args.next() {
        let value = match arg.as_str() {
            "--format" => Some(args.next().ok_or("--format needs a value")?),
            s if s.starts_with("--format=") => Some(s["--format=".len()..].to_owned()),
            "-h" | "--help" => return Err("help requested".into()),
            _ => {
                positional.push(PathBuf::from(arg));
                None
            }
        };
        if let Some(v) = value {
            format = match v.as_str() {
                "json" => Format::Json,
                "yaml" => Format::Yaml,
                other => return Err(format!("unknown format {other:?} (json or yaml)")),
            };
        }
    }
    match <[PathBuf; 2]>::try_from(positional) {
        Ok([input, output]) => Ok((input, output, format)),
        Err(_) => Err("expected exactly two paths, INPUT and OUTPUT".into()),
    }
}

fn run(input: &Path, output: &Path, format: Format) -> Result<(), String> {
    let doc = hookbridge::document::load::load_path(input, &Default::default())
        .map_err(|e| e.to_string())?;
    let text = emit::to_string(&doc.value, format);
    let written = write_atomically(output, &text)
        .map_err(|e| format!("cannot write {}: {e}", output.display()));
    // Like the CLI, which exits right after: the tree is not freed node by node.
    std::mem::forget(doc);
    written
}

/// Same steps as the CLI's `write_output` for a file path.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
