//! Loading: YAML or JSON text into an order-preserving tree, with limits checked first.
//!
//! Keys are always strings (`200:` reads as `"200"`), duplicate keys are errors with
//! their position, and the cheap checks run before the parser: the size (from the file's
//! metadata, before reading it), and for YAML a linear pre-scan of the text that bounds the
//! nesting depth and the number of values, so that absurd input is refused before the parser
//! spends anything on it. While the tree is built, depth and value count are checked exactly;
//! aliases are counted as often as they are expanded, so an alias bomb stops at the value limit.
//!
//! Parts: `limits` (the limits and the capped read), `prescan` (the YAML pre-scan), `parse`
//! (choosing YAML or JSON, running serde_json and reporting its errors), `yaml` (the YAML tree
//! from `saphyr-parser`'s events) and `scalars` (what a YAML scalar means), `tree` (the JSON
//! tree within the limits) and `notes` (the `$ref` values noted on the way).

use std::path::Path;

use serde_json::Value;

use crate::diagnostics::{codes, Diagnostic, Error};

mod limits;
mod notes;
mod numbers;
mod parse;
mod prescan;
mod scalars;
mod tree;
mod yaml;

pub use limits::{read_capped, Limits};
pub use notes::RefNotes;

use limits::check_size;
use parse::parse_text;

/// The syntax a document was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Yaml,
    Json,
}

/// A loaded document: its display name, syntax and tree.
#[derive(Debug, Clone)]
pub struct Document {
    pub name: String,
    pub syntax: Syntax,
    pub value: Value,
}

/// Reads and parses a file.
pub fn load_path(path: &Path, limits: &Limits) -> Result<Document, Error> {
    load_path_with_warnings(path, limits).map(|(doc, _)| doc)
}

/// [`load_path`], also noting the `$ref` values on the way ([`RefNotes`]). The same tree and
/// the same errors; [`load_path`] itself does none of the noting.
pub fn load_path_noting_refs(path: &Path, limits: &Limits) -> Result<(Document, RefNotes), Error> {
    load_noting(path, limits, false)
}

/// [`load_path_noting_refs`] for a forward conversion: the JSON tree builder also looks ahead
/// at the component schemas ([`RefNotes::unchanged_schemas`]), which only that conversion uses.
pub fn load_path_for_conversion(
    path: &Path,
    limits: &Limits,
) -> Result<(Document, RefNotes), Error> {
    load_noting(path, limits, true)
}

fn load_noting(
    path: &Path,
    limits: &Limits,
    look_ahead: bool,
) -> Result<(Document, RefNotes), Error> {
    let name = path.display().to_string();
    let bytes = read_capped(path, &name, limits)?;
    parse_bytes_noting::<true>(&bytes, &name, limits, look_ahead)
}

/// [`load_path`], with the warnings about constructs read though YAML forbids them.
pub fn load_path_with_warnings(
    path: &Path,
    limits: &Limits,
) -> Result<(Document, Vec<Diagnostic>), Error> {
    let name = path.display().to_string();
    let bytes = read_capped(path, &name, limits)?;
    parse_bytes_noting::<false>(&bytes, &name, limits, false)
        .map(|(doc, notes)| (doc, notes.warnings))
}

/// Parses bytes that should hold UTF-8 YAML or JSON.
pub fn parse_bytes(bytes: &[u8], name: &str, limits: &Limits) -> Result<Document, Error> {
    parse_bytes_noting::<false>(bytes, name, limits, false).map(|(doc, _)| doc)
}

/// [`parse_bytes`]; with `REFS`, the references are noted as the tree is built.
fn parse_bytes_noting<const REFS: bool>(
    bytes: &[u8],
    name: &str,
    limits: &Limits,
    look_ahead: bool,
) -> Result<(Document, RefNotes), Error> {
    check_size(name, bytes.len(), limits)?;
    let bom = bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]);
    let ascii_utf16 = |b: &[u8]| b.len() >= 4 && b[0] != 0 && b[1] == 0 && b[2] != 0 && b[3] == 0;
    let swapped: Vec<u8> = bytes.iter().take(4).rev().copied().collect();
    if bom || ascii_utf16(bytes) || ascii_utf16(&swapped) {
        let msg = "the file is UTF-16; save it as UTF-8";
        return Err(Diagnostic::error(codes::PARSE, name, "", msg)
            .at(1, 1)
            .into());
    }
    // Before UTF-8: an image or an executable is "binary", not "invalid UTF-8".
    check_binary(bytes, name)?;
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = position_of(bytes, e.valid_up_to());
        Diagnostic::error(
            codes::PARSE,
            name,
            "",
            format!(
                "the file is not valid UTF-8 (invalid byte at offset {})",
                e.valid_up_to()
            ),
        )
        .at(line, column)
    })?;
    parse_text::<REFS>(text, name, limits, look_ahead)
}

/// Parses YAML or JSON text, detected from its content.
pub fn parse_str(text: &str, name: &str, limits: &Limits) -> Result<Document, Error> {
    check_size(name, text.len(), limits)?;
    check_binary(text.as_bytes(), name)?;
    parse_text::<false>(text, name, limits, false).map(|(doc, _)| doc)
}

/// Text never holds NUL; images, archives and executables do, early on.
fn check_binary(bytes: &[u8], name: &str) -> Result<(), Error> {
    // `contains` searches a word at a time; `position` a byte at a time (5% of a load).
    if !bytes.contains(&0) {
        return Ok(());
    }
    match bytes.iter().position(|&b| b == 0) {
        Some(at) => {
            let (line, column) = position_of(bytes, at);
            let msg = "the file is binary (it contains NUL bytes), not YAML or JSON text";
            Err(Diagnostic::error(codes::PARSE, name, "", msg)
                .at(line, column)
                .into())
        }
        None => Ok(()),
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn position_of(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = before[start..]
        .iter()
        .filter(|&&b| (b & 0xC0) != 0x80)
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests;
