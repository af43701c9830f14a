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
    let title = manifest
        .sources
        .first()
        .map(|s| s.title.clone())
        .unwrap_or_default();
    let mut tree = String::new();
    tree.push_str("<ul class=\"tree\" role=\"tree\">");
    for root in &manifest.roots {
        let mut path = HashSet::new();
        entry(manifest, root, 0, &mut path, &mut tree);
    }
    tree.push_str("</ul>");
    let data = script_safe(&super::to_json(manifest));
    let mut page = String::with_capacity(tree.len() + data.len() + 8192);
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{t} navigation</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <header><h1>{t}</h1><input id=\"filter\" type=\"search\" placeholder=\"Filter: name, path, event...\" \
         aria-label=\"Filter the navigation\"></header>\n<main>\n<nav id=\"nav\" aria-label=\"API navigation\">{tree}</nav>\n\
         <section id=\"details\" aria-live=\"polite\"><p class=\"hint\">Select an entry to see its details.</p></section>\n\
         </main>\n<script type=\"application/json\" id=\"nav-data\">{data}</script>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
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
        Kind::Group | Kind::Channel | Kind::Operation | Kind::Webhook | Kind::AsyncOperation
    );
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
    let _ = write!(
        out,
        "<span class=\"label\">{}</span></button>",
        escape(&n.label)
    );
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
        Kind::Tag | Kind::Group => None,
    }
}

/// What the filter box matches: label, method, address, ids.
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

const STYLE: &str = r#"
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2330;background:#f6f7f9}
header{display:flex;gap:1rem;align-items:center;padding:.6rem 1rem;background:#1f2a44;color:#fff}
header h1{font-size:1.05rem;margin:0;flex:0 0 auto}#filter{flex:1;max-width:28rem;padding:.35rem .6rem;border-radius:4px;border:0;font:inherit}
main{display:grid;grid-template-columns:minmax(18rem,32rem) 1fr;height:calc(100vh - 2.8rem)}
nav{overflow:auto;border-right:1px solid #d9dde5;background:#fff;padding:.4rem 0}
ul.tree,ul.tree ul{list-style:none;margin:0;padding-left:.9rem}ul.tree{padding-left:.4rem}
summary{cursor:pointer;list-style-position:outside}li{margin:1px 0}
.entry{all:unset;cursor:pointer;display:inline-flex;gap:.4rem;align-items:baseline;padding:1px 4px;border-radius:3px;max-width:100%}
.entry:hover,.entry:focus{background:#e8eefc;outline:none}.selected>.entry,.selected>details>summary>.entry{background:#cfdcfb}
.kind-group>details>summary .label{font-weight:600;text-transform:uppercase;font-size:.78rem;letter-spacing:.04em;color:#56607a}
.kind-tag>details>summary .label{font-weight:600}
.badge{font:600 .68rem/1.3 ui-monospace,monospace;padding:0 .3rem;border-radius:3px;background:#e3e6ec;color:#3b4357;text-transform:uppercase}
.badge.get{background:#d8f0e2;color:#11653a}.badge.post{background:#dde8fd;color:#1a4fb5}.badge.put{background:#fdebd3;color:#8a4b00}
.badge.delete{background:#fbdcdc;color:#9b1c1c}.badge.patch{background:#efe1fb;color:#6330a0}.badge.send{background:#d7f3f1;color:#0c6660}
.badge.receive{background:#f8e3f0;color:#8d2267}.kind-callback>.entry .label::before,.kind-callback>details>summary .label::before{content:"\21B3  callback: ";color:#8a90a0}
.hidden{display:none}#details{overflow:auto;padding:1rem 1.4rem}#details h2{margin:.1rem 0 .6rem;font-size:1.2rem}
#details dl{display:grid;grid-template-columns:9rem 1fr;gap:.3rem .8rem;margin:0}#details dt{color:#66708a}#details dd{margin:0;word-break:break-all}
#details code{font:12.5px ui-monospace,monospace;background:#eef0f4;padding:0 .25rem;border-radius:3px}
#details ul{margin:0;padding-left:1.1rem}a.xref{color:#1a4fb5;cursor:pointer}.hint{color:#66708a}
"#;

const SCRIPT: &str = r#"
(function () {
  'use strict';
  var man = JSON.parse(document.getElementById('nav-data').textContent);
  var nodes = man.nodes, details = document.getElementById('details');
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; }
  function code(t) { return el('code', null, t); }
  function row(dl, term, value) {
    if (value == null || value === '' || (value.length === 0)) return;
    dl.appendChild(el('dt', null, term));
    var dd = el('dd');
    if (typeof value === 'string') dd.appendChild(code(value)); else dd.appendChild(value);
    dl.appendChild(dd);
  }
  function xref(id, text) {
    var a = el('a', 'xref', text || (nodes[id] ? nodes[id].label : id));
    a.href = '?select=' + encodeURIComponent(id);
    a.dataset.target = id;
    a.addEventListener('click', function (ev) { ev.preventDefault(); select(id, true); });
    return a;
  }
  function address(n) {
    if (n.http && n.http.path) return n.http.path;
    if (n.http && n.http.expression) return n.http.expression;
    if (n.http && n.http.name) return 'webhook ' + n.http.name;
    if (n.async) return n.async.address == null ? '(set by the subscriber)' : n.async.address;
    return null;
  }
  function payload(n) {
    var parts = [], ul = el('ul');
    (n.contentTypes || []).forEach(function (c) { parts.push(c); });
    var schemas = (n.links || []).filter(function (l) { return l.rel === 'payload'; });
    if (!parts.length && !schemas.length) return null;
    if (parts.length) ul.appendChild(el('li', null, parts.join(', ')));
    schemas.forEach(function (l) { var li = el('li'); li.appendChild(document.createTextNode('schema ')); li.appendChild(xref(l.target)); ul.appendChild(li); });
    return ul;
  }
  function links(n) {
    var ul = el('ul');
    (n.links || []).filter(function (l) { return l.rel !== 'payload'; }).forEach(function (l) {
      var li = el('li', 'link rel-' + l.rel); li.appendChild(el('span', 'rel', l.rel + ': ')); li.appendChild(xref(l.target));
      if (l.via) li.appendChild(document.createTextNode(' (' + l.via + ')'));
      ul.appendChild(li);
    });
    return ul.children.length ? ul : null;
  }
  function targets(n) {
    var t = n.targets || {}, ul = el('ul');
    if (t.redoc3) ul.appendChild(el('li', null, 'Redoc 3: ' + (t.redoc3.deepLink || t.redoc3.href)));
    if (t.scalar) ul.appendChild(el('li', null, 'Scalar: ' + t.scalar.id));
    if (t.docusaurus) ul.appendChild(el('li', null, 'Docusaurus: ' + t.docusaurus.docId + (t.docusaurus.anchor ? '#' + t.docusaurus.anchor : '')));
    if (t.asyncapiReact) ul.appendChild(el('li', null, 'AsyncAPI React: #' + t.asyncapiReact.anchor));
    return ul.children.length ? ul : null;
  }
  function show(n) {
    details.innerHTML = '';
    details.dataset.selected = n.id;
    details.dataset.kind = n.kind;
    details.appendChild(el('h2', null, n.label));
    var dl = el('dl');
    row(dl, 'Kind', n.kind);
    var method = n.http ? n.http.method : (n.async && n.async.action ? n.async.action : null);
    row(dl, n.http ? 'Method' : 'Action', method);
    row(dl, 'Address', address(n));
    if (n.callback) { row(dl, 'Callback', n.callback.name); row(dl, 'Registered by', xref(n.callback.registeredBy)); }
    row(dl, 'Payload', payload(n));
    row(dl, 'Links', links(n));
    row(dl, 'Summary', n.summary);
    row(dl, 'Source', n.source ? n.source + ' ' + (n.pointer || '') : null);
    if (n.occurrences && n.occurrences.length > 1) row(dl, 'Shared by', n.occurrences.map(function (o) { return o.source; }).join(', '));
    row(dl, 'Targets', targets(n));
    row(dl, 'Id', n.id);
    details.appendChild(dl);
  }
  function reveal(li) {
    for (var p = li.parentElement; p; p = p.parentElement) if (p.tagName === 'DETAILS') p.open = true;
  }
  function select(id, scroll) {
    var n = nodes[id]; if (!n) return;
    document.querySelectorAll('li.selected').forEach(function (li) { li.classList.remove('selected'); });
    var li = document.querySelector('li[data-id="' + CSS.escape(id) + '"]');
    if (li) {
      li.classList.add('selected');
      reveal(li);
      if (scroll) li.scrollIntoView({ block: 'nearest' });
    }
    show(n);
  }
  document.getElementById('nav').addEventListener('click', function (ev) {
    var b = ev.target.closest('button.entry'); if (!b) return;
    ev.preventDefault();
    var li = b.closest('li');
    document.querySelectorAll('li.selected').forEach(function (x) { x.classList.remove('selected'); });
    li.classList.add('selected');
    reveal(li);
    show(nodes[b.dataset.id]);
  });
  document.getElementById('filter').addEventListener('input', function (ev) {
    var q = ev.target.value.trim().toLowerCase();
    var items = document.querySelectorAll('#nav li');
    items.forEach(function (li) { li.classList.toggle('hidden', q !== '' && li.dataset.search.indexOf(q) < 0); });
    if (q === '') return;
    items.forEach(function (li) {
      if (li.dataset.search.indexOf(q) < 0) return;
      for (var p = li.parentElement; p; p = p.parentElement) {
        if (p.tagName === 'LI') p.classList.remove('hidden');
        if (p.tagName === 'DETAILS') p.open = true;
      }
    });
  });
  var params = new URLSearchParams(location.search);
  if (params.get('filter')) { var f = document.getElementById('filter'); f.value = params.get('filter'); f.dispatchEvent(new Event('input')); }
  if (params.get('select')) select(params.get('select'), true);
  if (params.get('click')) {
    var b = document.querySelector('button.entry[data-id="' + CSS.escape(params.get('click')) + '"]');
    if (b) { reveal(b.closest('li')); b.scrollIntoView({ block: 'center' }); b.click(); }
  }
})();
"#;
