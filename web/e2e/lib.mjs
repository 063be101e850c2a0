// web/e2e/lib.mjs — what every browser test file shares: the stack's URL, one Chromium per
// file (Debian's, never a download), contexts for users with Korean locale and Seoul time,
// sign-up shortcuts through the API for users whose sign-up is not under test, the CSP
// violation recorder, axe-core injected with evaluate (the page's strict CSP blocks
// script tags) and an expired-but-genuine access token made with the stack's JWT secret.

import { createRequire } from 'node:module';
import { readFileSync, mkdirSync } from 'node:fs';
import { createHmac, randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
export const BASE = (process.env.SOMOIM_URL || 'http://127.0.0.1:18000').replace(/\/+$/, '');
export const ORIGIN = new URL(BASE).origin;
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    env: { ...process.env, LANGUAGE: 'ko' },
  });
  console.log(`# chromium ${browser.version()}`);
  return browser;
}

// A new user context: {context, page, csp: [], errors: []}. Every CSP violation and page
// error is recorded; assertClean() fails the test on any.
export async function userContext(browser, opts = {}) {
  const context = await browser.newContext({ locale: 'ko-KR', timezoneId: 'Asia/Seoul',
    viewport: { width: 390, height: 844 }, ...opts });
  context.setDefaultTimeout(15_000);
  await context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(
      { dir: e.effectiveDirective, blocked: e.blockedURI, src: e.sourceFile, line: e.lineNumber }));
  });
  const page = await context.newPage();
  const u = { context, page, csp: [], errors: [] };
  page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy/.test(m.text())) u.csp.push(m.text()); });
  page.on('pageerror', (e) => u.errors.push(String(e)));
  return u;
}

export async function assertClean(u) {
  assert.deepEqual(await u.page.evaluate(() => window.__csp || []), [], 'no CSP violation events');
  assert.deepEqual(u.csp, [], 'no CSP errors in the console');
  assert.deepEqual(u.errors, [], 'no uncaught page errors');
}

// axe-core on the current page: fails on any serious or critical violation.
export async function axe(page, what) {
  await page.evaluate(AXE);
  const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(bad, [], `axe on ${what}: no serious or critical violations`);
}

export const uniq = (p = 'u') => `${p}${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

export async function call(method, path, body, token) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = 'Bearer ' + token;
  const res = await fetch(BASE + '/api/v1' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: res.status, json, headers: res.headers };
}

// Joins a community as the holder of token.  A community is known to the member service a
// moment after it is created (its copy comes by event): until then the join is 404.
export async function join(cid, token) {
  return callUntil('POST', `/communities/${cid}/members`, undefined, token, 201);
}

// call(), retried for up to 30 s while it answers 403 or 404 instead of want: a service
// learns of a new community or member by event, a moment after the write that made it
// (the board of a new member's post, the chat of a new community).  Returns the last
// response.
export async function callUntil(method, path, body, token, want) {
  const end = Date.now() + 30_000;
  for (;;) {
    const r = await call(method, path, body, token);
    if (r.status === want || (r.status !== 403 && r.status !== 404) || Date.now() > end) return r;
    await new Promise((ok) => setTimeout(ok, 200));
  }
}

// Signs a user up through the API: {user, access_token, refresh_token, email, password}.
export async function apiSignup(name, interests = ['hiking']) {
  const email = uniq('e2e') + '@example.com', password = 'password-' + uniq('p');
  const r = await call('POST', '/auth/signup', { email, password, name, interests, region: '서울' });
  assert.equal(r.status, 201, 'API sign-up: ' + JSON.stringify(r.json));
  return { ...r.json, email, password };
}

// A context already logged in as an API-made user: the app restores the session from the
// refresh token it keeps in localStorage, as after a reload.
export async function loggedInContext(browser, acct) {
  const u = await userContext(browser);
  await u.context.addInitScript((rt) => { if (!sessionStorage.getItem('seeded')) { sessionStorage.setItem('seeded', '1'); localStorage.setItem('somoim.refresh', rt); } }, acct.refresh_token);
  return u;
}

function confValue(section, key) {
  const env = `SOMOIM_${section}_${key}`.toUpperCase();
  if (process.env[env]) return process.env[env];
  const text = readFileSync(process.env.SOMOIM_CONF, 'utf8');
  let cur = '';
  for (const line of text.split('\n')) {
    const s = line.replace(/[;#].*$/, '').trim();
    const m = /^\[(.+)\]$/.exec(s);
    if (m) { cur = m[1].trim().toLowerCase(); continue; }
    const kv = /^([^=]+?)\s*=\s*(.*)$/.exec(s);
    if (kv && cur === section && kv[1].toLowerCase() === key) return kv[2];
  }
  return undefined;
}

// The same token with its lifetime moved into the past, signed with the stack's key: the
// API answers it 401 TOKEN_EXPIRED, as it would a token fifteen minutes old.
export function expire(token) {
  const [hd, pl] = token.split('.');
  const claims = JSON.parse(Buffer.from(pl, 'base64url').toString());
  const now = Math.floor(Date.now() / 1000);
  claims.iat = now - 2000;
  claims.exp = now - 60;
  claims.jti = uniq('exp');
  const input = hd + '.' + Buffer.from(JSON.stringify(claims)).toString('base64url');
  const sig = createHmac('sha256', confValue('jwt', 'secret')).update(input).digest('base64url');
  return input + '.' + sig;
}

export async function shot(page, name) {
  mkdirSync('test-results', { recursive: true });
  await page.screenshot({ path: `test-results/${name.replace(/\W+/g, '_')}.png`, fullPage: true }).catch(() => {});
}

// Draws the current screen again through the app's router (no page load). Tests wait for
// the read model this way, not with reload(): every load restores the session with the
// single-use refresh token, and a reload that interrupts that refresh loses the new token,
// so the next load presents a spent one and the server revokes the login.
export async function rerender(page) {
  await page.evaluate(() => { history.replaceState(null, '', location.href); dispatchEvent(new PopStateEvent('popstate')); });
  await page.waitForFunction(() => !document.getElementById('main').hasAttribute('aria-busy'));
}

// Polls fn until it returns a truthy value (the read model trails writes by a moment).
export async function eventually(fn, ms = 20_000, every = 300) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    try { last = await fn(); if (last) return last; } catch (e) { last = e; }
    if (Date.now() > end) throw new Error('eventually: gave up; last: ' + (last && last.message ? last.message : JSON.stringify(last)));
    await new Promise((r) => setTimeout(r, every));
  }
}
