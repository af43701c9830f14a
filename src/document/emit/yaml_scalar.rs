//! YAML string scalars: the style that every reader reads back as the same
//! string, and the writers for each style:
//!
//! * plain (unquoted) only when nothing in YAML 1.1 or 1.2 could resolve it to
//!   another type and it has no syntax-significant characters; the checks are
//!   deliberately conservative (anything that starts like a number and uses
//!   only number/date characters is quoted);
//! * single-quoted when it only needs protection from resolution or syntax;
//! * double-quoted with escapes when it contains control characters, tabs,
//!   non-printables, or the characters YAML 1.1 treats as line breaks (NEL,
//!   U+2028, U+2029), or a line break that a literal block cannot carry;
//! * literal block scalars (`|`, `|-`, `|+`) for multi-line values that
//!   round-trip exactly in that form.

use std::fmt::Write as _;

use super::push_indent;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

/// Writes a string scalar. `block_indent` is `None` for keys (which are never
/// block scalars), otherwise the content indentation of a literal block.
/// Returns true when a literal block was written (it ends its own line).
pub(super) fn write_string(out: &mut String, s: &str, block_indent: Option<usize>) -> bool {
    match choose_style(s, block_indent.is_none()) {
        Style::Plain => out.push_str(s),
        Style::Single => write_single_quoted(out, s),
        Style::Double => write_double_quoted(out, s),
        Style::Literal => {
            write_literal(out, s, block_indent.unwrap_or(2));
            return true;
        }
    }
    false
}

/// Characters that are written as escapes in double quotes and rule out the
/// plain, single-quoted and literal styles: C0 controls (tab, CR, ... but not
/// LF, handled separately), DEL, C1 controls (including NEL, a line break in
/// YAML 1.1), U+2028/U+2029 (line breaks in YAML 1.1), the BOM, and the
/// non-characters U+FFFE/U+FFFF.
fn needs_escape(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{9}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}')
}

/// Scan results used to pick a style.
struct Scan {
    /// Contains `\n`.
    newline: bool,
    /// Contains a character from [`needs_escape`].
    escape: bool,
    /// Contains `: `, ` #` or ends with `:` (cannot be plain).
    breaks_plain: bool,
    /// A space right before a line break or at the very end.
    trailing_space: bool,
}

fn scan(s: &str) -> Scan {
    let b = s.as_bytes();
    let mut r = Scan {
        newline: false,
        escape: false,
        breaks_plain: false,
        trailing_space: false,
    };
    for (i, &c) in b.iter().enumerate() {
        let next = b.get(i + 1).copied();
        let after = b.get(i + 2).copied();
        match c {
            b'\n' => r.newline = true,
            b':' if matches!(next, None | Some(b' ')) => r.breaks_plain = true,
            b'#' if i > 0 && b[i - 1] == b' ' => r.breaks_plain = true,
            b' ' if matches!(next, None | Some(b'\n')) => r.trailing_space = true,
            0..=0x1f | 0x7f => r.escape = true,
            // U+0080..U+009F
            0xc2 if matches!(next, Some(0x80..=0x9f)) => r.escape = true,
            // U+2028, U+2029
            0xe2 if next == Some(0x80) && matches!(after, Some(0xa8 | 0xa9)) => r.escape = true,
            // U+FEFF, U+FFFE, U+FFFF
            0xef if matches!(
                (next, after),
                (Some(0xbb), Some(0xbf)) | (Some(0xbf), Some(0xbe | 0xbf))
            ) =>
            {
                r.escape = true
            }
            _ => {}
        }
    }
    r
}

fn choose_style(s: &str, is_key: bool) -> Style {
    let scan = scan(s);
    if scan.escape || scan.newline {
        if !is_key && !scan.escape && literal_ok(s, &scan) {
            return Style::Literal;
        }
        return Style::Double;
    }
    if scan.breaks_plain || !plain_ok(s) {
        return Style::Single;
    }
    Style::Plain
}

/// A multi-line string without escapes that reads back exactly as a literal
/// block: no trailing spaces on lines, some non-empty line, and the first
/// non-empty line not starting with a space (indentation auto-detection).
fn literal_ok(s: &str, scan: &Scan) -> bool {
    if scan.trailing_space {
        return false;
    }
    match s.trim_start_matches('\n').as_bytes().first() {
        None | Some(b' ') => false,
        Some(_) => true,
    }
}

/// Checks beyond [`scan`] for the plain style: indicators, surrounding
/// whitespace, document markers, and everything a YAML 1.1 or 1.2 reader
/// could resolve to a non-string.
fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if matches!(
        first,
        '-' | '?'
            | ':'
            | ','
            | '['
            | ']'
            | '{'
            | '}'
            | '#'
            | '&'
            | '*'
            | '!'
            | '|'
            | '>'
            | '\''
            | '"'
            | '%'
            | '@'
            | '`'
    ) || first.is_whitespace()
    {
        return false;
    }
    if s.chars().next_back().is_some_and(char::is_whitespace) {
        return false;
    }
    // `...` at the start of a line ends the document.
    if s.starts_with("...") {
        return false;
    }
    !is_reserved_word(s) && !looks_numeric(s)
}

/// Words some reader resolves to null, bool, inf/nan, or a special key
/// (compared case-insensitively, also after one leading sign).
fn is_reserved_word(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "y",
        "n",
        "yes",
        "no",
        "on",
        "off",
        "true",
        "false",
        "null",
        "~",
        "<<",
        "=",
        ".inf",
        ".nan",
        "inf",
        "nan",
        "infinity",
        ".infinity",
    ];
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    [s, unsigned]
        .iter()
        .any(|t| t.len() <= 9 && WORDS.iter().any(|w| w.eq_ignore_ascii_case(t)))
}

/// Over-approximates every int, float and timestamp syntax of YAML 1.1 and
/// 1.2 and of the readers in use (yaml_serde, js-yaml, PyYAML, SnakeYAML, and
/// Ruby's Psych, which allows `,` in numbers): after an optional sign, starts
/// with a digit, `.` + digit, or `_` / `._` (SnakeYAML reads `+_1` as a
/// float, js-yaml `._5`), and uses only characters that occur in numbers and
/// timestamps (`0-9 a-z A-Z _ . , : + -`, space, tab).
fn looks_numeric(s: &str) -> bool {
    let b = s.as_bytes();
    let (signed, unsigned) = match b.first() {
        Some(b'+' | b'-') => (true, &b[1..]),
        _ => (false, b),
    };
    let starts_numeric = match unsigned {
        [d, ..] if d.is_ascii_digit() => true,
        [b'_', ..] => signed,
        [b'.', d, ..] => d.is_ascii_digit() || *d == b'_',
        _ => false,
    };
    starts_numeric
        && b.iter().all(|&c| {
            c.is_ascii_alphanumeric()
                || matches!(c, b'_' | b'.' | b',' | b':' | b'+' | b'-' | b' ' | b'\t')
        })
}

fn write_single_quoted(out: &mut String, s: &str) {
    out.push('\'');
    let mut rest = s;
    while let Some(pos) = rest.find('\'') {
        out.push_str(&rest[..=pos]);
        out.push('\'');
        rest = &rest[pos + 1..];
    }
    out.push_str(rest);
    out.push('\'');
}

fn write_double_quoted(out: &mut String, s: &str) {
    out.push('"');
    let mut run = 0;
    for (i, c) in s.char_indices() {
        let short = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\t' => "\\t",
            '\r' => "\\r",
            '\0' => "\\0",
            '\u{7}' => "\\a",
            '\u{8}' => "\\b",
            '\u{b}' => "\\v",
            '\u{c}' => "\\f",
            '\u{1b}' => "\\e",
            c if needs_escape(c) => "",
            _ => continue,
        };
        out.push_str(&s[run..i]);
        if short.is_empty() {
            // Writing into a String cannot fail.
            let _ = write!(out, "\\u{:04X}", u32::from(c));
        } else {
            out.push_str(short);
        }
        run = i + c.len_utf8();
    }
    out.push_str(&s[run..]);
    out.push('"');
}

/// `|-` (no final line break), `|` (one) or `|+` (several), then the lines
/// at `indent`; empty lines are written without indentation.
fn write_literal(out: &mut String, s: &str, indent: usize) {
    let body = s.trim_end_matches('\n');
    let trailing = s.len() - body.len();
    out.push_str(match trailing {
        0 => "|-\n",
        1 => "|\n",
        _ => "|+\n",
    });
    for line in body.split('\n') {
        if !line.is_empty() {
            push_indent(out, indent);
            out.push_str(line);
        }
        out.push('\n');
    }
    for _ in 1..trailing {
        out.push('\n');
    }
}
