//! Positions for diagnostics: JSON pointer -> line and column in the source text, and a
//! terminal rendering of the place (a source snippet with a caret).
//!
//! The loader keeps no positions (that would slow down every load for the rare diagnostic),
//! so [`locate`] scans the text again when a diagnostic needs a position: it walks down the
//! pointer, skipping the siblings of each step without parsing them. JSON and YAML flow
//! collections are read by a small bracket-and-quote scanner; YAML block collections by their
//! indentation. The cost is at most one pass over the text per pointer.
//!
//! Lines and columns are 1-based; columns count characters (not bytes), as editors do.
//! A mapping member is located at its key, a sequence element at its value, the root at the
//! first character of the document's content.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::document::pointer;

/// The line and column of the value at `pointer` (RFC 6901, `""` for the whole document)
/// in YAML or JSON `text`, or `None` when the text holds no such value (or the path goes
/// through a YAML alias).
pub fn locate(text: &str, pointer: &str) -> Option<(usize, usize)> {
    SourceMap::new(text).locate(pointer)
}

/// Like [`locate`], but when the value does not exist, the position of its deepest existing
/// ancestor (useful for "missing member" diagnostics); `None` only for an invalid pointer or
/// an empty text. The flag is true when the position is the value's own.
pub fn locate_nearest(text: &str, pointer: &str) -> Option<(usize, usize, bool)> {
    SourceMap::new(text).locate_nearest(pointer)
}

/// A source snippet for a terminal: the line before, the line, and a caret under the column.
///
/// ```text
///   4 |   ping:
///   5 |     post:
///     |     ^
/// ```
///
/// Long lines are cut to a window around the column, and control characters (terminal escape
/// sequences in a hostile document) are shown as `\u{fffd}`. Empty when `line` is not in the text.
pub fn render_snippet(text: &str, line: usize, column: usize) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    if line == 0 || line > lines.len() {
        return String::new();
    }
    // A text ending with a newline has no line after it.
    if line == lines.len() && lines[line - 1].is_empty() && line > 1 {
        return String::new();
    }
    let width = line.to_string().len();
    let mut out = String::new();
    if line > 1 {
        let (shown, _) = window(lines[line - 2], column);
        out.push_str(&format!("{:>width$} | {}\n", line - 1, shown));
    }
    let (shown, caret) = window(lines[line - 1], column);
    out.push_str(&format!("{:>width$} | {}\n", line, shown));
    out.push_str(&format!("{:>width$} | {}^\n", "", caret));
    out
}

/// Widest part of a line shown by [`render_snippet`], in characters.
const SNIPPET_WIDTH: usize = 100;

/// The visible part of `line` around `column` and the padding that puts a caret under it.
fn window(line: &str, column: usize) -> (String, String) {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let chars: Vec<char> = line.chars().collect();
    let col = column.max(1) - 1; // 0-based
    let col = col.min(chars.len());
    let (start, end) = if chars.len() <= SNIPPET_WIDTH {
        (0, chars.len())
    } else {
        let start = col
            .saturating_sub(SNIPPET_WIDTH / 2)
            .min(chars.len() - SNIPPET_WIDTH);
        (start, start + SNIPPET_WIDTH)
    };
    let clean = |c: char| {
        if c.is_control() && c != '\t' {
            '\u{fffd}'
        } else {
            c
        }
    };
    let mut shown = String::new();
    let mut caret = String::new();
    if start > 0 {
        shown.push('…');
        caret.push(' ');
    }
    for (i, &c) in chars[start..end].iter().enumerate() {
        shown.push(clean(c));
        if start + i < col {
            caret.push(if c == '\t' { '\t' } else { ' ' });
        }
    }
    if end < chars.len() {
        shown.push('…');
    }
    (shown, caret)
}

/// A text with its line index, for locating several pointers in the same text.
pub struct SourceMap<'a> {
    text: &'a str,
    bytes: &'a [u8],
    /// Byte offset of the start of each line.
    starts: Vec<usize>,
    /// The entries of each collection read so far, by the offset where it starts.
    cache: RefCell<HashMap<usize, Rc<Children>>>,
}

/// The entries of one collection.
enum Children {
    Mapping(Vec<Entry>),
    Sequence(Vec<Entry>),
}

/// One entry: its key (empty in a sequence), the offset to report for it (the key, or a
/// sequence element's value) and where its value starts (`None` for an empty value).
struct Entry {
    key: String,
    at: usize,
    value: Option<usize>,
}

impl<'a> SourceMap<'a> {
    pub fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, &b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        SourceMap {
            text,
            bytes,
            starts,
            cache: RefCell::new(HashMap::new()),
        }
    }

    /// See [`locate`].
    pub fn locate(&self, pointer: &str) -> Option<(usize, usize)> {
        match self.locate_nearest(pointer)? {
            (line, column, true) => Some((line, column)),
            _ => None,
        }
    }

    /// See [`locate_nearest`].
    pub fn locate_nearest(&self, pointer: &str) -> Option<(usize, usize, bool)> {
        let tokens = pointer::split(pointer)?;
        let mut node = self.root()?;
        let mut target = node;
        for token in &tokens {
            let Some((found, child)) = self.child(node, token) else {
                let (line, column) = self.position(target);
                return Some((line, column, false));
            };
            target = found;
            match child {
                Some(c) => node = c,
                None => {
                    // An empty value: nothing below it.
                    if !std::ptr::eq(token, tokens.last().unwrap()) {
                        let (line, column) = self.position(target);
                        return Some((line, column, false));
                    }
                }
            }
        }
        let (line, column) = self.position(target);
        Some((line, column, true))
    }

    /// 1-based line and character column of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        let end = offset.min(self.text.len());
        let column = self
            .text
            .get(start..end)
            .map_or(end - start, |s| s.chars().count())
            + 1;
        (line + 1, column)
    }

    // ---- structure ----

    /// The offset of the root node's first character.
    fn root(&self) -> Option<usize> {
        let b = self.bytes;
        let mut i = if self.text.starts_with('\u{feff}') {
            3
        } else {
            0
        };
        loop {
            i = self.skip_space_and_comments(i);
            if i >= b.len() {
                return None;
            }
            let line_start = self.line_start(i);
            if i == line_start && b[i] == b'%' {
                i = self.line_end(i); // a directive
                continue;
            }
            if i == line_start && b[i..].starts_with(b"---") && self.is_break(i + 3) {
                i += 3;
                continue;
            }
            return Some(self.skip_properties(i));
        }
    }

    /// The child `token` of the node starting at `node`: the offset to report for it (its key
    /// or its value) and the offset where its own content starts (`None` for an empty value).
    fn child(&self, node: usize, token: &str) -> Option<(usize, Option<usize>)> {
        let children = self.children(node)?;
        let entry = match &*children {
            Children::Sequence(entries) => entries.get(parse_index(token)?)?,
            Children::Mapping(entries) => entries
                .iter()
                .find(|e| e.key == token)
                .or_else(|| entries.iter().find(|e| key_matches(&e.key, token)))?,
        };
        Some((entry.at, entry.value))
    }

    /// The entries of the collection starting at `node`, read once and kept: diagnostics
    /// often point into the same large mapping (`/components/schemas/...`).
    fn children(&self, node: usize) -> Option<Rc<Children>> {
        if let Some(c) = self.cache.borrow().get(&node) {
            return Some(Rc::clone(c));
        }
        let children = Rc::new(match self.bytes.get(node)? {
            b'{' => Children::Mapping(self.flow_entries(node, true)),
            b'[' => Children::Sequence(self.flow_entries(node, false)),
            b'-' if self.is_break(node + 1) => Children::Sequence(self.block_sequence(node)),
            b'*' | b'|' | b'>' => return None,
            _ => Children::Mapping(self.block_mapping(node)?),
        });
        self.cache.borrow_mut().insert(node, Rc::clone(&children));
        Some(children)
    }

    fn block_sequence(&self, node: usize) -> Vec<Entry> {
        let col = node - self.line_start(node);
        let mut out = Vec::new();
        let mut entry = node;
        loop {
            // The entry's content: after `-` on the same line, or on the next lines.
            let content = self.value_start(entry + 1, col, true);
            out.push(Entry {
                key: String::new(),
                at: content.unwrap_or(entry),
                value: content,
            });
            let end = self.quoted_end(content).unwrap_or(entry);
            match self.next_sibling(end, col, true) {
                Some(next) => entry = next,
                None => return out,
            }
        }
    }

    /// `None` when `node` does not start a mapping (a plain scalar).
    fn block_mapping(&self, node: usize) -> Option<Vec<Entry>> {
        let col = node - self.line_start(node);
        let mut out = Vec::new();
        let mut entry = node;
        loop {
            // Where the entry's own text ends, as far as the search for the next one goes.
            let mut end = entry;
            // A complex key (`? `) is not addressable by a pointer token we can compare cheaply;
            // a line that is not a key continues the value before (a quoted scalar whose lines
            // are not indented, which libyaml accepts).
            if self.bytes[entry] != b'?' {
                if let Some((key, colon)) = self.block_key(entry) {
                    let value = self.value_start(colon + 1, col, false);
                    out.push(Entry {
                        key,
                        at: entry,
                        value,
                    });
                    // Skip a multi-line quoted value as a whole.
                    end = self.quoted_end(value).unwrap_or(entry);
                } else if entry == node {
                    return None;
                }
            }
            match self.next_sibling(end, col, false) {
                Some(next) => entry = next,
                None => return Some(out),
            }
        }
    }

    /// Where the quoted scalar starting at `value` (if it is one) ends.
    fn quoted_end(&self, value: Option<usize>) -> Option<usize> {
        let v = value.filter(|&v| matches!(self.bytes[v], b'"' | b'\''))?;
        Some(
            self.skip_quoted(v)
                .map_or(v, |after| after.saturating_sub(1)),
        )
    }
    /// The next entry of the block collection at column `col` after the entry at `entry`:
    /// the next line indented exactly `col` that starts with `- ` (sequences) or does not
    /// (mappings, whose values may be sequences at the same indentation).
    fn next_sibling(&self, entry: usize, col: usize, sequence: bool) -> Option<usize> {
        let mut line = self.line_of(entry) + 1;
        while line < self.starts.len() {
            let start = self.starts[line];
            let Some(first) = self.first_content(start) else {
                line += 1;
                continue;
            };
            let indent = first - start;
            if indent < col {
                return None;
            }
            if indent == col {
                let dash = self.bytes[first] == b'-' && self.is_break(first + 1);
                let marker = self.bytes[first..].starts_with(b"---")
                    || self.bytes[first..].starts_with(b"...");
                if marker && col == 0 && self.is_break(first + 3) {
                    return None; // the end of the document
                }
                if dash == sequence {
                    return Some(first);
                }
                if sequence {
                    return None;
                }
            }
            line += 1;
        }
        None
    }

    /// Where a value starts, given the offset just after its indicator (`:` or `-`): later on
    /// the same line, or on a following line indented more than `col` (a sequence may also
    /// sit at `col` itself as a mapping value). `None` for an empty value.
    fn value_start(&self, from: usize, col: usize, in_sequence: bool) -> Option<usize> {
        let b = self.bytes;
        let mut i = from;
        while i < b.len() && matches!(b[i], b' ' | b'\t') {
            i += 1;
        }
        i = self.skip_properties(i);
        if i < b.len() && !matches!(b[i], b'\n' | b'\r' | b'#') {
            return Some(i);
        }
        // On the next lines.
        let mut line = self.line_of(i.min(b.len().saturating_sub(1))) + 1;
        while line < self.starts.len() {
            let start = self.starts[line];
            let Some(first) = self.first_content(start) else {
                line += 1;
                continue;
            };
            let indent = first - start;
            let dash = b[first] == b'-' && self.is_break(first + 1);
            if indent > col || (indent == col && dash && !in_sequence) {
                return Some(self.skip_properties(first));
            }
            return None;
        }
        None
    }

    /// The key of a block mapping entry starting at `entry` and the offset of its `:`.
    fn block_key(&self, entry: usize) -> Option<(String, usize)> {
        let b = self.bytes;
        if matches!(b[entry], b'"' | b'\'') {
            let (key, end) = self.quoted(entry)?;
            let mut i = end;
            while i < b.len() && matches!(b[i], b' ' | b'\t') {
                i += 1;
            }
            return (b.get(i) == Some(&b':')).then_some((key, i));
        }
        let end = self.line_end(entry);
        let mut i = entry;
        while i < end {
            match b[i] {
                b':' if self.is_break(i + 1) => {
                    let key = self.text[entry..i].trim_end();
                    return Some((key.to_string(), i));
                }
                b'#' if i > entry && matches!(b[i - 1], b' ' | b'\t') => return None,
                _ => {}
            }
            i += 1;
        }
        None
    }

    /// The entries of a flow mapping (`{...}`) or sequence (`[...]`) starting at `node`.
    fn flow_entries(&self, node: usize, mapping: bool) -> Vec<Entry> {
        let b = self.bytes;
        let close = if mapping { b'}' } else { b']' };
        let mut out = Vec::new();
        let mut i = node + 1;
        loop {
            i = self.skip_space_and_comments(i);
            match b.get(i) {
                None => return out,
                Some(&c) if c == close => return out,
                Some(b',') => {
                    i += 1;
                    continue;
                }
                _ => {}
            }
            if !mapping {
                let at = self.skip_properties(i);
                out.push(Entry {
                    key: String::new(),
                    at,
                    value: Some(at),
                });
                match self.skip_flow_value(at) {
                    Some(next) if next > i => i = next,
                    _ => return out,
                }
                continue;
            }
            if b[i] == b'?' && self.is_break(i + 1) {
                i = self.skip_space_and_comments(i + 1);
            }
            let key_at = i;
            let (key, after) = if matches!(b.get(i), Some(b'"' | b'\'')) {
                match self.quoted(i) {
                    Some(q) => q,
                    None => return out,
                }
            } else {
                let end = self.flow_plain_end(i);
                (self.text[i..end].trim_end().to_string(), end)
            };
            i = self.skip_space_and_comments(after);
            let mut value = None;
            if b.get(i) == Some(&b':') {
                i = self.skip_properties(self.skip_space_and_comments(i + 1));
                if !matches!(b.get(i), None | Some(b',' | b'}')) {
                    value = Some(i);
                }
            }
            out.push(Entry {
                key,
                at: key_at,
                value,
            });
            if let Some(v) = value {
                match self.skip_flow_value(v) {
                    Some(next) => i = next,
                    None => return out,
                }
            } else if i == key_at {
                i += 1; // a stray character: never loop on it
            }
        }
    }

    /// The offset just after the flow value starting at `i`.
    fn skip_flow_value(&self, i: usize) -> Option<usize> {
        let b = self.bytes;
        match b.get(i)? {
            b'"' | b'\'' => self.skip_quoted(i),
            b'[' | b'{' => {
                let mut depth = 0usize;
                let mut j = i;
                while j < b.len() {
                    match b[j] {
                        b'[' | b'{' => depth += 1,
                        b']' | b'}' => {
                            depth -= 1;
                            if depth == 0 {
                                return Some(j + 1);
                            }
                        }
                        b'"' | b'\''
                            if matches!(
                                b[j - 1],
                                b'[' | b'{' | b',' | b':' | b' ' | b'\t' | b'\n' | b'\r'
                            ) =>
                        {
                            j = self.skip_quoted(j)?;
                            continue;
                        }
                        b'#' if matches!(b[j - 1], b' ' | b'\t' | b'\n' | b'\r') => {
                            j = self.line_end(j);
                            continue;
                        }
                        _ => {}
                    }
                    j += 1;
                }
                None
            }
            _ => {
                let end = self.flow_plain_end(i);
                // A `key: value` pair inside a flow sequence.
                if b.get(end) == Some(&b':') {
                    let v = self.skip_space_and_comments(end + 1);
                    return match b.get(v)? {
                        b',' | b']' | b'}' => Some(v),
                        _ => self.skip_flow_value(v),
                    };
                }
                Some(end)
            }
        }
    }

    /// The end of a plain scalar in flow context (at `,`, a bracket, `: ` or ` #`).
    fn flow_plain_end(&self, mut i: usize) -> usize {
        let b = self.bytes;
        while i < b.len() {
            match b[i] {
                b',' | b'[' | b']' | b'{' | b'}' => break,
                b':' if i + 1 >= b.len()
                    || matches!(b[i + 1], b' ' | b'\t' | b'\n' | b'\r' | b',' | b']' | b'}') =>
                {
                    break
                }
                b'#' if matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'\r') => break,
                _ => {}
            }
            i += 1;
        }
        // Trailing white space is not part of the scalar.
        while i > 0 && matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'\r') {
            i -= 1;
        }
        i
    }

    /// The offset after the quoted scalar starting at `i`, without decoding it.
    fn skip_quoted(&self, i: usize) -> Option<usize> {
        let b = self.bytes;
        let q = b[i];
        let mut j = i + 1;
        while j < b.len() {
            match b[j] {
                b'\\' if q == b'"' => j += 2,
                c if c == q => {
                    if q == b'\'' && b.get(j + 1) == Some(&b'\'') {
                        j += 2;
                        continue;
                    }
                    return Some(j + 1);
                }
                _ => j += 1,
            }
        }
        None
    }

    /// A quoted scalar starting at `i`: its value and the offset after the closing quote.
    fn quoted(&self, i: usize) -> Option<(String, usize)> {
        let b = self.bytes;
        let q = b[i];
        let mut out = String::new();
        let mut j = i + 1;
        let mut run = j; // start of the pending unescaped run
        while j < b.len() {
            let c = b[j];
            if q == b'\'' && c == b'\'' {
                out.push_str(&self.text[run..j]);
                if b.get(j + 1) == Some(&b'\'') {
                    out.push('\'');
                    j += 2;
                    run = j;
                    continue;
                }
                return Some((out, j + 1));
            }
            if q == b'"' && c == b'"' {
                out.push_str(&self.text[run..j]);
                return Some((out, j + 1));
            }
            if q == b'"' && c == b'\\' {
                out.push_str(&self.text[run..j]);
                let (decoded, len) = unescape(&self.text[j..]);
                out.push_str(&decoded);
                j += len;
                run = j;
                continue;
            }
            j += 1;
        }
        None
    }

    // ---- text helpers ----

    fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    fn line_start(&self, offset: usize) -> usize {
        self.starts[self.line_of(offset)]
    }

    /// The offset of the `\n` ending the line holding `offset` (or the text's end).
    fn line_end(&self, offset: usize) -> usize {
        match self.bytes[offset.min(self.bytes.len())..]
            .iter()
            .position(|&b| b == b'\n')
        {
            Some(k) => offset + k,
            None => self.bytes.len(),
        }
    }

    /// The first character of a line that is not white space, unless the line is blank or
    /// holds only a comment.
    fn first_content(&self, line_start: usize) -> Option<usize> {
        let b = self.bytes;
        let mut i = line_start;
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
        match b.get(i) {
            None | Some(b'\n') | Some(b'\r') | Some(b'#') => None,
            Some(_) => Some(i),
        }
    }

    fn is_break(&self, i: usize) -> bool {
        matches!(self.bytes.get(i), None | Some(b' ' | b'\t' | b'\n' | b'\r'))
    }

    fn skip_space_and_comments(&self, mut i: usize) -> usize {
        let b = self.bytes;
        while i < b.len() {
            match b[i] {
                b' ' | b'\t' | b'\n' | b'\r' => i += 1,
                b'#' if i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'\r') => {
                    i = self.line_end(i)
                }
                _ => break,
            }
        }
        i
    }

    /// Skips anchors (`&a`) and tags (`!t`) before a node, and the white space after them.
    fn skip_properties(&self, mut i: usize) -> usize {
        let b = self.bytes;
        while i < b.len() && matches!(b[i], b'&' | b'!') {
            while i < b.len() && !matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
                i += 1;
            }
            while i < b.len() && matches!(b[i], b' ' | b'\t') {
                i += 1;
            }
            if i < b.len() && matches!(b[i], b'\n' | b'\r' | b'#') {
                // The node is on a following line.
                let next = self.skip_space_and_comments(i);
                return if next < b.len() { next } else { i };
            }
        }
        i
    }
}

/// A JSON pointer token as an array index.
fn parse_index(token: &str) -> Option<usize> {
    if token.is_empty() || (token.len() > 1 && token.starts_with('0')) {
        return None;
    }
    token.parse().ok()
}

/// Whether a key as written matches a pointer token. The loader turns scalar keys into their
/// string form, so `200`, `0x10` and `1.0` are compared as the numbers they are.
fn key_matches(written: &str, token: &str) -> bool {
    if written == token {
        return true;
    }
    if let Ok(n) = written.parse::<i64>() {
        return n.to_string() == token;
    }
    if let Some(hex) = written.strip_prefix("0x") {
        return u64::from_str_radix(hex, 16).is_ok_and(|n| n.to_string() == token);
    }
    if let Some(oct) = written.strip_prefix("0o") {
        return u64::from_str_radix(oct, 8).is_ok_and(|n| n.to_string() == token);
    }
    if let Ok(f) = written.parse::<f64>() {
        return written.contains(['.', 'e', 'E']) && f.to_string() == token;
    }
    matches!(
        (written, token),
        ("~" | "Null" | "NULL", "null") | ("True" | "TRUE", "true") | ("False" | "FALSE", "false")
    )
}

/// Decodes one escape sequence of a double-quoted scalar at the start of `s` (which starts
/// with `\`): the text and the number of bytes it took.
fn unescape(s: &str) -> (String, usize) {
    let b = s.as_bytes();
    let Some(&c) = b.get(1) else {
        return (String::new(), 1);
    };
    let simple = match c {
        b'n' => Some('\n'),
        b't' | b'\t' => Some('\t'),
        b'r' => Some('\r'),
        b'0' => Some('\0'),
        b'b' => Some('\u{8}'),
        b'f' => Some('\u{c}'),
        b'e' => Some('\u{1b}'),
        b' ' => Some(' '),
        b'/' => Some('/'),
        b'\\' => Some('\\'),
        b'"' => Some('"'),
        b'N' => Some('\u{85}'),
        b'_' => Some('\u{a0}'),
        _ => None,
    };
    if let Some(ch) = simple {
        return (ch.to_string(), 2);
    }
    let digits = match c {
        b'x' => 2,
        b'u' => 4,
        b'U' => 8,
        _ => {
            // Unknown escape or an escaped line break: keep the character.
            let len = s[1..].chars().next().map_or(1, |ch| 1 + ch.len_utf8());
            return (String::new(), len);
        }
    };
    let hex = s.get(2..2 + digits).unwrap_or("");
    match u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
        Some(ch) if hex.len() == digits => (ch.to_string(), 2 + digits),
        _ => (String::new(), 2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    const YAML: &str = "\
# A comment
openapi: 3.1.0
info:
  title: \"T\"   # trailing comment
  version: '1'
webhooks:
  ping:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {a: {type: string}, b: [1, 2]}}
      responses:
        '200':
          description: |
            text: with a colon
            and more
        \"404\": {description: missing}
tags:
- name: one
  description: first
-   name: two
- &t3
  name: three
list:
  - [a, b]
  - key: value
    other: 2
  -
    deep: true
paths/~x:
  a/b: 1
";

    #[test]
    fn yaml_block_and_flow_collections() {
        let at = |p| locate(YAML, p);
        assert_eq!(at(""), Some((2, 1)));
        assert_eq!(at("/openapi"), Some((2, 1)));
        assert_eq!(at("/info/title"), Some((4, 3)));
        assert_eq!(at("/info/version"), Some((5, 3)));
        assert_eq!(at("/webhooks/ping/post"), Some((8, 5)));
        assert_eq!(
            at("/webhooks/ping/post/requestBody/content/application~1json/schema"),
            Some((12, 13))
        );
        assert_eq!(
            at("/webhooks/ping/post/requestBody/content/application~1json/schema/properties/b/1"),
            Some((12, 75))
        );
        assert_eq!(at("/webhooks/ping/post/responses/200"), Some((14, 9)));
        assert_eq!(
            at("/webhooks/ping/post/responses/200/description"),
            Some((15, 11))
        );
        assert_eq!(
            at("/webhooks/ping/post/responses/404/description"),
            Some((18, 17))
        );
        assert_eq!(at("/tags/0"), Some((20, 3)));
        assert_eq!(at("/tags/0/description"), Some((21, 3)));
        assert_eq!(at("/tags/1/name"), Some((22, 5)));
        assert_eq!(at("/tags/2/name"), Some((24, 3)));
        assert_eq!(at("/list/0/1"), Some((26, 9)));
        assert_eq!(at("/list/1/other"), Some((28, 5)));
        assert_eq!(at("/list/2/deep"), Some((30, 5)));
        assert_eq!(at("/paths~1~0x/a~1b"), Some((32, 3)));
    }

    #[test]
    fn missing_values_are_none_and_nearest_gives_the_ancestor() {
        assert_eq!(locate(YAML, "/info/nope"), None);
        assert_eq!(locate(YAML, "/tags/3"), None);
        assert_eq!(locate(YAML, "/tags/x"), None);
        assert_eq!(locate(YAML, "/openapi/x"), None);
        assert_eq!(locate(YAML, "no-slash"), None);
        assert_eq!(
            locate_nearest(YAML, "/info/nope/deeper"),
            Some((3, 1, false))
        );
        assert_eq!(locate_nearest(YAML, "/info/title"), Some((4, 3, true)));
        // `text:` inside a block scalar is not a key.
        assert_eq!(
            locate(YAML, "/webhooks/ping/post/responses/200/description/text"),
            None
        );
        assert_eq!(locate("", ""), None);
        assert_eq!(locate("# nothing\n", "/a"), None);
    }

    #[test]
    fn json_documents() {
        let text = "{\n  \"openapi\": \"3.1.0\",\n  \"webhooks\": {\"a/b\": {\"post\": [1, {\"x\\\"y\": null}]}},\n  \"k\": \"v\"\n}\n";
        assert_eq!(locate(text, ""), Some((1, 1)));
        assert_eq!(locate(text, "/openapi"), Some((2, 3)));
        assert_eq!(locate(text, "/webhooks/a~1b/post/1/x\"y"), Some((3, 37)));
        assert_eq!(locate(text, "/webhooks/a~1b/post/0"), Some((3, 33)));
        assert_eq!(locate(text, "/k"), Some((4, 3)));
        assert_eq!(locate(text, "/webhooks/a~1b/post/2"), None);
        // Minified, with escapes and brackets inside strings.
        let text = r#"{"a":"[{\"","b":{"c":["]",{"d":1}]}}"#;
        assert_eq!(locate(text, "/b/c/1/d"), Some((1, 28)));
    }

    #[test]
    fn yaml_details() {
        // Document markers, CRLF, anchors and tags, numbers as keys, unicode columns.
        let text = "%YAML 1.2\r\n---\r\nresponses:\r\n  200: &ok\r\n    description: ok\r\n  x: !!str é\r\n";
        assert_eq!(locate(text, "/responses/200/description"), Some((5, 5)));
        assert_eq!(locate(text, "/responses/x"), Some((6, 3)));
        let text = "a: {é: 1, b: 2}\n";
        assert_eq!(locate(text, "/a/b"), Some((1, 11)));
        let text = "--- \nk: 0x10\n0x10: a\n1.50: b\n";
        assert_eq!(locate(text, "/16"), Some((3, 1)));
        assert_eq!(locate(text, "/1.5"), Some((4, 1)));
        // A mapping value that is a sequence at the same indentation.
        let text = "a:\n- 1\n- 2\nb: 3\n";
        assert_eq!(locate(text, "/a/1"), Some((3, 3)));
        assert_eq!(locate(text, "/b"), Some((4, 1)));
        // Empty values.
        let text = "a:\nb: 1\n";
        assert_eq!(locate(text, "/a"), Some((1, 1)));
        assert_eq!(locate(text, "/a/x"), None);
        assert_eq!(locate(text, "/b"), Some((2, 1)));
        // Keys in quotes with escapes; a plain key with a colon inside.
        // A quoted value whose lines are not indented (libyaml accepts it).
        let text = "info:\n  d: \"line one\n  [link](http://x)\n  - not: an entry\"\n  license:\n    name: A\n";
        assert_eq!(locate(text, "/info/license/name"), Some((6, 5)));
        let text = "- \"a\n- b\"\n- c\n";
        assert_eq!(locate(text, "/1"), Some((3, 3)));
        let text = "'it''s': 1\n\"tab\\there\": 2\nurl:http: 3\n";
        assert_eq!(locate(text, "/it's"), Some((1, 1)));
        assert_eq!(locate(text, "/tab\there"), Some((2, 1)));
        assert_eq!(locate(text, "/url:http"), Some((3, 1)));
    }

    fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    let p = pointer::push(&at, k);
                    out.push(p.clone());
                    pointers(v, p, out);
                }
            }
            Value::Array(a) => {
                for (i, v) in a.iter().enumerate() {
                    let p = format!("{at}/{i}");
                    out.push(p.clone());
                    pointers(v, p, out);
                }
            }
            _ => {}
        }
    }

    /// Every value of every sample and fixture is found, at a place that starts with its key.
    #[test]
    fn every_value_of_the_samples_is_located() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        let mut dirs = vec![root.join("samples"), root.join("tests/fixtures")];
        while let Some(dir) = dirs.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p
                    .extension()
                    .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
                {
                    files.push(p);
                }
            }
        }
        assert!(files.len() > 10);
        let mut checked = 0;
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let Ok(doc) = crate::document::load::parse_str(&text, "t", &Default::default()) else {
                continue;
            };
            let map = SourceMap::new(&text);
            let mut all = Vec::new();
            pointers(&doc.value, String::new(), &mut all);
            for p in all {
                let Some((line, column)) = map.locate(&p) else {
                    // Values reached through an alias have no place of their own.
                    if text.contains('*') {
                        continue;
                    }
                    panic!("{}: {p} not found", file.display());
                };
                let last = pointer::split(&p).unwrap().pop().unwrap();
                let line_text = text.split('\n').nth(line - 1).unwrap();
                let rest: String = line_text.chars().skip(column - 1).collect();
                if last.parse::<usize>().is_err() {
                    let bare = rest.trim_start_matches(['"', '\'']);
                    assert!(
                        bare.starts_with(&last)
                            || key_matches(bare.split(':').next().unwrap().trim(), &last),
                        "{}: {p} at {line}:{column}: {rest:?}",
                        file.display()
                    );
                }
                checked += 1;
            }
        }
        assert!(checked > 1000, "{checked}");
    }

    #[test]
    fn snippets() {
        let text = "a: 1\nwebhooks:\n  ping:\n    post: {}\n";
        assert_eq!(
            render_snippet(text, 4, 5),
            "3 |   ping:\n4 |     post: {}\n  |     ^\n"
        );
        assert_eq!(render_snippet(text, 1, 1), "1 | a: 1\n  | ^\n");
        assert_eq!(render_snippet(text, 5, 1), "");
        assert_eq!(render_snippet(text, 0, 1), "");
        // Past the end of the line: the caret goes after its last character.
        assert_eq!(render_snippet("ab\n", 1, 9), "1 | ab\n  |   ^\n");
        // Line numbers are aligned.
        let many = "x\n".repeat(12);
        assert_eq!(render_snippet(&many, 10, 1), " 9 | x\n10 | x\n   | ^\n");
        // Tabs keep the caret aligned; control characters are neutralised.
        assert_eq!(
            render_snippet("\tk: \u{1b}[31mred\r\n", 1, 2),
            "1 | \tk: \u{fffd}[31mred\n  | \t^\n"
        );
        // A long line is cut around the column.
        let long = format!("{}X{}", "a".repeat(5000), "b".repeat(5000));
        let s = render_snippet(&long, 1, 5001);
        let shown = s.lines().next().unwrap();
        assert!(shown.chars().count() < 120, "{shown}");
        assert!(shown.contains('X') && shown.starts_with("1 | …") && shown.ends_with('…'));
        let caret = s.lines().nth(1).unwrap();
        let x_col = shown.chars().position(|c| c == 'X').unwrap();
        assert_eq!(caret.chars().count() - 1, x_col);
    }

    #[test]
    fn locate_and_snippet_together() {
        let (line, column) = locate(YAML, "/webhooks/ping/post/responses/404").unwrap();
        let s = render_snippet(YAML, line, column);
        assert!(
            s.contains("18 |         \"404\": {description: missing}"),
            "{s}"
        );
        assert!(s.ends_with("   |         ^\n"), "{s}");
    }
}
