//! Reading YAML: the events of `saphyr-parser` (a YAML 1.2 parser that passes the YAML test
//! suite) built into a tree by a loop over an explicit stack, so no input can overflow the
//! call stack. Depth and value count are checked as each event arrives; an alias counts as
//! many values as it copies and as deep as what it copies. Scalars are resolved here (see
//! [`scalars`](super::scalars)), so a number keeps its text.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, ScanError, Span, Tag};
use serde_json::{Map, Value};

use super::limits::{nodes_message, Limits};
use super::notes::RefNotes;
use super::scalars::{resolve, Scalar, TAGS};
use crate::diagnostics::{codes, Diagnostic, Error};
use crate::document::pointer;

/// The nesting the JSON parser stops at on its own; YAML stops there too, whatever
/// `--max-depth` says, so that both syntaxes agree (and later recursive walks stay shallow).
const PARSER_DEPTH: usize = 127;

/// saphyr-parser's message for a multi-line quoted scalar whose continuation lines are not
/// indented more than the mapping it is in (see [`indent_quoted`]).
const UNDER_INDENTED: &str = "invalid indentation in quoted scalar";

/// What [`UNDER_INDENTED`] means: said in the error, and in the warning of a lenient read.
const UNDER_INDENTED_WHY: &str =
    "a multi-line quoted scalar is continued at or left of its key's column, which YAML 1.2 forbids";

/// How many quoted scalars [`indent_quoted`] may mend in one document: each mend parses again.
const MENDS: usize = 16;

/// Parses YAML text (one document) into a tree, within the limits.
pub(super) fn parse_yaml<const REFS: bool>(
    text: &str,
    name: &str,
    limits: &Limits,
) -> Result<(Value, RefNotes), Error> {
    let mut text = Cow::Borrowed(text);
    let mut mended_at = Vec::new();
    loop {
        let (failure, pointer) = match build::<REFS>(&text, limits) {
            Ok((value, mut notes)) => {
                notes.warnings = mended_at;
                return Ok((value, notes));
            }
            Err(e) => e,
        };
        let under_indented = failure.message == UNDER_INDENTED;
        if under_indented && limits.yaml_lenient && mended_at.len() < MENDS {
            if let Some(mended) = indent_quoted(&text, failure.at) {
                text = Cow::Owned(mended);
                let msg = format!("{UNDER_INDENTED_WHY}; read as js-yaml and libyaml read it");
                let d = Diagnostic::warning(codes::YAML_LENIENT, name, &pointer, msg);
                mended_at.push(d);
                continue;
            }
        }
        let message = if under_indented && !limits.yaml_lenient {
            format!("{}: {UNDER_INDENTED_WHY}; indent those lines past the key, or pass --yaml-lenient to read it as js-yaml and libyaml do", failure.message)
        } else {
            failure.message
        };
        let diag = Diagnostic::error(failure.code, name, &pointer, message);
        return Err(diag.at(failure.at.line(), failure.at.col() + 1).into());
    }
}

/// Builds the tree; on failure, why and the pointer of the value being read.
fn build<const REFS: bool>(
    text: &str,
    limits: &Limits,
) -> Result<(Value, RefNotes), (Failure, String)> {
    let mut builder = Builder::<REFS>::new(limits);
    let mut parser = Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        let step = match next {
            Ok((event, span)) => builder.event(event, span),
            Err(e) => Err(Failure::scan(&e)),
        };
        if let Err(f) = step {
            return Err((f, builder.pointer()));
        }
    }
    Ok((builder.root.unwrap_or(Value::Null), builder.notes))
}

/// The text with the continuation lines of the quoted scalar starting at `at` indented past
/// its opening quote, when that changes anything.
///
/// YAML wants them indented more than the mapping the scalar is in, but libyaml and js-yaml
/// (Redocly, Spectral, the AsyncAPI parser) read them at any indentation, and real documents
/// rely on it (`description: "...` continued at the key's column). A continuation line's
/// indentation is not part of the value, so adding to it changes nothing else; only columns on
/// those lines move, and lines do not.
fn indent_quoted(text: &str, at: Marker) -> Option<String> {
    let start = text.char_indices().nth(at.index())?.0;
    let quote = *text.as_bytes().get(start)?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let bytes = text.as_bytes();
    let mut end = start + 1;
    while end < bytes.len() {
        match bytes[end] {
            b'\\' if quote == b'"' => end += 2,
            b'\'' if quote == b'\'' && bytes.get(end + 1) == Some(&b'\'') => end += 2,
            b if b == quote => break,
            _ => end += 1,
        }
    }
    let end = end.min(bytes.len());
    let need = at.col() + 1;
    let first_break = start + bytes[start..end].iter().position(|&b| b == b'\n')?;
    let mut out = String::with_capacity(text.len() + 64);
    out.push_str(&text[..=first_break]);
    let mut changed = false;
    let mut line_start = first_break + 1;
    while line_start <= end && line_start < bytes.len() {
        let line_end = bytes[line_start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| line_start + i + 1);
        let line = &text[line_start..line_end];
        let spaces = line.bytes().take_while(|&b| b == b' ').count();
        let blank = line.trim_end_matches(['\n', '\r']).len() == spaces;
        if !blank && spaces < need {
            out.extend(std::iter::repeat_n(' ', need - spaces));
            changed = true;
        }
        out.push_str(line);
        line_start = line_end;
    }
    out.push_str(&text[line_start.min(bytes.len())..]);
    changed.then_some(out)
}

/// Why the tree could not be built, and where.
struct Failure {
    code: &'static str,
    message: String,
    at: Marker,
}

impl Failure {
    fn new(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Failure {
            code,
            message: message.into(),
            at: span.start,
        }
    }

    fn scan(e: &ScanError) -> Self {
        Failure {
            code: codes::PARSE,
            message: e.info().to_string(),
            at: *e.marker(),
        }
    }
}

/// A value with an anchor (`&a`), for its aliases (`*a`).
struct Anchored {
    /// Its value, or why it has none (`&a .inf` used as a key has one only as a key).
    value: Result<Value, String>,
    /// Its string form as a mapping key, when it is a scalar.
    key: Option<String>,
    /// The values it holds (itself included), as counted when it was read.
    nodes: usize,
    /// Collections nested in it (a scalar: 0, `[1]`: 1, `[[1]]`: 2).
    height: usize,
}

/// A collection being read.
struct Frame {
    items: Items,
    anchor: usize,
    /// `nodes_left` before the collection was counted: what it spent is its size.
    nodes_before: usize,
    /// The largest height among its members.
    inner_height: usize,
}

enum Items {
    Seq(Vec<Value>),
    /// The mapping so far and the key whose value comes next (none: a key comes next).
    Map(Map<String, Value>, Option<String>),
}

/// The tree being built and what building it may still spend.
struct Builder<'l, const REFS: bool> {
    limits: &'l Limits,
    max_depth: usize,
    nodes_left: usize,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Anchored>,
    root: Option<Value>,
    documents: usize,
    notes: RefNotes,
}

impl<'l, const REFS: bool> Builder<'l, REFS> {
    fn new(limits: &'l Limits) -> Self {
        Builder {
            limits,
            max_depth: limits.max_depth.min(PARSER_DEPTH),
            nodes_left: limits.node_allowance(0, false),
            stack: Vec::new(),
            anchors: HashMap::new(),
            root: None,
            documents: 0,
            notes: RefNotes::default(),
        }
    }

    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), Failure> {
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                self.scalar(&text, style, anchor, tag.as_deref(), span)
            }
            Event::SequenceStart(anchor, tag) => self.start(false, anchor, tag.as_deref(), span),
            Event::MappingStart(anchor, tag) => self.start(true, anchor, tag.as_deref(), span),
            Event::SequenceEnd | Event::MappingEnd => self.end(span),
            Event::Alias(id) => self.alias(id, span),
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    let msg = "deserializing from YAML containing more than one document is not \
                               supported";
                    return Err(Failure::new(codes::PARSE, msg, span));
                }
                Ok(())
            }
            Event::DocumentEnd | Event::StreamStart | Event::StreamEnd | Event::Nothing => Ok(()),
        }
    }

    /// Whether the next node is a mapping key.
    fn at_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame {
                items: Items::Map(_, None),
                ..
            })
        )
    }

    fn take(&mut self, n: usize, span: Span) -> Result<(), Failure> {
        match self.nodes_left.checked_sub(n) {
            Some(left) => {
                self.nodes_left = left;
                Ok(())
            }
            None => {
                let allowed = self.limits.node_allowance(0, false);
                let msg = nodes_message(self.limits, allowed, true);
                Err(Failure::new(codes::TOO_LARGE, msg, span))
            }
        }
    }

    /// Checks that a value of `height` fits where the next value goes.
    fn fits(&self, height: usize, span: Span) -> Result<(), Failure> {
        if self.stack.len() + height <= self.max_depth {
            return Ok(());
        }
        let msg = if self.max_depth < self.limits.max_depth {
            format!(
                "collections are nested more than {PARSER_DEPTH} levels deep, the parser's limit \
                 (the limit is {}; raise it with --max-depth up to {PARSER_DEPTH})",
                self.limits.max_depth
            )
        } else {
            format!(
                "collections are nested more than {} levels deep (raise the limit with \
                 --max-depth)",
                self.max_depth
            )
        };
        Err(Failure::new(codes::TOO_DEEP, msg, span))
    }

    fn scalar(
        &mut self,
        text: &str,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        span: Span,
    ) -> Result<(), Failure> {
        self.take(1, span)?;
        let scalar =
            resolve(text, style, tag).map_err(|msg| Failure::new(codes::PARSE, msg, span))?;
        if self.at_key() {
            let key = scalar.key(text);
            if anchor != 0 {
                self.anchor_scalar(anchor, scalar.value(text), key.clone());
            }
            return self.key(key, span);
        }
        let value = match scalar {
            Scalar::Str => Value::String(text.to_string()),
            other => other
                .value(text)
                .map_err(|msg| Failure::new(codes::PARSE, msg, span))?,
        };
        if anchor != 0 {
            self.anchor_scalar(anchor, Ok(value.clone()), scalar.key(text));
        }
        self.attach(value, 0);
        Ok(())
    }

    fn anchor_scalar(&mut self, anchor: usize, value: Result<Value, String>, key: String) {
        let anchored = Anchored {
            value,
            key: Some(key),
            nodes: 1,
            height: 0,
        };
        self.anchors.insert(anchor, anchored);
    }

    /// A mapping key: refused when the mapping has it already.
    fn key(&mut self, key: String, span: Span) -> Result<(), Failure> {
        if let Some(Frame {
            items: Items::Map(map, pending),
            ..
        }) = self.stack.last_mut()
        {
            let duplicate = map.contains_key(&key);
            let msg = duplicate.then(|| format!("duplicate key `{}`", key.escape_debug()));
            // Set even for a duplicate: the error's pointer names the key.
            *pending = Some(key);
            if let Some(msg) = msg {
                return Err(Failure::new(codes::DUPLICATE_KEY, msg, span));
            }
        }
        Ok(())
    }

    fn start(
        &mut self,
        mapping: bool,
        anchor: usize,
        tag: Option<&Tag>,
        span: Span,
    ) -> Result<(), Failure> {
        if self.at_key() {
            let what = if mapping { "mapping" } else { "sequence" };
            let msg = format!("a mapping key must be a scalar, not a {what}");
            return Err(Failure::new(codes::PARSE, msg, span));
        }
        if let Some(tag) = tag {
            let core = if mapping { "map" } else { "seq" };
            let allowed = (tag.handle == super::scalars::CORE && tag.suffix == core)
                || (tag.handle.is_empty() && tag.suffix == "!");
            if !allowed {
                return Err(Failure::new(codes::PARSE, TAGS, span));
            }
        }
        let nodes_before = self.nodes_left;
        self.take(1, span)?;
        self.fits(1, span)?;
        let items = if mapping {
            Items::Map(Map::new(), None)
        } else {
            Items::Seq(Vec::new())
        };
        self.stack.push(Frame {
            items,
            anchor,
            nodes_before,
            inner_height: 0,
        });
        Ok(())
    }

    fn end(&mut self, span: Span) -> Result<(), Failure> {
        let Some(frame) = self.stack.pop() else {
            return Err(Failure::new(
                codes::PARSE,
                "unexpected end of a collection",
                span,
            ));
        };
        let value = match frame.items {
            Items::Seq(items) => Value::Array(items),
            Items::Map(map, _) => Value::Object(map),
        };
        let height = frame.inner_height + 1;
        if frame.anchor != 0 {
            let anchored = Anchored {
                value: Ok(value.clone()),
                key: None,
                nodes: frame.nodes_before - self.nodes_left,
                height,
            };
            self.anchors.insert(frame.anchor, anchored);
        }
        self.attach(value, height);
        Ok(())
    }

    fn alias(&mut self, id: usize, span: Span) -> Result<(), Failure> {
        let Some(anchored) = self.anchors.get(&id) else {
            return Err(Failure::new(codes::PARSE, "unknown alias", span));
        };
        if self.at_key() {
            let Some(key) = anchored.key.clone() else {
                let what = if matches!(anchored.value, Ok(Value::Array(_))) {
                    "sequence"
                } else {
                    "mapping"
                };
                let msg = format!("a mapping key must be a scalar, not a {what}");
                return Err(Failure::new(codes::PARSE, msg, span));
            };
            self.take(1, span)?;
            return self.key(key, span);
        }
        let (nodes, height) = (anchored.nodes, anchored.height);
        self.take(nodes, span)?;
        self.fits(height, span)?;
        let value = match self.anchors.get(&id).map(|a| &a.value) {
            Some(Ok(value)) => value.clone(),
            Some(Err(msg)) => return Err(Failure::new(codes::PARSE, msg.clone(), span)),
            None => Value::Null,
        };
        self.attach(value, height);
        Ok(())
    }

    /// Puts a finished value where it belongs.
    fn attach(&mut self, value: Value, height: usize) {
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(value);
            return;
        };
        frame.inner_height = frame.inner_height.max(height);
        match &mut frame.items {
            Items::Seq(items) => items.push(value),
            Items::Map(map, pending) => {
                if let Some(key) = pending.take() {
                    if REFS && RefNotes::may_note(&key) {
                        self.notes.note(&key, &value);
                    }
                    map.insert(key, value);
                }
            }
        }
    }

    /// The JSON pointer of the value being read.
    fn pointer(&self) -> String {
        let mut tokens = Vec::with_capacity(self.stack.len());
        for frame in &self.stack {
            match &frame.items {
                Items::Seq(items) => tokens.push(items.len().to_string()),
                Items::Map(_, Some(key)) => tokens.push(key.clone()),
                Items::Map(_, None) => break,
            }
        }
        pointer::join(tokens)
    }
}
