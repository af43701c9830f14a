//! Output writers: YAML and pretty JSON text for a document tree.
//!
//! The YAML emitter is our own rather than `serde_yaml`'s (yaml_serde): that
//! one leaves strings such as `yes`, `on`, `1_000` or `2026-03-01` unquoted,
//! which YAML 1.2 readers take as strings but YAML 1.1 readers (PyYAML,
//! SnakeYAML) read as booleans, numbers or dates. Every string emitted here is
//! read back as the same string by both families of readers (how: `yaml_scalar`).
//!
//! `yaml` writes the structure, `yaml_scalar` picks and writes string styles,
//! `json` writes pretty JSON.

mod json;
mod yaml;
mod yaml_scalar;

#[cfg(test)]
mod tests;

pub use json::to_json_string;
pub use yaml::to_yaml_string;

use serde_json::Value;

/// Output format of [`to_string`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
}

/// Text for a document tree in the given format; ends with `"\n"`.
pub fn to_string(value: &Value, format: Format) -> String {
    match format {
        Format::Yaml => to_yaml_string(value),
        Format::Json => to_json_string(value),
    }
}

/// Initial buffer size: big enough that small documents never reallocate,
/// small enough not to matter; big documents grow by doubling (amortised).
const INITIAL_CAPACITY: usize = 16 * 1024;

/// Indentation for both writers: `n` spaces.
const SPACES: &str = "                                                                ";

fn push_indent(out: &mut String, mut n: usize) {
    while n > SPACES.len() {
        out.push_str(SPACES);
        n -= SPACES.len();
    }
    out.push_str(&SPACES[..n]);
}
