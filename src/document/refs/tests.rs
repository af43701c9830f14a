//! Tests of local reference following, the reference helpers and the bundle shortcut.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::bundler::{component_name, Target};
use super::collect::is_url;
use super::files::{normalize, percent_decode};
use super::kind::naturally_walked;
use super::*;
use crate::document::load::load_path_noting_refs;

fn doc() -> Value {
    json!({
        "components": {
            "schemas": {
                "A": {"$ref": "#/components/schemas/B"},
                "B": {"$ref": "#/components/schemas/C"},
                "C": {"type": "string"},
                "Loop1": {"$ref": "#/components/schemas/Loop2"},
                "Loop2": {"$ref": "#/components/schemas/Loop1"},
                "Self": {"$ref": "#/components/schemas/Self"},
                "Ext": {"$ref": "other.yaml#/X"},
                "a/b": {"type": "integer"},
                "sp ace": {"type": "boolean"},
                "Tree": {"properties": {"kids": {"items": {"$ref": "#/components/schemas/Tree"}}}}
            }
        }
    })
}

#[test]
fn resolves_direct_and_chained_refs() {
    let d = doc();
    assert_eq!(
        resolve_local(&d, "#/components/schemas/C"),
        Some(&json!({"type": "string"}))
    );
    assert_eq!(
        resolve_local(&d, "#/components/schemas/A"),
        Some(&json!({"type": "string"}))
    );
    assert_eq!(resolve_local(&d, "#"), Some(&d));
}

#[test]
fn escapes_and_percent_encoding_are_decoded() {
    let d = doc();
    assert_eq!(
        resolve_local(&d, "#/components/schemas/a~1b"),
        Some(&json!({"type": "integer"}))
    );
    assert_eq!(
        resolve_local(&d, "#/components/schemas/sp%20ace"),
        Some(&json!({"type": "boolean"}))
    );
}

#[test]
fn cycles_and_missing_targets_give_none() {
    let d = doc();
    assert_eq!(resolve_local(&d, "#/components/schemas/Loop1"), None);
    assert_eq!(resolve_local(&d, "#/components/schemas/Self"), None);
    assert_eq!(resolve_local(&d, "#/components/schemas/Nope"), None);
    assert_eq!(resolve_local(&d, "other.yaml#/X"), None);
    assert_eq!(resolve_local(&d, "#anchor"), None);
    assert_eq!(resolve_local(&d, "#/a%2"), None);
}

#[test]
fn recursive_schemas_resolve_once_and_external_chains_stop() {
    let d = doc();
    let tree = resolve_local(&d, "#/components/schemas/Tree").unwrap();
    assert!(tree.get("properties").is_some());
    assert_eq!(
        resolve_local(&d, "#/components/schemas/Ext"),
        Some(&json!({"$ref": "other.yaml#/X"}))
    );
}

#[test]
fn helpers() {
    assert!(is_url("https://example.com/a.yaml"));
    assert!(is_url("urn:x:y"));
    assert!(!is_url("file:///etc/passwd"));
    assert!(!is_url("C:/specs/a.yaml"));
    assert!(!is_url("paths/a:b.yaml"));
    assert!(!is_url("#/a:b"));
    assert!(looks_like_ref("./Dog.yaml"));
    assert!(looks_like_ref("#/components/schemas/Dog"));
    assert!(!looks_like_ref("Dog"));
    assert_eq!(
        normalize(Path::new("/a/b/../c/./d")),
        PathBuf::from("/a/c/d")
    );
    assert_eq!(normalize(Path::new("/../etc")), PathBuf::from("/etc"));
    assert_eq!(normalize(Path::new("a/../../b")), PathBuf::from("../b"));
    assert_eq!(
        percent_decode("users_%7Bid%7D.yaml").as_deref(),
        Some("users_{id}.yaml")
    );
    assert!(naturally_walked("/components/schemas/X"));
    assert!(naturally_walked(""));
    assert!(!naturally_walked("/x-defs/X"));
    let t = |file: &str, ptr: &str| Target {
        file: PathBuf::from(file),
        ptr: ptr.to_string(),
    };
    assert_eq!(
        component_name(&t("/a/common.yaml", "/components/schemas/Error")),
        "Error"
    );
    assert_eq!(component_name(&t("/a/users_{id}.yaml", "")), "users__id_");
    assert_eq!(component_name(&t("/a/r.yaml", "/responses/200")), "r-200");
}
/// `bundle` without the walk (when the loader's notes say there is nothing to do) and
/// with it give the same result, error or warning; and the walk is skipped where it should be.
#[test]
fn skipping_the_walk_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("dog.yaml"), "type: object\n").unwrap();
    let head = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n";
    let cases: &[(&str, bool, &str)] = &[
        ("sound", true, r##"
webhooks:
  a:
    post:
      requestBody: {$ref: '#/components/requestBodies/B'}
      responses: {'200': {description: ok}}
components:
  requestBodies:
    B: {content: {application/json: {schema: {$ref: '#/components/schemas/A'}}}}
  schemas:
    A: {$ref: '#/components/schemas/B'}
    B: {$ref: '#/components/schemas/C'}
    C: {type: object, properties: {s: {$ref: '#/components/schemas/sp%20ace'}, t: {$ref: '#/components/schemas/a~1b'}}}
    sp ace: {type: string}
    a/b: {type: integer}
    P: {oneOf: [{$ref: '#/components/schemas/C'}], discriminator: {propertyName: k, mapping: {c: '#/components/schemas/C', d: Dog}}}
    N: {$ref: 5}
    R: {$ref: ''}
    X: {$ref: '#/x-defs/S'}
x-defs:
  S: {properties: {a: {$ref: '#/components/schemas/C'}}}
"##),
        ("broken", false, "components: {schemas: {A: {properties: {b: {$ref: '#/components/schemas/Nope'}}}}}\n"),
        ("broken in data", false, "components: {schemas: {A: {type: object, example: {$ref: '#/nope'}}}}\n"),
        ("cycle", false, "components: {schemas: {A: {$ref: '#/components/schemas/B'}, B: {$ref: '#/components/schemas/A'}}}\n"),
        ("anchor", false, "components: {schemas: {A: {$ref: '#anchor'}}}\n"),
        ("url", false, "components: {schemas: {A: {$ref: 'https://example.com/a.yaml'}}}\n"),
        ("mapping broken", false, "components: {schemas: {A: {discriminator: {propertyName: k, mapping: {d: '#/components/schemas/Nope'}}}}}\n"),
        ("mapping file", false, "components: {schemas: {A: {discriminator: {propertyName: k, mapping: {d: 'dog.yaml'}}}}}\n"),
        ("file", false, "components: {schemas: {A: {properties: {d: {$ref: 'dog.yaml'}}}}}\n"),
        ("missing file", false, "components: {schemas: {A: {$ref: 'cat.yaml'}}}\n"),
        ("outside region", false, "components: {schemas: {A: {$ref: '#/x-defs/S'}}}\nx-defs: {S: {properties: {a: {$ref: '#/nope'}}}}\n"),
        ("alias", true, "components:\n  schemas:\n    A: &a {properties: {b: {$ref: '#/components/schemas/B'}}}\n    B: {type: string}\n    C: *a\n"),
    ];
    for (i, (name, fast, body)) in cases.iter().enumerate() {
        let path = dir.path().join(format!("case{i}.yaml"));
        std::fs::write(&path, format!("{head}{body}")).unwrap();
        let options = BundleOptions::default();
        let (doc, notes) = load_path_noting_refs(&path, &options.limits).unwrap();
        assert_eq!(no_work(&doc.value, &notes), *fast, "{name}");
        let show = |r: Result<Bundled, Error>| match r {
            Ok(b) => format!("{:?} {:?}", b.document.value, b.diagnostics),
            Err(e) => format!("error {:?}", e.diagnostic),
        };
        let with = show(bundle(&path, &options));
        let without = show(bundle_walked(&path, &options, doc, false));
        assert_eq!(with, without, "{name}");
        let fails = matches!(
            *name,
            "broken" | "cycle" | "anchor" | "missing file" | "outside region"
        );
        // A mapping that points nowhere is a warning, kept as written (issue 12, item 4).
        if *name == "mapping broken" {
            assert!(
                with.contains("unresolved-ref") && with.contains("Warning"),
                "{with}"
            );
        }
        assert_eq!(with.starts_with("error"), fails, "{name}: {with}");
    }
}

#[test]
fn self_identifies_the_root_and_the_files_beside_it() {
    use super::collect::rebase;
    let base = "https://api.example.com/v2/openapi.yaml";
    assert_eq!(
        rebase(&format!("{base}#/components/schemas/A"), base, "root.yaml").as_deref(),
        Some("root.yaml#/components/schemas/A")
    );
    assert_eq!(
        rebase(
            "https://api.example.com/v2/pets.yaml#/Pet",
            base,
            "root.yaml"
        )
        .as_deref(),
        Some("pets.yaml#/Pet")
    );
    for elsewhere in [
        "https://other.example.com/v2/pets.yaml",
        "https://api.example.com/pets.yaml",
        base,
    ] {
        assert_eq!(rebase(elsewhere, base, "root.yaml"), None, "{elsewhere}");
    }

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pets.yaml"), "Pet: {type: object}\n").unwrap();
    let root = dir.path().join("root.yaml");
    let text = |version: &str| {
        format!(
            "openapi: {version}\n$self: {base}\ninfo: {{title: t, version: '1'}}\ncomponents:\n  schemas:\n    A: {{$ref: '{base}#/components/schemas/B'}}\n    B: {{$ref: 'https://api.example.com/v2/pets.yaml#/Pet'}}\n"
        )
    };
    std::fs::write(&root, text("3.2.0")).unwrap();
    let out = bundle(&root, &BundleOptions::default()).unwrap();
    let schemas = &out.document.value["components"]["schemas"];
    assert_eq!(schemas["A"], json!({"$ref": "#/components/schemas/B"}));
    assert_eq!(schemas["B"], json!({"$ref": "#/components/schemas/Pet"}));
    assert_eq!(schemas["Pet"], json!({"type": "object"}));
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    // Before 3.2 `$self` is not a field: the URLs stay URLs.
    std::fs::write(&root, text("3.1.0")).unwrap();
    let out = bundle(&root, &BundleOptions::default()).unwrap();
    assert_eq!(out.diagnostics.len(), 2, "{:?}", out.diagnostics);
}
