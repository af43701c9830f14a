//! AsyncAPI written by hand -> OpenAPI -> the same AsyncAPI (issue 3, acceptance 2), key
//! order included: our samples, the AsyncAPI specification's examples in the corpus, and
//! randomly generated documents. What OpenAPI cannot hold rides in the `x-asyncapi` record.

mod common;

use std::path::PathBuf;

use hookbridge::document::load;
use hookbridge::{ConvertOptions, Target};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

fn there_and_back(asyncapi: &Value, name: &str) -> (Value, Value, Vec<hookbridge::Diagnostic>) {
    let doc = |value: Value| load::Document {
        name: name.to_string(),
        syntax: load::Syntax::Yaml,
        value,
    };
    let there = hookbridge::convert_document(&doc(asyncapi.clone()), &ConvertOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(there.target, Target::OpenApi);
    let back = hookbridge::convert_document(&doc(there.document.clone()), &Default::default())
        .unwrap_or_else(|e| panic!("{name} (back): {e}"));
    assert_eq!(back.target, Target::AsyncApi);
    let mut notes = there.diagnostics;
    notes.extend(back.diagnostics);
    (there.document, back.document, notes)
}

fn text(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// The samples, or (`corpus`) the AsyncAPI examples of the shared corpus.
fn hand_written_inputs(corpus: bool) -> Vec<PathBuf> {
    let dir = match corpus {
        false => common::manifest_dir().join("samples/asyncapi"),
        true => common::corpus_dir().join("asyncapi-spec/examples"),
    };
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("AsyncAPI documents")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    inputs.sort();
    inputs
}

#[test]
fn hand_written_asyncapi_comes_back_exactly() {
    let inputs = hand_written_inputs(false);
    assert!(inputs.len() >= 4, "{inputs:?}");
    comes_back_exactly(inputs);
}

#[test]
fn corpus_asyncapi_examples_come_back_exactly() {
    let inputs = hand_written_inputs(true);
    assert!(inputs.len() >= 2, "{inputs:?}");
    comes_back_exactly(inputs);
}

fn comes_back_exactly(inputs: Vec<PathBuf>) {
    for input in inputs {
        let name = input.display().to_string();
        let original = load::load_path(&input, &Default::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .value;
        let (openapi, back, _) = there_and_back(&original, &name);
        assert!(openapi.get("x-asyncapi").is_some(), "{name}: no record");
        let diffs = hookbridge::contract::compare::differences(&original, &back);
        assert!(diffs.is_empty(), "{name}: {diffs:#?}");
        assert_eq!(text(&original), text(&back), "{name}: key order");
    }
}

/// The HTTP-bound part is in the OpenAPI itself, not only in the record: webhooks and paths
/// exist, and an edit made to the OpenAPI afterwards reaches the AsyncAPI.
#[test]
fn edits_to_the_openapi_reach_the_asyncapi() {
    let file = common::manifest_dir().join("samples/asyncapi/payment-webhooks.yaml");
    let original = load::load_path(&file, &Default::default())
        .expect("sample")
        .value;
    let (mut openapi, _, _) = there_and_back(&original, "payment-webhooks.yaml");
    let op = &mut openapi["webhooks"]["paymentSucceeded"]["post"];
    assert_eq!(
        op["summary"],
        original["operations"]["sendPaymentSucceeded"]["summary"]
    );
    op["summary"] = json!("Edited in the OpenAPI");
    let doc = load::Document {
        name: "edited.yaml".into(),
        syntax: load::Syntax::Yaml,
        value: openapi,
    };
    let back = hookbridge::convert_document(&doc, &Default::default()).expect("convert");
    let mut expected = original.clone();
    expected["operations"]["sendPaymentSucceeded"]["summary"] = json!("Edited in the OpenAPI");
    assert_eq!(
        hookbridge::contract::compare::differences(&expected, &back.document),
        []
    );
}

#[test]
fn a_record_that_no_longer_fits_is_reported_not_fatal() {
    let file = common::manifest_dir().join("samples/asyncapi/payment-webhooks.yaml");
    let original = load::load_path(&file, &Default::default())
        .expect("sample")
        .value;
    let (mut openapi, _, _) = there_and_back(&original, "payment-webhooks.yaml");
    let hooks = openapi["webhooks"].as_object_mut().expect("webhooks");
    let item = hooks.shift_remove("paymentFailed").expect("webhook");
    hooks.insert("paymentDeclined".into(), item);
    let doc = load::Document {
        name: "renamed.yaml".into(),
        syntax: load::Syntax::Yaml,
        value: openapi,
    };
    let back = hookbridge::convert_document(&doc, &Default::default()).expect("convert");
    let skipped: Vec<_> = back
        .diagnostics
        .iter()
        .filter(|d| d.pointer.starts_with("/x-asyncapi/edits/"))
        .collect();
    assert!(!skipped.is_empty(), "{:?}", back.diagnostics);
    assert!(back.document["channels"].get("paymentDeclined").is_some());
}

/// A record that is not a well-formed one is reported; edits that break the document refuse it.
#[test]
fn malformed_records_are_warned_about_or_refused() {
    let base = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "webhooks": {}});
    let run = |record: Value| {
        let mut value = base.clone();
        value["x-asyncapi"] = record;
        let doc = load::Document {
            name: "r.yaml".into(),
            syntax: load::Syntax::Yaml,
            value,
        };
        hookbridge::convert_document(&doc, &ConvertOptions::default())
    };
    let warned = |record: Value, code: &str, at: &str| {
        let out = run(record.clone()).unwrap_or_else(|e| panic!("{record}: {e}"));
        assert_eq!(out.document["asyncapi"], json!("3.0.0"), "{record}");
        assert!(
            out.diagnostics
                .iter()
                .any(|d| d.code == code && d.pointer == at),
            "{record}: {:?}",
            out.diagnostics
        );
    };
    warned(
        json!({"asyncapi": "3.0.0", "edits": 7}),
        "invalid-structure",
        "/x-asyncapi/edits",
    );
    warned(
        json!({"asyncapi": "2.6.0", "edits": []}),
        "lossy-mapping",
        "/x-asyncapi/asyncapi",
    );
    warned(
        json!({"asyncapi": "3.0.0", "edits": [1, {"op": "zap", "path": "/a"}, {"op": "add", "path": "nope", "value": 1}]}),
        "lossy-mapping",
        "/x-asyncapi/edits/2",
    );
    for edits in [
        json!([{"op": "replace", "path": "", "value": 3}]),
        json!([{"op": "remove", "path": "/info"}]),
        json!([{"op": "replace", "path": "/asyncapi", "value": "2.6.0"}]),
    ] {
        let record = json!({"asyncapi": "3.0.0", "edits": edits});
        match run(record.clone()) {
            Ok(out) => panic!("{record}: converted to {}", out.document),
            Err(e) => {
                let shown = e.to_string();
                assert!(
                    shown.contains("invalid-structure") && shown.contains("r.yaml#/x-asyncapi"),
                    "{shown}"
                );
            }
        }
    }
}

// ----- property test: random hand-written AsyncAPI documents -------------------------------

/// Draws choices from random bytes (cycling when they run out).
struct Choices {
    bytes: Vec<u8>,
    at: usize,
}

impl Choices {
    fn pick(&mut self, n: usize) -> usize {
        let b = self.bytes[self.at % self.bytes.len()];
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

fn schema(c: &mut Choices) -> Value {
    match c.pick(5) {
        0 => json!({"$ref": "#/components/schemas/Event"}),
        1 => json!({"type": "string", "examples": ["on"]}),
        2 => {
            json!({"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}})
        }
        // OpenAPI 3.0's habit, which the 3.1 document spells as a type array.
        3 => json!({"type": "string", "nullable": true}),
        _ => json!({"type": ["string", "null"], "description": "d"}),
    }
}

fn message(c: &mut Choices, reply: bool) -> Value {
    let mut m = Map::new();
    if c.flip() {
        m.insert("name".into(), json!(c.one(&["Event", "ping", "a.b"])));
    }
    if c.flip() {
        let types = ["application/json", "text/plain", "application/xml"];
        m.insert("contentType".into(), json!(c.one(&types)));
    }
    if c.flip() {
        let mut headers = json!({"type": "object", "properties": {"X-Sig": {"type": "string"}}});
        if c.flip() {
            headers["required"] = json!(["X-Sig"]);
        }
        m.insert("headers".into(), headers);
    }
    if !reply || c.flip() {
        m.insert("payload".into(), schema(c));
    }
    if c.flip() {
        m.insert(
            "examples".into(),
            json!([{"name": "one", "payload": {"id": 1}}]),
        );
    }
    if reply {
        let code = [200, 201, 204, 400, 410][c.pick(5)];
        m.insert(
            "bindings".into(),
            json!({"http": {"statusCode": code, "bindingVersion": "0.3.0"}}),
        );
        m.insert("description".into(), json!("reply"));
    }
    Value::Object(m)
}

fn channel_and_operation(c: &mut Choices, i: usize, doc: &mut Value) {
    let id = format!("ch{i}");
    let http = c.pick(5) != 0;
    let receive = http && c.flip();
    let address = match (receive, c.pick(3)) {
        (true, 0) => json!(format!("/things/{{id}}/{i}")),
        (true, _) => json!(format!("/things{i}")),
        (false, 0) => json!(format!("hooks/{i}")),
        (false, _) => Value::Null,
    };
    let mut channel = json!({"address": address});
    if c.flip() {
        channel["title"] = json!(format!("Channel {i}"));
    }
    if c.flip() {
        channel["description"] = json!("about it");
    }
    if address.as_str().is_some_and(|a| a.contains("{id}")) {
        channel["parameters"] = json!({"id": {"description": "the id"}});
    }
    let mut messages = Map::new();
    let mut request_refs = Vec::new();
    for m in 0..1 + c.pick(2) {
        let key = format!("m{m}");
        messages.insert(key.clone(), message(c, false));
        request_refs.push(json!({"$ref": format!("#/channels/{id}/messages/{key}")}));
    }
    let mut reply_refs = Vec::new();
    for r in 0..c.pick(3) {
        let key = format!("r{r}");
        messages.insert(key.clone(), message(c, true));
        reply_refs.push(json!({"$ref": format!("#/channels/{id}/messages/{key}")}));
    }
    channel["messages"] = Value::Object(messages);
    let mut op = json!({
        "action": if receive { "receive" } else { "send" },
        "channel": {"$ref": format!("#/channels/{id}")},
    });
    if c.flip() {
        op["summary"] = json!("does a thing");
    }
    op["bindings"] = if http {
        let method = c.one(&["POST", "PUT", "GET", "DELETE"]);
        let mut b = json!({"http": {"method": method, "bindingVersion": "0.3.0"}});
        if c.flip() {
            b["http"]["query"] =
                json!({"type": "object", "properties": {"page": {"type": "integer"}}});
        }
        b
    } else {
        json!({"kafka": {"bindingVersion": "0.5.0"}})
    };
    op["messages"] = Value::Array(request_refs);
    if c.flip() {
        // `scram` and the inline `plain` have no OpenAPI scheme: the record keeps them.
        op["security"] = match c.pick(3) {
            0 => json!([{"$ref": "#/components/securitySchemes/key"}]),
            1 => {
                json!([{"$ref": "#/components/securitySchemes/scram"}, {"$ref": "#/components/securitySchemes/key"}])
            }
            _ => json!([{"type": "plain"}]),
        };
    }
    if !reply_refs.is_empty() {
        op["reply"] =
            json!({"channel": {"$ref": format!("#/channels/{id}")}, "messages": reply_refs});
    }
    if c.flip() {
        op["x-team"] = json!({"owner": "payments"});
    }
    doc["channels"][&id] = channel;
    doc["operations"][format!("op{i}")] = op;
}

fn hand_written(bytes: Vec<u8>) -> Value {
    let mut c = Choices { bytes, at: 0 };
    let mut doc = json!({
        "asyncapi": "3.0.0",
        "info": {"title": "Random", "version": "1.0.0"},
        "channels": {},
        "operations": {},
        "components": {
            "schemas": {"Event": {"type": "object", "properties": {"at": {"type": "string", "format": "date-time"}}}},
            "securitySchemes": {
                "key": {"type": "httpApiKey", "name": "X-Key", "in": "header"},
                "scram": {"type": "scramSha256"}
            }
        }
    });
    if c.flip() {
        doc["defaultContentType"] = json!("application/json");
    }
    if c.flip() {
        doc["servers"] = json!({"prod": {"host": "api.example.com", "protocol": "https"}});
    }
    for i in 0..1 + c.pick(4) {
        channel_and_operation(&mut c, i, &mut doc);
    }
    doc
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn random_hand_written_asyncapi_round_trips(seed in prop::collection::vec(any::<u8>(), 16..96)) {
        let original = hand_written(seed);
        let (openapi, back, _) = there_and_back(&original, "random.yaml");
        prop_assert_eq!(text(&original), text(&back));
        // The HTTP operations are OpenAPI operations, not only record entries.
        prop_assert_eq!(http_operations(&original), openapi_operations(&openapi));
    }
}

fn http_operations(asyncapi: &Value) -> usize {
    let ops = asyncapi["operations"].as_object().into_iter().flatten();
    ops.filter(|(_, op)| op["bindings"].get("http").is_some())
        .count()
}

fn openapi_operations(openapi: &Value) -> usize {
    let items = ["webhooks", "paths"]
        .iter()
        .filter_map(|k| openapi.get(*k).and_then(Value::as_object))
        .flat_map(|m| m.values());
    items
        .map(|item| {
            let methods = [
                "get", "put", "post", "delete", "patch", "options", "head", "trace",
            ];
            methods.iter().filter(|m| item.get(**m).is_some()).count()
        })
        .sum()
}

/// Options the record cannot follow set it aside, with a warning naming the option: the
/// output is then what the same OpenAPI without the record gives (issue 18, item 1).
#[test]
fn options_on_a_recorded_document_are_honoured_not_ignored() {
    use hookbridge::{Perspective, SchemaFormat};
    let path = common::manifest_dir().join("samples/asyncapi/payment-webhooks.yaml");
    let asyncapi = load::load_path(&path, &Default::default()).expect("loads");
    let (openapi, back, _) = there_and_back(&asyncapi.value, "payment-webhooks.yaml");
    assert_eq!(
        back, asyncapi.value,
        "the record applies under the defaults"
    );
    let mut stripped = openapi.clone();
    stripped.as_object_mut().unwrap().shift_remove("x-asyncapi");
    let doc = |value: Value| load::Document {
        name: "p.yaml".into(),
        syntax: load::Syntax::Yaml,
        value,
    };
    let cases: [(&str, ConvertOptions); 2] = [
        (
            "--perspective consumer",
            ConvertOptions {
                perspective: Perspective::Consumer,
                ..Default::default()
            },
        ),
        (
            "--schema-format openapi",
            ConvertOptions {
                schema_format: SchemaFormat::OpenApi,
                ..Default::default()
            },
        ),
    ];
    for (option, options) in cases {
        let recorded = hookbridge::convert_document(&doc(openapi.clone()), &options).unwrap();
        let plain = hookbridge::convert_document(&doc(stripped.clone()), &options).unwrap();
        assert_eq!(recorded.document, plain.document, "{option}");
        assert_ne!(recorded.document, back, "{option} changes the output");
        let note = &recorded.diagnostics[0];
        assert_eq!(
            (note.code, note.pointer.as_str()),
            ("record-set-aside", "/x-asyncapi")
        );
        assert!(note.message.contains(option), "{}", note.message);
    }
}

/// `--include-paths` on a recorded document: the record is based on the conversion with
/// paths included (the REST operations it holds come back as `receive` operations), so it
/// applies, and the output has the REST channels the option asks for (issue 18, item 1).
#[test]
fn include_paths_on_a_recorded_document_is_the_records_own_basis() {
    let path = common::manifest_dir().join("samples/asyncapi/rest-receive.yaml");
    let asyncapi = load::load_path(&path, &Default::default()).expect("loads");
    let (openapi, back, _) = there_and_back(&asyncapi.value, "rest-receive.yaml");
    assert_eq!(back, asyncapi.value);
    let doc = load::Document {
        name: "p.yaml".into(),
        syntax: load::Syntax::Yaml,
        value: openapi.clone(),
    };
    let options = ConvertOptions {
        include_paths: true,
        ..Default::default()
    };
    let recorded = hookbridge::convert_document(&doc, &options).unwrap();
    assert_eq!(recorded.document, back, "the record applies");
    assert!(
        recorded
            .diagnostics
            .iter()
            .all(|d| d.code != "record-set-aside"),
        "{:?}",
        recorded.diagnostics
    );
    // The REST operations are there, as the option asks.
    let mut stripped = openapi;
    stripped.as_object_mut().unwrap().shift_remove("x-asyncapi");
    let plain = hookbridge::convert_document(
        &load::Document {
            value: stripped,
            ..doc
        },
        &options,
    )
    .unwrap();
    let receives = |v: &Value| -> usize {
        v["operations"].as_object().map_or(0, |ops| {
            ops.values().filter(|o| o["action"] == "receive").count()
        })
    };
    assert!(receives(&plain.document) > 0);
    assert_eq!(receives(&recorded.document), receives(&plain.document));
}

/// Record edits follow their element (issue 18, item 2): operation tags with descriptions go
/// to OpenAPI as names; the names are shuffled in the OpenAPI, an ordinary edit; converted back,
/// every description is still on the tag of the same name, never on another.
fn tagged_document(names: &[String]) -> Value {
    let tags: Vec<Value> = names
        .iter()
        .map(|n| json!({"name": n, "description": format!("about {n}")}))
        .collect();
    json!({
        "asyncapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "channels": {"c": {"address": null, "messages": {"m": {"payload": {"type": "object"}}}}},
        "operations": {"send": {
            "action": "send",
            "channel": {"$ref": "#/channels/c"},
            "messages": [{"$ref": "#/channels/c/messages/m"}],
            "bindings": {"http": {"method": "POST"}},
            "tags": tags
        }}
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn tag_descriptions_stay_with_their_tag_when_the_openapi_reorders_them(
        count in 2usize..5,
        rotate in 1usize..4,
        drop_one in any::<bool>(),
    ) {
        let names: Vec<String> = (0..count).map(|i| format!("tag{i}")).collect();
        let original = tagged_document(&names);
        let (mut openapi, back, _) = there_and_back(&original, "tags.yaml");
        prop_assert_eq!(text(&original), text(&back));
        // The tags of the one webhook operation, as OpenAPI holds them (names).
        let op = openapi["webhooks"].as_object_mut().and_then(|w| w.values_mut().next())
            .and_then(|item| item.get_mut("post")).expect("a webhook operation");
        let tags = op["tags"].as_array_mut().expect("tags");
        let n = tags.len();
        tags.rotate_left(rotate % n);
        if drop_one {
            tags.remove(0);
        }
        let doc = load::Document { name: "o.yaml".into(), syntax: load::Syntax::Yaml, value: openapi };
        let again = hookbridge::convert_document(&doc, &Default::default()).expect("converts");
        let result = again.document["operations"]["send"]["tags"].as_array().cloned().unwrap_or_default();
        for tag in &result {
            let name = tag["name"].as_str().unwrap_or_default();
            if let Some(d) = tag.get("description") {
                prop_assert_eq!(d, &json!(format!("about {name}")), "{}", tag);
            }
        }
    }
}

/// Operation tags that say more than a name go to OpenAPI's root `tags` (where renderers show
/// them), not into the record; an edit there reaches every operation with that tag; and the
/// OpenAPI document alone round-trips exactly (issue 18, item 2).
#[test]
fn described_operation_tags_live_in_the_root_tags() {
    let names = vec!["payments".to_string(), "orders".to_string()];
    let asyncapi = tagged_document(&names);
    let (openapi, back, _) = there_and_back(&asyncapi, "tags.yaml");
    assert_eq!(back, asyncapi);
    assert_eq!(
        openapi["tags"],
        json!([
            {"name": "payments", "description": "about payments", "x-asyncapi-operation-tag": true},
            {"name": "orders", "description": "about orders", "x-asyncapi-operation-tag": true}
        ])
    );
    let edits = openapi["x-asyncapi"]["edits"].to_string();
    assert!(
        !edits.contains("about "),
        "descriptions ride in the record: {edits}"
    );

    // Edited in the OpenAPI document: the operation's tag says the new description.
    let mut edited = openapi.clone();
    edited["tags"][0]["description"] = json!("money moved");
    let doc = |value: Value| load::Document {
        name: "tags.openapi.yaml".into(),
        syntax: load::Syntax::Yaml,
        value,
    };
    let out = hookbridge::convert_document(&doc(edited), &Default::default()).unwrap();
    let tags = &out.document["operations"]["send"]["tags"];
    assert_eq!(
        tags[0],
        json!({"name": "payments", "description": "money moved"})
    );

    // Without the record, OpenAPI -> AsyncAPI -> OpenAPI is exact, root tags included.
    let mut plain = openapi;
    plain.as_object_mut().unwrap().shift_remove("x-asyncapi");
    let trip = hookbridge::roundtrip(&doc(plain), &Default::default(), false).unwrap();
    assert!(trip.differences.is_empty(), "{:#?}", trip.differences);
}
