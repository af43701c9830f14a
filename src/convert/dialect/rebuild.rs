//! OpenAPI -> AsyncAPI for a schema object whose keys do not all stay put: [`Forward`] rebuilds
//! it key by key, in input order, moving the values.

use serde_json::{Map, Value};

use super::facts::Facts;
use super::forward::{children_in_place, in_place, Walk};
use super::keywords::{draft07_kind, extra_kind, is_reserved, Kind, ESCAPED, MARKER_PREFIX};
use super::validity::{is_schema, is_simple_type, is_singleton, is_type, valid};
use super::Dialect;

/// One OpenAPI Schema Object -> AsyncAPI, key by key, in input order, moving the values.
pub(super) struct Forward {
    facts: Facts,
    walk: Walk,
    out: Map<String, Value>,
    escaped: Map<String, Value>,
}

impl Forward {
    /// The first `done` entries of `src` are kept keys already converted (see `forward` in
    /// `forward.rs`).
    pub(super) fn run(
        src: Map<String, Value>,
        facts: Facts,
        done: usize,
        walk: &mut Walk,
    ) -> Map<String, Value> {
        let mut f = Forward {
            facts,
            walk: *walk,
            out: Map::with_capacity(src.len()),
            escaped: Map::new(),
        };
        for (i, (key, value)) in src.into_iter().enumerate() {
            if i < done {
                f.out.insert(key, value);
            } else {
                f.key(key, value);
            }
        }
        if !f.escaped.is_empty() {
            // Replaces the placeholder, so the bag keeps the first escaped key's position.
            let escaped = std::mem::take(&mut f.escaped);
            f.out.insert(ESCAPED.to_owned(), Value::Object(escaped));
        }
        *walk = f.walk;
        f.out
    }

    fn key(&mut self, key: String, value: Value) {
        if is_reserved(&key) {
            return self.escape(key, value);
        }
        if key.starts_with("x-") {
            return self.emit(key, value);
        }
        let unhandled = match self.facts.dialect {
            Dialect::Oas30 => self.oas30_key(key, value),
            Dialect::Oas31 => self.oas31_key(key, value),
        };
        if let Some((key, value)) = unhandled {
            self.common_key(key, value);
        }
    }

    /// Writes a value as it is (noted, see [`Walk::note`]).
    fn emit(&mut self, key: String, value: Value) {
        self.walk.note(&value);
        self.out.insert(key, value);
    }

    fn emit_as(&mut self, key: &str, value: Value) {
        self.emit(key.to_owned(), value);
    }

    /// Writes a value whose subschemas [`Forward::children`] has converted (and noted).
    fn emit_converted(&mut self, key: String, value: Value) {
        self.out.insert(key, value);
    }

    fn marker(&mut self, keyword: &str, value: Value) {
        self.emit(format!("{MARKER_PREFIX}{keyword}"), value);
    }

    fn escape(&mut self, key: String, value: Value) {
        self.walk.note(&value);
        if self.escaped.is_empty() {
            self.out.insert(ESCAPED.to_owned(), Value::Null);
        }
        self.escaped.insert(key, value);
    }

    fn children(&mut self, kind: Kind, value: &mut Value) {
        children_in_place(kind, value, &mut self.walk);
    }

    /// `None` when the key is dealt with; else it goes on to [`Forward::common_key`].
    fn oas30_key(&mut self, key: String, value: Value) -> Option<(String, Value)> {
        match key.as_str() {
            "type" => self.type30(key, value),
            "nullable" if self.facts.nullable_merge => {}
            "minimum" | "exclusiveMinimum" => {
                return self.bound30("minimum", "exclusiveMinimum", key, value)
            }
            "maximum" | "exclusiveMaximum" => {
                return self.bound30("maximum", "exclusiveMaximum", key, value)
            }
            "example" if self.facts.example_merge => {
                self.emit_as("examples", Value::Array(vec![value]))
            }
            "examples" if !self.facts.has_example && is_singleton(&value) => {
                // A lone one-element `examples` would come back as `example` without the marker.
                self.emit(key, value.clone());
                self.marker("examples", value);
            }
            _ => return Some((key, value)),
        }
        None
    }

    fn type30(&mut self, key: String, value: Value) {
        if is_simple_type(&value) {
            let rendered = if self.facts.nullable_merge {
                Value::Array(vec![value, Value::String("null".to_owned())])
            } else {
                value
            };
            return self.emit(key, rendered);
        }
        // Type arrays are not 3.0; keep a valid one for AsyncAPI readers, the marker wins back.
        if is_type(&value) {
            self.emit(key, value.clone());
        }
        self.marker("type", value);
    }

    /// 3.0 bounds: `minimum: n` + `exclusiveMinimum: true` -> `exclusiveMinimum: n`.
    fn bound30(
        &mut self,
        bound: &str,
        exclusive: &str,
        key: String,
        value: Value,
    ) -> Option<(String, Value)> {
        let merged = if bound == "minimum" {
            &self.facts.min_merge
        } else {
            &self.facts.max_merge
        };
        match merged {
            // Both keys land here; the second insert keeps the first key's position.
            Some(n) => {
                let n = n.clone();
                self.emit_as(exclusive, n);
            }
            None if key == exclusive && value.is_number() => {
                self.emit(key, value.clone());
                self.marker(exclusive, value);
            }
            None if key == exclusive => self.marker(exclusive, value),
            None => return Some((key, value)),
        }
        None
    }

    fn oas31_key(&mut self, key: String, mut value: Value) -> Option<(String, Value)> {
        match key.as_str() {
            "prefixItems" if self.facts.tuple => {
                self.children(Kind::SchemaArray, &mut value);
                self.emit_converted("items".to_owned(), value);
            }
            "prefixItems" => self.marker("prefixItems", value),
            "items" if value.is_array() => self.marker("items", value),
            "items" if self.facts.tuple && is_schema(&value) => {
                in_place(&mut value, &mut self.walk);
                self.emit_converted("additionalItems".to_owned(), value);
            }
            "additionalItems" if self.facts.tuple => self.marker("additionalItems", value),
            _ => return Some((key, value)),
        }
        None
    }

    fn common_key(&mut self, key: String, mut value: Value) {
        if key == "discriminator" {
            return self.discriminator(value);
        }
        if key == "$ref" {
            self.walk.note_ref(&value);
        }
        let draft07 = draft07_kind(&key);
        if draft07.is_some_and(|kind| !valid(kind, &value)) {
            return self.marker(&key, value);
        }
        match draft07.or_else(|| extra_kind(&key)) {
            Some(kind) => {
                self.children(kind, &mut value);
                self.emit_converted(key, value);
            }
            None => self.emit(key, value),
        }
    }

    /// OpenAPI discriminator object -> AsyncAPI property-name string (+ the other fields).
    fn discriminator(&mut self, value: Value) {
        match value {
            Value::Object(mut object)
                if object.get("propertyName").is_some_and(Value::is_string) =>
            {
                let name = object.shift_remove("propertyName").unwrap_or_default();
                self.emit_as("discriminator", name);
                if !object.is_empty() {
                    self.marker("discriminator", Value::Object(object));
                }
            }
            Value::String(_) => {
                // Already AsyncAPI-shaped (invalid OpenAPI); the marker says it was a string.
                self.emit_as("discriminator", value.clone());
                self.marker("discriminator", value);
            }
            other => self.marker("discriminator", other),
        }
    }
}
