//! `--export docusaurus DIR`: `sidebar.js` for a Docusaurus site whose OpenAPI pages come from
//! docusaurus-openapi-docs, plus a Markdown page for every AsyncAPI entry (no Docusaurus
//! AsyncAPI plugin exists). Every sidebar item carries its manifest id in `customProps.navId`.
//!
//! Mapping: group -> category; tag -> category linked to its tag page (an OpenAPI 3.2 nested tag
//! -> a category inside its parent's, as the plugin's `groupPathsBy: "tagParent"`); an operation with
//! callbacks -> category linked to its page, with one link per callback to the page's
//! `#callbacks` heading; webhook -> doc (`api-method event`); channel -> operation -> message;
//! a node placed a second time -> `ref` (it does not take over the breadcrumbs).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use super::openapi_walk::tag_id;
use super::{Kind, Manifest, Node};
use crate::diagnostics::codes;
use crate::{Diagnostic, Error};

/// The sidebar items of the manifest (what `sidebar.js` exports).
pub fn sidebar(m: &Manifest) -> Vec<Value> {
    let mut used = HashSet::new();
    let mut items: Vec<Value> = m
        .roots
        .iter()
        .filter_map(|r| item(m, r, None, 0, &mut used))
        .collect();
    items.extend(label_pages(m, &used));
    items
}

/// The plugin writes a page for every declared tag an operation carries, labels (OpenAPI 3.2
/// `kind` other than `nav`) too; such a page lists its sidebar category's items and fails to
/// render outside one. A tag page the tree does not place gets a category here (under
/// `Labels`) listing, as `ref`s, the entries that carry the tag.
fn label_pages(m: &Manifest, used: &HashSet<String>) -> Option<Value> {
    let mut cats = Vec::new();
    for tag in m.nodes.values().filter(|n| n.kind == Kind::Tag) {
        let Some(doc) = tag.targets.docusaurus.as_ref().map(|t| &t.doc_id) else {
            continue;
        };
        if used.contains(doc) {
            continue;
        }
        let src = tag.source.as_deref();
        let refs: Vec<Value> = m
            .nodes
            .values()
            .filter(|n| {
                matches!(n.kind, Kind::Operation | Kind::Webhook) && n.source.as_deref() == src
            })
            .filter(|n| {
                n.tags
                    .iter()
                    .any(|t| tag.id == tag_id(src.unwrap_or(""), t))
            })
            .filter_map(|n| {
                let d = n
                    .targets
                    .docusaurus
                    .as_ref()
                    .filter(|d| used.contains(&d.doc_id))?;
                Some(json!({"type": "ref", "id": d.doc_id, "label": n.label}))
            })
            .collect();
        if refs.is_empty() {
            continue;
        }
        cats.push(
            json!({"type": "category", "label": tag.label, "collapsed": true,
            "items": refs, "link": {"type": "doc", "id": doc},
            "customProps": {"navId": tag.id, "kind": tag.kind}}),
        );
    }
    (!cats.is_empty()).then(|| {
        json!({"type": "category", "label": "Labels", "collapsed": true, "items": cats,
            "customProps": {"kind": "group", "role": "labels"}})
    })
}

fn item(
    m: &Manifest,
    id: &str,
    parent: Option<&str>,
    depth: usize,
    used: &mut HashSet<String>,
) -> Option<Value> {
    let n = m.nodes.get(id)?;
    if depth > 24 {
        return None;
    }
    let doc_id = n.targets.docusaurus.as_ref().map(|d| d.doc_id.clone());
    let secondary = n
        .primary_parent
        .as_deref()
        .is_some_and(|p| Some(p) != parent);
    if n.kind == Kind::Callback {
        return with_asyncapi_view(m, n, callback_link(n));
    }
    let children: Vec<Value> = if secondary {
        Vec::new()
    } else {
        n.children
            .iter()
            .filter_map(|c| item(m, c, Some(id), depth + 1, used))
            .collect()
    };
    let props = json!({"navId": n.id, "kind": n.kind});
    match doc_id {
        Some(doc) if secondary || used.contains(&doc) => {
            Some(json!({"type": "ref", "id": doc, "label": n.label}))
        }
        Some(doc) if children.is_empty() => {
            used.insert(doc.clone());
            let mut v = json!({"type": "doc", "id": doc, "label": n.label, "customProps": props});
            add_class(&mut v, n);
            with_asyncapi_view(m, n, Some(v))
        }
        // Docusaurus refuses a category with neither items nor a page (a tag nothing carries);
        // an event the plugin makes no page of keeps its AsyncAPI page.
        None if children.is_empty() => with_asyncapi_view(m, n, None),
        doc => {
            let mut v = json!({"type": "category", "label": n.label, "collapsed": n.kind != Kind::Group,
                "items": children, "customProps": props});
            if let Some(doc) = doc {
                used.insert(doc.clone());
                v["link"] = json!({"type": "doc", "id": doc});
            }
            add_class(&mut v, n);
            Some(v)
        }
    }
}

/// Merged layout: an event's entry becomes a category whose first item is its OpenAPI view (the
/// plugin's page, or the callbacks section of its operation's page) and whose second is the
/// AsyncAPI operation's page.
/// An entry the plugin makes no page of (an OpenAPI 3.2 `additionalOperations` webhook) is its
/// AsyncAPI page alone.
fn with_asyncapi_view(m: &Manifest, n: &Node, openapi: Option<Value>) -> Option<Value> {
    let aop = n
        .views
        .get(1)
        .and_then(|v| m.nodes.get(&v.node))
        .and_then(|a| Some((a, a.targets.docusaurus.as_ref()?)));
    let Some((aop, t)) = aop else {
        return openapi;
    };
    let async_item = json!({"type": "doc", "id": t.doc_id, "label": format!("AsyncAPI: {}", aop.label),
        "className": "api-method asyncapi", "customProps": {"view": "asyncapi", "navId": aop.id}});
    let Some(mut openapi) = openapi else {
        let mut only = async_item;
        only["label"] = json!(format!("{} (AsyncAPI)", n.label));
        return Some(only);
    };
    let props = json!({"navId": n.id, "kind": n.kind});
    let mut category = json!({"type": "category", "label": n.label, "collapsed": true,
        "customProps": props, "className": openapi["className"].clone()});
    if openapi["type"] == "doc" {
        category["link"] = json!({"type": "doc", "id": openapi["id"].clone()});
        category["items"] = json!([async_item]);
    } else {
        openapi["label"] = json!("OpenAPI: callbacks section");
        openapi["customProps"] = json!({"view": "openapi"});
        category["label"] = json!(format!("\u{21b3} callback: {}", n.label));
        category["items"] = json!([openapi, async_item]);
    }
    Some(category)
}

fn callback_link(n: &Node) -> Option<Value> {
    let t = n.targets.docusaurus.as_ref()?;
    let anchor = t.anchor.as_deref().unwrap_or("callbacks");
    Some(json!({
        "type": "link",
        "label": format!("\u{21b3} callback: {}", n.label),
        "href": format!("/{}#{anchor}", t.doc_id),
        "className": "api-method callback",
        "customProps": {"navId": n.id, "kind": n.kind},
    }))
}

/// docusaurus-openapi-docs badge classes: `api-method get`, `api-method event`, ...
fn add_class(v: &mut Value, n: &Node) {
    let class = match n.kind {
        Kind::Operation => n
            .http
            .as_ref()
            .map(|h| format!("api-method {}", h.method.to_lowercase())),
        Kind::Webhook => Some("api-method event".into()),
        Kind::AsyncOperation => n
            .async_info
            .as_ref()
            .and_then(|a| a.action.clone())
            .map(|a| format!("api-method {a}")),
        Kind::Message => Some("api-method message".into()),
        Kind::Schema => Some("schema".into()),
        _ => None,
    };
    if let (Some(c), Some(obj)) = (class, v.as_object_mut()) {
        obj.insert("className".into(), Value::String(c));
    }
}

/// Writes `DIR/sidebar.js` and the AsyncAPI pages; returns the files written.
pub fn export(m: &Manifest, dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut written = Vec::new();
    let items = serde_json::to_string_pretty(&sidebar(m)).unwrap_or_else(|_| "[]".into());
    let js = format!(
        "// Generated by hookbridge nav --export docusaurus. Each item's customProps.navId is its\n\
         // id in the navigation manifest.\nmodule.exports = {items};\n"
    );
    written.push(write(&dir.join("sidebar.js"), &js)?);
    let asyncapi: Vec<&str> = m
        .sources
        .iter()
        .filter(|s| s.format == "asyncapi")
        .map(|s| s.id.as_str())
        .collect();
    for n in m.nodes.values() {
        let Some(t) = &n.targets.docusaurus else {
            continue;
        };
        let async_page = n.source.as_deref().is_some_and(|s| asyncapi.contains(&s))
            || (n.kind == Kind::Schema
                && asyncapi
                    .iter()
                    .any(|a| t.doc_id.starts_with(&format!("{a}/"))));
        if !async_page || n.kind == Kind::Group {
            continue;
        }
        let file = dir.join(format!("{}.md", t.doc_id));
        written.push(write(&file, &page(m, n, &t.doc_id))?);
    }
    Ok(written)
}

fn write(path: &Path, text: &str) -> Result<PathBuf, Error> {
    let fail = |e: std::io::Error| -> Error {
        Diagnostic::error(
            codes::IO,
            &path.display().to_string(),
            "",
            format!("cannot write: {e}"),
        )
        .into()
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    crate::document::write::write_atomic(path, text.as_bytes()).map_err(fail)?;
    Ok(path.to_path_buf())
}

/// A Markdown page (MDX-safe) for one AsyncAPI entry.
fn page(m: &Manifest, n: &Node, doc_id: &str) -> String {
    let base = doc_id.rsplit('/').next().unwrap_or(doc_id);
    let mut front = Map::new();
    front.insert("id".into(), base.into());
    front.insert("title".into(), n.label.clone().into());
    front.insert("hookbridge_nav_id".into(), n.id.clone().into());
    let mut out = String::from("---\n");
    for (k, v) in &front {
        out.push_str(&format!("{k}: {v}\n"));
    }
    out.push_str("---\n\n");
    let mut facts = vec![format!("- Kind: `{}`", kind_word(n))];
    if let Some(a) = &n.async_info {
        if let Some(action) = &a.action {
            facts.push(format!("- Action: `{action}`"));
        }
        let addr = a
            .address
            .clone()
            .unwrap_or_else(|| "(set by the subscriber)".into());
        facts.push(format!("- Address: `{}`", code(&addr)));
    }
    if let Some(h) = &n.http {
        facts.push(format!("- HTTP method: `{}`", h.method));
    }
    if !n.content_types.is_empty() {
        facts.push(format!(
            "- Content type: `{}`",
            code(&n.content_types.join(", "))
        ));
    }
    if let (Some(s), Some(p)) = (&n.source, &n.pointer) {
        facts.push(format!("- Source: `{s}` `{}`", code(p)));
    }
    out.push_str(&facts.join("\n"));
    out.push('\n');
    if let Some(s) = &n.summary {
        out.push_str(&format!("\n{}\n", text(s)));
    }
    let links: Vec<String> = n
        .links
        .iter()
        .map(|l| format!("- {}: {}", l.rel, reference(m, &l.target)))
        .collect();
    if !links.is_empty() {
        out.push_str(&format!("\n## Links\n\n{}\n", links.join("\n")));
    }
    out
}

fn kind_word(n: &Node) -> String {
    serde_json::to_value(n.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// A link to another entry's page when it has one, else its label.
fn reference(m: &Manifest, id: &str) -> String {
    let Some(n) = m.nodes.get(id) else {
        return format!("`{}`", code(id));
    };
    match &n.targets.docusaurus {
        Some(t) => {
            let anchor = t
                .anchor
                .as_ref()
                .map(|a| format!("#{a}"))
                .unwrap_or_default();
            format!("[{}](/{}{anchor})", text(&n.label), t.doc_id)
        }
        None => text(&n.label),
    }
}

/// Backticks cannot be escaped inside a code span: replace them.
fn code(s: &str) -> String {
    s.replace('`', "'")
}

/// Plain text that MDX would otherwise read as JSX or expressions.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '{' => out.push_str("&#123;"),
            '}' => out.push_str("&#125;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '[' | ']' | '*' | '_' | '`' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}
