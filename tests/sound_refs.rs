//! The loader's reference notes (`Bundled::sound_refs`) let `convert_bundled` skip the
//! conversion's own reference walk. Converting with and without that shortcut must give the
//! same document, the same diagnostics and the same errors, on every sample and corpus file.

mod common;

use std::path::{Path, PathBuf};

use hookbridge::{convert_bundled, convert_document_owned, load_bundled, ConvertOptions};

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
    shortcut_converts_like_the_full_check(files(false));
}

#[test]
fn the_loader_shortcut_converts_like_the_full_reference_check_on_the_corpora() {
    shortcut_converts_like_the_full_check(files(true));
}

fn shortcut_converts_like_the_full_check(files: Vec<PathBuf>) {
    let (mut sound_into_components, mut sound_elsewhere, mut walked) = (0, 0, 0);
    for path in files {
        for include_paths in [false, true] {
            let options = options(&path, include_paths);
            let Ok(bundled) = load_bundled(&path, &options) else {
                continue;
            };
            match bundled.sound_refs {
                Some(s) if s.into_components_only => sound_into_components += 1,
                Some(_) => sound_elsewhere += 1,
                None => walked += 1,
            }
            let mut unhinted = bundled.clone();
            let fast = shown(convert_bundled(bundled, &options));
            unhinted.diagnostics.clear();
            let full = convert_document_owned(unhinted.document, &options);
            let full = shown(full.map(|mut c| {
                let mut d = load_bundled(&path, &options)
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
        "sound refs into components only: {sound_into_components}, sound elsewhere: {sound_elsewhere}, walked: {walked}"
    );
    assert!(
        sound_into_components > 0,
        "no document took the shortcut: the test checks nothing"
    );
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
            bundled.sound_refs.map(|s| s.into_components_only),
            expected,
            "{name}"
        );
        let full = convert_document_owned(bundled.document.clone(), &options);
        let fast = convert_bundled(bundled, &options);
        assert_eq!(shown(fast), shown(full), "{name}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
