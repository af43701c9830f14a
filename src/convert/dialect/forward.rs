//! OpenAPI -> AsyncAPI: the public entry points and the in-place walk over a schema tree, which
//! keeps objects whose keys stay put and hands the others to [`Forward`].

use serde_json::{Map, Value};

use super::facts::Facts;
use super::keywords::Kind;
use super::rebuild::Forward;
use super::Dialect;
use crate::asyncapi;

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
        noted: Noted::default(),
    };
    in_place(schema, &mut walk);
}

/// What [`to_asyncapi_noting`] found in the converted schema, so that whole-document walks
/// can pass it by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Noted {
    /// It may hold a `$ref`-like key (`$ref`, `$$ref`, ...) outside subschemas, which
    /// `asyncapi::escape_data_refs` would rename. `false` means it certainly holds none: every
    /// value that is not a subschema (examples, extensions, markers, unknown keywords, ...)
    /// was searched for such keys.
    pub(crate) data_refs: bool,
    /// A subschema's `$ref` points at a component AsyncAPI has no place for, which
    /// `asyncapi::ref_into_record` would point into the record.
    pub(crate) record_refs: bool,
}

impl Noted {
    /// Nothing known: every whole-document walk must look.
    pub(crate) const ALL: Noted = Noted {
        data_refs: true,
        record_refs: true,
    };
}

impl std::ops::BitOrAssign for Noted {
    fn bitor_assign(&mut self, other: Noted) {
        self.data_refs |= other.data_refs;
        self.record_refs |= other.record_refs;
    }
}

/// [`to_asyncapi_in_place`], which also says what the result holds (see [`Noted`]).
pub(crate) fn to_asyncapi_noting(schema: &mut Value, dialect: Dialect) -> Noted {
    let mut walk = Walk {
        dialect,
        noted: Noted::default(),
    };
    in_place(schema, &mut walk);
    walk.noted
}

/// Whether [`to_asyncapi_noting`] would leave `schema` exactly as it is and note nothing, so a
/// conversion may pass it by. Reads what [`forward`] and [`children_in_place`] read, writes
/// nothing: the loader asks while a schema it has just built is still in the cache.
pub(crate) fn unchanged_by_forward(schema: &Value, dialect: Dialect) -> bool {
    match schema {
        Value::Object(map) => object_unchanged(map, dialect),
        other => !holds_ref_key(other),
    }
}

fn object_unchanged(map: &Map<String, Value>, dialect: Dialect) -> bool {
    let facts = Facts::of(map, dialect);
    map.iter().all(|(k, v)| match facts.keeps(k, v) {
        Some(Some(kind)) => children_unchanged(kind, v, dialect),
        Some(None) if k == "$ref" => !v.as_str().is_some_and(asyncapi::points_into_record),
        Some(None) => !holds_ref_key(v),
        None => false,
    })
}

/// [`children_in_place`] without the writing.
fn children_unchanged(kind: Kind, value: &Value, dialect: Dialect) -> bool {
    let each = |v: &Value| unchanged_by_forward(v, dialect);
    match (kind, value) {
        (Kind::Schema | Kind::Items, v @ (Value::Object(_) | Value::Bool(_))) => each(v),
        (Kind::Items | Kind::SchemaArray, Value::Array(items)) => items.iter().all(each),
        (Kind::SchemaMap | Kind::Dependencies, Value::Object(map)) => map.values().all(each),
        (Kind::Names | Kind::Type, _) => true,
        (_, other) => !holds_ref_key(other),
    }
}

/// What [`Walk::note`] would note.
fn holds_ref_key(value: &Value) -> bool {
    (value.is_object() || value.is_array()) && has_ref_key(value)
}

/// One conversion's settings and findings.
#[derive(Debug, Clone, Copy)]
pub(super) struct Walk {
    pub(super) dialect: Dialect,
    noted: Noted,
}

impl Walk {
    /// A value written out without being converted: searched for `$ref`-like keys.
    #[inline]
    pub(super) fn note(&mut self, value: &Value) {
        if !self.noted.data_refs && (value.is_object() || value.is_array()) {
            self.noted.data_refs = has_ref_key(value);
        }
    }

    /// The value of a subschema's `$ref`.
    #[inline]
    pub(super) fn note_ref(&mut self, value: &Value) {
        if !self.noted.record_refs {
            self.noted.record_refs = value.as_str().is_some_and(asyncapi::points_into_record);
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

pub(super) fn in_place(schema: &mut Value, walk: &mut Walk) {
    match schema {
        Value::Object(map) => forward(map, walk),
        other => walk.note(other),
    }
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
            Some(None) if k == "$ref" => walk.note_ref(v),
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
pub(super) fn children_in_place(kind: Kind, value: &mut Value, walk: &mut Walk) {
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
