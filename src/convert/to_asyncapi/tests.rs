//! The conversion as a whole: the owned conversion gives what the borrowed one gives, and the
//! reference check agrees with the implementation it replaced.

use std::collections::HashSet;

use serde_json::{json, Value};

use super::ref_check::{check_local_refs, Token};
use super::{convert, convert_owned, Obj, Options, Perspective, SchemaFormat};
use crate::convert::dialect::Dialect;
use crate::diagnostics::{codes, Diagnostic, Error};
use crate::document::pointer;
use crate::openapi;

fn option_sets() -> Vec<Options> {
    let mut sets = Vec::new();
    for perspective in [Perspective::Provider, Perspective::Consumer] {
        for include_paths in [false, true] {
            for schema_format in [SchemaFormat::AsyncApi, SchemaFormat::OpenApi] {
                sets.push(Options {
                    perspective,
                    include_paths,
                    schema_format,
                });
            }
        }
    }
    sets
}

/// The owned conversion (moving parts of the input) gives exactly what the borrowed one
/// gives: the same document, key order included, and the same diagnostics or error.
fn assert_owned_matches(doc: &Value, file: &str) {
    let Ok(openapi::Kind::OpenApi(version)) = openapi::detect(doc, file) else {
        panic!("{file}: not an OpenAPI document");
    };
    for options in option_sets() {
        let borrowed = convert(doc, &version, file, &options);
        let owned = convert_owned(doc.clone(), &version, file, &options);
        match (borrowed, owned) {
            (Ok(a), Ok(b)) => {
                assert_eq!(
                    a.document.to_string(),
                    b.document.to_string(),
                    "{file} {options:?}"
                );
                assert_eq!(
                    format!("{:?}", a.diagnostics),
                    format!("{:?}", b.diagnostics),
                    "{file} {options:?}"
                );
            }
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{file}"),
            (a, b) => panic!("{file} {options:?}: {a:?} but owned: {b:?}"),
        }
    }
}

// ---- the reference check against the implementation it replaced ----

fn reference_check_local_refs(doc: &Value, file: &str, scan: bool) -> Result<bool, Error> {
    let mut check = OldRefCheck {
        doc,
        resolved: HashSet::new(),
        track: false,
        path: Vec::new(),
        scan,
        outside: false,
    };
    // A first pass without keeping the path; when it finds something, a second one does.
    let found = check.find_broken_ref(doc, false).is_some().then(|| {
        check.track = true;
        check.find_broken_ref(doc, false)
    });
    match found.flatten() {
        Some(r) => {
            let at = pointer::join(check.path.iter().map(|t: &Token| t.to_string()));
            let msg = format!("`$ref` target `{r}` does not exist in this document");
            Err(Diagnostic::error(codes::UNRESOLVED_REF, file, &at, msg).into())
        }
        None => Ok(scan && !check.outside),
    }
}

// Depth-first search for a local `$ref` that does not resolve.
struct OldRefCheck<'v> {
    doc: &'v Value,
    /// References already looked up (and found): most are used many times.
    resolved: HashSet<&'v str>,
    /// Keep `path`.
    track: bool,
    /// Ends at the broken `$ref`'s object once one is found (when `track`).
    path: Vec<Token<'v>>,
    /// Look at the references in data too, for `outside`.
    scan: bool,
    /// A local reference points outside `#/components/`.
    outside: bool,
}

impl<'v> OldRefCheck<'v> {
    fn find_broken_ref(&mut self, node: &'v Value, example_map: bool) -> Option<&'v str> {
        match node {
            Value::Object(m) => {
                // A scan, not a hashed look-up: objects are small, and most have no `$ref`.
                let r = m.iter().find(|(k, _)| *k == "$ref").map(|(_, v)| v);
                if let Some(Value::String(r)) = r {
                    if r.starts_with('#') {
                        self.outside |= !r.starts_with("#/components/");
                        if !self.resolves(r) {
                            return Some(r);
                        }
                    }
                }
                for (k, child) in m {
                    if !(child.is_object() || child.is_array()) {
                        continue;
                    }
                    let data = matches!(k.as_str(), "example" | "default" | "enum" | "const")
                        || k.starts_with("x-");
                    if data
                        || (example_map && k == "value")
                        || (k == "examples" && child.is_array())
                    {
                        self.scan_data(child);
                        continue;
                    }
                    // A map of Example Objects: their `value`s are data.
                    let examples = k == "examples" && child.is_object();
                    self.push(Token::Key(k));
                    let found = match (examples, child) {
                        (true, Value::Object(entries)) => entries.iter().find_map(|(name, e)| {
                            self.push(Token::Key(name));
                            let r = self.find_broken_ref(e, true);
                            if r.is_none() {
                                self.pop();
                            }
                            r
                        }),
                        _ => self.find_broken_ref(child, false),
                    };
                    if found.is_some() {
                        return found;
                    }
                    self.pop();
                }
                None
            }
            Value::Array(a) => {
                for (i, child) in a.iter().enumerate() {
                    if !(child.is_object() || child.is_array()) {
                        continue;
                    }
                    self.push(Token::Index(i));
                    if let Some(r) = self.find_broken_ref(child, false) {
                        return Some(r);
                    }
                    self.pop();
                }
                None
            }
            _ => None,
        }
    }

    fn push(&mut self, token: Token<'v>) {
        if self.track {
            self.path.push(token);
        }
    }

    fn pop(&mut self) {
        if self.track {
            self.path.pop();
        }
    }

    /// Data is not checked, but with `scan` its local references count for `outside`.
    fn scan_data(&mut self, node: &Value) {
        if !self.scan || self.outside {
            return;
        }
        match node {
            Value::Object(m) => {
                for (k, child) in m {
                    match child {
                        Value::String(r) if k == "$ref" => {
                            self.outside |= r.starts_with('#') && !r.starts_with("#/components/");
                        }
                        Value::Object(_) | Value::Array(_) => self.scan_data(child),
                        _ => {}
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|c| self.scan_data(c)),
            _ => {}
        }
    }

    fn resolves(&mut self, r: &'v str) -> bool {
        if self.resolved.contains(r) {
            return true;
        }
        let found = openapi::lookup(self.doc, r).is_some();
        if found {
            self.resolved.insert(r);
        }
        found
    }
}

/// The same error, and movable only where the previous check said so (it may be more
/// careful: it also counts the `$ref` of a map of Example Objects).
fn assert_check_matches(doc: &Value) {
    for scan in [false, true] {
        let got = check_local_refs(doc, "f", scan).map_err(|e| e.to_string());
        let want = reference_check_local_refs(doc, "f", scan).map_err(|e| e.to_string());
        match (&got, &want) {
            (Ok(movable), Ok(was)) => assert!(!movable || *was, "{doc}"),
            _ => assert_eq!(got, want, "{doc}"),
        }
    }
}

fn ref_doc() -> impl proptest::strategy::Strategy<Value = Value> {
    use proptest::prelude::*;
    let refs = prop::sample::select(vec![
        "#/components/schemas/A",
        "#/components/schemas/nope",
        "#/webhooks/w",
        "#/nowhere",
        "#",
        "other.yaml#/x",
        "#/components/examples/E/value",
    ]);
    let keys = prop::sample::select(vec![
        "a",
        "$ref",
        "example",
        "examples",
        "value",
        "default",
        "enum",
        "const",
        "x-e",
        "schemas",
        "properties",
        "items",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        refs.clone().prop_map(|r| json!({"$ref": r})),
        refs.prop_map(|r| Value::String(r.to_string())),
    ];
    leaf.prop_recursive(5, 60, 5, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((keys.clone(), inner), 0..5).prop_map(|entries| {
                Value::Object(
                    entries
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect(),
                )
            }),
        ]
    })
    .prop_map(|body| {
        json!({
            "openapi": "3.1.0",
            "body": body,
            "webhooks": {"w": {}},
            "components": {"schemas": {"A": {}}, "examples": {"E": {"value": 1}}}
        })
    })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, ..Default::default() })]
    #[test]
    fn reference_check_matches_the_previous_one(doc in ref_doc()) {
        assert_check_matches(&doc);
    }
}

#[test]
fn reference_check_matches_on_samples() {
    assert_check_matches(&webhook_doc());
    let mut d = webhook_doc();
    d["webhooks"]["example"]["post"]["parameters"][0] = json!({"$ref": "#/nowhere"});
    d["components"]["examples"]["X"] = json!({"$ref": "#/nowhere", "value": {"$ref": "#/no"}});
    assert_check_matches(&d);
    d["paths"] = json!({"/p": {"get": {"responses": {"200": {"content": {"a/b": {"examples": {"$ref": "#/bad", "e": {"value": {"$ref": "#/bad"}, "x": {"$ref": "#/bad2"}}}}}}}}}});
    assert_check_matches(&d);
}

#[test]
fn owned_conversion_matches_on_every_sample() {
    for (name, doc) in sample_documents() {
        assert_owned_matches(&doc, &name);
    }
}

/// Webhooks that exercise every place the owned walk moves something out of its input.
fn webhook_doc() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1", "x-a/b": 1},
        "webhooks": {
            "full": {
                "summary": "item summary",
                "description": "item description",
                "parameters": [
                    {"name": "X-Shared", "in": "header", "schema": {"type": "string"}},
                    {"name": "q", "in": "query", "schema": {"type": "integer"}}
                ],
                "x-item": {"k": [1, 2]},
                "servers": [{"url": "https://e.com"}],
                "post": {
                    "operationId": "fullPost",
                    "summary": "s",
                    "description": "d",
                    "tags": ["a", "b"],
                    "externalDocs": {"url": "https://e.com", "x-c/d": 2},
                    "security": [{"missing": []}],
                    "parameters": [
                        {"name": "X-Shared", "in": "header", "required": true,
                         "schema": {"type": "string", "example": "overrides the item's"}},
                        {"name": "X-Dup", "in": "header", "schema": {"type": "string"}},
                        {"name": "X-Dup", "in": "header", "schema": {"type": "number"}},
                        {"name": "X-Content", "in": "header",
                         "content": {"text/plain": {"schema": {"type": "string", "const": "c"}}}},
                        {"name": "X-Both", "in": "header", "schema": {"type": "boolean"},
                         "content": {"text/plain": {"schema": {"type": "string"}}}},
                        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                        {"name": "id", "in": "path", "schema": {"type": "string"}},
                        {"name": "c", "in": "cookie", "schema": {"type": "string"}},
                        {"in": "header", "schema": {"type": "string"}},
                        {"$ref": "#/components/parameters/Trace"},
                        {"$ref": "#/components/parameters/Trace", "schema": {"type": "string"}},
                        "not a parameter"
                    ],
                    "requestBody": {
                        "description": "the body",
                        "required": true,
                        "x-body": 1,
                        "content": {
                            "application/json": {
                                "schema": {"type": "object", "discriminator": {"propertyName": "k"},
                                           "properties": {"k": {"type": "string"}}},
                                "example": {"k": "v", "$ref": "data"},
                                "examples": {
                                    "one": {"summary": "first", "value": {"k": "1"}, "x-e": 1},
                                    "two": {"value": {"k": "2"}},
                                    "ref": {"$ref": "#/components/examples/E"},
                                    "bare": {"externalValue": "https://e.com/x"}
                                },
                                "encoding": {"k": {"contentType": "text/plain"}}
                            },
                            "application/xml": {"schema": {"$ref": "#/components/schemas/S"}},
                            "text/plain": "not a media type"
                        }
                    },
                    "responses": {
                        "200": {"description": "ok",
                                "headers": {"X-R": {"schema": {"type": "string"}, "required": true}},
                                "content": {"application/json": {"schema": {"type": "string"}}}},
                        "4XX": {"$ref": "#/components/responses/Bad"},
                        "x-resp": true
                    },
                    "callbacks": {
                        "onEvent": {
                            "x-before": 1,
                            "{$request.body#/url}": {
                                "post": {
                                    "requestBody": {"content": {"application/json": {"schema": {"type": "string"}}}},
                                    "responses": {"200": {"description": "ok"}}
                                }
                            },
                            "x-after": 2
                        },
                        "shared": {"$ref": "#/components/callbacks/CB"}
                    },
                    "deprecated": true,
                    "x-op": {"$ref": "data, not a reference"},
                    "x-openapi-reserved": 1
                },
                "get": "not an operation"
            },
            "by-ref": {"$ref": "#/components/pathItems/P", "summary": "sibling wins"},
            "by-ref-alone": {"$ref": "#/components/pathItems/P"},
            "body-ref": {"post": {"requestBody": {"$ref": "#/components/requestBodies/B"}}},
            "no-body": {"put": {"parameters": [{"name": "H", "in": "header", "schema": {"type": "string"}}]}},
            "odd-body": {"post": {"requestBody": "text"}},
            "example": {"post": {"parameters": [{"$ref": "#/components/parameters/Trace"}]}},
            "not-an-item": 5
        },
        "components": {
            "schemas": {"S": {"type": "string", "nullable": true}},
            "parameters": {"Trace": {"name": "X-Trace", "in": "header", "schema": {"type": "string"}}},
            "examples": {"E": {"value": 1}},
            "requestBodies": {"B": {"content": {"application/json": {"schema": {"type": "integer"}}}}},
            "responses": {"Bad": {"description": "bad"}},
            "callbacks": {"CB": {"{$request.query.cb}": {"post": {"responses": {"204": {"description": "no"}}}}}},
            "pathItems": {"P": {"summary": "target", "post": {"responses": {"200": {"description": "ok"}}}}}
        },
        "x-root": 1
    })
}

#[test]
fn owned_conversion_matches_on_edge_cases() {
    let doc = webhook_doc();
    assert_eq!(check_local_refs(&doc, "f", true).ok(), Some(true));
    let version = openapi::Version {
        raw: "3.1.0".into(),
        dialect: Dialect::Oas31,
    };
    let out = convert(&doc, &version, "f", &Options::default()).unwrap();
    assert_eq!(out.document["channels"].as_object().map(Obj::len), Some(9));
    assert_owned_matches(&doc, "webhooks.json");

    // 3.0 with both spellings of webhooks.
    let mut d30 = doc.clone();
    d30["openapi"] = json!("3.0.3");
    d30["x-webhooks"] = d30["webhooks"].clone();
    assert_owned_matches(&d30, "webhooks-30.json");

    // A reference into the webhooks: they cannot be taken out of the document.
    let mut into = doc.clone();
    into["webhooks"]["alias"] = json!({"$ref": "#/webhooks/full"});
    assert_eq!(check_local_refs(&into, "f", true).ok(), Some(false));
    assert_owned_matches(&into, "into.json");
    let mut from_data = doc.clone();
    from_data["components"]["examples"]["F"] = json!({"value": {"$ref": "#/webhooks/full"}});
    assert_eq!(check_local_refs(&from_data, "f", true).ok(), Some(false));
    assert_owned_matches(&from_data, "from-data.json");

    // Errors come out the same.
    let mut broken = doc.clone();
    broken["webhooks"]["full"]["post"]["parameters"][0] = json!({"$ref": "#/nowhere"});
    assert_owned_matches(&broken, "broken.json");
    let mut broken_late = doc.clone();
    broken_late["webhooks"]["example"]["post"]["parameters"][0] = json!({"$ref": "#/nowhere"});
    assert_owned_matches(&broken_late, "broken-late.json");

    let mut not_a_map = doc;
    not_a_map["webhooks"] = json!(["a"]);
    assert_owned_matches(&not_a_map, "not-a-map.json");
}

/// The conversion of an OpenAPI document with default options, checked against the owned one.
fn converted(doc: &Value) -> super::Output {
    assert_owned_matches(doc, "t.yaml");
    let Ok(openapi::Kind::OpenApi(version)) = openapi::detect(doc, "t") else {
        panic!("not OpenAPI")
    };
    convert(doc, &version, "t", &Options::default()).unwrap()
}

/// The pointers of the diagnostics with `code`, in order.
fn warned_at<'o>(out: &'o super::Output, code: &str) -> Vec<&'o str> {
    let of_code = out.diagnostics.iter().filter(|d| d.code == code);
    of_code.map(|d| d.pointer.as_str()).collect()
}

/// OpenAPI 3.2 methods: the binding names what its enum has, the rest is recorded and warned
/// about; the owned conversion agrees.
#[test]
fn openapi_32_methods_in_the_binding() {
    let doc = json!({
        "openapi": "3.2.0", "info": {"title": "T", "version": "1"},
        "webhooks": {"w": {
            "query": {"operationId": "q"},
            "additionalOperations": {"CONNECT": {"operationId": "c"}, "connect": {"operationId": "l"}, "LINK": {"operationId": "k"}}
        }}
    });
    let out = converted(&doc);
    let ops = &out.document["operations"];
    let method = |k: &str| ops[k]["bindings"]["http"].get("method").cloned();
    assert_eq!(method("q"), None);
    assert_eq!(ops["q"]["x-openapi-method"], "query");
    assert_eq!(method("c"), Some(json!("CONNECT")));
    assert_eq!(method("l"), None, "methods are case-sensitive");
    assert_eq!(ops["l"]["x-openapi-additional-operation"], "connect");
    assert_eq!(method("k"), None);
    assert_eq!(
        warned_at(&out, codes::METHOD_NOT_IN_BINDING),
        [
            "/webhooks/w/query",
            "/webhooks/w/additionalOperations/connect",
            "/webhooks/w/additionalOperations/LINK"
        ]
    );
}

/// Before 3.2, the OAI registry's `x-oai-additionalOperations` (what `--openapi-version 3.1`
/// writes for 3.2's `query` and `additionalOperations`) is not read as operations: a warning
/// says its events are not converted, and it rides on the channel for the way back.
#[test]
fn x_oai_additional_operations_before_32_are_kept_and_warned_about() {
    let more = json!({"QUERY": {"operationId": "q"}});
    let doc = json!({
        "openapi": "3.1.0", "info": {"title": "T", "version": "1"},
        "webhooks": {"w": {"post": {"operationId": "p"}, "x-oai-additionalOperations": more}}
    });
    let out = converted(&doc);
    let ops = out.document["operations"].as_object().unwrap();
    assert_eq!(ops.keys().collect::<Vec<_>>(), ["p"]);
    assert_eq!(
        out.document["channels"]["w"]["x-oai-additionalOperations"],
        more
    );
    assert_eq!(
        warned_at(&out, codes::LOSSY),
        ["/webhooks/w/x-oai-additionalOperations"]
    );
    let back = crate::convert::to_openapi::convert(&out.document, "t").unwrap();
    assert_eq!(back.document, doc);
}

/// The walk that points references into the record passes the component schemas by when
/// their conversion noted no such reference: a full walk over the output finds nothing left
/// to point (the mapping is idempotent), on the samples and on schemas whose `$ref` is kept in
/// place or met while the object is rebuilt (3.0 `example`), nested or at the top.
#[test]
fn no_reference_into_the_record_is_passed_by() {
    let mut docs: Vec<(String, Value)> = sample_documents();
    for (openapi, schema) in [
        ("3.1.0", json!({"$ref": "#/components/parameters/P/schema"})),
        (
            "3.1.0",
            json!({"properties": {"a": {"items": {"$ref": "#/components/parameters/P/schema"}}}}),
        ),
        (
            "3.0.3",
            json!({"example": 1, "$ref": "#/components/parameters/P/schema"}),
        ),
    ] {
        let mut doc = webhook_doc();
        doc["openapi"] = json!(openapi);
        doc["components"]["parameters"]["P"] =
            json!({"name": "p", "in": "query", "schema": {"type": "string"}});
        doc["components"]["schemas"]["Pointing"] = schema;
        docs.push((format!("pointing-{openapi}.json"), doc));
    }
    let mut pointed = 0;
    for (file, doc) in docs {
        let Ok(openapi::Kind::OpenApi(version)) = openapi::detect(&doc, &file) else {
            panic!("{file}: not an OpenAPI document");
        };
        for options in option_sets() {
            let Ok(out) = convert_owned(doc.clone(), &version, &file, &options) else {
                continue;
            };
            let mut again = out.document.clone();
            if let Some(root) = again.as_object_mut() {
                root.shift_remove("x-openapi");
            }
            let before = again.clone();
            crate::asyncapi::map_schema_refs(&mut again, &crate::asyncapi::ref_into_record);
            assert_eq!(before, again, "{file} {options:?}");
            pointed += usize::from(
                before["components"]["schemas"]["Pointing"]
                    .to_string()
                    .contains("#/x-openapi/components/parameters/P/schema"),
            );
        }
    }
    assert!(pointed >= 3, "the pointing schemas were pointed: {pointed}");
}

fn sample_documents() -> Vec<(String, Value)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/openapi");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "json")
            )
        })
        .collect();
    files.push(dir.join("multi-file/openapi.yaml"));
    files.sort();
    assert!(files.len() >= 8);
    let options = crate::document::refs::BundleOptions {
        root: None,
        limits: Default::default(),
    };
    files
        .iter()
        .map(|file| {
            let doc = crate::document::refs::bundle(file, &options)
                .unwrap()
                .document;
            (doc.name, doc.value)
        })
        .collect()
}
