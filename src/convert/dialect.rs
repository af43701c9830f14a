//! Schema Object dialects: OpenAPI 3.0 / 3.1 Schema Objects <-> AsyncAPI 3.0 Schema Objects.
//!
//! The AsyncAPI Schema Object is JSON Schema draft-07 plus `discriminator` (a *string*),
//! `externalDocs`, `deprecated` and `x-` extensions. [`to_asyncapi`] rewrites only what
//! draft-07 reads differently or rejects; whatever it cannot express rides in
//! `x-openapi-<keyword>` markers (raw OpenAPI values), so [`to_openapi`] gives back exactly
//! the input. Every rule and marker is listed in `docs/schema-dialects.md`.
//!
//! Data-valued keywords (`example`, `examples`, `enum`, `const`, `default`, `xml`,
//! `externalDocs`, `discriminator.mapping`, `x-` extensions) are copied, never descended into.

use std::collections::HashSet;
use std::fmt::Write as _;

use serde_json::{Map, Value};

/// The Schema Object dialect of an OpenAPI document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// OpenAPI 3.0.x: extended subset of JSON Schema Wright draft 00 (`nullable`, boolean
    /// `exclusiveMinimum`, `example`).
    Oas30,
    /// OpenAPI 3.1.x: superset of JSON Schema 2020-12.
    Oas31,
}

impl Dialect {
    /// `"3.0"` / `"3.0.<patch>"` -> `Oas30`, `"3.1"` / `"3.1.<patch>"` -> `Oas31`, else `None`
    /// (Swagger 2.0 and OpenAPI 3.2 are out of scope).
    pub fn from_openapi_version(v: &str) -> Option<Dialect> {
        let rest = v.trim().strip_prefix("3.")?;
        let (minor, patch) = match rest.split_once('.') {
            Some((minor, patch)) => (minor, Some(patch)),
            None => (rest, None),
        };
        if patch.is_some_and(str::is_empty) {
            return None;
        }
        match minor {
            "0" => Some(Dialect::Oas30),
            "1" => Some(Dialect::Oas31),
            _ => None,
        }
    }
}

/// OpenAPI Schema Object (whole subtree) -> AsyncAPI Schema Object.
///
/// Values that are neither objects nor booleans are returned unchanged; never panics.
pub fn to_asyncapi(schema: &Value, dialect: Dialect) -> Value {
    to_asyncapi_owned(schema.clone(), dialect)
}

/// [`to_asyncapi`] of a schema the caller gives away. It is rewritten in place: objects whose
/// keys all stay as they are (most of them) are kept, only the others are rebuilt.
pub fn to_asyncapi_owned(mut schema: Value, dialect: Dialect) -> Value {
    to_asyncapi_in_place(&mut schema, dialect);
    schema
}

/// [`to_asyncapi`] in place.
pub fn to_asyncapi_in_place(schema: &mut Value, dialect: Dialect) {
    let mut walk = Walk {
        dialect,
        data_refs: false,
    };
    in_place(schema, &mut walk);
}

/// [`to_asyncapi_in_place`], which also says whether the result may hold a `$ref`-like key
/// (`$ref`, `$$ref`, ...) that `asyncapi::escape_data_refs` would rename. `false` means it
/// certainly holds none: every value that is not a subschema (examples, extensions,
/// markers, unknown keywords, ...) was searched for such keys.
pub(crate) fn to_asyncapi_noting_data_refs(schema: &mut Value, dialect: Dialect) -> bool {
    let mut walk = Walk {
        dialect,
        data_refs: false,
    };
    in_place(schema, &mut walk);
    walk.data_refs
}

/// One conversion's settings and findings.
#[derive(Debug, Clone, Copy)]
struct Walk {
    dialect: Dialect,
    /// A value kept outside subschema positions holds a `$ref`-like key.
    data_refs: bool,
}

impl Walk {
    /// A value written out without being converted: searched for `$ref`-like keys.
    #[inline]
    fn note(&mut self, value: &Value) {
        if !self.data_refs && (value.is_object() || value.is_array()) {
            self.data_refs = has_ref_key(value);
        }
    }
}

#[inline(never)]
fn has_ref_key(value: &Value) -> bool {
    let inside = |v: &Value| (v.is_object() || v.is_array()) && has_ref_key(v);
    match value {
        Value::Object(m) => m.iter().any(|(k, v)| is_ref_like(k) || inside(v)),
        Value::Array(items) => items.iter().any(inside),
        _ => false,
    }
}

/// `$ref`, `$$ref`, ...: the keys `escape_data_refs` renames.
fn is_ref_like(key: &str) -> bool {
    key.starts_with('$') && {
        let rest = key.trim_start_matches('$');
        rest == "ref"
    }
}

fn in_place(schema: &mut Value, walk: &mut Walk) {
    match schema {
        Value::Object(map) => forward(map, walk),
        other => walk.note(other),
    }
}

/// AsyncAPI Schema Object -> OpenAPI Schema Object of `dialect`. Exact inverse of
/// [`to_asyncapi`]: `to_openapi(&to_asyncapi(s, d), d) == s`.
pub fn to_openapi(schema: &Value, dialect: Dialect) -> Value {
    match schema {
        Value::Object(map) => Value::Object(Reverse::new(map, dialect).run()),
        other => other.clone(),
    }
}

const MARKER_PREFIX: &str = "x-openapi-";
/// Holds input keys that collide with marker names, so they cannot be mistaken for markers.
const ESCAPED: &str = "x-openapi-escaped";
const SIMPLE_TYPES: [&str; 7] = [
    "array", "boolean", "integer", "null", "number", "object", "string",
];

/// What the draft-07 / AsyncAPI meta-schema demands of a keyword's value, and where
/// subschemas sit inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// One subschema.
    Schema,
    /// A subschema or a non-empty array of subschemas (`items`).
    Items,
    /// A non-empty array of subschemas.
    SchemaArray,
    /// An object whose values are subschemas.
    SchemaMap,
    /// An object whose values are subschemas or arrays of unique strings.
    Dependencies,
    Number,
    PositiveNumber,
    /// A non-negative integer (1.0 counts, as in JSON Schema).
    Count,
    Text,
    Flag,
    /// Any array (`examples`).
    List,
    /// A non-empty array of unique values.
    Enum,
    /// An array of unique strings (`required`).
    Names,
    Type,
    ExternalDocs,
}

/// Keywords the AsyncAPI Schema Object (draft-07 + AsyncAPI fields) validates.
fn draft07_kind(keyword: &str) -> Option<Kind> {
    use Kind::*;
    Some(match keyword {
        "additionalItems"
        | "additionalProperties"
        | "contains"
        | "propertyNames"
        | "if"
        | "then"
        | "else"
        | "not" => Schema,
        "items" => Items,
        "allOf" | "anyOf" | "oneOf" => SchemaArray,
        "properties" | "patternProperties" | "definitions" => SchemaMap,
        "dependencies" => Dependencies,
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" => Number,
        "multipleOf" => PositiveNumber,
        "maxLength" | "minLength" | "maxItems" | "minItems" | "maxProperties" | "minProperties" => {
            Count
        }
        "$id" | "$schema" | "$ref" | "$comment" | "title" | "description" | "pattern"
        | "format" | "contentMediaType" | "contentEncoding" | "discriminator" => Text,
        "readOnly" | "writeOnly" | "uniqueItems" | "deprecated" => Flag,
        "examples" => List,
        "enum" => Enum,
        "required" => Names,
        "type" => Type,
        "externalDocs" => ExternalDocs,
        _ => return None,
    })
}

/// Subschema positions draft-07 does not know (2020-12): converted, never validated.
fn extra_kind(keyword: &str) -> Option<Kind> {
    match keyword {
        "$defs" | "dependentSchemas" => Some(Kind::SchemaMap),
        "prefixItems" => Some(Kind::SchemaArray),
        "unevaluatedProperties" | "unevaluatedItems" | "contentSchema" => Some(Kind::Schema),
        _ => None,
    }
}

/// The keyword a marker key carries (`x-openapi-type` -> `type`), if it is a marker name.
fn marker_keyword(key: &str) -> Option<&str> {
    let keyword = key.strip_prefix(MARKER_PREFIX)?;
    (draft07_kind(keyword).is_some() || keyword == "prefixItems").then_some(keyword)
}

/// Keys an OpenAPI input may not use verbatim, because the reverse would read them as markers.
fn is_reserved(key: &str) -> bool {
    key == ESCAPED || marker_keyword(key).is_some()
}

/// Keywords whose marker may sit next to a draft-07 rendering of the same keyword; the
/// marker then wins on the way back.
fn override_marker(keyword: &str) -> Option<&'static str> {
    match keyword {
        "type" => Some("x-openapi-type"),
        "exclusiveMinimum" => Some("x-openapi-exclusiveMinimum"),
        "exclusiveMaximum" => Some("x-openapi-exclusiveMaximum"),
        "examples" => Some("x-openapi-examples"),
        "discriminator" => Some("x-openapi-discriminator"),
        _ => None,
    }
}

/// Applies `f` to the subschemas of a keyword value, copying everything else.
fn children(kind: Kind, value: &Value, f: &impl Fn(&Value) -> Value) -> Value {
    match (kind, value) {
        (Kind::Schema | Kind::Items, Value::Object(_) | Value::Bool(_)) => f(value),
        (Kind::Items | Kind::SchemaArray, Value::Array(items)) => {
            Value::Array(items.iter().map(f).collect())
        }
        (Kind::SchemaMap | Kind::Dependencies, Value::Object(map)) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), f(v))).collect())
        }
        _ => value.clone(),
    }
}

/// How a schema object is rewritten, from its own keys: what one key's conversion depends on
/// in its siblings.
struct Facts {
    dialect: Dialect,
    /// 3.0 `type: T` + `nullable: true` becomes `type: [T, "null"]`.
    nullable_merge: bool,
    /// 3.0 `example: v` (without `examples`) becomes `examples: [v]`.
    example_merge: bool,
    /// 3.0: the object has an `example`.
    has_example: bool,
    /// 3.1 `prefixItems` becomes a draft-07 tuple `items` (and `items` -> `additionalItems`).
    tuple: bool,
    /// 3.0 `minimum: n` + `exclusiveMinimum: true` become `exclusiveMinimum: n` (this is `n`).
    min_merge: Option<Value>,
    /// Same for `maximum` + `exclusiveMaximum`.
    max_merge: Option<Value>,
}

impl Facts {
    /// One pass over the keys (schema objects are small: cheaper than hashed look-ups).
    fn of(map: &Map<String, Value>, dialect: Dialect) -> Facts {
        let oas30 = dialect == Dialect::Oas30;
        let mut facts = Facts {
            dialect,
            nullable_merge: false,
            example_merge: false,
            has_example: false,
            tuple: false,
            min_merge: None,
            max_merge: None,
        };
        if !oas30 {
            facts.tuple = map
                .iter()
                .any(|(k, v)| k == "prefixItems" && is_schema_array(v));
            return facts;
        }
        let (mut ty, mut nullable, mut has_examples) = (None, None, false);
        let (mut min, mut max, mut min_excl, mut max_excl) = (None, None, false, false);
        let is_true = |v: &Value| *v == Value::Bool(true);
        for (k, v) in map {
            match k.as_str() {
                "type" => ty = Some(v),
                "nullable" => nullable = Some(v),
                "example" => facts.has_example = true,
                "examples" => has_examples = true,
                "minimum" => min = Some(v),
                "maximum" => max = Some(v),
                "exclusiveMinimum" => min_excl = is_true(v),
                "exclusiveMaximum" => max_excl = is_true(v),
                _ => {}
            }
        }
        let simple_type = ty
            .and_then(Value::as_str)
            .is_some_and(|t| t != "null" && SIMPLE_TYPES.contains(&t));
        facts.nullable_merge = simple_type && nullable.is_some_and(is_true);
        facts.example_merge = facts.has_example && !has_examples;
        facts.min_merge = min.filter(|n| min_excl && n.is_number()).cloned();
        facts.max_merge = max.filter(|n| max_excl && n.is_number()).cloned();
        facts
    }

    /// Whether [`Forward`] would write this key back under its own name at its own place,
    /// with at most its subschemas converted: `None` if not, else the kind of its
    /// subschemas, if it has any. Mirrors [`Forward::key`].
    fn keeps(&self, key: &str, value: &Value) -> Option<Option<Kind>> {
        if key.starts_with("x-") {
            return (!is_reserved(key)).then_some(None);
        }
        let special = match self.dialect {
            Dialect::Oas30 => match key {
                "type" => Some(is_simple_type(value) && !self.nullable_merge),
                "nullable" if self.nullable_merge => Some(false),
                "exclusiveMinimum" | "exclusiveMaximum" => Some(false),
                "minimum" if self.min_merge.is_some() => Some(false),
                "maximum" if self.max_merge.is_some() => Some(false),
                "example" if self.example_merge => Some(false),
                "examples" if !self.has_example && is_singleton(value) => Some(false),
                _ => None,
            },
            Dialect::Oas31 => match key {
                "prefixItems" => Some(false),
                "items" if value.is_array() || (self.tuple && is_schema(value)) => Some(false),
                "additionalItems" if self.tuple => Some(false),
                _ => None,
            },
        };
        if let Some(kept) = special {
            return kept.then_some(None);
        }
        if key == "discriminator" {
            return None;
        }
        match draft07_kind(key) {
            Some(kind) if valid(kind, value) => Some(holds_subschemas(kind).then_some(kind)),
            Some(_) => None,
            None => Some(extra_kind(key)),
        }
    }
}

/// Whether values of this kind hold subschemas (which the conversion visits).
fn holds_subschemas(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Schema | Kind::Items | Kind::SchemaArray | Kind::SchemaMap | Kind::Dependencies
    )
}

/// [`to_asyncapi`] of one schema object, in place. While keys keep their name and place
/// (usually all of them) only their subschemas are converted; from the first key that does
/// not, the object is rebuilt by [`Forward`], moving its values.
fn forward(map: &mut Map<String, Value>, walk: &mut Walk) {
    let facts = Facts::of(map, walk.dialect);
    let mut kept = 0;
    for (k, v) in map.iter_mut() {
        match facts.keeps(k, v) {
            Some(Some(kind)) => children_in_place(kind, v, walk),
            Some(None) => walk.note(v),
            None => break,
        }
        kept += 1;
    }
    if kept < map.len() {
        let src = std::mem::take(map);
        *map = Forward::run(src, facts, kept, walk);
    }
}

/// Converts the subschemas of a keyword value in place, leaving everything else as it is.
fn children_in_place(kind: Kind, value: &mut Value, walk: &mut Walk) {
    match (kind, value) {
        (Kind::Schema | Kind::Items, v @ (Value::Object(_) | Value::Bool(_))) => in_place(v, walk),
        (Kind::Items | Kind::SchemaArray, Value::Array(items)) => {
            items.iter_mut().for_each(|v| in_place(v, walk))
        }
        (Kind::SchemaMap | Kind::Dependencies, Value::Object(map)) => {
            map.values_mut().for_each(|v| in_place(v, walk))
        }
        // Validated names and types are strings only.
        (Kind::Names | Kind::Type, _) => {}
        (_, other) => walk.note(other),
    }
}

/// One OpenAPI Schema Object -> AsyncAPI, key by key, in input order, moving the values.
struct Forward {
    facts: Facts,
    walk: Walk,
    out: Map<String, Value>,
    escaped: Map<String, Value>,
}

impl Forward {
    /// The first `done` entries of `src` are kept keys already converted (see [`forward`]).
    fn run(
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

/// One AsyncAPI Schema Object -> OpenAPI, key by key, in input order.
struct Reverse<'a> {
    src: &'a Map<String, Value>,
    dialect: Dialect,
    out: Map<String, Value>,
    /// 3.1: a draft-07 tuple `items` becomes `prefixItems` (and `additionalItems` -> `items`).
    tuple: bool,
}

impl<'a> Reverse<'a> {
    fn new(src: &'a Map<String, Value>, dialect: Dialect) -> Self {
        let tuple = dialect == Dialect::Oas31
            && src.get("items").is_some_and(Value::is_array)
            && !src.contains_key("prefixItems");
        Reverse {
            src,
            dialect,
            out: Map::with_capacity(src.len()),
            tuple,
        }
    }

    fn run(mut self) -> Map<String, Value> {
        let src = self.src;
        for (key, value) in src {
            self.key(key, value);
        }
        self.out
    }

    fn key(&mut self, key: &str, value: &Value) {
        let src = self.src;
        if key == ESCAPED {
            return self.unescape(value);
        }
        if let Some(keyword) = marker_keyword(key) {
            return self.marker(keyword, value);
        }
        if let Some(marker) = override_marker(key).and_then(|m| src.get(m)) {
            return self.overridden(key, value, marker);
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

    fn convert(&self, value: &Value) -> Value {
        to_openapi(value, self.dialect)
    }

    fn unescape(&mut self, value: &Value) {
        match value {
            Value::Object(escaped) => {
                for (k, v) in escaped {
                    self.emit(k, v.clone());
                }
            }
            other => self.emit(ESCAPED, other.clone()),
        }
    }

    /// A marker restores its keyword, at the keyword's own position when that is present.
    fn marker(&mut self, keyword: &str, value: &Value) {
        if override_marker(keyword).is_none() || !self.src.contains_key(keyword) {
            self.emit(keyword, value.clone());
        }
    }

    fn overridden(&mut self, key: &str, value: &Value, marker: &Value) {
        match (key, value, marker) {
            ("discriminator", Value::String(name), Value::Object(rest)) => {
                self.emit(key, discriminator_object(name, Some(rest)));
            }
            _ => self.emit(key, marker.clone()),
        }
    }

    fn oas30_key(&mut self, key: &str, value: &Value) -> bool {
        let src = self.src;
        match key {
            "type" if !src.contains_key("nullable") => match nullable_split(value) {
                Some(single) => {
                    self.emit("type", single);
                    self.emit("nullable", Value::Bool(true));
                }
                None => return false,
            },
            "exclusiveMinimum" => return self.unbound30("minimum", key, value),
            "exclusiveMaximum" => return self.unbound30("maximum", key, value),
            "examples" if !src.contains_key("example") => match value.as_array().map(Vec::as_slice)
            {
                Some([only]) => self.emit("example", only.clone()),
                _ => return false,
            },
            _ => return false,
        }
        true
    }

    /// Numeric draft-07 bound -> 3.0 `minimum: n` + `exclusiveMinimum: true`.
    fn unbound30(&mut self, bound: &str, key: &str, value: &Value) -> bool {
        if !value.is_number() || self.src.contains_key(bound) {
            return false;
        }
        self.emit(bound, value.clone());
        self.emit(key, Value::Bool(true));
        true
    }

    fn oas31_key(&mut self, key: &str, value: &Value) -> bool {
        match key {
            "items" if self.tuple => {
                let prefix = children(Kind::SchemaArray, value, &|v| self.convert(v));
                self.emit("prefixItems", prefix);
            }
            "additionalItems" if self.tuple => {
                let rest = self.convert(value);
                self.emit("items", rest);
            }
            _ => return false,
        }
        true
    }

    fn common_key(&mut self, key: &str, value: &Value) {
        let converted = match (key, value) {
            ("discriminator", Value::String(name)) => discriminator_object(name, None),
            _ => match draft07_kind(key).or_else(|| extra_kind(key)) {
                Some(kind) => children(kind, value, &|v| self.convert(v)),
                None => value.clone(),
            },
        };
        self.emit(key, converted);
    }
}

fn discriminator_object(name: &str, rest: Option<&Map<String, Value>>) -> Value {
    let mut object = Map::with_capacity(1 + rest.map_or(0, Map::len));
    object.insert("propertyName".to_owned(), Value::String(name.to_owned()));
    for (k, v) in rest.into_iter().flatten() {
        object.insert(k.clone(), v.clone());
    }
    Value::Object(object)
}

/// `[T, "null"]` or `["null", T]` with a simple non-null `T` -> `T`.
fn nullable_split(value: &Value) -> Option<Value> {
    let [a, b] = value.as_array()?.as_slice() else {
        return None;
    };
    let single = match (a.as_str(), b.as_str()) {
        (Some(t), Some("null")) | (Some("null"), Some(t)) => t,
        _ => return None,
    };
    (single != "null" && SIMPLE_TYPES.contains(&single)).then(|| Value::String(single.to_owned()))
}

fn valid(kind: Kind, value: &Value) -> bool {
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

fn is_schema(value: &Value) -> bool {
    value.is_object() || value.is_boolean()
}

fn is_schema_array(value: &Value) -> bool {
    value
        .as_array()
        .is_some_and(|a| !a.is_empty() && a.iter().all(is_schema))
}

fn is_singleton(value: &Value) -> bool {
    value.as_array().is_some_and(|a| a.len() == 1)
}

fn is_simple_type(value: &Value) -> bool {
    value.as_str().is_some_and(|t| SIMPLE_TYPES.contains(&t))
}

fn is_type(value: &Value) -> bool {
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
        // Sorted by a hash first (cheap to compare), equal strings end up side by side.
        let mut names: Vec<(u64, &str)> = items
            .iter()
            .filter_map(Value::as_str)
            .map(|s| (fnv1a(s), s))
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

/// 64-bit FNV-1a: a sort key only (never trusted for equality).
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A string equal for JSON-Schema-equal values (1 and 1.0 alike; never too lenient).
fn canonical(value: &Value, out: &mut String) {
    match value {
        Value::Number(n) => {
            let _ = write!(out, "n{:?}", n.as_f64().unwrap_or(f64::NAN));
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
    use super::*;
    use proptest::prelude::*;
    use proptest::strategy::Union;
    use serde_json::json;

    const D30: Dialect = Dialect::Oas30;
    const D31: Dialect = Dialect::Oas31;

    /// Round trip both ways and return the AsyncAPI form (after checking it is valid).
    fn there_and_back(s: &Value, d: Dialect) -> Value {
        let a = to_asyncapi(s, d);
        if let Err(e) = check(&a, "#") {
            panic!("invalid AsyncAPI schema: {e}\ninput: {s}\noutput: {a}");
        }
        let back = to_openapi(&a, d);
        assert_eq!(&back, s, "round trip failed; AsyncAPI form: {a}");
        a
    }

    /// Serialized key order is preserved as well (stronger than `==`).
    fn assert_same_order(s: &Value, d: Dialect) {
        let back = to_openapi(&to_asyncapi(s, d), d);
        assert_eq!(back.to_string(), s.to_string());
    }

    // ---- validity checker: what the AsyncAPI 3.0.0 schema.json (draft-07 based) demands ----

    fn check(v: &Value, at: &str) -> Result<(), String> {
        match v {
            Value::Bool(_) => Ok(()),
            Value::Object(m) => m
                .iter()
                .try_for_each(|(k, x)| check_kw(k, x, &format!("{at}/{k}"))),
            _ => Err(format!("{at}: schema must be an object or boolean")),
        }
    }

    fn check_all<'a>(items: impl Iterator<Item = &'a Value>, at: &str) -> Result<(), String> {
        items
            .enumerate()
            .try_for_each(|(i, x)| check(x, &format!("{at}/{i}")))
    }

    fn fail(at: &str, what: &str) -> Result<(), String> {
        Err(format!("{at}: {what}"))
    }

    fn unique(a: &[Value]) -> bool {
        let mut seen = Vec::new();
        for x in a {
            let norm = normalize(x);
            if seen.contains(&norm) {
                return false;
            }
            seen.push(norm);
        }
        true
    }

    /// Numbers as f64 so that 1 and 1.0 compare equal (JSON Schema equality).
    fn normalize(v: &Value) -> Value {
        match v {
            Value::Number(n) => json!(n.as_f64()),
            Value::Array(a) => Value::Array(a.iter().map(normalize).collect()),
            Value::Object(m) => {
                Value::Object(m.iter().map(|(k, x)| (k.clone(), normalize(x))).collect())
            }
            other => other.clone(),
        }
    }

    const TYPES: [&str; 7] = [
        "array", "boolean", "integer", "null", "number", "object", "string",
    ];

    fn check_kw(k: &str, x: &Value, at: &str) -> Result<(), String> {
        let is_str_set = |x: &Value| {
            x.as_array()
                .is_some_and(|a| a.iter().all(Value::is_string) && unique(a))
        };
        match k {
            "type" => {
                let simple = |t: &Value| t.as_str().is_some_and(|t| TYPES.contains(&t));
                let ok = simple(x)
                    || x.as_array()
                        .is_some_and(|a| !a.is_empty() && a.iter().all(simple) && unique(a));
                if ok {
                    Ok(())
                } else {
                    fail(at, "bad type")
                }
            }
            "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" => {
                if x.is_number() {
                    Ok(())
                } else {
                    fail(at, "not a number")
                }
            }
            "multipleOf" => {
                if x.as_f64().is_some_and(|n| n > 0.0) {
                    Ok(())
                } else {
                    fail(at, "multipleOf")
                }
            }
            "maxLength" | "minLength" | "maxItems" | "minItems" | "maxProperties"
            | "minProperties" => {
                let ok = x.as_f64().is_some_and(|n| n >= 0.0 && n.fract() == 0.0);
                if ok {
                    Ok(())
                } else {
                    fail(at, "not a non-negative integer")
                }
            }
            "discriminator" | "$id" | "$schema" | "$ref" | "$comment" | "title" | "description"
            | "pattern" | "format" | "contentMediaType" | "contentEncoding" => {
                if x.is_string() {
                    Ok(())
                } else {
                    fail(at, "not a string")
                }
            }
            "readOnly" | "writeOnly" | "uniqueItems" | "deprecated" => {
                if x.is_boolean() {
                    Ok(())
                } else {
                    fail(at, "not a boolean")
                }
            }
            "examples" => {
                if x.is_array() {
                    Ok(())
                } else {
                    fail(at, "examples not an array")
                }
            }
            "enum" => match x.as_array() {
                Some(a) if !a.is_empty() && unique(a) => Ok(()),
                _ => fail(at, "bad enum"),
            },
            "required" => {
                if is_str_set(x) {
                    Ok(())
                } else {
                    fail(at, "bad required")
                }
            }
            "items" => match x {
                Value::Array(a) if !a.is_empty() => check_all(a.iter(), at),
                Value::Array(_) => fail(at, "empty items array"),
                _ => check(x, at),
            },
            "additionalItems"
            | "additionalProperties"
            | "contains"
            | "propertyNames"
            | "if"
            | "then"
            | "else"
            | "not" => check(x, at),
            "allOf" | "anyOf" | "oneOf" => match x {
                Value::Array(a) if !a.is_empty() => check_all(a.iter(), at),
                _ => fail(at, "not a non-empty schema array"),
            },
            "properties" | "patternProperties" | "definitions" => match x {
                Value::Object(m) => check_all(m.values(), at),
                _ => fail(at, "not an object"),
            },
            "dependencies" => match x {
                Value::Object(m) => {
                    m.values()
                        .try_for_each(|d| if is_str_set(d) { Ok(()) } else { check(d, at) })
                }
                _ => fail(at, "not an object"),
            },
            "externalDocs" => check_external_docs(x, at),
            _ => Ok(()),
        }
    }

    fn check_external_docs(x: &Value, at: &str) -> Result<(), String> {
        let Some(m) = x.as_object() else {
            return fail(at, "externalDocs not an object");
        };
        if m.get("$ref").is_some_and(Value::is_string) {
            return Ok(());
        }
        let url_ok = m.get("url").and_then(Value::as_str).is_some_and(|u| {
            let scheme = u.split(':').next().unwrap_or("");
            u.contains(':')
                && !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !u.contains(' ')
        });
        let keys_ok = m.iter().all(|(k, v)| match k.as_str() {
            "url" => true,
            "description" => v.is_string(),
            k => {
                k.len() > 2
                    && k.starts_with("x-")
                    && k[2..]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
            }
        });
        if url_ok && keys_ok {
            Ok(())
        } else {
            fail(at, "bad externalDocs")
        }
    }

    // ---- version ----

    #[test]
    fn version_detection() {
        assert_eq!(Dialect::from_openapi_version("3.0.0"), Some(D30));
        assert_eq!(Dialect::from_openapi_version("3.0.3"), Some(D30));
        assert_eq!(Dialect::from_openapi_version("3.0"), Some(D30));
        assert_eq!(Dialect::from_openapi_version("3.1.0"), Some(D31));
        assert_eq!(Dialect::from_openapi_version("3.1.1-rc1"), Some(D31));
        for bad in [
            "2.0", "3", "3.", "3.0.", "3.2.0", "3.10.0", "", "v3.0.0", "4.0.0",
        ] {
            assert_eq!(Dialect::from_openapi_version(bad), None, "{bad}");
        }
    }

    // ---- OAS 3.0: nullable / type ----

    #[test]
    fn oas30_nullable_type_becomes_type_array() {
        let s = json!({"type": "string", "nullable": true, "maxLength": 3});
        let a = there_and_back(&s, D30);
        assert_eq!(a, json!({"type": ["string", "null"], "maxLength": 3}));
        assert_same_order(&s, D30);
    }

    #[test]
    fn oas30_nullable_without_type_or_false_is_verbatim() {
        for s in [
            json!({"nullable": true, "description": "x"}),
            json!({"type": "integer", "nullable": false}),
            json!({"type": "string", "nullable": "yes"}),
            json!({"allOf": [{"$ref": "#/A"}], "nullable": true}),
        ] {
            assert_eq!(there_and_back(&s, D30), s);
        }
    }

    #[test]
    fn oas30_nullable_null_type_is_not_doubled() {
        let s = json!({"type": "null", "nullable": true});
        assert_eq!(there_and_back(&s, D30), s);
    }

    #[test]
    fn oas30_literal_type_array_keeps_marker() {
        let s = json!({"type": ["string", "null"]});
        let a = there_and_back(&s, D30);
        assert_eq!(
            a,
            json!({"type": ["string", "null"], "x-openapi-type": ["string", "null"]})
        );
        let s = json!({"type": ["string", "null"], "nullable": true});
        there_and_back(&s, D30);
        let s = json!({"type": ["integer", "string"]});
        there_and_back(&s, D30);
    }

    #[test]
    fn invalid_type_goes_to_marker() {
        for d in [D30, D31] {
            let s = json!({"type": "file", "nullable": true});
            let a = there_and_back(&s, d);
            assert_eq!(a.get("type"), None);
            assert_eq!(a["x-openapi-type"], json!("file"));
            there_and_back(&json!({"type": ["string", "string"]}), d);
            there_and_back(&json!({"type": []}), d);
            there_and_back(&json!({"type": 7}), d);
        }
    }

    #[test]
    fn oas31_type_array_and_nullable_are_verbatim() {
        let s = json!({"type": ["string", "null"], "nullable": true, "example": "a"});
        assert_eq!(there_and_back(&s, D31), s);
        // a 3.0 habit inside a 3.1 document is kept as written
        let s = json!({"type": "string", "nullable": true, "exclusiveMinimum": 1});
        assert_eq!(there_and_back(&s, D31), s);
    }

    // ---- bounds ----

    #[test]
    fn oas30_exclusive_bounds_become_numbers() {
        let s = json!({"type": "number", "minimum": 0, "exclusiveMinimum": true,
                       "maximum": 10.5, "exclusiveMaximum": true});
        let a = there_and_back(&s, D30);
        assert_eq!(
            a,
            json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 10.5})
        );
        assert_same_order(&s, D30);
        // listed the other way round: equal as a value; the pair comes back as minimum first
        let s = json!({"exclusiveMinimum": true, "minimum": 1});
        assert_eq!(there_and_back(&s, D30), json!({"exclusiveMinimum": 1}));
    }

    #[test]
    fn oas30_odd_exclusive_bounds_use_markers() {
        let s = json!({"exclusiveMinimum": true});
        assert_eq!(
            there_and_back(&s, D30),
            json!({"x-openapi-exclusiveMinimum": true})
        );
        let s = json!({"minimum": 1, "exclusiveMinimum": false});
        assert_eq!(
            there_and_back(&s, D30),
            json!({"minimum": 1, "x-openapi-exclusiveMinimum": false})
        );
        let s = json!({"maximum": 5});
        assert_eq!(there_and_back(&s, D30), s);
        // a 3.1 habit in a 3.0 document: numeric bound next to minimum
        let s = json!({"minimum": 1, "exclusiveMinimum": 3});
        let a = there_and_back(&s, D30);
        assert_eq!(
            a,
            json!({"minimum": 1, "exclusiveMinimum": 3, "x-openapi-exclusiveMinimum": 3})
        );
        there_and_back(&json!({"exclusiveMaximum": 3}), D30);
        there_and_back(&json!({"minimum": "1", "exclusiveMinimum": true}), D30);
        there_and_back(&json!({"minimum": "1", "exclusiveMinimum": 2}), D30);
    }

    #[test]
    fn oas31_boolean_exclusive_bound_is_a_marker() {
        let s = json!({"minimum": 1, "exclusiveMinimum": true, "exclusiveMaximum": 9});
        let a = there_and_back(&s, D31);
        assert_eq!(
            a,
            json!({"minimum": 1, "x-openapi-exclusiveMinimum": true, "exclusiveMaximum": 9})
        );
    }

    // ---- example / examples ----

    #[test]
    fn oas30_example_becomes_examples() {
        let s = json!({"type": "string", "example": "abc"});
        let a = there_and_back(&s, D30);
        assert_eq!(a, json!({"type": "string", "examples": ["abc"]}));
        assert_same_order(&s, D30);
        // array-valued example stays one example
        let s = json!({"example": [1, 2]});
        assert_eq!(there_and_back(&s, D30), json!({"examples": [[1, 2]]}));
    }

    #[test]
    fn oas30_example_with_examples_is_verbatim() {
        let s = json!({"example": 1, "examples": [2]});
        assert_eq!(there_and_back(&s, D30), s);
        let s = json!({"example": 1, "examples": {"a": 2}});
        assert_eq!(
            there_and_back(&s, D30),
            json!({"example": 1, "x-openapi-examples": {"a": 2}})
        );
    }

    #[test]
    fn oas30_lone_examples() {
        let s = json!({"examples": [7]});
        assert_eq!(
            there_and_back(&s, D30),
            json!({"examples": [7], "x-openapi-examples": [7]})
        );
        let s = json!({"examples": [1, 2]});
        assert_eq!(there_and_back(&s, D30), s);
        there_and_back(&json!({"examples": []}), D30);
        there_and_back(&json!({"examples": "x"}), D30);
    }

    #[test]
    fn oas31_example_is_verbatim() {
        let s = json!({"example": 1, "examples": [2, 3]});
        assert_eq!(there_and_back(&s, D31), s);
        there_and_back(&json!({"example": 1}), D31);
        there_and_back(&json!({"examples": {"a": 1}}), D31);
    }

    // ---- discriminator ----

    #[test]
    fn discriminator_with_mapping_and_extensions() {
        for d in [D30, D31] {
            let s = json!({"oneOf": [{"$ref": "#/components/schemas/Cat"}],
                "discriminator": {"propertyName": "kind",
                    "mapping": {"cat": "#/components/schemas/Cat"}, "x-vendor": 1}});
            let a = there_and_back(&s, d);
            assert_eq!(a["discriminator"], json!("kind"));
            assert_eq!(
                a["x-openapi-discriminator"],
                json!({"mapping": {"cat": "#/components/schemas/Cat"}, "x-vendor": 1})
            );
            assert_same_order(&s, d);
        }
    }

    #[test]
    fn discriminator_property_name_only_needs_no_marker() {
        let s = json!({"discriminator": {"propertyName": "kind"}});
        assert_eq!(there_and_back(&s, D31), json!({"discriminator": "kind"}));
    }

    #[test]
    fn odd_discriminators() {
        for d in [D30, D31] {
            let s = json!({"discriminator": {"mapping": {"a": "#/A"}}});
            assert_eq!(
                there_and_back(&s, d),
                json!({"x-openapi-discriminator": {"mapping": {"a": "#/A"}}})
            );
            let s = json!({"discriminator": "kind"});
            assert_eq!(
                there_and_back(&s, d),
                json!({"discriminator": "kind", "x-openapi-discriminator": "kind"})
            );
            there_and_back(&json!({"discriminator": {"propertyName": 5}}), d);
            there_and_back(&json!({"discriminator": null}), d);
            there_and_back(
                &json!({"discriminator": {"propertyName": "k", "propertyNam": "x"}}),
                d,
            );
        }
    }

    // ---- required, $ref, booleans, other draft-07 checks ----

    #[test]
    fn property_level_required_true_is_a_marker() {
        let s = json!({"type": "object", "required": ["a"], "properties": {"a": {"type": "string", "required": true}}});
        let a = there_and_back(&s, D30);
        assert_eq!(
            a["properties"]["a"],
            json!({"type": "string", "x-openapi-required": true})
        );
        there_and_back(&json!({"required": ["a", "a"]}), D30);
        there_and_back(&json!({"required": [1]}), D31);
        assert_eq!(
            there_and_back(&json!({"required": []}), D31),
            json!({"required": []})
        );
    }

    #[test]
    fn ref_with_siblings_is_verbatim() {
        for d in [D30, D31] {
            let s = json!({"$ref": "#/components/schemas/A", "description": "d", "nullable": true});
            assert_eq!(there_and_back(&s, d), s);
            assert_eq!(
                there_and_back(&json!({"$ref": 5}), d),
                json!({"x-openapi-$ref": 5})
            );
        }
    }

    #[test]
    fn boolean_schemas() {
        for d in [D30, D31] {
            assert_eq!(there_and_back(&json!(true), d), json!(true));
            let s =
                json!({"properties": {"a": false}, "additionalProperties": true, "items": true});
            assert_eq!(there_and_back(&s, d), s);
        }
    }

    #[test]
    fn draft07_type_violations_go_to_markers() {
        let cases = [
            ("minLength", json!(-1)),
            ("maxItems", json!(1.5)),
            ("multipleOf", json!(0)),
            ("title", json!(3)),
            ("readOnly", json!("no")),
            ("deprecated", json!(1)),
            ("enum", json!([])),
            ("enum", json!([1, 1.0])),
            ("enum", json!([{"a": 1, "b": 2}, {"b": 2, "a": 1}])),
            ("allOf", json!([])),
            ("anyOf", json!([1])),
            ("items", json!([])),
            ("items", json!("x")),
            ("properties", json!({"a": 5})),
            ("properties", json!([])),
            ("not", json!(null)),
            ("dependencies", json!({"a": ["b", "b"]})),
            ("pattern", json!(null)),
        ];
        for (k, v) in cases {
            for d in [D30, D31] {
                let s = json!({ k: v.clone() });
                let a = there_and_back(&s, d);
                assert_eq!(a, json!({ format!("x-openapi-{k}"): v.clone() }), "{k}");
            }
        }
        // and values that are fine stay put
        let s = json!({"minLength": 2.0, "enum": [1, "1", [1], {"a": 1}], "multipleOf": 0.5,
                       "dependencies": {"a": ["b"], "c": {"required": ["d"]}}});
        assert_eq!(there_and_back(&s, D30), s);
    }

    #[test]
    fn external_docs() {
        for d in [D30, D31] {
            let good = json!({"externalDocs": {"url": "https://example.com/a?b#c", "description": "d", "x-a.b": 1}});
            assert_eq!(there_and_back(&good, d), good);
            let by_ref = json!({"externalDocs": {"$ref": "#/components/externalDocs/X"}});
            assert_eq!(there_and_back(&by_ref, d), by_ref);
            for bad in [
                json!({"url": "/relative"}),
                json!({"url": "https://e.com", "x-foo:bar": 1}),
                json!({"description": "no url"}),
                json!("https://e.com"),
                json!({"url": "https://e.com:abc/"}),
                json!({"url": "https://e.com/a b"}),
            ] {
                let s = json!({"externalDocs": bad.clone()});
                assert_eq!(
                    there_and_back(&s, d),
                    json!({"x-openapi-externalDocs": bad})
                );
            }
        }
    }

    // ---- 3.1 tuples ----

    #[test]
    fn oas31_prefix_items_become_a_tuple() {
        let s = json!({"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}],
                       "items": {"type": "boolean"}});
        let a = there_and_back(&s, D31);
        assert_eq!(
            a,
            json!({"type": "array", "items": [{"type": "string"}, {"type": "integer"}],
                             "additionalItems": {"type": "boolean"}})
        );
        assert_same_order(&s, D31);
        let s = json!({"prefixItems": [true], "additionalItems": false, "items": false});
        let a = there_and_back(&s, D31);
        assert_eq!(
            a,
            json!({"items": [true], "x-openapi-additionalItems": false, "additionalItems": false})
        );
    }

    #[test]
    fn oas31_odd_items() {
        let s = json!({"items": [{"type": "string"}]});
        assert_eq!(
            there_and_back(&s, D31),
            json!({"x-openapi-items": [{"type": "string"}]})
        );
        there_and_back(&json!({"prefixItems": []}), D31);
        there_and_back(
            &json!({"prefixItems": {"type": "string"}, "items": {}}),
            D31,
        );
        there_and_back(&json!({"prefixItems": [{}], "items": [{}]}), D31);
        there_and_back(&json!({"prefixItems": [{}], "items": 5}), D31);
        there_and_back(&json!({"additionalItems": {"type": "string"}}), D31);
    }

    #[test]
    fn oas30_items_array_and_prefix_items_are_verbatim() {
        let s = json!({"items": [{"type": "string", "nullable": true}], "prefixItems": [{"example": 1}]});
        let a = there_and_back(&s, D30);
        assert_eq!(
            a,
            json!({"items": [{"type": ["string", "null"]}], "prefixItems": [{"examples": [1]}]})
        );
    }

    // ---- recursion and data keywords ----

    #[test]
    fn property_names_are_not_keywords() {
        let s = json!({"type": "object", "properties": {
            "nullable": {"type": "boolean"}, "example": {"type": "string", "nullable": true},
            "discriminator": {"type": "string"}, "x-openapi-type": {"type": "integer"},
            "exclusiveMinimum": {"type": "boolean"}, "type": {"type": "string"}}});
        let a = there_and_back(&s, D30);
        let props = &a["properties"];
        assert_eq!(props["nullable"], json!({"type": "boolean"}));
        assert_eq!(props["example"], json!({"type": ["string", "null"]}));
        assert_eq!(props["x-openapi-type"], json!({"type": "integer"}));
        assert_eq!(a["type"], json!("object"));
    }

    #[test]
    fn data_keywords_are_never_descended() {
        let tricky = json!({"type": "string", "nullable": true, "discriminator": {"propertyName": "k"},
                            "exclusiveMinimum": true, "minimum": 1, "example": 2, "x-openapi-type": 1});
        for d in [D30, D31] {
            let s = json!({"enum": [tricky.clone()], "const": tricky.clone(), "default": tricky.clone(),
                "x-data": tricky.clone(), "xml": tricky.clone(), "examples": [tricky.clone()],
                "example": tricky.clone(), "unknownKeyword": tricky.clone(),
                "discriminator": {"propertyName": "k", "mapping": tricky.clone()},
                "externalDocs": {"url": "https://e.com", "x-t": tricky.clone()}});
            let a = there_and_back(&s, d);
            for k in [
                "enum",
                "const",
                "default",
                "x-data",
                "xml",
                "examples",
                "example",
                "unknownKeyword",
                "externalDocs",
            ] {
                assert_eq!(a[k], s[k], "{k} must be copied verbatim");
            }
            assert_eq!(a["x-openapi-discriminator"]["mapping"], tricky);
        }
    }

    #[test]
    fn every_subschema_position_is_converted() {
        let n = json!({"type": "string", "nullable": true});
        let c = json!({"type": ["string", "null"]});
        let positions = |x: &Value| {
            json!({
            "properties": {"p": x}, "patternProperties": {"^a": x}, "additionalProperties": x,
            "items": x, "additionalItems": x, "contains": x, "propertyNames": x,
            "if": x, "then": x, "else": x, "allOf": [x], "anyOf": [x, x], "oneOf": [x], "not": x,
            "dependentSchemas": {"a": x}, "dependencies": {"a": x, "b": ["c"]}, "$defs": {"a": x},
            "definitions": {"a": x}, "unevaluatedProperties": x, "unevaluatedItems": x,
            "contentSchema": x, "prefixItems": [x]})
        };
        let a = there_and_back(&positions(&n), D30);
        assert_eq!(a, positions(&c));
        // deep nesting
        let mut s = json!({"type": "integer", "nullable": true});
        for _ in 0..40 {
            s = json!({"type": "object", "properties": {"next": s}, "allOf": [{"example": 1}]});
        }
        there_and_back(&s, D30);
    }

    #[test]
    fn oas31_recursion_converts_discriminators_everywhere() {
        let disc = json!({"discriminator": {"propertyName": "k"}});
        let s = json!({"$defs": {"a": disc}, "prefixItems": [disc], "items": disc,
                       "properties": {"p": {"anyOf": [disc]}}});
        let a = there_and_back(&s, D31);
        assert_eq!(a["$defs"]["a"], json!({"discriminator": "k"}));
        assert_eq!(a["items"], json!([{"discriminator": "k"}]));
        assert_eq!(a["additionalItems"], json!({"discriminator": "k"}));
        assert_eq!(
            a["properties"]["p"]["anyOf"][0],
            json!({"discriminator": "k"})
        );
    }

    #[test]
    fn non_schema_values_are_returned_unchanged() {
        for d in [D30, D31] {
            for v in [
                json!(5),
                json!("x"),
                json!(null),
                json!([1, {"nullable": true}]),
            ] {
                assert_eq!(to_asyncapi(&v, d), v);
                assert_eq!(to_openapi(&v, d), v);
            }
            let s = json!({"$defs": {"a": 5}, "dependentSchemas": "x", "unevaluatedItems": [1]});
            assert_eq!(there_and_back(&s, d), s);
        }
    }

    #[test]
    fn unknown_keywords_and_extensions_are_verbatim() {
        for d in [D30, D31] {
            let s = json!({"x-foo:bar": {"nullable": true}, "x-openapi-custom": 1, "$anchor": "a",
                           "readOnly": true, "writeOnly": false, "format": "int64", "const": null});
            assert_eq!(there_and_back(&s, d), s);
        }
    }

    #[test]
    fn colliding_marker_names_in_input_are_escaped() {
        for d in [D30, D31] {
            let s = json!({"type": "string", "x-openapi-type": "file",
                           "x-openapi-discriminator": {"a": 1}, "x-openapi-escaped": 2, "nullable": true});
            let a = there_and_back(&s, d);
            assert_eq!(
                a["x-openapi-escaped"],
                json!({"x-openapi-type": "file", "x-openapi-discriminator": {"a": 1}, "x-openapi-escaped": 2})
            );
            assert_eq!(a.get("x-openapi-type"), None);
        }
    }

    // ---- reverse direction on hand-written AsyncAPI ----

    #[test]
    fn reverse_of_hand_written_asyncapi() {
        let a = json!({"type": "object", "discriminator": "kind", "required": ["kind"],
            "properties": {"kind": {"type": ["string", "null"]}, "n": {"exclusiveMinimum": 0},
                           "t": {"items": [{"type": "string"}], "additionalItems": false},
                           "e": {"examples": ["x"]}}});
        let o31 = to_openapi(&a, D31);
        assert_eq!(o31["discriminator"], json!({"propertyName": "kind"}));
        assert_eq!(
            o31["properties"]["t"],
            json!({"prefixItems": [{"type": "string"}], "items": false})
        );
        assert_eq!(
            o31["properties"]["kind"],
            json!({"type": ["string", "null"]})
        );
        assert_eq!(to_asyncapi(&o31, D31), a);

        let o30 = to_openapi(&a, D30);
        assert_eq!(
            o30["properties"]["kind"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            o30["properties"]["n"],
            json!({"minimum": 0, "exclusiveMinimum": true})
        );
        assert_eq!(o30["properties"]["e"], json!({"example": "x"}));
        assert_eq!(o30["properties"]["t"], a["properties"]["t"]);
        assert_eq!(to_asyncapi(&o30, D30), a);
        assert_eq!(
            to_openapi(&json!({"type": ["null", "integer"]}), D30),
            json!({"type": "integer", "nullable": true})
        );
    }

    #[test]
    fn reverse_never_overwrites_an_existing_nullable() {
        // Hand-written: a type array next to a literal `nullable` stays as written.
        let a = json!({"type": ["string", "null"], "nullable": false});
        assert_eq!(to_openapi(&a, D30), a);
    }

    #[test]
    fn large_documents_convert_in_linear_time() {
        let props: Map<String, Value> = (0..30_000)
            .map(|i| {
                (
                    format!("p{i}"),
                    json!({"type": "string", "nullable": true, "example": i,
                "enum": (0..20).map(|j| json!(j * i)).collect::<Vec<_>>()}),
                )
            })
            .collect();
        let s = json!({"type": "object", "properties": props});
        let start = std::time::Instant::now();
        there_and_back(&s, D30);
        assert!(
            start.elapsed().as_secs() < 20,
            "too slow: {:?}",
            start.elapsed()
        );
    }

    // ---- the owned, in-place conversion against the borrowed rebuild it replaced ----

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
                nullable_merge: oas30
                    && simple_type
                    && src.get("nullable") == Some(&Value::Bool(true)),
                example_merge: oas30
                    && src.contains_key("example")
                    && !src.contains_key("examples"),
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
    fn assert_matches_reference(s: &Value) {
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

    // ---- property tests ----

    fn pick<T: Clone + std::fmt::Debug + 'static>(items: Vec<T>) -> BoxedStrategy<T> {
        prop::sample::select(items).boxed()
    }

    fn key(k: &'static str) -> BoxedStrategy<String> {
        Just(k.to_owned()).boxed()
    }

    fn keys(ks: Vec<&'static str>) -> BoxedStrategy<String> {
        pick(ks).prop_map(str::to_owned).boxed()
    }

    fn entry(k: BoxedStrategy<String>, v: BoxedStrategy<Value>) -> BoxedStrategy<(String, Value)> {
        (k, v).boxed()
    }

    fn values(vs: Vec<Value>) -> BoxedStrategy<Value> {
        pick(vs)
    }

    fn object(entries: Vec<(String, Value)>) -> Value {
        Value::Object(entries.into_iter().collect())
    }

    /// Example-like data, including schema-looking objects that must never be converted.
    fn data() -> BoxedStrategy<Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (-3i64..4).prop_map(Value::from),
            values(vec![json!(1.0), json!(2.5), json!(-0.5)]),
            "[a-c]{0,2}".prop_map(Value::String),
            values(vec![
                json!({"type": "string", "nullable": true}),
                json!({"discriminator": {"propertyName": "k"}}),
                json!({"exclusiveMinimum": true, "minimum": 1}),
                json!({"$ref": "#/x"})
            ]),
        ];
        leaf.prop_recursive(2, 10, 3, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
                prop::collection::vec(
                    (
                        keys(vec!["a", "type", "nullable", "example", "x-openapi-type"]),
                        inner
                    ),
                    0..3
                )
                .prop_map(object),
            ]
        })
        .boxed()
    }

    fn odd_type() -> BoxedStrategy<Value> {
        prop_oneof![
            4 => keys(TYPES.to_vec()).prop_map(Value::String),
            1 => values(vec![json!("file"), json!(3), json!([]), json!(["string", "null"]), json!(["null", "integer"]),
                             json!(["string", "string"]), json!(["integer", "string", "null"]), json!(["null"]),
                             json!(["any"])]),
        ]
        .boxed()
    }

    fn odd_discriminator() -> BoxedStrategy<Value> {
        let mapping = prop::collection::vec(("[a-c]{1,2}", data()), 0..3).prop_map(object);
        prop_oneof![
            3 => ("[a-c]{1,2}", prop::option::of(mapping), prop::option::of(data())).prop_map(|(p, m, x)| {
                let mut d = Map::new();
                d.insert("propertyName".into(), json!(p));
                if let Some(m) = m { d.insert("mapping".into(), m); }
                if let Some(x) = x { d.insert("x-ext".into(), x); }
                Value::Object(d)
            }),
            1 => values(vec![json!("kind"), json!(5), json!(null), json!({"mapping": {}}), json!({"propertyName": 1})]),
        ]
        .boxed()
    }

    fn odd_external_docs() -> BoxedStrategy<Value> {
        values(vec![
            json!({"url": "https://e.com/x"}),
            json!({"url": "docs/x"}),
            json!({"$ref": "#/a"}),
            json!({"url": "https://e.com", "x-a:b": 1}),
            json!({"url": "https://e.com", "description": 2}),
            json!("https://e.com"),
        ])
    }

    /// Keyword entries without subschemas, odd cases of both dialects included.
    fn flat_entry() -> BoxedStrategy<(String, Value)> {
        let n = |v: Vec<Value>| values(v);
        Union::new(vec![
            entry(key("type"), odd_type()),
            entry(key("type"), odd_type()),
            entry(
                key("nullable"),
                n(vec![json!(true), json!(true), json!(false), json!("yes")]),
            ),
            entry(
                keys(vec!["minimum", "maximum"]),
                n(vec![json!(0), json!(1.5), json!(-3), json!("x")]),
            ),
            entry(
                keys(vec!["exclusiveMinimum", "exclusiveMaximum"]),
                n(vec![
                    json!(true),
                    json!(true),
                    json!(false),
                    json!(5),
                    json!("x"),
                    json!(null),
                ]),
            ),
            entry(key("example"), data()),
            entry(
                key("examples"),
                prop_oneof![
                    prop::collection::vec(data(), 0..3).prop_map(Value::Array),
                    data()
                ]
                .boxed(),
            ),
            entry(key("discriminator"), odd_discriminator()),
            entry(
                key("required"),
                n(vec![
                    json!(["a", "b"]),
                    json!(["a", "a"]),
                    json!(true),
                    json!([1]),
                    json!([]),
                ]),
            ),
            entry(
                key("$ref"),
                n(vec![json!("#/components/schemas/A"), json!(5)]),
            ),
            entry(
                key("enum"),
                prop::collection::vec(data(), 0..4)
                    .prop_map(Value::Array)
                    .boxed(),
            ),
            entry(
                keys(vec![
                    "const",
                    "default",
                    "xml",
                    "foo",
                    "$comment",
                    "contentMediaType",
                ]),
                data(),
            ),
            entry(
                keys(vec![
                    "x-ext",
                    "x-openapi-discriminator",
                    "x-openapi-escaped",
                    "x-openapi-foo",
                    "x-openapi-type",
                    "x-openapi-examples",
                    "x-openapi-items",
                    "x-openapi-prefixItems",
                ]),
                data(),
            ),
            entry(
                keys(vec!["format", "title", "description", "pattern"]),
                n(vec![json!("int32"), json!(7)]),
            ),
            entry(
                keys(vec!["minLength", "maxItems", "minProperties"]),
                n(vec![
                    json!(0),
                    json!(3),
                    json!(-1),
                    json!(1.5),
                    json!(2.0),
                    json!("1"),
                ]),
            ),
            entry(
                key("multipleOf"),
                n(vec![json!(0), json!(2), json!(-1), json!(0.5)]),
            ),
            entry(key("externalDocs"), odd_external_docs()),
            entry(
                keys(vec!["deprecated", "readOnly", "writeOnly", "uniqueItems"]),
                n(vec![json!(true), json!("no")]),
            ),
            entry(
                keys(vec![
                    "items",
                    "allOf",
                    "prefixItems",
                    "properties",
                    "not",
                    "dependencies",
                    "$defs",
                ]),
                n(vec![
                    json!([]),
                    json!("bad"),
                    json!([1]),
                    json!({"a": 5}),
                    json!(null),
                ]),
            ),
        ])
        .boxed()
    }

    fn prop_names() -> BoxedStrategy<String> {
        keys(vec![
            "a",
            "b",
            "nullable",
            "example",
            "type",
            "discriminator",
            "x-openapi-type",
            "$ref",
            "items",
        ])
    }

    fn schema_map(inner: BoxedStrategy<Value>) -> BoxedStrategy<Value> {
        prop::collection::vec((prop_names(), inner), 0..3)
            .prop_map(object)
            .boxed()
    }

    fn schema_list(inner: BoxedStrategy<Value>, min: usize) -> BoxedStrategy<Value> {
        prop::collection::vec(inner, min..3)
            .prop_map(Value::Array)
            .boxed()
    }

    /// Keyword entries holding subschemas.
    fn nested_entry(inner: BoxedStrategy<Value>) -> BoxedStrategy<(String, Value)> {
        let deps = prop::collection::vec(
            (
                prop_names(),
                prop_oneof![inner.clone(), Just(json!(["a"])), Just(json!(["a", "a"]))],
            ),
            0..3,
        )
        .prop_map(object);
        Union::new(vec![
            entry(key("properties"), schema_map(inner.clone())),
            entry(key("properties"), schema_map(inner.clone())),
            entry(
                key("items"),
                prop_oneof![3 => inner.clone(), 1 => schema_list(inner.clone(), 0)].boxed(),
            ),
            entry(
                key("prefixItems"),
                prop_oneof![3 => schema_list(inner.clone(), 0), 1 => inner.clone()].boxed(),
            ),
            entry(
                keys(vec![
                    "additionalItems",
                    "additionalProperties",
                    "not",
                    "if",
                    "then",
                    "else",
                    "contains",
                    "propertyNames",
                    "unevaluatedProperties",
                    "unevaluatedItems",
                    "contentSchema",
                ]),
                inner.clone(),
            ),
            entry(
                keys(vec!["allOf", "anyOf", "oneOf"]),
                schema_list(inner.clone(), 0),
            ),
            entry(
                keys(vec![
                    "patternProperties",
                    "$defs",
                    "definitions",
                    "dependentSchemas",
                ]),
                schema_map(inner),
            ),
            entry(key("dependencies"), deps.boxed()),
        ])
        .boxed()
    }

    /// Random OpenAPI 3.0 / 3.1 schemas (one generator: both dialects' odd cases are fair game).
    fn oas_schema() -> BoxedStrategy<Value> {
        let leaf = prop_oneof![
            4 => prop::collection::vec(flat_entry(), 0..6).prop_map(object),
            1 => any::<bool>().prop_map(Value::Bool),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            let e = prop_oneof![2 => flat_entry(), 1 => nested_entry(inner.boxed())];
            prop::collection::vec(e, 0..7).prop_map(object)
        })
        .boxed()
    }

    /// Arbitrary JSON whose object keys are keyword names: the converter must survive anything.
    fn keyword_soup() -> BoxedStrategy<Value> {
        let names = keys(vec![
            "type",
            "nullable",
            "minimum",
            "exclusiveMinimum",
            "example",
            "examples",
            "discriminator",
            "items",
            "prefixItems",
            "additionalItems",
            "properties",
            "allOf",
            "required",
            "x-openapi-type",
            "x-openapi-discriminator",
            "x-openapi-escaped",
            "x-openapi-items",
            "enum",
            "a",
        ]);
        data()
            .prop_recursive(3, 40, 5, move |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
                    prop::collection::vec((names.clone(), inner), 0..6).prop_map(object),
                ]
            })
            .boxed()
    }

    /// AsyncAPI schemas as a person writes them: valid draft-07, string discriminator, no markers.
    fn asyncapi_schema() -> BoxedStrategy<Value> {
        let names = || keys(vec!["a", "b", "c", "kind"]);
        let name_set = prop::collection::btree_set(names(), 0..3)
            .prop_map(|s| Value::Array(s.into_iter().map(Value::String).collect()));
        let simple = keys(TYPES.to_vec()).prop_map(Value::String);
        let type_set = prop::collection::btree_set(keys(TYPES.to_vec()), 1..3)
            .prop_map(|s| Value::Array(s.into_iter().map(Value::String).collect()));
        let flat = Union::new(vec![
            entry(key("type"), prop_oneof![simple, type_set].boxed()),
            entry(
                key("discriminator"),
                names().prop_map(Value::String).boxed(),
            ),
            entry(
                keys(vec![
                    "minimum",
                    "maximum",
                    "exclusiveMinimum",
                    "exclusiveMaximum",
                ]),
                values(vec![json!(0), json!(1.5), json!(-2)]),
            ),
            entry(
                key("examples"),
                prop::collection::vec(data(), 0..3)
                    .prop_map(Value::Array)
                    .boxed(),
            ),
            entry(
                key("enum"),
                prop::collection::btree_set(names(), 1..3)
                    .prop_map(|s| Value::Array(s.into_iter().map(Value::String).collect()))
                    .boxed(),
            ),
            entry(key("required"), name_set.clone().boxed()),
            entry(
                keys(vec![
                    "example", "nullable", "const", "default", "x-ext", "xml",
                ]),
                data(),
            ),
            entry(
                keys(vec!["title", "format", "description"]),
                values(vec![json!("t")]),
            ),
            entry(
                keys(vec!["minLength", "maxItems"]),
                values(vec![json!(0), json!(4)]),
            ),
            entry(
                keys(vec!["deprecated", "readOnly", "uniqueItems"]),
                any::<bool>().prop_map(Value::Bool).boxed(),
            ),
            entry(
                key("externalDocs"),
                values(vec![json!({"url": "https://e.com", "x-a": 1})]),
            ),
            entry(key("$ref"), values(vec![json!("#/components/schemas/A")])),
        ])
        .boxed();
        let leaf = prop_oneof![
            4 => prop::collection::vec(flat.clone(), 0..5).prop_map(object),
            1 => any::<bool>().prop_map(Value::Bool),
        ];
        leaf.prop_recursive(4, 48, 6, move |inner| {
            let inner = inner.boxed();
            let map = prop::collection::vec((names(), inner.clone()), 0..3).prop_map(object);
            let deps = prop::collection::vec(
                (names(), prop_oneof![inner.clone(), name_set.clone()]),
                0..3,
            )
            .prop_map(object);
            let nested = Union::new(vec![
                entry(
                    keys(vec!["properties", "patternProperties", "definitions"]),
                    map.boxed(),
                ),
                entry(
                    key("items"),
                    prop_oneof![inner.clone(), schema_list(inner.clone(), 1)].boxed(),
                ),
                entry(
                    keys(vec![
                        "additionalItems",
                        "additionalProperties",
                        "not",
                        "if",
                        "then",
                        "else",
                        "contains",
                        "propertyNames",
                    ]),
                    inner.clone(),
                ),
                entry(
                    keys(vec!["allOf", "anyOf", "oneOf"]),
                    schema_list(inner.clone(), 1),
                ),
                entry(key("dependencies"), deps.boxed()),
            ]);
            let e = prop_oneof![2 => flat.clone(), 1 => nested];
            prop::collection::vec(e, 0..7).prop_map(object)
        })
        .boxed()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn oas30_round_trip_is_exact_and_valid(s in oas_schema()) {
            let a = to_asyncapi(&s, D30);
            prop_assert!(check(&a, "#").is_ok(), "{:?}\n{}", check(&a, "#"), a);
            prop_assert_eq!(to_openapi(&a, D30), s);
        }

        #[test]
        fn oas31_round_trip_is_exact_and_valid(s in oas_schema()) {
            let a = to_asyncapi(&s, D31);
            prop_assert!(check(&a, "#").is_ok(), "{:?}\n{}", check(&a, "#"), a);
            prop_assert_eq!(to_openapi(&a, D31), s);
        }

        #[test]
        fn any_json_round_trips_without_panicking(v in keyword_soup()) {
            for d in [D30, D31] {
                prop_assert_eq!(to_openapi(&to_asyncapi(&v, d), d), v.clone());
                let _ = to_asyncapi(&to_openapi(&v, d), d);
            }
        }

        #[test]
        fn hand_written_asyncapi_round_trips_through_oas31(a in asyncapi_schema()) {
            prop_assert!(check(&a, "#").is_ok(), "generator made an invalid schema: {:?}", check(&a, "#"));
            let o = to_openapi(&a, D31);
            prop_assert_eq!(to_asyncapi(&o, D31), a);
        }

        #[test]
        fn in_place_matches_the_rebuild(s in oas_schema()) {
            assert_matches_reference(&s);
        }

        #[test]
        fn in_place_matches_the_rebuild_on_any_json(v in keyword_soup()) {
            assert_matches_reference(&v);
        }

        #[test]
        fn in_place_matches_the_rebuild_on_asyncapi_shaped_input(a in asyncapi_schema()) {
            assert_matches_reference(&a);
        }

        #[test]
        fn data_values_survive_verbatim(d in data()) {
            let s = json!({"enum": [d.clone()], "const": d.clone(), "default": d.clone(), "x-d": d.clone(),
                           "example": d.clone(), "xml": d.clone()});
            for dialect in [D30, D31] {
                let a = to_asyncapi(&s, dialect);
                for k in ["enum", "const", "default", "x-d", "xml"] {
                    prop_assert_eq!(&a[k], &s[k]);
                }
            }
        }
    }
}
