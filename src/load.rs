//! Loading: YAML or JSON text into an order-preserving tree, with limits checked first.
//!
//! Keys are always strings (`200:` reads as `"200"`), duplicate keys are errors with
//! their position, and the cheap checks (size, flow nesting) run before the parser.

use std::fmt;
use std::path::Path;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::diagnostics::{codes, Diagnostic, Error};

/// Input limits, checked before the expensive work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest input accepted, in bytes.
    pub max_bytes: usize,
    /// Deepest nesting of `[`/`{` flow collections in YAML (the YAML parser is quadratic there).
    pub max_flow_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 64 * 1024 * 1024,
            max_flow_depth: 100,
        }
    }
}

/// The syntax a document was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Yaml,
    Json,
}

/// A loaded document: its display name, syntax and tree.
#[derive(Debug, Clone)]
pub struct Document {
    pub name: String,
    pub syntax: Syntax,
    pub value: Value,
}

/// Reads and parses a file.
pub fn load_path(path: &Path, limits: &Limits) -> Result<Document, Error> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| {
        Diagnostic::error(codes::IO, &name, "", format!("cannot read the file: {e}"))
    })?;
    check_size(&name, meta.len() as usize, limits)?;
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error(codes::IO, &name, "", format!("cannot read the file: {e}"))
    })?;
    parse_bytes(&bytes, &name, limits)
}

/// Parses bytes that should hold UTF-8 YAML or JSON.
pub fn parse_bytes(bytes: &[u8], name: &str, limits: &Limits) -> Result<Document, Error> {
    check_size(name, bytes.len(), limits)?;
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Diagnostic::error(
            codes::PARSE,
            name,
            "",
            format!(
                "the file is not valid UTF-8 (invalid byte at offset {})",
                e.valid_up_to()
            ),
        )
    })?;
    parse_str(text, name, limits)
}

/// Parses YAML or JSON text, detected from its content.
pub fn parse_str(text: &str, name: &str, limits: &Limits) -> Result<Document, Error> {
    check_size(name, text.len(), limits)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\0') {
        return Err(Diagnostic::error(
            codes::PARSE,
            name,
            "",
            "the file is binary (it contains NUL bytes)",
        )
        .into());
    }
    let syntax = if looks_like_json(text) {
        Syntax::Json
    } else {
        Syntax::Yaml
    };
    let value = match syntax {
        Syntax::Json => parse_json(text, name)?,
        Syntax::Yaml => {
            check_flow_depth(text, name, limits)?;
            parse_yaml(text, name)?
        }
    };
    if value.is_null() {
        return Err(Diagnostic::error(codes::EMPTY, name, "", "the document is empty").into());
    }
    Ok(Document {
        name: name.to_string(),
        syntax,
        value,
    })
}

fn check_size(name: &str, len: usize, limits: &Limits) -> Result<(), Error> {
    if len > limits.max_bytes {
        let msg = format!(
            "the input is {len} bytes, more than the limit of {} bytes (raise it with --max-bytes)",
            limits.max_bytes
        );
        return Err(Diagnostic::error(codes::TOO_LARGE, name, "", msg).into());
    }
    Ok(())
}

fn looks_like_json(text: &str) -> bool {
    matches!(
        text.trim_start().as_bytes().first(),
        Some(b'{') | Some(b'[')
    )
}

fn parse_json(text: &str, name: &str) -> Result<Value, Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = TreeSeed
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|_| v));
    value.map_err(|e| {
        let (line, column) = (e.line(), e.column());
        let code = if e.to_string().contains("duplicate key") {
            codes::DUPLICATE_KEY
        } else {
            codes::PARSE
        };
        Diagnostic::error(code, name, "", strip_position(&e.to_string()))
            .at(line, column)
            .into()
    })
}

fn parse_yaml(text: &str, name: &str) -> Result<Value, Error> {
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    let de = serde_yaml::Deserializer::from_str(text);
    TreeSeed.deserialize(de).map_err(|e| {
        let msg = e.to_string();
        let code = if msg.contains("duplicate key") {
            codes::DUPLICATE_KEY
        } else {
            codes::PARSE
        };
        let diag = Diagnostic::error(code, name, "", strip_position(&msg));
        match e.location() {
            Some(loc) => diag.at(loc.line(), loc.column()).into(),
            None => diag.into(),
        }
    })
}

/// Parser messages end with "at line L column C"; we report the position separately.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// O(n) scan of flow-collection nesting outside quotes and comments.
fn check_flow_depth(text: &str, name: &str, limits: &Limits) -> Result<(), Error> {
    let (mut depth, mut line, mut col) = (0usize, 1usize, 0usize);
    let mut quote: Option<u8> = None;
    let mut comment = false;
    let mut prev = b'\n';
    for &b in text.as_bytes() {
        col += 1;
        if b == b'\n' {
            line += 1;
            col = 0;
            comment = false;
            // Quotes never span lines inside our counting: plain multi-line scalars are rare
            // and a stray quote must not disable the guard for the rest of the file.
            if depth == 0 {
                quote = None;
            }
        } else if comment {
        } else if let Some(q) = quote {
            if b == q {
                quote = None;
            }
        } else {
            match b {
                b'#' if prev == b' ' || prev == b'\n' || prev == b'\t' => comment = true,
                b'\'' | b'"'
                    if depth > 0
                        || matches!(prev, b' ' | b'\n' | b':' | b'-' | b'[' | b'{' | b',') =>
                {
                    quote = Some(b)
                }
                b'[' | b'{' => {
                    depth += 1;
                    if depth > limits.max_flow_depth {
                        let msg = format!(
                            "flow collections ([ ] or {{ }}) are nested more than {} levels deep",
                            limits.max_flow_depth
                        );
                        return Err(Diagnostic::error(codes::TOO_DEEP, name, "", msg)
                            .at(line, col)
                            .into());
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        prev = b;
    }
    Ok(())
}

/// Deserializes any self-describing input into a `Value` with string keys and no duplicates.
struct TreeSeed;

impl<'de> DeserializeSeed<'de> for TreeSeed {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(TreeVisitor)
    }
}

struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML or JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom(format!("the number {v} cannot be represented in JSON")))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        TreeSeed.deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(v) = seq.next_element_seed(TreeSeed)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!("duplicate key `{key}`")));
            }
            let value = map.next_value_seed(TreeSeed)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, _data: A) -> Result<Value, A::Error> {
        Err(de::Error::custom(
            "YAML tags (`!tag`) are not supported in OpenAPI or AsyncAPI documents",
        ))
    }
}

/// Mapping keys: scalars become their string form (`200` -> "200", `true` -> "true").
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = String;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a scalar mapping key")
    }
    fn visit_bool<E>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i64<E>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_str<E>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_string<E>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
    fn visit_unit<E>(self) -> Result<String, E> {
        Ok("null".to_string())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _seq: A) -> Result<String, A::Error> {
        Err(de::Error::custom(
            "a mapping key must be a scalar, not a sequence",
        ))
    }
    fn visit_map<A: MapAccess<'de>>(self, _map: A) -> Result<String, A::Error> {
        Err(de::Error::custom(
            "a mapping key must be a scalar, not a mapping",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Document, Error> {
        parse_str(text, "t.yaml", &Limits::default())
    }

    #[test]
    fn integer_keys_become_strings_and_order_is_kept() {
        let doc = parse(
            "responses:\n  200: {description: ok}\n  404: {description: no}\n  default: {}\n",
        )
        .unwrap();
        let keys: Vec<_> = doc.value["responses"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(keys, ["200", "404", "default"]);
        assert_eq!(doc.syntax, Syntax::Yaml);
    }

    #[test]
    fn json_is_detected() {
        let doc = parse("  {\"b\": 1, \"a\": [true, null, 1.5]}").unwrap();
        assert_eq!(doc.syntax, Syntax::Json);
        assert_eq!(
            serde_json::to_string(&doc.value).unwrap(),
            r#"{"b":1,"a":[true,null,1.5]}"#
        );
    }

    #[test]
    fn duplicate_keys_are_errors_with_position() {
        let err = parse("a: 1\nb:\n  c: 1\n  c: 2\n").unwrap_err().diagnostic;
        assert_eq!(err.code, codes::DUPLICATE_KEY);
        assert!(err.message.contains("`c`"), "{}", err.message);
        assert!(err.line.is_some());
        let err = parse("{\"a\": 1, \"a\": 2}").unwrap_err().diagnostic;
        assert_eq!(err.code, codes::DUPLICATE_KEY);
        assert_eq!(err.line, Some(1));
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let err = parse("a: 1\nb: [1, 2\n").unwrap_err().diagnostic;
        assert_eq!(err.code, codes::PARSE);
        assert!(err.line.is_some(), "{err}");
    }

    #[test]
    fn empty_and_binary_inputs_are_rejected() {
        assert_eq!(parse("").unwrap_err().diagnostic.code, codes::EMPTY);
        assert_eq!(
            parse("# only a comment\n").unwrap_err().diagnostic.code,
            codes::EMPTY
        );
        assert_eq!(parse("a\0b").unwrap_err().diagnostic.code, codes::PARSE);
        let err = parse_bytes(b"a: \xff\xfe", "t", &Limits::default()).unwrap_err();
        assert!(err.diagnostic.message.contains("UTF-8"));
    }

    #[test]
    fn deep_flow_nesting_is_rejected_before_parsing() {
        let text = "a: ".to_string() + &"{a: ".repeat(100_000);
        let err = parse(&text).unwrap_err().diagnostic;
        assert_eq!(err.code, codes::TOO_DEEP);
        // Brackets inside quoted strings and comments do not count.
        let ok = format!(
            "a: '{}'\n# {}\nb: [[1]]\n",
            "[".repeat(500),
            "{".repeat(500)
        );
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn size_limit_is_checked() {
        let limits = Limits {
            max_bytes: 10,
            ..Limits::default()
        };
        let err = parse_str("a: 12345678901", "t", &limits)
            .unwrap_err()
            .diagnostic;
        assert_eq!(err.code, codes::TOO_LARGE);
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(parse(&text).is_err());
    }

    #[test]
    fn tags_and_non_scalar_keys_are_errors() {
        assert!(parse("a: !foo bar\n").is_err());
        assert!(parse("? [a]\n: b\n").is_err());
    }
}
