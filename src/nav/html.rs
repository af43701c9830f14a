//! `--html PAGE`: one self-contained page (no network) with the merged tree, a filter box and,
//! for the selected entry, its method, address, payload summary, cross-links and targets.
//!
//! The tree is written as HTML; the manifest rides along as JSON for the details panel.
//! `?select=<id>` selects an entry on load; `?click=<id>` clicks its first tree entry (for
//! scripted checks in a headless browser).

use std::collections::HashSet;
use std::fmt::Write as _;

use super::{Kind, Manifest, Node};

/// Deepest nesting rendered (callbacks of callbacks stay well below).
const MAX_DEPTH: usize = 24;

/// The page for `manifest`.
pub fn render(manifest: &Manifest) -> String {
    let title = match manifest.sources.as_slice() {
        [first, _] => first.title.clone(),
        _ => "API portal".into(),
    };
    let mut tree = String::new();
    tree.push_str("<ul class=\"tree\" role=\"tree\">");
    for root in &manifest.roots {
        let mut path = HashSet::new();
        entry(manifest, root, 0, &mut path, &mut tree);
    }
    tree.push_str("</ul>");
    let data = script_safe(&super::to_json(manifest));
    let page_data = script_safe(&serde_json::to_string(&manifest.page).unwrap_or_default());
    let mut page = String::with_capacity(tree.len() + data.len() + 8192);
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{t} navigation</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <header><h1>{t}</h1><input id=\"filter\" type=\"search\" placeholder=\"Filter: name, path, event...\" \
         aria-label=\"Filter the navigation\"><span id=\"count\"></span></header>\n<main>\n<nav id=\"nav\" aria-label=\"API navigation\">{tree}</nav>\n\
         <section id=\"details\" aria-live=\"polite\"><p class=\"hint\">Select an entry to see its details.</p></section>\n\
         </main>\n<script type=\"application/json\" id=\"nav-data\">{data}</script>\n\
         <script type=\"application/json\" id=\"page-data\">{page_data}</script>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
        t = escape(&title),
    );
    page
}

fn entry(m: &Manifest, id: &str, depth: usize, path: &mut HashSet<String>, out: &mut String) {
    let Some(n) = m.nodes.get(id) else { return };
    if depth > MAX_DEPTH || !path.insert(id.to_string()) {
        return;
    }
    let open = matches!(
        n.kind,
        Kind::Group
            | Kind::Api
            | Kind::Channel
            | Kind::Operation
            | Kind::Webhook
            | Kind::AsyncOperation
    ) && depth < 3;
    let _ = write!(
        out,
        "<li class=\"kind-{k}\" data-id=\"{id}\" data-search=\"{s}\" role=\"treeitem\">",
        k = kind_name(n.kind),
        id = escape(id),
        s = escape(&search_text(n)),
    );
    let has_children = !n.children.is_empty();
    if has_children {
        let _ = write!(out, "<details{}><summary>", if open { " open" } else { "" });
    }
    let _ = write!(
        out,
        "<button type=\"button\" class=\"entry\" data-id=\"{}\">",
        escape(id)
    );
    if let Some(badge) = badge(n) {
        let _ = write!(
            out,
            "<span class=\"badge {c}\">{b}</span>",
            c = escape(&badge.to_lowercase()),
            b = escape(&badge)
        );
    }
    let _ = write!(out, "<span class=\"label\">{}</span>", escape(&n.label));
    // OpenAPI 3.2 tags of another kind than `nav` (`badge`, `audience`): beside the label.
    for l in &n.labels {
        let _ = write!(
            out,
            "<span class=\"tag-label\" data-kind=\"{k}\" title=\"{k}\">{name}</span>",
            k = escape(&l.kind),
            name = escape(&l.name)
        );
    }
    out.push_str("</button>");
    if has_children {
        out.push_str("</summary><ul role=\"group\">");
        for c in &n.children {
            entry(m, c, depth + 1, path, out);
        }
        out.push_str("</ul></details>");
    }
    out.push_str("</li>");
    path.remove(id);
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Group => "group",
        Kind::Api => "api",
        Kind::Tag => "tag",
        Kind::Operation => "operation",
        Kind::Webhook => "webhook",
        Kind::Callback => "callback",
        Kind::Channel => "channel",
        Kind::AsyncOperation => "asyncOperation",
        Kind::Stream => "stream",
        Kind::Message => "message",
        Kind::Schema => "schema",
    }
}

/// The method (or action) shown before a label.
fn badge(n: &Node) -> Option<String> {
    match n.kind {
        Kind::Operation | Kind::Webhook | Kind::Callback => {
            n.http.as_ref().map(|h| h.method.clone())
        }
        Kind::AsyncOperation | Kind::Stream => n.async_info.as_ref().and_then(|a| a.action.clone()),
        Kind::Channel => Some("channel".into()),
        Kind::Message => Some("msg".into()),
        Kind::Schema => Some("schema".into()),
        Kind::Tag | Kind::Group | Kind::Api => None,
    }
}

/// What the filter box matches: label, method, address, ids, labels.
fn search_text(n: &Node) -> String {
    let mut s = format!("{} {}", n.label, n.id);
    if let Some(h) = &n.http {
        for part in [
            Some(&h.method),
            h.path.as_ref(),
            h.name.as_ref(),
            h.expression.as_ref(),
        ]
        .into_iter()
        .flatten()
        {
            s.push(' ');
            s.push_str(part);
        }
    }
    if let Some(a) = n.async_info.as_ref().and_then(|a| a.address.as_ref()) {
        s.push(' ');
        s.push_str(a);
    }
    for l in &n.labels {
        s.push(' ');
        s.push_str(&l.name);
    }
    s.to_lowercase()
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// JSON inside `<script>`: `</` and `<!--` must not appear.
fn script_safe(json: &str) -> String {
    json.replace("</", "<\\/").replace("<!--", "<\\!--")
}

const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");
