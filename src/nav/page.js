(function () {
  'use strict';
  var man = JSON.parse(document.getElementById('nav-data').textContent);
  var page = JSON.parse(document.getElementById('page-data').textContent);
  var nodes = man.nodes, details = document.getElementById('details');
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; }
  function code(t) { return el('code', null, t); }
  function row(dl, term, value) {
    if (value == null || value === '' || value.length === 0) return;
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
    if (n.async) return n.async.address == null ? '(address set by the subscriber)' : n.async.address;
    return null;
  }
  function method(n) { return n.http ? n.http.method : (n.async && n.async.action ? n.async.action : null); }
  // The schema as a tree: properties, items, combinators; `$ref`s to component schemas link to their entry.
  function typeText(s) {
    if (s == null || typeof s !== 'object') return String(s);
    var t = Array.isArray(s.type) ? s.type.join(' | ') : s.type;
    if (!t && s.properties) t = 'object';
    if (t === 'array' && s.items && s.items.$ref) t = 'array of ' + refName(s.items.$ref);
    else if (t === 'array' && s.items && s.items.type) t = 'array of ' + s.items.type;
    if (s.format) t = (t || '') + ' (' + s.format + ')';
    if (s.enum) t = (t ? t + ' ' : '') + 'enum: ' + s.enum.map(function (v) { return JSON.stringify(v); }).join(', ');
    if (s.const !== undefined) t = 'const ' + JSON.stringify(s.const);
    return t || '';
  }
  function refName(r) { var m = /^#\/components\/schemas\/([^/]+)$/.exec(r); return m ? decodeURIComponent(m[1]).replace(/~1/g, '/').replace(/~0/g, '~') : r; }
  function refLink(r, prefix) {
    var m = /^#\/components\/schemas\/([^/]+)$/.exec(r), id = m ? prefix + refName(r) : null;
    if (id && nodes[id]) { var a = xref(id, refName(r)); a.classList.add('ref'); return a; }
    return code(r);
  }
  function schemaItem(name, s, required, prefix, depth) {
    var li = el('li');
    if (name != null) li.appendChild(el('span', 'prop', name));
    if (s && s.$ref) { li.appendChild(document.createTextNode(name != null ? ' ' : '')); li.appendChild(refLink(s.$ref, prefix)); }
    else li.appendChild(el('span', 'type', typeText(s)));
    if (required) li.appendChild(el('span', 'req', 'required'));
    if (s && s.description) li.appendChild(el('span', 'desc', String(s.description).split('\n')[0].slice(0, 160)));
    var sub = schemaTree(s, prefix, depth + 1, false);
    if (sub) li.appendChild(sub);
    return li;
  }
  function schemaTree(s, prefix, depth, root) {
    if (!s || typeof s !== 'object' || depth > 8) return null;
    if (s.$ref) {
      // The payload's own fields: a top-level `$ref` is shown expanded under its link.
      var own = root ? payloadOf(prefix + refName(s.$ref)) : null, target = own && own.schema;
      if (!target) return root ? (function () { var u = el('ul', 'schema root'); u.appendChild(schemaItem(null, s, false, prefix, depth + 1)); return u; })() : null;
      var u = el('ul', 'schema root'), li = el('li');
      li.appendChild(refLink(s.$ref, prefix));
      li.appendChild(el('span', 'type', typeText(target)));
      var sub = schemaTree(target, prefix, depth + 1, false);
      if (sub) li.appendChild(sub);
      u.appendChild(li);
      return u;
    }
    var ul = el('ul', root ? 'schema root' : 'schema'), req = s.required || [];
    if (root) {
      var li = schemaItem(null, s, false, prefix, depth + 1);
      ul.appendChild(li);
    } else {
      Object.keys(s.properties || {}).forEach(function (k) { ul.appendChild(schemaItem(k, s.properties[k], req.indexOf(k) >= 0, prefix, depth)); });
      if (s.items && (s.items.$ref == null || depth > 0) && !s.properties) {
        if (s.items.$ref == null) { var inner = schemaTree(s.items, prefix, depth, false); if (inner) return inner; }
      }
      ['allOf', 'oneOf', 'anyOf'].forEach(function (k) {
        (s[k] || []).forEach(function (part, i) { ul.appendChild(schemaItem(k + '[' + i + ']', part, false, prefix, depth)); });
      });
      if (s.additionalProperties && typeof s.additionalProperties === 'object') ul.appendChild(schemaItem('{key}', s.additionalProperties, false, prefix, depth));
    }
    return ul.children.length ? ul : null;
  }
  // A value shaped like the schema: its own examples, defaults, enums, else placeholders.
  function generate(s, prefix, depth) {
    if (!s || typeof s !== 'object' || depth > 5) return null;
    if (s.$ref) { var t = payloadOf(prefix + refName(s.$ref)); return t && t.schema ? generate(t.schema, prefix, depth + 1) : null; }
    if (s.example !== undefined) return s.example;
    if (s.default !== undefined) return s.default;
    if (s.const !== undefined) return s.const;
    if (Array.isArray(s.examples) && s.examples.length) return s.examples[0];
    if (Array.isArray(s.enum) && s.enum.length) return s.enum[0];
    if (Array.isArray(s.allOf)) { var o = {}; s.allOf.forEach(function (p) { var v = generate(p, prefix, depth + 1); if (v && typeof v === 'object' && !Array.isArray(v)) Object.assign(o, v); }); return o; }
    var alt = s.oneOf || s.anyOf;
    if (Array.isArray(alt) && alt.length) return generate(alt[0], prefix, depth + 1);
    var t = Array.isArray(s.type) ? s.type.filter(function (x) { return x !== 'null'; })[0] : s.type;
    if (!t && s.properties) t = 'object';
    if (t === 'object') { var out = {}; Object.keys(s.properties || {}).slice(0, 30).forEach(function (k) { out[k] = generate(s.properties[k], prefix, depth + 1); }); return out; }
    if (t === 'array') return s.items ? [generate(s.items, prefix, depth + 1)] : [];
    if (t === 'integer' || t === 'number') return 0;
    if (t === 'boolean') return true;
    if (t === 'string') return ({ 'date-time': '2024-01-01T00:00:00Z', date: '2024-01-01', email: 'user@example.com', uri: 'https://example.com', uuid: '00000000-0000-0000-0000-000000000000' })[s.format] || 'string';
    return null;
  }
  function payloadOf(id) {
    var p = page.payloads[id], same = p && p.sameAs && page.payloads[p.sameAs];
    return same ? { role: p.role, contentType: p.contentType, schemaPrefix: p.schemaPrefix, schema: same.schema, example: same.example, exampleSource: same.exampleSource } : p;
  }
  function payload(box, id) {
    var p = payloadOf(id);
    if (!p) return;
    var h = el('h3', null, p.role === 'schema' ? 'Schema' : 'Payload (' + p.role + ')');
    if (p.contentType) { h.appendChild(document.createTextNode(' ')); h.appendChild(code(p.contentType)); }
    box.appendChild(h);
    var tree = el('div', 'schema-tree');
    tree.appendChild(schemaTree(p.schema, p.schemaPrefix, 0, true) || el('p', 'note', 'any value'));
    box.appendChild(tree);
    var generated = p.example === undefined;
    var ex = generated ? generate(p.schema, p.schemaPrefix, 0) : p.example;
    box.appendChild(el('h3', null, 'Example'));
    box.appendChild(el('pre', 'example', JSON.stringify(ex, null, 2)));
    if (generated) box.appendChild(el('p', 'note', 'Generated from the schema (the document gives no example).'));
  }
  function linkList(n) {
    var ul = el('ul', 'plain');
    var shown = n.kind === 'asyncOperation' ? ['payload', 'equivalent', 'channel', 'sends', 'receives', 'reply'] : ['payload', 'equivalent'];
    (n.links || []).filter(function (l) { return shown.indexOf(l.rel) < 0; }).forEach(function (l) {
      var li = el('li', 'link rel-' + l.rel); li.appendChild(el('span', 'rel', l.rel + ': ')); li.appendChild(xref(l.target));
      ul.appendChild(li);
    });
    return ul.children.length ? ul : null;
  }
  function targets(n) {
    var t = n.targets || {}, ul = el('ul', 'plain');
    if (t.redoc3) ul.appendChild(el('li', null, 'Redoc 3: ' + (t.redoc3.deepLink || t.redoc3.href)));
    if (t.scalar) ul.appendChild(el('li', null, 'Scalar: ' + t.scalar.id));
    if (t.docusaurus) ul.appendChild(el('li', null, 'Docusaurus: ' + t.docusaurus.docId + (t.docusaurus.anchor ? '#' + t.docusaurus.anchor : '')));
    if (t.asyncapiReact) ul.appendChild(el('li', null, 'AsyncAPI React: #' + t.asyncapiReact.anchor));
    return ul.children.length ? ul : null;
  }
  // One view of the entry: `n` is the entry itself or, for merged events, its AsyncAPI operation.
  function view(box, n) {
    var m = method(n), a = address(n);
    if (m || a) {
      var line = el('div', 'address');
      if (m) line.appendChild(el('span', 'badge ' + m.toLowerCase(), m));
      if (a) line.appendChild(code(a));
      box.appendChild(line);
    }
    payload(box, n.id);
    var dl = el('dl');
    if (n.kind === 'asyncOperation' && n.async && n.async.action) row(dl, 'Action', n.async.action);
    if (n.labels && n.labels.length) row(dl, 'Labels', n.labels.map(function (l) { return l.name + ' (' + l.kind + ')'; }).join(', '));
    if (n.callback) { row(dl, 'Callback', n.callback.name); row(dl, 'Registered by', xref(n.callback.registeredBy)); }
    if (n.async && n.async.channel && nodes[n.async.channel]) row(dl, 'Channel', xref(n.async.channel));
    if (n.kind === 'asyncOperation') row(dl, 'Messages', (function () { var ul = el('ul', 'plain'); n.children.forEach(function (c) { var li = el('li'); li.appendChild(xref(c)); ul.appendChild(li); }); return ul.children.length ? ul : null; })());
    if (n.occurrences && n.occurrences.length > 1) row(dl, 'Shared by', n.occurrences.map(function (o) { return o.source; }).join(', '));
    row(dl, 'See also', linkList(n));
    if (dl.children.length) { box.appendChild(el('h3', null, 'Related')); box.appendChild(dl); }
    var meta = el('details', 'meta'); meta.appendChild(el('summary', null, 'Portal addresses and source'));
    var md = el('dl');
    row(md, 'Targets', targets(n));
    row(md, 'Source', n.source ? n.source + ' ' + (n.pointer || '') : null);
    row(md, 'Id', n.id);
    meta.appendChild(md);
    box.appendChild(meta);
  }
  function show(n, which) {
    details.innerHTML = '';
    details.dataset.selected = n.id;
    details.dataset.kind = n.kind;
    details.appendChild(el('h2', null, n.label));
    if (n.summary) details.appendChild(el('p', 'summary', n.summary));
    var views = n.views || [], current = n;
    if (views.length > 1) {
      var bar = el('div', 'views');
      views.forEach(function (v) {
        var b = el('button', v.format === (which || 'openapi') ? 'active' : null, v.format === 'openapi' ? 'OpenAPI' : 'AsyncAPI');
        b.type = 'button'; b.dataset.view = v.format;
        b.addEventListener('click', function () { show(n, v.format); });
        bar.appendChild(b);
        if (v.format === (which || 'openapi')) current = nodes[v.node] || n;
      });
      details.appendChild(bar);
    }
    details.dataset.view = views.length > 1 ? (which || 'openapi') : '';
    var box = el('div', 'view');
    view(box, current);
    details.appendChild(box);
  }
  function reveal(li) {
    for (var p = li.parentElement; p; p = p.parentElement) if (p.tagName === 'DETAILS') p.open = true;
  }
  function mark(li) {
    document.querySelectorAll('li.selected').forEach(function (x) { x.classList.remove('selected'); });
    if (li) { li.classList.add('selected'); reveal(li); }
  }
  function select(id, scroll) {
    var n = nodes[id]; if (!n) return;
    var li = document.querySelector('li[data-id="' + CSS.escape(id) + '"]');
    mark(li);
    if (li && scroll) li.scrollIntoView({ block: 'nearest' });
    show(n);
  }
  document.getElementById('nav').addEventListener('click', function (ev) {
    var b = ev.target.closest('button.entry'); if (!b) return;
    ev.preventDefault();
    mark(b.closest('li'));
    show(nodes[b.dataset.id]);
  });
  var count = document.getElementById('count');
  document.getElementById('filter').addEventListener('input', function (ev) {
    var q = ev.target.value.trim().toLowerCase();
    var items = document.querySelectorAll('#nav li'), shown = 0;
    items.forEach(function (li) { li.classList.toggle('hidden', q !== '' && li.dataset.search.indexOf(q) < 0); });
    if (q === '') { count.textContent = ''; return; }
    items.forEach(function (li) {
      if (li.dataset.search.indexOf(q) < 0) return;
      shown++;
      for (var p = li.parentElement; p; p = p.parentElement) {
        if (p.tagName === 'LI') p.classList.remove('hidden');
        if (p.tagName === 'DETAILS') p.open = true;
      }
    });
    count.textContent = shown + ' match' + (shown === 1 ? '' : 'es');
  });
  var params = new URLSearchParams(location.search);
  if (params.get('filter')) { var f = document.getElementById('filter'); f.value = params.get('filter'); f.dispatchEvent(new Event('input')); }
  if (params.get('select')) select(params.get('select'), true);
  if (params.get('click')) {
    var b = document.querySelector('button.entry[data-id="' + CSS.escape(params.get('click')) + '"]');
    if (b) { reveal(b.closest('li')); b.scrollIntoView({ block: 'center' }); b.click(); }
  }
  if (params.get('view')) { var vb = details.querySelector('.views button[data-view="' + CSS.escape(params.get('view')) + '"]'); if (vb) vb.click(); }
})();
