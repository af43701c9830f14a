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
//!
//! Here: the lookup (walking a pointer down the entries of each collection). The scanners are
//! in `block` (YAML block collections) and `flow` (JSON and YAML flow collections), on top of
//! the lexical helpers in `text`; `snippet` renders a position for a terminal.

mod block;
mod flow;
mod snippet;
mod text;

#[cfg(test)]
mod tests;

pub use snippet::render_snippet;

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
