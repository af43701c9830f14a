//! Parsing checked text: JSON or YAML (detected from the content) into a tree through the
//! budgeted tree builder, with the parsers' errors turned into diagnostics.

use serde::de::DeserializeSeed;
use serde_json::Value;

use super::limits::Limits;
use super::notes::RefNotes;
use super::prescan::{prescan_json, prescan_yaml};
use super::tree::{Budget, TreeSeed};
use super::yaml::parse_yaml;
use super::{Document, Syntax};
use crate::diagnostics::{codes, Diagnostic, Error};

/// Parses text already checked for size and NUL bytes.
/// With `look_ahead` (and `REFS`), JSON component schemas are checked for the forward
/// conversion ([`RefNotes::unchanged_schemas`]).
pub(super) fn parse_text<const REFS: bool>(
    text: &str,
    name: &str,
    limits: &Limits,
    look_ahead: bool,
) -> Result<(Document, RefNotes), Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let syntax = if looks_like_json(text) {
        Syntax::Json
    } else {
        Syntax::Yaml
    };
    let (value, notes, syntax) = match syntax {
        Syntax::Json => match parse_json::<REFS>(text, name, limits, look_ahead) {
            Ok((value, notes)) => (value, notes, Syntax::Json),
            // `{` or `[` also starts YAML flow collections (`{a: 1}`), which JSON tools in
            // this field read as YAML; a file named `.json` stays JSON.
            Err(e) if e.diagnostic.code == codes::PARSE && !name.ends_with(".json") => {
                let (value, notes) = yaml::<REFS>(text, name, limits).map_err(|_| e)?;
                (value, notes, Syntax::Yaml)
            }
            Err(e) => return Err(e),
        },
        Syntax::Yaml => {
            let (value, notes) = yaml::<REFS>(text, name, limits)?;
            (value, notes, Syntax::Yaml)
        }
    };
    if value.is_null() {
        return Err(Diagnostic::error(codes::EMPTY, name, "", "the document is empty").into());
    }
    let doc = Document {
        name: name.to_string(),
        syntax,
        value,
    };
    Ok((doc, notes))
}

/// Pre-scan, then parse YAML.
fn yaml<const REFS: bool>(
    text: &str,
    name: &str,
    limits: &Limits,
) -> Result<(Value, RefNotes), Error> {
    prescan_yaml(text, name, limits)?;
    parse_yaml::<REFS>(text, name, limits)
}

fn looks_like_json(text: &str) -> bool {
    matches!(
        text.trim_start().as_bytes().first(),
        Some(b'{') | Some(b'[')
    )
}

fn parse_json<const REFS: bool>(
    text: &str,
    name: &str,
    limits: &Limits,
    look_ahead: bool,
) -> Result<(Value, RefNotes), Error> {
    let allowed = limits.node_allowance(text.len(), true);
    if allowed > limits.max_nodes {
        // Large enough to be allowed more values: check the density before building anything.
        prescan_json(text, name, limits, allowed)?;
    }
    let budget = Budget::new(limits, text, look_ahead);
    let mut de = serde_json::Deserializer::from_str(text);
    let value = TreeSeed::<REFS>::root(&budget)
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|_| v));
    value.map(|v| (v, budget.notes.take())).map_err(|e| {
        let (line, column) = (e.line(), e.column());
        let (code, msg) = classify(&budget, &e.to_string(), limits);
        Diagnostic::error(code, name, &budget.pointer(), msg)
            .at(line, column)
            .into()
    })
}

/// The code and a readable message for a parser error.
fn classify(budget: &Budget, msg: &str, limits: &Limits) -> (&'static str, String) {
    if let Some((code, msg)) = budget.failure.take() {
        return (code, msg);
    }
    let msg = strip_position(msg);
    if msg.ends_with("recursion limit exceeded") {
        // Only reached when `max_depth` is 128 or more: the parsers' own limit.
        let msg = format!(
            "collections are nested more than 127 levels deep, the parser's limit (the limit \
             is {}; raise it with --max-depth up to 127)",
            limits.max_depth
        );
        return (codes::TOO_DEEP, msg);
    }
    (codes::PARSE, msg)
}

/// Parser messages end with "at line L column C"; we report the position separately.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}
