//! The YAML pre-scan: one linear pass over the text, before the parser sees it, that bounds
//! the nesting depth and estimates the number of values (see [`prescan_yaml`]).

use super::limits::{nodes_message, Limits};
use super::position_of;
use crate::diagnostics::{codes, Diagnostic, Error};

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
pub(super) fn prescan_yaml(text: &str, name: &str, limits: &Limits) -> Result<(), Error> {
    Prescan::new(text.as_bytes(), name, limits).run()
}

/// The text being scanned, its name and the limits: what the pre-scan's errors point into.
#[derive(Clone, Copy)]
struct Source<'t> {
    bytes: &'t [u8],
    name: &'t str,
    limits: &'t Limits,
}

impl Source<'_> {
    fn too_many(self, at: usize) -> Error {
        let (line, column) = position_of(self.bytes, at);
        Diagnostic::error(
            codes::TOO_LARGE,
            self.name,
            "",
            nodes_message(self.limits, self.limits.max_nodes, false),
        )
        .at(line, column)
        .into()
    }

    fn too_deep(self, what: &str, at: usize) -> Error {
        let (line, column) = position_of(self.bytes, at);
        let msg = format!(
            "{what} are nested more than {} levels deep (raise the limit with --max-depth)",
            self.limits.max_depth
        );
        Diagnostic::error(codes::TOO_DEEP, self.name, "", msg)
            .at(line, column)
            .into()
    }
}

/// The values counted so far (an estimate of the parser's count, never above it).
struct Tally<'t> {
    source: Source<'t>,
    nodes: usize,
}

impl Tally<'_> {
    /// Counts one value at byte `at`; an error once there are more than `max_nodes`.
    fn count(&mut self, at: usize) -> Result<(), Error> {
        self.nodes += 1;
        if self.nodes > self.source.limits.max_nodes {
            return Err(self.source.too_many(at));
        }
        Ok(())
    }
}

/// The pre-scan's state: the position, the token it is in, and the block and flow structure
/// around it.
struct Prescan<'t> {
    bytes: &'t [u8],
    source: Source<'t>,
    tally: Tally<'t>,
    i: usize,
    /// Depth of flow collections.
    flow: usize,
    lex: Lex,
    // Block context, per line.
    line_start: usize,
    indent: usize,
    /// Block indicators (`-`, `?`, `:`) opened on this line.
    chain: usize,
    /// Column of the innermost block structure on this line.
    struct_col: usize,
    /// Column where the current plain/quoted scalar started.
    token_col: usize,
    // Values the parser creates without a token of their own are counted too (so that the
    // estimate stays close to the real count, never above it): a block collection under a
    // key (`a:` then indented entries), a null value (`a:` then nothing), a mapping opened in
    // a sequence entry (`- a: 1`), and a key without a value in a flow mapping (`{a, b}`).
    /// A block key ended on this line and its value has not started.
    key_open: bool,
    /// The previous content line ended with an open key.
    pending: bool,
    /// `- a:` already counted its mapping on this line.
    map_in_entry: bool,
    // A line that starts with a plain scalar after a line that ended in one may be its
    // continuation: the scalar is counted only if it turns out to be a key.
    /// The state at the end of the last content line.
    eol_lex: Lex,
    line_has_content: bool,
    /// This line may continue the plain scalar before.
    continuation: bool,
    /// The plain scalar starting this line is not counted yet.
    deferred: bool,
    flow_stack: Vec<FlowLevel>,
    /// A quoted scalar: its quote and, in block context, the indentation of its first line.
    quote: Option<(u8, usize)>,
    /// Block scalar (`|`, `>`): lines indented more than this column belong to it.
    block_scalar: Option<usize>,
    /// The block scalar's content indent, explicit or detected.
    block_scalar_indent: Option<usize>,
}

impl<'t> Prescan<'t> {
    fn new(bytes: &'t [u8], name: &'t str, limits: &'t Limits) -> Self {
        let source = Source {
            bytes,
            name,
            limits,
        };
        Prescan {
            bytes,
            source,
            tally: Tally { source, nodes: 0 },
            i: 0,
            flow: 0,
            lex: Lex::NodeStart,
            line_start: 0,
            indent: 0,
            chain: 0,
            struct_col: 0,
            token_col: 0,
            key_open: false,
            pending: false,
            map_in_entry: false,
            eol_lex: Lex::NodeStart,
            line_has_content: false,
            continuation: false,
            deferred: false,
            flow_stack: Vec::new(),
            quote: None,
            block_scalar: None,
            block_scalar_indent: None,
        }
    }

    fn run(&mut self) -> Result<(), Error> {
        let bytes = self.bytes;
        let n = bytes.len();
        while self.i < n {
            if self.i == self.line_start {
                if !self.start_line() {
                    continue;
                }
                if self.i >= n {
                    break;
                }
            }

            let i = self.i;
            let b = bytes[i];
            if b == b'\n' {
                self.i += 1;
                self.line_start = self.i;
                continue;
            }

            if let Some((q, _)) = self.quote {
                self.quoted(q, b);
                continue;
            }

            let next = if i + 1 < n { bytes[i + 1] } else { b'\n' };
            let next_is_space = matches!(next, b' ' | b'\t' | b'\n' | b'\r');
            let prev_is_space = i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'\r');

            // ---- comments ----
            if b == b'#' && prev_is_space {
                self.i = skip_line(bytes, i);
                continue;
            }

            if self.flow > 0 {
                self.flow_byte(b, next, next_is_space)?;
                self.i += 1;
                continue;
            }
            self.block_byte(b, next_is_space)?;
        }
        Ok(())
    }

    /// At the start of a line: skips the line when it belongs to a block scalar (false);
    /// otherwise resets the per-line block state and moves past the indentation (true).
    fn start_line(&mut self) -> bool {
        let bytes = self.bytes;
        let n = bytes.len();
        let i = self.i;
        let mut j = i;
        while j < n && bytes[j] == b' ' {
            j += 1;
        }
        let line_indent = j - i;
        let blank = j >= n || matches!(bytes[j], b'\n' | b'\r');
        if let Some(parent) = self.block_scalar {
            let inside = if blank {
                true
            } else {
                match self.block_scalar_indent {
                    Some(content) => line_indent >= content,
                    None if line_indent > parent => {
                        self.block_scalar_indent = Some(line_indent);
                        true
                    }
                    None => false,
                }
            };
            if inside {
                self.i = (skip_line(bytes, i) + 1).min(n);
                self.line_start = self.i;
                return false;
            }
            self.block_scalar = None;
            self.block_scalar_indent = None;
        }
        if self.flow == 0 {
            if let Some((_, opened_at)) = self.quote {
                // A quoted scalar continues only on lines indented more than its first.
                if !blank && line_indent <= opened_at {
                    self.quote = None;
                    self.lex = Lex::NodeStart;
                }
            }
            if self.quote.is_none() {
                if self.line_has_content {
                    self.eol_lex = self.lex;
                }
                self.lex = Lex::NodeStart;
                self.line_has_content = !blank && bytes[j] != b'#';
                if self.line_has_content {
                    self.pending = self.key_open;
                    self.key_open = false;
                    self.continuation = self.eol_lex == Lex::Plain;
                    self.deferred = false;
                }
            }
            self.indent = line_indent;
            self.chain = 0;
            self.struct_col = line_indent;
            self.map_in_entry = false;
        }
        self.i = j;
        true
    }

    /// Byte `b` inside a quoted scalar, closing `q`.
    fn quoted(&mut self, q: u8, b: u8) {
        let bytes = self.bytes;
        let n = bytes.len();
        let i = self.i;
        if q == b'"' && b == b'\\' {
            // An escape; `\` before a line break continues the line.
            self.i += if i + 1 < n && bytes[i + 1] != b'\n' {
                2
            } else {
                1
            };
            return;
        }
        if b == q {
            if q == b'\'' && i + 1 < n && bytes[i + 1] == b'\'' {
                self.i += 2; // '' is an escaped quote
                return;
            }
            self.quote = None;
            self.lex = Lex::AfterNode;
        }
        self.i += 1;
    }

    /// Byte `b` in flow context, outside quotes and comments: every bracket counts.
    fn flow_byte(&mut self, b: u8, next: u8, next_is_space: bool) -> Result<(), Error> {
        let i = self.i;
        match b {
            b'[' | b'{' => {
                self.flow += 1;
                if self.flow > self.source.limits.max_depth {
                    return Err(self.source.too_deep("flow collections ([ ] or { })", i));
                }
                self.tally.count(i)?;
                if let Some(top) = self.flow_stack.last_mut() {
                    top.entry = true;
                }
                self.flow_stack.push(FlowLevel::new(b == b'{'));
                self.lex = Lex::NodeStart;
            }
            b']' | b'}' => {
                self.flow -= 1;
                if let Some(top) = self.flow_stack.pop() {
                    if top.key_without_value() {
                        self.tally.count(i)?;
                    }
                }
                self.lex = Lex::AfterNode;
            }
            b',' => {
                if let Some(top) = self.flow_stack.last_mut() {
                    if top.key_without_value() {
                        self.tally.count(i)?;
                    }
                    *top = FlowLevel::new(top.mapping);
                }
                self.lex = Lex::NodeStart
            }
            b':' if next_is_space
                || matches!(next, b',' | b'[' | b']' | b'{' | b'}')
                || self.lex == Lex::AfterNode =>
            {
                if let Some(top) = self.flow_stack.last_mut() {
                    if top.mapping {
                        top.colon = true;
                    } else if !top.colon {
                        // `[a: b]`: a mapping of one pair inside a sequence.
                        top.colon = true;
                        self.tally.count(i)?;
                    }
                }
                self.lex = Lex::NodeStart
            }
            b' ' | b'\t' | b'\r' => {
                if self.lex == Lex::Property {
                    self.lex = Lex::NodeStart;
                }
            }
            b'\'' | b'"' if self.lex == Lex::NodeStart => {
                self.quote = Some((b, 0));
                self.tally.count(i)?;
                if let Some(top) = self.flow_stack.last_mut() {
                    top.entry = true;
                }
            }
            b'&' | b'!' if self.lex == Lex::NodeStart => self.lex = Lex::Property,
            b'?' if self.lex == Lex::NodeStart && next_is_space => {}
            _ => {
                if self.lex == Lex::NodeStart {
                    self.tally.count(i)?;
                    if let Some(top) = self.flow_stack.last_mut() {
                        top.entry = true;
                    }
                    self.lex = Lex::Plain;
                }
            }
        }
        Ok(())
    }

    /// Byte `b` in block context, outside quotes and comments; moves past it (past the whole
    /// header of a block scalar).
    fn block_byte(&mut self, b: u8, next_is_space: bool) -> Result<(), Error> {
        let i = self.i;
        let col = i - self.line_start;
        match self.lex {
            Lex::NodeStart if matches!(b, b' ' | b'\t' | b'\r') => {}
            Lex::NodeStart => match b {
                b'-' | b'?' | b':' if next_is_space => {
                    self.continuation = false;
                    // `- `, `? `, `: `: a (possibly compact) nested block collection.
                    self.chain += 1;
                    if self.chain > self.source.limits.max_depth {
                        return Err(self.source.too_deep("block collections (`- - - ...`)", i));
                    }
                    // The first indicator of a line usually continues a collection;
                    // each further one opens a new collection, and so does the first one
                    // under a key (`a:` then `- x`).
                    if self.chain > 1 || std::mem::take(&mut self.pending) {
                        self.tally.count(i)?;
                    }
                    self.key_open = false;
                    self.struct_col = col;
                }
                b'[' | b'{' => {
                    self.continuation = false;
                    self.flow = 1;
                    if self.flow > self.source.limits.max_depth {
                        return Err(self.source.too_deep("flow collections ([ ] or { })", i));
                    }
                    self.tally.count(i)?;
                    self.key_open = false;
                    self.flow_stack.clear();
                    self.flow_stack.push(FlowLevel::new(b == b'{'));
                }
                b'\'' | b'"' => {
                    self.continuation = false;
                    self.quote = Some((b, self.indent));
                    self.token_col = col;
                    self.tally.count(i)?;
                    self.key_open = false;
                }
                b'|' | b'>' => {
                    self.continuation = false;
                    self.block_scalar_header(i)?;
                    return Ok(());
                }
                b'&' | b'!' => self.lex = Lex::Property,
                _ => {
                    if std::mem::take(&mut self.continuation) && self.chain == 0 {
                        self.deferred = true;
                    } else {
                        self.tally.count(i)?;
                    }
                    self.key_open = false;
                    self.token_col = col;
                    self.lex = Lex::Plain;
                }
            },
            Lex::Property => {
                if matches!(b, b' ' | b'\t' | b'\r') {
                    self.lex = Lex::NodeStart;
                }
            }
            Lex::Plain | Lex::AfterNode => {
                if b == b':' && (next_is_space || self.lex == Lex::AfterNode) {
                    // The end of a key: its value follows. The key may open a mapping: under
                    // a key of the line before, or in a sequence entry (`- a: 1`).
                    if std::mem::take(&mut self.deferred) {
                        self.tally.count(i)?; // the key, not a continuation after all
                    }
                    if std::mem::take(&mut self.pending) || (self.chain > 0 && !self.map_in_entry) {
                        self.tally.count(i)?;
                    }
                    self.map_in_entry = true;
                    self.key_open = true;
                    self.struct_col = self.token_col;
                    self.lex = Lex::NodeStart;
                }
            }
        }
        self.i += 1;
        Ok(())
    }

    /// A block scalar (`|`, `>`) at `i`: counts it and moves to the end of its header line;
    /// the lines after it that belong to it are skipped by [`Prescan::start_line`].
    fn block_scalar_header(&mut self, i: usize) -> Result<(), Error> {
        // Its header runs to the end of the line.
        let bytes = self.bytes;
        self.tally.count(i)?;
        self.key_open = false;
        let end = skip_line(bytes, i);
        let header = &bytes[i + 1..end];
        let explicit = header
            .iter()
            .take_while(|c| !matches!(c, b' ' | b'#' | b'\n'))
            .find(|c| c.is_ascii_digit())
            .map(|c| (c - b'0') as usize);
        self.block_scalar = Some(self.struct_col);
        self.block_scalar_indent = explicit.map(|k| self.struct_col + k);
        self.i = end;
        Ok(())
    }
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

/// For a JSON document larger than `max_nodes` values could need: counts its values (keys
/// included) in one pass, before the parser builds anything, and refuses more than `allowed`.
/// Every value but the root follows a `[`, `,` or `:`, and every key a `{` or `,`, outside
/// strings; an empty `[]` or `{}` opens nothing.
pub(super) fn prescan_json(
    text: &str,
    name: &str,
    limits: &Limits,
    allowed: usize,
) -> Result<(), Error> {
    let bytes = text.as_bytes();
    let mut count = 1usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b',' | b':' => count += 1,
            b'[' | b'{' => {
                let next = bytes[i + 1..].iter().find(|b| !b.is_ascii_whitespace());
                if !matches!(next, Some(b']' | b'}')) {
                    count += 1;
                }
            }
            _ => {}
        }
        if count > allowed {
            let (line, column) = position_of(bytes, i);
            let msg = nodes_message(limits, allowed, false);
            return Err(Diagnostic::error(codes::TOO_LARGE, name, "", msg)
                .at(line, column)
                .into());
        }
        i += 1;
    }
    Ok(())
}
