//! Unit tests of the breaking-change rules and the schema comparison.

use std::collections::BTreeSet;

use super::schema::types_within;
use super::*;

#[test]
fn breaking_is_mirrored_for_what_subscribers_send() {
    for kind in [
        kinds::REQUIRED_ADDED,
        kinds::TYPE_NARROWED,
        kinds::ENUM_VALUE_REMOVED,
        kinds::CONSTRAINT_TIGHTENED,
        kinds::MEDIA_TYPE_REMOVED,
    ] {
        assert!(!is_breaking(kind, Dir::Receives), "{kind}");
        assert!(is_breaking(kind, Dir::Sends), "{kind}");
    }
    for kind in [
        kinds::PROPERTY_REMOVED,
        kinds::REQUIRED_REMOVED,
        kinds::TYPE_WIDENED,
        kinds::ENUM_VALUE_ADDED,
        kinds::CONSTRAINT_LOOSENED,
        kinds::MEDIA_TYPE_ADDED,
    ] {
        assert!(is_breaking(kind, Dir::Receives), "{kind}");
        assert!(!is_breaking(kind, Dir::Sends), "{kind}");
    }
    let ints = BTreeSet::from(["integer".to_string()]);
    let nums = BTreeSet::from(["number".to_string(), "null".to_string()]);
    assert!(types_within(&ints, &nums) && !types_within(&nums, &ints));
}

fn doc(text: &str) -> Document {
    crate::document::load::parse_str(text, "t.yaml", &Default::default()).unwrap()
}

fn hook(schema: &str) -> Document {
    doc(&format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\nx-webhooks:\n  e:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {schema}\n      responses: {{'200': {{description: ok}}}}\n"
    ))
}

fn kinds_of(old: &str, new: &str) -> Vec<(&'static str, bool)> {
    let changes = diff(&hook(old), &hook(new)).unwrap();
    changes.iter().map(|c| (c.kind, c.breaking)).collect()
}

#[test]
fn closed_schemas_and_the_30_dialect() {
    // A receiver promised "no other properties" may reject a new one.
    let closed = "{type: object, additionalProperties: false, properties: {a: {type: string}}}";
    let opened = "{type: object, additionalProperties: false, properties: {a: {type: string}, b: {type: string}}}";
    assert_eq!(kinds_of(closed, opened), [(kinds::PROPERTY_ADDED, true)]);
    // OpenAPI 3.0 `nullable` widens the type.
    let plain = "{type: object, properties: {a: {type: string}}}";
    let nullable = "{type: object, properties: {a: {type: string, nullable: true}}}";
    assert_eq!(kinds_of(plain, nullable), [(kinds::TYPE_WIDENED, true)]);
    // allOf branches are merged before comparing.
    let all_of = "{allOf: [{type: object, properties: {a: {type: string}}}, {required: [a]}]}";
    assert_eq!(kinds_of(plain, all_of), [(kinds::REQUIRED_ADDED, false)]);
}

#[test]
fn recursive_schemas_end() {
    let tree = |extra: &str| {
        format!("{{$ref: '#/components/schemas/Node'}}\ncomponents:\n  schemas:\n    Node:\n      type: object\n      properties:\n        left: {{$ref: '#/components/schemas/Node'}}\n        right: {{$ref: '#/components/schemas/Node'}}{extra}")
    };
    let old = hook(&tree(""));
    let new = hook(&tree("\n        label: {type: string}"));
    let changes = diff(&old, &new).unwrap();
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(changes[0].kind, kinds::PROPERTY_ADDED);
}
