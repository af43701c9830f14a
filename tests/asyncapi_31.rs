//! AsyncAPI 3.1.0 out and in (issue 14, item 3): `--asyncapi-version 3.1` writes the same
//! objects under `asyncapi: 3.1.0`, which the parser and the 3.1.0 JSON Schema accept; 3.1
//! input converts to OpenAPI like 3.0 input and comes back in 3.1; the option is refused or
//! warned about where it cannot apply.

mod common;

use std::path::PathBuf;

use assert_cmd::Command;
use hookbridge::asyncapi::Version;
use hookbridge::{ConvertOptions, Document, Syntax};
use serde_json::Value;

fn samples(kind: &str) -> Vec<PathBuf> {
    common::openapi_corpus_files(&common::manifest_dir().join("samples"))
        .into_iter()
        .chain(common::asyncapi_corpus_files(
            &common::manifest_dir().join("samples"),
        ))
        .filter(|p| p.components().any(|c| c.as_os_str() == kind))
        .collect()
}

fn with_version(version: Option<Version>, include_paths: bool) -> ConvertOptions {
    ConvertOptions {
        asyncapi_version: version,
        include_paths,
        ..Default::default()
    }
}

#[test]
fn every_openapi_sample_converts_to_asyncapi_31_that_the_parser_accepts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut files = Vec::new();
    for (i, input) in samples("openapi").iter().enumerate() {
        let v30 = hookbridge::convert_file(input, &with_version(None, true)).expect("converts");
        let v31 = hookbridge::convert_file(input, &with_version(Some(Version::V3_1), true))
            .expect("converts");
        assert_eq!(v30.document["asyncapi"], "3.0.0", "{}", input.display());
        assert_eq!(v31.document["asyncapi"], "3.1.0", "{}", input.display());
        let mut same = v31.document.clone();
        same["asyncapi"] = "3.0.0".into();
        assert_eq!(
            same,
            v30.document,
            "{}: only the version differs",
            input.display()
        );
        // Still the first key: key order follows the input.
        let first = v31
            .document
            .as_object()
            .and_then(|m| m.keys().next().cloned());
        assert_eq!(first.as_deref(), Some("asyncapi"));
        let file = dir.path().join(format!("{i:02}.asyncapi.yaml"));
        let text = hookbridge::document::emit::to_yaml_string(&v31.document);
        std::fs::write(&file, text).expect("write");
        files.push(file);
    }
    assert!(files.len() >= 10, "{} samples", files.len());
    common::assert_asyncapi_valid(&common::validate_asyncapi(&files));
}

/// Each hand-written AsyncAPI sample, declared 3.1.0, goes to OpenAPI and back exactly, and an
/// AsyncAPI 3.1 made by `convert` does too.
#[test]
fn asyncapi_31_input_converts_to_openapi_and_comes_back_in_31() {
    let options = ConvertOptions::default();
    let mut checked = 0;
    for input in samples("asyncapi") {
        let bundled = hookbridge::load_bundled(&input, &options).expect("loads");
        let mut value = bundled.document.value;
        value["asyncapi"] = "3.1.0".into();
        let doc = Document {
            name: input.display().to_string(),
            syntax: Syntax::Yaml,
            value,
        };
        let rt = hookbridge::roundtrip(&doc, &options, false).expect("round trip");
        assert!(
            rt.differences.is_empty(),
            "{}: {:#?}",
            doc.name,
            rt.differences
        );
        assert_eq!(rt.back["asyncapi"], "3.1.0");
        checked += 1;
    }
    let forward = common::manifest_dir().join("samples/openapi/callbacks-31.yaml");
    let made = hookbridge::convert_file(&forward, &with_version(Some(Version::V3_1), false))
        .expect("converts");
    let doc = Document {
        name: "made.asyncapi.yaml".into(),
        syntax: Syntax::Yaml,
        value: made.document,
    };
    let rt = hookbridge::roundtrip(&doc, &options, false).expect("round trip");
    assert!(rt.differences.is_empty(), "{:#?}", rt.differences);
    assert!(checked >= 3, "{checked} AsyncAPI samples");
}

#[test]
fn asyncapi_versions_other_than_30_and_31_are_refused() {
    let text = "asyncapi: 2.6.0\ninfo: {title: t, version: '1'}\nchannels: {}\n";
    let doc = Document {
        name: "old.yaml".into(),
        syntax: Syntax::Yaml,
        value: serde_yaml::from_str::<Value>(text).expect("yaml"),
    };
    let e = hookbridge::convert_document(&doc, &ConvertOptions::default()).expect_err("refused");
    assert!(e.to_string().contains("3.0.x and 3.1.x"), "{e}");
}

#[test]
fn the_binary_writes_31_and_warns_where_the_option_cannot_apply() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = common::manifest_dir().join("samples/openapi/webhooks-multi.yaml");
    let out = dir.path().join("out.asyncapi.yaml");
    Command::cargo_bin("hookbridge")
        .expect("binary")
        .args(["convert", "--asyncapi-version", "3.1", "-o"])
        .arg(&out)
        .arg(&input)
        .assert()
        .success();
    let text = std::fs::read_to_string(&out).expect("output");
    assert!(text.starts_with("asyncapi: '3.1.0'\n"), "{text:.40}");

    // AsyncAPI in: the version (and --include-paths) belong to the other direction.
    let back = dir.path().join("back.openapi.yaml");
    let run = Command::cargo_bin("hookbridge")
        .expect("binary")
        .args([
            "convert",
            "--asyncapi-version",
            "3.0",
            "--include-paths",
            "-o",
        ])
        .arg(&back)
        .arg(&out)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).to_string();
    for option in ["--asyncapi-version", "--include-paths"] {
        assert!(
            stderr.contains(&format!("warning[option-not-applicable]: `{option}`")),
            "{stderr}"
        );
    }

    // Not a version hookbridge writes: clap refuses it with the choices.
    let run = Command::cargo_bin("hookbridge")
        .expect("binary")
        .args(["convert", "--asyncapi-version", "2.6"])
        .arg(&input)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).to_string();
    assert!(stderr.contains("3.0") && stderr.contains("3.1"), "{stderr}");
}
