//! The loader's reference notes (`Bundled::sound_refs`) let `convert_bundled` skip the
//! conversion's own reference walk. Converting with and without that shortcut must give the
//! same document, the same diagnostics and the same errors, on every sample and corpus file.

mod common;

use std::path::{Path, PathBuf};

use hookbridge::{
    convert_bundled, convert_document_owned, load_bundled, load_bundled_for_conversion,
    ConvertOptions,
};

/// The samples, or (`corpus`) the shared and npm corpora.
fn files(corpus: bool) -> Vec<PathBuf> {
    if !corpus {
        return common::openapi_corpus_files(&common::manifest_dir().join("samples/openapi"));
    }
    let mut files = Vec::new();
    for dir in [common::corpus_dir(), common::npm_corpus_dir()] {
        files.extend(common::openapi_corpus_files(&dir));
    }
    files
}

fn options(path: &Path, include_paths: bool) -> ConvertOptions {
    ConvertOptions {
        // Corpus specs reference sibling folders: let the bundler read the whole tree.
        root: path.ancestors().last().map(Path::to_path_buf),
        include_paths,
        ..Default::default()
    }
}

/// The result as text, so that documents, diagnostics and errors compare alike.
fn shown(result: Result<hookbridge::Converted, hookbridge::diagnostics::Error>) -> String {
    match result {
        Ok(c) => format!("{}\n{:?}", c.document, c.diagnostics),
        Err(e) => format!("error: {e}"),
    }
}

#[test]
fn the_loader_shortcut_converts_like_the_full_reference_check() {
    shortcut_converts_like_the_full_check(files(false), false);
}

#[test]
fn the_loader_shortcut_converts_like_the_full_reference_check_on_the_corpora() {
    shortcut_converts_like_the_full_check(files(true), true);
}

fn shortcut_converts_like_the_full_check(files: Vec<PathBuf>, corpus: bool) {
    let (mut sound_into_components, mut sound_elsewhere, mut walked) = (0, 0, 0);
    // Component schemas the conversion passed by on the loader's word.
    let mut passed_by = 0;
    for path in files {
        for include_paths in [false, true] {
            let options = options(&path, include_paths);
            let Ok(bundled) = load_bundled_for_conversion(&path, &options) else {
                continue;
            };
            passed_by += bundled
                .sound_refs
                .as_ref()
                .map_or(0, |s| s.unchanged_schemas.len());
            match &bundled.sound_refs {
                Some(s) if s.into_components_only => sound_into_components += 1,
                Some(_) => sound_elsewhere += 1,
                None => walked += 1,
            }
            let mut unhinted = bundled.clone();
            let fast = shown(convert_bundled(bundled, &options));
            unhinted.diagnostics.clear();
            let full = convert_document_owned(unhinted.document, &options);
            let full = shown(full.map(|mut c| {
                let mut d = load_bundled_for_conversion(&path, &options)
                    .map(|b| b.diagnostics)
                    .unwrap_or_default();
                d.append(&mut c.diagnostics);
                c.diagnostics = d;
                c
            }));
            assert!(
                fast == full,
                "{} (include_paths={include_paths}): the shortcut changed the result",
                path.display()
            );
        }
    }
    eprintln!(
        "sound refs into components only: {sound_into_components}, sound elsewhere: {sound_elsewhere}, walked: {walked}; component schemas passed by: {passed_by}"
    );
    assert!(
        sound_into_components > 0,
        "no document took the shortcut: the test checks nothing"
    );
    if corpus {
        assert!(
            passed_by > 100,
            "no component schema was passed by: the comparison checks nothing of it"
        );
    }
}

#[test]
fn references_outside_the_components_convert_alike_both_ways() {
    let head = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n";
    let hook = "webhooks:\n  ping:\n    post:\n      requestBody: {$ref: '#/components/requestBodies/B'}\n      responses: {'200': {description: ok}}\n";
    let cases = [
        // A real reference into `paths`, and one in data: both sound, not into components.
        ("into-paths.yaml", format!("{head}{hook}paths:\n  /x:\n    post:\n      requestBody:\n        content: {{application/json: {{schema: {{type: string}}}}}}\n      responses: {{'200': {{description: ok}}}}\n      x-same: {{$ref: '#/paths/~1x/post/requestBody'}}\ncomponents:\n  requestBodies:\n    B: {{$ref: '#/paths/~1x/post/requestBody'}}\n"), Some(false)),
        ("data-ref.yaml", format!("{head}{hook}x-note: {{$ref: '#/info'}}\ncomponents:\n  requestBodies:\n    B: {{content: {{application/json: {{schema: {{type: string}}}}}}}}\n"), Some(false)),
        // Unresolved in data: not sound, so the full walk runs (and lets data be).
        ("broken-data-ref.yaml", format!("{head}{hook}x-note: {{$ref: '#/nowhere'}}\ncomponents:\n  requestBodies:\n    B: {{content: {{application/json: {{schema: {{type: string}}}}}}}}\n"), None),
    ];
    let dir = std::env::temp_dir().join(format!("hookbridge-sound-refs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    for (name, text, expected) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write fixture");
        let options = options(&path, false);
        let bundled = load_bundled(&path, &options).expect("bundles");
        assert_eq!(
            bundled.sound_refs.as_ref().map(|s| s.into_components_only),
            expected,
            "{name}"
        );
        let full = convert_document_owned(bundled.document.clone(), &options);
        let fast = convert_bundled(bundled, &options);
        assert_eq!(shown(fast), shown(full), "{name}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The loader names the component schemas of a JSON OpenAPI 3.1 document that the conversion
/// would leave as they are, and the conversion that passes them by gives what the full one
/// gives; a schema that changes, or holds a `$ref` to escape or to point into the record, is
/// converted. Not for 3.0 (other rules), nor when `openapi` comes after `components`.
#[test]
fn component_schemas_the_loader_vouches_for_convert_alike() {
    let schemas = serde_json::json!({
        "Plain": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/Tagged"}}},
        "Tagged": {"type": "object", "discriminator": {"propertyName": "kind"}},
        "Shown": {"type": "object", "examples": [{"$ref": "#/components/schemas/Plain"}]},
        "Param": {"$ref": "#/components/parameters/P/schema"},
        "Tuple": {"prefixItems": [{"type": "string"}]}
    });
    let doc = |version: &str, components_first: bool| {
        let mut d = serde_json::Map::new();
        let components = serde_json::json!({"schemas": schemas, "parameters": {"P": {"name": "p", "in": "query", "schema": {"type": "string"}}}});
        if components_first {
            d.insert("components".into(), components.clone());
        }
        d.insert("openapi".into(), version.into());
        d.insert(
            "info".into(),
            serde_json::json!({"title": "t", "version": "1"}),
        );
        d.insert("webhooks".into(), serde_json::json!({"hook": {"post": {
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Plain"}}}},
            "responses": {"200": {"description": "ok"}}}}}));
        if !components_first {
            d.insert("components".into(), components);
        }
        serde_json::Value::Object(d).to_string()
    };
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text, expected) in [
        ("v31.json", doc("3.1.0", false), vec!["Plain"]),
        ("v32.json", doc("3.2.0", false), vec!["Plain"]),
        ("v30.json", doc("3.0.3", false), vec![]),
        ("late-version.json", doc("3.1.0", true), vec![]),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write fixture");
        let options = options(&path, false);
        let bundled = load_bundled_for_conversion(&path, &options).expect("bundles");
        let mut vouched: Vec<&str> = bundled
            .sound_refs
            .as_ref()
            .map(|s| s.unchanged_schemas.iter().map(String::as_str).collect())
            .unwrap_or_default();
        vouched.sort();
        assert_eq!(vouched, expected, "{name}");
        // Other readers of the document do not pay for the look-ahead.
        let plain = load_bundled(&path, &options).expect("bundles");
        assert!(plain
            .sound_refs
            .is_none_or(|s| s.unchanged_schemas.is_empty()));
        let full = convert_document_owned(bundled.document.clone(), &options);
        let fast = convert_bundled(bundled, &options);
        assert_eq!(shown(fast), shown(full), "{name}");
    }
}
