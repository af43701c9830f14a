//! Generators for the property tests: OpenAPI schemas with both dialects' odd cases, keyword
//! soup (any JSON with keyword names), hand-written-style AsyncAPI schemas and example data.

use proptest::prelude::*;
use proptest::strategy::Union;
use serde_json::{json, Map, Value};

use super::asyncapi_check::TYPES;

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
pub(super) fn data() -> BoxedStrategy<Value> {
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
pub(super) fn oas_schema() -> BoxedStrategy<Value> {
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
pub(super) fn keyword_soup() -> BoxedStrategy<Value> {
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
pub(super) fn asyncapi_schema() -> BoxedStrategy<Value> {
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
