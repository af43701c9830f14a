//! YAML block collections, read by their indentation: the entries of a block sequence or
//! mapping, where each value starts and where the next sibling is.

use super::{Entry, SourceMap};

impl SourceMap<'_> {
    pub(super) fn block_sequence(&self, node: usize) -> Vec<Entry> {
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
    pub(super) fn block_mapping(&self, node: usize) -> Option<Vec<Entry>> {
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
}
