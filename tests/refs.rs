//! Bundling multi-file specifications (`hookbridge::document::refs`): small fixture trees under
//! `tests/fixtures/refs/` and the real multi-file specs of the shared corpus.

use std::path::{Path, PathBuf};
use std::time::Instant;

use hookbridge::diagnostics::{codes, Error, Severity};
use hookbridge::document::load::{load_path, Limits};
use hookbridge::document::refs::{bundle, resolve_local, BundleOptions, Bundled};
use serde_json::{json, Value};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/refs")
        .join(rel)
}

fn corpus() -> Option<PathBuf> {
    let dir = match std::env::var_os("HOOKBRIDGE_CORPUS") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
    };
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "the corpus directory {} is missing (set HOOKBRIDGE_CORPUS)",
            dir.display()
        );
    }
    eprintln!(
        "=== SKIPPED: the corpus directory {} is missing (set HOOKBRIDGE_CORPUS) ===",
        dir.display()
    );
    None
}

fn ok(path: &Path) -> Bundled {
    bundle(path, &BundleOptions::default()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn err(path: &Path) -> Error {
    match bundle(path, &BundleOptions::default()) {
        Ok(_) => panic!("{}: bundling should fail", path.display()),
        Err(e) => e,
    }
}

/// Every `$ref` outside data positions is local and resolves; so are discriminator mappings.
fn assert_self_contained(doc: &Value) {
    fn walk(doc: &Value, v: &Value, at: &str) {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    let here = format!("{at}/{k}");
                    if k == "$ref" {
                        let r = child
                            .as_str()
                            .unwrap_or_else(|| panic!("{here}: $ref is not a string"));
                        if r.starts_with("http://") || r.starts_with("https://") {
                            continue;
                        }
                        assert!(r.starts_with('#'), "{here}: external ref left: {r}");
                        assert!(
                            resolve_local(doc, r).is_some(),
                            "{here}: {r} does not resolve"
                        );
                    } else if k == "mapping" {
                        for (name, target) in child.as_object().into_iter().flatten() {
                            let t = target.as_str().unwrap_or_default();
                            if t.contains('/') {
                                assert!(
                                    t.starts_with('#'),
                                    "{here}/{name}: external mapping left: {t}"
                                );
                                assert!(
                                    resolve_local(doc, t).is_some(),
                                    "{here}/{name}: {t} does not resolve"
                                );
                            }
                        }
                    } else if !(matches!(
                        k.as_str(),
                        "example" | "value" | "default" | "enum" | "const"
                    ) || k.starts_with("x-"))
                    {
                        walk(doc, child, &here);
                    }
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(doc, item, &format!("{at}/{i}"));
                }
            }
            _ => {}
        }
    }
    walk(doc, doc, "");
}

fn section<'a>(doc: &'a Value, name: &str) -> &'a serde_json::Map<String, Value> {
    doc["components"][name]
        .as_object()
        .unwrap_or_else(|| panic!("components.{name} is missing"))
}

fn no_numbered_duplicates(doc: &Value) {
    for (name, entries) in doc["components"].as_object().into_iter().flatten() {
        for key in entries.as_object().into_iter().flatten().map(|(k, _)| k) {
            let numbered = key
                .rsplit_once('-')
                .is_some_and(|(_, n)| n.parse::<u32>().is_ok());
            assert!(
                !numbered,
                "components.{name}.{key}: a target was brought in twice"
            );
        }
    }
}

// --------------------------------------------------------------------------------------------
// Fixtures.

#[test]
fn basic_tree_becomes_one_document() {
    let out = ok(&fixture("basic/openapi.yaml"));
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let doc = &out.document.value;
    assert_self_contained(doc);

    // Path items are inlined, also from a file whose name holds braces.
    let user = &doc["paths"]["/users/{id}"];
    assert!(user.get("$ref").is_none());
    assert_eq!(user["get"]["operationId"], "getUser");
    assert_eq!(user["parameters"][0]["$ref"], "#/components/parameters/Id");
    assert_eq!(
        user["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/User"
    );
    assert_eq!(
        user["get"]["responses"]["404"]["$ref"],
        "#/components/responses/NotFound"
    );

    // Webhook path item inlined; the sibling of the `$ref` wins over the target's field.
    let hook = &doc["webhooks"]["petAdded"];
    assert_eq!(
        hook["summary"],
        "Overrides the summary of the referenced path item"
    );
    assert_eq!(hook["post"]["operationId"], "petAdded");

    // Non-JSON/YAML files become strings.
    assert_eq!(
        doc["info"]["description"],
        "# Intro\n\nThis API is split over **several files**.\n"
    );
    assert_eq!(
        user["get"]["x-codeSamples"][0]["source"],
        "curl https://api.example.com/users/42\n"
    );

    // The alias component receives its target; targets shared by several files come in once.
    let schemas = section(doc, "schemas");
    assert_eq!(schemas["Error"]["type"], "object");
    assert_eq!(
        schemas["Error"]["properties"]["code"]["$ref"],
        "#/components/schemas/Code"
    );
    assert_eq!(
        schemas["Pet"]["properties"]["lastError"]["$ref"],
        "#/components/schemas/Error"
    );
    assert_eq!(
        schemas["User"]["properties"]["error"]["$ref"],
        "#/components/schemas/Error"
    );
    assert_eq!(
        section(doc, "responses")["NotFound"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Error"
    );
    let errors = schemas
        .values()
        .filter(|v| v["properties"]["code"].is_object())
        .count();
    assert_eq!(errors, 1);
    let keys: Vec<&str> = schemas.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["Error", "Local", "User", "Pet", "Code", "Tag", "Cat", "Dog"]
    );
    no_numbered_duplicates(doc);

    // Recursive schemas stay references.
    assert_eq!(
        schemas["User"]["properties"]["friends"]["items"]["$ref"],
        "#/components/schemas/User"
    );
    assert_eq!(
        schemas["Local"]["properties"]["self"]["$ref"],
        "#/components/schemas/Local"
    );

    // Local refs of another file mean that file's nodes; JSON files work too.
    assert_eq!(
        schemas["Pet"]["properties"]["tag"]["$ref"],
        "#/components/schemas/Tag"
    );
    assert_eq!(schemas["Tag"]["maxLength"], 20);
    assert_eq!(
        schemas["Dog"]["properties"]["friend"]["$ref"],
        "#/components/schemas/Cat"
    );
    let mapping = &schemas["Pet"]["properties"]["kind"]["discriminator"]["mapping"];
    assert_eq!(
        mapping,
        &json!({"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog", "other": "Local"})
    );
}

#[test]
fn refs_inside_data_are_not_followed() {
    let out = ok(&fixture("basic/openapi.yaml"));
    let get = &out.document.value["paths"]["/pets"]["get"];
    let media = &get["responses"]["200"]["content"]["application/json"];
    assert_eq!(
        media["schema"]["example"][0]["$ref"],
        "./not-followed-either.yaml"
    );
    assert_eq!(
        media["examples"]["one"]["value"]["$ref"],
        "./does-not-exist.yaml"
    );
    assert_eq!(get["x-internal"]["$ref"], "./extensions-are-data.yaml");
}

#[test]
fn chains_across_files_end_in_one_component() {
    let out = ok(&fixture("chain/openapi.yaml"));
    let doc = &out.document.value;
    assert_self_contained(doc);
    let responses = &doc["paths"]["/x"]["get"]["responses"];
    // a.yaml#/A -> b.yaml#/B -> sub/c.yaml: the component is the end of the chain.
    for code in ["200", "201"] {
        assert_eq!(
            responses[code]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/c"
        );
    }
    let schemas = section(doc, "schemas");
    assert_eq!(schemas.len(), 1);
    assert_eq!(
        schemas["c"]["properties"]["back"]["$ref"],
        "#/components/schemas/c"
    );
}

#[test]
fn same_target_from_two_files_is_one_component_and_clashing_names_get_numbers() {
    let out = ok(&fixture("dup/openapi.yaml"));
    let doc = &out.document.value;
    assert_self_contained(doc);
    let schema = |path: &str, code: &str| {
        doc["paths"][path]["get"]["responses"][code]["content"]["application/json"]["schema"]
            ["$ref"]
            .clone()
    };
    assert_eq!(schema("/a", "200"), "#/components/schemas/Shared");
    assert_eq!(schema("/b", "200"), "#/components/schemas/Shared");
    // Three different `Item`s: the root's own keeps its name.
    assert_eq!(schema("/a", "201"), "#/components/schemas/Item-2");
    assert_eq!(schema("/b", "201"), "#/components/schemas/Item-3");
    let schemas = section(doc, "schemas");
    assert_eq!(schemas["Item"]["type"], "string");
    assert_eq!(schemas["Item-2"]["type"], "integer");
    assert_eq!(schemas["Item-3"]["type"], "boolean");
    assert_eq!(schemas.len(), 4);
}

#[test]
fn a_path_item_chain_returning_to_itself_is_a_cycle() {
    let e = err(&fixture("cycle/openapi.yaml")).diagnostic;
    assert_eq!(e.code, codes::REF_CYCLE);
    assert_eq!(e.pointer, "/paths/~1a");
    assert!(
        e.message.contains("a.yaml -> ") && e.message.contains("b.yaml"),
        "{}",
        e.message
    );
}

#[test]
fn a_ref_to_itself_is_a_cycle_with_its_chain() {
    let e = err(&fixture("cycle/self.yaml")).diagnostic;
    assert_eq!(e.code, codes::REF_CYCLE);
    assert_eq!(e.pointer, "/components/schemas/Me");
    assert!(
        e.message
            .contains("#/components/schemas/Me -> #/components/schemas/Me"),
        "{}",
        e.message
    );

    let e = err(&fixture("cycle/self-external.yaml")).diagnostic;
    assert_eq!(e.code, codes::REF_CYCLE);
    assert!(
        e.message.contains("loop.yaml#/Loop -> ") && e.message.contains("loop.yaml#/Loop"),
        "{}",
        e.message
    );
}

#[test]
fn a_path_item_that_inlines_itself_is_a_cycle() {
    let e = err(&fixture("cycle/inline.yaml")).diagnostic;
    assert_eq!(e.code, codes::REF_CYCLE);
    assert!(e.file.ends_with("item.yaml"), "{e}");
    assert!(e.pointer.starts_with("/post/callbacks/again/"), "{e}");
    assert!(
        e.message.contains("item.yaml -> ") && e.message.contains("item.yaml"),
        "{}",
        e.message
    );
}

#[test]
fn a_missing_file_or_pointer_is_unresolved() {
    let e = err(&fixture("missing/file.yaml")).diagnostic;
    assert_eq!(e.code, codes::UNRESOLVED_REF);
    assert!(e.file.ends_with("missing/file.yaml"), "{e}");
    assert_eq!(
        e.pointer,
        "/paths/~1a/get/responses/200/content/application~1json/schema"
    );
    assert!(
        e.message.contains("./nope.yaml") && e.message.contains("does not exist"),
        "{}",
        e.message
    );

    let e = err(&fixture("missing/pointer.yaml")).diagnostic;
    assert_eq!(e.code, codes::UNRESOLVED_REF);
    assert_eq!(e.pointer, "/paths/~1a");
    assert!(
        e.message.contains("other.yaml") && e.message.contains("#/paths/~1b"),
        "{}",
        e.message
    );
}

fn assert_refused(e: &Error, pointer: &str) {
    let d = &e.diagnostic;
    assert_eq!(d.code, "ref-outside-root", "{d}");
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.pointer, pointer);
    assert!(d.message.contains("--root DIR"), "{}", d.message);
}

#[test]
fn references_leaving_the_root_are_refused() {
    for name in ["traversal", "absolute", "file-url"] {
        let e = err(&fixture(&format!("escape/{name}.yaml")));
        assert_refused(&e, "/paths/~1a/get/description");
        assert!(e.diagnostic.file.ends_with(&format!("{name}.yaml")));
        assert!(
            e.diagnostic.message.contains("/etc/passwd"),
            "{}",
            e.diagnostic.message
        );
    }
}

/// A copy of `escape/` outside any git repository (the default sandbox is then the input's
/// folder).
fn escape_tree_outside_git() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    assert!(!dir.path().ancestors().any(|d| d.join(".git").exists()));
    std::fs::create_dir(dir.path().join("inner")).unwrap();
    for rel in ["shared.yaml", "inner/openapi.yaml"] {
        std::fs::copy(fixture(&format!("escape/{rel}")), dir.path().join(rel)).unwrap();
    }
    let path = dir.path().join("inner/openapi.yaml");
    (dir, path)
}

#[test]
fn root_option_widens_the_sandbox() {
    let (dir, path) = escape_tree_outside_git();
    let e = err(&path);
    assert_refused(&e, "/paths/~1a");
    assert!(
        e.diagnostic.message.contains("shared.yaml"),
        "{}",
        e.diagnostic.message
    );
    let options = BundleOptions {
        root: Some(dir.path().to_path_buf()),
        ..Default::default()
    };
    let out = bundle(&path, &options).unwrap();
    assert_eq!(
        out.document.value["paths"]["/a"]["get"]["responses"]["204"]["description"],
        "none"
    );
}

/// The default sandbox is the git repository the input lies in (issue 12, item 7): a
/// CAMARA-style tree (`code/API_definitions/api.yaml` -> `../common/common.yaml`) bundles
/// without `--root`; a file beside the repository, or a symlink out of it, is still refused.
#[test]
fn the_default_sandbox_is_the_git_repository() {
    let outer = tempfile::tempdir().unwrap();
    let repo = outer.path().join("repo");
    std::fs::create_dir_all(repo.join("code/API_definitions")).unwrap();
    std::fs::create_dir_all(repo.join("code/common")).unwrap();
    let git = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(&repo)
        .status();
    if !git.is_ok_and(|s| s.success()) {
        std::fs::create_dir(repo.join(".git")).unwrap(); // what the sandbox looks for
    }
    std::fs::write(repo.join("code/common/common.yaml"), "Id: {type: string}\n").unwrap();
    std::fs::write(outer.path().join("secret.yaml"), "type: string\n").unwrap();
    let api = repo.join("code/API_definitions/api.yaml");
    let spec = |target: &str| {
        format!("openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\ncomponents:\n  schemas:\n    S:\n      $ref: '{target}'\n")
    };
    std::fs::write(&api, spec("../common/common.yaml#/Id")).unwrap();
    let out = bundle(&api, &BundleOptions::default()).unwrap();
    assert_eq!(
        out.document.value["components"]["schemas"]["S"]["type"],
        "string"
    );

    std::fs::write(&api, spec("../../../secret.yaml")).unwrap();
    assert_refused(&err(&api), "/components/schemas/S");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(
            outer.path().join("secret.yaml"),
            repo.join("code/common/link.yaml"),
        )
        .unwrap();
        std::fs::write(&api, spec("../common/link.yaml")).unwrap();
        assert_refused(&err(&api), "/components/schemas/S");
    }
    // `--root` still overrides: here, narrower than the repository.
    std::fs::write(&api, spec("../common/common.yaml#/Id")).unwrap();
    let narrow = BundleOptions {
        root: Some(repo.join("code/API_definitions")),
        ..Default::default()
    };
    assert!(bundle(&api, &narrow).is_err());
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_root_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.yaml"), "type: string\n").unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.yaml"),
        dir.path().join("link.yaml"),
    )
    .unwrap();
    let root = dir.path().join("openapi.yaml");
    let spec = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    S:\n      $ref: link.yaml\n";
    std::fs::write(&root, spec).unwrap();
    let e = err(&root);
    assert_refused(&e, "/components/schemas/S");
    assert!(
        e.diagnostic.message.contains("secret.yaml"),
        "{}",
        e.diagnostic.message
    );
}

#[test]
fn url_refs_are_kept_with_a_warning() {
    let out = ok(&fixture("url/openapi.yaml"));
    let responses = &out.document.value["paths"]["/a"]["get"]["responses"];
    assert_eq!(
        responses["200"]["content"]["application/json"]["schema"]["$ref"],
        "https://example.com/schemas/thing.yaml#/Thing"
    );
    assert_eq!(responses["201"]["$ref"], "#/components/responses/local");
    assert_eq!(out.diagnostics.len(), 1);
    let w = &out.diagnostics[0];
    assert_eq!(
        (w.code, w.severity),
        (codes::EXTERNAL_REF, Severity::Warning)
    );
    assert_eq!(
        w.pointer,
        "/paths/~1a/get/responses/200/content/application~1json/schema"
    );

    // Without file references the document comes back as loaded, still with the warning.
    let path = fixture("url/only.yaml");
    let out = ok(&path);
    assert_eq!(
        out.document.value,
        load_path(&path, &Limits::default()).unwrap().value
    );
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].code, codes::EXTERNAL_REF);
}

#[test]
fn limits_are_enforced() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("openapi.yaml");
    std::fs::write(
        &root,
        "openapi: 3.1.0\ninfo:\n  title: t\n  version: '1'\n  description: {$ref: big.md}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("big.md"), "x".repeat(4096)).unwrap();
    let options = BundleOptions {
        root: None,
        limits: Limits {
            max_bytes: 1000,
            ..Limits::default()
        },
    };
    let e = bundle(&root, &options).unwrap_err().diagnostic;
    assert_eq!(e.code, codes::TOO_LARGE);
    assert!(e.file.ends_with("big.md"), "{e}");

    // A pure chain longer than the depth limit.
    let mut chain = String::new();
    for i in 0..600 {
        chain.push_str(&format!("k{i}: {{$ref: '#/k{}'}}\n", i + 1));
    }
    chain.push_str("k600: {type: string}\n");
    std::fs::write(dir.path().join("chain.yaml"), chain).unwrap();
    let spec = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    S: {$ref: chain.yaml#/k0}\n";
    std::fs::write(&root, spec).unwrap();
    let e = err(&root).diagnostic;
    assert_eq!(e.code, codes::TOO_DEEP);

    // References inlined inside each other without end (no cycle: 600 distinct nodes).
    let mut nested = String::new();
    for i in 0..600 {
        nested.push_str(&format!("k{i}: {{x: {{$ref: '#/k{}'}}}}\n", i + 1));
    }
    nested.push_str("k600: end\n");
    std::fs::write(dir.path().join("nested.yaml"), nested).unwrap();
    let spec = "openapi: 3.1.0\ninfo: {title: t, version: '1', x-a: 1, summary: {$ref: nested.yaml#/k0}}\n";
    std::fs::write(&root, spec).unwrap();
    let e = err(&root).diagnostic;
    assert_eq!(e.code, codes::TOO_DEEP);

    // More files than allowed.
    for i in 0..1001 {
        let text = format!(
            "type: object\nproperties:\n  next: {{$ref: 's{}.yaml'}}\n",
            i + 1
        );
        std::fs::write(dir.path().join(format!("s{i}.yaml")), text).unwrap();
    }
    std::fs::write(dir.path().join("s1001.yaml"), "type: string\n").unwrap();
    let spec = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    S: {$ref: s0.yaml}\n";
    std::fs::write(&root, spec).unwrap();
    let e = err(&root).diagnostic;
    assert_eq!(e.code, codes::TOO_LARGE);
    assert!(e.message.contains("1000 files"), "{}", e.message);
}

#[test]
fn documents_without_file_refs_come_back_unchanged_and_fast() {
    // A big single-file document (about 5 MB of JSON) with many local refs.
    let mut schemas = serde_json::Map::new();
    let mut paths = serde_json::Map::new();
    for i in 0..8000 {
        let props = json!({
            "id": {"type": "string", "description": "x".repeat(200)},
            "next": {"$ref": format!("#/components/schemas/S{}", (i + 1) % 8000)},
            "tags": {"type": "array", "items": {"$ref": "#/components/schemas/S0"}},
        });
        schemas.insert(
            format!("S{i}"),
            json!({"type": "object", "properties": props}),
        );
        if i % 4 == 0 {
            let op = json!({"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": format!("#/components/schemas/S{i}")},
                "example": {"$ref": "not-a-ref.yaml"}}}}}}});
            paths.insert(format!("/s{i}"), op);
        }
    }
    let doc = json!({"openapi": "3.1.0", "info": {"title": "big", "version": "1"}, "paths": paths,
        "components": {"schemas": schemas}});
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.json");
    std::fs::write(&path, serde_json::to_vec(&doc).unwrap()).unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() > 2_000_000);

    let t = Instant::now();
    let loaded = load_path(&path, &Limits::default()).unwrap();
    let load_time = t.elapsed();
    let t = Instant::now();
    let out = bundle(&path, &BundleOptions::default()).unwrap();
    let bundle_time = t.elapsed();
    eprintln!("load {load_time:?}, bundle (load + walk) {bundle_time:?}");
    assert_eq!(out.document.value, loaded.value);
    assert!(out.diagnostics.is_empty());
    assert!(
        bundle_time <= load_time * 3 + std::time::Duration::from_millis(500),
        "bundling took {bundle_time:?}, loading {load_time:?}"
    );
}

// --------------------------------------------------------------------------------------------
// The real corpus.

#[test]
fn corpus_openapi_starter() {
    let Some(corpus) = corpus() else { return };
    let out = ok(&corpus.join("openapi-starter/openapi/openapi.yaml"));
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let doc = &out.document.value;
    assert_self_contained(doc);
    no_numbered_duplicates(doc);
    for (path, item) in doc["paths"].as_object().unwrap() {
        assert!(item.get("$ref").is_none(), "{path} was not inlined");
    }
    let hook = &doc["webhooks"]["order-notification"];
    assert_eq!(hook["post"]["operationId"], "orderNotificationWebhook");

    let schemas = section(doc, "schemas");
    for name in [
        "Error",
        "MenuItem",
        "Beverage",
        "Dessert",
        "MenuBaseItem",
        "Order",
        "OrderStatus",
        "OrderNotification",
    ] {
        assert!(schemas.contains_key(name), "schemas.{name} is missing");
    }
    // Error.yaml is referenced by six response files: it is there once.
    let error = load_path(
        &corpus.join("openapi-starter/openapi/components/schemas/Error.yaml"),
        &Limits::default(),
    )
    .unwrap()
    .value;
    assert_eq!(schemas.values().filter(|v| **v == error).count(), 1);
    assert_eq!(
        schemas["MenuItem"]["discriminator"]["mapping"],
        json!({"beverage": "#/components/schemas/Beverage", "dessert": "#/components/schemas/Dessert"})
    );
    let responses = section(doc, "responses");
    for name in [
        "BadRequest",
        "Unauthorized",
        "Forbidden",
        "NotFound",
        "Conflict",
        "InternalServerError",
    ] {
        assert_eq!(
            responses[name]["content"]["application/problem+json"]["schema"]["$ref"],
            "#/components/schemas/Error"
        );
    }
    // Code samples are files of other languages: their text is inlined.
    let samples = &doc["paths"]["/menu"]["get"]["x-codeSamples"];
    let cs = std::fs::read_to_string(
        corpus.join("openapi-starter/openapi/code_samples/C_sharp/menu/get.cs"),
    )
    .unwrap();
    assert_eq!(samples[0]["source"], cs.as_str());
    assert!(samples[1]["source"]
        .as_str()
        .is_some_and(|s| s.contains("<?php")));
}

#[test]
fn corpus_camara_qod() {
    let Some(corpus) = corpus() else { return };
    let code = corpus.join("camara-qod/code");
    let mut names: Vec<PathBuf> = std::fs::read_dir(code.join("API_definitions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    names.sort();
    assert!(names.len() >= 3, "{names:?}");
    for path in names {
        // The definitions reference ../common: outside a git repository the default sandbox
        // is the input's folder, so that is refused; inside one it is the repository's root.
        let in_git = code.ancestors().any(|d| d.join(".git").exists());
        if !in_git {
            let e = err(&path);
            assert_eq!(e.diagnostic.code, "ref-outside-root");
            assert!(
                e.diagnostic.message.contains("CAMARA_common.yaml"),
                "{}",
                e.diagnostic.message
            );
        }

        let options = BundleOptions {
            root: Some(code.clone()),
            ..Default::default()
        };
        let out = bundle(&path, &options).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        let doc = &out.document.value;
        assert_self_contained(doc);
        no_numbered_duplicates(doc);
        let schemas = section(doc, "schemas");
        // Root aliases (`Device: {$ref: ../common/...#/components/schemas/Device}`) hold the target.
        for name in ["Device", "ErrorInfo", "PhoneNumber", "XCorrelator"] {
            let s = schemas
                .get(name)
                .unwrap_or_else(|| panic!("{}: schemas.{name}", path.display()));
            assert!(
                s.get("$ref").is_none(),
                "{}: schemas.{name} is still an alias",
                path.display()
            );
        }
        let responses = section(doc, "responses");
        assert!(responses["Generic400"].get("$ref").is_none());
        assert_eq!(
            responses["Generic400"]["headers"]["x-correlator"]["$ref"],
            "#/components/headers/x-correlator"
        );
        assert!(section(doc, "headers").contains_key("x-correlator"));
        assert!(section(doc, "securitySchemes")["openId"]["type"].is_string());
    }
}

/// A discriminator mapping is a name readers may look up, not a reference the conversion
/// follows: one that points nowhere (in the document or to a missing file) is a warning with
/// its pointer and is kept as written (issue 12, item 4; DigitalOcean's description has both).
#[test]
fn a_dangling_discriminator_mapping_is_a_warning_kept_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("openapi.yaml");
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      discriminator:\n        propertyName: kind\n        mapping:\n          cat: '#/components/schemas/Cat'\n          dog: models/dog.yml\n";
    std::fs::write(&root, spec).unwrap();
    let out = bundle(&root, &BundleOptions::default()).unwrap();
    let mapping = &out.document.value["components"]["schemas"]["Pet"]["discriminator"]["mapping"];
    assert_eq!(mapping["cat"], "#/components/schemas/Cat");
    assert_eq!(mapping["dog"], "models/dog.yml");
    let warned: Vec<(&str, &str)> = out
        .diagnostics
        .iter()
        .map(|d| (d.code, d.pointer.as_str()))
        .collect();
    let at = "/components/schemas/Pet/discriminator/mapping";
    assert!(
        warned.contains(&("unresolved-ref", &format!("{at}/cat"))),
        "{warned:?}"
    );
    assert!(
        warned.contains(&("unresolved-ref", &format!("{at}/dog"))),
        "{warned:?}"
    );
    assert!(out
        .diagnostics
        .iter()
        .all(|d| d.severity == Severity::Warning));
}

/// A `$ref` inside an extension that points at a missing file (Redocly's `x-codeSamples`
/// whose code file is not there) does not stop the conversion: a warning with its pointer, the
/// `$ref` kept as written (issue 12, item 4). A missing file the conversion needs stays an error.
#[test]
fn a_missing_file_in_an_extension_is_a_warning_kept_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("openapi.yaml");
    let spec = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      x-codeSamples:\n        - {lang: Shell, source: {$ref: ./examples/get.sh}}\n      responses: {'200': {description: ok}}\n";
    std::fs::write(&root, spec).unwrap();
    let out = bundle(&root, &BundleOptions::default()).unwrap();
    let sample = &out.document.value["paths"]["/a"]["get"]["x-codeSamples"][0];
    assert_eq!(sample["source"]["$ref"], "./examples/get.sh");
    let [d] = out.diagnostics.as_slice() else {
        panic!("{:?}", out.diagnostics)
    };
    assert_eq!(
        (d.code, d.severity, d.pointer.as_str()),
        (
            codes::UNRESOLVED_REF,
            Severity::Warning,
            "/paths/~1a/get/x-codeSamples/0/source"
        )
    );
    let needed =
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a: {$ref: ./items/a.yaml}\n";
    std::fs::write(&root, needed).unwrap();
    assert_eq!(err(&root).diagnostic.code, codes::UNRESOLVED_REF);
}
