//! YAML structure: mappings, sequences, scalar lines and numbers; strings go to
//! `yaml_scalar`.
//!
//! Layout follows yaml_serde: two-space indentation, sequences under a mapping
//! key not indented, the first key of a mapping inside a sequence item on the
//! dash line, empty collections as `{}` and `[]`.

use serde_json::{Map, Number, Value};
use std::fmt::Write as _;

use super::yaml_scalar::write_string;
use super::{push_indent, INITIAL_CAPACITY};

/// Rendered keys longer than this (in bytes) are written as explicit `? key`
/// entries: YAML limits implicit keys to 1024 characters.
pub(super) const MAX_IMPLICIT_KEY_LEN: usize = 1000;

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

/// Numbers as written (the tree keeps their text), integers of any size as is;
/// floats in a form every reader takes as the same float: YAML 1.1 needs a `.`
/// in the mantissa and a signed exponent (`1.0e+16` for `1e16`, which PyYAML
/// reads as a string). The digits stay as written.
fn write_number(out: &mut String, n: &Number) {
    let start = out.len();
    // Writing into a String cannot fail.
    let _ = write!(out, "{n}");
    let text = &out[start..];
    if !text.contains(['.', 'e', 'E']) {
        return;
    }
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
