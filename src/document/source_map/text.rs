//! Lexical helpers shared by the scanners: lines, white space and comments, node properties
//! (anchors, tags) and quoted scalars.

use super::SourceMap;

impl SourceMap<'_> {
    /// The offset after the quoted scalar starting at `i`, without decoding it.
    pub(super) fn skip_quoted(&self, i: usize) -> Option<usize> {
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
    pub(super) fn quoted(&self, i: usize) -> Option<(String, usize)> {
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

    pub(super) fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    pub(super) fn line_start(&self, offset: usize) -> usize {
        self.starts[self.line_of(offset)]
    }

    /// The offset of the `\n` ending the line holding `offset` (or the text's end).
    pub(super) fn line_end(&self, offset: usize) -> usize {
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
    pub(super) fn first_content(&self, line_start: usize) -> Option<usize> {
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

    pub(super) fn is_break(&self, i: usize) -> bool {
        matches!(self.bytes.get(i), None | Some(b' ' | b'\t' | b'\n' | b'\r'))
    }

    pub(super) fn skip_space_and_comments(&self, mut i: usize) -> usize {
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
    pub(super) fn skip_properties(&self, mut i: usize) -> usize {
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
