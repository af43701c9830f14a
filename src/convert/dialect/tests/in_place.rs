//! The owned, in-place conversion against the borrowed rebuild it replaced: a copy of that
//! rebuild is kept here as the reference, which [`to_asyncapi`] must match key for key.

use serde_json::{json, Map, Value};

use super::{D30, D31};
use crate::convert::dialect::keywords::{
    children, draft07_kind, extra_kind, is_reserved, Kind, ESCAPED, MARKER_PREFIX, SIMPLE_TYPES,
};
use crate::convert::dialect::validity::{
    is_schema, is_schema_array, is_simple_type, is_singleton, is_type, valid,
};
use crate::convert::dialect::{to_asyncapi, to_asyncapi_owned, Dialect};

/// The previous implementation of [`to_asyncapi`] (every object rebuilt from a borrowed
/// source), kept as the reference the in-place conversion must match key for key.
fn reference_to_asyncapi(schema: &Value, dialect: Dialect) -> Value {
    match schema {
        Value::Object(map) => Value::Object(Forward::new(map, dialect).run()),
        other => other.clone(),
    }
}

/// One OpenAPI Schema Object -> AsyncAPI, key by key, in input order.
struct Forward<'a> {
    src: &'a Map<String, Value>,
    dialect: Dialect,
    out: Map<String, Value>,
    escaped: Map<String, Value>,
    /// 3.0 `type: T` + `nullable: true` becomes `type: [T, "null"]`.
    nullable_merge: bool,
    /// 3.0 `example: v` (without `examples`) becomes `examples: [v]`.
    example_merge: bool,
    /// 3.1 `prefixItems` becomes a draft-07 tuple `items` (and `items` -> `additionalItems`).
    tuple: bool,
}

impl<'a> Forward<'a> {
    fn new(src: &'a Map<String, Value>, dialect: Dialect) -> Self {
        let oas30 = dialect == Dialect::Oas30;
        let simple_type = src
            .get("type")
            .and_then(Value::as_str)
            .is_some_and(|t| t != "null" && SIMPLE_TYPES.contains(&t));
        Forward {
            src,
            dialect,
            out: Map::with_capacity(src.len()),
            escaped: Map::new(),
            nullable_merge: oas30 && simple_type && src.get("nullable") == Some(&Value::Bool(true)),
            example_merge: oas30 && src.contains_key("example") && !src.contains_key("examples"),
            tuple: !oas30 && src.get("prefixItems").is_some_and(is_schema_array),
        }
    }

    fn run(mut self) -> Map<String, Value> {
        let src = self.src;
        for (key, value) in src {
            self.key(key, value);
        }
        if !self.escaped.is_empty() {
            // Replaces the placeholder, so the bag keeps the first escaped key's position.
            let escaped = std::mem::take(&mut self.escaped);
            self.out.insert(ESCAPED.to_owned(), Value::Object(escaped));
        }
        self.out
    }

    fn key(&mut self, key: &str, value: &Value) {
        if is_reserved(key) {
            return self.escape(key, value);
        }
        if key.starts_with("x-") {
            return self.emit(key, value.clone());
        }
        let handled = match self.dialect {
            Dialect::Oas30 => self.oas30_key(key, value),
            Dialect::Oas31 => self.oas31_key(key, value),
        };
        if !handled {
            self.common_key(key, value);
        }
    }

    fn emit(&mut self, key: &str, value: Value) {
        self.out.insert(key.to_owned(), value);
    }

    fn marker(&mut self, keyword: &str, value: Value) {
        self.out.insert(format!("{MARKER_PREFIX}{keyword}"), value);
    }

    fn escape(&mut self, key: &str, value: &Value) {
        if self.escaped.is_empty() {
            self.out.insert(ESCAPED.to_owned(), Value::Null);
        }
        self.escaped.insert(key.to_owned(), value.clone());
    }

    fn convert(&self, value: &Value) -> Value {
        reference_to_asyncapi(value, self.dialect)
    }

    fn oas30_key(&mut self, key: &str, value: &Value) -> bool {
        match key {
            "type" => self.type30(value),
            "nullable" if self.nullable_merge => {}
            "minimum" | "exclusiveMinimum" => {
                return self.bound30("minimum", "exclusiveMinimum", key, value)
            }
            "maximum" | "exclusiveMaximum" => {
                return self.bound30("maximum", "exclusiveMaximum", key, value)
            }
            "example" if self.example_merge => {
                self.emit("examples", Value::Array(vec![value.clone()]))
            }
            "examples" if !self.src.contains_key("example") && is_singleton(value) => {
                // A lone one-element `examples` would come back as `example` without the marker.
                self.emit(key, value.clone());
                self.marker(key, value.clone());
            }
            _ => return false,
        }
        true
    }

    fn type30(&mut self, value: &Value) {
        if is_simple_type(value) {
            let rendered = if self.nullable_merge {
                Value::Array(vec![value.clone(), Value::String("null".to_owned())])
            } else {
                value.clone()
            };
            return self.emit("type", rendered);
        }
        // Type arrays are not 3.0; keep a valid one for AsyncAPI readers, the marker wins back.
        if is_type(value) {
            self.emit("type", value.clone());
        }
        self.marker("type", value.clone());
    }

    /// 3.0 bounds: `minimum: n` + `exclusiveMinimum: true` -> `exclusiveMinimum: n`.
    fn bound30(&mut self, bound: &str, exclusive: &str, key: &str, value: &Value) -> bool {
        let src = self.src;
        let number = src.get(bound).filter(|n| n.is_number());
        let is_exclusive = src.get(exclusive) == Some(&Value::Bool(true));
        match number {
            // Both keys land here; the second insert keeps the first key's position.
            Some(n) if is_exclusive => self.emit(exclusive, n.clone()),
            _ if key == exclusive && value.is_number() => {
                self.emit(key, value.clone());
                self.marker(key, value.clone());
            }
            _ if key == exclusive => self.marker(key, value.clone()),
            _ => return false,
        }
        true
    }

    fn oas31_key(&mut self, key: &str, value: &Value) -> bool {
        match key {
            "prefixItems" if self.tuple => {
                let items = children(Kind::SchemaArray, value, &|v| self.convert(v));
                self.emit("items", items);
            }
            "prefixItems" => self.marker(key, value.clone()),
            "items" if value.is_array() => self.marker(key, value.clone()),
            "items" if self.tuple && is_schema(value) => {
                let rest = self.convert(value);
                self.emit("additionalItems", rest);
            }
            "additionalItems" if self.tuple => self.marker(key, value.clone()),
            _ => return false,
        }
        true
    }

    fn common_key(&mut self, key: &str, value: &Value) {
        if key == "discriminator" {
            return self.discriminator(value);
        }
        let converted = match draft07_kind(key) {
            Some(kind) if !valid(kind, value) => return self.marker(key, value.clone()),
            Some(kind) => children(kind, value, &|v| self.convert(v)),
            None => match extra_kind(key) {
                Some(kind) => children(kind, value, &|v| self.convert(v)),
                None => value.clone(),
            },
        };
        self.emit(key, converted);
    }

    /// OpenAPI discriminator object -> AsyncAPI property-name string (+ the other fields).
    fn discriminator(&mut self, value: &Value) {
        let name = value.get("propertyName").and_then(Value::as_str);
        match (value, name) {
            (Value::Object(object), Some(name)) => {
                self.emit("discriminator", Value::String(name.to_owned()));
                let rest: Map<String, Value> = object
                    .iter()
                    .filter(|(k, _)| k.as_str() != "propertyName")
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                if !rest.is_empty() {
                    self.marker("discriminator", Value::Object(rest));
                }
            }
            (Value::String(_), _) => {
                // Already AsyncAPI-shaped (invalid OpenAPI); the marker says it was a string.
                self.emit("discriminator", value.clone());
                self.marker("discriminator", value.clone());
            }
            _ => self.marker("discriminator", value.clone()),
        }
    }
}

/// Equal and in the same key order (serialized), for both dialects.
pub(super) fn assert_matches_reference(s: &Value) {
    for d in [D30, D31] {
        let want = reference_to_asyncapi(s, d);
        let got = to_asyncapi_owned(s.clone(), d);
        assert_eq!(got.to_string(), want.to_string(), "input: {s}");
        assert_eq!(
            to_asyncapi(s, d).to_string(),
            want.to_string(),
            "input: {s}"
        );
    }
}

#[test]
fn in_place_matches_the_rebuild_on_edge_cases() {
    for s in [
        json!({"type": "string", "nullable": true, "example": 1, "minimum": 1, "exclusiveMinimum": true}),
        json!({"exclusiveMaximum": true, "maximum": 3, "x-openapi-type": 1, "x-openapi-escaped": 2}),
        json!({"prefixItems": [{"type": "string", "nullable": true}], "items": {"example": 1}, "additionalItems": false}),
        json!({"discriminator": {"propertyName": "k", "mapping": {"a": "#/A"}}, "properties": {"k": {"type": "string"}}}),
        json!({"properties": {"a": {"discriminator": "k"}, "b": {"enum": ["x", "x"]}}, "required": ["a", "a"]}),
        json!({"enum": ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "a"]}),
        json!({"enum": ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"]}),
        json!({"enum": [1, 1.0]}),
        json!({"items": [{"type": "integer"}], "allOf": [{"examples": [1]}]}),
        json!(true),
        json!([{"type": "string", "nullable": true}]),
    ] {
        assert_matches_reference(&s);
    }
}
