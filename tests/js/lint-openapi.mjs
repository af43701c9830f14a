#!/usr/bin/env node
// Lints OpenAPI documents with Redocly CLI's built-in `minimal` ruleset, as users run it:
//   redocly lint --config tests/js/redocly.yaml --extends=minimal --format=json FILE
//
// Usage: node tests/js/lint-openapi.mjs FILE...
//
// Redocly stops the whole run at the first file it cannot read or parse, and prints one JSON
// document per file, so each FILE gets its own redocly process (a few run at once).
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

function lint(file) {
  if (!existsSync(file)) return Promise.resolve(failed(file, `no such file: ${file}`));
  const args = [redoclyBin, 'lint', '--config', config, '--extends=minimal', '--format=json', '--max-problems=1000000', file];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { env, maxBuffer: 1 << 30 }, (err, stdout, stderr) => {
      // Exit 1 only means "problems found"; anything unparseable is a failure of redocly itself.
      let out;
      try {
        out = JSON.parse(stdout);
      } catch (_) {
        const why = (stderr || '').split('\n').filter((l) => !/[║╔╚]/.test(l) && !/^validating /.test(l)).join('\n').trim();
        resolve(failed(file, why || (err ? String(err.message) : 'redocly printed no JSON')));
        return;
      }
      const report = { file, errors: [], warnings: [] };
      for (const p of out.problems || []) {
        if (p.severity === 'error') report.errors.push(problem(p));
        else if (p.severity === 'warn') report.warnings.push(problem(p));
      }
      resolve(report);
    });
  });
}

const reports = new Array(files.length);
let next = 0;
const workers = Math.max(1, Math.min(files.length, os.availableParallelism ? os.availableParallelism() : 2));
await Promise.all(
  Array.from({ length: workers }, async () => {
    while (next < files.length) {
      const i = next++;
      reports[i] = await lint(files[i]);
    }
  }),
);
process.stdout.write(JSON.stringify(reports, null, 1) + '\n');
