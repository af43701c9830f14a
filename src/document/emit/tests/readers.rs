//! Other readers (PyYAML for YAML 1.1, js-yaml for YAML 1.2) read the same document.

use super::props::arb_value;
use super::*;
use proptest::strategy::Strategy;
use serde_json::Map;
use std::path::Path;
use std::process::Command;

/// Everything tricky as keys and values, random documents, a deep one.
fn reader_check_document() -> Value {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = arb_value();
    let random: Vec<Value> = (0..400)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current())
        .collect();
    let keys: Map<String, Value> = TRICKY
        .iter()
        .map(|s| ((*s).to_owned(), Value::String((*s).to_owned())))
        .collect();
    let numbers = json!([
        0,
        -1,
        u64::MAX,
        i64::MIN,
        1.0,
        -0.0,
        0.1,
        1e16,
        1e-7,
        5e-324,
        1.7976931348623157e308,
        123456.789,
        1e15,
        1e21,
        1e22
    ]);
    json!({
        "keys": keys,
        "values": TRICKY,
        "in_seq_maps": TRICKY.iter().map(|s| json!({ *s: [*s] })).collect::<Vec<_>>(),
        "numbers": numbers,
        "random": random,
        "long_keys": {
            "k".repeat(1500): "v",
            format!("{}\t", "q".repeat(1200)): ["x"],
            "s": [{ "m".repeat(1100): { "a": "b\nc" }, "n": 1 }],
        },
        "deep": nested(150),
    })
}

/// Writes the YAML and the expected JSON into a temporary directory.
fn write_check_files(dir: &Path, doc: &Value) -> (String, String) {
    let yaml_path = dir.join("doc.yaml");
    let json_path = dir.join("expected.json");
    std::fs::write(&yaml_path, to_yaml_string(doc)).unwrap();
    std::fs::write(&json_path, serde_json::to_string(doc).unwrap()).unwrap();
    (
        yaml_path.to_str().unwrap().to_owned(),
        json_path.to_str().unwrap().to_owned(),
    )
}

const PYYAML_CHECK: &str = r#"
import json, sys
try:
    import yaml
except ImportError as e:
    print("PyYAML is not importable (%s); install it with: pip install pyyaml==6.0.2" % e)
    sys.exit(3)
sys.setrecursionlimit(20000)

def diff(got, want, path):
    if type(got) is not type(want):
        return "%s: expected %s %r, read %s %r" % (
            path, type(want).__name__, want, type(got).__name__, got)
    if isinstance(want, dict):
        if list(got) != list(want):
            for i, (g, w) in enumerate(zip(list(got) + [None], list(want) + [None])):
                if g != w or type(g) is not type(w):
                    return "%s: key #%d read as %r, expected %r" % (path, i, g, w)
        for k in want:
            d = diff(got[k], want[k], "%s/%r" % (path, k))
            if d:
                return d
    elif isinstance(want, list):
        if len(got) != len(want):
            return "%s: %d items, expected %d" % (path, len(got), len(want))
        for i, (g, w) in enumerate(zip(got, want)):
            d = diff(g, w, "%s/%d" % (path, i))
            if d:
                return d
    elif got != want:
        return "%s: read %r, expected %r" % (path, got, want)
    return None

with open(sys.argv[2], "rb") as f:
    want = json.load(f)
loaders = [("SafeLoader", yaml.SafeLoader)]
if getattr(yaml, "__with_libyaml__", False):
    loaders.append(("CSafeLoader", yaml.CSafeLoader))
for name, loader in loaders:
    with open(sys.argv[1], "rb") as f:
        got = yaml.load(f, Loader=loader)
    d = diff(got, want, "")
    if d:
        print("PyYAML %s %s: %s" % (yaml.__version__, name, d))
        sys.exit(1)
print("PyYAML %s: %s agree" % (yaml.__version__, ", ".join(n for n, _ in loaders)))
"#;

/// YAML 1.1: PyYAML (pure and libyaml loaders) must read exactly the JSON.
/// Requires python3 with PyYAML; fails (never skips) without them.
#[test]
fn pyyaml_reads_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let (yaml_path, json_path) = write_check_files(dir.path(), &reader_check_document());
    let output = Command::new("python3")
        .args(["-c", PYYAML_CHECK, &yaml_path, &json_path])
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run python3 ({e}): this test needs Python 3 with PyYAML \
                     (pip install pyyaml==6.0.2) and must not be skipped"
            )
        });
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "PyYAML check failed ({}):\n{stdout}{stderr}",
        output.status
    );
    eprintln!("{stdout}");
}

const JS_YAML_CHECK: &str = r#"
const fs = require("fs");
const yaml = require("js-yaml");
// js-yaml 4.3 stops at depth 100 by default; the check document is deeper.
const got = yaml.load(fs.readFileSync(process.argv[1], "utf8"), { maxDepth: 1000 });
const want = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
if (JSON.stringify(got) !== JSON.stringify(want)) {
  console.log("js-yaml read a different document");
  process.exit(1);
}
console.log("js-yaml agrees");
"#;

/// YAML 1.2: js-yaml. Needs node and `npm ci --prefix tests/js`.
#[test]
fn js_yaml_reads_the_same() {
    let js_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js");
    assert!(
        js_dir.join("node_modules/js-yaml").is_dir(),
        "js-yaml missing: run `npm ci --prefix tests/js`"
    );
    let dir = tempfile::tempdir().unwrap();
    let (yaml_path, json_path) = write_check_files(dir.path(), &reader_check_document());
    let output = Command::new("node")
        .current_dir(&js_dir)
        .args(["-e", JS_YAML_CHECK, &yaml_path, &json_path])
        .output()
        .unwrap_or_else(|e| panic!("cannot run node ({e})"));
    assert!(
        output.status.success(),
        "js-yaml check failed ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
