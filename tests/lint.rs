//! `hookbridge::contract::lint`: parity with the seed Spectral rules (run with the real Spectral CLI),
//! example validation on the corpus, the AsyncAPI rules, configuration and output formats
//! (SARIF checked against the SARIF 2.1.0 JSON Schema).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use hookbridge::contract::lint::{self, rules, Finding, Level, LintConfig, OutputFormat};
use hookbridge::document::refs::BundleOptions;
use hookbridge::Severity;
use serde_json::{json, Value};

fn fixture(name: &str) -> PathBuf {
    common::manifest_dir()
        .join("tests/fixtures/lint")
        .join(name)
}

/// Lints a file with the default configuration; `root` widens the bundling sandbox.
fn lint_file(path: &Path, root: Option<&Path>) -> Vec<Finding> {
    let options = BundleOptions {
        root: root.map(Path::to_path_buf),
        limits: common::corpus_limits(),
    };
    lint::lint_path(path, &LintConfig::default(), &options)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn lint_text(text: &str) -> Vec<Finding> {
    let doc = hookbridge::document::load::parse_str(text, "t.yaml", &Default::default()).unwrap();
    lint::lint_document(&doc, &LintConfig::default()).unwrap()
}

fn pointers<'a>(found: &'a [Finding], rule: &str) -> Vec<&'a str> {
    found
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| f.pointer.as_str())
        .collect()
}

fn tokens(pointer: &str) -> Vec<String> {
    hookbridge::document::pointer::split(pointer).unwrap_or_default()
}

// ----- Spectral parity ---------------------------------------------------------------------

/// The seed rules and the hookbridge rules that correspond to them.
const SEED_RULES: [(&str, &str); 3] = [
    ("webhook-must-have-response", rules::WEBHOOK_RESPONSES),
    (
        "callback-must-have-requestbody",
        rules::CALLBACK_REQUEST_BODY,
    ),
    ("callback-must-have-security", rules::CALLBACK_SECURITY),
];

#[derive(Debug, serde::Deserialize)]
struct SpectralResult {
    code: String,
    path: Vec<Value>,
    source: Option<String>,
}

/// One finding as (file, seed rule, path tokens).
type Key = (PathBuf, String, Vec<String>);

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

fn run_spectral(files: &[PathBuf]) -> Vec<SpectralResult> {
    let bin = common::js_dir().join("node_modules/.bin/spectral");
    assert!(
        bin.exists(),
        "{} is missing: run `npm ci --prefix tests/js` (scripts/test-all.sh does it)",
        bin.display()
    );
    let out = Command::new(&bin)
        .args(["lint", "--quiet", "-f", "json", "--ruleset"])
        .arg(fixture("spectral-seed-rules.yaml"))
        .args(files)
        .output()
        .expect("run spectral");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "spectral printed no JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// Spectral's findings of the seed rules. A falsy field that exists is reported at the field
/// (`.../patch/responses`); hookbridge reports the operation, so the field is dropped.
fn spectral_keys(results: Vec<SpectralResult>) -> Vec<Key> {
    let mut keys = Vec::new();
    for r in results {
        if !SEED_RULES.iter().any(|(s, _)| *s == r.code) {
            continue; // `parser`, `invalid-ref`: Spectral's own diagnostics
        }
        let mut path: Vec<String> = r
            .path
            .iter()
            .map(|t| t.as_str().map_or_else(|| t.to_string(), str::to_string))
            .collect();
        if matches!(
            path.last().map(String::as_str),
            Some("responses" | "requestBody" | "security")
        ) {
            path.pop();
        }
        let source = canonical(Path::new(r.source.as_deref().unwrap_or("")));
        keys.push((source, r.code, path));
    }
    keys.sort();
    keys
}

/// Whether Spectral's `given` covers a hookbridge finding: `$.webhooks[*][post,put,patch]`
/// and `$.paths[*].*.callbacks[*][*][post,put,patch]`, on the path that reached it.
fn spectral_covers(f: &Finding) -> bool {
    let usage = tokens(f.reached_from.as_deref().unwrap_or(&f.pointer));
    let method_ok = usage
        .last()
        .is_some_and(|m| matches!(m.as_str(), "post" | "put" | "patch"));
    let shape_ok = match f.rule {
        rules::WEBHOOK_RESPONSES => usage.len() == 3 && usage[0] == "webhooks",
        _ => usage.len() == 7 && usage[0] == "paths" && usage[3] == "callbacks",
    };
    method_ok && shape_ok
}

/// What Spectral prints for a hookbridge finding. Spectral maps a location reached through a
/// `$ref` back to its definition with a JSON pointer that does not escape `/`, so it stops
/// before the first key holding a `/` (`{$request.body#/url}`); direct locations are exact.
fn expected_path(f: &Finding) -> Vec<String> {
    let t = tokens(&f.pointer);
    match f.reached_from {
        None => t,
        Some(_) => t.into_iter().take_while(|t| !t.contains('/')).collect(),
    }
}

fn hookbridge_keys(file: &Path, found: &[Finding]) -> Vec<Key> {
    let mut keys = Vec::new();
    for f in found.iter().filter(|f| spectral_covers(f)) {
        if let Some((seed, _)) = SEED_RULES.iter().find(|(_, h)| *h == f.rule) {
            keys.push((canonical(file), seed.to_string(), expected_path(f)));
        }
    }
    keys
}

/// Files Spectral and hookbridge both read: the samples, the lint fixtures and the corpus's 3.0
/// and 3.1 documents, with the directory to bundle from.
/// The samples and fixtures, or (`corpus`) the shared corpus.
fn parity_files(corpus: bool) -> Vec<(PathBuf, PathBuf)> {
    let samples = common::manifest_dir().join("samples");
    let mut files: Vec<(PathBuf, PathBuf)> = Vec::new();
    if !corpus {
        files.extend(
            common::openapi_corpus_files(&samples)
                .into_iter()
                .map(|f| (f, samples.clone())),
        );
        files.push((fixture("seed-rules-31.yaml"), fixture("")));
        files.push((fixture("seed-rules-30.yaml"), fixture("")));
        return files;
    }
    let dir = common::corpus_dir();
    for f in common::openapi_corpus_files(&dir) {
        if common::openapi_version(&f).is_some_and(|v| v.starts_with("3.0") || v.starts_with("3.1"))
        {
            files.push((f, dir.clone()));
        }
    }
    files
}

#[test]
fn seed_spectral_rules_agree_with_hookbridge() {
    spectral_parity(parity_files(false), 40, true);
}

#[test]
fn seed_spectral_rules_agree_with_hookbridge_on_the_corpus() {
    spectral_parity(parity_files(true), 10, false);
}

/// Spectral's seed rules and ours find the same over `files`: at least `at_least` findings,
/// and one of each seed rule when `every_rule`.
fn spectral_parity(files: Vec<(PathBuf, PathBuf)>, at_least: usize, every_rule: bool) {
    let paths: Vec<PathBuf> = files.iter().map(|(f, _)| f.clone()).collect();
    let spectral = spectral_keys(run_spectral(&paths));
    let mut ours = Vec::new();
    for (file, root) in &files {
        ours.extend(hookbridge_keys(file, &lint_file(file, Some(root))));
    }
    ours.sort();
    let mut unmatched_ours = Vec::new();
    let mut remaining = spectral.clone();
    for key in &ours {
        match remaining.iter().position(|s| s == key) {
            Some(i) => {
                remaining.remove(i);
            }
            None => unmatched_ours.push(key.clone()),
        }
    }
    // Definitions in another file of a multi-file spec: Spectral names that file; hookbridge
    // lints the bundled tree, where the definition sits under `components`.
    unmatched_ours.retain(|(_, rule, path)| {
        let other = remaining
            .iter()
            .position(|(_, r, p)| r == rule && !p.is_empty() && path.ends_with(p));
        match other {
            Some(i) if !paths.iter().any(|f| canonical(f) == remaining[i].0) => {
                remaining.remove(i);
                false
            }
            _ => true,
        }
    });
    assert!(
        unmatched_ours.is_empty() && remaining.is_empty(),
        "hookbridge only: {unmatched_ours:#?}\nSpectral only: {remaining:#?}"
    );
    assert!(
        spectral.len() >= at_least,
        "too few Spectral findings: {}",
        spectral.len()
    );
    for (seed, _) in SEED_RULES.iter().filter(|_| every_rule) {
        assert!(
            spectral.iter().any(|(_, r, _)| r == seed),
            "no `{seed}` finding to compare"
        );
    }
}

#[test]
fn hookbridge_covers_more_than_the_seed_rules() {
    let found = lint_file(&fixture("seed-rules-31.yaml"), None);
    let beyond: Vec<(&str, &str)> = found
        .iter()
        .filter(|f| !spectral_covers(f))
        .map(|f| (f.rule, f.pointer.as_str()))
        .collect();
    for expected in [
        (rules::WEBHOOK_RESPONSES, "/webhooks/deleteHook/delete"),
        (rules::WEBHOOK_RESPONSES, "/x-webhooks/legacy/post"),
        (
            rules::CALLBACK_SECURITY,
            "/paths/~1subscriptions/post/callbacks/onEvent/{$request.body#~1callbackUrl}/get",
        ),
        (
            rules::CALLBACK_SECURITY,
            "/webhooks/nested/post/callbacks/onAck/{$request.body#~1ackUrl}/post",
        ),
        (
            rules::CALLBACK_REQUEST_BODY,
            "/webhooks/nested/post/callbacks/onAck/{$request.body#~1ackUrl}/post",
        ),
        (rules::WEBHOOK_SECURITY, "/webhooks/missingEverything/post"),
    ] {
        assert!(
            beyond.contains(&expected),
            "{expected:?} not in {beyond:#?}"
        );
    }
    // `security: []` declares "none": not a finding; GET callbacks need no body.
    let get = "/paths/~1subscriptions/post/callbacks/onEvent/{$request.body#~1callbackUrl}/get";
    assert!(!pointers(&found, rules::CALLBACK_REQUEST_BODY).contains(&get));
    let patch = "/paths/~1subscriptions/post/callbacks/onEvent/{$request.body#~1callbackUrl}/patch";
    assert!(!pointers(&found, rules::CALLBACK_SECURITY).contains(&patch));
}

// ----- structure rules ---------------------------------------------------------------------

#[test]
fn webhooks_in_30_runtime_expressions_and_hosts() {
    let found = lint_file(&fixture("seed-rules-30.yaml"), None);
    assert_eq!(pointers(&found, rules::WEBHOOKS_IN_30), ["/webhooks"]);
    let msg = &found
        .iter()
        .find(|f| f.rule == rules::WEBHOOKS_IN_30)
        .unwrap()
        .message;
    assert!(msg.contains("3.1") && msg.contains("x-webhooks"), "{msg}");
    let found = lint_file(
        &common::manifest_dir().join("samples/openapi/invalid-expressions.yaml"),
        None,
    );
    let bad = pointers(&found, rules::RUNTIME_EXPRESSION);
    assert!(
        bad.contains(
            &"/paths/~1messages/post/callbacks/legacyStatus/${request.body#~1callbackUrl}"
        ),
        "{bad:?}"
    );
    assert!(
        bad.contains(&"/paths/~1messages/post/callbacks/unclosed/{$request.body#~1url"),
        "{bad:?}"
    );
    assert!(!bad.iter().any(|p| p.contains("statusCallback")), "{bad:?}");
    let hosts = pointers(&found, rules::CALLBACK_URL_HOST);
    let embedded = lint_file(
        &common::manifest_dir().join("samples/openapi/callbacks-embedded.yaml"),
        None,
    );
    let embedded_hosts = pointers(&embedded, rules::CALLBACK_URL_HOST);
    assert!(
        embedded_hosts
            .iter()
            .any(|p| p.contains("transactionNotice/https:~1~1notify.example.com")),
        "{embedded_hosts:?} {hosts:?}"
    );
    assert!(embedded
        .iter()
        .filter(|f| f.rule == rules::CALLBACK_URL_HOST)
        .all(|f| f.severity == Severity::Warning));
}

#[test]
fn asyncapi_http_send_operations() {
    let found = lint_file(&fixture("asyncapi-http.yaml"), None);
    let got: Vec<(&str, &str)> = found.iter().map(|f| (f.rule, f.pointer.as_str())).collect();
    let expected = [
        (
            rules::RUNTIME_EXPRESSION,
            "/channels/orderHook/parameters/bad/location",
        ),
        (rules::SEND_SECURITY, "/operations/orderCreated"),
        (rules::SEND_REPLY, "/operations/orderCreated"),
        (rules::SEND_PAYLOAD, "/components/messages/Ping"),
        (rules::CALLBACK_URL_HOST, "/channels/fixedHook/address"),
        (
            rules::EXAMPLE_VALID,
            "/components/messages/OrderCreated/examples/1/payload",
        ),
        (
            rules::EXAMPLE_VALID,
            "/components/messages/OrderCreated/examples/0/headers",
        ),
        (rules::EXAMPLE_VALID, "/components/schemas/Order/examples/0"),
        (
            rules::EXAMPLE_VALID,
            "/components/messages/Legacy/examples/0/payload",
        ),
    ];
    for e in expected {
        assert!(got.contains(&e), "{e:?} not in {got:#?}");
    }
    assert_eq!(got.len(), expected.len(), "{got:#?}");
    // Kafka operations and the well-formed HTTP one have nothing to report.
    assert!(
        !got.iter()
            .any(|(_, p)| p.contains("kafka") || p.contains("orderShipped")),
        "{got:#?}"
    );
}

#[test]
fn converted_samples_keep_their_findings() {
    let sample = common::manifest_dir().join("samples/openapi/webhooks-multi.yaml");
    let doc = hookbridge::document::load::load_path(&sample, &Default::default()).unwrap();
    let converted = hookbridge::convert_document(&doc, &Default::default()).unwrap();
    let asyncapi = hookbridge::Document {
        name: "converted.yaml".into(),
        syntax: hookbridge::Syntax::Yaml,
        value: converted.document,
    };
    let theirs = lint::lint_document(&asyncapi, &LintConfig::default()).unwrap();
    let ours = lint::lint_document(&doc, &LintConfig::default()).unwrap();
    let count = |f: &[Finding], r: &str| f.iter().filter(|x| x.rule == r).count();
    assert_eq!(
        count(&ours, rules::WEBHOOK_SECURITY),
        count(&theirs, rules::SEND_SECURITY),
        "{ours:#?}\n{theirs:#?}"
    );
    assert_eq!(
        count(&ours, rules::WEBHOOK_RESPONSES),
        count(&theirs, rules::SEND_REPLY),
        "{ours:#?}\n{theirs:#?}"
    );
    assert_eq!(count(&theirs, rules::EXAMPLE_VALID), 0, "{theirs:#?}");
    assert_eq!(count(&theirs, rules::EXAMPLE_UNCHECKED), 0, "{theirs:#?}");
}

// ----- examples ----------------------------------------------------------------------------

#[test]
fn examples_in_the_openapi_30_dialect() {
    let found = lint_file(&fixture("examples-30.yaml"), None);
    let bad = pointers(&found, rules::EXAMPLE_VALID);
    let base = "/x-webhooks/~1orders/post/requestBody/content/application~1json";
    let expected = [
        format!("{base}/examples/zeroQuantity/value"),
        format!("{base}/examples/nullId/value"),
        format!("{base}/examples/fromComponents"),
        "/components/schemas/Quantity/example".to_string(),
        "/components/parameters/Limit/example".to_string(),
    ];
    for e in &expected {
        assert!(bad.contains(&e.as_str()), "{e} not in {bad:#?}");
    }
    assert_eq!(bad.len(), expected.len(), "{bad:#?}");
    let via = found
        .iter()
        .find(|f| f.pointer.ends_with("fromComponents"))
        .unwrap();
    assert!(
        via.message.contains("#/components/examples/Broken"),
        "{}",
        via.message
    );
    assert_eq!(
        pointers(&found, rules::EXAMPLE_FORMAT),
        ["/components/schemas/Order/properties/placedAt/example"]
    );
}

#[test]
fn examples_in_openapi_31_and_the_null_hint() {
    let found = lint_file(&fixture("examples-31.yaml"), None);
    let bad = pointers(&found, rules::EXAMPLE_VALID);
    let expected = [
        "/components/schemas/Tags/examples/1",
        "/components/schemas/Legacy/properties/note/examples/0",
        "/paths/~1items/post/responses/201/content/application~1json/example",
        "/paths/~1items/post/requestBody/content/application~1json/examples/wrongType/value",
    ];
    for e in expected {
        assert!(bad.contains(&e), "{e} not in {bad:#?}");
    }
    assert_eq!(bad.len(), expected.len(), "{bad:#?}");
    let null = found.iter().find(|f| f.pointer.contains("Legacy")).unwrap();
    assert!(null.message.contains("nullable"), "{}", null.message);
    let one_of = found
        .iter()
        .find(|f| f.pointer.contains("wrongType"))
        .unwrap();
    assert!(one_of.message.contains("closest"), "{}", one_of.message);
}

/// Documents whose examples all validate: no `example-valid` finding may appear.
const CLEAN_DOCUMENTS: &[&str] = &[
    "adyen-openapi/yaml/BalancePlatformConfigurationNotification-v2.yaml",
    "adyen-openapi/yaml/BalancePlatformReportNotification-v1.yaml",
    "asyncapi-converter-js/test/input/openapi/callbacks_and_contents.yml",
    "camara-qod/code/API_definitions/qos-profiles.yaml",
    "camara-qod/code/API_definitions/qos-provisioning.yaml",
    "camara-qod/code/API_definitions/quality-on-demand.yaml",
    // Structurally valid; 25 date-times without a time zone are `example-format` warnings.
    "lithic-openapi/lithic-openapi.yml",
    "museum-openapi-example/openapi.yaml",
    "oai-openapi-specification/callback-example.json",
    "oai-openapi-specification/callback-example.yaml",
    "oai-openapi-specification/webhook-example.yaml",
    "openapi-starter/openapi/openapi.yaml",
    "asyncapi-spec/examples/operation-security-asyncapi.yml",
    "asyncapi-spec/examples/gitter-streaming-asyncapi.yml",
    "asyncapi-converter-js/test/output/openapi-to-asyncapi/callbacks_and_contents.yml",
    "asyncapi-converter-js/test/output/openapi-to-asyncapi/operation_and_parameter.yml",
];

/// Corpus documents with examples that really do not match their schemas, and how many.
const INVALID_EXAMPLES: &[(&str, usize)] = &[
    (
        "advantedge/go-apps/meep-app-enablement/api/service-mgmt/swagger.yaml",
        2,
    ),
    ("advantedge/go-apps/meep-loc-serv/api/swagger.yaml", 25),
    ("advantedge/go-apps/meep-rnis/api/swagger.yaml", 8),
    ("adyen-openapi/json/Webhooks-v1.json", 7),
    ("redoc/demo/openapi-3-1.yaml", 2),
    ("redoc/demo/openapi.yaml", 2),
];

fn example_counts(found: &[Finding]) -> (usize, usize) {
    let count = |r: &str| found.iter().filter(|f| f.rule == r).count();
    (count(rules::EXAMPLE_VALID), count(rules::EXAMPLE_UNCHECKED))
}

#[test]
fn corpus_examples_without_false_positives() {
    let dir = common::corpus_dir();
    for name in CLEAN_DOCUMENTS {
        let found = lint_file(&dir.join(name), Some(&dir));
        let bad: Vec<String> = found
            .iter()
            .filter(|f| f.rule.starts_with("example-valid") || f.rule == rules::EXAMPLE_UNCHECKED)
            .map(Finding::to_string)
            .collect();
        assert!(bad.is_empty(), "{name}:\n{}", bad.join("\n"));
    }
    let mut wrong = Vec::new();
    for (name, expected) in INVALID_EXAMPLES {
        let found = lint_file(&dir.join(name), Some(&dir));
        if example_counts(&found) != (*expected, 0) {
            wrong.push(format!(
                "{name}: {:?}, expected ({expected}, 0)",
                example_counts(&found)
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn npm_corpus_examples() {
    let dir = common::npm_corpus_dir();
    let github = dir.join("octokit-openapi-webhooks/api.github.com.json");
    if github.exists() {
        let found = lint_file(&github, None);
        // `examples: ["label", "deployment"]` on array properties: each item of `examples`
        // must be a whole array (JSON Schema 2020-12), so these 12 are real errors.
        assert_eq!(example_counts(&found), (12, 0));
        assert!(pointers(&found, rules::EXAMPLE_VALID)
            .contains(&"/components/schemas/issue/properties/labels/examples/0"));
        assert_eq!(pointers(&found, rules::WEBHOOK_SECURITY).len(), 261);
    }
    let galaxy = dir.join("scalar-galaxy/3.1.yaml");
    if galaxy.exists() {
        assert_eq!(example_counts(&lint_file(&galaxy, None)), (0, 0));
    }
}

/// Copies `rel` (and what it references) from the corpus into a temporary directory, breaks
/// the example at `example_ptr` by replacing the value at `value_ptr` inside it, and lints.
fn lint_broken_copy(
    dir: &Path,
    rel: &[&str],
    example_ptr: &str,
    value_ptr: &str,
    bad: Value,
) -> Vec<Finding> {
    let tmp = tempfile::tempdir().unwrap();
    for r in rel {
        let target = tmp.path().join(r);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(dir.join(r), &target).unwrap();
    }
    let root = tmp.path().join(rel[0]);
    let mut doc = hookbridge::document::load::load_path(&root, &Default::default())
        .unwrap()
        .value;
    let slot = doc
        .pointer_mut(example_ptr)
        .and_then(|e| e.pointer_mut(value_ptr))
        .unwrap_or_else(|| panic!("{example_ptr}{value_ptr} not in {}", rel[0]));
    *slot = bad;
    std::fs::write(&root, serde_json::to_string(&doc).unwrap()).unwrap();
    lint_file(&root, Some(tmp.path()))
}

/// Every `example-valid` finding comes from the components example `name`.
fn assert_broken_example(found: &[Finding], name: &str, usage: &str) {
    let bad: Vec<&Finding> = found
        .iter()
        .filter(|f| f.rule == rules::EXAMPLE_VALID)
        .collect();
    let target = format!("`#/components/examples/{name}`");
    assert!(bad.iter().all(|f| f.message.contains(&target)), "{bad:#?}");
    assert!(
        bad.iter().any(|f| f.pointer == usage),
        "{usage} not in {bad:#?}"
    );
}

#[test]
fn a_corpus_example_broken_on_purpose_is_found() {
    let dir = common::corpus_dir();
    // OpenAPI 3.1: the museum's special-event example (used by its webhook) gets a number
    // where a string belongs.
    let museum = ["museum-openapi-example/openapi.yaml"];
    let name = "GetSpecialEventResponseExample";
    let example = format!("/components/examples/{name}/value");
    let found = lint_broken_copy(&dir, &museum, &example, "/name", json!(42));
    let webhook = "/webhooks/publishNewEvent/post/requestBody/content/application~1json/examples/default_example";
    assert_broken_example(&found, name, webhook);
    // OpenAPI 3.0 (nullable, several files): CAMARA's session example gets a negative duration.
    let camara = [
        "camara-qod/code/API_definitions/quality-on-demand.yaml",
        "camara-qod/code/common/CAMARA_common.yaml",
        "camara-qod/code/common/CAMARA_event_common.yaml",
    ];
    let name = "SESSION_AVAILABLE_EXAMPLE";
    let example = format!("/components/examples/{name}/value");
    let found = lint_broken_copy(&dir, &camara, &example, "/duration", json!(-5));
    let usage = "/paths/~1sessions~1{sessionId}/get/responses/200/content/application~1json/examples/SESSION_AVAILABLE";
    assert_broken_example(&found, name, usage);
    assert!(
        found
            .iter()
            .any(|f| f.message.contains("-5 is less than the minimum of 1")),
        "{found:#?}"
    );
}

// ----- configuration and output ------------------------------------------------------------

#[test]
fn configuration_sets_levels() {
    let config = LintConfig::load(&fixture("config/.hookbridge.yaml")).unwrap();
    assert_eq!(config.level(rules::WEBHOOK_SECURITY), Level::Off);
    assert_eq!(config.level(rules::CALLBACK_URL_HOST), Level::Error);
    assert_eq!(config.level(rules::EXAMPLE_VALID), Level::Warn);
    let doc = hookbridge::document::load::load_path(
        &common::manifest_dir().join("samples/openapi/callbacks-embedded.yaml"),
        &Default::default(),
    )
    .unwrap();
    let found = lint::lint_document(&doc, &config).unwrap();
    assert!(pointers(&found, rules::WEBHOOK_SECURITY).is_empty());
    let hosts: Vec<&Finding> = found
        .iter()
        .filter(|f| f.rule == rules::CALLBACK_URL_HOST)
        .collect();
    assert!(!hosts.is_empty() && hosts.iter().all(|f| f.severity == Severity::Error));
    let err = LintConfig::from_text("rules:\n  no-such-rule: off\n", "c.yaml").unwrap_err();
    assert!(err.to_string().contains("no-such-rule"), "{err}");
    let err = LintConfig::from_text("rules:\n  webhook-security: never\n", "c.yaml").unwrap_err();
    assert!(err.to_string().contains("off, warn or error"), "{err}");
}

#[test]
fn text_and_json_output() {
    let found = lint_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nwebhooks:\n  a:\n    post: {security: []}\n",
    );
    assert!(lint::has_errors(&found));
    let text = lint::render(&found, OutputFormat::Text);
    assert_eq!(
        text.lines().next().unwrap(),
        "error[webhook-responses] t.yaml#/webhooks/a/post: webhook operation `post` defines no `responses`: say which status codes the subscriber answers with (for example `2XX`), so the provider knows when delivery succeeded"
    );
    assert!(text.ends_with("1 error(s), 0 warning(s)\n"), "{text}");
    let json: Value = serde_json::from_str(&lint::render(&found, OutputFormat::Json)).unwrap();
    assert_eq!(json["errors"], 1);
    assert_eq!(json["findings"][0]["rule"], "webhook-responses");
    assert_eq!(json["findings"][0]["pointer"], "/webhooks/a/post");
}

fn sarif_schema() -> Value {
    let path = common::js_dir()
        .join("node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{} ({e}): the SARIF 2.1.0 schema ships in npm `@microsoft/jest-sarif`; run `npm ci --prefix tests/js`",
            path.display()
        )
    });
    // rtm.5's `language` patterns have a stray `]` that the draft-04 meta-schema's `regex`
    // format rejects; the final 2.1.0 schema reads `^[a-zA-Z]{2}(-[a-zA-Z]{2})?$` (hookbridge
    // never writes `language`).
    let text = text.replace(
        r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#,
        r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#,
    );
    serde_json::from_str(&text).unwrap()
}

#[test]
fn sarif_output_validates_against_the_sarif_schema() {
    let mut found = lint_file(&fixture("seed-rules-31.yaml"), None);
    found.extend(lint_file(&fixture("examples-30.yaml"), None));
    found.extend(lint_file(&fixture("asyncapi-http.yaml"), None));
    assert!(found.len() > 20);
    let sarif: Value = serde_json::from_str(&lint::render(&found, OutputFormat::Sarif)).unwrap();
    let validator = jsonschema::validator_for(&sarif_schema()).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let run = &sarif["runs"][0];
    assert_eq!(run["results"].as_array().unwrap().len(), found.len());
    let rules_listed: BTreeMap<&str, usize> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, r)| (r["id"].as_str().unwrap(), i))
        .collect();
    for r in run["results"].as_array().unwrap() {
        assert_eq!(
            rules_listed[r["ruleId"].as_str().unwrap()],
            r["ruleIndex"].as_u64().unwrap() as usize
        );
    }
    // The schema is really enforced: a level SARIF does not know is rejected.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = json!("fatal");
    assert!(!validator.is_valid(&broken));
    // The empty log is valid too.
    let empty: Value = serde_json::from_str(&lint::render(&[], OutputFormat::Sarif)).unwrap();
    assert!(validator.is_valid(&empty));
}
