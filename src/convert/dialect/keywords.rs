//! The keywords both directions know: what draft-07 demands of each and where its subschemas
//! sit ([`Kind`], [`children`]), and the names of the `x-openapi-` markers.

use serde_json::{Map, Value};

pub(super) const MARKER_PREFIX: &str = "x-openapi-";
/// Holds input keys that collide with marker names, so they cannot be mistaken for markers.
pub(super) const ESCAPED: &str = "x-openapi-escaped";
pub(super) const SIMPLE_TYPES: [&str; 7] = [
    "array", "boolean", "integer", "null", "number", "object", "string",
];

/// What the draft-07 / AsyncAPI meta-schema demands of a keyword's value, and where
/// subschemas sit inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
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
pub(super) fn draft07_kind(keyword: &str) -> Option<Kind> {
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
pub(super) fn extra_kind(keyword: &str) -> Option<Kind> {
    match keyword {
        "$defs" | "dependentSchemas" => Some(Kind::SchemaMap),
        "prefixItems" => Some(Kind::SchemaArray),
        "unevaluatedProperties" | "unevaluatedItems" | "contentSchema" => Some(Kind::Schema),
        _ => None,
    }
}

/// The keyword a marker key carries (`x-openapi-type` -> `type`), if it is a marker name.
pub(super) fn marker_keyword(key: &str) -> Option<&str> {
    let keyword = key.strip_prefix(MARKER_PREFIX)?;
    (draft07_kind(keyword).is_some() || keyword == "prefixItems").then_some(keyword)
}

/// Keys an OpenAPI input may not use verbatim, because the reverse would read them as markers.
pub(super) fn is_reserved(key: &str) -> bool {
    key == ESCAPED || marker_keyword(key).is_some()
}

/// Keywords whose marker may sit next to a draft-07 rendering of the same keyword; the
/// marker then wins on the way back.
pub(super) fn override_marker(keyword: &str) -> Option<&'static str> {
    match keyword {
        "type" => Some("x-openapi-type"),
        "exclusiveMinimum" => Some("x-openapi-exclusiveMinimum"),
        "exclusiveMaximum" => Some("x-openapi-exclusiveMaximum"),
        "examples" => Some("x-openapi-examples"),
        "discriminator" => Some("x-openapi-discriminator"),
        _ => None,
    }
}

/// Applies `f`, in place, to every subschema of a schema object (draft-07 and 2020-12
/// positions alike).
pub(crate) fn for_each_subschema_mut(
    schema: &mut Map<String, Value>,
    f: &mut impl FnMut(&mut Value),
) {
    for (keyword, value) in schema.iter_mut() {
        let Some(kind) = draft07_kind(keyword).or_else(|| extra_kind(keyword)) else {
            continue;
        };
        match (kind, value) {
            (Kind::Schema | Kind::Items, v @ (Value::Object(_) | Value::Bool(_))) => f(v),
            (Kind::Items | Kind::SchemaArray, Value::Array(items)) => {
                items.iter_mut().for_each(&mut *f)
            }
            (Kind::SchemaMap | Kind::Dependencies, Value::Object(map)) => {
                map.values_mut().for_each(&mut *f)
            }
            _ => {}
        }
    }
}

/// Applies `f` to the subschemas of a keyword value, copying everything else.
pub(super) fn children(kind: Kind, value: &Value, f: &impl Fn(&Value) -> Value) -> Value {
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
