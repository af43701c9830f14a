// A Docusaurus site fed by `hookbridge nav --export docusaurus docs -o nav-manifest.json`:
// docusaurus-openapi-docs writes the REST, webhook and schema pages of every OpenAPI source
// of the manifest (outputDir docs/<source id>, the folder the manifest's docIds assume), and
// hookbridge writes the AsyncAPI pages and the sidebar (docs/sidebar.js).
const fs = require('node:fs');
const path = require('node:path');

const manifestPath = process.env.HOOKBRIDGE_NAV_MANIFEST || path.join(__dirname, 'nav-manifest.json');
const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));

// docusaurus-plugin-openapi-docs 5.2.0 fails on an OpenAPI 3.1 document without `paths`
// (createPostmanCollection reads Object.values(data.paths)), as GitHub's webhook descriptions
// are: such a document is given to it with an empty `paths`.
function specPath(source) {
  const doc = require('js-yaml').load(fs.readFileSync(source.uri, 'utf8'));
  if (doc && doc.paths) return source.uri;
  const dir = path.join(__dirname, '.specs');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${source.id}.json`);
  fs.writeFileSync(file, JSON.stringify({ ...doc, paths: {} }));
  return file;
}

const apis = Object.fromEntries(
  manifest.sources
    .filter((s) => s.format === 'openapi')
    .map((s) => [s.id, {
      specPath: specPath(s),
      outputDir: `docs/${s.id}`,
      showSchemas: true,
      sidebarOptions: { groupPathsBy: 'tag', categoryLinkSource: 'tag' },
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
