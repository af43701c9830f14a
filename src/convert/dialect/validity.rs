//! What the AsyncAPI Schema Object (draft-07) accepts as a keyword's value: [`valid`] and the
//! checks behind it (uniqueness, types, `externalDocs` and its URI).

use std::collections::HashSet;
use std::fmt::Write as _;

use serde_json::Value;

use super::keywords::{Kind, SIMPLE_TYPES};

pub(super) fn valid(kind: Kind, value: &Value) -> bool {
    match kind {
        Kind::Schema => is_schema(value),
        Kind::Items => is_schema(value) || is_schema_array(value),
        Kind::SchemaArray => is_schema_array(value),
        Kind::SchemaMap => value.as_object().is_some_and(|m| m.values().all(is_schema)),
        Kind::Dependencies => value
            .as_object()
            .is_some_and(|m| m.values().all(|v| is_schema(v) || is_name_set(v))),
        Kind::Number => value.is_number(),
        Kind::PositiveNumber => value.as_f64().is_some_and(|n| n > 0.0),
        Kind::Count => {
            value.is_u64() || value.as_f64().is_some_and(|n| n >= 0.0 && n.fract() == 0.0)
        }
        Kind::Text => value.is_string(),
        Kind::Flag => value.is_boolean(),
        Kind::List => value.is_array(),
        Kind::Enum => value
            .as_array()
            .is_some_and(|a| !a.is_empty() && all_unique(a)),
        Kind::Names => is_name_set(value),
        Kind::Type => is_type(value),
        Kind::ExternalDocs => is_external_docs(value),
    }
}

pub(super) fn is_schema(value: &Value) -> bool {
    value.is_object() || value.is_boolean()
}

pub(super) fn is_schema_array(value: &Value) -> bool {
    value
        .as_array()
        .is_some_and(|a| !a.is_empty() && a.iter().all(is_schema))
}

pub(super) fn is_singleton(value: &Value) -> bool {
    value.as_array().is_some_and(|a| a.len() == 1)
}

pub(super) fn is_simple_type(value: &Value) -> bool {
    value.as_str().is_some_and(|t| SIMPLE_TYPES.contains(&t))
}

pub(super) fn is_type(value: &Value) -> bool {
    is_simple_type(value)
        || value
            .as_array()
            .is_some_and(|a| !a.is_empty() && a.iter().all(is_simple_type) && all_unique(a))
}

fn is_name_set(value: &Value) -> bool {
    value
        .as_array()
        .is_some_and(|a| a.iter().all(Value::is_string) && all_unique(a))
}

/// JSON Schema uniqueness (numbers by value, object keys unordered), in linear time.
fn all_unique(items: &[Value]) -> bool {
    if items.iter().all(Value::is_string) {
        // Short lists (most enums): compare pairwise; longer ones: sort, compare neighbours.
        if items.len() <= 8 {
            return items
                .iter()
                .enumerate()
                .all(|(i, a)| items[..i].iter().all(|b| a != b));
        }
        // Sorted by their first bytes first (cheap to compare), then by the whole string:
        // equal strings end up side by side.
        let mut names: Vec<(u64, &str)> = items
            .iter()
            .filter_map(Value::as_str)
            .map(|s| (prefix_key(s), s))
            .collect();
        names.sort_unstable();
        return names.windows(2).all(|w| w[0].1 != w[1].1);
    }
    let mut seen = HashSet::with_capacity(items.len());
    items.iter().all(|v| {
        let mut key = String::new();
        canonical(v, &mut key);
        seen.insert(key)
    })
}

/// The first eight bytes as a number: a sort key only (never trusted for equality).
fn prefix_key(s: &str) -> u64 {
    let mut head = [0u8; 8];
    let n = s.len().min(8);
    head[..n].copy_from_slice(&s.as_bytes()[..n]);
    u64::from_be_bytes(head)
}

/// A JSON number's text with its value's exact decimal form (`1`, `1.0`, `10e-1` and `0.1e1`
/// alike, `-0` as `0`): digits without leading or trailing zeros, and a power of ten.
pub(crate) fn numeric_key(text: &str, out: &mut String) {
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exp) = match text.find(['e', 'E']) {
        Some(e) => (&text[..e], text[e + 1..].trim_start_matches('+')),
        None => (text, "0"),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let Ok(exp) = exp.parse::<i128>() else {
        // An exponent beyond 128 bits: the text itself (never equal to another's wrongly).
        out.push_str(text);
        return;
    };
    let digits = format!("{int}{frac}");
    let digits = digits.trim_start_matches('0');
    let trimmed = digits.trim_end_matches('0');
    if trimmed.is_empty() {
        out.push('0');
        return;
    }
    let exp = exp - frac.len() as i128 + (digits.len() - trimmed.len()) as i128;
    let sign = if negative { "-" } else { "" };
    let _ = write!(out, "{sign}{trimmed}e{exp}");
}

/// A string equal for JSON-Schema-equal values (1 and 1.0 alike; never too lenient).
fn canonical(value: &Value, out: &mut String) {
    match value {
        Value::Number(n) => {
            out.push('n');
            numeric_key(n.as_str(), out);
        }
        Value::String(s) => {
            let _ = write!(out, "{:?}", s);
        }
        Value::Array(items) => {
            out.push('[');
            for item in items {
                canonical(item, out);
                out.push(',');
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for key in keys {
                let _ = write!(out, "{:?}:", key);
                if let Some(v) = map.get(key) {
                    canonical(v, out);
                }
                out.push(',');
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// AsyncAPI `externalDocs`: a Reference Object, or `url` (absolute URI) + `description` +
/// extensions matching `^x-[\w\d.\-_]+$` and nothing else.
fn is_external_docs(value: &Value) -> bool {
    let Some(map) = value.as_object() else {
        return false;
    };
    if map.get("$ref").is_some_and(Value::is_string) {
        return true;
    }
    map.get("url")
        .and_then(Value::as_str)
        .is_some_and(is_absolute_uri)
        && map.get("description").is_none_or(Value::is_string)
        && map
            .keys()
            .all(|k| k == "url" || k == "description" || is_extension_name(k))
}

fn is_extension_name(key: &str) -> bool {
    key.strip_prefix("x-").is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
    })
}

/// A conservative approximation of the `uri` format (RFC 3986 absolute URI): stricter than
/// ajv-formats in places (no IP-literal hosts), which only costs a marker, never validity.
fn is_absolute_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    scheme_ok && rest.matches('#').count() <= 1 && uri_chars_ok(rest) && port_ok(rest)
}

fn uri_chars_ok(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(&c) = bytes.get(i) {
        if c == b'%' {
            let hex = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(i + 1) && hex(i + 2)) {
                return false;
            }
            i += 3;
        } else if c.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?#".contains(&c) {
            i += 1;
        } else {
            return false;
        }
    }
    true
}

/// In `//authority`, whatever follows the host's `:` must be digits.
fn port_ok(rest: &str) -> bool {
    let Some(after) = rest.strip_prefix("//") else {
        return true;
    };
    let authority = after.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    host_port
        .split_once(':')
        .is_none_or(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::{all_unique, numeric_key};
    use serde_json::{json, Value};

    fn key(text: &str) -> String {
        let mut out = String::new();
        numeric_key(text, &mut out);
        out
    }

    #[test]
    fn numbers_equal_in_value_have_one_key() {
        for same in [
            &["1", "1.0", "10e-1", "0.1e1", "1E0", "1.000e+0"][..],
            &["0", "-0", "0.0", "-0.0e5", "0e-7"],
            &["-12.5", "-125e-1", "-0.125E2"],
            &["18446744073709551616", "1.8446744073709551616e19"],
        ] {
            let keys: Vec<String> = same.iter().map(|t| key(t)).collect();
            assert!(keys.windows(2).all(|w| w[0] == w[1]), "{same:?}: {keys:?}");
        }
        // Distinct values that the same f64 would hold stay distinct.
        for (a, b) in [
            ("9007199254740993", "9007199254740992"),
            ("1e400", "2e400"),
            ("0.1", "0.10000000000000000001"),
            ("1", "-1"),
            ("1e5", "1e-5"),
        ] {
            assert_ne!(key(a), key(b), "{a} {b}");
        }
    }

    /// Long string lists are sorted by a key of their first bytes: a duplicate is found where
    /// strings share those bytes and the two copies are far apart, and distinct strings with
    /// the same first bytes stay distinct.
    #[test]
    fn long_string_lists_find_their_duplicates() {
        let list = |names: &[&str]| -> Vec<Value> { names.iter().map(|n| json!(n)).collect() };
        let mut names: Vec<String> = (0..40).map(|i| format!("action_required_{i}")).collect();
        names.extend(["", "a", "abcdefgh", "abcdefghi", "abcdefghj"].map(String::from));
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        assert!(all_unique(&list(&refs)));
        for dup in ["action_required_3", "", "abcdefghi", "abcdefgh"] {
            let mut with = refs.clone();
            with.insert(1, dup);
            assert!(!all_unique(&list(&with)), "{dup}");
        }
    }
}
