//! Every sample and every OpenAPI document of the corpus converts to AsyncAPI that the
//! official tools accept (`@asyncapi/parser` 3.x and the AsyncAPI 3.0.0 JSON Schema), and no
//! webhook or callback operation is lost: `send` operations match them method by method.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// Every OpenAPI document we convert in this test (samples always, the corpora when present),
/// with the directory its file `$ref`s may read (the corpus root: CAMARA refers to `../common`).
fn inputs() -> Vec<(PathBuf, PathBuf)> {
    let mut dirs = vec![common::manifest_dir().join("samples")];
    dirs.push(common::corpus_dir());
    dirs.push(common::npm_corpus_dir());
    let mut files = Vec::new();
    for dir in dirs {
        let root = dir.canonicalize().unwrap_or(dir.clone());
        files.extend(
            common::openapi_corpus_files(&dir)
                .into_iter()
                .map(|f| (f, root.clone())),
        );
    }
    files
}

fn options(root: &Path) -> hookbridge::ConvertOptions {
    hookbridge::ConvertOptions {
        root: Some(root.to_path_buf()),
        limits: common::corpus_limits(),
        ..Default::default()
    }
}

fn in_scope(path: &Path) -> bool {
    common::openapi_version(path)
        .is_some_and(|v| v.starts_with("3.0") || v.starts_with("3.1") || v.starts_with("3.2"))
}

/// Webhook and callback operations of an OpenAPI document, counted by method, found by a
/// walk of our own (not the converter's).
fn event_operations(doc: &Value) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for key in ["webhooks", "x-webhooks"] {
        if let Some(Value::Object(hooks)) = doc.get(key) {
            for item in hooks.values() {
                match vendor_callback_shape(item) {
                    Some(items) => items
                        .into_iter()
                        .for_each(|i| count_path_item(doc, i, &mut counts)),
                    None => count_path_item(doc, item, &mut counts),
                }
            }
        }
    }
    if let Some(Value::Object(paths)) = doc.get("paths") {
        for item in paths.values() {
            for op in operations(doc, item) {
                count_callbacks(doc, (&op.0, op.1), &mut counts);
            }
        }
    }
    counts
}

/// The Path Items of a webhook written in the shape of a callback (expression -> Path Item),
/// which hookbridge bridges as one (docs/mapping.md, "Shapes found in the wild").
fn vendor_callback_shape(entry: &Value) -> Option<Vec<&Value>> {
    let items: Vec<(&String, &Value)> = entry
        .as_object()?
        .iter()
        .filter(|(k, _)| !k.starts_with("x-"))
        .collect();
    let shaped = !items.is_empty()
        && items
            .iter()
            .all(|(k, v)| v.is_object() && (k.starts_with('$') || k.contains("{$")));
    shaped.then(|| items.into_iter().map(|(_, v)| v).collect())
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn resolve<'a>(doc: &'a Value, mut v: &'a Value) -> &'a Value {
    for _ in 0..50 {
        match v
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
        {
            Some(ptr) => match doc.pointer(ptr) {
                Some(t) => v = t,
                None => return v,
            },
            None => return v,
        }
    }
    v
}

/// The operations of a Path Item: the method fields, and in OpenAPI 3.2 `query` and every
/// `additionalOperations` entry (keyed by method, lower case).
fn operations<'a>(doc: &'a Value, item: &'a Value) -> Vec<(String, &'a Value)> {
    let v32 = doc["openapi"]
        .as_str()
        .is_some_and(|v| v.starts_with("3.2"));
    let item = resolve(doc, item);
    let mut out: Vec<(String, &Value)> = METHODS
        .iter()
        .chain(v32.then_some(&"query"))
        .filter_map(|m| item.get(*m).map(|op| (m.to_string(), op)))
        .collect();
    if let (true, Some(Value::Object(more))) = (v32, item.get("additionalOperations")) {
        out.extend(more.iter().map(|(m, op)| (m.to_ascii_lowercase(), op)));
    }
    out
}

fn count_path_item(doc: &Value, item: &Value, counts: &mut BTreeMap<String, usize>) {
    for op in operations(doc, item) {
        *counts.entry(op.0.clone()).or_default() += 1;
        count_callbacks(doc, (&op.0, op.1), counts);
    }
}

fn count_callbacks(doc: &Value, (_, op): (&str, &Value), counts: &mut BTreeMap<String, usize>) {
    let Some(Value::Object(callbacks)) = op.get("callbacks") else {
        return;
    };
    for cb in callbacks.values() {
        if let Value::Object(cb) = resolve(doc, cb) {
            for (expr, item) in cb {
                if !expr.starts_with("x-") {
                    count_path_item(doc, item, counts);
                }
            }
        }
    }
}

fn send_operations(asyncapi: &Value) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    if let Some(Value::Object(ops)) = asyncapi.get("operations") {
        // An OpenAPI 3.2 stream is an operation of its own beside its event (tests/streams.rs).
        let stream = |op: &Value| {
            let key = op.pointer("/channel/$ref").and_then(Value::as_str);
            let key = key.and_then(|r| r.strip_prefix("#/channels/"));
            let channel = key.and_then(|k| asyncapi.get("channels")?.get(k));
            channel.is_some_and(|c| c.get("x-openapi-stream").is_some())
        };
        for op in ops
            .values()
            .filter(|op| op["action"] == "send" && !stream(op))
        {
            // An OpenAPI 3.2 method the binding cannot name is in the operation's record.
            let method = common::operation_method(op).to_ascii_lowercase();
            *counts.entry(method).or_default() += 1;
        }
    }
    counts
}

#[test]
fn corpus_converts_to_valid_asyncapi_without_losing_events() {
    let out_dir = tempfile::tempdir().expect("tempdir");
    let mut outputs = Vec::new();
    let mut failures = Vec::new();
    let mut total_events = 0;
    for (i, (input, root)) in inputs().iter().filter(|(p, _)| in_scope(p)).enumerate() {
        let converted = match hookbridge::convert_file(input, &options(root)) {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("{}: conversion failed: {e}", input.display()));
                continue;
            }
        };
        let source = hookbridge::load_bundled(input, &options(root))
            .expect("bundles")
            .document
            .value;
        let expected = event_operations(&source);
        let got = send_operations(&converted.document);
        if expected != got {
            failures.push(format!(
                "{}: events {expected:?} but send operations {got:?}",
                input.display()
            ));
        }
        total_events += expected.values().sum::<usize>();
        let stem = input.file_stem().and_then(|s| s.to_str()).unwrap_or("doc");
        let out = out_dir.path().join(format!("{i:03}-{stem}.asyncapi.yaml"));
        std::fs::write(
            &out,
            hookbridge::document::emit::to_yaml_string(&converted.document),
        )
        .expect("write");
        outputs.push(out);
    }
    eprintln!(
        "converted {} documents with {total_events} webhook/callback operations",
        outputs.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        outputs.len() >= 12,
        "too few documents converted: {}",
        outputs.len()
    );
    common::assert_asyncapi_valid(&common::validate_asyncapi(&outputs));
}

#[test]
fn corpus_documents_out_of_scope_are_refused_clearly() {
    for (input, root) in inputs().iter().filter(|(p, _)| !in_scope(p)) {
        let err = hookbridge::convert_file(input, &options(root)).expect_err("out of scope");
        assert_eq!(
            err.diagnostic.code,
            "unsupported-version",
            "{}",
            input.display()
        );
        assert!(err
            .diagnostic
            .file
            .contains(input.file_name().and_then(|f| f.to_str()).unwrap_or("")));
    }
}

/// Read strictly (the default), the corpus's YAML is refused only where a quoted scalar is
/// continued at its key's column, with its position and the way out, and `--yaml-lenient`
/// (what the other corpus tests read with) takes each such document.
#[test]
fn corpus_yaml_read_strictly_refuses_only_quoted_indentation_with_the_way_out() {
    let mut refused = 0;
    for (input, root) in inputs() {
        let strict = hookbridge::ConvertOptions {
            root: Some(root.clone()),
            ..Default::default()
        };
        let Err(e) = hookbridge::load_bundled(&input, &strict) else {
            continue;
        };
        let d = &e.diagnostic;
        if d.code == "unsupported-version" {
            continue;
        }
        assert!(
            d.message
                .starts_with("invalid indentation in quoted scalar")
                && d.message.contains("--yaml-lenient")
                && d.line.is_some()
                && d.column.is_some(),
            "{}: {e}",
            input.display()
        );
        let lenient = hookbridge::load_bundled(&input, &options(&root));
        let warned = lenient.map(|b| b.diagnostics.iter().any(|w| w.code == "yaml-lenient"));
        assert!(matches!(warned, Ok(true)), "{}", input.display());
        refused += 1;
    }
    eprintln!(
        "read strictly, {refused} corpus documents are refused for quoted-scalar indentation"
    );
    // The shared corpus holds such documents (AdvantEDGE's), so the check above has run.
    assert!(refused > 0);
}

#[test]
fn the_event_counter_counts() {
    let doc: Value = serde_json::json!({
        "webhooks": {"a": {"post": {}, "put": {"callbacks": {"c": {"$ref": "#/components/callbacks/C"}}}}},
        "paths": {"/x": {"get": {"callbacks": {"d": {"{$url}": {"post": {}}, "x-e": {}}}}}},
        "components": {"callbacks": {"C": {"{$request.body#/u}": {"delete": {}}}}}
    });
    let counts = event_operations(&doc);
    assert_eq!(
        counts,
        BTreeMap::from([("delete".into(), 1), ("post".into(), 2), ("put".into(), 1)])
    );
}

/// OpenAPI -> AsyncAPI -> OpenAPI gives back the document (multi-file ones after bundling):
/// whole with `--include-paths`; webhooks, callbacks and components in the default scope.
/// Every OpenAPI document produced passes `redocly lint --extends=minimal` with no error
/// the original does not have.
#[test]
fn corpus_round_trips_exactly_and_lints_clean() {
    let out_dir = tempfile::tempdir().expect("tempdir");
    let mut failures = Vec::new();
    let (mut originals, mut produced) = (Vec::new(), Vec::new());
    for (i, (input, root)) in inputs().iter().filter(|(p, _)| in_scope(p)).enumerate() {
        let doc = hookbridge::load_bundled(input, &options(root))
            .expect("bundles")
            .document;
        for events_only in [false, true] {
            match hookbridge::roundtrip(&doc, &options(root), events_only) {
                Ok(trip) if trip.differences.is_empty() => {
                    let name = format!(
                        "{i:03}-{}-{events_only}.openapi.json",
                        input.file_stem().and_then(|s| s.to_str()).unwrap_or("doc")
                    );
                    let path = out_dir.path().join(name);
                    std::fs::write(
                        &path,
                        hookbridge::document::emit::to_json_string(&trip.back),
                    )
                    .expect("write");
                    produced.push((path, originals.len()));
                }
                Ok(trip) => failures.push(format!(
                    "{} (events only: {events_only}): {} differences, first {:?}",
                    input.display(),
                    trip.differences.len(),
                    trip.differences.first()
                )),
                Err(e) => failures.push(format!("{}: {e}", input.display())),
            }
        }
        let original = out_dir.path().join(format!("{i:03}-original.openapi.json"));
        std::fs::write(
            &original,
            hookbridge::document::emit::to_json_string(&doc.value),
        )
        .expect("write");
        originals.push(original);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        produced.len() >= 24,
        "too few round trips: {}",
        produced.len()
    );
    let new_errors = common::lint_errors_the_originals_lack(&originals, &produced);
    assert!(
        new_errors.is_empty(),
        "redocly errors in produced OpenAPI:\n{}",
        new_errors.join("\n")
    );
}
