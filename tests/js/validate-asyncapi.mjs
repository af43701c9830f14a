#!/usr/bin/env node
// Validates AsyncAPI 3.0.0 and 3.1.0 documents (YAML or JSON) with the tools users run:
//   (a) @asyncapi/parser `Parser#parse` (Spectral ruleset + schema checks + $ref resolution)
//   (b) the official AsyncAPI JSON Schema of the document's version (3.0.0 or 3.1.0) from
//       @asyncapi/specs, checked with ajv (draft-07)
//
// Usage: node tests/js/validate-asyncapi.mjs FILE...
//
// Prints ONE JSON document on stdout (an array, one entry per FILE, in argument order):
//   [{ "file": "<as given>",
//      "parserErrors":   [{ "code", "message", "path" }],   // diagnostics with severity 0 (error)
//      "parserWarnings": [{ "code", "message", "path" }],   // diagnostics with severity 1 (warning)
//      "schemaErrors":   [{ "instancePath", "schemaPath", "keyword", "message" }],
//      "parserSkipped":  "<why>" }]                           // only when Parser#validate ran instead of Parser#parse
// `path` is a JSON Pointer (RFC 6901) into the document, like ajv's `instancePath`.
// A file that cannot be read or parsed as YAML/JSON gets one entry in parserErrors (code "read-error")
// and one in schemaErrors (keyword "read-error").
//
// Exit status: 0 when it ran (even if documents have errors), 2 on usage problems
// (no FILE given, or dependencies not installed: run `npm ci --prefix tests/js`).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

function usage(msg) {
  process.stderr.write(`validate-asyncapi: ${msg}\nusage: node tests/js/validate-asyncapi.mjs FILE...\n`);
  process.exit(2);
}

const files = process.argv.slice(2);
if (files.length === 0 || files.some((f) => f === '-h' || f === '--help')) usage('no input file given');

let Parser, Ajv, addFormats, yaml, specs;
try {
  ({ Parser } = require('@asyncapi/parser'));
  Ajv = require('ajv').default;
  addFormats = require('ajv-formats').default;
  yaml = require('js-yaml');
  specs = require('@asyncapi/specs');
} catch (e) {
  usage(`cannot load the JS test tools (${e.message}); run \`npm ci --prefix tests/js\``);
}

// RFC 6901 pointer from a Spectral path (array of keys / indices).
function pointer(segments) {
  if (!Array.isArray(segments) || segments.length === 0) return '';
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

function diag(d) {
  return { code: d.code === undefined ? null : String(d.code), message: d.message, path: pointer(d.path) };
}

// The same document text, parsed for ajv. JSON first (fast for multi-MB files), then YAML 1.2 core
// schema (no timestamps or merge keys: a date-like scalar stays a string, as in JSON).
function parseData(text, file) {
  const first = text.trimStart()[0];
  if (first === '{' || first === '[' || file.endsWith('.json')) {
    try {
      return JSON.parse(text);
    } catch (_) {
      /* fall through to YAML (JSON with comments, etc.) */
    }
  }
  return yaml.load(text, { schema: yaml.CORE_SCHEMA, filename: file });
}

// @asyncapi/parser 3.6.3's post-processing (`resolveCircularRefs`, after validation) walks the
// resolved document with a guard against cycles only, so a schema shared by many parents is
// walked once per path to it: exponential on documents that share schemas in layers (Stripe's
// 775 schemas), where it runs for hours (parser-js#1230; docs/stricter-fields.md has a minimal
// reproduction). The same walk over the document, with `$ref`s followed, counted up to a limit:
// over it, `parserSkipped` says so and only Parser#validate runs.
const PARSER_WALK_LIMIT = 1_000_000;

function refTarget(root, ref) {
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return undefined;
  let node = root;
  for (const raw of ref.slice(2).split('/')) {
    let key;
    try {
      key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    } catch (_) {
      return undefined;
    }
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = node[key];
  }
  return node;
}

function parserWalkLength(root, limit) {
  let visits = 0;
  const onPath = new Set();
  const walk = (node) => {
    if (visits > limit || typeof node !== 'object' || node === null) return;
    if (!Array.isArray(node) && typeof node.$ref === 'string') {
      const target = refTarget(root, node.$ref);
      // A $ref back into the current path stays a $ref in the resolved document.
      if (target === undefined || onPath.has(target)) {
        visits += 1;
        return;
      }
      node = target;
    }
    if (onPath.has(node)) return;
    visits += 1;
    onPath.add(node);
    for (const key in node) walk(node[key]);
    onPath.delete(node);
  };
  walk(root);
  return visits;
}

const parser = new Parser();
const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, validateFormats: true });
addFormats(ajv);
// The official JSON Schema of the document's own version (3.0.0 or 3.1.0), compiled once each.
const validators = new Map();
function schemaFor(data) {
  const version = data && typeof data.asyncapi === 'string' && specs.schemasWithoutId[data.asyncapi] ? data.asyncapi : '3.0.0';
  if (!validators.has(version)) validators.set(version, ajv.compile(specs.schemasWithoutId[version]));
  return validators.get(version);
}

async function check(file) {
  const report = { file, parserErrors: [], parserWarnings: [], schemaErrors: [] };
  const abs = path.resolve(file);
  let text;
  try {
    text = await readFile(abs, 'utf8');
  } catch (e) {
    report.parserErrors.push({ code: 'read-error', message: e.message, path: '' });
    report.schemaErrors.push({ instancePath: '', schemaPath: '', keyword: 'read-error', message: e.message });
    return report;
  }

  // (a) @asyncapi/parser; `source` makes relative $refs resolve against the file.
  let data;
  try {
    data = parseData(text, abs);
  } catch (_) {
    /* reported by the parser below, and by (b) */
  }
  const walk = data === undefined ? 0 : parserWalkLength(data, PARSER_WALK_LIMIT);
  try {
    let diagnostics;
    if (walk > PARSER_WALK_LIMIT) {
      // Parser#validate is the whole of Parser#parse's validation; what it leaves out is the
      // post-processing that does not finish on this document (parser-js#1230).
      report.parserSkipped = `post-processing skipped: resolveCircularRefs would walk over ${PARSER_WALK_LIMIT} paths (parser-js#1230)`;
      diagnostics = await parser.validate(text, { source: abs });
    } else {
      ({ diagnostics } = await parser.parse(text, { source: abs }));
    }
    for (const d of diagnostics) {
      if (d.severity === 0) report.parserErrors.push(diag(d));
      else if (d.severity === 1) report.parserWarnings.push(diag(d));
    }
  } catch (e) {
    report.parserErrors.push({ code: 'uncaught', message: String(e && e.stack ? e.stack : e), path: '' });
  }

  // (b) the official JSON Schema of the document's version.
  if (data === undefined) {
    try {
      data = parseData(text, abs);
    } catch (e) {
      report.schemaErrors.push({ instancePath: '', schemaPath: '', keyword: 'read-error', message: e.message });
      return report;
    }
  }
  const validateSchema = schemaFor(data);
  if (!validateSchema(data)) {
    for (const e of validateSchema.errors) {
      report.schemaErrors.push({
        instancePath: e.instancePath,
        schemaPath: e.schemaPath,
        keyword: e.keyword,
        message: e.message + (e.params && e.params.additionalProperty ? `: '${e.params.additionalProperty}'` : '')
          + (e.params && e.params.allowedValues ? `: ${JSON.stringify(e.params.allowedValues)}` : ''),
      });
    }
  }
  return report;
}

const reports = [];
for (const f of files) reports.push(await check(f));
process.stdout.write(JSON.stringify(reports, null, 1) + '\n');
