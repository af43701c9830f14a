//! Numbers as written: the tree keeps each number's text (serde_json's `arbitrary_precision`),
//! so that `-9223372036854776000`, `1e400`, `1.50` or `-0` come back with the same digits.
//!
//! YAML's scalars arrive as their text (`scalars`). serde_json hands over a number's text
//! itself, except that it writes every exponent as `e`; it hands over most strings borrowed
//! from the input, so [`NumberTexts`] knows where in the text the parse is (just after the last
//! such string) and finds an exponent's letter by looking ahead from there for a token of the
//! same number.

use std::cell::Cell;

use serde_json::Number;

/// serde_json's private marker for a number kept as text (`arbitrary_precision`): a number
/// reaches a visitor as a one-entry map under this key.
pub(super) const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// Where the parse is in the input text, and what the look-ahead may still spend.
pub(super) struct NumberTexts<'t> {
    text: &'t str,
    /// Just after the last string or number whose place in the text is known.
    cursor: Cell<usize>,
    /// Bytes the look-ahead may still read: a budget of a few passes over the text, so that
    /// a document of many numbers cannot make it quadratic.
    scan_left: Cell<usize>,
}

impl<'t> NumberTexts<'t> {
    pub(super) fn new(text: &'t str) -> Self {
        NumberTexts {
            text,
            cursor: Cell::new(0),
            scan_left: Cell::new(text.len().saturating_mul(2).saturating_add(4096)),
        }
    }

    /// Notes where a string borrowed from the input ends.
    #[inline]
    pub(super) fn seen(&self, s: &str) {
        let base = self.text.as_ptr() as usize;
        let start = (s.as_ptr() as usize).wrapping_sub(base);
        if start <= self.text.len() && self.text.len() - start >= s.len() {
            self.cursor.set(start + s.len());
        }
    }

    /// A number serde_json kept as text, with the input's `E` restored.
    pub(super) fn json(&self, text: &str) -> Option<Number> {
        if text.contains('e') {
            let found = self.find(|t| same_json_number(t, text));
            if let Some(n) = found.and_then(from_json_text) {
                return Some(n);
            }
        }
        from_json_text(text)
    }

    /// The next number-like token from the cursor that `accept` takes; the cursor moves past it.
    fn find(&self, accept: impl Fn(&str) -> bool) -> Option<&'t str> {
        let bytes = self.text.as_bytes();
        let from = self.cursor.get();
        let mut i = from;
        let end = bytes.len().min(from.saturating_add(self.scan_left.get()));
        let mut found = None;
        while i < end {
            let b = bytes[i];
            let starts = matches!(b, b'-' | b'+' | b'.' | b'0'..=b'9')
                && (i == 0
                    || matches!(
                        bytes[i - 1],
                        b' ' | b'\t' | b'\n' | b'\r' | b'[' | b'{' | b',' | b':'
                    ));
            if !starts {
                i += 1;
                continue;
            }
            let len = bytes[i..]
                .iter()
                .position(|c| {
                    !(c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.' | b'_'))
                })
                .unwrap_or(bytes.len() - i);
            let after = bytes.get(i + len).copied();
            let ends = matches!(
                after,
                None | Some(b' ' | b'\t' | b'\n' | b'\r' | b',' | b']' | b'}')
            );
            // Number-like tokens are ASCII, so `i` and `i + len` are char boundaries.
            let token = &self.text[i..i + len];
            i += len.max(1);
            if ends && accept(token) {
                found = Some(token);
                break;
            }
        }
        self.scan_left
            .set(self.scan_left.get().saturating_sub(i - from));
        if found.is_some() {
            self.cursor.set(i);
        }
        found
    }
}

/// A number whose text is `text`, when that is a JSON number, kept as written: serde_json's
/// own parsing writes exponents as `e+5` for `E5` (the same value and digits), so the text
/// is checked by it and then kept as is.
pub(super) fn from_json_text(text: &str) -> Option<Number> {
    let n: Number = text.parse().ok()?;
    if n.as_str() == text {
        return Some(n);
    }
    Some(Number::from_string_unchecked(text.to_string()))
}

/// Whether `token` is `parsed` as serde_json writes it (`1E5` is `1e+5`).
fn same_json_number(token: &str, parsed: &str) -> bool {
    let (t, p) = (token.as_bytes(), parsed.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < t.len() && j < p.len() {
        if t[i].eq_ignore_ascii_case(&p[j]) {
            i += 1;
            j += 1;
        } else if p[j] == b'+' && j > 0 && p[j - 1] == b'e' {
            j += 1;
        } else {
            return false;
        }
    }
    i == t.len() && j == p.len()
}
