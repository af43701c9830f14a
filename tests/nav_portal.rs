//! `hookbridge nav`, issue 16: the merged layout (one entry per event, both views reachable),
//! portals of many APIs (`--portal`, `--api`), and the HTML page driven in headless Chromium
//! with real clicks (`tests/js/nav-page-cdp.mjs`, DevTools protocol over a pipe).

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use hookbridge::nav::{self, portal::PortalApi, Kind, Layout, Manifest, NavOptions};
use serde_json::{json, Value};

fn sample(name: &str) -> PathBuf {
    common::manifest_dir()
        .join("samples")
        .join("openapi")
        .join(name)
}

/// The OpenAPI 3.0/3.1 samples (3.2 ones are read by another part of the tool).
fn samples() -> Vec<PathBuf> {
    let mut files = common::openapi_samples();
    files.retain(|p| {
        common::openapi_version(p).is_some_and(|v| v.starts_with("3.0") || v.starts_with("3.1"))
    });
    files
}

fn build(path: &Path, layout: Layout) -> Manifest {
    let options = NavOptions {
        layout,
        ..NavOptions::default()
    };
    nav::build_from_paths(path, None, &options)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .manifest
}

/// How many times each id is placed under the roots (a node listed twice counts twice).
fn placements(m: &Manifest) -> HashMap<String, usize> {
    let mut count = HashMap::new();
    let mut stack: Vec<&String> = m.roots.iter().collect();
    while let Some(id) = stack.pop() {
        let seen = count.entry(id.clone()).or_insert(0);
        *seen += 1;
        if *seen == 1 {
            if let Some(n) = m.nodes.get(id) {
                stack.extend(n.children.iter());
            }
        }
    }
    count
}

/// Merged-layout problems: events not placed exactly once, views missing or one-sided, AsyncAPI
/// views placed as entries of their own.
fn merge_problems(name: &str, m: &Manifest) -> Vec<String> {
    let placed = placements(m);
    let mut out = Vec::new();
    for n in m.nodes.values() {
        let times = placed.get(&n.id).copied().unwrap_or(0);
        match n.kind {
            Kind::Webhook | Kind::Callback => {
                if times != 1 {
                    out.push(format!("{name}: {} placed {times} times", n.id));
                }
                let eq = n.links.iter().find(|l| l.rel == "equivalent");
                let Some(eq) = eq else { continue };
                let views: Vec<(&str, &str)> = n
                    .views
                    .iter()
                    .map(|v| (v.format.as_str(), v.node.as_str()))
                    .collect();
                if views != [("openapi", n.id.as_str()), ("asyncapi", eq.target.as_str())] {
                    out.push(format!("{name}: {} has views {views:?}", n.id));
                }
                match m.nodes.get(&eq.target) {
                    Some(a) if a.views == n.views => {
                        if placed.contains_key(&a.id) {
                            out.push(format!("{name}: AsyncAPI view {} is also placed", a.id));
                        }
                        if a.primary_parent.as_deref() != Some(n.id.as_str()) {
                            out.push(format!("{name}: {} primaryParent is not its entry", a.id));
                        }
                    }
                    _ => out.push(format!("{name}: {} views not mirrored", eq.target)),
                }
            }
            Kind::AsyncOperation if times > 1 => {
                out.push(format!("{name}: {} placed {times} times", n.id));
            }
            _ => {}
        }
    }
    out
}

/// Every id named anywhere (children, links, parents, views, callbacks, roots) is a node.
fn dangling(m: &Manifest) -> Vec<String> {
    let mut named: Vec<&str> = m.roots.iter().map(String::as_str).collect();
    for n in m.nodes.values() {
        named.extend(n.children.iter().map(String::as_str));
        named.extend(n.links.iter().map(|l| l.target.as_str()));
        named.extend(n.primary_parent.as_deref());
        named.extend(n.views.iter().map(|v| v.node.as_str()));
        named.extend(n.callback.iter().map(|c| c.registered_by.as_str()));
    }
    named
        .into_iter()
        .filter(|id| !m.nodes.contains_key(*id))
        .map(str::to_string)
        .collect()
}

fn schema_errors(m: &Manifest) -> Vec<String> {
    let validator = common::nav_manifest_validator();
    let instance = serde_json::to_value(m).expect("serializes");
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .take(10)
        .map(|e| format!("{} {e}", e.instance_path()))
        .collect();
    errors
}

#[test]
fn merged_layout_places_each_event_once_with_both_views() {
    let files = samples();
    assert!(files.len() >= 10, "samples: {}", files.len());
    let mut problems = Vec::new();
    let mut merged_events = 0;
    for f in &files {
        let m = build(f, Layout::Merged);
        let name = f.display().to_string();
        problems.extend(merge_problems(&name, &m));
        problems.extend(
            dangling(&m)
                .into_iter()
                .map(|d| format!("{name}: dangling {d}")),
        );
        problems.extend(
            schema_errors(&m)
                .into_iter()
                .map(|e| format!("{name}: {e}")),
        );
        merged_events += m.nodes.values().filter(|n| n.views.len() == 2).count() / 2;
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(merged_events >= 30, "{merged_events} merged events");

    // The example: three webhooks, once each, no Events group left.
    let m = build(&sample("webhooks-multi.yaml"), Layout::Merged);
    assert_eq!(m.roots, ["group:rest", "group:webhooks", "group:schemas"]);
    let webhooks = &m.nodes["group:webhooks"].children;
    assert_eq!(webhooks.len(), 3, "{webhooks:?}");
    // A channel with no OpenAPI counterpart keeps its own entry (vendor-shaped webhooks).
    let m = build(&sample("vendor-shapes-30.yaml"), Layout::Merged);
    let events = m.nodes.get("group:events").expect("Events group kept");
    assert!(!events.children.is_empty());
    for ch in &events.children {
        let c = &m.nodes[ch];
        assert!(
            c.children.iter().all(|op| m.nodes[op].views.is_empty()),
            "{ch} lists a merged operation"
        );
    }
}

#[test]
fn split_layout_keeps_the_asyncapi_tree_beside() {
    let m = build(&sample("webhooks-multi.yaml"), Layout::Split);
    assert!(m.roots.iter().any(|r| r == "group:events"));
    let placed = placements(&m);
    assert!(m
        .nodes
        .values()
        .filter(|n| n.kind == Kind::AsyncOperation)
        .all(|n| placed.contains_key(&n.id) && n.views.is_empty()));
    // Tagged webhooks sit under their tag and under Webhooks, as in manifest 0.1.
    let m = build(&sample("paths-and-webhooks.json"), Layout::Split);
    let placed = placements(&m);
    assert!(m
        .nodes
        .values()
        .any(|n| n.kind == Kind::Webhook && placed.get(&n.id) == Some(&2)));
}

fn api(name: &str, openapi: PathBuf, group: Option<&str>) -> PortalApi {
    PortalApi {
        name: name.into(),
        openapi,
        asyncapi: None,
        group: group.map(str::to_string),
    }
}

/// Problems of a portal manifest: ids clash (fewer nodes than the APIs built alone), dangling
/// ids, schema errors, merge problems, shared schema names not kept per API.
fn portal_problems(apis: &[PortalApi], m: &Manifest) -> Vec<String> {
    let mut out = Vec::new();
    let mut expected = apis.len();
    let mut groups: Vec<&str> = apis.iter().filter_map(|a| a.group.as_deref()).collect();
    groups.sort_unstable();
    groups.dedup();
    expected += groups.len();
    let mut schema_names: HashMap<String, Vec<String>> = HashMap::new();
    for a in apis {
        let alone = nav::build_from_paths(
            &a.openapi,
            None,
            &NavOptions {
                openapi_id: a.name.clone(),
                asyncapi_id: format!("{}-asyncapi", a.name),
                ..NavOptions::default()
            },
        )
        .expect("builds")
        .manifest;
        expected += alone.nodes.len();
        for id in alone.nodes.keys() {
            if let Some(s) = id.strip_prefix("schema:") {
                schema_names
                    .entry(s.to_string())
                    .or_default()
                    .push(a.name.clone());
            }
        }
    }
    if m.nodes.len() != expected {
        out.push(format!(
            "{} nodes, the APIs alone have {expected}: ids clash",
            m.nodes.len()
        ));
    }
    for (schema, owners) in &schema_names {
        for owner in owners {
            let id = format!("{owner}:schema:{schema}");
            if !m.nodes.contains_key(&id) {
                out.push(format!("no {id}"));
            }
        }
    }
    out.extend(dangling(m).into_iter().map(|d| format!("dangling {d}")));
    out.extend(schema_errors(m));
    out.extend(merge_problems("portal", m));
    let placed = placements(m);
    for a in apis {
        let id = format!("api:{}", a.name);
        if placed.get(&id) != Some(&1) {
            out.push(format!("{id} not placed once"));
        }
    }
    out
}

#[test]
fn portal_file_and_api_arguments_build_one_tree() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Paths in a portal file are relative to it.
    std::fs::copy(
        sample("webhooks-multi.yaml"),
        dir.path().join("builds.yaml"),
    )
    .expect("copy");
    let portal = dir.path().join("portal.yaml");
    let callbacks = sample("callbacks-embedded.yaml");
    std::fs::write(
        &portal,
        format!(
            "# Redocly-style\napis:\n  builds@v1:\n    root: builds.yaml\n    group: CI\n  payments:\n    openapi: {}\n    group: Money\n  hooks:\n    openapi: {}\n    group: CI\nrules: {{}}\n",
            callbacks.display(),
            sample("webhooks-only.yaml").display()
        ),
    )
    .expect("write");
    let apis = nav::portal::read_portal(&portal, &Default::default()).expect("portal reads");
    assert_eq!(apis[0].openapi, dir.path().join("builds.yaml"));
    assert_eq!(apis[0].name, "builds@v1");
    let m = nav::portal::build_portal(&apis, &NavOptions::default())
        .expect("builds")
        .manifest;
    let problems = portal_problems(&apis, &m);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(m.roots, ["apigroup:CI", "apigroup:Money"]);
    assert_eq!(
        m.nodes["apigroup:CI"].children,
        ["api:builds@v1", "api:hooks"]
    );
    assert_eq!(m.sources.len(), 6);
    assert!(m
        .nodes
        .contains_key("builds@v1:webhook:/webhooks/buildStatus/post"));
    assert!(m.nodes.contains_key("builds@v1:schema:BuildEvent"));
    let scalar_docs = &m.renderers["scalar"]["documentNames"];
    assert_eq!(scalar_docs.as_object().map(|o| o.len()), Some(6));

    // The same portal from the command line, with --api.
    let bin = env!("CARGO_BIN_EXE_hookbridge");
    let run = |args: &[String]| -> Value {
        common::json_output(Command::new(bin).arg("nav").args(args), "hookbridge nav")
    };
    let apis2 = [
        format!("one={}", sample("webhooks-multi.yaml").display()),
        format!("two={}", callbacks.display()),
    ];
    let by_args = run(&[
        "--api".into(),
        apis2[0].clone(),
        "--api".into(),
        apis2[1].clone(),
    ]);
    let file2 = dir.path().join("two.yaml");
    std::fs::write(
        &file2,
        format!(
            "apis:\n  one:\n    openapi: {}\n  two:\n    openapi: {}\n",
            sample("webhooks-multi.yaml").display(),
            callbacks.display()
        ),
    )
    .expect("write");
    let by_file = run(&["--portal".into(), file2.display().to_string()]);
    assert_eq!(by_args, by_file);
    assert_eq!(by_args["roots"], json!(["api:one", "api:two"]));

    // Malformed portals are refused with `invalid-portal`.
    for (text, what) in [
        ("apis:\n  a b:\n    openapi: x.yaml\n", "bad name"),
        ("apis:\n  a:\n    asyncapi: x.yaml\n", "no openapi"),
        ("title: x\n", "no apis"),
        (
            "apis:\n  a:\n    openapi: x.yaml\n  a-asyncapi:\n    openapi: y.yaml\n",
            "clash",
        ),
    ] {
        std::fs::write(&portal, text).expect("write");
        let err = nav::portal::read_portal(&portal, &Default::default())
            .err()
            .unwrap_or_else(|| panic!("{what}: accepted"));
        assert!(err.to_string().contains("invalid-portal"), "{what}: {err}");
    }
    assert!(nav::portal::parse_api_arg("noequals").is_err());
    assert!(nav::portal::parse_api_arg("a=").is_err());
    let parsed = nav::portal::parse_api_arg("a=x.yaml,y.yaml").expect("parses");
    assert_eq!(parsed.asyncapi.as_deref(), Some(Path::new("y.yaml")));
}

/// The samples and GitHub's two webhook descriptions in one portal.
fn github_portal() -> Vec<PortalApi> {
    let gh = common::npm_corpus_dir().join("octokit-openapi-webhooks");
    let mut apis: Vec<PortalApi> = samples()
        .iter()
        .map(|p| {
            let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or("x");
            let name = if stem == "openapi" {
                "multi-file"
            } else {
                stem
            };
            api(name, p.clone(), Some("Samples"))
        })
        .collect();
    apis.push(api(
        "github",
        gh.join("api.github.com.json"),
        Some("GitHub"),
    ));
    apis.push(api("ghec", gh.join("ghec.json"), Some("GitHub")));
    apis
}

#[test]
fn corpus_portal_of_the_samples_and_github() {
    let apis = github_portal();
    let m = nav::portal::build_portal(&apis, &NavOptions::default())
        .expect("builds")
        .manifest;
    let problems = portal_problems(&apis, &m);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let gh_webhooks = m
        .nodes
        .values()
        .filter(|n| {
            n.kind == Kind::Webhook && matches!(n.source.as_deref(), Some("github" | "ghec"))
        })
        .count();
    assert_eq!(gh_webhooks, 543, "GitHub's two descriptions");
    // The same schema name in both GitHub descriptions is two entries, one per API.
    for api in ["github", "ghec"] {
        let id = format!("{api}:schema:webhook-push");
        assert!(m.nodes.contains_key(&id), "{id}");
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("portal.html");
    std::fs::write(&page, nav::html::render(&m)).expect("page");
    let size = std::fs::metadata(&page).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "portal: {} APIs, {} nodes, {gh_webhooks} GitHub webhooks, page {size} bytes",
        apis.len(),
        m.nodes.len()
    );
    let results = drive(
        &page,
        &[
            json!({"click": "github:webhook:/webhooks/push/post"}),
            json!({"view": "asyncapi"}),
            json!({"click": "ghec:webhook:/webhooks/push/post"}),
            json!({"filter": "workflow-run"}),
        ],
    );
    let push = &results["results"][0]["pane"];
    assert_eq!(push["title"], "push");
    let doc: Value =
        serde_json::from_slice(&std::fs::read(&apis[apis.len() - 2].openapi).expect("github doc"))
            .expect("JSON");
    let props = component_properties(&doc, "webhook-push");
    assert_eq!(push["fields"], json!(props), "{push}");
    assert_eq!(results["results"][1]["pane"]["view"], "asyncapi");
    assert_eq!(
        results["results"][2]["pane"]["selected"],
        "ghec:webhook:/webhooks/push/post"
    );
    let visible = results["results"][3]["visible"]
        .as_array()
        .map_or(0, Vec::len);
    assert!(visible > 10, "filter shows {visible}");
    assert_eq!(results["network"], json!([]));
}

fn component_properties(doc: &Value, name: &str) -> Vec<String> {
    doc.pointer(&format!("/components/schemas/{name}/properties"))
        .and_then(Value::as_object)
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// The page in headless Chromium.

/// Runs `tests/js/nav-page-cdp.mjs` on `page` with `steps`; its JSON report.
fn drive(page: &Path, steps: &[Value]) -> Value {
    common::drive_page(&json!({"page": page, "steps": steps}))
}

#[test]
fn html_page_clicks_show_summary_address_payload_tree_and_example() {
    let apis = vec![
        api("builds", sample("webhooks-multi.yaml"), None),
        api("payments", sample("callbacks-embedded.yaml"), None),
    ];
    let m = nav::portal::build_portal(&apis, &NavOptions::default())
        .expect("builds")
        .manifest;
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("portal.html");
    let html = nav::html::render(&m);
    std::fs::write(&page, &html).expect("page");
    for external in ["src=\"http", "href=\"http", "<link ", "@import", "url(http"] {
        assert!(!html.contains(external), "the page loads {external}");
    }

    let webhook = "builds:webhook:/webhooks/buildStatus/post";
    let callback = m
        .nodes
        .values()
        .find(|n| n.kind == Kind::Callback && n.source.as_deref() == Some("payments"))
        .expect("a callback");
    let operation = "payments:operation:/paths/~1payments/post";
    let steps = [
        json!({"click": webhook}),
        json!({"view": "asyncapi"}),
        json!({"view": "openapi"}),
        json!({"clickRef": "Build"}),
        json!({"click": callback.id}),
        json!({"click": operation}),
        json!({"filter": "deleted"}),
        json!({"filter": "zzz-nothing"}),
    ];
    let report = drive(&page, &steps);
    let r = |i: usize| &report["results"][i];
    assert!((0..6).all(|i| r(i)["clicked"] == true), "{report}");

    let doc: Value = load_value(&sample("webhooks-multi.yaml"));
    let wh = &r(0)["pane"];
    assert_eq!(wh["selected"], webhook);
    assert_eq!(
        wh["title"],
        doc["webhooks"]["buildStatus"]["post"]["summary"]
    );
    assert_eq!(wh["views"], json!(["OpenAPI", "AsyncAPI"]));
    assert_eq!(wh["view"], "openapi");
    assert!(
        wh["address"]
            .as_str()
            .is_some_and(|a| a.contains("POST") && a.contains("buildStatus")),
        "{wh}"
    );
    // The payload's own fields, from the `$ref`'d component, and the document's example.
    let fields = component_properties(&doc, "BuildEvent");
    assert_eq!(wh["fields"], json!(fields), "{wh}");
    assert_eq!(wh["refs"][0], "BuildEvent");
    let media =
        &doc["webhooks"]["buildStatus"]["post"]["requestBody"]["content"]["application/json"];
    let example: Value =
        serde_json::from_str(wh["example"].as_str().expect("example")).expect("JSON");
    let documented = match media.get("example") {
        Some(e) => e.clone(),
        None => media["examples"]
            .as_object()
            .and_then(|e| e.values().next())
            .map_or(Value::Null, |e| e["value"].clone()),
    };
    assert_eq!(example, documented, "the document's example");

    let asy = &r(1)["pane"];
    assert_eq!(asy["view"], "asyncapi");
    assert_eq!(asy["selected"], webhook, "same entry, other view");
    assert!(
        asy["headings"][0]
            .as_str()
            .is_some_and(|h| h.contains("message payload")),
        "{asy}"
    );
    assert_eq!(r(2)["pane"]["view"], "openapi");

    let schema = &r(3)["pane"];
    assert_eq!(schema["selected"], "builds:schema:Build");
    assert_eq!(schema["kind"], "schema");
    assert_eq!(schema["fields"], json!(component_properties(&doc, "Build")));
    assert!(schema["example"]
        .as_str()
        .is_some_and(|e| e.contains("\"id\"")));

    let cb = &r(4)["pane"];
    assert_eq!(cb["selected"], callback.id);
    let expr = &callback.callback.as_ref().expect("callback").expression;
    assert!(
        cb["address"]
            .as_str()
            .is_some_and(|a| a.contains(expr.as_str())),
        "{cb}"
    );
    assert_eq!(cb["views"], json!(["OpenAPI", "AsyncAPI"]));
    assert!(
        cb["properties"].as_array().is_some_and(|p| !p.is_empty()),
        "{cb}"
    );

    let op = &r(5)["pane"];
    assert_eq!(op["selected"], operation);
    assert!(
        op["address"]
            .as_str()
            .is_some_and(|a| a.contains("/payments")),
        "{op}"
    );
    assert_eq!(op["views"], json!([]));

    let visible: Vec<&str> = r(6)["visible"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        visible.contains(&"builds:webhook:/webhooks/buildStatus/delete"),
        "{visible:?}"
    );
    assert!(!visible.contains(&webhook), "{visible:?}");
    assert_eq!(r(6)["count"], "1 match");
    assert_eq!(r(7)["visible"], json!([]));
    assert_eq!(report["network"], json!([]));
}

fn load_value(path: &Path) -> Value {
    hookbridge::document::load::load_path(path, &Default::default())
        .expect("loads")
        .value
}

/// The ids of the tree entries `report` found `id` in (outermost first), and its labels.
fn inspected(report: &Value, i: usize) -> (Vec<&str>, &Value) {
    let found = &report["results"][i]["found"];
    let ancestors = found["ancestors"]
        .as_array()
        .unwrap_or_else(|| panic!("entry {i} not in the tree: {report}"))
        .iter()
        .filter_map(Value::as_str)
        .collect();
    (ancestors, &found["labels"])
}

#[test]
fn html_page_nests_openapi_32_tags_and_shows_label_badges() {
    // A portal of both 3.2 samples, merged layout: the REST tags of the reports API nest three
    // deep (`parent`); the inventory API's webhook-only tags nest inside Webhooks; its `beta` tag
    // (`kind: badge`) is a badge on its entry.
    let apis = vec![
        api("reports", sample("callbacks-querystring-32.yaml"), None),
        api("stock", sample("webhooks-query-32.yaml"), None),
    ];
    let m = nav::portal::build_portal(&apis, &NavOptions::default())
        .expect("builds")
        .manifest;
    // The inventory API alone in the split layout, where its webhooks also sit under their
    // tags in the REST group: inventory > stock events.
    let split = build(&sample("webhooks-query-32.yaml"), Layout::Split);
    let dir = tempfile::tempdir().expect("tempdir");
    let (page, split_page) = (dir.path().join("p.html"), dir.path().join("s.html"));
    std::fs::write(&page, nav::html::render(&m)).expect("page");
    std::fs::write(&split_page, nav::html::render(&split)).expect("page");

    let query = "webhook:/webhooks/stockChanged/query";
    let report = drive(
        &page,
        &[
            json!({"inspect": "reports:tag:report-callbacks"}),
            json!({"inspect": "reports:operation:/paths/~1reports/post"}),
            json!({"inspect": format!("stock:{query}")}),
            json!({"inspect": "stock:webhook:/webhooks/stockChanged/post"}),
        ],
    );
    let (tags, _) = inspected(&report, 0);
    assert_eq!(
        tags,
        [
            "api:reports",
            "reports:group:rest",
            "reports:tag:reports",
            "reports:tag:report-jobs"
        ],
        "{report}"
    );
    let (op, labels) = inspected(&report, 1);
    assert_eq!(op.last(), Some(&"reports:tag:report-jobs"));
    assert_eq!(labels, &json!([]));
    let (hook, labels) = inspected(&report, 2);
    assert_eq!(
        hook,
        [
            "api:stock",
            "stock:group:webhooks",
            "stock:tag:inventory",
            "stock:tag:stock-events"
        ],
        "{report}"
    );
    assert_eq!(
        labels,
        &json!([{"text": "beta", "kind": "badge", "shown": true}]),
        "{report}"
    );
    assert_eq!(inspected(&report, 3).1, &json!([]));

    let report = drive(
        &split_page,
        &[
            json!({"inspect": format!("openapi:{query}")}),
            json!({"click": format!("openapi:{query}")}),
        ],
    );
    let (hook, labels) = inspected(&report, 0);
    assert_eq!(
        hook[..3],
        [
            "group:rest",
            "openapi:tag:inventory",
            "openapi:tag:stock-events"
        ],
        "{report}"
    );
    assert_eq!(labels[0]["text"], "beta");
    assert_eq!(report["results"][1]["clicked"], true, "{report}");
    assert!(report["network"].as_array().is_some_and(Vec::is_empty));
}
