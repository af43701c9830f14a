//! JSON documents and YAML flow collections (`{...}`, `[...]`), read by a small
//! bracket-and-quote scanner that skips values without parsing them.

use super::{Entry, SourceMap};

impl SourceMap<'_> {
    /// The entries of a flow mapping (`{...}`) or sequence (`[...]`) starting at `node`.
    pub(super) fn flow_entries(&self, node: usize, mapping: bool) -> Vec<Entry> {
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
}
