//! `hookbridge nav --export docusaurus` in a real Docusaurus build (issue 16, item 4): the example
//! site `examples/docusaurus` (pinned `@docusaurus/core` 3.10.2 and
//! `docusaurus-plugin-openapi-docs` 5.2.0, `npm ci --prefix examples/docusaurus`) is copied to a
//! temporary folder, the export and the plugin write its docs, Docusaurus builds it with
//! `onBrokenLinks: 'throw'` (so every sidebar id must be a page), and headless Chromium opens
//! every sidebar entry on the served build, checking each page's title: the samples' pages
//! hydrated (moving with the site's router), GitHub's 1,945 entries with scripts off (the
//! server-rendered page) and every 20th of them hydrated, since a hydrated GitHub page takes
//! about a second.

mod common;

use std::path::PathBuf;
use std::process::Command;

use serde_json::{json, Value};

fn example_dir() -> PathBuf {
    common::manifest_dir().join("examples").join("docusaurus")
}

fn docusaurus_bin() -> PathBuf {
    let bin = example_dir()
        .join("node_modules")
        .join("@docusaurus")
        .join("core")
        .join("bin")
        .join("docusaurus.mjs");
    assert!(
        bin.exists(),
        "{} is missing: run `npm ci --prefix examples/docusaurus`",
        bin.display()
    );
    bin
}

fn run(cmd: &mut Command, what: &str) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    if !out.status.success() {
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let tail: Vec<&str> = text.lines().rev().take(60).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        panic!("{what} failed ({}):\n{}", out.status, tail.join("\n"));
    }
}

/// A built site: its folder, the manifest and the sidebar the export wrote.
struct Site {
    dir: tempfile::TempDir,
    manifest: Value,
    sidebar: Value,
}

/// Copies the example site, runs `hookbridge nav --api ... --export docusaurus docs`, the
/// plugin's `gen-api-docs` and `docusaurus build`.
fn build_site(apis: &[(&str, PathBuf)]) -> Site {
    let bin = docusaurus_bin();
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path();
    for f in [
        "docusaurus.config.js",
        "sidebars.js",
        "babel.config.js",
        "package.json",
    ] {
        std::fs::copy(example_dir().join(f), site.join(f)).expect("copy the site");
    }
    std::fs::create_dir_all(site.join("src").join("pages")).expect("mkdir");
    std::fs::copy(
        example_dir().join("src").join("pages").join("index.md"),
        site.join("src").join("pages").join("index.md"),
    )
    .expect("copy index");
    std::os::unix::fs::symlink(
        example_dir().join("node_modules"),
        site.join("node_modules"),
    )
    .expect("link node_modules");

    let mut nav = Command::new(env!("CARGO_BIN_EXE_hookbridge"));
    nav.arg("nav");
    for (name, path) in apis {
        nav.arg("--api").arg(format!("{name}={}", path.display()));
    }
    nav.args(["-o", "nav-manifest.json", "--export", "docusaurus", "docs"])
        .current_dir(site);
    run(&mut nav, "hookbridge nav");
    let node = |args: &[&str], what: &str| {
        let mut c = Command::new("node");
        // node_modules is shared through a link: webpack's persistent cache there would mix
        // up sites (a page rendered with another build's metadata).
        c.env("DOCUSAURUS_NO_PERSISTENT_CACHE", "1")
            .arg("--max-old-space-size=6144")
            .arg(&bin)
            .args(args)
            .current_dir(site);
        run(&mut c, what);
    };
    node(&["gen-api-docs", "all"], "docusaurus gen-api-docs");
    node(&["build"], "docusaurus build (onBrokenLinks: 'throw')");

    let manifest: Value =
        serde_json::from_slice(&std::fs::read(site.join("nav-manifest.json")).expect("manifest"))
            .expect("manifest JSON");
    let sidebar = common::node_module_json(&site.join("docs").join("sidebar.js"));
    Site {
        dir,
        manifest,
        sidebar,
    }
}

/// The value at `pointer` in `doc`, following local `$ref`s on the way.
fn at<'a>(doc: &'a Value, pointer: &str) -> Option<&'a Value> {
    let follow = |mut v: &'a Value| {
        for _ in 0..16 {
            match v.get("$ref").and_then(Value::as_str) {
                Some(r) => v = doc.pointer(r.strip_prefix('#')?)?,
                None => return Some(v),
            }
        }
        Some(v)
    };
    let mut v = doc;
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        v = follow(v)?;
        v = match v {
            Value::Array(a) => a.get(token.parse::<usize>().ok()?)?,
            _ => v.get(&token)?,
        };
    }
    follow(v)
}

/// The plugin writes a title into front matter with each `"` not escaped by a backslash made
/// `'` (`title.replace(/((?:^|[^\\])(?:\\{2})*)"/g, "$1'")`; GitHub's summaries quote).
fn plugin_quotes(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut backslashes = 0;
    for c in title.chars() {
        out.push(if c == '"' && backslashes % 2 == 0 {
            '\''
        } else {
            c
        });
        backslashes = if c == '\\' { backslashes + 1 } else { 0 };
    }
    out
}

fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The title the page of `node` shows: the plugin's (summary, else operationId; a tag's
/// display name; a schema's title, else its key) for OpenAPI pages, the entry's label for the
/// AsyncAPI pages hookbridge writes.
fn expected_title(node: &Value, docs: &std::collections::HashMap<String, Value>) -> String {
    let label = node["label"].as_str().unwrap_or_default().to_string();
    let source = node["source"].as_str().unwrap_or_default();
    let Some(doc) = docs.get(source) else {
        return label;
    };
    let pointer = node["pointer"].as_str().unwrap_or_default();
    let kind = node["kind"].as_str().unwrap_or_default();
    let value = at(doc, pointer);
    let field = |v: Option<&Value>, k: &str| {
        v.and_then(|v| v.get(k))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    match kind {
        "operation" | "webhook" => field(value, "summary")
            .or_else(|| field(value, "operationId"))
            .map(|t| plugin_quotes(&t))
            .unwrap_or(label),
        "tag" => field(value, "x-displayName")
            .or_else(|| field(value, "name"))
            .unwrap_or(label),
        "schema" => field(value, "title")
            .map(|t| plugin_quotes(&t))
            .unwrap_or_else(|| {
                node["id"]
                    .as_str()
                    .and_then(|id| id.rsplit("schema:").next())
                    .unwrap_or_default()
                    .to_string()
            }),
        _ => label,
    }
}

/// Every sidebar entry as (path with anchor, expected title), in sidebar order.
fn visits(site: &Site, docs: &std::collections::HashMap<String, Value>) -> Vec<(String, String)> {
    // (item, its navId — a merged callback's OpenAPI-view link has its category's —, path)
    fn walk(items: &Value, parent: &str, out: &mut Vec<(Value, String, String)>) {
        for it in items.as_array().into_iter().flatten() {
            let target = match it["type"].as_str() {
                Some("doc") => it["id"].as_str().map(|d| format!("/{d}")),
                Some("link") => it["href"].as_str().map(str::to_string),
                Some("category") => it["link"]["id"].as_str().map(|d| format!("/{d}")),
                _ => None,
            };
            let nav_id = it["customProps"]["navId"].as_str().unwrap_or(parent);
            if let Some(t) = target {
                out.push((it.clone(), nav_id.to_string(), t));
            }
            walk(&it["items"], nav_id, out);
        }
    }
    let mut items = Vec::new();
    walk(&site.sidebar, "", &mut items);
    let nodes = &site.manifest["nodes"];
    items
        .into_iter()
        .map(|(it, nav_id, path)| {
            let nav_id = nav_id.as_str();
            let node = &nodes[nav_id];
            // A callback's OpenAPI view is its registering operation's page (#callbacks).
            let title = if it["customProps"]["view"] == "openapi" || node["kind"] == "callback" {
                let op = node["callback"]["registeredBy"]
                    .as_str()
                    .unwrap_or_default();
                expected_title(&nodes[op], docs)
            } else {
                expected_title(node, docs)
            };
            (path, title)
        })
        .collect()
}

/// How the entries are opened.
#[derive(Clone, Copy)]
enum Visit {
    /// Every entry with the site's scripts: the first page loaded, then the site's router.
    Hydrated,
    /// Every entry with scripts off (the server-rendered page, a fast load each), and every
    /// `n`th entry hydrated: a large site's pages take about a second each to hydrate.
    StaticAndEvery(usize),
}

/// Serves the build and visits the sidebar entries; returns how many and the problems.
fn follow_sidebar(site: &Site, apis: &[(&str, PathBuf)], how: Visit) -> (usize, Vec<String>) {
    let docs = apis
        .iter()
        .map(|(name, path)| {
            let doc = hookbridge::document::load::load_path(path, &Default::default())
                .expect("loads")
                .value;
            (name.to_string(), doc)
        })
        .collect();
    let visits = visits(site, &docs);
    assert!(!visits.is_empty(), "empty sidebar");
    let mut problems = Vec::new();
    let runs: Vec<(bool, Vec<&(String, String)>)> = match how {
        Visit::Hydrated => vec![(true, visits.iter().collect())],
        Visit::StaticAndEvery(n) => vec![
            (false, visits.iter().collect()),
            (true, visits.iter().step_by(n).collect()),
        ],
    };
    let mut opened = 0;
    for (scripts, list) in runs {
        opened += list.len();
        problems.extend(open_pages(site, &list, scripts));
    }
    (opened, problems)
}

/// Opens each (path, expected title) in headless Chromium; returns the problems.
fn open_pages(site: &Site, visits: &[&(String, String)], scripts: bool) -> Vec<String> {
    let steps: Vec<Value> = visits.iter().map(|(p, _)| json!({"goto": p})).collect();
    let build = site.dir.path().join("build");
    let report = common::drive_page(&json!({"serve": build, "scripts": scripts, "steps": steps}));
    let results = report["results"].as_array().cloned().unwrap_or_default();
    assert_eq!(results.len(), visits.len(), "one result per page");
    let mode = if scripts { "hydrated" } else { "scripts off" };
    let mut problems = Vec::new();
    for ((path, title), r) in visits.iter().zip(&results) {
        let page = &r["page"];
        let h1 = words(page["h1"].as_str().unwrap_or_default());
        if page["notFound"] == true || h1 != words(title) {
            problems.push(format!("{path} ({mode}): h1 {h1:?}, expected {title:?}"));
        }
        if page["anchor"] == false {
            problems.push(format!("{path} ({mode}): anchor missing"));
        }
    }
    problems
}

fn assert_site(apis: &[(&str, PathBuf)], how: Visit) -> Site {
    let site = build_site(apis);
    let (visited, problems) = follow_sidebar(&site, apis, how);
    eprintln!("{visited} pages opened");
    assert!(
        problems.is_empty(),
        "{} problems in {visited} pages opened:\n{}",
        problems.len(),
        problems.join("\n")
    );
    site
}

/// The `navId`s of the categories the sidebar item with `nav_id` sits in, outermost first.
fn sidebar_trail(items: &Value, nav_id: &str) -> Option<Vec<String>> {
    for it in items.as_array().into_iter().flatten() {
        let id = it["customProps"]["navId"].as_str();
        if id == Some(nav_id) {
            return Some(Vec::new());
        }
        if let Some(mut trail) = sidebar_trail(&it["items"], nav_id) {
            let label = it["label"].as_str().unwrap_or_default();
            trail.insert(0, id.unwrap_or(label).to_string());
            return Some(trail);
        }
    }
    None
}

fn sample(name: &str) -> PathBuf {
    common::manifest_dir()
        .join("samples")
        .join("openapi")
        .join(name)
}

#[test]
fn docusaurus_site_of_the_samples_builds_and_every_sidebar_entry_renders() {
    // The plugin names its info page after info.title: "Report jobs" gives `report-jobs`, the id
    // of the report-jobs tag page, and Docusaurus refuses docs sharing an id (hookbridge warns,
    // `slug-collision`). The site gets a retitled copy.
    let copy = tempfile::tempdir().expect("tempdir");
    let reports = copy.path().join("callbacks-querystring-32.yaml");
    let text = std::fs::read_to_string(sample("callbacks-querystring-32.yaml")).expect("sample");
    let retitled = text.replace("\n  title: Report jobs\n", "\n  title: Report jobs API\n");
    assert_ne!(text, retitled, "the sample's title moved");
    std::fs::write(&reports, retitled).expect("copy");
    let site = assert_site(
        &[
            ("builds", sample("webhooks-multi.yaml")),
            ("payments", sample("callbacks-embedded.yaml")),
            ("jobs", sample("nested-callbacks.yaml")),
            ("issues", sample("paths-and-webhooks.json")),
            ("chat", sample("x-webhooks-30.yaml")),
            // OpenAPI 3.2: a tag hierarchy (Webhooks > Inventory > Stock events), a `kind: badge`
            // tag page, and methods the plugin makes no page of (`query` under `paths`,
            // `additionalOperations`).
            ("stock", sample("webhooks-query-32.yaml")),
            ("reports", reports),
            // Not vendor-shapes-30.yaml: the plugin itself fails on `x-webhooks` entries in the
            // shape of a callback ("Cannot create property 'summary' on string").
        ],
        Visit::Hydrated,
    );
    // OpenAPI 3.2 `parent`: the tag categories nest; the `beta` page (`kind: badge`) is listed.
    let trail = |id: &str| sidebar_trail(&site.sidebar, id);
    assert_eq!(
        trail("stock:tag:stock-events").as_deref(),
        Some(&["api:stock", "stock:group:webhooks", "stock:tag:inventory"].map(String::from)[..])
    );
    assert_eq!(
        trail("reports:tag:report-jobs").as_deref(),
        Some(&["api:reports", "reports:group:rest", "reports:tag:reports"].map(String::from)[..])
    );
    assert_eq!(
        trail("stock:tag:beta").as_deref(),
        Some(&["Labels".to_string()][..])
    );
}

#[test]
fn corpus_docusaurus_site_of_github_builds_and_every_sidebar_entry_renders() {
    let gh = common::npm_corpus_dir().join("octokit-openapi-webhooks");
    let _site = assert_site(
        &[
            ("github", gh.join("api.github.com.json")),
            ("ghec", gh.join("ghec.json")),
        ],
        Visit::StaticAndEvery(20),
    );
}
