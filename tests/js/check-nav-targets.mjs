// Checks the `targets` of hookbridge navigation manifests against the navigation that the
// renderers themselves compute from the same documents:
//   * Redoc 3: `prepareApiDocs` (npm `redoc`), one instance per document at basePath `/`; every
//     `targets.redoc3.href` must be an item link, and a callback's `deepLink` must name the
//     `callbacks` section that Redoc renders on that page, listing that callback.
//   * Scalar: `createWorkspaceStore().addDocument` (npm `@scalar/workspace-store`), which
//     builds `x-scalar-navigation` as the Scalar app does; every `targets.scalar.id` must be
//     an entry id.
// Usage: node check-nav-targets.mjs JOBS.json   (a JSON array of {manifest, openapi, asyncapi},
// documents as JSON files). Prints one JSON report per job on stdout.
import fs from 'node:fs';
import { prepareApiDocs } from 'redoc';
import { createWorkspaceStore } from '@scalar/workspace-store/client';

// Keep stdout for the report: the libraries log validation noise.
console.log = console.info = console.warn = console.debug = (...a) => process.stderr.write(a.join(' ') + '\n');

const readJson = (f) => JSON.parse(fs.readFileSync(f, 'utf8'));

async function redocItems(doc, options) {
  const r = await prepareApiDocs({ spec: JSON.stringify(doc), options, basePath: '/' });
  const items = new Map();
  const walk = (it) => { if (it.link) items.set(it.link, it); (it.items || []).forEach(walk); };
  r.items.forEach(walk);
  return items;
}

async function scalarIds(name, doc) {
  const store = createWorkspaceStore();
  await store.addDocument({ name, document: structuredClone(doc) });
  const nav = store.workspace.documents[name]?.['x-scalar-navigation'];
  // Entry id -> the id of the entry it sits in (OpenAPI 3.2 nested tags sit in their parent's).
  const ids = new Map();
  const walk = (e, parent) => { ids.set(e.id, parent); (e.children || []).forEach((c) => walk(c, e.id)); };
  if (nav) walk(nav, null);
  return ids;
}

// Objects of a content tree that satisfy `pred` (bounded walk; content may be cyclic).
function find(root, pred, seen = new Set()) {
  const out = [];
  const stack = [root];
  while (stack.length) {
    const v = stack.pop();
    if (!v || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (pred(v)) out.push(v);
    for (const k of Object.keys(v)) stack.push(v[k]);
  }
  return out;
}

function checkCallback(node, item) {
  const t = node.targets.redoc3;
  const rel = t.href.replace(/^\/+/, '');
  const expected = `/${rel}#${rel}/callbacks`.toLowerCase();
  if (t.deepLink !== expected) return `deepLink ${t.deepLink} is not ${expected}`;
  const content = item.content;
  if (!find(content, (o) => o.deepLinkSuffix === 'callbacks').length) return 'no Callbacks section on the page';
  const name = node.callback?.name;
  const verb = node.http?.method?.toLowerCase();
  const listed = find(content, (o) => o.callbackName === name || (o.name === name && Array.isArray(o.operations)));
  if (!listed.length) return `callback ${name} not listed on the page`;
  const verbs = find(listed, (o) => typeof o.httpVerb === 'string').map((o) => o.httpVerb.toLowerCase());
  if (verb && verbs.length && !verbs.includes(verb)) return `callback ${name} ${verb} not listed (${verbs})`;
  return null;
}

async function checkJob(job) {
  const man = readJson(job.manifest);
  const docs = { [man.sources[0].id]: readJson(job.openapi), [man.sources[1].id]: readJson(job.asyncapi) };
  const schemasTag = man.renderers?.redoc3?.options?.schemaDefinitionsTagName;
  const redocOptions = schemasTag ? { schemaDefinitionsTagName: schemasTag } : {};
  const redoc = {}, scalar = {};
  // job.redoc === false: Redoc 3.0.1 refuses the document (OpenAPI 3.2); Scalar only.
  for (const [id, doc] of Object.entries(docs)) {
    if (job.redoc !== false) redoc[id] = await redocItems(doc, redocOptions);
    scalar[id] = await scalarIds(man.renderers?.scalar?.documentNames?.[id] ?? id, doc);
  }
  const report = { manifest: job.manifest, redoc3: { passed: 0, failed: [] }, scalar: { passed: 0, failed: [] } };
  for (const node of Object.values(man.nodes)) {
    const src = node.source ?? man.sources[0].id;
    const r = node.targets?.redoc3;
    if (r && job.redoc !== false) {
      const item = redoc[src]?.get(r.href);
      const problem = !item ? `no Redoc 3 item ${r.href}` : r.deepLink ? checkCallback(node, item) : null;
      if (problem) report.redoc3.failed.push({ node: node.id, problem });
      else report.redoc3.passed++;
    }
    const s = node.targets?.scalar;
    if (s) {
      const nestedIn = node.links?.find((l) => l.rel === 'parentTag')?.target;
      const parentId = nestedIn && man.nodes[nestedIn]?.targets?.scalar?.id;
      if (!scalar[src]?.has(s.id)) report.scalar.failed.push({ node: node.id, problem: `no Scalar entry ${s.id}` });
      else if (parentId && scalar[src].get(s.id) !== parentId) {
        report.scalar.failed.push({ node: node.id, problem: `Scalar shows ${s.id} in ${scalar[src].get(s.id)}, not in ${parentId}` });
      } else report.scalar.passed++;
    }
  }
  return report;
}

const jobs = readJson(process.argv[2]);
const reports = [];
for (const job of jobs) {
  try {
    reports.push(await checkJob(job));
  } catch (e) {
    reports.push({ manifest: job.manifest, error: String(e?.stack ?? e) });
  }
}
process.stdout.write(JSON.stringify(reports, null, 1) + '\n');
