// The sidebar `hookbridge nav --export docusaurus docs` writes.
module.exports = { api: require('./docs/sidebar.js') };
