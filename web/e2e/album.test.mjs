// web/e2e/album.test.mjs — 앨범 in the browser: an upload of a real PNG shows its progress
// (upload throttled through CDP so the bar moves), its thumbnail appears and loads, the
// viewer opens with a like button, the other member sees the photo, and a file that is not
// an image gets the API's 415 message. Runs once the album API answers (t/700-browser.t).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync, crc32 } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { launch, loggedInContext, assertClean, axe, apiSignup, call, uniq, eventually, rerender, BASE, join } from './lib.mjs';

let browser, A, B, cid;

// A real PNG of random pixels (w×h RGB): it does not compress, so it is about 3·w·h bytes.
function png(w, h) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32c(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 2;
  const rows = [];
  for (let y = 0; y < h; y++) rows.push(Buffer.from([0]), randomBytes(w * 3));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}
function crc32c(buf) {
  if (typeof crc32 === 'function') return crc32(buf) >>> 0;
  let c, crc = 0xffffffff;
  for (const b of buf) { c = (crc ^ b) & 0xff; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; crc = (crc >>> 8) ^ c; }
  return (crc ^ 0xffffffff) >>> 0;
}

before(async () => {
  browser = await launch();
  const [a, b] = await Promise.all([apiSignup('사진가'), apiSignup('구경꾼')]);
  const c = await call('POST', '/communities', { name: uniq('사진모임'), description: '출사', region: '부산', interest: 'photo', max_members: 10 }, a.access_token);
  assert.equal(c.status, 201);
  cid = c.json.id;
  assert.equal((await join(cid, b.access_token)).status, 201);
  [A, B] = await Promise.all([loggedInContext(browser, a), loggedInContext(browser, b)]);
});
after(async () => { for (const u of [A, B]) await u?.context.close(); await browser?.close(); });

test('an upload shows progress, then its thumbnail; the viewer likes it', { timeout: 60_000 }, async () => {
  const p = A.page;
  await p.goto(`${BASE}/c/${cid}/album`);
  await p.getByText('사진 올리기', { exact: true }).first().click();
  const file = png(300, 300);
  await p.getByLabel('사진 파일').setInputFiles({ name: '북한산.png', mimeType: 'image/png', buffer: file });
  await p.getByLabel('설명').fill('정상에서');
  await p.evaluate(() => {
    window.__prog = [];
    const bar = document.getElementById('upload-progress');
    new MutationObserver(() => window.__prog.push(Number(bar.getAttribute('value')))).observe(bar, { attributes: true, attributeFilter: ['value'] });
  });
  const cdp = await p.context().newCDPSession(p);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 400 * 1024 });
  await axe(p, 'album upload form');
  await p.getByRole('button', { name: '사진 올리기' }).click();
  const thumb = p.locator('ul.grid img').first();
  await thumb.waitFor({ timeout: 30_000 });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  const prog = await p.evaluate(() => window.__prog);
  assert.ok(prog.some((v) => v > 0 && v < 100), `the bar showed partial progress: ${prog.join(',')}`);
  await eventually(() => thumb.evaluate((img) => img.complete && img.naturalWidth > 0));
  await axe(p, 'album grid');
  await p.locator('button.thumb').first().click();
  const viewer = p.locator('dialog.viewer');
  await viewer.locator('img.full').waitFor();
  await eventually(() => viewer.locator('img.full').evaluate((img) => img.complete && img.naturalWidth > 0));
  assert.equal(await viewer.locator('.caption').textContent(), '정상에서');
  await viewer.getByRole('button', { name: /좋아요/ }).click();
  await viewer.getByRole('button', { name: /좋아요/, pressed: true }).waitFor();
  assert.equal(await viewer.locator('.like .count').textContent(), '1');
  await axe(p, 'photo viewer');
  await viewer.getByRole('button', { name: '닫기' }).click();
});

test('the other member sees the photo; a non-image gets the API message', { timeout: 60_000 }, async () => {
  const p = B.page;
  await p.goto(`${BASE}/c/${cid}/album`);
  await eventually(async () => {
    await rerender(p);
    return (await p.locator('ul.grid img').count()) === 1;
  }, 20_000, 500);
  await eventually(() => p.locator('ul.grid img').first().evaluate((img) => img.complete && img.naturalWidth > 0));
  await p.getByText('사진 올리기', { exact: true }).first().click();
  await p.getByLabel('사진 파일').setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('not a picture at all') });
  const res = p.waitForResponse((r) => r.url().includes('/photos') && r.request().method() === 'POST');
  await p.getByRole('button', { name: '사진 올리기' }).click();
  const r = await res;
  assert.equal(r.status(), 415);
  const msg = (await r.json()).error.message;
  await p.getByRole('alert').filter({ hasText: msg }).waitFor();
});

test('no CSP violation in the album', async () => { await assertClean(A); await assertClean(B); });
