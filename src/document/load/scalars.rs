//! What a YAML scalar means: YAML 1.2's core schema as the loader has always read it (the rules
//! of `yaml_serde`, which read YAML before `saphyr-parser` did): `null`, `Null`, `NULL`, `~` and
//! nothing are null; `true`/`True`/`TRUE` and the `false` ones are booleans; integers may be
//! decimal, `0x`, `0o` or `0b` with a sign; floats are what Rust reads as a finite `f64`
//! (`1.5`, `1e5`, `.5`, `1.`) and `.inf`/`.nan` (which JSON cannot hold); digits with a
//! leading zero (`007`) are strings. A number keeps its text when that is a JSON number
//! (`1.50`, `1E5`, `-0`); other spellings (`0x1F`, `+1`, `.5`) are written as their value.
//! Quoted and block scalars are strings. Tags: the core schema's (`!!str`, `!!int`, `!!float`,
//! `!!bool`, `!!null`) and the non-specific `!` (a string) are read; others are refused.

use std::num::ParseIntError;

use saphyr_parser::{ScalarStyle, Tag};
use serde_json::{Number, Value};

use super::numbers::from_json_text;

/// The message for a tag hookbridge does not read.
pub(super) const TAGS: &str =
    "YAML tags (`!tag`) are not supported in OpenAPI or AsyncAPI documents";
/// The handle of the core schema's tags (`!!str` is `tag:yaml.org,2002:str`).
pub(super) const CORE: &str = "tag:yaml.org,2002:";

/// A scalar's meaning.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Scalar {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    U128(u128),
    I128(i128),
    Float(f64),
    /// A plain number too large for a float (`1e400`): a number for JSON, kept as written.
    Overflow,
    Str,
}

/// What the scalar `text`, written in `style` with `tag`, means; the message when its tag
/// is refused or does not fit it.
pub(super) fn resolve(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Result<Scalar, String> {
    let Some(tag) = tag else {
        return Ok(if style == ScalarStyle::Plain {
            plain(text)
        } else {
            Scalar::Str
        });
    };
    if tag.handle.is_empty() && tag.suffix == "!" {
        return Ok(Scalar::Str);
    }
    if tag.handle != CORE {
        return Err(TAGS.to_string());
    }
    let (found, expected) = match tag.suffix.as_str() {
        "str" => return Ok(Scalar::Str),
        "null" => (null(text).then_some(Scalar::Null), "null"),
        "bool" => (boolean(text).map(Scalar::Bool), "a boolean"),
        "int" => (int(text), "an integer"),
        "float" => (float(text).map(Scalar::Float), "a float"),
        _ => return Err(TAGS.to_string()),
    };
    found.ok_or_else(|| format!("invalid value: string {text:?}, expected {expected}"))
}

impl Scalar {
    /// The scalar as a value (`text` is what it was read from).
    pub(super) fn value(self, text: &str) -> Result<Value, String> {
        let big = |digits: String| {
            from_json_text(&digits)
                .map(Value::Number)
                .ok_or_else(|| format!("`{digits}` is not a number"))
        };
        Ok(match self {
            Scalar::Null => Value::Null,
            Scalar::Bool(b) => Value::Bool(b),
            Scalar::U64(v) => Value::Number(v.into()),
            // `-0` (`-0x0`...): the sign is part of the text.
            Scalar::I64(0) => return big("-0".to_string()),
            Scalar::I64(v) => Value::Number(v.into()),
            Scalar::U128(v) => return big(v.to_string()),
            Scalar::I128(v) => return big(v.to_string()),
            Scalar::Float(v) if v.is_finite() => {
                match from_json_text(text).or_else(|| Number::from_f64(v)) {
                    Some(n) => Value::Number(n),
                    None => return Err(format!("the number {v} cannot be represented in JSON")),
                }
            }
            Scalar::Float(v) => {
                return Err(format!("the number {v} cannot be represented in JSON"))
            }
            Scalar::Overflow => return big(text.to_string()),
            Scalar::Str => Value::String(text.to_string()),
        })
    }

    /// The scalar as a mapping key: its string form (`200` -> "200", `true` -> "true").
    pub(super) fn key(self, text: &str) -> String {
        match self {
            Scalar::Null => "null".to_string(),
            Scalar::Bool(b) => b.to_string(),
            Scalar::U64(v) => v.to_string(),
            Scalar::I64(v) => v.to_string(),
            Scalar::U128(v) => v.to_string(),
            Scalar::I128(v) => v.to_string(),
            Scalar::Float(v) => v.to_string(),
            Scalar::Overflow | Scalar::Str => text.to_string(),
        }
    }
}

/// A plain scalar's meaning.
fn plain(v: &str) -> Scalar {
    // Most scalars are words: none of the other kinds starts like them.
    match v.as_bytes().first() {
        None => return Scalar::Null,
        Some(b)
            if !matches!(
                b,
                b'0'..=b'9' | b'+' | b'-' | b'.' | b'~' | b'n' | b'N' | b't' | b'T' | b'f' | b'F'
            ) =>
        {
            return Scalar::Str
        }
        _ => {}
    }
    if null(v) {
        return Scalar::Null;
    }
    if let Some(b) = boolean(v) {
        return Scalar::Bool(b);
    }
    if let Some(i) = int(v) {
        return i;
    }
    if !digits_but_not_number(v) {
        if let Some(f) = float(v) {
            return Scalar::Float(f);
        }
    }
    let overflows = matches!(v.as_bytes().first(), Some(b'-' | b'0'..=b'9'))
        && v.parse::<f64>().is_ok_and(f64::is_infinite)
        && from_json_text(v).is_some();
    if overflows {
        Scalar::Overflow
    } else {
        Scalar::Str
    }
}

fn null(v: &str) -> bool {
    matches!(v, "" | "null" | "Null" | "NULL" | "~")
}

fn boolean(v: &str) -> Option<bool> {
    match v {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

// The integer and float rules below are yaml_serde's (0.10.7, `de.rs`), which the loader
// used before; they are kept as they were so that documents read as before.

fn int(v: &str) -> Option<Scalar> {
    if let Some(i) = unsigned_int(v, u64::from_str_radix) {
        return Some(Scalar::U64(i));
    }
    if let Some(i) = negative_int(v, i64::from_str_radix) {
        return Some(Scalar::I64(i));
    }
    if let Some(i) = unsigned_int(v, u128::from_str_radix) {
        return Some(Scalar::U128(i));
    }
    negative_int(v, i128::from_str_radix).map(Scalar::I128)
}

fn unsigned_int<T>(
    scalar: &str,
    from_str_radix: fn(&str, u32) -> Result<T, ParseIntError>,
) -> Option<T> {
    let unpositive = scalar.strip_prefix('+').unwrap_or(scalar);
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(rest) = unpositive.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return None;
            }
            if let Ok(int) = from_str_radix(rest, radix) {
                return Some(int);
            }
        }
    }
    if unpositive.starts_with(['+', '-']) || digits_but_not_number(scalar) {
        return None;
    }
    from_str_radix(unpositive, 10).ok()
}

fn negative_int<T>(
    scalar: &str,
    from_str_radix: fn(&str, u32) -> Result<T, ParseIntError>,
) -> Option<T> {
    for (prefix, radix) in [("-0x", 16), ("-0o", 8), ("-0b", 2)] {
        if let Some(rest) = scalar.strip_prefix(prefix) {
            if let Ok(int) = from_str_radix(&format!("-{rest}"), radix) {
                return Some(int);
            }
        }
    }
    if digits_but_not_number(scalar) {
        return None;
    }
    from_str_radix(scalar, 10).ok()
}

fn float(scalar: &str) -> Option<f64> {
    let unpositive = match scalar.strip_prefix('+') {
        Some(u) if u.starts_with(['+', '-']) => return None,
        Some(u) => u,
        None => scalar,
    };
    if let ".inf" | ".Inf" | ".INF" = unpositive {
        return Some(f64::INFINITY);
    }
    if let "-.inf" | "-.Inf" | "-.INF" = scalar {
        return Some(f64::NEG_INFINITY);
    }
    if let ".nan" | ".NaN" | ".NAN" = scalar {
        return Some(f64::NAN);
    }
    unpositive.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Leading zeros followed by digits: a string in YAML 1.2.
fn digits_but_not_number(scalar: &str) -> bool {
    let scalar = scalar.strip_prefix(['-', '+']).unwrap_or(scalar);
    scalar.len() > 1 && scalar.starts_with('0') && scalar[1..].bytes().all(|b| b.is_ascii_digit())
}
