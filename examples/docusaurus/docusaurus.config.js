// A Docusaurus site fed by `hookbridge nav --export docusaurus docs -o nav-manifest.json`:
// docusaurus-openapi-docs writes the REST, webhook and schema pages of every OpenAPI source
// of the manifest (outputDir docs/<source id>, the folder the manifest's docIds assume), and
// hookbridge writes the AsyncAPI pages and the sidebar (docs/sidebar.js).
const fs = require('node:fs');
const path = require('node:path');

const manifestPath = process.env.HOOKBRIDGE_NAV_MANIFEST || path.join(__dirname, 'nav-manifest.json');
const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));

// Two workarounds for the pinned plugin and theme, each a rewrite that keeps the document's
// meaning; a document that needs neither is given as it is (docs/nav.md, "Docusaurus"):
// - docusaurus-plugin-openapi-docs 5.2.0 fails on an OpenAPI 3.1 document without `paths`
//   (createPostmanCollection reads Object.values(data.paths)), as GitHub's webhook descriptions
//   are: such a document gets an empty `paths`.
// - docusaurus-theme-openapi-docs 5.2.0 merges `allOf` with allof-merge 0.6.8, which finds
//   `type: number` and `type: integer` incompatible (their intersection is `integer`) and
//   leaves the property undefined; the page then throws while rendering ("Cannot read
//   properties of undefined (reading 'writeOnly')"; GitHub's workflow_job events). Such a
//   property is written `integer` in every branch, which is what the intersection means.
function specPath(source) {
  const doc = require('js-yaml').load(fs.readFileSync(source.uri, 'utf8'));
  let changed = !doc.paths;
  if (changed) doc.paths = {};
  changed = integerIntersections(doc) || changed;
  if (!changed) return source.uri;
  const dir = path.join(__dirname, '.specs');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${source.id}.json`);
  fs.writeFileSync(file, JSON.stringify(doc));
  return file;
}

// Every `allOf` whose branches type one property `number` and `integer`: `number` becomes
// `integer` (also inside a type list). Returns whether anything changed.
function integerIntersections(node, seen = new Set()) {
  if (!node || typeof node !== 'object' || seen.has(node)) return false;
  seen.add(node);
  let changed = false;
  if (Array.isArray(node.allOf)) {
    const props = node.allOf.map((b) => (b && b.properties) || {});
    const types = (p) => [].concat(p && p.type);
    const names = new Set(props.flatMap(Object.keys));
    for (const name of names) {
      const branches = props.map((p) => p[name]).filter(Boolean);
      if (!branches.some((p) => types(p).includes('integer'))) continue;
      for (const p of branches) {
        if (!types(p).includes('number')) continue;
        p.type = Array.isArray(p.type) ? p.type.map((t) => (t === 'number' ? 'integer' : t)) : 'integer';
        changed = true;
      }
    }
  }
  for (const v of Object.values(node)) changed = integerIntersections(v, seen) || changed;
  return changed;
}

const apis = Object.fromEntries(
  manifest.sources
    .filter((s) => s.format === 'openapi')
    .map((s) => [s.id, {
      specPath: specPath(s),
      outputDir: `docs/${s.id}`,
      showSchemas: true,
      // The site uses hookbridge's sidebar; `tagParent` makes the plugin's own sidebar.ts nest
      // OpenAPI 3.2 tags by `parent` as hookbridge's does. Page ids do not depend on it.
      sidebarOptions: { groupPathsBy: 'tagParent', categoryLinkSource: 'tag' },
    }]),
);

/** @type {import('@docusaurus/types').Config} */
module.exports = {
  title: 'hookbridge nav example',
  url: 'http://localhost',
  baseUrl: '/',
  onBrokenLinks: 'throw',
  onBrokenAnchors: 'warn',
  markdown: { hooks: { onBrokenMarkdownLinks: 'throw' } },
  presets: [
    ['classic', {
      docs: {
        routeBasePath: '/',
        sidebarPath: require.resolve('./sidebars.js'),
        docItemComponent: '@theme/ApiItem',
      },
      blog: false,
      pages: {},
    }],
  ],
  plugins: [
    ['docusaurus-plugin-openapi-docs', { id: 'openapi', docsPluginId: 'classic', config: apis }],
  ],
  themes: ['docusaurus-theme-openapi-docs'],
  themeConfig: { navbar: { title: 'hookbridge nav' } },
};
