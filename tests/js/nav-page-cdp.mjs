// Drives `hookbridge nav --html` pages in headless Chromium over the DevTools protocol
// (`--remote-debugging-pipe`, no npm dependency): real mouse clicks and typing, then reads what
// the details pane shows. Usage: node nav-page-cdp.mjs CHROMIUM STEPS.json > results.json
// STEPS.json: {"page": "/abs/page.html", "steps": [{"click": id} | {"view": "asyncapi"} |
// {"clickRef": text} | {"filter": text} | {"screenshot": path, "width": w, "height": h}]}
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [bin, stepsFile] = process.argv.slice(2);
const spec = JSON.parse(readFileSync(stepsFile, 'utf8'));
const profile = mkdtempSync(join(tmpdir(), 'nav-cdp-'));
const chrome = spawn(bin, ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--remote-debugging-pipe', `--user-data-dir=${profile}`, '--window-size=1200,800', 'about:blank'],
{ stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
const toChrome = chrome.stdio[3], fromChrome = chrome.stdio[4];
let next = 0, buf = '';
const pending = new Map();
fromChrome.setEncoding('utf8');
fromChrome.on('data', (chunk) => {
  buf += chunk;
  for (let i; (i = buf.indexOf('\0')) >= 0;) {
    const msg = JSON.parse(buf.slice(0, i));
    buf = buf.slice(i + 1);
    const p = pending.get(msg.id);
    if (!p) continue;
    pending.delete(msg.id);
    if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}`)); else p.resolve(msg.result);
  }
});
function send(method, params = {}, sessionId) {
  const id = ++next;
  toChrome.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject, method }));
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
  const s = (m, p) => send(m, p, sessionId);
  const evaluate = async (expr) => {
    const r = await s('Runtime.evaluate', { expression: expr, returnByValue: true, awaitPromise: true });
    if (r.exceptionDetails) throw new Error(`${expr}: ${r.exceptionDetails.text}`);
    return r.result.value;
  };
  await s('Emulation.setDeviceMetricsOverride', { width: 1200, height: 800, deviceScaleFactor: 1, mobile: false });
  await s('Page.navigate', { url: pathToFileURL(spec.page).href });
  for (let i = 0; i < 600 && (await evaluate('document.readyState')) !== 'complete'; i++) await sleep(50);
  // The centre of the first element matching `selector` (scrolled into view), or null.
  const centre = (selector) => evaluate(`(() => { const e = document.querySelector(${JSON.stringify(selector)});
    if (!e) return null; let p = e; while ((p = p.parentElement)) if (p.tagName === 'DETAILS') p.open = true;
    e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();
    if (!r.width || !r.height) return null;
    return {x: r.left + Math.min(r.width / 2, 40), y: r.top + r.height / 2}; })()`);
  const click = async (selector) => {
    const at = await centre(selector);
    if (!at) return false;
    for (const type of ['mousePressed', 'mouseReleased']) {
      await s('Input.dispatchMouseEvent', { type, x: at.x, y: at.y, button: 'left', clickCount: 1 });
    }
    await sleep(30);
    return true;
  };
  const pane = () => evaluate(`(() => { const d = document.getElementById('details'), q = (c) => d.querySelector(c);
    const all = (c) => Array.from(d.querySelectorAll(c)).map((e) => e.textContent);
    return { selected: d.dataset.selected || null, kind: d.dataset.kind || null, view: d.dataset.view || null,
      title: q('h2') && q('h2').textContent, summary: q('.summary') && q('.summary').textContent,
      address: q('.address') && q('.address').textContent, headings: all('h3'), views: all('.views button'),
      properties: all('.prop'), fields: all('.schema-tree > ul > li > ul > li > .prop'), refs: all('a.ref'), example: q('pre.example') && q('pre.example').textContent,
      note: all('p.note'), selectedEntries: document.querySelectorAll('#nav li.selected').length }; })()`);
  const results = [];
  for (const step of spec.steps) {
    if (step.click !== undefined) {
      const ok = await click(`button.entry[data-id="${step.click.replace(/["\\]/g, '\\$&')}"]`);
      results.push({ step, clicked: ok, pane: await pane() });
    } else if (step.view !== undefined) {
      const ok = await click(`#details .views button[data-view="${step.view}"]`);
      results.push({ step, clicked: ok, pane: await pane() });
    } else if (step.clickRef !== undefined) {
      const ok = await evaluate(`(() => { const a = Array.from(document.querySelectorAll('#details a.ref')).find((a) => a.textContent === ${JSON.stringify(step.clickRef)});
        if (!a) return false; a.setAttribute('data-cdp', '1'); return true; })()`) && await click('#details a.ref[data-cdp="1"]');
      results.push({ step, clicked: ok, pane: await pane() });
    } else if (step.filter !== undefined) {
      await click('#filter');
      await evaluate(`document.getElementById('filter').select()`);
      await s('Input.insertText', { text: step.filter });
      await sleep(50);
      const visible = await evaluate(`Array.from(document.querySelectorAll('#nav li')).filter((li) => li.offsetParent !== null)
        .map((li) => li.dataset.id)`);
      results.push({ step, visible, count: await evaluate(`document.getElementById('count').textContent`) });
    } else if (step.screenshot !== undefined) {
      await s('Emulation.setDeviceMetricsOverride', { width: step.width || 1200, height: step.height || 800, deviceScaleFactor: 1, mobile: false });
      await sleep(50);
      const { data } = await s('Page.captureScreenshot', { format: 'png' });
      writeFileSync(step.screenshot, Buffer.from(data, 'base64'));
      results.push({ step, bytes: Buffer.from(data, 'base64').length });
    }
  }
  const network = await evaluate(`performance.getEntriesByType('resource').map((e) => e.name)`);
  return { results, network };
}

main().then((out) => {
  process.stdout.write(JSON.stringify(out));
}, (e) => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exitCode = 1;
}).finally(() => {
  // The profile goes once Chromium has exited (it writes there until then).
  const done = () => {
    try { rmSync(profile, { recursive: true, force: true, maxRetries: 5 }); } catch { /* a temp dir */ }
    process.exit();
  };
  chrome.once('exit', done);
  send('Browser.close').catch(() => {});
  setTimeout(() => chrome.kill('SIGKILL'), 3000).unref();
});
