//! Recursion: every subschema position is converted, at any depth and in linear time; data
//! keywords and property names never are; non-schema values come back unchanged.

use serde_json::{json, Map, Value};

use super::{there_and_back, D30, D31};
use crate::convert::dialect::{to_asyncapi, to_openapi};

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

/// A wide schema round-trips; its speed is the benchmark's business (bench/README.md), not a
/// timed unit test's, which flakes on a loaded machine.
#[test]
fn large_documents_round_trip() {
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
    there_and_back(&s, D30);
}
