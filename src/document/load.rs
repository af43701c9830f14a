//! Loading: YAML or JSON text into an order-preserving tree, with limits checked first.
//!
//! Keys are always strings (`200:` reads as `"200"`), duplicate keys are errors with
//! their position, and the cheap checks run before the parser: the size (from the file's
//! metadata, before reading it), and for YAML a linear pre-scan of the text that bounds the
//! nesting depth and the number of values. The YAML parser needs the pre-scan: it builds every
//! event of the document in memory before the tree is built (about 200 bytes per value, 300
//! per level of block nesting), and its scanner takes quadratic time on deeply nested flow
//! collections. While the tree is built, depth and value count are checked exactly; aliases
//! are counted as often as they are expanded, so an alias bomb stops at the value limit.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::fmt;
use std::io::Read;
use std::path::Path;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::diagnostics::{codes, Diagnostic, Error};
use crate::document::pointer;

/// Input limits, checked before the expensive work. See `docs/limits.md`.
///
/// The defaults accept GitHub's 4.8 MB, 134 000-value description with room to spare
/// (3x its size, 7x its values, 5x its depth) and keep the loader within a few hundred
/// MiB and a few seconds on any input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest input accepted, in bytes (each file of a multi-file specification).
    pub max_bytes: usize,
    /// Deepest nesting of collections (mappings and sequences; the root collection is level 1).
    /// The YAML and JSON parsers stop at 128 on their own, so larger values act as 127.
    pub max_depth: usize,
    /// Most values (mappings, sequences, scalars and mapping keys) in one document, counted
    /// after YAML aliases are expanded. For YAML it is also estimated before parsing.
    pub max_nodes: usize,
}

impl Limits {
    /// The default [`Limits::max_bytes`]: 16 MiB.
    pub const DEFAULT_MAX_BYTES: usize = 16 * 1024 * 1024;
    /// The default [`Limits::max_depth`]: 100 levels.
    pub const DEFAULT_MAX_DEPTH: usize = 100;
    /// The default [`Limits::max_nodes`]: one million values.
    pub const DEFAULT_MAX_NODES: usize = 1_000_000;
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: Self::DEFAULT_MAX_BYTES,
            max_depth: Self::DEFAULT_MAX_DEPTH,
            max_nodes: Self::DEFAULT_MAX_NODES,
        }
    }
}

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
    let name = path.display().to_string();
    let bytes = read_capped(path, &name, limits)?;
    parse_bytes(&bytes, &name, limits)
}

/// What [`load_path_noting_refs`] saw of references while it built the tree, so that the
/// bundler can tell a document that references no other file without walking the tree again.
/// It holds every candidate, wherever it is (data included); what they mean is up to the caller.
#[derive(Debug, Clone, Default)]
pub struct RefNotes {
    /// Every distinct string value of a `$ref` key.
    pub refs: HashSet<String>,
    /// Every distinct string value inside an object under a `mapping` key (where a
    /// discriminator's mapping may hold references).
    pub mapping_values: HashSet<String>,
}

/// [`load_path`], also noting the `$ref` values on the way ([`RefNotes`]). The same tree and
/// the same errors; [`load_path`] itself does none of the noting.
pub fn load_path_noting_refs(path: &Path, limits: &Limits) -> Result<(Document, RefNotes), Error> {
    let name = path.display().to_string();
    let bytes = read_capped(path, &name, limits)?;
    parse_bytes_noting::<true>(&bytes, &name, limits)
}

/// Reads a file, refusing it when it holds more than `limits.max_bytes`: first from its
/// metadata, without reading it, then while reading, so that a growing file, a pipe or a
/// device (`/dev/zero`) cannot exhaust memory.
pub fn read_capped(path: &Path, name: &str, limits: &Limits) -> Result<Vec<u8>, Error> {
    let io = |e: std::io::Error| -> Error {
        Diagnostic::error(codes::IO, name, "", format!("cannot read the file: {e}")).into()
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_dir() {
        let msg = "cannot read the file: it is a directory";
        return Err(Diagnostic::error(codes::IO, name, "", msg).into());
    }
    let len = usize::try_from(meta.len()).unwrap_or(usize::MAX);
    check_size(name, len, limits)?;
    let cap = limits.max_bytes.saturating_add(1);
    let mut bytes = Vec::with_capacity(if meta.is_file() { len } else { 0 });
    file.take(cap as u64).read_to_end(&mut bytes).map_err(io)?;
    check_size(name, bytes.len(), limits)?;
    Ok(bytes)
}

/// Parses bytes that should hold UTF-8 YAML or JSON.
pub fn parse_bytes(bytes: &[u8], name: &str, limits: &Limits) -> Result<Document, Error> {
    parse_bytes_noting::<false>(bytes, name, limits).map(|(doc, _)| doc)
}

/// [`parse_bytes`]; with `REFS`, the references are noted as the tree is built.
fn parse_bytes_noting<const REFS: bool>(
    bytes: &[u8],
    name: &str,
    limits: &Limits,
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
    parse_text::<REFS>(text, name, limits)
}

/// Parses YAML or JSON text, detected from its content.
pub fn parse_str(text: &str, name: &str, limits: &Limits) -> Result<Document, Error> {
    check_size(name, text.len(), limits)?;
    check_binary(text.as_bytes(), name)?;
    parse_text::<false>(text, name, limits).map(|(doc, _)| doc)
}

/// Text never holds NUL; images, archives and executables do, early on.
fn check_binary(bytes: &[u8], name: &str) -> Result<(), Error> {
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

/// Parses text already checked for size and NUL bytes.
fn parse_text<const REFS: bool>(
    text: &str,
    name: &str,
    limits: &Limits,
) -> Result<(Document, RefNotes), Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let syntax = if looks_like_json(text) {
        Syntax::Json
    } else {
        Syntax::Yaml
    };
    let (value, notes) = match syntax {
        Syntax::Json => parse_json::<REFS>(text, name, limits)?,
        Syntax::Yaml => {
            prescan_yaml(text, name, limits)?;
            parse_yaml::<REFS>(text, name, limits)?
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

fn check_size(name: &str, len: usize, limits: &Limits) -> Result<(), Error> {
    if len > limits.max_bytes {
        let msg = if len == limits.max_bytes.saturating_add(1) {
            // A capped read: the real size is unknown.
            format!(
                "the input is larger than the limit of {} bytes (raise it with --max-bytes)",
                limits.max_bytes
            )
        } else {
            format!(
                "the input is {len} bytes, more than the limit of {} bytes (raise it with \
                 --max-bytes)",
                limits.max_bytes
            )
        };
        return Err(Diagnostic::error(codes::TOO_LARGE, name, "", msg).into());
    }
    Ok(())
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
) -> Result<(Value, RefNotes), Error> {
    let budget = Budget::new(limits);
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

fn parse_yaml<const REFS: bool>(
    text: &str,
    name: &str,
    limits: &Limits,
) -> Result<(Value, RefNotes), Error> {
    if text.trim().is_empty() {
        return Ok((Value::Null, RefNotes::default()));
    }
    let budget = Budget::new(limits);
    let de = serde_yaml::Deserializer::from_str(text);
    let value = TreeSeed::<REFS>::root(&budget).deserialize(de);
    value.map(|v| (v, budget.notes.take())).map_err(|e| {
        let (code, msg) = classify(&budget, &e.to_string(), limits);
        let diag = Diagnostic::error(code, name, &budget.pointer(), msg);
        match e.location() {
            Some(loc) => diag.at(loc.line(), loc.column()).into(),
            None => diag.into(),
        }
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
    if msg.ends_with("repetition limit exceeded") {
        let msg = "YAML aliases expand too much: `*alias` references copy their anchored \
                   values more than 100 times the size of the document (an alias bomb?)"
            .to_string();
        return (codes::TOO_LARGE, msg);
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

// ---------------------------------------------------------------------------------------
// YAML pre-scan
// ---------------------------------------------------------------------------------------

/// Where the pre-scan is inside the current token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lex {
    /// Before a node: the next character may start a collection, a quote, a block scalar...
    NodeStart,
    /// Inside a plain (unquoted) scalar or an alias name.
    Plain,
    /// After a quoted scalar or a flow collection's end.
    AfterNode,
    /// Inside an anchor (`&a`) or a tag (`!t`): the node starts after it.
    Property,
}

/// One pass over YAML text, before the parser sees it: refuses flow collections nested more
/// than `max_depth` deep, chains of block indicators (`- - - x`) longer than `max_depth`, and
/// documents with more than `max_nodes` values (estimated, before alias expansion).
///
/// The scan follows YAML's structure closely enough to skip quoted scalars, block scalars
/// (`|`, `>`), comments and brackets inside plain scalars (`description: see [1`), so
/// ordinary documents are never refused. Where it cannot be sure, it counts: a bracket the
/// parser would treat as a flow collection is never hidden from it. In particular, a quoted
/// scalar opened in block context ends, for the scan, at the first line that is not indented
/// more than the line that opened it.
fn prescan_yaml(text: &str, name: &str, limits: &Limits) -> Result<(), Error> {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let too_deep = |what: &str, at: usize| -> Error {
        let (line, column) = position_of(bytes, at);
        let msg = format!(
            "{what} are nested more than {} levels deep (raise the limit with --max-depth)",
            limits.max_depth
        );
        Diagnostic::error(codes::TOO_DEEP, name, "", msg)
            .at(line, column)
            .into()
    };
    let too_many = |at: usize| -> Error {
        let (line, column) = position_of(bytes, at);
        Diagnostic::error(codes::TOO_LARGE, name, "", nodes_message(limits, false))
            .at(line, column)
            .into()
    };

    let mut i = 0usize;
    let mut flow = 0usize; // depth of flow collections
    let mut lex = Lex::NodeStart;
    let mut nodes = 0usize;
    // Block context, per line.
    let mut line_start = 0usize;
    let mut indent = 0usize;
    let mut chain = 0usize; // block indicators (`-`, `?`, `:`) opened on this line
    let mut struct_col = 0usize; // column of the innermost block structure on this line
    let mut token_col = 0usize; // column where the current plain/quoted scalar started
                                // Values the parser creates without a token of their own are counted too (so that the
                                // estimate stays close to the real count, never above it): a block collection under a
                                // key (`a:` then indented entries), a null value (`a:` then nothing), a mapping opened in
                                // a sequence entry (`- a: 1`), and a key without a value in a flow mapping (`{a, b}`).
    let mut key_open = false; // a block key ended on this line and its value has not started
    let mut pending = false; // the previous content line ended with an open key
    let mut map_in_entry = false; // `- a:` already counted its mapping on this line
                                  // A line that starts with a plain scalar after a line that ended in one may be its
                                  // continuation: the scalar is counted only if it turns out to be a key.
    let mut eol_lex = Lex::NodeStart; // the state at the end of the last content line
    let mut line_has_content = false;
    let mut continuation = false; // this line may continue the plain scalar before
    let mut deferred = false; // the plain scalar starting this line is not counted yet
    let mut flow_stack: Vec<FlowLevel> = Vec::new();
    // A quoted scalar: its quote and, in block context, the indentation of its first line.
    let mut quote: Option<(u8, usize)> = None;
    // Block scalar (`|`, `>`): lines indented more than this column belong to it.
    let mut block_scalar: Option<usize> = None;
    let mut block_scalar_indent: Option<usize> = None; // explicit or detected content indent

    let count = |nodes: &mut usize, at: usize| -> Result<(), Error> {
        *nodes += 1;
        if *nodes > limits.max_nodes {
            return Err(too_many(at));
        }
        Ok(())
    };

    while i < n {
        // ---- start of a line ----
        if i == line_start {
            let mut j = i;
            while j < n && bytes[j] == b' ' {
                j += 1;
            }
            let line_indent = j - i;
            let blank = j >= n || matches!(bytes[j], b'\n' | b'\r');
            if let Some(parent) = block_scalar {
                let inside = if blank {
                    true
                } else {
                    match block_scalar_indent {
                        Some(content) => line_indent >= content,
                        None if line_indent > parent => {
                            block_scalar_indent = Some(line_indent);
                            true
                        }
                        None => false,
                    }
                };
                if inside {
                    i = (skip_line(bytes, i) + 1).min(n);
                    line_start = i;
                    continue;
                }
                block_scalar = None;
                block_scalar_indent = None;
            }
            if flow == 0 {
                if let Some((_, opened_at)) = quote {
                    // A quoted scalar continues only on lines indented more than its first.
                    if !blank && line_indent <= opened_at {
                        quote = None;
                        lex = Lex::NodeStart;
                    }
                }
                if quote.is_none() {
                    if line_has_content {
                        eol_lex = lex;
                    }
                    lex = Lex::NodeStart;
                    line_has_content = !blank && bytes[j] != b'#';
                    if line_has_content {
                        pending = key_open;
                        key_open = false;
                        continuation = eol_lex == Lex::Plain;
                        deferred = false;
                    }
                }
                indent = line_indent;
                chain = 0;
                struct_col = line_indent;
                map_in_entry = false;
            }
            i = j;
            if i >= n {
                break;
            }
        }

        let b = bytes[i];
        if b == b'\n' {
            i += 1;
            line_start = i;
            continue;
        }

        // ---- inside a quoted scalar ----
        if let Some((q, _)) = quote {
            if q == b'"' && b == b'\\' {
                // An escape; `\` before a line break continues the line.
                i += if i + 1 < n && bytes[i + 1] != b'\n' {
                    2
                } else {
                    1
                };
                continue;
            }
            if b == q {
                if q == b'\'' && i + 1 < n && bytes[i + 1] == b'\'' {
                    i += 2; // '' is an escaped quote
                    continue;
                }
                quote = None;
                lex = Lex::AfterNode;
            }
            i += 1;
            continue;
        }

        let next = if i + 1 < n { bytes[i + 1] } else { b'\n' };
        let next_is_space = matches!(next, b' ' | b'\t' | b'\n' | b'\r');
        let prev_is_space = i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'\r');

        // ---- comments ----
        if b == b'#' && prev_is_space {
            i = skip_line(bytes, i);
            continue;
        }

        if flow > 0 {
            // ---- flow context: every bracket outside quotes and comments counts ----
            match b {
                b'[' | b'{' => {
                    flow += 1;
                    if flow > limits.max_depth {
                        return Err(too_deep("flow collections ([ ] or { })", i));
                    }
                    count(&mut nodes, i)?;
                    if let Some(top) = flow_stack.last_mut() {
                        top.entry = true;
                    }
                    flow_stack.push(FlowLevel::new(b == b'{'));
                    lex = Lex::NodeStart;
                }
                b']' | b'}' => {
                    flow -= 1;
                    if let Some(top) = flow_stack.pop() {
                        if top.key_without_value() {
                            count(&mut nodes, i)?;
                        }
                    }
                    lex = Lex::AfterNode;
                }
                b',' => {
                    if let Some(top) = flow_stack.last_mut() {
                        if top.key_without_value() {
                            count(&mut nodes, i)?;
                        }
                        *top = FlowLevel::new(top.mapping);
                    }
                    lex = Lex::NodeStart
                }
                b':' if next_is_space
                    || matches!(next, b',' | b'[' | b']' | b'{' | b'}')
                    || lex == Lex::AfterNode =>
                {
                    if let Some(top) = flow_stack.last_mut() {
                        if top.mapping {
                            top.colon = true;
                        } else if !top.colon {
                            // `[a: b]`: a mapping of one pair inside a sequence.
                            top.colon = true;
                            count(&mut nodes, i)?;
                        }
                    }
                    lex = Lex::NodeStart
                }
                b' ' | b'\t' | b'\r' => {
                    if lex == Lex::Property {
                        lex = Lex::NodeStart;
                    }
                }
                b'\'' | b'"' if lex == Lex::NodeStart => {
                    quote = Some((b, 0));
                    count(&mut nodes, i)?;
                    if let Some(top) = flow_stack.last_mut() {
                        top.entry = true;
                    }
                }
                b'&' | b'!' if lex == Lex::NodeStart => lex = Lex::Property,
                b'?' if lex == Lex::NodeStart && next_is_space => {}
                _ => {
                    if lex == Lex::NodeStart {
                        count(&mut nodes, i)?;
                        if let Some(top) = flow_stack.last_mut() {
                            top.entry = true;
                        }
                        lex = Lex::Plain;
                    }
                }
            }
            i += 1;
            continue;
        }

        // ---- block context ----
        let col = i - line_start;
        match lex {
            Lex::NodeStart if matches!(b, b' ' | b'\t' | b'\r') => {}
            Lex::NodeStart => match b {
                b'-' | b'?' | b':' if next_is_space => {
                    continuation = false;
                    // `- `, `? `, `: `: a (possibly compact) nested block collection.
                    chain += 1;
                    if chain > limits.max_depth {
                        return Err(too_deep("block collections (`- - - ...`)", i));
                    }
                    // The first indicator of a line usually continues a collection;
                    // each further one opens a new collection, and so does the first one
                    // under a key (`a:` then `- x`).
                    if chain > 1 || std::mem::take(&mut pending) {
                        count(&mut nodes, i)?;
                    }
                    key_open = false;
                    struct_col = col;
                }
                b'[' | b'{' => {
                    continuation = false;
                    flow = 1;
                    if flow > limits.max_depth {
                        return Err(too_deep("flow collections ([ ] or { })", i));
                    }
                    count(&mut nodes, i)?;
                    key_open = false;
                    flow_stack.clear();
                    flow_stack.push(FlowLevel::new(b == b'{'));
                }
                b'\'' | b'"' => {
                    continuation = false;
                    quote = Some((b, indent));
                    token_col = col;
                    count(&mut nodes, i)?;
                    key_open = false;
                }
                b'|' | b'>' => {
                    continuation = false;
                    // A block scalar: its header runs to the end of the line.
                    count(&mut nodes, i)?;
                    key_open = false;
                    let end = skip_line(bytes, i);
                    let header = &bytes[i + 1..end];
                    let explicit = header
                        .iter()
                        .take_while(|c| !matches!(c, b' ' | b'#' | b'\n'))
                        .find(|c| c.is_ascii_digit())
                        .map(|c| (c - b'0') as usize);
                    block_scalar = Some(struct_col);
                    block_scalar_indent = explicit.map(|k| struct_col + k);
                    i = end;
                    continue;
                }
                b'&' | b'!' => lex = Lex::Property,
                _ => {
                    if std::mem::take(&mut continuation) && chain == 0 {
                        deferred = true;
                    } else {
                        count(&mut nodes, i)?;
                    }
                    key_open = false;
                    token_col = col;
                    lex = Lex::Plain;
                }
            },
            Lex::Property => {
                if matches!(b, b' ' | b'\t' | b'\r') {
                    lex = Lex::NodeStart;
                }
            }
            Lex::Plain | Lex::AfterNode => {
                if b == b':' && (next_is_space || lex == Lex::AfterNode) {
                    // The end of a key: its value follows. The key may open a mapping: under
                    // a key of the line before, or in a sequence entry (`- a: 1`).
                    if std::mem::take(&mut deferred) {
                        count(&mut nodes, i)?; // the key, not a continuation after all
                    }
                    if std::mem::take(&mut pending) || (chain > 0 && !map_in_entry) {
                        count(&mut nodes, i)?;
                    }
                    map_in_entry = true;
                    key_open = true;
                    struct_col = token_col;
                    lex = Lex::NodeStart;
                }
            }
        }
        i += 1;
    }
    Ok(())
}

/// One open flow collection, for counting the null values of keys written without one.
struct FlowLevel {
    mapping: bool,
    /// The current entry has started (a key or an element).
    entry: bool,
    /// The current entry has its `:`.
    colon: bool,
}

impl FlowLevel {
    fn new(mapping: bool) -> Self {
        FlowLevel {
            mapping,
            entry: false,
            colon: false,
        }
    }

    /// `{a, b}`: a key whose null value has no token.
    fn key_without_value(&self) -> bool {
        self.mapping && self.entry && !self.colon
    }
}

/// The index just after the end of the line holding `i` (its `\n` excluded).
fn skip_line(bytes: &[u8], i: usize) -> usize {
    match bytes[i..].iter().position(|&b| b == b'\n') {
        Some(k) => i + k,
        None => bytes.len(),
    }
}

fn nodes_message(limits: &Limits, expanded: bool) -> String {
    let mut msg = format!(
        "the document holds more than {} values (raise the limit with --max-nodes)",
        limits.max_nodes
    );
    if expanded {
        msg.push_str(
            "; YAML aliases count as often as they are used, since each `*alias` copies its \
             anchored value (an alias bomb?)",
        );
    }
    msg
}

// ---------------------------------------------------------------------------------------
// Building the tree
// ---------------------------------------------------------------------------------------

/// What building one tree may still spend, and why it stopped.
struct Budget {
    nodes_left: Cell<usize>,
    max_depth: usize,
    limits: Limits,
    /// Set when the tree builder stopped the parse: the code and message to report (the
    /// parser's rendering of it would add its own path and position).
    failure: RefCell<Option<(&'static str, String)>>,
    /// On an error, the keys and indexes from the failing value up to the root, filled in
    /// while the error travels up (so the happy path pays nothing for it).
    path: RefCell<Vec<String>>,
    /// What `TreeSeed::<true>` noted of references (left empty by `TreeSeed::<false>`).
    notes: RefCell<RefNotes>,
}

impl Budget {
    fn new(limits: &Limits) -> Self {
        Budget {
            nodes_left: Cell::new(limits.max_nodes),
            max_depth: limits.max_depth,
            limits: *limits,
            failure: RefCell::new(None),
            path: RefCell::new(Vec::new()),
            notes: RefCell::new(RefNotes::default()),
        }
    }

    /// Whether [`Budget::note`] may note something under `key`: a cheap first look, since
    /// it runs for every key.
    #[inline(always)]
    fn may_note(key: &str) -> bool {
        matches!(
            (key.len(), key.as_bytes().first()),
            (4, Some(b'$')) | (7, Some(b'm'))
        )
    }

    /// Notes a member of a mapping (see [`RefNotes`]).
    #[inline(never)]
    fn note(&self, key: &str, value: &Value) {
        match (key, value) {
            ("$ref", Value::String(r)) => {
                let mut notes = self.notes.borrow_mut();
                if !notes.refs.contains(r.as_str()) {
                    notes.refs.insert(r.clone());
                }
            }
            ("mapping", Value::Object(m)) => {
                let mut notes = self.notes.borrow_mut();
                for v in m.values() {
                    if let Value::String(s) = v {
                        if !notes.mapping_values.contains(s.as_str()) {
                            notes.mapping_values.insert(s.clone());
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn fail<E: de::Error>(&self, code: &'static str, msg: String) -> E {
        let err = E::custom(&msg);
        *self.failure.borrow_mut() = Some((code, msg));
        err
    }

    /// Records one level of the failing value's location, innermost first.
    fn unwind(&self, token: String) {
        self.path.borrow_mut().push(token);
    }

    /// The JSON pointer of the value being read when the parse failed.
    fn pointer(&self) -> String {
        let path = self.path.borrow();
        pointer::join(path.iter().rev())
    }

    #[inline]
    fn take<E: de::Error>(&self) -> Result<(), E> {
        match self.nodes_left.get().checked_sub(1) {
            Some(left) => {
                self.nodes_left.set(left);
                Ok(())
            }
            None => Err(self.fail(codes::TOO_LARGE, nodes_message(&self.limits, true))),
        }
    }

    #[inline]
    fn enter<E: de::Error>(&self, depth: usize) -> Result<(), E> {
        if depth > self.max_depth {
            let msg = format!(
                "collections are nested more than {} levels deep (raise the limit with \
                 --max-depth)",
                self.max_depth
            );
            return Err(self.fail(codes::TOO_DEEP, msg));
        }
        Ok(())
    }
}

/// Deserializes any self-describing input into a `Value` with string keys and no duplicates,
/// within the budget's depth and value count.
/// With `REFS`, it also notes references ([`Budget::note`]).
#[derive(Clone, Copy)]
struct TreeSeed<'b, const REFS: bool> {
    budget: &'b Budget,
    /// Collections enclosing the value to read.
    depth: usize,
}

impl<'b, const REFS: bool> TreeSeed<'b, REFS> {
    fn root(budget: &'b Budget) -> Self {
        TreeSeed { budget, depth: 0 }
    }
}

impl<'de, const REFS: bool> DeserializeSeed<'de> for TreeSeed<'_, REFS> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.budget.take::<D::Error>()?;
        d.deserialize_any(TreeVisitor(self))
    }
}

struct TreeVisitor<'b, const REFS: bool>(TreeSeed<'b, REFS>);

impl<'de, const REFS: bool> Visitor<'de> for TreeVisitor<'_, REFS> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML or JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v).map(Value::Number).ok_or_else(|| {
            let msg = format!("the number {v} cannot be represented in JSON");
            self.0.budget.fail(codes::PARSE, msg)
        })
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inner = TreeSeed::<REFS> {
            budget: self.0.budget,
            depth: self.0.depth + 1,
        };
        inner.budget.enter::<A::Error>(inner.depth)?;
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        loop {
            match seq.next_element_seed(inner) {
                Ok(Some(v)) => out.push(v),
                Ok(None) => return Ok(Value::Array(out)),
                Err(e) => {
                    inner.budget.unwind(out.len().to_string());
                    return Err(e);
                }
            }
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let inner = TreeSeed::<REFS> {
            budget: self.0.budget,
            depth: self.0.depth + 1,
        };
        inner.budget.enter::<A::Error>(inner.depth)?;
        let mut out = Map::new();
        while let Some(key) = map.next_key_seed(KeySeed(inner.budget))? {
            if out.contains_key(&key) {
                let msg = format!("duplicate key `{}`", key.escape_debug());
                inner.budget.unwind(key);
                return Err(inner.budget.fail(codes::DUPLICATE_KEY, msg));
            }
            match map.next_value_seed(inner) {
                Ok(value) => {
                    if REFS && Budget::may_note(&key) {
                        inner.budget.note(&key, &value);
                    }
                    out.insert(key, value);
                }
                Err(e) => {
                    inner.budget.unwind(key);
                    return Err(e);
                }
            }
        }
        Ok(Value::Object(out))
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, _data: A) -> Result<Value, A::Error> {
        let msg = "YAML tags (`!tag`) are not supported in OpenAPI or AsyncAPI documents";
        Err(self.0.budget.fail(codes::PARSE, msg.to_string()))
    }
}

/// Mapping keys: scalars become their string form (`200` -> "200", `true` -> "true").
struct KeySeed<'b>(&'b Budget);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = String;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        self.0.take::<D::Error>()?;
        d.deserialize_any(KeyVisitor(self.0))
    }
}

struct KeyVisitor<'b>(&'b Budget);

impl<'de> Visitor<'de> for KeyVisitor<'_> {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a scalar mapping key")
    }
    fn visit_bool<E>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i64<E>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_str<E>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_string<E>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
    fn visit_unit<E>(self) -> Result<String, E> {
        Ok("null".to_string())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _seq: A) -> Result<String, A::Error> {
        let msg = "a mapping key must be a scalar, not a sequence";
        Err(self.0.fail(codes::PARSE, msg.to_string()))
    }
    fn visit_map<A: MapAccess<'de>>(self, _map: A) -> Result<String, A::Error> {
        let msg = "a mapping key must be a scalar, not a mapping";
        Err(self.0.fail(codes::PARSE, msg.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Document, Error> {
        parse_str(text, "t.yaml", &Limits::default())
    }

    fn parse_with(text: &str, limits: Limits) -> Result<Document, Box<Diagnostic>> {
        parse_str(text, "t.yaml", &limits).map_err(|e| e.diagnostic)
    }

    fn limits(max_depth: usize, max_nodes: usize) -> Limits {
        Limits {
            max_depth,
            max_nodes,
            ..Limits::default()
        }
    }

    #[test]
    fn noting_refs_builds_the_same_tree_and_notes_every_ref() {
        let text = "a: {$ref: '#/b'}\nb: [{$ref: x.yaml}, {$ref: 5}, {c: {$ref: '#/b'}}]\n\
                    d: {discriminator: {mapping: {x: Dog, y: '#/b'}}}\ne: &e {$ref: '#/e2'}\nf: *e\n";
        for text in [
            text.to_string(),
            serde_json::to_string(&parse(text).unwrap().value).unwrap(),
        ] {
            let plain = parse(&text).unwrap();
            let (doc, notes) =
                parse_bytes_noting::<true>(text.as_bytes(), "t.yaml", &Limits::default()).unwrap();
            assert_eq!(doc.value, plain.value);
            assert_eq!(doc.syntax, plain.syntax);
            let mut refs: Vec<_> = notes.refs.iter().map(String::as_str).collect();
            refs.sort();
            assert_eq!(refs, ["#/b", "#/e2", "x.yaml"]);
            let mut mapping: Vec<_> = notes.mapping_values.iter().map(String::as_str).collect();
            mapping.sort();
            assert_eq!(mapping, ["#/b", "Dog"]);
        }
        let (_, notes) =
            parse_bytes_noting::<false>(text.as_bytes(), "t", &Limits::default()).unwrap();
        assert!(notes.refs.is_empty() && notes.mapping_values.is_empty());
    }

    #[test]
    fn integer_keys_become_strings_and_order_is_kept() {
        let doc = parse(
            "responses:\n  200: {description: ok}\n  404: {description: no}\n  default: {}\n",
        )
        .unwrap();
        let keys: Vec<_> = doc.value["responses"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(keys, ["200", "404", "default"]);
        assert_eq!(doc.syntax, Syntax::Yaml);
    }

    #[test]
    fn json_is_detected() {
        let doc = parse("  {\"b\": 1, \"a\": [true, null, 1.5]}").unwrap();
        assert_eq!(doc.syntax, Syntax::Json);
        assert_eq!(
            serde_json::to_string(&doc.value).unwrap(),
            r#"{"b":1,"a":[true,null,1.5]}"#
        );
    }

    #[test]
    fn duplicate_keys_are_errors_with_position() {
        let err = parse("a: 1\nb:\n  c: 1\n  c: 2\n").unwrap_err().diagnostic;
        assert_eq!(err.code, codes::DUPLICATE_KEY);
        assert_eq!(err.message, "duplicate key `c`");
        assert_eq!(err.pointer, "/b/c");
        assert!(err.line.is_some());
        let err = parse("p:\n  /a~b:\n  - x: 1\n    x: 2\n")
            .unwrap_err()
            .diagnostic;
        assert_eq!(err.pointer, "/p/~1a~0b/0/x");
        let err = parse("{\"a\": 1, \"a\": 2}").unwrap_err().diagnostic;
        assert_eq!(err.code, codes::DUPLICATE_KEY);
        assert_eq!(err.line, Some(1));
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let err = parse("a: 1\nb: [1, 2\n").unwrap_err().diagnostic;
        assert_eq!(err.code, codes::PARSE);
        assert!(err.line.is_some(), "{err}");
    }

    #[test]
    fn empty_and_binary_inputs_are_rejected() {
        assert_eq!(parse("").unwrap_err().diagnostic.code, codes::EMPTY);
        assert_eq!(
            parse("# only a comment\n").unwrap_err().diagnostic.code,
            codes::EMPTY
        );
        let err = parse("a: 1\nb\0").unwrap_err().diagnostic;
        assert_eq!(err.code, codes::PARSE);
        assert_eq!((err.line, err.column), (Some(2), Some(2)));
        let err = parse_bytes(b"a: 1\nb: \xff\xfe", "t", &Limits::default()).unwrap_err();
        assert!(err.diagnostic.message.contains("UTF-8"));
        assert_eq!(err.diagnostic.line, Some(2));
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
        let err = parse_bytes(png, "t", &Limits::default()).unwrap_err();
        assert!(err.diagnostic.message.contains("binary"), "{err}");
        for utf16 in [
            &b"\xff\xfea\x00:\x00"[..],
            b"a\x00:\x00 \x001\x00",
            b"\x00a\x00:\x00 ",
        ] {
            let err = parse_bytes(utf16, "t", &Limits::default()).unwrap_err();
            assert!(err.diagnostic.message.contains("UTF-16"), "{err}");
        }
    }

    #[test]
    fn deep_flow_nesting_is_rejected_before_parsing() {
        let text = "a: ".to_string() + &"{a: ".repeat(100_000);
        let err = parse(&text).unwrap_err().diagnostic;
        assert_eq!(err.code, codes::TOO_DEEP);
        assert_eq!(err.line, Some(1));
        assert!(err.message.contains("flow collections"), "{err}");
        // One bracket per line is no way around it.
        let text = "a:\n".to_string() + &"  [\n".repeat(100_000);
        assert_eq!(parse(&text).unwrap_err().diagnostic.code, codes::TOO_DEEP);
        // Brackets inside quoted strings, comments and plain scalars do not count.
        let ok = format!(
            "a: '{}'\n# {}\nb: [[1]]\nc: \"{}\"\nd: see [1 {}\n",
            "[".repeat(500),
            "{".repeat(500),
            "{".repeat(500),
            "[".repeat(500)
        );
        assert!(parse(&ok).is_ok(), "{:?}", parse(&ok).err());
        let mut many = String::new();
        for i in 0..300 {
            many.push_str(&format!("k{i}: see [{i} and {{ too\n"));
        }
        assert!(parse(&many).is_ok(), "{:?}", parse(&many).err());
    }

    #[test]
    fn quotes_do_not_hide_flow_collections_from_the_prescan() {
        let deep = "[".repeat(5000);
        // An apostrophe inside a flow plain scalar does not open a quote.
        let text = format!("a: [it's, {deep}\n");
        assert_eq!(parse(&text).unwrap_err().diagnostic.code, codes::TOO_DEEP);
        // Nor on the continuation line of a plain scalar.
        let text = format!("a: b\n  'c\nd: {deep}\n");
        assert_eq!(parse(&text).unwrap_err().diagnostic.code, codes::TOO_DEEP);
        // Nor inside a block scalar that has ended.
        let text = format!("- - |\n  'x\n  - {deep}\n");
        assert_eq!(parse(&text).unwrap_err().diagnostic.code, codes::TOO_DEEP);
        // A multi-line quoted scalar is skipped.
        let text = format!("a: \"x\n  {deep}\n  y\"\nb: 1\n");
        assert_eq!(parse(&text).unwrap().value["b"], 1);
    }

    #[test]
    fn block_scalars_are_skipped_by_the_prescan() {
        let code = "  [[[[[[[[[[\n".repeat(20);
        let text = format!(
            "a: |\n{code}b: >-\n{code}c: |2\n{code}d:\n- |\n  {}\ne: 1\n",
            "- ".repeat(200)
        );
        let doc = parse_with(&text, limits(5, 1000)).unwrap();
        assert_eq!(doc.value["e"], 1);
        assert!(doc.value["d"][0].as_str().unwrap().starts_with("- - - "));
    }

    #[test]
    fn deep_block_nesting_is_rejected_before_parsing() {
        let text = "- ".repeat(100_000) + "x\n";
        let err = parse(&text).unwrap_err().diagnostic;
        assert_eq!(err.code, codes::TOO_DEEP);
        assert!(err.message.contains("block collections"), "{err}");
        let text = "a:\n".to_string() + &"  ? ".repeat(100_000) + "x\n";
        assert_eq!(parse(&text).unwrap_err().diagnostic.code, codes::TOO_DEEP);
    }

    #[test]
    fn depth_limit_is_exact_while_building_the_tree() {
        let nested = |d: usize| "[".repeat(d) + &"]".repeat(d);
        assert!(parse(&format!("a: {}", nested(99))).is_ok());
        let err = parse(&format!("a: {}", nested(100)))
            .unwrap_err()
            .diagnostic;
        assert_eq!(err.code, codes::TOO_DEEP);
        // JSON, which has no pre-scan.
        assert!(parse(&nested(100)).is_ok());
        let err = parse(&nested(101)).unwrap_err().diagnostic;
        assert_eq!(err.code, codes::TOO_DEEP);
        assert!(err.message.contains("100 levels"), "{err}");
        assert_eq!(err.line, Some(1));
        // Block nesting over several lines: the parser sees it, the tree builder stops it.
        let mut text = String::new();
        for d in 0..12 {
            text.push_str(&format!("{}k{d}:\n", "  ".repeat(d)));
        }
        text.push_str(&format!("{}x: 1\n", "  ".repeat(12)));
        assert!(parse_with(&text, limits(13, 1000)).is_ok());
        let err = parse_with(&text, limits(12, 1000)).unwrap_err();
        assert_eq!(err.code, codes::TOO_DEEP);
        assert!(err.line.is_some(), "{err}");
        // Beyond the parsers' own limit of 128, their message is made readable.
        let err = parse_with(&nested(200), limits(1000, 1000)).unwrap_err();
        assert_eq!(err.code, codes::TOO_DEEP);
        assert!(err.message.contains("127"), "{err}");
    }

    #[test]
    fn node_limit_is_checked_before_and_while_parsing() {
        let list = format!("a: [{}]\n", vec!["1"; 2000].join(", "));
        assert!(parse_with(&list, limits(100, 2003)).is_ok());
        let err = parse_with(&list, limits(100, 1000)).unwrap_err();
        assert_eq!(err.code, codes::TOO_LARGE);
        assert!(err.message.contains("--max-nodes"), "{err}");
        let block = "- x\n".repeat(2000);
        assert!(parse_with(&block, limits(100, 1000)).is_err());
        let json = format!("[{}]", vec!["1"; 2000].join(","));
        assert!(parse_with(&json, limits(100, 2001)).is_ok());
        let err = parse_with(&json, limits(100, 2000)).unwrap_err();
        assert_eq!(err.code, codes::TOO_LARGE);
        assert_eq!(err.line, Some(1));
    }

    #[test]
    fn size_limit_is_checked() {
        let limits = Limits {
            max_bytes: 10,
            ..Limits::default()
        };
        let err = parse_str("a: 12345678901", "t", &limits)
            .unwrap_err()
            .diagnostic;
        assert_eq!(err.code, codes::TOO_LARGE);
        assert!(err.message.contains("--max-bytes"), "{err}");
    }

    #[test]
    fn reading_is_capped_for_pipes_and_devices() {
        let limits = Limits {
            max_bytes: 1000,
            ..Limits::default()
        };
        if Path::new("/dev/zero").exists() {
            let err = load_path(Path::new("/dev/zero"), &limits).unwrap_err();
            assert_eq!(err.diagnostic.code, codes::TOO_LARGE);
        }
        let err = load_path(Path::new("."), &limits).unwrap_err();
        assert_eq!(err.diagnostic.code, codes::IO);
    }

    fn bomb(width: usize, levels: usize) -> String {
        let mut text = format!("a0: &a0 [{}]\n", vec!["x"; width].join(", "));
        for i in 1..levels {
            let refs = vec![format!("*a{}", i - 1); width].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        text
    }

    #[test]
    fn alias_bombs_are_refused() {
        // Billion laughs: the parser's repetition limit or the value limit stops it.
        let err = parse(&bomb(9, 10)).unwrap_err().diagnostic;
        assert_eq!(err.code, codes::TOO_LARGE, "{err}");
        assert!(err.message.contains("alias"), "{err}");
        // Wide anchors stay under the repetition limit: the value limit stops them.
        let err = parse(&bomb(1000, 3)).unwrap_err().diagnostic;
        assert_eq!(err.code, codes::TOO_LARGE, "{err}");
        assert!(err.message.contains("alias"), "{err}");
        // Aliases in moderation are fine.
        let doc = parse("a: &x {type: string}\nb: *x\n").unwrap();
        assert_eq!(doc.value["b"]["type"], "string");
    }

    #[test]
    fn tags_and_non_scalar_keys_are_errors() {
        assert!(parse("a: !foo bar\n").is_err());
        assert!(parse("? [a]\n: b\n").is_err());
    }

    #[test]
    fn prescan_estimates_values_closely() {
        // The estimate never refuses a document whose real count fits.
        for text in [
            "a: 1\nb: [1, 2, {c: d}]\n",
            "- a: 1\n  b: 2\n- 'x'\n- \"y\"\n",
            "a: |\n  text\n  more\nb: >\n  folded\n",
            "? a\n: b\n",
        ] {
            let doc = parse(text).unwrap();
            let real = count(&doc.value);
            assert!(parse_with(text, limits(100, real)).is_ok(), "{text}");
        }
    }

    /// The pre-scan's estimate of the number of values: the smallest limit it accepts.
    fn estimate(text: &str) -> usize {
        let (mut lo, mut hi) = (0, 10_000_000);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if prescan_yaml(text, "t", &limits(100, mid)).is_ok() {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        lo
    }

    #[test]
    fn prescan_estimate_is_close_below_the_real_count() {
        let lines = |f: &dyn Fn(usize) -> String| (0..500).map(f).collect::<String>();
        let texts = [
            lines(&|i| format!("k{i}:\n")),
            format!(
                "m: {{{}}}\n",
                (0..500)
                    .map(|i| format!("k{i}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            lines(&|i| format!("- a: {i}\n")),
            lines(&|i| format!("- a: {i}\n  b: x\n")),
            lines(&|i| format!("k{i}:\n  a:\n    b: 1\n  c:\n  - 1\n  - [2, {{d: e}}]\n")),
            lines(&|i| format!("- - {i}\n")),
            format!("s: [{}]\n", lines(&|i| format!("a{i}: b, "))),
            lines(&|i| format!("k{i}:\n  plain text\n  continued\n")),
            lines(&|i| format!("k{i}: |\n  text: not a key\n  - nor an entry\n")),
            std::fs::read_to_string(
                Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/openapi/callbacks-31.yaml"),
            )
            .unwrap(),
        ];
        for text in &texts {
            let real = count(&parse(text).unwrap().value);
            let est = estimate(text);
            assert!(
                est <= real,
                "{est} > {real}:\n{}",
                &text[..200.min(text.len())]
            );
            assert!(
                est * 10 >= real * 9,
                "{est} too far below {real}:\n{}",
                &text[..200.min(text.len())]
            );
        }
    }

    fn count(v: &Value) -> usize {
        1 + match v {
            Value::Array(a) => a.iter().map(count).sum(),
            Value::Object(m) => m.values().map(|v| 1 + count(v)).sum(),
            _ => 0,
        }
    }

    #[test]
    fn prescan_accepts_the_samples() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/openapi");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "yaml") {
                let text = std::fs::read_to_string(&path).unwrap();
                let doc = parse(&text).unwrap();
                let real = count(&doc.value);
                let tight = limits(depth(&doc.value), real);
                assert!(
                    parse_with(&text, tight).is_ok(),
                    "{}: {:?}",
                    path.display(),
                    parse_with(&text, tight).err()
                );
            }
        }
    }

    fn depth(v: &Value) -> usize {
        match v {
            Value::Array(a) => 1 + a.iter().map(depth).max().unwrap_or(0),
            Value::Object(m) => 1 + m.values().map(depth).max().unwrap_or(0),
            _ => 0,
        }
    }
}
