//! The real binary: exit codes, messages, stdin/stdout and safe output on bad input.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn hookbridge() -> Command {
    Command::cargo_bin("hookbridge").expect("binary builds")
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("temp file");
    p
}

const WEBHOOK: &str = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\nwebhooks:\n  ping:\n    post:\n      responses:\n        '200': {description: ok}\n";

/// (file name, content, text the single error line must contain)
const BAD_INPUTS: &[(&str, &str, &str)] = &[
    ("unparsable.yaml", "openapi: 3.1.0\ninfo: [unclosed\n", "unparsable.yaml"),
    ("empty.yaml", "", "empty"),
    ("list.yaml", "- openapi\n- 3.1.0\n", "a list"),
    ("other.yaml", "name: not an api\n", "no `openapi` or `asyncapi` field"),
    ("v33.yaml", "openapi: 3.3.0\ninfo: {title: T, version: '1'}\n", "3.3.0"),
    ("swagger.yaml", "swagger: '2.0'\ninfo: {title: T, version: '1'}\n", "Swagger 2.0"),
    (
        "missing-ref.yaml",
        "openapi: 3.1.0\ninfo: {title: T, version: '1'}\nwebhooks:\n  a:\n    $ref: '#/components/pathItems/nope'\n",
        "#/components/pathItems/nope",
    ),
    ("dup.yaml", "openapi: 3.1.0\nopenapi: 3.0.0\n", "duplicate key"),
];

#[test]
fn bad_input_exits_2_with_one_clear_message_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text, expected) in BAD_INPUTS {
        let input = write(dir.path(), name, text);
        let out = dir.path().join(format!("{name}.out.yaml"));
        let assert = hookbridge()
            .arg("convert")
            .arg(&input)
            .arg("-o")
            .arg(&out)
            .assert();
        let output = assert.get_output();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
        assert_eq!(
            stderr.lines().count(),
            1,
            "{name}: one message expected:\n{stderr}"
        );
        assert!(
            stderr.contains(name),
            "{name}: the message must name the file: {stderr}"
        );
        assert!(
            stderr.contains(expected),
            "{name}: expected `{expected}` in: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        assert!(!out.exists(), "{name}: no output file may be left");
        assert_eq!(
            std::fs::read_to_string(&input).ok().as_deref(),
            Some(*text),
            "input untouched"
        );
    }
}

#[test]
fn an_existing_output_is_untouched_on_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = write(dir.path(), "bad.yaml", "openapi: [\n");
    let out = write(dir.path(), "out.yaml", "previous\n");
    hookbridge()
        .arg("convert")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2);
    assert_eq!(
        std::fs::read_to_string(&out).ok().as_deref(),
        Some("previous\n")
    );
    let leftovers = std::fs::read_dir(dir.path()).expect("dir").count();
    assert_eq!(leftovers, 2, "no temporary file left behind");
}

#[test]
fn stdin_to_stdout_and_format_selection() {
    let out = hookbridge()
        .args(["convert", "-"])
        .write_stdin(WEBHOOK)
        .assert()
        .success();
    let yaml: serde_json::Value =
        serde_yaml::from_slice(&out.get_output().stdout).expect("YAML output");
    assert_eq!(yaml["asyncapi"], "3.0.0");

    let out = hookbridge()
        .args(["convert", "-", "--format", "json"])
        .write_stdin(WEBHOOK)
        .assert()
        .success();
    let json: serde_json::Value =
        serde_json::from_slice(&out.get_output().stdout).expect("JSON output");
    assert_eq!(
        json["operations"]["ping.post"]["bindings"]["http"]["method"],
        "POST"
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let input = write(dir.path(), "in.yaml", WEBHOOK);
    let target = dir.path().join("out.json");
    hookbridge()
        .arg("convert")
        .arg(&input)
        .arg("-o")
        .arg(&target)
        .assert()
        .success();
    let written = std::fs::read_to_string(&target).expect("output written");
    assert!(
        written.trim_start().starts_with('{'),
        "extension .json selects JSON"
    );
}

#[test]
fn warnings_are_reported_and_strict_turns_them_into_exit_1() {
    let doc = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /s:\n    post:\n      responses: {'200': {description: ok}}\n      callbacks:\n        cb:\n          '{request.body#/url}':\n            post:\n              responses: {'200': {description: ok}}\n";
    let out = hookbridge()
        .args(["convert", "-"])
        .write_stdin(doc)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("warning[invalid-runtime-expression]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("/paths/~1s/post/callbacks/cb/{request.body#~1url}"),
        "names the pointer: {stderr}"
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("out.yaml");
    hookbridge()
        .args(["convert", "-", "--strict", "-o"])
        .arg(&target)
        .write_stdin(doc)
        .assert()
        .code(1);
    assert!(!target.exists());

    let out = hookbridge()
        .args(["convert", "-", "--diagnostics", "json"])
        .write_stdin(doc)
        .assert()
        .success();
    let line = String::from_utf8_lossy(&out.get_output().stderr)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    let d: serde_json::Value = serde_json::from_str(&line).expect("JSON diagnostic");
    assert_eq!(d["code"], "invalid-runtime-expression");
    assert_eq!(d["severity"], "warning");
}

#[test]
fn usage_errors_exit_2() {
    hookbridge().args(["convert"]).assert().code(2);
    hookbridge().args(["frobnicate"]).assert().code(2);
    hookbridge()
        .args(["convert", "x.yaml", "--format", "toml"])
        .assert()
        .code(2);
    hookbridge()
        .arg("convert")
        .arg("/nonexistent/in.yaml")
        .assert()
        .code(2);
}

#[test]
fn limit_flags_are_accepted_and_enforced() {
    hookbridge()
        .args(["convert", "-", "--max-depth", "3"])
        .write_stdin(WEBHOOK)
        .assert()
        .code(2);
    hookbridge()
        .args(["convert", "-", "--max-nodes", "5"])
        .write_stdin(WEBHOOK)
        .assert()
        .code(2);
    hookbridge()
        .args(["convert", "-", "--max-depth", "50", "--max-nodes", "1000"])
        .write_stdin(WEBHOOK)
        .assert()
        .success();
    hookbridge()
        .args(["lint", "-", "--max-depth", "3"])
        .write_stdin(WEBHOOK)
        .assert()
        .code(2);
}

/// A quoted scalar continued at its key's column (YAML 1.2 forbids it, js-yaml reads it) is a
/// parse error with its position and the way out; `--yaml-lenient` reads it, in the input and
/// in the files it `$ref`s, with a warning each, for every command that reads documents.
#[test]
fn yaml_lenient_reads_a_quoted_scalar_at_its_key_s_column_only_when_asked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = "openapi: 3.1.0\ninfo:\n  title: T\n  version: '1'\n  description: \"a\n  b\"\n\
        webhooks:\n  ping:\n    $ref: 'hook.yaml'\n";
    let input = write(dir.path(), "api.yaml", doc);
    let hook =
        "post:\n  summary: 'x\n  y'\n  security: []\n  responses: {'200': {description: ok}}\n";
    write(dir.path(), "hook.yaml", hook);
    let out = dir.path().join("out.yaml");
    let convert = |options: &[&str]| {
        let run = hookbridge()
            .arg("convert")
            .arg(&input)
            .arg("-o")
            .arg(&out)
            .args(options)
            .assert();
        let output = run.get_output();
        let stderr = String::from_utf8_lossy(&output.stderr).to_string();
        (output.status.code(), stderr)
    };
    let (code, stderr) = convert(&[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("api.yaml:5:16: error[parse] #/info/description")
            && stderr.contains("--yaml-lenient"),
        "{stderr}"
    );
    assert!(!out.exists());
    let (code, stderr) = convert(&["--yaml-lenient"]);
    assert_eq!(code, Some(0), "{stderr}");
    for at in [
        "api.yaml:5:3: warning[yaml-lenient] #/info/description",
        "hook.yaml:2:3: warning[yaml-lenient] #/post/summary",
    ] {
        assert!(stderr.contains(at), "{at}:\n{stderr}");
    }
    let asyncapi = parse_yaml(&std::fs::read_to_string(&out).expect("output"));
    assert_eq!(asyncapi["info"]["description"], "a b");
    for command in ["lint", "nav"] {
        hookbridge().arg(command).arg(&input).assert().code(2);
        hookbridge()
            .arg(command)
            .arg(&input)
            .arg("--yaml-lenient")
            .assert()
            .success();
    }
}

/// Webhook-only 3.0 documents (no `paths`, as vendors publish them) come back without `paths`.
#[test]
fn roundtrip_of_a_30_document_without_paths_is_exact() {
    let doc = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\nx-webhooks:\n  ping:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {type: object, nullable: true}\n      responses:\n        '200': {description: ok}\n";
    for extra in [&[][..], &["--events-only"][..]] {
        let assert = hookbridge()
            .args(["roundtrip", "-"])
            .args(extra)
            .write_stdin(doc)
            .assert();
        let output = assert.get_output();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(0), "{extra:?}: {stdout}");
        assert!(stdout.is_empty(), "{stdout}");
    }
    let asyncapi = hookbridge()
        .args(["convert", "-"])
        .write_stdin(doc)
        .assert()
        .success();
    let back = hookbridge()
        .args(["convert", "-", "--to", "openapi"])
        .write_stdin(asyncapi.get_output().stdout.clone())
        .assert()
        .success();
    let back = String::from_utf8_lossy(&back.get_output().stdout).into_owned();
    assert!(!back.contains("paths"), "{back}");
}

/// `check` and `diff` show the loader's warnings as `convert` does (issue 18, item 4).
#[test]
fn check_and_diff_show_the_loader_warnings() {
    let input = "tests/fixtures/refs/url/openapi.yaml";
    let dir = tempfile::tempdir().expect("tempdir");
    let asyncapi = dir.path().join("events.asyncapi.yaml");
    let convert = hookbridge()
        .args(["convert", input, "-o"])
        .arg(&asyncapi)
        .output()
        .expect("runs");
    let warning = String::from_utf8_lossy(&convert.stderr).to_string();
    assert!(warning.contains("external-ref"), "{warning}");
    let check = hookbridge()
        .args(["check", input])
        .arg(&asyncapi)
        .output()
        .expect("runs");
    let check_err = String::from_utf8_lossy(&check.stderr);
    assert!(check_err.contains("warning[external-ref]"), "{check_err}");
    let diff = hookbridge()
        .args(["diff", input, input])
        .output()
        .expect("runs");
    let diff_err = String::from_utf8_lossy(&diff.stderr);
    assert_eq!(
        diff_err.matches("warning[external-ref]").count(),
        2 * warning.matches("warning[external-ref]").count(),
        "{diff_err}"
    );
}

/// Two causes of round-trip losses on the APIs.guru directory (issue 12, item 5): an
/// extension value among the webhooks and an empty `components` come back.
#[test]
fn extension_values_among_webhooks_and_empty_components_come_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("lost.yaml");
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-webhooks:\n  x-sdk-exclude: true\n  a:\n    post: {responses: {'200': {description: ok}}}\ncomponents: {}\n";
    std::fs::write(&input, text).expect("write");
    let out = hookbridge()
        .arg("roundtrip")
        .arg(&input)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
}

/// `--openapi-version`: the OpenAPI written from AsyncAPI, what the target lacks moved into
/// extensions with a warning; refused where it cannot apply.
#[test]
fn openapi_version_forces_the_output_version() {
    let sample =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/openapi/webhooks-query-32.yaml");
    let dir = tempfile::tempdir().expect("tempdir");
    let asyncapi = dir.path().join("events.asyncapi.yaml");
    hookbridge()
        .args(["convert"])
        .arg(&sample)
        .arg("-o")
        .arg(&asyncapi)
        .assert()
        .success();
    let read = |p: &Path| -> serde_json::Value {
        let text = std::fs::read_to_string(p).expect("output");
        parse_yaml(&text)
    };
    // By default the version the document came from.
    let back = dir.path().join("back.yaml");
    hookbridge()
        .arg("convert")
        .arg(&asyncapi)
        .arg("-o")
        .arg(&back)
        .assert()
        .success();
    let doc = read(&back);
    assert_eq!(doc["openapi"], "3.2.0");
    assert!(doc["webhooks"]["stockChanged"]["query"].is_object());

    let out31 = dir.path().join("v31.yaml");
    let run = hookbridge()
        .arg("convert")
        .arg(&asyncapi)
        .args(["--openapi-version", "3.1", "-o"])
        .arg(&out31)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).to_string();
    assert!(
        stderr.contains("warning[openapi-version-downgrade]"),
        "{stderr}"
    );
    assert!(stderr.contains("/webhooks/stockChanged/query"), "{stderr}");
    let doc = read(&out31);
    assert_eq!(doc["openapi"], "3.1.2");
    let item = &doc["webhooks"]["stockChanged"];
    assert!(item.get("query").is_none() && item.get("additionalOperations").is_none());
    let moved = &item["x-oai-additionalOperations"];
    assert_eq!(moved["QUERY"]["operationId"], "stockSnapshotQuery");
    assert_eq!(moved["PURGE"]["operationId"], "stockCachePurge");
    assert_eq!(
        doc["x-oai-$self"],
        "https://api.example.com/inventory/openapi.yaml"
    );

    let out30 = dir.path().join("v30.yaml");
    hookbridge()
        .arg("convert")
        .arg(&asyncapi)
        .args(["--openapi-version", "3.0", "-o"])
        .arg(&out30)
        .assert()
        .success();
    let doc = read(&out30);
    assert_eq!(doc["openapi"], "3.0.4");
    assert!(doc["x-webhooks"]["stockChanged"]["post"].is_object() && doc.get("webhooks").is_none());

    // An OpenAPI input gives AsyncAPI: the option cannot apply.
    let run = hookbridge()
        .arg("convert")
        .arg(&sample)
        .args(["--openapi-version", "3.1"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).to_string();
    assert!(
        stderr.contains("error[usage]") && stderr.contains("--openapi-version 3.1"),
        "{stderr}"
    );
    // Nor with `--into`, which keeps the base's version.
    let base = write(dir.path(), "base.yaml", WEBHOOK);
    hookbridge()
        .arg("convert")
        .arg(&asyncapi)
        .arg("--into")
        .arg(&base)
        .args(["--openapi-version", "3.2"])
        .assert()
        .code(2);
    hookbridge()
        .arg("convert")
        .arg(&asyncapi)
        .args(["--openapi-version", "4.0"])
        .assert()
        .code(2);
}

/// The test reads YAML through the library's own loader.
fn parse_yaml(text: &str) -> serde_json::Value {
    hookbridge::document::load::parse_str(text, "out.yaml", &Default::default())
        .expect("YAML")
        .value
}
