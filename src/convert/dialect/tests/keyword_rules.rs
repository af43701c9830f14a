//! The dialects' own keywords, rule by rule: 3.0 `nullable`, boolean bounds and `example`,
//! discriminator objects, 3.1 `prefixItems` tuples, and the odd values of each.

use serde_json::json;

use super::{assert_same_order, there_and_back, D30, D31};

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
    let s =
        json!({"items": [{"type": "string", "nullable": true}], "prefixItems": [{"example": 1}]});
    let a = there_and_back(&s, D30);
    assert_eq!(
        a,
        json!({"items": [{"type": ["string", "null"]}], "prefixItems": [{"examples": [1]}]})
    );
}
