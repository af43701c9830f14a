//! Every sample's conversion, snapshotted under `snapshots/` and reviewed like code.

use std::path::{Path, PathBuf};

use hookbridge::document::emit;
use hookbridge::ConvertOptions;

fn samples(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            )
        })
        .collect();
    files.sort();
    files
}

fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots"));
    s.set_prepend_module_to_snapshot(false);
    s
}

/// The conversion output as YAML, followed by the diagnostics (paths made relative).
/// Files are bundled first, so multi-file samples work like single-file ones.
fn rendered(path: &Path, options: &ConvertOptions) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let relative = path
        .strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string();
    let mut doc = match hookbridge::load_bundled(path, options) {
        Ok(b) => b.document,
        Err(e) => return format!("# error: {e}\n"),
    };
    doc.name = relative;
    match hookbridge::convert_document(&doc, options) {
        Ok(c) => {
            let mut out = emit::to_yaml_string(&c.document);
            for d in &c.diagnostics {
                out.push_str(&format!("# {d}\n"));
            }
            out
        }
        Err(e) => format!("# error: {e}\n"),
    }
}

#[test]
fn openapi_samples_convert_to_asyncapi() {
    let mut files = samples("openapi");
    let multi = samples("openapi/multi-file");
    files.extend(multi.into_iter().filter(|f| f.ends_with("openapi.yaml")));
    assert!(
        files.len() >= 8,
        "expected at least 8 OpenAPI samples, found {}",
        files.len()
    );
    snapshot_settings().bind(|| {
        for file in &files {
            let name = sample_name(file);
            let text = rendered(file, &ConvertOptions::default());
            insta::assert_snapshot!(format!("asyncapi__{name}"), text);
        }
    });
}

#[test]
fn openapi_samples_convert_with_verbatim_schemas() {
    let options = ConvertOptions {
        schema_format: hookbridge::SchemaFormat::OpenApi,
        ..Default::default()
    };
    let files = samples("openapi");
    snapshot_settings().bind(|| {
        for file in files
            .iter()
            .filter(|f| f.to_string_lossy().contains("refs"))
        {
            let name = file
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("sample");
            insta::assert_snapshot!(format!("asyncapi-mfs__{name}"), rendered(file, &options));
        }
    });
}

/// The samples with REST streams (OpenAPI 3.2), whose operations only `--include-paths`
/// converts: the stream beside the operation it belongs to.
#[test]
fn openapi_stream_samples_convert_with_paths() {
    let options = ConvertOptions {
        include_paths: true,
        ..Default::default()
    };
    snapshot_settings().bind(|| {
        for file in samples("openapi").iter().filter(|f| {
            let name = f.file_name().and_then(|n| n.to_str());
            name.is_some_and(|n| n.starts_with("streams"))
        }) {
            let name = sample_name(file);
            insta::assert_snapshot!(format!("asyncapi-paths__{name}"), rendered(file, &options));
        }
    });
}

#[test]
fn conversion_is_deterministic() {
    for file in samples("openapi") {
        let a = rendered(&file, &ConvertOptions::default());
        let b = rendered(&file, &ConvertOptions::default());
        assert_eq!(a, b, "{}", file.display());
    }
}

/// `samples/openapi/refs.yaml` -> `refs`; `samples/openapi/multi-file/openapi.yaml` -> `multi-file`.
fn sample_name(file: &Path) -> String {
    let stem = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("sample");
    let parent = file
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|s| s.to_str())
        .unwrap_or("");
    if parent == "openapi" || parent == "asyncapi" {
        stem.to_string()
    } else {
        parent.to_string()
    }
}

#[test]
fn asyncapi_samples_convert_to_openapi() {
    let files = samples("asyncapi");
    assert!(
        files.len() >= 4,
        "expected at least 4 AsyncAPI samples, found {}",
        files.len()
    );
    snapshot_settings().bind(|| {
        for file in &files {
            let name = sample_name(file);
            let text = rendered(file, &ConvertOptions::default());
            insta::assert_snapshot!(format!("openapi__{name}"), text);
        }
    });
}
