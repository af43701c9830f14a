//! OpenAPI 3.2 streams (docs/mapping.md, "Streams"): a sequential media type with
//! `itemSchema` becomes an AsyncAPI operation on a channel of its own, valid for the AsyncAPI
//! tools, and comes back exactly, under every option.

mod common;

use hookbridge::{ConvertOptions, Perspective, SchemaFormat};
use serde_json::{json, Value};

fn sample() -> hookbridge::Document {
    let path = common::manifest_dir().join("samples/openapi/streams-32.yaml");
    hookbridge::load_bundled(&path, &Default::default())
        .expect("loads")
        .document
}

fn options(include_paths: bool, perspective: Perspective, format: SchemaFormat) -> ConvertOptions {
    ConvertOptions {
        include_paths,
        perspective,
        schema_format: format,
        ..Default::default()
    }
}

fn every_option() -> Vec<ConvertOptions> {
    let mut out = Vec::new();
    for include_paths in [false, true] {
        for perspective in [Perspective::Provider, Perspective::Consumer] {
            for format in [SchemaFormat::AsyncApi, SchemaFormat::OpenApi] {
                out.push(options(include_paths, perspective, format));
            }
        }
    }
    out
}

fn codes(out: &hookbridge::Converted) -> Vec<String> {
    let d = out.diagnostics.iter();
    d.map(|d| format!("{} {}", d.code, d.pointer)).collect()
}

/// A document given as a tree (read as YAML).
fn document(name: &str, value: Value) -> hookbridge::Document {
    hookbridge::Document {
        name: name.into(),
        syntax: hookbridge::Syntax::Yaml,
        value,
    }
}

/// An AsyncAPI tree converted back with the default options.
fn convert_back(asyncapi: Value) -> hookbridge::Converted {
    hookbridge::convert_document(&document("a.yaml", asyncapi), &Default::default())
        .expect("converts back")
}

#[test]
fn the_sample_streams_map_to_their_own_operations() {
    let doc = sample();
    let out = hookbridge::convert_document(
        &doc,
        &options(true, Perspective::Provider, SchemaFormat::AsyncApi),
    )
    .expect("converts");
    assert!(codes(&out).is_empty(), "{:?}", codes(&out));
    let a = &out.document;
    // SSE on a REST path: the path's address and parameters, `receive`, GET; `data` is the
    // payload, the other SSE fields the headers.
    let sse = &a["channels"]["streamQuotes.stream.200"];
    assert_eq!(sse["address"], "/quotes/{market}");
    assert!(sse["parameters"]["market"].is_object());
    assert_eq!(
        sse["x-openapi-stream"],
        json!({"operation": "streamQuotes", "response": "200", "mediaType": "text/event-stream"})
    );
    let item = &sse["messages"]["streamQuotes.stream.200.item"];
    assert_eq!(
        item["payload"]["contentSchema"],
        json!({"$ref": "#/components/schemas/Quote"})
    );
    let headers: Vec<&String> = item["headers"]["properties"]
        .as_object()
        .expect("headers")
        .keys()
        .collect();
    assert_eq!(headers, ["event", "id", "retry"]);
    assert_eq!(item["bindings"]["http"]["statusCode"], 200);
    let op = &a["operations"]["streamQuotes.stream.200"];
    assert_eq!(op["action"], "receive");
    assert_eq!(op["bindings"]["http"]["method"], "GET");
    // The media type it came from keeps a marker where `itemSchema` was.
    let reply =
        &a["channels"]["quotes_market"]["messages"]["streamQuotes.response.200.event-stream"];
    assert_eq!(
        reply["x-openapi-media-type"],
        json!({"itemSchema": {"x-openapi-stream": "streamQuotes.stream.200"}})
    );
    // A callback's JSON Lines request and a webhook's JSON text sequence: `send`, one item a
    // message, on the callback's address (the webhook has none).
    let lines = &a["operations"]["deliverExport.stream.request"];
    assert_eq!(lines["action"], "send");
    assert_eq!(lines["bindings"]["http"]["method"], "POST");
    let ch = &a["channels"]["deliverExport.stream.request"];
    assert_eq!(ch["address"], "{callbackUrl}");
    let trade = &ch["messages"]["deliverExport.stream.request.item"];
    assert_eq!(
        trade["payload"],
        json!({"$ref": "#/components/schemas/Trade"})
    );
    assert_eq!(
        a["channels"]["auditTrail.stream.request"]["address"],
        Value::Null
    );
    assert_eq!(
        a["operations"]["auditTrail.stream.request"]["action"],
        "send"
    );
}

#[test]
fn a_rest_stream_is_converted_without_include_paths() {
    let doc = sample();
    let out = hookbridge::convert_document(&doc, &Default::default()).expect("converts");
    let a = &out.document;
    assert!(
        a["channels"].get("quotes_market").is_none(),
        "the REST operation is not converted"
    );
    let sse = &a["channels"]["streamQuotes.stream.200"];
    assert_eq!(sse["address"], "/quotes/{market}");
    assert_eq!(
        sse["x-openapi-stream"]["parent"],
        "#/paths/~1quotes~1%7Bmarket%7D/get"
    );
    assert_eq!(
        a["operations"]["streamQuotes.stream.200"]["action"],
        "receive"
    );
    // The way back puts it under a stand-in of its operation.
    let back = convert_back(out.document.clone());
    let get = &back.document["paths"]["/quotes/{market}"]["get"];
    assert_eq!(get["x-hookbridge-placeholder"], true);
    assert_eq!(
        get["responses"]["200"]["content"]["text/event-stream"]["itemSchema"],
        doc.value["paths"]["/quotes/{market}"]["get"]["responses"]["200"]["content"]
            ["text/event-stream"]["itemSchema"]
    );
}

#[test]
fn the_consumer_perspective_flips_every_stream() {
    let doc = sample();
    let out = hookbridge::convert_document(
        &doc,
        &options(true, Perspective::Consumer, SchemaFormat::AsyncApi),
    )
    .expect("converts");
    let ops = &out.document["operations"];
    assert_eq!(ops["streamQuotes.stream.200"]["action"], "send");
    assert_eq!(ops["deliverExport.stream.request"]["action"], "receive");
}

#[test]
fn the_sample_round_trips_exactly_under_every_option() {
    let doc = sample();
    for o in every_option() {
        for events_only in [false, true] {
            let trip = hookbridge::roundtrip(&doc, &o, events_only).expect("round trip");
            assert!(
                trip.differences.is_empty(),
                "{o:?} events_only={events_only}: {:#?}",
                trip.differences
            );
        }
    }
}

#[test]
fn every_conversion_of_the_sample_is_valid_asyncapi() {
    let doc = sample();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut files = Vec::new();
    for (i, o) in every_option().iter().enumerate() {
        let out = hookbridge::convert_document(&doc, o).expect("converts");
        let file = dir.path().join(format!("streams-{i}.yaml"));
        std::fs::write(
            &file,
            hookbridge::document::emit::to_yaml_string(&out.document),
        )
        .expect("write");
        files.push(file);
    }
    common::assert_asyncapi_valid(&common::validate_asyncapi(&files));
}

#[test]
fn what_is_not_split_is_warned_about_and_still_comes_back() {
    let doc = json!({
        "openapi": "3.2.0",
        "info": {"title": "t", "version": "1"},
        "webhooks": {"w": {"post": {
            "requestBody": {"content": {
                "text/event-stream": {"itemSchema": {"type": "object", "properties": {"payload": {"type": "string"}}}},
                "application/jsonl": {"$ref": "#/components/mediaTypes/Lines"}
            }},
            "responses": {"200": {"description": "ok"}}
        }}},
        "components": {"mediaTypes": {"Lines": {"itemSchema": {"type": "string"}}}}
    });
    let doc = document("t.yaml", doc);
    let out = hookbridge::convert_document(&doc, &Default::default()).expect("converts");
    assert_eq!(
        codes(&out),
        [
            "stream-not-split /webhooks/w/post/requestBody/content/text~1event-stream",
            "stream-not-split /webhooks/w/post/requestBody/content/application~1jsonl",
        ]
    );
    let item = &out.document["channels"]["w.post.stream.request"]["messages"]
        ["w.post.stream.request.item"];
    assert_eq!(
        item["payload"]["properties"]["payload"]["type"], "string",
        "the whole event"
    );
    assert!(
        out.document["channels"]
            .as_object()
            .expect("channels")
            .len()
            == 2,
        "no stream for the `$ref`"
    );
    let trip = hookbridge::roundtrip(&doc, &Default::default(), false).expect("round trip");
    assert!(trip.differences.is_empty(), "{:#?}", trip.differences);
}

#[test]
fn streams_are_read_in_32_documents_only() {
    let mut doc = sample().value;
    doc["openapi"] = json!("3.1.0");
    let doc = document("t.yaml", doc);
    let out = hookbridge::convert_document(&doc, &Default::default()).expect("converts");
    let channels = out.document["channels"].as_object().expect("channels");
    assert!(
        channels.keys().all(|k| !k.contains(".stream.")),
        "{:?}",
        channels.keys()
    );
}

#[test]
fn a_stream_deleted_on_the_asyncapi_side_is_warned_about() {
    let doc = sample();
    let mut a = hookbridge::convert_document(&doc, &Default::default())
        .expect("converts")
        .document;
    let channels = a["channels"].as_object_mut().expect("channels");
    channels.shift_remove("deliverExport.stream.request");
    a["operations"]
        .as_object_mut()
        .expect("operations")
        .shift_remove("deliverExport.stream.request");
    let back = convert_back(a);
    assert_eq!(
        codes(&back),
        ["lossy-mapping /channels/deliverExport.stream.request"]
    );
}

/// Server-Sent Events written as a `oneOf` of events (one per `event` name): one message per
/// event, named by it; the rest of the schema rides in the stream's record.
#[test]
fn an_sse_one_of_is_one_message_per_event() {
    let event = |name: &str, data: Value| json!({"type": "object", "required": ["data"], "properties": {"event": {"const": name}, "data": data}});
    let doc = json!({
        "openapi": "3.2.0",
        "info": {"title": "t", "version": "1"},
        "webhooks": {"w": {"post": {
            "requestBody": {"content": {"text/event-stream": {"itemSchema": {
                "description": "the events",
                "oneOf": [event("added", json!({"type": "object"})), event("removed", json!({"type": "string"}))]
            }}}},
            "responses": {"200": {"description": "ok"}}
        }}}
    });
    let doc = document("t.yaml", doc);
    let out = hookbridge::convert_document(&doc, &Default::default()).expect("converts");
    assert!(codes(&out).is_empty(), "{:?}", codes(&out));
    let ch = &out.document["channels"]["w.post.stream.request"];
    let names: Vec<&String> = ch["messages"]
        .as_object()
        .expect("messages")
        .keys()
        .collect();
    assert_eq!(
        names,
        [
            "w.post.stream.request.added",
            "w.post.stream.request.removed"
        ]
    );
    assert_eq!(
        ch["messages"]["w.post.stream.request.removed"]["payload"],
        json!({"type": "string"})
    );
    assert_eq!(
        ch["x-openapi-stream"]["itemSchema"],
        json!({"description": "the events", "oneOf": [null, null]})
    );
    let refs = out.document["operations"]["w.post.stream.request"]["messages"]
        .as_array()
        .expect("refs")
        .len();
    assert_eq!(refs, 2);
    let trip = hookbridge::roundtrip(&doc, &Default::default(), false).expect("round trip");
    assert!(trip.differences.is_empty(), "{:#?}", trip.differences);
    // An event removed on the AsyncAPI side is gone from the `oneOf`, the other one stays.
    let mut a = out.document;
    let ch = &mut a["channels"]["w.post.stream.request"]["messages"];
    ch.as_object_mut()
        .expect("messages")
        .shift_remove("w.post.stream.request.added");
    let op = &mut a["operations"]["w.post.stream.request"]["messages"];
    op.as_array_mut().expect("refs").remove(0);
    let back = convert_back(a);
    let item = &back.document["webhooks"]["w"]["post"]["requestBody"]["content"]
        ["text/event-stream"]["itemSchema"];
    assert_eq!(
        item["oneOf"],
        json!([event("removed", json!({"type": "string"}))])
    );
}

/// Default scope: streams of a REST `query` and an `additionalOperations` entry, whose
/// methods AsyncAPI's binding cannot name (warned about), come back under stand-ins of them.
#[test]
fn rest_streams_of_32_methods_come_back_under_their_operations() {
    let path = common::manifest_dir().join("tests/fixtures/openapi/streams-32-methods.yaml");
    let doc = hookbridge::load_bundled(&path, &Default::default())
        .expect("loads")
        .document;
    let out = hookbridge::convert_document(&doc, &Default::default()).expect("converts");
    assert_eq!(
        codes(&out),
        [
            "method-not-in-binding /paths/~1q/query",
            "method-not-in-binding /paths/~1q/additionalOperations/LINK",
        ]
    );
    let ops = out.document["operations"].as_object().expect("operations");
    let keys: Vec<&String> = ops.keys().collect();
    assert_eq!(keys, ["queryQ.stream.200", "LINKQ.stream.default"]);
    let a = document("a.yaml", out.document);
    let back = hookbridge::convert_document(&a, &Default::default()).expect("converts back");
    let q = &back.document["paths"]["/q"];
    assert_eq!(q["query"]["x-hookbridge-placeholder"], true);
    let link = &q["additionalOperations"]["LINK"]["responses"]["default"]["content"];
    assert_eq!(
        link["text/event-stream; charset=utf-8"]["itemSchema"],
        doc.value["paths"]["/q"]["additionalOperations"]["LINK"]["responses"]["default"]["content"]
            ["text/event-stream; charset=utf-8"]["itemSchema"]
    );
    for events_only in [false, true] {
        let trip =
            hookbridge::roundtrip(&doc, &Default::default(), events_only).expect("round trip");
        assert!(trip.differences.is_empty(), "{:#?}", trip.differences);
    }
}

/// `--openapi-version 3.1` (and 3.0): the item schema rebuilt from the stream is written as
/// `x-oai-itemSchema`, with a warning at each.
#[test]
fn an_older_openapi_version_gets_the_item_schema_in_x_oai_item_schema() {
    let doc = sample();
    let all = options(true, Perspective::Provider, SchemaFormat::AsyncApi);
    let a = hookbridge::convert_document(&doc, &all)
        .expect("converts")
        .document;
    let a = document("a.yaml", a);
    for version in [
        hookbridge::OpenApiVersion::V31,
        hookbridge::OpenApiVersion::V30,
    ] {
        let o = ConvertOptions {
            openapi_version: Some(version),
            ..Default::default()
        };
        let back = hookbridge::convert_document(&a, &o).expect("converts back");
        let mt = &back.document["paths"]["/quotes/{market}"]["get"]["responses"]["200"]["content"]
            ["text/event-stream"];
        let original = &doc.value["paths"]["/quotes/{market}"]["get"]["responses"]["200"]
            ["content"]["text/event-stream"]["itemSchema"];
        assert!(mt.get("itemSchema").is_none(), "{version:?}");
        let item = &mt["x-oai-itemSchema"];
        if version == hookbridge::OpenApiVersion::V31 {
            assert_eq!(item, original);
        } else {
            // Written in 3.0's dialect, as every schema: 3.0 has no `contentSchema`.
            let data = &item["properties"]["data"];
            assert_eq!(
                data["x-hookbridge-contentSchema"],
                original["properties"]["data"]["contentSchema"]
            );
        }
        let downgrades = back
            .diagnostics
            .iter()
            .filter(|d| d.code == "openapi-version-downgrade" && d.pointer.ends_with("/itemSchema"))
            .count();
        assert_eq!(
            downgrades, 3,
            "{version:?}: the SSE stream, the export, the audit trail"
        );
    }
}

/// `hookbridge lint` finds nothing in the AsyncAPI made from the (clean) sample: a stream's
/// operation is part of its operation's exchange (security and reply are checked there), and a
/// message whose body is a stream has its payload on the stream's channel.
#[test]
fn the_asyncapi_of_the_sample_lints_clean() {
    let doc = sample();
    let findings =
        hookbridge::contract::lint::lint_document(&doc, &Default::default()).expect("lints");
    assert!(findings.is_empty(), "{findings:?}");
    // Under the consumer perspective REST operations are `send` too, which the rules read as
    // webhooks (streams or not): the provider's documents are the ones to check.
    let provider = every_option()
        .into_iter()
        .filter(|o| o.perspective == Perspective::Provider);
    for o in provider {
        let a = hookbridge::convert_document(&doc, &o)
            .expect("converts")
            .document;
        let a = document("a.yaml", a);
        let findings =
            hookbridge::contract::lint::lint_document(&a, &Default::default()).expect("lints");
        assert!(findings.is_empty(), "{o:?}: {findings:?}");
    }
}
