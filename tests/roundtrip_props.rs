//! Property: randomly generated OpenAPI documents with webhooks and callbacks (methods, media
//! types, parameters, security, extensions, examples, `$ref`s) go to AsyncAPI and back exactly.
//! The document is built from a stream of random choices, so every case is a valid document.

use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// Draws choices from random bytes (cycling when they run out).
struct Choices {
    bytes: Vec<u8>,
    at: usize,
    /// The document is OpenAPI 3.2: the generators add its constructs.
    v32: bool,
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
/// `additionalOperations` keys (3.2): registered methods, CONNECT (which AsyncAPI's binding
/// has), and odd token names (`~` needs escaping in a JSON pointer; `query` and `Get` are not
/// the fields of those names: method names are case-sensitive).
const ADDITIONAL: [&str; 7] = ["LINK", "PURGE", "CONNECT", "x-lock", "a~b", "query", "Get"];
const MEDIA: [&str; 5] = [
    "application/json",
    "application/xml",
    "text/plain",
    "application/vnd.acme+json",
    "*/*",
];
/// Sequential media types (3.2 streams), with a parameter and in another case for some.
const SEQUENTIAL: [&str; 6] = [
    "text/event-stream",
    "application/jsonl",
    "application/x-ndjson",
    "application/json-seq",
    "Text/Event-Stream; charset=utf-8",
    "application/geo+json-seq",
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
    if c.v32 && c.pick(4) == 0 {
        return match c.pick(3) {
            0 => json!({"$ref": "#/components/parameters/Filter"}),
            1 => {
                json!({"name": format!("q{i}"), "in": "querystring", "content": {"application/json": {"schema": {"type": "object"}}}})
            }
            _ => {
                json!({"name": format!("q{i}"), "in": "querystring", "description": "form", "content": {"application/x-www-form-urlencoded": {"schema": schema(c, v30), "examples": {"f": {"dataValue": {"a": 1}, "serializedValue": "a=1"}}}}})
            }
        };
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
    if c.v32 && c.pick(4) == 0 {
        return json!({"$ref": "#/components/mediaTypes/Form"});
    }
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

/// A stream (3.2): `itemSchema` (an SSE event with `data` and the other fields, or without
/// `data`, or any schema), with or without the other Media Type fields.
fn stream_media_type(c: &mut Choices, v30: bool) -> Value {
    if c.pick(6) == 0 {
        return json!({"$ref": "#/components/mediaTypes/Lines"});
    }
    let item = match c.pick(5) {
        4 => {
            json!({"oneOf": [{"type": "object", "properties": {"event": {"const": "a"}, "data": schema(c, v30)}}, {"properties": {"event": {"enum": ["b"]}, "id": {"type": "string"}, "data": {"type": "string"}}, "required": ["data"]}], "description": "events"})
        }
        0 => {
            json!({"type": "object", "required": ["data"], "properties": {"event": {"type": "string", "const": "tick"}, "data": schema(c, v30), "id": {"type": "string"}, "retry": {"type": "integer", "minimum": 0}}, "x-sse": 1})
        }
        1 => {
            json!({"type": "object", "properties": {"data": {"type": "string", "contentMediaType": "application/json", "contentSchema": schema(c, v30)}}})
        }
        2 => json!({"type": "object", "properties": {"payload": schema(c, v30)}}),
        _ => schema(c, v30),
    };
    let mut mt = Map::new();
    if c.flip() {
        mt.insert("description".into(), json!("a stream"));
    }
    mt.insert("itemSchema".into(), item);
    if c.pick(3) == 0 {
        mt.insert("example".into(), json!({"id": "1"}));
    }
    if c.pick(4) == 0 {
        mt.insert("x-mt".into(), json!(true));
    }
    Value::Object(mt)
}

fn content(c: &mut Choices, v30: bool) -> Value {
    let mut out = Map::new();
    for _ in 0..1 + c.pick(3) {
        let (m, mt) = if c.v32 && c.pick(3) == 0 {
            (c.one(&SEQUENTIAL).to_string(), stream_media_type(c, v30))
        } else {
            (c.one(&MEDIA).to_string(), media_type(c, v30))
        };
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
        let m = if c.v32 && c.pick(4) == 0 {
            "query"
        } else {
            c.one(&METHODS)
        };
        let op = operation(c, v30, &format!("{id}-{m}"), depth);
        item.insert(m.to_string(), op);
    }
    if c.v32 && c.flip() {
        let mut more = Map::new();
        for _ in 0..1 + c.pick(2) {
            let m = c.one(&ADDITIONAL);
            let op = operation(c, v30, &format!("{id}-x{}", more.len()), depth);
            more.insert(m.to_string(), op);
        }
        item.insert("additionalOperations".into(), Value::Object(more));
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
    let mut c = Choices {
        bytes,
        at: 0,
        v32: false,
    };
    let v30 = c.flip();
    c.v32 = !v30 && c.flip();
    let version = match (v30, c.v32) {
        (true, _) => "3.0.3",
        (_, true) => "3.2.0",
        _ => "3.1.0",
    };
    let mut doc = json!({
        "openapi": version,
        "info": {"title": "Generated", "version": "1.0"},
    });
    if c.v32 {
        v32_root(&mut c, &mut doc);
    }
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
    if c.v32 {
        v32_components(&mut c, &mut doc);
    }
    if c.flip() {
        doc["x-root"] = json!({"$ref": "data"});
        doc["servers"] = json!([{"url": "https://api.example.com"}]);
        doc["security"] = json!([{"oauth": ["read"]}]);
    }
    doc
}

/// OpenAPI 3.2 at the root: `$self` and a tag hierarchy (`summary`, `parent`, `kind`).
fn v32_root(c: &mut Choices, doc: &mut Value) {
    if c.flip() {
        doc["$self"] = json!("https://api.example.com/generated/openapi.yaml");
    }
    if c.flip() {
        doc["tags"] = json!([
            {"name": "events", "summary": "Events", "kind": "nav"},
            {"name": "on", "summary": "On", "parent": "events", "kind": "nav", "description": "d"},
            {"name": "beta", "kind": "badge"}
        ]);
    }
}

/// OpenAPI 3.2 components: `mediaTypes` (which the generators `$ref`), a `querystring`
/// parameter, and the security additions (device flow, `oauth2MetadataUrl`, `deprecated`).
fn v32_components(c: &mut Choices, doc: &mut Value) {
    let comp = &mut doc["components"];
    comp["mediaTypes"] = json!({"Form": {
        "schema": {"$ref": "#/components/schemas/Event"},
        "examples": {"one": {"dataValue": {"kind": "a"}, "summary": "One"}, "two": {"value": {"kind": "b"}}}
    }, "Lines": {"itemSchema": {"$ref": "#/components/schemas/Event"}}});
    comp["parameters"]["Filter"] = json!({"name": "filter", "in": "querystring", "content": {"application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {"since": {"type": "string"}}}}}});
    let device = json!({"deviceAuthorizationUrl": "https://auth.example.com/device", "tokenUrl": "https://t", "scopes": {"read": "r"}});
    match c.pick(3) {
        0 => comp["securitySchemes"]["oauth"]["flows"]["deviceAuthorization"] = device,
        1 => {
            comp["securitySchemes"]["device"] = json!({"type": "oauth2", "oauth2MetadataUrl": "https://auth.example.com/.well-known/oauth-authorization-server", "flows": {"deviceAuthorization": device}});
        }
        _ => {}
    }
    if c.flip() {
        comp["securitySchemes"]["sig"]["deprecated"] = json!(true);
    }
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

/// The generator reaches every OpenAPI 3.2 construct it knows.
#[test]
fn the_generator_makes_the_32_constructs() {
    let mut text = String::new();
    for seed in 0..400u32 {
        let bytes: Vec<u8> = (0..300u32)
            .map(|i| {
                (i.wrapping_mul(2654435761)
                    .wrapping_add(seed.wrapping_mul(40503))
                    >> 11) as u8
            })
            .collect();
        text.push_str(&document(bytes).to_string());
    }
    for construct in [
        "\"openapi\":\"3.2.0\"",
        "\"query\":{",
        "\"additionalOperations\"",
        "\"a~b\"",
        "\"in\":\"querystring\"",
        "#/components/mediaTypes/Form",
        "#/components/mediaTypes/Lines",
        "\"text/event-stream\":{",
        "\"application/jsonl\":{",
        "\"retry\":{",
        "\"contentSchema\"",
        "\"oneOf\":[{\"type\":\"object\",\"properties\":{\"event\":{\"const\":\"a\"}",
        "\"$self\"",
        "\"parent\":\"events\"",
        "\"deviceAuthorization\"",
        "\"oauth2MetadataUrl\"",
        "\"deprecated\":true",
    ] {
        assert!(text.contains(construct), "never generated: {construct}");
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

// ---- extension keys and empty containers at every level (issue 12, item 5) ----

/// Values an extension can have, the empty and odd ones first.
fn extension_value(c: &mut Choices) -> Value {
    match c.pick(8) {
        0 => json!({}),
        1 => json!([]),
        2 => json!(null),
        3 => json!({"a": []}),
        4 => json!([{}]),
        5 => json!(""),
        6 => json!({"$ref": "data, not a reference"}),
        _ => json!(0),
    }
}

/// The objects the OpenAPI JSON Schemas let carry `x-` keys, by the names of their
/// definitions in the official 3.1 schema (`$defs`), that [`Decorator`] decorates.
const DECORATED: [&str; 23] = [
    "info",
    "contact",
    "license",
    "server",
    "server-variable",
    "components",
    "paths",
    "path-item",
    "operation",
    "external-documentation",
    "parameter",
    "request-body",
    "media-type",
    "encoding",
    "responses",
    "response",
    "callbacks",
    "example",
    "link",
    "header",
    "tag",
    "security-scheme",
    "oauth-flows",
];

/// Adds extension keys (every extensible object, where `c` says so) and empty optional
/// containers to a document, knowing each object's kind from where it sits.
struct Decorator<'c> {
    c: &'c mut Choices,
    /// Kinds decorated, for the coverage check.
    seen: std::collections::BTreeSet<&'static str>,
}

impl Decorator<'_> {
    /// `kind`: the object's definition name; `empties`: optional members it may get empty.
    fn object(&mut self, v: &mut Value, kind: &'static str, empties: &[(&str, Value)]) {
        let Value::Object(m) = v else { return };
        if m.contains_key("$ref") {
            return; // a Reference Object takes no extensions
        }
        self.seen.insert(kind);
        for (key, empty) in empties {
            if !m.contains_key(*key) && self.c.pick(4) == 0 {
                m.insert(key.to_string(), empty.clone());
            }
        }
        if self.c.pick(3) != 0 {
            let at = self.c.pick(m.len() + 1);
            let key = format!("x-{kind}-{at}");
            let value = extension_value(self.c);
            // Anywhere among the members, not only last.
            let mut members: Vec<(String, Value)> = std::mem::take(m).into_iter().collect();
            members.insert(at.min(members.len()), (key, value));
            m.extend(members);
        }
    }

    fn map_of(&mut self, v: &mut Value, each: impl Fn(&mut Self, &mut Value)) {
        if let Value::Object(m) = v {
            for (k, item) in m.iter_mut() {
                if !k.starts_with("x-") {
                    each(self, item);
                }
            }
        }
    }

    fn list_of(&mut self, v: Option<&mut Value>, each: impl Fn(&mut Self, &mut Value)) {
        if let Some(Value::Array(items)) = v {
            for item in items {
                each(self, item);
            }
        }
    }

    fn document(&mut self, doc: &mut Value) {
        self.object(
            doc,
            "openapi",
            &[("tags", json!([])), ("servers", json!([]))],
        );
        if let Some(info) = doc.get_mut("info") {
            if self.c.flip() {
                info["contact"] = json!({"name": "c"});
                info["license"] = json!({"name": "MIT"});
            }
            self.object(info, "info", &[]);
            for (k, kind) in [("contact", "contact"), ("license", "license")] {
                if let Some(v) = info.get_mut(k) {
                    self.object(v, kind, &[]);
                }
            }
        }
        if self.c.flip() {
            doc["servers"] = json!([{"url": "https://{host}/v1", "variables": {"host": {"default": "a.example.com"}}}]);
            doc["externalDocs"] = json!({"url": "https://docs.example.com"});
            doc["tags"] =
                json!([{"name": "events", "externalDocs": {"url": "https://e.example.com"}}]);
        }
        self.servers(doc.get_mut("servers"));
        if let Some(d) = doc.get_mut("externalDocs") {
            self.object(d, "external-documentation", &[]);
        }
        self.list_of(doc.get_mut("tags"), |s, t| {
            s.object(t, "tag", &[]);
            if let Some(d) = t.get_mut("externalDocs") {
                s.object(d, "external-documentation", &[]);
            }
        });
        if let Some(paths) = doc.get_mut("paths") {
            self.object(paths, "paths", &[]);
            self.map_of(paths, Self::path_item);
        }
        for key in ["webhooks", "x-webhooks"] {
            if let Some(hooks) = doc.get_mut(key) {
                self.map_of(hooks, Self::path_item);
                // Not extensible by the schema, but vendors put `x-` values there (an `x-`
                // name with a mapping is a webhook of that name).
                if let (Value::Object(m), 0) = (&mut *hooks, self.c.pick(3)) {
                    let value = [json!(true), json!([]), json!(null), json!(""), json!([{}])];
                    m.insert("x-vendor".into(), value[self.c.pick(value.len())].clone());
                }
            }
        }
        if let Some(components) = doc.get_mut("components") {
            self.components(components);
        }
    }

    fn servers(&mut self, servers: Option<&mut Value>) {
        self.list_of(servers, |s, server| {
            s.object(server, "server", &[]);
            if let Some(vars) = server.get_mut("variables") {
                s.map_of(vars, |s, var| s.object(var, "server-variable", &[]));
            }
        });
    }

    fn components(&mut self, comp: &mut Value) {
        let empties = [("links", json!({})), ("examples", json!({}))];
        self.object(comp, "components", &empties);
        let sections: [(&str, Visit); 8] = [
            ("responses", |s, v| s.response(v)),
            ("parameters", |s, v| s.parameter(v)),
            ("examples", |s, e| s.object(e, "example", &[])),
            ("requestBodies", |s, v| s.request_body(v)),
            ("headers", |s, v| s.header(v)),
            ("securitySchemes", |s, v| s.security_scheme(v)),
            ("callbacks", |s, v| s.callback(v)),
            ("pathItems", |s, v| s.path_item(v)),
        ];
        for (key, each) in sections {
            if let Some(section) = comp.get_mut(key) {
                self.map_of(section, each);
            }
        }
    }

    fn security_scheme(&mut self, scheme: &mut Value) {
        self.object(scheme, "security-scheme", &[]);
        if let Some(flows) = scheme.get_mut("flows") {
            self.object(flows, "oauth-flows", &[]);
            // The flows themselves are defined inside `oauth-flows` in the 3.1 schema.
            self.map_of(flows, |s, f| s.object(f, "oauth-flows", &[]));
        }
    }

    fn path_item(&mut self, item: &mut Value) {
        let empties = [("parameters", json!([])), ("servers", json!([]))];
        self.object(item, "path-item", &empties);
        self.servers(item.get_mut("servers"));
        self.list_of(item.get_mut("parameters"), Self::parameter);
        for m in METHODS.iter().chain(&["query"]) {
            if let Some(op) = item.get_mut(*m) {
                self.operation(op);
            }
        }
        if let Some(more) = item.get_mut("additionalOperations") {
            self.map_of(more, Self::operation);
        }
    }

    fn operation(&mut self, op: &mut Value) {
        let empties = [
            ("tags", json!([])),
            ("parameters", json!([])),
            ("security", json!([])),
            ("servers", json!([])),
            ("callbacks", json!({})),
        ];
        self.object(op, "operation", &empties);
        if self.c.pick(4) == 0 {
            op["externalDocs"] = json!({"url": "https://docs.example.com/op"});
        }
        if let Some(d) = op.get_mut("externalDocs") {
            self.object(d, "external-documentation", &[]);
        }
        self.servers(op.get_mut("servers"));
        self.list_of(op.get_mut("parameters"), Self::parameter);
        if let Some(body) = op.get_mut("requestBody") {
            self.request_body(body);
        }
        if let Some(responses) = op.get_mut("responses") {
            self.object(responses, "responses", &[]);
            self.map_of(responses, Self::response);
        }
        if let Some(callbacks) = op.get_mut("callbacks") {
            self.map_of(callbacks, Self::callback);
        }
    }

    fn callback(&mut self, cb: &mut Value) {
        self.object(cb, "callbacks", &[]);
        self.map_of(cb, Self::path_item);
    }

    fn parameter(&mut self, p: &mut Value) {
        self.object(p, "parameter", &[("examples", json!({}))]);
        self.content(p.get_mut("content"));
        if let Some(examples) = p.get_mut("examples") {
            self.map_of(examples, |s, e| s.object(e, "example", &[]));
        }
    }

    fn request_body(&mut self, body: &mut Value) {
        self.object(body, "request-body", &[]);
        self.content(body.get_mut("content"));
    }

    fn response(&mut self, r: &mut Value) {
        let empties = [
            ("headers", json!({})),
            ("content", json!({})),
            ("links", json!({})),
        ];
        self.object(r, "response", &empties);
        if self.c.pick(5) == 0 {
            r["links"] =
                json!({"next": {"operationId": "x", "parameters": {"id": "$response.body#/id"}}});
        }
        if let Some(headers) = r.get_mut("headers") {
            self.map_of(headers, Self::header);
        }
        if let Some(links) = r.get_mut("links") {
            self.map_of(links, |s, l| s.object(l, "link", &[]));
        }
        self.content(r.get_mut("content"));
    }

    fn header(&mut self, h: &mut Value) {
        self.object(h, "header", &[("examples", json!({}))]);
        self.content(h.get_mut("content"));
    }

    fn content(&mut self, content: Option<&mut Value>) {
        let Some(content) = content else { return };
        self.map_of(content, |s, media| {
            let empties = [("examples", json!({})), ("encoding", json!({}))];
            s.object(media, "media-type", &empties);
            if s.c.pick(4) == 0 {
                media["encoding"] = json!({"id": {"contentType": "text/plain"}});
            }
            if let Some(examples) = media.get_mut("examples") {
                s.map_of(examples, |s, e| s.object(e, "example", &[]));
            }
            if let Some(encoding) = media.get_mut("encoding") {
                s.map_of(encoding, |s, e| {
                    s.object(e, "encoding", &[("headers", json!({}))])
                });
            }
        });
    }
}

/// How [`Decorator`] visits one kind of object.
type Visit = for<'d, 'c> fn(&'d mut Decorator<'c>, &mut Value);

fn decorated(bytes: Vec<u8>) -> (Value, Vec<&'static str>) {
    let mut doc = document(bytes.clone());
    let mut c = Choices {
        bytes: bytes.iter().rev().copied().collect(),
        at: 0,
        v32: false,
    };
    let mut d = Decorator {
        c: &mut c,
        seen: Default::default(),
    };
    d.document(&mut doc);
    let seen = d.seen.into_iter().collect();
    (doc, seen)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Nothing is dropped: extension keys (any value, empty ones included) at every level the
    /// OpenAPI schema allows them, and empty optional containers, come back.
    #[test]
    fn extensions_and_empty_containers_at_every_level_come_back(bytes in proptest::collection::vec(any::<u8>(), 1..400)) {
        let (value, _) = decorated(bytes);
        let doc = hookbridge::Document { name: "decorated.yaml".into(), syntax: hookbridge::Syntax::Yaml, value: value.clone() };
        for events_only in [false, true] {
            let trip = hookbridge::roundtrip(&doc, &Default::default(), events_only).expect("converts");
            prop_assert!(trip.differences.is_empty(), "events_only={events_only}: {:#?}\ndocument: {}", trip.differences, serde_json::to_string_pretty(&value).unwrap_or_default());
        }
    }
}

/// The decorator covers every extensible object of the official OpenAPI 3.1 JSON Schema
/// (Spectral's copy, installed by `npm ci --prefix tests/js`).
#[test]
fn the_decorator_covers_every_extensible_object_of_the_openapi_schema() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(
        "tests/js/node_modules/@stoplight/spectral-rulesets/dist/oas/schemas/oas/v3.1/index.json",
    );
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run `npm ci --prefix tests/js`)", path.display()));
    let schema: Value = serde_json::from_str(&text).expect("JSON");
    let defs = schema["$defs"].as_object().expect("$defs");
    let mut extensible: Vec<&str> = defs
        .iter()
        .filter(|(name, def)| {
            *name != "specification-extensions"
                && def.to_string().contains("#/$defs/specification-extensions")
        })
        .map(|(name, _)| name.as_str())
        .collect();
    extensible.sort_unstable();
    let mut decorated_kinds = DECORATED.to_vec();
    decorated_kinds.sort_unstable();
    assert_eq!(extensible, decorated_kinds);
    // And a few hundred documents reach every one of them.
    let mut reached = std::collections::BTreeSet::new();
    for seed in 0..300u32 {
        let bytes: Vec<u8> = (0..200u32)
            .map(|i| {
                (i.wrapping_mul(2654435761)
                    .wrapping_add(seed.wrapping_mul(40503))
                    >> 13) as u8
            })
            .collect();
        reached.extend(decorated(bytes).1);
    }
    let missing: Vec<_> = DECORATED.iter().filter(|k| !reached.contains(*k)).collect();
    assert!(missing.is_empty(), "never decorated: {missing:?}");
}
