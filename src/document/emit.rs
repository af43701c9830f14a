//! Output writers: YAML and pretty JSON text for a document tree.
//!
//! The YAML emitter is our own rather than `serde_yaml`'s (yaml_serde): that
//! one leaves strings such as `yes`, `on`, `1_000` or `2026-03-01` unquoted,
//! which YAML 1.2 readers take as strings but YAML 1.1 readers (PyYAML,
//! SnakeYAML) read as booleans, numbers or dates. Every string emitted here is
//! read back as the same string by both families of readers:
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
//!
//! Layout follows yaml_serde: two-space indentation, sequences under a mapping
//! key not indented, the first key of a mapping inside a sequence item on the
//! dash line, empty collections as `{}` and `[]`.

use serde_json::{Map, Number, Value};
use std::fmt::Write as _;

/// Output format of [`to_string`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
}

/// Text for a document tree in the given format; ends with `"\n"`.
pub fn to_string(value: &Value, format: Format) -> String {
    match format {
        Format::Yaml => to_yaml_string(value),
        Format::Json => to_json_string(value),
    }
}

/// Initial buffer size: big enough that small documents never reallocate,
/// small enough not to matter; big documents grow by doubling (amortised).
const INITIAL_CAPACITY: usize = 16 * 1024;

/// Rendered keys longer than this (in bytes) are written as explicit `? key`
/// entries: YAML limits implicit keys to 1024 characters.
const MAX_IMPLICIT_KEY_LEN: usize = 1000;

/// YAML text for a document tree: deterministic, key order as in the tree,
/// ends with `"\n"`.
pub fn to_yaml_string(value: &Value) -> String {
    let mut out = String::with_capacity(INITIAL_CAPACITY);
    match value {
        Value::Object(map) if !map.is_empty() => write_map(&mut out, map, 0, false),
        Value::Array(seq) if !seq.is_empty() => write_seq(&mut out, seq, 0, false),
        _ => write_scalar_line(&mut out, value, 2),
    }
    out
}

/// Pretty JSON, 2-space indent (same text as `serde_json::to_string_pretty`),
/// ends with `"\n"`.
pub fn to_json_string(value: &Value) -> String {
    let mut out = String::with_capacity(INITIAL_CAPACITY);
    write_json(&mut out, value, 0);
    out.push('\n');
    out
}

// ---------------------------------------------------------------------------
// YAML: structure

const SPACES: &str = "                                                                ";

fn push_indent(out: &mut String, mut n: usize) {
    while n > SPACES.len() {
        out.push_str(SPACES);
        n -= SPACES.len();
    }
    out.push_str(&SPACES[..n]);
}

/// Entries of a non-empty mapping whose keys sit at column `indent`. With
/// `first_inline` the cursor is already at that column (after `- `).
fn write_map(out: &mut String, map: &Map<String, Value>, indent: usize, first_inline: bool) {
    for (i, (key, value)) in map.iter().enumerate() {
        if i > 0 || !first_inline {
            push_indent(out, indent);
        }
        let key_start = out.len();
        write_string(out, key, None);
        if out.len() - key_start > MAX_IMPLICIT_KEY_LEN {
            out.insert_str(key_start, "? ");
            out.push('\n');
            push_indent(out, indent);
        }
        out.push(':');
        match value {
            Value::Object(m) if !m.is_empty() => {
                out.push('\n');
                write_map(out, m, indent + 2, false);
            }
            Value::Array(s) if !s.is_empty() => {
                out.push('\n');
                write_seq(out, s, indent, false);
            }
            _ => {
                out.push(' ');
                write_scalar_line(out, value, indent + 2);
            }
        }
    }
}

/// Items of a non-empty sequence whose dashes sit at column `indent`.
fn write_seq(out: &mut String, seq: &[Value], indent: usize, first_inline: bool) {
    for (i, item) in seq.iter().enumerate() {
        if i > 0 || !first_inline {
            push_indent(out, indent);
        }
        out.push_str("- ");
        match item {
            Value::Object(m) if !m.is_empty() => write_map(out, m, indent + 2, true),
            Value::Array(s) if !s.is_empty() => write_seq(out, s, indent + 2, true),
            _ => write_scalar_line(out, item, indent + 2),
        }
    }
}

/// A scalar (or empty collection) followed by the end of its line.
/// `block_indent` is the content indentation if a literal block is used.
fn write_scalar_line(out: &mut String, value: &Value, block_indent: usize) {
    match value {
        Value::Null => out.push_str("null\n"),
        Value::Bool(true) => out.push_str("true\n"),
        Value::Bool(false) => out.push_str("false\n"),
        Value::Number(n) => {
            write_number(out, n);
            out.push('\n');
        }
        Value::String(s) => {
            // A literal block ends its own last line.
            if !write_string(out, s, Some(block_indent)) {
                out.push('\n');
            }
        }
        Value::Object(_) => out.push_str("{}\n"),
        Value::Array(_) => out.push_str("[]\n"),
    }
}

/// Integers as is; floats in a form every reader takes as the same float:
/// YAML 1.1 needs a `.` in the mantissa and a signed exponent (`1.0e+16`,
/// where serde_json writes `1e16`, which PyYAML reads as a string).
fn write_number(out: &mut String, n: &Number) {
    let start = out.len();
    // Writing into a String cannot fail.
    let _ = write!(out, "{n}");
    if !n.is_f64() {
        return;
    }
    let text = &out[start..];
    match text.find(['e', 'E']) {
        Some(e) => {
            let exp_sign = text.as_bytes().get(e + 1).copied();
            let has_dot = text[..e].contains('.');
            let mut e_at = start + e;
            if !has_dot {
                out.insert_str(e_at, ".0");
                e_at += 2;
            }
            if !matches!(exp_sign, Some(b'+' | b'-')) {
                out.insert(e_at + 1, '+');
            }
        }
        None => {
            if !text.contains('.') {
                out.push_str(".0");
            }
        }
    }
}

// ---------------------------------------------------------------------------
// YAML: strings

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
fn write_string(out: &mut String, s: &str, block_indent: Option<usize>) -> bool {
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

// ---------------------------------------------------------------------------
// JSON

fn write_json(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => {
            // Writing into a String cannot fail.
            let _ = write!(out, "{n}");
        }
        Value::String(s) => write_json_str(out, s),
        Value::Array(seq) if seq.is_empty() => out.push_str("[]"),
        Value::Array(seq) => {
            out.push_str("[\n");
            for (i, item) in seq.iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                push_indent(out, indent + 2);
                write_json(out, item, indent + 2);
            }
            out.push('\n');
            push_indent(out, indent);
            out.push(']');
        }
        Value::Object(map) if map.is_empty() => out.push_str("{}"),
        Value::Object(map) => {
            out.push_str("{\n");
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                push_indent(out, indent + 2);
                write_json_str(out, key);
                out.push_str(": ");
                write_json(out, item, indent + 2);
            }
            out.push('\n');
            push_indent(out, indent);
            out.push('}');
        }
    }
}

/// JSON string literal, escaped exactly like serde_json.
fn write_json_str(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut run = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        let short = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\t' => "\\t",
            b'\r' => "\\r",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        // `b` is ASCII, so `i` and `i + 1` are char boundaries.
        out.push_str(&s[run..i]);
        if short.is_empty() {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        } else {
            out.push_str(short);
        }
        run = i + 1;
    }
    out.push_str(&s[run..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;
    use std::path::Path;
    use std::process::Command;

    /// Strings that some YAML reader could misread, or that need care.
    #[rustfmt::skip]
    const TRICKY: &[&str] = &[
        "", " ", "y", "Y", "n", "N", "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON",
        "off", "Off", "OFF", "true", "True", "TRUE", "false", "False", "FALSE", "null", "Null",
        "NULL", "~", "<<", "=", ".inf", ".Inf", ".INF", "-.inf", "+.inf", ".nan", ".NaN", ".NAN",
        "nan", "NaN", "inf", "Infinity", "-Infinity", "0", "12", "-1", "+1", "1_000", "0x1F",
        "0o17", "017", "0b101", "1e3", "1E3", "1e+3", "1.", ".5", "+.5", "-.5", "1.5", "0.16001e0",
        "685.230_15e+03", "1:30", "12:30", "190:20:30.15", "2026-03-01",
        "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2001-12-15T02:59:43.1Z",
        "._5", "1.2.3", " a", "a ", "-", "- a", "-a", "?", "? a", "?a", ":", ": a", ":a", "a: b",
        "a:", "a #b", "a#b", "#", "#/components/schemas/Pet", "&a", "*a", "!tag", "|", ">", "'",
        "'q'", "\"", "%YAML", "@x", "`x`", ",", "[a]", "{a}", "]", "}", "...", "... x", "---",
        "--- x", "\u{a0}x", "x\u{a0}", "\t", "a\tb", "\r", "a\r\nb", "\0", "\u{7}", "\u{1b}",
        "\u{7f}", "\u{85}", "a\u{85}b", "\u{2028}", "\u{2029}", "\u{feff}x", "\u{fffe}",
        "\u{ffff}", "\\", "a\\nb", "\n", "\n\n", "a\nb", "a\nb\n", "a\nb\n\n", "\na", "a\n\nb",
        " a\nb", "a \nb", "a\n b", "a\nb ", "a\n\tb", "a\n# c\n- d\n---\n...\nkey: v",
        "application/json", "$request.body#/url", "http://example.com/a?b=c#d", "it's",
        "say \"hi\"", "日本語", "😀", "é", "v1.0", "nullable", "yess", "onion", "1,000", "+_1", "+1_",
        "_links",
    ];

    /// Top-level YAML for a string scalar.
    fn emit_str(s: &str) -> String {
        to_yaml_string(&Value::String(s.to_owned()))
    }

    fn yaml_serde_round_trip(v: &Value) -> Result<(), String> {
        let yaml = to_yaml_string(v);
        let back: Value = serde_yaml::from_str(&yaml)
            .map_err(|e| format!("yaml_serde: {e}\n--- yaml:\n{yaml}"))?;
        let (a, b) = (
            serde_json::to_string(&back).unwrap(),
            serde_json::to_string(v).unwrap(),
        );
        if back != *v || a != b {
            return Err(format!("read back {a}\nexpected {b}\n--- yaml:\n{yaml}"));
        }
        Ok(())
    }

    #[track_caller]
    fn assert_rt(v: &Value) {
        if let Err(e) = yaml_serde_round_trip(v) {
            panic!("{e}");
        }
    }

    /// `s` is written as `expected` both as a value and as a key.
    #[track_caller]
    fn assert_scalar(s: &str, expected: &str) {
        assert_eq!(emit_str(s), format!("{expected}\n"), "value {s:?}");
        let doc = json!({ s: s });
        assert_eq!(
            to_yaml_string(&doc),
            format!("{expected}: {expected}\n"),
            "key {s:?}"
        );
        assert_rt(&doc);
        assert_rt(&Value::String(s.to_owned()));
    }

    #[test]
    fn plain_strings() {
        for s in [
            "application/json",
            "$request.body#/url",
            "{$request.body#/callbackUrl}x",
            "http://example.com/a?b=c#d",
            "a:b",
            "a#b",
            "hello world",
            "Pet",
            "x-foo",
            "foo-",
            "a, b",
            "a[0]",
            "it's",
            "say \"hi\"",
            "日本語",
            "😀",
            "v1.0",
            "nullable",
            "yess",
            "onion",
            "~a",
            "<<a",
            "a=b",
            "x.inf",
            "..5",
            "e5",
            "1 + 1 = 2",
            "a...",
            "C:\\path",
            "_links",
            "_1",
        ] {
            // `{` is an indicator; this one only checks it is quoted.
            if s.starts_with('{') {
                assert_scalar(s, &format!("'{s}'"));
            } else {
                assert_scalar(s, s);
            }
        }
    }

    #[test]
    fn reserved_words_quoted_in_all_case_variants() {
        for w in ["y", "n", "yes", "no", "on", "off", "true", "false", "null"] {
            let mut upper_first = w.to_owned();
            upper_first[..1].make_ascii_uppercase();
            for s in [w.to_owned(), upper_first, w.to_ascii_uppercase()] {
                assert_scalar(&s, &format!("'{s}'"));
            }
        }
        for s in [
            "~",
            "<<",
            "=",
            ".inf",
            ".Inf",
            ".INF",
            "+.inf",
            ".nan",
            ".NaN",
            ".NAN",
            "nan",
            "NaN",
            "inf",
            "Infinity",
            "+Infinity",
            "tRuE",
        ] {
            assert_scalar(s, &format!("'{s}'"));
        }
        assert_scalar("-.inf", "'-.inf'");
    }

    #[test]
    fn number_like_strings_quoted() {
        for s in [
            "0",
            "12",
            "1_000",
            "0x1F",
            "0X1F",
            "0o17",
            "017",
            "0b101",
            "+1",
            "-1",
            "-0",
            "1e3",
            "1E3",
            "1e+3",
            "1.",
            ".5",
            "+.5",
            "-.5",
            "1.5",
            "0.16001e0",
            "6.8523015e+5",
            "685.230_15e+03",
            "1:30",
            "12:30",
            "190:20:30.15",
            "._5",
            "1.2.3",
            "2026-03-01",
            "2001-12-14t21:59:43.10-05:00",
            "2001-12-14 21:59:43.10 -5",
            "2001-12-15T02:59:43.1Z",
            "18446744073709551616",
            "1 2",
            "1,000",
            "+_1",
            "+1_",
        ] {
            assert_scalar(s, &format!("'{s}'"));
        }
    }

    #[test]
    fn syntax_characters_quoted() {
        for s in [
            "",
            " ",
            " a",
            "a ",
            "-",
            "- a",
            "-a",
            "--- x",
            "?",
            "? a",
            "?a",
            ":",
            ": a",
            ":a",
            "a: b",
            "a:",
            "key:",
            "a #b",
            "#",
            "#/components/schemas/Pet",
            "&a",
            "*a",
            "!tag",
            "|",
            ">",
            "\"",
            "%YAML",
            "@x",
            "`x`",
            ",",
            "[a]",
            "{a}",
            "]",
            "}",
            "...",
            "... x",
            "\u{a0}x",
            "x\u{3000}",
        ] {
            assert_scalar(s, &format!("'{s}'"));
        }
        assert_scalar("'", "''''");
        assert_scalar("'q' it's", "'''q'' it''s'");
    }

    #[test]
    fn escapes_double_quoted() {
        for (s, expected) in [
            ("\t", r#""\t""#),
            ("a\tb", r#""a\tb""#),
            ("\r", r#""\r""#),
            ("a\r\nb", r#""a\r\nb""#),
            ("\0", r#""\0""#),
            ("\u{7}\u{8}\u{b}\u{c}\u{1b}", r#""\a\b\v\f\e""#),
            ("\u{1}\u{1f}", r#""\u0001\u001F""#),
            ("\u{7f}", r#""\u007F""#),
            ("a\u{85}b", r#""a\u0085b""#),
            ("\u{9f}", r#""\u009F""#),
            ("\u{2028}\u{2029}", r#""\u2028\u2029""#),
            ("\u{feff}x", r#""\uFEFFx""#),
            ("\u{fffe}\u{ffff}", r#""\uFFFE\uFFFF""#),
            ("tab\t\"q\" \\ 'x'", r#""tab\t\"q\" \\ 'x'""#),
            ("yes\t", r#""yes\t""#),
        ] {
            assert_scalar(s, expected);
        }
        // Backslashes need no quoting on their own.
        assert_scalar("\\", "\\");
        assert_scalar("a\\nb", "a\\nb");
    }

    #[test]
    fn keys_follow_the_same_rules() {
        let doc = json!({
            "200": { "description": "OK" },
            "on": 1,
            "<<": 2,
            "#/x": 3,
            "a: b": 4,
            "line\nbreak": "multi\nline",
            "tab\t": 6,
            "": 7,
            "plain key": 8,
        });
        let expected = "\
'200':
  description: OK
'on': 1
'<<': 2
'#/x': 3
'a: b': 4
\"line\\nbreak\": |-
  multi
  line
\"tab\\t\": 6
'': 7
plain key: 8
";
        assert_eq!(to_yaml_string(&doc), expected);
        assert_rt(&doc);
    }

    #[test]
    fn literal_block_scalars() {
        for (s, expected) in [
            ("a\nb", "|-\n  a\n  b\n"),
            ("a\nb\n", "|\n  a\n  b\n"),
            ("a\nb\n\n", "|+\n  a\n  b\n\n"),
            ("a\nb\n\n\n", "|+\n  a\n  b\n\n\n"),
            ("\na", "|-\n\n  a\n"),
            ("a\n\nb", "|-\n  a\n\n  b\n"),
            ("a\n  b\n\tc", "\"a\\n  b\\n\\tc\"\n"),
            ("a\n b", "|-\n  a\n   b\n"),
            (
                "x: y\n# c\n- d\n---\n...\n'q' \"r\" \\",
                "|-\n  x: y\n  # c\n  - d\n  ---\n  ...\n  'q' \"r\" \\\n",
            ),
            // not representable as literal blocks:
            (" a\nb", "\" a\\nb\"\n"),
            ("\n a", "\"\\n a\"\n"),
            ("a \nb", "\"a \\nb\"\n"),
            ("a\nb ", "\"a\\nb \"\n"),
            ("a\n \nb", "\"a\\n \\nb\"\n"),
            ("\n", "\"\\n\"\n"),
            ("\n\n", "\"\\n\\n\"\n"),
            ("a\r\nb", "\"a\\r\\nb\"\n"),
            ("a\n\u{85}", "\"a\\n\\u0085\"\n"),
        ] {
            assert_eq!(emit_str(s), expected, "{s:?}");
            assert_rt(&json!(s));
        }
        let doc = json!({
            "d": "x\n  y\n",
            "keep": "k\n\n",
            "list": ["a\nb", { "k": "c\nd", "z": "e\n" }, ["f\ng"]],
            "nested": { "deeper": "1\n2" },
            "after": "end",
        });
        let expected = "\
d: |
  x
    y
keep: |+
  k

list:
- |-
  a
  b
- k: |-
    c
    d
  z: |
    e
- - |-
    f
    g
nested:
  deeper: |-
    1
    2
after: end
";
        assert_eq!(to_yaml_string(&doc), expected);
        assert_rt(&doc);
    }

    #[test]
    fn numbers_and_literals() {
        let cases: &[(Value, &str)] = &[
            (json!(0), "0"),
            (json!(-7), "-7"),
            (json!(u64::MAX), "18446744073709551615"),
            (json!(i64::MIN), "-9223372036854775808"),
            (json!(1.0), "1.0"),
            (json!(-0.0), "-0.0"),
            (json!(0.1), "0.1"),
            (json!(1.5e300), "1.5e+300"),
            (json!(1e16), "1.0e+16"),
            (json!(-1e16), "-1.0e+16"),
            (json!(1e-7), "1.0e-7"),
            (json!(5e-324), "5.0e-324"),
            (json!(123456.789), "123456.789"),
            (json!(true), "true"),
            (json!(false), "false"),
            (json!(null), "null"),
            (json!({}), "{}"),
            (json!([]), "[]"),
        ];
        for (v, expected) in cases {
            assert_eq!(to_yaml_string(v), format!("{expected}\n"));
            assert_eq!(
                to_yaml_string(&json!({ "k": v })),
                format!("k: {expected}\n")
            );
            assert_eq!(to_yaml_string(&json!([v])), format!("- {expected}\n"));
            assert_rt(v);
            // Floats stay floats.
            let back: Value = serde_yaml::from_str(&to_yaml_string(v)).unwrap();
            assert_eq!(back.is_f64(), v.is_f64(), "{expected}");
        }
    }

    #[test]
    fn layout() {
        let doc = json!({
            "openapi": "3.1.0",
            "info": { "title": "T", "version": "1" },
            "tags": [],
            "x": {},
            "list": ["a", 1, 1.5, true, null, { "k": "v", "k2": ["x", "y"] },
                     ["n1", ["n2"]], {}, [], [{ "a": { "b": 1 } }]],
            "webhooks": { "newPet": { "post": { "responses": { "200": { "description": "OK" } } } } },
        });
        let expected = "\
openapi: '3.1.0'
info:
  title: T
  version: '1'
tags: []
x: {}
list:
- a
- 1
- 1.5
- true
- null
- k: v
  k2:
  - x
  - 'y'
- - n1
  - - n2
- {}
- []
- - a:
      b: 1
webhooks:
  newPet:
    post:
      responses:
        '200':
          description: OK
";
        assert_eq!(to_yaml_string(&doc), expected);
        assert_rt(&doc);
        assert_eq!(to_yaml_string(&json!(["a", ["b"]])), "- a\n- - b\n");
        assert_eq!(to_yaml_string(&json!("x")), "x\n");
        assert_eq!(to_yaml_string(&json!("")), "''\n");
    }

    #[test]
    fn long_keys_are_explicit() {
        let long = "k".repeat(1500);
        let long_quoted = format!("{}\n", "q".repeat(1200));
        let doc = json!({
            "short": 1,
            long.clone(): "v",
            long_quoted.clone(): { "a": [1, { long.clone(): [2] }] },
            "z": [{ long.clone(): "x\ny" }],
        });
        let yaml = to_yaml_string(&doc);
        assert!(yaml.contains(&format!("\n? {long}\n: v\n")), "{yaml}");
        assert!(yaml.contains("\n? \"qqq"), "{yaml}");
        assert!(
            yaml.contains(&format!("\n- ? {long}\n  : |-\n    x\n    y\n")),
            "{yaml}"
        );
        assert_rt(&doc);
        let at_limit = "k".repeat(MAX_IMPLICIT_KEY_LEN);
        assert_eq!(
            to_yaml_string(&json!({ at_limit.clone(): 1 })),
            format!("{at_limit}: 1\n")
        );
    }

    fn nested(depth: usize) -> Value {
        let mut v = json!("leaf\nlines");
        for i in 0..depth {
            v = match i % 3 {
                0 => json!([v, 1]),
                1 => json!({ "k": v, "s": "x" }),
                _ => json!([{ "m": v }]),
            };
        }
        v
    }

    #[test]
    fn deep_documents() {
        // `nested(n)` is 4n/3 collections deep; yaml_serde refuses to read
        // past depth 128.
        assert_rt(&nested(90));
        let yaml = to_yaml_string(&nested(300));
        assert!(yaml.lines().count() > 250);
        // Depth 200 is checked against PyYAML in `pyyaml_reads_the_same`.
    }

    #[test]
    fn json_format() {
        let doc = json!({
            "a": [1, 1.5, -0.0, 1e16, true, null, "s\"\\\n\t\r\u{8}\u{c}\u{1}\u{1f}\u{7f}é😀"],
            "e": {},
            "l": [],
            "o": { "x": { "y": [[]] } },
        });
        let expected = r#"{
  "a": [
    1,
    1.5,
    -0.0,
    1e+16,
    true,
    null,
    "s\"\\\n\t\r\b\f\u0001\u001f"#
            .to_owned()
            + "\u{7f}é😀"
            + r#""
  ],
  "e": {},
  "l": [],
  "o": {
    "x": {
      "y": [
        []
      ]
    }
  }
}
"#;
        assert_eq!(to_json_string(&doc), expected);
        assert_eq!(to_json_string(&json!(1)), "1\n");
        assert_eq!(to_json_string(&json!({})), "{}\n");
        assert_eq!(
            to_json_string(&doc),
            serde_json::to_string_pretty(&doc).unwrap() + "\n"
        );
    }

    #[test]
    fn format_dispatch() {
        let doc = json!({ "a": [1] });
        assert_eq!(to_string(&doc, Format::Yaml), to_yaml_string(&doc));
        assert_eq!(to_string(&doc, Format::Json), to_json_string(&doc));
        assert_ne!(Format::Yaml, Format::Json);
    }

    // -- property tests -----------------------------------------------------

    #[rustfmt::skip]
    const PIECES: &[&str] = &[
        "\n", " ", "a", "b c", "#", ":", "- ", "? ", "'", "\"", "\\", "\t", "\r", "\u{85}",
        "\u{2028}", "\u{feff}", "\u{a0}", "yes", "on", "1", "0", "_", ".", "e", "x", "+", "...",
        "---", "  x", "é", "😀", "\u{1}", "\u{7f}", "|", ">", "&", "*", "!", "%", "@", "`", ",",
        "[", "]", "{", "}", "~", "<<", "=", "2026-03-01", "12:30", "inf", "nan", "T", "Z",
    ];

    fn arb_string() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => prop::sample::select(TRICKY).prop_map(str::to_owned),
            3 => any::<String>(),
            4 => prop::collection::vec(prop::sample::select(PIECES), 0..8).prop_map(|v| v.concat()),
            2 => prop::collection::vec(
                prop::sample::select(&b"0123456789._:+- eExob"[..]), 1..8)
                .prop_map(|v| v.into_iter().map(char::from).collect()),
            1 => prop::collection::vec(prop::sample::select(TRICKY), 0..4).prop_map(|v| v.concat()),
        ]
    }

    fn arb_f64() -> impl Strategy<Value = f64> {
        use prop::num::f64 as F;
        prop_oneof![
            F::POSITIVE | F::NEGATIVE | F::NORMAL | F::SUBNORMAL | F::ZERO,
            any::<i32>().prop_map(f64::from),
            (any::<i16>(), -320i32..300).prop_map(|(m, e)| f64::from(m) * 10f64.powi(e)),
        ]
    }

    fn arb_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            1 => Just(Value::Null),
            1 => any::<bool>().prop_map(Value::Bool),
            1 => any::<i64>().prop_map(Value::from),
            1 => any::<u64>().prop_map(Value::from),
            2 => arb_f64().prop_map(Value::from),
            3 => arb_string().prop_map(Value::String),
        ];
        leaf.prop_recursive(6, 96, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec((arb_string(), inner), 0..6)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        #[test]
        fn yaml_round_trips_through_yaml_serde(v in arb_value()) {
            if let Err(e) = yaml_serde_round_trip(&v) {
                return Err(TestCaseError::fail(e));
            }
        }

        #[test]
        fn strings_round_trip_as_keys_and_values(s in arb_string()) {
            let v = json!({ s.clone(): [s.clone(), { "k": s }] });
            if let Err(e) = yaml_serde_round_trip(&v) {
                return Err(TestCaseError::fail(e));
            }
        }

        #[test]
        fn json_matches_serde_json(v in arb_value()) {
            prop_assert_eq!(to_json_string(&v), serde_json::to_string_pretty(&v).unwrap() + "\n");
        }
    }

    // -- other readers --------------------------------------------------------

    /// Everything tricky as keys and values, random documents, a deep one.
    fn reader_check_document() -> Value {
        use proptest::strategy::ValueTree;
        use proptest::test_runner::TestRunner;
        let mut runner = TestRunner::deterministic();
        let strategy = arb_value();
        let random: Vec<Value> = (0..400)
            .map(|_| strategy.new_tree(&mut runner).unwrap().current())
            .collect();
        let keys: Map<String, Value> = TRICKY
            .iter()
            .map(|s| ((*s).to_owned(), Value::String((*s).to_owned())))
            .collect();
        let numbers = json!([
            0,
            -1,
            u64::MAX,
            i64::MIN,
            1.0,
            -0.0,
            0.1,
            1e16,
            1e-7,
            5e-324,
            1.7976931348623157e308,
            123456.789,
            1e15,
            1e21,
            1e22
        ]);
        json!({
            "keys": keys,
            "values": TRICKY,
            "in_seq_maps": TRICKY.iter().map(|s| json!({ *s: [*s] })).collect::<Vec<_>>(),
            "numbers": numbers,
            "random": random,
            "long_keys": {
                "k".repeat(1500): "v",
                format!("{}\t", "q".repeat(1200)): ["x"],
                "s": [{ "m".repeat(1100): { "a": "b\nc" }, "n": 1 }],
            },
            "deep": nested(150),
        })
    }

    /// Writes the YAML and the expected JSON into a temporary directory.
    fn write_check_files(dir: &Path, doc: &Value) -> (String, String) {
        let yaml_path = dir.join("doc.yaml");
        let json_path = dir.join("expected.json");
        std::fs::write(&yaml_path, to_yaml_string(doc)).unwrap();
        std::fs::write(&json_path, serde_json::to_string(doc).unwrap()).unwrap();
        (
            yaml_path.to_str().unwrap().to_owned(),
            json_path.to_str().unwrap().to_owned(),
        )
    }

    const PYYAML_CHECK: &str = r#"
import json, sys
try:
    import yaml
except ImportError as e:
    print("PyYAML is not importable (%s); install it with: pip install pyyaml==6.0.2" % e)
    sys.exit(3)
sys.setrecursionlimit(20000)

def diff(got, want, path):
    if type(got) is not type(want):
        return "%s: expected %s %r, read %s %r" % (
            path, type(want).__name__, want, type(got).__name__, got)
    if isinstance(want, dict):
        if list(got) != list(want):
            for i, (g, w) in enumerate(zip(list(got) + [None], list(want) + [None])):
                if g != w or type(g) is not type(w):
                    return "%s: key #%d read as %r, expected %r" % (path, i, g, w)
        for k in want:
            d = diff(got[k], want[k], "%s/%r" % (path, k))
            if d:
                return d
    elif isinstance(want, list):
        if len(got) != len(want):
            return "%s: %d items, expected %d" % (path, len(got), len(want))
        for i, (g, w) in enumerate(zip(got, want)):
            d = diff(g, w, "%s/%d" % (path, i))
            if d:
                return d
    elif got != want:
        return "%s: read %r, expected %r" % (path, got, want)
    return None

with open(sys.argv[2], "rb") as f:
    want = json.load(f)
loaders = [("SafeLoader", yaml.SafeLoader)]
if getattr(yaml, "__with_libyaml__", False):
    loaders.append(("CSafeLoader", yaml.CSafeLoader))
for name, loader in loaders:
    with open(sys.argv[1], "rb") as f:
        got = yaml.load(f, Loader=loader)
    d = diff(got, want, "")
    if d:
        print("PyYAML %s %s: %s" % (yaml.__version__, name, d))
        sys.exit(1)
print("PyYAML %s: %s agree" % (yaml.__version__, ", ".join(n for n, _ in loaders)))
"#;

    /// YAML 1.1: PyYAML (pure and libyaml loaders) must read exactly the JSON.
    /// Requires python3 with PyYAML; fails (never skips) without them.
    #[test]
    fn pyyaml_reads_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let (yaml_path, json_path) = write_check_files(dir.path(), &reader_check_document());
        let output = Command::new("python3")
            .args(["-c", PYYAML_CHECK, &yaml_path, &json_path])
            .output()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot run python3 ({e}): this test needs Python 3 with PyYAML \
                     (pip install pyyaml==6.0.2) and must not be skipped"
                )
            });
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "PyYAML check failed ({}):\n{stdout}{stderr}",
            output.status
        );
        eprintln!("{stdout}");
    }

    const JS_YAML_CHECK: &str = r#"
const fs = require("fs");
const yaml = require("js-yaml");
// js-yaml 4.3 stops at depth 100 by default; the check document is deeper.
const got = yaml.load(fs.readFileSync(process.argv[1], "utf8"), { maxDepth: 1000 });
const want = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
if (JSON.stringify(got) !== JSON.stringify(want)) {
  console.log("js-yaml read a different document");
  process.exit(1);
}
console.log("js-yaml agrees");
"#;

    /// YAML 1.2: js-yaml. Needs node and `npm ci --prefix tests/js`.
    #[test]
    fn js_yaml_reads_the_same() {
        let js_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js");
        assert!(
            js_dir.join("node_modules/js-yaml").is_dir(),
            "js-yaml missing: run `npm ci --prefix tests/js`"
        );
        let dir = tempfile::tempdir().unwrap();
        let (yaml_path, json_path) = write_check_files(dir.path(), &reader_check_document());
        let output = Command::new("node")
            .current_dir(&js_dir)
            .args(["-e", JS_YAML_CHECK, &yaml_path, &json_path])
            .output()
            .unwrap_or_else(|e| panic!("cannot run node ({e})"));
        assert!(
            output.status.success(),
            "js-yaml check failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
