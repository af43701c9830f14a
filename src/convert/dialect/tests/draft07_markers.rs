//! Values draft-07 rejects go to `x-openapi-` markers (`required`, `$ref`, `externalDocs`, ...);
//! what it accepts, unknown keywords and extensions stay verbatim; input keys that collide with
//! marker names are escaped.

use serde_json::json;

use super::{there_and_back, D30, D31};

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
        let s = json!({"properties": {"a": false}, "additionalProperties": true, "items": true});
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
