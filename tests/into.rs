//! `convert ASYNCAPI --into BASE`: the library call and the real binary.
//!
//! * Every sample and corpus document: OpenAPI -> AsyncAPI (default scope) -> back `--into`
//!   the original gives the original exactly (as a value, and as text: key order too).
//! * A base with other webhooks gets them replaced, its paths, info and tags untouched.
//! * A replaced component that the base's paths also use warns when it changed.
//! * The binary: usage errors, the output file, the base left alone.

mod common;

use std::path::{Path, PathBuf};

use hookbridge::contract::compare;
use hookbridge::document::emit;
use hookbridge::{ConvertOptions, Document, Syntax};
use serde_json::Value;

fn options(root: &Path) -> ConvertOptions {
    ConvertOptions {
        root: Some(root.to_path_buf()),
        limits: common::corpus_limits(),
        ..Default::default()
    }
}

fn samples_dir() -> PathBuf {
    common::manifest_dir().join("samples")
}

/// The OpenAPI samples (single files and the multi-file root), each with its `$ref` root.
fn sample_inputs() -> Vec<(PathBuf, PathBuf)> {
    let dir = samples_dir().join("openapi");
    let files = common::openapi_samples();
    files.into_iter().map(|f| (f, dir.clone())).collect()
}

/// The OpenAPI 3.0/3.1 documents of the corpora (a loud SKIPPED line when one is missing, a
/// failure under CI=true: see tests/common).
fn corpus_inputs() -> Vec<(PathBuf, PathBuf)> {
    let mut out = Vec::new();
    for dir in [common::corpus_dir(), common::npm_corpus_dir()] {
        let root = dir.canonicalize().unwrap_or(dir.clone());
        for f in common::openapi_corpus_files(&dir) {
            let version = common::openapi_version(&f).unwrap_or_default();
            if version.starts_with("3.0") || version.starts_with("3.1") {
                out.push((f, root.clone()));
            }
        }
    }
    out
}

fn to_asyncapi(doc: &Document, options: &ConvertOptions) -> Document {
    let there = hookbridge::convert_document(doc, options)
        .unwrap_or_else(|e| panic!("{}: to AsyncAPI: {e}", doc.name));
    assert_eq!(there.target, hookbridge::Target::AsyncApi);
    Document {
        name: format!("{}.asyncapi", doc.name),
        syntax: Syntax::Yaml,
        value: there.document,
    }
}

fn asyncapi_of(path: &Path) -> Document {
    let text = std::fs::read_to_string(path).expect("read");
    hookbridge::document::load::parse_str(&text, &path.display().to_string(), &Default::default())
        .expect("parses")
}

/// The merged document when it is the original exactly; otherwise what differs.
fn round_trip_into(input: &Path, root: &Path) -> Result<Value, String> {
    let opts = options(root);
    let base = hookbridge::load_bundled(input, &opts)
        .map_err(|e| format!("bundle: {e}"))?
        .document;
    let asyncapi = to_asyncapi(&base, &opts);
    let merged = hookbridge::convert_into(&asyncapi, &base, &opts).map_err(|e| e.to_string())?;
    let diffs = compare::differences(&base.value, &merged.document);
    if !diffs.is_empty() {
        let first: Vec<String> = diffs.iter().take(3).map(|d| format!("{d:?}")).collect();
        return Err(format!(
            "{} differences, first: {}",
            diffs.len(),
            first.join("; ")
        ));
    }
    // A stand-in or a shared-component warning would mean the merge did not find the base's own.
    let merge_codes = [
        hookbridge::convert::into::PLACEHOLDER_ADDED,
        hookbridge::convert::into::SHARED_COMPONENT_CHANGED,
        hookbridge::convert::into::CALLBACK_NOT_ATTACHED,
    ];
    if let Some(d) = merged
        .diagnostics
        .iter()
        .find(|d| merge_codes.contains(&d.code))
    {
        return Err(format!("unexpected merge diagnostic: {d}"));
    }
    assert_eq!(merged.document, base.value);
    // Stronger than value equality: unchanged parts keep the base's key order, so the text is
    // the same too.
    let (before, after) = (
        emit::to_json_string(&base.value),
        emit::to_json_string(&merged.document),
    );
    if before != after {
        let at = before
            .bytes()
            .zip(after.bytes())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        let from = before[..at].rfind('\n').unwrap_or(0);
        return Err(format!(
            "equal values, but the key order differs near: {}",
            &after[from..(at + 80).min(after.len())]
        ));
    }
    // The same from a base stripped of its events: what comes back is the converted document's.
    let stripped = Document {
        value: without_events(&base.value),
        ..base.clone()
    };
    let rebuilt =
        hookbridge::convert_into(&asyncapi, &stripped, &opts).map_err(|e| e.to_string())?;
    let diffs = compare::differences(&base.value, &rebuilt.document);
    if let Some(d) = diffs.first() {
        return Err(format!(
            "into the stripped base: {} differences, first: {d:?}",
            diffs.len()
        ));
    }
    // An AsyncAPI document made with --include-paths: only its callbacks are taken from paths.
    let whole = to_asyncapi(
        &base,
        &ConvertOptions {
            include_paths: true,
            ..opts.clone()
        },
    );
    let merged_whole = hookbridge::convert_into(&whole, &base, &opts).map_err(|e| e.to_string())?;
    if merged_whole.document != base.value {
        let diffs = compare::differences(&base.value, &merged_whole.document);
        return Err(format!(
            "from --include-paths: {} differences, first: {:?}",
            diffs.len(),
            diffs.first()
        ));
    }
    Ok(merged.document)
}

/// `doc` with empty webhooks, no callbacks on its path operations and no components.
fn without_events(doc: &Value) -> Value {
    let mut out = doc.clone();
    let Some(root) = out.as_object_mut() else {
        return out;
    };
    root.shift_remove("components");
    for key in ["webhooks", "x-webhooks"] {
        if let Some(hooks) = root.get_mut(key) {
            *hooks = Value::Object(Default::default());
        }
    }
    for item in root
        .get_mut("paths")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|p| p.values_mut())
    {
        for method in hookbridge::openapi::METHODS {
            if let Some(op) = item.get_mut(method).and_then(Value::as_object_mut) {
                op.shift_remove("callbacks");
            }
        }
    }
    out
}

fn check_round_trips(inputs: &[(PathBuf, PathBuf)]) -> Vec<Value> {
    let mut failures = Vec::new();
    let mut merged = Vec::new();
    for (input, root) in inputs {
        match round_trip_into(input, root) {
            Ok(doc) => merged.push(doc),
            Err(e) => failures.push(format!("{}: {e}", input.display())),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} documents did not come back exactly through --into:\n{}",
        failures.len(),
        inputs.len(),
        failures.join("\n")
    );
    merged
}

#[test]
fn samples_come_back_exactly_into_themselves_and_lint_clean() {
    let inputs = sample_inputs();
    assert!(inputs.len() >= 13, "{}", inputs.len());
    let merged = check_round_trips(&inputs);
    let dir = tempfile::tempdir().expect("tempdir");
    let files: Vec<PathBuf> = merged
        .iter()
        .enumerate()
        .map(|(i, doc)| {
            let p = dir.path().join(format!("{i:02}.merged.json"));
            std::fs::write(&p, emit::to_json_string(doc)).expect("write");
            p
        })
        .collect();
    // A sample of shapes found in the wild is not valid OpenAPI itself: the merge may keep its
    // errors, never add one.
    let originals: Vec<PathBuf> = inputs.iter().map(|(p, _)| p.clone()).collect();
    let before = common::lint_openapi(&originals);
    let after = common::lint_openapi(&files);
    let key = |p: &common::LintProblem| (p.rule_id.clone(), p.pointer.clone());
    let mut clean = Vec::new();
    for (b, a) in before.iter().zip(&after) {
        if b.errors.is_empty() {
            clean.push(a.clone());
        } else {
            let known: Vec<_> = b.errors.iter().map(key).collect();
            let new: Vec<_> = a
                .errors
                .iter()
                .filter(|e| !known.contains(&key(e)))
                .collect();
            assert!(
                new.is_empty(),
                "{}: errors the original lacks: {new:?}",
                b.file.display()
            );
        }
    }
    assert!(
        clean.len() + 1 >= after.len(),
        "only one sample may be invalid on purpose"
    );
    common::assert_lint_clean(&clean);
}

#[test]
fn corpus_documents_come_back_exactly_into_themselves() {
    let inputs = corpus_inputs();
    if inputs.is_empty() {
        return; // the helpers said SKIPPED (or failed under CI)
    }
    eprintln!("--into round trip over {} corpus documents", inputs.len());
    check_round_trips(&inputs);
}

fn base_doc(name: &str) -> Document {
    let path = samples_dir().join("openapi").join(name);
    hookbridge::load_bundled(&path, &options(&samples_dir()))
        .expect("loads")
        .document
}

fn json_text(v: Option<&Value>) -> String {
    v.map(emit::to_json_string).unwrap_or_default()
}

#[test]
fn other_webhooks_replace_the_base_ones_and_the_rest_stays_byte_identical() {
    let base = base_doc("paths-and-webhooks.json");
    let asyncapi = asyncapi_of(&samples_dir().join("asyncapi/payment-webhooks.yaml"));
    let alone = hookbridge::convert_document(&asyncapi, &Default::default())
        .expect("converts")
        .document;
    let merged = hookbridge::convert_into(&asyncapi, &base, &Default::default())
        .expect("merges")
        .document;
    assert_eq!(merged["webhooks"], alone["webhooks"]);
    assert_ne!(merged["webhooks"], base.value["webhooks"]);
    for key in ["openapi", "info", "servers", "security", "tags", "paths"] {
        assert_eq!(
            json_text(merged.get(key)),
            json_text(base.value.get(key)),
            "`{key}` must stay as it was, key order included"
        );
    }
    let keys = |v: &Value| -> Vec<String> {
        v.as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    };
    assert_eq!(keys(&merged), keys(&base.value), "root key order kept");
    // Base components stay, the converted ones are added after them.
    let schemas = keys(&merged["components"]["schemas"]);
    let base_schemas = keys(&base.value["components"]["schemas"]);
    assert_eq!(schemas[..base_schemas.len()], base_schemas[..]);
    for name in keys(&alone["components"]["schemas"]) {
        assert_eq!(
            merged["components"]["schemas"][&name],
            alone["components"]["schemas"][&name]
        );
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("merged.yaml");
    std::fs::write(&out, emit::to_yaml_string(&merged)).expect("write");
    common::assert_lint_clean(&common::lint_openapi(&[out]));
}

#[test]
fn a_3_0_base_keeps_x_webhooks_and_its_dialect() {
    let base = base_doc("x-webhooks-30.yaml");
    let asyncapi = asyncapi_of(&samples_dir().join("asyncapi/payment-webhooks.yaml"));
    let merged = hookbridge::convert_into(&asyncapi, &base, &Default::default())
        .expect("merges")
        .document;
    assert_eq!(merged["openapi"], base.value["openapi"]);
    assert!(merged.get("webhooks").is_none());
    assert!(
        merged["x-webhooks"]["paymentSucceeded"].is_object(),
        "{}",
        merged["x-webhooks"]
    );
    assert_eq!(
        json_text(merged.get("paths")),
        json_text(base.value.get("paths"))
    );
}

/// The base's paths share `User` (directly) and `Status` (through `Issue`) with the webhooks;
/// `IssueEvent` is the webhooks' alone.
#[test]
fn a_changed_component_that_paths_share_is_a_warning() {
    let base = base_doc("paths-and-webhooks.json");
    let mut asyncapi = to_asyncapi(&base, &Default::default());
    let schemas = &mut asyncapi.value["components"]["schemas"];
    for name in ["User", "Status", "IssueEvent"] {
        schemas[name]["description"] = Value::String(format!("{name}, edited in AsyncAPI"));
    }
    let merged = hookbridge::convert_into(&asyncapi, &base, &Default::default()).expect("merges");
    let warned: Vec<&str> = merged
        .diagnostics
        .iter()
        .filter(|d| d.code == hookbridge::convert::into::SHARED_COMPONENT_CHANGED)
        .map(|d| d.pointer.as_str())
        .collect();
    assert_eq!(
        warned,
        ["/components/schemas/User", "/components/schemas/Status"]
    );
    let d = &merged.diagnostics[0];
    assert_eq!(d.severity, hookbridge::Severity::Warning);
    assert!(d.message.contains("#/components/schemas/User"), "{d}");
    assert!(d.file.contains("paths-and-webhooks.json"), "{d}");
    let schemas = &merged.document["components"]["schemas"];
    assert_eq!(
        schemas["IssueEvent"]["description"],
        "IssueEvent, edited in AsyncAPI"
    );
}

#[test]
fn a_missing_parent_operation_is_added_as_a_stand_in_with_a_warning() {
    let original = base_doc("callbacks-embedded.yaml");
    let asyncapi = to_asyncapi(&original, &Default::default());
    let mut base = original.clone();
    let paths = base.value["paths"].as_object_mut().expect("paths");
    let path = paths.keys().next().cloned().expect("a path");
    paths.shift_remove(&path);
    let merged = hookbridge::convert_into(&asyncapi, &base, &Default::default()).expect("merges");
    let placeholders: Vec<&hookbridge::Diagnostic> = merged
        .diagnostics
        .iter()
        .filter(|d| d.code == hookbridge::convert::into::PLACEHOLDER_ADDED)
        .collect();
    assert!(!placeholders.is_empty());
    let escaped = hookbridge::document::pointer::escape(&path);
    for d in &placeholders {
        assert!(d.pointer.starts_with(&format!("/paths/{escaped}/")), "{d}");
        let op = merged.document.pointer(&d.pointer).expect("added");
        assert_eq!(op["x-hookbridge-placeholder"], true);
        assert_eq!(
            op["callbacks"],
            original.value.pointer(&d.pointer).expect("original")["callbacks"]
        );
    }
}

// ----- the binary --------------------------------------------------------------------------

fn hookbridge_bin() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_hookbridge"))
}

#[test]
fn cli_refuses_openapi_input_with_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out.yaml");
    let input = samples_dir().join("openapi/refs.yaml");
    let base = samples_dir().join("openapi/paths-and-webhooks.json");
    let result = hookbridge_bin()
        .args([
            "convert".as_ref(),
            input.as_os_str(),
            "--into".as_ref(),
            base.as_os_str(),
        ])
        .arg("-o")
        .arg(&out)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("error[usage]") && stderr.contains("input is OpenAPI"),
        "{stderr}"
    );
    assert!(!out.exists());
    // An AsyncAPI document as the base is refused too.
    let asyncapi = samples_dir().join("asyncapi/payment-webhooks.yaml");
    let result = hookbridge_bin()
        .arg("convert")
        .arg(&asyncapi)
        .arg("--into")
        .arg(&asyncapi)
        .output()
        .expect("runs");
    assert_eq!(result.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&result.stderr).contains("must be OpenAPI"));
}

#[test]
fn cli_writes_the_output_and_leaves_the_base_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = dir.path().join("api.json");
    let original =
        std::fs::read(samples_dir().join("openapi/paths-and-webhooks.json")).expect("read");
    std::fs::write(&base, &original).expect("write");
    let asyncapi = samples_dir().join("asyncapi/payment-webhooks.yaml");
    let out = dir.path().join("merged.yaml");
    let result = hookbridge_bin()
        .arg("convert")
        .arg(&asyncapi)
        .arg("--into")
        .arg(&base)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("runs");
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert_eq!(
        std::fs::read(&base).expect("base"),
        original,
        "base untouched"
    );
    let expected = hookbridge::convert_into(
        &asyncapi_of(&asyncapi),
        &base_doc("paths-and-webhooks.json"),
        &Default::default(),
    )
    .expect("merges")
    .document;
    let written = asyncapi_of(&out).value;
    assert_eq!(written, expected);
    // Standard output takes the base's format (JSON here).
    let result = hookbridge_bin()
        .arg("convert")
        .arg(&asyncapi)
        .arg("--into")
        .arg(&base)
        .output()
        .expect("runs");
    assert_eq!(result.status.code(), Some(0));
    let printed: Value = serde_json::from_slice(&result.stdout).expect("JSON on stdout");
    assert_eq!(printed, expected);
    assert_eq!(
        std::fs::read(&base).expect("base"),
        original,
        "base untouched"
    );
    // The base as its own output: replaced (atomically) by the merged document.
    let result = hookbridge_bin()
        .arg("convert")
        .arg(&asyncapi)
        .arg("--into")
        .arg(&base)
        .arg("-o")
        .arg(&base)
        .output()
        .expect("runs");
    assert_eq!(result.status.code(), Some(0));
    let replaced: Value =
        serde_json::from_slice(&std::fs::read(&base).expect("base")).expect("JSON");
    assert_eq!(replaced, expected);
}

#[test]
fn a_real_parent_operation_the_base_lacks_is_added_whole() {
    let original = base_doc("callbacks-embedded.yaml");
    let whole = ConvertOptions {
        include_paths: true,
        ..Default::default()
    };
    let asyncapi = to_asyncapi(&original, &whole);
    let mut base = original.clone();
    let paths = base.value["paths"].as_object_mut().expect("paths");
    let path = paths.keys().next().cloned().expect("a path");
    paths.shift_remove(&path);
    let merged = hookbridge::convert_into(&asyncapi, &base, &Default::default()).expect("merges");
    assert!(
        merged
            .diagnostics
            .iter()
            .all(|d| d.code != hookbridge::convert::into::PLACEHOLDER_ADDED),
        "{:?}",
        merged.diagnostics
    );
    let item = &merged.document["paths"][&path];
    let mut checked = 0;
    for method in hookbridge::openapi::METHODS {
        let op = &original.value["paths"][&path][method];
        if op.get("callbacks").is_some() {
            assert_eq!(&item[method], op, "{method} {path}");
            checked += 1;
        }
    }
    assert!(checked > 0, "{path} registers no callbacks");
}

/// OpenAPI 3.2: callbacks of `query` and `additionalOperations` operations go back to them in a
/// 3.2 base (stand-ins where the base lacks the operation); a 3.1 base gets what 3.1 lacks in
/// extensions, as `--openapi-version 3.1` writes it.
#[test]
fn openapi_32_parents_and_a_31_base() {
    let text = r#"
openapi: 3.2.0
info: {title: T, version: '1'}
paths:
  /jobs:
    query:
      operationId: findJobs
      callbacks:
        found: {'{$request.body#/url}': {post: {responses: {'204': {description: ok}}}}}
      responses: {'200': {description: ok}}
    additionalOperations:
      LINK:
        callbacks:
          linked: {'{$request.body#/url}': {query: {responses: {'200': {description: ok}}}}}
        responses: {'204': {description: ok}}
webhooks:
  w: {query: {responses: {'200': {description: ok}}}}
"#;
    let original =
        hookbridge::document::load::parse_str(text, "a.yaml", &Default::default()).expect("parses");
    let asyncapi = to_asyncapi(&original, &Default::default());
    // Into the original: itself.
    let merged =
        hookbridge::convert_into(&asyncapi, &original, &Default::default()).expect("merges");
    assert!(compare::differences(&original.value, &merged.document).is_empty());
    // Into the original without its paths: stand-ins at the 3.2 places.
    let mut bare = original.clone();
    bare.value["paths"] = serde_json::json!({});
    let merged = hookbridge::convert_into(&asyncapi, &bare, &Default::default()).expect("merges");
    let link = &merged.document["paths"]["/jobs"]["additionalOperations"]["LINK"];
    assert_eq!(link["x-hookbridge-placeholder"], true);
    assert_eq!(
        link["callbacks"],
        original.value["paths"]["/jobs"]["additionalOperations"]["LINK"]["callbacks"]
    );
    assert!(merged.document["paths"]["/jobs"]["query"]["callbacks"]["found"].is_object());
    // A 3.1 base: the 3.2 operations ride in `x-oai-additionalOperations`, with warnings.
    let mut base31 = bare.clone();
    base31.value["openapi"] = "3.1.0".into();
    let merged = hookbridge::convert_into(&asyncapi, &base31, &Default::default()).expect("merges");
    assert_eq!(merged.document["openapi"], "3.1.0");
    let hook = &merged.document["webhooks"]["w"];
    assert!(hook.get("query").is_none() && hook["x-oai-additionalOperations"]["QUERY"].is_object());
    assert!(merged
        .diagnostics
        .iter()
        .any(|d| d.code == "openapi-version-downgrade" && d.pointer == "/webhooks/w/query"));
}
