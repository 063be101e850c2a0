// t/helpers/push-receiver/receiver.js — the tests' stand-in for a browser vendor's push
// service (the one honest stand-in: a service outside our world), on 127.0.0.1 only.
//
// It checks every push as a push service and a browser would, with code independent of
// ours: the VAPID token (RFC 8292) — ES256 signature verified by Node's crypto against
// the public key the API serves, header typ/alg, aud = this receiver's origin, exp in the
// future and at most 24 h away, a sub — the TTL header, Content-Encoding aes128gcm, the
// Topic's form, a body of at most 4096 bytes, and then decrypts the body with npm's
// http_ece (RFC 8188/8291) using the subscription's private key and auth secret.
//
// Usage: node receiver.js PORT VAPID_PUBLIC_KEY [fast]  (prints "ready" once listening)
//        node receiver.js PORT VAPID_PUBLIC_KEY tls CERT_PEM KEY_PEM CONTROL_PORT
// "fast" (bench/push only): every push to /push/<any> gets 201 unchecked; GET /stats
// gives {count, first_ms, last_ms} (POST /reset zeroes it), and /messages only the
// arrival times and Topic.
// "tls": pushes are served over HTTPS on PORT as push services do (FCM, Mozilla
// autopush): HTTP/2 offered by ALPN, HTTP/1.1 still allowed; endpoints and the VAPID
// aud are then https://127.0.0.1:PORT.  The control calls below are answered on both
// ports, CONTROL_PORT being plain HTTP for clients without TLS.  Every message records
// http_version ("2.0" or "1.1") and conn, a number per connection (an HTTP/2 session or
// an HTTP/1.1 socket), so a test can see the pushes were multiplexed.
// Control (JSON):
//   POST /subscribe {name}            → a browser-side subscription {endpoint, keys}
//   POST /behave {name, status, retry_after, count}
//                                     → the next `count` pushes to name get `status`
//                                       (count -1: every one from now on)
//   GET  /messages?name=N             → {messages: [{ok, errors, status, payload,
//                                       ttl, urgency, topic, at_ms}]}
'use strict';
const fs = require('fs');
const http = require('http');
const http2 = require('http2');
const crypto = require('crypto');
const ece = require('http_ece');

const port = parseInt(process.argv[2], 10);
const vapidKey = process.argv[3];
const fast = process.argv[4] === 'fast';
const tls = process.argv[4] === 'tls';
const origin = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
const conns = new WeakMap();    // HTTP/2 session or socket → its number
let nconns = 0;

function connOf(req) {
  const c = req.stream ? req.stream.session : req.socket;
  if (!conns.has(c)) conns.set(c, ++nconns);
  return conns.get(c);
}
const stats = { count: 0, first_ms: null, last_ms: null };
const subs = new Map();         // name → {ecdh, auth, behave: [{status, retry_after}], forever}
const messages = new Map();     // name → [message]

function b64u(buf) { return Buffer.from(buf).toString('base64url'); }

function vapidPublicKey(raw) {
  const pt = Buffer.from(raw, 'base64url');
  if (pt.length !== 65 || pt[0] !== 4) throw new Error('k is not an uncompressed P-256 point');
  return crypto.createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: b64u(pt.subarray(1, 33)), y: b64u(pt.subarray(33)) },
    format: 'jwk',
  });
}

function checkVapid(auth, errors) {
  const m = /^vapid t=([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+), k=([A-Za-z0-9_-]+)$/
    .exec(auth || '');
  if (!m) { errors.push('Authorization is not "vapid t=<jwt>, k=<key>"'); return; }
  const [, h, c, s, k] = m;
  if (k !== vapidKey) errors.push('k is not the served VAPID public key');
  let header, claims;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url'));
    claims = JSON.parse(Buffer.from(c, 'base64url'));
  } catch (e) { errors.push('JWT header or claims are not JSON'); return; }
  if (header.alg !== 'ES256' || header.typ !== 'JWT') errors.push('JWT header is not ES256/JWT');
  let verified = false;
  try {
    verified = crypto.verify('sha256', Buffer.from(`${h}.${c}`), {
      key: vapidPublicKey(vapidKey), dsaEncoding: 'ieee-p1363',
    }, Buffer.from(s, 'base64url'));
  } catch (e) { errors.push(`signature check failed: ${e.message}`); }
  if (!verified) errors.push('JWT signature does not verify with the served key');
  if (claims.aud !== origin) errors.push(`aud ${claims.aud} is not ${origin}`);
  const now = Math.floor(Date.now() / 1000);
  if (!(Number.isInteger(claims.exp) && claims.exp > now && claims.exp <= now + 86400))
    errors.push(`exp ${claims.exp} is not within the next 24 h`);
  if (typeof claims.sub !== 'string' || !/^(mailto:|https:)/.test(claims.sub))
    errors.push('sub is not a mailto: or https: contact');
}

function json(res, status, obj) {
  const body = JSON.stringify(obj);
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(body);
}

function onPush(name, req, body, res) {
  const sub = subs.get(name);
  if (!sub) { res.writeHead(404); res.end(); return; }
  const errors = [];
  const msg = { ok: false, errors, status: 201, at_ms: Date.now(),
    ttl: req.headers.ttl, urgency: req.headers.urgency, topic: req.headers.topic,
    http_version: req.httpVersion, conn: connOf(req) };
  if (req.method !== 'POST') errors.push(`method ${req.method}`);
  checkVapid(req.headers.authorization, errors);
  if (!/^\d+$/.test(req.headers.ttl || '')) errors.push('TTL header missing or not a number');
  if (req.headers.urgency && !/^(very-low|low|normal|high)$/.test(req.headers.urgency))
    errors.push('bad Urgency');
  if (req.headers.topic && !/^[A-Za-z0-9_-]{1,32}$/.test(req.headers.topic))
    errors.push('bad Topic');
  if (req.headers['content-encoding'] !== 'aes128gcm') errors.push('Content-Encoding is not aes128gcm');
  if (req.headers['content-type'] !== 'application/octet-stream')
    errors.push('Content-Type is not application/octet-stream');
  if (body.length > 4096) errors.push(`body of ${body.length} bytes exceeds 4096`);
  try {
    const plain = ece.decrypt(body, { version: 'aes128gcm', privateKey: sub.ecdh,
      authSecret: sub.auth.toString('base64url') });
    msg.payload = JSON.parse(plain.toString('utf8'));
  } catch (e) { errors.push(`http_ece cannot decrypt: ${e.message}`); }
  msg.ok = errors.length === 0;
  let status = msg.ok ? 201 : 400;
  const headers = {};
  if (msg.ok && (sub.forever || sub.behave.length > 0)) {
    const b = sub.forever || sub.behave.shift();
    status = b.status;
    if (b.retry_after !== undefined) headers['Retry-After'] = String(b.retry_after);
  }
  msg.status = status;
  if (!messages.has(name)) messages.set(name, []);
  messages.get(name).push(msg);
  res.writeHead(status, headers);
  res.end();
}

function handle(req, res) {
  const chunks = [];
  let size = 0;
  req.on('data', (c) => { size += c.length; if (size <= 65536) chunks.push(c); });
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const url = new URL(req.url, origin);
    const push = /^\/push\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
    if (push && fast) {
      const now = Date.now();
      stats.count++;
      if (stats.first_ms === null) stats.first_ms = now;
      stats.last_ms = now;
      if (!messages.has(push[1])) messages.set(push[1], []);
      if (messages.get(push[1]).length < 100000)
        messages.get(push[1]).push({ at_ms: now, topic: req.headers.topic });
      res.writeHead(201);
      return res.end();
    }
    if (push) return onPush(push[1], req, body, res);
    if (url.pathname === '/stats') return json(res, 200, stats);
    if (url.pathname === '/reset') {
      Object.assign(stats, { count: 0, first_ms: null, last_ms: null });
      return json(res, 200, stats);
    }
    let input = {};
    try { if (body.length) input = JSON.parse(body); } catch (e) { return json(res, 400, {}); }
    if (req.method === 'POST' && url.pathname === '/subscribe') {
      const ecdh = crypto.createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = crypto.randomBytes(16);
      subs.set(input.name, { ecdh, auth, behave: [], forever: null });
      return json(res, 200, { endpoint: `${origin}/push/${input.name}`,
        keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') } });
    }
    if (req.method === 'POST' && url.pathname === '/behave') {
      const sub = subs.get(input.name);
      if (!sub) return json(res, 404, {});
      const b = { status: input.status, retry_after: input.retry_after };
      if (input.count === -1) sub.forever = b;
      else for (let i = 0; i < (input.count || 1); i++) sub.behave.push(b);
      return json(res, 200, {});
    }
    if (req.method === 'GET' && url.pathname === '/messages')
      return json(res, 200, { messages: messages.get(url.searchParams.get('name')) || [] });
    return json(res, 404, {});
  });
}

const servers = [];
if (tls) {
  servers.push([http2.createSecureServer({ allowHTTP1: true, cert: fs.readFileSync(process.argv[5]),
    key: fs.readFileSync(process.argv[6]) }, handle), port]);
  servers.push([http.createServer(handle), parseInt(process.argv[7], 10)]);
} else {
  servers.push([http.createServer(handle), port]);
}
let listening = 0;
for (const [srv, p] of servers)
  srv.listen(p, '127.0.0.1', () => { if (++listening === servers.length) process.stdout.write('ready\n'); });
process.on('SIGTERM', () => process.exit(0));
