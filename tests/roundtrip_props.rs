//! Property: randomly generated OpenAPI documents with webhooks and callbacks (methods, media
//! types, parameters, security, extensions, examples, `$ref`s) go to AsyncAPI and back exactly.
//! The document is built from a stream of random choices, so every case is a valid document.

use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// Draws choices from random bytes (cycling when they run out).
struct Choices {
    bytes: Vec<u8>,
    at: usize,
}

impl Choices {
    fn pick(&mut self, n: usize) -> usize {
        let b = self
            .bytes
            .get(self.at % self.bytes.len().max(1))
            .copied()
            .unwrap_or(0);
        self.at += 1;
        (b as usize) % n.max(1)
    }
    fn flip(&mut self) -> bool {
        self.pick(2) == 1
    }
    fn one<'a>(&mut self, options: &[&'a str]) -> &'a str {
        options[self.pick(options.len())]
    }
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
const MEDIA: [&str; 5] = [
    "application/json",
    "application/xml",
    "text/plain",
    "application/vnd.acme+json",
    "*/*",
];
const STATUS: [&str; 7] = ["200", "201", "204", "2XX", "default", "400", "503"];
const KEYS: [&str; 6] = [
    "{$request.body#/callbackUrl}",
    "{$request.query.hook}/events",
    "https://hooks.example.com/a?id={$request.body#/id}&x=1",
    "$response.header.Location",
    "{request.body#/broken}",
    "{$url}/done#frag",
];

fn schema(c: &mut Choices, v30: bool) -> Value {
    match c.pick(6) {
        0 => json!({"$ref": "#/components/schemas/Event"}),
        1 if v30 => json!({"type": "string", "nullable": true, "example": "on"}),
        1 => json!({"type": ["string", "null"], "examples": ["on"]}),
        2 if v30 => json!({"type": "integer", "minimum": 1, "exclusiveMinimum": true}),
        2 => json!({"type": "integer", "exclusiveMinimum": 1}),
        3 => {
            json!({"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}, "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}}}})
        }
        4 => {
            json!({"oneOf": [{"$ref": "#/components/schemas/Event"}, {"$ref": "#/components/schemas/Tag"}], "discriminator": {"propertyName": "kind", "mapping": {"e": "#/components/schemas/Event"}}})
        }
        _ => json!({"type": "string", "enum": ["yes", "no", "12:30"], "x-note": {"$ref": "data"}}),
    }
}

fn parameter(c: &mut Choices, v30: bool, i: usize) -> Value {
    if c.pick(5) == 0 {
        return json!({"$ref": "#/components/parameters/Trace"});
    }
    let location = c.one(&["header", "query", "cookie", "header"]);
    let mut p = json!({"name": format!("X-P{i}"), "in": location, "schema": schema(c, v30)});
    if c.flip() {
        p["required"] = json!(c.flip());
    }
    if c.flip() {
        p["description"] = json!("a parameter");
    }
    if c.pick(4) == 0 {
        p["style"] = json!("simple");
        p["x-param"] = json!(1);
    }
    p
}

fn media_type(c: &mut Choices, v30: bool) -> Value {
    let mut mt = Map::new();
    if c.pick(4) != 0 {
        mt.insert("schema".into(), schema(c, v30));
    }
    match c.pick(4) {
        0 => {
            mt.insert(
                "example".into(),
                json!({"id": "1", "$ref": "not a reference"}),
            );
        }
        1 => {
            mt.insert(
                "examples".into(),
                json!({"a": {"summary": "A", "value": {"id": "a"}}, "b": {"$ref": "#/components/examples/B"}, "c": {"externalValue": "https://e/x.json", "description": "d"}}),
            );
        }
        _ => {}
    }
    if c.pick(5) == 0 {
        mt.insert("x-mt".into(), json!(true));
    }
    Value::Object(mt)
}

fn content(c: &mut Choices, v30: bool) -> Value {
    let mut out = Map::new();
    for _ in 0..1 + c.pick(3) {
        let m = c.one(&MEDIA).to_string();
        let mt = media_type(c, v30);
        out.insert(m, mt);
    }
    Value::Object(out)
}

fn response(c: &mut Choices, v30: bool) -> Value {
    if c.pick(5) == 0 {
        return json!({"$ref": "#/components/responses/Ack"});
    }
    let mut r = json!({"description": c.one(&["ok", "", "yes"])});
    if c.flip() {
        r["content"] = content(c, v30);
    }
    if c.pick(3) == 0 {
        r["headers"] = json!({"X-Rate": {"schema": {"type": "integer"}, "required": true}, "X-Ref": {"$ref": "#/components/headers/Rate"}});
    }
    if c.pick(4) == 0 {
        r["links"] = json!({"self": {"operationId": "x"}});
    }
    r
}

fn operation(c: &mut Choices, v30: bool, id: &str, depth: usize) -> Value {
    let mut op = Map::new();
    if c.flip() {
        op.insert("operationId".into(), json!(id));
    }
    if c.flip() {
        op.insert("summary".into(), json!(format!("{id} summary")));
    }
    if c.pick(3) == 0 {
        op.insert("tags".into(), json!(["events", "on"]));
    }
    let n = c.pick(4);
    if n > 0 {
        let params: Vec<Value> = (0..n).map(|i| parameter(c, v30, i)).collect();
        let mut seen = std::collections::HashSet::new();
        let params: Vec<Value> = params
            .into_iter()
            .filter(|p| seen.insert(p.to_string()))
            .collect();
        op.insert("parameters".into(), Value::Array(params));
    }
    match c.pick(4) {
        0 => {}
        1 => {
            op.insert(
                "requestBody".into(),
                json!({"$ref": "#/components/requestBodies/Body"}),
            );
        }
        _ => {
            let mut body = json!({"content": content(c, v30)});
            if c.flip() {
                body["required"] = json!(true);
            }
            if c.flip() {
                body["description"] = json!("the event");
            }
            op.insert("requestBody".into(), body);
        }
    }
    if v30 || c.pick(4) != 0 {
        let mut responses = Map::new();
        for _ in 0..1 + c.pick(3) {
            let status = c.one(&STATUS).to_string();
            let r = response(c, v30);
            responses.insert(status, r);
        }
        op.insert("responses".into(), Value::Object(responses));
    }
    match c.pick(6) {
        0 => {
            op.insert("security".into(), json!([{"sig": []}]));
        }
        1 => {
            op.insert("security".into(), json!([{"oauth": ["read"]}, {"sig": []}]));
        }
        2 => {
            op.insert("security".into(), json!([{"sig": [], "oauth": []}, {}]));
        }
        3 => {
            op.insert("security".into(), json!([]));
        }
        _ => {}
    }
    if c.pick(4) == 0 {
        op.insert("deprecated".into(), json!(true));
        op.insert("x-op".into(), json!({"a": [1, 2]}));
        op.insert("x-bad/name".into(), json!("kept"));
    }
    if depth < 2 && c.pick(3) == 0 {
        op.insert("callbacks".into(), callbacks(c, v30, id, depth + 1));
    }
    Value::Object(op)
}

fn path_item(c: &mut Choices, v30: bool, id: &str, depth: usize) -> Value {
    if !v30 && c.pick(6) == 0 {
        return json!({"$ref": "#/components/pathItems/Shared"});
    }
    let mut item = Map::new();
    if c.pick(3) == 0 {
        item.insert("summary".into(), json!("item"));
    }
    if c.pick(4) == 0 {
        item.insert(
            "parameters".into(),
            json!([{"name": "X-Shared", "in": "header", "schema": {"type": "string"}}]),
        );
    }
    for _ in 0..1 + c.pick(3) {
        let m = c.one(&METHODS);
        let op = operation(c, v30, &format!("{id}-{m}"), depth);
        item.insert(m.to_string(), op);
    }
    Value::Object(item)
}

fn callbacks(c: &mut Choices, v30: bool, id: &str, depth: usize) -> Value {
    let mut out = Map::new();
    for i in 0..1 + c.pick(2) {
        if c.pick(5) == 0 {
            out.insert(
                format!("cb{i}"),
                json!({"$ref": "#/components/callbacks/Shared"}),
            );
            continue;
        }
        let mut cb = Map::new();
        for _ in 0..1 + c.pick(2) {
            let key = c.one(&KEYS).to_string();
            let item = path_item(c, v30, &format!("{id}-cb{i}"), depth);
            cb.insert(key, item);
        }
        if v30 && c.pick(4) == 0 {
            cb.insert("x-cb".into(), json!(1));
        }
        out.insert(format!("cb{i}"), Value::Object(cb));
    }
    Value::Object(out)
}

fn document(bytes: Vec<u8>) -> Value {
    let mut c = Choices { bytes, at: 0 };
    let v30 = c.flip();
    let mut doc = json!({
        "openapi": if v30 { "3.0.3" } else { "3.1.0" },
        "info": {"title": "Generated", "version": "1.0"},
    });
    let mut hooks = Map::new();
    for i in 0..c.pick(4) {
        hooks.insert(
            format!("event-{i}"),
            path_item(&mut c, v30, &format!("hook{i}"), 0),
        );
    }
    doc[if v30 { "x-webhooks" } else { "webhooks" }] = Value::Object(hooks);
    let mut paths = Map::new();
    for i in 0..c.pick(3) {
        let mut op = operation(&mut c, v30, &format!("path{i}"), 0);
        op["callbacks"] = callbacks(&mut c, v30, &format!("path{i}"), 1);
        paths.insert(format!("/things/{i}"), json!({"post": op}));
    }
    doc["paths"] = Value::Object(paths);
    doc["components"] = json!({
        "schemas": {
            "Event": {"type": "object", "properties": {"kind": {"type": "string"}, "next": {"$ref": "#/components/schemas/Event"}}},
            "Tag": {"type": "string", "nullable": v30}
        },
        "parameters": {"Trace": {"name": "X-Trace", "in": "header", "schema": {"type": "string"}}},
        "requestBodies": {"Body": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Event"}}}}},
        "responses": {"Ack": {"description": "ack"}},
        "headers": {"Rate": {"schema": {"type": "integer"}}},
        "examples": {"B": {"value": {"id": "b"}}},
        "callbacks": {"Shared": {"{$request.body#/url}": {"post": {"responses": {"200": {"description": "ok"}}}}}},
        "securitySchemes": {
            "sig": {"type": "apiKey", "in": "header", "name": "X-Signature"},
            "oauth": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://t", "scopes": {"read": "r"}}}}
        }
    });
    if !v30 {
        doc["components"]["pathItems"] =
            json!({"Shared": {"post": {"responses": {"200": {"description": "ok"}}}}});
        if c.flip() {
            // A path that is only a `$ref` to a component whose operation has callbacks.
            let mut cbs = callbacks(&mut c, v30, "shared", 1);
            inline_shared_items(&mut cbs);
            doc["components"]["pathItems"]["Shared"]["post"]["callbacks"] = cbs;
            doc["paths"]["/shared"] = json!({"$ref": "#/components/pathItems/Shared"});
        }
    } else {
        doc["components"]["schemas"]["Tag"] = json!({"type": "string", "nullable": true});
    }
    if c.flip() {
        doc["x-root"] = json!({"$ref": "data"});
        doc["servers"] = json!([{"url": "https://api.example.com"}]);
        doc["security"] = json!([{"oauth": ["read"]}]);
    }
    doc
}

/// Replaces `$ref`s to the Shared path item (a cycle inside Shared itself) by an inline one.
fn inline_shared_items(v: &mut Value) {
    match v {
        Value::Object(m) if m.get("$ref") == Some(&json!("#/components/pathItems/Shared")) => {
            *v = json!({"post": {"responses": {"200": {"description": "ok"}}}});
        }
        Value::Object(m) => m.values_mut().for_each(inline_shared_items),
        Value::Array(a) => a.iter_mut().for_each(inline_shared_items),
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn generated_documents_round_trip_exactly(bytes in proptest::collection::vec(any::<u8>(), 1..400)) {
        let value = document(bytes);
        let doc = hookbridge::Document { name: "generated.yaml".into(), syntax: hookbridge::Syntax::Yaml, value: value.clone() };
        for events_only in [false, true] {
            let trip = hookbridge::roundtrip(&doc, &Default::default(), events_only).expect("converts");
            prop_assert!(trip.differences.is_empty(), "events_only={events_only}: {:#?}\ndocument: {}", trip.differences, serde_json::to_string_pretty(&value).unwrap_or_default());
        }
    }
}

#[test]
fn the_generator_makes_webhooks_and_callbacks() {
    let doc = document((0..=255).collect());
    let text = doc.to_string();
    assert!(
        text.contains("callbacks")
            && (text.contains("\"webhooks\"") || text.contains("x-webhooks")),
        "{text}"
    );
}
