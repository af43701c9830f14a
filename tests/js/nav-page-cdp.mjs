// Drives `hookbridge nav --html` pages in headless Chromium over the DevTools protocol
// (`--remote-debugging-pipe`, no npm dependency): real mouse clicks and typing, then reads what
// the details pane shows. Usage: node nav-page-cdp.mjs CHROMIUM STEPS.json > results.json
// STEPS.json: {"page": "/abs/page.html", "steps": [{"click": id} | {"view": "asyncapi"} |
// {"clickRef": text} | {"filter": text} | {"inspect": id} | {"screenshot": path, "width": w, "height": h}]}
// ("inspect": the tree entries the entry sits in, outermost first, and its label badges as shown)
// or {"serve": "/abs/build/dir", "steps": [{"goto": "/path#anchor"}, ...]}: serves a static site
// build (Docusaurus: /a/b is a/b/index.html) on a free local port and reads each page's h1.
// With "scripts": false, every page is loaded with scripts off: the server-rendered page.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, statSync } from 'node:fs';
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

// A static server for a site build: file, dir/index.html, path.html, else 404.html (404).
function serve(root) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const base = join(root, path.replace(/\.\.+/g, ''));
    const found = [base, join(base, 'index.html'), `${base}.html`]
      .find((p) => existsSync(p) && statSync(p).isFile());
    const type = (p) => ({ html: 'text/html', js: 'text/javascript', css: 'text/css', svg: 'image/svg+xml', json: 'application/json' })[p.split('.').pop()] || 'application/octet-stream';
    const file = found || join(root, '404.html');
    res.writeHead(found ? 200 : 404, { 'content-type': type(file) });
    res.end(existsSync(file) ? readFileSync(file) : '');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function main() {
  const server = spec.serve ? await serve(spec.serve) : null;
  const origin = server ? `http://127.0.0.1:${server.address().port}` : null;
  const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
  const s = (m, p) => send(m, p, sessionId);
  const evaluate = async (expr) => {
    const r = await s('Runtime.evaluate', { expression: expr, returnByValue: true, awaitPromise: true });
    if (r.exceptionDetails) throw new Error(`${expr}: ${r.exceptionDetails.text}`);
    return r.result.value;
  };
  await s('Emulation.setDeviceMetricsOverride', { width: 1200, height: 800, deviceScaleFactor: 1, mobile: false });
  const load = async (url) => {
    await s('Page.navigate', { url });
    await sleep(30);
    for (let i = 0; i < 600 && (await evaluate('document.readyState')) !== 'complete'; i++) await sleep(50);
  };
  if (spec.scripts === false) await s('Emulation.setScriptExecutionDisabled', { value: true });
  if (spec.page) await load(pathToFileURL(spec.page).href);
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
  // The page's main heading once it shows (not one marked as the previous page's), whether
  // the URL's anchor exists, and whether the site shows its 404 page.
  const heading = async (tries) => {
    let page = null;
    for (let i = 0; i < tries; i++) {
      page = await evaluate(`(() => { const h = document.querySelector('article h1:not([data-cdp-old]), main h1:not([data-cdp-old]), h1:not([data-cdp-old])');
        const hash = decodeURIComponent(location.hash.slice(1));
        return { h1: h && h.textContent, title: document.title, path: location.pathname,
          anchor: hash ? !!document.getElementById(hash) : null,
          notFound: /Page Not Found/i.test(document.body.innerText) }; })()`);
      if (page.h1 && page.anchor !== false) return page;
      await sleep(50);
    }
    return page;
  };
  let loaded = false;
  const results = [];
  for (const step of spec.steps) {
    if (step.goto !== undefined) {
      // After the first page, the site's own router moves (history.pushState and a popstate,
      // as the browser's back button does): a full load of a large site per entry is minutes.
      // A page whose heading does not show that way is loaded in full.
      const spa = loaded && spec.scripts !== false && await evaluate(`(() => {
        // Another page's heading is stale; the same page's (an anchor of it) is not.
        const to = new URL(${JSON.stringify(step.goto)}, location.href);
        if (to.pathname !== location.pathname) {
          document.querySelectorAll('h1').forEach((h) => h.setAttribute('data-cdp-old', '1'));
        }
        history.pushState(null, '', ${JSON.stringify(step.goto)});
        window.dispatchEvent(new PopStateEvent('popstate', { state: null }));
        return true; })()`);
      let page = spa ? await heading(60) : null;
      let via = 'router';
      if (!page || !page.h1) {
        await load(origin + step.goto);
        page = await heading(100);
        via = 'load';
      }
      loaded = true;
      results.push({ step, page, via });
      continue;
    }
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
    } else if (step.inspect !== undefined) {
      const found = await evaluate(`(() => { const li = document.querySelector('#nav li[data-id="${step.inspect.replace(/["\\]/g, '\\$&')}"]');
        if (!li) return null; const ancestors = [];
        for (let p = li.parentElement; p; p = p.parentElement) if (p.tagName === 'LI') ancestors.unshift(p.dataset.id);
        for (let p = li.parentElement; p; p = p.parentElement) if (p.tagName === 'DETAILS') p.open = true;
        const labels = Array.from(li.querySelectorAll(':scope > button.entry .tag-label, :scope > details > summary > button.entry .tag-label'))
          .map((e) => { const r = e.getBoundingClientRect(); return { text: e.textContent, kind: e.dataset.kind, shown: r.width > 0 && r.height > 0 }; });
        return { ancestors, labels }; })()`);
      results.push({ step, found });
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
  if (server) server.close();
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
