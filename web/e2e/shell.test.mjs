// web/e2e/shell.test.mjs — how nginx serves the app: the security headers on every web
// answer (and the CSP's exact rules), index.html for deep links and /auth/callback, never
// cached, assets under the current version cached for a year and gzipped, the tests kept
// off the site, and the app shell's compressed size on a cold load (budget 80 KB).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import http from 'node:http';
import { launch, userContext, assertClean, axe, BASE } from './lib.mjs';

const WEB = process.env.SOMOIM_WEB || join(dirname(fileURLToPath(import.meta.url)), '..');

// A raw GET (fetch would undo the gzip and hide the header).
function get(path, headers = {}) {
  return new Promise((resolve, reject) => {
    http.get(BASE + path, { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

// The version dev/web-version computes: sha256 over "sha256  ./path" lines of web/app/.
function version() {
  const files = [];
  const walk = (d) => { for (const f of readdirSync(d)) { const p = join(d, f); if (statSync(p).isDirectory()) walk(p); else files.push(p); } };
  const app = join(WEB, 'app');
  walk(app);
  const lines = files.map((p) => './' + relative(app, p)).sort()
    .map((r) => createHash('sha256').update(readFileSync(join(app, r))).digest('hex') + '  ' + r + '\n').join('');
  return createHash('sha256').update(lines).digest('hex').slice(0, 12);
}

const CSP = {
  'default-src': ["'self'"], 'script-src': ["'self'"], 'style-src': ["'self'"], 'connect-src': ["'self'"],
  'frame-ancestors': ["'none'"], 'object-src': ["'none'"], 'base-uri': ["'none'"],
};
function checkSecurity(h, what) {
  const csp = Object.fromEntries((h['content-security-policy'] || '').split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([k, ...v]) => [k, v]));
  for (const [k, v] of Object.entries(CSP)) assert.deepEqual(csp[k], v, `${what}: CSP ${k}`);
  for (const v of Object.values(csp)) assert.ok(!v.some((x) => /unsafe|\*/.test(x)), `${what}: no unsafe-* or wildcard in the CSP`);
  assert.equal(h['x-content-type-options'], 'nosniff', `${what}: nosniff`);
  assert.equal(h['referrer-policy'], 'same-origin', `${what}: Referrer-Policy`);
  assert.match(h['x-request-id'] || '', /^[0-9a-f]{32}$/, `${what}: X-Request-Id kept`);
}

test('index.html, deep links and /auth/callback: the shell, never cached, strict headers', async () => {
  const home = await get('/');
  assert.equal(home.status, 200);
  assert.match(home.headers['content-type'], /^text\/html; charset=utf-8/);
  checkSecurity(home.headers, '/');
  assert.equal(home.headers['cache-control'], 'no-cache', 'index.html is revalidated every time');
  assert.equal(home.headers['x-frame-options'], 'DENY');
  for (const p of ['/auth/callback?code=x&state=y', '/c/1/board', '/posts/5', '/me', '/notifications']) {
    const r = await get(p);
    assert.equal(r.status, 200, `${p} answers`);
    assert.deepEqual(r.body, home.body, `${p} is index.html`);
    checkSecurity(r.headers, p);
  }
  const html = home.body.toString();
  assert.ok(!/<script(?![^>]*\bsrc=)[^>]*>/i.test(html), 'no inline script in index.html');
  assert.ok(!/\sstyle=|\son[a-z]+=/i.test(html), 'no inline style or handler attributes');
});

test('assets: the current version, a year of cache, gzip; the tests are not served', async () => {
  const v = version();
  const html = (await get('/')).body.toString();
  assert.ok(html.includes(`/assets/${v}/main.js`), `index.html names the current version ${v} (run dev/web-version)`);
  const modules = [];
  const walk = (d, pre) => { for (const f of readdirSync(d)) { const p = join(d, f); if (statSync(p).isDirectory()) walk(p, pre + f + '/'); else if (f.endsWith('.js')) modules.push(pre + f); } };
  walk(join(WEB, 'app'), '');
  const preloaded = [...html.matchAll(/<link rel="modulepreload" href="\/assets\/[0-9a-f]{12}\/([^"]+)">/g)].map((m) => m[1]);
  assert.deepEqual(preloaded.sort(), modules.sort(), 'every module is preloaded (one round trip for the import graph)');
  const js = await get(`/assets/${v}/main.js`, { 'Accept-Encoding': 'gzip' });
  assert.equal(js.status, 200);
  assert.match(js.headers['content-type'], /javascript/);
  assert.equal(js.headers['content-encoding'], 'gzip');
  assert.match(js.headers['cache-control'], /max-age=31536000/);
  assert.match(js.headers['cache-control'], /immutable/);
  checkSecurity(js.headers, 'main.js');
  assert.deepEqual(gunzipSync(js.body), readFileSync(join(WEB, 'app/main.js')), 'served main.js is web/app/main.js');
  const view = await get(`/assets/${v}/views/board.js`);
  assert.equal(view.status, 200, 'modules in views/ are served');
  for (const p of ['/assets/nothex/main.js', `/assets/${v}/../index.html`, `/assets/${v}/nope.js`, '/e2e/package.json', '/e2e/core.test.mjs'])
    assert.equal((await get(p)).status, 404, `${p} is 404`);
  const sw = await get('/sw.js');
  assert.equal(sw.status, 200);
  assert.match(sw.headers['content-type'], /javascript/);
  assert.equal(sw.headers['cache-control'], 'no-cache', 'the service worker is never cached');
  assert.equal((await get('/favicon.ico')).status, 200);
});

test('the app shell is at most 80 KB compressed on a cold load, and clean', async () => {
  const browser = await launch();
  try {
    const u = await userContext(browser);
    await u.page.goto(BASE + '/');
    await u.page.getByRole('heading', { name: '추천 모임' }).waitFor();
    await u.page.waitForLoadState('load');
    const bytes = await u.page.evaluate(() => {
      const own = (e) => !new URL(e.name).pathname.startsWith('/api/');
      const nav = performance.getEntriesByType('navigation')[0];
      return nav.transferSize + performance.getEntriesByType('resource').filter(own).reduce((s, e) => s + e.transferSize, 0);
    });
    console.log(`# app shell cold: ${bytes} bytes transferred`);
    assert.ok(bytes > 5000 && bytes <= 80 * 1024, `shell ${bytes} bytes ≤ 80 KB`);
    await axe(u.page, 'home (logged out)');
    await assertClean(u);
  } finally { await browser.close(); }
});
