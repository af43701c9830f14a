//! Many documents in one process (issue 13, item 3): `convert`, `roundtrip` and `lint` over
//! several inputs, directories and patterns; mirrored outputs, refusals, order and exit status.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn hookbridge() -> Command {
    Command::cargo_bin("hookbridge").expect("binary builds")
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("folder");
    }
    std::fs::write(&p, text).expect("temp file");
    p
}

const WEBHOOK: &str = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\nwebhooks:\n  ping:\n    post:\n      responses:\n        '200': {description: ok}\n";
const BROKEN: &str = "openapi: 3.1.0\ninfo: [unclosed\n";

fn asyncapi_sample() -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/asyncapi/callback-style.yaml");
    std::fs::read_to_string(p).expect("sample")
}

/// in/api.yaml, in/nested/deeper/events.yaml (AsyncAPI), in/broken.yaml, a fragment and a
/// hidden document (both skipped).
fn tree(dir: &Path) -> PathBuf {
    let input = dir.join("in");
    write(&input, "api.yaml", WEBHOOK);
    write(&input, "nested/deeper/events.yaml", &asyncapi_sample());
    write(&input, "broken.yaml", BROKEN);
    write(&input, "nested/fragment.yaml", "type: object\n");
    write(&input, ".hidden/api.yaml", WEBHOOK);
    input
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn files_under(dir: &Path) -> Vec<String> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                walk(&p, base, out);
            } else if let Ok(rel) = p.strip_prefix(base) {
                out.push(rel.display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

#[test]
fn a_folder_converts_into_a_mirrored_tree_and_a_broken_document_fails_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = tree(dir.path());
    let out = dir.path().join("out");
    let r = run(hookbridge()
        .current_dir(dir.path())
        .args(["convert", "in", "-o", "out"]));
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert_eq!(
        files_under(&out),
        ["api.yaml", "nested/deeper/events.yaml"],
        "{}",
        r.stderr
    );
    let api = std::fs::read_to_string(out.join("api.yaml")).expect("output");
    assert!(api.starts_with("asyncapi: '3.0.0'"), "{api}");
    let events = std::fs::read_to_string(out.join("nested/deeper/events.yaml")).expect("output");
    assert!(events.starts_with("openapi:"), "{events}");
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{}", r.stderr);
    assert!(
        lines[0].starts_with("in/broken.yaml:3:1: error[parse]"),
        "{}",
        r.stderr
    );
    assert!(
        lines[1].starts_with("in/nested/deeper/events.yaml:") && lines[1].contains("warning["),
        "{}",
        r.stderr
    );
    assert_eq!(
        lines[2],
        "hookbridge: 3 document(s): 2 converted (1 with warnings), 1 failed; 1 file(s) skipped \
         (not OpenAPI or AsyncAPI root documents)"
    );
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    // The same documents one by one give the same outputs.
    let single = dir.path().join("single.yaml");
    hookbridge()
        .arg("convert")
        .arg(input.join("api.yaml"))
        .arg("-o")
        .arg(&single)
        .assert()
        .code(0);
    assert_eq!(std::fs::read_to_string(&single).expect("output"), api);
}

#[test]
fn diagnostics_come_in_input_order_whatever_the_threads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    for i in 0..12 {
        let text = if i % 3 == 0 { BROKEN } else { WEBHOOK };
        write(&input, &format!("doc{i:02}.yaml"), text);
    }
    let mut seen = Vec::new();
    for jobs in ["1", "2", "4"] {
        let out = dir.path().join(format!("out{jobs}"));
        let r = run(hookbridge()
            .current_dir(dir.path())
            .args(["convert", "in", "-j", jobs, "-o"])
            .arg(&out));
        assert_eq!(r.code, Some(2), "{}", r.stderr);
        assert_eq!(files_under(&out).len(), 8);
        seen.push(r.stderr);
    }
    let named: Vec<&str> = seen[0]
        .lines()
        .filter_map(|l| l.split(':').next())
        .collect();
    assert_eq!(
        named,
        [
            "in/doc00.yaml",
            "in/doc03.yaml",
            "in/doc06.yaml",
            "in/doc09.yaml",
            "hookbridge"
        ]
    );
    assert!(seen[0].ends_with("8 converted (0 with warnings), 4 failed\n"));
    assert!(seen.iter().all(|s| *s == seen[0]), "{seen:#?}");
}

#[test]
fn files_and_patterns_mirror_below_their_base_and_format_sets_the_extension() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = tree(dir.path());
    std::fs::remove_file(input.join("broken.yaml")).expect("rm");
    // Files by name: below the folder they share.
    let r = run(hookbridge().current_dir(dir.path()).args([
        "convert",
        "in/api.yaml",
        "in/nested/deeper/events.yaml",
        "--format",
        "json",
        "-o",
        "named/",
    ]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(
        files_under(&dir.path().join("named")),
        ["api.json", "nested/deeper/events.json"]
    );
    // A quoted pattern: below the pattern's folders; hidden ones only when named.
    let r = run(hookbridge().current_dir(dir.path()).args([
        "convert",
        "in/**/*.yaml",
        "-o",
        "globbed",
    ]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(
        files_under(&dir.path().join("globbed")),
        ["api.yaml", "nested/deeper/events.yaml"]
    );
    assert!(r
        .stderr
        .ends_with("1 file(s) skipped (not OpenAPI or AsyncAPI root documents)\n"));
    // One input into an existing folder.
    std::fs::create_dir(dir.path().join("one")).expect("mkdir");
    let r = run(hookbridge()
        .current_dir(dir.path())
        .args(["convert", "in/api.yaml", "-o", "one"]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(files_under(&dir.path().join("one")), ["api.yaml"]);
}

#[test]
fn ambiguous_combinations_are_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    tree(dir.path());
    write(dir.path(), "existing.yaml", "keep\n");
    write(dir.path(), "in/api.json", "{\"openapi\": \"3.1.0\"}");
    write(dir.path(), "docs/notes.yaml", "title: not an API\n");
    let cases: &[(&[&str], &str)] = &[
        (
            &["in/api.yaml", "in/broken.yaml", "-o", "existing.yaml"],
            "is not a directory",
        ),
        (
            &["in/api.yaml", "in/broken.yaml", "-o", "new.yaml"],
            "is not a directory",
        ),
        (&["in", "-o", "existing.yaml"], "is not a directory"),
        (&["in/api.yaml", "in/broken.yaml"], "need `-o DIR`"),
        (&["in", "-o", "-"], "need `-o DIR`"),
        (
            &[
                "in/api.yaml",
                "in/broken.yaml",
                "-o",
                "o/",
                "--into",
                "x.yaml",
            ],
            "`--into`",
        ),
        (&["in/api.yaml", "-o", "o/", "--into", "x.yaml"], "`--into`"),
        (&["in/api.yaml", "-", "-o", "o/"], "standard input"),
        (&["in", "-o", "in"], "is an input"),
        (
            &["in/api.yaml", "in/api.json", "-o", "o/", "--format", "json"],
            "would both be written",
        ),
        (&["in/*.nothing", "-o", "o/"], "matches no file"),
        (
            &["docs", "-o", "o/"],
            "no OpenAPI or AsyncAPI root document",
        ),
    ];
    for (args, message) in cases {
        let r = run(hookbridge()
            .current_dir(dir.path())
            .arg("convert")
            .args(*args));
        assert_eq!(r.code, Some(2), "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(message), "{args:?}: {}", r.stderr);
        assert!(!dir.path().join("o").exists(), "{args:?}");
        assert!(!dir.path().join("new.yaml").exists(), "{args:?}");
    }
    let kept = std::fs::read_to_string(dir.path().join("existing.yaml")).expect("kept");
    assert_eq!(kept, "keep\n");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("in/api.yaml")).expect("input"),
        WEBHOOK
    );
}

#[test]
fn roundtrip_over_several_inputs_names_each_and_exits_with_the_worst() {
    let dir = tempfile::tempdir().expect("tempdir");
    tree(dir.path());
    let r = run(hookbridge().current_dir(dir.path()).args([
        "roundtrip",
        "in/api.yaml",
        "in/nested/deeper/events.yaml",
    ]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(r
        .stderr
        .ends_with("hookbridge: 2 document(s): 2 exact, 0 with differences, 0 failed\n"));
    let r = run(hookbridge().current_dir(dir.path()).args([
        "roundtrip",
        "in",
        "--format",
        "json",
        "-j",
        "2",
    ]));
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let statuses: Vec<(&str, &str)> = report
        .as_array()
        .expect("array")
        .iter()
        .map(|e| {
            (
                e["file"].as_str().unwrap_or(""),
                e["status"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [
            ("in/api.yaml", "exact"),
            ("in/broken.yaml", "failed"),
            ("in/nested/deeper/events.yaml", "exact")
        ]
    );
    assert!(
        r.stderr.contains("in/broken.yaml:3:1: error[parse]"),
        "{}",
        r.stderr
    );
}

#[test]
fn lint_over_several_inputs_goes_on_past_a_broken_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    tree(dir.path());
    // An example that breaks its schema: an error-level finding.
    let bad = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\nwebhooks:\n  ping:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {type: integer}\n            example: not a number\n      responses:\n        '200': {description: ok}\n";
    write(dir.path(), "in/bad-example.yaml", bad);
    let r = run(hookbridge().current_dir(dir.path()).args([
        "lint",
        "in/broken.yaml",
        "in/bad-example.yaml",
        "in/api.yaml",
    ]));
    assert_eq!(r.code, Some(2), "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("in/bad-example.yaml"), "{}", r.stdout);
    assert!(
        r.stderr.starts_with("in/broken.yaml:3:1: error[parse]"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.ends_with(
            "hookbridge: 3 document(s): 0 clean, 0 with warnings only, 2 with errors, 1 failed\n"
        ),
        "{}",
        r.stderr
    );
    // Without the broken one, the findings decide.
    let r = run(hookbridge().current_dir(dir.path()).args([
        "lint",
        "in/bad-example.yaml",
        "in/api.yaml",
    ]));
    assert_eq!(r.code, Some(1), "{}\n{}", r.stdout, r.stderr);
}
