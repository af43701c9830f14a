//! The merged navigation manifest (`hookbridge::nav`): snapshots of the samples' manifests,
//! validation against `docs/nav-manifest.schema.json`, the `redoc3`/`scalar` targets checked
//! against Redoc 3 and Scalar themselves, every webhook and callback placed and linked to its
//! AsyncAPI operation on the whole corpus, the HTML page in headless Chromium, and the
//! docusaurus export.

mod common;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use hookbridge::nav::{self, Kind, Manifest, NavOptions};
use serde_json::{json, Value};

/// A built manifest with the documents it was built from.
struct Case {
    name: String,
    openapi: Value,
    asyncapi: Value,
    manifest: Manifest,
}

fn samples() -> Vec<PathBuf> {
    common::openapi_samples()
}

fn in_scope(path: &Path) -> bool {
    common::openapi_version(path).is_some_and(|v| v.starts_with("3.0") || v.starts_with("3.1"))
}

/// The samples and the corpora (see tests/common for a missing corpus).
fn corpus() -> Vec<PathBuf> {
    let mut files = samples();
    files.extend(common::openapi_corpus_files(&common::corpus_dir()));
    files.extend(common::openapi_corpus_files(&common::npm_corpus_dir()));
    files.retain(|p| in_scope(p));
    files
}

fn display_name(path: &Path) -> String {
    let root = common::manifest_dir();
    let shown = path.strip_prefix(&root).unwrap_or(path);
    shown.display().to_string()
}

/// Bundles the document (multi-file specs), derives AsyncAPI and builds the manifest.
fn case(path: &Path) -> Case {
    // Corpus specs reference sibling folders: let the bundler read the whole tree.
    let options = hookbridge::document::refs::BundleOptions {
        root: path.ancestors().last().map(Path::to_path_buf),
        limits: common::corpus_limits(),
    };
    let bundled = hookbridge::document::refs::bundle(path, &options)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut doc = bundled.document;
    doc.name = display_name(path);
    let options = NavOptions {
        openapi_uri: Some(doc.name.clone()),
        ..NavOptions::default()
    };
    let built =
        nav::build_manifest(&doc, None, &options).unwrap_or_else(|e| panic!("{}: {e}", doc.name));
    Case {
        name: doc.name.clone(),
        asyncapi: built.derived_asyncapi.expect("derived AsyncAPI"),
        openapi: doc.value,
        manifest: built.manifest,
    }
}

fn write_json(path: &Path, v: &impl serde::Serialize) {
    let text = serde_json::to_string(v).expect("serializes");
    std::fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

/// Runs `node tests/js/<script> <args>` and parses its JSON stdout.
fn run_node(script: &str, marker: &str, args: &[&Path]) -> Value {
    common::require_js_tools(marker);
    let mut node = Command::new("node");
    node.arg("--max-old-space-size=8192")
        .arg(common::js_dir().join(script))
        .args(args);
    common::json_output(&mut node, &format!("node {script}"))
}

/// Writes the cases' documents and manifests and runs `check-nav-targets.mjs` once.
fn check_targets(cases: &[Case]) -> Vec<Value> {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut jobs = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let paths =
            ["manifest", "openapi", "asyncapi"].map(|k| dir.path().join(format!("{i}-{k}.json")));
        write_json(&paths[0], &c.manifest);
        write_json(&paths[1], &c.openapi);
        write_json(&paths[2], &c.asyncapi);
        // Redoc 3.0.1 refuses OpenAPI 3.2 documents ("DefinitionLoadError: Unknown type name
        // found: string"): those are checked in Scalar only.
        let redoc = !c.openapi["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.2"));
        jobs.push(json!({"name": c.name, "manifest": paths[0], "openapi": paths[1], "asyncapi": paths[2], "redoc": redoc}));
    }
    let jobs_file = dir.path().join("jobs.json");
    write_json(&jobs_file, &jobs);
    let reports = run_node("check-nav-targets.mjs", "redoc", &[&jobs_file]);
    let reports = reports.as_array().cloned().unwrap_or_default();
    assert_eq!(reports.len(), cases.len(), "one report per manifest");
    reports
}

/// `(passed, failures)` over all reports, failures named by case.
fn summarize(cases: &[Case], reports: &[Value], renderer: &str) -> (u64, Vec<String>) {
    let mut passed = 0;
    let mut failures = Vec::new();
    for (c, r) in cases.iter().zip(reports) {
        if let Some(e) = r.get("error") {
            failures.push(format!("{}: checker error: {e}", c.name));
            continue;
        }
        passed += r[renderer]["passed"].as_u64().unwrap_or(0);
        for f in r[renderer]["failed"].as_array().into_iter().flatten() {
            failures.push(format!("{}: {} -> {}", c.name, f["node"], f["problem"]));
        }
    }
    (passed, failures)
}

fn assert_targets(cases: &[Case]) {
    let reports = check_targets(cases);
    let mut all = Vec::new();
    for renderer in ["redoc3", "scalar"] {
        let (passed, failures) = summarize(cases, &reports, renderer);
        eprintln!(
            "{renderer}: {passed} targets found in the renderer's navigation, {} missing",
            failures.len()
        );
        assert!(passed > 0, "no {renderer} target was checked");
        all.extend(failures);
    }
    assert!(
        all.is_empty(),
        "{} target(s) missing in the renderers:\n{}",
        all.len(),
        all.join("\n")
    );
}

#[test]
fn sample_targets_exist_in_redoc3_and_scalar() {
    // The 3.2 samples are checked in Scalar only (see `check_targets`); Scalar also has to show
    // every nested tag inside its parent's entry (OpenAPI 3.2 `parent`).
    let files = samples();
    let cases: Vec<Case> = files.iter().map(|p| case(p)).collect();
    let nested = cases
        .iter()
        .flat_map(|c| c.manifest.nodes.values())
        .filter(|n| n.links.iter().any(|l| l.rel == "parentTag"))
        .count();
    assert!(nested >= 3, "the 3.2 samples nest tags ({nested})");
    assert_targets(&cases);
}

#[test]
fn corpus_targets_exist_in_redoc3_and_scalar() {
    let cases: Vec<Case> = corpus().iter().map(|p| case(p)).collect();
    assert_targets(&cases);
}

fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(common::manifest_dir().join("snapshots"));
    s.set_prepend_module_to_snapshot(false);
    s
}

fn snapshot_name(path: &Path) -> String {
    let parent = path
        .parent()
        .and_then(Path::file_name)
        .and_then(|n| n.to_str());
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("sample");
    match parent {
        Some("multi-file") => "nav__multi-file".into(),
        _ => format!("nav__{stem}"),
    }
}

/// Validates manifests with `docs/nav-manifest.schema.json` (the `jsonschema` crate, JSON Schema
/// 2020-12), and what a schema cannot say: every id named anywhere is a node.
fn assert_schema_valid(cases: &[Case]) {
    let validator = common::nav_manifest_validator();
    let mut bad = Vec::new();
    for c in cases {
        let instance = serde_json::to_value(&c.manifest).expect("manifest serializes");
        for e in validator.iter_errors(&instance).take(10) {
            bad.push(format!("{}: {} {e}", c.name, e.instance_path()));
        }
        bad.extend(
            dangling_ids(&c.manifest)
                .into_iter()
                .map(|d| format!("{}: {d}", c.name)),
        );
    }
    assert!(
        bad.is_empty(),
        "manifests rejected by docs/nav-manifest.schema.json:\n{}",
        bad.join("\n")
    );
}

fn dangling_ids(m: &Manifest) -> Vec<String> {
    let mut named: Vec<(&str, String)> = m
        .roots
        .iter()
        .map(|r| (r.as_str(), "roots".to_string()))
        .collect();
    for (key, n) in &m.nodes {
        if &n.id != key {
            named.push(("", format!("node {key} has id {}", n.id)));
        }
        named.extend(
            n.children
                .iter()
                .map(|c| (c.as_str(), format!("{key} children"))),
        );
        named.extend(
            n.links
                .iter()
                .map(|l| (l.target.as_str(), format!("{key} links"))),
        );
        named.extend(
            n.primary_parent
                .iter()
                .map(|p| (p.as_str(), format!("{key} primaryParent"))),
        );
        named.extend(
            n.callback
                .iter()
                .map(|cb| (cb.registered_by.as_str(), format!("{key} callback"))),
        );
    }
    named
        .into_iter()
        .filter(|(id, _)| !m.nodes.contains_key(*id))
        .map(|(id, at)| format!("{at}: unknown node id `{id}`"))
        .collect()
}

#[test]
fn sample_manifests_match_snapshots_and_the_schema() {
    let files = samples();
    assert!(
        files.len() >= 10,
        "expected the samples, found {}",
        files.len()
    );
    let cases: Vec<Case> = files.iter().map(|p| case(p)).collect();
    snapshot_settings().bind(|| {
        for (file, c) in files.iter().zip(&cases) {
            insta::assert_snapshot!(snapshot_name(file), nav::to_json(&c.manifest));
        }
    });
    assert_schema_valid(&cases);
}

/// Ids reachable from the roots through `children`.
fn placed(m: &Manifest) -> HashSet<String> {
    let mut seen = HashSet::new();
    let mut stack: Vec<&String> = m.roots.iter().collect();
    while let Some(id) = stack.pop() {
        if seen.insert(id.clone()) {
            if let Some(n) = m.nodes.get(id) {
                stack.extend(n.children.iter());
            }
        }
    }
    seen
}

/// Problems with the placement and `equivalent` links of the webhooks and callbacks.
fn event_problems(c: &Case) -> Vec<String> {
    let m = &c.manifest;
    let placed = placed(m);
    let mut out = Vec::new();
    for n in m
        .nodes
        .values()
        .filter(|n| matches!(n.kind, Kind::Webhook | Kind::Callback))
    {
        if !placed.contains(&n.id) {
            out.push(format!("{}: {} is not placed", c.name, n.id));
        }
        let equivalents: Vec<&str> = n
            .links
            .iter()
            .filter(|l| l.rel == "equivalent")
            .map(|l| l.target.as_str())
            .collect();
        let back = |t: &&str| {
            m.nodes.get(*t).is_some_and(|a| {
                a.kind == Kind::AsyncOperation
                    && a.links
                        .iter()
                        .any(|l| l.rel == "equivalent" && l.target == n.id)
            })
        };
        if equivalents.len() != 1 || !equivalents.iter().all(back) {
            out.push(format!(
                "{}: {} has equivalents {equivalents:?}",
                c.name, n.id
            ));
        }
    }
    out
}

/// Webhook and callback operations of an OpenAPI document by an independent walk.
fn count_events(doc: &Value) -> usize {
    let mut n = 0;
    for key in ["webhooks", "x-webhooks"] {
        for item in doc
            .get(key)
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|m| m.values())
        {
            n += count_item(doc, item, true);
        }
    }
    for item in doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|m| m.values())
    {
        n += count_item(doc, item, false);
    }
    n
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn deref<'a>(doc: &'a Value, mut v: &'a Value) -> &'a Value {
    for _ in 0..32 {
        match v
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
        {
            Some(p) => match doc.pointer(p) {
                Some(t) => v = t,
                None => return v,
            },
            None => return v,
        }
    }
    v
}

fn count_item(doc: &Value, item: &Value, counts: bool) -> usize {
    let item = deref(doc, item);
    let mut n = 0;
    for op in METHODS.iter().filter_map(|m| item.get(*m)) {
        n += usize::from(counts);
        for cb in op
            .get("callbacks")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|m| m.values())
        {
            for (expr, cb_item) in deref(doc, cb).as_object().into_iter().flatten() {
                if !expr.starts_with("x-") {
                    n += count_item(doc, cb_item, true);
                }
            }
        }
    }
    n
}

#[test]
fn corpus_places_every_event_with_its_asyncapi_equivalent() {
    let files = corpus();
    let mut problems = Vec::new();
    let mut cases = Vec::new();
    let mut events = 0;
    for file in &files {
        let c = case(file);
        let nodes = c.manifest.nodes.values();
        let found = nodes
            .filter(|n| matches!(n.kind, Kind::Webhook | Kind::Callback))
            .count();
        let expected = count_events(&c.openapi);
        if found != expected {
            problems.push(format!(
                "{}: {expected} webhook/callback operations, {found} nodes",
                c.name
            ));
        }
        events += found;
        problems.extend(event_problems(&c));
        cases.push(c);
    }
    eprintln!(
        "{} documents, {events} webhook and callback operations placed and linked",
        files.len()
    );
    // GitHub's descriptions alone have 543 webhooks.
    assert!(events > 300, "expected the corpus' events, found {events}");
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert_schema_valid(&cases);
}

// ---------------------------------------------------------------------------------------------
// The HTML page in headless Chromium.

/// Percent-encodes a query value.
fn query(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Runs headless Chromium on `url` with `args` and returns stdout.
fn run_chromium(args: &[&str], url: &str, profile: &Path) -> String {
    let out = Command::new(common::chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .output()
        .unwrap_or_else(|e| panic!("cannot run chromium: {e}; {}", common::CHROMIUM_HELP));
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn details_of(dom: &str) -> &str {
    let start = dom
        .find("<section id=\"details\"")
        .expect("details panel in the DOM");
    let end = dom[start..]
        .find("</section>")
        .map_or(dom.len(), |e| start + e);
    &dom[start..end]
}

#[test]
fn html_page_shows_the_tree_and_callback_details_in_chromium() {
    let c = case(&common::manifest_dir().join("samples/openapi/nested-callbacks.yaml"));
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("nav.html");
    std::fs::write(&page, nav::html::render(&c.manifest)).expect("write page");
    let url = format!("file://{}", page.display());
    let profile = dir.path().join("profile");

    let dom = run_chromium(&["--dump-dom"], &url, &profile);
    let entries = dom
        .matches("<button type=\"button\" class=\"entry\"")
        .count();
    // Merged layout: the AsyncAPI operations and messages of events are views, not entries.
    let entries_expected = placed(&c.manifest).len();
    assert!(
        entries >= entries_expected,
        "tree has {entries} entries, {entries_expected} placed nodes"
    );
    for label in ["REST API", "Schemas"] {
        assert!(dom.contains(label), "root {label} missing from the tree");
    }
    assert!(dom.contains("id=\"filter\""), "filter box missing");
    assert!(
        !dom.contains("http://") || !dom.contains("<script src"),
        "the page must not load anything"
    );

    let callback = c
        .manifest
        .nodes
        .values()
        .find(|n| {
            n.kind == Kind::Callback
                && n.callback
                    .as_ref()
                    .is_some_and(|cb| cb.name == "reviewDecision")
        })
        .expect("a nested callback");
    let clicked = run_chromium(
        &["--dump-dom"],
        &format!("{url}?click={}", query(&callback.id)),
        &profile,
    );
    let details = details_of(&clicked);
    let escaped = hookbridge::nav::html::escape(&callback.id);
    assert!(
        details.contains(&format!("data-selected=\"{escaped}\"")),
        "callback not selected:\n{details}"
    );
    assert!(details.contains("data-kind=\"callback\""), "{details}");
    for needle in [
        "Registered by",
        "{$request.body#/acknowledgeUrl}",
        "data-view=\"asyncapi\"",
        "POST",
        "Payload",
        "<span class=\"prop\">approved</span>",
    ] {
        assert!(
            details.contains(needle),
            "details lack {needle}:\n{details}"
        );
    }
    assert!(
        clicked.contains("class=\"kind-callback selected\""),
        "the clicked entry is not highlighted"
    );

    let filtered = run_chromium(
        &["--dump-dom"],
        &format!("{url}?filter=publishresult"),
        &profile,
    );
    assert!(
        filtered.contains("class=\"kind-schema hidden\""),
        "the filter hides nothing"
    );
    assert!(
        filtered.contains("class=\"kind-callback\""),
        "the filter hides the match"
    );

    let shot = common::manifest_dir()
        .join("target")
        .join("nav-html-callback.png");
    let shot_arg = format!("--screenshot={}", shot.display());
    run_chromium(
        &[&shot_arg, "--window-size=1280,900", "--hide-scrollbars"],
        &format!("{url}?click={}", query(&callback.id)),
        &profile,
    );
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "screenshot too small: {} bytes",
        png.len()
    );
}

// ---------------------------------------------------------------------------------------------
// The docusaurus export.

fn sidebar_items<'a>(items: &'a Value, out: &mut Vec<(&'a Value, Vec<String>)>, trail: &[String]) {
    for it in items.as_array().into_iter().flatten() {
        let nav_id = it["customProps"]["navId"].as_str().map(str::to_string);
        out.push((it, trail.to_vec()));
        let mut next = trail.to_vec();
        next.extend(nav_id);
        sidebar_items(&it["items"], out, &next);
    }
}

#[test]
fn docusaurus_export_writes_a_loadable_sidebar_and_asyncapi_pages() {
    let c = case(&common::manifest_dir().join("samples/openapi/callbacks-31.yaml"));
    let dir = tempfile::tempdir().expect("tempdir");
    let written = nav::docusaurus::export(&c.manifest, dir.path()).expect("export");
    let sidebar_js = dir.path().join("sidebar.js");
    assert!(written.contains(&sidebar_js));
    let sidebar = common::node_module_json(&sidebar_js);
    let mut items = Vec::new();
    sidebar_items(&sidebar, &mut items, &[]);
    let m = &c.manifest;
    let mut kinds = BTreeMap::new();
    for (it, trail) in &items {
        let ty = it["type"].as_str().unwrap_or("?");
        if let Some(id) = it["customProps"]["navId"].as_str() {
            let n = m
                .nodes
                .get(id)
                .unwrap_or_else(|| panic!("navId {id} is not a manifest node"));
            *kinds.entry(format!("{:?}", n.kind)).or_insert(0) += 1;
            if n.kind == Kind::Callback {
                // Merged: the callback's OpenAPI view (its operation's section), then its
                // AsyncAPI page.
                assert_eq!(ty, "category", "{id}");
                assert!(
                    it["items"][0]["href"]
                        .as_str()
                        .is_some_and(|h| h.ends_with("#callbacks")),
                    "{it}"
                );
                assert!(
                    it["items"][1]["id"]
                        .as_str()
                        .is_some_and(|d| d.starts_with("asyncapi/operations/")),
                    "{it}"
                );
                let parent = &n.callback.as_ref().expect("callback info").registered_by;
                assert_eq!(
                    trail.last(),
                    Some(parent),
                    "callback {id} not nested under its operation"
                );
            }
            if n.kind == Kind::Webhook {
                assert_eq!(it["className"], "api-method event");
                assert!(
                    it["link"]["id"]
                        .as_str()
                        .is_some_and(|d| d.starts_with("openapi/")),
                    "{it}"
                );
            }
        }
        let doc = it["id"].as_str().or_else(|| it["link"]["id"].as_str());
        if let Some(doc) = doc.filter(|d| d.starts_with("asyncapi/")) {
            let page = dir.path().join(format!("{doc}.md"));
            let text = std::fs::read_to_string(&page)
                .unwrap_or_else(|_| panic!("no page {}", page.display()));
            assert!(
                text.starts_with("---\nid: ") && text.contains("hookbridge_nav_id: "),
                "{text}"
            );
        }
    }
    for kind in [
        "Operation",
        "Webhook",
        "Callback",
        "AsyncOperation",
        "Schema",
    ] {
        assert!(
            kinds.contains_key(kind),
            "no {kind} in the sidebar: {kinds:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Two documents given, and the writers the CLI uses.

#[test]
fn given_asyncapi_is_linked_through_its_markers_and_outputs_are_written() {
    let sample = common::manifest_dir().join("samples/openapi/multi-file/openapi.yaml");
    let derived = case(&sample);
    let dir = tempfile::tempdir().expect("tempdir");
    let asyncapi = dir.path().join("asyncapi.json");
    write_json(&asyncapi, &derived.asyncapi);
    let built =
        nav::build_from_paths(&sample, Some(&asyncapi), &NavOptions::default()).expect("builds");
    let m = &built.manifest;
    assert_eq!(m.sources[1].role, "secondary");
    let given = Case {
        name: "given".into(),
        openapi: derived.openapi.clone(),
        asyncapi: derived.asyncapi.clone(),
        manifest: m.clone(),
    };
    assert_eq!(event_problems(&given), Vec::<String>::new());
    let vias: HashSet<&str> = m
        .nodes
        .values()
        .flat_map(|n| n.links.iter())
        .filter(|l| l.rel == "equivalent")
        .filter_map(|l| l.via.as_deref())
        .collect();
    assert_eq!(vias, HashSet::from(["x-openapi marker"]));
    let keys = |m: &Manifest| m.nodes.keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        keys(m),
        keys(&derived.manifest),
        "same nodes in the same order"
    );

    let outputs = nav::Outputs {
        manifest: Some(dir.path().join("nav.json")),
        html: Some(dir.path().join("nav.html")),
        docusaurus: Some(dir.path().join("site")),
    };
    assert_eq!(nav::write_outputs(m, &outputs).expect("written"), None);
    let written: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("nav.json")).expect("manifest"))
            .expect("manifest JSON");
    assert_eq!(written["roots"], json!(m.roots));
    assert!(dir.path().join("site").join("sidebar.js").exists());
    let page = std::fs::read_to_string(dir.path().join("nav.html")).expect("page");
    assert!(page.contains("<nav id=\"nav\"") && !page.contains("src=\"http"));
    let stdout = nav::write_outputs(m, &nav::Outputs::default()).expect("stdout");
    assert_eq!(stdout.as_deref(), Some(nav::to_json(m).as_str()));
}

#[test]
fn manifests_are_deterministic() {
    let sample = common::manifest_dir().join("samples/openapi/webhooks-multi.yaml");
    let a = nav::to_json(&case(&sample).manifest);
    let b = nav::to_json(&case(&sample).manifest);
    assert_eq!(a, b);
}

#[test]
fn the_schema_rejects_broken_manifests() {
    let c = case(&common::manifest_dir().join("samples/openapi/callbacks-31.yaml"));
    let validator = common::nav_manifest_validator();
    let good = serde_json::to_value(&c.manifest).expect("serializes");
    assert!(validator.is_valid(&good));
    let callback = c
        .manifest
        .nodes
        .values()
        .find(|n| n.kind == Kind::Callback)
        .expect("a callback");
    let webhook = c
        .manifest
        .nodes
        .values()
        .find(|n| n.kind == Kind::Webhook)
        .expect("a webhook");
    let breakages: [(&str, &str, Value); 4] = [
        (&callback.id, "/kind", json!("endpoint")),
        (&callback.id, "/targets/scalar", json!({"id": "x"})),
        (&webhook.id, "/http", json!({"method": "post"})),
        (&webhook.id, "/links/0/rel", json!("likes")),
    ];
    for (id, at, value) in breakages {
        let mut bad = good.clone();
        let node = bad["nodes"].get_mut(id).expect("node");
        match node.pointer_mut(at) {
            Some(slot) => *slot = value,
            None => {
                let (parent, key) = at.rsplit_once('/').expect("pointer");
                node.pointer_mut(parent).expect("parent")[key] = value;
            }
        }
        assert!(!validator.is_valid(&bad), "{id}{at} accepted");
    }
}

/// OpenAPI 3.2 streams are their own kind: every AsyncAPI operation on a stream channel is a
/// `stream` node, every other one an `asyncOperation`.
#[test]
fn streams_are_their_own_kind() {
    let c = case(&common::manifest_dir().join("samples/openapi/streams-32.yaml"));
    let count = |kind: Kind| c.manifest.nodes.values().filter(|n| n.kind == kind).count();
    let streams: Vec<&str> = c
        .manifest
        .nodes
        .values()
        .filter(|n| n.kind == Kind::Stream)
        .filter_map(|n| n.operation_id.as_deref())
        .collect();
    assert_eq!(
        streams,
        [
            "streamQuotes.stream.200",
            "deliverExport.stream.request",
            "auditTrail.stream.request"
        ]
    );
    let operations = c.asyncapi["operations"].as_object().expect("operations");
    assert_eq!(
        count(Kind::Stream) + count(Kind::AsyncOperation),
        operations.len()
    );
    assert_eq!(
        count(Kind::AsyncOperation),
        2,
        "deliverExport and auditTrail"
    );
}

/// An OpenAPI 3.2 document given inline, as `nav` reads it.
fn manifest_of(doc: Value, layout: nav::Layout) -> Manifest {
    let doc = hookbridge::document::load::Document {
        name: "inline.json".into(),
        syntax: hookbridge::document::load::Syntax::Json,
        value: doc,
    };
    let options = NavOptions {
        layout,
        ..NavOptions::default()
    };
    nav::build_manifest(&doc, None, &options)
        .expect("builds")
        .manifest
}

#[test]
fn tag_hierarchy_nests_nav_tags_and_labels_entries_with_other_kinds() {
    let op = |tags: Value| json!({"operationId": format!("op{}", tags), "tags": tags, "responses": {"200": {"description": "ok"}}});
    let doc = json!({
        "openapi": "3.2.0",
        "info": {"title": "t", "version": "1"},
        "tags": [
            {"name": "a", "summary": "A summary", "kind": "nav"},
            {"name": "b", "parent": "a", "x-displayName": "B shown"},
            {"name": "c", "parent": "b"},
            {"name": "self", "parent": "self"},
            {"name": "lost", "parent": "nowhere"},
            {"name": "x", "parent": "y"},
            {"name": "y", "parent": "x"},
            {"name": "beta", "kind": "badge"},
            {"name": "under-badge", "parent": "beta"},
            {"name": "empty-parent"},
            {"name": "empty-child", "parent": "empty-parent"}
        ],
        "paths": {
            "/c": {"get": op(json!(["c", "beta"]))},
            "/only-badge": {"get": op(json!(["beta"]))},
            "/x": {"get": op(json!(["x"]))}
        },
        "webhooks": {"hook": {"post": op(json!(["empty-child"]))}}
    });
    let m = manifest_of(doc.clone(), nav::Layout::Merged);
    let node = |id: &str| m.nodes.get(id).unwrap_or_else(|| panic!("{id}"));
    let rest = &node("group:rest").children;
    assert_eq!(node("openapi:tag:a").label, "A summary");
    assert_eq!(node("openapi:tag:b").label, "B shown");
    assert!(node("openapi:tag:a")
        .children
        .contains(&"openapi:tag:b".to_string()));
    assert_eq!(node("openapi:tag:b").children, ["openapi:tag:c"]);
    assert_eq!(
        node("openapi:tag:c").children,
        ["openapi:operation:/paths/~1c/get"]
    );
    assert_eq!(
        node("openapi:tag:c").primary_parent.as_deref(),
        Some("openapi:tag:b")
    );
    assert!(!rest.contains(&"openapi:tag:b".to_string()), "{rest:?}");
    // Label tags: not in the tree, carried by their entries, which their nav tags place.
    assert!(!rest.contains(&"openapi:tag:beta".to_string()));
    assert_eq!(node("openapi:tag:beta").role.as_deref(), Some("label"));
    let c_op = node("openapi:operation:/paths/~1c/get");
    assert_eq!(c_op.labels.len(), 1);
    assert_eq!(
        (c_op.labels[0].name.as_str(), c_op.labels[0].kind.as_str()),
        ("beta", "badge")
    );
    assert!(rest.contains(&"openapi:operation:/paths/~1only-badge/get".to_string()));
    // Parents that cannot nest stay at the top level, each with a warning naming its pointer.
    let warned: Vec<(&str, &str)> = m
        .diagnostics
        .iter()
        .filter(|d| d.code == "tag-parent")
        .map(|d| (d.nodes[0].as_str(), d.message.as_str()))
        .collect();
    for (tag, index) in [
        ("self", 3),
        ("lost", 4),
        ("x", 5),
        ("y", 6),
        ("under-badge", 8),
    ] {
        let id = format!("openapi:tag:{tag}");
        assert!(rest.contains(&id), "{id} at the top: {rest:?}");
        assert!(
            warned
                .iter()
                .any(|(n, msg)| *n == id && msg.contains(&format!("/tags/{index}/parent"))),
            "{id}: {warned:?}"
        );
    }
    assert_eq!(warned.len(), 5, "{warned:?}");
    // Merged layout: the tag holding only a webhook, and its parent, move into Webhooks.
    assert!(
        !rest.contains(&"openapi:tag:empty-parent".to_string()),
        "{rest:?}"
    );
    assert_eq!(
        node("group:webhooks").children,
        ["openapi:tag:empty-parent"]
    );
    assert_eq!(m.roots[0], "group:rest");

    let split = manifest_of(doc, nav::Layout::Split);
    let rest = &split.nodes["group:rest"].children;
    assert!(rest.contains(&"openapi:tag:empty-parent".to_string()));
    assert_eq!(
        split.nodes["openapi:tag:empty-parent"].children,
        ["openapi:tag:empty-child"]
    );
    assert_schema_valid_manifest(&m);
    assert_schema_valid_manifest(&split);
}

#[test]
fn webhook_only_tags_move_into_the_webhooks_group_with_their_hierarchy() {
    let c = case(&common::manifest_dir().join("samples/openapi/webhooks-query-32.yaml"));
    let m = &c.manifest;
    let node = |id: &str| m.nodes.get(id).unwrap_or_else(|| panic!("{id}"));
    let (post, query) = (
        "openapi:webhook:/webhooks/stockChanged/post",
        "openapi:webhook:/webhooks/stockChanged/query",
    );
    // Webhooks > Inventory > Stock events > the two tagged webhooks; the untagged ones stay flat.
    let group = &node("group:webhooks").children;
    assert_eq!(group[0], "openapi:tag:inventory", "{group:?}");
    assert!(!group.iter().any(|c| c == post || c == query), "{group:?}");
    assert!(!group.contains(&"openapi:tag:beta".to_string()));
    assert_eq!(
        group.len(),
        4,
        "the tag and three untagged webhooks: {group:?}"
    );
    assert_eq!(
        node("openapi:tag:inventory").children,
        ["openapi:tag:stock-events"]
    );
    assert_eq!(node("openapi:tag:stock-events").children, [post, query]);
    let parent = |id: &str| node(id).primary_parent.clone().unwrap_or_default();
    assert_eq!(parent("openapi:tag:inventory"), "group:webhooks");
    assert_eq!(parent("openapi:tag:stock-events"), "openapi:tag:inventory");
    assert_eq!(parent(query), "openapi:tag:stock-events");
    assert!(
        !m.roots.contains(&"group:rest".to_string()),
        "{:?}",
        m.roots
    );

    // Mixed tags: a webhook-only tag nested under a REST tag moves alone; a webhook carrying two
    // webhook-only tags sits under each (primaryParent: the first); a tag that also holds a REST
    // operation stays in REST without the webhook; label tags never move.
    let op = |tags: Value| json!({"operationId": format!("op{tags}"), "tags": tags, "responses": {"200": {"description": "ok"}}});
    let doc = json!({
        "openapi": "3.2.0",
        "info": {"title": "t", "version": "1"},
        "tags": [
            {"name": "mixed"}, {"name": "hooks-a"}, {"name": "hooks-b"},
            {"name": "p"}, {"name": "child", "parent": "p"}, {"name": "beta", "kind": "badge"}
        ],
        "paths": {"/m": {"get": op(json!(["mixed"]))}, "/p": {"get": op(json!(["p"]))}},
        "webhooks": {
            "first": {"post": op(json!([]))},
            "both": {"post": op(json!(["hooks-a", "hooks-b"]))},
            "mixed": {"post": op(json!(["mixed"]))},
            "onlyB": {"post": op(json!(["hooks-b", "beta"]))},
            "nested": {"post": op(json!(["child"]))},
            "badged": {"post": op(json!(["beta"]))}
        }
    });
    let m = manifest_of(doc.clone(), nav::Layout::Merged);
    let node = |id: &str| m.nodes.get(id).unwrap_or_else(|| panic!("{id}"));
    let hook = |name: &str| format!("openapi:webhook:/webhooks/{name}/post");
    let tag = |name: &str| format!("openapi:tag:{name}");
    assert_eq!(
        node("group:webhooks").children,
        [
            hook("first"),
            tag("hooks-a"),
            tag("hooks-b"),
            hook("mixed"),
            tag("child"),
            hook("badged")
        ]
    );
    assert_eq!(node(&tag("hooks-a")).children, [hook("both")]);
    assert_eq!(
        node(&tag("hooks-b")).children,
        [hook("both"), hook("onlyB")]
    );
    assert_eq!(node(&tag("child")).children, [hook("nested")]);
    assert_eq!(node("group:rest").children, [tag("mixed"), tag("p")]);
    assert_eq!(
        node(&tag("mixed")).children,
        ["openapi:operation:/paths/~1m/get"]
    );
    assert_eq!(
        node(&tag("p")).children,
        ["openapi:operation:/paths/~1p/get"]
    );
    let parent = |id: &str| node(id).primary_parent.clone().unwrap_or_default();
    assert_eq!(parent(&hook("both")), tag("hooks-a"));
    assert_eq!(parent(&hook("onlyB")), tag("hooks-b"));
    assert_eq!(parent(&hook("mixed")), "group:webhooks");
    assert_eq!(parent(&tag("child")), "group:webhooks");
    // The export follows: the second placement of `both` is a ref.
    let page = node(&hook("both")).targets.docusaurus.as_ref();
    let page = page
        .map(|t| t.doc_id.as_str())
        .expect("the plugin's page of `both`");
    let sidebar = Value::Array(nav::docusaurus::sidebar(&m));
    let mut items = Vec::new();
    sidebar_items(&sidebar, &mut items, &[]);
    let placed: Vec<(&Value, &[String])> = items
        .iter()
        .filter(|(it, _)| it["id"] == page || it["link"]["id"] == page)
        .map(|(it, trail)| (&it["type"], trail.as_slice()))
        .collect();
    assert_eq!(placed.len(), 2, "{sidebar}");
    assert_eq!(placed[1].0, "ref", "{sidebar}");
    assert_eq!(placed[1].1.last(), Some(&tag("hooks-b")), "{sidebar}");
    // The split layout is as before: webhooks under their tags and in the group, primary there.
    let split = manifest_of(doc, nav::Layout::Split);
    assert!(split.nodes["group:webhooks"]
        .children
        .contains(&hook("both")));
    assert_eq!(
        split.nodes[&hook("both")].primary_parent.as_deref(),
        Some("group:webhooks")
    );
    assert_schema_valid_manifest(&m);
    assert_schema_valid_manifest(&split);
}

fn assert_schema_valid_manifest(m: &Manifest) {
    assert_schema_valid(&[Case {
        name: "inline".into(),
        openapi: Value::Null,
        asyncapi: Value::Null,
        manifest: m.clone(),
    }]);
}

#[test]
fn docusaurus_sidebar_nests_tag_categories_and_lists_label_pages() {
    let c = case(&common::manifest_dir().join("samples/openapi/webhooks-query-32.yaml"));
    let sidebar = Value::Array(nav::docusaurus::sidebar(&c.manifest));
    let mut items = Vec::new();
    sidebar_items(&sidebar, &mut items, &[]);
    let trail = |id: &str| {
        items
            .iter()
            .find(|(it, _)| it["customProps"]["navId"] == id)
            .map(|(it, trail)| (it["type"].clone(), it["link"]["id"].clone(), trail.clone()))
            .unwrap_or_else(|| panic!("{id} not in {sidebar}"))
    };
    // Webhooks > Inventory (no page: no operation carries it) > Stock events (its page).
    assert_eq!(
        trail("openapi:tag:inventory"),
        (
            json!("category"),
            Value::Null,
            vec!["group:webhooks".to_string()]
        )
    );
    let (_, link, path) = trail("openapi:tag:stock-events");
    assert_eq!(link, "openapi/stock-events");
    assert_eq!(path, ["group:webhooks", "openapi:tag:inventory"]);
    let (_, _, path) = trail("openapi:webhook:/webhooks/stockChanged/query");
    assert_eq!(
        path.last().map(String::as_str),
        Some("openapi:tag:stock-events")
    );
    // The `beta` page (kind: badge) in a category of its own, listing its entry as a ref.
    let (ty, link, _) = trail("openapi:tag:beta");
    assert_eq!((ty, link), (json!("category"), json!("openapi/beta")));
    let beta = items
        .iter()
        .find(|(it, _)| it["customProps"]["navId"] == "openapi:tag:beta")
        .map(|(it, _)| it["items"].clone());
    assert_eq!(
        beta,
        Some(json!([{"type": "ref", "id": "openapi/stock-snapshot-query",
            "label": "The subscriber's stock view, searched with a body"}]))
    );
}
