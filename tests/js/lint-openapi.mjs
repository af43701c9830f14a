#!/usr/bin/env node
// Lints OpenAPI documents with Redocly CLI's built-in `minimal` ruleset, as users run it:
//   redocly lint --config tests/js/redocly.yaml --extends=minimal --format=json FILE
//
// Usage: node tests/js/lint-openapi.mjs FILE...
//
// Redocly prints one JSON document per file. Files go to redocly in batches (one process for
// many files: starting redocly costs about a second); a batch whose output cannot be matched to
// its files one by one (redocly stops the whole run at the first file it cannot read or parse)
// is linted again one process per file. A few processes run at once.
//
// Prints ONE JSON document on stdout (an array, one entry per FILE, in argument order):
//   [{ "file": "<as given>",
//      "errors":   [{ "ruleId", "message", "source", "pointer" }],   // severity "error"
//      "warnings": [{ "ruleId", "message", "source", "pointer" }] }] // severity "warn"
// `source` is the file the problem is in (a multi-file spec reports problems in its fragments),
// `pointer` a JSON Pointer into that file ("" for the root; redocly's leading '#' removed).
// When redocly itself fails on a file (missing, unparseable YAML, ...), that file gets one error
// with ruleId "redocly-failed" and redocly's stderr as the message.
//
// Exit status: 0 when it ran (even if documents have errors), 2 on usage problems
// (no FILE given, or Redocly not installed: run `npm ci --prefix tests/js`).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const redoclyBin = path.join(here, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
const config = path.join(here, 'redocly.yaml');

function usage(msg) {
  process.stderr.write(`lint-openapi: ${msg}\nusage: node tests/js/lint-openapi.mjs FILE...\n`);
  process.exit(2);
}

const files = process.argv.slice(2);
if (files.length === 0 || files.some((f) => f === '-h' || f === '--help')) usage('no input file given');
if (!existsSync(redoclyBin)) usage(`${redoclyBin} not found; run \`npm ci --prefix tests/js\``);

const env = {
  ...process.env,
  REDOCLY_TELEMETRY: 'off',
  REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
  REDOCLY_SUPPRESS_NOTIFICATIONS: 'true',
  NO_COLOR: '1',
};

function problem(p) {
  const loc = (p.location && p.location[0]) || {};
  const source = loc.source && typeof loc.source.ref === 'string' ? loc.source.ref : null;
  const pointer = typeof loc.pointer === 'string' ? loc.pointer.replace(/^#/, '') : '';
  return { ruleId: p.ruleId, message: p.message, source, pointer };
}

function failed(file, message) {
  return { file, errors: [{ ruleId: 'redocly-failed', message, source: file, pointer: '' }], warnings: [] };
}

function report(file, out) {
  const r = { file, errors: [], warnings: [] };
  for (const p of out.problems || []) {
    if (p.severity === 'error') r.errors.push(problem(p));
    else if (p.severity === 'warn') r.warnings.push(problem(p));
  }
  return r;
}

// The JSON documents of a text holding several, one after the other; null if it does not parse.
function documents(text) {
  const docs = [];
  let depth = 0, start = -1, inString = false, escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}' && --depth === 0) {
      try {
        docs.push(JSON.parse(text.slice(start, i + 1)));
      } catch (_) {
        return null;
      }
    }
  }
  return depth === 0 ? docs : null;
}

function redocly(batch) {
  const args = [redoclyBin, 'lint', '--config', config, '--extends=minimal', '--format=json', '--max-problems=1000000', ...batch];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { env, maxBuffer: 1 << 30 }, (err, stdout, stderr) => resolve({ err, stdout, stderr }));
  });
}

// One report per file of the batch, or null when redocly's output does not match the batch:
// a document per file, in order, each problem in the file it belongs to (or in a fragment of
// a multi-file spec, which a batch of one file allows).
async function lintBatch(batch) {
  // Exit 1 only means "problems found"; anything unparseable is a failure of redocly itself.
  const { err, stdout, stderr } = await redocly(batch);
  const docs = documents(stdout);
  if (docs && docs.length === batch.length) {
    const own = (doc, file) =>
      batch.length === 1 ||
      (doc.problems || []).every((p) => {
        const ref = p.location && p.location[0] && p.location[0].source && p.location[0].source.ref;
        return typeof ref !== 'string' || path.resolve(ref) === path.resolve(file);
      });
    if (docs.every((doc, i) => own(doc, batch[i]))) return docs.map((doc, i) => report(batch[i], doc));
  }
  if (batch.length > 1) return null;
  const why = (stderr || '').split('\n').filter((l) => !/[║╔╚]/.test(l) && !/^validating /.test(l)).join('\n').trim();
  return [failed(batch[0], why || (err ? String(err.message) : 'redocly printed no JSON'))];
}

async function lint(batch) {
  const present = batch.filter((f) => existsSync(f));
  const together = present.length > 0 ? await lintBatch(present) : [];
  const byFile = new Map();
  for (const r of together || []) byFile.set(r.file, r);
  const out = [];
  for (const file of batch) {
    if (!existsSync(file)) out.push(failed(file, `no such file: ${file}`));
    else if (byFile.has(file)) out.push(byFile.get(file));
    else out.push((await lintBatch([file]))[0]);
  }
  return out;
}

const workers = Math.max(1, Math.min(files.length, os.availableParallelism ? os.availableParallelism() : 2));
const size = Math.max(1, Math.min(25, Math.ceil(files.length / workers)));
const batches = [];
for (let i = 0; i < files.length; i += size) batches.push(files.slice(i, i + size));
const results = new Array(batches.length);
let next = 0;
await Promise.all(
  Array.from({ length: Math.min(workers, batches.length) }, async () => {
    while (next < batches.length) {
      const i = next++;
      results[i] = await lint(batches[i]);
    }
  }),
);
const reports = results.flat();
process.stdout.write(JSON.stringify(reports, null, 1) + '\n');
