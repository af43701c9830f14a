// Docusaurus's preset, reading the theme's CommonJS files as CommonJS: without `unambiguous`,
// the runtime helpers it adds turn them into ES modules and their `exports.default` is lost.
module.exports = {
  presets: [require.resolve('@docusaurus/babel/preset')],
  sourceType: 'unambiguous',
};
