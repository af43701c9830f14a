//! Tests of the test harness itself: the npm tools in tests/js and the corpus helpers in
//! tests/common. If these fail, every check that relies on them means nothing.

mod common;

use std::path::PathBuf;

fn fixture(rel: &str) -> PathBuf {
    common::manifest_dir().join("tests/fixtures").join(rel)
}

#[test]
fn asyncapi_validator_accepts_valid_and_rejects_invalid_documents() {
    let files = [
        fixture("asyncapi/valid-webhook.yaml"),
        fixture("asyncapi/valid-webhook.json"),
        fixture("asyncapi/invalid-action.yaml"),
    ];
    let reports = common::validate_asyncapi(&files);
    assert_eq!(reports.len(), 3);
    for (report, file) in reports.iter().zip(&files) {
        assert_eq!(&report.file, file, "reports come back in argument order");
    }

    common::assert_asyncapi_valid(&reports[..2]);
    for r in &reports[..2] {
        assert!(
            r.parser_warnings.is_empty(),
            "unexpected warnings: {:?}",
            r.parser_warnings
        );
    }

    let bad = &reports[2];
    assert!(!bad.is_valid());
    assert!(
        bad.parser_errors
            .iter()
            .any(|d| d.path == "/operations/newPet/action"),
        "parser should flag `action: sned`:\n{}",
        bad.summary()
    );
    assert!(
        bad.schema_errors
            .iter()
            .any(|e| e.instance_path == "/operations/newPet/action" && e.keyword == "enum"),
        "JSON Schema should flag `action: sned`:\n{}",
        bad.summary()
    );
}

#[test]
fn asyncapi_validator_reports_unreadable_files() {
    let reports = common::validate_asyncapi(&[fixture("asyncapi/does-not-exist.yaml")]);
    assert_eq!(reports.len(), 1);
    assert!(!reports[0].is_valid());
    assert_eq!(
        reports[0].parser_errors[0].code.as_deref(),
        Some("read-error")
    );
}

#[test]
fn redocly_lint_accepts_valid_and_rejects_invalid_documents() {
    let files = [
        fixture("openapi/valid-webhook.yaml"),
        fixture("openapi/invalid-webhook.yaml"),
    ];
    let reports = common::lint_openapi(&files);
    assert_eq!(reports.len(), 2);
    common::assert_lint_clean(&reports[..1]);
    let bad = &reports[1];
    assert!(
        bad.errors
            .iter()
            .any(|e| e.rule_id == "struct" && e.pointer == "/webhooks/newPet/post/responses/200"),
        "missing response description should be a struct error:\n{}",
        bad.summary()
    );
}

#[test]
fn openapi_corpus_files_lists_root_documents_only() {
    let corpus = common::corpus_dir();
    let files = common::openapi_corpus_files(&corpus);
    let rel: Vec<String> = files
        .iter()
        .map(|p| {
            p.strip_prefix(&corpus)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted, "sorted");
    for must in [
        "oai-openapi-specification/webhook-example.yaml",
        "oai-openapi-specification/callback-example.json",
        "openapi-starter/openapi/openapi.yaml",
        "redoc/demo/openapi.yaml",
    ] {
        assert!(
            rel.iter().any(|r| r == must),
            "{must} missing from {rel:#?}"
        );
    }
    for r in &rel {
        assert!(
            !r.starts_with("openapi-starter/openapi/webhooks/")
                && !r.starts_with("openapi-starter/openapi/paths/")
                && !r.contains("/code/common/")
                && !r.starts_with("asyncapi-spec/"),
            "{r} is not an OpenAPI root document"
        );
    }
    assert_eq!(
        common::openapi_version(&corpus.join("oai-openapi-specification/webhook-example.yaml"))
            .as_deref(),
        Some("3.1.0")
    );
    assert_eq!(
        common::openapi_version(&corpus.join("oai-openapi-specification/callback-example.json"))
            .as_deref(),
        Some("3.0.0")
    );
}

#[test]
fn openapi_version_sniff() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("a.yaml", "openapi: 3.1.0\ninfo: {}\n", Some("3.1.0")),
        (
            "b.yaml",
            "# c\n---\n\"openapi\": '3.0.3' # note\n",
            Some("3.0.3"),
        ),
        ("c.yaml", "info:\n  openapi: 3.1.0\n", None),
        ("d.yaml", "swagger: '2.0'\n", None),
        (
            "e.json",
            "{\"info\": {\"openapi\": \"x\"}, \"openapi\" : \"3.1.1\"}",
            Some("3.1.1"),
        ),
        (
            "f.json",
            "{\"x\": \"openapi\", \"y\": [{\"openapi\": \"3\"}]}",
            None,
        ),
        (
            "g.json",
            "{\"k\\\"\": 1, \"openapi\": \"3.0.0\"}",
            Some("3.0.0"),
        ),
    ];
    for (name, text, want) in cases {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        assert_eq!(common::openapi_version(&p).as_deref(), want, "{name}");
    }
    let listed = common::openapi_corpus_files(dir.path());
    let names: Vec<_> = listed
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["a.yaml", "b.yaml", "e.json", "g.json"]);
}
