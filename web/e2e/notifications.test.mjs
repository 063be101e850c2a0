// web/e2e/notifications.test.mjs — 알림 in the browser. When A comments on B's post, B's
// header shows the unread badge and the feed lists the comment. "Turn on push" registers
// the service worker and sends the subscription to the API: PushManager.subscribe is
// stubbed (a real one needs the browser vendor's push service) with a subscription whose
// endpoint is a receiver in this test and whose keys are real P-256/auth keys made here,
// so the API's encrypted Web Push (RFC 8291, VAPID) is caught, decrypted independently
// and handed to the service worker through CDP ServiceWorker.deliverPushMessage. The
// worker shows it with the notification id as tag; the same push again replaces it; a
// click opens its link. Runs once the notification API answers.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createECDH, randomBytes, hkdfSync, createDecipheriv } from 'node:crypto';
import { launch, loggedInContext, assertClean, axe, apiSignup, call, uniq, eventually, rerender, BASE, ORIGIN, join, callUntil } from './lib.mjs';

let browser, A, B, a, b, cid, pid, receiver, got = [];
const ua = createECDH('prime256v1');
ua.generateKeys();
const authSecret = randomBytes(16);

// RFC 8291 / RFC 8188 aes128gcm, one record: the payload as the browser would see it.
function decrypt(body) {
  const salt = body.subarray(0, 16);
  const idlen = body[20];
  const asPublic = body.subarray(21, 21 + idlen);
  const ct = body.subarray(21 + idlen);
  const ecdh = ua.computeSecret(asPublic);
  const info = Buffer.concat([Buffer.from('WebPush: info\0'), ua.getPublicKey(), asPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdh, authSecret, info, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const d = createDecipheriv('aes-128-gcm', cek, nonce);
  d.setAuthTag(ct.subarray(ct.length - 16));
  const plain = Buffer.concat([d.update(ct.subarray(0, ct.length - 16)), d.final()]);
  let end = plain.length - 1;
  while (end >= 0 && plain[end] === 0) end--;
  assert.equal(plain[end], 2, 'last-record delimiter');
  return JSON.parse(plain.subarray(0, end).toString('utf8'));
}

before(async () => {
  receiver = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => { got.push({ headers: req.headers, body: Buffer.concat(chunks), url: req.url }); res.writeHead(201).end(); });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  browser = await launch();
  [a, b] = await Promise.all([apiSignup('댓글러'), apiSignup('글쓴이')]);
  const c = await call('POST', '/communities', { name: uniq('알림모임'), description: '알림', region: '광주', interest: 'books', max_members: 10 }, a.access_token);
  cid = c.json.id;
  assert.equal((await join(cid, b.access_token)).status, 201);
  const p = await callUntil('POST', `/communities/${cid}/posts`, { title: '책 추천 받아요', body: '요즘 읽을 책' }, b.access_token, 201);
  assert.equal(p.status, 201);
  pid = p.json.id;
  A = await loggedInContext(browser, a);
  B = await loggedInContext(browser, b);
  await B.context.grantPermissions(['notifications'], { origin: ORIGIN });
  const sub = { endpoint: `http://127.0.0.1:${receiver.address().port}/push/${uniq('s')}`,
    keys: { p256dh: ua.getPublicKey().toString('base64url'), auth: authSecret.toString('base64url') } };
  await B.context.addInitScript((s) => {
    const fake = { endpoint: s.endpoint, expirationTime: null, options: { userVisibleOnly: true },
      toJSON: () => ({ endpoint: s.endpoint, expirationTime: null, keys: s.keys }), unsubscribe: async () => true };
    let made = false;
    if (self.PushManager) {
      PushManager.prototype.subscribe = async () => { made = true; return fake; };
      PushManager.prototype.getSubscription = async () => (made ? fake : null);
    }
  }, sub);
});
after(async () => { for (const u of [A, B]) await u?.context.close(); await browser?.close(); receiver?.close(); });

test('A comments on B\'s post: B sees the unread badge and the notification in the feed', { timeout: 40_000 }, async () => {
  const p = B.page;
  await p.goto(BASE + '/');
  await A.page.goto(`${BASE}/posts/${pid}`);
  await A.page.getByLabel('댓글을 입력하세요').fill('이 책 좋아요: 토지');
  await A.page.getByRole('button', { name: '댓글 달기' }).click();
  await A.page.locator('.comment .text', { hasText: '토지' }).waitFor();
  const want = await eventually(async () => {
    const r = await call('GET', '/notifications', undefined, b.access_token);
    return r.json.items.find((n) => n.type === 'comment');
  }, 15_000);
  await eventually(async () => { await rerender(p); return (await p.locator('#unread').isVisible()) && Number(await p.locator('#unread').textContent()) >= 1; }, 20_000, 500);
  const count = (await call('GET', '/notifications/unread-count', undefined, b.access_token)).json.count;
  assert.equal(await p.locator('#unread').textContent(), String(count), 'the badge is the API\'s unread count');
  await p.getByRole('link', { name: /알림/ }).click();
  await p.locator('li.note', { hasText: want.title }).waitFor();
  await axe(p, 'notifications');
});

test('turn on push: the subscription reaches the API; a comment arrives as an encrypted push', { timeout: 60_000 }, async () => {
  const p = B.page;
  const posted = p.waitForResponse((r) => r.url().endsWith('/api/v1/push/subscriptions') && r.request().method() === 'POST');
  await p.getByRole('button', { name: '푸시 알림 켜기' }).click();
  assert.equal((await posted).status(), 201);
  await p.getByRole('button', { name: '푸시 알림이 켜졌습니다' }).waitFor();
  got = [];
  assert.equal((await call('POST', `/posts/${pid}/comments`, { body: '두 번째 추천: 혼불' }, a.access_token)).status, 201);
  const msg = await eventually(() => got.find((g) => g.url.startsWith('/push/')), 20_000);
  assert.equal(msg.headers['content-encoding'], 'aes128gcm');
  assert.match(msg.headers.authorization || '', /^vapid t=[^,]+, ?k=/);
  const payload = decrypt(msg.body);
  assert.equal(payload.type, 'comment');
  for (const k of ['title', 'body', 'link']) assert.equal(typeof payload[k], 'string', `payload.${k}`);
  S.payload = payload;
});
const S = {};

test('the service worker shows the push with the notification id as tag, replaces it, opens its link', { timeout: 40_000 }, async () => {
  const p = B.page;
  const feed = await call('GET', '/notifications', undefined, b.access_token);
  const n = feed.json.items.find((x) => x.type === 'comment' && x.title === S.payload.title) || feed.json.items[0];
  const payload = { ...S.payload, id: S.payload.id ?? n.id };
  const cdp = await B.context.newCDPSession(p);
  const reg = new Promise((res) => cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => {
    const r = e.registrations.find((x) => x.scopeURL === ORIGIN + '/' && !x.isDeleted);
    if (r) res(r);
  }));
  await cdp.send('ServiceWorker.enable');
  const { registrationId } = await reg;
  const deliver = () => cdp.send('ServiceWorker.deliverPushMessage', { origin: ORIGIN, registrationId, data: JSON.stringify(payload) });
  const tag = String(payload.id);
  const shown = () => p.evaluate(async (tg) => (await (await navigator.serviceWorker.ready).getNotifications({ tag: tg }))
    .map((x) => ({ title: x.title, body: x.body, tag: x.tag, link: x.data && x.data.link })), tag);
  await deliver();
  const one = await eventually(async () => { const s = await shown(); return s.length === 1 && s; });
  assert.deepEqual(one[0], { title: payload.title, body: payload.body, tag, link: payload.link });
  await deliver();
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await shown()).length, 1, 'the same tag replaces the first');
  const sw = B.context.serviceWorkers()[0] || await B.context.waitForEvent('serviceworker');
  const nav = p.waitForURL((u) => u.pathname === new URL(payload.link, ORIGIN).pathname, { timeout: 10_000 });
  await sw.evaluate(async (tg) => {
    const [nt] = await self.registration.getNotifications({ tag: tg });
    self.dispatchEvent(new NotificationEvent('notificationclick', { notification: nt }));
  }, tag);
  await nav;
});

test('no CSP violation with notifications', async () => { await assertClean(A); await assertClean(B); });
