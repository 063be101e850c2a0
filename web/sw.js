// web/sw.js — the service worker: Web Push only (no offline cache, so a deploy is never
// hidden behind a stale copy). A push payload is the notification as JSON ({id, type,
// title, body, link}); it is shown with the notification id as its tag, so a repeated push
// of the same notification replaces the first. A click opens (or focuses) its link.
'use strict';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));

self.addEventListener('push', (e) => {
  let n = {};
  try { n = e.data ? e.data.json() : {}; } catch { n = { title: e.data ? e.data.text() : '' }; }
  const tag = String(n.id ?? n.notification_id ?? n.tag ?? '');
  const link = typeof n.link === 'string' && n.link.startsWith('/') && !n.link.startsWith('//') ? n.link : '/notifications';
  e.waitUntil((async () => {
    await self.registration.showNotification(n.title || '소모임', {
      body: n.body || '', tag: tag || undefined, data: { link, id: n.id ?? null, type: n.type || null },
      icon: '/favicon.ico', lang: 'ko',
    });
    for (const c of await self.clients.matchAll({ type: 'window', includeUncontrolled: true })) {
      c.postMessage({ type: 'push', id: n.id ?? null });
    }
  })());
});

self.addEventListener('notificationclick', (e) => {
  e.notification.close();
  const link = (e.notification.data && e.notification.data.link) || '/notifications';
  const url = new URL(link, self.location.origin).href;
  e.waitUntil((async () => {
    const wins = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    const w = wins.find((c) => new URL(c.url).origin === self.location.origin);
    if (!w) return self.clients.openWindow(url);
    // The page routes the link itself (works whether or not this worker controls it).
    w.postMessage({ type: 'open', link });
    try { await w.focus(); } catch { /* focusing needs a real click; the page has moved anyway */ }
    return undefined;
  })());
});
